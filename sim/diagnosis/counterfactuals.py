"""Counterfactual runs: the scenario with some groups of causes set to their healthy values.

A counterfactual keeps everything the scenario says except the levers of the chosen groups,
which hold their healthy values for the whole run (interventions that would move them are
dropped). Replication `i` of every counterfactual shares its seed (common random numbers),
and coalitions that come out identical (the scenario is already healthy in a group) run once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from sim.diagnosis.reference import Reference
from sim.diagnosis.sellers import SellerYear
from sim.diagnosis.shapley import Coalition
from sim.engines import run_tasks
from sim.levers import Levers
from sim.model import SalesOrgModel
from sim.runner import release
from sim.scenario import Intervention, Scenario
from sim.state import TRAILING_WEEKS

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


def counterfactual(scenario: Scenario, reference: Reference, coalition: Iterable[str]) -> Scenario:
    """The scenario with the levers of `coalition`'s groups at their healthy values."""
    healthy = reference.levers_of(set(coalition))
    if not healthy:
        return scenario
    kept = []
    for iv in scenario.interventions:
        rest = {k: v for k, v in iv.set.items() if k not in healthy}
        if rest:
            kept.append(Intervention(week=iv.week, set=rest, note=iv.note))
    levers = Levers(**{**scenario.levers.model_dump(), **healthy})
    return Scenario(
        scenario.name, scenario.description, levers, tuple(kept), scenario.path, scenario.chain
    )


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


def run_counterfactual(run: Run) -> dict[str, Any]:
    """Run to the end; return the final-year outcomes (and the seller table if tracked)."""
    model = SalesOrgModel(run.scenario, seed=run.seed)
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


def run_coalitions(
    scenario: Scenario,
    reference: Reference,
    coalitions: list[Coalition],
    seeds: list[int],
    *,
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every distinct counterfactual once per seed.

    Returns:
        the outcomes, one row per coalition x replication (columns: coalition, replication,
        then `DIAGNOSED`); and the seller table of today's organization (the empty
        coalition), one row per seller who stayed the whole final year.

    """
    variants = {c: counterfactual(scenario, reference, c) for c in coalitions}
    distinct: dict[str, Scenario] = {}
    for variant in variants.values():
        distinct.setdefault(_identity(variant), variant)
    today = _identity(scenario)
    runs = [
        Run(variant, i, seed, track_sellers=key == today)
        for key, variant in distinct.items()
        for i, seed in enumerate(seeds)
    ]
    results: dict[tuple[str, int], dict] = {}
    with tqdm(total=len(runs), unit="run", desc="diagnose", disable=not progress) as bar:
        for index, result in run_tasks(
            run_counterfactual, runs, engine=engine, workers=workers, scheduler=scheduler
        ):
            results[(_identity(runs[index].scenario), runs[index].replication)] = result
            bar.update(1)
    rows = [
        {"coalition": coalition, "replication": i, **results[(_identity(v), i)]["outcomes"]}
        for coalition, v in variants.items()
        for i in range(len(seeds))
    ]
    sellers = [
        results[(today, i)]["sellers"].assign(replication=i)
        for i in range(len(seeds))
        if (today, i) in results
    ]
    seller_table = pd.concat(sellers, ignore_index=True) if sellers else pd.DataFrame()
    return pd.DataFrame(rows), seller_table
