"""The run as a user sees it: a folder in, tables out, bad input recorded and survived."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import sample_pdfs
import extract
from extract.stages import RunConfig
from extract.run.process import process_document


def _make_bad_inputs(folder: Path) -> dict[str, str]:
    """Each kind of bad input the issue names, made here; maps file name -> error_type."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    good = sample_pdfs()[0].read_bytes()
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (folder / "random.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "notes.pdf").write_text("this is a text file with a .pdf name\n")
    c = canvas.Canvas(str(folder / "encrypted.pdf"),
                      encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(72, 720, "Confidential case report text that nobody can read without the password.")
    c.save()
    c = canvas.Canvas(str(folder / "image_only.pdf"))
    for _ in range(2):
        c.rect(72, 300, 400, 300, fill=1)  # a scanned page: pictures, no text layer
        c.showPage()
    c.save()
    (folder / "zero_pages.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")
    return {"truncated.pdf": "corrupt", "random.pdf": "corrupt", "notes.pdf": "not_pdf",
            "encrypted.pdf": "encrypted", "image_only.pdf": "no_text_layer", "zero_pages.pdf": "empty"}


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    expected = _make_bad_inputs(folder)
    for pdf in sample_pdfs()[:2]:
        shutil.copy(pdf, folder / pdf.name)
    out = tmp_path_factory.mktemp("out")
    return extract.run(folder, out), expected, folder, out


def test_each_bad_input_is_an_error_row_and_the_run_goes_on(mixed_run):
    corpus, expected, _, _ = mixed_run
    errors = corpus.errors
    got = {Path(p).name: t for p, t in zip(errors.path, errors.error_type)}
    for name, kind in expected.items():
        if name == "truncated.pdf":  # pdfminer may still read a few pages of a cut file
            assert got.get(name) in (None, "corrupt", "no_text_layer"), got.get(name)
        else:
            assert got.get(name) == kind, (name, got.get(name))
    assert errors.message.notna().all() and (errors.message.str.len() > 5).all()
    docs = corpus.documents
    ok = docs[docs.status == "ok"]
    assert {Path(p).name for p in ok.path} >= {p.name for p in sample_pdfs()[:2]}
    assert set(docs[docs.status == "error"].path.map(lambda p: Path(p).name)) == set(got)


def test_outputs_written_parquet_csv_duckdb_text(mixed_run):
    corpus, _, _, out = mixed_run
    for name in ("documents", "sections", "errors"):
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
    con = duckdb.connect(str(out / "casemine.duckdb"), read_only=True)
    n = con.execute("select count(*) from sections").fetchone()[0]
    con.close()
    assert n == len(corpus.sections) > 0
    ok = corpus.documents[corpus.documents.status == "ok"]
    for doc_id in ok.doc_id:
        text = (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        secs = corpus.sections[corpus.sections.doc_id == doc_id]
        for _, s in secs.iterrows():  # section offsets point into the written text
            assert text[s.char_start:s.char_end].strip() == s.text
    csv = pd.read_csv(out / "documents.csv")
    assert csv.authors.dropna().str.contains("; ").any()
    umask = os.umask(0)
    os.umask(umask)
    for f in (out / "documents.parquet", out / "casemine.duckdb", next((out / "text").glob("*.txt"))):
        assert f.stat().st_mode & 0o777 == 0o666 & ~umask  # ordinary files, not mkstemp's private ones


def test_load_round_trip_gives_the_same_frames(mixed_run):
    corpus, _, _, out = mixed_run
    again = extract.load(out)
    for name in ("documents", "sections", "errors"):
        pd.testing.assert_frame_equal(corpus.tables[name].reset_index(drop=True),
                                      again.tables[name].reset_index(drop=True), check_dtype=False)


def test_max_pages_guard_records_too_large():
    res = process_document(sample_pdfs()[0], RunConfig(max_pages=1))
    assert res.failed and res.records["errors"][0]["error_type"] == "too_large"


def test_cli_exit_status_and_logs_not_on_terminal(mixed_run, tmp_path):
    _, _, folder, _ = mixed_run
    out = tmp_path / "cli"
    r = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(folder), "-o", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1  # some documents failed
    assert "documents" in r.stderr and "error(s)" in r.stderr
    assert "pdfminer" not in r.stderr.lower() and "warning" not in r.stderr.lower()
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(sample_pdfs()[0], good)
    r = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(good), "-o", str(tmp_path / "o2")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
