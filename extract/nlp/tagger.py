"""A CRF sequence tagger for treatment spans (Medication, Therapeutic_procedure), as a spaCy
component registered by name: `casemine_crf_tagger`.

Why beside the CNN NER heads: on held-out MACCROBAT folds the two find different treatment
spans, so their union reaches more of them than either (models/treatment_tagger/MODEL_CARD.md).
The features are the word, its affixes and shape, the word's cluster in the pipeline's
static vectors at three granularities, and the common vocabulary's drug endings and procedure
heads, over a window of two words. Sentences are cut the same way in training and at run time
(newlines, and sentence-final punctuation before a capital), so the component needs no parser.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pycrfsuite
from spacy.language import Language
from spacy.tokens import Doc, Span

WINDOW = (-2, -1, 1, 2)
_NEIGHBOUR_KEYS = ("c128=", "drug", "proc", "vocab")  # what a neighbour contributes beside its word


@Language.factory("casemine_crf_tagger", default_config={"drug_pattern": "", "procedure_pattern": "",
                                                          "vocabulary": []})
def make_crf_tagger(nlp, name, drug_pattern, procedure_pattern, vocabulary):  # untyped: confection cannot resolve postponed hints
    return CrfTagger(nlp, drug_pattern, procedure_pattern, vocabulary)


class CrfTagger:
    """Sets `doc.ents` from a linear-chain CRF's BIO tags (python-crfsuite)."""

    def __init__(self, nlp: Language, drug_pattern: str, procedure_pattern: str, vocabulary: list[str]):
        self.vocab = nlp.vocab
        # searched (never matched) at a word's end: the search form finds the same words, faster
        self.drug = re.compile(f"(?:{search_form(drug_pattern)})$", re.I) if drug_pattern else None
        self.procedure = re.compile(f"(?:{search_form(procedure_pattern)})$", re.I) if procedure_pattern else None
        self.vocabulary = frozenset(vocabulary)
        self.centroids: list[np.ndarray] = []  # per granularity, (k, dim), for the vectors' clusters
        self.tagger: pycrfsuite.Tagger | None = None
        self._model_path: Path | None = None
        self._cache: dict[str, list[str]] = {}
        self._cluster_cache: dict[str, list[str]] = {}
        self._neighbour_cache: dict[str, dict[int, list[str]]] = {}

    # -- features -----------------------------------------------------------------------
    def word_features(self, word: str) -> list[str]:
        feats = self._cache.get(word)
        if feats is None:
            lw = word.lower()
            shape = re.sub("[a-z]+", "a", re.sub("[A-Z]+", "A", re.sub("[0-9]+", "0", word)))
            feats = [f"w={lw}", f"s3={lw[-3:]}", f"s4={lw[-4:]}", f"s5={lw[-5:]}", f"p3={lw[:3]}", f"shape={shape}"]
            if self.drug is not None and len(word) > 4 and self.drug.search(word):
                feats.append("drug")
            if self.procedure is not None and self.procedure.search(word):
                feats.append("proc")
            if lw in self.vocabulary:
                feats.append("vocab")
            if word.isalpha() and self.centroids:
                feats += self._clusters(lw)
            self._cache[word] = feats
        return feats

    def _clusters(self, word: str) -> list[str]:
        if word not in self._cluster_cache:
            self._prime([word])
        return self._cluster_cache[word]

    def _prime(self, words: Iterable[str]) -> None:
        """Cluster features of the words not seen yet, in one matrix product (a word at a
        time, the vector lookups cost more than the tagging)."""
        new = sorted({w.lower() for w in words if w.isalpha()} - self._cluster_cache.keys())
        if not new or not self.centroids:
            return
        v = np.asarray(self.vocab.vectors.get_batch(new), dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
        ids = [np.argmin((c * c).sum(axis=1) - 2 * v @ c.T, axis=1) for c in self.centroids]
        for i, w in enumerate(new):
            self._cluster_cache[w] = [f"c{len(c)}={int(k[i])}" for c, k in zip(self.centroids, ids)]

    def neighbour_features(self, word: str) -> dict[int, list[str]]:
        """What the word tells a token `o` places away (its word, cluster and flags)."""
        feats = self._neighbour_cache.get(word)
        if feats is None:
            kept = [x for x in self.word_features(word) if x.startswith("w=") or x.startswith(_NEIGHBOUR_KEYS)]
            feats = self._neighbour_cache[word] = {o: [f"{o}:{x}" for x in kept] for o in WINDOW}
        return feats

    def sequence_features(self, words: list[str]) -> list[list[str]]:
        base = [self.word_features(w) for w in words]
        near = [self.neighbour_features(w) for w in words]
        out = []
        for i in range(len(words)):
            f = ["bias", *base[i]]
            for o in WINDOW:
                j = i + o
                if 0 <= j < len(words):
                    f += near[j][o]
                else:
                    f.append(f"{o}:pad")
            out.append(f)
        return out

    # -- running ------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.tagger is None:
            return doc
        words = [t.text for t in doc]  # once: a Token made per access costs more than the lookup
        self._prime(words)
        spans = []
        for seq in token_sequences(doc):
            tags = self.tagger.tag(self.sequence_features([words[i] for i in seq]))
            spans += bio_spans(doc, seq, tags)
        doc.ents = spans
        return doc

    # -- serialization ------------------------------------------------------------------
    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._model_path is not None and self._model_path != path / "model.crfsuite":
            (path / "model.crfsuite").write_bytes(self._model_path.read_bytes())
        np.savez(path / "clusters.npz", *self.centroids)

    def from_disk(self, path, exclude=()) -> CrfTagger:
        path = Path(path)
        with np.load(path / "clusters.npz") as z:
            self.set_clusters([z[f"arr_{i}"] for i in range(len(z.files))])
        self.use_model(path / "model.crfsuite")
        return self

    def set_clusters(self, centroids: list[np.ndarray]) -> None:
        """Cluster the vectors by these centroids (one array per granularity) from now on."""
        self.centroids = centroids
        self._cache.clear()
        self._cluster_cache.clear()
        self._neighbour_cache.clear()

    def use_model(self, model_path: Path) -> None:
        """Tag with the crfsuite model file at `model_path` (training writes one)."""
        self._model_path = Path(model_path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self._model_path))


