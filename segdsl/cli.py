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
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click

from segdsl import api
from segdsl.families.settings import Settings, SettingsError
from segdsl.lang import ir
from segdsl.lang.clock import BadNow, resolve_now
from segdsl.lang.errors import RuleError
from segdsl.sql.dialects import DIALECTS, UnknownDialect

RULE_HELP = "RULE is the rule text; use -f FILE to read it from a file, or - to read it from stdin."


# ------------------------------------------------------------------ errors


class _Failure(Exception):
    """A runtime failure with a one-line message (exit code 1)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs (transactions roll back, queries cancel)."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _runtime_errors() -> tuple[type[BaseException], ...]:
    from segdsl.data.demo import DemoRefused
    from segdsl.data.engines import EngineError
    from segdsl.families.registry import PluginError
    from segdsl.inproc.view import RecordError

    return (EngineError, SettingsError, PluginError, RecordError, DemoRefused, _Failure, OSError)


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


def _one_line(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        name = f" {err.filename}" if err.filename else ""
        return f"{err.strerror}:{name}".rstrip(":")
    return " ".join(str(err).split()) or type(err).__name__


def _quiet_broken_pipe() -> None:
    # The reader went away (`segdsl match ... | head`): stop quietly.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


# ------------------------------------------------------------------ shared options


def rule_input(func: Callable[..., Any]) -> Callable[..., Any]:
    """RULE as an argument, `-f FILE`, or `-` for stdin."""
    func = click.option(
        "-f", "--file", "rule_file", type=click.File("rb"), help="Read the rule from FILE (UTF-8)."
    )(func)
    return click.argument("rule", required=False)(func)


def schema_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--schema",
        "schema_file",
        type=click.Path(dir_okay=False),
        help="TOML file mapping segdsl's roles onto your tables (default: ./segdsl.toml if present).",
    )(func)


def now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--now", help="The moment rules are evaluated at, ISO 8601 (default: the current UTC time)."
    )(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        help="Database URL: sqlite:///file.db, duckdb:///file.duckdb, postgresql://user@host:port/db, "
        "mysql://user@host:port/db. Default: $SEGDSL_DB, else sqlite:///segdsl.db.",
    )(func)


def decode_rule(data: bytes) -> str:
    """Rule bytes as text: UTF-8 without a BOM. Bytes that are not UTF-8 become lone surrogates,
    which the parser reports with a caret where they are ("save the rule as UTF-8")."""
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")


def read_rule(rule: str | None, rule_file: BinaryIO | None) -> str:
    if rule is not None and rule_file is not None:
        raise click.UsageError("give the rule either as RULE or with -f FILE, not both")
    if rule_file is not None:
        return decode_rule(rule_file.read())
    if rule is None:
        raise click.UsageError("missing RULE (the rule text), -f FILE, or - for stdin")
    if rule == "-":
        return decode_rule(sys.stdin.buffer.read())
    return rule


def load_settings(schema_file: str | None) -> Settings:
    return Settings.load(schema_file)


def parse_rule(rule: str | None, rule_file: BinaryIO | None, settings: Settings) -> ir.Rule:
    return api.parse(read_rule(rule, rule_file), settings)


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
        click.echo(_show(raw.expr))
        return
    typed = api.parse(text, settings)
    if fmt == "json":
        click.echo(json.dumps(typed.to_json(spans=not no_spans), indent=2, ensure_ascii=False))
    else:
        click.echo(_show(typed.expr))


def _show(node: Any, indent: int = 0) -> str:
    """An indented outline of the IR, one node per line, with spans."""
    pad = "  " * indent
    span = getattr(node, "span", None)
    where = f"  @{span.line}:{span.column}" if span is not None else ""
    if isinstance(node, (ir.And, ir.Or)):
        lines = [f"{pad}{type(node).__name__}{where}"]
        lines += [_show(item, indent + 1) for item in node.items]
        return "\n".join(lines)
    if isinstance(node, ir.Not):
        return f"{pad}Not{where}\n{_show(node.item, indent + 1)}"
    if isinstance(node, ir.RawCondition):
        return f"{pad}RawCondition{where} " + " ".join(t.text for t in node.terms)
    parts = [f"{node.family}/{node.subject}", node.op]
    if node.key is not None:
        parts.append(f"key={node.key.value!r}")
    if node.values:
        parts.append("values=[" + ", ".join(f"{v.kind}:{v.value!s}" for v in node.values) + "]")
    if node.within is not None:
        parts.append(f"within={node.within.amount} {node.within.unit}")
    return f"{pad}Condition{where} " + " ".join(parts)


@cli.command()
@rule_input
@click.option("--check", is_flag=True, help="Print nothing; exit 1 if the rule is not in canonical form.")
@click.option("-w", "--write", is_flag=True, help="With -f FILE: rewrite the file in canonical form.")
@schema_option
def fmt(rule: str | None, rule_file: BinaryIO | None, check: bool, write: bool, schema_file: str | None) -> None:
    """Print RULE in canonical form (idempotent).

    \b
    Examples:
      segdsl fmt "CHANNEL WhatsApp AND tag='vip'"
      segdsl fmt -f rule.seg --write
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
    click.echo(pretty)


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
@db_option
@now_option
@schema_option
@timeout_option(300)
def count(rule: str | None, rule_file: BinaryIO | None, db: str | None, now: str | None,
          schema_file: str | None, timeout: float) -> None:
    """Print the number of customers matching RULE in the database.

    The database is opened read-only. A query running longer than --timeout is
    cancelled on the server (exit 1); Ctrl-C cancels it too (exit 130).

    \b
    Examples:
      segdsl demo && segdsl count 'channel whatsapp and tag = "vip" and gender is female'
      segdsl count -f rule.seg --db postgresql://postgres@127.0.0.1:5432/shop
      segdsl count 'channel sms and tag = "vip"' --timeout 30
    """
    from segdsl.api import count as count_rule

    settings = load_settings(schema_file)
    typed = parse_rule(rule, rule_file, settings)
    when = resolve_now(now)
    click.echo(count_rule(typed, db=db, now=when, settings=settings, timeout=timeout or None))


