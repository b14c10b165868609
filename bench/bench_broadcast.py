"""Peak memory of `segdsl broadcasts send` to 1M recipients, on DuckDB and PostgreSQL.

For each engine: load N customers on whatsapp (in-engine INSERT … SELECT over a generated
series), save the segment `channel whatsapp`, then run two child processes and read their
peak RSS (VmHWM, reported by the child as it exits):

* baseline: ``segdsl count --segment All`` (same imports, same connection, one number);
* send: ``segdsl broadcasts send --segment All --out /dev/null`` (plans N deliveries with one
  INSERT … SELECT, then hands them out in batches of 1,000 and marks each batch sent).

Prints ``RATIO <engine> send/baseline`` and the absolute peak in MB (target: send ≤ 150 MB).

    python bench/bench_broadcast.py [--n 1000000] [--engines duckdb,postgres]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlglot

from segdsl.data.engines import connect
from segdsl.data.records import create_schema
from segdsl.store import Store

PG_SERVER = os.environ.get("SEGDSL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("SEGDSL_BENCH_PG_DB", "store_bench_broadcast")
# Written once in PostgreSQL's SQL and transpiled per engine by sqlglot.
FILL = [
    "INSERT INTO customers (id, name) SELECT g, 'Customer ' || CAST(g AS TEXT) FROM GENERATE_SERIES(1, {n}) AS t(g)",
    "INSERT INTO customer_channels (customer_id, channel) SELECT id, 'whatsapp' FROM customers",
]


#: the child reports its own high-water RSS (VmHWM, per address space, so not inflated by the
#: fork of this bench process) on stderr as it exits
CHILD = (
    "import atexit, sys\n"
    "def hwm():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('VMHWM ' + line.split()[1] + '\\n')\n"
    "atexit.register(hwm)\n"
    "from segdsl.cli import cli\n"
    "cli(sys.argv[1:], prog_name='segdsl')\n"
)


def peak_mb(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one segdsl process; fails loudly on a non-zero exit."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"segdsl {' '.join(args)} failed: {proc.stderr}")
    kib = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("VMHWM "))
    return kib / 1024, time.monotonic() - start


def prepare(url: str, dialect: str, n: int) -> None:
    with connect(url, create=True) as eng:
        create_schema(eng, drop=True)
        for sql in FILL:
            eng.query(sqlglot.transpile(sql.format(n=n), read="postgres", write=dialect)[0])
    with Store(url) as store:
        store.create_segment("channel whatsapp", name="All")


def database(engine: str, tmp: Path) -> str:
    if engine == "duckdb":
        return f"duckdb:///{tmp / 'bench.duckdb'}"
    with connect(PG_SERVER) as admin:
        admin.conn.autocommit = True
        admin.query(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.query(f"CREATE DATABASE {PG_DB}")
    return PG_SERVER.rsplit("/", 1)[0] + "/" + PG_DB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--engines", default="duckdb,postgres")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for engine in opts.engines.split(","):
            url = database(engine, Path(folder))
            prepare(url, "postgres" if engine == "postgres" else engine, opts.n)
            env = {**os.environ, "SEGDSL_DB": url}
            base, _ = peak_mb(["count", "--segment", "All"], env)
            send, seconds = peak_mb(["broadcasts", "send", "--segment", "All", "--out", os.devnull], env)
            with Store(url) as store:
                (run,) = store.broadcast("Broadcast #1").runs
            assert run.sent == run.planned == opts.n, run
            print(f"{engine}: {opts.n:,} recipients in {seconds:.0f} s; peak RSS send {send:.0f} MB, "
                  f"count {base:.0f} MB")
            print(f"RATIO {engine} send/baseline peak RSS {send / base:.2f}x ({send:.0f} MB; target <= 150 MB)")


if __name__ == "__main__":
    main()
