"""What the report and the annotated copies need of each PDF: its page sizes, every span's
boxes and the images of the pages holding one, found once per document and kept.

Placing a span means reading its PDF again (characters, lines, blocks: as long as the
run's own reading of it), so a `PageStore` with a folder keeps what it found per document
(`<folder>/<doc_id>/`, tagged with the pipeline version): a later run that adds documents
reads only the new PDFs, and a span it has not placed before (a correction that moved one)
reads its PDF once more. The document's report page is kept there too, under a hash of
what it is made from (`extract.outputs.report._page_key`), and linked into the next report
while that hash holds; so are the report's plots (`<folder>/.plots/`, under a hash of their
data: `extract.outputs.plots.write_plots`), with the citation graph's positions
(`extract.outputs.plots.layout`). Without a folder nothing is kept (every call reads the PDF).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.outputs.annotate import (OpenPdf, annotate_pdf, boxes, pdf_names, pdf_path, read_located, spans,
                                      stored_text)
from extract.outputs.writers import _atomic, safe_name
from extract.pdf.chars import PDFIUM_LOCK

PAGE_SCALE = 1.25  # 90 dpi: body text stays legible, a page is ~100 kB in grey PNG
MAX_PAGE_PIXELS = 2000  # the long side of a page image, whatever the page's size
FOUND = "located.json"
PAGE = "page.html"  # the document's report page, as last rendered
PLOTS = ".plots"  # the report's plots as last drawn (no document's folder starts with a dot)
LAYOUT = "layout.json"  # in PLOTS: the citation graph's positions as last drawn

log = logging.getLogger(__name__)


@dataclass
class Placed:
    """One document's PDF as the report draws on it."""

    path: Path                                 # the PDF
    sizes: list[list[float]]                   # (width, height) of each page, in points
    boxes: dict[int, list] = field(default_factory=dict)  # span_id -> [(page, (x0, top, x1, bottom))]


