"""Ingestion on real PDFs: the bundled sample corpus (whose truth files say what each PDF
holds) and a few of the shared real-world PDFs."""
from __future__ import annotations

import re

import pytest

from conftest import sample_pdfs, shared_pdf, truth
from extract import read_pdf
from extract.pdf.chars import chars_from_dicts
from extract.pdf.structure import normalise_heading


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_metadata_matches_truth(pdf, sample_docs):
    t, md = truth(pdf), sample_docs[pdf.stem].metadata
    assert md.title == t["title"]
    assert md.doi == t["doi"].lower()
    assert md.year == t["year"]
    assert md.first_author and md.first_author.split()[-1] == t["first_author"]
    assert len(md.authors) == len(t["authors"])
    assert md.journal == t["journal"]
    assert (md.volume, md.issue, md.pages) == (str(t["volume"]), str(t["issue"]), t["pages"])


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_section_headings_in_order_with_kinds(pdf, sample_docs):
    t, doc = truth(pdf), sample_docs[pdf.stem]
    got = [(normalise_heading(s.heading), s.kind) for s in doc.sections
           if s.heading and s.kind in ("introduction", "case", "methods", "results", "discussion",
                                       "conclusion", "references")]
    want = [(normalise_heading(s["heading"]), s["kind"]) for s in t["sections"]]
    assert [g for g in got if g[1] != "references"] == want
    assert got[-1][1] == "references"


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_reading_order_keeps_every_paragraph_whole(pdf, sample_docs):
    """Each truth paragraph appears verbatim: columns are not interleaved, paragraphs broken
    across columns and pages are rejoined, hyphenated line ends are repaired."""
    t, doc = truth(pdf), sample_docs[pdf.stem]
    text = squash(re.sub(r"\s+", " ", doc.text))
    missing = []
    for s in t["sections"]:
        for para in s["text"].split("\n\n"):
            if squash(para) not in text:
                missing.append(para[:80])
    assert not missing


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_a_paragraph_broken_across_columns_is_one_paragraph(pdf, sample_docs):
    """A paragraph broken at a column or page end, even right after a ';', is not split by a
    paragraph break: sentence splitting and the outcome rules then see its whole sentences."""
    t, doc = truth(pdf), sample_docs[pdf.stem]
    paragraphs = [squash(re.sub(r"\s+", " ", p)) for p in doc.text.split("\n\n")]
    split = [para[:80] for s in t["sections"] for para in re.split(r"\n+", s["text"])
             if not any(squash(para) in p for p in paragraphs)]
    assert not split


@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_running_heads_and_page_numbers_removed(pdf, sample_docs):
    t, doc = truth(pdf), sample_docs[pdf.stem]
    furniture = [ln.text for p in doc.pages for ln in p.furniture]
    assert sum(t["journal"] in f for f in furniture) >= t["n_pages"] - 1
    body = "\n".join(s.text for s in doc.sections if s.kind in ("introduction", "case", "discussion"))
    assert t["journal"] not in body
    first, last = map(int, t["pages"].split("-"))
    numbers = {re.sub(r"\D", "", f) for f in furniture if re.fullmatch(r"(Page )?\d+", f.strip())}
    assert numbers == {str(n) for n in range(first, last + 1)}


@pytest.mark.parametrize("pdf", [p for p in sample_pdfs() if truth(p)["citation_style"] == "super"],
                         ids=lambda p: p.stem)
def test_superscript_citations_are_marker_spans(pdf, sample_docs):
    t, doc = truth(pdf), sample_docs[pdf.stem]
    sups = [m.text for m in doc.markers if m.kind == "sup"]
    for c in t["citations"]:
        assert c["marker"] in sups, c
    # a marker span covers exactly its characters in the text, after the word it follows
    for m in doc.markers:
        assert doc.text[m.char_start:m.char_end] == m.text
    m = next(m for m in doc.markers if m.kind == "sup" and m.text == t["citations"][0]["marker"])
    assert doc.text[m.char_start - 1].isalpha() or doc.text[m.char_start - 1] in ".,;)"


def test_subscripts_are_marked(sample_docs):
    subs = {m.text for d in sample_docs.values() for m in d.markers if m.kind == "sub"}
    assert {"4", "2"} <= subs  # PO4, CO2


def test_line_end_hyphenation_repaired_real_hyphens_kept(sample_docs):
    text = " ".join(d.text for d in sample_docs.values())
    assert "hyperparathyroidism" in text and "hyperpara- thyroidism" not in text
    assert "lymphadenopathy" in text and "immunosuppressive" in text
    assert "X-ray" in text and "48-72 hours" in text


