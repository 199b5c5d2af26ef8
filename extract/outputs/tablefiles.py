"""The tables as files: Parquet always, CSV and one DuckDB file as asked, each written in
proportion to what changed since the last write: a run that adds documents keeps each
CSV's rows of the documents before the first new one and writes the rest, and a table
whose rows all stayed as they were is not written again (nor the DuckDB file when none
changed).

What the last write left is in a `TableLog`: each row's 64-bit fingerprint, the table's
columns and types, where each row of its CSV ends, and the size, mtime and encoding of
every file as it was left. A file touched or replaced since, other columns or types, or
another encoding: the table is written whole. Without a log every table is written whole.
"""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from extract.outputs.writers import DUCKDB_NAME, TABLE_FORMATS, _atomic, csv_frame, safe_name

STATE = "tables.json"


def fingerprints(df: pd.DataFrame) -> np.ndarray:
    """One hash per row over all its values; an object column (lists, mixed values) by
    each value's repr, so that ['a', 'b'] and ['a; b'], or 1 and '1', differ."""
    if not len(df.columns):
        return np.zeros(len(df), dtype=np.uint64)
    objects = {c: df[c].map(repr) for c in df.columns if df[c].dtype == object}
    return pd.util.hash_pandas_object(df.assign(**objects) if objects else df, index=False).to_numpy()


class TableLog:
    """The tables and files of the last write into one output folder, kept under `folder`
    (None: nothing kept)."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else None
        self.state: dict = {"tables": {}, "files": {}}
        if self.folder is not None:
            try:
                self.state = json.loads((self.folder / STATE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                pass
        self._prints: dict[str, np.ndarray] = {}
        self._ends: dict[str, np.ndarray] = {}
        self._files: dict[str, list] = {}  # the files this write wrote or found as the last one left them

    def kept_rows(self, name: str, df: pd.DataFrame) -> tuple[int, int] | None:
        """(how many first rows of `df` the last write of table `name` held as they are now,
        how many rows it held); None when it held other columns or nothing is kept."""
        prints = self._prints[name] = fingerprints(df)
        last = self.state["tables"].get(name)
        if self.folder is None or last is None or last["columns"] != _columns(df):
            return None
        old = self._load(name, "rows")
        if old is None or len(old) != last["rows"]:
            return None
        n = min(len(old), len(prints))
        differ = np.flatnonzero(old[:n] != prints[:n])
        return (int(differ[0]) if len(differ) else n), len(old)

    def last_tables(self) -> set[str]:
        """The tables the last write wrote."""
        return set(self.state["tables"])

    def csv_ends(self, name: str) -> np.ndarray | None:
        """Where the header and each row of the table's CSV, as last written, end."""
        return self._load(name, "csv")

    def keep_csv_ends(self, name: str, ends: np.ndarray) -> None:
        self._ends[name] = ends

    def intact(self, path: Path, how: str) -> bool:
        """Whether `path` is the file the last write left, written the same way `how`."""
        try:
            st = path.stat()
        except OSError:
            return False
        return self.state["files"].get(path.name) == [st.st_size, st.st_mtime_ns, how]

    def wrote(self, path: Path, how: str) -> None:
        """`path` holds the table as written now (rewritten, or found intact)."""
        st = path.stat()
        self._files[path.name] = [st.st_size, st.st_mtime_ns, how]

    def save(self, tables: dict[str, pd.DataFrame]) -> None:
        """Keep what was written now: each table's fingerprints and CSV row ends (the files'
        stats: `wrote`)."""
        if self.folder is None:
            return
        for name, df in tables.items():
            prints = self._prints[name] if name in self._prints else fingerprints(df)
            self._store(name, "rows", prints)
            if name in self._ends:
                self._store(name, "csv", self._ends[name])
        self.state = dict(tables={name: dict(columns=_columns(df), rows=len(df)) for name, df in tables.items()},
                          files=self._files)
        text = json.dumps(self.state)
        _atomic(self.folder / STATE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def _load(self, name: str, what: str) -> np.ndarray | None:
        try:
            return np.load(self.folder / f"{safe_name(name)}.{what}.npy")
        except (OSError, ValueError, TypeError):
            return None

    def _store(self, name: str, what: str, values: np.ndarray) -> None:
        def write(tmp: str) -> None:
            with open(tmp, "wb") as fh:  # np.save(path) would add '.npy' to the temporary's name
                np.save(fh, values)
        _atomic(self.folder / f"{safe_name(name)}.{what}.npy", write)


def _columns(df: pd.DataFrame) -> list[list[str]]:
    return [[str(c), str(t)] for c, t in df.dtypes.items()]


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path, formats: tuple[str, ...] = TABLE_FORMATS,
                 csv_bom: bool = False, log: TableLog | None = None) -> None:
    """Parquet always (what `load` reads), and the `formats` asked for; CSV with a
    byte-order mark when `csv_bom` (Excel on Windows then reads UTF-8 accents right).
    `log`: what the last write left (`TableLog`), so that each file is written from its
    first changed row on, and an unchanged one not at all."""
    out_dir = Path(out_dir)
    log = log or TableLog()
    encoding = "utf-8-sig" if csv_bom else "utf-8"
    kept = {name: log.kept_rows(name, df) for name, df in tables.items()}
    same = {name for name, df in tables.items() if kept[name] == (len(df), len(df))}
    for name, df in tables.items():
        path = out_dir / f"{name}.parquet"
        if not (name in same and log.intact(path, "parquet")):
            _atomic(path, lambda p, df=df: df.to_parquet(p, index=False))
        log.wrote(path, "parquet")
        if "csv" in formats:
            _write_csv(df, name, out_dir / f"{name}.csv", encoding, kept[name], log)
    path = out_dir / DUCKDB_NAME
    if "duckdb" in formats:
        if not (same == set(tables) == log.last_tables() and log.intact(path, "duckdb")):
            _write_duckdb(tables, path)
        log.wrote(path, "duckdb")
    log.save(tables)


