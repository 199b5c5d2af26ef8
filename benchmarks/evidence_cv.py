"""Cross-validated evidence figures on the dev reports: every dev report of benchmarks/gold
(pdf_jats and MACCROBAT) is scored with benchmarks/evidence.py's scorer by an
evidence_treatment model trained without it, and a MACCROBAT report also with the entities
of the cross-fitted clinical NER that did not see it (build/crossfit, from
`python -m extract.training.train_ner clinical-crossfit`). The shipped treatment model and
clinical NER saw every dev report, so the plain benchmark's dev figures are in-sample for
them; these are not. MACCROBAT dev is the better proxy for unseen text.

Four rounds: round k holds out MACCROBAT fold k (k = 1-4; fold 0 is the locked test and is
never read) and every fourth pdf_jats dev report; the model is trained (its threshold by its
own inner cross-validation) on the rest.

    python benchmarks/evidence_cv.py [--data ../shared/data] [--protocol models/protocols]
                                     [--mode both|protocol|generic] [--thresholds 0.3,0.5,0.7] [--failures]
                                     [--vocabulary full|held-out]

`--thresholds`: also score each round's model at these decision thresholds (a sweep,
out of fold; the default is each model's own).

`--vocabulary held-out` (generic mode only): common.yaml's `treatments:` list was grown from
dev failures, and a candidate a vocabulary term names is a treatment without the model, so
with the full list the held-out reports' own treatments are partly found by terms added for
them. Held out, each round leaves out every vocabulary entry that names (name or synonym, as
the scorer normalises them) a gold treatment of a held-out report and of no report the round
trains on, for the candidates the model is trained on as for the run that is scored: a
vocabulary grown from the training folds only. Entries that name no dev treatment stay.
"""
from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import evidence as bench  # noqa: E402
from _common import arg_parser  # noqa: E402

from extract import RunConfig, run_stages  # noqa: E402
from extract.evidence import facts, treatments  # noqa: E402
from extract.evidence.learned import TREATMENT_MODEL  # noqa: E402
from extract.evidence.treatments import TreatmentFinder  # noqa: E402
from extract.nlp.protocols import PROTOCOL_DIR, Protocol, Term, general_protocol, load_protocols  # noqa: E402
from extract.training import train_evidence  # noqa: E402
from extract.training.convert import maccrobat_folds  # noqa: E402
from extract.training.train_tagger import ner_models  # noqa: E402

ROUNDS = train_evidence.TRAIN_FOLDS


def gold_treatment_names(gold: dict) -> set[str]:
    """The names a report's scored treatments may be found by (name and `also`), normalised."""
    return {n for t in gold["treatments"] if t.get("role") != "cause" for n in bench.names(t, "treatment")}


def held_out_vocabulary(terms: list[Term], held: set[str], trained: set[str]) -> list[Term]:
    """The vocabulary entries a list grown from the training reports could have: all but
    those naming one of the held-out reports' treatments (`held`) and none of the training
    reports' (`trained`), names normalised by the scorer."""
    def names(t: Term) -> set[str]:
        return {bench.norm(n) for n in (t.name, *t.synonyms)}
    return [t for t in terms if not names(t) & held or names(t) & trained]


def round_vocabulary(general: Protocol, cases: list, fold: dict, k: int) -> Protocol:
    """The general layer with round k's held-out vocabulary (held_out_vocabulary)."""
    names = [(fold[c.source, c.key] == k, gold_treatment_names(c.gold)) for c in cases]
    kept = held_out_vocabulary(general.treatments, set().union(*(n for held, n in names if held)),
                               set().union(*(n for held, n in names if not held)))
    print(f"round {k}: {len(general.treatments) - len(kept)} of {len(general.treatments)} vocabulary entries held out",
          flush=True)
    return dataclasses.replace(general, treatments=kept)