def _branches(pattern: str) -> list[str] | None:
    """The top-level alternatives of a regex (split at `|` outside groups and classes);
    None when the brackets do not balance."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]" or i == start_class + 1 or (i == start_class + 2 and pattern[start_class + 1] == "^")
        elif c == "[":
            in_class, start_class = True, i
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth or in_class:
        return None
    return out + [pattern[start:]]


_LEADING_RUN = re.compile(r"\\w(?:(\+)|(\*)|\{(\d+),\})(?![?+*{])")


def search_form(pattern: str) -> str:
    """A pattern that `re.search(f"(?:{form})$", w)` finds in exactly the words the original
    finds: an alternative that begins with a run of word characters (`\\w+`, `\\w*`,
    `\\w{n,}`) ends a match somewhere iff it does with the shortest run (`\\w`, none, `\\w{n}`),
    starting later; the shortest run spares the engine backtracking over the whole word at
    every start (the drug endings were ~20 us a word). Alternatives with lookbehinds or
    anchors are kept as they are."""
    branches = _branches(pattern)
    if branches is None:
        return pattern
    out = []
    for b in branches:
        m = _LEADING_RUN.match(b)
        rest = b[m.end():] if m else ""
        if m and rest and not re.search(r"\(\?<|\\[bBAZ]|\^|\$", rest):
            run = "\\w" if m.group(1) else "" if m.group(2) else f"\\w{{{m.group(3)}}}"
            b = run + rest
        out.append(b)
    return "|".join(out)


_RUN = re.compile(r"(?<![\w-])\w+(?![\w-])")  # a whole word: no word character or hyphen either side
_WORD_ONLY = re.compile(r"(?:\w|\(\?:|\||\))+")  # literal word characters in groups: matches within one word


class WordAlternation:
    """`(?<![\w-])(?:A|B|...)(?![\w-])`, case-insensitive, found faster. An alternative that
    begins with a run of word characters and goes on with word characters only (the drug
    endings, `\w+(?:mab|vir|...)`) can match only a whole word, so each word is tested once
    at its end (`search_form`, the answer kept per word) instead of the engine backtracking
    through it at every word start; the other alternatives are searched as one pattern.
    `spans` gives the matches of that pattern's `finditer`."""

    def __init__(self, alternatives: list[str]):
        self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
        ending, other = [], []
        for alt in alternatives:
            for b in _branches(alt) or [alt]:
                m = _LEADING_RUN.match(b)
                (ending if m and b[m.end():] and _WORD_ONLY.fullmatch(b[m.end():]) else other).append(b)
        self.ending = re.compile(f"(?:{search_form('|'.join(ending))})$", re.I) if ending else None
        self.other = re.compile(r"(?<![\w-])(?:" + "|".join(other) + r")(?![\w-])", re.I) if other else None
        self._ends: dict[str, bool] = {}

    def _whole(self, word: str) -> bool:
        hit = self._ends.get(word)
        if hit is None:
            if len(self._ends) > 1 << 17:
                self._ends.clear()
            hit = self._ends[word] = bool(self.ending.search(word))
        return hit

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each match, left to right, none overlapping."""
        words = [m.span() for m in _RUN.finditer(text) if self._whole(m.group())] if self.ending else []
        out: list[tuple[int, int]] = []
        pos, i = 0, 0
        while True:
            o = self.other.search(text, pos) if self.other else None
            while i < len(words) and words[i][0] < pos:
                i += 1
            w = words[i] if i < len(words) else None
            if w is None and o is None:
                return out
            if w is not None and o is not None and w[0] == o.start():  # the alternative listed first wins
                span = self.pattern.match(text, w[0]).span()
            else:
                span = w if w is not None and (o is None or w[0] < o.start()) else o.span()
            out.append(span)
            pos = span[1]

    def fullmatch(self, text: str) -> bool:
        return self.pattern.fullmatch(text) is not None


def token_sequences(doc: Doc) -> list[list[int]]:
    """Token indices of each sentence-like run: cut at whitespace tokens (newlines) and after
    sentence-final punctuation followed by whitespace or a capitalised word."""
    seqs, cur = [], []
    for t in doc:
        if t.is_space:
            if cur:
                seqs.append(cur)
                cur = []
            continue
        cur.append(t.i)
        if t.text in {".", "!", "?"} and t.i + 1 < len(doc) and (t.whitespace_ or doc[t.i + 1].is_title):
            seqs.append(cur)
            cur = []
    if cur:
        seqs.append(cur)
    return seqs


def bio_spans(doc: Doc, seq: list[int], tags: list[str]) -> list[Span]:
    """Spans from BIO tags over the tokens `seq` (an I- without its B- opens a span)."""
    out, start, label = [], None, None
    for k, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None and tag[2:] == label
        if start is not None and not inside:
            out.append(Span(doc, seq[start], seq[k - 1] + 1, label=label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = k, tag[2:]
    return out
