"""Alembic, imported only when the store's tables must be created or migrated.

The store checks its revision without Alembic (``database.current``, one SELECT); this module
runs the migrations shipped in ``segdsl/store/migrations`` when that revision is not
``database.HEAD``. DuckDB has no Alembic dialect of its own: a plain ``DefaultImpl`` registered
for duckdb-engine (as its documentation suggests) runs the same migrations (the first one only
creates tables, sequences and indexes, which DuckDB supports).
"""

from __future__ import annotations

import importlib.resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.ddl.impl import DefaultImpl
from alembic.script import ScriptDirectory


class DuckDBImpl(DefaultImpl):
    """Lets Alembic run on duckdb-engine."""

    __dialect__ = "duckdb"


def _config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    location = importlib.resources.files("segdsl.store") / "migrations"
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    return cfg


def script_head() -> str:
    """The newest revision among the migration scripts (Alembic's own reading of them)."""
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def upgrade(connection: sa.Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (default the newest), inside ``connection``'s transaction."""
    command.upgrade(_config(connection), revision)


def downgrade(connection: sa.Connection, revision: str) -> None:
    """Undo the migrations above ``revision`` (``base``: all), inside ``connection``'s transaction.

    segdsl never does this by itself; it is for tests and for going back to an older segdsl.
    """
    command.downgrade(_config(connection), revision)
