"""Throughput of the whole run (tables, workbook and report, as `casemine run` writes them)
on the shared PDFs and the sample corpus.

For each set:
- casemine's per-page time (documents alone, 1 worker) against pdfplumber's plain
  `extract_text` on one core;
- the time by stage, 1 worker: layout (characters, lines, blocks, structure), NLP (the
  mentions stage), the extractor stages, start-up (worker processes, imports, models),
  writing per document (its part file and text; its report page, boxes and page images)
  and writing the corpus outputs (works, graph, tables and DuckDB; workbook; report index,
  plots, evidence page), the rest (planning, reading the parts back) as "other";
- the incremental-add cost: a run over all but the last --add PDFs, then the same folder
  with them added; the second run's wall time against a fresh run over every PDF
  (`add_share`, measured), and projected to 5 PDFs added to 100 (`projected_5_to_100`,
  see `projected_add_share`): start-up and the rest as measured, each document's
  processing and writing as the first run measured it per document, and the corpus
  outputs timed on 100 and 105 documents made by repeating the set's own under new ids,
  titles, first authors and DOIs, each copy's references under their own ids (reading the parts, tables, DuckDB, graph, workbook,
  report without page images), the 105 written in the folder of the 100, as a run adding
  5 PDFs would (the workbook's rows and the report's document pages kept there);
- NLP words/s: words of the sections the mentions stage reads, per CPU second of that
  stage in its worker (CPU, not wall: the machine's other jobs do not count);
- peak resident memory of any one worker, and the scaling from 1 to N workers for every
  N up to the cores this process may use (1, 2, 4, ... and the count itself);
- start-up, measured apart in a fresh interpreter: `import extract`, then a worker's stage
  modules and models (`init_worker`).
Every run is a fresh output folder and a fresh worker pool (start-up included). Timings on
a shared machine are noisy: run twice before believing a difference under ~15%.

    python benchmarks/throughput.py [--data PATH] [--limit N] [--workers N] [--add N]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from _common import ROOT, arg_parser, print_table  # noqa: E402
import extract  # noqa: E402
from extract.run.cache import VERSION_ENV, code_version  # noqa: E402
from extract.run.guards import Limits  # noqa: E402

NLP_STAGES = {"mentions"}  # spaCy pipelines; every other registered stage is an extractor
EXTRAS = ("excel", "report")  # what `casemine run` writes besides the tables, by default
PER_DOC_OUTPUTS = ("report documents",)  # Corpus.seconds written per document; the rest is corpus-level
STARTUP = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
import extract
t1 = time.perf_counter()
from extract.run.workers import init_worker
from extract.stages import RunConfig
init_worker(RunConfig())
t2 = time.perf_counter()
import psutil
print(json.dumps(dict(import_s=t1 - t0, models_s=t2 - t1, cpu_s=time.process_time() - c0,
                      rss_mb=psutil.Process().memory_info().rss / 2**20)))
"""


def group(stage: str) -> str:
    if stage in ("writing", "report pages"):  # its part file and text; its boxes and page images
        return "writing per document"
    return stage if stage == "layout" else "NLP" if stage in NLP_STAGES else "extractors"


