"""Patient facts for the reported patient(s): age in years (also for age groups such as
"several weeks of age" or "a premature neonate"), sex and comorbidities; one record per
patient, a report introducing several patients ("Case 1", "the second case was...")
gives several. A relative with an age ("her 70-year-old mother") is no patient, and an age
tied to a person word ("a 12-year-old girl") outranks a bare one ("at the age of 5")."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.timings.expressions import find_timings

PERSON = {
    "man": "male", "male": "male", "boy": "male", "gentleman": "male", "father": "male", "son": "male",
    "woman": "female", "female": "female", "girl": "female", "lady": "female", "mother": "female",
    "daughter": "female", "primigravida": "female", "multigravida": "female", "primipara": "female",
    "multipara": "female", "pregnant woman": "female", "housewife": "female",
    "brother": "male", "husband": "male", "grandfather": "male", "uncle": "male", "nephew": "male",
    "sister": "female", "wife": "female", "grandmother": "female", "aunt": "female", "niece": "female",
    "patient": None, "child": None, "infant": None, "neonate": None, "newborn": None, "baby": None,
    "adolescent": None, "toddler": None, "individual": None, "person": None, "twin": None,
    "sibling": None, "cousin": None, "proband": None,
    "student": None, "worker": None, "farmer": None, "athlete": None, "soldier": None, "traveller": None,
    "traveler": None, "teacher": None, "nurse": None,
}
_PERSON_RE = re.compile(r"\b(" + "|".join(PERSON) + r")s?\b", re.I)
KIN = {"father", "mother", "son", "daughter", "brother", "sister", "husband", "wife", "grandfather",
       "grandmother", "uncle", "aunt", "nephew", "niece", "sibling", "cousin"}
# "her 8-year-old son", "his father, a 60-year-old man," "the patient's mother (aged 50)"
_POSSESSIVE = r"(?:his|her|their|its|whose|[a-z]+['\u2019]s)"
_OWN_KIN = re.compile(_POSSESSIVE + r"\s+(?:[\w-]+\s+){0,2}$", re.I)
_KIN_BEFORE = re.compile(_POSSESSIVE + r"\s+(?:[\w-]+\s+)?(?:" + "|".join(KIN) + r")s?\b[^.;]{0,25}$", re.I)
# ... unless brought in by the one whose relative it is ("a mother brought her 3-year-old son")
_BROUGHT = re.compile(r"\b(?:brought|took|carried|rushed)\b", re.I)
# the patient's current age against an earlier one ("first seen at 5 ... now 12 years old")
_NOW = re.compile(r"\b(?:now|currently|presently|at present|today)\b[^.;]{0,15}$", re.I)
_PRESENTED = re.compile(r"(?<!first )(?<!initially )\b(?:presented|admitted|referred|hospitali[sz]ed|came to|"
                        r"visited)\b", re.I)
# sex stated without a person word: obstetric history, menopause, courtesy titles
_FEMALE_CUE = re.compile(r"\b(?:G\d+\s?P\d+|gravida\s*\d|para\s*\d|(?:post|pre|peri)-?menopausal|pregnant)\b"
                         r"|\bM(?:rs|s)\b\.?\s+[A-Z]|\b(?i:sex|gender)\s*:\s*(?i:female|F)\b")
_MALE_CUE = re.compile(r"\bMr\b\.?\s+[A-Z]|\b(?i:sex|gender)\s*:\s*(?i:male|M)\b")
# age groups named without a number: (pattern, age in years)
AGE_GROUPS = [
    (re.compile(r"\b(?:premature|preterm|term)?\s*(?:neonate|newborn)s?\b", re.I), 0.0),
    (re.compile(r"\b(?:premature|preterm) (?:infant|baby)\b", re.I), 0.0),
    # "born by caesarean section at 34 weeks of gestation": the patient's own birth
    (re.compile(r"\bborn\b[^.;]{0,60}?\bat \d{2}(?:\+\d)? weeks(?: of gestation|'? gestation|"
                r" of gestational age)", re.I), 0.0),
    # a child delivered in the case: "delivered a male infant", "a baby girl was born"
    (re.compile(r"\b(?:delivered|gave birth to)\s+(?:a|an|her|the)?\s*(?:live |preterm |premature |term )?"
                r"(?:(?:male|female) (?:infant|baby|neonate|newborn)|baby (?:boy|girl)|boy|girl)\b"
                r"|\b(?:(?:male|female) (?:infant|baby)|baby (?:boy|girl))(?= (?:was|were) (?:born|delivered))",
                re.I), 0.0),
]
# a report about a newborn or fetus (its title says so): its pregnant mother is a relative
NEWBORN_REPORT = re.compile(r"\b(?:neonat\w*|newborns?|fetus|fetal|foetal|foetus|prenatal\w*|antenatal\w*|"
                            r"infants?|bab(?:y|ies))\b", re.I)
_PREGNANCY = re.compile(r"\b(?:pregnan\w*|gravida|primi\w+|multi(?:gravida|para)|G\d+\s?P\d+|gestation\w*|"
                        r"delivered|gave birth)\b", re.I)
# a fetus with a stated sex is the patient of a prenatal report, not its pregnant mother
FETUS = re.compile(r"\b(male|female) (?:fetus|foetus)\b", re.I)
GRAVIDA = {"primigravida", "multigravida", "primipara", "multipara", "pregnant woman"}
_N_OLD = re.compile(r"\b(\d{1,3}(?:\.\d)?)[-\s](year|month|week|day)s?[-\s]?old\b", re.I)
# ages the timing finder leaves out or cuts: "45 y/o", "a 2-year, 3-month-old", "a woman of 45
# years", "(45 years, female)", "Age: 45 years"
_Y = r"(?:years?|yrs?|y)"
_MORE_AGES = [
    re.compile(r"\b(\d{1,2})[-\s]" + _Y + r"[,-]?\s*(?:and\s+)?(\d{1,2})[-\s]months?"
               r"(?:[-\s]old\b|\s+of\s+age\b)", re.I),
    re.compile(r"\baged\s+(\d{1,2})\s+" + _Y + r",?\s*(?:and\s+)?(\d{1,2})\s+months?\b", re.I),
    re.compile(r"\b(\d{1,3})[-\s]?(?:y/o|y\.o\.?|yo)(?=\W)", re.I),
    re.compile(r"\b(?:" + "|".join(PERSON) + r"),? (?:aged |of )(\d{1,3})\s+" + _Y
               + r"\b(?!\s+(?:ago|before|earlier))", re.I),
    re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+)?(?:" + "|".join(PERSON) + r"),\s+(\d{1,3})(?=,)", re.I),
    re.compile(r"(?<=\()(\d{1,3})\s?" + _Y + r"\b(?=,?\s*(?:male|female|man|woman|[MF]\b))", re.I),
    re.compile(r"\bage\s*:\s*(\d{1,3})\b(?:\s*" + _Y + r"\b)?", re.I),
]
# an age without a person word, said to be one
_SAID_AGE = re.compile(r"\baged?\b|\b(?:of age|old)\b", re.I)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
# PDF text writes hyphens and spaces as many code points; one for one keeps the offsets
_PLAIN = str.maketrans({c: "-" for c in "\u00ad\u2010\u2011\u2012\u2013\u2014\u2212"}
                       | {c: " " for c in "\u00a0\u2002\u2005\u2009\u202f"})
_BOUND = re.compile(r"\b(?:under|over|below|above|than|least|most)[-\s]*(?:the\s+)?$|[<>\u2264\u2265]\s*$", re.I)
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.\s+(?=[A-Z(])|[;\n]")
_PRONOUN_F = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_PRONOUN_M = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_ORDINAL_CASE = re.compile(r"\b(?:(?:first|second|third|fourth|fifth) (?:case|patient|twin)|"
                           r"(?:case|patient|twin) (?:#\s?|no\.\s?)?(?:\d|[IVX]+|one|two|three|four|five)\b)|"
                           r"(?-i:\b(?:Case|Patient|Twin|CASE|PATIENT|TWIN) [A-E]\b)", re.I)
# a report stating how many patients it reports: "we describe two siblings", "... in twins"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4, "twin": 2, "twins": 2}
_GROUP = r"(?:cases|patients|siblings|brothers|sisters|children|family members|members|infants|neonates|adults)"
_COUNT = re.compile(r"\b(?:report|describe|present)(?:s|ed|ing)?\b[^.;]{0,40}?\b(two|three|four|2|3|4)\s+(?:[\w-]+\s+)?"
                    + _GROUP + r"\b", re.I)
_TITLE_COUNT = re.compile(r"\b(two|three|four|2|3|4)\s+(?:[\w-]+\s+)?" + _GROUP + r"\b|\b(twins)\b", re.I)
_COMORB = re.compile(r"\b(?:(?:past )?(?:medical )?history of|known|diagnosed with|other conditions were|"
                     r"suffering from|comorbidities (?:included|were)|background of)\s+([^.;:]{3,160})", re.I)
# an age group after "of (the)" ends a disease's name ("haemolytic disease of the newborn")
_DISEASE_OF = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
_NEGATED = re.compile(r"\b(?:no|not|denied|without|negative)\W+(?:\w+\W+){0,2}$", re.I)
_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
# how an age is tied to its person, best first: "a 12-year-old girl" or "now 12 years old";
# a bare "at the age of 5"; a relative's "her 70-year-old mother"
RANK = {"person": 2, "mother": 2, "age": 1, "relative": 0}


@dataclass
class Patient:
    age_years: float | None = None
    age_text: str | None = None
    sex: str | None = None
    comorbidities: list[str] = field(default_factory=list)
    char_start: int | None = None
    char_end: int | None = None
    anchor: str = "person"  # how the age is tied to its person: a key of RANK ("mother": pregnant)


def _age_years(t) -> float | None:
    if t.days is not None:
        return round(t.days / 365.25, 2)
    v = t.value or ""
    if re.fullmatch(r"PX[DW]|P\d*X?[DW]", v) or re.fullmatch(r"PX?M", v):
        return 0.0  # "several weeks of age", "days old"
    return None


def _ages(text: str) -> list[tuple[int, int, str, float | None]]:
    """(start, end, text, years) of the ages in `text`: the forms above, then the timing
    finder's and "N-year-old" where they do not overlap one."""
    ages: list[tuple[int, int, str, float | None]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y, _, _ in ages)
    for rx in _MORE_AGES:  # years and months first
        for m in rx.finditer(text):
            years = float(m.group(1)) + (float(m.group(2)) / 12 if rx.groups > 1 else 0.0)
            if free(m.start(1), m.end()):
                ages.append((m.start(1), m.end(), text[m.start(1):m.end()], round(years, 2)))
    ages += [(t.char_start, t.char_end, t.text, _age_years(t)) for t in find_timings(text)
             if t.type == "AGE" and free(t.char_start, t.char_end)]
    ages += [(m.start(), m.end(), m.group(0), round(float(m.group(1)) * _UNIT_YEARS[m.group(2).lower()], 2))
             for m in _N_OLD.finditer(text) if free(m.start(), m.end())]
    return sorted(ages)


