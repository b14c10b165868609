"""Python's cyclic garbage collector paused while a rule is parsed or compiled.

Parsing and compiling build many linked objects (Lark trees, sqlglot expressions that point to
their parents) which stay alive until the stage ends. The collector's passes during a stage free
next to nothing, yet each one walks a heap that grows with the rule: for the 1,000-condition rules
of ``bench/bench_limits.py`` they were 40 % of the compile (bench/README.md, "Compiling without
sqlglot's compiled modules"). Reference counting still frees what is not cyclic; what is cyclic
waits for the first collection after the outermost pause ends.

Nested and concurrent pauses (threads) count: the collector runs again when the last one ends,
and only if it was running when the first began (``gc.isenabled()``), so a program that turned
it off keeps it off.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (see the module's docstring)."""
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
