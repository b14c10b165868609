"""Scale: counts against hand-written SQL, and peak memory, at 1M-10M customers; writes bench/RESULTS.md and scale.png.

    python bench/bench_scale.py [--sizes 1000000,10000000] [--engines duckdb,postgres,spark]
        [--pg-size 1000000] [--spark-size 1000000] [--rules 78] [--runs 3] [--slow-runs 1] [--hand-runs 5] [--pairs 7]
        [--skip-export] [--skip-rss] [--rebuild] [--pg postgresql://postgres@127.0.0.1:5432/segdsl_scale]

Phases, each timed and reported:

1. **Data**, made inside the engine (bench/gen_sql.py, seed 1, now 2026-11-28T12:00:00Z):
   a DuckDB file per size under bench/.data/, then Parquet folders for Spark
   (bench/to_parquet.py) and a PostgreSQL database ``<--pg>_<size>`` loaded by COPY from
   the DuckDB file. Each is reused while its marker (generator version, size, seed, now,
   DuckDB version) matches; ``--rebuild`` makes them anew.
2. **Counts of the rule corpus** (examples/rules, or the first ``--rules``): per engine and
   size, the median of ``--runs`` (DuckDB) or ``--slow-runs`` (PostgreSQL, Spark)
   ``segdsl.count`` calls per rule on one open engine
   (``segdsl.connect``; Spark after one warm-up call per rule), DuckDB at every size with the
   growth from the smallest to the largest, PostgreSQL and Spark local[2] at their size.
   The counts of one size must agree across engines.
3. **Against hand-written SQL**: the six rules of bench/shapes.py (also used by
   bench/bench_sql.py), each with 2-4 hand-written shapes in the engine's native SQL run on
   the same open connection or Spark session through the engine's own client (duckdb,
   psycopg, ``SparkSession.sql``), taking turns with ``segdsl.count``; best of
   ``--hand-runs`` rounds, more (up to 5x) until the rounds took :data:`FILL_SECONDS`. These
   rounds choose the shape with the lowest median; then ``--pairs`` fresh pairs of segdsl and that
   shape alone (order swapped every pair, more until they took :data:`FILL_SECONDS`) give the
   ``paired`` ratio, the median of the pairs' ratios, which the target (<= 1.2x) is checked on.
   The ratio of bests is reported beside it. Both sides must return the same count.
4. **Peak RSS** (VmHWM, reported by the child as it exits, as bench/bench_broadcast.py
   does) of ``segdsl count``, ``segdsl export`` (``--skip-export`` leaves it out: slow at
   10M) and ``segdsl broadcasts send`` (to ``--send-rule``, with the store in a copy of
   the customers' database), on DuckDB at every size and on PostgreSQL at its size.

The chart needs matplotlib (``pip install 'segdsl[bench]'``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import segdsl  # noqa: E402
from bench import gen_sql  # noqa: E402
from bench.bench_broadcast import CHILD  # noqa: E402
from bench.shapes import CASES, NOW, D, load_average, timed  # noqa: E402
from bench.to_parquet import copy_tables  # noqa: E402
from segdsl.data.engines import Engine, connect  # noqa: E402

SEED = 1
DATA = ROOT / "bench" / ".data"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/segdsl_scale"
#: the rule of `segdsl count` and `segdsl broadcasts send` in the memory phase (~8 % of the customers)
SEND_RULE = 'channel whatsapp and tag is "vip"'
SPARK_MASTER = "local[2]"
LABEL = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "spark": f"Spark {SPARK_MASTER}"}


@dataclass(frozen=True)
class Against:
    """One rule on one engine against its hand-written shapes (times in seconds)."""

    engine: str
    size: int
    label: str
    count: int
    ours: float  # segdsl's best run in the shared rounds
    hand: float  # the best run of any shape
    shape: str  # the shape of that run
    medians: float  # segdsl's median / the least median of any shape
    cpu: float | None  # the same with this process's CPU time (DuckDB only)
    chosen: str  # the shape with the least median, timed again in pairs
    paired: float  # median of segdsl / chosen over the pairs: checked against the target
    pairs: int


@dataclass
class Report:
    """Everything measured, in the order it was measured."""

    phases: list[tuple[str, float]] = field(default_factory=list)
    rows: dict[int, dict[str, int]] = field(default_factory=dict)
    #: (engine, size) -> rule -> (median seconds, count)
    corpus: dict[tuple[str, int], dict[str, tuple[float, int]]] = field(default_factory=dict)
    hand: list[Against] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    #: (engine, size, command, seconds, MB or None, note)
    memory: list[tuple[str, int, str, float, float | None, str]] = field(default_factory=list)

    def phase(self, name: str, seconds: float) -> None:
        self.phases.append((name, seconds))
        print(f"[{time.strftime('%H:%M:%S')}] {name}: {seconds:.1f} s (load {load_average()})", flush=True)


def timer() -> Callable[[], float]:
    start = time.perf_counter()
    return lambda: time.perf_counter() - start


# ----------------------------------------------------------------------------- data


def duckdb_path(n: int) -> Path:
    return DATA / f"scale_{n}_s{SEED}.duckdb"


def pg_url(base: str, n: int) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"{parts.path}_{n}"))


def ensure_duckdb(n: int, rebuild: bool, report: Report) -> str:
    path = duckdb_path(n)
    url = f"duckdb:///{path}"
    if rebuild or gen_sql.stored_marker(url) != gen_sql.marker(n, SEED, NOW):
        DATA.mkdir(parents=True, exist_ok=True)
        took = timer()
        gen_sql.build_duckdb(path, n, SEED, NOW)
        report.phase(f"data: {n:,} customers generated in DuckDB (SQL)", took())
    else:
        print(f"reusing {path}")
    report.rows[n] = gen_sql.row_counts(url)
    return url


def ensure_parquet(n: int, rebuild: bool, report: Report) -> Path:
    warehouse = DATA / f"scale_{n}_s{SEED}_parquet"
    stamp = warehouse / "_marker.txt"
    want = gen_sql.marker(n, SEED, NOW)
    if rebuild or not stamp.exists() or stamp.read_text() != want:
        took = timer()
        stamp.unlink(missing_ok=True)
        copy_tables(str(duckdb_path(n)), warehouse)
        stamp.write_text(want)
        report.phase(f"data: {n:,} customers DuckDB -> Parquet", took())
    else:
        print(f"reusing {warehouse}")
    return warehouse


def ensure_postgres(base: str, n: int, rebuild: bool, report: Report) -> str:
    url = pg_url(base, n)
    if rebuild or gen_sql.stored_marker(url) != gen_sql.marker(n, SEED, NOW):
        took = timer()
        gen_sql.to_postgres(duckdb_path(n), url)
        report.phase(f"data: {n:,} customers DuckDB -> PostgreSQL (COPY)", took())
    else:
        print(f"reusing {url}")
    return url


# ----------------------------------------------------------------------------- counts


def corpus(limit: int | None) -> list[tuple[str, str]]:
    files = sorted((ROOT / "examples" / "rules").glob("*.seg"))[:limit]
    return [(p.stem, p.read_text(encoding="utf-8")) for p in files]


def native(engine: Engine) -> Callable[[str], int]:
    """Run hand-written SQL through the engine's own client, on the connection or session segdsl uses."""
    conn = engine.conn
    if engine.dialect == "spark":
        return lambda sql: int(conn.session.sql(sql).collect()[0][0])
    if engine.dialect == "postgres":
        def run_pg(sql: str) -> int:
            value = conn.execute(sql).fetchone()[0]
            conn.commit()
            return int(value)

        return run_pg
    return lambda sql: int(conn.execute(sql).fetchone()[0])


