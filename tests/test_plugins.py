"""The plugin system: the built-in families, third-party families end to end, and load errors.

A plugin registers :class:`segdsl.families.spec.Family` objects through the
one hook ``segdsl_families(register)``. The public API uses the process-wide
registry; a registry built here is passed to the pipeline's stage functions,
which take one: ``validate(rule, settings, reg)``, ``format_node(node, reg)``,
``to_expression(rule, ctx, reg=reg)`` and ``to_matcher(rule, now, reg)``.
Settings for a private registry come from its roles (``Schema.from_roles``).
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import secrets
import sys
import tokenize
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlglot import exp

import segdsl
from segdsl.check import check
from segdsl.data import demo
from segdsl.data.engines import Engine, EngineError, connect
from segdsl.data.records import create_schema, export_records, load_records, record_rows
from segdsl.families import hookspecs
from segdsl.families.formatter import format_node, quote
from segdsl.families.hookspecs import hookimpl
from segdsl.families.registry import DELIVERY_HOOKS, PluginError, Registry, build_registry, make_manager, registry
from segdsl.families.settings import Schema, Settings, SettingsError
from segdsl.families.spec import (
    CUSTOMER_ID,
    DEFAULT_COST,
    ID,
    OPTIONAL_METHODS,
    REQUIRED_METHODS,
    Column,
    DemoCustomer,
    Family,
    Role,
    Vocabulary,
)
from segdsl.families.validate import validate
from segdsl.inproc.predicate import PyContext, to_matcher
from segdsl.lang import ir
from segdsl.lang.build import build_ir
from segdsl.lang.syntax import parse_tree
from segdsl.lang.textops import fold
from segdsl.sql.compile import make_context, to_expression, to_sql
from segdsl.why import explain_record
from tests.engines import MYSQL_URL, PG_URL, skip_or_fail

BUILT_INS = {"channel", "tag", "personal", "field", "last_interaction", "interaction_time", "interaction_flag",
             "unpaid_cart"}
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)
ROOT = Path(__file__).resolve().parent.parent


def family_methods() -> list[str]:
    """Every method a family implements or may override."""
    return [*REQUIRED_METHODS, *OPTIONAL_METHODS]


# --------------------------------------------------------------------------- a family over a built-in role


class CityFamily(Family):
    """`city is "Pune"` / `city isn't "Pune"`: the customer's custom field `city`, case-insensitively.

    Reads the built-in ``fields`` role. Records every method segdsl calls on
    it, so the end-to-end test can prove the whole pipeline went through it.
    """

    subjects = ("city",)
    synonyms = {"town": "city"}

    def __init__(self) -> None:
        self.calls: set[str] = set()

    def parse(self, subject: str, reader: Any, settings: Any) -> ir.Condition:
        self.calls.add("parse")
        op = reader.expect_operator(("is", "isnt"))
        value = reader.expect_value(("string",), "a quoted city")
        return self.condition("city", op, (value,), span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        self.calls.add("format")
        word = "is" if condition.op == "is" else "isn't"
        return f"city {word} {quote(str(condition.values[0].value))}"

    def sql(self, condition: ir.Condition, ctx: Any) -> exp.Expression:
        self.calls.add("sql")
        wanted = str(condition.values[0].value).strip(" ").lower()
        has = ctx.exists(
            "fields",
            "f",
            lambda a: ctx.text_eq(ctx.col("fields", "key", a), "city"),
            lambda a: ctx.text_eq(ctx.lower(ctx.trim(ctx.col("fields", "value", a))), wanted),
        )
        return exp.not_(has) if condition.op == "isnt" else has

    def cost(self, condition: ir.Condition) -> int:
        self.calls.add("cost")
        return 5 if condition.op == "is" else 95

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        self.calls.add("predicate")
        wanted = str(condition.values[0].value).strip(" ").lower()

        def in_city(view: Any) -> bool:
            value = (view.rec.get("fields") or {}).get("city")
            return value is not None and value.strip(" ").lower() == wanted

        return (lambda view: not in_city(view)) if condition.op == "isnt" else in_city

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        self.calls.add("describe")
        return f"customers whose city {'is' if condition.op == 'is' else 'is not'} {condition.values[0].value}"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        self.calls.add("facts")
        return f"city: {(view.rec.get('fields') or {}).get('city', 'none')}"

    def vocabulary(self, condition: ir.Condition) -> Any:
        self.calls.add("vocabulary")
        return [Vocabulary("fields", "value", str(condition.values[0].value), "city", span=condition.values[0].span)]

    def negation(self, condition: ir.Condition) -> ir.Condition | None:
        self.calls.add("negation")
        return super().negation(condition)

    def excludes(self, a: ir.Condition, b: ir.Condition, now: Any) -> bool:
        self.calls.add("excludes")
        return super().excludes(a, b, now)

    def hint(self, terms: Any) -> str | None:
        self.calls.add("hint")
        return 'cities are written `city is "NAME"`' if terms and terms[0].text.lower() == "metropolis" else None


class Plugin:
    """A plugin module stand-in: registers ``families`` (name -> Family) through the hook."""

    def __init__(self, **families: Any) -> None:
        self.families = families

    @hookimpl
    def segdsl_families(self, register: Callable[[str, Family], None]) -> None:
        for name, family in self.families.items():
            register(name, family)


def registry_with(*plugins: tuple[str, object]) -> Registry:
    pm = make_manager(load_entrypoints=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return build_registry(pm)


def settings_for(reg: Registry) -> Settings:
    return Settings(schema=Schema.from_roles(reg.roles))


def parse_with(text: str, reg: Registry) -> ir.Rule:
    return validate(build_ir(parse_tree(text), text), settings_for(reg), reg)


CITY_RECORDS = [
    {"id": 1, "channels": ["sms"], "fields": {"city": "Pune"}},
    {"id": 2, "channels": ["sms"], "fields": {"city": "  PUNE "}},
    {"id": 3, "channels": ["sms"], "fields": {"city": "Mumbai"}},
    {"id": 4, "channels": ["sms"], "fields": {"City": "Pune"}},
    {"id": 5, "channels": ["sms"]},
    {"id": 6, "channels": ["whatsapp"], "fields": {"city": "pune"}, "tags": ["vip"]},
    {"id": 7, "channels": ["sms"], "fields": {"city": "pune"}, "tags": ["VIP"]},
]


def run_sql(db: Engine, rule: ir.Rule, reg: Registry, settings: Settings, count: bool = False) -> list[tuple]:
    ctx = make_context(rule, db.dialect, settings.schema, NOW)
    return db.query(to_sql(to_expression(rule, ctx, count=count, reg=reg), ctx.dialect))


@pytest.mark.parametrize(
    ("text", "canonical", "expected"),
    [
        ('channel sms and city is "Pune"', 'channel sms and city is "Pune"', [1, 2, 7]),
        ("CHANNEL SMS AND CITY = 'pune'", 'channel sms and city is "pune"', [1, 2, 7]),
        ('channel sms and city isn\'t "Pune"', 'channel sms and city isn\'t "Pune"', [3, 4, 5]),
        ('channel sms and not city is "pune" and tag is unknown',
         'channel sms and not city is "pune" and tag is unknown', [3, 4, 5]),
        ('channel sms and (city is "Mumbai" or tag = "vip")', 'channel sms and (city is "Mumbai" or tag is "vip")',
         [3, 7]),
    ],
)
def test_third_party_family_end_to_end(text: str, canonical: str, expected: list[int]) -> None:
    city = CityFamily()
    reg = registry_with(("acme_geo", Plugin(city=city)))
    assert reg.family_for("city") == "city"
    assert {f["name"] for f in reg.describe()} == BUILT_INS | {"city"}
    settings = settings_for(reg)

    rule = parse_with(text, reg)  # parse
    conditions = [c for c in rule.conditions() if c.family == "city"]
    assert conditions
    formatted = format_node(rule.expr, reg)  # format
    assert formatted == canonical
    assert parse_with(formatted, reg) == rule  # round trip
    assert reg.family("city").describe(conditions[0]).startswith("customers whose city")
    assert reg.family("city").name == "city"

    match = to_matcher(rule, NOW, reg)  # in process
    assert [r["id"] for r in CITY_RECORDS if match(r)] == expected

    for url in ("sqlite:///:memory:", "duckdb:///:memory:"):  # compile and run
        with connect(url) as db:
            create_schema(db, settings)
            load_records(db, CITY_RECORDS, settings)
            assert sorted(int(r[0]) for r in run_sql(db, rule, reg, settings)) == expected, url
            assert run_sql(db, rule, reg, settings, count=True) == [(len(expected),)]

    reason = explain_record(rule, CITY_RECORDS[0], NOW, reg)  # why
    assert reason.value == (1 in expected)
    def facts(r: Any) -> list[str | None]:
        return [r.facts] if r.kind == "condition" else [f for c in r.children for f in facts(c)]

    assert "city: Pune" in facts(reason)

    contradiction = parse_with('channel sms and city is "Pune" and not city isn\'t "Pune"', reg)
    assert [f.code for f in check(contradiction, reg=reg)] == []  # the same fact twice is no contradiction
    contradiction = parse_with('channel sms and city is "Pune" and city isn\'t "Pune"', reg)
    assert [f.code for f in check(contradiction, reg=reg)] == ["contradiction"]
    with connect("sqlite:///:memory:") as db:  # check against the data
        create_schema(db, settings)
        load_records(db, CITY_RECORDS, settings)
        typo = parse_with('channel sms and city is "Pnue"', reg)
        found = [(f.code, f.hint) for f in check(typo, db, settings, NOW, reg)]
        assert ("unknown-value", "did you mean `pune`?") in [(code, (hint or "").lower()) for code, hint in found]

    with pytest.raises(segdsl.RuleError) as info:
        parse_with('channel sms and metropolis is "Pune"', reg)
    assert any("cities are written" in h for h in info.value.hints)
    assert city.calls == set(family_methods()), "every method of the family was used"


def test_third_party_family_errors_come_from_the_family() -> None:
    reg = registry_with(("acme_geo", Plugin(city=CityFamily())))
    with pytest.raises(segdsl.RuleError, match="quoted city"):
        parse_with("channel sms and city is Pune", reg)
    with pytest.raises(segdsl.RuleError, match="unknown condition") as info:
        parse_with('channel sms and town is "Pune"', reg)
    assert "did you mean `city`?" in info.value.hints  # the family's synonym


def test_the_process_registry_is_not_touched_by_a_private_one() -> None:
    registry_with(("acme_geo", Plugin(city=CityFamily())))
    assert registry().family_for("city") is None
    with pytest.raises(segdsl.RuleError, match="unknown condition `city`"):
        segdsl.parse('channel sms and city is "Pune"')


def test_the_registered_name_is_the_family_name() -> None:
    """The name is written once, at registration: the IR, formatting and SQL all follow it."""
    reg = registry_with(("acme_geo", Plugin(town_city=CityFamily())))
    rule = parse_with('channel sms and city is "Pune"', reg)
    assert rule.expr.items[1].family == "town_city"
    assert format_node(rule.expr, reg) == 'channel sms and city is "Pune"'


# --------------------------------------------------------------------------- a family with its own table

STORES = ("Pune Central", "Mumbai Mall", "Delhi Outlet", "São Paulo")


def demo_visits(c: DemoCustomer) -> list[tuple[str, ...]]:
    """0-2 visits in the last 30 days, oldest first (the export order)."""
    u = c.random
    times = sorted(c.now - int(u() * 30 * 86_400) for _ in range(int(u() * 3)))
    return [(str(c.id * 10 + j), c.key, STORES[int(u() * len(STORES))], c.timestamp(at), f"{u() * 80:.2f}")
            for j, at in enumerate(times)]


VISITS = Role(
    "visits",
    "store_visits",
    {"id": ID, "customer_id": CUSTOMER_ID, "store": Column("store", "VARCHAR(50)", True),
     "visited_at": Column("visited_at", "TIMESTAMP", True),
     "spent": Column("spent", "NUMERIC(10,2)", True, default=0)},  # a JSON number in records, on every engine
    primary_key=("id",),
    indexes=(("customer_id", "store"),),
    record_key="visits",
    shape="rows",
    order_by=("visited_at", "id"),
    demo=demo_visits,
)


class VisitFamily(Family):
    """`visited "Pune Central"`: the customer has a visit to that store (any case), in the `visits` role."""

    subjects = ("visited",)
    roles = (VISITS,)

    def parse(self, subject: str, reader: Any, settings: Any) -> ir.Condition:
        value = reader.expect_value(("string",), "a quoted store name")
        return self.condition("visited", "is", (value,), span=reader.span)

    def format(self, condition: ir.Condition) -> str:
        return f"visited {quote(str(condition.values[0].value))}"

    def sql(self, condition: ir.Condition, ctx: Any) -> exp.Expression:
        store = fold(str(condition.values[0].value))
        return ctx.exists("visits", "v", lambda a: ctx.fold_in(ctx.col("visits", "store", a), [store]))

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        store = fold(str(condition.values[0].value))
        return lambda view: any(fold(row["store"]) == store for row in view.rec.get("visits") or ())


VISIT_RECORDS = [
    {"id": 1, "channels": ["sms"],
     "visits": [{"id": 5, "store": "Pune Central", "visited_at": "2026-11-01T10:00:00Z"}]},
    {"id": 2, "channels": ["sms"], "visits": [{"store": "PUNE CENTRAL", "visited_at": "2026-11-02T10:00:00+05:30"},
                                             {"store": "Mumbai Mall", "visited_at": "2026-10-02T10:00:00Z"}]},
    {"id": 3, "channels": ["sms"], "visits": [{"store": "Mumbai Mall", "visited_at": "2026-11-03T00:00:00Z"}]},
    {"id": 4, "channels": ["sms"]},
    {"id": 5, "channels": ["whatsapp"], "visits": [{"store": "pune central", "visited_at": "2026-11-04T00:00:00Z"}]},
]
VISIT_RULES = {
    'channel sms and visited "pune central"': [1, 2],
    'channel sms and not visited "Pune Central"': [3, 4],
    'channel sms and (visited "mumbai mall" or tag is unknown)': [1, 2, 3, 4],
}


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on the engine ``request.param`` (servers: ``families_<token>``, dropped afterwards)."""
    backend = request.param
    if backend in ("sqlite", "duckdb"):
        yield f"{backend}:///{tmp_path / ('db.' + backend)}"
        return
    name = f"families_{secrets.token_hex(4)}"
    base = PG_URL if backend == "postgres" else MYSQL_URL
    try:
        admin = connect(base)
    except EngineError as exc:
        skip_or_fail(f"{backend} unreachable: {exc}")
    try:
        if backend == "postgres":
            admin.conn.autocommit = True
        admin.query(f"CREATE DATABASE {name}")
        yield f"{base.rsplit('/', 1)[0]}/{name}"
    finally:
        admin.query(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


ALL_ENGINES = [pytest.param(b, id=b, marks=pytest.mark.engine) for b in ("sqlite", "duckdb", "postgres", "mysql")]


@pytest.mark.parametrize("db_url", ALL_ENGINES, indirect=True)
def test_a_family_with_its_own_table_works_through_every_path(db_url: str) -> None:
    """SQL, interpreter, load, export, a schema mapping and demo data: no edit to segdsl/."""
    reg = registry_with(("acme_visits", Plugin(visits=VisitFamily())))
    assert list(reg.roles)[-1] == "visits"
    settings = Settings.from_dict(
        {"schema": {"visits": {"table": "shop_visits", "store": "shop_name"}}}, "segdsl.toml",
        schema=Schema.from_roles(reg.roles),
    )
    assert settings.schema.visits.table == "shop_visits" and settings.schema.visits.store == "shop_name"
    with connect(db_url, create=True) as db:
        create_schema(db, settings, drop=True)
        load_records(db, VISIT_RECORDS, settings)
        table = "`shop_visits`" if db.dialect == "mysql" else '"shop_visits"'
        assert db.query(f"SELECT COUNT(*) FROM {table}")[0][0] == 5
        for text, expected in VISIT_RULES.items():
            rule = parse_with(text, reg)
            assert sorted(int(r[0]) for r in run_sql(db, rule, reg, settings)) == expected, text
            match = to_matcher(rule, NOW, reg)
            assert [r["id"] for r in VISIT_RECORDS if match(r)] == expected, text
        exported = {r["id"]: r for r in export_records(db, settings)}
        assert exported[2]["visits"] == [
            {"id": 7, "store": "Mumbai Mall", "visited_at": "2026-10-02T10:00:00Z", "spent": 0},
            {"id": 6, "store": "PUNE CENTRAL", "visited_at": "2026-11-02T04:30:00Z", "spent": 0},
        ]
        assert exported[4]["visits"] == []
        again = sorted(record_rows(exported.values(), settings)["visits"])
        assert again == sorted(record_rows(VISIT_RECORDS, settings)["visits"])

        counts = demo.populate(db, n=300, seed=4, now=NOW, settings=settings, replace=True)  # tables made above
        assert counts["shop_visits"] > 100
        generated = list(demo.generate(300, seed=4, now=NOW, settings=settings))
        assert sum(len(r["visits"]) for r in generated) == counts["shop_visits"]
        rule = parse_with('channel whatsapp and visited "Mumbai Mall"', reg)
        match = to_matcher(rule, NOW, reg)
        in_process = sorted(r["id"] for r in generated if match(r))
        assert in_process and sorted(int(r[0]) for r in run_sql(db, rule, reg, settings)) == in_process
        exported_visits = [r["visits"] for r in export_records(db, settings)]
        assert exported_visits == [r["visits"] for r in generated]
        assert any(isinstance(v["spent"], float) for visits in exported_visits for v in visits)
        json.dumps(exported_visits)  # plain JSON numbers, not Decimal


MAPPED = [pytest.param(b, id=b, marks=pytest.mark.engine) for b in ("sqlite", "postgres", "mysql")]


@pytest.mark.parametrize("db_url", MAPPED, indirect=True)
def test_two_schema_mappings_in_one_database(db_url: str) -> None:
    """Index names come from the mapped table and are checked per table (issue 12 item 10):
    a second mapping in the same database gets its own indexes, and both answer for their own rows."""
    first = Settings()
    second = Settings.from_dict({"schema": {role: {"table": f"b_{m.table}"} for role, m in first.schema.items()}})
    records = [{"id": 1, "channels": ["sms"], "tags": ["vip"]}, {"id": 2, "channels": ["sms"]}]
    with connect(db_url, create=True) as db:
        for settings, recs in ((first, records), (second, records[:1])):
            create_schema(db, settings, drop=True)
            create_schema(db, settings)  # again: nothing to do
            load_records(db, recs, settings)
        if db.dialect == "sqlite":
            names = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")]
        elif db.dialect == "postgres":
            names = [r[0] for r in db.query("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_%'")]
        else:
            names = [r[0] for r in db.query("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
                                            "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE 'ix_%'")]
        declared = sum(len(role.indexes) for role in registry().roles.values())
        assert len(names) == len(set(names)) == 2 * declared
        assert sum(n.startswith("ix_b_") for n in names) == declared
        for settings, want in ((first, 2), (second, 1)):
            assert segdsl.count('channel sms', db=db, settings=settings) == want
            assert segdsl.count('channel sms and tag = "VIP"', db=db, settings=settings) == 1
        # drops and reloads only the second mapping's tables (made above, so --replace)
        demo.populate(db, n=50, now=NOW, settings=second, replace=True)
        assert segdsl.count("channel sms", db=db, settings=first) == 2


def test_an_unknown_role_or_column_in_a_schema_mapping_is_refused() -> None:
    reg = registry_with(("acme_visits", Plugin(visits=VisitFamily())))
    base = Schema.from_roles(reg.roles)
    with pytest.raises(SettingsError, match=r"unknown schema role \[schema.orders\]; roles are .*visits"):
        Settings.from_dict({"schema": {"orders": {"table": "o"}}}, "x.toml", schema=base)
    with pytest.raises(SettingsError, match="has no column role 'shop'; known: .*store"):
        Settings.from_dict({"schema": {"visits": {"shop": "o"}}}, "x.toml", schema=base)
    with pytest.raises(SettingsError, match=r"unknown schema role \[schema.visits\]"):
        Settings.from_dict({"schema": {"visits": {"table": "o"}}}, "x.toml")  # the process registry has no visits


# --------------------------------------------------------------------------- the built-ins


def test_registry_lists_the_built_in_families() -> None:
    families = registry().describe()
    assert {f["name"] for f in families} == BUILT_INS
    assert all(f["origin"] == "built-in" for f in families)
    subjects = {f["name"]: f["subjects"] for f in families}
    assert subjects["channel"] == ["channel"]
    assert subjects["tag"] == ["tag"]
    assert subjects["personal"] == ["email", "gender", "name", "number"]
    assert subjects["field"] == ["field"]
    assert subjects["last_interaction"] == ["last interaction"]
    assert subjects["interaction_time"] == ["last interaction time"]
    assert subjects["unpaid_cart"] == ["has unpaid cart"]
    assert set(subjects["interaction_flag"]) == {
        "talked with agent", "completed product flow", "completed collection flow", "completed bot flow",
    }
    roles = {f["name"]: f["roles"] for f in families}
    assert roles["interaction_flag"] == roles["last_interaction"] == ["interactions"]
    assert roles["personal"] == ["customers"]


def test_built_in_roles_are_the_reference_schema() -> None:
    """The merged roles spell out schema.sql: tables, columns in order, types, keys."""
    roles = registry().roles
    assert [r.table for r in roles.values()] == [
        "customers", "customer_channels", "customer_tags", "customer_fields", "interactions", "carts"
    ]
    assert [c.name for c in roles["customers"].columns.values()] == [
        "id", "name", "email", "phone", "gender", "created_at"
    ]
    assert [c.name for c in roles["fields"].columns.values()] == ["customer_id", "field_key", "field_value"]
    assert roles["interactions"].columns["bot_flow"].type == "VARCHAR(100)"
    assert roles["carts"].primary_key == ("id",) and roles["tags"].primary_key == ("customer_id", "tag")


def test_longest_subject_wins() -> None:
    reg = registry()
    assert reg.longest_subject(["last", "interaction", "time", "before"]) == "last interaction time"
    assert reg.longest_subject(["last", "interaction", "before"]) == "last interaction"
    assert reg.longest_subject(["lastly"]) is None


def test_every_built_in_family_describes_its_conditions() -> None:
    text = ('channel sms and tag = "vip" and name contains "a" and field plan = "pro" and last interaction within '
            '3 days and last interaction time after 18:00 and completed bot flow "Welcome" and has unpaid cart')
    rule = segdsl.parse(text)
    sentences = [registry().family(c.family).describe(c) for c in rule.conditions()]
    assert all(sentences) and len(set(sentences)) == len(sentences)
    ctx = PyContext("sms", NOW)  # with the rule's context, relative times become instants
    resolved = [registry().family(c.family).describe(c, ctx) for c in rule.conditions()]
    assert resolved == [
        "reachable on sms",
        'tagged "vip" (any case)',
        'name contains "a" (any case)',
        'custom field "plan" = "pro" (any case, spaces trimmed; numbers as numbers)',
        "last sms interaction at or after 2026-11-25 12:00 UTC",
        "last sms interaction at a time of day at 18:00:00 or later (UTC)",
        'at least one sms interaction where the customer completed the bot flow "Welcome" (any case)',
        "has a cart on sms with items that is not paid",
    ]


# --------------------------------------------------------------------------- load errors


class TagClash(CityFamily):
    """A family that claims the built-in subject `tag`."""

    subjects = ("Tag",)


def test_family_claiming_an_existing_subject_names_both_families() -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("acme", Plugin(acme_tags=TagClash())))
    message = str(info.value)
    assert "`tag`" in message and "`acme_tags`" in message
    assert "subject `tag`" in message


