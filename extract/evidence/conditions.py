"""The report's own diagnosis when no topic protocol names it: a learned choice among
candidate disease phrases.

Candidates are the disease entities of the NLP pipeline (clinical `Disease_disorder` and
`Sign_symptom`, chem_disease `DISEASE`), the disease phrases of the title and of every
sentence (a disease head word with its modifiers: "cardiac AL amyloidosis"), the objects
of "diagnosis of / diagnosed with / consistent with / a case of / the diagnosis was / we
suspected / proved to be", the names before "was diagnosed / was suspected", and the
disease phrases of what an examination revealed. Mentions of one name (abbreviations
expanded, "presence of" dropped) form one candidate; a logistic model
(`models/evidence_condition`, trained by `extract.training.train_diagnosis`) scores each
from where and how often the report names it, the cue words around it (a cause, a
ruled-out differential, a drug given, the course's result), its ConText flags and its
shape, and the best one is the report's condition. The features carry no words of any
report, so that what was learned on the dev reports holds on others.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from extract.evidence.casetext import CaseText, Sentence
from extract.evidence.learned import LinearModel, load_model
from extract.nlp.protocols import Protocol

CONDITION_MODEL = "evidence_condition"
DISEASE_LABELS = ("Disease_disorder", "DISEASE")
CANDIDATE_LABELS = DISEASE_LABELS + ("Sign_symptom",)
# entity labels of what is no disease (a drug, a procedure, a test): how often the NER also gives a
# candidate's name one of them is a feature (`other_label_share`). Its learned weight is positive: on
# noisy NER the report's diagnosis, named most, collects stray labels too
OTHER_LABELS = ("Medication", "CHEMICAL", "Therapeutic_procedure", "Diagnostic_procedure")
DIAGNOSIS_CUE = re.compile(r"\b(?:diagnos\w+|consistent with|compatible with|confirm\w+|case of|"
                           r"suffer\w* from|suggestive of|we (?:report|present|describe)|"
                           r"(?:final|definitive|histopathologic\w*|patholog\w*) (?:diagnosis|findings?))\b", re.I)
STATED = re.compile(r"\b(?:diagnos(?:is|ed|e|tic) (?:of|with|as)|consistent with|compatible with|suggestive of|"
                    r"indicative of|characteristic of|(?:a |the )?case of|confirmation of|"
                    r"suspect\w* (?:of|for)(?: having)?|confirm(?:ed|ing) (?:the )?diagnosis of|"
                    r"diagnosis (?:was|is)(?: made of)?(?!\s+(?:\w+ed|made|not|then|\w+ly|also)\b)|"
                    r"(?:we|was|were) suspected|impression (?:was|of)|"
                    r"(?:proved|turned out|found(?: \S+){0,4}?) to (?:be|represent)|to represent)"
                    r"\s+(?:an?\s+|the\s+)?([^.;:,()]{2,80})", re.I)
# what an examination found: "biopsy revealed adenocarcinoma", "the MRI suggested a dissection"
FOUND = re.compile(r"\b(?:revealed|confirm(?:ed|ing)|showed|demonstrated|suggested|indicated|identified|"
                   r"detected|disclosed)\s+"
                   r"(?:an?\s+|the\s+)?([^.;:,()]{2,80})", re.I)
# a diagnosis stated after its name: "MHL was diagnosed", "the dissection was confirmed"
STATED_AFTER = re.compile(r"\s+(?:was|were) (?:\w+ly )?(?:diagnosed|confirmed|suspected)\b", re.I)
# what comes before a name that is a cause, a symptom or a past event rather than the diagnosis
CAUSE_BEFORE = re.compile(r"\b(?:secondary to|due to|caused by|induced by|following|after|history of|"
                          r"complicat\w+|in the setting of|because of|risk of|associated with)"
                          r"\s+(?:\S+\s+){0,3}$", re.I)
# the patient's background disease: "... in a patient with metastatic melanoma"
BACKGROUND_BEFORE = re.compile(r"\b(?:patients?|wom[ae]n|m[ae]n|child(?:ren)?|girl|boy|infant|recipients?) "
                               r"(?:with|having|on)\s+(?:\S+\s+){0,2}$|\bwith (?:a )?(?:known|underlying|"
                               r"pre-?existing)\s+(?:\S+\s+){0,2}$", re.I)
SYMPTOM_BEFORE = re.compile(r"\b(?:present\w* (?:with|to)|complain\w* of|report\w* (?:of )?|admitted (?:with|for)|"
                            r"develop\w*|onset of)\s+(?:\S+\s+){0,4}$", re.I)
# what a treatment was for: "treated for ...", "surgery for ..."
TREATED_FOR = re.compile(r"\b(?:treat\w*|therap\w*|surgery|operat\w+|resect\w*|management|managed|admitted|"
                         r"referred|indicat\w+)\s+(?:for|of)\s+(?:\S+\s+){0,3}$", re.I)
EXCLUDED_BEFORE = re.compile(r"\b(?:never|ruled out|exclud\w+|no (?:evidence|signs?) of|differential|rather than|"
                             r"instead of|unlikely|negative for)\b[^.;]{0,60}$", re.I)
# a name ruled out where it stands: "to rule out X", "absence of X", "X was excluded / not present"
RULED_OUT_BEFORE = re.compile(r"\b(?:rul(?:e|ed|ing) out|exclud\w+|absence of|without|no|not|negative for|"
                              r"criteria for)\s+(?:\S+\s+){0,2}$", re.I)
RULED_OUT_AFTER = re.compile(r"^\W{0,3}(?:(?:was|were|is|are|has been|had been)\s+(?:\w+ly\s+)?"
                             r"(?:excluded|ruled out|not\b|absent|unlikely|negative)|(?:\S+\s+){0,3}?"
                             r"(?:was|were) not (?:satisfied|met|present|found|seen|detected|observed))", re.I)
# a sentence about the patient's past: "a 3-year history of", "was diagnosed at age 40", "in 2005"
HISTORY = re.compile(r"\b(?:history|previously|known|had been|had (?:a|an)\b|years? (?:ago|before|earlier)|"
                     r"at (?:the )?age (?:of )?\d+|(?:in|since) (?:19|20)\d\d)\b", re.I)
# what the course is about: "X was treated / resolved", "resolution of X", "treatment of X"
COURSE_AFTER = re.compile(r"^\W{0,3}(?:(?:was|were|had|has)\s+(?:\w+ly\s+)?(?:been\s+)?(?:treated|managed|resolved|"
                          r"improved|repaired|resected|removed|excised|drained|controlled|cured|regressed|decreased)|"
                          r"(?:resolved|improved|regressed|disappeared|recurred))\b", re.I)
COURSE_BEFORE = re.compile(r"\b(?:resolution|improvement|regression|recurrence|treatment|management|repair|resection|"
                           r"excision|removal|control) (?:of|in)\s+(?:(?:the|his|her|an?)\s+)?(?:\S+\s+){0,2}$", re.I)
# a name given as a treatment where it stands: a dose after it, "mg of" or a verb of giving before it
GIVEN_AFTER = re.compile(r"^\W{0,3}(?:\(?\w+\W+){0,2}?\d+(?:[.,]\d+)?\s*(?:mg|g|µg|μg|mcg|ml|iu|units)\b|"
                         r"^\s+(?:was|were) (?:\w+ly )?(?:administered|given|started|initiated|infused|injected|"
                         r"performed|placed|created|inserted|discontinued|stopped)\b", re.I)
GIVEN_BEFORE = re.compile(r"\b(?:\d+\s*(?:mg|g|ml) of|administ\w+|received|receiving|given|start\w+ on|"
                          r"treated with|requir\w+|underw\w+|create|insert\w*|placement of|infusion of)"
                          r"\s+(?:\S+\s+){0,2}$", re.I)
# a name with its stated cause after or before it is an effect: "X due to Y", "Y-induced X"
CAUSE_AFTER = re.compile(r"^\W{0,3}(?:\S+\s+){0,2}?(?:due to|secondary to|caused by|induced by|related to|"
                         r"resulting from|as a (?:complication|result|consequence) of)\b", re.I)
CAUSED_BEFORE = re.compile(r"\w-(?:induced|related|associated)\s+(?:\S+\s+){0,2}$", re.I)
_ARTICLE = re.compile(r"^(?:an?|the|this|that|his|her|their|its|a case of|case of)\s+", re.I)
# words before a name that say how it was seen, not what it is: "presence of", "possibility of"
_LEAD = re.compile(r"^(?:(?:an?|the)\s+)?(?:presence|possibility|suspicion|evidence|signs?|stigmata|features?|"
                   r"development|proliferation|amount|source|cases?|areas?|foci|focus)\s+of\s+(?:(?:an?|the)\s+)?")
_CLAUSE_CUT = re.compile(r"\s+(?:in|with|and|or|which|that|was|were|is|by|after|on|at|from|due|who|"
                         r"secondary|following|as|because|since|while|during)\b.*$", re.I)
# words that end a title's disease phrase on the left (and are no disease head themselves)
TITLE_STOP = {"of", "in", "a", "an", "the", "with", "after", "from", "by", "for", "and", "as", "on", "to",
              "during", "following", "caused", "induced", "associated", "case", "report", "unusual", "rare",
              "uncommon", "unique", "presenting", "presentation", "management", "treatment", "diagnosis",
              "detection", "first", "another", "interesting", "novel", "or", "its", "their", "due", "secondary",
              "prognosis", "prenatal", "postnatal", "features", "feature", "manifestation", "manifestations",
              "findings", "misleading", "course", "aspects", "patient", "patients", "undergoing", "receiving",
              "treated", "children", "adults", "women", "men", "infants", "neonates", "resection", "excision",
              "removal", "repair", "revision", "reconstruction", "drainage", "care"}
_STOP_NAMES = {"patient", "case", "diagnosis", "disease", "condition", "lesion", "mass", "this", "that",
               "which", "it", "findings", "symptoms"}


# features that weigh differently in a text with no title (MACCROBAT-like narratives)
UNTITLED = ("log_count", "log_head_count", "log_shorter_count", "diagnosis_cue", "in_last_fifth", "in_first3",
            "last_stated", "last_found", "src=found", "stated", "treated_for")
_READ = ("title", "abstract", "introduction", "case", "results", "discussion", "conclusion", "other")


@dataclass
class Candidate:
    """Every mention of one candidate name: (sentence index, start, end, source, flags)."""

    name: str
    mentions: list[tuple[int, int, int, str, dict]] = field(default_factory=list)
    other_label: int = 0  # how often the NER labels the name with one of OTHER_LABELS

    def sources(self) -> set[str]:
        return {m[3] for m in self.mentions}


def prose(ct: CaseText) -> list[Sentence]:
    """The sentences candidates come from (not methods)."""
    return [s for s in ct.sentences if s.section in _READ]


def normalize(text: str, abbrevs: dict[str, str]) -> str:
    """A candidate's name: the long form of an abbreviation, lower case, no article."""
    text = " ".join(text.strip(" -,.;:").split())
    if text in abbrevs:
        text = abbrevs[text]
    elif text.rstrip("s") in abbrevs:
        text = abbrevs[text.rstrip("s")]
    text = _LEAD.sub("", _ARTICLE.sub("", text.lower().replace("’", "'")))
    return re.sub(r"\s*-\s*", "-", text).strip()


