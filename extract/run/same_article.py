"""The same article given twice (its PDF beside its JATS or TEI XML, or a text copy) is
one document.

Two documents are the same article when they share a DOI, a PMCID or a PMID (compared
normalized; titles are not enough: a case report and its erratum share one). The PDF is
kept, since its pages let a reviewer check each value where it was printed; then the XML,
then the text. The others keep their `documents` row, with status `duplicate` and
`duplicate_of` naming the document kept, and lose their rows in every other table."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

PREFERENCE = {".pdf": 0, ".xml": 1, ".nxml": 1, ".txt": 2}


def merge_same_articles(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from extract.citations.works import missing, normalize_doi, normalize_pmid

    docs = tables.get("documents")
    if docs is None or docs.empty:
        return tables
    live = docs[docs["status"].isin(["ok", "partial"])]
    rank = sorted(live.to_dict("records"), key=lambda r: (PREFERENCE.get(Path(str(r["path"])).suffix.lower(), 3),
                                                          str(r["path"])))
    owner: dict[tuple[str, str], str] = {}
    dup_of: dict[str, str] = {}
    for r in rank:
        ids = [("doi", normalize_doi(r.get("doi"))), ("pmid", normalize_pmid(r.get("pmid"))),
               ("pmcid", None if missing(r.get("pmcid")) else str(r["pmcid"]).upper())]
        ids = [i for i in ids if not missing(i[1])]
        kept = next((owner[i] for i in ids if i in owner and owner[i] != r["doc_id"]), None)
        if kept:  # (a byte-identical copy has the same doc_id: nothing to merge)
            dup_of[r["doc_id"]] = kept
        for i in ids:
            owner.setdefault(i, kept or r["doc_id"])
    docs = docs.copy()
    docs["duplicate_of"] = docs["doc_id"].map(dup_of).astype("string")
    if not dup_of:
        return dict(tables, documents=docs)
    docs.loc[docs["doc_id"].isin(dup_of), "status"] = "duplicate"
    out = {name: df[~df["doc_id"].isin(dup_of)].reset_index(drop=True) if "doc_id" in df.columns else df
           for name, df in tables.items() if name != "documents"}
    return dict(out, documents=docs)
