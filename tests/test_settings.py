"""Schema mapping by TOML, no code: an embedder's own tables give the same answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.api import count
from segdsl.cli import cli
from segdsl.data.engines import connect
from segdsl.data.records import create_schema, drop_schema, load_records
from segdsl.families.settings import Settings, SettingsError

NOW = "2026-11-28T12:00:00Z"

EMBEDDER_TOML = """
channels = ["whatsapp", "sms", "line"]

[schema.customers]
table = "contacts"
id = "contact_id"
phone = "phone_number"
name = "full name"

[schema.channels]
table = "contact_channels"
customer_id = "contact_id"

[schema.tags]
table = "labels"
customer_id = "contact_id"
tag = "label"

[schema.fields]
table = "attributes"
customer_id = "contact_id"
key = "name"
value = "value"

[schema.interactions]
table = "events"
customer_id = "contact_id"
occurred_at = "at"

[schema.carts]
customer_id = "contact_id"
"""

RECORDS = [
    {"id": 1, "name": "Asha", "phone": "+91 98765-43210", "channels": ["whatsapp"], "tags": ["VIP"],
     "fields": {"orders": "7"},
     "interactions": [{"id": 1, "channel": "whatsapp", "occurred_at": "2026-11-27T10:00:00Z",
                       "talked_with_agent": True, "completed_product_flow": False,
                       "completed_collection_flow": False, "completed_bot_flow": False}]},
    {"id": 2, "name": "Ravi", "phone": "919876543210", "channels": ["line"], "tags": ["vip"]},
    {"id": 3, "name": None, "channels": ["whatsapp", "sms"], "fields": {"orders": " 2 "}},
]

RULES = [
    'channel whatsapp and number is "+91 98765 43210"',
    'channel whatsapp and tag = "vip"',
    "channel whatsapp and field orders > 3",
    "channel whatsapp and talked with agent within 7 days",
    "channel whatsapp and name is unknown",
    "channel line",
]


def test_from_toml_maps_roles() -> None:
    s = Settings.from_toml_text(EMBEDDER_TOML)
    assert s.schema.customers.table == "contacts"
    assert s.schema.customers.phone == "phone_number"
    assert s.schema.tags.tag == "label"
    assert s.schema.carts.table == "carts"
    assert s.channels == ("whatsapp", "sms", "line")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[schema.people]\ntable = 'x'", "unknown schema role"),
        ("[schema.customers]\nmobile = 'x'", "no column role 'mobile'"),
        ("channels = []", "non-empty list"),
        ("colour = 1", "unknown setting"),
        ("[schema.customers\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_named(text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_toml_text(text)


def test_custom_channel_list_is_used_for_validation() -> None:
    s = Settings.from_toml_text(EMBEDDER_TOML)
    assert segdsl.parse("channel line", s).channel == "line"
    with pytest.raises(segdsl.RuleError, match="unknown channel"):
        segdsl.parse("channel line")


def test_compiled_sql_uses_mapped_names_quoted() -> None:
    s = Settings.from_toml_text(EMBEDDER_TOML)
    sql = segdsl.compile("channel whatsapp and name is known", dialect="postgres", settings=s, now=NOW)
    assert '"contacts" AS "c"' in sql and '"c"."full name"' in sql and '"contact_channels"' in sql
    sql = segdsl.compile("channel whatsapp and name is known", dialect="mysql", settings=s, now=NOW)
    assert "`c`.`full name`" in sql


@pytest.mark.parametrize("url_kind", ["sqlite", "duckdb"])
def test_embedder_tables_give_same_counts(tmp_path: Path, url_kind: str) -> None:
    s = Settings.from_toml_text(EMBEDDER_TOML)
    default_url = f"{url_kind}:///{tmp_path}/default.{url_kind}"
    mapped_url = f"{url_kind}:///{tmp_path}/mapped.{url_kind}"
    with connect(default_url, create=True) as db:
        create_schema(db)
        load_records(db, RECORDS)
    with connect(mapped_url, create=True) as db:
        drop_schema(db, s)
        create_schema(db, s)
        load_records(db, RECORDS, s)
        tables = {r[0] for r in db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table'" if url_kind == "sqlite"
            else "SELECT table_name FROM information_schema.tables"
        )}
    assert {"contacts", "labels", "attributes", "events"} <= tables
    for rule in RULES:
        expected = sum(segdsl.evaluate(segdsl.parse(rule, s), r, now=NOW) for r in RECORDS)
        assert count(segdsl.parse(rule, s), db=mapped_url, now=NOW, settings=s) == expected, rule
        if rule != "channel line":
            assert count(rule, db=default_url, now=NOW) == expected, rule


def test_cli_reads_segdsl_toml_from_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings.from_toml_text(EMBEDDER_TOML)
    (tmp_path / "segdsl.toml").write_text(EMBEDDER_TOML)
    url = f"sqlite:///{tmp_path}/shop.db"
    with connect(url, create=True) as db:
        create_schema(db, s)
        load_records(db, RECORDS, s)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["count", "channel line", "--db", url])
    assert res.exit_code == 0 and res.output.strip() == "1"
    other = tmp_path / "other.toml"
    other.write_text("channels = ['sms']")
    res = CliRunner().invoke(cli, ["count", "channel line", "--db", url, "--schema", str(other)])
    assert res.exit_code == 2 and "unknown channel" in res.output
    res = CliRunner().invoke(cli, ["count", "channel sms", "--schema", str(tmp_path / "missing.toml")])
    assert res.exit_code == 1 and "cannot read settings file" in res.output
