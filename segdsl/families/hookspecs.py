"""Plugin hook signatures. A condition family is a plugin implementing these.

Built-in families (``plugins/``) implement them exactly as third-party
plugins do; ``segdsl/families/registry.py`` registers both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from sqlglot import exp

    from segdsl.families.settings import Settings
    from segdsl.lang.ir import Condition
    from segdsl.lang.terms import TermReader
    from segdsl.sql.context import SqlContext

hookspec = pluggy.HookspecMarker("segdsl")
hookimpl = pluggy.HookimplMarker("segdsl")


@hookspec
def segdsl_subjects() -> list[str]:  # type: ignore[empty-body]
    """The subject phrases this plugin claims, lower case (e.g. ["last interaction"])."""


@hookspec
def segdsl_parse_condition(subject: str, reader: TermReader, settings: Settings) -> Condition:  # type: ignore[empty-body]
    """Read the terms after a claimed subject into a typed Condition, or raise RuleError."""


@hookspec
def segdsl_format_condition(condition: Condition) -> str:  # type: ignore[empty-body]
    """The canonical text of a condition this plugin owns."""


@hookspec
def segdsl_sql_condition(condition: Condition, ctx: SqlContext) -> exp.Expression:  # type: ignore[empty-body]
    """A sqlglot predicate for the condition that is TRUE or FALSE, never NULL."""


@hookspec
def segdsl_sql_cost(condition: Condition) -> int:  # type: ignore[empty-body]
    """Optional: how soon to test the condition where engines test in written order; lower first (default 50)."""


@hookspec
def segdsl_python_condition(condition: Condition, ctx: Any) -> Any:  # type: ignore[empty-body]
    """A Python predicate ``f(record_view) -> bool`` equal to the SQL predicate."""


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
