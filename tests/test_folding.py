"""One case-folding rule on every engine and in process (docs/language.md, "Case folding").

Each code point folds to the lower case of its upper case (segdsl.lang.foldtable).
The interpreter applies the table; each engine's SQL computes it natively
(SqlContext.fold). The proof: one customer per cased code point, in a name, a
tag and a custom field, and rules that each name ten fold classes; every engine returns
exactly the interpreter's customers, and those are exactly the class.
"""

from __future__ import annotations

import os
import unicodedata
from collections import defaultdict
from typing import Any

import pytest

from segdsl.data.engines import EngineError, connect
from segdsl.lang.foldtable import FOLD, UNICODE_VERSION, derive
from segdsl.lang.textops import ASCII_FROM_NON_ASCII, FULL_LOWER_FIXES, LOWER_FIXES, fold
from tests.diffdata import Backend, interpreter_ids, open_local, open_server
from tests.engines import PG_URL, skip_or_fail

IN_CI = os.environ.get("CI") == "true"
SURROGATES = range(0xD800, 0xE000)

#: fold classes of more than one code point: folded text -> its members
CLASSES: dict[str, list[str]] = defaultdict(list)
for _c, _f in FOLD.items():
    CLASSES[_f].append(_c)
for _f, _members in CLASSES.items():
    _members.append(_f)
    _members.sort()
CASED = sorted({c for members in CLASSES.values() for c in members})
#: texts whose folds must (PAIRS) or must not (UNEQUAL) be equal; stored after an "@"
PAIRS = [("ΟΔΟΣ", "οδος"), ("ΝΙΚΟΣ ΟΔΟΣ", "νικοσ οδος"), ("İstanbul", "istanbul"), ("ısparta", "ISPARTA"),
         ("STRAẞE", "straße"), ("\u212aIWI", "kiwi"), ("ſun", "SUN"), ("Ǆemal", "ǆemal"), ("ǅemal", "ǅEMAL")]
UNEQUAL = [("straße", "strasse"), ("i\u0307zmir", "izmir"), ("ǰ", "J")]


def test_table_is_the_rule() -> None:
    assert len(FOLD) == 1456 and len(CASED) == 2880
    assert all(len(c) == len(f) == 1 for c, f in FOLD.items()), "one code point in, one out"
    assert all(FOLD.get(f, f) == f for f in FOLD.values()), "folding twice changes nothing"
    if unicodedata.unidata_version == UNICODE_VERSION:
        assert derive() == FOLD
    assert FULL_LOWER_FIXES == {"İ": "i"}
    assert "".join(sorted(ASCII_FROM_NON_ASCII)) == "iks"
    for a, b in PAIRS:
        assert fold(a) == fold(b), (a, b)
    for a, b in UNEQUAL:
        assert fold(a) != fold(b), (a, b)


def test_fold_keeps_every_lower_case_python_does_not_change_otherwise() -> None:
    """Where Python's lower case is one code point and no fix applies, the fold is Python's lower case
    of the upper case (the table is not hand-edited)."""
    for cp in range(0x110000):
        if cp in SURROGATES:
            continue
        c = chr(cp)
        up = c.upper()
        if len(up) == 1 and len(up.lower()) == 1 and c not in FULL_LOWER_FIXES:
            assert fold(c) == up.lower(), hex(cp)
    assert set(LOWER_FIXES) <= set(FOLD)


def _records() -> list[dict[str, Any]]:
    out = []
    for c in CASED:
        # the tag puts the code point after a letter (a word-final Σ: ICU lowers it to ς)
        out.append({"id": ord(c), "channels": ["whatsapp"], "name": c, "tags": ["x" + c], "fields": {"k": c + "x"}})
    base = 0x110000
    for i, (a, b) in enumerate(PAIRS + UNEQUAL):
        for j, text in enumerate((a, b)):
            out.append({"id": base + 2 * i + j, "channels": ["whatsapp"], "name": "@" + text})
    return out


RECORDS = _records()


def _quoted(texts: list[str]) -> str:
    return ", ".join(f'"{t}"' for t in texts)


