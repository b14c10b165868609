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

from hypothesis import strategies as st

from segdsl.settings import DEFAULT_CHANNELS

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


@functools.lru_cache(maxsize=None)
def kw(phrase: str) -> st.SearchStrategy[Tokens]:
    """A keyword phrase (one or more words), each word in random case."""
    words = phrase.split()

    def spell(word: str) -> st.SearchStrategy[str]:
        mixed = st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
            lambda flips: "".join(c.upper() if f else c for c, f in zip(word, flips, strict=True))
        )
        return st.one_of(st.just(word), st.just(word.upper()), st.just(word.title()), mixed)

    return st.tuples(*(spell(w) for w in words)).map(list)


def _escape_char(ch: str, quote: str, draw: st.DrawFn) -> str:
    """One character of a string body in quotes ``quote``: raw when it can be, else (or by chance) escaped."""
    named = {'"': '\\"', "'": "\\'", "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
    must = ch in ("\\", "\n", quote)
    if must or draw(st.integers(0, 9)) == 0:
        if ch in named and (must or draw(st.booleans())):
            return named[ch]
        code = ord(ch)
        if code > 0xFFFF:  # a surrogate pair
            high, low = divmod(code - 0x10000, 0x400)
            return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04X}"
        return f"\\u{code:04x}" if draw(st.booleans()) else f"\\u{code:04X}"
    return ch


@st.composite
def quoted(draw: st.DrawFn, value: str) -> str:
    """A string literal that reads back as ``value``, in either quote style."""
    quote = draw(st.sampled_from(['"', "'"]))
    return quote + "".join(_escape_char(ch, quote, draw) for ch in value) + quote


def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(alphabet=TEXT_CHARS, min_size=min_size, max_size=max_size)


