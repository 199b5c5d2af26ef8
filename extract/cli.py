"""`casemine` command line: a thin layer over `extract.run` / `extract.load`.

Every option is checked before anything is read or written; whatever goes wrong is said
in one line, with an exit code: 0 ok, 1 some documents failed, 2 usage (a bad option or
argument), 3 the outputs could not be written (disk full, read-only, another run holds OUT).
"""
from __future__ import annotations

import logging
import os
import time
from contextlib import nullcontext
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extract.run.cache import Busy, output_lock, status as run_status
from extract.pdf.chars import DEFAULT_SOURCE, SOURCES
from extract.run.guards import Limits
from extract.run.pipeline import finish, load, run as run_corpus, write_extras
from extract.run.inputs import scan_inputs
from extract.outputs.corrections import CorrectionsError
from extract.outputs.writers import TABLE_FORMATS
from extract.stages import RunConfig
from extract.run.process import DocResult

app = typer.Typer(help="Biomedical case-report PDFs -> evidence tables and a citation graph.",
                  no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True)
FAILED, USAGE, CANNOT_WRITE = 1, 2, 3  # exit codes (0: ok)
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
MAX_LISTED = 20  # failed files named in the end-of-run summary
FORMATS = TABLE_FORMATS + ("xlsx", "report")
# OUT, the output folder, is named alike in every command: `run` takes it as -o/--out (its
# argument is the input); the others take it as their argument or as -o/--out
OUT_ARG = typer.Argument(None, metavar="OUT", show_default=False,
                         help="Output folder of an earlier run (default: outputs)")
OUT_OPT = typer.Option(None, "-o", "--out", metavar="OUT", show_default=False, help="The same, as an option")


def _out(arg: Path | None, opt: Path | None) -> Path:
    return opt or arg or Path("outputs")


def _version(value: bool) -> None:
    if value:
        from extract import __version__
        print(f"casemine {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Print the version and exit")) -> None:
    """Biomedical case-report PDFs -> evidence tables and a citation graph."""


