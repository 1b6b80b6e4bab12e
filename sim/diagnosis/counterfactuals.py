"""Counterfactual runs: the scenario with some groups of causes set to their healthy values.

A counterfactual keeps everything the scenario says except the levers of the chosen groups,
which hold their healthy values for the whole run (interventions that would move them are
dropped). Replication `i` of every counterfactual shares its seed (common random numbers),
and coalitions that come out identical (the scenario is already healthy in a group) run once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from sim.diagnosis.reference import Reference
from sim.diagnosis.sellers import SellerYear
from sim.diagnosis.shapley import Coalition
from sim.experiments.engines import run_tasks
from sim.experiments.runner import release
from sim.model import SalesOrgModel
from sim.model.state import TRAILING_WEEKS
from sim.scenario import Intervention, Scenario
from sim.scenario.levers import Levers

#: Final-year outcomes every counterfactual records.
DIAGNOSED = (
    "mean_attainment",
    "quota_attainment_share",
    "bookings",
    "selling_time_share",
    "attrition_rate",
    "voluntary_attrition_rate",
    "hours_selling",
    "headcount",
    "mean_skill",
    "mean_morale",
)


def _unschedule(
    scenario: Scenario, levers: Iterable[str]
) -> tuple[tuple[Intervention, ...], set[str]]:
    """The scenario's interventions without any setting of `levers`, and the levers dropped."""
    levers = set(levers)
    kept, dropped = [], set()
    for iv in scenario.interventions:
        rest = {k: v for k, v in iv.set.items() if k not in levers}
        dropped |= iv.set.keys() & levers
        if rest:
            kept.append(Intervention(week=iv.week, set=rest, note=iv.note))
    return tuple(kept), dropped


def counterfactual(scenario: Scenario, reference: Reference, coalition: Iterable[str]) -> Scenario:
    """The scenario with the levers of `coalition`'s groups at their healthy values."""
    healthy = reference.levers_of(set(coalition))
    if not healthy:
        return scenario
    kept, _ = _unschedule(scenario, healthy.keys())
    levers = Levers(**{**scenario.levers.model_dump(), **healthy})
    return dataclasses.replace(scenario, levers=levers, interventions=kept)


ACT_WEEK = 1  # "fix it now": the first simulated week, after the warm-up


def acting_now(scenario: Scenario, reference: Reference, groups: Iterable[str]) -> Scenario:
    """The scenario with the groups fixed at week 1: the people in the seats stay.

    Unlike `counterfactual` (the organization as if it had always been healthy in those
    groups), this is what acting on the groups today would do by the final year.
    """
    healthy = reference.levers_of(set(groups))
    kept, dropped = _unschedule(scenario, healthy.keys())
    start = scenario.levers.model_dump()
    changes = {k: v for k, v in healthy.items() if k in dropped or start[k] != v}
    if not changes:
        return scenario
    fix = Intervention(week=ACT_WEEK, set=changes, note=f"fix {', '.join(sorted(groups))}")
    schedule = tuple(sorted([*kept, fix], key=lambda iv: iv.week))
    return dataclasses.replace(scenario, interventions=schedule)


def final_levers(scenario: Scenario) -> Levers:
    """The levers in force at the end of the run, after every intervention."""
    values = scenario.levers.model_dump()
    for iv in scenario.interventions:
        values.update(iv.set)
    return Levers(**values)


def _identity(scenario: Scenario) -> str:
    """Two counterfactuals with the same identity are the same run."""
    schedule = [(iv.week, sorted(iv.set.items())) for iv in scenario.interventions]
    return f"{scenario.levers.model_dump_json()}|{schedule!r}"


@dataclass(frozen=True)
class Run:
    """One counterfactual run; `track_sellers` also records the final year seat by seat."""

    scenario: Scenario
    replication: int
    seed: int
    track_sellers: bool = False


#: every counterfactual is measured against one yardstick: the scenario's first-year
#: quota, held fixed (a plan would reset each organization's quota to its own results)
YARDSTICK = {"quota_policy": "fixed"}


def run_counterfactual(run: Run) -> dict[str, Any]:
    """Run to the end; return the final-year outcomes (and the seller table if tracked)."""
    model = SalesOrgModel(run.scenario, seed=run.seed, **YARDSTICK)
    weeks = model.levers.weeks
    tracker = SellerYear(model) if run.track_sellers else None
    while model.running:
        model.step()
        if tracker is not None and model.steps > weeks - TRAILING_WEEKS:
            tracker.add(model)
    weekly = model.datacollector.get_model_vars_dataframe()
    last = weekly[weekly.index > weekly.index.max() - TRAILING_WEEKS]
    outcomes = {name: float(last[name].mean()) for name in DIAGNOSED if name != "attrition_rate"}
    outcomes["attrition_rate"] = float(
        (last["voluntary_attrition_rate"] + last["involuntary_attrition_rate"]).mean()
    )
    sellers = tracker.table(model) if tracker is not None else None
    release(model)
    return {"outcomes": outcomes, "sellers": sellers}


def run_variants(
    variants: dict[Coalition, Scenario],
    seeds: list[int],
    *,
    track: Scenario | None = None,
    cache: dict[tuple[str, int], dict] | None = None,
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Run every distinct variant once per seed (results already in `cache` are reused).

    Args:
        variants: the scenario to run for each coalition of groups.
        seeds: one per replication, shared by every variant (common random numbers).
        track: the variant whose sellers are recorded seat by seat over the final year.
        cache: results by (variant identity, replication), filled as runs finish.
        workers: processes (default: all cores).
        progress: show a progress bar.
        engine: "local" or "dask" (see `sim.experiments.engines`).
        scheduler: a dask scheduler address.

    Returns:
        the outcomes, one row per coalition x replication (columns: coalition, replication,
        then `DIAGNOSED`); `cache` then also holds the tracked variant's seller tables.

    """
    cache = {} if cache is None else cache
    tracked = None if track is None else _identity(track)
    distinct: dict[str, Scenario] = {}
    for variant in variants.values():
        distinct.setdefault(_identity(variant), variant)
    runs = [
        Run(variant, i, seed, track_sellers=key == tracked)
        for key, variant in distinct.items()
        for i, seed in enumerate(seeds)
        if (key, i) not in cache
    ]
    with tqdm(total=len(runs), unit="run", desc="diagnose", disable=not progress) as bar:
        for index, result in run_tasks(
            run_counterfactual, runs, engine=engine, workers=workers, scheduler=scheduler
        ):
            cache[(_identity(runs[index].scenario), runs[index].replication)] = result
            bar.update(1)
    return pd.DataFrame(
        [
            {"coalition": coalition, "replication": i, **cache[(_identity(v), i)]["outcomes"]}
            for coalition, v in variants.items()
            for i in range(len(seeds))
        ]
    )


def seller_table(scenario: Scenario, replications: int, cache: dict) -> pd.DataFrame:
    """The tracked sellers of `scenario`, every replication, from the run cache."""
    key = _identity(scenario)
    tables = [
        cache[(key, i)]["sellers"].assign(replication=i)
        for i in range(replications)
        if cache.get((key, i), {}).get("sellers") is not None
    ]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
