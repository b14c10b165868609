"""What every segdsl command shares: the RULE input, the common options, one-line errors.

Imported by :mod:`segdsl.cli` and :mod:`segdsl.cli_store`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click

from segdsl import api
from segdsl.families.settings import Settings
from segdsl.lang import ir

RULE_HELP = "RULE is the rule text; use -f FILE to read it from a file, or - to read it from stdin."


class _Failure(Exception):
    """A runtime failure with a one-line message (exit code 1)."""


def _one_line(err: BaseException) -> str:
    if isinstance(err, OSError) and err.strerror:
        name = f" {err.filename}" if err.filename else ""
        return f"{err.strerror}:{name}".rstrip(":")
    return " ".join(str(err).split()) or type(err).__name__


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


def color_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
        help="Colour the rule: auto colours on a terminal unless NO_COLOR is set.",
    )(func)


def rule_echo(text: str, color: str) -> None:
    """Print rule text, highlighted when ``color`` says so for stdout."""
    from segdsl.highlight import highlight, use_color

    if use_color(color, sys.stdout):
        click.echo(highlight(text), color=True)
    else:
        click.echo(text)


def now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--now", help="The moment rules are evaluated at, ISO 8601 (default: the current UTC time)."
    )(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        help="Database URL: sqlite:///file.db, duckdb:///file.duckdb, postgresql://user@host:port/db, "
        "mysql://user@host:port/db, spark://local[*]?warehouse=PATH (Parquet folders named after the tables) "
        "or sc://HOST:15002 (Spark Connect; ?catalog=C&database=D). A spark:// call starts a JVM first "
        "(10-20 s idle, 30-50 s on a busy machine, then seconds per Spark job); the Python API's "
        "segdsl.connect(URL) pays that once. "
        "Spark holds customers only: saved segments and broadcasts need --store URL. "
        "Default: $SEGDSL_DB, else sqlite:///segdsl.db.",
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


@contextlib.contextmanager
def _atomic_output(path: Path) -> Iterator[TextIO]:
    """Write ``path`` through a temporary file beside it: complete, or untouched on any failure.

    A symlink is written through (its target is replaced, the link stays); the file keeps its
    permission bits, and a new file gets the usual ones (0666 less the umask), not mkstemp's 0600.
    A target that is not a regular file (``/dev/null``, a FIFO) is written to, never replaced.
    """
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    else:
        if not stat.S_ISREG(info.st_mode):  # /dev/null, /dev/stdout, a FIFO: write to it, never replace it
            with open(target, "w", encoding="utf-8") as handle:
                yield handle
            return
        mode = stat.S_IMODE(info.st_mode)
    if not target.parent.is_dir():  # say so for the user's path, not the temporary file's
        raise FileNotFoundError(errno.ENOENT, "the folder does not exist", str(target.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
