"""Treatments: every drug or procedure used as treatment, with scope, status, dose,
route, frequency, sessions, duration, outcome, response and the timings in its sentence.

Candidates come from the protocol's vocabulary (its own terms plus `common.yaml`), from
drug-like word endings, from phrases ending in a word for a procedure or measure ("partial
nephrectomy", "calcium supplementation"), from abbreviations whose long form is a known
treatment, and from the NLP pipeline's entities (medication, therapeutic procedure, chemical); the learned
treatment model (extract.evidence.learned) decides which of them are treatments. A
treatment keeps the specific name the report wrote (`treatment`) and its canonical group
(`treatment_class`). Mentions of one treatment in one scope are one treatment (`treatment_id`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from extract.evidence.casetext import CaseText, Sentence, clause_bounds, compile_cues, cue_matches, per_sentence
from extract.evidence.learned import TREATMENT_MODEL, load_model, name_likeness, treatment_features
from extract.evidence.outcomes import DISCONTINUED, OutcomeReader, row_outcome
from extract.nlp.protocols import Protocol, Term
from extract.nlp.tagger import WordAlternation

STATUS_ORDER = ("given", "declined", "contraindicated", "recommended", "considered", "negated")
# entity labels of the NLP pipeline's models that may name a treatment (clinical, chem_disease)
NER_LABELS = {"Medication": "drug", "Therapeutic_procedure": "procedure", "CHEMICAL": "drug"}
# the label the NER gives a drug it does not know ("treated with GH" read as a test): a candidate
# drug only as the object of a verb of giving (_GIVEN_OBJECT). Sign_symptom and Disease_disorder
# too: out of fold treatment F1 0.724 vs 0.727 (evidence_cv, treat12)
MISLABELLED = {"Diagnostic_procedure"}
_GIVEN_OBJECT = re.compile(r"\b(?:treated|given|received|receiving|administered|commenced|prescribed|initiated|started|"
                           r"supplemented)\s+(?:(?:with|on|for\s+a\s+(?:period|while|time)\s+with|the|a|an|intravenous|"
                           r"oral|\w+ly)\s+){0,3}(?:[\w-]+(?:\s+[\w-]+)?(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))*$",
                           re.I)
CONTEXT_FLAGS = ("negated", "hypothetical", "historical", "family")
# "stopping X", "X was tapered and stopped": stopping the drug is a treatment of its own (issue 14)
# "withdrawal of X", "X withdrawal": stopping the drug named as an act of its own
_STOP_NOUN = re.compile(r"\b(?:withdrawal|discontinuation|cessation|stopping|interruption|termination)\s+of\s+"
                        r"(?:the\s+|his\s+|her\s+)?$", re.I)
_STOP_NOUN_AFTER = re.compile(r"^\s+(?:(?:weaning|tapering)\s+and\s+)?(?:withdrawal|discontinuation|cessation)\b", re.I)
# "stopped X", "X was discontinued", "X was tapered off" (a taper alone only lowers the dose)
_STOP_VERB = re.compile(r"\b(?:stopped|discontinued|withdrew|ceased|held)\s+(?:the\s+|his\s+|her\s+)?$", re.I)
# words for the giving between a drug and its verb ("X administration was stopped", "the X regimen was changed to")
_GIVING = r"(?:(?:treatments?|therap(?:y|ies)|infusions?|administration|regimens?|use)\s+)?"
_STOPPED_AFTER = re.compile(r"^\W{0,3}(?:\([^)]*\)\s*)?" + _GIVING +
                            r"(?:was|were|had been|is|are)\s+(?:(?:\w+ly|also|then)\s+){0,2}"
                            r"(?:stopped|discontinued|withdrawn|ceased|held|suspended|interrupted|terminated|"
                            r"tapered\s+(?:\w+\s+){0,3}?(?:off|and\s+(?:then\s+)?(?:stopped|discontinued|withdrawn)))\b",
                            re.I)
# "X was changed to Y", "switched from X to Y": X stopped for another drug, whenever it was
# (not "changed to intravenous" nor "to 20 mg")
_SWITCHED_AFTER = re.compile(r"^\W{0,3}" + _GIVING + r"(?:was|were|had been)\s+(?:(?:\w+ly|also|then)\s+){0,2}(?:replaced\s+(?:with|by)|"
                             r"(?:changed|switched)\s+to(?!\s+(?:the\s+)?(?:oral|intravenous|iv|subcutaneous|topical|"
                             r"intramuscular|\d)))\b", re.I)
_SWITCHED_FROM = re.compile(r"\b(?:switch(?:ed|ing)?|chang(?:ed|ing))\s+from\s+(?:the\s+|his\s+|her\s+)?$", re.I)
_DOSE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:-\s*\d+(?:[.,]\d+)?\s*)?(?:mg/kg/day|mg/kg/d|mg/kg|mg/m2|mg/day|mg/d|"
                   r"µg/kg/min|μg/kg/min|mg|g|µg|μg|mcg|mL|ml|IU|units|mu|%)(?![\w/])")
_ROUTES = [("intravenous", r"[Ii]ntravenous(?:ly)?|INTRAVENOUS|i\.v\.|IV"),
           ("oral", r"oral(?:ly)?|per os|p\.o\.|by mouth"),
           ("topical", r"topical(?:ly)?"), ("intralesional", r"intralesional(?:ly)?"),
           ("subcutaneous", r"subcutaneous(?:ly)?|s\.c\."), ("intramuscular", r"intramuscular(?:ly)?|i\.m\."),
           ("inhaled", r"inhaled|nebuli[sz]ed")]
_ROUTE_RES = [(name, re.compile(rf"(?<![\w.])(?:{p})(?!\w)", re.I if name != "intravenous" else 0))
              for name, p in _ROUTES]  # "IV" only in capitals
_SESSIONS = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
                       r"(?:sessions|cycles|doses|courses|treatments|infusions)\b", re.I)
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12}
# words of a span that say how or how much, not what: stripped from the treatment's name
_MANNER = re.compile(r"^(?:(?:a|an|the|her|his|their|complete|completely|successful|successfully|emergent|"
                     r"extensive|thorough|aggressive|meticulous|careful|gentle|"
                     r"emergency|urgent|immediate|prompt|further|subsequent|repeated|repeat|additional|"
                     r"empirical|empiric|(?:high|low)[- ]doses?|dose|daily|(?:\w+-)?weekly|monthly|regular|occasional|"
                     r"prophylactic|adjuvant|diagnostic|therapeutic|"
                     r"oral|orally|intravenous|intravenously|iv|i\.v\.|topical|topically|subcutaneous|"
                     r"intramuscular|intramuscularly|subcutaneously|intralesional|intralesionally|systemic|inhaled|nebuli[sz]ed|"
                     r"per os)\s+)+", re.I)

# words that say how a drug was given, not what it is ("methylprednisolone pulses")
_FILLER = re.compile(r"bolus|boluses|pulses?|treatments?|therapy|chemotherapy|infusions?|injections?|drip|course|regimen|"
                     r"tablets?|administration", re.I)

# the salt or ester a drug is sold as ("quetiapine fumarate"): part of its span, not of its name
_SALT = re.compile(r"fumarate|hydrochloride|hcl|mesylate|maleate|tartrate|succinate|besylate|disoproxil|mofetil|"
                   r"sodium|potassium|phosphate|sulfate|sulphate|acetate|citrate", re.I)
_SALT_AFTER = re.compile(rf"(?:\s+(?:{_SALT.pattern})(?![\w-]))+", re.I)

# "counselled on the surgical option, which he declined": a refusal in a relative clause is
# said of the noun phrase just before "which" / "that"
_RELATIVE = re.compile(r",?\s*\b(?:which|that)\s+(?:\w+\s+){0,3}$", re.I)


def _refusal_of_another(text: str, end: int, cue: int) -> bool:
    """Whether the refusal at `cue` is a relative clause ("..., which he declined") whose
    antecedent is not the treatment ending at `end` (more than two words lie between them)."""
    rel = _RELATIVE.search(text[:cue])
    return bool(rel) and rel.start() >= end and len(text[end:rel.start()].split()) > 2


@dataclass
class Candidate:
    """A span of a sentence that may name a treatment (offsets into the sentence)."""

    a: int
    b: int
    term: Term | None
    kind: str
    sources: set[str]
    name: str = ""
    treatment_class: str | None = None
    flags: dict = field(default_factory=dict)
    aliases: list[tuple[int, int]] = field(default_factory=list)  # other names of it in the sentence


# another name of the treatment just named: in brackets ("(Foscavir", "(trade name Y") or said so
# (", also known as Y"); it ends the brackets, a trade mark or a maker's name and place ("Y, Maker, UK)")
_ALIAS_OPEN = re.compile(r"\s*\(\s*(?:(?:also\s+known\s+as|marketed\s+as|(?:trade|brand)\s+names?:?)\s+)?|"
                         r",?\s+(?:also\s+known\s+as|marketed\s+as|sold\s+as|(?:trade|brand)[\s-]+named)\s+", re.I)
_ALIAS_CLOSE = re.compile(r"\s*(?:[®™]|\)|,\s*[A-Z][^()\[\];\d]*\))")
_ALIAS_END = re.compile(r"\s*(?:[®™]|[,.;)]|$)")


def _alias_end(text: str, p: Candidate, x: Candidate) -> int | None:
    """Where the words end that make candidate x, right after p, another name of p; None if they do not."""
    gap = _ALIAS_OPEN.fullmatch(text[p.b:x.a])
    if gap is None:
        return None
    close = (_ALIAS_CLOSE if "(" in gap.group(0) else _ALIAS_END).match(text, x.b)
    return close.end() if close else None


def _one_named(text: str, p: Candidate, x: Candidate, abbrevs: dict[str, str]) -> bool:
    """Whether x names p again: the same name, or an abbreviation whose long form ends in p's words
    ("radiation therapy (IMRT)"), not one that lists treatments ("oxaliplatin (FOLFOX)")."""
    long = abbrevs.get(text[x.a:x.b], "")
    return p.name == x.name or bool(long) and not _LISTS.search(long) \
        and f" {long.lower()}".endswith(f" {text[p.a:p.b].lower()}")


_LISTS = re.compile(r",|\+|/|\b(?:and|or|plus|with)\b", re.I)


def _reads_as_drug(x: Candidate) -> bool:
    return x.term is not None or "suffix" in x.sources


@dataclass
class Mention:
    treatment: str
    kind: str
    text: str
    start: int
    end: int
    sentence: Sentence
    status: str = "unknown"
    status_cue: bool = False
    outcome: str = "unknown"
    outcome_text: str | None = None
    outcome_own: bool = False  # read from the mention's own sentence
    response_pct: float | None = None
    dose: str | None = None
    route: str | None = None
    frequency: str | None = None
    sessions: int | None = None
    duration: str | None = None
    timing_ids: list[int] = field(default_factory=list)
    historical: bool = False
    source: str = "vocabulary"  # vocabulary:<kind> | abbreviation | suffix | phrase | ner:<label> | given object
    treatment_class: str | None = None
    stopped_class: str | None = None  # a stop said of a class ("the diuretic"): the class as written
    aliases: list[str] = field(default_factory=list)  # other names said with it ("Foscavir")


class TreatmentFinder:
    """The protocol's vocabulary compiled once; `find(ct, timings, mentions)` per document."""

    def __init__(self, proto: Protocol):
        self.proto = proto
        self.terms = [(t, t.regex()) for t in proto.treatments]
        # a term without patterns matches only where the first word of a name or synonym is:
        # first word -> the terms it opens; the terms with patterns are always scanned
        self._key_terms: dict[str, list[int]] = {}
        for i, t in enumerate(proto.treatments):
            for key in () if t.patterns else {re.split(r"[\s\-]+", n.strip())[0].casefold() for n in (t.name, *t.synonyms)}:
                self._key_terms.setdefault(key, []).append(i)
        self._scanned_always = {i for i, t in enumerate(proto.treatments) if t.patterns}
        self.diagnostics = re.compile(r"(?<![\w-])(?:" + "|".join(proto.diagnostics) + r")(?![\w-])", re.I) \
            if proto.diagnostics else None
        # the head word of a disorder (an anastomosis or a stoma is made, not had)
        self.disease_head = re.compile(r"(?!anastomos[ie]s|stomas?$)\w*(?:" + "|".join(proto.disease_heads) + r")",
                                       re.I) if proto.disease_heads else None
        # drug-like words: the drug endings, and the drugs a class's member pattern names ("isoniazid",
        # "mannitol"), which are drugs whether or not a vocabulary term lists them (not the blood products:
        # a product is transfused, see _names)
        words = [*proto.drug_suffixes, *(p for c, p in proto.treatment_classes.items() if p and c != TRANSFUSION)]
        self.drug_word = WordAlternation(words) if words else None
        # a procedure said with its verb ("the artery was ligated and sutured"): named by its noun
        self.done = proto.procedure_verbs
        self.done_verb = re.compile(r"\b(?:was|were|been|being|then|and)\s+(?:(?:\w+ly|surgically|then|also)\s+)?"
                                    rf"({'|'.join(map(re.escape, self.done))})\b", re.I) if self.done else None
        self.procedure_head = re.compile(r"(?<![\w-])(?:" + "|".join(proto.procedure_heads) + r")(?![\w-])",
                                         re.I) if proto.procedure_heads else None
        self.not_after = re.compile(r"^[\s\-]*(?:" + "|".join(proto.not_treatment_after) + r")\b", re.I) \
            if proto.not_treatment_after else None
        # the same words inside an entity ("Vitamin D deficiency" labelled a medication)
        self.not_inside = re.compile(r"(?<=\w)\s+(?:" + "|".join(proto.not_treatment_after) + r")\b", re.I) \
            if proto.not_treatment_after else None
        self.not_before = re.compile(r"(?:" + "|".join(proto.not_treatment_before) + r")\s+(?:[\w.,/%-]+\s+){0,3}$",
                                     re.I) if proto.not_treatment_before else None
        self.historical = compile_cues({"historical": proto.historical_cues}) if proto.historical_cues else []
        self.classes = set(proto.treatment_classes)
        self.members = {c: re.compile(rf"(?:{p})", re.I) for c, p in proto.treatment_classes.items() if p}
        self.products = self.members.get(TRANSFUSION)  # what may be transfused: names its transfusion
        self.transfusion = next((t for t, _ in self.terms if t.name == TRANSFUSION), None)
        self.status_cues = compile_cues({k: proto.status_cues[k] for k in STATUS_ORDER if k in proto.status_cues})
        self.outcomes = OutcomeReader(proto, self.terms)
        # the same names come back (every sentence asks for each abbreviation's long form):
        # answered once per finder, which lives as long as its protocol (hook from speed8)
        self.canonical = lru_cache(maxsize=1 << 16)(self.canonical)
        self._contained = lru_cache(maxsize=1 << 16)(self._contained)

    # -- mentions ------------------------------------------------------------------
    def find(self, ct: CaseText, timings: list[dict] | None = None,
             mentions: list[dict] | None = None) -> list[Mention]:
        found_in: list[list[Mention]] = []
        for s, inside in zip(ct.sentences, per_sentence(ct.sentences, mentions)):
            found = [] if s.section == "title" else self._in_sentence(ct, s, inside)
            for k, m in enumerate(found):
                lo = found[k - 1].end - s.start if k else 0
                hi = found[k + 1].start - s.start if k + 1 < len(found) else len(s.text)
                self._status(m)
                self._attributes(m, timings or [], lo, hi)
            found_in.append(found)
        self._resolve_class_stops(found_in)
        self.outcomes.read(ct, found_in, timings or [])
        _back_stops(ct.sentences, found_in)
        _tapers(found_in, self.classes)
        mentions = _by_alias([m for found in found_in for m in found])
        return _said_specifically(_refers_back(_one_spelling(_by_route(mentions))))

    def _terms_in(self, text: str) -> list[tuple[Term, re.Pattern]]:
        """The (term, regex) pairs that can match in `text`: a substring test of each term's
        first words before a hundred case-insensitive scans of every sentence and candidate."""
        low = text.casefold()
        hit = set(self._scanned_always)
        for key, terms in self._key_terms.items():
            if key in low:
                hit.update(terms)
        return [self.terms[i] for i in sorted(hit)]

    def canonical(self, text: str) -> Term | None:
        """The vocabulary entry whose name, synonym or pattern is the whole of `text`."""
        for term, rx in self._terms_in(text):
            m = rx.search(text)
            if m and m.start() == 0 and m.end() == len(text):
                return term
        return None

    def candidates(self, ct: CaseText, s: Sentence, mentions: list[dict] | None) -> list[Candidate]:
        """Every span of the sentence that may name a treatment: vocabulary terms (the
        protocol's and the common ones), abbreviations of them, drug-like words, procedure
        phrases (not over a drug or term: "warfarin therapy" is warfarin), the items of a
        list after a word of giving ("infusion of A, B and C"), and the entities of the NLP
        pipeline (medication, therapeutic procedure, chemical; split where they coordinate
        treatments), the longest of overlapping ones kept with all their sources. Exact
        exclusions apply (a diagnostic test, "X levels", "an overdose of X"). A candidate
        coordinated with a known drug or term carries the flag `coordinated`."""
        text = s.text
        spans: list[tuple] = []  # start, end (in sentence), vocabulary term or None, kind, source
        for term, rx in self._terms_in(text):
            for m in rx.finditer(text):
                spans.append((m.start(), m.end(), term, term.kind, f"vocabulary:{term.kind}"))
        for short, long in ct.abbrevs.items():
            term = self.canonical(long) or self._contained(long)
            if term:
                for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
                    spans.append((m.start(), m.end(), term, term.kind, "abbreviation"))
        if self.drug_word:
            for a, b in self.drug_word.spans(text):  # with its salt: "quetiapine fumarate"
                salt = _SALT_AFTER.match(text, b)
                spans.append((a, salt.end() if salt else b, None, "drug", "suffix"))
        if self.procedure_head:
            spans += [(a, b, None, "procedure", "phrase") for a, b in _phrases(text, self.procedure_head)]
        spans += self._listed(text)
        if self.done_verb:
            spans += [(m.start(1), m.end(1), self.canonical(self.done[m.group(1).lower()]), "procedure", "verb")
                      for m in self.done_verb.finditer(text)]
        flags: dict[tuple[int, int], dict] = {}
        for men in mentions or ():
            if not (s.start <= men["char_start"] and men["char_end"] <= s.end):
                continue
            a, b = men["char_start"] - s.start, men["char_end"] - s.start
            kind, source = NER_LABELS.get(men.get("label")), f"ner:{men.get('label')}"
            if kind:
                parts = self._coordinated(text, a, b)
            elif men.get("label") in MISLABELLED and _GIVEN_OBJECT.search(text[max(0, a - 80):a]):
                parts, kind, source = [(a, b)], "drug", "given object"
            else:
                continue
            for a, b in parts:
                b = a + (len(_TRAILING.sub("", text[a:b])) or b - a)  # "X twice": X
                spans.append((a, b, self.canonical(text[a:b]), kind, source))
                flags[(a, b)] = {k: bool(men.get(k)) for k in CONTEXT_FLAGS}
        # a phrase yields to a drug in it ("warfarin therapy" is warfarin), not to a procedure
        # term: "anterior resection" keeps its name, with "surgical resection" as its class
        named = [(a, b) for a, b, term, kind, _ in spans if kind == "drug"
                 and not (self.products and self.products.fullmatch(text[a:b]))]  # "platelets transfusion"
        spans = [x for x in spans if x[4] != "phrase" or not any(a < x[1] and x[0] < b for a, b in named)]
        spans = [x for x in _merged(spans, text) if x.term is not None or x.sources & {"suffix", "verb"}
                 or _is_name(text[x.a:x.b])]  # "pemetrexed" is a drug, "ligated" a procedure done
        for x in spans:  # an entity named by a drug ("landiolol hydrochloride") is a drug
            if x.kind == "procedure" and "suffix" in x.sources and not (
                    self.procedure_head and self.procedure_head.search(text[x.a:x.b])):
                x.kind = "drug"
        if self.diagnostics:
            diag = [(m.start(), m.end()) for m in self.diagnostics.finditer(text)]
            spans = [x for x in spans if not any(x.a < b and a < x.b and (b - a) >= (x.b - x.a) for a, b in diag)]
        if self.not_after:
            spans = [x for x in spans if not self.not_after.match(text[x.b:x.b + 30])
                     and (x.term is not None or not self.not_inside.search(text[x.a:x.b]))]
        if self.not_before:  # and the rest of a list that follows one ("levels of A, B and C")
            out, last = [], None
            for x in spans:
                if self.not_before.search(text[max(0, x.a - 60):x.a]) or (
                        last is not None and _LIST_GAP.fullmatch(text[last.b:x.a])):
                    last = x
                else:
                    out.append(x)
                    last = None
            spans = out
        spans = [x for x in spans if not _MEASURED.match(text, x.b)]  # "norepinephrine 468 ug (normal range"
        advised = [(m.end(), _list_end(text, m.end())) for m in _ADVICE.finditer(text)]  # to avoid from now on
        spans = [x for x in spans if not any(a <= x.a < b for a, b in advised)]
        spans = [x for x in spans if not _ATTRIBUTIVE.search(text[max(0, x.a - 30):x.a])
                 or not re.fullmatch(r"[a-z]+ed", text[x.a:x.b])]  # "the resected specimen"
        out = []
        for x in spans:
            x.flags = dict(next((f for (a, b), f in flags.items() if a < x.b and x.a < b), {}))
            said = self.done.get(text[x.a:x.b].lower())  # "was ligated": named "ligation"
            x.name, x.treatment_class = self._names(said or text[x.a:x.b], x.term, ct.abbrevs)
            if x.treatment_class == TRANSFUSION:  # "platelets" given are a transfusion, not a drug
                x.kind = "procedure"
            if x.term is None and _GENERIC.fullmatch(x.name):  # "prophylactic therapy" named "therapy"
                continue
            out.append(x)
        out = self._aliased(text, out, ct.abbrevs)
        # one of a list with a known drug or term in it ("digoxin, X and Y"): a flag the model reads
        for x, y in zip(out, out[1:]):
            if _COORDINATED.fullmatch(text[x.b:y.a]) and (_reads_as_drug(x) or _reads_as_drug(y)):
                x.flags["coordinated"] = y.flags["coordinated"] = True
        return out

    def _aliased(self, text: str, spans: list[Candidate], abbrevs: dict[str, str]) -> list[Candidate]:
        """A name right after a treatment's that is another name of it ("foscarnet (Foscavir®)",
        "X (Brand, Maker, City, Country)", "X, also known as Y") is one candidate: the name the
        vocabulary or a drug ending reads as the drug (else the first) with the other kept as its
        alias. Not a class and one of its drugs ("chemotherapy (cisplatin)": the drug is a
        treatment of its own), nor the drugs a regimen lists in brackets ("R-CHOP (rituximab,
        cyclophosphamide, ..."), nor a procedure other than by its own name or its abbreviation ("surgery
        (laparotomy)" is two; "radiation therapy (IMRT)" one)."""
        out: list[Candidate] = []
        skip = -1  # the maker's words in the brackets, which the NER may read as a drug
        for x in spans:
            if x.a < skip and not _reads_as_drug(x):
                continue
            p = out[-1] if out else None
            same = p is not None and p.kind == x.kind and _one_named(text, p, x, abbrevs)
            end = None if p is None or not same and (p.kind != "drug" or x.kind != "drug" or self._a_class(p)
                                                     or self._a_class(x)) else _alias_end(text, p, x)
            if end is None or any(y.a < end and _reads_as_drug(y) for y in spans if y.a > x.a):
                out.append(x)
                continue
            head, alias = (x, p) if not same and _reads_as_drug(x) and not _reads_as_drug(p) else (p, x)
            # a regimen's letters after one of its drugs ("oxaliplatin (FOLFOX)") go, but name no drug elsewhere
            listing = _LISTS.search(abbrevs.get(text[alias.a:alias.b], ""))
            head.aliases = p.aliases + ([] if listing else [(alias.a, alias.b)])
            out[-1], skip = head, end
        return out

    def _a_class(self, x: Candidate) -> bool:
        """Whether a candidate is a vocabulary class of drugs or named like one ("chemotherapy")."""
        return self._class_of(x) is not None or self._class_named(x.name) is not None

    def _in_sentence(self, ct: CaseText, s: Sentence, mentions: list[dict] | None) -> list[Mention]:
        """The candidates that are treatments: those a vocabulary term names, a drug the
        sentence says was stopped ("X discontinuation"), and those the treatment model
        takes; a class named beside a specific drug of it ("antibiotics, namely ceftriaxone")
        is the drug."""
        model = load_model(TREATMENT_MODEL)
        likeness = name_likeness(model)
        text = s.text
        cands: list[tuple[Candidate, bool]] = []
        for x in self.candidates(ct, s, mentions):
            cands.append((x, x.kind == "drug" and _stopped(text, x, cands)))
        # "X and Y were stopped": a drug coordinated before a stopped one was stopped too
        for k in range(len(cands) - 2, -1, -1):
            (x, stopped), (y, y_stopped) = cands[k], cands[k + 1]
            gap = text[x.b:y.a]  # ", and" joins clauses unless a list runs on before it ("A, B, and C")
            listed = not _CLAUSE_AND.fullmatch(gap) or k and _COORDINATED.fullmatch(text[cands[k - 1][0].b:x.a])
            if y_stopped and not stopped and x.kind == "drug" and _COORDINATED.fullmatch(gap) and listed:
                cands[k] = (x, True)
        taken = [x.term is not None or stopped or self._transfused(text, x) or not self._vetoed(ct, text, x) and model.predict(
            treatment_features(text[x.a:x.b], text, x.a, x.b, x.sources, s.section, s.scope, x.flags,
                               likeness and likeness.probability(text[x.a:x.b])))
            for x, stopped in cands]
        # an item of a list said to be given is given like the items beside it ("A, B and C were administered")
        for a, b in _given_lists(text):
            items = [k for k, (x, _) in enumerate(cands) if a <= x.a and x.b <= b and "list" in x.sources]
            if any(taken[k] for k in items):
                for k in items:
                    taken[k] = True
        spans = [c for c, ok in zip(cands, taken) if ok]
        # "landiolol, a short-acting beta blocker,": what the drug is, said in apposition (not
        # an item of a list: "a beta-blocker, an ACE inhibitor, digoxin")
        spans = [(y, stopped) for k, (y, stopped) in enumerate(spans) if stopped or not (
            k and spans[k - 1][0].kind == "drug" and _APPOSITION.fullmatch(text[spans[k - 1][0].b:y.a])
            and not (k + 1 < len(spans) and _LIST_NEXT.fullmatch(text[y.b:spans[k + 1][0].a])))]
        drugs = [x.name for x, _ in spans if x.kind == "drug" and self._class_of(x) is None]
        spans = [(x, stopped) for x, stopped in spans if stopped or not self._covered(x, drugs)]
        return [Mention(f"{self._stopped_name(text[x.a:x.b], x)}{DISCONTINUED}" if stopped else x.name,
                        "other" if stopped else x.kind,
                        text[x.a:x.b], s.start + x.a, s.start + x.b, s, source=sorted(x.sources)[0],
                        treatment_class=x.treatment_class,
                        stopped_class=_bare(text[x.a:x.b]).lower() if stopped and self._is_class(x) else None,
                        aliases=[text[a:b] for a, b in x.aliases])
                for x, stopped in spans]

    def _transfused(self, text: str, x: Candidate) -> bool:
        """Whether a candidate is a transfusion by its words, as a vocabulary term is by its name: a
        blood product (the transfusion class's member pattern) in a list of what was given ("infusion
        of fresh-frozen plasma, platelets and X"), or a transfusion named with or without its product
        ("red cell transfusions", "blood transfusion")."""
        return x.treatment_class == TRANSFUSION and ("list" in x.sources or bool(_TRANSFUSED.search(text[x.a:x.b])))

    def _vetoed(self, ct: CaseText, text: str, x: Candidate) -> bool:
        """Whether a candidate the model may take can be no treatment: one character or one
        function word ("she", "there"), a disorder (the last word of the span, of its name or of what
        its abbreviation stands for is a vocabulary disease head: "PTE" for "pulmonary embolism"), or a
        name that is all a diagnostic or anaesthesia ("injection of a local anesthetic"). Words that
        name no treatment otherwise ("reduction", "figure", "tone") are left to the model, which
        reads how much a name is like an annotated treatment's (NameLikeness)."""
        span = text[x.a:x.b]
        if len(span.strip()) <= 1 or _function_word(span) or _function_word(x.name):
            return True
        if self.diagnostics and self.diagnostics.fullmatch(x.name):
            return True
        for name in (span, x.name, ct.abbrevs.get(span.strip(), "")):
            words = name.split()
            if words and self.disease_head and self.disease_head.fullmatch(words[-1].strip(".,;:")) \
                    and not re.search(r"\b(?:for|of|with)\b", name, re.I):
                return True
        return False

    def _is_class(self, x: Candidate) -> bool:
        """Whether a candidate names drugs by what they do, not one drug: a vocabulary class,
        or a phrase that is no single drug word ("the antihypertensive agents", "the muscle relaxant")."""
        words = _bare(x.name).split()
        return self._a_class(x) or x.term is None and (
            len(words) > 1 or not (self.drug_word and self.drug_word.fullmatch(x.name)))

    def _class_named(self, name: str) -> str | None:
        """The vocabulary class a phrase names by the class's first word and words for drugs
        ("anti-fungal regimen": antifungal therapy; "the diuretic": diuretics)."""
        words = [_stem(w) for w in _bare(name).split()]
        return next((c for c in self.members if words and _stem(c.split()[0]) == words[0]
                     and all(w in _CLASS_NOUNS or w in map(_stem, c.split()) for w in words[1:])), None)

    def _resolve_class_stops(self, per_sentence: list[list[Mention]]) -> None:
        """A stopped class ("the antihypertensive agents were discontinued") is the stop of the
        drugs of it the report gave before: those its member pattern matches, and those the
        report named by the class ("a loop diuretic, furosemide", "X as a muscle relaxant").
        A switch of the class stops the last of them; a class with no such drug before, or
        standing for more than two (a regimen stopped as one), stays a stop of the class."""
        earlier: list[Mention] = []
        stopped: set[str] = set()  # a drug stopped before is not stopped again by its class
        for found in per_sentence:
            out = []
            for m in found:
                drugs = [d for d in self._members_before(m, earlier) if d not in stopped] if m.stopped_class else []
                if drugs and _switched(m):  # "the X regimen was changed to Y": the last X given was replaced
                    drugs = drugs[-1:]
                elif len(drugs) > MAX_STOPPED_MEMBERS:  # a regimen of several drugs stopped as one
                    drugs = []
                if m.stopped_class and not drugs and self._covered_by(m, found):
                    continue  # "the phosphate binder was changed to sevelamer", none given before: the drug
                out += [replace(m, treatment=f"{d}{DISCONTINUED}", stopped_class=None) for d in drugs] or [m]
                if m.kind == "drug" and m.treatment not in self.classes:
                    earlier.append(m)
            stopped |= {m.treatment[:-len(DISCONTINUED)] for m in out if m.treatment.endswith(DISCONTINUED)}
            found[:] = out

    def _stop_members(self, stop: Mention) -> re.Pattern | None:
        """The member pattern of the class a stop was said of."""
        said = stop.stopped_class
        term = self.canonical(said)
        cls = self._class_named(said) or (term.name if term is not None and term.name in self.members else None)
        return self.members.get(cls) if cls else None

    def _covered_by(self, stop: Mention, found: list[Mention]) -> bool:
        """Whether the stopped class's sentence names a drug of it (see `_covered`)."""
        members = self._stop_members(stop)
        return members is not None and any(m.kind == "drug" and members.fullmatch(m.treatment) for m in found)

    def _members_before(self, stop: Mention, earlier: list[Mention]) -> list[str]:
        """The drugs of `earlier` that the class `stop.stopped_class` stands for."""
        said = stop.stopped_class
        members = self._stop_members(stop)
        phrase = r"\s+".join(map(re.escape, said.split())) + "s?"
        before = re.compile(rf"(?<![\w-]){phrase}\s*[,(]\s*$", re.I)  # "a loop diuretic, furosemide"
        after = re.compile(rf"^\s*(?:,|\(|\bas\b)\s*(?:an?\s+|the\s+)?{phrase}(?![\w-])", re.I)  # "X as a relaxant"
        out: list[str] = []
        for m in earlier:
            s, a, b = m.sentence.text, m.start - m.sentence.start, m.end - m.sentence.start
            if m.treatment not in out and (members is not None and members.fullmatch(m.treatment)
                                           or before.search(s[max(0, a - 60):a]) or after.match(s[b:b + 60])):
                out.append(m.treatment)
        return out


    def _stopped_name(self, span: str, x: Candidate) -> str:
        """What a stop is named after: the drug, or a class as the report wrote it ("steroids
        were discontinued": "steroid discontinuation"), in the singular a noun takes before
        another; a class word of no vocabulary term by the class it names ("the anti-fungal
        regimen": "antifungal therapy discontinuation")."""
        if x.name in self.classes:
            return _adjunct(_bare(span).lower())
        return _adjunct(self._class_named(x.name) or x.name)  # "the anti-fungal": antifungal therapy

    def _class_of(self, x: Candidate) -> str | None:
        """The drug class a candidate is named by ("steroids", "GP chemotherapy", "an
        antifungal"), else None."""
        if x.name in self.classes and x.kind == "drug":
            return x.name
        term = x.term
        if term is not None:
            return term.name if term.kind == "drug" and term.name in self.classes else None
        return self._class_named(x.name) if x.kind == "drug" else None

    def _covered(self, x: Candidate, drugs: list[str]) -> bool:
        """Whether `x`, named by a drug class, stands beside one of the class's members in
        `drugs` (any drug, for a class without a member pattern): "GP chemotherapy
        (cisplatin, gemcitabine)" is the drugs."""
        cls = self._class_of(x)
        if cls is None:
            return False
        members = self.members.get(cls)
        return any(members is None or members.fullmatch(d) for d in drugs)

    def _names(self, span: str, term: Term | None, abbrevs: dict[str, str]) -> tuple[str, str | None]:
        """(specific name, class) of a candidate span: the vocabulary's name when a term is
        the whole span, else the span as written, abbreviation expanded and dose, route and
        manner words stripped; the class is the vocabulary term inside it or the treatment
        class whose member pattern it matches."""
        full = abbrevs.get(span.strip(), span)
        bare = _bare(full)
        whole = self.canonical(full.strip()) or self.canonical(bare)  # "intravenous fluids" is a term
        name = whole.name if whole is not None else self._drug_of(bare) or bare.lower()
        cls = term.name if term is not None else None
        if self.products and self.products.fullmatch(bare) and (whole is None or whole.name == TRANSFUSION):
            product = re.sub(r"\s+transfusions?$", "", bare, flags=re.I)  # "platelets" -> "platelet transfusion"
            return f"{_adjunct(product.lower())} transfusion", TRANSFUSION
        if self.products and whole is None and _ANY_TRANSFUSION.fullmatch(bare):  # no product named
            return TRANSFUSION, TRANSFUSION
        if cls is None or cls == name:
            cls = next((c for c, rx in self.members.items() if rx.fullmatch(name)), cls)
        return name, cls

    def _coordinated(self, text: str, a: int, b: int) -> list[tuple[int, int]]:
        """An entity that coordinates treatments ("gastrectomy plus Roux-en-Y
        esophagojejunostomy", "ARDS and mechanical ventilation") as its parts that end in a
        procedure word or are a drug; the entity whole when no part does."""
        parts, pos = [], a
        for m in [*_AND.finditer(text, a, b), None]:
            end = m.start() if m else b
            part = text[pos:end]
            last = part.split()[-1] if part.split() else ""
            if (self.procedure_head and self.procedure_head.search(part) and self.procedure_head.fullmatch(last)) \
                    or (self.drug_word and self.drug_word.fullmatch(last)):
                parts.append((pos, end))
            pos = m.end() if m else b
        return parts if parts and pos > a and (len(parts) > 1 or parts[0] != (a, b)) else [(a, b)]

    def _listed(self, text: str) -> list[tuple]:
        """The items of a list after one word of giving ("infusion of fresh-frozen plasma,
        platelets and omeprazole"): each is a candidate of its own; a blood product is a
        transfusion (named for the product, the vocabulary's transfusion its class)."""
        out = []
        lists = [(cue.end(), _list_end(text, cue.end())) for cue in _GIVEN_OF.finditer(text)]
        for begin, end in lists + _given_lists(text):
            pos = begin
            for item in _ITEMS.split(text[begin:end]):
                a = text.index(item, pos) if item else pos
                pos = a + len(item)
                lead = len(item) - len(item.lstrip())
                count = _COUNT.match(item[lead:])  # "seven units of red cells"
                lead += count.end() if count else 0
                word = _TRAILING.sub("", item[lead:].strip())
                if not word or len(word.split()) > 4 or not word[0].isalnum() or _DOSE.match(item.strip()) \
                        or _POSSESSIVE.match(word) \
                        or re.match(r"\d[\d.,]*(?:\s|$)", word):  # "1.45 mg/kg/h": a rate, not a name
                    continue
                if self.products and self.transfusion and self.products.fullmatch(word):
                    out.append((a + lead, a + lead + len(word), self.transfusion, "procedure", "list"))
                else:
                    out.append((a + lead, a + lead + len(word), None, "drug", "list"))
        return out

    def _drug_of(self, bare: str) -> str | None:
        """The drug a span names with words for how it was given ("bolus methylprednisolone
        treatment", "furosemide infusion" -> the drug), else None."""
        words = bare.split()
        drugs = [w for w in words if self.drug_word and self.drug_word.fullmatch(w)]
        if len(drugs) == 1 and len(words) > 1 and all(w in drugs or _FILLER.fullmatch(w) or _SALT.fullmatch(w)
                                                      for w in words):
            return drugs[0].lower()
        # "Keppra – levetiracetam" (a brand, then the drug), "immunomodulator lenalidomide" (its class)
        if len(drugs) == 1 and words[-1] == drugs[0] and (
                len(words) == 3 and words[1] in "–-" or len(words) == 2 and _CLASS_NOUN.fullmatch(words[0])):
            return drugs[0].lower()
        return None

    def drugs_in(self, phrase: str) -> list[str]:
        """The drugs a phrase names ("pentobarbital toxicity", "warfarin-induced necrosis")."""
        names = [t.name for t, rx in self._terms_in(phrase) if t.kind == "drug" and t.name not in self.classes
                 and rx.search(phrase)]
        if self.drug_word:
            names += [phrase[a:b].lower() for a, b in self.drug_word.spans(phrase)]
        return names

    def _contained(self, long: str) -> Term | None:
        for term, rx in self._terms_in(long):
            if rx.search(long):
                return term
        return None

    def given_in_case(self, found: list[Mention], condition: str | None) -> tuple[dict[str, str], list[dict]]:
        """The drugs the condition's name states as its cause ("pentobarbital toxicity"), and
        the rows of the treatments the case gives besides them: read as given by the cause
        stage and by its trainer alike (a given treatment is no cause unless a cue states it)."""
        caused = {d: "drug" for d in self.drugs_in(condition or "")}
        return caused, [t for t in aggregate(found, caused) if t["scope"] == "case" and t["status"] == "given"]

    def drop_covered_classes(self, rows: list[dict]) -> list[dict]:
        """Case rows of a class ("antibiotic therapy", or a class word as written: "the
        diuretic") whose member drug was given in the case are the same treatment named
        generically: dropped."""
        given = [r["treatment"] for r in rows if r["scope"] == "case" and r["status"] == "given"
                 and r["treatment"] not in self.classes]

        def covered(r: dict) -> bool:
            cls = r["treatment"] if r["treatment"] in self.members else self._class_named(r["treatment"])
            return cls in self.members and any(self.members[cls].fullmatch(g) for g in given)
        return [r for r in rows if not (r["scope"] == "case" and covered(r))]

    # -- status ----------------------------------------------------------------------
    def _status(self, m: Mention) -> None:
        text, pos = m.sentence.text, m.start - m.sentence.start
        a, b = clause_bounds(text, pos)
        end = pos + len(m.text)
        # refusals said of this treatment, wherever they stand in the sentence (start offsets)
        refusals = {c[0] for c in cue_matches(text, self.status_cues)
                    if c[2] == "declined" and not _refusal_of_another(text, end, c[0])}
        cues = [c for c in cue_matches(text[a:b], self.status_cues)
                if not (a + c[0] < end and pos < a + c[1]) and (c[2] != "declined" or a + c[0] in refusals)
                and not (a + c[0] >= end and _INSTEAD.fullmatch(text[a + c[0]:a + c[1]]))]  # "X instead of Y": Y
        if m.treatment.endswith(DISCONTINUED):
            m.status, m.status_cue = "given", True
            return
        if _NONE_BEFORE.search(text[a:pos]) and _NEEDED_AFTER.match(text[end:b]) \
                or _AVOIDED.search(text[a:pos]):  # "no X was required", "we avoided X"
            m.status, m.status_cue = "negated", True
            return
        if any(not _REASON.search(text[a:a + h0]) or "," not in text[a + h1:pos]
               for h0, h1, _ in cue_matches(text[a:b], self.historical)):
            m.status, m.historical = "unknown", True
            return
        if _BEFORE.search(text[a:pos]) or _DURING.search(text[a:pos]):
            m.status = "given" if m.sentence.scope == "case" and not _BEFORE.search(text[a:pos]) else "unknown"
            return
        if cues:
            mid = pos - a
            best = min(cues, key=lambda c: (min(abs(c[0] - mid), abs(c[1] - mid)), STATUS_ORDER.index(c[2]))
                       if c[2] != "given" else (min(abs(c[0] - mid), abs(c[1] - mid)) + 25, 9))
            m.status, m.status_cue = best[2], True
            if m.status in ("recommended", "considered") and any(r >= b for r in refusals):
                m.status = "declined"
        else:
            if refusals:
                m.status, m.status_cue = "declined", True
            else:
                m.status = "given" if m.sentence.scope == "case" else "unknown"

    # -- dose, route, frequency, sessions, duration, timings -------------------------
    def _attributes(self, m: Mention, timings: list[dict], lo: int, hi: int) -> None:
        """Details between the previous and the next treatment named in the sentence."""
        s = m.sentence
        text, pos = s.text, m.start - s.start
        a, b = clause_bounds(text, pos)
        a, b = max(a, lo), min(b, hi)
        after = text[pos + len(m.text):b]
        near = text[a:pos]
        dose = _DOSE.search(after[:60]) or _DOSE.search(near[-15:])
        m.dose = dose.group(0).strip() if dose else None
        window = text[max(a, pos - 40):min(b, pos + len(m.text) + 60)]
        mid = pos - max(a, pos - 40)
        routes = [(min(abs(r.start() - mid), abs(r.end() - mid)), name) for name, rx in _ROUTE_RES
                  for r in rx.finditer(window)]
        m.route = min(routes)[1] if routes else None
        ses = _SESSIONS.search(text[a:b])
        if ses:
            n = ses.group(1).lower()
            m.sessions = int(n) if n.isdigit() else _WORDNUM.get(n)
        for t in timings:
            if not (s.start <= t["char_start"] < s.end):
                continue
            m.timing_ids.append(int(t["timing_id"]))
            inside = a <= t["char_start"] - s.start < b
            if inside and t.get("type") == "SET" and m.frequency is None:
                m.frequency = t["text"]
                if t.get("count") and m.sessions is None:
                    m.sessions = int(t["count"])
            if inside and t.get("type") == "DURATION" and m.duration is None and t.get("event_kind") == "treatment":
                m.duration = t.get("value")

