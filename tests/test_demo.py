"""segdsl.data.demo: synthetic customers, and populate() on every engine.

The real-engine tests are marked ``engine``; PostgreSQL and MariaDB come from
the shared engine pool (tests/engines.py), which skips them when the server
is unreachable (a failure under CI=true).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from segdsl.builtins import channel, field, interactions, personal, tag, unpaid_cart
from segdsl.builtins.interactions import HISTORY_DAYS

import segdsl
from segdsl.data import bulk, demo, demogen
from segdsl.data.engines import Engine, connect
from segdsl.data.records import export_records, record_rows
from segdsl.families.registry import registry
from segdsl.families.settings import DEFAULT_CHANNELS, Settings, default_settings
from segdsl.inproc.view import field_text
from tests.engines import EnginePool, backend_params, row_counts

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, 0, 0, tzinfo=dt.UTC)
RULE = 'channel whatsapp and tag = "vip" and gender is female'
RULES = [
    RULE,
    'channel whatsapp and tag = "vip" and gender is female and last interaction within 30 days '
    "and field returningUser = true",
    "channel sms and field orders > 5 and not has unpaid cart",
    'channel instagram and (completed bot flow "welcome" within 14 days or talked with agent)',
    "channel telegram and (name is unknown or email is unknown) and last interaction time between 22:00 and 06:00",
]
_EXAMPLE_FILE = Path(__file__).resolve().parent.parent / "examples" / "customer.example.json"
EXAMPLE = json.loads(_EXAMPLE_FILE.read_text(encoding="utf-8"))
RECORD_KEYS = {"id", "name", "email", "phone", "gender", "created_at", "channels", "tags", "fields", "interactions",
               "carts"}
INTERACTION_KEYS = {"id", "channel", "occurred_at", "talked_with_agent", "completed_product_flow",
                    "completed_collection_flow", "completed_bot_flow", "bot_flow"}
CART_KEYS = {"id", "channel", "item_count", "paid", "updated_at"}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(demo.generate(4000, seed=11, now=NOW))


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# ------------------------------------------------------------------------------ generate


def test_deterministic_for_a_seed() -> None:
    first = list(demo.generate(600, seed=3, now=NOW))
    assert first == list(demo.generate(600, seed=3, now=NOW))
    assert first != list(demo.generate(600, seed=4, now=NOW))
    # a prefix of a bigger run, across a block boundary
    bigger = list(demo.generate(demo.BLOCK + 50, seed=3, now=NOW))
    assert bigger[:600] == first
    assert [r["id"] for r in bigger] == list(range(1, demo.BLOCK + 51))


def test_now_moves_the_times_only() -> None:
    later = dt.datetime(2027, 1, 1, 0, 0, 0)
    a = list(demo.generate(200, seed=1, now=NOW))
    b = list(demo.generate(200, seed=1, now=later))
    shift = later.replace(tzinfo=dt.UTC) - NOW_DT
    for ra, rb in zip(a, b, strict=False):
        assert {k: v for k, v in ra.items() if k not in ("created_at", "interactions", "carts")} == {
            k: v for k, v in rb.items() if k not in ("created_at", "interactions", "carts")
        }
        assert _instant(rb["created_at"]) - _instant(ra["created_at"]) == shift
        for ia, ib in zip(ra["interactions"], rb["interactions"], strict=False):
            assert _instant(ib["occurred_at"]) - _instant(ia["occurred_at"]) == shift


def test_default_now_is_current_time() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    recs = list(demo.generate(300, seed=2))
    after = dt.datetime.now(dt.UTC)
    stamps = [_instant(i["occurred_at"]) for r in recs for i in r["interactions"]]
    assert stamps and max(stamps) <= after
    assert min(stamps) >= before - dt.timedelta(days=HISTORY_DAYS, seconds=1)


def test_shape_matches_the_record_format(records: list[dict[str, Any]]) -> None:
    assert set(EXAMPLE) == RECORD_KEYS
    assert set(EXAMPLE["interactions"][0]) == INTERACTION_KEYS
    assert set(EXAMPLE["carts"][0]) == CART_KEYS
    known = set(DEFAULT_CHANNELS)
    interaction_ids: set[int] = set()
    cart_ids: set[int] = set()
    for rec in records:
        assert set(rec) == RECORD_KEYS
        assert isinstance(rec["id"], int)
        for key in ("name", "email", "phone", "gender"):
            assert rec[key] is None or isinstance(rec[key], str)
        assert ISO.fullmatch(rec["created_at"])
        assert _instant(rec["created_at"]) < NOW_DT
        assert rec["channels"] and len({c.lower() for c in rec["channels"]}) == len(rec["channels"])
        assert {c.lower() for c in rec["channels"]} <= known
        assert len({t.lower() for t in rec["tags"]}) == len(rec["tags"])
        assert all(isinstance(k, str) and isinstance(v, (str, int, bool)) for k, v in rec["fields"].items())
        channels = set(rec["channels"])
        last = None
        for row in rec["interactions"]:
            assert set(row) == INTERACTION_KEYS
            assert row["channel"] in channels
            assert ISO.fullmatch(row["occurred_at"])
            at = _instant(row["occurred_at"])
            assert NOW_DT - dt.timedelta(days=HISTORY_DAYS) <= at <= NOW_DT
            assert at >= _instant(rec["created_at"])
            assert last is None or at >= last  # oldest first
            last = at
            assert all(isinstance(row[f], bool) for f in INTERACTION_KEYS - {"id", "channel", "occurred_at",
                                                                             "bot_flow"})
            assert row["bot_flow"] is None or isinstance(row["bot_flow"], str)
            assert row["id"] not in interaction_ids
            interaction_ids.add(row["id"])
        for cart in rec["carts"]:
            assert set(cart) == CART_KEYS
            assert cart["channel"] in channels
            assert isinstance(cart["item_count"], int) and cart["item_count"] >= 0
            assert isinstance(cart["paid"], bool)
            assert ISO.fullmatch(cart["updated_at"]) and _instant(cart["updated_at"]) <= NOW_DT
            assert cart["id"] not in cart_ids
            cart_ids.add(cart["id"])
    # json-serialisable, and the loaders' own splitting accepts every record
    json.dumps(records)
    rows = record_rows(records)
    assert len(rows["customers"]) == len(records)


def test_data_is_realistically_messy(records: list[dict[str, Any]]) -> None:
    names = [r["name"] for r in records]
    assert None in names and "" in names and any(n and not n.strip() for n in names)
    assert any(n and not n.isascii() for n in names)  # unicode names
    assert sum(r["email"] is None for r in records) > 0
    phones = [r["phone"] for r in records if r["phone"]]
    assert any(p.startswith("+") for p in phones) and any(p.isdigit() for p in phones)
    assert any("(" in p for p in phones) and any("." in p for p in phones) and any("-" in p for p in phones)
    genders = Counter(r["gender"] for r in records)
    assert {"female", "Female", "FEMALE", "male", "Male", None, ""} <= set(genders)
    assert {g.lower() for g in genders if g and g.strip()} == {"female", "male", "other"}
    channel_counts = Counter(c.lower() for r in records for c in r["channels"])
    assert set(channel_counts) == {"whatsapp", "messenger", "instagram", "telegram", "webchat", "sms"}
    assert channel_counts.most_common(1)[0][0] == "whatsapp"
    tags = {t for r in records for t in r["tags"]}
    assert {"vip", "VIP", "gold", "new", "churn-risk", "wholesale"} <= tags
    assert any(not r["tags"] for r in records)
    fields = [r["fields"] for r in records]
    returning = {field_text(f["returningUser"]) for f in fields if "returningUser" in f}
    assert {"true", "false"} <= returning
    orders = [field_text(f["orders"]) for f in fields if "orders" in f]
    assert any(o != o.strip() and o.strip().isdigit() for o in orders)  # ' 7 '
    assert "12abc" in orders
    assert any(isinstance(f.get("orders"), int) for f in fields)  # JSON numbers too
    assert {"plan", "city"} <= {k for f in fields for k in f}
    flows = {i["bot_flow"] for r in records for i in r["interactions"]}
    assert {"Welcome", "Checkout", "Feedback", None} <= flows
    assert any(i["completed_bot_flow"] for r in records for i in r["interactions"])
    assert any(i["talked_with_agent"] for r in records for i in r["interactions"])
    assert any(not r["interactions"] for r in records)
    assert any(c["item_count"] > 0 and not c["paid"] for r in records for c in r["carts"])


@pytest.mark.parametrize("module", [channel, tag, personal, field, interactions, unpaid_cart])
def test_vocabularies_are_safe_for_the_bulk_loaders(module: Any) -> None:
    """The tab-separated loaders rely on values without tabs, newlines or backslashes."""
    for name in dir(module):
        value = getattr(module, name)
        if isinstance(value, dict):
            value = tuple(value.items())
        if name.isupper() and isinstance(value, tuple):
            for item in value:
                texts = item if isinstance(item, tuple) else (item,)
                for text in texts:
                    if isinstance(text, str):
                        assert not set(text) & {"\t", "\n", "\r", "\\"}, (name, text)


def test_loader_rows_agree_with_record_rows(records: list[dict[str, Any]]) -> None:
    """The lines the bulk loaders write, and the executemany rows, hold what records.record_rows makes."""
    roles = registry().roles
    lines = demogen.merged(demogen.lines(roles, len(records), 11, demogen.epoch(NOW)))
    expected = record_rows(records)
    tuples = demogen.tuple_rows(roles, lines)
    for role, rows in expected.items():
        assert tuples[role] == rows, role
        as_text = [
            "\t".join("\\N" if v is None else ("true" if v is True else "false" if v is False else str(v)) for v in row)
            for row in rows
        ]
        assert lines[role] == as_text, role


def test_worker_processes_make_the_same_chunks(tmp_path: Path) -> None:
    n, seed = demo.BLOCK + 123, 5
    now_s = demogen.epoch(NOW)
    roles = registry().roles
    made = list(bulk.chunk_files(roles, n, seed, now_s, str(tmp_path), workers=2, per_chunk=1))
    assert len(made) == 2
    for index, files in enumerate(made):
        want = bulk.chunk_lines(roles, n, seed, now_s, index, 1)
        for role, (path, rows) in files.items():
            assert Path(path).read_text(encoding="utf-8") == "".join(line + "\n" for line in want[role])
            assert rows == len(want[role])


# ------------------------------------------------------------------------------ populate


def _normal(rec: dict[str, Any]) -> dict[str, Any]:
    out = dict(rec)
    out["channels"] = sorted(rec["channels"])
    out["tags"] = sorted(rec["tags"])
    out["fields"] = {k: field_text(v) for k, v in rec["fields"].items()}
    return out


def _place(backend: str, engine_pool: EnginePool, tmp_path: Path) -> tuple[Engine, str | None]:
    """An empty place on ``backend``: (engine, URL when the place has one of its own)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        return connect(url, create=True), url
    if backend == "duckdb":
        url = f"duckdb:///{tmp_path / 'demo.duckdb'}"
        return connect(url, create=True), url
    return engine_pool.fresh(backend, f"demo_{secrets.token_hex(3)}"), None


