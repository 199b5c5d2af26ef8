"""The cause stage on text written here: the candidates the cause model ranks (drugs,
background diseases, variants; one candidate a name with what the whole report says of
it), the shipped model's deterministic decision, and cue objects that are not causes."""
from __future__ import annotations

import pytest
from conftest import make_doc

from extract.evidence.casetext import prepare
from extract.evidence.causes import CAUSE_MODEL, _mutations, cause_candidates
from extract.evidence.facts import extract_evidence
from extract.evidence.learned import load_model
from extract.evidence.treatments import TreatmentFinder
from extract.nlp.protocols import general_protocol

PROTO = general_protocol()
CASE = ("A 61-year-old man with a history of atrial fibrillation was started on zorvastatin in May. "
        "Two months later a left atrial thrombus was found on echocardiography. "
        "He reported fatigue. The thrombus resolved and atrial fibrillation persisted.")


def _mention(text: str, phrase: str, label: str, nth: int = 0) -> dict:
    at = -1
    for _ in range(nth + 1):
        at = text.index(phrase, at + 1)
    return dict(label=label, char_start=at, char_end=at + len(phrase), text=phrase)


def _candidates():
    doc = make_doc([("case", CASE)])
    mentions = [_mention(doc.text, "atrial fibrillation", "Disease_disorder"),
                _mention(doc.text, "atrial fibrillation", "Disease_disorder", 1),
                _mention(doc.text, "zorvastatin", "Medication"),
                _mention(doc.text, "fatigue", "Sign_symptom")]
    return cause_candidates(prepare(doc), PROTO, "left atrial thrombus", TreatmentFinder(PROTO), mentions)


def test_candidates_are_one_a_name_with_what_the_report_says_of_it():
    cands = {c.name: c for c in _candidates()}
    assert set(cands) >= {"atrial fibrillation", "zorvastatin", "fatigue"}
    assert sum(c.name == "atrial fibrillation" for c in _candidates()) == 1  # two mentions, one candidate
    af = cands["atrial fibrillation"].features
    # the first mention (background, before the condition) and the later one both count
    assert af["background&disease"] == 1.0 and af["before_condition"] == 1.0 and af["after_condition"] == 1.0
    assert af["opening&disease"] == 1.0 and af["history&disease"] == 1.0
    assert cands["zorvastatin"].kind == "drug"  # a drug is a candidate of the model, not only of the rules
    assert "background&disease" not in cands["fatigue"].features


def test_cause_model_prefers_the_background_disease_to_a_later_symptom_deterministically():
    model = load_model(CAUSE_MODEL)
    cands = {c.name: c for c in _candidates()}
    af = model.probability(cands["atrial fibrillation"].features)
    assert af > model.probability(cands["fatigue"].features)
    assert af == load_model(CAUSE_MODEL).probability({c.name: c for c in _candidates()}["atrial fibrillation"].features)


def test_a_variant_is_a_mutation():
    found = _mutations("Sequencing found a homozygous QRS5 nonsense variant in the proband.")
    assert [(n, k) for n, k, _, _ in found] == [("homozygous qrs5 mutation", "other")]


@pytest.mark.parametrize("title", [
    "Contact dermatitis of the abdomen after he failed surgical closure of a fistula",  # a clause, not a cause
    "Wound dehiscence following surgical repair of an incisional hernia",  # no lone "surgical"
])
def test_cue_objects_that_are_not_causes(title):
    tables = extract_evidence(make_doc([("title", title), ("case", "A 50-year-old man presented.")]), [])
    assert not any(c["cause"] in ("he failed surgical", "surgical") for c in tables["causes"])
