"""Evidence extraction: statuses, outcomes, scope, subtypes, causes, patients, the cases
summary and the long evidence table, on small documents built from text, the sample
PDFs, and (when ../shared is present) real case reports."""
from __future__ import annotations

import pytest
from conftest import CORPUS, shared_pdf

from extract.outputs.tables import SCHEMAS
from extract.evidence.conditions import title_disease
from extract.evidence.facts import evidence_stage, extract_evidence
from extract.evidence.patients import introductions, patients_from_sections
from extract.nlp.protocols import PROTOCOL_DIR, load_protocol, load_protocols
from extract.stages import RunConfig

from conftest import make_doc  # noqa: E402

PROTOS = load_protocols(PROTOCOL_DIR)


def case(body: str, title: str = "Calcinosis cutis of the arm: a case report", **kw) -> dict:
    return extract_evidence(make_doc([("title", title), ("case", body)]), PROTOS, **kw)


def treatment(tables: dict, name: str, scope: str = "case") -> dict:
    rows = [t for t in tables["treatments"] if t["treatment"] == name and t["scope"] == scope]
    assert len(rows) == 1, (name, [(t["treatment"], t["scope"]) for t in tables["treatments"]])
    return rows[0]


# -- status -------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, name, status", [
    ("She was treated with oral colchicine 0.5 mg twice daily.", "colchicine", "given"),
    ("Surgical excision was offered, but the patient declined.", "surgical excision", "declined"),
    ("She refused intralesional sodium thiosulfate.", "sodium thiosulfate", "declined"),
    ("Hyperbaric oxygen therapy was recommended by the wound team.", "hyperbaric oxygen therapy", "recommended"),
    ("Surgical debridement was considered for the largest ulcer.", "surgical debridement", "considered"),
    ("Warfarin was contraindicated because of a recent bleed.", "warfarin", "contraindicated"),
    ("Bisphosphonates were not given because the lesions were small.", "bisphosphonates", "negated"),
])
def test_each_status_pattern(sentence, name, status):
    t = treatment(case("A 50-year-old woman presented with nodules. " + sentence), name)
    assert t["status"] == status


def test_a_refusal_in_a_relative_clause_is_said_of_the_phrase_before_it():
    tables = case("A 60-year-old man was counselled about the option of a further operation, which he declined.")
    assert treatment(tables, "counselling")["status"] == "given"


def test_a_treatment_that_dates_the_presentation_is_history_not_a_treatment_given():
    """"presented ... 2 years after X": X came before the case; a later mention of X with
    no status cue of its own does not make it a treatment given."""
    tables = case("A 55-year-old man presented with calcified plaques 2 years after surgical excision of a cyst. "
                  "The surgical excision had left a scar. Oral diltiazem was started.")
    assert treatment(tables, "surgical excision")["status"] == "unknown"
    assert treatment(tables, "diltiazem")["status"] == "given"


def test_two_statuses_in_one_sentence_follow_their_clauses():
    tables = case("A 40-year-old man had plaques. Diltiazem was started; surgical excision was considered.")
    assert treatment(tables, "diltiazem")["status"] == "given"
    assert treatment(tables, "surgical excision")["status"] == "considered"


# -- outcome ------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, outcome", [
    ("Oral diltiazem was given and the nodules improved over 3 months.", "improved"),
    ("Oral diltiazem was given and the lesions resolved completely.", "resolved"),
    ("Oral diltiazem was given without any improvement.", "unchanged"),
    ("Oral diltiazem was given but the plaques worsened.", "worsened"),
    ("Oral diltiazem was given and the nodules recurred after 2 months.", "recurred"),
    ("Oral diltiazem was given, with no recurrence at 1 year.", "resolved"),
    ("Oral diltiazem failed to improve the lesions.", "unchanged"),
    # the patient's course: a negated relief, a qualified "without improvement", a discharge, a death
    ("Oral diltiazem was given, but it did not relieve her pain.", "unchanged"),
    ("Oral diltiazem was given for a month without significant improvement.", "unchanged"),
    ("Oral diltiazem was given and she was discharged home in good condition.", "improved"),
    ("Oral diltiazem was given but she succumbed two days later.", "worsened"),
])
def test_each_outcome_pattern(sentence, outcome):
    t = treatment(case("A 60-year-old woman had calcified nodules. " + sentence), "diltiazem")
    assert t["outcome"] == outcome


@pytest.mark.parametrize("body, days", [
    # the resolution's own time, in the outcome's sentence, not how often the drug was taken
    ("Oral diltiazem 60 mg three times a day was started. The nodules resolved within 3 weeks.", 21.0),
    ("Oral diltiazem 60 mg three times a day was started for 7 days. The nodules softened.", None),
])
def test_time_to_outcome_is_the_time_of_the_outcome(body, days):
    row = case("A 60-year-old woman had calcified nodules. " + body)["cases"][0]
    assert row["time_to_outcome_days"] == (pytest.approx(days) if days else None)


