"""Regression tests for issue 12 (reliability), one section per item.

Each test failed before its fix. Interrupts and kills: tests/test_interrupts.py;
demo atomicity: tests/test_demo_atomic.py; secrets: tests/test_secrets.py.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.cli import cli
from segdsl.data import demo
from segdsl.data.engines import EngineError, connect
from segdsl.data.records import create_schema, load_records
from segdsl.families.settings import Settings
from tests.engines import EnginePool, backend_params

NOW = "2026-11-28T12:00:00Z"

# --------------------------------------------------------------------------- item 8: DuckDB extensions


def test_duckdb_never_autoloads_extensions(tmp_path: Path) -> None:
    """Before: a DuckDB URL on a SQLite file made DuckDB try to download sqlite_scanner."""
    with connect(f"duckdb:///{tmp_path / 'x.duckdb'}", create=True) as db:
        got = db.query("SELECT current_setting('autoinstall_known_extensions'), "
                       "current_setting('autoload_known_extensions')")
        assert got == [(False, False)]
    sqlite_file = tmp_path / "shop.db"
    demo.populate(f"sqlite:///{sqlite_file}", n=5, now=NOW)
    res = CliRunner().invoke(cli, ["count", "channel sms", "--db", f"duckdb:///{sqlite_file}"])
    assert res.exit_code == 1
    assert res.output.startswith("error: ") and "not a DuckDB database file" in res.output
    assert "install" not in res.output.lower().replace("never installs", "")


# --------------------------------------------------------------------------- item 9: % in mapped names

PERCENT_TOML = """
[schema.customers]
table = "cust%omers"
name = "na%me"
[schema.tags]
table = "ta%gs"
tag = "t%s"
[schema.fields]
key = "k%(x)s"
"""
PERCENT_RECORDS = [
    {"id": 1, "name": "Asha", "channels": ["sms"], "tags": ["vip"], "fields": {"plan": "pro"}},
    {"id": 2, "name": "100%", "channels": ["sms"], "tags": ["VIP", "gold"]},
    {"id": 3, "name": None, "channels": ["whatsapp"], "tags": []},
]
PERCENT_RULES = ['channel sms and tag = "vip"', 'channel sms and name contains "%"',
                 'channel sms and field plan = "pro"', "channel sms and name is unknown"]


@pytest.mark.parametrize("backend", backend_params())
def test_percent_in_mapped_names(backend: str, engine_pool: EnginePool) -> None:
    """Before: a `%` in a mapped table or column name broke every PostgreSQL and MariaDB query
    ("the query has 8 placeholders but 4 parameters")."""
    settings = Settings.from_toml_text(PERCENT_TOML)
    engine = engine_pool.fresh(backend, "percent")
    try:
        create_schema(engine, settings)
        load_records(engine, PERCENT_RECORDS, settings)
        for rule in PERCENT_RULES:
            typed = segdsl.parse(rule, settings)
            expected = [r["id"] for r in PERCENT_RECORDS if segdsl.evaluate(typed, r, now=NOW)]
            assert segdsl.audience(typed, db=engine, now=NOW, settings=settings) == expected, rule
            inline = segdsl.compile(typed, dialect=engine.dialect, now=NOW, settings=settings)
            assert sorted(r[0] for r in engine.query(inline)) == expected, rule
    finally:
        engine.close()


# --------------------------------------------------------------------------- item 11: read-only readers


@pytest.mark.engine
def test_concurrent_readers_on_one_duckdb_file(tmp_path: Path) -> None:
    """Before: of 4 concurrent `segdsl count` on one DuckDB file only one succeeded (each opened
    the file read-write, which DuckDB locks). count, export, explain, why and check all read."""
    url = f"duckdb:///{tmp_path / 'shared.duckdb'}"
    demo.populate(url, n=300, now=NOW)
    rule = 'channel whatsapp and tag = "vip"'
    expected = str(segdsl.count(rule, db=url, now=NOW))
    commands = [["count", rule, "--now", NOW]] * 4 + [["export"]] * 2 + [
        ["explain", rule], ["why", rule, "--customer", "1", "--now", NOW], ["check", rule, "--now", NOW]]
    procs = [subprocess.Popen([sys.executable, "-m", "segdsl.cli", *c, "--db", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err), command in zip(procs, outputs, commands, strict=True):
        assert proc.returncode == 0, (command, err)
        if command[0] == "count":
            assert out.strip() == expected
        elif command[0] == "export":
            assert len(out.splitlines()) == 300
        else:
            assert out.strip(), command


def test_readers_open_read_only(tmp_path: Path) -> None:
    for scheme in ("sqlite", "duckdb"):
        url = f"{scheme}:///{tmp_path / ('ro.' + scheme)}"
        demo.populate(url, n=5, now=NOW)
        with connect(url, read_only=True) as db, pytest.raises(EngineError):
            db.query("DELETE FROM customers")
        assert segdsl.count("channel sms", db=url, now=NOW) >= 0


# --------------------------------------------------------------------------- item 12: JSON number text

NUMBERS = ["1e3", "1.50", "1e23", "-0.0", "7", "1E+2", "0.10", "12345678901234567890123", "9" * 5000]


def test_match_keeps_json_number_text(tmp_path: Path) -> None:
    """Before: `{"n": 1e3}` became "1000.0" (a number), 1.50 became "1.5", 1e23 "1e+23"; a
    5,000-digit integer was an internal error."""
    lines = [f'{{"id": {i}, "channels": ["sms"], "fields": {{"n": {text}}}}}' for i, text in enumerate(NUMBERS, 1)]
    path = tmp_path / "numbers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the same records with the numbers written as JSON strings: what the contract says they stand for
    as_text = [{"id": i, "channels": ["sms"], "fields": {"n": text}} for i, text in enumerate(NUMBERS, 1)]
    rules = ['field n = "1e3"', 'field n = "1.50"', 'field n = "1e23"', "field n > 5", "field n = 1.5",
             "field n < 0.2", 'field n = "1E+2"', "field n = 7", 'field n contains "99999"']
    runner = CliRunner()
    for rule in rules:
        text = f"channel sms and {rule}"
        expected = [r["id"] for r in as_text if segdsl.evaluate(text, r, now=NOW)]
        res = runner.invoke(cli, ["match", text, "--input", str(path), "--now", NOW])
        assert res.exit_code == 0, res.output
        assert [int(x) for x in res.output.split()] == expected, rule
    # --format jsonl gives the records as written
    res = runner.invoke(cli, ["match", 'channel sms and field n = "1.50"', "--input", str(path), "--format", "jsonl"])
    assert res.output == lines[1] + "\n"
    # and the engines store the same text when such records are loaded
    from segdsl.inproc.view import loads_record

    with connect(f"sqlite:///{tmp_path / 'n.db'}", create=True) as db:
        create_schema(db)
        load_records(db, [loads_record(line) for line in lines])
        stored = dict(db.query("SELECT customer_id, field_value FROM customer_fields"))
    assert [stored[i] for i in range(1, len(NUMBERS) + 1)] == NUMBERS


def test_match_deep_json_is_a_clean_error(tmp_path: Path) -> None:
    """Before: RecursionError (an internal error) on a 100,000-deep line."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"id": 1, "fields": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["match", "channel sms", "--input", str(path)])
    assert res.exit_code == 1
    assert res.output == f"error: {path} line 1: JSON nested too deeply\n"


