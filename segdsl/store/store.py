"""The store API: saved segments with versions, live counts, broadcasts, runs and deliveries.

>>> import segdsl
>>> store = segdsl.Store("sqlite:///:memory:")            # doctest: +SKIP
>>> store.create_segment('channel sms and tag = "vip"')    # doctest: +SKIP
Segment(id=1, name='Segment #1', ...)

Guarantees (docs/store.md): names are unique ignoring case and surrounding spaces (a unique
key column); edits are optimistic (``UPDATE … WHERE version = seen``); a delivery exists at
most once per run and customer (primary key); a new run is claimed once (``UPDATE … WHERE
runs = seen`` plus a unique run number); a batch is marked sent in the transaction after its
deliverer returned, so after a crash only the batch in flight is offered again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import socket
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

import segdsl.store.database as database
from segdsl.api import format as canonical
from segdsl.data.engines import Engine, default_db_url
from segdsl.data.urls import redact_url, scrub
from segdsl.families.settings import Settings, default_settings
from segdsl.lang.clock import resolve_now
from segdsl.lang.errors import RuleError, did_you_mean
from segdsl.store.audience import Customers, Spool, received_query
from segdsl.store.deliverers import Deliverer
from segdsl.store.errors import (
    BadName,
    BroadcastNotFound,
    DelivererNeeded,
    DeliveryFailed,
    NameTaken,
    PendingResends,
    RunBusy,
    SegmentGone,
    SegmentNotFound,
    StoreError,
    StoreUnavailable,
    VersionConflict,
)
from segdsl.store.models import (
    BROADCAST_COUNTER,
    NAME_LENGTH,
    SEGMENT_COUNTER,
    broadcasts,
    counters,
    deliveries,
    runs,
    segment_versions,
    segments,
)
from segdsl.store.records import Broadcast, Count, Delivery, Edit, Outcome, Run, Segment, SegmentVersion

#: recipients handed to the deliverer per call
DEFAULT_BATCH = 1000
#: seconds after its last batch that a run owned by a process on another host counts as abandoned
DEFAULT_LEASE = 300
#: a send reads its segment, then its audience, then records both; times it starts again when the
#: segment was edited in between (then VersionConflict)
PLAN_ATTEMPTS = 3
_HOST = socket.gethostname()
Progress = Callable[[Run, int], None]


def normalise(name: str) -> tuple[str, str]:
    """(display name, unique key): surrounding spaces removed; the key also case-folded.

    >>> normalise("  VIP buyers ")
    ('VIP buyers', 'vip buyers')
    """
    display = name.strip()
    if not display:
        raise BadName("a name cannot be empty")
    if len(display) > NAME_LENGTH:
        raise BadName(f"a name has at most {NAME_LENGTH} characters")
    return display, display.casefold()


def _now() -> dt.datetime:
    return resolve_now(None)


def _pk(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _count(row: Any) -> int | None:
    # `row.count` would be the tuple method: a column named count is read by key
    value = row._mapping["count"]
    return None if value is None else int(value)


def _holder(conn: sa.Connection, table: sa.Table, key: str) -> str | None:
    """The stored name of ``table``'s row whose name key is ``key``, if any."""
    found = conn.execute(sa.select(table.c.name).where(table.c.name_key == key)).scalar_one_or_none()
    return None if found is None else str(found)


