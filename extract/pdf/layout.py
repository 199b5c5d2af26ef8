"""Page layout: characters -> lines -> blocks -> reading order.

Works on the character records of `extract.pdf.chars` (text, box, size, font, baseline).
The steps, each small and inspectable:

1. rows: characters sharing a baseline; superscripts and subscripts (smaller and raised or
   lowered) are attached to the row they belong to as marked spans;
2. fragments: rows split at wide gaps that continue as a whitespace channel in the rows
   above and below (a column gutter), so a two-column row becomes two lines;
3. blocks: lines stacked with regular spacing, overlapping horizontally and in one style;
4. reading order: a topological sort of blocks (Breuel 2003): a block precedes another
   below it that it overlaps horizontally, or one to its right unless a block lying
   between them vertically spans both (a full-width title, figure or caption).
Running headers, footers and page numbers are recognised across pages in `furniture`.
"""
from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from extract.document import Block, Line, Page, Span
from extract.pdf.chars import Char

SMALL_RATIO = 0.88      # a char this much smaller than its row's text may be a sup/sub
RAISE_RATIO = 0.12      # ... and raised/lowered by this fraction of the row's size
SPACE_RATIO = 0.11      # a horizontal gap wider than this fraction of the size is a space
SPLIT_RATIO = 0.9       # a gap wider than this (x size) may separate columns
CHANNEL_REACH = 2.6     # rows within this many sizes above/below decide if a gap is a channel
MIN_GUTTER = 0.9        # a column gutter is at least this wide (x size)
_TEXT, _X0, _X1, _TOP, _BOTTOM, _SIZE, _FONT, _BASE = (
    attrgetter(k) for k in ("text", "x0", "x1", "top", "bottom", "size", "fontname", "base"))
_BASE_X0 = attrgetter("base", "x0")


@dataclass
class _Row:
    chars: list[Char]
    kinds: list[str] = field(default_factory=list)

    def _main(self) -> list[Char]:
        if self.kinds.count("text") == len(self.kinds):
            return self.chars  # (most rows: no script attached)
        main = [c for c, k in zip(self.chars, self.kinds) if k == "text"]
        return main or self.chars

    @property
    def bottom(self) -> float:
        """The row's baseline."""
        return statistics.median(map(_BASE, self._main()))

    @property
    def size(self) -> float:
        return _common_size(self._main())


def _common_size(chars: list[Char]) -> float:
    """The most common size (to a tenth of a point) among the characters."""
    raw = Counter(map(_SIZE, chars))  # few distinct sizes: rounded after counting
    if len(raw) == 1:
        return round(next(iter(raw)), 1)
    counts: Counter[float] = Counter()
    for size, n in raw.items():
        counts[round(size, 1)] += n
    return counts.most_common(1)[0][0]


# -- 1. rows ---------------------------------------------------------------------------
def build_rows(chars: list[Char]) -> list[_Row]:
    """Cluster characters by baseline, then fold small raised/lowered rows into their host."""
    if not chars:
        return []
    chars = sorted(_fold_raised_accents(chars), key=_BASE_X0)
    rows: list[list[Char]] = []
    cur = [chars[0]]
    ref = chars[0].base
    last_size = chars[0].size  # cur[-1].size: the character before
    for c in chars[1:]:
        size = c.size
        tol = 0.2 * (last_size if last_size < size else size)  # min(size, last_size)
        last_size = size
        if abs(c.base - ref) <= (0.6 if 0.6 > tol else tol):  # max(tol, 0.6)
            cur.append(c)
        else:
            rows.append(cur)
            cur = [c]
            ref = c.base
    rows.append(cur)
    rows_ = [_Row(r, ["text"] * len(r)) for rr in rows for r in _separate_flows(rr)]
    return _attach_scripts(rows_)


DIACRITICS = {"\u00a8": "\u0308", "\u00b4": "\u0301", "`": "\u0300", "\u02c6": "\u0302",
              "\u02dc": "\u0303", "\u00b8": "\u0327", "\u02c7": "\u030c", "\u02da": "\u030a",
              "\u02d8": "\u0306", "\u02d9": "\u0307", "\u00af": "\u0304", "\u02dd": "\u030b"}


