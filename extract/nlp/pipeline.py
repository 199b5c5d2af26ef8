"""The run-time spaCy pipeline (built once per worker) and the `mentions` stage.

One Doc per prose section (a long section in pieces of CHUNK_CHARS) goes through, in order:
  tokenizer            the first loaded model's own rules (what its NER was trained on),
                       else scispacy's; superscript citation markers are forced apart
  casemine_sentences   sentence starts from `extract.nlp.sentences.split_sentences` (rules that
                       survive "et al.", "Fig. 2", "i.v." and "deposits.2"), no parser
  abbreviation_detector  scispacy (Schwartz & Hearst): short form -> long form
  ner_<model>          each NER pipeline (shipped or plugged in) run on a copy of the Doc
                       in its own vocab, its entities kept in `doc.spans["ner_<model>"]`
  protocol_ruler       the review protocol's terms (SUBTYPE, CONDITION, TREATMENT)
  casemine_merge_ents  one set of non-overlapping entities (see MergeEnts for the priority)
  medspacy_context     negated / hypothetical / historical / family / uncertain (its rules
                       matched as phrases: `extract.nlp.context`)
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from thinc.api import use_ops

from extract.nlp.context import import_context, match_as_phrases
from extract.nlp.scope import has_citation_mark, scope_of
from extract.nlp.propagation import propagate
from extract.nlp.tokenizers import LAZY_CONFIG, LazyTokenizer, load_config_for, same_rules
from extract.nlp.vectors import keep_floret_vectors, keep_vocab, shared_vocab, vocab_key
from extract.document import Document
from extract.stages import Records, RunConfig, stage, worker_initializer
from extract.nlp.sentences import split_sentences
from extract.nlp import tagger as _tagger  # noqa: F401  registers "casemine_crf_tagger"

log = logging.getLogger(__name__)

MODELS_DIR = Path(os.environ.get("CASEMINE_MODELS", Path(__file__).resolve().parents[2] / "models"))
SHIPPED = ("clinical", "chem_disease", "treatment_tagger")  # default NER heads, in merge priority order
# sections whose text is prose about the case or its background (not references, front matter, tables)
PROSE_KINDS = ("title", "abstract", "introduction", "case", "methods", "results", "discussion", "conclusion",
               "caption", "other")
# components a plugged-in pipeline does not need to find entities (never loaded)
NOT_FOR_NER = ("tagger", "morphologizer", "parser", "lemmatizer", "trainable_lemmatizer",
               "attribute_ruler", "senter", "sentencizer", "textcat", "textcat_multilabel")
MARKERS_KEY = "casemine_markers"  # Doc.user_data: superscript spans, offsets into the Doc
SOURCE_KEY = "casemine_source"    # Doc.user_data: (start_char, end_char) -> span group it came from
PROTOCOL_KEY = "protocol"
ABBREVIATION_SOURCE = "abbreviation"
ABBREVIATIONS_KEY = "abbreviations"  # Document.memo key of the short -> long form map
CONTEXT = "medspacy_context"
# The mentions stage parses a long section in pieces of at most CHUNK_CHARS characters, and at
# most PIPE_CHARS characters at a time: the models' activations grow with the text they are
# given at once (about 14 kB a token), so a long document would otherwise take GBs.
CHUNK_CHARS = 10_000
PIPE_CHARS = 30_000

# ConText rules on top of medspacy's defaults. A declined treatment was offered and not done:
# HYPOTHETICAL (like "recommended"), not NEGATED_EXISTENCE, which medspacy's default "decline"
# rule says; so the evidence tables can tell "declined" from "not needed/absent".
CONTEXT_DROP = {"decline"}  # default rules replaced below
_PROPOSE = ["recommend", "recommends", "recommended", "advise", "advised", "offer", "offered",
            "propose", "proposed", "plan", "planned", "consider", "considered", "schedule", "scheduled"]
_REFUSE = ["decline", "declined", "declines", "declining", "refuse", "refused", "refuses", "refusing"]
CONTEXT_RULES: list[dict[str, Any]] = [
    dict(literal="declined", category="HYPOTHETICAL", direction="FORWARD", max_scope=8,
         pattern=[{"LOWER": {"IN": _REFUSE}}]),
    dict(literal="patient declined", category="HYPOTHETICAL", direction="BIDIRECTIONAL", max_scope=8,
         pattern=[{"LOWER": {"IN": ["patient", "he", "she", "they", "family", "parents", "mother", "father"]}},
                  {"LOWER": {"IN": _REFUSE}}]),
    dict(literal="recommended", category="HYPOTHETICAL", direction="FORWARD", max_scope=8,
         pattern=[{"LOWER": {"IN": _PROPOSE}}]),
    dict(literal="was recommended", category="HYPOTHETICAL", direction="BACKWARD", max_scope=6,
         pattern=[{"LOWER": {"IN": ["was", "were", "is", "are", "be", "been"]}}, {"LOWER": {"IN": _PROPOSE}}]),
    dict(literal="candidate for", category="HYPOTHETICAL", direction="FORWARD", max_scope=6),
    # a new clause ends every modifier's scope ("... was recommended but declined, and the
    # nodules were unchanged": the nodules are not hypothetical)
    dict(literal="; / , and the", category="CLAUSE", direction="TERMINATE",
         pattern=[{"ORTH": {"IN": [",", ";"]}}, {"LOWER": {"IN": ["and", "but"]}, "OP": "?"},
                  {"LOWER": {"IN": ["the", "her", "his", "she", "he", "it", "there", "this", "they"]}}]),
    dict(literal="which", category="CLAUSE", direction="TERMINATE",
         pattern=[{"LOWER": {"IN": ["which", "whereas", "while", "whom"]}}]),
    dict(literal="previously", category="HISTORICAL", direction="FORWARD", max_scope=6,
         pattern=[{"LOWER": {"IN": ["previously", "formerly"]}}]),
]


class UnknownModel(ValueError):
    """A --model name that is neither shipped, installed, nor a pipeline directory."""


# -- the pipeline -------------------------------------------------------------------------

def build_nlp(models: Iterable[str] | None = None, protocol: Any = None) -> Language:
    """The run-time pipeline, built once per process for the same arguments.

    `models`: NER pipelines in merge priority order: shipped names (`clinical`,
    `chem_disease`), "shipped" for both, installed package names or paths; None = shipped.
    `protocol`: review protocol(s) whose condition, subtype and treatment names and
    synonyms the entity ruler adds: a YAML path, a folder, a `Protocol`, a mapping as
    read from YAML, or a list of these; None = no ruler terms."""
    return _build(tuple(resolve_models(models)), protocol_terms(protocol))


def resolve_models(models: Iterable[str] | None) -> list[str]:
    """Model names in priority order, "shipped"/"default" expanded, duplicates dropped."""
    out: list[str] = []
    for m in (SHIPPED if models is None else ([models] if isinstance(models, str) else models)):
        for name in (SHIPPED if str(m) in ("shipped", "default") else (str(m),)):
            if name not in out:
                out.append(name)
    return out


@lru_cache(maxsize=8)
def _build(models: tuple[str, ...], terms: tuple[tuple[str, str, str], ...]) -> Language:
    # imported here, not at module level: scispacy and medspacy take a second, and every
    # worker imports this module whether or not the run asks for mentions
    import scispacy.abbreviation  # noqa: F401  registers "abbreviation_detector"
    import_context()  # registers "medspacy_context"
    loaded = [(m, _load_model(m)) for m in models]
    loaded = [(m, p) for m, p in loaded if p is not None]
    nlp = spacy.blank("en", config=LAZY_CONFIG)  # its tokenizer is set here, built once
    rules = next((p.tokenizer for _, p in loaded if isinstance(p.tokenizer, (Tokenizer, LazyTokenizer))), None)
    if rules is not None:  # tokenize as the first model was trained (its rules are serialized)
        nlp.tokenizer = same_rules(nlp, rules)
    else:
        from scispacy.custom_tokenizer import combined_rule_tokenizer
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    if models and not loaded:
        log.warning("no NER model could be loaded: mentions come from the protocol ruler only")
    nlp.add_pipe("casemine_sentences")
    nlp.add_pipe("abbreviation_detector")
    keys = [PROTOCOL_KEY]
    for m, _ in loaded:
        key = _head_name(m, keys)
        nlp.add_pipe("casemine_ner_head", name=key, config={"model": m, "key": key})
        keys.append(key)
    ruler = nlp.add_pipe("span_ruler", name="protocol_ruler",
                         config={"spans_key": PROTOCOL_KEY, "phrase_matcher_attr": "LOWER"})
    if terms:  # matched on LOWER, so made by the tokenizer alone: not run through the heads before
        with nlp.select_pipes(disable=nlp.pipe_names[:-1]):
            ruler.add_patterns([ruler_pattern(nlp, *t) for t in terms])
    nlp.add_pipe("casemine_merge_ents", config={"keys": keys})
    context = nlp.add_pipe(CONTEXT, config={"rules": None, "span_attrs": "default"})
    context.add(context_rules(nlp))
    match_as_phrases(context, nlp)  # the same matches, a fifth of the stage's time less
    return nlp


def _head_name(model: str, taken: list[str]) -> str:
    base = "ner_" + re.sub(r"\W+", "_", Path(model.rstrip("/\\")).name or "model")
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    return name


def find_model(name: str) -> str | Path:
    """What `spacy.load` should open for a --model NAME_OR_PATH: a shipped model's folder,
    a pipeline folder, or an installed package name. Cheap (loads nothing), so a command
    line can check its arguments before a run; raises UnknownModel otherwise."""
    if name in SHIPPED:
        return MODELS_DIR / name
    if Path(name).is_dir():
        return Path(name)
    if spacy.util.is_package(name):
        return name
    raise UnknownModel(f"no spaCy pipeline {name!r}: not a shipped model ({', '.join(SHIPPED)}), "
                       f"not a pipeline folder, not an installed package (pip install it first)")


@lru_cache(maxsize=8)
def _load_model(name: str) -> Language | None:
    """A NER pipeline by shipped name, package name or path, without tagging/parsing parts.

    A missing or broken shipped model logs a warning (None: the run goes on without it);
    an unknown user-named model raises UnknownModel, a broken one its own error."""
    target = find_model(name)
    try:
        # matrix products through numpy's OpenBLAS, not thinc's default blis: the tok2vec CNN
        # is 90% of NER time and runs about 1.7x faster so, with the same entities
        # (tests/test_models.py compares the two)
        key = vocab_key(target)
        with use_ops("numpy", use_blis=False):
            model = spacy.load(target, exclude=list(NOT_FOR_NER), config=load_config_for(target),
                               vocab=shared_vocab(key))
        keep_floret_vectors(model)  # each word's vector computed once per worker, for every head
        keep_vocab(key, model)      # and its lexeme made once, for the heads sharing the vocab
        return model
    except Exception as e:
        if name not in SHIPPED:
            raise
        why = "missing" if not (MODELS_DIR / name / "config.cfg").exists() else f"broken: {e}"
        log.warning("shipped model %s is %s (%s): running without it", name, why, target)
        return None


def context_rules(nlp: Language) -> list:
    """medspacy's default ConText rules with CONTEXT_RULES replacing CONTEXT_DROP (read by a
    ConText on `nlp` that is not added to it: no Language of its own to build)."""
    from medspacy.context import ConText, ConTextRule
    default = ConText(nlp, rules="default").rules
    return [r for r in default if r.literal not in CONTEXT_DROP] + [ConTextRule(**r) for r in CONTEXT_RULES]


@Language.component("casemine_sentences")
def set_sentences(doc: Doc) -> Doc:
    """Sentence starts from the rule splitter (markers in user_data may end a sentence)."""
    if not len(doc):
        return doc
    bounds = split_sentences(doc.text, doc.user_data.get(MARKERS_KEY, ()))
    idx = doc.to_array("IDX").astype("int64")
    starts = np.searchsorted(idx, [a for a, _ in bounds])
    flags = np.full(len(doc), -1, dtype="int64")
    flags[starts[starts < len(doc)]] = 1
    flags[0] = 1
    doc.from_array(["SENT_START"], flags.astype("uint64"))
    return doc


@Language.factory("casemine_ner_head", default_config={"model": "", "key": ""})
def make_ner_head(nlp, name, model, key):  # untyped: confection cannot resolve postponed hints
    return NerHead(_load_model(model), key or name)


class NerHead:
    """Runs a whole NER pipeline on copies of the Docs (same tokens, the model's own vocab
    and vectors) and keeps its entities in `doc.spans[key]`, leaving `doc.ents` alone.
    A model whose meta.json says `"casemine": {"propagate": true}` (its model card shows
    what that buys) has its labels spread to abbreviations and repeats in the Doc."""

    def __init__(self, model: Language | None, key: str):
        self.model = model
        self.key = key
        self.propagate = bool(model is not None and (model.meta.get("casemine") or {}).get("propagate"))

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterable[Doc]:
        docs = list(docs)
        if self.model is None:
            return docs
        copies = (Doc(self.model.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d])
                  for d in docs)
        for doc, done in zip(docs, self.model.pipe(copies, batch_size=batch_size)):
            if self.propagate:
                propagate(done)
            doc.spans[self.key] = [Span(doc, e.start, e.end, label=e.label_, kb_id=e.kb_id_) for e in done.ents]
        return docs


@Language.factory("casemine_merge_ents", default_config={"keys": []})
def make_merge(nlp, name, keys):
    return MergeEnts(keys)


class MergeEnts:
    """`doc.ents` from the span groups, never overlapping.

    Priority: the order of `keys` (protocol ruler, then the models as listed: clinical before
    chem_disease by default); within one group the longer span wins. Then abbreviations: a
    short form not yet covered takes the label and norm of the entity on its long form."""

    def __init__(self, keys: list[str]):
        self.keys = list(keys)

    def __call__(self, doc: Doc) -> Doc:
        cands = [(rank, -len(sp), sp.start, sp, key) for rank, key in enumerate(self.keys)
                 for sp in doc.spans.get(key, [])]
        taken = bytearray(len(doc))
        kept, source = [], doc.user_data.setdefault(SOURCE_KEY, {})
        for *_, sp, key in sorted(cands, key=lambda c: c[:3]):
            if not any(taken[sp.start:sp.end]):
                taken[sp.start:sp.end] = b"\x01" * len(sp)
                kept.append(sp)
                source[(sp.start_char, sp.end_char)] = key
        doc.ents = kept
        link_abbreviations(doc, abbreviation_definitions([doc]))
        return doc


def abbreviation_definitions(docs: Iterable[Doc]) -> dict[str, tuple[str | None, str, int]]:
    """short form -> (label of the entity on its long form or None, norm, its token count)."""
    out: dict[str, tuple[str | None, str, int]] = {}
    for doc in docs:
        for short in doc._.abbreviations:
            long = short._.long_form
            if long is None or short.text in out:
                continue
            over = [e for e in doc.ents if e.start < long.end and long.start < e.end and e.text != short.text]
            best = max(over, key=lambda e: min(e.end, long.end) - max(e.start, long.start), default=None)
            out[short.text] = (best.label_ if best is not None else None,
                               best.id_ if best is not None and best.id_ else long.text, len(short))
    return out


def link_abbreviations(doc: Doc, defs: Mapping[str, tuple[str | None, str, int]]) -> None:
    """Every occurrence of a short form whose long form is an entity becomes an entity with
    the long form's label and norm (relabelling a model's guess for the short form, not
    the protocol's)."""
    first: dict[str, list] = {}
    for short, (label, norm, n) in defs.items():
        if label:
            first.setdefault(short.split()[0], []).append((short, label, norm, n))
    if not first:
        return
    source = doc.user_data.setdefault(SOURCE_KEY, {})
    ents = [e for e in doc.ents if not (e.text in defs and defs[e.text][0])
            or source.get((e.start_char, e.end_char)) == PROTOCOL_KEY]
    taken = bytearray(len(doc))
    for e in ents:
        taken[e.start:e.end] = b"\x01" * len(e)
    for tok in doc:
        for short, label, norm, n in first.get(tok.text, ()):
            sp = doc[tok.i:tok.i + n]
            if sp.text == short and not any(taken[sp.start:sp.end]):
                taken[sp.start:sp.end] = b"\x01" * n
                ents.append(Span(doc, sp.start, sp.end, label=label, span_id=norm))
                source[(sp.start_char, sp.end_char)] = ABBREVIATION_SOURCE
                break
    doc.ents = sorted(ents, key=lambda s: s.start)


