"""The tables as one Excel workbook, one sheet per table (`cases` first; not `mentions`): the
sheet a reviewer would otherwise fill by hand, next to the evidence behind it; each sheet filters,
DOIs and files are links, and a `columns` sheet describes every column. Every string is a
text cell, never a formula, whatever a PDF's title or author starts with."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from pandas.api.types import is_bool, is_float, is_integer

from extract.outputs.dictionary import dictionary
from extract.outputs.writers import _atomic

FIRST = ("cases", "treatments", "subtypes", "causes", "patients", "evidence", "documents")
# tables the workbook leaves to Parquet, CSV and DuckDB: the NER's raw mentions, an intermediate layer
# a reviewer does not edit (3/4 of the sheet XML: 500 rows a report, 52,813 at 105 reports)
NOT_IN_WORKBOOK = ("mentions",)
MAX_CELL = 32000  # Excel's cell limit is 32,767 characters
ROW_SEP = "\x01"  # between kept rows: a character XML cannot hold, so no row holds it


def sheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as '; '-joined text, long text cut to what a cell holds, nulls as blanks
    (None), every column of objects; built from each column's array, a third faster than
    a map over every cell and a frame-wide `where`."""
    out = {}
    for col, s in df.items():
        values = s.to_numpy(dtype=object)
        if s.dtype == object and any(isinstance(v, (list, tuple)) for v in values):
            values = _objects(["; ".join(map(str, v)) if isinstance(v, (list, tuple)) and len(v) else None
                               for v in values])
        elif any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
            values = _objects([v[:MAX_CELL] if isinstance(v, str) else v for v in values])
        values[pd.isna(values)] = None
        out[col] = values
    return pd.DataFrame(out, index=df.index, columns=df.columns)


def _objects(items: list) -> np.ndarray:
    values = np.empty(len(items), dtype=object)
    values[:] = items
    return values


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path, rows: RowStore | None = None) -> Path:
    """Write every table but `NOT_IN_WORKBOOK` to `path` (.xlsx), one sheet each, `cases` first (atomically);
    `rows`: each document's rows as written before (a later workbook serializes only the
    documents whose rows changed)."""
    path = Path(path)
    _atomic(path, lambda tmp: _write(tables, tmp, rows))
    return path


def _write(tables: dict[str, pd.DataFrame], path: str, rows: RowStore | None) -> None:
    names = [n for n in FIRST if n in tables] + sorted(n for n in tables if n not in FIRST + NOT_IN_WORKBOOK)
    book = Book(rows)
    for name in names:
        book.sheet(name, tables[name])
    cols = dictionary()
    book.rows(book.create("columns"), cols[cols.table.isin(names)], fit=False)
    book.save(path)
    if rows is not None:
        rows.keep_only_used()


# columns whose cells link somewhere (as a reviewer checks them): DOIs to the article, paths to the file
LINKS = {"doi": lambda v: f"https://doi.org/{v}", "path": lambda v: Path(v).absolute().as_uri()}
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Book:
    """A workbook that openpyxl (write-only) writes around the rows: styles, each sheet's
    bold boxed header, column widths, filter and frozen header. The rows themselves are
    sheet XML made here (`sheet_rows`: openpyxl costs about 8 µs a cell, a string per cell
    a tenth of that) and kept per document in a `RowStore`, spliced in at `save`."""

    def __init__(self, rows: RowStore | None = None):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.store = rows or RowStore()
        self.bodies: dict = {}  # write-only sheet -> its rows (numbered once openpyxl has saved)

    def create(self, name: str):
        return self.book.create_sheet(name[:31])

    def sheet(self, name: str, df: pd.DataFrame) -> None:
        """Table `name` as a sheet: header frozen, filters, links, every string a text cell,
        columns as wide as their text (up to 60)."""
        ws = self.create(name)
        ws.freeze_panes = "A2"
        self.rows(ws, sheet_frame(df), fit=True, links=LINKS)

    def rows(self, ws, df: pd.DataFrame, fit: bool, links: dict | None = None) -> None:
        """The header (bold, boxed, as pandas writes it) into the write-only sheet `ws`, a
        filter over the rows, and the rows of `df` for `save`; `fit`: columns as wide as
        their header and first 199 values (8 to 60 characters)."""
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

        header = [str(c) for c in df.columns]
        values = df.to_numpy(dtype=object)
        letters = [get_column_letter(j + 1) for j in range(len(header))]
        if fit:
            first = [[excel_value(v) for v in row] for row in values[:199]]
            for j, letter in enumerate(letters):
                shown = [len(header[j])] + [len(str(r[j])) for r in first if r[j] is not None]
                ws.column_dimensions[letter].width = min(60, max(8, max(shown) + 2))
        if header:
            ws.auto_filter.ref = f"A1:{letters[-1]}{len(values) + 1}"
        side = Side(style="thin")
        style = dict(font=Font(bold=True), border=Border(left=side, right=side, top=side, bottom=side),
                     alignment=Alignment(horizontal="center", vertical="top"))
        ws.append([_cell(ws, h, **style) for h in header])
        linked = [(links or {}).get(c) for c in header]
        link_style = _link_style(ws) if any(linked) and _any_text(df, linked) else 0
        doc_ids = df["doc_id"].tolist() if "doc_id" in df else None
        self.bodies[ws] = self.store.chunks(values, doc_ids, header, letters, linked, link_style)

    def save(self, path: str | Path) -> None:
        """openpyxl's file with each sheet's rows and links spliced in (zlib level 1: a
        sheet of 50,000 rows compresses 3 times as fast, for a file about a quarter larger)."""
        import io
        import zipfile

        frame = io.BytesIO()
        self.book.save(frame)
        bodies = {ws.path.lstrip("/"): chunks for ws, chunks in self.bodies.items()}
        with zipfile.ZipFile(frame) as src, open(path, "wb") as fh, \
                zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename not in bodies:
                    dst.writestr(info.filename, data)
                    continue
                urls = _splice(dst, info.filename, data.decode("utf-8"), bodies[info.filename])
                if urls:
                    folder, name = info.filename.rsplit("/", 1)
                    dst.writestr(f"{folder}/_rels/{name}.rels", _rels(urls))


