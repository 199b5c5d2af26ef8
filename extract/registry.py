"""Per-document stages, registered by name (spaCy-style): the run looks them up from
`RunConfig.stages`, so a module adds a stage with `@stage("name")` next to its logic."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .document import Document

Records = dict[str, list]
Stage = Callable[[Document, "RunConfig"], Records]
STAGES: dict[str, Stage] = {}


def stage(name: str):
    """Register a per-document stage: (Document, RunConfig) -> {table: [records]}."""
    def deco(fn: Stage) -> Stage:
        STAGES[name] = fn
        return fn
    return deco


@dataclass
class RunConfig:
    """What a run does to each document; picklable, so workers get the same settings."""

    stages: tuple[str, ...] = ("structure", "references", "timings", "mentions", "evidence")
    max_pages: int | None = 2000
    write_text: bool = True
    options: dict[str, Any] = field(default_factory=dict)  # stage settings (model names, protocol)
