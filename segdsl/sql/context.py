"""Stages 4 and 5, typed IR -> sqlglot expression -> SQL text per dialect.

Plugins build their predicates through :class:`SqlContext`, which knows the
schema mapping, the dialect, ``now`` and the rule's channel, and offers the
building blocks whose meaning must be the same on every engine (text
equality, "unknown", "is a number", timestamps). Every literal goes through
sqlglot, or becomes a bind parameter in ``params`` mode.

SQLite tests the conditions of an AND in the order written, so there the
cheap and selective ones come first (``Family.cost``: the tag before the
channel); other engines get the rule's order and plan it themselves.

>>> import segdsl
>>> print(segdsl.compile("channel sms and tag = 'vip'", dialect="sqlite", pretty=True))
SELECT
  "c"."id" AS "customer_id"
FROM "customers" AS "c"
WHERE
  EXISTS(
    SELECT
      1
    FROM "customer_tags" AS "t1"
    WHERE
      "t1"."customer_id" = "c"."id" AND LOWER("t1"."tag") COLLATE BINARY = 'vip'
  )
  AND EXISTS(
    SELECT
      1
    FROM "customer_channels" AS "ch2"
    WHERE
      "ch2"."customer_id" = "c"."id" AND LOWER("ch2"."channel") COLLATE BINARY = 'sms'
  )
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.settings import Schema, TableMapping
from segdsl.lang.stamps import instant_text
from segdsl.lang.textops import FOLD, FULL_LOWER_FIXES, LOWER_FIXES, fold
from segdsl.sql.dialects import DialectRules

#: decimal text from which Python's float() gives +-infinity (just under 2**1024 - 2**970)
DOUBLE_OVERFLOW = "1.7976931348623158079e308"
#: decimal text under which Python's float() gives 0 (just over 2**-1075)
DOUBLE_UNDERFLOW = "2.4703282292062328e-324"
#: a number written in fewer characters lies between 1e-300 and 1e300 in magnitude (or is 0)
SAFE_DOUBLE_DIGITS = 300
NUMBER_RE = "[+-]?[0-9]+([.][0-9]+)?"
PARAM_MARK = "__segdsl_param_"
SECONDS_PER_DAY = 86_400
#: the letters that are not ASCII and fold to ASCII (K -> k, ſ -> s, ı -> i, İ -> i; textops.ASCII_FROM_NON_ASCII)
ASCII_FOLDS = {c: f for c, f in sorted(FOLD.items()) if f.isascii() and not c.isascii()}
#: the most texts tested with one ILIKE each (PostgreSQL); more go to one IN list
MAX_ILIKES = 8
#: from this many ANDed semi-joins over one table on, they are one grouped semi-join
#: (SqlContext.group_semi_joins): one pass over the table instead of a subquery each
#: (DuckDB refuses 1,000 nested IN subqueries: its expression depth is 1,000)
GROUPED_FROM = 8
#: the key of SqlContext.fold_in's mark on the test it returns: (column name, folded texts)
FOLD_IN_META = "segdsl_fold_in"
#: the key of SqlContext.text_eq's and text_in's mark on a column's test: (column name, texts)
#: (keyed_joins reads it: the column is pinned to listed values)
EXACT_IN_META = "segdsl_exact_in"


# sqlglot's exp.and_ / exp.or_ / exp.not_ accept text and so go through its parser
# entry points on every call (several microseconds each); segdsl only combines
# expressions it has just built, so these make the same trees directly.


def _wrapped(e: exp.Expression) -> exp.Expression:
    return exp.Paren(this=e) if isinstance(e, exp.Connector) else e


#: from this many parts on, AND/OR are built as balanced trees with parentheses, so the
#: engines' parsers nest them log2(n) deep (SQLite and DuckDB refuse a depth of 1,000)
BALANCED_FROM = 16


def _chain(kind: type[exp.Connector], parts: Sequence[exp.Expression]) -> exp.Expression:
    if len(parts) >= BALANCED_FROM:
        mid = len(parts) // 2
        tree: Any = kind(this=_wrapped(_chain(kind, parts[:mid])), expression=_wrapped(_chain(kind, parts[mid:])))
        return tree  # type: ignore[no-any-return]
    this: Any
    this, *rest = parts
    if rest:
        this = _wrapped(this)
    for e in rest:
        this = kind(this=this, expression=_wrapped(e))
    return this


def conjuncts(e: exp.Expression, kind: type[exp.Connector] = exp.And) -> list[exp.Expression]:
    """The parts of an AND (or ``kind``) tree, parentheses removed: the inverse of :func:`and_`."""
    while isinstance(e, exp.Paren):
        e = e.this
    if isinstance(e, kind):
        return conjuncts(e.this, kind) + conjuncts(e.expression, kind)
    return [e]


def and_(*parts: exp.Expression) -> exp.Expression:
    """``exp.and_(*parts, copy=False)``: the same tree, without the parser overhead."""
    return _chain(exp.And, parts)


def or_(*parts: exp.Expression) -> exp.Expression:
    """``exp.or_(*parts, copy=False)``: the same tree, without the parser overhead."""
    return _chain(exp.Or, parts)


def not_(e: exp.Expression) -> exp.Expression:
    """``exp.not_(e, copy=False)``: the same tree, without the parser overhead."""
    return exp.Not(this=_wrapped(e))


def _like_escape(text: str) -> str:
    r"""``text`` as a LIKE pattern that matches only itself (escape character ``\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _collated(e: exp.Expression, collation: str) -> exp.Collate:
    """``e COLLATE "collation"``."""
    return exp.Collate(this=e, expression=exp.to_identifier(collation, quoted=True))


def _translate(e: exp.Expression, mapping: dict[str, str]) -> exp.Expression:
    """``TRANSLATE(e, 'from', 'to')``: each code point of ``mapping``'s keys to its value."""
    if not mapping:
        return e
    keys = "".join(mapping)
    return exp.Anonymous(
        this="TRANSLATE",
        expressions=[e, exp.Literal.string(keys), exp.Literal.string("".join(mapping[k] for k in keys))],
    )


def _replace_each(e: exp.Expression, mapping: dict[str, str]) -> exp.Expression:
    """``REPLACE(REPLACE(e, 'K', 'k'), …)``: :func:`_translate` where the engine has no TRANSLATE (SQLite)."""
    for key in sorted(mapping):
        e = exp.Replace(this=e, expression=exp.Literal.string(key), replacement=exp.Literal.string(mapping[key]))
    return e


def mapped_table(schema: Schema, role: str, alias: str | None = None) -> exp.Table:
    """The table a role is mapped to, quoted, with its database schema and an optional alias."""
    return table_of(schema[role], alias)


def table_of(mapping: TableMapping, alias: str | None = None) -> exp.Table:
    """The table of one role's mapping, quoted, with its database schema and an optional alias."""
    return exp.Table(
        this=exp.to_identifier(mapping.table, quoted=True),
        db=exp.to_identifier(mapping.db_schema, quoted=True) if mapping.db_schema else None,
        alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True)) if alias else None,
    )