def non_blank_texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Texts that are not empty after trimming spaces (what `is`/`isn't`/`in` accept)."""
    return texts(1, max_size).filter(lambda t: t.strip(" ") != "")


def phone_texts() -> st.SearchStrategy[str]:
    """Phone numbers with something left once spaces, hyphens, dots, parentheses and plus signs go."""
    noise = st.sampled_from([" ", "-", ".", "(", ")", "+", ""])
    digits = st.text(alphabet=st.sampled_from(string.digits + "x#*"), min_size=1, max_size=12)
    return st.one_of(
        st.builds(lambda a, d, b: a + d + b, noise, digits, noise),
        st.builds(lambda cc, a, b: f"+{cc} {a}-{b}", st.integers(1, 999), st.integers(0, 99999), st.integers(0, 99999)),
        texts(1, 10).filter(lambda t: t.translate(str.maketrans("", "", " -.()+")) != ""),
    )


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """A number literal: 12, -3, 4.50, 007 ..."""
    sign = draw(st.sampled_from(["", "", "-"]))
    whole = draw(st.one_of(st.integers(0, 100), st.integers(0, 10**15)))
    lead = "0" * draw(st.integers(0, 2)) if draw(st.integers(0, 9)) == 0 else ""
    fraction = draw(st.one_of(st.just(""), st.text(alphabet=string.digits, min_size=1, max_size=4).map(lambda d: "." + d)))
    return f"{sign}{lead}{whole}{fraction}"


def booleans() -> st.SearchStrategy[str]:
    return st.sampled_from(["true", "false"]).flatmap(lambda w: kw(w).map(lambda t: t[0]))


@st.composite
def dates(draw: st.DrawFn) -> tuple[str, dt.datetime]:
    """(literal, the instant it starts) for a date."""
    day = draw(st.dates(MIN_DATE, MAX_DATE))
    return day.isoformat(), dt.datetime.combine(day, dt.time())


@st.composite
def date_times(draw: st.DrawFn) -> tuple[str, dt.datetime]:
    at = draw(st.datetimes(dt.datetime.combine(MIN_DATE, dt.time()), dt.datetime(2099, 12, 31, 23, 59, 59)))
    at = at.replace(microsecond=0)
    if at.second == 0 and draw(st.booleans()):
        clock = f"{at:%H:%M}"
    else:
        clock = f"{at:%H:%M:%S}"
    sep = draw(st.sampled_from(["T", "T", "t"]))
    zone = draw(st.sampled_from(["", "", "Z", "z"]))
    return f"{at:%Y-%m-%d}{sep}{clock}{zone}", at


@st.composite
def times(draw: st.DrawFn) -> tuple[str, dt.time]:
    t = draw(st.times()).replace(microsecond=0)
    if t.second == 0 and draw(st.booleans()):
        return f"{t:%H:%M}", t
    return f"{t:%H:%M:%S}", t


@st.composite
def durations(draw: st.DrawFn) -> Tokens:
    amount = draw(st.one_of(st.sampled_from([0, 1, 7, 30]), st.integers(0, 1000)))
    return [str(amount), *draw(kw(draw(st.sampled_from(UNITS))))]


# --------------------------------------------------------------------------- operators


@st.composite
def is_op(draw: st.DrawFn, symbols: bool = True) -> Tokens:
    return draw(st.one_of(kw("is"), st.just(["="])) if symbols else kw("is"))


@st.composite
def isnt_op(draw: st.DrawFn) -> Tokens:
    return draw(st.one_of(kw("isn't"), kw("isn\u2019t"), kw("is not"), st.just(["!="])))


@st.composite
def known_op(draw: st.DrawFn) -> Tokens:
    """`is unknown` / `is known` (and, rarely, their `isn't` forms)."""
    word = draw(st.sampled_from(["unknown", "known"]))
    head = draw(st.one_of(kw("is"), kw("is"), kw("is"), kw("isn't"), kw("is not")))
    return [*head, *draw(kw(word))]


@st.composite
def value_list(draw: st.DrawFn, items: st.SearchStrategy[str]) -> Tokens:
    values = draw(st.lists(items, min_size=1, max_size=4))
    out = ["("]
    for i, value in enumerate(values):
        if i:
            out.append(",")
        out.append(value)
    return [*out, ")"]


# --------------------------------------------------------------------------- families


@st.composite
def channels(draw: st.DrawFn, names: Sequence[str] = DEFAULT_CHANNELS) -> Tokens:
    name = draw(st.sampled_from(list(names)))
    return [*draw(kw("channel")), draw(kw(name))[0]]


@st.composite
def tag_conditions(draw: st.DrawFn) -> Tokens:
    head = draw(kw("tag"))
    tag = texts(0, 10).flatmap(quoted)
    form = draw(st.sampled_from(["is", "isnt", "in", "known"]))
    if form == "is":
        return [*head, *draw(is_op()), draw(tag)]
    if form == "isnt":
        return [*head, *draw(isnt_op()), draw(tag)]
    if form == "in":
        return [*head, *draw(kw("in")), *draw(value_list(tag))]
    return [*head, *draw(known_op())]


@st.composite
def personal_conditions(draw: st.DrawFn) -> Tokens:
    subject = draw(st.sampled_from(["name", "email", "number", "gender"]))
    head = draw(kw(subject))
    if subject == "gender":
        gender = st.sampled_from(GENDERS).flatmap(
            lambda g: st.one_of(kw(g).map(lambda t: t[0]), st.sampled_from([g, g.upper(), g.title()]).flatmap(quoted))
        )
        form = draw(st.sampled_from(["is", "isnt", "in", "known"]))
        if form == "is":
            return [*head, *draw(is_op()), draw(gender)]
        if form == "isnt":
            return [*head, *draw(isnt_op()), draw(gender)]
        if form == "in":
            return [*head, *draw(kw("in")), *draw(value_list(gender))]
        return [*head, *draw(known_op())]
    equal = (phone_texts() if subject == "number" else non_blank_texts()).flatmap(quoted)
    some = (phone_texts() if subject == "number" else texts(1, 8)).flatmap(quoted)
    form = draw(st.sampled_from(["is", "isnt", "in", "known", "contains", "starts with", "ends with"]))
    if form == "is":
        return [*head, *draw(is_op()), draw(equal)]
    if form == "isnt":
        return [*head, *draw(isnt_op()), draw(equal)]
    if form == "in":
        return [*head, *draw(kw("in")), *draw(value_list(equal))]
    if form == "known":
        return [*head, *draw(known_op())]
    return [*head, *draw(kw(form)), draw(some)]


@st.composite
def field_keys(draw: st.DrawFn) -> str:
    bare = st.from_regex(re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,11}"), fullmatch=True).filter(
        lambda k: k.lower() not in RESERVED
    )
    return draw(st.one_of(bare, bare, texts(1, 10).flatmap(quoted), st.sampled_from(sorted(RESERVED)).flatmap(quoted)))


@st.composite
def field_conditions(draw: st.DrawFn) -> Tokens:
    head = [*draw(kw("field")), draw(field_keys())]
    equal = st.one_of(non_blank_texts().flatmap(quoted), numbers(), booleans())
    form = draw(st.sampled_from(["shorthand", "is", "isnt", "in", "known", "order", "contains", "starts with", "ends with"]))
    if form == "shorthand":
        return [*head, ":", draw(equal)]
    if form == "is":
        return [*head, *draw(is_op()), draw(equal)]
    if form == "isnt":
        return [*head, *draw(isnt_op()), draw(equal)]
    if form == "in":
        return [*head, *draw(kw("in")), *draw(value_list(equal))]
    if form == "known":
        return [*head, *draw(known_op())]
    if form == "order":
        return [*head, draw(st.sampled_from(["<", "<=", ">", ">="])), draw(numbers())]
    return [*head, *draw(kw(form)), draw(texts(1, 8).flatmap(quoted))]


def _range_end(literal: str, start: dt.datetime) -> dt.datetime:
    """Where `between`'s upper bound ends: the end of the day, or one second after a date-time."""
    return start + (dt.timedelta(days=1) if len(literal) == 10 else dt.timedelta(seconds=1))


