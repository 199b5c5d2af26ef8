"""Scale: workers and Dask give the same tables, re-runs redo only what changed, and a run
killed with SIGKILL resumes without losing or doubling a row."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, sample_pdfs
import extract
from extract import stages
from extract.run import workers as runner
from extract.run.cache import PARTS, Cache, status
from extract.stages import RunConfig

TABLES = ("documents", "errors", "sections", "references", "citations", "timings", "markers")


@pytest.fixture(autouse=True)
def _pinned_version(monkeypatch):
    """Other people's edits to the package must not invalidate the cache mid-test."""
    monkeypatch.setenv("CASEMINE_PIPELINE_VERSION", "test-scale")


def _folder(tmp_path: Path, n: int, bad: bool = True) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in sample_pdfs()[:n]:
        shutil.copy(pdf, folder / pdf.name)
    if bad:
        (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    return folder


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"))
    assert sorted(p.name for p in (a / "text").iterdir()) == sorted(p.name for p in (b / "text").iterdir())
    for p in (a / "text").iterdir():
        assert p.read_text() == (b / "text" / p.name).read_text()


def _parts(out: Path) -> list[Path]:
    return [p for p in (out / PARTS).glob("*.json") if p.name != "manifest.json"]


def test_workers_and_dask_give_identical_tables(tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    folder = _folder(tmp_path, 3)
    seen = []
    one = extract.run(folder, tmp_path / "one", on_result=seen.append)
    assert {"layout", "structure", "references", "timings", "writing"} <= set(seen[1].stage_seconds)
    extract.run(folder, tmp_path / "pool", workers=2)
    calls = []
    monkeypatch.setattr(runner, "_initialized", set())  # as in a fresh worker process
    stages.worker_initializer(calls.append)
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            extract.run(folder, tmp_path / "dask", scheduler=client)
    finally:
        stages.INITIALIZERS.remove(calls.append)
    assert len(calls) == 1  # threads of one process: the models are loaded once
    assert len(one.documents) == 4 and (one.documents.status == "ok").sum() == 3
    _same_tables(tmp_path / "one", tmp_path / "pool")
    _same_tables(tmp_path / "one", tmp_path / "dask")


def test_rerun_reads_only_new_or_changed_pdfs_and_drops_deleted(tmp_path):
    folder = _folder(tmp_path, 3, bad=False)
    out = tmp_path / "out"
    plans = []
    first = extract.run(folder, out, on_plan=plans.append)
    assert len(plans[-1].todo) == 3
    again = extract.run(folder, out, on_plan=plans.append)
    assert plans[-1].todo == []
    for name in TABLES:
        pd.testing.assert_frame_equal(first.tables[name], again.tables[name])

    pdfs = sample_pdfs()
    gone, changed = folder / pdfs[0].name, folder / pdfs[1].name
    gone_id = first.documents.set_index("path").loc[str(gone), "doc_id"]
    gone.unlink()
    shutil.copy(pdfs[4], changed)  # same name, other content
    shutil.copy(pdfs[3], folder / "new one.pdf")
    now = extract.run(folder, out, on_plan=plans.append)
    assert sorted(Path(p).name for p in plans[-1].todo) == sorted([changed.name, "new one.pdf"])
    docs = now.documents
    assert sorted(Path(p).name for p in docs.path) == sorted(p.name for p in folder.iterdir())
    assert docs.doc_id.is_unique and gone_id not in set(docs.doc_id)
    for name in ("sections", "timings", "references", "markers"):
        assert set(now.tables[name].doc_id) <= set(docs.doc_id)
        assert gone_id not in set(pd.read_parquet(out / f"{name}.parquet").doc_id)
    assert not (out / "text" / f"{gone_id}.txt").exists()
    assert len(_parts(out)) == 3


def test_unchanged_rerun_reads_outputs_back_and_a_deleted_output_is_rewritten(tmp_path):
    folder = _folder(tmp_path, 2, bad=False)
    out = tmp_path / "out"
    first = extract.run(folder, out)
    stamps = {f: f.stat().st_mtime_ns for f in out.glob("*.parquet")}
    again = extract.run(folder, out)
    assert again.unchanged and not first.unchanged
    assert {f: f.stat().st_mtime_ns for f in out.glob("*.parquet")} == stamps  # nothing rewritten
    (out / "works.parquet").unlink()
    third = extract.run(folder, out)
    assert not third.unchanged and (out / "works.parquet").exists()
    for name in TABLES:
        pd.testing.assert_frame_equal(first.tables[name], third.tables[name])


def test_a_new_pipeline_version_or_setting_redoes_everything(tmp_path, monkeypatch):
    folder = _folder(tmp_path, 1, bad=False)
    out, plans = tmp_path / "out", []
    extract.run(folder, out, on_plan=plans.append)
    monkeypatch.setenv("CASEMINE_PIPELINE_VERSION", "test-scale-2")  # new code or models
    extract.run(folder, out, on_plan=plans.append)
    extract.run(folder, out, cfg=RunConfig(max_pages=100), on_plan=plans.append)  # new setting
    assert [len(p.todo) for p in plans] == [1, 1, 1]
    assert len(_parts(out)) == 1


def test_one_run_at_a_time_per_output_folder(tmp_path):
    folder = _folder(tmp_path, 1, bad=False)
    with Cache(tmp_path / "out", RunConfig()):
        with pytest.raises(RuntimeError, match="another casemine run"):
            extract.run(folder, tmp_path / "out")


def test_kill_minus_9_then_resume_loses_and_doubles_nothing(tmp_path):
    folder = _folder(tmp_path, 6)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "extract.cli", "run", str(folder), "-o", str(out), "-w", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while len(_parts(out)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers: a power cut
    proc.wait()
    done = len(_parts(out))
    assert 2 <= done < 7, "the run finished before it could be killed"
    assert not (out / "documents.parquet").exists()

    st = status(out)
    assert st["finished_at"] is None and st["pending"] == 7 - done
    r = subprocess.run([sys.executable, "-m", "extract.cli", "status", str(out)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "interrupted" in r.stdout and "pending" in r.stdout

    plans = []
    resumed = extract.run(folder, out, on_plan=plans.append, workers=2)
    assert len(plans[0].todo) == 7 - done  # finished documents are not redone
    whole = extract.run(folder, None)
    for name in TABLES:
        pd.testing.assert_frame_equal(resumed.tables[name], whole.tables[name])
    assert resumed.documents.doc_id.is_unique and len(resumed.documents) == 7
    assert not [p for p in (out / PARTS).iterdir() if p.name.startswith(".")]  # temporaries cleared
    st = status(out)
    assert (st["ok"], st["failed"], st["pending"], st["cached"]) == (6, 1, 0, done)
    assert json.loads((out / PARTS / "manifest.json").read_text())["finished_at"]


# `python -c KILL_AT MODULE QUALNAME N casemine-args...`: the CLI, killed with SIGKILL (it and
# its workers) as MODULE.QUALNAME is called the Nth time: a power cut at that very point
KILL_AT = """import importlib, os, signal, sys
module, name, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
owner = importlib.import_module(module)
*path, attr = name.split(".")
for part in path:
    owner = getattr(owner, part)
real, calls = getattr(owner, attr), []
def killer(*a, **kw):
    calls.append(1)
    if len(calls) >= nth:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    return real(*a, **kw)
setattr(owner, attr, killer)
sys.argv = ["casemine", *sys.argv[4:]]
from extract.cli import app
app()
"""


@pytest.mark.parametrize("point", ["openpyxl:Workbook.save:1", "extract.outputs.report:_doc_page:2",
                                   "extract.citations.exports:write_pajek:1"])
def test_kill_minus_9_while_writing_an_output_then_a_rerun_repairs_it(tmp_path, point):
    from openpyxl import load_workbook

    """A finished run, a new PDF, a run killed while it rewrites an output, a re-run: every
    output as a run never interrupted leaves it."""
    folder, out = _folder(tmp_path, 1, bad=False), tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cli = ["run", str(folder), "-o", str(out), "-w", "1"]
    first = subprocess.run([sys.executable, "-m", "extract.cli", *cli], cwd=ROOT, env=env, capture_output=True)
    assert first.returncode == 0, first.stderr[-2000:]
    shutil.copy(sample_pdfs()[1], folder / "second.pdf")
    killed = subprocess.run([sys.executable, "-c", KILL_AT, *point.split(":"), *cli], cwd=ROOT, env=env,
                            capture_output=True, start_new_session=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    again = subprocess.run([sys.executable, "-m", "extract.cli", *cli], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "2 document(s) unchanged" in again.stderr, again.stderr[-2000:]
    whole = extract.run(folder, tmp_path / "whole")
    ids = sorted(whole.documents.doc_id)
    sheet = pd.read_excel(out / "casemine.xlsx", sheet_name="documents")
    assert sorted(sheet.doc_id) == ids and len(load_workbook(out / "casemine.xlsx").sheetnames) > 5
    assert sorted(f.stem for f in (out / "report" / "docs").glob("*.html")) == ids
    assert (out / "report" / "index.html").stat().st_size > 1000
    assert sorted(p.name for p in (out / "graph").iterdir()) == sorted(p.name for p in (tmp_path / "whole" / "graph").iterdir())
    for f in (out / "graph").iterdir():
        assert f.read_bytes() == (tmp_path / "whole" / "graph" / f.name).read_bytes(), f.name
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != PARTS]


def test_pdfs_read_in_threads_match_a_serial_read():
    """PDFium is not thread-safe: Dask task threads in one process must read PDFs through
    chars.PDFIUM_LOCK (unguarded, this crashes the process now and then)."""
    from concurrent.futures import ThreadPoolExecutor

    from extract import read_pdf

    pdfs = [str(p) for p in sample_pdfs()[:3]] * 3
    serial = [read_pdf(p).text for p in pdfs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda p: read_pdf(p).text, pdfs))
    assert threaded == serial
