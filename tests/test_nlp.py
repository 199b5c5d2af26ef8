"""The run-time NER pipeline and the `mentions` stage.

All sentences are written for these tests. Most tests run on a small plug-in pipeline (a
blank English pipeline with an entity ruler, saved to a temporary folder and loaded by
path), so they check our components, not the accuracy of the shipped models; the tests
of the shipped models skip when `models/clinical` or `models/chem_disease` is absent.
"""
from __future__ import annotations

import logging

import pytest
import spacy

from extract.nlp import pipeline as nlpmod
from extract.nlp.pipeline import (UnknownModel, build_nlp, document_mentions, protocol_terms, scope_of,
                         section_doc)

PROTOCOL = {
    "condition": "calcinosis cutis", "synonyms": ["cutaneous calcinosis"],
    "subtypes": [{"name": "iatrogenic calcinosis cutis", "synonyms": ["iatrogenic calcinosis"]},
                 {"name": "calciphylaxis", "synonyms": ["CUA"]}],
    "treatments": [{"name": "microneedling with radiofrequency", "kind": "procedure"},
                   {"name": "sodium thiosulfate", "kind": "drug"}],
}
RULER_TERMS = ["abscesses", "surgical removal", "biopsy", "nodules", "diabetes", "excision", "fever",
               "rash", "skin lesions", "lesions", "calcium gluconate"]


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory):
    """A user's own pipeline: blank English + an entity ruler, saved to disk."""
    path = tmp_path_factory.mktemp("plugin") / "toy_ner"
    p = spacy.blank("en")
    ruler = p.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([{"label": "FINDING", "pattern": t} for t in RULER_TERMS])
    p.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def toy(plugin_dir):
    return build_nlp(models=[plugin_dir], protocol=PROTOCOL)


from conftest import make_doc  # noqa: E402


def _flags(doc, text):
    ent = next(e for e in doc.ents if e.text.lower() == text.lower())
    return {k for k in ("negated", "hypothetical", "historical", "family", "uncertain")
            if getattr(ent._, f"is_{k}")}


# -- tokenization and sentences -------------------------------------------------------------

def test_marker_forces_token_boundaries(toy):
    text = "Biopsy showed calcium deposits.2 Calcinosis was confirmed."
    at = text.index("2 Calc")
    plain = [t.text for t in toy.make_doc(text)]
    forced = section_doc(toy, text, [(at, at + 1)])
    words = [t.text for t in forced]
    assert "deposits.2" in plain  # the tokenizer alone keeps them together
    assert words[words.index("deposits"):words.index("deposits") + 3] == ["deposits", ".", "2"]
    assert forced.text == text
    sents = [s.text for s in toy(forced).sents]
    assert sents == ["Biopsy showed calcium deposits.2", "Calcinosis was confirmed."]


def test_sentences_survive_abbreviations(toy):
    doc = toy("Reiter et al. gave 2 g i.v. daily (Fig. 2) to a boy. The rash faded.")
    assert [s.text for s in doc.sents] == ["Reiter et al. gave 2 g i.v. daily (Fig. 2) to a boy.",
                                          "The rash faded."]


def test_a_decimal_before_a_capitalised_unit_ends_no_sentence(toy):
    # without superscript markers (text or JATS input) "0.2 Giga/L" is a value, not "0." + citation 2
    doc = toy("Her white cells fell (0.2\u2009Giga/L), so filgrastim was given. She recovered.")
    assert [s.text for s in doc.sents] == [
        "Her white cells fell (0.2\u2009Giga/L), so filgrastim was given.", "She recovered."]


# -- abbreviations --------------------------------------------------------------------------

def test_abbreviation_takes_long_form_label_and_norm(toy):
    doc = toy("She was treated with microneedling with radiofrequency (MNRF). "
              "After two MNRF sessions the nodules softened.")
    mnrf = [e for e in doc.ents if e.text == "MNRF"]
    assert len(mnrf) == 2
    assert {(e.label_, e.id_) for e in mnrf} == {("TREATMENT", "microneedling with radiofrequency")}


