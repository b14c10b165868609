"""segdsl's count vs the best hand-written SQL with each engine's native functions, on real engines.

    python bench/bench_sql.py [--n 200000] [--engines sqlite,duckdb,postgres] [--datasets demo,ascii,trap]
                              [--runs 9] [--budget 30] [--rebuild] [--show-sql]

Datasets (issue 10 "an honest baseline"), each the demo customers (segdsl.data.demo,
seed 0, now = 2026-11-28T12:00:00Z) loaded once per engine and reused while size, seed,
``now`` and the data version match (SQLite and DuckDB files in bench/.data/, PostgreSQL
databases ``segdsl_bench``, ``segdsl_bench_ascii``, ``segdsl_bench_trap`` on
``$SEGDSL_BENCH_PG``, default postgresql://postgres@127.0.0.1:5432/segdsl_bench):

* ``demo``: as ``segdsl demo`` writes them (a few non-ASCII cities, names and tags);
* ``ascii``: every non-ASCII name, tag, field value and bot flow replaced by an ASCII spelling;
* ``trap``: 10 % of the customers (id % 10 = 7) have every name, tag, field value and bot
  flow ending in `` ✓é``, so segdsl's full Unicode fold runs on them.

For every rule, segdsl's side is what ``segdsl count`` does: a fresh connection
(``segdsl.data.engines.connect``), ``segdsl.count`` (compile included). The hand-written
side is two to four shapes (correlated EXISTS, IN subqueries, set operations, joins)
written with the engine's NATIVE functions (``LOWER``, ``TRIM``, ``DATETIME``; SQLite's
own ASCII ``LOWER``, no function of segdsl's), each on a fresh connection of the engine's
own client (sqlite3, duckdb, psycopg). Native ``LOWER`` is not segdsl's case folding (it
misses ``K``, ``İ``, final sigma... on some engines), so the datasets hold no text where
the two differ for these rules: both sides must return the same count.
The statements take turns, the best of up to nine rounds is kept. Ratio = segdsl time /
best hand-written time (target <= 1.2x); the ratio of the medians is printed beside it.
For SQLite and DuckDB, which run in this process, the medians of its CPU time (all its
threads) are printed too: on a loaded machine they move far less than wall time.
The ``ascii`` and ``trap`` rows side by side show what Unicode correctness costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import segdsl  # noqa: E402
from segdsl.data import demo  # noqa: E402
from segdsl.data.engines import Engine, EngineError, connect  # noqa: E402

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, 0, 0)
SEED = 0
DATA = ROOT / "bench" / ".data"
PG_URL = os.environ.get("SEGDSL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/segdsl_bench")


# ----------------------------------------------------------------------------- dialect helpers


@dataclass(frozen=True)
class D:
    """The few spellings hand-written SQL needs per engine: native functions only."""

    name: str

    def fold(self, x: str) -> str:
        """The engine's own LOWER (SQLite: ASCII only; the datasets hold no text where that matters)."""
        return f"LOWER({x})"

    def feq(self, x: str, lit: str) -> str:
        """``x`` lower-cased equals ``lit`` (ASCII, lower case)."""
        return f"{self.fold(x)} = '{lit}'"

    def trimmed_feq(self, x: str, lit: str) -> str:
        """``x`` trimmed of spaces and lower-cased equals ``lit``."""
        return self.feq(self.trim(x), lit)

    def ts_col(self, col: str) -> str:  # SQLite keeps text: normalise like segdsl does
        return f"DATETIME({col})" if self.name == "sqlite" else col

    def ts(self, stamp: dt.datetime) -> str:
        text = stamp.strftime("%Y-%m-%d %H:%M:%S")
        return f"DATETIME('{text}')" if self.name == "sqlite" else f"CAST('{text}' AS TIMESTAMP)"

    def trim(self, x: str) -> str:
        return f"TRIM(' ' FROM {x})" if self.name == "postgres" else f"TRIM({x}, ' ')"

    def number_gt(self, x: str, bound: int) -> str:
        """``x`` (trimmed) is a number ``[+-]?[0-9]+(\\.[0-9]+)?`` greater than ``bound``."""
        t = self.trim(x)
        if self.name == "postgres":
            return f"(CASE WHEN {t} ~ '^[+-]?[0-9]+(\\.[0-9]+)?$' THEN CAST({t} AS DOUBLE PRECISION) END) > {bound}"
        if self.name == "duckdb":
            pattern = "'[+-]?[0-9]+(\\.[0-9]+)?'"
            return f"(CASE WHEN regexp_full_match({t}, {pattern}) THEN CAST({t} AS DOUBLE) END) > {bound}"
        # SQLite has no regex: drop one sign, then digits with at most one inner dot (GLOB)
        u = f"(CASE WHEN SUBSTR({t}, 1, 1) IN ('+', '-') THEN SUBSTR({t}, 2) ELSE {t} END)"
        return (
            f"(CASE WHEN {u} GLOB '[0-9]*' AND {u} GLOB '*[0-9]' AND {u} NOT GLOB '*[^0-9.]*' "
            f"AND {u} NOT GLOB '*.*.*' THEN CAST({t} AS REAL) END) > {bound}"
        )


