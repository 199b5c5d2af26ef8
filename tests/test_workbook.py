"""The workbook's rows: written as openpyxl reads them back (types, text never a formula,
links, errors as openpyxl takes them), and kept per document so that a later workbook
serializes only the documents whose rows changed, to the same file contents."""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from extract.outputs import excel


def _tables(note: str = "seen") -> dict[str, pd.DataFrame]:
    docs = pd.DataFrame({"doc_id": ["d1", "d2"], "title": ["=HYPERLINK(\"x\")", "  padded "],
                         "doi": ["10.1/a&b", None], "n_pages": [3, 4], "score": [0.5, float("nan")]})
    notes = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "text": ["#N/A", "", note],
                          "negated": [True, False, False], "ids": [["a", "b"], [], ["c"]]})
    return {"documents": docs, "notes": notes}


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # its creation time aside


def test_cells_read_back_as_written(tmp_path):
    path = excel.write_workbook(_tables(), tmp_path / "w.xlsx")
    wb = load_workbook(path)
    docs, notes = wb["documents"], wb["notes"]
    assert [c.value for c in docs[1]] == ["doc_id", "title", "doi", "n_pages", "score"]
    assert docs["A1"].font.b and docs.freeze_panes == "A2" and docs.auto_filter.ref == "A1:E3"
    assert docs["B2"].value == '=HYPERLINK("x")' and docs["B2"].data_type == "s"  # text, not a formula
    assert docs["B3"].value == "  padded "
    assert docs["C2"].hyperlink.target == "https://doi.org/10.1/a&b" and docs["C3"].value is None
    assert docs["D2"].value == 3 and docs["E2"].value == 0.5 and docs["E3"].value is None
    assert [c.value for c in notes["B"]][1:] == ["#N/A", None, "seen"]
    assert notes["B2"].data_type == "e"  # as openpyxl itself writes such a string
    assert [c.value for c in notes["C"]][1:] == [True, False, False]
    assert [c.value for c in notes["D"]][1:] == ["a; b", None, "c"]


def test_kept_rows_give_the_same_file_and_only_changed_documents_are_serialized(tmp_path, monkeypatch):
    made = []
    serialize = excel.sheet_rows
    monkeypatch.setattr(excel, "sheet_rows", lambda values, *a: made.append(len(values)) or serialize(values, *a))
    store = tmp_path / "rows"
    fresh = _parts(excel.write_workbook(_tables(), tmp_path / "fresh.xlsx"))
    first = _parts(excel.write_workbook(_tables(), tmp_path / "first.xlsx", excel.RowStore(store)))
    made.clear()
    again = _parts(excel.write_workbook(_tables(), tmp_path / "again.xlsx", excel.RowStore(store)))
    assert fresh == first == again and made == []
    changed = _parts(excel.write_workbook(_tables("changed"), tmp_path / "changed.xlsx", excel.RowStore(store)))
    assert made == [1]  # d2's one note; d1's rows and the documents sheet were kept
    assert changed == _parts(excel.write_workbook(_tables("changed"), tmp_path / "plain.xlsx"))
    assert len(list(store.iterdir())) == 5  # 2 documents + 2 note runs + columns; d2's old rows gone


def test_the_ner_mentions_stay_out_of_the_workbook_and_its_columns_sheet(tmp_path):
    tables = _tables()
    tables["mentions"] = pd.DataFrame({"doc_id": ["d1"], "label": ["DISEASE"], "text": ["nodules"]})
    wb = load_workbook(excel.write_workbook(tables, tmp_path / "w.xlsx"))
    assert wb.sheetnames == ["documents", "notes", "columns"]
    assert "mentions" not in {row[0] for row in wb["columns"].iter_rows(min_row=2, values_only=True)}
    assert "documents" in {row[0] for row in wb["columns"].iter_rows(min_row=2, values_only=True)}


def test_a_character_xml_cannot_hold_is_refused_as_openpyxl_does(tmp_path):
    from openpyxl.utils.exceptions import IllegalCharacterError

    tables = _tables("bell \x07")
    with pytest.raises(IllegalCharacterError):
        excel.write_workbook(tables, tmp_path / "w.xlsx")
