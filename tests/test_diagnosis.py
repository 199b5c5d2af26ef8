"""The learned condition ranker and cause classifier: the shipped models load and decide
fixed inputs; the whole choice on text written here; and, when ../shared is present, on
dev case reports of the evidence gold (never a locked-test one)."""
from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, make_doc, shared_pdf

from extract.evidence.casetext import prepare
from extract.evidence.causes import CAUSE_MODEL, pair_features
from extract.evidence.conditions import (CONDITION_MODEL, FOUND, _candidate_stats, choose_condition,
                                         condition_candidates, condition_features, condition_scores, prose, disease_phrases, normalize, stated_objects,
                                         stated_subjects, title_disease)
from extract.evidence.facts import extract_evidence
from extract.evidence.learned import load_model
from extract.nlp.protocols import general_protocol

PROTO = general_protocol()


def test_both_models_load_with_their_cross_validated_figures():
    for name in (CONDITION_MODEL, CAUSE_MODEL):
        model = load_model(name)
        assert model.weights and model.meta["figures"]
    cause = load_model(CAUSE_MODEL)
    assert cause.meta["figures"]["cv_causes"]["F"] > 0 and 0 < cause.threshold < 1
    assert cause.meta["max_per_report"] >= 1 and 0 <= cause.meta["veto_below"] < 1
    assert load_model(CONDITION_MODEL).meta["figures"]["cv_top1_all"] > 0.5


def test_condition_ranker_prefers_the_stated_diagnosis_to_a_symptom():
    doc = make_doc([("title", "An unusual cause of fever in a traveller"),
                    ("case", "A 34-year-old man returned from a trip with fever and headache. A blood smear "
                             "confirmed the diagnosis of falciparum malaria. He was treated with artesunate.")])
    ct = prepare(doc)
    found = choose_condition(ct, [], PROTO)
    assert found and found[0] == "falciparum malaria"
    cands = condition_candidates(ct, [], PROTO)
    model = load_model(CONDITION_MODEL)
    probs = [model.probability(condition_features(c, cands, ct, PROTO)) for c in cands]
    assert probs == [model.probability(condition_features(c, cands, ct, PROTO)) for c in cands]  # deterministic


def test_disease_phrases_keep_modifiers_and_expand_abbreviations():
    text = "Echocardiography showed cardiac AL amyloidosis and a left atrial myxoma."
    assert [text[a:b] for a, b in disease_phrases(text, PROTO)] == ["cardiac AL amyloidosis", "left atrial myxoma"]
    assert title_disease("Bilateral Neck of Femur Fractures in a Bilateral Amputee", PROTO) == \
        "bilateral neck of femur fractures"
    doc = make_doc([("case", "She had multiple myeloma (MM). The MM progressed and MM was refractory.")])
    names = {c.name for c in condition_candidates(prepare(doc), [], PROTO)}
    assert "multiple myeloma" in names and "mm" not in names


def test_cause_model_scores_a_stated_cause_above_a_listed_finding():
    model = load_model(CAUSE_MODEL)
    s1 = "The septic thrombosis was secondary to chronic suppurative otitis media."
    a = s1.index("chronic")
    stated = pair_features(s1, a, len(s1) - 1, "disease", (s1.index("thrombosis"), s1.index("thrombosis") + 10))
    s2 = "Chest radiograph and thrombosis work-up were normal; otitis media was not seen."
    a = s2.index("otitis")
    listed = pair_features(s2, a, a + 12, "disease", (s2.index("thrombosis"), s2.index("thrombosis") + 10))
    assert model.probability(stated) > model.probability(listed)
    assert model.probability(stated) == load_model(CAUSE_MODEL).probability(stated)


def _dev_gold(key: str) -> dict:
    split = yaml.safe_load((ROOT / "benchmarks" / "gold" / "split.yaml").read_text())
    assert key in split["dev"]["pdf_jats"]  # never a locked-test report
    return yaml.safe_load((ROOT / "benchmarks" / "gold" / "pdf_jats.yaml").read_text())[key]


@pytest.mark.parametrize("key", ["PMC4737013", "PMC4738992"])
def test_generic_mode_names_a_dev_reports_condition_and_cause(key):
    from extract import read_pdf
    from rapidfuzz import fuzz
    doc = read_pdf(str(shared_pdf(key)))
    gold = _dev_gold(key)
    tables = extract_evidence(doc, [])
    got = tables["cases"][0]["condition"]
    wanted = {gold["condition"].lower(), *(a.lower() for a in gold.get("also") or [])}
    assert any(got == w or got in w or w in got or fuzz.token_sort_ratio(got, w) >= 85 for w in wanted), got
    causes = {c["cause"] for c in tables["causes"]}
    assert any(g["cause"].lower() in c for g in gold["causes"] for c in causes), causes


