"""How fast segdsl.data.demo.populate loads the demo customers on each engine.

    python bench/bench_populate.py [--n 10000] [--big 1000000] [--engines sqlite,duckdb,postgres,mysql]

Loads ``--n`` customers into each engine (a scratch file, or a scratch
database ``segdsl_bench_populate`` on the servers, dropped afterwards), then
``--big`` customers into DuckDB (target: 1,000,000 in under 60 s). Prints
wall time, rows/s and the CPU time of this process and its worker processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segdsl.data import demo  # noqa: E402
from segdsl.data.engines import EngineError, connect  # noqa: E402

NOW = "2026-11-28T12:00:00Z"
PG_URL = os.environ.get("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("SEGDSL_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")
SCRATCH = "segdsl_bench_populate"


def _with_db(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


def scratch(engine: str, folder: str) -> str:
    if engine == "sqlite":
        return f"sqlite:///{folder}/populate.db"
    if engine == "duckdb":
        return f"duckdb:///{folder}/populate.duckdb"
    if engine == "postgres":
        with connect(PG_URL) as admin:
            admin.conn.autocommit = True
            admin.query(f'DROP DATABASE IF EXISTS "{SCRATCH}"')
            admin.query(f'CREATE DATABASE "{SCRATCH}"')
        return _with_db(PG_URL, SCRATCH)
    with connect(MYSQL_URL) as admin:
        admin.query(f"DROP DATABASE IF EXISTS `{SCRATCH}`")
        admin.query(f"CREATE DATABASE `{SCRATCH}` CHARACTER SET utf8mb4")
    return _with_db(MYSQL_URL, SCRATCH)


def drop(engine: str) -> None:
    try:
        if engine == "postgres":
            with connect(PG_URL) as admin:
                admin.conn.autocommit = True
                admin.query(f'DROP DATABASE IF EXISTS "{SCRATCH}"')
        elif engine == "mysql":
            with connect(MYSQL_URL) as admin:
                admin.query(f"DROP DATABASE IF EXISTS `{SCRATCH}`")
    except EngineError:
        pass


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(engine: str, n: int, folder: str) -> str:
    try:
        url = scratch(engine, folder)
    except EngineError as err:
        return f"  {engine:8s} {n:>9,} customers: SKIPPED ({err})"
    try:
        cpu0, start = cpu(), time.perf_counter()
        counts = demo.populate(url, n=n, now=NOW)
        took, used = time.perf_counter() - start, cpu() - cpu0
    finally:
        drop(engine)
    rows = sum(counts.values())
    return (
        f"  {engine:8s} {n:>9,} customers {rows:>11,} rows: {took:7.2f} s wall  "
        f"{rows / took:>10,.0f} rows/s  (client CPU incl. workers {used:6.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000, help="customers for the DuckDB run (0: skip)")
    parser.add_argument("--engines", default="sqlite,duckdb,postgres,mysql")
    args = parser.parse_args()
    print(f"populate benchmark ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start)")
    with tempfile.TemporaryDirectory(prefix="segdsl-bench-") as folder:
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            print(run(engine, args.n, folder), flush=True)
        if args.big:
            line = run("duckdb", args.big, folder)
            print(line)
            took = float(line.split("rows:")[1].split("s wall")[0])
            verdict = "OK" if took < 60 else "ABOVE TARGET"
            print(f"DUCKDB {args.big:,} customers: {took:.1f} s (target < 60 s) {verdict}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
