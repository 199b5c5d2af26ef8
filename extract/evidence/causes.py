"""Causes: exposures, procedures, injuries and diseases that caused the condition
("following extravasation of calcium gluconate", "after autologous fat grafting",
"carbamazepine-induced"), each with a `cause_kind`."""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from extract.evidence.casetext import CaseText, Sentence
from extract.evidence.conditions import DISEASE_LABELS, Candidate, condition_scores, normalize
from extract.evidence.learned import LinearModel, load_model
from extract.nlp.protocols import Protocol
from extract.evidence.treatments import TreatmentFinder

CASE_SECTIONS = ("title", "abstract", "case", "results")
_NOT_HEADS = {"diagnosis", "prognosis"}
# cues that say what caused the condition; the STRONG ones name a cause even of a disease
# kind in the case narrative, when the condition (or a disease) is their subject
STRONG_CUES = (r"secondary to|due to|caused by|induced by|as a (?:result|complication|consequence) of|"
               r"resulting from|attributed to|triggered by|in the setting of|(?:a |an )?(?:\w+ )?complications? of|"
               r"arising (?:in|from)|on a background of")
CAUSE_CUE = re.compile(
    r"\b(?:following|after|associated with|complicating|related to|(" + STRONG_CUES + r"))\s+"
    r"(?:an?\s+|the\s+|her\s+|his\s+|their\s+)?([^.;:,()]{3,80})", re.I)
# "carbamazepine-induced X", not "X associated with Y" (there X is the condition)
CAUSE_ADJ = re.compile(r"\b()([\w\-]+)[\s-](?:induced|associated|related|triggered)\b(?!\s+(?:with|to|by)\b)", re.I)
_CAUSE_STOP = re.compile(r"\s+(?:in|at|on|with|for|which|that|who|was|were|is|had|although|because|but|as|when|"
                         r"while|of the (?:left|right)|during|and (?:was|were|presented|developed)|to|into|over|"
                         r"within|since)\b.*$", re.I)


def _cue_objects(text: str):
    """(match, the object cut where its clause goes on) of every cause cue in `text`, but
    not a cue after a result ("resolution of the pain following removal of X", "recovered
    quickly after X": X treated it) or before one ("after wound healing")."""
    for m in list(CAUSE_CUE.finditer(text)) + list(CAUSE_ADJ.finditer(text)):
        obj = _CAUSE_STOP.sub("", m.group(2)).strip(" -")
        if not _OUTCOME_BEFORE.search(text[:m.start()]) and not _RECOVERY.search(obj):
            yield m, obj


# a condition named with its cause: "X due to Y", "X after Y", "Y-induced X", "X involvement of Y",
# "metastases of Y", "X of pregnancy", "Y poisoning" (Y a substance: "lead", "carbon monoxide")
_NAMED_CAUSE = re.compile(r"(?:\s+(?:due to|secondary to|caused by|induced by|after|following|associated with|"
                          r"related to|from|in the setting of|complicating)|(?:(?<=involvement)|(?<=metastasis)|"
                          r"(?<=metastases))\s+of|\s+(?:of|in|during)(?=\s+pregnancy$))"
                          r"\s+(?:an?\s+|the\s+)?(?P<after>.{3,})$|"
                          r"^(?P<before>[\w\-]{3,}?)-?\s?(?:induced|associated|related)\s+(?=\w)|"
                          r"^(?:(?:acute|chronic|severe|fatal|accidental|intentional)\s+)*"
                          r"(?P<substance>[\w\-]{3,}(?:\s[\w\-]{3,})?)\s+(?=(?:poisoning|toxicity|intoxication|overdose)$)",
                          re.I)


def split_condition(condition: str | None) -> tuple[str | None, str | None]:
    """(the condition without its cause, the cause its name states or None):
    "amyloidosis due to myeloma" -> ("amyloidosis", "myeloma"), "gemcitabine-induced
    cardiomyopathy" -> ("cardiomyopathy", "gemcitabine"). "drug-induced X" names no cause."""
    m = _NAMED_CAUSE.search(condition or "")
    if not m:
        return condition, None
    cause = (m.group("after") or m.group("before") or m.group("substance")).strip()
    effect = (condition[:m.start()] + condition[m.end():]).strip()
    if not effect or GENERIC_CAUSE.fullmatch(cause) or re.fullmatch(r"drugs?|medications?", cause, re.I):
        return condition, None
    return effect, cause


CAUSE_KIND_RULES = [
    ("procedure", re.compile(r"\w*(?:ectomy|otomy|plasty|ostomy|graft\w*|surgery|surgical|injection|implant\w*|"
                             r"transplant\w*|intervention|procedure|mesotherapy|catheter\w*|venipuncture|"
                             r"cannulation|debridement|osteotome|vaccination|radiotherapy)\b", re.I)),
    ("injury", re.compile(r"\b(?:trauma\w*|bite|falls?|injur\w*|blow|burns?|wound|accident|laceration|"
                          r"extravasation|aspiration|pathergy|knock|bump)\b", re.I)),
    ("drug", re.compile(r"\b(?:\w+-)?(?:administration|ingestion|overdose|intake|exposure)\b"
                        r"(?:\s+of\s+\S.*)?", re.I)),  # the whole substance: "administration of vitamin B1"
]
GENERIC_CAUSE = re.compile(r"(?:the\s+)?(?:surgical\s+)?(?:procedure|surgery|operation|treatment|therapy|injury)s?|"
                           r"surgical", re.I)
