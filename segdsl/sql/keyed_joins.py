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
into the join to one per listed value and spelling (``vip``, ``VIP``), so joined tables cannot
multiply into many rows per customer. Measured with bench/bench_scale.py's data
(bench/README.md, "Scale"): 5 conditions 416 -> 274 ms at 10M customers; one keyed semi-join
alone is slower joined (223 -> 392 ms), hence :data:`JOIN_FROM`.
"""

from __future__ import annotations

from sqlglot import exp

from segdsl.sql.context import EXACT_IN_META, FOLD_IN_META, SqlContext, _is_not_null, and_, conjuncts

#: the fewest keyed semi-joins at the top of a rule that are joined
JOIN_FROM = 2


def join_keyed_semi_joins(select: exp.Select, ctx: SqlContext) -> exp.Select:
    """``select`` (a count, built by ``compile.to_expression``) with its keyed semi-joins joined,
    when it has :data:`JOIN_FROM` or more of them; otherwise ``select`` unchanged."""
    where = select.args["where"].this
    parts = conjuncts(where)
    keyed = {i: query for i, query in ((i, _keyed_query(p, ctx)) for i, p in enumerate(parts)) if query is not None}
    if len(keyed) < JOIN_FROM:
        return select
    customer_id = ctx.customer("id")
    joins = []
    for query in keyed.values():
        table = query.args["from_"].this
        alias = str(table.alias)
        key = ctx.col(_role_of(table, ctx), "customer_id", alias)  # type: ignore[arg-type]
        kept = [c for c in conjuncts(query.args["where"].this) if not _is_not_null(c, key)]
        on = and_(exp.EQ(this=key, expression=customer_id.copy()), *kept)
        joins.append(exp.Join(this=table, on=on, kind="INNER"))
    rest = [p for i, p in enumerate(parts) if i not in keyed]
    count = exp.Count(this=exp.Distinct(expressions=[customer_id]))
    return exp.Select(
        expressions=[exp.Alias(this=count, alias=exp.to_identifier("count", quoted=True))],
        from_=select.args["from_"],
        joins=joins,
        where=exp.Where(this=and_(*rest)) if rest else None,
    )


def _keyed_query(part: exp.Expression, ctx: SqlContext) -> exp.Select | None:
    """The subquery of ``c.id IN (SELECT x.customer_id FROM T x WHERE …)`` when T's role has the
    primary key ``(customer_id, K)`` and a conjunct of the WHERE pins K to listed values."""
    if not (isinstance(part, exp.In) and isinstance(part.args.get("query"), exp.Subquery)):
        return None
    query = part.args["query"].this
    if not isinstance(query, exp.Select) or any(query.args.get(k) for k in ("group", "having", "joins", "limit")):
        return None
    source = query.args.get("from_")
    where = query.args.get("where")
    if source is None or where is None or not isinstance(source.this, exp.Table):
        return None
    role = _role_of(source.this, ctx)
    if role is None:
        return None
    mapping = ctx.schema[role]
    pk = mapping.role.primary_key
    if len(pk) != 2 or pk[0] != "customer_id":
        return None
    key = mapping.column(pk[1])
    alias = str(source.this.alias)
    for c in conjuncts(where.this):
        if any(column.table == "c" for column in c.find_all(exp.Column)):
            return None  # reads the outer row: not a plain semi-join
    pinned = any(
        (mark := c.meta.get(FOLD_IN_META) or c.meta.get(EXACT_IN_META)) is not None and mark[0] == key
        for c in conjuncts(where.this)
    )
    if not pinned or not all(col.table == alias for col in query.find_all(exp.Column)):
        return None
    return query


def _role_of(table: exp.Table, ctx: SqlContext) -> str | None:
    """The role mapped onto ``table`` (by its name and database schema), if any."""
    db = table.args.get("db")
    schema = db.name if db is not None else None
    for role, mapping in ctx.schema.items():
        if mapping.table == table.name and mapping.db_schema == schema and role != "customers":
            return role
    return None

