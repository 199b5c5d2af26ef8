"""Treatment candidates and names (extract.evidence.treatments): lists after one word of
giving, transfused products, drug words that look like verb forms, entities a drug names."""
from __future__ import annotations

import pytest
from conftest import make_doc

from extract.evidence.casetext import prepare
from extract.evidence.facts import extract_evidence
from extract.evidence.treatments import TreatmentFinder
from extract.nlp.protocols import general_protocol


def given(body: str) -> set[str]:
    tables = extract_evidence(make_doc([("title", "A case report"), ("case", body)]), [])
    return {t["treatment"] for t in tables["treatments"] if t["scope"] == "case" and t["status"] == "given"}


@pytest.mark.parametrize("body, rows", [
    # each product after one "transfusion of" is a transfusion of its own, named for the product
    ("A 52-year-old man with a bleeding ulcer needed a transfusion of fresh frozen plasma and platelets.",
     {"fresh frozen plasma transfusion", "platelet transfusion"}),
    # a product before the word, beside a drug class: both stay
    ("A 19-year-old woman stayed thrombocytopenic despite steroids and platelets transfusion.",
     {"corticosteroids", "platelet transfusion"}),
    # a transfusion named generically beside a drug is kept (it is no drug class)
    ("A 70-year-old man with melena received pantoprazole and a blood transfusion.",
     {"pantoprazole", "blood transfusion"}),
])
def test_a_transfused_product_names_its_transfusion(body, rows):
    assert given(body) == rows


def test_each_item_of_a_list_after_one_word_of_giving_is_a_candidate():
    finder = TreatmentFinder(general_protocol())
    text = ("A 44-year-old man was started on an infusion of red blood cells, omeprazole and "
            "intravenous immune globulin as well as bed rest.")
    ct = prepare(make_doc([("title", "A case report"), ("case", text)]))
    s = next(s for s in ct.sentences if "infusion" in s.text)
    found = {c.name: c for c in finder.candidates(ct, s, [])}
    assert found["red blood cell transfusion"].treatment_class == "blood transfusion"
    assert found["red blood cell transfusion"].kind == "procedure"
    assert "list" in found["omeprazole"].sources
    assert "intravenous immunoglobulin" in found  # the vocabulary's name for it
    assert "bed rest" in found and "as well as bed rest" not in found


def test_a_dose_after_the_word_of_giving_is_no_item():
    finder = TreatmentFinder(general_protocol())
    text = "She had an injection of 5 mL into the joint."
    ct = prepare(make_doc([("title", "A case report"), ("case", text)]))
    s = next(s for s in ct.sentences if "injection" in s.text)
    assert not [c for c in finder.candidates(ct, s, []) if "list" in c.sources]


def test_a_drug_word_that_ends_like_a_verb_form_is_still_a_drug():
    # "pemetrexed" ends in -ed like "removed", but its ending marks a drug
    assert "pemetrexed" in given("A 63-year-old woman with lung adenocarcinoma started pemetrexed.")


def test_an_entity_named_by_a_drug_is_a_drug_and_can_be_stopped():
    finder = TreatmentFinder(general_protocol())
    text = "By day 4 the tachycardia had settled and landiolol hydrochloride was discontinued."
    doc = make_doc([("title", "A case report"), ("case", text)])
    ct = prepare(doc)
    s = next(s for s in ct.sentences if "landiolol" in s.text)
    a = doc.text.index("landiolol")
    # the entity model labelled the drug a procedure
    ents = [{"label": "Therapeutic_procedure", "char_start": a, "char_end": a + len("landiolol hydrochloride")}]
    cand = next(c for c in finder.candidates(ct, s, ents) if c.name == "landiolol")  # named without its salt
    assert cand.kind == "drug"
    assert [m.treatment for m in finder._in_sentence(ct, s, ents)] == ["landiolol discontinuation"]


@pytest.mark.parametrize("word", ["methylphenidate", "quetiapine", "sotalol", "spironolactone", "allopurinol",
                                  "vincristine", "mycophenolate", "pseudoephedrine", "amrinone"])
def test_common_drug_stems_mark_a_drug(word):
    finder = TreatmentFinder(general_protocol())
    assert finder.drug_word.fullmatch(word)


@pytest.mark.parametrize("body, rows", [
    # the salt is part of the drug's span (so the stop reaches it), not of its name
    ("A 12-year-old boy had been on quetiapine fumarate. Clozapine and quetiapine fumarate were discontinued.",
     {"clozapine discontinuation", "quetiapine discontinuation"}),
    # a list after a word of giving ends before a verb
    ("After the scan the administration of apixaban followed.", {"apixaban"}),
])
def test_salts_class_names_and_list_ends(body, rows):
    assert given(body) == rows


def test_a_product_with_a_count_is_a_blood_value_not_a_transfusion():
    assert not given("The blood count on admission showed a haemoglobin of 9 g/dL and platelets, 48×109/L.")