class PageStore:
    """Per document: page sizes, boxes by span offsets, page images, the fingerprint of
    its annotated copy and its report page, under `folder` (None: nothing kept between calls)."""

    def __init__(self, folder: str | Path | None = None, version: str = ""):
        self.folder = Path(folder) if folder is not None else None
        self.version = version
        self._found: dict[str, dict] = {}  # doc_id -> what located.json holds
        self._unsaved: set[str] | None = None  # in `keep`: documents whose located.json waits for its end

    def place(self, corpus, doc_id: str, doc_spans: pd.DataFrame, text: str | None) -> Placed | None:
        """The document's boxes for `doc_spans` (None when its PDF is gone or unreadable):
        read from the store, the PDF read again only for spans it does not hold yet."""
        path = pdf_path(corpus, doc_id)
        if path is None or not self._find(doc_id, doc_spans, text, lambda: read_located(corpus, doc_id)):
            return None
        return self._placed(path, doc_id, doc_spans)

    def keep(self, doc, doc_spans: pd.DataFrame) -> None:
        """What the report will need of a PDF just read (a `Document` of the default
        character source), found now from that reading: its boxes and page images (the
        PDF opened once for both, each page loaded once)."""
        self._unsaved = set()  # located.json written once, not after each page image
        try:
            with OpenPdf(doc.path) as pdf:
                self._find(doc.doc_id, doc_spans, doc.text, lambda: doc, pdf)
                placed = self._placed(Path(doc.path), doc.doc_id, doc_spans)
                for number in sorted({page for boxed in placed.boxes.values() for page, _ in boxed}):
                    self.page_image(placed, doc.doc_id, number, None, pdf)
        finally:
            unsaved, self._unsaved = self._unsaved, None
            for doc_id in unsaved:
                self._save(doc_id, self._load(doc_id))

    def _find(self, doc_id: str, doc_spans: pd.DataFrame, text: str | None, read,
              pdf: OpenPdf | None = None) -> bool:
        """Boxes of the spans the store does not hold yet, from `read()` (a Document, or
        None: False); `pdf`: its PDF already open."""
        found = self._load(doc_id)
        offsets = _offsets(doc_spans)
        todo = [i for i, o in enumerate(offsets) if o not in found["boxes"]]
        if todo or not found["sizes"]:
            doc = read()
            if doc is None:
                return False
            new = doc_spans.iloc[todo]
            located = boxes(doc, new, text, pdf)
            found["sizes"] = [[p.width, p.height] for p in doc.pages]
            for sid, o in zip(new["span_id"], (offsets[i] for i in todo)):
                found["boxes"][o] = located.get(sid, [])
            self._save(doc_id, found)
        return True

    def _placed(self, path: Path, doc_id: str, doc_spans: pd.DataFrame) -> Placed:
        found = self._load(doc_id)
        return Placed(path, found["sizes"], {sid: [(page, tuple(box)) for page, box in found["boxes"][o]]
                                             for sid, o in zip(doc_spans["span_id"], _offsets(doc_spans))})

    def page_image(self, placed: Placed, doc_id: str, number: int, folder: Path | None,
                   pdf: OpenPdf | None = None) -> tuple[int, int]:
        """FOLDER/<doc_id>-<number>.png, the page in grey; its (width, height) in pixels
        (FOLDER None: the image is only kept in the store; `pdf`: the PDF already open)."""
        name = f"{doc_id}-{number}.png"
        found = self._load(doc_id)
        size = found["images"].get(str(number))
        kept = self._dir(doc_id) / name if self.folder is not None else None
        if kept is None and folder is None:
            return (0, 0)
        if size is None or kept is None or not kept.is_file():
            size = _render(pdf or placed.path, number, kept or folder / name)
            if kept is not None:
                found["images"][str(number)] = size
                self._save(doc_id, found)
        if kept is not None and folder is not None:
            _link(kept, folder / name)
        return tuple(size)

    def annotate(self, placed: Placed, doc_id: str, dest: Path, doc_spans: pd.DataFrame) -> None:
        """DEST, a copy of the PDF with a highlight per span; not rewritten when it already
        holds these very spans, notes and boxes."""
        rows = [[str(r.kind), str(r.note), str(r.table), int(r.row), placed.boxes.get(r.span_id, [])]
                for r in doc_spans.itertuples()]  # what the copy holds (span ids are the report's)
        mark = hashlib.sha256(json.dumps([str(dest), str(placed.path), rows]).encode()).hexdigest()
        found = self._load(doc_id)
        if self.folder is not None and found.get("annotated") == mark and dest.is_file():
            return
        annotate_pdf(placed.path, dest, doc_spans, placed.boxes)
        if self.folder is not None:
            found["annotated"] = mark
            self._save(doc_id, found)

    def kept_page(self, doc_id: str, key: str) -> str | None:
        """The document's report page kept under `key` (None: none kept)."""
        if self.folder is None or self._load(doc_id).get("page") != key:
            return None
        try:
            return (self._dir(doc_id) / PAGE).read_text(encoding="utf-8")
        except OSError:
            return None

    def keep_page(self, doc_id: str, key: str, html: str) -> None:
        """Keep the document's report page `html` under `key` for the next report."""
        if self.folder is not None:
            _atomic(self._dir(doc_id) / PAGE, lambda tmp: Path(tmp).write_text(html, encoding="utf-8"))
            found = self._load(doc_id)
            found["page"] = key
            self._save(doc_id, found)

    def plot(self, name: str, key: str, dest: Path, draw) -> None:
        """DEST as the plot NAME last drawn under `key`, else drawn by `draw(path)` and kept."""
        if self.folder is None:
            draw(dest)
            return
        kept = self.folder / PLOTS / f"{name}.png"
        mark = kept.with_suffix(".key")
        try:
            same = mark.read_text(encoding="utf-8") == f"{self.version} {key}" and kept.is_file()
        except OSError:
            same = False
        if same:
            _link(kept, dest)
            return
        draw(dest)
        _atomic(kept, lambda tmp: shutil.copyfile(dest, tmp))
        _atomic(mark, lambda tmp: Path(tmp).write_text(f"{self.version} {key}", encoding="utf-8"))

    def kept_layout(self) -> dict:
        """The citation graph's positions the last report of this pipeline version drew
        (node -> (x, y)); empty when none was kept."""
        if self.folder is None:
            return {}
        try:
            kept = json.loads((self.folder / PLOTS / LAYOUT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(kept, dict) or kept.get("version") != self.version:
            return {}
        return {n: (x, y) for n, x, y in kept.get("positions", [])}

    def keep_layout(self, pos: dict) -> None:
        """Keep the citation graph's positions for the next report (`kept_layout`)."""
        if self.folder is not None:
            text = json.dumps(dict(version=self.version, positions=[[n, x, y] for n, (x, y) in pos.items()]))
            (self.folder / PLOTS).mkdir(parents=True, exist_ok=True)
            _atomic(self.folder / PLOTS / LAYOUT, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))

    def keep_only(self, doc_ids: set[str]) -> None:
        """Forget the documents no longer in the run."""
        if self.folder is None or not self.folder.is_dir():
            return
        for d in self.folder.iterdir():
            if d.is_dir() and d.name != PLOTS and d.name not in {safe_name(i) for i in doc_ids}:
                shutil.rmtree(d, ignore_errors=True)

    def _dir(self, doc_id: str) -> Path:
        return self.folder / safe_name(doc_id)

    def _load(self, doc_id: str) -> dict:
        if doc_id not in self._found:
            found = {}
            if self.folder is not None:
                try:
                    found = json.loads((self._dir(doc_id) / FOUND).read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    found = {}
                if found.get("version") != self.version:  # another pipeline: find everything again
                    shutil.rmtree(self._dir(doc_id), ignore_errors=True)
                    found = {}
            self._found[doc_id] = found or dict(version=self.version, sizes=[], boxes={}, images={})
        return self._found[doc_id]

    def _save(self, doc_id: str, found: dict) -> None:
        if self._unsaved is not None:
            self._unsaved.add(doc_id)
        elif self.folder is not None:
            _atomic(self._dir(doc_id) / FOUND, lambda tmp: Path(tmp).write_text(json.dumps(found), encoding="utf-8"))


def _offsets(doc_spans: pd.DataFrame) -> list[str]:
    return [f"{a}:{b}" for a, b in zip(doc_spans["char_start"], doc_spans["char_end"])]


def annotate_pdfs(corpus, out_dir, store: PageStore | None = None) -> dict[str, Path]:
    """OUT_DIR/annotated/<name>.annotated.pdf for every document whose PDF can be re-read
    (`store`: boxes found before, and copies already written for these very spans)."""
    docs = corpus.tables.get("documents")
    if docs is None:
        return {}
    store = store or PageStore()
    all_spans = spans(corpus)
    written: dict[str, Path] = {}
    for doc_id, name in pdf_names(docs).items():
        mine = all_spans[all_spans["doc_id"] == doc_id]
        placed = store.place(corpus, doc_id, mine, stored_text(corpus, doc_id))
        if placed is None:
            log.warning("no annotated copy of %s: its PDF cannot be read where the run found it", doc_id)
            continue
        dest = Path(out_dir) / "annotated" / name
        store.annotate(placed, doc_id, dest, mine)
        written[doc_id] = dest
    return written


def _render(pdf: Path | OpenPdf, number: int, dest: Path) -> list[int]:
    """Page `number` of `pdf` (a path, or the PDF already open) as a grey PNG at DEST
    (atomically); [width, height]."""
    with PDFIUM_LOCK:
        opened = pdf if isinstance(pdf, OpenPdf) else OpenPdf(pdf)
        try:
            page = opened.page(number)  # a hostile page size must not become a bitmap of that size
            scale = min(PAGE_SCALE, MAX_PAGE_PIXELS / max(*page.get_size(), 1))
            bitmap = page.render(scale=scale, grayscale=True)
            gray = bitmap.to_numpy().copy()  # a view of pdfium's buffer, freed with the bitmap
            bitmap.close()
        finally:
            if opened is not pdf:
                opened.close()
    data = _png(gray.reshape(gray.shape[:2]))
    _atomic(dest, lambda tmp: Path(tmp).write_bytes(data))
    return [gray.shape[1], gray.shape[0]]


def _png(gray) -> bytes:
    """A grey image (rows of bytes) as a PNG: each row filtered with PNG's "Up" (less the
    row above), then zlib at level 3. PIL's encoder, at the same level, tries all five
    filters on every row: on the shared PDFs' pages 8.6 ms and 98 kB a page, against 4.1 ms
    and 99 kB here (the same pixels; no filter at all: 3.9 ms, but up to 315 kB on a page of
    photographs, against 241)."""
    import struct
    import zlib

    import numpy as np

    height, width = gray.shape
    rows = np.empty((height, width + 1), dtype=np.uint8)
    rows[:, 0] = 2  # the "Up" filter
    rows[0, 1:] = gray[0]
    np.subtract(gray[1:], gray[:-1], out=rows[1:, 1:])  # modulo 256, as PNG reads it

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"".join((b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)),
                     chunk(b"IDAT", zlib.compress(rows.tobytes(), 3)), chunk(b"IEND", b"")))


def _link(src: Path, dest: Path) -> None:
    """DEST as a hard link to SRC (a copy where the file system has none)."""
    dest.unlink(missing_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
