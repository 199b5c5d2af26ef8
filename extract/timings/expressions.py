"""Temporal expressions: find them, normalize them to TIMEX3-style ISO 8601, tie them to events.

Fills the `timings` table of DESIGN.md. Case reports are timelines ("15 years ago",
"within 3 weeks of the injury", "monthly for six sessions"); reviewers compare them across
reports, so every expression gets `days` floats (year = 365.25, month = 30.4375 days).

Choice of library (issue 5, item 4). We tried, on the issue's phrases:
recognizers-text-date-time 1.0.2a2 (alpha; needs emoji<1.0 pinned; "a decade" -> "P11",
"48-72 hours" -> only "72 hours", "a 60-year-old" -> duration P60Y, "grade 2/6" -> a date,
"several weeks" -> P3W, ~25 ms a phrase), timexy 0.1.3 (misses ranges, word numbers,
ages, frequencies), quantulum3 (units, not time semantics), text2num / numerizer (number
words only; numerizer turns "a 60-year-old" into "1 60-year old"). None handles ranges,
vague quantities, ages, schedules or clinical anchors right, and the first two give wrong
values rather than none, so the project keeps its own table-driven rules: compiled
regexes over a small vocabulary (units, modifiers, frequency words, anchoring words) plus
`extract.timings.numbers` for number words. A case report takes tens of milliseconds.

Conventions:
- DURATION "P3W"; vague "PXW"; ranges set `value_min`/`value_max` and leave `value` null.
- Offsets from an event ("15 years ago", "two weeks later", "postoperative day 3") are
  type DATE with the offset as value (P15Y) and `relation` before/after, since no calendar
  date is knowable without the document's timeline.
- SET "R/P1M" for monthly; "twice daily" -> "R/P1D" with `freq` "2X"; a frequency with a
  count ("monthly for six sessions") -> "R6/P1M" and `count` 6; "six sessions" alone keeps
  `count` 6 and value null.
- Calendar dates keep ISO ("1855", "2019-03", "2019-03-14"); dates that need a document
  creation date (weekdays, "yesterday") keep their text with value null.
"""
from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

from extract.nlp.sentences import sentence_index
from extract.document import Document
from extract.timings.numbers import (
    COUNT_WORDS,
    NUMBER,
    ORDINAL,
    VAGUE_NUMBER,
    is_vague,
    parse_number,
    parse_ordinal,
)
from extract.stages import Records, RunConfig, stage

YEAR, MONTH = 365.25, 30.4375


@dataclass
class Timing:
    """One temporal expression; fields follow the `timings` table of DESIGN.md."""

    text: str
    type: str  # DATE | DURATION | SET | AGE | TIME
    value: str | None
    value_min: str | None
    value_max: str | None
    days: float | None
    days_min: float | None
    days_max: float | None
    mod: str | None
    event: str | None
    event_kind: str | None
    anchor: str | None
    char_start: int
    char_end: int
    relation: str | None = None  # before | after: direction of an offset from its anchor
    freq: str | None = None  # "2X" for twice per period
    count: int | None = None  # sessions, cycles, doses in a schedule

    def to_dict(self) -> dict:
        return asdict(self)


# --- vocabulary ---------------------------------------------------------------------------
# unit word -> (ISO designator, designators per unit, days per designator, is a clock unit);
# ISO has no decade or fortnight, so "a decade" is P10Y and "a fortnight" P2W. Quarters keep
# TimeML's "Q" (P2Q), as TimeBank writes them.
_UNIT_TABLE: list[tuple[str, str, int, float, bool]] = [
    (r"years?|yrs?|y", "Y", 1, YEAR, False),
    (r"months?|mos?|mths?", "M", 1, MONTH, False),
    (r"weeks?|wks?", "W", 1, 7.0, False),
    (r"days?|d|nights?", "D", 1, 1.0, False),
    (r"hours?|hrs?|h", "H", 1, 1 / 24, True),
    (r"minutes?|mins?", "M", 1, 1 / 1440, True),
    (r"seconds?|secs?", "S", 1, 1 / 86400, True),
    (r"decades?", "Y", 10, YEAR, False),
    (r"centur(?:y|ies)", "Y", 100, YEAR, False),
    (r"fortnights?", "W", 2, 7.0, False),
    (r"quarters?", "Q", 1, 3 * MONTH, False),
]
# Short forms are only units after a digit ("12 h", "5 y"), never after a word.
_SHORT = {"y", "d", "h", "second", "mo", "mos", "yr", "yrs", "wk", "wks", "hr", "hrs", "min",
          "mins", "sec", "secs", "mth", "mths"}
UNIT = r"(?:" + "|".join(u for u, *_ in _UNIT_TABLE) + r")"
_UNIT_RES = [(re.compile(rf"(?:{u})$", re.I), *rest) for u, *rest in _UNIT_TABLE]


def _unit(word: str) -> tuple[str, int, float, bool] | None:
    w = word.lower().rstrip(".")
    for rx, *rest in _UNIT_RES:
        if rx.match(w):
            return tuple(rest)
    return None


def iso_duration(n: float | None, unit_word: str) -> tuple[str | None, float | None]:
    """("P3W", 21.0) for (3, "weeks"); ("PXW", None) for a vague amount."""
    u = _unit(unit_word)
    if u is None:
        return None, None
    designator, scale, per, clock = u
    prefix = "PT" if clock else "P"
    if n is None:
        return f"{prefix}X{designator}", None
    amount = n * scale
    whole, frac = int(amount), amount - int(amount)
    lower = _HALF_DOWN.get((clock, designator))
    if frac == 0.5 and lower and whole:
        return f"{prefix}{whole}{designator}{lower}", amount * per
    num = f"{amount:g}" if frac else str(whole)
    return f"{prefix}{num}{designator}", amount * per


# "2 1/2 years" -> P2Y6M as TimeML writes it; weeks and months keep a decimal
_HALF_DOWN = {(False, "Y"): "6M", (False, "D"): "T12H", (True, "H"): "30M", (True, "M"): "30S"}


# modifier phrase -> mod, longest first; "over" is decided in context (see _mod_of)
_MODS: list[tuple[str, str]] = [
    (r"approximately|approx\.?|about|around|roughly|some|circa|ca\.|~|∼|≈|nearly|almost|"
     r"close\s+to|just\s+under|just\s+over", "APPROX"),
    (r"more\s+than|greater\s+than|longer\s+than|in\s+excess\s+of|over|>|beyond|"
     r"upwards\s+of", "MORE_THAN"),
    (r"at\s+least|no\s+less\s+than|a\s+minimum\s+of|≥|>=|no\s+fewer\s+than",
     "MORE_THAN_OR_EQUAL"),
    (r"less\s+than|fewer\s+than|shorter\s+than|under|<", "LESS_THAN"),
    (r"up\s+to|within|by|at\s+most|no\s+more\s+than|a\s+maximum\s+of|≤|<=|no\s+longer\s+than|"
     r"until|till", "LESS_THAN_OR_EQUAL"),
]
_MOD_RES = [(re.compile(rf"(?:{p})$", re.I), m) for p, m in _MODS]
_LESS = {"nearly": "LESS_THAN", "almost": "LESS_THAN", "just under": "LESS_THAN",
         "just over": "MORE_THAN"}
MOD = r"(?:" + "|".join(p for p, _ in _MODS) + r")"


def _mod_of(word: str | None) -> str | None:
    if not word:
        return None
    w = re.sub(r"\s+", " ", word.strip().lower())
    if w in _LESS:
        return _LESS[w]
    for rx, mod in _MOD_RES:
        if rx.match(w):
            return mod
    return None


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
               "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
