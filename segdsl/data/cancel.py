"""Run one statement with a time limit, and cancel it on the server when interrupted.

The time limit is each engine's own mechanism where it has one:
PostgreSQL ``statement_timeout``, MariaDB ``max_statement_time`` (MySQL 8:
``max_execution_time``, SELECTs only); SQLite and DuckDB have none, so their
connection's ``interrupt()`` is called at the deadline.

On Ctrl-C (``KeyboardInterrupt``, or SIGTERM as the CLI turns it into one)
the statement is cancelled where it runs: ``interrupt()`` on SQLite and
DuckDB, a cancel request on PostgreSQL (``psycopg.Connection.cancel``), and
``KILL QUERY`` from a second connection on MySQL/MariaDB. Then the
``KeyboardInterrupt`` goes on to the caller. A client killed outright
(SIGKILL) cannot cancel anything: there the server's own limit ends the
query, and PostgreSQL 14+ notices the lost client within two seconds
(``client_connection_check_interval``, set in :func:`segdsl.data.engines.connect`).

The statement runs in a worker thread so that the main thread, which is where
Python delivers signals, stays free to react to them.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Any

from segdsl.data.engines import Engine, EngineError, QueryTimeout

#: extra seconds the client waits for a server-side limit before cancelling itself
GRACE = 5.0


def run(engine: Engine, sql: str, params: Sequence[Any] | None = None,
        timeout: float | None = None) -> list[tuple[Any, ...]]:
    """Rows of one statement, cancelled after ``timeout`` seconds (None or 0: no limit).

    Raises :class:`QueryTimeout` (an ``EngineError``) when the limit is hit,
    ``EngineError`` for other database failures, and ``KeyboardInterrupt``
    after cancelling the statement when interrupted.
    """
    limit = timeout if timeout and timeout > 0 else None
    server_limit = limit is not None and _set_server_limit(engine, limit)
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["rows"] = engine.query(sql, params)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=work, name="segdsl-query", daemon=True)
    cancelled_at_deadline = False
    try:
        worker.start()
        wait = None if limit is None else limit + (GRACE if server_limit else 0.0)
        if not done.wait(wait):  # the deadline passed and the server did not stop it
            cancelled_at_deadline = True
            cancel(engine)
            done.wait(GRACE)
    except KeyboardInterrupt:
        cancel(engine)
        done.wait(GRACE)
        raise
    finally:
        if server_limit and done.is_set():  # the connection is free again
            with contextlib.suppress(EngineError):
                _set_server_limit(engine, None)
    if "error" in outcome:
        exc = outcome["error"]
        if limit is not None and (cancelled_at_deadline or _is_timeout(engine, exc)):
            raise QueryTimeout(
                f"{engine.dialect}: the query ran longer than {limit:g} s and was cancelled (raise --timeout)"
            ) from exc
        raise exc
    if "rows" not in outcome:  # the engine ignored the cancel request
        raise QueryTimeout(f"{engine.dialect}: the query ran longer than {limit:g} s and could not be cancelled")
    return outcome["rows"]  # type: ignore[no-any-return]


def _set_server_limit(engine: Engine, seconds: float | None) -> bool:
    """Set (or with None clear) the session's statement time limit; False where the engine has none."""
    if engine.dialect == "postgres":
        ms = 0 if seconds is None else max(1, round(seconds * 1000))
        engine.query("SELECT set_config('statement_timeout', %s, false)", (f"{ms}ms",))
        return True
    if engine.dialect == "mysql":
        if _is_mariadb(engine):
            engine.query("SET SESSION max_statement_time = %s", (0 if seconds is None else seconds,))
        else:
            engine.query("SET SESSION max_execution_time = %s",
                         (0 if seconds is None else max(1, round(seconds * 1000)),))
        return True
    return False


def _is_mariadb(engine: Engine) -> bool:
    cached = getattr(engine, "_segdsl_mariadb", None)
    if cached is None:
        cached = "mariadb" in str(engine.query("SELECT VERSION()")[0][0]).lower()
        engine._segdsl_mariadb = cached  # type: ignore[attr-defined]
    return bool(cached)


def _is_timeout(engine: Engine, exc: BaseException) -> bool:
    """Did the server stop the statement for its time limit (or our interrupt at the deadline)?"""
    text = " ".join(str(e) for e in (exc, exc.__cause__) if e is not None).lower()
    if engine.dialect == "postgres":
        return "statement timeout" in text
    if engine.dialect == "mysql":
        return any(m in text for m in ("max_statement_time", "max_execution_time", "maximum statement execution time"))
    return "interrupt" in text


def cancel(engine: Engine) -> None:
    """Ask the engine to stop the statement running on ``engine`` (best effort, never raises)."""
    with contextlib.suppress(Exception):
        if engine.dialect in ("sqlite", "duckdb"):
            engine.conn.interrupt()
        elif engine.dialect == "postgres":
            cancel_safe = getattr(engine.conn, "cancel_safe", None)
            (cancel_safe or engine.conn.cancel)()
        elif engine.dialect == "mysql":
            _kill_query(engine)


def _kill_query(engine: Engine) -> None:
    """MySQL/MariaDB have no cancel request: ``KILL QUERY <thread>`` from a second connection."""
    from segdsl.data.engines import connect

    thread_id = engine.conn.thread_id()
    with connect(engine.url) as other:
        other.query(f"KILL QUERY {int(thread_id)}")
