"""Bulk loaders for demo data, one per engine, and the worker processes that make the chunks.

Each engine gets its bulk path: DuckDB ``COPY`` from tab-separated files,
PostgreSQL ``COPY FROM STDIN``, SQLite ``executemany`` (all three inside
:func:`segdsl.data.demo.populate`'s transaction), MySQL/MariaDB multi-row
INSERTs into staging tables. From
:data:`PARALLEL_FROM` customers on, DuckDB and PostgreSQL get their chunks
from worker processes (``python -m segdsl.data.bulk --worker``), one per CPU,
while the database loads the previous ones. Workers make the rows of the
installed families' roles (the process registry).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping

from segdsl.data import demogen
from segdsl.data.demogen import BLOCK, Lines
from segdsl.data.engines import Engine
from segdsl.data.records import column_list, insert_sql, quoted_table
from segdsl.families.settings import Settings
from segdsl.families.spec import Role

CHUNK_BLOCKS = 10  # blocks per bulk-load chunk (50,000 customers)
PARALLEL_FROM = 3 * CHUNK_BLOCKS * BLOCK  # below this many customers, generate in process

#: called with the rows loaded per role after each chunk
Done = Callable[[dict[str, int]], None]


def _roles(settings: Settings) -> dict[str, Role]:
    return {name: mapping.role for name, mapping in settings.schema.items()}


def chunk_count(n: int, per_chunk: int) -> int:
    return (n + per_chunk * BLOCK - 1) // (per_chunk * BLOCK)


def chunk_lines(roles: Mapping[str, Role], n: int, seed: int, now_s: int, index: int, per_chunk: int) -> Lines:
    """The lines of chunk ``index`` (``per_chunk`` blocks)."""
    return demogen.merged(demogen.lines(roles, n, seed, now_s, index * per_chunk, per_chunk))


def _chunks(roles: Mapping[str, Role], n: int, seed: int, now_s: int, per_chunk: int) -> Iterator[Lines]:
    for index in range(chunk_count(n, per_chunk)):
        yield chunk_lines(roles, n, seed, now_s, index, per_chunk)


def _write_chunk(chunk: Lines, folder: str, index: int) -> dict[str, tuple[str, int]]:
    """Write one chunk as a tab-separated file per role; (path, rows) per role."""
    out = {}
    for role, lines in chunk.items():
        path = os.path.join(folder, f"{index}-{role}.tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            if lines:
                fh.write("\n".join(lines))
                fh.write("\n")
        out[role] = (path, len(lines))
    return out


def chunk_files(
    roles: Mapping[str, Role], n: int, seed: int, now_s: int, folder: str, workers: int, per_chunk: int
) -> Iterator[dict[str, tuple[str, int]]]:
    """The chunks' files, in order; made by ``workers`` worker processes (or in process when 0).

    Each worker makes every ``workers``-th chunk and stays at most two chunks
    ahead of the consumer, so the disk holds only a few chunks at a time.
    """
    chunks = chunk_count(n, per_chunk)
    if workers <= 0:
        for index in range(chunks):
            yield _write_chunk(chunk_lines(roles, n, seed, now_s, index, per_chunk), folder, index)
        return
    names = list(roles)
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "segdsl.data.bulk", "--worker", str(n), str(seed), str(now_s), folder, str(w),
             str(workers), str(per_chunk), ",".join(names)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for w in range(workers)
    ]
    try:
        for index in range(chunks):
            proc = procs[index % workers]
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                proc.wait()
                error = (proc.stderr.read() if proc.stderr else "").strip().splitlines()  # type: ignore[union-attr]
                raise RuntimeError(f"demo data worker failed: {error[-1] if error else f'exit {proc.returncode}'}")
            got, *counts = line.split()
            assert int(got) == index, (got, index)
            yield {
                role: (os.path.join(folder, f"{index}-{role}.tsv"), int(k))
                for role, k in zip(names, counts, strict=True)
            }
            with contextlib.suppress(BrokenPipeError):  # the worker may have finished its share
                proc.stdin.write("go\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
    finally:
        for proc in procs:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # type: ignore[union-attr]
            if proc.poll() is None:
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def _worker_main(argv: list[str]) -> None:
    """``python -m segdsl.data.bulk --worker N SEED NOW FOLDER FIRST STEP PER_CHUNK ROLES``:
    chunks FIRST, FIRST+STEP, ... of the installed families' ROLES (comma-separated)."""
    from segdsl.families.registry import registry

    n, seed, now_s = int(argv[0]), int(argv[1]), int(argv[2])
    folder, first, step, per_chunk = argv[3], int(argv[4]), int(argv[5]), int(argv[6])
    installed = registry().roles
    missing = [name for name in argv[7].split(",") if name not in installed]
    if missing:
        sys.exit(f"no installed family declares the role `{missing[0]}`")
    roles = {name: installed[name] for name in argv[7].split(",")}
    granted = 0
    for made, index in enumerate(range(first, chunk_count(n, per_chunk), step)):
        while made - granted >= 2:
            if not sys.stdin.readline():
                return  # the consumer has gone
            granted += 1
        files = _write_chunk(chunk_lines(roles, n, seed, now_s, index, per_chunk), folder, index)
        sys.stdout.write(f"{index} {' '.join(str(files[role][1]) for role in roles)}\n")
        sys.stdout.flush()


