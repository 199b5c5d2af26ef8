"""Exports that open well: readable labels in Pajek and Cytoscape, a named GEXF graph,
VOSviewer text quoted, the co-citation and coupling networks exported too."""
from __future__ import annotations

import csv
import json
import shutil

import networkx as nx
import pandas as pd
import pytest

import extract
from conftest import sample_pdfs


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    for pdf in sample_pdfs():
        shutil.copy(pdf, folder)
    out = tmp_path_factory.mktemp("out")
    return extract.run(folder, out), out / "graph"


def test_pajek_labels_are_author_year_title_without_fake_coordinates(run):
    corpus, graph = run
    lines = (graph / "citation_graph.net").read_text(encoding="utf-8").splitlines()
    n = int(lines[0].split()[1])
    vertices = lines[1:n + 1]
    doc = corpus.documents.iloc[0]
    label = f'{doc.study}: {" ".join(doc.title.split())}'
    assert any(v.split(" ", 1)[1].strip('"') == label[:len(doc.study) + 79] + "..." for v in vertices), label
    assert all(v.count('"') == 2 and v.endswith('"') for v in vertices)  # id "label", nothing after it
    assert not any(doc_id in "\n".join(vertices) for doc_id in corpus.documents.doc_id)
    P = nx.read_pajek(graph / "citation_graph.net")
    assert P.number_of_nodes() == n


def test_cytoscape_names_and_gexf_graph_name(run):
    corpus, graph = run
    data = json.loads((graph / "citation_graph.cyjs").read_text(encoding="utf-8"))
    names = {node["data"]["id"]: node["data"]["name"] for node in data["elements"]["nodes"]}
    for doc in corpus.documents.itertuples():
        assert names[doc.doc_id].startswith(f"{doc.study}: ")
    gexf = (graph / "citation_graph.gexf").read_text(encoding="utf-8")
    assert 'name=""' not in gexf and nx.read_gexf(graph / "citation_graph.gexf").number_of_nodes() == len(names)


def test_vosviewer_text_is_quoted(run):
    _, graph = run
    with open(graph / "vosviewer_map.txt", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))  # a quoting reader, as VOSviewer's
    head, body = rows[0], rows[1:]
    assert head[:5] == ["id", "label", "description", "url", "cluster"]
    raw = (graph / "vosviewer_map.txt").read_text(encoding="utf-8").splitlines()[1]
    assert raw.split("\t")[1].startswith('"') and raw.split("\t")[2].startswith('"')
    assert all(len(r) == len(head) for r in body)
    assert any("Journal of Cutaneous Case Reports" in r[2] for r in body)


@pytest.mark.parametrize("name,a,b,weight", [("co_citation", "work_a", "work_b", "count"),
                                             ("bibliographic_coupling", "doc_a", "doc_b", "shared")])
def test_similarity_networks_exported(run, name, a, b, weight):
    corpus, graph = run
    pairs = corpus.tables[f"graph_{name}"]
    assert len(pairs) > 0
    H = nx.read_graphml(graph / f"{name}.graphml")
    assert not H.is_directed() and H.number_of_edges() == len(pairs)
    for r in pairs.head(5).itertuples():
        assert H.edges[getattr(r, a), getattr(r, b)]["weight"] == getattr(r, weight)
        assert H.nodes[getattr(r, a)]["label"] == r.label_a
    vmap = pd.read_csv(graph / f"{name}_vosviewer_map.txt", sep="\t")
    vnet = pd.read_csv(graph / f"{name}_vosviewer_network.txt", sep="\t", header=None, names=["a", "b", "w"])
    assert len(vmap) == H.number_of_nodes() and len(vnet) == len(pairs)
    assert sorted(vnet.w, reverse=True) == sorted(pairs[weight], reverse=True)
    assert set(vnet.a) | set(vnet.b) <= set(vmap.id) and (vmap.cluster >= 1).all()
