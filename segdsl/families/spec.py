"""What a condition family is: its subjects, its five jobs, and the data it reads.

A family is an object (a subclass of :class:`Family`) that a plugin hands to
segdsl through the one hook ``segdsl_families(register)``::

    from segdsl.families.hookspecs import hookimpl

    @hookimpl
    def segdsl_families(register):
        register("orders", OrdersFamily())

The registry stamps the name given to ``register`` on the family
(``family.name``), so the name is written once; conditions are made with
:meth:`Family.condition`, which carries that name.

A family declares the **roles** it reads (:class:`Role`): a table with its
columns (column role -> default column name, SQL type, not-null), primary
key and indexes, plus the key under which a customer record carries those
rows and the record's shape. Everything else iterates over the declared
roles: the schema mapping (``[schema.ROLE]`` in ``segdsl.toml``), DDL, load,
export, demo data and the in-process view. Several families may declare the
same role (the same object, or parts of it): the registry merges them.

The ``customers`` role (the customer's own row, ``id``) is core
(:data:`CUSTOMERS`); a family adds columns to it by declaring a role named
``customers`` with shape ``"customer"``.

>>> TAGS = Role("tags", "customer_tags", {"customer_id": Column("customer_id", "BIGINT", True),
...             "tag": Column("tag", "VARCHAR(100)", True)}, primary_key=("customer_id", "tag"),
...             record_key="tags", shape="scalars")
>>> TAGS.value_columns, TAGS.column_names
(('tag',), ('customer_id', 'tag'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from segdsl.lang import ir

if TYPE_CHECKING:
    from sqlglot import exp

    from segdsl.families.settings import Settings
    from segdsl.lang.terms import TermReader

#: how a record carries a role's rows (see :class:`Role`)
SHAPES = ("customer", "scalars", "mapping", "rows")
#: the NULL cell of demo rows (PostgreSQL COPY text format)
NULL = "\\N"
#: what a role's demo function returns for one customer: rows as tuples of text cells, or tab-joined
DemoRows = Sequence["tuple[str, ...] | str"]
#: the rank of a condition whose family does not override :meth:`Family.cost`
DEFAULT_COST = 50


@dataclass(frozen=True)
class Column:
    """One column of a role's table.

    ``type`` is an SQL type in PostgreSQL spelling (``BIGINT``, ``INTEGER``,
    ``VARCHAR(100)``, ``BOOLEAN``, ``TIMESTAMP``, ``DOUBLE PRECISION``,
    ``NUMERIC(12,2)``); segdsl writes it in each engine's dialect. A record
    that leaves a not-null column out gets ``default`` (a value, or a callable
    taking the whole customer record); with no default such a record is refused.
    """

    name: str
    type: str
    not_null: bool = False
    default: Any = None

    @property
    def kind(self) -> str:
        """How values are read from records and exported: int, number, bool, timestamp or text."""
        t = self.type.upper()
        if t.startswith(("BIGINT", "INT", "SMALLINT")):
            return "int"
        if t.startswith(("DOUBLE", "REAL", "FLOAT", "NUMERIC", "DECIMAL")):
            return "number"
        if t.startswith("BOOL"):
            return "bool"
        if t.startswith(("TIMESTAMP", "DATETIME")):
            return "timestamp"
        return "text"


@dataclass(frozen=True)
class Role:
    """A table a family reads, and how customer records carry its rows.

    ``columns`` maps column roles (the names plugins use in
    ``SqlContext.col``) to :class:`Column`; every role but ``customers`` has
    a ``customer_id`` column. ``shape`` says how a record carries the rows
    under ``record_key``:

    - ``"customer"``: columns of the customer's own row; the record keys are
      the column roles (``{"id": 1, "name": "Asha"}``);
    - ``"scalars"``: a list of the one value column (``"tags": ["vip"]``);
    - ``"mapping"``: a dict of the two value columns, key -> value, values as
      text (a JSON number or boolean stands for its JSON text);
    - ``"rows"``: a list of dicts keyed by column role (``"interactions": [{...}]``);
      a missing ``id`` primary key is numbered on load.

    ``indexes`` are column-role tuples; their names are derived from the
    mapped table (``ix_<table>_<columns>``). ``order_by`` orders a customer's
    rows on export (default: the primary key without ``customer_id``).

    ``demo`` makes demo rows: called once per customer with a
    :class:`DemoCustomer`, it returns the rows of this role for that customer
    as tuples of text cells in ``columns`` order (:data:`NULL` for NULL; no tab,
    newline or backslash in a value), or, faster for big tables, as one ``str``
    of the cells joined by tabs. For the ``customers`` role it returns the
    cells of the columns the family adds. ``demo_record`` may turn an item of a
    generated record (a scalar, a ``(key, value)`` pair, a row dict) into a
    variant that means the same, for variety (e.g. a JSON number for "7").
    """

    name: str
    table: str = ""
    columns: Mapping[str, Column] = field(default_factory=dict)
    primary_key: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    record_key: str = ""
    shape: str = "rows"
    order_by: tuple[str, ...] = ()
    demo: Callable[[DemoCustomer], DemoRows] | None = field(default=None, compare=False)
    demo_record: Callable[[int, Any], Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise ValueError(f"role `{self.name}`: shape must be one of {', '.join(SHAPES)}, not {self.shape!r}")
        object.__setattr__(self, "columns", dict(self.columns))

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column roles, in table order."""
        return tuple(self.columns)

    @property
    def value_columns(self) -> tuple[str, ...]:
        """The column roles a record carries (all but ``customer_id``)."""
        return tuple(c for c in self.columns if c != "customer_id")

    @property
    def export_order(self) -> tuple[str, ...]:
        return self.order_by or tuple(c for c in self.primary_key if c != "customer_id")


