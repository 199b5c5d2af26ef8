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
# a sibling named without a possessive may be a patient ("the elder sister, aged 30"), a parent not
PEERS = {"brother", "sister", "sibling", "cousin"}
# "her 8-year-old son", "his father, a 60-year-old man," "the patient's mother (aged 50)"
_POSSESSIVE = r"(?:his|her|their|its|whose|[a-z]+['\u2019]s)"
_OWN_KIN = re.compile(_POSSESSIVE + r"\s+(?:[\w-]+\s+){0,2}$", re.I)
_KIN_BEFORE = re.compile(_POSSESSIVE + r"\s+(?:[\w-]+\s+)?(?:" + "|".join(KIN) + r")s?\b[^.;]{0,25}$", re.I)
# ... unless brought in by the one whose relative it is ("a mother brought her 3-year-old son")
_BROUGHT = re.compile(r"\b(?:brought|took|carried|rushed)\b", re.I)
# the patient's current age against an earlier one ("first seen at 5 ... now 12 years old")
_NOW = re.compile(r"\b(?:now|currently|presently|at present|today)\b[^.;]{0,15}$", re.I)
_PRESENTED = re.compile(r"(?<!first )(?<!initially )\b(?:presented|admitted|referred|hospitali[sz]ed|came to|"
                        r"came in|visited|attended|consulted)\b", re.I)
# a bare age of an earlier event ("diagnosed at the age of 30"), below the presenting one
_PAST = re.compile(r"\b(?:diagnosed|diagnosis|onset|since|underwent|history|previously|prior)\b", re.I)
# an age of a patient of another report: "Lee et al. described a 60-year-old man", "a 60-year-old
# man reported by Lee" (a name, not "reported by her husband" nor "reported in our clinic")
_LITERATURE = re.compile(r"\bet al\b|\b(?i:reported|described|published) by (?!(?:The|His|Her|Their|Our)\b)[A-Z][a-z]"
                         r"|\b(?i:previously (?:reported|described|published))\b")
# sex stated without a person word: obstetric history, menopause, courtesy titles, a spouse
_FEMALE_CUE = re.compile(r"\b(?:(?i:G\d+\s?P\d+(?:[LAE]\d+)*|gravida\s*\d|para\s*\d)|"
                         r"(?:[Pp]ost|[Pp]re|[Pp]eri)-?menopausal|pregnant)\b|\bM(?:rs|s)\b\.?\s+[A-Z]"
                         r"|\b(?i:sex|gender)\s*:\s*(?i:female|F)\b|\b(?i:patient['\u2019]s husband)\b")
_MALE_CUE = re.compile(r"\bMr\b\.?\s+[A-Z]|\b(?i:sex|gender)\s*:\s*(?i:male|M)\b|\b(?i:patient['\u2019]s wife)\b")
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
# a newborn's sex after it ("a newborn male was admitted"; not "newborn female rats")
_SEX_AFTER = re.compile(r",?\s+(boy|girl|(?:male|female)(?=\s*[,.;)]|\s+(?:was|who|with|born|presented|had|is|"
                        r"came|developed|admitted)\b))\b", re.I)
# a report about a newborn or fetus (its title says so): its pregnant mother is a relative
NEWBORN_REPORT = re.compile(r"\b(?:neonat\w*|newborns?|fetus|fetal|foetal|foetus|prenatal\w*|antenatal\w*|"
                            r"infants?|bab(?:y|ies))\b", re.I)
_PREGNANCY = re.compile(r"\b(?:pregnan\w*|gravida|primi\w+|multi(?:gravida|para)|G\d+\s?P\d+(?:[LAE]\d+)*|gestation\w*|"
                        r"delivered|gave birth)\b", re.I)
