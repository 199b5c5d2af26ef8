"""Parse one reference string into bibliographic fields with a CRF plus a few rules.

The CRF (python-crfsuite) labels tokens; rules then re-check what has a fixed shape
(DOI, PMID, PMCID, year, Vancouver ``2011;65(1):1-12``) because a regex is more reliable
than a statistical tagger there. Input is assumed to come from PDF text extraction, so
line-break spaces inside DOIs and URLs are joined before tagging.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from extract.names import PARTICLES, author_list_end, is_initials, is_suffix, parse_name

MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "refparse" / "refparse.crfsuite"
MODEL_ENV = "CASEMINE_REFPARSE_MODEL"

LABELS = (
    "author", "title", "container", "date", "volume", "issue", "pages", "doi", "pmid",
    "pmcid", "url", "publisher", "location", "edition", "editor", "note",
)
OTHER = "O"  # separators between fields


@dataclass
class Token:
    text: str
    start: int
    end: int


@dataclass
class ParsedReference:
    raw: str
    authors: list[str] = field(default_factory=list)  # "Family Initials"
    et_al: bool = False
    title: str | None = None
    container: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str | None = None
    publisher: str | None = None
    edition: str | None = None
    editors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- text repair, tokens

_DOI_START = re.compile(r"10\.\d{4,9}\s?/")
_URL_START = re.compile(r"(?:https?\s?:\s?//|www\s?\.)", re.I)
_NUMBERING = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\s*[.)](?!\d)|\d{1,3}\s+(?=[A-Z]))\s*")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})


def strip_numbering(text: str) -> str:
    """Drop a leading list marker ("1.", "[1]", "1)") that is not part of the reference."""
    return _NUMBERING.sub("", text, count=1)


_NONSPACE = re.compile(r"\S+")
_CONTINUES = re.compile(r"\s+([0-9a-z(])")
_NEW_FIELD = re.compile(
    r"\s+(?:and|in|doi|pmid|pmcid|accessed|available|cited|retrieved|last|epub|published)\b", re.I)


def _join_broken(text: str, start: int) -> tuple[str, int]:
    """Join PDF line-break spaces inside an identifier starting at `start`; return text, end."""
    i = start
    while True:
        m = _NONSPACE.match(text, i)
        if not m:
            return text, i
        end = m.end()
        nxt = _CONTINUES.match(text, end)
        # a break after ".", "/", "-" or "_" followed by a digit or lower-case letter is
        # an extraction artefact; a capitalised word after it starts the next field
        if nxt and text[end - 1] in "./-_" and not _NEW_FIELD.match(text, end):
            text = text[:end] + text[nxt.start(1):]
            i = end
            continue
        return text, end


# some Elsevier fonts map the en dash to "e": "2012;2(4):496e502", "148e56"
# (where pages stand: after a colon, a comma or "pp.")
_E_DASH = re.compile(r"((?:[:,]|\bpp?\.)\s?)(\d{1,6})e(\d{1,6})(?=[\s.,;)]|$)")


def _e_dash(m: re.Match) -> str:
    a, b = m.group(2), m.group(3)
    last = int(a[:len(a) - len(b)] + b) if len(b) < len(a) else int(b)
    return f"{m.group(1)}{a}-{b}" if last > int(a) else m.group()


def repair(text: str) -> str:
    """Normalise whitespace and dashes and re-join DOIs/URLs split across lines."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?i)\b(https?)\s?:\s?//", r"\1://", text)
    text = re.sub(r"(?i)\bwww\s\.", "www.", text)
    text = re.sub(r"\b(10\.\d{4,9})\s/\s?", r"\1/", text)
    text = _E_DASH.sub(_e_dash, text)
    for pattern in (_DOI_START, _URL_START):
        pos = 0
        while m := pattern.search(text, pos):
            text, pos = _join_broken(text, m.start())
    return text


_PROTECTED = re.compile(r"(?:https?://|www\.)\S+|10\.\d{4,9}/\S+", re.I)
_WORD = re.compile(r"\w+|[^\w\s]")


def _trim_identifier(s: str) -> str:
    while s and (s[-1] in ".,;:'\"" or (s[-1] == ")" and s.count("(") < s.count(")"))
                 or (s[-1] == "]" and s.count("[") < s.count("]"))):
        s = s[:-1]
    return s


