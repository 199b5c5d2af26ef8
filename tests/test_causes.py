"""The cause stage on text written here: the candidates the cause model ranks (drugs,
background diseases, variants; one candidate a name with what the whole report says of
it), the shipped model's deterministic decision, and cue objects that are not causes."""
from __future__ import annotations

import pytest
from conftest import make_doc

from extract.evidence.casetext import prepare
from extract.evidence.causes import (CAUSE_MODEL, _CUT_SHORT, _alterations, _mutations, cause_candidates, find_causes,
                                     split_condition, spelled_out)
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
    # the first mention (background, before the condition) and the later one both count; where
    # the name stands against the condition is where it is first stated
    assert af["background&disease"] == 1.0 and af["before_condition"] == 1.0 and "after_condition" not in af
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


def test_a_name_is_negated_only_when_every_mention_is_and_stands_at_its_nearest_mention():
    text = ("A 58-year-old woman had no signs of sarcoidosis on admission. "
            "Chest imaging was normal. Renal function declined. Biopsy later showed sarcoidosis. "
            "A granulomatous interstitial nephritis was diagnosed.")
    doc = make_doc([("case", text)])
    mentions = [dict(_mention(doc.text, "sarcoidosis", "Disease_disorder"), negated=True),
                _mention(doc.text, "sarcoidosis", "Disease_disorder", 1)]
    cands = {c.name: c for c in cause_candidates(prepare(doc), PROTO, "granulomatous interstitial nephritis",
                                                 TreatmentFinder(PROTO), mentions)}
    f = cands["sarcoidosis"].features
    assert "ctx=negated" not in f  # affirmed in its second mention
    assert [k for k in f if k.startswith("sent_gap=")] == ["sent_gap=1"]  # one sentence from the condition


@pytest.mark.parametrize("condition, effect, cause", [
    ("renal amyloidosis due to familial Mediterranean fever", "renal amyloidosis", "familial Mediterranean fever"),
    ("valproate-induced hyperammonaemia", "hyperammonaemia", "valproate"),
    ("bile leak after laparoscopic cholecystectomy", "bile leak", "laparoscopic cholecystectomy"),
    ("drug-induced liver injury", "drug-induced liver injury", None),  # names no cause
    ("pneumonia after surgery", "pneumonia after surgery", None),  # a generic head is no cause
    ("acute appendicitis", "acute appendicitis", None),
    ("hepatic involvement of Fabry disease", "hepatic involvement", "Fabry disease"),
    ("bone metastases of renal cell carcinoma", "bone metastases", "renal cell carcinoma"),
    ("intrahepatic cholestasis of pregnancy", "intrahepatic cholestasis", "pregnancy"),
    ("acute arsenic poisoning", "poisoning", "arsenic"),
    ("carbon monoxide intoxication", "intoxication", "carbon monoxide"),
    ("drug toxicity", "drug toxicity", None),  # a generic substance names none
    ("chronic venous insufficiency of the leg", "chronic venous insufficiency of the leg", None),
])
def test_a_condition_named_with_its_cause_is_split(condition, effect, cause):
    assert split_condition(condition) == (effect, cause)


def test_the_cause_a_condition_names_is_a_cause_of_the_report():
    text = ("A 34-year-old man with familial Mediterranean fever since childhood presented with oedema. "
            "A kidney biopsy showed amyloid deposits.")
    ct = prepare(make_doc([("case", text)]))
    rows = find_causes(ct, PROTO, "renal amyloidosis due to familial Mediterranean fever", TreatmentFinder(PROTO))
    assert "familial mediterranean fever" in {r["cause"] for r in rows}
    # and not a candidate the condition's own name excludes
    cands = cause_candidates(ct, PROTO, "renal amyloidosis due to familial Mediterranean fever",
                             TreatmentFinder(PROTO), [_mention(text + "\n\n", "familial Mediterranean fever",
                                                               "Disease_disorder")])
    assert "familial mediterranean fever" in {c.name for c in cands}


def test_an_abbreviated_condition_is_read_in_full():
    assert spelled_out("ATM", {"ATM": "acute transverse myelitis"}) == "atm acute transverse myelitis"
    assert spelled_out("pulmonary TB", {"TB": "tuberculosis"}) == "pulmonary tb tuberculosis"


@pytest.mark.parametrize("name, cut", [("thickening of the", True), ("ingestion of positive", True),
                                       ("figure 2", True), ("oral contraceptive", False),
                                       ("fall from a ladder", False)])
