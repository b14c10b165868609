"""Hostile literals: SQL injection, backslashes, typographic quotes, control
characters and LIKE wildcards in tags, names, e-mails, bot flows, field values
and field keys.

Every literal must be matched as plain text on every engine, in inline SQL and
in params mode, and leave the tables as they were. The expected customers come
from plain Python string operations written here (the contract's rules, not
segdsl's code).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import segdsl
from tests.engines import (
    Dataset,
    backend_params,
    dataset_for,
    inline_count,
    inline_ids,
    params_count,
    params_ids,
    row_counts,
)

HOSTILE = [
    "'; DROP TABLE customers; --",
    '"; DROP TABLE customers; --',
    "Robert'); DELETE FROM customer_tags; --",
    "' OR '1'='1",
    "' OR 1=1 #",
    "\\",
    "\\'",
    "a\\\\b",
    "\\n",
    "x\\%y",
    "\\_",
    "’",
    "“quoted”",
    "it’s",
    "tab\there",
    "\u0001",
    "ctl\u001fend",
    "bell\u0007",
    "%",
    "_",
    "%_%",
    "100%",
    "a_c",
    "$1",
    "?",
    "%s",
    "%(x)s",
    ":name",
    "{0}",
    "--",
    "/* c */",
    ";",
    "`tick`",
    "[br]",
    "0x27",
    "CHAR(39)",
    " lead",
    "trail ",
    "émoji 😀",
    "𝔘nicode",
    "null",
    "NULL",
]
# decoys that wildcard or escape mistakes would match
DECOYS = ["100x", "abc", "a\\c", "ab", "x%y", "x\\y", "plain", "nul", "\\\\", "'", "lead", "trail"]


def rule_string(text: str) -> str:
    """A double-quoted rule-language string for ``text`` (escapes per LANGUAGE.md section 1)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _flow(name: str) -> dict[str, Any]:
    return {
        "channel": "whatsapp", "occurred_at": "2026-11-20T10:00:00Z", "talked_with_agent": False,
        "completed_product_flow": False, "completed_collection_flow": False, "completed_bot_flow": True,
        "bot_flow": name,
    }


def _records() -> list[dict[str, Any]]:
    records = []
    for n, text in enumerate(HOSTILE + DECOYS, start=1):
        records.append({
            "id": n,
            "name": text,
            "email": text,
            "channels": ["whatsapp"],
            "tags": [text, "vip"] if n % 2 else [text],
            "fields": {"note": text, text: "x"},
            "interactions": [_flow(text)],
        })
    records.append({"id": 999, "name": None, "channels": ["whatsapp"], "tags": [], "fields": {}})
    return records


RECORDS = _records()
HOSTILE_DATA = Dataset("hostile", RECORDS)
# every engine, and the collation variants (duckdb_nocase left out for time: sqlite_nocase is the same trap)
BACKENDS = ("sqlite", "duckdb", "postgres", "mysql", "mysql_ci", "mysql_latin1", "sqlite_nocase", "postgres_c")


# ---------------------------------------------------------------------------- the oracle


def _blank(value: str | None) -> bool:
    return value is None or value.strip(" ") == ""


def _oracle(pred: Callable[[dict[str, Any]], bool]) -> list[int]:
    return sorted(r["id"] for r in RECORDS if pred(r))


