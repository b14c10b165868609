"""Synthetic demo customers: realistic records, and a fast loader for every engine.

:func:`generate` yields customer records in the shape of ``customer.example.json``
(messy on purpose: unicode and blank names, phone numbers in assorted
formats, genders and tags in mixed case, custom fields with padding and junk,
interactions over the last ~120 days). :func:`populate` writes the very same
customers into a database, using each engine's bulk path.

The data is a pure function of ``(n, seed, now)``: the same arguments give the
same records, and ``generate(m)`` starts with ``generate(n)`` for ``n < m``.
Interaction and cart times are relative to ``now`` (default: the current UTC
time, truncated to the second).

>>> recs = list(generate(3, seed=1, now="2026-11-28T00:00:00Z"))
>>> [r["id"] for r in recs]
[1, 2, 3]
>>> recs == list(generate(3, seed=1, now="2026-11-28T00:00:00Z"))
True
>>> sorted(recs[0])  # doctest: +NORMALIZE_WHITESPACE
['carts', 'channels', 'created_at', 'email', 'fields', 'gender', 'id', 'interactions',
 'name', 'phone', 'tags']
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from bisect import bisect
from collections.abc import Callable, Iterator
from typing import Any

from sqlglot import exp

from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import (
    ROLES,
    column_list,
    create_schema,
    drop_indexes,
    drop_schema,
    insert_sql,
    quoted_table,
)
from segdsl.families.settings import Settings, default_settings
from segdsl.lang.clock import resolve_now
from segdsl.sql.context import mapped_table

__all__ = ["BLOCK", "DATA_VERSION", "MARKER_TABLE", "DemoRefused", "generate", "populate"]

#: Bumped whenever the same (n, seed, now) would give different customers.
DATA_VERSION = 1

#: Customers per random stream: block ``b`` holds ids ``b*BLOCK+1 .. (b+1)*BLOCK``
#: and draws from its own generator, so any prefix of the data is cheap to make.
BLOCK = 5000

DAY = 86_400
HISTORY_DAYS = 120  # interactions happen within the last HISTORY_DAYS days
CART_DAYS = 60
CUSTOMER_DAYS = 1100  # customers signed up within the last ~3 years

Progress = Callable[[str, int, int], None]

# ----------------------------------------------------------------------------- vocabularies
# No value contains a tab, a newline or a backslash: the bulk loaders rely on it.

FIRST = (
    "Asha", "Rahul", "Priya", "Arjun", "Ananya", "Vikram", "Fatima", "Omar", "Aisha", "Yusuf",
    "Maria", "José", "Lucía", "Mateo", "Camila", "João", "Ana", "Pedro", "Sofía", "Diego",
    "Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas", "Chloé", "Amélie",
    "François", "Anaïs", "Zoë", "Jürgen", "Björn", "Søren", "Łukasz", "Zoltán", "Siobhán", "Renée",
    "Ngozi", "Chinedu", "Amara", "Kwame", "Wanjiru", "Mei", "Wei", "Yuki", "Haruto", "Minh",
    "Ayşe", "Mehmet", "Dmitri", "Olga", "Ólafur", "Nikos", "Elena", "Aarav", "Ishaan", "Kavya",
)
LAST = (
    "Rao", "Sharma", "Patel", "Iyer", "Khan", "Haddad", "Silva", "Santos", "García", "Fernández",
    "López", "Martínez", "Smith", "Johnson", "Brown", "Williams", "Müller", "Schäfer", "Dubois",
    "Lefèvre", "Kowalski", "Nowak", "Nguyễn", "Trần", "Okafor", "Mensah", "Kamau", "Tanaka",
    "Sato", "Chen", "Wang", "Yılmaz", "Öztürk", "Ivanov", "Petrov", "Papadopoulos", "O'Brien",
    "Van der Berg", "Jónsson", "Núñez", "da Costa", "Singh", "Gupta", "Reddy", "Ali",
)
WHOLE_NAMES = (  # names that are not "First Last" in Latin letters
    "王芳", "李娜", "佐藤 花子", "김민준", "Дмитрий Иванов", "محمد علي", "Ελένη Παπαδοπούλου",
    "ZOË MÜLLER", "Cher", "Dr. Asha Rao", "asha", "Unknown", "N/A", "José-María Núñez",
)
DOMAINS = (
    "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
    "icloud.com", "proton.me", "example.com", "acme.io", "shop.co.in", "mail.ru",
)
COUNTRY_CODES = ("91", "91", "91", "1", "1", "44", "55", "234", "254", "49", "33", "81", "52", "62")
GENDER_SPELLINGS = {
    "female": ("female", "female", "female", "female", "female", "female", "female", "Female", "Female", "FEMALE"),
    "male": ("male", "male", "male", "male", "male", "male", "male", "Male", "Male", "MALE"),
    "other": ("other", "other", "other", "other", "other", "other", "other", "Other", "Other", "OTHER"),
}
# (name, P(customer reachable there)); whatsapp is by far the most common
CHANNELS = (("whatsapp", 0.78), ("messenger", 0.24), ("instagram", 0.22), ("telegram", 0.08),
            ("webchat", 0.18), ("sms", 0.30))
CHANNEL_SPELLING = {"whatsapp": "WhatsApp", "messenger": "Messenger", "instagram": "Instagram",
                    "telegram": "Telegram", "webchat": "WebChat", "sms": "SMS"}
# (tag, weight)
TAGS = (
    ("vip", 10), ("gold", 9), ("silver", 8), ("new", 14), ("churn-risk", 7), ("wholesale", 4),
    ("returning", 10), ("newsletter", 12), ("beta-tester", 2), ("influencer", 2), ("b2b", 4),
    ("loyalty", 6), ("high value", 3), ("do-not-disturb", 2), ("black friday 2025", 3), ("café owner", 1),
)
TAG_NAMES = tuple(t for t, _ in TAGS)
TAG_CUM: list[float] = []
for _tag, _w in TAGS:
    TAG_CUM.append((TAG_CUM[-1] if TAG_CUM else 0) + _w)
TAG_TOTAL = TAG_CUM[-1]
TAG_SPELLINGS = tuple(
    (t, t, t, t, t, t, t, t.title(), t.title(), t.upper()) for t in TAG_NAMES
)
PLANS = ("free", "free", "free", "Free", "pro", "pro", "Pro ", "PRO", "business", "enterprise", "Enterprise")
CITIES = (
    "Mumbai", "Bengaluru", "Delhi", "Chennai", "São Paulo", "Rio de Janeiro", "Lagos", "Nairobi",
    "München", "Zürich", "Kraków", "Reykjavík", "Paris", "London", "New York", "Austin", "Mexico City",
    "Jakarta", "Tokyo", "東京", "İstanbul", "Cairo", " mumbai ", "BENGALURU",
)
LANGUAGES = ("en", "en", "en", "hi", "pt-BR", "es", "de", "fr", "sw", "ar", "ja")
SOURCES = ("facebook ad", "referral", "organic", "Instagram Ad", "qr code", "google")
JUNK_ORDERS = ("12abc", "n/a", "", "  ", "7 orders", "1e3", "3.", "-", "+4", "0.5")
FLOWS = (
    "Welcome", "Welcome", "Welcome", "Welcome", "Checkout", "Checkout", "Checkout", "Feedback",
    "Feedback", "Feedback", "Order Status", "Order Status", "Abandoned Cart", "Abandoned Cart",
    "Support", "Appointment Booking", "Reorder", "welcome", "CHECKOUT", "Feedback ",
)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


FIRST_ASCII = tuple(_ascii(x) for x in FIRST)
LAST_ASCII = tuple(_ascii(x) for x in LAST)
WHOLE_ASCII = tuple(_ascii(x) or "user" for x in WHOLE_NAMES)

# ----------------------------------------------------------------------------- timestamps

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DAYS: dict[int, str] = {}
_CLOCK: list[str] = []


def _clock() -> list[str]:
    """``HH:MM:SS`` for every second of a day, built once."""
    if not _CLOCK:
        _CLOCK.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY))
    return _CLOCK


def _day(d: int) -> str:
    text = _DAYS.get(d)
    if text is None:
        text = _DAYS[d] = dt.date.fromordinal(_EPOCH_ORDINAL + d).isoformat()
    return text


def _epoch(now: Any) -> int:
    return calendar.timegm(resolve_now(now).timetuple())


# ----------------------------------------------------------------------------- the generator
# One generator makes the rows of a block as tab-separated lines per table role
# (PostgreSQL's COPY text format: ``\\N`` is NULL; DuckDB reads them as CSV).
# The bulk loaders take them as they are; generate() and the executemany loaders
# read them back, so every path sees the same customers.

_TF = ("false", "true")
_N = "\\N"
Lines = dict[str, list[str]]


def _block_lines(seed: int, block: int, stop: int, now_s: int) -> Lines:
    """The customers of one block, ids ``block*BLOCK+1 ..`` up to ``stop`` (inclusive), as lines per role."""
    rnd = random.Random(f"segdsl-demo:{seed}:{block}")
    u = rnd.random
    nf, nl, nw = len(FIRST), len(LAST), len(WHOLE_NAMES)
    ndom, ncc, nflows = len(DOMAINS), len(COUNTRY_CODES), len(FLOWS)
    nplans, ncities, nlangs, nsources, njunk = len(PLANS), len(CITIES), len(LANGUAGES), len(SOURCES), len(JUNK_ORDERS)
    female, male, other = GENDER_SPELLINGS["female"], GENDER_SPELLINGS["male"], GENDER_SPELLINGS["other"]
    history = HISTORY_DAYS * DAY
    clock = _clock()
    days = _DAYS
    tf = _TF
    cust: list[str] = []
    chan: list[str] = []
    tag: list[str] = []
    fld: list[str] = []
    inter: list[str] = []
    cart: list[str] = []
    for cid in range(block * BLOCK + 1, stop + 1):
        # --- name and email
        r = u()
        fi = int(u() * nf)
        li = int(u() * nl)
        local: str | None
        if r < 0.04:
            name = _N
            local = FIRST_ASCII[fi] + LAST_ASCII[li]
        elif r < 0.06:
            name = ""
            local = FIRST_ASCII[fi]
        elif r < 0.07:
            name = "  "
            local = None
        elif r < 0.09:
            wi = int(u() * nw)
            name = WHOLE_NAMES[wi]
            local = WHOLE_ASCII[wi]
        else:
            name = f"{FIRST[fi]} {LAST[li]}"
            if r > 0.975:
                name = name.upper()
            elif r > 0.95:
                name = name.lower()
            elif r > 0.94:
                name = f" {name} "
            local = FIRST_ASCII[fi] + ("." if r < 0.6 else "") + LAST_ASCII[li]
        r = u()
        if r < 0.08 or local is None:
            email = _N
        elif r < 0.09:
            email = ""
        else:
            email = f"{local}{int(u() * 100) if r < 0.5 else ''}@{DOMAINS[int(u() * ndom)]}"
            if r > 0.96:
                email = email.capitalize()
        # --- phone
        r = u()
        if r < 0.07:
            phone = _N
        elif r < 0.08:
            phone = ""
        else:
            d = str(6_000_000_000 + int(u() * 3_999_999_999))
            cc = COUNTRY_CODES[int(u() * ncc)]
            if r < 0.30:
                phone = f"+{cc} {d[:5]}-{d[5:]}"
            elif r < 0.50:
                phone = cc + d
            elif r < 0.62:
                phone = f"({d[:3]}) {d[3:6]}-{d[6:]}"
            elif r < 0.70:
                phone = f"{d[:3]}.{d[3:6]}.{d[6:]}"
            elif r < 0.85:
                phone = f"+{cc} {d[:2]} {d[2:6]} {d[6:]}"
            else:
                phone = f"+{cc}{d}"
        # --- gender
        r = u()
        if r < 0.45:
            gender = female[int(u() * 10)]
        elif r < 0.87:
            gender = male[int(u() * 10)]
        elif r < 0.90:
            gender = other[int(u() * 10)]
        elif r < 0.97:
            gender = _N
        elif r < 0.99:
            gender = ""
        else:
            gender = " "
        created = now_s - 3600 - int(u() * CUSTOMER_DAYS * DAY)
        day, sec = divmod(created, DAY)
        cust.append(f"{cid}\t{name}\t{email}\t{phone}\t{gender}\t{days.get(day) or _day(day)} {clock[sec]}\n")
        # --- channels (whatsapp first when present)
        chans = [name_ for name_, p in CHANNELS if u() < p]
        if not chans:
            chans.append("webchat" if u() < 0.4 else "whatsapp")
        if u() < 0.03:
            chans = [CHANNEL_SPELLING[c] for c in chans]
        nch = len(chans)
        for ch in chans:
            chan.append(f"{cid}\t{ch}\n")
        # --- tags: 0..4 distinct, weighted, in mixed case
        r = u()
        k = 0 if r < 0.35 else 1 if r < 0.70 else 2 if r < 0.88 else 3 if r < 0.97 else 4
        if k:
            seen: list[int] = []
            for _ in range(k * 2):
                ti = bisect(TAG_CUM, u() * TAG_TOTAL)
                if ti in seen:
                    continue
                seen.append(ti)
                tag.append(f"{cid}\t{TAG_SPELLINGS[ti][int(u() * 10)]}\n")
                if len(seen) == k:
                    break
        # --- custom fields (text; generate() turns some into JSON numbers and booleans)
        r = u()
        if r < 0.75:
            yes = u() < 0.55
            if r < 0.04:
                value = " true " if yes else "FALSE"
            elif r < 0.08:
                value = "True" if yes else "False"
            else:
                value = "true" if yes else "false"
            fld.append(f"{cid}\treturningUser\t{value}\n")
        r = u()
        if r < 0.70:
            orders = int(u() * u() * 30)
            if r < 0.04:
                fld.append(f"{cid}\torders\t {orders} \n")
            elif r < 0.07:
                fld.append(f"{cid}\torders\t{JUNK_ORDERS[int(u() * njunk)]}\n")
            else:
                fld.append(f"{cid}\torders\t{orders}\n")
        if u() < 0.50:
            fld.append(f"{cid}\tplan\t{PLANS[int(u() * nplans)]}\n")
        if u() < 0.60:
            fld.append(f"{cid}\tcity\t{CITIES[int(u() * ncities)]}\n")
        if u() < 0.25:
            fld.append(f"{cid}\tlifetimeValue\t{u() * u() * 2500:.2f}\n")
        if u() < 0.30:
            fld.append(f"{cid}\tlanguage\t{LANGUAGES[int(u() * nlangs)]}\n")
        if u() < 0.20:
            fld.append(f"{cid}\tsignup source\t{SOURCES[int(u() * nsources)]}\n")
        # --- interactions on the customer's channels, oldest first, the newest most likely
        r = u()
        k = 0 if r < 0.15 else 1 + int(u() * 2) if r < 0.50 else 3 + int(u() * 4) if r < 0.85 else 7 + int(u() * 9)
        if k:
            span = min(now_s - created, history)
            base = cid * 100
            for j, at in enumerate(sorted([now_s - int(span * u() ** 1.6) for _ in range(k)])):
                ch = chans[0] if nch == 1 or u() < 0.55 else chans[1 + int(u() * (nch - 1))]
                bot = u() < 0.30
                flow = FLOWS[int(u() * nflows)] if bot or u() < 0.12 else _N
                day, sec = divmod(at, DAY)
                inter.append(
                    f"{base + j}\t{cid}\t{ch}\t{days.get(day) or _day(day)} {clock[sec]}\t{tf[u() < 0.18]}\t"
                    f"{tf[u() < 0.12]}\t{tf[u() < 0.06]}\t{tf[bot]}\t{flow}\n"
                )
        # --- carts
        r = u()
        if r >= 0.72:
            for j in range(1 if r < 0.95 else 2):
                ch = chans[0] if nch == 1 or u() < 0.6 else chans[1 + int(u() * (nch - 1))]
                items = int(u() * 7)
                paid = u() < 0.55
                day, sec = divmod(now_s - int(u() * CART_DAYS * DAY), DAY)
                cart.append(
                    f"{cid * 10 + j}\t{cid}\t{ch}\t{items}\t{tf[paid]}\t{days.get(day) or _day(day)} {clock[sec]}\n"
                )
    return {"customers": cust, "channels": chan, "tags": tag, "fields": fld, "interactions": inter, "carts": cart}


def _lines(n: int, seed: int, now_s: int, first_block: int = 0, blocks: int | None = None) -> Iterator[Lines]:
    """The lines of customers 1..n, block by block (from ``first_block``, at most ``blocks`` of them)."""
    last = (n + BLOCK - 1) // BLOCK
    if blocks is not None:
        last = min(last, first_block + blocks)
    for b in range(first_block, last):
        yield _block_lines(seed, b, min(n, (b + 1) * BLOCK), now_s)


def _merged(parts: Iterator[Lines]) -> Lines:
    out: Lines = {role: [] for role in ROLES}
    for part in parts:
        for role, lines in part.items():
            out[role].extend(lines)
    return out


def _cells(line: str) -> list[Any]:
    return [None if cell == _N else cell for cell in line[:-1].split("\t")]


def _iso(sql_ts: str) -> str:
    return f"{sql_ts[:10]}T{sql_ts[11:]}Z"


def _json_value(cid: int, key: str, value: str) -> Any:
    """Some records carry JSON numbers and booleans, which stand for their JSON text."""
    if cid % 16 == 5:
        if key == "returningUser" and value in ("true", "false"):
            return value == "true"
        if key == "orders" and value.isdigit() and str(int(value)) == value:
            return int(value)
    return value


def _records(lines: Lines) -> Iterator[dict[str, Any]]:
    """Records from one block's (or chunk's) lines."""
    by_customer: dict[str, dict[int, list[list[Any]]]] = {}
    for role in ("channels", "tags", "fields", "interactions", "carts"):
        groups: dict[int, list[list[Any]]] = {}
        at = 1 if role in ("interactions", "carts") else 0  # where the customer id is
        for line in lines[role]:
            cells = _cells(line)
            groups.setdefault(int(cells[at]), []).append(cells)
        by_customer[role] = groups
    empty: list[list[Any]] = []
    for line in lines["customers"]:
        cid_text, name, email, phone, gender, created = _cells(line)
        cid = int(cid_text)
        yield {
            "id": cid,
            "name": name,
            "email": email,
            "phone": phone,
            "gender": gender,
            "created_at": _iso(created),
            "channels": [c[1] for c in by_customer["channels"].get(cid, empty)],
            "tags": [c[1] for c in by_customer["tags"].get(cid, empty)],
            "fields": {c[1]: _json_value(cid, c[1], c[2]) for c in by_customer["fields"].get(cid, empty)},
            "interactions": [
                {
                    "id": int(c[0]),
                    "channel": c[2],
                    "occurred_at": _iso(c[3]),
                    "talked_with_agent": c[4] == "true",
                    "completed_product_flow": c[5] == "true",
                    "completed_collection_flow": c[6] == "true",
                    "completed_bot_flow": c[7] == "true",
                    "bot_flow": c[8],
                }
                for c in by_customer["interactions"].get(cid, empty)
            ],
            "carts": [
                {"id": int(c[0]), "channel": c[2], "item_count": int(c[3]), "paid": c[4] == "true",
                 "updated_at": _iso(c[5])}
                for c in by_customer["carts"].get(cid, empty)
            ],
        }


def generate(n: int, seed: int = 0, now: Any = None) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic customers (ids 1..n) in the record shape.

    Deterministic for ``(n, seed, now)``; times are relative to ``now``
    (a datetime or ISO string, default the current UTC time to the second).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    now_s = _epoch(now)
    for lines in _lines(n, seed, now_s):
        yield from _records(lines)


# ----------------------------------------------------------------------------- rows for executemany


def _bool(cell: str) -> bool:
    return cell == "true"


_CONVERT: dict[str, tuple[Callable[[Any], Any] | None, ...]] = {
    "customers": (int, None, None, None, None, None),
    "channels": (int, None),
    "tags": (int, None),
    "fields": (int, None, None),
    "interactions": (int, int, None, None, _bool, _bool, _bool, _bool, None),
    "carts": (int, int, None, int, _bool, None),
}


def _tuple_rows(lines: Lines) -> dict[str, list[tuple[Any, ...]]]:
    """Parameter rows per role, in :data:`segdsl.data.records.COLUMNS` order (for executemany)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for role, rows in lines.items():
        convert = _CONVERT[role]
        out[role] = [
            tuple(cell if f is None or cell is None else f(cell) for f, cell in zip(convert, _cells(line), strict=True))
            for line in rows
        ]
    return out


