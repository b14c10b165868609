"""A count's semi-joins on keyed rows as inner joins (``DialectRules.join_keyed``: DuckDB).

``c.id IN (SELECT t.customer_id FROM customer_tags t WHERE fold(t.tag) = 'vip')`` asks for the
customers with such a row. Where a rule's top-level AND holds two or more such semi-joins, each on
a table whose primary key is ``(customer_id, K)`` and whose subquery pins ``K`` to listed values
(``SqlContext.fold_in`` or ``text_eq``/``text_in`` on the key column), DuckDB counts faster with
inner joins: it joins the small filtered tables with each other first, then filters the customers
scan with a runtime filter, where its semi-joins all probe the customers side in turn::

    SELECT COUNT(DISTINCT c.id) FROM customers c
    JOIN customer_channels ch1 ON ch1.customer_id = c.id AND fold(ch1.channel) = 'whatsapp'
    JOIN customer_tags t2 ON t2.customer_id = c.id AND fold(t2.tag) = 'vip'
    WHERE <the other conditions>

``COUNT(DISTINCT c.id)`` keeps the count exact; the pinned key bounds the rows a customer brings
into each join to one per listed value and spelling (``vip``, ``VIP``), and the lists joined
together hold at most :data:`MAX_ROWS` combinations, so joined tables cannot multiply into many
rows per customer. Measured with bench/bench_scale.py's data
(bench/README.md, "Scale"): 5 conditions 416 -> 274 ms at 10M customers; one keyed semi-join
alone is slower joined (223 -> 392 ms), hence :data:`JOIN_FROM`.
"""

from __future__ import annotations

from sqlglot import exp

from segdsl.families.settings import TableMapping
from segdsl.sql.context import (
    EXACT_IN_META,
    FOLD_IN_META,
    SqlContext,
    _alias_of,
    _is_not_null,
    _semi_select,
    and_,
    conjuncts,
)

#: the fewest keyed semi-joins at the top of a rule that are joined
JOIN_FROM = 2
#: the most rows one customer may bring into the joins, by the listed values: the product of the
#: joined semi-joins' list lengths (spellings of one value aside). Six `tag in` lists of 39 tags
#: each, joined, made 40^6 rows for one customer with 40 tags (17 s against 8 ms as IN)
MAX_ROWS = 16


def join_keyed_semi_joins(select: exp.Select, ctx: SqlContext) -> exp.Select:
    """``select`` (a count, built by ``compile.to_expression``) with its keyed semi-joins joined,
    when it has :data:`JOIN_FROM` or more of them; otherwise ``select`` unchanged. The semi-joins
    with the shortest lists are joined first, while the product of the list lengths stays within
    :data:`MAX_ROWS`; the others stay ``IN``."""
    where = select.args["where"].this
    parts = conjuncts(where)
    found = [(n, i, query) for i, p in enumerate(parts) for query, n in [_keyed_query(p, ctx)] if query is not None]
    chosen: dict[int, exp.Select] = {}
    rows = 1
    for n, i, query in sorted(found, key=lambda item: (item[0], item[1])):
        if rows * n > MAX_ROWS:
            break
        rows *= n
        chosen[i] = query
    if len(chosen) < JOIN_FROM:
        return select
    customer_id = ctx.customer("id")
    joins = []
    for i in sorted(chosen):
        query = chosen[i]
        key = query.expressions[0]  # the customer id column the subquery selects
        kept = [c for c in conjuncts(query.args["where"].this) if not _is_not_null(c, key)]
        on = and_(exp.EQ(this=key.copy(), expression=customer_id.copy()), *kept)
        joins.append(exp.Join(this=query.args["from_"].this, on=on, kind="INNER"))
    rest = [p for i, p in enumerate(parts) if i not in chosen]
    count = exp.Count(this=exp.Distinct(expressions=[customer_id]))
    return exp.Select(
        expressions=[exp.Alias(this=count, alias=exp.to_identifier("count", quoted=True))],
        from_=select.args["from_"],
        joins=joins,
        where=exp.Where(this=and_(*rest)) if rest else None,
    )


def _keyed_query(part: exp.Expression, ctx: SqlContext) -> tuple[exp.Select | None, int]:
    """(the subquery, the length of its list) of ``c.id IN (SELECT x.customer_id FROM T x WHERE …)``
    when the role it reads (T, and the customer id column it selects) has the primary key
    ``(customer_id, K)`` and a conjunct of the WHERE pins K to listed values; (None, 0) otherwise."""
    none = (None, 0)
    query = _semi_select(part) if isinstance(part, exp.In) and part.this == ctx.customer("id") else None
    if query is None:
        return none
    source = query.args.get("from_")
    where = query.args.get("where")
    if source is None or where is None or not isinstance(source.this, exp.Table) or len(query.expressions) != 1:
        return none
    alias = _alias_of(query)
    selected = query.expressions[0]
    if not (isinstance(selected, exp.Column) and selected.table == alias):
        return none
    mapping = _mapping_of(source.this, selected.name, ctx)
    if mapping is None:
        return none
    pk = mapping.role.primary_key
    if len(pk) != 2 or pk[0] != "customer_id":
        return none
    key = mapping.column(pk[1])
    if not all(column.table == alias for column in query.find_all(exp.Column)):
        return none  # reads another row (the outer customer): not a plain semi-join
    lengths = [len(mark[1]) for c in conjuncts(where.this)
               if (mark := c.meta.get(FOLD_IN_META) or c.meta.get(EXACT_IN_META)) is not None and mark[0] == key]
    return (query, min(lengths)) if lengths else none


def _mapping_of(table: exp.Table, customer_id: str, ctx: SqlContext) -> TableMapping | None:
    """The one role mapped onto ``table`` (its name and database schema) whose customer id column
    is ``customer_id``; None when there is none, or more than one."""
    db = table.args.get("db")
    schema = db.name if db is not None else None
    found = [m for role, m in ctx.schema.items()
             if role != "customers" and m.table == table.name and m.db_schema == schema
             and m.columns.get("customer_id") == customer_id]
    return found[0] if len(found) == 1 else None