def test_diagnosis_statements_give_candidates_named_without_their_lead_words():
    text = ("Biopsy revealed spindle cells diagnostic of KS. After pathological confirmation of IMT, the mass "
            "was removed. Cytology revealed a mucinous adenocarcinoma. The hepatic hamartoma was "
            "finally diagnosed on the specimen. Laparoscopy was consistent with the presence of a thick adhesion. "
            "She had never had signs suggestive of pelvic inflammatory disease.")
    stated = [text[a:b] for a, b in stated_objects(text, PROTO) + stated_subjects(text, PROTO)]
    assert {"KS", "IMT", "hepatic hamartoma", "presence of a thick adhesion"} <= set(stated)
    found = [text[a:b] for a, b in stated_objects(text, PROTO, FOUND, bare=False)]
    assert "mucinous adenocarcinoma" in found and not any("spindle" in f for f in found)
    cands = {c.name: c for c in condition_candidates(prepare(make_doc([("case", text)])), [], PROTO)}
    assert "thick adhesion" in cands and "presence of a thick adhesion" not in cands
    assert "found" in cands["mucinous adenocarcinoma"].sources()
    assert normalize("the possibility of a dissection", {}) == "dissection"


def test_condition_features_mark_the_final_stated_diagnosis_and_exclusions():
    doc = make_doc([("case", "A 4-year-old boy presented with abdominal swelling. The diagnosis of hepatoblastoma was "
                             "considered. He never had signs of portal vein thrombosis. A hepatic tumour was resected "
                             "and mesenchymal hamartoma was diagnosed on the specimen.")])
    ct = prepare(doc)
    cands = {c.name: c for c in condition_candidates(ct, [], PROTO)}
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    assert feats["mesenchymal hamartoma"].get("last_stated") and not feats["hepatoblastoma"].get("last_stated")
    assert feats["portal vein thrombosis"].get("excluded_before")
    assert feats["mesenchymal hamartoma"].get("last_stated&untitled")  # a plain text weighs it apart
    found = choose_condition(ct, [], PROTO)
    assert found and found[0] == "mesenchymal hamartoma"


def test_condition_scores_share_the_candidate_list_statistics_without_changing_a_feature():
    doc = make_doc([("title", "Gouty tophi of the hand mistaken for a tumour"),
                    ("case", "A 61-year-old man had a painful nodule of the finger. A giant cell tumour was suspected. "
                             "Biopsy showed tophaceous gout; his gout had been untreated. Hand tophi resolved on "
                             "allopurinol and the tumour was ruled out.")])
    ct = prepare(doc)
    cands = condition_candidates(ct, [], PROTO)
    assert len({c.name.split()[-1] for c in cands}) < len(cands)  # names that share a head word
    stats = _candidate_stats(cands)
    for c in cands:
        assert condition_features(c, cands, ct, PROTO, stats=stats) == condition_features(c, cands, ct, PROTO)
    model = load_model(CONDITION_MODEL)
    assert [p for p, _ in condition_scores(ct, [], PROTO)] == [
        model.probability(condition_features(c, cands, ct, PROTO, prose(ct), title_disease(
            " ".join(s.text for s in prose(ct) if s.section == "title"), PROTO))) for c in cands]


def test_condition_features_mark_an_effect_with_its_cause_and_the_patients_history():
    doc = make_doc([("case", "A 61-year-old woman with a 10-year history of rheumatoid arthritis was admitted with "
                             "dyspnoea. Echocardiography showed a constrictive pericarditis secondary to uraemia. "
                             "Months later she developed a methotrexate-induced pneumonitis that resolved.")])
    ct = prepare(doc)
    cands = {c.name: c for c in condition_candidates(ct, [], PROTO)}
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    assert feats["constrictive pericarditis"].get("effect_of_cause")  # "X secondary to Y": X is the effect
    assert feats["pneumonitis"].get("effect_of_cause")  # "Y-induced X"
    assert not feats["uraemia"].get("effect_of_cause") and feats["uraemia"].get("cause_before")
    assert feats["rheumatoid arthritis"]["history_share"] == 1.0
    assert feats["constrictive pericarditis"]["history_share"] == 0.0


def test_condition_features_count_how_often_the_ner_reads_a_name_as_a_drug_or_a_test():
    doc = make_doc([("case", "She was given VPA for seizures. Hyperammonemic encephalopathy was diagnosed and VPA "
                             "was stopped. A VPA level was measured.")])
    ct = prepare(doc)

    def entity(label: str, word: str, nth: int) -> dict:
        at = -1
        for _ in range(nth + 1):
            at = doc.text.index(word, at + 1)
        return {"label": label, "text": word, "char_start": at, "char_end": at + len(word)}

    mentions = [entity("Medication", "VPA", 0), entity("Disease_disorder", "VPA", 1),
                entity("Diagnostic_procedure", "VPA", 2), entity("Disease_disorder", "Hyperammonemic encephalopathy", 0)]
    cands = {c.name: c for c in condition_candidates(ct, mentions, PROTO)}
    assert cands["vpa"].other_label == 2 and cands["hyperammonemic encephalopathy"].other_label == 0
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    assert feats["vpa"]["other_label_share"] == 2 / 3  # two drug/test readings, one disease mention
    assert "other_label_share" not in feats["hyperammonemic encephalopathy"]


