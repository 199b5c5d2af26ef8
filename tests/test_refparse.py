"""Reference-string parser: tokenizer, rules, name normalisation, training readers, model.

Reference strings here are made up for the tests. Model tests skip when the trained
model is absent; data tests skip when ../shared (or $CASEMINE_SHARED) is absent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from extract.citations import refparse
from extract.citations.refparse import ParsedReference, parse_reference, parse_references, split_names
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
    ("pp. 1060\u20135", None, None, "1060-1065"), ("1299-301", None, None, "1299-1301"),
    ("S27\u201333", None, None, "S27-S33"), ("e212-e219", None, None, "e212-e219"), ("65-3", None, None, "65-3"),
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
    assert (ref.year, ref.volume, ref.issue, ref.pages) == (2014, "40", "3", "412-419")  # the last page written out
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
    assert (ref.year, ref.volume, ref.issue, ref.pages) == (2014, "40", "3", "412-419")


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


@needs_model
def test_hindawi_volume_and_number_are_two_fields():
    ref = parse_reference("P. L. Moreau and E. Lindqvist, \u201cDystrophic calcification after minor "
                          "burns,\u201d Burns Wound Care, vol. 40, no. 10-11, pp. 412\u2013419, 2014.")
    assert (ref.volume, ref.issue, ref.pages) == ("40", "10-11", "412-419")


@needs_model
@pytest.mark.parametrize("raw, volume, issue, pages", [
    # Hindawi: the article number locates the work, "6 pages" is its length
    ("P. L. Moreau, \u201cDystrophic calcification after minor burns,\u201d Case Reports in Burns, "
     "vol. 2014, Article ID 351396, 6 pages, 2014.", "2014", None, "351396"),
    ("P. L. Moreau, \u201cDystrophic calcification after minor burns,\u201d Burns Wound Care, "
     "vol. 192, supplement 1, pp. S44\u2013S48, 2005.", "192", "supplement 1", "S44-S48"),
    ("Moreau PL. Dystrophic calcification after minor burns. Burns Wound Care 2009;47 Suppl 1:S27-33.",
     "47", "Suppl 1", "S27-S33"),
    ("Moreau PL. Dystrophic calcification after minor burns. Sci Burns Med 2018;10:eaan3464.",
     "10", None, "eaan3464"),
    # a font that prints the en dash as "e"
    ("Moreau PL. Dystrophic calcification after minor burns. Burns Wound Care 2012;2(4):496e502.",
     "2", "4", "496-502"),
    ("Moreau, P. L.; Lindqvist, E. Calcium phosphate deposits in burnt skin. Burn Chem. Trans. "
     "2016, 45, 11362\u201311368. [CrossRef]", "45", None, "11362-11368"),
    ("Moreau, P. L., and Lindqvist, E. (2012). Calcium phosphate deposits in burnt skin. "
     "Burns 5:2. doi: 10.1186/1939-8433-5-2", "5", None, "2"),
])
def test_locators_of_other_styles(raw, volume, issue, pages):
    ref = parse_reference(raw)
    assert (ref.volume, ref.pages) == (volume, pages)
    assert issue is None or ref.issue == issue


@needs_model
def test_bmc_colon_author_list_and_journal_run_into_the_title():
    ref = parse_reference("Moreau PL, Okafor-Brandt T: Dystrophic calcification after minor burns: "
                          "a retrospective series. Burns Wound Care 2014, 40:412-419.")
    assert ref.authors == ["Moreau PL", "Okafor-Brandt T"]
    assert ref.title == "Dystrophic calcification after minor burns: a retrospective series"
    assert ref.container == "Burns Wound Care" and (ref.volume, ref.pages) == ("40", "412-419")


@needs_model
def test_grouped_chemistry_reference_gives_the_first_work():
    ref = parse_reference("(a) Moreau, P. L.; Lindqvist, E. Calcium phosphate deposits in burnt skin. "
                          "J. Burn Chem. 2014, 40, 412\u2212419. (b) Okafor, T. Phosphate "
                          "clearance. Acta Chim. Derm. 1990, 77, 123\u2212141.")
    assert ref.authors == ["Moreau PL", "Lindqvist E"]
    assert (ref.year, ref.volume, ref.pages) == (2014, "40", "412-419")


# ---------------------------------------------------------------- segmentation

def _list_doc(lines, sections):
    """A Document from (text, page, block, x0) lines and (kind, first line, end line)
    sections, one line of text each, the way the layout hands them to `segment`."""
    from extract.document import Document, Section, TextPiece

    text, pieces = "", []
    for t, page, block, x0 in lines:
        pieces.append(TextPiece(len(text), len(text) + len(t), page, (x0, 0, 500, 10), block))
        text += t + "\n"
    secs = [Section(k, "References" if kind == "references" else None, kind, 1, pieces[a].char_start, pieces[b - 1].char_end + 1, "")
            for k, (kind, a, b) in enumerate(sections)]
    return Document("d1", "x.pdf", "0" * 64, 2, text, sections=secs, pieces=pieces, lines=pieces)


def _entry_lines(n, page, block, x0=50):
    return [(f"{n}. Moreau PL, Lindqvist E. Calcification number {n} after burns.", page, block, x0),
            (f"Burns Wound Care. 2014;{n}:1-9.", page, block, x0 + 8)]


def test_entries_the_structure_put_beside_a_table_are_recovered():
    from extract.citations.references import segment
    lines = [("Results were good.", 1, 0, 50)]
    lines += [("Table 2", 1, 1, 300), ("Group 1 12.5", 1, 1, 300)]
    lines += _entry_lines(1, 1, 2, 300) + _entry_lines(2, 1, 2, 300) + _entry_lines(3, 1, 2, 300)
    lines += [("References", 2, 3, 50)] + _entry_lines(4, 2, 4) + _entry_lines(5, 2, 4)
    doc = _list_doc(lines, [("results", 0, 1), ("table", 1, 9), ("references", 9, len(lines))])
    entries = segment(doc)
    assert [e.ref_no for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].raw.endswith("2014;1:1-9.") and "Group" not in entries[0].raw


def test_label_run_out_of_sequence_starts_entries():
    """Two columns read as one block: 1, 2, then the right column's 7, 8, 9, then 3."""
    from extract.citations.references import segment
    order = [1, 2, 7, 8, 9, 3, 4, 5, 6]
    lines = [("References", 1, 0, 50)] + [ln for n in order for ln in _entry_lines(n, 1, 1, 50 if n < 7 else 58)]
    entries = segment(_list_doc(lines, [("references", 0, len(lines))]))
    assert [e.ref_no for e in entries] == list(range(1, 10))
    assert all(e.raw.count("Moreau") == 1 for e in entries)


