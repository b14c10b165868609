"""segdsl: a rule language for customer segments.

>>> import segdsl
>>> rule = segdsl.parse('channel whatsapp and tag = "vip" and gender is female')
>>> segdsl.format(rule)
'channel whatsapp and tag is "vip" and gender is female'
"""

from segdsl.api import audience, compile, count, evaluate, format, matcher, parse
from segdsl.lang.errors import RuleError, Span
from segdsl.lang.ir import Rule

__all__ = [
    "RuleError", "Rule", "Span", "Store", "audience", "compile", "count", "evaluate", "format", "matcher", "parse",
]
__version__ = "0.1.0"



def __getattr__(name: str) -> object:
    # segdsl.Store without importing SQLAlchemy for every `segdsl compile`
    if name == "Store":
        from segdsl.store import Store

        return Store
    raise AttributeError(f"module 'segdsl' has no attribute {name!r}")
