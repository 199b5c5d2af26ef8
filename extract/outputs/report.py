"""The HTML review report: OUT_DIR/report/index.html and one page per document.

Self-contained folder (assets copied in, no CDN, nothing fetched): a corpus page (counts,
subtypes, treatment by outcome, time to resolution, failures, the citation graph, plots)
and per document its metadata, case summary, every extracted span with its sentence
highlighted and a link to the page image with the span's box drawn on it, citations with
the reference they point to, timings on a timeline, and the reference list. Any table a
run lacks is reported as absent, never an error.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import pickle
import re
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from extract.outputs.annotate import colour, pdf_names, spans, stored_text
from extract.outputs.located import PageStore, Placed
from extract.outputs.plots import MAX_GRAPH_NODES, OUTCOMES, corpus_graph, doc_labels, layout, work_label, write_plots
from extract.outputs.tables import records
from extract.citations.works import missing

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "assets"
STATIC = ("report.css", "report.js", "graph.js", "cytoscape.min.js")
EVENT_COLOURS = {"onset": "#e53935", "exposure": "#fb8c00", "diagnosis": "#8e24aa",
                 "treatment": "#43a047", "resolution": "#1e88e5", "follow_up": "#00897b",
                 "age": "#757575", "other": "#9e9e9e"}


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(ASSETS), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = cell
    env.filters["doi_link"] = doi_link
    env.filters["as_written"] = as_written
    env.globals.update(colour=colour, event_colour=lambda k: EVENT_COLOURS.get(k, "#9e9e9e"))
    return env


def doi_link(doi) -> Markup:
    """A DOI as a link to the article."""
    if missing(doi):
        return Markup("")
    return Markup('<a class="doi" href="https://doi.org/{0}">{0}</a>').format(str(doi).strip())


def pdf_link(path, page) -> str | None:
    """The source PDF opened at a page ('file:///.../x.pdf#page=3'): where to check a value."""
    if missing(path) or missing(page) or Path(str(path)).suffix.lower() != ".pdf":
        return None
    return f"{file_uri(str(path))}#page={int(page)}"


@lru_cache(maxsize=4096)
def file_uri(path: str) -> str:
    """'file:///...' for a path (asked for every row of a document: kept)."""
    return Path(path).absolute().as_uri()


_ISO_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "TM": "minute", "S": "second"}
_EVERY = {"P1D": "daily", "P1W": "weekly", "P1M": "monthly", "P1Y": "yearly", "PT1H": "hourly"}


def as_written(value) -> str:
    """An ISO 8601 value as people write it: 'P61Y' -> '61 years', 'R/P1W' -> 'weekly',
    'PT60M' -> '60 minutes', 'R/P2D' -> 'every 2 days'; dates and anything else as given."""
    if missing(value):
        return ""
    v = str(value)
    if v.startswith("R/"):
        every = as_written(v[2:])
        return _EVERY.get(v[2:]) or (f"every {every}" if every != v[2:] else v)
    m = re.fullmatch(r"P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?"
                     r"(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?", v)
    if not m or not any(m.groups()):
        return v
    parts = []
    for n, unit in zip(m.groups(), _ISO_UNITS.values()):
        if n:
            n = n.rstrip("0").rstrip(".") if "." in n else n
            parts.append(f"{n} {unit}{'' if n == '1' else 's'}")
    return " ".join(parts)


def cell(value) -> str:
    """A table value as display text: lists joined, nulls blank, floats trimmed."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return "; ".join(str(v) for v in list(value) if not missing(v))
    if missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def highlight(sentence, text: str | None, start: int, end: int) -> Markup:
    """The sentence with [start, end) of the document text marked (found in the sentence
    by position when the sentence is an exact slice of the text, else by its characters)."""
    if missing(sentence):
        sentence = text[max(0, start - 80):end + 80] if text else ""
    sentence = str(sentence)
    target = text[start:end] if text else ""
    lo = -1
    if text:
        s0 = text.rfind(sentence, 0, start + 1)
        if s0 >= 0 and s0 + len(sentence) >= end:
            lo = start - s0
    if lo < 0 and target:
        lo = sentence.find(target)
    if lo < 0 or not target:
        return escape(sentence)
    hi = lo + len(target)
    return Markup("{}<mark>{}</mark>{}").format(sentence[:lo], sentence[lo:hi], sentence[hi:])


