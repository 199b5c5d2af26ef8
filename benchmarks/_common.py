"""Shared helpers for the benchmarks: data location, JATS gold, table printing."""
from __future__ import annotations

import argparse
import csv
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("CASEMINE_SHARED", ROOT.parent / "shared")) / "data"


def arg_parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="folder holding the shared corpora (default: ../shared/data)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents (0 = all)")
    return ap


def norm_text(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = re.sub(r"[^\w\s]", " ", s.lower())
    return re.sub(r"\s+", " ", s).strip()


def words(s: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", s).lower())


def _text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip() if el is not None else ""


# floats, footnotes and display formulas: set apart from the running text on the page;
# a special character's glyph image and a formula's TeX source: never printed as text
NOT_RUNNING_TEXT = ("fig", "table-wrap", "caption", "fn", "table", "disp-formula",
                    "supplementary-material", "boxed-text", "glyph-data", "tex-math")


def running_paragraphs(body) -> list[str]:
    """The <body>'s paragraphs in document order, as a reader of the page meets them:
    without the floats some publishers anchor inside a <p> (a <table-wrap> in the <p> that
    cites it: printed apart, its cells' text joined without spaces is no word sequence a
    reader gives), and a <p> nesting others (a <list> of <p> items) cut at each of them,
    so no text counts twice and list items do not run together."""
    paras: list[str] = []
    buf: list[str] = []

    def cut() -> None:
        t = re.sub(r"\s+", " ", "".join(buf)).strip()
        if t:
            paras.append(t)
        buf.clear()

    def walk(el, depth: int) -> None:
        if el.tag == "p":
            cut()
            depth += 1
        if depth and el.text:
            buf.append(el.text)
        for c in el:
            if c.tag not in NOT_RUNNING_TEXT:
                walk(c, depth)
            if depth and c.tail:
                buf.append(c.tail)
        if el.tag == "p":
            cut()

    walk(body, 0)
    return paras


@dataclass
class JatsGold:
    pmcid: str
    pdf: Path
    article_type: str
    title: str
    doi: str | None
    first_author: str | None
    years: set[int]
    body_paragraphs: list[str]
    section_titles: list[str]
    refs: list[dict] = field(default_factory=list)
    xrefs: list[dict] = field(default_factory=list)
    journal: str = ""


def load_pdf_jats(data: Path, limit: int = 0) -> list[JatsGold]:
    root = data / "pdf_jats"
    with open(root / "manifest.tsv", newline="") as f:
        manifest = {r["local_dir"]: r for r in csv.DictReader(f, delimiter="\t")}
    out = []
    for d in sorted(p for p in root.iterdir() if p.is_dir()):
        xml, pdf = d / "fulltext.xml", d / "fulltext.pdf"
        if not (xml.exists() and pdf.exists()):
            continue
        out.append(parse_jats(xml, pdf, manifest.get(d.name, {}).get("article_type", "unknown")))
        if limit and len(out) >= limit:
            break
    return out


def parse_jats(xml: Path, pdf: Path, article_type: str) -> JatsGold:
    tree = ET.parse(xml)
    r = tree.getroot()
    am = r.find("front/article-meta")
    doi = None
    for aid in am.findall("article-id") if am is not None else []:
        if aid.get("pub-id-type") == "doi":
            doi = (aid.text or "").strip().lower()
    title = _text(am.find("title-group/article-title")) if am is not None else ""
    first_author = None
    if am is not None:
        for c in am.iter("contrib"):
            if c.get("contrib-type", "author") == "author":
                sn = c.find(".//surname")
                if sn is not None:
                    first_author = _text(sn)
                    break
    years = set()
    for pd_ in am.findall("pub-date") if am is not None else []:
        y = pd_.findtext("year")
        if y and y.strip().isdigit():
            years.add(int(y.strip()))
    body = r.find("body")
    paras, titles = [], []
    if body is not None:
        paras = running_paragraphs(body)
        titles = [_text(s.find("title")) for s in body.findall("sec") if s.find("title") is not None]
    refs, xrefs = [], []
    for ref in r.iter("ref"):
        refs.append(_ref_fields(ref))
    order = [ref.get("id") for ref in r.iter("ref")]
    for part in (body, r.find("floats-group")):
        if part is not None:
            xrefs += _bibr_xrefs(part, order)
    journal = _text(r.find("front/journal-meta/journal-title-group/journal-title")) or \
        _text(r.find("front/journal-meta/journal-title"))
    return JatsGold(xml.parent.name, pdf, article_type, title, doi, first_author, years,
                    paras, [t for t in titles if t], refs, xrefs, journal)


def _bibr_xrefs(root, order: list[str]) -> list[dict]:
    """Citation xrefs; a range printed as two xrefs joined by a dash ("[1]–[3]", "1–3")
    also cites the references between them."""
    out = []
    for parent in root.iter():
        kids = list(parent)
        for k, x in enumerate(kids):
            if x.tag != "xref" or x.get("ref-type") != "bibr":
                continue
            out.append({"rid": x.get("rid", ""), "text": _text(x)})
            nxt = kids[k + 1] if k + 1 < len(kids) else None
            if (nxt is not None and nxt.tag == "xref" and nxt.get("ref-type") == "bibr"
                    and re.fullmatch(r"\s*\]?\s*[-–—]\s*\[?\s*", x.tail or "")):
                a, b = x.get("rid", "").split()[-1:], nxt.get("rid", "").split()[:1]
                if a and b and a[0] in order and b[0] in order:
                    for rid in order[order.index(a[0]) + 1:order.index(b[0])]:
                        out.append({"rid": rid, "text": "(range)"})
    return out


def _ref_fields(ref) -> dict:
    cit = None
    for tag in ("element-citation", "mixed-citation", "citation", "nlm-citation"):
        cit = ref.find(f".//{tag}")
        if cit is not None:
            break
    d = {"id": ref.get("id"), "label": _text(ref.find("label")) or None}
    if cit is None:
        return d
    # the authors: editors and translators of a book the work sits in are not
    others = {id(el) for pg in cit.iter("person-group") if pg.get("person-group-type", "author") != "author"
              for el in pg.iter()}
    names = []
    for n in cit.iter("name"):
        if id(n) not in others:
            names.append(_text(n.find("surname")))
    for c in cit.iter("collab"):
        if id(c) not in others:
            names.append(_text(c))
    d["authors"] = names
    d["title"] = _text(cit.find("article-title")) or _text(cit.find("chapter-title")) or None
    d["container"] = _text(cit.find("source")) or None
    d["year"] = (_text(cit.find("year"))[:4] or None)
    d["volume"] = _text(cit.find("volume")) or None
    d["issue"] = _text(cit.find("issue")) or None
    fp, lp = _text(cit.find("fpage")), _text(cit.find("lpage"))
    d["pages"] = (fp + ("-" + lp if lp else "")) if fp else (_text(cit.find("elocation-id")) or None)
    d["doi"] = None
    d["pmid"] = None
    for pid in cit.iter("pub-id"):
        t = pid.get("pub-id-type")
        if t == "doi":
            d["doi"] = _text(pid).lower()
        elif t == "pmid":
            d["pmid"] = _text(pid)
    d["raw"] = _text(cit)
    return d


def print_table(rows: list[dict], columns: list[str], title: str = "") -> None:
    if title:
        print(f"\n{title}")
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) if rows else len(c) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(_fmt(r.get(c)).ljust(widths[c]) for c in columns))


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    return "" if v is None else str(v)
