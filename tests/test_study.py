"""Tables a reviewer can cite: `study` on every fact table, the evidence behind each
`cases` value, a page for every evidence row of the diagnosis."""
from __future__ import annotations

import pandas as pd
import pytest

import extract
from conftest import sample_pdfs, truth
from extract.outputs.tables import FACT_TABLES, study_labels


@pytest.fixture(scope="module")
def corpus():
    return extract.run(sample_pdfs()[0].parent, None)


def test_study_is_author_year_on_every_fact_table(corpus):
    docs = corpus.documents
    for pdf in sample_pdfs():
        t = truth(pdf)
        row = docs[docs.title.str.replace(r"\s+", " ", regex=True).str.strip() == t["title"]]
        assert row.study.tolist() == [f"{t['first_author']} {t['year']}"], pdf.name
    labels = dict(zip(docs.doc_id, docs.study))
    for name in FACT_TABLES:
        df = corpus[name]
        assert list(df.columns[:2]) == ["doc_id", "study"], name
        assert (df.study == df.doc_id.map(labels)).all(), name


def test_same_author_and_year_disambiguated_by_letter():
    docs = pd.DataFrame([dict(doc_id="b", first_author="Maren Okonjo", year=2021, title="Second study"),
                         dict(doc_id="a", first_author="Okonjo MA", year=2021, title="First study"),
                         dict(doc_id="c", first_author="Okonjo, M.", year=2020, title="Earlier"),
                         dict(doc_id="d", first_author=None, year=None, title="Calcified nodules of the face")])
    assert study_labels(docs) == {"a": "Okonjo 2021a", "b": "Okonjo 2021b", "c": "Okonjo 2020",
                                  "d": "Calcified nodules of n.d."}


def test_cases_carry_the_evidence_behind_each_value(corpus):
    ev = corpus.evidence.set_index(["doc_id", "evidence_id"])
    for case in corpus.cases.itertuples():
        diag = ev.loc[(case.doc_id, case.condition_evidence)]
        assert diag.kind == "diagnosis" and diag.object == case.condition
        assert diag.page == case.condition_page and diag.page >= 1
        age = ev.loc[(case.doc_id, case.age_years_evidence)]
        assert age.predicate == "age" and age.value == case.age_years and age.page == case.age_years_page
        sex = ev.loc[(case.doc_id, case.sex_evidence)]
        assert sex.object == case.sex
        rows = [ev.loc[(case.doc_id, i)] for i in case.treatments_evidence]
        assert [r.subject for r in rows] == list(case.treatments_given)
        assert all(r.predicate == "given" and r.page >= 1 for r in rows)


def test_every_diagnosis_evidence_row_has_a_page(corpus):
    diag = corpus.evidence[corpus.evidence.kind == "diagnosis"]
    assert len(diag) == len(sample_pdfs())
    assert diag.page.notna().all()