def since(days: int) -> dt.datetime:
    return NOW_DT - dt.timedelta(days=days)


# ----------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Case:
    label: str
    rule: str
    shapes: dict[str, Callable[[D], str]]
    #: the same rule with its conditions written in another order (segdsl's SQL should not care)
    reordered: str = ""


def _r1_parts(d: D) -> dict[str, str]:
    return {
        "channel": f"{d.feq('ch.channel', 'whatsapp')}",
        "tag": f"{d.feq('t.tag', 'vip')}",
        "inter": f"{d.feq('i.channel', 'whatsapp')} AND {d.ts_col('i.occurred_at')} >= {d.ts(since(30))}",
        "field": f"f.field_key = 'returningUser' AND {d.trimmed_feq('f.field_value', 'true')}",
    }


def r1_exists(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {p['channel']})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {p['tag']})
  AND {d.feq('c.gender', 'female')}
  AND EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.id AND {p['inter']})
  AND EXISTS (SELECT 1 FROM customer_fields f WHERE f.customer_id = c.id AND {p['field']})"""


def r1_in(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT ch.customer_id FROM customer_channels ch WHERE {p['channel']})
  AND c.id IN (SELECT t.customer_id FROM customer_tags t WHERE {p['tag']})
  AND {d.feq('c.gender', 'female')}
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {p['inter']})
  AND c.id IN (SELECT f.customer_id FROM customer_fields f WHERE {p['field']})"""


def r1_sets(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM (
  SELECT t.customer_id FROM customer_tags t WHERE {p['tag']}
  INTERSECT SELECT ch.customer_id FROM customer_channels ch WHERE {p['channel']}
  INTERSECT SELECT c.id FROM customers c WHERE {d.feq('c.gender', 'female')}
  INTERSECT SELECT f.customer_id FROM customer_fields f WHERE {p['field']}
  INTERSECT SELECT i.customer_id FROM interactions i WHERE {p['inter']}
) AS x"""


def r1_join(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_tags t ON t.customer_id = c.id AND {p['tag']}
JOIN customer_channels ch ON ch.customer_id = c.id AND {p['channel']}
JOIN customer_fields f ON f.customer_id = c.id AND {p['field']}
JOIN interactions i ON i.customer_id = c.id AND {p['inter']}
WHERE {d.feq('c.gender', 'female')}"""


def r2_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {d.feq('t.tag', 'vip')})
  AND {d.feq('c.gender', 'female')}"""


def r2_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')})
  AND c.id IN (SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'vip')})
  AND {d.feq('c.gender', 'female')}"""