def _splice(dst, name: str, xml: str, chunks: list[Chunk]) -> list[str]:
    """Sheet `name` of openpyxl's `xml` (its header row only) with the rows of `chunks`
    numbered from 2 and their hyperlinks; returns the links' targets, in rId order."""
    head, tail = xml.split("</sheetData>", 1)
    refs, urls, n = [], [], 2
    with dst.open(name, "w") as out:
        out.write(head.encode("utf-8"))
        for chunk in chunks:
            out.write("".join(row.replace("\0", str(n + i)) for i, row in enumerate(chunk.rows)).encode("utf-8"))
            for i, letter, url in chunk.links:
                refs.append(f"{letter}{n + i}")
                urls.append(url)
            n += len(chunk.rows)
        if refs:
            links = "".join(f'<hyperlink xmlns:r="{R_NS}" ref="{ref}" r:id="rId{k}" />'
                            for k, ref in enumerate(refs, 1))
            before, margins = tail.split("<pageMargins", 1)
            tail = f"{before}<hyperlinks>{links}</hyperlinks><pageMargins{margins}"
        out.write(f"</sheetData>{tail}".encode("utf-8"))
    return urls


def _rels(urls: list[str]) -> str:
    return (f'<Relationships xmlns="{RELS_NS}">'
            + "".join(f'<Relationship Type="{HYPERLINK}" Target="{_attr(u)}" TargetMode="External" Id="rId{k}" />'
                      for k, u in enumerate(urls, 1))
            + "</Relationships>")


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"})


def _any_text(df: pd.DataFrame, linked: list) -> bool:
    """Whether a linked column holds a cell to link (the link style exists only then, as
    openpyxl adds a style when a cell first uses it)."""
    return any(isinstance(t := excel_value(v), str) and t
               for j, c in enumerate(df.columns) if linked[j] for v in df[c])


def _link_style(ws) -> int:
    """The style id of openpyxl's "Hyperlink" cells in this workbook."""
    cell = _cell(ws, "")
    cell.style = "Hyperlink"
    return cell.style_id


@dataclass
class Chunk:
    """Rows of one document as sheet XML, "\\0" where the row number goes, and its links
    as (row within the chunk, column letter, target)."""

    rows: list[str]
    links: list[tuple[int, str, str]]


