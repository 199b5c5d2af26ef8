"""Ingest: PDF bytes -> `Document` (reading-order text, sections, markers, provenance).

`read_pdf` is the one entry point. Bad input raises `IngestError` with a stage and a
type a reviewer can act on (not_pdf, encrypted, corrupt, empty, no_text_layer, too_large).
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from pathlib import Path

from extract.pdf.chars import DEFAULT_SOURCE, IngestError, open_pdf
from extract.document import Document, Line, Marker, Section, TextPiece
from extract.pdf.layout import layout_page, remove_furniture
from extract.pdf.metadata import extract_metadata, info_title
from extract.pdf.structure import Structure, Unit, analyse
from extract.stages import Records, RunConfig, stage

log = logging.getLogger(__name__)

for _noisy in ("pdfminer", "pdfplumber", "pypdfium2"):
    logging.getLogger(_noisy).setLevel(logging.ERROR)


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def read_pdf(path: str | Path, max_pages: int | None = None, chars: str = DEFAULT_SOURCE) -> Document:
    """Read one PDF into a Document; raise IngestError for input we cannot read.

    `chars` is the character source (`extract.pdf.chars.SOURCES`); the two agree on lines,
    sections, markers and metadata (`tests/test_ingest.py`), not always on the order of
    table cells whose coordinates tie."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise IngestError("not_pdf", "not a PDF file (no %PDF- header)")
    sha = file_sha256(path)
    with open_pdf(path, chars) as pdf:
        n_pages = pdf.n_pages
        if n_pages == 0:
            raise IngestError("empty", "the PDF has no pages")
        if max_pages and n_pages > max_pages:
            raise IngestError("too_large", f"{n_pages} pages exceeds the limit of {max_pages}")
        pages = []
        try:
            for i, (width, height, page_chars) in enumerate(pdf.pages()):
                if not (width > 0 and height > 0):
                    raise IngestError("corrupt", f"page {i + 1} has a zero-size MediaBox ({width:g} x {height:g})")
                pages.append(layout_page(i + 1, width, height, page_chars))
        except IngestError:
            raise
        except Exception as e:
            raise IngestError("corrupt", f"page {len(pages) + 1}: {e.__class__.__name__}: {e}") from e
        info = pdf.info
    n_chars = sum(len(ln.text) for p in pages for b in p.blocks for ln in b.lines)
    if n_chars < 20 * n_pages and n_chars < 200:
        raise IngestError("no_text_layer", "no text layer (scanned or image-only PDF); OCR it first")
    cid = sum(ln.text.count("(cid:") for p in pages for b in p.blocks for ln in b.lines)
    if cid * 6 > n_chars * 0.5:
        raise IngestError("no_unicode_map", "fonts without a Unicode map: text cannot be decoded")
    remove_furniture(pages)
    st = analyse(pages, info_title(info))
    doc = Document(doc_id=doc_id_for(sha), path=str(path), sha256=sha, n_pages=n_pages, pages=pages)
    _assemble(doc, st)
    doc.metadata = extract_metadata(doc, st, info)
    return doc


# -- text assembly ---------------------------------------------------------------------
FLOAT_ROLES = ("caption", "table", "figure", "note")
FRONT_KINDS = {"title": "title", "authors": "authors", "affiliation": "affiliations",
               "front": "front_matter"}
_END_PUNCT = re.compile(r"[.!?:;)\]\"”’]\s*$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s*$")
_COORDINATORS = frozenset(("and", "or", "to"))  # after a suspended hyphen: "pre- and post-", "intra- or extra-"


