"""A marked-up article (JATS, TEI) -> `Document`: what both readers share.

The markup says exactly where the title, sections, captions, references and in-text
citations are, so nothing is guessed: the reader walks its elements and `Builder` lays
out one reading-order text (blocks separated by blank lines, a heading line opening each
section, as `read_pdf` writes them) with sections, citation markers, the reference list
as `references` rows, and each citation's targets. There are no pages.
"""
from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from extract.document import Document, Marker, Metadata, Section
from extract.pdf.structure import heading_kind

_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"\s*[-\u2010-\u2015]\s*")
# an inline piece: its text, the ids of the references it cites (None: plain text), superscript
Piece = tuple[str, "list[str] | None", bool]


class MarkupError(ValueError):
    """Markup this reader cannot take (not XML, or not the vocabulary it reads)."""


# a reference's fields, named as the `references` table names them
REF_FIELDS = ("title", "container", "year", "volume", "issue", "pages", "doi", "pmid", "pmcid", "url", "publisher")


@dataclass
class Ref:
    """One entry of the reference list, from its elements."""

    ident: str
    label: str | None
    raw: str
    authors: list[str] = field(default_factory=list)  # 'Okafor NA' (family, initials)
    first_author: str | None = None  # the first author's family name, as marked up ('De Witt')
    fields: dict = field(default_factory=dict)  # REF_FIELDS found in the markup


def parse_xml(source: str | Path | bytes) -> tuple[ET.Element, bytes, str]:
    """(root element, the bytes, the path) of an XML file or string; MarkupError if not XML."""
    if isinstance(source, bytes):
        data, path = source, ""
    elif isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("<")):
        data, path = Path(source).read_bytes(), str(source)
    else:
        data, path = source.encode("utf-8"), ""
    try:
        return ET.fromstring(data), data, path
    except ET.ParseError as e:
        raise MarkupError(f"not well-formed XML: {e}") from None


