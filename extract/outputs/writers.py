"""Writers: tables to Parquet + CSV + one DuckDB file, reading-order text per document.

Every file is written to a temporary name in the same folder and renamed into place, so
a reader (or a crash) never sees a half-written file.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from extract.outputs.tables import for_csv, from_csv, list_columns

DUCKDB_NAME = "casemine.duckdb"
TABLE_FORMATS = ("csv", "duckdb")  # written beside Parquet unless a run asks for fewer
_UMASK = os.umask(0)  # read once (it can only be read by setting it)
os.umask(_UMASK)


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def safe_name(name: str) -> str:
    """A file name confined to its folder whatever the input contains ('../', quotes...)."""
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._")
    return name[:120] or "unnamed"


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, formats: tuple[str, ...] = TABLE_FORMATS,
                 csv_bom: bool = False) -> None:
    """Parquet always (what `load` reads), and the `formats` asked for; CSV with a
    byte-order mark when `csv_bom` (Excel on Windows then reads UTF-8 accents right)."""
    out_dir = Path(out_dir)
    encoding = "utf-8-sig" if csv_bom else "utf-8"
    for name, df in tables.items():
        _atomic(out_dir / f"{name}.parquet", lambda p, df=df: df.to_parquet(p, index=False))
        if "csv" in formats:
            _atomic(out_dir / f"{name}.csv",
                    lambda p, df=df, n=name: for_csv(df, n).to_csv(p, index=False, encoding=encoding))
    if "duckdb" in formats:
        _write_duckdb(tables, out_dir / DUCKDB_NAME)


def _write_duckdb(tables: dict[str, pd.DataFrame], path: Path) -> None:
    import duckdb

    def write(tmp: str) -> None:
        os.unlink(tmp)  # duckdb wants to create the file itself
        con = duckdb.connect(tmp)
        try:
            for name, df in tables.items():
                con.register("_df", df)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _df')
                con.unregister("_df")
        finally:
            con.close()

    _atomic(path, write)


def write_text(out_dir: Path, doc_id: str, text: str) -> Path:
    path = Path(out_dir) / "text" / f"{safe_name(doc_id)}.txt"
    _atomic(path, lambda p: Path(p).write_text(text, encoding="utf-8"))
    return path


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Tables written by an earlier run (Parquet preferred, CSV as a fallback)."""
    out_dir = Path(out_dir)
    tables = {}
    names = {p.stem for p in out_dir.glob("*.parquet")} | {p.stem for p in out_dir.glob("*.csv")}
    for name in sorted(names):
        pq = out_dir / f"{name}.parquet"
        if pq.exists():
            df = pd.read_parquet(pq)
            for col in list_columns(name):
                if col in df:
                    df[col] = df[col].map(lambda v: list(v) if v is not None else [])
            tables[name] = df
        else:
            tables[name] = from_csv(pd.read_csv(out_dir / f"{name}.csv", encoding="utf-8-sig"), name)
    return tables
