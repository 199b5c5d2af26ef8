"""Robustness as a new user and an attacker try it: one bad row never takes down an output,
no cell of a PDF's text runs as a formula, every skipped input is said, the same file
under two names is one document, rotated pages read, options are checked up front with
one-line errors and exit codes, and a full disk loses nothing."""
from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import ROOT, sample_pdfs
from test_hostile import page_objs, raw_pdf
import extract
from extract.cli import app
from extract.pdf.chars import SOURCES, IngestError
from extract.run.cache import PARTS, Cache
from extract.run.guards import Limits
from extract.run.pipeline import collect, finish
from extract.run.process import process_document
from extract.run.workers import guard_failure, map_documents
from extract.stages import RunConfig

HOSTILE_TEXT = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture(autouse=True)
def _pinned_version(monkeypatch):
    monkeypatch.setenv("CASEMINE_PIPELINE_VERSION", "test-robustness")


def _one_pdf(folder: Path, name: str = "case.pdf", i: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(sample_pdfs()[i], folder / name))


# -- 1: a row without a doc_id --------------------------------------------------------------

def test_an_error_row_without_doc_id_never_takes_down_the_report(tmp_path):
    from extract.outputs.report import write_report

    gone = tmp_path / "deleted before it was read.pdf"
    tables = collect([process_document(sample_pdfs()[0]), process_document(gone)], tmp_path, RunConfig())
    corpus = finish(tables, tmp_path)
    assert corpus.documents.doc_id.isna().sum() == 1 and corpus.errors.doc_id.isna().sum() == 1
    index = write_report(corpus, tmp_path)
    assert str(gone.name) in index.read_text() or "unreadable" in index.read_text()
    assert len(list((tmp_path / "report" / "docs").glob("*.html"))) == 1


# -- 2: formula injection --------------------------------------------------------------------

def _pdf_with_hostile_metadata(path: Path) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setTitle(HOSTILE_TEXT[0])
    c.setAuthor(HOSTILE_TEXT[1])
    c.setSubject(HOSTILE_TEXT[2])
    c.setKeywords(HOSTILE_TEXT[3])
    for i, line in enumerate(HOSTILE_TEXT * 3 + ["A case report: the patient was treated with prednisolone."] * 20):
        c.drawString(72, 720 - 14 * i, line)
    c.save()


