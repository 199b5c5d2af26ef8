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
