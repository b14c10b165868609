"""Regressions for what a fresh-eyes trial of saved segments and broadcasts found, one test per kind.

Through the command line (CliRunner) on SQLite, and PostgreSQL where the engine matters
(connection failures, migrations, the recorded deliverer). Migration 0002 on all four engines.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

import segdsl
from segdsl.cli import cli
from segdsl.data.urls import redact_url as redact_db_url
from segdsl.store import BroadcastNotFound, Deliverer, DelivererNeeded, Store, database, migrate
from segdsl.store.models import broadcasts, runs
from segdsl.store.urls import redact_http_url, scrub
from tests.engines import PG_URL, _with_db, backend_params
from tests.storedb import load, people

VIP = 'channel whatsapp and tag = "vip"'
WIDER = 'channel whatsapp and (tag = "vip" or tag = "gold")'
SECRET_PW, SECRET_TOKEN = "hunter2", "abcd1234token"


def run(url: str, *args: str, code: int = 0, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(cli, [*args], env={"SEGDSL_DB": url, **(env or {})}, catch_exceptions=False)
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def one_error(result: Any) -> str:
    """The single `error: …` line a failing command printed."""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def with_password(url: str, password: str) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def ids(text: str) -> list[int]:
    return [int(x) for x in text.split()]


class Endpoint:
    """A local HTTP endpoint that records POSTed batches; ``refuse`` POSTs get a 400 answer."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        self.refuse: set[int] = set()  # 0-based numbers of the POSTs to refuse
        self.calls = 0
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                number, endpoint.calls = endpoint.calls, endpoint.calls + 1
                if number in endpoint.refuse:
                    self.send_response(400)
                else:
                    endpoint.posts.append(body)
                    endpoint.auth.append(self.headers.get("Authorization"))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"

    def __enter__(self) -> Endpoint:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def ids(self, run_id: int | None = None) -> list[int]:
        return [d["customer_id"] for p in self.posts if run_id in (None, p["run"]["id"]) for d in p["deliveries"]]


def stored_text(url: str) -> str:
    """Every value of the store's broadcasts and runs tables, as one text (to look for secrets)."""
    with Store(url) as store, store.engine.connect() as conn:
        rows = [*conn.execute(sa.select(broadcasts)).all(), *conn.execute(sa.select(runs)).all()]
    return " ".join(str(v) for row in rows for v in row)


# ------------------------------------------------------------------ 1, 6: unreachable databases


UNREACHABLE = {
    "refused port": "postgresql://postgres:hunter2@127.0.0.1:1/shop",
    "unknown host": "postgresql://postgres:hunter2@no-such-host.invalid:5432/shop",
    "missing folder": "sqlite:///{tmp}/no/such/folder/shop.db",
}


def _assert_cannot_open(url: str, tmp_path: Path) -> None:
    shown = redact_db_url(url)
    for args in (["store", "status"], ["store", "status", "--format", "json"], ["store", "upgrade"],
                 ["segments", "list"], ["broadcasts", "list"], ["resend"]):
        line = one_error(run(url, *args, code=1))
        assert line.startswith(f"error: cannot open {shown}: "), (args, line)
        assert SECRET_PW not in line and "+psycopg" not in line and "revision" not in line
    assert list(tmp_path.iterdir()) == []  # nothing created on the way


@pytest.mark.parametrize("case", sorted(UNREACHABLE))
def test_store_commands_fail_on_an_unreachable_database_naming_the_masked_url(case: str, tmp_path: Path) -> None:
    url = UNREACHABLE[case].format(tmp=tmp_path)
    _assert_cannot_open(url, tmp_path)
    if case == "missing folder":
        assert "the folder" in one_error(run(url, "store", "status", code=1))


@pytest.mark.parametrize("backend_db", backend_params(("postgres",)), indirect=True)
def test_store_status_of_a_missing_postgresql_database_fails(backend_db: str, tmp_path: Path) -> None:
    # the server is there (backend_db made a database on it); this one does not exist
    url = with_password(_with_db(PG_URL, f"store3_missing_{os.getpid()}"), SECRET_PW)
    _assert_cannot_open(url, tmp_path)
    assert "does not exist" in one_error(run(url, "store", "status", code=1))
    # a reachable database with a password in its URL: status works and masks it
    good = with_password(backend_db, SECRET_PW)
    status = json.loads(run(good, "store", "status", "--format", "json").stdout)
    assert status == {"url": redact_db_url(good), "current": None, "head": database.HEAD, "up_to_date": False}
    assert ":***@" in status["url"] and status["url"].startswith("postgresql://")
    run(good, "store", "upgrade")
    text = run(good, "store", "status").stdout
    assert text.startswith(redact_db_url(good) + ":") and "up to date" in text


