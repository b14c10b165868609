"""The hand-written SQL baseline: six rules, each in 2-4 shapes with the engine's native functions.

Shared by bench/bench_sql.py (SQLite, DuckDB, PostgreSQL at 200k customers) and
bench/bench_scale.py (DuckDB, PostgreSQL and Spark at 1M-10M). Each :class:`Case` is a rule
and its shapes (correlated ``EXISTS``, ``IN`` subqueries, ``INTERSECT``/``EXCEPT``, joins with
``COUNT(DISTINCT)``, ``MAX``/``GROUP BY``), built per engine by :class:`D` from the engine's
own ``LOWER``, ``TRIM``, casts and regex (SQLite's ``GLOB``, Spark's ``RLIKE``): no function of
segdsl's. Native ``LOWER`` is not segdsl's fold, so the data must hold no text where the two
differ for these rules (the benches check that both sides return the same count).
Times are relative to :data:`NOW`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, 0, 0)

# ----------------------------------------------------------------------------- dialect helpers


@dataclass(frozen=True)
class D:
    """The few spellings hand-written SQL needs per engine: native functions only."""

    name: str

    def fold(self, x: str) -> str:
        """The engine's own LOWER (SQLite: ASCII only; the datasets hold no text where that matters)."""
        return f"LOWER({x})"

    def feq(self, x: str, lit: str) -> str:
        """``x`` lower-cased equals ``lit`` (ASCII, lower case)."""
        return f"{self.fold(x)} = '{lit}'"

    def trimmed_feq(self, x: str, lit: str) -> str:
        """``x`` trimmed of spaces and lower-cased equals ``lit``."""
        return self.feq(self.trim(x), lit)

    def ts_col(self, col: str) -> str:  # SQLite keeps text: normalise like segdsl does
        return f"DATETIME({col})" if self.name == "sqlite" else col

    def ts(self, stamp: dt.datetime) -> str:
        """A UTC instant (Spark: read in the session's zone, UTC on the sessions segdsl opens)."""
        text = stamp.strftime("%Y-%m-%d %H:%M:%S")
        return f"DATETIME('{text}')" if self.name == "sqlite" else f"CAST('{text}' AS TIMESTAMP)"

    def trim(self, x: str) -> str:
        if self.name == "spark":
            return f"TRIM(BOTH ' ' FROM {x})"
        return f"TRIM(' ' FROM {x})" if self.name == "postgres" else f"TRIM({x}, ' ')"

    def number_gt(self, x: str, bound: int) -> str:
        """``x`` (trimmed) is a number ``[+-]?[0-9]+(\\.[0-9]+)?`` greater than ``bound``."""
        t = self.trim(x)
        if self.name == "postgres":
            return f"(CASE WHEN {t} ~ '^[+-]?[0-9]+(\\.[0-9]+)?$' THEN CAST({t} AS DOUBLE PRECISION) END) > {bound}"
        if self.name == "spark":  # Spark reads backslashes in literals as escapes: [.] instead of \\.
            return f"(CASE WHEN {t} RLIKE '^[+-]?[0-9]+([.][0-9]+)?$' THEN CAST({t} AS DOUBLE) END) > {bound}"
        if self.name == "duckdb":
            pattern = "'[+-]?[0-9]+(\\.[0-9]+)?'"
            return f"(CASE WHEN regexp_full_match({t}, {pattern}) THEN CAST({t} AS DOUBLE) END) > {bound}"
        # SQLite has no regex: drop one sign, then digits with at most one inner dot (GLOB)
        u = f"(CASE WHEN SUBSTR({t}, 1, 1) IN ('+', '-') THEN SUBSTR({t}, 2) ELSE {t} END)"
        return (
            f"(CASE WHEN {u} GLOB '[0-9]*' AND {u} GLOB '*[0-9]' AND {u} NOT GLOB '*[^0-9.]*' "
            f"AND {u} NOT GLOB '*.*.*' THEN CAST({t} AS REAL) END) > {bound}"
        )


def since(days: int) -> dt.datetime:
    return NOW_DT - dt.timedelta(days=days)


# ----------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Case:
    label: str
    rule: str
    shapes: dict[str, Callable[[D], str]]
    #: the same rule with its conditions written in another order (segdsl's SQL should not care)
    reordered: str = ""


def _r1_parts(d: D) -> dict[str, str]:
    return {
        "channel": f"{d.feq('ch.channel', 'whatsapp')}",
        "tag": f"{d.feq('t.tag', 'vip')}",
        "inter": f"{d.feq('i.channel', 'whatsapp')} AND {d.ts_col('i.occurred_at')} >= {d.ts(since(30))}",
        "field": f"f.field_key = 'returningUser' AND {d.trimmed_feq('f.field_value', 'true')}",
    }