def r2_join(d: D) -> str:
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_tags t ON t.customer_id = c.id AND {d.feq('t.tag', 'vip')}
JOIN customer_channels ch ON ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')}
WHERE {d.feq('c.gender', 'female')}"""


def r3_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'sms')})
  AND NOT EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {d.feq('t.tag', 'churn-risk')})
  AND EXISTS (SELECT 1 FROM customer_fields f WHERE f.customer_id = c.id AND f.field_key = 'orders'
              AND {d.number_gt('f.field_value', 5)})"""


def r3_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'sms')})
  AND c.id NOT IN (SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'churn-risk')})
  AND c.id IN (SELECT f.customer_id FROM customer_fields f WHERE f.field_key = 'orders'
               AND {d.number_gt('f.field_value', 5)})"""


def r3_sets(d: D) -> str:
    return f"""SELECT COUNT(*) FROM (
  SELECT f.customer_id FROM customer_fields f WHERE f.field_key = 'orders' AND {d.number_gt('f.field_value', 5)}
  INTERSECT SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'sms')}
  EXCEPT SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'churn-risk')}
) AS x"""


def _r4_inter(d: D) -> str:
    return (f"{d.feq('i.channel', 'whatsapp')} AND i.completed_bot_flow AND {d.feq('i.bot_flow', 'welcome')} "
            f"AND {d.ts_col('i.occurred_at')} >= {d.ts(since(14))}")


def _r4_cart(d: D) -> str:
    return f"{d.feq('k.channel', 'whatsapp')} AND k.item_count > 0 AND NOT k.paid"


def r4_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')})
  AND EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.id AND {_r4_inter(d)})
  AND EXISTS (SELECT 1 FROM carts k WHERE k.customer_id = c.id AND {_r4_cart(d)})"""


def r4_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')})
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {_r4_inter(d)})
  AND c.id IN (SELECT k.customer_id FROM carts k WHERE {_r4_cart(d)})"""


def r4_sets(d: D) -> str:
    return f"""SELECT COUNT(*) FROM (
  SELECT k.customer_id FROM carts k WHERE {_r4_cart(d)}
  INTERSECT SELECT i.customer_id FROM interactions i WHERE {_r4_inter(d)}
  INTERSECT SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')}
) AS x"""


def _r5_bound(d: D) -> str:
    return d.ts(since(60))


def r5_exists(d: D) -> str:
    on = f"i.customer_id = c.id AND {d.feq('i.channel', 'instagram')}"
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'instagram')})
  AND EXISTS (SELECT 1 FROM interactions i WHERE {on})
  AND NOT EXISTS (SELECT 1 FROM interactions i WHERE {on} AND {d.ts_col('i.occurred_at')} >= {_r5_bound(d)})"""


def r5_max(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'instagram')})
  AND (SELECT MAX({d.ts_col('i.occurred_at')}) FROM interactions i
       WHERE i.customer_id = c.id AND {d.feq('i.channel', 'instagram')}) < {_r5_bound(d)}"""


def r5_group(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'instagram')})
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {d.feq('i.channel', 'instagram')}
               GROUP BY i.customer_id HAVING MAX({d.ts_col('i.occurred_at')}) < {_r5_bound(d)})"""


def _r6_tags(d: D, col: str) -> str:
    return " OR ".join(d.feq(col, tag) for tag in ("new", "newsletter", "returning"))


def r6_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'telegram')})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND ({_r6_tags(d, 't.tag')}))"""


def r6_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'telegram')})
  AND c.id IN (SELECT customer_id FROM customer_tags WHERE {_r6_tags(d, 'tag')})"""


