"""Coverage-guided fuzzing of segdsl with atheris, for long local runs.

    pip install atheris
    python fuzz/fuzz_rules.py fuzz/corpus -max_total_time=3600      # an hour; findings in ./crash-*
    python fuzz/fuzz_rules.py crash-<hash>                           # replay one finding

Each input is rule bytes (decoded as the CLI decodes stdin: UTF-8 with
surrogateescape, a BOM skipped). The property is the one tests/test_fuzz_pipeline.py
checks with a fixed budget in CI: ``segdsl.parse`` raises nothing but
``RuleError``; a rule that parses compiles in every dialect (inline and
params), formats to text that parses back to the same rule, evaluates on
every record of examples/customer.example.json, and counts on an in-memory
SQLite database; each input takes under 2 seconds. Any other exception, or
a slow input, is a finding (atheris writes the input to ``crash-*``).

``check(data)`` is importable without atheris: tests/test_fuzz_pipeline.py
runs it over the seed corpus so this harness keeps working.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

atheris: Any = None
if __name__ == "__main__":
    import atheris  # type: ignore[no-redef]

# coverage for segdsl's own code and its plugins (instrumenting everything takes minutes)
with atheris.instrument_imports(include=["segdsl"]) if atheris else contextlib.nullcontext():
    import segdsl
    from segdsl.cli import decode_rule
    from segdsl.data.engines import connect
    from segdsl.data.records import create_schema, load_records
    from segdsl.lang.errors import RuleError
    from segdsl.sql.dialects import DIALECTS

NOW = "2026-11-28T12:00:00Z"
LIMIT_SECONDS = 2.0
RECORD = json.loads((ROOT / "examples" / "customer.example.json").read_text(encoding="utf-8"))
_DB = None


def _database():  # type: ignore[no-untyped-def]
    global _DB
    if _DB is None:
        _DB = connect("sqlite:///:memory:")
        create_schema(_DB)
        load_records(_DB, [RECORD])
    return _DB


def check(data: bytes) -> None:
    """The property for one input; raises AssertionError (or the escaping exception) on a finding."""
    text = decode_rule(data)
    start = time.perf_counter()
    try:
        rule = segdsl.parse(text)
    except RuleError as err:
        err.render()
        rule = None
    if rule is not None:
        canonical = segdsl.format(rule)
        assert segdsl.parse(canonical) == rule, (text, canonical)
        for dialect in DIALECTS:
            segdsl.compile(rule, dialect=dialect, now=NOW)
            segdsl.compile(rule, dialect=dialect, now=NOW, params=True, count=True)
        segdsl.evaluate(rule, RECORD, now=NOW)
        assert segdsl.count(rule, db=_database(), now=NOW, timeout=LIMIT_SECONDS * 5) in (0, 1)
    elapsed = time.perf_counter() - start
    assert elapsed < LIMIT_SECONDS, f"{elapsed:.2f}s for {text[:80]!r}"


def seeds() -> list[bytes]:
    """The seed corpus: the example rules and the error corpus."""
    paths = sorted((ROOT / "examples" / "rules").glob("*.seg")) + sorted((ROOT / "tests" / "errors").glob("*.seg"))
    return [p.read_bytes() for p in paths]


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else None
    if corpus is not None and not corpus.exists():  # first run: write the seeds
        corpus.mkdir(parents=True)
        for i, seed in enumerate(seeds()):
            (corpus / f"seed-{i:03d}.seg").write_bytes(seed)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
