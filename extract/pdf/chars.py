"""Character sources: a PDF as pages of `Char` records, ready for layout.

A `Char` is one printed character (ligatures expanded) in top-down page coordinates:
its text, box, size, font and baseline; characters layout never reads (sideways, blank,
off the page, under one point) are left out here. Two sources give them: pdfplumber
(pdfminer, pure Python: the reference) and pdfium (pypdfium2, a pdfplumber dependency:
C, reading the characters several times faster, which was most of the layout time).
pdfium's characters get pdfminer's geometry: a box from the origin over the advance
width, its bottom at the baseline less the font's descent and its height the font size,
so layout sees the same page from either (`tests/test_ingest.py` compares them on the
sample PDFs). pdfium's characters are made as records directly, the per-font figures
(descent, text turn) voted once per text object rather than per character; pdfplumber's
dicts are turned into records by `chars_from_dicts`.

`open_pdf` is the one entry point; input the library cannot read raises `IngestError`.

PDFium is not thread-safe, not even across documents: every call into it in this package
(here, and the page images of `report`/`annotate`) holds `PDFIUM_LOCK`, so a Dask worker
running several task threads in one process reads its PDFs one page at a time.
"""
from __future__ import annotations

import ctypes
import math
import threading
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

PDFIUM_LOCK = threading.RLock()

SOURCES = ("pdfium", "pdfplumber")
DEFAULT_SOURCE = "pdfium"



@dataclass(slots=True)
class Char:
    """One printed character, as layout reads it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    fontname: str
    base: float  # baseline (from the text matrix; glyph boxes differ between fonts)


Chars = list[Char]
LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u00ad": "-",
}


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
            turn = _text_turn(Counter(tuple(c["matrix"][:2]) for c in p.chars))
            if turn:  # read again turned, as `_Pdfium._page` does
                p.close()
                p.page_obj.rotate = p.page_obj.attrs["Rotate"] = (p.rotation + turn) % 360
                p = Page(self.pdf, p.page_obj, p.page_number, p.initial_doctop)
            width, height = float(p.width), float(p.height)
            yield width, height, chars_from_dicts(p.chars, width, height)
            p.close()  # its cached layout: memory bounded by a page, not by the document


def chars_from_dicts(raw: list[dict], width: float, height: float) -> Chars:
    """pdfplumber-style character dicts (text, fontname, size, x0, x1, top, bottom, upright,
    matrix) as records."""
    out, depths = [], defaultdict(Counter)
    for c in raw:
        t = c.get("text") or ""
        if not c.get("upright", True) or not t.strip():
            continue
        m, size, font = c.get("matrix"), c.get("size") or 0, c.get("fontname", "")
        if m and m[1] == 0 and m[2] == 0 and size >= 1:
            depths[font][round((c["bottom"] - height + m[5]) / size, 2)] += 1
        top, bottom = c["top"], c["bottom"]
        out.append(Char(t, c["x0"], c["x1"], top, bottom, float(size or (bottom - top) or 1.0), font, bottom))
    return _shown(out, {k: v.most_common(1)[0][0] for k, v in depths.items()}, width, height)


def _shown(chars: Chars, descent: dict[str, float], width: float, height: float) -> Chars:
    """The characters layout reads (inside the page, a point or more, not blank), ligatures
    expanded, each on its baseline: the glyph-box bottom less its font's descent.

    Glyph boxes of different fonts (an italic word in a title) sit at different depths, so
    boxes alone split one line in two. The descent is the usual gap, per font, between a
    box's bottom and the text-matrix baseline over the size (its most common value: body
    text, unraised, outnumbers the scripts set in the same font); a character raised or
    lowered with the text-rise operator keeps its shift (its box moves, its matrix does not)."""
    descent = {k: d for k, d in descent.items() if abs(d) < 1}
    kept = [ch for ch in chars if not (ch.x1 < 0 or ch.x0 > width or ch.bottom < 0 or ch.top > height
                                       or ch.size < 1.0 or not ch.text.strip())]
    for ch in kept:
        t = ch.text
        if t in LIGATURES:
            ch.text = LIGATURES[t]
        elif t >= "\U0001d400" and len(t) == 1 and ord(t) <= 0x1D7FF:  # a mathematical italic mu in "50 𝜇g": the letter
            ch.text = unicodedata.normalize("NFKC", t)
        d = descent.get(ch.fontname)
        if d is not None:
            ch.base = ch.bottom - d * ch.size
    return kept


def _text_turn(matrices: Counter) -> int:
    """0, or the counter-clockwise angle (90, 180, 270) most characters' baselines run at,
    from the count of characters by their matrix's (a, b)."""
    votes = [0, 0, 0, 0]
    for (a, b), n in matrices.items():  # few distinct matrices
        votes[round(math.degrees(math.atan2(b, a)) / 90) % 4] += n
    best = max(range(4), key=votes.__getitem__)
    return 90 * best if votes[best] > votes[0] else 0


