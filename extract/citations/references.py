"""Reference lists: split the references section into entries, parse each into fields.

Segmentation works on the layout's lines (their text and left edge): a numbered list
starts an entry at each label ("1.", "1)", "[1]", "- 1."), checked to run in sequence so a
number inside a title does not start one; an unnumbered list starts one at each line on
the block's left edge when continuation lines hang indented, or else after a line ending
with a full stop when the next begins like an author name. Entries may run across
blocks, columns and pages. Fields come from the CRF labeller in `extract.citations.refparse`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extract.document import Document, TextPiece
from extract.names import parse_name
from extract.pdf.structure import heading_kind

NUM_LABEL = re.compile(r"^\s*(?:[-–•]\s*)?(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})[.)]|(\d{1,3})(?=\s+[A-Z]))\s*")
AUTHOR_START = re.compile(r"^[A-Z][A-Za-z'’\-]+(?:\s(?:van|von|de|da|del|der|di|le|la)\s[A-Z][\w'’\-]+)?,?\s+(?:[A-Z]\.?|[A-Z][a-z]+)")
DOI_SPLIT = re.compile(r"((?:doi\.org/|doi:?\s*)?10\.\d{4,9}/\S*?[./\-_(])\s+(?=[\w(])", re.I)
URL_SPLIT = re.compile(r"(https?://\S*[./\-_=?&])\s+(?=[\w])")
OPEN_ID = re.compile(r"(?:10\.\d{4,9}/|https?://|www\.)\S*$", re.I)
ID_REST = re.compile(r"[0-9a-z][^\s,;]*(?:\s|$)")
NEW_FIELD = re.compile(r"(?:and|in|pmid|pmcid|accessed|available|cited|retrieved|last|epub|published)\b", re.I)
LINE_END_HYPHEN = re.compile(r"[^\W\d_][\u2011\u00ad]$")
BULLET = re.compile(r"^\s*[-–•*]\s+")
YEARISH = re.compile(r"(?<!\d)(?:1[89]\d\d|20[0-3]\d)(?!\d)|\b(?:in press|n\.\s?d\.)", re.I)
FRONT_KINDS = {"title", "authors", "affiliations", "keywords", "front_matter", "references"}
RUN = 3  # labels in a row that open entries even out of the expected sequence
MIN_UNHEADED_RUN = 5  # numbered lines 1..5 in back matter make a list without its heading


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
    if not spans:
        spans = _unheaded_list(doc)
    lines = [ln for ln in doc.lines or _text_lines(doc) if any(a <= ln.char_start < b for a, b, _ in spans)]
    # drop the heading line(s) ("References")
    lines = [ln for ln in lines if not any(h and doc.text[ln.char_start:ln.char_end].strip() == h.strip()
                                           for _, _, h in spans)]
    if not lines:
        return []
    texts = [doc.text[ln.char_start:ln.char_end] for ln in lines]
    numbered = sum(bool(NUM_LABEL.match(t)) for t in texts) >= max(2, 0.15 * len(texts))
    starts = _numbered_starts(texts, lines, not doc.lines) if numbered else _unnumbered_starts(texts, lines)
    entries = [_entry(doc, lines[i:j], numbered, i)
               for i, j in zip(starts, starts[1:] + [len(lines)])]
    if numbered:
        _fill_lost_numbers(entries)
        entries = sorted(entries + _stray_entries(doc, lines, entries), key=lambda e: e.ref_no)
    else:
        # prose the structure step left inside an author-year list (a column of the
        # conclusion beside it) splits into "entries" with no year at all
        entries = [e for e in entries if YEARISH.search(e.raw)]
        for n, e in enumerate(entries, 1):
            e.ref_no = n
    return [e for e in entries if len(e.raw) > 3 and not _back_matter_note(e.raw)]


def _back_matter_note(raw: str) -> bool:
    """'Cite this article as: ...', 'Funding: ...' after the last entry: not a reference."""
    m = re.match(r"([A-Z][A-Za-z' ]{2,40}?)\s*:\s", raw)
    return bool(m) and heading_kind(m.group(1)) == "back_matter"


def _text_lines(doc: Document) -> list[TextPiece]:
    """Lines of a document read from text (no layout): a paragraph's later lines count as
    indented under its first, so a paragraph break is where an entry may start."""
    out, block = [], 0
    for m in re.finditer(r"[^\n]+", doc.text):
        if not m.group().strip():
            continue
        first = m.start() < 2 or doc.text[max(0, m.start() - 2):m.start()].strip() == "" and \
            doc.text[max(0, m.start() - 2):m.start()].count("\n") == 2
        out.append(TextPiece(m.start(), m.end(), doc.page_at(m.start()) or 0,
                             (0.0 if first else 10.0, 0.0, 0.0, 0.0), block))
    return out


def _entry(doc: Document, lines, numbered: bool, first_index: int = 0) -> RefEntry:
    raw = clean_raw(join_lines(doc.text, [ln.char_start for ln in lines], lines[-1].char_end))
    m = NUM_LABEL.match(raw) if numbered else None
    label = next((g for g in m.groups() if g), None) if m else None
    if m:
        raw = raw[m.end():]
    return RefEntry(int(label) if label else None, raw.strip(), lines[0].char_start,
                    lines[-1].char_end, lines[0].page, label,
                    list(range(first_index, first_index + len(lines))))


def join_lines(text: str, starts: list[int], end: int) -> str:
    """text[starts[0]:end], its lines starting at `starts`; a DOI or URL that runs to a
    line's end and goes on with a digit or lower-case letter on the next line
    ("10.1016/j.ijrobp.2" / "005.05.018.") was broken by the line, whatever character it
    broke after, so the space there goes."""
    out = ""
    for a, b in zip(starts, starts[1:] + [end]):
        piece = text[a:b]
        if out and OPEN_ID.search(out.rstrip()) and ID_REST.match(piece) and not NEW_FIELD.match(piece):
            out = out.rstrip()
        elif out and LINE_END_HYPHEN.search(out.rstrip()):
            # a word broken with the typesetter's non-breaking or soft hyphen ("biosyn‑" /
            # "thetic"): gone before a lower-case rest, kept (no space) in a compound
            out = out.rstrip()[:-1] if piece[:1].islower() else out.rstrip()
        out += piece
    return out


def _unheaded_list(doc: Document) -> list[tuple[int, int, str | None]]:
    """No references heading was recognised (garbled, or run into other text): the first
    back-matter section whose lines hold a numbered run 1, 2, 3, ... is the list."""
    for s in doc.sections:
        if s.kind not in ("back_matter", "other"):
            continue
        labels = [_label(doc.text[ln.char_start:ln.char_end]) for ln in doc.lines
                  if s.char_start <= ln.char_start < s.char_end]
        run = 0
        for n in labels:
            if n == run + 1:
                run = n
        if run >= MIN_UNHEADED_RUN:
            return [(s.char_start, s.char_end, s.heading)]
    return []


def _labelled(text: str) -> tuple[int, int] | None:
    """(number, form) of the label a line opens with; the form is the NUM_LABEL group that
    matched: [1], (1), 1. / 1), bare 1."""
    m = NUM_LABEL.match(text)
    return next((int(g), k) for k, g in enumerate(m.groups()) if g) if m else None


def _label(text: str) -> int | None:
    found = _labelled(text)
    return found[0] if found else None


def _stray_entries(doc: Document, lines, entries: list[RefEntry]) -> list[RefEntry]:
    """Entries of a numbered list that the structure step put in another section (a
    column beside a table, a block read into the prose): blocks outside the list whose
    lines open, in order, with labels the list lacks in its own label style."""
    have = {e.ref_no for e in entries}
    top = max(have, default=0)
    styles = Counter(lab[1] for ln in lines if (lab := _labelled(doc.text[ln.char_start:ln.char_end])))
    if not styles or len(have) >= top:
        return []
    style = styles.most_common(1)[0][0]
    taken = {ln.char_start for ln in lines}
    blocks: dict[tuple[int, int], list] = {}
    for ln in doc.lines:
        sec = doc.section_at(ln.char_start)
        if ln.char_start not in taken and sec is not None and sec.kind not in FRONT_KINDS:
            blocks.setdefault((ln.page, ln.block), []).append(ln)
    found: list[RefEntry] = []
    for block in blocks.values():
        block.sort(key=lambda ln: ln.char_start)
        texts = [doc.text[ln.char_start:ln.char_end] for ln in block]
        starts, last = [], 0
        for i, t in enumerate(texts):
            lab = _labelled(t)
            if lab and lab[1] == style and last < lab[0] < top and lab[0] not in have:
                starts.append(i)
                last = lab[0]
        cand = [_entry(doc, block[i:j], True) for i, j in zip(starts, starts[1:] + [len(block)])]
        cand = [e for e in cand if YEARISH.search(e.raw)]
        if len(cand) >= 2:
            found += cand
            have |= {e.ref_no for e in cand}
    return found


def _numbered_starts(texts: list[str], lines, plain_text: bool = False) -> list[int]:
    """Lines that open an entry: a label continuing the sequence, or (numbering lost) a
    line on the block's left edge when the block's continuation lines hang indented (in
    plain text: a list item "- Name AB, ..." whose number was lost), or a label out of
    sequence that starts a run of the next ones (columns read in the wrong order)."""
    starts: list[int] = []
    expect = None
    edge = _left_edges(lines)
    labels = [_label(t) for t in texts]
    used: set[int] = set()
    for i, n in enumerate(labels):
        if n is not None and n not in used and (expect is None or n in (expect, expect + 1)
                                                or (not starts and n <= 3) or _opens_run(labels, i)):
            starts.append(i)
            used.add(n)
            expect = n + 1
        elif starts and _ends_entry(texts[i - 1]) and (edge.get(i) == "first" or (
                plain_text and (m := BULLET.match(texts[i])) and AUTHOR_START.match(texts[i][m.end():]))):
            starts.append(i)  # a lost label
            expect = (expect or 0) + 1
    return starts or [0]


def _opens_run(labels: list[int | None], i: int) -> bool:
    """The next labelled lines after line i carry i's label + 1, + 2, ..."""
    following = [n for n in labels[i + 1:] if n is not None][:RUN - 1]
    return following == list(range(labels[i] + 1, labels[i] + RUN))


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
    """Set `duplicate_of` on a repeated entry (same DOI, or the same text, or the same title
    and year, or the same first author and long title)."""
    titles = [_norm(r["title"]) for r in records]  # each once, not once per pair
    raws = [_norm(r["raw"]) for r in records]
    for k, r in enumerate(records):
        for p, prev in enumerate(records[:k]):
            if prev.get("duplicate_of") is not None:
                continue
            alike = bool(r["title"] and prev["title"]) and fuzz.ratio(titles[k], titles[p]) >= 95
            same = (r["doi"] and r["doi"] == prev["doi"]) or raws[k] == raws[p] or (
                alike and (r["year"] == prev["year"] or (
                    # one list citing one chapter twice, a year misprinted once
                    len(r["title"]) >= 30 and r["first_author"] and r["first_author"] == prev["first_author"])))
            if same:
                r["duplicate_of"] = prev["ref_no"]
                break


def _norm(s: str | None) -> str:
    return re.sub(r"\W+", " ", (s or "").lower()).strip()


def _family_of(name: str) -> str:
    """'De Witt A' -> 'De Witt' (the first word would be 'De')."""
    parsed = parse_name(name)
    return parsed.family if parsed else name


def reference_records(doc: Document) -> list[dict]:
    """`references` rows for one document: entries with parsed fields and provenance."""
    from extract.citations.refparse import parse_references

    entries = segment(doc)
    parsed = parse_references([e.raw for e in entries]) if entries else []
    rows = []
    for e, p in zip(entries, parsed):
        authors = list(p.authors)
        rows.append(dict(
            doc_id=doc.doc_id, ref_no=e.ref_no, raw=e.raw, authors=authors,
            first_author=_family_of(authors[0]) if authors else None, et_al=p.et_al,
            title=p.title, container=p.container, year=p.year, volume=p.volume, issue=p.issue,
            pages=p.pages, doi=p.doi, pmid=p.pmid, pmcid=p.pmcid, url=p.url, publisher=p.publisher,
            work_id=None, duplicate_of=None, page=e.page, char_start=e.char_start, char_end=e.char_end,
        ))
    duplicates(rows)
    return rows