# Month names are matched case-sensitively (capitalised) so "may" and "march" the verbs
# never start a date.
MONTH_NAME = (r"(?:January|February|March|April|May|June|July|August|September|October|"
              r"November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PART_OF_DAY = r"(?:morning|afternoon|evening|night|midday|noon)"

_FREQ_WORDS = {"hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W",
               "biweekly": "P2W", "fortnightly": "P2W", "monthly": "P1M", "bimonthly": "P2M",
               "quarterly": "P3M", "yearly": "P1Y", "annually": "P1Y", "annual": "P1Y",
               "semiannually": "P6M", "biannually": "P6M"}
# Latin dosing abbreviations: (period, times per period)
_SIG = {"qd": ("P1D", 1), "od": ("P1D", 1), "bid": ("P1D", 2), "tid": ("P1D", 3),
        "qid": ("P1D", 4), "qhs": ("P1D", 1), "qod": ("P2D", 1), "qam": ("P1D", 1),
        "qpm": ("P1D", 1), "qw": ("P1W", 1), "biw": ("P1W", 2), "tiw": ("P1W", 3)}
_SCHEDULE_NOUNS = (r"sessions?|cycles?|courses?|treatments?|doses?|injections?|rounds?|"
                   r"infusions?|fractions?|applications?|procedures?|visits?|pulses?")

# words whose value is relative to the document's date: TimeML's PRESENT_REF etc.
_DCT_WORDS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "presently": "PRESENT_REF",
              "nowadays": "PRESENT_REF", "to date": "PRESENT_REF", "recently": "PAST_REF",
              "the past": "PAST_REF", "soon": "FUTURE_REF", "the future": "FUTURE_REF",
              "future": "FUTURE_REF"}

# --- pattern fragments ----------------------------------------------------------------------
N = rf"(?:{NUMBER})"
NV = rf"(?:{NUMBER}|{VAGUE_NUMBER})"
DASH = r"\s*(?:[-–—]?\s*to|-|–|—|or|through)\s*"  # "4-6", "4 to 6", "2- to 3-year"
HY = r"(?:\s*[-–‐]\s*|\s+)"  # "6-week", "6 week", "36- year"
DET = (r"(?:(?:the|these|those|this|that|its|his|her|their)\s+)?"
       r"(?:(?:past|last|next|first|initial|final|following|preceding|previous|prior|"
       r"subsequent|ensuing|coming|remaining|additional|further|entire|whole|same)\s+)?")
B = r"(?<![\w.])"  # left word boundary that also refuses "1.5" splits
E = r"(?![\w])"

_F = re.I


def _t(text: str, s: int, e: int, type_: str, value=None, vmin=None, vmax=None, days=None,
       dmin=None, dmax=None, mod=None, **kw) -> Timing:
    return Timing(text=text, type=type_, value=value, value_min=vmin, value_max=vmax,
                  days=days, days_min=dmin, days_max=dmax, mod=mod, event=None,
                  event_kind=None, anchor=None, char_start=s, char_end=e, **kw)


def _num_ok(num: str, unit: str) -> bool:
    """Short unit forms ("h", "y", "d") only count after digits ("12 h", not "a d")."""
    return unit.lower().rstrip(".") not in _SHORT or num.strip()[-1:].isdigit()


def _amount(num: str | None, unit: str) -> tuple[str | None, float | None]:
    if num is None:
        return iso_duration(None, unit)
    n = None if is_vague(num) else parse_number(num)
    if n is None and not is_vague(num):
        return None, None
    return iso_duration(n, unit)


_PLURAL_UNITS = r"years|months|weeks|days|hours|minutes|decades|centuries"
_UNIT_WORD = rf"(?<![^\W\d_]){UNIT}(?![^\W\d_])"  # a unit not inside a longer word

# --- rules: (compiled regex, priority, builder(match) -> Timing | None) -------------------------
# All rules run over the text; overlapping matches are settled longest-first, then by priority.
RULES: list[tuple[re.Pattern, int, Callable[[re.Match], Timing | None], re.Pattern | None]] = []


def rule(pattern: str, prio: int = 5, flags: int = _F, key: str | None = None):
    """Register a rule; `key` is a word every match contains, so the rule only runs in
    windows around it (a long document stays fast: most of its text has no time word)."""
    def deco(fn):
        RULES.append((re.compile(pattern, flags), prio, fn, key and re.compile(key, re.I)))
        return fn
    return deco


_PAD = 100  # characters a match may reach on either side of its key word


def _windows(text: str, key: re.Pattern | None) -> list[tuple[int, int]]:
    if key is None:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    for m in key.finditer(text):
        s, e = max(0, m.start() - _PAD), min(len(text), m.end() + _PAD)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


# AGE ---------------------------------------------------------------------------------------
@rule(rf"{B}(?P<n>{NV}(?:{DASH}{N})?){HY}(?P<u>{UNIT}){HY}olds?{E}", prio=9, key=r"old")
def _age_old(m):
    return _age(m, m.group("n"), m.group("u"))


@rule(rf"{B}(?:(?:at|from)\s+(?:the\s+)?)?(?:aged?|age\s+of)\s+(?P<n>{N}(?:{DASH}{N})?)"
      rf"(?:\s+(?P<u>{UNIT}))?(?:\s+(?:old|of\s+age))?{E}", prio=9, key=r"age")
def _age_aged(m):
    return _age(m, m.group("n"), m.group("u") or "years")


@rule(rf"{B}(?P<n>{NV}(?:{DASH}{N})?)\s+(?P<u>{UNIT})\s+(?:of\s+(?:age|life)|old){E}", prio=9,
      key=r"age|life|old")
def _age_of_age(m):
    return _age(m, m.group("n"), m.group("u"))


@rule(rf"{B}(?:(?:in\s+)?(?:his|her|their)\s+)?(?:(?P<q>early|mid|late)[-\s])?"
      rf"(?P<d>[1-9]0)(?:'?s){E}", prio=7, key=r"0'?s")
def _age_decade(m):
    if not (m.group(0).lower().startswith(("in", "his", "her", "their")) or m.group("q")):
        return None
    lo = int(m.group("d"))
    q = m.group("q")
    lo, hi = {"early": (lo, lo + 3), "mid": (lo + 3, lo + 6), "late": (lo + 6, lo + 9)}.get(
        q and q.lower(), (lo, lo + 9))
    return _t(m.group(0), m.start(), m.end(), "AGE", None, f"P{lo}Y", f"P{hi}Y", None,
              lo * YEAR, hi * YEAR)


def _age(m, num, unit):
    if not _num_ok(num, unit):
        return None
    return _range_or_single(m, num, unit, "AGE")


# DURATION and offsets ----------------------------------------------------------------------
_REL_AFTER = r"later|afterwards?|thereafter|subsequently|hence|post[-\s]?op(?:eratively)?|" \
             r"postoperatively|postpartum|post[-\s]?partum|after|following"
_REL_BEFORE = r"ago|earlier|previously|before|prior|back|beforehand|since"
# adverbs close the expression ("two weeks later"); prepositions only at a clause end
_REL_ADV = r"later|afterwards?|thereafter|subsequently|hence|postoperatively|postpartum|" \
           r"post[-\s]?op(?:eratively)?|post[-\s]?partum|ago|earlier|previously|beforehand"
