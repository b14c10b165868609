"""Spark as an engine: the rule corpus, the trap dataset and generated rules on Spark local and Spark Connect.

One JVM per test run (tests/sparkjvm.py) in America/New_York; data is written
once per dataset as Parquet. Spark pays about half a second of planning and
scheduling per statement, so the rules of a dataset run in batches: one
``UNION ALL`` statement whose parts are segdsl's own statements, unchanged
(``SELECT k, customer_id FROM (<segdsl's SQL>)``), the audience and the count,
with bind parameters (what segdsl runs) and, for the trap, inline too. Answers must equal the
hand-checked trap answers and the in-process interpreter, as on every other
engine.

``SEGDSL_SPARK_EXAMPLES`` sets the hypothesis examples (default 4). The trap
runs inline and with parameters on the local session, and a twelfth of the
sweep of every condition form; ``SEGDSL_SLOW=1`` runs the whole sweep (about
1,400 rules) and adds both through Connect.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import segdsl
from segdsl.data.engines import Engine, connect
from segdsl.data.records import export_records, load_records
from segdsl.families.settings import default_settings
from tests import diffdata
from tests.engines import CORPUS, NOW, SPARK_BACKENDS, Dataset, backend_params, corpus_rules, interpreter_ids
from tests.sparkproxy import ProxyConnection
from tests.test_trap import CASES as TRAP_CASES
from tests.test_trap import TRAP

pytestmark = pytest.mark.engine
BATCH = 20


def batch_answers(engine: Engine, rules: Sequence[str], now: str = NOW,
                  modes: tuple[bool, ...] = (False,)) -> dict[str, dict[str, Any]]:
    """Per rule: ids and count, with bind parameters (and inline), from a few UNION ALL statements."""
    out: dict[str, dict[str, Any]] = {r: {"ids": set(), "ids/inline": set()} for r in rules}
    keys: list[tuple[str, str]] = []
    for start in range(0, len(rules), BATCH):
        parts: list[str] = []
        values: list[Any] = []
        for rule in rules[start : start + BATCH]:
            for inline in modes:
                for count in (False, True):
                    compiled = segdsl.compile(rule, dialect="spark", count=count, now=now, params=not inline)
                    sql, params = (compiled, []) if inline else (compiled.sql, compiled.params)
                    column = "`count`" if count else "`customer_id`"
                    what = ("count" if count else "ids") + ("/inline" if inline else "")
                    parts.append(f"SELECT {len(keys)} AS k, CAST({column} AS BIGINT) AS v FROM ({sql}) AS q{len(keys)}")
                    keys.append((rule, what))
                    values += params
        for k, v in engine.query(" UNION ALL ".join(parts), values):
            rule, what = keys[int(k)]
            if what.startswith("count"):
                out[rule][what] = int(v)
            else:
                out[rule][what].add(int(v))
    return out


def check(engine: Engine, rules: Sequence[str], expected: dict[str, set[int]], now: str = NOW,
          inline: bool = False) -> list[str]:
    """The rules whose Spark answers (bind parameters, and with ``inline`` the printed SQL too)
    differ from ``expected``, with what Spark said."""
    wrong = []
    modes = (False, True) if inline else (False,)
    for rule, got in batch_answers(engine, rules, now, modes).items():
        want = expected[rule]
        same = got["ids"] == want and got["count"] == len(want)
        if inline:
            same = same and got["ids/inline"] == want and got["count/inline"] == len(want)
        if not same:
            wrong.append(f"{rule}: expected {sorted(want)}, Spark said {got}")
    return wrong


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_the_rule_corpus(engine_pool, backend: str) -> None:
    engine = engine_pool.get(backend, CORPUS)
    rules = [text for _, text in corpus_rules()]
    expected = {rule: set(interpreter_ids(CORPUS.records, rule)) for rule in rules}
    assert not check(engine, rules, expected)


# Under CI=true a skipped engine test fails, so the SEGDSL_SLOW-only cases are left out, not skipped.
SLOW_ONLY = diffdata.slow()


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS if SLOW_ONLY else ("spark",)))
def test_the_trap_dataset(engine_pool, backend: str) -> None:
    """Every hand-checked trap rule (tests/test_trap.py) gives its hand-written answer, with bind
    parameters and as the SQL `segdsl compile` prints."""
    engine = engine_pool.get(backend, TRAP)
    expected = {rule: set(ids) for rule, ids, _ in TRAP_CASES}
    wrong = check(engine, list(expected), expected, inline=True)
    assert not wrong, f"{len(wrong)} trap rules differ on Spark:\n" + "\n".join(wrong[:5])


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS if SLOW_ONLY else ("spark",)))
def test_the_sweep_of_every_condition(engine_pool, backend: str) -> None:
    """Every condition form with every pool literal, and its `not` (tests/diffdata.py), against the interpreter
    (a twelfth of the forms by default, all with SEGDSL_SLOW=1, then through Connect too)."""
    dataset = Dataset("sweep", diffdata.trap_records())
    engine = engine_pool.get(backend, dataset)
    rules = diffdata.sweep_rules()
    if not SLOW_ONLY:  # every 12th rule (about 120, both polarities of many forms); SEGDSL_SLOW=1: all
        rules = rules[::12]
    expected = {rule: diffdata.interpreter_ids(rule, dataset.records) for rule in rules}
    wrong = check(engine, rules, expected, now=diffdata.NOW_ISO)
    assert not wrong, f"{len(wrong)} sweep rules differ on Spark:\n" + "\n".join(wrong[:5])


def _reload(engine: Engine, records: list[dict[str, Any]]) -> None:
    for mapping in default_settings().schema.values():
        engine.conn.clear(mapping.table)
    load_records(engine, records)


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_generated_rules_agree_with_the_interpreter(engine_pool, backend: str) -> None:
    """A hypothesis subset of the differential suite: generated datasets and rules."""
    engine = engine_pool.fresh(backend, "generated")

    @settings(max_examples=int(os.environ.get("SEGDSL_SPARK_EXAMPLES", "4")), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(scenario=diffdata.scenarios())
    def run(scenario: tuple[list[dict], list[str]]) -> None:
        data, texts = scenario
        _reload(engine, data)
        expected = {text: diffdata.interpreter_ids(text, data) for text in texts}
        wrong = check(engine, list(dict.fromkeys(texts)), expected, now=diffdata.NOW_ISO)
        assert not wrong, "\n".join(wrong)

    try:
        run()
    finally:
        engine.close()


ISSUE_RECORDS = Dataset("zone", [
    {"id": 1, "channels": ["sms"], "name": "o'neil",
     "interactions": [{"channel": "sms", "occurred_at": "2026-11-15T23:59:59Z"}]},
    {"id": 2, "channels": ["sms"], "name": "O'Neil \\ x",
     "interactions": [{"channel": "sms", "occurred_at": "2026-11-16T00:00:00Z"}]},
    {"id": 3, "channels": ["sms"], "interactions": [{"channel": "sms", "occurred_at": "2026-11-15T12:00:00Z"}]},
])
ZONE_RULES = [
    "channel sms and last interaction on 2026-11-15",
    "channel sms and last interaction time between 23:00 and 00:30",
    "channel sms and last interaction time before 00:00:01",
    "channel sms and last interaction before 2026-11-16T00:00:00",
]


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "UTC"])
@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_the_answer_does_not_depend_on_the_session_time_zone(engine_pool, backend: str, zone: str) -> None:
    """Issue 13: in a New York session, `on 2026-11-15` matched both and `time between 23:00 and 00:30` neither."""
    engine = engine_pool.get(backend, ISSUE_RECORDS)
    expected = {rule: set(interpreter_ids(ISSUE_RECORDS.records, rule)) for rule in ZONE_RULES}
    assert expected[ZONE_RULES[0]] == {1, 3} and expected[ZONE_RULES[1]] == {1, 2}
    engine.query(f"SET TIME ZONE '{zone}'")
    try:
        assert not check(engine, ZONE_RULES, expected, inline=True)
    finally:
        engine.query("SET TIME ZONE 'UTC'")


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_the_legacy_string_literal_setting_is_overridden(engine_pool, backend: str) -> None:
    """With spark.sql.parser.escapedStringLiterals=true, Spark 4.3 reads even a bound 'o'neil' as
    o\\'neil (it writes bound strings into the statement as text): `name is "o'neil"` counted 0.
    segdsl's sessions set it back to false, whatever the URL or the cluster says."""
    dataset_engine = engine_pool.get(backend, ISSUE_RECORDS)
    url = dataset_engine.url + "&spark.sql.parser.escapedStringLiterals=true"
    if backend == "spark_connect":
        engine = Engine(url, "spark", ProxyConnection(url, dataset_engine.conn.warehouse))
    else:
        engine = connect(url)
    try:
        assert segdsl.audience('channel sms and name is "o\'neil"', db=engine, now=NOW) == [1]
        assert segdsl.audience('channel sms and name is "O\'Neil \\\\ x"', db=engine, now=NOW) == [2]
    finally:
        engine.close()


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_export_streams_the_records_back(engine_pool, backend: str) -> None:
    """export on Spark gives the records the reference engine gives (instants as UTC, years 0001-9999)."""
    from tests.test_stamps import YEARS

    engine = engine_pool.get(backend, YEARS)
    reference = engine_pool.get("sqlite", YEARS)
    assert list(export_records(engine)) == list(export_records(reference))


