"""Timings: detection, normalization and anchoring on project-written phrases.

The phrase and anchor tables in tests/data are the project's own wording. Corpus figures
(TimeBank, MACCROBAT) live in benchmarks/timings.py; here one data test checks that the
TimeML reader and the tagger agree on real TIMEX3 spans, and skips without ../shared.
"""
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest

from extract.timings.numbers import parse_number
from extract.timings.expressions import Timing, find_timings, iso_duration, timings_frame

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(os.environ.get("CASEMINE_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def _load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))


PHRASES = _load("timing_phrases.tsv")
ANCHORS = _load("timing_anchors.tsv")


def one(text: str, span: str) -> Timing:
    hits = [t for t in find_timings(text) if t.text == span]
    assert hits, f"{span!r} not found in {[t.text for t in find_timings(text)]}"
    return hits[0]


# --- the tables --------------------------------------------------------------------------
def test_tables_are_big_enough():
    assert len(PHRASES) >= 150
    assert len(ANCHORS) >= 60
    assert sum(r["type"] == "NONE" for r in PHRASES) >= 10


def test_phrase_table_accuracy():
    """Every field of every row (type, value, min/max, mod, days) as the table says."""
    from timings import phrase_errors  # benchmarks/timings.py

    failures = [(r["phrase"], e) for r in PHRASES if (e := phrase_errors(r))]
    assert len(failures) <= 0.03 * len(PHRASES), failures


def test_anchor_table_accuracy():
    from timings import anchor_result

    results = [anchor_result(r) for r in ANCHORS]
    kind_acc = sum(k for k, _, _ in results) / len(results)
    misses = [(r["sentence"], why) for r, (k, _, why) in zip(ANCHORS, results, strict=True)
              if not k]
    assert kind_acc >= 0.85, misses


# --- normalization ------------------------------------------------------------------------
@pytest.mark.parametrize("text,span,type_,value,mod", [
    ("the cyst had been there for well over a decade", "over a decade", "DURATION", "P10Y",
     "MORE_THAN"),
    ("lesions arose within 3 weeks of the sting", "within 3 weeks", "DURATION", "P3W",
     "LESS_THAN_OR_EQUAL"),
    ("she had laser resurfacing 9 years ago", "9 years ago", "DATE", "P9Y", None),
    ("lidocaine cream for 45 minutes", "45 minutes", "DURATION", "PT45M", None),
    ("a nine-year-old girl", "nine-year-old", "AGE", "P9Y", None),
    ("injections every six weeks", "every six weeks", "SET", "R/P6W", None),
    ("the plaque was biopsied in 2004", "2004", "DATE", "2004", None),
    ("first described in 1855", "1855", "DATE", "1855", None),
    ("seen in April 2017", "April 2017", "DATE", "2017-04", None),
])
def test_normalization(text, span, type_, value, mod):
    t = one(text, span)
    assert (t.type, t.value, t.mod) == (type_, value, mod)


def test_days_are_comparable_across_units():
    six_months = one("followed for 6 months", "6 months")
    weeks = one("followed for 26 weeks", "26 weeks")
    assert six_months.days == pytest.approx(6 * 30.4375)
    assert weeks.days == 182
    assert abs(six_months.days - weeks.days) < 1


def test_range_sets_min_and_max_not_value():
    t = one("the flush faded over 24-36 hours", "over 24-36 hours")
    assert t.value is None and (t.value_min, t.value_max) == ("PT24H", "PT36H")
    assert (t.days_min, t.days_max) == pytest.approx((1.0, 1.5))


def test_hyphenated_adjective_range():
    t = one("a 2- to 4-year history of nodules", "2- to 4-year")
    assert (t.value_min, t.value_max) == ("P2Y", "P4Y")


def test_vague_amount_uses_x_and_no_days():
    t = one("present for a few weeks", "a few weeks")
    assert (t.value, t.days) == ("PXW", None)


def test_schedule_count_merges_with_frequency():
    t = one("microneedling was done monthly for four sessions", "monthly for four sessions")
    assert (t.type, t.value, t.count) == ("SET", "R4/P1M", 4)
    alone = one("she completed eight sessions", "eight sessions")
    assert (alone.type, alone.value, alone.count) == ("SET", None, 8)


def test_times_per_period_has_freq():
    t = one("emollient three times daily", "three times daily")
    assert (t.value, t.freq) == ("R/P1D", "3X")


def test_a_dose_per_day_is_a_schedule_not_a_one_day_duration():
    t = one("methimazole was increased to 15 mg a day", "a day")
    assert (t.type, t.value) == ("SET", "R/P1D")


def test_ambiguous_numeric_date_keeps_text_without_value():
    t = one("reviewed on 05/06/2020", "05/06/2020")
    assert t.type == "DATE" and t.value is None
    assert one("reviewed on 25/06/2020", "25/06/2020").value == "2020-06-25"


@pytest.mark.parametrize("text", [
    "nodules 4 to 13 mm in diameter", "a grade 2/6 murmur", "Fitzpatrick IV skin type",
    "2/3 of patients responded", "calcium 2.45 mmol/L", "stage 3 disease",
    "she may decline surgery", "a second opinion was sought", "500 mg of vitamin D",
    "seen on 31/02/2020", "a 6-minute walk test", "protein 0.4 g/24 h",
])
def test_non_times_are_not_timings(text):
    assert find_timings(text) == []


def test_offsets_index_the_input():
    text = "History: nodules for two years. Seen again in May 2020 after 3 sessions."
    for t in find_timings(text):
        assert text[t.char_start:t.char_end] == t.text
    assert [t.text for t in find_timings(text)] == ["two years", "May 2020", "3 sessions"]


def test_iso_duration_helper():
    assert iso_duration(3, "weeks") == ("P3W", 21.0)
    assert iso_duration(2.5, "years")[0] == "P2Y6M"
    assert iso_duration(None, "months") == ("PXM", None)


@pytest.mark.parametrize("words,value", [
    ("fifteen", 15), ("twenty-four", 24), ("a", 1), ("one and a half", 1.5),
    ("two-and-a-half", 2.5), ("a hundred", 100), ("3,000", 3000), ("several", None)])
def test_parse_number(words, value):
    assert parse_number(words) == value


# --- anchoring ----------------------------------------------------------------------------
def test_anchor_after_following():
    t = one("Calcification was seen roughly 10 days following the leak of the infusion.",
            "roughly 10 days")
    assert t.anchor == "leak" or t.anchor.startswith("leak")
    assert t.relation == "after"


def test_age_kind_and_event_fallback():
    ts = find_timings("A 71-year-old man had scaly plaques for three months.")
    kinds = {t.text: t.event_kind for t in ts}
    assert kinds == {"71-year-old": "age", "three months": "onset"}


def test_parse_is_used_when_present():
    """With a dependency parse, the timing's governing verb decides the event; without one
    the nearest cue in the same clause does (here the wrong one)."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    words = ["The", "nodules", "regressed", ",", "as", "the", "repeat", "biopsy", "confirmed",
             ",", "within", "2", "weeks", "."]
    heads = [1, 2, 2, 2, 8, 7, 7, 8, 2, 2, 2, 12, 10, 2]
    deps = ["det", "nsubj", "ROOT", "punct", "mark", "det", "compound", "nsubj", "advcl",
            "punct", "prep", "nummod", "pobj", "punct"]
    pos = ["DET", "NOUN", "VERB", "PUNCT", "SCONJ", "DET", "NOUN", "NOUN", "VERB", "PUNCT",
           "ADP", "NUM", "NOUN", "PUNCT"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos,
              sent_starts=[True] + [False] * 13)
    plain = one(doc.text, "within 2 weeks")
    parsed = next(x for x in find_timings(doc.text, doc) if x.text == "within 2 weeks")
    assert plain.event_kind == "diagnosis"
    assert (parsed.event, parsed.event_kind) == ("regressed", "resolution")


def test_cues_in_the_anchor_clause_are_not_the_event():
    t = one("New nodules were noticed 3 weeks after the swelling resolved.", "3 weeks")
    assert (t.anchor, t.event_kind) == ("swelling", "onset")


@pytest.mark.parametrize("text,kinds", [
    ("Received: 3 May 2021 Accepted: 9 June 2021", ["publication", "publication"]),
    ("Received 3 May 2021; accepted 9 June 2021; published online 1 July 2021.",
     ["publication"] * 3),
    # the same words as verbs of the case keep their treatment reading
    ("She received 5 mg of the drug on 3 May 2021.", ["treatment"]),
    ("He was admitted on 3 May 2021 and received: nothing by mouth.", ["treatment"]),
])
def test_article_history_dates_are_publication_not_treatment(text, kinds):
    assert [t.event_kind for t in find_timings(text)] == kinds


def test_sentence_boundaries_limit_event_search():
    text = "The graft was placed in 2001. Nodules were first noticed 4 years later."
    ts = {t.text: t for t in find_timings(text)}
    assert ts["2001"].event_kind == "exposure"
    assert ts["4 years later"].event_kind == "onset"


def test_frame_has_contract_columns():
    text = "Nodules began in 2012. She was followed for 6 months."
    df = timings_frame(find_timings(text), text=text, doc_id="d1")
    for col in ("doc_id", "timing_id", "text", "type", "value", "value_min", "value_max", "days",
                "days_min", "days_max", "mod", "event", "event_kind", "anchor", "sentence",
                "char_start", "char_end"):
        assert col in df.columns
    assert list(df["value"]) == ["2012", "P6M"] and set(df["doc_id"]) == {"d1"}
    assert df.loc[1, "sentence"] == "She was followed for 6 months."
    assert list(df["timing_id"]) == [0, 1]


def test_whole_document_is_fast():
    import time

    text = " ".join(r["sentence"] for r in ANCHORS) * 5  # ~25k characters
    t0 = time.perf_counter()
    ts = find_timings(text)
    assert len(ts) > 300
    assert time.perf_counter() - t0 < 2.0  # generous: shared CI cores


# --- real data ------------------------------------------------------------------------------
@pytest.mark.skipif(not (SHARED / "data" / "timeml_tbaq").is_dir(),
                    reason=f"TimeBank+AQUAINT not found under {SHARED}/data (set CASEMINE_SHARED)")
def test_timebank_durations_found():
    """Most TIMEX3 DURATIONs of a few TimeBank files overlap a found timing."""
    from timings import read_tml

    files = sorted((SHARED / "data" / "timeml_tbaq" / "TimeBank").glob("*.tml"))[:40]
    gold_n = hit = 0
    for f in files:
        text, gold = read_tml(f)
        pred = find_timings(text)
        for g in gold:
            if g["type"] != "DURATION":
                continue
            gold_n += 1
            hit += any(p.char_start < g["end"] and g["start"] < p.char_end for p in pred)
    assert gold_n > 10 and hit / gold_n >= 0.8


def test_a_text_read_twice_gives_equal_fresh_timings():
    # the detection is cached per text (the timings stage and the ages of the evidence stage
    # read the same case sections); each call must still get its own Timing objects
    text = ("A 52-year-old woman was given oral colchicine twice daily for six weeks. "
            "Two months after the last dose the nodules had resolved.")
    first = find_timings(text)
    assert {t.type for t in first} >= {"AGE", "DURATION"}
    for t in first:
        t.anchor, t.event, t.char_start = "changed", "changed", -1
    second = find_timings(text)
    assert all(t.char_start >= 0 and t.anchor != "changed" and t.event != "changed" for t in second)
    assert [t.to_dict() for t in second] == [t.to_dict() for t in find_timings(text)]
    assert not any(a is b for a in first for b in second)