# --------------------------------------------------------------------------- item 13: clean errors

RULE_BYTES = {
    "latin-1": 'channel sms and tag = "café"'.encode("latin-1"),
    "bad-utf8": b'channel sms and tag = "caf\xc3"',
    "utf-16": "channel sms".encode("utf-16"),
}


@pytest.mark.parametrize("encoding", list(RULE_BYTES))
def test_rule_file_not_utf8_is_a_caret_error(encoding: str, tmp_path: Path) -> None:
    """Before: -f FILE with non-UTF-8 bytes was an internal UnicodeDecodeError; stdin gave the caret error."""
    path = tmp_path / "rule.seg"
    path.write_bytes(RULE_BYTES[encoding])
    runner = CliRunner()
    from_file = runner.invoke(cli, ["fmt", "-f", str(path)])
    from_stdin = runner.invoke(cli, ["fmt", "-"], input=RULE_BYTES[encoding])
    assert from_file.exit_code == from_stdin.exit_code == 2
    assert from_file.output == from_stdin.output
    assert "not valid Unicode" in from_file.output and "save the rule as UTF-8" in from_file.output
    assert "^" in from_file.output and "internal error" not in from_file.output


def test_bom_is_skipped_on_stdin_and_files(tmp_path: Path) -> None:
    """Before: a BOM on stdin was `unexpected character U+FEFF`."""
    data = b"\xef\xbb\xbfCHANNEL SMS"
    path = tmp_path / "bom.seg"
    path.write_bytes(data)
    runner = CliRunner()
    assert runner.invoke(cli, ["fmt", "-"], input=data).output == "channel sms\n"
    assert runner.invoke(cli, ["fmt", "-f", str(path)]).output == "channel sms\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"schema = 5\n", "`schema` must be a table"),
        (b'[schema.customers]\ntable = "cu\\u0000st"\n', "control character"),
        ('[schema.customers]\ntable = "caf\xe9"\n'.encode("latin-1"), "not UTF-8"),
        ('[schema.customers]\ntable = "x"\n'.encode("utf-16"), "not UTF-8"),
    ],
    ids=["schema-5", "nul-name", "latin-1", "utf-16"],
)
def test_bad_settings_files_are_clean_errors(content: bytes, message: str, tmp_path: Path) -> None:
    """Before: AttributeError (schema = 5), UnicodeDecodeError, and a NUL sent into the SQL."""
    path = tmp_path / "segdsl.toml"
    path.write_bytes(content)
    for command in (["compile", "channel sms"], ["count", "channel sms", "--db", "sqlite:///:memory:"]):
        res = CliRunner().invoke(cli, [*command, "--schema", str(path)])
        assert res.exit_code == 1, res.output
        assert res.output.startswith("error: ") and message in res.output and res.output.count("\n") == 1


