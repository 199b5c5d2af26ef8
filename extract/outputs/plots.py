"""Matplotlib PNGs for the questions reviewers ask first, and the static citation graph.

Each plot needs certain tables; when a run lacks them (or they are empty) the plot is
skipped and `write_plots` leaves it out of what it returns.
Figures are built with `matplotlib.figure.Figure` (no pyplot state, no display needed),
matplotlib imported when a plot is drawn: a report whose plots are all kept, and the run's
summary (`extract.outputs.report.summary_rows`), never load it.
"""
from __future__ import annotations

import hashlib
import pickle
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from extract.citations.works import family_display, missing, normalize_year
from extract.outputs.located import PageStore
from extract.outputs.tables import records, study_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_GRAPH_NODES = 400  # the report's graph: every report, the most-cited works up to this
ARROW_GAP = 2  # points between a citation arrow's ends and the markers it joins

DPI = 110
MAX_BARS = 20
OUTCOMES = ["resolved", "improved", "unchanged", "worsened", "recurred", "unknown"]
DAY_TICKS = {1: "1 d", 7: "1 wk", 30: "1 mo", 91: "3 mo", 182: "6 mo", 365: "1 yr", 730: "2 yr",
             1826: "5 yr", 3652: "10 yr"}
OUTCOME_COLOURS = ["#2e7d32", "#81c784", "#9e9e9e", "#e53935", "#8e24aa", "#e0e0e0"]


