"""Learned decisions of the evidence stage: small linear models over named features.

A model is a folder in models/ (`model.json`: bias, feature weights, decision threshold,
training facts; `MODEL_CARD.md`), written by `python -m extract.training.train_evidence`
and read here with no learning library at run time. The features are built here, from
the same candidate spans and sentences at training and at run time, so the two cannot
drift apart.
"""
from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from extract.nlp.pipeline import MODELS_DIR

TREATMENT_MODEL = "evidence_treatment"

_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*|\d+")
_DOSE_AFTER = re.compile(r"^\W{0,3}(?:\w+\W+){0,3}\d+(?:[.,]\d+)?\s*(?:mg|g|µg|μg|mcg|mL|ml|IU|units|%)\b", re.I)
_GIVE_VERB = re.compile(r"\b(?:given|administ\w+|treated|received|receiving|started|commenced|initiated|"
                        r"prescribed|underw\w+|performed|undergo\w*|managed|instituted|applied|injected|"
                        r"infused|switched|added|continued|required|placed|put on|taken to)\b", re.I)
_TEST_WORD = re.compile(r"\b(?:levels?|tests?|tested|screen\w*|assay|titers?|titres?|serum|urine|stain\w*|"
                        r"positive|negative|resistant|sensitive|susceptib\w*|concentrations?)\b", re.I)


# a sentence about the patient's past or standing medication, not the course being reported
_HISTORY = re.compile(r"\b(?:history|previously|prior|ago|earlier|had been|long-term|chronic(?:ally)?|home medications?|"
                      r"medication list|medications? includ\w+|was on|had undergone|years? before)\b", re.I)
# what the candidate was given for: "X for the treatment of", "X to control"
_PURPOSE_AFTER = re.compile(r"^\W{0,3}(?:\S+\s+){0,4}?(?:for (?:the )?(?:treatment|management|control|prevention) of|"
                            r"to (?:treat|control|prevent|reduce|relieve|manage)|as (?:first|second|third)-line)\b", re.I)
# a treatment weighed but not (yet) given: the gold lists it with that status ("refused X", "X was indicated")
_PLAN_WORD = re.compile(r"\b(?:refus\w*|declin\w*|indicated|recommend\w*|consider\w*|planned|scheduled|candidate|"
                        r"advised|offered|referred|proposed|awaiting)\b", re.I)
# a result of treatment said in the sentence ("improved after X", "X led to resolution")
_RESULT_WORD = re.compile(r"\b(?:improv\w*|resol\w*|respon\w*|recover\w*|relie\w*|subsided|disappeared|"
                          r"normali[sz]\w*|successful\w*|uneventful\w*)\b", re.I)
_ROUTE_BEFORE = re.compile(r"\b(?:oral|orally|intravenous|intravenously|i\.v\.|IV|topical|subcutaneous|"
                           r"intramuscular|inhaled|nebuli[sz]ed|intralesional)\W+(?:\w+\W+){0,2}$", re.I)


def _kind_of(sources: set[str]) -> str:
    """The strongest kind of source a candidate has: entity of a model, pattern."""
    return "ner" if any(s.startswith("ner:") for s in sources) else "pattern"