@pytest.mark.parametrize("backend", backend_params(SPARK_BACKENDS))
def test_a_missing_table_is_one_clear_line(engine_pool, backend: str) -> None:
    engine = engine_pool.fresh(backend, "empty")
    try:
        with pytest.raises(Exception, match=r"TABLE_OR_VIEW_NOT_FOUND.*no Parquet folder") as info:
            segdsl.count("channel sms", db=engine, now=NOW)
        assert "\n" not in str(info.value)
    finally:
        engine.close()


@pytest.mark.engine
def test_the_cli_counts_over_spark_connect(engine_pool, tmp_path) -> None:
    """`segdsl count --db sc://...` as a user types it (a Connect client is light: no JVM in the CLI)."""
    engine = engine_pool.get("spark_connect", CORPUS)  # the Parquet folders of the corpus
    url = engine.url
    rule = 'channel whatsapp and tag is "vip" and last interaction within 30 days'
    done = subprocess.run(
        [sys.executable, "-m", "segdsl.cli", "count", "--db", url, "--now", NOW, rule],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(len(interpreter_ids(CORPUS.records, rule)))
    bad = subprocess.run(
        [sys.executable, "-m", "segdsl.cli", "count", "--db", url.split("?")[0] + "?wharehouse=x", "channel sms"],
        capture_output=True, text=True, timeout=300,
    )
    assert bad.returncode == 1 and "unknown option `wharehouse`" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------- broadcasts, resend and the demo on Spark

FIRST = 'channel whatsapp and tag is "vip"'
EDITED = "channel whatsapp and last interaction within 30 days"


def _printed(path: Any) -> list[int]:
    return sorted(int(line) for line in path.read_text().split()) if path.exists() else []


def test_broadcasts_and_resend_stream_the_audience_from_spark(engine_pool, tmp_path, monkeypatch) -> None:
    """Issue 13: customers on Spark, the store in SQLite. The audience streams from the session the
    caller opened (``Store(db=engine)``), a few rows per batch; send, count, dry run and an only-new
    resend give the interpreter's audiences, and closing the store leaves the session open."""
    from segdsl.store import Deliverer, Store, audience

    monkeypatch.setattr(audience, "PLAN_BATCH", 4)  # several batches from toLocalIterator
    engine = engine_pool.get("spark", CORPUS)
    first, edited = (set(interpreter_ids(CORPUS.records, r)) for r in (FIRST, EDITED))
    assert first - edited and edited - first and first & edited  # gone, new and kept customers
    out = tmp_path / "sent.txt"
    with Store(f"sqlite:///{tmp_path / 'store.db'}", db=engine) as store:
        store.create_segment(FIRST, name="VIP")
        assert store.count("VIP", now=NOW).count == len(first)
        sent = store.send("VIP", name="Launch", deliverer=Deliverer.printer(out), now=NOW)
        assert sent.delivered == len(first) and _printed(out) == sorted(first)
        assert store.edit_segment("VIP", rule=EDITED).pending == ["Launch"]
        [plan] = store.resend("Launch", only_new=True, dry_run=True, now=NOW)
        assert (plan.total, plan.new, plan.gone) == (len(edited), len(edited - first), len(first - edited))
        out.unlink()
        [again] = store.resend("Launch", only_new=True, now=NOW)
        assert again.action == "sent" and _printed(out) == sorted(edited - first)
        assert not store.broadcast("Launch").pending_resend
    assert segdsl.count(EDITED, db=engine, now=NOW) == len(edited)  # the caller's session is still open


def test_demo_writes_the_warehouse_all_or_nothing(engine_pool, tmp_path, monkeypatch) -> None:
    """`segdsl demo` on Spark: the Parquet folders the engine reads, the same data as on SQLite;
    a failure half-way leaves the old folders, and a folder the demo did not make is not replaced."""
    from segdsl.data import demo, sparkdemo

    now, rules = "2026-11-28T00:00:00Z", [FIRST, EDITED, 'channel sms and has unpaid cart and gender is female']
    engine = engine_pool.fresh("spark", "demo")
    reference = engine_pool.fresh("sqlite", "demo")
    try:
        assert demo.populate(engine, n=300, seed=3, now=now) == demo.populate(reference, n=300, seed=3, now=now)
        counts = [segdsl.count(rule, db=engine, now=now) for rule in rules]
        assert counts == [segdsl.count(rule, db=reference, now=now) for rule in rules] and all(counts)
        warehouse = engine.conn.target.warehouse
        before = sorted(os.listdir(warehouse))
        assert before == sorted([sparkdemo.MARKER_FILE, *(m.table for m in default_settings().schema.values())])

        def broken(*args: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(sparkdemo, "_append", broken)
        with pytest.raises(OSError, match="disk full"):
            demo.populate(engine, n=300, seed=4, now=now)
        assert sorted(os.listdir(warehouse)) == before  # no staging folder left, old tables in place
        assert [segdsl.count(rule, db=engine, now=now) for rule in rules] == counts
        os.remove(os.path.join(warehouse, sparkdemo.MARKER_FILE))
        with pytest.raises(demo.DemoRefused, match="not made by segdsl demo.*--replace"):
            demo.populate(engine, n=300, seed=4, now=now)
    finally:
        engine.close()
        reference.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "segdsl.cli", *args], capture_output=True, text=True, timeout=300)


