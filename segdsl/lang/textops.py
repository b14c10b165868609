"""Text rules shared by the SQL and the in-process forms of a condition.

>>> is_number(" 7 "), is_number("12abc"), is_number("1e3"), is_number("+4"), is_number("3.")
(True, False, False, True, False)
>>> normalize_phone("+91 (98765) 43-210.")
'919876543210'
"""

from __future__ import annotations

import re
from collections.abc import Callable

NUMBER_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
PHONE_NOISE = " -.()+"
_PHONE_TABLE = str.maketrans("", "", PHONE_NOISE)


def fold(text: str) -> str:
    """Case-fold for comparisons (Unicode lower case)."""
    return text.lower()


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
    return text.translate(_PHONE_TABLE).lower()
