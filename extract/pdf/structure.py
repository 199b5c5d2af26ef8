"""Logical structure: which blocks are the title, authors, abstract, headings, body,
captions, tables, references and back matter, and what kind each section is.

The input is the pages' blocks in reading order; the output is a list of `Unit`s (a
heading or a paragraph with its section kind) from which `ingest` assembles the text.
Headings are recognised by style (bold, larger, all caps, numbered) relative to the
body font size, or by their wording; their kind comes from a table of heading words.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extract.document import Block, Page
from extract.names import attach_suffixes

# heading wording -> section kind (first match wins; matched against the normalised heading)
HEADING_KINDS: list[tuple[str, str]] = [
    (r"^(structured )?(abstract|summary|synopsis)\b", "abstract"),
    (r"^(background|introduction|overview)\b", "introduction"),
    (r"^(case (reports?|presentations?|descriptions?|histor(y|ies)|summary|details|series|studies)|"
     r"(clinical )?case\b|presentation of (the )?case|patients? (and|&) (methods|observations?)|"
     r"report of (the |a )?case|clinical (presentation|findings|course|history)|"
     r"(the )?patient\b|observations?$|history\b|treatment\b|management\b|follow[- ]?up\b|"
     r"outcome\b|investigations?\b|diagnos[ie]s\b|differential diagnos[ie]s\b|timeline\b)", "case"),
    (r"^(materials?|methods?|methodology|patients?|subjects|participants|study design|"
     r"experimental|statistical analysis|design|setting|data (collection|analysis))\b", "methods"),
    (r"^(results?|findings)\b", "results"),
    (r"^(discussion|comment|comments)\b", "discussion"),
    (r"^(conclusions?|concluding remarks|summary and conclusions?|learning points?|"
     r"take[- ]home messages?|key messages?|what is (already )?known|lessons? learned)\b",
     "conclusion"),
    (r"^(references?|bibliography|literature cited|works cited|cited literature|reference list|"
     r"notes and references|references and notes)\b", "references"),
    # BMJ Open's protocol section, before the "ethic..." of back matter
    (r"^ethics and dissemination\b", "other"),
    (r"^(acknowledge?ments?|funding|financial (support|disclosure)|sources? of (funding|support)|"
     r"conflicts? of interests?|competing interests?|declaration|disclosures?|"
     r"author(s'|'s)? contributions?|contributors|ethic|consent|informed consent|"
     r"patient (consent|perspective)|data (availability|sharing)|availability of data|"
     r"abbreviations|supplementary|supporting information|additional files?|associated content|"
     r"author information|"
     r"publisher'?s note|open access|cite this article|how to cite|copyright|"
     r"provenance|orcid|footnotes?|notes?$|license|peer review)", "back_matter"),
    (r"^(keywords?|key words|index terms)\b", "keywords"),
]
_KIND_RES = [(re.compile(p), k) for p, k in HEADING_KINDS]
_SPACED = r"f ?i ?g ?u ?r ?e|t ?a ?b ?l ?e"  # Wiley's letter-spaced "F I G U R E 1"
CAPTION_RE = re.compile(
    rf"^\s*((supplementa(l|ry)\s+)?(figure|fig\.?|table|chart|graph|scheme|plate|box|video|{_SPACED})"
    r"\s*[S]?\d+[A-Za-z]?\s*[.:|)\-–—]?|(figure|table)\s+[A-Z]\b)", re.I)
ABSTRACT_PARTS = re.compile(
    r"^(background|objectives?|aims?|purpose|context|methods?|methodology|design|setting|"
    r"participants|patients?|interventions?|main outcome|measurements|results?|findings|"
    r"conclusions?|interpretation|significance|importance|case (presentation|report|description|"
    r"summary)s?|observations?|discussion|trial registration|funding|evidence|level of evidence|"
    r"materials and methods|study design)\b")
NUMBERED = re.compile(r"^\s*((\d+|[IVX]+|[A-H])(\.\d+)*)\.?\s*[|:]?\s+(?=\S)")
REF_LIKE = re.compile(r"\((19|20)\d\d[a-z]?\)|\b(19|20)\d\d;\s*\d|\bdoi:?\s*10\.|\bet al\.")
BODY_KINDS = {"introduction", "case", "methods", "results", "discussion", "conclusion", "other"}
# a licence or copyright footnote set in a column (not a section of its own)
LICENCE = re.compile(r"^(\(cid:\d+\)\s*)?(copyright\b|©|\(c\)\s*(19|20)\d\d|this is an open[- ]access|this article is "
                     r"(an open[- ]access|distributed|licensed)|licensee\b|open access (article|this))", re.I)
CORRESPONDENCE = re.compile(r"^[*†]?\s*(for reprints|(address )?correspond(ence|ing author)|e-?mail)\b", re.I)
KEYWORDS_LEAD = re.compile(r"^(key\s?words?|k\s?e\s?y\s?w\s?o\s?r\s?d\s?s|index terms)\b", re.I)
# "Abstract" run into the abstract's first sentence, in the text's own type
RUN_IN_ABSTRACT = re.compile(r"^(abstract|summary)\b\s*[:.—–-]?\s*(?=[A-Z])", re.I)
ARTICLE_LABELS = re.compile(
    r"^(case (report|study|series)|research( article)?|original (article|research|paper)|"
    r"review( article)?|clinical (image|study)|brief report|short communication|letter|"
    r"open access|editorial|commentary|perspective|article|research paper)s?$", re.I)
FRONT_NOISE = re.compile(
    r"(copyright|©|creative commons|licen[cs]e|correspond|e-?mail|received|accepted|"
    r"published|academic editor|citation:|how to cite|open access|doi\.org|@)", re.I)


@dataclass
class Unit:
    """One heading or paragraph-level block, labelled for assembly."""

    block: Block
    role: str            # heading | body | caption | table | title | authors | affiliation | front | note
    kind: str            # section kind (DESIGN.md) or front-matter kind
    heading: str | None = None
    level: int = 1
    inline_heading: str | None = None  # a bold run-in heading at the start of the block


@dataclass
class Structure:
    units: list[Unit] = field(default_factory=list)
    body_size: float = 10.0
    title: str | None = None
    author_lines: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    article_label: str | None = None


EXACT_HEADINGS = {
    "abstract", "summary", "introduction", "background", "case report", "case presentation",
    "case description", "methods", "materials and methods", "results", "discussion", "conclusion",
    "conclusions", "references", "bibliography", "literature cited", "acknowledgements",
    "acknowledgments", "acknowledgement", "acknowledgment", "funding", "conflicts of interest",
    "conflict of interest", "competing interests", "abbreviations", "notes and references",
    "author information", "associated content", "supporting information", "author contributions",
}


def is_exact_heading(text: str) -> bool:
    """A line that is nothing but a common heading word, whatever its style."""
    return normalise_heading(text) in EXACT_HEADINGS


def heading_kind(text: str) -> str | None:
    t = normalise_heading(text)
    for rx, kind in _KIND_RES:
        if rx.search(t):
            return kind
    squashed = t.replace(" ", "")  # capitals tracked apart ("INTRODUC TI ON") or run together
    for h in EXACT_HEADINGS:
        if squashed == h.replace(" ", "") and h != t:
            return heading_kind(h)
    return None


def normalise_heading(text: str) -> str:
    t = re.sub(r"^\d+(\.\d+)*\.?\s*[|:]?\s+(?=\S)", "", text.strip())  # "3 | RE SULTS": the number first
    tokens = t.split()
    if len(tokens) >= 4 and sum(len(w) <= 2 for w in tokens) >= 0.7 * len(tokens):
        t = "".join(tokens)  # letter-spaced: "R E F E R E N C E S"
    t = re.sub(r"^[^\w(]+", "", t)  # a bullet before the heading ("■ REFERENCES")
    t = NUMBERED.sub("", t)
    t = re.sub(r"[\s:.\-–—]+$", "", t)
    return re.sub(r"\s+", " ", t).lower()


def body_font_size(pages: list[Page]) -> float:
    """The font size carrying most characters: the body text size. Pages set the other way
    round from most (a landscape table turned to read upright) hold floats, not running
    text: a full page of table cells would outweigh the body in a short paper."""
    wide = [p.width > p.height for p in pages]
    most = Counter(wide).most_common(1)[0][0] if pages else False
    counts: Counter[float] = Counter()
    for p in (p for p, w in zip(pages, wide) if w == most):
        for b in p.blocks:
            for ln in b.lines:
                counts[round(ln.size * 2) / 2] += len(ln.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _looks_like_heading(b: Block, body: float) -> bool:
    text = b.text.strip()
    if not text or len(b.lines) > 3 or len(text) > 160 or text[0].islower():
        return False
    if not any(ch.isalpha() for ch in text):
        return False  # a stray page number or label
    if text.endswith((",", ";")) or CAPTION_RE.match(text):
        return False
    words = text.split()
    if len(words) > 18:
        return False
    styled = (
        all(ln.bold for ln in b.lines)
        or b.size >= body + 0.9
        or _is_caps(text)
    )
    known = heading_kind(text) is not None
    numbered = bool(NUMBERED.match(text)) and len(words) <= 12 and not text.endswith(".")
    if styled and (known or numbered or len(words) <= 12):
        return not (text.endswith(".") and len(words) > 8)
    if numbered and known and len(b.lines) == 1 and b.size >= body - 0.6:
        return True  # "2. Methods" in body type: the number and the wording say enough
    # unstyled but unmistakable: a lone common heading ("References", "Discussion")
    return len(b.lines) == 1 and (is_exact_heading(text) or (known and len(words) <= 6 and b.size >= body - 0.6))


def _inline_heading(b: Block, body: float) -> str | None:
    """A bold run-in heading such as 'Case presentation. A 45-year-old ...'."""
    first = b.lines[0]
    bold = []
    for s in first.spans:
        if s.kind != "text":
            break
        if s.bold:
            bold.append(s.text)
        else:
            break
    lead = "".join(bold).strip()
    if not lead or len(lead) > 60 or lead == first.text.strip():
        return None
    if lead[-1] in ".:" or heading_kind(lead):
        return lead
    return None


def _back_matter_label(text: str) -> str | None:
    """An unstyled 'Acknowledgements:' / 'Cite this article as:' opening a paragraph."""
    m = re.match(r"([A-Z][A-Za-z' ]{2,40}?)\s*:\s", text)
    return m.group(1) + ":" if m and heading_kind(m.group(1)) == "back_matter" else None


def analyse(pages: list[Page], info_title: str | None = None) -> Structure:
    """Label every block; headings open sections whose kind later blocks inherit."""
    st = Structure(body_size=body_font_size(pages))
    body = st.body_size
    for p in pages:
        p.blocks = [part for b in p.blocks for part in _split_heading_line(b)]
    blocks = [b for p in pages for b in p.blocks]
    title_ids = _find_title(pages, body, info_title)
    st.title = " ".join(b.text.strip() for b in blocks if id(b) in title_ids) or None

    float_ids = _float_blocks(pages, body)
    kind = "front"
    parent_kind = "front"
    numbered_kinds: dict[str, str] = {}  # "3" -> the kind of the level-1 heading numbered 3
    seen_body_heading = False
    after_title = False
    abstract_size, abstract_page = 0.0, 0
    ref_size = 0.0
    seen_references = False
    abstract_text_size = 0.0   # type size of the abstract's own text, once seen
    abstract_parts: set[str] = set()  # part names the abstract already has ("background")
    keywords_next = False
    for b in blocks:
        text = b.text.strip()
        seen_references = seen_references or kind == "references"
        if id(b) in title_ids:
            st.units.append(Unit(b, "title", "title"))
            after_title = True
            continue
        if id(b) in float_ids:
            role, label = float_ids[id(b)]
            st.units.append(Unit(b, role, role, heading=label))
            continue
        if is_caption(b, body) and kind != "references":
            st.units.append(Unit(b, "caption", "caption", heading=caption_label(text)))
            continue
        if kind == "front" and ARTICLE_LABELS.match(text.rstrip(".:")):
            st.article_label = st.article_label or text.rstrip(".:")
            st.units.append(Unit(b, "front", "front"))
            continue
        if ((kind in ("front", "abstract") or (b.page <= 2 and not seen_references))
                and KEYWORDS_LEAD.match(text) and len(text) < 600) or (keywords_next and len(text) < 400):
            st.units.append(Unit(b, "front", "keywords"))  # "Keywords: a; b", styled or not
            found = _split_keywords(text)
            st.keywords += found
            keywords_next = not found and not keywords_next  # "K E Y W O R D S" over the list
            kind = "front" if kind == "abstract" else kind
            continue
        keywords_next = False
        if kind != "front" and not seen_references and (
                LICENCE.match(text) or (b.size < body - 0.5 and CORRESPONDENCE.match(text))):
            st.units.append(Unit(b, "note", "note"))  # a licence footnote in the column: kind goes on
            continue
        if kind == "front" and RUN_IN_ABSTRACT.match(text) and len(text.split()) >= 40:
            kind = parent_kind = "abstract"
            abstract_size, abstract_page = b.size, b.page
            abstract_text_size = b.size
            abstract_parts |= _run_in_labels(text)
            st.units.append(Unit(b, "body", "abstract", heading=RUN_IN_ABSTRACT.match(text).group(1)))
            continue
        if (kind in ("front", "abstract") and abstract_text_size and abs(b.size - body) < 0.3
                and abs(abstract_text_size - body) >= 0.5 and _is_body_like(b, body)
                and not FRONT_NOISE.search(text[:80]) and not _looks_like_affiliation(text)):
            kind = parent_kind = "introduction"  # body type after an abstract set smaller: no heading
            seen_body_heading = True
            st.units.append(Unit(b, "body", "introduction"))
            continue
        page = pages[b.page - 1]
        in_margin = b.bbox[1] < 0.06 * page.height or b.bbox[3] > 0.94 * page.height
        if kind == "front" and st.units and st.units[-1].role == "title" and b.size > body + 2:
            st.units.append(Unit(b, "front", "front"))  # a subtitle
            continue
        if _looks_like_heading(b, body) and not in_margin and (
                kind != "references" or heading_kind(text) or b.size >= body + 0.9):
            hk = heading_kind(text)
            level = _heading_level(text)
            if hk == "keywords":
                st.units.append(Unit(b, "front", "keywords"))
                st.keywords += _split_keywords(text)
                continue
            number = NUMBERED.match(text)
            if hk is None:
                # an unknown heading: a sub-heading keeps its parent's kind, a numbered one
                # its numbered parent's ("3.3 Toxicity" under "3 Results", whatever a table
                # note labelled "Abbreviations:" opened in between)
                numbered = bool(number) and not ARTICLE_LABELS.match(text)
                top = number.group(1).split(".")[0] if number and level > 1 else None
                hk = numbered_kinds.get(top) or (parent_kind if (level > 1 and parent_kind != "front") else (
                    "other" if kind not in ("front", "abstract") or numbered else None))
            if (kind == "abstract" and abstract_page == b.page and ABSTRACT_PARTS.match(
                    normalise_heading(text)) and b.size <= abstract_size + 0.3
                    and normalise_heading(text) not in abstract_parts):
                hk, level = "abstract", 2   # a structured abstract's part (Background, Methods...)
                abstract_parts.add(normalise_heading(text))
            if hk in BODY_KINDS and seen_references and not NUMBERED.match(text) and b.size < body + 0.9:
                hk = None  # "Case 1" over a table column after the references: not a new section
            if hk is not None:
                if hk == "abstract" and level == 1:
                    abstract_size, abstract_page = b.size, b.page
                if level == 1 or parent_kind in ("front",):
                    parent_kind = hk
                if number and level == 1:
                    numbered_kinds[number.group(1)] = hk
                kind = hk
                seen_body_heading = seen_body_heading or hk not in ("abstract", "front")
                st.units.append(Unit(b, "heading", hk, heading=text, level=level))
                continue
        inline = _inline_heading(b, body) or _back_matter_label(text)
        if inline and (kind != "references" or heading_kind(inline) == "back_matter"):
            hk = heading_kind(inline)
            if hk == "keywords":
                st.units.append(Unit(b, "front", "keywords"))
                st.keywords += _split_keywords(text)
                kind = "front" if kind == "abstract" else kind
                continue
            if kind == "abstract":
                hk = "abstract"   # run-in parts of a structured abstract
            if hk == "back_matter" and kind in BODY_KINDS and b.size <= body - 0.5 and \
                    normalise_heading(inline).startswith("abbreviation"):
                st.units.append(Unit(b, "note", "note"))  # a table's "Abbreviations: ..." note: kind goes on
                continue
            if hk:
                kind = hk
                if hk != "abstract":
                    parent_kind = hk
                st.units.append(Unit(b, "body", hk, heading=inline.rstrip(".: "),
                                     inline_heading=inline))
                continue
        if kind == "front":
            st.units.append(_front_unit(b, text, after_title, st))
            continue
        if kind != "references" and ref_size and abs(b.size - ref_size) < 0.3 and abs(b.size - body) >= 0.5 \
                and REF_LIKE.search(text):
            st.units.append(Unit(b, "body", "references"))  # the list resumes after back matter
            continue
        if kind != "references" and b.size < 0.8 * body and not _is_body_like(b, body):
            st.units.append(Unit(b, "note", "note"))
            continue
        if kind == "references" and ref_size and abs(ref_size - body) >= 0.5 and abs(b.size - body) < 0.3 \
                and not REF_LIKE.search(text) and _beside_list_start(b, st.units):
            # body type inside a list set smaller, at the top of the next column: the body
            # goes on beside the list's first entries (Frontiers' last page)
            st.units.append(Unit(b, "body", next((u.kind for u in reversed(st.units) if u.kind in BODY_KINDS),
                                                 "other")))
            continue
        if kind == "references" and not ref_size:
            ref_size = b.size
        if kind == "abstract":
            abstract_text_size = abstract_text_size or b.size
            abstract_parts |= _run_in_labels(text)
        st.units.append(Unit(b, "body", kind))
    _pick_authors(st)
    _abstract_without_heading(st)
    return st


def _beside_list_start(b: Block, units: list[Unit]) -> bool:
    """`b` stands higher on the page than the references heading and in a column to its
    right: read after the heading, but not under it."""
    head = next((u.block for u in reversed(units) if u.role == "heading" and u.kind == "references"), None)
    return head is not None and head.page == b.page and b.bbox[1] < head.bbox[1] and b.bbox[0] > head.bbox[2]


def is_caption(b: Block, body: float) -> bool:
    """A caption opens with its label ("Figure 2.", "Table 1 Patient data"); a paragraph in
    body type that opens with a label and a lower-case verb ("Scheme 2 displays the ...",
    "Table 1 lists") refers to the float, it is not its caption."""
    if not CAPTION_RE.match(b.text):
        return False
    label_bold = bool(b.lines[0].spans) and b.lines[0].spans[0].bold
    return not (CITES_FLOAT.match(b.text) and not label_bold and b.size >= body - 0.3)


# a sentence naming a float, or running on from one cited at a column's foot ("Fig. 2)
# showed", "Fig. 5a–d, it was"): the label, a range or a closing bracket, a lower-case word
CITES_FLOAT = re.compile(r"\s*(?i:(supplementa(l|ry)\s+)?(figure|fig\.?|table|chart|graph|scheme|plate|box|video)"
                         r"s?\s*S?\d+[A-Za-z]?(\s*[-–—]\s*[A-Za-z]?\d*[A-Za-z]?)?)\s*[,;)]?\s+[a-z]{2,}\b")


def _run_in_labels(text: str) -> set[str]:
    """Part names run into a structured abstract's text ("Background: ... Methods: ...")."""
    return {normalise_heading(m) for m in re.findall(r"(?:^|[.!?]\s+)([A-Z][A-Za-z ]{2,30}?)\s*:", text)
            if ABSTRACT_PARTS.match(normalise_heading(m))}


