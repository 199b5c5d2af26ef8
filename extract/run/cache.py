"""Incremental, resumable runs: one part file per finished document under OUT_DIR/.parts/.

A part is named by a key over the file's content hash, its path and the pipeline version
(code, models, protocol files, settings), and is renamed into place only once complete, so
its presence is the proof a document is done: a run killed at any moment resumes with the
missing keys, and a re-run of an unchanged folder reads parts instead of PDFs. The final
tables are rebuilt from the parts of the PDFs present now, in path order, so a deleted PDF
drops its rows and the tables do not depend on the order workers finished in; when nothing
changed since a run that finished (same parts, output files as it left them) they are read
back instead of rebuilt.
"""
from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.pdf.ingest import file_sha256
from extract.run.process import DocResult
from extract.stages import RunConfig
from extract.outputs.tables import SCHEMAS, frame
from extract.outputs.writers import DUCKDB_NAME, _atomic, write_text

PARTS = ".parts"
_TEMP = re.compile(r"^\..+\.(parquet|csv|duckdb|txt|json)\.\w+$")  # writers._atomic's names
MANIFEST = "manifest.json"
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

    @property
    def cached(self) -> int:
        return len(self.keys) - len(self.todo)


class Cache:
    def __init__(self, out_dir: str | Path, cfg: RunConfig):
        self.out = Path(out_dir)
        self.dir = self.out / PARTS
        self.cfg = cfg
        self.version = pipeline_version(cfg)
        self._lock_fd: int | None = None

    # -- a run holds the folder: two runs writing one output folder would mix their parts
    def __enter__(self) -> "Cache":
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.dir / "lock", os.O_CREAT | os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise RuntimeError(f"another casemine run is writing to {self.out}") from None
        self._lock_fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the lock (so does any death of the process)
            self._lock_fd = None

    def plan(self, pdfs: list[Path]) -> Plan:
        """Key every PDF (hashing only files whose size or mtime changed) and list the missing."""
        manifest = read_manifest(self.out)
        old = manifest.get("files", {})
        files, plan = {}, Plan({}, version=self.version)
        for p in map(str, pdfs):
            try:
                st = os.stat(p)
                prev = old.get(p, {})
                same = prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns
                sha = prev["sha256"] if same and prev.get("sha256") else file_sha256(p)
                files[p] = dict(size=st.st_size, mtime_ns=st.st_mtime_ns, sha256=sha)
            except OSError:
                sha = "unreadable"
            key = hashlib.sha256(f"{self.version}\0{p}\0{sha}".encode()).hexdigest()[:32]
            plan.keys[p] = key
            if not self._part(key).exists():
                plan.todo.append(p)
        outputs = manifest.get("outputs") or {}
        plan.unchanged = (not plan.todo and outputs.get("signature") == _signature(plan)
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
                    failed=res.failed, stage_seconds=res.stage_seconds, records=res.records)
        retry = res.failed and any(e.get("stage") == "guard" for e in res.records.get("errors", []))
        target, other = (self._retry(key), self._part(key)) if retry else (self._part(key), self._retry(key))
        _atomic(target, lambda tmp: Path(tmp).write_text(json.dumps(part, default=_jsonable), encoding="utf-8"))
        other.unlink(missing_ok=True)

    def tables(self, plan: Plan) -> dict[str, pd.DataFrame]:
        """The run's tables from the parts of the current PDFs, in path order."""
        records: dict[str, list] = {name: [] for name in SCHEMAS}
        for key in plan.keys.values():
            part = self.load(key)
            if part is None:
                continue
            for table, rows in part["records"].items():
                records.setdefault(table, []).extend(rows)
        return {name: frame(name, rows) for name, rows in records.items() if name in SCHEMAS}

    def load(self, key: str) -> dict | None:
        for f in (self._part(key), self._retry(key)):
            try:
                return json.loads(f.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue
        return None

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
        m = read_manifest(self.out)
        m.update(finished_at=_now(), seconds=round(seconds, 3),
                 outputs=dict(signature=_signature(plan), files=self._output_stats()))
        self._write_manifest(m)

    def _output_stats(self) -> dict[str, list[int]]:
        """Size and mtime of every file the corpus step writes (tables, DuckDB, graph), so
        that a re-run notices one deleted or touched since."""
        found = [*self.out.glob("*.parquet"), *self.out.glob("*.csv"), self.out / DUCKDB_NAME,
                 *(self.out / "graph").glob("*")]
        return {f.relative_to(self.out).as_posix(): [st.st_size, st.st_mtime_ns]
                for f in sorted(found) if f.is_file() and (st := f.stat())}

    def _part(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def _retry(self, key: str) -> Path:
        return self.dir / f"{key}.retry.json"

    def _write_manifest(self, m: dict) -> None:
        _atomic(self.dir / MANIFEST, lambda tmp: Path(tmp).write_text(json.dumps(m, indent=1), encoding="utf-8"))


def _signature(plan: Plan) -> str:
    """The parts a run's outputs were built from (their keys carry the pipeline version)."""
    return hashlib.sha256("\0".join(plan.keys.values()).encode()).hexdigest()[:32]


def read_manifest(out_dir: str | Path) -> dict:
    try:
        return json.loads((Path(out_dir) / PARTS / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


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