def graph_elements(G: nx.DiGraph, pos: dict) -> dict:
    """Cytoscape elements with preset positions (the static PNG's layout)."""
    nodes = []
    for n, d in G.nodes(data=True):
        x, y = pos[n]
        is_doc = d.get("kind") == "document"
        nodes.append({"data": {"id": n, "label": d.get("label", n),
                               "kind": d.get("kind", "work"), "title": d.get("title", ""),
                               "year": d.get("year"), "component": d.get("component", 1),
                               "cited": d.get("times_cited", 0),
                               "href": f"docs/{n}.html" if is_doc else None,
                               "doi": d.get("doi")},
                      "position": {"x": round(x * 400, 1), "y": round(-y * 400, 1)}})
    edges = [{"data": {"id": f"e{i}", "source": u, "target": v, "weight": d.get("weight", 1)}}
             for i, (u, v, d) in enumerate(G.edges(data=True))]
    return {"nodes": nodes, "edges": edges}


def _json(data) -> Markup:
    return Markup(json.dumps(data, ensure_ascii=False, default=str).replace("</", "<\\/"))


def counts(corpus) -> list[tuple[str, int]]:
    """(what, how many) for the corpus page and the end-of-run summary."""
    docs = corpus.tables.get("documents", pd.DataFrame(columns=["status", "n_pages"]))
    status = docs["status"].value_counts()
    rows = [("documents", len(docs)), ("pages", int(pd.to_numeric(docs["n_pages"]).fillna(0).sum())),
            ("ok", int(status.get("ok", 0))), ("partial", int(status.get("partial", 0))),
            ("failed", int(status.get("error", 0)))]
    for name, df in corpus.tables.items():
        if name not in ("documents",) and not name.startswith("graph_"):
            rows.append((name, len(df)))
    return rows


def summary_rows(corpus, seconds: float | None = None) -> list[tuple[str, str]]:
    """The end-of-run summary: documents, failures, treatments, timings, references, time."""
    n = dict(counts(corpus))
    rows = [("documents", n["documents"]), ("failed", n["failed"]), ("partial", n["partial"])]
    rows += [(k, n[k]) for k in ("treatments", "timings", "references", "citations", "works")
             if k in n]
    if seconds is not None:
        rows.append(("time (s)", f"{seconds:.1f}"))
    return [(k, str(v)) for k, v in rows]


def _subtypes(corpus) -> pd.DataFrame | None:
    st = corpus.tables.get("subtypes")
    if st is None:
        return None
    diag = st[st["role"] == "diagnosis"].drop_duplicates(["doc_id", "subtype"])
    return diag.groupby("subtype").agg(reports=("doc_id", "nunique")).sort_values(
        "reports", ascending=False).reset_index()


def _treatment_outcomes(corpus) -> pd.DataFrame | None:
    t = corpus.tables.get("treatments")
    if t is None:
        return None
    if "scope" in t and "status" in t:
        t = t[(t["scope"].fillna("case") == "case") & (t["status"].fillna("given") == "given")]
    tab = pd.crosstab(t["treatment"].astype(str), t["outcome"].fillna("unknown").astype(str))
    tab = tab[[c for c in OUTCOMES if c in tab] + [c for c in tab if c not in OUTCOMES]]
    tab["reports"] = t.groupby("treatment")["doc_id"].nunique().reindex(tab.index)
    return tab.reset_index()


def _failures(corpus) -> list[dict] | None:
    errors = corpus.tables.get("errors")
    return None if errors is None else records(errors)


