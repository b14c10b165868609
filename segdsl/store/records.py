"""What the store returns: plain frozen dataclasses; ``to_json()`` gives JSON-ready dicts.

Times are naive UTC ``datetime`` values (JSON: ISO 8601 with ``Z``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, JsonMixin):
        return value.to_json()
    return value


class JsonMixin:
    def to_json(self) -> dict[str, Any]:
        """A dict of JSON types (times as ISO 8601 UTC strings)."""
        return {f.name: _json(getattr(self, f.name)) for f in dataclass_fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class SegmentVersion(JsonMixin):
    """One saved rule of a segment; ``count`` is its last live count, true at ``counted_at``."""

    version: int
    rule: str
    channel: str
    created_at: dt.datetime
    count: int | None = None
    counted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Segment(JsonMixin):
    """A saved segment at its current version."""

    id: int
    name: str
    channel: str
    rule: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    count: int | None = None
    counted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Edit(JsonMixin):
    """The result of an edit: the segment as saved, and the broadcasts now pending a resend."""

    segment: Segment
    new_version: bool
    pending: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Count(JsonMixin):
    """A live, exact count of a segment version, as of ``as_of`` (the evaluation instant)."""

    segment: str
    version: int
    count: int
    as_of: dt.datetime


@dataclass(frozen=True)
class Run(JsonMixin):
    """One pass of a broadcast over an audience. ``pending`` = planned - sent."""

    id: int
    broadcast_id: int
    number: int
    segment_version: int
    rule: str
    only_new: bool
    status: str
    planned: int
    sent: int
    created_at: dt.datetime
    finished_at: dt.datetime | None = None

    @property
    def pending(self) -> int:
        return self.planned - self.sent

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "pending": self.pending}


@dataclass(frozen=True)
class Broadcast(JsonMixin):
    """A message sent to a segment version, with its runs (first run first).

    ``segment`` is the segment's name when it was sent (``segment_id`` None once deleted);
    ``rule`` the snapshot of the rule text that version had (each run keeps the version and
    rule it used). ``pending_resend`` is true after an edit of the segment's rule until a resend
    of the new version finishes. ``deliverer`` describes the deliverer it goes through (a
    webhook URL with its password and query values masked; None: sent before the store kept it).
    """

    id: int
    name: str
    segment: str
    segment_id: int | None
    segment_version: int
    rule: str
    message: str | None
    created_at: dt.datetime
    pending_resend: bool
    runs: list[Run] = field(default_factory=list)
    deliverer: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One recipient of one run; ``idempotency_key`` is stable across retries and resumes."""

    run_id: int
    customer_id: int

    @property
    def idempotency_key(self) -> str:
        return f"{self.run_id}:{self.customer_id}"


@dataclass(frozen=True)
class Outcome(JsonMixin):
    """What one send or resend did for one broadcast.

    ``action`` is ``sent`` (a new run, all delivered), ``resumed`` (an unfinished run
    completed), ``nothing new`` (an ``only_new`` resend found nobody who had not received the
    broadcast: no run is recorded), ``skipped`` (``reason`` says why, e.g. another process has
    the run) or, in a dry run, ``planned``. ``total`` / ``new`` / ``gone`` are the dry run's
    numbers: the current audience, those in it who received no earlier run, and earlier
    recipients who no longer match. ``deliverer`` describes the deliverer used; ``replaced``
    the one recorded before, when the caller chose another one for this resend.
    """

    broadcast: str
    action: str
    run: Run | None = None
    delivered: int = 0
    reason: str | None = None
    total: int | None = None
    new: int | None = None
    gone: int | None = None
    deliverer: str | None = None
    replaced: str | None = None
