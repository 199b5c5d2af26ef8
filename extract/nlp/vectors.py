"""Floret vectors looked up once per word and worker, for every NER head that shares them.

spaCy's floret table has no row per word: each lookup hashes the word's character n-grams
and averages their rows, every time a word is seen, in each head (the three shipped heads
carry the same table). That was about a quarter of a CNN head's time. A word's vector does
not depend on the other words looked up with it (`Vectors.get_batch` averages each word's
rows on their own), so a vector kept from an earlier lookup is the very array spaCy would
compute again: the heads' entities are unchanged.

The heads saved with the same language, vectors and lookups also share one `Vocab`
(`shared_vocab`): a word's lexeme (shape, prefix, flags: the same for all of them) is then made
once per worker instead of once per head, which was a tenth of a fresh worker's NLP time.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.util import load_config
from spacy.vectors import Mode, Vectors
from spacy.vocab import Vocab

MAX_WORDS = 200_000  # kept vectors per table (96 floats each: ~80 MB); then started afresh
_KEPT: dict[bytes, dict[str, np.ndarray]] = {}  # table fingerprint -> word -> its vector
_VOCABS: dict[bytes, Vocab] = {}  # vocab fingerprint -> the Vocab the first such head loaded into


class KeptFloret(Vectors):
    """A floret `Vectors` whose `get_batch` computes each word once and keeps it in
    `kept` (shared by the tables with the same contents)."""

    kept: dict[str, np.ndarray]

    def get_batch(self, keys):
        words = [self.strings.as_string(k) for k in keys]
        if not any(words):  # spaCy's own answer (zeros, in another dtype) for no text at all
            return super().get_batch(keys)
        kept = self.kept  # read into `rows` first: a Dask worker's other threads share it
        rows = {w: kept.get(w) for w in dict.fromkeys(words)}
        new = [w for w, v in rows.items() if v is None]
        if new:
            # with one word of text among them: a lone "" alone comes back in float64
            fresh = dict(zip(new, super().get_batch([*new, "a"] if not any(new) else new)))
            rows.update(fresh)
            if len(kept) + len(new) > MAX_WORDS:
                kept.clear()
            kept.update(fresh)
        return np.stack([rows[w] for w in words])


def keep_floret_vectors(nlp: Language) -> None:
    """Give `nlp` a `KeptFloret` in place of its floret table (other tables are left)."""
    vectors = nlp.vocab.vectors
    if not isinstance(vectors, Vectors) or vectors.mode != Mode.floret or isinstance(vectors, KeptFloret):
        return
    data = vectors.to_bytes(exclude=["strings"])  # the table and its settings (strings: the vocab's own)
    kept = KeptFloret(strings=nlp.vocab.strings)
    kept.from_bytes(data, exclude=["strings"])
    kept.kept = _KEPT.setdefault(hashlib.blake2b(data, digest_size=16).digest(), {})
    nlp.vocab.vectors = kept


def vocab_key(target: str | Path) -> bytes | None:
    """A saved pipeline folder's language and vocab files other than its strings (those a
    shared StringStore merges): pipelines with the same key make the same lexemes and
    vectors. None for what is not such a folder."""
    folder, cfg = Path(target) / "vocab", Path(target) / "config.cfg"
    if not folder.is_dir() or not cfg.is_file():
        return None
    h = hashlib.blake2b(str(load_config(cfg, interpolate=False).get("nlp", {}).get("lang")).encode(), digest_size=16)
    for f in sorted(folder.iterdir()):
        if f.name != "strings.json":
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.digest()


def shared_vocab(key: bytes | None) -> Vocab | bool:
    """What `spacy.load(vocab=...)` should get: the Vocab of a head with the same key, else
    True (spaCy makes one; `keep_vocab` offers it to the next)."""
    return _VOCABS.get(key, True) if key is not None else True


def keep_vocab(key: bytes | None, nlp: Language) -> None:
    if key is not None:
        _VOCABS.setdefault(key, nlp.vocab)