def test_follow_up_is_the_patients_not_the_literatures():
    doc = make_doc([("title", "Calcinosis cutis of the arm: a case report"),
                    ("case", "A 50-year-old woman had calcified nodules. Oral diltiazem was started. "
                             "At the 6-month follow-up the nodules were unchanged."),
                    ("discussion", "In one series, only a few patients were followed up beyond a decade [4].")])
    assert extract_evidence(doc, PROTOS)["cases"][0]["follow_up_days"] == pytest.approx(182.625)


def test_response_percent_and_details():
    t = treatment(case("A 61-year-old man had ulcers. Intravenous sodium thiosulfate 25 g was given three times "
                       "weekly for 24 sessions. The ulcer area showed a 40% improvement after 4 weeks."),
                  "sodium thiosulfate")
    assert (t["outcome"], t["response_pct"]) == ("improved", 40.0)
    assert (t["dose"], t["route"], t["sessions"]) == ("25 g", "intravenous", 24)
    assert t["frequency"] and "weekly" in t["frequency"]


@pytest.mark.parametrize("body, name, outcome", [
    # time order: the outcome after "then B" is B's, not A's
    ("Oral colchicine was given, then diltiazem was started, and the nodules resolved.", "colchicine", "unknown"),
    ("Oral colchicine was given, then diltiazem was started, and the nodules resolved.", "diltiazem", "resolved"),
    # the treatment a sentence starts gets the next sentence's outcome, not the one it adjusts
    ("Colchicine 1 mg was increased, and diltiazem 60 mg was added. The plaques softened over 8 weeks.",
     "diltiazem", "improved"),
    ("Colchicine 1 mg was increased, and diltiazem 60 mg was added. The plaques softened over 8 weeks.",
     "colchicine", "unknown"),
    # "X with Y" is one course: the outcome that follows is each part's (issue 14)
    ("She underwent surgical excision with skin grafting. The wound healed within 3 weeks.",
     "surgical excision", "resolved"),
    ("She underwent surgical excision with skin grafting. The wound healed within 3 weeks.", "skin grafting",
     "resolved"),
    # a sentence about another treatment or about monitoring is not the outcome
    ("Diltiazem was started. Bisphosphonates were considered as the pain was improving. "
     "The nodules resolved by 3 months.", "diltiazem", "resolved"),
    ("Topical diltiazem was applied twice daily. Renal function was checked weekly and remained stable.",
     "diltiazem", "unknown"),
    # the outcome of a new event, and of the disease a drug was given for, are not the drug's
    ("He was started on colchicine. He developed a transient weakness which resolved within hours.",
     "colchicine", "unknown"),
    ("Her course was complicated by a myocardial infarction treated with aspirin.", "aspirin", "unknown"),
    # the outcome before "X was stopped" is X's; "no improvement on A and ... B" is A's only
    ("Diltiazem was given. After 6 weeks the nodules had flattened, and diltiazem was discontinued.",
     "diltiazem", "improved"),
    ("No improvement was noted on colchicine and the patient again developed pain treated with diltiazem.",
     "colchicine", "unchanged"),
    ("No improvement was noted on colchicine and the patient again developed pain treated with diltiazem.",
     "diltiazem", "unknown"),
    # "partial" alone is not an outcome; a normal postoperative course is
    ("The nodule was excised. The fixator was removed and partial weight bearing began.", "surgical excision",
     "unknown"),
    ("The nodule was excised. The postoperative course was uneventful.", "surgical excision", "resolved"),
    # an improvement that a later sentence naming the drug carries on to resolution ends resolved;
    # a later resolution that does not name it does not
    ("Diltiazem was started. After 6 weeks of diltiazem the ulcer was 60% smaller. "
     "The ulcer had healed completely by 14 weeks after diltiazem was started.", "diltiazem", "resolved"),
    ("Diltiazem was started. After 6 weeks of diltiazem the ulcer was 60% smaller. "
     "A new fracture healed by 14 weeks.", "diltiazem", "improved"),
    # a change put down to something else is not the drug's outcome; a death from the disease is
    ("Colchicine was started. Due to a wound infection, her condition became unstable. "
     "Her condition then worsened.", "colchicine", "unknown"),
    ("Colchicine was started. She died due to complications of the disease.", "colchicine", "worsened"),
    # "died despite A, B and C": the death is the outcome of every drug listed after "despite"
    ("She died on the tenth day despite treatment with prednisolone, colchicine and diltiazem.", "colchicine", "worsened"),
    ("She died on the tenth day despite treatment with prednisolone, colchicine and diltiazem.", "diltiazem", "worsened"),
    # a drug named as the measure of the course ("the need for X fell") has no outcome of its own
    ("Norepinephrine was given. The need for norepinephrine fell, and the nodules resolved.",
     "norepinephrine", "unknown"),
    # "the treatment" after a class and its drugs goes to every drug of it
    ("Antitubercular therapy was initiated with isoniazid, rifampicin and pyrazinamide. "
     "The child responded well to the treatment.", "pyrazinamide", "improved"),
])
def test_outcome_attribution(body, name, outcome):
    assert treatment(case("A 50-year-old woman had calcified nodules. " + body), name)["outcome"] == outcome


