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

import re
import sys
import time
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz import fuzz

from extract.evidence.casetext import prepare
from extract.evidence.conditions import (CONDITION_MODEL, candidate_pool, condition_candidates,
                                         condition_features, prose, title_disease)
from extract.evidence.causes import CAUSE_MODEL, an_organism
from extract.evidence.learned import LinearModel
from extract.nlp.pipeline import document_mentions
from extract.nlp.protocols import general_protocol
from extract.training.convert import maccrobat_folds, trainer_args
from extract.training.train_tagger import ner_models

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "gold"
FOLDS = 6
# The cause model's setting. Chosen out of fold on the dev reports (session 9): the external
# pairs' weight (0.1 / 0.5 / 1 within 0.003 F1 of each other) and C (0.3 never better than
# 0.1) do not matter beyond noise and are fixed; the rest is chosen by `choose_cause_setting`.
EXT_WEIGHT = 0.5
C_CAUSE = 0.1
MOST = (1, 2, 3, 99)  # how many names the cause model may add to one report
VETO = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # a rule's cause the model scores below this goes
# 0.1 .. 0.95, and 1.1: no name of the model. A report whose rules found a cause (it states
# one with a cue) takes none: the model's best other name there is mostly a finding
# (session 9: CV 0.310 -> 0.331 on dev, article reports 0.327 -> 0.397; the samples' extras go).
THRESHOLDS = tuple(round(0.1 + 0.05 * i, 2) for i in range(18)) + (1.1,)
REPEATS = 10  # orders of the reports (fold seeds) the cause model's cross-validation sums its counts over
LOCKED_FOLD = 0  # MACCROBAT's locked-test fold (benchmarks/gold/README.md): never read


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


def dev_reports(data: Path) -> list[tuple[str, object, dict, list[dict]]]:
    """(key, Document, gold facts, entity rows) of every dev report of the gold (never the
    locked test). A MACCROBAT report's entities come from the cross-fitted clinical NER that
    did not see it (the shipped one was trained on it and is near-perfect there), so the
    models learn from entities as noisy as on new text."""
    from extract.markup.text import read_text
    from extract.pdf.ingest import read_pdf
    split = (yaml.safe_load((GOLD / "split.yaml").read_text()) or {})["dev"]
    gold = {"pdf_jats": yaml.safe_load((GOLD / "pdf_jats.yaml").read_text()) or {}, "maccrobat": {}}
    for f in sorted(GOLD.glob("maccrobat_*.yaml")):
        gold["maccrobat"].update({str(k): v for k, v in (yaml.safe_load(f.read_text()) or {}).items()})
    folds = maccrobat_folds(data)
    out = []
    for key in split.get("pdf_jats") or []:
        pdf = data / "pdf_jats" / key / "fulltext.pdf"
        if key in gold["pdf_jats"] and pdf.is_file():
            doc = read_pdf(str(pdf))
            out.append((f"pdf_jats/{key}", doc, gold["pdf_jats"][key], document_mentions(doc, ner_models(None), [])))
    for key in map(str, split.get("maccrobat") or []):
        txt = data / "maccrobat" / f"{key}.txt"
        if key in gold["maccrobat"] and txt.is_file():
            doc = read_text(txt.read_text(encoding="utf-8"), doc_id=key, path=str(txt))
            out.append((f"maccrobat/{key}", doc, gold["maccrobat"][key],
                        document_mentions(doc, ner_models(folds[key]), [])))
    return out


# -- condition ----------------------------------------------------------------------------
def condition_groups(reports) -> dict[str, list[tuple[dict, int, str, bool]]]:
    """Per report: (features, label, name, in the pool the choice is among) of every
    condition candidate."""
    proto = general_protocol()
    out = {}
    for key, doc, gold, mentions in reports:
        ct = prepare(doc)
        cands = condition_candidates(ct, mentions, proto)
        want = names(gold, "condition")
        sents = prose(ct)
        named = title_disease(" ".join(s.text for s in sents if s.section == "title"), proto)
        pool = {id(c) for c in candidate_pool(cands, sents)}
        out[key] = [(condition_features(c, cands, ct, proto, sents, named), int(same_phrase(c.name, want)), c.name,
                     id(c) in pool) for c in cands]
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


