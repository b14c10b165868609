"""The differential proof: the interpreter and every SQL backend pick the same customers.

For every generated (rules, dataset) pair, ``segdsl.matcher`` in process,
SQLite, DuckDB, PostgreSQL and MariaDB must return the same SET of ids.
The data and rules come from ``diffdata.py`` (pools of colliding literals,
boundary instants around a fixed now).

Budget: 200 examples by default (a few minutes at most with all four
engines). ``SEGDSL_SLOW=1`` runs 5,000; ``SEGDSL_EXAMPLES=N`` runs N.

PostgreSQL and MariaDB are used when reachable (``segdsl_diff`` database,
created if missing); ``test_server_reachable`` skips for a missing server,
and fails instead under ``CI=true``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import NoSuchExample

import segdsl
from tests.diffdata import (
    NOW,
    Backends,
    compare,
    datasets,
    expressions,
    max_examples,
    open_backends,
    open_local,
    open_server,
    rules,
    scenarios,
)
from segdsl.builtins import field as field_plugin
from segdsl.builtins import personal as personal_plugin
from segdsl.engines import EngineError
from segdsl.interpreter import View, parse_instant

pytestmark = pytest.mark.engine

IN_CI = os.environ.get("CI") == "true"

PLANTED_BUDGET = 300

SETTINGS = settings(
    max_examples=max_examples(),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def backends() -> Backends:
    opened = open_backends()
    if IN_CI and opened.unreachable:
        opened.close()
        pytest.fail("under CI every engine must be reachable: " + "; ".join(opened.unreachable.values()))
    yield opened
    opened.close()


@pytest.mark.parametrize("name", ["postgres", "mariadb"])
def test_server_reachable(name: str) -> None:
    """Says loudly when a server engine is left out of the differential run."""
    try:
        backend = open_server(name)
    except EngineError as exc:
        if IN_CI:
            pytest.fail(f"{name} is unreachable under CI: {exc}")
        pytest.skip(f"{name} is unreachable, left out of the differential tests: {exc}")
    backend.engine.close()


@SETTINGS
@given(scenario=scenarios())
def test_interpreter_equals_every_backend(backends: Backends, scenario: tuple[list[dict], list[str]]) -> None:
    data, texts = scenario
    backends.load(data)
    for text in texts:
        report = compare(text, data, backends.backends)
        assert report is None, "backends disagree with the interpreter\n" + report


@SETTINGS
@given(data=datasets(), text=rules(), condition=expressions())
def test_not_is_the_exact_complement(data: list[dict], text: str, condition: str) -> None:
    """count(R and C) + count(R and not C) = count(R), in process (the SQL side follows by the test above)."""
    match_r = segdsl.matcher(text, now=NOW)
    match_c = segdsl.matcher(f"{text} and ({condition})", now=NOW)
    match_not_c = segdsl.matcher(f"{text} and not ({condition})", now=NOW)
    for rec in data:
        assert match_r(rec) == (match_c(rec) or match_not_c(rec)), (text, condition, rec)
        assert not (match_c(rec) and match_not_c(rec)), (text, condition, rec)


# --------------------------------------------------------------------------- the proof has teeth
#
# Each planted bug breaks the interpreter alone, in a way a real slip could.
# The generator must find a (rule, dataset) pair that shows it, comparing
# with SQLite only, within a fixed budget.


def _tags_not_folded(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(View, "tags", property(lambda self: frozenset(str(t) for t in self.rec.get("tags") or ())))


def _last_is_first(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(View, "last", property(lambda self: min((at for at, _ in self.interactions), default=None)))


def _field_values_untrimmed(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(field_plugin, "trim", lambda text: text)


def _exponents_are_numbers(mp: pytest.MonkeyPatch) -> None:
    def loose(text: str) -> bool:
        try:
            float(text)
        except ValueError:
            return False
        return True

    mp.setattr(field_plugin, "is_number", loose)


def _spaces_are_known(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(personal_plugin, "is_blank", lambda text: text is None or text == "")


def _any_channel_counts(mp: pytest.MonkeyPatch) -> None:
    def every(self: View) -> list:
        return [(parse_instant(r.get("occurred_at")), r) for r in self.rec.get("interactions") or ()]

    mp.setattr(View, "interactions", property(every))


PLANTED = {
    "tags_not_folded": _tags_not_folded,
    "last_is_first": _last_is_first,
    "field_values_untrimmed": _field_values_untrimmed,
    "exponents_are_numbers": _exponents_are_numbers,
    "spaces_are_known": _spaces_are_known,
    "any_channel_counts": _any_channel_counts,
}


@pytest.mark.parametrize("bug", sorted(PLANTED))
def test_the_generator_finds_a_planted_interpreter_bug(bug: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite = open_local()[0]

    def shows_the_bug(scenario: tuple[list[dict], list[str]]) -> bool:
        data, texts = scenario
        sqlite.load(data)
        return any(compare(text, data, [sqlite], inline=False) is not None for text in texts)

    PLANTED[bug](monkeypatch)
    try:
        find(
            scenarios(),
            shows_the_bug,
            settings=settings(max_examples=PLANTED_BUDGET, phases=[Phase.generate], database=None, deadline=None,
                              derandomize=True, suppress_health_check=list(HealthCheck)),
        )
    except NoSuchExample:
        pytest.fail(f"{PLANTED_BUDGET} generated examples never showed the planted bug `{bug}`")
    finally:
        sqlite.engine.close()
