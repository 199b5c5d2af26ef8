"""Bibliographic metadata from the first page, the running header/footer and the PDF's
own metadata, in that order of trust."""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from extract.document import Document, Metadata
from extract.pdf.structure import Structure, split_author_names

DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID_RE = re.compile(r"\bPMID:?\s*(\d{6,9})\b")
PMCID_RE = re.compile(r"\b(PMC\d{5,9})\b")
YEAR = r"(19[5-9]\d|20[0-4]\d)"
YEAR_PATTERNS = [  # (pattern, weight): stronger signals first
    (re.compile(r"\b(published( online)?|epub|available online)\b[^\n]{0,40}?" + YEAR, re.I), 5),
    (re.compile(r"\baccepted\b[^\n]{0,40}?" + YEAR, re.I), 2),  # before publication, maybe a year before
    (re.compile(r"(©|\(c\)|copyright)\s*(the authors?\s*)?" + YEAR, re.I), 4),
    (re.compile(r"\b" + YEAR + r"\s*;\s*\d+\s*(\(\s*[\w\-]+\s*\))?\s*:"), 4),
    (re.compile(r"\bvol(ume)?\.?\s*\d+\s*[,(]\s*" + YEAR, re.I), 3),
    (re.compile(r"\bvolume\s+" + YEAR, re.I), 3),
    (re.compile(r"\(" + YEAR + r"\)\s*\d+\s*:\s*\d+"), 4),
    (re.compile(r"\b" + YEAR + r"\b"), 1),
]
CITE_RE = re.compile(
    r"\b" + YEAR + r"\s*;\s*(\d+)\s*(?:\(\s*([\w\-]+)\s*\))?\s*:\s*([eE]?\d+(?:\s*[-–]\s*[eE]?\d+)?)")
VOL_RE = re.compile(r"\b(?:vol(?:ume)?\.?)\s*(\d+)\b", re.I)
ISSUE_RE = re.compile(r"\b(?:no\.|number|issue)\s*(\d+)\b", re.I)
PAGES_RE = re.compile(r"\b(?:pp?\.|pages)\s*(\d+\s*[-–]\s*\d+)\b", re.I)
ARTICLE_ID_RE = re.compile(r"\barticle\s+(?:id|number)\s*:?\s*(\w+)", re.I)
BMC_RE = re.compile(r"\(" + YEAR + r"\)\s*(\d+)\s*:\s*(\w+)")


def clean_doi(doi: str) -> str:
    doi = re.sub(r"\s+", "", doi)
    doi = doi.rstrip(".,;:)]}>'\"”’")
    if doi.count("(") < doi.count(")"):
        doi = doi.rstrip(")")
    return doi.lower()


def extract_metadata(doc: Document, st: Structure, info: dict) -> Metadata:
    md = Metadata()
    first = _first_page_text(doc)
    furniture = "\n".join(ln.text for p in doc.pages for ln in p.furniture)
    front = first + "\n" + furniture

    md.title = _clean_title(st.title) or info_title(info)
    names = [n for line in st.author_lines for n in split_author_names(line)]
    if not names and info.get("Author"):
        names = [n.strip() for n in re.split(r";|,|\band\b", info["Author"]) if n.strip()]
    md.authors = names
    md.affiliations = st.affiliations
    md.keywords = st.keywords
    md.article_type = st.article_label  # as printed: 'Case Report', 'Research Article'

    # the imprint (page margins) before the page's text, where a trial registration or a
    # data set may carry a DOI of its own
    md.doi = (_first_doi(furniture, labelled=True) or _first_doi(first, labelled=True)
              or _first_doi(furniture) or _first_doi(first)
              or _first_doi(" ".join(str(v) for v in info.values())))
    if md.doi is None:
        body = "\n".join(s.text for s in doc.sections if s.kind not in ("references",))
        md.doi = _first_doi(body)
    m = PMID_RE.search(front)
    md.pmid = m.group(1) if m else None
    m = PMCID_RE.search(front)
    md.pmcid = m.group(1) if m else None
    md.year = _year(front) or _info_year(info)
    md.journal = _journal(doc, info, md.title)
    _volume_issue_pages(md, front)
    return md


def _first_page_text(doc: Document) -> str:
    out = []
    for s in doc.sections:
        if s.page == 1 and s.kind not in ("references",):
            out.append(s.text)
    out += [ln.text for ln in (doc.pages[0].furniture if doc.pages else [])]
    return "\n".join(out)


DOI_LABEL = re.compile(r"(doi\s*:?\s*|doi\.org/)$", re.I)


def _first_doi(text: str, labelled: bool = False) -> str | None:
    """The first DOI in `text`; with `labelled`, only one printed after 'doi:' or 'doi.org/'."""
    text = text.translate(HYPHENS)
    # join DOIs broken at a line end ("10.1155/2016/\n6270491")
    text = re.sub(r"(10\.\d{4,9}/\S*[/\-])\s+(?=\w)", r"\1", text)
    for m in DOI_RE.finditer(text):
        if labelled and not DOI_LABEL.search(text[max(0, m.start() - 12):m.start()]):
            continue
        doi = clean_doi(m.group(1))
        if len(doi) > 8 and not doi.startswith(REPOSITORY_PREFIXES):
            return doi
    return None


# data and registration repositories: a DOI there names a data set or a protocol
# registration cited on the first page, not the article (OSF, Dryad, Zenodo, figshare)
REPOSITORY_PREFIXES = ("10.17605/", "10.5061/", "10.5281/", "10.6084/")


HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00ad": "-"})