def _identity(seg: Segment) -> tuple[Any, ...]:
    """What a send's recorded segment must still be when it plans (a count may change meanwhile)."""
    return seg.id, seg.name, seg.created_at, seg.version, seg.rule


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Store:
    """Saved segments and broadcasts in a SQL database (SQLite, DuckDB, PostgreSQL, MariaDB).

    ``url`` is where the store's ``segdsl_*`` tables live (default ``$SEGDSL_DB``, else
    ``sqlite:///segdsl.db``); ``db`` where the customers are (default: the same database): a
    URL, opened on first use and closed with the store, or an open :class:`segdsl.data.engines.Engine`
    from ``segdsl.connect(url)``, which the store uses and leaves open (a Spark session then
    serves many stores and calls). Customers on Spark (``spark://``, ``sc://``) need the store
    elsewhere (Spark is not transactional): their audiences stream from Spark into the store in
    batches of :data:`segdsl.store.audience.PLAN_BATCH` rows.
    The tables are created or migrated on first use (``migrate=False`` leaves them alone).
    Every method raises a subclass of :class:`StoreError` with a one-line message, or
    ``segdsl.RuleError`` for an invalid rule. Use as a context manager or call :meth:`close`.
    """

    def __init__(self, url: str | None = None, *, db: str | Engine | None = None, settings: Settings | None = None,
                 migrate: bool = True, lease: float = DEFAULT_LEASE) -> None:
        given, db_url = (db, db.url) if isinstance(db, Engine) else (None, db)
        self.url = url or db_url or default_db_url()
        self.db_url = db_url or self.url
        self.settings = settings or default_settings()
        self.lease = dt.timedelta(seconds=lease)
        #: the store's URL fit to print (password and secret query values masked)
        self.display_url = redact_url(self.url)
        self.engine = database.create_engine(self.url)
        self._local_file = database.local_file(self.engine)
        if self._local_file is not None:
            folder = os.path.dirname(os.path.abspath(self._local_file))
            if not os.path.isdir(folder):
                self.engine.dispose()
                raise StoreUnavailable(f"cannot open {self.display_url}: the folder {folder} does not exist")
        shared = database.same_database(self.db_url, self.url)
        self.customers = Customers(self.engine, None if shared else self.db_url, shared, self.settings, given)
        self.owner = f"{_HOST}:{os.getpid()}:{secrets.token_hex(4)}"
        self._ready = False
        self._hold: sa.Connection | None = None
        if migrate:
            self.upgrade()

    # ---------------------------------------------------------------- lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.customers.close()
        self.engine.dispose()

    def upgrade(self) -> tuple[str | None, str]:
        """Create or migrate the store's tables; returns (revision before, revision now)."""
        with self._errors():
            before_after = database.upgrade(self.engine)
        self._ready = True
        return before_after

    def status(self) -> database.Status:
        """The store's migration state (current revision, newest shipped revision); reads only.

        Raises StoreUnavailable (``cannot open URL: …``) when the database cannot be reached:
        no such database, refused connection, unknown host, missing folder (checked when the
        store is made). A SQLite or DuckDB file that does not exist yet is a store without
        tables (``current`` None), and is not created.
        """
        if self._local_file is not None and not os.path.exists(self._local_file):
            return database.Status(self.display_url, None, database.HEAD)
        with self._errors():
            return database.status(self.engine, self.display_url)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Database failures -> StoreUnavailable, in one line naming the store's URL (masked):
        ``cannot open URL: …`` when no connection could be made, ``URL: …`` for a failed statement."""
        try:
            yield
        except StoreError:
            raise
        except DBAPIError as exc:
            text = scrub(" ".join(str(exc.orig).split()) or type(exc.orig).__name__, self.url)
            if exc.statement is None:  # raised while connecting: SQLAlchemy had no statement yet
                raise StoreUnavailable(f"cannot open {self.display_url}: {text}") from exc
            raise StoreUnavailable(f"{self.display_url}: {text}") from exc
        except sa.exc.SQLAlchemyError as exc:
            raise StoreUnavailable(f"{self.display_url}: " + scrub(" ".join(str(exc).split()), self.url)) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._errors(), self._transaction(self.engine.begin) as conn:
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._errors(), self._transaction(lambda: database.read_only(self.engine)) as conn:
            yield conn

    @contextlib.contextmanager
    def _transaction(self, fresh: Callable[[], contextlib.AbstractContextManager[sa.Connection]]
                     ) -> Iterator[sa.Connection]:
        """A transaction on the connection :meth:`_holding` keeps, when it is free for one;
        else ``fresh()``'s (a new connection in a transaction)."""
        held = self._hold
        if held is None or held.in_transaction():
            with fresh() as conn:
                yield conn
            return
        with held.begin():
            yield held

    @contextlib.contextmanager
    def _holding(self) -> Iterator[None]:
        """Keep one connection for a whole send or resend where the engine has no pool (DuckDB:
        otherwise every batch opens the file again, a new database instance each time), with
        :func:`database.tune_for_sends`' settings while it lasts. Elsewhere, nothing."""
        if self._hold is not None or not database.holds_connections(self.engine):
            yield
            return
        with self._errors():
            conn = self.engine.connect()
        try:
            with self._errors():
                restore = database.tune_for_sends(conn)
            self._hold = conn
            try:
                yield
            finally:
                self._hold = None
                with contextlib.suppress(Exception):
                    restore()
        finally:
            conn.close()

    # ---------------------------------------------------------------- counters and names

    def _next(self, conn: sa.Connection, counter: str) -> int:
        conn.execute(counters.update().where(counters.c.name == counter).values(value=counters.c.value + 1))
        return int(conn.execute(sa.select(counters.c.value).where(counters.c.name == counter)).scalar_one())

    def _reserve(self, conn: sa.Connection, counter: str, key: str) -> None:
        """A name like `Segment #N` uses up N: later default names start above it."""
        m = re.fullmatch(rf"{counter} #(\d{{1,9}})", key)
        if m:
            n = int(m.group(1))
            conn.execute(
                counters.update().where(counters.c.name == counter, counters.c.value < n).values(value=n)
            )

    def _taken(self, table: sa.Table, key: str, fallback: str) -> str:
        """The stored name of the row holding ``key`` (the one a new name clashed with)."""
        with contextlib.suppress(StoreError), self._read() as conn:
            found = _holder(conn, table, key)
            if found is not None:
                return found
        return fallback

    def _segment_row(self, conn: sa.Connection, name: str) -> Any:
        _, key = normalise(name)
        row = conn.execute(sa.select(segments).where(segments.c.name_key == key)).one_or_none()
        if row is None:
            names = list(conn.execute(sa.select(segments.c.name)).scalars())
            guess = did_you_mean(name.strip(), names)
            hint = f"; did you mean `{guess}`?" if guess else " (see `segdsl segments list`)"
            raise SegmentNotFound(f"no segment named `{name.strip()}`{hint}")
        return row

    def _broadcast_row(self, conn: sa.Connection, name: str) -> Any:
        _, key = normalise(name)
        row = conn.execute(sa.select(broadcasts).where(broadcasts.c.name_key == key)).one_or_none()
        if row is None:
            names = list(conn.execute(sa.select(broadcasts.c.name)).scalars())
            guess = did_you_mean(name.strip(), names)
            hint = f"; did you mean `{guess}`?" if guess else " (see `segdsl broadcasts list`)"
            raise BroadcastNotFound(f"no broadcast named `{name.strip()}`{hint}")
        return row

    # ---------------------------------------------------------------- segments

    def create_segment(self, rule: str, name: str | None = None) -> Segment:
        """Save a segment (version 1). Without ``name`` it is called `Segment #N`, N one more than
        the highest number used so far (numbers are never reused after a delete).

        Raises RuleError (invalid rule), NameTaken, BadName.
        """
        text = rule.strip()
        typed = self.customers.parse(text)
        display, key = normalise(name) if name is not None else ("", "")
        stamp = _now()
        for _ in range(3):  # a default name can only clash with a name taken by a concurrent create
            try:
                with self._write() as conn:
                    if name is None:
                        display = f"Segment #{self._next(conn, SEGMENT_COUNTER)}"
                        key = display.casefold()
                    else:
                        self._reserve(conn, SEGMENT_COUNTER, key)
                    seg_id = _pk(conn.execute(
                        segments.insert().values(name=display, name_key=key, version=1, created_at=stamp,
                                                 updated_at=stamp)
                    ))
                    conn.execute(segment_versions.insert().values(
                        segment_id=seg_id, version=1, rule=text, channel=typed.channel, created_at=stamp))
                return self.segment(display)
            except StoreUnavailable as exc:
                if not isinstance(exc.__cause__, IntegrityError):
                    raise
                if name is not None:
                    raise NameTaken(f"a segment named `{self._taken(segments, key, display)}` already exists") from None
        raise NameTaken(f"a segment named `{self._taken(segments, key, display)}` already exists")

    def _segment(self, conn: sa.Connection, row: Any) -> Segment:
        ver = conn.execute(
            sa.select(segment_versions).where(segment_versions.c.segment_id == row.id,
                                              segment_versions.c.version == row.version)
        ).one()
        return Segment(row.id, row.name, ver.channel, ver.rule, row.version, row.created_at, row.updated_at,
                       _count(ver), ver.counted_at)

    def segment(self, name: str) -> Segment:
        """The segment called ``name`` (case and surrounding spaces ignored). Raises SegmentNotFound."""
        with self._read() as conn:
            return self._segment(conn, self._segment_row(conn, name))

    def segments(self) -> list[Segment]:
        """Every segment at its current version, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(segments, segment_versions.c.rule, segment_versions.c.channel, segment_versions.c.count,
                          segment_versions.c.counted_at)
                .join(segment_versions, sa.and_(segment_versions.c.segment_id == segments.c.id,
                                                segment_versions.c.version == segments.c.version))
                .order_by(segments.c.id)
            ).all()
        return [Segment(r.id, r.name, r.channel, r.rule, r.version, r.created_at, r.updated_at, _count(r),
                        r.counted_at) for r in rows]

    def versions(self, name: str) -> list[SegmentVersion]:
        """Every version of a segment, oldest first. Raises SegmentNotFound."""
        with self._read() as conn:
            row = self._segment_row(conn, name)
            rows = conn.execute(
                sa.select(segment_versions).where(segment_versions.c.segment_id == row.id)
                .order_by(segment_versions.c.version)
            ).all()
        return [SegmentVersion(r.version, r.rule, r.channel, r.created_at, _count(r), r.counted_at) for r in rows]

    def edit_segment(self, name: str, rule: str | None = None, rename: str | None = None,
                     expected_version: int | None = None) -> Edit:
        """Change a segment's rule (a new version; old ones are kept) and/or its name.

        A rule edit marks every broadcast already sent to the segment as pending a resend
        (``Edit.pending`` names them). A rule that differs from the current one only in
        spelling (same canonical text, ``segdsl.format``) is no edit: no new version, nothing
        pending, ``Edit.new_version`` False. ``expected_version``: the version the edit is based on;
        if the segment moved on since, VersionConflict. Two concurrent edits never both win
        on the same version: the update is ``… WHERE version = seen``.
        Raises RuleError, SegmentNotFound, NameTaken, VersionConflict, BadName.
        """
        text = rule.strip() if rule is not None else None
        typed = self.customers.parse(text) if text is not None else None
        new_display, new_key = normalise(rename) if rename is not None else (None, None)
        stamp = _now()
        bump = False
        try:
            with self._write() as conn:
                row = self._segment_row(conn, name)
                if expected_version is not None and row.version != expected_version:
                    raise VersionConflict(
                        f"segment `{row.name}` is at version {row.version}, not {expected_version}: "
                        "someone else edited it; look at it again (`segdsl segments show`) and redo your edit"
                    )
                current = self._segment(conn, row)
                values: dict[str, Any] = {"updated_at": stamp}
                bump = typed is not None and not self._same_rule(current.rule, typed)
                if bump:
                    values["version"] = row.version + 1
                if new_key is not None:
                    values.update(name=new_display, name_key=new_key)
                    self._reserve(conn, SEGMENT_COUNTER, new_key)
                done = conn.execute(
                    segments.update().where(segments.c.id == row.id, segments.c.version == row.version).values(values)
                )
                if done.rowcount != 1:
                    raise VersionConflict(f"segment `{row.name}` moved past version {row.version} while you edited "
                                          "it (someone else saved first); look at it again and redo your edit")
                pending: list[str] = []
                if bump:
                    assert typed is not None and text is not None
                    conn.execute(segment_versions.insert().values(
                        segment_id=row.id, version=row.version + 1, rule=text, channel=typed.channel,
                        created_at=stamp))
                    conn.execute(broadcasts.update().where(broadcasts.c.segment_id == row.id)
                                 .values(pending_version=row.version + 1))
                    pending = list(conn.execute(sa.select(broadcasts.c.name).where(
                        broadcasts.c.segment_id == row.id).order_by(broadcasts.c.id)).scalars())
                seg = self._segment(conn, conn.execute(sa.select(segments).where(segments.c.id == row.id)).one())
        except StoreUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError):
                if bump and new_key is None:
                    raise VersionConflict(
                        f"segment `{name.strip()}` got a new version from someone else at the same time; redo your edit"
                    ) from None
                assert new_key is not None and new_display is not None
                raise NameTaken(f"a segment named `{self._taken(segments, new_key, new_display)}` already exists"
                                ) from None
            raise
        return Edit(seg, bump, pending)

    def _same_rule(self, stored: str, typed: Any) -> bool:
        """Do two rules differ only in spelling (case, spaces, ``=`` for ``is``)? Compares the
        canonical text (``segdsl.format``) of both; a stored rule that no longer parses differs."""
        try:
            return bool(canonical(self.customers.parse(stored)) == canonical(typed))
        except RuleError:
            return False

    def delete_segment(self, name: str, force: bool = False) -> Segment:
        """Delete a segment and its versions. Its broadcasts stay, with the rule text they used.

        Raises SegmentNotFound, PendingResends (broadcasts wait for a resend; ``force`` deletes anyway
        and drops the pending resends).
        """
        with self._write() as conn:
            row = self._segment_row(conn, name)
            seg = self._segment(conn, row)
            pending = list(conn.execute(sa.select(broadcasts.c.name).where(
                broadcasts.c.segment_id == row.id, broadcasts.c.pending_version.is_not(None))).scalars())
            if pending and not force:
                raise PendingResends(
                    f"segment `{row.name}` has broadcasts pending a resend ({', '.join(pending)}); "
                    "resend them first, or delete with --force"
                )
            conn.execute(broadcasts.update().where(broadcasts.c.segment_id == row.id)
                         .values(segment_id=None, pending_version=None))
            conn.execute(segment_versions.delete().where(segment_versions.c.segment_id == row.id))
            conn.execute(segments.delete().where(segments.c.id == row.id))
        return seg

    # ---------------------------------------------------------------- counts

    def count(self, name: str, now: Any = None) -> Count:
        """The live, exact number of customers in a segment's current version, stored on that
        version with its as-of instant (``now``, default the current UTC time).

        Raises SegmentNotFound, RuleError, EngineError/StoreUnavailable (database failures).
        """
        instant = resolve_now(now)
        with self._read() as conn:
            seg = self._segment(conn, self._segment_row(conn, name))
            rule = self.customers.parse(seg.rule)
            with self._errors():
                n = self.customers.count(rule, instant, conn)
        with self._write() as conn:
            conn.execute(segment_versions.update().where(
                segment_versions.c.segment_id == seg.id, segment_versions.c.version == seg.version
            ).values(count=n, counted_at=instant))
        return Count(seg.name, seg.version, n, instant)

    # ---------------------------------------------------------------- broadcasts

    def _run(self, row: Any) -> Run:
        return Run(row.id, row.broadcast_id, row.number, row.segment_version, row.rule, bool(row.only_new),
                   row.status, int(row.planned), int(row.sent), row.created_at, row.finished_at)

    def _broadcast(self, conn: sa.Connection, row: Any) -> Broadcast:
        run_rows = conn.execute(sa.select(runs).where(runs.c.broadcast_id == row.id).order_by(runs.c.number)).all()
        recorded = Deliverer.recorded(row.deliverer)
        return Broadcast(row.id, row.name, row.segment_name, row.segment_id, row.segment_version, row.rule,
                         row.message, row.created_at, row.pending_version is not None,
                         [self._run(r) for r in run_rows], None if recorded is None else recorded.describe())

    def broadcast(self, name: str) -> Broadcast:
        """One broadcast with its runs. Raises BroadcastNotFound."""
        with self._read() as conn:
            return self._broadcast(conn, self._broadcast_row(conn, name))

    def broadcasts(self) -> list[Broadcast]:
        """Every broadcast with its runs, oldest first."""
        with self._read() as conn:
            rows = conn.execute(sa.select(broadcasts).order_by(broadcasts.c.id)).all()
            return [self._broadcast(conn, r) for r in rows]

    def send(self, segment: str, name: str | None = None, message: str | None = None, deliverer: Any = None,
             batch_size: int = DEFAULT_BATCH, now: Any = None, progress: Progress | None = None) -> Outcome:
        """Broadcast to a segment's current audience: record the broadcast (segment version, rule
        snapshot, time, deliverer), its first run and one planned delivery per recipient (one
        transaction), then hand the deliveries in batches to the deliverer.

        ``deliverer``: a :class:`Deliverer` (recorded, and reused by ``resend``), any object with a
        ``segdsl_deliver`` hook (recorded by its class; a resend must be given it again), or None
        (print the ids to stdout). It is checked before anything is recorded.
        Where the customers live in another database, their audience is read into a temporary
        file first, with no store transaction open (a SQLite store stays writable meanwhile).
        Raises BadDeliverer, SegmentNotFound, NameTaken, RuleError, DeliveryFailed (the run stays
        unfinished; ``resend`` resumes it), VersionConflict (the segment was edited
        :data:`PLAN_ATTEMPTS` times while its audience was read), StoreUnavailable.
        """
        instant = resolve_now(now)
        display, key = normalise(name) if name is not None else ("", "")
        choice = Deliverer.of(deliverer)
        with choice.open() as hook, self._holding():  # a bad deliverer fails here, before anything is recorded
            for _ in range(PLAN_ATTEMPTS):
                planned = self._send_plan(segment, display, key, name, message, choice, instant)
                if planned is not None:
                    run_id, display = planned
                    break
            else:
                raise VersionConflict(f"segment `{segment.strip()}` was edited {PLAN_ATTEMPTS} times while its "
                                      "audience was being read; send again")
            run = self._deliver(run_id, hook, batch_size, progress)
        return Outcome(display, "sent", run, run.sent, deliverer=choice.describe())

    def _send_plan(self, segment: str, display: str, key: str, name: str | None, message: str | None,
                   choice: Deliverer, instant: dt.datetime) -> tuple[int, str] | None:
        """Record a broadcast and its first run with the planned deliveries: (run id, broadcast
        name), or None when the segment was edited while its audience was read (the caller tries again).

        The audience is read (:meth:`Customers.spooled`) before the store's transaction begins,
        so a slow customers' engine (Spark) does not hold the store's write lock meanwhile."""
        with self._read() as conn:
            seg = self._segment(conn, self._segment_row(conn, segment))
            if name is not None:  # a taken name fails before the audience is read (the unique key decides)
                taken = _holder(conn, broadcasts, key)
                if taken is not None:
                    raise NameTaken(f"a broadcast named `{taken}` already exists")
        rule = self.customers.parse(seg.rule)
        with self.customers.spooled(rule, instant) as spool:
            try:
                with self._write() as conn:
                    # the same segment (a deleted one's id may be reused: compare what it holds), unchanged
                    current = self._segment(conn, self._segment_row(conn, segment))
                    if _identity(current) != _identity(seg):
                        return None
                    if name is None:
                        display = f"Broadcast #{self._next(conn, BROADCAST_COUNTER)}"
                        key = display.casefold()
                    else:
                        self._reserve(conn, BROADCAST_COUNTER, key)
                    b_id = _pk(conn.execute(broadcasts.insert().values(
                        name=display, name_key=key, segment_id=seg.id, segment_name=seg.name,
                        segment_version=seg.version, rule=seg.rule, message=message, created_at=instant, runs=1,
                        pending_version=None, deliverer=choice.record())))
                    run_id = self._plan(conn, b_id, 1, seg.version, seg.rule, rule, instant, False, spool)
                    return run_id, display
            except StoreUnavailable as exc:
                if isinstance(exc.__cause__, IntegrityError):
                    raise NameTaken(f"a broadcast named `{self._taken(broadcasts, key, display)}` already exists"
                                    ) from None
                raise

    def _plan(self, conn: sa.Connection, broadcast_id: int, number: int, version: int, text: str, rule: Any,
              instant: dt.datetime, only_new: bool, spool: Spool | None) -> int:
        """Insert a run owned by this process and its planned deliveries (from ``spool`` where the
        customers live apart: :meth:`Customers.spooled`); returns the run id."""
        run_id = _pk(conn.execute(runs.insert().values(
            broadcast_id=broadcast_id, number=number, segment_version=version, rule=text, only_new=only_new,
            status="sending", planned=0, sent=0, created_at=instant, owner=self.owner, heartbeat_at=_now(),
        )))
        self.customers.plan(rule, instant, run_id, conn, spool)
        if only_new:
            earlier = received_query(broadcast_id).with_only_columns(deliveries.c.customer_id).order_by(None)
            conn.execute(deliveries.delete().where(deliveries.c.run_id == run_id,
                                                   deliveries.c.customer_id.in_(earlier)))
        planned = conn.execute(sa.select(sa.func.count()).select_from(deliveries)
                               .where(deliveries.c.run_id == run_id)).scalar_one()
        conn.execute(runs.update().where(runs.c.id == run_id).values(planned=planned))
        return int(run_id)

    def _deliver(self, run_id: int, hook: Any, batch_size: int, progress: Progress | None) -> Run:
        """Hand a claimed run's planned deliveries to the deliverer's hook (``Deliverer.open``),
        batch by batch, then finish it."""
        with self._read() as conn:
            run_row = conn.execute(sa.select(runs).where(runs.c.id == run_id)).one()
            bcast = self._broadcast(conn, conn.execute(
                sa.select(broadcasts).where(broadcasts.c.id == run_row.broadcast_id)).one())
        run = self._run(run_row)
        sent = run.sent
        if progress:
            progress(run, sent)
        after: int | None = None
        try:
            while True:
                with self._read() as conn:
                    query = (sa.select(deliveries.c.customer_id)
                             .where(deliveries.c.run_id == run_id, deliveries.c.sent_at.is_(None))
                             .order_by(deliveries.c.customer_id).limit(batch_size))
                    if after is not None:
                        query = query.where(deliveries.c.customer_id > after)
                    ids = [int(c) for c in conn.execute(query).scalars()]
                if not ids:
                    break
                try:
                    hook(broadcast=bcast, run=run, batch=[Delivery(run_id, c) for c in ids])
                except Exception as exc:
                    text = " ".join(str(exc).split()) or type(exc).__name__
                    raise DeliveryFailed(
                        f"broadcast `{bcast.name}` run {run.number}: the deliverer failed ({text}); "
                        f"{sent} of {run.planned} sent, `segdsl resend \"{bcast.name}\"` resumes the run"
                    ) from exc
                with self._write() as conn:
                    marked = conn.execute(deliveries.update().where(
                        deliveries.c.run_id == run_id, deliveries.c.customer_id >= ids[0],
                        deliveries.c.customer_id <= ids[-1], deliveries.c.sent_at.is_(None)
                    ).values(sent_at=_now())).rowcount
                    owned = conn.execute(runs.update().where(runs.c.id == run_id, runs.c.owner == self.owner)
                                         .values(sent=runs.c.sent + marked, heartbeat_at=_now())).rowcount
                    if owned != 1:
                        raise RunBusy(f"broadcast `{bcast.name}` run {run.number} was taken over by another process")
                sent += marked
                after = ids[-1]
                if progress:
                    progress(run, sent)
            with self._write() as conn:
                conn.execute(runs.update().where(runs.c.id == run_id, runs.c.owner == self.owner)
                             .values(status="done", finished_at=_now(), owner=None))
                conn.execute(broadcasts.update().where(
                    broadcasts.c.id == run.broadcast_id, broadcasts.c.pending_version <= run.segment_version
                ).values(pending_version=None))
                final = conn.execute(sa.select(runs).where(runs.c.id == run_id)).one()
        except BaseException:
            # Let another process (or the next resend) take the run at once.
            with contextlib.suppress(Exception), self._write() as conn:
                conn.execute(runs.update().where(runs.c.id == run_id, runs.c.owner == self.owner).values(owner=None))
            raise
        return self._run(final)

    # ---------------------------------------------------------------- resend

    def _abandoned(self, row: Any, now: dt.datetime) -> bool:
        """Is an unfinished run free to take: no owner, a dead process on this host, or an expired lease?"""
        if row.owner is None:
            return True
        host, _, rest = row.owner.partition(":")
        if host == _HOST:
            pid = rest.partition(":")[0]
            return pid.isdigit() and not _pid_alive(int(pid))
        return row.heartbeat_at is None or now - row.heartbeat_at > self.lease

    def _claim(self, run_row: Any, bname: str) -> None:
        """Take an unfinished run by compare-and-set on its owner; RunBusy if someone else has it."""
        if not self._abandoned(run_row, _now()):
            raise RunBusy(f"broadcast `{bname}` run {run_row.number} is being sent by another process "
                          f"({run_row.owner})")
        with self._write() as conn:
            cond = runs.c.owner.is_(None) if run_row.owner is None else runs.c.owner == run_row.owner
            taken = conn.execute(runs.update().where(runs.c.id == run_row.id, runs.c.status == "sending", cond)
                                 .values(owner=self.owner, heartbeat_at=_now())).rowcount
        if taken != 1:
            raise RunBusy(f"broadcast `{bname}` run {run_row.number} was just taken by another process")

    def pending(self) -> list[Broadcast]:
        """Broadcasts pending a resend or with an unfinished run, oldest first."""
        with self._read() as conn:
            unfinished = sa.select(runs.c.broadcast_id).where(runs.c.status == "sending")
            rows = conn.execute(sa.select(broadcasts).where(sa.or_(
                broadcasts.c.pending_version.is_not(None), broadcasts.c.id.in_(unfinished)
            )).order_by(broadcasts.c.id)).all()
            return [self._broadcast(conn, r) for r in rows]

    def resend(self, name: str | None = None, only_new: bool = False, dry_run: bool = False, deliverer: Any = None,
               batch_size: int = DEFAULT_BATCH, now: Any = None, progress: Progress | None = None) -> list[Outcome]:
        """Send broadcasts again to their segment's current audience, newly matching customers included.

        Without ``name``: every broadcast pending a resend, and every unfinished run. With it:
        that broadcast; its unfinished run is resumed as the same run, else a new run starts.
        ``only_new`` leaves out customers who received any earlier run (when that leaves nobody,
        no run is recorded: the outcome is ``nothing new`` and the pending flag is cleared);
        ``dry_run`` writes nothing and reports total / new / no longer matching. A finished
        resend of the segment's current version clears the pending flag.

        Each broadcast goes through the deliverer it recorded, unless ``deliverer`` (as for
        :meth:`send`) is given: then that one, and the broadcast records it (the outcome's
        ``replaced`` names the previous one). Every broadcast's deliverer is settled before
        anything is sent: DelivererNeeded when the record cannot be reopened (a webhook URL
        with secrets, which are not stored; an object; a broadcast older than revision 0002).
        Raises BroadcastNotFound, BadDeliverer, DelivererNeeded; for a named broadcast also
        RunBusy and SegmentGone (without a name those become ``skipped`` outcomes);
        DeliveryFailed; RuleError.
        """
        with contextlib.nullcontext() if dry_run else self._holding():
            return self._resend(name, only_new, dry_run, deliverer, batch_size, resolve_now(now), progress)

    def _resend(self, name: str | None, only_new: bool, dry_run: bool, deliverer: Any, batch_size: int,
                instant: dt.datetime, progress: Progress | None) -> list[Outcome]:
        targets = [self.broadcast(name)] if name is not None else self.pending()
        given = None if deliverer is None else Deliverer.of(deliverer)
        # settle every deliverer first: a missing one fails before anything is sent
        chosen = {} if dry_run else {b.id: self._choose(b, given) for b in targets
                                     if self._will_deliver(b, name is not None)}
        out: list[Outcome] = []
        for b in targets:
            try:
                out.extend(self._resend_one(b, name is not None, only_new, dry_run, chosen.get(b.id), batch_size,
                                            instant, progress))
            except (RunBusy, SegmentGone) as exc:
                if name is not None:
                    raise
                out.append(Outcome(b.name, "skipped", reason=str(exc)))
        return out

    @staticmethod
    def _will_deliver(b: Broadcast, named: bool) -> bool:
        """Does a resend of ``b`` reach a deliverer (an unfinished run, or a new run to a live segment)?"""
        unfinished = any(r.status == "sending" for r in b.runs)
        return unfinished or ((named or b.pending_resend) and b.segment_id is not None)

    def _choose(self, b: Broadcast, given: Deliverer | None) -> tuple[Deliverer, str | None]:
        """The deliverer for a resend of ``b`` and the recorded one it replaces (None: the same one).

        Checked here, before anything is sent or recorded.
        """
        with self._read() as conn:
            text = conn.execute(sa.select(broadcasts.c.deliverer).where(broadcasts.c.id == b.id)).scalar_one()
        recorded = Deliverer.recorded(text)
        if given is not None:
            given.check()
            if recorded is not None and given.record() == recorded.record():
                return given, None
            return given, "an unknown deliverer" if recorded is None else recorded.describe()
        if recorded is None:
            raise DelivererNeeded(
                f"broadcast `{b.name}` was sent before the store recorded deliverers, so it is not known "
                "where it went: name the deliverer for this resend (--webhook URL, --via NAME, or --out FILE / "
                "--out - for the printer)")
        if recorded.kind == "webhook" and not recorded.complete:
            raise DelivererNeeded(
                f"broadcast `{b.name}` goes to the {recorded.describe()}, whose secrets the store does not "
                "keep: give the URL again with --webhook URL")
        if recorded.kind == "object":
            raise DelivererNeeded(
                f"broadcast `{b.name}` was sent through an object of `{recorded.target}`, which the store cannot "
                "make again: pass the deliverer again (deliverer=, or --via module:attribute)")
        recorded.check()
        return recorded, None

    def _switch(self, b: Broadcast, choice: Deliverer, replaced: str | None) -> None:
        """Record the deliverer a resend was told to use instead of the recorded one."""
        if replaced is not None:
            with self._write() as conn:
                conn.execute(broadcasts.update().where(broadcasts.c.id == b.id).values(deliverer=choice.record()))

    def _resend_one(self, b: Broadcast, named: bool, only_new: bool, dry_run: bool,
                    chosen: tuple[Deliverer, str | None] | None, batch_size: int, instant: dt.datetime,
                    progress: Progress | None) -> list[Outcome]:
        out: list[Outcome] = []
        choice, replaced = chosen if chosen is not None else (Deliverer.printer(), None)
        shown = choice.describe()
        unfinished = [r for r in b.runs if r.status == "sending"]
        for run in unfinished:
            if dry_run:
                out.append(Outcome(b.name, "resume", run, reason=f"run {run.number}: {run.pending} pending"))
                continue
            with self._read() as conn:
                row = conn.execute(sa.select(runs).where(runs.c.id == run.id)).one()
            self._claim(row, b.name)
            self._switch(b, choice, replaced)
            with choice.open() as hook:
                done = self._deliver(run.id, hook, batch_size, progress)
            out.append(Outcome(b.name, "resumed", done, done.sent - run.sent, deliverer=shown, replaced=replaced))
        b = self.broadcast(b.name)
        if unfinished and not b.pending_resend:
            return out
        if not named and not b.pending_resend:
            return out
        if b.segment_id is None:
            raise SegmentGone(f"broadcast `{b.name}`: its segment `{b.segment}` was deleted, so it has no "
                              "current audience to resend to")
        with self._read() as conn:
            seg_row = conn.execute(sa.select(segments).where(segments.c.id == b.segment_id)).one()
            seg = self._segment(conn, seg_row)
            rule = self.customers.parse(seg.rule)
            if dry_run:
                with self._errors():
                    total, new = self.customers.count_new(rule, instant, b.id, conn)
                received = conn.execute(sa.select(sa.func.count()).select_from(
                    received_query(b.id).order_by(None).subquery())).scalar_one()
                out.append(Outcome(b.name, "planned", total=total, new=new, gone=int(received) - (total - new)))
                return out
        seen = len(b.runs)
        try:
            # the audience is read before the store's write transaction begins (Customers.spooled)
            with self.customers.spooled(rule, instant) as spool, self._write() as conn:
                claimed = conn.execute(broadcasts.update().where(broadcasts.c.id == b.id, broadcasts.c.runs == seen)
                                       .values(runs=seen + 1)).rowcount
                if claimed != 1:
                    raise RunBusy(f"broadcast `{b.name}`: another process has just started a new run")
                if conn.execute(sa.select(segments.c.id).where(segments.c.id == seg.id)).first() is None:
                    raise SegmentGone(f"broadcast `{b.name}`: its segment `{seg.name}` was deleted while its "
                                      "audience was read, so it has no current audience to resend to")
                run_id = self._plan(conn, b.id, seen + 1, seg.version, seg.rule, rule, instant, only_new, spool)
                if only_new and self._planned(conn, run_id) == 0:
                    raise _NothingNew  # roll the claim and the empty run back
        except _NothingNew:
            # everyone in the current audience has received the broadcast: it is up to date
            with self._write() as conn:
                conn.execute(broadcasts.update().where(broadcasts.c.id == b.id,
                                                       broadcasts.c.pending_version <= seg.version)
                             .values(pending_version=None))
            out.append(Outcome(b.name, "nothing new", reason="everyone it matches now has received it"))
            return out
        self._switch(b, choice, replaced)
        with choice.open() as hook:
            done = self._deliver(run_id, hook, batch_size, progress)
        out.append(Outcome(b.name, "sent", done, done.sent, deliverer=shown, replaced=replaced))
        return out

    @staticmethod
    def _planned(conn: sa.Connection, run_id: int) -> int:
        return int(conn.execute(sa.select(runs.c.planned).where(runs.c.id == run_id)).scalar_one())


class _NothingNew(Exception):
    """An only-new resend planned nobody: undo its transaction."""


def open(url: str | None = None, **kwargs: Any) -> Store:  # noqa: A001 - segdsl.store.open(url)
    """Open (and on first use create) the store at ``url``; see :class:`Store`."""
    return Store(url, **kwargs)
