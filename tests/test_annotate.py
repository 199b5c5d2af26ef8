"""Annotated PDFs: one highlight per extracted span and page, read back with pypdf."""
from __future__ import annotations

import shutil

import pandas as pd
import pdfplumber
import pytest
from pypdf import PdfReader

import extract
from extract.outputs.annotate import PARTS, boxes, colour, read_located, spans, stored_text
from extract.outputs.located import annotate_pdfs
from extract.run.pipeline import Corpus

from conftest import sample_pdfs


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    for pdf in sample_pdfs()[:2]:
        shutil.copy(pdf, folder / pdf.name)
    out = tmp_path_factory.mktemp("out")
    return extract.run(folder, out), out


@pytest.fixture(scope="module")
def annotated(run):
    corpus, out = run
    return annotate_pdfs(corpus, out)


def _highlights(path):
    reader = PdfReader(path)
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            a = ref.get_object()
            if a.get("/Subtype") == "/Highlight":
                found.append((number, a))
    return found


def test_one_pdf_per_document(run, annotated):
    corpus, out = run
    assert set(annotated) == set(corpus.documents["doc_id"])
    for path in annotated.values():
        assert path.parent == out / "annotated" and path.name.endswith(".annotated.pdf")
        assert len(PdfReader(path).pages) >= 1


def test_highlights_count_against_rows(run, annotated):
    corpus, _ = run
    all_spans = spans(corpus)
    for doc_id, path in annotated.items():
        mine = all_spans[all_spans["doc_id"] == doc_id]
        # every timing and citation row of the document is a span
        for table in ("timings", "citations"):
            assert (mine["table"] == table).sum() == (corpus.tables[table]["doc_id"] == doc_id).sum()
        located = boxes(read_located(corpus, doc_id), mine, stored_text(corpus, doc_id))
        expected = sorted((page, f"casemine:{t}:{r}") for sid, t, r in
                          zip(mine["span_id"], mine["table"], mine["row"])
                          for page in {p for p, _ in located[sid]})
        got = sorted((page, str(a["/NM"])) for page, a in _highlights(path))
        assert len(got) > 20
        assert got == expected
        # nearly every span could be placed (only text changed since the run is skipped)
        assert sum(bool(b) for b in located.values()) >= 0.95 * len(mine)


def test_notes_and_colours(run, annotated):
    corpus, _ = run
    timings = corpus.tables["timings"]
    kind_of = {f"casemine:{t}:{r}": k for t, r, k in spans(corpus)[["table", "row", "kind"]].values}
    for doc_id, path in annotated.items():
        for _, a in _highlights(path):
            name = str(a["/NM"])
            kind = kind_of[name]
            assert [round(float(c) * 255) for c in a["/C"]] == \
                [int(colour(kind)[i:i + 2], 16) for i in (0, 2, 4)]
            note = str(a["/Contents"])
            assert note.startswith(f"{kind}: ")
            _, table, row = name.split(":")
            if table == "timings":
                t = timings.iloc[int(row)]
                assert t["doc_id"] == doc_id
                if isinstance(t["value"], str):
                    assert f"value={t['value']}" in note
            elif table == "citations":
                assert "-> ref" in note


def test_highlight_sits_on_its_text(run, annotated):
    """The words under a timing's highlight (the line band it covers) contain the span."""
    corpus, _ = run
    timings = corpus.tables["timings"]
    checked = 0
    for doc_id, path in annotated.items():
        with pdfplumber.open(path) as pdf:
            for number, a in _highlights(path):
                _, table, row = str(a["/NM"]).split(":")
                if table != "timings":
                    continue
                t = timings.iloc[int(row)]
                if t["page"] != number:  # a span running onto the next page
                    continue
                x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
                page = pdf.pages[number - 1]
                band = page.crop((max(0, x0 - 60), page.height - y1, min(page.width, x1 + 60),
                                  page.height - y0), strict=False)
                words = "".join((band.extract_text() or "").split())
                assert t["text"].split()[0] in words, (t["text"], words)
                checked += 1
    assert checked > 20


def test_missing_pdf_is_skipped(run, tmp_path):
    corpus, out = run
    docs = corpus.documents.copy()
    docs["path"] = str(tmp_path / "gone.pdf")
    moved = Corpus(dict(corpus.tables, documents=docs), out)
    assert annotate_pdfs(moved, tmp_path) == {}


def test_changed_text_gets_no_box(run):
    corpus, _ = run
    doc_id = corpus.documents["doc_id"].iloc[0]
    mine = spans(corpus)
    mine = mine[mine["doc_id"] == doc_id]
    text = stored_text(corpus, doc_id)
    first = mine.iloc[0]
    a, b = int(first["char_start"]), int(first["char_end"])
    changed = text[:a] + "#" * (b - a) + text[b:]
    located = boxes(read_located(corpus, doc_id), mine, changed)
    assert first["span_id"] not in located
    assert len(located) == len(mine) - (mine["char_start"].lt(b) & mine["char_end"].gt(a)).sum()


EVIDENCE_TABLES = ("evidence", "subtypes", "treatments", "causes", "patients", "cases")


def test_evidence_table_replaces_its_parts(run):
    """With an `evidence` table the spans come from it (not again from treatments)."""
    corpus, out = run
    doc_id = corpus.documents["doc_id"].iloc[0]
    text = stored_text(corpus, doc_id)
    a = text.index(" was ") + 1
    row = dict(doc_id=doc_id, page=1, char_start=a, char_end=a + 3, sentence=None)
    treatments = pd.DataFrame([dict(row, treatment="drug B", status="given", outcome="improved")])
    evidence = pd.DataFrame([dict(row, evidence_id=0, kind="treatment", subject="drug B",
                                  predicate="given", object="drug", value=None, unit=None,
                                  cited_refs=[])])
    bare = {k: v for k, v in corpus.tables.items() if k not in EVIDENCE_TABLES}
    parts = spans(Corpus(dict(bare, treatments=treatments), out))
    both = spans(Corpus(dict(bare, treatments=treatments, evidence=evidence), out))
    assert parts[parts["kind"] == "treatment"]["table"].tolist() == ["treatments"]
    assert "status=given" in parts[parts["kind"] == "treatment"]["note"].iloc[0]
    picked = both[both["kind"] == "treatment"]
    assert picked["table"].tolist() == ["evidence"] and picked["value"].tolist() == ["drug B"]
    assert not both["table"].isin(PARTS).any()
    assert len(both) == len(parts) - parts["table"].isin(PARTS).sum() + 1
