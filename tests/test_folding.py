"""The Unicode fact behind PostgreSQL's ASCII fold (segdsl.sql.context.SqlContext.fold_in).

`e COLLATE "C" ILIKE 'text'` equals `LOWER(e COLLATE "und-x-icu") = 'text'` for
an ASCII `text` only because the lower case of a non-ASCII character is never
ASCII, except the Kelvin sign's. Checked against Python's tables (which fold
the rule's literals and the in-process data) and against ICU in PostgreSQL.
"""

from __future__ import annotations

import pytest

from segdsl.data.engines import EngineError, connect
from segdsl.sql.context import ASCII_FROM_NON_ASCII
from tests.engines import PG_URL, skip_or_fail

SURROGATES = range(0xD800, 0xE000)


def test_python_lowers_one_non_ascii_character_to_ascii() -> None:
    found = {
        chr(cp).lower()
        for cp in range(0x80, 0x110000)
        if cp not in SURROGATES and chr(cp).lower().isascii()
    }
    assert found == set(ASCII_FROM_NON_ASCII) == {"k"}


@pytest.mark.engine
def test_icu_lowers_one_non_ascii_character_to_ascii() -> None:
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
