"""The small text markup the corpus articles are written in, and its two renderings.

Articles cite by bibliography key (`[[okafor2019,ito2014]]`) so that numbering, ranges and
marker text come from one place; the same source yields reportlab markup for the PDF and
plain text plus citation records for the truth files.
"""
from __future__ import annotations

import html
import re

CITE = re.compile(r"\[\[([^\]]+)\]\]")
TAG = re.compile(r"<[^>]+>")


def cite_keys(text: str) -> list[str]:
    """Every cited key in order of appearance (duplicates kept)."""
    return [k.strip() for m in CITE.finditer(text) for k in m.group(1).split(",")]


def compress(numbers: list[int], dash: str, sep: str) -> str:
    """1,2,3,5 -> '1-3,5': runs of three or more become ranges, as journals print them."""
    nums = sorted(set(numbers))
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{nums[i]}{dash}{nums[j]}")
        else:
            parts.extend(str(n) for n in nums[i : j + 1])
        i = j + 1
    return sep.join(parts)


def author_year(entry: dict) -> str:
    """'Okafor et al., 2019' / 'Ito and Farrell, 2014' / 'Kimura, 2012'."""
    fams = [family_of(a) for a in entry["authors"]]
    if len(fams) == 1:
        who = fams[0]
    elif len(fams) == 2:
        who = f"{fams[0]} and {fams[1]}"
    else:
        who = f"{fams[0]} et al."
    return f"{who}, {entry['year']}"


def family_of(vancouver_name: str) -> str:
    """'Vásquez-Rojas L' -> 'Vásquez-Rojas'; 'De Witt A' -> 'De Witt'."""
    return vancouver_name.rsplit(" ", 1)[0]


def marker(keys: list[str], numbers: dict[str, int], style: str, entries: dict) -> str:
    if style == "super":
        return compress([numbers[k] for k in keys], "-", ",")
    if style == "bracket":
        return "[" + compress([numbers[k] for k in keys], "\u2013", ", ") + "]"
    return "(" + "; ".join(author_year(entries[k]) for k in keys) + ")"


def render(text: str, numbers: dict, style: str, entries: dict, size: float) -> str:
    """Reportlab markup: superscript citations get a smaller font and a raised baseline."""

    def sub(m: re.Match) -> str:
        keys = [k.strip() for k in m.group(1).split(",")]
        mk = marker(keys, numbers, style, entries)
        if style == "super":
            return f'<super size="{size * 0.68:.1f}" rise="{size * 0.38:.1f}">{mk}</super>'
        return html.escape(mk, quote=False)

    return CITE.sub(sub, text)


def plain(text: str, numbers: dict | None = None, style: str = "super", entries=None):
    """Text as a reader sees it, and the citations in it as (marker, ref numbers, offset)."""
    out, cites, pos = [], [], 0
    for m in CITE.finditer(text):
        out.append(_strip(text[pos : m.start()]))
        keys = [k.strip() for k in m.group(1).split(",")]
        mk = marker(keys, numbers, style, entries)
        offset = sum(len(s) for s in out)
        cites.append({"marker": mk, "refs": sorted({numbers[k] for k in keys}), "offset": offset})
        out.append(mk)
        pos = m.end()
    out.append(_strip(text[pos:]))
    return "".join(out), cites


def _strip(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment)).replace("\u00ad", "")
