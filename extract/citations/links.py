"""In-text citations: every marker in the body linked to the reference(s) it points at.

Three forms, tried in this order of trust: superscript marker spans from the layout
("2", "7,8", "9-11" meaning 9 through 11), bracketed numbers ("[1]", "[2, 5–7]"), and
author-year ("(Reiter et al., 2011)", "Reiter and Lee (2011)", "Alsaif et al."). Bare
parenthesised numbers count only in a document whose citations are numeric and not
already superscript or bracketed, and never after "Figure", "Table", "n =" and the like.
One row per (marker, reference).
"""
from __future__ import annotations

import re
from collections import defaultdict

from extract.nlp.sentences import sentence_index
from extract.document import Document
from extract.nlp.scope import BRACKET, NUMS, RANGE_SEP, is_citation_mark
from extract.citations.references import reference_records
from extract.stages import Records, RunConfig, stage

BODY_KINDS = {"abstract", "introduction", "case", "methods", "results", "discussion",
              "conclusion", "other", "caption", "table", "figure"}
PAREN = re.compile(rf"\(\s*({NUMS})\s*\)")
NOT_CITATION_BEFORE = re.compile(
    r"(fig(ure)?s?\.?|tables?|panels?|eq(uation)?s?\.?|steps?|grades?|stages?|types?|n\s*=|p\s*[<=>]|"
    r"no\.|days?|weeks?|months?|years?|cases?|patients?|group|arm|lines?|chapters?|sections?)\s*$", re.I)
SURNAME = r"[A-Z][A-Za-z'’\-]+(?:\s(?:van|von|de|da|del|der|di|le|la)\s[A-Z][A-Za-z'’\-]+)?"
AY_ITEM = re.compile(rf"({SURNAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+({SURNAME}))?,?\s+((?:19|20)\d\d)([a-z])?")
AY_NARRATIVE = re.compile(rf"\b({SURNAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+({SURNAME}))?\s*\(((?:19|20)\d\d)([a-z])?\)")
ET_AL = re.compile(rf"\b({SURNAME})\s+et\s+al\.?")


def expand(numbers: str) -> list[int]:
    """'2, 5–7' -> [2, 5, 6, 7]; a reversed or absurd range keeps its end points only."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", numbers.strip()):
        m = re.fullmatch(rf"(\d{{1,3}})\s*{RANGE_SEP}\s*(\d{{1,3}})", part)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            out.extend(range(a, b + 1) if 0 < b - a <= 50 else [a, b])
        elif part.isdigit():
            out.append(int(part))
    return out


def find_citations(doc: Document, references: list[dict]) -> list[dict]:
    """`citations` rows for one document, given its `references` rows."""
    by_no = {r["ref_no"]: r for r in references if r.get("ref_no") is not None}
    spans = [(s.char_start, s.char_end, s.kind) for s in doc.sections if s.kind in BODY_KINDS]

    def section_of(pos: int) -> str | None:
        return next((k for a, b, k in spans if a <= pos < b), None)

    # a marked-up article (extract.markup) says what each citation points at: no guessing
    exact = doc.memo("citation_links", list)
    found: list[tuple[int, int, str, list[int]]] = list(exact)
    for m in ([] if exact else doc.markers):
        if m.kind != "sup" or section_of(m.char_start) is None:
            continue
        if not is_citation_mark(doc.text, m.char_start, m.char_end):
            continue
        found.append((m.char_start, m.char_end, m.text, expand(m.text)))
    for a, b, _ in ([] if exact else spans):
        for m in BRACKET.finditer(doc.text, a, b):
            found.append((m.start(), m.end(), m.group(0), expand(m.group(1))))
    numeric = bool(found) or all(r.get("ref_no") is not None for r in references)
    if not found and numeric and references:
        found = _parenthesised(doc, spans, len(references))
    rows = [(s, e, marker, n, None) for s, e, marker, nums in found for n in nums]
    if not found:
        rows = _author_year(doc, spans, references)
    sents = sentence_index(doc)
    out = []
    for s, e, marker, n, _ in sorted(rows, key=lambda r: (r[0], r[3] or 0)):
        ref = by_no.get(n)
        out.append(dict(doc_id=doc.doc_id, citation_id=len(out), marker=marker, ref_no=n,
                        work_id=None, in_list=ref is not None, section=section_of(s),
                        page=doc.page_at(s), sentence=sents.sentence(s), char_start=s, char_end=e))
    return out


def _parenthesised(doc, spans, n_refs: int) -> list[tuple[int, int, str, list[int]]]:
    out = []
    for a, b, _ in spans:
        for m in PAREN.finditer(doc.text, a, b):
            before = doc.text[max(a, m.start() - 16):m.start()]
            nums = expand(m.group(1))
            if NOT_CITATION_BEFORE.search(before.rstrip()) or not nums or max(nums) > n_refs:
                continue
            out.append((m.start(), m.end(), m.group(0), nums))
    return out


def _author_year(doc, spans, references) -> list[tuple[int, int, str, int, None]]:
    """Author-year markers resolved by first-author family name + year (+ second author)."""
    index: dict[tuple[str, str], list[dict]] = defaultdict(list)
    by_name: dict[str, list[dict]] = defaultdict(list)
    for r in references:
        fam = _family(r)
        if fam:
            by_name[fam].append(r)
            if r.get("year"):
                index[(fam, str(r["year"]))].append(r)
    rows = []
    taken: list[tuple[int, int]] = []
    for a, b, _ in spans:
        text = doc.text
        for m in re.finditer(r"\(([^()]{4,300})\)", text[a:b]):
            inner_start = a + m.start(1)
            for item in AY_ITEM.finditer(m.group(1)):
                ref = _resolve(index, item.group(1), item.group(3), item.group(2), item.group(4))
                if ref:
                    s, e = inner_start + item.start(), inner_start + item.end()
                    rows.append((s, e, item.group(0), ref["ref_no"], None))
                    taken.append((s, e))
        for item in AY_NARRATIVE.finditer(text, a, b):
            ref = _resolve(index, item.group(1), item.group(3), item.group(2), item.group(4))
            if ref and not _overlaps(item.start(), item.end(), taken):
                rows.append((item.start(), item.end(), item.group(0), ref["ref_no"], None))
                taken.append((item.start(), item.end()))
        for item in ET_AL.finditer(text, a, b):
            cands = by_name.get(item.group(1).lower(), [])
            if len(cands) == 1 and not _overlaps(item.start(), item.end(), taken):
                rows.append((item.start(), item.end(), item.group(0), cands[0]["ref_no"], None))
    return rows


def _family(ref: dict) -> str | None:
    fa = ref.get("first_author") or (ref.get("authors") or [None])[0]
    return fa.split()[0].lower().strip(",") if fa else None


def _resolve(index, surname: str, year: str, second: str | None, suffix: str | None):
    cands = index.get((surname.lower(), year), [])
    if len(cands) > 1 and second:
        cands = [r for r in cands if len(r.get("authors") or []) > 1
                 and r["authors"][1].split()[0].lower() == second.lower()] or cands
    if len(cands) > 1 and suffix:
        k = ord(suffix) - ord("a")
        cands = cands[k:k + 1] if k < len(cands) else cands
    return cands[0] if cands else None


def _overlaps(s: int, e: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in taken)


@stage("references")
def reference_stage(doc: Document, cfg: RunConfig) -> Records:
    """The reference list parsed into fields, and every in-text citation linked to it."""
    refs = doc.memo("references", lambda: reference_records(doc))
    return {"references": refs, "citations": doc.memo("citations", lambda: find_citations(doc, refs))}
