"""What differs between SQL dialects, declared in one table.

Everything else is generic sqlglot and transpiles by itself.

>>> DIALECTS["mysql"].binary_text, DIALECTS["sqlite"].timestamp_wrap
(True, 'DATETIME')
>>> sorted(DIALECTS)
['bigquery', 'duckdb', 'mysql', 'postgres', 'snowflake', 'spark', 'sqlite', 'trino']
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: MariaDB 10.10+'s Unicode 14 collation: its UPPER and LOWER fold exactly as segdsl does
MARIADB_FOLD_COLLATION = "utf8mb4_uca1400_as_cs"


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
    #: how the time of day is read: "format" (sqlglot's TimeToStr), "cast"
    #: (CAST(CAST(x AS TIME) AS text)) or "epoch" (seconds since midnight UTC,
    #: from the instant's epoch seconds: no session time zone takes part)
    time_of_day: str = "format"
    #: written after every instant literal's text: "Z" makes the literal an
    #: instant wherever the engine would read a bare one in the session time
    #: zone (Spark's TIMESTAMP is local to the session)
    instant_zone: str = ""
    #: the type instant literals are cast to: "TIMESTAMP", or "TIMESTAMPTZ"
    #: where the engine's instant type is that (BigQuery: its TIMESTAMP is an
    #: instant, and sqlglot's TIMESTAMP would print DATETIME)
    instant_type: str = "TIMESTAMP"
    #: names that are valid unquoted identifiers are written in upper case, the
    #: way the engine stores an unquoted name (Snowflake: tables made from
    #: schema.sql are CUSTOMERS, ID); any other name is kept exactly, quoted
    upper_case_names: bool = False
    #: how text is case-folded (docs/language.md, "Case folding": each code point
    #: to the lower case of its upper case; segdsl.lang.foldtable):
    #: "lower_upper" ``LOWER(UPPER(x))``, exact where both are per code point
    #: (DuckDB; MariaDB 10.10+ under ``fold_collation``); "icu" ``TRANSLATE(LOWER(
    #: TRANSLATE(x, 'İ', 'i') COLLATE lower_collation), <textops.LOWER_FIXES>)``
    #: (PostgreSQL: ICU lowers per code point, except İ and a word-final Σ);
    #: "function" ``fold_function(x)``, registered by segdsl on its connections
    #: (SQLite); "lower" the engine's LOWER (dialects segdsl does not run, and
    #: SQLite SQL printed by ``segdsl compile``, so it runs on any SQLite: ASCII only)
    fold: str = "lower"
    #: the SQL function of ``fold = "function"``
    fold_function: str | None = None
    #: the collation UPPER and LOWER run under where their case tables follow it
    #: (MariaDB: the utf8mb4 default has Unicode 4 tables, uca1400 has Unicode 14)
    fold_collation: str | None = None
    #: the collation LOWER runs under, where the engine's LOWER depends on the
    #: locale (PostgreSQL folds ASCII only in a database with LC_CTYPE C);
    #: "und-x-icu" is ICU's root locale, in every PostgreSQL 10+ built with ICU
    lower_collation: str | None = None
    #: how to see that a text is pure ASCII, to fold it with the engine's native
    #: ASCII LOWER and only the rest with the full fold (the same result: see
    #: textops.ASCII_FROM_NON_ASCII): "octet_length" (``OCTET_LENGTH(x) = LENGTH(x)``,
    #: UTF-8), "blob_length" (SQLite: ``LENGTH(CAST(x AS BLOB)) = LENGTH(x)``) or None
    ascii_test: str | None = None
    #: the collation the native ASCII LOWER runs under (PostgreSQL: "C" costs
    #: about half of ICU's), or None for the engine's LOWER as it is
    ascii_lower_collation: str | None = None
    #: equality with an ASCII literal tested without folding the column, for
    #: ASCII text (the rest goes to the full fold): "ilike" (``x COLLATE "C"
    #: ILIKE 'lit'``, PostgreSQL: estimated from column statistics), "nocase"
    #: (``x COLLATE NOCASE = 'lit'``, SQLite), or None
    ascii_equality: str | None = None
    #: the rule's numbers are written as CAST(n AS DOUBLE); SQLite compares
    #: integers and reals by value without it (and sqlglot writes its casts slowly)
    cast_numbers: bool = True
    #: CAST(text AS DOUBLE) fails for numbers beyond the double range
    #: (PostgreSQL): "is a number" values go through NUMERIC there
    double_cast_checks_range: bool = False
    #: how "is a number" is tested: "portable" (no regex: SQLite has none, and
    #: PCRE/Java `$` also matches before a final newline), "full_match"
    #: (REGEXP_FULL_MATCH, RE2) or "anchored" (`~ '^...$'`, PostgreSQL's ARE)
    number_test: str = "portable"
    #: a test on an aggregate of the customer's rows (e.g. the latest of them lies
    #: in a range) as `c.id IN (SELECT customer_id ... GROUP BY customer_id HAVING ...)`
    #: rather than EXISTS + NOT EXISTS: faster where groups are hashed (DuckDB, Spark)
    aggregate_in: bool = False
    #: "the customer has such a row" as `c.id IN (SELECT customer_id ...)` rather
    #: than a correlated EXISTS (DuckDB runs the anti-join of NOT IN much faster)
    semi_join_in: bool = False
    #: in a count, two or more top-level semi-joins on keyed rows (a table with the primary key
    #: (customer_id, K), K pinned to listed values) as inner joins and COUNT(DISTINCT): DuckDB
    #: then joins the small tables first (segdsl.sql.keyed_joins). Set by connected_rules on a
    #: DuckDB connection to at least JOIN_KEYED_FROM customers
    join_keyed: bool = False
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
            cast_numbers=False,
            ordered_conjuncts=True,
            executable=True,
            description="SQLite 3.35+ (sqlite:///file.db)",
        ),
        # DuckDB: no ASCII fast path (ascii_test / ascii_equality stay None). Measured on bench_sql's
        # 200k data, one thread, CPU time: LOWER(UPPER(x)) costs the same as LOWER(x) on channel, tag
        # and gender (DuckDB runs functions once per entry of a dictionary-compressed vector) and
        # +8 % on TRIM(field_value) (12.7 vs 11.7 ms); every guard costs more than it saves:
        # CASE WHEN strlen(x) = length(x) ... 21.9 ms, x ILIKE 'lit' OR (strlen(x) <> length(x) AND ...) 22.0 ms
        DialectRules(
            "duckdb", "duckdb", exact_collation="C", number_test="full_match", aggregate_in=True, semi_join_in=True,
            fold="lower_upper", executable=True, description="DuckDB (duckdb:///file.duckdb)"
        ),
        DialectRules(
            "postgres",
            "postgres",
            fold="icu",
            lower_collation="und-x-icu",
            ascii_test="octet_length",
            ascii_lower_collation="C",
            ascii_equality="ilike",
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
            fold="lower_upper",
            fold_collation=MARIADB_FOLD_COLLATION,
            time_of_day="cast",
            paramstyle="format",
            executable=True,
            description="MySQL 8 and MariaDB 10.6+ (mysql://user@host:port/db)",
        ),
        # Spark: "last interaction more than 60 days ago" as one GROUP BY … HAVING MAX(…) pass (aggregate_in)
        # ran at 0.65× the EXISTS + NOT EXISTS pair, 542 vs 835 ms median at 1M customers on local[2]
        # (bench_scale's data; hand-written MAX/GROUP BY shapes 615-619 ms)
        DialectRules(
            "spark", "spark", time_of_day="epoch", instant_zone="Z", aggregate_in=True, executable=True,
            description="Spark SQL 3.5+ (spark://local[*]?warehouse=PATH, sc://host:15002)",
        ),
        DialectRules("trino", "trino", description="Trino / Presto"),
        DialectRules(
            "bigquery", "bigquery", time_of_day="cast", instant_type="TIMESTAMPTZ", description="Google BigQuery"
        ),
        DialectRules("snowflake", "snowflake", upper_case_names=True, description="Snowflake"),
    )
}

#: SQLite as segdsl's own connections run it: the full fold is a Python
#: function registered there (segdsl.data.engines), called only for text that
#: is not pure ASCII; ASCII text is folded by SQLite's LOWER or compared
#: under NOCASE. (DIALECTS["sqlite"] is what ``segdsl compile`` prints: it
#: needs no function of segdsl's, and so folds ASCII only.)
SQLITE_CONNECTED = replace(
    DIALECTS["sqlite"], fold="function", fold_function="segdsl_fold", ascii_test="blob_length", ascii_equality="nocase"
)
#: the fold collation per MySQL-family server, newest first: MariaDB 10.10+,
#: MySQL 8 (Unicode 9 tables), older MariaDB (Unicode 5.2: about 400 rare letters unfolded)
MYSQL_FOLD_COLLATIONS = (MARIADB_FOLD_COLLATION, "utf8mb4_0900_as_cs", "utf8mb4_unicode_520_ci")


#: DuckDB counts join keyed semi-joins (``DialectRules.join_keyed``) from this many customers on.
#: Measured (bench/README.md, "Scale"): at 200k customers the IN form is faster (R2 23 against
#: 27 ms, R6 24 against 22-24, R1 38 against 42); at 1M and 10M the joins are (R1 38 -> 27 ms at
#: 1M, 416 -> 274 ms at 10M; R6 132 -> 107 ms at 10M)
JOIN_KEYED_FROM = 500_000


def connected_rules(name: str, collations: frozenset[str] = frozenset(), customers: int | None = None) -> DialectRules:
    """The rules for SQL that segdsl runs on its own connection to ``name``.

    SQLite: :data:`SQLITE_CONNECTED`. MySQL family: the first of
    :data:`MYSQL_FOLD_COLLATIONS` that the server has (``collations``: the
    names it knows; empty means "not asked", the default stays). DuckDB:
    ``join_keyed`` when ``customers`` (the engine's estimate of the customers
    table's rows; None: unknown) is at least :data:`JOIN_KEYED_FROM`.
    """
    rules = rules_for(name)
    if rules.name == "sqlite":
        return SQLITE_CONNECTED
    if rules.name == "mysql" and collations:
        best = next((c for c in MYSQL_FOLD_COLLATIONS if c in collations), rules.fold_collation)
        return replace(rules, fold_collation=best)
    if rules.name == "duckdb" and customers is not None and customers >= JOIN_KEYED_FROM:
        return replace(rules, join_keyed=True)
    return rules


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
