"""Read GROBID (TEI) and AnyStyle (XML) tagged references into one token/label scheme.

The two corpora tag differently: AnyStyle keeps trailing punctuation inside a field and
puts issue (and sometimes year) inside <volume>; GROBID leaves separators untagged. Both
are mapped onto `refparse.LABELS` plus "O" for separators, so one CRF learns from both.

Folds are fixed by a hash of the normalised string (`fold_of`), so duplicates across the
corpora land in the same fold and every run splits the same way:
fold 9 = test (benchmark), fold 8 = development (tuning), folds 0-7 = training.
The shipped model is trained on folds 0-8.
"""
from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from extract.citations.refparse import OTHER, Token, spans, tokenize

N_FOLDS = 10
TEST_FOLD = 9
DEV_FOLD = 8

GROBID_DIR = "grobid_training/citation/corpus"
ANYSTYLE_GLOB = "anystyle_parser/*.xml"

_GROBID_TITLE = {"a": "title", "j": "container", "s": "note"}
_GROBID_SCOPE = {
    "vol": "volume", "volume": "volume", "issue": "issue", "pp": "pages", "page": "pages",
}
_GROBID_IDNO = {"doi": "doi", "pmid": "pmid", "pmc": "pmcid"}
_GROBID_TAG = {
    "author": "author", "editor": "editor", "date": "date", "publisher": "publisher",
    "pubPlace": "location", "pubplace": "location", "note": "note", "orgName": "author",
    "ptr": "url", "edition": "edition",
}
_ANYSTYLE_TAG = {
    "author": "author", "title": "title", "journal": "container", "container-title": "container",
    "date": "date", "volume": "volume", "pages": "pages", "publisher": "publisher",
    "location": "location", "editor": "editor", "edition": "edition", "doi": "doi",
    "url": "url", "note": "note", "genre": "note", "source": "note", "translator": "note",
    "isbn": "note", "medium": "note", "director": "note", "producer": "note",
    "collection-title": "note",
}


@dataclass
class Example:
    """One reference string with labelled character spans."""

    text: str
    spans: list[tuple[int, int, str]]
    source: str  # "grobid" | "anystyle"

    @property
    def fold(self) -> int:
        return fold_of(self.text)


def default_data_dir() -> Path:
    shared = os.environ.get("CASEMINE_SHARED")
    root = Path(shared) if shared else Path(__file__).resolve().parents[2].parent / "shared"
    return root / "data"