class RowStore:
    """Sheet rows per document, named by a hash of their values (and of what else goes into
    their XML), kept under `folder` between workbooks (None: not kept), so that adding a
    document serializes its rows and those of documents whose rows changed, not the rest."""

    def __init__(self, folder: str | Path | None = None, version: str = ""):
        self.folder = Path(folder) if folder is not None else None
        self.version = version
        self.used: set[str] = set()

    def chunks(self, values, doc_ids: list | None, header: list[str], letters: list[str],
               linked: list, link_style: int) -> list[Chunk]:
        """The rows of `values` (a sheet's frame) cut where the document changes."""
        salt = pickle.dumps((self.version, header, [f is not None for f in linked], link_style,
                             os.getcwd() if any(linked) else ""))
        out = []
        for a, b in _runs(doc_ids, len(values)):
            key = hashlib.blake2b(salt + pickle.dumps(values[a:b]), digest_size=16).hexdigest()
            self.used.add(key)
            chunk = self._load(key)
            if chunk is None:
                chunk = sheet_rows(values[a:b], letters, linked, link_style)
                self._save(key, chunk)
            out.append(chunk)
        return out

    def keep_only_used(self) -> None:
        """Forget the rows no sheet of the last workbook holds."""
        if self.folder is not None and self.folder.is_dir():
            for f in self.folder.iterdir():
                if f.stem not in self.used:
                    f.unlink(missing_ok=True)

    def _load(self, key: str) -> Chunk | None:
        if self.folder is None:
            return None
        try:
            links, _, rows = (self.folder / f"{key}.rows").read_text(encoding="utf-8").partition("\n")
            return Chunk(rows.split(ROW_SEP), [tuple(x) for x in json.loads(links)])
        except (OSError, ValueError):
            return None

    def _save(self, key: str, chunk: Chunk) -> None:
        """The links as a JSON line, then the rows as they are, apart (JSON escaped every
        quote of their XML: reading the kept rows took 4 times as long)."""
        if self.folder is not None:
            text = json.dumps(chunk.links) + "\n" + ROW_SEP.join(chunk.rows)
            _atomic(self.folder / f"{key}.rows", lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _runs(doc_ids: list | None, n: int) -> list[tuple[int, int]]:
    """(start, end) of each run of rows of one document (the whole table without doc_id)."""
    if doc_ids is None or not n:
        return [(0, n)] if n else []
    cuts = [i for i in range(1, n) if doc_ids[i] != doc_ids[i - 1]]
    return list(zip([0, *cuts], [*cuts, n]))


def sheet_rows(values, letters: list[str], linked: list, link_style: int) -> Chunk:
    """Rows as openpyxl's write-only sheet writes them (its cell types, number format and
    escaping: the same bytes), their number left as "\\0"; a string is always text, never
    a formula, and a non-empty string in a linked column links with the Hyperlink style.
    A plain string (most cells) goes straight to its text cell: `excel_value` gives it back."""
    refs = [f'r="{letter}\0"' for letter in letters]
    text = _TextCells(link_style)
    rows, links = [], []
    for i, row in enumerate(values):
        cells = []
        for j, v in enumerate(row):
            if type(v) is not str:
                v = excel_value(v)
                if v is None:
                    continue
                if isinstance(v, bool):
                    cells.append(f'<c {refs[j]} t="b"><v>{v:d}</v></c>')
                    continue
                if v != v:  # NaN, in a frame not made by sheet_frame
                    cells.append(f'<c {refs[j]} t="n"><v /></c>')
                    continue
                if not isinstance(v, str):
                    cells.append(f'<c {refs[j]} t="n"><v>{"%.16g" % v}</v></c>')
                    continue
            cells.append(text(refs[j], v, i, letters[j], linked[j], links))
        rows.append(f'<row r="\0">{"".join(cells)}</row>')
    return Chunk(rows, links)


class _TextCells:
    """A string's cell as openpyxl writes it: an error code as an error cell, text inline
    (space kept when it leads or trails), a link's style and target recorded; a character
    XML cannot hold refused as openpyxl refuses it."""

    def __init__(self, link_style: int):
        from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

        self.errors, self.illegal, self.link_style = ERROR_CODES, ILLEGAL_CHARACTERS_RE.search, link_style

    def __call__(self, ref: str, v: str, i: int, letter: str, link: Callable | None, links: list) -> str:
        v = v[:32767]
        if self.illegal(v):
            from openpyxl.utils.exceptions import IllegalCharacterError
            raise IllegalCharacterError(f"{v} cannot be used in worksheets.")
        style = ""
        if link is not None and v:
            style = f' s="{self.link_style}"'
            links.append((i, letter, link(v)))
        if v in self.errors:  # openpyxl's reading of such a string: an error cell
            return f'<c {ref}{style} t="e"><v>{escape(v)}</v></c>'
        if not v:
            return f'<c {ref}{style} t="inlineStr" />'
        space = ' xml:space="preserve"' if v.strip() and v != v.strip() else ""
        return f'<c {ref}{style} t="inlineStr"><is><t{space}>{escape(v)}</t></is></c>'


def _cell(ws, value, **style):
    """A cell of its own: a string never a formula (openpyxl takes one starting with '='
    for a formula), and any style given."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def excel_value(v):
    """A value as pandas' Excel writer gives it to openpyxl: numbers and booleans as
    Python's, infinities as text, anything else as text; None (a null) stays an empty cell."""
    if v is None:
        return None
    if is_float(v) and np.isinf(v):
        return "inf" if v > 0 else "-inf"
    if is_integer(v):
        return int(v)
    if is_float(v):
        return float(v)
    if is_bool(v):
        return bool(v)
    return str(v)
