"""Database connections by URL, and running compiled rules on them.

URLs: ``sqlite:///file.db``, ``duckdb:///file.duckdb`` (``duckdb:///:memory:``),
``postgresql://user@host:port/db``, ``mysql://user@host:port/db`` (MariaDB too),
``spark://local[*]?warehouse=PATH`` and ``sc://host:15002`` (Spark: :mod:`segdsl.data.spark`).
Every failure becomes an :class:`EngineError` with a one-line message, in
which a URL's password never appears (:mod:`segdsl.data.urls`).

SQLite and DuckDB files must exist unless ``create=True`` (only ``segdsl
demo`` creates one); ``read_only=True`` opens them read-only, so readers run
side by side and a read-only file can be counted. segdsl's DuckDB connections
never install or load extensions by themselves (no network access).

>>> with connect("sqlite:///:memory:") as db:
...     db.query("SELECT 1 + 1")
[(2,)]
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from segdsl.data.urls import redact_url, scrub
from segdsl.lang.textops import fold
from segdsl.sql.dialects import MYSQL_FOLD_COLLATIONS, DialectRules, connected_rules
from segdsl.sql.statements import Statements

DEFAULT_URL = "sqlite:///segdsl.db"
SCHEMES = {
    "sqlite": "sqlite",
    "duckdb": "duckdb",
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "spark": "spark",
    "sc": "spark",
}


class EngineError(Exception):
    """A database failure, said in one line (unreachable, bad credentials, missing table...)."""


class QueryTimeout(EngineError):
    """A statement cancelled because it ran longer than its time limit."""


def default_db_url() -> str:
    """``$SEGDSL_DB``, else ``sqlite:///segdsl.db``."""
    return os.environ.get("SEGDSL_DB") or DEFAULT_URL


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


MISSING_TABLE = ("no such table", "does not exist", "doesn't exist", "table with name")


def _hint(exc: BaseException) -> str:
    """A next step for the errors a newcomer meets first."""
    text = str(exc).lower()
    if any(marker in text for marker in MISSING_TABLE):
        return " (run `segdsl demo` to create demo data, or map your own tables with --schema FILE)"
    return ""


#: the SQLite function that folds text by segdsl's rule (DialectRules.fold_function)
SQLITE_FOLD = "segdsl_fold"


def _sqlite_fold(value: Any) -> Any:
    return fold(value) if isinstance(value, str) else value


def register_sqlite(conn: sqlite3.Connection) -> None:
    """Register ``segdsl_fold(text)`` on a SQLite connection of your own.

    segdsl's connections have it; SQL that segdsl runs on SQLite calls it for
    text that is not pure ASCII. SQLite's ``LOWER`` is left as it is.
    """
    conn.create_function(SQLITE_FOLD, 1, _sqlite_fold, deterministic=True)


