"""The sample corpus: PDFs are reproducible and say what their truth files claim.

These tests read the shipped PDFs with pdfplumber (no ../shared data needed), so the
ground truth the extractors are scored against is itself checked against the pages.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TRUTHS = sorted((CORPUS / "truth").glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def column_text(pdf, layout: str) -> str:
    """Body text read column by column: furniture, captions and superscripts (all set in
    small type) dropped, line-end hyphens rejoined, spaces collapsed. Page 1 is also read
    whole, for its full-width abstract."""
    parts = []
    for page in pdf.pages:
        page = page.filter(lambda o: o.get("object_type") != "char" or o["size"] >= 9)
        if layout != "single" and page.page_number == 1:
            parts.append(page.extract_text() or "")
        halves = [page] if layout == "single" else [
            page.crop((0, 0, page.width / 2, page.height)), page.crop((page.width / 2, 0, page.width, page.height))]
        parts += [h.extract_text() or "" for h in halves]
    text = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", "\n".join(parts))
    return " ".join(text.split())


def superscript_runs(pdf) -> Counter:
    """Runs of characters printed smaller than, and raised above, the character before them."""
    runs: Counter = Counter()
    for page in pdf.pages:
        chars = [c for c in page.chars if c["text"].strip()]
        cur, base = "", None
        for prev, c in zip([None] + chars, chars):
            if prev is not None and base is None and c["size"] < prev["size"] * 0.8 \
                    and c["bottom"] < prev["bottom"] - 1 and abs(c["x0"] - prev["x1"]) < 3:
                base, cur = prev, c["text"]
            elif base is not None and c["size"] < base["size"] * 0.8 and abs(c["x0"] - prev["x1"]) < 3 \
                    and abs(c["top"] - prev["top"]) < 1:
                cur += c["text"]
            else:
                if cur:
                    runs[cur] += 1
                cur, base = "", None
        if cur:
            runs[cur] += 1
    return runs


def test_corpus_is_there():
    assert len(TRUTHS) == 6
    for t in TRUTHS:
        assert (CORPUS / f"{t.stem}.pdf").exists()


def test_regeneration_is_deterministic_and_up_to_date(tmp_path):
    """Two fresh runs give identical bytes; the shipped truth and PDF text match them.
    (PDF bytes are compared run to run, not with the shipped files, so another reportlab
    release that changes only the byte stream does not fail the test.)"""
    pytest.importorskip("reportlab")
    for out in ("a", "b"):
        subprocess.run([sys.executable, str(CORPUS / "make_corpus.py"), str(tmp_path / out)], check=True,
                       capture_output=True)
    for t in TRUTHS:
        a, b = tmp_path / "a" / f"{t.stem}.pdf", tmp_path / "b" / f"{t.stem}.pdf"
        assert a.read_bytes() == b.read_bytes(), t.stem
        assert (tmp_path / "a" / "truth" / t.name).read_bytes() == t.read_bytes(), t.name
        with pdfplumber.open(a) as fresh, pdfplumber.open(CORPUS / f"{t.stem}.pdf") as shipped:
            assert [p.extract_text() for p in fresh.pages] == [p.extract_text() for p in shipped.pages]


@pytest.mark.parametrize("truth_path", TRUTHS, ids=lambda p: p.stem)
def test_pdf_matches_truth(truth_path):
    t = load(truth_path)
    with pdfplumber.open(CORPUS / f"{t['stem']}.pdf") as pdf:
        assert len(pdf.pages) == t["n_pages"] >= 3
        assert pdf.metadata["Title"] == t["title"]
        assert pdf.metadata["Author"].startswith(t["authors"][0])
        first = " ".join(pdf.pages[0].extract_text().split())
        assert t["doi"] in first
        first_page = int(t["pages"].split("-")[0])
        for i, page in enumerate(pdf.pages):  # running header and page number on every page
            text = page.extract_text()
            assert t["journal"] in text
            assert f"{t['year']}; {t['volume']}({t['issue']})" in text
            assert re.search(rf"(^|Page ){first_page + i}$", text, re.M)
        body = column_text(pdf, t["layout"])
        for heading in t["section_headings"]:
            assert heading in body
        case = t["case"]
        for span in [x["text"] for x in case["timings"] + case["treatments"] + case["causes"]]:
            assert " ".join(span.split()) in body, span
        if t["citation_style"] == "super":
            runs = superscript_runs(pdf)
            wanted = Counter(c["marker"] for c in t["citations"])
            assert not wanted - runs, wanted - runs
        else:
            for c in t["citations"]:
                assert c["marker"] in body


def test_reference_lists_and_shared_works():
    truths = [load(p) for p in TRUTHS]
    dois = Counter(r["doi"] for t in truths for r in t["references"] if r["doi"] and not r["duplicate_of"])
    assert sum(1 for n in dois.values() if n >= 2) >= 3  # works cited by several reports
    own = {t["doi"] for t in truths}
    assert any(r["doi"] in own for t in truths for r in t["references"])  # an in-corpus citation edge
    assert any(r["duplicate_of"] for t in truths for r in t["references"])
    for t in truths:
        assert 8 <= t["n_references"] == len(t["references"]) <= 20
        cited = {n for c in t["citations"] for n in c["refs"]}
        assert cited == set(range(1, t["n_references"] + 1))


def test_sample_citation_markers():
    markers = {c["marker"] for p in TRUTHS for c in load(p)["citations"]}
    assert {"7-13", "7,8", "[1]", "[2, 5\u20137]"} <= markers
    assert any(re.fullmatch(r"\([A-Z][a-z]+ et al\., \d{4}\)", m) for m in markers)


def test_case_facts_cover_the_brief():
    cases = {p.stem: load(p)["case"] for p in TRUTHS}
    sts = [tr for c in cases.values() for tr in c["treatments"]
           if tr["treatment"] == "sodium thiosulfate" and tr["status"] == "given"]
    assert sts and sts[0]["response_pct"] == 40 and sts[0]["sessions"] and sts[0]["dose"]
    outcomes = {tr["outcome"] for c in cases.values() for tr in c["treatments"]}
    assert {"worsened", "recurred", "resolved", "improved"} <= outcomes
    statuses = {tr["status"] for c in cases.values() for tr in c["treatments"]}
    assert {"given", "declined", "recommended", "considered"} <= statuses
