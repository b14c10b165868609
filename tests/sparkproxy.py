"""A Spark Connect engine in a child process, for tests that also use a local Spark session.

pyspark refuses to mix a local (classic) session and a Spark Connect client in
one process (a Connect session switches the process's ``pyspark.sql.functions``
to Connect). The test run keeps its classic session in process and runs
``segdsl.connect("sc://...")`` in one child process, reached through a
DB-API-shaped shim: the child runs the real :class:`segdsl.data.engines.Engine`
over Spark Connect and answers each statement with its rows (JSON lines on
stdin/stdout). Data is written once, as Parquet, by the parent, into the
warehouse folder the child's URL names.

Run as ``python -m tests.sparkproxy URL`` (the parent does that).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    return value


class ProxyError(Exception):
    """The child's engine failed; the message is its one-line error."""


class ProxyCursor:
    """Sends the statement when its rows are asked for: ``fetchall`` runs the child's
    ``Engine.query`` (collect), ``fetchmany`` its ``Engine.stream`` (toLocalIterator)."""

    def __init__(self, conn: ProxyConnection) -> None:
        self.conn = conn
        #: every statement sent here is a query (loads go through write_rows)
        self.description: list[tuple[str, ...]] | None = [("?", None, None, None, None, None, None)]
        self._statement: tuple[str, list[Any]] | None = None
        self._rows: list[tuple[Any, ...]] | None = None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._statement, self._rows = (sql, list(params)), None

    def _run(self, op: str) -> list[tuple[Any, ...]]:
        if self._rows is None:
            assert self._statement is not None
            sql, params = self._statement
            answer = self.conn.call({"op": op, "sql": sql, "params": params})
            self._rows = [tuple(_decode(v) for v in row) for row in answer["rows"]]
        return self._rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows = self._run("query")
        self._rows = []
        return rows

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        rows = self._run("stream")
        self._rows = rows[size:]
        return rows[:size]

    def close(self) -> None:
        self._rows = []


class ProxyConnection:
    """The parent's side: a DB-API connection whose statements run in the child."""

    def __init__(self, url: str, warehouse: Path) -> None:
        self.warehouse = warehouse
        root = Path(__file__).resolve().parent.parent
        self.child = subprocess.Popen(
            [sys.executable, "-m", "tests.sparkproxy", url], cwd=root, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        self.call({"op": "ping"})

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.child.stdin is not None and self.child.stdout is not None
        self.child.stdin.write(json.dumps(request) + "\n")
        self.child.stdin.flush()
        line = self.child.stdout.readline()
        if not line:
            raise ProxyError(f"the Spark Connect child exited ({self.child.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise ProxyError(answer["error"])
        return answer

    def cursor(self) -> ProxyCursor:
        return ProxyCursor(self)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def write_rows(self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> None:
        from segdsl.data.spark import write_parquet

        write_parquet(self.warehouse / table, columns, rows)
        self.call({"op": "register"})

    def clear(self, table: str) -> None:
        import shutil

        shutil.rmtree(self.warehouse / table, ignore_errors=True)

    def close(self) -> None:
        if self.child.poll() is None:
            assert self.child.stdin is not None
            self.child.stdin.write(json.dumps({"op": "close"}) + "\n")
            self.child.stdin.close()
            self.child.wait(timeout=60)


def serve(url: str) -> None:
    """The child's side: one segdsl Engine over Spark Connect, a statement per input line."""
    from segdsl.data.engines import EngineError, connect

    engine = connect(url)
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing else may write to the answer channel
    for line in sys.stdin:
        request = json.loads(line)
        answer: dict[str, Any] = {}
        try:
            if request["op"] == "query":
                answer["rows"] = engine.query(request["sql"], request["params"])
            elif request["op"] == "stream":
                answer["rows"] = list(engine.stream(request["sql"], request["params"]))
            elif request["op"] == "register":
                engine.conn.register_warehouse()
            elif request["op"] == "close":
                engine.close()
                return
        except EngineError as exc:
            answer = {"error": str(exc)}
        if "rows" in answer:
            answer["rows"] = [[_encode(v) for v in row] for row in answer["rows"]]
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    serve(sys.argv[1])
