"""segdsl.sql.keyed_joins: a DuckDB count joins two or more keyed semi-joins, and stays exact."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings

import segdsl
from segdsl.data.engines import connect
from segdsl.data.records import create_schema, load_records
from segdsl.families.settings import Settings
from segdsl.sql import dialects
from segdsl.sql.dialects import connected_rules, rules_for
from tests.diffdata import NOW as DIFF_NOW
from tests.diffdata import Backend, interpreter_ids, max_examples, open_local, scenarios

NOW = "2026-11-28T12:00:00Z"

#: one customer with many spellings of the same tag and channel (the primary key allows them:
#: each is its own row) and several fields: the joins bring 3 x 3 x 1 rows for customer 1
RECORDS = [
    {"id": 1, "gender": "female", "channels": ["whatsapp", "WhatsApp", "WHATSAPP"], "tags": ["vip", "VIP", "Vip"],
     "fields": {"returningUser": "true", "orders": "9"}},
    {"id": 2, "gender": "female", "channels": ["whatsapp"], "tags": ["vip"], "fields": {"returningUser": "false"}},
    {"id": 3, "gender": "male", "channels": ["whatsapp"], "tags": ["vip", "new"], "fields": {"returningUser": "true"}},
    {"id": 4, "channels": ["sms"], "tags": ["vip"], "fields": {"returningUser": " TRUE "}},
    {"id": 5, "channels": ["whatsapp"], "tags": ["gold"]},
]

RULES = [
    'channel whatsapp and tag = "vip"',
    'channel whatsapp and tag = "vip" and field returningUser = true',
    'channel whatsapp and tag in ("vip", "new") and gender is female',
    'channel whatsapp and tag = "vip" and not tag = "new"',
    'channel sms and tag = "vip" and field returningUser = true',
    'channel whatsapp and (tag = "vip" or field orders > 5) and field returningUser = true',
]


#: DuckDB's rules on a connection to a large customers table
JOINED = dataclasses.replace(rules_for("duckdb"), join_keyed=True)


def duckdb_sql(rule: str, count: bool = True) -> str:
    return str(segdsl.compile(rule, dialect=JOINED, count=count, now=NOW))


@pytest.mark.parametrize(
    ("rule", "joined"),
    [
        ('channel whatsapp and tag = "vip"', ["customer_channels", "customer_tags"]),
        ('channel whatsapp and tag = "vip" and field returningUser = true',
         ["customer_channels", "customer_tags", "customer_fields"]),
        # one keyed semi-join alone stays IN (slower joined: bench/README.md, "Scale")
        ("channel whatsapp and has unpaid cart", []),
        # `tag is known` pins no tag: every tag of the customer would join
        ("channel whatsapp and tag is known", []),
        # interactions are not keyed by customer: only the channel and the tag join
        ('channel whatsapp and tag = "vip" and last interaction within 7 days', ["customer_channels", "customer_tags"]),
        # a negated semi-join stays in the WHERE
        ('channel whatsapp and not tag = "vip" and field orders > 3', ["customer_channels", "customer_fields"]),
    ],
)
def test_which_semi_joins_are_joined(rule: str, joined: list[str]) -> None:
    sql = duckdb_sql(rule)
    assert [t for t in ("customer_channels", "customer_tags", "customer_fields") if f'JOIN "{t}"' in sql] == joined
    assert ('COUNT(DISTINCT "c"."id")' in sql) == bool(joined)


def test_only_duckdb_counts_are_joined() -> None:
    rule = 'channel whatsapp and tag = "vip"'
    assert "JOIN" not in duckdb_sql(rule, count=False)
    for dialect in ("duckdb", "sqlite", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake"):
        assert "JOIN" not in str(segdsl.compile(rule, dialect=dialect, count=True, now=NOW)), dialect


def test_a_mapped_schema_is_joined_by_its_own_names() -> None:
    settings = Settings.from_toml_text('[schema.tags]\ntable = "contact_labels"\ntag = "label"\n'
                                       '[schema.channels]\ntable = "contact_channels"\n')
    sql = str(segdsl.compile('channel whatsapp and tag = "vip"', dialect=JOINED, count=True, now=NOW,
                             settings=settings))
    assert 'JOIN "contact_channels"' in sql and 'JOIN "contact_labels"' in sql and '"label"' in sql


def test_long_lists_are_not_joined_together() -> None:
    """Joined lists multiply a customer's rows: at most MAX_ROWS combinations, shortest lists first."""
    from segdsl.sql.keyed_joins import MAX_ROWS

    many = ", ".join(f'"t{i}"' for i in range(MAX_ROWS + 1))
    sql = duckdb_sql(f'channel whatsapp and tag in ({many}) and field returningUser = true')
    assert 'JOIN "customer_fields"' in sql and 'JOIN "customer_tags"' not in sql  # channel and field joined
    lists = " and ".join(f'tag in ("a{i}", "b{i}", "c{i}")' for i in range(3))  # 3 x 3 x 3 > 16
    sql = duckdb_sql(f"channel whatsapp and {lists}")
    assert sql.count('JOIN "customer_tags"') == 2 and sql.count('IN (SELECT "t') == 1