def _render_pages(store: PageStore, placed: Placed, doc_spans: pd.DataFrame, folder: Path,
                  doc_id: str) -> list:
    """PNG per page holding a box, with the boxes as percentages of the page size."""
    by_page: dict[int, list] = {}
    kinds = dict(zip(doc_spans["span_id"], doc_spans["kind"]))
    notes = dict(zip(doc_spans["span_id"], doc_spans["note"]))
    for sid, boxed in placed.boxes.items():
        for i, (page, (x0, top, x1, bottom)) in enumerate(boxed):
            width, height = placed.sizes[page - 1]
            by_page.setdefault(page, []).append({
                "span": sid, "kind": kinds[sid], "note": notes[sid], "anchor": i == 0,
                "left": 100 * x0 / width, "top": 100 * top / height,
                "width": 100 * max(x1 - x0, 1) / width,
                "height": 100 * max(bottom - top, 1) / height})
    pages = []
    for number in sorted(by_page):
        width, height = store.page_image(placed, doc_id, number, folder)
        pages.append({"number": number, "src": f"../pages/{doc_id}-{number}.png", "boxes": by_page[number],
                      "width": width, "height": height})
    return pages


def _timeline(timings: list[dict]) -> list[dict]:
    """Timings in reading order with a bar proportional to log(days)."""
    days = [t["days"] for t in timings if not missing(t.get("days"))]
    top = math.log1p(max(days)) if days else 1.0
    out = []
    for t in sorted(timings, key=lambda r: r["char_start"]):
        d = t.get("days")
        out.append(dict(t, bar=0 if missing(d) else max(2, 100 * math.log1p(max(d, 0)) / top)))
    return out


def _by_doc(df: pd.DataFrame | None) -> dict[str, list[dict]] | None:
    """A table's rows grouped by document, each with `row_index` (its position in the
    table); None when the run has no such table."""
    if df is None:
        return None
    out: dict[str, list[dict]] = {}
    for i, r in enumerate(records(df)):
        r["row_index"] = i
        out.setdefault(r.get("doc_id"), []).append(r)
    return out


@dataclass
class _Context:
    """What every document page of one report shares."""

    env: Environment
    corpus: object
    report_dir: Path
    labels: dict
    rows: dict  # table name -> doc_id -> rows (or None: table absent)
    works: dict  # work_id -> works row
    page_images: bool
    spans: pd.DataFrame  # every span of the run (annotate.spans)
    store: PageStore  # boxes and page images, kept from earlier reports

    def of(self, table: str, doc_id: str) -> list[dict] | None:
        grouped = self.rows.get(table)
        return None if grouped is None else grouped.get(doc_id, [])


def _doc_page(ctx: _Context, row: dict, doc_spans: pd.DataFrame, annotated: str | None) -> None:
    doc_id = row["doc_id"]
    text = stored_text(ctx.corpus, doc_id)
    # span ids are the run's (an earlier document's new span moves them): the page is made
    # with marks counted from its first span, which become the ids as it is written
    first = int(doc_spans["span_id"].min()) if len(doc_spans) else 0
    doc_spans = doc_spans.assign(span_id=[Markup(f"<s:{i - first}>") for i in doc_spans["span_id"]])
    placed = ctx.store.place(ctx.corpus, doc_id, doc_spans, text) \
        if ctx.page_images and row.get("status") != "error" else None
    located = placed.boxes if placed is not None else {}
    pages = _render_pages(ctx.store, placed, doc_spans, ctx.report_dir / "pages", doc_id) if placed else []
    if annotated and placed is not None:
        ctx.store.annotate(placed, doc_id, ctx.report_dir.parent / "annotated" / annotated, doc_spans)
    else:
        annotated = None
    dest = ctx.report_dir / "docs" / f"{doc_id}.html"
    works = _page_works(ctx, doc_id)
    key = _page_key(ctx, row, doc_spans, text, pages, located, annotated, works)
    html = ctx.store.kept_page(doc_id, key)
    if html is None:
        html = _render_doc(ctx, row, doc_spans, text, placed, pages, annotated, works)
        ctx.store.keep_page(doc_id, key, html)

    def filled(m: re.Match) -> str:
        return str(first + int(m[2])) if m[1] == "s" else str(ctx.works[m[2]]["times_cited_in_corpus"])

    dest.write_text(_MARK.sub(filled, html), encoding="utf-8")