TABLE_CAPTION = re.compile(r"^\s*(supplementa\w+\s+)?t ?a ?b ?l ?e\s*S?\d+", re.I)
FIGURE_CAPTION = re.compile(r"^\s*(supplementa\w+\s+)?(f ?i ?g ?u ?r ?e|fig\.?)\s*S?\d+", re.I)


def _float_blocks(pages: list[Page], body: float) -> dict[int, tuple[str, str]]:
    """Ids of blocks inside tables (below a 'Table N' caption) and figures (above a
    'Figure N' caption): the non-prose blocks between the caption and the nearest prose,
    within the prose-free band of the caption's column(s)."""
    out: dict[int, tuple[str, str]] = {}
    for p in pages:
        for cap in p.blocks:
            if not is_caption(cap, body):
                continue
            if TABLE_CAPTION.match(cap.text):
                for b in _float_region(p, cap, body, down=True):
                    out[id(b)] = ("table", caption_label(cap.text))
            elif FIGURE_CAPTION.match(cap.text):
                for b in _float_region(p, cap, body, down=False):
                    out.setdefault(id(b), ("figure", caption_label(cap.text)))
    return out


def caption_label(text: str) -> str:
    """'Figure 2', 'Table 1', 'Supplementary Figure S3' from the start of a caption."""
    m = re.match(rf"\s*((?:supplementa\w+\s+)?(?:figure|fig\.?|table|chart|scheme|plate|box|{_SPACED})\s*S?\d*[A-Za-z]?)",
                 text, re.I)
    if not m:
        return text[:20]
    word, number = re.fullmatch(r"(.*?)\s*(S?\d+[A-Za-z]?)?", m.group(1).strip()).groups()
    if " " in word and re.fullmatch(_SPACED, word, re.I):
        word = word.replace(" ", "").title()  # "TA B L E" -> "Table"
    return f"{word} {number}" if number else word


