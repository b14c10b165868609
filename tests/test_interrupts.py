"""Interrupts, kills and time limits with real processes (issue 12, items 1, 2 and 6).

* ``segdsl count`` on a query that would run for hours: ``--timeout`` cancels
  it on the server (exit 1); SIGINT / SIGTERM exit 130 / 143 with
  ``interrupted`` and cancel it on the server; SIGKILL leaves no query running
  on PostgreSQL (``client_connection_check_interval``).
* ``segdsl demo`` interrupted or killed half-way through its load leaves the
  old data whole (SQLite: ``PRAGMA integrity_check`` is ok), and exits 130 on
  SIGINT; nothing keeps running on the server.

The endless query: the customers role is mapped (``--schema``) onto a view
over a series of 10^12 rows, so the time goes into the engine's scan, where
cancellation must reach it, whatever SQL segdsl writes for the rule.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

import segdsl
from segdsl.data import demo
from segdsl.data.engines import EngineError, QueryTimeout, connect
from segdsl.data.records import create_schema
from segdsl.families.settings import Settings
from tests.engines import MYSQL_URL, PG_URL, backend_params, skip_or_fail

RULE = "channel sms and name is unknown"
SLOW_TOML = '[schema.customers]\ntable = "slow_customers"\n'
SLOW_SETTINGS = Settings.from_toml_text(SLOW_TOML)
ROWS = 10**12
SLOW_VIEW = {
    "sqlite": f"CREATE VIEW slow_customers AS WITH RECURSIVE r(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM r "
    f"WHERE id < {ROWS}) SELECT id, NULL AS name, NULL AS email, NULL AS phone, NULL AS gender, "
    "NULL AS created_at FROM r",
    "duckdb": f"CREATE VIEW slow_customers AS SELECT range AS id, NULL::VARCHAR AS name, NULL::VARCHAR AS email, "
    f"NULL::VARCHAR AS phone, NULL::VARCHAR AS gender, NULL::TIMESTAMP AS created_at FROM range({ROWS})",
    "postgres": "CREATE VIEW slow_customers AS SELECT id::bigint AS id, NULL::text AS name, NULL::text AS email, "
    "NULL::text AS phone, NULL::text AS gender, NULL::timestamp AS created_at "
    f"FROM generate_series(1, {ROWS}) AS id",
    # MariaDB's SEQUENCE engine (recursive CTEs stop at max_recursive_iterations)
    "mysql": "CREATE VIEW slow_customers AS SELECT seq + 0 AS id, NULL AS name, NULL AS email, NULL AS phone, "
    f"NULL AS gender, NULL AS created_at FROM seq_1_to_{ROWS}",
}


def _with_db(url: str, database: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + database))


@contextlib.contextmanager
def _place(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of its own on ``backend``, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'int.db'}"
        return
    if backend == "duckdb":
        yield f"duckdb:///{tmp_path / 'int.duckdb'}"
        return
    name = f"segdsl_test_int_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = PG_URL if backend == "postgres" else MYSQL_URL
    try:
        admin = connect(admin_url)
    except EngineError as err:
        skip_or_fail(f"{backend} is unreachable: {err}")
        raise
    try:
        if backend == "postgres":
            admin.conn.autocommit = True
            admin.query(f'CREATE DATABASE "{name}"')
        else:
            admin.query(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        yield _with_db(admin_url, name)
    finally:
        with contextlib.suppress(EngineError):
            if backend == "postgres":
                admin.query(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                admin.query(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


def _slow(url: str, backend: str) -> None:
    with connect(url, create=True) as db:
        create_schema(db)
        db.query(SLOW_VIEW[backend])
        # one channel row at the far end: no engine can answer from an empty side of the join
        db.query(f"INSERT INTO customer_channels (customer_id, channel) VALUES ({ROWS}, 'sms')")


def _default_sigint() -> None:
    """In the child before exec: SIGINT as a terminal's foreground process has it. A shell that
    starts pytest in the background (``pytest &``, nohup) makes its children ignore SIGINT, and
    Python keeps an ignored SIGINT ignored: the Ctrl-C tests would then test the shell."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "segdsl.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)


def _running_queries(url: str, backend: str) -> list[str]:
    """The statements other connections are running in the database of ``url``."""
    with connect(url) as db:
        if backend == "postgres":
            rows = db.query("SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid() AND state = 'active'")
        else:
            rows = db.query("SELECT info FROM information_schema.PROCESSLIST WHERE db = DATABASE() "
                            "AND id <> CONNECTION_ID() AND command = 'Query'")
    return [str(r[0]) for r in rows]


def _threads(pid: int) -> int:
    """How many threads the process has (Linux /proc)."""
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except FileNotFoundError:
        return 0


def _until(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


# --------------------------------------------------------------------------- count


@pytest.mark.parametrize("backend", backend_params())
def test_timeout_cancels_the_query(backend: str, tmp_path: Path) -> None:
    """Before: no time limit at all; a runaway query ran until the server gave up."""
    with _place(backend, tmp_path) as url:
        _slow(url, backend)
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="longer than 1 s"):
            segdsl.count(RULE, db=url, settings=SLOW_SETTINGS, timeout=1)
        assert time.monotonic() - start < 8
        if backend in ("postgres", "mysql"):
            assert _until(lambda: not _running_queries(url, backend), 5)
        # the CLI: exit 1, one line
        res = subprocess.run([sys.executable, "-m", "segdsl.cli", "count", RULE, "--db", url, "--timeout", "1",
                              "--schema", str(_toml(tmp_path))], capture_output=True, text=True, timeout=60)
        assert res.returncode == 1, res.stderr
        assert res.stderr.startswith("error: ") and "--timeout" in res.stderr and res.stderr.count("\n") == 1


