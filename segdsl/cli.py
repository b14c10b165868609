"""The `segdsl` command line.

Exit codes: 0 success, 2 invalid rule or usage (a one-line error, the source
line and a caret on stderr), 1 a runtime failure (a database that cannot be
reached, a bad input file). Never a Python traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click

from segdsl import api
from segdsl.cli_common import (  # noqa: F401 - re-exported for callers of segdsl.cli
    RULE_HELP,
    _atomic_output,
    _Failure,
    _one_line,
    color_option,
    db_option,
    decode_rule,
    load_settings,
    now_option,
    parse_rule,
    read_rule,
    rule_echo,
    rule_input,
    schema_option,
)
from segdsl.cli_store import COMMANDS as STORE_COMMANDS
from segdsl.cli_store import count_segment, store_option
from segdsl.families.settings import SettingsError
from segdsl.lang.clock import BadNow, resolve_now
from segdsl.lang.errors import RuleError
from segdsl.lang.stamps import instant_text, iso_instant
from segdsl.sql.dialects import DIALECTS, UnknownDialect

# ------------------------------------------------------------------ errors


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (transactions roll back, queries cancel)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _runtime_errors() -> tuple[type[BaseException], ...]:
    from segdsl.data.demo import DemoRefused
    from segdsl.data.engines import EngineError
    from segdsl.families.registry import PluginError
    from segdsl.inproc.view import RecordError
    from segdsl.why import NoSuchCustomer

    return (EngineError, SettingsError, PluginError, RecordError, DemoRefused, NoSuchCustomer, _Failure, OSError)


def _store_errors() -> tuple[type[BaseException], ...]:
    # evaluated only when an error is on its way out, so plain commands never import the store
    from segdsl.store.errors import StoreError

    return (StoreError,)


class SegdslGroup(click.Group):
    """Turns segdsl's errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RuleError as err:
            click.echo(err.render(), err=True)
            ctx.exit(2)
        except (UnknownDialect, BadNow) as err:  # invalid usage
            click.echo(f"error: {err}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(0)
        except KeyboardInterrupt as err:  # Ctrl-C or SIGTERM: whatever was running has been rolled back
            click.echo("interrupted", err=True)
            ctx.exit(143 if isinstance(err, Terminated) else 130)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except _store_errors() as err:
            click.echo(f"error: {_one_line(err)}", err=True)
            ctx.exit(getattr(err, "exit_code", 1))
        except _runtime_errors() as err:
            click.echo(f"error: {_one_line(err)}", err=True)
            ctx.exit(1)
        except Exception as err:  # noqa: BLE001 - the promise is: never a traceback
            if os.environ.get("SEGDSL_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(err).__name__}: {_one_line(err)} (set SEGDSL_DEBUG=1 for details)", err=True
            )
            ctx.exit(1)


def _quiet_broken_pipe() -> None:
    # The reader went away (`segdsl match ... | head`): stop quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


# ------------------------------------------------------------------ commands


@click.group(cls=SegdslGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="segdsl")
def cli() -> None:
    """segdsl: rules that pick the customers a broadcast goes to.

    \b
    A rule names one channel plus conditions:
      channel whatsapp and tag = "vip" and gender is female
        and last interaction within 30 days and field returningUser = true

    \b
    Start here:
      segdsl demo                      # create demo data in sqlite:///segdsl.db
      segdsl count 'channel whatsapp and tag = "vip"'
      segdsl compile 'channel sms and name contains "sh"' --dialect postgres
      segdsl fmt -f rule.seg           # canonical text
      segdsl match RULE --input customers.jsonl   # in process, no database

    Exit codes: 0 ok, 2 invalid rule or usage, 1 runtime failure.
    """


@cli.command()
@rule_input
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the IR.")
@click.option("--stage", type=click.Choice(["tree", "raw", "ir"]), default="ir", show_default=True,
              help="tree: Lark parse tree; raw: IR before plugin validation; ir: the typed, validated IR.")
@click.option("--no-spans", is_flag=True, help="Leave source spans out of the JSON.")
@schema_option
def parse(rule: str | None, rule_file: BinaryIO | None, fmt: str, stage: str, no_spans: bool,
          schema_file: str | None) -> None:
    """Parse RULE and print its IR.

    \b
    Examples:
      segdsl parse 'channel sms and tag in ("vip", "gold")'
      segdsl parse --format json -f rule.seg
      segdsl parse --stage tree 'channel sms and not has unpaid cart'
    """
    from segdsl.explain import outline
    from segdsl.lang.build import build_ir
    from segdsl.lang.syntax import parse_tree

    text = read_rule(rule, rule_file)
    settings = load_settings(schema_file)
    if stage in ("tree", "raw"):
        try:
            tree = parse_tree(text)
            if stage == "tree":
                click.echo(tree.pretty().rstrip())
                return
            raw = build_ir(tree, text)
        except RuleError as err:
            raise err.with_source(text) from None
        click.echo(outline(raw.expr))
        return
    typed = api.parse(text, settings)
    if fmt == "json":
        click.echo(json.dumps(typed.to_json(spans=not no_spans), indent=2, ensure_ascii=False))
    else:
        click.echo(outline(typed.expr))


@cli.command()
@rule_input
@click.option("--check", is_flag=True, help="Print nothing; exit 1 if the rule is not in canonical form.")
@click.option("-w", "--write", is_flag=True, help="With -f FILE: rewrite the file in canonical form.")
@schema_option
@color_option
def fmt(rule: str | None, rule_file: BinaryIO | None, check: bool, write: bool, schema_file: str | None,
        color: str) -> None:
    """Print RULE in canonical form (idempotent), highlighted on a terminal.

    \b
    Examples:
      segdsl fmt "CHANNEL WhatsApp AND tag='vip'"
      segdsl fmt -f rule.seg --write
      segdsl fmt -f rule.seg --color always | less -R
    """
    text = read_rule(rule, rule_file)
    pretty = api.format(api.parse(text, load_settings(schema_file)))
    if check:
        if text.strip() != pretty:
            raise _Failure("the rule is not in canonical form; run `segdsl fmt` to see it")
        return
    if write:
        if rule_file is None or rule_file.name == "<stdin>":
            raise click.UsageError("--write needs -f FILE")
        with _atomic_output(Path(rule_file.name)) as handle:
            handle.write(pretty + "\n")
        return
    rule_echo(pretty, color)


@cli.command(name="compile")
@rule_input
@click.option("--dialect", "-d", default="sqlite", show_default=True,
              help="SQL dialect: " + ", ".join(DIALECTS) + ".")
@click.option("--count", "as_count", is_flag=True, help="One row with one column `count` instead of the ids.")
@click.option("--params", is_flag=True, help="Bind parameters instead of inline literals; prints their values.")
@click.option("--pretty/--one-line", default=False, help="Pretty-print the SQL.")
@click.option("--stage", type=click.Choice(["sql", "expression"]), default="sql", show_default=True,
              help="expression: the sqlglot expression tree instead of SQL text.")
@now_option
@schema_option
def compile_(rule: str | None, rule_file: BinaryIO | None, dialect: str, as_count: bool, params: bool, pretty: bool,
             stage: str, now: str | None, schema_file: str | None) -> None:
    """Print one SQL statement for RULE.

    Without --count it returns one column `customer_id`, one row per matching
    customer; with --count one row with one column `count`.

    \b
    Examples:
      segdsl compile 'channel whatsapp and tag = "vip"' --dialect postgres
      segdsl compile -f rule.seg --count --params --dialect mysql
    """
    from segdsl.sql.compile import make_context, to_expression

    settings = load_settings(schema_file)
    typed = parse_rule(rule, rule_file, settings)
    when = resolve_now(now)
    if stage == "expression":
        ctx = make_context(typed, dialect, settings.schema, when, params=params)
        click.echo(repr(to_expression(typed, ctx, count=as_count)))
        return
    result = api.compile(typed, dialect=dialect, count=as_count, now=when, params=params, settings=settings,
                         pretty=pretty)
    if params:
        click.echo(result.sql)
        click.echo("-- params (" + result.paramstyle + "): " + json.dumps(result.params, ensure_ascii=False,
                                                                          default=str))
    else:
        click.echo(result)


def timeout_option(default: float) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--timeout", type=click.FloatRange(min=0), default=default, show_default=True, metavar="SECONDS",
        help="Cancel the query on the server after SECONDS (0: no limit). PostgreSQL statement_timeout, "
        "MariaDB max_statement_time, SQLite/DuckDB interrupt().",
    )