# -- pdfium ------------------------------------------------------------------------------


# /Rotate (clockwise) -> pdfminer's map from PDF space to the displayed page, both y up:
# the coefficients (x in X, x in Y, y in X, y in Y), and the MediaBox coordinates
# (indices into x0, y0, x1, y1) of the point that becomes the displayed origin
_ROTATIONS = {0: ((1, 0, 0, 1), (0, 1)), 90: ((0, -1, 1, 0), (2, 1)),
              180: ((-1, 0, 0, -1), (2, 3)), 270: ((0, 1, -1, 0), (0, 3))}
_TEXT = {2: "-"}  # pdfium's code for a hyphen it takes to end a line
_NO_OBJECT = object()  # before the first character's text object
_GENERATED = frozenset((0x20, 0x0D, 0x0A))  # the only characters pdfium generates: space, CR, LF


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
            fonts, known = PDFResourceManager(caching=True), {}
            for page in PDFPage.create_pages(doc):
                for ref in dict_value(page.resources.get("Font", {})).values():
                    objid = getattr(ref, "objid", None)
                    got = known.get(objid) if objid is not None else None
                    if got is None:
                        got = _font_descent(fonts, objid, dict_value(ref))
                        if got is None:
                            continue
                        if objid is not None:
                            known[objid] = got
                    descents[got[0].split("+")[-1]] = got[1]
    except Exception:
        pass
    return info, descents


