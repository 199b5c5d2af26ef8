"""Floret vectors looked up once per word and worker, for every NER head that shares them.

spaCy's floret table has no row per word: each lookup hashes the word's character n-grams
and averages their rows, every time a word is seen, in each head (the three shipped heads
carry the same table). That was about a quarter of a CNN head's time. A word's vector does
not depend on the other words looked up with it (`Vectors.get_batch` averages each word's
rows on their own), so a vector kept from an earlier lookup is the very array spaCy would
compute again: the heads' entities are unchanged.
"""
from __future__ import annotations

import hashlib

import numpy as np
from spacy.language import Language
from spacy.vectors import Mode, Vectors

MAX_WORDS = 200_000  # kept vectors per table (96 floats each: ~80 MB); then started afresh
_KEPT: dict[bytes, dict[str, np.ndarray]] = {}  # table fingerprint -> word -> its vector


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
