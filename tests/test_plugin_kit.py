"""The plugin kit end to end: a fresh venv with segdsl and examples/segdsl-orders, running the example's own tests.

The example is a separate package (own pyproject, `segdsl` entry point, own
tests); its tests run ``segdsl.testing.check_family`` on SQLite, DuckDB,
PostgreSQL and MariaDB (required under CI=true, which passes through) and
the command line (demo, export, count, a schema mapping). Both packages are
installed from copies of the source tree (so the checkout gets no build
files); dependencies come from the package index through pip's cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = Path("examples") / "segdsl-orders"
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
    ".mypy_cache", ".ruff_cache", "bench", "*.db", "*.duckdb",
)  # fmt: skip


def _run(args: list[str], cwd: Path, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(args)}\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.slow
@pytest.mark.engine
def test_example_plugin_passes_its_tests_and_the_kit_in_a_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # one resolver run: the example's `segdsl` requirement is met by the local copy, never the index
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(src), f"{src / EXAMPLE}[test]"],
        cwd=tmp_path,
    )
    plugins = _run([str(python), "-m", "segdsl.cli", "plugins"], cwd=tmp_path).stdout
    assert "segdsl-orders" in plugins and "orders count" in plugins
    proc = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests"], cwd=src / EXAMPLE)
    tail = proc.stdout.strip().splitlines()[-1]
    assert " passed" in tail and "failed" not in tail and "skipped" not in tail, proc.stdout[-3000:]