def _clause(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """The `width` characters before `start` and after `end`, cut at sentence ends."""
    before = text[max(0, start - width):start]
    cuts = list(_SENTENCE_END.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    after = text[end:end + width]
    cut = _SENTENCE_END.search(after)
    return before, after[:cut.start()] if cut else after


def _sex_cue(text: str) -> str | None:
    if _FEMALE_CUE.search(text):
        return "female"
    return "male" if _MALE_CUE.search(text) else None


def introductions(text: str, offset: int = 0) -> list[Patient]:
    """Patients introduced in `text`: an age ("48-year-old", "aged 3 weeks", "several
    weeks of age") or an age group ("a premature neonate") next to a person word."""
    text = text.translate(_PLAIN)
    found: list[Patient] = []
    for start, end, age_text, years in _ages(text):
        before, window = _clause(text, start, end, 60)
        if years is None or _BOUND.search(before):
            continue  # "children under 5 years of age" bounds a group
        window = window[:45]
        after = _PERSON_RE.search(window)
        person = after or _last(_PERSON_RE, before)
        if person is None and not _SAID_AGE.search(before[-8:] + age_text + window[:7]):
            continue  # a duration, unless "at 65 years of age", "at the age of 7", "aged 45", "45 years old"
        word = person.group(1).lower() if person else None
        if (word in KIN and (_OWN_KIN.search(before) if after else True) or _KIN_BEFORE.search(before)) \
                and not _BROUGHT.search(before):
            anchor = "relative"
        elif person is None:  # "now 12 years old", "presented at 45 years of age"
            anchor = "person" if _NOW.search(before) or _PRESENTED.search(before[-40:] + " | " + window[:30]) \
                else "age"
        else:
            anchor = "person"
        sex = PERSON.get(word) if word else None
        if sex is None:  # "a female patient aged 45", "a 45-year-old patient, a woman"
            for m in [*_PERSON_RE.finditer(window[after.end() if after else 0:]),
                      *reversed(list(_PERSON_RE.finditer(before[-40:])))]:
                if PERSON.get(m.group(1).lower()) and m.group(1).lower() not in KIN:
                    sex = PERSON[m.group(1).lower()]
                    break
        sex = sex or _sex_cue(before[-25:] + text[start:end] + window)
        if anchor == "person" and sex == "female" and years >= 10 and _PREGNANCY.search(before + window):
            anchor = "mother"
        found.append(Patient(years, age_text, sex, char_start=offset + start, char_end=offset + end, anchor=anchor))
    fetus = FETUS.search(text)
    mothers = [p for p in found if p.char_end is not None and (_PERSON_RE.search(
        text[p.char_end - offset:p.char_end - offset + 45]) or [""])[0].lower() in GRAVIDA]
    if fetus and mothers:
        found = [p for p in found if p not in mothers]
        found.append(Patient(0.0, fetus.group(0), fetus.group(1).lower(), char_start=offset + fetus.start(),
                             char_end=offset + fetus.end()))
    numbered = list(found)
    for rx, years in AGE_GROUPS:
        for m in rx.finditer(text):
            word_start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if _DISEASE_OF.search(text[max(0, word_start - 12):word_start]):
                continue  # "fat necrosis of the newborn" names a disease, not a patient
            if not any(p.char_start is not None and p.age_years < 1
                       and abs(p.char_start - offset - m.start()) < 80 for p in numbered):
                person = next((w for w in _PERSON_RE.finditer(m.group(0)) if PERSON[w.group(1).lower()]), None) \
                    or _last(_PERSON_RE, text[max(0, m.start() - 40):m.start()])  # "a female child, born ..."
                found.append(Patient(years, m.group(0).strip(), PERSON.get(person.group(1).lower()) if person else None,
                                     char_start=offset + m.start(),
                                     char_end=offset + m.end()))
    return sorted(found, key=lambda p: p.char_start or 0)


def _last(rx: re.Pattern, text: str):
    ms = list(rx.finditer(text))
    return ms[-1] if ms and len(text) - ms[-1].end() < 25 else None


def _best(intro: list[Patient]) -> Patient | None:
    """The patient among one stretch's introductions: the first of the best anchor; never
    a relative."""
    best = max((RANK[p.anchor] for p in intro), default=0)
    return next((p for p in intro if RANK[p.anchor] == best), None) if best else None


def pronoun_sex(text: str) -> str | None:
    f, m = len(_PRONOUN_F.findall(text)), len(_PRONOUN_M.findall(text))
    if f == m:
        return None
    return "female" if f > m else "male"


def comorbidities(text: str) -> list[str]:
    """Conditions named after 'history of', 'known', 'diagnosed with'... in `text`."""
    out: list[str] = []
    for m in _COMORB.finditer(text):
        if _NEGATED.search(text[max(0, m.start() - 25):m.start()]):
            continue
        phrase = re.split(r"\s+(?:who|which|that|was|were|is|had|presented|for|since|at|in|on|and was)\b", m.group(1))[0]
        for part in _SPLIT.split(phrase):
            part = re.sub(r"^(?:a|an|the)\s+", "", part.strip(), flags=re.I)
            if 2 < len(part) < 60 and part.lower() not in (x.lower() for x in out):
                out.append(part)
    return out


def patients_from_sections(sections: list[tuple[str, int, str]]) -> list[Patient]:
    """`sections`: (kind, char_start, text) of the prose in reading order. A series (see
    `_series`) gives one patient each; else the best-tied age of the case text, abstract
    and title (a person word in the abstract outranks a bare age in the case text), then of
    the other sections; never a relative, nor the mother in a report about her newborn."""
    case = [(k, a, t) for k, a, t in sections if k == "case"]
    per_section = [introductions(t, a) for _, a, t in case]
    front = " ".join(t for k, _, t in sections if k in ("title", "abstract"))
    title = " ".join(t for k, _, t in sections if k == "title")
    if NEWBORN_REPORT.search(title or front[:200]) and any(p.anchor == "person" and p.age_years < 1
                                                           for i in per_section for p in i):
        for p in (p for i in per_section for p in i if p.anchor == "mother"):
            p.anchor = "relative"
    patients = _series(case, per_section, _TITLE_COUNT.search(title) or _COUNT.search(
        " ".join(t for k, _, t in sections if k in ("abstract", "case"))))
    for kinds in (("abstract", "title"), ("other", "introduction")):  # an introduction cites other patients
        if not patients:
            ranked = [p for i in per_section for p in i] if kinds[0] == "abstract" else []
            ranked += [p for kind in kinds for k, a, t in sections if k == kind for p in introductions(t, a)]
            patients = [p for p in [_best(ranked)] if p]
    case_text = " ".join(t for _, _, t in case) or " ".join(t for k, _, t in sections if k == "abstract")
    if len(patients) > 1:  # each patient's sex from the case text up to the next patient
        starts = sorted(p.char_start for p in patients)
        for p in patients:
            own = _between(case, p.char_start, next((s for s in starts if s > p.char_start), 10 ** 12))
            p.sex = p.sex or pronoun_sex(own) or _named_sex(own) or _sex_cue(own)
        return patients
    patients = patients or [Patient()]
    p = patients[0]
    if p.sex is None:  # the case's pronouns, the front's patients, a person word or cue
        p.sex = pronoun_sex(case_text) or next((i.sex for i in introductions(front) if i.sex), None) \
            or _named_sex(case_text) or _sex_cue(case_text) or pronoun_sex(front) or _named_sex(front)
    p.comorbidities = comorbidities(case_text)
    return patients


def _series(case: list[tuple[str, int, str]], per_section: list[list[Patient]],
            count: re.Match | None) -> list[Patient]:
    """Several patients, in reading order: one per case section that introduces one by a
    person word ("Case 1" / "Case 2" sections); else one per ordinal of a case section
    ("Case #2", "Patient B", "the second patient"); else as many as the report says it
    reports (`count`); else none."""
    named = [b for b in map(_best, per_section) if b and RANK[b.anchor] == RANK["person"]]
    if len(named) > 1:
        return named
    for (_, a, t), intro in zip(case, per_section):
        ordinals = [m.start() for m in _ORDINAL_CASE.finditer(t)]
        if len(intro) > 1 and len(ordinals) > 1:
            return _by_ordinal(intro, [a + o for o in ordinals])
    return _counted([p for i in per_section for p in i], count)


def _between(case: list[tuple[str, int, str]], start: int, end: int) -> str:
    """The case text from offset `start` to `end`."""
    return " ".join(t[max(0, start - a):max(0, end - a)] for _, a, t in case if a < end and start < a + len(t))


def _named_sex(text: str) -> str | None:
    """The sex of the first person noun that is not a relative ("an octogenarian woman";
    not "male", which also describes rats)."""
    word = next((w.group(1).lower() for w in _PERSON_RE.finditer(text) if PERSON[w.group(1).lower()]
                 and w.group(1).lower() not in KIN | {"male", "female"}), None)
    return PERSON[word] if word else None


def _counted(intro: list[Patient], m: re.Match | None) -> list[Patient]:
    """The patients of a case text without ordinals, when the report says how many it
    reports (`m`): the best one, then the others tied to a person word in reading order (a
    relative is a patient here: "a 34-year-old woman and her 8-year-old son")."""
    first = _best(intro)
    if not m or not first:
        return []
    out = [first]
    for p in intro:
        if p.anchor != "age" and all((p.age_years, p.sex) != (q.age_years, q.sex) for q in out):
            out.append(p)
    n = _NUMBERS[next(g for g in m.groups() if g).lower()]
    return out[:n] if len(out) >= n else []


def _by_ordinal(intro: list[Patient], starts: list[int]) -> list[Patient]:
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else 10 ** 12
        best = _best([p for p in intro if s <= (p.char_start or 0) < end])
        if best:
            out.append(best)
    return out or [p for p in [_best(intro)] if p]