def test_the_cli_demo_and_broadcasts_over_spark_connect(engine_pool, tmp_path) -> None:
    """As a user types it, against Spark Connect (a light client: no JVM in the CLI): demo data
    into the warehouse, then a broadcast and an only-new resend with the store in SQLite."""
    from segdsl.data import demo
    from segdsl.store import Store, StoreUnavailable
    from tests.sparkjvm import spark_urls

    engine_pool.get("spark_connect", CORPUS)  # the JVM and its Connect server (skips without Spark)
    warehouse = tmp_path / "wh"  # made by `segdsl demo`
    url, store, now = spark_urls(warehouse)["spark_connect"], f"sqlite:///{tmp_path / 'store.db'}", NOW
    made = _cli("demo", "--db", url, "-n", "400", "--seed", "5", "--now", now, "-q")
    assert made.returncode == 0 and "400 customers" in made.stdout, made.stderr
    records = list(demo.generate(400, seed=5, now=now))
    edit = "channel whatsapp and gender is female"  # no time condition: send and resend run at the wall clock
    first, edited = (set(interpreter_ids(records, rule)) for rule in (FIRST, edit))
    assert first - edited and edited - first
    with Store(store) as saved:  # store-only steps need no Spark: in process
        saved.create_segment(FIRST, name="VIP")
    sent = _cli("broadcasts", "send", "--segment", "VIP", "--db", url, "--store", store)
    assert sent.returncode == 0, sent.stderr
    assert sorted(int(x) for x in sent.stdout.split()) == sorted(first)
    with Store(store) as saved:
        saved.edit_segment("VIP", rule=edit)
    again = _cli("resend", "--only-new", "--db", url, "--store", store)
    assert again.returncode == 0, again.stderr
    assert sorted(int(x) for x in again.stdout.split()) == sorted(edited - first)
    with pytest.raises(StoreUnavailable, match="Spark is not a transactional database"):
        Store(db=url)  # the store would default to the customers' database