_ABBR_DEF = re.compile(r"\s\([A-Za-z0-9\-]{2,10}\)")
# an outcome just before the cue: what follows is the treatment that led to it
_OUTCOME_BEFORE = re.compile(r"\b(?:resolution|resolved|improvement|improved|healing|healed|recovery|recovered|"
                             r"relief|remission|disappearance|disappeared|ceased|subsided|abated)\b"
                             r"(?:\s+[\w-]+){0,4}\s*$", re.I)
_DATED = re.compile(r"(?:\d+|years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?)\s*$", re.I)
# "after wound healing": the cue times a recovery from X, it does not blame X (but "after
# debridement and healing" blames the debridement)
_RECOVERY = re.compile(r"(?:^|\s)(?!(?:and|or|but)\s)[\w-]+\s+(?:healing|healed|recovery|resolution)$", re.I)
# "associated with a lower risk of thrombosis": a risk or a phenotype, not a cause
_RISK = re.compile(r"\b(?:risk|phenotype|prognosis|survival|outcome)s?\b", re.I)
_PRESENCE = re.compile(r"^(?:the\s+)?(?:presence|development|onset) of\s+", re.I)
NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|denied|denies|negative for)\b[^.;]*$", re.I)

def find_causes(ct: CaseText, proto: Protocol, effect: str | None, finder: TreatmentFinder,
                mentions: list[dict] = (), credited: frozenset[str] = frozenset(),
                condition_scored: list[tuple[float, Candidate]] | None = None,
                given: frozenset[str] = frozenset()) -> list[dict]:
    """Exposures, procedures, injuries, diseases, organisms and mutations that caused the
    condition: the rules' causes (`rule_causes`), then the cause model's decision
    (`learned_causes`), which never takes a treatment the report credits with an
    improvement (`credited`: names given in the case that improved, resolved or left it unchanged).
    `given`: the treatments the case gives (the treatment stage's rows of status given).
    `condition_scored`: the condition stage's `condition_scores`, computed here when not given."""
    rows, cued = rule_causes(ct, proto, effect, finder, mentions)
    rows.update(named_cause(ct, proto, effect, finder, rows))
    rows = learned_causes(ct, proto, effect, finder, mentions, rows, cued, credited=credited,
                          condition_scored=condition_scored, given=given)
    return sorted(rows.values(), key=lambda r: r["char_start"])


def rule_causes(ct: CaseText, proto: Protocol, effect: str | None, finder: TreatmentFinder,
                mentions: list[dict] = ()) -> tuple[dict[str, dict], set[str]]:
    """The causes the rules find, by name, and the names only a cue phrase gave: protocol
    cause terms in case statements (not negated); the object of 'after / following /
    secondary to / caused by / X-induced' in the title and abstract (injuries and
    procedures also in the case sections, and anything a strong cue such as 'due to' or
    'in the setting of' names when a disease is its subject); the organism of an
    infection; a mutation stated with the diagnosis."""
    rows: dict[str, dict] = {}
    cued: set[str] = set()
    terms = [(t, t.regex()) for t in proto.causes]
    diseases = [m for m in mentions or () if m.get("label") in DISEASE_LABELS
                and not any(m.get(k) for k in ("negated", "hypothetical", "family"))]
    for s in ct.sentences:
        if s.section not in CASE_SECTIONS or s.scope != "case":
            continue
        for t, rx in terms:
            m = rx.search(s.text)
            if m and t.name not in rows and not NEGATED_BEFORE.search(s.text[max(0, m.start() - 100):m.start()]):
                rows[t.name] = _cause_row(t.name, t.kind, effect, s, m.start(), m.end())
        text = _ABBR_DEF.sub(lambda a: " " * len(a.group(0)), s.text)  # "hormone (ACTH) secreting"
        lead = s.section in ("title", "abstract")
        for m, obj in _cue_objects(text):
            if _DATED.search(text[:m.start()]):
                continue  # "3 years after X" dates X, it does not blame it
            phrase = " ".join(obj.split()[:8])
            if not phrase or re.search(r"\b(?:no|not|without)\b|^(?:which|that|this|these|it|he|she|they|we)\b",
                                       phrase, re.I) \
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
                kind, phrase = cause_kind(phrase, proto, finder,  # a disease entity is a disease only after a strong cue
                                           _spans_in(diseases, s, m.start(2), phrase) if m.group(1) else [])
                name = re.sub(r"^(?:a|an|the)\s+", "", phrase.lower())
                if GENERIC_CAUSE.fullmatch(name):
                    continue  # "after the procedure was completed", cut to its head word
            # a strong cue in the case narrative names a cause when the condition is what it explains,
            # ... and "associated with" only when the condition is its subject
            strong = bool(m.group(1))
            tied = _said_of_condition(s, m.start(), effect)
            if kind == "other" or ((strong or m.group(0).lower().startswith("associated")) and not tied) \
                    or not (lead or kind in ("injury", "procedure") or strong) \
                    or _time_phrase(phrase) or _known(name, rows):
                continue
            a = s.start + m.start(2)
            rows[name] = _cause_row(name, kind, effect, s, a - s.start, a - s.start + len(phrase))
            if not known:
                cued.add(name)
        for name, kind, a, b in (_organisms(text) if INFECTIOUS.search(effect or "") else []) + _mutations(text):
            if not _known(name, rows) and not _same_as(name, effect) and name not in (effect or "").lower() \
                    and not NEGATED_BEFORE.search(text[max(0, a - 60):a]):
                rows[name] = _cause_row(name, kind, effect, s, a, b)
    return rows, cued


