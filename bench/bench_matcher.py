"""segdsl.matcher vs a hand-written Python predicate for the same rule.

    python bench/bench_matcher.py [--n 20000] [--repeat 7]

Both run over the same demo records (segdsl.data.demo.generate); the script
checks that they pick exactly the same customers, then prints records/s for
each and the ratio (target: segdsl >= 0.8x the hand-written predicate). The two take
turns, timed in CPU time of the process; the best round counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import segdsl  # noqa: E402
from segdsl.data.demo import generate  # noqa: E402

NOW = "2026-11-28T12:00:00Z"
RULE = (
    'channel whatsapp and tag = "vip" and gender is female '
    "and last interaction within 30 days and field returningUser = true"
)
# a second, wider rule: more records get past the first conditions
RULE_WIDE = "channel whatsapp and last interaction within 30 days and field returningUser = true"


#: the brief's target: the matcher runs at least 0.8x as fast as a hand-written predicate
TARGET = 0.8

def _field_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def hand_written(channel: str, tag: str | None, gender: str | None, days: int, key: str, value: str,
                 now: dt.datetime) -> Callable[[Mapping[str, Any]], bool]:
    """The rule's meaning, written out by hand (same semantics as the language contract)."""
    since = now.replace(tzinfo=dt.UTC) - dt.timedelta(days=days)

    def match(rec: Mapping[str, Any]) -> bool:
        if not any(str(c).lower() == channel for c in rec.get("channels") or ()):
            return False
        if tag is not None and not any(str(t).lower() == tag for t in rec.get("tags") or ()):
            return False
        if gender is not None:
            g = rec.get("gender")
            if g is None or g.lower() != gender:
                return False
        recent = False
        for row in rec.get("interactions") or ():
            if str(row.get("channel", "")).lower() != channel:
                continue
            at = dt.datetime.fromisoformat(row["occurred_at"])
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            if at.replace(microsecond=0) >= since:
                recent = True
                break
        if not recent:
            return False
        stored = _field_text((rec.get("fields") or {}).get(key))
        return stored is not None and stored.strip(" ").lower() == value

    return match


def rates(matchers: list[Callable[[Mapping[str, Any]], bool]], records: list[dict[str, Any]],
          repeat: int) -> tuple[list[float], int]:
    """Records/s of each matcher (best round) and the hits of the first.

    The matchers take turns, round after round, and are timed in CPU time of the
    process (steadier than wall time on a shared machine), like bench_compile.
    """
    best = [float("inf")] * len(matchers)
    hits = 0
    for _ in range(repeat):
        for i, match in enumerate(matchers):
            start = time.process_time()
            n = sum(1 for r in records if match(r))
            best[i] = min(best[i], time.process_time() - start)
            if i == 0:
                hits = n
    return [len(records) / b for b in best], hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    records = list(generate(args.n, seed=0, now=NOW))
    now = dt.datetime(2026, 11, 28, 12, 0, 0)
    cases = [
        ("5 conditions", RULE, hand_written("whatsapp", "vip", "female", 30, "returningUser", "true", now)),
        ("3 conditions", RULE_WIDE, hand_written("whatsapp", None, None, 30, "returningUser", "true", now)),
    ]
    print(f"matcher benchmark: {len(records):,} demo records, best of {args.repeat}")
    worst = float("inf")
    for label, rule, hand in cases:
        match = segdsl.matcher(rule, now=NOW)
        ours = [r["id"] for r in records if match(r)]
        theirs = [r["id"] for r in records if hand(r)]
        if ours != theirs:
            sys.exit(f"MISMATCH for {rule!r}: segdsl {len(ours)} vs hand-written {len(theirs)} matches")
        (seg_rate, hand_rate), hits = rates([match, hand], records, args.repeat)
        ratio = seg_rate / hand_rate
        worst = min(worst, ratio)
        print(f"  [{label}] {hits:,} matches (same for both)  rule: {rule}")
        print(f"    segdsl.matcher   {seg_rate:12,.0f} records/s")
        print(f"    hand-written     {hand_rate:12,.0f} records/s")
        verdict = "OK" if ratio >= TARGET else "BELOW TARGET"
        print(f"    ratio segdsl/hand-written = {ratio:.2f}x (target >= {TARGET:.2f}x) {verdict}")
    print(f"RATIO matcher/hand-written (worst case) = {worst:.2f}x")


if __name__ == "__main__":
    main()
