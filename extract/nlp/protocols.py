"""Review protocols: a YAML file per review topic naming the condition, its subtypes,
treatments, causes and cue words. `load_protocol(path)` validates and returns a
`Protocol`; a bad file raises `ProtocolError` naming the file and the offending key.

A protocol may `include:` other YAML files (paths relative to itself) whose vocabulary is
merged in; the shipped protocols include `common.yaml`, the general clinical vocabulary
(common drugs and procedures, diagnostics, status and outcome cues).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PROTOCOL_DIR = Path(__file__).resolve().parents[2] / "models" / "protocols"
DEFAULT_PROTOCOL = PROTOCOL_DIR / "calcinosis_cutis.yaml"
COMMON_VOCABULARY = PROTOCOL_DIR / "common.yaml"
NO_PROTOCOL = "none"  # `--protocol none`: generic extraction, no topic layer

TREATMENT_KINDS = ("drug", "procedure", "other")
CAUSE_KINDS = ("procedure", "drug", "injury", "disease", "other")
STATUSES = ("given", "declined", "recommended", "considered", "contraindicated", "negated")
OUTCOMES = ("improved", "resolved", "unchanged", "worsened", "recurred")
_TOP_KEYS = {"name", "condition", "synonyms", "include", "subtypes", "treatments", "causes",
             "diagnostics", "status_cues", "outcome_cues", "drug_suffixes", "procedure_heads",
             "disease_heads", "treatment_classes", "procedure_verbs", "not_treatment_after", "not_treatment_before",
             "historical_cues", "description"}
_LISTS = ("diagnostics", "drug_suffixes", "procedure_heads", "disease_heads", "not_treatment_after",
          "not_treatment_before", "historical_cues")


class ProtocolError(ValueError):
    """A protocol file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Term:
    """A named thing with synonyms and optional regex patterns (a subtype, treatment, cause)."""

    name: str
    kind: str = "other"
    synonyms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def regex(self) -> re.Pattern:
        """One case-insensitive pattern matching the name, any synonym or pattern."""
        words = sorted({self.name, *self.synonyms}, key=len, reverse=True)
        alts = [_phrase(w) for w in words] + list(self.patterns)
        return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


@dataclass
class Protocol:
    name: str
    condition: Term
    subtypes: list[Term] = field(default_factory=list)
    treatments: list[Term] = field(default_factory=list)
    causes: list[Term] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    status_cues: dict[str, list[str]] = field(default_factory=dict)
    outcome_cues: dict[str, list[str]] = field(default_factory=dict)
    drug_suffixes: list[str] = field(default_factory=list)
    procedure_heads: list[str] = field(default_factory=list)  # last words of a treatment phrase
    disease_heads: list[str] = field(default_factory=list)
    treatment_classes: dict[str, str] = field(default_factory=dict)  # class -> member pattern
    procedure_verbs: dict[str, str] = field(default_factory=dict)  # participle -> its procedure's noun
    not_treatment_after: list[str] = field(default_factory=list)
    not_treatment_before: list[str] = field(default_factory=list)
    historical_cues: list[str] = field(default_factory=list)
    path: str | None = None


def _phrase(text: str) -> str:
    """A literal phrase as regex: flexible whitespace and hyphens, optional plural 's'."""
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", text.strip()) if p]
    return r"[\s\-]+".join(parts) + (r"s?" if text[-1:].isalpha() else "")


def _fail(path, where: str, msg: str):
    raise ProtocolError(f"{path}: {where}: {msg}")


def _strings(path, where: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, where, "must be a list of non-empty strings")
    return [v.strip() for v in value]


def _patterns(path, where: str, value: Any) -> list[str]:
    out = _strings(path, where, value)
    for p in out:
        try:
            re.compile(p)
        except re.error as e:
            _fail(path, where, f"bad regular expression {p!r}: {e}")
    return out


def _terms(path, key: str, items: Any, kinds: tuple[str, ...] | None) -> list[Term]:
    if items is None:
        return []
    if not isinstance(items, list):
        _fail(path, key, "must be a list of entries with a 'name'")
    out = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            _fail(path, where, "needs a non-empty 'name'")
        unknown = set(item) - {"name", "kind", "synonyms", "patterns"}
        if unknown:
            _fail(path, where, f"unknown keys {sorted(unknown)} (allowed: name, kind, synonyms, patterns)")
        kind = item.get("kind", "other")
        if kinds and kind not in kinds:
            _fail(path, f"{where}.kind", f"{kind!r} is not one of {', '.join(kinds)}")
        out.append(Term(item["name"].strip(), kind, tuple(_strings(path, f"{where}.synonyms", item.get("synonyms"))),
                        tuple(_patterns(path, f"{where}.patterns", item.get("patterns")))))
    return out