ID = Column("id", "BIGINT", True)
CUSTOMER_ID = Column("customer_id", "BIGINT", True)

#: the customer's own row: core. Families add columns between ``id`` and ``created_at``.
CUSTOMERS = Role(
    "customers",
    "customers",
    {"id": ID, "created_at": Column("created_at", "TIMESTAMP")},
    primary_key=("id",),
    shape="customer",
)


@dataclass(slots=True)
class DemoCustomer:
    """One demo customer while its rows are made (see :attr:`Role.demo`).

    ``id`` is the customer id and ``key`` the same as text (the first cell of
    most rows). ``random()`` is the stream shared by every role of the
    customer's block (deterministic per seed and block); ``now`` and
    ``created`` are UTC epoch seconds. ``facts`` holds what one role's demo
    leaves for another (the channels the customer is reachable on, say), by
    the keys the families agree on.
    """

    id: int
    random: Callable[[], float]
    now: int
    created: int = 0
    facts: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    #: ``timestamp(epoch_seconds) -> "YYYY-MM-DD HH:MM:SS"`` (UTC), the text of a timestamp cell
    timestamp: Callable[[int], str] = field(default_factory=lambda: stamper())


_DAY = 86_400
_EPOCH = dt.date(1970, 1, 1).toordinal()
_DAY_TEXT: dict[int, str] = {}
_CLOCK: list[str] = []


def stamper() -> Callable[[int], str]:
    """A fast ``epoch seconds -> "YYYY-MM-DD HH:MM:SS"`` (UTC) (the clock's 86,400 texts are made once)."""
    if not _CLOCK:
        _CLOCK.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(_DAY))
    clock, days = _CLOCK, _DAY_TEXT

    def timestamp(seconds: int) -> str:
        day, sec = divmod(seconds, _DAY)
        text = days.get(day)
        if text is None:
            text = days[day] = dt.date.fromordinal(_EPOCH + day).isoformat()
        return f"{text} {clock[sec]}"

    return timestamp


