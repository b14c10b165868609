"""The store API end to end on SQLite, DuckDB, PostgreSQL and MariaDB.

Audiences are checked against ``segdsl.audience`` on the same database, an independent path.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import segdsl
from segdsl.data.engines import connect
from segdsl.lang.clock import resolve_now
from segdsl.store import (
    BroadcastNotFound,
    DeliveryFailed,
    NameTaken,
    PendingResends,
    SegmentGone,
    SegmentNotFound,
    Store,
    StoreUnavailable,
    VersionConflict,
    audience,
    database,
)
from segdsl.store.deliverers import PrintDeliverer
from segdsl.store.models import VERSION_TABLE, metadata
from tests.engines import backend_params
from tests.storedb import load, people

VIP = 'channel whatsapp and tag = "vip"'
VIP_OR_GOLD = 'channel whatsapp and (tag = "vip" or tag = "gold")'
ALL = ("sqlite", "duckdb", "postgres", "mysql")


class Collect:
    """A deliverer that remembers every batch."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.keys: list[str] = []

    @segdsl.families.hookspecs.hookimpl  # type: ignore[attr-defined]
    def segdsl_deliver(self, broadcast, run, batch):  # noqa: ANN001
        self.batches.append([d.customer_id for d in batch])
        self.keys.extend(d.idempotency_key for d in batch)

    @property
    def ids(self) -> list[int]:
        return [c for b in self.batches for c in b]


import segdsl.families.hookspecs  # noqa: E402  (for the decorator above)


@pytest.mark.parametrize("backend_db", backend_params(ALL), indirect=True)
def test_whole_workflow(backend_db: str) -> None:
    url = backend_db
    load(url, people(60))
    with Store(url) as store:
        seg = store.create_segment(VIP)
        assert (seg.name, seg.version, seg.channel) == ("Segment #1", 1, "whatsapp")
        vip = segdsl.audience(VIP, db=url)
        counted = store.count("  SEGMENT #1 ")
        assert counted.count == len(vip) == 20
        assert store.segment("segment #1").count == 20

        got = Collect()
        out = store.send("Segment #1", name="Spring", message="hello", deliverer=got, batch_size=7)
        assert out.run.planned == out.run.sent == out.delivered == 20
        assert sorted(got.ids) == vip and len(got.ids) == len(set(got.ids))
        assert max(len(b) for b in got.batches) == 7
        assert got.keys[0] == f"{out.run.id}:{got.ids[0]}"

        load(url, people(1, start=1002), create=False)  # a new vip customer arrives
        assert store.count("Segment #1").count == 21

        edit = store.edit_segment("segment #1", rule=VIP_OR_GOLD)
        assert edit.new_version and edit.segment.version == 2 and edit.pending == ["Spring"]
        assert store.broadcast("spring").pending_resend

        now = set(segdsl.audience(VIP_OR_GOLD, db=url))
        (dry,) = store.resend(dry_run=True)
        assert (dry.total, dry.new, dry.gone) == (len(now), len(now - set(vip)), len(set(vip) - now))
        assert len(store.broadcast("Spring").runs) == 1  # a dry run writes nothing

        again = Collect()
        (res,) = store.resend(only_new=True, deliverer=again)
        assert sorted(again.ids) == sorted(now - set(vip)) and 1002 in again.ids
        assert res.run.number == 2 and res.run.only_new
        b = store.broadcast("Spring")
        assert not b.pending_resend and [r.status for r in b.runs] == ["done", "done"]
        assert b.rule == VIP and b.segment_version == 1
        assert store.resend() == []  # nothing pending

        full = Collect()
        (res3,) = store.resend("Spring", deliverer=full)  # a named resend after finished runs: a new run
        assert res3.run.number == 3 and sorted(full.ids) == sorted(now)