def _toml(tmp_path: Path) -> Path:
    path = tmp_path / "slow.toml"
    path.write_text(SLOW_TOML, encoding="utf-8")
    return path


COUNT_CASES = [
    pytest.param(backend, sig, id=f"{backend}-{sig.name}", marks=pytest.mark.engine)
    for backend, sig in [("sqlite", signal.SIGINT), ("sqlite", signal.SIGTERM), ("duckdb", signal.SIGINT),
                         ("postgres", signal.SIGINT), ("postgres", signal.SIGTERM), ("mysql", signal.SIGINT)]
]


@pytest.mark.parametrize(("backend", "sig"), COUNT_CASES)
def test_interrupted_count_exits_130_and_cancels(backend: str, sig: signal.Signals, tmp_path: Path) -> None:
    """Before: Ctrl-C on SQLite gave exit 1 "user-defined function raised exception"; on the
    servers the query went on running."""
    with _place(backend, tmp_path) as url:
        _slow(url, backend)
        proc = _cli("count", RULE, "--db", url, "--schema", str(_toml(tmp_path)))
        try:
            if backend in ("postgres", "mysql"):
                assert _until(lambda: bool(_running_queries(url, backend)), 30), "the query never started"
            else:  # the query runs in a worker thread (DuckDB starts threads of its own once connected)
                assert _until(lambda: _threads(proc.pid) > 1, 30), "the query never started"
                time.sleep(0.5)
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert (proc.returncode, out, err) == (130 if sig == signal.SIGINT else 143, "", "interrupted\n")
        if backend in ("postgres", "mysql"):
            assert _until(lambda: not _running_queries(url, backend), 5), _running_queries(url, backend)


@pytest.mark.engine
def test_killed_count_leaves_no_query_on_postgres(tmp_path: Path) -> None:
    """Before: a client killed with SIGKILL left its query running on the server."""
    with _place("postgres", tmp_path) as url:
        _slow(url, "postgres")
        proc = _cli("count", RULE, "--db", url, "--schema", str(_toml(tmp_path)))
        try:
            assert _until(lambda: bool(_running_queries(url, "postgres")), 20), "the query never started"
        finally:
            proc.kill()
            proc.communicate()
        assert _until(lambda: not _running_queries(url, "postgres"), 8), _running_queries(url, "postgres")


# --------------------------------------------------------------------------- demo

OLD_N, NEW_N = 300, 140_000  # below PARALLEL_FROM: no worker processes to wait for


def _loading(url: str, backend: str, tmp_path: Path) -> bool:
    if backend == "sqlite":  # the rollback journal exists while the transaction writes
        return (tmp_path / "int.db-journal").exists()
    return any(q.lstrip().upper().startswith("COPY") for q in _running_queries(url, backend))


def _check_old_data(url: str, backend: str) -> None:
    with connect(url) as db:
        if backend == "sqlite":
            assert db.query("PRAGMA integrity_check") == [("ok",)]
        assert db.query("SELECT COUNT(*), MAX(id) FROM customers") == [(OLD_N, OLD_N)]
        tables = ("customer_channels", "customer_tags", "customer_fields", "interactions", "carts")
        got = {t: db.query(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}
    expected = {t: len(rows) for t, rows in _old_rows().items()}
    assert got == expected


def _old_rows() -> dict[str, list[object]]:
    from segdsl.data.records import record_rows

    rows = record_rows(demo.generate(OLD_N, 0, "2026-11-28T12:00:00Z"))
    names = {"channels": "customer_channels", "tags": "customer_tags", "fields": "customer_fields",
             "interactions": "interactions", "carts": "carts"}
    return {names[role]: r for role, r in rows.items() if role in names}


DEMO_CASES = [
    pytest.param(backend, sig, id=f"{backend}-{sig.name}", marks=pytest.mark.engine)
    for backend, sig in [("sqlite", signal.SIGINT), ("sqlite", signal.SIGTERM), ("sqlite", signal.SIGKILL),
                         ("postgres", signal.SIGINT), ("postgres", signal.SIGKILL)]
]


@pytest.mark.parametrize(("backend", "sig"), DEMO_CASES)
def test_demo_interrupted_or_killed_keeps_the_old_data(backend: str, sig: signal.Signals, tmp_path: Path) -> None:
    """Before: on SQLite an interrupt corrupted the file (journal_mode=OFF), on PostgreSQL each chunk
    was committed, so the old data was gone and a partial load remained."""
    with _place(backend, tmp_path) as url:
        demo.populate(url, n=OLD_N, seed=0, now="2026-11-28T12:00:00Z")
        proc = _cli("demo", "-n", str(NEW_N), "--seed", "5", "--db", url, "-q")
        try:
            assert _until(lambda: _loading(url, backend, tmp_path), 60), "the load never started"
            time.sleep(0.3)
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        if sig == signal.SIGKILL:
            assert proc.returncode == -signal.SIGKILL
        else:
            assert (proc.returncode, err) == (130 if sig == signal.SIGINT else 143, "interrupted\n"), err
        if backend == "postgres":
            assert _until(lambda: not _running_queries(url, backend), 8), _running_queries(url, backend)
        _check_old_data(url, backend)
        # the database is still usable: a new demo runs through
        res = subprocess.run([sys.executable, "-m", "segdsl.cli", "demo", "-n", "50", "--db", url, "-q"],
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert segdsl.count("channel whatsapp", db=url) > 0
