"""Pretrain the NER tok2vec on unlabelled text (``spacy pretrain``, characters objective).

The layer learns to predict the first and last characters of each word from its context,
on the same held-out-free raw text as the floret vectors (extract/training/vectors.py).
Its weights then start NER training through ``[initialize] init_tok2vec``.

    python -m extract.training.pretrain [--epochs N]     # -> build/pretrain/model-last.bin

spaCy's own ``pretrain`` loop builds the pipeline without its static vectors, which this
tok2vec reads, so the loop is run here with the vectors loaded first.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

from spacy.language import DEFAULT_CONFIG_PRETRAIN_PATH  # noqa: E402
from spacy.training.initialize import load_vectors_into_model  # noqa: E402
from spacy.training.pretrain import create_pretraining_model, ensure_docs, make_update  # noqa: E402
from spacy.util import load_config, load_model_from_config, registry  # noqa: E402
from thinc.api import NumpyOps, fix_random_seed, set_current_ops  # noqa: E402

from extract.training import convert, vectors  # noqa: E402
from extract.training.train_ner import CONFIGS, WITH_VECTORS  # noqa: E402

OUT = convert.REPO / "build" / "pretrain"


def raw_jsonl() -> str:
    """Write the raw paragraphs (benchmark text excluded, as for the vectors) as JSONL."""
    path = OUT / "raw_text.jsonl"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for text in vectors.raw_texts(convert.shared_data()):
                if text.strip():
                    fh.write(json.dumps({"text": text}) + "\n")
    return str(path)


def pretrain(epochs: int) -> str:
    """Run the pretraining loop; saves ``model{epoch}.bin`` each epoch and ``model-last.bin``."""
    set_current_ops(NumpyOps(use_blis=False))
    if not vectors.OUT.exists():
        vectors.build()
    # spaCy's default [pretraining] block (characters objective) over our raw-text file
    config = load_config(CONFIGS / "ner.cfg", overrides=WITH_VECTORS, interpolate=False).merge(
        load_config(DEFAULT_CONFIG_PRETRAIN_PATH, overrides={"paths.raw_text": raw_jsonl()}, interpolate=False))
    fix_random_seed(config["system"]["seed"])
    nlp = load_model_from_config(config)
    load_vectors_into_model(nlp, str(vectors.OUT))
    resolved = nlp.config.interpolate()
    P = registry.resolve(resolved["pretraining"])
    corpus = registry.resolve({"c": resolved["corpora"]["pretrain"]})["c"]
    model = create_pretraining_model(nlp, P)
    optimizer, objective = P["optimizer"], model.attrs["loss"]
    OUT.mkdir(parents=True, exist_ok=True)
    for epoch in range(epochs):
        words = loss = 0.0
        for batch in P["batcher"](corpus(nlp)):
            docs = ensure_docs(batch)
            loss += make_update(model, docs, optimizer, objective)
            words += sum(len(d) for d in docs)
        print(f"epoch {epoch}: {int(words)} words, loss {loss:.1f}", file=sys.stderr, flush=True)
        for name in (f"model{epoch}.bin", "model-last.bin"):
            with model.use_params(optimizer.averages):
                (OUT / name).write_bytes(model.get_ref("tok2vec").to_bytes())
    return str(OUT / "model-last.bin")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=8)
    print(pretrain(ap.parse_args().epochs))


if __name__ == "__main__":
    main()
