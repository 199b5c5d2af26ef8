"""Treatments that no vocabulary term lists (issue 14): the general machinery of
extract.evidence.treatments with the common vocabulary's `treatments:` list left out, as a
report's treatments are when nobody listed them."""
from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_doc

from extract.evidence.casetext import prepare
from extract.evidence.treatments import TreatmentFinder, aggregate
from extract.nlp.protocols import general_protocol


def unlisted() -> TreatmentFinder:
    """The finder of the general protocol without any vocabulary term."""
    return TreatmentFinder(replace(general_protocol(), treatments=[]))


def given(body: str) -> set[str]:
    ct = prepare(make_doc([("title", "A case report"), ("case", body)]))
    rows = aggregate(unlisted().find(ct))
    return {r["treatment"] for r in rows if r["scope"] == "case" and r["status"] == "given"}


@pytest.mark.parametrize("body, rows", [
    # products in a list of what was given: each a transfusion, named for its product
    ("A 58-year-old man bleeding from a duodenal ulcer received an infusion of packed red blood cells "
     "and platelets before the endoscopy.",
     {"packed red blood cell transfusion", "platelet transfusion"}),
    # a transfusion named with its product, and one named with none
    ("Her anaemia needed regular red cell transfusions every three weeks.", {"red cell transfusion"}),
    ("After the second bleed the boy was given a blood transfusion.", {"blood transfusion"}),
])
def test_a_transfusion_is_found_without_a_vocabulary_term(body, rows):
    assert rows <= given(body)


def test_a_blood_count_is_still_no_transfusion():
    assert not given("On admission her platelets were 45 x 10^9/L and she had petechiae.")


@pytest.mark.parametrize("body, drugs, cls", [
    # the member pattern of a drug class names drugs no ending marks (rifampicin is an antibiotic too)
    ("Tuberculosis of the spine was treated with isoniazid, ethambutol, pyrazinamide and rifampicin.",
     {"isoniazid", "ethambutol", "pyrazinamide"}, "antitubercular therapy"),
    ("To lower the intracranial pressure she received mannitol.", {"mannitol"}, "diuretics"),
])
def test_a_drug_of_a_class_pattern_is_a_drug_word(body, drugs, cls):
    finder = unlisted()
    ct = prepare(make_doc([("title", "A case report"), ("case", body)]))
    s = next(s for s in ct.sentences if s.section == "case")
    found = {c.name: c for c in finder.candidates(ct, s, [])}
    for drug in drugs:
        assert "suffix" in found[drug].sources and found[drug].kind == "drug"
        assert found[drug].treatment_class == cls


def test_the_blood_products_are_no_drug_words():
    # a product is transfused (its transfusion is named for it), not a drug given by its name
    finder = unlisted()
    assert not finder.drug_word.fullmatch("platelets") and not finder.drug_word.fullmatch("plasma")


def candidates(body: str) -> dict[str, set[str]]:
    """name -> sources of the unlisted finder's candidates in the case sentence."""
    finder = unlisted()
    ct = prepare(make_doc([("title", "A case report"), ("case", body)]))
    s = next(s for s in ct.sentences if s.section == "case")
    return {c.name: c.sources for c in finder.candidates(ct, s, [])}


@pytest.mark.parametrize("body, name, source", [
    # procedures and measures named by their last word
    ("After the bowel resection the girl depended on total parenteral nutrition.", "total parenteral nutrition",
     "phrase"),
    ("Her weakness improved after five sessions of plasmapheresis.", "plasmapheresis", "phrase"),
    ("Residual nodes were removed by a radical left neck dissection.", "radical left neck dissection", "phrase"),
    ("He chose palliative care at home.", "palliative care", "phrase"),
    ("She was discharged to best supportive care.", "best supportive care", "phrase"),
    # drugs no ending marks: a salt given as such, an insulin, classes named as given
    ("He received sodium bicarbonate for the acidosis.", "sodium bicarbonate", "suffix"),
    ("Her diabetes was controlled with insulin detemir at night.", "insulin detemir", "suffix"),
    ("Glucocorticoids and vasopressors were started in the unit.", "glucocorticoids", "suffix"),
    ("Glucocorticoids and vasopressors were started in the unit.", "vasopressors", "suffix"),
])
def test_unlisted_procedures_measures_and_drugs_are_candidates(body, name, source):
    assert source in candidates(body)[name]


def test_an_antibody_against_a_drug_is_no_candidate():
    found = candidates("Tests found an insulin autoantibody and antibodies to GAD in her serum.")
    assert not [n for n in found if n.startswith("insulin")]


def test_supportive_care_is_no_generic_word_but_supportive_therapy_is():
    found = candidates("She was given supportive care and other supportive therapies for a week.")
    assert "supportive care" in found and "supportive therapies" not in found


def test_a_class_member_pattern_makes_drug_words_not_disease_words():
    """The antibiotic class's cephalosporin stem starts a drug's name ("cefazolin"); a disorder
    that holds it inside a word ("encephalitis", "hydrocephalus") is no drug word."""
    word = unlisted().drug_word
    assert word.fullmatch("cefazolin") and word.fullmatch("ethambutol")
    assert not word.fullmatch("encephalitis") and not word.fullmatch("hydrocephalus")
    assert "encephalitis" not in given("A 30-year-old woman with herpes encephalitis was treated with aciclovir.")
