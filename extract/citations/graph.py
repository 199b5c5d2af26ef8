"""The corpus citation graph and the bibliometric tables read off it.

Nodes are the reports of the corpus (kind="document") and the works they cite
(kind="work"); a report that is itself cited is one node, so report-to-report citations
are plain edges. Node and edge attributes are kept writable by every export format: no
None (a missing value is simply absent), lists joined with "; ", numpy scalars unboxed.
"""
from __future__ import annotations

from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd

from extract.citations.works import family_display, first_author_of, link_citations, missing, \
    normalize_doi, normalize_pmid, normalize_year


def _clean(attrs: dict) -> dict:
    out = {}
    for key, value in attrs.items():
        if isinstance(value, (list, tuple, np.ndarray)):
            value = "; ".join(str(v) for v in value if not missing(v))
        if missing(value):
            continue
        if isinstance(value, (bool, np.bool_)):
            out[key] = bool(value)
        elif isinstance(value, (int, np.integer)):
            out[key] = int(value)
        elif isinstance(value, (float, np.floating)):
            out[key] = float(value)
        else:
            out[key] = str(value)
    return out


def _label(first_author, year, title, fallback: str) -> str:
    """'Reiter 2011' as bibliometric maps label items; the title when no author is known."""
    family, year = family_display(first_author), normalize_year(year)
    if family:
        return f"{family} {year}" if year else family
    if not missing(title):
        return str(title)[:60]
    return fallback


def build_graph(documents: pd.DataFrame, references: pd.DataFrame, citations: pd.DataFrame,
                works: pd.DataFrame) -> nx.DiGraph:
    """Documents and works as nodes, document -> work `cites` edges.

    Edge weight = in-text mentions of the work in the citing document (citations rows,
    linked through the reference they point to), at least 1 for a work that is only
    listed; `mentions` keeps the raw count and `refs` the number of list entries.
    """
    G = nx.DiGraph()
    node_of = {w: (d if in_corpus and not missing(d) else w)
               for w, d, in_corpus in zip(works["work_id"], works["doc_id"], works["in_corpus"])}
    work_of_doc = {d: w for w, d, c in zip(works["work_id"], works["doc_id"], works["in_corpus"]) if c}

    for row in documents.to_dict("records"):
        first = first_author_of(row.get("first_author"), row.get("authors"))
        G.add_node(row["doc_id"], **_clean({
            "kind": "document", "label": _label(first, row.get("year"), row.get("title"), row["doc_id"]),
            "title": row.get("title"), "first_author": first, "authors": row.get("authors"),
            "year": normalize_year(row.get("year")), "journal": row.get("journal"),
            "doi": normalize_doi(row.get("doi")), "pmid": normalize_pmid(row.get("pmid")),
            "work_id": work_of_doc.get(row["doc_id"]),
            "in_corpus": True}))
    for row in works[~works["in_corpus"].astype(bool)].to_dict("records"):
        G.add_node(row["work_id"], **_clean({
            "kind": "work", "label": _label(row["first_author"], row["year"], row["title"], row["work_id"]),
            "title": row["title"], "first_author": row["first_author"], "year": normalize_year(row["year"]),
            "journal": row["container"], "doi": row["doi"], "pmid": row["pmid"],
            "work_id": row["work_id"], "in_corpus": False}))

    for (doc, target), attrs in _edges(references, citations, node_of).items():
        if doc == target:
            continue  # a report's own DOI picked up in its reference list is no citation
        if doc not in G:  # references of a report missing from documents
            G.add_node(doc, kind="document", label=str(doc), in_corpus=True)
        if target not in G:  # a work_id absent from works (stale tables)
            G.add_node(target, kind="work", label=str(target), work_id=str(target), in_corpus=False)
        G.add_edge(doc, target, kind="cites", weight=max(attrs["mentions"], 1), **attrs)

    for node in G:
        G.nodes[node]["times_cited"] = G.in_degree(node)
    components = sorted(nx.weakly_connected_components(G), key=lambda c: (-len(c), min(c)))
    for number, members in enumerate(components, start=1):
        for node in members:
            G.nodes[node]["component"] = number
    return G