def test_long_standing_medication_and_the_causal_drug_are_not_treatments():
    doc = make_doc([("title", "Warfarin-associated calciphylaxis"),
                    ("case", "A 70-year-old man had taken warfarin for 8 years. He had painful ulcers. "
                             "Warfarin was stopped and sodium thiosulfate was given.")])
    tables = extract_evidence(doc, PROTOS)
    case_rows = {t["treatment"]: t["status"] for t in tables["treatments"] if t["scope"] == "case"}
    assert case_rows == {"warfarin discontinuation": "given", "sodium thiosulfate": "given"}


def test_the_causal_procedure_is_no_treatment():
    # an earlier procedure that caused the condition is its cause, not a treatment of it
    doc = make_doc([("title", "Foreign body granuloma after hyaluronic acid filler injection"),
                    ("case", "A 52-year-old woman had firm nodules of the lips. She had undergone hyaluronic acid "
                             "filler injection two years earlier. The nodules were treated with intralesional "
                             "triamcinolone and smoking cessation counselling was given.")])
    tables = extract_evidence(doc, [])
    assert "hyaluronic acid filler injection" in {c["cause"] for c in tables["causes"]}
    case_rows = {t["treatment"] for t in tables["treatments"] if t["scope"] == "case"}
    assert "triamcinolone" in case_rows and "smoking cessation counselling" in case_rows
    assert not any("filler" in t or "hyaluronic" in t or "discontinuation" in t for t in case_rows)


def test_a_procedure_that_worsened_the_condition_stays_a_treatment():
    # the sample's debridement, done for the ulcer, made it worse: a cause and a treatment given
    from extract.pdf.ingest import read_pdf
    tables = evidence_stage(read_pdf(CORPUS / "pyoderma_ciclosporin_2022.pdf"),
                            RunConfig(options={"protocol": str(PROTOCOL_DIR)}))
    assert "surgical debridement" in {c["cause"] for c in tables["causes"]}
    assert treatment(tables, "surgical debridement")["status"] == "given"


@pytest.mark.parametrize("title, body", [
    # the drug named in the diagnosis is its cause
    ("Pentobarbital toxicity after self-injection",
     "A 40-year-old woman was found with a syringe of 390 mg/mL pentobarbital. Naloxone was given without effect."),
    # a substance found in a bottle or taken in an overdose
    ("Coma after a mixed overdose",
     "A 30-year-old woman was found unresponsive beside an empty bottle of 2 mg lorazepam tablets. "
     "She had also taken an overdose of amitriptyline. Naloxone was given."),
])
def test_what_was_taken_before_is_not_a_treatment(title, body):
    doc = make_doc([("title", title), ("case", body)])
    names = {t["treatment"] for t in extract_evidence(doc, PROTOS)["treatments"] if t["scope"] == "case"}
    assert names == {"naloxone"}


def test_outcome_of_a_declined_treatment_is_not_recorded():
    t = treatment(case("A 52-year-old woman had nodules. She declined surgical excision and the nodules resolved."),
                  "surgical excision")
    assert (t["status"], t["outcome"]) == ("declined", "unknown")


# -- scope, citations, abbreviations, mentions ----------------------------------------------
def test_literature_scope_with_cited_refs():
    doc = make_doc([("title", "Calcinosis cutis after a fall"),
                    ("case", "A 30-year-old man was treated with topical sodium thiosulfate."),
                    ("discussion", "Intralesional sodium thiosulfate has been reported to help in small series.3")],
                   markers=[("3", "small series.")])
    cites = [dict(ref_no=3, char_start=doc.markers[0].char_start, char_end=doc.markers[0].char_end)]
    tables = extract_evidence(doc, PROTOS, citations=cites)
    lit = treatment(tables, "sodium thiosulfate", "literature")
    assert lit["cited_refs"] == [3]
    assert treatment(tables, "sodium thiosulfate", "case")["cited_refs"] == []


def test_our_patient_in_discussion_is_case_scope():
    doc = make_doc([("title", "Calcinosis cutis"), ("case", "A 45-year-old woman presented with nodules."),
                    ("discussion", "In our patient, diltiazem was given and the nodules regressed.")])
    t = treatment(extract_evidence(doc, PROTOS), "diltiazem")
    assert (t["scope"], t["outcome"]) == ("case", "improved")