_REL_PREP = r"before|prior|back|since|after|following"
_DUR = (rf"(?P<mod>{MOD}\s*)?(?P<det>{DET})(?P<btw>between\s+)?(?P<n>{NV})"
        rf"(?:(?:\s+|-)(?P<u1>{UNIT}))?(?:(?:{DASH}|(?(btw)\s+and\s+|(?!)))(?P<n2>{N}))?"
        rf"(?:\s+(?:more|additional|further|consecutive|full|"
        rf"straight|long))?{HY}(?P<u>{UNIT})(?P<ah>\s+and\s+a\s+half)?")


@rule(rf"{B}{_DUR}(?:\s*(?:,\s*)?(?:and\s+)?(?P<n3>{N}){HY}(?P<u3>{UNIT}))?"
      rf"(?:-long|\s+duration|[-\s]period)?"
      rf"(?:\s+(?P<rel>{_REL_ADV}|(?:{_REL_PREP})(?=\s*(?:[.,;:)]|$))))?{E}", prio=6,
      key=_UNIT_WORD)
def _duration(m):
    num, unit = m.group("n"), m.group("u")
    if not _num_ok(num, unit) or re.match(r"[-\s]olds?\b", m.string[m.end():m.end() + 6]):
        return None  # "this 16-year-old": an age, which the AGE rules read
    if re.fullmatch(_YEAR, num.strip()) and not unit.lower().endswith("s"):
        return None  # "the 1988 quarter": a year, not 1988 quarters
    if re.search(r"/\s*$", m.string[max(0, m.start() - 2):m.start()]) or _TEST_AFTER.match(
            m.string, m.end()):
        return None  # a rate ("3 g/24 h") or a test's name ("6-minute walk test")
    if m.group("ah") and not m.group("n2"):
        n = parse_number(num)
        if n is None:
            return None
        num = str(n + 0.5)
    if m.group("n2") and m.group("u1") and not _num_ok(num, m.group("u1")):
        return None
    t = _range_or_single(m, num, unit, "DURATION", n2=m.group("n2"), u1=m.group("u1"))
    if t is None:
        return None
    if m.group("n3") and t.value and not t.value_min:  # "2 years and 6 months"
        v2, d2 = _amount(m.group("n3"), m.group("u3"))
        if v2 and d2 is not None and t.days is not None:
            t.value = _join_iso(t.value, v2)
            t.days += d2
    mod_word = (m.group("mod") or "").strip()
    det = (m.group("det") or "").strip().lower()
    mod = _mod_of(mod_word)
    if mod_word.lower() == "over" and (m.group("n2") or det):
        mod = None  # "over 48-72 hours", "over the past year": a span, not a bound
    if mod_word.lower() == "by" and m.group("rel"):
        mod = None
    t.mod = mod
    rel = (m.group("rel") or "").lower()
    if rel:
        t.type = "DATE"
        t.relation = "before" if re.fullmatch(_REL_BEFORE, rel) else "after"
    elif re.match(r"(?:the\s+)?(?:past|last|previous|preceding|prior)\b", det):
        t.relation = "before"
    elif re.match(r"(?:the\s+)?(?:next|following|subsequent|ensuing|coming)\b", det):
        t.relation = "after"
    return t


# Durations that name a test rather than time an event
_TEST_AFTER = re.compile(r"\s+(?:walk|urine|urinary|holter|ambulatory|recall|dietary|pH|"
                         r"excretion|collection|clock|shift|service|hotline)\b", re.I)


def _join_iso(a: str, b: str) -> str:
    """P2Y + P6M -> P2Y6M (clock parts after a T)."""
    if a.startswith("PT") or not b.startswith("PT"):
        return a + b[2:] if b.startswith("PT") and a.startswith("PT") else a + b[1:]
    return a + b[1:]


def _range_or_single(m, num, unit, type_, n2=None, u1=None) -> Timing | None:
    text, s, e = m.group(0), m.start(), m.end()
    rng = (re.match(rf"^(?P<a>{N}){DASH}(?P<b>{N})$", num, _F)
           if n2 is None and parse_number(num) is None else None)
    if rng and rng.group("a").strip()[-1:].isdigit() == rng.group("b").strip()[-1:].isdigit():
        num, n2 = rng.group("a"), rng.group("b")
    if n2:
        lo_v, lo_d = _amount(num, u1 or unit)
        hi_v, hi_d = _amount(n2, unit)
        if lo_v is None or hi_v is None:
            return None
        return _t(text, s, e, type_, None, lo_v, hi_v, None, lo_d, hi_d)
    v, d = _amount(num, unit)
    if v is None and not is_vague(num):
        return None
    return _t(text, s, e, type_, v, None, None, d)


@rule(rf"{B}(?P<mod>{MOD}\s+)?(?:(?:the|these|those)\s+)?(?:(?:past|last|next|following|"
      rf"preceding|previous|subsequent|ensuing|coming|recent|several|many|few|some)\s+)+"
      rf"(?P<u>years|months|weeks|days|hours|decades|minutes|centuries){E}"
      rf"|{B}(?:for|over|within|lasting)\s+(?P<u2>years|months|weeks|days|hours|decades){E}",
      prio=4, key=_PLURAL_UNITS)
def _vague_plural(m):
    unit = m.group("u") or m.group("u2")
    v, _ = iso_duration(None, unit)
    text, s, e = m.group(0), m.start(), m.end()
    if m.group("u2"):  # keep "for" out of the span
        s = m.start("u2")
        text = m.group("u2")
    t = _t(text, s, e, "DURATION", v, mod=_mod_of(m.group("mod")) if m.group("mod") else None)
    return t


@rule(rf"{B}(?P<u>years|months|weeks|days|hours|minutes)\s+(?P<rel>later|ago|earlier|"
      rf"afterwards?|before|after|prior){E}", prio=4, key=_PLURAL_UNITS)
def _plural_offset(m):
    if re.search(rf"(?:{NUMBER}|{VAGUE_NUMBER})[\s-]*$", m.string[max(0, m.start() - 30):m.start()],
                 re.I):
        return None  # "45 minutes prior": the numbered duration rule owns it
    v, _ = iso_duration(None, m.group("u"))
    rel = m.group("rel").lower()
    t = _t(m.group(0), m.start(), m.end(), "DATE", v,
           relation="before" if rel in ("ago", "earlier", "before", "prior") else "after")
    if rel in ("before", "after"):  # a preposition: its object is the anchor, not the span
        t.text, t.char_end = m.group("u"), m.end("u")
    return t


# Day/week numbering: "postoperative day 3", "POD 3", "day 5", "on the fifth day" --------------
_DAY_QUAL = (r"post[-\s]?operative|postop|post[-\s]?op|hospital|hospitalization|illness|"
             r"admission|treatment|study|post[-\s]?injury|post[-\s]?procedure|post[-\s]?"
             r"transplant(?:ation)?|post[-\s]?partum|postnatal|gestational|life")


@rule(rf"{B}(?:(?P<q>{_DAY_QUAL})\s+)?(?P<u>day|week|month|year)\s*(?P<n>[+]?\d+|"
      rf"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
      rf"twenty|thirty)){E}(?!\s*(?:mg|g|ml|%|cm|mm|kg|/))"
      rf"|{B}POD\s*(?P<n2>\d+){E}", prio=7, key=r"day|week|month|year|POD")
def _day_number(m):
    num = m.group("n") or m.group("n2")
    n = parse_number(num.lstrip("+"))
    if n is None:
        return None
    unit = m.group("u") or "day"
    v, d = iso_duration(n, unit)
    return _t(m.group(0), m.start(), m.end(), "DATE", v, days=d, relation="after")