def candidate_sources(text: str, ents: list[tuple[str, str]] = ()) -> dict[str, set[str]]:
    """The candidates of the case's sentences (name -> sources), given entities (words, label)."""
    finder = TreatmentFinder(general_protocol())
    doc = make_doc([("title", "A case report"), ("case", text)])
    ct = prepare(doc)
    mentions = [{"label": label, "char_start": doc.text.index(w), "char_end": doc.text.index(w) + len(w)}
                for w, label in ents]
    return {c.name: c.sources for s in ct.sentences if s.section == "case" for c in finder.candidates(ct, s, mentions)}


def candidate_names(text: str) -> set[str]:
    return set(candidate_sources(text))


@pytest.mark.parametrize("text, names", [
    # two operations coordinated in one phrase are two candidates
    ("A 58-year-old man with gastric cancer had a palliative gastrectomy plus Roux-en-Y "
     "esophagojejunostomy.", {"palliative gastrectomy", "roux-en-y esophagojejunostomy"}),
    # what is reversed names the reversal
    ("A 66-year-old woman had an ileostomy reversal six months later.", {"ileostomy reversal"}),
])
def test_coordinated_operations_and_reversals(text, names):
    assert candidate_names(text) == names


def test_an_entity_is_split_at_a_coordinator_only_into_treatment_names():
    finder = TreatmentFinder(general_protocol())
    text = "hysterectomy and bilateral salpingectomy were done for fever and pain"
    end = text.index(" were")
    assert finder._coordinated(text, 0, end) == [(0, 12), (17, end)]
    assert finder._coordinated(text, text.index("fever"), len(text)) == [(text.index("fever"), len(text))]


@pytest.mark.parametrize("body, rows", [
    # vitamins and supplements are drugs; a deficiency of one is not
    ("A 30-year-old man with anaemia was given oral vitamin B12 and folic acid. Vitamin D deficiency was "
     "also noted.", {"vitamin b12", "folic acid"}),
    # a count before a listed product is no part of its name
    ("During the operation the patient needed transfusions of thrombocytes and four units of red cells.",
     {"thrombocyte transfusion", "red cell transfusion"}),
])
def test_supplements_and_counted_products(body, rows):
    assert given(body) == rows


def test_lymph_node_dissection_is_a_procedure_term():
    assert "lymph node dissection" in candidate_names(
        "A 61-year-old man underwent a segmental resection of the jejunum with the dissection of lymph nodes.")


@pytest.mark.parametrize("body, rows", [
    # ", and" between clauses does not carry the stop back; a class beside a drug of another class stays
    ("The antiviral was changed to intravenous acyclovir, and steroids were discontinued.",
     {"acyclovir", "steroid discontinuation"}),
    # a stopped class is named as written, in the singular of a noun before another;
    # weaning and withdrawal is a stop
    ("The effusion came back after corticosteroid weaning and withdrawal. Diuretics were also stopped.",
     {"corticosteroid discontinuation", "diuretic discontinuation"}),
    # a list of three carries the stop back through ", and"
    ("Vancomycin, cefepime, and metronidazole were discontinued.",
     {"vancomycin discontinuation", "cefepime discontinuation", "metronidazole discontinuation"}),
])
def test_stops_of_classes_and_lists(body, rows):
    assert given(body) == rows


def test_a_candidate_listed_with_a_known_drug_is_flagged():
    finder = TreatmentFinder(general_protocol())
    text = "She was kept on digoxin, nadolol and rest."
    ct = prepare(make_doc([("title", "A case report"), ("case", text)]))
    s = next(s for s in ct.sentences if "digoxin" in s.text)
    a = s.start + s.text.index("digoxin")
    ents = [{"label": "Medication", "char_start": a, "char_end": a + len("digoxin")}]
    flagged = {c.name: c.flags.get("coordinated", False) for c in finder.candidates(ct, s, ents)}
    assert flagged == {"digoxin": True, "nadolol": True, "rest": True}


def test_a_history_the_patient_did_not_have_is_no_history():
    assert given("A 22-year-old man without significant past medical history was diagnosed with "
                 "tuberculosis and received anti-TB therapy that included isoniazid and ethambutol.") == {
        "isoniazid", "ethambutol"}


@pytest.mark.parametrize("body, rows", [
    # what a screen detected was found in the patient, not given
    ("A toxicology screen detected caffeine and atropine.", set()),
    # a rate after "infusion of" is no item; a product with a schedule word keeps the product's name
    ("Meropenem was given as a bolus followed by an infusion of 1.45 mg/kg/h.", {"meropenem"}),
    ("Her haemoglobin fell, leading to regular three-weekly red cell transfusions.", {"red cell transfusion"}),
])
def test_detected_substances_rates_and_schedules(body, rows):
    assert given(body) == rows


@pytest.mark.parametrize("body, rows", [
    # the first drug a regimen lists in brackets is a drug, not a brand name
    ("A 40-year-old man began a course of chemotherapy (cyclophosphamide, 1000 mg; vincristine, 2 mg).",
     {"cyclophosphamide", "vincristine"}),
    # a brand name in brackets after its drug is the same drug
    ("He was started on quetiapine (Seroquel®) 300 mg daily.", {"quetiapine"}),
])
def test_drugs_and_brand_names_in_brackets(body, rows):
    assert given(body) >= rows and not {"seroquel"} & given(body)


