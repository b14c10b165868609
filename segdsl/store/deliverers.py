"""Deliverers: the plugins that hand a run's batches to the world, and the choice of one.

``print`` (the default) writes the recipients, one per line, to stdout or a file;
``webhook`` (:mod:`segdsl.store.webhook`) POSTs JSON batches. Any installed plugin of the
``segdsl`` entry-point group that implements ``segdsl_deliver`` is chosen by its name, and
``module:attribute`` names a deliverer object (or a class taking no arguments) in any module.

A :class:`Deliverer` is that choice as data: the store checks it before it records anything,
records it with the broadcast (:meth:`Deliverer.record`, secrets masked) and reopens it when
``resend`` resumes or repeats the broadcast without being told another one.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from segdsl.families.hookspecs import hookimpl
from segdsl.families.registry import PluginError, deliverer_hook, installed_plugin
from segdsl.store.errors import BadDeliverer, DelivererNeeded
from segdsl.store.records import Broadcast, Delivery, Run
from segdsl.store.urls import http_url, redact_http_url

#: the recipient formats of the printer
PRINT_FORMATS = ("ids", "jsonl")


class PrintDeliverer:
    """Writes each recipient on a line of its own: the customer id (``ids``) or a JSON object (``jsonl``).

    The stream is flushed after every batch, so what was written is what the store marks sent.
    """

    def __init__(self, stream: TextIO | None = None, fmt: str = "ids") -> None:
        if fmt not in ("ids", "jsonl"):
            raise ValueError(f"format must be ids or jsonl, not {fmt!r}")
        self.stream = stream or sys.stdout
        self.fmt = fmt

    @hookimpl
    def segdsl_deliver(self, broadcast: Broadcast, run: Run, batch: list[Delivery]) -> None:
        if self.fmt == "ids":
            self.stream.write("".join(f"{d.customer_id}\n" for d in batch))
        else:
            head = {"broadcast": broadcast.name, "run": run.number, "message": broadcast.message}
            self.stream.write(
                "".join(
                    json.dumps({**head, "customer_id": d.customer_id, "idempotency_key": d.idempotency_key},
                               ensure_ascii=False) + "\n"
                    for d in batch
                )
            )
        self.stream.flush()


def _what(obj: Any) -> str:
    """``obj`` in a few words, for an error message."""
    if isinstance(obj, types.ModuleType):
        return f"`{obj.__name__}` (a module)"
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return f"`{obj.__module__}.{obj.__qualname__}` (a function)"
    return f"a `{_type_name(obj)}` object"


def _type_name(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    kind = type(obj)
    return f"{kind.__module__}:{kind.__qualname__}"


def _load(spec: str) -> Any:
    """``--via`` SPEC -> the plugin object; BadDeliverer naming SPEC when it cannot be loaded."""
    label = f"--via {spec}"
    if ":" not in spec:
        plugin = installed_plugin(spec)
        if plugin is None:
            raise BadDeliverer(f"{label} is not a deliverer: no plugin of that name is installed "
                               "(built in: print, and --webhook URL; or give module:attribute)")
        return plugin
    module_name, _, attr = spec.partition(":")
    try:
        target = getattr(importlib.import_module(module_name), attr)
    except ImportError as exc:
        raise BadDeliverer(f"{label} is not a deliverer: cannot import `{module_name}` ({exc})") from None
    except AttributeError:
        raise BadDeliverer(f"{label} is not a deliverer: module `{module_name}` has no `{attr}`") from None
    if isinstance(target, type):
        try:
            target = target()
        except Exception as exc:  # noqa: BLE001 - any failure of the user's constructor is one line
            raise BadDeliverer(f"{label} is not a deliverer: {attr}() failed ({exc})") from None
    return target


def _hook(plugin: Any, label: str) -> Any:
    """The plugin's ``segdsl_deliver`` hook; BadDeliverer naming ``label`` when it has none."""
    try:
        return deliverer_hook(plugin, "deliverer")
    except PluginError:
        raise BadDeliverer(f"{label} is not a deliverer: {_what(plugin)} has no `segdsl_deliver` hook") from None