def test_abbreviation_defined_in_another_section(plugin_dir):
    doc = make_doc([("abstract", "Microneedling with radiofrequency (MNRF) softened the nodules."),
                     ("case", "She had four MNRF sessions in total.")])
    rows = document_mentions(doc, models=[plugin_dir], protocol=PROTOCOL)
    case = [r for r in rows if r["section"] == "case" and r["text"] == "MNRF"]
    assert case and case[0]["norm"] == "microneedling with radiofrequency"
    assert case[0]["label"] == "TREATMENT"
    assert doc.text[case[0]["char_start"]:case[0]["char_end"]] == "MNRF"


def test_protocol_abbreviation_is_case_sensitive(toy):
    doc = toy("CUA was confirmed. Cua is not the same word.")
    cua = [(e.text, e.label_, e.id_) for e in doc.ents if e.text.lower() == "cua"]
    assert cua == [("CUA", "SUBTYPE", "calciphylaxis")]


# -- ConText ---------------------------------------------------------------------------------

def test_context_negation(toy):
    assert _flags(toy("Ultrasound showed no evidence of abscesses."), "abscesses") == {"negated"}


def test_declined_treatment_is_hypothetical_not_negated(toy):
    # offered and refused: not done, but not "absent" either (the evidence tables say declined)
    assert _flags(toy("She declined surgical removal of the nodules."), "surgical removal") == {"hypothetical"}
    assert _flags(toy("A biopsy was recommended but the patient declined."), "biopsy") == {"hypothetical"}


def test_context_scope_ends_at_new_clause(toy):
    doc = toy("Sodium thiosulfate was recommended but declined, and the nodules were unchanged.")
    assert _flags(doc, "sodium thiosulfate") == {"hypothetical"}
    assert _flags(doc, "nodules") == set()


def test_context_family_and_history(toy):
    assert _flags(toy("Her mother had diabetes."), "diabetes") == {"family"}
    assert _flags(toy("He had a history of diabetes."), "diabetes") == {"historical"}
    assert _flags(toy("The fever settled within a day."), "fever") == set()


CONTEXT_SENTENCES = [
    "Ultrasound showed no evidence of abscesses, and the rash was not present.",
    "There was no fever; she denies any rash but reports skin lesions.",
    "The patient declined excision, which was recommended by the surgeon.",
    "He was previously treated for diabetes and has a family history of nodules.",
    "Biopsy to rule out calcinosis cutis was planned; fever is possible if lesions recur.",
    "Her father had diabetes, whereas his mother was treated with calcium gluconate.",
    "No new nodules; surgical removal could be considered, and the lesions resolved.",
    "If fever develops, she is a candidate for excision of the remaining abscesses.",
]


def test_context_rules_as_phrases_find_medspacys_matches(toy):
    from extract.nlp.context import PhraseRules, phrases

    assert phrases([{"LOWER": {"IN": ["no", "not"]}}, {"LOWER": "further", "OP": "?"}]) == [
        ("no",), ("not",), ("no", "further"), ("not", "further")]
    assert phrases([{"LOWER": "Capital"}]) is None and phrases([{"LOWER": "x", "OP": "+"}]) is None
    assert phrases([{"ORTH": {"IN": [",", ";"]}}]) == [(",",), (";",)]
    assert phrases([{"ORTH": "No"}]) is None and phrases([{"POS": "NOUN"}]) is None
    context = toy.get_pipe(nlpmod.CONTEXT)
    mine = context._ConText__matcher
    assert isinstance(mine, PhraseRules)
    docs = list(toy.pipe(CONTEXT_SENTENCES, disable=[nlpmod.CONTEXT]))
    assert [mine(d) for d in docs] == [mine.inner(d) for d in docs]  # medspaCy's own matcher
    assert sum(len(mine(d)) for d in docs) >= len(docs)

    def flags(matcher):
        context._ConText__matcher = matcher
        try:
            return [[(e.start, e.end, {k for k in ("negated", "hypothetical", "historical", "family", "uncertain")
                                       if getattr(e._, f"is_{k}")}) for e in d.ents]
                    for d in toy.pipe(CONTEXT_SENTENCES)]
        finally:
            context._ConText__matcher = mine

    ours = flags(mine)
    assert ours == flags(mine.inner) and any(f for d in ours for _, _, f in d)