# -- review protocol terms ------------------------------------------------------------------

def protocol_terms(protocol: Any) -> tuple[tuple[str, str, str], ...]:
    """(label, canonical name, phrase) for the condition (CONDITION), subtypes (SUBTYPE) and
    treatments (TREATMENT) of the protocol(s), names and synonyms with a plural; regex
    `patterns` and causes are left to the evidence stage. Hashable, so builds are cached."""
    from extract.nlp.protocols import Protocol, load_protocols, parse_protocol
    if protocol is None:
        return ()
    if isinstance(protocol, Mapping):
        protos = [parse_protocol(dict(protocol))]
    elif isinstance(protocol, Protocol):
        protos = [protocol]
    elif isinstance(protocol, (list, tuple)) and all(isinstance(p, Protocol) for p in protocol):
        protos = list(protocol)
    else:
        protos = load_protocols(protocol)
    out: dict[tuple[str, str], str] = {}  # (label, phrase) -> canonical; the first protocol wins
    for proto in protos:
        for label, terms in (("CONDITION", [proto.condition]), ("SUBTYPE", proto.subtypes),
                             ("TREATMENT", proto.treatments)):
            for term in terms:
                for phrase in (term.name, *term.synonyms):
                    for variant in (phrase, phrase + "s" if phrase[-1:].islower() and phrase[-1] != "s" else None):
                        if variant:
                            out.setdefault((label, variant), term.name)
    return tuple((label, canonical, phrase) for (label, phrase), canonical in out.items())


