"""Every rule of examples/rules on SQLite, DuckDB, PostgreSQL and MariaDB.

The same dataset (tests/engines.py, CORPUS_RECORDS) is loaded into each engine;
every rule must give the same customers everywhere, in inline SQL and in
params mode, and the same as the in-process interpreter. The statements have
the promised shape (one column ``customer_id`` / one row with ``count``), and
database failures are EngineErrors said in one line.
"""

from __future__ import annotations

import urllib.parse

import pytest

import segdsl
from segdsl.data.engines import EngineError, connect
from tests.engines import (
    BACKENDS,
    CORPUS,
    CORPUS_RECORDS,
    MYSQL_URL,
    NOW,
    PG_URL,
    api_ids,
    backend_params,
    compiled_sql,
    corpus_rules,
    description_names,
    inline_count,
    inline_ids,
    interpreter_ids,
    params_count,
    params_ids,
)

RULES = corpus_rules()
RULE_PARAMS = [pytest.param(text, id=name) for name, text in RULES]


def test_the_corpus_is_all_there() -> None:
    assert len(RULES) >= 78


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_dataset_exercises_the_rule(rule: str) -> None:
    """The dataset tells matching from not matching for every rule (a rule matching
    nobody, or everybody on its channel, would prove little)."""
    parsed = segdsl.parse(rule)
    matched = interpreter_ids(CORPUS_RECORDS, rule)
    on_channel = interpreter_ids(CORPUS_RECORDS, f"channel {parsed.channel}")
    assert matched, "no customer of the corpus dataset matches"
    if segdsl.format(parsed) != f"channel {parsed.channel}":
        assert len(matched) < len(on_channel), "every customer on the channel matches"


@pytest.mark.parametrize("rule", RULE_PARAMS)
@pytest.mark.parametrize("backend", backend_params())
def test_rule_gives_the_same_customers_everywhere(engine_pool, backend: str, rule: str) -> None:
    engine = engine_pool.get(backend, CORPUS)
    expected = interpreter_ids(CORPUS_RECORDS, rule)

    inline = inline_ids(engine, rule)
    assert len(inline) == len(set(inline)), "the audience repeats customers"
    assert inline == expected, "inline SQL disagrees with the interpreter"
    assert params_ids(engine, rule) == expected, "params mode disagrees with the interpreter"
    assert api_ids(engine, rule) == expected, "segdsl.api.audience disagrees with the interpreter"
    assert inline_count(engine, rule) == len(expected), "inline count"
    assert params_count(engine, rule) == len(expected), "params count"


@pytest.mark.parametrize("backend", backend_params())
def test_statement_shapes(engine_pool, backend: str) -> None:
    """Audience: one column `customer_id`; count: one row, one column `count`."""
    engine = engine_pool.get(backend, CORPUS)
    for rule in ('channel whatsapp and tag in ("vip", "gold")', "channel whatsapp", RULES[0][1]):
        audience_sql = compiled_sql(rule, engine.dialect, False)
        assert description_names(engine, audience_sql) == ["customer_id"]
        count_sql = compiled_sql(rule, engine.dialect, True)
        assert description_names(engine, count_sql) == ["count"]
        rows = engine.query(count_sql)
        assert len(rows) == 1 and len(rows[0]) == 1
        compiled = segdsl.compile(rule, dialect=engine.dialect, count=True, now=NOW, params=True)
        cur = engine.conn.cursor()
        try:
            cur.execute(compiled.sql, tuple(compiled.params))
            assert [d[0] for d in cur.description] == ["count"]
            cur.fetchall()
        finally:
            cur.close()


@pytest.mark.parametrize("backend", backend_params())
def test_audience_ids_are_distinct_with_many_rows_per_customer(engine_pool, backend: str) -> None:
    engine = engine_pool.get(backend, CORPUS)
    rule = (
        "channel whatsapp and (tag is known or last interaction within 400 days or has unpaid cart "
        "or field orders is known)"
    )
    ids = inline_ids(engine, rule)
    assert ids and len(ids) == len(set(ids))
    assert ids == interpreter_ids(CORPUS_RECORDS, rule)


# ---------------------------------------------------------------------------- failures


def _one_line(err: EngineError) -> str:
    text = str(err)
    assert text.strip(), "empty message"
    assert "\n" not in text and "\r" not in text, f"not one line: {text!r}"
    assert "Traceback" not in text
    return text


def _with(url: str, **parts: object) -> str:
    split = urllib.parse.urlsplit(url)
    netloc = parts.get("netloc", split.netloc)
    path = parts.get("path", split.path)
    return urllib.parse.urlunsplit(split._replace(netloc=str(netloc), path=str(path)))


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc.split("@")[-1]


@pytest.mark.engine
@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgresql://postgres@127.0.0.1:1/test", id="postgres"),
        pytest.param("mysql://root@127.0.0.1:1/test", id="mysql"),
    ],
)
def test_unreachable_database_is_an_engine_error(url: str) -> None:
    with pytest.raises(EngineError) as info:
        connect(url)
    _one_line(info.value)
    with pytest.raises(EngineError) as info:
        segdsl.count("channel sms", db=url, now=NOW)
    _one_line(info.value)


