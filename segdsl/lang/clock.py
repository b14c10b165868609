"""`now`: the `--now` value or `now=` argument, else the current UTC time.

Instants are naive UTC, to the second.

>>> resolve_now("2026-11-28T10:00:00+01:00")
datetime.datetime(2026, 11, 28, 9, 0)
>>> resolve_now("2026-11-28")
datetime.datetime(2026, 11, 28, 0, 0)
"""

from __future__ import annotations

import datetime as dt


class BadNow(ValueError):
    """A `now` value that is not an ISO 8601 date or date-time."""


def resolve_now(now: dt.datetime | dt.date | str | None = None) -> dt.datetime:
    """Normalise ``now`` (datetime, date, ISO string or None) to naive UTC seconds."""
    if now is None:
        stamp = dt.datetime.now(dt.UTC)
    elif isinstance(now, dt.datetime):
        stamp = now
    elif isinstance(now, dt.date):
        stamp = dt.datetime.combine(now, dt.time())
    elif isinstance(now, str):
        try:
            stamp = dt.datetime.fromisoformat(now.strip())
        except ValueError:
            raise BadNow(
                f"`{now}` is not an ISO 8601 date-time (for example 2026-11-28T09:30:00Z)"
            ) from None
    else:
        raise BadNow(f"now must be a datetime or an ISO string, not {type(now).__name__}")
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp.replace(microsecond=0)
