"""Scale: count times and peak memory at 1M (and 10M) customers; writes bench/RESULTS.md and bench/scale.png.

    python bench/bench_scale.py [--sizes 1000000,10000000] [--spark] [--rules 12]

Per size, demo data (seed 1, now 2026-11-28T12:00:00Z) goes into a DuckDB file
under bench/.data/ (made once, reused); with ``--spark`` the smallest size is
copied to Parquet (bench/to_parquet.py) and counted on Spark local[2].

Measured, in this run:
* the median of three ``segdsl.count`` calls per example rule (examples/rules),
  on one open engine (Spark: after one warm-up call per rule);
* the growth of the DuckDB count time from the smallest to the largest size;
* peak RSS (VmHWM) of the ``segdsl count`` and ``segdsl export`` commands, as
  a user runs them (``/usr/bin/time -f %M``).

The chart needs matplotlib (``pip install 'segdsl[bench]'``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import segdsl  # noqa: E402
from bench.to_parquet import copy_tables  # noqa: E402

NOW = "2026-11-28T12:00:00Z"
SEED = 1
DATA = ROOT / "bench" / ".data"
RULE = 'channel whatsapp and tag is "vip" and last interaction within 30 days'


def duckdb_file(n: int) -> Path:
    path = DATA / f"scale_{n}_s{SEED}.duckdb"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "segdsl.cli", "demo", "-q", "-n", str(n), "--seed", str(SEED),
                        "--now", NOW, "--db", f"duckdb:///{path}"], check=True, stdout=subprocess.DEVNULL)
        print(f"demo {n:,} into DuckDB: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


def rules(limit: int) -> list[tuple[str, str]]:
    files = sorted((ROOT / "examples" / "rules").glob("*.seg"))[:limit]
    return [(p.stem, p.read_text(encoding="utf-8")) for p in files]


def count_times(url: str, texts: list[tuple[str, str]], warm: bool) -> dict[str, float]:
    engine = segdsl.connect(url)
    out = {}
    try:
        for name, text in texts:
            if warm:
                segdsl.count(text, db=engine, now=NOW)
            took = []
            for _ in range(3):
                start = time.perf_counter()
                segdsl.count(text, db=engine, now=NOW)
                took.append(time.perf_counter() - start)
            out[name] = statistics.median(took)
    finally:
        engine.close()
    return out


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one segdsl command."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "segdsl.cli", *args],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, int(done.stderr.strip().splitlines()[-1]) / 1024


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.processor() or platform.machine()}, {cpus} cores{mem}, load {load:.1f} at start; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--rules", type=int, default=12, help="the first N example rules")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    texts = rules(args.rules)
    lines = ["# Scale results", "", f"Machine: {machine()}.", "",
             f"Command: `python bench/bench_scale.py --sizes {args.sizes}{' --spark' if args.spark else ''} "
             f"--rules {args.rules}`; demo data seed {SEED}, now {NOW}; medians of three counts per rule.", ""]
    series: dict[str, dict[int, float]] = {}
    per_rule: dict[str, dict[str, float]] = {}
    memory = []
    for n in sizes:
        path = duckdb_file(n)
        url = f"duckdb:///{path}"
        times = count_times(url, texts, warm=False)
        per_rule[f"DuckDB {n:,}"] = times
        series.setdefault("DuckDB", {})[n] = sum(times.values())
        for command in (["count", "--db", url, "--now", NOW, RULE], ["export", "--db", url, "--out", os.devnull]):
            seconds, mb = peak_rss_mb(command)
            memory.append((n, command[0], seconds, mb))
        print(f"{n:,}: done", file=sys.stderr)
    if args.spark:
        n = sizes[0]
        warehouse = DATA / f"scale_{n}_s{SEED}_parquet"
        copy_tables(str(duckdb_file(n)), warehouse)
        times = count_times(f"spark://local[2]?warehouse={warehouse}", texts, warm=True)
        per_rule[f"Spark local[2] {n:,}"] = times
        series.setdefault("Spark local[2]", {})[n] = sum(times.values())
    lines += ["## Count time per rule (s)", "", "| rule | " + " | ".join(per_rule) + " |",
              "|---|" + "---|" * len(per_rule)]
    for name, _ in texts:
        lines.append(f"| {name} | " + " | ".join(f"{t[name]:.3f}" for t in per_rule.values()) + " |")
    lines.append("| **total** | " + " | ".join(f"**{sum(t.values()):.2f}**" for t in per_rule.values()) + " |")
    if len(sizes) > 1:
        duck = series["DuckDB"]
        growth = duck[sizes[-1]] / duck[sizes[0]]
        lines += ["", f"DuckDB growth from {sizes[0]:,} to {sizes[-1]:,} customers: **{growth:.1f}x** "
                  f"for {sizes[-1] / sizes[0]:.0f}x the customers."]
    lines += ["", "## Peak memory of the commands", "", "| customers | command | seconds | peak RSS (MB) |",
              "|---|---|---|---|"]
    lines += [f"| {n:,} | `segdsl {cmd}` (DuckDB) | {s:.1f} | {mb:.0f} |" for n, cmd, s, mb in memory]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        for engine, points in series.items():
            xs = sorted(points)
            ax.plot(xs, [points[x] for x in xs], marker="o", label=engine)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("customers")
        ax.set_ylabel(f"seconds for {len(texts)} example rules (medians)")
        ax.legend()
        fig.tight_layout()
        fig.savefig(ROOT / "bench" / "scale.png", dpi=110)
        lines += ["", "![count time against customers](scale.png)"]
    except ImportError:
        lines += ["", "(no chart: matplotlib is not installed; pip install 'segdsl[bench]')"]
    lines += ["", "Not measured by this script yet: PostgreSQL at 1M, each engine's best hand-written SQL as a "
              "baseline (bench/bench_sql.py has it for SQLite, DuckDB and PostgreSQL at 200k), demo data generated "
              "inside DuckDB with SQL (the data here comes from `segdsl demo`), `broadcasts send`."]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
