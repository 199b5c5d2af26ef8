"""Reference-string parser: tokenizer, rules, name normalisation, training readers, model.

Reference strings here are made up for the tests. Model tests skip when the trained
model is absent; data tests skip when ../shared (or $CASEMINE_SHARED) is absent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from extract import refparse
from extract.refparse import ParsedReference, parse_reference, parse_references, split_names
from extract.training.refparse_data import (
    Example, fold_of, load_examples, nature_variant, read_anystyle, read_grobid, to_sequence,
)

SHARED = Path(os.environ.get("CASEMINE_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
needs_data = pytest.mark.skipif(not (SHARED / "data" / "anystyle_parser").is_dir(),
                                reason=f"training corpora not found under {SHARED}/data (set CASEMINE_SHARED)")
needs_model = pytest.mark.skipif(not refparse.MODEL_PATH.exists(),
                                 reason="no trained model: run python -m extract.training.train_refparse")

VANCOUVER = ("12. Moreau PL, Okafor-Brandt T, Lindqvist E, et al. Dystrophic calcification after "
             "minor burns: a retrospective series. Burns Wound Care. 2014;40(3):412-9. "
             "doi: 10.1016/j.bwc.2013. 08.021. PMID: 24512345")


@pytest.fixture
def no_model(monkeypatch):
    monkeypatch.setenv(refparse.MODEL_ENV, "/nonexistent/refparse.crfsuite")
    refparse.load_tagger.cache_clear()
    yield
    refparse.load_tagger.cache_clear()


# ---------------------------------------------------------------- text and tokens

@pytest.mark.parametrize("raw, rest", [
    ("1. Moreau PL. Title.", "Moreau PL. Title."),
    ("[23] Moreau PL. Title.", "Moreau PL. Title."),
    ("4) Moreau PL. Title.", "Moreau PL. Title."),
    ("(7) Moreau PL. Title.", "Moreau PL. Title."),
    ("3D printing of scaffolds. Biofab J. 2019;2:1-3.", "3D printing of scaffolds. Biofab J. 2019;2:1-3."),
])
def test_strip_numbering(raw, rest):
    assert refparse.strip_numbering(raw) == rest


def test_repair_joins_identifiers_split_by_line_breaks():
    text = refparse.repair("see doi: 10.1016/j.bwc.2013.\n08.021. Epub 2014 and http ://www.exam- ple.org/a")
    assert "10.1016/j.bwc.2013.08.021. Epub" in text
    assert "http://www.exam-ple.org/a" in text


def test_tokenize_keeps_doi_and_url_whole_and_offsets_exact():
    text = "Care. 2014;40(3):412-9. doi:10.1016/S0140-6736(99)01307-0. See https://x.org/p?q=1."
    toks = refparse.tokenize(text)
    words = [t.text for t in toks]
    assert "10.1016/S0140-6736(99)01307-0" in words
    assert "https://x.org/p?q=1" in words
    assert words[words.index("40") + 1: words.index("40") + 4] == ["(", "3", ")"]
    assert all(text[t.start:t.end] == t.text for t in toks)


@pytest.mark.parametrize("raw, clean", [
    ("In: Skin Calcification Handbook", "Skin Calcification Handbook"),
    ("Calcinosis in the elderly In", "Calcinosis in the elderly"),
    ("In vitro mineralisation of dermal fibroblasts.", "In vitro mineralisation of dermal fibroblasts"),
    ("In the footsteps of Virchow", "In the footsteps of Virchow"),
    ("\u201cCalcified nodules (a series).\u201d", "Calcified nodules (a series)"),
])
def test_clean_text_drops_container_marker_only(raw, clean):
    assert refparse.clean_text(raw) == clean


@pytest.mark.parametrize("raw, volume, issue, pages", [
    ("Vol. 40", "40", None, None), ("No. 3", None, "3", None), ("pp. 412\u2013419", None, None, "412-419"),
])
def test_field_cleaners(raw, volume, issue, pages):
    got = (refparse.clean_volume(raw) if volume else None, refparse.clean_issue(raw) if issue else None,
           refparse.clean_pages(raw) if pages else None)
    assert got == (volume, issue, pages)


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("raw, names, et_al", [
    ("Moreau PL, Okafor-Brandt T, Lindqvist E, et al.", ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"], True),
    ("Moreau, P. L., Okafor-Brandt, T., & Lindqvist, E.", ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"], False),
    ("Moreau, P.L. and Lindqvist, E. (2014)", ["Moreau PL", "Lindqvist E"], False),          # Harvard
    ("Moreau, P. L., Okafor-Brandt, T. & Lindqvist, E.", ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"], False),
    ("P. L. Moreau, T. Okafor-Brandt and E. Lindqvist", ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"], False),
    ("MOREAU PL, LINDQVIST E", ["Moreau PL", "Lindqvist E"], False),
    ("van den Broek JA, de la Cruz M", ["van den Broek JA", "de la Cruz M"], False),
    ("Moreau, Pauline L., Tomas Okafor-Brandt, and Eva Lindqvist",
     ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"], False),
])
def test_split_names_styles(raw, names, et_al):
    assert split_names(raw) == (names, et_al)


# ---------------------------------------------------------------- rules without a model

def test_rules_alone_fill_fixed_shape_fields(no_model):
    ref = parse_reference(VANCOUVER)
    assert (ref.year, ref.volume, ref.issue, ref.pages) == (2014, "40", "3", "412-9")
    assert ref.doi == "10.1016/j.bwc.2013.08.021"
    assert ref.pmid == "24512345"
    assert ref.title is None  # fields that need the model stay null


@pytest.mark.parametrize("raw", ["", "   ", "((((", "-" * 5000, None])
def test_parse_reference_never_raises(raw):
    ref = parse_reference(raw)
    assert isinstance(ref, ParsedReference)
    assert ref.authors == [] or all(isinstance(a, str) for a in ref.authors)


# ---------------------------------------------------------------- training data

def test_anystyle_volume_is_split_into_date_volume_issue():
    text = "Moreau PL. Calcified nodules. Burns Wound Care 2014;40(3):412-9."
    vol = text.index("2014")
    ex = Example(text, [(0, 10, "author"), (11, 29, "title"), (30, vol - 1, "container"),
                        (vol, vol + 11, "volume"), (vol + 11, len(text), "pages")], "anystyle")
    tokens, labels = to_sequence(ex)
    got = {t.text: lab for t, lab in zip(tokens, labels)}
    assert (got["2014"], got["40"], got["3"], got["412"]) == ("date", "volume", "issue", "pages")
    assert got["("] == got[")"] == got[";"] == "O"
    assert labels[tokens.index(next(t for t in tokens if t.text == "PL")) + 1] == "O"  # edge "."


def test_readers_map_both_formats_onto_one_scheme(tmp_path):
    (tmp_path / "a.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><back><listBibl><bibl>'
        '<author>Moreau PL</author>. <title level="a">Calcified nodules</title>. '
        '<title level="j">Burns Wound Care</title> <date>2014</date>;<biblScope unit="volume">40</biblScope>'
        '(<biblScope unit="issue">3</biblScope>):<biblScope unit="page">412-9</biblScope>. '
        '<idno type="DOI">10.1016/j.bwc.2013.08.021</idno></bibl></listBibl></back></text></TEI>')
    (tmp_path / "b.xml").write_text(
        "<dataset><sequence><citation-number>[4]</citation-number><author>Moreau, P. L.</author>"
        "<date>(2014).</date><title>Calcified nodules.</title><journal>Burns Wound Care,</journal>"
        "<volume>40(3),</volume><pages>412\u2013419.</pages></sequence></dataset>")
    (grobid,) = list(read_grobid(tmp_path))  # b.xml has no <bibl>
    (anystyle,) = list(read_anystyle([tmp_path / "b.xml"]))
    assert not anystyle.text.startswith("[4]")
    for ex in (grobid, anystyle):
        tokens, labels = to_sequence(ex)
        fields = dict(refparse.spans(tokens, labels, ex.text))
        assert fields["title"] == "Calcified nodules" and fields["container"] == "Burns Wound Care"
        assert (fields["volume"], fields["issue"]) == ("40", "3")
        assert refparse.year_of(fields["date"]) == 2014
    assert dict(refparse.spans(*to_sequence(grobid), grobid.text))["doi"] == "10.1016/j.bwc.2013.08.021"


def test_nature_variant_keeps_field_values():
    text = "Moreau PL, Lindqvist E. Calcified nodules. Burns Wound Care. 2014;40:412-9."
    ex = Example(text, [(0, 22, "author"), (24, 41, "title"), (43, 59, "container"),
                        (61, 65, "date"), (66, 68, "volume"), (69, 74, "pages")], "grobid")
    nat = nature_variant(ex)
    assert nat.text == "Moreau PL, Lindqvist E. Calcified nodules. Burns Wound Care 40, 412-9 (2014)."
    assert [(nat.text[s:e], lab) for s, e, lab in nat.spans] == [
        ("Moreau PL, Lindqvist E", "author"), ("Calcified nodules", "title"), ("Burns Wound Care", "container"),
        ("40", "volume"), ("412-9", "pages"), ("2014", "date")]
    assert nature_variant(Example("Moreau PL. Calcified nodules. 2014.", [(0, 9, "author")], "grobid")) is None


def test_fold_ignores_case_and_spacing():
    assert fold_of("Moreau PL. Title. J. 2014;1:2.") == fold_of("moreau  PL.Title. J. 2014;1:2.")
    folds = {fold_of(f"reference number {i}") for i in range(200)}
    assert folds == set(range(10))


@needs_data
def test_readers_cover_both_corpora_and_labels():
    examples = load_examples(SHARED / "data")
    sources = {e.source for e in examples}
    assert sources == {"grobid", "anystyle"}
    assert len(examples) > 15000
    labels = set()
    for ex in examples[::50]:
        tokens, labs = to_sequence(ex)
        assert len(tokens) == len(labs)
        labels.update(labs)
    assert {"author", "title", "container", "date", "volume", "pages", "O"} <= labels


# ---------------------------------------------------------------- model

@needs_model
def test_vancouver_reference():
    ref = parse_reference(VANCOUVER)
    assert ref.authors == ["Moreau PL", "Okafor-Brandt T", "Lindqvist E"] and ref.et_al
    assert ref.title == "Dystrophic calcification after minor burns: a retrospective series"
    assert ref.container == "Burns Wound Care"
    assert (ref.year, ref.volume, ref.issue, ref.pages) == (2014, "40", "3", "412-9")


@needs_model
def test_apa_harvard_nature_references():
    apa, harvard, nature = parse_references([
        "Moreau, P. L., & Lindqvist, E. (2014). Dystrophic calcification after minor burns. "
        "Burns Wound Care, 40(3), 412\u2013419. https://doi.org/10.1016/j.bwc.2013.08.021",
        "Moreau, P.L. and Lindqvist, E. (2014) 'Dystrophic calcification after minor burns', "
        "Burns Wound Care, 40(3), pp. 412-419.",
        "Moreau, P. L. & Lindqvist, E. Dystrophic calcification after minor burns. "
        "Burns Wound Care 40, 412\u2013419 (2014).",
    ])
    for ref in (apa, harvard, nature):
        assert ref.authors == ["Moreau PL", "Lindqvist E"]
        assert ref.title == "Dystrophic calcification after minor burns"
        assert ref.container == "Burns Wound Care"
        assert (ref.year, ref.volume, ref.pages) == (2014, "40", "412-419")
    assert apa.doi == "10.1016/j.bwc.2013.08.021" and apa.issue == harvard.issue == "3"
