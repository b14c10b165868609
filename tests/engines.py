"""Shared helpers for the tests that run segdsl's SQL on real engines.

* :class:`EnginePool` opens one connected :class:`segdsl.data.engines.Engine` per
  (backend, dataset), creates the reference schema in a place of its own and
  loads the dataset once per test session:

  - ``sqlite`` / ``duckdb``: a file in the session's temporary folder;
  - ``postgres``: database ``segdsl_test`` (created if missing), one schema per
    session and dataset (``s_<token>_<dataset>``), picked by ``search_path``;
  - ``mysql``: one database per session and dataset
    (``segdsl_test_<token>_<dataset>``);
  - ``mysql_ci``: like ``mysql`` but the tables keep MariaDB's default
    case- and accent-insensitive, PAD SPACE collation (``utf8mb4_general_ci``),
    the way an embedder's own tables usually are: segdsl's SQL must still be
    byte-exact there;
  - ``mysql_latin1``: tables in ``latin1`` (``latin1_swedish_ci``, the old
    MySQL default), loaded with the records that latin1 can hold
    (:func:`latin1_subset`);
  - ``sqlite_nocase`` / ``duckdb_nocase``: every text column declared
    ``COLLATE NOCASE``, a common SQLite idiom;
  - ``postgres_c``: database ``segdsl_test_c``, made with ``LC_CTYPE 'C'``,
    where PostgreSQL's own LOWER() folds ASCII only.

  Parallel sessions (two developers, CI, ``pytest -n``) never share a schema,
  and everything made is dropped when the session ends.

* Counting helpers: inline SQL (``segdsl.compile`` run with ``Engine.query``),
  params mode (``segdsl.count`` / ``audience``) and the in-process interpreter.

* :data:`CORPUS_RECORDS`: the varied ~60-customer dataset the example corpus
  runs on (``NOW`` = 2026-11-28T12:00:00Z).

Server URLs default to the engines of this machine and can be moved with
``SEGDSL_TEST_PG`` / ``SEGDSL_TEST_MYSQL`` (any database on the server:
it is only used to create the test databases).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import re
import secrets
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import segdsl
from segdsl.api import audience as params_audience
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, load_records, schema_statements
from segdsl.sql.dialects import DialectRules

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "examples" / "rules"

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, 0, 0)

BACKENDS = ("sqlite", "duckdb", "postgres", "mysql")
#: Spark in this process (spark://local[2]) and through Spark Connect (sc://), one JVM per run (tests/sparkjvm.py)
SPARK_BACKENDS = ("spark", "spark_connect")
#: backends that need a server (a skip of theirs fails under CI=true)
SERVER_BACKENDS = ("postgres", "postgres_c", "mysql", "mysql_ci", "mysql_latin1", *SPARK_BACKENDS)
#: a PostgreSQL database whose LOWER() would fold ASCII only (LC_CTYPE C)
PG_C_DB = "segdsl_test_c"
PG_C_OPTIONS = " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
#: MySQL/MariaDB table options per variant (None: segdsl's own create_schema)
MYSQL_TABLES = {
    "mysql": None,
    "mysql_ci": "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    "mysql_latin1": "DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
}
TEST_DB = "segdsl_test"
PG_URL = os.environ.get("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("SEGDSL_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")
TABLES = ("customers", "customer_channels", "customer_tags", "customer_fields", "interactions", "carts")


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail(reason: str) -> None:
    """Skip a real-engine test, or fail it when CI=true (CI must run every engine)."""
    if in_ci():
        pytest.fail(f"CI=true and a real-engine test could not run: {reason}", pytrace=False)
    pytest.skip(reason)


def backend_params(backends: Sequence[str] = BACKENDS) -> list[Any]:
    """``pytest.param`` per backend, marked ``engine``."""
    return [pytest.param(b, id=b, marks=pytest.mark.engine) for b in backends]


def corpus_rules() -> list[tuple[str, str]]:
    """(name, text) of every examples/rules/*.seg, sorted by name."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(RULES_DIR.glob("*.seg"))]


# ---------------------------------------------------------------------------- the pool


@dataclass
class Dataset:
    """Records loaded under one name (one schema / database / file per backend)."""

    name: str
    records: list[dict[str, Any]]

    def ids(self) -> list[int]:
        return sorted(int(r["id"]) for r in self.records)


def _with_db(url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


@dataclass
class EnginePool:
    """Connected engines, one per (backend, dataset), made on first use, dropped at the end."""

    tmp: Path
    token: str = field(default_factory=lambda: f"{os.getpid()}_{secrets.token_hex(3)}")
    engines: dict[tuple[str, str], Engine] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    cleanup: list[tuple[str, str]] = field(default_factory=list)

    # -------------------------------------------------------------- public

    def get(self, backend: str, dataset: Dataset) -> Engine:
        """An engine holding ``dataset`` (skips, or fails under CI, when the server is unreachable)."""
        key = (backend, dataset.name)
        if key in self.engines:
            return self.engines[key]
        if backend in self.failures:
            skip_or_fail(self.failures[backend])
        engine = self.fresh(backend, dataset.name)
        self._load(engine, backend, dataset)
        self.engines[key] = engine
        return engine

    def fresh(self, backend: str, name: str) -> Engine:
        """An engine on a new, empty place (no tables) for ``name``."""
        if backend in self.failures:
            skip_or_fail(self.failures[backend])
        try:
            return self._open(backend, name)
        except EngineError as err:
            if backend not in SERVER_BACKENDS:
                raise
            self.failures[backend] = f"{backend} is unreachable: {err}"
        skip_or_fail(self.failures[backend])
        raise AssertionError("unreachable")  # pragma: no cover - skip_or_fail raises

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
        self.engines.clear()
        for kind, name in reversed(self.cleanup):
            try:
                if kind == "pg_schema":
                    database, schema = name.split(".", 1)
                    with connect(_with_db(PG_URL, database)) as admin:
                        admin.query(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                elif kind == "my_db":
                    with connect(MYSQL_URL) as admin:
                        admin.query(f"DROP DATABASE IF EXISTS `{name}`")
            except EngineError:
                pass

    # -------------------------------------------------------------- opening

    def _open(self, backend: str, name: str) -> Engine:
        place = f"{self.token}_{name}"
        if backend in ("sqlite", "sqlite_nocase"):
            return connect(f"sqlite:///{self.tmp / (place + backend + '.db')}", create=True)
        if backend in ("duckdb", "duckdb_nocase"):
            engine = connect(f"duckdb:///{self.tmp / (place + backend + '.duckdb')}", create=True)
            engine.query("SET GLOBAL threads = 1")  # tiny tables: threads only cost time on a busy machine
            return engine
        if backend in SPARK_BACKENDS:
            return self._spark(backend, self.tmp / f"{place}_{backend}")
        if backend == "postgres":
            return self._postgres(f"s_{place}")
        if backend == "postgres_c":
            return self._postgres(f"s_{place}", PG_C_DB, PG_C_OPTIONS)
        if backend in MYSQL_TABLES:
            return self._mysql(f"{TEST_DB}_{place}{backend[len('mysql'):]}")
        raise ValueError(backend)

    def _postgres(self, schema: str, database: str = TEST_DB, options: str = "") -> Engine:
        admin = connect(PG_URL)
        try:
            admin.conn.autocommit = True
            if not admin.query("SELECT 1 FROM pg_database WHERE datname = %s", [database]):
                try:
                    admin.query(f'CREATE DATABASE "{database}"{options}')
                except EngineError as err:  # another session made it first
                    if "already exists" not in str(err):
                        raise
        finally:
            admin.close()
        engine = connect(_with_db(PG_URL, database))
        engine.query(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        self.cleanup.append(("pg_schema", f"{database}.{schema}"))
        engine.query(f'SET search_path TO "{schema}"')
        return engine

    def _spark(self, backend: str, warehouse: Path) -> Engine:
        from tests.sparkjvm import SparkUnavailable, spark_urls

        warehouse.mkdir(parents=True, exist_ok=True)
        try:
            url = spark_urls(warehouse)[backend]
        except SparkUnavailable as exc:
            raise EngineError(str(exc)) from None
        if backend == "spark_connect":  # in a child process: see tests/sparkproxy.py
            from tests.sparkproxy import ProxyConnection

            return Engine(url, "spark", ProxyConnection(url, warehouse))
        return connect(url)

    def _mysql(self, database: str) -> Engine:
        with connect(MYSQL_URL) as admin:
            admin.query(f"CREATE DATABASE IF NOT EXISTS `{database}` CHARACTER SET utf8mb4")
        self.cleanup.append(("my_db", database))
        return connect(_with_db(MYSQL_URL, database))

    # -------------------------------------------------------------- loading

    def _load(self, engine: Engine, backend: str, dataset: Dataset) -> None:
        options = MYSQL_TABLES.get(backend)
        if options:
            for statement in schema_statements(engine):
                engine.query(re.sub(r"DEFAULT CHARSET=\w+ COLLATE=\w+", options, statement))
        elif backend.endswith("_nocase"):
            for statement in schema_statements(engine):
                engine.query(re.sub(r"\b(VARCHAR|TEXT)(\(\d+\))?", r"\1\2 COLLATE NOCASE", statement))
        else:
            create_schema(engine)
        load_records(engine, dataset.records)


def _latin1(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, Mapping):
        return all(_latin1(k) and _latin1(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_latin1(v) for v in value)
    return True


_SUBSETS: dict[str, Dataset] = {}


def latin1_subset(dataset: Dataset) -> Dataset:
    """The records of ``dataset`` that a latin1 table can hold (the same object each time)."""
    if dataset.name not in _SUBSETS:
        _SUBSETS[dataset.name] = Dataset(dataset.name + "_latin1", [r for r in dataset.records if _latin1(r)])
    return _SUBSETS[dataset.name]


def dataset_for(backend: str, dataset: Dataset) -> Dataset:
    """What ``backend`` holds of ``dataset``: all of it, or its latin1 part."""
    return latin1_subset(dataset) if backend == "mysql_latin1" else dataset


# ---------------------------------------------------------------------------- running rules


@functools.cache
def compiled_sql(rule: str, dialect: str | DialectRules, count: bool) -> str:
    return segdsl.compile(rule, dialect=dialect, count=count, now=NOW)


def inline_count(engine: Engine, rule: str) -> int:
    rows = engine.query(compiled_sql(rule, engine.rules, True))
    assert len(rows) == 1 and len(rows[0]) == 1, rows
    return int(rows[0][0])


def inline_ids(engine: Engine, rule: str) -> list[int]:
    return sorted(int(r[0]) for r in engine.query(compiled_sql(rule, engine.rules, False)))


def params_count(engine: Engine, rule: str) -> int:
    """The count through the public API: ``segdsl.count(rule, db=engine, now=...)`` (params mode)."""
    return segdsl.count(rule, db=engine, now=NOW)


@functools.cache
def compiled_params(rule: str, dialect: str | DialectRules, count: bool) -> tuple[str, tuple[Any, ...]]:
    compiled = segdsl.compile(rule, dialect=dialect, count=count, now=NOW, params=True)
    return compiled.sql, tuple(compiled.params)


def params_ids(engine: Engine, rule: str) -> list[int]:
    """The audience in params mode (what ``segdsl.api.audience`` runs; compiled once per dialect)."""
    sql, values = compiled_params(rule, engine.rules, False)
    return sorted(int(r[0]) for r in engine.query(sql, values))


def api_ids(engine: Engine, rule: str) -> list[int]:
    """The audience through the public API (``segdsl.api.audience``)."""
    return params_audience(rule, db=engine, now=NOW)


def interpreter_ids(records: Iterable[Mapping[str, Any]], rule: str) -> list[int]:
    match = segdsl.matcher(rule, now=NOW)
    return sorted(int(r["id"]) for r in records if match(r))


def row_counts(engine: Engine) -> dict[str, int]:
    q = "`" if engine.dialect == "mysql" else '"'
    return {t: int(engine.query(f"SELECT COUNT(*) FROM {q}{t}{q}")[0][0]) for t in TABLES}


def description_names(engine: Engine, sql: str) -> list[str]:
    """Column names the driver reports for ``sql``."""
    cur = engine.conn.cursor()
    try:
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        cur.fetchall()
    finally:
        cur.close()
    return names


# ---------------------------------------------------------------------------- the corpus dataset


def _at(days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> str:
    """An instant relative to NOW (negative: in the past), ISO with Z."""
    stamp = NOW_DT + dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


# Instants the corpus rules care about: the windows around NOW, the dates and
# date-times the rules name, and the times of day they name (on both sides).
_INSTANTS = [
    _at(minutes=-1), _at(minutes=-1, seconds=-1), _at(minutes=-30), _at(minutes=-60), _at(minutes=-61),
    _at(minutes=-90), _at(minutes=-91), _at(hours=-3), _at(hours=-3, seconds=-1), _at(days=-1),
    _at(days=-1, seconds=-1), _at(days=-7), _at(days=-7, seconds=-1), _at(days=-14), _at(days=-14, seconds=-1),
    _at(days=-30), _at(days=-30, seconds=-1), _at(days=-45), _at(days=-400),
    "2026-10-31T23:59:59Z", "2026-11-01T00:00:00Z", "2026-11-01T23:59:59Z", "2026-11-02T00:00:00Z",
    "2026-11-15T23:59:59Z", "2026-11-16T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-20T09:14:59Z",
    "2026-11-20T09:15:00Z", "2026-11-20T09:15:01Z", "2026-11-20T23:59:59Z", "2026-11-21T00:00:00Z",
    "2026-11-10T09:00:00Z", "2026-11-10T08:59:59Z", "2026-11-10T16:59:59Z", "2026-11-10T17:00:00Z",
    "2026-11-10T22:00:00Z", "2026-11-10T21:59:59Z", "2026-11-10T05:59:59Z", "2026-11-10T06:00:00Z",
    "2026-11-10T12:00:00Z", "2026-11-10T11:59:59Z", "2026-11-10T18:00:30Z", "2026-11-10T18:00:29Z",
    "2026-11-10T00:00:00Z", "2026-11-20T10:00:00+05:30",
]
_CHANNELS = ["whatsapp", "WhatsApp", "WHATSAPP", "sms", "SMS", "messenger", "Instagram", "telegram", "Telegram",
             "webchat", "WebChat"]
_TAGS = ["vip", "VIP", "Vip", "gold", "Gold", "GOLD", "silver", "x", "X", "new", "vip ", "vipp", "été", "ÉTÉ"]
_NAMES = ["Asha", "asha", "ASHA", "Asha Rao", "ASHA RAO", "asha rao", "Zoë Müller", "ZOË MÜLLER", "zoë müller",
          "Rashid", "Shirin", None, "", "   ", "Bob 50% off", "a_b test", "axb", "50x", "Ravi Rao", "Łukasz",
          "Ørjan", "Ελένη", "Дмитрий", "Asha ", " asha", "O'Neil", "Rao", "rao", "Shah Rao "]
_EMAILS = ["asha@example.com", "ASHA@EXAMPLE.COM", "asha@example.org", None, "", " ", "bob@Example.com",
           "x@example.comm", "zoë@EXAMPLE.com", "asha@example.com "]
_PHONES = ["+91 98765-43210", "919876543210", "(91) 98765.43210", "+1 555 0100", None, "", "  ", "98765",
           "+44 20 7946 0958", "91-98765-43210", "+91 (987) 65 432", "0091 98765 43210"]
_GENDERS = ["female", "Female", "FEMALE", "male", "MALE", "Male", "other", "Other", None, "", " ", "nonbinary"]
_FIELD_VALUES = {
    "returningUser": ["true", "TRUE", " true ", "false", "False", "yes", "", True, False, None],
    "plan": ["gold", "Gold", " GOLD ", "silver", "3", "3.0", "true", "premium", "", "  ", "golden", None, 3],
    "orders": ["3", "3.0", " 3 ", "+3", "-0", "7", "12abc", "1e3", "3.50", "3.5", "2.99", "-4", "1.", ".5", "",
               "10", "007", "-3", "-3.01", 7, 3.5, "   "],
    "city": ["Pune", "PUNE", " pune ", "Puneet", "Mumbai", "pun", "Pu", "ne", "Kolhapune"],
    "plan type": ["premium", "Premium ", "basic", "PREMIUM"],
    "Plan": ["gold"],
}
_FLOWS = ["Welcome", "welcome", "WELCOME", "Welcome ", "Onboarding", None, ""]


def _corpus_records() -> list[dict[str, Any]]:
    rnd = random.Random(20261128)
    records: list[dict[str, Any]] = [
        # the record of customer.example.json
        {
            "id": 42, "name": "Asha Rao", "email": "asha@example.com", "phone": "+91 98765-43210",
            "gender": "female", "created_at": "2025-03-01T10:00:00Z", "channels": ["whatsapp", "instagram"],
            "tags": ["vip", "Gold"], "fields": {"returningUser": "true", "orders": "7"},
            "interactions": [
                {"id": 1001, "channel": "whatsapp", "occurred_at": "2026-11-20T09:15:00Z", "talked_with_agent": True,
                 "completed_product_flow": False, "completed_collection_flow": False, "completed_bot_flow": True,
                 "bot_flow": "Welcome"}
            ],
            "carts": [{"id": 7, "channel": "whatsapp", "item_count": 2, "paid": False,
                       "updated_at": "2026-11-21T18:00:00Z"}],
        },
        # the escapes example, and its near misses
        {"id": 43, "name": "say \"hi\" \\ it's\tok \u00e9", "channels": ["WhatsApp"]},
        {"id": 44, "name": "SAY \"HI\" \\ IT'S\tOK \u00c9", "channels": ["whatsapp"]},
        {"id": 45, "name": "say \"hi\" \\ it's ok \u00e9", "channels": ["whatsapp"]},
        # wildcard decoys for `name contains "50%"` / `"a_b"`
        {"id": 46, "name": "50% off", "channels": ["whatsapp"], "tags": ["x"]},
        {"id": 47, "name": "5000 things", "channels": ["whatsapp"]},
        {"id": 48, "name": "A_B", "channels": ["whatsapp", "sms"]},
        {"id": 49, "name": "aXb", "channels": ["whatsapp", "sms"]},
        # on sms, tagged X, no name: the one that rule 78 leaves out
        {"id": 70, "name": None, "channels": ["SMS"], "tags": ["X"]},
        {"id": 71, "name": "  ", "channels": ["sms"], "tags": ["x", "vip"], "email": "ASHA@example.com"},
    ]
    next_interaction, next_cart = 2000, 100
    for cid in list(range(1, 42)) + list(range(50, 70)):
        channels = rnd.sample(_CHANNELS, rnd.choice([1, 1, 2, 2, 3]))
        if rnd.random() < 0.55 and not any(c.lower() == "whatsapp" for c in channels):
            channels.append(rnd.choice(["whatsapp", "WhatsApp", "WHATSAPP"]))
        if cid % 9 == 0:
            channels = []  # reachable nowhere
        rec: dict[str, Any] = {
            "id": cid,
            "name": rnd.choice(_NAMES),
            "email": rnd.choice(_EMAILS),
            "phone": rnd.choice(_PHONES),
            "gender": rnd.choice(_GENDERS),
            "created_at": _at(days=-rnd.randint(30, 900)),
            "channels": channels,
            "tags": list(dict.fromkeys(rnd.sample(_TAGS, rnd.choice([0, 0, 1, 1, 2, 3])))),
            "fields": {},
            "interactions": [],
            "carts": [],
        }
        for key, values in _FIELD_VALUES.items():
            if rnd.random() < (0.7 if key in ("orders", "plan", "returningUser") else 0.35):
                rec["fields"][key] = rnd.choice(values)
        for _ in range(rnd.choice([0, 1, 1, 2, 3, 4])):
            next_interaction += 1
            completed_bot = rnd.random() < 0.4
            rec["interactions"].append({
                "id": next_interaction,
                "channel": rnd.choice(["whatsapp", "whatsapp", "WhatsApp", "sms", "telegram", "webchat", "Telegram"]),
                "occurred_at": rnd.choice(_INSTANTS),
                "talked_with_agent": rnd.random() < 0.4,
                "completed_product_flow": rnd.random() < 0.3,
                "completed_collection_flow": rnd.random() < 0.3,
                "completed_bot_flow": completed_bot,
                "bot_flow": rnd.choice(_FLOWS) if completed_bot or rnd.random() < 0.2 else None,
            })
        for _ in range(rnd.choice([0, 0, 1, 1, 2])):
            next_cart += 1
            rec["carts"].append({
                "id": next_cart,
                "channel": rnd.choice(["whatsapp", "WhatsApp", "sms", "telegram"]),
                "item_count": rnd.choice([0, 1, 2, 5]),
                "paid": rnd.random() < 0.4,
                "updated_at": rnd.choice(_INSTANTS),
            })
        records.append(rec)
    return sorted(records, key=lambda r: r["id"])


CORPUS_RECORDS = _corpus_records()
CORPUS = Dataset("corpus", CORPUS_RECORDS)
