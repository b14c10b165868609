"""Faults found by reading the SQL as a user of Spark, BigQuery and Snowflake would (issue 13).

Each test names the fault; the golden files (tests/golden) hold the full SQL.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

import segdsl
from segdsl.families.settings import Settings

NOW = "2026-11-28T12:00:00Z"
RULE = "channel sms and last interaction on 2026-11-15 and last interaction time between 23:00 and 00:30"


def test_spark_instants_are_utc_whatever_the_session_zone() -> None:
    """Spark reads CAST('...' AS TIMESTAMP) in the session zone; a `Z` makes the literal an instant."""
    sql = segdsl.compile(RULE, dialect="spark", now=NOW)
    assert "CAST('2026-11-15 00:00:00Z' AS TIMESTAMP)" in sql
    assert "CAST('2026-11-16 00:00:00Z' AS TIMESTAMP)" in sql


def test_spark_time_of_day_comes_from_epoch_seconds() -> None:
    """Spark's DATE_FORMAT formats in the session zone; seconds since midnight UTC do not."""
    sql = segdsl.compile(RULE, dialect="spark", now=NOW)
    assert "DATE_FORMAT" not in sql.upper()
    assert "PMOD(UNIX_SECONDS(" in sql and ">= 82800" in sql and "< 1800" in sql
    compiled = segdsl.compile(RULE, dialect="spark", now=NOW, params=True)
    assert 82800 in compiled.params and 1800 in compiled.params


def test_bigquery_bounds_are_timestamps() -> None:
    """BigQuery refuses TIMESTAMP >= DATETIME ("No matching signature for operator >=")."""
    sql = segdsl.compile(RULE, dialect="bigquery", now=NOW)
    assert "DATETIME" not in sql
    tree = sqlglot.parse_one(sql, read="bigquery")
    casts = [c for c in tree.find_all(exp.Cast) if isinstance(c.this, exp.Literal) and "2026-11" in c.this.name]
    assert casts and all(c.to.sql(dialect="bigquery") == "TIMESTAMP" for c in casts)


def test_snowflake_names_are_stored_upper_case() -> None:
    """Snowflake stores unquoted names upper case: "customers" would not exist, "CUSTOMERS" does."""
    sql = segdsl.compile("channel sms and tag is \"vip\"", dialect="snowflake", now=NOW)
    assert '"CUSTOMERS" AS "C"' in sql and '"CUSTOMER_TAGS"' in sql and '"C"."ID"' in sql
    assert '"customers"' not in sql
    assert sql.startswith('SELECT "C"."ID" AS "customer_id"')  # the output column keeps its name


def test_snowflake_keeps_a_case_sensitive_mapped_name() -> None:
    """A mapped name that only a quoted identifier can spell is written exactly."""
    settings = Settings.from_toml_text('[schema.customers]\ntable = "Customer Master"\nid = "CustID"\n')
    sql = segdsl.compile("channel sms", dialect="snowflake", now=NOW, settings=settings)
    assert '"Customer Master" AS "C"' in sql and '"C"."CustID"' in sql