def disease_phrases(text: str, proto: Protocol) -> list[tuple[int, int]]:
    """(start, end) of every disease phrase of `text`: a disease head word ('...itis',
    'syndrome', 'fracture') with the modifiers before it ("X of Y" kept)."""
    if not proto.disease_heads:
        return []
    head = re.compile(r"^(?:" + "|".join(proto.disease_heads) + r")$", re.I)
    words = list(re.finditer(r"[\w'’\-]+", text))
    out = []
    for i, w in enumerate(words):
        if not head.match(w.group(0).strip("'’")) or w.group(0).lower() in TITLE_STOP:
            continue
        j = i
        while j > 0:
            prev = words[j - 1]
            gap = text[prev.end():words[j].start()]
            low = prev.group(0).lower()
            if gap.strip():  # punctuation between: the phrase starts here
                break
            if low == "of" and j >= 2 and words[j - 2].group(0).lower() not in TITLE_STOP | _NOT_BEFORE_OF \
                    and not text[words[j - 2].end():prev.start()].strip():
                j -= 1
                continue
            if low in TITLE_STOP or low in _NOT_MODIFIER \
                    or re.search(r"-(?:induced|associated|related|year-old)$", low) \
                    or prev.group(0)[:1].isdigit() or low.endswith("ly") or i - j >= 4:
                break
            j -= 1
        out.append((words[j].start(), w.end()))
    return out


