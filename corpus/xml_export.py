"""The sample articles as PMC JATS and GROBID TEI XML, from the same source as their PDFs.

Run `python corpus/xml_export.py OUTDIR` to write `<stem>.xml` (JATS) and `<stem>.tei.xml`
(TEI) for each article; tests write them to a temporary folder and check that each gives
the same facts as its PDF. Numbering, markers and reference entries come from
`make_corpus.Article`, so the three renderings cannot drift apart.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import markup  # noqa: E402
from articles import ARTICLES  # noqa: E402
from bib import BIB  # noqa: E402
from make_corpus import Article  # noqa: E402


def articles() -> list[Article]:
    """Every article numbered as in its PDF (page counts read from the truth files, so the
    corpus articles cited by later ones carry the same page ranges)."""
    out = []
    for art in ARTICLES:
        a = Article(art)
        a.n_pages = json.loads((HERE / "truth" / f"{art['stem']}.json").read_text(encoding="utf-8"))["n_pages"]
        BIB[f"corpus:{art['stem']}"] = a.self_entry()
        out.append(a)
    return out


def _inline(a: Article, text: str, cite) -> str:
    """Markup text -> escaped XML text, each citation rendered by `cite(marker, numbers)`."""
    out, pos = [], 0
    for m in markup.CITE.finditer(text):
        out.append(escape(markup._strip(text[pos:m.start()])))
        keys = [k.strip() for k in m.group(1).split(",")]
        out.append(cite(markup.marker(keys, a.numbers, a.cite_style, a.entries), sorted({a.numbers[k] for k in keys})))
        pos = m.end()
    out.append(escape(markup._strip(text[pos:])))
    return "".join(out)


def _pages(pages: str | None) -> tuple[str | None, str | None]:
    parts = re.split(r"-", pages or "", maxsplit=1)
    return (parts[0] or None, parts[1] if len(parts) > 1 else None)


def _initials(vancouver_name: str) -> str:
    return vancouver_name.rsplit(" ", 1)[-1]


def _el(tag: str, value, **attrs) -> str:
    if value is None or value == "":
        return ""
    at = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f"<{tag}{at}>{escape(str(value))}</{tag}>"


# -- JATS ---------------------------------------------------------------------------------
def jats(a: Article) -> str:
    art, p = a.a, a.p

    def cite(mk: str, nums: list[int]) -> str:
        x = f'<xref ref-type="bibr" rid="{" ".join(f"R{n}" for n in nums)}">{escape(mk)}</xref>'
        return f"<sup>{x}</sup>" if a.cite_style == "super" else x

    first, last = _pages(a.pages)
    contribs = "".join(f'<contrib contrib-type="author"><name>{_el("surname", fam)}{_el("given-names", given)}'
                       f'</name></contrib>' for given, fam, _, _ in art["authors"])
    affs = "".join(f'<aff id="A{i + 1}"><label>{i + 1}</label>{escape(t)}</aff>'
                   for i, t in enumerate(art["affiliations"]))
    abstract = "".join(f"<sec><title>{escape(lab)}</title><p>{_inline(a, t, cite)}</p></sec>" if lab
                       else f"<p>{_inline(a, t, cite)}</p>" for lab, t in art["abstract"])
    front = (f'<front><journal-meta><journal-title-group>{_el("journal-title", p["journal"])}</journal-title-group>'
             f'</journal-meta><article-meta>{_el("article-id", art["doi"], pub_id_type="doi")}'
             f'<title-group><article-title>{_inline(a, art["title"], cite)}</article-title></title-group>'
             f'<contrib-group>{contribs}</contrib-group>{affs}<pub-date pub-type="ppub">{_el("year", art["year"])}'
             f'</pub-date>{_el("volume", art["volume"])}{_el("issue", art["issue"])}{_el("fpage", first)}'
             f'{_el("lpage", last)}<abstract>{abstract}</abstract><kwd-group>'
             + "".join(_el("kwd", k) for k in art["keywords"]) + "</kwd-group></article-meta></front>")
    secs, n_fig, n_tab = [], 0, 0
    for heading, items in art["sections"]:
        body = []
        for it in items:
            if isinstance(it, str):
                body.append(f"<p>{_inline(a, it, cite)}</p>")
            elif it["kind"] == "figure":
                n_fig += 1
                body.append(f'<fig id="F{n_fig}"><label>Figure {n_fig}</label><caption><p>'
                            f'{_inline(a, it["caption"], cite)}</p></caption></fig>')
            else:
                n_tab += 1
                rows = "".join("<tr>" + "".join(_el("td", markup._strip(str(c))) for c in row) + "</tr>"
                               for row in it["rows"])
                body.append(f'<table-wrap id="T{n_tab}"><label>Table {n_tab}</label><caption><p>'
                            f'{_inline(a, it["caption"], cite)}</p></caption><table>{rows}</table></table-wrap>')
        secs.append(f"<sec><title>{escape(heading)}</title>{''.join(body)}</sec>")
    fns = "".join(f"<fn><p><bold>{escape(lab)}:</bold> {escape(markup._strip(t))}</p></fn>" for lab, t in art["back"])
    refs = "".join(_jats_ref(i + 1, a.entries[k]) for i, k in enumerate(a.ref_keys))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<article xmlns:xlink="http://www.w3.org/1999/xlink" article-type="case-report">{front}'
            f'<body>{"".join(secs)}</body><back><fn-group>{fns}</fn-group><ref-list><title>{escape(p["ref_heading"])}'
            f'</title>{refs}</ref-list></back></article>\n')


def _jats_ref(n: int, e: dict) -> str:
    names = "".join(f"<name>{_el('surname', markup.family_of(x))}{_el('given-names', _initials(x))}</name>"
                    for x in e["authors"])
    first, last = _pages(e.get("pages"))
    book = e.get("type") == "book"
    fields = ((_el("source", e["title"]) + _el("edition", e.get("edition")) + _el("publisher-loc", e.get("place"))
               + _el("publisher-name", e.get("publisher"))) if book
              else _el("article-title", e["title"]) + _el("source", e.get("journal")))
    fields += (_el("year", e.get("year")) + _el("volume", e.get("volume")) + _el("issue", e.get("issue"))
               + _el("fpage", first) + _el("lpage", last) + _el("pub-id", e.get("doi"), pub_id_type="doi"))
    return (f'<ref id="R{n}"><label>{n}</label><element-citation publication-type="{"book" if book else "journal"}">'
            f'<person-group person-group-type="author">{names}</person-group>{fields}</element-citation></ref>')


# -- TEI ----------------------------------------------------------------------------------
def tei(a: Article) -> str:
    art, p = a.a, a.p

    def cite(mk: str, nums: list[int]) -> str:
        return f'<ref type="bibr" target="{" ".join(f"#b{n - 1}" for n in nums)}">{escape(mk)}</ref>'

    first, last = _pages(a.pages)
    authors = "".join(f'<author><persName><forename type="first">{escape(given)}</forename>'
                      f'<surname>{escape(fam)}</surname></persName></author>' for given, fam, _, _ in art["authors"])
    abstract = "".join(f"<div><head>{escape(lab)}</head><p>{_inline(a, t, cite)}</p></div>" if lab
                       else f"<div><p>{_inline(a, t, cite)}</p></div>" for lab, t in art["abstract"])
    title = escape(markup._strip(art["title"]))
    header = (f'<teiHeader><fileDesc><titleStmt><title level="a" type="main">{title}</title></titleStmt>'
              f'<sourceDesc><biblStruct><analytic>{authors}<title level="a" type="main">{title}</title>'
              f'</analytic><monogr><title level="j" type="main">{escape(p["journal"])}</title><imprint>'
              f'<biblScope unit="volume">{art["volume"]}</biblScope><biblScope unit="issue">{art["issue"]}</biblScope>'
              f'<biblScope unit="page" from="{first}" to="{last}"/><date type="published" when="{art["year"]}"/>'
              f'</imprint></monogr><idno type="DOI">{escape(art["doi"])}</idno></biblStruct></sourceDesc></fileDesc>'
              f'<profileDesc><textClass><keywords>{"".join(_el("term", k) for k in art["keywords"])}</keywords>'
              f'</textClass><abstract>{abstract}</abstract></profileDesc></teiHeader>')
    divs, figs, n_fig, n_tab = [], [], 0, 0
    for heading, items in art["sections"]:
        ps = [f"<p>{_inline(a, it, cite)}</p>" for it in items if isinstance(it, str)]
        divs.append(f"<div><head>{escape(heading)}</head>{''.join(ps)}</div>")
        for it in items:
            if isinstance(it, dict) and it["kind"] == "figure":
                n_fig += 1
                figs.append(f'<figure><head>Figure {n_fig}</head><label>Figure {n_fig}</label>'
                            f'<figDesc>{_inline(a, it["caption"], cite)}</figDesc></figure>')
            elif isinstance(it, dict):
                n_tab += 1
                rows = "".join("<row>" + "".join(_el("cell", markup._strip(str(c))) for c in row) + "</row>"
                               for row in it["rows"])
                figs.append(f'<figure type="table"><head>Table {n_tab}</head><label>Table {n_tab}</label>'
                            f'<figDesc>{_inline(a, it["caption"], cite)}</figDesc><table>{rows}</table></figure>')
    back = "".join(f'<div type="annex"><div><head>{escape(lab)}</head><p>{escape(markup._strip(t))}</p></div></div>'
                   for lab, t in art["back"])
    refs = "".join(_tei_ref(i, a.entries[k], markup.plain(a.ref_text(k))[0]) for i, k in enumerate(a.ref_keys))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
            f'{header}<text><body>{"".join(divs)}{"".join(figs)}</body><back>{back}<div type="references">'
            f'<listBibl>{refs}</listBibl></div></back></text></TEI>\n')


def _tei_ref(i: int, e: dict, raw: str) -> str:
    names = "".join(f'<author><persName><forename type="first">{escape(_initials(x))}</forename>'
                    f'<surname>{escape(markup.family_of(x))}</surname></persName></author>' for x in e["authors"])
    first, last = _pages(e.get("pages"))
    pages = f'<biblScope unit="page" from="{first}"' + (f' to="{last}"/>' if last else "/>") if first else ""
    imprint = (_el("publisher", e.get("publisher")) + f'<date type="published" when="{e.get("year")}"/>'
               + (f'<biblScope unit="volume">{e["volume"]}</biblScope>' if e.get("volume") else "")
               + (f'<biblScope unit="issue">{e["issue"]}</biblScope>' if e.get("issue") else "") + pages)
    if e.get("type") == "book":
        body = f'<monogr>{names}<title level="m">{escape(e["title"])}</title><imprint>{imprint}</imprint></monogr>'
    else:
        body = (f'<analytic>{names}<title level="a" type="main">{escape(e["title"])}</title></analytic>'
                f'<monogr><title level="j">{escape(e.get("journal") or "")}</title><imprint>{imprint}</imprint></monogr>')
    doi = _el("idno", e.get("doi"), type="DOI")
    return f'<biblStruct xml:id="b{i}">{body}{doi}<note type="raw_reference">{escape(raw)}</note></biblStruct>'


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for a in articles():
        (out / f"{a.a['stem']}.xml").write_text(jats(a), encoding="utf-8")
        (out / f"{a.a['stem']}.tei.xml").write_text(tei(a), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "xml")
