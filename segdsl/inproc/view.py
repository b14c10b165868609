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
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from segdsl.families.spec import Role


class RecordError(ValueError):
    """A record whose data cannot be read (a malformed timestamp, say); the message names the field path."""


_SCALAR = (str, int, float, bool)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def check_record(rec: Any, roles: Iterable[Role]) -> None:
    """Raise :class:`RecordError` naming the first field of ``rec`` that is not in the record shape
    the ``roles`` declare (``Role.shape``): a list of values (``scalars``), an object of values
    (``mapping``), a list of objects (``rows``) whose int and number columns hold numbers. Called
    when evaluating a record failed, to say where; a record that passes it is readable.
    """
    if not isinstance(rec, Mapping):
        raise RecordError(f"record: expected an object (a mapping), got {_kind(rec)}")
    for role in roles:
        key, value = role.record_key, rec.get(role.record_key)
        if not key or value is None or role.shape == "customer":
            continue
        if role.shape == "scalars":
            if not isinstance(value, (list, tuple)):
                raise RecordError(f"{key}: expected a list of values, got {_kind(value)}")
            for i, item in enumerate(value):
                if item is not None and not isinstance(item, _SCALAR):
                    raise RecordError(f"{key}[{i}]: expected a value, got {_kind(item)}")
        elif role.shape == "mapping":
            if not isinstance(value, Mapping):
                raise RecordError(f"{key}: expected an object, got {_kind(value)}")
            for name, item in value.items():
                if item is not None and not isinstance(item, _SCALAR):
                    raise RecordError(f"{key}.{name}: expected text, a number or a boolean, got {_kind(item)}")
        else:  # rows
            if not isinstance(value, (list, tuple)):
                raise RecordError(f"{key}: expected a list of objects, got {_kind(value)}")
            numeric = [c for c in role.columns if role.columns[c].kind in ("int", "number")]
            for i, row in enumerate(value):
                if not isinstance(row, Mapping):
                    raise RecordError(f"{key}[{i}]: expected an object, got {_kind(row)}")
                for column in numeric:
                    cell = row.get(column)
                    if cell is not None and (isinstance(cell, bool) or not isinstance(cell, (int, float))):
                        raise RecordError(f"{key}[{i}].{column}: expected a number, got {_kind(cell)}")


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
