"""What differs between SQL dialects, declared in one table.

Everything else is generic sqlglot and transpiles by itself.

>>> DIALECTS["mysql"].binary_text, DIALECTS["sqlite"].timestamp_wrap
(True, 'DATETIME')
>>> sorted(DIALECTS)
['bigquery', 'duckdb', 'mysql', 'postgres', 'snowflake', 'spark', 'sqlite', 'trino']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DialectRules:
    """The few facts segdsl needs about a dialect beyond what sqlglot knows."""

    name: str
    #: sqlglot dialect name
    sqlglot: str
    #: compare text as bytes: the engine's default collations ignore case,
    #: accents or trailing spaces (MySQL/MariaDB)
    binary_text: bool = False
    #: the collation that compares text exactly, put on column-side text
    #: where equality must be exact (a NOCASE column must not change it)
    exact_collation: str | None = None
    #: a function that normalises a stored timestamp before comparing (SQLite
    #: keeps timestamps as text in several spellings)
    timestamp_wrap: str | None = None
    #: how the time of day is read: "format" (sqlglot's TimeToStr) or "cast"
    #: (CAST(CAST(x AS TIME) AS text))
    time_of_day: str = "format"
    #: the collation LOWER runs under, where the engine's LOWER depends on the
    #: locale (PostgreSQL folds ASCII only in a database with LC_CTYPE C);
    #: "und-x-icu" is ICU's root locale, in every PostgreSQL 10+ built with ICU
    lower_collation: str | None = None
    #: fold ASCII-only text with the engine's cheap ASCII LOWER (under this
    #: collation) and only the rest under ``lower_collation``: the same result,
    #: since the root locale folds ASCII letters to ASCII and nothing else to
    #: ASCII (PostgreSQL: ICU's LOWER costs about 2x the "C" one)
    ascii_lower_collation: str | None = None
    #: CAST(text AS DOUBLE) fails for numbers beyond the double range
    #: (PostgreSQL): "is a number" values go through NUMERIC there
    double_cast_checks_range: bool = False
    #: how "is a number" is tested: "portable" (no regex: SQLite has none, and
    #: PCRE/Java `$` also matches before a final newline), "full_match"
    #: (REGEXP_FULL_MATCH, RE2) or "anchored" (`~ '^...$'`, PostgreSQL's ARE)
    number_test: str = "portable"
    #: a test on an aggregate of the customer's rows (e.g. the latest of them lies
    #: in a range) as `c.id IN (SELECT customer_id ... GROUP BY customer_id HAVING ...)`
    #: rather than EXISTS + NOT EXISTS: faster where groups are hashed (DuckDB)
    aggregate_in: bool = False
    #: "the customer has such a row" as `c.id IN (SELECT customer_id ...)` rather
    #: than a correlated EXISTS (DuckDB runs the anti-join of NOT IN much faster)
    semi_join_in: bool = False
    #: the engine tests the conditions of an AND in the order written (SQLite:
    #: correlated subqueries after plain tests, in text order), so segdsl writes
    #: cheap and selective conditions first (``Family.cost``); the others
    #: keep the rule's order (their planners choose)
    ordered_conjuncts: bool = False
    #: the driver's placeholder style in --params mode: "qmark" (?) or "format" (%s)
    paramstyle: str = "qmark"
    #: runs here against a real engine (the others are compiled and parsed back)
    executable: bool = False
    description: str = ""


DIALECTS: dict[str, DialectRules] = {
    d.name: d
    for d in (
        DialectRules(
            "sqlite",
            "sqlite",
            exact_collation="BINARY",
            timestamp_wrap="DATETIME",
            ordered_conjuncts=True,
            executable=True,
            description="SQLite 3.35+ (sqlite:///file.db)",
        ),
        DialectRules(
            "duckdb", "duckdb", exact_collation="C", number_test="full_match", aggregate_in=True, semi_join_in=True,
            executable=True, description="DuckDB (duckdb:///file.duckdb)"
        ),
        DialectRules(
            "postgres",
            "postgres",
            lower_collation="und-x-icu",
            ascii_lower_collation="C",
            double_cast_checks_range=True,
            number_test="anchored",
            paramstyle="format",
            executable=True,
            description="PostgreSQL 12+ (postgresql://user@host:port/db)",
        ),
        DialectRules(
            "mysql",
            "mysql",
            binary_text=True,
            time_of_day="cast",
            paramstyle="format",
            executable=True,
            description="MySQL 8 and MariaDB 10.6+ (mysql://user@host:port/db)",
        ),
        DialectRules("spark", "spark", description="Spark SQL 3.x"),
        DialectRules("trino", "trino", description="Trino / Presto"),
        DialectRules("bigquery", "bigquery", time_of_day="cast", description="Google BigQuery"),
        DialectRules("snowflake", "snowflake", description="Snowflake"),
    )
}

ALIASES = {"postgresql": "postgres", "mariadb": "mysql", "pg": "postgres", "sparksql": "spark", "presto": "trino"}


class UnknownDialect(ValueError):
    """A dialect name segdsl does not know."""


def rules_for(name: str) -> DialectRules:
    """The rules for ``name`` (case-insensitive; ``postgresql`` and ``mariadb`` too)."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in DIALECTS:
        from segdsl.lang.errors import did_you_mean

        guess = did_you_mean(name, list(DIALECTS) + list(ALIASES))
        hint = f"; did you mean `{guess}`?" if guess else ""
        raise UnknownDialect(f"unknown dialect `{name}`{hint} (known: {', '.join(DIALECTS)})")
    return DIALECTS[key]
