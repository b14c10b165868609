"""Copy the reference tables of a DuckDB file into a Spark warehouse: one Parquet folder per table.

    python bench/to_parquet.py demo.duckdb /data/segdsl-warehouse
    segdsl count --db 'spark://local[*]?warehouse=/data/segdsl-warehouse' 'channel sms and tag is "vip"'

DuckDB writes the files (fast, no Spark needed); TIMESTAMP columns are written
as UTC instants (Parquet ``isAdjustedToUTC``), which Spark reads as TIMESTAMP.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb
from sqlglot import exp

from segdsl.families.settings import default_settings


def copy_tables(source: str, warehouse: Path) -> dict[str, float]:
    """Seconds per table; the folders are replaced."""
    settings = default_settings()
    conn = duckdb.connect(source, read_only=True)
    conn.execute("SET TimeZone = 'UTC'")
    took = {}
    for mapping in settings.schema.values():
        names = [(mapping.columns[c], spec.type.upper()) for c, spec in mapping.role.columns.items()]
        select = exp.select(*[
            exp.cast(exp.column(name, quoted=True), "TIMESTAMPTZ").as_(name, quoted=True)
            if sql_type == "TIMESTAMP" else exp.column(name, quoted=True)
            for name, sql_type in names
        ]).from_(exp.to_table(mapping.table, quoted=True))
        folder = warehouse / mapping.table
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        start = time.perf_counter()
        target = exp.Literal.string(str(folder / "data.parquet"))
        conn.execute(f"COPY ({select.sql(dialect='duckdb')}) TO {target.sql(dialect='duckdb')} (FORMAT PARQUET)")
        took[mapping.table] = time.perf_counter() - start
    conn.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb_file")
    parser.add_argument("warehouse", type=Path)
    args = parser.parse_args()
    for table, seconds in copy_tables(args.duckdb_file, args.warehouse).items():
        print(f"{table:20} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
