"""PubMed Central JATS XML (.xml/.nxml, what PMC's open-access service gives) -> `Document`.

Title, abstract, body sections (`<sec>` with their `<title>`), figure and table captions,
back matter, the reference list (`<ref>` with its element- or mixed-citation fields) and
every in-text citation (`<xref ref-type="bibr" rid="...">`) come from the markup itself.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from extract.document import Document, Metadata
from extract.markup.builder import (Builder, MarkupError, Piece, Ref, inline, kind_of, local, pages_of,
                                    parse_xml, printed, text_of, vancouver, year_of)

FLOATS = {"fig", "table-wrap", "boxed-text", "supplementary-material"}
_PUB_DATES = ("ppub", "epub", "collection", "epub-ppub", "pub")


def is_jats(root: ET.Element) -> bool:
    return local(root.tag) == "article"


def read_jats(source: str | Path | bytes, doc_id: str | None = None, path: str | None = None) -> Document:
    """A Document from a JATS article (a path, the XML as a string, or its bytes);
    MarkupError for XML that is not a JATS article."""
    root, data, read_from = parse_xml(source)
    if not is_jats(root):
        raise MarkupError(f"not a JATS article (root element <{local(root.tag)}>)")
    front = root.find("front")
    meta = front.find("article-meta") if front is not None else None
    b = Builder()
    md = _metadata(root, meta)
    if md.title:
        b.section("title", None, [[(md.title, None, False)]])
    abstract = meta.find("abstract") if meta is not None else None
    if abstract is not None:
        b.section("abstract", "Abstract", _abstract(abstract))
    body = root.find("body")
    for f in _body(b, body) if body is not None else []:
        _float(b, f)
    back = root.find("back")
    if back is not None:
        for el in back:
            name = local(el.tag)
            if name in ("ack", "sec", "fn-group", "notes", "glossary"):
                heading = text_of(el.find("title")) or ("Acknowledgements" if name == "ack" else None)
                b.section("back_matter", heading, [_pieces(p) for p in el.iter("p")])
        for ref_list in back.iter("ref-list"):
            b.references(text_of(ref_list.find("title")) or "References", [_ref(r) for r in ref_list.iter("ref")])
    return b.document(data, path or read_from, md, doc_id)


def _link(el: ET.Element) -> list[str] | None:
    if local(el.tag) == "xref" and el.get("ref-type") == "bibr":
        return (el.get("rid") or "").split()
    return None


def _pieces(p: ET.Element) -> list[Piece]:
    return inline(p, _link, lambda e: local(e.tag) in FLOATS)


def _abstract(abstract: ET.Element) -> list[list[Piece]]:
    """Paragraphs; a structured abstract's part titles lead their first paragraph."""
    out = []
    secs = abstract.findall("sec")
    for sec in secs or [abstract]:
        label = text_of(sec.find("title")) if secs else None
        for i, p in enumerate(sec.findall("p")):
            out.append(([(f"{label}: ", None, False)] if label and i == 0 else []) + _pieces(p))
    return out


def _body(b: Builder, body: ET.Element) -> list[ET.Element]:
    """Paragraphs before any `<sec>`, then each section; returns the floats met on the way."""
    loose = [_pieces(p) for p in body.findall("p")]
    if loose:
        b.section("other", None, loose)
    for sec in body.findall("sec"):
        _sec(b, sec, None, 1)
    return [el for el in body.iter() if local(el.tag) in FLOATS]


def _sec(b: Builder, sec: ET.Element, parent_kind: str | None, level: int) -> None:
    heading = text_of(sec.find("title"))
    kind = kind_of(heading, parent_kind)
    b.section(kind, heading, [_pieces(p) for p in sec.findall("p")], level)
    for sub in sec.findall("sec"):
        _sec(b, sub, kind, level + 1)