# ----------------------------------------------------------------------------- populate


class _Counter:
    """Rows loaded per role, and the progress callback."""

    def __init__(self, n: int, names: dict[str, str], progress: Progress | None) -> None:
        self.n = n
        self.names = names
        self.progress = progress
        self.rows = {role: 0 for role in ROLES}
        self.customers = 0

    def add(self, counts: dict[str, int]) -> None:
        for role, k in counts.items():
            self.rows[role] += k
        self.customers = self.rows["customers"]
        if self.progress is not None:
            for role in ROLES:
                done = self.rows[role]
                if role == "customers":
                    total = self.n
                else:  # projected from the customers loaded so far; exact at the last call
                    total = round(done * self.n / self.customers) if self.customers else 0
                self.progress(self.names[role], done, total)

    def result(self) -> dict[str, int]:
        return {self.names[role]: self.rows[role] for role in ROLES}


class DemoRefused(Exception):
    """``populate`` would drop a table that ``segdsl demo`` did not create (pass ``replace=True``)."""


#: the table in which populate() records the tables it created (one row per table)
MARKER_TABLE = "segdsl_demo"


def populate(
    url_or_engine: str | Engine | None,
    n: int = 10_000,
    seed: int = 0,
    progress: Progress | None = None,
    settings: Settings | None = None,
    now: Any = None,
    replace: bool = False,
) -> dict[str, int]:
    """Replace the demo tables in a database with ``n`` generated customers.

    **Destructive:** the six mapped tables (customers, channels, tags,
    fields, interactions, carts, as named by ``settings``) are dropped if they
    exist, with all their rows, and created anew before the load. Other
    tables are left alone. A mapped table that an earlier ``populate`` did not
    create (it is not listed in :data:`MARKER_TABLE`) is only dropped with
    ``replace=True``; otherwise :class:`DemoRefused` is raised before anything
    changes.

    **All or nothing:** an interrupted or failed load (Ctrl-C, SIGTERM, a
    crash, a DDL error) leaves the old tables as they were. SQLite, DuckDB and
    PostgreSQL load in one transaction (DDL included; SQLite keeps its
    rollback journal). MySQL/MariaDB commit DDL implicitly, so there the new
    tables are loaded under staging names (``segdsl_new_<table>``) and swapped
    in with one atomic ``RENAME TABLE``.

    The customers are exactly those of ``generate(n, seed, now)``. Each engine
    gets its bulk path: DuckDB ``COPY`` from tab-separated files, PostgreSQL
    ``COPY FROM STDIN``, SQLite ``executemany``, MySQL/MariaDB multi-row
    INSERTs. From :data:`PARALLEL_FROM` customers on, DuckDB and PostgreSQL get
    their chunks from worker processes (``python -m segdsl.data.demo
    --worker``), one per CPU, while the database loads the previous ones. The
    secondary indexes are built after the load (except on DuckDB, where
    keeping them is faster), then the statistics are refreshed.

    ``progress(table, rows_done, rows_total)`` is called after each chunk for
    every table; for the customers table ``rows_total`` is ``n``, for the
    others it is projected from the chunks loaded so far (exact at the last
    call). Returns the number of rows written per table name.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    settings = settings or default_settings()
    engine = url_or_engine if isinstance(url_or_engine, Engine) else connect(url_or_engine, create=True)
    try:
        now_s = _epoch(now)
        names = {role: getattr(settings.schema, role).table for role in ROLES}
        counter = _Counter(n, names, progress)
        _check_ownership(engine, settings, replace)
        if engine.dialect == "mysql":
            _populate_staged(engine, settings, n, seed, now_s, counter)
        else:
            loader = {"duckdb": _load_duckdb, "postgres": _load_postgres, "sqlite": _load_sqlite}[engine.dialect]
            with engine.transaction():
                _mark(engine, settings)
                create_schema(engine, settings, drop=True)
                if engine.dialect != "duckdb":
                    drop_indexes(engine, settings)  # built again after the load
                loader(engine, settings, n, seed, now_s, counter)
                create_schema(engine, settings)  # the indexes dropped above
        _analyze(engine, settings)
        return counter.result()
    finally:
        if not isinstance(url_or_engine, Engine):
            engine.close()


# ----------------------------------------------------------------------------- what demo owns


def _qualified(settings: Settings, role: str) -> str:
    mapping = getattr(settings.schema, role)
    return f"{mapping.db_schema}.{mapping.table}" if mapping.db_schema else str(mapping.table)


def _marker() -> exp.Table:
    return exp.Table(this=exp.to_identifier(MARKER_TABLE, quoted=True))


def _owned(engine: Engine) -> set[str]:
    """The tables an earlier populate() created here (empty when the marker table is missing)."""
    select = exp.select(exp.column("table_name", quoted=True)).from_(_marker())
    try:
        return {str(r[0]) for r in engine.query(select.sql(dialect=engine.rules.sqlglot, identify=True))}
    except EngineError:
        return set()


def _exists(engine: Engine, table: exp.Table) -> bool:
    probe = exp.select(exp.Literal.number(1)).from_(table).where(exp.false())
    try:
        engine.query(probe.sql(dialect=engine.rules.sqlglot, identify=True))
    except EngineError:
        return False
    return True


def _check_ownership(engine: Engine, settings: Settings, replace: bool) -> None:
    """Refuse to drop a mapped table populate() did not create, unless ``replace``."""
    if replace:
        return
    owned = _owned(engine)
    for role in ROLES:
        name = _qualified(settings, role)
        if name not in owned and _exists(engine, mapped_table(settings.schema, role)):
            raise DemoRefused(
                f"the table `{name}` exists and was not created by segdsl demo; the demo would drop it "
                "with all its rows: pass --replace to allow that, or map the demo elsewhere with --schema"
            )


def _mark(engine: Engine, settings: Settings) -> None:
    """Record the mapped tables as made by populate() (in the caller's transaction)."""
    dialect = engine.rules.sqlglot
    column = exp.ColumnDef(
        this=exp.to_identifier("table_name", quoted=True),
        kind=exp.DataType.build("VARCHAR(400)", dialect="postgres"),
        constraints=[exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())],
    )
    create = exp.Create(
        this=exp.Schema(this=_marker(), expressions=[column, exp.PrimaryKey(expressions=[
            exp.to_identifier("table_name", quoted=True)])]),
        kind="TABLE",
        exists=True,
    )
    engine.query(create.sql(dialect=dialect, identify=True))
    owned = _owned(engine)
    for role in ROLES:
        name = _qualified(settings, role)
        if name not in owned:
            insert = exp.Insert(this=_marker(), expression=exp.Values(expressions=[
                exp.Tuple(expressions=[exp.Literal.string(name)])]))
            engine.query(insert.sql(dialect=dialect, identify=True))
            owned.add(name)