@rule(rf"{B}(?:(?:on|in|at|by|during|from|until)\s+)?(?:the\s+)?(?P<n>{ORDINAL})\s+"
      rf"(?:(?P<q>post[-\s]?operative|postop|hospital|postnatal|treatment|admission)\s+)?"
      rf"(?P<u>day|week|month|year|hour)(?P<pl>s)?(?![-\w])"
      rf"(?!\s+(?:of|in)\s+(?:the\s+)?(?:month|week|year|"
      rf"January|February|March|April|May|June|July|August|September|October|November|"
      rf"December)){E}", prio=5, key=r"day|week|month|year|hour")
def _ordinal_unit(m):
    n = parse_ordinal(m.group("n"))
    if n is None:
        return None
    s = m.start()
    lead = re.match(r"(?:on|in|at|by|during|from|until)\s+", m.group(0), _F)
    if lead:
        s = m.start() + lead.end()
    if m.group("pl"):  # "the first days of life": an unspecified stretch at the start
        v, _ = iso_duration(None, m.group("u"))
        return _t(m.string[s:m.end()], s, m.end(), "DURATION", v, mod="START")
    v, d = iso_duration(n, m.group("u"))
    return _t(m.string[s:m.end()], s, m.end(), "DATE", v, days=d, relation="after")


# SET ---------------------------------------------------------------------------------------
@rule(rf"{B}(?:on\s+(?:an?\s+)?|an?\s+)?(?P<w>hourly|daily|nightly|weekly|biweekly|fortnightly|"
      rf"monthly|bimonthly|quarterly|yearly|annually|semiannually|biannually)"
      rf"(?:\s+basis)?{E}", prio=5, key=r"ly\b")
def _freq_word(m):
    period = _FREQ_WORDS[m.group("w").lower()]
    s = m.start() if m.group(0).lower().endswith("basis") else m.start("w")
    return _t(m.group(0), s, m.end(), "SET", f"R/{period}", days=_period_days(period))


@rule(rf"{B}(?P<c>once|twice|thrice|{N}\s*(?:times|x|×))\s*(?:(?:a|an|per|each|every|/)\s*)?"
      rf"(?P<p>(?:{UNIT})|daily|weekly|monthly|yearly|annually|(?:a|per)\s+day){E}", prio=7,
      key=r"once|twice|thrice|times|\d\s*[x×]")
def _times_per(m):
    c = m.group("c").lower()
    count = COUNT_WORDS.get(c) or parse_number(re.sub(r"\s*(times|x|×)$", "", c))
    p = m.group("p").lower()
    if p in _FREQ_WORDS:
        period = _FREQ_WORDS[p]
    else:
        unit = p.split()[-1]
        if not _num_ok("1", unit):
            return None
        period, _ = iso_duration(1, unit)
    if count is None or period is None:
        return None
    return _t(m.group(0), m.start(), m.end(), "SET", f"R/{period}", days=_period_days(period),
              freq=f"{count:g}X")


@rule(r"(?<=\d)\s*(?:mg|g|mcg|µg|ug|ml|mL|IU|units?|tablets?|capsules?|drops?|puffs?)(?:/kg)?\s+"
      r"(?P<x>(?:a|an|per)\s+(?P<u>day|week|month))\b", prio=9, key=r"\b(?:a|an|per)\s+(?:day|week|month)\b")
def _dose_per(m):
    """"20 mg a day": a dose per period is a schedule, not a duration of one day."""
    period, _ = iso_duration(1, m.group("u"))
    return _t(m.group("x"), m.start("x"), m.end("x"), "SET", f"R/{period}", days=_period_days(period),
              freq="1X")


@rule(rf"{B}(?:every|each|q)\s*(?P<other>other\s+)?(?:(?P<n>{N})(?:{DASH}(?P<n2>{N}))?\s*)?"
      rf"(?P<u>{UNIT}){E}", prio=6, key=r"every|each|q\s*(?:\d|other)")
def _every(m):
    unit = m.group("u")
    n = 2 if m.group("other") else (parse_number(m.group("n")) if m.group("n") else 1)
    if m.group(0).lower().startswith("q") and not re.match(r"q\d", m.group(0), _F):
        return None
    if n is None or (m.group("n") and not _num_ok(m.group("n"), unit)):
        return None
    if m.group("n2"):
        n2 = parse_number(m.group("n2"))
        if n2 is None:
            return None
        lo, dl = iso_duration(n, unit)
        hi, dh = iso_duration(n2, unit)
        return _t(m.group(0), m.start(), m.end(), "SET", None, f"R/{lo}", f"R/{hi}", None,
                  dl, dh)
    v, d = iso_duration(n, unit)
    if v is None:
        return None
    return _t(m.group(0), m.start(), m.end(), "SET", f"R/{v}", days=d)


@rule(rf"{B}(?:every|each)\s+(?P<w>morning|evening|night|weekend|{WEEKDAY})\b", prio=5)
def _every_part(m):
    period = "P1W" if m.group("w")[0].isupper() or m.group("w").lower() == "weekend" else "P1D"
    return _t(m.group(0), m.start(), m.end(), "SET", f"R/{period}", days=_period_days(period))


@rule(rf"{B}(?P<n>{N}){HY}(?P<u>{UNIT})(?:ly)?\s+intervals?{E}|"
      rf"{B}(?P<n2>{N}){HY}(?P<u2>week|month|year)ly{E}", prio=8,
      key=r"interval|weekly|monthly|yearly")
def _intervals(m):
    num, unit = (m.group("n"), m.group("u")) if m.group("n") else (m.group("n2"), m.group("u2"))
    v, d = _amount(num, unit)
    if v is None:
        return None
    return _t(m.group(0), m.start(), m.end(), "SET", f"R/{v}", days=d)


@rule(r"(?<![\w.])(?P<s>q\.?d\.?|o\.?d\.?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?h\.?s\.?|"
      r"q\.?o\.?d\.?|b\.?i\.?w\.?|t\.?i\.?w\.?)(?![\w])", prio=5, flags=0)
def _sig(m):
    """Latin dosing abbreviations: "10 mg bid", "b.i.d."."""
    key = m.group("s").replace(".", "").lower()
    if key not in _SIG or (key in ("od",) and "." not in m.group("s")):
        return None
    if "." not in m.group("s") and not _DOSE_BEFORE.search(
            m.string[max(0, m.start() - 40):m.start()]):
        return None  # "bid" is also a noun (a takeover bid)
    period, times = _SIG[key]
    return _t(m.group(0), m.start(), m.end(), "SET", f"R/{period}", days=_period_days(period),
              freq=f"{times}X")


@rule(rf"{B}(?P<n>{N}|{VAGUE_NUMBER})\s+(?:(?:more|further|additional|consecutive|total|"
      rf"monthly|weekly|daily|treatment)\s+)?(?P<k>{_SCHEDULE_NOUNS}){E}", prio=3,
      key=_SCHEDULE_NOUNS)
def _schedule_count(m):
    n = parse_number(m.group("n"))
    if m.group("n").strip().lower() in ("a", "an") or (n is not None and n != int(n)):
        return None
    if n is not None and n > 100:
        return None
    t = _t(m.group(0), m.start(), m.end(), "SET", None)
    t.count = int(n) if n is not None else None
    return t


def _period_days(period: str) -> float | None:
    m = re.fullmatch(r"PT?(\d+(?:\.\d+)?)([A-Z])", period)
    if not m:
        return None
    unit = {"Y": "years", "W": "weeks", "D": "days"}.get(m.group(2))
    if unit is None:
        unit = "hours" if m.group(2) == "H" else ("minutes" if period.startswith("PT")
                                                  else "months")
    return iso_duration(float(m.group(1)), unit)[1]


