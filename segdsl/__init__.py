"""segdsl: a rule language for customer segments.

>>> import segdsl
>>> rule = segdsl.parse('channel whatsapp and tag = "vip" and gender is female')
>>> segdsl.format(rule)
'channel whatsapp and tag is "vip" and gender is female'
"""

from segdsl.api import audience, compile, connect, count, evaluate, format, matcher, parse, stream_audience
from segdsl.lang.errors import RuleError, Span
from segdsl.lang.ir import Rule

__all__ = [
    "RuleError", "Rule", "Span", "audience", "compile", "connect", "count", "evaluate", "format", "matcher", "parse",
    "stream_audience",
]
__version__ = "0.1.0"

