"""The corpus-level step: references of all documents -> works -> citation graph.

Runs after every document is done (the only step that joins documents), and again on
its own from earlier outputs with `casemine graph OUT_DIR`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from extract.citations.exports import export_all, write_networks
from extract.citations.graph import analyses, build_graph
from extract.citations.works import assign_works, link_citations

ANALYSES = ("most_cited", "co_citation", "bibliographic_coupling", "components")


def add_works(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Fill `work_id` in references and citations and add the `works` table."""
    docs = tables["documents"]
    refs = tables.get("references")
    if refs is None or docs.empty:
        return tables
    ok = docs[docs["status"] != "error"]
    refs, works = assign_works(ok, refs)
    out = dict(tables, references=refs, works=works)
    cits = tables.get("citations")
    if cits is not None:
        out["citations"] = link_citations(cits, refs)
    return out


def write_graph(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, pd.DataFrame]:
    """Build the graph, write its exports under OUT_DIR/graph/, return the analysis tables."""
    if "works" not in tables:
        return {}
    docs = tables["documents"]
    G = build_graph(docs[docs["status"] != "error"], tables["references"], tables.get("citations"),
                    tables["works"])
    export_all(G, tables["references"], Path(out_dir) / "graph", docs)
    found = analyses(G)
    write_networks(G, found, Path(out_dir) / "graph")
    return {f"graph_{k}": v for k, v in found.items()}