def test_store_status_of_a_sqlite_file_not_made_yet_creates_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'later.db'}"
    assert "revision none" in run(url, "store", "status").stdout
    assert not (tmp_path / "later.db").exists()


# ------------------------------------------------------------------ 2: the recorded deliverer


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres")), indirect=True)
def test_resend_goes_through_the_deliverer_the_broadcast_was_sent_with(backend_db: str, tmp_path: Path) -> None:
    url = backend_db
    load(url, people(60))
    vip = segdsl.audience(VIP, db=url)
    run(url, "segments", "create", VIP, "--name", "S")
    with Endpoint() as hook:
        # a webhook without secrets fails on its second batch: the run stays unfinished
        hook.refuse = {1}
        failed = run(url, "broadcasts", "send", "--segment", "S", "--name", "Hooked", "--webhook", hook.url,
                     "--batch-size", "5", code=1)
        assert "answered 400" in failed.stderr and failed.stdout == ""
        resumed = run(url, "resend", "Hooked", "--batch-size", "5")  # no deliverer named: the recorded one
        assert resumed.stdout == "" and "run 1 resumed" in resumed.stderr
        assert sorted(hook.ids()) == vip
        shown = json.loads(run(url, "broadcasts", "show", "Hooked", "--format", "json").stdout)
        assert shown["deliverer"] == f"webhook {hook.url}"

        # an edit, then a plain `resend`: the new run goes to the webhook too, not to stdout
        load(url, people(1, start=3000), create=False)
        run(url, "segments", "edit", "S", "--rule", WIDER)
        again = run(url, "resend")
        assert again.stdout == "" and "run 2 sent" in again.stderr
        run2 = shown["runs"][0]["id"] + 1
        assert sorted(hook.ids(run2)) == segdsl.audience(WIDER, db=url)

        # a webhook with credentials: sent, but the store keeps no secret
        secret_url = f"http://ana:{SECRET_PW}@127.0.0.1:{hook.server.server_port}/send?token={SECRET_TOKEN}&list=a"
        run(url, "broadcasts", "send", "--segment", "S", "--name", "Secret", "--webhook", secret_url)
        assert hook.auth[-1] is not None and hook.auth[-1].startswith("Basic ")  # the password was used
        text = stored_text(url)
        assert SECRET_PW not in text and SECRET_TOKEN not in text
        masked = redact_http_url(secret_url)
        assert masked == f"http://ana:***@127.0.0.1:{hook.server.server_port}/send?token=***&list=***"
        assert f"deliverer: webhook {masked}" in run(url, "broadcasts", "show", "Secret").stdout

        run(url, "segments", "edit", "S", "--rule", VIP)
        before = len(hook.posts)
        needed = one_error(run(url, "resend", "Secret", code=2))
        assert "`Secret`" in needed and masked in needed and "--webhook URL" in needed
        assert SECRET_PW not in needed
        one_error(run(url, "resend", code=2))  # plain resend: settled before anything is sent
        assert len(hook.posts) == before
        assert len(json.loads(run(url, "broadcasts", "show", "Hooked", "--format", "json").stdout)["runs"]) == 2
        same = run(url, "resend", "Secret", "--webhook", secret_url)
        assert "instead of" not in same.stderr and "run 2 sent" in same.stderr and same.stdout == ""

        # an explicit other deliverer is used, said, and recorded for the next resend
        switched = run(url, "resend", "Hooked", "--out", "-")
        assert ids(switched.stdout) == segdsl.audience(VIP, db=url)
        assert f"instead of the recorded webhook {hook.url}" in switched.stderr
        assert json.loads(run(url, "broadcasts", "show", "Hooked", "--format", "json").stdout)["deliverer"] == \
            "print to stdout"


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres")), indirect=True)
def test_resend_reuses_via_and_the_printers_file(backend_db: str, tmp_path: Path) -> None:
    url, log, out = backend_db, tmp_path / "log.txt", tmp_path / "out.jsonl"
    load(url, people(30))
    env = {"STORE_TEST_LOG": str(log)}
    run(url, "segments", "create", VIP, "--name", "S")
    run(url, "broadcasts", "send", "--segment", "S", "--name", "Via", "--via", "tests.store_slow:Slow", env=env)
    run(url, "broadcasts", "send", "--segment", "S", "--name", "File", "--out", str(out), "--format", "jsonl")
    first = out.read_text().splitlines()
    run(url, "segments", "edit", "S", "--rule", WIDER)
    again = run(url, "resend", "--only-new", env=env)
    assert again.stdout == "" and again.stderr.count("sent, delivered to") == 2
    new = sorted(set(segdsl.audience(WIDER, db=url)) - set(segdsl.audience(VIP, db=url)))
    logged = [line.split(" ") for line in log.read_text().splitlines()]
    assert sorted(int(c) for _, _, batch in logged[1:] for c in batch.split(",")) == new
    appended = [json.loads(line) for line in out.read_text().splitlines()[len(first):]]
    assert [x["customer_id"] for x in appended] == new and appended[0]["run"] == 2  # jsonl, to the same file