def _separate_flows(row: list[Char]) -> list[list[Char]]:
    """One baseline can hold two text flows drawn over each other (a label over a title,
    a vertical side stamp, fake-bold double printing). Drop exact duplicates, fold spacing
    accents into their letter, and split flows of different sizes that interleave."""
    row.sort(key=_X0)
    if DIACRITICS.keys().isdisjoint(map(_TEXT, row)) and not [
            1 for p, c in zip(row, row[1:]) if c.text == p.text and abs(c.x0 - p.x0) < 0.2 * (c.x1 - c.x0)]:
        merged = row  # (most rows: no glyph printed twice, no spacing accent)
    else:
        merged = _fold_accents(row)
    # (sorted by x0, a character overlaps the next only where that starts before it ends)
    overlaps = len([1 for a, b in zip(merged, merged[1:])
                    if b.x0 < a.x1 and min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
                    and (a.fontname, round(a.size)) != (b.fontname, round(b.size))])
    if overlaps < 3:  # two at most where an italic run meets upright text
        return [merged]
    groups: dict[tuple, list[Char]] = {}
    for c in merged:
        groups.setdefault((round(c.size), c.fontname), []).append(c)
    return list(groups.values()) if len(groups) > 1 else [merged]


def _fold_accents(row: list[Char]) -> list[Char]:
    """The row (sorted by x0) without duplicate glyphs, spacing accents folded in."""
    out: list[Char] = []
    accents = False
    prev = None
    for c in row:
        if prev is not None and c.text == prev.text and abs(c.x0 - prev.x0) < 0.2 * (c.x1 - c.x0):
            continue  # fake bold: the same glyph printed twice
        if c.text in DIACRITICS:
            if prev is not None and _overlap_x(prev, c) > 0.3 * (c.x1 - c.x0):
                out[-1] = prev = Char(_accented(prev.text, c.text), prev.x0,
                                      prev.x1, prev.top, prev.bottom, prev.size, prev.fontname, prev.base)
                continue
            accents = True
        out.append(c)
        prev = c
    return _accents_before(out) if accents else out


def _fold_raised_accents(chars: list[Char]) -> list[Char]:
    """A spacing accent set on a baseline of its own over its letter (an 'Å' drawn as 'A'
    and a ring above it, between two lines) is folded into the letter; left alone it is
    a row of its own, read into the line above."""
    accents = [c for c in chars if c.text in DIACRITICS]
    if not accents:
        return chars
    letters = sorted((c for c in chars if c.text.isalpha()), key=lambda c: c.x0)
    xs = [c.x0 for c in letters]
    folded = set()
    for a in accents:
        best = None
        for c in letters[bisect.bisect_left(xs, a.x0 - 2 * a.size):bisect.bisect_right(xs, a.x1)]:
            rise = c.base - a.base
            if (0 < rise <= 0.6 * c.size and _overlap_x(a, c) > 0.5 * min(a.x1 - a.x0, c.x1 - c.x0)
                    and (best is None or rise < best.base - a.base)):
                best = c
        if best is not None:
            best.text = _accented(best.text, a.text)
            folded.add(id(a))
    return [c for c in chars if id(c) not in folded] if folded else chars


def _accents_before(out: list[Char]) -> list[Char]:
    """Accents printed before their letter, folded into it."""
    merged: list[Char] = []
    i = 0
    while i < len(out):
        c = out[i]
        if c.text in DIACRITICS and i + 1 < len(out) and _overlap_x(c, out[i + 1]) > 0:
            n = out[i + 1]
            merged.append(Char(_accented(n.text, c.text), n.x0, n.x1,
                               n.top, n.bottom, n.size, n.fontname, n.base))
            i += 2
            continue
        merged.append(c)
        i += 1
    return merged


