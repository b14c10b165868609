"""Fuzzing the whole pipeline (issue 12, Proof): every input is answered, in time, with a clean error.

tests/test_fuzz.py holds the front end to its error contract. Here the same
mutants (byte edits, token edits of the corpus and of random valid rules) and
random valid rules go through everything a user can reach:

* ``segdsl.parse``; for the rules that parse, ``segdsl.compile`` in every
  dialect (inline and params), ``segdsl.evaluate`` on varied records, and
  ``segdsl.count`` on SQLite and DuckDB (in memory, the corpus records);
* random, often malformed, records through ``segdsl.evaluate``;
* the command line (``compile`` and ``match`` reading the rule bytes from stdin).

The property: only ``RuleError`` escapes the API for rule text (``RecordError``
for a malformed record), the CLI exits 0 or 2 with no internal error, and each
input is answered within 2 seconds. The budget is fixed
(``SEGDSL_FUZZ_EXAMPLES``, default 120 per test) so CI time stays bounded;
``fuzz/fuzz_rules.py`` is the atheris harness for long local runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import segdsl
from segdsl.cli import cli
from segdsl.data.engines import Engine, connect
from segdsl.data.records import create_schema, load_records
from segdsl.inproc.view import RecordError
from segdsl.lang.errors import RuleError
from segdsl.sql.dialects import DIALECTS
from tests.engines import CORPUS_RECORDS
from tests.strategies import rules
from tests.test_fuzz import CORPUS_TEXT, byte_mutants, token_mutants

NOW = "2026-11-28T12:00:00Z"
LIMIT_SECONDS = 2.0
BUDGET = settings(
    max_examples=int(os.environ.get("SEGDSL_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
RECORDS = CORPUS_RECORDS[:20]
INPUTS = st.one_of(
    byte_mutants(), token_mutants(CORPUS_TEXT), token_mutants(rules(max_leaves=4)), rules(max_leaves=6)
)


@pytest.fixture(scope="module")
def engines() -> Iterator[list[Engine]]:
    opened = [connect("sqlite:///:memory:"), connect("duckdb:///:memory:")]
    for engine in opened:
        create_schema(engine)
        load_records(engine, CORPUS_RECORDS)
    yield opened
    for engine in opened:
        engine.close()


def everything(text: str, engines: list[Engine]) -> None:
    """Run ``text`` through every stage; only RuleError may escape, within LIMIT_SECONDS."""
    start = time.perf_counter()
    try:
        rule = segdsl.parse(text)
    except RuleError:
        rule = None
    if rule is not None:
        for dialect in DIALECTS:
            assert isinstance(segdsl.compile(rule, dialect=dialect, now=NOW), str)
            compiled = segdsl.compile(rule, dialect=dialect, now=NOW, params=True, count=True)
            assert compiled.sql.count("%s" if compiled.paramstyle == "format" else "?") >= len(compiled.params)
        matched = sum(segdsl.evaluate(rule, record, now=NOW) for record in RECORDS)
        assert 0 <= matched <= len(RECORDS)
        for engine in engines:
            assert segdsl.count(rule, db=engine, now=NOW, timeout=LIMIT_SECONDS * 5) >= 0
    elapsed = time.perf_counter() - start
    assert elapsed < LIMIT_SECONDS, f"{elapsed:.2f}s for {text[:80]!r}"


@BUDGET
@given(INPUTS)
def test_api_answers_every_input(engines: list[Engine], text: str) -> None:
    everything(text, engines)


@pytest.fixture(scope="module")
def no_records(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fuzz") / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    return str(path)


@BUDGET
@given(INPUTS.map(lambda t: t.encode("utf-8", "surrogateescape")) | st.binary(max_size=80))
def test_cli_answers_every_input(no_records: str, data: bytes) -> None:
    runner = CliRunner()
    start = time.perf_counter()
    for command in (["compile", "-", "--now", NOW, "--dialect", "mysql"], ["fmt", "-"]):
        res = runner.invoke(cli, command, input=data)
        assert res.exit_code in (0, 2), (data, res.output)
        assert "internal error" not in res.output and "Traceback" not in res.output
    res = runner.invoke(cli, ["match", "-f", "-", "--input", no_records, "--now", NOW], input=data)
    assert res.exit_code in (0, 2), (data, res.output)
    assert time.perf_counter() - start < LIMIT_SECONDS * 3


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6),
                                                                                                inner, max_size=3),
                    max_leaves=8)
RECORD_KEYS = ["id", "name", "phone", "gender", "channels", "tags", "fields", "interactions", "carts"]


@st.composite
def malformed_records(draw: st.DrawFn) -> Any:
    """A record from the corpus with some keys replaced by random JSON, or random JSON itself."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    record = dict(draw(st.sampled_from(RECORDS)))
    for key in draw(st.lists(st.sampled_from(RECORD_KEYS), max_size=3)):
        record[key] = draw(JSON)
    if draw(st.booleans()) and isinstance(record.get("interactions"), list) and record["interactions"]:
        rows = [dict(r) if isinstance(r, dict) else r for r in record["interactions"]]
        if isinstance(rows[0], dict):
            rows[0][draw(st.sampled_from(["occurred_at", "channel", "talked_with_agent"]))] = draw(JSON)
        record["interactions"] = rows
    return record


EVERY_FAMILY = [
    'channel sms and (tag = "vip" or has unpaid cart or field orders > 2 or name contains "a")',
    "channel whatsapp and (last interaction within 30 days or talked with agent within 3 days "
    'or completed bot flow "welcome" or gender is female or number is unknown)',
    "channel sms and last interaction time between 22:00 and 06:00 and not tag is unknown",
]


@BUDGET
@given(malformed_records())
def test_evaluate_malformed_records(record: Any) -> None:
    """A record is read or refused with RecordError; nothing else escapes."""
    for rule in EVERY_FAMILY:
        try:
            assert segdsl.evaluate(rule, record, now=NOW) in (True, False)
        except RecordError as err:
            assert str(err)
    json.dumps(record, default=str)  # the record itself is printable for the report


def test_atheris_harness_runs_on_its_seeds() -> None:
    """fuzz/fuzz_rules.py (long local runs) keeps working: its property holds on the seed corpus."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_rules.py"
    spec = importlib.util.spec_from_file_location("fuzz_rules", path)
    assert spec is not None and spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    seeds = harness.seeds()
    assert len(seeds) > 20
    for seed in seeds:
        harness.check(seed)
        harness.check(b"\xef\xbb\xbf" + seed[: len(seed) // 2])
