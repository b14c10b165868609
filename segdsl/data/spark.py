"""Spark as an engine: a DB-API-style connection over a SparkSession (``pip install 'segdsl[spark]'``).

URLs (``segdsl.data.engines.connect`` hands ``spark://`` and ``sc://`` here):

* ``spark://local[*]?warehouse=PATH`` -- a session in this process (the
  master may also be ``local[N]``, ``yarn``, or a standalone ``HOST:7077``).
  Every sub-folder of PATH holding Parquet files becomes a table of its name
  (a temporary view), so the reference layout is ``PATH/customers``,
  ``PATH/customer_tags`` ...; a schema mapping renames them as on any engine.
* ``sc://HOST:15002`` -- Spark Connect, the thin client that current clusters
  expose; Connect's own ``/;token=...`` parameters pass through unchanged.
* Options for both: ``warehouse=PATH`` (a path the Spark driver can read),
  ``catalog=NAME`` and ``database=NAME`` (the current catalog and database,
  for tables in a metastore or catalog), and any ``spark.*`` setting
  (``spark.driver.memory=4g``), applied when the session is built.

Every session runs in UTC (``spark.sql.session.timeZone``) as a second
safety: segdsl's Spark SQL itself does not depend on the session time zone
(instants are written ``'... Z'``, the time of day is read from epoch
seconds). Statements run with bind parameters (``spark.sql(sql, args=[...])``);
Spark 4 writes bound strings into the statement as SQL text, so sessions
segdsl opens also set ``spark.sql.parser.escapedStringLiterals=false`` (with
the legacy ``true``, the parameter ``o'neil`` arrives as ``o\'neil``).

A local session's JVM writes its own stderr to :data:`DRIVER_LOG`, not to the
terminal. Starting a JVM costs seconds (about 10-20 s on a busy laptop): a CLI call
pays it every time, ``segdsl.connect(url)`` once per process. Rows are read
with ``toLocalIterator`` (one partition at a time), never collected whole,
except for results known to be small (``fetchall``: counts).

Spark tables are read-only to segdsl, with one exception for tests and
benchmarks: :meth:`SparkConnection.write_rows` writes a Parquet file into
the warehouse.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import os
import sys
import tempfile
import urllib.parse
import uuid
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SCHEMES = ("spark", "sc")
#: a master written after spark:// that is not a standalone HOST:PORT
LOCAL_MASTERS = ("local", "yarn", "k8s", "mesos")
#: settings of every session segdsl opens, over the URL's and the cluster's: the SQL does not
#: depend on the session zone, UTC is a second safety; Spark 4 puts bound string parameters
#: into the statement as SQL text, so the legacy escapedStringLiterals would change them too
SESSION_DEFAULTS = {"spark.sql.session.timeZone": "UTC", "spark.sql.parser.escapedStringLiterals": "false"}
#: settings only for a session in this process (no web UI, no progress bar on stderr)
LOCAL_DEFAULTS = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                  "spark.sql.shuffle.partitions": "8"}


class SparkError(Exception):
    """A Spark failure, in one line (the error class and message, without the query context)."""


@dataclass(frozen=True)
class SparkTarget:
    """What a ``spark://`` or ``sc://`` URL names."""

    #: "local" (a session in this process, master below) or "connect" (Spark Connect, remote below)
    kind: str
    #: the Spark master (local kind) or the Connect URL ``sc://HOST:PORT[/;...]`` (connect kind)
    address: str
    warehouse: str | None = None
    catalog: str | None = None
    database: str | None = None
    conf: dict[str, str] = field(default_factory=dict)


OPTIONS = ("warehouse", "catalog", "database")
#: the driver's log settings for a session in this process: fatal errors only
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
#: where a local session's JVM writes its own stderr (start-up notes, fatal errors)
DRIVER_LOG = Path(tempfile.gettempdir()) / "segdsl-spark-driver.log"

