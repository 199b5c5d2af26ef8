"""Train the evidence stage's condition ranker and cause classifier and write them to models/.

    python -m extract.training.train_diagnosis [--data ../shared/data] [--out models]

`evidence_condition` (extract.evidence.conditions): which candidate disease phrase is the
report's own diagnosis? Trained on the dev reports of benchmarks/gold (split.yaml `dev`:
22 pdf_jats reports read from their PDFs, 20 MACCROBAT reports read as plain text): a
candidate is positive when its name is the gold condition or one of its `also` names (the
benchmark's phrase test). `evidence_cause` (extract.evidence.causes): is a candidate the
cause of the report's condition? See `cause_groups`. The gold's locked test and MACCROBAT
fold 0 are never read. Logistic regression (scikit-learn, the `train` extra),
cross-validated by document; the figures go to each model's `meta`.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from extract.evidence.casetext import prepare
from extract.evidence.conditions import (CONDITION_MODEL, condition_candidates, condition_features, prose,
                                         title_disease)
from extract.evidence.learned import LinearModel
from extract.nlp.pipeline import MODELS_DIR, document_mentions
from extract.nlp.protocols import general_protocol
from extract.training.convert import shared_data

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "gold"
FOLDS = 6


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-_/]", " ", (text or "").lower().replace("’", "'"))).strip()


def same_phrase(pred: str, gold: set[str]) -> bool:
    """The benchmark's test: equal, one inside the other (whole words), or
    token_sort_ratio >= 85."""
    p = norm(pred)
    return bool(p) and any(p == g or re.search(rf"(?<!\w){re.escape(p)}(?!\w)", g)
                           or re.search(rf"(?<!\w){re.escape(g)}(?!\w)", p)
                           or fuzz.token_sort_ratio(p, g) >= 85 for g in gold)


def names(item: dict, key: str) -> set[str]:
    return {norm(item[key])} | {norm(a) for a in item.get("also") or []}


def dev_reports(data: Path) -> list[tuple[str, object, dict]]:
    """(key, Document, gold facts) of every dev report of the gold (never the locked test)."""
    from extract.markup.text import read_text
    from extract.pdf.ingest import read_pdf
    split = (yaml.safe_load((GOLD / "split.yaml").read_text()) or {})["dev"]
    gold = {"pdf_jats": yaml.safe_load((GOLD / "pdf_jats.yaml").read_text()) or {}, "maccrobat": {}}
    for f in sorted(GOLD.glob("maccrobat_*.yaml")):
        gold["maccrobat"].update({str(k): v for k, v in (yaml.safe_load(f.read_text()) or {}).items()})
    out = []
    for key in split.get("pdf_jats") or []:
        pdf = data / "pdf_jats" / key / "fulltext.pdf"
        if key in gold["pdf_jats"] and pdf.is_file():
            out.append((f"pdf_jats/{key}", read_pdf(str(pdf)), gold["pdf_jats"][key]))
    for key in map(str, split.get("maccrobat") or []):
        txt = data / "maccrobat" / f"{key}.txt"
        if key in gold["maccrobat"] and txt.is_file():
            out.append((f"maccrobat/{key}", read_text(txt.read_text(encoding="utf-8"), doc_id=key, path=str(txt)),
                        gold["maccrobat"][key]))
    return out


# -- condition ----------------------------------------------------------------------------
def condition_groups(reports) -> dict[str, list[tuple[dict, int, str]]]:
    """Per report: (features, label, name) of every condition candidate."""
    proto = general_protocol()
    out = {}
    for key, doc, gold in reports:
        ct = prepare(doc)
        mentions = document_mentions(doc, None, [])
        cands = condition_candidates(ct, mentions, proto)
        want = names(gold, "condition")
        sents = prose(ct)
        named = title_disease(" ".join(s.text for s in sents if s.section == "title"), proto)
        out[key] = [(condition_features(c, cands, ct, proto, sents, named), int(same_phrase(c.name, want)), c.name)
                    for c in cands]
    return out


def _pairs(X, y, g, keys):
    """Differences (positive - negative candidate) within each report, both ways round,
    each report's pairs weighing one report in all: a ranking learned as a classifier."""
    import numpy as np
    import scipy.sparse as sp
    rows, labels, weights = [], [], []
    for key in keys:
        idx = np.flatnonzero(g == key)
        pos, neg = idx[y[idx] == 1], idx[y[idx] == 0]
        if not len(pos) or not len(neg):
            continue
        pi, ni = np.repeat(pos, len(neg)), np.tile(neg, len(pos))
        diff = X[pi] - X[ni]
        rows += [diff, -diff]
        labels += [np.ones(len(pi)), np.zeros(len(pi))]
        weights += [np.full(2 * len(pi), 1.0 / (2 * len(pi)))]
    return sp.vstack(rows).tocsr(), np.concatenate(labels), np.concatenate(weights) * len(keys)


def _fit(X, y, w, c):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=c, max_iter=5000, fit_intercept=False).fit(X, y, sample_weight=w)


def fit_ranker(groups: dict[str, list[tuple[dict, int, str]]], name: str,
               cs=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0)) -> tuple[LinearModel, dict]:
    """A linear ranking of each report's candidates (logistic regression on candidate
    differences within a report, `_pairs`); the report's condition is its best-scored
    candidate. C is chosen by top-1 accuracy in a cross-validation by report (FOLDS
    folds); the figures are that CV's."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    keys = sorted(groups)
    rows = [(k, f, lab, nm) for k in keys for f, lab, nm in groups[k]]
    vec = DictVectorizer()
    X = vec.fit_transform([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    g = np.array([r[0] for r in rows])
    fold = {k: i % FOLDS for i, k in enumerate(keys)}
    fold_of = np.array([fold[k] for k in g])

    def cv(c):
        scores = np.zeros(len(y))
        for k in range(FOLDS):
            tr, te = fold_of != k, fold_of == k
            scores[te] = X[te] @ _fit(*_pairs(X[tr], y[tr], g[tr], keys), c).coef_[0]
        return {key: bool(y[idx[np.argmax(scores[idx])]]) if len(idx) else False
                for key in keys for idx in [np.flatnonzero(g == key)]}

    results = {c: cv(c) for c in cs}
    best_c = max(cs, key=lambda c: (sum(results[c].values()), -c))
    right = results[best_c]
    figures = {"C": best_c, "reports": len(keys), "candidates": len(rows), "cv_folds": FOLDS}
    for src in sorted({k.split("/")[0] for k in keys}) + ["all"]:
        ks = [k for k in keys if src == "all" or k.startswith(src + "/")]
        figures[f"cv_top1_{src}"] = round(sum(right[k] for k in ks) / len(ks), 3)
    figures["cv_top1_by_C"] = {str(c): round(sum(r.values()) / len(r), 3) for c, r in results.items()}
    figures["cv_misses"] = sorted(k for k, v in right.items() if not v)
    clf = _fit(*_pairs(X, y, g, keys), best_c)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    weights.pop("bias_const", None)
    return LinearModel(name, 0.0, weights, 0.5, {"figures": figures}), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    if not (args.data / "pdf_jats").is_dir():
        print(f"no pdf_jats under {args.data}: nothing to train on", file=sys.stderr)
        return 2
    t0 = time.time()
    reports = dev_reports(args.data)
    model, figures = fit_ranker(condition_groups(reports), CONDITION_MODEL)
    model.save(args.out / CONDITION_MODEL)
    print(CONDITION_MODEL, figures, f"({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
