"""Replicated runs with common random numbers, on a local pool or a cluster.

Replication `i` of every scenario uses the same seed, drawn from
`numpy.random.SeedSequence(seed).spawn(replications)`, so differences between scenarios
are not blurred by different luck (common random numbers). Runs go to an engine
(`sim.experiments.engines`: a local process pool, or dask.distributed). Results do not depend on the
engine or the number of workers: each run is seeded by its replication alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.experiments.engines import run_tasks
from sim.experiments.runner import final_year, run_scenario
from sim.model.metrics import OUTCOMES
from sim.scenario import Scenario, load_scenario


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


def run_jobs(
    jobs: list[Job],
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
) -> list[pd.DataFrame]:
    """Run jobs on an engine (see `sim.experiments.engines`); results in job order."""
    results: list[pd.DataFrame | None] = [None] * len(jobs)
    with tqdm(total=len(jobs), unit="run", disable=not progress) as bar:
        for index, table in run_tasks(
            run_job, jobs, engine=engine, workers=workers, scheduler=scheduler
        ):
            results[index] = table
            bar.update(1)
    return results


def replicate(
    scenarios: Iterable[str | Scenario],
    *,
    replications: int = 10,
    seed: int = 1,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
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
    return pd.concat(run_jobs(jobs, workers, progress, engine, scheduler), ignore_index=True)


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