def test_two_third_party_families_claiming_one_subject() -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("one", Plugin(city=CityFamily())), ("two", Plugin(geo=CityFamily())))
    message = str(info.value)
    assert "`city`" in message and "`geo`" in message and "subject `city`" in message


def test_a_name_registered_twice_is_refused() -> None:
    with pytest.raises(PluginError, match="both register a family `tag`"):
        registry_with(("acme", Plugin(tag=VisitFamily())))


@pytest.mark.parametrize("name", ["Tag", "9lives", "a-b", ""])
def test_a_bad_family_name_is_refused(name: str) -> None:
    with pytest.raises(PluginError, match="registers a family named"):
        registry_with(("acme", Plugin(**{name: VisitFamily()})))


def test_a_registered_object_must_be_a_family() -> None:
    with pytest.raises(PluginError, match="not a Family"):
        registry_with(("acme", Plugin(city=object())))


def family_without(method: str) -> Family:
    """A CityFamily-like family that lacks ``method``."""
    methods = {name: getattr(CityFamily, name) for name in REQUIRED_METHODS if name != method}
    return type(f"CityWithout_{method}", (Family,), {"subjects": ("city",), **methods})()  # type: ignore[no-any-return]


@pytest.mark.parametrize("method", REQUIRED_METHODS)
def test_family_missing_a_required_method_is_rejected(method: str) -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("acme", Plugin(incomplete=family_without(method))))
    message = str(info.value)
    assert "`incomplete`" in message and f"`{method}`" in message