@dataclass(frozen=True)
class Deliverer:
    """A deliverer as chosen for a broadcast: what the store records and reopens on resend.

    ``kind`` is ``print`` (``target``: the absolute path of the file appended to, None for
    stdout; ``format`` ``ids`` or ``jsonl``), ``webhook`` (``target``: the URL), ``via``
    (``target``: an installed plugin's name or ``module:attribute``) or ``object`` (an object
    handed to the API; ``target`` its ``module:Class``). ``complete`` is False for a webhook
    reopened from a record whose secrets were not stored: it must be given again.

    >>> Deliverer.webhook("https://u:pw@hooks.example/send?token=abc").describe()
    'webhook https://u:***@hooks.example/send?token=***'
    """

    kind: str
    target: str | None = None
    format: str = "ids"
    instance: Any = field(default=None, compare=False, repr=False)
    complete: bool = True

    # ------------------------------------------------------------ making one

    @classmethod
    def printer(cls, out: str | os.PathLike[str] | None = None, fmt: str = "ids") -> Deliverer:
        """Print the recipients to stdout, or append them to ``out``, as ``ids`` or ``jsonl``."""
        return cls("print", None if out is None else os.path.abspath(os.fspath(out)), fmt)

    @classmethod
    def webhook(cls, url: str) -> Deliverer:
        """POST the batches as JSON to ``url`` (http or https)."""
        return cls("webhook", url)

    @classmethod
    def via(cls, spec: str) -> Deliverer:
        """An installed deliverer plugin by name, or ``module:attribute`` (a class is instantiated)."""
        return cls.printer() if spec == "print" else cls("via", spec)

    @classmethod
    def of(cls, deliverer: Any) -> Deliverer:
        """A Deliverer as is; None -> the printer to stdout; any other object -> kind ``object``."""
        if deliverer is None:
            return cls.printer()
        if isinstance(deliverer, Deliverer):
            return deliverer
        return cls("object", _type_name(deliverer), instance=deliverer)

    # ------------------------------------------------------------ records

    def record(self) -> str:
        """The JSON text the broadcast keeps: a webhook URL's password and query values masked
        (``secrets`` says whether any were); a printer's file as an absolute path."""
        if self.kind == "print":
            data: dict[str, Any] = {"kind": "print", "out": self.target, "format": self.format}
        elif self.kind == "webhook":
            assert self.target is not None
            shown = redact_http_url(self.target)
            data = {"kind": "webhook", "url": shown, "secrets": shown != self.target or not self.complete}
        elif self.kind == "via":
            data = {"kind": "via", "name": self.target}
        else:
            data = {"kind": "object", "type": self.target}
        return json.dumps(data, sort_keys=True)

    @classmethod
    def recorded(cls, text: str | None) -> Deliverer | None:
        """The Deliverer a broadcast recorded (None: recorded before store revision 0002)."""
        if text is None:
            return None
        data = json.loads(text)
        kind = data["kind"]
        if kind == "print":
            return cls("print", data["out"], data["format"])
        if kind == "webhook":
            return cls("webhook", data["url"], complete=not data["secrets"])
        if kind == "via":
            return cls("via", data["name"])
        return cls("object", data["type"], complete=False)

    def describe(self) -> str:
        """One line for people: ``print to stdout``, ``webhook https://host/send?token=***``, …"""
        if self.kind == "print":
            where = "stdout" if self.target is None else self.target
            return f"print to {where}" + (" as jsonl" if self.format == "jsonl" else "")
        if self.kind == "webhook":
            return f"webhook {redact_http_url(self.target or '')}"
        return f"{self.kind} {self.target}"

    # ------------------------------------------------------------ using one

    def check(self) -> Any:
        """Validate without writing anything; returns the plugin for ``via`` and ``object``.

        Raises BadDeliverer naming what was given (``--via os:path is not a deliverer: …``),
        or DelivererNeeded for an incomplete record.
        """
        if not self.complete:
            raise DelivererNeeded(f"the {self.describe()} cannot be reopened from the store")
        if self.kind == "print":
            if self.format not in PRINT_FORMATS:
                raise BadDeliverer(f"--format {self.format} is not a recipient format: use ids or jsonl")
            if self.target is not None:
                folder = os.path.dirname(self.target)
                if os.path.isdir(self.target):
                    raise BadDeliverer(f"--out {self.target} is a folder, not a file")
                if not os.path.isdir(folder):
                    raise BadDeliverer(f"--out {self.target}: the folder {folder} does not exist")
            return None
        if self.kind == "webhook":
            url = self.target or ""
            parsed = http_url(url)
            if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
                raise BadDeliverer(f"--webhook {redact_http_url(url)} is not an http(s) URL "
                                   "(like https://host/path)")
            return None
        if self.kind == "via":
            assert self.target is not None
            plugin = _load(self.target)
            _hook(plugin, f"--via {self.target}")
            return plugin
        _hook(self.instance, f"the deliverer {self.target}")
        return self.instance

    @contextlib.contextmanager
    def open(self) -> Iterator[Any]:
        """Check, then yield the ``segdsl_deliver`` hook caller (``hook(broadcast=, run=, batch=)``);
        closes the file or HTTP client afterwards. A file that cannot be opened is BadDeliverer."""
        plugin = self.check()
        if self.kind == "print":
            if self.target is None:
                yield _hook(PrintDeliverer(sys.stdout, self.format), "print")
                return
            try:
                stream = open(self.target, "a", encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise BadDeliverer(f"--out {self.target}: {exc.strerror}") from None
            with stream:
                yield _hook(PrintDeliverer(stream, self.format), "print")
            return
        if self.kind == "webhook":
            from segdsl.store.webhook import WebhookDeliverer

            assert self.target is not None
            client = WebhookDeliverer(self.target)
            try:
                yield _hook(client, "webhook")
            finally:
                client.close()
            return
        yield _hook(plugin, self.describe())


def load_deliverer(spec: str) -> Any:
    """An installed deliverer plugin by name, or ``module:attribute`` (a class is instantiated).

    Raises BadDeliverer with a one-line message naming ``spec`` when it cannot be loaded or
    has no ``segdsl_deliver`` hook.
    """
    plugin = _load(spec)
    _hook(plugin, f"--via {spec}")
    return plugin
