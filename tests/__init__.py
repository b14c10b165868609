"""segdsl's test suite (a package, so that ``from tests.strategies import rules`` works)."""
