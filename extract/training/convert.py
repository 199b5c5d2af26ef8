"""Turn the public corpora in ``../shared/data`` into spaCy DocBin files.

Readers for PubTator (BC5CDR, NCBI disease), brat standoff (MACCROBAT) and
CoNLL-U / CoNLL-X treebanks (UD EWT, CRAFT, GENIA).  Splits are fixed rules
written here (see ``SPLITS``), so a rebuild always gives the same corpora.

    python -m extract.training.convert all      # -> build/corpora/*.spacy
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from extract.training.tokenization import make_nlp

REPO = Path(__file__).resolve().parents[2]
CORPORA = REPO / "build" / "corpora"

#: MACCROBAT entity types kept for the clinical model (others are dropped).
CLINICAL_LABELS = (
    "Age", "Sex", "Sign_symptom", "Disease_disorder", "Medication",
    "Therapeutic_procedure", "Diagnostic_procedure", "Lab_value",
    "Biological_structure", "Duration", "Date", "Frequency", "Outcome",
    "Severity", "History",
)
N_FOLDS = 5
#: CRAFT is large (~790k tokens); a fixed seeded sample keeps training inside the budget.
CRAFT_SENTENCES = 6000
SENTS_PER_DOC = 10
#: shortest BC5CDR chemical name used as a silver label in NCBI documents.
SILVER_MIN_CHARS = 4
SEED = 0


def shared_data() -> Path:
    """``$CASEMINE_SHARED/data`` or ``../shared/data`` next to the repo."""
    root = os.environ.get("CASEMINE_SHARED")
    return (Path(root) if root else REPO.parent / "shared") / "data"


def trainer_args(argv: list[str] | None, description: str, corpus: str) -> argparse.Namespace | None:
    """`--data` (the shared corpora) and `--out` (models/) of an evidence trainer; None, after
    saying why, when the `corpus` folder it learns from is not under `--data`."""
    from extract.nlp.pipeline import MODELS_DIR
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", type=Path, default=shared_data())
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    if not (args.data / corpus).is_dir():
        print(f"no {corpus} under {args.data}: nothing to train on", file=sys.stderr)
        return None
    return args


def in_internal_dev(doc_id: str) -> bool:
    """Hash rule: ~10% of training documents tune early stopping (never the benchmark sets)."""
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 10 == 0


# --------------------------------------------------------------------- records
@dataclass
class Annotated:
    """A text with character-offset entity spans."""

    doc_id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def read_pubtator(path: Path, label_map: dict[str, str]) -> list[Annotated]:
    """PubTator: ``id|t|title``, ``id|a|abstract``, then tab lines ``id start end text type ...``."""
    docs: list[Annotated] = []
    seen: set[str] = set()
    cur: Annotated | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        m = re.match(r"^(\d+)\|([ta])\|(.*)$", line)
        if m:
            pmid, kind, body = m.groups()
            if kind == "t":
                cur = Annotated(pmid, body)
                if pmid not in seen:  # NCBI train repeats one abstract
                    docs.append(cur)
                    seen.add(pmid)
            else:
                cur.text += " " + body
            continue
        cols = line.split("\t")
        if len(cols) >= 5 and cols[1].isdigit() and cols[4] in label_map:
            cur.spans.append((int(cols[1]), int(cols[2]), label_map[cols[4]]))
    return docs


def read_brat(folder: Path, labels: tuple[str, ...]) -> list[Annotated]:
    """brat ``T`` lines; a discontiguous span is taken as its full extent."""
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        doc = Annotated(txt.stem, txt.read_text(encoding="utf-8"))
        for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, info, _ = line.split("\t", 2)
            label, offsets = info.split(" ", 1)
            if label not in labels:
                continue
            nums = [int(x) for x in re.split(r"[ ;]", offsets)]
            doc.spans.append((min(nums), max(nums), label))
        docs.append(doc)
    return docs


def to_doc(nlp, rec: Annotated) -> tuple[Doc, int]:
    """Tokenize and set entities: spans snap outward to token edges, then the
    outermost (longest) non-overlapping spans win.  Returns (doc, spans dropped)."""
    doc = nlp.make_doc(rec.text)
    spans = []
    for start, end, label in rec.spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            continue
        first, last = span.start, span.end  # NER cannot learn edges that are whitespace
        while first < last and doc[first].is_space:
            first += 1
        while last > first and doc[last - 1].is_space:
            last -= 1
        if first < last:
            spans.append(Span(doc, first, last, label=label))
    kept = filter_spans(spans)
    doc.ents = kept
    doc.user_data["doc_id"] = rec.doc_id
    return doc, len(spans) - len(kept)


# ----------------------------------------------------------------- treebanks
#: UD v1 / GENIA labels renamed to UD v2 (EWT's scheme, which the parser predicts).
UD1_TO_UD2 = {
    "dobj": "obj", "nsubjpass": "nsubj:pass", "auxpass": "aux:pass",
    "csubjpass": "csubj:pass", "mwe": "fixed", "name": "flat", "neg": "advmod",
    "nmod:tmod": "obl:tmod", "nmod:npmod": "obl:npmod",
}
VERBAL = re.compile(r"^(VB|JJ|RB|MD)")


def read_conll(path: Path) -> list[list[list[str]]]:
    """Sentences as lists of 10-column rows (multi-word and empty nodes skipped)."""
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
            cur = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                cur.append(cols)
    if cur:
        sents.append(cur)
    return sents


def ud1_to_ud2(sent: list[list[str]]) -> list[list[str]]:
    """GENIA's UD v1 trees to v2 labels: renames, and ``nmod`` under a verb/adjective → ``obl``."""
    out = []
    for cols in sent:
        cols = list(cols)
        dep = cols[7]
        if dep == "nmod":
            head = int(cols[6])
            if head and VERBAL.match(sent[head - 1][4]):
                dep = "obl"
        cols[7] = UD1_TO_UD2.get(dep, dep)
        out.append(cols)
    return out


