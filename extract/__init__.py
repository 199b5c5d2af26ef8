"""casemine: biomedical case-report PDFs -> evidence tables and a citation graph.

    import extract
    corpus = extract.run("corpus/", "outputs/")     # tables as pandas DataFrames
    corpus.documents, corpus.sections, corpus.errors
    corpus = extract.load("outputs/")               # read an earlier run back
    corpus = extract.load("outputs/", corrections="review/corrections.csv")

`import extract` is what every worker process pays before its first document, so the
corpus-level part (`Corpus`, `load`, `run`: pandas and the table writers) is imported
when it is first used, not here: a worker never uses it (it imports pandas only to keep
the report's pages of its documents, `extract.run.process.keep_pages`).
"""
from typing import TYPE_CHECKING

import extract.run as _run_package  # noqa: F401  loaded now, so that importing one of its modules later never rebinds `extract.run`
from extract.document import Document
from extract.markup.articles import read_article
from extract.markup.builder import MarkupError
from extract.markup.jats import read_jats
from extract.markup.tei import read_tei
from extract.markup.text import read_text
from extract.pdf.ingest import IngestError, read_pdf
from extract.stages import RunConfig
from extract.run.process import process_document, run_stages

if TYPE_CHECKING:
    from extract.run.pipeline import Corpus, load

__version__ = "0.1.0"
__all__ = ["Corpus", "Document", "IngestError", "MarkupError", "RunConfig", "load", "process_document",
           "read_article", "read_jats", "read_pdf", "read_tei", "read_text", "run", "run_stages", "__version__"]
_LAZY = {"Corpus", "load"}  # from extract.run.pipeline, on first use


def __getattr__(name: str):
    if name in _LAZY:
        from extract.run import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)


def run(*args, **kwargs):
    """`extract.run.pipeline.run` (see there): every input under a folder -> a `Corpus`."""
    from extract.run.pipeline import run as run_corpus
    return run_corpus(*args, **kwargs)