# -- merging ---------------------------------------------------------------------------------

def test_merge_priority_then_length(toy):
    merge = toy.get_pipe("casemine_merge_ents")
    keys = merge.keys  # protocol first, then the models in the order given
    assert keys[0] == "protocol"
    doc = toy.make_doc("The skin lesions of iatrogenic calcinosis cutis healed.")
    doc.spans[keys[1]] = [spacy.tokens.Span(doc, 1, 3, "FINDING"), spacy.tokens.Span(doc, 2, 3, "X"),
                          spacy.tokens.Span(doc, 4, 7, "DISEASE")]
    doc.spans["protocol"] = [spacy.tokens.Span(doc, 5, 7, "SUBTYPE")]
    merge(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("skin lesions", "FINDING"),
                                                      ("calcinosis cutis", "SUBTYPE")]


def test_mentions_never_overlap_and_point_into_text(plugin_dir):
    doc = make_doc([("case", "Skin lesions and nodules of iatrogenic calcinosis cutis after calcium "
                              "gluconate; sodium thiosulfate was given.")])
    rows = document_mentions(doc, models=[plugin_dir], protocol=PROTOCOL)
    spans = sorted((r["char_start"], r["char_end"]) for r in rows)
    assert len(spans) >= 5
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert all(doc.text[r["char_start"]:r["char_end"]] == r["text"] for r in rows)


def _long_case(paragraphs: int) -> str:
    """A case section of `paragraphs` paragraphs of ~900 characters, in sentences written here."""
    paras = []
    for i in range(paragraphs):
        paras.append(" ".join(f"On day {i * 9 + k} the {('skin lesions', 'nodules', 'abscesses')[k % 3]} "
                              f"{('were unchanged', 'had not grown', 'had softened')[(i + k) % 3]} and "
                              f"{('CG was stopped', 'no fever was recorded', 'a biopsy was taken')[k % 3]}."
                              for k in range(14)))
    paras.append("After excision of the last nodule the rash resolved.3 She remains well.")
    return "\n\n".join(paras)


def test_a_long_section_is_parsed_in_bounded_pieces_with_the_same_mentions(plugin_dir, monkeypatch):
    """A section the length of a long document reaches the models in pieces of at most
    CHUNK_CHARS characters, at most PIPE_CHARS at a time (their activations grow with what
    they are given at once), and the mentions are those of one whole-section Doc: same
    offsets, sentences, and an abbreviation defined in the abstract linked in the last piece."""
    parts = [("abstract", "Calcium gluconate (CG) leaked into the skin."), ("case", _long_case(150))]
    seen = []
    pipe = nlpmod.NerHead.pipe

    def spy(self, docs, **kw):
        docs = list(docs)
        seen.append([len(d.text) for d in docs])
        return pipe(self, docs, **kw)

    monkeypatch.setattr(nlpmod.NerHead, "pipe", spy)
    rows = document_mentions(make_doc(parts, [("3", "rash resolved.")]), models=[plugin_dir], protocol=PROTOCOL)
    assert len(parts[1][1]) > 2 * nlpmod.PIPE_CHARS
    assert max(n for call in seen for n in call) <= nlpmod.CHUNK_CHARS
    assert max(sum(call) for call in seen) <= nlpmod.PIPE_CHARS
    last = [r for r in rows if r["text"] == "CG"][-1]
    assert last["char_start"] > len(parts[1][1]) - nlpmod.CHUNK_CHARS
    assert (last["label"], last["norm"]) == ("FINDING", "Calcium gluconate")

    monkeypatch.setattr(nlpmod, "CHUNK_CHARS", 10 ** 9)
    monkeypatch.setattr(nlpmod, "PIPE_CHARS", 10 ** 9)
    whole = document_mentions(make_doc(parts, [("3", "rash resolved.")]), models=[plugin_dir], protocol=PROTOCOL)
    assert max(len(call) for call in seen[-2:]) == 2  # one Doc per section, as before
    assert rows == whole


