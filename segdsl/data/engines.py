"""Database connections by URL, and running compiled rules on them.

URLs: ``sqlite:///file.db``, ``duckdb:///file.duckdb`` (``duckdb:///:memory:``),
``postgresql://user@host:port/db``, ``mysql://user@host:port/db`` (MariaDB too).
Every failure becomes an :class:`EngineError` with a one-line message.

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
from typing import Any

from segdsl.lang.textops import fold
from segdsl.sql.dialects import MYSQL_FOLD_COLLATIONS, DialectRules, connected_rules

DEFAULT_URL = "sqlite:///segdsl.db"
SCHEMES = {
    "sqlite": "sqlite",
    "duckdb": "duckdb",
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
}


class EngineError(Exception):
    """A database failure, said in one line (unreachable, bad credentials, missing table...)."""


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
    """An open connection and the segdsl dialect that speaks to it."""

    url: str
    dialect: str
    conn: Any
    #: the dialect's rules for this connection (dialects.connected_rules), resolved once when it opens
    rules: DialectRules = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.rules is None:
            self.rules = connected_rules(self.dialect)

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
            cur = self.conn.cursor()
            try:
                if params:
                    cur.execute(sql, tuple(params))
                else:
                    cur.execute(sql)
                rows = cur.fetchall() if cur.description is not None else []
            finally:
                cur.close()
            self._commit()
            return [tuple(r) for r in rows]
        except EngineError:
            raise
        except Exception as exc:
            self._rollback()
            raise EngineError(f"{self.dialect}: {_one_line(exc)}{_hint(exc)}") from exc

    def stream(self, sql: str, params: Sequence[Any] | None = None, batch: int = 2000) -> Iterable[tuple[Any, ...]]:
        """Run one query and yield its rows in batches (constant memory)."""
        try:
            cur = self.conn.cursor()
            cur.execute(sql, tuple(params)) if params else cur.execute(sql)
            while True:
                rows = cur.fetchmany(batch)
                if not rows:
                    break
                yield from (tuple(r) for r in rows)
            cur.close()
        except Exception as exc:
            self._rollback()
            raise EngineError(f"{self.dialect}: {_one_line(exc)}") from exc

    def batches(
        self, sql: str, params: Sequence[Any] | None = None, size: int = 5000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Run one query and yield its rows as lists of at most ``size`` rows.

        Unlike :meth:`stream`, PostgreSQL and MySQL/MariaDB read through a
        server-side cursor, so the client holds one batch at a time whatever the
        size of the result (``segdsl broadcasts send`` to a million customers).
        It must be the only open result on the connection until it is exhausted.
        """
        try:
            cur = self._stream_cursor()
            try:
                cur.execute(sql, tuple(params)) if params else cur.execute(sql)
                while rows := cur.fetchmany(size):
                    yield [tuple(r) for r in rows]
            finally:
                cur.close()
            self._commit()
        except Exception as exc:
            self._rollback()
            raise EngineError(f"{self.dialect}: {_one_line(exc)}") from exc

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
            cur = self.conn.cursor()
            cur.executemany(sql, [tuple(r) for r in rows])
            cur.close()
            self._commit()
        except Exception as exc:
            self._rollback()
            raise EngineError(f"{self.dialect}: {_one_line(exc)}") from exc

    def _commit(self) -> None:
        if self.dialect != "duckdb":
            self.conn.commit()

    def _rollback(self) -> None:
        try:
            if self.dialect != "duckdb":
                self.conn.rollback()
        except Exception:  # noqa: BLE001 - the original error is what matters
            pass

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a broken connection is best effort
            self.conn.close()


def _missing_driver(package: str, extra: str) -> EngineError:
    return EngineError(f"the {package} driver is not installed; run: pip install 'segdsl[{extra}]'")