def test_a_family_without_subjects_is_refused() -> None:
    empty = type("Empty", (VisitFamily,), {"subjects": ()})()
    with pytest.raises(PluginError, match="claims no subjects"):
        registry_with(("acme", Plugin(empty=empty)))


def test_roles_declared_differently_are_refused() -> None:
    other = Role("visits", "visits_elsewhere", VISITS.columns, record_key="visits")
    clash = type("Clash", (VisitFamily,), {"subjects": ("went to",), "roles": (other,)})()
    with pytest.raises(PluginError, match="declare role `visits` with different table"):
        registry_with(("acme", Plugin(visits=VisitFamily(), clash=clash)))
    column = Role("visits", columns={"store": Column("store", "TEXT")})
    clash = type("Clash", (VisitFamily,), {"subjects": ("went to",), "roles": (column,)})()
    with pytest.raises(PluginError, match="declare column `visits.store` differently"):
        registry_with(("acme", Plugin(visits=VisitFamily(), clash=clash)))


# --------------------------------------------------------------------------- cost


def where_order(text: str, dialect: str, reg: Registry) -> list[str]:
    """The tables of the top-level conditions, in the order the SQL tests them."""
    rule = parse_with(text, reg)
    ctx = make_context(rule, dialect, settings_for(reg).schema, NOW)
    where = to_expression(rule, ctx, reg=reg).args["where"].this
    parts = list(where.flatten()) if isinstance(where, exp.And) else [where]
    names = []
    for part in parts:
        table = part.find(exp.Table)
        names.append(table.name if table is not None else "customers")
    return names