def test_no_cell_of_the_workbook_is_a_formula_and_csv_cells_are_neutralised(tmp_path):
    from openpyxl import load_workbook

    from extract.outputs.excel import write_workbook

    (tmp_path / "in").mkdir()
    _pdf_with_hostile_metadata(tmp_path / "in" / "x.pdf")
    out = tmp_path / "out"
    corpus = extract.run(tmp_path / "in", out)
    write_workbook(corpus.tables, out / "casemine.xlsx")
    hostile_cells = 0
    for ws in load_workbook(out / "casemine.xlsx").worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                hostile_cells += isinstance(c.value, str) and c.value.startswith("=")
    assert hostile_cells >= 1  # the hostile text is there, as text
    starts = ("=", "+", "-", "@", "\t", "\r")
    for f in out.glob("*.csv"):
        with open(f, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                assert not any(cell.startswith(starts) for cell in row), (f.name, row)
    title = corpus.documents.title.iloc[0]
    assert pd.read_csv(out / "documents.csv").title.iloc[0] == ("'" + title if title.startswith(starts) else title)


# -- 8, 9, 12: inputs ------------------------------------------------------------------------

def test_every_skipped_input_is_an_error_row_and_out_is_never_input(tmp_path):
    folder, elsewhere, out = tmp_path / "in", tmp_path / "elsewhere", tmp_path / "in" / "out"
    _one_pdf(folder, "a.pdf", 0)
    _one_pdf(elsewhere, "b.pdf", 1)
    (folder / "linked").symlink_to(elsewhere)            # a symlinked folder: followed
    (folder / "twice").symlink_to(elsewhere)             # the same folder again: read once
    _one_pdf(folder / "sub", "c.pdf", 3)
    (folder / "a link to sub").symlink_to(folder / "sub")  # first in order, but the folder is read
    (folder / "loop").symlink_to(folder)                 # a loop
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")  # dangling
    (folder / "self.pdf").symlink_to(folder / "self.pdf")       # a link to itself
    _one_pdf(out / "annotated", "a.pdf", 2)              # an earlier run's output inside PDF_DIR
    corpus = extract.run(folder, out)
    assert sorted(Path(p).name for p in corpus.documents.path) == ["a.pdf", "b.pdf", "c.pdf"]
    assert str(folder / "sub" / "c.pdf") in set(corpus.documents.path)
    assert str(folder / "linked" / "b.pdf") in set(corpus.documents.path)
    skipped = corpus.errors[corpus.errors.stage == "input"].set_index("path").message.to_dict()
    assert set(skipped) == {str(folder / n) for n in ("twice", "loop", "gone.pdf", "self.pdf", "a link to sub")}
    assert "dangling" in skipped[str(folder / "gone.pdf")] and "loop" in skipped[str(folder / "loop")]
    assert "loop" in skipped[str(folder / "self.pdf")] and "already read" in skipped[str(folder / "twice")]


def test_the_same_file_under_two_names_is_one_document(tmp_path):
    folder = tmp_path / "in"
    first = _one_pdf(folder, "a.pdf", 0)
    copy = _one_pdf(folder, "copy of a.pdf", 0)
    alone = extract.run(first, None)
    for corpus in (extract.run(folder, tmp_path / "out"), extract.run(folder, None)):
        docs = corpus.documents
        assert len(docs) == 1 and docs.path.iloc[0] == str(first)
        assert list(docs.duplicate_paths.iloc[0]) == [str(copy)]
        for name in ("sections", "treatments", "references", "timings"):
            assert len(corpus.tables[name]) == len(alone.tables[name]) > 0, name
        assert (corpus.works.times_cited_in_corpus.fillna(0) <= 1).all()


def test_paths_are_resolved_before_cache_keys(tmp_path):
    folder = tmp_path / "in"
    _one_pdf(folder)
    plans = []
    extract.run(folder, tmp_path / "out", on_plan=plans.append)
    again = extract.run(tmp_path / "in" / ".." / "in", tmp_path / "out", on_plan=plans.append)
    assert plans[1].todo == [] and again.unchanged


def test_library_warnings_go_to_the_log_not_the_terminal(tmp_path, capfd):
    """A CJK author name has no glyph in matplotlib's font: its warnings belong in casemine.log."""
    import logging
    import warnings

    from extract.cli import _setup_logging
    from extract.outputs.report import write_report

    corpus = extract.run(sample_pdfs()[0], None)
    corpus.tables["documents"]["first_author"] = "王小明"
    corpus.tables["documents"]["authors"] = [["王小明"]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")  # whatever filters earlier imports left
            _setup_logging(tmp_path, False)
            write_report(corpus, tmp_path, page_images=False)
    finally:
        logging.captureWarnings(False)
        logging.shutdown()
    assert "Glyph" not in capfd.readouterr().err
    assert "Glyph" in (tmp_path / "casemine.log").read_text()


# -- 6: rotated pages, empty pages -----------------------------------------------------------

@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_pages_read_upright(tmp_path, rotation, source):
    pdf = tmp_path / f"rotated_{rotation}.pdf"
    pdf.write_bytes(raw_pdf(page_objs(page_extra=b"/Rotate %d" % rotation)))
    text = extract.read_pdf(pdf, chars=source).text
    assert "Line 0 of a case report: the patient was treated with prednisolone." in text


def test_a_zero_size_mediabox_is_corrupt(tmp_path):
    pdf = tmp_path / "zero.pdf"
    pdf.write_bytes(raw_pdf(page_objs(media=b"[0 0 0 0]")))
    with pytest.raises(IngestError) as e:
        extract.read_pdf(pdf)
    assert e.value.error_type == "corrupt"


# -- 7, 11: guards ---------------------------------------------------------------------------

def _long_pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        for j in range(40):
            c.drawString(60, 760 - 14 * j, f"Page {i + 1}, line {j + 1} of a long review; the cohort was followed.")
        c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("source", SOURCES)
def test_reading_memory_is_bounded_by_a_page_not_the_document(tmp_path, source):
    """Each page's layout objects are released once it is read: four times the pages, about
    the same peak (the Document's own text and lines aside)."""
    import tracemalloc

    extract.read_pdf(_long_pdf(tmp_path / "warm.pdf", 1), chars=source)  # imports and caches
    peaks = []
    for pages in (4, 16):
        pdf = _long_pdf(tmp_path / f"{pages}.pdf", pages)
        tracemalloc.start()
        extract.read_pdf(pdf, chars=source)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0], [p >> 20 for p in peaks]


def test_memory_limit_counts_the_document_not_the_loaded_models(tmp_path):
    """The worker holds a few hundred MB once its models are loaded; a 150 MB limit is about
    the document, which needs far less."""
    res = list(map_documents([sample_pdfs()[0]], RunConfig(), workers=1, limits=Limits(memory_mb=150)))
    assert not res[0].failed, res[0].records.get("errors")


def test_a_guard_stopped_document_waits_for_a_new_file_or_new_limits(tmp_path):
    pdf = _one_pdf(tmp_path / "in")
    out, limits = tmp_path / "out", Limits(seconds=5)
    with Cache(out, RunConfig(), limits) as cache:
        plan = cache.plan([pdf])
        assert plan.todo == [str(pdf)]
        cache.store(plan.keys[str(pdf)], guard_failure(str(pdf), "timeout", "stopped after 5 s (time limit)"))
    with Cache(out, RunConfig(), limits) as cache:
        assert cache.plan([pdf]).todo == []  # same file, same limits: it would stop again
    with Cache(out, RunConfig(), Limits(seconds=50)) as cache:
        assert cache.plan([pdf]).todo == [str(pdf)]  # more time: tried again
    with open(pdf, "ab") as f:
        f.write(b"\n%")
    with Cache(out, RunConfig(), limits) as cache:
        assert cache.plan([pdf]).todo == [str(pdf)]  # a new file: tried again


# -- 4, 5, 10: the command line ---------------------------------------------------------------

def _cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def _one_line(result) -> str:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output[-2000:]
    return lines[0]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    _one_pdf(root / "in")
    (root / "a file").write_text("not a folder")
    (root / "binary.yaml").write_bytes(bytes(range(256)) * 8)
    (root / "cyclic.yaml").write_text("name: cyclic\ncondition: cyclic\ninclude: [cyclic.yaml]\n")
    (root / "not a pipeline").mkdir()
    return root


@pytest.mark.parametrize("args, says", [
    (["-w", "0"], "--workers"), (["-w", "-3"], "--workers"), (["--max-pages", "-1"], "--max-pages"),
    (["--time-limit", "-1"], "--time-limit"), (["--memory-limit", "-5"], "--memory-limit"),
    (["--protocol", "{root}/binary.yaml"], "--protocol"), (["--protocol", "{root}/cyclic.yaml"], "--protocol"),
    (["--model", ""], "--model"), (["--model", "{root}/not a pipeline"], "--model"),
    (["--scheduler", "nonsense"], "--scheduler"), (["-o", "{root}/a file"], "a file"),
])
def test_a_bad_run_option_is_one_line_and_exit_2_before_anything_is_written(bad_files, args, says):
    out = bad_files / "out"
    args = [a.format(root=bad_files) for a in args]
    result = _cli("run", bad_files / "in", *(["-o", out] if "-o" not in args else []), *args)
    assert result.exit_code == 2 and says in _one_line(result)
    assert not out.exists()


@pytest.mark.parametrize("command", ["show", "graph", "report", "annotate", "status"])
def test_commands_on_a_missing_output_folder_are_one_line_and_exit_2(tmp_path, command):
    result = _cli(command, tmp_path / "no such run")
    assert result.exit_code == 2 and str(tmp_path / "no such run") in _one_line(result)
    assert not (tmp_path / "no such run").exists()


def test_workers_are_capped_at_the_cores_unless_asked(tmp_path, monkeypatch):
    from extract import cli

    seen = []

    def fake_run(*a, workers, **kw):
        seen.append(workers)
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_corpus", fake_run)
    folder = tmp_path / "in"
    _one_pdf(folder)
    many = cli.CORES + 6
    _cli("run", folder, "-o", tmp_path / "out", "-w", many)
    _cli("run", folder, "-o", tmp_path / "out", "-w", many, "--oversubscribe")
    assert seen == [cli.CORES, many]


def test_a_refused_second_run_touches_nothing(tmp_path):
    folder = tmp_path / "in"
    _one_pdf(folder)
    out = tmp_path / "out"
    (out / PARTS).mkdir(parents=True)
    (out / PARTS / "lock").touch()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    with Cache(out, RunConfig()):  # another run
        result = _cli("run", folder, "-o", out)
    assert result.exit_code == 3 and "another casemine run" in _one_line(result)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_the_lock_is_held_while_the_workbook_and_report_are_written(tmp_path, monkeypatch):
    from extract.outputs import excel
    from extract.run.cache import Busy, output_lock

    folder = tmp_path / "in"
    _one_pdf(folder)
    refused = []
    write = excel.write_workbook

    def check_lock(tables, path, *store):
        try:
            with output_lock(tmp_path / "out"):
                pass
        except Busy:
            refused.append(path)
        return write(tables, path, *store)

    monkeypatch.setattr(excel, "write_workbook", check_lock)
    extract.run(folder, tmp_path / "out", extras=("excel", "report"))
    assert refused == [tmp_path / "out" / "casemine.xlsx"]
    assert (tmp_path / "out" / "report" / "index.html").exists()


def _limit_file_size(nbytes: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))


def test_a_full_disk_is_one_line_exit_3_and_loses_nothing(tmp_path):
    """Files over 1 MB cannot be written (as on a full disk): the DuckDB file fails. The
    run says so in one line with exit code 3, leaves the earlier database as it was and
    no stray file, and the next run repairs everything."""
    folder, out = tmp_path / "in", tmp_path / "out"
    _one_pdf(folder, "a.pdf", 0)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "extract.cli", "run", str(folder), "-o", str(out), "-w", "1", "--no-report"]
    first = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    db = (out / "casemine.duckdb").read_bytes()
    _one_pdf(folder, "b.pdf", 1)
    full = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          preexec_fn=_limit_file_size(1 << 20))
    lines = [ln for ln in full.stderr.splitlines() if ln.strip()]
    assert full.returncode == 3 and len(lines) == 1 and "Traceback" not in full.stderr, full.stderr[-3000:]
    assert "could not write" in lines[0] and "casemine.duckdb" in lines[0]
    assert (out / "casemine.duckdb").read_bytes() == db
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != PARTS]
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    import duckdb
    with duckdb.connect(str(out / "casemine.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
