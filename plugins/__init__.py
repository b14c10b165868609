"""segdsl's built-in condition families (installed as ``segdsl.builtins``).

They register through the same hook as any third-party plugin.
"""

from __future__ import annotations

from collections.abc import Callable

from segdsl.families.hookspecs import hookimpl
from segdsl.families.spec import Family


@hookimpl
def segdsl_families(register: Callable[[str, Family], None]) -> None:
    from segdsl.builtins import (
        channel,
        field,
        interaction_flag,
        interaction_time,
        last_interaction,
        personal,
        tag,
        unpaid_cart,
    )

    register("channel", channel.ChannelFamily())
    register("tag", tag.TagFamily())
    register("personal", personal.PersonalFamily())
    register("field", field.FieldFamily())
    register("last_interaction", last_interaction.LastInteractionFamily())
    register("interaction_time", interaction_time.InteractionTimeFamily())
    register("interaction_flag", interaction_flag.InteractionFlagFamily())
    register("unpaid_cart", unpaid_cart.UnpaidCartFamily())