def _fail(message: str, code: int) -> NoReturn:
    """One line on stderr, whatever the message holds, then exit with `code`."""
    console.print(" ".join(str(message).split()), style="red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _write_error(e: OSError, out: Path) -> str:
    where = e.filename or out
    return f"could not write {where}: {e.strerror or e}"


def _setup_logging(out_dir: Path | None, verbose: bool) -> None:
    """Library warnings (pdfminer, pdfplumber) go to the run's log file, not the terminal."""
    handlers: list[logging.Handler] = []
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(out_dir / "casemine.log", encoding="utf-8"))
    if verbose:
        handlers.append(logging.StreamHandler())
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=handlers or
                        [logging.NullHandler()], force=True)
    logging.captureWarnings(True)  # matplotlib's missing glyphs and the like: to the log, not the terminal
    logging.raiseExceptions = False  # a log line that cannot be written (disk full) prints no traceback
    for noisy in ("pdfminer", "pdfplumber"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@app.command()
def run(
    pdf_dir: Path = typer.Argument(..., metavar="INPUT", help="A file, or a folder searched recursively for "
                                   "PDFs, JATS/TEI XML (.xml, .nxml) and text (.txt)"),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", metavar="OUT", help="Output folder"),
    workers: int = typer.Option(CORES, "-w", "--workers", metavar="N",
                                help="Worker processes (default: all cores; more than the cores only "
                                "with --oversubscribe); each loads the models once"),
    oversubscribe: bool = typer.Option(False, help="Allow more --workers than cores"),
    scheduler: Optional[str] = typer.Option(None, metavar="ADDRESS", help="Run on Dask: 'local' (a "
                                            "LocalCluster of --workers processes) or a scheduler address "
                                            "tcp://HOST:PORT"),
    max_pages: int = typer.Option(2000, metavar="N", help="Skip (and record as an error) PDFs with more pages"),
    time_limit: float = typer.Option(300, metavar="SECONDS", help="Seconds per document before it is stopped "
                                     "and recorded (0: none)"),
    memory_limit: int = typer.Option(4096, metavar="MB", help="MB of memory one document may add to a worker, "
                                     "above what the worker holds once its models are loaded (0: none)"),
    protocol: Optional[list[Path]] = typer.Option(
        None, "--protocol", metavar="YAML", help="Review protocol YAML (repeatable, or a folder: each report "
        "takes the protocol it names most; one no report names leaves the general layer), or 'none' for "
        "generic extraction only; default models/protocols/calcinosis_cutis.yaml"),
    model: Optional[list[str]] = typer.Option(
        None, "--model", metavar="NAME", help="spaCy/scispaCy pipeline name or path for entity mentions "
        "(repeatable; 'shipped' = the project's own); replaces the shipped pipelines"),
    chars: str = typer.Option(DEFAULT_SOURCE, metavar="SOURCE", help="Character source: pdfium (fast) or "
                              "pdfplumber (the pure-Python reference); both read the same text"),
    report: bool = typer.Option(True, help="Write the HTML review report (OUT/report/index.html)"),
    excel: bool = typer.Option(True, help="Write every table but the NER mentions to OUT/casemine.xlsx"),
    formats: Optional[str] = typer.Option(
        None, "--formats", metavar="LIST", help="What to write, comma-separated, from: csv, duckdb, xlsx, report "
        "(Parquet is always written); default: all (--no-report/--no-excel drop one)"),
    csv_bom: bool = typer.Option(False, "--csv-bom", help="CSV in UTF-8 with a byte-order mark (Excel on Windows)"),
    corrections: Optional[Path] = typer.Option(
        None, "--corrections", metavar="FILE", help="The reviewer's corrections (.csv or .yaml, kept outside "
        "OUT), applied to every output; default: the file the last run into OUT used"),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Log to the terminal too"),
) -> None:
    """Process new or changed inputs under INPUT and write the tables to OUT (interrupted runs resume).

    Exit codes: 0 ok, 1 some documents failed, 2 usage, 3 outputs could not be written."""
    workers = _check_run_options(pdf_dir, out, workers, oversubscribe, scheduler, max_pages, time_limit,
                                 memory_limit, chars)
    if corrections is not None:
        _read_corrections_or_exit(corrections)
    wanted = _formats_or_exit(formats, report, excel)
    options: dict = {} if chars == DEFAULT_SOURCE else {"chars": chars}
    if protocol:
        _check_protocols(protocol)
        options["protocol"] = [str(p) for p in protocol]
    if model:
        _check_models(model)
        options["models"] = list(model)
    cfg = RunConfig(max_pages=max_pages, options=options,
                    corrections=str(corrections.absolute()) if corrections else None,
                    formats=tuple(f for f in wanted if f in TABLE_FORMATS), csv_bom=csv_bom)
    limits = Limits(seconds=time_limit or None, memory_mb=memory_limit or None)
    extras = tuple(name for name, fmt in (("excel", "xlsx"), ("report", "report")) if fmt in wanted)
    stats: dict = {"pages": 0, "failed": 0, "cached": 0, "plan": None}
    t0 = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[pps]:.1f} pages/s"), TextColumn("[red]{task.fields[failed]} failed"),
                  TimeElapsedColumn(), console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task("documents", total=None, pps=0.0, failed=0)

        def on_plan(plan) -> None:  # OUT is ours now: a refused run has written nothing
            _setup_logging(out, verbose)
            stats["cached"], stats["plan"] = plan.cached, plan
            progress.update(task, total=len(plan.todo))

        def on_result(res: DocResult) -> None:
            stats["pages"] += res.n_pages
            stats["failed"] += res.failed
            elapsed = max(time.perf_counter() - t0, 1e-6)
            progress.update(task, advance=1, pps=stats["pages"] / elapsed, failed=stats["failed"])

        def on_output(path: Path) -> None:  # the workbook and the report take a while
            progress.update(task, description=f"writing {path.name}")

        try:
            corpus = run_corpus(pdf_dir, out, cfg=cfg, on_result=on_result, on_plan=on_plan,
                                workers=workers, scheduler=scheduler, limits=limits, extras=extras,
                                on_output=on_output)
        except Busy as e:
            _fail(e, CANNOT_WRITE)
        except CorrectionsError as e:  # the file the last run used, since made unreadable
            _fail(e, USAGE)
        except OSError as e:  # disk full, read-only folder: the finished documents are kept
            _fail(_write_error(e, out), CANNOT_WRITE)
        except RuntimeError as e:  # the workers cannot start
            _fail(e, FAILED)
        except KeyboardInterrupt:
            console.print("[yellow]interrupted: finished documents are kept; run again to resume[/yellow]")
            raise typer.Exit(130)
    index = out / "report" / "index.html" if "report" in wanted else None
    _summary(corpus, time.perf_counter() - t0, out, index)
    _print_corrections(corpus)
    console.print(f"{stats['cached']} document(s) unchanged since the last run (cached)")
    _passed_over(stats["plan"])
    docs = corpus.documents
    if len(docs) and (docs["status"] == "error").any():
        raise typer.Exit(FAILED)