_DOSE_BEFORE = re.compile(r"\b(?:\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|ug|ml|mL|IU|units?|"
                          r"tablets?|tabs?|capsules?|caps?|drops?|puffs?|mg/kg)|p\.?o\.?|"
                          r"orally|i\.?v\.?|s\.?c\.?|i\.?m\.?|topically|applied)\s*$", re.I)


@rule(rf"{B}(?P<n>{N}|several|many|a\s+few|multiple|numerous)\s+times{E}"
      rf"(?!\s+(?:the|a|an|higher|greater|lower|more|less|larger|smaller|normal|that|than|"
      rf"as|per|a\s+day|daily|weekly|monthly|an?\s+(?:week|month|year|day)))", prio=4, key=r"times")
def _times(m):
    n = parse_number(m.group("n"))
    if n is not None and (n != int(n) or m.group("n").lower() in ("a", "an")):
        return None
    t = _t(m.group(0), m.start(), m.end(), "SET", None)
    t.freq = f"{int(n)}X" if n is not None else "XX"
    t.count = int(n) if n is not None else None
    return t


# DATE --------------------------------------------------------------------------------------
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NOT_UNIT_AFTER = (r"(?!\s*(?:mg|g|mcg|µg|ug|ml|mL|l|L|IU|U|units?|mm|cm|m|km|kg|%|"
                   r"patients?|cases?|cells?|subjects?|people|persons?|participants?|"
                   r"children|women|men|individuals|beds?|[-–]?\s*fold|\$|dollars?|copies|"
                   r"x|×|/|:\d)\b)")


@rule(rf"(?<![\w$])(?:(?P<q>early|mid|late|beginning\s+of|end\s+of|the\s+end\s+of|"
      rf"the\s+beginning\s+of)[-\s]+)?(?P<m>{MONTH_NAME})(?:\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?)?"
      rf"(?:,?\s+(?P<y>{_YEAR}))?(?![\w])", prio=6, flags=0)
def _month_date(m):
    name = m.group("m")
    if name == "May" and not (m.group("d") or m.group("y")):
        before = m.string[max(0, m.start() - 8):m.start()].lower()
        if not re.search(r"\b(in|of|since|until|by|early|late|mid)\s*$", before):
            return None
    if not (m.group("d") or m.group("y")) and len(name) <= 4 and not name.endswith(".") \
            and name not in ("May", "June", "July"):
        return None  # "Jan", "Dec" alone are names more often than months
    if name in ("March", "Mar.") and not (m.group("d") or m.group("y")):
        before = m.string[max(0, m.start() - 8):m.start()].lower()
        if not re.search(r"\b(in|of|since|until|by|early|late|mid|from|to|and|through)\s*$",
                         before):
            return None
    month = _MONTHS.get(name.lower().rstrip(".")) or _MONTH_ABBR.get(name.lower().rstrip("."))
    if month is None:
        return None
    y, d = m.group("y"), m.group("d")
    if d and not 1 <= int(d) <= 31:
        return None
    value = f"{y or 'XXXX'}-{month:02d}" + (f"-{int(d):02d}" if d else "")
    q = (m.group("q") or "").lower()
    mod = "START" if ("early" in q or "beginning" in q) else "END" if (
        "late" in q or "end" in q) else None
    return _t(m.group(0), m.start(), m.end(), "DATE", value, mod=mod)


@rule(rf"(?<![\w$])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH_NAME}),?"
      rf"(?:\s+(?P<y>{_YEAR}))?(?![\w])", prio=7, flags=0)
def _day_month(m):
    month = _MONTHS.get(m.group("m").lower().rstrip(".")) or _MONTH_ABBR.get(
        m.group("m").lower().rstrip("."))
    if month is None or not 1 <= int(m.group("d")) <= 31:
        return None
    text = m.group(0).rstrip(",")
    return _t(text, m.start(), m.start() + len(text), "DATE",
              f"{m.group('y') or 'XXXX'}-{month:02d}-{int(m.group('d')):02d}")


def _valid_day(y: int, mo: int, d: int) -> bool:
    return 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]


@rule(rf"(?<![\w/.-])(?P<y>{_YEAR})(?P<sep>[-/])(?P<mo>\d{{1,2}})(?:(?P=sep)(?P<d>\d{{1,2}}))?"
      rf"(?![\w/.-])"
      rf"|(?<![\w/.-])(?P<y3>{_YEAR})\.(?P<mo3>\d{{1,2}})\.(?P<d3>\d{{1,2}})(?![\w/.-])"
      rf"|(?<![\w/.-])(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<y2>{_YEAR}|\d\d)(?![\w/.-])"
      rf"(?!\s*(?:mm\s*Hg|mmHg|cm|mm|mg|%))", prio=8)
def _numeric_date(m):
    if m.group("y") or m.group("y3"):
        y, mo, d = ((int(m.group("y")), int(m.group("mo")), m.group("d")) if m.group("y") else
                    (int(m.group("y3")), int(m.group("mo3")), m.group("d3")))
        if not 1 <= mo <= 12 or (d and not _valid_day(y, mo, int(d))):
            return None
        return _t(m.group(0), m.start(), m.end(), "DATE",
                  f"{y}-{mo:02d}" + (f"-{int(d):02d}" if d else ""))
    a, b, y2 = int(m.group("a")), int(m.group("b")), m.group("y2")
    y = int(y2) if len(y2) == 4 else (2000 if int(y2) < 40 else 1900) + int(y2)
    readings = {(mo, d) for mo, d in ((a, b), (b, a)) if _valid_day(y, mo, d)}
    if not readings:
        return None
    # day/month order unknown when both readings are valid: keep the text, no value
    value = None
    if len(readings) == 1:
        mo, d = next(iter(readings))
        value = f"{y}-{mo:02d}-{d:02d}"
    return _t(m.group(0), m.start(), m.end(), "DATE", value)


_YEAR_CTX = (r"(?:in|since|from|until|till|by|during|of|early|late|mid|between|and|to|"
             r"through|around|before|after|fiscal|year|circa|c\.|summer|winter|spring|fall|"
             r"autumn|the|end|beginning|into|due|both|for|a|an|that|this|its|his|her|their|"
             r"our|'s|–|-)")


@rule(rf"(?<![\w$.,/:-])(?P<q>(?:early|mid|late)[-\s])?(?P<y>{_YEAR})(?P<s>'?s)?(?![\w.,/%:-]\w)"
      rf"{_NOT_UNIT_AFTER}", prio=4, flags=0)
def _year(m):
    before = m.string[max(0, m.start() - 14):m.start()]
    after = m.string[m.end():m.end() + 3]
    if not (m.group("q") or m.group("s") or re.search(rf"\b{_YEAR_CTX}\s*,?\s*$", before, _F)
            or re.match(r"\s*[)\],;]|\s*$|\.\s|[-–]\d", after)):
        return None
    y = m.group("y")
    if m.group("s"):
        value = y[:3] if y.endswith("0") else None
    else:
        value = y
    q = (m.group("q") or "").lower()
    mod = "START" if q.startswith("early") else "END" if q.startswith("late") else None
    return _t(m.group(0), m.start(), m.end(), "DATE", value, mod=mod)


@rule(rf"{B}(?:(?P<rel>last|this|next|past|previous|coming|same|that|the\s+following|the\s+next"
      rf"|the\s+previous|the\s+same|earlier\s+this|later\s+this|early\s+next|late\s+last|"
      rf"early\s+this|late\s+this|early\s+last|the\s+(?:full|fiscal|current|latest|calendar|"
      rf"entire|whole|early|late|same)|early|late|mid|the)\s+)"
      rf"(?P<u>year|month|week|weekend|quarter|decade|century|{SEASON}|{WEEKDAY}|day|night|"
      rf"morning|afternoon|evening)(?:\s+of\s+(?P<y>{_YEAR}))?{E}", prio=5)