@st.composite
def interaction_conditions(draw: st.DrawFn) -> Tokens:
    form = draw(
        st.sampled_from(["within", "more than", "before", "after", "on", "between", "time", "flag", "bot flow", "cart"])
    )
    last = draw(kw("last interaction"))
    instant = st.one_of(dates(), date_times())
    if form == "within":
        return [*last, *draw(kw("within")), *draw(durations())]
    if form == "more than":
        return [*last, *draw(kw("more than")), *draw(durations()), *draw(kw("ago"))]
    if form in ("before", "after"):
        return [*last, *draw(kw(form)), draw(instant)[0]]
    if form == "on":
        return [*last, *draw(kw("on")), draw(dates())[0]]
    if form == "between":
        low, high = sorted([draw(instant), draw(instant)], key=lambda pair: pair[1])
        assert low[1] < _range_end(*high)  # a non-empty range
        return [*last, *draw(kw("between")), low[0], *draw(kw("and")), high[0]]
    if form == "time":
        words = [*last, *draw(kw("time"))]
        which = draw(st.sampled_from(["before", "after", "between"]))
        if which != "between":
            return [*words, *draw(kw(which)), draw(times())[0]]
        low = draw(times())
        high = draw(times().filter(lambda t: t[1] != low[1]))
        return [*words, *draw(kw("between")), low[0], *draw(kw("and")), high[0]]
    if form == "cart":
        return draw(kw("has unpaid cart"))
    subject = "completed bot flow" if form == "bot flow" else draw(st.sampled_from(FLAGS))
    out = draw(kw(subject))
    if subject == "completed bot flow" and draw(st.booleans()):
        out.append(draw(texts(1, 10).flatmap(quoted)))
    if draw(st.booleans()):
        out += [*draw(kw("within")), *draw(durations())]
    return out


def condition_tokens() -> st.SearchStrategy[Tokens]:
    """One condition of any family but `channel`, as tokens."""
    return st.one_of(tag_conditions(), personal_conditions(), field_conditions(), interaction_conditions())


# --------------------------------------------------------------------------- expressions