def r6_join(d: D) -> str:
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_channels ch ON ch.customer_id = c.id AND {d.feq('ch.channel', 'telegram')}
JOIN customer_tags t ON t.customer_id = c.id AND ({_r6_tags(d, 't.tag')})"""


CASES = [
    Case(
        "R1 5 conditions",
        'channel whatsapp and tag = "vip" and gender is female and last interaction within 30 days '
        "and field returningUser = true",
        {"exists": r1_exists, "in": r1_in, "intersect": r1_sets, "join": r1_join},
        'gender is female and tag = "vip" and field returningUser = true and last interaction within 30 days '
        "and channel whatsapp",
    ),
    Case(
        "R2 demo rule",
        'channel whatsapp and tag = "vip" and gender is female',
        {"exists": r2_exists, "in": r2_in, "join": r2_join},
        'gender is female and tag = "vip" and channel whatsapp',
    ),
    Case(
        "R3 not + number",
        'channel sms and not tag = "churn-risk" and field orders > 5',
        {"exists": r3_exists, "in": r3_in, "except": r3_sets},
        'field orders > 5 and not tag = "churn-risk" and channel sms',
    ),
    Case(
        "R4 flow + cart",
        'channel whatsapp and completed bot flow "Welcome" within 14 days and has unpaid cart',
        {"exists": r4_exists, "in": r4_in, "intersect": r4_sets},
        'has unpaid cart and completed bot flow "Welcome" within 14 days and channel whatsapp',
    ),
    Case(
        "R5 inactive",
        "channel instagram and last interaction more than 60 days ago",
        {"exists": r5_exists, "max": r5_max, "group": r5_group},
        "last interaction more than 60 days ago and channel instagram",
    ),
    Case(
        # against segdsl's fixed SQLite order (tags before the channel): here the channel
        # (telegram, 8 % of customers) is more selective than the tags (about 25 %)
        "R6 rare channel",
        'channel telegram and tag in ("new", "newsletter", "returning")',
        {"exists": r6_exists, "in": r6_in, "join": r6_join},
        'tag in ("new", "newsletter", "returning") and channel telegram',
    ),
]


# ----------------------------------------------------------------------------- data


DATASETS = ("demo", "ascii", "trap")
#: the text columns the rules compare, as (table, column, the customer's id column)
TEXT_COLUMNS = (("customers", "name", "id"), ("customer_tags", "tag", "customer_id"),
                ("customer_fields", "field_value", "customer_id"), ("interactions", "bot_flow", "customer_id"))
TRAP = " ✓é"


def _url(engine: str, n: int, dataset: str) -> str:
    suffix = "" if dataset == "demo" else f"-{dataset}"
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench-{n}{suffix}.db'}"
    if engine == "duckdb":
        return f"duckdb:///{DATA / f'bench-{n}{suffix}.duckdb'}"
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path + suffix.replace("-", "_")))


def _ensure_pg_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")))
    try:
        admin.conn.autocommit = True
        if not admin.query("SELECT 1 FROM pg_database WHERE datname = %s", [name]):
            admin.query(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def _ascii(text: str) -> str:
    """An ASCII spelling: accents dropped, other letters as ``x``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain if len(plain) >= len(text) // 2 else "".join(c if c.isascii() else "x" for c in text)


def make_dataset(db: Engine, dataset: str) -> None:
    """Turn freshly loaded demo data into ``dataset`` (see the module's docstring)."""
    mark = db.placeholder()
    for table, column, owner in TEXT_COLUMNS:
        if dataset == "trap":
            db.query(f"UPDATE {table} SET {column} = {column} || '{TRAP}' WHERE {owner} % 10 = 7")
            continue
        values = [v for (v,) in db.query(f"SELECT DISTINCT {column} FROM {table}") if v and not v.isascii()]
        for start in range(0, len(values), 200):
            chunk = values[start:start + 200]
            cases = " ".join(f"WHEN {mark} THEN {mark}" for _ in chunk)
            args = [x for v in chunk for x in (v, _ascii(v))] + chunk
            db.query(f"UPDATE {table} SET {column} = CASE {column} {cases} END "
                     f"WHERE {column} IN ({', '.join([mark] * len(chunk))})", args)
    if db.dialect == "postgres":
        db.conn.commit()
        db.conn.autocommit = True
        for table, _, _ in TEXT_COLUMNS:
            db.query(f"VACUUM ANALYZE {table}")
        db.conn.autocommit = False
    else:
        db.query("ANALYZE")
        if db.dialect == "sqlite":
            db.conn.commit()


