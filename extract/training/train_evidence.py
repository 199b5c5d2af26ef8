"""Train the evidence stage's learned decisions and write them to models/.

    python -m extract.training.train_evidence [--data ../shared/data] [--out models]

`evidence_treatment`: is a treatment candidate (extract.evidence.treatments) that no
vocabulary term names a treatment of the reported patient? Examples: every such candidate
in MACCROBAT folds 1-4 (positive when it overlaps an annotated Medication or
Therapeutic_procedure) and in the dev case reports of benchmarks/gold (positive when it is in
a sentence about the case and its name or class is one of the report's gold treatments).
A MACCROBAT document's entities come from the cross-fitted clinical model that did not see
it (`python -m extract.training.train_ner clinical-crossfit`, under build/; trained first
when missing), so the NER's
labels are features as honest there as on new text. MACCROBAT fold 0 and the gold's locked
test are never read. Logistic regression (scikit-learn, the `train` extra), cross-validated by
document (5 folds, over 10 orders of the documents); the decision threshold is chosen from
the cross-validated F1 over all the documents' treatments (`choose_treatment_threshold`).
Minutes on two cores, most of it the NER pass.
"""
from __future__ import annotations

import re
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from extract.evidence.casetext import per_sentence, prepare
from extract.evidence.learned import (LIKENESS_BUCKETS, TREATMENT_MODEL, LinearModel, NameLikeness, name_grams,
                                      treatment_features)
from extract.evidence.treatments import TreatmentFinder
from extract.markup.text import read_text
from extract.nlp.pipeline import document_mentions
from extract.nlp.protocols import general_protocol
from extract.training.convert import maccrobat_folds, shared_data, trainer_args
from extract.training.train_diagnosis import _prf, _smoothed, _smoothed_argmax
from extract.training.train_tagger import ner_models

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "gold"
TREATMENT_LABELS = ("Medication", "Therapeutic_procedure")
TRAIN_FOLDS = (1, 2, 3, 4)  # fold 0 is the locked test
DEV_WEIGHT = 1.0  # a dev report's candidate vs a MACCROBAT one (cross-validated: 3 was no better)
C = 0.25  # L2 strength (cross-validated over 0.25, 0.5, 1)
# thresholds whose smoothed CV F1 is this close to the best count as tied, and the highest wins:
# the candidates counted here are the ones outside the vocabulary, and end to end a false one
# costs a whole extra row. Out of fold end to end (benchmarks/evidence_cv.py, session 10) the
# smoothed best itself (0.35-0.4) gave treatment F1 0.720 against 0.729, and the lowest threshold
# within one standard error of it (0.25-0.3) 0.700
TIE = 0.015
FOLDS = 5
REPEATS = 10  # orders of the documents the threshold's cross-validation pools its counts over
THRESHOLDS = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))  # 0.05 .. 0.95
LIKENESS_C = 3.0  # L2 strength of the name likeness (annotated entities' cross-fold AUC: 1 0.935, 3 0.938)


def _brat_entities(ann: Path) -> list[tuple[str, list[int], str]]:
    """(label, offsets, text) of the text-bound annotations of a brat file."""
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].startswith("T"):
            label, *offs = re.split(r"[ ;]", parts[1])
            out.append((label, [int(x) for x in offs], parts[2]))
    return out


def brat_spans(ann: Path, labels: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the text-bound annotations with these labels (discontinuous
    spans as their outer bounds)."""
    return [(min(offs), max(offs)) for label, offs, _ in _brat_entities(ann) if label in labels]


@lru_cache(maxsize=8)
def train_likeness(data: Path, folds: tuple[int, ...]) -> NameLikeness:
    """NameLikeness learned from every annotated entity of the MACCROBAT documents of these
    folds: Medication and Therapeutic_procedure against all the other labels."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    rows, cols, vals, y = [], [], [], []
    for doc_id, fold in sorted(maccrobat_folds(data).items()):
        if fold in folds:
            for label, _, text in _brat_entities(data / "maccrobat" / f"{doc_id}.ann"):
                grams = name_grams(text)
                if grams:
                    rows += [len(y)] * len(grams)
                    cols += grams
                    vals += [1.0 / np.sqrt(len(grams))] * len(grams)
                    y.append(label in TREATMENT_LABELS)
    X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(y), LIKENESS_BUCKETS))
    clf = LogisticRegression(C=LIKENESS_C, class_weight="balanced", max_iter=3000).fit(X, np.array(y))
    return NameLikeness(float(clf.intercept_[0]), clf.coef_[0].tolist())