@dataclass
class Engine:
    """An open connection and the segdsl dialect that speaks to it.

    ``url`` may hold a password: show :attr:`display_url` instead.
    """

    url: str = field(repr=False)
    dialect: str
    conn: Any
    read_only: bool = False
    #: the dialect's rules for this connection (dialects.connected_rules), resolved once when it opens
    rules: DialectRules = field(default=None, repr=False)  # type: ignore[assignment]
    #: compiled statements kept for repeated counts and audiences (segdsl.sql.statements)
    statements: Statements = field(init=False, repr=False, default_factory=Statements)
    #: inside :meth:`transaction`: statements do not commit on their own
    _in_transaction: bool = field(init=False, repr=False, default=False)

    def __post_init__(self) -> None:
        if self.rules is None:
            self.rules = connected_rules(self.dialect)

    @property
    def display_url(self) -> str:
        """The URL fit to print (password and secret query values masked)."""
        return redact_url(self.url)

    def error(self, exc: BaseException, hint: bool = False) -> EngineError:
        """``exc`` as a one-line :class:`EngineError`, without the URL's secrets."""
        text = f"{self.dialect}: {_one_line(exc)}{_hint(exc) if hint else ''}"
        return EngineError(scrub(text, self.url))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Engine]:
        """One transaction around the block: all its statements, or none on any exception
        (Ctrl-C included). DDL takes part on SQLite, DuckDB and PostgreSQL; MySQL and
        MariaDB commit DDL implicitly (see ``segdsl.data.demo`` for how it copes)."""
        if self._in_transaction:
            raise EngineError("a transaction is already open on this connection")
        try:
            if self.dialect == "duckdb":
                self.conn.execute("BEGIN TRANSACTION")
            else:
                self.conn.commit()  # end the driver's implicit transaction, if any
                if self.dialect == "sqlite":
                    self.conn.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            raise self.error(exc) from exc
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self._rollback(always=True)
            raise
        self._in_transaction = False
        try:
            self.conn.commit()
        except Exception as exc:
            self._rollback(always=True)
            raise self.error(exc) from exc

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def paramstyle(self) -> str:
        return self.rules.paramstyle

    def placeholder(self) -> str:
        return "%s" if self.paramstyle == "format" else "?"

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement and return all rows (empty for statements without rows)."""
        try:
            cur = self._cursor()
            try:
                # params=() still goes through the driver's formatting: `%%` in the text means `%`
                if params is not None:
                    cur.execute(sql, tuple(params))
                else:
                    cur.execute(sql)
                rows = cur.fetchall() if cur.description is not None else []
            finally:
                self._close(cur)
            self._commit()
            return [tuple(r) for r in rows]
        except EngineError:
            raise
        except Exception as exc:
            self._rollback()
            raise self.error(exc, hint=True) from exc

    def stream(self, sql: str, params: Sequence[Any] | None = None, batch: int = 2000) -> Iterable[tuple[Any, ...]]:
        """Run one query and yield its rows, ``batch`` at a time, in constant memory.

        The rows stay on the server until fetched: a named (server-side) cursor
        on PostgreSQL, an unbuffered ``SSCursor`` on MySQL/MariaDB (one open
        stream per connection there), ``toLocalIterator`` on Spark; SQLite and
        DuckDB produce rows as they are fetched. Raises EngineError.
        """
        try:
            cur = self._stream_cursor()
            try:
                cur.execute(sql, tuple(params)) if params is not None else cur.execute(sql)
                while True:
                    rows = cur.fetchmany(batch)
                    if not rows:
                        break
                    yield from (tuple(r) for r in rows)
            finally:
                cur.close()
            self._commit()  # ends the transaction a named cursor lives in
        except Exception as exc:
            self._rollback()
            raise self.error(exc, hint=True) from exc

    def batches(
        self, sql: str, params: Sequence[Any] | None = None, size: int = 5000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Run one query and yield its rows as lists of at most ``size`` rows.

        As :meth:`stream`, PostgreSQL and MySQL/MariaDB read through a
        server-side cursor, so the client holds one batch at a time whatever the
        size of the result (``segdsl broadcasts send`` to a million customers).
        It must be the only open result on the connection until it is exhausted.
        """
        try:
            cur = self._stream_cursor()
            try:
                cur.execute(sql, tuple(params)) if params is not None else cur.execute(sql)
                while rows := cur.fetchmany(size):
                    yield [tuple(r) for r in rows]
            finally:
                cur.close()
            self._commit()
        except GeneratorExit:  # the reader stopped early: end the transaction all the same
            self._rollback()
            raise
        except Exception as exc:
            self._rollback()
            raise self.error(exc, hint=True) from exc

    def _stream_cursor(self) -> Any:
        if self.dialect == "postgres":
            return self.conn.cursor(name=f"segdsl_stream_{secrets.token_hex(4)}")  # a server-side cursor
        if self.dialect == "mysql":
            import pymysql.cursors

            return self.conn.cursor(pymysql.cursors.SSCursor)  # unbuffered
        return self.conn.cursor()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many parameter rows, in one transaction."""
        if not rows:
            return
        try:
            cur = self._cursor()
            cur.executemany(sql, [tuple(r) for r in rows])
            self._close(cur)
            self._commit()
        except Exception as exc:
            self._rollback()
            raise self.error(exc) from exc

    def _cursor(self) -> Any:
        # A DuckDB cursor is a connection of its own: it would run outside the connection's
        # transaction and out of reach of its interrupt(). DuckDB runs on the connection itself.
        return self.conn if self.dialect == "duckdb" else self.conn.cursor()

    def _close(self, cur: Any) -> None:
        if cur is not self.conn:
            cur.close()

    def _commit(self) -> None:
        if self.dialect != "duckdb" and not self._in_transaction:
            self.conn.commit()

    def _rollback(self, always: bool = False) -> None:
        if self._in_transaction and not always:
            return  # the transaction's owner rolls back (the error propagates to it)
        try:
            if self.dialect != "duckdb" or always:  # DuckDB autocommits outside transaction()
                self.conn.rollback()
        except Exception:  # noqa: BLE001 - the original error is what matters
            pass

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection is best effort
            self.conn.close()


def _missing_driver(package: str, extra: str) -> EngineError:
    return EngineError(f"the {package} driver is not installed; run: pip install 'segdsl[{extra}]'")


def connect(url: str | None = None, *, read_only: bool = False, create: bool = False) -> Engine:
    """Open the database at ``url`` (default: :func:`default_db_url`).

    ``read_only``: SQLite and DuckDB files are opened read-only (many readers at
    once, read-only files too); PostgreSQL transactions default to read-only.
    ``create``: a missing SQLite or DuckDB file is created, and a missing Spark
    ``?warehouse=`` folder on this machine (else an :class:`EngineError` says it
    does not exist). Raises :class:`EngineError`.
    """
    url = url or default_db_url()
    scheme = _scheme(url)
    if scheme not in SCHEMES:
        raise EngineError(
            f"unsupported database URL `{redact_url(url)}`: use sqlite:///file.db, duckdb:///file.duckdb, "
            "postgresql://user@host:port/db, mysql://user@host:port/db, "
            "spark://local[*]?warehouse=PATH or sc://host:15002"
        )
    dialect = SCHEMES[scheme]
    parsed = None
    if dialect != "spark":  # spark://local[*] is no URL urllib can split; segdsl.data.spark reads it
        try:
            parsed = urllib.parse.urlsplit(url)
            parsed.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as exc:
            raise EngineError(f"invalid database URL `{redact_url(url)}`: {exc}") from None
    try:
        if dialect == "sqlite":
            conn = _sqlite(url, read_only, create)
        elif dialect == "duckdb":
            conn = _duckdb(url, read_only, create)
            rules = connected_rules(dialect, customers=_duckdb_customers(conn))
            return Engine(url, dialect, conn, read_only, rules=rules)
        elif dialect == "postgres":
            conn = _postgres(url, read_only)
        elif dialect == "spark":
            conn = _spark(url, create)
        else:
            assert parsed is not None
            conn = _mysql(parsed)
            return Engine(url, dialect, conn, read_only, rules=connected_rules(dialect, _mysql_fold_collations(conn)))
    except EngineError as exc:
        raise EngineError(scrub(str(exc), url)) from exc
    except Exception as exc:
        raise EngineError(scrub(f"cannot open {redact_url(url)}: {_one_line(exc)}", url)) from exc
    return Engine(url, dialect, conn, read_only)


def _duckdb_customers(conn: Any) -> int | None:
    """DuckDB's estimate of the rows in the customers table of the default mapping (None: no such
    table; a segdsl.toml that maps customers elsewhere keeps the default rules), read from its
    catalog (``duckdb_tables().estimated_size``), which costs no scan."""
    from segdsl.families.settings import default_settings

    mapping = default_settings().schema["customers"]
    try:
        row = conn.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE table_name = ? "
            "AND schema_name = COALESCE(?, current_schema()) AND database_name = current_database()",
            [mapping.table, mapping.db_schema],
        ).fetchone()
    except Exception:  # noqa: BLE001 - an estimate only: without it the rules stay the default
        return None
    return int(row[0]) if row and row[0] is not None else None


def _file_path(url: str, scheme: str) -> str:
    """The file of a ``sqlite:///`` or ``duckdb:///`` URL (SQLAlchemy make_url; the query string is not part of it)."""
    try:
        database = make_url(url).database
    except (ArgumentError, ValueError) as exc:
        raise EngineError(f"invalid database URL `{redact_url(url)}`: {exc}") from None
    return database or ":memory:"