def _year(text: str) -> int | None:
    scores: Counter[int] = Counter()
    for rx, w in YEAR_PATTERNS:
        for m in rx.finditer(text):
            y = next(g for g in reversed(m.groups()) if g and re.fullmatch(YEAR, g))
            scores[int(y)] += w
    if not scores:
        return None
    best = max(scores.values())
    # among the best-scored years prefer the latest (published after received/accepted)
    return max(y for y, s in scores.items() if s == best)


def _info_year(info: dict) -> int | None:
    for key in ("CreationDate", "ModDate"):
        m = re.search(r"(19[5-9]\d|20[0-4]\d)", info.get(key, ""))
        if m:
            return int(m.group(1))
    return None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"\s+", " ", title).strip()
    t = re.sub(r"[\*†‡]+$|\s\d$", "", t).strip()
    return t or None


def info_title(info: dict) -> str | None:
    t = (info.get("Title") or "").strip()
    if len(t) < 12 or re.search(r"\.(docx?|pdf|tex|indd)$|^microsoft|untitled", t, re.I):
        return None
    return t


def _journal(doc: Document, info: dict, title: str | None = None) -> str | None:
    """The journal's name: the running head or foot that recurs on the most pages ("Li et
    al. Medicine (2020) 99:51" gives "Medicine"), preferring one the first page prints
    too; never the running title, the authors' names, a notice, or a table header that
    recurs where a table runs over two pages. Else the first page's imprint ("Hindawi
    Publishing Corporation <journal> Volume 2016"), else the PDF's Subject."""
    first = " ".join(b.text for b in doc.pages[0].blocks[:12]).lower() if doc.pages else ""
    pages: dict[str, set[int]] = {}
    top: Counter[str] = Counter()
    for p in doc.pages:
        for ln in p.furniture:
            cells = [o for o in p.furniture if abs(o.bbox[1] - ln.bbox[1]) < 2 and not o.text.strip().isdigit()]
            if len(cells) >= 3:
                continue  # a table's header row reaching into the margin, cell by cell
            for part in re.split(r"\s+\|\s+|\s{3,}", ln.text):  # "Frontiers in X | www... | Volume 6"
                t = _head_name(part, title)
                if t:
                    pages.setdefault(t, set()).add(p.number)
                    top[t] += ln.bbox[1] < p.height / 2
    recurring = [t for t in pages if len(pages[t]) >= max(2, 0.3 * len(doc.pages))]
    if recurring:
        return max(recurring, key=lambda t: (len(pages[t]) + (t.lower() in first), top[t], t))
    m = IMPRINT_RE.search(" ".join(b.text for b in doc.pages[0].blocks[:6]) if doc.pages else "")
    if m:
        return m.group(1).strip()
    subj = (info.get("Subject") or "").strip()
    m = re.match(r"([A-Z][\w .&]+?)[,.]?\s*(19|20)\d\d", subj)
    return m.group(1).strip() if m else None


IMPRINT_RE = re.compile(r"(?:Hindawi Publishing Corporation|Hindawi)\s+([A-Z][\w ,&-]+?)\s+Volume\s+\d{4}")
_HEAD_NOISE = re.compile(r"et al|page|©|copyright|licen|published|www\.|https?:|submit|manuscript|available|"
                         r"open access|downloaded|permission|^(research|review|original|article|case report)s?$|"
                         r"^(dovepress|hindawi|elsevier|springer|wiley|mdpi|biomed central)$|"
                         r"\b(january|february|march|april|may|june|july|august|september|october|november|"
                         r"december)\b", re.I)


def _head_name(text: str, title: str | None) -> str | None:
    """A running head's wording that can name a journal, or None."""
    t = re.sub(r"^.*\bet al\.?,?\s*", "", text)  # "Li et al. Medicine (2020) 99:51"
    t = re.sub(r"(vol(ume)?\.?|no\.|issue|pages?|pp\.|article( id| number)?|doi:?)\s*[\w/.\-]*", " ", t,
               flags=re.I)
    t = re.sub(r"https?://\S+|10\.\d{4,9}/\S+|[eE]?\d+|±", " ", t)
    t = re.sub(r"[\s,;:()|•·]+", " ", t).strip(" .-–")
    words = t.split()
    if not words or t.islower() or not t[0].isalpha() or len(words) > 8 or _HEAD_NOISE.search(t):
        return None
    if len(words) == 1 and (t.isupper() or (len(t) < 5 and t[1:].islower())):
        return None  # "POD", "BMI": a table's column head, not a journal
    if re.fullmatch(r"[A-Z][\w'’-]+ and [A-Z][\w'’-]+", t):
        return None  # "Ali and Kim": the authors
    if title and (fuzz.ratio(t.lower(), title.lower()) >= 85
                  or (len(t) >= 20 and fuzz.partial_ratio(t.lower(), title.lower()) >= 85)):
        return None  # the running title
    return t


def _volume_issue_pages(md: Metadata, text: str) -> None:
    m = CITE_RE.search(text)
    if m:
        md.volume, md.issue, md.pages = m.group(2), m.group(3), re.sub(r"\s+", "", m.group(4))
        return
    m = BMC_RE.search(text)
    if m:
        md.volume, md.pages = m.group(2), m.group(3)
        return
    m = VOL_RE.search(text)
    md.volume = m.group(1) if m else None
    m = ISSUE_RE.search(text)
    md.issue = m.group(1) if m else None
    m = PAGES_RE.search(text) or ARTICLE_ID_RE.search(text)
    md.pages = re.sub(r"\s+", "", m.group(1)) if m else None
