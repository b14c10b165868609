"""Shared fixtures.

Real-engine tests are marked ``engine``. A test against PostgreSQL or MariaDB
skips cleanly when the server is unreachable, except under ``CI=true``, where
CI must prove every engine: there a skip of an ``engine`` test is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engines import EnginePool, in_ci
from tests.storedb import fresh_database


@pytest.fixture(scope="session")
def engine_pool(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EnginePool]:
    """Connected engines per (backend, dataset); see tests/engines.py."""
    pool = EnginePool(tmp_path_factory.mktemp("engines"))
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture
def backend_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of the parametrised backend (see tests/storedb.py)."""
    yield from fresh_database(request.param, tmp_path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:  # type: ignore[type-arg]
    """Under CI=true a skipped real-engine test fails: CI must run on every engine."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and in_ci() and item.get_closest_marker("engine") is not None and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true: a real-engine test must not be skipped ({reason})"
