"""Incremental, resumable runs: one part file per finished document under OUT_DIR/.parts/.

A part is named by a key over the file's content hash, its path and the pipeline version
(code, models, protocol files, settings), and is renamed into place only once complete, so
its presence is the proof a document is done: a run killed at any moment resumes with the
missing keys, and a re-run of an unchanged folder reads parts instead of PDFs. The final
tables are rebuilt from the parts of the PDFs present now, in path order, so a deleted PDF
drops its rows and the tables do not depend on the order workers finished in; when nothing
changed since a run that finished (same parts, output files as it left them) they are read
back instead of rebuilt. The manifest names the outputs only once all are in place (each
renamed into place whole), so a run killed while writing them, or an output deleted or
touched since, makes the next run rewrite them.

A document a guard stopped (time, memory, a dead worker) is kept as a `.retry` part: the
next run tries it again only if its file or the limits changed.
"""
from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.pdf.ingest import file_sha256
from extract.run.guards import Limits
from extract.run.inputs import PARTS, Gather, Inputs
from extract.run.process import DocResult
from extract.stages import RunConfig
from extract.outputs.writers import DUCKDB_NAME, STAGING, _atomic, write_text

_TEMP = re.compile(r"^\..+\.(parquet|csv|duckdb|txt|json|xlsx)\.\w+(\.wal)?$")  # writers._atomic's names
WORKBOOK = "casemine.xlsx"
REPORT = "report"
MANIFEST = "manifest.json"
PAGES = "pages"  # OUT/.parts/pages/: each document's boxes and page images (`extract.outputs.located`)
ROWS = "rows"  # OUT/.parts/rows/: each document's rows in the workbook (`extract.outputs.excel.RowStore`)
PACKAGE = Path(__file__).resolve().parents[1]
MODELS = PACKAGE.parent / "models"
VERSION_ENV = "CASEMINE_PIPELINE_VERSION"


def pipeline_version(cfg: RunConfig) -> str:
    """Changes whenever a document's rows could: code and models, settings, model files named in them."""
    settings = dict(code=code_version(), stages=cfg.stages, max_pages=cfg.max_pages,
                    write_text=cfg.write_text, options=cfg.options,
                    env={k: v for k, v in os.environ.items() if k.startswith("CASEMINE_") and k != VERSION_ENV})
    h = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    _fingerprint(h, [Path(v) for v in _strings(cfg.options) if os.path.exists(v)])
    return h.hexdigest()[:16]


def code_version() -> str:
    """The source of every module (`__version__` included) and the bundled models and protocols.

    $CASEMINE_PIPELINE_VERSION replaces it: a user who knows an edit changes no output (or a
    test racing other people's edits) pins the version instead of re-reading every PDF.
    """
    if os.environ.get(VERSION_ENV):
        return os.environ[VERSION_ENV]
    h = hashlib.sha256()
    for f in sorted(PACKAGE.rglob("*.py")):
        h.update(str(f.relative_to(PACKAGE)).encode() + b"\0" + f.read_bytes())
    _fingerprint(h, [MODELS])
    return h.hexdigest()[:16]


def _fingerprint(h, roots: list[Path]) -> None:
    """Model folders by name, size and mtime: cheap, and any rewrite of a file shows."""
    for root in roots:
        for f in sorted([root] if root.is_file() else root.rglob("*")):
            if f.is_file():
                st = f.stat()
                h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}".encode())


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in _strings(v)]
    return []


@dataclass
class Plan:
    """The PDFs of this run: each one's part key, and which still need processing."""

    keys: dict[str, str]                       # path -> part key, every PDF, in path order
    todo: list[str] = field(default_factory=list)
    version: str = ""
    unchanged: bool = False                    # the last run wrote the outputs of these very parts
    duplicates: dict[str, str] = field(default_factory=dict)  # path -> the earlier path of its content
    inputs: Inputs = field(default_factory=lambda: Inputs([]))

    @property
    def cached(self) -> int:
        return len(self.keys) - len(self.todo)