def local(tag) -> str:
    """Tag name without its namespace ('{http://www.tei-c.org/ns/1.0}div' -> 'div')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el: ET.Element | None) -> str | None:
    """All text inside `el`, whitespace collapsed (None when empty)."""
    if el is None:
        return None
    s = _SPACE.sub(" ", "".join(el.itertext())).strip()
    return s or None


def inline(el: ET.Element, link: Callable[[ET.Element], "list[str] | None"],
           skip: Callable[[ET.Element], bool] = lambda e: False, sup: bool = False) -> list[Piece]:
    """The pieces of a paragraph in order: text, and each citation with its target ids
    (`link(element)` says which elements cite, and whom); `skip`ped elements (a float
    inside a paragraph) are left out, their tails kept."""
    out: list[Piece] = [(el.text or "", None, sup)] if el.text else []
    for child in el:
        targets = link(child)
        if targets is not None:
            out.append((text_of(child) or "", targets, sup or local(child.tag) == "sup"))
        elif not skip(child):
            out += inline(child, link, skip, sup or local(child.tag) in ("sup", "hi") and _is_sup(child))
        if child.tail:
            out.append((child.tail, None, sup))
    return out


def _is_sup(el: ET.Element) -> bool:
    return local(el.tag) == "sup" or "sup" in (el.get("rend") or "")


class Builder:
    """Accumulates the reading-order text and everything with offsets into it."""

    def __init__(self) -> None:
        self.text = ""
        self.sections: list[Section] = []
        self.markers: list[Marker] = []
        self.links: list[tuple[int, int, str, list[str]]] = []  # start, end, marker, target ids
        self.refs: list[tuple[Ref, int, int]] = []

    def _start_block(self) -> int:
        if self.text:
            self.text += "\n\n"
        return len(self.text)

    def paragraph(self, pieces: Iterable[Piece]) -> tuple[int, int] | None:
        """One block of text; whitespace collapsed, citations recorded where they land."""
        pieces = [(_SPACE.sub(" ", t), targets, sup) for t, targets, sup in pieces]
        if not "".join(t for t, _, _ in pieces).strip():
            return None
        start = self._start_block()
        for t, targets, sup in pieces:
            if self.text.endswith((" ", "\n")) or len(self.text) == start:
                t = t.lstrip()
            if not t:
                continue
            a = len(self.text)
            self.text += t
            if targets is not None:
                self.links.append((a, len(self.text), t, targets))
                if sup:
                    self.markers.append(Marker("sup", t, a, len(self.text), None))
        self.text = self.text.rstrip()
        return start, len(self.text)

    def section(self, kind: str, heading: str | None, paragraphs: list[list[Piece]], level: int = 1) -> None:
        """A section: its heading line (if any), then its paragraphs."""
        start = None
        if heading:
            start = self.paragraph([(heading, None, False)])[0]
        for p in paragraphs:
            span = self.paragraph(p)
            if span and start is None:
                start = span[0]
        if start is not None:
            self.sections.append(Section(len(self.sections), heading, kind, None, start, len(self.text),
                                         self.text[start:], level))

    def references(self, heading: str, refs: list[Ref]) -> None:
        """The reference list, one line per entry ('1. Okafor NA, ...')."""
        if not refs:
            return
        start = self.paragraph([(heading, None, False)])[0]
        for r in refs:
            a = self._start_block()
            self.text += f"{r.label}. {r.raw}" if r.label else r.raw
            self.refs.append((r, a + (len(r.label) + 2 if r.label else 0), len(self.text)))
        self.sections.append(Section(len(self.sections), heading, "references", None, start, len(self.text),
                                     self.text[start:]))

    def document(self, data: bytes, path: str, metadata: Metadata, doc_id: str | None = None) -> Document:
        """The Document, with the exact references and citations left for the stages
        (`references`, `citation_links` in its memo) instead of parsed from the text."""
        sha = hashlib.sha256(data).hexdigest()
        doc = Document(doc_id=doc_id or sha[:16], path=path, sha256=sha, n_pages=0, text=self.text,
                       sections=self.sections, markers=self.markers, metadata=metadata)
        numbers = self._numbers()
        rows = [_reference_row(doc.doc_id, numbers[r.ident], r, a, b) for r, a, b in self.refs]
        doc.memo("references", lambda: rows)
        doc.memo("citation_links", lambda: [(a, b, m, _expand(targets, numbers, m))
                                            for a, b, m, targets in self._ranges()])
        return doc

    def _numbers(self) -> dict[str, int]:
        out = {}
        for i, (r, _, _) in enumerate(self.refs, start=1):
            out[r.ident] = int(r.label) if r.label and r.label.isdigit() else i
        return out

    def _ranges(self) -> list[tuple[int, int, str, list[str]]]:
        """Links with a dash between them ('<xref>2</xref>–<xref>4</xref>') become one
        marker spanning both, citing everything from the first to the last."""
        out: list[tuple[int, int, str, list[str]]] = []
        for a, b, m, targets in self.links:
            if out and _DASH.fullmatch(self.text[out[-1][1]:a]):
                pa, _, _, pt = out[-1]
                out[-1] = (pa, b, self.text[pa:b], pt + ["-"] + targets)
            else:
                out.append((a, b, m, list(targets)))
        return out


def _expand(targets: list[str], numbers: dict[str, int], marker: str) -> list[int]:
    nums: list[int] = []
    for i, t in enumerate(targets):
        if t == "-" or t not in numbers:
            continue
        n = numbers[t]
        if i >= 2 and targets[i - 1] == "-" and nums and 0 < n - nums[-1] <= 50:
            nums += list(range(nums[-1] + 1, n + 1))
        else:
            nums.append(n)
    return list(dict.fromkeys(nums))


def _reference_row(doc_id: str, ref_no: int, r: Ref, a: int, b: int) -> dict:
    return dict(doc_id=doc_id, ref_no=ref_no, raw=r.raw, authors=list(r.authors),
                first_author=r.first_author or (r.authors[0] if r.authors else None), et_al=False,
                **{k: r.fields.get(k) for k in REF_FIELDS}, work_id=None, duplicate_of=None,
                page=None, char_start=a, char_end=b)


def printed(r: Ref) -> str:
    """A reference from its fields as a Vancouver list prints it (for markup that keeps
    the fields but not the printed string)."""
    f = r.fields
    where = (str(f["year"]) if f.get("year") else "") + (f";{f['volume']}" if f.get("volume") else "") + \
        (f"({f['issue']})" if f.get("issue") else "") + (f":{f['pages']}" if f.get("pages") else "")
    parts = [", ".join(r.authors), f.get("title"), f.get("container"), where,
             f"doi:{f['doi']}" if f.get("doi") else None]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def vancouver(family: str, given: str | None) -> str:
    """'Okafor', 'Nneka A.' -> 'Okafor NA' (the form refparse gives references)."""
    initials = "".join(p[0] for p in re.split(r"[\s.\-]+", given or "") if p and p[0].isalpha())
    return f"{family} {initials.upper()}".strip()


def year_of(value: str | None) -> int | None:
    m = re.search(r"(1[89]|20)\d\d", value or "")
    return int(m.group(0)) if m else None


def pages_of(first: str | None, last: str | None) -> str | None:
    return f"{first}-{last}" if first and last else first


def kind_of(heading: str | None, parent: str | None) -> str:
    """The section kind a heading names, else its parent's ('Histopathology' in the case)."""
    return (heading_kind(heading) if heading else None) or parent or "other"
