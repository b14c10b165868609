"""Personal details: `name`, `email`, `number` and `gender`.

Text compares case-insensitively; `number` also ignores spaces, hyphens,
dots, parentheses and plus signs on both sides. `isn't` is `not is`, so it
includes customers whose value is unknown.

>>> import segdsl
>>> c = segdsl.parse('channel sms and number is "+91 98765-43210"').expr.items[1]
>>> c.subject, c.op, c.values[0].value
('number', 'is', '+91 98765-43210')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from sqlglot import exp

from segdsl.families.formatter import OPERATOR_TEXT, list_text, quote, value_text
from segdsl.families.settings import Settings
from segdsl.families.spec import NULL, Column, DemoCustomer, Family, Role
from segdsl.lang import ir
from segdsl.lang.errors import did_you_mean
from segdsl.lang.terms import TermReader
from segdsl.lang.textops import PHONE_NOISE, SUBSTRING_TESTS, fold, is_blank, normalize_phone
from segdsl.sql import context as sqlgen
from segdsl.sql.context import SqlContext

GENDERS = ("female", "male", "other")
TEXT_OPERATORS = ("is", "isnt", "in", "unknown", "known", "contains", "starts_with", "ends_with")
GENDER_OPERATORS = ("is", "isnt", "in", "unknown", "known")
# subject -> column role in the customers table
COLUMNS = {"name": "name", "email": "email", "number": "phone", "gender": "gender"}


def _gender(reader: TermReader) -> ir.Value:
    tok = reader.peek()
    if tok is None or not (tok.kind == "word" or (tok.value is not None and tok.value.kind == "string")):
        reader.expected(["a gender (female, male or other)"])
    reader.take()
    text = str(tok.value.value if tok.value is not None else tok.text)
    if text.lower() not in GENDERS:
        guess = did_you_mean(text, GENDERS)
        hints = [f"did you mean `{guess}`?"] if guess else []
        hints.append("genders are female, male and other")
        reader.fail(f"unknown gender `{text}`", tok, hints=hints)
    return ir.Word(text.lower(), span=tok.span)


def _check_text(subject: str, op: str, value: ir.Value, reader: TermReader) -> None:
    text = str(value.value)
    if subject == "number" and not normalize_phone(text):
        reader.fail(
            "this number has no digits or letters left once spaces, hyphens, dots, parentheses and plus signs "
            "are removed",
            _term_at(reader, value),
        )
    if op in ("is", "isnt", "in") and is_blank(text):
        reader.fail(
            f'`""` is not a {subject}: an empty {subject} counts as unknown',
            _term_at(reader, value),
            hints=(f"to find customers without a {subject}, write `{subject} is unknown`",),
        )
    if not text:
        reader.fail("an empty text matches every value", _term_at(reader, value))


def _term_at(reader: TermReader, value: ir.Value) -> ir.Term:
    return ir.Term("value", "", value.span)


def _parse(family: Family, subject: str, reader: TermReader) -> ir.Condition:
    if subject == "gender":
        op = reader.expect_operator(GENDER_OPERATORS)
        if op == "in":
            tok = reader.peek()
            if tok is None or tok.kind != "list":
                reader.expected(["a list like (female, other)"])
            reader.take()
            if not tok.items:
                reader.fail("an `in` list needs at least one value", tok)
            inner = reader.list_reader(tok)
            values: tuple[ir.Value, ...] = ()
            while not inner.at_end():
                values += (_gender(inner),)
        elif op in ("is", "isnt"):
            values = (_gender(reader),)
        else:
            values = ()
        return family.condition(subject, op, values, span=reader.span)
    op = reader.expect_operator(TEXT_OPERATORS)
    what = f"a quoted {'phone number' if subject == 'number' else subject}"
    if op == "in":
        values = reader.expect_list(("string",), what)
    elif op in ("unknown", "known"):
        values = ()
    else:
        values = (reader.expect_value(("string",), what),)
    for value in values:
        _check_text(subject, op, value, reader)
    return family.condition(subject, op, values, span=reader.span)


def _format(condition: ir.Condition) -> str:
    subject, op = condition.subject, condition.op
    if op == "in":
        return f"{subject} in {list_text(condition.values)}"
    if op in ("unknown", "known"):
        return f"{subject} {OPERATOR_TEXT[op]}"
    return f"{subject} {OPERATOR_TEXT[op]} {value_text(condition.values[0])}"


def _normalizer(subject: str) -> Callable[[str], str]:
    return normalize_phone if subject == "number" else fold


def _wanted(condition: ir.Condition) -> list[str]:
    norm = _normalizer(condition.subject)
    return sorted({norm(str(v.value)) for v in condition.values})


def _sql(condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
    subject, op = condition.subject, condition.op
    column = ctx.customer(COLUMNS[subject])
    if op == "unknown":
        return ctx.is_blank(column)
    if op == "known":
        return sqlgen.not_(ctx.is_blank(column))
    value: exp.Expression = column
    if subject == "number":
        for ch in PHONE_NOISE:
            value = exp.Anonymous(this="REPLACE", expressions=[value, exp.Literal.string(ch), exp.Literal.string("")])
    wanted = _wanted(condition)
    if op in ("is", "isnt", "in"):
        pred = sqlgen.and_(sqlgen.not_(exp.Is(this=column, expression=exp.Null())), ctx.fold_in(value, wanted))
        return sqlgen.not_(pred) if op == "isnt" else pred
    return sqlgen.and_(sqlgen.not_(ctx.is_blank(column)), ctx.text_test(op, ctx.lower(value), wanted[0]))


def _predicate(condition: ir.Condition, ctx: Any) -> Any:
    subject, op = condition.subject, condition.op
    key = "phone" if subject == "number" else subject
    norm = _normalizer(subject)

    def get(view: Any) -> str | None:
        value = view.rec.get(key)
        return value if value is None or isinstance(value, str) else str(value)

    if op == "unknown":
        return lambda view: is_blank(get(view))
    if op == "known":
        return lambda view: not is_blank(get(view))
    wanted = _wanted(condition)
    if op in ("is", "isnt", "in"):
        targets = frozenset(wanted)

        def equals(view: Any) -> bool:
            value = get(view)
            return value is not None and norm(value) in targets

        return (lambda view: not equals(view)) if op == "isnt" else equals
    needle = wanted[0]
    found = SUBSTRING_TESTS[op]

    def test(view: Any) -> bool:
        value = get(view)
        if is_blank(value):
            return False
        return found(norm(value), needle)  # type: ignore[arg-type]

    return test


# ----------------------------------------------------------------------------- demo data
# Messy on purpose: unicode and blank names, phone numbers in assorted formats, genders in mixed case.

FIRST = (
    "Asha", "Rahul", "Priya", "Arjun", "Ananya", "Vikram", "Fatima", "Omar", "Aisha", "Yusuf",
    "Maria", "José", "Lucía", "Mateo", "Camila", "João", "Ana", "Pedro", "Sofía", "Diego",
    "Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas", "Chloé", "Amélie",
    "François", "Anaïs", "Zoë", "Jürgen", "Björn", "Søren", "Łukasz", "Zoltán", "Siobhán", "Renée",
    "Ngozi", "Chinedu", "Amara", "Kwame", "Wanjiru", "Mei", "Wei", "Yuki", "Haruto", "Minh",
    "Ayşe", "Mehmet", "Dmitri", "Olga", "Ólafur", "Nikos", "Elena", "Aarav", "Ishaan", "Kavya",
)
LAST = (
    "Rao", "Sharma", "Patel", "Iyer", "Khan", "Haddad", "Silva", "Santos", "García", "Fernández",
    "López", "Martínez", "Smith", "Johnson", "Brown", "Williams", "Müller", "Schäfer", "Dubois",
    "Lefèvre", "Kowalski", "Nowak", "Nguyễn", "Trần", "Okafor", "Mensah", "Kamau", "Tanaka",
    "Sato", "Chen", "Wang", "Yılmaz", "Öztürk", "Ivanov", "Petrov", "Papadopoulos", "O'Brien",
    "Van der Berg", "Jónsson", "Núñez", "da Costa", "Singh", "Gupta", "Reddy", "Ali",
)
WHOLE_NAMES = (  # names that are not "First Last" in Latin letters
    "王芳", "李娜", "佐藤 花子", "김민준", "Дмитрий Иванов", "محمد علي", "Ελένη Παπαδοπούλου",
    "ZOË MÜLLER", "Cher", "Dr. Asha Rao", "asha", "Unknown", "N/A", "José-María Núñez",
)
DOMAINS = (
    "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
    "icloud.com", "proton.me", "example.com", "acme.io", "shop.co.in", "mail.ru",
)
COUNTRY_CODES = ("91", "91", "91", "1", "1", "44", "55", "234", "254", "49", "33", "81", "52", "62")
GENDER_SPELLINGS = {
    "female": ("female", "female", "female", "female", "female", "female", "female", "Female", "Female", "FEMALE"),
    "male": ("male", "male", "male", "male", "male", "male", "male", "Male", "Male", "MALE"),
    "other": ("other", "other", "other", "other", "other", "other", "other", "Other", "Other", "OTHER"),
}


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


FIRST_ASCII = tuple(_ascii(x) for x in FIRST)
LAST_ASCII = tuple(_ascii(x) for x in LAST)
WHOLE_ASCII = tuple(_ascii(x) or "user" for x in WHOLE_NAMES)
_NF, _NL, _NW, _NDOM, _NCC = len(FIRST), len(LAST), len(WHOLE_NAMES), len(DOMAINS), len(COUNTRY_CODES)
_FEMALE, _MALE, _OTHER = GENDER_SPELLINGS["female"], GENDER_SPELLINGS["male"], GENDER_SPELLINGS["other"]


def demo_person(c: DemoCustomer) -> Sequence[tuple[str, ...]]:
    """The cells of name, email, phone and gender for one customer."""
    u = c.random
    # --- name and email
    r = u()
    fi = int(u() * _NF)
    li = int(u() * _NL)
    local: str | None
    if r < 0.04:
        name = NULL
        local = FIRST_ASCII[fi] + LAST_ASCII[li]
    elif r < 0.06:
        name = ""
        local = FIRST_ASCII[fi]
    elif r < 0.07:
        name = "  "
        local = None
    elif r < 0.09:
        wi = int(u() * _NW)
        name = WHOLE_NAMES[wi]
        local = WHOLE_ASCII[wi]
    else:
        name = f"{FIRST[fi]} {LAST[li]}"
        if r > 0.975:
            name = name.upper()
        elif r > 0.95:
            name = name.lower()
        elif r > 0.94:
            name = f" {name} "
        local = FIRST_ASCII[fi] + ("." if r < 0.6 else "") + LAST_ASCII[li]
    r = u()
    if r < 0.08 or local is None:
        email = NULL
    elif r < 0.09:
        email = ""
    else:
        email = f"{local}{int(u() * 100) if r < 0.5 else ''}@{DOMAINS[int(u() * _NDOM)]}"
        if r > 0.96:
            email = email.capitalize()
    # --- phone
    r = u()
    if r < 0.07:
        phone = NULL
    elif r < 0.08:
        phone = ""
    else:
        d = str(6_000_000_000 + int(u() * 3_999_999_999))
        cc = COUNTRY_CODES[int(u() * _NCC)]
        if r < 0.30:
            phone = f"+{cc} {d[:5]}-{d[5:]}"
        elif r < 0.50:
            phone = cc + d
        elif r < 0.62:
            phone = f"({d[:3]}) {d[3:6]}-{d[6:]}"
        elif r < 0.70:
            phone = f"{d[:3]}.{d[3:6]}.{d[6:]}"
        elif r < 0.85:
            phone = f"+{cc} {d[:2]} {d[2:6]} {d[6:]}"
        else:
            phone = f"+{cc}{d}"
    # --- gender
    r = u()
    if r < 0.45:
        gender = _FEMALE[int(u() * 10)]
    elif r < 0.87:
        gender = _MALE[int(u() * 10)]
    elif r < 0.90:
        gender = _OTHER[int(u() * 10)]
    elif r < 0.97:
        gender = NULL
    elif r < 0.99:
        gender = ""
    else:
        gender = " "
    return [(name, email, phone, gender)]


#: the columns this family adds to the customer's own row
PERSON_ROLE = Role(
    "customers",
    columns={
        "name": Column("name", "VARCHAR(200)"),
        "email": Column("email", "VARCHAR(320)"),
        "phone": Column("phone", "VARCHAR(64)"),
        "gender": Column("gender", "VARCHAR(16)"),
    },
    shape="customer",
    demo=demo_person,
)


class PersonalFamily(Family):
    """Name, email, number and gender: columns of the customer's own row."""

    subjects = tuple(COLUMNS)
    roles = (PERSON_ROLE,)
    synonyms = {"phone": "number", "mobile": "number", "sex": "gender", "mail": "email"}

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        return _parse(self, subject, reader)

    def format(self, condition: ir.Condition) -> str:
        return _format(condition)

    def cost(self, condition: ir.Condition) -> int:
        """A test on the customer's own row: no look-up."""
        return 0

    def sql(self, condition: ir.Condition, ctx: SqlContext) -> exp.Expression:
        return _sql(condition, ctx)

    def predicate(self, condition: ir.Condition, ctx: Any) -> Any:
        return _predicate(condition, ctx)

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        subject, op = condition.subject, condition.op
        if op in ("unknown", "known"):
            return f"{subject} is {'' if op == 'known' else 'un'}known (blank counts as unknown)"
        values = " or ".join(value_text(v) for v in condition.values)
        how = {"is": "is", "in": "is", "isnt": "is not", "contains": "contains", "starts_with": "starts with",
               "ends_with": "ends with"}[op]
        rule = "ignoring spaces, hyphens, dots, brackets and +" if subject == "number" else "any case"
        tail = " (or unknown)" if op == "isnt" else ""
        return f"{subject} {how} {values}{tail} ({rule})"

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        key = "phone" if condition.subject == "number" else condition.subject
        value = view.rec.get(key)
        shown = "unknown" if value is None or is_blank(str(value)) else quote(str(value))
        return f"{condition.subject}: {shown}"

    def excludes(self, a: ir.Condition, b: ir.Condition, now: Any) -> bool:
        """One value per customer: two `is` of different values, or a value and `unknown`, exclude."""
        if a.subject != b.subject:
            return False
        ops = {a.op, b.op}
        if "unknown" in ops:  # a blank value may still equal a blank text: leave those out
            other = b if a.op == "unknown" else a
            if other.op in ("is", "in"):
                return all(w.strip(" ") for w in _wanted(other))
            return other.op in ("known", "contains", "starts_with", "ends_with")
        if a.op in ("is", "in") and b.op in ("is", "in"):
            wanted_a, wanted_b = set(_wanted(a)), set(_wanted(b))
            return all(wanted_a | wanted_b) and not wanted_a & wanted_b
        if "isnt" in ops and ops & {"is", "in"}:
            has, hasnt = (a, b) if b.op == "isnt" else (b, a)
            return set(_wanted(has)) <= set(_wanted(hasnt))
        return False