def test_cost_orders_conjuncts_where_the_engine_tests_in_written_order() -> None:
    """SQLite tests the conditions of an AND in written order: cheap, selective ones go first
    (the customer's row, then a tag, then the channel; negations last). Planners that reorder
    by themselves get the rule's order."""
    reg = registry()
    text = 'channel sms and not tag = "x" and field orders > 5 and tag = "vip" and gender is female'
    assert where_order(text, "sqlite", reg) == [
        "customers", "customer_tags", "customer_channels", "customer_fields", "customer_tags"
    ]
    assert where_order(text, "postgres", reg) == [
        "customer_channels", "customer_tags", "customer_fields", "customer_tags", "customers"
    ]


def test_cost_of_a_third_party_family_and_the_default() -> None:
    """A family's cost places its conditions; a family that keeps the default costs DEFAULT_COST."""
    city = CityFamily()
    reg = registry_with(("acme", Plugin(city=city)))
    text = 'channel sms and city isn\'t "Pune" and city is "Pune" and last interaction within 3 days'
    assert where_order(text, "sqlite", reg) == [
        "customer_fields", "customer_channels", "interactions", "customer_fields"
    ]
    assert "cost" in city.calls
    reg = registry_with(("acme", Plugin(visits=VisitFamily())))
    assert reg.sql_cost(parse_with('channel sms and visited "x"', reg).expr.items[1]) == DEFAULT_COST