@pytest.mark.parametrize("section, sentence, cited, scope", [
    ("case", "At the 3-month review the smaller ulcer had healed.", False, "case"),  # a visit, not a review article
    ("case", "Calcinosis cutis is classified into five subtypes.", True, "literature"),
    ("case", "Excision has been reported to help, and the nodule was excised.", False, "literature"),
    ("discussion", "Most of the lesions were small in that series.", False, "literature"),  # a bare "were"
    ("discussion", "At follow-up the lesions had resolved.", False, "case"),
])
def test_scope_rule(section, sentence, cited, scope):
    from extract.evidence.casetext import scope_of
    from extract.nlp.pipeline import scope_of as mention_scope
    assert mention_scope is scope_of  # mentions are scoped by the evidence rule itself
    assert scope_of(section, sentence, cited) == scope


def test_abbreviation_resolves_and_repeated_mentions_make_one_treatment():
    tables = case("A 70-year-old man started sodium thiosulfate (STS) on dialysis. STS was continued for 8 weeks.")
    t = treatment(tables, "sodium thiosulfate")
    assert t["n_mentions"] == 2 and len(t["mentions"]) == 2


def test_evidence_reads_the_abbreviations_the_nlp_pipeline_found():
    from extract.evidence.casetext import prepare
    from extract.nlp.pipeline import document_abbreviations, document_mentions
    body = "She received intravenous immunoglobulin (IVIG) for 5 days. IVIG was well tolerated."
    alone = make_doc([("title", "A case"), ("case", body)])
    assert prepare(alone).abbrevs == {"IVIG": "intravenous immunoglobulin"}
    after = make_doc([("title", "A case"), ("case", body)])
    document_mentions(after)  # the mentions stage's pass leaves its definitions for the evidence stage
    assert after.memo("abbreviations", dict) == document_abbreviations(alone) == prepare(after).abbrevs


def test_a_procedure_combined_with_a_device_keeps_its_own_name():
    tables = case("A 52-year-old man chose microneedling with radiofrequency (MNRF) once a month. "
                  "After six sessions of MNRF the nodules were 30% smaller.")
    t = treatment(tables, "microneedling with radiofrequency")
    assert t["status"] == "given" and t["n_mentions"] == 2 and t["response_pct"] == 30.0


def test_diagnostics_are_not_treatments():
    tables = case("A 33-year-old woman had a nodule. A punch biopsy and ultrasound were performed.")
    assert not [t for t in tables["treatments"] if t["scope"] == "case"]


@pytest.mark.parametrize("protocols", [PROTOS, []])
def test_a_drug_no_vocabulary_lists_comes_from_the_entities(protocols):
    # naproxen is in no protocol and has no drug-like ending: the clinical NER finds it and
    # the treatment model takes it, with or without a topic protocol
    doc = make_doc([("title", "Knee swelling in a runner"),
                    ("case", "A 50-year-old woman had a swollen knee. She was given oral naproxen 500 mg twice "
                             "daily and the swelling resolved within 10 days.")])
    row = treatment(extract_evidence(doc, protocols), "naproxen")
    assert (row["status"], row["route"], row["dose"], row["outcome"]) == ("given", "oral", "500 mg", "resolved")


def test_entity_candidates_keep_the_specific_name_and_a_class():
    doc = make_doc([("title", "Pilomatricoma of the neck"),
                    ("case", "A 12-year-old boy had a firm nodule on the neck. Complete surgical excision of the "
                             "nodule was performed under local anaesthesia and it did not recur.")])
    rows = [t for t in extract_evidence(doc, [])["treatments"] if t["scope"] == "case"]
    assert [(t["treatment"], t["treatment_class"]) for t in rows] == [("surgical excision", "surgical excision")]


def test_withdrawal_of_the_causal_drug_is_a_treatment():
    doc = make_doc([("title", "Carbamazepine-induced drug reaction with eosinophilia"),
                    ("case", "A 34-year-old man took carbamazepine for neuralgia. Carbamazepine was stopped on "
                             "admission. Ciclosporin was added later and the rash resolved.")])
    tables = extract_evidence(doc, PROTOS)
    assert treatment(tables, "carbamazepine discontinuation")["kind"] == "other"
    assert [c["cause"] for c in tables["causes"]] == ["carbamazepine"]
    assert treatment(tables, "ciclosporin")["outcome"] == "resolved"