@dataclass
class SqlContext:
    """What a plugin needs to build its SQL predicate."""

    dialect: DialectRules
    schema: Schema
    _now: dt.datetime
    channel: str
    use_params: bool = False
    params: list[Any] = field(default_factory=list)
    _aliases: int = 0
    #: did building the SQL read :attr:`now`? (if not, the statement holds for any instant:
    #: segdsl.sql.statements keeps it across calls)
    now_read: bool = False

    @property
    def now(self) -> dt.datetime:
        """The instant the rule is evaluated at, naive UTC seconds; reading it marks the SQL as
        depending on it (:attr:`now_read`)."""
        self.now_read = True
        return self._now

    # ------------------------------------------------------------ names

    def alias(self, prefix: str) -> str:
        """A fresh table alias (``t1``, ``i2`` ...), stable for a given rule."""
        self._aliases += 1
        return f"{prefix}{self._aliases}"

    def table(self, role: str, alias: str) -> exp.Table:
        """The table mapped to ``role`` (``customers`` or a role a registered family declares)."""
        return mapped_table(self.schema, role, alias)

    def col(self, role: str, column: str, alias: str) -> exp.Column:
        """``alias.<mapped column>`` for a column role of a table role."""
        name = self.schema[role].column(column)
        return exp.Column(this=exp.to_identifier(name, quoted=True), table=exp.to_identifier(alias, quoted=True))

    def customer(self, column: str) -> exp.Column:
        """A column of the outer customers row (alias ``c``)."""
        return self.col("customers", column, "c")

    # ------------------------------------------------------------ literals

    def lit(self, value: str | int | float | Decimal | bool) -> exp.Expression:
        """A literal, or a bind parameter in params mode."""
        if self.use_params:
            self.params.append(float(value) if isinstance(value, Decimal) else value)
            return exp.Var(this=f"{PARAM_MARK}{len(self.params) - 1}__")
        if isinstance(value, bool):
            return exp.Boolean(this=value)
        if isinstance(value, (int, float, Decimal)):
            return exp.Literal.number(str(value))
        return exp.Literal.string(value)

    def number(self, value: Decimal) -> exp.Expression:
        """A number compared as DOUBLE on every engine (``DialectRules.cast_numbers``)."""
        if not self.dialect.cast_numbers:
            return self.lit(value)
        return exp.cast(self.lit(value), exp.DataType.Type.DOUBLE, copy=False)

    def number_in(self, value: exp.Expression, numbers: Sequence[Decimal]) -> exp.Expression:
        """``value`` (a DOUBLE, e.g. :meth:`as_number`) equals one of ``numbers``: one ``=`` or one ``IN``,
        so ``value`` is written once however many numbers there are."""
        if len(numbers) == 1:
            return exp.EQ(this=value, expression=self.number(numbers[0]))
        return exp.In(this=value, expressions=[self.number(n) for n in numbers])

    def timestamp(self, value: dt.datetime) -> exp.Expression:
        """A UTC instant, typed for comparing with a timestamp column."""
        text = instant_text(value) + self.dialect.instant_zone
        if self.dialect.timestamp_wrap:
            return exp.Anonymous(this=self.dialect.timestamp_wrap, expressions=[self.lit(text)])
        return exp.cast(self.lit(text), exp.DataType.Type[self.dialect.instant_type], copy=False)

    def timestamp_column(self, column: exp.Expression) -> exp.Expression:
        """A stored timestamp, normalised where the engine keeps text (SQLite)."""
        if self.dialect.timestamp_wrap:
            return exp.Anonymous(this=self.dialect.timestamp_wrap, expressions=[column])
        return column

    def time_of_day(self, column: exp.Expression) -> exp.Expression:
        """The UTC time of day of a timestamp, comparable with :meth:`time_value`.

        ``HH:MM:SS`` text, or on "epoch" dialects (Spark) the seconds since
        midnight UTC, ``PMOD(UNIX_SECONDS(x), 86400)``: Spark formats a
        timestamp in the session time zone, but its epoch seconds are the instant's.
        """
        if self.dialect.time_of_day == "epoch":
            seconds = exp.Anonymous(this="UNIX_SECONDS", expressions=[column])
            return exp.Anonymous(this="PMOD", expressions=[seconds, exp.Literal.number(SECONDS_PER_DAY)])
        if self.dialect.time_of_day == "cast":
            return exp.cast(exp.cast(column, exp.DataType.Type.TIME, copy=False), exp.DataType.Type.TEXT, copy=False)
        return exp.TimeToStr(this=column, format=exp.Literal.string("%H:%M:%S"))

    def time_value(self, text: str) -> exp.Expression:
        """A time of day (``HH:MM:SS``) as :meth:`time_of_day` reads one: the text, or its seconds."""
        if self.dialect.time_of_day == "epoch":
            hours, minutes, seconds = (int(part) for part in text.split(":"))
            return self.lit(hours * 3600 + minutes * 60 + seconds)
        return self.lit(text)

    # ------------------------------------------------------------ text

    def _bin(self, e: exp.Expression) -> exp.Expression:
        """Text compared exactly, whatever the collation of the column it comes from.

        MySQL/MariaDB: as its UTF-8 bytes (converting to utf8mb4 first makes
        both sides the same encoding, so a latin1 table, the old MySQL
        default, still matches a non-ASCII literal). SQLite/DuckDB: under the
        binary collation, so a ``COLLATE NOCASE`` column cannot make keys
        case-insensitive (literals and parameters have no collation).
        """
        if self.dialect.binary_text:
            utf8 = exp.DataType(this=exp.DataType.Type.CHARACTER_SET, kind=exp.Var(this="utf8mb4"))
            return exp.cast(exp.Cast(this=e, to=utf8), exp.DataType.Type.BINARY, copy=False)
        if self.dialect.exact_collation and not isinstance(e, (exp.Literal, exp.Var)):
            return exp.Collate(this=e, expression=exp.Var(this=self.dialect.exact_collation))
        return e

    def fold(self, e: exp.Expression) -> exp.Expression:
        """``e`` case-folded by the rule of docs/language.md (``textops.fold``), as the dialect can.

        ``DialectRules.fold`` says how (``LOWER(UPPER(e))``, ICU's LOWER with two
        TRANSLATEs, segdsl's SQLite function); where the dialect can see that a
        text is pure ASCII (``ascii_test``), that text is folded by the native
        ASCII LOWER instead, which gives the same result more cheaply::

            CASE WHEN OCTET_LENGTH(e) = LENGTH(e) THEN LOWER(e COLLATE "C") ELSE <full fold> END
        """
        full = self._full_fold(e)
        if not self.dialect.ascii_test:
            return full
        return exp.Case(ifs=[exp.If(this=self._is_ascii(e, True), true=self._ascii_lower(e))], default=full)

    #: the name plugins used before: the fold is what "lower" means in segdsl's SQL
    lower = fold

    # The subtree ``e`` is shared, not copied, by the helpers below: the generator only reads it.

    def _full_fold(self, e: exp.Expression) -> exp.Expression:
        rules = self.dialect
        if rules.fold == "function":
            return exp.Anonymous(this=rules.fold_function, expressions=[e])
        if rules.fold == "lower_upper":
            if rules.fold_collation:
                e = exp.Collate(this=self._utf8(e), expression=exp.Var(this=rules.fold_collation))
            return exp.Lower(this=exp.Upper(this=e))
        if rules.fold == "icu":
            before = _translate(e, FULL_LOWER_FIXES)
            lowered = exp.Lower(this=_collated(before, rules.lower_collation))  # type: ignore[arg-type]
            folded = _translate(lowered, LOWER_FIXES)
            # one collation for both branches of fold()'s CASE
            return _collated(folded, rules.ascii_lower_collation) if rules.ascii_lower_collation else folded
        return exp.Lower(this=e)

    def _ascii_lower(self, e: exp.Expression) -> exp.Expression:
        collation = self.dialect.ascii_lower_collation
        return exp.Lower(this=_collated(e, collation) if collation else e)

    def _is_ascii(self, e: exp.Expression, ascii: bool) -> exp.Expression:
        """``e`` is pure ASCII (``ascii``), or is not: its UTF-8 length in bytes equals its length."""
        compare = exp.EQ if ascii else exp.NEQ
        return compare(this=self._octets(e), expression=exp.Length(this=e))

    def _octets(self, e: exp.Expression) -> exp.Expression:
        """The length of ``e`` in bytes (UTF-8): O(1) on both engines, unlike its length in characters."""
        if self.dialect.ascii_test == "blob_length":
            return exp.Length(this=exp.cast(e, exp.DataType.Type.VARBINARY, copy=False))
        return exp.Anonymous(this="OCTET_LENGTH", expressions=[e])

    def _may_fold_to(self, e: exp.Expression, texts: Sequence[str]) -> list[exp.Expression]:
        """``e`` may fold to one of ``texts`` (ASCII) though the ASCII test missed it: it is not pure
        ASCII, and longer in bytes than the shortest text.

        The fold maps one code point to one (``textops.fold``), so such a text has as many
        characters as the text it folds to, and more bytes. The byte count is O(1) and comes
        first, so short text skips ``LENGTH``, which walks the text: PostgreSQL R5 at 1M
        (channels of 3-9 letters against 'instagram') 1,064 -> 1,017 ms, median of 5. Byte count
        alone sends every longer text (most tags against 'vip') to the second branch: R2
        656 -> 819 ms.
        """
        return [self._longer(e, texts), self._is_ascii(e, False)]

    def _longer(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """``e`` has more bytes than the shortest of ``texts`` has characters."""
        return exp.GT(this=self._octets(e), expression=exp.Literal.number(min(len(t) for t in texts)))

    def _utf8(self, e: exp.Expression) -> exp.Expression:
        utf8 = exp.DataType(this=exp.DataType.Type.CHARACTER_SET, kind=exp.Var(this="utf8mb4"))
        return exp.Cast(this=e, to=utf8)

    def _ascii_equality_applies(self, texts: Sequence[str]) -> bool:
        """The dialect tests ASCII equality without folding, and every text is folded ASCII (at most
        MAX_ILIKES of them for ILIKE, one test each: beyond, one IN list of the folded column is smaller)."""
        rules = self.dialect
        if not rules.ascii_equality or (rules.ascii_equality == "ilike" and len(texts) > MAX_ILIKES):
            return False
        return all(t.isascii() and fold(t) == t for t in texts)

    def _ascii_equals(self, e: exp.Expression, texts: Sequence[str]) -> list[exp.Expression]:
        """Per text: ``e COLLATE "C" ILIKE 'text'`` (LIKE wildcards escaped) or ``e COLLATE NOCASE = 'text'``."""
        if self.dialect.ascii_equality == "nocase":
            nocase = exp.Collate(this=e, expression=exp.Var(this="NOCASE"))
            if len(texts) == 1:
                return [exp.EQ(this=nocase, expression=self.lit(texts[0]))]
            return [exp.In(this=nocase, expressions=[self.lit(t) for t in texts])]
        return [exp.ILike(this=self._ascii_collated(e), expression=self.lit(_like_escape(t))) for t in texts]

    def _ascii_collated(self, e: exp.Expression) -> exp.Expression:
        return _collated(e, self.dialect.ascii_lower_collation)  # type: ignore[arg-type]

    def fold_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """The fold of ``e`` is one of ``texts`` (each already folded: ``textops.fold``).

        Where the dialect compares ASCII text without folding it
        (``DialectRules.ascii_equality``) and every text is ASCII::

            e COLLATE "C" ILIKE 'vip'
            OR (OCTET_LENGTH(e) > 3 AND OCTET_LENGTH(e) <> LENGTH(e) AND <full fold of e> = 'vip')

        (PostgreSQL; SQLite: ``e COLLATE NOCASE = 'vip'``). On PostgreSQL the second branch is
        ``TRANSLATE(e, 'İıſK', 'iisk') COLLATE "C" ILIKE 'vip'``: only those four letters that are
        not ASCII fold to ASCII, so no ICU call is needed there (SQLite, which has no TRANSLATE:
        four nested ``REPLACE`` and ``COLLATE NOCASE``, so no call of segdsl's Python fold; on
        bench_sql's trap data R6 went from 178 to 159-163 ms). The first test folds
        ASCII letters only, which is all the fold does to ASCII text; text that
        is not pure ASCII and longer in bytes than the shortest text (:meth:`_may_fold_to`)
        gets the full fold (K, ſ, ı and İ fold to ASCII:
        :data:`segdsl.lang.textops.ASCII_FROM_NON_ASCII`). Cheaper than folding
        every row, and on PostgreSQL, unlike ``LOWER(...) = ...``, the planner
        estimates ILIKE from the column's statistics, so it picks a good join
        order (measured 1.4x faster in bench_sql R6 than without the second branch).
        """
        if not self._ascii_equality_applies(texts):
            test = self.text_in(self.fold(e), texts)
        elif self.dialect.ascii_equality in ("ilike", "nocase"):
            # the fold of text that is not ASCII is one of these ASCII texts only where its few
            # letters that fold to ASCII (K, ſ, ı, İ) do: map them, and ILIKE under "C" (NOCASE)
            # decides (it folds ASCII only, so other letters match nothing): no full fold per row
            mapped = (_translate if self.dialect.ascii_equality == "ilike" else _replace_each)(e, ASCII_FOLDS)
            other = or_(*self._ascii_equals(mapped, texts))
            test = or_(*self._ascii_equals(e, texts), and_(*self._may_fold_to(e, texts), other))
        else:
            folded = self.text_in(self._full_fold(e), texts)
            test = or_(*self._ascii_equals(e, texts), and_(*self._may_fold_to(e, texts), folded))
        if isinstance(e, exp.Column):  # what group_semi_joins reads: the fold of this column is one of texts
            test.meta[FOLD_IN_META] = (e.name, tuple(texts))
        return test

    def trimmed_fold_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """The fold of ``TRIM(e)`` is one of ``texts`` (folded, trimmed): :meth:`fold_in` of the trimmed text.

        On PostgreSQL (``ascii_equality = "ilike"``), text without spaces at its
        ends is tested untrimmed, so the planner can estimate the test from the
        column's statistics::

            e COLLATE "C" ILIKE 'true' OR (OCTET_LENGTH(e) > 4
                                           AND (LEFT(e, 1) = ' ' OR RIGHT(e, 1) = ' ' OR OCTET_LENGTH(e) <> LENGTH(e))
                                           AND <fold_in of TRIM(e)>)

        (a text with spaces at its ends, or not pure ASCII, whose trimmed fold is 'true' has
        more than 4 bytes: :meth:`_may_fold_to`)
        """
        untrimmed = self.dialect.ascii_equality == "ilike" and self._ascii_equality_applies(texts)
        if not untrimmed or any(t != t.strip(" ") for t in texts):
            return self.fold_in(self.trim(e), texts)
        other = or_(
            # not LIKE ' %': a % in the text is a placeholder for some drivers in params mode
            self.text_eq(exp.Left(this=e, expression=exp.Literal.number(1)), " ", const=True),
            self.text_eq(exp.Right(this=e, expression=exp.Literal.number(1)), " ", const=True),
            self._is_ascii(e, False),
        )
        trimmed = self.fold_in(self.trim(e), texts)
        # spaces at the ends, or text that is not ASCII: either way more bytes than the shortest text
        return or_(*self._ascii_equals(e, texts), and_(self._longer(e, texts), other, trimmed))

    def trim(self, e: exp.Expression) -> exp.Expression:
        """Trim spaces (only spaces) from both ends."""
        return exp.Trim(this=e, expression=exp.Literal.string(" "))

    def text_eq(self, e: exp.Expression, text: str, const: bool = False) -> exp.Expression:
        """Exact text equality: same characters, no padding, no collation games.

        ``const`` marks segdsl's own constants, which stay inline in params mode.
        """
        value = exp.Literal.string(text) if const else self.lit(text)
        test = exp.EQ(this=self._bin(e), expression=self._bin(value))
        if isinstance(e, exp.Column):
            test.meta[EXACT_IN_META] = (e.name, (text,))
        return test

    def text_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """Exact equality with any of ``texts``."""
        if len(texts) == 1:
            return self.text_eq(e, texts[0])
        test = exp.In(this=self._bin(e), expressions=[self._bin(self.lit(t)) for t in texts])
        if isinstance(e, exp.Column):
            test.meta[EXACT_IN_META] = (e.name, tuple(texts))
        return test

    def text_contains(self, e: exp.Expression, text: str) -> exp.Expression:
        """``text`` occurs in ``e`` (no wildcards: % and _ are plain characters)."""
        return exp.GT(
            this=exp.StrPosition(this=self._bin(e), substr=self._bin(self.lit(text))),
            expression=exp.Literal.number(0),
        )

    def text_starts(self, e: exp.Expression, text: str) -> exp.Expression:
        head = exp.Substring(this=e, start=exp.Literal.number(1), length=exp.Literal.number(len(text)))
        return self.text_eq(head, text)

    def text_ends(self, e: exp.Expression, text: str) -> exp.Expression:
        n = len(text)
        start = exp.Add(
            this=exp.Sub(this=exp.Length(this=e), expression=exp.Literal.number(n)),
            expression=exp.Literal.number(1),
        )
        tail = exp.Substring(this=e, start=start, length=exp.Literal.number(n))
        return and_(exp.GTE(this=exp.Length(this=e), expression=exp.Literal.number(n)), self.text_eq(tail, text))

    def text_test(self, op: str, e: exp.Expression, text: str) -> exp.Expression:
        """The substring test ``op`` (contains, starts_with, ends_with), as in textops.SUBSTRING_TESTS."""
        test = {"contains": self.text_contains, "starts_with": self.text_starts, "ends_with": self.text_ends}[op]
        return test(e, text)

    def is_blank(self, e: exp.Expression) -> exp.Expression:
        """NULL, or empty after trimming spaces (never NULL itself)."""
        return or_(exp.Is(this=e, expression=exp.Null()), self.text_eq(self.trim(e), "", const=True))

    def is_number(self, trimmed: exp.Expression) -> exp.Expression:
        """``trimmed`` matches ``[+-]?[0-9]+(\\.[0-9]+)?``.

        With a regex where the dialect's is exact (see DialectRules.number_test);
        elsewhere portably: drop one leading sign; what is left must be digits
        with at most one inner dot.
        """
        if self.dialect.number_test == "full_match":
            return exp.Anonymous(this="REGEXP_FULL_MATCH", expressions=[trimmed, exp.Literal.string(NUMBER_RE)])
        if self.dialect.number_test == "anchored":
            return exp.RegexpLike(this=trimmed, expression=exp.Literal.string(f"^{NUMBER_RE}$"))
        first = exp.Substring(this=trimmed, start=exp.Literal.number(1), length=exp.Literal.number(1))
        unsigned = exp.Case(
            ifs=[
                exp.If(
                    this=or_(self.text_eq(first, "+", const=True), self.text_eq(first, "-", const=True)),
                    true=exp.Substring(this=trimmed, start=exp.Literal.number(2)),
                )
            ],
            default=trimmed,
        )
        rest: exp.Expression = unsigned
        for digit in "0123456789":
            rest = exp.Anonymous(this="REPLACE", expressions=[rest, exp.Literal.string(digit), exp.Literal.string("")])
        u_first = exp.Substring(this=unsigned, start=exp.Literal.number(1), length=exp.Literal.number(1))
        u_last = exp.Substring(this=unsigned, start=exp.Length(this=unsigned), length=exp.Literal.number(1))
        return and_(
            exp.GT(this=exp.Length(this=unsigned), expression=exp.Literal.number(0)),
            or_(
                exp.EQ(this=exp.Length(this=rest), expression=exp.Literal.number(0)),
                and_(
                    self.text_eq(rest, ".", const=True),
                    not_(self.text_eq(u_first, ".", const=True)),
                    not_(self.text_eq(u_last, ".", const=True)),
                ),
            ),
        )

    def as_number(self, trimmed: exp.Expression) -> exp.Expression:
        """The number in ``trimmed`` as DOUBLE, or NULL when it is not a number.

        As with Python's ``float()``, a number beyond the double range is
        +-infinity and one below its smallest step is 0.
        """
        value: exp.Expression
        if self.dialect.double_cast_checks_range:
            value = self._double_in_range(trimmed)
        else:
            value = exp.cast(trimmed, exp.DataType.Type.DOUBLE, copy=False)
        return exp.Case(ifs=[exp.If(this=self.is_number(trimmed), true=value)])

    def _double_in_range(self, trimmed: exp.Expression) -> exp.Expression:
        """CAST to DOUBLE where the engine refuses text beyond the double range
        (PostgreSQL: one such stored value would fail the whole query): the
        number is read as NUMERIC first, and the extremes are decided there."""
        double = exp.DataType.Type.DOUBLE

        def numeric() -> exp.Expression:
            return exp.cast(trimmed.copy(), exp.DataType.Type.DECIMAL)

        def infinity(sign: str) -> exp.Expression:
            return exp.cast(exp.Literal.string(sign + "Infinity"), double)

        short = exp.Literal.number(SAFE_DOUBLE_DIGITS)
        return exp.Case(
            ifs=[
                # fewer than SAFE_DOUBLE_DIGITS characters: within 1e-300 .. 1e300, the cast is safe
                exp.If(this=exp.LT(this=exp.Length(this=trimmed.copy()), expression=short),
                       true=exp.cast(trimmed.copy(), double)),
                exp.If(this=exp.GTE(this=numeric(), expression=exp.Literal.number(DOUBLE_OVERFLOW)),
                       true=infinity("")),
                exp.If(this=exp.LTE(this=numeric(), expression=exp.Literal.number("-" + DOUBLE_OVERFLOW)),
                       true=infinity("-")),
                exp.If(this=exp.LT(this=exp.Abs(this=numeric()), expression=exp.Literal.number(DOUBLE_UNDERFLOW)),
                       true=exp.cast(exp.Literal.number(0), double)),
            ],
            default=exp.cast(trimmed.copy(), double),
        )

    # ------------------------------------------------------------ building blocks

    def exists(self, role: str, prefix: str, *where: Any, alias: str | None = None) -> exp.Expression:
        """The customer has a row of ``role`` meeting ``where``: TRUE or FALSE, never NULL.

        A correlated EXISTS, or, where the dialect plans it better
        (``DialectRules.semi_join_in``), :meth:`customer_in`. ``where`` may be
        callables taking the alias, so plugins can refer to the row they filter.
        """
        alias = alias or self.alias(prefix)
        conds = [w(alias) if callable(w) else w for w in where]
        if self.dialect.semi_join_in:
            return self.customer_in(role, alias, conds)
        query = exp.Select(
            expressions=[exp.Literal.number(1)],
            from_=exp.From(this=self.table(role, alias)),
            where=exp.Where(
                this=and_(exp.EQ(this=self.col(role, "customer_id", alias), expression=self.customer("id")), *conds)
            ),
        )
        return exp.Exists(this=query)

    def customer_in(
        self, role: str, alias: str, where: Sequence[exp.Expression], having: exp.Expression | None = None
    ) -> exp.Expression:
        """``c.id IN (SELECT customer_id FROM role WHERE customer_id IS NOT NULL AND where
        [GROUP BY customer_id HAVING having])``: the set never holds NULL, so the
        result (and its NOT) stays two-valued."""
        customer_id = self.col(role, "customer_id", alias)
        query = exp.Select(
            expressions=[customer_id],
            from_=exp.From(this=self.table(role, alias)),
            where=exp.Where(this=and_(not_(exp.Is(this=customer_id.copy(), expression=exp.Null())), *where)),
        )
        if having is not None:
            query.set("group", exp.Group(expressions=[customer_id.copy()]))
            query.set("having", exp.Having(this=having))
        return exp.In(this=self.customer("id"), query=exp.Subquery(this=query))

    def merge_semi_joins(self, parts: Sequence[exp.Expression], negated: bool = False) -> list[exp.Expression]:
        """The parts of an OR with the semi-joins over one table merged into one (``negated``:
        the parts of an AND, with the ``NOT`` semi-joins over one table merged). Repeated parts go.

        ``EXISTS(T WHERE k AND a) OR EXISTS(T WHERE k AND b)`` is
        ``EXISTS(T WHERE k AND (a OR b))``: some row meets a or some row meets b
        exactly when some row meets (a or b); and so ``NOT EXISTS(.. a) AND NOT
        EXISTS(.. b)`` is ``NOT EXISTS(T WHERE k AND (a OR b))``. The conjuncts
        every part shares (the customer, the channel) are tested once. Only the
        plain forms of :meth:`exists` merge (also DuckDB's ``c.id IN (SELECT
        ...)``), never a grouped ``IN``, for which the identity does not hold.
        The merged semi-join takes the place of the first one.
        """
        unique = _unique(parts)  # `a or a` is `a` (every part is TRUE or FALSE)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, e in enumerate(unique):
            key = _semi_join_key(_negated(e) if negated else e)
            if key is not None:
                groups.setdefault(key, []).append(i)
        inner = [(_negated(e) if negated else e) for e in unique]
        merged = {ids[0]: self._merge(inner, ids) for ids in groups.values() if len(ids) > 1}
        if negated:
            merged = {i: not_(e) for i, e in merged.items()}
        dropped = {i for ids in groups.values() for i in ids[1:]}
        return [merged.get(i, e) for i, e in enumerate(unique) if i not in dropped]

    def group_semi_joins(self, parts: Sequence[exp.Expression]) -> list[exp.Expression]:
        """The parts of an AND with :data:`GROUPED_FROM` or more plain semi-joins over one table
        as one grouped semi-join (issue 12 item 4). The others stay as they are.

        ``EXISTS(T WHERE k AND a1) AND ... AND EXISTS(T WHERE k AND an)`` holds exactly when
        the customer's rows meeting ``k AND (a1 OR ... OR an)`` include, for each i, one
        meeting ``ai``::

            c.id IN (SELECT customer_id FROM T WHERE customer_id IS NOT NULL AND k AND (a1 OR ... OR an)
                     GROUP BY customer_id HAVING MAX(CASE WHEN a1 THEN 1 ELSE 0 END) = 1 AND ...)

        When every ``ai`` is one :meth:`fold_in` of the same column with one text (``tag = "a" and
        tag = "b"``), a row meets at most one of them, and the test is one ``IN`` list and one count::

            ... WHERE k AND fold(x) IN ('a', 'b', ...) GROUP BY customer_id HAVING COUNT(DISTINCT fold(x)) = n

        The set never holds NULL, so the result and its NOT stay two-valued. The grouped
        semi-join takes the place of the first part of its group.
        """
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, e in enumerate(parts):
            key = _semi_join_key(e)
            if key is not None:
                groups.setdefault(key, []).append(i)
        grouped: dict[int, exp.Expression] = {}
        dropped: set[int] = set()
        for ids in groups.values():
            if len(ids) < GROUPED_FROM:
                continue
            one = self._grouped([parts[i] for i in ids])
            if one is not None:
                grouped[ids[0]] = one
                dropped.update(ids[1:])
        return [grouped.get(i, e) for i, e in enumerate(parts) if i not in dropped]

    def _grouped(self, parts: Sequence[exp.Expression]) -> exp.Expression | None:
        """One grouped semi-join for the AND of ``parts`` (see :meth:`group_semi_joins`), or None
        when a part refers to the outer row beyond the customer's id."""
        queries = [_semi_select(e) for e in parts]
        first = queries[0]
        alias = _alias_of(first)  # type: ignore[arg-type]
        table = first.args["from_"].this if "from_" in first.args else first.args["from"].this  # type: ignore[union-attr]
        wheres = [_renamed(query, alias) for query in queries]  # type: ignore[arg-type]
        common = [c for c in wheres[0] if all(c in w for w in wheres[1:])]
        rests = [[c for c in w if c not in common] for w in wheres]
        correlation = [c for c in common if _outer_columns(c)]
        if not all(rests) or any(_outer_columns(c) for r in rests for c in r):
            return None
        if correlation:  # EXISTS: `alias.customer_id = c.id`, the only reference to the outer row
            if len(correlation) > 1 or not _is_correlation(correlation[0]):
                return None
            group_by = correlation[0].this
        else:  # c.id IN (SELECT alias.customer_id ...)
            group_by = first.expressions[0]  # type: ignore[union-attr]
        kept = [c for c in common if c not in correlation and not _is_not_null(c, group_by)]
        marks = [r[0].meta.get(FOLD_IN_META) if len(r) == 1 else None for r in rests]
        names = {m[0] for m in marks if m}
        if all(m and len(m[1]) == 1 for m in marks) and len(names) == 1:
            column = _column(names.pop(), alias)
            texts = sorted({m[1][0] for m in marks})  # type: ignore[index]
            where = [*kept, self.fold_in(column, texts)]
            distinct = exp.Count(this=exp.Distinct(expressions=[self._bin(self.fold(column.copy()))]))
            having: exp.Expression = exp.EQ(this=distinct, expression=exp.Literal.number(len(texts)))
        else:
            one = exp.Literal.number(1)
            where = [*kept, or_(*[and_(*r) for r in rests])]
            zero = exp.Literal.number(0)
            having = and_(*[
                exp.EQ(this=exp.Max(this=exp.Case(ifs=[exp.If(this=and_(*r), true=one)], default=zero)), expression=one)
                for r in rests
            ])
        key = group_by.copy()
        query = exp.Select(
            expressions=[key],
            from_=exp.From(this=table.copy()),
            where=exp.Where(this=and_(not_(exp.Is(this=key.copy(), expression=exp.Null())), *where)),
            group=exp.Group(expressions=[key.copy()]),
            having=exp.Having(this=having),
        )
        return exp.In(this=self.customer("id"), query=exp.Subquery(this=query))

    def _merge(self, parts: Sequence[exp.Expression], ids: list[int]) -> exp.Expression:
        """One semi-join for the OR of ``parts[i]`` (i in ``ids``: semi-joins over the same table)."""
        first = parts[ids[0]]
        queries = [_semi_select(parts[i]) for i in ids]
        alias = _alias_of(queries[0])  # type: ignore[arg-type]
        # the merged semi-join replaces every part in ids: their nodes move into it, renamed, uncopied
        wheres = [_renamed(query, alias, copy=False) for query in queries]  # type: ignore[arg-type]
        common = [c for c in wheres[0] if all(c in w for w in wheres[1:])]
        rests = [[c for c in w if c not in common] for w in wheres]
        if all(rests):
            lists = _implied_lists(rests)
            for implied in [*lists, *self._implied_folds(rests, alias)]:
                if implied not in common:
                    common.append(implied)
            common.append(_switch(lists[0].this, rests, self.params) if lists and len(rests) >= GROUPED_FROM
                          else or_(*[and_(*rest) for rest in rests]))
        query = queries[0].copy()  # type: ignore[union-attr]
        query.set("where", exp.Where(this=and_(*common)))
        if isinstance(first, exp.Exists):
            if len(rests) >= GROUPED_FROM:
                # run once, not once per customer (SQLite builds the IN lists above per run)
                uncorrelated = _uncorrelated(common, self.customer("id"))
                if uncorrelated is not None:
                    key, where = uncorrelated
                    query.set("expressions", [key])
                    query.set("where", exp.Where(this=and_(*where)))
                    return exp.In(this=self.customer("id"), query=exp.Subquery(this=query))
            return exp.Exists(this=query)
        return exp.In(this=first.this, query=exp.Subquery(this=query))

    def _implied_folds(self, rests: Sequence[Sequence[exp.Expression]], alias: str) -> list[exp.Expression]:
        """Where every rest tests the fold of one column with :meth:`fold_in`, the fold of that
        column is one of all their texts: one IN list before the OR (see _implied_lists)."""
        marks = [{c.meta[FOLD_IN_META] for c in rest if FOLD_IN_META in c.meta} for rest in rests]
        names = set.intersection(*({m[0] for m in found} for found in marks))
        out = []
        for name in sorted(names):
            texts = sorted({t for found in marks for m in found if m[0] == name for t in m[1]})
            if len(texts) > 1:
                out.append(self.fold_in(_column(name, alias), texts))
        return out

    def on_channel(self, role: str, alias: str) -> exp.Expression:
        """The row's channel is the rule's channel (case-insensitive)."""
        return self.fold_in(self.col(role, "channel", alias), [self.channel])

    def truthy(self, e: exp.Expression) -> exp.Expression:
        """A stored boolean (BOOLEAN, or 0/1 where the engine has none)."""
        return e


def _negated(e: exp.Expression) -> exp.Expression:
    """What ``e`` negates, if it is ``NOT x`` (parentheses removed), else ``e`` itself (no semi-join key)."""
    if not isinstance(e, exp.Not):
        return exp.Null()
    inner = e.this
    while isinstance(inner, exp.Paren):
        inner = inner.this
    return inner  # type: ignore[no-any-return]


def _semi_select(e: exp.Expression) -> exp.Select | None:
    """The SELECT of a plain semi-join built by SqlContext.exists (EXISTS or ``c.id IN (SELECT ...)``)."""
    if isinstance(e, exp.Exists):
        query = e.this
    elif isinstance(e, exp.In) and isinstance(e.args.get("query"), exp.Subquery):
        query = e.args["query"].this
    else:
        return None
    if not isinstance(query, exp.Select) or any(query.args.get(k) for k in ("group", "having", "joins", "limit")):
        return None
    return query


def _fingerprint(e: exp.Expression) -> tuple[Any, ...]:
    """A cheap summary of ``e``'s shape near the root: equal trees have equal fingerprints.

    Follows the subquery, then the FROM, then ``this`` down to a table or a name
    (``EXISTS(SELECT ... FROM t)`` -> (Exists, Select, From, Table, 't')).
    """
    out: list[Any] = []
    node: Any = e
    for _ in range(8):
        if not isinstance(node, exp.Expression):
            out.append(node)
            break
        out.append(type(node))
        if isinstance(node, (exp.Table, exp.Identifier)):
            out.append(node.name)
            break
        args = node.args
        node = args.get("query") or args.get("from_") or args.get("from") or args.get("this")
    return tuple(out)


def _unique(parts: Sequence[exp.Expression]) -> list[exp.Expression]:
    """``parts`` without repeats, in order: ``list(dict.fromkeys(parts))``, which hashes every
    whole tree (about a fifth of building them), only where two parts share a :func:`_fingerprint`."""
    if len(parts) < 2 or len({_fingerprint(e) for e in parts}) == len(parts):
        return list(parts)
    return list(dict.fromkeys(parts))


def _semi_join_key(e: exp.Expression) -> tuple[Any, ...] | None:
    query = _semi_select(e)
    if query is None:
        return None
    table = query.args["from_"].this if "from_" in query.args else query.args["from"].this
    return (type(e).__name__, table.name, table.args.get("db") and table.args["db"].name)


def _alias_of(query: exp.Select) -> str:
    table = query.args["from_"].this if "from_" in query.args else query.args["from"].this
    return str(table.alias)


def _column(name: str, alias: str) -> exp.Column:
    """``"alias"."name"``."""
    return exp.Column(this=exp.to_identifier(name, quoted=True), table=exp.to_identifier(alias, quoted=True))


def _renamed(query: exp.Select, alias: str, copy: bool = True) -> list[exp.Expression]:
    """The conjuncts of ``query``'s WHERE (a copy unless ``copy`` is false: then the query's own
    nodes, renamed in place), its table's alias changed to ``alias``."""
    where = query.args["where"].this
    other = _alias_of(query)
    if copy:
        where = where.copy()
    elif other != alias:
        # sqlglot caches each node's hash (equality is by hash) and a rename clears the cache only
        # along one parent chain; a column used twice in a fold has one parent: clear them all
        for node in where.walk():
            node._hash = None
    if other != alias:
        for column in where.find_all(exp.Column):
            if column.table == other:
                column.set("table", exp.to_identifier(alias, quoted=True))
    return conjuncts(where)


def _outer_columns(e: exp.Expression) -> bool:
    """``e`` reads a column of the outer customers row (alias ``c``)."""
    return any(column.table == "c" for column in e.find_all(exp.Column))


def _is_correlation(e: exp.Expression) -> bool:
    """``e`` is ``alias.customer_id = c.id`` (SqlContext.exists's correlation)."""
    return (isinstance(e, exp.EQ) and isinstance(e.this, exp.Column) and e.this.table != "c"
            and isinstance(e.expression, exp.Column) and e.expression.table == "c")


def _is_not_null(e: exp.Expression, column: exp.Expression) -> bool:
    """``e`` is ``NOT column IS NULL`` (SqlContext.customer_in's guard)."""
    inner = e.this if isinstance(e, exp.Not) else None
    while isinstance(inner, exp.Paren):
        inner = inner.this
    return isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null) and inner.this == column