# --------------------------------------------------------------------------- the core names no built-in family

#: names the core may use: the customer's own row, and the channel that scopes a rule
CORE_NAMES = {"customers", "id", "customer_id", "channel", "channels", "customer_channels", "created_at"}
#: words too common to mean a built-in family's data (SqlContext.number, a mapping's key and value, a name,
#: the store's own segdsl_* tables' `updated_at`)
GENERIC = {"number", "key", "value", "name", "updated_at"}


def _literals_and_attributes(path: Path) -> Iterator[tuple[int, str]]:
    """String literals (not docstrings or f-strings) and attribute names (``x.tags``) in one module."""
    tokens = list(tokenize.tokenize(io.BytesIO(path.read_bytes()).readline))
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.STRING and tok.string[:1] in "\"'" and not tok.string.startswith(("'''", '"""')):
            yield tok.start[0], tok.string[1:-1]
        elif tok.type == tokenize.NAME and i and tokens[i - 1].string == ".":
            yield tok.start[0], tok.string


def test_the_core_names_no_built_in_family_or_its_data() -> None:
    """Nothing in segdsl/ names a built-in family, subject, role, table or column, except the
    core ``customers`` row and the channel that scopes a rule (ir, SqlContext.on_channel, View.channel)."""
    reg = registry()
    names = set(reg.families) | set(reg.roles) | set(reg.subjects)
    for role in reg.roles.values():
        names |= {role.table, role.record_key, *role.columns, *(c.name for c in role.columns.values())}
    forbidden = names - CORE_NAMES - GENERIC - {""}
    assert {"tag", "tags", "interactions", "carts", "customer_fields", "field_key", "occurred_at"} <= forbidden
    found = []
    for path in sorted((ROOT / "segdsl").rglob("*.py")):
        for line, text in _literals_and_attributes(path):
            if text in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert not found, "the core names built-in families or their data:\n" + "\n".join(found)


