"""Train the evidence stage's learned decisions and write them to models/.

    python -m extract.training.train_evidence [--data ../shared/data] [--out models]

`evidence_treatment`: is a treatment candidate (extract.evidence.treatments) that no
vocabulary term names a treatment of the reported patient? Examples: every such candidate
in MACCROBAT folds 1-4 (positive when it
overlaps an annotated Medication or Therapeutic_procedure) and in the dev case reports of
benchmarks/gold (positive when it is in a sentence about the case and its name or class is
one of the report's gold treatments). MACCROBAT fold 0 and the gold's locked test are never
read. Logistic regression (scikit-learn, the `train` extra), cross-validated by document
(5 folds); the decision threshold is the one with the best cross-validated F1. Minutes on
two cores, most of it the NER pass over the documents.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

from extract.evidence.casetext import prepare
from extract.evidence.learned import TREATMENT_MODEL, LinearModel, treatment_features
from extract.evidence.treatments import TreatmentFinder
from extract.markup.text import read_text
from extract.nlp.pipeline import MODELS_DIR, document_mentions
from extract.nlp.protocols import general_protocol
from extract.training.convert import maccrobat_folds, shared_data

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "gold"
TREATMENT_LABELS = ("Medication", "Therapeutic_procedure")
# MACCROBAT entities an NER model confuses with treatments on text it has not seen: added
# as negative candidates, since the clinical NER (trained on these documents) rarely errs here
CONFUSABLE = ("Sign_symptom", "Disease_disorder", "Diagnostic_procedure", "Biological_structure",
              "Lab_value", "Detailed_description", "Clinical_event", "Activity", "Outcome", "Other_event",
              "Nonbiological_location", "Severity", "Coreference")
TRAIN_FOLDS = (1, 2, 3, 4)  # fold 0 is the locked test
# the threshold maximises F-beta on the dev reports: recall counts double, because their gold
# (written before supportive care and counselling counted as treatments) lists fewer than
# the reports give, so a threshold tuned on plain F1 learns its omissions
BETA = 2.0
DEV_WEIGHT = 3.0  # a full-text report's candidate vs a MACCROBAT one (fewer, and the target domain)


def brat_spans(ann: Path, labels: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the text-bound annotations with these labels (discontinuous
    spans as their outer bounds)."""
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].startswith("T"):
            continue
        label, *offs = re.split(r"[ ;]", parts[1])
        if label in labels:
            nums = [int(x) for x in offs]
            out.append((min(nums), max(nums)))
    return out


def _examples(doc, finder: TreatmentFinder, is_positive, extra: list[dict] = ()) -> list[tuple[dict, int, str]]:
    """(features, label, name) of every treatment candidate of the document that no
    vocabulary term names (those are treatments by definition; the model decides the
    rest); `extra`: more entity rows to take as candidates."""
    ct = prepare(doc)
    mentions = document_mentions(doc, None, []) + list(extra)
    rows = []
    for s in ct.sentences:
        for c in finder.candidates(ct, s, mentions):
            if c.term is not None:
                continue
            text = s.text
            f = treatment_features(text[c.a:c.b], text, c.a, c.b, c.sources, s.section, s.scope, c.flags)
            rows.append((f, int(is_positive(s, c)), c.name))
    return rows


def maccrobat_examples(data: Path, finder: TreatmentFinder) -> dict[str, list[tuple[dict, int]]]:
    folds = maccrobat_folds(data)
    out = {}
    for doc_id, fold in sorted(folds.items()):
        if fold not in TRAIN_FOLDS:
            continue
        folder = data / "maccrobat"
        gold = brat_spans(folder / f"{doc_id}.ann", TREATMENT_LABELS)
        text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
        others = [dict(label="Therapeutic_procedure", char_start=a, char_end=b, text=text[a:b])
                  for a, b in brat_spans(folder / f"{doc_id}.ann", CONFUSABLE)
                  if not any(x < b and a < y for x, y in gold)]
        out[f"mac:{doc_id}"] = _examples(read_text(text, doc_id=doc_id), finder, lambda s, c, gold=gold: any(
            a < s.start + c.b and s.start + c.a < b for a, b in gold), others)
    return out


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-_/]", " ", (text or "").lower())).strip()