def _edges(references: pd.DataFrame, citations: pd.DataFrame | None, node_of: dict) -> dict:
    """(citing doc, cited node) -> {"mentions": n, "refs": n}."""
    refs = references[references["work_id"].notna()]
    edges: dict = {}
    for doc, work in zip(refs["doc_id"], refs["work_id"]):
        attrs = edges.setdefault((doc, node_of.get(work, work)), {"mentions": 0, "refs": 0})
        attrs["refs"] += 1
    if citations is not None and len(citations):
        linked = link_citations(citations, references)
        for doc, work in zip(linked["doc_id"], linked["work_id"]):
            key = (doc, node_of.get(work, work))
            if key in edges:  # markers pointing past the list have no work
                edges[key]["mentions"] += 1
    return edges


def _cites(G: nx.DiGraph) -> pd.DataFrame:
    rows = [(u, v, d.get("mentions", 0)) for u, v, d in G.edges(data=True)
            if G.nodes[u].get("kind") == "document"]
    return pd.DataFrame(rows, columns=["doc", "work", "mentions"])


def analyses(G: nx.DiGraph) -> dict[str, pd.DataFrame]:
    """most_cited, co_citation, bibliographic_coupling and components, as tables."""
    edges = _cites(G)
    label = {n: G.nodes[n].get("label", str(n)) for n in G}
    return {
        "most_cited": _most_cited(G, edges),
        "co_citation": _co_citation(edges, label),
        "bibliographic_coupling": _coupling(edges, label),
        "components": _components(G),
    }


def _most_cited(G: nx.DiGraph, edges: pd.DataFrame) -> pd.DataFrame:
    cols = ["node", "kind", "label", "title", "first_author", "year", "doi", "in_corpus",
            "times_cited", "mentions"]
    mentions = edges.groupby("work")["mentions"].sum()
    rows = [{"node": n, **{c: G.nodes[n].get(c) for c in cols[1:-2]},
             "times_cited": G.in_degree(n), "mentions": int(mentions.get(n, 0))}
            for n in G if G.in_degree(n) > 0]
    table = pd.DataFrame(rows, columns=cols)
    table["year"] = table["year"].astype("Int64")
    return table.sort_values(["times_cited", "mentions", "node"], ascending=[False, False, True],
                             ignore_index=True)


def _pairs(edges: pd.DataFrame, group: str, item: str) -> pd.DataFrame:
    """Pairs of items (a < b) appearing together under one group value, with counts."""
    counts: dict[tuple, int] = {}
    for items in edges.groupby(group)[item].agg(lambda s: sorted(set(s))):
        for pair in combinations(items, 2):
            counts[pair] = counts.get(pair, 0) + 1
    return pd.DataFrame([(a, b, n) for (a, b), n in counts.items()], columns=["a", "b", "count"])


def _co_citation(edges: pd.DataFrame, label: dict) -> pd.DataFrame:
    """Works cited together by >= 1 document; count = documents citing both."""
    pairs = _pairs(edges, "doc", "work").rename(columns={"a": "work_a", "b": "work_b"})
    pairs["label_a"], pairs["label_b"] = pairs["work_a"].map(label), pairs["work_b"].map(label)
    return pairs.sort_values(["count", "work_a", "work_b"], ascending=[False, True, True],
                             ignore_index=True)


def _coupling(edges: pd.DataFrame, label: dict) -> pd.DataFrame:
    """Documents sharing cited works: shared count and Jaccard of their reference sets."""
    pairs = _pairs(edges, "work", "doc").rename(columns={"a": "doc_a", "b": "doc_b", "count": "shared"})
    size = edges.groupby("doc")["work"].nunique()
    union = pairs["doc_a"].map(size) + pairs["doc_b"].map(size) - pairs["shared"]
    pairs["jaccard"] = (pairs["shared"] / union).astype(float)
    pairs["label_a"], pairs["label_b"] = pairs["doc_a"].map(label), pairs["doc_b"].map(label)
    return pairs.sort_values(["shared", "jaccard", "doc_a", "doc_b"],
                             ascending=[False, False, True, True], ignore_index=True)


def _components(G: nx.DiGraph) -> pd.DataFrame:
    groups: dict[int, list] = {}
    for n, c in G.nodes(data="component"):
        groups.setdefault(c, []).append(n)
    rows = []
    for c, members in sorted(groups.items()):
        docs = sorted(n for n in members if G.nodes[n].get("kind") == "document")
        rows.append({"component": c, "n_nodes": len(members), "n_documents": len(docs),
                     "n_works": len(members) - len(docs),
                     "n_edges": G.subgraph(members).number_of_edges(), "documents": docs})
    return pd.DataFrame(rows, columns=["component", "n_nodes", "n_documents", "n_works",
                                       "n_edges", "documents"])
