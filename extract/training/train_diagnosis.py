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

import yaml
from rapidfuzz import fuzz

from extract.evidence.casetext import prepare
from extract.evidence.conditions import (CONDITION_MODEL, candidate_pool, condition_candidates,
                                         condition_features, prose, title_disease)
from extract.evidence.causes import CAUSE_MODEL
from extract.evidence.learned import LinearModel
from extract.nlp.pipeline import document_mentions
from extract.nlp.protocols import general_protocol
from extract.training.convert import maccrobat_folds, trainer_args
from extract.training.train_tagger import ner_models

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "benchmarks" / "gold"
FOLDS = 6
MOST = (1, 2, 3, 99)  # how many names the cause model may add to one report
VETO = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # a rule's cause the model scores below this goes
TOLERANCE = 0.01
REPEATS = 3  # orders of the reports the cause model's cross-validation sums its counts over
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
    from extract.evidence.causes import cause_candidates, has_summary, rule_causes
    from extract.evidence.conditions import choose_condition, condition_scores
    from extract.evidence.treatments import TreatmentFinder
    proto = general_protocol()
    finder = TreatmentFinder(proto)
    out = {}
    for key, doc, gold, mentions in reports:
        ct = prepare(doc)
        scored = condition_scores(ct, mentions, proto, condition_model)
        found = choose_condition(ct, mentions, proto, scored=scored)
        condition = found[0] if found else None
        rule_rows, cued = rule_causes(ct, proto, condition, finder, mentions)
        golds = [names(c, "cause") for c in gold["causes"]]
        cands = cause_candidates(ct, proto, condition, finder, mentions, list(rule_rows.values()), scored)
        out[key] = dict(rules=set(rule_rows), vetoable=cued, gold=golds, summary=has_summary(ct), rows=[
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


def fit_causes(reports: dict[str, dict], external: list[tuple[dict, int, str]], name: str,
               ext_weights=(0.1, 0.5, 1.0), cs=(0.1, 0.3)) -> tuple[LinearModel, dict]:
    """Logistic regression on the dev reports' candidates (each report's weighing one in
    all) and the external pairs (`ext_weight` each); the setting and the threshold with the
    best cross-validated F1 of the reports' causes (the rules' and the model's together,
    FOLDS folds by report, the counts summed over REPEATS orders of the reports; a held-out
    report's own MACCROBAT pairs are left out too) are kept."""
    import random

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from extract.evidence.causes import _known

    keys = sorted(reports)
    rows = [(k, f, lab, nm) for k in keys for f, lab, nm in reports[k]["rows"]]
    vec = DictVectorizer()
    X = vec.fit_transform([r[1] for r in rows] + [f for f, _, _ in external])
    n = len(rows)
    y = np.array([r[2] for r in rows] + [lab for _, lab, _ in external])
    g = np.array([r[0] for r in rows])
    w_dev = np.array([len(keys) * 20.0 / max(len(reports[r[0]]["rows"]), 1) for r in rows])

    def train(mask, ext_mask, ext_w, c):
        """Fitted on the dev candidates of `mask` and the external pairs of `ext_mask`."""
        w = np.concatenate([w_dev[mask], np.where(ext_mask, ext_w, 0.0)])
        idx = np.concatenate([np.flatnonzero(mask), n + np.arange(len(external))])
        keep = w > 0
        return LogisticRegression(C=c, max_iter=5000).fit(X[idx[keep]], y[idx[keep]], sample_weight=w[keep])

    is_rule = np.array([bool(r[1].get("src=rule")) for r in rows])

    def accepted(probs, th, most, veto):
        """Per report: the rule names (those only a cue phrase gave: when their best
        candidate scores >= `veto`), and the `most` best other names scoring >= `th`."""
        out: dict[str, set[str]] = {k: set() for k in keys}
        best: dict[tuple[str, str], float] = {}
        for i in range(n):
            if is_rule[i]:
                best[(g[i], rows[i][3])] = max(best.get((g[i], rows[i][3]), 0.0), probs[i])
        for k in keys:
            out[k] = {nm for nm in reports[k]["rules"]
                      if nm not in reports[k]["vetoable"] or best.get((k, nm), 1.0) >= veto}
        added = {k: 0 for k in keys}
        for i in np.argsort(-probs):
            k, nm = g[i], rows[i][3]
            if not is_rule[i] and probs[i] >= th and added[k] < most and not _known(nm, {x: {} for x in out[k]}):
                out[k].add(nm)
                added[k] += 1
        return out

    def counts(acc) -> dict[tuple[bool, str], np.ndarray]:
        """(tp, fp, fn) of the reports with and without a summary, all and of each source."""
        out = {}
        for k in keys:
            tally = np.array(_doc_prf(reports[k], acc[k]))
            for src in ("all", k.split("/")[0]):
                key = (reports[k]["summary"], src)
                out[key] = out.get(key, 0) + tally
        return out

    def prf(tally) -> tuple[float, float, float]:
        tp, fp, fn = tally
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        return (2 * p * r / (p + r) if p + r else 0.0), p, r

    # each setting's counts summed over REPEATS orders of the reports: one split decides by chance
    totals: dict[tuple, dict[str, np.ndarray]] = {}
    for order in [keys] + [random.Random(seed).sample(keys, len(keys)) for seed in range(1, REPEATS)]:
        fold = {k: i % FOLDS for i, k in enumerate(order)}
        fold_of = np.array([fold[k] for k in g])
        ext_fold = np.array([fold.get(src, -1) for _, _, src in external])  # -1: not a dev report's pair
        for ext_w in ext_weights:
            for c in cs:
                probs = np.zeros(n)
                for k in range(FOLDS):
                    probs[fold_of == k] = train(fold_of != k, ext_fold != k, ext_w, c).predict_proba(
                        X[:n][fold_of == k])[:, 1]
                for th in np.arange(0.1, 0.96, 0.05):
                    for most in MOST:
                        for veto in VETO:
                            key = (ext_w, c, round(float(th), 2), most, veto)
                            for src, tally in counts(accepted(probs, th, most, veto)).items():
                                totals.setdefault(key, {})[src] = totals.get(key, {}).get(src, 0) + tally
    # a report with a title and abstract (a summary, where an article states its cause and the
    # rules read it) has a threshold of its own: (ext_w, c, th, th_summary, most, veto)
    ths = sorted({k[2] for k in totals})

    def tally(setting, src="all"):
        ext_w, c, th, th_summary, most, veto = setting
        return (totals[(ext_w, c, th, most, veto)].get((False, src), 0)
                + totals[(ext_w, c, th_summary, most, veto)].get((True, src), 0))

    bases = {(e, c, m, v) for e, c, _, m, v in totals}
    results = {(e, c, t, ts, m, v): prf(tally((e, c, t, ts, m, v))) for e, c, m, v in bases for t in ths for ts in ths}
    # the most cautious setting (least vetoing, highest thresholds, fewest added names) whose F1
    # is within TOLERANCE of the best
    top = max(v[0] for v in results.values())
    best = max((k for k, v in results.items() if v[0] >= top - TOLERANCE),
               key=lambda k: (-k[5], k[2] + k[3], -k[4], results[k][0]))
    rules = counts({k: set(reports[k]["rules"]) for k in keys})
    rules_only = prf(rules.get((False, "all"), 0) + rules.get((True, "all"), 0))
    figures = {"ext_weight": best[0], "C": best[1], "threshold": best[2], "threshold_summary": best[3],
               "max_per_report": best[4], "veto_below": best[5], "reports": len(keys), "repeats": REPEATS,
               "report_candidates": n, "external_pairs": len(external), "external_positives": int(y[n:].sum()),
               "cv_causes": dict(zip("FPR", (round(x, 3) for x in results[best]))),
               "rules_only": dict(zip("FPR", (round(x, 3) for x in rules_only))),
               "cv_by_ext_weight": {str(e): round(max(v[0] for k, v in results.items() if k[0] == e), 3)
                                    for e in ext_weights}}
    for src in sorted({k.split("/")[0] for k in keys}):
        f1, p, r = prf(tally(best, src))
        figures[f"cv_causes_{src}"] = {"F1": round(f1, 3), "P": round(p, 3), "R": round(r, 3)}
    clf = train(np.ones(n, dtype=bool), np.ones(len(external), dtype=bool), best[0], best[1])
    weights = dict(zip(vec.get_feature_names_out(), clf.coef_[0].tolist()))
    bias = float(clf.intercept_[0]) + weights.pop("bias_const", 0.0)
    meta = {"figures": figures, "threshold_summary": best[3], "max_per_report": best[4], "veto_below": best[5]}
    return LinearModel(name, bias, weights, best[2], meta), figures


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
