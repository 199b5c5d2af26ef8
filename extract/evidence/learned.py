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


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "CAPS"
    if word[:1].isupper():
        return "Cap"
    return "low" if word.isalpha() else "mix"


def treatment_features(span: str, sentence: str, a: int, b: int, sources: set[str], section: str,
                       scope: str, flags: dict[str, bool]) -> dict[str, float]:
    """Features of a treatment candidate `sentence[a:b]` (= `span`): where it came from
    (vocabulary term kind, entity label, drug ending, procedure phrase), its words and their endings, the words
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
