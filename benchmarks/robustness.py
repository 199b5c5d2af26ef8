"""Robustness: the hostile-input suite through the command line, kill -9 at five points of a
run then a resumed run, the peak memory of reading a generated 1,000-page PDF, and that of
the full pipeline on a 200-page one (and half of it), extended to 1,000 pages.

    PYTHONPATH=$PWD python benchmarks/robustness.py [--pages 1000] [--pipeline-pages 200]
                                                    [--skip-hostile] [--skip-kill]

Prints one table: inputs tried, error rows, tracebacks, good rows identical to the same
PDFs run alone, resumed outputs identical to an uninterrupted run (per kill point), and
peak resident memory. Targets: every row yes, 0 tracebacks, 1,000 pages under 1 GB.
The fixtures are generated here (tests/test_hostile.py's writer), nothing from ../shared.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import sample_pdfs  # noqa: E402
from test_hostile import GOOD_NAMES, make_hostile, page_objs, raw_pdf  # noqa: E402
from test_scale import KILL_AT  # noqa: E402

import extract  # noqa: E402

ENV = dict(os.environ, PYTHONPATH=str(ROOT), CASEMINE_PIPELINE_VERSION="benchmark-robustness")
PER_DOC = ("sections", "references", "citations", "timings", "markers", "mentions", "treatments")
KILL_POINTS = {  # where the run is killed: the Nth call of MODULE:QUALNAME
    "documents": "extract.run.cache:Cache.store:2",
    "DuckDB write": "extract.outputs.tablefiles:_write_duckdb:1",
    "workbook": "openpyxl:Workbook.save:1",
    "report": "extract.outputs.report:_doc_page:2",
    "graph": "extract.citations.exports:write_pajek:1",
}


def cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extract.cli", *map(str, args)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=1800, **kw)


def hostile_folder(root: Path) -> tuple[Path, list[str]]:
    """make_hostile's files, the issue's new cases (rotations, zero MediaBox, formula
    metadata, links, a duplicate, an output folder inside), and good PDFs with odd names."""
    from reportlab.pdfgen import canvas

    folder = root / "in"
    (folder / "sub dir").mkdir(parents=True)
    make_hostile(folder, root / "pwned")
    for rot in (90, 180, 270):
        (folder / f"rotated_{rot}.pdf").write_bytes(raw_pdf(page_objs(page_extra=b"/Rotate %d" % rot)))
    (folder / "zero_mediabox.pdf").write_bytes(raw_pdf(page_objs(media=b"[0 0 0 0]")))
    c = canvas.Canvas(str(folder / "formula_metadata.pdf"))
    c.setTitle("=cmd|' /C calc'!A0")
    c.setAuthor("@SUM(A1:A9)")
    for i in range(25):
        c.drawString(72, 720 - 14 * i, f"+{i} line of a case report: the patient was treated with prednisolone.")
    c.save()
    (folder / "dangling.pdf").symlink_to(root / "nowhere.pdf")
    (folder / "loop").symlink_to(folder)
    (folder / "linked sub").symlink_to(folder / "sub dir")
    good = []
    for src, name in zip(sample_pdfs(), GOOD_NAMES):
        dest = (folder / "sub dir" if name.startswith("-") else folder) / name
        shutil.copy(src, dest)
        good.append(str(dest))
    shutil.copy(sample_pdfs()[0], folder / "duplicate.pdf")
    return folder, good


def same_rows(a: dict, b: dict, ids: set) -> bool:
    for name in PER_DOC:
        x, y = (t[name][t[name].doc_id.isin(ids)].drop(columns="work_id", errors="ignore")
                .sort_values(["doc_id"], kind="stable").reset_index(drop=True) for t in (a, b))
        if not x.equals(y):
            return False
    return True


def hostile(root: Path) -> dict:
    folder, good = hostile_folder(root)
    out = folder / "out"  # inside PDF_DIR: it must never be read as input
    tried = sum(1 for _ in folder.rglob("*"))
    t0 = time.perf_counter()
    runs = [cli("run", folder, "-o", out, "-w", 2, "--max-pages", 500, "--time-limit", 120,
                "--memory-limit", 800) for _ in range(2)]  # the second run: everything cached
    corpus = extract.load(out)
    alone = extract.run(folder / "sub dir", None).tables
    alone_top = extract.run([p for p in good if "sub dir" not in p][0], None).tables
    ids = set(alone["documents"].doc_id) | set(alone_top["documents"].doc_id)
    identical = same_rows(corpus.tables, alone, set(alone["documents"].doc_id)) and \
        same_rows(corpus.tables, alone_top, set(alone_top["documents"].doc_id))
    return {"inputs tried": tried, "documents": len(corpus.documents), "error rows": len(corpus.errors),
            "exit codes": "/".join(str(r.returncode) for r in runs),
            "tracebacks": sum(r.stderr.count("Traceback") for r in runs),
            "good rows identical": "yes" if identical and ids <= set(corpus.documents.doc_id) else "no",
            "OUT read as input": "yes" if corpus.documents.path.str.startswith(str(out)).any() else "no",
            "hostile run (s)": f"{time.perf_counter() - t0:.0f}"}


def outputs_of(out: Path) -> dict:
    """Everything a run leaves that must not depend on its being interrupted."""
    got = {f"{p.stem}.parquet": pd.read_parquet(p) for p in sorted(out.glob("*.parquet"))}
    got["casemine.xlsx"] = pd.read_excel(out / "casemine.xlsx", sheet_name=None)
    got["graph/"] = {p.name: p.read_bytes() for p in sorted((out / "graph").iterdir())}
    got["report/"] = sorted(p.relative_to(out).as_posix() for p in (out / "report").rglob("*"))
    got["report/docs"] = {p.name: p.read_bytes() for p in sorted((out / "report" / "docs").iterdir())}
    import duckdb
    with duckdb.connect(str(out / "casemine.duckdb"), read_only=True) as con:
        got["casemine.duckdb"] = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                                  for (t,) in con.execute("SHOW TABLES").fetchall()}
    return got


def same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def kills(root: Path) -> dict:
    folder = root / "in"
    folder.mkdir()
    for pdf in sample_pdfs()[:3]:
        shutil.copy(pdf, folder / pdf.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    args = ["-w", 1]
    assert cli("run", folder, "-o", root / "whole", *args).returncode == 1  # broken.pdf fails
    whole = outputs_of(root / "whole")
    rows = {}
    for what, point in KILL_POINTS.items():
        out = root / what.replace(" ", "_")
        killed = subprocess.run([sys.executable, "-c", KILL_AT, *point.split(":"), "run", str(folder), "-o", str(out),
                                 *map(str, args)], cwd=ROOT, env=ENV, capture_output=True, text=True,
                                start_new_session=True, timeout=1800)
        resumed = cli("run", folder, "-o", out, *args)
        ok = killed.returncode == -signal.SIGKILL and resumed.returncode == 1 and same(outputs_of(out), whole)
        rows[f"kill -9 during {what}: resumed outputs identical"] = "yes" if ok else "no"
    return rows


def long_pdf(path: Path, pages: int) -> Path:
    """A generated PDF of `pages` pages of prose (25 lines a page)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        for j in range(25):
            c.drawString(60, 760 - 14 * j, f"Page {i + 1}, line {j + 1} of a long clinical review; the "
                                           f"cohort was followed for {j + 3} months.")
        c.showPage()
    c.save()
    return path