# -- subtypes, diagnosis, causes ------------------------------------------------------------
def test_subtype_roles():
    doc = make_doc([
        ("title", "Iatrogenic calcinosis cutis after calcium gluconate extravasation"),
        ("introduction", "Calcinosis cutis is classified into five subtypes: dystrophic, metastatic, idiopathic, "
                         "iatrogenic and calciphylaxis."),
        ("case", "A premature neonate presented at several weeks of age with a plaque. The differential diagnosis "
                 "included subepidermal calcified nodule. Calciphylaxis was ruled out."),
    ])
    tables = extract_evidence(doc, PROTOS)
    roles = {(r["subtype"], r["role"]) for r in tables["subtypes"]}
    assert ("iatrogenic calcinosis cutis", "diagnosis") in roles
    assert ("metastatic calcinosis cutis", "mentioned") in roles
    assert ("subepidermal calcified nodule", "differential") in roles
    assert ("calciphylaxis", "excluded") in roles
    row = tables["cases"][0]
    assert (row["condition"], row["subtype"]) == ("calcinosis cutis", "iatrogenic calcinosis cutis")
    assert row["cause"] == "calcium gluconate extravasation" and row["age_years"] == 0.0
    assert {(c["cause"], c["cause_kind"]) for c in tables["causes"]} == {("calcium gluconate extravasation", "drug")}


def test_protocol_is_chosen_by_the_title():
    doc = make_doc([("title", "Pyoderma gangrenosum after minor trauma"),
                    ("case", "A 47-year-old woman had an ulcer. Oral prednisolone was started and the ulcer healed.")])
    tables = extract_evidence(doc, PROTOS)
    assert tables["cases"][0]["condition"] == "pyoderma gangrenosum"
    assert {(c["cause"], c["cause_kind"]) for c in tables["causes"]} == {("minor trauma", "injury")}


def test_other_conditions_get_the_title_disease_phrase():
    p = load_protocol()
    assert title_disease("Pentobarbital Toxicity after Self-Administration of a Drug", p) == "pentobarbital toxicity"
    assert title_disease("Bilateral Neck of Femur Fractures in a Bilateral Amputee", p) == \
        "bilateral neck of femur fractures"
    assert title_disease("Prenatal Ultrasound Diagnosis of a Cyst: Thyroglossal Duct Cyst", p) == "thyroglossal duct cyst"
    assert title_disease("Misleading Features of Disseminated Histoplasmosis in a Transplant Recipient", p) == \
        "disseminated histoplasmosis"
    assert title_disease("Airway Care of Patients Undergoing Resection of Laryngeal Cancer", p) == "laryngeal cancer"


@pytest.mark.parametrize("title, cause, kind", [
    ("Calcified nodules after autologous fat grafting", "autologous fat grafting", "procedure"),
    ("Tularemia after a coyote bite", "coyote bite", "injury"),
    ("Ipilimumab induced Graves' disease", "ipilimumab", "drug"),
    # a disease head after the injury word: the infection, not the wound, and no "presence of"
    ("Septic arthritis due to the presence of wound infection", "wound infection", "disease"),
])
def test_cause_kinds(title, cause, kind):
    tables = extract_evidence(make_doc([("title", title), ("case", "A 40-year-old man presented.")]), PROTOS)
    assert (cause, kind) in {(c["cause"], c["cause_kind"]) for c in tables["causes"]}


@pytest.mark.parametrize("title", [
    # the treatment an outcome followed, and a risk, are not causes
    "Resolution of chronic pelvic pain following surgical removal of a mesh",
    "Thrombocythaemia associated with a lower risk of thrombosis",
])
def test_not_causes(title):
    tables = extract_evidence(make_doc([("title", title), ("case", "A 40-year-old woman presented.")]), PROTOS)
    assert tables["causes"] == []


@pytest.mark.parametrize("title, case_text, expected", [
    # a strong cue in the case narrative whose subject is the condition names its cause
    ("Portal vein thrombosis in a young farmer",
     "A 31-year-old man had abdominal pain. The thrombosis was judged secondary to a hereditary protein C "
     "deficiency found on screening.", {("hereditary protein c deficiency", "disease")}),
    # the organism of an infection the cultures grew
    ("Septic arthritis of the knee in an adult",
     "A 58-year-old woman had a hot swollen knee. Synovial fluid cultures grew Streptococcus agalactiae and "
     "she was given penicillin.", {("streptococcus agalactiae", "disease")}),
    ("Prosthetic joint infection of the hip",
     "A 70-year-old man had a draining sinus over his hip prosthesis. Enterococcus faecalis was isolated "
     "from the aspirate.", {("enterococcus faecalis", "disease")}),
    # a mutation stated with the diagnosis: zygosity, variant and gene
    ("Childhood-onset ataxia with oculomotor signs",
     "A 9-year-old girl had a slowly progressive gait disorder. Sequencing found a homozygous R222W mutation "
     "in the ZXQ1 gene, confirming the diagnosis.", {("homozygous r222w zxq1 mutation", "other")}),
    # the cue explains another finding, not the condition: no cause
    ("Portal vein thrombosis in a young farmer",
     "A 31-year-old man had abdominal pain. His low platelet count was secondary to chronic liver disease.", set()),
    # a swab's organism does not cause a fracture
    ("Femoral shaft fracture in an elderly woman",
     "An 80-year-old woman broke her femur. A wound swab grew Pseudomonas aeruginosa.", set()),
])
def test_generic_causes_in_the_case_narrative(title, case_text, expected):
    tables = extract_evidence(make_doc([("title", title), ("case", case_text)]), [])
    assert {(c["cause"], c["cause_kind"]) for c in tables["causes"]} == expected


