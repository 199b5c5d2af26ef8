"""One name model (extract.names) behind the reference parser, the reports' own authors,
work merging, graph labels and the BibTeX/RIS writers: particles, accented and
multi-letter initials, generational suffixes."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from extract.citations.exports import to_bibtex, to_ris
from extract.citations.graph import _label
from extract.citations.refparse import parse_reference, split_names
from extract.citations.references import reference_records
from extract.citations.works import assign_works, family_display, first_initial
from extract.markup.text import read_text
from extract.names import author_list_end, parse_name
from extract.pdf.structure import split_author_names


@pytest.mark.parametrize("printed, family, initials, suffix", [
    ("De Witt A", "De Witt", "A", ""),
    ("de Witt, A.", "de Witt", "A", ""),
    ("Anna De Witt", "De Witt", "A", ""),
    ("van der Berg JH", "van der Berg", "JH", ""),
    ("Jan van der Berg", "van der Berg", "J", ""),
    ("J.-P. van der Berg", "van der Berg", "JP", ""),
    ("von Dullemen HM", "von Dullemen", "HM", ""),
    ("Le Roux É", "Le Roux", "É", ""),
    ("Pierre Le Roux", "Le Roux", "P", ""),
    ("da Silva M", "da Silva", "M", ""),
    ("Maria da Silva", "da Silva", "M", ""),
    ("Al-Rashid M", "Al-Rashid", "M", ""),
    ("Mohammed Al-Rashid", "Al-Rashid", "M", ""),
    ("Nilsson Å", "Nilsson", "Å", ""),
    ("Özdemir Ö", "Özdemir", "Ö", ""),
    ("Ch. Müller", "Müller", "Ch", ""),
    ("van Gelder MMHJ", "van Gelder", "MMHJ", ""),
    ("Smith J Jr", "Smith", "J", "Jr"),
    ("Smith, J., Jr.", "Smith", "J", "Jr"),
    ("John Smith Sr", "Smith", "J", "Sr"),
    ("Gates WH III", "Gates", "WH", "III"),
    ("Lee Y", "Lee", "Y", ""),
    ("REITER N", "Reiter", "N", ""),
])
def test_parse_name(printed, family, initials, suffix):
    n = parse_name(printed)
    assert (n.family, n.initials, n.suffix) == (family, initials, suffix)


@pytest.mark.parametrize("text, names", [
    ("De Witt A, Okafor NA, Le Roux É", ["De Witt A", "Okafor NA", "Le Roux É"]),
    ("Smith J Jr, van der Berg JH, Al-Rashid M", ["Smith J Jr", "van der Berg JH", "Al-Rashid M"]),
    ("Smith J, Jr, Doe A", ["Smith J Jr", "Doe A"]),
    ("Nilsson Å, Özdemir Ö, da Silva M", ["Nilsson Å", "Özdemir Ö", "da Silva M"]),
])
def test_reference_author_lists(text, names):
    assert split_names(text)[0] == names


def test_reference_first_author_keeps_particles_and_accents():
    doc = read_text("Discussion\n\nA short case.\n\nReferences\n\n"
                    "1. De Witt A, Mbeki T. Sodium thiosulfate for calciphylaxis. Nephrol Rep. "
                    "2019;4(2):10-15.\n\n"
                    "2. Le Roux É, Moreau W. Wound care in calciphylaxis. J Wound Care. "
                    "2018;27(3):200-205.\n")
    refs = reference_records(doc)
    assert [r["first_author"] for r in refs] == ["De Witt", "Le Roux"]
    assert refs[1]["authors"] == ["Le Roux É", "Moreau W"]
    assert parse_reference("Le Roux É, Moreau W. Wound care in calciphylaxis. J Wound Care. "
                           "2018;27(3):200-205.").authors == ["Le Roux É", "Moreau W"]
    assert _label(refs[0]["first_author"], refs[0]["year"], refs[0]["title"], "") == "De Witt 2019"


def test_works_block_on_the_family_and_unaccented_initial():
    assert family_display("De Witt A") == family_display("Anna De Witt") == "De Witt"
    assert first_initial("Le Roux É") == first_initial("Emile Le Roux") == "E"
    assert family_display("Smith J Jr") == "Smith" and first_initial("Smith J Jr") == "J"


def test_report_authors_keep_suffixes():
    assert split_author_names("John Smith, Jr., Maria da Silva and Ahmed Al-Rashid") == [
        "John Smith Jr", "Maria da Silva", "Ahmed Al-Rashid"]


def test_bibtex_and_ris_names():
    refs = pd.DataFrame([dict(doc_id="D1", ref_no=1, authors=["Nilsson Å", "Özdemir Ö", "Smith J Jr",
                                                               "De Witt A", "van der Berg JH"],
                              first_author="Nilsson", title="Calcinosis in neonates", container="Acta Paed",
                              year=2020, volume="9", pages="5-9", raw="x")])
    refs, _ = assign_works(pd.DataFrame(columns=["doc_id"]), refs)
    entries = refs.assign(key=refs["work_id"])
    bib = to_bibtex(entries)
    assert "author = {Nilsson, Å. and Özdemir, Ö. and Smith, Jr, J. and De Witt, A. and " \
           "van der Berg, J. H.}" in bib.replace("{\\AA}", "Å")
    ris = [ln[6:] for ln in to_ris(entries).splitlines() if ln.startswith("AU")]
    assert ris == ["Nilsson, Å.", "Özdemir, Ö.", "Smith, J., Jr", "De Witt, A.", "van der Berg, J. H."]


@pytest.mark.parametrize("text, names", [
    ("Moreau PL, de Almeida I, Uma Devi P, Smith J Jr. Calcified nodules after burns.",
     "Moreau PL, de Almeida I, Uma Devi P, Smith J Jr"),
    ("Moreau PL, Lindqvist E, Rosa MS: Calcified nodules after burns.", "Moreau PL, Lindqvist E, Rosa MS"),
    ("Moreau PL, Lindqvist E, et al. Calcified nodules.", "Moreau PL, Lindqvist E, et al"),
    ("P. L. Moreau, M. M. H. J. van Gelder, J.-P. O\u2019Connor, and A. C. Francesconi do Vale, "
     "\u201cCalcified nodules,\u201d", "P. L. Moreau, M. M. H. J. van Gelder, J.-P. O\u2019Connor, "
                                        "and A. C. Francesconi do Vale"),
    ("P. L. Moreau, E. Lindqvist et al., \u201cCalcified nodules,\u201d", "P. L. Moreau, E. Lindqvist et al."),
    ("Moreau, P.L.; de Almeida, I.; Le Roux, A.J.A.A. Calcified nodules.", "Moreau, P.L.; de Almeida, I.; Le Roux, A.J.A.A."),
    ("Moreau, P. L., Lindqvist, E., & Okafor, T. (2014). Calcified nodules.",
     "Moreau, P. L., Lindqvist, E., & Okafor, T."),
    # the name goes on after the stop: not a Vancouver list
    ("Paula L. Moreau, Erik Lindqvist. Calcified nodules.", None),
    ("Moreau P. L., Lindqvist E., 2014, Burns, 40, 412", None),
    ("Moreau P. and Lindqvist E., Burns 40 (2014) 412;", None),
    ("Moreau, P. Lionel. Calcified nodules.", None),
    ("Moreau, P. L, Lindqvist, E, & Okafor, T. (2014). Calcified nodules.", None),
    ("Clinical and Laboratory Standards Institute. Methods for dilution.", None),
])
def test_author_list_end(text, names):
    end = author_list_end(text)
    assert (text[:end] if end is not None else None) == names


def test_author_list_end_is_linear_on_long_lists():
    names = ", ".join(f"{chr(65 + k % 26)}.-{chr(66 + k % 20)}. Family{k}" for k in range(200))
    start = time.perf_counter()
    assert author_list_end(names + " and J. Smith. Title without a quote.") is None
    assert time.perf_counter() - start < 0.5


def test_parser_takes_the_author_list_the_name_grammar_finds():
    ref = parse_reference("Moreau PL, Lindqvist E, Okafor T, da Costa AF, Rosa MS: Calcified nodules after "
                          "minor burns. Burns Wound Care 2014, 40:412-419.")
    assert ref.authors == ["Moreau PL", "Lindqvist E", "Okafor T", "da Costa AF", "Rosa MS"]
    assert ref.title == "Calcified nodules after minor burns"
    ref = parse_reference("Moreau PL, Lindqvist E, Okafor T. Calcinosis cutis Linn. A retrospective "
                          "series. Burns Wound Care. 2014;40(3):412-9.")
    assert ref.authors == ["Moreau PL", "Lindqvist E", "Okafor T"]
    assert ref.title.startswith("Calcinosis cutis")
