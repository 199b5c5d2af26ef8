"""The data dictionary: every output table and column described once, next to the schemas
(`extract.outputs.tables.SCHEMAS`), and rendered for each reader: docs/tables.md, the
workbook's `columns` sheet and `casemine tables`. A test checks that no column of a
schema goes undescribed and that docs/tables.md is the rendering of this module."""
from __future__ import annotations

import pandas as pd

from extract.outputs.tables import ROW_KEYS, SCHEMAS

TABLES = {
    "documents": "One row per input file: its metadata and whether it was read.",
    "errors": "One row per failure: the file, the stage that failed and why (the run goes on).",
    "sections": "The document's sections in reading order, with their text.",
    "timings": "Dates, durations, frequencies and ages, normalized (ISO 8601) and tied to an event.",
    "references": "The reference list of each document, parsed into fields.",
    "citations": "Each in-text citation marker, linked to the reference it points at.",
    "works": "Cited works deduplicated over the corpus (every corpus document is one too).",
    "mentions": "Entity mentions found by the NER pipelines, with their ConText assertions (Parquet, CSV and DuckDB; "
                "not in the workbook).",
    "subtypes": "Each mention of a subtype of the review protocol's condition, with its role.",
    "treatments": "One row per treatment a report names (case or literature): status, details, outcome.",
    "causes": "What the report says caused the condition.",
    "patients": "One row per patient described: age, sex, comorbidities.",
    "cases": "One summary row per patient: the row a reviewer would otherwise fill in by hand.",
    "evidence": "Every fact above as one long subject-predicate-object table with provenance.",
    "markers": "Superscript and subscript spans of the layout (citation markers and the like).",
    "corrections": "The reviewer's corrections as applied to this run, with what each cell held before.",
}

# columns that mean the same in every table that has them
COMMON = {
    "doc_id": "The document: first 16 hex digits of the input file's sha256 (stable across runs).",
    "study": "The label reviewers cite: first author's family name and year ('Okonjo 2021', '2021a/b').",
    "page": "1-based page of the span in the PDF (null for JATS, TEI and text inputs).",
    "char_start": "Start offset of the span in the document's reading-order text (OUT/text/DOC_ID.txt).",
    "char_end": "End offset (exclusive) of the span in the reading-order text.",
    "sentence": "The sentence the value was read from.",
    "section": "Kind of the section the span is in (abstract, case, discussion, ...).",
    "text": "The words as printed.",
    "scope": "case: about the reported patient; literature: about other patients or the literature.",
    "cited_refs": "ref_no of the references cited in the same sentence.",
    "row_key": "The row's stable key within its document (content, not position): what a correction names.",
    "corrected": "Columns a reviewer's correction changed in this row; '(added)' for a row a correction added.",
}

COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "path": "The input file.", "sha256": "sha256 of the file's bytes.",
        "n_pages": "Pages in the PDF (0 for JATS, TEI and text).", "title": "Article title.",
        "authors": "Author names as printed ('Maren Okonjo').", "first_author": "First author's name.",
        "year": "Year of publication.", "journal": "Journal name.", "volume": "Volume.", "issue": "Issue.",
        "pages": "Page range ('145-147').", "doi": "DOI.", "pmid": "PubMed id.", "pmcid": "PubMed Central id.",
        "article_type": "Article type as labelled ('Case Report').", "keywords": "Author keywords.",
        "affiliations": "Author affiliations.",
        "status": "ok | partial (a stage failed; its rows are missing) | error (unreadable) | duplicate.",
        "n_chars": "Length of the reading-order text.",
        "duplicate_of": "For a second copy of an article (same DOI, PMID or PMCID): the doc_id kept.",
        "duplicate_paths": "Other paths of this very file (the same content under other names): "
                           "read once, as this document.",
    },
    "errors": {
        "path": "The input file.", "stage": "The stage that failed (input, read, ingest, guard, or a stage "
                                            "name); input: a path passed over, with no doc_id.",
        "error_type": "What went wrong: skipped (a dangling or looping link, a folder already read or "
                      "unreadable), not_pdf, encrypted, corrupt, empty, no_text_layer, too_large, "
                      "not_article, not_text, timeout, memory, or an exception name.",
        "message": "The error message.",
    },
    "sections": {
        "section_id": "Position of the section in the document.", "heading": "Heading as printed.",
        "kind": "abstract | introduction | case | methods | results | discussion | conclusion | references | "
                "back_matter | caption | table | title | ... | other.",
        "level": "Heading level (1: top).", "text": "The section's text, heading included.",
    },
    "timings": {
        "timing_id": "Position of the expression in the document.",
        "type": "DATE | DURATION | SET (a frequency) | AGE | TIME.",
        "value": "ISO 8601 value (P3W; R/P1M for 'monthly').", "value_min": "Lower bound of a range.",
        "value_max": "Upper bound of a range.", "days": "The value in days.", "days_min": "Lower bound in days.",
        "days_max": "Upper bound in days.",
        "mod": "APPROX | LESS_THAN | LESS_THAN_OR_EQUAL | MORE_THAN | MORE_THAN_OR_EQUAL | START | END.",
        "event": "What the time is of (the words).",
        "event_kind": "onset | exposure | diagnosis | treatment | resolution | follow_up | age | publication (the article's received / accepted dates) | other.",
        "anchor": "What a relative time counts from ('after surgery').", "relation": "before | after | during.",
        "freq": "For a SET: how often (ISO 8601 period).", "count": "For a SET: how many times.",
    },
    "references": {
        "ref_no": "Number in the reference list (position for author-year lists).", "raw": "The entry as printed.",
        "authors": "Authors ('Okafor NA').", "first_author": "First author's family name.",
        "et_al": "The list of authors ends with 'et al.'.", "title": "Title of the cited work.",
        "container": "Journal or book it appeared in.", "year": "Year.", "volume": "Volume.", "issue": "Issue.",
        "pages": "Pages.", "doi": "DOI.", "pmid": "PubMed id.", "pmcid": "PubMed Central id.", "url": "URL.",
        "publisher": "Publisher (books).", "work_id": "The work it cites (see works).",
        "duplicate_of": "ref_no of an earlier entry of the same list it repeats.",
    },
    "citations": {
        "citation_id": "Position of the marker in the document.", "marker": "The marker as printed ('2', '[4-6]').",
        "ref_no": "The reference it points at (one row per reference of a range).",
        "work_id": "The cited work.", "in_list": "The reference list has an entry with this number.",
    },
    "works": {
        "work_id": "Stable id of the work ('W' + 12 hex digits).", "title": "Title.",
        "first_author": "First author's family name.", "year": "Year.", "container": "Journal or book.",
        "doi": "DOI.", "pmid": "PubMed id.", "in_corpus": "The work is one of the corpus documents.",
        "times_cited_in_corpus": "Reference-list entries pointing at it.",
        "n_citing_docs": "Distinct documents citing it.",
    },
    "mentions": {
        "mention_id": "Position of the mention in the document.", "label": "Entity type (DRUG, DISEASE, ...).",
        "norm": "Normalized name.", "concept_id": "Concept id from the linker, if any.",
        "negated": "ConText: negated ('no fever').", "hypothetical": "ConText: hypothetical.",
        "historical": "ConText: in the past history.", "family": "ConText: about a relative.",
        "uncertain": "ConText: uncertain.", "source": "The pipeline that found it.",
    },
    "subtypes": {
        "subtype": "Canonical subtype name from the review protocol.",
        "role": "diagnosis | mentioned | differential | excluded.",
    },
    "treatments": {
        "treatment_id": "Position of the treatment in the document.",
        "treatment": "The specific name the report uses, abbreviations expanded.",
        "treatment_class": "The canonical group of the treatment (\"surgical excision\", \"antibiotic\", "
                           "\"corticosteroid\"), for pivots above the specific name; null when none is known.",
        "kind": "drug | procedure | other.",
        "status": "given | declined | recommended | considered | contraindicated | negated | unknown.",
        "historical": "Given before the presentation.", "dose": "Dose as printed.", "route": "Route.",
        "frequency": "Frequency as printed.", "sessions": "Number of sessions.", "duration": "How long it was given.",
        "outcome": "improved | resolved | unchanged | worsened | recurred | unknown.",
        "response_pct": "Response in percent, when stated.", "outcome_text": "The words stating the outcome.",
        "timing_ids": "timing_id of the times tied to this treatment.", "n_mentions": "Times the report names it.",
        "mentions": "The words of each mention.",
    },
    "causes": {
        "cause": "What caused it.", "cause_kind": "procedure | drug | injury | disease | other.",
        "effect": "What it caused.",
    },
    "patients": {
        "patient_id": "Position of the patient in the document (0: the first).", "age_years": "Age in years.",
        "age_text": "Age as printed.", "sex": "female | male.", "comorbidities": "Other conditions named.",
    },
    "cases": {
        "patient_id": "The patient (see patients).", "protocol": "Review protocol applied ('(general)': none matched).",
        "condition": "The report's diagnosis.", "subtype": "Its subtype under the protocol.",
        "cause": "Causes named ('; '-joined).", "age_years": "Age in years.", "sex": "female | male.",
        "site": "Body site.", "treatments_given": "Treatments given to the patient.",
        "treatments_declined": "Treatments the patient declined.",
        "best_outcome": "Best outcome of a treatment given.", "response_pct": "Response of that treatment, in percent.",
        "time_to_outcome_days": "Days from that treatment to its outcome.",
        "follow_up_days": "Longest follow-up stated, in days.",
        "condition_evidence": "evidence_id (same document) of the diagnosis behind `condition`.",
        "condition_page": "Page of that evidence.", "age_years_evidence": "evidence_id behind `age_years`.",
        "age_years_page": "Page of that evidence.", "sex_evidence": "evidence_id behind `sex`.",
        "sex_page": "Page of that evidence.",
        "treatments_evidence": "evidence_id behind each of `treatments_given`, in the same order.",
    },
    "evidence": {
        "evidence_id": "Position of the fact in the document.",
        "kind": "diagnosis | subtype | treatment | outcome | treatment_detail | cause | patient.",
        "subject": "What the fact is about.", "predicate": "The relation (diagnosis, given, outcome, age, ...).",
        "object": "Its value as text.", "value": "Its value as a number, when it has one.",
        "unit": "Unit of `value`.",
    },
    "markers": {"kind": "sup | sub.", "text": "The marker text."},
    "corrections": {
        "table": "Table corrected.", "key": "row_key (or positional id) of the row.", "column": "Column corrected.",
        "value": "New value.", "action": "set | drop | add.", "reviewer": "Who made it.", "note": "Why.",
        "status": "applied | missing (the row no longer exists) | unknown table | unknown column | exists.",
        "old_value": "The cell (JSON) or, for a drop, the row before the correction.",
        "file": "The corrections file it came from.",
    },
}
CORRECTIONS_SCHEMA = {c: "string" for c in ["doc_id", "table", "key", "column", "value", "action", "reviewer",
                                             "note", "status", "old_value", "file"]}