def tokenize(text: str) -> list[Token]:
    """Words, numbers and single punctuation marks; a DOI or URL stays one token."""
    tokens: list[Token] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        ident = _trim_identifier(m.group())
        if len(ident) < 6:
            continue
        tokens += [Token(w.group(), pos + w.start(), pos + w.end()) for w in _WORD.finditer(text[pos:m.start()])]
        tokens.append(Token(ident, m.start(), m.start() + len(ident)))
        pos = m.start() + len(ident)
    tokens += [Token(w.group(), pos + w.start(), pos + w.end()) for w in _WORD.finditer(text[pos:])]
    return tokens


# ---------------------------------------------------------------- features

_MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "spring", "summer", "autumn", "fall", "winter",
}
_KEYWORDS = {
    "vol": "VOL", "volume": "VOL", "vols": "VOL", "v": "VOL", "bd": "VOL",
    "no": "NO", "nr": "NO", "issue": "NO", "suppl": "NO", "supplement": "NO", "pt": "NO", "part": "NO",
    "pp": "PP", "p": "PP", "pages": "PP", "page": "PP", "s": "PP",
    "doi": "DOI", "pmid": "PMID", "pmcid": "PMC", "pubmed": "PMID",
    "in": "IN", "ed": "ED", "eds": "ED", "editor": "ED", "editors": "ED", "hrsg": "ED", "edited": "ED",
    "edn": "EDN", "edition": "EDN",
    "et": "ETAL", "al": "ETAL", "and": "AND",
    "press": "PUB", "publisher": "PUB", "publishers": "PUB", "publishing": "PUB", "verlag": "PUB",
    "university": "UNIV", "univ": "UNIV", "institute": "UNIV",
    "journal": "JOUR", "j": "JOUR", "proc": "CONF", "proceedings": "CONF", "conference": "CONF",
    "symposium": "CONF", "workshop": "CONF", "congress": "CONF", "meeting": "CONF",
    "available": "URLW", "accessed": "URLW", "retrieved": "URLW", "online": "URLW", "cited": "URLW",
    "epub": "EPUB", "ahead": "EPUB", "print": "EPUB",
    "thesis": "THESIS", "dissertation": "THESIS", "phd": "THESIS", "report": "REPORT",
    "new": "LOC", "york": "LOC", "london": "LOC", "berlin": "LOC", "boston": "LOC", "paris": "LOC",
    "oxford": "LOC", "cambridge": "LOC", "philadelphia": "LOC", "amsterdam": "LOC",
}
_CLOSING = {")": "(", "]": "["}


_UPPER, _LETTER, _DIGIT, _RUN = (re.compile(r"[A-Z]"), re.compile(r"[^\W\d_]"), re.compile(r"\d"),
                                 re.compile(r"(.)\1{2,}"))
_ROMAN = re.compile(r"[ivxlcdm]+")


@lru_cache(maxsize=4096)  # a pure function of the token; a reference list repeats its tokens (bounded: memory)
def _shape(s: str) -> str:
    out = _UPPER.sub("X", s)
    out = _LETTER.sub("x", out)
    out = _DIGIT.sub("d", out)
    return _RUN.sub(r"\1\1", out)


@lru_cache(maxsize=4096)  # as _shape; the list is shared: callers only read it
def _token_feats(tok: str) -> list[str]:
    tok = tok.translate(_DASHES)
    low = tok.lower()
    f = [f"w={low}", f"sh={_shape(tok)}", f"p1={low[:1]}", f"p3={low[:3]}", f"s2={low[-2:]}", f"s3={low[-3:]}"]
    if _PROTECTED.fullmatch(tok):
        f.append("ident=url" if _URL_START.match(tok) else "ident=doi")
    if tok.isdigit():
        n = len(tok)
        f.append(f"digits={min(n, 6)}")
        if n == 4 and 1800 <= int(tok) <= 2039:
            f.append("year")
        if 6 <= n <= 8:
            f.append("pmidlike")
    elif any(c.isdigit() for c in tok):
        f.append("alnum")
    if tok[:1].isupper():
        f.append("cap")
        if tok.isupper():
            f.append("allcaps" if len(tok) > 1 else "initial")
            if len(tok) <= 3 and tok.isalpha():
                f.append("initials")
    if low in _MONTHS:
        f.append("month")
    if low in _KEYWORDS:
        f.append(f"kw={_KEYWORDS[low]}")
    if _ROMAN.fullmatch(low) and len(low) <= 5 and low not in {"i", "d", "m", "c", "l"}:
        f.append("roman")
    if not tok[:1].isalnum():
        f.append("punct")
    return f