@pytest.mark.parametrize("text, name", [
    ("An intra-aortic balloon pump (IABP) was inserted for cardiogenic shock.", "intra-aortic balloon pump"),
    ("Her achalasia was treated by pneumatic dilatation.", "pneumatic dilation"),
])
def test_common_device_and_dilation_procedures(text, name):
    assert name in candidate_names(text)


def test_a_regimen_named_by_a_class_is_its_listed_drugs():
    assert given("The patient received GP chemotherapy (cisplatin 75 mg/m2, gemcitabine 1250 mg/m2) "
                 "for 4 cycles.") == {"cisplatin", "gemcitabine"}


def test_a_list_after_a_measurement_word_is_measured_not_given():
    assert given("Urine tests showed raised levels of norepinephrine, total catecholamines and epinephrine. "
                 "She was then given phenoxybenzamine.") == {"phenoxybenzamine"}


def test_drug_classes_and_monitoring_are_candidates():
    # a class the report names as given is a candidate like a drug word (the model decides);
    # a class named as measured is not; monitoring is a measure
    names = candidate_names("A 72-year-old man was discharged on diuretics, a beta blocker and an ACE inhibitor, "
                            "with close monitoring of his renal function.")
    assert {"diuretics", "beta blocker", "ace inhibitor", "close monitoring"} <= names
    assert not candidate_names("Serum levels of anticonvulsants were normal.")


def test_a_procedure_said_with_its_verb_is_a_candidate_named_by_its_noun():
    names = candidate_names("The bleeding vessel was ligated and sutured, and the wound was thoroughly irrigated. "
                            "The dilated duct was seen.")
    assert {"ligation", "suturing", "irrigation"} <= names
    assert not any("dilat" in n for n in names)


def test_no_treatment_required_is_negated_and_a_linking_adverb_is_no_modifier():
    tables = extract_evidence(make_doc([("title", "A case report"), ("case",
        "A 40-year-old man received tacrolimus after transplantation. No antirejection therapy was required. "
        "His kidneys failed, so hemodialysis was started.")]), [])
    status = {t["treatment"]: t["status"] for t in tables["treatments"] if t["scope"] == "case"}
    assert status["antirejection therapy"] == "negated"
    assert status["tacrolimus"] == "given"
    assert "hemodialysis" in status and "so hemodialysis" not in status


def test_a_treatment_word_naming_a_place_or_team_is_no_treatment():
    # "a minor surgery unit", "the surgery team": where and who, not what was done
    rows = given("A 35-year-old woman had a thigh abscess. It was incised and drained in a minor surgery "
                 "unit and she was given oral clindamycin.")
    assert "clindamycin" in rows and not any("surgery" in r for r in rows)


def case_status(body: str) -> dict[str, str]:
    tables = extract_evidence(make_doc([("title", "A case report"), ("case", body)]), [])
    return {t["treatment"]: t["status"] for t in tables["treatments"] if t["scope"] == "case"}


def test_a_drug_the_patient_is_advised_to_avoid_is_no_treatment():
    # advice about future exposure: neither the drug nor the rest of its list is a row
    status = case_status("A 45-year-old man with a drug rash was treated with prednisolone. "
                         "He was told to avoid lamotrigine and related antiepileptics in future.")
    assert status.get("prednisolone") == "given"
    assert not any(name.startswith(("lamotrigine", "antiepileptic")) for name in status)


def test_avoiding_negates_its_object_only():
    status = case_status("A 50-year-old woman with a leg ulcer was managed with dressings; we avoided "
                         "skin grafting. Her dietary restriction continued, avoiding high intake of salt.")
    assert status["skin grafting"] == "negated"
    assert status.get("dietary restriction", "given") != "negated"


def test_a_treatment_named_as_the_time_of_another_is_not_given_there():
    # "before X": not yet done; "during X" of a treatment held from before stays background
    status = case_status("A 66-year-old man had been on haemodialysis for 5 years. Intravenous cefazolin was "
                         "given during dialysis. Lorazepam was given before intubation.")
    assert status["cefazolin"] == "given" and status["lorazepam"] == "given"
    assert status.get("hemodialysis", "unknown") == "unknown"
    assert status.get("endotracheal intubation", "unknown") == "unknown"


def test_a_drug_named_in_an_exposure_cause_is_the_cause_not_a_treatment():
    from extract.evidence.treatments import aggregate
    finder = TreatmentFinder(general_protocol())
    ct = prepare(make_doc([("title", "A case report"), ("case",
        "A 3-day-old boy was given calcium gluconate through a cannula, and oral clindamycin was started.")]))
    mentions = finder.find(ct)
    rows = {r["treatment"] for r in aggregate(mentions, {"calcium gluconate extravasation": "injury"})}
    assert "calcium gluconate" not in rows and "clindamycin" in rows
    assert "calcium gluconate" in {r["treatment"] for r in aggregate(mentions, {})}