def test_a_span_cut_in_its_phrase_is_no_candidate(name, cut):
    assert bool(_CUT_SHORT.search(name)) is cut


def test_the_model_adds_no_name_where_the_rules_found_a_cause():
    from extract.evidence.causes import learned_causes
    from extract.evidence.learned import LinearModel
    model = LinearModel("flat", 0.0, {}, threshold=0.3)  # every candidate: 0.5
    doc = make_doc([("case", CASE)])
    mentions = [_mention(doc.text, "atrial fibrillation", "Disease_disorder")]
    found = {}
    for ruled in (False, True):
        at = doc.text.index("zorvastatin")
        rows = {"zorvastatin": {"cause": "zorvastatin", "cause_kind": "drug", "char_start": at,
                                "char_end": at + len("zorvastatin")}} if ruled else {}
        found[ruled] = learned_causes(prepare(doc), PROTO, "left atrial thrombus", TreatmentFinder(PROTO),
                                      mentions, dict(rows), model=model)
    assert "atrial fibrillation" in found[False]  # the model's name where the rules found none
    assert list(found[True]) == ["zorvastatin"]  # the rules' cause alone where they found one


def test_a_given_treatment_a_literature_name_and_an_onset_are_no_cause_candidates():
    text = ("A 58-year-old woman had childhood-onset asthma and a hot swollen knee. She was given penicillin. "
            "Septic arthritis was diagnosed.")
    doc = make_doc([("case", text), ("discussion", "Septic arthritis is often seen with gout.")])
    mentions = [_mention(doc.text, m, lab) for m, lab in (("childhood-onset asthma", "Disease_disorder"),
                                                          ("penicillin", "Medication"), ("gout", "Disease_disorder"))]
    ct = prepare(doc)
    names = {c.name for c in cause_candidates(ct, PROTO, "septic arthritis", TreatmentFinder(PROTO), mentions,
                                              given=frozenset({"penicillin"}))}
    assert "childhood-onset asthma" not in names and "gout" not in names and "penicillin" not in names
    names = {c.name for c in cause_candidates(ct, PROTO, "septic arthritis", TreatmentFinder(PROTO), mentions)}
    assert "penicillin" in names  # a drug the case does not give stays a candidate


def test_a_name_cut_at_a_route_word_is_no_cause():
    # "after the administration of intravenous calcium" must not leave "administration of intravenous"
    from extract.evidence.causes import _CUT_SHORT
    assert _CUT_SHORT.search("administration of intravenous")
    assert not _CUT_SHORT.search("intravenous drug use")


def test_a_substance_a_poisoning_is_named_after_is_its_cause():
    text = ("A 40-year-old glass worker presented with abdominal colic and anaemia. "
            "He had handled arsenic at work for ten years. Urine arsenic levels were high.")
    rows = find_causes(prepare(make_doc([("case", text)])), PROTO, "chronic arsenic poisoning",
                       TreatmentFinder(PROTO))
    assert [(r["cause"], r["cause_kind"]) for r in rows if r["cause"] == "arsenic"] == [("arsenic", "drug")]


def test_an_abbreviated_condition_names_its_cause_in_full():
    text = ("A 30-year-old woman at 35 weeks of pregnancy presented with jaundice. "
            "Acute fatty liver of pregnancy (AFLP) was diagnosed. AFLP resolved after delivery.")
    ct = prepare(make_doc([("case", text)]))
    assert "pregnancy" in {r["cause"] for r in find_causes(ct, PROTO, "AFLP", TreatmentFinder(PROTO))}


def test_a_cue_after_a_result_names_no_cause():
    # the drug after "recovered quickly after" treated the condition: no cue object, and no rule cause
    from extract.evidence.causes import _cue_objects
    text = "The leukopenia recovered quickly after the administration of filgrastim."
    assert not list(_cue_objects(text))
    assert [obj for _, obj in _cue_objects("The leukopenia developed after the administration of filgrastim.")] \
        == ["administration of filgrastim"]