def test_diagnosis_statements_include_suspicion_the_final_diagnosis_and_what_a_specimen_proved_to_be():
    text = ("We suspected drug-induced cardiomyopathy. The final diagnosis was an early structural deterioration "
            "of the graft. The mass was found on pathologic examination to represent a low-grade adrenocortical "
            "carcinoma. Myocarditis was suspected. The diagnosis was made by biopsy.")
    stated = [text[a:b] for a, b in stated_objects(text, PROTO) + stated_subjects(text, PROTO)]
    assert {"cardiomyopathy", "low-grade adrenocortical carcinoma", "Myocarditis"} <= set(stated)
    assert any(s.startswith("early structural deterioration") for s in stated)
    assert not any(s.startswith("made") for s in stated)  # "diagnosis was made": a verb, no name


def test_condition_features_share_the_mentions_ruled_out_or_given_as_a_treatment():
    doc = make_doc([("case", "A CT was done to rule out a pulmonary embolism. Antiphospholipid syndrome was "
                             "excluded. Hypovitaminosis was not present. A venous air embolism was seen on the scan "
                             "and the air embolism resolved. She received 800 mg of VPA daily. VPA was discontinued.")])
    ct = prepare(doc)
    cands = {c.name: c for c in condition_candidates(ct, [], PROTO)}
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    for name in ("pulmonary embolism", "antiphospholipid syndrome", "hypovitaminosis"):
        assert feats[name]["ruled_out_share"] == 1.0, name
    assert "ruled_out_share" not in feats["venous air embolism"]
    cands = {c.name: c for c in condition_candidates(ct, [{"label": "Disease_disorder", "text": "VPA",
                                                          "char_start": doc.text.index("VPA"),
                                                          "char_end": doc.text.index("VPA") + 3}], PROTO)}
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    assert feats["vpa"]["given_share"] == 1.0  # "800 mg of VPA": a drug, however the NER labels it
    assert "given_share" not in feats["venous air embolism"]


def test_condition_features_mark_the_name_the_course_is_about_and_no_name_is_made_by_making():
    doc = make_doc([("case", "Emergent preparations were made for surgery. A psoas abscess was drained and the "
                             "abscess resolved. She also had gastritis. Treatment of the hyponatraemia was started.")])
    ct = prepare(doc)
    cands = {c.name: c for c in condition_candidates(ct, [], PROTO)}
    assert "emergent preparations" not in cands  # "were made": no statement of a diagnosis
    feats = {n: condition_features(c, list(cands.values()), ct, PROTO) for n, c in cands.items()}
    assert feats["psoas abscess"].get("course_of") and feats["abscess"].get("course_of")
    assert feats["hyponatraemia"].get("course_of") and not feats["gastritis"].get("course_of")


def test_a_name_that_begins_a_defined_long_form_is_the_whole_term():
    # "A with B (AB)": the report defines the whole phrase as one term, so "with" does not cut it
    doc = make_doc([("title", "A late relapse after a change of anticonvulsant"),
                    ("case", "A 45-year-old woman developed fever, a widespread rash and facial swelling five weeks "
                             "after starting lamotrigine. A diagnosis of drug reaction with eosinophilia and systemic "
                             "symptoms (DRESS) was made. The DRESS improved with oral prednisolone.")])
    ct = prepare(doc)
    names = [c.name for c in condition_candidates(ct, [], PROTO)]
    assert names == ["drug reaction with eosinophilia and systemic symptoms"]


@pytest.mark.parametrize("outer,inner,expected", [
    ("squamous cell carcinoma", "carcinoma", True),
    ("squamous cell carcinoma", "cell", True),
    ("adenocarcinoma", "carcinoma", False),       # inside a word
    ("carcinoma_in_situ", "carcinoma", False),    # an underscore is a word character
    ("non-Hodgkin lymphoma", "Hodgkin lymphoma", True),
    ("Carcinoma", "carcinoma", False),            # case counts
    ("lupus (SLE)", "SLE", True),
])
def test_whole_word_containment_of_condition_names(outer, inner, expected):
    """Names holding names are found as the regex (?<!\\w)inner(?!\\w) finds them."""
    import re

    from extract.evidence.conditions import _holds
    assert _holds(outer, inner) is expected
    assert bool(re.search(r"(?<!\w)" + re.escape(inner) + r"(?!\w)", outer)) is expected