def doc_labels(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> 'Novak 2023', the study label of every table (extract.outputs.tables)."""
    return study_labels(documents)


def _table(corpus, name: str, *cols: str) -> pd.DataFrame | None:
    df = corpus.tables.get(name)
    return df if df is not None and len(df) and set(cols) <= set(df.columns) else None


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def _integer_ticks(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _save(fig: Figure, path: Path) -> Path:
    """The figure as a PNG (zlib level 3: the citation graph's 880 x 880 pixels in 30 ms and
    381 kB, against 50 ms and 448 kB at PIL's default 6; the same pixels). The layout is
    done once: `tight_layout` leaves a placeholder layout engine behind, for which `savefig`
    would lay the whole figure out again in a draw that renders nothing (a fifth of the
    plots' Python calls; the same bytes without it)."""
    fig.tight_layout()
    fig.set_layout_engine(None)
    fig.savefig(path, dpi=DPI, pil_kwargs={"compress_level": 3})
    return path


def outcome_counts(corpus) -> pd.DataFrame | None:
    """Reported patients' treatments (given) by outcome, the most frequent MAX_BARS."""
    t = _table(corpus, "treatments", "treatment", "outcome")
    if t is None:
        return None
    if "scope" in t and "status" in t:
        t = t[(t["scope"].fillna("case") == "case") & (t["status"].fillna("given") == "given")]
    if t.empty:
        return None
    tab = pd.crosstab(t["treatment"].astype(str), t["outcome"].fillna("unknown").astype(str))
    return tab.loc[tab.sum(axis=1).sort_values().index[-MAX_BARS:]]


def outcome_by_treatment(tab: pd.DataFrame, path: Path) -> Path:
    """Stacked bars: reported patients' treatments (given) by outcome."""
    cols = [c for c in OUTCOMES if c in tab] + [c for c in tab if c not in OUTCOMES]
    fig = _figure(7, 1.2 + 0.35 * len(tab))
    ax = fig.add_subplot()
    left = np.zeros(len(tab))
    for i, c in enumerate(cols):
        ax.barh(tab.index, tab[c], left=left, label=c,
                color=OUTCOME_COLOURS[OUTCOMES.index(c)] if c in OUTCOMES else f"C{i}",
                edgecolor="white", linewidth=0.5)
        left += tab[c].to_numpy()
    _integer_ticks(ax.xaxis)
    ax.set_xlabel("treatments given to reported patients")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Outcome by treatment")
    return _save(fig, path)


def resolution_days(corpus) -> pd.DataFrame | None:
    """Days to outcome per patient (the `cases` table), else every timing of a resolution
    event, with the report's diagnosed subtype."""
    cases = _table(corpus, "cases", "time_to_outcome_days", "subtype")
    if cases is not None and cases["time_to_outcome_days"].notna().any():
        cases = cases[cases["time_to_outcome_days"].notna()]
        return pd.DataFrame({"doc_id": cases["doc_id"].values,
                             "days": cases["time_to_outcome_days"].astype(float).values,
                             "subtype": cases["subtype"].fillna("subtype unknown").astype(str).values})
    tm = _table(corpus, "timings", "days", "event_kind")
    if tm is None:
        return None
    tm = tm[(tm["event_kind"] == "resolution") & tm["days"].notna()]
    if tm.empty:
        return None
    subtype: dict = {}
    st = _table(corpus, "subtypes", "subtype", "role")
    if st is not None:
        diag = st[st["role"] == "diagnosis"].drop_duplicates("doc_id")
        subtype = dict(zip(diag["doc_id"], diag["subtype"]))
    return pd.DataFrame({"doc_id": tm["doc_id"].values, "days": tm["days"].astype(float).values,
                         "subtype": [subtype.get(d, "subtype unknown") for d in tm["doc_id"]]})


def time_to_outcome(df: pd.DataFrame, path: Path) -> Path:
    """Days to resolution, one row of points per subtype."""
    groups = sorted(df["subtype"].unique())
    fig = _figure(7, 1.4 + 0.45 * len(groups))
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)
    for i, g in enumerate(groups):
        days = df.loc[df["subtype"] == g, "days"].clip(lower=1)
        ax.scatter(days, i + rng.uniform(-0.15, 0.15, len(days)), alpha=0.8, s=28)
        ax.plot([days.median()] * 2, [i - 0.3, i + 0.3], color="black", lw=1.5)
    ax.set_yticks(range(len(groups)), groups)
    ax.set_ylim(-0.6, len(groups) - 0.4)
    ax.set_xscale("log")
    ticks = [t for t in DAY_TICKS if df["days"].min() / 3 <= t <= df["days"].max() * 3] or [1]
    ax.set_xticks(ticks, [DAY_TICKS[t] for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(max(df["days"].min(), 1) / 1.5, max(df["days"].max(), 1) * 1.5)
    ax.set_xlabel("days to outcome, log scale (bar: median)")
    ax.set_title("Time to outcome by subtype")
    return _save(fig, path)


def reference_counts(corpus) -> list[tuple[str, int]] | None:
    """(study label, entries in its reference list) of the MAX_BARS * 2 longest lists."""
    refs = _table(corpus, "references", "doc_id")
    docs = _table(corpus, "documents", "doc_id")
    if refs is None or docs is None:
        return None
    docs = docs[docs["doc_id"].notna()]  # an unreadable file's error row has no doc_id
    labels = doc_labels(docs)
    counts = refs.groupby("doc_id").size().reindex(docs["doc_id"], fill_value=0).sort_values()
    return [(labels.get(d, d), int(n)) for d, n in counts.iloc[-MAX_BARS * 2:].items()]


def references_per_report(counts: list[tuple[str, int]], path: Path) -> Path:
    fig = _figure(7, 1.2 + 0.3 * len(counts))
    ax = fig.add_subplot()
    ax.barh([label for label, _ in counts], [n for _, n in counts], color="#5c6bc0")
    ax.set_xlabel("entries in the reference list")
    ax.set_title("References per report")
    return _save(fig, path)


def work_label(r: dict) -> str:
    family = family_display(r.get("first_author"))
    year = normalize_year(r.get("year"))
    if family:
        return f"{family} {year}" if year else family
    for key in ("title", "doi"):
        if not missing(r.get(key)):
            return f"{str(r[key])[:40]}" + (f" ({year})" if year and key == "title" else "")
    return str(r.get("work_id"))


def top_works(corpus) -> list[tuple[str, int, bool]] | None:
    """(label, times cited, in the corpus) of the MAX_BARS works most cited, least first."""
    works = _table(corpus, "works", "work_id", "times_cited_in_corpus")
    if works is None:
        return None
    top = works[works["times_cited_in_corpus"] > 0].sort_values(
        ["times_cited_in_corpus", "work_id"], ascending=[False, True]).head(MAX_BARS).iloc[::-1]
    if top.empty:
        return None
    return [(work_label(r), int(n), bool(c)) for r, n, c in
            zip(records(top), top["times_cited_in_corpus"], top["in_corpus"])]


def most_cited_works(top: list[tuple[str, int, bool]], path: Path) -> Path:
    fig = _figure(7, 1.2 + 0.3 * len(top))
    ax = fig.add_subplot()
    ax.barh([label for label, _, _ in top], [n for _, n, _ in top],
            color=["#ef6c00" if c else "#78909c" for _, _, c in top])
    _integer_ticks(ax.xaxis)
    ax.set_xlabel("reference-list entries in the corpus (orange: a report of the corpus)")
    ax.set_title("Most-cited works")
    return _save(fig, path)


def citation_graph(graph: tuple[nx.DiGraph, dict], path: Path) -> Path:
    """Static graph for papers: size by times cited, colour by component, reports labelled."""
    G, pos = graph
    fig = _figure(8, 8)
    ax = fig.add_subplot()
    ax.set_axis_off()
    nodes = list(G)
    sizes = [30 + 60 * G.nodes[n].get("times_cited", 0) for n in nodes]
    if len({G.nodes[n].get("component", 1) for n in nodes}) > 1:
        colours = [f"C{(G.nodes[n].get('component', 1) - 1) % 10}" for n in nodes]
    else:  # one component: reports apart from works
        colours = ["C1" if G.nodes[n].get("kind") == "document" else "C0" for n in nodes]
    shapes = ["s" if G.nodes[n].get("kind") == "document" else "o" for n in nodes]
    for shape in ("o", "s"):
        idx = [i for i, s in enumerate(shapes) if s == shape]
        ax.scatter([pos[nodes[i]][0] for i in idx], [pos[nodes[i]][1] for i in idx],
                   s=[sizes[i] * (2 if shape == "s" else 1) for i in idx],
                   c=[colours[i] for i in idx], marker=shape, edgecolors="black", linewidths=0.5,
                   zorder=3)
    areas = {n: sizes[i] * (2 if shapes[i] == "s" else 1) for i, n in enumerate(nodes)}
    _arrows(ax, list(G.edges()), pos, areas)
    for n in nodes:
        if G.nodes[n].get("kind") == "document" or G.nodes[n].get("times_cited", 0) > 1:
            # every node lies inside the axes (their limits are the markers'): not asking
            # (annotation_clip) saves a path test per label in the layout and in the drawing
            ax.annotate(G.nodes[n].get("label", n), pos[n], fontsize=7, zorder=4,
                        xytext=(4, 4), textcoords="offset points", annotation_clip=False)
    ax.set_title("Citation graph (squares: reports of the corpus; size: times cited)")
    return _save(fig, path)


def _arrows(ax, edges: list, pos: dict, areas: dict) -> None:
    """Every edge as one arrow of a single collection (an artist per edge took seconds to
    lay out and draw at a few thousand edges), from ARROW_GAP points off its source's
    marker to as far off its target's (marker `areas` in points², as scatter takes them)."""
    if not edges:
        return
    ax.autoscale_view()  # the limits the markers set: the arrows are placed in pixels
    px = ax.figure.dpi / 72
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    gap = {n: (np.sqrt(a) / 2 + ARROW_GAP) * px for n, a in areas.items()}
    a, b = to_px([pos[u] for u, _ in edges]), to_px([pos[v] for _, v in edges])
    length = np.hypot(*(b - a).T)
    off_a, off_b = np.array([gap[u] for u, _ in edges]), np.array([gap[v] for _, v in edges])
    keep = length > off_a + off_b
    unit = (b - a)[keep] / length[keep, None]
    start, end = to_data(a[keep] + unit * off_a[keep, None]), to_data(b[keep] - unit * off_b[keep, None])
    ax.quiver(start[:, 0], start[:, 1], *(end - start).T, angles="xy", scale_units="xy", scale=1,
              color="#9e9e9e", width=0.0012, headwidth=5, headlength=6, headaxislength=5.5, zorder=2)
    ax.autoscale(False)  # the quiver must not move the limits the arrows were placed in


def layout(G: nx.DiGraph, kept: dict | None = None) -> dict:
    """Deterministic force-directed positions in [-1, 1]^2.

    `kept`: the positions an earlier report gave (`PageStore.kept_layout`). When most of
    G's nodes are there they keep them and only the others are placed among them
    (`place_new`): an add moves nothing a reader has seen, and costs the new nodes' forces
    rather than a whole layout (O(new x all) instead of O(all^2) per step). The positions
    then depend on the order the documents came in, as a map drawn in steps does; with
    more than MAX_NEW_SHARE of the nodes new, the whole graph is laid out again."""
    if G.number_of_nodes() == 0:
        return {}
    kept = {n: p for n, p in (kept or {}).items() if n in G}
    if len(kept) >= (1 - MAX_NEW_SHARE) * G.number_of_nodes():
        return place_new(G, kept)
    k = 1.5 / np.sqrt(G.number_of_nodes())
    return {n: tuple(map(float, p)) for n, p in
            nx.spring_layout(G.to_undirected(), k=k, seed=7, iterations=100).items()}


MAX_NEW_SHARE = 0.25  # new nodes beyond this share of the graph: lay it all out again
PLACE_STEPS = 50


def place_new(G: nx.DiGraph, kept: dict) -> dict:
    """`kept` as it is, and every other node of G placed among them: it starts at the
    centre of its neighbours already placed (nodes reached from the kept ones first; a
    node of a wholly new component at a random point seeded by its name), then takes
    PLACE_STEPS steps of spring_layout's forces (Fruchterman-Reingold, linear cooling)
    with its edges' pull and the push of nodes nearer than 2k only, k the kept layout's
    median edge length: all nodes' push, unbalanced once the others stand still, would
    throw every new node to the border. Positions stay inside [-1, 1]^2."""
    nodes = list(G)
    out = {n: tuple(kept[n]) for n in nodes if n in kept}
    new = [n for n in nodes if n not in kept]
    if not new:
        return out
    U = G.to_undirected()
    lengths = [np.hypot(*np.subtract(kept[u], kept[v])) for u, v in U.edges() if u in kept and v in kept]
    k = float(np.median(lengths)) if lengths else 0.0
    k = k if k > 0 else 1.5 / np.sqrt(len(nodes))  # no kept edge of any length: spring_layout's k
    at = {n: i for i, n in enumerate(nodes)}
    pos = np.array([kept.get(n, (0.0, 0.0)) for n in nodes], dtype=float)
    placed, waiting = set(out), list(new)
    while waiting:
        ready = [n for n in waiting if any(m in placed for m in U[n])] or waiting[:1]
        for n in ready:
            seed = hashlib.blake2b(str(n).encode(), digest_size=8).digest()
            rng = np.random.default_rng(int.from_bytes(seed, "little"))
            near = [pos[at[m]] for m in U[n] if m in placed]
            pos[at[n]] = (np.mean(near, axis=0) if near else rng.uniform(-0.9, 0.9, 2)) + rng.uniform(-k, k, 2) / 2
        placed.update(ready)
        waiting = [n for n in waiting if n not in placed]
    rows = np.array([at[n] for n in new])
    A = nx.to_numpy_array(U, nodelist=nodes, weight="weight")[rows]
    t = k  # a step of at most an edge's length at first, cooling to nothing
    for _ in range(PLACE_STEPS):
        delta = pos[rows, None, :] - pos[None, :, :]
        distance = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        push = np.where(distance < 2 * k, k * k / distance ** 2, 0.0)
        force = np.einsum("ijk,ij->ik", delta, push - A * distance / k)
        length = np.clip(np.linalg.norm(force, axis=-1), 0.01, None)
        pos[rows] = np.clip(pos[rows] + force * (np.minimum(length, t) / length)[:, None], -1.0, 1.0)
        t -= k / (PLACE_STEPS + 1)
    out.update({n: tuple(map(float, pos[at[n]])) for n in new})
    return {n: out[n] for n in nodes}


PLOTS = {"outcome_by_treatment": (outcome_counts, outcome_by_treatment),
         "time_to_outcome": (resolution_days, time_to_outcome),
         "references_per_report": (reference_counts, references_per_report),
         "most_cited_works": (top_works, most_cited_works)}  # name -> (its data, its drawing)


def write_plots(corpus, out_dir, graph: tuple[nx.DiGraph, dict] | None = None,
                store: PageStore | None = None) -> dict[str, Path]:
    """OUT_DIR/plots/<name>.png for every plot the run's tables allow; returns name -> path.

    `graph` is (graph, positions) when the caller already built them (the report does).
    A plot is drawn from its data alone, so `store` keeps each PNG under a hash of its data
    and the next call links it instead of drawing it again while the hash holds."""
    folder = Path(out_dir) / "plots"
    folder.mkdir(parents=True, exist_ok=True)
    store = store or PageStore()
    if graph is None:
        G = corpus_graph(corpus)
        graph = (G, layout(G))
    data = {name: of(corpus) for name, (of, _) in PLOTS.items()}
    data["citation_graph"] = graph if graph[0].number_of_nodes() else None
    draw = dict({name: d for name, (_, d) in PLOTS.items()}, citation_graph=citation_graph)
    made = {}
    for name, what in data.items():
        if what is not None:
            made[name] = folder / f"{name}.png"
            store.plot(name, _plot_key(name, what), made[name], lambda path: draw[name](what, path))
    return made


def _plot_key(name: str, data) -> str:
    """A hash of what a plot is drawn from (a graph: its nodes, edges and positions, in order)."""
    if isinstance(data, tuple) and isinstance(data[0], nx.DiGraph):
        data = (list(data[0].nodes(data=True)), list(data[0].edges()), data[1])
    what = (name, version("matplotlib"), data)
    return hashlib.blake2b(pickle.dumps(what), digest_size=16).hexdigest()


def corpus_graph(corpus, max_nodes: int = MAX_GRAPH_NODES) -> nx.DiGraph:
    """The citation graph of the run (every report, the most-cited works up to max_nodes)."""
    from extract.citations.corpus import add_works
    from extract.citations.graph import build_graph

    tables = corpus.tables
    docs, refs = tables.get("documents"), tables.get("references")
    if docs is None or refs is None or docs.empty:
        return nx.DiGraph()
    if "works" not in tables:
        tables = add_works(dict(tables))
    ok = docs[docs["status"] != "error"]
    G = build_graph(ok, tables["references"], tables.get("citations"), tables["works"])
    labels = doc_labels(ok)
    for n, d in G.nodes(data=True):
        d["label"] = labels.get(n) or work_label(dict(d, work_id=n))
    G.graph["n_nodes"] = G.number_of_nodes()
    if G.number_of_nodes() > max_nodes:
        keep = sorted(G, key=lambda n: (G.nodes[n].get("kind") != "document",
                                        -G.nodes[n].get("times_cited", 0), str(n)))[:max_nodes]
        G = G.subgraph(keep).copy()  # the copy keeps graph["n_nodes"], the full count
    return G