def test_list_without_a_recognised_heading_is_found_in_back_matter():
    from extract.citations.references import segment
    lines = [("Funding: none.", 1, 0, 50)]
    for n in range(1, 7):
        lines += [(f"({n}) Moreau, P. L.; Lindqvist, E. Calcification number {n}.", 1, 1, 50),
                  (f"J. Burn Chem. 2014, 40, {n}00.", 1, 1, 50)]
    entries = segment(_list_doc(lines, [("back_matter", 0, len(lines))]))
    assert [e.ref_no for e in entries] == list(range(1, 7))


def test_prose_inside_an_author_year_list_is_not_an_entry():
    from extract.citations.references import segment
    lines = [("References", 1, 0, 50),
             ("Moreau, P. L. (2014). Calcification after burns.", 1, 1, 50),
             ("Burns Wound Care 40, 1-9.", 1, 1, 58),
             ("Lindqvist, E. (2016). Calcium in scars.", 1, 1, 50),
             ("Scar Res 2, 3-4.", 1, 1, 58),
             ("Further studies are needed to confirm", 1, 2, 312),
             ("the response of plants to ethylene under", 1, 2, 300),
             ("waterlogged conditions in the field.", 1, 2, 300)]
    entries = segment(_list_doc(lines, [("references", 0, len(lines))]))
    assert [(e.ref_no, e.raw[:8]) for e in entries] == [(1, "Moreau, "), (2, "Lindqvis")]


def test_doi_broken_by_a_line_after_a_digit_is_rejoined():
    from extract.citations.references import join_lines
    text = "Burns. 2005;63:1-9. https://doi.org/10.1016/j.bwc.2\n005.05.018.\n"
    joined = join_lines(text, [0, text.index("\n") + 1], len(text))
    assert joined.split()[-1] == "https://doi.org/10.1016/j.bwc.2005.05.018."
    text = "Burns. 2005;63:1-9. doi:10.1016/j.bwc.2005.05.018\nand see the erratum.\n"
    assert "018\nand" in join_lines(text, [0, text.index("\n") + 1], len(text))


def test_word_broken_by_a_non_breaking_hyphen_at_a_line_end_is_rejoined():
    from extract.citations.references import join_lines
    text = "Moreau PL. Calcified nodules after mi\u2011\nnor burns. Burns Wound\u2011\nCare. 2014;40:412-9.\n"
    lines = [0, text.index("\n") + 1, text.index("\n", text.index("\n") + 1) + 1]
    assert " ".join(join_lines(text, lines, len(text)).split()) == \
        "Moreau PL. Calcified nodules after minor burns. Burns Wound\u2011Care. 2014;40:412-9."


def test_one_list_citing_a_chapter_twice_with_another_year_is_one_entry():
    from extract.citations.references import reference_records
    from extract.markup.text import read_text

    doc = read_text("Discussion\n\nText.\n\nReferences\n\n"
                    "1. Moreau C, Haugen T. Basil taxonomy: an overview of classification and relationships. "
                    "In: Lindqvist M, editor. The genus Ocimum. Amsterdam: Rhone Press; 1999. p. 1-38.\n\n"
                    "2. Okafor NA. Calcinosis cutis: a clinical review. Int J Dermatol Pract. 2019;58(4):412-21.\n\n"
                    "3. Moreau C, Haugen T. Basil taxonomy: an overview of classification and relationships. "
                    "In: Lindqvist M, editor. The genus Ocimum. Amsterdam: Rhone Press; 1996. p. 1-38.\n\n"
                    "4. Moreau C. Basil taxonomy revisited. Plant Syst. 1996;3:5-9.\n")
    refs = reference_records(doc)
    assert [r["duplicate_of"] for r in refs] == [None, None, 1, None]


def test_plain_text_list_keeps_every_entry_when_some_numbers_are_lost():
    """A reference list pasted as text (no layout lines): each entry found, an item whose
    number was lost ("- Name AB, ...") still opens an entry, and the citation note after
    the list is not one."""
    from extract.citations.references import reference_records
    from extract.markup.text import read_text

    entries = [f"{'- ' if k in (4, 6, 9) else f'- {k}. '}Author{chr(64 + k)} B, Second C. Study number {k} "
               f"of calcinosis. J Test Med. 20{10 + k};{k}(1):{k}0-{k}9." for k in range(1, 14)]
    doc = read_text("Discussion\n\nText.\n\nREFERENCES\n\n" + "\n".join(entries)
                    + "\n\nCite this article as: Someone A. A report. J Test Med. 2025;1:1-2.\n")
    refs = reference_records(doc)
    assert [r["ref_no"] for r in refs] == list(range(1, 14))
    assert [r["year"] for r in refs] == [2010 + k for k in range(1, 14)]
