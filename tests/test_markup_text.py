"""Plain text in: `extract.read_text` gives a Document every stage accepts, offsets into
the text as given and no pages."""
from __future__ import annotations

import extract
from extract.stages import RunConfig

REPORT = """A 61-year-old man was admitted with painful swelling of the left knee for 3 weeks.

He was given oral naproxen 500 mg twice daily and the swelling resolved within 10 days.

Discussion

Such swellings are often treated with rest and anti-inflammatory drugs [1].
"""


def test_read_text_sections_follow_headings_and_keep_offsets():
    doc = extract.read_text(REPORT, doc_id="t1", title="Knee swelling")
    assert doc.doc_id == "t1" and doc.n_pages == 0 and doc.metadata.title == "Knee swelling"
    assert [s.kind for s in doc.sections] == ["case", "discussion"]
    case, disc = doc.sections
    assert case.heading is None and disc.heading == "Discussion"
    for s in doc.sections:
        assert REPORT[s.char_start:s.char_end] == s.text
    assert case.text.startswith("A 61-year-old man") and case.text.endswith("within 10 days.")
    assert disc.text.startswith("Such swellings")
    assert doc.page_at(5) is None


def test_read_text_default_id_is_the_text_hash():
    assert extract.read_text(REPORT).doc_id == extract.read_text(REPORT).doc_id
    assert extract.read_text(REPORT).doc_id != extract.read_text(REPORT + " ").doc_id


def test_stages_run_on_a_text_document():
    doc = extract.read_text(REPORT, doc_id="t2")
    res = extract.run_stages(doc, RunConfig(stages=("structure", "timings", "evidence")))
    assert not res.failed and "errors" not in res.records, res.records.get("errors")
    timings = {r["text"]: r for r in res.records["timings"]}
    assert timings["3 weeks"]["value"] == "P3W"
    assert all(r["page"] is None for r in res.records["timings"])
    patient = res.records["patients"][0]
    assert patient["age_years"] == 61 and patient["sex"] == "male"
    assert patient["page"] is None and REPORT[patient["char_start"]:patient["char_end"]].startswith("61-year-old")


def test_a_drug_no_protocol_lists_is_a_treatment_given():
    doc = extract.read_text(REPORT, doc_id="t3")
    res = extract.run_stages(doc, RunConfig(stages=("structure", "timings", "mentions", "evidence")))
    rows = [t for t in res.records["treatments"] if t["treatment"] == "naproxen" and t["scope"] == "case"]
    assert len(rows) == 1, [t["treatment"] for t in res.records["treatments"]]
    assert (rows[0]["status"], rows[0]["dose"], rows[0]["route"]) == ("given", "500 mg", "oral")
