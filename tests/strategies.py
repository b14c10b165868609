"""Hypothesis strategies for random *valid* rule text.

Every family and operator of LANGUAGE.md section 3, in every spelling the
language accepts: keywords in random case, ``is``/``=``, the four spellings
of ``isn't``, random whitespace and comments between tokens, both quote styles
with every escape, strings with Unicode, quotes, backslashes, control
characters, ``%`` and ``_``. The literals stay within what the plugins accept
(non-blank equality texts, phone numbers with digits, real dates, windows of at
most 1000 units, non-empty ranges), so every generated rule parses.

    from tests.strategies import rules, rule_conditions, conditions

- ``rules()``: whole rules: ``channel NAME`` first, as a top-level conjunct,
  then (usually) ``and`` and a nested ``and``/``or``/``not`` expression;
- ``rule_conditions()``: such an expression alone, without the channel, ready
  to follow ``channel NAME and `` (it is parenthesised where it needs to be);
- ``conditions()``: one condition (any family but ``channel``).

Each strategy takes the text pieces as tokens and joins them with random
separators; two word-like tokens always get at least one space between them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import strategies as st

from segdsl.families.settings import DEFAULT_CHANNELS

Tokens = list[str]

GENDERS = ("female", "male", "other")
UNITS = ("minute", "minutes", "hour", "hours", "day", "days", "week", "weeks")
FLAGS = ("talked with agent", "completed product flow", "completed collection flow", "completed bot flow")
RESERVED = {"and", "or", "not", "between", "true", "false"}
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

# Characters that tend to break quoting, escaping, LIKE patterns and case folding.
SPECIAL = (
    "%_\"'\\\n\t\r\x01\x1f\x7f #()=,:;*?[]^$.|+-/"
    "\u00e9\u00c9\u00df\u0130\u0131\u03a3\u03c3\u03c2\u00eb\u00fc\u00d6\u0939\u093f\u4e2d\u0627"
    "\u00a0\u2028\u200d\ufeff\u2019\u201c\U0001f600\U0001f468"
)
SAFE_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
TEXT_CHARS = st.one_of(st.sampled_from(SPECIAL), st.sampled_from(string.ascii_letters + string.digits), SAFE_TEXT)


# --------------------------------------------------------------------------- spelling
#
# The strategies are built once (module constants or cached functions) and the
# helpers take hypothesis' ``draw``: building strategies inside a draw costs
# hypothesis a validation each time, and made generation 20x slower.


@functools.cache
def kw(phrase: str) -> st.SearchStrategy[Tokens]:
    """A keyword phrase (one or more words), each word in random case."""

    def spell(word: str) -> st.SearchStrategy[str]:
        mixed = st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
            lambda flips: "".join(c.upper() if f else c for c, f in zip(word, flips, strict=True))
        )
        return st.one_of(st.just(word), st.just(word.upper()), st.just(word.title()), mixed)

    return st.tuples(*(spell(w) for w in phrase.split())).map(list)


_NAMED_ESCAPES = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
_QUOTES = st.sampled_from(['"', "'"])
_ONE_IN_TEN = st.integers(0, 9)
_COIN = st.booleans()


def _escape_char(draw: st.DrawFn, ch: str, quote: str) -> str:
    """One character of a string body in quotes ``quote``: raw when it can be, else (or by chance) escaped."""
    must = ch in ("\\", "\n", quote)
    if not must and draw(_ONE_IN_TEN) != 0:
        return ch
    if ch in _NAMED_ESCAPES and (must or draw(_COIN)):
        return _NAMED_ESCAPES[ch]
    code = ord(ch)
    if code > 0xFFFF:  # a surrogate pair
        high, low = divmod(code - 0x10000, 0x400)
        return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04X}"
    return f"\\u{code:04x}" if draw(_COIN) else f"\\u{code:04X}"


def _quoted(draw: st.DrawFn, value: str) -> str:
    """A string literal that reads back as ``value``, in either quote style."""
    quote = draw(_QUOTES)
    return quote + "".join(_escape_char(draw, ch, quote) for ch in value) + quote


def quoted(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """String literals of the values, in either quote style and with random escapes."""

    @st.composite
    def literal(draw: st.DrawFn) -> str:
        return _quoted(draw, draw(values))

    return literal()


@functools.cache
def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(alphabet=TEXT_CHARS, min_size=min_size, max_size=max_size)


@functools.cache
def non_blank_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Texts that are not empty after trimming spaces (what `is`/`isn't`/`in` accept)."""
    return texts(1, max_size).filter(lambda t: t.strip(" ") != "")


