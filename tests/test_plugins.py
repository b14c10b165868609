"""The plugin system: the built-in families, a third-party family end to end, and load errors.

The public API (``segdsl.parse``, ``segdsl.compile``, ``segdsl.matcher``)
uses the process-wide registry; a registry built here is passed to the
pipeline's stage functions, which take one: ``validate(rule, settings, reg)``,
``format_node(node, reg)``, ``to_expression(rule, ctx, reg=reg)`` and
``to_matcher(rule, now, reg)``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from typing import Any

import pytest
from sqlglot import exp

import segdsl
from segdsl.data.engines import connect
from segdsl.data.records import create_schema, load_records
from segdsl.families import hookspecs
from segdsl.families.formatter import format_node, quote
from segdsl.families.hookspecs import hookimpl
from segdsl.families.registry import (
    DEFAULT_SQL_COST,
    OPTIONAL_HOOKS,
    REQUIRED_HOOKS,
    PluginError,
    Registry,
    build_registry,
    make_manager,
    registry,
)
from segdsl.families.settings import default_settings
from segdsl.families.validate import validate
from segdsl.inproc.predicate import to_matcher
from segdsl.lang import ir
from segdsl.lang.build import build_ir
from segdsl.lang.syntax import parse_tree
from segdsl.sql.compile import make_context, to_expression, to_sql

BUILT_INS = {"channel", "tag", "personal", "field", "interaction"}
NOW = dt.datetime(2026, 11, 28, 12, 0, 0)


def hookspec_names() -> list[str]:
    """Every condition-family hook declared in segdsl.families.hookspecs (not the deliverers')."""
    from segdsl.families.registry import DELIVERY_HOOKS

    return sorted(
        name for name, fn in vars(hookspecs).items()
        if name.startswith("segdsl_") and callable(fn) and hasattr(fn, "segdsl_spec") and name not in DELIVERY_HOOKS
    )


# --------------------------------------------------------------------------- a third-party family


class CityPlugin:
    """`city is "Pune"` / `city isn't "Pune"`: the customer's custom field `city`, case-insensitively.

    Records every hook segdsl calls on it, so the end-to-end test can prove
    that the whole pipeline went through the plugin.
    """

    def __init__(self) -> None:
        self.calls: set[str] = set()

    @hookimpl
    def segdsl_subjects(self) -> list[str]:
        self.calls.add("segdsl_subjects")
        return ["city"]

    @hookimpl
    def segdsl_parse_condition(self, subject: str, reader: Any, settings: Any) -> ir.Condition:
        self.calls.add("segdsl_parse_condition")
        op = reader.expect_operator(("is", "isnt"))
        value = reader.expect_value(("string",), "a quoted city")
        return ir.Condition("city", "city", op, (value,), span=reader.span)

    @hookimpl
    def segdsl_format_condition(self, condition: ir.Condition) -> str:
        self.calls.add("segdsl_format_condition")
        word = "is" if condition.op == "is" else "isn't"
        return f"city {word} {quote(str(condition.values[0].value))}"

    @hookimpl
    def segdsl_sql_condition(self, condition: ir.Condition, ctx: Any) -> exp.Expression:
        self.calls.add("segdsl_sql_condition")
        wanted = str(condition.values[0].value).strip(" ").lower()
        has = ctx.exists(
            "fields",
            "f",
            lambda a: ctx.text_eq(ctx.col("fields", "key", a), "city"),
            lambda a: ctx.text_eq(ctx.lower(ctx.trim(ctx.col("fields", "value", a))), wanted),
        )
        return exp.not_(has) if condition.op == "isnt" else has

    @hookimpl
    def segdsl_sql_cost(self, condition: ir.Condition) -> int:
        self.calls.add("segdsl_sql_cost")
        return 5 if condition.op == "is" else 95

    @hookimpl
    def segdsl_python_condition(self, condition: ir.Condition, ctx: Any) -> Any:
        self.calls.add("segdsl_python_condition")
        wanted = str(condition.values[0].value).strip(" ").lower()

        def in_city(view: Any) -> bool:
            value = view.fields.get("city")
            return value is not None and value.strip(" ").lower() == wanted

        return (lambda view: not in_city(view)) if condition.op == "isnt" else in_city


def registry_with(*plugins: tuple[str, object]) -> Registry:
    pm = make_manager(load_entrypoints=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return build_registry(pm)


def parse_with(text: str, reg: Registry) -> ir.Rule:
    return validate(build_ir(parse_tree(text), text), default_settings(), reg)


CITY_RECORDS = [
    {"id": 1, "channels": ["sms"], "fields": {"city": "Pune"}},
    {"id": 2, "channels": ["sms"], "fields": {"city": "  PUNE "}},
    {"id": 3, "channels": ["sms"], "fields": {"city": "Mumbai"}},
    {"id": 4, "channels": ["sms"], "fields": {"City": "Pune"}},
    {"id": 5, "channels": ["sms"]},
    {"id": 6, "channels": ["whatsapp"], "fields": {"city": "pune"}, "tags": ["vip"]},
    {"id": 7, "channels": ["sms"], "fields": {"city": "pune"}, "tags": ["VIP"]},
]


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
def test_third_party_plugin_end_to_end(text: str, canonical: str, expected: list[int]) -> None:
    city = CityPlugin()
    reg = registry_with(("city", city))
    assert reg.family_for("city") == "city"
    assert {f["name"] for f in reg.describe()} == BUILT_INS | {"city"}

    rule = parse_with(text, reg)  # parse
    assert any(c.family == "city" for c in rule.conditions())
    formatted = format_node(rule.expr, reg)  # format
    assert formatted == canonical
    assert parse_with(formatted, reg) == rule  # round trip

    match = to_matcher(rule, NOW, reg)  # in process
    assert [r["id"] for r in CITY_RECORDS if match(r)] == expected

    for url in ("sqlite:///:memory:", "duckdb:///:memory:"):  # compile and run
        with connect(url) as db:
            create_schema(db)
            load_records(db, CITY_RECORDS)
            ctx = make_context(rule, db.dialect, default_settings().schema, NOW)
            sql = to_sql(to_expression(rule, ctx, reg=reg), ctx.dialect)
            assert sorted(int(r[0]) for r in db.query(sql)) == expected, (url, sql)
            count_ctx = make_context(rule, db.dialect, default_settings().schema, NOW)
            count_sql = to_sql(to_expression(rule, count_ctx, count=True, reg=reg), count_ctx.dialect)
            assert db.query(count_sql) == [(len(expected),)]

    assert city.calls == set(hookspec_names()), "every hook of the plugin was used"


def test_third_party_plugin_errors_come_from_the_plugin() -> None:
    reg = registry_with(("city", CityPlugin()))
    with pytest.raises(segdsl.RuleError, match="quoted city"):
        parse_with("channel sms and city is Pune", reg)
    with pytest.raises(segdsl.RuleError, match="unknown condition"):
        parse_with('channel sms and town is "Pune"', reg)


def test_the_process_registry_is_not_touched_by_a_private_one() -> None:
    registry_with(("city", CityPlugin()))
    assert registry().family_for("city") is None
    with pytest.raises(segdsl.RuleError, match="unknown condition `city`"):
        segdsl.parse('channel sms and city is "Pune"')


# --------------------------------------------------------------------------- the built-ins


def test_registry_lists_the_five_built_in_families() -> None:
    families = registry().describe()
    assert {f["name"] for f in families} == BUILT_INS
    assert all(f["origin"] == "built-in" for f in families)
    subjects = {f["name"]: f["subjects"] for f in families}
    assert subjects["channel"] == ["channel"]
    assert subjects["tag"] == ["tag"]
    assert subjects["personal"] == ["email", "gender", "name", "number"]
    assert subjects["field"] == ["field"]
    assert set(subjects["interaction"]) == {
        "last interaction", "last interaction time", "has unpaid cart", "talked with agent",
        "completed product flow", "completed collection flow", "completed bot flow",
    }


def test_built_in_families_implement_every_required_hook() -> None:
    reg = registry()
    for hook in REQUIRED_HOOKS:
        assert set(reg.hooks[hook]) == BUILT_INS, hook


def test_longest_subject_wins() -> None:
    reg = registry()
    assert reg.longest_subject(["last", "interaction", "time", "before"]) == "last interaction time"
    assert reg.longest_subject(["last", "interaction", "before"]) == "last interaction"
    assert reg.longest_subject(["lastly"]) is None


# --------------------------------------------------------------------------- load errors


class TagClash(CityPlugin):
    """A plugin that claims the built-in subject `tag`."""

    @hookimpl
    def segdsl_subjects(self) -> list[str]:
        return ["Tag"]


class CityAgain(CityPlugin):
    """A second plugin claiming `city`."""


def test_plugin_claiming_an_existing_subject_names_both_plugins() -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("acme_tags", TagClash()))
    message = str(info.value)
    assert "`tag`" in message and "`acme_tags`" in message
    assert "subject `tag`" in message


def test_two_third_party_plugins_claiming_one_subject() -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("city", CityPlugin()), ("geo", CityAgain()))
    message = str(info.value)
    assert "`city`" in message and "`geo`" in message and "subject `city`" in message


