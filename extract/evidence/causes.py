"""Causes: exposures, procedures, injuries and diseases that caused the condition
("following extravasation of calcium gluconate", "after autologous fat grafting",
"carbamazepine-induced"), each with a `cause_kind`."""
from __future__ import annotations

import re

from extract.evidence.casetext import CaseText, Sentence
from extract.nlp.protocols import Protocol
from extract.evidence.treatments import TreatmentFinder

CASE_SECTIONS = ("title", "abstract", "case", "results")
_NOT_HEADS = {"diagnosis", "prognosis"}
CAUSE_CUE = re.compile(
    r"\b(?:following|after|secondary to|due to|caused by|induced by|associated with|as a result of|"
    r"resulting from|attributed to|triggered by|complicating|related to)\s+(?:an?\s+|the\s+|her\s+|his\s+)?"
    r"([^.;:,()]{3,80})", re.I)
# "carbamazepine-induced X", not "X associated with Y" (there X is the condition)
CAUSE_ADJ = re.compile(r"\b([\w\-]+)[\s-](?:induced|associated|related|triggered)\b(?!\s+(?:with|to|by)\b)", re.I)
_CAUSE_STOP = re.compile(r"\s+(?:in|at|on|with|for|which|that|who|was|were|is|had|although|because|but|as|when|"
                         r"while|of the (?:left|right)|during|and (?:was|were|presented|developed)|to|into|over|"
                         r"within|since)\b.*$", re.I)
CAUSE_KIND_RULES = [
    ("procedure", re.compile(r"\w*(?:ectomy|otomy|plasty|ostomy|graft\w*|surgery|surgical|injection|implant\w*|"
                             r"transplant\w*|intervention|procedure|mesotherapy|catheter\w*|venipuncture|"
                             r"cannulation|debridement|osteotome|vaccination|radiotherapy)\b", re.I)),
    ("injury", re.compile(r"\b(?:trauma\w*|bite|falls?|injur\w*|blow|burns?|wound|accident|laceration|"
                          r"extravasation|aspiration|pathergy|knock|bump)\b", re.I)),
    ("drug", re.compile(r"\b(?:\w+-)?(?:administration|ingestion|overdose|intake|exposure)\b"
                        r"(?:\s+of\s+[\w\-]+)?", re.I)),
]
GENERIC_CAUSE = re.compile(r"(?:the\s+)?(?:surgical\s+)?(?:procedure|surgery|operation|treatment|therapy|injury)s?",
                           re.I)
_ABBR_DEF = re.compile(r"\s\([A-Za-z0-9\-]{2,10}\)")
# an outcome just before the cue: what follows is the treatment that led to it
_OUTCOME_BEFORE = re.compile(r"\b(?:resolution|resolved|improvement|improved|healing|healed|recovery|recovered|"
                             r"relief|remission|disappearance|disappeared)\b(?:\s+[\w-]+){0,4}\s*$", re.I)
# "associated with a lower risk of thrombosis": a risk or a phenotype, not a cause
_RISK = re.compile(r"\b(?:risk|phenotype|prognosis|survival|outcome)s?\b", re.I)
_PRESENCE = re.compile(r"^(?:the\s+)?(?:presence|development|onset) of\s+", re.I)
NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|denied|denies|negative for)\b[^.;]*$", re.I)