def fit_ranker(groups: dict[str, list[tuple[dict, int, str, bool]]], name: str,
               cs=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0), repeats: int = 4) -> tuple[LinearModel, dict]:
    """A linear ranking of each report's candidates (logistic regression on candidate
    differences within a report, `_pairs`); the report's condition is its best-scored
    candidate. C is chosen by top-1 accuracy in a cross-validation by report (FOLDS
    folds), repeated over `repeats` orders of the reports (one report is a point of
    accuracy: a single split decides by chance); the figures are that CV's means, and
    `cv_misses` the reports missed in half the repeats or more."""
    import random

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    keys = sorted(groups)
    rows = [(k, f, lab, nm, pool) for k in keys for f, lab, nm, pool in groups[k]]
    vec = DictVectorizer()
    X = vec.fit_transform([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    g = np.array([r[0] for r in rows])
    in_pool = np.array([r[4] for r in rows])
    orders = [keys] + [random.Random(seed).sample(keys, len(keys)) for seed in range(1, repeats)]

    def cv(c):
        """Per report: the share of the repeats whose held-out choice was right."""
        right = dict.fromkeys(keys, 0.0)
        for order in orders:
            fold = {k: i % FOLDS for i, k in enumerate(order)}
            fold_of = np.array([fold[k] for k in g])
            scores = np.zeros(len(y))
            for k in range(FOLDS):
                tr, te = fold_of != k, fold_of == k
                scores[te] = X[te] @ _fit(*_pairs(X[tr], y[tr], g[tr], keys), c).coef_[0]
            for key in keys:
                idx = np.flatnonzero((g == key) & in_pool)
                right[key] += bool(len(idx) and y[idx[np.argmax(scores[idx])]]) / len(orders)
        return right

    results = {c: cv(c) for c in cs}
    best_c = max(cs, key=lambda c: (round(sum(results[c].values()), 6), -c))
    right = results[best_c]
    figures = {"C": best_c, "reports": len(keys), "candidates": len(rows), "cv_folds": FOLDS, "cv_repeats": repeats}
    for src in sorted({k.split("/")[0] for k in keys}) + ["all"]:
        ks = [k for k in keys if src == "all" or k.startswith(src + "/")]
        figures[f"cv_top1_{src}"] = round(sum(right[k] for k in ks) / len(ks), 3)
    figures["cv_top1_by_C"] = {str(c): round(sum(r.values()) / len(r), 3) for c, r in results.items()}
    figures["cv_misses"] = sorted(k for k, v in right.items() if v <= 0.5)
    clf = _fit(*_pairs(X, y, g, keys), best_c)
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    weights.pop("bias_const", None)
    return LinearModel(name, 0.0, weights, 0.5, {"figures": figures}), figures


# -- causes -------------------------------------------------------------------------------
def report_cause_examples(reports, condition_model: LinearModel) -> dict[str, dict]:
    """Per dev report: the cause candidates' (features, label, name), the names the cause
    rules give and the gold causes; the condition is the one the shipped condition model
    chooses, as at run time."""
    from extract.evidence.causes import cause_candidates, named_cause, rule_causes
    from extract.evidence.conditions import choose_condition, condition_scores
    from extract.evidence.treatments import TreatmentFinder
    from extract.stages import RunConfig
    from extract.timings.expressions import timing_records
    proto = general_protocol()
    finder = TreatmentFinder(proto)
    out = {}
    for key, doc, gold, mentions in reports:
        ct = prepare(doc)
        scored = condition_scores(ct, mentions, proto, condition_model)
        found = choose_condition(ct, mentions, proto, scored=scored)
        condition = found[0] if found else None
        rule_rows, cued = rule_causes(ct, proto, condition, finder, mentions)
        rule_rows.update(named_cause(ct, proto, condition, finder, rule_rows))  # as `find_causes` reads them
        golds = [names(c, "cause") for c in gold["causes"]]
        found = finder.find(ct, timing_records(doc, RunConfig())["timings"], mentions)
        given = frozenset(t["treatment"].lower() for t in finder.given_in_case(found, condition)[1])
        cands = cause_candidates(ct, proto, condition, finder, mentions, list(rule_rows.values()), scored, given)
        out[key] = dict(rules=set(rule_rows), vetoable=cued, gold=golds, rows=[
            (c.features, int(any(same_phrase(c.name, g) for g in golds)), c.name) for c in cands])
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z0-9])|\n+", text):
        out.append((start, m.start()))
        start = m.end()
    return out + [(start, len(text))]