class Family:
    """A condition family. Subclass it, set ``subjects`` and ``roles``, implement the five jobs.

    Required: :meth:`parse`, :meth:`format`, :meth:`sql`, :meth:`predicate`.
    Optional: :meth:`cost`, :meth:`describe`, ``synonyms`` and :meth:`hint`
    (the words of an unknown condition). ``name`` is set by the registry.
    """

    #: set by the registry from the registration (``register(name, family)``)
    name: str = ""
    #: the subject phrases this family claims, lower case (``("last interaction",)``)
    subjects: ClassVar[tuple[str, ...]] = ()
    #: the roles (tables) this family reads
    roles: ClassVar[tuple[Role, ...]] = ()
    #: words people reach for -> the subject this family spells them (``{"phone": "number"}``)
    synonyms: ClassVar[Mapping[str, str]] = {}

    def condition(
        self,
        subject: str,
        op: str,
        values: tuple[ir.Value, ...] = (),
        key: ir.Value | None = None,
        within: ir.Duration | None = None,
        span: ir.Span | None = None,
    ) -> ir.Condition:
        """An IR condition of this family (``family`` is this family's registered name)."""
        return ir.Condition(self.name, subject, op, values, key, within, span=span or ir.NO_SPAN)

    def parse(self, subject: str, reader: TermReader, settings: Settings) -> ir.Condition:
        """The terms after a claimed ``subject`` -> a typed condition, or raise ``RuleError`` (via ``reader``)."""
        raise NotImplementedError

    def format(self, condition: ir.Condition) -> str:
        """The canonical text of ``condition``: ``parse(format(c)) == c``."""
        raise NotImplementedError

    def sql(self, condition: ir.Condition, ctx: Any) -> exp.Expression:
        """A sqlglot predicate over the outer customers row ``c`` (build it with
        :class:`segdsl.sql.context.SqlContext` ``ctx``): TRUE or FALSE, never NULL."""
        raise NotImplementedError

    def predicate(self, condition: ir.Condition, ctx: Any) -> Callable[[Any], bool]:
        """``f(view) -> bool`` over a :class:`segdsl.inproc.view.View`, equal to :meth:`sql`.
        ``ctx`` has ``channel`` (folded) and ``now`` (naive UTC)."""
        raise NotImplementedError

    def cost(self, condition: ir.Condition) -> int:
        """How soon to test the condition where an engine tests an AND in written order
        (SQLite); lower first. The customer's own row is 0, a look-up of many rows 50."""
        return DEFAULT_COST

    def describe(self, condition: ir.Condition, ctx: Any = None) -> str:
        """One plain-English sentence for ``condition`` (``segdsl explain``); default: its canonical text."""
        return f"customers matching `{self.format(condition)}`"

    # -------------------------------------------------------- explain, why and check (all optional)

    def facts(self, condition: ir.Condition, view: Any, ctx: Any) -> str | None:
        """The customer's values that ``condition`` reads, for ``segdsl why`` (``"tags: gold, new"``).

        ``view`` is the :class:`segdsl.inproc.view.View` of the record, ``ctx`` has
        ``channel`` and ``now``. Default: what the record holds under this family's record keys.
        """
        parts = []
        for role in self.roles:
            if role.shape == "customer":
                continue
            value = view.rec.get(role.record_key)
            parts.append(f"{role.record_key}: {_short(value)}")
        return "; ".join(parts) or None

    def vocabulary(self, condition: ir.Condition) -> Sequence[Vocabulary]:
        """The literals of ``condition`` that name stored values (a tag, a field key), for ``segdsl check``."""
        return ()

    def negation(self, condition: ir.Condition) -> ir.Condition | None:
        """The condition that holds exactly when ``condition`` does not, if the family spells one.

        Default: ``is`` and ``isnt`` (and ``unknown`` and ``known``) of the same values are each
        other's negation, as the contract defines `isn't` for every built-in family. A family whose
        ``isnt`` means something else overrides this to return None.
        """
        flipped = _NEGATED_OPS.get(condition.op)
        if flipped is None:
            return None
        return ir.Condition(condition.family, condition.subject, flipped, condition.values, condition.key,
                            condition.within, span=condition.span)

    def excludes(self, a: ir.Condition, b: ir.Condition, now: dt.datetime | None) -> bool:
        """True only when no customer can satisfy both ``a`` and ``b`` (two conditions of this family).

        ``segdsl check`` reports an AND group holding such a pair as a contradiction (and an OR
        group of their negations as a tautology), so a wrong True is a wrong warning: when in
        doubt, return False. ``now`` is naive UTC, or None when unknown. Default: the pairs
        :meth:`negation` makes (``is``/``isnt`` of the same values, ``unknown``/``known``).
        """
        negated = self.negation(a)
        return negated is not None and (negated.op, negated.values, negated.key, negated.within) == (
            b.op, b.values, b.key, b.within)

    def hint(self, terms: Sequence[ir.Term]) -> str | None:
        """A hint for a condition no family claims (its raw ``terms``), or None."""
        return None


