"""Train the outcome model (models/evidence_outcome): which outcome statement of a case, if
any, is the first stated result of a treatment given.

    python -m extract.training.train_outcome [--data ../shared/data] [--out models]

Examples: the dev reports of benchmarks/gold (the pdf_jats dev reports read from their
PDFs, the MACCROBAT dev reports as plain text with the entities of the cross-fitted NER
models that never saw them), run through the evidence stage with the shipped protocols.
Each gold treatment matched to a treatment row (as benchmarks/evidence.py matches them)
whose outcome the rules leave unknown gives the candidate statements of all the row's
mentions (extract.evidence.outcomes.OutcomeReader.pairs); a candidate is positive when the
outcome it states is the gold outcome (none for a gold treatment without one). The locked test is
never read. Logistic regression (scikit-learn, the `train` extra), cross-validated by
document (5 folds). The decision threshold is fixed (THRESHOLD): a row takes the model's
outcome when that is likelier right than not. A threshold searched on the cross-validated
accuracy swung between 0.25 and 0.9 from fold to fold (about 60 positives, a flat curve),
and chosen inside nested cross-validation it did no better than the fixed one out of fold.
A few minutes on two cores, most of it reading the documents.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import yaml

from extract.evidence.facts import evidence_stage
from extract.evidence.learned import LinearModel
from extract.evidence.outcomes import OUTCOME_MODEL, OutcomeReader, Statement
from extract.markup.text import read_text
from extract.nlp.pipeline import MODELS_DIR
from extract.nlp.protocols import PROTOCOL_DIR
from extract.stages import RunConfig
from extract.training.convert import maccrobat_folds, shared_data
from extract.training.train_tagger import ner_models

GOLD = Path(__file__).resolve().parents[2] / "benchmarks" / "gold"
C = 1.0
THRESHOLD = 0.5  # see the module docstring: fixed, not searched


def _norm(text: str | None) -> str:
    """A treatment name as benchmarks/evidence.py compares them."""
    return re.sub(r"\s+", " ", re.sub(r"[-_/]", " ", (text or "").lower().replace("\u2019", "'"))).strip()


@dataclass
class Unit:
    """A gold treatment matched to a row: its gold outcome ("unknown" when none), the
    outcome the rules give the row, and, per mention of the row, the candidate statements
    with their features."""

    treatment: str
    gold: str
    rules: str
    mentions: list[list[tuple[Statement, dict[str, float]]]]


def dev_documents(data: Path):
    """(key, document, gold facts) of every dev report with gold and a file."""
    from extract.pdf.ingest import read_pdf
    split = yaml.safe_load((GOLD / "split.yaml").read_text())["dev"]
    gold = {"pdf_jats": yaml.safe_load((GOLD / "pdf_jats.yaml").read_text()) or {}, "maccrobat": {}}
    for f in sorted(GOLD.glob("maccrobat_*.yaml")):
        gold["maccrobat"].update({str(k): v for k, v in (yaml.safe_load(f.read_text()) or {}).items()})
    for src in ("pdf_jats", "maccrobat"):
        for key in map(str, split.get(src) or []):
            if key not in gold[src]:
                continue
            if src == "pdf_jats":
                pdf = data / "pdf_jats" / key / "fulltext.pdf"
                if pdf.is_file():
                    yield f"{src}/{key}", read_pdf(str(pdf)), gold[src][key]
            else:
                txt = data / "maccrobat" / f"{key}.txt"
                if txt.is_file():
                    yield f"{src}/{key}", read_text(txt.read_text(encoding="utf-8"), doc_id=key, path=str(txt)), \
                        gold[src][key]


def document_units(doc, gold: dict, cfg: RunConfig) -> list[Unit]:
    """The units of one document: the evidence stage run with the outcome model's step
    replaced by one that keeps the candidates (so the rows' outcomes are the rules')."""
    pairs: dict[tuple[int, int], list] = {}

    def keep(reader, ct, per_sentence, picks):
        for m, cands in reader.pairs(ct, per_sentence, picks):
            pairs[(m.start, m.end)] = cands
        return {}

    with mock.patch.object(OutcomeReader, "attribute", keep):
        rows = [t for t in evidence_stage(doc, cfg)["treatments"]
                if t.get("scope", "case") == "case" and t.get("status") != "unknown"]
    units = []
    for gt in (t for t in gold["treatments"] if t.get("role") != "cause"):
        want = {_norm(gt["treatment"])} | {_norm(a) for a in gt.get("also") or []}
        hit = next((r for r in rows if _norm(r["treatment"]) in want), None)
        if hit is None:
            continue
        rows.remove(hit)
        spans = [tuple(map(int, s.split("-"))) for s in hit["mentions"]]
        units.append(Unit(hit["treatment"], gt.get("outcome") or "unknown", hit["outcome"], [pairs[s] for s in spans if s in pairs]))
    return units


def collect(data: Path) -> dict[str, list[Unit]]:
    """The units of every dev report; a MACCROBAT report's entities come from the
    cross-fitted NER models that never saw it (as on new text and in the benchmark's
    `--crossfit`), so the features are as honest here as at run time."""
    folds = maccrobat_folds(data)
    out = {}
    for key, doc, gold in dev_documents(data):
        options = {"protocol": str(PROTOCOL_DIR)}
        src, name = key.split("/", 1)
        if src == "maccrobat" and folds.get(name):
            options["models"] = ner_models(folds[name], data)
        out[key] = document_units(doc, gold, RunConfig(options=options))
    return out


def decide(unit: Unit, mentions: list[list[tuple[float, str]]], threshold: float) -> str:
    """A row's outcome as OutcomeReader.attribute and row_outcome decide it: the rules'
    when they read one, else the likeliest candidate (probability, outcome) of its
    mentions when it reaches the threshold."""
    best = max((c for cs in mentions for c in cs), default=(0.0, "unknown"), key=lambda c: c[0])
    return unit.rules if unit.rules != "unknown" else best[1] if best[0] >= threshold else "unknown"


def accuracy(units: list[Unit], probs: list[list[list[tuple[float, str]]]], threshold: float) -> tuple[float, float]:
    """(accuracy over the matched treatments, over those whose gold states an outcome)."""
    got = [decide(u, p, threshold) == u.gold for u, p in zip(units, probs)]
    stated = [g for g, u in zip(got, units) if u.gold != "unknown"]
    return sum(got) / max(len(got), 1), sum(stated) / max(len(stated), 1)


def fit(groups: dict[str, list[Unit]], c: float = C) -> tuple[LinearModel, dict]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    keys = sorted(groups)
    # the model decides only the rows the rules read no outcome for: it learns from those
    rows = [(k, ui, mi, st, f, int(st.label == u.gold)) for k in keys for ui, u in enumerate(groups[k])
            if u.rules == "unknown" for mi, cands in enumerate(u.mentions) for st, f in cands]
    vec = DictVectorizer()
    X = vec.fit_transform([r[4] for r in rows])
    y = np.array([r[5] for r in rows])
    g = np.array([r[0] for r in rows])
    probs = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(X, y, g):
        probs[te] = LogisticRegression(C=c, max_iter=3000).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
    units = [u for k in keys for u in groups[k]]
    per_unit = {(k, ui): [[] for _ in u.mentions] for k in keys for ui, u in enumerate(groups[k])}
    for (k, ui, mi, st, _, _), p in zip(rows, probs):
        per_unit[(k, ui)][mi].append((float(p), st.label))
    unit_probs = [per_unit[(k, ui)] for k in keys for ui in range(len(groups[k]))]
    figures = {"threshold": THRESHOLD, "documents": len(keys), "treatments": len(units),
               "candidates": len(rows), "positives": int(y.sum())}
    for part in ("", "pdf_jats/", "maccrobat/"):
        sel = [i for i, k in enumerate(k for k in keys for _ in groups[k]) if k.startswith(part)]
        if sel:
            name = part.strip("/") or "all"
            for label, th in ((f"cv_{name}", THRESHOLD), (f"rules_{name}", 2.0)):  # 2.0: the model never decides
                acc, stated = accuracy([units[i] for i in sel], [unit_probs[i] for i in sel], th)
                figures[label] = {"outcome": round(acc, 3), "outcome_stated": round(stated, 3),
                                  "n": len(sel), "n_stated": sum(units[i].gold != "unknown" for i in sel)}
    clf = LogisticRegression(C=c, max_iter=3000).fit(X, y)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    bias = float(clf.intercept_[0]) + weights.pop("bias_const", 0.0)
    return LinearModel(OUTCOME_MODEL, bias, weights, THRESHOLD, {"figures": figures, "C": c}), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    t0 = time.time()
    groups = collect(args.data)
    if not groups:
        print(f"no dev reports under {args.data}: nothing to train on", file=sys.stderr)
        return 2
    model, figures = fit(groups)
    model.save(args.out / OUTCOME_MODEL)
    print(OUTCOME_MODEL, figures, f"({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
