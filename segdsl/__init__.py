"""segdsl: a rule language for customer segments.

>>> import segdsl
>>> rule = segdsl.parse('channel whatsapp and tag = "vip" and gender is female')
>>> segdsl.format(rule)
'channel whatsapp and tag is "vip" and gender is female'
"""

from .api import compile, evaluate, format, matcher, parse
from .errors import RuleError, Span
from .ir import Rule

__all__ = ["RuleError", "Rule", "Span", "compile", "count", "evaluate", "format", "matcher", "parse"]
__version__ = "0.1.0"


def count(rule, db=None, now=None, settings=None):  # type: ignore[no-untyped-def]
    """The number of customers matching ``rule`` in the database ``db`` (a URL)."""
    from .engines import count as _count

    return _count(rule, db=db, now=now, settings=settings)