def _uncorrelated(
    where: Sequence[exp.Expression], customer: exp.Expression
) -> tuple[exp.Expression, list[exp.Expression]] | None:
    """An EXISTS's conjuncts as ``c.id IN (SELECT key ... WHERE key IS NOT NULL AND rest)``: (key, conjuncts),
    or None unless its only reference to the outer row is ``alias.customer_id = c.id``."""
    outer = [c for c in where if _outer_columns(c)]
    if len(outer) != 1 or not _is_correlation(outer[0]) or outer[0].expression != customer:
        return None
    key = outer[0].this
    return key.copy(), [not_(exp.Is(this=key.copy(), expression=exp.Null())), *(c for c in where if c is not outer[0])]


def _switch(key: exp.Expression, rests: Sequence[Sequence[exp.Expression]], params: Sequence[Any]) -> exp.Expression:
    """The OR of ``rests``, each of which has the conjunct ``key = <constant>``, as
    ``CASE WHEN key = k1 THEN <OR of the rests with k1, less that test> WHEN ... ELSE FALSE END``:
    TRUE for the same rows (a row's key equals at most one constant), and DuckDB's optimizer
    takes seconds over an OR of a thousand ANDs (its expression rewriter), not over a CASE."""
    tests: dict[Any, exp.Expression] = {}
    branches: dict[Any, list[exp.Expression]] = {}
    for rest in rests:
        test = next(c for c in rest if isinstance(c, exp.EQ) and c.this == key
                    and not list(c.expression.find_all(exp.Column)))
        others = [c for c in rest if c is not test]
        constant = _constant(test.expression, params)  # one branch per value: CASE takes the first that holds
        tests.setdefault(constant, test)
        branches.setdefault(constant, []).append(and_(*others) if others else exp.Boolean(this=True))
    return exp.Case(ifs=[exp.If(this=tests[c], true=or_(*alts)) for c, alts in branches.items()],
                    default=exp.Boolean(this=False))