def test_a_drug_switched_for_another_is_stopped():
    # a switch stops the first drug, even after a stated time; a change of route does not
    status = case_status("A 61-year-old woman with scleroderma renal crisis was started on captopril. After 3 days, "
                         "captopril was changed to losartan because of cough. Oral valaciclovir was changed to "
                         "intravenous valaciclovir.")
    assert status["captopril discontinuation"] == "given"
    assert "valaciclovir discontinuation" not in status


@pytest.mark.parametrize("body, stops", [
    # a stopped class is the stop of its members given before (member pattern of the class)
    ("A 70-year-old man took lisinopril and nifedipine for years. The antihypertensive drugs were stopped.",
     {"lisinopril discontinuation", "nifedipine discontinuation"}),
    # ... or the drug the report named by the class; a switch of the class stops it too
    ("A 45-year-old man was sedated and received rocuronium as a neuromuscular blocker. "
     "The neuromuscular blocker was withdrawn on day 3.", {"rocuronium discontinuation"}),
    ("A 30-year-old woman was given fluconazole. The antifungal regimen was changed to caspofungin.",
     {"fluconazole discontinuation"}),
    # a drug stopped already is not stopped again by its class; a class with no drug before stays
    ("A 52-year-old woman was started on itraconazole. Itraconazole was replaced with anidulafungin. "
     "The antifungal regimen was then switched to isavuconazole.",
     {"itraconazole discontinuation", "anidulafungin discontinuation"}),
    ("A 66-year-old man with heart failure improved. Diuretics were stopped.", {"diuretic discontinuation"}),
    # a class switched to a drug of it, with none given before, is that drug (no stop)
    ("A 71-year-old woman on dialysis had pruritus. Her phosphate binder was switched to lanthanum carbonate.",
     set()),
    # "oral" is part of the name of an oral contraceptive, not only its route
    ("A 24-year-old woman with a pulmonary embolism stopped her oral contraceptive pill.",
     {"oral contraceptive discontinuation"}),
])
def test_a_stopped_class_is_the_stop_of_its_drugs_given_before(body, stops):
    assert {t for t in given(body) if t.endswith("discontinuation")} == stops


def test_a_past_in_a_reason_clause_and_instead_of_are_said_of_their_own_words():
    # "since she had a history of X, Y was used": the past is the reason's; "A instead of B": B is negated
    status = case_status("A 58-year-old woman had atrial fibrillation. Because he had a history of gout, "
                         "esmolol was infused to slow her heart rate. Levetiracetam was started instead of phenobarbital. "
                         "She had a history of hypertension treated with losartan.")
    assert status["esmolol"] == "given" and status["levetiracetam"] == "given"
    assert status["phenobarbital"] == "negated"
    assert status.get("losartan", "unknown") == "unknown"


def test_a_class_in_apposition_to_a_drug_is_the_drug_not_a_list_item():
    assert given("A 40-year-old man with a thyroid storm received esmolol, a short-acting beta blocker, "
                 "for his tachycardia.") == {"esmolol"}
    assert given("A 61-year-old woman was treated with digoxin, a beta blocker, and an ACE inhibitor.") == {
        "digoxin", "beta blocker", "ace inhibitor"}


@pytest.mark.parametrize("body, stops", [
    # "the treatment was terminated": the drugs given just before in the sentence, one row for them
    ("A 59-year-old man with gastric cancer received cisplatin and capecitabine; however, the treatment "
     "was terminated because of severe vomiting.", {"cisplatin and capecitabine discontinuation"}),
    # "It was discontinued": the treatment given in the sentence before
    ("A 33-year-old woman with vasculitis was started on plasmapheresis. It was discontinued after two weeks "
     "because her kidney function recovered.", {"plasmapheresis discontinuation"}),
    # subjectless, with its reason; not a course that ran its time
    # ... but a stop that names its object is that object's
    ("A 48-year-old man with a mechanical valve was given warfarin, and discontinued the aspirin "
     "due to bleeding gums.", {"aspirin discontinuation"}),
    ("A 48-year-old man with a mechanical valve was given warfarin, but discontinued after 2 years due to "
     "bleeding gums.", {"warfarin discontinuation"}),
    ("A 27-year-old woman was treated with ciclosporin, tapered and stopped over 3 months.", set()),
    # "switch from X to Y" stops X
    ("A 64-year-old man received valganciclovir. We decided to switch from valganciclovir to foscarnet.",
     {"valganciclovir discontinuation"}),
])
def test_a_stop_said_of_what_was_named_before(body, stops):
    assert {t for t in given(body) if t.endswith("discontinuation")} == stops


def test_a_list_before_a_verb_of_giving_is_given_together():
    # the list starts its clause; a name no vocabulary or ending knows is taken with its neighbours
    rows = given("A 71-year-old man had hepatic encephalopathy. Lactulose, rifaximin and thiamine were "
                 "administered, and he improved.")
    assert {"lactulose", "rifaximin", "thiamine"} <= rows