@pytest.mark.engine
@pytest.mark.parametrize(
    "url",
    [
        pytest.param(_with(PG_URL, netloc="segdsl_nosuchrole:s3cr3tpw@" + _host(PG_URL)), id="postgres"),
        pytest.param(_with(MYSQL_URL, netloc="segdsl_nosuchuser:s3cr3tpw@" + _host(MYSQL_URL)), id="mysql"),
    ],
)
def test_bad_credentials_are_an_engine_error(url: str) -> None:
    with pytest.raises(EngineError) as info:
        segdsl.count("channel sms", db=url, now=NOW)
    text = _one_line(info.value)
    assert "s3cr3tpw" not in text, "the password leaks into the message"


@pytest.mark.engine
@pytest.mark.parametrize(
    "url",
    [
        pytest.param(_with(PG_URL, path="/segdsl_no_such_database"), id="postgres"),
        pytest.param(_with(MYSQL_URL, path="/segdsl_no_such_database"), id="mysql"),
    ],
)
def test_missing_database_is_an_engine_error(url: str) -> None:
    with pytest.raises(EngineError) as info:
        segdsl.count("channel sms", db=url, now=NOW)
    _one_line(info.value)


@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_missing_table_is_an_engine_error(engine_pool, backend: str) -> None:
    engine = engine_pool.fresh(backend, "empty")
    try:
        with pytest.raises(EngineError) as info:
            segdsl.count("channel sms and tag = 'vip'", db=engine, now=NOW)
        _one_line(info.value)
        with pytest.raises(EngineError) as info:
            inline_count(engine, "channel sms")
        _one_line(info.value)
        # the connection is still usable afterwards
        assert engine.query("SELECT 1") == [(1,)]
    finally:
        engine.close()


def test_sqlite_in_a_missing_folder_is_an_engine_error(tmp_path) -> None:
    with pytest.raises(EngineError) as info:
        segdsl.count("channel sms", db=f"sqlite:///{tmp_path}/no/such/folder/x.db", now=NOW)
    _one_line(info.value)


def test_unknown_url_scheme_is_an_engine_error() -> None:
    with pytest.raises(EngineError) as info:
        connect("oracle://scott@db/x")
    _one_line(info.value)


# ---------------------------------------------------------------------------- regressions

_TZ_SCRIPT = r"""
import segdsl
from segdsl.data.engines import connect
db = connect("duckdb:///:memory:")
db.query("CREATE TABLE customers (id BIGINT, name VARCHAR, email VARCHAR, phone VARCHAR, gender VARCHAR, "
         "created_at TIMESTAMPTZ)")
db.query("CREATE TABLE customer_channels (customer_id BIGINT, channel VARCHAR)")
db.query("CREATE TABLE interactions (id BIGINT, customer_id BIGINT, channel VARCHAR, occurred_at TIMESTAMPTZ, "
         "talked_with_agent BOOLEAN, completed_product_flow BOOLEAN, completed_collection_flow BOOLEAN, "
         "completed_bot_flow BOOLEAN, bot_flow VARCHAR)")
db.query("INSERT INTO customers VALUES (1, NULL, NULL, NULL, NULL, NULL)")
db.query("INSERT INTO customer_channels VALUES (1, 'sms')")
db.query("INSERT INTO interactions VALUES (1, 1, 'sms', TIMESTAMPTZ '2026-11-20 09:15:00+00', "
         "false, false, false, false, NULL)")
now = "2026-11-28T12:00:00Z"
for rule in ["channel sms and last interaction before 2026-11-20T09:15:01",
             "channel sms and last interaction time between 09:15 and 09:16"]:
    print(segdsl.count(rule, db=db, now=now),
          db.query(segdsl.compile(rule, dialect="duckdb", count=True, now=now))[0][0])
"""


@pytest.mark.engine
def test_regression_duckdb_reads_timestamptz_in_utc() -> None:
    """segdsl's DuckDB connections used the machine's time zone: on a TIMESTAMPTZ
    column an interaction at 09:15 UTC was 14:45 in Asia/Kolkata, so the date and
    time-of-day forms were off by the offset. They are UTC now (SET GLOBAL
    TimeZone, as the PostgreSQL and MySQL connections already were)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TZ": "Asia/Kolkata"}
    out = subprocess.run([sys.executable, "-c", _TZ_SCRIPT], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "1", "1", "1"], out.stdout + out.stderr


def test_duckdb_connections_are_utc(tmp_path) -> None:
    with connect(f"duckdb:///{tmp_path}/x.duckdb") as db:
        assert db.query("SELECT current_setting('TimeZone')") == [("UTC",)]


def test_duckdb_settings_come_from_the_url(tmp_path) -> None:
    url = f"duckdb:///{tmp_path}/x.duckdb?memory_limit=256MB&threads=1"
    with connect(url) as db:
        assert db.query("SELECT current_setting('threads'), current_setting('memory_limit')") == [(1, "244.1 MiB")]
        db.query("CREATE TABLE t (x INTEGER)")
    assert (tmp_path / "x.duckdb").exists()  # the query is not part of the file name
    with pytest.raises(EngineError, match="no_such_setting") as err:
        connect(f"duckdb:///{tmp_path}/x.duckdb?no_such_setting=1")
    assert "\n" not in str(err.value)
    with pytest.raises(EngineError, match="name=value"):
        connect(f"duckdb:///{tmp_path}/x.duckdb?threads")
