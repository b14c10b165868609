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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from segdsl.families.settings import Schema, TableMapping
from segdsl.lang.textops import fold
from segdsl.sql.dialects import DialectRules

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
#: decimal text from which Python's float() gives +-infinity (just under 2**1024 - 2**970)
DOUBLE_OVERFLOW = "1.7976931348623158079e308"
#: decimal text under which Python's float() gives 0 (just over 2**-1075)
DOUBLE_UNDERFLOW = "2.4703282292062328e-324"
#: the ASCII characters that are the lower case of a non-ASCII one (U+212A KELVIN SIGN);
#: tests/test_folding.py checks this against Python's and ICU's tables
ASCII_FROM_NON_ASCII = frozenset("k")
#: a number written in fewer characters lies between 1e-300 and 1e300 in magnitude (or is 0)
SAFE_DOUBLE_DIGITS = 300
NUMBER_RE = "[+-]?[0-9]+([.][0-9]+)?"
PARAM_MARK = "__segdsl_param_"


# sqlglot's exp.and_ / exp.or_ / exp.not_ accept text and so go through its parser
# entry points on every call (several microseconds each); segdsl only combines
# expressions it has just built, so these make the same trees directly.


def _wrapped(e: exp.Expression) -> exp.Expression:
    return exp.Paren(this=e) if isinstance(e, exp.Connector) else e


def _chain(kind: type[exp.Connector], parts: Sequence[exp.Expression]) -> exp.Expression:
    this: Any
    this, *rest = parts
    if rest:
        this = _wrapped(this)
    for e in rest:
        this = kind(this=this, expression=_wrapped(e))
    return this


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