def _check_run_options(pdf_dir: Path, out: Path, workers: int, oversubscribe: bool, scheduler: str | None,
                       max_pages: int, time_limit: float, memory_limit: int, chars: str) -> int:
    """Every value of `casemine run` checked before anything is read or written; the
    number of workers to start (at most the cores, unless asked)."""
    if not pdf_dir.exists():
        _fail(f"no such file or folder: {pdf_dir}", USAGE)
    if out.exists() and not out.is_dir():
        _fail(f"-o {out} is a file, not a folder", USAGE)
    if not scan_inputs(pdf_dir, exclude=out).pdfs:
        _fail(f"no PDFs found under {pdf_dir} (nor .xml, .nxml or .txt inputs)", USAGE)
    for name, value, least in (("--workers", workers, 1), ("--max-pages", max_pages, 1),
                               ("--time-limit", time_limit, 0), ("--memory-limit", memory_limit, 0)):
        if value < least:
            _fail(f"{name} must be {'at least 1' if least else '0 (none) or more'}, not {value:g}", USAGE)
    if chars not in SOURCES:
        _fail(f"--chars must be one of {', '.join(SOURCES)}, not {chars!r}", USAGE)
    if scheduler is not None and scheduler != "local" and "://" not in scheduler:
        _fail(f"--scheduler must be 'local' or an address such as tcp://HOST:PORT, not {scheduler!r}", USAGE)
    if scheduler is None and workers > CORES and not oversubscribe:
        console.print(f"--workers {workers}: {CORES} core(s) here, so {CORES} workers "
                      "(--oversubscribe to start more)", markup=False, soft_wrap=True)
        return CORES
    return workers


def _check_protocols(protocol: list[Path]) -> None:
    from extract.nlp.protocols import load_protocols

    try:
        load_protocols([str(p) for p in protocol])  # a bad file stops here, with its error
    except Exception as e:  # ProtocolError, and whatever a binary or cyclic file provokes
        _fail(f"--protocol {' '.join(map(str, protocol))}: cannot be used "
              f"({e.__class__.__name__}: {str(e)[:300]})", USAGE)


def _check_models(model: list[str]) -> None:
    from extract.nlp.pipeline import UnknownModel, find_model

    for name in model:
        if not name.strip():
            _fail("--model needs a pipeline name or folder, not an empty value", USAGE)
        if Path(name).is_dir() and not (Path(name) / "config.cfg").is_file():
            _fail(f"--model {name}: a folder but not a spaCy pipeline (no config.cfg in it)", USAGE)
        try:
            find_model(name)
        except UnknownModel as e:
            _fail(e, USAGE)