def _deictic_unit(m):
    u = m.group("u").lower()
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    if rel in ("early", "late", "mid") and not re.fullmatch(SEASON, u):
        return None
    if rel == "the" and u in ("quarter", "decade", "century"):
        return None  # "the quarter" has its own rule; "the decade" is rarely a time
    if rel in ("the full", "the entire", "the whole") and u in ("year", "month", "week", "day"):
        v, d = iso_duration(1, u)  # "the whole year" is a stretch of time
        return _t(m.group(0), m.start(), m.end(), "DURATION", v, days=d)
    if m.group("y"):
        season = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
        value = f"{m.group('y')}-{season[u]}" if u in season else m.group("y")
        return _t(m.group(0), m.start(), m.end(), "DATE", value)
    if u in ("decade", "century") and rel in ("last", "past", "next", "coming", "this",
                                              "the following", "the next", "the previous"):
        v, d = iso_duration(1, u)  # "the past decade" is a stretch of time, P10Y
        return _t(m.group(0), m.start(), m.end(), "DURATION", v, days=d)
    type_ = "TIME" if u in ("night", "morning", "afternoon", "evening") else "DATE"
    return _t(m.group(0), m.start(), m.end(), type_, None)


@rule(rf"{B}(?P<w>today|yesterday|tomorrow|tonight|overnight|now|currently|presently|nowadays|"
      rf"recently|(?:the\s+)?future|the\s+past|soon|to\s+date|"
      rf"(?:the\s+)?(?:year|month)[-\s](?:earlier|ago|end)|year-end|mid-?year|"
      rf"(?:christmas|thanksgiving|easter|new\s+year'?s)(?:\s+(?:day|eve|week))?|election\s+day|"
      rf"(?:the\s+)?(?:next|following|previous|same)\s+day)(?P<p>\s+{PART_OF_DAY})?{E}", prio=3)
def _deictic(m):
    w = re.sub(r"\s+", " ", m.group("w").lower())
    if w == "overnight":
        return _t(m.group(0), m.start(), m.end(), "DURATION", None)
    if w in ("tonight",) or m.group("p"):
        return _t(m.group(0), m.start(), m.end(), "TIME", None)
    value = _DCT_WORDS.get(w)
    if re.search(r"(next|following|previous|same) day", w):
        value = None
    return _t(m.group(0), m.start(), m.end(), "DATE", value)


@rule(rf"(?<![\w])(?P<d>{WEEKDAY})(?:\s+(?P<p>{PART_OF_DAY}))?(?![\w])", prio=4, flags=0)
def _weekday(m):
    return _t(m.group(0), m.start(), m.end(), "TIME" if m.group("p") else "DATE", None)


_QUARTER_ADJ = (r"first|second|third|fourth|1st|2nd|3rd|4th|latest|current|previous|same|"
                r"year-earlier|year-ago|fiscal")


@rule(rf"{B}(?:(?:the\s+)(?:(?:{_QUARTER_ADJ})[-\s]+)*quarter|(?:(?:{_QUARTER_ADJ})[-\s]+)+"
      rf"quarter|(?:fiscal|FY)\s*(?P<y>{_YEAR}))(?:\s+of\s+(?P<y2>{_YEAR}))?{E}", prio=5)
def _quarter(m):
    """Business quarters ("the third quarter of 1990" -> 1990-Q3); fiscal years keep the year."""
    value = m.group("y")
    q = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[-\s]+quarter", m.group(0), re.I)
    if m.group("y2") and q:
        n = parse_ordinal(q.group(1))
        value = f"{m.group('y2')}-Q{n}"
    return _t(m.group(0), m.start(), m.end(), "DATE", value)


@rule(rf"{B}(?:the\s+)?(?:(?P<n>{ORDINAL})|(?P<q>early|late|mid)[-\s]+(?P<n2>{ORDINAL}))"
      rf"[-\s]+century{E}", prio=6)
def _century(m):
    """"the 20th century" -> "19" (the first two digits of its years, as TimeML writes it)."""
    n = parse_ordinal(m.group("n") or m.group("n2"))
    if n is None:
        return None
    q = (m.group("q") or "").lower()
    return _t(m.group(0), m.start(), m.end(), "DATE", f"{n - 1:02d}",
              mod={"early": "START", "late": "END"}.get(q))


@rule(rf"{B}(?:the\s+)?(?P<p>end|beginning|start|middle)\s+of\s+(?:the|this|that|last|next)\s+"
      rf"(?:year|month|week|day|quarter){E}|{B}(?:the\s+)?(?:year|month)'s\s+(?P<e>end){E}", prio=6)
def _part_of_period(m):
    p = (m.group("p") or m.group("e")).lower()
    return _t(m.group(0), m.start(), m.end(), "DATE", None,
              mod="END" if p == "end" else "START" if p in ("beginning", "start") else None)


@rule(rf"{B}(?P<c>nineteen|eighteen)(?:\s+hundred(?:\s+and)?)?[\s-]+(?P<r>{N}){E}", prio=5)
def _spelled_year(m):
    """"nineteen ninety-six" -> 1996 (broadcast transcripts spell years out)."""
    r = parse_number(m.group("r"))
    if r is None or not 1 <= r <= 99 or r != int(r):
        return None
    century = 19 if m.group("c").lower() == "nineteen" else 18
    return _t(m.group(0), m.start(), m.end(), "DATE", f"{century}{int(r):02d}")


@rule(rf"{B}(?:(?:the|his|her|their)\s+)?(?P<p>19|20)(?P<d>\d)0'?s{E}", prio=5)
def _decade_date(m):
    return _t(m.group(0), m.start(), m.end(), "DATE", f"{m.group('p')}{m.group('d')}")


# TIME --------------------------------------------------------------------------------------
@rule(r"(?<![\w:.])(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?P<ap>[ap]\.?\s?m\.?)(?![\w])"
      r"|(?<![\w:.])(?:at\s+)(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\w:])(?!\s*[ap]\.?\s?m\b)"
      r"|(?<![\w])(?P<w>noon|midnight|midday)(?![\w])", prio=7)
def _clock(m):
    if m.group("w"):
        value = {"noon": "T12:00", "midday": "T12:00", "midnight": "T00:00"}[m.group("w").lower()]
        return _t(m.group(0), m.start(), m.end(), "TIME", value)
    if m.group("h2"):
        s = m.start("h2")
        return _t(m.string[s:m.end()], s, m.end(), "TIME",
                  f"T{int(m.group('h2')):02d}:{m.group('mi2')}")
    h = int(m.group("h"))
    if not 1 <= h <= 12:
        return None
    pm = m.group("ap").lower().startswith("p")
    h = (h % 12) + (12 if pm else 0)
    text = m.group(0)
    return _t(text, m.start(), m.end(), "TIME", f"T{h:02d}:{m.group('mi') or '00'}")


# --- detection -------------------------------------------------------------------------------
@lru_cache(maxsize=128)
def _detected(text: str) -> tuple[Timing, ...]:
    """`_detect` once per text (the timings stage and the evidence stage's ages read the same
    case sections); the Timings are copied out, as find_timings fills in their anchors."""
    return tuple(_detect(text))