def _chunks(tokens: list[Token]) -> list[int]:
    """Index of the '.'/';'/':'-delimited chunk each token sits in (initials do not split)."""
    idx, out = 0, []
    for i, t in enumerate(tokens):
        out.append(idx)
        if t.text in ";:" or (t.text == "." and not (i > 0 and len(tokens[i - 1].text) <= 2
                                                      and tokens[i - 1].text[:1].isupper())):
            idx += 1
    return out


_CONTEXT_FEATS = {"year", "month", "initials", "punct", "cap"}  # copied from neighbours
_QUOTES = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019", '"': '"'}
_RANGE = re.compile(r"\d\s*-\s*\d")


def _global_feats(tokens: list[Token], text: str) -> list[str]:
    """Whole-string cues (book vs article vs chapter) shared by every token."""
    low = {t.text.lower() for t in tokens}
    out = []
    if _RANGE.search(text):
        out.append("g:range")
    if low & {"press", "publisher", "publishers", "verlag", "publishing"}:
        out.append("g:press")
    if low & {"eds", "ed", "editor", "editors", "hrsg"}:
        out.append("g:eds")
    if re.search(r"(?:^|[.,]\s)In\b|\bin\s?:", text):
        out.append("g:in")
    if re.search(r"\d\s?\(\s?\d", text):
        out.append("g:volissue")
    if re.search(r"\d{4}\s?;\s?\d", text):
        out.append("g:vancouver")
    return out


def features(tokens: list[Token], text: str) -> list[list[str]]:
    """CRF features per token: the token, its neighbours +-2 and its place in the string."""
    n = len(tokens)
    base = [_token_feats(t.text) for t in tokens]
    glob = _global_feats(tokens, text)
    chunk = _chunks(tokens)
    last_chunk = chunk[-1] if chunk else 0
    sizes: dict[int, int] = {}
    caps: dict[int, int] = {}
    first_word: dict[int, str] = {}
    for c, t in zip(chunk, tokens):
        if t.text[:1].isalpha():
            sizes[c] = sizes.get(c, 0) + 1
            caps[c] = caps.get(c, 0) + t.text[:1].isupper()
            first_word.setdefault(c, t.text.lower())
    years = [i for i, b in enumerate(base) if "year" in b]
    lows = [t.text.lower() for t in tokens]  # per token once; each is read by 4 neighbours
    shapes = [_shape(t.text) for t in tokens]
    copied = [[x for x in b if x in _CONTEXT_FEATS or x.startswith(("kw=", "ident", "digits"))] for b in base]
    stack: list[str] = []
    quote: str | None = None
    n_comma = n_period = 0
    out: list[list[str]] = []
    for i, tok in enumerate(tokens):
        f = ["bias"] + base[i] + glob
        f.append(f"pos={min(9, 10 * i // max(n, 1))}")
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        before = text[tokens[i - 1].end:tok.start] if i else ""
        f.append("spbefore" if before else "nospbefore")
        if i + 1 < n and text[tok.end:tokens[i + 1].start] == "":
            f.append("glued_next")
        if tok.text in _CLOSING and stack and stack[-1] == _CLOSING[tok.text]:
            stack.pop()
        if stack:
            f.append(f"in{stack[-1]}")
        if tok.text in "([":
            stack.append(tok.text)
        if quote is not None and tok.text == _QUOTES[quote]:
            quote = None
        elif quote is None and tok.text in _QUOTES:
            quote = tok.text
        elif quote is not None:
            f.append("inquote")
        if years:
            f.append("year<" if years[0] < i else ("year=" if years[0] == i else "year>"))
        c = chunk[i]
        f.append(f"chunk={min(c, 6)}")
        f.append(f"chunkend={min(last_chunk - c, 4)}")
        f.append(f"chunkfirst={first_word.get(c, '')}")
        words = sizes.get(c, 0)
        f.append(f"chunklen={min(words, 8) if words < 8 else (8 if words < 15 else 15)}")
        if words >= 2:
            f.append(f"chunkcap={round(caps[c] / words, 1)}")
        f.append(f"commas={min(n_comma, 4)}")
        f.append(f"periods={min(n_period, 4)}")
        n_comma += tok.text == ","
        n_period += tok.text == "."
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                f.append(f"{off}:w={lows[j]}")
                f.append(f"{off}:sh={shapes[j]}")
                for extra in copied[j]:
                    f.append(f"{off}:{extra}")
            else:
                f.append(f"{off}:none")
        if i + 1 < n and i > 0:
            f.append(f"ctx={lows[i - 1]}|{lows[i + 1]}")
        out.append(f)
    return out


