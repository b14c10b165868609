"""The store's database: URL -> SQLAlchemy engine, and the Alembic migrations that make its tables.

URLs are segdsl's (``sqlite:///f.db``, ``duckdb:///f.duckdb``, ``postgresql://user@host:port/db``,
``mysql://user@host:port/db``), mapped onto SQLAlchemy drivers with ``make_url``. Connections
get the same session settings as segdsl's own (UTC everywhere; SQLite's Unicode LOWER), so a
count run on the store's connection equals ``segdsl count``. SQLite runs in WAL mode with a busy
timeout, and every writing transaction starts with ``BEGIN IMMEDIATE`` (writers queue instead of
failing on a lock upgrade).

Migrations ship in the package (``segdsl/store/migrations``) and run on first use. Opening a
store only reads the stored revision from the version table (one SELECT); Alembic (about
240 ms of imports, ``segdsl.store.migrate``) is imported only when that revision is not
:data:`HEAD`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from segdsl.data.engines import DUCKDB_CONFIG, prepare_sqlite
from segdsl.data.urls import redact_url
from segdsl.store.errors import StoreUnavailable
from segdsl.store.models import VERSION_TABLE

#: our URL schemes -> SQLAlchemy driver names
DRIVERS = {
    "sqlite": "sqlite",
    "duckdb": "duckdb",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
}
#: segdsl dialect names per SQLAlchemy dialect name
SEGDSL_DIALECTS = {"sqlite": "sqlite", "duckdb": "duckdb", "postgresql": "postgres", "mysql": "mysql"}
#: seconds a SQLite writer waits for another one before failing
SQLITE_BUSY_SECONDS = 60


def sqlalchemy_url(url: str) -> sa.URL:
    """segdsl's URL -> a SQLAlchemy URL with the driver segdsl installs.

    >>> sqlalchemy_url("postgresql://postgres@127.0.0.1:5432/shop").render_as_string()
    'postgresql+psycopg://postgres@127.0.0.1:5432/shop'
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreUnavailable(f"`{redact_url(url)}` is not a database URL: use sqlite:///file.db, "
                               "duckdb:///file.duckdb, postgresql://user@host:port/db or "
                               "mysql://user@host:port/db") from None
    backend, _, driver = parsed.drivername.partition("+")
    if backend not in DRIVERS:
        why = " (Spark is not a transactional database: keep the customers there with --db and the store elsewhere)" \
            if backend in ("spark", "sc") else ""
        raise StoreUnavailable(
            f"the store cannot live in `{redact_url(url)}`{why}: use sqlite:///file.db, duckdb:///file.duckdb, "
            "postgresql://user@host:port/db or mysql://user@host:port/db (--store URL)"
        )
    if not driver:
        parsed = parsed.set(drivername=DRIVERS[backend])
    return parsed


def local_file(engine: sa.Engine) -> str | None:
    """The file a SQLite or DuckDB store lives in (None: a server, or in memory)."""
    name = engine.url.database
    if engine.url.get_backend_name() not in ("sqlite", "duckdb") or name in (None, "", ":memory:"):
        return None
    return name


def same_database(a: str, b: str) -> bool:
    """Do two segdsl URLs name the same database (so one SQL statement can read both)?

    Connection settings in the query (``duckdb:///f.duckdb?threads=1``) do not make another database.
    """
    try:
        return sqlalchemy_url(a).set(query={}) == sqlalchemy_url(b).set(query={})
    except StoreUnavailable:
        return False


def create_engine(url: str) -> sa.Engine:
    """A SQLAlchemy engine for ``url``, with segdsl's session settings on every connection."""
    target = sqlalchemy_url(url)
    backend = target.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        connect_args = {"connect_timeout": 10, "options": "-c TimeZone=UTC"}
    elif backend == "mysql":
        connect_args = {"connect_timeout": 10, "init_command": "SET time_zone = '+00:00'"}
        target = target.update_query_dict({"charset": "utf8mb4"})
    elif backend == "sqlite":
        connect_args = {"timeout": SQLITE_BUSY_SECONDS}
    elif backend == "duckdb":  # never install or load extensions by itself (segdsl.data.engines)
        _require_duckdb_2()
        connect_args = {"config": dict(DUCKDB_CONFIG)}
    try:
        # DuckDB: no pool, so the file is closed between operations and segdsl.count() (a
        # connection of another configuration) can open it in the same process; a send holds
        # one connection while it runs (Store._holding, holds_connections). duckdb-engine
        # passes the URL's query to DuckDB as settings, as segdsl.data.engines.duckdb_config does.
        pool = {"poolclass": sa.pool.NullPool} if backend == "duckdb" else {}
        engine = sa.create_engine(target, connect_args=connect_args,
                                  pool_pre_ping=backend in ("postgresql", "mysql"), **pool)
    except (ImportError, ModuleNotFoundError) as exc:
        raise StoreUnavailable(
            f"the driver for {backend} is not installed ({exc}); see `pip install 'segdsl[engines]'`"
        ) from None
    if backend == "sqlite":
        _sqlite_events(engine)
    elif backend == "duckdb":
        _duckdb_events(engine)
    return engine


def _require_duckdb_2() -> None:
    """The store claims runs and marks deliveries by the row count of an UPDATE, which DuckDB's
    Python client reports from 2.0 on (1.x gives -1: every claim would look lost)."""
    try:
        import duckdb
    except ImportError:
        return  # create_engine names the missing driver
    if int(duckdb.__version__.split(".")[0]) < 2:
        raise StoreUnavailable(f"a store on DuckDB needs duckdb 2.0 or newer (installed: {duckdb.__version__}); "
                               "see `pip install -U 'segdsl[duckdb]'`")


