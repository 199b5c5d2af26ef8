"""Scope: is a sentence about the reported patient (`case`) or background (`literature`),
and does it cite. One rule, so the mentions and the evidence rows of a sentence agree.

A citing superscript is told from a power or a mass number here too, as every stage that
reads markers needs that test.
"""
from __future__ import annotations

import bisect
import re

from extract.document import Document

RANGE_SEP = r"(?:[-–—]|to)"
NUMS = rf"\d{{1,3}}(?:\s*(?:{RANGE_SEP}|[,;])\s*\d{{1,3}})*"
BRACKET = re.compile(rf"\[\s*({NUMS})\s*\]")
UNIT_BEFORE = re.compile(r"(cm|mm|m|km|µm|μm|nm|kg|ft|in|×\s*10|x\s*10|\d)$")
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


def is_citation_mark(text: str, start: int, end: int) -> bool:
    """Whether the superscript text[start:end] cites: numbers and ranges ("2", "7,8", "9-11"),
    not a power after a unit or number ("cm2", "10^9"), nor a mass number opening a word
    ("the ¹H and ¹⁹⁵Pt NMR spectra", "¹⁸F-FDG": a citation follows what it supports)."""
    before = text[start - 1:start] if start else " "
    mass_number = (before.isspace() or before in "([{/–-") and text[end:end + 1].isalpha()
    return (bool(re.fullmatch(NUMS, text[start:end].strip())) and not mass_number
            and not UNIT_BEFORE.search(text[max(0, start - 4):start]))


def has_citation_mark(doc: Document, start: int, end: int) -> bool:
    """Whether a citing superscript starts in doc.text[start:end] (sentence scope: cited
    background or the reported case)."""
    starts = doc.memo("citation_marks", lambda: sorted(
        m.char_start for m in doc.markers if m.kind == "sup" and is_citation_mark(doc.text, m.char_start, m.char_end)))
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


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
