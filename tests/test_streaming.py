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


def _cells_of_every_kind() -> tuple[list[tuple], dict[str, list[tuple]]]:
    """Customer and interaction rows with the cells drivers give: native types, SQLite's
    ints for booleans and text for times, Decimal, tz-aware and fractional datetimes, NULLs."""
    import datetime as dt
    from decimal import Decimal

    utc2 = dt.timezone(dt.timedelta(hours=2))
    customers = [
        (1, "Asha", None, None, None, dt.datetime(2026, 1, 2, 3, 4, 5)),
        (2, "Bo", "b@x", "1", "female", dt.datetime(999, 1, 2, 3, 4, 5, 600)),
        (3, None, None, None, None, None),
        (4, "Ção", None, None, None, dt.datetime(2026, 1, 2, 5, 4, 5, tzinfo=utc2)),
    ]
    sqlite_like = [
        (Decimal(7), "sms", "2026-11-20 09:15:00", 1, 0, None, "true", "x", 1),
        (8, "sms", "2026-11-20T09:15:00+05:30", True, False, False, True, None, 2),
        (9, "whatsapp", dt.datetime(2026, 11, 20, 9, 15), True, False, False, True, None, 2),
        (10, "sms", dt.datetime(2026, 11, 20, 9, 15, 0, 5), False, False, False, False, None, 4),
    ]
    return customers, {"interactions": sqlite_like, "channels": [("sms", 1), ("sms", 2), ("email", 4)],
                       "fields": [("k", "1", 2), ("k", "2", 2), ("n", None, 4)]}


@pytest.mark.parametrize("cells", ["mixed", "duckdb", "sqlite"])
def test_build_range_gives_what_build_gives(cells: str) -> None:
    """The column-at-a-time conversion of export takes its C loops only where every cell of a
    column allows; mixed columns (any engine's cells) and uniform ones (one engine's) both agree."""
    customers, tables = _cells_of_every_kind()
    if cells == "duckdb":  # native types only
        customers = [customers[0], (5, "Eve", "e@x", "2", "male", customers[0][-1].replace(year=50))]
        tables = {"interactions": [(*tables["interactions"][2][:-1], 1), (*tables["interactions"][2][:-1], 5)],
                  "channels": [("sms", 1), ("email", 5)]}
    elif cells == "sqlite":  # 0/1 booleans, times as text
        customers = [(1, "Asha", None, None, None, "2026-01-02 03:04:05"), (5, "E", "", "", "", "0050-01-02 03:04:05")]
        tables = {"interactions": [(7, "sms", "2026-11-20 09:15:00", 1, 0, 0, 1, "x", 1),
                                   (8, "sms", "2026-11-20 09:16:00", 0, 1, 1, 0, None, 5)]}
    roles = {name: m.role for name, m in default_settings().schema.items()}
    builder = records.RecordBuilder(roles)
    got = builder.build_range(customers, lambda role: tables.get(role, []))
    want = [
        builder.build(row, {role: [r[:-1] for r in rows if r[-1] == row[0]] for role, rows in tables.items()})
        for row in customers
    ]
    assert got == want
    assert [type(v) for r in got for i in r["interactions"] for v in i.values()] == \
        [type(v) for r in want for i in r["interactions"] for v in i.values()]
    assert got[0]["tags"] == [] and got[0]["fields"] == {} and got[0]["tags"] is not got[1]["tags"]
    assert [r["id"] for r in got] == [r[0] for r in customers] and all(r["interactions"] for r in got[:1])


def test_export_caps_the_duckdb_cache(tmp_path) -> None:
    """A whole-table read keeps DuckDB to SCAN_MEMORY_LIMIT unless the URL says otherwise."""
    pytest.importorskip("duckdb")
    from segdsl.data.engines import cap_duckdb_cache, connect

    url = f"duckdb:///{tmp_path / 'c.duckdb'}"
    with connect(url, create=True) as engine:
        cap_duckdb_cache(engine)
        assert engine.query("SELECT current_setting('memory_limit')")[0][0] == "61.0 MiB"
    with connect(url + "?memory_limit=200MB") as engine:
        cap_duckdb_cache(engine)
        assert engine.query("SELECT current_setting('memory_limit')")[0][0] == "190.7 MiB"