@pytest.mark.parametrize("text", [
    "The tremor ceased after an injection of lorazepam.",  # a result before the cue
    "Hypotension was noted 5 min after the cannulation.",  # "5 min after X" dates X, like "3 years after X"
    "After complete wound healing, he returned to work.",  # the cue times a recovery
])
def test_a_cue_that_times_a_result_names_no_cause(text):
    from extract.evidence.causes import rule_causes
    ct = prepare(make_doc([("case", text)]))
    rows, _ = rule_causes(ct, PROTO, "femoral hematoma", TreatmentFinder(PROTO))
    assert rows == {}
    # the same cue, undated, before an event names its cause; a recovery told beside it does not hide it
    ct = prepare(make_doc([("case", "A groin hematoma formed after cannulation of the femoral artery.")]))
    assert list(rule_causes(ct, PROTO, "groin hematoma", TreatmentFinder(PROTO))[0]) == ["cannulation"]
    ct = prepare(make_doc([("title", "Skin necrosis after debridement and healing by secondary intention"),
                           ("case", "A 40-year-old woman was seen.")]))
    assert list(rule_causes(ct, PROTO, "skin necrosis", TreatmentFinder(PROTO))[0]) == ["debridement"]


def test_a_report_that_states_a_cause_says_so_on_every_candidate():
    # "secondary to" / "X-induced" in a sentence about the case: the report states a cause somewhere
    stated = ("A 70-year-old man had a fall. His kidney injury was secondary to rhabdomyolysis. "
              "Statin-induced myopathy was suspected.")
    plain = "A 70-year-old man had a fall. His kidney injury was found on admission. Myopathy was suspected."
    finder = TreatmentFinder(PROTO)
    for text, want in ((stated, "report_cues=2"), (plain, "report_cues=0")):
        doc = make_doc([("case", text)])
        mentions = [_mention(doc.text, "fall", "Sign_symptom"), _mention(doc.text, "yopathy", "Disease_disorder")]
        cands = cause_candidates(prepare(doc), PROTO, "kidney injury", finder, mentions)
        assert cands and all(want in c.features for c in cands)


def test_an_administered_substance_keeps_its_whole_name():
    from extract.evidence.causes import cause_kind
    finder = TreatmentFinder(PROTO)
    assert cause_kind("intravenous administration of vitamin B1", PROTO, finder) == \
        ("drug", "intravenous administration of vitamin B1")
    assert cause_kind("occupational lead exposure", PROTO, finder) == ("drug", "occupational lead exposure")


def test_a_mutation_candidate_is_named_as_the_rules_name_it():
    text = ("A 12-year-old girl had ataxia and splenomegaly. Molecular analysis showed homozygous L444P "
            "mutations in the GBA gene. Gaucher disease type 3 was diagnosed.")
    ct = prepare(make_doc([("case", text)]))
    finder = TreatmentFinder(PROTO)
    names = {c.name for c in cause_candidates(ct, PROTO, "gaucher disease type 3", finder)}
    assert "homozygous l444p gba mutation" in names
    assert not any(n.startswith("homozygous l444p mutations") for n in names)  # no second name for it


def test_gene_alterations_without_the_word_mutation():
    found = _alterations("Sequencing showed c.482A > G (p.Tyr161Cys) and a QRS5 L212P change; "
                         "FISH found a (ZNF9)-KLM2 transcript and a TOR1 gene rearrangement; "
                         "a frameshift c.77dupT (p.L26PfsX4) of kinase homolog (KLM2) G13D.")
    assert [n for n, *_ in found] == ["c.482a>g", "p.tyr161cys", "qrs5 l212p", "znf9-klm2 transcript",
                                      "tor1 gene rearrangement", "c.77dupt", "p.l26pfsx4", "klm2 g13d"]
    # capitals and hyphens that are no gene change
    assert _alterations("A CT-guided biopsy; VV-ECMO was started; HER2 positive; type II diabetes; IgG4 levels.") == []


def test_an_alteration_is_a_candidate_once():
    text = ("A 40-year-old woman had a lung nodule. Testing found a QRS5 L212P mutation and a RAF2-LIM7 fusion. "
            "Adenocarcinoma of the lung was diagnosed.")
    ct = prepare(make_doc([("case", text)]))
    names = [c.name for c in cause_candidates(ct, PROTO, "adenocarcinoma of the lung", TreatmentFinder(PROTO))]
    assert "qrs5 l212p mutation" in names and "raf2-lim7 fusion" in names
    assert "qrs5 l212p" not in names  # inside the mutation the rules name


def test_a_name_carries_its_score_as_the_report_s_condition():
    # every condition candidate scores 0.5 under a flat model: bucket 2 of 5; a drug is none of them
    from extract.evidence.learned import LinearModel
    doc = make_doc([("case", CASE)])
    mentions = [_mention(doc.text, "atrial fibrillation", "Disease_disorder"),
                _mention(doc.text, "zorvastatin", "Medication"),
                _mention(doc.text, "left atrial thrombus", "Disease_disorder")]
    from extract.evidence.conditions import condition_scores
    ct = prepare(doc)
    scored = condition_scores(ct, mentions, PROTO, LinearModel("flat", 0.0, {}, 0.5))
    cands = {c.name: c.features for c in cause_candidates(ct, PROTO, "left atrial thrombus",
                                                          TreatmentFinder(PROTO), mentions, condition_scored=scored)}
    assert cands["atrial fibrillation"]["condition_score=2"] == 1.0
    assert not any(k.startswith("condition_score=") for k in cands["zorvastatin"])