def _batch_rule(members: list[str]) -> str:
    return (f"channel whatsapp and (name in ({_quoted(members)}) or tag in ({_quoted(['x' + m for m in members])})"
            f" or field k in ({_quoted([m + 'x' for m in members])}))")


#: fold classes per rule: one rule per class would take a minute on four engines
BATCH = 10


def _rules() -> list[tuple[str, set[int]]]:
    """(rule, the ids it must return).

    Each rule names BATCH fold classes (by their last member) and must return
    exactly their members. The classes are batched twice: in runs of BATCH,
    and by their index modulo the number of batches. A code point that an
    engine folds into a wrong class is caught unless both classes share a
    batch in both ways, which no two classes do (their indexes would be less
    than BATCH apart and equal modulo a number larger than BATCH).
    """
    classes = sorted(CLASSES.values())
    n = -(-len(classes) // BATCH)
    batches = [classes[i : i + BATCH] for i in range(0, len(classes), BATCH)]
    batches += [classes[i::n] for i in range(n)]
    out = [(_batch_rule([c[-1] for c in batch]), {ord(m) for c in batch for m in c}) for batch in batches]
    base = 0x110000
    stored = {base + k: "@" + text for k, text in enumerate(t for pair in PAIRS + UNEQUAL for t in pair)}
    for a, _ in PAIRS + UNEQUAL:
        out.append((f'channel whatsapp and name is "@{a}"', {i for i, t in stored.items() if fold(t) == fold("@" + a)}))
    # the substring tests fold with SqlContext.fold (not the ASCII equality fast path)
    out.append(('channel whatsapp and name starts with "@ΝΙΚ"', {base + 2, base + 3}))
    greek = {base, base + 1, base + 2, base + 3}
    out.append(('channel whatsapp and name ends with "ΟΣ" and name contains "δο"', greek))
    return out


RULES = _rules()


def test_interpreter_returns_each_fold_class() -> None:
    """The rules' expected ids are the fold classes; the interpreter finds them (every 8th batch rule:
    all of them take several seconds; the classes come from the same table)."""
    for rule, want in RULES[::8] + RULES[-len(PAIRS) - len(UNEQUAL) - 2 :]:
        assert interpreter_ids(rule, RECORDS) == want, rule


@pytest.fixture(scope="module")
def backends() -> Any:
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


@pytest.mark.engine
@pytest.mark.parametrize("name", ["sqlite", "duckdb", "postgres", "mariadb"])
def test_every_cased_code_point_on(name: str, backends: dict[str, Backend | str]) -> None:
    backend = backends[name]
    if isinstance(backend, str):
        if IN_CI:
            pytest.fail(f"{name} is unreachable under CI: {backend}")
        pytest.skip(f"{name} is unreachable: {backend}")
    backend.load(RECORDS)
    wrong = []
    for rule, want in RULES:
        got = backend.audience(rule)
        if got != want:
            wrong.append((rule, sorted(map(hex, got ^ want))[:6]))
    assert not wrong, f"{len(wrong)} of {len(RULES)} rules differ from the interpreter on {name}: {wrong[:10]}"


@pytest.mark.engine
def test_icu_lowers_one_non_ascii_character_to_ascii() -> None:
    """PostgreSQL's ASCII fast path (ILIKE under "C"): ICU lowers no non-ASCII code point to ASCII but
    the Kelvin sign, and İ is put to i before ICU sees it; ı and ſ go through LOWER_FIXES."""
    try:
        db = connect(PG_URL)
    except EngineError as exc:
        skip_or_fail(f"PostgreSQL unreachable: {exc}")
    try:
        rows = db.query(
            """SELECT cp, LOWER(CHR(cp) COLLATE "und-x-icu")
               FROM generate_series(128, 1114111) AS cp
               WHERE cp NOT BETWEEN 55296 AND 57343
                 AND OCTET_LENGTH(LOWER(CHR(cp) COLLATE "und-x-icu"))
                     = LENGTH(LOWER(CHR(cp) COLLATE "und-x-icu"))"""
        )
    finally:
        db.close()
    assert rows == [(0x212A, "k")]