def named_cause(ct: CaseText, proto: Protocol, condition: str | None, finder: TreatmentFinder,
                rows: dict[str, dict]) -> dict[str, dict]:
    """The cause the condition's own name states ("X due to Y"), at its first mention in
    a sentence about the case; none when the rules found it already."""
    effect, cause = split_condition(spelled_out(condition, ct.abbrevs) if condition else None)
    if not cause:
        return {}
    rx = re.compile(r"(?<!\w)" + re.escape(cause) + r"(?!\w)", re.I)
    for s in ct.sentences:
        m = rx.search(s.text) if s.section in CASE_SECTIONS else None
        if m:
            kind, cut = cause_kind(m.group(0), proto, finder)
            name = normalize(cut, ct.abbrevs)
            if not _known(name, rows):
                if kind == "other":  # "lead poisoning": a substance; "X due to Y": a disease
                    kind = "drug" if _CONDITION_SAYS["drug"].search(effect) else "disease"
                return {name: _cause_row(name, kind, condition, s, m.start(),
                                         m.start() + len(cut))}
            return {}
    return {}


def _known(name: str, rows: dict[str, dict]) -> bool:
    """Whether a cause restates one already found (one inside the other, or the same head)."""
    return any(name in r or r in name or name.split()[-1] == r.split()[-1] for r in rows)


def _spans_in(diseases: list[dict], s: Sentence, start: int, phrase: str) -> list[tuple[int, int]]:
    """Offsets inside `phrase` (which starts at `start` in the sentence) of the disease
    entities it holds."""
    a, b = s.start + start, s.start + start + len(phrase)
    return [(m["char_start"] - a, m["char_end"] - a) for m in diseases if a <= m["char_start"] and m["char_end"] <= b]


def _said_of_condition(s: Sentence, cue: int, condition: str | None) -> bool:
    """Whether the clause before the cue names the report's condition ("the thrombus was
    due to..." in a report on a thrombus; not "a suicide attempt secondary to..." there)."""
    clause = re.split(r"[,;:]", s.text[:cue])[-1]
    words = {w for w in re.findall(r"[a-z]{4,}", (condition or "").lower())}
    return bool(words & set(re.findall(r"[a-z]{4,}", clause.lower())))


# an organism: "Staphylococcus aureus", "S. aureus", "Epstein-Barr virus", "Klebsiella"
_ORGANISM = (r"(?:[A-Z][a-z]{3,}\s|[A-Z]\.\s?)[a-z]{4,}(?:\s(?:complex|var\.\s\w+))?|[\w-]*virus(?:\s[A-Z0-9]+)?|"
             r"[A-Z][a-z]*(?:coccus|cocci|bacter|bacterium|monas|myces|ella|ida|illus|ia)")
ORGANISM_CUE = re.compile(
    r"\b(?:infect(?:ed|ion) (?:with|by|due to)|(?:cultures?|isolates?|swabs?|PCR)\b[^.;]{0,40}?"
    r"\b(?:grew|yielded|isolated|revealed|identified|positive for|showed)|positive for)\s+(?:an?\s+|the\s+)?"
    r"(" + _ORGANISM + r")|\b(" + _ORGANISM + r")(?:\s+infection\b|\s+(?:was|were)\s+(?:isolated|identified|detected|"
    r"cultured|grown)\b)")
# a condition an organism can cause: the organism of a wound swab does not explain a fracture
INFECTIOUS = re.compile(r"infect|septic|sepsis|itis\b|abscess|pneumonia|empyema|tubercul|myiasis|mycosis|"
                        r"endocarditis|bacter|viral|fung", re.I)
_NOT_ORGANISM = re.compile(r"^(?:the|this|that|these|his|her|our|patient|blood|urine|serum|tissue|culture|"
                           r"both|all|each|some|further|subsequent|previous|acute|chronic|severe|primary)\b", re.I)


def _organisms(text: str) -> list[tuple[str, str, int, int]]:
    """(name, kind, start, end) of the organisms an infection is named after or that the
    patient's cultures grew."""
    out = []
    for m in ORGANISM_CUE.finditer(text):
        g = 1 if m.group(1) else 2
        if not _NOT_ORGANISM.match(m.group(g)):
            out.append((" ".join(m.group(g).lower().split()), "disease", m.start(g), m.end(g)))
    return out


# "a heterozygous NOD2 mutation", "homozygous L444P mutations in the GBA gene", "a KCNQ1 nonsense variant"
MUTATION = re.compile(
    r"\b((?:(?:hetero|homo|hemi)zygous|germline|de novo|somatic)\s+)?((?:(?:[A-Z][A-Za-z0-9]*\d[\w>*]*|[A-Z][A-Z0-9]{1,9}|"
    r"p\.\S+|c\.\S+)[\s-]+){1,3})(?:mutations?|(?:nonsense |missense |frameshift |pathogenic )?variants?)"
    r"(?:\s+(?:in|of)\s+the\s+([A-Z][A-Z0-9]{1,9})\s+gene)?")