def r1_exists(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {p['channel']})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {p['tag']})
  AND {d.feq('c.gender', 'female')}
  AND EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.id AND {p['inter']})
  AND EXISTS (SELECT 1 FROM customer_fields f WHERE f.customer_id = c.id AND {p['field']})"""


def r1_in(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT ch.customer_id FROM customer_channels ch WHERE {p['channel']})
  AND c.id IN (SELECT t.customer_id FROM customer_tags t WHERE {p['tag']})
  AND {d.feq('c.gender', 'female')}
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {p['inter']})
  AND c.id IN (SELECT f.customer_id FROM customer_fields f WHERE {p['field']})"""


def r1_sets(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(*) FROM (
  SELECT t.customer_id FROM customer_tags t WHERE {p['tag']}
  INTERSECT SELECT ch.customer_id FROM customer_channels ch WHERE {p['channel']}
  INTERSECT SELECT c.id FROM customers c WHERE {d.feq('c.gender', 'female')}
  INTERSECT SELECT f.customer_id FROM customer_fields f WHERE {p['field']}
  INTERSECT SELECT i.customer_id FROM interactions i WHERE {p['inter']}
) AS x"""


def r1_join(d: D) -> str:
    p = _r1_parts(d)
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_tags t ON t.customer_id = c.id AND {p['tag']}
JOIN customer_channels ch ON ch.customer_id = c.id AND {p['channel']}
JOIN customer_fields f ON f.customer_id = c.id AND {p['field']}
JOIN interactions i ON i.customer_id = c.id AND {p['inter']}
WHERE {d.feq('c.gender', 'female')}"""


def r2_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {d.feq('t.tag', 'vip')})
  AND {d.feq('c.gender', 'female')}"""


def r2_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')})
  AND c.id IN (SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'vip')})
  AND {d.feq('c.gender', 'female')}"""


def r2_join(d: D) -> str:
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_tags t ON t.customer_id = c.id AND {d.feq('t.tag', 'vip')}
JOIN customer_channels ch ON ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')}
WHERE {d.feq('c.gender', 'female')}"""


def r3_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'sms')})
  AND NOT EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND {d.feq('t.tag', 'churn-risk')})
  AND EXISTS (SELECT 1 FROM customer_fields f WHERE f.customer_id = c.id AND f.field_key = 'orders'
              AND {d.number_gt('f.field_value', 5)})"""


def r3_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'sms')})
  AND c.id NOT IN (SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'churn-risk')})
  AND c.id IN (SELECT f.customer_id FROM customer_fields f WHERE f.field_key = 'orders'
               AND {d.number_gt('f.field_value', 5)})"""


def r3_sets(d: D) -> str:
    return f"""SELECT COUNT(*) FROM (
  SELECT f.customer_id FROM customer_fields f WHERE f.field_key = 'orders' AND {d.number_gt('f.field_value', 5)}
  INTERSECT SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'sms')}
  EXCEPT SELECT customer_id FROM customer_tags WHERE {d.feq('tag', 'churn-risk')}
) AS x"""


def _r4_inter(d: D) -> str:
    return (f"{d.feq('i.channel', 'whatsapp')} AND i.completed_bot_flow AND {d.feq('i.bot_flow', 'welcome')} "
            f"AND {d.ts_col('i.occurred_at')} >= {d.ts(since(14))}")


def _r4_cart(d: D) -> str:
    return f"{d.feq('k.channel', 'whatsapp')} AND k.item_count > 0 AND NOT k.paid"


def r4_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'whatsapp')})
  AND EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.id AND {_r4_inter(d)})
  AND EXISTS (SELECT 1 FROM carts k WHERE k.customer_id = c.id AND {_r4_cart(d)})"""


def r4_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')})
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {_r4_inter(d)})
  AND c.id IN (SELECT k.customer_id FROM carts k WHERE {_r4_cart(d)})"""


def r4_sets(d: D) -> str:
    return f"""SELECT COUNT(*) FROM (
  SELECT k.customer_id FROM carts k WHERE {_r4_cart(d)}
  INTERSECT SELECT i.customer_id FROM interactions i WHERE {_r4_inter(d)}
  INTERSECT SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'whatsapp')}
) AS x"""


def _r5_bound(d: D) -> str:
    return d.ts(since(60))


def r5_exists(d: D) -> str:
    on = f"i.customer_id = c.id AND {d.feq('i.channel', 'instagram')}"
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'instagram')})
  AND EXISTS (SELECT 1 FROM interactions i WHERE {on})
  AND NOT EXISTS (SELECT 1 FROM interactions i WHERE {on} AND {d.ts_col('i.occurred_at')} >= {_r5_bound(d)})"""


