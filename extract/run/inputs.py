"""The input of a run: which inputs a folder holds (PDFs, JATS/TEI XML, plain text), every
path passed over and why, and the tables gathered from their documents with one document
per content hash.

Nothing is skipped silently: a dangling symlink, a symlink loop or a folder that cannot be
read becomes an `errors` row (stage "input"). Symlinked folders are followed once (a
folder reached again, through a loop or a second link, is read only the first time), and
the output folder, or any folder an earlier run wrote to (it holds `PARTS`), with everything
under it, is never input (its annotated PDFs and text/*.txt would be read back otherwise).
The same file under two names is one document: the first path in
order keeps its rows, the others are listed in its `documents.duplicate_paths`.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from extract.outputs.tables import SCHEMAS, frame
from extract.run.process import INPUT_SUFFIXES

PARTS = ".parts"  # what marks a run's output folder: its cache of parts (`extract.run.cache`)


@dataclass
class Inputs:
    pdfs: list[Path]                                   # every input file (not only PDFs), sorted, absolute
    skipped: list[tuple[str, str]] = field(default_factory=list)         # (path, why)

    def error_rows(self) -> list[dict]:
        return [dict(path=p, doc_id=None, stage="input", error_type="skipped", message=why)
                for p, why in self.skipped]


def scan_inputs(path: str | Path, exclude: str | Path | None = None) -> Inputs:
    """Input files (`INPUT_SUFFIXES`) under `path` (a file, or a folder searched recursively),
    with paths made absolute and `..` resolved, so `dir/../dir` names the same files as `dir`."""
    given = Path(path)
    root = given.parent.resolve() / given.name if given.name not in ("", ".", "..") else given.resolve()
    if root.is_file():
        return Inputs([root])
    if not root.is_dir():
        raise FileNotFoundError(f"no such file or folder: {given}")
    out, links = Inputs([]), []
    seen = {root.resolve()}
    exclude = Path(exclude).resolve() if exclude is not None else None
    _walk(root, exclude, out, links, seen)
    while links:  # symlinked folders after every real one: a link, not a folder, is passed over
        p = links.pop(0)
        real = p.resolve()
        if real in seen:
            loop = real == p.parent.resolve() or real in p.parent.resolve().parents
            out.skipped.append((str(p), "symlink loop (a folder it is inside)" if loop
                                else f"a link to a folder already read ({real})"))
            continue
        seen.add(real)
        _walk(p, exclude, out, links, seen)
    out.pdfs.sort()
    out.skipped.sort()
    return out


def _walk(folder: Path, exclude: Path | None, out: Inputs, links: list[Path], seen: set[Path]) -> None:
    """Inputs under `folder` into `out`, the folders read into `seen`; symlinked folders
    into `links`, not followed here; a run's output folder is not entered."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        out.skipped.append((str(folder), f"folder cannot be read ({e.strerror})"))
        return
    for entry in entries:
        p = Path(entry.path)
        link = entry.is_symlink()
        try:
            st = os.stat(p)
            real = p.resolve() if link else p
        except (OSError, RuntimeError) as e:
            loop = isinstance(e, RuntimeError) or getattr(e, "errno", None) == errno.ELOOP
            why = "symlink loop" if loop else ("dangling symlink (its target is missing)" if link
                                                else f"cannot be read ({e.strerror})")
            out.skipped.append((str(p), why))
            continue
        if exclude is not None and (real == exclude or exclude in real.parents):
            continue  # the output folder: never input
        if stat.S_ISDIR(st.st_mode):
            if (p / PARTS).is_dir():
                continue  # an earlier run's output folder: never input
            if link:
                links.append(p)
            else:
                seen.add(p.resolve())
                _walk(p, exclude, out, links, seen)
        elif stat.S_ISREG(st.st_mode) and p.suffix.lower() in INPUT_SUFFIXES:
            out.pdfs.append(p)


class Gather:
    """Records of documents, added in path order -> the run's tables.

    A document whose doc_id (content hash) came before is not added again: its path goes
    to the first one's `duplicate_paths`."""

    def __init__(self):
        self.records: dict[str, list] = {name: [] for name in SCHEMAS}
        self._docs: dict[str, dict] = {}   # doc_id and path -> the documents row kept

    def add(self, path: str, doc_id: str | None, records: dict[str, list]) -> None:
        if doc_id and doc_id in self._docs:
            self.duplicate(path, self._docs[doc_id]["path"])
            return
        for table, rows in records.items():
            self.records.setdefault(table, []).extend(rows)
        for row in records.get("documents", [])[:1]:
            row["duplicate_paths"] = []
            self._docs[path] = row
            if doc_id:
                self._docs[doc_id] = row

    def duplicate(self, path: str, of: str) -> None:
        if of in self._docs:
            self._docs[of]["duplicate_paths"].append(path)

    def tables(self, skipped: Iterable[dict] = ()) -> dict[str, pd.DataFrame]:
        self.records["errors"].extend(skipped)
        return {name: frame(name, rows) for name, rows in self.records.items() if name in SCHEMAS}
