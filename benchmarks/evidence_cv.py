"""Cross-validated evidence figures on the dev reports: each dev report of
benchmarks/gold/pdf_jats.yaml is scored (with benchmarks/evidence.py's scorer) by an
evidence_treatment model trained without it (5 folds by report; MACCROBAT folds 1-4 in
every training set). The shipped model saw every dev report, so the plain benchmark's dev
figures are in-sample for the treatment decision; these are not.

    python benchmarks/evidence_cv.py [--data ../shared/data] [--protocol models/protocols | none]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import evidence as bench  # noqa: E402
from _common import arg_parser  # noqa: E402

from extract.evidence import treatments  # noqa: E402
from extract.evidence.facts import evidence_stage  # noqa: E402
from extract.evidence.learned import TREATMENT_MODEL  # noqa: E402
from extract.evidence.treatments import TreatmentFinder  # noqa: E402
from extract.nlp.protocols import PROTOCOL_DIR, general_protocol, load_protocols  # noqa: E402
from extract.pdf.ingest import read_pdf  # noqa: E402
from extract.stages import RunConfig  # noqa: E402
from extract.training import train_evidence  # noqa: E402

FOLDS = 5


def main(argv: list[str] | None = None) -> int:
    ap = arg_parser(__doc__.splitlines()[0])
    ap.add_argument("--protocol", default=str(PROTOCOL_DIR), help="protocol file or folder, or 'none'")
    args = ap.parse_args(argv)
    finder = TreatmentFinder(general_protocol())
    groups = train_evidence.maccrobat_examples(args.data, finder)
    groups.update(train_evidence.dev_report_examples(args.data, finder))
    dev = {k[4:] for k in groups if k.startswith("dev:")}
    gold = [g for g in bench.load_gold(args.data) if g["set"] == "pdf_jats" and g["key"] in dev]
    fold = {k: i % FOLDS for i, k in enumerate(sorted(g["key"] for g in gold))}
    cfg = RunConfig(options={"protocol": args.protocol})
    subtypes = {bench.norm(t.name) for p in load_protocols(args.protocol) for t in p.subtypes}
    scores = {k: bench.Score() for k in ("treatment", "status", "outcome", "outcome stated", "diagnosis",
                                         "subtype", "cause", "age", "sex")}
    shipped = treatments.load_model
    try:
        for k in range(FOLDS):
            train = {n: v for n, v in groups.items() if not (n.startswith("dev:") and fold[n[4:]] == k)}
            model, _ = train_evidence.fit(train, TREATMENT_MODEL)
            treatments.load_model = lambda name, m=model: m
            for g in gold:
                if fold[g["key"]] == k:
                    bench.score_case(g, evidence_stage(read_pdf(str(g["pdf"])), cfg), scores, [], subtypes)
    finally:
        treatments.load_model = shipped
    out = []
    for field, sc in scores.items():
        if field in ("treatment", "cause"):
            p, r, f = sc.prf()
            out.append(f"{field}_f1={f:.2f} (P {p:.2f} R {r:.2f})")
        elif sc.n:
            out.append(f"{field.replace(' ', '_')}={sc.acc():.2f}")
    print(f"dev reports, {FOLDS}-fold CV ({len(gold)} reports, protocol {args.protocol}): " + " ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