# ---------------------------------------------------------------- tagging

@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> pycrfsuite.Tagger | None:
    """Open the CRF model once per process; None when no model file exists."""
    model = Path(path or os.environ.get(MODEL_ENV) or MODEL_PATH)
    if not model.exists():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return tagger


def label(tokens: list[Token], text: str, tagger: pycrfsuite.Tagger) -> list[str]:
    """CRF labels; a whole-token DOI or URL the CRF gave another field is forced to its own."""
    labels = list(tagger.tag(features(tokens, text)))
    for i, tok in enumerate(tokens):
        if labels[i] not in ("doi", "url") and len(tok.text) >= 6 and _PROTECTED.fullmatch(tok.text):
            labels[i] = "url" if _URL_START.match(tok.text) else "doi"
    return labels


def tag(text: str, tagger: pycrfsuite.Tagger | None = None) -> tuple[list[Token], list[str]]:
    """Tokens of `text` and one label per token (all "O" without a model)."""
    tokens = tokenize(text)
    tagger = tagger if tagger is not None else load_tagger()
    if not tokens or tagger is None:
        return tokens, [OTHER] * len(tokens)
    return tokens, label(tokens, text, tagger)


def spans(tokens: list[Token], labels: list[str], text: str) -> list[tuple[str, str]]:
    """Contiguous (label, text) fields; punctuation tagged O inside a field does not split it."""
    out: list[tuple[str, int, int]] = []
    prev = -1
    for i, (tok, lab) in enumerate(zip(tokens, labels)):
        if lab == OTHER:
            continue
        if out and out[-1][0] == lab and all(labels[j] == OTHER and not tokens[j].text[:1].isalnum()
                                             for j in range(prev + 1, i)):
            out[-1] = (lab, out[-1][1], tok.end)
        elif any(c.isalnum() for c in tok.text):  # a field does not start with punctuation
            out.append((lab, tok.start, tok.end))
        else:
            continue
        prev = i
    return [(lab, text[s:e]) for lab, s, e in out]


# ---------------------------------------------------------------- field cleaning

_EDGE = " .,;:\"'\u201c\u201d\u2018\u2019\u00ab\u00bb<>"
_PAIRS = (("(", ")"), ("[", "]"))


def strip_edges(s: str) -> str:
    """Drop separators around a value; brackets only when unbalanced or wrapping it all."""
    prev = None
    while s != prev:
        prev = s
        s = s.strip(_EDGE)
        for o, c in _PAIRS:
            if s.endswith(c) and s.count(o) < s.count(c):
                s = s[:-1]
            if s.startswith(o) and s.count(o) > s.count(c):
                s = s[1:]
            if s.startswith(o) and s.endswith(c) and o not in s[1:-1] and c not in s[1:-1]:
                s = s[1:-1]
    return s


_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_PMID = re.compile(r"(?i)\bPMID\s*:?\s*(\d{1,9})\b")
_PMCID = re.compile(r"(?i)\b(PMC\s?\d{4,9})\b")
_URL = re.compile(r"(?i)(?:https?://|www\.)[^\s\"<>]+")
_YEAR = re.compile(r"(?<![\d.])(1[5-9]\d\d|20[0-3]\d)(?![\d])")
# one page, a page range or an article number ("412-9", "S27-33", "e1234", "eaan3464",
# "plv080", "III-VI")
_LOC = (r"(?:[A-Za-z]{0,4}\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]{0,4}\d+[A-Za-z]?)?"
        r"|[IVXLCDM]{1,6}\s*-\s*[IVXLCDM]{1,6}|[ivxlcdm]{1,6}\s*-\s*[ivxlcdm]{1,6})")