def count_corpus(engine: Engine, name: str, n: int, rules: list[tuple[str, str]], runs: int, report: Report) -> None:
    out: dict[str, tuple[float, int]] = {}
    for label, text in rules:
        if engine.dialect == "spark":
            segdsl.count(text, db=engine, now=NOW)  # the first run of a statement plans and compiles
        took, value = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            value = segdsl.count(text, db=engine, now=NOW)
            took.append(time.perf_counter() - start)
        out[label] = (statistics.median(took), value)
        print(f"  {LABEL[name]} {n:,} {label}: {out[label][0]:.3f} s, {value:,}", flush=True)
    report.corpus[(name, n)] = out


#: rounds against hand-written SQL go on past --hand-runs until they took this long (up to 5x the
#: rounds): a DuckDB count at 1M takes 10-40 ms, and the best of five such runs moved by 0.1-0.3x
#: between runs (bench/README.md, "Scale")
FILL_SECONDS = 2.0


def paired(ours: Callable[[], int], theirs: Callable[[], int], pairs: int, budget: float) -> tuple[float, int]:
    """(median of ours/theirs over fresh pairs of runs, pairs run).

    The pair's two runs follow each other, the order swapped every pair, so a slow spell of the
    machine slows both. Taking the shape chosen by the earlier rounds and timing it on new runs
    keeps the choice from favouring the shape whose best run was luckiest (the least of several
    noisy bests is biased low). Pairs go on past ``pairs`` until they took :data:`FILL_SECONDS`
    (up to 5x), and stop after three once they took ``budget`` seconds.
    """
    ratios: list[float] = []
    spent = 0.0
    for i in range(pairs * 5):
        if i >= pairs and spent >= FILL_SECONDS or i >= 3 and spent > budget:
            break
        took = {}
        order = [("ours", ours), ("theirs", theirs)]
        for key, runner in order if i % 2 == 0 else order[::-1]:
            start = time.perf_counter()
            runner()
            took[key] = time.perf_counter() - start
        spent += took["ours"] + took["theirs"]
        ratios.append(took["ours"] / took["theirs"])
    return statistics.median(ratios), len(ratios)


