"""GROBID TEI XML (`processFulltextDocument` output) -> `Document`.

Header metadata (`teiHeader`), the abstract, body `<div>`s with their `<head>`, figure and
table descriptions, back matter, the reference list (`<listBibl>` of `<biblStruct>`) and
every in-text citation (`<ref type="bibr" target="#b0">`) come from the markup. GROBID
writes sections flat, so a heading that names no kind ('Histopathology') stays in the
kind of the section before it.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from extract.document import Document, Metadata
from extract.markup.builder import (Builder, MarkupError, Piece, Ref, inline, kind_of, local, pages_of,
                                    parse_xml, printed, text_of, vancouver, year_of)

NS = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def is_tei(root: ET.Element) -> bool:
    return local(root.tag) == "TEI"


def _f(el: ET.Element | None, path: str) -> ET.Element | None:
    """`find` with the TEI namespace on every step ('monogr/title' -> '{ns}monogr/{ns}title')."""
    if el is None:
        return None
    return el.find("/".join(p if p.startswith((".", "*")) else NS + p for p in path.split("/")))


def _all(el: ET.Element | None, path: str) -> list[ET.Element]:
    if el is None:
        return []
    return el.findall("/".join(p if p.startswith((".", "*")) else NS + p for p in path.split("/")))


def read_tei(source: str | Path | bytes, doc_id: str | None = None, path: str | None = None) -> Document:
    """A Document from GROBID's TEI (a path, the XML as a string, or its bytes);
    MarkupError for XML that is not TEI."""
    root, data, read_from = parse_xml(source)
    if not is_tei(root):
        raise MarkupError(f"not a TEI document (root element <{local(root.tag)}>)")
    header = _f(root, "teiHeader")
    md = _metadata(header)
    b = Builder()
    if md.title:
        b.section("title", None, [[(md.title, None, False)]])
    abstract = _f(header, "profileDesc/abstract")
    if abstract is not None:
        b.section("abstract", "Abstract", [_pieces(p) for p in abstract.iter(NS + "p")])
    body = _f(root, "text/body")
    kind = None
    for div in _all(body, "div"):
        heading = text_of(_f(div, "head"))
        kind = kind_of(heading, kind)
        b.section(kind, heading, [_pieces(p) for p in _all(div, "p")])
    for fig in body.iter(NS + "figure") if body is not None else []:
        label = text_of(_f(fig, "label")) or text_of(_f(fig, "head"))
        desc = text_of(_f(fig, "figDesc"))
        if label or desc:
            b.section("caption", label, [[(f"{label}. {desc}" if label and desc else (label or desc), None, False)]])
        rows = [" ".join(text_of(c) or "" for c in row) for row in fig.iter(NS + "row")]
        if any(r.strip() for r in rows):
            b.section("table", label, [[(r, None, False)] for r in rows if r.strip()])
    back = _f(root, "text/back")
    for div in _all(back, "div"):
        if div.get("type") == "references":
            continue
        for part in [div] + _all(div, "div"):
            paras = [_pieces(p) for p in _all(part, "p")]
            if paras:
                b.section("back_matter", text_of(_f(part, "head")) or (div.get("type") or "").title() or None, paras)
    refs = [_ref(bs, i) for i, bs in enumerate(back.iter(NS + "biblStruct"), start=1)] if back is not None else []
    b.references("References", refs)
    return b.document(data, path or read_from, md, doc_id)


def _link(el: ET.Element) -> list[str] | None:
    if local(el.tag) == "ref" and el.get("type") == "bibr":
        return [t.lstrip("#") for t in (el.get("target") or "").split()]
    return None


def _pieces(p: ET.Element) -> list[Piece]:
    return inline(p, _link, lambda e: local(e.tag) in ("figure", "note"))


def _metadata(header: ET.Element | None) -> Metadata:
    md = Metadata()
    if header is None:
        return md
    md.title = text_of(_f(header, "fileDesc/titleStmt/title"))
    bibl = _f(header, "fileDesc/sourceDesc/biblStruct")
    authors = _all(bibl, "analytic/author")
    md.authors = [_name(a, initials=False) for a in authors if _f(a, "persName") is not None]
    md.affiliations = list(dict.fromkeys(a for a in (_affiliation(x) for au in authors
                                                     for x in _all(au, "affiliation")) if a))
    md.keywords = [t for t in (text_of(x) for x in header.iter(NS + "term")) if t]
    src = _source(bibl)
    for attr in ("year", "volume", "issue", "pages", "doi", "pmid", "pmcid"):
        setattr(md, attr, src.get(attr))
    md.journal = src.get("container")
    md.title = md.title or text_of(_f(bibl, "analytic/title"))
    return md


def _source(bibl: ET.Element | None) -> dict:
    """Journal, year, volume, issue, pages and ids of a biblStruct (the article's own, or
    a reference's), named as REF_FIELDS."""
    if bibl is None:
        return {}
    monogr = _f(bibl, "monogr")
    imprint = _f(monogr, "imprint")
    date = _f(imprint, "date[@type='published']")
    date = _f(imprint, "date") if date is None else date
    scopes = {s.get("unit"): s for s in _all(imprint, "biblScope")}
    page = scopes.get("page")
    ids = {(i.get("type") or "").lower(): text_of(i) for i in bibl.iter(NS + "idno")}
    return dict(container=text_of(_f(monogr, "title[@level='j']")) or text_of(_f(monogr, "title")),
                year=year_of((date.get("when") or text_of(date)) if date is not None else None),
                volume=text_of(scopes.get("volume")), issue=text_of(scopes.get("issue")),
                pages=(pages_of(page.get("from"), page.get("to")) or text_of(page)) if page is not None else None,
                doi=ids.get("doi"), pmid=ids.get("pmid"), pmcid=ids.get("pmcid"))


def _name(author: ET.Element, initials: bool) -> str:
    """'Maren Okonjo' (as a PDF's byline reads), or 'Okonjo M' (as a reference's)."""
    pers = _f(author, "persName")
    given = " ".join(text_of(f) or "" for f in _all(pers, "forename")).strip()
    family = text_of(_f(pers, "surname")) or ""
    return vancouver(family, given) if initials else f"{given} {family}".strip()


def _affiliation(aff: ET.Element) -> str | None:
    parts = [text_of(o) for o in _all(aff, "orgName")]
    addr = _f(aff, "address")
    parts += [text_of(x) for x in addr] if addr is not None else []
    return ", ".join(p for p in parts if p) or text_of(_f(aff, "note[@type='raw_affiliation']"))


def _ref(bibl: ET.Element, n: int) -> Ref:
    analytic = _f(bibl, "analytic")
    monogr = _f(bibl, "monogr")
    authors = _all(analytic, "author") or _all(monogr, "author")
    title = text_of(_f(analytic, "title")) if analytic is not None else text_of(_f(monogr, "title"))
    raw = text_of(_f(bibl, "note[@type='raw_reference']"))
    fields = _source(bibl)
    if analytic is None:  # a book: its title is the monograph's
        fields["container"] = None
    ptr = _f(bibl, ".//ptr")
    fields.update(title=title, publisher=text_of(_f(monogr, "imprint/publisher")),
                  url=ptr.get("target") if ptr is not None else None)
    r = Ref(ident=bibl.get(XML_ID) or f"b{n - 1}", label=None, raw="",
            authors=[_name(a, initials=True) for a in authors if _f(a, "persName") is not None],
            first_author=next((text_of(_f(a, "persName/surname")) for a in authors), None), fields=fields)
    r.raw = raw or printed(r)
    return r
