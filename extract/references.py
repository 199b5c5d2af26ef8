"""Reference lists: split the references section into entries, parse each into fields.

Segmentation works on the layout's lines (their text and left edge): a numbered list
starts an entry at each label ("1.", "1)", "[1]", "- 1."), checked to run in sequence so a
number inside a title does not start one; an unnumbered list starts one at each line on
the block's left edge when continuation lines hang indented, or else after a line ending
with a full stop when the next begins like an author name. Entries may run across
blocks, columns and pages. Fields come from the CRF labeller in `extract.refparse`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .document import Document

NUM_LABEL = re.compile(r"^\s*(?:[-–•]\s*)?(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})[.)]|(\d{1,3})(?=\s+[A-Z]))\s*")
AUTHOR_START = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:\s(?:van|von|de|da|del|der|di|le|la)\s[A-Z][\w'’\-]+)?,?\s+(?:[A-Z]\.?|[A-Z][a-z]+)")
DOI_SPLIT = re.compile(r"((?:doi\.org/|doi:?\s*)?10\.\d{4,9}/\S*?[./\-_(])\s+(?=[\w(])", re.I)
URL_SPLIT = re.compile(r"(https?://\S*[./\-_=?&])\s+(?=[\w])")


@dataclass
class RefEntry:
    ref_no: int | None
    raw: str
    char_start: int
    char_end: int
    page: int
    label: str | None = None
    lines: list[int] = field(default_factory=list)


def segment(doc: Document) -> list[RefEntry]:
    """The entries of the document's reference list(s), in order."""
    spans = [(s.char_start, s.char_end, s.heading) for s in doc.sections if s.kind == "references"]
    lines = [ln for ln in doc.lines if any(a <= ln.char_start < b for a, b, _ in spans)]
    # drop the heading line(s) ("References")
    lines = [ln for ln in lines if not any(h and doc.text[ln.char_start:ln.char_end].strip() == h.strip()
                                           for _, _, h in spans)]
    if not lines:
        return []
    texts = [doc.text[ln.char_start:ln.char_end] for ln in lines]
    numbered = sum(bool(NUM_LABEL.match(t)) for t in texts) >= max(2, 0.15 * len(texts))
    starts = _numbered_starts(texts, lines) if numbered else _unnumbered_starts(texts, lines)
    entries = []
    for k, i in enumerate(starts):
        j = starts[k + 1] if k + 1 < len(starts) else len(lines)
        first, last = lines[i], lines[j - 1]
        raw = clean_raw(doc.text[first.char_start:last.char_end])
        m = NUM_LABEL.match(raw) if numbered else None
        label = next((g for g in m.groups() if g), None) if m else None
        if m:
            raw = raw[m.end():]
        entries.append(RefEntry(int(label) if label else None, raw.strip(), first.char_start,
                                last.char_end, first.page, label, list(range(i, j))))
    if numbered:
        _fill_lost_numbers(entries)
    else:
        for n, e in enumerate(entries, 1):
            e.ref_no = n
    return [e for e in entries if len(e.raw) > 3]


def _numbered_starts(texts: list[str], lines) -> list[int]:
    """Lines that open an entry: a label continuing the sequence, or (numbering lost) a
    line on the block's left edge when the block's continuation lines hang indented."""
    starts: list[int] = []
    expect = None
    edge = _left_edges(lines)
    for i, t in enumerate(texts):
        m = NUM_LABEL.match(t)
        n = int(next(g for g in m.groups() if g)) if m else None
        if n is not None and (expect is None or n in (expect, expect + 1) or (not starts and n <= 3)):
            starts.append(i)
            expect = n + 1
        elif starts and edge.get(i) == "first" and _ends_entry(texts[i - 1]):
            starts.append(i)  # a lost label
            expect = (expect or 0) + 1
    return starts or [0]


def _unnumbered_starts(texts: list[str], lines) -> list[int]:
    edge = _left_edges(lines)
    hanging = sum(v == "cont" for v in edge.values()) >= 0.25 * len(edge)
    starts = [0]
    for i in range(1, len(texts)):
        if hanging:
            if edge.get(i) == "first":
                starts.append(i)
        elif _ends_entry(texts[i - 1]) and AUTHOR_START.match(texts[i]):
            starts.append(i)
    return starts


def _left_edges(lines) -> dict[int, str]:
    """'first' for lines at their block's left edge, 'cont' for indented ones."""
    by_block: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        by_block.setdefault((ln.page, ln.block), []).append(i)
    out = {}
    for idx in by_block.values():
        x0s = [lines[i].bbox[0] for i in idx]
        left = min(x0s)
        indented = [x for x in x0s if x - left > 4]
        for i in idx:
            x = lines[i].bbox[0]
            out[i] = "cont" if (x - left > 4) else ("first" if indented else "flat")
    return out


def _ends_entry(text: str) -> bool:
    t = text.rstrip()
    return t.endswith((".", "]", ")")) or bool(re.search(r"(doi|10\.\d{4,9}/\S+|https?://\S+|\d)$", t))


def _fill_lost_numbers(entries: list[RefEntry]) -> None:
    for k, e in enumerate(entries):
        if e.ref_no is None:
            prev = entries[k - 1].ref_no if k else 0
            e.ref_no = (prev or 0) + 1


def clean_raw(raw: str) -> str:
    """One line of text: DOIs and URLs broken at a line end rejoined, spaces squeezed."""
    raw = re.sub(r"\s+", " ", raw).strip()
    for _ in range(3):
        raw = DOI_SPLIT.sub(r"\1", raw)
        raw = URL_SPLIT.sub(r"\1", raw)
    return raw


def duplicates(records: list[dict]) -> None:
    """Set `duplicate_of` on a repeated entry (same DOI, or the same text / title)."""
    for k, r in enumerate(records):
        for prev in records[:k]:
            if prev.get("duplicate_of") is not None:
                continue
            same = (r["doi"] and r["doi"] == prev["doi"]) or _norm(r["raw"]) == _norm(prev["raw"]) or (
                r["title"] and prev["title"] and r["year"] == prev["year"]
                and fuzz.ratio(_norm(r["title"]), _norm(prev["title"])) >= 95)
            if same:
                r["duplicate_of"] = prev["ref_no"]
                break


def _norm(s: str | None) -> str:
    return re.sub(r"\W+", " ", (s or "").lower()).strip()


def reference_records(doc: Document) -> list[dict]:
    """`references` rows for one document: entries with parsed fields and provenance."""
    from .refparse import parse_references

    entries = segment(doc)
    parsed = parse_references([e.raw for e in entries]) if entries else []
    rows = []
    for e, p in zip(entries, parsed):
        authors = list(p.authors)
        rows.append(dict(
            doc_id=doc.doc_id, ref_no=e.ref_no, raw=e.raw, authors=authors,
            first_author=authors[0].split()[0] if authors else None, et_al=p.et_al,
            title=p.title, container=p.container, year=p.year, volume=p.volume, issue=p.issue,
            pages=p.pages, doi=p.doi, pmid=p.pmid, pmcid=p.pmcid, url=p.url, publisher=p.publisher,
            work_id=None, duplicate_of=None, page=e.page, char_start=e.char_start, char_end=e.char_end,
        ))
    duplicates(rows)
    return rows