def connect(url: str | None = None) -> Engine:
    """Open the database at ``url`` (default: :func:`default_db_url`)."""
    url = url or default_db_url()
    parsed = urllib.parse.urlsplit(url)
    scheme = parsed.scheme.split("+")[0].lower()
    if scheme not in SCHEMES:
        raise EngineError(
            f"unsupported database URL `{url}`: use sqlite:///file.db, duckdb:///file.duckdb, "
            "postgresql://user@host:port/db or mysql://user@host:port/db"
        )
    dialect = SCHEMES[scheme]
    try:
        if dialect == "sqlite":
            return Engine(url, dialect, _sqlite(url))
        if dialect == "duckdb":
            return Engine(url, dialect, _duckdb(url))
        if dialect == "postgres":
            return Engine(url, dialect, _postgres(url))
        conn = _mysql(parsed)
        return Engine(url, dialect, conn, rules=connected_rules(dialect, _mysql_fold_collations(conn)))
    except EngineError:
        raise
    except Exception as exc:
        raise EngineError(f"cannot open {_redact(url)}: {_one_line(exc)}") from exc


def _redact(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def _file_path(url: str, scheme: str) -> str:
    rest = url.split("://", 1)[1].partition("?")[0]
    path = rest[1:] if rest.startswith("/") else rest
    return path or ":memory:"


def duckdb_config(url: str) -> dict[str, str]:
    """DuckDB settings given as the URL's query: ``duckdb:///shop.duckdb?memory_limit=512MB&threads=1``.

    Any setting of DuckDB's configuration (https://duckdb.org/docs/stable/configuration/overview)
    may be given; the usual ones are ``memory_limit`` (a size such as ``512MB``; DuckDB's
    default is 80 % of the machine's RAM), ``threads`` (default: the number of cores) and
    ``preserve_insertion_order`` (``false`` lets large results stream in any order). segdsl
    sets none of them itself: on a 1M-customer file, lowering them does not lower the peak
    memory of a count or a broadcast by more than a few MB, and a low ``memory_limit`` slows
    counts (hash joins spill to disk) or fails them (bench/README.md, bench_broadcast.py).
    The store passes the same URL to duckdb-engine, which reads the query the same way, so
    both connections to one file agree (DuckDB refuses a second configuration in a process).
    An unknown setting or a bad value is an :class:`EngineError` when the file is opened.

    >>> duckdb_config("duckdb:///shop.duckdb?memory_limit=512MB&threads=1")
    {'memory_limit': '512MB', 'threads': '1'}
    """
    query = urllib.parse.urlsplit(url).query
    return dict(urllib.parse.parse_qsl(query, strict_parsing=True)) if query else {}


def _sqlite(url: str) -> sqlite3.Connection:
    path = _file_path(url, "sqlite")
    if path != ":memory:" and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise EngineError(f"cannot open {url}: the folder {os.path.dirname(os.path.abspath(path))} does not exist")
    conn = sqlite3.connect(path)
    prepare_sqlite(conn)
    return conn


def prepare_sqlite(conn: sqlite3.Connection) -> None:
    """Make a SQLite connection run segdsl's SQL (``segdsl_fold``: :func:`register_sqlite`).

    Also used by the store on the connections SQLAlchemy opens.
    """
    register_sqlite(conn)


def _duckdb(url: str) -> Any:
    try:
        import duckdb
    except ImportError:
        raise _missing_driver("duckdb", "duckdb") from None
    path = _file_path(url, "duckdb")
    try:
        config: dict[str, Any] = dict(duckdb_config(url))
    except ValueError:
        raise EngineError(f"cannot open {url}: the settings after `?` are not name=value pairs") from None
    conn = duckdb.connect(path, config=config)
    # All times are UTC, as on the PostgreSQL and MySQL connections: DuckDB
    # would otherwise read TIMESTAMPTZ columns in the machine's time zone.
    # (GLOBAL: DuckDB cursors are connections of their own; a build without
    # ICU has no time zones and is UTC already.)
    with contextlib.suppress(duckdb.Error):
        conn.execute("SET GLOBAL TimeZone = 'UTC'")
    return conn


def _postgres(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise _missing_driver("psycopg", "postgres") from None
    conninfo = url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    # jit off: LLVM compiles a large rule's expressions for seconds (99 ORed groups: 8.7 s against 0.6 s
    # without; issue 12 items 3-4), and segdsl's counts are index look-ups it does not speed up
    conn = psycopg.connect(conninfo, connect_timeout=10, options="-c TimeZone=UTC -c jit=off")
    return conn


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