def _page_works(ctx: _Context, doc_id: str) -> dict:
    """The works a document's references and citations point to, as its page shows them:
    the count of citations in the corpus is a mark (`<w:work_id>`, filled as the page is
    written), so that a new document citing a work does not make the page change."""
    ids = {w for t in ("references", "citations") for r in ctx.of(t, doc_id) or []
           if not missing(w := r.get("work_id"))}
    return {w: None if (work := ctx.works.get(w)) is None else
            {"in_corpus": work["in_corpus"], "doc_id": work["doc_id"],
             "times_cited_in_corpus": Markup(f"<w:{w}>")} for w in ids}




def _render_doc(ctx: _Context, row: dict, doc_spans: pd.DataFrame, text: str | None, placed: Placed | None,
                pages: list, annotated: str | None, works: dict) -> str:
    doc_id = row["doc_id"]
    located = placed.boxes if placed is not None else {}
    page_of = {sid: b[0][0] for sid, b in located.items() if b}
    evidence = [dict(r, marked=highlight(r["sentence"], text, r["char_start"], r["char_end"]),
                     box_page=page_of.get(r["span_id"]), pdf=pdf_link(row.get("path"), r["page"]))
                for r in records(doc_spans)]
    span_of = {(r["table"], r["row"]): r["span_id"] for r in records(doc_spans)}
    cases = _case_fields(ctx, row, span_of, {e["span_id"]: e for e in evidence})
    refs = ctx.of("references", doc_id)
    ref_by_no = {r["ref_no"]: r for r in refs or []}
    citations = ctx.of("citations", doc_id)
    if citations:
        citations = [dict(c, ref=ref_by_no.get(c["ref_no"]), work=works.get(c.get("work_id")),
                          span=span_of.get(("citations", c["row_index"])), pdf=pdf_link(row.get("path"), c["page"]),
                          marked=highlight(c["sentence"], text, c["char_start"], c["char_end"]))
                     for c in citations]
    timings = ctx.of("timings", doc_id)
    if timings:
        timings = _timeline([dict(t, span=span_of.get(("timings", t["row_index"])), pdf=pdf_link(row.get("path"), t["page"]))
                             for t in timings])
    return ctx.env.get_template("doc.html").render(
        root="../", doc=row, label=ctx.labels.get(doc_id, doc_id), evidence=evidence, pages=pages,
        cases=cases, patients=ctx.of("patients", doc_id), citations=citations,
        timings=timings, references=refs, works=works, errors=ctx.of("errors", doc_id),
        corrections=ctx.of("corrections", doc_id),
        pdf_found=placed is not None, page_images=ctx.page_images,
        doc_uri=file_uri(str(row.get("path"))) if not missing(row.get("path")) else None,
        has_evidence="evidence" in ctx.corpus.tables, annotated=annotated)


_MARK = re.compile(r"<([sw]):([^<>]+)>")  # a span id or a work's count in a page as made (`_doc_page`)
_PAGE_TABLES = ("references", "citations", "timings", "cases", "patients", "errors", "evidence", "corrections")


@lru_cache(maxsize=1)
def _templates() -> bytes:
    """The report's templates (not in the pipeline version, which covers the code)."""
    return b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in sorted(ASSETS.glob("*.html")))