def main(argv: list[str] | None = None) -> int:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--protocol", default=str(PROTOCOL_DIR), help="protocol file or folder for the protocol mode")
    ap.add_argument("--mode", choices=("both", "protocol", "generic"), default="both")
    ap.add_argument("--failures", action="store_true", help="list the out-of-fold mismatches")
    ap.add_argument("--thresholds", default="", help="comma-separated decision thresholds to score as well")
    ap.add_argument("--vocabulary", choices=("full", "held-out"), default="full",
                    help="held-out: leave out the vocabulary entries that name only held-out reports' treatments")
    args = ap.parse_args(argv)
    if args.vocabulary == "held-out" and args.mode != "generic":
        ap.error("--vocabulary held-out needs --mode generic (a protocol includes the full vocabulary)")
    t0 = time.time()
    general = general_protocol()
    cases = [c for c in bench.load_cases(args.data, dev_only=True)[0] if c.part == "dev"]
    mac_fold = maccrobat_folds(args.data)
    pdfs = sorted(c.key for c in cases if c.source == "pdf_jats")
    fold = {("maccrobat", k): f for k, f in mac_fold.items()}
    fold.update({("pdf_jats", k): ROUNDS[i % len(ROUNDS)] for i, k in enumerate(pdfs)})
    group_fold = {f"{p}{k}": f for k, f in mac_fold.items() for p in ("mac:", "dev:mac:")}
    group_fold.update({f"dev:{k}": fold["pdf_jats", k] for k in pdfs})
    modes = {m: proto for m, proto in (("protocol", args.protocol), ("generic", [])) if args.mode in ("both", m)}
    subtypes = {bench.norm(t.name) for p in load_protocols(args.protocol) for t in p.subtypes}
    sweep = [None] + [float(t) for t in args.thresholds.split(",") if t]  # None: the model's own
    scores = {(th, m, src): bench.Scores() for th in sweep for m in modes for src in bench.SOURCES}
    fails: list[str] = []
    groups = None
    shipped = treatments.load_model, facts.general_protocol
    try:
        for k in ROUNDS:
            vocabulary = general if args.vocabulary == "full" else round_vocabulary(general, cases, fold, k)
            if groups is None or vocabulary is not general:  # the training candidates under this vocabulary
                groups = train_evidence.examples(args.data, TreatmentFinder(vocabulary))
            facts.general_protocol = lambda v=vocabulary: v
            model, _ = train_evidence.fit({n: v for n, v in groups.items() if group_fold.get(n) != k}, TREATMENT_MODEL,
                                          data=args.data)
            own = model.threshold
            treatments.load_model = lambda name, m=model: m
            for case in (c for c in cases if fold[c.source, c.key] == k):
                doc = bench.read(case)
                ner = ner_models(k if case.source == "maccrobat" else None)
                for th, mode in ((th, mode) for th in sweep for mode in modes):
                    model.threshold = own if th is None else th
                    cfg = RunConfig(stages=("evidence",), options={"protocol": modes[mode], "models": ner})
                    res = run_stages(doc, cfg)
                    s = scores[th, mode, case.source]
                    s.docs += 1
                    bench.score_case(case.gold, res.records, s, fails if mode == "generic" and th is None else [],
                                     f"{case.source}/{case.key}", subtypes)
    finally:
        treatments.load_model, facts.general_protocol = shipped
    if args.failures:
        print("-- generic mode, out-of-fold mismatches\n" + "\n".join(fails) + "\n")
    for th, mode in ((th, mode) for th in sweep for mode in modes):
        for src in (*bench.SOURCES, None):
            s = bench.Scores()
            for (t, m, source), sc in scores.items():
                if t == th and m == mode and src in (None, source):
                    s.add(sc)
            p, r, f = s.by["treatment"].prf()
            extra = " ".join(f"{k.replace(' ', '_')}={s.by[k].acc():.2f}" for k in ("status", "outcome stated")
                             if s.by[k].n)
            print(f"threshold {'own' if th is None else th:5} {mode:8} {src or 'all':9} ({s.docs:2} reports): "
                  f"treatment F1 {f:.3f} (P {p:.3f} R {r:.3f}) {extra}")
    print(f"dev reports out of fold ({len(ROUNDS)} rounds), {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
