"""Deliverers: the plugins that hand a run's batches to the world.

``print`` (the default) writes the recipients, one per line, to stdout or a file;
``webhook`` (:mod:`segdsl.store.webhook`) POSTs JSON batches. Any installed plugin of the
``segdsl`` entry-point group that implements ``segdsl_deliver`` is chosen by its name, and
``module:attribute`` names a deliverer object (or a class taking no arguments) in any module.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any, TextIO

from segdsl.families.hookspecs import hookimpl
from segdsl.families.registry import PluginError, installed_plugin
from segdsl.store.records import Broadcast, Delivery, Run


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


def load_deliverer(spec: str) -> Any:
    """An installed deliverer plugin by name, or ``module:attribute`` (a class is instantiated).

    Raises PluginError with a one-line message when it cannot be found.
    """
    if ":" in spec:
        module_name, _, attr = spec.partition(":")
        try:
            target = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise PluginError(f"cannot load deliverer `{spec}`: {exc}") from None
        return target() if isinstance(target, type) else target
    plugin = installed_plugin(spec)
    if plugin is None:
        raise PluginError(
            f"no deliverer plugin named `{spec}` is installed (built in: print, webhook; or use module:attribute)"
        )
    return plugin