class _TextBuilder:
    """Appends lines to the reading-order text, recording provenance and markers."""

    def __init__(self, doc: Document, vocab: Counter):
        self.doc = doc
        self.parts: list[str] = []
        self.length = 0
        self.vocab = vocab
        # the second parts of the document's hyphenated words ("drug-induced" -> "induced")
        self.tails = Counter(w.rsplit("-", 1)[1] for w in vocab if "-" in w)

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def add_line(self, ln: Line, skip_chars: int = 0) -> None:
        """Append a line's spans (dropping its first `skip_chars` characters)."""
        for s in ln.spans:
            text = s.text
            if skip_chars:
                cut = min(skip_chars, len(text))
                text, skip_chars = text[cut:], skip_chars - cut
            if not text:
                continue
            start = self.length
            self.add(text)
            self.doc.pieces.append(TextPiece(start, self.length, ln.page, s.bbox))
            if s.kind in ("sup", "sub"):
                lead = len(text) - len(text.lstrip())
                core = text.strip()
                if core:
                    self.doc.markers.append(Marker(s.kind, core, start + lead,
                                                   start + lead + len(core), ln.page))

    def join_lines(self, prev_text: str, next_text: str) -> str:
        """What goes between two lines of one paragraph: '', ' ', or drop a hyphen. A hyphen
        is kept when the document writes the joined word less often than the hyphenated one,
        or writes the second part after a hyphen elsewhere ("drug- | induced": "dose-induced").
        A suspended hyphen keeps its space ("pro- | and anti-..."); a slash, or a hyphen or
        dash after a digit, joins without one ("copies/ | mL", "5- | month", "9– | 11")."""
        if prev_text.endswith("-") and len(prev_text) > 1 and prev_text[-2].isalpha():
            left = re.findall(r"[\w-]+-$", prev_text)
            right = re.match(r"[\w-]+", next_text)
            if left and right and next_text[:1].islower():
                lw, rw = left[0][:-1], right.group(0)
                if rw in _COORDINATORS:
                    return " "
                joined, hyph = (lw + rw).lower(), (lw + "-" + rw).lower()
                if (self.vocab[hyph] > self.vocab[joined] or len(lw) <= 1 or lw.isupper()
                        or (len(lw) >= 3 and not self.vocab[joined] and self.tails[rw.split("-")[0].lower()])):
                    return ""          # a real hyphen (one the document writes elsewhere): keep it
                return "DROP"         # a line-end split: remove the hyphen
            return ""
        if next_text[:1].isalnum() and (prev_text.endswith("/") and prev_text[-2:-1].isalnum()
                                        or prev_text.endswith(("-", "\u2013")) and prev_text[-2:-1].isdigit()):
            return ""
        return " "

    def text(self) -> str:
        return "".join(self.parts)


def _vocab(st: Structure) -> Counter:
    words: Counter = Counter()
    for u in st.units:
        for ln in u.block.lines:
            words.update(w.lower() for w in re.findall(r"[A-Za-z][\w-]*[A-Za-z]", ln.text))
    return words


def _unit_kind(u: Unit) -> str:
    if u.role in FRONT_KINDS:
        return "keywords" if u.kind == "keywords" else FRONT_KINDS[u.role]
    return u.kind


def _assemble(doc: Document, st: Structure) -> None:
    """Body in reading order, then floats (captions, tables, notes) as JATS keeps them."""
    main = [u for u in st.units if u.role not in FLOAT_ROLES]
    floats = [u for u in st.units if u.role in FLOAT_ROLES]
    tb = _TextBuilder(doc, _vocab(st))
    sections: list[Section] = []
    current: dict | None = None

    def close_section() -> None:
        if current is not None:
            text = tb.text()[current["start"]:tb.length].strip()
            if text:
                sections.append(Section(len(sections), current["heading"], current["kind"],
                                        current["page"], current["start"], tb.length, text,
                                        current["level"]))

    def open_section(kind: str, heading: str | None, page: int, level: int = 1) -> dict:
        close_section()
        return {"kind": kind, "heading": heading, "page": page, "start": tb.length, "level": level}

    prev: Unit | None = None
    for u in main + floats:
        kind = _unit_kind(u)
        if prev is not None and _continues_paragraph(prev, u):
            sep = tb.join_lines(prev.block.lines[-1].text, u.block.lines[0].text)
            if sep == "DROP":
                _drop_trailing_hyphen(tb)
            else:
                tb.add(sep)
        else:
            same = current is not None and current["kind"] == kind and u.role != "heading" and (
                (u.role == "body" and not u.inline_heading)
                or (u.role in ("table", "figure") and current["heading"] == u.heading))
            _sep(tb)
            if not same:
                current = open_section(kind, u.heading, u.block.page, u.level)
        _add_block(tb, u)
        prev = u
    close_section()
    doc.text = tb.text()
    doc.sections = sections