@pytest.mark.parametrize("backend", backend_params())
def test_populate_loads_exactly_the_generated_customers(
    backend: str, engine_pool: EnginePool, tmp_path: Path
) -> None:
    n, seed = 2500, 7
    engine, url = _place(backend, engine_pool, tmp_path)
    try:
        seen: list[tuple[str, int, int]] = []
        counts = demo.populate(engine, n=n, seed=seed, now=NOW, progress=lambda *a: seen.append(a))
        expected = {getattr(default_settings().schema, role).table: len(rows)
                    for role, rows in record_rows(demo.generate(n, seed, NOW)).items()}
        assert counts == expected
        assert row_counts(engine) == expected
        # the progress callback ends on the exact totals
        last = {table: (done, total) for table, done, total in seen}
        assert last == {table: (k, k) for table, k in expected.items()}
        # what is in the tables is what generate() yields
        want = [_normal(r) for r in demo.generate(n, seed, NOW)]
        got = [_normal(r) for r in export_records(engine)]
        assert got == want
        # and the rules count the same in SQL as in process
        for rule in RULES:
            match = segdsl.matcher(rule, now=NOW)
            in_process = sum(1 for r in demo.generate(n, seed, NOW) if match(r))
            assert segdsl.count(rule, db=url or engine, now=NOW) == in_process, rule
    finally:
        engine.close()