def test_a_month_is_not_a_drug():
    tables = case("A 40-year-old woman presented in April with calcified nodules. Diltiazem was started in May.")
    assert [t["treatment"] for t in tables["treatments"]] == ["diltiazem"]


# -- patients -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, age, sex", [
    ("A 48-year-old woman was found unresponsive.", 48, "female"),
    ("We report on a 3.5-year-old boy bitten by a dog.", 3.5, "male"),
    ("A premature neonate presented at several weeks of age.", 0.0, None),
    ("The patient, a sixty-year-old gentleman, had pain.", 60, "male"),
    # a prenatal report: the fetus with its sex is the patient, not the pregnant mother
    ("A 29-year-old multigravida was referred at 22 weeks of gestation. The scan showed a female fetus "
     "with a neck mass.", 0.0, "female"),
    # a pregnant woman stays the patient when no fetus of stated sex is described
    ("A 33-year-old primigravida at 31 weeks of gestation had severe headache.", 33, "female"),
    # the patient's own birth at a stated gestation makes a neonate
    ("This boy was born by vaginal delivery at 36 weeks of gestation and was cyanotic.", 0.0, "male"),
    # an age stated on its own ("at N years of age"), and an occupation as the person word
    ("At 71 years of age, she developed a painful lump.", 71, None),
    ("A 19-year-old engineering student was seen for fatigue.", 19, None),
])
def test_age_and_sex(text, age, sex):
    p = introductions(text)[0]
    assert (p.age_years, p.sex) == (pytest.approx(age, abs=0.01), sex)


def test_an_age_group_ending_a_disease_name_is_no_patient():
    # "of the newborn" ends a disease's name in a differential diagnosis
    secs = [("case", 0, "An infant was seen at several weeks of age with a firm mass on the thigh."),
            ("case", 80, "The differential diagnosis included sclerema and fat necrosis of the newborn.")]
    assert [p.age_text for p in patients_from_sections(secs)] == ["several weeks of age"]
    assert introductions("The second twin, a term newborn, was pale.")[0].age_years == 0.0


def test_one_row_per_patient():
    secs = [("case", 0, "An 8-year-old boy had ear discharge."), ("case", 100, "An 11-year-old girl had otitis.")]
    pts = patients_from_sections(secs)
    assert [(p.age_years, p.sex) for p in pts] == [(8, "male"), (11, "female")]
    one = patients_from_sections([("case", 0, "The first case was a 60-year-old male. The second case was a "
                                              "72-year-old woman.")])
    assert [(p.age_years, p.sex) for p in one] == [(60, "male"), (72, "female")]


def test_comorbidities_skip_negated_history():
    pts = patients_from_sections([("case", 0, "A 61-year-old man with a history of hypertension and atrial "
                                              "fibrillation. She had no history of renal disease.")])
    assert pts[0].comorbidities == ["hypertension", "atrial fibrillation"]


# -- tables ---------------------------------------------------------------------------------
def test_evidence_rows_have_provenance_and_match_schemas():
    tables = case("A 52-year-old woman had nodules. Surgical excision was performed and the nodules resolved.")
    for name, rows in tables.items():
        for r in rows:
            assert set(r) <= set(SCHEMAS[name]), (name, set(r) - set(SCHEMAS[name]))
    doc_text = make_doc([("title", "Calcinosis cutis of the arm: a case report"),
                         ("case", "A 52-year-old woman had nodules. Surgical excision was performed and the "
                                  "nodules resolved.")]).text
    ev = tables["evidence"]
    kinds = {r["kind"] for r in ev}
    assert {"diagnosis", "treatment", "outcome", "patient"} <= kinds
    tr = next(r for r in ev if r["kind"] == "treatment")
    assert doc_text[tr["char_start"]:tr["char_end"]].lower() == "surgical excision"
    assert tr["page"] == 1 and "Surgical excision" in tr["sentence"]
    assert tables["cases"][0]["treatments_given"] == ["surgical excision"]
    assert tables["cases"][0]["best_outcome"] == "resolved"


def test_stage_on_sample_pdf(sample_docs):
    doc = sample_docs["cc_fat_grafting_2021"]
    tables = evidence_stage(doc, RunConfig(options={"protocol": str(PROTOCOL_DIR)}))
    row = tables["cases"][0]
    assert (row["condition"], row["age_years"], row["sex"]) == ("calcinosis cutis", 52, "female")
    assert sorted(row["treatments_declined"]) == ["sodium thiosulfate", "surgical excision"]
    assert ("autologous fat grafting", "procedure") in {(c["cause"], c["cause_kind"]) for c in tables["causes"]}
    for t in tables["treatments"]:
        assert doc.text[t["char_start"]:t["char_end"]] == t["text"]