def _float_region(p: Page, cap: Block, body: float, down: bool) -> list[Block]:
    cx0, ctop, cx1, cbottom = cap.bbox
    width = cx1 - cx0
    if down:
        side = [b for b in p.blocks if b is not cap and b.bbox[1] >= cbottom - 2]
    else:
        side = [b for b in p.blocks if b is not cap and b.bbox[3] <= ctop + 2]
    prose = [b for b in p.blocks if b is not cap and _is_prose(b, width, body)]
    overl = [b for b in prose if b in side and min(b.bbox[2], cx1) - max(b.bbox[0], cx0) > 0]
    if down:
        limit = min((b.bbox[1] for b in overl), default=p.height)
        band = (cbottom, limit)
    else:
        limit = max((b.bbox[3] for b in overl), default=0.0)
        band = (limit, ctop)
    beside = [b for b in prose if b.bbox[1] < band[1] and b.bbox[3] > band[0]]
    left = max((b.bbox[2] for b in beside if b.bbox[2] <= cx0 + 2), default=0.0)
    right = min((b.bbox[0] for b in beside if b.bbox[0] >= cx1 - 2), default=p.width)
    within = [b for b in side if b.bbox[0] >= left - 1 and b.bbox[2] <= right + 1]
    inside = [b for b in within if not CAPTION_RE.match(b.text) and not _heading_after_float(b, cap, within, body)]
    inside.sort(key=lambda b: b.bbox[1], reverse=not down)
    out: list[Block] = []
    edge = cbottom if down else ctop
    small = None
    for b in inside:
        beyond = b.bbox[1] >= limit if down else b.bbox[3] <= limit
        gap = (b.bbox[1] - edge) if down else (edge - b.bbox[3])
        if beyond or gap > (4 * body if down else 0.6 * p.height):
            break
        if small is None:
            small = b.size < body - 0.5
        elif small and abs(b.size - body) < 0.5:
            break  # a table set in small type ends where body-size text resumes
        out.append(b)
        edge = max(edge, b.bbox[3]) if down else min(edge, b.bbox[1])
    return out