def require_file(url: str) -> None:
    """Raise :class:`EngineError` when ``url`` names a SQLite or DuckDB file (or its folder) that
    does not exist: what :func:`connect` refuses without ``create``, checked without opening it
    (the store commands, which open the database with SQLAlchemy). Other URLs pass."""
    scheme = _scheme(url)
    if SCHEMES.get(scheme) in ("sqlite", "duckdb"):
        _existing_file(url, _file_path(url, scheme), create=False)


def _scheme(url: str) -> str:
    """A URL's scheme without its driver, lower case: ``postgresql+psycopg://…`` -> ``postgresql``."""
    return url.partition(":")[0].split("+")[0].lower()


def _existing_file(url: str, path: str, create: bool) -> None:
    """Refuse a missing database file (a typo must not create an empty database)."""
    if path == ":memory:":
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise EngineError(f"cannot open {redact_url(url)}: the folder {folder} does not exist")
    if not create and not os.path.exists(path):
        raise EngineError(
            f"cannot open {redact_url(url)}: no such database file "
            "(check the path; `segdsl demo --db URL` creates a demo database)"
        )
    if os.path.isdir(path):
        raise EngineError(f"cannot open {redact_url(url)}: {path} is a folder, not a database file")


def duckdb_config(url: str) -> dict[str, str]:
    """DuckDB settings given as the URL's query: ``duckdb:///shop.duckdb?memory_limit=512MB&threads=1``.

    Any setting of DuckDB's configuration (https://duckdb.org/docs/stable/configuration/overview)
    may be given; the usual ones are ``memory_limit`` (a size such as ``512MB``; DuckDB's
    default is 80 % of the machine's RAM), ``threads`` (default: the number of cores) and
    ``preserve_insertion_order`` (``false`` lets large results stream in any order). segdsl's
    connections set none of them itself (a low ``memory_limit`` slows counts: hash joins spill
    to disk); the store sets a few while a broadcast is sent, and ``segdsl export`` caps
    ``memory_limit`` (:func:`cap_duckdb_cache`), unless the URL gives them (docs/store.md,
    "DuckDB settings"; bench/README.md, bench_broadcast.py).
    The store passes the same URL to duckdb-engine, which reads the query the same way, so
    both connections to one file agree (DuckDB refuses a second configuration in a process).
    An unknown setting or a bad value is an :class:`EngineError` when the file is opened.

    >>> duckdb_config("duckdb:///shop.duckdb?memory_limit=512MB&threads=1")
    {'memory_limit': '512MB', 'threads': '1'}
    """
    query = urllib.parse.urlsplit(url).query
    return dict(urllib.parse.parse_qsl(query, strict_parsing=True)) if query else {}


