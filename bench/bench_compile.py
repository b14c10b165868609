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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlglot  # noqa: E402
from bench_sql import D  # noqa: E402  (this folder is on sys.path when run as a script)

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


def naive_eq(x: str, lit: str) -> str:
    """Case-insensitive equality as most people write it (Unicode-exact on SQLite and DuckDB,
    where segdsl uses the same LOWER; ASCII-only or locale-dependent on PostgreSQL)."""
    return f"LOWER({x}) = '{lit}'"


def hand_sql(i: int, eq: Callable[[str, str], str] = naive_eq) -> str:
    since = (NOW - dt.timedelta(days=i % 90 + 1)).strftime("%Y-%m-%d %H:%M:%S")
    return f"""
SELECT c.id AS customer_id
FROM customers AS c
WHERE EXISTS (SELECT 1 FROM customer_channels AS ch
              WHERE ch.customer_id = c.id AND {eq('ch.channel', 'whatsapp')})
  AND EXISTS (SELECT 1 FROM customer_tags AS t
              WHERE t.customer_id = c.id AND {eq('t.tag', f'{TAGS[i % len(TAGS)]}{i}')})
  AND c.gender IS NOT NULL AND {eq('c.gender', GENDERS[i % 3])}
  AND EXISTS (SELECT 1 FROM interactions AS i
              WHERE i.customer_id = c.id AND {eq('i.channel', 'whatsapp')}
                AND i.occurred_at >= CAST('{since}' AS TIMESTAMP))
  AND EXISTS (SELECT 1 FROM customer_fields AS f
              WHERE f.customer_id = c.id AND f.field_key = 'returningUser'
                AND {eq("TRIM(f.field_value)", f'{VALUES[i % len(VALUES)]}{i}')})
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="iterations per side")
    parser.add_argument("--dialect", default="postgres")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    dialect = args.dialect

    # The equivalent hand-written SQL: segdsl's case-insensitive equality spelled as it must be
    # in this dialect. Only PostgreSQL differs from the naive LOWER(x) = '...' (which is
    # reported too).
    baselines = {"naive": naive_eq}
    if dialect in ("postgres", "postgresql"):
        # the same equality as segdsl's, whatever the database's locale: bench_sql's spelling
        baselines["equivalent"] = D("postgres").feq
    # warm up (parser tables, plugin registry, sqlglot dialect objects)
    for i in range(50):
        segdsl.compile(rule_text(i), dialect=dialect, now=NOW)
        for eq in baselines.values():
            sqlglot.transpile(hand_sql(i, eq), read=dialect, write=dialect)
    texts = [rule_text(i) for i in range(args.n)]
    sqls = {name: [hand_sql(i, eq) for i in range(args.n)] for name, eq in baselines.items()}

    # CPU time of this process (both sides are single-threaded Python): steadier than wall time
    # on a shared machine. Interleaved rounds, so what noise is left hits both sides alike.
    clock = time.process_time
    seg_times: list[float] = []
    glot_times: dict[str, list[float]] = {name: [] for name in baselines}
    for _ in range(args.rounds):
        start = clock()
        for text in texts:
            segdsl.compile(text, dialect=dialect, now=NOW)
        seg_times.append((clock() - start) / args.n)
        for name, queries in sqls.items():
            start = clock()
            for sql in queries:
                sqlglot.transpile(sql, read=dialect, write=dialect)
            glot_times[name].append((clock() - start) / args.n)

    seg = min(seg_times)
    print(f"compile benchmark: {args.n} rules x {args.rounds} rounds, dialect {dialect}, literals vary per iteration")
    print(f"  rule: {rule_text(0)}")
    median = statistics.median(seg_times)
    print(f"  segdsl.compile                  {seg * 1e6:9.1f} us/rule  (median {median * 1e6:.1f})")
    for name, times in glot_times.items():
        print(f"  sqlglot.transpile ({name:10s})  {min(times) * 1e6:9.1f} us/query (median "
              f"{statistics.median(times) * 1e6:.1f})")
    for name, times in glot_times.items():
        ratio = seg / min(times)
        if name == list(glot_times)[-1]:
            verdict = "OK" if ratio <= 1.0 else "ABOVE TARGET"
            print(f"RATIO compile/transpile = {ratio:.2f}x against the {name} hand-written SQL (target <= 1.00x) "
                  f"{verdict}")
        else:
            print(f"  (against the {name} hand-written SQL: {ratio:.2f}x)")

if __name__ == "__main__":
    main()
