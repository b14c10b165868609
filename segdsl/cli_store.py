"""`segdsl segments`, `segdsl broadcasts`, `segdsl resend`, `segdsl store`, and `count --segment`.

Thin: every command calls one :class:`segdsl.store.Store` method and prints its result.
Recipients go to stdout (or ``--out FILE``); summaries and progress go to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

import click

from segdsl.cli_common import db_option, load_settings, read_rule, rule_input, schema_option
from segdsl.lang.stamps import instant_text

FORMAT_HELP = "text (a table) or json."


def _once(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> str | None:
    """A callback for ``multiple=True`` options that may be given only once: a repeat is a usage
    error instead of the last one silently winning."""
    if len(value) > 1:
        raise click.BadParameter(f"given {len(value)} times ({', '.join(value)}); give it once", ctx, param)
    return value[0] if value else None


def once(*decls: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``click.option`` for a value that may be given once (a second one is an error, exit 2)."""
    return click.option(*decls, multiple=True, callback=_once, **kwargs)


def plural(n: int, word: str) -> str:
    """``1 customer``, ``2 customers``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--store", "store_url",
        help="Database URL for the saved segments and broadcasts (tables segdsl_*): sqlite:///file.db, "
        "duckdb:///file.duckdb, postgresql://… or mysql://…. Default: the --db database. Needed when --db is "
        "Spark (not transactional): the audience then streams from Spark into the store in batches.",
    )(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help=FORMAT_HELP)(func)


def open_store(db: str | None, store_url: str | None, schema_file: str | None) -> Any:
    from segdsl.data.engines import default_db_url, require_file
    from segdsl.store import Store

    db = db or default_db_url()  # the customers; the store defaults to the same database
    if store_url is None:  # a mistyped --db must not start a new, empty store in a new file
        require_file(db)
    store = Store(store_url or db, db=db, settings=load_settings(schema_file))
    if store.engine.dialect.name == "duckdb":
        _close_duckdb_default_connection()
    return store


def _close_duckdb_default_connection() -> None:
    """Close DuckDB's module-level default connection, an in-memory database that duckdb-engine
    opens to read DuckDB's reserved words when it makes its dialect, and that would stay open for
    the whole process: about 6 MB of a 1M-recipient send's peak (bench/README.md,
    "bench_broadcast.py"). The CLI owns its process, so nothing else uses that database; DuckDB
    opens a new default connection if anything asks for one again. (Not done by the library: an
    application embedding segdsl may keep tables in that connection.)"""
    import duckdb

    with contextlib.suppress(Exception):
        duckdb.default_connection().close()


def maintenance_store(db: str | None, store_url: str | None) -> Any:
    """The store for `segdsl store`: opened without migrating (the commands decide)."""
    from segdsl.data.engines import default_db_url
    from segdsl.store import Store

    return Store(store_url or db or default_db_url(), migrate=False)


def _when(value: Any) -> str:
    return "-" if value is None else instant_text(value) + "Z"


def _json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    for line in [header, *rows]:
        click.echo("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=False)).rstrip())


def _one_line_rule(rule: str) -> str:
    return " ".join(rule.split())


# ------------------------------------------------------------------ segments


@click.group()
def segments() -> None:
    """Saved segments: create, list, show, edit, delete.

    \b
    Examples:
      segdsl segments create 'channel whatsapp and tag = "vip"'          # named Segment #1
      segdsl segments create -f vip.seg --name "VIP buyers"
      segdsl segments list --format json
      segdsl segments edit "VIP buyers" --rule 'channel whatsapp and tag in ("vip", "gold")'
      segdsl segments edit "Segment #1" --rename "Gold"
      segdsl segments delete Gold
    """


@segments.command("create")
@rule_input
@once("--name", metavar="NAME",
      help="The segment's name (default: Segment #N, N one more than the highest used so far).")
@db_option
@store_option
@schema_option
def segments_create(rule: str | None, rule_file: BinaryIO | None, name: str | None, db: str | None,
                    store_url: str | None, schema_file: str | None) -> None:
    """Save RULE as a segment and print its name.

    Names are unique, ignoring case and surrounding spaces.
    """
    text = read_rule(rule, rule_file)
    with open_store(db, store_url, schema_file) as store:
        click.echo(store.create_segment(text, name=name).name)


@segments.command("list")
@format_option
@db_option
@store_option
@schema_option
def segments_list(fmt: str, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """List the segments: name, channel, version, last count with its as-of time, rule."""
    with open_store(db, store_url, schema_file) as store:
        found = store.segments()
    if fmt == "json":
        _json([s.to_json() for s in found])
        return
    if not found:
        click.echo("no segments yet; create one with: segdsl segments create RULE", err=True)
        return
    _table(["NAME", "CHANNEL", "VERSION", "COUNT", "AS OF", "RULE"],
           [[s.name, s.channel, str(s.version), "-" if s.count is None else str(s.count), _when(s.counted_at),
             _one_line_rule(s.rule)] for s in found])


@segments.command("show")
@click.argument("name")
@format_option
@db_option
@store_option
@schema_option
def segments_show(name: str, fmt: str, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """Show a segment and every version of its rule, with when each was saved."""
    with open_store(db, store_url, schema_file) as store:
        seg = store.segment(name)
        versions = store.versions(name)
    if fmt == "json":
        _json({**seg.to_json(), "versions": [v.to_json() for v in versions]})
        return
    click.echo(f"{seg.name}  (channel {seg.channel}, version {seg.version})")
    for v in versions:
        counted = "" if v.count is None else f"  count {v.count} as of {_when(v.counted_at)}"
        click.echo(f"  v{v.version}  {_when(v.created_at)}{counted}")
        for line in v.rule.splitlines():
            click.echo(f"      {line}")


@segments.command("edit")
@click.argument("name")
@once("--rule", "new_rule", metavar="RULE",
      help="The new rule text (a new version); - reads it from stdin. Give it once.")
@click.option("-f", "--file", "rule_file", type=click.File("rb"), help="Read the new rule from FILE (UTF-8).")
@once("--rename", metavar="NAME", help="The segment's new name.")
@click.option("--if-version", "if_version", type=int,
              help="Only if the segment is still at this version (else a conflict, exit 1).")
@db_option
@store_option
@schema_option
def segments_edit(name: str, new_rule: str | None, rule_file: BinaryIO | None, rename: str | None,
                  if_version: int | None, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """Change a segment's rule (a new version; old ones are kept) and/or rename it.

    Editing the rule of a segment that broadcasts were sent to marks them as
    pending a resend, and says which; `segdsl resend` sends them. A rule that
    differs only in spelling (case, spaces, `=` for `is`: the same canonical
    form as `segdsl fmt` prints) is no edit: "(rule unchanged)".

    \b
    Examples:
      segdsl segments edit "VIP buyers" --rule 'channel whatsapp and tag in ("vip", "gold")'
      segdsl segments edit "VIP buyers" -f vip.seg --if-version 2
      segdsl segments edit "Segment #1" --rename "Gold"
    """
    if new_rule is not None and rule_file is not None:
        raise click.UsageError("give the new rule either with --rule or with -f FILE, not both")
    text = read_rule(new_rule, rule_file) if (new_rule is not None or rule_file is not None) else None
    if text is None and rename is None:
        raise click.UsageError("nothing to change: give --rule RULE, -f FILE or --rename NEW")
    with open_store(db, store_url, schema_file) as store:
        result = store.edit_segment(name, rule=text, rename=rename, expected_version=if_version)
    seg = result.segment
    change = f"version {seg.version}" if result.new_version else f"version {seg.version} (rule unchanged)"
    click.echo(f"{seg.name}: {change}")
    if result.pending:
        click.echo("pending a resend: " + ", ".join(result.pending) + "  (send them with: segdsl resend)")


@segments.command("delete")
@click.argument("name")
@click.option("--force", is_flag=True, help="Delete even if broadcasts of it are pending a resend (drops them).")
@db_option
@store_option
@schema_option
def segments_delete(name: str, force: bool, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """Delete a segment. Its broadcasts stay, with the rule text of the version they used."""
    with open_store(db, store_url, schema_file) as store:
        seg = store.delete_segment(name, force=force)
    click.echo(f"deleted {seg.name}")


# ------------------------------------------------------------------ sending


OUT_HELP = "Append the recipients to FILE (- for stdout) instead of stdout."
WEBHOOK_HELP = "POST the batches as JSON to URL (with an Idempotency-Key)."
VIA_HELP = "Another deliverer: an installed plugin's name, or module:attribute."


def delivery_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--format", "out_format", type=click.Choice(["ids", "jsonl"]), default=None,
                     help="How the printer (the default deliverer) writes recipients: ids (default) or jsonl."),
        once("--out", "-o", "out_path", metavar="FILE", help=OUT_HELP),
        once("--webhook", "webhook_url", metavar="URL", help=WEBHOOK_HELP),
        once("--via", "via", metavar="NAME", help=VIA_HELP),
        click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 100_000),
                     help="Recipients per deliverer call (a batch is marked sent when the call returns)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def choose_deliverer(out_format: str | None, out_path: str | None, webhook_url: str | None,
                     via: str | None) -> Any:
    """The deliverer the options name (a :class:`segdsl.store.Deliverer`), or None when none is given.

    Checking it (a URL that is not http(s), a `--via` without a hook) is the store's job, before
    it records anything.
    """
    from segdsl.store import Deliverer

    if sum(x is not None for x in (out_path, webhook_url, via)) > 1:
        raise click.UsageError("choose one of --out, --webhook and --via")
    if out_format is not None and (webhook_url is not None or via is not None):
        raise click.UsageError("--format ids/jsonl is for the printer: not with --webhook or --via")
    if webhook_url is not None:
        return Deliverer.webhook(webhook_url)
    if via is not None:
        return Deliverer.via(via)
    if out_path is None and out_format is None:
        return None
    return Deliverer.printer(None if out_path in (None, "-") else out_path, out_format or "ids")


class Bar:
    """A progress bar per run on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.bar: Any = None
        self.run_id: int | None = None
        self.done = 0

    def __call__(self, run: Any, sent: int) -> None:
        if not self.enabled:
            return
        if run.id != self.run_id:
            self.close()
            self.run_id, self.done = run.id, sent
            self.bar = click.progressbar(length=max(run.planned, 1), label=f"run {run.number}", file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(sent)
            return
        self.bar.update(sent - self.done)
        self.done = sent

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@click.group()
def broadcasts() -> None:
    """Broadcasts to saved segments: send, list, show.

    \b
    Examples:
      segdsl broadcasts send --segment "VIP buyers" --name "Spring sale" --message "20% off"
      segdsl broadcasts send --segment "VIP buyers" --out recipients.txt
      segdsl broadcasts send --segment "VIP buyers" --webhook http://127.0.0.1:8080/send
      segdsl broadcasts list
      segdsl broadcasts show "Spring sale" --format json
      segdsl broadcasts send --segment "VIP buyers" --db 'spark://local[*]?warehouse=/data/segdsl' \
          --store sqlite:///segdsl-store.db     # customers on Spark (a JVM starts first), the store in SQLite
    """


@broadcasts.command("send")
@once("--segment", required=True, metavar="NAME", help="The saved segment to send to (its current version).")
@once("--name", metavar="NAME", help="The broadcast's name (default: Broadcast #N).")
@once("--message", metavar="TEXT", help="The message text (kept with the broadcast and handed to the deliverer).")
@delivery_options
@db_option
@store_option
@schema_option
def broadcasts_send(segment: str, name: str | None, message: str | None, out_format: str, out_path: str | None,
                    webhook_url: str | None, via: str | None, batch_size: int, db: str | None,
                    store_url: str | None, schema_file: str | None) -> None:
    """Send a broadcast to a segment's current audience; print the recipients' customer ids.

    Records the broadcast (segment version, rule text, time, deliverer), a run
    and one delivery per recipient, then hands the deliveries to the deliverer
    in batches. If it is interrupted, `segdsl resend NAME` resumes the same run
    through the same deliverer. The deliverer is checked before anything is
    recorded. A webhook URL is recorded with its password and query values
    masked: a resend of it then needs `--webhook URL` again.
    """
    plugin = choose_deliverer(out_format, out_path, webhook_url, via)
    bar = Bar()
    with open_store(db, store_url, schema_file) as store:
        try:
            outcome = store.send(segment, name=name, message=message, deliverer=plugin, batch_size=batch_size,
                                 progress=bar)
        finally:
            bar.close()
        if outcome.run.planned == 0:
            click.echo(f"warning: segment `{store.broadcast(outcome.broadcast).segment}` matches no customer now: "
                       f"{outcome.broadcast} was recorded with no recipients", err=True)
    click.echo(f"{outcome.broadcast}: run {outcome.run.number} sent to {plural(outcome.delivered, 'customer')}",
               err=True)


@broadcasts.command("list")
@format_option
@db_option
@store_option
@schema_option
def broadcasts_list(fmt: str, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """List the broadcasts: segment, the version each run used, runs, recipients, pending resend."""
    with open_store(db, store_url, schema_file) as store:
        found = store.broadcasts()
    if fmt == "json":
        _json([b.to_json() for b in found])
        return
    if not found:
        click.echo("no broadcasts yet; send one with: segdsl broadcasts send --segment NAME", err=True)
        return
    rows = []
    for b in found:
        last = b.runs[-1] if b.runs else None
        rows.append([b.name, b.segment + ("" if b.segment_id is not None else " (deleted)"), _versions(b),
                     str(len(b.runs)), "-" if last is None else f"{last.sent}/{last.planned}",
                     "yes" if b.pending_resend else "no", _when(b.created_at)])
    _table(["NAME", "SEGMENT", "VERSIONS", "RUNS", "LAST RUN SENT", "PENDING RESEND", "CREATED"], rows)


def _versions(b: Any) -> str:
    """The segment versions a broadcast's runs used, in order: ``v1``, ``v1,v2``, ``v1,v3``."""
    seen: list[int] = []
    for r in b.runs:
        if r.segment_version not in seen:
            seen.append(r.segment_version)
    return ",".join(f"v{v}" for v in seen or [b.segment_version])


@broadcasts.command("show")
@click.argument("name")
@format_option
@db_option
@store_option
@schema_option
def broadcasts_show(name: str, fmt: str, db: str | None, store_url: str | None, schema_file: str | None) -> None:
    """Show a broadcast and its runs: planned, sent and pending deliveries per run."""
    with open_store(db, store_url, schema_file) as store:
        b = store.broadcast(name)
    if fmt == "json":
        _json(b.to_json())
        return
    gone = "" if b.segment_id is not None else " (deleted)"
    click.echo(f"{b.name}  to {b.segment}{gone}, first sent {_when(b.created_at)} (v{b.segment_version}); "
               f"runs used {_versions(b)}")
    if b.message:
        click.echo(f"  message: {b.message}")
    click.echo(f"  rule (v{b.segment_version}): {_one_line_rule(b.rule)}")
    if b.runs and b.runs[-1].rule != b.rule:
        click.echo(f"  rule (v{b.runs[-1].segment_version}, last run): {_one_line_rule(b.runs[-1].rule)}")
    click.echo(f"  deliverer: {b.deliverer or 'not recorded (sent before store revision 0002)'}")
    click.echo(f"  pending resend: {'yes' if b.pending_resend else 'no'}")
    _table(["  RUN", "VERSION", "STATUS", "PLANNED", "SENT", "PENDING", "STARTED", "FINISHED"],
           [[f"  {r.number}", f"v{r.segment_version}", r.status + (" (only new)" if r.only_new else ""),
             str(r.planned), str(r.sent), str(r.pending), _when(r.created_at), _when(r.finished_at)]
            for r in b.runs])


@click.command()
@click.argument("broadcast", required=False)
@click.option("--only-new", is_flag=True, help="Leave out customers who received any earlier run of the broadcast.")
@click.option("--dry-run", is_flag=True, help="Only print total / new / no longer matching; write nothing.")
@click.option("--format", "out_format", type=click.Choice(["ids", "jsonl", "json"]), default=None,
              help="ids/jsonl: how the printer writes recipients (default: as recorded); "
                   "json: the --dry-run report as JSON.")
@once("--out", "-o", "out_path", metavar="FILE", help=OUT_HELP)
@once("--webhook", "webhook_url", metavar="URL", help=WEBHOOK_HELP + " Default: the broadcast's own.")
@once("--via", "via", metavar="NAME", help=VIA_HELP + " Default: the broadcast's own.")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="Recipients per deliverer call.")
@db_option
@store_option
@schema_option
def resend(broadcast: str | None, only_new: bool, dry_run: bool, out_format: str | None, out_path: str | None,
           webhook_url: str | None, via: str | None, batch_size: int, db: str | None, store_url: str | None,
           schema_file: str | None) -> None:
    """Send broadcasts again to their segment's current audience, newly matching customers included.

    Without BROADCAST: every broadcast pending a resend (after an edit of its
    segment) and every unfinished run. With it: that broadcast; an unfinished
    run of it is resumed as the same run, otherwise a new run starts. A run
    never delivers to a customer twice, even when resumed after a crash.

    Each broadcast goes through the deliverer it was sent with (the printer and
    its file, the webhook, the --via plugin). --out/--format, --webhook or --via
    choose another one, which the broadcast then keeps. A webhook URL with a
    password or query values is not stored in full: give it again with --webhook.

    \b
    Examples:
      segdsl resend --dry-run            # total / new / no longer matching
      segdsl resend --only-new           # only customers who have not received it
      segdsl resend "Spring sale"
      segdsl resend "Spring sale" --webhook 'https://api.example/send?token=…'
      segdsl resend --only-new --db 'sc://spark.example.com:15002' --store postgresql://…/crm   # Spark Connect
    """
    if out_format == "json" and not dry_run:
        raise click.UsageError("--format json is for --dry-run reports; recipients print as ids or jsonl")
    with open_store(db, store_url, schema_file) as store:
        if dry_run:
            outcomes = store.resend(broadcast, only_new=only_new, dry_run=True)
            _report(outcomes, out_format == "json", only_new)
            return
        plugin = choose_deliverer(out_format, out_path, webhook_url, via)
        bar = Bar()
        try:
            outcomes = store.resend(broadcast, only_new=only_new, deliverer=plugin, batch_size=batch_size,
                                    progress=bar)
        finally:
            bar.close()
    if not outcomes:
        click.echo("nothing to resend: no broadcast is pending a resend or unfinished", err=True)
    for o in outcomes:
        if o.action == "skipped":
            click.echo(f"{o.broadcast}: skipped: {o.reason}", err=True)
        elif o.action == "nothing new":
            click.echo(f"{o.broadcast}: nothing new to send ({o.reason}); no run recorded", err=True)
        else:
            if o.replaced is not None:
                click.echo(f"{o.broadcast}: through {o.deliverer} (you chose it instead of the recorded "
                           f"{o.replaced})", err=True)
            verb = "resumed" if o.action == "resumed" else "sent"
            click.echo(f"{o.broadcast}: run {o.run.number} {verb}, delivered to {plural(o.delivered, 'customer')}",
                       err=True)


def _report(outcomes: list[Any], as_json: bool, only_new: bool) -> None:
    if as_json:
        _json([o.to_json() for o in outcomes])
        return
    if not outcomes:
        click.echo("nothing to resend: no broadcast is pending a resend or unfinished", err=True)
    for o in outcomes:
        if o.action == "resume":
            click.echo(f"{o.broadcast}: would resume run {o.run.number}: {o.run.pending} of {o.run.planned} pending")
        elif o.action == "skipped":
            click.echo(f"{o.broadcast}: skipped: {o.reason}")
        else:
            would = o.new if only_new else o.total
            click.echo(f"{o.broadcast}: total {o.total}, new {o.new}, no longer matching {o.gone}; "
                       f"would send to {would}")


# ------------------------------------------------------------------ store maintenance


@click.group()
def store() -> None:
    """The store's tables: migrate them, or see their state.

    The tables (segdsl_*) are created and migrated on first use; these
    commands do it explicitly, e.g. before a deployment.

    \b
    Examples:
      segdsl store status --db postgresql://postgres@127.0.0.1:5432/shop
      segdsl store upgrade --store sqlite:///segdsl-store.db
    """


@store.command("upgrade")
@db_option
@store_option
def store_upgrade(db: str | None, store_url: str | None) -> None:
    """Create or migrate the store's tables to this segdsl's newest revision."""
    with maintenance_store(db, store_url) as st:
        before, after = st.upgrade()
    click.echo(f"store at revision {after}" + ("" if before != after else " (already up to date)")
               + (f", was {before}" if before not in (None, after) else ""))


@store.command("status")
@format_option
@db_option
@store_option
def store_status(fmt: str, db: str | None, store_url: str | None) -> None:
    """Print the store's revision and the newest one this segdsl ships.

    A database that cannot be reached (no such database or file, refused
    connection, unknown host) is an error (exit 1), not a store without tables.
    """
    with maintenance_store(db, store_url) as st:
        status = st.status()
    if fmt == "json":
        _json(status.to_json())
        return
    state = "up to date" if status.up_to_date else "needs `segdsl store upgrade`"
    click.echo(f"{status.url}: revision {status.current or 'none (no tables yet)'}, newest {status.head}: {state}")


def count_segment(name: str, db: str | None, store_url: str | None, schema_file: str | None, now: str | None,
                  fmt: str) -> None:
    """`segdsl count --segment NAME`: live count, stored on the segment's version."""
    with open_store(db, store_url, schema_file) as st:
        result = st.count(name, now=now)
    if fmt == "json":
        _json(result.to_json())
    else:
        click.echo(result.count)


COMMANDS = [segments, broadcasts, resend, store]
