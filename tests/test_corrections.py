"""The reviewer's corrections: applied by every run and by `load`, kept across re-runs,
reported when their row is gone, and harvested from edits made in the workbook."""
from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

import extract
from conftest import ROOT, sample_pdfs
from extract.outputs.corrections import CorrectionsError, harvest, read_corrections, write_corrections
from extract.stages import RunConfig


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdfs")
    for pdf in sample_pdfs()[:2]:
        shutil.copy(pdf, d / pdf.name)
    return d


@pytest.fixture(scope="module")
def first_run(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return extract.run(folder, out), out


def _given(corpus) -> tuple[str, str]:
    """A document and the row_key of one treatment given in its case."""
    t = corpus.treatments
    row = t[(t.scope == "case") & (t.status == "given")].iloc[0]
    return row.doc_id, row.row_key


def test_row_keys_name_rows_by_content_and_survive_a_rerun(first_run, folder, tmp_path):
    corpus, _ = first_run
    t = corpus.treatments
    assert t.row_key.notna().all()
    assert not t.duplicated(["doc_id", "row_key"]).any()
    assert (t.row_key == t.treatment + " | " + t.scope).all()
    again = extract.run(folder, tmp_path / "again")
    pd.testing.assert_series_equal(again.treatments.row_key, t.row_key)


def test_corrections_apply_to_every_output_and_survive_a_rerun(first_run, folder, tmp_path):
    corpus, _ = first_run
    doc_id, key = _given(corpus)
    old_age = corpus.cases.loc[corpus.cases.doc_id == doc_id, "age_years"].iloc[0]
    fix = tmp_path / "corrections.csv"
    pd.DataFrame([
        dict(doc_id=doc_id, table="treatments", key=key, column="outcome", value="worsened",
             reviewer="RB", note="p. 3 says it got worse"),
        dict(doc_id=doc_id, table="cases", key="0", column="age_years", value=str(old_age + 7), reviewer="RB"),
        dict(doc_id=doc_id, table="treatments", key="no such drug | case", column="dose", value="1 g"),
    ]).to_csv(fix, index=False)
    out = tmp_path / "out"
    run = extract.run(folder, out, cfg=RunConfig(corrections=str(fix)))

    def check(c, age):
        t = c.treatments
        row = t[(t.doc_id == doc_id) & (t.row_key == key)].iloc[0]
        assert row.outcome == "worsened" and list(row.corrected) == ["outcome"]
        case = c.cases[c.cases.doc_id == doc_id].iloc[0]
        assert case.age_years == age and list(case.corrected) == ["age_years"]
        assert sorted(c.corrections.status) == ["applied", "applied", "missing"]

    check(run, old_age + 7)
    assert any("no such drug" in w for w in run.warnings)
    check(extract.load(out), old_age + 7)
    con = duckdb.connect(str(out / "casemine.duckdb"))
    assert con.execute("SELECT outcome FROM treatments WHERE doc_id = ? AND row_key = ?",
                       [doc_id, key]).fetchone()[0] == "worsened"
    csv = pd.read_csv(out / "treatments.csv")
    assert csv.loc[(csv.doc_id == doc_id) & (csv.row_key == key), "corrected"].item() == "outcome"
    # a re-run without --corrections reads the same file again, with the reviewer's latest edit
    pd.read_csv(fix).assign(value=["worsened", str(old_age + 8), "1 g"]).to_csv(fix, index=False)
    rerun = extract.run(folder, out)
    check(rerun, old_age + 8)
    assert fix.exists()  # the reviewer's file is never rewritten


def test_load_applies_another_file_in_place_of_the_runs(first_run, tmp_path):
    corpus, out = first_run
    doc_id, key = _given(corpus)
    n = len(corpus.treatments)
    fix = tmp_path / "fix.yaml"
    fix.write_text(f"""
- {{doc_id: {doc_id}, table: treatments, key: "{key}", action: drop, reviewer: RB, note: a literature mention}}
- doc_id: {doc_id}
  table: treatments
  key: topical timolol | case
  values: {{treatment: topical timolol, status: given, scope: case, kind: drug, outcome: improved}}
""", encoding="utf-8")
    one = extract.load(out, corrections=fix)
    t = one.treatments
    assert len(t) == n  # one dropped, one added
    assert not ((t.doc_id == doc_id) & (t.row_key == key)).any()
    added = t[t.row_key == "topical timolol | case"].iloc[0]
    assert added.doc_id == doc_id and added.outcome == "improved" and list(added.corrected) == ["(added)"]
    assert added.treatment_id == corpus.treatments.loc[corpus.treatments.doc_id == doc_id, "treatment_id"].max() + 1
    # another file replaces this one exactly: the dropped row is back where it was, the added one gone
    empty = tmp_path / "none.csv"
    write_corrections(pd.DataFrame(columns=["doc_id", "table", "key"]), empty)
    back = extract.load(out, corrections=empty)
    pd.testing.assert_frame_equal(back.treatments.drop(columns="corrected"),
                                  corpus.treatments.reset_index(drop=True))
    # and the run's own outputs were not touched
    pd.testing.assert_frame_equal(extract.load(out).treatments, corpus.treatments)


def test_bad_corrections_file_is_one_clear_error(first_run, tmp_path):
    _, out = first_run
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,table,key,column,value,verdict\nx,cases,0,sex,male,yes\n")
    with pytest.raises(CorrectionsError, match="unknown column.*verdict"):
        read_corrections(bad)
    bad.write_text("doc_id,table,key,column,value,action\nx,cases,0,sex,male,fix\n")
    with pytest.raises(CorrectionsError, match="correction 1: action must be"):
        read_corrections(bad)
    r = subprocess.run([sys.executable, "-m", "extract.cli", "corrections", "apply", str(out), "--corrections",
                        str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "action must be" in r.stderr


def test_workbook_edits_harvested_into_corrections(first_run, tmp_path):
    from openpyxl import load_workbook

    from extract.outputs.excel import write_workbook

    corpus, out = first_run
    book = tmp_path / "casemine.xlsx"
    write_workbook(corpus.tables, book)
    wb = load_workbook(book)
    cases, treat = wb["cases"], wb["treatments"]
    head = {c.value: c.column for c in cases[1]}
    cases.cell(row=2, column=head["sex"]).value = "female" if cases.cell(row=2, column=head["sex"]).value == "male" \
        else "male"
    th = {c.value: c.column for c in treat[1]}
    dropped = (treat.cell(row=3, column=th["doc_id"]).value, treat.cell(row=3, column=th["row_key"]).value)
    treat.delete_rows(3)
    new = treat.max_row + 1
    for col, v in dict(doc_id=dropped[0], treatment="oral colchicine", scope="case", status="given").items():
        treat.cell(row=new, column=th[col]).value = v
    wb.save(book)
    rows = harvest(book, corpus.tables, reviewer="RB")
    got = {(r.table, r.action, r.column) for r in rows.itertuples()}
    assert got == {("cases", "set", "sex"), ("treatments", "drop", None), ("treatments", "add", "treatment"),
                   ("treatments", "add", "scope"), ("treatments", "add", "status")}
    fix = write_corrections(rows, tmp_path / "harvested.csv")
    c = extract.load(out, corrections=fix)
    t = c.treatments
    assert not ((t.doc_id == dropped[0]) & (t.row_key == dropped[1])).any()
    assert ((t.row_key == "oral colchicine | case") & (t.status == "given")).sum() == 1
    assert c.cases.sex.iloc[0] != corpus.cases.sex.iloc[0]
    # the CLI writes the same rows to a file, and adds none twice
    to = tmp_path / "cli.csv"
    for _ in range(2):
        r = subprocess.run([sys.executable, "-m", "extract.cli", "corrections", "harvest", str(book), "-o", str(out),
                            "--to", str(to)], capture_output=True, text=True, cwd=ROOT)
        assert r.returncode == 0, r.stderr
    assert len(read_corrections(to)) == len(rows)