# "we avoided X", "avoidance of X": X, the object of avoiding (a clause's other treatments
# are not: "dietary changes, avoiding high intake of sugar"), was decided against
_AVOIDED = re.compile(r"\b(?:avoid(?:s|ed|ing)?|avoidance\s+of)\s+(?:(?:the|any|all|further|other|"
                      r"use\s+of|administration\s+of)\s+)*$", re.I)
# advice to avoid a drug from now on ("advised to avoid X and other Y"): no treatment of the case
_ADVICE = re.compile(r"\b(?:(?:advised|told|instructed|asked|counsel+ed|warned|educated|encouraged)\s+"
                     r"(?:\w+\s+){0,2}to|should|must|to\s+strictly)\s+avoid\s+", re.I)
# a treatment named as the time of another event: "before X" (not yet done there), "during
# X", "over the last hour of each X session" (done, but the clause's cues are the other
# treatment's: a background treatment stays background)
_BEFORE = re.compile(r"\b(?:before|prior\s+to)\s+(?:(?:the|a|an|his|her|their|any|performing|starting|"
                     r"initiating)\s+)*$", re.I)
_DURING = re.compile(r"\b(?:(?:during|throughout)\s+(?:(?:the|a|an|his|her|their|each|every|this|course\s+of)\s+)*|"
                     r"(?:of|at|after)\s+(?:each|every)\s+)$", re.I)
