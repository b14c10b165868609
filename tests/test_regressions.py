"""Named regressions: each a rule, minimal records and the ids the contract expects.

Every case runs in process and on every engine (SQLite and DuckDB always,
PostgreSQL and MariaDB when reachable, required under ``CI=true``). A case
that documents a mismatch not fixed yet carries ``known`` (backend -> why);
those backends are strict xfails, so the fix turns them red until the mark
is removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest

from segdsl.data.engines import EngineError
from tests.diffdata import NOW, Backend, interpreter_ids, open_local, open_server

pytestmark = pytest.mark.engine

IN_CI = os.environ.get("CI") == "true"
BACKENDS = ("interpreter", "sqlite", "duckdb", "postgres", "mariadb")


@dataclass(frozen=True)
class Case:
    name: str
    rule: str
    records: list[dict[str, Any]]
    expected: list[int]
    why: str
    known: dict[str, str] = field(default_factory=dict)  # backend -> open issue


def r(cid: int, **facts: Any) -> dict[str, Any]:
    return {"id": cid, "channels": ["whatsapp"], **facts}


# Unicode case folding: one rule everywhere (docs/language.md, "Case folding"): each code point to the lower
# case of its upper case. Before it, the interpreter used Python's full lower case (word-final Σ -> ς,
# İ -> i + U+0307) while DuckDB and MariaDB folded per code point and MariaDB with Unicode 4 tables, so a
# stored "ΟΔΟΣ" did not equal the rule's "ΟΔΟΣ" there. tests/test_folding.py checks every cased code point.

CASES = [
    Case(
        "lowercase_z_timestamp",
        "channel whatsapp and last interaction on 2026-11-20",
        [r(1, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T23:59:59z"}]),
         r(2, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-21T00:00:00z"}])],
        [1],
        "RFC 3339 allows a lower-case z; parse_instant (used by the interpreter and the loader) rejected it",
    ),
    Case(
        "fractional_seconds_truncate_not_round",
        "channel whatsapp and last interaction before 2026-11-21",
        [r(1, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T23:59:59.999999Z"}]),
         r(2, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-21T05:30:00.5+05:30"}])],
        [1],
        "a fraction is cut off on every side, never rounded into the next day",
    ),
    Case(
        "field_number_traps",
        "channel whatsapp and (field n = 1000 or field n > 3 and field n < 5)",
        [r(1, fields={"n": "1e3"}), r(2, fields={"n": " 4 "}), r(3, fields={"n": "12abc"}),
         r(4, fields={"n": "+4"}), r(5, fields={"n": "4."}), r(6, fields={"n": ".5"}), r(7, fields={"n": "1000.0"}),
         r(8, fields={"n": "3.50"}), r(9, fields={"n": 4}), r(10, fields={"n": "\t4"}), r(11, fields={"n": "٤"}),
         r(12, fields={"n": "+-4"}), r(13, fields={"n": "4\u00a0"})],
        [2, 4, 7, 8, 9],
        "'is a number' is [+-]?[0-9]+(\\.[0-9]+)? after trimming spaces, on every backend",
    ),
    Case(
        "wildcards_and_quotes_are_plain_text",
        "channel whatsapp and (name contains \"%\" or name starts with \"_\" or name ends with \"'s\" "
        "or email contains \"\\\\\")",
        [r(1, name="50% off"), r(2, name="_x"), r(3, name="Asha"), r(4, name="Ravi's"), r(5, email="a\\b@x.io"),
         r(6, name="x_y"), r(7, email="ab@x.io")],
        [1, 2, 4, 5],
        "LIKE wildcards and quotes in literals are characters, not patterns",
    ),
    Case(
        "blank_is_unknown_and_isnt_includes_unknown",
        "channel whatsapp and name isn't \"asha\" and email is unknown",
        [r(1, name=None), r(2, name=""), r(3, name="  "), r(4, name="Asha"), r(5, name=" asha"),
         r(6, email="\t"), r(7)],
        [1, 2, 3, 5, 7],
        "NULL, '' and spaces are unknown; `isn't` includes the unknown; a tab is not a space",
    ),
    Case(
        "last_interaction_is_per_channel_and_latest",
        "channel whatsapp and last interaction before 2026-11-15 and talked with agent",
        [r(1, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-01T00:00:00Z", "talked_with_agent": True},
                            {"channel": "sms", "occurred_at": "2026-11-27T00:00:00Z", "talked_with_agent": True}]),
         r(2, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-01T00:00:00Z", "talked_with_agent": True},
                            {"channel": "WhatsApp", "occurred_at": "2026-11-15T00:00:00Z"}]),
         r(3, interactions=[{"channel": "sms", "occurred_at": "2026-11-01T00:00:00Z", "talked_with_agent": True}])],
        [1],
        "other channels never count; the last interaction is the latest on the rule's channel",
    ),
    Case(
        "time_of_day_wraps_past_midnight",
        "channel whatsapp and last interaction time between 22:00 and 06:00",
        [r(1, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T22:00:00Z"}]),
         r(2, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T06:00:00Z"}]),
         r(3, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T05:59:59.999Z"}]),
         r(4, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-21T03:30:00+05:30"}]),
         r(5)],
        [1, 3, 4],
        "the range wraps; 22:00 UTC is 03:30 in India",
    ),
    Case(
        "not_is_the_complement_for_customers_without_data",
        "channel whatsapp and not (last interaction time after 18:00) and not field x > 1 and not tag = \"a\"",
        [r(1), r(2, interactions=[{"channel": "whatsapp", "occurred_at": "2026-11-20T19:00:00Z"}]),
         r(3, fields={"x": "abc"}), r(4, fields={"x": "2"}), r(5, tags=["A"])],
        [1, 3],
        "two-valued logic: a condition without data is false, so its `not` is true",
    ),
    Case(
        "greek_final_sigma_identical_text",
        'channel whatsapp and (name is "ΟΔΟΣ" or tag = "ΟΔΟΣ" or field city = "ΟΔΟΣ")',
        [r(1, name="ΟΔΟΣ"), r(2, tags=["ΟΔΟΣ"]), r(3, fields={"city": "ΟΔΟΣ"}), r(4, name="ΟΔΟ")],
        [1, 2, 3],
        "a text equals itself, case-insensitively (a word-final Σ folds to σ, as ς does)",
    ),
    Case(
        "turkish_dotted_capital_i",
        'channel whatsapp and (name is "İstanbul" or name starts with "İs")',
        [r(1, name="İstanbul"), r(2, name="ISTANBUL"), r(3, name="İzmir"), r(4, name="ıstanbul"),
         r(5, name="i\u0307stanbul")],
        [1, 2, 4],
        "a text equals itself; İ and ı fold to i (one code point each, so `starts with` keeps its length)",
    ),
    Case(
        "long_numbers_either_side_of_the_cast_fast_path",
        "channel whatsapp and (field n > 5 or field n = 0 or field m < -5)",
        [r(1, fields={"n": "1" + "0" * 298}), r(2, fields={"n": "1" + "0" * 299}),
         r(3, fields={"n": "0." + "0" * 297 + "1"}), r(4, fields={"n": "0." + "0" * 400 + "1"}),
         r(5, fields={"m": "-" + "9" * 298}), r(6, fields={"m": "-" + "9" * 400}),
         r(7, fields={"n": "4." + "9" * 298})],
        [1, 2, 4, 5, 6],
        "numbers shorter than 300 characters are cast directly (PostgreSQL), longer ones through NUMERIC; "
        "both give Python's float(): 1e-400 is 0, -9...9 (401 digits) is -infinity",
    ),
    Case(
        "kelvin_sign_folds_to_ascii_k",
        'channel whatsapp and (tag = "kiwi" or name is "kim" or field fruit = "kiwi" or field fruit in ("kaki", "x"))',
        [r(1, tags=["\u212aIWI"]), r(2, name="\u212aim"), r(3, fields={"fruit": " \u212aiwi "}),
         r(4, tags=["KIWI"]), r(5, name="Kim"), r(6, fields={"fruit": "ka\u212aI"}),
         r(7, tags=["\u0137iwi"]), r(8, name="kimé"), r(9, fields={"fruit": "kiwi\u212a"})],
        [1, 2, 3, 4, 5, 6],
        "the Kelvin sign K (U+212A) is the one non-ASCII letter whose lower case is ASCII (k): a fast path that "
        "folds ASCII text apart from the rest (PostgreSQL) must still find it",
    ),
    Case(
        "like_wildcards_in_equality_are_plain",
        'channel whatsapp and (tag in ("v_p", "a%") or name is "o\\\\b" or field k = "50%")',
        [r(1, tags=["v_p"]), r(2, tags=["VIP"]), r(3, tags=["A%"]), r(4, tags=["abc"]), r(5, name="O\\B"),
         r(6, name="ob"), r(7, name="o\\\\b"), r(8, fields={"k": "50%"}), r(9, fields={"k": "500"})],
        [1, 3, 5, 8],
        "equality is never a pattern: `%`, `_` and `\\` in the rule's text are plain characters (PostgreSQL "
        "tests ASCII text with an escaped ILIKE)",
    ),
    Case(
        "capital_sharp_s_on_mariadb",
        'channel whatsapp and (name is "straße" or tag = "ǉ" or field k contains "ⱥ")',
        [r(1, name="STRAẞE"), r(2, tags=["Ǉ"]), r(3, fields={"k": "xȺx"}), r(4, name="STRASSE")],
        [1, 2, 3],
        "case folding covers all of Unicode on every engine (MariaDB's default utf8mb4 tables are Unicode 4)",
    ),
    Case(
        "byte_length_guard_of_ascii_equality",
        'channel whatsapp and (tag = "vip" or field ok is "yes")',
        [r(1, tags=["vıp"]), r(2, tags=["VİP"]), r(3, tags=[" vip"]), r(4, tags=["vi"]), r(5, tags=["vipp"]),
         r(6, fields={"ok": " yes"}), r(7, fields={"ok": "yeſ "}), r(8, fields={"ok": "YES"}),
         r(9, fields={"ok": "yes\u00a0"}), r(10, tags=["\u212aip"]), r(11, fields={"ok": "ye"}), r(12, tags=["vi\u0307p"])],
        [1, 2, 6, 7, 8],
        "PostgreSQL and SQLite test ASCII text with ILIKE / NOCASE and send only text longer in bytes than "
        "the rule's text to the non-ASCII branch: a text with ı, İ, ſ or spaces at its ends has more bytes "
        "than the text it folds to (a tag keeps its spaces; a field is trimmed)",
    ),
]


@pytest.fixture(scope="module")
def engines() -> dict[str, Backend | str]:
    """name -> an open backend, or the reason it is unreachable."""
    out: dict[str, Backend | str] = {b.name: b for b in open_local()}
    for name in ("postgres", "mariadb"):
        try:
            out[name] = open_server(name)
        except EngineError as exc:
            out[name] = str(exc)
    yield out
    for backend in out.values():
        if isinstance(backend, Backend):
            backend.engine.close()


def params() -> list[Any]:
    out = []
    for case in CASES:
        for backend in BACKENDS:
            marks = []
            if backend in case.known:
                marks.append(pytest.mark.xfail(strict=True, reason=case.known[backend]))
            out.append(pytest.param(case, backend, id=f"{case.name}-{backend}", marks=marks))
    return out


@pytest.mark.parametrize(("case", "backend"), params())
def test_regression(case: Case, backend: str, engines: dict[str, Backend | str]) -> None:
    expected = set(case.expected)
    if backend == "interpreter":
        got = interpreter_ids(case.rule, case.records)
        assert got == expected, f"{case.name}: {case.why}\nrule: {case.rule}\ninterpreter: {sorted(got)}"
        return
    engine = engines[backend]
    if isinstance(engine, str):
        if IN_CI:
            pytest.fail(f"{backend} is unreachable under CI: {engine}")
        pytest.skip(f"{backend} is unreachable: {engine}")
    engine.load(case.records)
    for how, got in (("params", engine.audience(case.rule)), ("inline", engine.audience_inline(case.rule))):
        assert got == expected, (
            f"{case.name}: {case.why}\nrule: {case.rule}\n{backend} ({how}): {sorted(got)}, "
            f"expected {sorted(expected)}\nSQL: {engine.sql(case.rule)}"
        )


def test_cases_have_unique_names() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert NOW.isoformat() == "2026-11-28T12:00:00"
