"""Rules at the limits of docs/language.md ("Limits"), timed on every engine.

Issue 12 item 4: every rule within the limits (1,000 conditions, 64 KiB of text)
answers in under 2 s at 5,000 customers on SQLite, DuckDB, PostgreSQL and
MariaDB. Each rule is counted through ``segdsl.count`` on a fresh connection
(as the CLI runs it: compile included); the script prints one ``LIMIT`` line
per rule and engine and exits 1 if any takes 2 s or more.

    python bench/bench_limits.py [--n 5000] [--engines sqlite,duckdb,postgres,mysql] [--rebuild]

Data: ``segdsl demo`` customers in ``bench/.data/limits-N.{db,duckdb}`` and the
databases ``segdsl_bench_limits`` on the servers (``$SEGDSL_TEST_PG``,
``$SEGDSL_TEST_MYSQL`` name them).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.parse
from pathlib import Path

import segdsl
from segdsl.data.demo import populate
from segdsl.data.engines import connect
from segdsl.families.validate import MAX_CONDITIONS

NOW = "2026-11-28T12:00:00Z"
HERE = Path(__file__).resolve().parent
DB = "segdsl_bench_limits"
N = MAX_CONDITIONS - 1  # conditions besides the channel
DATES = [f"2026-{m:02d}-{d:02d}" for m in range(1, 12) for d in (1, 15)]

RULES = {
    "1,000 ANDed tags": "channel whatsapp and " + " and ".join(f'tag = "t{i}"' for i in range(N)),
    "1,000 ANDed not tags": "channel whatsapp and " + " and ".join(f'not tag = "t{i}"' for i in range(N)),
    "1,000 ORed tags": "channel whatsapp and (" + " or ".join(f'tag = "t{i}"' for i in range(N)) + ")",
    "1,000 ORed fields": "channel whatsapp and (" + " or ".join(f'field k{i % 40} = "v{i}"' for i in range(N)) + ")",
    "1,000 ANDed not fields": "channel whatsapp and " + " and ".join(
        f'not field k{i} contains "x{i}"' for i in range(N)),
    "1,000 ORed interactions": "channel whatsapp and (" + " or ".join(
        f'completed bot flow "f{i}" within {i + 1} days' for i in range(N)) + ")",
    "1,000 ANDed not last": "channel whatsapp and " + " and ".join(
        f"not last interaction before {DATES[i % len(DATES)]}" for i in range(N)),
    # 99 groups: 198 subqueries and the channel's, at MAX_SUBQUERIES (333 groups are refused)
    "99 mixed OR/AND groups": "channel whatsapp and (" + " or ".join(
        f'(tag = "t{i}" and name is known and not field k{i % 7} > {i})' for i in range(99)) + ")",
    "6,000 numbers in one in": "channel whatsapp and field n in (" + ", ".join(str(i) for i in range(6000)) + ")",
    "3,000 names in one in": "channel whatsapp and name in (" + ", ".join(f'"n{i}"' for i in range(3000)) + ")",
}


def _with_db(url: str, db: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + db))


def urls(n: int, engines: list[str]) -> dict[str, str]:
    data = HERE / ".data"
    data.mkdir(exist_ok=True)
    pg = os.environ.get("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
    my = os.environ.get("SEGDSL_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")
    every = {
        "sqlite": f"sqlite:///{data}/limits-{n}.db",
        "duckdb": f"duckdb:///{data}/limits-{n}.duckdb",
        "postgres": _with_db(pg, DB),
        "mysql": _with_db(my, DB),
    }
    return {name: every[name] for name in engines}


def ensure_database(name: str, url: str) -> None:
    if name == "postgres":
        import psycopg

        admin = _with_db(url, "postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{DB}"')
    elif name == "mysql":
        with connect(_with_db(url, "")) as db:
            db.query(f"CREATE DATABASE IF NOT EXISTS `{DB}` CHARACTER SET utf8mb4")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--engines", default="sqlite,duckdb,postgres,mysql")
    ap.add_argument("--rebuild", action="store_true", help="load the demo data again")
    args = ap.parse_args()
    worst = 0.0
    for name, url in urls(args.n, args.engines.split(",")).items():
        ensure_database(name, url)
        with connect(url, create=True) as db:  # a fresh machine has no SQLite or DuckDB file yet
            try:
                have = db.query("SELECT COUNT(*) FROM customers")[0][0]
            except Exception:  # noqa: BLE001 - no table yet
                have = -1
            if have != args.n or args.rebuild:
                populate(db, args.n, seed=0, now=NOW)
        for rule_name, rule in RULES.items():
            start = time.perf_counter()
            with connect(url) as db:
                count = segdsl.count(rule, db=db, now=NOW)
            took = time.perf_counter() - start
            worst = max(worst, took)
            print(f"LIMIT {name:8} {rule_name:26} {took:6.2f} s  count={count}", flush=True)
    print(f"WORST {worst:.2f} s (target < 2 s)")
    return 0 if worst < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