def against_hand(engine: Engine, name: str, n: int, runs: int, pairs: int, budget: float, report: Report) -> None:
    run = native(engine)
    d = D(name)
    for case in CASES:
        runners: dict[str, Callable[[], int]] = {
            "segdsl": lambda rule=case.rule: segdsl.count(rule, db=engine, now=NOW)
        }
        for shape, make in case.shapes.items():
            sql = make(d)
            runners[shape] = lambda sql=sql: run(sql)
        results = timed(runners, runs, budget, fill=FILL_SECONDS)
        ours = results.pop("segdsl")
        for shape, timing in results.items():
            if timing.count != ours.count:
                report.mismatches.append(f"{LABEL[name]} {n:,} {case.label} {shape}: segdsl {ours.count}, "
                                         f"hand-written {timing.count}")
        shape = min(results, key=lambda s: results[s].best)
        median = min(t.median for t in results.values())
        chosen = min(results, key=lambda s: results[s].median)
        pair = paired(runners["segdsl"], runners[chosen], pairs, budget)
        # DuckDB runs in this process: its CPU time (all threads) moves far less under load than wall time
        cpu = ours.cpu_median / min(t.cpu_median for t in results.values()) if name == "duckdb" else None
        report.hand.append(Against(name, n, case.label, ours.count, ours.best, results[shape].best, shape,
                                   ours.median / median, cpu, chosen, *pair))
        print(f"  {LABEL[name]} {n:,} {case.label}: segdsl {ours.best * 1000:.0f} ms, best hand "
              f"{results[shape].best * 1000:.0f} ms ({shape}) = {ours.best / results[shape].best:.2f}x; "
              f"paired with {chosen} {pair[0]:.2f}x ({pair[1]} pairs)", flush=True)


def measure_counts(name: str, url: str, n: int, rules: list[tuple[str, str]], args: argparse.Namespace,
                   report: Report) -> None:
    took = timer()
    engine = segdsl.connect(url)
    try:
        report.phase(f"{LABEL[name]} {n:,}: open (segdsl.connect)", took())
        took = timer()
        runs = args.runs if name == "duckdb" else args.slow_runs
        count_corpus(engine, name, n, rules, runs, report)
        report.phase(f"{LABEL[name]} {n:,}: {len(rules)} corpus rules x {runs} counts", took())
        took = timer()
        against_hand(engine, name, n, args.hand_runs, args.pairs, args.budget, report)
        report.phase(f"{LABEL[name]} {n:,}: {len(CASES)} rules against hand-written SQL", took())
    finally:
        engine.close()