# a past in a clause of reason ("since she had a history of asthma, X was used") is the
# reason's, not the treatment's
_REASON = re.compile(r"\b(?:since|because|as|given)\s+(?:\w+\s+){0,4}$", re.I)
_INSTEAD = re.compile(r"instead\s+of", re.I)  # negates what follows it only
# "no antirejection therapy was required": the cue wraps the treatment, read on both sides
_NONE_BEFORE = re.compile(r"\bno\s+(?:[\w-]+\s+){0,2}$", re.I)  # "no (adjuvant) X was given"
_NEEDED_AFTER = re.compile(r"^\s*(?:was|were|is|are|had been)\s+(?:\w+ly\s+)?(?:given|required|needed|necessary|"
                           r"used|performed|administered|indicated|instituted|started)\b", re.I)

# a course that ran its time ("stopped after a total of 6 months", "tapered over 3 months")
# ended; it was not stopped as a treatment
_COURSE_RAN = re.compile(r"\b(?:after|over)\s+(?:a total of\s+|another\s+)?(?:\d+|an?|one|two|three|four|five|six|"
                         r"several|a few)\s+(?:days?|weeks?|months?|years?)\b", re.I)
_COUNT = re.compile(r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|multiple)\s+"
                    r"(?:(?:units?|bags?|packs?|doses?)\s+of\s+)?", re.I)