def test_settings_bom_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "segdsl.toml"
    path.write_bytes(b'\xef\xbb\xbf[schema.customers]\ntable = "contacts"\n')
    assert Settings.load(path).schema.customers.table == "contacts"


@pytest.mark.parametrize("now", ["garbage", "yesterday", "2026-13-01", ""])
def test_bad_now_is_a_usage_error(now: str) -> None:
    """Before: exit 1."""
    for command in (["compile", "channel sms"], ["match", "channel sms", "-i", "-"], ["count", "channel sms"]):
        res = CliRunner().invoke(cli, [*command, "--now", now], input="")
        assert res.exit_code == 2, (command, res.output)
        assert res.output.startswith("error: ") and res.output.count("\n") == 1


EARLY = "0001-01-01T00:00:00Z"
EARLY_RULES = ["channel sms and last interaction within 3 days",
               "channel sms and talked with agent within 2 days",
               "channel sms and last interaction more than 5 days ago"]
EARLY_RECORDS = [
    {"id": 1, "channels": ["sms"], "interactions": [{"channel": "sms", "occurred_at": "0001-01-01T00:00:00Z",
                                                     "talked_with_agent": True}]},
    {"id": 2, "channels": ["sms"]},
]


def test_now_at_the_start_of_time() -> None:
    """Before: OverflowError (now - 3 days is before 0001-01-01). Every instant is after that, and none
    is before it."""
    expected = {EARLY_RULES[0]: [1], EARLY_RULES[1]: [1], EARLY_RULES[2]: []}
    for rule in EARLY_RULES:
        assert [r["id"] for r in EARLY_RECORDS if segdsl.evaluate(rule, r, now=EARLY)] == expected[rule]
        for dialect in ("sqlite", "duckdb", "postgres", "mysql"):
            assert "SELECT" in segdsl.compile(rule, dialect=dialect, now=EARLY)
        res = CliRunner().invoke(cli, ["compile", rule, "--now", EARLY])
        assert res.exit_code == 0, res.output


@pytest.mark.parametrize("backend", backend_params())
def test_huge_rule_number_is_refused(backend: str, engine_pool: EnginePool) -> None:
    """Before: a 400-digit number failed on MySQL (`inf can not be used`) and bound inf elsewhere."""
    rule = "channel sms and field n = " + "9" * 400
    with pytest.raises(segdsl.RuleError, match="too large a number") as info:
        segdsl.parse(rule)
    assert info.value.span.start == rule.index("9")
    res = CliRunner().invoke(cli, ["compile", rule])
    assert res.exit_code == 2 and "too large a number" in res.output
    # the largest double still works on every engine
    biggest = "179769313486231570" + "0" * 291
    engine = engine_pool.fresh(backend, "bignum")
    try:
        create_schema(engine)
        records = [{"id": 1, "channels": ["sms"], "fields": {"n": biggest}},
                   {"id": 2, "channels": ["sms"], "fields": {"n": "5"}}]
        load_records(engine, records)
        ok = f"channel sms and field n = {biggest}"
        assert segdsl.audience(ok, db=engine, now=NOW) == [1]
        assert segdsl.audience("channel sms and field n < " + biggest, db=engine, now=NOW) == [2]
    finally:
        engine.close()


# --------------------------------------------------------------------------- item 14: API exceptions

MALFORMED = [
    ([1, 2], "record: expected an object"),
    ({"channels": 5}, "channels: expected a list"),
    ({"channels": ["sms"], "tags": 3}, "tags: expected a list"),
    ({"channels": ["sms"], "fields": [1]}, "fields: expected an object"),
    ({"channels": ["sms"], "carts": ["x"]}, "carts[0]: expected an object"),
    ({"channels": ["sms"], "carts": [{"channel": "sms", "item_count": "3"}]}, "carts[0].item_count"),
    ({"channels": ["sms"], "interactions": [7]}, "interactions[0]: expected an object"),
    ({"channels": ["sms"], "interactions": [{"channel": "sms", "occurred_at": 5}]}, "interactions.occurred_at"),
]
EVERYTHING = ('channel sms and (tag = "vip" or has unpaid cart or field plan = "pro" '
              "or last interaction within 3 days or talked with agent or name is unknown)")