_SUPPL = r"(?:Suppl(?:ement)?\.?|Pt\.?|Part)\s*\w{1,4}"
_VANCOUVER = re.compile(
    r"(?<![\d.])(?P<year>1[89]\d\d|20[0-3]\d)[a-z]?(?:\s+[A-Z][a-z]{2,8}\.?(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2})?)?"
    r"\s*(?:;|,(?=\s*\d+\s*[(:]))\s*(?P<volume>\d+[A-Z]?)?\s*"
    rf"(?:\((?P<issue>[^()]{{1,20}})\)|(?P<suppl>{_SUPPL}))?"
    rf"\s*:\s*(?P<pages>{_LOC})(?![\w-])"
)
# the locator closing a reference in the other styles, tried when the labeller found no
# well-formed pages: ACS/MDPI "Dalton Trans. 2018, 33, 11491-11502.", APA/Nature
# "Annu Rev Plant Physiol, 38, 391-418." / "Planta 204, 234-241 (1998).", Frontiers
# "Rice 5:2." / "2009. 229: 99-106."; what may follow is a DOI, a link or a database tag
_TAIL = r"(?=\s*(?:[.;,]?\s*(?:\(\d{4}\)\.?\s*)?(?:$|doi\b|https?:|\[|PMID|Available|\d{4}\.?$)))"
_LOCATOR = re.compile(
    r"(?:(?P<year>(?<![\d.])(?:1[89]\d\d|20[0-3]\d))[a-z]?,\s*|[\s,.]\s*)"
    rf"(?P<volume>\d{{1,5}}[A-Z]?)\s*(?:\((?P<issue>[^()]{{1,20}})\))?\s*(?P<sep>[,:])\s*(?P<pages>{_LOC}){_TAIL}"
)
# Hindawi "vol. 2014, Article ID 351396, 6 pages": the article number locates the work
# (PubMed's pagination), the page count does not
_ARTICLE_ID = re.compile(r"(?i)\barticle(?:\s+ID|\s+no\.?|\s+number)?\s+(?P<id>[A-Za-z]{0,3}\d+[A-Za-z]?)\b")
_SUPPLEMENT = re.compile(r"(?i)\bsuppl(?:ement)?\.?\s+(?P<n>\w{1,4})\b")

# "vol. 21, no. 10, pp. 5-9" (Hindawi, IEEE): the labeller tends to take "21, no. 10" as
# the volume
_VOL_NO = re.compile(r"(?i)\bvol(?:ume)?\.?\s*(?P<volume>\d+[A-Za-z]?)\s*,?\s*(?:no|nr|issue)\.?\s*"
                     r"(?P<issue>\w+(?:\s*[-/]\s*\w+)?)")


def clean_doi(s: str) -> str | None:
    m = _DOI.search(s)
    return _trim_identifier(m.group()) if m else None


def clean_volume(s: str) -> str | None:
    s = re.sub(r"(?i)^\s*(?:vol(?:ume)?s?|v|bd|tome|t)\b\.?", "", strip_edges(s))
    s = strip_edges(s)
    return s or None


def clean_issue(s: str) -> str | None:
    s = re.sub(r"(?i)^\s*(?:no|nr|n|issue|num(?:ber)?)\b\.?", "", strip_edges(s))
    s = strip_edges(s)
    return s or None


def clean_pages(s: str) -> str | None:
    s = re.sub(r"(?i)^\s*(?:pp?|pages?|s)\b\.?", "", strip_edges(s))
    s = re.sub(r"\s*-+\s*", "-", s.translate(_DASHES))
    s = re.sub(r"(?i)\s*pp?\.?$", "", strip_edges(s))
    return _full_range(strip_edges(s)) or None


def _full_range(s: str) -> str:
    """A last page printed by its changed digits only, written out: '1060-5' -> '1060-1065',
    'S27-33' -> 'S27-S33' (the form of PubMed and JATS, so one work's variants agree)."""
    m = re.fullmatch(r"([A-Za-z]{0,2})(\d+)-([A-Za-z]{0,2})(\d+)", s)
    if not m or len(m.group(4)) > len(m.group(2)) or m.group(3) or (
            len(m.group(4)) == len(m.group(2)) and not m.group(1)):
        return s
    first, last = m.group(2), m.group(2)[:len(m.group(2)) - len(m.group(4))] + m.group(4)
    return f"{m.group(1)}{first}-{m.group(1)}{last}" if int(last) > int(first) else s


