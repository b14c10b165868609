"""The plugin hook signatures: condition families, and deliverers of broadcasts.

Built-in families (``plugins/``) use it exactly as third-party plugins do;
``segdsl/families/registry.py`` is the one place that calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from segdsl.families.spec import Family

hookspec = pluggy.HookspecMarker("segdsl")
hookimpl = pluggy.HookimplMarker("segdsl")


@hookspec
def segdsl_families(register: Callable[[str, Family], None]) -> None:
    """Call ``register(name, family)`` once per :class:`~segdsl.families.spec.Family` the plugin provides.

    ``name`` (``[a-z][a-z0-9_]*``) is stamped on the family and names its conditions.
    """


# ------------------------------------------------------------------ delivery (segdsl.store)


@hookspec
def segdsl_deliver(broadcast: Any, run: Any, batch: list[Any]) -> None:
    """Deliver one batch of a broadcast run; return normally once every delivery in it is handed over.

    ``broadcast`` is a :class:`segdsl.store.Broadcast` (name, message, segment, rule snapshot),
    ``run`` a :class:`segdsl.store.Run` (id, number), ``batch`` a list of
    :class:`segdsl.store.Delivery` (``customer_id``, ``idempotency_key`` = "run_id:customer_id").
    The store marks the batch sent after the call returns; raising leaves it planned, and the
    run is resumed later by ``segdsl resend``. After a crash the batch that was in flight may be
    offered again with the same keys, so a deliverer should pass them on to an idempotent API.
    A deliverer is chosen per send (``--via``); it is not a condition family.
    """