def extend_left(text: str, a: int, most: int = 3) -> int:
    """Where an entity's name starts once the modifiers before it are taken in ("left
    intraatrial" + "thrombus"): up to `most` words, no stop word, verb form, number or
    punctuation."""
    start = a
    for _ in range(most):
        m = re.search(r"(?<![\w\-])([A-Za-z][a-z\-]+)\s+$", text[:start])
        low = m.group(1).lower() if m else ""
        if not m or low in TITLE_STOP or low in _NOT_MODIFIER or re.search(r"(?:ed|ing|ly)$", low):
            break
        start = m.start(1)
    return start


_NOT_MODIFIER = {"is", "was", "were", "are", "be", "been", "had", "has", "have", "no", "not", "any", "some",
                 "this", "that", "these", "those", "his", "her", "their", "our", "which", "who", "also", "than",
                 "but", "there", "further", "other", "both", "each", "all", "into", "at", "about", "showed",
                 "revealed", "suggested", "confirmed", "diagnosed", "identified", "found", "noted", "he", "she",
                 "one", "two", "three", "four", "five", "six", "several", "new", "smaller", "larger", "should", "may",
                 "might", "could", "would", "can", "suggest", "confirming", "suggesting", "showing", "revealing",
                 "indicating", "including", "having", "causing", "presenting", "being", "developing", "mimicking",
                 "valve", "versus", "vs", "resembled", "mimicked", "presented", "developed", "underwent",
                 "required", "received"}


