"""Replicated runs with common random numbers, on a local process pool.

Replication `i` of every scenario uses the same seed, drawn from
`numpy.random.SeedSequence(seed).spawn(replications)`, so differences between scenarios
are not blurred by different luck (common random numbers). Runs go to a process pool
with an explicit "fork" context where the platform has it (`import mesa` switches the
default start method to "spawn", which re-imports everything in every worker), with
`maxtasksperchild` so memory stays flat over many runs. Results do not depend on the
number of workers: each run is seeded by its replication alone.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.metrics import OUTCOMES
from sim.runner import final_year, run_scenario
from sim.scenario import Scenario, load_scenario

MAX_TASKS_PER_WORKER = 50  # a fresh worker process after this many runs: memory stays flat


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Independent seeds for `replications` runs, spawned from one root seed."""
    children = np.random.SeedSequence(seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]


@dataclass(frozen=True)
class Job:
    """One run: a scenario, its replication number and seed, and lever overrides."""

    scenario: Scenario
    replication: int
    seed: int
    overrides: tuple[tuple[str, Any], ...] = ()


def run_job(job: Job) -> pd.DataFrame:
    """Run one job and return its weekly table, labelled with scenario and replication."""
    result = run_scenario(job.scenario, seed=job.seed, overrides=dict(job.overrides))
    weekly = result.weekly.reset_index()
    weekly.insert(0, "replication", job.replication)
    weekly.insert(0, "scenario", job.scenario.name)
    weekly.insert(2, "seed", job.seed)
    return weekly


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_jobs(
    jobs: list[Job], workers: int | None = None, progress: bool = True
) -> list[pd.DataFrame]:
    """Run jobs on `workers` processes (1: in this process); results in job order."""
    workers = default_workers() if workers is None else workers
    bar = tqdm(total=len(jobs), unit="run", disable=not progress)
    try:
        if workers <= 1 or len(jobs) <= 1:
            results = []
            for job in jobs:
                results.append(run_job(job))
                bar.update(1)
            return results
        with _context().Pool(
            min(workers, len(jobs)), maxtasksperchild=MAX_TASKS_PER_WORKER
        ) as pool:
            results = []
            for table in pool.imap(run_job, jobs, chunksize=1):
                results.append(table)
                bar.update(1)
            return results
    finally:
        bar.close()


def replicate(
    scenarios: Iterable[str | Scenario],
    *,
    replications: int = 10,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run every scenario `replications` times with common random numbers.

    Returns:
        one long table: a row per scenario x replication x week, every model reporter.

    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    frozen = tuple(sorted((overrides or {}).items()))
    for scenario in loaded:
        scenario.with_levers(dict(frozen), source="--set")  # refuse bad levers before any run
    seeds = replication_seeds(seed, replications)
    jobs = [Job(s, i, seeds[i], frozen) for s in loaded for i in range(replications)]
    return pd.concat(run_jobs(jobs, workers, progress), ignore_index=True)


def evaluate(levers: dict[str, Any], seed: int, scenario: str | Scenario = "baseline") -> dict:
    """One run as a plain function, for SALib, the EMA Workbench or any optimizer.

    Args:
        levers: lever values on top of the scenario.
        seed: the run's seed.
        scenario: the scenario the levers modify.

    Returns:
        final-year means of the compared outcomes, by name.

    """
    weekly = run_scenario(scenario, seed=seed, overrides=levers).weekly
    last = final_year(weekly)
    return {name: float(last[name].mean()) for name in OUTCOMES}
