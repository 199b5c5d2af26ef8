"""Optional in-domain static vectors (floret) from the raw text in ``../shared/data``.

No pretrained vectors can be downloaded here, so these are trained on the text of the
training corpora, CRAFT, EBM-NLP, the JATS articles, UD EWT train and GENIA dev.  Every
text a benchmark scores (BC5CDR dev, NCBI devel, MACCROBAT, EWT dev, GENIA test) is left
out.  floret's hashed subword table stays small and gives vectors to unseen chemical names.

    python -m extract.training.vectors      # -> build/vectors (spaCy vectors directory)
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from extract.training import convert
from extract.training.tokenization import make_nlp

OUT = convert.REPO / "build" / "vectors"
#: floret settings (hash buckets x dim floats is the size each pipeline carries).
PARAMS = dict(model="cbow", mode="floret", hashCount=2, bucket=20000, minn=3, maxn=5,
              minCount=2, dim=96, epoch=10, thread=1)  # one thread: deterministic


def raw_texts(data: Path):
    """Yield paragraphs / sentences of unlabelled text (held-out sets excluded)."""
    for rel in ("bc5cdr/CDR_TrainingSet.PubTator.txt",
                "ncbi_disease/original-data/train/NCBItrainset_corpus.txt"):
        for rec in convert.read_pubtator(data / rel, {}):
            yield rec.text
    for path in sorted((data / "craft_dependency/conllu").glob("*.conllu")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                yield line[9:]
    words = []
    for line in (data / "ebm_nlp/dev.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-") or not line.strip():
            if words:
                yield " ".join(words)
            words = []
        else:
            words.append(line.split(" ")[0])
    for xml in sorted((data / "pdf_jats").glob("*/fulltext.xml")):
        for para in re.findall(r"<p\b[^>]*>(.*?)</p>", xml.read_text(encoding="utf-8"), flags=re.S):
            yield re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", para)).strip()
    for path in (data / "ud_english_ewt/en_ewt-ud-train.conllu", data / "genia_dependency/dev.txt"):
        for sent in convert.read_conll(path):
            yield " ".join(cols[1] for cols in sent)


def build(data: Path | None = None, tokenizer: str = "default") -> Path:
    import floret

    OUT.parent.mkdir(parents=True, exist_ok=True)
    corpus = OUT.parent / "vectors_text.txt"
    nlp = make_nlp(tokenizer)
    with corpus.open("w", encoding="utf-8") as fh:
        for doc in nlp.tokenizer.pipe(raw_texts(data or convert.shared_data()), batch_size=256):
            fh.write(" ".join(t.text for t in doc if not t.is_space) + "\n")
    model = floret.train_unsupervised(str(corpus), **PARAMS)
    vec_file = OUT.parent / "vectors.floret"
    model.save_floret_vectors(str(vec_file))
    subprocess.run([sys.executable, "-m", "spacy", "init", "vectors", "en", str(vec_file), str(OUT),
                    "--mode", "floret"], check=True)
    return OUT


if __name__ == "__main__":
    print(build())