def _mutations(text: str) -> list[tuple[str, str, int, int]]:
    """(name, kind, start, end) of the mutations a sentence states: zygosity, variant,
    gene, "mutation"."""
    out = []
    for m in MUTATION.finditer(text):
        parts = [m.group(1) or "", m.group(2), m.group(3) or "", "mutation"]
        out.append((" ".join(" ".join(parts).lower().replace("-", " ").split()), "other", m.start(), m.end()))
    return out


# a gene alteration stated without "mutation": HGVS ("c.115G>T", "c.301dupA", "p.Arg123Trp",
# "p.I101NfsX6"), a gene and its protein change ("BRAF V600E", "(BRAF) V600E"), a fusion or
# rearrangement ("EML4-ALK fusion", "(EML4)-ALK transcript", "EWSR1 gene rearrangement")
_GENE = r"\(?[A-Z][A-Z0-9]{1,9}\)?"
ALTERATION = re.compile(
    r"(?<![\w.])(?:c\.[\d_+\-*]+(?:[ACGT]\s?>\s?[ACGT]|(?:del|dup|ins)[ACGT]*)"
    r"|p\.\(?[A-Z](?:[a-z]{2})?\d+[A-Za-z*][\w*]*\)?"
    r"|" + _GENE + r"\s[A-Z]\d{2,4}[A-Z]"
    r"|" + _GENE + r"(?:-" + _GENE + r")?\s(?:gene\s)?(?:fusion|rearrangement|translocation|transcript)s?)(?!\w)")


def _alterations(text: str) -> list[tuple[str, str, int, int]]:
    """(name, kind, start, end) of the gene alterations a sentence states without the word
    "mutation" (`ALTERATION`): candidates for the model, not rule causes (a report lists
    common variants beside the one that caused the condition)."""
    return [(" ".join(re.sub(r"[()]|\s(?=>)|(?<=>)\s", "", m.group(0)).lower().split()), "other",
             m.start(), m.end()) for m in ALTERATION.finditer(text)]


def _same_as(phrase: str, condition: str | None) -> bool:
    """Whether a cause phrase restates the condition itself ("spinal cord injury")."""
    words = set(re.findall(r"\w+", (condition or "").lower()))
    return len(words & set(re.findall(r"\w+", phrase.lower()))) >= min(2, len(words)) if words else False


def _time_phrase(phrase: str) -> bool:
    return bool(re.match(r"(?:\d+|one|two|three|several|a few|few|many)\s+\w+|admission|discharge|birth|"
                         r"delivery|surgery$|the (?:procedure|operation)|treatment|therapy", phrase, re.I))


def cause_kind(phrase: str, proto: Protocol, finder: TreatmentFinder,
               entities: list[tuple[int, int]] = ()) -> tuple[str, str]:
    """(cause_kind, phrase cut after its head word) for a cause phrase; a disease head
    (or a disease entity at `entities`' offsets) after the kind's word makes it a disease
    ("wound infection", not the injury "wound")."""
    cut = _PRESENCE.match(phrase)
    entity_end = max((b for a, b in entities), default=0) - (cut.end() if cut else 0)
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
    if entity_end > 0:
        return "disease", " ".join(phrase[:entity_end].split())
    return "other", phrase


def _cause_row(name, kind, effect, s: Sentence, a: int, b: int) -> dict:
    return dict(cause=name, cause_kind=kind, effect=effect, text=s.text[a:b], sentence=s.text,
                char_start=s.start + a, char_end=s.start + b)


# -- the learned decision -----------------------------------------------------------------
CAUSE_MODEL = "evidence_cause"
# words that tie a cause to its effect, in either order ("X-induced Y", "Y due to X")
CUE_WORDS = {
    "induced": r"induc\w*|provok\w*|trigger\w*|precipitat\w*",
    "due": r"due to|secondary to|caused by|because of|result\w* (?:of|from)|attribut\w* to|owing to",
    "after": r"after|following|post\w*|since",
    "associated": r"associat\w*|related|linked|in the setting of|in the context of|complicat\w*",
    "cause": r"caus\w*|lead(?:s|ing)? to|led to|produc\w*|develop\w*|toxicity|poisoning|exposure",
    "infection": r"infect\w*|positive for|grew|isolated|cultur\w*",
    "history": r"history of|known|underlying|background|previous\w*|prior",
    "treat": r"treat\w*|given|received|therapy|administ\w*|manag\w*",
    "negation": r"no|not|without|negative|denied|ruled out|excluded",
    "mutation": r"mutation|variant|homozygous|heterozygous|gene",
}
_CUE_RX = {k: re.compile(r"(?<!\w)(?:" + v + r")(?!\w)", re.I) for k, v in CUE_WORDS.items()}
# entity labels of what the case found rather than what caused it: "pain", "raised CRP", "the CT", "the left lung"
FINDING_LABELS = frozenset({"Sign_symptom", "Lab_value", "Diagnostic_procedure", "Biological_structure"})
# entity labels of the NLP pipeline a cause can have, with the kind it gets
CAUSE_LABELS = {"Disease_disorder": "disease", "DISEASE": "disease", "CHEMICAL": "drug", "Medication": "drug",
                "Therapeutic_procedure": "procedure", "Sign_symptom": "disease"}