def _passed_over(plan) -> None:
    """The inputs a run did not read as documents, one line each (also in errors.csv)."""
    if plan is None:
        return
    skipped = plan.inputs.skipped
    for path, why in skipped[:10]:
        console.print(f"skipped {path}: {why}", style="yellow", markup=False, soft_wrap=True)
    if len(skipped) > 10:
        console.print(f"... and {len(skipped) - 10} more skipped path(s), in errors.csv", style="yellow")
    for path, of in list(plan.duplicates.items())[:10]:
        console.print(f"duplicate {path}: the same file as {of} (documents.duplicate_paths)",
                      style="yellow", markup=False, soft_wrap=True)
    if len(plan.duplicates) > 10:
        console.print(f"... and {len(plan.duplicates) - 10} more duplicate(s)", style="yellow")


def _load_outputs(out: Path):
    """An earlier run's outputs, or a one-line error (exit 2) where OUT holds none."""
    if not ((out / "documents.parquet").is_file() or (out / "documents.csv").is_file()):
        _fail(f"no casemine outputs in {out} (casemine run PDF_DIR -o {out} writes them)", USAGE)
    return load(out)


def _rewrite(out: Path, write, lock: bool = True):
    """Rewrite an output of OUT under its run lock (`lock`: a file outside OUT needs none);
    one line if it cannot be written."""
    try:
        with output_lock(out) if lock else nullcontext():
            return write()
    except Busy as e:
        _fail(e, CANNOT_WRITE)
    except OSError as e:
        _fail(_write_error(e, out), CANNOT_WRITE)