def clean_text(s: str) -> str | None:
    """Title-like value without the "In:" that introduces (or ends before) a container."""
    s = strip_edges(re.sub(r"\s+", " ", s))
    s = re.sub(r"^(?:In|in|IN)(?:\s*:\s*|\s+(?=[A-Z])(?!(?i:vitro|vivo|situ|silico|utero)\b))", "", s)
    s = re.sub(r"[\s.,]+In\s*:?$", "", s)
    return strip_edges(s) or None


def clean_edition(s: str) -> str | None:
    s = re.sub(r"(?i)\b(?:ed|edn|edition)\b\.?", "", strip_edges(s))
    return strip_edges(s) or None


def year_of(s: str) -> int | None:
    m = _YEAR.search(s)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- names

ET_AL = re.compile(r"(?i)\bet\.?\s*al\b\.?|\band\s+others\b|\bet\s+coll?\b\.?")


def _one_name(chunk: str) -> str | None:
    """A single name in any order -> 'Family Initials [Suffix]' (`extract.names`)."""
    name = parse_name(strip_edges(chunk))
    return name.vancouver if name else None


def split_names(text: str) -> tuple[list[str], bool]:
    """Author string in Vancouver/AMA/APA/Harvard/Nature form -> (['Family Initials'], et_al)."""
    text = re.sub(r"\s+", " ", text or "").strip()
    et_al = bool(ET_AL.search(text))
    text = ET_AL.sub("", text)
    text = re.sub(r"(?i)\(?\b(?:eds?|editors?|hrsg|coords?)\b\.?\)?", "", text)
    text = re.sub(r"(?i)^\s*(?:in|by)\s*:?\s+", "", text)
    text = re.sub(r"\s*(?:&|\band\b|\bund\b|\bet\b|\by\b)\s*", ", ", text)
    text = re.sub(r"\(\s*\d{4}[a-z]?\s*\)\.?$", "", text).strip()
    sep = ";" if ";" in text else ","
    chunks = [part for c in text.split(sep) if strip_edges(c) for part in _suffix_apart(c.strip())]
    pairs = sep == "," and _family_given_pairs(chunks)
    names: list[str] = []
    i = 0
    while i < len(chunks):
        c = chunks[i]
        nxt = chunks[i + 1] if i + 1 < len(chunks) else None
        # APA / Harvard / Nature: "Reiter, N. A." arrives as ["Reiter", "N. A."]
        if nxt is not None and sep == "," and (pairs or (is_initials(nxt) and not _has_initials(c))
                                               or (i == 0 and _inverted_first(c, nxt))):
            c = f"{c}, {nxt}"
            i += 1
            nxt = chunks[i + 1] if i + 1 < len(chunks) else None
        if nxt is not None and is_suffix(nxt):  # "Smith J, Jr"
            c = f"{c} {nxt}"
            i += 1
        if name := _one_name(c):
            names.append(name)
        i += 1
    return names, et_al


def _suffix_apart(chunk: str) -> list[str]:
    """APA's 'Saltveit, M. E. Jr.': the initials chunk gives its suffix a chunk of its own,
    so the initials pair with the family name before them."""
    m = re.fullmatch(r"(.+?)\s+((?:Jr|Sr|II|III|IV)\.?)", chunk)
    return [m.group(1), m.group(2)] if m and is_initials(m.group(1)) else [chunk]


def _has_initials(chunk: str) -> bool:
    """True for a complete name: 'Reiter N', 'N. Reiter', or initials alone."""
    words = strip_edges(chunk).split()
    return is_initials(chunk) or (len(words) > 1 and (is_initials(words[-1]) or is_initials(words[0])))


def _inverted_first(family: str, given: str) -> bool:
    """Chicago/MLA 'Reiter, Nicole A., and John Smith': only the first name is inverted."""
    fam = strip_edges(family).split()
    giv = given.strip(" ,;").split()
    return (len(fam) == 1 or (len(fam) == 2 and fam[0].lower() in PARTICLES)) and not _has_initials(family) \
        and 1 <= len(giv) <= 3 and giv[0][:1].isupper() \
        and not (len(giv) > 1 and is_initials(giv[-1]) and "." not in giv[-1]) \
        and not (len(giv) == 2 and giv[-1][:1].isupper() and not is_initials(giv[-1]))


