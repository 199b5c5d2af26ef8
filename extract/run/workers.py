"""Map `process_document` over many PDFs: in this process, a local pool, or a Dask cluster.

Every mode yields `DocResult`s as documents finish (completion order) and keeps only a few
documents in flight, so memory stays flat however large the folder is. The local pool is
our own rather than `concurrent.futures`: one stuck or crashed worker must cost one error
row and a fresh worker, not a broken pool.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
import signal
import threading
import time
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from extract.run import guards
from extract.run.guards import Limits
from extract.pdf.ingest import doc_id_for, file_sha256
from extract.run.process import DocResult, PagesTo, failed_result, load_stages, process_document
from extract.stages import INITIALIZERS, RunConfig

_READY = "ready"
_initialized: set[str] = set()
_init_lock = threading.Lock()


def init_worker(cfg: RunConfig) -> None:
    """Import the stage modules and run the initializer hooks, once per process and config
    (a lock, as Dask runs several task threads in one worker process)."""
    key = repr(cfg)
    with _init_lock:
        if key in _initialized:
            return
        load_stages()
        for fn in INITIALIZERS:
            fn(cfg)
        _initialized.add(key)
        # what start-up made (modules, models, rules) lives as long as the process: out of
        # the collector's sight, so that each full collection while documents are read does
        # not walk its ~100k objects again (a few tenths of a CPU second over a few documents)
        gc.freeze()


def map_documents(paths: Iterable[str], cfg: RunConfig, *, workers: int = 1, scheduler=None,
                  limits: Limits | None = None, pages: PagesTo | None = None) -> Iterator[DocResult]:
    """DocResults for `paths` in completion order.

    `scheduler`: None (local), "local" (a Dask LocalCluster of `workers` processes),
    "tcp://host:port" (an existing Dask scheduler) or a `distributed.Client`. `pages`: local
    workers keep the report's boxes and page images there (`process_document`); Dask
    workers, which may not see that folder, leave them to the report.
    """
    limits = limits or Limits()
    paths = [str(p) for p in paths]
    if not paths:
        return iter(())
    if scheduler is not None:
        return _dask_map(paths, cfg, scheduler, workers)
    if workers <= 1 and not limits.active:
        return (process_document(p, cfg, pages) for p in paths)
    return _pool_map(paths, cfg, max(1, workers), limits, pages)


def guard_failure(path: str, error_type: str, message: str) -> DocResult:
    """The error row of a document a guard stopped (stage 'guard': retried by the next run)."""
    try:
        doc_id = doc_id_for(file_sha256(path))
    except OSError:
        doc_id = None
    return failed_result(path, doc_id, "guard", error_type, message, time.perf_counter())


# -- local process pool ------------------------------------------------------------------

def _worker_main(conn, cfg: RunConfig, limits: Limits, pages: PagesTo | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    init_worker(cfg)
    guards.cap_address_space(limits)
    conn.send(_READY)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(process_document(path, cfg, pages))


class _Worker:
    def __init__(self, ctx, cfg: RunConfig, limits: Limits, pages: PagesTo | None = None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, cfg, limits, pages), daemon=True,
                                name="casemine-worker")
        self.proc.start()
        child.close()
        self.limits = limits
        self.ready = False
        self.baseline = 0  # resident bytes once the models are loaded: the memory limit is above it
        self.path: str | None = None
        self.watch: guards.Watch | None = None

    def give(self, path: str) -> None:
        self.path = path
        self.watch = guards.Watch(self.proc.pid, self.limits, self.baseline)
        self.conn.send(path)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
                self.proc.join(timeout=2)
            except OSError:
                pass
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def _pool_map(paths: list[str], cfg: RunConfig, workers: int, limits: Limits,
              pages: PagesTo | None = None) -> Iterator[DocResult]:
    ctx = mp.get_context("spawn")  # no fork: the parent may hold threads (progress bar, Dask)
    todo = iter(paths)

    def start() -> _Worker:
        return _Worker(ctx, cfg, limits, pages)

    pool = [start() for _ in range(min(workers, len(paths)))]
    left, crashes = len(paths), 0
    try:
        while left:
            for w in pool:
                if w.ready and w.path is None and (p := next(todo, None)) is not None:
                    w.give(p)
            busy = [w.watch.next_check() for w in pool if w.watch]
            ready = wait([w.conn for w in pool], timeout=min(busy) if busy else None)
            for i, w in enumerate(pool):
                out: DocResult | None = None
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(1)
                        code = w.proc.exitcode
                        if w.path is None:  # died while starting: a broken environment, not a PDF
                            crashes += 1
                            if crashes > 3:
                                raise RuntimeError(f"casemine workers die at start-up (exit code {code})")
                        else:
                            out = guard_failure(w.path, "worker_died",
                                                f"the worker process died (exit code {code})")
                        pool[i] = _replace(w, start)
                    else:
                        if msg == _READY:
                            w.ready, w.baseline, crashes = True, guards.resident(w.proc.pid), 0
                        else:
                            out, w.path, w.watch = msg, None, None
                elif w.watch and (breach := w.watch.breach()):
                    out = guard_failure(w.path, *breach)
                    pool[i] = _replace(w, start)
                if out:
                    left -= 1
                    yield out
    finally:
        for w in pool:
            w.stop(kill=left > 0)


def _replace(w: _Worker, start) -> _Worker:
    w.stop(kill=True)
    return start()


# -- Dask ---------------------------------------------------------------------------------

def dask_task(path: str, cfg: RunConfig) -> DocResult:
    """What a Dask worker runs: the same per-document function, after a once-per-process init."""
    init_worker(cfg)
    return process_document(path, cfg)


def _dask_map(paths: list[str], cfg: RunConfig, scheduler, workers: int) -> Iterator[DocResult]:
    from distributed import Client, LocalCluster, as_completed

    own = []
    if isinstance(scheduler, Client):
        client = scheduler
    elif scheduler == "local":
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        own = [client, cluster]
    else:
        client = Client(scheduler)
        own = [client]
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        todo = iter(paths)
        token = os.urandom(4).hex()

        def submit(p: str):
            return client.submit(dask_task, p, cfg, key=f"casemine-{token}-{next(counter)}", pure=False)

        counter = itertools.count()
        futures = {}
        for p in itertools.islice(todo, 2 * n):
            futures[submit(p)] = p
        done = as_completed(list(futures))
        for fut in done:
            path = futures.pop(fut)
            try:
                res = fut.result()
            except Exception as e:  # KilledWorker (worker out of memory or crashed), lost connection
                res = guard_failure(path, "worker_died", f"{e.__class__.__name__}: {e}")
            fut.release()
            yield res
            if (p := next(todo, None)) is not None:
                nf = submit(p)
                futures[nf] = p
                done.add(nf)
    finally:
        for obj in own:
            obj.close()