def columns_of(table: str) -> dict[str, str]:
    """column -> type of a table, with the columns the run adds to keyed tables."""
    if table == "corrections":
        return CORRECTIONS_SCHEMA
    cols = dict(SCHEMAS[table])
    if table in ROW_KEYS:
        head = [c for c in ("doc_id", "study") if c in cols]
        cols = {**{c: cols[c] for c in head}, "row_key": "string",
                **{c: t for c, t in cols.items() if c not in head}, "corrected": "list"}
    return cols


def describe(table: str, column: str) -> str | None:
    return COLUMNS.get(table, {}).get(column) or COMMON.get(column)


def dictionary() -> pd.DataFrame:
    """One row per (table, column): type and description."""
    rows = [dict(table=t, column=c, type=dtype, description=describe(t, c))
            for t in TABLES for c, dtype in columns_of(t).items()]
    return pd.DataFrame(rows, columns=["table", "column", "type", "description"])


def markdown() -> str:
    """docs/tables.md."""
    out = ["# casemine output tables", "",
           "Generated from `extract/outputs/dictionary.py` (`casemine tables --markdown`); the same text is the",
           "workbook's `columns` sheet. Lists are lists in Parquet and `; `-joined in CSV; missing values are nulls.",
           "`corrected` appears only when a corrections file is in use. The `graph_*` tables hold the citation",
           "graph's analyses (most cited, co-citation, bibliographic coupling, components).", ""]
    d = dictionary()
    for t, doc in TABLES.items():
        out += [f"## {t}", "", doc, "", "| column | type | description |", "| --- | --- | --- |"]
        out += [f"| `{r.column}` | {r.type} | {(r.description or '').replace('|', '/')} |"
                for r in d[d.table == t].itertuples()]
        out.append("")
    return "\n".join(out)