@pytest.mark.parametrize("backend", backend_params())
def test_demo_rule_counts_match_the_matcher(backend: str, engine_pool: EnginePool, tmp_path: Path) -> None:
    n, seed = 5000, 0
    engine, url = _place(backend, engine_pool, tmp_path)
    try:
        demo.populate(engine, n=n, seed=seed, now=NOW)
        match = segdsl.matcher(RULE, now=NOW)
        expected = sum(1 for r in demo.generate(n, seed, NOW) if match(r))
        assert expected > 0
        assert segdsl.count(RULE, db=url or engine, now=NOW) == expected
    finally:
        engine.close()


def test_populate_replaces_existing_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'again.db'}"
    with connect(url, create=True) as db:
        db.query("CREATE TABLE keep_me (x INTEGER)")
        db.query("INSERT INTO keep_me VALUES (1)")
    assert demo.populate(url, n=300, now=NOW)["customers"] == 300
    assert demo.populate(url, n=40, now=NOW)["customers"] == 40
    with connect(url) as db:
        assert db.query("SELECT COUNT(*) FROM customers") == [(40,)]
        assert db.query("SELECT MAX(id) FROM customers") == [(40,)]
        assert db.query("SELECT x FROM keep_me") == [(1,)]
        # the indexes dropped for the load are back, and the journal mode is as it was
        names = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_customer_channels_channel_customer_id", "ix_customer_tags_tag_customer_id",
                "ix_customer_fields_field_key_customer_id", "ix_interactions_customer_id_channel_occurred_at",
                "ix_carts_customer_id_channel"} <= names
        assert db.query("PRAGMA journal_mode")[0][0] == "delete"