def ruler_pattern(nlp: Language, label: str, canonical: str, phrase: str) -> dict:
    """A phrase matched case-insensitively, except abbreviations ("STS", "CUA"), which must
    match as written so that "sts" or "art" in running text are not taken for them."""
    if re.fullmatch(r"[A-Z0-9][A-Z0-9\-]{1,7}", phrase) and not phrase.isdigit():
        return {"label": label, "id": canonical, "pattern": [{"ORTH": t.text} for t in nlp.make_doc(phrase)]}
    return {"label": label, "id": canonical, "pattern": phrase}


# -- the mentions stage ----------------------------------------------------------------------

def section_doc(nlp: Language, text: str, markers: Iterable[tuple[int, int]] = ()) -> Doc:
    """Tokenize `text` with token boundaries forced at superscript `markers` (offsets into
    `text`), so "deposits.2" is "deposits" "." "2"; the markers go to the sentence splitter."""
    doc = nlp.make_doc(text)
    markers = [(a, b) for a, b in markers if 0 <= a < b <= len(text)]
    doc.user_data[MARKERS_KEY] = markers
    cuts = sorted({c for ab in markers for c in ab})
    if not cuts or not len(doc):
        return doc
    idx = doc.to_array("IDX").astype("int64")
    splits = {}
    for c in cuts:
        i = int(np.searchsorted(idx, c, side="right")) - 1
        if i >= 0 and idx[i] < c < idx[i] + len(doc[i]):
            splits.setdefault(i, []).append(c - int(idx[i]))
    if splits:
        with doc.retokenize() as retok:
            for i, offs in splits.items():
                tok = doc[i]
                edges = [0, *offs, len(tok.text)]
                orths = [t.text for a, b in pairwise(edges)
                         for t in nlp.tokenizer(tok.text[a:b])]
                if len(orths) > 1 and "".join(orths) == tok.text:
                    retok.split(tok, orths, heads=[(tok, 0)] * len(orths))
    return doc