@dataclass
class LinearModel:
    """A logistic model: P(yes) = sigmoid(bias + sum of the weights of the features present)."""

    name: str
    bias: float
    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def predict(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        body = dict(name=self.name, bias=self.bias, threshold=self.threshold, meta=self.meta,
                    weights={k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-4})
        (folder / "model.json").write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


class ModelMissing(RuntimeError):
    """A shipped evidence model is not where it should be (a broken install)."""


@lru_cache(maxsize=8)
def load_model(name: str) -> LinearModel:
    """A shipped evidence model by folder name (models/<name>/model.json)."""
    path = MODELS_DIR / name / "model.json"
    if not path.is_file():
        raise ModelMissing(f"{path}: evidence model missing; retrain with python -m extract.training.train_evidence")
    body = json.loads(path.read_text(encoding="utf-8"))
    return LinearModel(body["name"], float(body["bias"]), {k: float(v) for k, v in body["weights"].items()},
                       float(body.get("threshold", 0.5)), body.get("meta") or {})


# hashed character n-grams of a name (annotated entities' cross-fold AUC: 2^12 buckets 0.920, 2^14 0.938)
LIKENESS_BUCKETS = 1 << 14


def name_grams(span: str) -> list[int]:
    """The character 2- to 5-grams of a span's words (lower case, each word between spaces:
    " ceftr", "xone ", "ectom"), hashed into LIKENESS_BUCKETS; each bucket once."""
    out = set()
    for w in _WORD.findall(span.lower()):
        w = f" {w} "
        out.update(zlib.crc32(w[i:i + n].encode()) % LIKENESS_BUCKETS
                   for n in range(2, 6) for i in range(max(1, len(w) - n + 1)))
    return sorted(out)


@dataclass
class NameLikeness:
    """How much a span's words are like the names annotators marked as a treatment
    (MACCROBAT's Medication and Therapeutic_procedure) rather than as anything else (a
    symptom, a disorder, a test, a body part, a finding): a logistic model over `name_grams`
    (weighed 1/sqrt(n)), trained with the classes weighed equally, so 0.5 is undecided. Parts of
    words carry it to names never annotated ("-mab", "-ectomy", "-algia")."""

    bias: float
    weights: list[float]

    def probability(self, span: str) -> float | None:
        grams = name_grams(span)
        if not grams:
            return None
        z = self.bias + sum(self.weights[g] for g in grams) / math.sqrt(len(grams))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_meta(self) -> dict:
        return {"bias": round(self.bias, 4), "weights": [round(w, 4) for w in self.weights]}

    @classmethod
    def from_meta(cls, meta: dict | None) -> NameLikeness | None:
        return cls(float(meta["bias"]), meta["weights"]) if meta else None  # the list itself: read per sentence


def name_likeness(model: LinearModel) -> NameLikeness | None:
    """The name likeness a treatment model was trained with (kept in its meta)."""
    return NameLikeness.from_meta(model.meta.get("likeness"))


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "CAPS"
    if word[:1].isupper():
        return "Cap"
    return "low" if word.isalpha() else "mix"


def treatment_features(span: str, sentence: str, a: int, b: int, sources: set[str], section: str,
                       scope: str, flags: dict[str, bool], likeness: float | None = None) -> dict[str, float]:
    """Features of a treatment candidate `sentence[a:b]` (= `span`): where it came from
    (vocabulary term kind, entity label, drug ending, procedure phrase), how much the span is
    like an annotated treatment's name (`likeness`, NameLikeness), its words and their endings, the words
    around it, the sentence's verbs of giving and testing and words of the patient's past,
    a dose or a purpose ("for the treatment of") after it, the section, scope and ConText
    flags of its entity."""
    f: dict[str, float] = {"bias_const": 1.0}
    for s in sources:  # the clinical NER's labels too: train_evidence cross-fits that model
        f[f"src={s}"] = 1.0
    words = _words(span)
    for w in words:
        f[f"w={w}"] = 1.0
    if words:
        last = words[-1]
        f[f"last={last}"] = 1.0
        f[f"suf3={last[-3:]}"] = 1.0
        f[f"suf4={last[-4:]}"] = 1.0
        f[f"nw={min(len(words), 4)}"] = 1.0
    raw = span.split()
    if raw:
        f[f"shape={_shape(raw[0])}"] = 1.0
    if likeness is not None:
        f["likeness"] = likeness
    before, after = _words(sentence[:a])[-3:], _words(sentence[b:])[:3]
    for i, w in enumerate(reversed(before)):
        f[f"b{i + 1}={w}"] = 1.0
        f[f"bw={w}"] = 1.0
    for i, w in enumerate(after):
        f[f"a{i + 1}={w}"] = 1.0
        f[f"aw={w}"] = 1.0
    if _DOSE_AFTER.search(sentence[b:b + 40]):
        f["dose_after"] = 1.0
    if _GIVE_VERB.search(sentence):
        f["give_verb_sentence"] = 1.0
    if _GIVE_VERB.search(sentence[max(0, a - 40):b + 40]):
        f["give_verb_near"] = 1.0
    if _TEST_WORD.search(sentence[b:b + 25]):
        f["test_after"] = 1.0
    if _ROUTE_BEFORE.search(sentence[max(0, a - 30):a]):
        f["route_before"] = 1.0
    if _HISTORY.search(sentence):
        f["history_sentence"] = 1.0
    if _PLAN_WORD.search(sentence):
        f["plan_sentence"] = 1.0
    if _RESULT_WORD.search(sentence):
        f["result_sentence"] = 1.0
    if _PURPOSE_AFTER.search(sentence[b:b + 60]):
        f["purpose_after"] = 1.0
    # the context that makes any kind of candidate a treatment given: with its source
    for cue in ("dose_after", "give_verb_near", "route_before", "history_sentence", "purpose_after"):
        if cue in f:
            f[f"{cue}&{_kind_of(sources)}"] = 1.0
    f[f"section={section}"] = 1.0
    f[f"scope={scope}"] = 1.0
    for k, v in flags.items():
        if v:
            f[f"ctx={k}"] = 1.0
    return f
