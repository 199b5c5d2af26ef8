"""Patient facts for the reported patient(s): age in years (also for age groups such as
"several weeks of age" or "a premature neonate"), sex and comorbidities; one record per
patient, a report introducing several patients ("Case 1", "the second case was...")
gives several."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.timings.expressions import find_timings

PERSON = {
    "man": "male", "male": "male", "boy": "male", "gentleman": "male", "father": "male", "son": "male",
    "woman": "female", "female": "female", "girl": "female", "lady": "female", "mother": "female",
    "daughter": "female", "primigravida": "female", "multigravida": "female", "primipara": "female",
    "multipara": "female", "pregnant woman": "female",
    "patient": None, "child": None, "infant": None, "neonate": None, "newborn": None, "baby": None,
    "adolescent": None, "toddler": None, "individual": None, "person": None,
    "student": None, "worker": None, "farmer": None, "athlete": None, "soldier": None, "traveller": None,
    "traveler": None, "teacher": None, "nurse": None,
}
_PERSON_RE = re.compile(r"\b(" + "|".join(PERSON) + r")s?\b", re.I)
# age groups named without a number: (pattern, age in years)
AGE_GROUPS = [
    (re.compile(r"\b(?:premature|preterm|term)?\s*(?:neonate|newborn)s?\b", re.I), 0.0),
    (re.compile(r"\b(?:premature|preterm) (?:infant|baby)\b", re.I), 0.0),
    # "born by caesarean section at 34 weeks of gestation": the patient's own birth
    (re.compile(r"\bborn\b[^.;]{0,60}?\bat \d{2}(?:\+\d)? weeks(?: of gestation|'? gestation|"
                r" of gestational age)", re.I), 0.0),
]
# a fetus with a stated sex is the patient of a prenatal report, not its pregnant mother
FETUS = re.compile(r"\b(male|female) (?:fetus|foetus)\b", re.I)
GRAVIDA = {"primigravida", "multigravida", "primipara", "multipara", "pregnant woman"}
_N_OLD = re.compile(r"\b(\d{1,3}(?:\.\d)?)[-\s](year|month|week|day)s?[-\s]old\b", re.I)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
_PRONOUN_F = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_PRONOUN_M = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_ORDINAL_CASE = re.compile(r"\b(?:(?:first|second|third|fourth|fifth) (?:case|patient)|"
                           r"(?:case|patient) (?:\d|[IVX]+)\b)", re.I)
_COMORB = re.compile(r"\b(?:(?:past )?(?:medical )?history of|known|diagnosed with|other conditions were|"
                     r"suffering from|comorbidities (?:included|were)|background of)\s+([^.;:]{3,160})", re.I)
# an age group after "of (the)" ends a disease's name ("haemolytic disease of the newborn")
_DISEASE_OF = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
_NEGATED = re.compile(r"\b(?:no|not|denied|without|negative)\W+(?:\w+\W+){0,2}$", re.I)
_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


@dataclass
class Patient:
    age_years: float | None = None
    age_text: str | None = None
    sex: str | None = None
    comorbidities: list[str] = field(default_factory=list)
    char_start: int | None = None
    char_end: int | None = None


def _age_years(t) -> float | None:
    if t.days is not None:
        return round(t.days / 365.25, 2)
    v = t.value or ""
    if re.fullmatch(r"PX[DW]|P\d*X?[DW]", v) or re.fullmatch(r"PX?M", v):
        return 0.0  # "several weeks of age", "days old"
    return None


def introductions(text: str, offset: int = 0) -> list[Patient]:
    """Patients introduced in `text`: an age ("48-year-old", "aged 3 weeks", "several
    weeks of age") or an age group ("a premature neonate") next to a person word."""
    found: list[Patient] = []
    ages = [(t.char_start, t.char_end, t.text, _age_years(t)) for t in find_timings(text) if t.type == "AGE"]
    ages += [(m.start(), m.end(), m.group(0), round(float(m.group(1)) * _UNIT_YEARS[m.group(2).lower()], 2))
             for m in _N_OLD.finditer(text) if not any(a <= m.start() < b for a, b, _, _ in ages)]
    for start, end, age_text, years in sorted(ages):
        if years is None:
            continue
        window = text[end:end + 45]
        before = text[max(0, start - 60):start]
        person = _PERSON_RE.search(window) or _last(_PERSON_RE, before)
        if person is None and not re.match(r"\s*(?:of age|old)", window) \
                and not re.search(r"(?:of age|old)$", age_text):  # "at 65 years of age, she ..."
            continue
        sex = PERSON.get(person.group(1).lower()) if person else None
        if sex is None:
            m = _PERSON_RE.search(window[person.end() if person else 0:])
            sex = PERSON.get(m.group(1).lower()) if m else None
        found.append(Patient(years, age_text, sex, char_start=offset + start, char_end=offset + end))
    fetus = FETUS.search(text)
    mothers = [p for p in found if p.char_end is not None and (_PERSON_RE.search(
        text[p.char_end - offset:p.char_end - offset + 45]) or [""])[0].lower() in GRAVIDA]
    if fetus and mothers:
        found = [p for p in found if p not in mothers]
        found.append(Patient(0.0, fetus.group(0), fetus.group(1).lower(), char_start=offset + fetus.start(),
                             char_end=offset + fetus.end()))
    for rx, years in AGE_GROUPS:
        for m in rx.finditer(text):
            word_start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if _DISEASE_OF.search(text[max(0, word_start - 12):word_start]):
                continue  # "fat necrosis of the newborn" names a disease, not a patient
            if not any(p.char_start is not None and abs(p.char_start - offset - m.start()) < 80 for p in found):
                person = _last(_PERSON_RE, text[max(0, m.start() - 40):m.start()])  # "a female child, born ..."
                found.append(Patient(years, m.group(0).strip(), PERSON.get(person.group(1).lower()) if person else None,
                                     char_start=offset + m.start(),
                                     char_end=offset + m.end()))
    return sorted(found, key=lambda p: p.char_start or 0)


def _last(rx: re.Pattern, text: str):
    ms = list(rx.finditer(text))
    return ms[-1] if ms and len(text) - ms[-1].end() < 25 else None


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
    """`sections`: (kind, char_start, text) of the prose in reading order. Each case
    section that introduces a patient gives one; one case section introducing patients
    with ordinals ("the second case") gives one per ordinal; else the first patient of
    the case text, the abstract, then the title."""
    case = [(k, a, t) for k, a, t in sections if k == "case"]
    per_section = [introductions(t, a) for _, a, t in case]
    patients: list[Patient] = []
    if sum(1 for p in per_section if p) > 1:
        patients = [p[0] for p in per_section if p]
    else:
        for (_, a, t), intro in zip(case, per_section):
            ordinals = [m.start() for m in _ORDINAL_CASE.finditer(t)]
            if len(intro) > 1 and len(ordinals) > 1:
                patients = _by_ordinal(intro, [a + o for o in ordinals])
            elif intro and not patients:
                patients = [intro[0]]
    if not patients:
        for kind in ("abstract", "title", "other", "introduction"):
            for k, a, t in sections:
                if k == kind:
                    intro = introductions(t, a)
                    if intro:
                        patients = [intro[0]]
                        break
            if patients:
                break
    case_text = " ".join(t for _, _, t in case) or " ".join(t for k, _, t in sections if k == "abstract")
    for p in patients or [Patient()]:
        if p.sex is None:
            p.sex = pronoun_sex(case_text)
    if len(patients) <= 1:
        pts = patients or [Patient(sex=pronoun_sex(case_text))]
        pts[0].comorbidities = comorbidities(case_text)
        return pts
    return patients


def _by_ordinal(intro: list[Patient], starts: list[int]) -> list[Patient]:
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else 10 ** 12
        inside = [p for p in intro if s <= (p.char_start or 0) < end]
        if inside:
            out.append(inside[0])
    return out or intro[:1]