@pytest.mark.parametrize("body, taper", [
    ("A 36-year-old woman with lupus nephritis was given prednisolone. Steroids were gradually tapered.",
     "steroid tapering"),
    ("A 55-year-old man in shock needed dobutamine. After stabilisation, dobutamine was tapered.",
     "dobutamine tapering"),
    # a dose step is a schedule, a taper to the end a stop
    ("A 36-year-old woman was given prednisolone. Prednisolone was tapered by 5 mg every week.", None),
    ("A 36-year-old woman was given prednisolone. Prednisolone was tapered and stopped in May.", None),
])
def test_a_drug_tapered_as_a_measure_has_a_row(body, taper):
    tapers = {t for t in given(body) if t.endswith("tapering")}
    assert tapers == ({taper} if taper else set())


def test_a_drug_given_by_two_routes_is_two_treatments():
    rows = given("A 62-year-old woman with herpes zoster was treated with oral valaciclovir. Because of new "
                 "confusion, therapy was changed to intravenous valaciclovir.")
    assert {"oral valaciclovir", "intravenous valaciclovir"} <= rows
    assert "valaciclovir" in given("A 62-year-old woman with herpes zoster was treated with oral valaciclovir.")


def test_a_drug_written_after_its_brand_or_its_class_is_named_by_the_drug():
    finder = TreatmentFinder(general_protocol())
    assert finder._names("Tegretol – carbamazepine", None, {})[0] == "carbamazepine"
    assert finder._names("immunomodulator thalidomide", None, {})[0] == "thalidomide"
    assert given("A 66-year-old man with myeloma received an infusion of dexamethasone, immunomodulator "
                 "thalidomide and zoledronic acid.") >= {"dexamethasone", "thalidomide"}


@pytest.mark.parametrize("body, generic", [
    # the operation named once with what it took; the bare verb later refers back to it
    ("A 48-year-old woman with hyperparathyroidism underwent a left parathyroidectomy. The enlarged gland "
     "was resected without complications.", None),
    ("A 58-year-old man with a pleural effusion had a thoracocentesis, during which 400 mL of fluid was "
     "drained.", None),
    # no specific operation of the same act: the bare one stays
    ("A 34-year-old woman with a dermoid cyst of the ovary had the cyst resected.", "surgical resection"),
])
def test_a_bare_operation_refers_back_to_the_named_one(body, generic):
    rows = given(body)
    assert not {"surgical resection", "drainage"} - {generic} & rows
    assert generic is None or generic in rows



def test_an_entity_labelled_a_test_is_a_drug_as_the_object_of_giving():
    # the NER read the unknown drug as a test; a verb of giving says it was given
    found = candidate_sources("The boy was therefore treated for a period with somatropin, without benefit.",
                              [("somatropin", "Diagnostic_procedure")])
    assert "given object" in found["somatropin"]
    found = candidate_sources("She was given saline and human albumin for the hypotension.",
                              [("human albumin", "Diagnostic_procedure")])
    assert "human albumin" in found
    # not a disease the patient was treated for, nor a test
    assert not candidate_sources("He was treated for leptospirosis in the past.",
                                 [("leptospirosis", "Diagnostic_procedure")])
    assert not candidate_sources("Serum albumin was low at 2.1 g/dL.", [("Serum albumin", "Diagnostic_procedure")])


def test_an_entity_runs_on_with_no_count_or_size_in_the_name():
    found = candidate_sources("He underwent transarterial chemoembolization twice in 2014.",
                              [("transarterial chemoembolization twice", "Therapeutic_procedure")])
    assert "transarterial chemoembolization" in found
    found = candidate_sources("She underwent the 3rd percutaneous ablation of the lesion.", [("lesion", "Biological_structure")])
    assert "percutaneous ablation" in found and "rd percutaneous ablation" not in found  # "rd" is no modifier


def test_a_class_word_as_written_yields_to_its_given_member():
    finder = TreatmentFinder(general_protocol())
    rows = [{"treatment": t, "scope": "case", "status": "given"} for t in ("torsemide", "diuretic", "cefuroxime")]
    assert [r["treatment"] for r in finder.drop_covered_classes(rows)] == ["torsemide", "cefuroxime"]
    # no member of the class given: the class row stays
    rows = [{"treatment": t, "scope": "case", "status": "given"} for t in ("diuretic", "cefuroxime")]
    assert [r["treatment"] for r in finder.drop_covered_classes(rows)] == ["diuretic", "cefuroxime"]


def test_months_and_bare_acts_are_no_candidates():
    # a month that ends like a drug class ("-pril") or that a model labelled a procedure is no treatment
    text = "She was started on enalapril 5 mg daily in April, and her creatinine was checked again in June."
    found = candidate_sources(text, [("June", "Therapeutic_procedure")])
    assert "enalapril" in found
    assert not {"april", "june"} & set(found)
    # an act with nothing it was done with or to is no name; with its object it is
    found = candidate_sources("Two days after insertion the fever settled; the catheter insertion site was clean.",
                              [("insertion", "Therapeutic_procedure")])
    assert "insertion" not in found
    found = candidate_sources("A central venous catheter insertion was done on day two.")
    assert "central venous catheter insertion" in found


