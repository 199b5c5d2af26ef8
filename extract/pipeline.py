"""The run: a folder of PDFs -> tables, one independent job per document.

`process_document` is the per-document function (what workers and Dask map over); the
stages after ingestion are looked up by name in `STAGES`, so a stage that fails marks
its document `partial` and records an error row while the others' rows are kept.
"""
from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from .chars import DEFAULT_SOURCE
from .document import Document
from .registry import STAGES, Records, RunConfig, stage
from .ingest import IngestError, doc_id_for, file_sha256, read_pdf
from .tables import SCHEMAS, frame
from .writers import read_tables, write_tables, write_text

log = logging.getLogger(__name__)

# modules whose `@stage` functions a run can name in RunConfig.stages
STAGE_MODULES = ("extract.citations", "extract.timings", "extract.nlp", "extract.evidence")


def _load_stages() -> None:
    import importlib
    for mod in STAGE_MODULES:
        importlib.import_module(mod)

@dataclass
class DocResult:
    path: str
    doc_id: str | None
    records: Records = field(default_factory=dict)
    text: str | None = None
    n_pages: int = 0
    seconds: float = 0.0
    failed: bool = False
    stage_seconds: dict[str, float] = field(default_factory=dict)  # "layout" (read_pdf), then each stage


@dataclass
class Corpus:
    """The tables of a run, as pandas DataFrames: `corpus.documents`, `corpus["sections"]`."""

    tables: dict[str, pd.DataFrame]
    out_dir: Path | None = None
    unchanged: bool = False  # a re-run found nothing new: the outputs were read back, not rewritten

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


@stage("structure")
def structure_records(doc: Document, cfg: RunConfig) -> Records:
    md = doc.metadata
    return {
        "sections": [dict(doc_id=doc.doc_id, section_id=s.section_id, heading=s.heading, kind=s.kind,
                          level=s.level, page=s.page, char_start=s.char_start, char_end=s.char_end,
                          text=s.text) for s in doc.sections],
        "markers": [dict(doc_id=doc.doc_id, kind=m.kind, text=m.text, page=m.page,
                         char_start=m.char_start, char_end=m.char_end) for m in doc.markers],
        "documents": [dict(
            doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, n_pages=doc.n_pages, title=md.title,
            authors=md.authors, first_author=md.first_author, year=md.year, journal=md.journal,
            volume=md.volume, issue=md.issue, pages=md.pages, doi=md.doi, pmid=md.pmid, pmcid=md.pmcid,
            article_type=md.article_type, keywords=md.keywords, affiliations=md.affiliations,
            status="ok", n_chars=len(doc.text))],
    }


def process_document(path: str | Path, cfg: RunConfig | None = None) -> DocResult:
    """Everything for one PDF; never raises (failures become `errors` rows)."""
    cfg = cfg or RunConfig()
    path = str(path)
    t0 = time.perf_counter()
    try:
        doc_id = doc_id_for(file_sha256(path))
    except OSError as e:
        return _failed(path, None, "read", "unreadable", str(e), t0)
    try:
        doc = read_pdf(path, max_pages=cfg.max_pages, chars=cfg.options.get("chars", DEFAULT_SOURCE))
    except IngestError as e:
        return _failed(path, doc_id, e.stage, e.error_type, str(e), t0)
    except Exception as e:  # anything a hostile PDF provokes in the parser
        log.debug("ingest failed for %s", path, exc_info=True)
        return _failed(path, doc_id, "ingest", e.__class__.__name__, str(e) or repr(e), t0)
    res = DocResult(path, doc.doc_id, {}, doc.text, doc.n_pages)
    res.stage_seconds["layout"] = time.perf_counter() - t0
    _load_stages()
    errors = []
    for name in cfg.stages:
        t_stage = time.perf_counter()
        try:
            for table, rows in STAGES[name](doc, cfg).items():
                res.records.setdefault(table, []).extend(rows)
        except Exception as e:
            log.debug("stage %s failed for %s", name, path, exc_info=True)
            errors.append(dict(path=path, doc_id=doc.doc_id, stage=name, error_type=e.__class__.__name__,
                               message=f"{e} ({traceback.extract_tb(e.__traceback__)[-1].name})"))
        res.stage_seconds[name] = time.perf_counter() - t_stage
    if errors:
        res.records["errors"] = errors
        for d in res.records.get("documents", []):
            d["status"] = "partial"
    res.seconds = time.perf_counter() - t0
    return res