def test_two_roles_on_one_table_keep_their_own_customer_columns(tmp_path: Path) -> None:
    """Two roles mapped onto one table with different customer id columns (a review's find: the
    join once took the first role's column for both)."""
    settings = Settings.from_toml_text('[schema.tags]\ntable = "kv"\ntag = "v"\ncustomer_id = "a"\n'
                                       '[schema.channels]\ntable = "kv"\nchannel = "v"\ncustomer_id = "b"\n')
    url = f"duckdb:///{tmp_path / 'kv.duckdb'}"
    with connect(url, create=True) as db:
        db.query("CREATE TABLE customers (id BIGINT PRIMARY KEY, gender VARCHAR)")
        db.query("CREATE TABLE kv (a BIGINT, b BIGINT, v VARCHAR)")
        db.query("INSERT INTO customers VALUES (1, NULL), (2, NULL)")
        db.query("INSERT INTO kv VALUES (NULL, 1, 'whatsapp'), (1, NULL, 'vip')")
        rule = 'channel whatsapp and tag = "vip"'
        plain = db.query(str(segdsl.compile(rule, dialect="duckdb", count=True, now=NOW, settings=settings)))
        joined_sql = str(segdsl.compile(rule, dialect=JOINED, count=True, now=NOW, settings=settings))
        assert db.query(joined_sql) == plain == [(1,)]


def test_connected_rules_join_from_a_size() -> None:
    assert not connected_rules("duckdb").join_keyed
    assert not connected_rules("duckdb", customers=dialects.JOIN_KEYED_FROM - 1).join_keyed
    assert connected_rules("duckdb", customers=dialects.JOIN_KEYED_FROM).join_keyed
    assert not connected_rules("postgres", customers=10**9).join_keyed


@pytest.mark.parametrize("params", [False, True])
def test_joined_counts_are_exact_on_duckdb(tmp_path: Path, params: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many rows per customer (spellings of one key) are counted once, as the interpreter says."""
    url = f"duckdb:///{tmp_path / 'k.duckdb'}"
    with connect(url, create=True) as db:
        create_schema(db)
        load_records(db, RECORDS)
    with segdsl.connect(url) as engine:  # 5 customers: the IN form
        assert not engine.rules.join_keyed
    # the connection reads the table's size from DuckDB's catalog: 5 customers are "large" here
    monkeypatch.setattr(dialects, "JOIN_KEYED_FROM", len(RECORDS))
    with segdsl.connect(url) as engine:
        assert engine.rules.join_keyed
        for rule in RULES:
            expected = sum(segdsl.evaluate(rule, r, now=NOW) for r in RECORDS)
            got = segdsl.count(rule, db=engine, now=NOW) if params else engine.query(duckdb_sql(rule))[0][0]
            assert got == expected, rule
    assert 'JOIN "customer_tags"' in duckdb_sql(RULES[1])  # the shape under test


@settings(max_examples=max_examples(), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(scenario=scenarios())
def test_joined_counts_equal_the_interpreter_on_generated_data(
    duckdb_backend: Backend, scenario: tuple[list[dict], list[str]]
) -> None:
    """The differential generator's datasets (traps, many spellings) and rules, counted joined."""
    records, texts = scenario
    duckdb_backend.load(records)
    joined = 0
    for rule in texts:
        sql = str(segdsl.compile(rule, dialect=JOINED, count=True, now=DIFF_NOW))
        joined += "JOIN" in sql
        compiled = segdsl.compile(rule, dialect=JOINED, count=True, now=DIFF_NOW, params=True)
        expected = len(interpreter_ids(rule, records))
        assert duckdb_backend.engine.query(sql)[0][0] == expected, rule
        assert duckdb_backend.engine.query(compiled.sql, compiled.params)[0][0] == expected, rule
    note(f"{joined} of {len(texts)} rules joined")


@pytest.fixture(scope="module")
def duckdb_backend() -> Iterator[Backend]:
    backend = open_local()[1]
    assert backend.name == "duckdb"
    yield backend
    backend.engine.close()