def workers_for(n: int) -> int:
    if n < PARALLEL_FROM:
        return 0
    return max(1, min(os.cpu_count() or 1, 4))


def load_duckdb(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, done: Done) -> None:
    # Worker processes write tab-separated chunks; DuckDB COPYs each (in parallel with the next ones being made).
    roles = _roles(settings)
    copies = {
        role: f"COPY {quoted_table(engine, settings, role)} ({column_list(engine, settings, role)}) FROM '{{path}}' "
        "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '', NULLSTR '\\N', AUTO_DETECT false)"
        for role in roles
    }
    folder = tempfile.mkdtemp(prefix="segdsl-demo-")
    try:
        for files in chunk_files(roles, n, seed, now_s, folder, workers_for(n), CHUNK_BLOCKS):
            for role, (path, k) in files.items():
                if k:
                    engine.query(copies[role].format(path=path.replace("'", "''")))
                os.remove(path)
            done({role: k for role, (_p, k) in files.items()})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_postgres(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, done: Done) -> None:
    # COPY FROM STDIN in the text format; the server parses while the next chunk is made.
    roles = _roles(settings)
    conn = engine.conn
    statements = {
        role: f"COPY {quoted_table(engine, settings, role)} ({column_list(engine, settings, role)}) FROM STDIN"
        for role in roles
    }
    folder = tempfile.mkdtemp(prefix="segdsl-demo-")
    try:  # inside populate()'s transaction: nothing is committed here
        with conn.cursor() as cur:
            for files in chunk_files(roles, n, seed, now_s, folder, workers_for(n), CHUNK_BLOCKS):
                for role, (path, k) in files.items():
                    if k:
                        with cur.copy(statements[role]) as copy, open(path, "rb") as fh:
                            while data := fh.read(1 << 20):
                                copy.write(data)
                    os.remove(path)
                done({role: k for role, (_p, k) in files.items()})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_sqlite(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, done: Done) -> None:
    # Inside populate()'s transaction, with SQLite's rollback journal on: an interrupted
    # load rolls back (https://sqlite.org/atomiccommit.html); journal_mode=OFF would not.
    roles = _roles(settings)
    conn = engine.conn
    statements = {role: insert_sql(engine, settings, role) for role in roles}
    for chunk in _chunks(roles, n, seed, now_s, per_chunk=4):
        counts = {}
        for role, rows in demogen.tuple_rows(roles, chunk).items():
            conn.executemany(statements[role], rows)
            counts[role] = len(rows)
        done(counts)


def load_mysql(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, done: Done) -> None:
    # PyMySQL turns executemany of INSERT ... VALUES into multi-row INSERTs. The tables are
    # populate()'s staging tables, so committing chunk by chunk exposes nothing half-made.
    roles = _roles(settings)
    conn = engine.conn
    statements = {role: insert_sql(engine, settings, role) for role in roles}
    try:
        with conn.cursor() as cur:
            for chunk in _chunks(roles, n, seed, now_s, per_chunk=2):
                counts = {}
                for role, rows in demogen.tuple_rows(roles, chunk).items():
                    if rows:
                        cur.executemany(statements[role], rows)
                    counts[role] = len(rows)
                conn.commit()
                done(counts)
    except Exception:
        conn.rollback()
        raise


LOADERS = {"duckdb": load_duckdb, "postgres": load_postgres, "sqlite": load_sqlite, "mysql": load_mysql}


if __name__ == "__main__":  # pragma: no cover - run by chunk_files() in worker processes
    if sys.argv[1:2] == ["--worker"]:
        _worker_main(sys.argv[2:])
    else:
        sys.exit("usage: python -m segdsl.data.bulk --worker N SEED NOW FOLDER FIRST STEP PER_CHUNK ROLES"
                 " (used by segdsl.data.demo.populate())")
