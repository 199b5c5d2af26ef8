"""One table of a run in the format a reviewer's tool wants: `casemine export OUT --table
cases --format csv|xlsx|parquet|json`."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "xlsx", "parquet", "json")


def export_table(df: pd.DataFrame, name: str, fmt: str, path: str | Path, csv_bom: bool = False) -> Path:
    """Write `df` (table `name`) to `path` as `fmt`. CSV joins lists with '; ' (with a
    byte-order mark on request, for Excel on Windows); CSV and Excel never hold a cell a
    spreadsheet would run as a formula; JSON is a list of records with lists kept as
    lists and nulls as null."""
    from extract.outputs.excel import Book
    from extract.outputs.writers import _atomic, csv_frame

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    path = Path(path)
    if fmt == "csv":
        write = lambda p: csv_frame(df, name).to_csv(p, index=False, encoding="utf-8-sig" if csv_bom else "utf-8")
    elif fmt == "xlsx":
        def write(p):
            book = Book()
            book.sheet(name, df)
            book.save(p)
    elif fmt == "parquet":
        write = lambda p: df.to_parquet(p, index=False)
    else:
        records = json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        write = lambda p: Path(p).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    _atomic(path, write)
    return path
