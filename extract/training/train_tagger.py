"""Train the CRF treatment tagger (extract/nlp/tagger.py) on MACCROBAT and write it to models/.

    python -m extract.training.train_tagger [--data ../shared/data] [--out models]

Trained on the Medication and Therapeutic_procedure spans of MACCROBAT folds 1-4 (fold 0 is
the locked test of the evidence benchmark and is never read). It also writes one cross-fitted
tagger per fold 1-4 under build/crossfit/fold{k}/ (trained on the other three), which the
evidence trainer reads a training document with, and prints their held-out span figures beside
the cross-fitted clinical NER's and the union of the two. Seconds per model on one core;
deterministic (L-BFGS, k-means with a fixed seed).
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pycrfsuite
import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from extract.nlp.protocols import PROTOCOL_DIR
from extract.nlp.tagger import CrfTagger, bio_spans, token_sequences
from extract.training.convert import Annotated, maccrobat_folds, read_brat, shared_data, trainer_args
from extract.training.train_ner import CROSSFIT_DIR, MODELS_DIR, clinical_crossfit, crossfit_model
from extract.training.tokenization import make_nlp

LABELS = ("Medication", "Therapeutic_procedure")
TRAIN_FOLDS = (1, 2, 3, 4)  # fold 0 is the locked test
NAME = "treatment_tagger"
GRANULARITIES = (32, 128, 512)  # k-means clusters of the static vectors
# L1 / L2 strength and iterations, chosen by the cross-fitted span F1 on folds 1-4
# (c1 0.05 / c2 0.01: 0.547; 0.01 / 0.01: 0.544; 0.1 / 0.05: 0.554)
PARAMS = {"c1": 0.1, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True}


def new_pipeline() -> Language:
    """A blank pipeline with the run-time tokenizer, the shipped clinical model's static
    vectors, and the tagger configured from the common vocabulary."""
    nlp = make_nlp()
    nlp.vocab.vectors = spacy.load(MODELS_DIR / "clinical", exclude=["tok2vec", "ner"]).vocab.vectors
    common = yaml.safe_load((PROTOCOL_DIR / "common.yaml").read_text(encoding="utf-8"))
    words = sorted({w for t in common["treatments"] for n in [t["name"], *(t.get("synonyms") or [])]
                    for w in n.lower().split()})
    nlp.add_pipe("casemine_crf_tagger", config={"drug_pattern": "|".join(common["drug_suffixes"]),
                                                "procedure_pattern": "|".join(common["procedure_heads"]),
                                                "vocabulary": words})
    return nlp


def tagged(nlp: Language, rec: Annotated) -> tuple[Doc, list[str]]:
    """The record's Doc and its BIO tags (nested spans: the longest wins)."""
    doc = nlp.make_doc(rec.text)
    spans = [s for s in (doc.char_span(a, b, label=lab, alignment_mode="expand") for a, b, lab in rec.spans) if s]
    tags = ["O"] * len(doc)
    for s in filter_spans(spans):
        for i in range(s.start, s.end):
            tags[i] = ("B-" if i == s.start else "I-") + s.label_
    return doc, tags


def fit_clusters(tagger: CrfTagger, docs: list[Doc]) -> None:
    from sklearn.cluster import KMeans
    words = sorted({t.lower_ for d in docs for t in d if t.is_alpha})
    v = np.array([tagger.vocab.get_vector(w) for w in words])
    v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
    tagger.set_clusters([KMeans(k, random_state=0, n_init=3).fit(v).cluster_centers_.astype(np.float32)
                         for k in GRANULARITIES])


def train(records: list[Annotated], out: Path) -> Language:
    """Train on `records`, save the pipeline to `out`."""
    nlp = new_pipeline()
    tagger = nlp.get_pipe("casemine_crf_tagger")
    data = [tagged(nlp, r) for r in records]
    fit_clusters(tagger, [d for d, _ in data])
    trainer = pycrfsuite.Trainer(verbose=False)
    tagger._prime(t.text for d, _ in data for t in d)
    for doc, tags in data:
        for seq in token_sequences(doc):
            trainer.append(tagger.sequence_features([doc[i].text for i in seq]), [tags[i] for i in seq])
    trainer.set_params(PARAMS)
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(str(Path(tmp) / "model.crfsuite"))
        tagger.use_model(Path(tmp) / "model.crfsuite")
        nlp.meta.update(name=NAME, version="1.0.0", description=__doc__.splitlines()[0],
                        labels={"casemine_crf_tagger": list(LABELS)})
        nlp.to_disk(out)
    return spacy.load(out)


