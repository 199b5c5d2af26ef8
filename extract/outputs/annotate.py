"""Extracted spans back onto their PDFs: one row per span, its boxes, highlight annotations.

`spans(corpus)` unites every table that points into the text (evidence, or the tables it
is made from when a run has none yet, plus timings and citations) into one frame with a
`note` saying what was extracted; `annotate_pdfs` writes a copy of each PDF with a
/Highlight annotation per span, coloured by kind, the note in its /Contents and
`casemine:<table>:<row>` as its /NM name, so every annotation leads back to its row
(`extract.outputs.located.annotate_pdfs` writes them, keeping what it found per document).
"""
from __future__ import annotations

import gc
import logging
from pathlib import Path

import pandas as pd

from extract.pdf.chars import PDFIUM_LOCK
from extract.outputs.writers import safe_name
from extract.outputs.tables import records
from extract.citations.works import missing

log = logging.getLogger(__name__)

SPAN_COLUMNS = ["span_id", "doc_id", "kind", "value", "note", "page", "char_start", "char_end",
                "sentence", "table", "row"]
# highlight colours (hex RGB) by kind; anything else is drawn in OTHER
COLOURS = {"treatment": "4caf50", "treatment_detail": "a5d6a7", "outcome": "00897b",
           "subtype": "ab47bc", "diagnosis": "ce93d8", "cause": "ff9800", "patient": "ec407a",
           "timing": "42a5f5", "citation": "ffeb3b", "mention": "bdbdbd"}
OTHER = "26c6da"
# tables whose rows `evidence` unites; used one by one when a run has no evidence table
PARTS = ("subtypes", "treatments", "causes", "mentions")


def colour(kind) -> str:
    return COLOURS.get(str(kind).lower(), OTHER)


def _text(*parts) -> str:
    return " ".join(str(p) for p in parts if not missing(p))


def _join(row, *cols) -> str:
    def show(v) -> str:
        return "; ".join(map(str, v)) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else str(v)
    return ", ".join(f"{c}={show(row[c])}" for c in cols if c in row and not missing(row[c])
                     and show(row[c]))


def _evidence(r) -> tuple[str, str]:
    what = "subject" if r.get("kind") == "treatment" else "object"
    value = _text(r.get("value"), r.get("unit")) if not missing(r.get("value")) else ""
    value = value or _text(r.get(what)) or _text(r.get("subject"))
    details = _join(r, "value", "unit", "scope", "cited_refs")
    return value, _text(r.get("subject"), r.get("predicate"), r.get("object"),
                        f"| {details}" if details else None)


def _subtype(r) -> tuple[str, str]:
    return _text(r.get("subtype")), _join(r, "subtype", "role")


def _treatment(r) -> tuple[str, str]:
    return _text(r.get("treatment")), _join(r, "treatment", "kind", "scope", "status", "dose", "route",
                                            "frequency", "sessions", "duration", "outcome",
                                            "response_pct")


def _cause(r) -> tuple[str, str]:
    return _text(r.get("cause")), _join(r, "cause", "cause_kind", "effect")


def _mention(r) -> tuple[str, str]:
    flags = [f for f in ("negated", "hypothetical", "historical", "family")
             if not missing(r.get(f)) and bool(r.get(f))]
    return _text(r.get("norm")) or _text(r.get("text")), _text(
        r.get("label"), _join(r, "norm", "concept_id", "scope"), " ".join(flags))


def _timing(r) -> tuple[str, str]:
    return _text(r.get("value")) or _text(r.get("text")), _join(
        r, "type", "value", "days", "mod", "event_kind", "event", "anchor")


def _citation(r, refs: dict) -> tuple[str, str]:
    ref = refs.get((r.get("doc_id"), r.get("ref_no")))
    target = f"ref {r.get('ref_no')}: {ref}" if ref else f"ref {r.get('ref_no')} (not in the list)"
    return _text(r.get("marker")), f"[{r.get('marker')}] -> {target}"