def _detect(text: str) -> list[Timing]:
    cands: list[tuple[int, int, int, re.Match, Callable]] = []
    for rx, prio, fn, key in RULES:
        for ws, we in _windows(text, key):
            for m in rx.finditer(text, ws, we):
                if m.end() > m.start():
                    cands.append((m.start(), m.end(), prio, m, fn))
    # longest first, then higher priority; build lazily, keep non-overlapping
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    starts: list[int] = []  # taken spans never overlap, so starts and ends sort together
    ends: list[int] = []

    def free(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, e)
        return i == 0 or ends[i - 1] <= s

    out: list[Timing] = []
    for s, e, _, m, fn in cands:
        if not free(s, e):
            continue
        t = fn(m)
        if t is None or not free(t.char_start, t.char_end):
            continue
        t.text = text[t.char_start:t.char_end]
        i = bisect.bisect_left(starts, t.char_start)
        starts.insert(i, t.char_start)
        ends.insert(i, t.char_end)
        out.append(t)
    out.sort(key=lambda t: t.char_start)
    return _merge_schedules(text, out)


_SCHEDULE_GLUE = re.compile(r"\s*(?:,\s*)?(?:for|x|×|over|in)?\s*", re.I)


def _merge_schedules(text: str, ts: list[Timing]) -> list[Timing]:
    """"monthly for six sessions" -> one SET R6/P1M with count 6."""
    out: list[Timing] = []
    i = 0
    while i < len(ts):
        a = ts[i]
        b = ts[i + 1] if i + 1 < len(ts) else None
        if (b is not None and a.type == "SET" and b.type == "SET"
                and (a.count is None) != (b.count is None)
                and _SCHEDULE_GLUE.fullmatch(text, a.char_end, b.char_start)):
            freq, cnt = (a, b) if a.count is None else (b, a)
            if freq.value and freq.value.startswith("R/") and cnt.count:
                freq.value = f"R{cnt.count}/{freq.value[2:]}"
            freq.count = cnt.count
            freq.char_start, freq.char_end = a.char_start, b.char_end
            freq.text = text[a.char_start:b.char_end]
            out.append(freq)
            i += 2
            continue
        out.append(a)
        i += 1
    return out


# --- anchoring -------------------------------------------------------------------------------
# event kind -> cue words (regex fragments, matched on word starts). Table-driven so a
# reviewer can add the vocabulary of a new topic.
EVENT_CUES: list[tuple[str, str]] = [
    ("follow_up", r"follow(?:ed|ing)?[-\s]?up|follow-?up|followed(?!\s+by)|lost\s+to|reviewed|"
                  r"re-?evaluat\w*|revisit\w*|seen\s+(?:again|in\s+(?:the\s+)?clinic)|"
                  r"surveillance|monitored|check-?up|recall\w*|remain\w*|\w+-free"),
    ("resolution", r"resol\w+|clear\w*|subsid\w+|disappear\w*|heal\w*|improv\w*|regress\w*|"
                   r"remission|fad\w+|recover\w*|normali[sz]\w*|resorb\w*|resorption|abat\w+|"
                   r"shrank|shrunk|flatten\w*|reduc\w+|decreas\w+|softened|remitted|"
                   r"free\s+of|no\s+recurrence|recurrence|relapse\w*"),
    ("diagnosis", r"diagnos\w+|biops\w+|confirm\w*|histolog\w+|histopatholog\w+|patholog\w+|"
                  r"radiograph\w*|x-?rays?|ultraso\w+|sonograph\w*|imaging|scan\w*|CT|MRI|"
                  r"revealed|detected|identified|showed|demonstrated|examin\w+|workup|"
                  r"work-up|tested|test\w*|laboratory|cultures?"),
    ("treatment", r"treat\w*|therap\w+|sessions?|cycles?|courses?|doses?|dosing|excis\w+|"
                  r"surg\w+|operat\w+|resect\w+|laser|MNRF|microneedl\w+|ablat\w+|"
                  r"applied|applications?|appl(?:y|ied)|prescri\w+|administ\w+|started\s+on|"
                  r"initiat\w+|commenc\w+|medications?|ointment|cream|tacrolimus|"
                  r"thiosulfate|bisphosphonate\w*|steroids?|corticosteroid\w*|antibiotic\w*|"
                  r"regimen|infusions?|injections?|received|given|took|taking|tapered|"
                  r"discontinu\w+|stopped|anesthe\w+|dressings?|chemotherap\w+|radiotherap\w+|"
                  r"radiofrequency|underwent|undergone|transfer|hemodialysis|dialysis|"
                  r"mg|mcg|µg|tablets?|capsules?"),
    ("exposure", r"graft\w*|extravasat\w+|infiltrat\w+|exposure|exposed|injur\w+|trauma\w*|"
                 r"burns?|bites?|vaccinat\w+|tattoo\w*|venipunctur\w+|heel\s+sticks?|"
                 r"catheter\w*|cannula\w*|intravenous|IV|transfus\w+|implant\w*|filler\w*|"
                 r"ingest\w+|contact|accident\w*|fall|fell|stick\w*|punctur\w+|"
                 r"calcium\s+gluconate|extravasation"),
    ("onset", r"onset|appear\w*|develop\w*|notic\w+|present(?:ed)?\s+for|presented|"
              r"present\b|began|begun|start\w*|arose|aris\w+|emerg\w+|complain\w*|"
              r"history|long-?standing|evolv\w+|grew|growing|enlarg\w+|persist\w*|"
              r"lasting|duration|symptoms?|lesions?|nodules?|papules?|mass|swelling|pain|"
              r"fever|rash|plaques?|ulcer\w*|erythema|itch\w*|prurit\w+|cough|headaches?|"
              r"weakness|discharge|bleeding|had\s+(?:been\s+)?present|first"),
]
_CUE_RES = [(k, re.compile(rf"(?<![\w-])(?:{p})(?![\w])", re.I)) for k, p in EVENT_CUES]
_KIND_RANK = {k: i for i, (k, _) in enumerate(EVENT_CUES)}

_ANCHOR_LEAD = re.compile(
    r"^\s*(?:,\s*)?(?P<p>after|following|post[-\s]?|since|from|prior\s+to|before|preceding|"
    r"of|into|postoperatively\s+after)\s*(?P<np>[^.,;:()\n]{1,80})", re.I)
_NP_STOP = re.compile(
    r"\s(?:was|were|is|are|had|has|have|and|but|which|that|when|while|with|without|who|"
    r"as|at|on|in|for|by|to|he|she|they|it|there|showed|revealed|developed|began|"
    r"presented|the\s+patient|however|because|during|until|after|before)\b.*$", re.I)
