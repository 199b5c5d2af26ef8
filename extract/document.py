"""The document model every stage reads: a PDF as reading-order text with provenance.

Layout builds `Page -> Block -> Line -> Span` (pdfplumber-style: small objects, easy
to inspect); the `Document` joins the blocks into one reading-order string and keeps,
for every character range, the page and bounding box it came from.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterator

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin


@dataclass
class Span:
    """A run of characters on one line with one vertical position: text, sup or sub."""

    text: str
    kind: str  # "text" | "sup" | "sub"
    bbox: BBox
    size: float
    fontname: str = ""

    @property
    def bold(self) -> bool:
        name = self.fontname.lower()
        return any(k in name for k in ("bold", "black", "heavy", "semibold", "-bd", ",bd", "demi")) \
            or name.endswith((".b", "-b", ",b"))

    @property
    def italic(self) -> bool:
        name = self.fontname.lower()
        return "italic" in name or "oblique" in name or "-it" in name


@dataclass
class Line:
    page: int
    spans: list[Span]
    bbox: BBox
    size: float  # dominant font size of the line's main text

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def bold(self) -> bool:
        main = [s for s in self.spans if s.kind == "text" and s.text.strip()]
        return bool(main) and all(s.bold for s in main)


@dataclass
class Block:
    """Lines read together (a paragraph, heading, caption...) in reading order."""

    page: int
    lines: list[Line]
    column: int = 0
    role: str = "body"  # body | heading | caption | furniture | table | title | ...

    @property
    def bbox(self) -> BBox:
        xs0, tops, xs1, bottoms = zip(*(ln.bbox for ln in self.lines))
        return (min(xs0), min(tops), max(xs1), max(bottoms))

    @property
    def size(self) -> float:
        sizes = sorted(ln.size for ln in self.lines)
        return sizes[len(sizes) // 2]

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    blocks: list[Block] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)  # running headers, footers, page numbers


@dataclass
class Marker:
    """A superscript or subscript span in the reading-order text (citation markers etc.)."""

    kind: str  # "sup" | "sub"
    text: str
    char_start: int
    char_end: int
    page: int


@dataclass
class Section:
    section_id: int
    heading: str | None
    kind: str  # abstract | introduction | case | methods | results | discussion |
    #            conclusion | references | back_matter | caption | other (plus title,
    #            authors, affiliations, keywords for front matter)
    page: int
    char_start: int
    char_end: int
    text: str
    level: int = 1


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    article_type: str | None = None

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None


@dataclass
class TextPiece:
    """Provenance of one stretch of the reading-order text (a span, or a whole line)."""

    char_start: int
    char_end: int
    page: int
    bbox: BBox
    block: int = -1  # for lines: the index of the block they belong to


@dataclass
class Document:
    doc_id: str
    path: str
    sha256: str
    n_pages: int
    text: str = ""
    pages: list[Page] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    pieces: list[TextPiece] = field(default_factory=list)
    lines: list[TextPiece] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    warnings: list[str] = field(default_factory=list)

    # -- provenance -------------------------------------------------------------
    def _piece_index(self, offset: int) -> int:
        starts = self.__dict__.get("_starts")
        if starts is None or len(starts) != len(self.pieces):  # kept: every mention asks for its page
            starts = self.__dict__["_starts"] = [p.char_start for p in self.pieces]
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def page_at(self, offset: int) -> int | None:
        """1-based page of the character at `offset` (None for an empty document)."""
        if not self.pieces:
            return None
        return self.pieces[self._piece_index(offset)].page

    def locate(self, char_start: int, char_end: int) -> list[tuple[int, BBox]]:
        """Page and bounding box of each line-piece the range [char_start, char_end) covers.

        Boxes are per line piece; a range inside one piece gets a box narrowed by the
        fraction of its characters (good enough to draw a highlight)."""
        out: list[tuple[int, BBox]] = []
        if not self.pieces or char_end <= char_start:
            return out
        i = self._piece_index(char_start)
        while i < len(self.pieces) and self.pieces[i].char_start < char_end:
            p = self.pieces[i]
            lo, hi = max(char_start, p.char_start), min(char_end, p.char_end)
            if hi > lo:
                x0, top, x1, bottom = p.bbox
                n = max(1, p.char_end - p.char_start)
                w = x1 - x0
                out.append((p.page, (x0 + w * (lo - p.char_start) / n, top,
                                     x0 + w * (hi - p.char_start) / n, bottom)))
            i += 1
        return out

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.char_start <= offset < s.char_end:
                return s
        return None

    def sections_of(self, *kinds: str) -> Iterator[Section]:
        return (s for s in self.sections if s.kind in kinds)

    def memo(self, key: str, compute):
        """A per-document result computed once and shared by every stage that needs it
        (the evidence stage reads the references and timings the other stages made)."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]