def find_causes(ct: CaseText, proto: Protocol, effect: str | None, finder: TreatmentFinder) -> list[dict]:
    """Exposures, procedures, injuries and diseases that caused the condition: protocol
    cause terms in case statements (not negated), and the object of 'after / following /
    secondary to / caused by / X-induced' in the title and abstract (injuries and
    procedures also in the case sections)."""
    rows: dict[str, dict] = {}
    terms = [(t, t.regex()) for t in proto.causes]
    for s in ct.sentences:
        if s.section not in CASE_SECTIONS or s.scope != "case":
            continue
        for t, rx in terms:
            m = rx.search(s.text)
            if m and t.name not in rows and not NEGATED_BEFORE.search(s.text[max(0, m.start() - 100):m.start()]):
                rows[t.name] = _cause_row(t.name, t.kind, effect, s, m.start(), m.end())
        text = _ABBR_DEF.sub(lambda a: " " * len(a.group(0)), s.text)  # "hormone (ACTH) secreting"
        for m in list(CAUSE_CUE.finditer(text)) + list(CAUSE_ADJ.finditer(text)):
            if re.search(r"(?:\d+|years?|months?|weeks?|days?|hours?)\s*$", text[:m.start()]):
                continue  # "3 years after X" dates X, it does not blame it
            if _OUTCOME_BEFORE.search(text[:m.start()]):
                continue  # "resolution of the pain following removal of X": X treated it
            phrase = " ".join(_CAUSE_STOP.sub("", m.group(1)).strip(" -").split()[:8])
            if not phrase or re.search(r"\b(?:no|not|without)\b|^(?:which|that|this|these|it)\b", phrase, re.I) \
                    or _RISK.search(phrase) \
                    or GENERIC_CAUSE.fullmatch(phrase) or _same_as(phrase, effect):
                continue
            known = next((t for t, rx in terms if rx.search(phrase)), None)
            treat = finder.canonical(phrase)
            if known:
                name, kind = known.name, known.kind
            elif treat is not None and treat.kind == "other":
                continue  # "after conservative treatment": a course of care, not a cause
            else:
                kind, phrase = cause_kind(phrase, proto, finder)
                name = re.sub(r"^(?:a|an|the)\s+", "", phrase.lower())
            if kind == "other" or (s.section not in ("title", "abstract") and kind not in ("injury", "procedure")) \
                    or _time_phrase(phrase) or any(
                    name in r or r in name or name.split()[-1] == r.split()[-1] for r in rows):
                continue
            a = s.start + m.start(1)
            rows[name] = _cause_row(name, kind, effect, s, a - s.start, a - s.start + len(phrase))
    return sorted(rows.values(), key=lambda r: r["char_start"])


def _same_as(phrase: str, condition: str | None) -> bool:
    """Whether a cause phrase restates the condition itself ("spinal cord injury")."""
    words = set(re.findall(r"\w+", (condition or "").lower()))
    return len(words & set(re.findall(r"\w+", phrase.lower()))) >= min(2, len(words)) if words else False


def _time_phrase(phrase: str) -> bool:
    return bool(re.match(r"(?:\d+|one|two|three|several|a few|few|many)\s+\w+|admission|discharge|birth|"
                         r"delivery|surgery$|the (?:procedure|operation)|treatment|therapy", phrase, re.I))


def cause_kind(phrase: str, proto: Protocol, finder: TreatmentFinder) -> tuple[str, str]:
    """(cause_kind, phrase cut after its head word) for a cause phrase; a disease head
    after the kind's word makes it a disease ("wound infection", not the injury "wound")."""
    phrase = _PRESENCE.sub("", phrase)
    heads = [h for h in re.finditer(r"(?<!\S)(?:" + "|".join(proto.disease_heads) + r")(?!\S)", phrase, re.I)
             if h.group(0).lower() not in _NOT_HEADS] if proto.disease_heads else []
    for kind, rx in CAUSE_KIND_RULES:
        m = rx.search(phrase)
        if m and not (heads and heads[-1].start() > m.end()):
            return kind, phrase[:m.end()]
    words = phrase.split()
    if finder.canonical(phrase) or (finder.drug_word and finder.drug_word.fullmatch(words[0])):
        return "drug", words[0] if len(words) > 1 and not finder.canonical(phrase) else phrase
    if heads:
        return "disease", " ".join(phrase[:heads[-1].end()].split())
    return "other", phrase


def _cause_row(name, kind, effect, s: Sentence, a: int, b: int) -> dict:
    return dict(cause=name, cause_kind=kind, effect=effect, text=s.text[a:b], sentence=s.text,
                char_start=s.start + a, char_end=s.start + b)