# -- scope -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,kind,cited,scope", [
    ("The nodules were excised under local anaesthesia.", "case", False, "case"),
    ("Calcinosis cutis is classified into five subtypes.", "case", True, "literature"),
    ("She was given sodium thiosulfate as described previously.", "case", True, "case"),
    ("Sodium thiosulfate is the most used agent.", "discussion", True, "literature"),
    ("Sodium thiosulfate is the most used agent.", "introduction", False, "literature"),
    ("Our patient responded within two weeks.", "discussion", True, "case"),
    ("Reiter et al. treated six children with excision.", "discussion", False, "literature"),
    ("At follow-up the lesions had resolved.", "discussion", False, "case"),
    ("A 54-year-old woman presented with painful nodules.", "abstract", False, "case"),
])
def test_scope_of(sentence, kind, cited, scope):
    assert scope_of(kind, sentence, cited) == scope


def test_scope_from_citation_markers(plugin_dir):
    doc = make_doc(
        [("introduction", "Sodium thiosulfate dissolves calcium deposits.3 It is well tolerated."),
         ("case", "Sodium thiosulfate was injected into the nodules.")],
        markers=[("3", "deposits.")])
    rows = {(r["section"], r["sentence"][:20]): r["scope"]
            for r in document_mentions(doc, models=[plugin_dir], protocol=PROTOCOL)}
    assert rows[("introduction", "Sodium thiosulfate d")] == "literature"
    assert rows[("case", "Sodium thiosulfate w")] == "case"


# -- plug-in models ----------------------------------------------------------------------------

def test_plugin_model_by_path(plugin_dir, toy):
    assert f"ner_{plugin_dir.rsplit('/', 1)[-1]}" in toy.pipe_names
    assert ("nodules", "FINDING") in {(e.text, e.label_) for e in toy("Two nodules.").ents}


def test_unknown_model_raises_clear_error():
    with pytest.raises(UnknownModel, match="no spaCy pipeline 'en_no_such_model'"):
        build_nlp(models=["en_no_such_model"])


def test_missing_or_broken_shipped_model_builds_ruler_only(tmp_path, monkeypatch, caplog):
    (tmp_path / "chem_disease").mkdir()
    (tmp_path / "chem_disease" / "config.cfg").write_text("[nlp\nnot a config")
    monkeypatch.setattr(nlpmod, "MODELS_DIR", tmp_path)
    nlpmod._load_model.cache_clear()
    nlpmod._build.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="extract.nlp.pipeline"):
            nlp = build_nlp(protocol=PROTOCOL)
        assert "shipped model clinical is missing" in caplog.text
        assert "shipped model chem_disease is broken" in caplog.text
        assert not [n for n in nlp.pipe_names if n.startswith("ner_")]
        ents = {(e.text, e.label_) for e in nlp("Sodium thiosulfate was given.").ents}
        assert ents == {("Sodium thiosulfate", "TREATMENT")}
    finally:
        nlpmod._load_model.cache_clear()
        nlpmod._build.cache_clear()


def test_build_is_cached(plugin_dir):
    first = build_nlp(models=[plugin_dir], protocol=PROTOCOL)
    assert build_nlp(models=[plugin_dir], protocol=dict(PROTOCOL)) is first
    assert build_nlp(models=[plugin_dir], protocol=None) is not first


def test_protocol_terms_from_yaml_file(tmp_path):
    path = tmp_path / "topic.yaml"
    path.write_text("condition: pyoderma gangrenosum\nsynonyms: [PG]\n"
                    "treatments:\n  - {name: ciclosporin, kind: drug, synonyms: [cyclosporine]}\n")
    terms = protocol_terms(path)
    assert ("CONDITION", "pyoderma gangrenosum", "PG") in terms
    assert ("TREATMENT", "ciclosporin", "cyclosporine") in terms