def _page_key(ctx: _Context, row: dict, doc_spans: pd.DataFrame, text: str | None, pages: list,
              located: dict, annotated: str | None, works: dict) -> str:
    """A hash of everything a document's page is made from: its rows in every table, its
    spans (their ids marked, `_doc_page`), label, text, boxes, page images, the works its
    references point to (as `_page_works` shows them), the templates and the folder links resolve against; positions in
    the run's tables count from the document's first row. The same hash, the same page."""
    rows = [ctx.of(t, row["doc_id"]) for t in _PAGE_TABLES]
    firsts = {t: r[0]["row_index"] for t, r in zip(_PAGE_TABLES, rows) if r}
    table, at = doc_spans["table"].to_numpy(), doc_spans["row"].to_numpy()
    for t in dict.fromkeys(table):
        if t not in firsts:
            firsts[t] = at[table == t].min()
    local = [int(a - firsts[t]) for t, a in zip(table, at)]  # the spans' rows, counted as above
    columns = list(doc_spans.columns)
    rows = [[dict(r, row_index=r["row_index"] - firsts[t]) for r in rs] if rs else rs
            for t, rs in zip(_PAGE_TABLES, rows)]
    what = (_templates(), os.getcwd(), row, ctx.labels.get(row["doc_id"]), columns,
            np.delete(doc_spans.to_numpy(dtype=object), columns.index("row"), axis=1), local, text, pages,
            located, annotated, ctx.page_images, "evidence" in ctx.corpus.tables, rows, sorted(works.items()))
    return hashlib.blake2b(pickle.dumps(what), digest_size=16).hexdigest()


def write_report(corpus, out_dir, *, page_images: bool = True, annotate: bool = False,
                 max_graph_nodes: int = MAX_GRAPH_NODES, store: PageStore | None = None,
                 seconds: dict[str, float] | None = None) -> Path:
    """Write OUT_DIR/report/ (index.html, docs/, pages/, plots/, assets/); returns index.html.

    page_images=False skips re-reading the PDFs (no page images or boxes: faster);
    annotate=True also writes OUT_DIR/annotated/ (as `annotate_pdfs`) from the same reading;
    `store` keeps each document's boxes, page images and page for the next report, which
    renders again only the pages whose content changed (default: none kept). `seconds`, when given, gets the time spent on the document pages ("documents"),
    the plots ("plots") and the rest of the corpus pages ("corpus")."""
    t0 = time.perf_counter()
    report_dir = Path(out_dir) / "report"
    for sub in ("assets", "docs", "pages", "plots"):  # no page of an earlier run left behind
        shutil.rmtree(report_dir / sub, ignore_errors=True)
        (report_dir / sub).mkdir(parents=True)
    for name in STATIC:
        shutil.copyfile(ASSETS / name, report_dir / "assets" / name)
    env = _env()
    tables = corpus.tables
    docs = tables.get("documents", pd.DataFrame(columns=["doc_id", "status", "path"]))
    docs = docs[docs["doc_id"].notna()]
    labels = doc_labels(docs)
    all_spans = spans(corpus)
    store = store or PageStore()
    G = corpus_graph(corpus, max_graph_nodes)
    pos = layout(G, store.kept_layout())
    store.keep_layout(pos)
    t_plots = time.perf_counter()
    plots = write_plots(corpus, report_dir, (G, pos), store)
    t_plots = time.perf_counter() - t_plots
    kinds = all_spans.groupby(["doc_id", "kind"]).size().unstack(fill_value=0) if len(all_spans) \
        else pd.DataFrame()
    works = tables.get("works")
    ctx = _Context(env, corpus, report_dir, labels,
                   {name: _by_doc(tables.get(name)) for name in
                    ("references", "citations", "timings", "cases", "patients", "errors", "evidence",
                     "corrections")},
                   {} if works is None else {w["work_id"]: w for w in records(works)},
                   page_images, all_spans, store)
    spans_of = dict(tuple(all_spans.groupby("doc_id", sort=False)))
    names = pdf_names(docs) if annotate else {}
    t_docs = time.perf_counter()
    for row in records(docs):
        _doc_page(ctx, row, spans_of.get(row["doc_id"], all_spans.iloc[:0]), names.get(row["doc_id"]))
    t_docs = time.perf_counter() - t_docs
    works = corpus.tables.get("works")
    top_works = None if works is None else records(works.sort_values(
        ["times_cited_in_corpus", "work_id"], ascending=[False, True]).head(50))
    index = env.get_template("index.html").render(
        root="", counts=counts(corpus), docs=records(docs), labels=labels,
        kinds=kinds.to_dict("index"), kind_names=list(kinds.columns),
        subtypes=_subtypes(corpus), outcomes=_treatment_outcomes(corpus),
        failures=_failures(corpus), plots={k: f"plots/{p.name}" for k, p in plots.items()},
        graph=_json(graph_elements(G, pos)), graph_nodes=G.number_of_nodes(),
        graph_total=G.graph.get("n_nodes", 0), top_works=top_works, work_label=work_label,
        has_timings="timings" in corpus.tables)
    path = report_dir / "index.html"
    path.write_text(index, encoding="utf-8")
    (report_dir / "evidence.html").write_text(env.get_template("evidence.html").render(
        root="", rows=_all_evidence(corpus, all_spans, labels)), encoding="utf-8")
    if seconds is not None:
        seconds["documents"] = seconds.get("documents", 0.0) + t_docs
        seconds["plots"] = seconds.get("plots", 0.0) + t_plots
        seconds["corpus"] = seconds.get("corpus", 0.0) + time.perf_counter() - t0 - t_docs - t_plots
    return path


