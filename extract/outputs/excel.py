"""The tables as one Excel workbook, one sheet per table (`cases` first): the sheet a
reviewer would otherwise fill by hand, next to the evidence behind it; each sheet filters,
DOIs and files are links, and a `columns` sheet describes every column. Every string is a
text cell, never a formula, whatever a PDF's title or author starts with."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

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
    with open(path, "wb") as fh, pd.ExcelWriter(fh, engine="openpyxl") as xl:
        for name in names:
            write_sheet(xl, name, tables[name])
        cols = dictionary()
        cols[cols.table.isin(names)].to_excel(xl, sheet_name="columns", index=False)
        xl.sheets["columns"].auto_filter.ref = xl.sheets["columns"].dimensions


def write_sheet(xl: pd.ExcelWriter, name: str, df: pd.DataFrame) -> None:
    """Table `name` as a sheet of `xl` (openpyxl): header frozen, filters, links, every
    string a text cell, columns as wide as their text (up to 60)."""
    sheet_frame(df).to_excel(xl, sheet_name=name[:31], index=False)
    ws = xl.sheets[name[:31]]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _links(ws)
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":  # openpyxl takes a string starting with '=' for a formula
                c.data_type = "s"
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col[:200] if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))


def _links(ws) -> None:
    """DOIs link to the article, paths to the file (as a reviewer checks them)."""
    head = {c.value: c.column_letter for c in ws[1]}
    for col, url in (("doi", lambda v: f"https://doi.org/{v}"), ("path", lambda v: Path(v).absolute().as_uri())):
        if col in head:
            for c in ws[head[col]][1:]:
                if isinstance(c.value, str) and c.value:
                    c.hyperlink, c.style = url(c.value), "Hyperlink"
