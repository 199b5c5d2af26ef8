"""Graph and bibliography files for the tools reviewers already use.

Gephi (GraphML, GEXF), Pajek (.net), VOSviewer (map + network files), Cytoscape (cyjs),
any spreadsheet (CSV node and edge lists), and reference managers (BibTeX, RIS: one entry
per work, so a work cited by fifty reports is imported once).
"""
from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import networkx as nx
import pandas as pd

from extract.citations.works import first_author_of, missing, normalize_doi, normalize_pmid, \
    normalize_year, ref_key, representatives
from extract.names import parse_name

BIB_FIELDS = ["authors", "first_author", "title", "container", "year", "volume", "issue",
              "pages", "doi", "pmid", "url", "publisher", "edition", "raw", "et_al"]


def export_all(G: nx.DiGraph, references: pd.DataFrame, out_dir: Path,
               documents: pd.DataFrame | None = None) -> dict[str, Path]:
    """Write every export into out_dir; returns {format name: path}. With `documents`, also
    the included studies themselves (included.bib, included.ris)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "graphml": out_dir / "citation_graph.graphml",
        "gexf": out_dir / "citation_graph.gexf",
        "pajek": out_dir / "citation_graph.net",
        "nodes_csv": out_dir / "graph_nodes.csv",
        "edges_csv": out_dir / "graph_edges.csv",
        "vosviewer_map": out_dir / "vosviewer_map.txt",
        "vosviewer_network": out_dir / "vosviewer_network.txt",
        "cyjs": out_dir / "citation_graph.cyjs",
        "bibtex": out_dir / "references.bib",
        "ris": out_dir / "references.ris",
    }
    nx.write_graphml(G, paths["graphml"])
    named = G.copy()
    named.graph["name"] = "casemine citation graph"  # not the empty name="" Gephi shows
    nx.write_gexf(named, paths["gexf"])
    write_pajek(G, paths["pajek"])
    write_csv(G, paths["nodes_csv"], paths["edges_csv"])
    write_vosviewer(G, paths["vosviewer_map"], paths["vosviewer_network"])
    paths["cyjs"].write_text(json.dumps(cytoscape(G), ensure_ascii=False), encoding="utf-8")
    entries = bibliography(references)
    paths["bibtex"].write_text(to_bibtex(entries), encoding="utf-8")
    paths["ris"].write_text(to_ris(entries), encoding="utf-8")
    if documents is not None:
        mine = included(documents)
        paths["included_bibtex"] = out_dir / "included.bib"
        paths["included_ris"] = out_dir / "included.ris"
        paths["included_bibtex"].write_text(to_bibtex(mine), encoding="utf-8")
        paths["included_ris"].write_text(to_ris(mine), encoding="utf-8")
    return paths


# similarity networks from the analyses: table -> (node columns, link strength column)
NETWORKS = {"co_citation": ("work_a", "work_b", "count"), "bibliographic_coupling": ("doc_a", "doc_b", "shared")}


def write_networks(G: nx.DiGraph, tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """Co-citation (VOSviewer's usual map: works cited together) and bibliographic
    coupling (documents citing the same works) as undirected weighted networks, each as
    GraphML and a VOSviewer map + network file; nodes keep the citation graph's fields."""
    paths = {}
    for name, (a, b, weight) in NETWORKS.items():
        pairs = tables.get(name)
        if pairs is None:
            continue
        H = nx.Graph(name=name.replace("_", " "))
        H.add_weighted_edges_from((u, v, int(w)) for u, v, w in zip(pairs[a], pairs[b], pairs[weight]))
        for n in H:
            H.nodes[n].update({k: v for k, v in G.nodes[n].items() if k != "component"} if n in G else {})
        for i, comp in enumerate(sorted(nx.connected_components(H), key=len, reverse=True), start=1):
            for n in comp:
                H.nodes[n]["component"] = i
        paths[f"{name}_graphml"] = Path(out_dir) / f"{name}.graphml"
        nx.write_graphml(H, paths[f"{name}_graphml"])
        paths[f"{name}_vosviewer_map"] = Path(out_dir) / f"{name}_vosviewer_map.txt"
        paths[f"{name}_vosviewer_network"] = Path(out_dir) / f"{name}_vosviewer_network.txt"
        write_vosviewer(H, paths[f"{name}_vosviewer_map"], paths[f"{name}_vosviewer_network"])
    return paths


def included(documents: pd.DataFrame) -> pd.DataFrame:
    """One bibliography entry per document of the corpus (the review's included studies),
    from its own metadata, keyed by its study label ('Okonjo2021a') or else its doc_id, with
    the file it was read from."""
    docs = documents[documents["status"].isin(["ok", "partial"])] if "status" in documents else documents
    labels = docs["study"] if "study" in docs else docs["doc_id"]
    keys = [re.sub(r"[^A-Za-z0-9]", "", unicodedata.normalize("NFKD", str(k)).encode("ascii", "ignore").decode())
            or d for k, d in zip(labels, docs["doc_id"])]
    return pd.DataFrame({
        "key": keys, "authors": docs["authors"].values, "first_author": docs["first_author"].values,
        "title": docs["title"].values, "container": docs["journal"].values, "year": docs["year"].values,
        "volume": docs["volume"].values, "issue": docs["issue"].values, "pages": docs["pages"].values,
        "doi": docs["doi"].values, "pmid": docs["pmid"].values, "file": docs["path"].values,
    })


def display_label(d: dict, node) -> str:
    """'Okafor 2019: Calcinosis cutis: a clinical review...', what a reader of the map
    recognises (the node id is a hash)."""
    title = d.get("title") if not missing(d.get("title")) else d.get("journal")  # a title-less work: its journal
    label = d.get("label") or str(node)
    if missing(title) or str(title) == label:
        return label
    title = re.sub(r"\s+", " ", str(title)).strip()
    return f"{label}: {title[:77] + '...' if len(title) > 80 else title}"


def write_pajek(G: nx.DiGraph, path: Path) -> None:
    """Vertices labelled 'Author Year: title' (no coordinates: the graph has no layout of
    its own, and Pajek lays out a vertex list without them) and weighted arcs (or edges,
    for an undirected network); nothing else, since Pajek chokes on free-text attributes."""
    ids = {n: i for i, n in enumerate(G, start=1)}
    lines, seen = [f"*Vertices {len(ids)}"], Counter()
    for n, d in G.nodes(data=True):
        label = display_label(d, n).replace('"', "'")
        seen[label] += 1
        lines.append(f'{ids[n]} "{label}{f" #{seen[label]}" if seen[label] > 1 else ""}"')  # readers key on labels
    lines.append("*Arcs" if G.is_directed() else "*Edges")
    lines += [f"{ids[u]} {ids[v]} {d.get('weight', 1)}" for u, v, d in G.edges(data=True)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def cytoscape(G: nx.Graph) -> dict:
    """Cytoscape JSON whose `name` (the label Cytoscape shows) is 'Author Year: title'."""
    data = nx.cytoscape_data(G)
    for node in data["elements"]["nodes"]:
        node["data"]["name"] = display_label(node["data"], node["data"]["id"])
    return data


def write_csv(G: nx.DiGraph, nodes_path: Path, edges_path: Path) -> None:
    """Gephi's spreadsheet import: Id/Label columns for nodes, Source/Target for edges."""
    nodes = pd.DataFrame([{"id": n, **d} for n, d in G.nodes(data=True)])
    edges = pd.DataFrame([{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)],
                         columns=["source", "target", "kind", "weight", "mentions", "refs"])
    nodes.to_csv(nodes_path, index=False)
    edges.to_csv(edges_path, index=False)


def _vos_text(value) -> str:
    """No tabs or line breaks: one line per item, one column per field."""
    return "" if missing(value) else re.sub(r"[\t\r\n]+", " ", str(value)).strip()


def _vos_quoted(value) -> str:
    """A text field as VOSviewer's manual asks: in double quotes, inner quotes doubled."""
    return '"' + _vos_text(value).replace('"', '""') + '"'


def write_vosviewer(G: nx.Graph, map_path: Path, network_path: Path) -> None:
    """VOSviewer map file (tab-separated with a header: id, label, description, url,
    cluster, weight<...>; text fields quoted) and network file (no header: id, id, link
    strength). Item ids are 1..n; clusters are the weakly connected components (positive
    integers). An undirected network (co-citation, coupling) weighs items by links."""
    ids = {n: i for i, n in enumerate(G, start=1)}
    directed = G.is_directed()
    weights = ["weight<Times cited>", "weight<References>"] if directed else ["weight<Links>", "weight<Total link strength>"]
    with open(map_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n", quotechar="\x00")
        w.writerow(["id", "label", "description", "url", "cluster"] + weights)
        for n, d in G.nodes(data=True):
            desc = "; ".join(html.escape(_vos_text(d.get(k)), quote=False) for k in ("title", "journal")
                             if not missing(d.get(k)))
            doi = d.get("doi")
            counts = [d.get("times_cited", G.in_degree(n)), G.out_degree(n)] if directed \
                else [G.degree(n), G.degree(n, weight="weight")]
            w.writerow([ids[n], _vos_quoted(d.get("label", n)), _vos_quoted(desc),
                        f"https://doi.org/{doi}" if doi else "", d.get("component", 1), *counts])
    with open(network_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        for u, v, d in G.edges(data=True):
            w.writerow([ids[u], ids[v], d.get("weight", 1)])


def bibliography(references: pd.DataFrame) -> pd.DataFrame:
    """One row per work_id (fields from the most complete reference citing it); references
    without a work keep one row each."""
    refs = references.copy()
    if "duplicate_of" in refs.columns:
        refs = refs.loc[refs["duplicate_of"].map(missing).astype(bool)]
    refs["key"] = refs["work_id"].where(refs["work_id"].notna(),
                                        "R" + refs["doc_id"].astype(str) + "_" + refs["ref_no"].map(ref_key))
    return representatives(refs, "key", BIB_FIELDS).reset_index()


def _authors(row) -> list[str]:
    authors = row.get("authors")
    if isinstance(authors, (list, tuple)) or hasattr(authors, "tolist"):
        names = [str(a) for a in list(authors) if not missing(a)]
    else:
        first = first_author_of(row.get("first_author"), None)
        names = [first] if first else []
    return [n for n in names if not re.fullmatch(r"et\.?\s*al\.?", n.strip(), re.I)]


def _pages(value) -> tuple[str, str]:
    """'1234-8' -> ('1234', '1238'): abbreviated last pages are written out."""
    if missing(value):
        return "", ""
    parts = re.split(r"\s*[-–—]+\s*", str(value).strip(), maxsplit=1)
    first = parts[0]
    last = parts[1] if len(parts) > 1 else ""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def _entry_type(row) -> tuple[str, str]:
    """(BibTeX type, RIS type): a container with a publisher is a book chapter, without
    one a journal; a publisher alone is a book."""
    container, publisher = not missing(row.get("container")), not missing(row.get("publisher"))
    if container:
        return ("incollection", "CHAP") if publisher else ("article", "JOUR")
    return ("book", "BOOK") if publisher else ("misc", "GEN")


def _raw_note(row):
    """The printed reference, list number dropped, for entries whose title was not found."""
    raw = row.get("raw")
    return None if missing(raw) else re.sub(r"^\s*\[?\d{1,4}[.)\]]\s*", "", str(raw))


_BIB_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
               "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\^{}"}


def _one_line(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def _bib(field: str, value) -> str:
    """TeX-escaped, except DOIs and file paths: they are read verbatim (an escaped _ would stay)."""
    text = _one_line(value)
    if field in ("doi", "file"):
        return re.sub(r"[{}]", "", text)
    return "".join(_BIB_ESCAPE.get(c, c) for c in text)


def to_bibtex(entries: pd.DataFrame) -> str:
    """BibTeX entries keyed by work_id (stable across runs)."""
    out = []
    for row in entries.to_dict("records"):
        names = [n for n in map(parse_name, _authors(row)) if n]
        author = " and ".join(n.bibtex for n in names)
        if names and not missing(row.get("et_al")) and bool(row.get("et_al")):
            author += " and others"
        first, last = _pages(row.get("pages"))
        kind = _entry_type(row)[0]
        fields = {
            "author": author, "title": row.get("title"),
            "booktitle" if kind == "incollection" else "journal": row.get("container"),
            "year": normalize_year(row.get("year")), "volume": row.get("volume"),
            "number": row.get("issue"), "pages": f"{first}--{last}" if last else first,
            "edition": row.get("edition"), "publisher": row.get("publisher"),
            "doi": normalize_doi(row.get("doi")), "pmid": normalize_pmid(row.get("pmid")),
            "url": row.get("url"), "file": row.get("file"),
        }
        if missing(row.get("title")):
            fields["note"] = _raw_note(row)
        body = ",\n".join(f"  {k} = {{{_bib(k, v)}}}" for k, v in fields.items() if not missing(v))
        out.append(f"@{kind}{{{row['key']},\n{body}\n}}\n")
    return "\n".join(out)


def to_ris(entries: pd.DataFrame) -> str:
    """RIS records (TY ... ER), the import format every reference manager reads."""
    out = []
    for row in entries.to_dict("records"):
        lines = [("TY", _entry_type(row)[1]), ("ID", row["key"])]
        lines += [("AU", n.ris) for n in map(parse_name, _authors(row)) if n]
        first, last = _pages(row.get("pages"))
        pmid = normalize_pmid(row.get("pmid"))
        lines += [("TI", row.get("title")), ("T2", row.get("container")),
                  ("PY", normalize_year(row.get("year"))), ("VL", row.get("volume")),
                  ("IS", row.get("issue")), ("SP", first), ("EP", last),
                  ("ET", row.get("edition")), ("PB", row.get("publisher")),
                  ("DO", normalize_doi(row.get("doi"))), ("AN", f"PMID:{pmid}" if pmid else None),
                  ("UR", row.get("url")), ("L1", row.get("file"))]
        if missing(row.get("title")):
            lines.append(("N1", _raw_note(row)))
        body = [f"{tag}  - {_one_line(v)}" for tag, v in lines if not missing(v)]
        out.append("\n".join(body + ["ER  - ", ""]))
    return "\n".join(out)