def _heading_after_float(b: Block, cap: Block, within: list[Block], body: float) -> bool:
    """A section heading set after a float, not part of it: heading wording at a heading's
    length, and no column head (under the caption, with short cells level with it and
    near: "Case no."); a table footnote "Abbreviations: CDDP, cisplatin; ..." runs longer
    than a heading."""
    if b.size < body - 1.0 or heading_kind(b.text) is None or len(b.text.split()) > 18:
        return False
    under = b.bbox[0] < cap.bbox[2] and b.bbox[2] > cap.bbox[0]
    return not (under and any(o is not b and len(o.lines) <= 2 and o.bbox[1] < b.bbox[3] and o.bbox[3] > b.bbox[1]
                              and max(o.bbox[0] - b.bbox[2], b.bbox[0] - o.bbox[2]) < 6 * body for o in within))


def _is_prose(b: Block, width: float, body: float) -> bool:
    """Running text: body-size lines as wide as the caption, or (a column beside or under
    a full-width float) several long lines filling their own block's width. Type larger
    than the body's counts (where small print outweighs the running text, as a long
    reference list can, the body size found is the small print's)."""
    if CAPTION_RE.match(b.text):
        return True
    if len(b.lines) < 3 or b.size <= body - 1.0:
        return False
    wide = [ln for ln in b.lines if ln.bbox[2] - ln.bbox[0] >= 0.85 * width]
    x0, _, x1, _ = b.bbox
    full = [ln for ln in b.lines if ln.bbox[2] - ln.bbox[0] >= 0.9 * (x1 - x0) and len(ln.text) >= 40]
    return len(wide) >= 2 or len(full) >= 3


