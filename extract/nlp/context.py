"""medspaCy ConText's rules matched as phrases: the same matches, found in a trie.

medspaCy hands a rule like `[{"LOWER": {"IN": [...]}}, {"LOWER": "of", "OP": "?"}]` to
spaCy's `Matcher`, which tests each `IN` set on every token in Python: about a fifth of
the mentions stage. Every ConText rule is a fixed word sequence with alternatives and
optional words, so each spells a finite list of phrases; a `PhraseMatcher` over token
LOWER finds exactly the spans the `Matcher` did. Rules that do not spell out so (another
attribute or operator, a cased `LOWER` value, too many phrases) stay with a `Matcher`.
"""
from __future__ import annotations

import importlib
import sys
import types

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

MAX_PHRASES = 5000  # a rule spelling more stays a token pattern


def phrases(pattern: list[dict]) -> list[tuple[str, ...]] | None:
    """The word sequences a token pattern matches (LOWER, ORTH without case, `IN` sets, the
    `?` operator), in lower case; None when it cannot be written so."""
    seqs: list[tuple[str, ...]] = [()]
    for token in pattern:
        op = token.get("OP")
        attrs = [(k, v) for k, v in token.items() if k != "OP"]
        if op not in (None, "?") or len(attrs) != 1:
            return None
        attr, value = attrs[0]
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and list(value) == ["IN"] and all(isinstance(v, str) for v in value["IN"]):
            values = list(value["IN"])
        else:
            return None
        # a LOWER value with a capital matches no token; an ORTH value is a LOWER one only without case
        if attr == "LOWER" and any(v != v.lower() for v in values) \
                or attr == "ORTH" and any(v.lower() != v.upper() for v in values) \
                or attr not in ("LOWER", "ORTH"):
            return None
        seqs = (seqs if op == "?" else []) + [s + (v,) for s in seqs for v in values]
        if len(seqs) > MAX_PHRASES:
            return None
    return list(dict.fromkeys(s for s in seqs if s))  # the Matcher finds no empty match


class PhraseRules:
    """A stand-in for ConText's `MedspacyMatcher` (same rules, ids and `__call__` result):
    the rules' matches, in the order that matcher gives before pruning (token-pattern
    rules before literal ones, by rule, for spans of the same start and end), pruned alike."""

    def __init__(self, inner, nlp):
        from medspacy.common.util import prune_overlapping_matches

        self.inner = inner  # keeps rule_map, rules and labels for ConText
        self._prune = prune_overlapping_matches if inner._prune else None
        self.words = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        self.rank: dict[int, tuple[int, int]] = {}
        for i, (rule_id, rule) in enumerate(inner.rule_map.items()):
            key = nlp.vocab.strings.add(rule_id)
            self.rank[key] = (rule.pattern is None, i)
            if isinstance(rule.pattern, str):
                raise ValueError(f"ConText rule {rule.literal!r}: regular expressions are not supported here")
            if rule.pattern is None:  # as medspaCy adds a literal: its tokens, in lower case
                self.words.add(rule_id, [nlp.make_doc(rule.literal.lower())])
            elif (seqs := phrases(rule.pattern)) is not None:
                self.words.add(rule_id, [Doc(nlp.vocab, words=list(s)) for s in seqs])
            else:
                self.tokens.add(rule_id, [rule.pattern])

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = set(self.words(doc)) | set(self.tokens(doc))
        matches = sorted(found, key=lambda m: (m[1], m[2], self.rank[m[0]]))
        return self._prune(matches) if self._prune and matches else matches


def match_as_phrases(context, nlp) -> None:
    """Swap ConText's matcher (medspaCy keeps it private) for `PhraseRules` over its rules;
    add every rule before."""
    context._ConText__matcher = PhraseRules(context._ConText__matcher, nlp)


class _Deferred(types.ModuleType):
    """Stands in `sys.modules` for a module imported by name and not used yet: the first
    attribute asked for imports the real module (which then takes its place) and answers."""

    def __getattr__(self, attr):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def import_context():
    """medspaCy's ConText (registering "medspacy_context"), without importing nltk.

    Importing any part of medspacy imports QuickUMLS, whose `import nltk` loads nltk and
    scipy.stats (a third of a worker's start-up); QuickUMLS only uses nltk when one of its
    matchers is built, which casemine never does. So while nltk is not imported yet, a
    `_Deferred` stands in for it; whatever asks nltk for anything later gets the real one."""
    if "nltk" not in sys.modules:
        stand_in = _Deferred("nltk")
        stand_in.__spec__ = None  # what the import system reads of a module it finds imported
        sys.modules["nltk"] = stand_in
    from medspacy.context import ConText
    return ConText
