"""The one spelling of every date and instant segdsl writes (SQL literals, loads, exports, rule text).

Years are always four digits, 0001 to 9999. Python's ``strftime("%Y")`` does
not pad years before 1000 on glibc (``1-01-02``), which MySQL reads as 2001
and PostgreSQL refuses (issue 12, item 5), so nothing in segdsl formats a
date with ``strftime``: it goes through these functions.

>>> import datetime as dt
>>> date_text(dt.date(1, 1, 2))
'0001-01-02'
>>> instant_text(dt.datetime(999, 12, 31, 23, 59, 59))
'0999-12-31 23:59:59'
>>> iso_instant(dt.datetime(50, 6, 1, 8, 0))
'0050-06-01T08:00:00Z'
"""

from __future__ import annotations

import datetime as dt

# ``isoformat`` always writes four-digit years (unlike strftime) and is one C call.


def date_text(value: dt.date) -> str:
    """``YYYY-MM-DD`` with a four-digit year."""
    return dt.date.isoformat(value)


def time_text(value: dt.time | dt.datetime) -> str:
    """``HH:MM:SS`` (seconds always written; fractions dropped)."""
    clock = value.time() if isinstance(value, dt.datetime) else value
    return clock.replace(microsecond=0, tzinfo=None).isoformat()


def instant_text(value: dt.datetime, sep: str = " ") -> str:
    """``YYYY-MM-DD HH:MM:SS`` of a naive UTC instant (fractions dropped): the SQL literal and load form.

    ``sep="T"`` gives the ISO form without a zone, as rule text writes a date-time.
    """
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat(sep)


def iso_instant(value: dt.datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``: a naive UTC instant in the record (JSON) form."""
    return instant_text(value, "T") + "Z"