# a fetus with a stated sex is the patient of a prenatal report, not its pregnant mother
FETUS = re.compile(r"\b(male|female) (?:fetus|foetus)\b", re.I)
GRAVIDA = {"primigravida", "multigravida", "primipara", "multipara", "pregnant woman"}
_N_OLD = re.compile(r"\b(\d{1,3}(?:\.\d)?)[-\s](y(?:ea)?r|mo(?:nth)?|w(?:ee)?k|d(?:ay)?)s?\.?[-\s]?old\b", re.I)
# ages the timing finder leaves out or cuts: "45 y/o", "a 2-year, 3-month-old", "a woman of 45
# years", "(45 years, female)", "Age: 45 years", "45/M", "(F/45)"; group `y` years, `mo`
# months, `sex` a sex written next to the age
_Y = r"(?:years?|yrs?|y)"
_SEX = r"(?P<sex>(?i:male|female|man|woman)|(?-i:[MF]))\b"
NUMBER_WORDS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
SEX_WORD = {"m": "male", "male": "male", "man": "male", "f": "female", "female": "female", "woman": "female"}
_MORE_AGES = [
    re.compile(r"\b(?P<y>\d{1,2})[-\s]" + _Y + r"[,-]?\s*(?:and[-\s]+)?(?P<mo>\d{1,2})[-\s]months?"
               r"(?:[-\s]old\b|\s+of\s+age\b)", re.I),
    re.compile(r"\baged\s+(?P<y>\d{1,2})\s+" + _Y + r",?\s*(?:and\s+)?(?P<mo>\d{1,2})\s+months?\b", re.I),
    re.compile(r"(?<![/\d.])\b(?P<y>\d{1,3})\s*(?:-?\s*" + _Y + r"\s*)?/\s*" + _SEX, re.I),
    re.compile(r"(?<![\w/])" + _SEX + r"\s*/\s*(?P<y>\d{1,3})\b(?![/.]\d)", re.I),
    re.compile(r"\(\s*" + _SEX + r"\s*,\s*(?P<y>\d{1,3})(?:\s*" + _Y + r")?(?=\s*\))", re.I),
    re.compile(r"\b(?P<y>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")[-\s]and[-\s]a[-\s](?P<half>half)[-\s]" + _Y
               + r"[-\s]?old\b", re.I),
    re.compile(r"\b(?P<y>\d{1,3})[-\s]?(?:y/o|y\.o\.?|yo)(?=\W)", re.I),
    # "a 45 years female", "a 45-yr male"; "on day 5 of life", "on the 5th day of life"
    re.compile(r"\b(?:a|an)\s+(?P<y>\d{1,3})[-\s]?(?:years?|yrs?)\s+(?=(?:fe)?male\b|(?:wo)?man\b|boy\b|girl\b|lady\b|"
               r"gentleman\b)", re.I),
    re.compile(r"\b(?:day\s+(?P<d>\d{1,2})|the\s+(?P<dth>\d{1,2})(?:st|nd|rd|th)\s+day)\s+of\s+life\b", re.I),
    re.compile(r"\b(?:" + "|".join(PERSON) + r"),? (?:aged |of )(?P<y>\d{1,3})(?:\s+" + _Y
               + r"\b(?!\s+(?:ago|before|earlier))|(?=\s*[,;)]|\s+(?:was|who|with|came|presented|had|has|is)\b))",
               re.I),
    re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+)?(?:" + "|".join(PERSON) + r"),\s+(?P<y>\d{1,3})(?=,)", re.I),
    re.compile(r"(?<=\()(?P<y>\d{1,3})\s?" + _Y + r"\b(?=,?\s*" + _SEX + ")", re.I),
    re.compile(r"\b(?P<y>\d{1,3})\s?" + _Y + r",\s*" + _SEX + r"(?=\s*[,.;)])", re.I),  # "Case 2: 45 years, male."
    re.compile(r"(?<!mean )(?<!median )(?<!average )\bage\s*[:,]\s*(?P<y>\d{1,3})\b(?:\s*" + _Y + r"\b)?", re.I),
]
# an age without a person word, said to be one
_SAID_AGE = re.compile(r"\baged?\b|\b(?:of age|old)\b", re.I)
_UNIT_YEARS = {"y": 1.0, "m": 1 / 12, "w": 7 / 365.25, "d": 1 / 365.25}  # by the unit's first letter
# PDF text writes hyphens and spaces as many code points; one for one keeps the offsets
_PLAIN = str.maketrans({c: "-" for c in "\u00ad\u2010\u2011\u2012\u2013\u2014\u2212"}
                       | {c: " " for c in "\u00a0\u2002\u2005\u2009\u202f"})
