"""Sentence boundaries that survive citations and abbreviations.

Scholarly text breaks naive splitters: "Reiter et al. reported", "(Fig. 2)", "5 mg i.v.
daily", "J. S. Smith", decimals, and superscript citation markers printed after the full
stop ("deposits.2 Calcinosis"). Rules first; a spaCy Doc's own sentences are used where
the caller has a parsed one.
"""
from __future__ import annotations

import bisect
import re
from typing import Iterable

ABBREVIATIONS = {
    "al", "e.g", "i.e", "vs", "cf", "etc", "dr", "mr", "mrs", "ms", "prof", "fig", "figs", "eq",
    "ref", "refs", "approx", "ca", "no", "nos", "vol", "st", "sp", "spp", "var", "ed", "eds",
    "i.v", "i.m", "s.c", "p.o", "b.i.d", "t.i.d", "q.i.d", "q.d", "p.r.n", "h.s", "a.m", "p.m",
    "min", "max", "resp", "incl", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "dept", "univ", "inc", "ltd", "co", "corp", "mt", "pt", "pts", "yr",
    "yrs", "mo", "wk", "wks", "hr", "hrs", "temp", "sd", "n.s", "u.s", "u.k",
}
# a sentence end: punctuation, optional closing quotes/brackets and citation digits, space,
# then something that can start a sentence
_END = re.compile(r"[.!?](?P<tail>[\"'”’)\]]*(?:\d+(?:[,\-–]\d+)*)?[\"'”’)\]]*)\s+(?=[A-Z0-9(\[\"“‘])")
_PARA = re.compile(r"\n\s*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str, markers: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`; `markers` are superscript spans,
    which may end a sentence after its full stop."""
    marker_starts = {s for s, _ in markers}
    bounds: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        start = p_start
        for m in _END.finditer(text, p_start, p_end):
            dot = m.start()
            tail = m.group("tail")
            digits = re.search(r"\d", tail)
            if digits and marker_starts and (dot + 1 + digits.start()) not in marker_starts:
                continue  # "2.5 mg" style digits, not a citation marker
            if digits and not marker_starts and (text[dot - 1:dot].isdigit() or not re.match(
                    r"[\"'”’)\]]*\d+([,\-–]\d+)*[\"'”’)\]]*$", tail)):
                continue  # a decimal ("0.2 Giga/L"), or digits no citation is written as
            if _abbreviation(text, start, dot):
                continue
            end = dot + 1 + len(tail)
            bounds.append((start, end))
            start = m.end()
        if text[start:p_end].strip():
            bounds.append((start, p_end))
    return [(a + _lead(text, a, b), b) for a, b in bounds]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _PARA.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _abbreviation(text: str, start: int, dot: int) -> bool:
    m = _WORD_BEFORE.search(text[max(start, dot - 12):dot])
    if not m:
        return False
    word = m.group(1)
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper()  # an initial: "J. S. Smith"


def _lead(text: str, a: int, b: int) -> int:
    return len(text[a:b]) - len(text[a:b].lstrip())


class SentenceIndex:
    """Find the sentence holding an offset (bisect over the boundaries)."""

    def __init__(self, text: str, bounds: list[tuple[int, int]]):
        self.text = text
        self.bounds = bounds
        self.starts = [a for a, _ in bounds]

    def span(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.bounds[i][1]:
            return self.bounds[i]
        return None

    def sentence(self, offset: int) -> str | None:
        span = self.span(offset)
        return self.text[span[0]:span[1]].strip() if span else None


def sentence_index(doc) -> SentenceIndex:
    """Sentence boundaries over `doc.text`, computed once per document (markers may end a sentence)."""
    return doc.memo("sentences", lambda: SentenceIndex(doc.text, split_sentences(
        doc.text, [(m.char_start, m.char_end) for m in doc.markers if m.kind == "sup"])))
