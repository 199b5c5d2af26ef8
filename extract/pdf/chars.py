"""Character sources: a PDF as pages of pdfplumber-style character dicts.

Layout reads each character's text, fontname, size, x0, x1, top, bottom, upright and
matrix, in top-down page coordinates. Two sources give them: pdfplumber (pdfminer, pure
Python: the reference) and pdfium (pypdfium2, a pdfplumber dependency: C, reading the
characters several times faster, which was most of the layout time). pdfium's characters
get pdfminer's geometry: a box from the origin over the advance width, its bottom at the
baseline less the font's descent and its height the font size, so layout sees the same
page from either (`tests/test_ingest.py` compares them on the sample PDFs).

`open_pdf` is the one entry point; input the library cannot read raises `IngestError`.

PDFium is not thread-safe, not even across documents: every call into it in this package
(here, and the page images of `report`/`annotate`) holds `PDFIUM_LOCK`, so a Dask worker
running several task threads in one process reads its PDFs one page at a time.
"""
from __future__ import annotations

import ctypes
import math
import threading
from contextlib import contextmanager
from typing import Iterator

PDFIUM_LOCK = threading.RLock()

SOURCES = ("pdfium", "pdfplumber")
DEFAULT_SOURCE = "pdfium"

Chars = list[dict]


class IngestError(Exception):
    def __init__(self, error_type: str, message: str, stage: str = "ingest"):
        super().__init__(message)
        self.error_type = error_type
        self.stage = stage


class PdfPages:
    """An open PDF: `n_pages`, `info` (the Info dictionary as text) and `pages()`."""

    n_pages: int
    info: dict[str, str]

    def pages(self) -> Iterator[tuple[float, float, Chars]]:
        """(width, height, characters) of each page in order."""
        raise NotImplementedError

    def close(self) -> None:
        self.pdf.close()


@contextmanager
def open_pdf(path, source: str = DEFAULT_SOURCE) -> Iterator[PdfPages]:
    if source not in SOURCES:
        raise ValueError(f"unknown character source {source!r}; one of {SOURCES}")
    try:
        pdf = (_Pdfium if source == "pdfium" else _Plumber)(path)
    except IngestError as e:
        if e.error_type != "corrupt" or source == "pdfplumber":
            raise
        pdf = _Plumber(path)  # what pdfium refuses (no pages at all) pdfminer reads or names
    try:
        yield pdf
    finally:
        pdf.close()


def _as_text(metadata: dict) -> dict[str, str]:
    return {k: (v.decode("utf-8", "ignore") if isinstance(v, bytes) else str(v)) for k, v in metadata.items()}


# -- pdfplumber --------------------------------------------------------------------------
class _Plumber(PdfPages):
    def __init__(self, path):
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError

        try:
            self.pdf = pdfplumber.open(path)
        except Exception as e:  # pdfplumber wraps pdfminer's many error types
            cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(cause).lower():
                raise IngestError("encrypted", "encrypted PDF (password protected); decrypt it first") from e
            if isinstance(cause, PDFSyntaxError):
                raise IngestError("corrupt", f"unreadable PDF structure: {cause}") from e
            raise IngestError("corrupt", f"{cause.__class__.__name__}: {cause}") from e
        try:
            self.n_pages = len(self.pdf.pages)
        except Exception as e:
            self.pdf.close()
            raise IngestError("corrupt", f"cannot read the page tree: {e}") from e
        try:
            self.info = _as_text(self.pdf.metadata or {})
        except Exception:
            self.info = {}

    def pages(self):
        from pdfplumber.page import Page

        for p in self.pdf.pages:
            turn = _text_turn(p.chars)
            if turn:  # read again turned, as `_Pdfium._page` does
                p.close()
                p.page_obj.rotate = p.page_obj.attrs["Rotate"] = (p.rotation + turn) % 360
                p = Page(self.pdf, p.page_obj, p.page_number, p.initial_doctop)
            yield float(p.width), float(p.height), p.chars
            p.close()  # its cached layout: memory bounded by a page, not by the document


# -- pdfium ------------------------------------------------------------------------------
def _text_turn(chars: Chars) -> int:
    """0, or the counter-clockwise angle (90, 180, 270) most characters' baselines run at."""
    votes = [0, 0, 0, 0]
    for c in chars:
        a, b = c["matrix"][:2]
        votes[round(math.degrees(math.atan2(b, a)) / 90) % 4] += 1
    best = max(range(4), key=votes.__getitem__)
    return 90 * best if votes[best] > votes[0] else 0