def _octets_vs_chars(compare: Callable[..., exp.Expression], e: exp.Expression) -> exp.Expression:
    """``OCTET_LENGTH(e) = LENGTH(e)`` (EQ: pure ASCII in UTF-8) or ``<>`` (NEQ: not pure ASCII)."""
    return compare(this=exp.Anonymous(this="OCTET_LENGTH", expressions=[e]), expression=exp.Length(this=e))


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
    now: dt.datetime
    channel: str
    use_params: bool = False
    params: list[Any] = field(default_factory=list)
    _aliases: int = 0

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
        """A number compared as DOUBLE on every engine."""
        return exp.cast(self.lit(value), exp.DataType.Type.DOUBLE, copy=False)

    def timestamp(self, value: dt.datetime) -> exp.Expression:
        """A UTC instant, typed for comparing with a timestamp column."""
        text = value.strftime(TS_FORMAT)
        if self.dialect.timestamp_wrap:
            return exp.Anonymous(this=self.dialect.timestamp_wrap, expressions=[self.lit(text)])
        return exp.cast(self.lit(text), exp.DataType.Type.TIMESTAMP, copy=False)

    def timestamp_column(self, column: exp.Expression) -> exp.Expression:
        """A stored timestamp, normalised where the engine keeps text (SQLite)."""
        if self.dialect.timestamp_wrap:
            return exp.Anonymous(this=self.dialect.timestamp_wrap, expressions=[column])
        return column

    def time_of_day(self, column: exp.Expression) -> exp.Expression:
        """``HH:MM:SS`` text of a timestamp, comparable as a string."""
        if self.dialect.time_of_day == "cast":
            return exp.cast(exp.cast(column, exp.DataType.Type.TIME, copy=False), exp.DataType.Type.TEXT, copy=False)
        return exp.TimeToStr(this=column, format=exp.Literal.string("%H:%M:%S"))

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

    def lower(self, e: exp.Expression) -> exp.Expression:
        """Unicode lower case. Where the engine's LOWER follows the column's or the
        database's locale (PostgreSQL: ASCII only under LC_CTYPE C), under a
        collation that folds all of Unicode; where that is slow, only for text
        that is not pure ASCII (``DialectRules.ascii_lower_collation``)."""
        rules = self.dialect
        if not rules.lower_collation:
            return exp.Lower(this=e)
        full = self._full_lower(e)
        if not rules.ascii_lower_collation:
            return full
        # CASE WHEN OCTET_LENGTH(e) = LENGTH(e) THEN LOWER(e COLLATE "C")
        #      ELSE LOWER(e COLLATE "und-x-icu") COLLATE "C" END
        return exp.Case(
            ifs=[exp.If(this=_octets_vs_chars(exp.EQ, e), true=exp.Lower(this=self._ascii_collated(e)))],
            default=self._ascii_collated(full),
        )

    # The subtree ``e`` is shared, not copied, by the helpers below: the generator only reads it.

    def _ascii_collated(self, e: exp.Expression) -> exp.Expression:
        return _collated(e, self.dialect.ascii_lower_collation)  # type: ignore[arg-type]

    def _full_lower(self, e: exp.Expression) -> exp.Expression:
        return exp.Lower(this=_collated(e, self.dialect.lower_collation))  # type: ignore[arg-type]

    def _ascii_fold_applies(self, texts: Sequence[str]) -> bool:
        """The dialect has a cheap ASCII fold and every text is folded ASCII."""
        return bool(self.dialect.ascii_lower_collation) and all(t.isascii() and fold(t) == t for t in texts)

    def _ascii_likes(self, e: exp.Expression, texts: Sequence[str]) -> list[exp.Expression]:
        """``e COLLATE "C" ILIKE 'text'`` per text (LIKE wildcards escaped)."""
        return [exp.ILike(this=self._ascii_collated(e), expression=self.lit(_like_escape(t))) for t in texts]

    def fold_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """``LOWER(e)`` is one of ``texts`` (each already folded: ``textops.fold``).

        Where the dialect has a cheap ASCII fold (``DialectRules.ascii_lower_collation``,
        PostgreSQL) and every text is ASCII::

            e COLLATE "C" ILIKE 'vip' OR (OCTET_LENGTH(e) <> LENGTH(e)
                                          AND LOWER(e COLLATE "und-x-icu") = 'vip')

        (LIKE wildcards escaped). ILIKE under "C" folds ASCII letters only,
        which is all the full fold does to ASCII text; text that is not pure
        ASCII gets the full fold (the Kelvin sign folds to ``k``:
        :data:`ASCII_FROM_NON_ASCII`). Cheaper than ICU's LOWER on every row,
        and unlike ``LOWER(...) = ...`` the planner estimates ILIKE from the
        column's statistics, so it picks a good join order. (The second branch
        is kept even for texts without a ``k``: it costs little, and without
        it PostgreSQL's cost model rates the test too cheap and prefers hash
        joins over index look-ups; measured 1.4x slower in bench_sql R6.)
        """
        if not self._ascii_fold_applies(texts):
            return self.text_in(self.lower(e), texts)
        non_ascii = _octets_vs_chars(exp.NEQ, e)
        return or_(*self._ascii_likes(e, texts), and_(non_ascii, self.text_in(self._full_lower(e), texts)))

    def trimmed_fold_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """``LOWER(TRIM(e))`` is one of ``texts`` (folded, trimmed): :meth:`fold_in` of the trimmed text.

        On PostgreSQL, text without spaces at its ends is tested untrimmed, so
        the planner can estimate the test from the column's statistics::

            e COLLATE "C" ILIKE 'true' OR ((LEFT(e, 1) = ' ' OR RIGHT(e, 1) = ' ' OR OCTET_LENGTH(e) <> LENGTH(e))
                                          AND <fold_in of TRIM(e)>)
        """
        if not self._ascii_fold_applies(texts) or any(t != t.strip(" ") for t in texts):
            return self.fold_in(self.trim(e), texts)
        other = or_(
            # not LIKE ' %': a % in the text is a placeholder for some drivers in params mode
            self.text_eq(exp.Left(this=e, expression=exp.Literal.number(1)), " ", const=True),
            self.text_eq(exp.Right(this=e, expression=exp.Literal.number(1)), " ", const=True),
            _octets_vs_chars(exp.NEQ, e),
        )
        return or_(*self._ascii_likes(e, texts), and_(other, self.fold_in(self.trim(e), texts)))

    def trim(self, e: exp.Expression) -> exp.Expression:
        """Trim spaces (only spaces) from both ends."""
        return exp.Trim(this=e, expression=exp.Literal.string(" "))

    def text_eq(self, e: exp.Expression, text: str, const: bool = False) -> exp.Expression:
        """Exact text equality: same characters, no padding, no collation games.

        ``const`` marks segdsl's own constants, which stay inline in params mode.
        """
        value = exp.Literal.string(text) if const else self.lit(text)
        return exp.EQ(this=self._bin(e), expression=self._bin(value))

    def text_in(self, e: exp.Expression, texts: Sequence[str]) -> exp.Expression:
        """Exact equality with any of ``texts``."""
        if len(texts) == 1:
            return self.text_eq(e, texts[0])
        return exp.In(this=self._bin(e), expressions=[self._bin(self.lit(t)) for t in texts])

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

    def on_channel(self, role: str, alias: str) -> exp.Expression:
        """The row's channel is the rule's channel (case-insensitive)."""
        return self.fold_in(self.col(role, "channel", alias), [self.channel])

    def truthy(self, e: exp.Expression) -> exp.Expression:
        """A stored boolean (BOOLEAN, or 0/1 where the engine has none)."""
        return e