_AND = re.compile(r"\s+(?:and|plus)\s+|\s*,\s+", re.I)
TRANSFUSION = "blood transfusion"  # the vocabulary's name for a transfusion of any product
_TRANSFUSED = re.compile(r"transfus", re.I)
_ANY_TRANSFUSION = re.compile(r"(?:blood\s+)?transfusions?", re.I)  # named by no product: the class's name
# a word of giving that a list of what was given follows ("infusion of A, B and C")
_POSSESSIVE = re.compile(r"(?:his|her|their)\s", re.I)  # "administration of X, her QTc remained": the list has ended
_ITEMS = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+")
# a verb of giving after the list it is said of
_GIVEN_AFTER = re.compile(r"\s+(?:were|was)\s+(?:(?:\w+ly|then|also)\s+)?(?:administered|given|prescribed|started|initiated)\b",
                          re.I)
# an item of such a list: a name of up to three words, no function word in it
_LIST_ITEM = re.compile(r"(?!(?:the|a|an|after|before|during|then|on|in|at|with|his|her|he|she|they|we|it|this|"
                        r"these|all|both)\b)(?!.*\b(?:later|ago|days?|weeks?|months?|years?|hours?)\b)"
                        r"[A-Za-z][\w-]*(?:\s+(?!(?:of|in|on|at|for|to|with|by|from|after|was|were)\b)[\w-]+){0,2}", re.I)