_BOUND = re.compile(r"\b(?:under|over|below|above|than|least|most)[-\s]*(?:the\s+)?$|[<>\u2264\u2265]\s*$", re.I)
# a group's statistic is no patient's age: "a median age of 50 years", "(mean age, 61)", "61 \u00b1 8 years"
_GROUP_STAT = re.compile(r"\b(?:mean|median|average)\s+(?:age\s*)?(?:of\s+|was\s+|=\s*|[:,]\s*)?(?:the\s+)?$", re.I)
_BOUND_AFTER = re.compile(r"\s*(?:(?:of age|old)\s+)?(?:or|and) (?:older|younger|over|above|under|below|more|less)\b",
                          re.I)  # "patients aged 65 years or older"
_SPREAD = re.compile(r"\s*(?:\u00b1|\+/-|\+-)")
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.\s+(?=[A-Z(])|[;\n]")
_PRONOUN_F = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_PRONOUN_M = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_ORDINAL_CASE = re.compile(r"\b(?:(?:first|second|third|fourth|fifth) (?:case|patient|twin)|"
                           r"the (?:first|second|third|fourth|fifth)(?=,| (?:was|is|had|presented)\b)|"
                           r"(?:case|patient|twin) (?:(?:presentation|report|description) )?(?:#\s?|no\.\s?)?"
                           r"(?:\d|[IVX]+|one|two|three|four|five)\b)|"
                           r"(?-i:\b(?:Case|Patient|Twin|CASE|PATIENT|TWIN) [A-E]\b)", re.I)
# a report stating how many patients it reports: "we describe two siblings", "... in twins"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6,
            "twin": 2, "twins": 2}
_N = r"(two|three|four|five|six|[2-6])"
_GROUP = r"(?:cases|patients|siblings|brothers|sisters|children|family members|members|infants|neonates|adults|" \
         r"men|women|boys|girls)"
_COUNT = re.compile(r"\b(?:report|describe|present)(?:s|ed|ing)?\b[^.;]{0,40}?\b" + _N + r"\s+(?:[\w-]+\s+)?"
                    + _GROUP + r"\b", re.I)
# a pair named in the title: "... in twins", "... in a mother and her son"
_TITLE_COUNT = re.compile(r"\b" + _N + r"\s+(?:[\w-]+\s+)?" + _GROUP + r"\b|\b(twins)\b|\b((?:mother|father|parent)"
                          r"\s+and\s+(?:(?:her|his|their)\s+)?(?:son|daughter|child|infant|baby|newborn))\b", re.I)
_COMORB = re.compile(r"\b(?:(?:past )?(?:medical )?history of|known|diagnosed with|other conditions were|"
                     r"suffering from|comorbidities (?:included|were)|background of)\s+([^.;:]{3,160})", re.I)
# an age group after "of (the)" ends a disease's name ("haemolytic disease of the newborn")
_DISEASE_OF = re.compile(r"\bof\s+(?:the\s+)?$", re.I)
_NEGATED = re.compile(r"\b(?:no|not|denied|without|negative)\W+(?:\w+\W+){0,2}$", re.I)
_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
# sections below the case and the front where a report may still state its patient
LATER_KINDS = ("methods", "results")
_AGE_CELL = re.compile(r"\b(?i:age)(?:\s*\((?i:years?|yrs?|y)\))?\s*[:=,]?\s*(\d{1,3})\b"
                       r"(?!\s*(?:[-\u2013\u00b1/%(]|\+/-|\d|(?i:to|and|or)\b|months?|weeks?|days?))")