def test_workbook_has_one_sheet_per_table(tmp_path):
    import pandas as pd

    from extract.outputs.excel import write_workbook
    tables = case("A 52-year-old woman had nodules. Surgical excision was performed.")
    frames = {k: pd.DataFrame(v) for k, v in tables.items()}
    path = write_workbook(frames, tmp_path / "evidence.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert next(iter(sheets)) == "cases" and set(sheets) == set(frames) | {"columns"}  # + the data dictionary
    assert sheets["cases"].loc[0, "treatments_given"] == "surgical excision"


def test_real_case_report_when_shared_data_present():
    from extract import read_pdf
    doc = read_pdf(shared_pdf("PMC4737013"))
    tables = evidence_stage(doc, RunConfig(options={"protocol": str(PROTOCOL_DIR)}))
    given = {t["treatment"] for t in tables["treatments"] if t["scope"] == "case" and t["status"] == "given"}
    assert {"methimazole", "thyroidectomy"} <= given
    assert "ipilimumab" in {c["cause"] for c in tables["causes"]} and "ipilimumab" not in given
    assert (tables["patients"][0]["age_years"], tables["patients"][0]["sex"]) == (67, "male")


def test_round_trip_through_the_pipeline(tmp_path):
    from extract.run.pipeline import load, run
    pdf = CORPUS / "neonatal_cc_extravasation_2022.pdf"
    corpus = run(pdf, tmp_path / "out", cfg=RunConfig(stages=("structure", "evidence"),
                                                      options={"protocol": str(PROTOCOL_DIR)}))
    back = load(tmp_path / "out")
    for name in ("treatments", "cases", "evidence", "patients", "subtypes", "causes"):
        a, b = corpus[name].reset_index(drop=True), back[name].reset_index(drop=True)
        assert list(a.columns) == list(b.columns) and len(a) == len(b), name
        assert a.astype(str).equals(b.astype(str)), name
    assert corpus["cases"].loc[0, "subtype"] == "iatrogenic calcinosis cutis"


# -- learned components ----------------------------------------------------------------------
def test_treatment_model_loads_and_decides_a_fixed_candidate():
    from extract.evidence.learned import TREATMENT_MODEL, load_model, treatment_features
    model = load_model(TREATMENT_MODEL)
    assert model.weights and 0 < model.threshold < 1 and model.meta["data"]["maccrobat_folds"] == [1, 2, 3, 4]
    sentence = "He was started on intravenous meropenem 1 g three times daily."
    a = sentence.index("meropenem")
    given = treatment_features("meropenem", sentence, a, a + 9, {"ner:CHEMICAL"}, "case", "case", {})
    sentence = "Serum meropenem levels were measured in the literature cohort."
    a = sentence.index("meropenem")
    measured = treatment_features("meropenem", sentence, a, a + 9, {"ner:CHEMICAL"}, "discussion", "literature", {})
    assert model.predict(given) and not model.predict(measured)
    assert model.probability(given) == load_model(TREATMENT_MODEL).probability(given)


def test_treatment_model_reads_the_ner_label_and_procedure_phrases():
    """The clinical NER's labels are features (cross-fitted in training): a procedure phrase
    the NER also tags is taken (its name likeness, which now carries most of what the label
    said, read as at run time); a drug named as a lab finding is not a treatment even when the
    NER calls it a medication."""
    from extract.evidence.learned import TREATMENT_MODEL, load_model, name_likeness, treatment_features
    model = load_model(TREATMENT_MODEL)
    likeness = name_likeness(model)

    def prob(sentence: str, span: str, sources: set[str]) -> float:
        a = sentence.index(span)
        return model.probability(treatment_features(span, sentence, a, a + len(span), sources, "case", "case", {},
                                                    likeness and likeness.probability(span)))

    done = "She underwent laparoscopic cholecystectomy on the second day."
    assert prob(done, "laparoscopic cholecystectomy", {"phrase", "ner:Therapeutic_procedure"}) >= model.threshold
    finding = "Urine tests showed elevated levels of norepinephrine and metanephrine."
    assert prob(finding, "norepinephrine", {"ner:Medication"}) < model.threshold


def test_a_missing_model_says_how_to_retrain(monkeypatch, tmp_path):
    from extract.evidence import learned
    monkeypatch.setattr(learned, "MODELS_DIR", tmp_path)
    learned.load_model.cache_clear()
    try:
        with pytest.raises(learned.ModelMissing, match="train_evidence"):
            learned.load_model("evidence_treatment")
    finally:
        learned.load_model.cache_clear()


def test_generic_mode_yields_the_reports_own_diagnosis():
    # no protocol and no disease word in the title: the diagnosis the case states
    doc = make_doc([("title", "An unusual cause of fever in a traveller"),
                    ("case", "A 34-year-old man returned from a trip with fever and headache. A blood smear "
                             "confirmed the diagnosis of falciparum malaria. He was treated with artesunate "
                             "and recovered fully.")])
    tables = extract_evidence(doc, [])
    assert tables["cases"][0]["protocol"] == "(general)"
    assert tables["cases"][0]["condition"] == "falciparum malaria"


@pytest.mark.parametrize("text, phrases", [
    # the modifiers written before a procedure head, not the verb or article before them
    ("She underwent laparoscopic adhesiolysis and a partial nephrectomy.",
     ["laparoscopic adhesiolysis", "partial nephrectomy"]),
    # a head right before another is one of its modifiers
    ("He then had off-pump coronary artery bypass grafting.", ["off-pump coronary artery bypass grafting"]),
    ("Calcium supplementation and bed rest were advised.", ["Calcium supplementation", "bed rest"]),
])
def test_procedure_phrases(text, phrases):
    from extract.evidence.treatments import TreatmentFinder, _phrases
    from extract.nlp.protocols import general_protocol
    head = TreatmentFinder(general_protocol()).procedure_head
    assert [text[a:b] for a, b in _phrases(text, head)] == phrases


def test_a_phrase_yields_to_the_drug_in_it_and_keeps_its_name_over_a_procedure_term():
    from extract.evidence.casetext import prepare
    from extract.evidence.treatments import TreatmentFinder
    from extract.nlp.protocols import general_protocol
    ct = prepare(make_doc([("case", "He underwent partial nephrectomy and received warfarin therapy "
                                    "and intravenous fluid therapy. A low anterior resection was done "
                                    "and the resected specimen was examined.")]))
    finder = TreatmentFinder(general_protocol())
    found = [(c.name, c.treatment_class, sorted(c.sources))
             for s in ct.sentences for c in finder.candidates(ct, s, [])]
    assert found == [("partial nephrectomy", None, ["phrase"]), ("warfarin", "warfarin", ["vocabulary:drug"]),
                     ("intravenous fluids", "intravenous fluids", ["phrase", "vocabulary:other"]),
                     ("low anterior resection", "surgical resection", ["phrase", "vocabulary:procedure"])]


@pytest.mark.parametrize("text, entity, term_words, kept", [
    # modifiers before a vocabulary term and its complement stay: the procedure as written
    ("laparoscopic excision of the mass was done", "laparoscopic excision of the mass", "excision",
     "laparoscopic excision of the mass"),
    # words an entity runs on into after the term do not
    ("antibiotic cover shortens treatment here", "antibiotic cover shortens treatment", "antibiotic cover",
     "antibiotic cover"),
])
def test_entity_spans_around_a_vocabulary_term(text, entity, term_words, kept):
    from extract.evidence.treatments import _merged
    from extract.nlp.protocols import general_protocol
    term = next(t for t in general_protocol().treatments if term_words in (t.name, *t.synonyms))
    a, e = text.index(term_words), text.index(entity)
    merged = _merged([(a, a + len(term_words), term, term.kind, "vocabulary:procedure"),
                      (e, e + len(entity), None, "procedure", "ner:Therapeutic_procedure")], text)
    assert [text[c.a:c.b] for c in merged] == [kept] and merged[0].term is term


# -- issue 14's naming: stopping a drug, transfused products, specific procedures ------------
@pytest.mark.parametrize("body, rows", [
    # stopping a drug given in the case is a treatment of its own, beside the drug
    ("A 40-year-old man with fever was treated with vancomycin. Vancomycin was discontinued on day 5.",
     {"vancomycin", "vancomycin discontinuation"}),
    # "X was gradually tapered off", "cessation of X", and a drug coordinated with a stopped one;
    # a taper alone only lowers the dose
    ("A 61-year-old woman received prednisolone. Prednisolone was gradually tapered off.",
     {"prednisolone", "prednisolone discontinuation"}),
    ("A 61-year-old woman received prednisolone. Prednisolone was tapered by 10 mg a fortnight.",
     {"prednisolone"}),
    ("A 55-year-old man was on amiodarone and digoxin. Cessation of amiodarone and digoxin followed.",
     {"amiodarone discontinuation", "digoxin discontinuation"}),
    # a course that ran its time ended: that is no treatment of its own
    ("A 47-year-old woman with a skin infection received doxycycline. Doxycycline was stopped after "
     "a total of 3 months.", {"doxycycline"}),
    # what was transfused names the treatment; levels of a drug are a measurement
    ("A 30-year-old man with thrombocytopenia was given platelet transfusions. Serum levels of "
     "norepinephrine were raised.", {"platelet transfusion"}),
])
def test_discontinuation_and_specific_names(body, rows):
    tables = extract_evidence(make_doc([("title", "A case report"), ("case", body)]), [])
    assert {t["treatment"] for t in tables["treatments"] if t["scope"] == "case" and t["status"] == "given"} == rows
