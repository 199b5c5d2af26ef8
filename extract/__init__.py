"""casemine: biomedical case-report PDFs -> evidence tables and a citation graph.

    import extract
    corpus = extract.run("corpus/", "outputs/")     # tables as pandas DataFrames
    corpus.documents, corpus.sections, corpus.errors
    corpus = extract.load("outputs/")               # read an earlier run back
    corpus = extract.load("outputs/", corrections="review/corrections.csv")
"""
from extract.document import Document
from extract.markup.articles import read_article
from extract.markup.builder import MarkupError
from extract.markup.jats import read_jats
from extract.markup.tei import read_tei
from extract.markup.text import read_text
from extract.pdf.ingest import IngestError, read_pdf
from extract.run.pipeline import Corpus, load, run
from extract.stages import RunConfig
from extract.run.process import process_document, run_stages

__version__ = "0.1.0"
__all__ = ["Corpus", "Document", "IngestError", "MarkupError", "RunConfig", "load", "process_document",
           "read_article", "read_jats", "read_pdf", "read_tei", "read_text", "run", "run_stages", "__version__"]