def _family_given_pairs(chunks: list[str]) -> bool:
    """'Reiter, Nicole, Smith, John' (full given names after the family name)."""
    if len(chunks) < 2 or len(chunks) % 2:
        return False
    return all(len(strip_edges(c).split()) == 1 for c in chunks[::2]) \
        and all(len(strip_edges(c).split()) <= 2 for c in chunks[1::2]) \
        and not any(_has_initials(c) for c in chunks[::2])


# ---------------------------------------------------------------- public API

_SINGLE = {
    "title": clean_text, "container": clean_text, "volume": clean_volume, "issue": clean_issue,
    "pages": clean_pages, "publisher": clean_text, "edition": clean_edition,
}


def to_reference(raw: str, text: str, fields: list[tuple[str, str]]) -> ParsedReference:
    """Assemble tagged fields into a ParsedReference and let the rules fill or correct them."""
    ref = ParsedReference(raw=raw)
    by_label: dict[str, list[str]] = {}
    for lab, val in fields:
        by_label.setdefault(lab, []).append(val)
    for lab, clean in _SINGLE.items():
        if lab in by_label:
            vals = [v for v in map(clean, by_label[lab]) if v]
            if vals:
                setattr(ref, lab, max(vals, key=len) if lab == "title" else vals[0])
    if "author" in by_label:
        ref.authors, ref.et_al = split_names(", ".join(by_label["author"]))
    if not ref.et_al:
        ref.et_al = bool(re.search(r"(?i)\bet\.?\s*al\b", text[:200]))
    if "editor" in by_label:
        ref.editors = split_names(", ".join(by_label["editor"]))[0]
    for val in by_label.get("date", []):
        if (y := year_of(val)) is not None:
            ref.year = y
            break
    if ref.volume and ref.issue is None and (m := re.fullmatch(r"(\w+)\s*\((.+)\)", ref.volume)):
        ref.volume, ref.issue = m.group(1), strip_edges(m.group(2))
    if ref.issue:
        ref.issue = strip_edges(ref.issue)
    # rules for fixed-shape fields
    if m := _VANCOUVER.search(text):
        ref.year = int(m.group("year"))
        if m.group("volume"):
            ref.volume = m.group("volume")
        if m.group("issue") or m.group("suppl"):
            ref.issue = clean_issue(m.group("issue") or m.group("suppl"))
        ref.pages = clean_pages(m.group("pages"))
    else:
        if m := _VOL_NO.search(text):
            ref.volume, ref.issue = m.group("volume"), m.group("issue")
        _locator(ref, text)
    if ref.year is None:
        years = [int(y) for y in _YEAR.findall(text)]
        ref.year = years[0] if len(years) == 1 else None
    ref.doi = clean_doi(text)
    if m := _PMID.search(text):
        ref.pmid = m.group(1)
    if m := _PMCID.search(text):
        ref.pmcid = m.group(1).replace(" ", "").upper()
    urls = [u for u in _URL.findall(text) if "doi.org" not in u.lower() or not ref.doi]
    ref.url = _trim_identifier(urls[0]) if urls else None
    return ref


def _well_formed(value: str | None, shape: str) -> bool:
    return bool(value) and re.fullmatch(shape, value) is not None


_NUMBER = r"[A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*\d+)?"


def _locator(ref: ParsedReference, text: str) -> None:
    """Volume, issue and pages by the shapes of the non-Vancouver styles, where the
    labeller left them out or ran two of them together ('6 pages 2014', '229: 99-106')."""
    if ref.volume and (m := _SUPPLEMENT.search(ref.volume)) and m.start():  # "192 supplement 1"
        ref.volume = strip_edges(ref.volume[:m.start()])
    if m := _ARTICLE_ID.search(text):
        ref.pages = m.group("id")
        if not _well_formed(ref.volume, _NUMBER):
            vol = re.search(r"(?i)\bvol(?:ume)?\.?\s*(\d+)", text)
            ref.volume = vol.group(1) if vol else None
    if ref.issue is None and (m := _SUPPLEMENT.search(text)):
        ref.issue = m.group(0)
    if _well_formed(ref.pages, _LOC):
        return
    found = list(_LOCATOR.finditer(text))
    if not found:
        return
    m = found[-1]
    if m.group("sep") == "," and not m.group("year") and "-" not in m.group("pages"):
        return  # ", 12, 40." is as likely a list of numbers as a volume and one page
    ref.pages = clean_pages(m.group("pages"))
    if not ref.volume or ref.volume == ref.pages or m.group() in f" {ref.volume}":
        ref.volume = m.group("volume")
    if ref.issue is None and m.group("issue"):
        ref.issue = clean_issue(m.group("issue"))
    if ref.year is None and m.group("year"):
        ref.year = int(m.group("year"))