def peak(pdf: Path, code: str) -> tuple[int, float, float]:
    """(pages, peak resident MB, seconds) of `code` on `pdf` in a fresh process."""
    code = ("import resource, sys, time; import extract; t = time.perf_counter(); " + code +
            "; print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, time.perf_counter() - t)")
    r = subprocess.run([sys.executable, "-c", code, str(pdf)], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=3600)
    if r.returncode:
        raise SystemExit(f"{pdf.name}: {(r.stderr.strip().splitlines() or ['exit %d' % r.returncode])[-1]}")
    n, mb, seconds = r.stdout.split()[-3:]
    return int(n), float(mb), float(seconds)


def memory(root: Path, pages: int) -> dict:
    """Peak resident memory of reading a generated PDF of `pages` pages (ingest and layout,
    the per-page part of the work), in a fresh process."""
    n, mb, seconds = peak(long_pdf(root / f"pages_{pages}.pdf", pages),
                          "n = extract.read_pdf(sys.argv[1], max_pages=100000).n_pages")
    return {f"peak memory reading {n} pages (MB)": f"{mb:.0f}",
            f"read {n} pages (s)": f"{seconds:.0f}",
            f"{n} pages under 1 GB": "yes" if mb < 1024 else "no"}


def pipeline_memory(root: Path, pages: int, target: int) -> dict:
    """Peak resident memory of every stage (`process_document`: reading, sections, NLP,
    citations, evidence) on generated PDFs of `pages // 2` and `pages` pages, and the
    straight line through the two extended to `target` pages (the full run of `target`
    pages takes about a second a page)."""
    code = ("from extract.run.process import process_document; from extract.stages import RunConfig; "
            "r = process_document(sys.argv[1], RunConfig(max_pages=100000)); "
            "assert not r.failed and \"errors\" not in r.records, r.records.get(\"errors\"); n = r.n_pages")
    runs = [peak(long_pdf(root / f"full_{p}.pdf", p), code) for p in (max(1, pages // 2), pages)]
    (n0, mb0, _), (n1, mb1, seconds) = runs
    at_target = mb1 + (mb1 - mb0) / max(1, n1 - n0) * (target - n1)
    rows = {f"full pipeline peak memory, {n0} pages (MB)": f"{mb0:.0f}",
            f"full pipeline peak memory, {n1} pages (MB)": f"{mb1:.0f}",
            f"full pipeline {n1} pages (s)": f"{seconds:.0f}"}
    if target > n1:
        rows[f"full pipeline {target} pages, extrapolated (MB)"] = f"{at_target:.0f}"
    rows[f"full pipeline {max(target, n1)} pages under 1 GB"] = "yes" if max(at_target, mb1) < 1024 else "no"
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000, help="pages of the generated PDF")
    ap.add_argument("--pipeline-pages", type=int, default=200,
                    help="pages of the PDF run through every stage (0: skip); extrapolated to --pages")
    ap.add_argument("--skip-hostile", action="store_true")
    ap.add_argument("--skip-kill", action="store_true")
    a = ap.parse_args()
    rows: dict = {}
    with tempfile.TemporaryDirectory(prefix="casemine-robustness-") as tmp:
        root = Path(tmp)
        if not a.skip_hostile:
            (root / "hostile").mkdir()
            rows.update(hostile(root / "hostile"))
        if not a.skip_kill:
            (root / "kill").mkdir()
            rows.update(kills(root / "kill"))
        rows.update(memory(root, a.pages))
        if a.pipeline_pages:
            rows.update(pipeline_memory(root, a.pipeline_pages, a.pages))
    width = max(map(len, rows))
    print(f"{'what':<{width}}  value")
    for k, v in rows.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