def pair_features(text: str, ca: int, cb: int, ctype: str, effect: tuple[int, int] | None) -> dict[str, float]:
    """Features of "the span text[ca:cb] (of type `ctype`) caused the effect span": the cue
    words between the two (or before the cause when the sentence names no effect), their
    order and distance, the cause's type and shape. The same for a report's sentence, a
    MACCROBAT one and a BC5CDR one."""
    f: dict[str, float] = {"bias_const": 1.0, f"ctype={ctype}": 1.0}
    words = len(text[ca:cb].split())
    f[f"cwords={min(words, 4)}"] = 1.0
    if effect is None:
        f["no_effect"] = 1.0
        between = text[max(0, ca - 50):ca]
        order = "none"
    else:
        ea, eb = effect
        order = "cause_first" if ca < ea else "effect_first"
        between = text[cb:ea] if ca < ea else text[eb:ca]
        gap = len(between.split())
        f[f"dist={sum(gap > x for x in (0, 2, 5, 10, 20))}"] = 1.0
        if re.search(r"[;]|\b(?:but|whereas|while|although)\b", between):
            f["clause_break"] = 1.0
    f[f"order={order}"] = 1.0
    if re.match(r"\s*-?\s*(?:induced|associated|related|triggered)\b", text[cb:cb + 14], re.I):
        f["adj_cue"] = 1.0
    for k, rx in _CUE_RX.items():
        if rx.search(between):
            f[f"cue={k}"] = 1.0
            f[f"cue={k}&{order}"] = 1.0
    before = text[max(0, ca - 30):ca]
    for k in ("due", "after", "history", "negation", "infection"):
        if _CUE_RX[k].search(before):
            f[f"before={k}"] = 1.0
    after = text[cb:cb + 40]  # "X can cause ...", "X is associated with ...": the candidate as the subject of a cue
    for k in ("due", "cause", "induced", "associated"):
        if _CUE_RX[k].search(after):
            f[f"after={k}"] = 1.0
    if re.search(r"\s(?:infection|infected)\b", text[cb:cb + 12], re.I):
        f["infection_after"] = 1.0
    return f


@dataclass
class CauseCandidate:
    name: str
    kind: str
    sentence: Sentence
    a: int
    b: int
    features: dict[str, float]