_LAST_ITEM = re.compile(r"(?:,\s*|\s)(?:and|or)\s+[^,]+$", re.I)  # the list ends in "and C"


def _given_lists(text: str) -> list[tuple[int, int]]:
    """Lists of names that start their clause and a verb of giving follows ("Lactulose,
    vitamin B, and L-arginine were administered"): (start, end) of each."""
    out = []
    for verb in _GIVEN_AFTER.finditer(text):
        start = max(text.rfind(c, 0, verb.start()) for c in ".;:") + 1
        items = _ITEMS.split(text[start:verb.start()])
        if len(items) > 1 and _LAST_ITEM.search(text[start:verb.start()]) \
                and all(_LIST_ITEM.fullmatch(i.strip()) for i in items):
            out.append((start, verb.start()))
    return out


_GIVEN_OF = re.compile(r"\b(?:infusions?|transfusions?|injections?|administration)\s+of\s+(?:the\s+)?", re.I)
# where such a list ends: a clause, a bracket, a preposition that is not part of a name
_LIST_END = re.compile(r"[.;:()\[\]]|\s(?:as well as|in|at|for|with|to|on|over|due|because|but|which|who|was|were|"
                       r"via|from|after|before|during|until|daily|per|every)\s|"
                       r"(?<=[\w)])(?<!\band)(?<!\bor)\s+[a-z]{3,}ed\b", re.I)  # "... X followed": a verb