def _tallies(bump_most2: int, reports: int = 12):
    """Out-of-fold counts of 12 reports in 2 repeats (6 folds): every setting (tp, fp, fn) =
    (1 + i % 3, 1, 1) for report i; at most 2 names per report finds `bump_most2` more causes
    in each of the first `reports`."""
    import numpy as np

    from extract.training.train_diagnosis import MOST, THRESHOLDS, VETO
    base = np.array([[1 + i % 3, 1, 1] for i in range(12)])
    t = np.broadcast_to(base, (2, len(MOST), len(VETO), len(THRESHOLDS), 12, 3)).copy()
    t[:, 1, :, :, :reports, 0] += bump_most2
    return t, np.zeros(12, dtype=bool), np.array([np.arange(12) % 6, (np.arange(12) + 1) % 6])


@pytest.mark.parametrize("bump, reports, most", [(0, 12, 1), (1, 1, 1), (8, 12, 2)])
def test_the_cause_setting_is_the_simplest_within_one_standard_error(bump, reports, most):
    from extract.training.train_diagnosis import choose_cause_setting
    setting, f1, se = choose_cause_setting(*_tallies(bump, reports))
    assert se > 0
    assert setting["max_per_report"] == most  # one more cause in one report: within noise; eight in each: not
    assert setting["veto_below"] == 0.0


def test_the_cause_threshold_is_the_best_of_a_plateau_not_a_lone_spike():
    from extract.training.train_diagnosis import THRESHOLDS, choose_cause_setting
    t, ruled, folds = _tallies(0)
    t[:, :, :, 3, :, 1] -= 1  # 0.25 alone: no false name
    t[:, :, :, 8:13, :, 0] += 1  # 0.5 - 0.7: one more cause each report
    setting, _, _ = choose_cause_setting(t, ruled, folds)
    assert setting["threshold"] in THRESHOLDS[9:12]  # inside the plateau (the highest of equal means)


def test_a_name_the_ner_reads_as_a_finding_says_so_with_the_share_of_its_mentions():
    """A sign, a lab value, an examination or a body part at most of a name's mentions is a
    finding of the condition; the share is over the name's mentions, not any one of them."""
    text = ("A 47-year-old woman with long-standing sarcoidosis came in with a cough. "
            "The cough worsened over a week and a chest film showed a pneumothorax. "
            "Her sarcoidosis had been quiet for years; the cough settled after drainage.")
    doc = make_doc([("case", text)])
    mentions = [_mention(doc.text, "sarcoidosis", "Disease_disorder"),
                _mention(doc.text, "sarcoidosis", "Disease_disorder", 1),
                _mention(doc.text, "cough", "Sign_symptom"),
                _mention(doc.text, "cough", "Sign_symptom", 1),
                _mention(doc.text, "cough", "Disease_disorder", 2),  # one reading of three as a disease
                _mention(doc.text, "chest film", "Diagnostic_procedure")]
    cands = {c.name: c.features for c in cause_candidates(prepare(doc), PROTO, "pneumothorax",
                                                          TreatmentFinder(PROTO), mentions)}
    assert cands["cough"]["finding_share=1"] == 1.0  # 2 of 3 mentions: rounded to the middle bin
    assert cands["cough"]["ent=Sign_symptom"] == 1.0
    assert cands["sarcoidosis"]["finding_share=0"] == 1.0
    assert not any(k.startswith("ent=") for k in cands["sarcoidosis"])
    # a label that names no finding (a drug, a disease) is not one
    assert "ent=Disease_disorder" not in cands["cough"]