#: DuckDB's memory_limit for a read that scans every table once (cap_duckdb_cache)
SCAN_MEMORY_LIMIT = "64MB"


def cap_duckdb_cache(engine: Engine, limit: str = SCAN_MEMORY_LIMIT) -> None:
    """Set DuckDB's ``memory_limit`` to ``limit`` for a read of the whole database, unless the URL sets one.

    DuckDB keeps every block it has read in memory up to its limit (80 % of RAM by
    default), so a whole-table read such as ``segdsl export`` grows by ~9 MB per 100,000
    customers (~860 MB at 10M) although it holds one small range at a time; past ``limit``
    DuckDB drops old blocks instead. Export's range queries need a few MB. Other engines:
    nothing to do. Raises EngineError.
    """
    if engine.dialect == "duckdb" and "memory_limit" not in duckdb_config(engine.url):
        engine.query(f"SET memory_limit = '{limit}'")


def _sqlite(url: str, read_only: bool, create: bool) -> sqlite3.Connection:
    path = _file_path(url, "sqlite")
    _existing_file(url, path, create)
    if path == ":memory:":
        target, uri = path, False
    else:  # a file: URI says whether the file may be created (mode=rwc) or written
        mode = "ro" if read_only else "rwc" if create else "rw"
        target, uri = f"{Path(path).resolve().as_uri()}?mode={mode}", True
    # check_same_thread=False: a rule's query runs in a worker thread so Ctrl-C can interrupt it
    conn = sqlite3.connect(target, uri=uri, check_same_thread=False)
    prepare_sqlite(conn)
    return conn


def prepare_sqlite(conn: sqlite3.Connection) -> None:
    """Make a SQLite connection run segdsl's SQL (``segdsl_fold``: :func:`register_sqlite`).

    Also used by the store on the connections SQLAlchemy opens.
    """
    register_sqlite(conn)


