"""What the evidence extractors share: a document's prose sentences with their section
and scope (the reported case vs background literature), abbreviations, cue matching.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .citations import BRACKET, has_citation_mark
from .document import Document

# sections whose sentences the extractors read (not references, captions, front matter)
PROSE = ("title", "abstract", "introduction", "case", "methods", "results", "discussion",
         "conclusion", "other")
CASE_KINDS = ("title", "abstract", "case", "results", "caption")  # sections about the reported patient
# scope cues, matched on the sentence text
OWN_CASE = re.compile(r"\b(?:our|this|the present|the current|the index) (?:patient|case|child|infant|neonate|"
                      r"man|woman|boy|girl|biopsy|specimen|lesions?)s?\b|\bin our case\b", re.I)
PATIENT_CUE = re.compile(
    r"\b(?:our (?:patient|case)|this (?:patient|case|child|infant|woman|man)|the patient|in our case|"
    r"present(?:ed)? (?:case|patient)|we (?:treated|report|present|describe|gave|started|performed)|"
    r"(?:she|he) (?:was|had|received|underwent|developed|declined|refused)|her |his |"
    r"\d+[- ](?:year|month|week|day)[- ]old)", re.I)
# past-tense clinical narrative ("had healed", "confirmed"); a bare "was" only in case sections
PAST = re.compile(r"\b(?:was|were|had)\b", re.I)
NARRATIVE = re.compile(
    r"\b(?:presented|underwent|revealed|showed|received|confirmed|improved|resolved|"
    r"healed|developed|began|started|stopped|recurred|relapsed|responded|required|remained|completed|"
    r"on (?:physical )?examination|at follow[- ]up)\b", re.I)
LITERATURE_STRONG = re.compile(
    r"\b(?:et al|(?:has|have) been (?:reported|described|used|proposed|suggested|shown)|studies|"
    r"in the literature|reported cases|previous(?:ly)? (?:reports?|reported cases)|case series|"
    r"(?:systematic|literature|a) reviews?|review of the literature|"
    r"is the (?:definitive|treatment of choice|mainstay|first-line)|commonly used|"
    r"(?:can|may|could) (?:also )?be (?:used|given|considered|beneficial|useful|effective))\b", re.I)
LITERATURE_CUE = re.compile(
    LITERATURE_STRONG.pattern + r"|\b(?:is|are) (?:usually|often|typically|commonly)\b|"
    r"\b(?:may|can|might|should) (?:also )?(?:not )?be\b", re.I)
AUTHOR_YEAR = re.compile(r"\([A-Z][A-Za-z'\-]+[^()]{0,40}\b(?:19|20)\d\d[a-z]?\)")


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
    """Split the prose sections into sentences, decide each one's scope, find
    abbreviations; `citations` are the `citations` rows (ref_no, char offsets)."""
    citations = citations or []
    index = doc.sentences()
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
    return CaseText(doc, sents, find_abbreviations(doc.text), citations)


def scope_of(section: str, text: str, cited: bool) -> str:
    """`case` for statements about the reported patient, `literature` for background.
    Our own patient named ("our patient", "in our case") is case anywhere. In the
    sections about the patient, a sentence is literature only when it reads as background
    (a literature cue, or a citation: a marker, [n], "(Author, 2015)") and neither refers
    to the patient nor narrates in the past tense; a strong cue ("et al", "has been
    reported") outweighs the narrative. Elsewhere it is case only when it refers to the
    patient or narrates with a clinical verb ("had resolved"; a bare "was" is common in
    background), uncited and without a strong cue."""
    if OWN_CASE.search(text):
        return "case"
    patient = bool(PATIENT_CUE.search(text))
    about = patient or bool(NARRATIVE.search(text))
    cited = cited or bool(BRACKET.search(text) or AUTHOR_YEAR.search(text))
    strong = bool(LITERATURE_STRONG.search(text))
    if section in CASE_KINDS:
        weak = section != "case" and LITERATURE_CUE.search(text)
        about = about or bool(PAST.search(text))
        return "literature" if (strong and not patient) or ((cited or weak) and not about) else "case"
    return "case" if about and not cited and not strong else "literature"


_ABBR = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,9})\)")


def find_abbreviations(text: str) -> dict[str, str]:
    """Short form -> long form for 'long form (SF)' definitions (Schwartz-Hearst style:
    the short form's letters appear in order in the preceding words, the first one
    starting a word)."""
    out: dict[str, str] = {}
    for m in _ABBR.finditer(text):
        short = m.group(1)
        if not any(c.isupper() for c in short) or short in out:
            continue
        words = text[max(0, m.start() - 120):m.start()].split()[-(min(len(short) + 5, 2 * len(short))):]
        long = _long_form(short, words)
        if long:
            out[short] = long
    return out


def _long_form(short: str, words: list[str]) -> str | None:
    letters = [c.lower() for c in short if c.isalnum()]
    for k in range(1, len(words) + 1):
        cand = " ".join(words[-k:]).strip(" ,;:(")
        if cand.lower().startswith(letters[0]) and _letters_in_order(letters, cand.lower()):
            return cand
    return None


def _letters_in_order(letters: list[str], cand: str) -> bool:
    i = 0
    for ch in cand:
        if i < len(letters) and ch == letters[i]:
            i += 1
    return i == len(letters)


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