def bc5cdr_examples(data: Path) -> list[tuple[dict, int, str]]:
    """(features, label, source) of the chemical-disease pairs of one sentence of the BC5CDR
    train and dev abstracts, positive when the abstract's chemical-induced-disease relations
    hold the pair."""
    from extract.evidence.causes import pair_features
    out = []
    for name in ("CDR_TrainingSet.PubTator.txt", "CDR_DevelopmentSet.PubTator.txt"):
        path = data / "bc5cdr" / name
        if not path.is_file():
            continue
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            lines = block.strip().splitlines()
            if len(lines) < 2:
                continue
            text = lines[0].split("|", 2)[2] + " " + lines[1].split("|", 2)[2]
            ents, cid = [], set()
            for line in lines[2:]:
                parts = line.split("\t")
                if len(parts) >= 6 and parts[1].isdigit():
                    ents.append((int(parts[1]), int(parts[2]), parts[4], parts[5]))
                elif len(parts) == 4 and parts[1] == "CID":
                    cid.add((parts[2], parts[3]))
            for a, b in _sentences(text):
                chems = [e for e in ents if a <= e[0] and e[1] <= b and e[2] == "Chemical"]
                dis = [e for e in ents if a <= e[0] and e[1] <= b and e[2] == "Disease"]
                for c in chems:
                    for d in dis:
                        f = pair_features(text[a:b], c[0] - a, c[1] - a, "drug", (d[0] - a, d[1] - a))
                        out.append((f, int(any((x, y) in cid for x in c[3].split("|") for y in d[3].split("|"))),
                                    "bc5cdr"))
    return out