# between two items of one list, maybe with other items between ("A, total B and C")
_LIST_GAP = re.compile(r"(?:\s*(?:,|,?\s*and|,?\s*or)\s*(?:[\w-]+(?:\s+[\w-]+){0,2}(?=\s*(?:,|and\b|or\b)))?)+", re.I)


def _list_end(text: str, pos: int) -> int:
    """Where the list that starts at `pos` ends (see _LIST_END)."""
    stop = _LIST_END.search(text, pos)
    return stop.start() if stop else len(text)


_APPOSITION = re.compile(r"\s*,\s*(?:a|an)\s+(?:[\w-]+\s+){0,3}", re.I)
_LIST_NEXT = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*(?:(?:a|an|the)\s+)?", re.I)
_CLAUSE_AND = re.compile(r"\s*,\s*(?:and|or)\s*", re.I)
_COORDINATED = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*", re.I)


def _adjunct(name: str) -> str:
    """A plural name as the singular a noun takes before another ("corticosteroids" ->
    "corticosteroid discontinuation")."""
    return re.sub(r"(?<=[a-z]{3})(?<!s|i|u)s$", "", name)


_CLASS_NOUN = re.compile(r"[a-z]+(?:ors?|ants?|ists?)", re.I)  # a word for what a drug does ("anticoagulant")
_CLASS_NOUNS = {"agent", "drug", "medication", "medicine", "therapy", "treatment", "regimen"}  # "antifungal X"
MAX_STOPPED_MEMBERS = 2  # more drugs of a stopped class: the regimen, stopped as one ("the anti-TB drugs")


def _switched(m: Mention) -> bool:
    """Whether the mention's sentence says it was changed for another ("X was switched to Y")."""
    end = m.end - m.sentence.start
    return bool(_SWITCHED_AFTER.match(m.sentence.text[end:end + 60]))


# a stop said of what was named before: "it was discontinued", "the treatment was terminated",
# "(she was treated with X,) but discontinued after a year"
_BACK_STOP = re.compile(r"(?:\b(?:it|they|(?:the|this|that|these|such|all|her|his)\s+(?:(?:above|current|previous|initial|whole|same|"
                        r"latter)\s+)?(?:treatments?|therap(?:y|ies)|drugs?|medications?|regimens?|agents?))\s+"
                        r"(?:was|were|had\s+been|has\s+been)\s+(?:(?:\w+ly|then|also|therefore|thus)\s+){0,2}"
                        r"|(?:,\s*|\s)(?:but|and)\s+(?:was\s+|were\s+)?(?:(?:\w+ly|then|later)\s+)?)"
                        r"(?:stopped|discontinued|withdrawn|terminated|ceased|suspended|interrupted)\b", re.I)
_STOP_REASON = re.compile(r"\b(?:due\s+to|because|since|owing\s+to|as\s+(?:a\s+result|the|she|he|it))\b", re.I)
_OBJECT_GAP = re.compile(r"\s*(?:(?:the|his|her|all|any)\s+)?")  # "and discontinued the X": X is named


def _back_stops(sentences: list[Sentence], per_sentence: list[list[Mention]]) -> None:
    """A stop said of what was named before ("..., the treatment was terminated", "It was
    discontinued") is the stop of the treatments given before it in its sentence, else of those
    given in the sentence before (its drugs, when it names any): one row for them all, named after
    them (issue 14's "X and Y discontinuation"); none for more than two (a regimen, whose name
    the report does not give)."""
    previous: list[Mention] = []
    for s, found in zip(sentences, per_sentence):
        given = [m for m in found if m.status == "given" and m.kind != "other"]
        for cue in _BACK_STOP.finditer(s.text):
            at, end = s.start + cue.start(), s.start + cue.end()
            if any(m.start >= end and _OBJECT_GAP.fullmatch(s.text[cue.end():m.start - s.start]) for m in found):
                continue
            before = [m for m in given if m.end <= at] or ([] if any(m.start < at for m in found) else previous)
            before = [m for m in before if m.kind == "drug"] or before  # drugs first: what is stopped
            names = list(dict.fromkeys(m.treatment for m in before))
            if not names or len(names) > MAX_STOPPED_MEMBERS:
                continue
            if _COURSE_RAN.search(s.text) and not _STOP_REASON.search(s.text, cue.end()):
                continue  # "tapered and stopped over 2 months": the course ran its time
            found.append(Mention(" and ".join(names) + DISCONTINUED, "other", cue.group(0).strip(" ,"), at, end, s,
                                 status="given", status_cue=True, source=before[-1].source))
            found.sort(key=lambda m: m.start)
        previous = given


TAPERING = " tapering"
# "steroids were gradually tapered", "dose of X was tapered": lowering the drug as a measure (a
# taper to its end is a stop, a taper by a schedule "by 5 mg every week" only its dose)
_TAPERED_AFTER = re.compile(r"^\W{0,3}(?:(?:dose|doses)\s+)?(?:was|were)\s+(?:(?:\w+ly|then)\s+){0,2}tapered\b"
                            r"(?!(?:\s+\w+ly)?\s+(?:off|by|from|to|over|down|until|within|during|"
                            r"and\s+(?:(?:\w+ly|then)\s+)?(?:stopped|discontinued|withdrawn|ceased))\b)", re.I)


