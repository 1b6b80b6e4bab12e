"""Compare scenarios over replications: means, confidence intervals, paired differences.

Every figure is a final-year mean per run (the last 52 weeks). Replication `i` of every
scenario shares its seed (common random numbers), so the difference to the first
scenario is taken run by run (paired), which gives a much tighter interval than comparing
two independent means.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.experiments.replications import replicate
from sim.experiments.runner import derived
from sim.model.metrics import OUTCOMES
from sim.model.state import TRAILING_WEEKS
from sim.scenario import Scenario, ScenarioError, load_scenario

COMPARED = OUTCOMES
CONFIDENCE = 0.95


@dataclass
class Comparison:
    """What `compare` found."""

    scenarios: list[Scenario]
    weekly: pd.DataFrame  # long: scenario x replication x week
    runs: pd.DataFrame  # one row per scenario x replication: final-year means
    summary: pd.DataFrame  # scenario, metric, mean, ci_low, ci_high, diff, diff_low, diff_high
    seed: int = 1  # the root seed
    draws: int = 0  # posterior draws the replications took their levers from (0: none)

    def value(self, scenario: str, metric: str, column: str = "mean") -> float:
        """One cell of the summary."""
        row = self.summary[(self.summary.scenario == scenario) & (self.summary.metric == metric)]
        return float(row[column].iloc[0])


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and its t-based confidence interval (a point when there is one value)."""
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if values.size < 2 or np.allclose(values, values[0]):
        return mean, mean, mean
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1) * stats.sem(values)
    return mean, mean - float(half), mean + float(half)


def final_year_runs(weekly: pd.DataFrame, seats: dict[str, int] | None = None) -> pd.DataFrame:
    """Final-year means of the compared figures, one row per scenario and replication.

    With `seats` (per scenario), also the figures derived from them (bookings per seat,
    attrition voluntary plus involuntary) where the model does not report them.
    """
    last = weekly[weekly["week"] > weekly["week"].max() - TRAILING_WEEKS]
    compared = [c for c in COMPARED if c in last]
    runs = last.groupby(["scenario", "replication"], sort=False)[compared].mean().reset_index()
    if seats is not None:
        runs = runs.assign(**derived(runs, runs["scenario"].map(seats)))
    return runs


def summarize(runs: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Mean and interval per scenario and metric, and the paired difference to the first."""
    base = runs[runs.scenario == order[0]].set_index("replication")
    metrics = [c for c in runs.columns if c not in ("scenario", "replication")]
    rows = []
    for name in order:
        own = runs[runs.scenario == name].set_index("replication")
        for metric in metrics:
            mean, low, high = interval(own[metric].to_numpy())
            diff, diff_low, diff_high = interval((own[metric] - base[metric]).to_numpy())
            rows.append(
                {
                    "scenario": name,
                    "metric": metric,
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff": diff,
                    "diff_low": diff_low,
                    "diff_high": diff_high,
                }
            )
    return pd.DataFrame(rows)


def check_comparable(scenarios: list[Scenario], settings: dict[str, Any]) -> list[Scenario]:
    """The scenarios with the settings applied, if they can be compared; else a refusal.

    Raises:
        ScenarioError: a scenario given twice, a bad setting, or different run lengths.

    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError(f"compare each scenario once: got {', '.join(names)}")
    resolved = [s.with_levers(settings, source="--set") for s in scenarios]
    lengths = {s.name: s.levers.weeks for s in resolved}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name} {w}" for name, w in lengths.items())
        raise ScenarioError(
            f"compare: the scenarios run for different weeks ({listed}); "
            "their final years must line up: give --weeks"
        )
    return resolved


def compare(
    scenarios: list[str | Scenario],
    *,
    replications: int = 10,
    seed: int = 1,
    weeks: int | None = None,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    journal: Path | None = None,
    draws: list[dict[str, Any]] | None = None,
) -> Comparison:
    """Run every scenario `replications` times with common random numbers and compare.

    Args:
        scenarios: names or loaded scenarios; the first is the reference for differences.
        replications: runs per scenario.
        seed: root seed (replication seeds are spawned from it).
        weeks: weeks per run (default: each scenario's own).
        overrides: levers set on every scenario.
        workers: processes (default: all cores).
        progress: show a progress bar.
        engine: "local" (a process pool) or "dask" (dask.distributed).
        scheduler: a dask scheduler address (default: a LocalCluster).
        journal: a folder whose runs.jsonl keeps every finished run; runs already there
            are read back, so an interrupted comparison resumes.
        draws: posterior draws of levers (a calibration's): replication i of every
            scenario takes draw i, so intervals carry the posterior's uncertainty too.

    Returns:
        the weekly long table, the per-run final-year table and the summary.

    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    settings = dict(overrides or {})
    if weeks is not None:
        settings["weeks"] = weeks
    resolved = check_comparable(loaded, settings)
    weekly = replicate(
        loaded,
        replications=replications,
        seed=seed,
        overrides=settings,
        workers=workers,
        progress=progress,
        engine=engine,
        scheduler=scheduler,
        journal=journal,
        draws=draws,
    )
    runs = final_year_runs(weekly, {s.name: s.levers.n_sellers for s in resolved})
    summary = summarize(runs, [s.name for s in resolved])
    return Comparison(resolved, weekly, runs, summary, seed, len(draws or ()))