_DET = re.compile(r"^(?:the|a|an|his|her|their|this|that|its)\s+", re.I)
_ANCHOR_OF_MODS = {"LESS_THAN_OR_EQUAL", "LESS_THAN", "MORE_THAN", "MORE_THAN_OR_EQUAL"}
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9(\[\"])|\n\s*\n")


def _sentences(text: str, doc=None) -> list[tuple[int, int]]:
    if doc is not None and doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    bounds, start = [], 0
    for m in _SENT_END.finditer(text):
        if re.search(r"\b(?:al|e\.g|i\.e|vs|Dr|Fig|approx|ca|no|St)\.$",
                     text[max(start, m.start() - 6):m.start()]):
            continue
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _anchor(text: str, t: Timing, sent_end: int) -> tuple[str | None, int]:
    """The reference event after "following", "after", "post", "of" (for bounds) and where
    its clause ends (cue words in it describe the anchor, not the timed event)."""
    after = text[t.char_end:sent_end]
    m = _ANCHOR_LEAD.match(after)
    if not m:
        q = re.match(rf"(?P<q>{_DAY_QUAL})\s+(?:day|week|month)", t.text, re.I)
        if q:
            key = re.sub(r"[-\s]", "", q.group("q").lower())
            return _DAY_ANCHOR.get(key, key.removeprefix("post")), t.char_end
        return None, t.char_end
    prep = m.group("p").lower().strip()
    if prep == "of" and not (t.mod in _ANCHOR_OF_MODS or t.type == "DATE"):
        return None, t.char_end
    if prep == "from" and t.relation is None and t.type != "DATE":
        return None, t.char_end
    clause_end = t.char_end + m.end()
    np = _NP_STOP.sub("", " " + m.group("np")).strip()
    # without a parse, a past-tense word after the head noun starts the verb phrase
    np = re.sub(r"(?<!\bthe)(?<!\ba)(?<!\ban)(?<!\bhis)(?<!\bher)\s+\w+ed\b.*$", "", np)
    np = _DET.sub("", np).strip()
    if not np:
        return None, t.char_end
    np = _NP_ANCHOR.get(np.lower(), np)
    if t.relation is None:
        t.relation = "before" if prep in ("prior to", "before", "preceding") else "after"
    return np, clause_end


_NP_ANCHOR = {"life": "birth", "age": "birth"}  # "day 2 of life" is measured from birth
_DAY_ANCHOR = {"postoperative": "operation", "postop": "operation", "post-op": "operation",
               "hospital": "admission", "hospitalization": "admission", "admission": "admission",
               "illness": "onset", "treatment": "treatment start", "postpartum": "delivery",
               "postnatal": "birth", "life": "birth", "gestational": "conception"}


# an article's history line ("Received: 3 May 2021; accepted 9 June 2021"): the label stands
# right before the date, and is capitalised, followed by a colon, or follows another such
# label, so "she received 5 mg on 3 May" keeps its treatment reading
_HISTORY_WORD = r"received|revised|accepted|published|submitted|available"
_HISTORY_LABEL = re.compile(
    rf"(?<![\w-])(?P<label>{_HISTORY_WORD})(?:\s+online|\s+in\s+revised\s+form)?"
    r"(?P<colon>\s*:)?\s*(?:on\s+)?$", re.I)
_HISTORY_START = re.compile(rf"(?<![\w-])(?:{_HISTORY_WORD.title()}|(?i:history|{_HISTORY_WORD})\s*:)")


def _classify(text: str, t: Timing, s0: int, s1: int, anchor_end: int,
              doc=None) -> tuple[str | None, str]:
    if t.type == "AGE":
        return None, "age"
    if t.type == "DATE":
        label = _HISTORY_LABEL.search(text, max(s0, t.char_start - 40), t.char_start)
        if label and _HISTORY_START.search(text, s0, label.end()):
            return label.group("label").lower(), "publication"
    if doc is not None and doc.has_annotation("DEP"):
        found = _classify_parse(doc, t)
        if found:
            return found
    # clause first: cues between the nearest ; or , boundaries, then the whole sentence
    best: tuple[float, str, str] | None = None
    for kind, rx in _CUE_RES:
        for m in rx.finditer(text, s0, s1):
            if t.char_start <= m.start() < anchor_end:
                continue  # the timing itself, or the anchor clause that follows it
            gap = t.char_start - m.end() if m.end() <= t.char_start else m.start() - t.char_end
            between = text[min(m.end(), t.char_end):max(m.start(), t.char_start)]
            dist = gap + 40 * len(re.findall(r"[;,]|\band\b|\bwhich\b", between))
            if kind == "onset" and _FINDING.fullmatch(m.group(0)):
                # a finding is a weaker cue than a predicate, the more so for a schedule
                dist += 50 if t.type == "SET" else 25
            dist += _KIND_RANK[kind] * 0.5
            if best is None or dist < best[0]:
                best = (dist, kind, m.group(0))
    if best is None:
        return None, "treatment" if t.type == "SET" else "other"
    kind = best[1]
    if kind == "treatment" and t.relation == "before" and t.type == "DATE" \
            and _PAST_PROCEDURE.fullmatch(best[2]):
        kind = "exposure"  # "filler injections 8 years ago": a past procedure is the exposure
    return best[2].lower(), kind


_FINDING = re.compile(r"lesions?|nodules?|papules?|mass|swelling|pain|fever|rash|symptoms?|"
                      r"first|plaques?|ulcer\w*|erythema|itch\w*|prurit\w+|cough|headaches?|"
                      r"weakness|discharge|bleeding", re.I)
_PAST_PROCEDURE = re.compile(r"inject\w*|surg\w+|operat\w+|procedures?|transfer|underwent|"
                             r"undergone|implant\w*|infusions?|received|given|performed", re.I)


def _classify_parse(doc, t: Timing) -> tuple[str, str] | None:
    span = doc.char_span(t.char_start, t.char_end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for anc in [tok, *tok.ancestors]:
        if anc.i >= span.start and anc.i < span.end:
            continue
        if anc.pos_ in ("VERB", "NOUN", "PROPN", "ADJ") or anc.dep_ == "ROOT":
            for kind, rx in _CUE_RES:
                if rx.fullmatch(anc.text) or rx.fullmatch(anc.lemma_ or ""):
                    return anc.text.lower(), kind
            if anc.pos_ == "VERB":
                return None
    return None


def find_timings(text: str, doc=None) -> list[Timing]:
    """`text`: any text (a sentence or a whole document); offsets are into `text`. `doc`:
    optional spaCy Doc over the same text (with a dependency parse if available) used for
    anchoring; without it a sentence-level fallback is used."""
    timings = [replace(t) for t in _detected(text)]
    if not timings:
        return timings
    sents = _sentences(text, doc)
    si = 0
    for t in timings:
        while si < len(sents) - 1 and sents[si][1] <= t.char_start:
            si += 1
        s0, s1 = sents[si]
        t.anchor, anchor_end = _anchor(text, t, s1)
        t.event, t.event_kind = _classify(text, t, s0, s1, anchor_end, doc)
    return timings


def timings_frame(timings: Iterable[Timing], text: str | None = None, **columns):
    """Timings as a DataFrame in the `timings` table's shape: a `timing_id`, the `sentence`
    each came from when `text` is given, and extra keyword columns (doc_id=...) broadcast."""
    import pandas as pd

    timings = list(timings)
    df = pd.DataFrame([t.to_dict() for t in timings], columns=list(Timing.__dataclass_fields__))
    df.insert(0, "timing_id", range(len(df)))
    if text is not None:
        sents = _sentences(text)
        df["sentence"] = [next((text[a:b].strip() for a, b in sents if a <= t.char_start < b),
                               None) for t in timings]
    for k, v in reversed(list(columns.items())):
        df.insert(0, k, v)
    return df


TIMING_KINDS = {"abstract", "introduction", "case", "methods", "results", "discussion",
                "conclusion", "other", "caption", "table"}


@stage("timings")
def timing_records(doc: Document, cfg: RunConfig) -> Records:
    """`timings` rows of every prose section (not the reference list's years)."""
    return {"timings": doc.memo("timings", lambda: _timing_rows(doc))}


def _timing_rows(doc: Document) -> list[dict]:
    sents = sentence_index(doc)
    rows = []
    for sec in doc.sections:
        if sec.kind not in TIMING_KINDS:
            continue
        for t in find_timings(doc.text[sec.char_start:sec.char_end]):
            start, end = sec.char_start + t.char_start, sec.char_start + t.char_end
            rows.append(dict(t.to_dict(), doc_id=doc.doc_id, timing_id=len(rows), section=sec.kind,
                             sentence=sents.sentence(start), page=doc.page_at(start),
                             char_start=start, char_end=end))
    return rows
