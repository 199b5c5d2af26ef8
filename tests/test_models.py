"""The shipped spaCy pipelines load with plain ``spacy.load`` and find what they should.

Sentences are written for these tests (not taken from any corpus).  Each check asks for
an entity the model is very likely to get; a broken or mislabelled model fails them.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from conftest import sample_pdfs
from extract import read_pdf

MODELS = Path(__file__).resolve().parents[1] / "models"


def _load(name: str, how: str | None = None):
    path = MODELS / name
    if not (path / "config.cfg").exists():
        pytest.skip(f"models/{name} not built ({how or f'python -m extract.training.train_ner {name}'})")
    return spacy.load(path)


@pytest.fixture(scope="module")
def chem_disease():
    return _load("chem_disease")


@pytest.fixture(scope="module")
def clinical():
    return _load("clinical")


@pytest.fixture(scope="module")
def parser():
    return _load("biomed_parser")


def _ents(doc) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in doc.ents}


def test_chem_disease_labels(chem_disease):
    assert set(chem_disease.get_pipe("ner").labels) == {"CHEMICAL", "DISEASE"}


@pytest.mark.parametrize("text, expected", [
    ("Treatment with cisplatin caused severe nephrotoxicity in two of the patients.",
     {("cisplatin", "CHEMICAL"), ("nephrotoxicity", "DISEASE")}),
    ("Patients with rheumatoid arthritis received methotrexate weekly.",
     {("rheumatoid arthritis", "DISEASE"), ("methotrexate", "CHEMICAL")}),
    ("Intravenous sodium thiosulfate was given for calciphylaxis.",
     {("sodium thiosulfate", "CHEMICAL")}),
])
def test_chem_disease_finds_entities(chem_disease, text, expected):
    assert expected <= _ents(chem_disease(text))


def test_chem_disease_leaves_plain_words(chem_disease):
    doc = chem_disease("The authors thank the staff of the outpatient clinic for their help.")
    assert not [e for e in doc.ents if e.label_ == "CHEMICAL"]


def test_clinical_labels(clinical):
    labels = set(clinical.get_pipe("ner").labels)
    assert {"Age", "Sex", "Sign_symptom", "Disease_disorder", "Medication",
            "Diagnostic_procedure", "Therapeutic_procedure", "Lab_value"} <= labels


def test_clinical_finds_entities(clinical):
    doc = clinical("A 54-year-old woman presented with fever and abdominal pain. "
                   "A computed tomography scan showed a mass in the liver.")
    found = _ents(doc)
    assert ("54-year-old", "Age") in found
    assert ("woman", "Sex") in found
    assert ("fever", "Sign_symptom") in found
    labels = {label for _, label in found}
    assert "Diagnostic_procedure" in labels


@pytest.mark.parametrize("name", ["clinical", "chem_disease"])
def test_run_time_ops_give_the_same_entities(name):
    """The run loads the NER models with numpy's matrix products instead of blis (faster);
    over the sample corpus' prose the entities must be identical."""
    from extract.nlp.pipeline import PROSE_KINDS, _load_model
    texts = [s.text for p in sample_pdfs() for s in read_pdf(p).sections if s.kind in PROSE_KINDS]
    default, fast = _load(name), _load_model(name)
    assert fast.get_pipe("tok2vec").model.ops.use_blis is False

    def ents(nlp):
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(texts)]
    found = ents(default)
    assert sum(map(len, found)) > 300  # a comparison over hundreds of entities
    assert ents(fast) == found


def test_run_time_tokenizers_are_the_saved_ones(clinical):
    """The run reads tokenizer rules once (the heads' are read only if a head is called on
    text): the run's tokenizer and a head's own, when used, split the sample prose exactly
    as the saved pipeline does, with the same rules."""
    from extract.nlp.pipeline import PROSE_KINDS, _load_model, build_nlp
    from extract.nlp.tokenizers import LazyTokenizer
    texts = [s.text for p in sample_pdfs() for s in read_pdf(p).sections if s.kind in PROSE_KINDS]
    head = _load_model("clinical")
    assert isinstance(head.tokenizer, LazyTokenizer)
    nlp = build_nlp(models=["clinical"], protocol=None)

    def split(tok):
        return [[(t.text, t.whitespace_) for t in tok(x)] for x in texts]
    saved = split(clinical.tokenizer)
    assert sum(map(len, saved)) > 3000
    assert split(nlp.tokenizer) == saved
    assert split(head.tokenizer) == saved
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == clinical.tokenizer.to_bytes(exclude=["vocab"])
    assert head.tokenizer.to_bytes(exclude=["vocab"]) == clinical.tokenizer.to_bytes(exclude=["vocab"])


def test_parser_tags_parses_and_lemmatizes(parser):
    doc = parser("The patient was treated with oral prednisone. The lesions resolved after two weeks.")
    sents = list(doc.sents)
    assert len(sents) == 2
    roots = [s.root.text for s in sents]
    assert roots == ["treated", "resolved"]
    tok = {t.text: t for t in doc}
    assert tok["lesions"].lemma_ == "lesion"
    assert tok["lesions"].tag_ == "NNS" and tok["lesions"].pos_ == "NOUN"
    assert tok["prednisone"].head.text in {"with", "treated"}