# -- the shipped pipelines ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    missing = [m for m in nlpmod.SHIPPED if not (nlpmod.MODELS_DIR / m / "config.cfg").exists()]
    if missing:
        pytest.skip(f"shipped model(s) {', '.join(missing)} absent (python -m extract.training.train_ner)")
    return build_nlp(protocol=PROTOCOL)


def test_shipped_heads_are_merged(shipped):
    assert [n for n in shipped.pipe_names if n.startswith("ner_")] == ["ner_clinical", "ner_chem_disease",
                                                                       "ner_treatment_tagger"]
    doc = shipped("A 61-year-old man with chronic kidney disease was treated with sodium thiosulfate.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("sodium thiosulfate") == "TREATMENT"  # the protocol ruler wins
    assert any("kidney disease" in t for t in labels)
    ends = [(e.start, e.end) for e in doc.ents]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))


def test_shipped_context_negation(shipped):
    doc = shipped("Ultrasound showed no evidence of abscesses.")
    assert any(e.text == "abscesses" and e._.is_negated for e in doc.ents)


def test_kept_floret_vectors_are_spacys_own(shipped):
    """Each head's floret table keeps a word's vector once found; what it hands the models
    is what spaCy's own table computes (values, dtype, layout), whatever else is asked with it."""
    import numpy as np
    from spacy.vectors import Vectors

    from extract.nlp.vectors import KeptFloret

    heads = [shipped.get_pipe(n).model for n in shipped.pipe_names if n.startswith("ner_")]
    assert all(isinstance(h.vocab.vectors, KeptFloret) for h in heads)
    kept = heads[0].vocab.vectors
    plain = Vectors(strings=heads[0].vocab.strings)
    plain.from_bytes(kept.to_bytes())
    batches = [["the", "calcinosis", "the", "thiosulfate"], ["calcinosis", "", "nodules", "calcinosis"],
               [""], ["Calcinosis"], [heads[0].vocab.strings.add("deposits"), "deposits"]]
    for words in batches:
        want, got = plain.get_batch(words), kept.get_batch(words)
        assert got.dtype == want.dtype and got.flags.c_contiguous and np.array_equal(got, want)
    assert heads[1].vocab.vectors.kept is kept.kept  # one store for the heads' identical tables


def test_heads_saved_with_the_same_vocab_share_one(shipped):
    """The shipped heads carry the same vectors and lookups: one Vocab, so a word's lexeme is
    made once per worker (their entities equal plain spacy.load's: tests/test_models.py)."""
    from extract.nlp.vectors import vocab_key

    heads = [shipped.get_pipe(n).model for n in shipped.pipe_names if n.startswith("ner_")]
    assert len(heads) == 3 and all(h.vocab is heads[0].vocab for h in heads)
    assert heads[0].vocab is not shipped.vocab
    keys = {vocab_key(nlpmod.MODELS_DIR / m) for m in nlpmod.SHIPPED}
    assert len(keys) == 1 and None not in keys
    assert vocab_key(nlpmod.MODELS_DIR / "protocols") is None  # not a pipeline folder