@cli.command()
@rule_input
@click.option("--segment", help="Count a saved segment instead of RULE (stores the count with its as-of time).")
@db_option
@store_option
@now_option
@schema_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the number alone; json: the number with its as-of time.")
@timeout_option(300)
def count(rule: str | None, rule_file: BinaryIO | None, segment: str | None, db: str | None, store_url: str | None,
          now: str | None, schema_file: str | None, fmt: str, timeout: float) -> None:
    """Print the number of customers matching RULE (or a saved segment) in the database.

    The count is live and exact: it runs the rule's SQL now, on the database
    opened read-only. A query running longer than --timeout is cancelled on the
    server (exit 1); Ctrl-C cancels it too (exit 130).

    \b
    Examples:
      segdsl demo && segdsl count 'channel whatsapp and tag = "vip" and gender is female'
      segdsl count -f rule.seg --db postgresql://postgres@127.0.0.1:5432/shop
      segdsl count --segment "VIP buyers" --format json
      segdsl count -f rule.seg --db 'spark://local[*]?warehouse=/data/segdsl'   # pays JVM start-up
      segdsl count -f rule.seg --db 'sc://spark.example.com:15002?catalog=main&database=crm'
      segdsl count 'channel sms and tag = "vip"' --timeout 30
    """
    from segdsl.api import count as count_rule

    if segment is not None:
        if rule is not None or rule_file is not None:
            raise click.UsageError("give either RULE or --segment NAME, not both")
        count_segment(segment, db, store_url, schema_file, now, fmt)
        return
    if store_url is not None:
        raise click.UsageError("--store is for --segment NAME")
    settings = load_settings(schema_file)
    typed = parse_rule(rule, rule_file, settings)
    when = resolve_now(now)
    n = count_rule(typed, db=db, now=when, settings=settings, timeout=timeout or None)
    if fmt == "json":
        click.echo(json.dumps({"count": n, "as_of": iso_instant(when)}, indent=2))  # as count --segment
    else:
        click.echo(n)