def _continues_paragraph(prev: Unit, u: Unit) -> bool:
    """A paragraph broken by a column or page end: no sentence end, and the next starts
    lowercase (after a clause's end such as ';' too: "...without effect; | two new ...")."""
    last, first = prev.block.lines[-1].text, u.block.lines[0].text[:1]
    return (u.role == "body" and prev.role == "body" and prev.kind == u.kind
            and u.inline_heading is None
            and not _SENTENCE_END.search(last)
            and (first.islower() or first.isdigit()
                 or (not _END_PUNCT.search(last) and last.rstrip()[-1:].isalpha())))


def _sep(tb: _TextBuilder) -> None:
    if tb.length:
        tb.add("\n\n")


def _drop_trailing_hyphen(tb: _TextBuilder) -> None:
    last = tb.parts[-1]
    tb.parts[-1] = last[:-1]
    tb.length -= 1
    piece = tb.doc.pieces[-1]
    piece.char_end -= 1


def _add_block(tb: _TextBuilder, u: Unit) -> None:
    lines = u.block.lines
    block_no = tb.doc.lines[-1].block + 1 if tb.doc.lines else 0
    for i, ln in enumerate(lines):
        if i:
            prev = lines[i - 1]
            sep = tb.join_lines(prev.text, ln.text)
            if sep == "DROP":
                _drop_trailing_hyphen(tb)
            elif _new_paragraph(u, prev, ln):
                tb.add("\n\n")
            else:
                tb.add(sep)
        start = tb.length
        tb.add_line(ln)
        tb.doc.lines.append(TextPiece(start, tb.length, ln.page, ln.bbox, block_no))


def _new_paragraph(u: Unit, prev: Line, ln: Line) -> bool:
    """Indented first line after a sentence end starts a new paragraph."""
    if u.role != "body" or u.kind == "references":
        return False
    x0 = u.block.bbox[0]
    indented = ln.bbox[0] - x0 > 0.8 * ln.size and abs(prev.bbox[0] - x0) < 0.5 * ln.size
    short = prev.bbox[2] < u.block.bbox[2] - 2.5 * ln.size
    return bool(_END_PUNCT.search(prev.text)) and (indented or short)


@stage("structure")
def structure_records(doc: Document, cfg: RunConfig) -> Records:
    md = doc.metadata
    return {
        "sections": [dict(doc_id=doc.doc_id, section_id=s.section_id, heading=s.heading, kind=s.kind,
                          level=s.level, page=s.page, char_start=s.char_start, char_end=s.char_end,
                          text=s.text) for s in doc.sections],
        "markers": [dict(doc_id=doc.doc_id, kind=m.kind, text=m.text, page=m.page,
                         char_start=m.char_start, char_end=m.char_end) for m in doc.markers],
        "documents": [dict(
            doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, n_pages=doc.n_pages, title=md.title,
            authors=md.authors, first_author=md.first_author, year=md.year, journal=md.journal,
            volume=md.volume, issue=md.issue, pages=md.pages, doi=md.doi, pmid=md.pmid, pmcid=md.pmcid,
            article_type=md.article_type, keywords=md.keywords, affiliations=md.affiliations,
            status="ok", n_chars=len(doc.text))],
    }