# "X of <disease>" where X is no part of the disease's name ("an aggressive form of ...")
_NOT_BEFORE_OF = {"form", "forms", "disappearance", "resolution", "symptoms", "signs", "evidence", "history",
                  "suggestive", "development", "onset", "presence", "absence", "type", "types", "episode",
                  "episodes", "setting", "context", "risk", "course", "recurrence", "relapse", "progression",
                  "level", "levels", "size", "number", "degree", "extent", "site", "area"}


def title_disease(title: str, proto: Protocol) -> str | None:
    """The disease phrase of a title: its first disease phrase of two or more words, else
    its first one."""
    found = [normalize(part[a:b], {}) for part in re.split(r"[:;?!]|\s[—–-]\s", title or "")
             for a, b in disease_phrases(part, proto)]
    return next((f for f in found if len(f.split()) >= 2), found[0]) if found else None


def stated_objects(text: str, proto: Protocol, cue: re.Pattern = STATED, bare: bool = True) -> list[tuple[int, int]]:
    """(start, end) of what "diagnosis of / consistent with / a case of" (`cue`) names: its
    disease phrase, else (`bare`) the words before the first clause word (five at most)."""
    out = []
    for m in cue.finditer(text):
        obj = m.group(1)
        phrases = disease_phrases(obj, proto)
        if phrases:
            a, b = phrases[0]
        elif not bare:
            continue
        else:
            head = _CLAUSE_CUT.sub("", obj)
            words = head.split()[:5]
            a, b = 0, len(" ".join(words)) if words else 0
            b = obj.find(words[-1]) + len(words[-1]) if words else 0
        if b > a and not re.match(r"\d+[- ]?(?:year|month|week|day)|(?:present|this|the|our) (?:case|patient)|"
                                  r"latter|former|patient\b", obj[a:b], re.I):
            out.append((m.start(1) + a, m.start(1) + b))
    return out


def stated_subjects(text: str, proto: Protocol) -> list[tuple[int, int]]:
    """(start, end) of the name before "was diagnosed / was confirmed": the disease phrase
    that ends there, else the words back to a stop word (four at most)."""
    out = []
    for m in STATED_AFTER.finditer(text):
        end = m.start()
        ends = [a for a, b in disease_phrases(text[:end], proto) if b == end]
        start = ends[-1] if ends else end
        if not ends:
            for w in reversed(list(re.finditer(r"[\w'’\-]+", text[:end]))[-4:]):
                if w.group(0).lower() in TITLE_STOP | _NOT_MODIFIER or text[w.end():start].strip():
                    break
                start = w.start()
        if start < end and not re.fullmatch(r"(?:diagnosis|it|this|that|which)", text[start:end], re.I):
            out.append((start, end))
    return out