class PeakRSS:
    """Largest resident memory of any one worker process while the block runs (0.1 s samples)."""

    def __enter__(self) -> "PeakRSS":
        self.peak, self._stop = 0, threading.Event()
        self._t = threading.Thread(target=self._poll, daemon=True)
        self._t.start()
        return self

    def _poll(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()


def plumber_seconds(pdfs: list[Path]) -> tuple[float, int]:
    """pdfplumber's plain extract_text over every page, one core: (seconds, pages)."""
    import pdfplumber

    t0, pages = time.perf_counter(), 0
    for f in pdfs:
        try:
            with pdfplumber.open(f) as pdf:
                for p in pdf.pages:
                    p.extract_text()
                    pages += 1
        except Exception:
            continue
    return time.perf_counter() - t0, pages


def startup() -> dict:
    """Import and model-loading seconds of a fresh interpreter, as a worker starts."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", STARTUP], capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def casemine_run(folder: Path, out: Path, workers: int) -> dict:
    stages: dict[tuple[str, str], float] = defaultdict(float)  # (group, stage) -> seconds
    cpu: dict[tuple[str, str], float] = defaultdict(float)     # the same in the worker's CPU seconds
    stats = dict(pages=0, docs=0, doc_seconds=0.0, first=0.0, first_doc=0.0, last=0.0)

    def on_result(res) -> None:
        stats["pages"] += res.n_pages
        stats["docs"] += 1
        stats["doc_seconds"] += res.seconds
        stats["last"] = time.perf_counter()
        if stats["docs"] == 1:
            stats["first"] = stats["last"]
            stats["first_doc"] = res.seconds + sum(res.stage_seconds.get(k, 0.0) for k in ("writing", "report pages"))
        for k, v in res.stage_seconds.items():
            stages[(group(k), k)] += v
        for k, v in res.stage_cpu.items():
            cpu[(group(k), k)] += v

    with PeakRSS() as peak:
        t0 = time.perf_counter()
        corpus = extract.run(folder, out, workers=workers, limits=Limits(seconds=600), on_result=on_result,
                             extras=EXTRAS)
        wall = time.perf_counter() - t0
    for k, v in corpus.seconds.items():
        stages[("writing per document" if k in PER_DOC_OUTPUTS else "corpus outputs", k)] += v
    if stats["docs"]:  # the worker pool's start-up, before the first document's own time
        stages[("start-up", "workers, imports, models")] += max(0.0, stats["first"] - t0 - stats["first_doc"])
    stages[("other", "planning, reading parts")] += max(0.0, wall - sum(stages.values()))
    ok = corpus.documents[corpus.documents.status != "error"]
    return dict(stats, wall=wall, peak_mb=peak.peak / 2**20, stages=dict(stages), cpu=dict(cpu), n_ok=len(ok),
                ok_pages=int(ok.n_pages.sum()), words=_nlp_words(corpus), out=out)


def _nlp_words(corpus) -> int:
    """Words of the sections the mentions stage reads (its default section kinds)."""
    from extract.nlp.pipeline import PROSE_KINDS

    s = corpus.tables["sections"]
    return int(s[s.kind.isin(PROSE_KINDS)].text.fillna("").str.split().str.len().sum())


# columns made distinct in each copy of a document (`corpus_outputs`)
COPIED = {"documents": ("path", "title", "first_author", "doi", "pmid", "pmcid"),
          "references": ("raw", "title", "first_author", "doi", "pmid", "pmcid", "url")}


def corpus_outputs(out: Path, n_docs: int, work: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds (and, apart, CPU seconds of each part: reading the parts, tables, workbook,
    report; the wall figures swing with the machine's load) to rebuild the corpus outputs of `n_docs` documents: the tables of the run in
    OUT repeated under new doc_ids, titles and DOIs (so that no two are merged as one
    article) and first authors (so that no two share a study label: 18 copies of one
    author's year would be labelled 2021a..2021r, and a copy added would shift the letters
    of the others); each copy's references carry their own ids and titles (as though each
    copy cited other works: else a copy added would raise the count of every work every
    other copy cites; works the fuzzy title match still joins across copies stay shared,
    and their counts change on about half the pages, which a page takes as it is written:
    `extract.outputs.report._page_works`), written in WORK as a run writes them
    (`Corpus.seconds`: tables, workbook, report), with what an earlier call kept in WORK
    (each document's workbook rows, report page and the report's plots)."""
    import pandas as pd

    from extract.outputs.report import write_report
    from extract.run.pipeline import collector_paused, finish
    from extract.outputs.excel import RowStore, write_workbook
    from extract.outputs.located import PageStore
    from extract.run.cache import PAGES, PARTS, ROWS
    from extract.run.inputs import Gather

    tables = {k: v for k, v in extract.load(out).tables.items()
              if not k.startswith("graph_") and k not in ("works", "corrections")}
    ids = list(tables["documents"].doc_id.dropna())
    copies = -(-n_docs // max(len(ids), 1))
    keep = {f"{d}~{i}" for i in range(copies) for d in ids}
    keep = set(sorted(keep, key=lambda d: (int(d.split("~")[1]), d))[:n_docs])
    grown = {}
    for name, df in tables.items():
        parts = []
        for i in range(copies):
            d = df.copy()
            if "doc_id" in d:
                d["doc_id"] = d["doc_id"].astype("string") + f"~{i}"
            for col in COPIED.get(name, ()):
                d[col] = d[col].astype("string") + f"~{i}"
            parts.append(d)
        df = pd.concat(parts, ignore_index=True)
        grown[name] = df[df["doc_id"].isin(keep)].reset_index(drop=True) if "doc_id" in df else df
    work.mkdir(parents=True, exist_ok=True)
    parts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))  # as the part files hold them
    for name, df in grown.items():
        if "doc_id" in df:
            for row in df.drop(columns=[c for c in ("study", "row_key") if c in df]).to_dict("records"):
                parts[row["doc_id"]][name].append(row)
    texts = [json.dumps(dict(doc_id=d, records=r), default=str) for d, r in parts.items()]
    del parts
    cpu: dict[str, float] = {}
    with collector_paused():  # as the run makes its corpus outputs (`extract.run.pipeline`)
        t0, cpu0 = time.perf_counter(), time.process_time()
        gather = Gather()
        for text in texts:  # what `Cache.tables` does with the part files, the disk aside
            part = json.loads(text)
            gather.add(part["doc_id"], part["doc_id"], part["records"])
        gather.tables()
        del gather
        read_parts = time.perf_counter() - t0
        cpu["reading parts"] = time.process_time() - cpu0
        c = time.process_time()
        corpus = finish(grown, work)
        cpu["tables"] = time.process_time() - c
        t0, c = time.perf_counter(), time.process_time()
        write_workbook(corpus.tables, work / "casemine.xlsx", RowStore(work / PARTS / ROWS, code_version()))
        corpus.seconds["workbook"] = time.perf_counter() - t0
        cpu["workbook"] = time.process_time() - c
        took: dict[str, float] = {}
        c = time.process_time()
        write_report(corpus, work, page_images=False, store=PageStore(work / PARTS / PAGES, code_version()),
                     seconds=took)
        cpu["report"] = time.process_time() - c
    return dict(corpus.seconds, **{f"report {k}": v for k, v in took.items()}, **{"reading parts": read_parts}), cpu