def _split_heading_line(b: Block) -> list[Block]:
    """A heading set in the paragraph's own type ("References" over the list) is its own block."""
    if len(b.lines) > 1 and is_exact_heading(b.lines[0].text):
        return [Block(b.page, b.lines[:1], b.column), Block(b.page, b.lines[1:], b.column)]
    # "Keywords: ..." set on from the abstract's last line is a block of its own
    at = next((i for i, ln in enumerate(b.lines) if i and KEYWORDS_LEAD.match(ln.text)
               and ":" in ln.text[:14]), None)
    if at is not None:
        return [Block(b.page, b.lines[:at], b.column), Block(b.page, b.lines[at:], b.column)]
    return [b]


def _heading_level(text: str) -> int:
    """'2.1 Methods' is level 2; unnumbered headings are level 1."""
    m = NUMBERED.match(text)
    if m and "." in m.group(1):
        return m.group(1).count(".") + 1
    return 1


def _is_body_like(b: Block, body: float) -> bool:
    return len(b.lines) >= 3 and abs(b.size - body) < 1.0


def _front_unit(b: Block, text: str, after_title: bool, st: Structure) -> Unit:
    if re.match(r"^(keywords?|key words|index terms)\b", text, re.I):
        st.keywords += _split_keywords(text)
        return Unit(b, "front", "keywords")
    if after_title and _looks_like_affiliation(text) and not _has_scripted_names(b):
        st.affiliations.append(text)
        return Unit(b, "affiliation", "affiliations")
    return Unit(b, "front", "front")