def _effect_spans(text: str, condition: str, abbrevs: dict[str, str]) -> list[tuple[int, int]]:
    """Where a sentence names the condition: its name, its head word (the last before
    "of": "fistula of the scalp"), or an abbreviation of it."""
    words = re.split(r"\s+of\s+", condition)[0].split()
    pats = [re.escape(condition), re.escape(words[-1]) + r"s?"] if words else []
    pats += [re.escape(s) for s, long in abbrevs.items() if long.lower() in condition or condition in long.lower()]
    if not pats:
        return []
    return [m.span() for m in re.finditer(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)", text, re.I)]


def spelled_out(condition: str, abbrevs: dict[str, str]) -> str:
    """The condition in lower case with the long form of each abbreviation in it added
    ("atm" -> "atm acute transverse myelitis"): what its words say (an infection, a
    drug's toxicity) and which candidates restate it are read from the long form."""
    low = condition.lower()
    longs = {k.lower(): v.lower() for k, v in abbrevs.items()}
    added = [longs[w] for w in re.findall(r"[\w'-]+", low) if w in longs and longs[w] not in low]
    return " ".join([low, *added])


# a span cut in the middle of its phrase ("thickening of the", "ingestion of positive") or a figure
_CUT_SHORT = re.compile(r"(?:^|\s)(?:the|a|an|of|and|or|to|with|in|on|for|by|at|from|as|revealed|showed|"
                        r"positive|negative|intravenous|oral|topical|subcutaneous|intramuscular)$"
                        r"|^(?:fig|figure|table)\b", re.I)  # a route ends no name: "administration of intravenous"
# "a 52-year-old man known to have X", "a woman with X and Y": what the patient brought to the case
_BACKGROUND = re.compile(r"\b(?:with|history of|known (?:to have|for|with)?|diagnosed with|underlying)\b[^.;:]*$",
                         re.I)


def cause_candidates(ct: CaseText, proto: Protocol, condition: str | None, finder: TreatmentFinder,
                     mentions: list[dict] = (), rule_rows: list[dict] = (),
                     condition_scored: list[tuple[float, Candidate]] | None = None,
                     given: frozenset[str] = frozenset()) -> list[CauseCandidate]:
    """Every span of a sentence about the case that may have caused the condition: entities
    (diseases, procedures, symptoms, drugs), organisms, mutations and the objects of cause
    cues ("after X", "X-induced"), each with its pair features against the nearest mention
    of the condition in its sentence, where the report states it, and its place in the
    whole report (`_document_features`): a cause is often stated far from its effect, as
    the patient's background ("a history of X") or a drug started before the condition.
    A name's score as the report's condition (`condition_scored`, `_as_condition`) counts
    too: a disease the report makes prominent that is not its condition is often its cause.
    So does how often the case states a cause at all (strong cues and "X-induced" in its
    sentences, `report_cues`): where it states none, the report mostly has none. And what
    the NER reads the name as (`FINDING_LABELS`, `finding_share`): a sign, a lab value or an
    examination's finding is mostly a finding of the condition, not its cause.
    Exposures the cue phrases do not name are left to the rules (`rule_causes`).
    Not a candidate (`_not_this_cause`): a name only the literature sentences state, or
    a treatment the case gives (`given`) that no cause cue ties to the condition."""
    if not condition:
        return []
    cond = split_condition(spelled_out(condition, ct.abbrevs))[0]  # the cause its name states is a candidate
    rule_names = {r["cause"] for r in rule_rows}
    out = []
    by_sentence: dict[int, list[tuple[int, int, str, dict]]] = {}
    starts = [s.start for s in ct.sentences]
    findings: dict[int, list[tuple[int, int, str]]] = {}  # a sentence's entities with a `FINDING_LABELS` label
    for men in mentions or ():
        si = bisect.bisect_right(starts, men["char_start"]) - 1
        if si < 0 or men["char_end"] > ct.sentences[si].end:
            continue
        a = men["char_start"] - ct.sentences[si].start
        if men.get("label") in FINDING_LABELS:
            findings.setdefault(si, []).append((a, a + men["char_end"] - men["char_start"], men["label"]))
        kind = CAUSE_LABELS.get(men.get("label"))
        if kind is not None:
            src = "ner_symptom" if men["label"] == "Sign_symptom" else f"ner_{kind}"
            flags = {k: bool(men.get(k)) for k in ("negated", "hypothetical", "historical")}
            by_sentence.setdefault(si, []).append((a, a + men["char_end"] - men["char_start"], src, flags))
    counts: dict[str, int] = {}
    found: dict[str, int] = {}  # how many of a name's mentions are findings (`FINDING_LABELS`)
    first_case = next((i for i, s in enumerate(ct.sentences) if s.section == "case"), 0)
    read = CASE_SECTIONS + ("discussion", "conclusion", "introduction")
    effects_of = {i: _effect_spans(s.text, cond, ct.abbrevs) for i, s in enumerate(ct.sentences) if s.section in read}
    mentioned = [i for i, s in enumerate(ct.sentences) if s.section in CASE_SECTIONS and effects_of[i]]
    stated = 0  # the case's strong cause cues and "X-induced" words (`report_cues`)
    for si, s in enumerate(ct.sentences):
        if s.section not in read:
            continue
        text = s.text
        cues = list(_cue_objects(text))
        if s.section in CASE_SECTIONS and s.scope == "case":
            stated += sum(1 for m, _ in cues if m.group(1) or m.re is CAUSE_ADJ)
        spans = list(by_sentence.get(si, []))
        rules_here = [r for r in rule_rows if s.start <= r["char_start"] < s.end]
        spans += [(r["char_start"] - s.start, r["char_end"] - s.start, "rule", {}) for r in rules_here]
        # an organism explains an infection more often than a fracture: `infectious` says which
        spans += [(a, b, "organism", {}) for _, _, a, b in _organisms(text)]
        # (not a pair that starts the sentence: its capital names nothing there, "Chronic cough began ...")
        spans += [(m.start(), m.end(), "organism_like", {}) for m in re.finditer(_ORGANISM, text)
                  if not _NOT_ORGANISM.match(m.group(0)) and not m.group(0)[:1].islower()
                  and (m.start() > 0 or re.match(r"[A-Z]\.", m.group(0)))]
        mutations = {a: (name, b) for name, _, a, b in _mutations(text)}  # named as the rules name them
        mutations.update({a: (name, b) for name, _, a, b in _alterations(text)
                          if not any(x < b and a < y for x, (_, y) in mutations.items())})
        spans += [(a, b, "mutation", {}) for a, (_, b) in mutations.items()]
        spans += [(m.start(2), m.start(2) + len(obj), "cue_object", {}) for m, obj in cues if obj]
        effects = effects_of.get(si, [])
        for a, b, src, flags in spans:
            raw = text[a:b]
            name = normalize(_PRESENCE.sub("", raw), ct.abbrevs)
            # "M. tuberculosis" of "tuberculosis" names the organism, not the condition again; a
            # capitalised pair that only looks like one ("Iatrogenic calcinosis") is not exempt
            exempt = src in ("organism", "rule") or (src == "organism_like" and re.match(r"[A-Z]\.", raw))
            if (len(name) < 3 and not re.fullmatch(r"[A-Z]{2}", raw)) or name in cond \
                    or (not exempt and (_same_as(name, cond) or any(a < y and x < b for x, y in effects))):
                continue
            if src == "rule":
                r = next(r for r in rules_here if r["char_start"] - s.start == a)
                name, kind = r["cause"], r["cause_kind"]
            elif src == "cue_object":
                kind, cut = cause_kind(raw, proto, finder)
                name = normalize(cut, ct.abbrevs) or name
            elif src == "mutation":
                kind, name = "other", mutations[a][0]
            else:
                kind = {"organism": "disease", "organism_like": "disease", "ner_symptom": "disease"}.get(src, src[4:])
            if src != "rule" and ((kind == "other" and src != "mutation") or _time_phrase(name)
                                  or _CUT_SHORT.search(name)):
                continue
            eff = min(effects, key=lambda e: abs(e[0] - a), default=None)
            f = pair_features(text, a, b, kind, eff)
            f[f"src={src}"] = 1.0
            finding = {lab for x, y, lab in findings.get(si, ()) if x < b and a < y}
            for lab in finding:
                f[f"ent={lab}"] = 1.0
            f[f"section={s.section}"] = 1.0
            if s.section == "case" and si - first_case < 2:
                f["opening"] = 1.0  # "A 66-year-old man with a history of X": the patient's background
                f[f"opening&{kind}"] = 1.0
                if _BACKGROUND.search(text[max(0, a - 40):a]):
                    f[f"background&{kind}"] = 1.0
            if f.get("before=history"):
                f[f"history&{kind}"] = 1.0
            f[f"scope={s.scope}"] = 1.0
            for k, v in flags.items():
                if v:
                    f[f"ctx={k}"] = 1.0
            if finder.canonical(name) is not None:
                f["treatment_term"] = 1.0  # a name the treatment vocabulary knows: more often given than blamed
            if name in rule_names:
                f["rule"] = 1.0
            f.update(_document_features(kind, cond, si, first_case, mentioned))
            counts[name] = counts.get(name, 0) + 1
            found[name] = found.get(name, 0) + bool(finding)
            out.append(CauseCandidate(name, kind, s, a, b, f))
    pooled: dict[str, CauseCandidate] = {}  # one candidate a name: what the report says of it anywhere
    for c in out:
        keep = pooled.setdefault(c.name, c)
        if keep is not c:
            _pool(keep.features, c.features)
    summary = has_summary(ct)
    if condition_scored is None:
        condition_scored = condition_scores(ct, mentions or [], proto)
    as_condition = _as_condition(condition_scored)
    most = max(counts.values(), default=1)
    for c in pooled.values():
        c.features["log_count"] = math.log1p(counts[c.name])
        # how often the name is stated against the report's most stated name: `log_count` alone
        # does not say whether a count is many for this report (a long report repeats everything)
        c.features[f"count_rel={min(int(3 * counts[c.name] / most), 2)}"] = 1.0
        # how many of the name's mentions the NER reads as a sign, a lab value, an examination or a
        # body part: a finding of the condition ("pain", "masses", "effusion") more often than its cause
        c.features[f"finding_share={round(2 * found[c.name] / counts[c.name])}"] = 1.0
        c.features[f"report_cues={min(stated, 2)}"] = 1.0  # a report that states no cause at all mostly has none
        p = as_condition(c.name)
        if p is not None:
            c.features[f"condition_score={min(int(p * 5), 4)}"] = 1.0
        if rule_names - {c.name}:
            c.features["rules_found"] = 1.0  # the rules named a cause already: one more is less likely
        if summary:
            c.features["has_summary"] = 1.0
    return [c for c in pooled.values() if not _not_this_cause(c, finder, given)]


# when the condition began ("childhood-onset X"), like its risk or prognosis (`_RISK`), is no cause of it
_ONSET = re.compile(r"\bonset\b", re.I)
# a cue that states the candidate as a cause ("due to X", "X-induced", "X caused"); "after X"
# does not when the case gives X: it times what came next ("resected after blockade with X")
_STATED = ("before=due", "adj_cue", "cue=induced", "cue=due", "after=induced", "after=cause")


def _not_this_cause(c: CauseCandidate, finder: TreatmentFinder, given: frozenset[str]) -> bool:
    """Whether a candidate other than a rule's is no cause of this patient's condition: a
    name only the literature sentences state (the introduction's and discussion's causes
    are of the disease in general), a risk, prognosis or onset of the condition, or a treatment the case gives (`given`) that no cue
    states as a cause: what the report gives is mostly for the condition."""
    f = c.features
    if f.get("src=rule"):
        return False
    if (f.get("scope=literature") and not f.get("scope=case")) or _RISK.search(c.name) or _ONSET.search(c.name):
        return True
    term = finder.canonical(c.name)
    named = c.name.lower() in given or (term is not None and term.name.lower() in given)
    return named and not any(k in f for k in _STATED)


def _as_condition(scored: list[tuple[float, Candidate]]):
    """name -> the condition model's best score of a condition candidate of that name (or,
    failing one, of a name containing it or contained in it), None for a name it never
    considered."""
    best: dict[str, float] = {}
    for p, c in sorted(scored, key=lambda x: -x[0]):
        best.setdefault(c.name.lower(), p)

    def score(name: str) -> float | None:
        low = name.lower()
        if low in best:
            return best[low]
        return next((p for n, p in best.items() if n and (n in low or low in n)), None)
    return score


# where the name is first stated: a drug that caused the condition is named before it, a treatment after
_FIRST_MENTION = {"before_condition", "after_condition"}


def _pool(keep: dict[str, float], more: dict[str, float]) -> None:
    """Adds another mention's features to a name's: a cue any mention has counts, but the
    name stands as near the condition as its nearest mention, and is negated, hypothetical
    or historical only when every mention is."""
    gaps = [k for k in (*keep, *more) if k.startswith("sent_gap=")]
    ctx = {k for k in keep if k.startswith("ctx=")} & {k for k in more if k.startswith("ctx=")}
    keep.update({k: max(v, keep.get(k, 0.0)) for k, v in more.items() if k not in _FIRST_MENTION})
    for k in gaps:
        keep.pop(k, None)
    if gaps:
        keep[min(gaps)] = 1.0
    for k in [k for k in keep if k.startswith("ctx=") and k not in ctx]:
        del keep[k]


# the condition's own name says a cause of this kind is to be found ("drug-induced X", "X toxicity")
_CONDITION_SAYS = {"drug": re.compile(r"induced|toxicity|toxic|poisoning|adverse|drug|medication", re.I),
                   "procedure": re.compile(r"iatrogenic|post\w*|after|complication|during", re.I),
                   "disease": re.compile(r"secondary|due to|associated|related|metasta\w*|from", re.I)}


NEOPLASM = re.compile(r"\w*(?:oma|omas|cancer|tumou?rs?|neoplasms?|malignan\w*|metasta\w*)\b", re.I)


def _document_features(kind: str, condition: str, si: int, first_case: int,
                       mentioned: list[int]) -> dict[str, float]:
    """Where a candidate of sentence `si` stands in the report: before or after
    the first statement of the condition (`mentioned`: the sentences that name it), how
    many sentences from the nearest one, whether the condition's name asks for a cause of
    its kind, whether the condition is an infection."""
    f: dict[str, float] = {}
    if not mentioned:
        f["condition_unstated"] = 1.0
    else:
        f["before_condition" if si < mentioned[0] else "after_condition"] = 1.0
        gap = min(abs(si - m) for m in mentioned)
        f[f"sent_gap={sum(gap > x for x in (0, 1, 3, 8))}"] = 1.0
    if si == first_case:
        f[f"first_sentence&{kind}"] = 1.0
    rx = _CONDITION_SAYS.get(kind)
    if rx and rx.search(condition):
        f[f"condition_says&{kind}"] = 1.0
    if INFECTIOUS.search(condition):
        f[f"infectious&{kind}"] = 1.0
    if NEOPLASM.search(condition):
        f[f"neoplasm&{kind}"] = 1.0  # a tumour's cause is seldom stated, unless a mutation or a background disease
    return f


def has_summary(ct: CaseText) -> bool:
    """Whether the report has a title or abstract: where an article states its cause, and
    the rules read it (a feature of the cause model)."""
    return any(s.section in ("title", "abstract") for s in ct.sentences)


def learned_causes(ct: CaseText, proto: Protocol, condition: str | None, finder: TreatmentFinder,
                   mentions: list[dict], rows: dict[str, dict], vetoable: set[str] = frozenset(),
                   model: LinearModel | None = None, credited: frozenset[str] = frozenset(),
                   condition_scored: list[tuple[float, Candidate]] | None = None,
                   given: frozenset[str] = frozenset()) -> dict[str, dict]:
    """The causes after the model: the rule rows, less those only a cue phrase gave
    (`vetoable`) whose best candidate it scores below `veto_below` (the model's meta), and,
    when the rules found no cause, the best `max_per_report` other names it accepts
    (best-scored mention of each name), and beside them its best organism when it accepts
    that too (`an_organism`: an infection's agent is stated beside its route or exposure).
    Where the rules found one, the report stated it with a cue ("after X", "X-induced", the
    organism an infection grew): the model's best other name there is mostly a finding or a
    complication of the condition."""
    model = model or load_model(CAUSE_MODEL)
    best: dict[str, tuple[float, CauseCandidate]] = {}
    rule_p: dict[str, float] = {}
    threshold = model.threshold if not rows else math.inf
    for c in cause_candidates(ct, proto, condition, finder, mentions, list(rows.values()), condition_scored, given):
        p = model.probability(c.features)
        if c.features.get("src=rule"):
            rule_p[c.name] = max(rule_p.get(c.name, 0.0), p)
        elif p >= threshold and p > best.get(c.name, (0.0, None))[0] and c.name.lower() not in credited:
            best[c.name] = (p, c)
    veto = model.meta.get("veto_below", 0.0)
    out = {k: r for k, r in rows.items() if k not in vetoable or rule_p.get(k, 1.0) >= veto}
    ranked = sorted(best.values(), key=lambda x: -x[0])
    organism = next((c for _, c in ranked if an_organism(c.features)), None)
    added = 0
    for p, c in ranked:
        if added >= model.meta.get("max_per_report", 99):
            break
        if _add(out, c, condition):
            added += 1
    if organism is not None:
        _add(out, organism, condition)
    return out


def an_organism(features: dict[str, float]) -> bool:
    """Whether a candidate is an organism (`_organisms` or the shape of one's name, `_ORGANISM`)."""
    return bool(features.get("src=organism") or features.get("src=organism_like"))


def _add(out: dict[str, dict], c: CauseCandidate, condition: str | None) -> bool:
    """Adds a candidate the model accepts as a cause row, unless a cause already covers its
    text or restates it."""
    a, b = c.sentence.start + c.a, c.sentence.start + c.b
    if any(r.get("char_start") is not None and a < r["char_end"] and r["char_start"] < b for r in out.values()) \
            or _known(c.name, out):
        return False
    out[c.name] = _cause_row(c.name, c.kind, condition, c.sentence, c.a, c.b)
    return True
