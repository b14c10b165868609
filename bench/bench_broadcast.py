"""Peak memory of `segdsl broadcasts send` to 1M recipients, on DuckDB and PostgreSQL.

For each engine: load N customers on whatsapp (in-engine INSERT … SELECT over a generated
series), save the segment `channel whatsapp`, then run two child processes and read their
peak RSS (VmHWM, reported by the child as it exits):

* baseline: ``segdsl count --segment All`` (same imports, same connection, one number);
* send: ``segdsl broadcasts send --segment All --out /dev/null`` (plans N deliveries with one
  INSERT … SELECT, then hands them out in batches of 1,000 and marks each batch sent).

Prints ``RATIO <engine> send/baseline`` and the absolute peak in MB (target: send ≤ 150 MB).

On DuckDB it also prints ``FLOOR``: what the send costs before segdsl does anything of its own,
from four more children: the bare interpreter; the send's imports alone (segdsl's CLI and
store: sqlglot, with its compiled modules where the ``fast`` extra is installed, SQLAlchemy,
lark, click; no DuckDB); DuckDB alone (its Python client, no other import) running the send's
statements on a copy of the database: the plan's ``INSERT … SELECT`` per range of 100,000
customers under the plan's memory limit, one commit, then batches of 1,000 read and marked sent;
and the floor itself, both in one process (the imports, then the same statements through
DuckDB's own client: no SQLAlchemy connection, no store logic).

    python bench/bench_broadcast.py [--n 1000000] [--engines duckdb,postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlglot

import segdsl
from segdsl.data.engines import connect
from segdsl.data.records import create_schema
from segdsl.sql.dialects import connected_rules
from segdsl.store import Store
from segdsl.store.audience import PLAN_MEMORY, PLAN_RANGE
from segdsl.store.database import DUCKDB_SEND_SETTINGS

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


#: the floor's children: the same report, then nothing / the send's imports / DuckDB alone
HWM = CHILD.split("from segdsl.cli")[0]
IMPORTS = HWM + "from segdsl.cli import cli\nimport segdsl.store\n"
STATEMENTS = """
import json
import duckdb
job = json.load(open(sys.argv[1]))
con = duckdb.connect(job["path"])
for name, value in job["settings"].items():
    con.execute(f"SET {name} = '{value}'")
con.execute("BEGIN")
con.execute(f"SET memory_limit = '{job['memory_mb']}MB'")
for sql in job["plan"]:
    con.execute(sql)
con.execute("RESET memory_limit")
con.execute("COMMIT")
after = 0
while True:
    ids = [r[0] for r in con.execute(
        "SELECT customer_id FROM segdsl_deliveries WHERE run_id = ? AND sent_at IS NULL AND customer_id > ? "
        "ORDER BY customer_id LIMIT 1000", [job["run"], after]).fetchall()]
    if not ids:
        break
    con.execute("BEGIN")
    con.execute("UPDATE segdsl_deliveries SET sent_at = now() WHERE run_id = ? AND customer_id BETWEEN ? AND ? "
                "AND sent_at IS NULL", [job["run"], ids[0], ids[-1]])
    con.execute("COMMIT")
    after = ids[-1]
con.close()
"""
DUCKDB_ALONE = HWM + STATEMENTS
BOTH = IMPORTS + STATEMENTS


def floor(path: Path, n: int) -> tuple[float, float, float, float]:
    """(interpreter, imports, DuckDB alone, both): peak RSS in MB of the floor's four children,
    DuckDB planning and marking the send's ``channel whatsapp`` audience on a copy of ``path``."""
    copy = path.with_name("floor.duckdb")
    shutil.copyfile(path, copy)
    audience = segdsl.compile("channel whatsapp", dialect=connected_rules("duckdb"), now="2026-11-28T12:00:00Z")
    step = PLAN_RANGE["duckdb"]
    base, per_customer = PLAN_MEMORY["duckdb"]
    plan = [f"INSERT INTO segdsl_deliveries (run_id, customer_id) SELECT 999, a.customer_id FROM ({audience}) AS a "
            f"WHERE a.customer_id BETWEEN {low} AND {low + step - 1}" for low in range(1, n + 1, step)]
    job = copy.with_suffix(".json")
    job.write_text(json.dumps({"path": str(copy), "settings": DUCKDB_SEND_SETTINGS, "run": 999, "plan": plan,
                               "memory_mb": (base + per_customer * n) // 2**20}))
    try:
        bare = peak_mb([], dict(os.environ), script=HWM)[0]
        imports = peak_mb([], dict(os.environ), script=IMPORTS)[0]
        alone = peak_mb([str(job)], dict(os.environ), script=DUCKDB_ALONE)[0]
        shutil.copyfile(path, copy)
        both = peak_mb([str(job)], dict(os.environ), script=BOTH)[0]
    finally:
        copy.unlink(missing_ok=True)
        job.unlink(missing_ok=True)
    return bare, imports, alone, both


def peak_mb(args: list[str], env: dict[str, str], script: str = CHILD) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one child process (segdsl's CLI by default); fails loudly on a
    non-zero exit."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script, *args], env=env, stdout=subprocess.DEVNULL,
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
            if engine == "duckdb":
                bare, imports, alone, both = floor(Path(folder) / "bench.duckdb", opts.n)
                print(f"FLOOR duckdb: interpreter {bare:.0f} MB, the send's imports {imports:.0f} MB, DuckDB alone "
                      f"running the send's statements {alone:.0f} MB; both in one process {both:.0f} MB before "
                      "segdsl does anything of its own (target <= 150 MB)")
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