def condition_candidates(ct: CaseText, mentions: list[dict], proto: Protocol) -> list[Candidate]:
    """The candidates of a document, in order of first mention."""
    sents = prose(ct)
    starts = [s.start for s in sents]
    by_name: dict[str, Candidate] = {}
    other = Counter(normalize(men.get("text") or "", ct.abbrevs) for men in mentions or ()
                    if men.get("label") in OTHER_LABELS)

    long_forms = sorted({v.lower() for v in ct.abbrevs.values() if " " in v}, key=len, reverse=True)

    def add(si: int, a: int, b: int, source: str, flags: dict, long: str | None = None) -> None:
        """`long`: the entity's long form, where the pipeline linked an abbreviation to one.
        A name that begins a long form the report defines, written out in full there, is that
        whole term ("drug reaction | with eosinophilia ... (DRESS)"): a defined term is one name."""
        lower = sents[si].text.lower()
        b = max([a + len(lf) for lf in long_forms if len(lf) > b - a and lower.startswith(lf, a)
                 and not lower[a + len(lf):a + len(lf) + 1].isalnum()], default=b)
        text = sents[si].text[a:b]
        name = normalize(long if long and len(long) > len(text) and text.isupper() else text, ct.abbrevs)
        if name in _STOP_NAMES or not (re.search(r"[a-z]{3}", name) or re.fullmatch(r"[A-Z]{2,6}", text)):
            return
        by_name.setdefault(name, Candidate(name, other_label=other[name])).mentions.append((si, a, b, source, flags))

    for men in mentions or ():
        if men.get("label") not in CANDIDATE_LABELS:
            continue
        si = bisect.bisect_right(starts, men["char_start"]) - 1
        if si < 0 or men["char_end"] > sents[si].end:
            continue
        src = "ner_symptom" if men["label"] == "Sign_symptom" else "ner_disease"
        a, b = men["char_start"] - sents[si].start, men["char_end"] - sents[si].start
        flags = {k: bool(men.get(k)) for k in ("negated", "hypothetical", "historical", "family", "uncertain")}
        add(si, a, b, src, flags, men.get("norm"))
        left = extend_left(sents[si].text, a)
        if left < a:
            add(si, left, b, "ner_extended", flags)
    for si, s in enumerate(sents):
        for a, b in disease_phrases(s.text, proto):
            add(si, a, b, "title_phrase" if s.section == "title" else "head_phrase", {})
        for a, b in stated_objects(s.text, proto) + stated_subjects(s.text, proto):
            add(si, a, b, "stated", {})
        for a, b in stated_objects(s.text, proto, FOUND, bare=False):
            add(si, a, b, "found", {})
    cands = sorted(by_name.values(), key=lambda c: min((m[0], m[1]) for m in c.mentions))
    for c in cands:
        c.mentions.sort(key=lambda m: (m[0], m[1]))
    return cands


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x >= e for e in edges)


@functools.lru_cache(maxsize=8)
def _head_word(heads: tuple[str, ...]) -> re.Pattern:
    """A word that is a disease head (compiled once per vocabulary, not per candidate)."""
    return re.compile(r"^(?:" + "|".join(heads) + r")$", re.I)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what a regex's \w matches


def _holds(outer: str, inner: str) -> bool:
    """Whether `inner` is in `outer` as whole words (a regex's lookarounds for word characters on both sides, without
    compiling one per pair of candidates: the pairs are quadratic in the candidates)."""
    i = outer.find(inner)
    while i >= 0:
        j = i + len(inner)
        if (i == 0 or not _is_word_char(outer[i - 1])) and (j == len(outer) or not _is_word_char(outer[j])):
            return True
        i = outer.find(inner, i + 1)
    return False


