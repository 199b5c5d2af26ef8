"""The included studies as a bibliography: graph/included.bib and included.ris hold one
entry per corpus document, read back here by a BibTeX and a RIS reader."""
from __future__ import annotations

import shutil

import bibtexparser
import pytest
import rispy

import extract
from conftest import sample_pdfs, truth


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for pdf in sample_pdfs()[:3]:
        shutil.copy(pdf, folder / pdf.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    out = tmp_path_factory.mktemp("out")
    return extract.run(folder, out), out


def _truths():
    return {truth(p)["doi"]: truth(p) for p in sample_pdfs()[:3]}


def test_included_bibtex_has_one_entry_per_document(run):
    corpus, out = run
    lib = bibtexparser.parse_file(str(out / "graph" / "included.bib"))
    assert not lib.failed_blocks
    ok = corpus.documents[corpus.documents.status == "ok"]
    assert len(lib.entries) == len(ok) == 3  # the unreadable file has no entry
    truths = _truths()
    for e in lib.entries:
        f = {k: v.value for k, v in e.fields_dict.items()}
        t = truths[f["doi"]]
        assert e.entry_type == "article"
        assert e.key == f"{t['first_author']}{t['year']}"
        assert " ".join(f["title"].split()) == t["title"]
        assert f["author"].split(" and ")[0] == f"{t['first_author']}, {t['authors'][0].split()[0]}"
        assert f["year"] == str(t["year"]) and f["journal"] == t["journal"]
        assert f["file"].endswith(f"{t['stem']}.pdf")
    # cited works keep their own file
    assert (out / "graph" / "references.bib").read_text() != (out / "graph" / "included.bib").read_text()


def test_included_ris_has_one_record_per_document(run):
    corpus, out = run
    with open(out / "graph" / "included.ris", encoding="utf-8") as fh:
        records = rispy.load(fh)
    truths = _truths()
    assert len(records) == 3
    for r in records:
        t = truths[r["doi"]]
        assert r["type_of_reference"] == "JOUR"
        assert r["authors"] == [f"{n.split()[-1]}, {' '.join(n.split()[:-1])}" for n in t["authors"]]
        assert " ".join(r["title"].split()) == t["title"]
        assert r["year"] == str(t["year"]) and r["secondary_title"] == t["journal"]
        assert r["id"] == f"{t['first_author']}{t['year']}"