# /Rotate (clockwise) -> pdfminer's map from PDF space to the displayed page, both y up:
# the coefficients (x in X, x in Y, y in X, y in Y), and the MediaBox coordinates
# (indices into x0, y0, x1, y1) of the point that becomes the displayed origin
_ROTATIONS = {0: ((1, 0, 0, 1), (0, 1)), 90: ((0, -1, 1, 0), (2, 1)),
              180: ((-1, 0, 0, -1), (2, 3)), 270: ((0, 1, -1, 0), (0, 3))}
_TEXT = {2: "-"}  # pdfium's code for a hyphen it takes to end a line


def _pdfminer_side(path) -> tuple[dict[str, str], dict[str, float]]:
    """What pdfium does not say as pdfminer does, read with pdfminer without interpreting
    any page (~15 ms a file): the Info dictionary with all its keys (pdfium reads the
    standard ones only, and publishers put the DOI in their own: doi, prism:doi,
    WPS-ARTICLEDOI), and each page font's descent by name (pdfminer takes a missing
    descent as 0 where pdfium guesses one from the glyphs; boxes must sit alike)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import dict_value
    from pdfplumber.utils import resolve_and_decode

    info: dict = {}
    descents: dict[str, float] = {}
    try:
        with open(path, "rb") as f:
            doc = PDFDocument(PDFParser(f))
            for d in doc.info:
                info.update(d)
            info = _as_text({k: resolve_and_decode(v) for k, v in info.items()})
            fonts = PDFResourceManager(caching=True)
            for page in PDFPage.create_pages(doc):
                for ref in dict_value(page.resources.get("Font", {})).values():
                    try:
                        font = fonts.get_font(getattr(ref, "objid", None), dict_value(ref))
                    except Exception:
                        continue
                    name = str(getattr(font, "basefont", None) or getattr(font, "fontname", ""))
                    descents[name.split("+")[-1]] = font.get_descent()
    except Exception:
        pass
    return info, descents


class _Pdfium(PdfPages):
    def __init__(self, path):
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self.raw = raw
        with PDFIUM_LOCK:
            try:
                self.pdf = pdfium.PdfDocument(str(path))
            except pdfium.PdfiumError as e:
                if e.err_code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
                    raise IngestError("encrypted", "encrypted PDF (password protected); decrypt it first") from e
                raise IngestError("corrupt", f"unreadable PDF structure: {e}") from e
            self.n_pages = len(self.pdf)
        self.info, self._descents = _pdfminer_side(path)
        if not self.info:
            with PDFIUM_LOCK:
                self.info = self.pdf.get_metadata_dict(skip_empty=True)
        self._widths: dict[tuple[int, str], float] = {}
        self._rect, self._ink = raw.FS_RECTF(), [ctypes.c_double() for _ in range(4)]
        # a character's text object as a bare address: a cheap cache key
        self._obj_addr = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
            ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)

    def pages(self):
        for i in range(self.n_pages):
            with PDFIUM_LOCK:
                page = self.pdf[i]
                try:
                    chars = self._page(page)
                finally:
                    page.close()
            yield chars

    def close(self) -> None:
        with PDFIUM_LOCK:
            self.pdf.close()

    def _page(self, page) -> tuple[float, float, Chars]:
        """The page as displayed (its /Rotate applied) or, where most of its text would
        then run sideways or upside down (a page rotated without its content), turned so
        that the text reads upright: what a reader does with such a page."""
        rotation = page.get_rotation() % 360
        width, height, chars = self._read(page, rotation)
        turn = _text_turn(chars)
        if turn:
            width, height, chars = self._read(page, (rotation + turn) % 360)
        return width, height, chars

    def _read(self, page, rotation: int) -> tuple[float, float, Chars]:
        r = self.raw
        (la, lb, lc, ld), (ex, ey) = _ROTATIONS.get(rotation, _ROTATIONS[0])
        box = page.get_mediabox()
        x_org, y_org = box[ex], box[ey]
        width, height = box[2] - box[0], box[3] - box[1]
        if rotation in (90, 270):
            width, height = height, width

        def to_page(x: float, y: float) -> tuple[float, float]:
            """PDF point -> displayed page, y up, origin at its bottom-left."""
            x, y = x - x_org, y - y_org
            return la * x + lc * y, lb * x + ld * y

        tp = page.get_textpage()
        text_page = tp.raw
        ox, oy, m = ctypes.c_double(), ctypes.c_double(), r.FS_MATRIX()
        objects: dict[int, tuple] = {}
        out: Chars = []
        halves = False
        try:
            for i in range(r.FPDFText_CountChars(text_page)):
                if r.FPDFText_IsGenerated(text_page, i):
                    continue  # spaces and line ends pdfium infers
                addr = self._obj_addr(text_page, i)
                obj = objects.get(addr)
                if obj is None:
                    obj = objects[addr] = self._text_object(text_page, i, m, (la, lb, lc, ld))
                font, fontname, descent, size, advance_scale, a, b, c, d = obj
                u = r.FPDFText_GetUnicode(text_page, i)
                if r.FPDFText_HasUnicodeMapError(text_page, i):
                    text = f"(cid:{u})"  # as pdfminer writes a glyph it cannot decode
                else:
                    text = _TEXT.get(u) or ("\ufffd" if u > 0x10FFFF else chr(u))
                    halves = halves or 0xD800 <= u <= 0xDFFF
                r.FPDFText_GetCharOrigin(text_page, i, ox, oy)
                x, y = to_page(ox.value, oy.value)
                loose, ink = self._right_edges(text_page, i, to_page)
                if out and out[-1]["matrix"][4:] == (x, y) and out[-1]["fontname"] == fontname:
                    out[-1]["text"] += text  # a ligature, which pdfium splits into its letters
                    out[-1]["x1"] = max(out[-1]["x1"], loose)
                    continue
                x0, x1 = x, loose
                if loose <= ink + 0.01:  # the ink overhangs the advance (an italic f)
                    x1 = min(loose, x + self._width(font, text) * advance_scale)
                bottom = height - y - descent * size
                out.append(dict(text=text, fontname=fontname, size=size, x0=x0, x1=x1,
                                top=bottom - size, bottom=bottom, upright=a * d > 0 and b * c <= 0,
                                matrix=(a, b, c, d, x, y)))
        finally:
            tp.close()
        if halves:  # a character beyond the BMP comes as two halves at one origin, joined above
            for c in out:
                c["text"] = c["text"].encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return width, height, out

    def _text_object(self, text_page, i: int, m, rot) -> tuple:
        """(font, fontname, descent / size, size, advance scale, matrix a-d on the displayed
        page) of the text object holding character i: all its characters share them."""
        r = self.raw
        font = r.FPDFTextObj_GetFont(r.FPDFText_GetTextObject(text_page, i))
        name, descent = "", None
        if font:
            n = r.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(max(n, 1))
            r.FPDFFont_GetBaseFontName(font, buf, n)
            name = buf.value.decode("utf-8", "replace")
            desc = ctypes.c_float()
            descent = self._descents.get(name.split("+")[-1])
            if descent is None and r.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(desc)):
                descent = desc.value
        r.FPDFText_GetMatrix(text_page, i, m)
        la, lb, lc, ld = rot
        a, b = la * m.a + lc * m.b, lb * m.a + ld * m.b
        c, d = la * m.c + lc * m.d, lb * m.c + ld * m.d
        font_size = r.FPDFText_GetFontSize(text_page, i)
        return font, name, descent or 0.0, font_size * (c * c + d * d) ** 0.5, font_size * a, a, b, c, d

    def _right_edges(self, text_page, i: int, to_page) -> tuple[float, float]:
        """Right edges of character i's loose box and ink. The loose box is the advance
        box widened to the ink, so its right edge is x0 + the advance width unless the
        glyph overhangs it."""
        r, rect, ink = self.raw, self._rect, self._ink
        r.FPDFText_GetLooseCharBox(text_page, i, rect)
        r.FPDFText_GetCharBox(text_page, i, *ink)
        return (max(to_page(rect.left, rect.bottom)[0], to_page(rect.right, rect.top)[0]),
                max(to_page(ink[0].value, ink[2].value)[0], to_page(ink[1].value, ink[3].value)[0]))

    def _width(self, font, text: str) -> float:
        """The font's advance width for `text` per unit of font size (its Widths, as
        pdfminer reads them); infinite where unknown."""
        key = (ctypes.cast(font, ctypes.c_void_p).value if font else 0, text)
        if key not in self._widths:
            w = ctypes.c_float()
            ok = font and len(text) == 1 and self.raw.FPDFFont_GetGlyphWidth(
                font, ord(text), ctypes.c_float(1.0), ctypes.byref(w))
            self._widths[key] = w.value if ok and w.value > 0 else float("inf")
        return self._widths[key]
