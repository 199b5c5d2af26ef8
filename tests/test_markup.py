"""Inputs beyond PDF: JATS and GROBID TEI read straight into a Document (sections,
metadata, references and citation links from the markup), giving the same facts as the
article's PDF; plain text; a folder mixing them; the same article twice is one document."""
from __future__ import annotations

import collections
import shutil
import sys
from pathlib import Path

import pytest

import extract
from conftest import CORPUS, PDF_JATS, sample_pdfs, truth
from extract.markup.articles import read_article
from extract.markup.builder import MarkupError
from extract.markup.jats import read_jats
from extract.markup.tei import read_tei
from extract.run.process import process_document, run_stages

CASE_FIELDS = ("condition", "subtype", "cause", "age_years", "sex", "site", "treatments_given",
               "treatments_declined", "best_outcome", "response_pct", "time_to_outcome_days", "follow_up_days")


@pytest.fixture(scope="module")
def xml_dir(tmp_path_factory):
    """JATS and TEI renderings of the sample articles, written by the corpus generator."""
    pytest.importorskip("reportlab", reason="the corpus generator needs reportlab (the [test] extra)")
    sys.path.insert(0, str(CORPUS))
    import xml_export

    out = tmp_path_factory.mktemp("xml")
    xml_export.main(out)
    return out


def facts(res) -> dict:
    r = res.records
    case = r["cases"][0]
    return dict(
        case={k: sorted(case[k]) if isinstance(case[k], list) else case[k] for k in CASE_FIELDS},
        treatments=sorted((t["treatment"], t["scope"], t["status"], t["outcome"], t["dose"]) for t in r["treatments"]),
        subtypes=sorted((s["subtype"], s["role"]) for s in r["subtypes"]),
        causes=sorted((c["cause"], c["effect"]) for c in r["causes"]),
        references=[(x["ref_no"], x["year"], x["doi"]) for x in r["references"]],
        citations=sorted(collections.Counter(c["ref_no"] for c in r["citations"]).items()),
    )


@pytest.fixture(scope="module")
def pdf_facts():
    return {p.stem: facts(process_document(p)) for p in sample_pdfs()}


@pytest.mark.parametrize("reader,suffix", [(read_jats, ".xml"), (read_tei, ".tei.xml")], ids=["jats", "tei"])
def test_markup_gives_the_same_facts_as_the_pdf(xml_dir, pdf_facts, reader, suffix):
    for stem, expected in pdf_facts.items():
        doc = reader(xml_dir / f"{stem}{suffix}")
        assert doc.n_pages == 0 and doc.page_at(0) is None
        got = facts(run_stages(doc))
        assert got == expected, stem
        assert got["case"]["condition"] and got["treatments"] and got["citations"]


def test_markup_metadata_sections_and_references_are_exact(xml_dir):
    for pdf in sample_pdfs():
        t = truth(pdf)
        for doc in (read_jats(xml_dir / f"{pdf.stem}.xml"), read_tei(xml_dir / f"{pdf.stem}.tei.xml")):
            md = doc.metadata
            assert (md.title, md.doi, md.year, md.authors) == (t["title"], t["doi"], t["year"], t["authors"])
            assert (md.volume, md.issue, md.pages) == (str(t["volume"]), str(t["issue"]), t["pages"])
            kinds = [s.kind for s in doc.sections]
            assert kinds[:2] == ["title", "abstract"] and "case" in kinds and kinds[-1] == "references"
            refs = doc.memo("references", list)
            assert [r["doi"] for r in refs] == [r["doi"] for r in t["references"]]
            assert [r["first_author"] for r in refs] == [r["first_author"] for r in t["references"]]
            for r in refs:  # offsets point at the printed entry
                assert doc.text[r["char_start"]:r["char_end"]] == r["raw"]
            cites = [c for c in run_stages(doc, extract.RunConfig(stages=("references",))).records["citations"]]
            assert sorted(c["ref_no"] for c in cites) == sorted(n for c in t["citations"] for n in c["refs"])
            assert all(doc.text[c["char_start"]:c["char_end"]] == c["marker"] for c in cites)


