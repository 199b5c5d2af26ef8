"""casemine: biomedical case-report PDFs -> evidence tables and a citation graph."""
from .document import Document
from .ingest import IngestError, read_pdf

__version__ = "0.1.0"
__all__ = ["Document", "IngestError", "read_pdf", "__version__"]
