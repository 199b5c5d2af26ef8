"""Personal names: one model for reference lists, a report's own authors and the exports.

A name printed in any of the usual orders ("Reiter NM", "Reiter, N. M.", "N. M. Reiter",
"Noelle Reiter", "De Witt A", "Jan van der Berg", "Smith J Jr", "Le Roux É") parses into
family name (with its particles: de, van, von, le, da, Al-...), given names or initials
(accented and multi-letter ones, "Ch." and "Th." kept whole) and a generational suffix
(Jr, Sr, II...). Everything that needs a family name, initials or an inverted form asks
`parse_name`, so the graph's "De Witt 2019" label, the BibTeX author and the blocking key
of the work merge agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos", "das",
    "ter", "ten", "bin", "ibn", "al", "el", "zu",
}
SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|v|2nd|3rd|4th)\.?$", re.I)
_LATIN = [chr(c) for c in range(0xC0, 0x250)]
_UP = "[A-Z" + "".join(c for c in _LATIN if c.isupper()) + "]"  # with É, Å, Ö, Ł...
_LO = "[a-z" + "".join(c for c in _LATIN if c.islower()) + "]"


@dataclass(frozen=True)
class PersonName:
    family: str
    given: str = ""  # as printed: "Noelle", "N. M.", "Ch." ("" when only initials came)
    initials: str = ""  # "NM", "É", "ChR"
    suffix: str = ""  # "Jr", "Sr", "II"

    @property
    def vancouver(self) -> str:
        """'Family Initials Suffix': the form reference lists print and `references` keeps."""
        return " ".join(p for p in (self.family, self.initials, self.suffix) if p)

    @property
    def display(self) -> str:
        """'Given Family Suffix' when the given names are known, else the Vancouver form."""
        if not self.given or is_initials(self.given):
            return self.vancouver
        return " ".join(p for p in (self.given, self.family, self.suffix) if p)

    @property
    def dotted_given(self) -> str:
        """Given names as printed, or the initials dotted: 'NM' -> 'N. M.', 'ChR' -> 'Ch. R.'."""
        if self.given and not is_initials(self.given):
            return self.given
        return " ".join(f"{p}." for p in _initial_parts(self.initials))

    @property
    def bibtex(self) -> str:
        """BibTeX's 'von Last, Jr, First' ('De Witt, A.', 'Smith, Jr, J.', 'Nilsson, Å.')."""
        given = self.dotted_given
        return ", ".join(p for p in (self.family, self.suffix, given) if p) if given or self.suffix \
            else self.family

    @property
    def ris(self) -> str:
        """RIS's 'Last, First, Suffix' ('Smith, J., Jr')."""
        return ", ".join(p for p in (self.family, self.dotted_given, self.suffix) if p)

    @property
    def first_initial(self) -> str:
        parts = _initial_parts(self.initials)
        return parts[0][0] if parts else ""


def _initial_parts(initials: str) -> list[str]:
    """'NM' -> ['N', 'M']; 'ChR' -> ['Ch', 'R'] (an upper-case letter and its lower-case ones)."""
    return re.findall(rf"{_UP}{_LO}*", initials)


def is_initials(token: str) -> bool:
    """'N', 'NM', 'N.M.', 'J.-P.', 'É', 'Ch.', 'ÅB' (at most four letters, no lower-case
    run longer than one letter after a capital, dotted when a lower-case letter is in it)."""
    s = token.strip()
    if not s or len(s) > 12:
        return False
    compact = re.sub(r"[\s.\-‐]", "", s)
    if not compact.isalpha():
        return False
    if compact.isupper():
        return len(compact) <= (4 if "." in s else 3)
    return bool(re.fullmatch(rf"(?:{_UP}{_LO}?\.\s?[-‐]?\s?)+", s))