class Busy(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def output_lock(out_dir: str | Path):
    """Hold OUT_DIR for one run (or one rewrite of its outputs) from start to last write:
    two writers of one folder would mix their parts and outputs. A run refused here has
    created nothing (the lock lives in a folder only a run that got it makes)."""
    out = Path(out_dir)
    lock = out / PARTS / "lock"
    fd = None
    if lock.exists():  # taken before anything is created: a refused run leaves no trace
        fd = _take(lock, out)
    out.joinpath(PARTS).mkdir(parents=True, exist_ok=True)
    fd = fd if fd is not None else _take(lock, out)
    try:
        yield
    finally:
        os.close(fd)  # closing releases the lock (so does any death of the process)


def _take(lock: Path, out: Path) -> int:
    fd = os.open(lock, os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise Busy(f"another casemine run is writing to {out}") from None
    return fd


class Cache:
    def __init__(self, out_dir: str | Path, cfg: RunConfig, limits: Limits | None = None,
                 extras: tuple[str, ...] = ()):
        self.out = Path(out_dir)
        self.dir = self.out / PARTS
        self.cfg = cfg
        self.limits = dataclasses.asdict(limits or Limits())
        self.extras = sorted(extras)  # outputs besides the tables: "excel", "report"
        # the formats the tables are written in (besides Parquet): a change rewrites them
        self.formats = sorted({*cfg.formats, *(["csv-bom"] if cfg.csv_bom and "csv" in cfg.formats else [])})
        self.version = pipeline_version(cfg)
        self._lock = output_lock(self.out)

    def __enter__(self) -> "Cache":
        self._lock.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._lock.__exit__(*exc)

    def plan(self, inputs: Inputs | list[Path]) -> Plan:
        """Key every PDF (hashing only files whose size or mtime changed) and list the missing;
        a file with the content of one before it is a duplicate, not a document."""
        inputs = inputs if isinstance(inputs, Inputs) else Inputs(list(inputs))
        manifest = read_manifest(self.out)
        old = manifest.get("files", {})
        files, plan, first = {}, Plan({}, version=self.version, inputs=inputs), {}
        for p in map(str, inputs.pdfs):
            try:
                st = os.stat(p)
                prev = old.get(p, {})
                same = prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns
                sha = prev["sha256"] if same and prev.get("sha256") else file_sha256(p)
                files[p] = dict(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=sha)
            except OSError:
                sha = "unreadable"
            if sha in first and sha != "unreadable":
                plan.duplicates[p] = first[sha]
                continue
            first[sha] = p
            key = hashlib.sha256(f"{self.version}\0{p}\0{sha}".encode()).hexdigest()[:32]
            plan.keys[p] = key
            if not self._part(key).exists() and not self._kept_retry(key):
                plan.todo.append(p)
        outputs = manifest.get("outputs") or {}
        plan.unchanged = (not plan.todo and outputs.get("signature") == _signature(plan)
                          and set(self.extras) <= set(outputs.get("extras", []))
                          and outputs.get("formats") == self.formats
                          and outputs.get("files") == self._output_stats())
        self._write_manifest(dict(version=self.version, files=files, keys=plan.keys,
                                  planned_at=_now(), finished_at=None, cached=plan.cached,
                                  outputs=outputs if plan.unchanged else None))
        return plan

    def store(self, key: str, res: DocResult) -> None:
        """Text first, then the part: a part on disk means the document is fully written."""
        if self.cfg.write_text and res.text is not None and res.doc_id:
            write_text(self.out, res.doc_id, res.text)
        part = dict(path=res.path, doc_id=res.doc_id, n_pages=res.n_pages, seconds=res.seconds,
                    failed=res.failed, stage_seconds=res.stage_seconds, records=res.records,
                    limits=self.limits)
        retry = res.failed and any(e.get("stage") == "guard" for e in res.records.get("errors", []))
        target, other = (self._retry(key), self._part(key)) if retry else (self._part(key), self._retry(key))
        _atomic(target, lambda tmp: Path(tmp).write_text(json.dumps(part, default=_jsonable), encoding="utf-8"))
        other.unlink(missing_ok=True)

    def tables(self, plan: Plan) -> dict[str, pd.DataFrame]:
        """The run's tables from the parts of the current PDFs, in path order."""
        gather = Gather()
        for path, key in plan.keys.items():
            part = self.load(key)
            if part is not None:
                gather.add(path, part["doc_id"], part["records"])
        for path, of in plan.duplicates.items():
            gather.duplicate(path, of)
        return gather.tables(plan.inputs.error_rows())

    def load(self, key: str) -> dict | None:
        for f in (self._part(key), self._retry(key)):
            try:
                return json.loads(f.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue
        return None

    def _kept_retry(self, key: str) -> bool:
        """A guard stopped this very file under these very limits: trying again would too."""
        try:
            return json.loads(self._retry(key).read_text(encoding="utf-8")).get("limits") == self.limits
        except (OSError, ValueError):
            return False

    def finish(self, plan: Plan, keep_doc_ids: set[str], seconds: float) -> None:
        """Drop parts and texts of PDFs gone or changed, and mark the run complete."""
        live = set(plan.keys.values())
        for f in self.dir.glob("*.json"):
            if f.name.split(".")[0] not in live and f.name != MANIFEST:
                f.unlink(missing_ok=True)
        for f in (self.out / "text").glob("*.txt"):
            if f.stem not in keep_doc_ids:
                f.unlink(missing_ok=True)
        for folder in (self.out, self.dir, self.out / "text"):  # temporaries of a killed run
            for f in folder.glob(".*"):
                if _TEMP.match(f.name) and f.is_file():
                    f.unlink(missing_ok=True)
                elif f.name.startswith(STAGING) and f.is_dir():
                    shutil.rmtree(f, ignore_errors=True)
        m = read_manifest(self.out)
        m.update(finished_at=_now(), seconds=round(seconds, 3),
                 outputs=dict(signature=_signature(plan), extras=self.extras, formats=self.formats,
                                  files=self._output_stats()))
        self._write_manifest(m)

    def _output_stats(self) -> dict[str, list[int]]:
        """Size and mtime of every file the corpus step writes (tables, DuckDB, graph,
        workbook, report), so that a re-run notices one deleted or touched since."""
        found = [*self.out.glob("*.parquet"), *self.out.glob("*.csv"), self.out / DUCKDB_NAME,
                 *(self.out / "graph").glob("*"), self.out / WORKBOOK, *(self.out / REPORT).rglob("*")]
        return {f.relative_to(self.out).as_posix(): [st.st_size, st.st_mtime_ns]
                for f in sorted(found) if f.is_file() and (st := f.stat())}

    def _part(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def _retry(self, key: str) -> Path:
        return self.dir / f"{key}.retry.json"

    def _write_manifest(self, m: dict) -> None:
        _atomic(self.dir / MANIFEST, lambda tmp: Path(tmp).write_text(json.dumps(m, indent=1), encoding="utf-8"))


def _signature(plan: Plan) -> str:
    """The parts a run's outputs were built from (their keys carry the pipeline version),
    the duplicates and the paths passed over."""
    listed = [*plan.keys.values(), *map(str, plan.duplicates.items()), *map(str, plan.inputs.skipped)]
    return hashlib.sha256("\0".join(listed).encode()).hexdigest()[:32]


def read_manifest(out_dir: str | Path) -> dict:
    try:
        return json.loads((Path(out_dir) / PARTS / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def page_store(out_dir: str | Path):
    """The report's store of boxes and page images in OUT."""
    from extract.outputs.located import PageStore

    return _kept(out_dir, PAGES, PageStore)


def row_store(out_dir: str | Path):
    """The workbook's store of each document's rows in OUT."""
    from extract.outputs.excel import RowStore

    return _kept(out_dir, ROWS, RowStore)


def _kept(out_dir: str | Path, name: str, store):
    """`store` over OUT/.parts/NAME, kept for the pipeline version of OUT's last run
    (nothing kept for a folder without a run's manifest)."""
    version = read_manifest(out_dir).get("version")
    return store(Path(out_dir) / PARTS / name if version else None, version or "")


def status(out_dir: str | Path) -> dict:
    """What an output folder holds: documents planned, done (ok / partial / failed), to retry, pending."""
    out = Path(out_dir)
    m = read_manifest(out)
    keys = m.get("keys", {})
    counts = dict(planned=len(keys), ok=0, partial=0, failed=0, retry=0, pending=0, pages=0)
    for key in keys.values():
        if (out / PARTS / f"{key}.json").exists():
            part = json.loads((out / PARTS / f"{key}.json").read_text(encoding="utf-8"))
            docs = part["records"].get("documents") or [{}]
            state = "failed" if part["failed"] else ("partial" if docs[0].get("status") == "partial" else "ok")
            counts[state] += 1
            counts["pages"] += part.get("n_pages") or 0
        elif (out / PARTS / f"{key}.retry.json").exists():
            counts["retry"] += 1
        else:
            counts["pending"] += 1
    return dict(counts, version=m.get("version"), cached=m.get("cached", 0), planned_at=m.get("planned_at"),
                finished_at=m.get("finished_at"), seconds=m.get("seconds"))


def _jsonable(obj):
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    return str(obj)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