DOTLESS = {"\u0131": "i", "\u0237": "j"}  # a dotless i or j is set only to carry an accent


def _accented(letter: str, accent: str) -> str:
    """The letter with a spacing accent folded in ("ı" + "´" -> "í")."""
    return unicodedata.normalize("NFC", DOTLESS.get(letter, letter) + DIACRITICS[accent])


def _overlap_x(a: Char, b: Char) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _attach_scripts(rows: list[_Row]) -> list[_Row]:
    """Move characters of small rows into the row they are raised above / lowered below.

    A script touches its host's text at one side (it never sits over host characters);
    the characters that follow it without a gap ("9", "-", "1", "1") go with it."""
    row_max = [max(map(_SIZE, r.chars)) for r in rows]
    # where a script of each row can sit: a host's baseline lies among the row's baselines
    reach = [(min(map(_BASE, r.chars)) - 0.8 * m, max(map(_BASE, r.chars)) + 0.6 * m) for r, m in zip(rows, row_max)]
    index = _TextIndex(rows)
    keep = []
    hosts = set()
    for i, r in enumerate(rows):
        near = [row_max[j] for j in range(max(0, i - 3), min(len(rows), i + 4)) if j != i]
        smallest = SMALL_RATIO * max(near, default=0.0)  # larger characters host no script
        if min(map(_SIZE, r.chars)) > smallest:  # (chars hosted from rows above included)
            keep.append(r)  # every character too large to be a script: none moves
            continue
        moved = [False] * len(r.chars)
        last = None  # (host index, kind, x1) of the previous attached char
        for j, c in enumerate(r.chars):
            if last is not None and c.x0 - last[2] < 0.4 * c.size:
                host = last[:2]
            elif c.size > smallest:
                host = None
            else:
                host = _host_row(index, i, c, row_max, reach)
            if host is None:
                last = None
                continue
            h, kind = host
            rows[h].chars.append(c)
            rows[h].kinds.append(kind)
            hosts.add(h)
            moved[j] = True
            last = (h, kind, c.x1)
        if any(moved):
            r.kinds = [k for k, m in zip(r.kinds, moved) if not m]
            r.chars = [c for c, m in zip(r.chars, moved) if not m]
            index.forget(i)
        if r.chars:
            keep.append(r)
    for h in hosts:  # the other rows are in x order already
        r = rows[h]
        order = sorted(range(len(r.chars)), key=lambda k: r.chars[k].x0)
        r.chars = [r.chars[k] for k in order]
        r.kinds = [r.kinds[k] for k in order]
    return keep


class _TextIndex:
    """Per row, its text characters sorted by x0, so a script's neighbours are found by
    bisection instead of a scan of the whole row (rows of a table run to hundreds)."""

    def __init__(self, rows: list[_Row]):
        self.rows = rows
        self.cache: dict[int, tuple[list[float], list[Char], float]] = {}

    def forget(self, i: int) -> None:
        self.cache.pop(i, None)

    def near(self, i: int, x0: float, x1: float) -> list[Char]:
        """Row i's text characters that can overlap or touch the span x0..x1."""
        got = self.cache.get(i)
        if got is None:
            row = self.rows[i]
            text = sorted((c for c, k in zip(row.chars, row.kinds) if k == "text"), key=lambda c: c.x0)
            reach = max((max(c.x1 - c.x0, 0) + 0.6 * c.size for c in text), default=0.0) + 1.0
            got = self.cache[i] = ([c.x0 for c in text], text, reach)
        xs, text, reach = got
        return text[bisect.bisect_left(xs, x0 - reach):bisect.bisect_right(xs, x1 + reach)]


