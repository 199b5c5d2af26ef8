"""Shared fixtures: the bundled sample corpus and the optional ../shared data."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("CASEMINE_SHARED", ROOT.parent / "shared"))
PDF_JATS = SHARED / "data" / "pdf_jats"


def sample_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf"))


def truth(pdf: Path) -> dict:
    return json.loads((CORPUS / "truth" / f"{pdf.stem}.json").read_text())


def shared_pdf(pmcid: str) -> Path:
    p = PDF_JATS / pmcid / "fulltext.pdf"
    if not p.exists():
        pytest.skip(f"../shared/data/pdf_jats/{pmcid} is not available (shared data absent)")
    return p


@pytest.fixture(scope="session")
def sample_docs():
    from extract import read_pdf
    return {p.stem: read_pdf(p) for p in sample_pdfs()}


def make_doc(parts: list[tuple[str, str]], markers: list[tuple[str, str]] = ()):
    """A one-page Document from (section kind, text) parts, for stage tests on text written
    in the test; `markers` are (marker, text just before it) pairs marking superscript
    citations."""
    from extract.document import Document, Marker, Section, TextPiece

    text, sections = "", []
    for i, (kind, body) in enumerate(parts):
        start = len(text)
        text += body + "\n\n"
        sections.append(Section(i, None if kind == "title" else kind.title(), kind, 1, start,
                                start + len(body), body))
    marks = []
    for m, before in markers:
        at = text.index(before + m) + len(before)
        marks.append(Marker("sup", m, at, at + len(m), 1))
    return Document("d1", "x.pdf", "0" * 64, 1, text, sections=sections, markers=marks,
                    pieces=[TextPiece(0, len(text), 1, (0, 0, 500, 700))])
