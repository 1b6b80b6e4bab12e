"""The local engine: a process pool on this machine's cores.

An explicit "fork" context where the platform has it (`import mesa` switches the default
start method to "spawn", which re-imports everything in every worker), and workers
replaced every `RUNS_PER_WORKER` runs (not batches of runs) so memory stays flat over
many runs. Workers leave Ctrl-C to the parent, which stops them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

RUNS_PER_WORKER = 50


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_start() -> None:
    """A worker ignores Ctrl-C (the parent stops the pool) and dies on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def tasks_per_worker(chunk: int) -> int:
    """Pool tasks (batches of `chunk` runs) a worker does before it is replaced."""
    return max(1, RUNS_PER_WORKER // chunk)


def call_indexed(job: tuple[Callable[[Any], Any], int, Any]) -> tuple[int, Any]:
    """Run `fn(task)` for a job `(fn, index, task)`; return `(index, result)`."""
    fn, index, task = job
    return index, fn(task)


def run_local(
    fn: Callable[[Any], Any], tasks: list[Any], *, workers: int | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) as tasks finish; in this process when one worker is asked for."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            yield index, fn(task)
        return
    jobs = [(fn, i, task) for i, task in enumerate(tasks)]
    chunk = max(1, min(8, len(jobs) // (8 * workers)))  # fewer round trips
    with _context().Pool(
        min(workers, len(jobs)),
        initializer=_worker_start,
        maxtasksperchild=tasks_per_worker(chunk),
    ) as pool:
        yield from pool.imap_unordered(call_indexed, jobs, chunksize=chunk)