def _pick_authors(st: Structure) -> None:
    """The author line: among front-matter blocks just after the title, the one that
    reads most like a list of names (names with affiliation marks, commas, 'and')."""
    units = st.units
    ti = next((i for i, u in enumerate(units) if u.role == "title"), None)
    if ti is None:
        return
    title = units[ti].block
    best, best_score = None, 0.0
    for u in units[ti + 1:ti + 9]:
        if u.block.page != title.page or u.role not in ("front", "affiliation", "heading"):
            continue
        text = u.block.text.strip()
        if heading_kind(text) or not _looks_like_authors(u.block, text):
            continue
        score = 2.0 + 3.0 * _has_scripted_names(u.block) + (1.0 if re.search(r",|\band\b|&", text) else 0)
        score -= (u.block.bbox[1] - title.bbox[3]) / 200.0
        if score > best_score:
            best, best_score = u, score
    if best is not None:
        if best.role == "affiliation":
            st.affiliations.remove(best.block.text.strip())
        best.role, best.kind, best.heading = "authors", "authors", None
        st.author_lines.append(_without_scripts(best.block))


def _has_scripted_names(b: Block) -> bool:
    """Capitalised words followed by superscript marks: 'Okonjo1,2*'."""
    for ln in b.lines:
        for s, nxt in zip(ln.spans, ln.spans[1:]):
            if s.kind == "text" and nxt.kind == "sup" and re.search(r"[A-Z][a-z\u00C0-\u024F'’\-]+\s*$", s.text):
                return True
    return False