def test_what_a_drug_did_a_test_and_a_list_run_on_are_no_candidates():
    # "X-related" is what the drug did; "X release assay" is a test
    found = candidate_sources("There was concern about tacrolimus-related nephrotoxicity and a quantiferon release "
                              "assay was sent.", [("tacrolimus-related", "Medication"),
                                                  ("quantiferon release", "Medication")])
    assert not {"tacrolimus-related", "quantiferon release"} & set(found)
    # a list after "transfusion of" ends where the sentence says what else happened
    found = candidate_sources("Despite the administration of metoprolol, her heart rate remained high.")
    assert "metoprolol" in found and not any("heart rate" in n for n in found)
    found = candidate_sources("The anaemia and the low counts were corrected by transfusion of red cells and "
                              "platelets respectively.")
    assert "platelet transfusion" in found and not any("respectively" in n for n in found)


def test_the_threshold_is_chosen_on_counts_pooled_over_fold_orders():
    np = pytest.importorskip("numpy")
    from extract.training.train_evidence import THRESHOLDS, choose_treatment_threshold

    def tallies(peak: float, n: int = 100) -> np.ndarray:
        """(tp, fp, fn) per threshold of a curve whose F1 is best at `peak`, falling 0.2 per unit away."""
        out = np.zeros((len(THRESHOLDS), 3), dtype=np.int64)
        for i, th in enumerate(THRESHOLDS):
            f1 = 0.75 - 0.2 * abs(th - peak)
            tp = int(round(n * f1))
            out[i] = (tp, n - tp, n - tp)  # precision = recall = F1
        return out
    # two orders of the documents peak at different thresholds: one order alone would take its own
    # peak; pooled, the choice is the highest threshold within TIE of the smoothed best
    counts = np.stack([np.stack([tallies(0.35)] * 5), np.stack([tallies(0.55)] * 5)])
    alone = [THRESHOLDS[choose_treatment_threshold(counts[r:r + 1])[0]] for r in (0, 1)]
    pooled, f1, se = choose_treatment_threshold(counts)
    assert alone[0] < THRESHOLDS[pooled] < alone[1]
    assert 0.6 < f1 < 0.75 and se >= 0.0
    # a lone spike is noise: a flat curve with one high threshold does not pull the choice there
    flat = np.stack([np.stack([tallies(0.4)] * 5)] * 2)
    spike = flat.copy()
    k = THRESHOLDS.index(0.8)
    spike[:, :, k] = (80, 20, 20)  # F1 0.80 at 0.8: the best of the raw curve
    assert THRESHOLDS[choose_treatment_threshold(spike)[0]] < 0.8


def test_plan_and_result_words_of_the_sentence_are_features():
    from extract.evidence.learned import treatment_features
    text = "Because of her age she declined the proposed hip replacement."
    a = text.index("hip replacement")
    f = treatment_features("hip replacement", text, a, a + 15, {"phrase"}, "case", "case", {})
    assert f.get("plan_sentence") and not f.get("result_sentence")
    text = "Her pain improved within a week of starting naproxen."
    a = text.index("naproxen")
    f = treatment_features("naproxen", text, a, a + 8, {"suffix"}, "case", "case", {})
    assert f.get("result_sentence") and not f.get("plan_sentence")


def vetoed(text: str, ents: list[tuple[str, str]] = ()) -> dict[str, bool]:
    """Each candidate of the case's sentences (name -> whether it can be no treatment, whatever the model says)."""
    finder = TreatmentFinder(general_protocol())
    doc = make_doc([("title", "A case report"), ("case", text)])
    ct = prepare(doc)
    mentions = [{"label": label, "char_start": doc.text.index(w), "char_end": doc.text.index(w) + len(w)}
                for w, label in ents]
    return {c.name: finder._vetoed(ct, s.text, c) for s in ct.sentences if s.section == "case"
            for c in finder.candidates(ct, s, mentions)}


def test_disorders_function_words_and_letters_are_vetoed():
    # a disorder a model labelled a drug, a pronoun, a function word, a Greek letter of "alpha and beta blockade"
    found = vetoed("Her scleritis flared again and she stayed there; alpha and β blockade was begun before the "
                   "operation.",
                   [("scleritis", "Medication"), ("she", "Medication"), ("there", "Therapeutic_procedure"),
                    ("β", "Medication")])
    assert found.get("scleritis") and found.get("she") and found.get("there") and found.get("β")
    # an anastomosis is made, not had; a drug with a dose is no disorder
    found = vetoed("A stapled colorectal anastomosis was fashioned and oral ribavirin 400 mg was begun.",
                   [("stapled colorectal anastomosis", "Therapeutic_procedure"), ("ribavirin", "Medication")])
    assert found.get("stapled colorectal anastomosis") is False and found.get("ribavirin") is False


