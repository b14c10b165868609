"""Every date and instant has one spelling, years 0001 to 9999 (issue 12, item 5).

Python's ``strftime("%Y")`` writes the year 1 as ``1`` on glibc, which SQLite
then compares as text, MySQL reads as 2001 and PostgreSQL refuses, so
``last interaction after 0999-01-01`` counted 0 on SQLite against 878
elsewhere. ``segdsl.lang.stamps`` is the one formatter; here the whole year
range runs on every engine against the interpreter.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import segdsl
from segdsl.lang.stamps import date_text, instant_text, iso_instant, time_text
from tests.engines import BACKENDS, SPARK_BACKENDS, Dataset, backend_params, inline_ids, interpreter_ids, params_ids


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)))
def test_the_formatter_is_iso_with_four_digit_years(at: dt.datetime) -> None:
    at = at.replace(microsecond=0)
    assert date_text(at.date()) == at.date().isoformat()
    assert instant_text(at) == at.isoformat(sep=" ")
    assert instant_text(at, "T") == at.isoformat()
    assert iso_instant(at) == at.isoformat() + "Z"
    assert time_text(at.time()) == at.time().isoformat()
    assert dt.datetime.fromisoformat(instant_text(at)) == at


@pytest.mark.parametrize("text", [
    "channel sms and last interaction after 0999-01-01T10:00:00",
    "channel sms and last interaction before 0001-01-02",
    "channel sms and last interaction between 0050-06-01 and 0999-12-31T23:59:59",
])
def test_rule_text_keeps_four_digit_years(text: str) -> None:
    assert segdsl.format(text) == text
    assert segdsl.parse(segdsl.format(text)) == segdsl.parse(text)


def test_sql_literals_keep_four_digit_years() -> None:
    for dialect in ("sqlite", "duckdb", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake"):
        sql = segdsl.compile("channel sms and last interaction before 0050-06-01", dialect=dialect, now="2026-11-28")
        assert "0050-06-01 00:00:00" in sql, (dialect, sql)


def _chat(at: str) -> dict:
    return {"channel": "sms", "occurred_at": at, "talked_with_agent": True}


#: interactions at the ends of the year range and around the year 1000 (one customer each)
INSTANTS = [
    "0001-01-01T00:00:00Z", "0001-01-01T23:59:59Z", "0001-01-02T00:00:00Z", "0009-09-09T09:09:09Z",
    "0050-06-01T00:00:00Z", "0099-12-31T23:59:59Z", "0100-01-01T00:00:00Z", "0999-01-01T00:00:00Z",
    "0999-12-31T23:59:59Z", "1000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-11-15T23:59:59Z",
    "9999-12-30T00:00:00Z", "9999-12-31T23:59:59Z",
]
YEARS = Dataset(
    "years",
    [{"id": n + 1, "channels": ["sms"], "interactions": [_chat(at)]} for n, at in enumerate(INSTANTS)]
    + [{"id": 100, "channels": ["sms"], "created_at": "0001-01-01T00:00:00Z"}],
)
RULES = [
    "last interaction after 0999-01-01",
    "last interaction after 0001-01-01",
    "last interaction after 0001-01-01T23:59:58",
    "last interaction before 0001-01-02",
    "last interaction before 1000-01-01",
    "last interaction before 0100-01-01T00:00:00",
    "last interaction on 0001-01-01",
    "last interaction on 0050-06-01",
    "last interaction on 9999-12-30",
    "last interaction between 0001-01-01 and 0099-12-31",
    "last interaction between 0009-09-09T09:09:09 and 0999-12-31T23:59:59",
    "last interaction between 0999-12-31 and 9999-12-31T23:59:58",
    "last interaction after 9999-12-30T00:00:00",
    "last interaction time between 23:00 and 00:30",
    "last interaction time before 00:00:01",
    "talked with agent within 100000 days",
]


@pytest.mark.parametrize("backend", backend_params((*BACKENDS, *SPARK_BACKENDS)))
@pytest.mark.parametrize("rule", RULES)
def test_the_whole_year_range_on_every_engine(engine_pool, backend: str, rule: str) -> None:
    text = f"channel sms and {rule}"
    engine = engine_pool.get(backend, YEARS)
    expected = interpreter_ids(YEARS.records, text)
    assert inline_ids(engine, text) == expected
    assert params_ids(engine, text) == expected
    not_text = f"channel sms and not ({rule})"
    assert params_ids(engine, not_text) == sorted(set(YEARS.ids()) - set(expected))


def test_the_year_range_rules_are_not_trivial() -> None:
    """Each rule picks some customers and leaves out others, so the engine test above can fail."""
    for rule in RULES:
        ids = interpreter_ids(YEARS.records, f"channel sms and {rule}")
        assert 0 < len(ids) < len(YEARS.records), (rule, ids)
