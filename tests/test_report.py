"""The HTML review report: files, content per table, degradation, and a headless browser."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import extract
from extract.outputs.annotate import spans
from extract.run.pipeline import Corpus
from extract.outputs.located import PageStore
from extract.outputs.plots import MAX_NEW_SHARE, layout, resolution_days, write_plots
from extract.outputs.report import corpus_graph, highlight, summary_rows, write_report

from conftest import sample_pdfs

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


class Rows(HTMLParser):
    """Rows of each table (by id) as lists of cell texts, and every element id."""

    def __init__(self):
        super().__init__()
        self.tables, self.ids, self.links = {}, set(), []
        self._table = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Rows:
    p = Rows()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    folder = tmp_path_factory.mktemp("pdfs")
    for pdf in sample_pdfs():
        shutil.copy(pdf, folder / pdf.name)
    corpus = extract.run(folder, out)
    return corpus, out, write_report(corpus, out, annotate=True)


def test_report_files(run):
    corpus, out, index = run
    assert index == out / "report" / "index.html"
    for doc_id in corpus.documents["doc_id"]:
        assert (out / "report" / "docs" / f"{doc_id}.html").is_file()
    for name in ("report.js", "report.css", "graph.js", "cytoscape.min.js"):
        assert (out / "report" / "assets" / name).is_file()
    assert list((out / "report" / "pages").glob("*.png"))
    assert (out / "report" / "plots" / "citation_graph.png").is_file()
    for doc_id in corpus.documents["doc_id"]:  # annotate=True: the PDF copies, linked
        page = out / "report" / "docs" / f"{doc_id}.html"
        pdfs = [h for h in parse(page).links if h.endswith(".annotated.pdf")]
        assert len(pdfs) == 1 and (page.parent / pdfs[0]).resolve().is_file()
    for page in [index, *(out / "report" / "docs").glob("*.html")]:
        html = page.read_text(encoding="utf-8")
        # nothing is fetched from elsewhere: every src/href of a script, style or image is relative
        for ref in re.findall(r'<(?:script|link|img)[^>]*(?:src|href)="([^"]+)"', html):
            assert not re.match(r"[a-z]+:", ref), ref
            assert (page.parent / ref).resolve().is_file(), ref


def test_index_lists_documents_and_counts(run):
    corpus, out, index = run
    page = parse(index)
    rows = page.tables["documents-table"][1:]
    assert len(rows) == len(corpus.documents)
    text = index.read_text(encoding="utf-8")
    assert f'<span class="n">{len(corpus.tables["timings"])}</span> timings' in text
    assert len(page.tables["works-table"]) > 1
    for href in page.links:
        if href.startswith("docs/"):
            assert (out / "report" / href).is_file()


def test_doc_page_has_every_span(run):
    corpus, out, _ = run
    all_spans = spans(corpus)
    for doc_id in corpus.documents["doc_id"]:
        page = parse(out / "report" / "docs" / f"{doc_id}.html")
        mine = all_spans[all_spans["doc_id"] == doc_id]
        rows = page.tables["evidence-table"][1:]
        assert [int(r[0]) for r in rows] == list(mine["span_id"])
        assert [r[1] for r in rows] == list(mine["kind"])
        n_cit = (corpus.tables["citations"]["doc_id"] == doc_id).sum()
        assert len(page.tables.get("citations-table", [[]])) - 1 == n_cit
        n_tim = (corpus.tables["timings"]["doc_id"] == doc_id).sum()
        assert len(page.tables["timings-table"]) - 1 == n_tim
        # each page link of a row lands on a drawn box
        targets = [h[1:] for h in page.links if re.fullmatch(r"#s\d+", h)]
        assert len(targets) >= 0.9 * len(rows)
        assert all(t in page.ids for t in targets)


def test_citation_rows_show_their_reference(run):
    corpus, out, _ = run
    refs = corpus.tables["references"]
    cits = corpus.tables["citations"]
    c = cits[cits["ref_no"].notna()].iloc[0]
    raw = refs[(refs["doc_id"] == c["doc_id"]) & (refs["ref_no"] == c["ref_no"])]["raw"].iloc[0]
    rows = parse(out / "report" / "docs" / f"{c['doc_id']}.html").tables["citations-table"][1:]
    assert any(r[4] == raw for r in rows)


def test_highlight_marks_the_span():
    text = "Intro. The ulcer healed within 3 weeks of treatment. End."
    start = text.index("within")
    out = highlight("The ulcer healed within 3 weeks of treatment.", text, start, start + 14)
    assert str(out) == "The ulcer healed <mark>within 3 weeks</mark> of treatment."
    assert "<mark>" not in str(highlight("<b>no span</b>", text, 0, 0))
    assert "&lt;b&gt;" in str(highlight("<b>no span</b>", text, 0, 0))


def test_report_degrades_without_tables(run, tmp_path):
    corpus, out, _ = run
    docs = corpus.documents.copy()
    bare = Corpus({"documents": docs}, out)
    index = write_report(bare, tmp_path, page_images=False)
    html = index.read_text(encoding="utf-8")
    for name in ("subtypes", "treatments", "errors", "works"):
        assert f"No <code>{name}</code> table in this run." in html
    doc_html = (tmp_path / "report" / "docs" / f"{docs['doc_id'].iloc[0]}.html").read_text()
    for name in ("citations", "timings", "references"):
        assert f"No <code>{name}</code> table in this run." in doc_html
    assert "No extracted span found in this document." in doc_html
    empty = Corpus({"documents": docs.iloc[:0]}, None)
    assert "No documents in this run." in write_report(empty, tmp_path / "empty").read_text()


def test_treatments_and_subtypes_fill_the_corpus_page(run, tmp_path):
    """Rows made here point at real words of the sample texts; the corpus page counts them."""
    corpus, out, _ = run
    rows, subtypes = [], []
    for i, doc_id in enumerate(corpus.documents["doc_id"]):
        text = corpus.text(doc_id)
        m = re.search(r"\b(treated|given|started)\b", text)
        if not m:
            continue
        outcome = ["resolved", "improved"][i % 2]
        rows.append(dict(doc_id=doc_id, treatment_id=0, treatment="drug A", scope="case", status="given",
                         outcome=outcome, sentence=None, page=1, char_start=m.start(), char_end=m.end()))
        subtypes.append(dict(doc_id=doc_id, subtype="dystrophic", role="diagnosis", sentence=None,
                             page=1, char_start=m.start(), char_end=m.end()))
    assert len(rows) >= 3
    tables = dict(corpus.tables, treatments=pd.DataFrame(rows), subtypes=pd.DataFrame(subtypes))
    index = write_report(Corpus(tables, out), tmp_path, page_images=False)
    page = parse(index)
    head, *body = page.tables["outcomes-table"]
    assert body[0][0] == "drug A"
    assert int(body[0][head.index("resolved")]) + int(body[0][head.index("improved")]) == len(rows)
    assert page.tables["subtypes-table"][1] == ["dystrophic", str(len(rows))]
    assert (tmp_path / "report" / "plots" / "outcome_by_treatment.png").is_file()
    doc_page = parse(tmp_path / "report" / "docs" / f"{rows[0]['doc_id']}.html")
    kinds = [r[1] for r in doc_page.tables["evidence-table"][1:]]
    assert "treatment" in kinds and "subtype" in kinds


def test_summary_rows(run):
    corpus, _, _ = run
    rows = dict(summary_rows(corpus, 12.34))
    assert rows["documents"] == str(len(corpus.documents))
    assert rows["timings"] == str(len(corpus.tables["timings"]))
    assert rows["time (s)"] == "12.3"


def test_the_summary_and_kept_plots_never_load_matplotlib(run, tmp_path):
    """A fresh interpreter writes the run's summary and a report whose plots were all drawn
    before (linked from the store) without importing matplotlib; drawing one imports it."""
    import os
    import subprocess
    import sys

    _, out, _ = run
    store = tmp_path / "store"
    write_plots(extract.load(out), tmp_path / "first", store=PageStore(store, "v"))  # as read back below
    code = f"""
