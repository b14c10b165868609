"""The customers' side of the store: live counts and audiences of saved rules.

When the store and the customers share a database, everything runs there as SQL on the
store's own connection: a run's recipients are planned by one ``INSERT … SELECT`` of the
compiled audience query (on DuckDB one per range of customer ids, see :data:`PLAN_RANGE`).
Otherwise the audience is read from the customers' database through
a server-side cursor (on Spark ``toLocalIterator``, a partition at a time) into a temporary
file (:meth:`Customers.spooled`) before the store's transaction begins, so a slow engine
never holds the store's write lock (SQLite's is the whole file); the plan then copies the
file into the store in batches. Never a whole audience in Python.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from array import array
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlglot import exp

from segdsl.api import as_rule
from segdsl.data.engines import Engine, connect
from segdsl.families.settings import Settings
from segdsl.lang import ir
from segdsl.sql.compile import bind_params, make_context, to_expression, to_sql
from segdsl.sql.dialects import DialectRules, connected_rules
from segdsl.store.database import duckdb_memory_limit, segdsl_dialect
from segdsl.store.errors import StoreUnavailable
from segdsl.store.models import deliveries, runs

#: rows per batch when an audience streams from another database
PLAN_BATCH = 5000
#: how a spooled audience is stored: 8-byte signed ids (customer ids are BIGINT: schema.sql)
SPOOL_ITEM = "q"

#: a spooled audience: each call yields its ids again, ascending, in batches of PLAN_BATCH
Spool = Callable[[], Iterator[list[int]]]
#: customers per ``INSERT … SELECT`` when planning, per segdsl dialect (absent: one statement).
#: DuckDB builds the hash table of a semi-join (``c.id IN (SELECT …)``) from the whole subquery
#: side and keeps it in memory: 36 MB of RSS for 1M recipients (bench/bench_broadcast.py). A range
#: of customer ids on the audience is pushed into both sides, so each statement holds ~4 MB.
PLAN_RANGE = {"duckdb": 100_000}
#: DuckDB's memory limit while the plan's statements run (unless the URL sets ``memory_limit``):
#: (bytes, bytes per customer in the ranges). Near what the plan holds, DuckDB writes the
#: transaction's new rows out rather than keeping them (9 MB for 1M recipients; a limit of
#: 80 MB already keeps them), while the run's primary-key index, which it cannot evict (about
#: 10 bytes per recipient: 32 MB failed at 4M), always fits.
PLAN_MEMORY = {"duckdb": (32 * 2**20, 20)}


def _spool_error(exc: OSError) -> StoreUnavailable:
    return StoreUnavailable(f"cannot keep the audience in a temporary file in {tempfile.gettempdir()} "
                            f"({exc.strerror or exc}): set TMPDIR to a folder with room, 8 bytes per customer")


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _column(name: str, table: str) -> exp.Column:
    return exp.Column(this=_ident(name), table=_ident(table))


class Customers:
    """Where the customers are, as seen from a store.

    ``db_url`` None (or the store's own URL) means the store's database; otherwise a
    segdsl URL opened with :func:`segdsl.data.engines.connect` when first needed, or
    ``given``: an engine the caller opened, used as it is and left open by :meth:`close`.
    """

    def __init__(self, store_engine: sa.Engine, db_url: str | None, shared: bool, settings: Settings,
                 given: Engine | None = None) -> None:
        self.store_engine = store_engine
        self.db_url = db_url
        self.shared = shared
        self.settings = settings
        self._engine: Engine | None = given
        self._owned = given is None

    # ---------------------------------------------------------------- plumbing

    @property
    def rules(self) -> DialectRules:
        return connected_rules(segdsl_dialect(self.store_engine)) if self.shared else self.engine.rules

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = connect(self.db_url)
        return self._engine

    def close(self) -> None:
        if self._engine is not None and self._owned:
            self._engine.close()
            self._engine = None

    def _sql(self, rule: ir.Rule, now: dt.datetime, shape: Any) -> tuple[str, list[Any]]:
        """Compile ``shape(audience_select)`` to driver SQL with bind parameters."""
        ctx = make_context(rule, self.rules, self.settings.schema, now, params=True)
        statement = shape(to_expression(rule, ctx))
        sql = to_sql(statement, ctx.dialect, copy=False)
        return bind_params(sql, ctx.params, ctx.dialect.paramstyle)

    def parse(self, text: str) -> ir.Rule:
        return as_rule(text, self.settings)

    # ---------------------------------------------------------------- reading

    def count(self, rule: ir.Rule, now: dt.datetime, conn: sa.Connection | None = None) -> int:
        """The exact number of customers matching ``rule`` at ``now``."""

        def counted(select: exp.Select) -> exp.Select:
            return exp.select(exp.Count(this=exp.Star())).from_(select.subquery("a"))

        sql, params = self._sql(rule, now, counted)
        if self.shared:
            assert conn is not None
            return int(conn.exec_driver_sql(sql, tuple(params)).scalar_one())
        return int(self.engine.query(sql, params)[0][0])

    def sorted_ids(self, rule: ir.Rule, now: dt.datetime, conn: sa.Connection | None = None) -> Iterator[list[int]]:
        """The audience's customer ids in ascending order, in batches (server-side cursors)."""

        def ordered(select: exp.Select) -> exp.Select:
            cid = _column("customer_id", "a")
            return exp.select(cid).from_(select.subquery("a")).order_by(cid)

        sql, params = self._sql(rule, now, ordered)
        if self.shared:
            assert conn is not None
            result = conn.execution_options(stream_results=True, max_row_buffer=PLAN_BATCH).exec_driver_sql(
                sql, tuple(params)
            )
            for part in result.partitions(PLAN_BATCH):
                yield [int(r[0]) for r in part]
            return
        for rows in self.engine.batches(sql, params, PLAN_BATCH):
            yield [int(r[0]) for r in rows]

    def count_new(self, rule: ir.Rule, now: dt.datetime, broadcast_id: int, conn: sa.Connection) -> tuple[int, int]:
        """(total, new): the audience, and those in it who received no run of the broadcast."""
        if self.shared:
            received = received_ids(broadcast_id)

            def split(select: exp.Select) -> exp.Select:
                cid = _column("customer_id", "a")
                seen = exp.Exists(this=received.where(exp.EQ(this=_column("customer_id", "d"), expression=cid)))
                new = exp.Sum(this=exp.Case(ifs=[exp.If(this=exp.Not(this=seen), true=exp.Literal.number(1))],
                                            default=exp.Literal.number(0)))
                return exp.select(exp.Count(this=exp.Star()), new).from_(select.subquery("a"))

            sql, params = self._sql(rule, now, split)
            total, new = conn.exec_driver_sql(sql, tuple(params)).one()
            return int(total), int(new or 0)
        # Two sorted streams from two databases, merged in constant memory.
        total = new = 0
        seen = _flatten(_received_stream(conn, broadcast_id))
        head = next(seen, None)
        for batch in self.sorted_ids(rule, now):
            for cid in batch:
                while head is not None and head < cid:
                    head = next(seen, None)
                total += 1
                if head != cid:
                    new += 1
        return total, new

    # ---------------------------------------------------------------- planning

    @contextlib.contextmanager
    def spooled(self, rule: ir.Rule, now: dt.datetime) -> Iterator[Spool | None]:
        """The audience of ``rule`` at ``now`` read once, before the store's transaction:
        a :data:`Spool` over an unnamed temporary file (8 bytes per customer, removed on exit;
        memory stays at one batch). None where the store shares the customers' database:
        :meth:`plan` then inserts with one statement and needs no copy.

        Raises what the customers' engine raises (``segdsl.data.engines``); StoreUnavailable when
        the temporary file cannot be written (``TMPDIR`` full; where it is a tmpfs the file is in
        memory) or an id does not fit in 64 bits.
        """
        if self.shared:
            yield None
            return
        try:
            file = tempfile.TemporaryFile(prefix="segdsl-audience-")  # noqa: SIM115 - the with below closes it
        except OSError as exc:
            raise _spool_error(exc) from exc
        with file:
            try:
                for batch in self.sorted_ids(rule, now):
                    array(SPOOL_ITEM, batch).tofile(file)
                file.flush()
            except OverflowError:
                raise StoreUnavailable("a customer id does not fit in 64 bits (segdsl's ids are BIGINT: "
                                       "schema.sql)") from None
            except OSError as exc:
                raise _spool_error(exc) from exc

            def batches() -> Iterator[list[int]]:
                file.seek(0)
                while chunk := file.read(PLAN_BATCH * array(SPOOL_ITEM).itemsize):
                    ids = array(SPOOL_ITEM)
                    ids.frombytes(chunk)
                    yield ids.tolist()

            yield batches

    def plan(self, rule: ir.Rule, now: dt.datetime, run_id: int, conn: sa.Connection, spool: Spool | None) -> None:
        """Insert one planned delivery per matching customer for ``run_id`` (inside ``conn``'s transaction).

        ``spool``: what :meth:`spooled` yielded, the audience of a store apart from the customers
        (None where they share a database).
        """
        if not self.shared:
            assert spool is not None, "a store apart from the customers plans from Customers.spooled"
            for batch in spool():
                conn.execute(deliveries.insert(), [{"run_id": run_id, "customer_id": cid} for cid in batch])
            return
        ranges, customers = self._ranges(rule, now, conn)
        base, per_customer = PLAN_MEMORY.get(self.rules.name, (0, 0))
        with duckdb_memory_limit(conn, base + per_customer * customers if base else None):
            for low, high in ranges:

                def part(select: exp.Select, low: int = low, high: int = high) -> exp.Insert:
                    rows = exp.select(exp.Literal.number(run_id), _column("customer_id", "a")).from_(
                        select.subquery("a"))
                    if high >= low:  # else: the whole audience at once
                        rows.where(exp.Between(this=_column("customer_id", "a"), low=exp.Literal.number(low),
                                               high=exp.Literal.number(high)), copy=False)
                    target = exp.Schema(this=exp.Table(this=_ident(deliveries.name)),
                                        expressions=[_ident("run_id"), _ident("customer_id")])
                    return exp.Insert(this=target, expression=rows)

                sql, params = self._sql(rule, now, part)
                conn.exec_driver_sql(sql, tuple(params))

    def _ranges(self, rule: ir.Rule, now: dt.datetime, conn: sa.Connection) -> tuple[list[tuple[int, int]], int]:
        """(ranges, customers): ranges of customer ids (inclusive) that together hold every
        customer, about :data:`PLAN_RANGE` customers each (equal widths between the smallest and
        largest id), and how many customers they hold; ``[(0, -1)]`` means one statement for the
        whole audience (customers not counted: 0)."""
        size = PLAN_RANGE.get(self.rules.name)
        if size is None:
            return [(0, -1)], 0

        def bounds(select: exp.Select) -> exp.Select:
            cid = select.expressions[0].this  # c.id AS customer_id
            return exp.select(exp.Min(this=cid.copy()), exp.Max(this=cid.copy()), exp.Count(this=exp.Star())).from_(
                select.args["from_"].copy()
            )

        sql, params = self._sql(rule, now, bounds)
        low, high, customers = conn.exec_driver_sql(sql, tuple(params)).one()
        if not customers:
            return [], 0
        parts = -(-int(customers) // size)
        width = -(-(int(high) - int(low) + 1) // parts)
        return ([(start, min(start + width - 1, int(high))) for start in range(int(low), int(high) + 1, width)],
                int(customers))


def received_ids(broadcast_id: int) -> exp.Select:
    """sqlglot: the customer ids delivered (sent) in any run of a broadcast, from alias ``d``."""
    run_ids = exp.select(_ident("id")).from_(exp.Table(this=_ident(runs.name))).where(
        exp.EQ(this=exp.column(_ident("broadcast_id")), expression=exp.Literal.number(broadcast_id))
    )
    return (
        exp.select(_column("customer_id", "d"))
        .from_(exp.Table(this=_ident(deliveries.name), alias=exp.TableAlias(this=_ident("d"))))
        .where(_column("run_id", "d").isin(query=run_ids))
        .where(exp.Not(this=exp.Is(this=_column("sent_at", "d"), expression=exp.Null())))
    )


def received_query(broadcast_id: int) -> sa.Select:
    """SQLAlchemy: the distinct customers who received any run of a broadcast, ascending."""
    run_ids = sa.select(runs.c.id).where(runs.c.broadcast_id == broadcast_id)
    return (
        sa.select(deliveries.c.customer_id)
        .where(deliveries.c.run_id.in_(run_ids), deliveries.c.sent_at.is_not(None))
        .distinct()
        .order_by(deliveries.c.customer_id)
    )


def _received_stream(conn: sa.Connection, broadcast_id: int) -> Iterator[list[int]]:
    result = conn.execution_options(stream_results=True, max_row_buffer=PLAN_BATCH).execute(
        received_query(broadcast_id)
    )
    for part in result.partitions(PLAN_BATCH):
        yield [int(r[0]) for r in part]


def _flatten(batches: Iterator[list[int]]) -> Iterator[int]:
    for batch in batches:
        yield from batch