def likeness_for(data: Path, fold: int | None) -> NameLikeness:
    """The name likeness a document's candidates are described with: for a MACCROBAT document
    of a training fold, the one learned without that fold's annotations (as `ner_models`)."""
    return train_likeness(data, tuple(f for f in TRAIN_FOLDS if f != fold))


def _examples(doc, finder: TreatmentFinder, is_positive, likeness: NameLikeness,
              fold: int | None = None) -> list[tuple[dict, int, str]]:
    """(features, label, name) of every treatment candidate of the document that no
    vocabulary term names (those are treatments by definition; the model decides the
    rest); `fold`: the document's MACCROBAT fold (see ner_models); `likeness`: the name
    likeness learned without the document's annotations (likeness_for)."""
    ct = prepare(doc)
    mentions = document_mentions(doc, ner_models(fold), [])
    rows = []
    for s, inside in zip(ct.sentences, per_sentence(ct.sentences, mentions)):
        for c in finder.candidates(ct, s, inside):
            if c.term is not None:
                continue
            text = s.text
            f = treatment_features(text[c.a:c.b], text, c.a, c.b, c.sources, s.section, s.scope, c.flags,
                                   likeness.probability(text[c.a:c.b]))
            rows.append((f, int(is_positive(s, c)), c.name))
    return rows


def maccrobat_examples(data: Path, finder: TreatmentFinder) -> dict[str, list[tuple[dict, int, str]]]:
    """Candidates of MACCROBAT folds 1-4: labelled by the report's gold treatments (as the
    dev reports, key ``dev:mac:<id>``) for the gold's dev documents, else by overlap with an
    annotated Medication or Therapeutic_procedure (``mac:<id>``)."""
    folds = maccrobat_folds(data)
    report_gold = dev_gold("maccrobat")
    out = {}
    for doc_id, fold in sorted(folds.items()):
        if fold not in TRAIN_FOLDS:
            continue
        folder = data / "maccrobat"
        doc = read_text((folder / f"{doc_id}.txt").read_text(encoding="utf-8"), doc_id=doc_id)
        if doc_id in report_gold:
            out[f"dev:mac:{doc_id}"] = _examples(doc, finder, _in_report(report_gold[doc_id]),
                                                 likeness_for(data, fold), fold)
            continue
        gold = brat_spans(folder / f"{doc_id}.ann", TREATMENT_LABELS)
        out[f"mac:{doc_id}"] = _examples(doc, finder, lambda s, c, gold=gold: any(
            a < s.start + c.b and s.start + c.a < b for a, b in gold), likeness_for(data, fold), fold)
    return out


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-_/]", " ", (text or "").lower())).strip()


def dev_gold(source: str) -> dict[str, dict]:
    """The evidence gold's dev reports of one source (never the locked test)."""
    dev = {str(k) for k in (yaml.safe_load((GOLD / "split.yaml").read_text()) or {}).get("dev", {}).get(source) or []}
    files = [GOLD / "pdf_jats.yaml"] if source == "pdf_jats" else sorted(GOLD.glob("maccrobat_*.yaml"))
    gold = {str(k): v for f in files for k, v in (yaml.safe_load(f.read_text()) or {}).items()}
    return {k: v for k, v in gold.items() if k in dev}