def cases_for(text: str) -> list[tuple[str, list[int]]]:
    """(rule, expected ids) for one hostile literal, expected by plain string operations."""
    q = rule_string(text)
    low = text.lower()
    trimmed = text.strip(" ").lower()
    out: list[tuple[str, list[int]]] = [
        (f"tag = {q}", _oracle(lambda r: any(t.lower() == low for t in r["tags"]))),
        (f"tag in ({q}, \"vip\")", _oracle(lambda r: any(t.lower() in (low, "vip") for t in r["tags"]))),
        (f"name contains {q}", _oracle(lambda r: not _blank(r["name"]) and low in r["name"].lower())),
        (f"name starts with {q}", _oracle(lambda r: not _blank(r["name"]) and r["name"].lower().startswith(low))),
        (f"email ends with {q}", _oracle(lambda r: not _blank(r.get("email")) and r["email"].lower().endswith(low))),
        (f"field note contains {q}", _oracle(lambda r: low in str(r["fields"].get("note", "")).strip(" ").lower()
                                              if "note" in r["fields"] else False)),
        (f"field {q} is known", _oracle(lambda r: not _blank(r["fields"].get(text)))),
        (f"field {q} = \"X\"", _oracle(lambda r: (r["fields"].get(text) or "").strip(" ").lower() == "x")),
        (f"completed bot flow {q}", _oracle(lambda r: any(
            i["completed_bot_flow"] and (i["bot_flow"] or "").lower() == low for i in r.get("interactions", ())))),
    ]
    if not _blank(text):
        out += [
            (f"name is {q}", _oracle(lambda r: r["name"] is not None and r["name"].lower() == low)),
            (f"name isn't {q}", _oracle(lambda r: not (r["name"] is not None and r["name"].lower() == low))),
            (f"field note = {q}", _oracle(lambda r: "note" in r["fields"]
                                          and str(r["fields"]["note"]).strip(" ").lower() == trimmed)),
        ]
    return [(f"channel whatsapp and {rule}", expected) for rule, expected in out]


CASES = [(text, rule, expected) for text in HOSTILE for rule, expected in cases_for(text)]


def test_every_hostile_rule_parses_to_its_literal() -> None:
    for text in HOSTILE:
        rule = segdsl.parse(f"channel whatsapp and tag = {rule_string(text)}")
        assert rule.expr.items[1].values[0].value == text


def test_the_oracle_sees_each_literal() -> None:
    for text, rule, expected in CASES:
        if rule.startswith("channel whatsapp and tag = "):
            assert HOSTILE.index(text) + 1 in expected, rule


@pytest.mark.parametrize("text", [pytest.param(t, id=f"h{n:02d}") for n, t in enumerate(HOSTILE)])
def test_interpreter(text: str) -> None:
    for rule, expected in cases_for(text):
        got = sorted(r["id"] for r in RECORDS if segdsl.evaluate(rule, r, now="2026-11-28T12:00:00Z"))
        assert got == expected, rule


@pytest.mark.parametrize("text", [pytest.param(t, id=f"h{n:02d}") for n, t in enumerate(HOSTILE)])
@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_engine(engine_pool, backend: str, text: str) -> None:
    dataset = dataset_for(backend, HOSTILE_DATA)
    engine = engine_pool.get(backend, dataset)
    before = row_counts(engine)
    assert before["customers"] == len(dataset.records)
    held = set(dataset.ids())  # mysql_latin1 holds the customers latin1 can
    for n, (rule, all_expected) in enumerate(cases_for(text)):
        expected = [i for i in all_expected if i in held]
        assert inline_ids(engine, rule) == expected, f"inline: {rule}"
        assert params_ids(engine, rule) == expected, f"params: {rule}"
        if n < 3:  # the count statements too (the same WHERE: a few suffice)
            assert inline_count(engine, rule) == len(expected), f"inline count: {rule}"
            assert params_count(engine, rule) == len(expected), f"params count: {rule}"
    assert row_counts(engine) == before, "the tables changed"


@pytest.mark.parametrize("dialect", ["sqlite", "duckdb", "postgres", "mysql"])
def test_params_mode_keeps_literals_out_of_the_sql(dialect: str) -> None:
    """In params mode no user literal appears in the SQL text."""

    def compiled(text: str) -> Any:
        rule = f"channel whatsapp and tag = {rule_string(text)} and name contains {rule_string(text)}"
        return segdsl.compile(rule, dialect=dialect, now="2026-11-28T12:00:00Z", params=True)

    neutral = compiled("zzz").sql.lower()
    for text in HOSTILE:
        if text.strip(" ").lower() in neutral:
            continue  # spelled by the SQL itself (`?`, `;`, `null`...)
        result = compiled(text)
        assert text not in result.sql and text.lower() not in result.sql, text
        assert text.lower() in result.params