# case summary fields shown with the evidence behind them (see tables.link_case_evidence)
_CASE_HIDDEN = {"doc_id", "study", "row_key", "patient_id", "corrected", "treatments_evidence"}


def _case_fields(ctx: _Context, doc: dict, span_of: dict, spans_by_id: dict) -> list[dict] | None:
    """Per patient, its summary as (field, value, links to the evidence) rows: each value
    goes to its span on the rendered page and to the PDF at that page; corrected fields
    say what they held before."""
    cases = ctx.of("cases", doc["doc_id"])
    if not cases:
        return cases
    row_of = {r["evidence_id"]: r["row_index"] for r in ctx.of("evidence", doc["doc_id"]) or []}
    fixes = {(c["key"], c["column"]): c for c in ctx.of("corrections", doc["doc_id"]) or []
             if c.get("table") == "cases" and c.get("status") == "applied"}

    def link(evidence_id) -> dict | None:
        if missing(evidence_id) or evidence_id not in row_of:
            return None
        sid = span_of.get(("evidence", row_of[evidence_id]))
        span = spans_by_id.get(sid)
        return None if span is None else dict(span=sid, page=span["box_page"] or span["page"],
                                              boxed=span["box_page"] is not None, pdf=span["pdf"])

    out = []
    for case in cases:
        fields = []
        for col, value in case.items():
            if col in _CASE_HIDDEN or col == "row_index" or col.endswith(("_evidence", "_page")):
                continue
            if col == "treatments_given":
                ids = list(case.get("treatments_evidence") or [])
                items = [dict(value=t, link=link(ids[i]) if i < len(ids) else None) for i, t in enumerate(value)]
            else:
                items = [dict(value=value, link=link(case.get(f"{col}_evidence")))]
            fix = fixes.get((case.get("row_key"), col))
            fields.append(dict(field=col, items=items, corrected=fix))
        out.append(dict(patient=case.get("patient_id"), fields=fields))
    return out


def _all_evidence(corpus, all_spans: pd.DataFrame, labels: dict) -> list[dict]:
    """The cross-document evidence table: every fact of every report, with where it is."""
    ev = corpus.tables.get("evidence")
    if ev is None:
        return []
    span_at = {(r["table"], r["row"]): r["span_id"] for r in records(all_spans)}
    path_of = dict(zip(corpus.documents["doc_id"], corpus.documents["path"]))
    return [dict(r, study=labels.get(r["doc_id"], r["doc_id"]), span=span_at.get(("evidence", i)),
                 pdf=pdf_link(path_of.get(r["doc_id"]), r["page"]))
            for i, r in enumerate(records(ev))]
