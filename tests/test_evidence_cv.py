"""benchmarks/evidence_cv.py's held-out vocabulary: which entries a round leaves out."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from evidence_cv import gold_treatment_names, held_out_vocabulary  # noqa: E402

from extract.nlp.protocols import Term  # noqa: E402

VOCABULARY = [
    Term("plasma exchange", "procedure", ("plasmapheresis",)),
    Term("oral rehydration", "other", ("oral re-hydration salts",)),
    Term("skin graft", "procedure"),
    Term("warm compresses", "other"),
    Term("chelation", "other", ("iron chelation",)),
]


def _report(*treatments: tuple[str, list[str]], cause: str | None = None) -> dict:
    rows = [{"treatment": name, "status": "given", "also": also} for name, also in treatments]
    if cause:
        rows.append({"treatment": cause, "status": "given", "role": "cause"})
    return {"treatments": rows}


def test_gold_names_are_normalised_like_the_scorer_and_skip_causes():
    gold = _report(("Plasma-Exchange", ["PLEX"]), ("oral  rehydration", []), cause="Iron chelation")
    assert gold_treatment_names(gold) == {"plasma exchange", "plex", "oral rehydration"}


def test_entries_naming_only_held_out_treatments_are_left_out():
    held = gold_treatment_names(_report(("Plasmapheresis", []), ("oral re-hydration salts", []),
                                        ("skin graft", [])))
    trained = gold_treatment_names(_report(("split-thickness skin graft", ["skin graft"])))
    kept = held_out_vocabulary(VOCABULARY, held, trained)
    # plasma exchange (by its synonym) and oral rehydration (by its synonym, hyphen normalised)
    # name only held-out treatments; the skin graft is a training report's too; the others
    # name no treatment at all and stay
    assert [t.name for t in kept] == ["skin graft", "warm compresses", "chelation"]


def test_nothing_held_out_keeps_the_whole_vocabulary():
    assert held_out_vocabulary(VOCABULARY, set(), {"plasma exchange"}) == VOCABULARY
