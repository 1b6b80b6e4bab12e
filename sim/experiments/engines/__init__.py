"""Executors: where runs go. One backend per module: `local` (a process pool), `dask`.

Every engine takes a picklable function and a list of tasks and yields results as they
finish, each paired with its task's index, so callers can journal or order them. Results do
not depend on the engine: every run is seeded by its task alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

ENGINES = ("local", "dask")


def run_tasks(
    fn: Callable[[Any], Any],
    tasks: list[Any],
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) for every task, in the order they finish."""
    if engine == "local":
        from sim.experiments.engines.local import run_local

        return run_local(fn, tasks, workers=workers)
    if engine == "dask":
        from sim.experiments.engines.dask import run_dask

        return run_dask(fn, tasks, workers=workers, scheduler=scheduler)
    raise ValueError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")


def check_engine(engine: str, scheduler: str | None, timeout: float = 5.0) -> None:
    """Refuse, before any run, an engine that cannot run: dask missing, no scheduler answering.

    Raises:
        ScenarioError: naming the engine or the address and what went wrong.

    """
    if engine == "dask":
        from sim.experiments.engines.dask import check_dask

        check_dask(scheduler, timeout)
