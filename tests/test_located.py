"""Writing proportional to what changed: the workers keep what the report needs of each PDF,
a report after PDFs are added reads none again, and it is the report a run from scratch
writes, file for file, and the one the report writes alone, reading every PDF."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from conftest import sample_pdfs
import extract
from extract.outputs import located
from extract.outputs.annotate import spans, stored_text
from extract.outputs import plots
from extract.outputs.located import PLOTS, PageStore
from extract.run.pipeline import write_extras

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


def test_workers_keep_the_pages_so_adding_pdfs_reads_none_again_and_the_report_is_a_fresh_ones(
        tmp_path, reads):
    pdfs = sample_pdfs()[:3]
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in pdfs[:2]:
        shutil.copy(pdf, folder / pdf.name)
    out = tmp_path / "out"
    first = extract.run(folder, out, extras=EXTRAS)
    assert reads == []  # the workers placed the spans while they held each PDF
    assert {"tables", "report documents", "report plots", "report corpus"} <= set(first.seconds)
    shutil.copy(pdfs[2], folder / pdfs[2].name)
    added = extract.run(folder, out, extras=EXTRAS)
    new = set(added.documents.doc_id) - set(first.documents.doc_id)
    assert len(new) == 1 and reads == []

    fresh = tmp_path / "fresh"
    corpus = extract.run(folder, fresh, extras=EXTRAS)
    _same_report(out, fresh)
    shutil.rmtree(fresh / ".parts" / "pages")  # what the report finds alone, reading every PDF
    write_extras(corpus, fresh, EXTRAS)
    assert sorted(reads) == sorted(added.documents.doc_id)
    _same_report(out, fresh)

    for pdf in folder.iterdir():  # documents gone: their boxes and images go too
        if pdf.name != pdfs[2].name:
            pdf.unlink()
    extract.run(folder, out, extras=EXTRAS)
    assert sorted(p.name for p in (out / ".parts" / "pages").iterdir()) == [PLOTS] + sorted(new)  # plots kept


def _same_report(a: Path, b: Path) -> None:
    report, again = a / "report", b / "report"
    assert _files(report) == _files(again)
    assert any(p.suffix == ".png" and p.parent.name == "pages" for p in _files(report))
    for f in _files(report):
        assert filecmp.cmp(report / f, again / f, shallow=False), f


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


def test_annotated_copies_are_written_once_and_kept(tmp_path, reads):
    from extract.outputs.located import annotate_pdfs

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_pdfs()[0], folder / "a.pdf")
    out = tmp_path / "out"
    corpus = extract.run(folder, out)
    store = tmp_path / "store"
    first = annotate_pdfs(corpus, out, PageStore(store, "v1"))
    (dest,) = first.values()
    stamp = dest.stat().st_mtime_ns
    assert annotate_pdfs(corpus, out, PageStore(store, "v1")) == first
    assert dest.stat().st_mtime_ns == stamp and len(reads) == 1  # neither read nor written again
    dest.unlink()
    annotate_pdfs(corpus, out, PageStore(store, "v1"))
    assert dest.is_file() and len(reads) == 1


def test_document_pages_are_kept_and_rendered_again_only_when_what_they_show_changed(tmp_path, monkeypatch):
    from extract.outputs.report import write_report

    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in sample_pdfs()[:2]:
        shutil.copy(pdf, folder / pdf.name)
    out = tmp_path / "out"
    corpus = extract.run(folder, out, extras=EXTRAS)
    rendered: list[str] = []
    real = PageStore.keep_page
    monkeypatch.setattr(PageStore, "keep_page", lambda self, doc_id, *a: (rendered.append(doc_id), real(self, doc_id, *a)))
    drawn: list[str] = []
    save = plots._save
    monkeypatch.setattr(plots, "_save", lambda fig, path: (drawn.append(path.name), save(fig, path))[1])
    write_extras(corpus, out, EXTRAS)
    assert rendered == [] and drawn == []  # nothing changed: every page and plot is the one kept
    assert (out / "report" / "plots" / "citation_graph.png").is_file()
    works = corpus.tables["works"].copy()
    works["times_cited_in_corpus"] += 1  # as another document citing every work would
    corpus.tables["works"] = works
    write_extras(corpus, out, EXTRAS)
    assert rendered == [] and "most_cited_works.png" in drawn  # the pages take the counts as written
    docs = corpus.tables["documents"].copy()
    changed = docs.doc_id.iloc[1]
    docs.loc[docs.index[1], "title"] = "A title a reviewer corrected"
    corpus.tables["documents"] = docs
    write_extras(corpus, out, EXTRAS)
    assert rendered == [changed]
    alone = tmp_path / "alone"  # the same report rendered from scratch, nothing kept
    write_report(corpus, alone)
    _same_report(out, alone)


def test_page_characters_read_by_code_are_what_pdfiums_text_calls_give():
    """`_page_chars` reads a character by its code and asks pdfium's text buffer only for
    control codes: on every page of a sample PDF it gives what the per-character text and
    loose-box calls give (a character outside the text order or half of a pair is blank)."""
    import pypdfium2 as pdfium

    from extract.outputs.annotate import OpenPdf, _page_chars

    path, read = sample_pdfs()[0], 0
    with OpenPdf(path) as pdf:
        for number in range(1, len(pdfium.PdfDocument(path)) + 1):
            page = pdf.page(number)
            tp, height, expected = page.get_textpage(), page.get_height(), []
            for i in range(tp.count_chars()):
                ch = tp.get_text_range(i, 1)
                if len(ch) == 1 and ch.strip() and not 0xD800 <= ord(ch) <= 0xDFFF:
                    left, bottom, right, top = tp.get_charbox(i, loose=True)
                    expected.append((ch, left, height - top, right, height - bottom))
            tp.close()
            assert list(_page_chars(page)) == expected
            read += len(expected)
    assert read > 1000


def test_page_images_keep_every_pixel_of_the_rendering(tmp_path):
    """A page image written by `_render` (rows filtered "Up", modulo 256) decodes to the very
    pixels pdfium rendered, at the size it returns."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    path = sample_pdfs()[0]
    size = located._render(path, 1, tmp_path / "p.png")
    page = pdfium.PdfDocument(path)[0]
    scale = min(located.PAGE_SCALE, located.MAX_PAGE_PIXELS / max(*page.get_size(), 1))
    rendered = np.asarray(page.render(scale=scale, grayscale=True).to_pil())
    img = Image.open(tmp_path / "p.png")
    assert img.mode == "L" and list(img.size) == size == [rendered.shape[1], rendered.shape[0]]
    assert np.array_equal(np.asarray(img), rendered)
    ramp = np.array([[0, 255, 3], [255, 0, 7], [1, 254, 7]], dtype=np.uint8)  # differences that wrap
    (tmp_path / "r.png").write_bytes(located._png(ramp))
    assert np.array_equal(np.asarray(Image.open(tmp_path / "r.png")), ramp)


def test_pdfs_read_again_with_the_collector_paused_leave_one_readings_cycles_at_most():
    import gc

    import pandas as pd

    from extract.outputs.annotate import read_located

    pdf = sample_pdfs()[0]

    class Run:
        tables = {"documents": pd.DataFrame({"doc_id": ["a"], "path": [str(pdf)]})}

    gc.collect()
    gc.disable()
    try:
        read_located(Run(), "a")
        one = gc.collect()  # what one reading leaves behind
        for _ in range(3):
            assert read_located(Run(), "a") is not None
        assert one > 0 and gc.collect() < 2 * one  # the last reading's, not all three
    finally:
        gc.enable()
