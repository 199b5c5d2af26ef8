"""Render the sample corpus: fictional case reports as journal-like PDFs plus truth JSON.

Run `python corpus/make_corpus.py [OUTDIR]` (default: this folder). Each article in
`articles/` is rendered with its publisher's house style (`publishers.py`) and its facts
are written to `truth/<stem>.json` from the same data, so the PDFs and the truth cannot
drift apart. Output is byte-stable (reportlab `invariant=1`), so a re-run only changes
files whose source changed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (BaseDocTemplate, Frame, FrameBreak, KeepTogether, NextPageTemplate,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import figures  # noqa: E402
import markup  # noqa: E402
import refstyle  # noqa: E402
from articles import ARTICLES  # noqa: E402
from bib import BIB  # noqa: E402
from publishers import PUBLISHERS  # noqa: E402

KINDS = {"introduction": "introduction", "case": "case", "discussion": "discussion",
         "conclusion": "conclusion", "references": "references", "imaging": "case",
         "diagnosis": "case", "background": "introduction"}


def kind_of(heading: str) -> str:
    h = heading.lower()
    return next((v for k, v in KINDS.items() if k in h), "other")


class Article:
    """One article's numbering, styles and story; rendered twice to learn its page count."""

    def __init__(self, art: dict):
        self.a = art
        self.p = PUBLISHERS[art["publisher"]]
        self.cite_style = art["cite_style"]
        self.number_refs()
        self.n_pages = 1
        self.n_fig = self.n_tab = 0

    # ---- references -------------------------------------------------------------------
    def number_refs(self) -> None:
        keys = [k for _, items in self.a["sections"] for it in items if isinstance(it, str)
                for k in markup.cite_keys(it)]
        order = list(dict.fromkeys(keys))
        self.entries = {k: BIB[k.split("~")[0]] for k in order}
        if self.cite_style == "authoryear":
            order.sort(key=lambda k: refstyle.sort_key(self.entries[k]))
        self.ref_keys = order
        self.numbers = {k: i + 1 for i, k in enumerate(order)}

    def ref_text(self, key: str) -> str:
        e = self.entries[key]
        if self.cite_style == "authoryear":
            return refstyle.apa(e)
        return refstyle.vancouver(e, self.p["doi_style"])

    # ---- styles -------------------------------------------------------------------------
    def st(self, name: str, **kw) -> ParagraphStyle:
        p = self.p
        font, size, lead = p["body"]
        base = dict(fontName=font, fontSize=size, leading=lead, alignment=TA_JUSTIFY,
                    textColor=p["text"])
        if name == "heading":
            base["keepWithNext"] = 1
        base.update(p["styles"].get(name, {}))
        base.update(kw)
        return ParagraphStyle(name, **base)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(markup.render(text, self.numbers, self.cite_style, self.entries,
                                       style.fontSize), style)

    @property
    def pages(self) -> str:
        first = self.a["first_page"]
        return f"{first}-{first + self.n_pages - 1}"

    def self_entry(self) -> dict:
        """This article as a bibliography entry, so later articles can cite it."""
        a, p = self.a, self.p
        return {"authors": [f"{fam} {ini}" for _, fam, ini, _ in a["authors"]], "title": a["title"],
                "journal": p["abbrev"], "journal_full": p["journal"], "year": a["year"],
                "volume": a["volume"], "issue": a["issue"], "pages": self.pages, "doi": a["doi"]}

    # ---- story --------------------------------------------------------------------------
    def head_block(self, width: float) -> list:
        a, p = self.a, self.p
        out = [self.para(a["article_type"].upper() if p["type_upper"] else a["article_type"], self.st("type")),
               self.para(a["title"], self.st("title"))]
        sup = self.st("body").fontSize
        names = []
        for i, (given, fam, _, affs) in enumerate(a["authors"]):
            mark = ",".join(str(n) for n in affs) + ("*" if i == a["corresponding"] else "")
            names.append(f'{given} {fam}<super size="{sup * 0.68:.1f}" rise="{sup * 0.4:.1f}">{mark}</super>')
        out.append(self.para(", ".join(names), self.st("authors")))
        affs = [f'<super size="{sup * 0.6:.1f}" rise="{sup * 0.35:.1f}">{i + 1}</super>{t}'
                for i, t in enumerate(a["affiliations"])]
        out.append(self.para("<br/>".join(affs), self.st("affil")))
        c = a["authors"][a["corresponding"]]
        out.append(self.para(f"*Correspondence: {c[0]} {c[1]}, {a['email']}", self.st("affil")))
        out.append(self.para(f"Received: {a['received']}; Accepted: {a['accepted']}; "
                             f"DOI: {p['doi_prefix']}{a['doi']}", self.st("affil")))
        abstract = [self.para(p["abstract_label"], self.st("abshead"))]
        for label, text in a["abstract"]:
            lab = f"<b>{label}:</b> " if label else ""
            abstract.append(self.para(lab + text, self.st("abstract")))
        abstract.append(self.para("<b>Keywords:</b> " + ", ".join(a["keywords"]), self.st("abstract")))
        if p["abstract_box"]:
            box = Table([[abstract]], colWidths=[width])
            box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), p["box"]),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                     ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
            out += [Spacer(1, 6), box]
        else:
            out += [Spacer(1, 4)] + abstract
        return out + [Spacer(1, 8)]

    def item(self, it, width: float):
        """A figure or table dict -> its flowables, the numbered caption included."""
        if it["kind"] == "figure":
            self.n_fig += 1
            label = f"Figure {self.n_fig}."
            body = figures.DRAW[it["draw"]](min(width, 300), *it["args"])
            body.hAlign = "CENTER"
        else:
            self.n_tab += 1
            label = f"Table {self.n_tab}."
            cell = self.st("cell")
            rows = [[Paragraph(str(c), self.st("cellhead") if r == 0 else cell) for c in row]
                    for r, row in enumerate(it["rows"])]
            body = Table(rows, colWidths=[width * f for f in it["widths"]], repeatRows=1)
            body.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, self.p["text"]),
                                      ("LINEBELOW", (0, 0), (-1, 0), 0.5, self.p["text"]),
                                      ("LINEBELOW", (0, -1), (-1, -1), 0.8, self.p["text"]),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        cap = self.para(f"<b>{label}</b> {it['caption']}", self.st("caption"))
        parts = [body, Spacer(1, 3), cap] if it["kind"] == "figure" else [cap, Spacer(1, 3), body]
        return parts + [Spacer(1, 8)]

    def body(self, col_width: float, full_width: float) -> list:
        a, p = self.a, self.p
        out = []
        for heading, items in a["sections"]:
            shown = heading.upper() if p["head_upper"] else heading
            out.append(self.para(shown, self.st("heading")))
            first = True
            for it in items:
                if isinstance(it, str):
                    out.append(self.para(it, self.st("first" if first else "para")))
                    first = False
                elif not it.get("float"):
                    out.append(KeepTogether(self.item(it, col_width)))
        back = [self.para(f"<b>{lab}:</b> {txt}", self.st("back")) for lab, txt in a["back"]]
        refs = [self.para(p["ref_heading"], self.st("heading"))]
        for i, k in enumerate(self.ref_keys):
            if self.cite_style == "authoryear":
                txt = self.ref_text(k)
            else:
                txt = p["ref_number"].format(n=i + 1) + self.ref_text(k)
            refs.append(self.para(txt, self.st("ref")))
        cite = self.para("<b>Cite this article as:</b> " + refstyle.vancouver(self.self_entry(), p["doi_style"]),
                         self.st("back"))
        if p["back_first"]:
            return out + [Spacer(1, 4)] + back + refs + [Spacer(1, 6), cite]
        return out + refs + [Spacer(1, 6)] + back + [cite]

    # ---- page furniture -------------------------------------------------------------------
    def furniture(self, canv, doc) -> None:
        a, p = self.a, self.p
        W, H = p["pagesize"]
        L, T, R, B = p["margins"]
        n = canv.getPageNumber()
        canv.saveState()
        canv.setFillColor(p["accent"])
        canv.setStrokeColor(p["accent"])
        hy = H - T + 14
        canv.setFont(p["furn_font"], 8)
        canv.drawString(L, hy, p["journal"])
        canv.drawRightString(W - R, hy, f"{a['year']}; {a['volume']}({a['issue']}): {self.pages}")
        canv.setLineWidth(0.6)
        canv.line(L, hy - 4, W - R, hy - 4)
        canv.line(L, B - 14, W - R, B - 14)
        canv.setFont(p["furn_font"], 7.5)
        num = str(a["first_page"] + n - 1)
        foot = p["footer"].format(year=a["year"], publisher=p["publisher"], doi=a["doi"])
        if p["page_pos"] == "center":
            canv.drawCentredString(W / 2, B - 26, num)
            canv.drawString(L, B - 36, foot)
        else:
            canv.drawString(L, B - 26, foot)
            canv.drawRightString(W - R, B - 26, f"Page {num}")
        if n == 1:
            canv.drawString(L, hy + 11, f"ISSN {p['issn']}  |  {p['publisher']}")
        if n == 2 and self.float:
            parts, y = self.float
            for f in parts:  # a full-width table or figure between the two column rows
                h = f.wrapOn(canv, W - L - R, H)[1]
                y -= h
                f.drawOn(canv, L, y)
        canv.restoreState()

    # ---- build --------------------------------------------------------------------------
    def build(self, path: Path) -> int:
        a, p = self.a, self.p
        self.n_fig = self.n_tab = 0
        W, H = p["pagesize"]
        L, T, R, B = p["margins"]
        full, top, body_h = W - L - R, H - T, H - T - B
        cw = (full - p["gutter"]) / 2
        layout = a["layout"]
        head = self.head_block(full)
        fr = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.float = None
        if layout == "single":
            frames = {"first": [Frame(L, B, full, body_h, **fr)], "later": [Frame(L, B, full, body_h, **fr)]}
            story = head + self.body(full, full)
        else:
            hh = sum(f.wrap(full, H)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in head) + 4
            col_h = body_h - hh
            frames = {"first": [Frame(L, top - hh, full, hh, **fr), Frame(L, B, cw, col_h, **fr),
                                Frame(L + cw + p["gutter"], B, cw, col_h, **fr)],
                      "later": [Frame(L, B, cw, body_h, **fr), Frame(L + cw + p["gutter"], B, cw, body_h, **fr)]}
            story = head + [FrameBreak()] + self.body(cw, full)
            if layout == "mixed":
                it = next(i for _, items in a["sections"] for i in items if isinstance(i, dict) and i.get("float"))
                parts = self.item(it, full)
                fh = sum(f.wrap(full, H)[1] for f in parts)
                upper = (body_h - fh - 16) * 0.42
                lower = body_h - fh - 16 - upper
                self.float = (parts, top - upper - 8)
                frames["mixed"] = [Frame(L, top - upper, cw, upper, **fr),
                                   Frame(L + cw + p["gutter"], top - upper, cw, upper, **fr),
                                   Frame(L, B, cw, lower, **fr), Frame(L + cw + p["gutter"], B, cw, lower, **fr)]
        # reportlab follows only one autoNextPageTemplate hop reliably, so the mixed page is
        # requested from the story and only "mixed" -> "later" is automatic
        auto = None if layout == "mixed" else "later"
        templates = [PageTemplate(id="first", frames=frames["first"], onPage=self.furniture,
                                  autoNextPageTemplate=auto)]
        if layout == "mixed":
            story.insert(len(head) + 1, NextPageTemplate("mixed"))
            templates.append(PageTemplate(id="mixed", frames=frames["mixed"], onPage=self.furniture,
                                          autoNextPageTemplate="later"))
        templates.append(PageTemplate(id="later", frames=frames["later"], onPage=self.furniture))
        names = "; ".join(f"{g} {f}" for g, f, _, _ in a["authors"])
        doc = BaseDocTemplate(str(path), pagesize=p["pagesize"], pageTemplates=templates, invariant=1,
                              title=a["title"], author=names, subject=f"{p['journal']} {a['year']}; "
                              f"{a['volume']}({a['issue']}). doi:{a['doi']}", keywords=", ".join(a["keywords"]),
                              creator="casemine corpus/make_corpus.py")
        doc.build(story)
        return doc.page

    # ---- truth --------------------------------------------------------------------------
    def truth(self) -> dict:
        a, p = self.a, self.p
        sections, cites, captions, full = [], [], [], []
        for heading, items in a["sections"]:
            texts = []
            for it in items:
                if isinstance(it, str):
                    t, cs = markup.plain(it, self.numbers, self.cite_style, self.entries)
                    texts.append(t)
                    cites += [{"marker": c["marker"], "refs": c["refs"], "section": heading} for c in cs]
                else:
                    captions.append({"kind": it["kind"], "caption": markup.plain(it["caption"])[0]})
            shown = heading.upper() if p["head_upper"] else heading
            sections.append({"heading": shown, "kind": kind_of(heading), "text": "\n".join(texts)})
            full += texts
        refs = []
        for i, k in enumerate(self.ref_keys):
            e = self.entries[k]
            dup = next((j + 1 for j, k2 in enumerate(self.ref_keys[:i]) if self.entries[k2] is e), None)
            raw = markup.plain(self.ref_text(k))[0]
            refs.append({"ref_no": i + 1, "raw": raw, "first_author": markup.family_of(e["authors"][0]),
                         "duplicate_of": dup, "in_corpus": k.startswith("corpus:"),
                         **{f: e.get(f) for f in ("authors", "title", "journal", "year", "volume", "issue",
                                                  "pages", "doi")}, "type": e.get("type", "journal")})
        nf = sum(1 for c in captions if c["kind"] == "figure")
        for i, c in enumerate([c for c in captions if c["kind"] == "figure"] +
                              [c for c in captions if c["kind"] == "table"]):
            c["label"] = f"Figure {i + 1}" if i < nf else f"Table {i - nf + 1}"
        abstract = " ".join((f"{lab}: " if lab else "") + markup.plain(t)[0] for lab, t in a["abstract"])
        case = a["case"]
        text = " ".join([markup.plain(a["title"])[0], abstract] + full)
        self.check_spans(case, text)
        return {
            "stem": a["stem"], "title": markup.plain(a["title"])[0],
            "authors": [f"{g} {f}" for g, f, _, _ in a["authors"]],
            "first_author": a["authors"][0][1], "affiliations": a["affiliations"],
            "year": a["year"], "journal": p["journal"], "journal_abbrev": p["abbrev"],
            "publisher": p["publisher"], "volume": a["volume"], "issue": a["issue"], "pages": self.pages,
            "n_pages": self.n_pages, "doi": a["doi"], "article_type": a["article_type"],
            "layout": a["layout"], "citation_style": self.cite_style, "keywords": a["keywords"],
            "abstract": abstract, "sections": sections,
            "section_headings": [s["heading"] for s in sections] + [p["ref_heading"]],
            "back_matter": [lab for lab, _ in a["back"]] + ["Cite this article as"],
            "captions": captions, "n_references": len(refs), "references": refs, "citations": cites,
            "case": case,
        }

    @staticmethod
    def check_spans(case: dict, text: str) -> None:
        """Every quoted span in the case facts must occur in the article's text."""
        flat = " ".join(text.split())
        spans = [t["text"] for t in case["timings"]] + [t["text"] for t in case["treatments"]]
        spans += [c["text"] for c in case["causes"]] + [case["patient"]["age_text"]]
        missing = [s for s in spans if s not in flat]
        if missing:
            raise ValueError(f"truth spans not in text: {missing}")


def main(out: Path = HERE) -> None:
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for art in ARTICLES:
        doc = Article(art)
        path = out / f"{art['stem']}.pdf"
        for _ in range(3):  # page count feeds the printed page range
            n = doc.build(path)
            if n == doc.n_pages:
                break
            doc.n_pages = n
        if n < 3:
            raise ValueError(f"{art['stem']}: only {n} pages")
        BIB[f"corpus:{art['stem']}"] = doc.self_entry()
        truth = doc.truth()
        (out / "truth" / f"{art['stem']}.json").write_text(
            json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path.name}: {n} pages, {truth['n_references']} references, {len(truth['citations'])} citations")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