KINDS = {"evidence": None, "subtypes": ("subtype", _subtype), "treatments": ("treatment", _treatment),
         "causes": ("cause", _cause), "mentions": ("mention", _mention), "timings": ("timing", _timing)}


def _usable(df: pd.DataFrame | None) -> bool:
    return df is not None and len(df) > 0 and {"doc_id", "char_start", "char_end"} <= set(df.columns)


def spans(corpus) -> pd.DataFrame:
    """Every located extraction of the run, one row each (columns: SPAN_COLUMNS)."""
    tables = corpus.tables
    names = ["evidence"] if _usable(tables.get("evidence")) else list(PARTS)
    names += ["timings", "citations"]
    refs = {}
    if _usable(tables.get("citations")) and tables.get("references") is not None:
        r = tables["references"]
        refs = {(d, n): raw for d, n, raw in zip(r["doc_id"], r["ref_no"], r["raw"])}
    rows = []
    for name in names:
        df = tables.get(name)
        if not _usable(df):
            continue
        for i, r in enumerate(records(df)):
            if missing(r["char_start"]) or missing(r["char_end"]):
                continue
            if name == "evidence":
                kind, (value, note) = _text(r.get("kind")) or "evidence", _evidence(r)
            elif name == "citations":
                kind, (value, note) = "citation", _citation(r, refs)
            else:
                kind, fn = KINDS[name]
                value, note = fn(r)
            rows.append({"doc_id": r["doc_id"], "kind": str(kind), "value": value,
                         "note": f"{kind}: {note}", "page": r.get("page"),
                         "char_start": int(r["char_start"]), "char_end": int(r["char_end"]),
                         "sentence": r.get("sentence"), "table": name, "row": i})
    out = pd.DataFrame(rows, columns=SPAN_COLUMNS[1:])
    out = out.sort_values(["doc_id", "char_start", "char_end"], kind="mergesort", ignore_index=True)
    out.insert(0, "span_id", range(len(out)))
    return out


def pdf_path(corpus, doc_id: str) -> Path | None:
    """The PDF of a document, if it is still where the run found it (None for a JATS, TEI
    or text input: it has no pages)."""
    docs = corpus.tables.get("documents")
    if docs is None or docs.empty:
        return None
    hit = docs.loc[docs["doc_id"] == doc_id, "path"]
    if hit.empty or missing(hit.iloc[0]):
        return None
    path = Path(str(hit.iloc[0]))
    return path if path.is_file() and path.suffix.lower() == ".pdf" else None


def stored_text(corpus, doc_id: str) -> str | None:
    try:
        return corpus.text(doc_id)
    except (ValueError, OSError):
        return None


def read_located(corpus, doc_id: str):
    """The document's PDF read again (for boxes and page images), or None. With Python's
    cyclic collector paused (as the run pauses it for its corpus outputs), the cycles an
    earlier reading left, about 1 MB a PDF, are collected first: a report that reads every
    PDF again (after Dask workers) stays as small as with the collector on."""
    from extract.pdf.ingest import read_pdf

    path = pdf_path(corpus, doc_id)
    if path is None:
        return None
    if not gc.isenabled():
        gc.collect()
    try:
        return read_pdf(path)
    except Exception as e:  # the PDF was readable at run time; say why it is not now
        log.warning("cannot re-read %s: %s", path, e)
        return None


class OpenPdf:
    """A PDF opened once for what one document's report needs of it: each page loaded once
    for its characters (`boxes`) and its image (`extract.outputs.located._render`), where
    each used to open the file again. `close()` (or `with`) releases it."""

    def __init__(self, path):
        self.path = path
        self._pdf = None
        self._pages: dict = {}

    def page(self, number: int):
        """Page `number` (1-based), loaded on first use; call under PDFIUM_LOCK."""
        page = self._pages.get(number)
        if page is None:
            if self._pdf is None:
                import pypdfium2 as pdfium

                self._pdf = pdfium.PdfDocument(self.path)
            page = self._pages[number] = self._pdf[number - 1]
        return page

    def close(self) -> None:
        with PDFIUM_LOCK:
            for page in self._pages.values():
                page.close()
            self._pages.clear()
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# pdfium leaves out of the text order (text index -1) only characters of code 0 and its
# control characters, and writes some of these otherwise in its text (a hyphen as 0xFFFE);
# any other code is the character's text
_CONTROL = frozenset((0, 0x2, 0x3, 0x93, 0x94, 0x96, 0x97, 0x98, 0xFFFE))


