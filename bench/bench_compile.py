"""segdsl.compile vs sqlglot.transpile of the equivalent hand-written SQL.

    python bench/bench_compile.py [--n 2000] [--dialect postgres]

A 5-condition rule (channel, tag, gender, last interaction within 30 days,
custom field) against hand-written SQL of the same shape (EXISTS
subqueries). Every iteration changes the literals (tag, window, field value),
so neither side can be served from a cache keyed by the text. Both sides are
timed in the same run, interleaved, in CPU time of the process; the ratio is
segdsl time / transpile time (target <= 1.0x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlglot  # noqa: E402

import segdsl  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
TAGS = ["vip", "gold", "silver", "new", "churn-risk", "wholesale", "returning", "newsletter"]
GENDERS = ["female", "male", "other"]
VALUES = ["true", "false", "gold", "pro", "yes"]


def rule_text(i: int) -> str:
    return (
        f'channel whatsapp and tag = "{TAGS[i % len(TAGS)]}{i}" and gender is {GENDERS[i % 3]} '
        f"and last interaction within {i % 90 + 1} days and field returningUser = \"{VALUES[i % len(VALUES)]}{i}\""
    )


def hand_sql(i: int) -> str:
    since = (NOW - dt.timedelta(days=i % 90 + 1)).strftime("%Y-%m-%d %H:%M:%S")
    return f"""
SELECT c.id AS customer_id
FROM customers AS c
WHERE EXISTS (SELECT 1 FROM customer_channels AS ch
              WHERE ch.customer_id = c.id AND LOWER(ch.channel) = 'whatsapp')
  AND EXISTS (SELECT 1 FROM customer_tags AS t
              WHERE t.customer_id = c.id AND LOWER(t.tag) = '{TAGS[i % len(TAGS)]}{i}')
  AND c.gender IS NOT NULL AND LOWER(c.gender) = '{GENDERS[i % 3]}'
  AND EXISTS (SELECT 1 FROM interactions AS i
              WHERE i.customer_id = c.id AND LOWER(i.channel) = 'whatsapp'
                AND i.occurred_at >= CAST('{since}' AS TIMESTAMP))
  AND EXISTS (SELECT 1 FROM customer_fields AS f
              WHERE f.customer_id = c.id AND f.field_key = 'returningUser'
                AND LOWER(TRIM(f.field_value)) = '{VALUES[i % len(VALUES)]}{i}')
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="iterations per side")
    parser.add_argument("--dialect", default="postgres")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    dialect = args.dialect

    # warm up both (parser tables, plugin registry, sqlglot dialect objects)
    for i in range(50):
        segdsl.compile(rule_text(i), dialect=dialect, now=NOW)
        sqlglot.transpile(hand_sql(i), read=dialect, write=dialect)
    texts = [rule_text(i) for i in range(args.n)]
    sqls = [hand_sql(i) for i in range(args.n)]

    # CPU time of this process (both sides are single-threaded Python): steadier than wall time
    # on a shared machine. Interleaved rounds, so what noise is left hits both sides alike.
    clock = time.process_time
    seg_times: list[float] = []
    glot_times: list[float] = []
    for _ in range(args.rounds):
        start = clock()
        for text in texts:
            segdsl.compile(text, dialect=dialect, now=NOW)
        seg_times.append((clock() - start) / args.n)
        start = clock()
        for sql in sqls:
            sqlglot.transpile(sql, read=dialect, write=dialect)
        glot_times.append((clock() - start) / args.n)

    seg, glot = min(seg_times), min(glot_times)
    print(f"compile benchmark: {args.n} rules x {args.rounds} rounds, dialect {dialect}, literals vary per iteration")
    print(f"  rule: {rule_text(0)}")
    print(f"  segdsl.compile     {seg * 1e6:9.1f} us/rule  (median {statistics.median(seg_times) * 1e6:.1f})")
    print(f"  sqlglot.transpile  {glot * 1e6:9.1f} us/query (median {statistics.median(glot_times) * 1e6:.1f})")
    ratio = seg / glot
    print(f"RATIO compile/transpile = {ratio:.2f}x (target <= 1.00x) {'OK' if ratio <= 1.0 else 'ABOVE TARGET'}")


if __name__ == "__main__":
    main()