def _tapers(per_sentence: list[list[Mention]], classes: set[str]) -> None:
    """A drug given and then tapered as a measure has a row of its own ("X tapering", issue 14),
    named as the report wrote a class ("steroid tapering"); one said of its dose step is not."""
    for found in per_sentence:
        for m in list(found):
            s, end = m.sentence, m.end - m.sentence.start
            if m.kind != "drug" or m.status != "given" or not _TAPERED_AFTER.match(s.text[end:end + 60]) \
                    or _DOSE.search(s.text[end:clause_bounds(s.text, end)[1]]):
                continue
            name = _adjunct(_bare(m.text).lower()) if m.treatment in classes else m.treatment
            found.append(Mention(name + TAPERING, "other", m.text, m.start, m.end, s, status="given",
                                 status_cue=True, source=m.source))
        found.sort(key=lambda m: m.start)


def _stem(word: str) -> str:
    """A class word without hyphen and plural ("anti-fungal", "antifungals" -> "antifungal")."""
    return _adjunct(word.lower().replace("-", ""))


def _stopped(text: str, x: Candidate, before: list[tuple[Candidate, bool]]) -> bool:
    """Whether the sentence says the drug `x` was stopped as a measure ("X was discontinued",
    "X withdrawal", "discontinuation of A and X", "X was changed to Y"), not at the end of a course that ran its
    time ("X was stopped after 6 months"); `before`: the treatments before it, with theirs."""
    if _STOP_NOUN.search(text[max(0, x.a - 40):x.a]) or _STOP_NOUN_AFTER.match(text[x.b:x.b + 40]) \
            or _SWITCHED_AFTER.match(text[x.b:x.b + 60]) or _SWITCHED_FROM.search(text[max(0, x.a - 40):x.a]):
        return True
    if _COURSE_RAN.search(text):  # a verb of stopping at the end of a course that ran its time
        return False
    if _STOPPED_AFTER.match(text[x.b:x.b + 60]) or _STOP_VERB.search(text[max(0, x.a - 40):x.a]):
        return True
    return bool(before) and before[-1][1] and _COORDINATED.fullmatch(text[before[-1][0].b:x.a]) is not None


def _merged(spans: list[tuple], text: str) -> list[Candidate]:
    """Overlapping candidate spans as one, the longest (and its kind): its sources are all
    of theirs, its vocabulary term the longest term inside it. Words an entity adds after
    a vocabulary term are kept only as its complement ("excision of the mass", "microneedling
    with radiofrequency"), not when they run on into the sentence ("antibiotic cover
    shortens treatment"), nor words after a drug-like word that join it to the sentence
    ("X plus standard dose"); modifiers before it stay ("laparoscopic excision")."""
    order = sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0]))
    out: list[Candidate] = []
    for a, b, term, kind, source in order:
        host = next((c for c in out if a < c.b and c.a < b), None)
        if host is None:
            out.append(Candidate(a, b, term, kind, {source}))
            continue
        host.sources.add(source)
        if host.term is None and term is not None:
            host.term = term
            if host.b > b and not _COMPLEMENT.match(text[b:host.b]):
                host.b = b
        elif source == "suffix" and host.b > b and _RUN_ON.match(text[b:host.b]):
            host.b = b  # "temozolomide plus standard": the entity ran on past the drug
    return sorted(out, key=lambda c: c.a)


# words an entity runs on with that are not the treatment's name: how often, a size
# ("transarterial chemoembolization twice", "cholecystectomy .1.5 cm")
_TRAILING = re.compile(r"(?:\s+(?:twice|once|thrice|again|daily|weekly|monthly|nightly|respectively)|"
                       r"\s+\W?\d[\d.,]*(?:\s*(?:cm|mm))?)+$",
                       re.I)
_RUN_ON = re.compile(r"\s+(?:plus|and|or|at|in|for|to|as|was|were|is|then|versus|vs)\b", re.I)


# a participle right after a determiner describes a thing ("the resected specimen"), it
# does not say that the procedure was done
_ATTRIBUTIVE = re.compile(r"\b(?:the|a|an|this|these|that|those|her|his|its|their)\s+(?:[a-z]+ly\s+)?$", re.I)
_COMPLEMENT = re.compile(r"\s+(?:of|with)\s", re.I)

# a word before a procedure head that is not one of its modifiers: function words, verbs,
# adverbs, numbers ("underwent partial nephrectomy" -> "partial nephrectomy")
_NOT_MODIFIER = re.compile(r"(?:a|an|the|and|or|but|nor|of|with|without|for|in|on|at|by|to|from|as|via|after|despite|"
                           r"through|within|into|upon|against|because|due|"
                           r"before|following|during|under|than|then|his|her|its|their|our|this|that|these|"
                           r"those|which|who|he|she|they|we|it|was|were|is|are|be|been|being|had|has|have|"
                           r"did|does|do|underwent|undergo\w*|received?|requir\w+|needs?|needed|given|no|not|"
                           r"any|all|both|each|patient|case|one|two|three|four|five|six|[a-z]{3,}ed|"
                           r"includ\w*|chose|choose|post|versus|vs|plus|off|on|whereas|while|although|if|when|"
                           r"also|only|alone|regular|so|thus|hence|therefore|again|still|yet|"
                           r"postsurgical|postoperative|primary|further|definitive|initial|second|third|"
                           r"weekly|daily|months?|years?|weeks?|days?|hours?|times?|"
                           r"[a-z]{3,}ing|[a-z][a-z-]+ly|\d[\w.,]*)", re.I)
_LAST_WORD = re.compile(r"(?<![\w'-])([A-Za-z][\w'-]*)\s+$")
MAX_MODIFIERS = 4  # "off-pump coronary artery bypass grafting"


def _phrases(text: str, head: re.Pattern) -> list[tuple[int, int]]:
    """Spans ending in a procedure head with the modifiers written before it (a head right
    before another is one of its modifiers: "bypass grafting")."""
    out = []
    hits = list(head.finditer(text))
    for k, m in enumerate(hits):
        if k + 1 < len(hits) and re.fullmatch(r"[\s-]+", text[m.end():hits[k + 1].start()]):
            continue
        a = m.start()
        for _ in range(MAX_MODIFIERS):
            w = _LAST_WORD.search(text[max(0, a - 40):a])
            if not w or _NOT_MODIFIER.fullmatch(w.group(1)):
                break
            a = max(0, a - 40) + w.start()
        out.append((a, m.end()))
    return out


# words that say a treatment happened without naming it ("the surgery", "further treatment"); not
# supportive care, measures or management, which name a kind of care (issue 14)
_GENERIC = re.compile(r"(?!(?:(?:the|a|an|her|his|best)\s+)?supportive\s+(?:care|measures|management)$)"
                      r"(?:(?:the|a|an|her|his|further|medical|surgical|definitive|initial|current|this|"
                      r"such|other|conservative|supportive|standard|concomitant|combination|combined|appropriate|usual|"
                      r"optimal|prior|previous|ongoing|specific|targeted|maximal|maximum|above-described|"
                      r"aforementioned|(?:first|second|third|fourth)-line)\s+)*"
                      r"(?:treatments?|therap(?:y|ies)|pharmacotherapy|surgery|operations?|"
                      r"procedures?|management|medications?|medicines?|drugs?|interventions?|measures?|care)", re.I)


_NOT_A_NAME = re.compile(r"[a-z]+ed|[a-z]{1,2}|(?:above|below|after|before|first|second|third|fourth|fifth|"
                         r"other|doing|done|drawn|taken|given|this|that|these|those|"
                         # an act with nothing it was done with or to ("after insertion", "post injection")
                         r"insertion|injections?|infusions?|placement|grafting|support|"
                         r"[\w-]+-(?:related|induced|associated|mediated))", re.I)  # what a drug did, not the drug
_MEASURED = re.compile(r"\s*(?:values?\b|\d[\d.,]*\s*\S+\s*\((?:normal|reference|nl)\b)", re.I)


def _function_word(span: str) -> bool:
    """Whether a span is one function word (English stop words: "she", "there", "whole"),
    which names nothing whatever a model labelled it."""
    words = span.split()
    return len(words) == 1 and words[0].strip(".,;:").lower() in STOP_WORDS


# a month is no treatment, whatever a model labelled it ("between April and June")
_MONTH = re.compile(r"january|february|march|april|may|june|july|august|september|october|november|december", re.I)


def _is_name(span: str) -> bool:
    """Whether an entity span can name a treatment: not a lone verb form or function word
    ("removed", "ligated", "above"), not only words for treatment in general ("the surgery")."""
    words = span.split()
    if len(words) == 1 and (words[0].islower() and _NOT_A_NAME.fullmatch(words[0]) or _MONTH.fullmatch(words[0])):
        return False
    return not _GENERIC.fullmatch(span.strip())


