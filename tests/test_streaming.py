"""Export and audience reads in constant memory on every engine (issue 13).

``export_records`` walks keyset ranges of customer ids (a few thousand customers
per query) instead of six whole sorted tables; ``Engine.stream`` reads through a
server-side cursor (PostgreSQL named cursor, MySQL/MariaDB SSCursor). Peak
memory at 1M and 10M customers is measured in bench/ (bench/RESULTS.md); here
the answers must not change whatever the range size.
"""

from __future__ import annotations

import pytest

import segdsl
from segdsl.data import records
from segdsl.data.records import IdRanges, export_records
from segdsl.families.settings import default_settings
from tests.engines import BACKENDS, CORPUS, NOW, backend_params, corpus_rules


@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_ranges_cover_every_customer_once(engine_pool, backend: str) -> None:
    engine = engine_pool.get(backend, CORPUS)
    ranges = list(IdRanges(engine, default_settings(), chunk=7))
    ids = CORPUS.ids()
    assert ranges[0][0] is None and ranges[-1][1] == ids[-1]
    covered = [i for low, high in ranges for i in ids if (low is None or i > low) and i <= high]
    assert covered == ids
    assert all(sum(1 for i in ids if (low is None or i > low) and i <= high) <= 7 for low, high in ranges)
    assert len(ranges) == -(-len(ids) // 7)


@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_export_is_the_same_in_small_ranges(engine_pool, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranges of 7 customers (many range edges) give the records one range of everything gives."""
    engine = engine_pool.get(backend, CORPUS)
    monkeypatch.setattr(records, "EXPORT_CHUNK", 1_000_000)
    whole = list(export_records(engine))
    monkeypatch.setattr(records, "EXPORT_CHUNK", 7)
    assert list(export_records(engine)) == whole
    assert [r["id"] for r in whole] == CORPUS.ids()
    reference = engine_pool.get("sqlite", CORPUS)
    assert list(export_records(reference)) == whole


@pytest.mark.parametrize("backend", backend_params(BACKENDS))
def test_stream_audience_equals_audience(engine_pool, backend: str) -> None:
    engine = engine_pool.get(backend, CORPUS)
    for _, rule in corpus_rules()[:20]:
        streamed = list(segdsl.stream_audience(rule, db=engine, now=NOW, batch=3))
        assert sorted(streamed) == segdsl.audience(rule, db=engine, now=NOW), rule
    # the connection is usable after a stream (the named cursor's transaction ended)
    assert engine.query("SELECT 1") == [(1,)]