def prepare(engine_name: str, n: int, dataset: str, rebuild: bool) -> str:
    """The URL of ``dataset`` on ``engine_name``, loaded unless it is there."""
    DATA.mkdir(parents=True, exist_ok=True)
    url = _url(engine_name, n, dataset)
    if engine_name == "postgres":
        _ensure_pg_database(url)
    db = connect(url, create=True)
    try:
        marker = f"n={n} seed={SEED} now={NOW} data={demo.DATA_VERSION} set={dataset}"
        try:
            have = db.query("SELECT info FROM segdsl_bench_meta")[0][0]
        except EngineError:
            have = None
            if db.dialect == "postgres":
                db.conn.rollback()
        if have == marker and not rebuild:
            print(f"  {engine_name}: reusing {n:,} {dataset} customers ({url})")
            return url
        print(f"  {engine_name}: loading {n:,} {dataset} customers into {url} ...", flush=True)
        start = time.perf_counter()
        counts = demo.populate(db, n=n, seed=SEED, now=NOW)
        if dataset != "demo":
            make_dataset(db, dataset)
        db.query("DROP TABLE IF EXISTS segdsl_bench_meta")
        db.query("CREATE TABLE segdsl_bench_meta (info VARCHAR(200))")
        db.query(f"INSERT INTO segdsl_bench_meta VALUES ('{marker}')")
        if db.dialect in ("postgres", "sqlite"):
            db.conn.commit()
        print(f"  {engine_name}: loaded {sum(counts.values()):,} rows in {time.perf_counter() - start:.1f}s")
        return url
    finally:
        db.close()


# ----------------------------------------------------------------------------- timing


def native_count(url: str, sql: str) -> int:
    """Run ``sql`` on a fresh connection of the engine's own client (no function of segdsl's)."""
    scheme, _, rest = url.partition(":///")
    if scheme == "sqlite":
        conn = sqlite3.connect(rest)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    if scheme == "duckdb":
        import duckdb

        dconn = duckdb.connect(rest)
        try:
            return int(dconn.execute(sql).fetchone()[0])
        finally:
            dconn.close()
    import psycopg

    with psycopg.connect(url, autocommit=True) as pconn:
        return int(pconn.execute(sql).fetchone()[0])  # type: ignore[index]


def segdsl_count(url: str, rule: str) -> int:
    """What ``segdsl count`` does: a fresh connection, compile, run."""
    with connect(url) as db:
        return segdsl.count(rule, db=db, now=NOW)


@dataclass(frozen=True)
class Timing:
    best: float  # seconds
    median: float  # seconds
    count: int
    cpu_best: float  # seconds of CPU time of this process (SQLite and DuckDB run in it)
    cpu_median: float


def timed(runners: dict[str, Callable[[], int]], runs: int, budget: float) -> dict[str, Timing]:
    """Best and median wall time, and the count, per runner.

    The runners take turns (round robin, a different one first each
    round), so a noisy neighbour on the machine slows them all alike; fewer
    rounds when they eat the time budget (seconds).
    """
    times: dict[str, list[float]] = {key: [] for key in runners}
    cpu: dict[str, list[float]] = {key: [] for key in runners}
    counts: dict[str, int] = {}
    keys = list(runners)
    spent = 0.0
    for round_ in range(runs):
        for key in keys[round_ % len(keys):] + keys[: round_ % len(keys)]:
            start, start_cpu = time.perf_counter(), time.process_time()
            counts[key] = runners[key]()
            took = time.perf_counter() - start
            cpu[key].append(time.process_time() - start_cpu)
            spent += took
            times[key].append(took)
        if round_ >= 2 and spent > budget:
            break
    return {key: Timing(min(times[key]), statistics.median(times[key]), counts[key], min(cpu[key]),
                        statistics.median(cpu[key])) for key in keys}