def test_an_object_deliverer_must_be_given_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(12))

    class Keep:
        def __init__(self) -> None:
            self.ids: list[int] = []

        @segdsl.families.hookspecs.hookimpl  # type: ignore[attr-defined]
        def segdsl_deliver(self, broadcast, run, batch):  # noqa: ANN001
            self.ids.extend(d.customer_id for d in batch)

    with Store(url) as store:
        store.create_segment(VIP, name="S")
        store.send("S", name="B", deliverer=Keep())
        store.edit_segment("S", rule=WIDER)
        with pytest.raises(DelivererNeeded, match="Keep"):
            store.resend("B")
        assert len(store.broadcast("B").runs) == 1
        keep = Keep()
        (out,) = store.resend("B", deliverer=keep)
        assert out.replaced is None and sorted(keep.ids) == segdsl.audience(WIDER, db=url)
        got = Deliverer.printer(tmp_path / "ids.txt")
        (out,) = store.resend("B", deliverer=got)
        assert out.replaced and "Keep" in out.replaced and out.deliverer == f"print to {tmp_path / 'ids.txt'}"
        assert store.broadcast("B").deliverer == out.deliverer
        with pytest.raises(BroadcastNotFound):
            store.resend("nope", deliverer=got)


# ------------------------------------------------------------------ 3: a bad deliverer records nothing


BAD = [
    (["--webhook", "notaurl"], "error: --webhook notaurl is not an http(s) URL"),
    (["--webhook", "ftp://x/y"], "error: --webhook ftp://x/y is not an http(s) URL"),
    (["--webhook", f"ftp://ana:{SECRET_PW}@x/y?token={SECRET_TOKEN}"],
     "error: --webhook ftp://ana:***@x/y?token=*** is not an http(s) URL"),
    (["--via", "os:path"], "error: --via os:path is not a deliverer: "),
    (["--via", "json:dumps"], "error: --via json:dumps is not a deliverer: "),
    (["--via", "no_such_plugin"], "error: --via no_such_plugin is not a deliverer: no plugin"),
    (["--via", "no_such_module:x"], "error: --via no_such_module:x is not a deliverer: cannot import"),
    (["--via", "tests.store_slow:Nope"], "error: --via tests.store_slow:Nope is not a deliverer: "),
    (["--out", "{tmp}/no/such/folder/ids.txt"], "error: --out {tmp}/no/such/folder/ids.txt: the folder"),
]


def test_a_bad_deliverer_is_refused_before_anything_is_recorded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(12))
    run(url, "segments", "create", VIP, "--name", "S")
    for args, start in BAD:
        args = [a.format(tmp=tmp_path) for a in args]
        line = one_error(run(url, "broadcasts", "send", "--segment", "S", *args, code=2))
        assert line.startswith(start.format(tmp=tmp_path)), line
        assert SECRET_PW not in line and SECRET_TOKEN not in line
    assert json.loads(run(url, "broadcasts", "list", "--format", "json").stdout) == []
    assert "nothing to resend" in run(url, "resend").stderr
    # the first broadcast is still Broadcast #1: no number was used up
    run(url, "broadcasts", "send", "--segment", "S", "--out", str(tmp_path / "ids.txt"))
    run(url, "segments", "edit", "S", "--rule", WIDER)
    for args, start in BAD[:4]:
        line = one_error(run(url, "resend", "Broadcast #1", *args, code=2))
        assert line.startswith(start)
    shown = json.loads(run(url, "broadcasts", "show", "Broadcast #1", "--format", "json").stdout)
    assert len(shown["runs"]) == 1 and shown["pending_resend"]
    assert shown["deliverer"] == f"print to {tmp_path / 'ids.txt'}"
    assert run(url, "broadcasts", "send", "--segment", "S", "--webhook", "http://h/x", "--format", "jsonl",
               code=2).stderr.startswith("Usage:")