def test_context_is_imported_without_nltk_and_nltk_still_works(shipped):
    import subprocess
    import sys

    code = ("import sys; from extract.nlp.pipeline import build_nlp; build_nlp(); "
            "assert 'scipy.stats' not in sys.modules; "
            "import nltk; assert nltk.word_tokenize is not None; assert 'scipy.stats' in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_ner_experiment_trains_to_the_folder_named_and_ships_nothing(monkeypatch, tmp_path):
    """`train_ner clinical --fold 2 --set K=V --out DIR`: the experiment holds out that fold, takes the
    override (JSON value), trains into DIR (two experiments side by side), and ships nothing."""
    import sys

    from extract.training import train_ner

    calls, shipped = [], []
    monkeypatch.setattr(train_ner, "run", lambda name, **kw: calls.append((name, kw)) or kw["out"] / "model-last")
    monkeypatch.setattr(train_ner, "ship", lambda *a: shipped.append(a))
    argv = ["train_ner", "clinical", "--fold", "2", "--set", "components.tok2vec.model.encode.width=64"]
    for args in (argv + ["--out", str(tmp_path / "narrow")], argv):
        monkeypatch.setattr(sys, "argv", args)
        train_ner.main()
    (name, first), (_, second) = calls
    assert name == "clinical" and first["out"] == tmp_path / "narrow"
    assert second["out"] == train_ner.TRAIN_DIR / "clinical_experiment"
    assert first["extra"] == {"components.tok2vec.model.encode.width": 64}
    assert (first["train_on"], first["dev"]) == ("mac_not2", "mac_fold2") and not shipped


def test_the_tagger_searches_word_endings_in_a_shorter_form_that_finds_the_same_words():
    import itertools
    import re

    from extract.nlp.tagger import _branches, search_form

    pattern = (r"morphine|\w+(?:olol|cillin)|\w{2,}pril|\w*plast(?:y|ies)|(?:cef|ceph)\w+|vin\w{3,}ine|"
               r"\w+(?<=x)az|[|(]\w+ate")
    form = search_form(pattern)
    branches = _branches(form)
    assert len(branches) == len(_branches(pattern)) == 8
    assert r"\w(?:olol|cillin)" in branches and r"\w{2}pril" in branches and "plast(?:y|ies)" in branches
    assert r"(?:cef|ceph)\w+" in branches and r"vin\w{3,}ine" in branches  # runs later in a branch stay
    assert r"\w+(?<=x)az" in form and r"[|(]\w+ate" in form  # a lookbehind, a class holding '|' and '('
    old, new = (re.compile(f"(?:{p})$", re.I) for p in (pattern, form))
    stems = ["", "a", "pro", "x", "ceph", "vin", "vincr", "-", "(", "|", "é"]
    ends = ["olol", "cillin", "pril", "plasty", "plasties", "alexin", "ine", "az", "ate", "morphine", "s", "\n", ""]
    words = ["".join(p) for p in itertools.product(stems, stems, ends)]
    assert [bool(old.search(w)) for w in words] == [bool(new.search(w)) for w in words]
    assert any(new.search(w) for w in words) and not all(new.search(w) for w in words)
    assert search_form("a(b|c") == "a(b|c"  # unbalanced: left as it is


def test_word_alternation_finds_what_the_whole_pattern_finds():
    """The drug words (a word-ending test per word, the other alternatives as one pattern)
    are the matches of the alternation as one regex, the first-listed alternative winning
    where both kinds start at one place ("thiazide diuretic" is listed before `\\w*thiazide`)."""
    import itertools
    import re

    from extract.nlp.tagger import WordAlternation

    alts = [r"fentanyl|\w+(?:olol|cillin)|\w{2,}pril", r"(?:loop\s+|thiazide\s+)?diuretics?",
            r"(?:cef|ceph)\w+|vin\w{3,}ine", r"\w*(?:thiazide|dipine)|folic acid"]
    found = WordAlternation(alts)
    assert found.ending is not None and found.other is not None  # both paths are exercised
    whole = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)
    words = ["propranolol", "Amoxicillin", "lisinopril", "pril", "olol", "thiazide", "diuretic", "Loop",
             "ceftriaxone", "vincristine", "folic", "acid", "fentanyl", "nifedipine", "hydrochlorothiazide",
             "anti-olol", "pre-pril", "the", "and", "(", ")", ","]
    texts = [" ".join(p) for p in itertools.product(words, repeat=3)]
    texts += ["She took thiazide diuretics and propranolol-based therapy, then folic acid (and vincristine)."]
    assert [found.spans(t) for t in texts] == [[m.span() for m in whole.finditer(t)] for t in texts]
    assert found.spans("thiazide diuretic") == [(0, 17)] and found.fullmatch("Propranolol")
    assert not found.fullmatch("propranolol therapy")