def _duckdb_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, record: Any) -> None:
        # UTC, as segdsl's own DuckDB connections (a build without ICU is UTC already)
        with contextlib.suppress(Exception):
            dbapi_conn.execute("SET TimeZone = 'UTC'")


#: DuckDB settings while a send or resend holds its one connection (settings the URL gives win);
#: measured by bench/bench_broadcast.py, see bench/README.md
DUCKDB_SEND_SETTINGS = {
    # one worker thread: every thread keeps its own allocator caches and hash-table partitions
    "threads": "1",
    # checkpoint every 4 MB of WAL: marking deliveries sent keeps the updated values in memory
    # until a checkpoint (DuckDB's default is 16 MB of WAL, about 1M marked deliveries)
    "checkpoint_threshold": "4MB",
}


def holds_connections(engine: sa.Engine) -> bool:
    """Does a send or resend keep one connection rather than one per statement? DuckDB only:
    its engine has no pool (see :func:`create_engine`), so each connection opens the file anew."""
    return engine.dialect.name == "duckdb"


def tune_for_sends(conn: sa.Connection) -> Callable[[], None]:
    """Apply :data:`DUCKDB_SEND_SETTINGS` (those the URL does not set) on a held DuckDB
    connection; returns the function that resets them. DuckDB settings are per database instance,
    which lives as long as its last connection."""
    given = set(conn.engine.url.query)
    changed = [name for name in DUCKDB_SEND_SETTINGS if name not in given]
    for name in changed:
        conn.exec_driver_sql(f"SET {name} = '{DUCKDB_SEND_SETTINGS[name]}'")
    conn.commit()

    def restore() -> None:
        conn.rollback()
        for name in changed + ([] if "memory_limit" in given else ["memory_limit"]):  # duckdb_memory_limit's too
            conn.exec_driver_sql(f"RESET {name}")
        conn.commit()

    return restore


@contextlib.contextmanager
def duckdb_memory_limit(conn: sa.Connection, limit: int | None) -> Iterator[None]:
    """DuckDB's ``memory_limit`` at ``limit`` bytes while the block runs, then back to the default.

    Nothing on another engine, with ``limit`` None, or when the URL sets ``memory_limit`` itself.
    DuckDB settings are per database instance and not transactional.
    """
    if limit is None or conn.dialect.name != "duckdb" or "memory_limit" in conn.engine.url.query:
        yield
        return
    conn.exec_driver_sql(f"SET memory_limit = '{max(1, limit // 2**20)}MB'")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # a failed statement aborted the transaction: see tune_for_sends
            conn.exec_driver_sql("RESET memory_limit")


def ours(name: str | None, type_: str, parent: Any = None) -> bool:
    """Alembic's filter: the store's tables only (the customers' tables share the database)."""
    return type_ != "table" or (name is not None and name.startswith("segdsl_") and name != VERSION_TABLE)


def _sqlite_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, record: Any) -> None:
        prepare_sqlite(dbapi_conn)
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN below
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn: sa.Connection) -> None:
        read_only = conn.get_execution_options().get("segdsl_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def segdsl_dialect(engine: sa.Engine) -> str:
    """The segdsl dialect name that compiles SQL for this engine."""
    return SEGDSL_DIALECTS[engine.dialect.name]


# ------------------------------------------------------------------ migrations


#: the newest migration shipped in segdsl/store/migrations/versions (a test checks it against
#: Alembic's reading of the scripts: bump it with every new migration)
HEAD = "0002"
#: Alembic's version table, read without Alembic (same table and column as Alembic's own)
_versions = sa.Table(VERSION_TABLE, sa.MetaData(), sa.Column("version_num", sa.String(32), primary_key=True))


def head() -> str:
    """The newest migration among the shipped scripts, as Alembic reads them (imports Alembic)."""
    import segdsl.store.migrate as migrate

    return migrate.script_head()


def current(connection: sa.Connection) -> str | None:
    """The migration the store's tables are at (None: no tables yet), read with SQLAlchemy.

    Several rows (branches, never made by segdsl) come back joined by commas, so they never
    equal :data:`HEAD` and :func:`upgrade` hands them to Alembic.
    """
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return None
    found = sorted(connection.execute(sa.select(_versions.c.version_num)).scalars())
    return ",".join(found) or None


def upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """Migrate the store's tables to :data:`HEAD`; returns (before, after).

    Fast path: a read-only transaction finds the tables at HEAD and nothing else happens.
    Otherwise Alembic runs the migrations in one writing transaction (which reads the
    revision again, so two processes creating a store do it once).
    """
    with read_only(engine) as conn:
        before = current(conn)
    if before == HEAD:
        return before, HEAD
    import segdsl.store.migrate as migrate

    with engine.begin() as conn:
        before = current(conn)
        if before != HEAD:
            migrate.upgrade(conn)
    return before, HEAD


@dataclass(frozen=True)
class Status:
    """Where the store's tables are: ``current`` None means not created yet."""

    url: str
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "current": self.current, "head": self.head, "up_to_date": self.up_to_date}


def status(engine: sa.Engine, url: str) -> Status:
    """Read the migration state without changing anything; ``url`` is the store's URL as shown.

    A database that cannot be reached raises (SQLAlchemy's errors): it is not a store without tables.
    """
    with read_only(engine) as conn:
        return Status(url, current(conn), HEAD)


@contextlib.contextmanager
def read_only(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction for reading (on SQLite a deferred BEGIN, so readers do not queue behind writers)."""
    with engine.connect().execution_options(segdsl_read_only=True) as conn, conn.begin():
        yield conn
