"""``segdsl demo`` on Spark: the demo tables as Parquet folders of the warehouse, all or nothing.

The Spark engine reads every Parquet folder of ``?warehouse=PATH`` as the table of
its name (:mod:`segdsl.data.spark`), so the demo writes ``PATH/<mapped table>``
for every role. The rows come from the same chunks as every other engine's bulk
load (:func:`segdsl.data.bulk.chunk_files`: tab-separated files, from worker
processes at scale); each chunk is parsed by pyarrow and written by the Spark
session itself (``createDataFrame(arrow table).write.parquet``, appending), so
Python holds one chunk at a time and Spark Connect works as a local session does.

All or nothing: the new folders are written under a hidden staging folder
``PATH/.segdsl-demo-<token>`` (the engine skips names starting with ``.``) and
moved into place only when every table is written; the old folders are moved
aside first and back if a move fails. An interrupted or failed demo leaves the
old tables as they were. The moves are renames within PATH, so PATH must be a
folder on this machine that Spark's driver reads too (``local[*]``, or a Connect
server sharing the file system).

The file ``PATH/_segdsl_demo`` lists the folders the demo made (the engine skips
names starting with ``_``): a folder of a mapped name that it does not list is
not replaced without ``replace`` (:func:`foreign_folder`), as with the marker table on
other engines.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segdsl.data import bulk
from segdsl.data.engines import Engine, EngineError
from segdsl.data.spark import SparkConnection, arrow_type, one_line
from segdsl.families.settings import Settings

#: the list of folders ``segdsl demo`` made in a warehouse (one name a line)
MARKER_FILE = "_segdsl_demo"
#: the text the chunk files write for NULL (segdsl.families.spec.NULL)
NULL_TEXT = "\\N"
Done = Callable[[dict[str, int]], None]


def warehouse_of(engine: Engine, settings: Settings) -> Path:
    """The engine's local warehouse folder; EngineError when the demo cannot write there."""
    conn = engine.conn
    root = conn.target.warehouse if isinstance(conn, SparkConnection) else None
    if not root:
        raise EngineError("spark: segdsl demo writes Parquet folders into the warehouse: add ?warehouse=PATH "
                          "to the URL (a folder on this machine that Spark reads)")
    if not os.path.isdir(root):
        raise EngineError(f"spark: the warehouse folder {root} does not exist on this machine")
    for mapping in settings.schema.values():
        if mapping.db_schema:
            raise EngineError(f"spark: the demo writes warehouse folders named after the tables; the mapping "
                              f"puts `{mapping.table}` in the schema `{mapping.db_schema}` (map it without one)")
    return Path(root)


def owned(root: Path) -> set[str]:
    """The folders an earlier demo made in the warehouse ``root``."""
    try:
        return {line.strip() for line in (root / MARKER_FILE).read_text(encoding="utf-8").splitlines() if line.strip()}
    except FileNotFoundError:
        return set()


def foreign_folder(root: Path, settings: Settings) -> Path | None:
    """A folder of a mapped name in the warehouse ``root`` that no demo made (None: there is none)."""
    made = owned(root)
    for mapping in settings.schema.values():
        if (root / mapping.table).exists() and mapping.table not in made:
            return root / mapping.table
    return None


def populate(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, done: Done) -> None:
    """Write ``n`` demo customers as the warehouse's mapped tables (see the module docstring);
    the caller has checked :func:`foreign_folder`.

    Raises EngineError (no local warehouse, a Spark failure: one line).
    """
    root = warehouse_of(engine, settings)
    roles = {name: mapping.role for name, mapping in settings.schema.items()}
    session = engine.conn.session
    token = secrets.token_hex(4)
    staging, aside = root / f".segdsl-demo-{token}", root / f".segdsl-old-{token}"
    chunks = staging / "chunks"
    chunks.mkdir(parents=True)
    try:
        schemas = {role: _schema(settings, role) for role in roles}
        written = dict.fromkeys(roles, 0)
        for files in bulk.chunk_files(roles, n, seed, now_s, str(chunks), bulk.workers_for(n), bulk.CHUNK_BLOCKS):
            for role, (path, k) in files.items():
                if k:
                    _append(session, _read_chunk(path, schemas[role]), staging / settings.schema[role].table)
                    written[role] += k
                os.remove(path)
            done({role: k for role, (_p, k) in files.items()})
        for role, k in written.items():
            if not k:  # an empty table is still a table: one Parquet file with the columns
                _append(session, schemas[role].empty_table(), staging / settings.schema[role].table)
        shutil.rmtree(chunks)
        _swap(root, staging, aside, [m.table for m in settings.schema.values()])
    except EngineError:
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("pyspark", "py4j", "grpc")):
            raise EngineError(f"spark: {one_line(exc)}") from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)
    engine.conn.register_warehouse()  # the new folders, as this session's views


def _schema(settings: Settings, role: str) -> Any:
    import pyarrow as pa

    mapping = settings.schema[role]
    return pa.schema([(mapping.columns[c], arrow_type(spec.type)) for c, spec in mapping.role.columns.items()])


def _read_chunk(path: str, schema: Any) -> Any:
    """One chunk file (tab-separated, ``\\N`` for NULL, no quoting) as an arrow table of ``schema``."""
    import pyarrow as pa
    import pyarrow.csv as csv

    # timestamps are UTC text without an offset: parsed naive, then marked UTC by the cast
    parse_types = {f.name: pa.timestamp("s") if pa.types.is_timestamp(f.type) else f.type for f in schema}
    table = csv.read_csv(
        path,
        read_options=csv.ReadOptions(column_names=schema.names),
        parse_options=csv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False),
        convert_options=csv.ConvertOptions(column_types=parse_types, null_values=[NULL_TEXT],
                                           strings_can_be_null=True),
    )
    return table.cast(schema)


def _append(session: Any, table: Any, folder: Path) -> None:
    """Append the arrow ``table`` to the Parquet ``folder`` through the session (so a Spark Connect
    server writes where it runs). pyspark 4 takes an arrow table; 3.5 does not ("Can not infer
    schema for type: ChunkedArray"), so there it goes as pandas (which pyspark 3.5's connect extra
    requires) with the schema converted by pyspark's own ``from_arrow_schema``."""
    import pyspark

    if int(pyspark.__version__.split(".")[0]) >= 4:
        frame = session.createDataFrame(table)
    else:
        from pyspark.sql.pandas.types import from_arrow_schema

        frame = session.createDataFrame(table.to_pandas(), schema=from_arrow_schema(table.schema))
    frame.write.mode("append").parquet(str(folder))


def _swap(root: Path, staging: Path, aside: Path, tables: list[str]) -> None:
    """Move the staged folders into place, the old ones aside (and back, if a move fails); then
    record them in :data:`MARKER_FILE`."""
    aside.mkdir()
    moved: list[str] = []
    placed: list[str] = []
    try:
        for table in tables:
            if (root / table).exists():
                os.replace(root / table, aside / table)
                moved.append(table)
            os.replace(staging / table, root / table)
            placed.append(table)
    except BaseException:
        for table in placed:
            with contextlib.suppress(OSError):
                os.replace(root / table, staging / table)
        for table in moved:
            with contextlib.suppress(OSError):
                os.replace(aside / table, root / table)
        raise
    _write_marker(root, owned(root) | set(tables))


def _write_marker(root: Path, tables: set[str]) -> None:
    temp = root / f"{MARKER_FILE}.{secrets.token_hex(4)}"
    temp.write_text("".join(f"{t}\n" for t in sorted(tables)), encoding="utf-8")
    os.replace(temp, root / MARKER_FILE)