@pytest.mark.parametrize("backend_db", backend_params(ALL), indirect=True)
def test_names_versions_and_errors(backend_db: str) -> None:
    url = backend_db
    load(url, people(10))
    with Store(url) as store:
        assert store.create_segment(VIP).name == "Segment #1"
        assert store.create_segment(VIP, name=" VIP buyers ").name == "VIP buyers"
        with pytest.raises(NameTaken):
            store.create_segment(VIP, name="vip BUYERS")
        store.create_segment(VIP, name="Segment #7")  # uses up 7
        store.delete_segment("Segment #1")
        assert store.create_segment(VIP).name == "Segment #8"  # never reused, above every used number
        with pytest.raises(segdsl.RuleError):
            store.create_segment("channel whatsapp and tag =")
        with pytest.raises(SegmentNotFound, match="did you mean `VIP buyers`"):
            store.segment("VIP buyer")
        with pytest.raises(NameTaken):
            store.edit_segment("Segment #8", rename="vip buyers")
        store.edit_segment("VIP buyers", rule=VIP_OR_GOLD, expected_version=1)
        with pytest.raises(VersionConflict):
            store.edit_segment("VIP buyers", rule=VIP, expected_version=1)
        renamed = store.edit_segment("VIP buyers", rename="Best")
        assert not renamed.new_version and renamed.segment.version == 2
        assert [(v.version, v.rule) for v in store.versions("best")] == [(1, VIP), (2, VIP_OR_GOLD)]
        assert [s.name for s in store.segments()] == ["Best", "Segment #7", "Segment #8"]
        with pytest.raises(BroadcastNotFound):
            store.broadcast("nope")


@pytest.mark.parametrize("backend_db", backend_params(ALL), indirect=True)
def test_delete_keeps_history_and_needs_force_when_pending(backend_db: str) -> None:
    url = backend_db
    load(url, people(12))
    with Store(url) as store:
        store.create_segment(VIP, name="S")
        store.send("S", deliverer=Collect())
        store.edit_segment("S", rule=VIP_OR_GOLD)
        with pytest.raises(PendingResends, match="Broadcast #1"):
            store.delete_segment("S")
        store.delete_segment("S", force=True)
        b = store.broadcast("Broadcast #1")
        assert (b.segment, b.segment_id, b.rule, b.pending_resend) == ("S", None, VIP, False)
        with pytest.raises(SegmentGone):
            store.resend("Broadcast #1")


@pytest.mark.parametrize("backend_db", backend_params(ALL), indirect=True)
def test_failed_delivery_is_resumed_as_the_same_run(backend_db: str) -> None:
    url = backend_db
    load(url, people(90))

    class Flaky(Collect):
        def __init__(self) -> None:
            super().__init__()
            self.calls = 0

        @segdsl.families.hookspecs.hookimpl
        def segdsl_deliver(self, broadcast, run, batch):  # noqa: ANN001
            self.calls += 1
            if self.calls == 3:
                raise ConnectionError("gateway down")
            self.batches.append([d.customer_id for d in batch])

    with Store(url) as store:
        store.create_segment(VIP, name="S")
        flaky = Flaky()
        with pytest.raises(DeliveryFailed, match="gateway down"):
            store.send("S", deliverer=flaky, batch_size=10)
        (run,) = store.broadcast("Broadcast #1").runs
        assert (run.status, run.sent, run.pending) == ("sending", 20, 10)
        rest = Collect()
        (out,) = store.resend(deliverer=rest)
        assert out.action == "resumed" and out.run.id == run.id and out.run.status == "done"
        assert sorted(flaky.ids + rest.ids) == segdsl.audience(VIP, db=url)
        assert not set(flaky.ids) & set(rest.ids)


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres", "mysql")), indirect=True)
def test_migrations_match_the_tables(backend_db: str) -> None:
    with Store(backend_db) as store:
        assert store.status().up_to_date
        with store.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"include_name": database.ours, "compare_type": True}),
                metadata,
            )
        assert diff == []


@pytest.mark.parametrize("backend_db", backend_params(("duckdb",)), indirect=True)
def test_duckdb_is_migrated_by_alembic(backend_db: str) -> None:
    # SQLAlchemy cannot reflect DuckDB's catalog, so compare names instead of compare_metadata
    with Store(backend_db, migrate=False) as store:
        assert store.status().current is None
        assert store.upgrade() == (None, database.head())
        with store.engine.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql("SELECT table_name FROM information_schema.tables")}
            version = conn.exec_driver_sql("SELECT version_num FROM segdsl_alembic_version").scalar_one()
    assert {t.name for t in metadata.sorted_tables} <= tables and version == database.head()


