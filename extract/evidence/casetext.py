"""What the evidence extractors share: a document's prose sentences with their section
and scope (the reported case vs background literature), abbreviations, cue matching.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from extract.nlp.pipeline import document_abbreviations
from extract.nlp.scope import has_citation_mark, scope_of
from extract.nlp.sentences import sentence_index
from extract.document import Document

# sections whose sentences the extractors read (not references, captions, front matter)
PROSE = ("title", "abstract", "introduction", "case", "methods", "results", "discussion",
         "conclusion", "other")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    section: str
    heading: str | None
    scope: str  # case | literature
    cited: list[int] = field(default_factory=list)  # ref_no of citations inside


@dataclass
class CaseText:
    """A document prepared for the extractors: prose sentences, abbreviations, citations."""

    doc: Document
    sentences: list[Sentence]
    abbrevs: dict[str, str]
    citations: list[dict]


def prepare(doc: Document, citations: list[dict] | None = None) -> CaseText:
    """Split the prose sections into sentences, decide each one's scope, take the
    abbreviations the NLP pipeline found; `citations` are the `citations` rows (ref_no, char offsets)."""
    citations = citations or []
    index = sentence_index(doc)
    sents: list[Sentence] = []
    for sec in doc.sections:
        if sec.kind not in PROSE:
            continue
        pos = sec.char_start
        while pos < sec.char_end:
            span = index.span(pos)
            if span is None:
                pos += 1
                continue
            a, b = max(span[0], sec.char_start), min(span[1], sec.char_end)
            raw = doc.text[a:b]
            lead = len(raw) - len(raw.lstrip())
            a += lead
            text = doc.text[a:b].strip()
            if sec.heading and text.startswith(sec.heading):
                cut = len(sec.heading)
                a += cut + (len(text[cut:]) - len(text[cut:].lstrip()))
                text = text[cut:].strip()
            if text and not re.match(r"(?:key\s*words|abbreviations)\b", text, re.I):
                cited = sorted({c["ref_no"] for c in citations if c.get("ref_no") is not None
                                and a <= c["char_start"] < b})
                sents.append(Sentence(a, a + len(text), text, sec.kind, sec.heading,
                                      scope_of(sec.kind, text, bool(cited) or has_citation_mark(doc, a, b)), cited))
            pos = max(span[1], pos + 1)
    return CaseText(doc, sents, document_abbreviations(doc), citations)


def per_sentence(sentences: list[Sentence], rows: list[dict] | None) -> list[list[dict]]:
    """The rows (mentions: char_start, char_end) inside each sentence, in their order: one
    sort for the document instead of a scan of all its rows for every sentence."""
    ordered = sorted(rows or (), key=lambda r: r["char_start"])
    starts = [r["char_start"] for r in ordered]
    return [[r for r in ordered[bisect_left(starts, s.start):bisect_left(starts, s.end)] if r["char_end"] <= s.end]
            for s in sentences]


def compile_cues(cues: dict[str, list[str]]) -> list[tuple[str, re.Pattern]]:
    """label -> patterns as (label, regex) pairs, in the protocol's order."""
    return [(label, re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)", re.I))
            for label, pats in cues.items() if pats]


def cue_matches(text: str, cues: list[tuple[str, re.Pattern]]) -> list[tuple[int, int, str]]:
    """Every cue in `text` as (start, end, label); a match inside a longer one is dropped
    ("no recurrence" hides "recurrence")."""
    found = [(m.start(), m.end(), label) for label, rx in cues for m in rx.finditer(text)]
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out: list[tuple[int, int, str]] = []
    for s, e, label in found:
        if any(s >= a and e <= b and (s, e) != (a, b) for a, b, _ in out):
            continue
        if any(s >= a and e <= b for a, b, _ in out):
            continue  # same span, a label listed earlier wins
        out = [x for x in out if not (x[0] >= s and x[1] <= e)]
        out.append((s, e, label))
    return sorted(out)


_CLAUSE = re.compile(r";|,?\s+but\s+|,\s+whereas\s+|,\s+while\s+|,\s+although\s+|\s+and then\s+|"
                     r",\s+and\s+(?=(?:\w+\s+){1,3}(?:was|were|had)\b)|"
                     r"\s+and\s+(?=(?:the patient|she|he)\s+(?:\w+\s+){0,2}(?:was|were|had|developed|underwent)\b)")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause of `text` holding `pos` (sentences split at ';', 'but', 'whereas'...)."""
    start, end = 0, len(text)
    for m in _CLAUSE.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end
