"""Benchmark the shipped NER pipelines, the parser and their speed.

    python benchmarks/ner.py [--data ../shared/data] [--models models] [--cv] [--skip-speed]

* BC5CDR dev and NCBI disease devel: the chem_disease checkpoint that never saw them. The
  shipped ``models/chem_disease`` is trained on train + dev of both corpora, so the
  evaluated variant (train parts only, ``build/train/chem_disease``, built by
  ``python -m extract.training.train_ner chem_disease``) is scored; see its MODEL_CARD.md.
* Each NER set is scored raw and, on the micro line marked "+ doc propagation", after
  ``extract.nlp.propagation.propagate`` (abbreviations and repeated mentions).
* MACCROBAT: by default the shipped ``models/clinical`` on fold 0, which it never saw;
  ``--cv`` scores the five fold models in ``build/cv/fold{k}`` (built by
  ``python -m extract.training.train_ner clinical-cv``), pooled over all 160 documents.
  A third MACCROBAT line adds chem_disease's CHEMICAL / DISEASE where clinical found
  nothing, as Medication / Disease_disorder (the two heads merged as the run merges them).
* Parser: UAS/LAS (punctuation excluded, spaCy's scorer) and tag accuracy on UD EWT dev
  and GENIA test.
* Speed, one thread, in CPU seconds of this process: words (whitespace-separated) per
  second of each model as the run loads it, over paragraph text of the JATS articles, and
  of the whole run-time pipeline (``extract.nlp.pipeline.build_nlp``: sentences, abbreviations, both
  NER heads, the protocol ruler, merging, ConText) over the prose sections of the sample
  corpus, which is what the target is set on. The parser is not part of the run.

Scores are strict: a predicted entity counts only if its character offsets and label
equal a gold span (all gold spans count, including nested ones no model can emit).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from extract.training import convert  # noqa: E402
from extract.training.train_ner import EVALUATED_CHEM_DISEASE  # noqa: E402
from extract.nlp.propagation import propagate  # noqa: E402

TARGETS = {"BC5CDR dev": 88.0, "NCBI devel": 85.0, "MACCROBAT": 75.0}
SCISPACY_BC5CDR = 84.28  # en_ner_bc5cdr_md, published, official test set
SPEED_TARGET = 10_000


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 100 * p, 100 * r, (200 * p * r / (p + r) if p + r else 0.0)


def score_spans(nlp, records, labels=None, post=None) -> dict[str, Counter]:
    """Per-label tp / pred / gold counts; ``labels`` restricts what is scored and
    ``post`` (e.g. document-level propagation) runs on each predicted doc."""
    counts = {"tp": Counter(), "pred": Counter(), "gold": Counter()}
    docs = nlp.pipe((r.text for r in records), batch_size=32)
    for rec, doc in zip(records, docs):
        if post:
            doc = post(doc)
        gold = {s for s in rec.spans if labels is None or s[2] in labels}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents
                if labels is None or e.label_ in labels}
        for key, spans in (("gold", gold), ("pred", pred), ("tp", gold & pred)):
            counts[key].update(s[2] for s in spans)
    return counts


def ner_rows(name: str, counts: dict[str, Counter], extra: str = "") -> list[tuple]:
    rows = []
    for label in sorted(counts["gold"]):
        p, r, f = prf(counts["tp"][label], counts["pred"][label], counts["gold"][label])
        rows.append((name, label, p, r, f, counts["gold"][label], ""))
    tot = {k: sum(v.values()) for k, v in counts.items()}
    p, r, f = prf(tot["tp"], tot["pred"], tot["gold"])
    target = f">= {TARGETS[name]:.0f}" + (f"; {extra}" if extra else "") if name in TARGETS else extra
    rows.append((name, "micro", p, r, f, tot["gold"], target))
    return rows


#: how the run-time merge lets chem_disease fill what clinical left (the two-head ensemble)
CD_TO_CLINICAL = {"CHEMICAL": "Medication", "DISEASE": "Disease_disorder"}


def fill_from(other):
    """A post step adding `other`'s entities, relabelled by CD_TO_CLINICAL, where the doc
    has none (as extract.nlp.pipeline.MergeEnts does at run time; `other`'s own labels propagated
    first when its meta asks for it, as extract.nlp.pipeline.NerHead does)."""
    spread = (other.meta.get("casemine") or {}).get("propagate")

    def post(doc):
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        found = other(doc.text)
        extra = [doc.char_span(e.start_char, e.end_char, label=CD_TO_CLINICAL[e.label_])
                 for e in (propagate(found) if spread else found).ents if not taken & set(range(e.start, e.end))]
        doc.ents = [*doc.ents, *(e for e in extra if e is not None)]
        return doc
    return post


def merge(a: dict[str, Counter], b: dict[str, Counter]) -> dict[str, Counter]:
    return {k: a[k] + b[k] for k in a}


def parser_rows(nlp, data: Path) -> list[tuple]:
    sets = {
        "UD EWT dev": convert.read_conll(data / "ud_english_ewt/en_ewt-ud-dev.conllu"),
        "GENIA test": [convert.ud1_to_ud2(s) for s in convert.read_conll(data / "genia_dependency/test.txt")],
    }
    rows = []
    for name, sents in sets.items():
        gold = convert.sents_to_docs(nlp.vocab, sents)
        examples = [Example(nlp.make_doc(d.text), d) for d in gold]
        s = nlp.evaluate(examples)
        n = sum(len(d) for d in gold)
        rows.append((name, "UAS/LAS/TAG", 100 * s["dep_uas"], 100 * s["dep_las"], 100 * s["tag_acc"], n,
                     f"sents F {100 * s['sents_f']:.1f}"))
    return rows


def jats_texts(data: Path, max_words: int = 60_000) -> list[str]:
    """Paragraph text from the JATS full texts (tags stripped) for timing."""
    texts, words = [], 0
    for xml in sorted((data / "pdf_jats").glob("*/fulltext.xml")):
        for para in re.findall(r"<p\b[^>]*>(.*?)</p>", xml.read_text(encoding="utf-8"), flags=re.S):
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", para)).strip()
            if text:
                texts.append(text)
                words += len(text.split())
        if words >= max_words:
            break
    return texts


def sample_texts() -> list[str]:
    """The prose sections of the sample corpus, as the mentions stage reads them."""
    from extract import read_pdf
    from extract.nlp.pipeline import PROSE_KINDS
    return [s.text for pdf in sorted((REPO / "corpus").glob("*.pdf"))
            for s in read_pdf(pdf).sections if s.kind in PROSE_KINDS]


def words_per_sec(nlp, texts: list[str], repeats: int = 3) -> float:
    """Words per CPU second of this process (one thread), so other jobs on the machine do
    not skew it; the best of `repeats` passes."""
    list(nlp.pipe(texts[:20]))  # warm-up
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        best = min(best, time.process_time() - start)
    return words / best


def held_out_chem_disease(shipped: Path) -> Path:
    """The chem_disease checkpoint that never saw BC5CDR dev or NCBI devel: the shipped one
    when its meta says it was trained on the train parts only, else the evaluated variant."""
    meta = json.loads((shipped / "meta.json").read_text())
    if (meta.get("casemine") or {}).get("trained_on", "cd_train") == "cd_train":
        return shipped
    if (EVALUATED_CHEM_DISEASE / "meta.json").exists():
        return EVALUATED_CHEM_DISEASE
    sys.exit(f"{shipped} was trained on BC5CDR dev and NCBI devel, so it cannot be scored on them; "
             "build the evaluated variant first: python -m extract.training.train_ner chem_disease")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=convert.shared_data())
    ap.add_argument("--models", type=Path, default=REPO / "models")
    ap.add_argument("--cv", action="store_true", help="score the 5 fold models in build/cv")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--chem-disease", type=Path, default=None,
                    help="checkpoint scored on BC5CDR/NCBI (default: the shipped model when it never saw "
                         "their dev sets, else the evaluated variant in build/train/chem_disease)")
    args = ap.parse_args()
    data = args.data
    if not data.exists():
        sys.exit(f"no data at {data}")
    try:
        import torch  # noqa: F401  (only present when another dependency pulls it in)
        torch.set_num_threads(1)
    except ImportError:
        pass

    rows, summary = [], []
    cd = spacy.load(args.models / "chem_disease")  # as shipped: the run-time ensemble below
    scored = args.chem_disease or held_out_chem_disease(args.models / "chem_disease")
    cd_eval = cd if scored == args.models / "chem_disease" else spacy.load(scored)
    print(f"BC5CDR / NCBI scored with {scored}")
    bc = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}
    ncbi = {k: "DISEASE" for k in ("SpecificDisease", "DiseaseClass", "CompositeMention", "Modifier")}
    bc_dev = convert.read_pubtator(data / "bc5cdr/CDR_DevelopmentSet.PubTator.txt", bc)
    ncbi_dev = convert.read_pubtator(data / "ncbi_disease/original-data/devel/NCBIdevelopset_corpus.txt", ncbi)
    for name, recs, labels, extra in (
        ("BC5CDR dev", bc_dev, None, f"scispaCy md {SCISPACY_BC5CDR} (test)"),
        ("NCBI devel", ncbi_dev, {"DISEASE"}, ""),
    ):
        r = ner_rows(name, score_spans(cd_eval, recs, labels), extra)
        rp = ner_rows(name, score_spans(cd_eval, recs, labels, post=propagate), "+ doc propagation (run time)")
        rows += r + [rp[-1]]
        summary.append(f"{name} F1 {r[-1][4]:.1f} (+prop {rp[-1][4]:.1f})")

    mac = convert.read_brat(data / "maccrobat", convert.CLINICAL_LABELS)
    folds = convert.maccrobat_folds(data)
    if args.cv:
        built = [k for k in range(convert.N_FOLDS) if (REPO / "build" / "cv" / f"fold{k}" / "model-last").exists()]
        runs = [(spacy.load(REPO / "build" / "cv" / f"fold{k}" / "model-last"), k) for k in built]
        how = f"CV, folds {','.join(map(str, built))} of {convert.N_FOLDS} pooled"
    else:
        runs = [(spacy.load(args.models / "clinical"), 0)]
        how = "shipped model, held-out fold 0"
    for post, note in ((None, how), (propagate, "+ doc propagation"),
                       (fill_from(cd), "+ chem_disease fills gaps (run-time ensemble)")):
        counts = None
        for nlp, k in runs:
            c = score_spans(nlp, [m for m in mac if folds[m.doc_id] == k], post=post)
            counts = c if counts is None else merge(counts, c)
        r = ner_rows("MACCROBAT", counts, note)
        rows += r if post is None else [r[-1]]
        summary.append(f"MACCROBAT F1 {r[-1][4]:.1f} ({note})")

    parser = spacy.load(args.models / "biomed_parser")
    prow = parser_rows(parser, data)
    summary.append("LAS " + " / ".join(f"{x[0]} {x[3]:.1f}" for x in prow))

    print(f"{'set':<12} {'label':<22} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}  note")
    for name, label, p, r_, f, n, note in rows:
        print(f"{name:<12} {label:<22} {p:6.1f} {r_:6.1f} {f:6.1f} {n:6d}  {note}")
    print(f"\n{'set':<12} {'':<22} {'UAS':>6} {'LAS':>6} {'TAG':>6} {'words':>6}")
    for name, label, uas, las, tag, n, note in prow:
        print(f"{name:<12} {label:<22} {uas:6.1f} {las:6.1f} {tag:6.1f} {n:6d}  {note}")

    if not args.skip_speed:
        from threadpoolctl import threadpool_limits

        from extract.nlp.pipeline import _load_model, build_nlp
        threadpool_limits(1, user_api="blas")
        texts = jats_texts(data)
        speeds = {f"{name} (JATS paragraphs)": words_per_sec(_load_model(name), texts)
                  for name in ("chem_disease", "clinical")}
        speeds["biomed_parser (JATS paragraphs)"] = words_per_sec(parser, texts)
        run_time = words_per_sec(build_nlp(protocol=REPO / "models/protocols/calcinosis_cutis.yaml"),
                                 sample_texts())
        print(f"\n{'pipeline':<40} {'words per CPU-second':>22}")
        for name, s in speeds.items():
            print(f"{name:<40} {s:22,.0f}")
        print(f"{'run-time pipeline (sample corpus)':<40} {run_time:22,.0f}  target >= {SPEED_TARGET:,}")
        summary.append(f"run-time pipeline {run_time:,.0f} words/CPU-s")
    print("SUMMARY: " + "; ".join(summary))


if __name__ == "__main__":
    main()
