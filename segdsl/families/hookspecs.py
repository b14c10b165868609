"""The plugin hook signature. A plugin registers condition families through it.

Built-in families (``plugins/``) use it exactly as third-party plugins do;
``segdsl/families/registry.py`` is the one place that calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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
