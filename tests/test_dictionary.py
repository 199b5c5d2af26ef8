"""The data dictionary: every column of every table a run writes is described once, and
the three renderings (docs/tables.md, the workbook's columns sheet, `casemine tables`)
come from it."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

import extract
from conftest import ROOT, sample_pdfs
from extract.outputs.dictionary import TABLES, columns_of, dictionary, markdown
from extract.stages import RunConfig


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(sample_pdfs()[0], folder)
    fix = folder.parent / "fix.csv"
    fix.write_text("doc_id,table,key,column,value\nnone,cases,0,sex,male\n")
    out = tmp_path_factory.mktemp("out")
    corpus = extract.run(folder, out, cfg=RunConfig(corrections=str(fix)))
    from extract.outputs.excel import write_workbook
    write_workbook(corpus.tables, out / "casemine.xlsx")
    return corpus, out


def test_every_column_written_is_described_in_order(run):
    corpus, _ = run
    assert set(TABLES) <= set(corpus.tables)
    for name in TABLES:
        assert list(corpus[name].columns) == list(columns_of(name)), name
    d = dictionary()
    assert d.description.notna().all() and (d.description.str.len() > 3).all()
    assert not d.duplicated(["table", "column"]).any()


def test_docs_tables_md_is_the_dictionary_rendered():
    assert (ROOT / "docs" / "tables.md").read_text(encoding="utf-8") == markdown(), \
        "docs/tables.md is stale: regenerate it with `casemine tables --markdown > docs/tables.md`"


def test_workbook_has_columns_sheet_filters_and_links(run):
    corpus, out = run
    wb = load_workbook(out / "casemine.xlsx")
    cols = wb["columns"]
    rows = list(cols.iter_rows(min_row=2, values_only=True))
    assert ("cases", "condition", "string", "The report's diagnosis.") in rows
    docs = wb["documents"]
    assert docs.auto_filter.ref and wb["cases"].auto_filter.ref
    head = {c.value: c.column for c in docs[1]}
    doi = docs.cell(row=2, column=head["doi"])
    assert doi.hyperlink.target == f"https://doi.org/{corpus.documents.doi.iloc[0]}"
    assert docs.cell(row=2, column=head["path"]).hyperlink.target.startswith("file:///")


def test_cli_prints_a_table_and_refuses_an_unknown_one():
    r = subprocess.run([sys.executable, "-m", "extract.cli", "tables", "treatments"], capture_output=True,
                       text=True, cwd=ROOT, env={"COLUMNS": "200", "PATH": ""})
    assert r.returncode == 0 and "given | declined | recommended" in r.stdout
    r = subprocess.run([sys.executable, "-m", "extract.cli", "tables", "nothing"], capture_output=True, text=True,
                       cwd=ROOT)
    assert r.returncode == 2 and "no table 'nothing'" in r.stderr