def _host_row(index: _TextIndex, i, c: Char, row_max: list[float], reach: list[tuple[float, float]]):
    """The (row index, 'sup'|'sub') that character c is a script of, or None.

    The host is the text character c touches (its size and baseline, not the whole
    row's: a row can join a small-print table cell and a body line of the next column).
    A raised position wins over a lowered one: a degree sign raised above the row below
    must not become a subscript of the row above."""
    sub = None
    for j in range(max(0, i - 3), min(len(row_max), i + 4)):
        if j == i or c.size > SMALL_RATIO * row_max[j] or not reach[j][0] <= c.base <= reach[j][1]:
            continue
        host = _touching(c, index.near(j, c.x0, c.x1))
        if host is None or c.size > SMALL_RATIO * host.size:
            continue
        bb, bsize = host.base, host.size
        if bb - 0.8 * bsize <= c.base <= bb - RAISE_RATIO * bsize:
            return j, "sup"
        if sub is None and bb + 0.05 * bsize <= c.base <= bb + 0.6 * bsize and c.top < bb:
            sub = (j, "sub")
    return sub


def _touching(c: Char, text: list[Char]) -> Char | None:
    """The text character (of a row) that c sits right after (or right before), unless
    c sits over or under one of them."""
    width = max(c.x1 - c.x0, 0.1)
    best, best_d = None, None
    for b in text:
        if min(b.x1, c.x1) - max(b.x0, c.x0) > 0.3 * width:
            return None
        d = c.x0 - b.x1 if c.x0 >= b.x1 - 1.0 else b.x0 - c.x1
        if -1.0 <= d <= 0.6 * b.size and (best_d is None or d < best_d):
            best, best_d = b, d
    return best


# -- 2. lines (row fragments) ------------------------------------------------------------
@dataclass
class _Frag:
    row: int
    chars: list[Char]
    kinds: list[str]

    @property
    def x0(self):
        return self.chars[0].x0

    @cached_property  # a fragment's characters are fixed once it is made
    def x1(self):
        return max(map(_X1, self.chars))


def _split_row(ri: int, row: _Row, size: float) -> list[_Frag]:
    frags = []
    start = 0
    split = SPLIT_RATIO * size
    prev_x1 = row.chars[0].x1  # rightmost ink of the fragment so far
    for k in range(1, len(row.chars)):
        c = row.chars[k]
        if c.x0 - prev_x1 > split:
            frags.append(_Frag(ri, row.chars[start:k], row.kinds[start:k]))
            start, prev_x1 = k, c.x1
        elif c.x1 > prev_x1:
            prev_x1 = c.x1
    frags.append(_Frag(ri, row.chars[start:], row.kinds[start:]))
    return frags


def build_lines(rows: list[_Row], page: int) -> list[Line]:
    """Split rows at column gutters; rejoin pieces whose gap is not a vertical channel."""
    sizes = [r.size for r in rows]
    frags_by_row = [_split_row(i, r, size) for i, (r, size) in enumerate(zip(rows, sizes))]
    bottoms = [r.bottom for r in rows]
    lines = []
    for i, frags in enumerate(frags_by_row):
        size = sizes[i]
        merged = [frags[0]]
        for f in frags[1:]:
            gap = (merged[-1].x1, f.x0)
            if _is_channel(frags_by_row, bottoms, i, gap, size) and not _is_label(merged[-1], f):
                merged.append(f)
            else:
                merged[-1] = _Frag(i, merged[-1].chars + f.chars, merged[-1].kinds + f.kinds)
        # a row read whole has the row's own size
        lines.extend(_to_line(f, page, size if len(merged) == 1 else _frag_size(f)) for f in merged)
    return lines


