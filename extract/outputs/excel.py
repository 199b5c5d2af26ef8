"""The tables as one Excel workbook, one sheet per table (`cases` first): the sheet a
reviewer would otherwise fill by hand, next to the evidence behind it; each sheet filters,
DOIs and files are links, and a `columns` sheet describes every column. Every string is a
text cell, never a formula, whatever a PDF's title or author starts with."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool, is_float, is_integer

from extract.outputs.dictionary import dictionary
from extract.outputs.writers import _atomic

FIRST = ("cases", "treatments", "subtypes", "causes", "patients", "evidence", "documents")
MAX_CELL = 32000  # Excel's cell limit is 32,767 characters


def sheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Lists as '; '-joined text, long text cut to what a cell holds, nulls as blanks."""
    out = df.copy()
    for col in out.columns:
        if any(isinstance(v, (list, tuple)) for v in out[col]):
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) and len(v) else None)
        elif out[col].dtype == object or str(out[col].dtype) == "string":
            out[col] = out[col].map(lambda v: v[:MAX_CELL] if isinstance(v, str) else v)
    return out.astype(object).where(out.notna(), None)


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to `path` (.xlsx), one sheet each, `cases` first (atomically)."""
    path = Path(path)
    _atomic(path, lambda tmp: _write(tables, tmp))
    return path


def _write(tables: dict[str, pd.DataFrame], path: str) -> None:
    names = [n for n in FIRST if n in tables] + sorted(n for n in tables if n not in FIRST)
    book = new_book()
    for name in names:
        write_sheet(book, name, tables[name])
    cols = dictionary()
    _rows(book.create_sheet("columns"), cols[cols.table.isin(names)], fit=False)
    save_book(book, path)


def new_book():
    """An openpyxl workbook that streams its rows to the file (write-only: a sheet of
    100,000 cells is not first built as 100,000 cell objects)."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def save_book(book, path: str | Path) -> None:
    with open(path, "wb") as fh:  # a handle: a temporary name has no .xlsx suffix
        book.save(fh)


def write_sheet(book, name: str, df: pd.DataFrame) -> None:
    """Table `name` as a sheet of `book` (`new_book`): header frozen, filters, links, every
    string a text cell, columns as wide as their text (up to 60)."""
    ws = book.create_sheet(name[:31])
    ws.freeze_panes = "A2"
    _rows(ws, sheet_frame(df), fit=True, links=LINKS)


# columns whose cells link somewhere (as a reviewer checks them): DOIs to the article, paths to the file
LINKS = {"doi": lambda v: f"https://doi.org/{v}", "path": lambda v: Path(v).absolute().as_uri()}


def _rows(ws, df: pd.DataFrame, fit: bool, links: dict | None = None) -> None:
    """The header (bold, boxed, as pandas writes it) and the rows of `df` into the
    write-only sheet `ws`, with a filter over them; `fit`: columns as wide as their
    header and first 199 values (8 to 60 characters)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    header = [str(c) for c in df.columns]
    values = [[excel_value(v) for v in row] for row in df.itertuples(index=False, name=None)]
    letters = [get_column_letter(j + 1) for j in range(len(header))]
    if fit:
        for j, letter in enumerate(letters):
            shown = [len(header[j])] + [len(str(r[j])) for r in values[:199] if r[j] is not None]
            ws.column_dimensions[letter].width = min(60, max(8, max(shown) + 2))
    if header:
        ws.auto_filter.ref = f"A1:{letters[-1]}{len(values) + 1}"
    side = Side(style="thin")
    style = dict(font=Font(bold=True), border=Border(left=side, right=side, top=side, bottom=side),
                 alignment=Alignment(horizontal="center", vertical="top"))
    ws.append([_cell(ws, h, **style) for h in header])
    linked = {j: (links or {})[c] for j, c in enumerate(header) if c in (links or {})}
    for row in values:
        for j, v in enumerate(row):
            if isinstance(v, str) and (v.startswith("=") or (j in linked and v)):
                row[j] = cell = _cell(ws, v)
                if j in linked and v:
                    cell.hyperlink, cell.style = linked[j](v), "Hyperlink"
        ws.append(row)


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