REQUIRED_METHODS = ("parse", "format", "sql", "predicate")
OPTIONAL_METHODS = ("cost", "describe", "hint", "facts", "vocabulary", "negation", "excludes")

_NEGATED_OPS = {"is": "isnt", "isnt": "is", "unknown": "known", "known": "unknown"}


@dataclass(frozen=True)
class Vocabulary:
    """A literal that names a stored value, which ``segdsl check`` looks up in the data.

    ``role``/``column`` (column role) say where such values are stored; ``what`` names
    the value for people (``"tag"``, ``"field key"``); ``folded`` says the rule compares
    it case-insensitively (so does the look-up); ``span`` is where the literal stands.
    """

    role: str
    column: str
    value: str
    what: str
    folded: bool = True
    span: ir.Span | None = None


def _short(value: Any, limit: int = 80) -> str:
    """A record value for one line of ``segdsl why``."""
    if value is None or value == [] or value == {}:
        return "none"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = ", ".join(str(v) for v in value)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def merge_roles(declared: Iterable[tuple[str, Role]]) -> dict[str, Role]:
    """Merge the roles declared by several families into one per name.

    A role declared twice must agree on its table, shape, record key, keys
    and indexes (where given), and on every column both declare; the columns
    are the union, in first-declared order (``customers``: ``id`` first,
    ``created_at`` last). Raises ``ValueError`` naming the families.
    """
    merged: dict[str, Role] = {"customers": CUSTOMERS}
    owners: dict[str, str] = {"customers": "segdsl"}
    demos: dict[str, list[Callable[..., Any]]] = {}
    for family, role in declared:
        have = merged.get(role.name)
        if have is None:
            merged[role.name], owners[role.name] = role, family
            continue
        for attr in ("table", "shape", "record_key", "primary_key", "indexes", "order_by"):
            mine, theirs = getattr(role, attr), getattr(have, attr)
            if mine and theirs and mine != theirs:
                raise ValueError(
                    f"families `{owners[role.name]}` and `{family}` declare role `{role.name}` with different "
                    f"{attr}: {theirs!r} and {mine!r}"
                )
        columns = dict(have.columns)
        for col, spec in role.columns.items():
            if col in columns and columns[col] != spec:
                raise ValueError(
                    f"families `{owners[role.name]}` and `{family}` declare column `{role.name}.{col}` differently"
                )
            columns.setdefault(col, spec)
        if role.name == "customers":
            tail = {k: columns.pop(k) for k in CUSTOMERS.columns if k != "id"}
            columns.update(tail)
            if role.demo is not None:
                demos.setdefault("customers", []).append(role.demo)
        merged[role.name] = Role(
            role.name,
            have.table or role.table,
            columns,
            have.primary_key or role.primary_key,
            have.indexes or role.indexes,
            have.record_key or role.record_key,
            have.shape,
            have.order_by or role.order_by,
            have.demo or role.demo,
            have.demo_record or role.demo_record,
        )
    if len(demos.get("customers", ())) > 1:
        merged["customers"] = _with_customer_demos(merged["customers"], demos["customers"])
    return merged


@dataclass(frozen=True)
class CustomerColumns:
    """The demo functions that fill the customers row, in declaration order (see :func:`merge_roles`)."""

    parts: tuple[Callable[[DemoCustomer], Sequence[tuple[str, ...]]], ...]

    def __call__(self, customer: DemoCustomer) -> Sequence[tuple[str, ...]]:
        cells: tuple[str, ...] = ()
        for part in self.parts:
            cells += part(customer)[0]
        return [cells]


def _with_customer_demos(role: Role, parts: list[Callable[..., Any]]) -> Role:
    return Role(role.name, role.table, role.columns, role.primary_key, role.indexes, role.record_key, role.shape,
                role.order_by, CustomerColumns(tuple(parts)), role.demo_record)