def _page_chars(page) -> "_PageChars":
    """Non-blank characters of a page with their boxes (x0, top, x1, bottom; top-left origin).

    Read through pdfium's raw calls: what `PdfTextPage.get_text_range(i, 1)` and
    `get_charbox(i, loose=True)` give (a character outside the text order, beyond the BMP
    or half of a surrogate pair is blank), without their per-call wrapping, which was most
    of the time. A character's text is its code (`FPDFText_GetUnicode`: what the text
    buffer holds for a character in the text order), the text order and buffer asked only
    for the codes pdfium may leave out of it or write otherwise (`_CONTROL`)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    height = page.get_height()
    tp = page.get_textpage()
    text_page, rect, buf = tp.raw, raw.FS_RECTF(), (ctypes.c_ushort * 2)()
    text_index, get_text = raw.FPDFText_GetTextIndexFromCharIndex, raw.FPDFText_GetText
    unicode = raw.FPDFText_GetUnicode
    loose_box = raw.FPDFText_GetLooseCharBox
    out, flat = [], []
    try:
        for i in range(raw.FPDFText_CountChars(text_page)):
            u = unicode(text_page, i)
            if u in _CONTROL:  # the text buffer may hold another code (a hyphen's 0xFFFE)
                if text_index(text_page, i) == -1 or get_text(text_page, i, 1, buf) < 2:
                    continue  # out of the text order
                u = buf[0]
            if 0xD800 <= u and (u <= 0xDFFF or u > 0xFFFF):
                continue  # a surrogate half, or beyond the BMP (the text's first half)
            ch = chr(u)
            if ch.strip():
                if not loose_box(text_page, i, rect):
                    raise pdfium.PdfiumError("Failed to get charbox.")
                box = (rect.left, height - rect.top, rect.right, height - rect.bottom)
                out.append((ch, *box))
                flat += box
    finally:
        tp.close()
    return _PageChars(out, flat)


class _PageChars(list):
    """A page's characters, with their box centres as arrays for `_piece_chars`."""

    def __init__(self, chars: list, flat: list):
        super().__init__(chars)
        import numpy as np

        box = np.array(flat, dtype=float).reshape(-1, 4)
        self.cx, self.cy = (box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2


def _piece_chars(chars: _PageChars, bbox: tuple, text: str) -> list | None:
    """The page characters of one text piece, in order, when they match its text one to one."""
    import numpy as np

    x0, top, x1, bottom = bbox
    hit = np.flatnonzero((x0 - 1 <= chars.cx) & (chars.cx <= x1 + 1) & (top - 1 <= chars.cy) & (chars.cy <= bottom + 1))
    inside = sorted((chars[i] for i in hit), key=lambda c: c[1])
    letters = [ch for ch in text if not ch.isspace()]
    if len(inside) != len(letters) or sum(a == c[0] for a, c in zip(letters, inside)) < 0.9 * len(letters):
        return None
    return inside


def _locate(doc, a: int, b: int, matched_of) -> list[tuple[int, tuple]]:
    """Like Document.locate, but with each box cut at the span's first and last character
    as the PDF places them (the piece's width shared out evenly when they cannot be matched).
    `matched_of(i)`: `_piece_chars` of piece i."""
    out = []
    i = doc._piece_index(a)
    while i < len(doc.pieces) and doc.pieces[i].char_start < b:
        p = doc.pieces[i]
        lo, hi = max(a, p.char_start), min(b, p.char_end)
        matched = matched_of(i) if hi > lo else None
        i += 1
        if hi <= lo:
            continue
        text = doc.text[p.char_start:p.char_end]
        keep = [k for k, ch in enumerate(text) if not ch.isspace()]
        inner = [j for j, k in enumerate(keep) if lo <= p.char_start + k < hi]
        if matched is not None and inner:
            first, last = matched[inner[0]], matched[inner[-1]]
            out.append((p.page, (first[1], p.bbox[1], last[3], p.bbox[3])))
        elif matched is None:
            out += [(page, box) for page, box in doc.locate(lo, hi) if page == p.page]
    return out


def boxes(doc, doc_spans: pd.DataFrame, text: str | None, pdf: OpenPdf | None = None
          ) -> dict[int, list[tuple[int, tuple]]]:
    """span_id -> [(page, (x0, top, x1, bottom))] in PDF points, top-left origin (`pdf`:
    the document's PDF already open, else opened here).

    A span whose characters differ between the run's text and the PDF read now (the PDF or
    the reader changed since the run) gets no box rather than a box in the wrong place."""
    pages: dict[int, _PageChars] = {}
    pieces: dict[int, list | None] = {}  # piece index -> its characters (many spans share a piece)
    opened = pdf or OpenPdf(doc.path)

    def matched_of(i: int) -> list | None:
        if i not in pieces:
            p = doc.pieces[i]
            if p.page not in pages:
                pages[p.page] = _page_chars(opened.page(p.page))
            pieces[i] = _piece_chars(pages[p.page], p.bbox, doc.text[p.char_start:p.char_end])
        return pieces[i]

    out = {}
    with PDFIUM_LOCK:
        try:
            for sid, a, b in zip(doc_spans["span_id"], doc_spans["char_start"], doc_spans["char_end"]):
                if text is None or doc.text[a:b] == text[a:b]:
                    out[sid] = _locate(doc, a, b, matched_of)
        finally:
            if pdf is None:
                opened.close()
    return out


def _highlight(page_boxes: list[tuple], mediabox, hex_colour: str, note: str, name: str):
    from pypdf.annotations import Highlight
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    left, top = float(mediabox.left), float(mediabox.top)
    quads, xs, ys = [], [], []
    for x0, t, x1, b in page_boxes:
        X0, X1, Y0, Y1 = left + x0, left + x1, top - b, top - t
        quads += [X0, Y1, X1, Y1, X0, Y0, X1, Y0]
        xs += [X0, X1]
        ys += [Y0, Y1]
    annot = Highlight(rect=(min(xs), min(ys), max(xs), max(ys)), highlight_color=hex_colour,
                      quad_points=ArrayObject(FloatObject(round(q, 2)) for q in quads), printing=True)
    annot[NameObject("/Contents")] = TextStringObject(note)
    annot[NameObject("/NM")] = TextStringObject(name)
    annot[NameObject("/T")] = TextStringObject("casemine")
    return annot


def annotate_pdf(src: Path, dest: Path, doc_spans: pd.DataFrame, located: dict) -> int:
    """Copy src to dest with one highlight per span and page; returns annotations written."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(src))
    n = 0
    for r in doc_spans.itertuples():
        by_page: dict[int, list] = {}
        for page, box in located.get(r.span_id, []):
            by_page.setdefault(page, []).append(box)
        for page, page_boxes in by_page.items():
            annot = _highlight(page_boxes, writer.pages[page - 1].mediabox, colour(r.kind),
                               r.note, f"casemine:{r.table}:{r.row}")
            writer.add_annotation(page_number=page - 1, annotation=annot)
            n += 1
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as fh:
        writer.write(fh)
    return n


def pdf_names(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> file name of its annotated copy (the PDF's own name, the doc_id added when
    two PDFs of the corpus share a name)."""
    stems = [Path(str(p)).stem if not missing(p) else "" for p in documents["path"]]
    return {d: safe_name(s if stems.count(s) == 1 else f"{s}.{d}") + ".annotated.pdf"
            for d, s in zip(documents["doc_id"], stems) if not missing(d)}
