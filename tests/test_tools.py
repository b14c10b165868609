"""explain, why and check, end to end through the CLI on real engines.

The demo data is made once per backend with `segdsl demo` (SQLite, PostgreSQL, and
for `why` DuckDB and MariaDB too), in a database of this session's own.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.cli import cli
from segdsl.data.engines import EngineError, connect
from tests.engines import MYSQL_URL, PG_URL, _with_db, skip_or_fail

NOW = "2026-11-28T12:00:00Z"
CUSTOMERS = 400
RULES = [
    'channel whatsapp and tag = "vip"',
    "channel whatsapp and gender is female and last interaction within 30 days",
    'channel messenger and (talked with agent or completed bot flow "welcome")',
    "channel sms and not has unpaid cart and field returningUser = true",
    'channel instagram and (name starts with "a" or tag is unknown) and not talked with agent within 60 days',
]


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a subprocess (exit codes and streams as a user sees them)."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "segdsl.cli", *args], capture_output=True, text=True,
                          input=input, env=env, timeout=300)


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """backend -> URL of a database holding CUSTOMERS demo customers (made lazily)."""
    token = f"{os.getpid()}_{secrets.token_hex(3)}"
    tmp = tmp_path_factory.mktemp("tools")
    made: dict[str, str] = {}
    dropped: list[tuple[str, str]] = []

    def url_for(backend: str) -> str:
        if backend in made:
            return made[backend]
        name = f"segdsl_tools_{token}"
        if backend == "sqlite":
            url = f"sqlite:///{tmp / 'tools.db'}"
        elif backend == "duckdb":
            url = f"duckdb:///{tmp / 'tools.duckdb'}"
        else:
            admin_url = PG_URL if backend == "postgres" else MYSQL_URL
            try:
                with connect(admin_url) as admin:
                    if backend == "postgres":
                        admin.conn.autocommit = True
                        admin.query(f'CREATE DATABASE "{name}"')
                    else:
                        admin.query(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            except EngineError as err:
                skip_or_fail(f"{backend} is unreachable: {err}")
            dropped.append((backend, name))
            url = _with_db(admin_url, name)
        result = run("demo", "--customers", str(CUSTOMERS), "--seed", "3", "--db", url, "-q")
        assert result.returncode == 0, result.stderr
        made[backend] = url
        return url

    yield url_for  # type: ignore[misc]
    for backend, name in dropped:
        with connect(PG_URL if backend == "postgres" else MYSQL_URL) as admin:
            if backend == "postgres":
                admin.conn.autocommit = True
                admin.query(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            else:
                admin.query(f"DROP DATABASE IF EXISTS `{name}`")


# ------------------------------------------------------------------ explain


def test_explain_without_a_database_prints_words_ir_and_sql():
    result = run("explain", 'channel whatsapp and tag = "vip" and last interaction within 30 days', "--now", NOW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "In plain words (now = 2026-11-28 12:00:00 UTC)" in out
    assert "2026-10-29 12:00" in out  # the window's start, resolved
    assert "vip" in out and "IR:" in out and "SQL (sqlite):" in out
    assert "Plan" not in out


@pytest.mark.engine
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_explain_with_a_database_shows_the_engine_plan(databases, backend: str):
    url = databases(backend)
    result = run("explain", RULES[1], "--db", url, "--now", NOW, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["dialect"] == ("sqlite" if backend == "sqlite" else "postgres")
    assert data["plan"]["lines"], "the engine printed no plan"
    assert len(data["sentences"]) == 3
    assert data["plan"]["hints"] == []  # the demo schema has its indexes


@pytest.mark.engine
def test_explain_hints_at_a_missing_index_on_sqlite(databases, tmp_path: Path):
    url = databases("sqlite")
    with connect(url) as db:
        db.query("DROP TABLE IF EXISTS tags_copy")
        db.query("CREATE TABLE tags_copy AS SELECT * FROM customer_tags")  # no key, no index
    mapping = tmp_path / "segdsl.toml"
    mapping.write_text('[schema.tags]\ntable = "tags_copy"\n', encoding="utf-8")
    result = run("explain", RULES[0], "--db", url, "--schema", str(mapping), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "`tags_copy` is read whole for every customer: an index on (customer_id, tag)" in result.stdout


@pytest.mark.engine
def test_explain_analyze_runs_on_postgres(databases):
    result = run("explain", RULES[0], "--db", databases("postgres"), "--analyze", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "actual time" in result.stdout


def test_explain_analyze_needs_a_database():
    result = run("explain", RULES[0], "--analyze")
    assert result.returncode == 2
    assert "--analyze needs --db" in result.stderr


# ------------------------------------------------------------------ why


@pytest.mark.engine
@pytest.mark.parametrize("backend", ["sqlite", "duckdb", "postgres", "mysql"])
def test_why_verdict_equals_count_for_every_customer(databases, backend: str):
    """Over the demo data: the verdict of `why` is membership in the audience the engine computes."""
    url = databases(backend)
    from segdsl.why import explain_record, load_record

    with connect(url) as engine:
        for rule in RULES:
            typed = segdsl.parse(rule)
            members = set(segdsl.audience(typed, engine, now=NOW))
            for cid in range(1, CUSTOMERS + 1, 7):
                verdict = explain_record(typed, load_record(engine, cid), NOW).value
                assert verdict == (cid in members), f"{backend}: customer {cid}, rule {rule!r}"


@pytest.mark.engine
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_why_cli_prints_each_condition_and_the_verdict(databases, backend: str):
    url = databases(backend)
    typed = segdsl.parse(RULES[0])
    member = segdsl.audience(typed, url, now=NOW)[0]
    result = run("why", RULES[0], "--customer", str(member), "--db", url, "--now", NOW)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "all of: true"
    assert lines[1].startswith("  channel whatsapp: true (")
    assert lines[2].startswith('  tag is "vip": true (tags: ')
    assert lines[-1].startswith(f"verdict: customer {member} is in the segment")
    data = json.loads(run("why", RULES[0], "--customer", str(member), "--db", url, "--now", NOW,
                          "--format", "json").stdout)
    assert data["verdict"] is True and data["rule"]["children"][1]["value"] is True


def test_why_with_a_record_file(tmp_path: Path):
    record = {"id": 9, "channels": ["whatsapp"], "tags": ["gold", "new"],
              "interactions": [{"channel": "whatsapp", "occurred_at": "2026-09-02T10:14:00Z"}]}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = run("why", 'channel whatsapp and tag = "vip" and last interaction within 30 days', "--record",
                 str(path), "--now", NOW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'tag is "vip": false (tags: gold, new)' in out
    assert "last interaction within 30 days: false (last whatsapp interaction 2026-09-02 10:14 UTC" in out
    assert out.rstrip().endswith("is not in the segment (now = 2026-11-28 12:00:00 UTC)")


def test_why_record_given_json_lines_says_it_takes_one():
    """Before: `why --record export.jsonl` said only "Extra data: line 2 column 1"."""
    lines = '{"id": 1, "channels": ["sms"]}\n{"id": 2, "channels": ["sms"]}\n'
    result = run("why", "channel sms", "--record", "-", input=lines)
    assert result.returncode == 1
    assert "--record takes one record" in result.stderr and "Traceback" not in result.stderr


def test_why_needs_exactly_one_customer():
    assert run("why", RULES[0]).returncode == 2
    result = run("why", RULES[0], "--customer", "1", "--record", "-", input="{}")
    assert result.returncode == 2


@pytest.mark.engine
def test_why_unknown_customer_is_one_line(databases):
    result = run("why", RULES[0], "--customer", "999999", "--db", databases("sqlite"))
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no customer with id 999999"


# ------------------------------------------------------------------ check


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ('channel sms and tag = "a" and tag != "a"', "contradiction"),
        ("channel sms and (gender isn't male or gender isn't female)", "tautology"),
        ("channel sms and last interaction within 7 days and last interaction more than 30 days ago",
         "contradiction"),
        ("channel sms and gender is male and gender is female", "contradiction"),
        ('channel sms and not tag = "a" and tag = "A"', "contradiction"),
        ("channel sms and (name is unknown or name is known)", "tautology"),
    ],
)
def test_check_finds_logic_faults(rule: str, code: str):
    result = run("check", rule, "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    assert [f["code"] for f in findings] == [code]
    assert set(findings[0]) == {"line", "column", "severity", "code", "message", "hint"}


@pytest.mark.parametrize(
    "rule",
    [
        'channel sms and tag = "a" and tag = "b"',  # a customer may have both tags
        "channel sms and last interaction within 30 days and last interaction more than 7 days ago",
        "channel sms and (gender is male or gender is female)",
        "channel sms and (field n < 3 or field n >= 3)",  # not numbers match neither
    ],
)
def test_check_is_quiet_on_satisfiable_rules(rule: str):
    result = run("check", rule)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok: no findings"


def test_check_invalid_rule_exits_2():
    result = run("check", "channel whatsap")
    assert result.returncode == 2
    assert "did you mean `whatsapp`" in result.stderr


@pytest.mark.engine
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_check_against_the_data(databases, backend: str):
    url = databases(backend)
    result = run("check", 'channel whatsapp and tag = "VIPP" and field returninguser = true', "--db", url,
                 "--now", NOW, "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = {f["code"] + ":" + f["message"]: f for f in json.loads(result.stdout)}
    tag = findings["unknown-value:no customer has the tag `VIPP`"]
    assert tag["hint"] == "did you mean `vip`?" or tag["hint"].lower() == "did you mean `vip`?"
    key = findings["unknown-value:no customer has the field key `returninguser`"]
    assert "case-sensitive" in key["hint"] and "returningUser" in key["hint"]
    assert any(k.startswith("empty-audience") for k in findings)
    clean = run("check", 'channel whatsapp and tag = "vip"', "--db", url, "--now", NOW)
    assert clean.returncode == 0, clean.stdout + clean.stderr


@pytest.mark.engine
def test_check_empty_channel(databases):
    url = databases("sqlite")
    result = run("check", 'channel webchat and tag = "vip"', "--db", url, "--now", NOW, "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)]
    with connect(url) as db:
        reachable = db.query("SELECT COUNT(*) FROM customer_channels WHERE lower(channel) = 'webchat'")[0][0]
    assert ("empty-channel" in codes) == (reachable == 0)


def test_check_text_output_has_a_caret():
    result = CliRunner().invoke(cli, ["check", 'channel sms and tag = "a" and tag != "a"'])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("1:17: warning: these conditions exclude each other")
    assert lines[2].strip().startswith("^")
