"""Writing proportional to what changed: a report after PDFs are added reads only the new
PDFs again, and is the report a run from scratch writes, file for file."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from conftest import sample_pdfs
import extract
from extract.outputs import located
from extract.outputs.annotate import spans, stored_text
from extract.outputs.located import PageStore

EXTRAS = ("report",)


@pytest.fixture(autouse=True)
def _pinned_version(monkeypatch):
    monkeypatch.setenv("CASEMINE_PIPELINE_VERSION", "test-located")


@pytest.fixture
def reads(monkeypatch):
    """The doc_ids whose PDF the report reads again."""
    seen: list[str] = []
    real = located.read_located

    def counting(corpus, doc_id):
        seen.append(doc_id)
        return real(corpus, doc_id)

    monkeypatch.setattr(located, "read_located", counting)
    return seen


def _files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


def test_adding_pdfs_reads_only_the_new_ones_and_gives_the_report_of_a_fresh_run(tmp_path, reads):
    pdfs = sample_pdfs()[:3]
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in pdfs[:2]:
        shutil.copy(pdf, folder / pdf.name)
    out = tmp_path / "out"
    first = extract.run(folder, out, extras=EXTRAS)
    assert sorted(reads) == sorted(first.documents.doc_id)
    assert {"tables", "report documents", "report corpus"} <= set(first.seconds)
    reads.clear()
    shutil.copy(pdfs[2], folder / pdfs[2].name)
    added = extract.run(folder, out, extras=EXTRAS)
    new = set(added.documents.doc_id) - set(first.documents.doc_id)
    assert len(new) == 1 and reads == sorted(new)

    fresh = tmp_path / "fresh"
    extract.run(folder, fresh, extras=EXTRAS)
    report, again = out / "report", fresh / "report"
    assert _files(report) == _files(again)
    assert any(p.suffix == ".png" and p.parent.name == "pages" for p in _files(report))
    for f in _files(report):
        assert filecmp.cmp(report / f, again / f, shallow=False), f

    for pdf in folder.iterdir():  # documents gone: their boxes and images go too
        if pdf.name != pdfs[2].name:
            pdf.unlink()
    extract.run(folder, out, extras=EXTRAS)
    assert sorted(p.name for p in (out / ".parts" / "pages").iterdir()) == sorted(new)


def test_a_span_not_placed_before_or_another_version_reads_the_pdf_again(tmp_path, reads):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_pdfs()[0], folder / "a.pdf")
    corpus = extract.run(folder, tmp_path / "out")
    doc_id = corpus.documents.doc_id.iloc[0]
    mine = spans(corpus)
    mine = mine[mine.doc_id == doc_id]
    text = stored_text(corpus, doc_id)
    store = tmp_path / "store"
    placed = PageStore(store, "v1").place(corpus, doc_id, mine, text)
    assert any(placed.boxes.values()) and len(reads) == 1
    again = PageStore(store, "v1").place(corpus, doc_id, mine, text)  # a later report: kept
    assert again.boxes == placed.boxes and again.sizes == placed.sizes and len(reads) == 1
    moved = mine.copy()
    moved.loc[moved.index[0], "char_end"] -= 1
    PageStore(store, "v1").place(corpus, doc_id, moved, text)
    assert len(reads) == 2
    PageStore(store, "v2").place(corpus, doc_id, mine, text)
    assert len(reads) == 3
