"""Output tables: the column contract of DESIGN.md, and records -> DataFrames at the edge.

Every table has a fixed column order so an empty run still yields the same frames; list
columns (authors, cited_refs) stay lists in Parquet and become '; '-joined text in CSV.
"""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any, Iterable

import pandas as pd

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string", "path": "string", "sha256": "string", "n_pages": "Int64",
        "title": "string", "authors": "list", "first_author": "string", "year": "Int64",
        "journal": "string", "volume": "string", "issue": "string", "pages": "string",
        "doi": "string", "pmid": "string", "pmcid": "string", "article_type": "string",
        "keywords": "list", "affiliations": "list", "status": "string", "n_chars": "Int64",
    },
    "errors": {
        "path": "string", "doc_id": "string", "stage": "string", "error_type": "string",
        "message": "string",
    },
    "sections": {
        "doc_id": "string", "section_id": "Int64", "heading": "string", "kind": "string",
        "level": "Int64", "page": "Int64", "char_start": "Int64", "char_end": "Int64", "text": "string",
    },
    "timings": {
        "doc_id": "string", "timing_id": "Int64", "text": "string", "type": "string",
        "value": "string", "value_min": "string", "value_max": "string", "days": "Float64",
        "days_min": "Float64", "days_max": "Float64", "mod": "string", "event": "string",
        "event_kind": "string", "anchor": "string", "relation": "string", "freq": "string",
        "count": "Int64", "section": "string", "sentence": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
    "references": {
        "doc_id": "string", "ref_no": "Int64", "raw": "string", "authors": "list",
        "first_author": "string", "et_al": "boolean", "title": "string", "container": "string",
        "year": "Int64", "volume": "string", "issue": "string", "pages": "string", "doi": "string",
        "pmid": "string", "pmcid": "string", "url": "string", "publisher": "string",
        "work_id": "string", "duplicate_of": "Int64", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64",
    },
    "citations": {
        "doc_id": "string", "citation_id": "Int64", "marker": "string", "ref_no": "Int64",
        "work_id": "string", "in_list": "boolean", "section": "string", "page": "Int64",
        "sentence": "string", "char_start": "Int64", "char_end": "Int64",
    },
    "works": {
        "work_id": "string", "title": "string", "first_author": "string", "year": "Int64",
        "container": "string", "doi": "string", "pmid": "string", "in_corpus": "boolean",
        "doc_id": "string", "times_cited_in_corpus": "Int64", "n_citing_docs": "Int64",
    },
    "mentions": {
        "doc_id": "string", "mention_id": "Int64", "label": "string", "text": "string",
        "norm": "string", "concept_id": "string", "section": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64", "sentence": "string", "negated": "boolean",
        "hypothetical": "boolean", "historical": "boolean", "family": "boolean",
        "uncertain": "boolean", "scope": "string", "source": "string",
    },
    "subtypes": {
        "doc_id": "string", "subtype": "string", "text": "string", "role": "string",
        "section": "string", "sentence": "string", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64",
    },
    "treatments": {
        "doc_id": "string", "treatment_id": "Int64", "treatment": "string", "treatment_class": "string",
        "text": "string", "kind": "string", "scope": "string", "status": "string", "historical": "boolean",
        "dose": "string", "route": "string", "frequency": "string", "sessions": "Int64",
        "duration": "string", "outcome": "string", "response_pct": "Float64",
        "outcome_text": "string", "cited_refs": "list", "timing_ids": "list",
        "n_mentions": "Int64", "mentions": "list", "sentence": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
    "causes": {
        "doc_id": "string", "cause": "string", "cause_kind": "string", "effect": "string",
        "text": "string", "sentence": "string", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64",
    },
    "patients": {
        "doc_id": "string", "patient_id": "Int64", "age_years": "Float64", "age_text": "string",
        "sex": "string", "comorbidities": "list", "sentence": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
    "cases": {
        "doc_id": "string", "patient_id": "Int64", "protocol": "string", "condition": "string",
        "subtype": "string", "cause": "string", "age_years": "Float64", "sex": "string",
        "site": "string", "treatments_given": "list", "treatments_declined": "list",
        "best_outcome": "string", "response_pct": "Float64", "time_to_outcome_days": "Float64",
        "follow_up_days": "Float64",
    },
    "evidence": {
        "doc_id": "string", "evidence_id": "Int64", "kind": "string", "subject": "string",
        "predicate": "string", "object": "string", "value": "Float64", "unit": "string",
        "scope": "string", "sentence": "string", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64", "cited_refs": "list",
    },
    "markers": {
        "doc_id": "string", "kind": "string", "text": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
}
LIST_SEP = "; "


def frame(name: str, records: Iterable[Any]) -> pd.DataFrame:
    """Records (dataclasses or dicts) -> a DataFrame with the table's columns and dtypes."""
    schema = SCHEMAS[name]
    rows = [asdict(r) if is_dataclass(r) else dict(r) for r in records]
    df = pd.DataFrame(rows, columns=list(schema)) if rows else pd.DataFrame(columns=list(schema))
    for col, dtype in schema.items():
        if dtype == "list":
            df[col] = df[col].map(lambda v: list(v) if isinstance(v, (list, tuple)) else [])
        else:
            df[col] = df[col].map(lambda v: None if (v == "" or v is None or v != v) else v)
            df[col] = df[col].astype(dtype)
    return df


def for_csv(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Lists joined with '; ' so a spreadsheet shows them in one cell."""
    out = df.copy()
    for col, dtype in SCHEMAS.get(name, {}).items():
        if dtype == "list" and col in out:
            out[col] = out[col].map(lambda v: LIST_SEP.join(map(str, v)) if len(v) else None)
    return out


def from_csv(df: pd.DataFrame, name: str) -> pd.DataFrame:
    out = df.copy()
    for col, dtype in SCHEMAS.get(name, {}).items():
        if dtype == "list" and col in out:
            out[col] = out[col].map(lambda v: v.split(LIST_SEP) if isinstance(v, str) and v else [])
    return out