def test_an_anaesthetic_a_catheterisation_and_an_imaging_agent_are_no_candidates():
    found = candidate_names("Under a popliteal nerve block the wound was debrided. Left heart catheterization showed "
                            "patent grafts, and a scan after gadolinium showed no abscess.")
    assert not {"popliteal nerve block", "left heart catheterization", "gadolinium"} & found
    assert vetoed("She needed urinary catheterization for retention.") == {"urinary catheterization": False}
    # a local anaesthetic injected for a procedure is named anaesthetic whatever span the model saw: vetoed
    found = vetoed("The sheath was placed after subcutaneous injection of a local anaesthetic.")
    assert found.get("local anaesthetic") is True


def test_a_substance_measured_is_no_candidate():
    found = candidate_names("The urinary norepinephrine 468 ug/day (normal range 15-80) was high and normal "
                            "epinephrine values were found; she was then given propranolol.")
    assert "propranolol" in found and not {"norepinephrine", "epinephrine"} & found


def test_a_treatment_named_again_by_its_last_words_is_the_one_named_in_full():
    from types import SimpleNamespace
    from extract.evidence.treatments import _refers_back
    said = ["intensive decongestive therapy", "furosemide", "decongestive therapy", "radiotherapy",
            "whole brain radiotherapy", "stereotactic radiotherapy", "radiotherapy"]
    rows = [m.treatment for m in _refers_back([SimpleNamespace(treatment=t) for t in said])]
    # the short name after one long one is that one; after two long ones it is none of them
    assert rows == ["intensive decongestive therapy", "furosemide", "intensive decongestive therapy", "radiotherapy",
                    "whole brain radiotherapy", "stereotactic radiotherapy", "radiotherapy"]


def test_name_grams_are_the_hashed_parts_of_the_words():
    from extract.evidence.learned import LIKENESS_BUCKETS, name_grams
    drug = name_grams("Tobramycin")
    assert drug == name_grams("tobramycin") and drug == sorted(set(drug))  # case-blind, each part once
    assert all(0 <= g < LIKENESS_BUCKETS for g in drug) and len(drug) >= 30
    # two words: the parts of each, none across the space ("n d" is no part of a word)
    both = set(name_grams("tobramycin drops"))
    assert set(drug) < both and set(name_grams("drops")) < both
    assert name_grams("") == [] and name_grams(" -- ") == []


def test_the_likeness_feature_reads_a_name_and_the_shipped_model_weighs_it():
    from extract.evidence.learned import NameLikeness, load_model, name_likeness, treatment_features, TREATMENT_MODEL
    sentence = "On day three she was started on tobramycin drops."
    a = sentence.index("tobramycin")
    f = treatment_features("tobramycin drops", sentence, a, a + 16, {"ner:Medication"}, "case", "case", {}, 0.9)
    assert f["likeness"] == 0.9
    assert "likeness" not in treatment_features("tobramycin drops", sentence, a, a + 16, {"ner:Medication"},
                                                "case", "case", {})
    # a likeness of weights over the name's parts: a name of parts weighed up is likelier
    from extract.evidence.learned import name_grams
    up = NameLikeness(0.0, [0.0] * (max(name_grams("tobramycin")) + 1))
    for g in name_grams("tobramycin"):
        up.weights[g] = 1.0
    assert up.probability("tobramycin") > 0.9 and 0.4 < up.probability("qq") <= 0.5
    assert up.probability("") is None and NameLikeness.from_meta(up.to_meta()) == up
    model = load_model(TREATMENT_MODEL)
    likeness = name_likeness(model)
    assert likeness is not None, "the shipped treatment model carries its name likeness (train_evidence)"
    assert model.weights["likeness"] > 0
    p = [model.probability(treatment_features("tobramycin drops", sentence, a, a + 16, {"ner:Medication"},
                                              "case", "case", {}, v)) for v in (0.1, 0.9)]
    assert p[0] < p[1]


def test_the_shipped_likeness_tells_treatments_from_findings():
    """Names in my own words: operations, drugs and transfusions against signs, tests and
    findings (the shipped likeness, learned from MACCROBAT's annotated entities)."""
    from extract.evidence.learned import TREATMENT_MODEL, load_model, name_likeness
    likeness = name_likeness(load_model(TREATMENT_MODEL))
    assert likeness is not None, "the shipped treatment model carries its name likeness (train_evidence)"
    treatments = ["laparoscopic appendicectomy", "prednisolone", "packed red cell transfusion", "haemodialysis",
                  "chemotherapy"]
    findings = ["persistent vomiting", "chest radiograph", "serum ferritin", "right lower quadrant tenderness",
                "swollen left knee", "echocardiogram"]
    assert min(likeness.probability(t) for t in treatments) > 0.5 > max(likeness.probability(f) for f in findings)


