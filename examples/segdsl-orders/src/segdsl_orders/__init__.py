"""segdsl-orders: `orders count`, `spent` and `last order` conditions on an `orders` table.

segdsl loads this module through the `segdsl` entry-point group
(``pyproject.toml``) and calls its one hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from segdsl.families.hookspecs import hookimpl


@hookimpl
def segdsl_families(register: Callable[[str, Any], None]) -> None:
    """Register the three families; segdsl stamps each name on its family."""
    from segdsl_orders.families import LastOrderFamily, OrdersCountFamily, SpentFamily

    register("orders_count", OrdersCountFamily())
    register("spent", SpentFamily())
    register("last_order", LastOrderFamily())