def _failed(path, doc_id, stage_, error_type, message, t0) -> DocResult:
    return DocResult(path, doc_id, {
        "errors": [dict(path=path, doc_id=doc_id, stage=stage_, error_type=error_type, message=message)],
        "documents": [dict(doc_id=doc_id, path=path, sha256=None, status="error")],
    }, seconds=time.perf_counter() - t0, failed=True)


def find_pdfs(path: str | Path) -> list[Path]:
    """PDF files under `path` (a file or a folder, searched recursively), sorted."""
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise FileNotFoundError(f"no such file or folder: {p}")
    return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".pdf")


def iter_results(paths: Iterable[Path], cfg: RunConfig, *, workers: int = 1, scheduler=None,
                 limits=None) -> Iterator[DocResult]:
    """DocResults in the order of `paths`, however the workers finish (see runner.map_documents)."""
    from .runner import map_documents

    paths = [str(p) for p in paths]
    waiting: dict[str, DocResult] = {}
    i = 0
    for res in map_documents(paths, cfg, workers=workers, scheduler=scheduler, limits=limits):
        waiting[res.path] = res
        while i < len(paths) and paths[i] in waiting:
            yield waiting.pop(paths[i])
            i += 1


def collect(results: Iterable[DocResult], out_dir: Path | None, cfg: RunConfig,
            on_result: Callable[[DocResult], None] | None = None) -> dict[str, pd.DataFrame]:
    records: dict[str, list] = {name: [] for name in SCHEMAS}
    for res in results:
        for table, rows in res.records.items():
            records.setdefault(table, []).extend(rows)
        if out_dir is not None and cfg.write_text and res.text is not None and res.doc_id:
            write_text(out_dir, res.doc_id, res.text)
        if on_result:
            on_result(res)
    return {name: frame(name, rows) for name, rows in records.items() if name in SCHEMAS}


def run(path: str | Path, out_dir: str | Path | None = "outputs", *, cfg: RunConfig | None = None,
        on_result: Callable[[DocResult], None] | None = None, workers: int = 1, scheduler=None,
        limits=None, on_plan: Callable | None = None) -> Corpus:
    """Process every PDF under `path`; write the tables to `out_dir` (None: keep in memory).

    With an output folder the run is incremental and resumable (`extract.cache`): only new
    or changed PDFs are processed, each saved as it finishes. Paths are made absolute so a
    Dask worker or a later run from another folder names the same files. `workers`,
    `scheduler` and `limits` (`extract.guards.Limits`): see `extract.runner.map_documents`.
    """
    cfg = cfg or RunConfig()
    pdfs = find_pdfs(Path(path).absolute())
    how = dict(workers=workers, scheduler=scheduler, limits=limits)
    if out_dir is None:
        return finish(collect(iter_results(pdfs, cfg, **how), None, cfg, on_result), None)
    return _run_cached(pdfs, Path(out_dir), cfg, how, on_result, on_plan)


def _run_cached(pdfs: list[Path], out: Path, cfg: RunConfig, how: dict,
                on_result: Callable[[DocResult], None] | None, on_plan: Callable | None) -> Corpus:
    from .cache import Cache
    from .runner import map_documents

    t0 = time.perf_counter()
    with Cache(out, cfg) as cache:
        plan = cache.plan(pdfs)
        if on_plan:
            on_plan(plan)
        for res in map_documents(plan.todo, cfg, **how):
            t = time.perf_counter()
            cache.store(plan.keys[res.path], res)
            res.stage_seconds["writing"] = time.perf_counter() - t
            if on_result:
                on_result(res)
        corpus = Corpus(read_tables(out), out, unchanged=True) if plan.unchanged \
            else finish(cache.tables(plan), out)
        cache.finish(plan, set(corpus.documents.doc_id.dropna()), time.perf_counter() - t0)
    return corpus


def finish(tables: dict[str, pd.DataFrame], out: Path | None) -> Corpus:
    """The corpus-level step (works, citation graph) and the writing of every table."""
    from .corpus_graph import add_works, write_graph

    tables = add_works(tables)
    if out is not None:
        tables.update(write_graph(tables, out))
        write_tables(tables, out)
    return Corpus(tables, out)


def load(out_dir: str | Path) -> Corpus:
    """The tables of an earlier run, read back from its output folder."""
    out = Path(out_dir)
    if not out.is_dir():
        raise FileNotFoundError(f"no output folder at {out}")
    return Corpus(read_tables(out), out)