def sents_to_docs(vocab, sents, with_parse: bool = True) -> list[Doc]:
    """Group sentences ``SENTS_PER_DOC`` at a time so the parser also learns sentence breaks."""
    docs = []
    for i in range(0, len(sents), SENTS_PER_DOC):
        words, spaces, tags, lemmas, heads, deps, starts = [], [], [], [], [], [], []
        for sent in sents[i:i + SENTS_PER_DOC]:
            offset = len(words)
            for j, cols in enumerate(sent):
                words.append(cols[1])
                spaces.append("SpaceAfter=No" not in cols[9])
                tags.append(cols[4])
                lemmas.append(cols[2])
                head = int(cols[6])
                heads.append(offset + head - 1 if head else offset + j)
                deps.append(cols[7].lower() if head else "ROOT")
                starts.append(j == 0)
        kwargs = dict(heads=heads, deps=deps) if with_parse else dict(sent_starts=starts)
        docs.append(Doc(vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, **kwargs))
    return docs


# ------------------------------------------------------------------- corpora
def _save(docs, name: str) -> Path:
    CORPORA.mkdir(parents=True, exist_ok=True)
    path = CORPORA / f"{name}.spacy"
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return path


def add_silver_chemicals(nlp, docs: list[Doc], names: set[str]) -> int:
    """NCBI disease marks no chemicals, which would teach the model that chemicals are
    ``O``.  Mark exact matches of chemical names annotated in BC5CDR (train, or train +
    dev for the shipped model) as CHEMICAL where they do not touch a gold disease.
    Returns how many were added."""
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab)
    matcher.add("CHEMICAL", list(nlp.tokenizer.pipe(sorted(names))))
    added = 0
    for doc in docs:
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        silver = filter_spans([s for s in matcher(doc, as_spans=True)
                               if not taken & set(range(s.start, s.end))])
        doc.ents = list(doc.ents) + silver
        added += len(silver)
    return added


def _chemical_names(records) -> set[str]:
    """The CHEMICAL mention texts of PubTator records long enough to mark as silver."""
    return {r.text[s:e] for r in records for s, e, label in r.spans
            if label == "CHEMICAL" and len(r.text[s:e]) >= SILVER_MIN_CHARS}


def build_chem_disease(nlp, data: Path) -> dict[str, int]:
    """BC5CDR + NCBI disease: ``cd_train``/``cd_tune`` (train parts), the held-out dev sets,
    and ``cd_all`` (train + dev of both, for the shipped model)."""
    bc = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}
    ncbi = {k: "DISEASE" for k in ("SpecificDisease", "DiseaseClass", "CompositeMention", "Modifier")}
    parts = {
        "bc5cdr_train": read_pubtator(data / "bc5cdr/CDR_TrainingSet.PubTator.txt", bc),
        "bc5cdr_dev": read_pubtator(data / "bc5cdr/CDR_DevelopmentSet.PubTator.txt", bc),
        "ncbi_train": read_pubtator(data / "ncbi_disease/original-data/train/NCBItrainset_corpus.txt", ncbi),
        "ncbi_devel": read_pubtator(data / "ncbi_disease/original-data/devel/NCBIdevelopset_corpus.txt", ncbi),
    }
    docs = {name: [to_doc(nlp, r)[0] for r in recs] for name, recs in parts.items()}
    chem_names = _chemical_names(parts["bc5cdr_train"])
    silver = add_silver_chemicals(nlp, docs["ncbi_train"], chem_names)
    train = docs["bc5cdr_train"] + docs["ncbi_train"]
    _save([d for d in train if not in_internal_dev(d.user_data["doc_id"])], "cd_train")
    _save([d for d in train if in_internal_dev(d.user_data["doc_id"])], "cd_tune")
    for name in ("bc5cdr_dev", "ncbi_devel"):
        _save(docs[name], name)  # the held-out sets as annotated (the benchmark's gold)
    # train + dev of both: NCBI devel gets silver chemicals too, from BC5CDR train + dev names
    devel_silver = [d.copy() for d in docs["ncbi_devel"]]
    silver_devel = add_silver_chemicals(nlp, devel_silver, chem_names | _chemical_names(parts["bc5cdr_dev"]))
    _save(train + docs["bc5cdr_dev"] + devel_silver, "cd_all")
    return {**{name: len(d) for name, d in docs.items()}, "ncbi_silver_chemicals": silver,
            "ncbi_devel_silver_chemicals": silver_devel}