# pyspark warns on import that it was tested with pandas < 3; segdsl uses no pandas API
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def parse_url(url: str) -> SparkTarget:
    """Split a Spark URL into its target.

    >>> target = parse_url("spark://local[*]?warehouse=/data/wh&spark.driver.memory=2g")
    >>> target.kind, target.address, target.warehouse, target.conf
    ('local', 'local[*]', '/data/wh', {'spark.driver.memory': '2g'})
    >>> parse_url("sc://spark.example.com:15002?catalog=main&database=crm").address
    'sc://spark.example.com:15002'
    >>> parse_url("spark://10.0.0.5:7077").address
    'spark://10.0.0.5:7077'

    Raises ValueError for an unknown option.
    """
    # not urllib.parse.urlsplit: it reads `local[*]` as a broken IPv6 host
    head, _, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    options: dict[str, str] = {}
    conf: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)):
        if key.startswith("spark."):
            conf[key] = value
        elif key in OPTIONS:
            options[key] = value
        else:
            raise ValueError(f"unknown option `{key}` (known: {', '.join(OPTIONS)}, spark.*)")
    if scheme == "sc":
        return SparkTarget("connect", head, conf=conf, **options)
    master = rest.rstrip("/") or "local[*]"
    if not master.startswith(LOCAL_MASTERS):
        master = f"spark://{master}"  # a standalone cluster's master
    return SparkTarget("local", master, conf=conf, **options)


def open_connection(url: str, create: bool = False) -> SparkConnection:
    """A connection for ``url`` (see the module docstring); ``create`` makes a missing warehouse
    folder on this machine (``segdsl demo``). Raises SparkError, ImportError."""
    try:
        target = parse_url(url)
    except ValueError as exc:
        raise SparkError(f"bad Spark URL: {exc}") from None
    if create and target.warehouse and "://" not in target.warehouse:
        try:
            os.makedirs(target.warehouse, exist_ok=True)
        except OSError as exc:
            raise SparkError(f"cannot make the warehouse folder {target.warehouse}: {exc.strerror}") from None
    if target.kind == "local" and os.environ.get("SPARK_CONNECT_MODE_ENABLED"):
        raise SparkError(
            "this process already uses Spark Connect (sc://); pyspark runs a local session "
            "and a Connect client in separate processes"
        )
    try:
        session = _session(target)
    except SparkError:
        raise
    except Exception as exc:  # the JVM did not start, a setting was refused ...
        raise SparkError(one_line(exc)) from exc
    conn = SparkConnection(session, target)
    try:
        if target.catalog:
            session.catalog.setCurrentCatalog(target.catalog)
        if target.database:
            session.catalog.setCurrentDatabase(target.database)
        conn.register_warehouse()
    except Exception as exc:
        conn.close()
        raise SparkError(one_line(exc)) from exc
    return conn


def _session(target: SparkTarget) -> Any:
    from pyspark.sql import SparkSession

    _quiet_query_context_logs()

    if target.kind == "connect":
        builder = SparkSession.builder.remote(target.address)
        for key, value in {**target.conf, **SESSION_DEFAULTS}.items():
            builder = builder.config(key, value)
        try:
            return builder.create()  # a session of its own: close() ends only that
        except Exception as exc:
            where = target.address.split("/;")[0]  # Connect's own parameters may hold a token
            raise SparkError(f"cannot reach Spark Connect at {where}: {one_line(exc)}") from exc
    builder = SparkSession.builder.master(target.address).appName("segdsl")
    quiet = {"spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG_CONFIG}"}
    for key, value in {**LOCAL_DEFAULTS, **quiet, **target.conf, **SESSION_DEFAULTS}.items():
        builder = builder.config(key, value)
    # One SparkContext per process: a second URL shares the first one's JVM and
    # master, in a session of its own (its own temporary views and settings).
    with _jvm_stderr_to(DRIVER_LOG):
        session = builder.getOrCreate().newSession()
    for key, value in {**_runtime(target.conf), **SESSION_DEFAULTS}.items():
        session.conf.set(key, value)
    return session


#: pyspark 4's loggers that print every failed statement's error, with its JVM stack, as JSON on stderr
QUERY_CONTEXT_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")


