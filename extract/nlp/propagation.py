"""Document-level label propagation for NER output.

A CNN NER sees a few words of context, so a drug named ten times in an abstract is
often found only where the context is telling.  Two cheap rules lift recall: an
abbreviation written right after an entity, ``long form (SHORT)``, takes its label, and
every other occurrence of an entity's words in the same document (in any case, unless
they are an abbreviation) gets that entity's label when it does not overlap another
entity.  Plain Python on ``Doc`` objects, so shipped pipelines stay loadable with
``spacy.load`` alone.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

#: texts shorter than this are too ambiguous to propagate ("Na", "RA").
MIN_CHARS = 3


def _abbreviations(doc: Doc) -> list[Span]:
    """``entity ( SHORT )`` where SHORT is one token with an upper-case letter."""
    out = []
    for ent in doc.ents:
        i = ent.end
        if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
            short = doc[i + 1]
            if any(c.isupper() for c in short.text) and len(short.text) < len(ent.text):
                out.append(Span(doc, i + 1, i + 2, label=ent.label_))
    return out


def _key(span: Span) -> tuple[str, ...]:
    """Words to match repeats on: in lower case, so a sentence-initial "Ciclosporin" finds
    "ciclosporin", unless a capital follows the first letter (abbreviations, "NaCl")."""
    if any(c.isupper() for t in span for c in t.text[1:]):
        return tuple(t.text for t in span)
    return tuple(t.lower_ for t in span)


def propagate(doc: Doc) -> Doc:
    """Add abbreviation and repeated-mention entities to ``doc.ents`` (in place)."""
    seeds = list(doc.ents) + _abbreviations(doc)
    votes: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for span in seeds:
        if len(span.text) >= MIN_CHARS:
            votes[_key(span)][span.label_] += 1
    if not votes:
        return doc
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in votes:
        by_first[words[0].lower()].append(words)
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    found = []
    for tok in doc:
        for words in by_first.get(tok.lower_, ()):
            end = tok.i + len(words)
            if end <= len(doc) and _key(doc[tok.i:end]) == words \
                    and not taken.intersection(range(tok.i, end)):
                found.append(Span(doc, tok.i, end, label=votes[words].most_common(1)[0][0]))
    doc.ents = list(doc.ents) + filter_spans(found)
    return doc
