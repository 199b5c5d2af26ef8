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
