"""Compiled statements kept on an open engine (segdsl/sql/statements.py).

A repeated ``segdsl.count`` / ``audience`` / ``stream_audience`` on one engine compiles
once; the statement is reused only where it cannot differ: same rule, count or audience,
settings object, family registry, and the same ``now`` if building the SQL read it.
"""

from __future__ import annotations

import datetime as dt

import pytest

import segdsl
from segdsl import api
from segdsl.families.settings import Settings
from segdsl.sql.statements import Statements
from tests.engines import BACKENDS, CORPUS, NOW, backend_params

TIMELESS = 'channel whatsapp and tag = "vip" and gender is female'
TIMED = "channel whatsapp and last interaction within 30 days"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The rules api._compile builds, in order (the real compile still runs)."""
    seen: list[str] = []
    real = api._compile

    def spy(typed, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(segdsl.format(typed))
        return real(typed, *args, **kwargs)

    monkeypatch.setattr(api, "_compile", spy)
    return seen


@pytest.fixture
def engine(engine_pool, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    eng = engine_pool.get(request.param, CORPUS)
    eng.statements = Statements()  # the pool's engines are shared: start with none kept
    return eng


@pytest.mark.parametrize("engine", backend_params(BACKENDS), indirect=True)
def test_a_repeated_count_compiles_once_and_gives_what_a_fresh_compile_gives(engine, compiles) -> None:
    first = segdsl.count(TIMELESS, db=engine, now=NOW)
    assert [segdsl.count(TIMELESS, db=engine, now=NOW) for _ in range(3)] == [first] * 3
    assert len(compiles) == 1
    fresh = segdsl.compile(TIMELESS, dialect=engine.rules, count=True, now=NOW, params=True)  # compiles: 2
    assert engine.query(fresh.sql, fresh.params)[0][0] == first
    # count and audience are different statements; each is kept
    ids = segdsl.audience(TIMELESS, db=engine, now=NOW)
    assert len(ids) == first and segdsl.audience(TIMELESS, db=engine, now=NOW) == ids
    assert sorted(segdsl.stream_audience(TIMELESS, db=engine, now=NOW)) == ids
    assert len(compiles) == 3


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"], indirect=True)
def test_a_rule_without_time_is_kept_whatever_the_clock_says(engine, compiles) -> None:
    counts = {now: segdsl.count(TIMELESS, db=engine, now=now) for now in (NOW, "2030-01-01T00:00:00Z", None)}
    assert len(set(counts.values())) == 1
    assert len(compiles) == 1


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"], indirect=True)
def test_a_rule_that_reads_now_is_compiled_again_for_another_instant(engine, compiles) -> None:
    later = "2027-06-01T00:00:00Z"
    assert segdsl.count(TIMED, db=engine, now=NOW) > 0
    assert segdsl.count(TIMED, db=engine, now=NOW) > 0
    assert len(compiles) == 1
    # half a year on, nobody interacted within 30 days: a kept statement would still say > 0
    assert segdsl.count(TIMED, db=engine, now=later) == 0
    assert len(compiles) == 2
    # the same instant given as a datetime (UTC, to the second) is the same statement
    segdsl.count(TIMED, db=engine, now=dt.datetime(2027, 6, 1, 0, 0, 0, 400_000, tzinfo=dt.UTC))
    assert len(compiles) == 2


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_other_settings_or_a_parsed_rule_are_kept_apart(engine, compiles) -> None:
    mine = Settings.from_toml_text('channels = ["whatsapp", "pager"]')
    segdsl.count(TIMELESS, db=engine, now=NOW)
    segdsl.count(TIMELESS, db=engine, now=NOW, settings=mine)
    segdsl.count(TIMELESS, db=engine, now=NOW, settings=mine)
    assert len(compiles) == 2
    parsed = segdsl.parse(TIMELESS)
    assert segdsl.count(parsed, db=engine, now=NOW) == segdsl.count(segdsl.parse(TIMELESS), db=engine, now=NOW)
    assert len(compiles) == 3  # equal parsed rules share one entry


def test_an_invalid_rule_is_refused_before_any_connection_even_with_statements_kept(tmp_path) -> None:
    with pytest.raises(segdsl.RuleError):
        segdsl.count("channel whatsapp and tag =", db=f"sqlite:///{tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_the_least_recently_used_statement_goes_first() -> None:
    kept = Statements(size=2)
    now = dt.datetime(2026, 11, 28, 12)
    made = {rule: api.compile(rule, count=True, now=now, params=True) for rule in ("channel sms", "channel telegram",
                                                                                   "channel webchat")}
    kept.put("channel sms", True, "s", "r", None, made["channel sms"])
    kept.put("channel telegram", True, "s", "r", None, made["channel telegram"])
    assert kept.get("channel sms", True, "s", "r", now) is made["channel sms"]  # now the most recent
    kept.put("channel webchat", True, "s", "r", None, made["channel webchat"])
    assert len(kept) == 2
    assert kept.get("channel telegram", True, "s", "r", now) is None
    assert kept.get("channel sms", True, "s", "r", now) is made["channel sms"]
    # another settings object or registry never gets the entry
    assert kept.get("channel sms", True, "other", "r", now) is None
    assert kept.get("channel sms", True, "s", "other", now) is None
    # an entry built from now serves that instant only
    kept.put("channel sms", False, "s", "r", now, made["channel sms"])
    assert kept.get("channel sms", False, "s", "r", now) is made["channel sms"]
    assert kept.get("channel sms", False, "s", "r", now + dt.timedelta(seconds=1)) is None
