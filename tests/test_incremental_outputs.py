"""Writing proportional to what changed, with the outputs a run from scratch writes: PDFs
added to a processed folder (one sorting between the others, one after them) give the same
tables (CSV bytes, Parquet, DuckDB), graph, workbook and report as one run over all of
them, but for the citation graph's positions: an add keeps the nodes drawn before where
they were and places only the new ones (`extract.outputs.plots.layout`), so the report's
graph (index.html's data, the static PNG) is the same graph laid out otherwise; and the
tables written after rows changed, went or moved, or a file was touched, equal a fresh
write."""
from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import sample_pdfs
import extract
from extract.outputs.tablefiles import TableLog, write_tables
from extract.outputs.writers import DUCKDB_NAME
from extract.run.inputs import PARTS

EXTRAS = ("excel", "report")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(folder of the run that added PDFs, folder of the run over all from scratch, the
    report's index.html before the add)."""
    pinned = os.environ.get("CASEMINE_PIPELINE_VERSION")
    os.environ["CASEMINE_PIPELINE_VERSION"] = "test-incremental"
    try:
        tmp = tmp_path_factory.mktemp("incremental")
        pdfs = sample_pdfs()
        later = [pdfs[1], pdfs[-1]]  # one sorts between the first ones, one after them all
        folder = tmp / "in"
        folder.mkdir()
        for pdf in pdfs:
            if pdf not in later:
                shutil.copy(pdf, folder / pdf.name)
        added = tmp / "added"
        extract.run(folder, added, extras=EXTRAS)
        before = (added / "report" / "index.html").read_bytes()
        for pdf in later:
            shutil.copy(pdf, folder / pdf.name)
        extract.run(folder, added, extras=EXTRAS)
        # from scratch: every corpus output made anew from the documents' parts (processing
        # a document is the same either way, and not what this test is about)
        scratch = tmp / "scratch"
        (scratch / PARTS).mkdir(parents=True)
        for part in (added / PARTS).glob("*.json"):
            if part.name != "manifest.json":
                shutil.copy(part, scratch / PARTS / part.name)
        shutil.copytree(added / "text", scratch / "text")
        extract.run(folder, scratch, extras=EXTRAS)
        yield added, scratch, before
    finally:
        if pinned is None:
            os.environ.pop("CASEMINE_PIPELINE_VERSION", None)
        else:
            os.environ["CASEMINE_PIPELINE_VERSION"] = pinned


def _same_tables(a: Path, b: Path) -> None:
    names = sorted(p.stem for p in b.glob("*.parquet"))
    assert names == sorted(p.stem for p in a.glob("*.parquet"))
    for name in names:
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"))
        if (b / f"{name}.csv").exists():
            assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    if (b / DUCKDB_NAME).exists():
        with duckdb.connect(str(a / DUCKDB_NAME), read_only=True) as ca, \
                duckdb.connect(str(b / DUCKDB_NAME), read_only=True) as cb:
            tables = sorted(r[0] for r in cb.execute("SELECT table_name FROM duckdb_tables()").fetchall())
            assert tables == sorted(r[0] for r in ca.execute("SELECT table_name FROM duckdb_tables()").fetchall())
            for t in tables:
                for query in (f'DESCRIBE "{t}"', f'SELECT * FROM "{t}"'):
                    assert ca.execute(query).fetchall() == cb.execute(query).fetchall(), (t, query)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


LAID_OUT = ("index.html", "plots/citation_graph.png")  # drawn at the graph's positions
_GRAPH = re.compile(rb'(<script type="application/json" id="graph-data">)(.*?)(</script>)', re.S)


def _graph(index: bytes) -> tuple[dict, dict]:
    """(the report's graph without positions, node -> position) of an index.html."""
    data = json.loads(_GRAPH.search(index)[2])
    return (dict(data, nodes=[n["data"] for n in data["nodes"]]),
            {n["data"]["id"]: (n["position"]["x"], n["position"]["y"]) for n in data["nodes"]})


def test_adding_pdfs_writes_what_a_run_from_scratch_writes(runs):
    added, scratch, before = runs
    assert len(extract.load(added).documents) == len(sample_pdfs())
    _same_tables(added, scratch)
    assert _files(added / "graph") == _files(scratch / "graph")
    files, fresh = _files(added / "report"), _files(scratch / "report")
    assert sorted(files) == sorted(fresh)
    assert all(files[k] == fresh[k] for k in fresh if k not in LAID_OUT)
    index, fresh_index = files["index.html"], fresh["index.html"]
    assert _GRAPH.sub(rb"\1\3", index) == _GRAPH.sub(rb"\1\3", fresh_index)  # all but the graph's data
    (graph, pos), (fresh_graph, _) = _graph(index), _graph(fresh_index)
    assert graph == fresh_graph  # the same nodes, labels, counts and edges
    kept = _graph(before)[1]
    new = set(pos) - set(kept)
    assert new and len(kept) > len(new)
    assert all(pos[n] == kept[n] for n in kept if n in pos)  # what was drawn stays where it was
    assert all(abs(x) <= 400 and abs(y) <= 400 for x, y in pos.values())  # [-1, 1]^2, as drawn
    assert len(set(pos.values())) == len(pos)
    assert files["plots/citation_graph.png"].startswith(b"\x89PNG")
    with zipfile.ZipFile(added / "casemine.xlsx") as za, zipfile.ZipFile(scratch / "casemine.xlsx") as zb:
        assert sorted(za.namelist()) == sorted(zb.namelist())
        for part in za.namelist():
            if part != "docProps/core.xml":  # the workbook's creation time
                assert za.read(part) == zb.read(part), part


def _changed(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with a document in the middle gone and a value of the first row changed."""
    docs = list(tables["documents"].doc_id)
    gone = docs[len(docs) // 2]
    out = {}
    for name, df in tables.items():
        if "doc_id" in df and len(df):
            df = df[df["doc_id"] != gone].reset_index(drop=True)
        out[name] = df
    first = out["sections"].copy()
    first.loc[0, "heading"] = "Another heading"
    return dict(out, sections=first)


def test_tables_after_rows_changed_or_went_equal_a_fresh_write(runs, tmp_path):
    tables = extract.load(runs[1]).tables
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    write_tables(tables, kept, log=TableLog(kept / "log"))
    for step in (_changed(tables), tables):  # rows gone and changed, then back and moved
        write_tables(step, kept, log=TableLog(kept / "log"))
        shutil.rmtree(fresh, ignore_errors=True)
        write_tables(step, fresh)
        _same_tables(kept, fresh)


def test_an_unchanged_table_is_left_as_it_is_and_a_touched_file_is_written_whole(runs, tmp_path):
    tables = extract.load(runs[1]).tables
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    write_tables(tables, kept, log=TableLog(kept / "log"))
    stats = {p.name: p.stat().st_mtime_ns for p in kept.iterdir() if p.is_file()}
    write_tables(tables, kept, log=TableLog(kept / "log"))
    assert {p.name: p.stat().st_mtime_ns for p in kept.iterdir() if p.is_file()} == stats
    with open(kept / "sections.csv", "ab") as fh:  # someone's edit
        fh.write(b"x\n")
    write_tables(_changed(tables), kept, csv_bom=True, log=TableLog(kept / "log"))
    write_tables(_changed(tables), fresh, csv_bom=True)
    _same_tables(kept, fresh)
    assert (kept / "sections.csv").read_bytes().count("\ufeff".encode()) == 1


def test_the_collector_is_off_only_while_the_corpus_outputs_are_made(tmp_path, monkeypatch):
    import gc
    import importlib

    pipeline = importlib.import_module("extract.run.pipeline")
    seen = []
    finish = pipeline.finish
    monkeypatch.setattr(pipeline, "finish", lambda *a, **k: seen.append(gc.isenabled()) or finish(*a, **k))
    (tmp_path / "in").mkdir()
    assert gc.isenabled()
    extract.run(tmp_path / "in", tmp_path / "out")
    assert seen == [False] and gc.isenabled()
    with pytest.raises(KeyError):  # back on after a failure too
        with pipeline.collector_paused():
            raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with pipeline.collector_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