# ------------------------------------------------------------------ 4: cosmetic edits


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres")), indirect=True)
def test_an_edit_that_only_respells_the_rule_is_no_new_version(backend_db: str) -> None:
    url = backend_db
    load(url, people(12))
    run(url, "segments", "create", VIP, "--name", "S")
    run(url, "broadcasts", "send", "--segment", "S", "--name", "B")
    for spelling in ('CHANNEL WhatsApp   AND tag is "vip"', 'channel whatsapp\n  and tag = "vip"\n'):
        edit = run(url, "segments", "edit", "S", "--rule", spelling)
        assert edit.stdout == "S: version 1 (rule unchanged)\n"
    shown = json.loads(run(url, "segments", "show", "S", "--format", "json").stdout)
    assert [v["rule"] for v in shown["versions"]] == [VIP]
    assert not json.loads(run(url, "broadcasts", "show", "B", "--format", "json").stdout)["pending_resend"]
    assert "nothing to resend" in run(url, "resend").stderr
    real = run(url, "segments", "edit", "S", "--rule", 'channel whatsapp and tag = "VIP"')  # a real change
    assert real.stdout.startswith("S: version 2\n") and "pending a resend: B" in real.stdout


# ------------------------------------------------------------------ 5: webhook messages


def test_webhook_errors_never_print_credentials(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(12))
    run(url, "segments", "create", VIP, "--name", "S")
    with Endpoint() as hook:
        hook.refuse = {0}
        port = hook.server.server_port
        secret = f"http://ana:{SECRET_PW}@127.0.0.1:{port}/send?token={SECRET_TOKEN}"
        line = one_error(run(url, "broadcasts", "send", "--segment", "S", "--webhook", secret, code=1))
    assert f"http://ana:***@127.0.0.1:{port}/send?token=*** answered 400" in line
    closed = f"http://ana:{SECRET_PW}@127.0.0.1:{port}/send?token={SECRET_TOKEN}"  # the server is gone now
    line = one_error(run(url, "resend", "Broadcast #1", "--webhook", closed, code=1))
    assert f"http://ana:***@127.0.0.1:{port}/send?token=***:" in line
    for text in (line, run(url, "broadcasts", "show", "Broadcast #1").stdout,
                 run(url, "broadcasts", "list", "--format", "json").stdout):
        assert SECRET_PW not in text and SECRET_TOKEN not in text


def test_url_redaction() -> None:
    assert redact_http_url("https://hooks.example/send") == "https://hooks.example/send"
    assert redact_http_url("https://u%40x:p%3Aw@h:8443/a?k=v&k=w&flag=") == "https://u%40x:***@h:8443/a?k=***&k=***&flag="
    assert redact_http_url("http://user@h/x?") == "http://user@h/x?"
    assert scrub("failed for hunter2 at http://a:hunter2@h/x?t=tok123", "http://a:hunter2@h/x?t=tok123") == \
        "failed for *** at http://a:***@h/x?t=***"
    assert scrub("port 1 refused", "http://h:1/x?n=1") == "port 1 refused"  # short values stay
    assert redact_db_url("postgresql://ana:s3cret@db/shop?sslpassword=k3y") == \
        "postgresql://ana:***@db/shop?sslpassword=***"
    assert redact_db_url("sqlite:///shop.db") == "sqlite:///shop.db"


# ------------------------------------------------------------------ 7: duplicate names


def test_a_duplicate_name_error_names_the_existing_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(12))
    run(url, "segments", "create", VIP, "--name", "VIP buyers")
    run(url, "segments", "create", VIP, "--name", "Other")
    expected = "error: a segment named `VIP buyers` already exists"
    assert one_error(run(url, "segments", "create", VIP, "--name", "  vip BUYERS ", code=1)) == expected
    assert one_error(run(url, "segments", "edit", "Other", "--rename", "VIP BUYERS", code=1)) == expected
    run(url, "broadcasts", "send", "--segment", "Other", "--name", "Spring sale")
    line = one_error(run(url, "broadcasts", "send", "--segment", "Other", "--name", "SPRING SALE ", code=1))
    assert line == "error: a broadcast named `Spring sale` already exists"


# ------------------------------------------------------------------ 8: the small ones


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "postgres")), indirect=True)
def test_only_new_with_nobody_new_records_no_run(backend_db: str) -> None:
    url = backend_db
    load(url, people(12))
    run(url, "segments", "create", WIDER, "--name", "S")
    run(url, "broadcasts", "send", "--segment", "S", "--name", "B")
    run(url, "segments", "edit", "S", "--rule", VIP)  # narrower: nobody new
    nothing = run(url, "resend", "--only-new")
    assert nothing.stdout == "" and "B: nothing new to send" in nothing.stderr
    shown = json.loads(run(url, "broadcasts", "show", "B", "--format", "json").stdout)
    assert len(shown["runs"]) == 1 and not shown["pending_resend"]
    assert "nothing new to send" in run(url, "resend", "B", "--only-new").stderr
    assert len(json.loads(run(url, "broadcasts", "show", "B", "--format", "json").stdout)["runs"]) == 1
    # a full named resend still makes a run
    assert ids(run(url, "resend", "B").stdout) == segdsl.audience(VIP, db=url)


