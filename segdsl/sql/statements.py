"""Compiled statements kept on one open engine, so a repeated count does not compile again.

A live count repeats one rule: a backend polling a segment, the web page as a user edits.
After the first call the statement comes from here, as SQLAlchemy keeps compiled statements
per engine. Compiling costs 0.5-2.5 ms (more just after a large query has left the CPU caches
cold, bench/README.md "Compile after a query"); a DuckDB count at 1M customers takes 10-30 ms.

An entry serves a later call when all of these are the same: the rule (its text, or an equal
parsed rule), count or audience, the settings object, the process's family registry, and,
only if building the SQL read ``now`` (:attr:`SqlContext.now_read`), the instant in seconds.
A rule without time conditions is therefore compiled once whatever the clock says.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from segdsl.sql.compile import Compiled

#: entries kept per engine (least recently used dropped first)
SIZE = 256


@dataclass(frozen=True)
class _Entry:
    settings: Any  # compared by identity: Settings objects are built once and shared
    registry: Any
    now: dt.datetime | None  # None: the SQL does not depend on now
    compiled: Compiled


class Statements:
    """An LRU map from (rule, count) to the :class:`Compiled` statement, checked on lookup
    against the settings, registry and ``now`` it was built with. Not thread-safe beyond what
    one engine allows (one statement at a time)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, bool], _Entry] = OrderedDict()

    def get(self, rule: Any, count: bool, settings: Any, registry: Any, now: dt.datetime) -> Compiled | None:
        """The kept statement for these inputs, or None."""
        try:
            entry = self._entries.get((rule, count))
        except TypeError:  # a parsed rule that cannot be hashed is never kept
            return None
        if (entry is None or entry.settings is not settings or entry.registry is not registry
                or (entry.now is not None and entry.now != now)):
            return None
        self._entries.move_to_end((rule, count))
        return entry.compiled

    def put(self, rule: Any, count: bool, settings: Any, registry: Any, now: dt.datetime | None,
            compiled: Compiled) -> None:
        """Keep ``compiled``; ``now`` None when building it did not read the instant."""
        try:
            self._entries[(rule, count)] = _Entry(settings, registry, now, compiled)
        except TypeError:
            return
        self._entries.move_to_end((rule, count))
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
