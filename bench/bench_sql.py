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
import os
import sqlite3
import sys
import time
import unicodedata
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import segdsl  # noqa: E402
from bench.shapes import CASES, NOW, D, load_average, timed  # noqa: E402
from segdsl.data import demo  # noqa: E402
from segdsl.data.engines import Engine, EngineError, connect  # noqa: E402

SEED = 0
DATA = ROOT / "bench" / ".data"
PG_URL = os.environ.get("SEGDSL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/segdsl_bench")


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



#: engines that run inside this process, so that its CPU time (all threads) is the statement's cost
IN_PROCESS = ("sqlite", "duckdb")


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
