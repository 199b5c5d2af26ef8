"""An XML article of either vocabulary -> `Document`: JATS (PMC) or GROBID TEI, told
apart by the root element."""
from __future__ import annotations

from pathlib import Path

from extract.document import Document
from extract.markup.builder import MarkupError, local, parse_xml
from extract.markup.jats import is_jats, read_jats
from extract.markup.tei import is_tei, read_tei


def read_article(source: str | Path | bytes, doc_id: str | None = None) -> Document:
    """A JATS or TEI article (path, XML string or bytes) as a Document; MarkupError otherwise."""
    root, data, path = parse_xml(source)
    if is_jats(root):
        return read_jats(data, doc_id, path=path)
    if is_tei(root):
        return read_tei(data, doc_id, path=path)
    raise MarkupError(f"neither a JATS article nor a TEI document (root element <{local(root.tag)}>)")