_PHONE_NOISE = st.sampled_from([" ", "-", ".", "(", ")", "+", ""])
_PHONE_DIGITS = st.text(alphabet=st.sampled_from(string.digits + "x#*"), min_size=1, max_size=12)
PHONES = st.one_of(
    st.builds(lambda a, d, b: a + d + b, _PHONE_NOISE, _PHONE_DIGITS, _PHONE_NOISE),
    st.builds(lambda cc, a, b: f"+{cc} {a}-{b}", st.integers(1, 999), st.integers(0, 99999), st.integers(0, 99999)),
    texts(1, 10).filter(lambda t: t.translate(str.maketrans("", "", " -.()+")) != ""),
)


def phone_texts() -> st.SearchStrategy[str]:
    """Phone numbers with something left once spaces, hyphens, dots, parentheses and plus signs go."""
    return PHONES


_SIGNS = st.sampled_from(["", "", "-"])
_WHOLES = st.one_of(st.integers(0, 100), st.integers(0, 10**15))
_FRACTIONS = st.one_of(st.just(""), st.text(alphabet=string.digits, min_size=1, max_size=4).map(lambda d: "." + d))


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """A number literal: 12, -3, 4.50, 007 ..."""
    lead = "0" * draw(st.integers(1, 2)) if draw(_ONE_IN_TEN) == 0 else ""
    return f"{draw(_SIGNS)}{lead}{draw(_WHOLES)}{draw(_FRACTIONS)}"


BOOLEANS = st.one_of(kw("true"), kw("false")).map(lambda t: t[0])


def booleans() -> st.SearchStrategy[str]:
    return BOOLEANS


@st.composite
def dates(draw: st.DrawFn) -> tuple[str, dt.datetime]:
    """(literal, the instant it starts) for a date."""
    day = draw(st.dates(MIN_DATE, MAX_DATE))
    return day.isoformat(), dt.datetime.combine(day, dt.time())


@st.composite
def date_times(draw: st.DrawFn) -> tuple[str, dt.datetime]:
    """(literal, instant) for a date-time, with or without seconds, `T` or `t`, `Z`, `z` or nothing."""
    at = draw(st.datetimes(dt.datetime.combine(MIN_DATE, dt.time()), dt.datetime(2099, 12, 31, 23, 59, 59)))
    at = at.replace(microsecond=0)
    clock = f"{at:%H:%M}" if at.second == 0 and draw(_COIN) else f"{at:%H:%M:%S}"
    sep = draw(st.sampled_from(["T", "T", "t"]))
    zone = draw(st.sampled_from(["", "", "Z", "z"]))
    return f"{at:%Y-%m-%d}{sep}{clock}{zone}", at


@st.composite
def times(draw: st.DrawFn) -> tuple[str, dt.time]:
    """(literal, value) for a time of day: 09:00 or 09:00:30."""
    t = draw(st.times()).replace(microsecond=0)
    if t.second == 0 and draw(_COIN):
        return f"{t:%H:%M}", t
    return f"{t:%H:%M:%S}", t


INSTANTS = st.one_of(dates(), date_times())
_AMOUNTS = st.one_of(st.sampled_from([0, 1, 7, 30]), st.integers(0, 1000))
_UNITS = st.sampled_from(UNITS)


def _duration(draw: st.DrawFn) -> Tokens:
    return [str(draw(_AMOUNTS)), *draw(kw(draw(_UNITS)))]


# --------------------------------------------------------------------------- operators

IS = st.one_of(kw("is"), st.just(["="]))
ISNT = st.one_of(kw("isn't"), kw("isn\u2019t"), kw("is not"), st.just(["!="]))
_KNOWN_HEAD = st.one_of(kw("is"), kw("is"), kw("is"), kw("isn't"), kw("is not"))
_KNOWN_WORD = st.one_of(kw("unknown"), kw("known"))


def _known(draw: st.DrawFn) -> Tokens:
    """`is unknown` / `is known` (and, rarely, their `isn't` forms)."""
    return [*draw(_KNOWN_HEAD), *draw(_KNOWN_WORD)]


_LIST_SIZE = st.integers(1, 4)


def _list(draw: st.DrawFn, items: st.SearchStrategy[str]) -> Tokens:
    out = ["("]
    for i in range(draw(_LIST_SIZE)):
        if i:
            out.append(",")
        out.append(draw(items))
    return [*out, ")"]


def _equality(draw: st.DrawFn, head: Tokens, value: st.SearchStrategy[str], form: str) -> Tokens | None:
    """`is V`, `isn't V`, `in (V, ...)`, `is known`/`is unknown`: the forms most families share."""
    if form == "is":
        return [*head, *draw(IS), draw(value)]
    if form == "isnt":
        return [*head, *draw(ISNT), draw(value)]
    if form == "in":
        return [*head, *draw(kw("in")), *_list(draw, value)]
    if form == "known":
        return [*head, *_known(draw)]
    return None


# --------------------------------------------------------------------------- families


