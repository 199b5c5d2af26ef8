"""Rebuild the shipped spaCy pipelines from ``../shared/data``.

    python -m extract.training.train_ner all            # every pipeline below
    python -m extract.training.train_ner chem_disease_full   # one of them
    python -m extract.training.train_ner clinical-cv    # 5 MACCROBAT fold models (benchmark)
    python -m extract.training.train_ner clinical-crossfit   # 4 models, folds 1-4 each left out
    python -m extract.training.train_ner chem_disease --init-tok2vec build/pretrain/model-last.bin
    python -m extract.training.train_ner clinical --fold 1 --set components.tok2vec.model.encode.depth=6
                                                        # experiments: build/train/<name>_experiment
                                                        # (or --out DIR)

Corpora are (re)built under ``build/corpora`` when missing; training output goes to
``build/train/<name>`` and the kept weights of a shipped model are copied to
``models/<ships>``.  CPU only; seeds are fixed in the configs.

``chem_disease`` is the evaluated variant (BC5CDR dev and NCBI devel held out; it stays in
``build/train/chem_disease`` for ``benchmarks/ner.py``); ``chem_disease_full`` is trained
the same way on train + dev of both corpora, as the issue asks, and ships as
``models/chem_disease``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from spacy.training.initialize import init_nlp  # noqa: E402
from spacy.training.loop import train as train_nlp  # noqa: E402
from spacy.util import load_config  # noqa: E402
from thinc.api import NumpyOps, set_current_ops  # noqa: E402

from extract.training import convert, vectors  # noqa: E402

CONFIGS = Path(__file__).resolve().parent / "configs"
MODELS_DIR = convert.REPO / "models"
TRAIN_DIR = convert.REPO / "build" / "train"

#: Overrides that add the in-domain floret vectors (extract/training/vectors.py).
WITH_VECTORS = {"paths.vectors": str(vectors.OUT),
                "components.tok2vec.model.embed.include_static_vectors": True}

#: A fixed training length for MACCROBAT, whose dev set is a benchmark fold.
FIXED_EPOCHS = {"training.max_epochs": 20, "training.max_steps": 0, "training.patience": 0,
                "training.eval_frequency": 500}

#: name -> config, corpora (train, dev), which checkpoint is kept, config overrides, the
#: models/ folder it ships as (None: kept in build/train only), and whether the run-time
#: pipeline propagates its labels in a Doc (extract/nlp/propagation.py).
#: ``clinical`` keeps model-last after a fixed number of epochs: its dev set is the
#: held-out benchmark fold, so it must not pick the checkpoint. ``chem_disease_full``
#: trains as many epochs as ``chem_disease`` took to its best checkpoint (about 3,900 steps
#: on 1,092 abstracts; 6,000 on the 1,692 of train + dev).
MODELS = {
    "chem_disease": dict(config="ner.cfg", corpus="chem_disease", train="cd_train", dev="cd_tune",
                         keep="model-best", overrides=WITH_VECTORS, ships=None, propagate=True),
    "chem_disease_full": dict(config="ner.cfg", corpus="chem_disease", train="cd_all", dev="cd_tune",
                              keep="model-last", ships="chem_disease", propagate=True,
                              overrides={**WITH_VECTORS, "training.max_steps": 6000, "training.patience": 0}),
    "clinical": dict(config="ner.cfg", corpus="clinical", train="mac_not0", dev="mac_fold0",
                     keep="model-last", ships="clinical", overrides={**FIXED_EPOCHS, **WITH_VECTORS}),
    "clinical_full": dict(config="ner.cfg", corpus="clinical", train="mac_all", dev="mac_fold0",
                          keep="model-last", ships="clinical", overrides={**FIXED_EPOCHS, **WITH_VECTORS}),
    "biomed_parser": dict(config="parser.cfg", corpus="biomed_parser", train="tb_train", dev="tb_tune",
                          keep="model-best", ships="biomed_parser", overrides={
                              "initialize.components.attribute_ruler.tag_map.path":
                                  str(CONFIGS / "ptb_tag_map.json")}),
}
#: what ``all`` rebuilds: the shipped pipelines and chem_disease's evaluated variant.
ALL = ("chem_disease", "chem_disease_full", "clinical", "biomed_parser")
#: the chem_disease checkpoint benchmarks/ner.py scores (the shipped one has seen its sets)
EVALUATED_CHEM_DISEASE = TRAIN_DIR / "chem_disease" / MODELS["chem_disease"]["keep"]


def run(name: str, train_on: str | None = None, dev: str | None = None, out: Path | None = None,
        extra: dict | None = None) -> Path:
    """Train one pipeline (`extra`: further config overrides); returns the directory of
    the kept checkpoint."""
    spec = MODELS[name]
    train_on, dev = train_on or spec["train"], dev or spec["dev"]
    for corpus in (train_on, dev):
        if not (convert.CORPORA / f"{corpus}.spacy").exists():
            convert.build(spec["corpus"])
    out = out or TRAIN_DIR / name
    overrides = {"paths.train": str(convert.CORPORA / f"{train_on}.spacy"),
                 "paths.dev": str(convert.CORPORA / f"{dev}.spacy"), **spec["overrides"], **(extra or {})}
    if overrides.get("paths.vectors") == str(vectors.OUT) and not vectors.OUT.exists():
        vectors.build()
    train(CONFIGS / spec["config"], out, overrides)
    return out / spec["keep"]


def train(config: Path, out: Path, overrides: dict) -> None:
    """`spacy train` on CPU with numpy's matrix products (about 1.5x faster than thinc's
    default blis here; the run-time pipeline uses the same, see extract/nlp/pipeline.py)."""
    set_current_ops(NumpyOps(use_blis=False))
    out.mkdir(parents=True, exist_ok=True)
    nlp = init_nlp(load_config(config, overrides=overrides, interpolate=False), use_gpu=-1)
    train_nlp(nlp, out, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)


def ship(name: str, checkpoint: Path, target: str) -> Path:
    """Copy a checkpoint to ``models/<target>`` (keeping its hand-written MODEL_CARD.md)
    and name it in meta.json."""
    dest = MODELS_DIR / target
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.iterdir():
        if old.name != "MODEL_CARD.md":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.copytree(checkpoint, dest, dirs_exist_ok=True)
    cfg = dest / "config.cfg"  # repo-relative paths: no build machine's folders in what ships
    cfg.write_text(cfg.read_text().replace(f"{convert.REPO}/", ""))
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(name=target, version="0.1.0", description=f"casemine {target} (see MODEL_CARD.md)",
                casemine={"propagate": MODELS[name].get("propagate", False), "trained_on": MODELS[name]["train"]})
    meta_path.write_text(json.dumps(meta, indent=2))
    return dest


def _held_out(k: int) -> dict[str, str]:
    """Corpora for a clinical model trained with MACCROBAT fold `k` held out."""
    return dict(train_on=f"mac_not{k}", dev=f"mac_fold{k}")


def clinical_cv() -> list[Path]:
    """Train one clinical model per MACCROBAT fold (fold k held out) under build/cv.

    A fold whose ``model-last`` is already there is kept, so an interrupted run resumes."""
    kept = []
    for k in range(convert.N_FOLDS):
        out = convert.REPO / "build" / "cv" / f"fold{k}"
        done = out / MODELS["clinical"]["keep"]
        kept.append(done if (done / "meta.json").exists() else run("clinical", out=out, **_held_out(k)))
    return kept


#: where the cross-fitted clinical models go (build/, never shipped)
CROSSFIT_DIR = convert.REPO / "build" / "crossfit"


def crossfit_model(fold: int) -> Path:
    """The clinical model that did not see MACCROBAT `fold` (1-4)."""
    return CROSSFIT_DIR / f"fold{fold}" / MODELS["clinical"]["keep"]


def clinical_crossfit(folds=range(1, convert.N_FOLDS)) -> list[Path]:
    """Train one clinical model per MACCROBAT fold 1-4, trained on the other three (never fold 0,
    the locked test), so that features from the NER on a training document of the evidence models
    come from a model that did not see it (extract/training/train_evidence.py). They use the
    shipped clinical pipeline's vectors table: they stand in for that model on its training folds.

    A fold whose ``model-last`` is already there is kept, so an interrupted run resumes."""
    kept = []
    vecs = {"paths.vectors": str(MODELS_DIR / "clinical")}
    for k in folds:
        done = crossfit_model(k)
        kept.append(done if (done / "meta.json").exists() else
                    run("clinical", train_on=f"mac_fit{k}", dev=f"mac_fold{k}", out=done.parent, extra=vecs))
    return kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=[*MODELS, "all", "clinical-cv", "clinical-crossfit"])
    ap.add_argument("--init-tok2vec", type=Path, metavar="BIN",
                    help="experiment: start from pretrained tok2vec weights (extract/training/pretrain.py)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="experiment: a config override, e.g. components.tok2vec.model.encode.depth=6")
    ap.add_argument("--fold", type=int, help="experiment, clinical: hold out this MACCROBAT fold; "
                         "clinical-crossfit: train that fold's model only")
    ap.add_argument("--out", type=Path, help="experiment: train to this folder "
                    "(default build/train/<name>_experiment; two experiments can then run side by side)")
    args = ap.parse_args()
    if args.name in ("clinical-cv", "clinical-crossfit"):
        if args.name == "clinical-cv":
            clinical_cv()
        else:  # --fold k: that fold's model only (two runs can share the machine)
            clinical_crossfit(*([[args.fold]] if args.fold else []))
        return
    if args.init_tok2vec or args.set:  # experiments train to build/train/<name>_experiment, ship nothing
        extra = {k: json.loads(v) for k, v in (kv.split("=", 1) for kv in args.set)}
        if args.init_tok2vec:
            extra["paths.init_tok2vec"] = str(args.init_tok2vec.resolve())
        fold = {} if args.fold is None else _held_out(args.fold)
        print("trained", run(args.name, out=args.out or TRAIN_DIR / f"{args.name}_experiment", **fold, extra=extra))
        return
    for name in ALL if args.name == "all" else [args.name]:
        kept, target = run(name), MODELS[name]["ships"]
        if target:
            kept = ship(name, kept, target)
        print("kept" if target is None else "shipped", kept)


if __name__ == "__main__":
    main()