def _initials(given: str) -> str:
    """'N. A.' / 'NA' / 'Nicole Anne' / 'J.-P.' / 'Ch.' -> 'NA' / 'NA' / 'NA' / 'JP' / 'Ch'."""
    given = given.strip()
    compact = re.sub(r"[\s.\-‐]", "", given)
    if compact.isupper() and compact.isalpha():
        return compact
    if is_initials(given):
        return "".join(p for p in re.split(r"[\s.\-‐]+", given) if p)
    return "".join(p[0].upper() for p in re.split(r"[\s.\-‐]+", given) if p and p[0].isalpha())


def _family(text: str) -> str:
    s = text.strip(" ,;.")
    if s.isupper() and len(s) > 3:  # "REITER" -> "Reiter", "O'NEAL" -> "O'Neal"
        s = re.sub(r"(?<=[^\W\d_])[^\W\d_]+", lambda m: m.group().lower(), s)
        s = re.sub(r"(?<=['\-\s])[^\W\d_]", lambda m: m.group().upper(), s)
    return s


def _particle(token: str) -> bool:
    return token.lower().rstrip(".") in PARTICLES


def _four_initials(words: list[str]) -> bool:
    """'van Gelder MMHJ': four capitals after a family name in mixed case are initials,
    not an acronym (is_initials stops at three undotted capitals, for 'WHO' or 'CLSI')."""
    last = words[-1]
    return len(last) == 4 and last.isalpha() and last.isupper() and \
        any(w[:1].isupper() and not w.isupper() for w in words[:-1])


def parse_name(text: str) -> PersonName | None:
    """One printed name -> PersonName (None when it holds no letter)."""
    s = re.sub(r"\s+", " ", str(text or "")).strip(" ,;")
    suffix = ""
    m = re.search(r"(?:,\s*|\s+)((?:Jr|Sr|II|III|IV|2nd|3rd|4th)\b\.?)$", s)
    if m and m.start() > 0:
        suffix, s = m.group(1).rstrip("."), s[:m.start()].strip(" ,")
    if not any(c.isalpha() for c in s):
        return None
    if "," in s:  # "Reiter, N. M." / "van der Berg, Jan" / "Smith, J., Jr" (suffix gone above)
        family, given = (p.strip() for p in s.split(",", 1))
        given = given.strip(" ,")
        return PersonName(_family(family), given, _initials(given), suffix)
    words = s.split(" ")
    if len(words) == 1:
        return PersonName(_family(words[0]), suffix=suffix)
    # Vancouver puts initials last ("Reiter N", "De Witt A", "Le Roux É"); dotted initials
    # first ("N. A. Reiter", "J.-P. van der Berg") mean given names first
    if not (is_initials(words[0]) and (words[0].endswith(".") or not is_initials(words[-1]))):
        tail: list[str] = []
        while len(words) > 1 and (is_initials(words[-1]) or _four_initials(words)):
            tail.insert(0, words.pop())
        if tail:
            given = " ".join(tail)
            return PersonName(_family(" ".join(words)), given, _initials(given), suffix)
    # given names first: the family starts at its first particle ("Jan van der Berg",
    # "Pierre Le Roux") or is the last word; "Al-Rashid" is one word already
    k = len(words) - 1
    while k > 0 and _particle(words[k - 1]):
        k -= 1
    if k == 0:  # "von Dullemen"
        return PersonName(_family(" ".join(words)), suffix=suffix)
    given = " ".join(words[:k])
    return PersonName(_family(" ".join(words[k:])), given, _initials(given), suffix)


_PART = "(?:" + "|".join(sorted(PARTICLES | {"do", "dal", "dei", "des"}, key=len, reverse=True)) + r")\s"
_FAMILY_WORD = rf"(?:{_PART})*{_UP}[\w'’\-]*"
_FAMILY = rf"{_FAMILY_WORD}(?:\s{_FAMILY_WORD}){{0,2}}"
_SUFFIX = r"(?:,?\s(?:Jr|Sr|II|III|IV))?"
_END_OF_NAME = r"(?![\w'’\-])"
_ET_AL = re.compile(r",?\s+et\s+al\.?")