def test_citation_ranges_and_flat_tei_sections():
    jats = """<article><front><article-meta><title-group><article-title>A case</article-title></title-group>
      </article-meta></front><body><sec><title>Case report</title><p>Seen before<sup><xref ref-type="bibr"
      rid="r2">2</xref>&#x2013;<xref ref-type="bibr" rid="r4">4</xref></sup> and since <xref ref-type="bibr"
      rid="r1 r3">[1,3]</xref>.</p></sec></body><back><ref-list>""" + "".join(
        f'<ref id="r{i}"><label>{i}</label><element-citation><person-group><name><surname>Lee{i}</surname>'
        f'<given-names>Ann B</given-names></name></person-group><article-title>T{i}</article-title>'
        f'<source>J</source><year>200{i}</year></element-citation></ref>' for i in range(1, 5)) + \
        "</ref-list></back></article>"
    doc = read_article(jats.encode())
    links = doc.memo("citation_links", list)
    assert [(doc.text[a:b], nums) for a, b, _, nums in links] == [("2–4", [2, 3, 4]), ("[1,3]", [1, 3])]
    assert doc.memo("references", list)[0]["authors"] == ["Lee1 AB"]
    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>X</title>
      </titleStmt></fileDesc></teiHeader><text><body><div><head>Case presentation</head><p>A man.</p></div>
      <div><head>Histopathology</head><p>Granulomas.</p></div><div><head>Discussion</head><p>Rare.</p></div>
      </body></text></TEI>"""
    assert [(s.heading, s.kind) for s in read_article(tei).sections][1:] == [
        ("Case presentation", "case"), ("Histopathology", "case"), ("Discussion", "discussion")]
    with pytest.raises(MarkupError, match="root element <html>"):
        read_article("<html><body/></html>")
    with pytest.raises(MarkupError, match="not well-formed"):
        read_article(b"<article><front>")


def test_pmc_jats_and_its_pdf_give_the_same_case():
    """A real PMC case report: the case facts from its JATS equal those from its PDF."""
    pair = PDF_JATS / "PMC4735920"
    if not (pair / "fulltext.xml").exists():
        pytest.skip("../shared/data/pdf_jats is not available (shared data absent)")
    from_pdf = facts(process_document(pair / "fulltext.pdf"))
    doc = read_jats(pair / "fulltext.xml")
    assert doc.metadata.pmcid == "PMC4735920" and doc.metadata.doi
    from_xml = facts(run_stages(doc))
    assert from_xml["case"] == from_pdf["case"] and from_xml["treatments"] == from_pdf["treatments"]
    assert len(from_xml["references"]) == len(from_pdf["references"])


def test_a_folder_mixing_pdf_xml_and_text_is_one_corpus(xml_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    a, b = sample_pdfs()[:2]
    shutil.copy(a, folder / a.name)
    shutil.copy(xml_dir / f"{a.stem}.tei.xml", folder / "same_article.tei.xml")  # the PDF's own article
    shutil.copy(xml_dir / f"{b.stem}.xml", folder / f"{b.stem}.nxml")
    (folder / "pasted.txt").write_text("Case report\n\nA 61-year-old woman with calcinosis cutis of the "
                                       "forearm was treated with sodium thiosulfate and improved.\n")
    (folder / "notes.xml").write_text("<notes>not an article</notes>")
    out = tmp_path / "out"
    corpus = extract.run(folder, out)
    docs = corpus.documents.set_index(corpus.documents.path.map(lambda p: Path(p).name))
    assert docs.loc["same_article.tei.xml", "status"] == "duplicate"
    assert docs.loc["same_article.tei.xml", "duplicate_of"] == docs.loc[a.name, "doc_id"]
    assert docs.loc[f"{b.stem}.nxml", "status"] == "ok" and docs.loc["pasted.txt", "status"] == "ok"
    assert docs.loc["notes.xml", "status"] == "error"
    assert corpus.errors.error_type.tolist() == ["not_article"]
    dup = docs.loc["same_article.tei.xml", "doc_id"]
    assert not (corpus.treatments.doc_id == dup).any() and not (corpus.cases.doc_id == dup).any()
    assert set(corpus.cases.doc_id) == set(docs.loc[[a.name, f"{b.stem}.nxml", "pasted.txt"], "doc_id"])
    text_case = corpus.cases[corpus.cases.doc_id == docs.loc["pasted.txt", "doc_id"]].iloc[0]
    assert text_case.age_years == 61 and "sodium thiosulfate" in text_case.treatments_given
    ev = corpus.evidence[corpus.evidence.doc_id == docs.loc["pasted.txt", "doc_id"]]
    assert len(ev) and ev.page.isna().all()  # no pages for text: provenance is offsets
    # a second run into the same folder does not read its own outputs (text/*.txt) as inputs
    again = extract.run(folder, out)
    assert len(again.documents) == len(corpus.documents)
    shutil.copytree(out, folder / "old_out")
    assert len(extract.run(folder, tmp_path / "out2").documents) == len(corpus.documents)


def test_a_byte_copy_and_an_xml_copy_of_one_article_are_both_one_document(xml_dir, tmp_path):
    """The same file under two names (one content hash) and the same article as PDF and as
    TEI (one DOI) are both one document: the copy is a `duplicate_paths` entry, the TEI a
    `duplicate` row."""
    folder = tmp_path / "in"
    folder.mkdir()
    a = sample_pdfs()[0]
    shutil.copy(a, folder / "a.pdf")
    shutil.copy(a, folder / "b copy of a.pdf")
    shutil.copy(xml_dir / f"{a.stem}.tei.xml", folder / "c.tei.xml")
    for out in (tmp_path / "out", None):
        docs = extract.run(folder, out).documents.set_index("path")
        kept, copy, tei = (str(folder / n) for n in ("a.pdf", "b copy of a.pdf", "c.tei.xml"))
        assert sorted(docs.index) == [kept, tei]
        assert list(docs.loc[kept, "duplicate_paths"]) == [copy] and docs.loc[kept, "status"] == "ok"
        assert docs.loc[tei, "status"] == "duplicate" and docs.loc[tei, "duplicate_of"] == docs.loc[kept, "doc_id"]