def test_head_constant_is_alembics_head() -> None:
    # the fast path compares with HEAD; a new migration script must bump it
    assert database.head() == database.HEAD


@pytest.mark.parametrize("backend_db", backend_params(ALL), indirect=True)
def test_an_up_to_date_store_opens_without_alembic(backend_db: str) -> None:
    with Store(backend_db) as store:  # creates the tables (Alembic runs here)
        store.create_segment(VIP, name="S")
    # a new process: the revision is read with SQLAlchemy; Alembic is not even imported
    code = (
        "import sys\n"
        "from segdsl.store import Store\n"
        f"with Store({backend_db!r}) as store:\n"
        "    print(store.upgrade(), store.status().up_to_date, [s.name for s in store.segments()])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [f"('{database.HEAD}', '{database.HEAD}') True ['S']", "[]"]


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "duckdb")), indirect=True)
def test_an_empty_version_table_is_migrated_by_alembic(backend_db: str) -> None:
    with Store(backend_db) as store, store.engine.begin() as conn:
        conn.execute(sa.text(f"DELETE FROM {VERSION_TABLE}"))  # as if the tables predated the stamp
        for table in reversed(metadata.sorted_tables):
            table.drop(conn)
    with Store(backend_db, migrate=False) as store:
        assert store.status().current is None
        assert store.upgrade() == (None, database.HEAD)
        assert store.status().up_to_date
        assert store.create_segment(VIP).name == "Segment #1"


def test_duckdb_plans_in_ranges_of_customer_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # sparse ids (1..40, then 1001..1040) in ranges of about 7 customers: every recipient once
    url = f"duckdb:///{tmp_path / 'shop.duckdb'}?threads=1&memory_limit=256MB"
    load(url, people(40) + people(40, start=1001))
    monkeypatch.setattr(audience, "PLAN_RANGE", {"duckdb": 7})
    with Store(url) as store:
        assert store.customers.shared  # the settings in the query do not make another database
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_setting('threads')").scalar_one() == 1
        seg = store.create_segment(VIP, name="S")
        with store.engine.connect() as conn:
            ranges, customers = store.customers._ranges(store.customers.parse(seg.rule), resolve_now(None), conn)
        assert len(ranges) == 12 and ranges[0][0] == 1 and ranges[-1][1] == 1040 and customers == 80
        got = Collect()
        out = store.send("S", deliverer=got, batch_size=10)
    assert got.ids == segdsl.audience(VIP, db=url) and out.run.planned == out.run.sent == 26


def test_duckdb_send_holds_one_connection(tmp_path: Path) -> None:
    # one connection from plan to last batch, with the send's settings set and reset on it
    url = f"duckdb:///{tmp_path / 'shop.duckdb'}"
    load(url, people(40))
    with Store(url) as store:
        store.create_segment(VIP, name="S")
        opened: list[int] = []
        statements: list[str] = []
        sa.event.listen(store.engine, "connect", lambda *args: opened.append(1))
        sa.event.listen(store.engine, "before_cursor_execute", lambda conn, cursor, sql, *args: statements.append(sql))
        got = Collect()
        out = store.send("S", deliverer=got, batch_size=3)
        assert len(got.batches) >= 4 and out.run.sent == out.run.planned == len(got.ids)
        assert len(opened) == 1
        sets = [s for s in statements if s.startswith(("SET ", "RESET "))]
        assert sets[:2] == ["SET threads = '1'", "SET checkpoint_threshold = '4MB'"]
        assert any(s.startswith("SET memory_limit") for s in sets) and "RESET memory_limit" in sets
        assert sets[-3:] == ["RESET threads", "RESET checkpoint_threshold", "RESET memory_limit"]