@st.composite
def channels(draw: st.DrawFn, names: Sequence[str] = DEFAULT_CHANNELS) -> Tokens:
    name = draw(st.sampled_from(list(names)))
    return [*draw(kw("channel")), draw(kw(name))[0]]


TAGS = quoted(texts(0, 10))
_EQUALITY_FORMS = st.sampled_from(["is", "isnt", "in", "known"])


@st.composite
def tag_conditions(draw: st.DrawFn) -> Tokens:
    out = _equality(draw, draw(kw("tag")), TAGS, draw(_EQUALITY_FORMS))
    assert out is not None
    return out


GENDER_VALUES = st.one_of(
    *(kw(g).map(lambda t: t[0]) for g in GENDERS),
    quoted(st.sampled_from([g.upper() for g in GENDERS] + list(GENDERS) + [g.title() for g in GENDERS])),
)
_PERSONAL = {
    subject: (
        quoted(PHONES if subject == "number" else non_blank_texts()),
        quoted(PHONES if subject == "number" else texts(1, 8)),
    )
    for subject in ("name", "email", "number")
}
_TEXT_FORMS = st.sampled_from(["is", "isnt", "in", "known", "contains", "starts with", "ends with"])


@st.composite
def personal_conditions(draw: st.DrawFn) -> Tokens:
    subject = draw(st.sampled_from(["name", "email", "number", "gender"]))
    head = draw(kw(subject))
    if subject == "gender":
        out = _equality(draw, head, GENDER_VALUES, draw(_EQUALITY_FORMS))
        assert out is not None
        return out
    equal, some = _PERSONAL[subject]
    form = draw(_TEXT_FORMS)
    return _equality(draw, head, equal, form) or [*head, *draw(kw(form)), draw(some)]


_BARE_KEYS = st.from_regex(re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,11}"), fullmatch=True).filter(
    lambda k: k.lower() not in RESERVED
)
FIELD_KEYS = st.one_of(_BARE_KEYS, _BARE_KEYS, quoted(texts(1, 10)), quoted(st.sampled_from(sorted(RESERVED))))
FIELD_VALUES = st.one_of(quoted(non_blank_texts()), numbers(), BOOLEANS)
_FIELD_FORMS = st.sampled_from(
    ["shorthand", "is", "isnt", "in", "known", "order", "contains", "starts with", "ends with"]
)
_SOME_TEXT = quoted(texts(1, 8))


def field_keys() -> st.SearchStrategy[str]:
    return FIELD_KEYS


@st.composite
def field_conditions(draw: st.DrawFn) -> Tokens:
    head = [*draw(kw("field")), draw(FIELD_KEYS)]
    form = draw(_FIELD_FORMS)
    if form == "shorthand":
        return [*head, ":", draw(FIELD_VALUES)]
    if form == "order":
        return [*head, draw(st.sampled_from(["<", "<=", ">", ">="])), draw(numbers())]
    return _equality(draw, head, FIELD_VALUES, form) or [*head, *draw(kw(form)), draw(_SOME_TEXT)]


def _range_end(literal: str, start: dt.datetime) -> dt.datetime:
    """Where `between`'s upper bound ends: the end of the day, or one second after a date-time."""
    return start + (dt.timedelta(days=1) if len(literal) == 10 else dt.timedelta(seconds=1))


_INTERACTION_FORMS = st.sampled_from(
    ["within", "more than", "before", "after", "on", "between", "time", "flag", "bot flow", "cart"]
)
_BOT_FLOWS = quoted(texts(1, 10))


@st.composite
def interaction_conditions(draw: st.DrawFn) -> Tokens:
    form = draw(_INTERACTION_FORMS)
    last = draw(kw("last interaction"))
    if form == "within":
        return [*last, *draw(kw("within")), *_duration(draw)]
    if form == "more than":
        return [*last, *draw(kw("more than")), *_duration(draw), *draw(kw("ago"))]
    if form in ("before", "after"):
        return [*last, *draw(kw(form)), draw(INSTANTS)[0]]
    if form == "on":
        return [*last, *draw(kw("on")), draw(dates())[0]]
    if form == "between":
        low, high = sorted([draw(INSTANTS), draw(INSTANTS)], key=lambda pair: pair[1])
        assert low[1] < _range_end(*high)  # a non-empty range
        return [*last, *draw(kw("between")), low[0], *draw(kw("and")), high[0]]
    if form == "time":
        words = [*last, *draw(kw("time"))]
        which = draw(st.sampled_from(["before", "after", "between"]))
        if which != "between":
            return [*words, *draw(kw(which)), draw(times())[0]]
        low = draw(times())
        high = draw(times())
        if high[1] == low[1]:
            high = ("23:59:59", dt.time(23, 59, 59)) if low[1] != dt.time(23, 59, 59) else ("00:00", dt.time(0))
        return [*words, *draw(kw("between")), low[0], *draw(kw("and")), high[0]]
    if form == "cart":
        return draw(kw("has unpaid cart"))
    subject = "completed bot flow" if form == "bot flow" else draw(st.sampled_from(FLAGS))
    out = draw(kw(subject))
    if subject == "completed bot flow" and draw(_COIN):
        out.append(draw(_BOT_FLOWS))
    if draw(_COIN):
        out += [*draw(kw("within")), *_duration(draw)]
    return out


