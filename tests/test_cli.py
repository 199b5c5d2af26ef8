"""The command line follows conventions: --version, -h, OUT named alike everywhere, one
table exported in any format, --formats, failed files named, an empty folder refused."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, sample_pdfs


def cli(*args, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, **kw)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    shutil.copy(sample_pdfs()[0], folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nnothing else")
    out = tmp_path_factory.mktemp("out") / "o"
    r = cli("run", folder, "-o", out, "-w", "1", "--formats", "csv,xlsx", "--csv-bom")
    return r, out


def test_version_and_short_help():
    from extract import __version__
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"casemine {__version__}"
    for args in (["-h"], ["run", "-h"], ["export", "-h"]):
        assert cli(*args).returncode == 0
    assert "--corrections FILE" in " ".join(cli("run", "-h").stdout.split())


def test_run_names_failed_files_and_writes_only_the_formats_asked(run):
    r, out = run
    assert r.returncode == 1  # a file failed
    assert "broken.pdf" in r.stderr and "corrupt" in r.stderr
    assert (out / "documents.parquet").exists() and (out / "documents.csv").exists()
    assert (out / "casemine.xlsx").exists()
    assert not (out / "casemine.duckdb").exists() and not (out / "report").exists()
    assert (out / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "json"])
def test_export_one_table_in_each_format(run, tmp_path, fmt):
    _, out = run
    target = tmp_path / f"cases.{fmt}"
    r = cli("export", out, "--table", "cases", "--format", fmt, "--to", target)
    assert r.returncode == 0, r.stderr
    expected = pd.read_parquet(out / "cases.parquet")
    got = {"csv": lambda: pd.read_csv(target), "xlsx": lambda: pd.read_excel(target, sheet_name="cases"),
           "parquet": lambda: pd.read_parquet(target), "json": lambda: pd.DataFrame(json.loads(target.read_text()))}[fmt]()
    assert list(got.columns) == list(expected.columns) and len(got) == len(expected) >= 1
    assert got.condition.tolist() == expected.condition.tolist()
    # OUT may be given as an option too, as `run` takes it
    assert cli("export", "-o", out, "-t", "cases", "-f", fmt).returncode == 0
    assert (out / "export" / f"cases.{fmt}").exists()


def test_bad_requests_exit_2_with_one_line(run, tmp_path):
    _, out = run
    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("run", empty, "-o", tmp_path / "o")
    assert r.returncode == 2 and f"no PDFs found under {empty}" in " ".join(r.stderr.split())
    r = cli("export", out, "--table", "nothing")
    assert r.returncode == 2 and "no table 'nothing'" in r.stderr
    r = cli("export", out, "--table", "cases", "--format", "docx")
    assert r.returncode == 2 and "--format must be one of" in r.stderr
    r = cli("run", sample_pdfs()[0], "-o", tmp_path / "o2", "--formats", "csv,pdf")
    assert r.returncode == 2 and "unknown pdf" in r.stderr


def test_every_command_says_what_is_wrong_in_one_line_with_its_exit_code(run, tmp_path):
    """export and corrections follow the exit codes of `run`: 2 for a bad request, 3 when
    OUT is held by another run (and then nothing in OUT changes)."""
    from extract.run.cache import output_lock

    _, out = run
    missing = tmp_path / "no such run"
    fixes = tmp_path / "fixes.csv"
    fixes.write_text("doc_id,table,key,column,value,action\n0000000000000000,cases,0,sex,female,set\n")
    for args in (["export", missing, "--table", "cases"], ["corrections", "apply", missing, "--corrections", fixes],
                 ["corrections", "harvest", tmp_path / "none.xlsx"]):
        r = cli(*args)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.returncode == 2 and len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert not missing.exists()
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "lock"}
    with output_lock(out):  # another run is writing to OUT
        for args in (["export", out, "--table", "cases"], ["corrections", "apply", out, "--corrections", fixes]):
            r = cli(*args)
            assert r.returncode == 3 and "another casemine run" in r.stderr and "Traceback" not in r.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "lock"} == before
