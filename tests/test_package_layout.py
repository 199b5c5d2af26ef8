"""The package's folders follow the data flow: a stage imports only stages below it, and
no two modules import each other, directly or through others (lazy imports included)."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "extract"
# lowest first; a module may import its own layer and the layers before it
LAYERS = [
    {"extract.document", "extract.stages", "extract.names"},
    {"extract.pdf", "extract.markup"},  # readers: PDF, and JATS / TEI / plain text
    {"extract.nlp"},
    {"extract.timings"},
    {"extract.citations"},
    {"extract.evidence"},
    {"extract.outputs"},
    {"extract.run", "extract.training"},
    {"extract.cli", "extract"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for i, names in enumerate(LAYERS):
        if any(module == n or module.startswith(n + ".") for n in names - {"extract"}):
            return i
    assert module == "extract", module
    return len(LAYERS) - 1


def imports_of(path: Path) -> set[str]:
    """Every extract module `path` imports, at the top or inside a function."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "extract"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "extract":
                continue
            for a in node.names:  # `from extract.run import guards` names a module
                sub = f"{base}.{a.name}"
                out.add(sub if (PACKAGE.parent / (sub.replace(".", "/") + ".py")).exists()
                        or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else base)
    return out - {own}


def import_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        mod = module_name(path)
        g.add_node(mod)
        for target in imports_of(path):
            g.add_edge(mod, target)
    return g


def test_every_stage_imports_only_stages_below_it():
    g = import_graph()
    upward = [(a, b) for a, b in g.edges if b != "extract" and layer_of(b) > layer_of(a)]
    assert not upward, upward
    assert "extract.pdf.ingest" in g and ("extract.evidence.facts", "extract.nlp.protocols") in g.edges


def test_no_import_circles():
    # a package's __init__ is imported with each of its modules; leave those edges out
    g = import_graph()
    g.remove_nodes_from([n for n in list(g) if n == "extract"])
    cycles = list(nx.simple_cycles(g))
    assert not cycles, cycles


def test_each_subpackage_says_what_goes_in_and_out():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 8, init
