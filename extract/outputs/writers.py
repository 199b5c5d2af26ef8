"""Writers: files and folders of outputs, CSV frames, reading-order text per document (the
tables themselves: `extract.outputs.tablefiles`).

Every file is written to a temporary name in the same folder and renamed into place, and
every folder of outputs (report, graph) is built beside its place and swapped in, so a
reader (or a crash) never sees a half-written output. CSV cells that a spreadsheet would
run as a formula are neutralised (OWASP's CSV-injection advice): text from a PDF is data.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

import pandas as pd

from extract.outputs.tables import for_csv, from_csv, list_columns

DUCKDB_NAME = "casemine.duckdb"
TABLE_FORMATS = ("csv", "duckdb")  # written beside Parquet unless a run asks for fewer
STAGING = ".staging-"  # prefix of the folders `replace_folder` builds in; a killed run's are removed
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula
T = TypeVar("T")
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
        for left in (tmp, tmp + ".wal"):  # DuckDB's log beside its file
            if os.path.exists(left):
                os.unlink(left)


def replace_folder(parent: Path, name: str, write: Callable[[Path], T]) -> T:
    """PARENT/NAME rebuilt whole: `write(staging)` fills STAGING/NAME in a fresh folder
    beside it, which then takes the old one's place. A crash leaves the old folder, or
    none (the run's manifest then says the output is missing), never a mix of the two."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=parent))
    try:
        result = write(staging)
        target = parent / name
        if (staging / name).exists():  # else nothing to write: the old folder stays
            if target.exists():
                os.replace(target, staging / f"{name}.old")
            os.replace(staging / name, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def neutralise(value):
    """A cell a spreadsheet would read as a formula, as text: a leading apostrophe (OWASP)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_frame(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The table as its CSV holds it: lists joined, no cell a spreadsheet would run."""
    out = for_csv(df, name)
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(neutralise)
    return out


def safe_name(name: str) -> str:
    """A file name confined to its folder whatever the input contains ('../', quotes...)."""
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._")
    return name[:120] or "unnamed"


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
