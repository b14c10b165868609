"""The command line end to end: input handling, exit codes, stderr, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.cli import cli
from segdsl.data.engines import connect
from segdsl.data.records import create_schema, drop_schema, load_records

NOW = "2026-11-28T12:00:00Z"
RECORDS = [
    {
        "id": 42,
        "name": "Asha Rao",
        "phone": "+91 98765-43210",
        "gender": "female",
        "channels": ["whatsapp", "instagram"],
        "tags": ["vip", "Gold"],
        "fields": {"returningUser": "true", "orders": 7},
        "interactions": [
            {"id": 1001, "channel": "whatsapp", "occurred_at": "2026-11-20T09:15:00Z", "talked_with_agent": True,
             "completed_product_flow": False, "completed_collection_flow": False, "completed_bot_flow": True,
             "bot_flow": "Welcome"}
        ],
        "carts": [{"id": 7, "channel": "whatsapp", "item_count": 2, "paid": False,
                   "updated_at": "2026-11-21T18:00:00Z"}],
    },
    {"id": 43, "name": "Zoë Müller", "gender": "FEMALE", "channels": ["WhatsApp"], "tags": ["VIP"]},
    {"id": 44, "name": "Ravi", "gender": "male", "channels": ["sms"], "tags": ["vip"]},
    {"id": 45, "channels": ["whatsapp"], "fields": {"orders": "12abc"}},
]


def run(*args: str, input: str | None = None):  # noqa: A002 - click's own name
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_parse_prints_ir_and_json() -> None:
    res = run("parse", 'channel sms and tag in ("vip", "gold")')
    assert res.exit_code == 0
    assert "Condition  @1:17 tag/tag in values=[string:vip, string:gold]" in res.output
    res = run("parse", "--format", "json", "channel sms")
    data = json.loads(res.output)
    assert data["rule"]["family"] == "channel" and data["rule"]["span"]["column"] == 1


def test_parse_stages() -> None:
    assert "condition" in run("parse", "--stage", "tree", "channel sms").output
    assert "RawCondition" in run("parse", "--stage", "raw", "channel sms and tag = 'x'").output


def test_rule_from_file_and_stdin(tmp_path: Path) -> None:
    f = tmp_path / "r.seg"
    f.write_text("CHANNEL sms AND tag='x'  # comment\n")
    assert run("fmt", "-f", str(f)).output == 'channel sms and tag is "x"\n'
    assert run("fmt", "-", input="channel sms and not tag = 'y'").output == 'channel sms and not tag is "y"\n'


def test_fmt_write_and_check(tmp_path: Path) -> None:
    f = tmp_path / "r.seg"
    f.write_text("channel SMS and tag='x'")
    assert run("fmt", "--check", "-f", str(f)).exit_code == 1
    assert run("fmt", "-w", "-f", str(f)).exit_code == 0
    assert f.read_text() == 'channel sms and tag is "x"\n'
    assert run("fmt", "--check", "-f", str(f)).exit_code == 0


def test_invalid_rule_exits_2_with_caret() -> None:
    res = CliRunner().invoke(cli, ["count", "channel whatsap"])
    assert res.exit_code == 2
    assert res.output.splitlines()[:3] == ["1:9: unknown channel `whatsap`", "  channel whatsap", "          ^^^^^^^"]
    assert "Traceback" not in res.output


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(cli, ["count"]).exit_code == 2
    assert CliRunner().invoke(cli, ["compile", "channel sms", "--dialect", "nosuch"]).exit_code == 2
    assert CliRunner().invoke(cli, ["count", "channel sms", "-f", "/nonexistent.seg"]).exit_code == 2


def test_runtime_failure_exits_1_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["count", "channel sms", "--db", f"sqlite:///{tmp_path}/missing/x.db"])
    assert res.exit_code == 1
    assert res.output.count("\n") == 1 and res.output.startswith("error: ")
    (tmp_path / "empty.db").touch()
    res = CliRunner().invoke(cli, ["count", "channel sms", "--db", f"sqlite:///{tmp_path}/empty.db"])
    assert res.exit_code == 1 and "no such table" in res.output and "segdsl demo" in res.output
    res = CliRunner().invoke(cli, ["count", "channel sms", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert res.exit_code == 1 and res.output.count("\n") == 1


def test_compile_count_and_params() -> None:
    res = run("compile", 'channel sms and tag = "x"', "--count", "--dialect", "postgres", "--now", NOW)
    assert res.exit_code == 0 and res.output.startswith('SELECT COUNT(*) AS "count"')
    res = run("compile", "channel sms and tag = \"it's\"", "--params", "--dialect", "mysql")
    assert "%s" in res.output and "it's" not in res.output.splitlines()[0]
    assert json.loads(res.output.splitlines()[1].split(": ", 1)[1]) == ["sms", "it's"]


def test_compile_expression_stage() -> None:
    assert "Exists(" in run("compile", "--stage", "expression", "channel sms").output


def test_dialects_and_plugins_listed() -> None:
    out = run("dialects").output
    for name in ("sqlite", "duckdb", "postgres", "mysql", "spark", "trino", "bigquery", "snowflake"):
        assert name in out
    out = run("plugins").output
    for family in ("channel", "tag", "personal", "field", "last_interaction", "interaction_flag", "unpaid_cart"):
        assert family in out


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "customers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


def test_match_prints_ids_and_records(tmp_path: Path) -> None:
    path = _jsonl(tmp_path)
    res = run("match", 'channel whatsapp and tag = "vip" and gender is female', "--input", str(path), "--now", NOW)
    assert res.output.split() == ["42", "43"]
    res = run("match", "channel sms", "--input", str(path), "--format", "jsonl")
    assert [json.loads(line)["name"] for line in res.output.splitlines()] == ["Ravi"]
    res = run("match", "channel whatsapp and field orders > 3", "--input", "-", input=path.read_text())
    assert res.output.split() == ["42"]


def test_match_malformed_line_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "channels": ["sms"]}\n\n{"id": 2,\n')
    res = CliRunner().invoke(cli, ["match", "channel sms", "--input", str(path)])
    assert res.exit_code == 1
    assert "line 3" in res.output and "not valid JSON" in res.output
    path.write_text('{"id": 1, "channels": ["sms"], "interactions": [{"channel": "sms", "occurred_at": "soon"}]}\n')
    res = CliRunner().invoke(cli, ["match", "channel sms and last interaction within 3 days", "--input", str(path)])
    assert res.exit_code == 1 and "line 1" in res.output and "occurred_at" in res.output


def test_export_then_match_equals_count(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shop.db"
    with connect(url, create=True) as db:
        drop_schema(db)
        create_schema(db)
        load_records(db, RECORDS)
    out = tmp_path / "export.jsonl"
    res = CliRunner().invoke(cli, ["export", "--db", url, "--out", str(out)])
    assert res.exit_code == 0, res.output
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in exported] == [42, 43, 44, 45]
    # a missing folder is named as the user wrote it (before: the temporary file's name)
    res = CliRunner().invoke(cli, ["export", "--db", url, "--out", str(tmp_path / "nope" / "x.jsonl")])
    assert res.exit_code == 1 and f"the folder does not exist: {tmp_path / 'nope'}" in res.output, res.output
    assert exported[0]["fields"] == {"orders": "7", "returningUser": "true"}
    for rule in (
        'channel whatsapp and tag = "vip"',
        "channel whatsapp and has unpaid cart",
        "channel whatsapp and field orders >= 7",
        "channel whatsapp and last interaction within 10 days and completed bot flow \"welcome\"",
    ):
        n = int(run("count", rule, "--db", url, "--now", NOW).output)
        matched = run("match", rule, "--input", str(out), "--now", NOW).output.split()
        assert n == len(matched) == sum(segdsl.evaluate(rule, r, now=NOW) for r in RECORDS), rule
    # --format json: the number and the instant it is as of, indented as every other read command's JSON
    res = run("count", "channel whatsapp", "--db", url, "--now", "2026-11-20T08:30:00", "--format", "json")
    expected = sum(segdsl.evaluate("channel whatsapp", r, now="2026-11-20T08:30:00") for r in RECORDS)
    assert json.loads(res.output) == {"count": expected, "as_of": "2026-11-20T08:30:00Z"}
    assert res.output.startswith("{\n  ")


def test_console_script_never_prints_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, SEGDSL_DB=f"sqlite:///{tmp_path}/none.db")
    proc = subprocess.run(
        [sys.executable, "-m", "segdsl.cli", "count", "channel sms and ("],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("1:")


@pytest.mark.parametrize("args", [["--help"], ["count", "--help"], ["match", "--help"], ["demo", "--help"]])
def test_help_teaches(args: list[str]) -> None:
    res = run(*args)
    assert res.exit_code == 0 and ("Example" in res.output or "Start here" in res.output)
