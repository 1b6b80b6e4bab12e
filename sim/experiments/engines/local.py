"""The local engine: a process pool on this machine's cores.

An explicit "fork" context where the platform has it (`import mesa` switches the default
start method to "spawn", which re-imports everything in every worker), and workers
replaced every `RUNS_PER_WORKER` runs (not batches of runs) so memory stays flat over
many runs. Workers leave Ctrl-C to the parent, which stops them.

A worker that dies (killed, or out of memory) takes its runs with it, and a process pool
would wait for them forever: the parent notices the death, and runs what has not finished
in a new pool (every run is seeded by its task, so the results are the same). After
`RESTARTS` new pools it gives up with a `ChildProcessError`.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Callable, Iterator
from typing import Any

RUNS_PER_WORKER = 50
#: new pools after a worker died, before giving up
RESTARTS = 3
#: how often (seconds) the parent looks for a dead worker while no result arrives
POLL_SECONDS = 0.1


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
    """Yield (index, result) as tasks finish; in this process when one worker is asked for.

    Raises:
        ChildProcessError: workers died (killed, out of memory) `RESTARTS` + 1 times.

    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            yield index, fn(task)
        return
    pending = dict(enumerate(tasks))
    for _ in range(RESTARTS + 1):
        yield from _run_pool(fn, pending, workers)
        if not pending:
            return
    raise ChildProcessError(
        f"a worker process died {RESTARTS + 1} times (killed, or out of memory?); "
        f"{len(pending)} of {len(tasks)} runs did not finish"
    )


class _WatchedPool(multiprocessing.pool.Pool):
    """A process pool that keeps every worker it starts, so that one that died is noticed.

    (The pool forgets a worker once it has ended, and starts another in its place.)
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The pool, remembering its workers in `started`."""
        self.started: list[Any] = []
        super().__init__(*args, **kwargs)

    def Process(self, ctx: Any, *args: Any, **kwds: Any) -> Any:  # the pool's hook
        """A worker process, remembered."""
        process = ctx.Process(*args, **kwds)
        self.started.append(process)
        return process

    def a_worker_died(self) -> bool:
        """Whether a worker ended other than by finishing its share (exit code 0)."""
        return any(process.exitcode not in (None, 0) for process in self.started)


def _run_pool(
    fn: Callable[[Any], Any], pending: dict[int, Any], workers: int
) -> Iterator[tuple[int, Any]]:
    """Run the `pending` tasks in one pool, removing each as it finishes.

    Stops early if a worker died: the runs it held would never come back.
    """
    jobs = [(fn, i, task) for i, task in pending.items()]
    chunk = max(1, min(8, len(jobs) // (8 * workers)))  # fewer round trips
    with _WatchedPool(
        min(workers, len(jobs)),
        initializer=_worker_start,
        maxtasksperchild=tasks_per_worker(chunk),
        context=_context(),
    ) as pool:
        results = pool.imap_unordered(call_indexed, jobs, chunksize=chunk)
        while pending:
            try:
                index, result = results.next(timeout=POLL_SECONDS)
            except multiprocessing.TimeoutError:
                if pool.a_worker_died():
                    return
                continue
            del pending[index]
            yield index, result