def _quiet_query_context_logs() -> None:
    """Silence :data:`QUERY_CONTEXT_LOGGERS`: segdsl reports a failure itself, in one line."""
    try:
        from pyspark.logger import PySparkLogger
    except ImportError:  # pyspark 3.5 has no such loggers
        return
    for name in QUERY_CONTEXT_LOGGERS:
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL + 1)


@contextlib.contextmanager
def _jvm_stderr_to(path: Path) -> Iterator[None]:
    """Give a JVM started in this block ``path`` as its stderr (it inherits file 2).

    The JVM writes its start-up notes there (incubator modules, the default log
    level), not on the user's terminal; segdsl reports failures itself, in one line.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(path, "ab") as log:
            os.dup2(log.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _runtime(conf: dict[str, str]) -> dict[str, str]:
    """The SQL settings of ``conf``, which a new session over a running context can still take."""
    return {k: v for k, v in conf.items() if k.startswith("spark.sql.")}


def one_line(exc: BaseException) -> str:
    """A Spark error as one line: its first line, without the JVM stack or the query excerpt."""
    text = str(exc).strip().splitlines()
    first = text[0].strip() if text else ""
    if "TABLE_OR_VIEW_NOT_FOUND" in first:
        first += " (no Parquet folder of that name under ?warehouse=PATH, and no table of that name in the catalog)"
    return first or type(exc).__name__


EPOCH = dt.datetime(1970, 1, 1)


def _instants_as_micros(frame: Any) -> tuple[Any, frozenset[int]]:
    """``frame`` with every timestamp column read as epoch microseconds, and those columns' positions.

    pyspark would turn a TIMESTAMP into the Python process's local time (and
    fails for the year 1 there); epoch microseconds are the instant itself.
    """
    from pyspark.sql.types import TimestampNTZType, TimestampType

    kinds = (TimestampType, TimestampNTZType)
    positions = frozenset(i for i, f in enumerate(frame.schema) if isinstance(f.dataType, kinds))  # StructFields
    if not positions:
        return frame, positions
    # SQL text rather than pyspark.sql.functions: one spelling for classic and Connect frames
    names = ["`" + name.replace("`", "``") + "`" for name in frame.columns]
    columns = [
        f"UNIX_MICROS(CAST({name} AS TIMESTAMP)) AS {name}" if i in positions else name for i, name in enumerate(names)
    ]
    return frame.selectExpr(*columns), positions


def _row(values: Sequence[Any], instants: frozenset[int]) -> tuple[Any, ...]:
    """A row as the other engines' drivers give it: instants as naive UTC datetimes."""
    if not instants:
        return tuple(values)
    return tuple(
        EPOCH + dt.timedelta(microseconds=v) if i in instants and v is not None else v for i, v in enumerate(values)
    )


class SparkCursor:
    """Runs one statement at a time (DB-API shape, the parts segdsl uses)."""

    def __init__(self, conn: SparkConnection) -> None:
        self.conn = conn
        self.description: list[tuple[Any, ...]] | None = None
        self._frame: Any = None
        self._rows: Iterator[Any] | None = None
        self._instants: frozenset[int] = frozenset()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            frame = self.conn.session.sql(sql, args=[_arg(p) for p in params]) if params else self.conn.session.sql(sql)
            names = frame.columns
            if names:
                frame, self._instants = _instants_as_micros(frame)
        except Exception as exc:
            raise SparkError(one_line(exc)) from exc
        self._frame, self._rows = frame, None
        self.description = [(name, None, None, None, None, None, None) for name in names] if names else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        """All rows (for small results: a count, a few ids)."""
        if self._rows is not None:
            return list(self._iter())
        try:
            return [_row(row, self._instants) for row in self._frame.collect()]
        except Exception as exc:
            raise SparkError(one_line(exc)) from exc

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        """The next ``size`` rows, read a partition at a time (``toLocalIterator``)."""
        if self._rows is None:
            self._rows = self._frame.toLocalIterator()
        try:
            return list(itertools.islice(self._iter(), size))
        except Exception as exc:
            raise SparkError(one_line(exc)) from exc

    def _iter(self) -> Iterator[tuple[Any, ...]]:
        assert self._rows is not None
        return (_row(row, self._instants) for row in self._rows)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise SparkError("segdsl does not write to Spark tables; write Parquet folders or tables with Spark itself")

    def close(self) -> None:
        self._frame = self._rows = None