def _candidate_stats(cands: list[Candidate]) -> tuple[list[int], dict[str, list[Candidate]], dict[str, tuple | None]]:
    """What condition_features reads of the whole candidate list, computed once per list:
    each candidate's count of places (descending), the candidates by last word (in order),
    and the last place each of "stated" and "found" names a candidate."""
    counts = sorted((len({(m[0], m[1]) for m in c.mentions}) for c in cands), reverse=True)
    families: dict[str, list[Candidate]] = {}
    for c in cands:
        families.setdefault(c.name.split()[-1], []).append(c)
    lasts = {src: max(((m[0], m[1]) for c in cands for m in c.mentions if m[3] == src), default=None)
             for src in ("stated", "found")}
    return counts, families, lasts


def condition_features(cand: Candidate, cands: list[Candidate], ct: CaseText, proto: Protocol,
                       sents: list[Sentence] | None = None, title_name: str | None = None,
                       stats: tuple | None = None) -> dict[str, float]:
    """Features of one candidate: its sources, where the report names it (title, abstract,
    first sentences, a sentence that states a diagnosis, the last part), how often (the
    name, its head word, mentions of longer names holding it), the cue words before it,
    its ConText flags and its shape; `title_name`: the title's own disease phrase
    (`title_disease`); `stats`: `_candidate_stats(cands)` when the caller scores them all."""
    sents = sents or prose(ct)
    counts, families, lasts = stats or _candidate_stats(cands)
    n = max(len(sents), 1)
    f: dict[str, float] = {"bias_const": 1.0}
    for src in cand.sources():
        f[f"src={src}"] = 1.0
    if cand.name == title_name:
        f["title_name"] = 1.0
    words = cand.name.split()
    f[f"nw={min(len(words), 4)}"] = 1.0
    head = _head_word(tuple(proto.disease_heads)) if proto.disease_heads else None
    if head and head.match(words[-1]):
        f["disease_head"] = 1.0
    if any(m[3] == "ner_disease" for m in cand.mentions):
        f["any_disease_label"] = 1.0
    raw = [sents[m[0]].text[m[1]:m[2]] for m in cand.mentions]
    if any(r.isupper() and len(r) <= 6 for r in raw):
        f["abbreviation"] = 1.0
    if re.search(r"\d", cand.name):
        f["digit"] = 1.0
    count = len({(m[0], m[1]) for m in cand.mentions})
    f["log_count"] = math.log1p(count)
    f[f"count_rank={_bucket(counts.index(count) if count in counts else 9, (1, 3, 6))}"] = 1.0
    last = words[-1]
    family = families.get(last, [])
    f["log_head_count"] = math.log1p(sum(len(c.mentions) for c in family))
    longer = [c for c in cands if c is not cand and _holds(c.name, cand.name)]
    shorter = [c for c in cands if c is not cand and _holds(cand.name, c.name)]
    f["part_of_longer"] = float(bool(longer))
    f["log_longer"] = math.log1p(len(longer))  # a generic name ("tumor") that many names hold
    f["holds_shorter"] = float(bool(shorter))
    f["log_shorter_count"] = math.log1p(sum(len(c.mentions) for c in shorter))
    secs = {sents[m[0]].section for m in cand.mentions}
    for sec in secs & {"title", "abstract", "introduction", "discussion", "conclusion"}:
        f[f"in={sec}"] = 1.0
    first = cand.mentions[0][0]
    f[f"first_pos={_bucket(first / n, (0.02, 0.1, 0.3, 0.6))}"] = 1.0
    if first < 3:
        f["in_first3"] = 1.0
    if any(m[0] >= 0.8 * n for m in cand.mentions):
        f["in_last_fifth"] = 1.0
    f["spread"] = (cand.mentions[-1][0] - first) / n
    cue = stated = cause = symptom = excluded = case = background = treated = effect = 0
    f["history_share"] = sum(bool(HISTORY.search(sents[m[0]].text)) for m in cand.mentions) / len(cand.mentions)
    ruled = given = course = 0
    for si, a, b, src, flags in cand.mentions:
        s = sents[si]
        before = s.text[max(0, a - 60):a]
        effect |= bool(CAUSE_AFTER.search(s.text[b:b + 40]) or CAUSED_BEFORE.search(before))
        treated |= bool(TREATED_FOR.search(before))
        cue |= bool(DIAGNOSIS_CUE.search(s.text)) or bool(s.heading and re.search(r"diagnos", s.heading, re.I))
        stated |= src == "stated"
        cause |= bool(CAUSE_BEFORE.search(before))
        symptom |= bool(SYMPTOM_BEFORE.search(before))
        background |= bool(BACKGROUND_BEFORE.search(before))
        excluded |= bool(EXCLUDED_BEFORE.search(s.text[:a][-100:]))
        course |= bool(COURSE_BEFORE.search(before) or COURSE_AFTER.search(s.text[b:b + 40]))
        given += bool(GIVEN_BEFORE.search(before) or GIVEN_AFTER.search(s.text[b:b + 40]))
        ruled += bool(flags.get("negated") or RULED_OUT_BEFORE.search(before)
                      or RULED_OUT_AFTER.search(s.text[b:b + 60]))
        case |= s.scope == "case"
    for k, v in (("diagnosis_cue", cue), ("stated", stated), ("cause_before", cause),
                 ("symptom_before", symptom), ("excluded_before", excluded), ("case_scope", case),
                 ("background_before", background), ("treated_for", treated), ("effect_of_cause", effect),
                 ("course_of", course)):
        if v:
            f[k] = 1.0
    if ruled:
        f["ruled_out_share"] = ruled / len(cand.mentions)
    if given:
        f["given_share"] = given / len(cand.mentions)
    labelled = [m[3] for c in family for m in c.mentions if m[3] in ("ner_disease", "ner_symptom")]
    if labelled:
        f["symptom_share"] = labelled.count("ner_symptom") / len(labelled)
    if cand.other_label:
        f["other_label_share"] = cand.other_label / (cand.other_label + len({(m[0], m[1]) for m in cand.mentions}))
    if cand.sources() <= {"ner_symptom", "ner_extended"} and "disease_head" not in f:
        f["symptom_only"] = 1.0
    if any(m[3] == "stated" and sents[m[0]].section in ("case", "results") for m in cand.mentions):
        f["stated_in_case"] = 1.0
    for src in ("stated", "found"):  # the last diagnosis the narrative states is its final one
        last = lasts[src]
        if last and any((m[0], m[1]) == last and m[3] == src for m in cand.mentions):
            f[f"last_{src}"] = 1.0
    flags = [m[4] for m in cand.mentions if m[4]]
    if flags:
        for k in ("negated", "hypothetical", "historical", "family", "uncertain"):
            share = sum(x.get(k, False) for x in flags) / len(flags)
            if share:
                f[f"ctx_{k}"] = share
    if not any(s.section == "title" for s in sents):  # plain text: no title to name the topic
        f.update({f"{k}&untitled": f[k] for k in UNTITLED if k in f})
    return f


