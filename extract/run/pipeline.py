"""The run: a folder of PDFs -> tables, one independent job per document
(`extract.run.process`), mapped by `extract.run.workers`, kept by `extract.run.cache`."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from extract.outputs.corrections import apply_corrections, previous_corrections
from extract.outputs.tablefiles import TableLog, write_tables
from extract.outputs.tables import derive
from extract.outputs.writers import read_tables, replace_folder, write_text
from extract.run.inputs import PARTS, Gather, scan_inputs
from extract.run.process import DocResult
from extract.run.same_article import merge_same_articles
from extract.stages import RunConfig

TABLES = "tables"  # OUT/.parts/tables/: what the last write of the tables left (`extract.outputs.tablefiles`)
EXTRAS = ("excel", "report")  # outputs besides the tables a run can write (`write_extras`)


@dataclass
class Corpus:
    """The tables of a run, as pandas DataFrames: `corpus.documents`, `corpus["sections"]`."""

    tables: dict[str, pd.DataFrame]
    out_dir: Path | None = None
    unchanged: bool = False  # a re-run found nothing new: the outputs were read back, not rewritten
    warnings: list[str] = field(default_factory=list)  # corrections whose row no longer exists, ...
    # seconds spent writing the corpus-level outputs: "tables" (works, graph, tables, DuckDB),
    # "workbook", "report documents" (pages per document), "report plots", "report corpus" (index, evidence)
    seconds: dict[str, float] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def text(self, doc_id: str) -> str:
        """The reading-order text of a document (offsets in every table point into it)."""
        if self.out_dir is None:
            raise ValueError("texts are kept only for runs written to an output folder")
        return (self.out_dir / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")


def find_pdfs(path: str | Path) -> list[Path]:
    """Input files under `path` (a file or a folder, searched recursively), sorted: PDFs,
    JATS/TEI XML and plain text, never inside a run's output folder
    (`extract.run.inputs.scan_inputs` also says which paths it passed over)."""
    return scan_inputs(path).pdfs


def iter_results(paths: Iterable[Path], cfg: RunConfig, *, workers: int = 1, scheduler=None,
                 limits=None) -> Iterator[DocResult]:
    """DocResults in the order of `paths`, however the workers finish (see runner.map_documents)."""
    from extract.run.workers import map_documents

    paths = [str(p) for p in paths]
    waiting: dict[str, DocResult] = {}
    i = 0
    for res in map_documents(paths, cfg, workers=workers, scheduler=scheduler, limits=limits):
        waiting[res.path] = res
        while i < len(paths) and paths[i] in waiting:
            yield waiting.pop(paths[i])
            i += 1


def collect(results: Iterable[DocResult], out_dir: Path | None, cfg: RunConfig,
            on_result: Callable[[DocResult], None] | None = None, skipped: Iterable[dict] = ()
            ) -> dict[str, pd.DataFrame]:
    """Results in path order -> tables (one document per content hash; `skipped`: error rows
    of inputs passed over)."""
    gather = Gather()
    for res in results:
        gather.add(res.path, res.doc_id, res.records)
        if out_dir is not None and cfg.write_text and res.text is not None and res.doc_id:
            write_text(out_dir, res.doc_id, res.text)
        if on_result:
            on_result(res)
    return gather.tables(skipped)


def run(path: str | Path, out_dir: str | Path | None = "outputs", *, cfg: RunConfig | None = None,
        on_result: Callable[[DocResult], None] | None = None, workers: int = 1, scheduler=None,
        limits=None, on_plan: Callable | None = None, extras: tuple[str, ...] = (),
        on_output: Callable[[Path], None] | None = None) -> Corpus:
    """Process every input (PDF, JATS/TEI XML, text) under `path`; write the tables to `out_dir` (None: keep in memory).

    With an output folder the run is incremental and resumable (`extract.run.cache`): only new
    or changed PDFs are processed, each saved as it finishes. Paths are made absolute and
    resolved so a Dask worker or a later run from another folder names the same files; the
    output folder is never input (`extract.run.inputs`). `workers`, `scheduler` and `limits`
    (`extract.run.guards.Limits`): see `extract.run.workers.map_documents`. `extras`: outputs
    besides the tables (`EXTRAS`), written under the same lock, each replaced whole
    (`on_output`: see `write_extras`).
    """
    cfg = cfg or RunConfig()
    inputs = scan_inputs(path, exclude=out_dir)
    how = dict(workers=workers, scheduler=scheduler, limits=limits)
    if out_dir is None:
        return finish(collect(iter_results(inputs.pdfs, cfg, **how), None, cfg, on_result,
                              inputs.error_rows()), None, cfg.corrections, cfg)
    return _run_cached(inputs, Path(out_dir), cfg, how, on_result, on_plan, extras, on_output)


def _run_cached(inputs, out: Path, cfg: RunConfig, how: dict,
                on_result: Callable[[DocResult], None] | None, on_plan: Callable | None,
                extras: tuple[str, ...], on_output: Callable[[Path], None] | None) -> Corpus:
    from extract.run.cache import PAGES, PARTS, Cache
    from extract.run.process import PagesTo
    from extract.run.workers import map_documents

    t0 = time.perf_counter()
    with Cache(out, cfg, how["limits"], extras) as cache:
        plan = cache.plan(inputs)
        if on_plan:
            on_plan(plan)
        # the workers keep what the report needs of each PDF while they hold it in memory
        pages = PagesTo(str(out / PARTS / PAGES), cache.version) if "report" in extras else None
        for res in map_documents(plan.todo, cfg, **how, pages=pages):
            t, c = time.perf_counter(), time.process_time()
            cache.store(plan.keys[res.path], res)
            res.stage_seconds["writing"] = time.perf_counter() - t
            res.stage_cpu["writing"] = time.process_time() - c
            if on_result:
                on_result(res)
        carried = cfg.corrections or previous_corrections(out)
        if plan.unchanged and carried is None:
            corpus = Corpus(read_tables(out), out, unchanged=True)
        else:
            with collector_paused():
                corpus = finish(cache.tables(plan), out, carried, cfg)
                write_extras(corpus, out, extras, on_output)
        cache.finish(plan, set(corpus.documents.doc_id.dropna()), time.perf_counter() - t0)
    return corpus


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while the corpus outputs are made from the
    parts: they allocate a few million containers (records, frames, graphs, figures) and
    leave few cycles, and every full collection walked all of them again (0.4-0.7 of ~5
    CPU-seconds at 105 reports; 10-30 MB more at the peak). The cycles they leave are
    collected when it is back on."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def finish(tables: dict[str, pd.DataFrame], out: Path | None, corrections=None,
           cfg: RunConfig | None = None) -> Corpus:
    """The reviewer's corrections (a file, a frame, or None: those `tables` already carry),
    the corpus-level step (works, citation graph) and the writing of every table (in the
    formats of `cfg`)."""
    from extract.citations.corpus import add_works, write_graph

    t0 = time.perf_counter()
    applied = apply_corrections(merge_same_articles(tables), corrections)
    tables = derive(add_works(applied.tables))
    if out is not None:
        tables.update(replace_folder(out, "graph", lambda staging: write_graph(tables, staging)))
        cfg = cfg or RunConfig()
        write_tables(tables, out, cfg.formats, cfg.csv_bom, TableLog(out / PARTS / TABLES))
    return Corpus(tables, out, warnings=applied.warnings, seconds={"tables": time.perf_counter() - t0})


def write_extras(corpus: Corpus, out: Path, extras: Iterable[str],
                 on_output: Callable[[Path], None] | None = None) -> None:
    """The workbook (OUT/casemine.xlsx) and the review report (OUT/report/), each replaced
    whole; `on_output(path)` is told before each is written (the CLI shows it). The workbook
    re-serializes only the rows that changed since the last (`extract.outputs.excel.RowStore`); the report
    uses the boxes and page images kept for each document (`extract.outputs.located`) by
    the worker that read it or by an earlier report of the same pipeline version: a PDF is
    read again only when nothing was kept for it."""
    from extract.run.cache import REPORT, WORKBOOK, page_store, row_store

    if "excel" in extras:
        from extract.outputs.excel import write_workbook
        if on_output:
            on_output(out / WORKBOOK)
        t0 = time.perf_counter()
        write_workbook(corpus.tables, out / WORKBOOK, row_store(out))
        corpus.seconds["workbook"] = time.perf_counter() - t0
    if "report" in extras:
        from extract.outputs.report import write_report
        if on_output:
            on_output(out / REPORT)
        store, took = page_store(out), {}
        replace_folder(out, REPORT, lambda staging: write_report(corpus, staging, store=store, seconds=took))
        store.keep_only(set(corpus.documents.doc_id.dropna()) if "documents" in corpus.tables else set())
        corpus.seconds.update({f"report {k}": v for k, v in took.items()})


def load(out_dir: str | Path, corrections=None) -> Corpus:
    """The tables of an earlier run, read back from its output folder; with `corrections`
    (a file or a frame) those replace the run's own, in memory (OUT is not rewritten)."""
    out = Path(out_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"no output folder at {out}")
    if corrections is None:
        return Corpus(read_tables(out), out)
    applied = apply_corrections(read_tables(out), corrections)
    return Corpus(derive(applied.tables), out, warnings=applied.warnings)