@stage("mentions")
def mention_records(doc: Document, cfg: RunConfig) -> Records:
    """`mentions` rows. Options: `models` (see build_nlp), `protocol` (as for the evidence
    stage; default the calcinosis protocol), `mention_sections` (section kinds to read)."""
    opts = cfg.options
    return {"mentions": document_mentions(doc, opts.get("models"), opts.get("protocol"),
                                          opts.get("mention_sections", PROSE_KINDS))}


def document_mentions(doc: Document, models: Iterable[str] | None = None, protocol: Any = None,
                      sections: Iterable[str] = PROSE_KINDS) -> list[dict]:
    """The entities of every prose section with ConText flags, norm and scope.

    Computed once per document and arguments (the evidence stage can take this function
    as `options["mentions"]` without a second NER pass). `protocol` as in
    `extract.nlp.protocols.load_protocols` (None: the default protocol; [] for none)."""
    key = _stage_key(models, protocol)
    kinds = tuple(sections)
    return doc.memo(f"mentions:{(*key, kinds)!r}", lambda: _mentions(doc, _build(*key), set(kinds)))


def _stage_key(models: Iterable[str] | None, protocol: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
    """What the mentions stage builds its pipeline from (`_build`'s arguments): the worker's
    warm-up builds the same, so that the stage finds it built."""
    return tuple(resolve_models(models)), _stage_terms(protocol)


def _stage_terms(protocol: Any) -> tuple[tuple[str, str, str], ...]:
    from extract.nlp.protocols import ProtocolError, load_protocols
    try:
        return protocol_terms(load_protocols(protocol) if protocol is None else protocol)
    except ProtocolError as e:
        if protocol is not None:
            raise
        log.warning("default review protocol unavailable (%s): no protocol terms", e)
        return ()


def _prose_pieces(doc: Document, kinds: set[str]) -> tuple[list[tuple[Any, int, int]], list[tuple[int, int]]]:
    """The non-empty sections of these kinds cut into the pieces the models take
    ((section, start, end)), and the superscript spans that force token boundaries."""
    secs = [s for s in doc.sections if s.kind in kinds and doc.text[s.char_start:s.char_end].strip()]
    sups = [(m.char_start, m.char_end) for m in doc.markers if m.kind == "sup"]
    return [(sec, a, b) for sec in secs
            for a, b in section_chunks(doc.text, sec.char_start, sec.char_end, sups, CHUNK_CHARS)], sups


def _piece_docs(nlp: Language, doc: Document, pieces: Iterable[tuple[Any, int, int]],
                sups: list[tuple[int, int]]) -> Iterable[Doc]:
    return (section_doc(nlp, doc.text[a:b], [(m - a, n - a) for m, n in sups if a <= m and n <= b])
            for _, a, b in pieces)


def _mentions(doc: Document, nlp: Language, kinds: set[str]) -> list[dict]:
    pieces, sups = _prose_pieces(doc, kinds)
    sdocs = []  # parsed a batch at a time, so the models' activations are bounded by PIPE_CHARS
    for batch in _batches(pieces, PIPE_CHARS):
        for sd in nlp.pipe(_piece_docs(nlp, doc, batch, sups), disable=[CONTEXT]):
            sd.spans.clear()  # each model's own entities: merged into doc.ents by now
            sdocs.append(sd)
    defs = abbreviation_definitions(sdocs)  # document-wide: defined in the abstract, used later
    if kinds >= set(PROSE_KINDS):  # the same pieces document_abbreviations reads
        doc.memo(ABBREVIATIONS_KEY, lambda: long_forms(sdocs))
    context = nlp.get_pipe(CONTEXT)
    rows: list[dict] = []
    for (sec, base, _), sd in zip(pieces, sdocs):
        link_abbreviations(sd, defs)
        context(sd)
        source = sd.user_data.get(SOURCE_KEY, {})
        scopes: dict[int, str] = {}
        for e in sd.ents:
            sent = e.sent
            start, end = base + e.start_char, base + e.end_char
            a, b = base + sent.start_char, base + sent.end_char
            sentence = doc.text[a:b]  # what sent.text gives, without joining its tokens again
            if sent.start not in scopes:
                scopes[sent.start] = scope_of(sec.kind, sentence, has_citation_mark(doc, a, b))
            rows.append(dict(
                doc_id=doc.doc_id, mention_id=len(rows), label=e.label_, text=e.text,
                norm=e.id_ or (defs[e.text][1] if e.text in defs else " ".join(e.text.split())),
                concept_id=e.kb_id_ or None, section=sec.kind, page=doc.page_at(start),
                char_start=start, char_end=end, sentence=sentence.strip(),
                negated=bool(e._.is_negated), hypothetical=bool(e._.is_hypothetical),
                historical=bool(e._.is_historical), family=bool(e._.is_family),
                uncertain=bool(e._.is_uncertain), scope=scopes[sent.start],
                source=source.get((e.start_char, e.end_char))))
    return rows


def document_abbreviations(doc: Document) -> dict[str, str]:
    """Short form -> long form of the document's 'long form (SF)' definitions, found once
    per document by the mentions stage's detector (scispacy's Schwartz-Hearst) over the
    same prose pieces; the evidence stage reads these, so there is one resolution."""
    def compute() -> dict[str, str]:
        nlp = _build(tuple(resolve_models(None)), ())
        pieces, sups = _prose_pieces(doc, set(PROSE_KINDS))
        off = [n for n in nlp.pipe_names if n != "abbreviation_detector"]
        return long_forms(nlp.pipe(_piece_docs(nlp, doc, pieces, sups), disable=off))
    return doc.memo(ABBREVIATIONS_KEY, compute)


def long_forms(docs: Iterable[Doc]) -> dict[str, str]:
    """Short form -> long form text, the first definition of each short form."""
    out: dict[str, str] = {}
    for d in docs:
        for short in d._.abbreviations:
            if short._.long_form is not None:
                out.setdefault(short.text, short._.long_form.text)
    return out


def section_chunks(text: str, start: int, end: int, markers: Iterable[tuple[int, int]],
                   size: int) -> list[tuple[int, int]]:
    """`text[start:end]` as consecutive (start, end) pieces of at most `size` characters, cut
    at sentence starts (a sentence longer than `size` at a space, else anywhere), so that the
    models never see one Doc the length of a long document. A section of `size` characters
    or fewer is one piece, parsed as before."""
    if end - start <= size:
        return [(start, end)]
    n = end - start
    starts = [a for a, _ in split_sentences(text[start:end], [(a - start, b - start) for a, b in markers
                                                              if start <= a and b <= end])]
    cuts, last = [0], 0  # last: the latest sentence start that fits in the current piece
    for s in [*starts[1:], n]:
        if s - cuts[-1] > size and last > cuts[-1]:
            cuts.append(last)
        while s - cuts[-1] > size:  # one sentence longer than a piece
            space = text.rfind(" ", start + cuts[-1] + 1, start + cuts[-1] + size)
            cuts.append(space + 1 - start if space > start + cuts[-1] else cuts[-1] + size)
        last = s
    return [(start + a, start + b) for a, b in pairwise([*cuts, n])]


def _batches(pieces: list[tuple[Any, int, int]], budget: int) -> Iterable[list[tuple[Any, int, int]]]:
    """Consecutive pieces, at most `budget` characters a batch (a longer piece alone)."""
    batch, size = [], 0
    for piece in pieces:
        if batch and size + piece[2] - piece[1] > budget:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += piece[2] - piece[1]
    if batch:
        yield batch


@worker_initializer
def _warm(cfg: RunConfig) -> None:
    """Load the pipelines once per worker, before its first document; one worker is one
    core, so the matrix library keeps to one thread."""
    if "mentions" in cfg.stages:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1, user_api="blas")
        # the pipeline the stage will use: its protocol terms too (None: the default
        # protocol's), not `build_nlp`'s (None: no terms), which the stage would build again
        _build(*_stage_key(cfg.options.get("models"), cfg.options.get("protocol")))
