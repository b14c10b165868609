"""Demo data made inside DuckDB with SQL, at any size: the shape and distributions of ``segdsl demo``.

    python bench/gen_sql.py 1000000 bench/.data/gen.duckdb [--seed 1] [--now 2026-11-28T12:00:00Z]
        [--parquet WAREHOUSE] [--postgres postgresql://postgres@127.0.0.1:5432/scale]
    python bench/gen_sql.py 100000 --compare

Every table the built-in families map (customers, channels, tags, fields, interactions,
carts, named by the default schema mapping) is filled by one ``INSERT … SELECT`` over
``range(1, n)``; no row passes through Python. The random draws are DuckDB's ``hash()`` of
(customer id, seed, draw number[, item number]) scaled to [0, 1), so the data is a pure
function of (n, seed, now) for one DuckDB version (:data:`VERSION` and the DuckDB version
are recorded beside the data, in ``segdsl_bench_meta``). It is not the same customers as
``segdsl demo`` (another random stream), but the same value lists, spellings, junk and
probabilities, taken from the built-in plugins (``segdsl.builtins``): ``--compare`` counts
every example rule on both and prints the differences in standard errors.

From the DuckDB file, ``--parquet`` writes the Spark warehouse (``bench/to_parquet.py``)
and ``--postgres`` loads a PostgreSQL database by ``COPY … FROM STDIN`` (DuckDB writes CSV,
psycopg streams it), secondary indexes after the load, then ``VACUUM ANALYZE``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import duckdb
from segdsl.builtins import channel as channel_plugin
from segdsl.builtins import field as field_plugin
from segdsl.builtins import interactions as interactions_plugin
from segdsl.builtins import personal, unpaid_cart
from segdsl.builtins import tag as tag_plugin

from segdsl.data.demogen import CUSTOMER_DAYS, DAY, epoch
from segdsl.data.engines import connect
from segdsl.data.records import create_schema, drop_indexes
from segdsl.families.settings import Settings, default_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench.to_parquet, when run as a script

#: bumped whenever the same (n, seed, now) would give other rows
VERSION = 1
#: the table, in every database this module fills, that says what it holds
META = "segdsl_bench_meta"


def marker(n: int, seed: int, now: str) -> str:
    """What a database filled by this module holds (compared before a reuse)."""
    return f"gen_sql v{VERSION} n={n} seed={seed} now={now} duckdb={duckdb.__version__}"


# ----------------------------------------------------------------------------- SQL text helpers


def lit(value: object) -> str:
    """A SQL literal: text quoted (``'`` doubled), numbers as they are, None as NULL."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def lst(values: object) -> str:
    """A DuckDB list literal (1-based when indexed)."""
    return "[" + ", ".join(lit(v) for v in values) + "]"  # type: ignore[attr-defined]


def pick(values: tuple[object, ...], draw: str) -> str:
    """One of ``values``, uniformly, by the draw ``draw`` in [0, 1)."""
    return f"{lst(values)}[1 + CAST(floor({draw} * {len(values)}) AS INTEGER)]"


def ts(seconds: str) -> str:
    """A TIMESTAMP (UTC) from epoch seconds."""
    return f"make_timestamp(CAST({seconds} AS BIGINT) * 1000000)"


def spelled(word: str, draw: str) -> str:
    """``word`` 7 times in 10, Title 2 in 10, UPPER 1 in 10 (the plugins' spelling tables)."""
    return (f"CASE WHEN {draw} < 0.7 THEN {lit(word)} WHEN {draw} < 0.9 THEN {lit(word.title())} "
            f"ELSE {lit(word.upper())} END")


# ----------------------------------------------------------------------------- the rows of each role
# u(id, k): the k-th draw of customer id; v(id, j, k): the k-th draw of the customer's j-th item.


def _customers_sql(now_s: int) -> str:
    p = personal
    first, last, whole = p.FIRST, p.LAST, p.WHOLE_NAMES
    full = f"({lst(first)}[fi] || ' ' || {lst(last)}[li])"
    gender = (
        f"CASE WHEN rg < 0.45 THEN {spelled('female', 'u(id, 31)')} WHEN rg < 0.87 THEN {spelled('male', 'u(id, 31)')} "
        f"WHEN rg < 0.90 THEN {spelled('other', 'u(id, 31)')} WHEN rg < 0.97 THEN NULL WHEN rg < 0.99 THEN '' "
        "ELSE ' ' END"
    )
    return f"""
WITH p AS (
  SELECT id, created_s, u(id, 20) AS rn, 1 + CAST(floor(u(id, 21) * {len(first)}) AS INTEGER) AS fi,
    1 + CAST(floor(u(id, 22) * {len(last)}) AS INTEGER) AS li,
    1 + CAST(floor(u(id, 23) * {len(whole)}) AS INTEGER) AS wi,
    u(id, 24) AS re, u(id, 25) AS rp, u(id, 26) AS rg,
    CAST(CAST(6000000000 + floor(u(id, 27) * 3999999999) AS BIGINT) AS VARCHAR) AS d,
    {pick(p.COUNTRY_CODES, 'u(id, 28)')} AS cc
  FROM g
), q AS (
  SELECT *,
    CASE WHEN rn < 0.04 THEN NULL WHEN rn < 0.06 THEN '' WHEN rn < 0.07 THEN '  ' WHEN rn < 0.09 THEN {lst(whole)}[wi]
      WHEN rn > 0.975 THEN upper({full}) WHEN rn > 0.95 THEN lower({full}) WHEN rn > 0.94 THEN ' ' || {full} || ' '
      ELSE {full} END AS name,
    CASE WHEN rn < 0.04 THEN {lst(p.FIRST_ASCII)}[fi] || {lst(p.LAST_ASCII)}[li]
      WHEN rn < 0.06 THEN {lst(p.FIRST_ASCII)}[fi]
      WHEN rn < 0.07 THEN NULL WHEN rn < 0.09 THEN {lst(p.WHOLE_ASCII)}[wi]
      ELSE {lst(p.FIRST_ASCII)}[fi] || CASE WHEN rn < 0.6 THEN '.' ELSE '' END || {lst(p.LAST_ASCII)}[li] END AS local
  FROM p
), r AS (
  SELECT *,
    CASE WHEN re < 0.08 OR local IS NULL THEN NULL WHEN re < 0.09 THEN ''
      ELSE local || CASE WHEN re < 0.5 THEN CAST(CAST(floor(u(id, 29) * 100) AS INTEGER) AS VARCHAR) ELSE '' END
        || '@' || {pick(p.DOMAINS, 'u(id, 30)')} END AS e
  FROM q
)
SELECT id, name,
  CASE WHEN re > 0.96 AND e <> '' THEN upper(e[1:1]) || lower(e[2:]) ELSE e END AS email,
  CASE WHEN rp < 0.07 THEN NULL WHEN rp < 0.08 THEN ''
    WHEN rp < 0.30 THEN '+' || cc || ' ' || d[1:5] || '-' || d[6:]
    WHEN rp < 0.50 THEN cc || d
    WHEN rp < 0.62 THEN '(' || d[1:3] || ') ' || d[4:6] || '-' || d[7:]
    WHEN rp < 0.70 THEN d[1:3] || '.' || d[4:6] || '.' || d[7:]
    WHEN rp < 0.85 THEN '+' || cc || ' ' || d[1:2] || ' ' || d[3:6] || ' ' || d[7:]
    ELSE '+' || cc || d END AS phone,
  {gender} AS gender,
  {ts('created_s')} AS created_at
FROM r"""


def _channels_sql(now_s: int) -> str:
    return "SELECT id AS customer_id, unnest(chans) AS channel FROM g"


def _tags_sql(now_s: int) -> str:
    t = tag_plugin
    lut = [i + 1 for i, (_tag, weight) in enumerate(t.TAGS) for _ in range(weight)]  # weighted pick, 1-based
    names = t.TAG_NAMES
    spelling = (f"CASE WHEN s < 0.7 THEN {lst(names)}[ti] WHEN s < 0.9 THEN {lst([x.title() for x in names])}[ti] "
                f"ELSE {lst([x.upper() for x in names])}[ti] END")
    return f"""
WITH a AS (
  SELECT id, CASE WHEN r < 0.35 THEN 0 WHEN r < 0.70 THEN 1 WHEN r < 0.88 THEN 2 WHEN r < 0.97 THEN 3 ELSE 4 END AS k
  FROM (SELECT id, u(id, 40) AS r FROM g)
), b AS (  -- up to 2k weighted draws, the first k distinct ones kept (as the plugin does)
  SELECT id, k, list_transform(range(2 * k), lambda j: {lst(lut)}[1 + CAST(floor(v(id, j, 1) * {len(lut)}) AS INTEGER)])
    AS draws
  FROM a WHERE k > 0
), c AS (
  SELECT id, list_filter(draws, lambda x, i: list_position(draws, x) = i)[1:k] AS picked FROM b
), d AS (
  SELECT id, unnest(picked) AS ti, unnest(range(len(picked))) AS j FROM c
)
SELECT id AS customer_id, {spelling} AS tag FROM (SELECT *, v(id, j, 2) AS s FROM d)"""


def _fields_sql(now_s: int) -> str:
    f = field_plugin
    return f"""
SELECT id AS customer_id, 'returningUser' AS "key",
  CASE WHEN r < 0.04 THEN CASE WHEN y THEN ' true ' ELSE 'FALSE' END
    WHEN r < 0.08 THEN CASE WHEN y THEN 'True' ELSE 'False' END
    ELSE CASE WHEN y THEN 'true' ELSE 'false' END END AS "value"
FROM (SELECT id, u(id, 50) AS r, u(id, 51) < 0.55 AS y FROM g) WHERE r < 0.75
UNION ALL
SELECT id, 'orders',
  CASE WHEN r < 0.04 THEN ' ' || o || ' ' WHEN r < 0.07 THEN {pick(f.JUNK_ORDERS, 'u(id, 54)')} ELSE o END
FROM (SELECT id, u(id, 52) AS r, CAST(CAST(floor(u(id, 53) * u(id, 55) * 30) AS INTEGER) AS VARCHAR) AS o FROM g)
WHERE r < 0.70
UNION ALL SELECT id, 'plan', {pick(f.PLANS, 'u(id, 57)')} FROM g WHERE u(id, 56) < 0.50
UNION ALL SELECT id, 'city', {pick(f.CITIES, 'u(id, 59)')} FROM g WHERE u(id, 58) < 0.60
UNION ALL SELECT id, 'lifetimeValue', printf('%.2f', u(id, 61) * u(id, 62) * 2500) FROM g WHERE u(id, 60) < 0.25
UNION ALL SELECT id, 'language', {pick(f.LANGUAGES, 'u(id, 64)')} FROM g WHERE u(id, 63) < 0.30
UNION ALL SELECT id, 'signup source', {pick(f.SOURCES, 'u(id, 66)')} FROM g WHERE u(id, 65) < 0.20"""


def _on_channel(draw_first: str, p_first: float, draw_other: str) -> str:
    """The first of the customer's channels with probability ``p_first`` (or when it has one), else another."""
    return (f"CASE WHEN len(chans) = 1 OR {draw_first} < {p_first} THEN chans[1] "
            f"ELSE chans[2 + CAST(floor({draw_other} * (len(chans) - 1)) AS INTEGER)] END")


def _interactions_sql(now_s: int) -> str:
    i = interactions_plugin
    history = i.HISTORY_DAYS * i.DAY
    return f"""
WITH a AS (
  SELECT id, created_s, chans,
    CAST(CASE WHEN r < 0.15 THEN 0 WHEN r < 0.50 THEN 1 + floor(u(id, 71) * 2)
      WHEN r < 0.85 THEN 3 + floor(u(id, 72) * 4)
      ELSE 7 + floor(u(id, 73) * 9) END AS INTEGER) AS k
  FROM (SELECT *, u(id, 70) AS r FROM g)
), b AS (  -- the newest most likely; oldest first, numbered in that order
  SELECT id, chans, list_sort(list_transform(range(k), lambda j:
    {now_s} - CAST(floor(least({now_s} - created_s, {history}) * pow(v(id, j, 11), 1.6)) AS BIGINT))) AS ats
  FROM a WHERE k > 0
), c AS (
  SELECT id AS cid, chans, unnest(ats) AS at_s, unnest(range(len(ats))) AS j FROM b
), d AS (
  SELECT *, v(cid, j, 19) < 0.30 AS bot FROM c
)
SELECT cid * 100 + j AS id, cid AS customer_id, {_on_channel('v(cid, j, 12)', 0.55, 'v(cid, j, 13)')} AS channel,
  {ts('at_s')} AS occurred_at, v(cid, j, 14) < 0.18 AS talked_with_agent,
  v(cid, j, 15) < 0.12 AS completed_product_flow,
  v(cid, j, 16) < 0.06 AS completed_collection_flow, bot AS completed_bot_flow,
  CASE WHEN bot OR v(cid, j, 17) < 0.12 THEN {pick(i.FLOWS, 'v(cid, j, 18)')} END AS bot_flow
FROM d"""


def _carts_sql(now_s: int) -> str:
    c = unpaid_cart
    return f"""
WITH a AS (
  SELECT id AS cid, chans, CASE WHEN r < 0.95 THEN 1 ELSE 2 END AS k
  FROM (SELECT *, u(id, 80) AS r FROM g) WHERE r >= 0.72
), b AS (
  SELECT cid, chans, unnest(range(k)) AS j FROM a
)
SELECT cid * 10 + j AS id, cid AS customer_id, {_on_channel('v(cid, j, 21)', 0.6, 'v(cid, j, 22)')} AS channel,
  CAST(floor(v(cid, j, 23) * 7) AS INTEGER) AS item_count, v(cid, j, 24) < 0.55 AS paid,
  {ts(f"{now_s} - floor(v(cid, j, 25) * {c.CART_DAYS * c.DAY})")} AS updated_at
FROM b"""


#: the SELECT of every role the built-in families map, its columns named after the role's columns
ROLES: dict[str, Callable[[int], str]] = {
    "customers": _customers_sql,
    "channels": _channels_sql,
    "tags": _tags_sql,
    "fields": _fields_sql,
    "interactions": _interactions_sql,
    "carts": _carts_sql,
}


def _base_sql(n: int, now_s: int) -> str:
    """Temporary table ``g``: each customer's id, sign-up time and channels (which interactions and carts use)."""
    ch = channel_plugin
    wanted = ", ".join(
        f"CASE WHEN u(id, {11 + k}) < {p} THEN {lit(name)} END" for k, (name, p) in enumerate(ch.CHANNELS)
    )
    spell = "CASE x " + " ".join(f"WHEN {lit(a)} THEN {lit(b)}" for a, b in ch.CHANNEL_SPELLING.items()) + " ELSE x END"
    return f"""
CREATE OR REPLACE TEMP TABLE g AS
WITH a AS (
  SELECT id, {now_s} - 3600 - CAST(floor(u(id, 1) * {CUSTOMER_DAYS * DAY}) AS BIGINT) AS created_s,
    list_filter([{wanted}], lambda x: x IS NOT NULL) AS chans
  FROM range(1, {n} + 1) AS t(id)
), b AS (
  SELECT id, created_s,
    CASE WHEN len(chans) = 0 THEN [CASE WHEN u(id, 17) < 0.4 THEN 'webchat' ELSE 'whatsapp' END] ELSE chans END AS chans
  FROM a
)
SELECT id, created_s, CASE WHEN u(id, 18) < 0.03 THEN list_transform(chans, lambda x: {spell}) ELSE chans END AS chans
FROM b"""


def _macros(conn: duckdb.DuckDBPyConnection, seed: int) -> None:
    # DuckDB combines the arguments of hash(a, b, c) weakly (draws k and k+1 correlate at -0.6), so each
    # draw number is XORed into a hash and hashed again; 53 bits over 2^53: uniform in [0, 1), never 1.0
    conn.execute(f"CREATE OR REPLACE TEMP MACRO base(i) AS hash(i, {int(seed)})")
    conn.execute("CREATE OR REPLACE TEMP MACRO unit(h) AS CAST(h >> 11 AS DOUBLE) / 9007199254740992.0")
    conn.execute("CREATE OR REPLACE TEMP MACRO u(i, k) AS unit(hash(xor(base(i), CAST(k AS UBIGINT))))")
    conn.execute("CREATE OR REPLACE TEMP MACRO v(i, j, k) AS "
                 "unit(hash(xor(hash(xor(base(i), CAST(1000 + j AS UBIGINT))), CAST(k AS UBIGINT))))")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _check(settings: Settings) -> None:
    missing = [role for role in settings.schema if role not in ROLES]
    if missing:
        raise SystemExit(f"gen_sql.py has no SQL generator for the role(s) {', '.join(missing)} "
                         "(it makes the built-in families' tables only)")


def build_duckdb(path: Path, n: int, seed: int, now: str, settings: Settings | None = None,
                 log: Callable[[str], None] = print) -> dict[str, float]:
    """Write ``n`` customers into a new DuckDB file at ``path`` (replaced); seconds per table.

    Built under ``path`` + ``.tmp`` and renamed when complete, so an interrupted run never
    leaves a file that looks finished. The schema (primary keys, indexes) is segdsl's own
    (``segdsl.data.records.create_schema``); secondary indexes are built after the load.
    """
    settings = settings or default_settings()
    _check(settings)
    now_s = epoch(now)
    tmp = path.with_name(path.name + ".tmp")
    for old in (tmp, Path(str(tmp) + ".wal")):
        old.unlink(missing_ok=True)
    took: dict[str, float] = {}
    with connect(f"duckdb:///{tmp}", create=True) as db:
        create_schema(db, settings)
        drop_indexes(db, settings)
        conn = db.conn
        _macros(conn, seed)
        start = time.perf_counter()
        conn.execute(_base_sql(n, now_s))
        took["(customers' channels)"] = time.perf_counter() - start
        for role, mapping in settings.schema.items():
            columns = list(mapping.role.columns)
            start = time.perf_counter()
            select = ROLES[role](now_s)
            target = ", ".join(_quote(mapping.columns[c]) for c in columns)
            source = ", ".join(_quote(c) for c in columns)
            conn.execute(f"INSERT INTO {_quote(mapping.table)} ({target}) SELECT {source} FROM ({select}) AS x")
            took[mapping.table] = time.perf_counter() - start
            log(f"  {mapping.table}: {took[mapping.table]:.1f} s")
        start = time.perf_counter()
        create_schema(db, settings)  # the secondary indexes dropped above
        conn.execute("DROP TABLE g")
        conn.execute(f"CREATE TABLE {META} (info VARCHAR)")
        conn.execute(f"INSERT INTO {META} VALUES (?)", [marker(n, seed, now)])
        conn.execute("ANALYZE")
        conn.execute("CHECKPOINT")
        took["(indexes, analyze)"] = time.perf_counter() - start
    os.replace(tmp, path)
    return took


def stored_marker(url: str) -> str | None:
    """The marker of a database this module filled, or None."""
    try:
        with connect(url, read_only=True) as db:
            return str(db.query(f"SELECT info FROM {META}")[0][0])
    except Exception:  # noqa: BLE001 - missing file, database or table: not reusable
        return None


def row_counts(url: str, settings: Settings | None = None) -> dict[str, int]:
    settings = settings or default_settings()
    with connect(url, read_only=True) as db:
        return {m.table: int(db.query(f"SELECT COUNT(*) FROM {_quote(m.table)}")[0][0])
                for m in settings.schema.values()}


# ----------------------------------------------------------------------------- PostgreSQL


def _admin_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres"))


def recreate_pg_database(url: str) -> None:
    """Drop and create the database ``url`` names (empty)."""
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with connect(_admin_url(url)) as admin:
        admin.conn.autocommit = True
        admin.query(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
        admin.query(f"CREATE DATABASE {_quote(name)}")


def to_postgres(source: Path, url: str, settings: Settings | None = None,
                log: Callable[[str], None] = print) -> dict[str, float]:
    """Load the tables of the DuckDB file ``source`` into a new PostgreSQL database ``url``; seconds per step.

    DuckDB writes each table as CSV (NULL unquoted and empty, the empty string as ``""``, which
    is how PostgreSQL's CSV format tells them apart); psycopg streams the file with ``COPY FROM STDIN``.
    """
    settings = settings or default_settings()
    recreate_pg_database(url)
    took: dict[str, float] = {}
    duck = duckdb.connect(str(source), read_only=True)
    folder = tempfile.mkdtemp(prefix="segdsl-gen-")
    try:
        with connect(url) as db:
            create_schema(db, settings)
            drop_indexes(db, settings)
            for mapping in settings.schema.values():
                columns = ", ".join(_quote(mapping.columns[c]) for c in mapping.role.columns)
                csv = os.path.join(folder, f"{mapping.table}.csv")
                start = time.perf_counter()
                duck.execute(f"COPY (SELECT {columns} FROM {_quote(mapping.table)}) TO {lit(csv)} "
                             "(FORMAT csv, HEADER false)")
                with db.conn.cursor() as cur, cur.copy(
                    f"COPY {_quote(mapping.table)} ({columns}) FROM STDIN (FORMAT csv)"
                ) as copy, open(csv, "rb") as fh:
                    while data := fh.read(1 << 20):
                        copy.write(data)
                os.remove(csv)
                took[mapping.table] = time.perf_counter() - start
                log(f"  {mapping.table}: {took[mapping.table]:.1f} s")
            start = time.perf_counter()
            create_schema(db, settings)  # the secondary indexes
            info = duck.execute(f"SELECT info FROM {META}").fetchone()
            db.query(f"CREATE TABLE {META} (info VARCHAR(400))")
            db.query(f"INSERT INTO {META} VALUES (%s)", [info[0] if info else ""])
            db.conn.commit()
            db.conn.autocommit = True
            db.query("VACUUM ANALYZE")
            took["(indexes, vacuum analyze)"] = time.perf_counter() - start
    finally:
        duck.close()
        for leftover in Path(folder).glob("*"):
            leftover.unlink()
        os.rmdir(folder)
    return took


def compare(n: int, seed: int, now: str) -> float:
    """Count every example rule on ``segdsl demo`` data and on this module's, ``n`` customers each.

    Prints both counts per rule; returns the largest difference in standard errors
    (binomial, from the demo's proportion), which stays under ~4 when the distributions agree.
    """
    from segdsl import count
    from segdsl.data.demo import populate

    folder = Path(tempfile.mkdtemp(prefix="segdsl-gen-compare-"))
    try:
        demo_url, ours = f"duckdb:///{folder / 'demo.duckdb'}", folder / "sql.duckdb"
        populate(demo_url, n=n, seed=seed, now=now)
        build_duckdb(ours, n, seed, now, log=lambda _line: None)
        worst = 0.0
        print(f"{'rule':28} {'segdsl demo':>12} {'gen_sql':>12}  difference in standard errors")
        for path in sorted((ROOT / "examples" / "rules").glob("*.seg")):
            rule = path.read_text(encoding="utf-8")
            a, b = count(rule, db=demo_url, now=now), count(rule, db=f"duckdb:///{ours}", now=now)
            p = min(max(a / n, 1 / n), 1 - 1 / n)
            sigmas = abs(a - b) / (n * p * (1 - p) * 2) ** 0.5
            worst = max(worst, sigmas)
            print(f"{path.stem:28} {a:12,} {b:12,}  {sigmas:5.1f}")
        return worst
    finally:
        for leftover in folder.glob("*"):
            leftover.unlink()
        folder.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="customers")
    parser.add_argument("duckdb_file", type=Path, nargs="?")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default="2026-11-28T12:00:00Z")
    parser.add_argument("--parquet", type=Path, help="also write this Spark warehouse (Parquet folders)")
    parser.add_argument("--postgres", help="also load this PostgreSQL database (dropped and created)")
    parser.add_argument("--compare", action="store_true",
                        help="count the example rules on n customers of `segdsl demo` and of this generator")
    args = parser.parse_args()
    if args.compare:
        worst = compare(args.n, args.seed, args.now)
        print(f"largest difference: {worst:.1f} standard errors")
        return
    if args.duckdb_file is None:
        parser.error("name the DuckDB file to write")
    start = time.perf_counter()
    build_duckdb(args.duckdb_file, args.n, args.seed, args.now)
    print(f"DuckDB {args.duckdb_file}: {time.perf_counter() - start:.1f} s; rows "
          f"{row_counts(f'duckdb:///{args.duckdb_file}')}")
    if args.parquet:
        from bench.to_parquet import copy_tables

        start = time.perf_counter()
        copy_tables(str(args.duckdb_file), args.parquet)
        print(f"Parquet {args.parquet}: {time.perf_counter() - start:.1f} s")
    if args.postgres:
        start = time.perf_counter()
        to_postgres(args.duckdb_file, args.postgres)
        print(f"PostgreSQL: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