def test_the_name_the_case_repeats_most_is_marked_against_the_others():
    """`count_rel` bins a name's mentions against the report's most repeated name (a count
    means more in a short report than in a long one)."""
    text = ("A 30-year-old man on isotretinoin presented with headache. The headache was daily. "
            "MRI for the headache was normal; the headache and papilledema eased once isotretinoin was stopped. "
            "A headache diary was kept.")
    doc = make_doc([("case", text)])
    mentions = [_mention(doc.text, "isotretinoin", "Medication"),
                _mention(doc.text, "isotretinoin", "Medication", 1)] + \
               [_mention(doc.text, "headache", "Sign_symptom", i) for i in range(5)]
    cands = {c.name: c.features for c in cause_candidates(prepare(doc), PROTO, "papilledema",
                                                          TreatmentFinder(PROTO), mentions)}
    assert cands["headache"]["count_rel=2"] == 1.0  # the most repeated name
    assert cands["isotretinoin"]["count_rel=1"] == 1.0  # 2 of 5: int(3 * 2 / 5) = 1
    assert sum(k.startswith("count_rel=") for k in cands["isotretinoin"]) == 1


GANGRENE = ("A 52-year-old farmer had a crush injury of his right foot under a tractor wheel. "
            "Three days later the foot was swollen and crepitant, and gas gangrene was diagnosed. "
            "The wound tissue grew Clostridium perfringens. The foot was amputated.")


@pytest.mark.parametrize("threshold, ruled, found", [
    (0.6, False, ["clostridium perfringens", "crush injury"]),  # the organism beside the best name
    (0.8, False, ["crush injury"]),  # an organism the model does not accept stays out
    (0.6, True, ["crush injury"]),  # where the rules found a cause, the model adds nothing
])
def test_the_model_adds_its_best_organism_beside_its_best_name(threshold, ruled, found):
    """An infection's agent is a cause beside the injury or exposure that let it in: the
    model's best organism is taken with its `max_per_report` best names when it scores
    above the threshold too."""
    from extract.evidence.causes import learned_causes
    from extract.evidence.learned import LinearModel
    model = LinearModel("toy", 0.0, {"src=ner_disease": 2.0, "src=organism_like": 1.0, "src=ner_symptom": -3.0},
                        threshold=threshold, meta={"max_per_report": 1})
    doc = make_doc([("case", GANGRENE)])
    mentions = [_mention(doc.text, "crush injury", "Disease_disorder"), _mention(doc.text, "swollen", "Sign_symptom")]
    at = doc.text.index("crush injury")
    rows = {"crush injury": {"cause": "crush injury", "cause_kind": "injury", "char_start": at,
                             "char_end": at + len("crush injury")}} if ruled else {}
    out = learned_causes(prepare(doc), PROTO, "gas gangrene", TreatmentFinder(PROTO), mentions, rows, model=model)
    assert sorted(out) == found


def test_the_cross_validation_counts_the_organism_as_the_model_adds_it():
    """`_report_tallies` takes the best organism beside the `most` best names at each
    threshold, unless it restates a name already taken."""
    from extract.training.train_diagnosis import MOST, THRESHOLDS, _report_tallies
    report = {"rules": set(), "vetoable": set(), "gold": [{"crush injury"}, {"clostridium perfringens"}]}
    scored = [(0.9, "crush injury", False), (0.7, "clostridium perfringens", True), (0.5, "swelling", False)]
    t = _report_tallies(report, scored, {})[MOST.index(1), 0]
    assert list(t[THRESHOLDS.index(0.6)]) == [2, 0, 0]  # both causes: the organism beside the one name
    assert list(t[THRESHOLDS.index(0.8)]) == [1, 0, 1]  # the organism under the threshold stays out
    assert list(t[THRESHOLDS.index(0.4)]) == [2, 0, 0]  # one name and the organism, not the third candidate
    again = [(0.9, "clostridium perfringens", True), (0.8, "perfringens", True), (0.7, "crush injury", False)]
    assert list(_report_tallies(report, again, {})[MOST.index(1), 0, THRESHOLDS.index(0.6)]) == [1, 0, 1]


def test_a_capitalised_pair_that_starts_a_sentence_does_not_look_like_an_organism():
    """A binomial inside a sentence has the shape of an organism's name; a sentence's first
    word is capitalised anyway, so a pair that starts one ("Hepatic failure followed") has not."""
    text = ("A 70-year-old man on long-term amiodarone was admitted confused. "
            "Hepatic failure followed within a week. The blood grew Klebsiella pneumoniae on day two. "
            "E. coli was found in his urine.")
    doc = make_doc([("case", text)])
    cands = {c.name: c.features for c in cause_candidates(prepare(doc), PROTO, "encephalopathy",
                                                          TreatmentFinder(PROTO), [])}
    assert cands["klebsiella pneumoniae"]["src=organism_like"] == 1.0
    assert "e. coli" in cands  # an abbreviated genus keeps its shape at the start of a sentence
    assert "hepatic failure" not in cands
