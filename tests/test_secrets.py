"""No password in any message (issue 12, item 7).

Every command that takes ``--db`` runs with URLs that carry a secret in the
user-info part or in the query string, against reachable and unreachable
servers; the secret must appear in neither stdout nor stderr, raw or
percent-encoded. Before the fix ``segdsl demo`` printed the whole URL on
success, and a ``?password=`` was echoed in errors.
"""

from __future__ import annotations

import secrets
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from segdsl.cli import cli
from segdsl.data.engines import EngineError, connect
from segdsl.data.urls import redact_url, scrub
from tests.engines import MYSQL_URL, PG_URL, skip_or_fail

SECRET = "S3cr3t/p@ss:w0rd"
QUOTED = urllib.parse.quote(SECRET, safe="")


def _pg(path: str = "/segdsl_test", netloc: str | None = None, query: str = "") -> str:
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(path=path, netloc=netloc or parts.netloc, query=query))


def _with_password(url: str, user: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:{QUOTED}@{parts.hostname}:{parts.port}"))


def _leaks(text: str) -> bool:
    return any(s in text for s in (SECRET, QUOTED, urllib.parse.quote_plus(SECRET)))


def failing_urls(tmp_path: Path) -> list[str]:
    return [
        _with_password(_pg("/segdsl_no_such_database"), "postgres"),
        _pg(netloc="postgres@127.0.0.1:1", query=f"password={QUOTED}"),
        _pg(query=f"password={QUOTED}&sslmode=bogus"),
        _pg(query=f"sslpassword={QUOTED}&sslmode=bogus"),
        _with_password(MYSQL_URL, "segdsl_no_such_user"),
        f"mysql://root:{QUOTED}@127.0.0.1:1/x",
        f"sqlite:///{tmp_path}/missing/x.db?password={QUOTED}",
        f"duckdb:///{tmp_path}/missing/x.duckdb?token={QUOTED}",
        f"oracle://scott:{QUOTED}@db/x",
        f"postgresql://a:{QUOTED}@[bad",
    ]


COMMANDS = [["count", "channel sms"], ["export"], ["demo", "-n", "5", "-q"], ["segments", "list"],
            ["broadcasts", "list"], ["count", "--segment", "vip"], ["store", "status"]]


@pytest.mark.engine
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_command_prints_a_password(command: list[str], tmp_path: Path) -> None:
    runner = CliRunner()
    for url in failing_urls(tmp_path):
        res = runner.invoke(cli, [*command, "--db", url])
        assert not _leaks(res.output), (url, res.output)
        if command[0] == "store" and res.exit_code == 0:  # `store status` reports an unreachable store
            continue
        assert res.exit_code in (1, 2), (url, res.output)
        assert res.output.startswith("error: ") and res.output.count("\n") == 1, res.output


@pytest.mark.engine
@pytest.mark.parametrize("command", [c for c in COMMANDS if c[0] in ("segments", "broadcasts", "store")
                                     or "--segment" in c], ids=lambda c: c[0])
def test_no_store_command_prints_a_password(command: list[str], tmp_path: Path) -> None:
    """--store URL: the store's own messages (SQLAlchemy) show no password either."""
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'shop.db'}"
    for url in failing_urls(tmp_path):
        res = runner.invoke(cli, [*command, "--db", db, "--store", url])
        assert not _leaks(res.output), (url, res.output)
        if res.exit_code != 0:
            assert res.output.startswith("error: ") and res.output.count("\n") == 1, res.output


@pytest.mark.engine
def test_demo_success_does_not_print_the_password() -> None:
    """The test servers trust local connections: a password in the URL is accepted and ignored."""
    name = f"segdsl_test_secret_{secrets.token_hex(3)}"
    try:
        admin = connect(PG_URL)
    except EngineError as err:
        skip_or_fail(f"postgres is unreachable: {err}")
        raise
    admin.conn.autocommit = True
    admin.query(f'CREATE DATABASE "{name}"')
    try:
        url = _with_password(_pg("/" + name), "postgres")
        runner = CliRunner()
        for command in (["demo", "-n", "20", "-q"], ["count", "channel sms"], ["export"]):
            res = runner.invoke(cli, [*command, "--db", url + f"?application_name=x&password={QUOTED}"])
            assert res.exit_code == 0, res.output
            assert not _leaks(res.output), res.output
        assert "postgres:***@" in runner.invoke(cli, ["demo", "-n", "5", "-q", "--db", url]).output
    finally:
        admin.query(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_redact_url_and_scrub() -> None:
    url = f"postgresql://ana:{QUOTED}@db:5432/shop?sslmode=require&password={QUOTED}&api_token=t0k"
    shown = redact_url(url)
    assert not _leaks(shown) and "t0k" not in shown
    assert shown.startswith("postgresql://ana:***@db:5432/shop?") and "sslmode=require" in shown
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"
    assert redact_url("duckdb:///:memory:") == "duckdb:///:memory:"
    assert redact_url("segdsl.db") == "segdsl.db"  # a bare file name where a URL belongs: shown
    assert redact_url(f"{QUOTED}@host") == "***"
    assert not _leaks(redact_url(f"postgresql://a:{QUOTED}@[bad"))  # unparseable: no URL shown
    assert scrub(f"error near {SECRET} and {QUOTED}", url) == "error near *** and ***"


def test_engine_repr_hides_the_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/x.db?password={QUOTED}"
    Path(tmp_path / "x.db").touch()
    with connect(url) as db:
        assert not _leaks(repr(db)) and not _leaks(db.display_url)