def _is_channel(frags_by_row, bottoms, i, gap, size) -> bool:
    """True if part of the gap continues as a vertical whitespace channel (a gutter).

    Looking at the rows within reach above, then below: some stretch of the gap at least
    `MIN_GUTTER` wide must be free of their ink, with text on both sides of it and at
    least one of its edges lined up with their text (a real column edge, not a ragged
    line end or a wide word space).
    Columns need not share baselines, so the rows of a side are pooled. A full-width
    abstract above two columns blocks the upward look but not the downward; a wide
    justified word space is inked over on both sides."""
    reach = CHANNEL_REACH * size
    width = max(MIN_GUTTER * size, 4.0)
    sides: dict[bool, list[list[_Frag]]] = {True: [], False: []}
    for j in range(max(0, i - 6), min(len(frags_by_row), i + 7)):
        if j != i and abs(bottoms[j] - bottoms[i]) <= reach:
            sides[bottoms[j] < bottoms[i]].append(frags_by_row[j])
    if not sides[True] and not sides[False]:
        return gap[1] - gap[0] > 2.5 * size  # an isolated row: only a very wide gap counts
    if sides[True] and sides[False]:
        # free both above and below, with text either side: a gutter even where the column
        # edges are ragged (hanging indents of a reference list)
        frags = [f for rows in sides.values() for r in rows for f in r]
        for lo, hi in _free(gap, frags):
            if hi - lo >= width and any(f.x1 <= lo + 1 for f in frags) and any(f.x0 >= hi - 1 for f in frags):
                return True
    for rows in sides.values():
        frags = [f for r in rows for f in r]
        for lo, hi in _free(gap, frags):
            if hi - lo < width:
                continue
            left = any(abs(f.x1 - lo) <= 1.5 for f in frags)
            right = any(abs(f.x0 - hi) <= 1.5 for f in frags)
            ink_left = lo == gap[0] or any(f.x1 <= lo + 1 for f in frags)
            ink_right = hi == gap[1] or any(f.x0 >= hi - 1 for f in frags)
            if (left or right) and ink_left and ink_right:
                return True
    return False


LIST_LABEL = re.compile(r"^(\[\d{1,3}\]|\(?\d{1,3}[.)]?|[•▪◦·\-–*]|[a-z][.)])$")


LABEL_GAP = 4.0  # a list label sits at most this many sizes before its item


def _is_label(f: _Frag, item: _Frag) -> bool:
    """A list label set apart from its item ("12.", "[3]", "•"): it stays on the item's
    line. It is set near the item and in its type; a chart's axis number on the baseline
    of the text beside the chart is neither."""
    if len(f.chars) > 5 or not LIST_LABEL.match("".join(c.text for c in f.chars)):
        return False
    size = _frag_size(item)
    return item.x0 - f.x1 < LABEL_GAP * size and _frag_size(f) > 0.85 * size


def _free(gap: tuple[float, float], frags: list[_Frag]) -> list[tuple[float, float]]:
    """Stretches of the gap no fragment inks."""
    ink = sorted((max(f.x0, gap[0]), min(f.x1, gap[1])) for f in frags if f.x1 > gap[0] and f.x0 < gap[1])
    out, pos = [], gap[0]
    for a, b in ink:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < gap[1]:
        out.append((pos, gap[1]))
    return out


def _frag_size(f: _Frag) -> float:
    if f.kinds.count("text") == len(f.kinds):
        return _common_size(f.chars)
    return _common_size([c for c, k in zip(f.chars, f.kinds) if k == "text"] or f.chars)


def _to_line(f: _Frag, page: int, size: float) -> Line:
    chars, kinds = f.chars, f.kinds
    n = len(chars)
    space = SPACE_RATIO * size
    gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:])]  # gaps[k - 1]: before chars[k]
    tracked = _tracked_gaps(chars, size, gaps)
    wide = [k for k, g in enumerate(gaps, 1) if g > space]  # where a word space may go
    if kinds.count(kinds[0]) == n:
        runs = [(0, n)]  # one kind throughout (most lines)
    else:  # runs of one kind: text, sup, sub
        cuts = [k for k in range(1, n) if kinds[k] != kinds[k - 1]]
        runs = list(zip([0] + cuts, cuts + [n]))
    spans: list[Span] = []
    w = 0
    for a, e in runs:
        if spans and chars[a].x0 - spans[-1].bbox[2] > space:
            # space between spans of different kinds goes at the end of the previous span
            last = spans[-1]
            spans[-1] = Span(last.text + " ", last.kind, last.bbox, last.size, last.fontname)
        buf: list[Char] = []
        pos = a
        while w < len(wide) and wide[w] < e:
            k = wide[w]
            w += 1
            prev = chars[k - 1]
            # word spaces: a space char goes into the span text (not before a run's first char)
            if k > a and not prev.text.endswith(" ") and k not in tracked:
                c = chars[k]
                buf += chars[pos:k]
                buf.append(Char(" ", prev.x1, c.x0, c.top, c.bottom, c.size, c.fontname, c.base))
                pos = k
        buf += chars[pos:e]
        spans.append(_span(buf, kinds[a]))
    if len(spans) == 1:  # (most lines)
        return Line(page=page, spans=spans, bbox=spans[0].bbox, size=size)
    x0 = min(s.bbox[0] for s in spans)
    x1 = max(s.bbox[2] for s in spans)
    top = min(s.bbox[1] for s in spans)
    bottom = max(s.bbox[3] for s in spans)
    return Line(page=page, spans=spans, bbox=(x0, top, x1, bottom), size=size)