def candidate_pool(cands: list[Candidate], sents: list[Sentence]) -> list[Candidate]:
    """The candidates the choice is among: the title's disease phrases when it has any (a
    report's title names its topic), else all."""
    titled = [c for c in cands if "title_phrase" in c.sources()]
    return titled or cands


def condition_scores(ct: CaseText, mentions: list[dict], proto: Protocol,
                     model: LinearModel | None = None) -> list[tuple[float, Candidate]]:
    """Every candidate with the model's score of it as the report's condition, in the
    candidates' order (the cause stage reads the runners-up: a disease the report makes
    prominent that is not its condition is often its cause)."""
    cands = condition_candidates(ct, mentions, proto)
    model = model or load_model(CONDITION_MODEL)
    sents = prose(ct)
    named = title_disease(" ".join(s.text for s in sents if s.section == "title"), proto)
    stats = _candidate_stats(cands)
    return [(model.probability(condition_features(c, cands, ct, proto, sents, named, stats)), c) for c in cands]


def choose_condition(ct: CaseText, mentions: list[dict], proto: Protocol, model: LinearModel | None = None,
                     scored: list[tuple[float, Candidate]] | None = None) -> tuple[str, Sentence] | None:
    """The best-scored candidate's name and the sentence of its first mention (`scored`:
    `condition_scores` when the caller has them already: the cause stage reads them too)."""
    scored = condition_scores(ct, mentions, proto, model) if scored is None else scored
    if not scored:
        return None
    score = {id(c): p for p, c in scored}
    sents = prose(ct)
    best = max(candidate_pool([c for _, c in scored], sents), key=lambda c: score[id(c)])
    return best.name, sents[best.mentions[0][0]]