def plugin_without(hook: str) -> object:
    """A CityPlugin-like object that lacks ``hook``."""
    methods = {
        name: getattr(CityPlugin, name) for name in hookspec_names() if name != hook
    }
    return type(f"CityWithout_{hook}", (), {"calls": set(), **methods})()


@pytest.mark.parametrize("hook", REQUIRED_HOOKS)
def test_plugin_missing_a_required_hook_is_rejected(hook: str) -> None:
    with pytest.raises(PluginError) as info:
        registry_with(("incomplete", plugin_without(hook)))
    message = str(info.value)
    assert "`incomplete`" in message
    assert f"`{hook}`" in message


def test_plugin_missing_python_hook_names_it() -> None:
    with pytest.raises(PluginError, match=r"`nopython`.*`segdsl_python_condition`"):
        registry_with(("nopython", plugin_without("segdsl_python_condition")))


def test_plugin_missing_sql_hook_names_it() -> None:
    with pytest.raises(PluginError, match=r"`nosql`.*`segdsl_sql_condition`"):
        registry_with(("nosql", plugin_without("segdsl_sql_condition")))


def test_required_hooks_are_declared_hookspecs() -> None:
    assert set(REQUIRED_HOOKS) <= set(hookspec_names())
    assert set(hookspec_names()) == {"segdsl_subjects", *REQUIRED_HOOKS, *OPTIONAL_HOOKS}


