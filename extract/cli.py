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
from extract.stages import RunConfig
from extract.run.process import DocResult

app = typer.Typer(help="Biomedical case-report PDFs -> evidence tables and a citation graph.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


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
    pdf_dir: Path = typer.Argument(..., help="A PDF file or a folder searched recursively for *.pdf"),
    out: Path = typer.Option(Path("outputs"), "-o", "--out", help="Output folder"),
    workers: int = typer.Option(os.cpu_count() or 1, "-w", "--workers",
                                help="Worker processes (default: all cores); each loads the models once"),
    scheduler: Optional[str] = typer.Option(None, help="Run on Dask: 'local' (a LocalCluster of --workers "
                                            "processes) or a scheduler address tcp://HOST:PORT"),
    max_pages: int = typer.Option(2000, help="Skip (and record as an error) PDFs with more pages"),
    time_limit: float = typer.Option(300, help="Seconds per document before it is stopped and recorded "
                                     "(0: none)"),
    memory_limit: int = typer.Option(4096, help="MB of memory a worker may use on one document (0: none)"),
    protocol: Optional[list[Path]] = typer.Option(
        None, "--protocol", help="Review protocol YAML (repeatable, or a folder: each report takes the "
        "protocol it names most; one no report names leaves the general layer), or 'none' for generic "
        "extraction only; default models/protocols/calcinosis_cutis.yaml"),
    model: Optional[list[str]] = typer.Option(
        None, "--model", help="spaCy/scispaCy pipeline name or path for entity mentions (repeatable; "
        "'shipped' = the project's own); replaces the shipped pipelines"),
    chars: str = typer.Option(DEFAULT_SOURCE, help="Character source: pdfium (fast) or pdfplumber (the "
                              "pure-Python reference); both read the same text"),
    report: bool = typer.Option(True, help="Write the HTML review report (OUT/report/index.html)"),
    excel: bool = typer.Option(True, help="Write every table to OUT/casemine.xlsx"),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Log to the terminal too"),
) -> None:
    """Process new or changed PDFs under PDF_DIR and write the tables to OUT (interrupted runs resume)."""
    _setup_logging(out, verbose)
    try:
        find_pdfs(pdf_dir)
    except FileNotFoundError as e:
        console.print(f"[red]{e}[/red]")
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
    cfg = RunConfig(max_pages=max_pages, options=options)
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
    if excel and not (corpus.unchanged and (out / "casemine.xlsx").exists()):
        from extract.outputs.excel import write_workbook
        write_workbook(corpus.tables, out / "casemine.xlsx")
    index = None
    if report:
        from extract.outputs.report import write_report
        index = out / "report" / "index.html"
        if not (corpus.unchanged and index.exists()):
            index = write_report(corpus, out)
    _summary(corpus, time.perf_counter() - t0, out, index)
    console.print(f"{stats['cached']} document(s) unchanged since the last run (cached)")
    docs = corpus.documents
    if len(docs) and (docs["status"] == "error").any():
        raise typer.Exit(1)


@app.command()
def status(out: Path = typer.Argument(Path("outputs"), help="Output folder of a run (finished or not)")) -> None:
    """What OUT holds: documents done, cached, failed, waiting for a retry or still pending."""
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


@app.command()
def graph(out: Path = typer.Argument(Path("outputs"), help="Output folder of an earlier run")) -> None:
    """Rebuild works, the citation graph and its exports from earlier outputs (no PDFs read)."""
    corpus = load(out)
    tables = {k: v for k, v in corpus.tables.items() if not k.startswith("graph_") and k != "works"}
    corpus = finish(tables, out)
    works = corpus.tables.get("works")
    console.print(f"{0 if works is None else len(works)} works; graph files in [bold]{out / 'graph'}[/bold]")


@app.command()
def annotate(out: Path = typer.Argument(Path("outputs"), help="Output folder of an earlier run")) -> None:
    """A copy of each PDF with every extracted span highlighted (OUT/annotated/)."""
    from extract.outputs.annotate import annotate_pdfs

    corpus = load(out)
    paths = annotate_pdfs(corpus, out)
    console.print(f"{len(paths)} of {len(corpus.documents)} PDFs annotated in [bold]{out / 'annotated'}[/bold]")


@app.command("report")
def report_cmd(out: Path = typer.Argument(Path("outputs"), help="Output folder of an earlier run")) -> None:
    """Rewrite the HTML review report of an earlier run."""
    from extract.outputs.report import write_report

    console.print(f"review report: [bold]{write_report(load(out), out)}[/bold]")


@app.command()
def show(out: Path = typer.Argument(Path("outputs"), help="Output folder of an earlier run")) -> None:
    """Print the documents table of an earlier run."""
    corpus = load(out)
    t = Table(show_header=True)
    for col in ("doc_id", "status", "n_pages", "year", "first_author", "title"):
        t.add_column(col)
    for _, r in corpus.documents.iterrows():
        t.add_row(*[("" if v is None or v != v else str(v))[:60] for v in
                    (r.doc_id, r.status, r.n_pages, r.year, r.first_author, r.title)])
    Console().print(t)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
