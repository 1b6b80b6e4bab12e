"""The local engine: a process pool on this machine's cores.

An explicit "fork" context where the platform has it (`import mesa` switches the default
start method to "spawn", which re-imports everything in every worker), and workers
replaced every `RUNS_PER_WORKER` runs (not batches of runs) so memory stays flat over
many runs. Workers leave Ctrl-C to the parent, which stops them.

A worker that dies (killed, or out of memory) takes the batch of runs it was running with
it, and a process pool would wait for that batch forever. Each worker notes the batch it
starts; the parent notices a dead worker, and gives its batch to the pool again (every run
is seeded by its task, so the results are the same). A batch whose worker died
`RESTARTS` + 1 times is given up: the other batches finish, then a `ChildProcessError`
says how many runs did not.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import queue
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

RUNS_PER_WORKER = 50
#: times a batch is given to the pool again after its worker died, before giving up
RESTARTS = 3
#: how often (seconds) the parent looks for a dead worker while no result arrives
POLL_SECONDS = 0.1

#: in a worker: the shared array of the pid running each batch (set by `_worker_start`)
_RUNNING: Any = None


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_start(running: Any = None) -> None:
    """A worker ignores Ctrl-C (the parent stops the pool) and dies on SIGTERM."""
    global _RUNNING
    _RUNNING = running
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def tasks_per_worker(chunk: int) -> int:
    """Pool tasks (batches of `chunk` runs) a worker does before it is replaced."""
    return max(1, RUNS_PER_WORKER // chunk)


def call_indexed(job: tuple[Callable[[Any], Any], int, Any]) -> tuple[int, Any]:
    """Run `fn(task)` for a job `(fn, index, task)`; return `(index, result)`."""
    fn, index, task = job
    return index, fn(task)


def _call_batch(
    batch: tuple[Callable[[Any], Any], int, list[tuple[int, Any]]],
) -> tuple[int, list[tuple[int, Any]]]:
    """In a worker: note this process as running batch `b`, then run its tasks."""
    fn, b, jobs = batch
    _RUNNING[b] = os.getpid()
    return b, [(index, fn(task)) for index, task in jobs]


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

    def newly_dead(self, seen: set[int]) -> list[int]:
        """Pids of the workers that died (ended with another code than 0) not in `seen`.

        Every worker found ended is added to `seen`.
        """
        dead = []
        for process in list(self.started):
            code = process.exitcode
            if code is not None and process.pid not in seen:
                seen.add(process.pid)
                if code != 0:
                    dead.append(process.pid)
        return dead


def run_local(
    fn: Callable[[Any], Any], tasks: list[Any], *, workers: int | None = None
) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) as tasks finish; in this process when one worker is asked for.

    Raises:
        ChildProcessError: some runs' worker died (killed, out of memory) `RESTARTS` + 1
            times; raised once every other run has finished.

    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            yield index, fn(task)
        return
    jobs = list(enumerate(tasks))
    chunk = max(1, min(8, len(jobs) // (8 * workers)))  # fewer round trips
    batches = [jobs[k : k + chunk] for k in range(0, len(jobs), chunk)]
    context = _context()
    running = context.Array("q", len(batches), lock=False)  # one writer at a time per batch
    finished: queue.SimpleQueue = queue.SimpleQueue()
    with _WatchedPool(
        min(workers, len(batches)),
        initializer=_worker_start,
        initargs=(running,),
        maxtasksperchild=tasks_per_worker(chunk),
        context=context,
    ) as pool:

        def submit(b: int) -> None:
            running[b] = 0
            pool.apply_async(
                _call_batch,
                ((fn, b, batches[b]),),
                callback=finished.put,
                error_callback=finished.put,
            )

        for b in range(len(batches)):
            submit(b)
        left, lost, given_up, seen = set(range(len(batches))), Counter(), set(), set()
        while left - given_up:
            try:
                item = finished.get(timeout=POLL_SECONDS)
            except queue.Empty:
                item = None
            if isinstance(item, BaseException):
                raise item
            if item is not None and item[0] in left:  # (a batch run twice counts once)
                left.discard(item[0])
                yield from item[1]
            for pid in pool.newly_dead(seen):
                for b in left - given_up:
                    if running[b] == pid:  # the batch the dead worker was running
                        lost[b] += 1
                        if lost[b] > RESTARTS:
                            given_up.add(b)
                        else:
                            submit(b)
    if given_up:
        undone = sum(len(batches[b]) for b in given_up)
        raise ChildProcessError(
            f"a worker process died {RESTARTS + 1} times running the same runs (killed, or "
            f"out of memory?); {undone} of {len(tasks)} runs did not finish"
        )
