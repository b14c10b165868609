"""Two-valued logic on every engine: count(R and C) + count(R and not C) = count(R).

C runs over every condition of the example corpus and of the trap rules (and
every top-level conjunct, so `or` groups and `not`s too). R is `channel X`
(X the channel of the rule C came from) on the trap and the corpus datasets,
and `channel X` with one more condition on the trap dataset. A condition
whose SQL could be NULL for some customer would drop that customer from both
sides and break the sum. Every backend variant runs it (collations included).
"""

from __future__ import annotations

import pytest

import segdsl
from segdsl.families.formatter import format_node
from segdsl.lang import ir
from tests.engines import CORPUS, backend_params, compiled_sql, corpus_rules, dataset_for
from tests.test_trap import CASES, TRAP

# every engine, and the collation variants (duckdb_nocase left out for time: sqlite_nocase is the same trap)
BACKENDS = ("sqlite", "duckdb", "postgres", "mysql", "mysql_ci", "mysql_latin1", "sqlite_nocase", "postgres_c")
DATASETS = (TRAP, CORPUS)
EXTRA = "(tag is known or name is unknown)"


def _conditions() -> list[tuple[str, str]]:
    """(channel, condition text), each once, in a stable order."""
    found: dict[tuple[str, str], None] = {}

    def walk(node: ir.Node, channel: str) -> None:
        if isinstance(node, ir.Condition):
            if node.family != "channel":
                found[(channel, format_node(node))] = None
        elif isinstance(node, ir.Not):
            walk(node.item, channel)
        else:
            for item in node.items:
                walk(item, channel)

    texts = [text for _, text in corpus_rules()] + [rule for rule, _, _ in CASES]
    for text in texts:
        rule = segdsl.parse(text)
        walk(rule.expr, rule.channel)
        if isinstance(rule.expr, ir.And):  # whole conjuncts: `or` groups, `not`s
            for item in rule.expr.items:
                if not (isinstance(item, ir.Condition) and item.family == "channel"):
                    found[(rule.channel, format_node(item))] = None
    return list(found)


CONDITIONS = _conditions()


def test_there_are_conditions_enough() -> None:
    assert len(CONDITIONS) >= 150


_TOTALS: dict[tuple[str, str, str], int] = {}


def _count(engine_key: tuple[str, str], engine: object, rule: str) -> int:
    key = (*engine_key, rule)
    if key not in _TOTALS:
        sql = compiled_sql(rule, engine.rules, True)  # type: ignore[attr-defined]
        _TOTALS[key] = int(engine.query(sql)[0][0])  # type: ignore[attr-defined]
    return _TOTALS[key]


def _both(engine: object, with_c: str, without_c: str) -> tuple[int, int]:
    """Both counts in one round trip: SELECT (count 1), (count 2)."""
    a = compiled_sql(with_c, engine.rules, True)  # type: ignore[attr-defined]
    b = compiled_sql(without_c, engine.rules, True)  # type: ignore[attr-defined]
    row = engine.query(f"SELECT ({a}) AS a, ({b}) AS b")[0]  # type: ignore[attr-defined]
    return int(row[0]), int(row[1])


@pytest.mark.parametrize(
    ("channel", "condition"), [pytest.param(ch, cond, id=f"{ch}:{cond}") for ch, cond in CONDITIONS]
)
@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_condition_and_its_negation_split_every_set(engine_pool, backend: str, channel: str, condition: str) -> None:
    # the corpus dataset holds 'whatsapp' and 'WhatsApp' for one customer: one row under a caseless
    # collation, so the collation variants hold the trap dataset only
    for dataset in DATASETS if backend in ("sqlite", "duckdb", "postgres", "mysql") else (TRAP,):
        engine = engine_pool.get(backend, dataset_for(backend, dataset))
        bases = [f"channel {channel}"] + ([f"channel {channel} and {EXTRA}"] if dataset is TRAP else [])
        for base in bases:
            total = _count((backend, dataset.name), engine, base)
            yes, no = _both(engine, f"{base} and ({condition})", f"{base} and not ({condition})")
            assert yes + no == total, f"{dataset.name}: {base!r}: {yes} + {no} != {total}"