def _constant(e: exp.Expression, params: Sequence[Any]) -> Any:
    """What a constant expression stands for: a bind parameter's value (params mode), else the expression."""
    values = tuple(params[int(v.name[len(PARAM_MARK):].rstrip("_"))] for v in e.find_all(exp.Var)
                   if v.name.startswith(PARAM_MARK))
    if not values:
        return e
    return re.sub(PARAM_MARK + r"\d+__", "?", e.sql()), values


def _implied_lists(rests: Sequence[Sequence[exp.Expression]]) -> list[exp.Expression]:
    """Tests implied by the OR of ``rests`` (each an AND) that one look-up decides: where every
    rest compares one expression with a constant (``key = 'k1'`` ... ``key = 'kn'``), ``key IN
    ('k1', ..., 'kn')``. Put before the OR, they spare the engine n tests on most rows
    (issue 12 item 4: 1,000 `not field k<i> contains ...` took 4.5 s on SQLite)."""
    out: list[exp.Expression] = []
    for candidate in rests[0]:
        if not isinstance(candidate, exp.EQ) or list(candidate.expression.find_all(exp.Column)):
            continue
        values: list[exp.Expression] = []
        for rest in rests:
            found = [c.expression for c in rest if isinstance(c, exp.EQ) and c.this == candidate.this
                     and not list(c.expression.find_all(exp.Column))]
            if not found:
                break
            values.append(found[0])
        else:
            unique = list(dict.fromkeys(values))
            if len(unique) > 1:
                out.append(exp.In(this=candidate.this.copy(), expressions=[v.copy() for v in unique]))
    return out