_NAME = r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)* [A-Z]{1,4}"
_COLON_AUTHORS = re.compile(rf"^((?:{_NAME}, )*{_NAME}(?:,? et al\.?)?):\s+(?=[A-Z0-9])")


_PARTS = re.compile(r"^\(a\)\s+(.+?[.;])\s+\(b\)\s+(?=[A-Z])")


def _first_part(text: str) -> str:
    """Chemistry journals group several works under one number ("(a) Weigend, F.; ...
    2005, 7, 3297. (b) Andrae, D.; ..."): the fields are those of the first."""
    m = _PARTS.match(text)
    return m.group(1) if m else re.sub(r"^\(a\)\s+", "", text)


# "Noxious thermal input ... influences. Pain" with no container: the labeller ran the
# title on into the journal name (BioMed Central's "Pain 1978, 4:231", Vancouver's
# "Head Neck. 2003"); a last sentence of capitalised words is the journal
_TITLE_JOURNAL = re.compile(
    r"(.{20,}[.?!])\.?\s+((?:(?:[A-Z][\w'\-]*\.?|of|and|the|in|for|&)\s?){1,8})")


def _author_span(tokens: list[Token], labels: list[str], end: int) -> list[str]:
    """Labels with the author field set to text[:end], the author list the name grammar
    found: names the labeller gave the title become authors ("..., Alviano CS, Rosa MS:"),
    and words it ran into the author field after the list ("Panda SK. Ocimum sanctum
    Linn. A reservoir plant...") go to the field that follows them."""
    out = list(labels)
    for i, tok in enumerate(tokens):
        if tok.end <= end and out[i] != OTHER:
            out[i] = "author"
    after = [i for i, tok in enumerate(tokens) if tok.start >= end]
    run = []
    for i in after:
        if out[i] not in ("author", OTHER):
            break
        run.append(i)
    nxt = next((out[i] for i in after[len(run):]), "title")
    for i in run:
        if out[i] == "author":
            out[i] = nxt
    return out


def parse_reference(raw: str, tagger: pycrfsuite.Tagger | None = None) -> ParsedReference:
    """Parse one reference string; never raises (an unparsable string gives nulls)."""
    try:
        text = _first_part(strip_numbering(repair(raw or "")))
        # BioMed Central closes the author list with a colon ("Rigas B: Curcumin ..."):
        # the labeller learnt the Vancouver full stop, so it gets one, and the names
        # before the colon are the authors whatever it makes of them
        colon = _COLON_AUTHORS.match(text)
        if colon:
            text = f"{colon.group(1)}. {text[colon.end():]}"
        tokens, labels = tag(text, tagger)
        if (end := author_list_end(text)) is not None:
            labels = _author_span(tokens, labels, end)
        ref = to_reference(raw, text, spans(tokens, labels, text))
        if colon:
            ref.authors, ref.et_al = split_names(colon.group(1))
            head, _, rest = (ref.title or "").partition(". ")
            if rest and colon.group(1).endswith(head):
                ref.title = rest
        if ref.container and ref.year:  # "Circ Res 1999, 85(10)": the year is not the journal's
            ref.container = re.sub(rf"[\s,.;]+{ref.year}[a-z]?$", "", ref.container) or ref.container
        if ref.title and not ref.container and (m := _TITLE_JOURNAL.fullmatch(ref.title)):
            ref.title, ref.container = strip_edges(m.group(1)), strip_edges(m.group(2))
        elif ref.container and not ref.title and (m := _TITLE_JOURNAL.fullmatch(ref.container)) \
                and len(re.findall(r"\b[a-z]{3,}", m.group(1))) >= 3:  # a sentence, not "Plasma Phys. Control."
            ref.title, ref.container = strip_edges(m.group(1)), strip_edges(m.group(2))
        return ref
    except Exception:  # noqa: BLE001 - one bad string must not stop a document
        return ParsedReference(raw=raw)


def parse_references(raws: list[str]) -> list[ParsedReference]:
    """Parse many strings with one model load."""
    tagger = load_tagger()
    return [parse_reference(r, tagger) for r in raws]
