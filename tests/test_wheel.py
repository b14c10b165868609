"""The built wheel works on its own: grammar and built-in plugins inside, dependencies declared.

Builds the wheel from a copy of the source tree (so the checkout gets no
``build/`` folder), installs it into a fresh venv (dependencies from the
package index, through pip's cache), and runs segdsl from another folder so
nothing can come from the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from segdsl.store.database import HEAD

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = sorted(p.name for p in (ROOT / "plugins").glob("*.py"))
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
    ".mypy_cache", ".ruff_cache", "tests", "bench", "*.db", "*.duckdb",
)  # fmt: skip


def _run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(args)}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    out = tmp / "dist"
    if importlib.util.find_spec("build") is not None:
        _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(src)], cwd=tmp)
    else:  # pragma: no cover - the test extra installs `build`
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(src)], cwd=tmp)
    wheels = list(out.glob("segdsl-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "segdsl/grammar/segdsl.lark" in names
    for plugin in PLUGINS:
        assert f"segdsl/builtins/{plugin}" in names, plugin
    assert {"segdsl/__init__.py", "segdsl/lang/syntax.py", "segdsl/py.typed"} <= names
    assert {"segdsl/store/migrations/env.py", "segdsl/store/migrations/versions/0001_initial.py",
            "segdsl/store/migrations/versions/0002_broadcast_deliverer.py",
            "segdsl/store/migrations/script.py.mako"} <= names
    assert not any(n.startswith(("tests/", "plugins/", "grammar/", "examples/")) for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    for dependency in ("lark", "pluggy", "sqlglot", "click", "SQLAlchemy", "alembic", "httpx", "tenacity"):
        assert f"Requires-Dist: {dependency}" in text


@pytest.mark.slow
def test_wheel_installs_and_runs(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # no pip inside the venv (ensurepip is slow): this pip installs into it
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import segdsl, pathlib; "
        "print(segdsl.format(segdsl.parse('channel sms and tag = \"x\"'))); "
        "print(pathlib.Path(segdsl.__file__).resolve())"
    )
    out = _run([str(python), "-c", script], cwd=elsewhere).stdout.splitlines()
    assert out[0] == 'channel sms and tag is "x"'
    assert Path(out[1]).is_relative_to(venv.resolve()), out[1]  # the installed copy, not the checkout
    # an invalid rule gives the rendered error from the installed package
    bad = (
        "import segdsl\ntry:\n    segdsl.parse('channel whatsap')\nexcept segdsl.RuleError as e:\n    print(e.render())"
    )
    rendered = _run([str(python), "-c", bad], cwd=elsewhere).stdout
    assert rendered.startswith("1:9: unknown channel `whatsap`") and "did you mean `whatsapp`?" in rendered
    # the console script is installed
    proc = _run([str(bindir / "segdsl"), "compile", "channel sms"], cwd=elsewhere)
    assert "customer_id" in proc.stdout
    # the store's migrations ship in the wheel and run from the installed package
    store = elsewhere / "store.db"
    proc = _run([str(bindir / "segdsl"), "store", "upgrade", "--store", f"sqlite:///{store}"], cwd=elsewhere)
    assert proc.stdout.startswith(f"store at revision {HEAD}")
    proc = _run([str(bindir / "segdsl"), "segments", "create", "channel sms", "--store", f"sqlite:///{store}"],
                cwd=elsewhere)
    assert proc.stdout == "Segment #1\n"