AFFIL_RE = re.compile(
    r"(universit|department|dept\.|hospital|institut|college|school|faculty|center|centre|"
    r"clinic|laborator|division|unit\b|foundation|ministry|academy|medical|research|"
    r"\b[A-Z]{2}\s\d{5}\b|\busa\b|\bu\.?k\.?\b|china|india|japan|germany|france|italy|spain)",
    re.I)


AUTHOR_NOISE = re.compile(r"(www\.|https?:|manuscript|publishing|central|press|journal|"
                          r"protocol|study|trial|review|article|report|volume|issue)", re.I)


def _looks_like_authors(b: Block, text: str) -> bool:
    if len(text) > 600 or FRONT_NOISE.search(text) or AUTHOR_NOISE.search(text) or text.endswith("."):
        return False
    if AFFIL_RE.search(_without_scripts(b)) and not any(s.kind == "sup" for ln in b.lines for s in ln.spans):
        return False
    names = split_author_names(_without_scripts(b))
    return 1 <= len(names) <= 60 and all(1 <= len(n.split()) <= 6 for n in names)


def _looks_like_affiliation(text: str) -> bool:
    """Institution words, and not running prose (an abstract also names hospitals)."""
    sentences = len(re.findall(r"[a-z]{3}\. [A-Z]", text))
    return (bool(AFFIL_RE.search(text)) and not FRONT_NOISE.search(text[:40])
            and (len(text) < 400 or sentences < 2))


def _without_scripts(b: Block) -> str:
    """The block's text with superscripts (affiliation marks) as name separators; short
    lines (one name a line) stay on their own lines."""
    lines = ["".join(s.text if s.kind == "text" else ", " for s in ln.spans) for ln in b.lines]
    one_name_a_line = len(lines) > 1 and all(len(ln.split()) <= 4 for ln in lines)
    return ("\n" if one_name_a_line else " ").join(lines)


DEGREES = re.compile(
    r"\b(M\.?D|Ph\.?D|M\.?B\.?B\.?S|M\.?S|M\.?Sc|B\.?Sc|R\.?N|D\.?O|M\.?P\.?H|FRCP|FRCS|MRCP|DDS|"
    r"DMD|PharmD|DNB|DVM|MBChB|BSc|MSc|MA|BA|FACP|FAAD|DM|MCh)\b\.?", re.I)


