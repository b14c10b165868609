"""segdsl-orders: the conformance kit on the three families, their errors, and every path of segdsl.

The kit (``segdsl.testing.check_family``) proves SQL = interpreter on SQLite,
DuckDB, PostgreSQL and MariaDB (the servers are required under CI=true), the
exact complement of `not`, and the text and JSON round trips. The other tests
run the command line: `segdsl plugins`, `demo`, `count`, `export` and a
schema mapping of the `orders` role in segdsl.toml.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import strategies as st

import segdsl
from segdsl.testing import NOW, check_family, customers

# Instants around the windows the rules use (90 and 30 days, 1 week): exactly on a bound too.
BOUNDS = [NOW - dt.timedelta(days=d) for d in (90, 30, 7, 0)]
instants = st.one_of(
    st.sampled_from(BOUNDS),
    st.sampled_from(BOUNDS).map(lambda b: b - dt.timedelta(seconds=1)),
    st.integers(min_value=-400 * 86_400, max_value=86_400).map(lambda s: NOW + dt.timedelta(seconds=s)),
)
amounts = st.one_of(
    st.decimals(min_value=-50, max_value=400, places=2).map(str),
    st.sampled_from([33.33, 33.34, 0.1, 0.2, 100, 100.01, 99.99]),
)
order = st.fixed_dictionaries(
    {
        "amount": amounts,
        "created_at": instants.map(lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")),
    },
    optional={
        "currency": st.sampled_from(["EUR", "eur", "USD", "gbp", None]),
        "status": st.sampled_from(["paid", "cancelled", "CANCELLED", "Cancelled ", "refunded", "", None]),
    },
)
RECORDS = customers(orders=st.lists(order, max_size=7))


def test_orders_count_conforms() -> None:
    report = check_family(
        "orders_count",
        ["orders count > 3", "orders count = 0", "channel sms and orders count <= 2 within 90 days",
         "orders count != 1 within 1 week"],
        RECORDS,
    )
    print(report)


def test_spent_conforms() -> None:
    report = check_family(
        "spent",
        ["spent > 100 within 90 days", "spent >= 100", "spent < 0.30 EUR", "spent = 100 usd within 30 days",
         "spent != 0 and orders count > 1"],
        RECORDS,
    )
    print(report)


def test_last_order_conforms() -> None:
    report = check_family(
        "last_order",
        ["last order more than 30 days ago", "last order within 7 days", "last order within 90 days or spent > 50"],
        RECORDS,
    )
    print(report)


def test_a_seeded_generator_works_as_well() -> None:
    """The kit also takes a plain function (rng, now) -> records."""

    def generate(rng, now):  # type: ignore[no-untyped-def]
        return [
            {"id": i, "channels": ["whatsapp"], "orders": [
                {"amount": f"{rng.randint(0, 20000) / 100:.2f}",
                 "created_at": (now - dt.timedelta(days=rng.randint(0, 120))).isoformat() + "Z"}
                for _ in range(rng.randint(0, 5))
            ]}
            for i in range(1, 15)
        ]

    report = check_family("spent", ["spent > 100 within 90 days"], generate, engines=("sqlite", "duckdb"), examples=5)
    assert report.datasets == 5 and report.customers == 70


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("channel sms and orders count > 2.5", "an orders count is a whole number"),
        ("channel sms and orders count > -1", "an orders count is a whole number"),
        ("channel sms and spent > 10.001", "at most two decimals"),
        ("channel sms and spent > 10 EURO", "`EURO` is not a currency code"),
        ("channel sms and spent > 10 within 1.5 days", "whole number of minutes"),
        ("channel sms and last order 5 days ago", "expected `within` or `more than`"),
        ("channel sms and last order more than 5 days", "expected `ago`"),
        ("channel sms and orders count", "expected"),
    ],
)
def test_errors_name_the_problem(rule: str, message: str) -> None:
    with pytest.raises(segdsl.RuleError) as err:
        segdsl.parse(rule)
    assert message in err.value.message


def test_canonical_text() -> None:
    rule = segdsl.parse("channel sms and SPENT >= 100.5 eur within 90 Days and Orders Count = 3 and last order within 1 week")
    assert segdsl.format(rule) == (
        "channel sms and spent >= 100.50 EUR within 90 days and orders count = 3 and last order within 1 week"
    )
    assert list(rule.conditions())[1].values[0].value == Decimal("100.50")


def test_the_interpreter_reads_orders_from_records() -> None:
    record = {"id": 1, "channels": ["sms"], "orders": [
        {"amount": 60, "created_at": "2026-11-20T10:00:00Z", "status": "paid"},
        {"amount": 50.5, "created_at": "2026-11-01T10:00:00Z"},
        {"amount": 500, "created_at": "2026-11-02T10:00:00Z", "status": "Cancelled"},
    ]}
    assert segdsl.evaluate("channel sms and spent = 110.50 within 90 days", record, now=NOW)
    assert segdsl.evaluate("channel sms and orders count = 3 and last order within 10 days", record, now=NOW)
    assert not segdsl.evaluate("channel sms and last order more than 10 days ago", record, now=NOW)


# ----------------------------------------------------------------------------- the command line


def segdsl_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "segdsl.cli", *args], cwd=cwd, capture_output=True, text=True)


def cli(*args: str, cwd: Path) -> str:
    proc = segdsl_cli(*args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_plugins_lists_the_families(tmp_path: Path) -> None:
    rows = {line.split()[0]: line for line in cli("plugins", cwd=tmp_path).splitlines() if line.strip()}
    assert {"orders_count", "spent", "last_order"} <= set(rows)
    assert rows["last_order"].rstrip().endswith("last order")
    assert "segdsl-orders" in rows["spent"]  # the distribution that provides it


@pytest.mark.parametrize("backend", ["sqlite", "duckdb"])
def test_demo_export_and_count(tmp_path: Path, backend: str) -> None:
    """`segdsl demo` fills the orders table; `export` carries each customer's orders; SQL = interpreter."""
    db = f"{backend}:///{tmp_path / 'demo.db'}"
    cli("demo", "--customers", "300", "--db", db, "-q", cwd=tmp_path)
    records = [json.loads(line) for line in cli("export", "--db", db, cwd=tmp_path).splitlines()]
    assert sum(len(r.get("orders", [])) for r in records) > 300
    sample = next(r for r in records if r.get("orders"))
    assert set(sample["orders"][0]) >= {"amount", "created_at"}
    for rule in ("channel whatsapp and orders count > 3", "channel whatsapp and spent > 100 within 90 days",
                 "channel whatsapp and last order more than 30 days ago"):
        count = int(cli("count", rule, "--db", db, "--now", "2026-11-28T12:00:00Z", cwd=tmp_path))
        match = segdsl.matcher(rule, now="2026-11-28T12:00:00Z")
        assert count == sum(1 for r in records if match(r)) > 0, rule