def test_populate_in_parallel_on_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker-process path (used from PARALLEL_FROM customers on), made to run on a small n."""
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk, "CHUNK_BLOCKS", 1)
    n = demo.BLOCK + 10
    url = f"duckdb:///{tmp_path / 'par.duckdb'}"
    counts = demo.populate(url, n=n, seed=9, now=NOW)
    expected = {role: len(rows) for role, rows in record_rows(demo.generate(n, 9, NOW)).items()}
    assert list(counts.values()) == list(expected.values())
    match = segdsl.matcher(RULE, now=NOW)
    assert segdsl.count(RULE, db=url, now=NOW) == sum(1 for r in demo.generate(n, 9, NOW) if match(r))


def test_populate_with_a_mapped_schema(tmp_path: Path) -> None:
    settings = Settings.from_dict(
        {"schema": {"customers": {"table": "contacts", "phone": "phone_number"}, "tags": {"table": "labels"}}}
    )
    url = f"duckdb:///{tmp_path / 'mapped.duckdb'}"
    counts = demo.populate(url, n=200, now=NOW, settings=settings)
    assert counts["contacts"] == 200 and "labels" in counts
    match = segdsl.matcher(RULE, now=NOW)
    expected = sum(1 for r in demo.generate(200, 0, NOW) if match(r))
    assert segdsl.count(RULE, db=url, now=NOW, settings=settings) == expected


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        list(demo.generate(-1))
    with pytest.raises(ValueError):
        demo.populate("sqlite:///:memory:", n=-5)
    assert list(demo.generate(0)) == []
    assert demo.populate("sqlite:///:memory:", n=0)["customers"] == 0