def split_author_names(text: str) -> list[str]:
    """A printed author line -> names as printed ('John Smith Jr' keeps its suffix)."""
    text = re.sub(r"#_#x([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)  # escaped glyph names
    text = re.sub(r"(?<=[a-z])ID\b", "", text)  # an ORCID badge glued to the name
    text = re.sub(r"[\*†‡§¶#∗✉]+|\d+", " ", text).replace("|", ",")
    text = DEGREES.sub(" ", text)
    parts = re.split(r",|;|\band\b|&|\n", text)
    names = [re.sub(r"^(?:[a-z]\s+)+|\s+", " ", p).strip(" .,") for p in parts]  # icon glyphs: "w Name"
    return attach_suffixes([n for n in names if n and any(ch.isalpha() for ch in n) and len(n) > 1])


def _split_keywords(text: str) -> list[str]:
    body = KEYWORDS_LEAD.sub("", text.strip()).lstrip(" :.—–-")
    return [k.strip(" .") for k in re.split(r"[;,·•]|\s{2,}|\s[–—]\s", body) if k.strip(" .")]


def _find_title(pages: list[Page], body: float, info_title: str | None) -> set[int]:
    """Ids of the title block(s): the block matching the PDF's own Title field, else the
    largest text in the top part of page 1 below the running-head band."""
    if not pages or not pages[0].blocks:
        return set()
    p = pages[0]
    cands = [b for b in p.blocks
             if b.bbox[1] < 0.66 * p.height and len(b.text.split()) >= 2
             and not ARTICLE_LABELS.match(b.text.strip().rstrip(".:"))
             and not FRONT_NOISE.search(b.text[:60])
             and not CAPTION_RE.match(b.text)]
    if not cands:
        return set()
    if info_title and len(info_title) >= 12:
        from rapidfuzz import fuzz
        want = info_title.lower()
        hits = [b for b in cands if fuzz.partial_ratio(want, b.text.lower()) >= 90
                and len(b.text) >= 0.4 * len(want)]
        if hits:
            return {id(b) for b in hits if fuzz.partial_ratio(b.text.lower(), want) >= 90}
    lower = [b for b in cands if b.bbox[1] > 0.08 * p.height]
    if lower and max(b.size for b in lower) >= body + 2:
        cands = lower
    top = max(b.size for b in cands)
    if top < body + 1.0:
        # no larger text: a bold block near the top of the page
        bold = [b for b in cands if all(ln.bold for ln in b.lines) and len(b.text) > 20]
        return {id(bold[0])} if bold else set()
    chosen = [b for b in cands if abs(b.size - top) < 0.6]
    # keep the first run of consecutive title-size blocks (titles split over blocks)
    first = chosen[0]
    out = {id(first)}
    for b in chosen[1:]:
        if abs(b.bbox[1] - first.bbox[3]) < 2.5 * top:
            out.add(id(b))
            first = b
    return out


def _abstract_without_heading(st: Structure) -> None:
    """No 'Abstract' heading: the longest prose block of the front matter is the abstract."""
    if any(u.kind == "abstract" for u in st.units):
        return
    front = [u for u in st.units if u.role == "front" and u.kind == "front"]
    prose = [u for u in front
             if len(u.block.text.split()) >= 40 and not FRONT_NOISE.search(u.block.text[:80])]
    if prose:
        # with no headed body at all (a letter, a correction notice), the prose is the body
        body = any(u.role == "heading" and u.kind not in ("abstract", "references", "back_matter")
                   for u in st.units)
        intro = _introduction_after_abstract(prose, st.body_size) if body else []
        for u in intro:
            u.role, u.kind = "body", "introduction"
        for u in (prose if not body else [prose[0] if intro else max(prose, key=lambda u: len(u.block.text))]):
            u.role, u.kind = "body", "abstract" if body else "other"


def _introduction_after_abstract(prose: list[Unit], body: float) -> list[Unit]:
    """Nature's Scientific Reports style: a bold abstract, then the introduction in body
    type with no heading of its own. When the first prose block is set apart (bold or
    another size) and later ones are plain body type, those later ones are the
    introduction."""
    first = prose[0].block

    def plain(b: Block) -> bool:
        return abs(b.size - body) < 0.3 and not any(ln.bold for ln in b.lines)

    apart = all(ln.bold for ln in first.lines) or abs(first.size - body) >= 0.5
    rest = [u for u in prose[1:] if plain(u.block)]
    return rest if apart and not plain(first) and rest else []
