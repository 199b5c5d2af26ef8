"""Per-document stages, registered by name (spaCy-style): the run looks them up from
`RunConfig.stages`, so a module adds a stage with `@stage("name")` next to its logic, and
a hook that must run once per worker (loading models) with `@worker_initializer`.

The base of the package with `extract.document`: every stage imports it, it imports no stage."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from extract.document import Document

Records = dict[str, list]
Stage = Callable[[Document, "RunConfig"], Records]
STAGES: dict[str, Stage] = {}
INITIALIZERS: list[Callable[["RunConfig"], None]] = []


def stage(name: str):
    """Register a per-document stage: (Document, RunConfig) -> {table: [records]}."""
    def deco(fn: Stage) -> Stage:
        STAGES[name] = fn
        return fn
    return deco


def worker_initializer(fn: Callable[["RunConfig"], None]) -> Callable[["RunConfig"], None]:
    """Register a hook run once per worker process before its first document (load models here)."""
    INITIALIZERS.append(fn)
    return fn


@dataclass
class RunConfig:
    """What a run does to each document; picklable, so workers get the same settings."""

    stages: tuple[str, ...] = ("structure", "references", "timings", "mentions", "evidence")
    max_pages: int | None = 2000
    write_text: bool = True
    options: dict[str, Any] = field(default_factory=dict)  # stage settings (model names, protocol)
    corrections: str | None = None  # the reviewer's corrections file (extract.outputs.corrections); not a stage setting
    formats: tuple[str, ...] = ("csv", "duckdb")  # written beside Parquet (extract.outputs.writers.TABLE_FORMATS)
    csv_bom: bool = False  # CSV with a byte-order mark, for Excel on Windows
