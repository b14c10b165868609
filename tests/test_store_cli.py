"""The store's command line (LANGUAGE.md section 5) end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import segdsl
from segdsl.cli import cli
from tests.engines import backend_params
from tests.storedb import load, people

VIP = 'channel whatsapp and tag = "vip"'
WIDER = 'channel whatsapp and (tag = "vip" or tag = "gold")'


def run(url: str, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, [*args], env={"SEGDSL_DB": url}, catch_exceptions=False)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres")), indirect=True)
def test_cli_workflow(backend_db: str) -> None:
    url = backend_db
    load(url, people(40))
    assert run(url, "segments", "create", VIP).stdout == "Segment #1\n"
    assert run(url, "segments", "create", "channel whatsapp", "--name", " Everyone ").stdout == "Everyone\n"
    dup = run(url, "segments", "create", VIP, "--name", "EVERYONE", code=1)
    assert dup.stderr.startswith("error:") and dup.stderr.count("\n") == 1
    bad = run(url, "segments", "create", "channel whatsapp and tag =", code=2)
    assert "^" in bad.stderr and bad.stderr.startswith("1:")

    vip = segdsl.audience(VIP, db=url)
    assert run(url, "count", "--segment", "segment #1").stdout == f"{len(vip)}\n"
    counted = json.loads(run(url, "count", "--segment", "Segment #1", "--format", "json").stdout)
    assert counted["count"] == len(vip) and counted["version"] == 1 and counted["as_of"].endswith("Z")
    listed = json.loads(run(url, "segments", "list", "--format", "json").stdout)
    assert [(s["name"], s["version"], s["count"]) for s in listed] == [("Segment #1", 1, len(vip)),
                                                                       ("Everyone", 1, None)]
    assert "Segment #1" in run(url, "segments", "list").stdout

    sent = run(url, "broadcasts", "send", "--segment", "Segment #1", "--name", "Promo", "--message", "hi")
    assert [int(x) for x in sent.stdout.split()] == vip

    load(url, people(1, start=3000), create=False)  # a new vip customer arrives
    edit = run(url, "segments", "edit", "Segment #1", "--rule", WIDER)
    assert "version 2" in edit.stdout and "Promo" in edit.stdout
    wider = set(segdsl.audience(WIDER, db=url))
    dry = json.loads(run(url, "resend", "--dry-run", "--format", "json").stdout)
    assert [(d["broadcast"], d["total"], d["new"], d["gone"]) for d in dry] == [
        ("Promo", len(wider), len(wider - set(vip)), 0)]
    assert "no longer matching 0" in run(url, "resend", "--dry-run").stdout
    again = run(url, "resend", "--only-new")
    assert sorted(int(x) for x in again.stdout.split()) == sorted(wider - set(vip))
    assert run(url, "resend").stdout == ""  # nothing pending any more

    shown = json.loads(run(url, "broadcasts", "show", "promo", "--format", "json").stdout)
    assert [(r["number"], r["planned"], r["sent"], r["pending"]) for r in shown["runs"]] == [
        (1, len(vip), len(vip), 0), (2, len(wider - set(vip)), len(wider - set(vip)), 0)]
    assert shown["rule"] == VIP and shown["message"] == "hi"
    assert "PENDING" in run(url, "broadcasts", "show", "Promo").stdout
    assert json.loads(run(url, "broadcasts", "list", "--format", "json").stdout)[0]["name"] == "Promo"
    versions = json.loads(run(url, "segments", "show", "segment #1", "--format", "json").stdout)["versions"]
    assert [v["rule"] for v in versions] == [VIP, WIDER]

    run(url, "segments", "edit", "Segment #1", "--rule", VIP)
    refused = run(url, "segments", "delete", "Segment #1", code=1)
    assert "--force" in refused.stderr
    assert run(url, "segments", "delete", "Segment #1", "--force").stdout == "deleted Segment #1\n"
    assert run(url, "segments", "create", "channel whatsapp").stdout == "Segment #2\n"
    missing = run(url, "segments", "show", "Segment #1", code=1)
    assert missing.stderr.startswith("error: no segment named") and missing.stderr.count("\n") == 1
    assert json.loads(run(url, "store", "status", "--format", "json").stdout)["up_to_date"] is True
    assert "already up to date" in run(url, "store", "upgrade").stdout


def test_cli_usage_errors_and_out_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(9))
    run(url, "segments", "create", VIP, "--name", "S")
    assert run(url, "segments", "edit", "S", code=2).stderr.startswith("Usage:")
    assert run(url, "segments", "create", VIP, "--name", "   ", code=2).stderr.startswith("error:")
    assert run(url, "resend", "--format", "json", code=2).stderr.startswith("Usage:")
    out = tmp_path / "out.jsonl"
    run(url, "broadcasts", "send", "--segment", "S", "--format", "jsonl", "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [x["customer_id"] for x in lines] == [3, 6, 9] and lines[0]["idempotency_key"].endswith(":3")
    store = tmp_path / "store.db"
    run(url, "segments", "create", VIP, "--name", "T", "--store", f"sqlite:///{store}")
    assert run(url, "count", "--segment", "T", "--store", f"sqlite:///{store}").stdout == "3\n"


class _Hook(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict[str, Any]]] = []
    fail_first = True

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if _Hook.fail_first:
            _Hook.fail_first = False
            self.send_response(503)
            self.end_headers()
            return
        _Hook.seen.append((self.headers["Idempotency-Key"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_webhook_deliverer_posts_batches_with_idempotency_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(30))
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        run(url, "segments", "create", VIP, "--name", "S")
        hook = f"http://127.0.0.1:{server.server_port}/send"
        result = run(url, "broadcasts", "send", "--segment", "S", "--message", "hello", "--webhook", hook,
                     "--batch-size", "4")
    finally:
        server.shutdown()
    assert result.stdout == ""
    assert [len(b["deliveries"]) for _, b in _Hook.seen] == [4, 4, 2]  # the 503 was retried
    ids = [d["customer_id"] for _, b in _Hook.seen for d in b["deliveries"]]
    assert ids == segdsl.audience(VIP, db=url)
    keys = [k for k, _ in _Hook.seen]
    assert len(set(keys)) == 3 and all(k.startswith("segdsl-") for k in keys)
    first = _Hook.seen[0][1]
    assert first["broadcast"]["message"] == "hello" and first["deliveries"][0]["idempotency_key"].endswith(":3")


@pytest.mark.parametrize("scheme", ["sqlite", "duckdb"])
def test_store_in_a_missing_database_file_is_refused(tmp_path: Path, scheme: str) -> None:
    """Before: `segments list --db sqlite:///typo.db` made typo.db with the store's tables and said
    "no segments yet"; `segments create` saved into it. A separate --store may be new."""
    missing = tmp_path / f"typo.{scheme}"
    url = f"{scheme}:///{missing}"
    for args in (["segments", "list"], ["segments", "create", "channel sms"], ["broadcasts", "list"]):
        err = run(url, *args, code=1).stderr
        assert "no such database file" in err, err
        assert not missing.exists()
    store = tmp_path / "store.db"
    listed = run(url, "segments", "list", "--store", f"sqlite:///{store}")
    assert "no segments yet" in listed.stdout + listed.stderr
    assert store.exists()


def test_the_cli_closes_duckdbs_default_connection_after_opening_a_duckdb_store(tmp_path: Path) -> None:
    """duckdb-engine reads DuckDB's reserved words through DuckDB's default in-memory connection; the
    CLI closes it (its memory counts in a send's peak), and DuckDB opens a new one when asked."""
    import duckdb

    from segdsl.cli_store import open_store

    url = f"duckdb:///{tmp_path / 'shop.duckdb'}"
    load(url, people(10))
    before = duckdb.default_connection()
    assert before.execute("SELECT 1").fetchall() == [(1,)]
    with open_store(url, None, None) as store:
        store.create_segment('channel whatsapp and tag = "vip"', name="S")
        assert store.count("S").count == segdsl.count('channel whatsapp and tag = "vip"', db=url)
    with pytest.raises(duckdb.ConnectionException):
        before.execute("SELECT 1")
    assert duckdb.default_connection().execute("SELECT 2").fetchall() == [(2,)]
