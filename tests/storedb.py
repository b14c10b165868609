"""Fresh databases for the store tests: one per test, on SQLite, DuckDB, PostgreSQL or MariaDB.

PostgreSQL and MariaDB databases are named ``store_test_<pid>_<n>`` and dropped afterwards.
Customers are loaded from plain records (see :func:`people`), so each test knows its audience.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from segdsl.data.engines import EngineError, connect
from segdsl.data.records import create_schema, load_records
from tests.engines import MYSQL_URL, PG_URL, _with_db, skip_or_fail

_numbers = itertools.count(1)


def people(n: int, start: int = 1) -> list[dict[str, Any]]:
    """``n`` customers: everyone on whatsapp; every third one tagged vip, every fifth gold."""
    out = []
    for i in range(start, start + n):
        tags = [t for t, every in (("vip", 3), ("gold", 5)) if i % every == 0]
        out.append({"id": i, "name": f"Customer {i}", "channels": ["whatsapp"], "tags": tags})
    return out


def _server(backend: str) -> tuple[str, str]:
    return (PG_URL, "postgresql") if backend == "postgres" else (MYSQL_URL, "mysql")


def _admin(backend: str, sql: str) -> None:
    url, _ = _server(backend)
    with connect(url) as eng:
        if backend == "postgres":
            eng.conn.autocommit = True
        eng.query(sql)


def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database of ``backend``; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'shop.db'}"
        return
    if backend == "duckdb":
        yield f"duckdb:///{tmp_path / 'shop.duckdb'}"
        return
    name = f"store_test_{os.getpid()}_{next(_numbers)}"
    try:
        _admin(backend, f"DROP DATABASE IF EXISTS {name}")
        _admin(backend, f"CREATE DATABASE {name}")
    except EngineError as exc:
        skip_or_fail(f"{backend} is not reachable: {exc}")
    url = _with_db(_server(backend)[0], name)
    try:
        yield url
    finally:
        if backend == "postgres":
            _admin(backend, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                            "AND pid <> pg_backend_pid()")
        _admin(backend, f"DROP DATABASE IF EXISTS {name}")


def load(url: str, records: list[dict[str, Any]], create: bool = True) -> None:
    """Create the reference schema (``create``) and insert ``records``."""
    with connect(url, create=create) as eng:
        if create:
            create_schema(eng)
        load_records(eng, records)