def r5_max(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'instagram')})
  AND (SELECT MAX({d.ts_col('i.occurred_at')}) FROM interactions i
       WHERE i.customer_id = c.id AND {d.feq('i.channel', 'instagram')}) < {_r5_bound(d)}"""


def r5_group(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'instagram')})
  AND c.id IN (SELECT i.customer_id FROM interactions i WHERE {d.feq('i.channel', 'instagram')}
               GROUP BY i.customer_id HAVING MAX({d.ts_col('i.occurred_at')}) < {_r5_bound(d)})"""


def _r6_tags(d: D, col: str) -> str:
    return " OR ".join(d.feq(col, tag) for tag in ("new", "newsletter", "returning"))


def r6_exists(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE EXISTS (SELECT 1 FROM customer_channels ch WHERE ch.customer_id = c.id AND {d.feq('ch.channel', 'telegram')})
  AND EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND ({_r6_tags(d, 't.tag')}))"""


def r6_in(d: D) -> str:
    return f"""SELECT COUNT(*) FROM customers c
WHERE c.id IN (SELECT customer_id FROM customer_channels WHERE {d.feq('channel', 'telegram')})
  AND c.id IN (SELECT customer_id FROM customer_tags WHERE {_r6_tags(d, 'tag')})"""


def r6_join(d: D) -> str:
    return f"""SELECT COUNT(DISTINCT c.id) FROM customers c
JOIN customer_channels ch ON ch.customer_id = c.id AND {d.feq('ch.channel', 'telegram')}
JOIN customer_tags t ON t.customer_id = c.id AND ({_r6_tags(d, 't.tag')})"""


CASES = [
    Case(
        "R1 5 conditions",
        'channel whatsapp and tag = "vip" and gender is female and last interaction within 30 days '
        "and field returningUser = true",
        {"exists": r1_exists, "in": r1_in, "intersect": r1_sets, "join": r1_join},
        'gender is female and tag = "vip" and field returningUser = true and last interaction within 30 days '
        "and channel whatsapp",
    ),
    Case(
        "R2 demo rule",
        'channel whatsapp and tag = "vip" and gender is female',
        {"exists": r2_exists, "in": r2_in, "join": r2_join},
        'gender is female and tag = "vip" and channel whatsapp',
    ),
    Case(
        "R3 not + number",
        'channel sms and not tag = "churn-risk" and field orders > 5',
        {"exists": r3_exists, "in": r3_in, "except": r3_sets},
        'field orders > 5 and not tag = "churn-risk" and channel sms',
    ),
    Case(
        "R4 flow + cart",
        'channel whatsapp and completed bot flow "Welcome" within 14 days and has unpaid cart',
        {"exists": r4_exists, "in": r4_in, "intersect": r4_sets},
        'has unpaid cart and completed bot flow "Welcome" within 14 days and channel whatsapp',
    ),
    Case(
        "R5 inactive",
        "channel instagram and last interaction more than 60 days ago",
        {"exists": r5_exists, "max": r5_max, "group": r5_group},
        "last interaction more than 60 days ago and channel instagram",
    ),
    Case(
        # against segdsl's fixed SQLite order (tags before the channel): here the channel
        # (telegram, 8 % of customers) is more selective than the tags (about 25 %)
        "R6 rare channel",
        'channel telegram and tag in ("new", "newsletter", "returning")',
        {"exists": r6_exists, "in": r6_in, "join": r6_join},
        'tag in ("new", "newsletter", "returning") and channel telegram',
    ),
]



# ----------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    best: float  # seconds
    median: float  # seconds
    count: int
    cpu_best: float  # seconds of CPU time of this process (SQLite and DuckDB run in it)
    cpu_median: float


def timed(runners: dict[str, Callable[[], int]], runs: int, budget: float, fill: float = 0.0) -> dict[str, Timing]:
    """Best and median wall time, and the count, per runner.

    The runners take turns (round robin, a different one first each
    round), so a noisy neighbour on the machine slows them all alike; fewer
    rounds when they eat the time budget (seconds). With ``fill`` (seconds),
    rounds go on past ``runs`` until they have taken that long in all, up to
    five times ``runs``: queries of a few milliseconds get more than five tries.
    """
    times: dict[str, list[float]] = {key: [] for key in runners}
    cpu: dict[str, list[float]] = {key: [] for key in runners}
    counts: dict[str, int] = {}
    keys = list(runners)
    spent = 0.0
    for round_ in range(runs * 5 if fill else runs):
        if round_ >= runs and spent >= fill:
            break
        for key in keys[round_ % len(keys):] + keys[: round_ % len(keys)]:
            start, start_cpu = time.perf_counter(), time.process_time()
            counts[key] = runners[key]()
            took = time.perf_counter() - start
            cpu[key].append(time.process_time() - start_cpu)
            spent += took
            times[key].append(took)
        if round_ >= 2 and spent > budget:
            break
    return {key: Timing(min(times[key]), statistics.median(times[key]), counts[key], min(cpu[key]),
                        statistics.median(cpu[key])) for key in keys}


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