CONDITION_TOKENS = st.one_of(tag_conditions(), personal_conditions(), field_conditions(), interaction_conditions())


def condition_tokens() -> st.SearchStrategy[Tokens]:
    """One condition of any family but `channel`, as tokens."""
    return CONDITION_TOKENS


# --------------------------------------------------------------------------- expressions

# An expression tree: ("cond", tokens) | ("not", child) | ("and" | "or", [children])
Tree = tuple[str, Any]
PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cond": 4}
_ONE_IN_EIGHT = st.integers(0, 7)


@functools.cache
def _trees(max_leaves: int) -> st.SearchStrategy[Tree]:
    leaf = CONDITION_TOKENS.map(lambda toks: ("cond", toks))

    def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        return st.one_of(
            children.map(lambda c: ("not", c)),
            st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


def _render(draw: st.DrawFn, tree: Tree, needed: int) -> Tokens:
    """Tokens for ``tree``; a node binding looser than ``needed`` is parenthesised (others by chance)."""
    kind, body = tree
    if kind == "cond":
        out: Tokens = list(body)
    elif kind == "not":
        out = [*draw(kw("not")), *_render(draw, body, PRECEDENCE["not"])]
    else:
        out = []
        for i, child in enumerate(body):
            if i:
                out += draw(kw(kind))
            out += _render(draw, child, PRECEDENCE[kind])
    if PRECEDENCE[kind] < needed or draw(_ONE_IN_EIGHT) == 0:
        out = ["(", *out, ")"]
    return out


_COMMENT = st.text(alphabet=SAFE_TEXT.filter(lambda c: c != "\n"), max_size=12).map(lambda t: f" #{t}\n")
_SOME_SPACE = st.one_of(
    st.just(" "),
    st.just(" "),
    st.sampled_from(["  ", "\n", "\t", "\r\n", "\n  ", " \f "]),
    _COMMENT,
)
_MAYBE_SPACE = st.one_of(st.just(""), st.just(""), _SOME_SPACE)
_WORDISH = re.compile(r"[A-Za-z0-9_]")


def separators(required: bool) -> st.SearchStrategy[str]:
    """What goes between two tokens: whitespace, newlines, comments (never nothing when ``required``)."""
    return _SOME_SPACE if required else _MAYBE_SPACE


def _join(draw: st.DrawFn, tokens: Tokens) -> str:
    """The tokens as text, with random separators (a space at least between word-like neighbours)."""
    out = [tokens[0]]
    for before, after in zip(tokens, tokens[1:], strict=False):
        required = bool(_WORDISH.match(before[-1]) and _WORDISH.match(after[0]))
        out.append(draw(separators(required)))
        out.append(after)
    return "".join(out)


@st.composite
def conditions(draw: st.DrawFn) -> str:
    """The text of one condition (any family but `channel`)."""
    return _join(draw, draw(CONDITION_TOKENS))


@st.composite
def rule_conditions(draw: st.DrawFn, max_leaves: int = 6) -> str:
    """An and/or/not expression of conditions, without the channel.

    It can stand after ``channel NAME and `` as is: an `or` at its top is
    parenthesised, so the channel stays a top-level conjunct.
    """
    return _join(draw, _render(draw, draw(_trees(max_leaves)), PRECEDENCE["and"]))


_LEAD = st.one_of(st.just(""), st.just(""), _SOME_SPACE)
_TRAIL = st.one_of(st.just(""), st.just(""), _SOME_SPACE, st.just(" # the end"))


@st.composite
def rules(draw: st.DrawFn, max_leaves: int = 6, names: Sequence[str] = DEFAULT_CHANNELS) -> str:
    """A whole valid rule: ``channel NAME`` first, then usually ``and`` and an expression."""
    tokens = draw(channels(names))
    if draw(_ONE_IN_TEN) > 0:
        tokens += [*draw(kw("and")), *_render(draw, draw(_trees(max_leaves)), PRECEDENCE["and"])]
    return draw(_LEAD) + _join(draw, tokens) + draw(_TRAIL)


def family_of(strategy: Callable[[], st.SearchStrategy[Tokens]]) -> st.SearchStrategy[str]:
    """The text of one condition from a single family's strategy (e.g. ``family_of(field_conditions)``)."""
    tokens = strategy()

    @st.composite
    def text(draw: st.DrawFn) -> str:
        return _join(draw, draw(tokens))

    return text()