def test_schema_mapping_of_the_orders_role(tmp_path: Path) -> None:
    """[schema.orders] in segdsl.toml moves the role onto another table and columns, on every path."""
    (tmp_path / "segdsl.toml").write_text('[schema.orders]\ntable = "sales"\namount = "total"\ncreated_at = "sold_at"\n')
    db = f"sqlite:///{tmp_path / 'mapped.db'}"
    cli("demo", "--customers", "200", "--db", db, "-q", cwd=tmp_path)
    import sqlite3

    with sqlite3.connect(tmp_path / "mapped.db") as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sales)")]
        assert {"total", "sold_at"} <= set(columns) and "amount" not in columns
    sql = cli("compile", "channel sms and spent > 100 within 90 days", cwd=tmp_path)
    assert '"sales"' in sql and '"total"' in sql and '"sold_at"' in sql
    records = [json.loads(line) for line in cli("export", "--db", db, cwd=tmp_path).splitlines()]
    rule = "channel whatsapp and spent > 100 within 90 days"
    count = int(cli("count", rule, "--db", db, "--now", "2026-11-28T12:00:00Z", cwd=tmp_path))
    match = segdsl.matcher(rule, now="2026-11-28T12:00:00Z")
    assert count == sum(1 for r in records if match(r)) > 0