#: engines that run inside this process, so that its CPU time (all threads) is the statement's cost
IN_PROCESS = ("sqlite", "duckdb")


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--engines", default="sqlite,duckdb,postgres")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--runs", type=int, default=9, help="rounds over the statements (best time kept)")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="seconds per rule and engine before fewer rounds (at least three)")
    parser.add_argument("--rebuild", action="store_true", help="reload the data even when it is there")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--rules", default="", help="only the rules whose label starts with one of these (R1,R3)")
    args = parser.parse_args()
    print(f"SQL benchmark: {args.n:,} customers, now={NOW}; best of up to {args.runs} runs; "
          f"load average {load_average()}")
    summary: list[str] = []
    wanted = [r for r in args.rules.split(",") if r]
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        for dataset in [x.strip() for x in args.datasets.split(",") if x.strip()]:
            try:
                url = prepare(name, args.n, dataset, args.rebuild)
            except EngineError as err:
                print(f"  {name}: SKIPPED ({err})")
                continue
            d = D(name)
            for table in ("customers", "customer_channels", "customer_tags", "customer_fields", "interactions",
                          "carts"):
                native_count(url, f"SELECT COUNT(*) FROM {table}")  # warm the caches
            for case in CASES:
                if wanted and not any(case.label.startswith(w) for w in wanted):
                    continue
                hand = {shape: make(d) for shape, make in case.shapes.items()}
                if args.show_sql:
                    with connect(url) as db:
                        ours = segdsl.compile(case.rule, dialect=db.rules, count=True, now=NOW)
                    print(f"--- {name} {case.label} segdsl\n{ours}")
                    for shape, sql in hand.items():
                        print(f"--- {name} {case.label} {shape}\n{sql}")
                runners: dict[str, Callable[[], int]] = {"segdsl": lambda rule=case.rule: segdsl_count(url, rule)}
                runners.update({shape: (lambda sql=sql: native_count(url, sql)) for shape, sql in hand.items()})
                results = timed(runners, args.runs, budget=args.budget)
                seg = results.pop("segdsl")
                for shape, timing in results.items():
                    if timing.count != seg.count:
                        sys.exit(f"COUNT MISMATCH on {name} {dataset} {case.label} {shape}: segdsl {seg.count}, "
                                 f"hand-written {timing.count}")
                best_shape = min(results, key=lambda s: results[s].best)
                best = results[best_shape]
                ratio = seg.best / best.best
                median_shape = min(results, key=lambda s: results[s].median)
                median_ratio = seg.median / results[median_shape].median
                shapes = "  ".join(f"{s} {t.best * 1000:7.1f}" for s, t in results.items())
                print(f"  {name:8s} {dataset:5s} {case.label:16s} count {seg.count:7,}  segdsl "
                      f"{seg.best * 1000:7.1f} ms | hand: {shapes}", flush=True)
                verdict = "OK" if ratio <= 1.2 else "ABOVE TARGET"
                cpu_note = ""
                if name in IN_PROCESS:  # the engine runs in this process: its CPU time is steady under load
                    cpu_shape = min(results, key=lambda s: results[s].cpu_median)
                    cpu_note = (f"; CPU {seg.cpu_median * 1000:.1f} / {results[cpu_shape].cpu_median * 1000:.1f} ms "
                                f"({cpu_shape}) = {seg.cpu_median / results[cpu_shape].cpu_median:4.2f}x by medians")
                summary.append(
                    f"RATIO {name:8s} {dataset:5s} {case.label:16s} segdsl {seg.best * 1000:7.1f} ms / best hand "
                    f"{best.best * 1000:7.1f} ms ({best_shape}) = {ratio:5.2f}x; medians {median_ratio:5.2f}x {verdict}"
                    f"{cpu_note}"
                )
    print()
    print(f"load average at the end: {load_average()}")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
