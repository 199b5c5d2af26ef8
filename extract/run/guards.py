"""Guards: limits that stop one pathological PDF without stopping the run.

The parent process enforces wall time and resident memory, because it can always kill a
worker and start another whatever the worker is stuck in (a C loop in zlib, a runaway
allocation). Inside a worker an address-space cap turns a decompression bomb into a
`MemoryError` that `process_document` records as an error row before the parent needs to
kill anything (or, inside pdfium's C code, ends the worker, which the parent replaces);
pdfminer's recursion is bounded by Python's recursion limit and pdfium bounds its own, so
deep object nesting ends as an error row. The page limit is `RunConfig.max_pages`, checked
before any page is parsed. Neither pdfminer nor pdfium (pypdfium2 ships it without a
JavaScript engine) runs scripts or follows links or launch actions, so PDF content cannot
execute code or reach the network.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import psutil

try:
    import resource
except ImportError:  # pragma: no cover - Windows: the parent's RSS check still applies
    resource = None

# head-room above the worker's address space at start-up: Python, pandas and the models
# map far more virtual memory than they touch, so the cap is relative to that baseline
_AS_SLACK = 2.0


@dataclass(frozen=True)
class Limits:
    """Per-document limits; None means unlimited."""

    seconds: float | None = None   # wall time for one document
    memory_mb: int | None = None   # memory one document may add to a worker, its models loaded

    @property
    def active(self) -> bool:
        return bool(self.seconds or self.memory_mb)


def cap_address_space(limits: Limits) -> None:
    """In a worker, after its models are loaded: allocations far past the memory limit fail."""
    if resource is None or not limits.memory_mb:
        return
    vms = psutil.Process().memory_info().vms
    cap = int(vms + _AS_SLACK * limits.memory_mb * 2**20)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def resident(pid: int) -> int:
    """Resident bytes of a process (0 if it is gone)."""
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


class Watch:
    """The parent's view of one busy worker: is it over its time or memory limit?"""

    def __init__(self, pid: int, limits: Limits, baseline: int = 0):
        self.limits = limits
        self.started = time.monotonic()
        self.proc = psutil.Process(pid)
        self.baseline = baseline  # the worker's resident bytes once its models were loaded

    def breach(self) -> tuple[str, str] | None:
        """(error_type, message) when a limit is passed, else None."""
        if self.limits.seconds and time.monotonic() - self.started > self.limits.seconds:
            return "timeout", f"stopped after {self.limits.seconds:g} s (time limit)"
        if self.limits.memory_mb:
            try:
                rss = self.proc.memory_info().rss
            except psutil.Error:
                return None  # the worker is gone; its closed pipe reports that
            if rss - self.baseline > self.limits.memory_mb * 2**20:
                return "memory_limit", (f"stopped at {(rss - self.baseline) / 2**20:.0f} MB above the "
                                        f"worker's {self.baseline / 2**20:.0f} MB with its models loaded "
                                        f"(memory limit {self.limits.memory_mb} MB)")
        return None

    def next_check(self) -> float:
        """Seconds until this worker must be looked at again."""
        left = self.limits.seconds - (time.monotonic() - self.started) if self.limits.seconds else 5.0
        return max(0.0, min(left, 0.2 if self.limits.memory_mb else left))