def _arg(value: Any) -> Any:
    # Spark binds a Python Decimal as DECIMAL(p, s); segdsl's numbers compare as DOUBLE
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class SparkConnection:
    """A SparkSession dressed as a DB-API connection (no transactions: Spark has none)."""

    session: Any
    target: SparkTarget
    views: list[str] = field(default_factory=list)

    def cursor(self) -> SparkCursor:
        return SparkCursor(self)

    def commit(self) -> None:
        """Nothing to commit: segdsl only reads Spark tables."""

    def rollback(self) -> None:
        """Nothing to roll back."""

    def close(self) -> None:
        """Drop this connection's views; end the session if it is a Connect session of its own.

        A local session shares the process's SparkContext (the JVM stays up for the next connect).
        """
        try:
            for name in self.views:
                self.session.catalog.dropTempView(name)
            if self.target.kind == "connect":
                self.session.stop()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
        self.views.clear()

    # -------------------------------------------------------------- the warehouse

    def register_warehouse(self) -> list[str]:
        """A temporary view per Parquet folder of the warehouse (named after the folder)."""
        root = self.target.warehouse
        if not root:
            return []
        if self.target.kind == "local" and not os.path.isdir(root):
            raise SparkError(f"the warehouse folder {root} does not exist")
        for path in sorted(Path(root).iterdir()) if os.path.isdir(root) else ():
            if path.is_dir() and not path.name.startswith((".", "_")) and any(path.glob("*.parquet")):
                self.session.read.parquet(str(path)).createOrReplaceTempView(path.name)
                if path.name not in self.views:
                    self.views.append(path.name)
        return list(self.views)

    def write_rows(self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> None:
        """Add ``rows`` as one Parquet file to the warehouse folder ``table`` (tests, benchmarks)."""
        if not self.target.warehouse:
            raise SparkError("writing needs a warehouse folder: add ?warehouse=PATH to the URL")
        folder = write_parquet(Path(self.target.warehouse) / table, columns, rows)
        self.session.read.parquet(str(folder)).createOrReplaceTempView(table)
        if table not in self.views:
            self.views.append(table)

    def clear(self, table: str) -> None:
        """Empty the warehouse folder ``table`` (tests)."""
        import shutil

        if self.target.warehouse:
            shutil.rmtree(Path(self.target.warehouse) / table, ignore_errors=True)


def write_parquet(folder: Path, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> Path:
    """Write ``rows`` as one new Parquet file into ``folder`` (made if missing); returns the folder.

    ``columns`` are (name, SQL type as in records.COLUMNS); TIMESTAMP values
    are UTC text or naive UTC datetimes and are stored as UTC instants.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([(name, arrow_type(sql_type)) for name, sql_type in columns])
    data = [[_arrow_value(row[i], sql_type) for row in rows] for i, (_, sql_type) in enumerate(columns)]
    pq.write_table(pa.table(data, schema=schema), folder / f"part-{uuid.uuid4().hex}.parquet")
    return folder


def arrow_type(sql_type: str) -> Any:
    """The arrow type segdsl writes for a column of SQL type ``sql_type`` (TIMESTAMP: UTC instants, µs)."""
    import pyarrow as pa

    kind = sql_type.split("(")[0]
    return {
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "BOOLEAN": pa.bool_(),
        "TIMESTAMP": pa.timestamp("us", tz="UTC"),
        "DOUBLE": pa.float64(),
        "NUMERIC": pa.float64(),
        "DECIMAL": pa.float64(),
    }.get(kind, pa.string())


def _arrow_value(value: Any, sql_type: str) -> Any:
    if value is None or not sql_type.startswith("TIMESTAMP"):
        return value
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return stamp.replace(tzinfo=dt.UTC)