def test_small_cli_faults(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    load(url, people(12))
    run(url, "segments", "create", 'channel whatsapp and name = "Customer 3"', "--name", "One")
    sent = run(url, "broadcasts", "send", "--segment", "One", "--name", "B")
    assert sent.stderr == "B: run 1 sent to 1 customer\n"
    run(url, "segments", "edit", "One", "--rule", 'channel whatsapp and name = "Customer 6"')
    assert "delivered to 1 customer\n" in run(url, "resend").stderr

    run(url, "segments", "create", 'channel whatsapp and tag = "nobody"', "--name", "Empty")
    empty = run(url, "broadcasts", "send", "--segment", "empty", "--name", "E")
    assert empty.stderr.startswith("warning: segment `Empty` matches no customer now")
    assert "E: run 1 sent to 0 customers" in empty.stderr

    listed = run(url, "broadcasts", "list").stdout.splitlines()
    assert listed[0].split()[2] == "VERSIONS" and listed[1].split()[:3] == ["B", "One", "v1,v2"]
    shown = run(url, "broadcasts", "show", "B").stdout
    assert "runs used v1,v2" in shown and "rule (v2, last run): channel whatsapp and name = \"Customer 6\"" in shown

    rule_file = tmp_path / "r.seg"
    rule_file.write_text("channel whatsapp")
    both = run(url, "segments", "edit", "One", "--rule", "channel sms", "-f", str(rule_file), code=2)
    assert "either with --rule or with -f FILE" in both.stderr and "RULE" not in both.stderr.replace("--rule", "")
    twice = run(url, "segments", "edit", "One", "--rule", "channel sms", "--rule", "channel email", code=2)
    assert "'--rule': given 2 times" in twice.stderr
    assert json.loads(run(url, "segments", "show", "One", "--format", "json").stdout)["version"] == 2
    assert "given 2 times" in run(url, "broadcasts", "send", "--segment", "One", "--webhook", "http://a/x",
                                  "--webhook", "http://b/x", code=2).stderr


# ------------------------------------------------------------------ migration 0002 on every engine


@pytest.mark.parametrize("backend_db", backend_params(("sqlite", "duckdb", "postgres", "mysql")), indirect=True)
def test_migration_0002_keeps_a_0001_store_and_asks_for_unknown_deliverers(backend_db: str) -> None:
    url = backend_db
    load(url, people(12))
    with Store(url, migrate=False) as store:
        with store.engine.begin() as conn:
            migrate.upgrade(conn, "0001")
        with store.engine.connect() as conn:
            assert database.current(conn) == "0001"
    with Store(url) as store:  # a later segdsl opens it: 0002 runs
        assert store.status().current == database.HEAD == "0002"
        store.create_segment(VIP, name="S")
        store.send("S", name="B", deliverer=Deliverer.printer(os.devnull))
        with store.engine.begin() as conn:  # as if B had been sent by a segdsl before 0002
            conn.execute(broadcasts.update().values(deliverer=None))
        assert store.broadcast("B").deliverer is None
        store.edit_segment("S", rule=WIDER)
        with pytest.raises(DelivererNeeded, match="before the store recorded deliverers"):
            store.resend()
        (out,) = store.resend(deliverer=Deliverer.printer(os.devnull))
        assert out.replaced == "an unknown deliverer" and out.run.sent == len(segdsl.audience(WIDER, db=url))
        with store.engine.begin() as conn:  # and back down, and up again
            migrate.downgrade(conn, "0001")
        with store.engine.connect() as conn:
            assert database.current(conn) == "0001"
        assert store.upgrade() == ("0001", "0002")
        assert store.broadcast("B").deliverer is None  # the column came back empty


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SEGDSL_DB", raising=False)
    yield


def test_a_malformed_store_url_is_one_line_without_its_password(tmp_path: Path) -> None:
    for url in ("postgresql://ana:hunter2@db:notaport/shop", "spark://ana:hunter2@db/shop"):
        line = one_error(run(url, "store", "status", code=1))
        assert SECRET_PW not in line and ("is not a database URL" in line or "cannot live in" in line)
