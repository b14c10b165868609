"""The differential proof: the interpreter and every SQL backend pick the same customers.

Three layers, all against SQLite, DuckDB, PostgreSQL and MariaDB:

- the sweep: every condition form with every pool literal, and its `not`,
  on one fixed dataset that carries every trap value (deterministic);
- the generator: hypothesis draws a dataset (1-15 records full of traps,
  interactions at boundary instants of a fixed now) and rules whose literals
  come partly from that dataset, and every backend must return the same SET
  of ids as ``segdsl.matcher`` (with bind parameters, and as the SQL text
  ``segdsl compile`` prints; ``--count`` too);
- teeth: bugs planted in the interpreter must be caught by the sweep (and a
  cheap one by the generator), so a green run means something.

Budget: 200 generated examples by default (the module runs in well under
3 minutes). ``SEGDSL_SLOW=1`` runs 5,000; ``SEGDSL_EXAMPLES=N`` runs N.

PostgreSQL and MariaDB are used when reachable (a ``segdsl_diff`` database,
created if missing, held with a lock so concurrent runs take turns);
``test_server_reachable`` skips for a missing server, and fails instead
under ``CI=true`` (as does the ``backends`` fixture).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import NoSuchExample
from segdsl.builtins import field as field_plugin
from segdsl.builtins import interactions as interactions_plugin
from segdsl.builtins import personal as personal_plugin
from segdsl.builtins import tag as tag_plugin

import segdsl
from segdsl.api import count
from segdsl.data.engines import EngineError, connect
from segdsl.inproc.view import View, parse_instant
from tests.diffdata import (
    NOW,
    Backends,
    compare,
    datasets,
    expressions,
    interpreter_ids,
    max_examples,
    open_backends,
    open_local,
    rules,
    scenarios,
    server_url,
    sweep_rules,
    trap_records,
)

pytestmark = pytest.mark.engine

IN_CI = os.environ.get("CI") == "true"

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
        with connect(server_url(name)) as engine:
            assert engine.query("SELECT 1") == [(1,)]
    except EngineError as exc:
        if IN_CI:
            pytest.fail(f"{name} is unreachable under CI: {exc}")
        pytest.skip(f"{name} is unreachable, left out of the differential tests: {exc}")


@SETTINGS
@given(scenario=scenarios())
def test_interpreter_equals_every_backend(backends: Backends, scenario: tuple[list[dict], list[str]]) -> None:
    data, texts = scenario
    backends.load(data)
    for text in texts:
        report = compare(text, data, backends.backends)
        assert report is None, "backends disagree with the interpreter\n" + report
    expected = len(interpreter_ids(texts[0], data))
    for backend in backends.backends:  # the --count form of the same query
        assert count(texts[0], db=backend.engine, now=NOW) == expected, (backend.name, texts[0])


def test_sweep_every_condition_on_the_trap_dataset(backends: Backends) -> None:
    """Every condition form x every pool literal, and its `not`, on one dataset with every trap value."""
    records = trap_records()
    backends.load(records)
    failures = []
    for text in sweep_rules():
        report = compare(text, records, backends.backends, inline=False)
        if report is not None:
            failures.append(report)
    assert not failures, f"{len(failures)} sweep rules disagree; the first ones:\n\n" + "\n\n".join(failures[:5])


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
# Each planted bug breaks the interpreter alone, in a way a real slip could;
# the sweep (and, for a cheap one, the generator) must show it against SQLite.


def _tags_not_folded(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(tag_plugin, "folded_tags", lambda view: frozenset(str(t) for t in view.rec.get("tags") or ()))


def _last_is_first(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(interactions_plugin, "last",
               lambda view: min((at for at, _ in view.fact(interactions_plugin.on_channel)), default=None))


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
    def every(view: View) -> list:
        return [(parse_instant(r.get("occurred_at")), r) for r in view.rec.get("interactions") or ()]

    mp.setattr(interactions_plugin, "on_channel", every)


PLANTED = {
    "tags_not_folded": _tags_not_folded,
    "last_is_first": _last_is_first,
    "field_values_untrimmed": _field_values_untrimmed,
    "exponents_are_numbers": _exponents_are_numbers,
    "spaces_are_known": _spaces_are_known,
    "any_channel_counts": _any_channel_counts,
}


@pytest.fixture(scope="module")
def sweep_truth() -> tuple[list[dict], dict[str, set[int]]]:
    """The trap dataset and SQLite's ids for every sweep rule (the interpreter is not involved)."""
    sqlite = open_local()[0]
    records = trap_records()
    sqlite.load(records)
    truth = {text: sqlite.audience(text) for text in sweep_rules()}
    sqlite.engine.close()
    return records, truth


@pytest.mark.parametrize("bug", sorted(PLANTED))
def test_the_sweep_finds_a_planted_interpreter_bug(
    bug: str, monkeypatch: pytest.MonkeyPatch, sweep_truth: tuple[list[dict], dict[str, set[int]]]
) -> None:
    records, truth = sweep_truth
    PLANTED[bug](monkeypatch)
    caught = [text for text, ids in truth.items() if interpreter_ids(text, records) != ids]
    assert caught, f"no sweep rule shows the planted bug `{bug}`"


def test_the_generator_finds_a_planted_interpreter_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """The random generator, too, aims at real differences (a cheap bug to find: other channels count)."""
    sqlite = open_local()[0]

    def shows_the_bug(scenario: tuple[list[dict], list[str]]) -> bool:
        data, texts = scenario
        sqlite.load(data)
        return any(compare(text, data, [sqlite], inline=False) is not None for text in texts)

    PLANTED["any_channel_counts"](monkeypatch)
    try:
        find(
            scenarios(),
            shows_the_bug,
            settings=settings(max_examples=100, phases=[Phase.generate], database=None, deadline=None,
                              derandomize=True, suppress_health_check=list(HealthCheck)),
        )
    except NoSuchExample:
        pytest.fail("100 generated examples never showed the planted bug `any_channel_counts`")
    finally:
        sqlite.engine.close()
