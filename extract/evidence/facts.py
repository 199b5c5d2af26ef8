"""Evidence: the report's diagnosis and subtypes, treatments with status and outcome
(extract.evidence.treatments), causes (extract.evidence.causes), patient facts (extract.evidence.patients), a one-row-per-patient `cases` summary and the long `evidence`
table; the `evidence` stage produces all of them for one document.

The stage computes the timings and citations it links to itself (same rows as the
`timings` and `references` stages) and reads the entities of the NLP pipeline (the
`mentions` stage's rows, computed once per document): treatment candidates, and the
report's own diagnosis when no topic protocol names it. With no topic protocol (or none
that the title and abstract name) the general layer (`common.yaml`) alone applies."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.evidence.casetext import CaseText, Sentence, compile_cues, cue_matches, prepare
from extract.evidence.causes import CASE_SECTIONS, find_causes
from extract.evidence.conditions import Candidate, choose_condition, condition_scores
from extract.nlp.sentences import sentence_index
from extract.document import Document
from extract.evidence.patients import Patient, patients_from_sections
from extract.nlp.protocols import Protocol, general_protocol, load_protocols
from extract.stages import Records, RunConfig, stage
from extract.evidence.treatments import TreatmentFinder, aggregate

ROLE_CUES = compile_cues({
    "excluded": [r"ruled out", r"excluded", r"exclud\w+", r"no (?:evidence|signs?) of", r"unlikely",
                 r"not consistent with", r"rather than", r"instead of", r"misdiagnos\w*", r"misread"],
    "differential": [r"differential(?: diagnos[ie]s)?", r"d(?:ifferential)?\s*dx", r"mimic\w*"],
    "mentioned": [r"sub-?types?", r"categori[sz]ed", r"classif\w+", r"divided into", r"separated into",
                  r"forms?\b", r"types?\b", r"variants?", r"include\w*", r"such as", r"example"],
    "diagnosis": [r"diagnos\w+", r"consistent with", r"confirm\w+", r"compatible with",
                  r"we (?:report|present|describe)", r"case of", r"our patient", r"showed", r"revealed", r"demonstrat\w+", r"suggest\w+"],
})
_SECTION_WEIGHT = {"title": 4, "abstract": 1, "case": 2, "results": 2, "conclusion": 1}


@dataclass
class Diagnosis:
    condition: str | None
    subtype: str | None
    protocol: Protocol
    sentence: Sentence | None = None


# -- protocol and diagnosis ---------------------------------------------------------------
def choose_protocol(ct: CaseText, protocols: list[Protocol]) -> tuple[Protocol, int]:
    """The protocol whose condition and subtypes the title and abstract name most; the
    general layer (score 0) when there is none or none is named."""
    if not protocols:
        return general_protocol(), 0
    def score(p: Protocol) -> int:
        rxs = [p.condition.regex()] + [t.regex() for t in p.subtypes]
        return sum(_SECTION_WEIGHT.get(s.section, 0) * sum(1 for rx in rxs if rx.search(s.text))
                   for s in lead_sentences(ct))
    scored = [(score(p), i, p) for i, p in enumerate(protocols)]
    best = max(scored, key=lambda x: (x[0], -x[1]))
    return best[2], best[0]


def lead_sentences(ct: CaseText) -> list[Sentence]:
    """What names the report's topic: its title and abstract; for a text without them
    (a report pasted as text), its first sentences and those under a "Diagnosis" heading."""
    lead = [s for s in ct.sentences if s.section in ("title", "abstract")]
    if lead:
        return lead
    return ct.sentences[:3] + [s for s in ct.sentences[3:] if s.heading and re.search(r"diagnos", s.heading, re.I)]


def find_subtypes(ct: CaseText, proto: Protocol) -> list[dict]:
    """Every protocol subtype named in the prose, with its role."""
    rows = []
    for term in proto.subtypes:
        rx = term.regex()
        for s in ct.sentences:
            for m in rx.finditer(s.text):
                rows.append(dict(subtype=term.name, text=m.group(0), role=_role(s, m.start()),
                                 section=s.section, sentence=s.text,
                                 char_start=s.start + m.start(), char_end=s.start + m.end()))
    # a span matched by two subtypes (a named form inside another) keeps the longer one
    rows.sort(key=lambda r: (r["char_start"], -(r["char_end"] - r["char_start"])))
    out: list[dict] = []
    for r in rows:
        if not any(r["char_start"] >= o["char_start"] and r["char_end"] <= o["char_end"]
                   and r["subtype"] != o["subtype"] and (r["char_end"] - r["char_start"]) < (o["char_end"] - o["char_start"])
                   for o in out):
            out.append(r)
    return out


def _role(s: Sentence, pos: int) -> str:
    if s.heading and re.search(r"differential", s.heading, re.I):
        return "differential"
    cues = cue_matches(s.text, ROLE_CUES)
    labels = [c[2] for c in cues]
    if "excluded" in labels:
        near = [c for c in cues if c[2] == "excluded" and abs(c[0] - pos) < 80]
        if near:
            return "excluded"
    if "differential" in labels:
        return "differential"
    if s.section == "title" or (s.heading and re.search(r"diagnosis", s.heading, re.I)):
        return "diagnosis"
    if s.scope == "literature" or ("mentioned" in labels and s.section not in ("case",)):
        return "mentioned"
    if s.section in CASE_SECTIONS + ("conclusion",) and ("diagnosis" in labels or s.section != "abstract"):
        return "diagnosis"
    return "mentioned"


def diagnose(ct: CaseText, proto: Protocol, subtypes: list[dict], mentions: list[dict] = (),
             scored: list[tuple[float, Candidate]] | None = None) -> Diagnosis:
    """The report's own condition and subtype: the protocol's condition when the title or
    abstract names it (or names a subtype that stands as a condition of its own, such as
    calciphylaxis), else the learned choice among the report's disease phrases
    (`extract.evidence.conditions`; `scored`: their `condition_scores`, if computed)."""
    diag = [r for r in subtypes if r["role"] == "diagnosis"]
    subtype = None
    if diag:
        weight: dict[str, float] = {}
        for r in diag:
            weight[r["subtype"]] = weight.get(r["subtype"], 0) + _SECTION_WEIGHT.get(r["section"], 0.5) \
                - r["char_start"] * 1e-7
        subtype = max(weight, key=weight.get)
    cond_rx = proto.condition.regex()
    title = [s for s in ct.sentences if s.section == "title"]
    abstract = [s for s in lead_sentences(ct) if s.section != "title"]
    if any(cond_rx.search(s.text) for s in title):
        return Diagnosis(proto.condition.name, subtype, proto, title[0])
    if subtype and any(r["section"] == "title" and r["subtype"] == subtype for r in diag) \
            and not re.search(cond_rx.pattern, subtype, re.I):
        return Diagnosis(subtype, subtype, proto, title[0] if title else None)
    if any(cond_rx.search(s.text) for s in abstract[:3]):
        return Diagnosis(proto.condition.name, subtype, proto, abstract[0])
    found = choose_condition(ct, mentions, proto, scored=scored)
    return Diagnosis(found[0] if found else None, None, proto, found[1] if found else None)


# -- the stage ----------------------------------------------------------------------------
def extract_evidence(doc: Document, protocols: list[Protocol] | None = None,
                     timings: list[dict] | None = None, citations: list[dict] | None = None,
                     mentions: list[dict] | None = None) -> Records:
    """All evidence tables for one document. `timings`/`citations`/`mentions`: rows of
    the `timings`, `citations` and `mentions` tables for this document (timings are
    found here when not given)."""
    if timings is None:
        from extract.timings.expressions import timing_records
        timings = timing_records(doc, RunConfig())["timings"]
    protocols = load_protocols() if protocols is None else protocols
    if mentions is None:
        from extract.nlp.pipeline import document_mentions
        mentions = document_mentions(doc, None, protocols)
    ct = prepare(doc, citations)
    proto, score = choose_protocol(ct, protocols)
    if score == 0:
        proto = general_protocol()
    finder = _finder(proto)
    subtypes = find_subtypes(ct, proto)
    scored = condition_scores(ct, mentions, proto)  # read by the condition and the cause stage
    diagnosis = diagnose(ct, proto, subtypes, mentions, scored)
    found = finder.find(ct, timings, mentions)
    caused, given_rows = finder.given_in_case(found, diagnosis.condition)
    # a treatment given in the case whose result for the condition the report states (improved,
    # resolved, or no change) was given for it: not its cause, whatever the cause model thinks
    credited = frozenset(t["treatment"].lower() for t in given_rows
                         if t.get("outcome") in ("improved", "resolved", "unchanged"))
    given = frozenset(t["treatment"].lower() for t in given_rows)  # not a cause, unless a cue states it one
    causes = find_causes(ct, proto, diagnosis.condition, finder, mentions, credited, scored, given)
    caused.update({c["cause"]: c["cause_kind"] for c in causes})
    treatments = finder.drop_covered_classes(aggregate(found, caused))
    sections = [(s.kind, s.char_start, doc.text[s.char_start:s.char_end]) for s in doc.sections
                if s.kind in ("title", "abstract", "case", "introduction", "other", "methods", "results", "table")]
    patients = patients_from_sections(sections)
    ident = dict(doc_id=doc.doc_id)

    def prov(row: dict) -> dict:
        return dict(row, page=doc.page_at(row["char_start"]) if row.get("char_start") is not None else None)

    subtype_rows = [dict(ident, **prov(r)) for r in subtypes]
    treat_rows = [dict(ident, treatment_id=i, **prov(r)) for i, r in enumerate(treatments)]
    cause_rows = [dict(ident, **prov(r)) for r in causes]
    patient_rows = [dict(ident, patient_id=i, age_years=p.age_years, age_text=p.age_text, sex=p.sex,
                         comorbidities=p.comorbidities, char_start=p.char_start, char_end=p.char_end,
                         page=doc.page_at(p.char_start) if p.char_start is not None else None,
                         sentence=sentence_index(doc).sentence(p.char_start) if p.char_start is not None else None)
                    for i, p in enumerate(patients)]
    literature = [(x.start, x.end) for x in ct.sentences if x.scope != "case"]
    cases = case_rows(doc, diagnosis, patients, treat_rows, cause_rows,
                      [t for t in timings or [] if not any(a <= t["char_start"] < b for a, b in literature)])
    evidence = evidence_rows(doc.doc_id, diagnosis, subtype_rows, treat_rows, cause_rows, patient_rows)
    for r in evidence:  # the diagnosis sentence comes without a page of its own
        if r["page"] is None and r["char_start"] is not None:
            r["page"] = doc.page_at(r["char_start"])
    return {"subtypes": subtype_rows, "treatments": treat_rows, "causes": cause_rows,
            "patients": patient_rows, "cases": cases, "evidence": evidence}


_FINDERS: dict[int, TreatmentFinder] = {}


def _finder(proto: Protocol) -> TreatmentFinder:
    if id(proto) not in _FINDERS:
        _FINDERS[id(proto)] = TreatmentFinder(proto)
    return _FINDERS[id(proto)]


_OUTCOME_RANK = {"resolved": 5, "improved": 4, "unchanged": 3, "recurred": 2, "worsened": 1}


def case_rows(doc: Document, diagnosis: Diagnosis, patients: list[Patient], treatments: list[dict],
              causes: list[dict], timings: list[dict]) -> list[dict]:
    """One summary row per patient: what a reviewer would otherwise fill in by hand.
    `timings`: those of the sentences about the patient (not "only a few patients were
    followed beyond a decade.4")."""
    case_t = [t for t in treatments if t["scope"] == "case"]
    given = [t["treatment"] for t in case_t if t["status"] == "given"]
    declined = [t["treatment"] for t in case_t if t["status"] == "declined"]
    outs = [t for t in case_t if t["status"] == "given" and t["outcome"] in _OUTCOME_RANK]
    best = max(outs, key=lambda t: _OUTCOME_RANK[t["outcome"]]) if outs else None
    t_by_id = {t["timing_id"]: t for t in timings}
    to_outcome = None
    if best:
        # durations the timings stage tied to the resolution or improvement, not how long
        # the treatment ran ("three times a day", "for 7 days")
        days = [t_by_id[i]["days"] for i in best["timing_ids"] if i in t_by_id
                and t_by_id[i].get("type") == "DURATION" and t_by_id[i].get("event_kind") == "resolution"
                and t_by_id[i].get("days") is not None]
        to_outcome = max(days) if days else None
    follow = [t["days"] for t in timings if t.get("event_kind") == "follow_up" and t.get("days") is not None]
    site = _site(doc)
    rows = []
    for i, p in enumerate(patients):
        rows.append(dict(doc_id=doc.doc_id, patient_id=i, protocol=diagnosis.protocol.name,
                         condition=diagnosis.condition, subtype=diagnosis.subtype,
                         cause="; ".join(c["cause"] for c in causes) or None,
                         age_years=p.age_years, sex=p.sex, site=site, treatments_given=given,
                         treatments_declined=declined, best_outcome=best["outcome"] if best else None,
                         response_pct=best["response_pct"] if best else None,
                         time_to_outcome_days=to_outcome, follow_up_days=max(follow) if follow else None))
    return rows


_SITE = re.compile(r"\b(?:on|of|over|at|in) (?:the |her |his |both |a )?((?:(?:left|right|upper|lower|inner|outer|"
                   r"medial|lateral|anterior|posterior|dorsal|bilateral)\s+){0,2}(?:face|scalp|neck|chest|back|"
                   r"abdomen|arm|forearm|hand|fingers?|thighs?|legs?|shins?|foot|feet|knee|elbow|buttocks?|breast|"
                   r"cheeks?|lips?|ear|nose|trunk|antecubital fossa|axilla|groin|scrotum|gingiva|tongue|hip|femur))\b",
                   re.I)


def _site(doc: Document) -> str | None:
    for kind in ("title", "abstract", "case"):
        for s in doc.sections_of(kind):
            m = _SITE.search(doc.text[s.char_start:s.char_end])
            if m:
                return m.group(1).lower()
    return None


def evidence_rows(doc_id: str, diagnosis: Diagnosis, subtypes: list[dict], treatments: list[dict],
                  causes: list[dict], patients: list[dict]) -> list[dict]:
    """The long table: one row per fact, subject-predicate-object with provenance."""
    rows: list[dict] = []

    def add(kind, subject, predicate, obj=None, value=None, unit=None, scope="case", src=None, cited=None):
        src = src or {}
        rows.append(dict(doc_id=doc_id, evidence_id=len(rows), kind=kind, subject=subject, predicate=predicate,
                         object=obj, value=value, unit=unit, scope=scope, sentence=src.get("sentence"),
                         page=src.get("page"), char_start=src.get("char_start"), char_end=src.get("char_end"),
                         cited_refs=cited or []))
    if diagnosis.condition:
        s = diagnosis.sentence
        add("diagnosis", "patient", "diagnosis", diagnosis.condition,
            src=dict(sentence=s.text, char_start=s.start, char_end=s.end) if s else None)
    for r in subtypes:
        add("subtype", diagnosis.condition, r["role"], r["subtype"], src=r)
    for t in treatments:
        add("treatment", t["treatment"], t["status"], t["kind"], scope=t["scope"], src=t, cited=t["cited_refs"])
        if t["outcome"] != "unknown":
            add("outcome", t["treatment"], "outcome", t["outcome"], value=t["response_pct"],
                unit="%" if t["response_pct"] is not None else None, scope=t["scope"], src=t, cited=t["cited_refs"])
        for attr in ("dose", "route", "frequency", "sessions", "duration"):
            if t.get(attr) is not None:
                add("treatment_detail", t["treatment"], attr, str(t[attr]), scope=t["scope"], src=t)
    for c in causes:
        add("cause", c["cause"], "causes", c["effect"], value=None, unit=c["cause_kind"], src=c)
    for p in patients:
        subj = f"patient {p['patient_id'] + 1}"
        if p["age_years"] is not None:
            add("patient", subj, "age", p["age_text"], value=p["age_years"], unit="years", src=p)
        if p["sex"]:
            add("patient", subj, "sex", p["sex"], src=p)
        for c in p["comorbidities"]:
            add("patient", subj, "comorbidity", c, src=p)
    return rows


@stage("evidence")
def evidence_stage(doc: Document, cfg: RunConfig) -> Records:
    """`subtypes`, `treatments`, `causes`, `patients`, `cases` and `evidence` rows.
    Options: `protocol` (a path, a list of paths or a folder; default calcinosis cutis;
    "none" or [] for the general layer alone), `models` (the NER pipelines, as for the
    `mentions` stage, whose rows for this document are computed once and shared)."""
    from extract.citations.links import reference_stage
    from extract.timings.expressions import timing_records

    protocols = load_protocols(cfg.options.get("protocol"))
    timings = timing_records(doc, cfg)["timings"]       # shared with the timings stage (memo)
    citations = reference_stage(doc, cfg)["citations"]  # shared with the references stage
    from extract.nlp.pipeline import document_mentions
    mentions = document_mentions(doc, cfg.options.get("models"), cfg.options.get("protocol"))
    return extract_evidence(doc, protocols, timings, citations, mentions)