@app.command()
def status(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """What OUT holds: documents done, cached, failed, waiting for a retry or still pending."""
    out = _out(out_arg, out_opt)
    st = run_status(out)
    if not st["version"]:
        _fail(f"no casemine run in {out}", USAGE)
    t = Table(title=f"casemine status: {out}", show_header=True)
    t.add_column("what")
    t.add_column("value", justify="right")
    state = "finished" if st["finished_at"] else "interrupted or running"
    rows = [("last run", f"{state} (started {st['planned_at']})"),
            ("PDFs in the folder at the last run", st["planned"]),
            ("done", st["ok"] + st["partial"] + st["failed"]),
            ("  ok", st["ok"]), ("  partial (a stage failed)", st["partial"]), ("  failed", st["failed"]),
            ("  cached (unchanged, not re-read)", st["cached"]),
            ("stopped by a guard (retried once the file or --time-limit / --memory-limit change)",
             st["retry"]), ("pending", st["pending"]),
            ("pages done", st["pages"]), ("pipeline version", st["version"])]
    if st["seconds"] is not None:
        rows.append(("run time (s)", f"{st['seconds']:.1f}"))
    for k, v in rows:
        t.add_row(k, str(v))
    Console().print(t)


def _summary(corpus, seconds: float, out: Path, index: Path | None = None) -> None:
    from extract.outputs.report import summary_rows

    t = Table(title="casemine run", show_header=True)
    t.add_column("what")
    t.add_column("count", justify="right")
    for what, n in summary_rows(corpus, seconds):
        t.add_row(what, str(n))
    console.print(t)
    console.print(f"tables written to [bold]{out}[/bold]")
    if index is not None:
        console.print(f"review report: [bold]{index}[/bold]")
    errors = corpus.tables.get("errors")
    if errors is not None and len(errors):
        console.print(f"[red]{len(errors)} error(s)[/red] — see {out / 'errors.csv'}")
        failed = errors[errors["stage"] != "input"]  # inputs passed over: listed by `_passed_over`
        for r in failed.head(MAX_LISTED).itertuples():
            console.print(f"  [red]{Path(str(r.path)).name}[/red]: {r.stage} {r.error_type}: {r.message}",
                          highlight=False)
        if len(failed) > MAX_LISTED:
            console.print(f"  ... and {len(failed) - MAX_LISTED} more")


@app.command()
def graph(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Rebuild works, the citation graph and its exports from earlier outputs (no PDFs read)."""
    out = _out(out_arg, out_opt)
    corpus = _load_outputs(out)
    tables = {k: v for k, v in corpus.tables.items() if not k.startswith("graph_") and k != "works"}
    corpus = _rewrite(out, lambda: finish(tables, out))
    works = corpus.tables.get("works")
    console.print(f"{0 if works is None else len(works)} works; graph files in [bold]{out / 'graph'}[/bold]")


@app.command()
def annotate(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """A copy of each PDF with every extracted span highlighted (OUT/annotated/)."""
    out = _out(out_arg, out_opt)
    from extract.outputs.located import annotate_pdfs
    from extract.run.cache import page_store

    corpus = _load_outputs(out)
    paths = _rewrite(out, lambda: annotate_pdfs(corpus, out, page_store(out)))
    console.print(f"{len(paths)} of {len(corpus.documents)} PDFs annotated in [bold]{out / 'annotated'}[/bold]")


@app.command("report")
def report_cmd(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Rewrite the HTML review report of an earlier run."""
    out = _out(out_arg, out_opt)
    corpus = _load_outputs(out)
    _rewrite(out, lambda: write_extras(corpus, out, ("report",)))
    console.print(f"review report: [bold]{out / 'report' / 'index.html'}[/bold]")


@app.command()
def show(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Print the documents table of an earlier run."""
    out = _out(out_arg, out_opt)
    corpus = _load_outputs(out)
    t = Table(show_header=True)
    for col in ("doc_id", "status", "n_pages", "year", "first_author", "title"):
        t.add_column(col)
    for _, r in corpus.documents.iterrows():
        t.add_row(*[("" if v is None or v != v else str(v))[:60] for v in
                    (r.doc_id, r.status, r.n_pages, r.year, r.first_author, r.title)])
    Console().print(t)


@app.command()
def export(
    out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT,
    table: str = typer.Option(..., "--table", "-t", metavar="TABLE", help="The table (see `casemine tables`)"),
    fmt: str = typer.Option("csv", "--format", "-f", metavar="FORMAT", help="csv | xlsx | parquet | json"),
    to: Optional[Path] = typer.Option(None, "--to", metavar="FILE", help="Where to write it "
                                      "(default: OUT/export/TABLE.FORMAT)"),
    csv_bom: bool = typer.Option(False, "--csv-bom", help="CSV in UTF-8 with a byte-order mark (Excel on Windows)"),
) -> None:
    """Write one table of an earlier run as CSV, Excel, Parquet or JSON."""
    from extract.outputs.export import FORMATS as EXPORT_FORMATS, export_table

    out = _out(out_arg, out_opt)
    if fmt not in EXPORT_FORMATS:
        _fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}", USAGE)
    corpus = _load_outputs(out)
    if table not in corpus.tables:
        _fail(f"no table {table!r} in {out}; tables: {', '.join(sorted(corpus.tables))}", USAGE)
    target = to or out / "export" / f"{table}.{fmt}"
    inside = out.resolve() in target.resolve().parents  # written into OUT: under its lock, as a run writes
    path = _rewrite(out, lambda: export_table(corpus[table], table, fmt, target, csv_bom), lock=inside)
    console.print(f"{len(corpus[table])} rows of {table} written to [bold]{path}[/bold]")


@app.command()
def tables(
    table: Optional[str] = typer.Argument(None, metavar="TABLE", help="One table (default: all)"),
    markdown: bool = typer.Option(False, "--markdown", help="Print docs/tables.md (the whole dictionary)"),
) -> None:
    """The data dictionary: every output table and column, with its type and meaning."""
    from extract.outputs.dictionary import TABLES, dictionary
    from extract.outputs.dictionary import markdown as as_markdown

    if markdown:
        print(as_markdown(), end="")
        return
    if table is not None and table not in TABLES:
        _fail(f"no table {table!r}; tables: {', '.join(TABLES)}", USAGE)
    d = dictionary()
    for name in [table] if table else TABLES:
        t = Table(title=f"{name}: {TABLES[name]}", show_header=True, title_justify="left")
        for col in ("column", "type", "description"):
            t.add_column(col)
        for r in d[d.table == name].itertuples():
            t.add_row(r.column, r.type, r.description)
        Console().print(t)


def _formats_or_exit(formats: str | None, report: bool, excel: bool) -> tuple[str, ...]:
    if formats is None:
        return tuple(f for f in FORMATS if (f != "report" or report) and (f != "xlsx" or excel))
    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in FORMATS + ("parquet",)]
    if bad:
        _fail(f"--formats: unknown {', '.join(bad)} (choose from {', '.join(FORMATS)})", USAGE)
    return wanted


corrections_app = typer.Typer(help="The reviewer's corrections file: apply it to OUT, or harvest it from "
                               "the workbook.", no_args_is_help=True,
                               context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(corrections_app, name="corrections")


def _read_corrections_or_exit(path: Path):
    from extract.outputs.corrections import read_corrections
    try:
        return read_corrections(path)
    except CorrectionsError as e:
        _fail(e, USAGE)
    except Exception as e:  # whatever a binary or malformed file provokes in the CSV/YAML parser
        _fail(f"{path}: not a corrections file ({e.__class__.__name__}: {str(e)[:300]})", USAGE)


def _print_corrections(corpus) -> None:
    from extract.outputs.corrections import summary
    counts = summary(corpus.tables)
    if counts:
        console.print("corrections: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    for w in corpus.warnings:
        console.print(f"[yellow]{w}[/yellow]")


@corrections_app.command("apply")
def corrections_apply(
    out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT,
    corrections: Path = typer.Option(..., "--corrections", metavar="FILE", help="The corrections file"),
) -> None:
    """Apply a corrections file to OUT's tables, workbook and report (no PDFs read)."""
    out = _out(out_arg, out_opt)
    _read_corrections_or_exit(corrections)
    tables = _load_outputs(out).tables
    extras = ("excel", "report") if (out / "report").is_dir() else ("excel",)

    def write():
        corpus = finish(tables, out, str(corrections.absolute()))
        write_extras(corpus, out, extras)
        return corpus

    _print_corrections(_rewrite(out, write))


@corrections_app.command("harvest")
def corrections_harvest(
    workbook: Path = typer.Argument(..., metavar="WORKBOOK", help="OUT/casemine.xlsx, edited by the reviewer"),
    to: Optional[Path] = typer.Option(None, "--to", metavar="FILE", help="Corrections file to add the rows to "
                                      "(created if missing); default: print them as CSV"),
    out: Optional[Path] = typer.Option(None, "-o", "--out", metavar="OUT",
                                       help="Output folder the workbook came from (default: its folder)"),
    reviewer: Optional[str] = typer.Option(None, metavar="NAME", help="Who made the edits"),
) -> None:
    """Turn edits made in the workbook's cases and treatments sheets into correction rows."""
    import sys

    import pandas as pd

    from extract.outputs.corrections import harvest, write_corrections

    if not workbook.is_file():
        _fail(f"no workbook at {workbook}", USAGE)
    tables = _load_outputs(out or workbook.parent).tables
    try:
        rows = harvest(workbook, tables, reviewer)
    except Exception as e:  # not a workbook (a zip, an xlsx) at all
        _fail(f"{workbook}: not a casemine workbook ({e.__class__.__name__}: {str(e)[:300]})", USAGE)
    if to is None:
        rows.to_csv(sys.stdout, index=False)
        return
    if to.exists():
        old = _read_corrections_or_exit(to)
        rows = pd.concat([old, rows], ignore_index=True).drop_duplicates(
            subset=["doc_id", "table", "key", "column", "value", "action"], keep="first")
        said = f"{len(rows) - len(old)} new correction(s) added to [bold]{to}[/bold]"
    else:
        said = f"{len(rows)} correction(s) written to [bold]{to}[/bold]"
    _rewrite(to.parent, lambda: write_corrections(rows, to), lock=False)
    console.print(said)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
