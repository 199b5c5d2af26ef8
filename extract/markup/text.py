"""Plain text -> `Document`: a case report or abstract pasted from anywhere, or a corpus
distributed as text (MACCROBAT). Every stage accepts it; offsets point into `text` as given."""
from __future__ import annotations

import hashlib
import re

from extract.document import Document, Metadata, Section
from extract.pdf.structure import heading_kind

_PARAGRAPH = re.compile(r"\n\s*\n")
_MAX_HEADING = 80  # characters; a longer line is prose


def read_text(text: str, doc_id: str | None = None, *, title: str | None = None,
              path: str = "", kind: str = "case") -> Document:
    """A `Document` over `text` without layout.

    Paragraphs are split at blank lines. A paragraph that is one short line naming a section
    ("Case presentation", "Discussion") starts a section of that kind; text before any such
    heading gets `kind` (a case description by default). `title`, when given, is metadata
    only: offsets stay those of `text`. `doc_id` defaults to the first 16 hex digits of the
    text's sha256, as a PDF's comes from its bytes.
    """
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = Document(doc_id=doc_id or sha[:16], path=path, sha256=sha, n_pages=0, text=text,
                   metadata=Metadata(title=title))
    current_kind, heading, start = kind, None, None
    for a, b in _paragraphs(text):
        para = text[a:b]
        found = heading_kind(para) if "\n" not in para and len(para) <= _MAX_HEADING else None
        if found:
            _close(doc, heading, current_kind, start, a)
            current_kind, heading, start = found, para, None
        elif start is None:
            start = a
    _close(doc, heading, current_kind, start, len(text.rstrip()))
    return doc


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in [*_PARAGRAPH.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((pos + lead, pos + len(chunk.rstrip())))
        pos = m.end() if m else end
    return out


def _close(doc: Document, heading: str | None, kind: str, start: int | None, end: int) -> None:
    if start is None or end <= start:
        return
    body = doc.text[start:end].rstrip()
    doc.sections.append(Section(section_id=len(doc.sections), heading=heading, kind=kind, page=None,
                                char_start=start, char_end=start + len(body), text=body))