def crossfit_tagger(fold: int) -> Path:
    """The tagger that did not see MACCROBAT `fold` (1-4)."""
    return CROSSFIT_DIR / f"fold{fold}" / NAME


def train_crossfit_taggers(data: Path, records: list[Annotated] | None = None) -> dict[str, list[int]]:
    """One tagger per MACCROBAT fold 1-4, trained on the other three, under build/crossfit;
    returns the held-out span counts of each source (see _held_out_counts) summed over folds."""
    folds = maccrobat_folds(data)
    if records is None:
        records = training_records(data)
    totals: dict[str, list[int]] = {}
    for k in TRAIN_FOLDS:
        tagger = train([r for r in records if folds[r.doc_id] != k], crossfit_tagger(k))
        if (crossfit_model(k) / "meta.json").is_file():
            held_out = [r for r in records if folds[r.doc_id] == k]
            for key, c in _held_out_counts(tagger, spacy.load(crossfit_model(k)), held_out).items():
                totals[key] = [x + y for x, y in zip(totals.get(key, [0, 0, 0, 0]), c)]
    return totals


def training_records(data: Path) -> list[Annotated]:
    folds = maccrobat_folds(data)
    return [r for r in read_brat(data / "maccrobat", LABELS) if folds[r.doc_id] in TRAIN_FOLDS]


def ner_models(fold: int | None, data: Path | None = None) -> list[str]:
    """The NER pipelines that give a document's entities: for a MACCROBAT document of a
    training fold, the cross-fitted clinical model and treatment tagger that did not see it
    (trained first when missing); else the shipped ones."""
    from extract.nlp.pipeline import SHIPPED
    if fold is None:
        return list(SHIPPED)
    model, tagger = crossfit_model(fold), crossfit_tagger(fold)
    if not (model / "meta.json").is_file():  # first retraining on this machine: about half an hour
        clinical_crossfit()
    if not (tagger / "meta.json").is_file():  # a minute or two
        train_crossfit_taggers(data or shared_data())
    return [str(model), "chem_disease", str(tagger)]


def _held_out_counts(tagger: Language, ner: Language, records: list[Annotated]) -> dict[str, list[int]]:
    """Per source (tagger, ner, union): [strict matches, predicted, gold, gold overlapped]."""
    out = {k: [0, 0, 0, 0] for k in ("tagger", "clinical NER", "union")}
    for rec in records:
        gold = {(a, b) for a, b, _ in rec.spans}
        t = {(e.start_char, e.end_char) for e in tagger(rec.text).ents}
        n = {(e.start_char, e.end_char) for e in ner(rec.text).ents if e.label_ in LABELS}
        for key, pred in (("tagger", t), ("clinical NER", n), ("union", t | n)):
            c = out[key]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold)
            c[3] += sum(any(a < pb and pa < b for pa, pb in pred) for a, b in gold)
    return out


def main(argv: list[str] | None = None) -> int:
    args = trainer_args(argv, __doc__.splitlines()[0], "maccrobat")
    if args is None:
        return 1
    records = training_records(args.data)
    totals = train_crossfit_taggers(args.data, records)
    figures = {}
    for key, (tp, n_pred, n_gold, overlapped) in totals.items():
        p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
        figures[key] = {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / max(p + r, 1e-9), 3),
                        "gold overlapped": round(overlapped / max(n_gold, 1), 3)}
        print(f"{key:>13}  held-out folds 1-4: P {p:.3f} R {r:.3f} F1 {figures[key]['F1']:.3f}  "
              f"gold spans overlapped {figures[key]['gold overlapped']:.3f}")
    out = args.out / NAME
    train(records, out)
    meta = json.loads((out / "meta.json").read_text())
    meta["casemine"] = {"trained_on": f"MACCROBAT folds {list(TRAIN_FOLDS)} ({len(records)} reports), "
                        f"labels {list(LABELS)}", "params": PARAMS, "crossfit_held_out": figures}
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
