"""Numbers written in digits or English words ("six", "twenty-four", "one and a half").

Case reports spell small numbers out ("fifteen years", "a few days"); timings and
schedule counts need them as floats. `NUMBER` is a regex fragment for embedding in larger
patterns; `parse_number` turns its match into a float, or None for vague quantities
("several", "a few"), which callers render as ISO 8601 "X".
"""
from __future__ import annotations

import re

UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "dozen": 12}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20, "thirtieth": 30,
}
VAGUE = ("several", "a few", "few", "many", "some", "numerous", "multiple", "a number of",
         "various")
COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}

_word = "|".join(sorted([w for w in [*UNITS, *TENS, *SCALES] if w not in ("a", "an")],
                        key=len, reverse=True))
_simple = rf"(?:{_word})"
# "a" is a number alone ("a week") or before a scale ("a hundred"), never inside a compound
_words = (rf"(?:an?\s+(?:hundred|thousand|dozen)|a\s+couple\s+of|couple\s+of|{_simple}"
          rf"(?:(?:\s+and\s+|[\s-]+){_simple})*|an?)")
_half = r"(?:\s*(?:-|\s)\s*and\s*(?:-|\s)\s*a\s*(?:-|\s)\s*half|\s+and\s+one\s+half)"
_digits = r"\d+(?:[.,]\d+)?(?:\s*½|\s+1/2)?|½"

#: One number: digits ("1.5", "48"), words ("twenty-four"), "half a", "one and a half".
NUMBER = (rf"(?:(?:{_digits}|{_words}){_half}?|half\s+an?|a\s+half)")
#: A vague quantity that stands where a number would.
VAGUE_NUMBER = "(?:" + "|".join(v.replace(" ", r"\s+") for v in VAGUE) + ")"
ORDINAL = "(?:" + "|".join(ORDINALS) + r"|\d+(?:st|nd|rd|th))"


def parse_number(text: str) -> float | None:
    """Value of a number in digits or words; None when it is vague or unparseable."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if t in ("a couple of", "couple of"):
        return 2.0
    half = 0.5 if ("\u00bd" in t or t.endswith(" 1/2")) else 0.0
    t = t.replace("\u00bd", "").removesuffix(" 1/2").strip()
    if not t:
        return half or None
    m = re.search(_half + "$", t)
    if m:
        half, t = 0.5, t[:m.start()].strip()
    if t in ("half a", "half an", "a half"):
        return 0.5
    if re.fullmatch(r"[\d.,\s]+", t):
        t = t.replace(" ", "")
        if "," in t:  # "1,000" is a thousands separator, "1,5" a decimal comma
            head, _, tail = t.partition(",")
            t = head + tail if len(tail) == 3 else head + "." + tail
        try:
            return float(t) + half
        except ValueError:
            return None
    total, current = 0, 0
    for w in re.split(r"[\s-]+", t):
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            return None
    return float(total + current) + half


def parse_ordinal(text: str) -> int | None:
    """Value of "fifth" or "5th"."""
    t = text.strip().lower()
    if t in ORDINALS:
        return ORDINALS[t]
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", t)
    return int(m.group(1)) if m else None


def is_vague(text: str) -> bool:
    return re.fullmatch(VAGUE_NUMBER, text.strip(), re.I) is not None