# --------------------------------------------------------------------------- every method has a test

# Family method -> the tests that exercise it (a method whose name appears in a
# test function's name needs no entry). test_third_party_family_end_to_end
# also asserts that every method of its family was called.
METHOD_TESTS: dict[str, tuple[str, ...]] = {
    "parse": ("test_third_party_family_end_to_end", "test_third_party_family_errors_come_from_the_family"),
    "format": ("test_third_party_family_end_to_end", "test_the_registered_name_is_the_family_name"),
    "sql": ("test_third_party_family_end_to_end", "test_a_family_with_its_own_table_works_through_every_path"),
    "predicate": ("test_third_party_family_end_to_end", "test_a_family_with_its_own_table_works_through_every_path"),
    "cost": ("test_cost_orders_conjuncts_where_the_engine_tests_in_written_order",
             "test_cost_of_a_third_party_family_and_the_default"),
    "describe": ("test_third_party_family_end_to_end", "test_every_built_in_family_describes_its_conditions"),
    "hint": ("test_third_party_family_end_to_end",),
    "facts": ("test_third_party_family_end_to_end", "test_every_built_in_family_states_its_facts"),
    "vocabulary": ("test_third_party_family_end_to_end", "test_every_built_in_family_states_its_facts"),
    "negation": ("test_third_party_family_end_to_end",),
    "excludes": ("test_third_party_family_end_to_end",),
}


