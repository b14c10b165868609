"""The runnable examples in the docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
import segdsl.builtins

import segdsl

MODULES = sorted(
    {f"segdsl.{m.name}" for m in pkgutil.iter_modules(segdsl.__path__) if m.name not in ("grammar", "builtins")}
    | {f"segdsl.builtins.{m.name}" for m in pkgutil.iter_modules(segdsl.builtins.__path__)}
    | {"segdsl"}
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
