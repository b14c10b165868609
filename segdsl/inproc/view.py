"""Stage 4', typed IR -> a Python closure: the in-process interpreter.

Each plugin turns its condition into ``f(view) -> bool``; this module joins
them with short-circuiting closures. A :class:`View` wraps one record and
parses what it needs at most once (timestamps included).

>>> import segdsl
>>> match = segdsl.matcher('channel whatsapp and tag = "VIP"', now="2026-11-28T00:00:00Z")
>>> match({"id": 1, "channels": ["WhatsApp"], "tags": ["vip"]}), match({"id": 2, "channels": ["sms"]})
(True, False)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any


class RecordError(ValueError):
    """A record whose data cannot be read (a malformed timestamp, say)."""


_fromisoformat = dt.datetime.fromisoformat


def parse_instant(value: Any, where: str = "timestamp") -> dt.datetime:
    """An ISO 8601 timestamp as naive UTC, truncated to the second.

    ``Z`` and offsets are honoured; a naive timestamp is UTC.

    >>> parse_instant("2026-11-20T09:15:00.9+05:30")
    datetime.datetime(2026, 11, 20, 3, 45)
    """
    if (  # fast path for the canonical `YYYY-MM-DDTHH:MM:SSZ`: one C call, same result
        type(value) is str
        and len(value) == 20
        and value[19] == "Z"
        and value[10] == "T"
        and value[13] == ":"
        and value[16] == ":"
    ):
        try:
            quick = _fromisoformat(value[:19])
        except ValueError:
            pass  # the full parse below says what is wrong
        else:
            if quick.tzinfo is None:
                return quick
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        if not isinstance(value, str):
            raise RecordError(f"{where}: expected an ISO 8601 timestamp string, got {value!r}")
        try:
            # RFC 3339 allows a lower-case `z`; Python's parser takes only `Z`
            stamp = dt.datetime.fromisoformat(value[:-1] + "Z" if value.endswith("z") else value)
        except ValueError:
            raise RecordError(f"{where}: {value!r} is not an ISO 8601 timestamp") from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    return stamp.replace(microsecond=0)


def field_text(value: Any) -> str | None:
    """A custom-field value as text: a JSON number or boolean stands for its JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


class View:
    """One record, with the derived facts the families' predicates share, each computed at most once.

    ``rec`` is the record (the shape of ``customer.example.json``; a role's
    rows under its ``record_key``), ``channel`` the rule's channel, folded.
    A family derives a fact with a function of the view and reads it with
    ``view.fact(function)``: the first read computes it, later reads on the
    same record (from any condition of the rule) get the cached value.
    """

    # The first two facts live in slots, the rest in a dict: a dict per record
    # costs more (allocation and garbage-collector work) than most rules need.
    __slots__ = ("rec", "channel", "_k1", "_v1", "_k2", "_v2", "_more")
    _v1: Any
    _v2: Any

    def __init__(self, rec: Mapping[str, Any], channel: str) -> None:
        self.rec = rec
        self.channel = channel
        self._k1: Callable[[View], Any] | None = None
        self._k2: Callable[[View], Any] | None = None
        self._more: dict[Callable[[View], Any], Any] | None = None

    def fact(self, derive: Callable[[View], Any]) -> Any:
        """``derive(self)``, computed once per record."""
        if self._k1 is derive:
            return self._v1
        if self._k2 is derive:
            return self._v2
        more = self._more
        if more is not None and derive in more:
            return more[derive]
        value = derive(self)  # may read other facts first
        if self._k1 is None:
            self._k1, self._v1 = derive, value
        elif self._k2 is None:
            self._k2, self._v2 = derive, value
        elif more is None:
            self._more = {derive: value}
        else:
            more[derive] = value
        return value
