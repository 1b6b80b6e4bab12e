"""Replicated runs with common random numbers, on a local pool or a cluster.

Replication `i` of every scenario uses the same seed, drawn from
`numpy.random.SeedSequence(seed).spawn(replications)`, so differences between scenarios
are not blurred by different luck (common random numbers). Runs go to an engine
(`sim.experiments.engines`: a local process pool, or dask.distributed). Results do not depend on the
engine or the number of workers: each run is seeded by its replication alone. Given a
journal folder, every finished run's weekly table is journaled as it finishes (see
`journal`), and runs already there are read back instead of run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.experiments.engines import run_tasks
from sim.experiments.journal import Journal, digest, fingerprint
from sim.experiments.runner import final_year, run_scenario
from sim.files import deferred_signals, keep_note
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


def job_key(job: Job) -> str:
    """What a job's table depends on: scenario, overrides, seed, replication and model code."""
    scenario = job.scenario.with_levers(dict(job.overrides))
    return digest(
        {
            "run": fingerprint(scenario, job.seed),
            "name": scenario.name,
            "replication": job.replication,
        }
    )


def valid_table(row: dict[str, Any]) -> bool:
    """A journal line of a replicated run: its identity and a weekly table of equal columns."""
    weekly = row["weekly"]
    lengths = {len(column) for column in weekly.values()}
    return (
        isinstance(row["scenario"], str)
        and isinstance(row["replication"], int)
        and isinstance(row["seed"], int)
        and isinstance(weekly, dict)
        and len(lengths) == 1
        and weekly["week"] == list(range(len(weekly["week"])))
        and weekly["scenario"] == [row["scenario"]] * len(weekly["week"])
        and all(isinstance(v, int | float | str | bool) for col in weekly.values() for v in col)
    )


def run_jobs(
    jobs: list[Job],
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    journal: Path | None = None,
) -> list[pd.DataFrame]:
    """Run jobs on an engine (see `sim.experiments.engines`); results in job order.

    With a `journal` folder, runs journaled there are read back, and every run that
    finishes is journaled at once.
    """
    results: list[pd.DataFrame | None] = [None] * len(jobs)
    keys = [job_key(job) for job in jobs]
    log = Journal(journal, valid_table) if journal is not None else None
    done = log.load() if log is not None else {}
    for index, key in enumerate(keys):
        if key in done:
            results[index] = pd.DataFrame(done[key]["weekly"])
    pending = [i for i, table in enumerate(results) if table is None]
    kept = len(jobs) - len(pending)
    try:
        with (
            log.writer() if log is not None else _no_journal() as append,
            tqdm(
                total=len(jobs),
                initial=kept,
                desc="replicated runs",
                unit="run",
                disable=not progress,
            ) as bar,
        ):
            tasks = [jobs[i] for i in pending]
            for index, table in run_tasks(
                run_job, tasks, engine=engine, workers=workers, scheduler=scheduler
            ):
                job = tasks[index]
                results[pending[index]] = table
                row = {
                    "key": keys[pending[index]],
                    "scenario": job.scenario.name,
                    "replication": job.replication,
                    "seed": job.seed,
                    "weekly": {c: table[c].tolist() for c in table.columns},
                }
                with deferred_signals():  # the line and the count stay in step
                    append(row)
                    kept += 1
                bar.update(1)
    except BaseException as exc:
        if log is not None and kept:
            keep_note(
                exc,
                f"{kept} of {len(jobs)} runs are kept in {log.path}; run the same command "
                "again to run only the rest",
            )
        raise
    return results


@contextmanager
def _no_journal() -> Iterator[Callable[[dict[str, Any]], None]]:
    yield lambda row: None


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
    journal: Path | None = None,
    draws: list[dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """Run every scenario `replications` times with common random numbers.

    `journal`: a folder whose runs.jsonl keeps every finished run (see `run_jobs`).
    `draws`: levers drawn from a posterior (`sim.experiments.inference.read_draws`):
    replication i of every scenario takes draw i (cycling), so the differences stay paired
    and the intervals carry the posterior's uncertainty; `overrides` still win.

    Returns:
        one long table: a row per scenario x replication x week, every model reporter.

    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    frozen = tuple(sorted((overrides or {}).items()))
    for scenario in loaded:
        scenario.with_levers(dict(frozen), source="--set")  # refuse bad levers before any run
    seeds = replication_seeds(seed, replications)

    def levers_of(i: int) -> tuple[tuple[str, Any], ...]:
        if not draws:
            return frozen
        return tuple(sorted({**draws[i % len(draws)], **dict(frozen)}.items()))

    jobs = [Job(s, i, seeds[i], levers_of(i)) for s in loaded for i in range(replications)]
    tables = run_jobs(jobs, workers, progress, engine, scheduler, journal)
    return pd.concat(tables, ignore_index=True)


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