TRACKING = (0.05, 0.2)  # letter spacing (x size) a word's letters can be set apart by


def _tracked_gaps(chars: list[Char], size: float, gaps: list[float]) -> set[int]:
    """Indices of characters set apart from the one before by letter spacing, not a word
    space: a run of three or more gaps between letters (a heading or label in tracked
    capitals, "TABLE", "RESULTS"), narrower than the line's clear word spaces (single
    initials, "Andrés J M Ferreri" in a line with no wider space, stay apart)."""
    lo, hi = TRACKING[0] * size, TRACKING[1] * size
    wide = [k for k, g in enumerate(gaps, 1) if lo < g < hi]  # gaps[k - 1]: before chars[k]
    if len(wide) < 3:
        return set()
    runs: list[list[int]] = []
    run: list[int] = []
    for k in wide + [-1]:
        letters = k > 0 and chars[k].text.isalpha() and chars[k - 1].text.isalpha()
        if run and letters and k == run[-1] + 1:
            run.append(k)
            continue
        if len(run) >= 3:
            runs.append(run)
        run = [k] if letters else []
    spaces = sorted(g for g in gaps if g >= hi)
    if not runs or not spaces:
        return set()
    word_space = spaces[len(spaces) // 2]
    return {k for run in runs if max(gaps[k - 1] for k in run) < 0.7 * word_space for k in run}


def _span(chars: list[Char], kind: str) -> Span:
    shown = [c for c in chars if c.text != " "]
    if shown:
        fonts = list(map(_FONT, shown))
        font = fonts[0] if fonts.count(fonts[0]) == len(fonts) else Counter(fonts).most_common(1)[0][0]
        size = max(map(_SIZE, shown))
    else:
        font, size = chars[0].fontname, chars[0].size
    return Span(
        text="".join(map(_TEXT, chars)),
        kind=kind,
        bbox=(min(map(_X0, chars)), min(map(_TOP, chars)), max(map(_X1, chars)), max(map(_BOTTOM, chars))),
        size=size,
        fontname=font,
    )


# -- 3. blocks ---------------------------------------------------------------------------
def build_blocks(lines: list[Line], page: int) -> list[Block]:
    """Stack lines into blocks: close below, overlapping horizontally, same style."""
    lines = sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    styles: dict[int, tuple[bool, bool]] = {}  # by line: bold, opens with a run-in label
    for ln in lines:
        target = None
        for b in reversed(open_blocks):
            last = b.lines[-1]
            if _continues(last, ln, b, styles):
                target = b
                break
        if target is None:
            target = Block(page=page, lines=[ln])
            blocks.append(target)
            open_blocks.append(target)
        else:
            target.lines.append(ln)
        # close blocks that are far above the current line
        open_blocks = [b for b in open_blocks if ln.bbox[1] - b.lines[-1].bbox[3] < 3 * ln.size]
    return blocks


def _run_in_label(ln: Line) -> bool:
    """The line opens with a bold label ending in ':' or '.', followed by plain text."""
    first = ln.spans[0]
    return (first.bold and len(ln.spans) > 1 and not ln.bold
            and first.text.rstrip().endswith((":", ".")) and len(first.text) < 60)


def _style(ln: Line, styles: dict[int, tuple[bool, bool]]) -> tuple[bool, bool]:
    """(bold, opens with a run-in label) of a line, kept in `styles` (build_blocks asks
    about a line once for each open block)."""
    got = styles.get(id(ln))
    if got is None:
        got = styles[id(ln)] = (ln.bold, _run_in_label(ln))
    return got


def _continues(last: Line, ln: Line, block: Block, styles: dict[int, tuple[bool, bool]]) -> bool:
    gap = ln.bbox[1] - last.bbox[3]
    size = max(last.size, ln.size)
    if gap > 0.9 * size or gap < -0.5 * size:
        return False
    if abs(last.size - ln.size) > 0.6:
        return False
    last_bold, last_label = _style(last, styles)
    bold, label = _style(ln, styles)
    if last_bold != bold and (len(block.lines) == 1 or len(ln.text) < 80):
        return False
    if label and not last_label:
        return False  # "Funding: ...", "Cite this article as: ..." opens a paragraph
    ov = min(last.bbox[2], ln.bbox[2]) - max(last.bbox[0], ln.bbox[0])
    narrow = min(last.bbox[2] - last.bbox[0], ln.bbox[2] - ln.bbox[0])
    return ov > 0.5 * narrow or abs(ln.bbox[0] - block.bbox[0]) < 1.5 * size


# -- 4. reading order --------------------------------------------------------------------
def reading_order(blocks: list[Block]) -> list[Block]:
    """Topological sort of blocks by Breuel's precedence rules, with one refinement.

    Rule 1: a block precedes a block below it that it overlaps horizontally.
    Rule 2: a block precedes a block entirely to its right, unless a third block lying
    between them vertically spans both (a full-width title, figure or caption).
    Refinement: when the left block lies wholly below the right one, rule 2 holds only
    if the left block's column continues up past the right block's top (a column read
    before the next); otherwise the right block sits above that column (a centred author
    line above a left-aligned 'Abstract') and comes first."""
    n = len(blocks)
    if n < 2:
        return list(blocks)
    boxes = [b.bbox for b in blocks]
    succ: list[set[int]] = [set() for _ in range(n)]

    def separated(a: int, b: int) -> bool:
        ax0, at, ax1, ab = boxes[a]
        bx0, bt, bx1, bb = boxes[b]
        lo, hi = min(ab, bb) - 1, max(at, bt) + 1
        for c, (cx0, ct, cx1, cb) in enumerate(boxes):
            if ct >= lo and cb <= hi and cx0 < ax1 and cx1 > bx0 and c != a and c != b:
                return True
        return False

    def column_beside(a: int, b: int) -> bool:
        """a's column continues upward past b's top (a block above a, in a's column, left
        of b and not wholly above b)."""
        ax0, at, ax1, _ = boxes[a]
        bx0, bt, _, _ = boxes[b]
        return any(c not in (a, b) and boxes[c][0] < ax1 and boxes[c][2] > ax0
                   and boxes[c][2] <= bx0 + 1 and boxes[c][3] <= at + 1 and boxes[c][3] > bt
                   for c in range(n))

    def column_right(a: int, b: int) -> bool:
        """b's column goes on down beside a (a block right of a, level with a, under b's
        left edge): b is in the next column, not a line centred above a's column."""
        ax0, at, ax1, ab = boxes[a]
        bx0 = boxes[b][0]
        return any(c not in (a, b) and boxes[c][0] >= ax1 - 1 and boxes[c][0] - 6 <= bx0 < boxes[c][2]
                   and boxes[c][1] < ab and boxes[c][3] > at for c in range(n))

    for a in range(n):
        ax0, at, ax1, ab = boxes[a]
        for b in range(n):
            if a == b:
                continue
            bx0, bt, bx1, bb = boxes[b]
            if min(ax1, bx1) - max(ax0, bx0) > 0:            # overlap horizontally
                if (at + ab) / 2 < (bt + bb) / 2 and at < bt:
                    succ[a].add(b)
            elif ax1 <= bx0 + 1:                               # a entirely left of b
                if at >= bb - 1 and not column_beside(a, b) and not column_right(a, b):
                    succ[b].add(a)                             # b sits above a's column
                elif not separated(a, b):
                    succ[a].add(b)
    indeg = [0] * n
    for a in range(n):
        for b in succ[a]:
            indeg[b] += 1
    order = []
    ready = [i for i in range(n) if indeg[i] == 0]
    done = [False] * n
    while len(order) < n:
        if not ready:  # a cycle (scattered figure labels): break it at its least-blocked block
            ready = [min((i for i in range(n) if not done[i]),
                         key=lambda i: (indeg[i], boxes[i][1], boxes[i][0]))]
        ready.sort(key=lambda i: (boxes[i][0] // 20, boxes[i][1]))
        i = ready.pop(0)
        if done[i]:
            continue
        done[i] = True
        order.append(blocks[i])
        for b in succ[i]:
            indeg[b] -= 1
            if indeg[b] == 0 and not done[b]:
                ready.append(b)
    return order


# -- page and furniture ----------------------------------------------------------------
def layout_page(number: int, width: float, height: float, chars: list[Char]) -> Page:
    rows = build_rows(chars)
    lines = build_lines(rows, number)
    blocks = reading_order(build_blocks(lines, number))
    return Page(number=number, width=width, height=height, blocks=blocks)


_DIGITS = re.compile(r"\d+")
_PAGE_NO = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
MARGIN = 0.09  # top/bottom fraction of the page where running heads and feet live
# the first page's own head and foot lines (journal imprint) do not recur on other pages
_IMPRINT = re.compile(r"\bdoi\b|www\.|https?://|©|copyright|\bissn\b|journal homepage", re.I)


def remove_furniture(pages: list[Page]) -> None:
    """Move running headers/footers and page numbers from blocks to `page.furniture`.

    A line in the top or bottom margin is furniture if its text, digits masked, recurs
    near the same height on another page (so page numbers count too); on a one-page
    document, a lone number at the very top or bottom; on the first page, the outermost
    line when it is the journal's imprint (DOI, web address, copyright, ISSN)."""
    def key(ln: Line) -> str:
        # a page number moves from one end of the head to the other on facing pages
        # ("2 Case Reports in ..." / "Case Reports in ... 3")
        return _DIGITS.sub("#", re.sub(r"\s+", "", ln.text.lower())).strip("#")

    seen: Counter[tuple[str, int]] = Counter()
    for p in pages:
        for b in p.blocks:
            for ln in b.lines:
                if _in_margin(ln, p):
                    seen[(key(ln), _band(ln, p))] += 1
    multi = len(pages) > 1
    for p in pages:
        kept = []
        for b in p.blocks:
            lines = []
            for ln in b.lines:
                if _in_margin(ln, p) and (
                    (multi and seen[(key(ln), _band(ln, p))] >= 2)
                    or (not multi and _PAGE_NO.match(ln.text.strip()) and _outermost(ln, p))
                    or (p.number == 1 and _outermost(ln, p) and _IMPRINT.search(ln.text))
                ):
                    p.furniture.append(ln)
                else:
                    lines.append(ln)
            if lines:
                b.lines = lines
                kept.append(b)
        p.blocks = kept


def _outermost(ln: Line, p: Page) -> bool:
    tops = [x.bbox[1] for b in p.blocks for x in b.lines]
    return ln.bbox[1] <= min(tops) or ln.bbox[1] >= max(tops)


def _in_margin(ln: Line, p: Page) -> bool:
    return ln.bbox[3] < MARGIN * p.height + 12 or ln.bbox[1] > (1 - MARGIN) * p.height - 12


def _band(ln: Line, p: Page) -> int:
    return int(ln.bbox[1] // 12) if ln.bbox[1] < p.height / 2 else -int((p.height - ln.bbox[3]) // 12)