def maccrobat_folds(data: Path) -> dict[str, int]:
    """Fixed folds: documents sorted by PMID, fold = position mod 5."""
    ids = sorted(p.stem for p in (data / "maccrobat").glob("*.txt"))
    return {doc_id: i % N_FOLDS for i, doc_id in enumerate(ids)}


def build_clinical(nlp, data: Path) -> dict[str, int]:
    """MACCROBAT: ``mac_fold{k}`` (one fold), ``mac_not{k}`` (the other four), ``mac_all``,
    and ``mac_fit{k}`` (folds 1-4 less fold k, k >= 1: cross-fitting never sees the locked fold 0)."""
    folds = maccrobat_folds(data)
    by_fold: dict[int, list[Doc]] = {k: [] for k in range(N_FOLDS)}
    dropped = total = 0
    for rec in read_brat(data / "maccrobat", CLINICAL_LABELS):
        doc, lost = to_doc(nlp, rec)
        dropped += lost
        total += len(rec.spans)
        by_fold[folds[rec.doc_id]].append(doc)
    _save([d for k in range(N_FOLDS) for d in by_fold[k]], "mac_all")
    for k, docs in by_fold.items():
        _save(docs, f"mac_fold{k}")
        _save([d for j in range(N_FOLDS) if j != k for d in by_fold[j]], f"mac_not{k}")
        if k:
            _save([d for j in range(1, N_FOLDS) if j != k for d in by_fold[j]], f"mac_fit{k}")
    return {"docs": len(folds), "spans": total, "overlapping_dropped": dropped}


def build_treebanks(nlp, data: Path) -> dict[str, int]:
    """Parser corpora: train = EWT train + GENIA dev + CRAFT sample (tags/lemmas/sentences only:
    its ClearNLP labels do not match UD); held out = EWT dev, GENIA test."""
    ewt = data / "ud_english_ewt"
    genia = data / "genia_dependency"
    craft = []
    for path in sorted((data / "craft_dependency/conllu").glob("*.conllu")):
        craft.extend(read_conll(path))
    random.Random(SEED).shuffle(craft)
    v = nlp.vocab
    parsed = (sents_to_docs(v, read_conll(ewt / "en_ewt-ud-train.conllu"))
              + sents_to_docs(v, [ud1_to_ud2(s) for s in read_conll(genia / "dev.txt")]))
    random.Random(SEED).shuffle(parsed)
    n_tune = len(parsed) // 20  # tune docs need trees: spaCy scores missing heads as wrong
    train = parsed[n_tune:] + sents_to_docs(v, craft[:CRAFT_SENTENCES], with_parse=False)
    random.Random(SEED).shuffle(train)
    _save(train, "tb_train")
    _save(parsed[:n_tune], "tb_tune")
    _save(sents_to_docs(v, read_conll(ewt / "en_ewt-ud-dev.conllu")), "ewt_dev")
    _save(sents_to_docs(v, [ud1_to_ud2(s) for s in read_conll(genia / "test.txt")]), "genia_test")
    return {"train_docs": len(train), "tune_docs": n_tune}


BUILDERS = {"chem_disease": build_chem_disease, "clinical": build_clinical, "biomed_parser": build_treebanks}


def build(name: str, tokenizer: str = "default", data: Path | None = None) -> dict[str, int]:
    return BUILDERS[name](make_nlp(tokenizer), data or shared_data())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", choices=[*BUILDERS, "all"])
    ap.add_argument("--tokenizer", default="default", choices=["scispacy", "default"])
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args()
    for name in BUILDERS if args.corpus == "all" else [args.corpus]:
        print(name, build(name, args.tokenizer, args.data))


if __name__ == "__main__":
    main()
