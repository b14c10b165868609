"""Demo data generation: the rows every role's family supplies, block by block.

Each family that declares a role may give it a ``demo`` function
(:attr:`segdsl.families.spec.Role.demo`); this module calls them once per
customer, in role order, with one :class:`~segdsl.families.spec.DemoCustomer`
whose random stream all roles share. The core makes only the customer's
``id`` and ``created_at``. Rows come out as tab-separated lines per role
(PostgreSQL's COPY text format without the newline, ``\\N`` for NULL), which the bulk loaders take
as they are; :func:`generate` and the executemany loaders read them back, so
every path sees the same customers.

The data is a pure function of ``(n, seed, now)`` and the roles: block ``b``
holds ids ``b*BLOCK+1 .. (b+1)*BLOCK`` and draws from its own generator, so
``generate(m)`` starts with ``generate(n)`` for ``n < m`` and any prefix is
cheap to make.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from segdsl.data.records import RecordBuilder
from segdsl.families.spec import NULL, DemoCustomer, Role
from segdsl.lang.clock import resolve_now

#: Bumped whenever the same (n, seed, now) would give different customers.
DATA_VERSION = 1

#: Customers per random stream.
BLOCK = 5000

DAY = 86_400
CUSTOMER_DAYS = 1100  # customers signed up within the last ~3 years

Lines = dict[str, list[str]]


def epoch(now: Any) -> int:
    """``now`` (a datetime, ISO text or None for the current time) as UTC epoch seconds."""
    return calendar.timegm(resolve_now(now).timetuple())


def _check(roles: Mapping[str, Role]) -> None:
    columns = list(roles["customers"].columns)
    if columns[0] != "id" or columns[-1] != "created_at":
        raise ValueError("the customers role must start with `id` and end with `created_at`")


def block_lines(roles: Mapping[str, Role], seed: int, block: int, stop: int, now_s: int) -> Lines:
    """The customers of one block, ids ``block*BLOCK+1 ..`` up to ``stop`` (inclusive), as lines per role."""
    rnd = random.Random(f"segdsl-demo:{seed}:{block}")
    u = rnd.random
    person = roles["customers"].demo
    others = [(name, role.demo) for name, role in roles.items() if name != "customers" and role.demo is not None]
    out: Lines = {name: [] for name in roles}
    cust = out["customers"]
    sinks = [(out[name].append, make) for name, make in others]
    c = DemoCustomer(0, u, now_s)
    stamp = c.timestamp
    facts = c.facts
    join = "\t".join
    for cid in range(block * BLOCK + 1, stop + 1):
        c.id = cid
        c.key = key = str(cid)
        facts.clear()
        cells = person(c)[0] if person is not None else ()
        c.created = now_s - 3600 - int(u() * CUSTOMER_DAYS * DAY)
        cust.append(join((key, *cells, stamp(c.created))))
        for add, make in sinks:
            for row in make(c):
                add(row if row.__class__ is str else join(row))
    return out


def lines(roles: Mapping[str, Role], n: int, seed: int, now_s: int, first_block: int = 0,
          blocks: int | None = None) -> Iterator[Lines]:
    """The lines of customers 1..n, block by block (from ``first_block``, at most ``blocks`` of them)."""
    _check(roles)
    last = (n + BLOCK - 1) // BLOCK
    if blocks is not None:
        last = min(last, first_block + blocks)
    for b in range(first_block, last):
        yield block_lines(roles, seed, b, min(n, (b + 1) * BLOCK), now_s)


def merged(parts: Iterator[Lines]) -> Lines:
    """Several blocks' lines as one."""
    out: Lines = {}
    for part in parts:
        for role, rows in part.items():
            out.setdefault(role, []).extend(rows)
    return out


def cells(line: str) -> list[Any]:
    """One line's cells (None for NULL)."""
    return [None if cell == NULL else cell for cell in line.split("\t")]


def _bool(cell: str) -> bool:
    return cell == "true"


_CONVERT: dict[str, Callable[[str], Any] | None] = {
    "int": int, "bool": _bool, "number": float, "timestamp": None, "text": None,
}


def tuple_rows(roles: Mapping[str, Role], chunk: Lines) -> dict[str, list[tuple[Any, ...]]]:
    """Parameter rows per role, in the role's column order (for executemany)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for role, rows in chunk.items():
        convert = [_CONVERT[spec.kind] for spec in roles[role].columns.values()]
        out[role] = [
            tuple(cell if f is None or cell is None else f(cell) for f, cell in zip(convert, cells(line), strict=True))
            for line in rows
        ]
    return out


def records(roles: Mapping[str, Role], chunk: Lines) -> Iterator[dict[str, Any]]:
    """Records (the shape of ``customer.example.json``) from one block's or chunk's lines."""
    builder = RecordBuilder(roles, demo=True)
    by_customer: dict[str, dict[int, list[Sequence[Any]]]] = {}
    for name, role in roles.items():
        if name == "customers":
            continue
        at = list(role.columns).index("customer_id")
        groups: dict[int, list[Sequence[Any]]] = {}
        for line in chunk.get(name, ()):
            row = cells(line)
            groups.setdefault(int(row[at]), []).append(row[:at] + row[at + 1:])
        by_customer[name] = groups
    for line in chunk["customers"]:
        row = cells(line)
        cid = int(row[0])
        yield builder.build(row, {name: groups.get(cid, ()) for name, groups in by_customer.items()})