def test_ligatures_and_offsets_map_back_to_the_page(sample_docs):
    chars = [{"text": "\ufb01", "x0": 10, "x1": 16, "top": 10, "bottom": 20, "size": 10, "fontname": "F"},
             {"text": "x", "x0": 16, "x1": 20, "top": 10, "bottom": 20, "size": 10, "fontname": "F"}]
    assert "".join(c.text for c in chars_from_dicts(chars, 100, 100)) == "fix"
    doc = next(iter(sample_docs.values()))
    start = doc.text.index(doc.metadata.title)
    boxes = doc.locate(start, start + len(doc.metadata.title))
    assert boxes and all(page == 1 for page, _ in boxes)
    assert all(0 <= b[0] < b[2] <= doc.pages[0].width and 0 <= b[1] < b[3] for _, b in boxes)


def test_captions_and_tables_are_floats_not_body(sample_docs):
    doc = sample_docs["calciphylaxis_sts_2023"]
    kinds = {s.kind for s in doc.sections}
    assert {"caption", "table"} <= kinds
    body = " ".join(s.text for s in doc.sections if s.kind in ("case", "discussion"))
    assert "Cumulative sessions" not in body and "Figure 1." not in body


def test_doc_id_is_stable_and_from_sha256(sample_docs):
    pdf = sample_pdfs()[0]
    again = read_pdf(pdf)
    assert again.doc_id == sample_docs[pdf.stem].doc_id == again.sha256[:16]


# -- real publishers' PDFs from ../shared ----------------------------------------------
def test_hindawi_two_column_reading_order_and_metadata():
    doc = read_pdf(shared_pdf("PMC4735920"))
    md = doc.metadata
    assert md.doi == "10.1155/2016/6270491" and md.year == 2016
    assert md.title.startswith("Pentobarbital Toxicity after Self-Administration")
    heads = [(s.kind, normalise_heading(s.heading)) for s in doc.sections if s.heading]
    assert ("introduction", "introduction") in heads and ("references", "references") in heads
    intro = next(s for s in doc.sections if s.kind == "introduction").text
    # the first paragraph continues in the same column, not across the gutter
    assert "sodium pentobarbital is extremely uncommon" in intro
    abstract = next(s for s in doc.sections if s.kind == "abstract")
    assert abstract.page == 1 and len(abstract.text.split()) > 100


@pytest.mark.parametrize("pmcid", ["PMC4745306", "PMC4737441", "PMC4739007"])
def test_shared_case_reports_body_text_close_to_jats(pmcid):
    """Word-level LCS F1 of the body against the JATS paragraphs (the benchmark's measure)."""
    import xml.etree.ElementTree as ET

    from rapidfuzz.distance import LCSseq

    pdf = shared_pdf(pmcid)
    doc = read_pdf(pdf)
    body = ET.parse(pdf.parent / "fulltext.xml").getroot().find("body")
    gold = re.findall(r"\w+", " ".join("".join(p.itertext()) for p in body.iter("p")).lower())
    ours = []
    for s in doc.sections:
        if s.kind in ("introduction", "case", "methods", "results", "discussion", "conclusion", "other"):
            text = s.text[len(s.heading):] if s.heading and s.text.startswith(s.heading) else s.text
            ours += re.findall(r"\w+", text.lower())
    lcs = LCSseq.similarity(ours, gold)
    p, r = lcs / len(ours), lcs / len(gold)
    assert 2 * p * r / (p + r) > 0.9


# -- the two character sources ---------------------------------------------------------
@pytest.mark.parametrize("pdf", sample_pdfs(), ids=lambda p: p.stem)
def test_pdfium_and_pdfplumber_characters_give_the_same_document(pdf):
    """pdfium (the fast default) against pdfplumber (the reference): every page has the same
    lines, and the document the same metadata, sections, markers and words. Reading order
    may differ where blocks tie to within pdfium's single precision (a table's cells)."""
    from extract.pdf.chars import open_pdf
    from extract.pdf.layout import layout_page

    pages = {}
    for source in ("pdfium", "pdfplumber"):
        with open_pdf(pdf, source) as reader:
            pages[source] = [sorted(ln.text for b in layout_page(i + 1, w, h, chars).blocks for ln in b.lines)
                             for i, (w, h, chars) in enumerate(reader.pages())]
    assert pages["pdfium"] == pages["pdfplumber"]
    a, b = read_pdf(pdf, chars="pdfium"), read_pdf(pdf, chars="pdfplumber")
    assert a.metadata == b.metadata
    assert [(s.kind, s.heading) for s in a.sections] == [(s.kind, s.heading) for s in b.sections]
    assert [(m.kind, m.text) for m in a.markers] == [(m.kind, m.text) for m in b.markers]
    assert sorted(a.text.split()) == sorted(b.text.split())