# ----------------------------------------------------------------------------- memory


def child(args: list[str], env: dict[str, str]) -> tuple[float, float | None, str]:
    """(seconds, peak RSS in MB or None, error) of one ``segdsl`` process; its output is discarded."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    kib = [int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("VMHWM ")]
    error = "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]
    return seconds, (kib[0] / 1024 if kib else None), error


def store_copy(name: str, url: str, n: int) -> str:
    """A copy of the customers' database for the store of one send (the data stays as generated)."""
    if name == "duckdb":
        target = DATA / f"scale_{n}_send.duckdb"
        shutil.copyfile(duckdb_path(n), target)
        return f"duckdb:///{target}"
    target = f"{url}_send"
    source, copy = (urllib.parse.urlsplit(u).path.lstrip("/") for u in (url, target))
    with connect(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))) as admin:
        admin.conn.autocommit = True
        admin.query(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        admin.query(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    return target


def drop_copy(name: str, url: str) -> None:
    if name == "duckdb":
        path = Path(url.removeprefix("duckdb:///"))
        for leftover in (path, Path(f"{path}.wal")):
            leftover.unlink(missing_ok=True)
        return
    database = urllib.parse.urlsplit(url).path.lstrip("/")
    with connect(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))) as admin:
        admin.conn.autocommit = True
        admin.query(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def measure_memory(name: str, url: str, n: int, args: argparse.Namespace, report: Report) -> None:
    env = {**os.environ, "SEGDSL_DB": url}
    commands = [("count", ["count", "--now", NOW, args.send_rule], "")]
    if not args.skip_export:
        commands.append(("export", ["export"], ""))
    for command, argv, note in commands:
        seconds, mb, error = child(argv, env)
        report.memory.append((name, n, command, seconds, mb, error or note))
        report.phase(f"{LABEL[name]} {n:,}: segdsl {command} (peak RSS {mb or 0:.0f} MB)", seconds)
    took = timer()
    copy = store_copy(name, url, n)
    report.phase(f"{LABEL[name]} {n:,}: copy of the database for the store", took())
    try:
        env = {**os.environ, "SEGDSL_DB": copy}
        subprocess.run([sys.executable, "-m", "segdsl.cli", "segments", "create", args.send_rule, "--name", "scale"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        seconds, mb, error = child(["broadcasts", "send", "--segment", "scale", "--out", "-"], env)
        note = error
        if not error:
            from segdsl.store import Store

            with Store(copy) as store:
                (run,) = store.broadcast("Broadcast #1").runs
            note = f"{run.sent:,} recipients" + ("" if run.sent == run.planned else f" of {run.planned:,} planned")
        report.memory.append((name, n, "broadcasts send", seconds, mb, note))
        report.phase(f"{LABEL[name]} {n:,}: segdsl broadcasts send (peak RSS {mb or 0:.0f} MB, {note})", seconds)
    finally:
        drop_copy(name, copy)


# ----------------------------------------------------------------------------- the report


def _first_line(args: list[str]) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def machine(pg: str | None, spark: bool) -> list[str]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    mem = ""
    try:
        kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    import duckdb

    out = [f"- {cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}",
           f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, segdsl at "
           f"{_first_line(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'])}"]
    if pg:
        try:
            with connect(pg) as db:
                version = str(db.query("SELECT version()")[0][0]).split(" on ")[0]
                out.append(f"- {version} (same machine, default settings)")
        except Exception as exc:  # noqa: BLE001 - the report says so
            out.append(f"- PostgreSQL: {exc}")
    if spark:
        import pyspark

        out.append(f"- pyspark {pyspark.__version__} ({SPARK_MASTER}, default driver memory), "
                   f"{_first_line(['java', '-version'])}")
    return out


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def chart(report: Report, rules: int, path: Path) -> str:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "(no chart: matplotlib is not installed; pip install 'segdsl[bench]')"
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    colors = {"duckdb": "tab:orange", "postgres": "tab:blue", "spark": "tab:red"}
    for name in LABEL:
        points = sorted((n, sum(t for t, _ in times.values())) for (e, n), times in report.corpus.items() if e == name)
        if points:
            left.plot(*zip(*points, strict=True), marker="o", color=colors[name], label=LABEL[name])
        ours = sorted({a.size for a in report.hand if a.engine == name})
        if ours:
            seg = [sum(a.ours for a in report.hand if a.engine == name and a.size == n) for n in ours]
            hand = [sum(a.hand for a in report.hand if a.engine == name and a.size == n) for n in ours]
            right.plot(ours, seg, marker="o", color=colors[name], label=f"{LABEL[name]} segdsl")
            right.plot(ours, hand, marker="x", linestyle="--", color=colors[name], label=f"{LABEL[name]} hand-written")
    for ax, title in ((left, f"{rules} example rules (sum of medians)"),
                      (right, f"{len(CASES)} rules: segdsl vs best hand-written (sum of bests)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("customers")
        ax.set_ylabel("seconds")
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.margins(x=0.15)  # the points at the smallest and largest size stay off the frame
        # lower right: the 1M points of every engine sit on the left, some of them high up
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"![count time against customers per engine]({path.name})"


def write_report(report: Report, args: argparse.Namespace, command: str, rules: list[tuple[str, str]],
                 header: list[str], load_start: str) -> str:
    lines = ["# Scale results", "",
             f"Written by `{command}` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC "
             f"(load average {load_start} at the start, {load_average()} at the end; the machine is shared).", "",
             "Machine:", "", *header, "",
             f"Data: bench/gen_sql.py v{gen_sql.VERSION} (in-engine SQL, the shape and distributions of "
             f"`segdsl demo`), seed {SEED}, now {NOW}.", "",
             "| customers | " + " | ".join(next(iter(report.rows.values()))) + " |",
             "|---|" + "---|" * len(next(iter(report.rows.values())))]
    for n, counts in report.rows.items():
        lines.append(f"| {n:,} | " + " | ".join(f"{k:,}" for k in counts.values()) + " |")
    lines += ["", "## Phases (wall time)", "", "| phase | seconds |", "|---|---|"]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in report.phases]
    # --- corpus
    columns = list(report.corpus)
    duck_sizes = sorted(n for e, n in columns if e == "duckdb")
    growth = len(duck_sizes) > 1
    lines += ["", f"## Count time per rule (s): the {len(rules)} rules of examples/rules", "",
              f"Median of {args.runs} `segdsl.count` calls per rule on DuckDB, {args.slow_runs} on PostgreSQL "
              "and Spark (compile included), on one open engine"
              + ("; Spark after one warm-up call per rule" if any(e == "spark" for e, _ in columns) else "") + ".", "",
              "| rule | " + " | ".join(f"{LABEL[e]} {_size(n)}" for e, n in columns)
              + (f" | DuckDB {_size(duck_sizes[-1])} / {_size(duck_sizes[0])}" if growth else "") + " | count |",
              "|---|" + "---|" * (len(columns) + growth + 1)]
    disagree = []
    for label, _ in rules:
        cells = [f"{report.corpus[c][label][0]:.3f}" for c in columns]
        if growth:
            small, big = (report.corpus[("duckdb", s)][label][0] for s in (duck_sizes[0], duck_sizes[-1]))
            cells.append(f"{big / small:.1f}x")
        counts = {n: {report.corpus[c][label][1] for c in columns if c[1] == n} for n in {c[1] for c in columns}}
        disagree += [f"{label} at {n:,}: {sorted(v)}" for n, v in counts.items() if len(v) > 1]
        shown = ", ".join(f"{next(iter(v)):,}" for _n, v in sorted(counts.items()))
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {shown} |")
    totals = [sum(t for t, _ in report.corpus[c].values()) for c in columns]
    total_growth = ""
    if growth:
        small, big = (sum(t for t, _ in report.corpus[("duckdb", s)].values()) for s in (duck_sizes[0], duck_sizes[-1]))
        total_growth = f" | **{big / small:.1f}x**"
    lines.append("| **total** | " + " | ".join(f"**{t:.2f}**" for t in totals) + total_growth + " | |")
    if growth:
        ratios = sorted(report.corpus[("duckdb", duck_sizes[-1])][label][0]
                        / report.corpus[("duckdb", duck_sizes[0])][label][0] for label, _ in rules)
        lines += ["", f"DuckDB from {duck_sizes[0]:,} to {duck_sizes[-1]:,} customers "
                  f"({duck_sizes[-1] / duck_sizes[0]:.0f}x): the corpus takes **{big / small:.1f}x** as long "
                  f"(per rule {ratios[0]:.1f}x-{ratios[-1]:.1f}x, median {statistics.median(ratios):.1f}x)."]
    report.mismatches += [f"corpus {line}" for line in disagree]
    lines += ["", "Counts: " + ("the same on every engine at each size." if not disagree
                                else "**differ between engines**: " + "; ".join(disagree))]
    # --- hand-written
    lines += ["", "## segdsl against the best hand-written SQL", "",
              "The six rules of bench/shapes.py (shared with bench/bench_sql.py), each in 2-4 hand-written shapes "
              "with the engine's native functions, run through the engine's own client on the same connection "
              "(Spark: the same session), taking turns with `segdsl.count` (compile included); best of "
              f"{args.hand_runs} rounds, more (up to {args.hand_runs * 5}) until the rounds took {FILL_SECONDS:g} s "
              f"(at least 3 when a rule takes more than {args.budget:.0f} s a round). "
              "Ratio = segdsl / best hand-written, by best runs; \"medians\" is the ratio of the medians; "
              "\"CPU\" the ratio of the medians of this process's CPU time (DuckDB only, which runs in the "
              "process: steadier under load than wall time). Then the shape with the least median is timed "
              f"again with segdsl in fresh pairs ({args.pairs}, more until they took {FILL_SECONDS:g} s; order "
              "swapped every pair): **paired** is the median of the pairs' ratios, and the target (<= 1.2x) "
              "is checked on it. The least of several noisy bests is biased low, so fresh runs of the chosen "
              "shape keep the comparison fair to both sides.", "",
              "| engine | customers | rule | count | segdsl ms | best hand-written ms (shape) | ratio | medians "
              "| CPU | paired (shape, pairs) |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    ratio_lines = []
    for a in report.hand:
        ratio = a.ours / a.hand
        cpu_text = f"{a.cpu:.2f}x" if a.cpu is not None else "—"
        lines.append(f"| {LABEL[a.engine]} | {a.size:,} | {a.label} | {a.count:,} | {a.ours * 1000:.0f} "
                     f"| {a.hand * 1000:.0f} ({a.shape}) | {ratio:.2f}x | {a.medians:.2f}x | {cpu_text} "
                     f"| **{a.paired:.2f}x** ({a.chosen}, {a.pairs}) |")
        ratio_lines.append(f"RATIO {LABEL[a.engine]:16s} {_size(a.size):>4s} {a.label:16s} paired with {a.chosen:6s} "
                           f"{a.paired:5.2f}x over {a.pairs:2d} pairs "
                           + ("OK" if a.paired <= 1.2 else "ABOVE TARGET")
                           + f"; bests {a.ours * 1000:.1f} / {a.hand * 1000:.1f} ms ({a.shape}) = {ratio:4.2f}x; "
                           f"medians {a.medians:4.2f}x" + (f"; CPU medians {a.cpu:4.2f}x" if a.cpu is not None else ""))
    if report.mismatches:
        lines += ["", "**Count mismatches** (the baseline is not valid where listed): " + "; ".join(report.mismatches)]
    lines += ["", "```", *ratio_lines, "```"]
    # --- memory
    if report.memory:
        lines += ["", "## Peak memory of the commands", "",
                  "VmHWM of each `segdsl` process, reported by the process itself as it exits "
                  f"(as bench/bench_broadcast.py does). `count` and `broadcasts send` use `{args.send_rule}`; "
                  "`export` writes every customer as JSON lines (to /dev/null); `broadcasts send` prints the "
                  "recipients (to /dev/null) with the store in a copy of the customers' database.", "",
                  "| engine | customers | command | seconds | peak RSS (MB) | note |", "|---|---|---|---|---|---|"]
        for name, n, command, seconds, mb, note in report.memory:
            shown = f"{mb:.0f}" if mb is not None else "—"
            lines.append(f"| {LABEL[name]} | {n:,} | `segdsl {command}` | {seconds:.1f} | {shown} | {note} |")
    if args.skip_export:
        lines += ["", "`segdsl export` was not measured in this run (`--skip-export`)."]
    lines += ["", chart(report, len(rules), args.out.with_name("scale.png"))]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="customers, DuckDB (comma-separated)")
    parser.add_argument("--engines", default="duckdb,postgres,spark")
    parser.add_argument("--pg-size", type=int, help="customers on PostgreSQL (default: the smallest size)")
    parser.add_argument("--spark-size", type=int, help="customers on Spark (default: the smallest size)")
    parser.add_argument("--rules", type=int, help="the first N example rules (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="counts per corpus rule on DuckDB (median kept)")
    parser.add_argument("--slow-runs", type=int, default=1,
                        help="counts per corpus rule on PostgreSQL and Spark (median kept; Spark after a warm-up)")
    parser.add_argument("--hand-runs", type=int, default=5, help="rounds against hand-written SQL (best kept)")
    parser.add_argument("--pairs", type=int, default=7,
                        help="fresh pairs of segdsl and the chosen hand-written shape (median ratio kept)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per rule before fewer rounds against hand-written SQL (at least three)")
    parser.add_argument("--send-rule", default=SEND_RULE)
    parser.add_argument("--skip-export", action="store_true", help="do not measure `segdsl export` (slow at 10M)")
    parser.add_argument("--skip-rss", action="store_true", help="no memory phase")
    parser.add_argument("--rebuild", action="store_true", help="generate the data again even when it is there")
    parser.add_argument("--pg", default=os.environ.get("SEGDSL_BENCH_SCALE_PG", PG_DEFAULT),
                        help="PostgreSQL URL; the database used is <name>_<size>")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md",
                        help="the report (the chart goes beside it, as scale.png)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    pg_size = args.pg_size or sizes[0]
    spark_size = args.spark_size or sizes[0]
    rules = corpus(args.rules)
    command = "python bench/bench_scale.py " + " ".join(sys.argv[1:])
    load_start = load_average()
    print(f"{command}\nload average {load_start}", flush=True)
    report = Report()
    total = timer()

    wanted = sorted(set(sizes) | ({pg_size} if "postgres" in engines else set())
                    | ({spark_size} if "spark" in engines else set()))
    urls = {n: ensure_duckdb(n, args.rebuild, report) for n in wanted}
    targets: list[tuple[str, int, str]] = []
    if "duckdb" in engines:
        targets += [("duckdb", n, urls[n]) for n in sizes]
    if "postgres" in engines:
        targets.append(("postgres", pg_size, ensure_postgres(args.pg, pg_size, args.rebuild, report)))
    if "spark" in engines:  # last: the JVM stays up once started
        warehouse = ensure_parquet(spark_size, args.rebuild, report)
        targets.append(("spark", spark_size, f"spark://{SPARK_MASTER}?warehouse={warehouse}"))
    header = machine(pg_url(args.pg, pg_size) if "postgres" in engines else None, "spark" in engines)
    for name, n, url in targets:
        measure_counts(name, url, n, rules, args, report)
        if name != "spark" and not args.skip_rss:
            measure_memory(name, url, n, args, report)
    report.phase("total", total())
    text = write_report(report, args, command, rules, header, load_start)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    if report.mismatches:
        sys.exit("COUNT MISMATCH: " + "; ".join(report.mismatches))


if __name__ == "__main__":
    main()