_SEX_CELL = re.compile(r"\b(?i:sex|gender)\s*[:=,]?\s*((?i:male|female)|(?-i:[MF]))\b(?!\s*(?:/|(?i:and|or)\b|"
                       r"(?i:male|female)\b|[MF]\b|\d))")
# a title or abstract that says the report is about a case (a gate for the sections above)
_CASE_FRONT = re.compile(r"\bcase (?:reports?|presentations?|descriptions?)\b|\b(?:a|an|our|the first)\s+"
                         r"(?:[\w-]+\s+){0,3}case\b(?![- ](?:stud|control|of grade))|\b(?:a|an)\s+[\w.-]+[- ](?:year|"
                         r"month|week|day)s?[- ]old\b|\bwe (?:report|present|describe)\s+(?:(?:here|herein|on)\s+)?"
                         r"(?:a|an|our|two|three|four|five)\b|\ba patient\b", re.I)
# how an age is tied to its person, best first: "a 12-year-old girl" or "now 12 years old";
# a bare "at the age of 5"; an earlier event's "diagnosed at the age of 5"; a relative's "her
# 70-year-old mother" and a patient of another report ("a 60-year-old man reported by Lee")
RANK = {"person": 3, "mother": 3, "age": 2, "past": 1, "relative": 0, "literature": 0}


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


def _ages(text: str) -> list[tuple[int, int, str, float | None, str | None]]:
    """(start, end, text, years, sex written with it) of the ages in `text`: the forms
    above, then the timing finder's and "N-year-old" where they do not overlap one."""
    ages: list[tuple[int, int, str, float | None, str | None]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y, *_ in ages)
    for rx in _MORE_AGES:  # years and months first
        for m in rx.finditer(text):
            g = m.groupdict()
            if g.get("y"):
                years = float(NUMBER_WORDS.get(g["y"].lower(), g["y"])) + (0.5 if g.get("half") else 0.0) \
                    + (float(g["mo"]) / 12 if g.get("mo") else 0.0)
            else:  # a day of life
                years = float(g["d"] or g["dth"]) / 365.25
            a, b = m.start("y") if g.get("y") else m.start(), m.end()  # from the number: "a man of 72"
            if free(a, b):
                ages.append((a, b, text[a:b], round(years, 2), SEX_WORD[g["sex"].lower()] if g.get("sex") else None))
    ages += [(t.char_start, t.char_end, t.text, _age_years(t), None) for t in find_timings(text)
             if t.type == "AGE" and free(t.char_start, t.char_end)]
    ages += [(m.start(), m.end(), m.group(0), round(float(m.group(1)) * _UNIT_YEARS[m.group(2)[0].lower()], 2), None)
             for m in _N_OLD.finditer(text) if free(m.start(), m.end())]
    return sorted(ages)