def _in_report(facts: dict):
    """A candidate is positive when it is in a sentence about the case and its name or class
    is one of the report's gold treatments (or their other names)."""
    names = {_norm(n) for t in facts["treatments"] if t.get("role") != "cause"
             for n in [t["treatment"], *(t.get("also") or [])]}
    return lambda s, c: s.scope == "case" and (_norm(c.name) in names or _norm(c.treatment_class) in names)


def dev_report_examples(data: Path, finder: TreatmentFinder) -> dict[str, list[tuple[dict, int, str]]]:
    from extract.pdf.ingest import read_pdf
    out = {}
    for key, facts in sorted(dev_gold("pdf_jats").items()):
        pdf = data / "pdf_jats" / key / "fulltext.pdf"
        if pdf.is_file():
            out[f"dev:{key}"] = _examples(read_pdf(str(pdf)), finder, _in_report(facts), likeness_for(data, None))
    return out


def examples(data: Path, finder: TreatmentFinder) -> dict[str, list[tuple[dict, int, str]]]:
    """The model's training examples, by document: MACCROBAT folds 1-4 and the dev reports."""
    return {**maccrobat_examples(data, finder), **dev_report_examples(data, finder)}


def _unit_tallies(probs, y, unit, mask, thresholds) -> np.ndarray:
    """(tp, fp, fn) at each threshold over the treatments of `mask` (a document's candidates
    of one name, `unit`, taken when any of them is), as the evidence tables count them."""
    idx = np.flatnonzero(mask)
    best = np.full(unit.max() + 1, -1.0)
    label = np.zeros(unit.max() + 1, dtype=np.int64)
    np.maximum.at(best, unit[idx], probs[idx])
    np.maximum.at(label, unit[idx], y[idx])
    seen = best >= 0
    best, gold = best[seen], label[seen] == 1
    pred = best[None, :] >= np.asarray(thresholds)[:, None]
    tp = (pred & gold).sum(1)
    return np.stack([tp, pred.sum(1) - tp, gold.sum() - tp], axis=1)


def choose_treatment_threshold(tallies: np.ndarray) -> tuple[int, float, float]:
    """The decision threshold's index from out-of-fold counts `tallies[repeat, fold,
    threshold]` = (tp, fp, fn): the F1 pooled over the repeats (orders of the documents),
    smoothed over neighbouring thresholds, and the highest threshold whose smoothed F1 is
    within TIE of the best (see TIE). One order's curve alone moved the choice between 0.375 and
    0.5 (40 orders, sd 0.028, session 10); pooled over 10 it moves by one step (0.45 / 0.475 over
    four disjoint sets of orders). Returns the index, its pooled F1 and the standard error of
    the best one's fold-level F1."""
    pooled = _prf(tallies.sum((0, 1)))[0]
    smooth, best = _smoothed(pooled), _smoothed_argmax(pooled)
    fold_f1 = _prf(tallies[:, :, best])[0].ravel()
    se = float(np.std(fold_f1, ddof=1) / np.sqrt(tallies.shape[1]))
    chosen = max(i for i in range(len(smooth)) if smooth[i] >= smooth[best] - TIE)
    return chosen, float(pooled[chosen]), se


