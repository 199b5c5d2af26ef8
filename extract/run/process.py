"""One document's processing: a PDF -> a `DocResult` (records of every stage, or error rows).

`process_document` is the function workers and Dask map over; the stages after ingestion
are looked up by name in `STAGES`, so a stage that fails marks its document `partial` and
records an error row while the others' rows are kept.
"""
from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from extract.pdf.chars import DEFAULT_SOURCE
from extract.pdf.ingest import IngestError, doc_id_for, file_sha256, read_pdf
from extract.document import Document
from extract.markup.articles import read_article
from extract.markup.builder import MarkupError
from extract.markup.text import read_text
from extract.stages import STAGES, Records, RunConfig

log = logging.getLogger(__name__)

# modules whose `@stage` functions a run can name in RunConfig.stages
STAGE_MODULES = ("extract.pdf.ingest", "extract.citations.links", "extract.timings.expressions", "extract.nlp.pipeline", "extract.evidence.facts")


INPUT_SUFFIXES = (".pdf", ".xml", ".nxml", ".txt")  # what a run reads from a folder
MARKUP_SUFFIXES = (".xml", ".nxml")


def load_stages() -> None:
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
    stage_cpu: dict[str, float] = field(default_factory=dict)  # the same in CPU seconds of this process


@dataclass(frozen=True)
class PagesTo:
    """Where a worker keeps the report's boxes and page images of each PDF it reads
    (`extract.outputs.located.PageStore`: a folder, the pipeline version), so the report
    does not read the PDF a second time."""

    folder: str
    version: str


def process_document(path: str | Path, cfg: RunConfig | None = None, pages: PagesTo | None = None) -> DocResult:
    """Everything for one input file (PDF, JATS/TEI XML or text); never raises (failures
    become `errors` rows). `pages`: keep what the report needs of the PDF too."""
    cfg = cfg or RunConfig()
    path = str(path)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        doc_id = doc_id_for(file_sha256(path))
    except OSError as e:
        return failed_result(path, None, "read", "unreadable", str(e), t0)
    try:
        doc = read_input(path, doc_id, cfg)
    except MarkupError as e:
        return failed_result(path, doc_id, "ingest", "not_article", str(e), t0)
    except UnicodeDecodeError as e:
        return failed_result(path, doc_id, "ingest", "not_text", f"not UTF-8 text: {e.reason}", t0)
    except IngestError as e:
        return failed_result(path, doc_id, e.stage, e.error_type, str(e), t0)
    except Exception as e:  # anything a hostile PDF provokes in the parser
        log.debug("ingest failed for %s", path, exc_info=True)
        return failed_result(path, doc_id, "ingest", e.__class__.__name__, str(e) or repr(e), t0)
    res = run_stages(doc, cfg, t0, c0)
    if pages is not None:
        keep_pages(doc, res, cfg, pages)
    return res


def keep_pages(doc: Document, res: DocResult, cfg: RunConfig, pages: PagesTo) -> None:
    """The boxes of the spans the report will draw (from this document's own rows) and the
    images of their pages, found from the reading just done; timed as "report pages",
    outside the document's own seconds. Only for a PDF read with the default character
    source (what the report reads); a failure here costs the report a second reading, never
    the document its rows."""
    read_as_report = cfg.options.get("chars", DEFAULT_SOURCE) == DEFAULT_SOURCE
    if res.failed or Path(doc.path).suffix.lower() != ".pdf" or not read_as_report:
        return
    t, c = time.perf_counter(), time.process_time()  # the imports too: the worker's first document pays them
    from types import SimpleNamespace

    from extract.outputs.annotate import PARTS, spans
    from extract.outputs.located import PageStore
    from extract.outputs.tables import frame

    try:
        names = ("evidence",) if "evidence" in cfg.stages else PARTS  # as the report chooses, run-wide
        tables = {n: frame(n, res.records.get(n, [])) for n in (*names, "timings", "citations", "references")}
        PageStore(pages.folder, pages.version).keep(doc, spans(SimpleNamespace(tables=tables)))
    except Exception:
        log.debug("report pages of %s not kept", doc.path, exc_info=True)
    res.stage_seconds["report pages"] = time.perf_counter() - t
    res.stage_cpu["report pages"] = time.process_time() - c


def read_input(path: str, doc_id: str, cfg: RunConfig) -> Document:
    """A PDF, a JATS or TEI article (.xml, .nxml) or plain text (.txt), by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in MARKUP_SUFFIXES:
        return read_article(Path(path), doc_id)
    if suffix == ".txt":
        return read_text(Path(path).read_bytes().decode("utf-8-sig"), doc_id, path=path)
    return read_pdf(path, max_pages=cfg.max_pages, chars=cfg.options.get("chars", DEFAULT_SOURCE))


def run_stages(doc: Document, cfg: RunConfig | None = None, t0: float | None = None,
               c0: float | None = None) -> DocResult:
    """Every stage of `cfg` on a Document already read (from a PDF, or `extract.read_text`);
    never raises. `t0` (perf_counter) and `c0` (process_time) mark when reading began, so
    "layout" times it."""
    cfg = cfg or RunConfig()
    start, cpu = time.perf_counter(), time.process_time()
    t0 = start if t0 is None else t0
    res = DocResult(doc.path, doc.doc_id, {}, doc.text, doc.n_pages)
    res.stage_seconds["layout"] = start - t0
    res.stage_cpu["layout"] = cpu - (cpu if c0 is None else c0)
    load_stages()
    errors = []
    for name in cfg.stages:
        t_stage, c_stage = time.perf_counter(), time.process_time()
        try:
            for table, rows in STAGES[name](doc, cfg).items():
                res.records.setdefault(table, []).extend(rows)
        except Exception as e:
            log.debug("stage %s failed for %s", name, doc.path, exc_info=True)
            errors.append(dict(path=doc.path, doc_id=doc.doc_id, stage=name, error_type=e.__class__.__name__,
                               message=f"{e} ({traceback.extract_tb(e.__traceback__)[-1].name})"))
        res.stage_seconds[name] = time.perf_counter() - t_stage
        res.stage_cpu[name] = time.process_time() - c_stage
    if errors:
        res.records["errors"] = errors
        for d in res.records.get("documents", []):
            d["status"] = "partial"
    res.seconds = time.perf_counter() - t0
    return res


def failed_result(path, doc_id, stage_, error_type, message, t0) -> DocResult:
    return DocResult(path, doc_id, {
        "errors": [dict(path=path, doc_id=doc_id, stage=stage_, error_type=error_type, message=message)],
        "documents": [dict(doc_id=doc_id, path=path, sha256=None, status="error")],
    }, seconds=time.perf_counter() - t0, failed=True)