def _write_csv(df: pd.DataFrame, name: str, path: Path, encoding: str, kept: tuple[int, int] | None,
               log: TableLog) -> None:
    """The table's CSV: when it is the file the last write left, its bytes up to the end of
    the `kept[0]` first rows and the rows after them; else written whole."""
    how = f"csv {encoding}"
    ends = log.csv_ends(name) if kept is not None and log.intact(path, how) else None
    if ends is not None and len(ends) == kept[1] + 1:
        start = kept[0]
        if start < len(df) or kept[1] > len(df):
            head = int(ends[start])
            tail = csv_frame(df.iloc[start:], name).to_csv(index=False, header=False).encode("utf-8")

            def write(tmp: str) -> None:
                with open(path, "rb") as src, open(tmp, "wb") as dst:
                    dst.write(src.read(head))
                    dst.write(tail)
            _atomic(path, write)
            log.keep_csv_ends(name, np.concatenate([ends[:start + 1], row_ends(tail, head)]))
    else:
        data = csv_frame(df, name).to_csv(index=False).encode(encoding)
        _atomic(path, lambda p: Path(p).write_bytes(data))
        log.keep_csv_ends(name, row_ends(data))
    log.wrote(path, how)


def row_ends(data: bytes, start: int = 0) -> np.ndarray:
    """Offsets (from `start`) just past each record of CSV `data`: every newline outside
    quotes (a quote inside a quoted field is doubled, so an even count of quotes before a
    newline puts it outside)."""
    b = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(b == ord("\n"))
    outside = np.searchsorted(np.flatnonzero(b == ord('"')), newlines) % 2 == 0
    return newlines[outside].astype(np.int64) + 1 + start


def _write_duckdb(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One DuckDB file of every table, made whole (DuckDB loads a frame about as fast as it
    copies its own rows: keeping each table's rows before the first new document's and
    appending the rest took as long at 105 documents, for a file twice the size)."""
    import duckdb

    def write(tmp: str) -> None:
        os.unlink(tmp)  # duckdb wants to create the file itself
        con = duckdb.connect(tmp, config={"threads": 1})  # a tenth less CPU, the same wall on 2 cores
        try:
            for name, df in tables.items():
                con.register("_df", df)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _df')
                con.unregister("_df")
            con.execute("CHECKPOINT")  # a full disk fails here, before the file replaces a good one
        except (duckdb.IOException, duckdb.FatalException) as e:  # a full disk: an OSError, as elsewhere
            raise OSError(errno.EIO, str(e).splitlines()[0], str(path)) from e
        finally:
            con.close()

    _atomic(path, write)