# An expression tree: ("cond", tokens) | ("not", child) | ("and" | "or", [children])
Tree = tuple[str, object]
PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cond": 4}


def _trees(max_leaves: int) -> st.SearchStrategy[Tree]:
    leaf = condition_tokens().map(lambda toks: ("cond", toks))

    def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        return st.one_of(
            children.map(lambda c: ("not", c)),
            st.tuples(st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3)),
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


@st.composite
def _render(draw: st.DrawFn, tree: Tree, needed: int) -> Tokens:
    """Tokens for ``tree`` where a node binding looser than ``needed`` is parenthesised (and others by chance)."""
    kind, body = tree
    if kind == "cond":
        out: Tokens = list(body)  # type: ignore[call-overload]
    elif kind == "not":
        out = [*draw(kw("not")), *draw(_render(body, PRECEDENCE["not"]))]  # type: ignore[arg-type]
    else:
        out = []
        for i, child in enumerate(body):  # type: ignore[arg-type]
            if i:
                out += draw(kw(kind))
            out += draw(_render(child, PRECEDENCE[kind]))
    if PRECEDENCE[kind] < needed or draw(st.integers(0, 7)) == 0:
        out = ["(", *out, ")"]
    return out


_WORDISH = re.compile(r"[A-Za-z0-9_]")


_COMMENT = st.text(alphabet=SAFE_TEXT.filter(lambda c: c != "\n"), max_size=12).map(lambda t: f" #{t}\n")
_SOME_SPACE = st.one_of(
    st.just(" "),
    st.just(" "),
    st.sampled_from(["  ", "\n", "\t", "\r\n", "\n  ", " \f "]),
    _COMMENT,
)
_MAYBE_SPACE = st.one_of(st.just(""), st.just(""), _SOME_SPACE)


def separators(required: bool) -> st.SearchStrategy[str]:
    """What goes between two tokens: whitespace, newlines, comments (never nothing when ``required``)."""
    return _SOME_SPACE if required else _MAYBE_SPACE


@st.composite
def join(draw: st.DrawFn, tokens: Tokens) -> str:
    """The tokens as text, with random separators (a space at least between word-like neighbours)."""
    out = [tokens[0]]
    for before, after in zip(tokens, tokens[1:], strict=False):
        required = bool(_WORDISH.match(before[-1]) and _WORDISH.match(after[0]))
        out.append(draw(separators(required)))
        out.append(after)
    return "".join(out)


def conditions() -> st.SearchStrategy[str]:
    """The text of one condition (any family but `channel`)."""
    return condition_tokens().flatmap(join)


@st.composite
def _expression_tokens(draw: st.DrawFn, max_leaves: int) -> Tokens:
    return draw(_render(draw(_trees(max_leaves)), PRECEDENCE["and"]))


def rule_conditions(max_leaves: int = 6) -> st.SearchStrategy[str]:
    """An and/or/not expression of conditions, without the channel.

    It can stand after ``channel NAME and `` as is: an `or` at its top is
    parenthesised, so the channel stays a top-level conjunct.
    """
    return _expression_tokens(max_leaves).flatmap(join)


@st.composite
def rules(draw: st.DrawFn, max_leaves: int = 6, names: Sequence[str] = DEFAULT_CHANNELS) -> str:
    """A whole valid rule: ``channel NAME`` first, then usually ``and`` and an expression."""
    tokens = draw(channels(names))
    if draw(st.integers(0, 9)) > 0:
        tokens += [*draw(kw("and")), *draw(_expression_tokens(max_leaves))]
    lead = draw(st.one_of(st.just(""), st.just(""), separators(True)))
    trail = draw(st.one_of(st.just(""), st.just(""), separators(True), st.just(" # the end")))
    return lead + draw(join(tokens)) + trail


def family_of(strategy: Callable[[], st.SearchStrategy[Tokens]]) -> st.SearchStrategy[str]:
    """The text of one condition from a single family's strategy (e.g. ``family_of(field_conditions)``)."""
    return strategy().flatmap(join)