@dataclass(frozen=True)
class _ListShape:
    """One printed shape of an author list: a name, what separates two, what follows the last."""

    name: re.Pattern
    separator: re.Pattern
    stop: re.Pattern


# after a list's last name, what says the name goes on instead ("Seaton M. J., ...",
# "John C. Baez, ...", "Rafelski J. and Muller B.", "Farmer, J. Dean.", "Carey, J. C, ...")
_NAME_GOES_ON = rf"\s*(?:(?:and|&|et|y|und)\s|{_UP}[\w'’\-]*(?:\s?[,.(\"\u201c]|\s(?:and|&)\s))"
_LIST_SHAPES = (
    # Vancouver "Moreau PL, de Almeida I, Uma Devi P" up to its full stop or (BMC) colon
    _ListShape(re.compile(rf"{_FAMILY}\s{_UP}{{1,4}}{_SUFFIX}{_END_OF_NAME}"), re.compile(r"\.?,\s"),
               re.compile(rf"[.:](?:\s|$)(?!{_NAME_GOES_ON})")),
    # initials first (Hindawi, IEEE) "L. P. Moreau, M. M. H. J. van Gelder, and A. C. Le Roux"
    # up to the comma before the quoted title
    _ListShape(re.compile(rf"(?:{_UP}{_LO}?\.\s?(?:-\s?)?)+\s?{_FAMILY}{_SUFFIX}\.?{_END_OF_NAME}"),
               re.compile(r",\s(?:and\s)?|\sand\s"), re.compile(r",\s?[\u201c\"\u2018]")),
    # inverted (MDPI, ACS, APA) "Moreau, P.L.; de Almeida, I." / "Moreau, P. L., & Le Roux, A."
    # up to the title or the year in brackets
    _ListShape(re.compile(rf"{_FAMILY},\s?(?:{_UP}{_LO}?\.\s?(?:-\s?)?)*{_UP}{_LO}?\.{_SUFFIX}\.?{_END_OF_NAME}"),
               re.compile(r"[;,]\s(?:and\s|&\s)?|\s(?:and|&)\s"),
               re.compile(rf"\s(?:\((?:1[89]|20)\d\d|(?!{_NAME_GOES_ON}){_UP})")),
)


def author_list_end(text: str) -> int | None:
    """Where the author list that opens a reference string ends, when it is printed in
    one of the two regular shapes (Vancouver 'Moreau PL, de Almeida I.' or initials first
    'L. P. Moreau, A. C. Francesconi do Vale et al., "Title'); None otherwise. Names are
    matched one at a time (a whole-list pattern backtracks exponentially on long lists)."""
    for shape in _LIST_SHAPES:
        m = shape.name.match(text)
        if not m:
            continue
        end = m.end()
        while (sep := shape.separator.match(text, end)) and (m := shape.name.match(text, sep.end())):
            end = m.end()
        ends = [end]
        if et_al := _ET_AL.match(text, end):  # "et al." keeps its full stop unless it ends the list
            ends = [et_al.end() - (text[et_al.end() - 1] == "."), et_al.end()]
        for end in ends:
            if shape.stop.match(text, end):
                return end
    return None


def is_suffix(text: str) -> bool:
    """'Jr', 'Jr.', 'III': a generational suffix a comma split off its name."""
    return bool(SUFFIX.match(text.strip()))


def attach_suffixes(names: list[str]) -> list[str]:
    """['Smith J', 'Jr', 'Doe A'] -> ['Smith J Jr', 'Doe A']: a list split at commas."""
    out: list[str] = []
    for n in names:
        if out and is_suffix(n):
            out[-1] = f"{out[-1]} {n.strip().rstrip('.')}"
        else:
            out.append(n)
    return out