def test_propagate_labels_abbreviation_and_repeats():
    from spacy.tokens import Span

    from extract.nlp.propagation import propagate

    nlp = spacy.blank("en")
    doc = nlp("Topical sodium thiosulfate (STS) helped. Later STS and sodium thiosulfate were stopped.")
    doc.ents = [Span(doc, 1, 3, label="CHEMICAL")]
    propagate(doc)
    found = [(e.text, e.start_char) for e in doc.ents]
    assert [t for t, _ in found] == ["sodium thiosulfate", "STS", "STS", "sodium thiosulfate"]
    assert all(e.label_ == "CHEMICAL" for e in doc.ents)


def test_propagate_ignores_case_except_in_abbreviations():
    from spacy.tokens import Span

    from extract.nlp.propagation import propagate

    nlp = spacy.blank("en")
    doc = nlp("Ciclosporin was started; later ciclosporin was tapered. MMF was added, and mmf fell.")
    doc.ents = [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, 9, 10, label="CHEMICAL")]
    assert [e.text for e in propagate(doc).ents] == ["Ciclosporin", "ciclosporin", "MMF"]


def test_propagate_keeps_existing_entities():
    from spacy.tokens import Span

    from extract.nlp.propagation import propagate

    nlp = spacy.blank("en")
    doc = nlp("Aspirin was given. Aspirin allergy was ruled out.")
    doc.ents = [Span(doc, 0, 1, label="CHEMICAL"), Span(doc, 4, 6, label="DISEASE")]
    propagate(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Aspirin", "CHEMICAL"), ("Aspirin allergy", "DISEASE")]


def test_run_time_head_propagates_when_its_meta_says_so():
    """chem_disease ships with `"casemine": {"propagate": true}`: a repeat its CNN misses
    (here after a semicolon, in lower case) is labelled like the first mention; the flag
    off, it is not."""
    from extract.nlp.pipeline import NerHead, build_nlp

    nlp = build_nlp(models=["chem_disease"])
    head = next(p for _, p in nlp.pipeline if isinstance(p, NerHead))
    text = ("Ciclosporin was added at 4 mg/kg/day in two divided doses. Prednisolone gave a partial "
            "response and caused hyperglycaemia; ciclosporin 4 mg/kg/day was added, and the ulcer healed.")
    repeat = ("ciclosporin", text.index("ciclosporin"))
    assert head.propagate
    assert repeat in [(s.text, s.start_char) for s in nlp(text).spans[head.key] if s.label_ == "CHEMICAL"]
    head.propagate = False
    try:
        assert repeat not in [(s.text, s.start_char) for s in nlp(text).spans[head.key]]
    finally:
        head.propagate = True


# ---- corpus converters (synthetic inputs written here) --------------------------------
def test_pubtator_reader_joins_title_and_abstract(tmp_path):
    from extract.training.convert import read_pubtator

    title, abstract = "Lithium and tremor.", "A woman on lithium developed tremor."
    start = len(title) + 1 + abstract.index("tremor")
    src = tmp_path / "x.txt"
    src.write_text(f"42|t|{title}\n42|a|{abstract}\n42\t0\t7\tLithium\tChemical\tD1\n"
                   f"42\t{start}\t{start + 6}\ttremor\tDisease\tD2\n\n", encoding="utf-8")
    (doc,) = read_pubtator(src, {"Chemical": "CHEMICAL", "Disease": "DISEASE"})
    assert [doc.text[s:e] for s, e, _ in doc.spans] == ["Lithium", "tremor"]
    assert [label for *_, label in doc.spans] == ["CHEMICAL", "DISEASE"]


def test_brat_reader_keeps_outermost_span(tmp_path):
    from extract.training.convert import read_brat, to_doc
    from extract.training.tokenization import make_nlp

    text = "She had a previously healthy heart and mild chest pain."
    (tmp_path / "1.txt").write_text(text, encoding="utf-8")
    hist = (text.index("previously"), text.index(" heart"))
    sign = (text.index("healthy"), text.index(" heart"))
    pain = (text.index("mild"), text.index("."))
    (tmp_path / "1.ann").write_text(
        f"T1\tHistory {hist[0]} {hist[1]}\tx\nT2\tSign_symptom {sign[0]} {sign[1]}\tx\n"
        f"T3\tSign_symptom {pain[0]} {pain[0] + 4};{pain[1] - 10} {pain[1]}\tx\n"
        f"T4\tColor 0 3\tx\n", encoding="utf-8")
    (rec,) = read_brat(tmp_path, ("History", "Sign_symptom"))
    assert len(rec.spans) == 3  # Color is not a kept type
    doc, dropped = to_doc(make_nlp(), rec)
    assert dropped == 1
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("previously healthy", "History"), ("mild chest pain", "Sign_symptom")]