def _bare(span: str) -> str:
    """A span without its dose, route and manner words ("oral naproxen 500 mg" -> "naproxen")."""
    text = _DOSE.sub(" ", span)
    text = re.sub(r"\s*\([^)]*\)|[,;:]+$", " ", text)
    text = re.sub(r"^[^(]*\)|\([^)]*$", " ", text)  # a bracket the span cuts: "IV) bolus X", "X (IV"
    text = " ".join(text.split()).strip(" ,;:-")
    bare = _ROUTE_AFTER.sub("", _MANNER.sub("", text)).strip()
    return bare or text


# a route written after the drug ("diazepam IV", "morphine orally"): the routes `_ROUTES` reads, and
# their letters in any case, with or without dots, as a name's last word writes them ("po", "s.c")
_ROUTE_AFTER = re.compile(r"\s+(?:%s|(?:i\.?v|p\.?o|i\.?m|s\.?c)\.?)$" % "|".join(p for _, p in _ROUTES), re.I)
_ROUTE_WORD = re.compile(r"(?<![\w.])(oral|intravenous|i\.?v\.?|topical|subcutaneous|intramuscular|inhaled|intravitreal|"
                         r"intrathecal|intralesional)\s+$", re.I)
_ROUTE_NAMES = {"iv": "intravenous", "i.v.": "intravenous", "i.v": "intravenous", "iv.": "intravenous"}


def _by_route(mentions: list[Mention]) -> list[Mention]:
    """A drug the case gives by two routes, each written before it ("oral acyclovir", then
    "intravenous acyclovir") is two treatments, each named with its route as written."""
    routed: dict[str, list[tuple[Mention, str]]] = {}
    for m in mentions:
        r = _ROUTE_WORD.search(m.sentence.text[max(0, m.start - m.sentence.start - 20):m.start - m.sentence.start])
        if r and m.kind == "drug" and m.sentence.scope == "case":
            routed.setdefault(m.treatment, []).append((m, r.group(1).lower()))
    for pairs in routed.values():
        if len({_ROUTE_NAMES.get(r, r) for _, r in pairs}) > 1:
            for m, r in pairs:
                m.treatment = f"{r} {m.treatment}"
    return mentions


def _by_alias(mentions: list[Mention]) -> list[Mention]:
    """A treatment named elsewhere by an alias the report gave it ("Foscavir" after "foscarnet
    (Foscavir)") is that treatment."""
    def split(name: str) -> tuple[str, str]:  # "foscarnet discontinuation": the drug and the stop
        return (name[:-len(DISCONTINUED)], DISCONTINUED) if name.endswith(DISCONTINUED) else (name, "")
    named = {a.lower(): split(m.treatment)[0] for m in mentions for a in m.aliases}
    for m in mentions:
        name, stop = split(m.treatment)
        m.treatment = named.get(m.text.lower(), named.get(name.lower(), name)) + stop
    return mentions


def _one_spelling(mentions: list[Mention]) -> list[Mention]:
    """A treatment named in the singular and the plural ("ACE inhibitor", "ACE inhibitors"),
    with a hyphen or a space ("beta-blocker", "beta blocker"), with or without its side
    ("bilateral X", "X") is one treatment, under the spelling the report used first."""
    first: dict[str, str] = {}
    for m in mentions:
        key = re.sub(r"(?<=[a-z])e?s\b", "", m.treatment.replace("-", " "))
        key = re.sub(r"^(?:(?:left|right|bilateral|unilateral)\s+)+", "", key)
        m.treatment = first.setdefault(key, m.treatment)
    return mentions


def _refers_back(mentions: list[Mention]) -> list[Mention]:
    """A treatment named again by its last words ("decongestive therapy" after "intensive
    decongestive therapy", "heparin" after "low-molecular-weight heparin") is the one named
    in full before it, where only one such was named."""
    seen: list[str] = []
    for m in mentions:
        name = m.treatment.lower()
        longer = {t for t in seen if t.lower().endswith(" " + name)}
        if len(longer) == 1:
            m.treatment = longer.pop()
        elif m.treatment not in seen:
            seen.append(m.treatment)
    return mentions


# an operation said bare ("the mass was resected", "the fluid was drained") and the same act
# named with what it took ("left hemithyroidectomy", "wedge resection", "thoracocentesis")
_BARE_ACT = re.compile(r"(?:[\w-]+\s+(?:was|were)\s+)?(?:(?:the|a|an|complete|completely|total|totally|surgical|"
                       r"surgically|successful|successfully)\s+)*(?:(resect|excis|remov)|drain)\w*", re.I)
_NAMED_ACT = (re.compile(r"\w+ectom(?:y|ies)|\w+\s+(?:resection|excision)s?|(?:resection|excision)s?\s+of", re.I),
              re.compile(r"\w+centesis|\w+\s+drainage|drainage\s+of", re.I))


def _said_specifically(mentions: list[Mention]) -> list[Mention]:
    """An operation the case names with what it took ("parathyroidectomy", "wedge resection")
    is not a second one where the report says it bare ("the gland was resected"): the bare
    words refer back to it (a resection, excision or removal to a named resection or
    -ectomy; a drainage to a named drainage or -centesis)."""
    def act(m: Mention) -> int | None:
        bare = _BARE_ACT.fullmatch(m.text)
        return None if bare is None or not _BARE_ACT.fullmatch(m.treatment) else (0 if bare.group(1) else 1)
    named = [{m.treatment for m in mentions if m.kind == "procedure" and m.sentence.scope == "case"
              and act(m) is None and rx.search(m.treatment)} for rx in _NAMED_ACT]
    return [m for m in mentions if not (m.kind == "procedure" and act(m) is not None
                                        and named[act(m)] - {m.treatment})]


def _first(ms: list[Mention], attr: str):
    return next((getattr(m, attr) for m in ms if getattr(m, attr) is not None), None)


def _cause_named(name: str, kind: str, causes: dict[str, str]) -> str | None:
    """The kind of the drug or procedure cause of the condition that a treatment's name is,
    or is inside ("fat grafting" in "autologous fat grafting"); a one-word procedure only as
    the whole cause ("surgery" inside "cardiac surgery" may be another operation). A drug
    named in an exposure or injury cause ("calcium gluconate extravasation") is a drug cause."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])")
    return next(("drug" if ck in ("other", "injury") else ck for c, ck in causes.items()
                 if (ck == "drug" or ck in ("other", "injury") and kind == "drug") and pattern.search(c.lower())
                 or ck == "procedure" and (c.lower() == name.lower() or " " in name and pattern.search(c.lower()))),
                None)


def aggregate(mentions: list[Mention], causes: dict[str, str] | None = None) -> list[dict]:
    """One row per (canonical treatment, scope): the decisive status (an explicit cue
    beats a historical mention, which beats a default; given > declined > contraindicated
    > recommended > considered > negated); the outcome of the case section's mentions, else the abstract's (a
    recurrence stated as a verb, else the first outcome after the treatment, carried on to
    a later resolution of the same course); the first
    stated dose/route/frequency; the provenance of the mention that set the status.
    A drug that caused the condition is a cause, not one of the case's treatments given
    (it stays when withheld: contraindicated, declined), and has no outcome of its own; so
    is a causal procedure not given for the condition (a debridement that made it worse stays);
    'X discontinuation' is a treatment of its own (issue 14's convention), beside X's row
    when X was given in the case. `causes`: cause name -> cause_kind."""
    causes = causes or {}
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.treatment, m.sentence.scope), []).append(m)
    rows = []
    for (name, scope), ms in groups.items():
        explicit = [m for m in ms if m.status_cue and m.status in STATUS_ORDER]
        pool = explicit or [m for m in ms if m.historical] or ms  # a stated past beats a default "given"
        lead = min(pool, key=lambda m: (STATUS_ORDER.index(m.status) if m.status in STATUS_ORDER else 9, m.start))
        cause_kind = _cause_named(name, lead.kind, causes)
        past = cause_kind == "procedure" and (lead.status != "given" or all(m.historical for m in ms))
        caused = cause_kind == "drug" or past  # not a debridement done for the condition that worsened it
        if caused and scope == "case" and (past or lead.status in ("given", "unknown")):
            continue  # a causal drug withheld stays (declined, contraindicated)
        out, outs = (None, []) if caused else row_outcome(ms)
        rows.append(dict(
            treatment=name, treatment_class=next((m.treatment_class for m in ms if m.treatment_class), None),
            text=lead.text, kind=lead.kind, scope=scope, status=lead.status,
            historical=all(m.historical for m in ms),
            dose=_first(ms, "dose"), route=_first(ms, "route"), frequency=_first(ms, "frequency"),
            sessions=_first(ms, "sessions"), duration=_first(ms, "duration"),
            outcome=out.outcome if out else "unknown",
            response_pct=next((m.response_pct for m in reversed(outs) if m.response_pct is not None), None),
            outcome_text=out.outcome_text if out else None,
            cited_refs=sorted({r for m in ms for r in m.sentence.cited}),
            timing_ids=sorted({t for m in ms for t in m.timing_ids}), n_mentions=len(ms),
            mentions=[f"{m.start}-{m.end}" for m in ms],
            sentence=lead.sentence.text, char_start=lead.start, char_end=lead.end))
    return sorted(rows, key=lambda r: r["char_start"])