def test_every_family_method_and_the_hook_have_a_test() -> None:
    module = sys.modules[__name__]
    tests = {name: fn for name, fn in vars(module).items() if name.startswith("test_") and inspect.isfunction(fn)}
    for target in {t for names in METHOD_TESTS.values() for t in names}:
        assert target in tests, f"METHOD_TESTS points to `{target}`, which is not a test in this module"
    public = {n for n, v in vars(Family).items() if not n.startswith("_") and inspect.isfunction(v)} - {"condition"}
    assert public == set(family_methods()), "REQUIRED_METHODS + OPTIONAL_METHODS must list every Family method"
    untested = [m for m in family_methods() if m not in METHOD_TESTS and not any(m in name for name in tests)]
    assert not untested, f"Family methods without a test: {untested}; add a test and list it in METHOD_TESTS"
    stale = set(METHOD_TESTS) - set(family_methods())
    assert not stale, f"METHOD_TESTS names methods that no longer exist: {sorted(stale)}"
    hooks = {n for n, f in vars(hookspecs).items() if n.startswith("segdsl_") and hasattr(f, "segdsl_spec")}
    # the one family hook, used by every registry_with() above; the deliverers' hook is the store's
    # (tests/test_store.py and tests/test_store_cli.py drive segdsl_deliver)
    assert hooks == {"segdsl_families", *DELIVERY_HOOKS}


