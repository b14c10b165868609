"""Text rules shared by the SQL and the in-process forms of a condition.

>>> is_number(" 7 "), is_number("12abc"), is_number("1e3"), is_number("+4"), is_number("3.")
(True, False, False, True, False)
>>> normalize_phone("+91 (98765) 43-210.")
'919876543210'
>>> fold("ΟΔΟΣ") == fold("οδος") == "οδοσ", fold("İstanbul"), fold("STRAẞE")
(True, 'istanbul', 'straße')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from segdsl.lang.foldtable import FOLD

NUMBER_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
PHONE_NOISE = " -.()+"
_PHONE_TABLE = str.maketrans("", "", PHONE_NOISE)


_FOLD_TABLE = str.maketrans(FOLD)

#: where an engine's LOWER maps a code point to more than one (ICU, Python: İ -> i + U+0307),
#: the code point's fold, to put in before LOWER
FULL_LOWER_FIXES: dict[str, str] = {c: FOLD.get(c, c) for c in FOLD if len(c.lower()) > 1}
#: the code points that a simple LOWER leaves alone but the fold changes (ς -> σ, ſ -> s, µ -> μ ...),
#: to put right after an engine's LOWER
LOWER_FIXES: dict[str, str] = {c: f for c, f in FOLD.items() if c.lower() == c}
#: the ASCII letters that are the fold of a non-ASCII code point (K KELVIN SIGN, ſ LONG S, ı, İ):
#: a fast path that folds ASCII text apart from the rest must still send non-ASCII text to the full fold
ASCII_FROM_NON_ASCII = frozenset(f for c, f in FOLD.items() if f.isascii() and not c.isascii())


def fold(text: str) -> str:
    """Case-fold for comparisons: each code point to the lower case of its upper case.

    The rule of docs/language.md ("Case folding"), table in :mod:`segdsl.lang.foldtable`;
    one code point in, one out, so lengths and positions are kept. ``str -> str``.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def trim(text: str) -> str:
    """Trim spaces, and only spaces, from both ends."""
    return text.strip(" ")


def is_blank(text: str | None) -> bool:
    """Unknown: missing, or empty after trimming spaces."""
    return text is None or not text.strip(" ")


def is_number(text: str) -> bool:
    """After trimming spaces, the text matches ``[+-]?[0-9]+(\\.[0-9]+)?``."""
    return NUMBER_RE.fullmatch(trim(text)) is not None


#: the substring tests, as ``test(text, needle)`` (in the SQL: SqlContext.text_test)
SUBSTRING_TESTS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda text, needle: needle in text,
    "starts_with": str.startswith,
    "ends_with": str.endswith,
}


def normalize_phone(text: str) -> str:
    """Drop spaces, hyphens, dots, parentheses and plus signs; fold case."""
    return fold(text.translate(_PHONE_TABLE))