@pytest.mark.parametrize("sentence", [
    "She received Methotrexate and a wide local excision, then intravenous sodium thiosulfate.",
    "The lesion was excised; topical steroids and a short course of colchicine followed.",
    "No therapy was given.",
    "Hyperbaric-oxygen sessions and SURGICAL DEBRIDEMENT were arranged.",
])
def test_vocabulary_prefilter_keeps_every_term_that_matches(sentence):
    """The first-word test before the vocabulary's regexes drops only terms that cannot match."""
    finder = TreatmentFinder(general_protocol())
    full = [term.name for term, rx in finder.terms if rx.search(sentence)]
    assert [term.name for term, rx in finder._terms_in(sentence) if rx.search(sentence)] == full
    assert len(finder._terms_in(sentence)) < len(finder.terms)


def test_the_likeness_of_a_training_document_never_read_its_own_fold(monkeypatch, tmp_path):
    """Cross-fitting: a MACCROBAT document's candidates are described by the likeness learned
    without its fold, a PDF report's by the one of all training folds; fold 0 (locked) never."""
    from extract.training import train_evidence as te
    asked = []
    monkeypatch.setattr(te, "train_likeness", lambda data, folds: asked.append(folds))
    for fold in (*te.TRAIN_FOLDS, None):
        te.likeness_for(tmp_path, fold)
    assert asked == [(2, 3, 4), (1, 3, 4), (1, 2, 4), (1, 2, 3), (1, 2, 3, 4)]
    # the annotations it learns from: text-bound entities, labels and text (a note or relation is none)
    ann = tmp_path / "x.ann"
    ann.write_text("T1\tMedication 10 19\tatenolol\nT2\tSign_symptom 30 35;40 44\tchest pain\n"
                   "R1\tBEFORE Arg1:T1 Arg2:T2\nE1\tMedication:T1\n#1\tAnnotatorNotes T1\tbeta blocker\n",
                   encoding="utf-8")
    assert te._brat_entities(ann) == [("Medication", [10, 19], "atenolol"),
                                      ("Sign_symptom", [30, 35, 40, 44], "chest pain")]
    assert te.brat_spans(ann, te.TREATMENT_LABELS) == [(10, 19)]


def case_rows(body: str) -> dict[str, dict]:
    tables = extract_evidence(make_doc([("title", "A case report"), ("case", body)]), [])
    return {t["treatment"]: t for t in tables["treatments"] if t["scope"] == "case"}


@pytest.mark.parametrize("later, rows", [
    ("Renal function worsened on Foscavir.", {"foscarnet": 2}),  # the later "Foscavir" is the same drug
    ("Foscavir was stopped a week later.", {"foscarnet": 1, "foscarnet discontinuation": 1}),  # and its stop
])
def test_a_trade_name_with_its_maker_in_brackets_is_the_drug_named_before_it(later, rows):
    found = case_rows("A 66-year-old man with a resistant herpes infection was moved from acyclovir to foscarnet "
                      "(Foscavir, Examplepharm Ltd, Leeds, UK) on the fourth day. " + later)
    assert not any("foscavir" in name or "examplepharm" in name for name in found)
    assert {name: found[name]["n_mentions"] for name in rows if name in found} == rows


@pytest.mark.parametrize("body, drug, brand", [
    ("A 28-year-old woman with seizures was started on Keppra (levetiracetam) 500 mg twice daily.",
     "levetiracetam", "keppra"),  # the brand first: the drug the vocabulary knows names the row
    ("A 47-year-old man with cluster headache received sumatriptan, also known as Imitrex, with relief.",
     "sumatriptan", "imitrex"),
])
def test_another_name_said_beside_a_drug_is_no_second_row(body, drug, brand):
    rows = case_rows(body)
    assert drug in rows and brand not in rows


@pytest.mark.parametrize("body, drugs", [
    # a class and its drugs in brackets: the drugs are the treatments, no alias
    ("A 58-year-old man with small cell lung cancer received chemotherapy (cisplatin) for four cycles.",
     {"cisplatin"}),
    ("A 58-year-old man with small cell lung cancer received chemotherapy (cisplatin and etoposide).",
     {"cisplatin", "etoposide"}),
    ("A 61-year-old man with a perforated bowel underwent laparotomy and was given antibiotics (meropenem).",
     {"laparotomy", "meropenem"}),
    # a regimen and the drugs it lists in brackets stay apart
    ("A 39-year-old woman with lymphoma received R-CHOP (rituximab, cyclophosphamide, doxorubicin, "
     "vincristine and prednisone).", {"rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"}),
])
def test_drugs_in_brackets_after_a_class_or_regimen_are_treatments_of_their_own(body, drugs):
    assert drugs <= set(case_rows(body))


def test_no_treatment_given_with_its_modifiers_between_is_negated_and_a_route_after_the_drug_is_no_name():
    status = case_status("A 61-year-old woman had a wide excision of a melanoma of the calf. No adjuvant "
                         "chemotherapy was given. Before the operation she received midazolam IV.")
    assert status["chemotherapy"] == "negated"
    assert status["midazolam"] == "given" and "midazolam iv" not in status
