"""Tokenizer rules read once per worker, not once per loaded pipeline.

A spaCy `Language` builds its tokenizer's special cases (English: ~1,350 exceptions, a fused
token each) when it is made, and again when a saved pipeline's rules are read from disk. The
run made five (its own, three NER heads, ConText's rule reader): nine builds, about a third
of a worker's start-up. The heads never tokenize in a run (they are given copies of the run's
Docs), so a head loaded from a folder gets a `LazyTokenizer`, which reads its rules only if
the head is called on text; the run's own tokenizer reads the first head's rules once.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language, create_tokenizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import load_config, registry

LAZY = "casemine_lazy_tokenizer"
SPACY_TOKENIZER = "spacy.Tokenizer.v1"  # a pipeline's rules that `Tokenizer.from_disk` reads
LAZY_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": LAZY}}}


@registry.tokenizers(LAZY)
def lazy_tokenizer():  # untyped: confection cannot resolve postponed hints
    return LazyTokenizer


class LazyTokenizer:
    """What `spacy.Tokenizer.v1` would give the pipeline, built on first use: from the rules
    `from_disk` was pointed at (spaCy's `Language.from_disk` passes the saved pipeline's), or
    the language's defaults. Any other `Tokenizer` attribute is the built one's."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.path: Path | None = None
        self._tokenizer: Tokenizer | None = None

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LazyTokenizer:
        self.path, self._tokenizer = Path(path), None
        return self

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = (create_tokenizer()(self.nlp) if self.path is None
                               else Tokenizer(self.nlp.vocab).from_disk(self.path, exclude=["vocab"]))
        return self._tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        return self.tokenizer.pipe(texts, batch_size=batch_size)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not yet set in __init__ (copy, pickle)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def load_config_for(target: str | Path) -> dict:
    """`spacy.load`'s config overrides for a pipeline folder that tokenizes with spaCy's own
    `Tokenizer`: a `LazyTokenizer` in its place (the same rules, read when first used).
    Other pipelines (an installed package, another tokenizer) load as saved."""
    cfg = Path(target) / "config.cfg"
    if not cfg.is_file():
        return {}
    tokenizer = load_config(cfg, interpolate=False).get("nlp", {}).get("tokenizer", {})
    return LAZY_CONFIG if tokenizer.get("@tokenizers") == SPACY_TOKENIZER else {}


def same_rules(nlp: Language, tokenizer: Tokenizer | LazyTokenizer) -> Tokenizer:
    """A `Tokenizer` on `nlp`'s vocab with `tokenizer`'s rules (read from its folder when
    they were not built yet). `Tokenizer.from_bytes` resets every setting first, so nothing
    of a tokenizer the rules replace is left."""
    if isinstance(tokenizer, LazyTokenizer) and tokenizer._tokenizer is None and tokenizer.path is not None:
        return Tokenizer(nlp.vocab).from_disk(tokenizer.path, exclude=["vocab"])
    built = tokenizer.tokenizer if isinstance(tokenizer, LazyTokenizer) else tokenizer
    return Tokenizer(nlp.vocab).from_bytes(built.to_bytes(exclude=["vocab"]))