#: DuckDB settings on every segdsl connection: never fetch or load extensions by itself
#: (a DuckDB URL pointed at another engine's file would otherwise download a scanner)
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _duckdb(url: str, read_only: bool, create: bool) -> Any:
    try:
        import duckdb
    except ImportError:
        raise _missing_driver("duckdb", "duckdb") from None
    path = _file_path(url, "duckdb")
    _existing_file(url, path, create)
    try:  # the URL's settings, then segdsl's own, which no URL can turn off
        config: dict[str, Any] = {**duckdb_config(url), **DUCKDB_CONFIG}
    except ValueError:
        raise EngineError(f"cannot open {redact_url(url)}: the settings after `?` are not name=value pairs") from None
    attempts: list[dict[str, Any]] = [{"read_only": read_only and path != ":memory:", "config": config}]
    if read_only:  # this process may hold the file read-write: DuckDB then shares that database
        attempts.append({"config": config})
    attempts.append({})  # ... or opened it with the embedder's own settings
    for number, kwargs in enumerate(attempts, 1):
        try:
            conn = duckdb.connect(path, **{k: dict(v) if isinstance(v, dict) else v for k, v in kwargs.items()})  # type: ignore[arg-type]
            break
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc) or number == len(attempts):
                raise
        except duckdb.IOException as exc:
            if "extension" in str(exc).lower():  # DuckDB recognised another engine's file
                raise EngineError(
                    f"cannot open {redact_url(url)}: not a DuckDB database file (DuckDB would need an "
                    "extension to read it, and segdsl never installs or loads extensions)"
                ) from None
            raise
    # All times are UTC, as on the PostgreSQL and MySQL connections: DuckDB
    # would otherwise read TIMESTAMPTZ columns in the machine's time zone.
    # (GLOBAL: DuckDB cursors are connections of their own; a build without
    # ICU has no time zones and is UTC already.)
    with contextlib.suppress(duckdb.Error):
        conn.execute("SET GLOBAL TimeZone = 'UTC'")
    return conn


def _postgres(url: str, read_only: bool) -> Any:
    try:
        import psycopg
    except ImportError:
        raise _missing_driver("psycopg", "postgres") from None
    conninfo = url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    # jit off: LLVM compiles a large rule's expressions for seconds (99 ORed groups: 8.7 s against 0.6 s
    # without; issue 12 items 3-4), and segdsl's counts are index look-ups it does not speed up
    options = "-c TimeZone=UTC -c jit=off" + (" -c default_transaction_read_only=on" if read_only else "")
    conn = psycopg.connect(conninfo, connect_timeout=10, options=options)
    # PostgreSQL 14+: notice a client that went away (killed) while its query runs, and stop the query
    # (https://www.postgresql.org/docs/current/runtime-config-connection.html)
    try:
        conn.execute("SET client_connection_check_interval = 2000")
    except psycopg.Error:
        conn.rollback()  # an older server: statement_timeout still bounds the query
    else:
        conn.commit()
    return conn


def _spark(url: str, create: bool) -> Any:
    from segdsl.data import spark

    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise _missing_driver("pyspark", "spark") from None
    try:
        return spark.open_connection(url, create=create)
    except spark.SparkError as exc:
        raise EngineError(f"spark: {exc}") from None


def _mysql(parsed: urllib.parse.SplitResult) -> Any:
    try:
        import pymysql
    except ImportError:
        raise _missing_driver("PyMySQL", "mysql") from None
    return pymysql.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 3306,
        user=urllib.parse.unquote(parsed.username or "root"),
        password=urllib.parse.unquote(parsed.password or ""),
        database=parsed.path.lstrip("/") or None,
        charset="utf8mb4",
        connect_timeout=10,
        init_command="SET time_zone = '+00:00'",
    )


def _mysql_fold_collations(conn: Any) -> frozenset[str]:
    """The first of dialects.MYSQL_FOLD_COLLATIONS that the server knows (MariaDB 10.10+, MySQL 8, older),
    found by trying each on a constant."""
    from sqlglot import exp

    for name in MYSQL_FOLD_COLLATIONS:
        probe = exp.select(exp.Collate(this=exp.Literal.string("a"), expression=exp.Var(this=name)))
        try:
            with conn.cursor() as cur:
                cur.execute(probe.sql(dialect="mysql"))
                cur.fetchall()
            return frozenset([name])
        except Exception:  # noqa: BLE001 - an unknown collation: try the next one
            continue
    return frozenset()
