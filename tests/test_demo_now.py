"""`segdsl demo --seed S --now T` makes the same data every time (issue 13: two databases built
minutes apart disagreed on time rules)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from segdsl.data.engines import connect
from segdsl.data.records import export_records


def _demo(path: Path, now: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "segdsl.cli", "demo", "-q", "-n", "300", "--seed", "5", "--now", now,
         "--db", f"sqlite:///{path}"], capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    with connect(f"sqlite:///{path}") as engine:
        return list(export_records(engine))


def test_the_same_seed_and_now_give_the_same_data(tmp_path: Path) -> None:
    first = _demo(tmp_path / "a.db", "2026-11-28T12:00:00Z")
    time.sleep(1.1)  # the wall clock moves on; the data must not
    assert _demo(tmp_path / "b.db", "2026-11-28T12:00:00Z") == first
    later = _demo(tmp_path / "c.db", "2026-11-29T12:00:00Z")
    assert later != first and [r["id"] for r in later] == [r["id"] for r in first]


def test_a_bad_now_is_refused_before_the_database_opens(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "segdsl.cli", "demo", "-q", "-n", "5", "--now", "garbage",
         "--db", f"sqlite:///{tmp_path / 'x.db'}"], capture_output=True, text=True, timeout=300,
    )
    assert done.returncode != 0 and "garbage" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.db").exists()