@cli.command()
@click.option("--customers", "-n", default=10_000, show_default=True, type=click.IntRange(1, 50_000_000),
              help="How many customers to generate.")
@click.option("--seed", default=0, show_default=True, help="Random seed (the same seed gives the same data).")
@db_option
@click.option("--now", help="Interaction and cart times lie before this instant, ISO 8601 (default: the current "
              "UTC time). The same --customers, --seed and --now give the same data.")
@schema_option
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option("--replace", is_flag=True,
              help="Also drop mapped tables that an earlier `segdsl demo` did not create (your own data!).")
def demo(customers: int, seed: int, db: str | None, now: str | None, schema_file: str | None, quiet: bool,
         replace: bool) -> None:
    """Create the reference schema and fill it with realistic demo customers.

    The demo REPLACES the tables of the schema mapping in that database, all
    at once: interrupted (Ctrl-C, exit 130) or failed, it leaves the old tables
    as they were. It refuses to drop a table it did not create itself (it
    keeps a list in the table segdsl_demo) unless given --replace.

    On Spark (--db 'spark://local[*]?warehouse=PATH') it writes one Parquet
    folder per table into PATH, the layout the Spark engine reads, through the
    Spark session (a JVM starts first); the new folders are moved into place
    when all are written, and PATH/_segdsl_demo lists the folders it made.

    \b
    Examples:
      segdsl demo
      segdsl demo --customers 1000000 --db duckdb:///demo.duckdb
      segdsl demo --seed 7 --now 2026-11-28T12:00:00Z   # reproducible: the same data every time
      segdsl demo --db sqlite:///shop.db --replace     # drop the existing customer tables
      segdsl demo --db 'spark://local[*]?warehouse=/data/segdsl'   # Parquet folders for Spark
    """
    from segdsl.data import demo as demo_data
    from segdsl.data.engines import connect, default_db_url

    settings = load_settings(schema_file)
    now = None if now is None else resolve_now(now).isoformat()  # a bad --now fails before the database opens
    url = db or default_db_url()
    shown: dict[str, int] = {}

    def progress(table: str, done: int, total: int) -> None:
        if quiet or not sys.stderr.isatty():
            return
        step = max(total // 10, 1)
        if done >= total or done - shown.get(table, -step) >= step:
            shown[table] = done
            click.echo(f"  {table}: {done:,}/{total:,}", err=True)

    with connect(url, create=True) as engine:
        counts = demo_data.populate(engine, n=customers, seed=seed, now=now, progress=progress,
                                    settings=settings, replace=replace)
        shown_url = engine.display_url
    summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
    click.echo(f"demo data in {shown_url}: {summary}")


@cli.command()
@rule_input
@click.option("--input", "-i", "input_path", required=True,
              help="Customer records as JSON lines (one record per line, see customer.example.json); - for stdin.")
@click.option("--format", "out_format", type=click.Choice(["ids", "jsonl"]), default="ids", show_default=True,
              help="ids: the matching customer ids; jsonl: the whole matching records.")
@now_option
@schema_option
def match(rule: str | None, rule_file: BinaryIO | None, input_path: str, out_format: str, now: str | None,
          schema_file: str | None) -> None:
    """Evaluate RULE in process over JSON-lines records, without a database.

    Streams: constant memory whatever the input size.

    \b
    Examples:
      segdsl match 'channel whatsapp and tag = "vip"' --input customers.jsonl
      segdsl export --db sqlite:///shop.db | segdsl match -f rule.seg --input -
    """
    if rule == "-" and input_path == "-":
        raise click.UsageError("the rule and the records cannot both come from stdin")
    settings = load_settings(schema_file)
    matcher = api.matcher(parse_rule(rule, rule_file, settings), now=resolve_now(now), settings=settings)
    out = sys.stdout
    for number, line, record in _records(input_path):
        try:
            ok = matcher(record)
        except (ValueError, TypeError, AttributeError, KeyError) as err:
            raise _Failure(f"{_input_name(input_path)} line {number}: {_one_line(err)}") from None
        if ok:  # jsonl: the record's own line, numbers as written
            out.write((line.strip() if out_format == "jsonl" else _id_text(record.get("id"))) + "\n")


def _id_text(value: Any) -> str:
    text = getattr(value, "json_text", None)
    return str(text) if text is not None else str(value)


def _input_name(path: str) -> str:
    return "stdin" if path == "-" else path


def _records(path: str) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(line number, line, record) of a JSON-lines input; numbers keep their JSON text."""
    from segdsl.inproc.view import loads_record

    stream: TextIO = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            if number == 1:
                line = line.removeprefix("\ufeff")  # a BOM some editors write
            try:
                record = loads_record(line)
            except json.JSONDecodeError as err:
                raise _Failure(f"{_input_name(path)} line {number}: not valid JSON: {err.msg}") from None
            except RecursionError:
                raise _Failure(f"{_input_name(path)} line {number}: JSON nested too deeply") from None
            if not isinstance(record, dict):
                raise _Failure(f"{_input_name(path)} line {number}: a record must be a JSON object")
            yield number, line, record
    except UnicodeDecodeError as err:
        raise _Failure(f"{_input_name(path)}: not UTF-8 text ({err.reason})") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


@cli.command()
@db_option
@click.option("--out", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically) instead of stdout.")
@schema_option
def export(db: str | None, out: str | None, schema_file: str | None) -> None:
    """Write the database's customers as JSON lines in the record shape (read-only).

    Reads 5,000 customers at a time, so memory stays flat at any size; on DuckDB the
    block cache is held to 64 MB unless the URL sets memory_limit.

    \b
    Examples:
      segdsl export --db sqlite:///segdsl.db --out customers.jsonl
      segdsl export --db duckdb:///demo.duckdb | head -3
    """
    from segdsl.data.engines import cap_duckdb_cache, connect
    from segdsl.data.records import export_records

    settings = load_settings(schema_file)
    # json.dumps(record, ensure_ascii=False), without building an encoder per record
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    with connect(db, read_only=True) as engine:
        cap_duckdb_cache(engine)
        records = export_records(engine, settings)
        if out is None:
            for record in records:
                sys.stdout.write(encode(record) + "\n")
            return
        n = 0
        with _atomic_output(Path(out)) as handle:
            for record in records:
                handle.write(encode(record) + "\n")
                n += 1
    click.echo(f"exported {n:,} customers to {out}", err=True)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="text for people, json for programs and editors.")(func)


@cli.command()
@rule_input
@click.option("--db", help="Also show this database's plan for the rule (its dialect is used).")
@click.option("--dialect", "-d", default="sqlite", show_default=True, help="SQL dialect when there is no --db.")
@click.option("--analyze", is_flag=True, help="With --db: run the query and show the measured plan.")
@now_option
@schema_option
@color_option
@format_option
def explain(rule: str | None, rule_file: BinaryIO | None, db: str | None, dialect: str, analyze: bool,
            now: str | None, schema_file: str | None, color: str, out_format: str) -> None:
    """Explain RULE: plain English, the IR, the SQL and, with --db, the engine's plan.

    Relative times are shown as the instants the query uses (at --now, default the
    current UTC time). With --db, index hints name tables the plan reads whole for
    every customer.

    \b
    Examples:
      segdsl explain 'channel whatsapp and tag = "vip" and last interaction within 30 days'
      segdsl explain -f rule.seg --db sqlite:///segdsl.db
      segdsl explain -f rule.seg --db postgresql://postgres@127.0.0.1/shop --analyze --format json
    """
    from segdsl.data.engines import connect
    from segdsl.explain import explain as explain_rule

    if analyze and db is None:
        raise click.UsageError("--analyze needs --db")
    settings = load_settings(schema_file)
    typed = parse_rule(rule, rule_file, settings)
    when = resolve_now(now)
    if db is None:
        result = explain_rule(typed, when, dialect=dialect, settings=settings)
    else:
        with connect(db, read_only=True) as engine:
            result = explain_rule(typed, when, engine=engine, analyze=analyze, settings=settings)
    if out_format == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    rule_echo(result.rule, color)
    click.echo(f"\nIn plain words (now = {instant_text(result.now)} UTC):")
    for s in result.sentences:
        click.echo(f"  {s.span.line}:{s.span.column:<4} {s.sentence}")
    click.echo("\nIR:")
    click.echo(_indented(result.outline))
    click.echo(f"\nSQL ({result.dialect}):")
    click.echo(_indented(result.sql))
    if result.plan is not None:
        kind = "measured" if result.plan.analyzed else "estimated"
        click.echo(f"\nPlan ({result.plan.dialect}, {kind}):")
        click.echo(_indented("\n".join(result.plan.lines)))
        click.echo("\nIndex hints:")
        for hint in result.plan.hints:
            click.echo(f"  - {hint.text()}")
        if not result.plan.hints:
            click.echo("  none: no table is read whole for every customer")


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


@cli.command()
@rule_input
@click.option("--customer", type=int, help="The customer's id (with --db).")
@click.option("--record", "record_file", type=click.File("r", encoding="utf-8-sig"),
              help="A customer record as JSON (the shape of customer.example.json), `-` for stdin.")
@db_option
@now_option
@schema_option
@format_option
def why(rule: str | None, rule_file: BinaryIO | None, customer: int | None, record_file: TextIO | None,
        db: str | None, now: str | None, schema_file: str | None, out_format: str) -> None:
    """Show why one customer is in or out of RULE: every condition, true or false, with the values it read.

    The verdict is the one `count` and `match` give for that customer.

    \b
    Examples:
      segdsl why 'channel whatsapp and tag = "vip"' --customer 42
      segdsl why -f rule.seg --record customer.json --now 2026-11-30T12:00:00Z --format json
    """
    from segdsl.data.engines import connect
    from segdsl.why import explain_record, load_record

    if (customer is None) == (record_file is None):
        raise click.UsageError("give one of --customer ID (with --db) or --record FILE.json")
    settings = load_settings(schema_file)
    typed = parse_rule(rule, rule_file, settings)
    when = resolve_now(now)
    if customer is not None:
        with connect(db, read_only=True) as engine:
            record = load_record(engine, customer, settings)
    else:
        assert record_file is not None
        record = _json_record(record_file)
    reason = explain_record(typed, record, when)
    verdict = "in the segment" if reason.value else "not in the segment"
    if out_format == "json":
        click.echo(json.dumps({"customer": record.get("id"), "now": iso_instant(when),
                               "verdict": reason.value, "rule": reason.to_json()}, indent=2, ensure_ascii=False))
        return
    for line in reason.lines():
        click.echo(line)
    click.echo(f"verdict: customer {record.get('id')} is {verdict} (now = {instant_text(when)} UTC)")


def _json_record(handle: TextIO) -> dict[str, Any]:
    try:
        data = json.loads(handle.read())
    except json.JSONDecodeError as exc:
        hint = ""
        if exc.msg == "Extra data":  # JSON lines, as `segdsl export` writes them
            hint = "; --record takes one record: pick one line, e.g. with grep '\"id\": 42,' FILE"
        raise _Failure(f"{handle.name}: not a JSON record ({exc}){hint}") from None
    except UnicodeDecodeError as exc:
        raise _Failure(f"{handle.name}: not a JSON record ({exc})") from None
    if not isinstance(data, dict):
        raise _Failure(f"{handle.name}: a record is a JSON object, not {type(data).__name__}")
    return data


@cli.command()
@rule_input
@click.option("--db", help="Also check the values against this database (tags, field keys, empty audience).")
@now_option
@schema_option
@format_option
@click.pass_context
def check(ctx: click.Context, rule: str | None, rule_file: BinaryIO | None, db: str | None, now: str | None,
          schema_file: str | None, out_format: str) -> None:
    """Lint RULE: contradictions, tautologies and, with --db, values no customer has.

    Exit 0 when clean, 1 on warnings, 2 for an invalid rule.

    \b
    Examples:
      segdsl check 'channel sms and tag = "a" and tag != "a"'
      segdsl check -f rule.seg --db sqlite:///segdsl.db --format json
    """
    from segdsl.check import check as lint
    from segdsl.check import exit_code
    from segdsl.data.engines import connect

    text = read_rule(rule, rule_file)
    settings = load_settings(schema_file)
    typed = api.parse(text, settings)
    when = resolve_now(now)
    if db is None:
        findings = lint(typed, None, settings, when)
    else:
        with connect(db, read_only=True) as engine:
            findings = lint(typed, engine, settings, when)
    if out_format == "json":
        click.echo(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(finding.render(text), err=False)
        if not findings:
            click.echo("ok: no findings")
    ctx.exit(exit_code(findings))


@cli.command()
def plugins() -> None:
    """List the installed condition families and the subjects they claim."""
    from segdsl.families.registry import registry

    for fam in registry().describe():
        click.echo(f"{fam['name']:<18} {fam['origin']:<12} " + ", ".join(fam["subjects"]))


@cli.command()
def dialects() -> None:
    """List the SQL dialects `segdsl compile` can emit."""
    for name, rules in DIALECTS.items():
        ran = "runs here" if rules.executable else "compile only"
        click.echo(f"{name:<10} {ran:<13} {rules.description}")


for _command in STORE_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point."""
    with contextlib.suppress(ValueError):  # not in the main thread (embedded): leave signals alone
        signal.signal(signal.SIGTERM, _on_sigterm)
    cli(prog_name="segdsl")


if __name__ == "__main__":  # pragma: no cover
    main()