def fit(groups: dict[str, list[tuple[dict, int, str]]], name: str, c: float = C,
        dev_weight: float = DEV_WEIGHT, data: Path | None = None) -> tuple[LinearModel, dict]:
    """Logistic regression on all groups (a dev report's examples weigh `dev_weight`),
    with the threshold (`choose_treatment_threshold`) and figures of a 5-fold cross-validation
    by document repeated over REPEATS orders of the documents, over the treatments of all dev
    reports (pdf_jats and MACCROBAT, labelled by their report-level gold as the benchmark
    scores them; the other MACCROBAT documents' span labels count every medication named,
    also background ones). The model keeps the name likeness learned from the annotations of
    the MACCROBAT folds among the groups (under `data`), as their candidates held out of those folds were described."""
    import random

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    keys = sorted(groups)
    X_rows = [f for k in keys for f, _, _ in groups[k]]
    y = np.array([lab for k in keys for _, lab, _ in groups[k]])
    units: dict[tuple[str, str], int] = {}
    unit = np.array([units.setdefault((k, name), len(units)) for k in keys for _, _, name in groups[k]])
    g = np.array([k for k in keys for _ in groups[k]])
    keys_of = g.astype(str)
    dev = np.char.startswith(keys_of, "dev:")
    w = np.where(dev, dev_weight, 1.0)
    vec = DictVectorizer()
    X = vec.fit_transform(X_rows)
    masks = {"dev_reports": dev, "dev_pdf_jats": dev & ~np.char.startswith(keys_of, "dev:mac:"),
             "dev_maccrobat": np.char.startswith(keys_of, "dev:mac:"),
             "maccrobat_spans": np.char.startswith(keys_of, "mac:")}
    tallies = {m: [] for m in masks}  # [repeat][fold] -> [threshold, 3]
    for order in [keys] + [random.Random(seed).sample(keys, len(keys)) for seed in range(1, REPEATS)]:
        fold = {k: i % FOLDS for i, k in enumerate(order)}
        fold_of = np.array([fold[k] for k in g])
        probs = np.zeros(len(y))
        for k in range(FOLDS):
            tr = fold_of != k
            clf = LogisticRegression(C=c, max_iter=2000).fit(X[tr], y[tr], sample_weight=w[tr])
            probs[~tr] = clf.predict_proba(X[~tr])[:, 1]
        for m, mask in masks.items():
            tallies[m].append([_unit_tallies(probs, y, unit, mask & (fold_of == k), THRESHOLDS) for k in range(FOLDS)])
    ti, _, se = choose_treatment_threshold(np.array(tallies["dev_reports"]))
    best = THRESHOLDS[ti]
    figures = {"threshold": best, "repeats": REPEATS, "one_standard_error": round(se, 3),
               "examples": int(len(y)), "positives": int(y.sum())}
    for label, mask in masks.items():
        if mask.any():
            f, p, r = _prf(np.array(tallies[label])[:, :, ti].sum((0, 1)))
            figures[f"cv_{label}"] = {"P": round(float(p), 3), "R": round(float(r), 3), "F1": round(float(f), 3),
                                      "n": int(mask.sum())}
    clf = LogisticRegression(C=c, max_iter=2000).fit(X, y, sample_weight=w)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    bias = float(clf.intercept_[0]) + weights.pop("bias_const", 0.0)
    meta = {"figures": figures, "C": c}
    data = data or shared_data()
    mac = maccrobat_folds(data) if (data / "maccrobat").is_dir() else {}
    folds = tuple(sorted({mac[k.rsplit(":", 1)[1]] for k in keys if k.startswith(("mac:", "dev:mac:"))}))
    if folds:
        meta["likeness"] = train_likeness(data, folds).to_meta()
    return LinearModel(name, bias, weights, best, meta), figures


def main(argv: list[str] | None = None) -> int:
    args = trainer_args(argv, __doc__.splitlines()[0], "maccrobat")
    if args is None:
        return 2
    t0 = time.time()
    groups = examples(args.data, TreatmentFinder(general_protocol()))
    print(f"treatment candidates from {len(groups)} documents in {time.time() - t0:.0f}s")
    model, figures = fit(groups, TREATMENT_MODEL, data=args.data)
    model.meta["data"] = {"maccrobat_folds": list(TRAIN_FOLDS),
                          "maccrobat_docs": sum(k.startswith(("mac:", "dev:mac:")) for k in groups),
                          "dev_reports": sum(k.startswith("dev:") for k in groups)}
    model.save(args.out / TREATMENT_MODEL)
    print(TREATMENT_MODEL, figures, f"({time.time() - t0:.0f}s)")
    from extract.training import train_diagnosis
    return train_diagnosis.main(["--data", str(args.data), "--out", str(args.out)])  # condition ranker, cause model


if __name__ == "__main__":
    sys.exit(main())
