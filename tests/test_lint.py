"""ruff and mypy stay clean on the package (part of the test run, so CI enforces them)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    if shutil.which(name) is None and not (Path(sys.executable).parent / name).exists():
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [str(Path(sys.executable).parent / name) if (Path(sys.executable).parent / name).exists() else name]


def test_ruff_clean() -> None:
    proc = subprocess.run([*_tool("ruff"), "check", "segdsl", "plugins"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_mypy_clean() -> None:
    proc = subprocess.run([*_tool("mypy"), "segdsl"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