def maccrobat_examples(data: Path) -> list[tuple[dict, int, str]]:
    """(features, label, source) of the pairs of entities of one sentence of MACCROBAT folds
    1-4 (never fold 0, the locked test): a possible cause (disease, sign, medication,
    procedure) and an effect (disease, sign), positive when a CAUSE relation links them. The
    source is the report's key (``maccrobat/<id>``): some are dev reports, whose pairs the
    cross-validation leaves out with the report."""
    from extract.evidence.causes import CAUSE_LABELS, pair_features
    from extract.training.convert import maccrobat_folds
    out = []
    for doc_id, fold in sorted(maccrobat_folds(data).items()):
        if fold == LOCKED_FOLD:
            continue
        text = (data / "maccrobat" / f"{doc_id}.txt").read_text(encoding="utf-8")
        ents, events, causes = {}, {}, set()
        for line in (data / "maccrobat" / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if parts[0].startswith("T") and len(parts) >= 3:
                label, *offs = re.split(r"[ ;]", parts[1])
                nums = [int(x) for x in offs]
                ents[parts[0]] = (min(nums), max(nums), label)
            elif parts[0].startswith("E"):
                events[parts[0]] = parts[1].split()[0].split(":")[1]
            elif parts[0].startswith("R") and parts[1].startswith("CAUSE"):
                _, x, y = parts[1].split()
                causes.add((events.get(x[5:], x[5:]), events.get(y[5:], y[5:])))
        for a, b in _sentences(text):
            inside = {k: e for k, e in ents.items() if a <= e[0] and e[1] <= b}
            for ck, c in inside.items():
                if c[2] not in CAUSE_LABELS:
                    continue
                for ek, e in inside.items():
                    if ek != ck and e[2] in ("Disease_disorder", "Sign_symptom") and not (c[0] < e[1] and e[0] < c[1]):
                        f = pair_features(text[a:b], c[0] - a, c[1] - a, CAUSE_LABELS[c[2]], (e[0] - a, e[1] - a))
                        out.append((f, int((ck, ek) in causes), f"maccrobat/{doc_id}"))
    return out


def _doc_prf(report: dict, accepted: set[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of a report's causes, each gold cause matched by one predicted name, as
    the benchmark counts them."""
    pred = list(accepted)
    tp = 0
    for g in report["gold"]:
        hit = next((p for p in pred if same_phrase(p, g)), None)
        if hit:
            pred.remove(hit)
            tp += 1
    return tp, len(pred), len(report["gold"]) - tp


def _report_tallies(report: dict, scored: list[tuple[float, str, bool]], rule_best: dict[str, float]) -> np.ndarray:
    """(tp, fp, fn) of one report's causes for every (most, veto, threshold) of the grid: the
    rule names (those only a cue phrase gave: when their best candidate scores >= veto), the
    `most` best other names scoring >= threshold and beside them the best organism scoring
    >= threshold (`scored`: (probability, name, an organism) of the report's other
    candidates), as `learned_causes` takes them."""
    from extract.evidence.causes import _known

    out = np.zeros((len(MOST), len(VETO), len(THRESHOLDS), 3), dtype=np.int64)
    ranked = sorted(scored, key=lambda x: -x[0])
    organism = next(((p, nm) for p, nm, org in ranked if org), None)
    seen: dict[frozenset, tuple[int, int, int]] = {}
    for vi, veto in enumerate(VETO):
        base = {nm for nm in report["rules"] if nm not in report["vetoable"] or rule_best.get(nm, 1.0) >= veto}
        for mi, most in enumerate(MOST):
            taken, added = set(base), []
            for p, nm, _ in ranked:  # the names added as the threshold falls: a prefix for each threshold
                if len(added) >= most:
                    break
                if not _known(nm, {x: {} for x in taken}):
                    taken.add(nm)
                    added.append((p, nm))
            for ti, th in enumerate(THRESHOLDS):
                acc = base | {nm for p, nm in added if p >= th}
                if organism and organism[0] >= th and not _known(organism[1], {x: {} for x in acc}):
                    acc.add(organism[1])
                acc = frozenset(acc)
                if acc not in seen:
                    seen[acc] = _doc_prf(report, acc)
                out[mi, vi, ti] = seen[acc]
    return out


def _prf(tally: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """F1, precision and recall of (..., 3) arrays of (tp, fp, fn)."""
    tp, fp, fn = tally[..., 0], tally[..., 1], tally[..., 2]
    p, r = tp / np.maximum(tp + fp, 1), tp / np.maximum(tp + fn, 1)
    return np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0), p, r


def _smoothed(f: np.ndarray) -> np.ndarray:
    """Each threshold's F1 as the mean of it and its neighbours' (a lone spike of F1 is noise)."""
    pad = np.pad(f, 1, mode="edge")
    return (pad[:-2] + pad[1:-1] + pad[2:]) / 3


def _smoothed_argmax(f: np.ndarray) -> int:
    """The index of the best smoothed F1 (`_smoothed`), the highest threshold on a tie."""
    smooth = _smoothed(f)
    return len(f) - 1 - int(np.argmax(smooth[::-1]))


def choose_cause_setting(tallies: np.ndarray, ruled: np.ndarray, folds: np.ndarray) -> tuple[dict, float, float]:
    """The cause model's setting from out-of-fold per-report counts, `tallies[repeat, most,
    veto, threshold, report]` = (tp, fp, fn), `ruled[report]`: whether the rules found a cause
    there (those take no name of the model), `folds[repeat, report]`: its fold in that repeat.

    A structure is a veto level and a number of names per report; its threshold is the best
    of the F1 pooled over the repeats, smoothed over neighbouring thresholds. The
    one-standard-error rule (Breiman et al. 1984): of the structures whose F1 is within one
    standard error of the best one's (the spread of its fold-level F1 over sqrt(FOLDS)), the
    simplest (least veto, then fewest names) is kept. With ~150 reports the F1 surface is
    flat within noise; taking its best or most cautious corner swung the setting with a
    single report's candidates. Returns the setting, its pooled F1 and the standard error."""
    pooled = tallies.sum(0)  # [most, veto, threshold, report, 3]
    none = len(THRESHOLDS) - 1
    f1 = _prf(pooled[:, :, :, ~ruled].sum(3) + pooled[:, :, none, ruled].sum(2)[:, :, None])[0]
    structures = []  # (simplicity key, F1, (most, veto, threshold) indices)
    for mi, vi in np.ndindex(len(MOST), len(VETO)):
        ti = _smoothed_argmax(f1[mi, vi])
        structures.append(((VETO[vi], MOST[mi]), f1[mi, vi, ti], (mi, vi, ti)))
    best = max(structures, key=lambda s: s[1])
    mi, vi, ti = best[2]
    fold_f1 = []
    for rep in range(tallies.shape[0]):
        for k in range(FOLDS):
            inside = folds[rep] == k
            fold_f1.append(_prf(tallies[rep, mi, vi, ti, inside & ~ruled].sum(0)
                                + tallies[rep, mi, vi, none, inside & ruled].sum(0))[0])
    se = float(np.std(fold_f1, ddof=1) / np.sqrt(FOLDS))
    chosen = min((s for s in structures if s[1] >= best[1] - se), key=lambda s: s[0])
    mi, vi, ti = chosen[2]
    setting = {"threshold": THRESHOLDS[ti], "max_per_report": MOST[mi], "veto_below": VETO[vi]}
    return setting, float(chosen[1]), se


def fit_causes(reports: dict[str, dict], external: list[tuple[dict, int, str]], name: str,
               ext_weight: float = EXT_WEIGHT, c: float = C_CAUSE) -> tuple[LinearModel, dict]:
    """Logistic regression on the dev reports' candidates (each report's weighing one in
    all) and the external pairs (`ext_weight` each); the setting (`choose_cause_setting`)
    from the cross-validated counts of the reports' causes (the rules' and the model's
    together, FOLDS folds by report, REPEATS orders of the reports; a held-out report's own
    MACCROBAT pairs are left out too)."""
    import random

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    keys = sorted(reports)
    rows = [(k, f, lab, nm) for k in keys for f, lab, nm in reports[k]["rows"]]
    vec = DictVectorizer()
    X = vec.fit_transform([r[1] for r in rows] + [f for f, _, _ in external])
    n = len(rows)
    y = np.array([r[2] for r in rows] + [lab for _, lab, _ in external])
    g = np.array([r[0] for r in rows])
    w_dev = np.array([len(keys) * 20.0 / max(len(reports[r[0]]["rows"]), 1) for r in rows])
    is_rule = np.array([bool(r[1].get("src=rule")) for r in rows])
    organism = np.array([an_organism(r[1]) for r in rows])
    ruled = np.array([bool(reports[k]["rules"]) for k in keys])  # the rules found a cause: no name of the model

    def train(mask, ext_mask):
        """Fitted on the dev candidates of `mask` and the external pairs of `ext_mask`."""
        w = np.concatenate([w_dev[mask], np.where(ext_mask, ext_weight, 0.0)])
        idx = np.concatenate([np.flatnonzero(mask), n + np.arange(len(external))])
        keep = w > 0
        return LogisticRegression(C=c, max_iter=5000).fit(X[idx[keep]], y[idx[keep]], sample_weight=w[keep])

    def report_tallies(probs) -> np.ndarray:
        """[most, veto, threshold, report, 3] of one out-of-fold scoring."""
        scored = {k: [] for k in keys}
        rule_best: dict[str, dict[str, float]] = {k: {} for k in keys}
        for i, (k, _, _, nm) in enumerate(rows):
            if is_rule[i]:
                rule_best[k][nm] = max(rule_best[k].get(nm, 0.0), probs[i])
            else:
                scored[k].append((probs[i], nm, organism[i]))
        return np.stack([_report_tallies(reports[k], scored[k], rule_best[k]) for k in keys], axis=3)

    # REPEATS orders of the reports: one split decides by chance
    tallies, folds = [], []
    for order in [keys] + [random.Random(seed).sample(keys, len(keys)) for seed in range(1, REPEATS)]:
        fold = {k: i % FOLDS for i, k in enumerate(order)}
        fold_of = np.array([fold[k] for k in g])
        ext_fold = np.array([fold.get(src, -1) for _, _, src in external])  # -1: not a dev report's pair
        probs = np.zeros(n)
        for k in range(FOLDS):
            probs[fold_of == k] = train(fold_of != k, ext_fold != k).predict_proba(X[:n][fold_of == k])[:, 1]
        tallies.append(report_tallies(probs))
        folds.append(np.array([fold[k] for k in keys]))
    tallies, folds = np.stack(tallies), np.stack(folds)
    setting, _, se = choose_cause_setting(tallies, ruled, folds)
    mi, vi = MOST.index(setting["max_per_report"]), VETO.index(setting["veto_below"])
    ti, none = THRESHOLDS.index(setting["threshold"]), len(THRESHOLDS) - 1
    chosen = tallies[:, mi, vi]  # [repeat, threshold, report, 3]
    per_report = np.where(ruled[None, :, None], chosen[:, none], chosen[:, ti])  # [repeat, report, 3]
    rules = np.array([_doc_prf(reports[k], set(reports[k]["rules"])) for k in keys])
    figures = {"ext_weight": ext_weight, "C": c, **setting, "reports": len(keys), "repeats": REPEATS,
               "report_candidates": n, "external_pairs": len(external), "external_positives": int(y[n:].sum()),
               "cv_causes": dict(zip("FPR", (round(float(x), 3) for x in _prf(per_report.sum((0, 1)))))),
               "cv_causes_sd_over_repeats": round(float(np.std(_prf(per_report.sum(1))[0], ddof=1)), 3),
               "one_standard_error": round(se, 3),
               "rules_only": dict(zip("FPR", (round(float(x), 3) for x in _prf(rules.sum(0)))))}
    for src in sorted({k.split("/")[0] for k in keys}):
        inside = np.array([k.split("/")[0] == src for k in keys])
        f1, p, r = _prf(per_report[:, inside].sum((0, 1)))
        figures[f"cv_causes_{src}"] = {"F1": round(float(f1), 3), "P": round(float(p), 3), "R": round(float(r), 3)}
    clf = train(np.ones(n, dtype=bool), np.ones(len(external), dtype=bool))
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    bias = float(clf.intercept_[0]) + weights.pop("bias_const", 0.0)
    meta = {"figures": figures, "max_per_report": setting["max_per_report"], "veto_below": setting["veto_below"]}
    return LinearModel(name, bias, weights, setting["threshold"], meta), figures


def main(argv: list[str] | None = None) -> int:
    args = trainer_args(argv, __doc__.splitlines()[0], "pdf_jats")
    if args is None:
        return 2
    t0 = time.time()
    reports = dev_reports(args.data)
    condition, figures = fit_ranker(condition_groups(reports), CONDITION_MODEL)
    condition.save(args.out / CONDITION_MODEL)
    print(CONDITION_MODEL, figures, f"({time.time() - t0:.0f}s)")
    external = bc5cdr_examples(args.data) + maccrobat_examples(args.data)
    model, figures = fit_causes(report_cause_examples(reports, condition), external, CAUSE_MODEL)
    model.save(args.out / CAUSE_MODEL)
    print(CAUSE_MODEL, figures, f"({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