@cli.command()
@click.option("--customers", "-n", default=10_000, show_default=True, type=click.IntRange(1, 50_000_000),
              help="How many customers to generate.")
@click.option("--seed", default=0, show_default=True, help="Random seed (the same seed gives the same data).")
@db_option
@schema_option
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@click.option("--replace", is_flag=True,
              help="Also drop mapped tables that an earlier `segdsl demo` did not create (your own data!).")
def demo(customers: int, seed: int, db: str | None, schema_file: str | None, quiet: bool, replace: bool) -> None:
    """Create the reference schema and fill it with realistic demo customers.

    The demo REPLACES the tables of the schema mapping in that database, all
    at once: interrupted (Ctrl-C, exit 130) or failed, it leaves the old tables
    as they were. It refuses to drop a table it did not create itself (it
    keeps a list in the table segdsl_demo) unless given --replace.

    \b
    Examples:
      segdsl demo
      segdsl demo --customers 1000000 --db duckdb:///demo.duckdb
      segdsl demo --db sqlite:///shop.db --replace     # drop the existing customer tables
    """
    from segdsl.data import demo as demo_data
    from segdsl.data.engines import connect, default_db_url

    settings = load_settings(schema_file)
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
        counts = demo_data.populate(engine, n=customers, seed=seed, progress=progress, settings=settings,
                                    replace=replace)
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

    \b
    Examples:
      segdsl export --db sqlite:///segdsl.db --out customers.jsonl
      segdsl export --db duckdb:///demo.duckdb | head -3
    """
    from segdsl.data.engines import connect
    from segdsl.data.records import export_records

    settings = load_settings(schema_file)
    with connect(db, read_only=True) as engine:
        records = export_records(engine, settings)
        if out is None:
            for record in records:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        n = 0
        with _atomic_output(Path(out)) as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    click.echo(f"exported {n:,} customers to {out}", err=True)


@cli.command()
def plugins() -> None:
    """List the installed condition families and the subjects they claim."""
    from segdsl.families.registry import registry

    for fam in registry().describe():
        click.echo(f"{fam['name']:<12} {fam['origin']:<12} " + ", ".join(fam["subjects"]))


@cli.command()
def dialects() -> None:
    """List the SQL dialects `segdsl compile` can emit."""
    for name, rules in DIALECTS.items():
        ran = "runs here" if rules.executable else "compile only"
        click.echo(f"{name:<10} {ran:<13} {rules.description}")


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[TextIO]:
    """Write ``path`` through a temporary file beside it: complete, or untouched on any failure.

    A symlink is written through (its target is replaced, the link stays); the file keeps its
    permission bits, and a new file gets the usual ones (0666 less the umask), not mkstemp's 0600.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> None:
    """Console-script entry point."""
    with contextlib.suppress(ValueError):  # not in the main thread (embedded): leave signals alone
        signal.signal(signal.SIGTERM, _on_sigterm)
    cli(prog_name="segdsl")


if __name__ == "__main__":  # pragma: no cover
    main()