NOW_RECORD = {
    "id": 5, "name": "Asha", "phone": "+91 98765-43210", "gender": "Female", "channels": ["WhatsApp"],
    "tags": ["VIP", "new"], "fields": {"returningUser": True, "plan": "pro"},
    "interactions": [
        {"channel": "whatsapp", "occurred_at": "2026-11-20T10:14:00Z", "talked_with_agent": True,
         "completed_bot_flow": True, "bot_flow": "Welcome"},
        {"channel": "sms", "occurred_at": "2026-11-27T10:00:00Z"},
    ],
    "carts": [{"channel": "whatsapp", "item_count": 2, "paid": False, "updated_at": "2026-11-21T00:00:00Z"}],
}


@pytest.mark.parametrize(
    ("condition", "facts", "vocabulary"),
    [
        ("tag = 'vip'", "tags: VIP, new", [("tags", "tag", "vip", "tag")]),
        ("name is 'x'", 'name: "Asha"', []),
        ("number is '1'", 'number: "+91 98765-43210"', []),
        ("field returningUser = true", 'field returningUser: "true"',
         [("fields", "key", "returningUser", "field key")]),
        ("field missing is unknown", "field missing: missing", [("fields", "key", "missing", "field key")]),
        ("last interaction within 30 days", "last whatsapp interaction 2026-11-20 10:14 UTC, 8 days before now", []),
        ("last interaction time before 12:00", "last whatsapp interaction 2026-11-20 10:14 UTC, at 10:14:00", []),
        ("completed bot flow 'welcome'",
         "1 whatsapp interaction, 1 with completed_bot_flow (flows: Welcome), latest 2026-11-20 10:14 UTC",
         [("interactions", "bot_flow", "welcome", "bot flow")]),
        ("talked with agent", "1 whatsapp interaction, 1 with talked_with_agent, latest 2026-11-20 10:14 UTC", []),
        ("has unpaid cart", "1 whatsapp cart, 1 unpaid with items", []),
    ],
)
def test_every_built_in_family_states_its_facts(condition: str, facts: str, vocabulary: list[tuple[str, ...]]) -> None:
    """`segdsl why` shows what each built-in condition read; `segdsl check` looks up what it names."""
    rule = segdsl.parse(f"channel whatsapp and {condition}")
    reason = explain_record(rule, NOW_RECORD, NOW)
    assert reason.children[0].facts == "channels: WhatsApp"
    assert reason.children[1].facts == facts
    cond = rule.expr.items[1]
    found = registry().family(cond.family).vocabulary(cond)
    assert [(v.role, v.column, v.value, v.what) for v in found] == vocabulary