def _font_descent(fonts, objid, spec: dict) -> tuple[str, float] | None:
    """(base font name, descent per unit of size) as pdfminer's font gives them, or None
    where pdfminer cannot build the font. Read from the font's descriptor alone where
    that is where pdfminer takes it from: building the font (widths, CMaps, an embedded
    TrueType file) was most of the time spent here."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import dict_value, list_value, num_value
    from pdfminer.psparser import literal_name

    def subtype(d: dict) -> str:
        return literal_name(d["Subtype"]) if "Subtype" in d else "Type1"

    try:
        own, kind = spec, subtype(spec)
        if kind == "Type0":
            own = dict_value(list_value(spec["DescendantFonts"])[0])
            kind = subtype(own) if subtype(own) in ("CIDFontType0", "CIDFontType2") else ""
        name = literal_name(own["BaseFont"]) if "BaseFont" in own else "unknown"
        if kind.startswith("CID") or (kind in ("Type1", "MMType1", "TrueType") and name not in FONT_METRICS):
            descent = num_value(dict_value(own.get("FontDescriptor", {})).get("Descent", 0))
            return name, -abs(descent) * 0.001
    except Exception:
        pass
    try:  # the font as pdfminer builds it: Type3 (its FontBBox), the standard 14 (their metrics)
        font = fonts.get_font(objid, spec)
    except Exception:
        return None
    return str(getattr(font, "basefont", None) or getattr(font, "fontname", "")), font.get_descent()


def _by_address(fn, restype, *argtypes):
    """A pdfium function called through its bare address with these argument types."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)


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
        # by font address: its name, descent, advance widths by text and texts by pdfium's code
        self._fonts: dict[int, tuple[str, float, dict[str, float], dict[int, str]]] = {}
        self._rect, self._ink = raw.FS_RECTF(), [ctypes.c_double() for _ in range(4)]
        # the per-character calls, taking the text page and the out-parameters as bare
        # addresses (ints convert faster than the binding's pointer types); a character's
        # text object comes back as a bare address too: a cheap cache key
        vp, i = ctypes.c_void_p, ctypes.c_int
        self._unicode = _by_address(raw.FPDFText_GetUnicode, ctypes.c_uint, vp, i)
        self._is_generated = _by_address(raw.FPDFText_IsGenerated, i, vp, i)
        self._obj_addr = _by_address(raw.FPDFText_GetTextObject, vp, vp, i)
        self._origin = _by_address(raw.FPDFText_GetCharOrigin, i, vp, i, vp, vp)
        self._loose_box = _by_address(raw.FPDFText_GetLooseCharBox, i, vp, i, vp)
        self._char_box = _by_address(raw.FPDFText_GetCharBox, i, vp, i, vp, vp, vp, vp)

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
        width, height, chars, turn = self._read(page, rotation)
        if turn:
            width, height, chars, _ = self._read(page, (rotation + turn) % 360)
        return width, height, chars

    def _read(self, page, rotation: int) -> tuple[float, float, Chars, int]:
        """(width, height, characters, text turn) of the page displayed at `rotation`."""
        r = self.raw
        (la, lb, lc, ld), (ex, ey) = _ROTATIONS.get(rotation, _ROTATIONS[0])
        box = page.get_mediabox()
        x_org, y_org = box[ex], box[ey]
        width, height = box[2] - box[0], box[3] - box[1]
        if rotation in (90, 270):
            width, height = height, width

        tp = page.get_textpage()
        text_page = tp.raw
        tpa = ctypes.cast(text_page, ctypes.c_void_p).value  # (tp holds the page open)
        ox, oy, m, rect = ctypes.c_double(), ctypes.c_double(), r.FS_MATRIX(), self._rect
        is_generated, obj_addr, unicode, map_error = (
            self._is_generated, self._obj_addr, self._unicode, r.FPDFText_HasUnicodeMapError)
        origin, loose_box, char_box = self._origin, self._loose_box, self._char_box
        ink_l, ink_r, ink_b, ink_t = self._ink  # the ink box: left, right, bottom, top
        at = ctypes.addressof
        ox_at, oy_at, rect_at = at(ox), at(oy), at(rect)
        il_at, ir_at, ib_at, it_at = map(at, self._ink)
        objects: dict[int, tuple] = {}
        counts: dict[int, int] = {}  # characters by text object (first read first), for the votes
        run = 0  # characters counted in the current run of one text object
        out: Chars = []
        last = None  # the last character read (kept or not), and its origin
        last_x = last_y = None
        last_addr = _NO_OBJECT
        unrotated = (la, lb, lc, ld) == (1, 0, 0, 1)
        halves = False
        try:
            for i in range(r.FPDFText_CountChars(text_page)):
                u = unicode(tpa, i)
                if u in _GENERATED and is_generated(tpa, i):
                    continue  # spaces and line ends pdfium infers
                addr = obj_addr(tpa, i)
                if addr != last_addr:  # a text object's characters come in a run
                    if run:
                        counts[last_addr] = counts.get(last_addr, 0) + run
                        run = 0
                    obj = objects.get(addr)
                    if obj is None:
                        obj = objects[addr] = self._text_object(text_page, i, m, (la, lb, lc, ld))
                    font, fontname, descent, size, advance_scale, upright, widths, texts, _, _, _ = obj
                    last_addr = addr
                text = texts.get(u)  # a font gives a code the same text (or none) wherever it is
                if text is None:
                    if map_error(text_page, i):
                        text = f"(cid:{u})"  # as pdfminer writes a glyph it cannot decode
                    else:
                        text = _TEXT.get(u) or ("\ufffd" if u > 0x10FFFF else chr(u))
                    if 0xD800 <= u <= 0xDFFF:
                        halves = True  # (not kept: every page holding one is told)
                    else:
                        texts[u] = text
                origin(tpa, i, ox_at, oy_at)
                dx, dy = ox.value - x_org, oy.value - y_org
                # unrotated, the map is the identity: dx, dy as they are (the products below
                # give the same numbers except a zero's sign, so a zero takes that way)
                if not (unrotated and dx and dy):
                    dx, dy = la * dx + lc * dy, lb * dx + ld * dy
                x, y = dx, dy
                # the right edge of the loose box: the advance box widened to the ink
                loose_box(tpa, i, rect_at)
                left, right = rect.left - x_org, rect.right - x_org
                if not (unrotated and left and right):
                    left = la * left + lc * (rect.bottom - y_org)
                    right = la * right + lc * (rect.top - y_org)
                loose = right if right > left else left  # max(left, right)
                if x == last_x and y == last_y and last.fontname == fontname:
                    last.text += text  # a ligature, which pdfium splits into its letters
                    last.x1 = max(last.x1, loose)
                    continue
                x1 = loose
                advance = widths.get(text)
                if advance is None:
                    advance = widths[text] = self._width(font, text)
                advance = x + advance * advance_scale
                # where the loose box reaches past the advance, the ink may overhang it (an
                # italic f): then the box ends at the advance (below it, the ink decides nothing)
                if loose > advance:
                    char_box(tpa, i, il_at, ir_at, ib_at, it_at)
                    if unrotated:  # (a compared zero's sign decides nothing)
                        ink_left, ink_right = ink_l.value, ink_r.value
                        ink = (ink_right if ink_right > ink_left else ink_left) - x_org  # max(...)
                    else:
                        ink = max(la * (ink_l.value - x_org) + lc * (ink_b.value - y_org),
                                  la * (ink_r.value - x_org) + lc * (ink_t.value - y_org))
                    if loose <= ink + 0.01:
                        x1 = advance
                bottom = height - y - descent * size
                last, last_x, last_y = Char(text, x, x1, bottom - size, bottom, size, fontname, bottom), x, y
                run += 1
                if upright:
                    out.append(last)
        finally:
            tp.close()
        if run:
            counts[last_addr] = counts.get(last_addr, 0) + run
        turns: Counter = Counter()
        depths: defaultdict[str, Counter] = defaultdict(Counter)
        for addr, n in counts.items():
            _, fontname, descent, size, _, _, _, _, a, b, c = objects[addr]
            turns[(a, b)] += n
            if b == 0 and c == 0 and size >= 1:
                depths[fontname][round(-descent, 2)] += n  # box bottom less baseline, over the size
        if halves:  # a character beyond the BMP comes as two halves at one origin, joined here
            for ch in out:
                ch.text = ch.text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        kept = _shown(out, {k: v.most_common(1)[0][0] for k, v in depths.items()}, width, height)
        return width, height, kept, _text_turn(turns)

    def _text_object(self, text_page, i: int, m, rot) -> tuple:
        """(font, fontname, descent / size, size, advance scale, upright, the font's advance
        widths by text and texts by code, matrix a-c on the displayed page) of the text
        object holding character i: all its characters share them."""
        r = self.raw
        font = r.FPDFTextObj_GetFont(r.FPDFText_GetTextObject(text_page, i))
        key = ctypes.cast(font, ctypes.c_void_p).value if font else 0
        known = self._fonts.get(key)
        if known is None:
            known = self._fonts[key] = (*self._font_name_descent(font), {}, {})
        name, descent, widths, texts = known
        r.FPDFText_GetMatrix(text_page, i, m)
        la, lb, lc, ld = rot
        a, b = la * m.a + lc * m.b, lb * m.a + ld * m.b
        c, d = la * m.c + lc * m.d, lb * m.c + ld * m.d
        font_size = r.FPDFText_GetFontSize(text_page, i)
        return (font, name, descent, font_size * (c * c + d * d) ** 0.5, font_size * a,
                a * d > 0 and b * c <= 0, widths, texts, a, b, c)

    def _font_name_descent(self, font) -> tuple[str, float]:
        """A font's base name and its descent per unit of size (pdfminer's, else pdfium's)."""
        if not font:
            return "", 0.0
        r = self.raw
        n = r.FPDFFont_GetBaseFontName(font, None, 0)
        buf = ctypes.create_string_buffer(max(n, 1))
        r.FPDFFont_GetBaseFontName(font, buf, n)
        name = buf.value.decode("utf-8", "replace")
        desc = ctypes.c_float()
        descent = self._descents.get(name.split("+")[-1])
        if descent is None and r.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(desc)):
            descent = desc.value
        return name, descent or 0.0

    def _width(self, font, text: str) -> float:
        """The font's advance width for `text` per unit of font size (its Widths, as
        pdfminer reads them); infinite where unknown."""
        w = ctypes.c_float()
        ok = font and len(text) == 1 and self.raw.FPDFFont_GetGlyphWidth(
            font, ord(text), ctypes.c_float(1.0), ctypes.byref(w))
        return w.value if ok and w.value > 0 else float("inf")
