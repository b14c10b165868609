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
from collections.abc import Mapping
from typing import Any

from segdsl.lang.textops import fold


class RecordError(ValueError):
    """A record whose data cannot be read (a malformed timestamp, say); the message names the field path."""


_SCALAR = (str, int, float, bool)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def check_record(rec: Any) -> None:
    """Raise :class:`RecordError` naming the first field of ``rec`` that is not in the record shape
    (``customer.example.json``): lists of names, an object of custom fields, lists of objects for
    interactions and carts, a number for ``item_count``. Called when evaluating a record failed,
    to say where; a record that passes it is readable.
    """
    if not isinstance(rec, Mapping):
        raise RecordError(f"record: expected an object (a mapping), got {_kind(rec)}")
    for key in ("channels", "tags"):
        items = rec.get(key)
        if items is not None and not isinstance(items, (list, tuple)):
            raise RecordError(f"{key}: expected a list of names, got {_kind(items)}")
        for i, item in enumerate(items or ()):
            if not isinstance(item, _SCALAR):
                raise RecordError(f"{key}[{i}]: expected a name, got {_kind(item)}")
    fields = rec.get("fields")
    if fields is not None:
        if not isinstance(fields, Mapping):
            raise RecordError(f"fields: expected an object of custom fields, got {_kind(fields)}")
        for key, value in fields.items():
            if value is not None and not isinstance(value, _SCALAR):
                raise RecordError(f"fields.{key}: expected text, a number or a boolean, got {_kind(value)}")
    for key in ("interactions", "carts"):
        rows = rec.get(key)
        if rows is not None and not isinstance(rows, (list, tuple)):
            raise RecordError(f"{key}: expected a list of objects, got {_kind(rows)}")
        for i, row in enumerate(rows or ()):
            if not isinstance(row, Mapping):
                raise RecordError(f"{key}[{i}]: expected an object, got {_kind(row)}")
            count = row.get("item_count")
            number = isinstance(count, (int, float)) and not isinstance(count, bool)
            if key == "carts" and count is not None and not number:
                raise RecordError(f"carts[{i}].item_count: expected a number, got {_kind(count)}")


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


class JsonInt(int):
    """An integer read from JSON that remembers its source text (``json_text``)."""

    json_text: str

    def __new__(cls, text: str) -> JsonInt:
        number = super().__new__(cls, text)
        number.json_text = text
        return number


class JsonFloat(float):
    """A JSON number with a fraction or exponent that remembers its source text (``1e3``, ``1.50``)."""

    json_text: str

    def __new__(cls, text: str) -> JsonFloat:
        number = super().__new__(cls, text)
        number.json_text = text
        return number


class JsonDigits(str):
    """An integer too long for Python's int (over ``sys.get_int_max_str_digits()`` digits): its text."""

    json_text: str

    def __new__(cls, text: str) -> JsonDigits:
        number = super().__new__(cls, text)
        number.json_text = text
        return number


def _json_int(text: str) -> int | str:
    try:
        return JsonInt(text)
    except ValueError:  # too many digits to convert
        return JsonDigits(text)


def loads_record(line: str | bytes) -> Any:
    """``json.loads`` that keeps every number's source text (see :func:`field_text`).

    The contract: a JSON number in a custom field stands for its JSON text, so
    ``1e3`` is ``"1e3"``, ``1.50`` is ``"1.50"``, as every engine stores it.
    Raises ``ValueError`` (``json.JSONDecodeError``) and ``RecursionError`` as ``json.loads`` does.

    >>> field_text(loads_record('{"n": 1.50}')["n"]), field_text(loads_record('{"n": 1e23}')["n"])
    ('1.50', '1e23')
    """
    return json.loads(line, parse_int=_json_int, parse_float=JsonFloat)


def field_text(value: Any) -> str | None:
    """A custom-field value as text: a JSON number or boolean stands for its JSON text.

    A number read by :func:`loads_record` gives its source text; other numbers their
    ``json.dumps`` text.
    """
    if value is None:
        return None
    text = getattr(value, "json_text", None)
    if text is not None:
        return str(text)
    if isinstance(value, str):
        return value
    return json.dumps(value)


class View:
    """One record, with the derived facts the predicates share, computed lazily."""

    __slots__ = ("rec", "_channel", "_interactions", "_last", "_tags", "_fields")

    def __init__(self, rec: Mapping[str, Any], channel: str) -> None:
        self.rec = rec
        self._channel = channel
        self._interactions: list[tuple[dt.datetime, Mapping[str, Any]]] | None = None
        self._last: dt.datetime | None | bool = False
        self._tags: frozenset[str] | None = None
        self._fields: dict[str, str | None] | None = None

    @property
    def tags(self) -> frozenset[str]:
        """The customer's tags, case-folded."""
        if self._tags is None:
            self._tags = frozenset(fold(str(t)) for t in self.rec.get("tags") or ())
        return self._tags

    @property
    def fields(self) -> dict[str, str | None]:
        """Custom fields as text (see :func:`field_text`)."""
        if self._fields is None:
            raw = self.rec.get("fields") or {}
            self._fields = {str(k): field_text(v) for k, v in raw.items()}
        return self._fields

    @property
    def interactions(self) -> list[tuple[dt.datetime, Mapping[str, Any]]]:
        """(instant, row) of the interactions on the rule's channel, parsed once."""
        if self._interactions is None:
            chan = self._channel
            out = []
            for row in self.rec.get("interactions") or ():
                if str(row.get("channel", "")).lower() == chan:
                    out.append((parse_instant(row.get("occurred_at"), "interactions.occurred_at"), row))
            self._interactions = out
        return self._interactions

    @property
    def last(self) -> dt.datetime | None:
        """The latest interaction on the rule's channel, or None."""
        if self._last is False:
            items = self.interactions
            self._last = max(at for at, _ in items) if items else None
        return self._last  # type: ignore[return-value]