def _clause(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """The `width` characters before `start` and after `end`, cut at sentence ends."""
    lo = max(0, start - width)  # a sentence end right before `start` ("... of 3. At age 45") cuts too
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, lo, min(len(text), start + 1)) if m.end() <= start]
    before = text[cuts[-1] if cuts else lo:start]
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
    ages = _ages(text)
    for i, (start, end, age_text, years, written_sex) in enumerate(ages):
        before, window = _clause(text, start, end, 60)
        if years is None or _BOUND.search(before) or _GROUP_STAT.search(before) or _SPREAD.match(text, end) \
                or _BOUND_AFTER.match(text, end):
            continue  # "children under 5 years of age" bounds a group, "a mean age of 50" sums one up
        # the next age owns the words after it ("at age 30 ..., a 45-year-old woman")
        window = window[:min(45, ages[i + 1][0] - end if i + 1 < len(ages) else 45)]
        after = _PERSON_RE.search(window)
        person = after or _last(_PERSON_RE, before)
        if person is None and written_sex is None and not _SAID_AGE.search(before[-8:] + age_text + window[:7]):
            continue  # a duration, unless "at 65 years of age", "at the age of 7", "aged 45", "45 years old"
        word = person.group(1).lower() if person else None
        if (word in KIN and (_OWN_KIN.search(before) if after else word not in PEERS) or _KIN_BEFORE.search(before)) \
                and not _BROUGHT.search(before):
            anchor = "relative"
        elif person is None and written_sex is None:  # "now 12 years old", "presented at 45 years of age"
            anchor = "person" if _NOW.search(before) or _PRESENTED.search(before[-40:] + " | " + window[:30]) \
                else "past" if _PAST.search(before[-40:] + " | " + window[:30]) else "age"
        else:
            anchor = "person"
        if _LITERATURE.search(before[-40:] + " | " + window[:30]):
            anchor = "literature"
        sex = written_sex or (PERSON.get(word) if word else None)
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
                    or _last(_PERSON_RE, text[max(0, m.start() - 40):m.start()]) \
                    or _SEX_AFTER.match(text, m.end())  # "a female child, born ...", "a newborn male"
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
    # an introduction cites other patients; a case filed under "Patients" or "Methods" and a
    # table of the patient's data come last, before giving up (never the discussion)
    reports_case = bool(_CASE_FRONT.search(front))  # not a study's participants, animals or plants
    tables = [c for k, a, t in sections if k == "table" for c in table_cells(t, a)] if reports_case else []

    def read(kind: str) -> list[Patient]:
        """The patients a kind of section introduces (the case text's found above; a table's cells too)."""
        if kind == "case":
            return [p for i in per_section for p in i]
        found = [p for k, a, t in sections if k == kind for p in introductions(t, a)
                 if kind not in LATER_KINDS or RANK[p.anchor] == RANK["person"]]  # not rats' age
        return found + tables if kind == "table" else found

    steps = [("case", "abstract", "title"), ("other", "introduction")] \
        + ([LATER_KINDS, ("table",)] if reports_case else [])
    for kinds in steps:
        if patients:
            break
        patients = [p for p in [_best([p for kind in kinds for p in read(kind)])] if p]
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
    if p.sex is None and reports_case:  # then the methods-like sections, then a table's "Sex" cell
        later = " ".join(t for k, _, t in sections if k in LATER_KINDS)
        p.sex = pronoun_sex(later) or _named_sex(later) or _sex_cue(later) \
            or next((c.sex for c in tables if c.sex), None)
    p.comorbidities = comorbidities(case_text)
    return patients


def table_cells(text: str, offset: int = 0) -> list[Patient]:
    """The patient of a table of one patient's data: an "Age" cell followed by one number
    ("Age 45", "Age (years) 45", "Age: 45"), a "Sex"/"Gender" cell by one sex ("Sex F",
    "Gender male"). Not a group's ("Age 45 ± 8", "Age 40-60", "Sex M/F", "Gender Male
    Female", "Age (y) 60s 70s")."""
    ages = {float(m.group(1)): m for m in _AGE_CELL.finditer(text)}
    sexes = {SEX_WORD[m.group(1).lower()] for m in _SEX_CELL.finditer(text)}
    sex = sexes.pop() if len(sexes) == 1 else None
    if len(ages) == 1:
        (years, m), = ages.items()
        return [Patient(years, m.group(0), sex, char_start=offset + m.start(), char_end=offset + m.end(),
                        anchor="age")]
    return [Patient(sex=sex, anchor="age")] if sex else []


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
        if p.anchor not in ("age", "past", "literature") \
                and all((p.age_years, p.sex) != (q.age_years, q.sex) for q in out):
            out.append(p)
    n = _NUMBERS.get(next(g for g in m.groups() if g).lower(), 2)  # a parent and child: two
    return out[:n] if len(out) >= n else []


def _by_ordinal(intro: list[Patient], starts: list[int]) -> list[Patient]:
    out = []
    for i, s in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else 10 ** 12
        best = _best([p for p in intro if s <= (p.char_start or 0) < end])
        if best:
            out.append(best)
    return out or [p for p in [_best(intro)] if p]