@pytest.mark.parametrize(("record", "path"), MALFORMED, ids=[m[1].split(":")[0] for m in MALFORMED])
def test_malformed_records_raise_record_error(record: Any, path: str) -> None:
    """Before: raw TypeError / AttributeError from evaluate and matcher."""
    from segdsl.inproc.view import RecordError

    with pytest.raises(RecordError, match=path.replace("[", r"\[").replace("]", r"\]")):
        segdsl.evaluate(EVERYTHING, record, now=NOW)


def test_compile_with_dialect_none() -> None:
    """Before: AttributeError."""
    with pytest.raises(TypeError, match="dialect"):
        segdsl.compile("channel sms", dialect=None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- item 15: files


@pytest.mark.parametrize("scheme", ["sqlite", "duckdb"])
def test_a_typo_creates_no_database(scheme: str, tmp_path: Path) -> None:
    """Before: a mistyped SQLite or DuckDB path created an empty database, then failed on it."""
    missing = tmp_path / f"typo.{scheme}"
    url = f"{scheme}:///{missing}"
    for command in (["count", "channel sms"], ["export"]):
        res = CliRunner().invoke(cli, [*command, "--db", url])
        assert res.exit_code == 1 and "no such database file" in res.output, res.output
        assert not missing.exists()
    with pytest.raises(EngineError, match="no such database file"):
        segdsl.count("channel sms", db=url)
    assert not missing.exists()
    # demo alone creates one
    assert CliRunner().invoke(cli, ["demo", "-n", "3", "-q", "--db", url]).exit_code == 0
    assert missing.exists()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_fmt_write_keeps_mode_and_symlink(tmp_path: Path) -> None:
    """Before: fmt -w left the file 0600 and replaced a symlink with a regular file."""
    real = tmp_path / "rules" / "vip.seg"
    real.parent.mkdir()
    real.write_text("CHANNEL SMS  and TAG='vip'\n", encoding="utf-8")
    os.chmod(real, 0o644)
    link = tmp_path / "vip-link.seg"
    link.symlink_to(real)
    res = CliRunner().invoke(cli, ["fmt", "-w", "-f", str(link)])
    assert res.exit_code == 0, res.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8") == 'channel sms and tag is "vip"\n'
    assert _mode(real) == 0o644
    os.chmod(real, 0o640)
    assert CliRunner().invoke(cli, ["fmt", "-w", "-f", str(real)]).exit_code == 0
    assert _mode(real) == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["vip.seg"]  # no temporary file left


def test_export_out_keeps_mode_and_symlink(tmp_path: Path) -> None:
    """Before: export --out made the file 0600 (new or not) and replaced a symlink."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    demo.populate(url, n=4, now=NOW)
    new = tmp_path / "new.jsonl"
    old_umask = os.umask(0o022)
    try:
        assert CliRunner().invoke(cli, ["export", "--db", url, "--out", str(new)]).exit_code == 0
    finally:
        os.umask(old_umask)
    assert _mode(new) == 0o644 and len(new.read_text(encoding="utf-8").splitlines()) == 4
    target = tmp_path / "data" / "customers.jsonl"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o664)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    assert CliRunner().invoke(cli, ["export", "--db", url, "--out", str(link)]).exit_code == 0
    assert link.is_symlink() and _mode(target) == 0o664
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4


# --------------------------------------------------------------------------- SECURITY.md stays true


def test_security_md_names_real_tests() -> None:
    """Every test SECURITY.md names as the proof of a guarantee exists."""
    import re

    root = Path(__file__).resolve().parent.parent
    text = (root / "SECURITY.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/\w+\.py)(?:::(test_\w+))?`", text)
    assert len(named) > 15
    for file, test in named:
        source = (root / file).read_text(encoding="utf-8")
        if test:
            assert f"def {test}(" in source, (file, test)
    for test in re.findall(r", `::(test_\w+)`", text):
        assert any(f"def {test}(" in p.read_text(encoding="utf-8") for p in (root / "tests").glob("*.py")), test


def test_output_to_a_device_is_written_not_replaced(tmp_path: Path) -> None:
    """Before: `export --out /dev/null` (as root) replaced the device with a regular file."""
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    demo.populate(url, n=3, now=NOW)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    res = CliRunner().invoke(cli, ["export", "--db", url, "--out", str(fifo)])
    reader.join(10)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(fifo.stat().st_mode) and len(got[0].splitlines()) == 3