@pytest.mark.parametrize("pdf", sample_pdfs()[:2] + ["PMC4745306", "PMC4737441", "PMC4739007", "PMC4736776"],
                         ids=lambda p: getattr(p, "stem", p))
def test_font_descents_read_off_descriptors_are_pdfminers(pdf):
    """Each font's name and descent, read from its dictionary without building the font,
    are the ones pdfminer's built font gives (boxes from pdfium must sit as pdfminer's)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import dict_value

    from extract.pdf.chars import _font_descent

    seen = 0
    with open(shared_pdf(pdf) if isinstance(pdf, str) else pdf, "rb") as f:
        doc = PDFDocument(PDFParser(f))
        for page in PDFPage.create_pages(doc):
            for ref in dict_value(page.resources.get("Font", {})).values():
                spec = dict_value(ref)
                font = PDFResourceManager(caching=False).get_font(None, spec)
                name = str(getattr(font, "basefont", None) or getattr(font, "fontname", ""))
                assert _font_descent(PDFResourceManager(caching=False), None, spec) == (name, font.get_descent())
                seen += 1
    assert seen


def test_an_accent_over_a_dotless_i_is_one_accented_letter():
    """TeX sets 'í' as a dotless i under a spacing acute: the two are one letter, 'í'
    (not 'ı' + a combining accent, which splits names in the reference parser)."""
    from extract.pdf.layout import layout_page

    def char(text, x0, x1, top=100.0, size=10.0):
        base = top + size
        return dict(text=text, fontname="CMR10", size=size, x0=x0, x1=x1, top=top, bottom=base,
                    upright=True, matrix=(size, 0, 0, size, x0, 800 - base))

    word = [char(t, 50 + 5 * k, 55 + 5 * k) for k, t in enumerate("Rodr")]
    word += [char("\u0131", 70, 73), char("\u00b4", 70.5, 73.5, top=99.0)]
    word += [char(t, 73 + 5 * k, 78 + 5 * k) for k, t in enumerate("guez")]
    page = layout_page(1, 600, 800, chars_from_dicts(word, 600, 800))
    assert [ln.text for b in page.blocks for ln in b.lines] == ["Rodr\u00edguez"]


def _paragraph_pdf(path, lines: list[str]) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 10)
    for i, line in enumerate(lines):
        c.drawString(72, 720 - 12 * i, line)
    c.save()


def test_line_ends_at_a_slash_a_numeric_hyphen_or_a_suspended_hyphen(tmp_path):
    """A slash, or a hyphen or en dash after a digit, joins the next line without a space;
    a suspended hyphen before "and"/"or" keeps its hyphen and its space."""
    pdf = tmp_path / "joins.pdf"
    _paragraph_pdf(pdf, [
        "Our patient was a woman who had been feeling unwell for about two weeks, with a",
        "cough and fevers at night. Her viral load had risen to 900 copies/",
        "mL by then, after a 5-",
        "month course of oral steroids given elsewhere, and both pre-",
        "and postoperative counts were low, as reported before [3\u2013",
        "5]. She was given intravenous fluids and the cough settled over the next days.",
    ])
    text = squash(read_pdf(str(pdf)).text)
    assert "900 copies/mL by then" in text
    assert "a 5-month course" in text
    assert "both pre- and postoperative" in text
    assert "before [3\u20135]" in text


def test_mathematical_letters_read_as_plain_letters():
    """Typesetters set the micro of "50 µg" as a mathematical italic mu: read it as the letter."""
    chars = [{"text": t, "x0": 10 + 6 * i, "x1": 16 + 6 * i, "top": 10, "bottom": 20, "size": 10, "fontname": "F"}
             for i, t in enumerate("5\U0001d707g\U0001d6fe")]
    assert "".join(c.text for c in chars_from_dicts(chars, 100, 100)) == "5\u03bcg\u03b3"


def test_line_end_hyphen_kept_where_the_document_hyphenates_the_second_part_elsewhere(tmp_path):
    """"drug- | induced" keeps its hyphen when the report also writes "dose-induced";
    "treat- | ment" is still rejoined."""
    pdf = tmp_path / "compound.pdf"
    _paragraph_pdf(pdf, [
        "The rash was thought to be dose-induced at first, and the dose was halved, but",
        "it spread over the trunk within days. A drug-",
        "induced eruption was then suspected, and the patient stopped all treat-",
        "ment on the advice of the dermatologist, after which the rash faded slowly.",
    ])
    text = squash(read_pdf(str(pdf)).text)
    assert "A drug-induced eruption" in text
    assert "all treatment on the advice" in text