def dev_report_examples(data: Path, finder: TreatmentFinder) -> dict[str, list[tuple[dict, int]]]:
    from extract.pdf.ingest import read_pdf
    dev = set((yaml.safe_load((GOLD / "split.yaml").read_text()) or {}).get("dev", {}).get("pdf_jats") or [])
    gold = yaml.safe_load((GOLD / "pdf_jats.yaml").read_text()) or {}
    out = {}
    for key in sorted(dev & set(gold)):
        pdf = data / "pdf_jats" / key / "fulltext.pdf"
        if not pdf.is_file():
            continue
        names = {_norm(n) for t in gold[key]["treatments"] if t.get("role") != "cause"
                 for n in [t["treatment"], *(t.get("also") or [])]}
        out[f"dev:{key}"] = _examples(read_pdf(str(pdf)), finder, lambda s, c, names=names: s.scope == "case" and (
            _norm(c.name) in names or _norm(c.treatment_class) in names))
    return out


def fit(groups: dict[str, list[tuple[dict, int]]], name: str, c: float = 0.5,
        dev_weight: float = DEV_WEIGHT, tune_on: str = "dev", beta: float = BETA) -> tuple[LinearModel, dict]:
    """Logistic regression on all groups (a dev report's examples weigh `dev_weight`),
    with the threshold and figures of a 5-fold cross-validation by document; the threshold
    is the one with the best F1 on the dev reports' examples, the kind of report the
    model serves."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    keys = sorted(groups)
    X_rows = [f for k in keys for f, _, _ in groups[k]]
    y = np.array([lab for k in keys for _, lab, _ in groups[k]])
    units = [(k, name) for k in keys for _, _, name in groups[k]]
    g = np.array([k for k in keys for _ in groups[k]])
    w = np.where(np.char.startswith(g.astype(str), "dev:"), dev_weight, 1.0)
    vec = DictVectorizer()
    X = vec.fit_transform(X_rows)
    probs = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(X, y, g):
        clf = LogisticRegression(C=c, max_iter=2000)
        clf.fit(X[tr], y[tr], sample_weight=w[tr])
        probs[te] = clf.predict_proba(X[te])[:, 1]

    def prf(mask_set, th):
        """P/R/F1 over treatments (a document's candidates of one name, taken when any
        of them is), as the evidence tables count them."""
        best_p: dict[tuple, float] = {}
        label: dict[tuple, int] = {}
        for i in np.flatnonzero(mask_set):
            u = units[i]
            best_p[u] = max(best_p.get(u, 0.0), probs[i])
            label[u] = max(label.get(u, 0), int(y[i]))
        pred = np.array([best_p[u] >= th for u in best_p])
        gold = np.array([label[u] == 1 for u in best_p])
        tp = int((pred & gold).sum())
        p = tp / max(pred.sum(), 1)
        r = tp / max(gold.sum(), 1)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), ((1 + b2) * p * r / (b2 * p + r) if p + r else 0.0)

    b2 = beta * beta

    every = np.ones(len(y), dtype=bool)
    dev = np.char.startswith(g.astype(str), "dev:")
    tune = dev if tune_on == "dev" and dev.any() else every
    best = max((prf(tune, th)[3], th) for th in np.arange(0.05, 0.96, 0.025))[1]
    figures = {"threshold": round(float(best), 3), "examples": int(len(y)), "positives": int(y.sum())}
    for label, mask in (("all", every), ("maccrobat", np.char.startswith(g.astype(str), "mac:")),
                        ("dev_reports", dev)):
        if mask.any():
            p, r, f, _ = prf(mask, best)
            figures[f"cv_{label}"] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "n": int(mask.sum())}
    clf = LogisticRegression(C=c, max_iter=2000).fit(X, y, sample_weight=w)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    bias = float(clf.intercept_[0]) + weights.pop("bias_const", 0.0)
    return LinearModel(name, bias, weights, float(best), {"figures": figures, "C": c}), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    if not (args.data / "maccrobat").is_dir():
        print(f"no MACCROBAT under {args.data}: nothing to train on", file=sys.stderr)
        return 2
    t0 = time.time()
    finder = TreatmentFinder(general_protocol())
    groups = maccrobat_examples(args.data, finder)
    groups.update(dev_report_examples(args.data, finder))
    print(f"treatment candidates from {len(groups)} documents in {time.time() - t0:.0f}s")
    model, figures = fit(groups, TREATMENT_MODEL)
    model.meta["data"] = {"maccrobat_folds": list(TRAIN_FOLDS),
                          "maccrobat_docs": sum(k.startswith("mac:") for k in groups),
                          "dev_reports": sum(k.startswith("dev:") for k in groups)}
    model.save(args.out / TREATMENT_MODEL)
    print(TREATMENT_MODEL, figures, f"({time.time() - t0:.0f}s)")
    from extract.training import train_diagnosis  # the condition ranker and the cause model
    return train_diagnosis.main(["--data", str(args.data), "--out", str(args.out)])


if __name__ == "__main__":
    sys.exit(main())