def where_order(text: str, dialect: str, reg: Registry) -> list[str]:
    """The tables of the top-level conditions, in the order the SQL tests them."""
    rule = parse_with(text, reg)
    ctx = make_context(rule, dialect, default_settings().schema, NOW)
    where = to_expression(rule, ctx, reg=reg).args["where"].this
    parts = list(where.flatten()) if isinstance(where, exp.And) else [where]
    names = []
    for part in parts:
        table = part.find(exp.Table)
        names.append(table.name if table is not None else "customers")
    return names


def test_segdsl_sql_cost_orders_conjuncts_where_the_engine_tests_in_written_order() -> None:
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


def test_segdsl_sql_cost_of_a_third_party_plugin_and_the_default() -> None:
    """A plugin's cost hook places its conditions; a family without one costs DEFAULT_SQL_COST."""
    city = CityPlugin()
    reg = registry_with(("city", city))
    text = 'channel sms and city isn\'t "Pune" and city is "Pune" and last interaction within 3 days'
    assert where_order(text, "sqlite", reg) == [
        "customer_fields", "customer_channels", "interactions", "customer_fields"
    ]
    assert "segdsl_sql_cost" in city.calls
    no_cost = plugin_without("segdsl_sql_cost")
    reg = registry_with(("city", no_cost))
    assert reg.sql_cost(parse_with('channel sms and city is "Pune"', reg).expr.items[1]) == DEFAULT_SQL_COST


# --------------------------------------------------------------------------- every hook has a test

# hookspec -> the tests that exercise it (a hookspec whose name appears in a
# test function's name needs no entry). test_third_party_plugin_end_to_end
# also asserts that every hook of its plugin was called.
HOOK_TESTS: dict[str, tuple[str, ...]] = {
    "segdsl_subjects": ("test_third_party_plugin_end_to_end", "test_registry_lists_the_five_built_in_families",
                        "test_plugin_claiming_an_existing_subject_names_both_plugins"),
    "segdsl_parse_condition": ("test_third_party_plugin_end_to_end",
                               "test_third_party_plugin_errors_come_from_the_plugin"),
    "segdsl_format_condition": ("test_third_party_plugin_end_to_end",),
    "segdsl_sql_condition": ("test_third_party_plugin_end_to_end", "test_plugin_missing_sql_hook_names_it"),
    "segdsl_python_condition": ("test_third_party_plugin_end_to_end", "test_plugin_missing_python_hook_names_it"),
    "segdsl_sql_cost": ("test_third_party_plugin_end_to_end",
                        "test_segdsl_sql_cost_orders_conjuncts_where_the_engine_tests_in_written_order",
                        "test_segdsl_sql_cost_of_a_third_party_plugin_and_the_default"),
}


def test_every_hookspec_has_a_test() -> None:
    module = sys.modules[__name__]
    tests = {name: fn for name, fn in vars(module).items() if name.startswith("test_") and inspect.isfunction(fn)}
    for target in {t for names in HOOK_TESTS.values() for t in names}:
        assert target in tests, f"HOOK_TESTS points to `{target}`, which is not a test in this module"
    untested = [
        hook for hook in hookspec_names()
        if hook not in HOOK_TESTS and not any(hook in name for name in tests)
    ]
    assert not untested, f"hookspecs without a test: {untested}; add a test and list it in HOOK_TESTS"
    stale = set(HOOK_TESTS) - set(hookspec_names())
    assert not stale, f"HOOK_TESTS names hooks that no longer exist: {sorted(stale)}"