def _link(folder: Path, pdfs: list[tuple[int, Path]]) -> None:
    for i, p in pdfs:  # links keep --limit cheap and names unique
        (folder / f"{i:05d}_{p.parent.name}_{p.name}").symlink_to(p.resolve())


def worker_counts(cores: int, most: int) -> list[int]:
    """1, 2, 4, ... up to `most` (at most the cores), and `most` itself."""
    top = max(1, min(cores, most))
    out, n = [], 1
    while n < top:
        out.append(n)
        n *= 2
    return out + [top]


def bench(name: str, pdfs: list[Path], counts: list[int], add: int) -> dict:
    numbered = list(enumerate(pdfs))
    add = min(add, max(len(pdfs) - 1, 0))
    with tempfile.TemporaryDirectory(prefix="casemine-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        _link(folder, numbered)
        plumber_s, plumber_pages = plumber_seconds(pdfs)
        runs = {n: casemine_run(folder, Path(tmp) / f"w{n}", n) for n in counts}
        rerun = casemine_run(folder, Path(tmp) / f"w{counts[-1]}", counts[-1])
        grow = Path(tmp) / "grow"
        grow.mkdir()
        _link(grow, numbered[: len(pdfs) - add])
        casemine_run(grow, Path(tmp) / "inc", counts[-1])  # the documents processed before
        _link(grow, numbered[len(pdfs) - add:])
        added = casemine_run(grow, Path(tmp) / "inc", 1)
        timed = {n: corpus_outputs(runs[1]["out"], n, Path(tmp) / "at") for n in (100, 105)} if add else {}
    one = runs[1]
    return dict(name=name, runs=runs, one=one, rerun=rerun, added=added, add=add, n=len(pdfs),
                at={n: t[0] for n, t in timed.items()}, at_cpu={n: sum(t[1].values()) for n, t in timed.items()},
                at_cpu_parts={n: t[1] for n, t in timed.items()},
                plumber_per_page=plumber_s / max(plumber_pages, 1), plumber_pages=plumber_pages,
                casemine_per_page=one["doc_seconds"] / max(one["pages"], 1))


def split(r: dict) -> tuple[float, float, float, float]:
    """A run's wall time as (start-up, each document's processing and writing, its report
    pages, the corpus outputs and the rest: planning, reading the parts)."""
    st = r["stages"]
    start = sum(v for (g, _), v in st.items() if g == "start-up")
    pages = st.get(("writing per document", "report documents"), 0.0)
    corpus = sum(v for (g, _), v in st.items() if g in ("corpus outputs", "other"))
    return start, r["wall"] - start - pages - corpus, pages, corpus


def projected_add_share(res: dict, base: int = 100, add: int = 5) -> float | None:
    """`add` PDFs added to `base` processed ones, against the first run over `base`: start-up
    and the rest (planning, pool shutdown) as each run measured them; per document, its
    processing and writing and its report page as the first run measured them; the
    corpus outputs and the reading of the parts as timed on `base` and `base + add`
    documents (`corpus_outputs`), the added run re-rendering every report page."""
    if not res["at"]:
        return None
    n = res["n"]
    up1, docs1, pages1, _ = split(res["one"])
    up2 = split(res["added"])[0]
    rest1, rest2 = (r["stages"].get(("other", "planning, reading parts"), 0.0) for r in (res["one"], res["added"]))
    at1, at2 = res["at"][base], res["at"][base + add]
    corpus1 = sum(v for k, v in at1.items() if k != "report documents")  # pages: counted per document
    first = up1 + rest1 + (docs1 + pages1) / n * base + corpus1
    again = up2 + rest2 + (docs1 + pages1) / n * add + sum(at2.values())
    return again / first


def projected_add_cpu(res: dict, startup_cpu: float, base: int = 100, add: int = 5) -> float | None:
    """`projected_add_share` in CPU seconds, which the machine's other jobs hardly move (its
    wall seconds swing 2-5x with them): a worker's start-up as a fresh interpreter takes it
    (`startup`), each document's CPU seconds in its worker and in this process (stages,
    report pages, writing) as the first run measured them, and the corpus outputs' CPU
    seconds (`corpus_outputs`, document pages included) on `base` and `base + add`."""
    if not res["at_cpu"]:
        return None
    per_doc = sum(res["one"]["cpu"].values()) / max(res["n"], 1)
    first = startup_cpu + per_doc * base + res["at_cpu"][base]
    again = startup_cpu + per_doc * add + res["at_cpu"][base + add]
    return again / first


def main() -> None:
    ap = arg_parser(__doc__.splitlines()[0])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    ap.add_argument("--workers", type=int, default=cores, help="the most workers to scale to")
    ap.add_argument("--add", type=int, default=5, help="PDFs added to the others in the incremental run")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the sample corpus folder")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # plots of odd titles
    # one code state for the whole benchmark: others' edits mid-run must not void the cache
    os.environ.setdefault(VERSION_ENV, code_version())
    load = os.getloadavg()[0]  # others' load, before ours starts
    shared = sorted((args.data / "pdf_jats").glob("*/fulltext.pdf"))
    shared = shared[: args.limit] if args.limit else shared
    sets = [("shared pdf_jats", shared), ("sample corpus", sorted(args.corpus.glob("*.pdf")))]
    counts = worker_counts(cores, args.workers)
    startup_s = startup()
    results = [bench(name, pdfs, counts, args.add) for name, pdfs in sets if pdfs]
    if not results:
        sys.exit(f"no PDFs under {args.data / 'pdf_jats'} or {args.corpus}")
    print(f"machine: {cores} cores seen, load average {load:.1f} before this run's own work; worker counts "
          f"{counts}; the cores are shared with other jobs, so the many-worker figures and the scaling "
          f"say what this machine gave us now, not what free cores would")
    print(f"start-up (fresh interpreter): import extract {startup_s['import_s']:.2f} s, a worker's stages and "
          f"models {startup_s['models_s']:.2f} s ({startup_s['cpu_s']:.2f} CPU-s in all), "
          f"{startup_s['rss_mb']:.0f} MB resident after")
    rows = []
    for res in results:
        for n, r in res["runs"].items():
            rows.append(dict(set=res["name"], workers=n, docs=r["docs"], pages=r["pages"], wall_s=r["wall"],
                             pages_per_s=r["pages"] / r["wall"], scaling=res["one"]["wall"] / r["wall"] / n,
                             peak_mb_per_worker=r["peak_mb"]))
        r = res["rerun"]
        rows.append(dict(set=res["name"], workers=f"{counts[-1]} (re-run)", docs=res["n"], pages=res["one"]["pages"],
                         wall_s=r["wall"], pages_per_s=None, scaling=None, peak_mb_per_worker=None))
    print_table(rows, ["set", "workers", "docs", "pages", "wall_s", "pages_per_s", "scaling", "peak_mb_per_worker"],
                "throughput (wall time, worker start-up, workbook and report included; scaling = 1-worker "
                "wall / N-worker wall / N)")
    stage_rows = []
    for res in results:
        st, pages = res["one"]["stages"], max(res["one"]["pages"], 1)
        total = sum(st.values()) or 1
        groups: dict[str, float] = defaultdict(float)
        for (g, _), v in st.items():
            groups[g] += v
        for (g, k), v in sorted(st.items(), key=lambda kv: (-groups[kv[0][0]], -kv[1])):
            stage_rows.append(dict(set=res["name"], group=g, group_share=f"{100 * groups[g] / total:.0f}%", stage=k,
                                   seconds=v, cpu_s=res["one"]["cpu"].get((g, k)), ms_per_page=1000 * v / pages,
                                   share=f"{100 * v / total:.0f}%"))
    print_table(stage_rows, ["set", "group", "group_share", "stage", "seconds", "cpu_s", "ms_per_page", "share"],
                "time by stage, 1 worker (writing per document: part file, text, report page with its boxes "
                "and page images; corpus outputs: rebuilt from the parts each run)")
    add_rows = []
    for res in results:
        a = res["added"]
        up, docs, pages, corpus = split(a)
        add_rows.append(dict(set=res["name"], before=res["n"] - res["add"], added=res["add"], wall_s=a["wall"],
                             start_up_s=up, new_docs_s=docs, report_pages_s=pages, corpus_outputs_s=corpus,
                             first_run_s=res["one"]["wall"],
                             add_share=a["wall"] / res["one"]["wall"], projected_5_to_100=projected_add_share(res),
                             projected_cpu=projected_add_cpu(res, startup_s["cpu_s"])))
    print_table(add_rows, ["set", "before", "added", "wall_s", "start_up_s", "new_docs_s", "report_pages_s",
                           "corpus_outputs_s", "first_run_s",
                           "add_share", "projected_5_to_100", "projected_cpu"],
                "adding PDFs to a processed folder, 1 worker (add_share = that run's wall / a fresh run over all; "
                "projected_cpu: the same projection in CPU seconds, steadier on a loaded machine; "
                "target: 5 added to 100 <= 0.10)")
    print_table([dict(set=res["name"], documents=n, **{k: v for k, v in at.items()}, total=sum(at.values()),
                      **{f"{k} cpu": v for k, v in res["at_cpu_parts"][n].items()}, total_cpu=res["at_cpu"][n])
                 for res in results for n, at in res["at"].items()],
                ["set", "documents", "reading parts", "tables", "workbook", "report documents", "report plots",
                 "report corpus", "total", "reading parts cpu", "tables cpu", "workbook cpu", "report cpu", "total_cpu"],
                "corpus outputs rebuilt on the set's documents repeated, 105 in the folder of 100 (seconds; "
                "'... cpu': CPU seconds of each part; report pages without images)")
    ratio_rows = []
    for res in results:
        one = res["one"]
        nlp = sum(v for (g, _), v in one["cpu"].items() if g == "NLP")
        ratio_rows.append(dict(set=res["name"], casemine_ms_per_page=1000 * res["casemine_per_page"],
                               pdfplumber_ms_per_page=1000 * res["plumber_per_page"],
                               ratio=res["casemine_per_page"] / res["plumber_per_page"],
                               nlp_words_per_s=one["words"] / nlp if nlp else None,
                               peak_mb_per_worker=max(r["peak_mb"] for r in res["runs"].values()),
                               scaling=one["wall"] / res["runs"][counts[-1]]["wall"] / counts[-1],
                               rerun_share=res["rerun"]["wall"] / res["runs"][counts[-1]]["wall"],
                               add_share=res["added"]["wall"] / one["wall"], projected=projected_add_share(res),
                               projected_cpu=projected_add_cpu(res, startup_s["cpu_s"])))
    print_table(ratio_rows, ["set", "casemine_ms_per_page", "pdfplumber_ms_per_page", "ratio", "nlp_words_per_s",
                             "peak_mb_per_worker", "scaling", "rerun_share"],
                "targets (issue 18): ratio <= 1.0, NLP >= 20,000 words/CPU-s, peak <= 1024 MB, scaling >= 0.8, rerun_share <= 0.05")
    print("summary: " + "; ".join(
        f"{r['set']}: {r['ratio']:.2f}x pdfplumber/page, NLP {r['nlp_words_per_s'] or 0:,.0f} words/CPU-s, "
        f"peak {r['peak_mb_per_worker']:.0f} MB/worker, scaling {r['scaling']:.2f} on {counts[-1]}, "
        f"re-run {100 * r['rerun_share']:.1f}%, add {res_add(r)}" for r in ratio_rows)
        + f"; start-up {startup_s['import_s'] + startup_s['models_s']:.1f} s")


def res_add(r: dict) -> str:
    proj = (f", projected 5 to 100: {100 * r['projected']:.1f}% (CPU: {100 * r['projected_cpu']:.1f}%)"
            if r["projected"] is not None else "")
    return f"{100 * r['add_share']:.1f}% of a fresh run{proj}"


if __name__ == "__main__":
    main()
