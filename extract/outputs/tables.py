"""Output tables: the column contract of DESIGN.md, and records -> DataFrames at the edge.

Every table has a fixed column order so an empty run still yields the same frames; list
columns (authors, cited_refs) stay lists in Parquet and become '; '-joined text in CSV.
"""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import PurePath
from typing import Any, Iterable

import pandas as pd
from pandas.api.extensions import ExtensionDtype

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string", "study": "string", "path": "string", "sha256": "string", "n_pages": "Int64",
        "title": "string", "authors": "list", "first_author": "string", "year": "Int64",
        "journal": "string", "volume": "string", "issue": "string", "pages": "string",
        "doi": "string", "pmid": "string", "pmcid": "string", "article_type": "string",
        "keywords": "list", "affiliations": "list", "status": "string", "n_chars": "Int64",
        "duplicate_of": "string",  # the document kept for the same article (its PDF beside its XML)
        "duplicate_paths": "list",  # the same file (content hash) found under other names
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
        "doc_id": "string", "study": "string", "timing_id": "Int64", "text": "string", "type": "string",
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
        "doc_id": "string", "study": "string", "mention_id": "Int64", "label": "string", "text": "string",
        "norm": "string", "concept_id": "string", "section": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64", "sentence": "string", "negated": "boolean",
        "hypothetical": "boolean", "historical": "boolean", "family": "boolean",
        "uncertain": "boolean", "scope": "string", "source": "string",
    },
    "subtypes": {
        "doc_id": "string", "study": "string", "subtype": "string", "text": "string", "role": "string",
        "section": "string", "sentence": "string", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64",
    },
    "treatments": {
        "doc_id": "string", "study": "string", "treatment_id": "Int64", "treatment": "string",
        "treatment_class": "string", "text": "string", "kind": "string", "scope": "string", "status": "string",
        "historical": "boolean",
        "dose": "string", "route": "string", "frequency": "string", "sessions": "Int64",
        "duration": "string", "outcome": "string", "response_pct": "Float64",
        "outcome_text": "string", "cited_refs": "list", "timing_ids": "list",
        "n_mentions": "Int64", "mentions": "list", "sentence": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
    "causes": {
        "doc_id": "string", "study": "string", "cause": "string", "cause_kind": "string", "effect": "string",
        "text": "string", "sentence": "string", "page": "Int64", "char_start": "Int64",
        "char_end": "Int64",
    },
    "patients": {
        "doc_id": "string", "study": "string", "patient_id": "Int64", "age_years": "Float64", "age_text": "string",
        "sex": "string", "comorbidities": "list", "sentence": "string", "page": "Int64",
        "char_start": "Int64", "char_end": "Int64",
    },
    "cases": {
        "doc_id": "string", "study": "string", "patient_id": "Int64", "protocol": "string", "condition": "string",
        "subtype": "string", "cause": "string", "age_years": "Float64", "sex": "string",
        "site": "string", "treatments_given": "list", "treatments_declined": "list",
        "best_outcome": "string", "response_pct": "Float64", "time_to_outcome_days": "Float64",
        "follow_up_days": "Float64",
        "condition_evidence": "Int64", "condition_page": "Int64", "age_years_evidence": "Int64",
        "age_years_page": "Int64", "sex_evidence": "Int64", "sex_page": "Int64", "treatments_evidence": "list",
    },
    "evidence": {
        "doc_id": "string", "study": "string", "evidence_id": "Int64", "kind": "string", "subject": "string",
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

# The columns that name a row within its document, as a reviewer would ("sodium thiosulfate"
# given in the case), not by position: `row_key` joins them, so a correction keyed by it
# finds its row again after a re-run, even one whose pipeline finds a treatment more or less.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",), "sections": ("section_id",), "timings": ("text", "event_kind"),
    "references": ("ref_no",), "citations": ("citation_id",), "mentions": ("label", "text"),
    "subtypes": ("subtype", "role"), "treatments": ("treatment", "scope"), "causes": ("cause", "effect"),
    "patients": ("patient_id",), "cases": ("patient_id",),
    "evidence": ("kind", "subject", "predicate", "object"),
}
# the positional id of a keyed table, which a correction may name instead of the row_key
ROW_IDS = {"sections": "section_id", "timings": "timing_id", "references": "ref_no",
           "citations": "citation_id", "mentions": "mention_id", "treatments": "treatment_id",
           "patients": "patient_id", "cases": "patient_id", "evidence": "evidence_id"}
FACT_TABLES = ("cases", "treatments", "subtypes", "causes", "patients", "timings", "mentions", "evidence")
KEY_SEP = " | "


def frame(name: str, records: Iterable[Any]) -> pd.DataFrame:
    """Records (dataclasses or dicts) -> a DataFrame with the table's columns and dtypes
    (built a column at a time from the records' values: a frame of the records first, then
    a `map` per column, took four times as long at a hundred documents)."""
    schema = SCHEMAS[name]
    rows = [r if type(r) is dict else asdict(r) if is_dataclass(r) else dict(r) for r in records]
    columns = {}
    for col, dtype in schema.items():
        values = [r.get(col) for r in rows]
        if dtype == "list":
            columns[col] = pd.Series([list(v) if isinstance(v, (list, tuple)) else [] for v in values], dtype=object)
        else:
            columns[col] = pd.Series([None if (v is None or v == "" or v != v) else v for v in values],
                                     dtype=object).astype(dtype)
    return pd.DataFrame(columns)


def records(df: pd.DataFrame) -> list[dict]:
    """`df.to_dict("records")`, the same values of the same types, built a column at a
    time (pandas boxes each cell in its own Python loop: several times as long for the
    report's tables): numpy columns as `tolist` gives them, the others boxed as pandas
    boxes them (a missing value as None)."""
    from pandas.core.dtypes.cast import maybe_box_native

    columns = [list(map(maybe_box_native, s.tolist())) if s.dtype == object
               else s.to_numpy(dtype=object, na_value=None).tolist() if isinstance(s.dtype, ExtensionDtype)
               else s.tolist() for _, s in df.items()]
    names = df.columns.tolist()
    return [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(len(df))]


def list_columns(name: str) -> list[str]:
    """The table's list columns: its schema's, and `corrected` (outputs.corrections)."""
    return [c for c, dtype in SCHEMAS.get(name, {}).items() if dtype == "list"] + ["corrected"]


def for_csv(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Lists joined with '; ' so a spreadsheet shows them in one cell."""
    out = df.copy()
    for col in list_columns(name):
        if col in out:
            out[col] = out[col].map(lambda v: LIST_SEP.join(map(str, v)) if len(v) else None)
    return out


def from_csv(df: pd.DataFrame, name: str) -> pd.DataFrame:
    out = df.copy()
    for col in list_columns(name):
        if col in out:
            out[col] = out[col].map(lambda v: v.split(LIST_SEP) if isinstance(v, str) and v else [])
    return out



def row_keys(df: pd.DataFrame, name: str) -> pd.Series:
    """Each row's stable key within its document: the ROW_KEYS columns joined with ' | '
    ('sodium thiosulfate | case'); a repeat within the document gets '#2', '#3'."""
    cols = [c for c in ROW_KEYS.get(name, ()) if c in df.columns]
    if df.empty or not cols:
        return pd.Series([], dtype="string") if df.empty else pd.Series(pd.NA, index=df.index, dtype="string")
    base = df[cols].astype("string").fillna("").agg(KEY_SEP.join, axis=1) if len(cols) > 1 \
        else df[cols[0]].astype("string").fillna("")
    n = base.groupby([df["doc_id"].astype("string").fillna(""), base]).cumcount() + 1
    return (base + n.map(lambda k: "" if k == 1 else f"#{k}")).astype("string")


def add_row_keys(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`row_key` on every keyed table (kept when already there: it is computed once, from
    the rows as extracted, so a correction never changes the key it is found by)."""
    out = dict(tables)
    for name, df in tables.items():
        if name in ROW_KEYS and "row_key" not in df.columns:
            df = df.copy()
            df.insert(min(1, len(df.columns)), "row_key", row_keys(df, name))
            out[name] = df
    return out


def study_labels(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the label reviewers cite: 'Okonjo 2021'; two of one author and year
    become '2021a', '2021b' (in order of title); a document without an author falls back
    to its title's first words (or its file name), without a year to 'n.d.'."""
    from extract.citations.works import family_display, missing

    def base(row) -> str:
        name = family_display(row.get("first_author")) if not missing(row.get("first_author")) else ""
        if not name:
            title, path = row.get("title"), row.get("path")
            name = " ".join(str(title).split()[:3]) if not missing(title) else \
                PurePath(str(path)).stem if not missing(path) else str(row.get("doc_id"))
        year = row.get("year")
        return f"{name} {int(year) if not missing(year) else 'n.d.'}"

    rows = [r for r in records(documents) if not missing(r.get("doc_id"))]
    # a duplicate (the same article read twice) shares its document's label, not a letter
    counted = [r for r in rows if missing(r.get("duplicate_of"))]
    bases = {r["doc_id"]: base(r) for r in counted}
    out = {}
    for label in set(bases.values()):
        same = sorted((r for r in counted if bases[r["doc_id"]] == label),
                      key=lambda r: (str(r.get("title") or ""), str(r["doc_id"])))
        for i, r in enumerate(same):
            out[r["doc_id"]] = label if len(same) == 1 else f"{label}{chr(ord('a') + i)}"
    out.update({r["doc_id"]: out.get(r["duplicate_of"]) for r in rows if not missing(r.get("duplicate_of"))})
    return out


def add_study(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`study` beside `doc_id` on every fact table and `documents` (recomputed each time:
    a corrected author or year changes it)."""
    docs = tables.get("documents")
    if docs is None:
        return tables
    labels = study_labels(docs)
    out = dict(tables)
    for name in ("documents",) + FACT_TABLES:
        df = tables.get(name)
        if df is None:
            continue
        df = df.drop(columns="study", errors="ignore")
        df.insert(min(1, len(df.columns)), "study", df["doc_id"].map(labels).astype("string")
                  if len(df) else pd.Series([], dtype="string"))
        out[name] = df
    return out


# columns the corpus-level step fills (works, study labels, row keys, the evidence behind cases),
# so a document processed alone has them empty
CORPUS_COLUMNS = ("work_id", "study", "row_key", "condition_evidence", "condition_page", "age_years_evidence",
                  "age_years_page", "sex_evidence", "sex_page", "treatments_evidence")

# cases column -> the evidence rows behind it: (kind, predicate), matched on the case's patient
CASE_EVIDENCE = {"condition": ("diagnosis", "diagnosis"), "age_years": ("patient", "age"),
                 "sex": ("patient", "sex")}
_LINKED = set(CASE_EVIDENCE.values())


def link_case_evidence(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`cases` with the evidence behind each value: `<column>_evidence` (an evidence_id of
    the same document) and `<column>_page` for condition, age and sex, and
    `treatments_evidence` (the evidence_ids of the treatments given, in their order).
    The evidence is indexed once (filtering it per case took 0.45 CPU-s at 105 documents)."""
    cases, ev = tables.get("cases"), tables.get("evidence")
    if cases is None or ev is None:
        return tables
    cases = cases.copy()
    first: dict[tuple, tuple] = {}  # (doc_id, kind, predicate, subject or None) -> its first (evidence_id, page)
    given: dict[tuple, int] = {}    # (doc_id, treatment) -> the evidence_id of its last 'given' row
    keyed = ev[["doc_id", "kind", "predicate", "subject", "scope"]]
    keyed = keyed.astype(object).where(keyed.notna(), None)  # a missing value matches nothing
    for doc, kind, predicate, subject, scope, eid, page in zip(
            *(keyed[c] for c in keyed.columns), ev["evidence_id"], ev["page"]):
        if doc is None:
            continue
        if (kind, predicate) in _LINKED:
            first.setdefault((doc, kind, predicate, subject if kind == "patient" else None), (eid, page))
        if kind == "treatment" and predicate == "given" and scope == "case":
            given[(doc, subject)] = eid
    cols: dict[str, list] = {f"{c}_{x}": [] for c in CASE_EVIDENCE for x in ("evidence", "page")}
    cols["treatments_evidence"] = []
    treated = cases["treatments_given"] if "treatments_given" in cases else [[]] * len(cases)
    for doc, patient_id, treatments in zip(cases["doc_id"], cases["patient_id"], treated):
        patient = None if patient_id is None or patient_id is pd.NA else f"patient {int(patient_id) + 1}"
        for col, (kind, predicate) in CASE_EVIDENCE.items():
            missed = kind == "patient" and patient is None
            eid, page = (None, None) if missed else \
                first.get((doc, kind, predicate, patient if kind == "patient" else None), (None, None))
            cols[f"{col}_evidence"].append(eid)
            cols[f"{col}_page"].append(page)
        cols["treatments_evidence"].append([int(given[(doc, t)]) for t in treatments if (doc, t) in given])
    for name, values in cols.items():
        cases[name] = pd.Series(values, index=cases.index, dtype=object if name == "treatments_evidence"
                                else "Int64") if len(cases) else pd.Series([], dtype="Int64")
    return dict(tables, cases=cases)


def derive(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The columns computed from other tables (study labels, the evidence behind each case
    value), recomputed after corrections so they follow the corrected values."""
    return add_study(link_case_evidence(tables))