import sys
import extract
from extract.outputs.located import PageStore
from extract.outputs.plots import write_plots
from extract.outputs.report import summary_rows
corpus = extract.load({str(out)!r})
summary_rows(corpus)
made = write_plots(corpus, {str(tmp_path / "again")!r}, store=PageStore({str(store)!r}, "v"))
print(len(made), "matplotlib" in sys.modules)
write_plots(corpus, {str(tmp_path / "drawn")!r})
print("matplotlib" in sys.modules)
"""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(extract.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           check=True).stdout.split("\n")
    assert lines[0].split()[1] == "False" and int(lines[0].split()[0]) >= 3
    assert lines[1] == "True"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=FLAGS, viewport={"width": 1300, "height": 900})
        yield ctx
        ctx.close()


def open_page(ctx, path: Path):
    page = ctx.new_page()
    page.problems, page.requests = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def visible_rows(page, table_id: str) -> int:
    return page.locator(f"#{table_id} tbody tr:visible").count()


def filter_table(page, table_id: str, query: str) -> None:
    page.locator(f".table-tools:has(+ .table-wrap #{table_id}) input").fill(query)


def test_index_in_browser(run, browser, tmp_path):
    corpus, out, index = run
    page = open_page(browser, index)
    page.wait_for_function("window.casemineGraph && window.casemineGraph.nodes().length > 0")
    assert page.evaluate("window.casemineGraph.nodes().length") == corpus_graph(corpus).number_of_nodes()
    assert page.evaluate("window.casemineGraph.edges().length") > 0
    assert page.locator("#graph canvas").count() > 0
    n = visible_rows(page, "documents-table")
    assert n == len(corpus.documents)
    word = corpus.documents["title"].iloc[0].split()[0]
    filter_table(page, "documents-table", word)
    assert 0 < visible_rows(page, "documents-table") < n
    filter_table(page, "works-table", "zzzz-no-such-work")
    assert visible_rows(page, "works-table") == 0
    page.locator("#documents-table th", has_text="year").click()
    page.locator("#graph-colour").select_option("year")
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert page.problems == []
    assert all(u.startswith(out.as_uri()) for u in page.requests), page.requests


def test_doc_page_in_browser(run, browser, tmp_path):
    corpus, out, _ = run
    doc_id = corpus.tables["citations"]["doc_id"].iloc[0]
    page = open_page(browser, out / "report" / "docs" / f"{doc_id}.html")
    total = visible_rows(page, "evidence-table")
    filter_table(page, "evidence-table", "citation:")
    cits = visible_rows(page, "evidence-table")
    assert 0 < cits < total
    assert cits == (corpus.tables["citations"]["doc_id"] == doc_id).sum()
    filter_table(page, "evidence-table", "")
    kinds = page.locator("#evidence-table tbody tr td:nth-child(2)")
    page.locator("#evidence-table th", has_text="kind").click()
    shown = kinds.all_inner_texts()
    assert shown == sorted(shown)
    page.locator("#evidence-table th", has_text="kind").click()
    assert kinds.all_inner_texts() == sorted(shown, reverse=True)
    n_tim = visible_rows(page, "timings-table")
    filter_table(page, "timings-table", "DURATION")
    assert 0 < visible_rows(page, "timings-table") < n_tim
    assert visible_rows(page, "citations-table") > 0
    link = page.locator("#evidence-table a[href^='#s']").first
    span = link.get_attribute("href")[2:]
    link.click()
    box = page.locator(f'.box[data-span="{span}"]').first
    assert "active" in box.get_attribute("class")
    assert box.is_visible()
    page.screenshot(path=str(tmp_path / "doc.png"))
    assert page.problems == []
    assert all(u.startswith(out.as_uri()) for u in page.requests), page.requests


def test_time_to_outcome_prefers_case_rows(run, tmp_path):
    corpus, out, _ = run
    doc_id = corpus.documents["doc_id"].iloc[0]
    cases = pd.DataFrame([dict(doc_id=doc_id, patient_id=0, subtype="idiopathic", time_to_outcome_days=42.0)])
    with_cases = Corpus(dict(corpus.tables, cases=cases), out)
    df = resolution_days(with_cases)
    assert df[["doc_id", "days", "subtype"]].values.tolist() == [[doc_id, 42.0, "idiopathic"]]
    from_timings = resolution_days(Corpus({k: v for k, v in corpus.tables.items() if k != "cases"}, out))
    timings = corpus.tables["timings"]
    assert len(from_timings) == ((timings["event_kind"] == "resolution") & timings["days"].notna()).sum()
    assert "time_to_outcome" in write_plots(with_cases, tmp_path)


def test_graph_keeps_every_report_when_trimmed(run):
    corpus, _, _ = run
    full = corpus_graph(corpus)
    small = corpus_graph(corpus, max_nodes=len(corpus.documents) + 2)
    kinds = [d["kind"] for _, d in small.nodes(data=True)]
    assert kinds.count("document") == len(corpus.documents) and len(kinds) == len(corpus.documents) + 2
    assert small.graph["n_nodes"] == full.number_of_nodes() > small.number_of_nodes()
    cited = sorted((d.get("times_cited", 0) for _, d in full.nodes(data=True) if d["kind"] == "work"),
                   reverse=True)
    assert sorted(d.get("times_cited", 0) for n, d in small.nodes(data=True) if d["kind"] == "work") \
        == sorted(cited[:2])


def test_layout_keeps_what_was_drawn_and_places_the_rest(run, tmp_path):
    """A report's graph keeps the positions the last one drew and places only new nodes,
    the same way every time; with too many new nodes it is laid out whole again."""
    corpus, _, _ = run
    G = corpus_graph(corpus)
    full = layout(G)
    assert layout(G) == full and all(-1 <= c <= 1 for p in full.values() for c in p)
    docs = [n for n, d in G.nodes(data=True) if d["kind"] == "document"]
    before = G.copy()
    before.remove_nodes_from([n for n in G[docs[0]] if G.degree(n) == 1] + [docs[0]])
    new = set(G) - set(before)
    assert 0 < len(new) <= MAX_NEW_SHARE * len(G)
    kept = layout(before)
    placed = layout(G, kept)
    assert list(placed) == list(G) and all(placed[n] == kept[n] for n in before)
    assert layout(G, kept) == placed  # deterministic
    assert all(-1 <= c <= 1 for p in placed.values() for c in p) and len(set(placed.values())) == len(placed)
    # a new node sits nearer its neighbours than the graph's typical spread
    spread = max(abs(c) for p in placed.values() for c in p)
    for n in new:
        near = [placed[m] for m in G.to_undirected()[n]]
        assert min(abs(complex(*placed[n]) - complex(*m)) for m in near) < spread
    assert layout(G, {n: kept[n] for n in docs[1:]}) == full  # mostly new: laid out whole
    store = PageStore(tmp_path / "store", "v1")
    store.keep_layout(placed)
    assert store.kept_layout() == placed
    assert PageStore(tmp_path / "store", "v2").kept_layout() == {}  # another pipeline version: from scratch


def test_report_checks_values_in_one_click(run, browser, tmp_path):
    """A case value links to its span on the page image and to the PDF at that page; the
    boxes are outlines, one filled at a time; DOIs are links; nothing runs off the page."""
    corpus, out, _ = run
    case = corpus.cases.iloc[0]
    doc = corpus.documents.set_index("doc_id").loc[case.doc_id]
    page = open_page(browser, out / "report" / "docs" / f"{case.doc_id}.html")
    row = page.locator("#case-table tr", has_text="age years")
    assert row.locator(".value").inner_text() == f"{case.age_years:g}"
    assert row.locator("a.to-pdf").get_attribute("href") == \
        f"{Path(doc.path).as_uri()}#page={int(case.age_years_page)}"
    link = row.locator("a.to-span")
    assert link.inner_text() == f"p.\u00a0{int(case.age_years_page)}"
    link.click()
    span = link.get_attribute("href")[2:]
    box = page.locator(f'.box[data-span="{span}"]').first
    assert "active" in box.get_attribute("class") and box.is_visible()
    assert box.evaluate("b => b.closest('figure').id") == f"page-{int(case.age_years_page)}"
    assert box.evaluate("b => { const r = b.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    fills = page.evaluate("""() => Array.from(document.querySelectorAll('.box')).filter(
        b => getComputedStyle(b).backgroundColor !== 'rgba(0, 0, 0, 0)').length""")
    assert fills == page.locator(f'.box[data-span="{span}"]').count()  # only the span looked at is filled
    mine = spans(corpus)[lambda d: d.doc_id == case.doc_id]
    pdf_links = page.locator("#evidence-table a.to-pdf")
    assert pdf_links.count() == mine.page.notna().sum() > 0
    assert pdf_links.first.get_attribute("href") == f"{Path(doc.path).as_uri()}#page={int(mine.page.dropna().iloc[0])}"
    assert page.locator("#metadata a.doi").get_attribute("href") == f"https://doi.org/{doc.doi}"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    written = page.locator("#timings-table td:nth-child(3)").all_inner_texts()
    assert any(re.fullmatch(r"\d+(\.\d+)? (years?|weeks?|days?|months?) P\S+", w) for w in written), written
    page.screenshot(path=str(tmp_path / "click.png"))
    assert page.problems == []


def test_outcome_counts_open_the_rows_behind_them(run, browser):
    corpus, out, index = run
    page = open_page(browser, index)
    links = page.locator("#outcomes-table a")
    assert links.count() > 0
    checked = 0
    for i in range(links.count()):
        a = links.nth(i)
        if "kind:outcome" not in a.get_attribute("href"):
            continue
        n = int(a.inner_text())
        a.click()
        page.wait_for_load_state("load")
        assert visible_rows(page, "all-evidence-table") == n, page.url
        page.go_back()
        checked += 1
        if checked == 3:
            break
    assert checked
    # the cross-document table searches over every report
    page = open_page(browser, out / "report" / "evidence.html")
    assert visible_rows(page, "all-evidence-table") == len(corpus.evidence)
    filter_table(page, "all-evidence-table", "diagnosis")
    assert visible_rows(page, "all-evidence-table") >= len(corpus.documents)
    assert page.problems == []


def test_corrections_visible_in_the_report(run, browser, tmp_path):
    corpus, out, _ = run
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    case = corpus.cases.iloc[0]
    fix = tmp_path / "fix.csv"
    fix.write_text(f"doc_id,table,key,column,value,reviewer,note\n{case.doc_id},cases,0,sex,"
                   f"{'male' if case.sex == 'female' else 'female'},RB,checked on the page\n")
    write_report(extract.load(copy, corrections=fix), copy, page_images=False)
    page = open_page(browser, copy / "report" / "docs" / f"{case.doc_id}.html")
    row = page.locator("#case-table tr.corrected")
    assert row.count() == 1 and "sex" in row.inner_text()
    assert f"was \"{case.sex}\"" in row.get_attribute("title") and "RB" in row.get_attribute("title")
    assert visible_rows(page, "corrections-table") == 1