def _float(b: Builder, el: ET.Element) -> None:
    """A figure's or table's caption ('Figure 1. ...'), and a table's cells."""
    label = text_of(el.find("label"))
    caption = el.find("caption")
    parts = [text_of(caption.find("title")) if caption is not None else None]
    parts += [text_of(p) for p in (caption.iter("p") if caption is not None else [])]
    text = " ".join(p for p in parts if p)
    if label or text:
        b.section("caption", label, [[(f"{label}. {text}" if label and text else (label or text), None, False)]])
    rows = [" ".join(text_of(c) or "" for c in tr if local(c.tag) in ("td", "th")) for tr in el.iter("tr")]
    if any(r.strip() for r in rows):
        b.section("table", label, [[(r, None, False)] for r in rows if r.strip()])


def _metadata(root: ET.Element, meta: ET.Element | None) -> Metadata:
    md = Metadata(article_type=root.get("article-type"))
    if meta is None:
        return md
    journal = root.find("front/journal-meta")
    md.title = text_of(meta.find("title-group/article-title"))
    md.authors = [f"{text_of(n.find('given-names')) or ''} {text_of(n.find('surname')) or ''}".strip()
                  for n in meta.findall("contrib-group/contrib[@contrib-type='author']/name")]
    md.affiliations = [a for a in (_aff(x) for x in meta.iter("aff")) if a]
    md.keywords = [k for k in (text_of(x) for x in meta.iter("kwd")) if k]
    dates = {d.get("pub-type") or d.get("date-type") or "pub": d for d in meta.findall("pub-date")}
    date = next((dates[k] for k in _PUB_DATES if k in dates), next(iter(dates.values()), None))
    md.year = year_of(text_of(date.find("year"))) if date is not None else None
    if journal is not None:
        md.journal = text_of(journal.find("journal-title-group/journal-title")) or text_of(journal.find("journal-title"))
    md.volume, md.issue = text_of(meta.find("volume")), text_of(meta.find("issue"))
    md.pages = pages_of(text_of(meta.find("fpage")), text_of(meta.find("lpage"))) or text_of(meta.find("elocation-id"))
    ids = {i.get("pub-id-type"): text_of(i) for i in meta.findall("article-id")}
    md.doi, md.pmid = ids.get("doi"), ids.get("pmid")
    md.pmcid = _pmcid(ids)
    return md


def _pmcid(ids: dict) -> str | None:
    pmc = ids.get("pmc") or ids.get("pmcid")
    return None if not pmc else (pmc if pmc.upper().startswith("PMC") else f"PMC{pmc}")


def _aff(aff: ET.Element) -> str | None:
    """An affiliation's text without its label."""
    parts = [aff.text or ""] + [("" if local(c.tag) in ("label", "sup") else "".join(c.itertext())) + (c.tail or "")
                                for c in aff]
    return " ".join("".join(parts).split()) or None


def _ref(ref: ET.Element) -> Ref:
    cit = next((c for c in ref if local(c.tag) in ("element-citation", "mixed-citation", "citation",
                                                    "nlm-citation")), ref)
    names = [vancouver(text_of(n.find("surname")) or "", text_of(n.find("given-names")))
             for n in cit.iter("name")] or [text_of(c) for c in cit.iter("collab") if text_of(c)]
    ids = {i.get("pub-id-type"): text_of(i) for i in cit.iter("pub-id")}
    kind = cit.get("publication-type") or cit.get("citation-type")
    source = text_of(cit.find("source"))
    title = text_of(cit.find("article-title")) or text_of(cit.find("chapter-title"))
    if kind == "book" and not title:
        title, source = source, None
    uri = cit.find("ext-link")
    r = Ref(ident=ref.get("id") or "", label=(text_of(ref.find("label")) or "").rstrip(".") or None,
            raw="", authors=names, first_author=next((text_of(n.find("surname")) for n in cit.iter("name")), None),
            fields=dict(title=title, container=source, year=year_of(text_of(cit.find("year"))),
                        volume=text_of(cit.find("volume")), issue=text_of(cit.find("issue")),
                        pages=pages_of(text_of(cit.find("fpage")), text_of(cit.find("lpage"))),
                        doi=ids.get("doi"), pmid=ids.get("pmid"), pmcid=_pmcid(ids),
                        url=uri.get("{http://www.w3.org/1999/xlink}href") if uri is not None else None,
                        publisher=text_of(cit.find("publisher-name"))))
    r.raw = (text_of(cit) if local(cit.tag) == "mixed-citation" else None) or printed(r)
    return r
