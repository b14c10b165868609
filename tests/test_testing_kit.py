"""segdsl.testing, the conformance kit: it passes sound families and catches broken ones.

The built-in families pass it on the four engines; a family whose SQL is
three-valued, whose predicate differs from its SQL, or whose canonical text
does not read back is caught with a message that names the rule, the engine
and the customers. (examples/segdsl-orders runs it from its own package:
tests/test_plugin_kit.py.)
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import strategies as st
from sqlglot import exp

from segdsl.families.registry import registry
from segdsl.testing import NOW, ConformanceError, Report, check_family, customers

TAGS = st.lists(st.sampled_from(["vip", "VIP", "Vip ", "gold", "zoë", "ZOË"]), max_size=3, unique=True)
NAMES = st.one_of(st.none(), st.sampled_from(["Asha", "asha", "ASHA ", "", "Zoë Müller"]))


def _instants() -> Any:
    seconds = st.integers(min_value=-60 * 86_400, max_value=3600)
    return seconds.map(lambda s: (NOW + dt.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ"))


INTERACTIONS = st.lists(
    st.fixed_dictionaries(
        {"channel": st.sampled_from(["whatsapp", "WhatsApp", "sms"]), "occurred_at": _instants()},
        optional={"talked_with_agent": st.booleans()},
    ),
    max_size=4,
)


@pytest.mark.engine
def test_builtin_families_pass_on_every_engine() -> None:
    records = customers(tags=TAGS, name=NAMES, interactions=INTERACTIONS)
    report = check_family("tag", ['tag = "vip"', 'tag in ("gold", "ZOË")', "tag is unknown"], records, examples=8)
    assert report.engines == ["sqlite", "duckdb", "postgres", "mysql"] or report.skipped
    assert report.datasets == 8 and report.customers >= 8
    assert "SQL = interpreter" in str(report)
    report = check_family(
        "last_interaction", ["last interaction within 7 days", "last interaction more than 30 days ago"], records,
        examples=8,
    )
    assert report.datasets == 8


def test_a_rule_without_a_channel_gets_one_and_a_full_rule_keeps_its_own() -> None:
    records = customers(tags=TAGS)
    for rule in ('tag = "vip"', 'channel sms and tag = "vip"', 'tag = "vip" and channel SMS'):
        report = check_family("tag", [rule], records, engines=("sqlite",), examples=3)
        assert report.rules == [rule]


def test_seeded_generator_and_plain_list() -> None:
    def generate(rng: random.Random, now: dt.datetime) -> list[dict[str, Any]]:
        return [{"id": i, "channels": ["whatsapp"], "tags": rng.sample(["vip", "VIP", "gold"], rng.randint(0, 2))}
                for i in range(1, 9)]

    report = check_family("tag", ['tag = "vip"'], generate, engines=("sqlite", "duckdb"), examples=4)
    assert (report.datasets, report.customers) == (4, 32)
    report = check_family("tag", ['tag = "vip"'], generate(random.Random(1), NOW), engines=("duckdb",))
    assert (report.datasets, report.customers) == (1, 8)


def test_three_valued_sql_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """`name = 'x'` without the NULL guard: `not` misses customers without a name in SQL."""
    family = registry().family("personal")

    def unguarded(condition: Any, ctx: Any) -> exp.Expression:
        return ctx.fold_in(ctx.customer("name"), [condition.values[0].value.lower()])

    monkeypatch.setattr(family, "sql", unguarded)
    with pytest.raises(ConformanceError) as err:
        check_family("personal", ['name is "asha"'], customers(name=NAMES), engines=("sqlite",), examples=30)
    message = str(err.value)
    assert 'sqlite inline SQL differs from the interpreter for `channel whatsapp and not (name is "asha")`' in message
    assert "picked only there: []" in message  # hypothesis shrinks to a customer without a name, missed by SQL
    assert "{'id': 1, 'channels': ['whatsapp']}" in message


def test_a_predicate_that_differs_from_the_sql_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    family = registry().family("tag")
    monkeypatch.setattr(family, "predicate", lambda condition, ctx: lambda view: bool(view.rec.get("tags")))
    with pytest.raises(ConformanceError, match="differs from the interpreter"):
        check_family("tag", ['tag = "vip"'], customers(tags=TAGS), engines=("duckdb",), examples=30)


def test_a_format_that_does_not_read_back_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    family = registry().family("tag")
    original = family.format
    monkeypatch.setattr(family, "format", lambda condition: original(condition).upper().replace("TAG", "tag"))
    with pytest.raises(ConformanceError, match=r"parse\(format\(r\)\) != r"):
        check_family("tag", ['tag = "vip"'], customers(tags=TAGS), engines=("sqlite",), examples=1)


def test_a_rule_must_exercise_the_family() -> None:
    with pytest.raises(ConformanceError, match="no condition of family `tag`"):
        check_family("tag", ["gender is female"], customers(), engines=("sqlite",))
    with pytest.raises(ConformanceError, match="not a valid rule"):
        check_family("tag", ["tag =="], customers(), engines=("sqlite",))


def test_an_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skipped with a warning when optional; an error when required or under CI=true."""
    monkeypatch.setenv("SEGDSL_TEST_PG", "postgresql://postgres@127.0.0.1:1/none")
    monkeypatch.delenv("CI", raising=False)
    with pytest.warns(UserWarning, match="postgres skipped"):
        report = check_family("tag", ['tag = "vip"'], customers(tags=TAGS), engines=("sqlite", "postgres"),
                              examples=2)
    assert isinstance(report, Report) and report.engines == ["sqlite"] and "postgres" in report.skipped
    assert "skipped postgres" in str(report)
    with pytest.raises(ConformanceError, match="postgres could not be opened"):
        check_family("tag", ['tag = "vip"'], customers(tags=TAGS), engines=("postgres",), require=("postgres",))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(ConformanceError, match="CI=true requires every engine"):
        check_family("tag", ['tag = "vip"'], customers(tags=TAGS), engines=("postgres",))


def test_unknown_engine_and_bad_records() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        check_family("tag", ['tag = "vip"'], customers(), engines=("oracle",))
    with pytest.raises(TypeError, match="records must be"):
        check_family("tag", ['tag = "vip"'], 42, engines=("sqlite",))
    with pytest.raises(ConformanceError, match="repeat a customer id"):
        check_family("tag", ['tag = "vip"'], [{"id": 1}, {"id": 1}], engines=("sqlite",))