def _cues(path, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        _fail(path, key, f"must map each of {', '.join(allowed)} to a list of patterns")
    bad = set(value) - set(allowed)
    if bad:
        _fail(path, key, f"unknown labels {sorted(bad)} (allowed: {', '.join(allowed)})")
    return {k: _patterns(path, f"{key}.{k}", v) for k, v in value.items()}


def _classes(path, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        _fail(path, "treatment_classes", "must map each class name to a pattern for its member drugs")
    out = {}
    for name, pat in value.items():
        out[str(name).lower()] = _patterns(path, f"treatment_classes.{name}", pat)[0] if pat else ""
    return out


def _words(path, key: str, value: Any) -> dict[str, str]:
    """A mapping of words to words (lower case)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        _fail(path, key, "must map words to words")
    return {k.lower(): v.lower() for k, v in value.items()}


def _read(path: Path) -> dict:
    if not path.is_file():
        raise ProtocolError(f"{path}: no such protocol file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ProtocolError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"{path}: top level must be a mapping of keys")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        _fail(path, "top level", f"unknown keys {sorted(unknown)} (allowed: {', '.join(sorted(_TOP_KEYS))})")
    return data


def parse_protocol(data: dict, path: str | Path = "<protocol>", base: Path | None = None) -> Protocol:
    """Validate a protocol mapping (as read from YAML) and merge its includes."""
    cond = data.get("condition")
    if not isinstance(cond, str) or not cond.strip():
        _fail(path, "condition", "is required: the name of the reviewed condition")
    p = Protocol(
        name=str(data.get("name") or cond), path=str(path),
        condition=Term(cond.strip(), "disease", tuple(_strings(path, "synonyms", data.get("synonyms")))),
        subtypes=_terms(path, "subtypes", data.get("subtypes"), None),
        treatments=_terms(path, "treatments", data.get("treatments"), TREATMENT_KINDS),
        causes=_terms(path, "causes", data.get("causes"), CAUSE_KINDS),
        status_cues=_cues(path, "status_cues", data.get("status_cues"), STATUSES),
        outcome_cues=_cues(path, "outcome_cues", data.get("outcome_cues"), OUTCOMES + ("no_change_negation",)),
        treatment_classes=_classes(path, data.get("treatment_classes")),
        procedure_verbs=_words(path, "procedure_verbs", data.get("procedure_verbs")),
        **{k: _patterns(path, k, data.get(k)) for k in _LISTS},
    )
    for inc in _strings(path, "include", data.get("include")):
        inc_path = (base or Path(".")) / inc
        _merge(p, _vocabulary(inc_path))
    return p


def _vocabulary(path: Path) -> Protocol:
    """An included vocabulary file: a protocol without its own condition."""
    data = _read(path)
    data.setdefault("condition", "(vocabulary)")
    return parse_protocol(data, path, path.parent)


def _merge(p: Protocol, inc: Protocol) -> None:
    """Include a vocabulary: the protocol's own entries come first (and win on names)."""
    for attr in ("subtypes", "treatments", "causes"):
        mine = getattr(p, attr)
        names = {t.name.lower() for t in mine}
        mine.extend(t for t in getattr(inc, attr) if t.name.lower() not in names)
    for attr in _LISTS:
        getattr(p, attr).extend(x for x in getattr(inc, attr) if x not in getattr(p, attr))
    for name, pat in inc.treatment_classes.items():
        p.treatment_classes.setdefault(name, pat)
    for verb, noun in inc.procedure_verbs.items():
        p.procedure_verbs.setdefault(verb, noun)
    for attr in ("status_cues", "outcome_cues"):
        mine = getattr(p, attr)
        for k, v in getattr(inc, attr).items():
            mine[k] = mine.get(k, []) + [x for x in v if x not in mine.get(k, [])]


@lru_cache(maxsize=1)
def general_protocol() -> Protocol:
    """The layer every report gets: the common clinical vocabulary and cues of
    `common.yaml`, with no topic condition, subtypes or causes."""
    p = _vocabulary(COMMON_VOCABULARY)
    p.name = "(general)"
    return p


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime: float) -> Protocol:
    data = _read(Path(path))
    return parse_protocol(data, path, Path(path).parent)


def load_protocol(path: str | Path | None = None) -> Protocol:
    """Read and validate a protocol file (default: calcinosis cutis)."""
    p = Path(path) if path else DEFAULT_PROTOCOL
    if not p.is_file():
        raise ProtocolError(f"{p}: no such protocol file")
    return _load_cached(str(p.resolve()), p.stat().st_mtime)


def load_protocols(paths: str | Path | list | tuple | None = None) -> list[Protocol]:
    """One or several protocols (a path, a list of paths, or a folder of *.yaml files
    other than included vocabularies); "none" or [] for none (generic extraction)."""
    if paths is None:
        return [load_protocol()]
    if isinstance(paths, (str, Path)):
        if str(paths) == NO_PROTOCOL:
            return []
        p = Path(paths)
        if p.is_dir():
            files = sorted(f for f in p.glob("*.yaml") if _read(f).get("condition"))
            return [load_protocol(f) for f in files]
        return [load_protocol(p)]
    return [proto for x in paths for proto in load_protocols(x)]