def test_store_in_another_database_streams_the_audience(tmp_path: Path) -> None:
    customers = f"sqlite:///{tmp_path / 'customers.db'}"
    load(customers, people(50))
    with Store(f"duckdb:///{tmp_path / 'store.duckdb'}", db=customers) as store:
        assert not store.customers.shared
        store.create_segment(VIP, name="S")
        assert store.count("S").count == 16
        out = io.StringIO()
        store.send("S", deliverer=PrintDeliverer(out, "ids"))
        assert [int(x) for x in out.getvalue().split()] == segdsl.audience(VIP, db=customers)
        store.edit_segment("S", rule=VIP_OR_GOLD)
        (dry,) = store.resend(dry_run=True, only_new=True)
        now = set(segdsl.audience(VIP_OR_GOLD, db=customers))
        assert (dry.total, dry.new, dry.gone) == (len(now), len(now) - 16, 0)
        got = Collect()
        store.resend(only_new=True, deliverer=got)
        assert sorted(got.ids) == sorted(now - set(segdsl.audience(VIP, db=customers)))


def _store_writable(path: Path) -> bool:
    """Can another process take the write lock of the SQLite store at ``path`` right now?"""
    import sqlite3

    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        other.close()


def test_store_apart_stays_writable_while_the_audience_is_read(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow customers' engine (Spark) must not hold a SQLite store's write lock: the audience is
    spooled before the store's transaction, for a send and for both kinds of resend."""
    customers = f"sqlite:///{tmp_path / 'customers.db'}"
    load(customers, people(60))
    store_file = tmp_path / "store.db"
    seen: list[bool] = []
    read = audience.Customers.sorted_ids

    def watched(self, rule, now, conn=None):  # noqa: ANN001, ANN202
        for batch in read(self, rule, now, conn):
            seen.append(_store_writable(store_file))
            yield batch

    monkeypatch.setattr(audience.Customers, "sorted_ids", watched)
    with Store(f"sqlite:///{store_file}", db=customers) as store:
        store.create_segment(VIP, name="S")
        first = Collect()
        store.send("S", deliverer=first)
        assert first.ids == segdsl.audience(VIP, db=customers)
        store.edit_segment("S", rule=VIP_OR_GOLD)
        again = Collect()
        store.resend("Broadcast #1", only_new=True, deliverer=again)
        assert sorted(again.ids) == sorted(set(segdsl.audience(VIP_OR_GOLD, db=customers)) - set(first.ids))
        store.edit_segment("S", rule=VIP)
        whole = Collect()
        store.resend("Broadcast #1", deliverer=whole)
        assert whole.ids == segdsl.audience(VIP, db=customers)
    assert len(seen) == 3 and all(seen), seen


def test_an_edit_while_the_audience_is_read_sends_the_new_rule(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The audience is read outside the store's transaction, so the segment can change meanwhile:
    the send then reads it again, and records the version its recipients match."""
    customers = f"sqlite:///{tmp_path / 'customers.db'}"
    load(customers, people(60))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    read = audience.Customers.sorted_ids
    edits: list[int] = []

    def edited_meanwhile(self, rule, now, conn=None):  # noqa: ANN001, ANN202
        if not edits:
            with Store(url, db=customers) as other:
                edits.append(other.edit_segment("S", rule=VIP_OR_GOLD).segment.version)
        yield from read(self, rule, now, conn)

    monkeypatch.setattr(audience.Customers, "sorted_ids", edited_meanwhile)
    with Store(url, db=customers) as store:
        store.create_segment(VIP, name="S")
        got = Collect()
        out = store.send("S", deliverer=got)
        assert edits == [2]
        assert store.broadcast(out.broadcast).segment_version == 2
        assert got.ids == segdsl.audience(VIP_OR_GOLD, db=customers) != segdsl.audience(VIP, db=customers)

    def always_edited(self, rule, now, conn=None):  # noqa: ANN001, ANN202
        with Store(url, db=customers) as other:
            other.edit_segment("S", rule=VIP if "gold" in other.segment("S").rule else VIP_OR_GOLD)
        yield from read(self, rule, now, conn)

    monkeypatch.setattr(audience.Customers, "sorted_ids", always_edited)
    with Store(url, db=customers) as store:
        with pytest.raises(VersionConflict, match="was edited 3 times while its audience was being read"):
            store.send("S", deliverer=Collect())
        assert [b.name for b in store.broadcasts()] == ["Broadcast #1"]  # nothing recorded


def test_what_changes_while_the_audience_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A segment deleted and made again under its name (SQLite may reuse its id) is sent as the new
    one; a taken broadcast name fails before any customer is read; a resend whose segment is
    deleted meanwhile sends nothing (SegmentGone)."""
    customers = f"sqlite:///{tmp_path / 'customers.db'}"
    load(customers, people(60))
    url = f"sqlite:///{tmp_path / 'store.db'}"
    read = audience.Customers.sorted_ids
    reads: list[str] = []
    meanwhile: list[Callable[[Store], object]] = []

    def watched(self, rule, now, conn=None):  # noqa: ANN001, ANN202
        reads.append("read")
        if meanwhile:
            with Store(url, db=customers) as other:
                meanwhile.pop()(other)
        yield from read(self, rule, now, conn)

    monkeypatch.setattr(audience.Customers, "sorted_ids", watched)
    gold = 'channel whatsapp and tag = "gold"'
    with Store(url, db=customers) as store:
        store.create_segment(VIP, name="S")
        meanwhile.append(lambda other: (other.delete_segment("S"), other.create_segment(gold, name="S")))
        got = Collect()
        out = store.send("S", name="B1", deliverer=got)
        sent = store.broadcast(out.broadcast)
        assert (sent.segment_id, sent.rule) == (store.segment("S").id, gold)
        assert got.ids == segdsl.audience(gold, db=customers) != segdsl.audience(VIP, db=customers)

        reads.clear()
        with pytest.raises(NameTaken, match="a broadcast named `B1` already exists"):
            store.send("S", name=" b1 ", deliverer=Collect())
        assert reads == []

        store.edit_segment("S", rule=VIP)
        meanwhile.append(lambda other: other.delete_segment("S", force=True))
        with pytest.raises(SegmentGone, match="was deleted while its audience was read"):
            store.resend("B1", deliverer=Collect())
        assert [r.number for r in store.broadcast("B1").runs] == [1]


def test_a_full_temporary_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    customers = f"sqlite:///{tmp_path / 'customers.db'}"
    load(customers, people(20))

    def full(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(28, "No space left on device")

    with Store(f"sqlite:///{tmp_path / 'store.db'}", db=customers) as store:
        store.create_segment(VIP, name="S")
        monkeypatch.setattr(audience.tempfile, "TemporaryFile", full)
        with pytest.raises(StoreUnavailable, match=r"temporary file in .*No space left on device.*set TMPDIR"):
            store.send("S", deliverer=Collect())
        assert store.broadcasts() == []


@pytest.mark.parametrize("backend_db", backend_params(("postgres",)), indirect=True)
def test_a_stream_left_early_ends_its_transaction(backend_db: str) -> None:
    """A reader that stops before the end (a spool that failed) leaves no transaction open."""
    load(backend_db, people(30))
    with connect(backend_db) as eng:
        stream = eng.batches("SELECT id FROM customers ORDER BY id", size=5)
        assert len(next(stream)) == 5
        stream.close()
        assert eng.conn.info.transaction_status.name == "IDLE"
        assert eng.query("SELECT COUNT(*) FROM customers")[0][0] == 30


def test_bad_store_url_is_one_line() -> None:
    with pytest.raises(StoreUnavailable, match="cannot live in"):
        Store("spark://local")
    with pytest.raises(StoreUnavailable):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_duckdb_before_2_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB 1.x reports -1 rows for an UPDATE, so every claim of a run would look lost."""
    import duckdb

    monkeypatch.setattr(duckdb, "__version__", "1.4.3")
    with pytest.raises(StoreUnavailable, match=r"needs duckdb 2\.0 or newer \(installed: 1\.4\.3\)"):
        Store(f"duckdb:///{tmp_path / 'store.duckdb'}")
    assert not (tmp_path / "store.duckdb").exists()


def test_store_is_a_top_level_name() -> None:
    assert segdsl.Store is Store
    assert sa.__version__  # SQLAlchemy is a core dependency
