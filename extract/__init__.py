"""casemine: biomedical case-report PDFs -> evidence tables and a citation graph.

    import extract
    corpus = extract.run("corpus/", "outputs/")     # tables as pandas DataFrames
    corpus.documents, corpus.sections, corpus.errors
    corpus = extract.load("outputs/")               # read an earlier run back
"""
from .document import Document
from .ingest import IngestError, read_pdf
from .pipeline import Corpus, RunConfig, load, process_document, run

__version__ = "0.1.0"
__all__ = ["Corpus", "Document", "IngestError", "RunConfig", "load", "process_document",
           "read_pdf", "run", "__version__"]