def test_genia_ud1_labels_become_ud2():
    from extract.training.convert import ud1_to_ud2

    rows = [["1", "Cells", "cell", "NNS", "NNS", "_", "2", "nsubjpass", "_", "_"],
            ["2", "treated", "treat", "VBN", "VBN", "_", "0", "root", "_", "_"],
            ["3", "with", "with", "IN", "IN", "_", "4", "case", "_", "_"],
            ["4", "drug", "drug", "NN", "NN", "_", "2", "nmod", "_", "_"],
            ["5", "dose", "dose", "NN", "NN", "_", "4", "nmod", "_", "_"]]
    assert [r[7] for r in ud1_to_ud2(rows)] == ["nsubj:pass", "root", "case", "obl", "nmod"]


def test_ner_benchmark_never_scores_chem_disease_on_sets_it_was_trained_on(tmp_path, monkeypatch):
    """benchmarks/ner.py scores the shipped model only when its meta says it saw the train
    parts alone; one trained on train + dev is replaced by the evaluated variant, or refused."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import ner as bench

    shipped = tmp_path / "chem_disease"
    shipped.mkdir()
    meta = {"name": "chem_disease", "casemine": {"trained_on": "cd_train"}}
    (shipped / "meta.json").write_text(json.dumps(meta))
    assert bench.held_out_chem_disease(shipped) == shipped
    meta["casemine"]["trained_on"] = "cd_all"
    (shipped / "meta.json").write_text(json.dumps(meta))
    monkeypatch.setattr(bench, "EVALUATED_CHEM_DISEASE", tmp_path / "absent")
    with pytest.raises(SystemExit, match="trained on BC5CDR dev"):
        bench.held_out_chem_disease(shipped)
    evaluated = tmp_path / "evaluated"
    evaluated.mkdir()
    (evaluated / "meta.json").write_text("{}")
    monkeypatch.setattr(bench, "EVALUATED_CHEM_DISEASE", evaluated)
    assert bench.held_out_chem_disease(shipped) == evaluated


def test_crossfit_models_never_see_the_locked_fold(monkeypatch, tmp_path):
    """`train_ner clinical-crossfit`: one model per MACCROBAT fold 1-4, trained on the other
    three of them (fold 0, the locked test, in none), each kept apart under build/."""
    from extract.training import train_ner
    calls = []
    monkeypatch.setattr(train_ner, "CROSSFIT_DIR", tmp_path)
    monkeypatch.setattr(train_ner, "run", lambda name, **kw: calls.append((name, kw)) or kw["out"] / "model-last")
    kept = train_ner.clinical_crossfit()
    assert [kw["train_on"] for _, kw in calls] == ["mac_fit1", "mac_fit2", "mac_fit3", "mac_fit4"]
    assert [kw["dev"] for _, kw in calls] == ["mac_fold1", "mac_fold2", "mac_fold3", "mac_fold4"]
    assert kept == [train_ner.crossfit_model(k) for k in (1, 2, 3, 4)] and len(set(kept)) == 4


@pytest.fixture(scope="module")
def treatment_tagger():
    return _load("treatment_tagger", "python -m extract.training.train_tagger")


def test_treatment_tagger_labels_drugs_and_procedures(treatment_tagger):
    """The shipped CRF tagger: a fixed input gives the same spans on every load."""
    doc = treatment_tagger("The patient was treated with intravenous ceftriaxone and underwent laparoscopic "
                           "cholecystectomy. Oxygen therapy was started.")
    assert _ents(doc) == {("ceftriaxone", "Medication"), ("cholecystectomy", "Therapeutic_procedure"),
                          ("Oxygen therapy", "Therapeutic_procedure")}
    assert not treatment_tagger("Her blood pressure was normal on admission.").ents


def test_treatment_tagger_trains_saves_and_loads(tmp_path, monkeypatch):
    """Training writes a pipeline that spacy.load reopens and that tags as it was taught; each
    sentence-like run (cut at newlines and full stops) is tagged on its own."""
    from extract.training import train_tagger
    from extract.training.convert import Annotated
    if not (MODELS / "clinical" / "config.cfg").exists():
        pytest.skip("models/clinical not built: the tagger takes its static vectors")
    texts = ["He was given zorvamab for the rash.", "Zorvamab was stopped.\nShe underwent a flapectomy.",
             "The rash faded after zorvamab.", "A flapectomy was done."] * 3
    records = []
    for i, t in enumerate(texts):
        spans = [(m.start(), m.end(), "Medication") for m in re.finditer(r"[Zz]orvamab", t)]
        spans += [(m.start(), m.end(), "Therapeutic_procedure") for m in re.finditer("flapectomy", t)]
        records.append(Annotated(str(i), t, spans))
    monkeypatch.setattr(train_tagger, "GRANULARITIES", (2,))
    nlp = train_tagger.train(records, tmp_path / "tagger")
    doc = nlp("The team gave zorvamab and planned a flapectomy.")
    assert _ents(doc) == {("zorvamab", "Medication"), ("flapectomy", "Therapeutic_procedure")}
    again = spacy.load(tmp_path / "tagger")
    assert _ents(again("The team gave zorvamab and planned a flapectomy.")) == _ents(doc)
