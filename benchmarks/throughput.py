"""Throughput of the whole run on the shared PDFs and the sample corpus.

For each set: pages/s and documents/s with 1 worker and with all workers, peak resident
memory per worker, the time split by stage (layout = reading characters, layout and
structure; the extractor stages; writing = part files and final tables), casemine's
per-page time against pdfplumber's plain `extract_text` on one core, the scaling
efficiency from 1 to N workers, and a re-run of the unchanged folder against the first run.
Every run is a fresh output folder and a fresh worker pool (start-up included). Timings
on a shared machine are noisy: run twice before believing a difference under ~15%.

    python benchmarks/throughput.py [--data PATH] [--limit N] [--workers N]
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
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


def group(stage: str) -> str:
    return stage if stage in ("layout", "writing") else "NLP" if stage in NLP_STAGES else "extractors"


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


def casemine_run(folder: Path, out: Path, workers: int) -> dict:
    stages: dict[tuple[str, str], float] = defaultdict(float)  # (group, stage) -> seconds
    stats = dict(pages=0, docs=0, doc_seconds=0.0, last=0.0)

    def on_result(res) -> None:
        stats["pages"] += res.n_pages
        stats["docs"] += 1
        stats["doc_seconds"] += res.seconds
        stats["last"] = time.perf_counter()
        for k, v in res.stage_seconds.items():
            stages[(group(k), k)] += v

    with PeakRSS() as peak:
        t0 = time.perf_counter()
        corpus = extract.run(folder, out, workers=workers, limits=Limits(seconds=600), on_result=on_result)
        wall = time.perf_counter() - t0
    stages[("writing", "final tables")] += wall - (stats["last"] - t0) if stats["last"] else wall
    ok = corpus.documents[corpus.documents.status != "error"]
    return dict(stats, wall=wall, peak_mb=peak.peak / 2**20, stages=dict(stages), n_ok=len(ok),
                ok_pages=int(ok.n_pages.sum()))


def bench(name: str, pdfs: list[Path], workers: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="casemine-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, p in enumerate(pdfs):  # links keep --limit cheap and names unique
            (folder / f"{i:05d}_{p.parent.name}_{p.name}").symlink_to(p.resolve())
        plumber_s, plumber_pages = plumber_seconds(pdfs)
        one = casemine_run(folder, Path(tmp) / "one", 1)
        many = casemine_run(folder, Path(tmp) / "many", workers)
        rerun = casemine_run(folder, Path(tmp) / "many", workers)
    pages = one["pages"]
    rows = [dict(set=name, workers=w, docs=r["docs"], pages=pages, wall_s=r["wall"],
                 pages_per_s=pages / r["wall"], docs_per_s=r["docs"] / r["wall"], peak_mb_per_worker=r["peak_mb"])
            for w, r in ((1, one), (workers, many))]
    rows.append(dict(set=name, workers=f"{workers} (re-run)", docs=len(pdfs), pages=pages, wall_s=rerun["wall"],
                     pages_per_s=pages / rerun["wall"], docs_per_s=len(pdfs) / rerun["wall"],
                     peak_mb_per_worker=None))  # nothing to process: no worker starts
    return dict(name=name, rows=rows, one=one, many=many, rerun=rerun, workers=workers,
                plumber_per_page=plumber_s / max(plumber_pages, 1), plumber_pages=plumber_pages,
                casemine_per_page=one["doc_seconds"] / max(pages, 1))


def main() -> None:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="the 'all workers' run")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the sample corpus folder")
    args = ap.parse_args()
    # one code state for the whole benchmark: others' edits mid-run must not void the cache
    os.environ.setdefault(VERSION_ENV, code_version())
    cores, load = os.cpu_count() or 1, os.getloadavg()[0]  # others' load, before ours starts
    shared = sorted((args.data / "pdf_jats").glob("*/fulltext.pdf"))
    shared = shared[: args.limit] if args.limit else shared
    sets = [("shared pdf_jats", shared), ("sample corpus", sorted(args.corpus.glob("*.pdf")))]
    results = [bench(name, pdfs, args.workers) for name, pdfs in sets if pdfs]
    if not results:
        sys.exit(f"no PDFs under {args.data / 'pdf_jats'} or {args.corpus}")
    print(f"machine: {cores} cores, load average {load:.1f} before this run's own work; the "
          f"cores are shared with other jobs, so the {args.workers}-worker figures and the scaling "
          f"efficiency say what this machine gave us now, not what {args.workers} free cores would")
    print_table([r for res in results for r in res["rows"]],
                ["set", "workers", "docs", "pages", "wall_s", "pages_per_s", "docs_per_s", "peak_mb_per_worker"],
                "throughput (wall time, worker start-up included)")
    stage_rows = []
    for res in results:
        st, pages = res["one"]["stages"], max(res["one"]["pages"], 1)
        total = sum(st.values()) or 1
        groups: dict[str, float] = defaultdict(float)
        for (g, _), v in st.items():
            groups[g] += v
        for (g, k), v in sorted(st.items(), key=lambda kv: (-groups[kv[0][0]], -kv[1])):
            stage_rows.append(dict(set=res["name"], group=g, group_share=f"{100 * groups[g] / total:.0f}%", stage=k,
                                   seconds=v, ms_per_page=1000 * v / pages, share=f"{100 * v / total:.0f}%"))
    print_table(stage_rows, ["set", "group", "group_share", "stage", "seconds", "ms_per_page", "share"],
                "time by stage, 1 worker (layout = characters, lines, blocks, structure, metadata; "
                "the first document's model loading falls in its stage)")
    ratio_rows = []
    for res in results:
        eff = res["one"]["wall"] / res["many"]["wall"] / res["workers"]
        ratio_rows.append(dict(set=res["name"], casemine_ms_per_page=1000 * res["casemine_per_page"],
                               pdfplumber_ms_per_page=1000 * res["plumber_per_page"],
                               ratio=res["casemine_per_page"] / res["plumber_per_page"],
                               scaling_eff=eff, rerun_share=res["rerun"]["wall"] / res["many"]["wall"]))
    print_table(ratio_rows, ["set", "casemine_ms_per_page", "pdfplumber_ms_per_page", "ratio", "scaling_eff",
                             "rerun_share"], "targets: ratio <= 2.0, scaling_eff >= 0.8, rerun_share <= 0.05")
    print(f"(scaling_eff = 1-worker wall / {args.workers}-worker wall / {args.workers}, start-up included, "
          f"on {cores} shared cores)")
    print("summary: " + "; ".join(
        f"{r['set']}: {r['ratio']:.2f}x pdfplumber/page, scaling {r['scaling_eff']:.2f}, "
        f"re-run {100 * r['rerun_share']:.1f}% of first run" for r in ratio_rows))


if __name__ == "__main__":
    main()