def _staged(settings: Settings, prefix: str) -> Settings:
    """``settings`` with every mapped table renamed ``<prefix><table>`` (MySQL's 64-character limit kept)."""
    schema = settings.schema
    for role in ROLES:
        mapping = getattr(schema, role)
        schema = dataclasses.replace(schema, **{role: dataclasses.replace(
            mapping, table=(prefix + mapping.table)[:64])})
    return dataclasses.replace(settings, schema=schema)


def _populate_staged(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    """MySQL/MariaDB: load staging tables, then swap them in with one atomic RENAME TABLE."""
    new, old = _staged(settings, "segdsl_new_"), _staged(settings, "segdsl_old_")
    drop_schema(engine, new)  # what an interrupted earlier run left
    drop_schema(engine, old)
    try:
        create_schema(engine, new)
        drop_indexes(engine, new)  # built after the load
        _load_mysql(engine, new, n, seed, now_s, counter)
        create_schema(engine, new)
        _mark(engine, settings)
        renames = []
        for role in ROLES:
            target = quoted_table(engine, settings, role)
            if _exists(engine, mapped_table(settings.schema, role)):
                renames.append(f"{target} TO {quoted_table(engine, old, role)}")
            renames.append(f"{quoted_table(engine, new, role)} TO {target}")
        engine.query("RENAME TABLE " + ", ".join(renames))  # all renames or none
    except BaseException:
        with contextlib.suppress(EngineError):
            drop_schema(engine, new)
        raise
    drop_schema(engine, old)


def _analyze(engine: Engine, settings: Settings) -> None:
    if engine.dialect == "sqlite":
        engine.query("ANALYZE")
    elif engine.dialect == "postgres":
        # VACUUM as well, as after any bulk load: it marks the pages all-visible, so
        # index-only scans (the EXISTS look-ups) need not visit the table
        was = engine.conn.autocommit
        engine.conn.commit()
        engine.conn.autocommit = True  # VACUUM cannot run inside a transaction
        try:
            for role in ROLES:
                engine.query(f"VACUUM ANALYZE {quoted_table(engine, settings, role)}")
        finally:
            engine.conn.autocommit = was
    elif engine.dialect == "mysql":
        for role in ROLES:
            engine.query(f"ANALYZE TABLE {quoted_table(engine, settings, role)}")


def _chunks(n: int, seed: int, now_s: int, per_chunk: int) -> Iterator[Lines]:
    """The lines of customers 1..n in chunks of ``per_chunk`` blocks."""
    for index in range(_chunk_count(n, per_chunk)):
        yield _chunk_lines(n, seed, now_s, index, per_chunk)


CHUNK_BLOCKS = 10  # blocks per bulk-load chunk (50,000 customers)
PARALLEL_FROM = 3 * CHUNK_BLOCKS * BLOCK  # below this many customers, generate in process


def _write_chunk(chunk: Lines, folder: str, index: int) -> dict[str, tuple[str, int]]:
    """Write one chunk as a tab-separated file per role; (path, rows) per role."""
    out = {}
    for role, lines in chunk.items():
        path = os.path.join(folder, f"{index}-{role}.tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("".join(lines))
        out[role] = (path, len(lines))
    return out


def _chunk_count(n: int, per_chunk: int) -> int:
    return (n + per_chunk * BLOCK - 1) // (per_chunk * BLOCK)


def _chunk_lines(n: int, seed: int, now_s: int, index: int, per_chunk: int) -> Lines:
    """The lines of chunk ``index`` (``per_chunk`` blocks)."""
    return _merged(_lines(n, seed, now_s, index * per_chunk, per_chunk))


def _chunk_files(
    n: int, seed: int, now_s: int, folder: str, workers: int, per_chunk: int
) -> Iterator[dict[str, tuple[str, int]]]:
    """The chunks' files, in order; made by ``workers`` worker processes (or in process when 0).

    Each worker makes every ``workers``-th chunk and stays at most two chunks
    ahead of the consumer, so the disk holds only a few chunks at a time.
    """
    chunks = _chunk_count(n, per_chunk)
    if workers <= 0:
        for index in range(chunks):
            yield _write_chunk(_chunk_lines(n, seed, now_s, index, per_chunk), folder, index)
        return
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "segdsl.data.demo", "--worker", str(n), str(seed), str(now_s), folder, str(w),
             str(workers), str(per_chunk)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for w in range(workers)
    ]
    try:
        for index in range(chunks):
            proc = procs[index % workers]
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                proc.wait()
                error = (proc.stderr.read() if proc.stderr else "").strip().splitlines()  # type: ignore[union-attr]
                raise RuntimeError(f"demo data worker failed: {error[-1] if error else f'exit {proc.returncode}'}")
            got, *counts = line.split()
            assert int(got) == index, (got, index)
            yield {
                role: (os.path.join(folder, f"{index}-{role}.tsv"), int(k))
                for role, k in zip(ROLES, counts, strict=True)
            }
            with contextlib.suppress(BrokenPipeError):  # the worker may have finished its share
                proc.stdin.write("go\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
    finally:
        for proc in procs:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # type: ignore[union-attr]
            if proc.poll() is None:
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def _worker_main(argv: list[str]) -> None:
    """``python -m segdsl.data.demo --worker N SEED NOW FOLDER FIRST STEP PER_CHUNK``: chunks FIRST, FIRST+STEP, ..."""
    n, seed, now_s = int(argv[0]), int(argv[1]), int(argv[2])
    folder, first, step, per_chunk = argv[3], int(argv[4]), int(argv[5]), int(argv[6])
    granted = 0
    for made, index in enumerate(range(first, _chunk_count(n, per_chunk), step)):
        while made - granted >= 2:
            if not sys.stdin.readline():
                return  # the consumer has gone
            granted += 1
        files = _write_chunk(_chunk_lines(n, seed, now_s, index, per_chunk), folder, index)
        sys.stdout.write(f"{index} {' '.join(str(files[role][1]) for role in ROLES)}\n")
        sys.stdout.flush()


def _workers(n: int) -> int:
    if n < PARALLEL_FROM:
        return 0
    return max(1, min(os.cpu_count() or 1, 4))


def _load_duckdb(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    # Worker processes write tab-separated chunks; DuckDB COPYs each (in parallel with the next ones being made).
    copies = {
        role: f"COPY {quoted_table(engine, settings, role)} ({column_list(engine, settings, role)}) FROM '{{path}}' "
        "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '', NULLSTR '\\N', AUTO_DETECT false)"
        for role in ROLES
    }
    folder = tempfile.mkdtemp(prefix="segdsl-demo-")
    try:
        for files in _chunk_files(n, seed, now_s, folder, _workers(n), CHUNK_BLOCKS):
            for role, (path, k) in files.items():
                if k:
                    engine.query(copies[role].format(path=path.replace("'", "''")))
                os.remove(path)
            counter.add({role: k for role, (_p, k) in files.items()})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _load_postgres(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    # COPY FROM STDIN in the text format; the server parses while the next chunk is made.
    conn = engine.conn
    statements = {
        role: f"COPY {quoted_table(engine, settings, role)} ({column_list(engine, settings, role)}) FROM STDIN"
        for role in ROLES
    }
    folder = tempfile.mkdtemp(prefix="segdsl-demo-")
    try:  # inside populate()'s transaction: nothing is committed here
        with conn.cursor() as cur:
            for files in _chunk_files(n, seed, now_s, folder, _workers(n), CHUNK_BLOCKS):
                for role, (path, k) in files.items():
                    if k:
                        with cur.copy(statements[role]) as copy, open(path, "rb") as fh:
                            while data := fh.read(1 << 20):
                                copy.write(data)
                    os.remove(path)
                counter.add({role: k for role, (_p, k) in files.items()})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _load_sqlite(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    # Inside populate()'s transaction, with SQLite's rollback journal on: an interrupted
    # load rolls back (https://sqlite.org/atomiccommit.html); journal_mode=OFF would not.
    conn = engine.conn
    statements = {role: insert_sql(engine, settings, role) for role in ROLES}
    for chunk in _chunks(n, seed, now_s, per_chunk=4):
        counts = {}
        for role, rows in _tuple_rows(chunk).items():
            conn.executemany(statements[role], rows)
            counts[role] = len(rows)
        counter.add(counts)


def _load_mysql(engine: Engine, settings: Settings, n: int, seed: int, now_s: int, counter: _Counter) -> None:
    # PyMySQL turns executemany of INSERT ... VALUES into multi-row INSERTs. The tables are
    # populate()'s staging tables, so committing chunk by chunk exposes nothing half-made.
    conn = engine.conn
    statements = {role: insert_sql(engine, settings, role) for role in ROLES}
    try:
        with conn.cursor() as cur:
            for chunk in _chunks(n, seed, now_s, per_chunk=2):
                counts = {}
                for role, rows in _tuple_rows(chunk).items():
                    if rows:
                        cur.executemany(statements[role], rows)
                    counts[role] = len(rows)
                conn.commit()
                counter.add(counts)
    except Exception:
        conn.rollback()
        raise


if __name__ == "__main__":  # pragma: no cover - run by populate() in worker processes
    if sys.argv[1:2] == ["--worker"]:
        _worker_main(sys.argv[2:])
    else:
        sys.exit("usage: python -m segdsl.data.demo --worker N SEED NOW FOLDER FIRST STEP PER_CHUNK"
                 " (used by populate())")
