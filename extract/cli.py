"""`casemine` command line: a thin layer over `extract.run` / `extract.load`."""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extract.run.cache import status as run_status
from extract.pdf.chars import DEFAULT_SOURCE, SOURCES
from extract.run.guards import Limits
from extract.run.pipeline import find_pdfs, finish, load, run as run_corpus
from extract.outputs.writers import TABLE_FORMATS
from extract.stages import RunConfig

MAX_LISTED = 20  # failed files named in the end-of-run summary
FORMATS = TABLE_FORMATS + ("xlsx", "report")
from extract.run.process import DocResult

app = typer.Typer(help="Biomedical case-report PDFs -> evidence tables and a citation graph.",
                  no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})
console = Console(stderr=True)
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
    for noisy in ("pdfminer", "pdfplumber"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@app.command()
def run(
    pdf_dir: Path = typer.Argument(..., metavar="INPUT", help="A file, or a folder searched recursively for "
                                   "PDFs, JATS/TEI XML (.xml, .nxml) and text (.txt)"),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", metavar="OUT", help="Output folder"),
    workers: int = typer.Option(os.cpu_count() or 1, "-w", "--workers", metavar="N",
                                help="Worker processes (default: all cores); each loads the models once"),
    scheduler: Optional[str] = typer.Option(None, metavar="ADDRESS", help="Run on Dask: 'local' (a LocalCluster of --workers "
                                            "processes) or a scheduler address tcp://HOST:PORT"),
    max_pages: int = typer.Option(2000, metavar="N", help="Skip (and record as an error) PDFs with more pages"),
    time_limit: float = typer.Option(300, metavar="SECONDS", help="Seconds per document before it is stopped and recorded "
                                     "(0: none)"),
    memory_limit: int = typer.Option(4096, metavar="MB", help="MB of memory a worker may use on one document (0: none)"),
    protocol: Optional[list[Path]] = typer.Option(
        None, "--protocol", metavar="YAML", help="Review protocol YAML (repeatable, or a folder: each report takes the "
        "protocol it names most); default models/protocols/calcinosis_cutis.yaml"),
    model: Optional[list[str]] = typer.Option(
        None, "--model", metavar="NAME", help="spaCy/scispaCy pipeline name or path for entity mentions (repeatable; "
        "'shipped' = the project's own); replaces the shipped pipelines"),
    chars: str = typer.Option(DEFAULT_SOURCE, metavar="SOURCE", help="Character source: pdfium (fast) or pdfplumber (the "
                              "pure-Python reference); both read the same text"),
    report: bool = typer.Option(True, help="Write the HTML review report (OUT/report/index.html)"),
    excel: bool = typer.Option(True, help="Write every table to OUT/casemine.xlsx"),
    formats: Optional[str] = typer.Option(
        None, "--formats", metavar="LIST", help="What to write, comma-separated, from: csv, duckdb, xlsx, report "
        "(Parquet is always written); default: all (--no-report/--no-excel drop one)"),
    csv_bom: bool = typer.Option(False, "--csv-bom", help="CSV in UTF-8 with a byte-order mark (Excel on Windows)"),
    corrections: Optional[Path] = typer.Option(
        None, "--corrections", metavar="FILE", help="The reviewer's corrections (.csv or .yaml, kept outside "
        "OUT), applied to every output; default: the file the last run into OUT used"),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Log to the terminal too"),
) -> None:
    """Process new or changed inputs under INPUT and write the tables to OUT (interrupted runs resume)."""
    _setup_logging(out, verbose)
    if corrections is not None:
        _read_corrections_or_exit(corrections)
    wanted = _formats_or_exit(formats, report, excel)
    try:
        found = find_pdfs(pdf_dir)
    except FileNotFoundError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    if not found:
        console.print(f"[red]no PDFs found under {pdf_dir} (nor .xml, .nxml or .txt inputs)[/red]")
        raise typer.Exit(2)
    if chars not in SOURCES:
        console.print(f"[red]--chars must be one of {', '.join(SOURCES)}[/red]")
        raise typer.Exit(2)
    options: dict = {} if chars == DEFAULT_SOURCE else {"chars": chars}
    if protocol:
        from extract.nlp.protocols import ProtocolError, load_protocols
        try:
            load_protocols([str(p) for p in protocol])  # a bad file stops here, with its error
        except ProtocolError as e:
            console.print(f"[red]{e}[/red]")
            raise typer.Exit(2)
        options["protocol"] = [str(p) for p in protocol]
    if model:
        from extract.nlp.pipeline import UnknownModel, find_model
        try:
            for name in model:
                find_model(name)
        except UnknownModel as e:
            console.print(f"[red]{e}[/red]")
            raise typer.Exit(2)
        options["models"] = list(model)
    cfg = RunConfig(max_pages=max_pages, options=options,
                    corrections=str(corrections.absolute()) if corrections else None,
                    formats=tuple(f for f in wanted if f in TABLE_FORMATS), csv_bom=csv_bom)
    limits = Limits(seconds=time_limit or None, memory_mb=memory_limit or None)
    stats = {"pages": 0, "failed": 0, "cached": 0}
    t0 = time.perf_counter()
    with Progress(TextColumn("[bold]documents"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[pps]:.1f} pages/s"), TextColumn("[red]{task.fields[failed]} failed"),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("run", total=None, pps=0.0, failed=0)

        def on_plan(plan) -> None:
            stats["cached"] = plan.cached
            progress.update(task, total=len(plan.todo))

        def on_result(res: DocResult) -> None:
            stats["pages"] += res.n_pages
            stats["failed"] += res.failed
            elapsed = max(time.perf_counter() - t0, 1e-6)
            progress.update(task, advance=1, pps=stats["pages"] / elapsed, failed=stats["failed"])

        try:
            corpus = run_corpus(pdf_dir, out, cfg=cfg, on_result=on_result, on_plan=on_plan,
                                workers=workers, scheduler=scheduler, limits=limits)
        except RuntimeError as e:  # another run holds OUT, or workers cannot start
            console.print(f"[red]{e}[/red]")
            raise typer.Exit(2)
        except KeyboardInterrupt:
            console.print("[yellow]interrupted: finished documents are kept; run again to resume[/yellow]")
            raise typer.Exit(130)
    if "xlsx" in wanted and not (corpus.unchanged and (out / "casemine.xlsx").exists()):
        from extract.outputs.excel import write_workbook
        with console.status(f"writing the workbook {out / 'casemine.xlsx'}"):
            write_workbook(corpus.tables, out / "casemine.xlsx")
    index = None
    if "report" in wanted:
        from extract.outputs.report import write_report
        index = out / "report" / "index.html"
        if not (corpus.unchanged and index.exists()):
            with console.status(f"writing the review report {index}"):
                index = write_report(corpus, out)
    _summary(corpus, time.perf_counter() - t0, out, index)
    _print_corrections(corpus)
    console.print(f"{stats['cached']} document(s) unchanged since the last run (cached)")
    docs = corpus.documents
    if len(docs) and (docs["status"] == "error").any():
        raise typer.Exit(1)


@app.command()
def status(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """What OUT holds: documents done, cached, failed, waiting for a retry or still pending."""
    out = _out(out_arg, out_opt)
    st = run_status(out)
    if not st["version"]:
        console.print(f"[red]no casemine run in {out}[/red]")
        raise typer.Exit(2)
    t = Table(title=f"casemine status: {out}", show_header=True)
    t.add_column("what")
    t.add_column("value", justify="right")
    state = "finished" if st["finished_at"] else "interrupted or running"
    rows = [("last run", f"{state} (started {st['planned_at']})"),
            ("PDFs in the folder at the last run", st["planned"]),
            ("done", st["ok"] + st["partial"] + st["failed"]),
            ("  ok", st["ok"]), ("  partial (a stage failed)", st["partial"]), ("  failed", st["failed"]),
            ("  cached (unchanged, not re-read)", st["cached"]),
            ("stopped by a guard, retried next run", st["retry"]), ("pending", st["pending"]),
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
        for r in errors.head(MAX_LISTED).itertuples():
            console.print(f"  [red]{Path(str(r.path)).name}[/red]: {r.stage} {r.error_type}: {r.message}",
                          highlight=False)
        if len(errors) > MAX_LISTED:
            console.print(f"  ... and {len(errors) - MAX_LISTED} more")


@app.command()
def graph(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Rebuild works, the citation graph and its exports from earlier outputs (no PDFs read)."""
    out = _out(out_arg, out_opt)
    corpus = load(out)
    tables = {k: v for k, v in corpus.tables.items() if not k.startswith("graph_") and k != "works"}
    corpus = finish(tables, out)
    works = corpus.tables.get("works")
    console.print(f"{0 if works is None else len(works)} works; graph files in [bold]{out / 'graph'}[/bold]")


@app.command()
def annotate(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """A copy of each PDF with every extracted span highlighted (OUT/annotated/)."""
    out = _out(out_arg, out_opt)
    from extract.outputs.annotate import annotate_pdfs

    corpus = load(out)
    paths = annotate_pdfs(corpus, out)
    console.print(f"{len(paths)} of {len(corpus.documents)} PDFs annotated in [bold]{out / 'annotated'}[/bold]")


@app.command("report")
def report_cmd(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Rewrite the HTML review report of an earlier run."""
    out = _out(out_arg, out_opt)
    from extract.outputs.report import write_report

    console.print(f"review report: [bold]{write_report(load(out), out)}[/bold]")


@app.command()
def show(out_arg: Optional[Path] = OUT_ARG, out_opt: Optional[Path] = OUT_OPT) -> None:
    """Print the documents table of an earlier run."""
    out = _out(out_arg, out_opt)
    corpus = load(out)
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
    from extract.outputs.export import FORMATS, export_table

    out = _out(out_arg, out_opt)
    if fmt not in FORMATS:
        console.print(f"[red]--format must be one of {', '.join(FORMATS)}[/red]")
        raise typer.Exit(2)
    try:
        corpus = load(out)
    except FileNotFoundError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)
    if table not in corpus.tables:
        console.print(f"[red]no table {table!r} in {out}; tables: {', '.join(sorted(corpus.tables))}[/red]")
        raise typer.Exit(2)
    path = export_table(corpus[table], table, fmt, to or out / "export" / f"{table}.{fmt}", csv_bom)
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
        print(as_markdown())
        return
    if table is not None and table not in TABLES:
        console.print(f"[red]no table {table!r}; tables: {', '.join(TABLES)}[/red]")
        raise typer.Exit(2)
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
        console.print(f"[red]--formats: unknown {', '.join(bad)} (choose from {', '.join(FORMATS)})[/red]")
        raise typer.Exit(2)
    return wanted


corrections_app = typer.Typer(help="The reviewer's corrections file: apply it to OUT, or harvest it from "
                               "the workbook.", no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")


def _read_corrections_or_exit(path: Path):
    from extract.outputs.corrections import CorrectionsError, read_corrections
    try:
        return read_corrections(path)
    except CorrectionsError as e:
        console.print(f"[red]{e}[/red]")
        raise typer.Exit(2)


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
    corpus = finish(load(out).tables, out, str(corrections.absolute()))
    from extract.outputs.excel import write_workbook
    write_workbook(corpus.tables, out / "casemine.xlsx")
    if (out / "report").is_dir():
        from extract.outputs.report import write_report
        write_report(corpus, out)
    _print_corrections(corpus)


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

    from extract.outputs.corrections import harvest, read_corrections, write_corrections

    if not workbook.is_file():
        console.print(f"[red]no workbook at {workbook}[/red]")
        raise typer.Exit(2)
    rows = harvest(workbook, load(out or workbook.parent).tables, reviewer)
    if to is None:
        rows.to_csv(sys.stdout, index=False)
        return
    if to.exists():
        old = read_corrections(to)
        rows = pd.concat([old, rows], ignore_index=True).drop_duplicates(
            subset=["doc_id", "table", "key", "column", "value", "action"], keep="first")
        console.print(f"{len(rows) - len(old)} new correction(s) added to [bold]{to}[/bold]")
    else:
        console.print(f"{len(rows)} correction(s) written to [bold]{to}[/bold]")
    write_corrections(rows, to)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