def fold_of(text: str) -> int:
    """Fixed fold 0-9: first 8 hex digits of sha1 of the lower-cased, space-free string."""
    key = re.sub(r"\s+", "", text.lower()).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[:8], 16) % N_FOLDS


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text_of(el: ET.Element) -> str:
    """All text under `el`, with <lb/> read as a space."""
    parts = [el.text or ""]
    for child in el:
        parts.append(" " if _local(child.tag) == "lb" else _text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _build(pieces: list[tuple[str, str | None]], source: str) -> Example | None:
    """Concatenate (text, label) pieces, collapse whitespace, keep span offsets."""
    text, spans = "", []
    for piece, label in pieces:
        piece = re.sub(r"\s+", " ", piece)
        if text.endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        if label and piece.strip():
            lead = len(piece) - len(piece.lstrip())
            start = len(text) + lead
            spans.append((start, start + len(piece.strip()), label))
        text += piece
    stripped = text.lstrip()
    shift = len(text) - len(stripped)
    text = stripped.rstrip()
    spans = [(s - shift, e - shift, lab) for s, e, lab in spans]
    if len(text) < 10 or not spans:
        return None
    return Example(text, spans, source)


def _grobid_label(el: ET.Element, has_article_title: bool) -> str | None:
    name = _local(el.tag)
    if name == "title":
        level = (el.get("level") or "m").lower()
        if level == "m":
            return "container" if has_article_title else "title"
        return _GROBID_TITLE.get(level, "note")
    if name == "biblScope":
        kind = (el.get("unit") or el.get("type") or "").lower()
        return _GROBID_SCOPE.get(kind, "note")
    if name == "idno":
        return _GROBID_IDNO.get((el.get("type") or "").lower(), "note")
    return _GROBID_TAG.get(name, "note" if name != "lb" else None)


def read_grobid(folder: Path) -> Iterator[Example]:
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        for bibl in root.iter():
            if _local(bibl.tag) != "bibl":
                continue
            has_a = any(_local(c.tag) == "title" and c.get("level") == "a" for c in bibl)
            pieces: list[tuple[str, str | None]] = [(bibl.text or "", None)]
            for child in bibl:
                if _local(child.tag) == "lb":
                    pieces.append((" ", None))
                else:
                    pieces.append((_text_of(child), _grobid_label(child, has_a)))
                pieces.append((child.tail or "", None))
            if ex := _build(pieces, "grobid"):
                yield ex


def read_anystyle(paths: list[Path]) -> Iterator[Example]:
    for path in sorted(paths):
        root = ET.parse(path).getroot()
        for seq in root.iter("sequence"):
            pieces = []
            for child in seq:
                if child.tag == "citation-number":  # stripped before tagging at run time
                    continue
                pieces.append((_text_of(child) + " ", _ANYSTYLE_TAG.get(child.tag, "note")))
            if ex := _build(pieces, "anystyle"):
                yield ex


def load_examples(data_dir: Path | None = None) -> list[Example]:
    """Both corpora, de-duplicated on the normalised string (first occurrence wins)."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    seen: set[str] = set()
    out = []
    for ex in [*read_grobid(data_dir / GROBID_DIR), *read_anystyle(list(data_dir.glob(ANYSTYLE_GLOB)))]:
        key = re.sub(r"\s+", "", ex.text.lower())
        if key not in seen:
            seen.add(key)
            out.append(ex)
    return out


# ---------------------------------------------------------------- token labels

def _is_punct(tok: Token) -> bool:
    return not any(c.isalnum() for c in tok.text)


def _split_volume(tokens: list[Token], labels: list[str], idx: list[int]) -> None:
    """AnyStyle '<volume>2011;65(1):</volume>' -> date ; volume ( issue ) :"""
    seen_number = False
    opened: list[int] = []
    for k, i in enumerate(idx):
        t = tokens[i].text
        if t == "(":
            opened.append(i)
            continue
        if t == ")":
            if opened and labels[opened[-1] + 1] == "issue":
                labels[opened[-1]] = labels[i] = OTHER
            opened = opened[:-1]
            continue
        if opened and seen_number:
            labels[i] = "issue"
        elif t.isdigit() and len(t) == 4 and 1800 <= int(t) <= 2039 and k + 1 < len(idx) \
                and tokens[idx[k + 1]].text in ";." and any(tokens[j].text.isdigit() for j in idx[k + 2:]):
            labels[i], labels[idx[k + 1]] = "date", OTHER
        elif any(c.isdigit() for c in t):
            seen_number = True


def to_sequence(ex: Example) -> tuple[list[Token], list[str]]:
    """Tokens and labels; punctuation at a field's edges becomes "O" in both corpora."""
    tokens = tokenize(ex.text)
    labels = [OTHER] * len(tokens)
    for i, tok in enumerate(tokens):
        for s, e, lab in ex.spans:
            if s <= tok.start < e:
                labels[i] = lab
                break
    # edge punctuation -> O (runs of same-label tokens)
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and labels[j + 1] == labels[i]:
            j += 1
        if labels[i] != OTHER:
            run = list(range(i, j + 1))
            while run and _is_punct(tokens[run[0]]):
                labels[run.pop(0)] = OTHER
            while run and _is_punct(tokens[run[-1]]) and not (
                    tokens[run[-1]].text == ")" and any(tokens[r].text == "(" for r in run)):
                labels[run.pop()] = OTHER
            if ex.source == "anystyle" and labels[i] == "volume" and run:
                _split_volume(tokens, labels, run)
        i = j + 1
    # brackets opened inside a field but closed in it stay; a lone "(" before issue is O
    for i, tok in enumerate(tokens):
        if tok.text in "()" and labels[i] == "issue":
            labels[i] = OTHER
    return tokens, labels


def nature_variant(ex: Example) -> Example | None:
    """The same fields re-typeset Nature-style ("Authors. Title. Journal 40, 412-419 (2014).").

    The corpora hold few Nature-style strings with an article title (physics ones omit
    it), so the CRF would read such a title as the journal; this rendering of real field
    values teaches it the layout."""
    tokens, labels = to_sequence(ex)
    fields: dict[str, str] = {}
    for lab, val in spans(tokens, labels, ex.text):
        fields.setdefault(lab, val)
    year = re.search(r"(?:1[89]|20)\d\d", fields.get("date", ""))
    if not year or not all(k in fields for k in ("author", "title", "container", "volume", "pages")):
        return None
    pieces = [(fields["author"], "author"), (". ", None), (fields["title"], "title"), (". ", None),
              (fields["container"], "container"), (" ", None), (fields["volume"], "volume"), (", ", None),
              (fields["pages"], "pages"), (" (", None), (year.group(), "date"), (").", None)]
    return _build(pieces, "nature")


def augment(examples: list[Example]) -> list[Example]:
    """Training strings plus a Nature-style rendering of every third journal article."""
    chosen = [e for e in examples if int(hashlib.sha1(e.text.encode()).hexdigest()[:8], 16) % 3 == 0]
    extra = [nature_variant(e) for e in chosen]
    return examples + [e for e in extra if e is not None]
