"""`diagnose`: why an organization misses its number, and where to start.

Every combination of groups of causes is switched to its healthy reference (2**groups
counterfactuals), each run `replications` times with common random numbers. The gap between
today and the healthy organization is split among the groups by exact Shapley values, so
interactions are shared fairly and the parts add up to the whole gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.diagnosis.analysis import attribute, endpoints, fix_effect, rank, split
from sim.diagnosis.counterfactuals import (
    acting_now,
    counterfactual,
    final_levers,
    run_variants,
    seller_table,
)
from sim.diagnosis.reference import Reference, load_reference
from sim.diagnosis.sellers import explain_sellers
from sim.diagnosis.shapley import coalitions
from sim.experiments.replications import replication_seeds
from sim.scenario import Scenario, ScenarioError, load_scenario

#: The gaps attributed: attainment first (it leads the report and ranks the levers).
ATTRIBUTED = (
    "mean_attainment",
    "quota_attainment_share",
    "bookings",
    "selling_time_share",
    "attrition_rate",
)
PRIMARY = "mean_attainment"
MIN_WEEKS = 53  # a final year, plus the week that starts it


@dataclass
class Diagnosis:
    """What `diagnose` found."""

    scenario: Scenario
    reference: Reference
    replications: int
    seed: int
    outcomes: pd.DataFrame  # coalition x replication: final-year outcomes, always healthy
    acting: pd.DataFrame  # fixed-now groups x replication: final-year outcomes
    attribution: pd.DataFrame  # metric x group: Shapley value and share of the gap
    endpoints: dict[str, dict[str, tuple[float, float, float]]]  # metric -> today/healthy/gap
    split: pd.DataFrame  # metric x kind: systemic or individual share of the gap
    ranking: pd.DataFrame  # groups ranked by the attainment fixing each alone, now, unlocks
    together: dict[str, Any]  # the top two fixed together, now: gain and hours
    sellers: pd.DataFrame  # every seller who stayed the final year (today's organization)
    examples: pd.DataFrame  # the lowest sellers' shortfall, factor by factor
    seller_fit_r2: float
    seller_coefficients: dict[str, float]
    draws: int = 0  # posterior draws the replications took their levers from (0: none)

    def share(self, group: str, metric: str = PRIMARY) -> float:
        """The share of the gap in `metric` attributed to `group`."""
        table = self.attribution
        row = table[(table.metric == metric) & (table.group == group)]
        return float(row["share"].iloc[0])

    def systemic_share(self, metric: str = PRIMARY) -> tuple[float, float, float]:
        """Systemic share of the gap in `metric`, with its interval."""
        row = self.split[(self.split.metric == metric) & (self.split.kind == "systemic")]
        return tuple(float(row[c].iloc[0]) for c in ("share", "low", "high"))

    @property
    def start_with(self) -> list[str]:
        """The two groups to fix first (largest gain on their own)."""
        return self.ranking["group"].head(2).tolist()


def prepare(
    scenario: str | Scenario,
    replications: int,
    weeks: int | None = None,
    overrides: dict[str, Any] | None = None,
    reference: str | Path | Reference | None = None,
) -> tuple[Scenario, Reference]:
    """The scenario to diagnose (levers set) and its healthy reference, or a refusal.

    Raises:
        ScenarioError: too few weeks for a final year, an intervention after the end, fewer
            than two replications, or a bad scenario or reference.

    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    settings = dict(overrides or {})
    if weeks is not None:
        settings["weeks"] = weeks
    loaded = loaded.with_levers(settings, source="--set")
    if loaded.levers.weeks < MIN_WEEKS:
        raise ScenarioError(
            f"weeks = {loaded.levers.weeks}: a diagnosis measures a final year; "
            f"allowed {MIN_WEEKS} or more"
        )
    late = [iv.week for iv in loaded.interventions if iv.week > loaded.levers.weeks]
    if late:
        raise ScenarioError(
            f"weeks = {loaded.levers.weeks}: {loaded.name} has an intervention at week "
            f"{late[0]}, after the run ends; allowed weeks {late[0]} or more"
        )
    if replications < 2:
        raise ScenarioError(
            f"replications = {replications}: intervals need at least 2; allowed 2 or more"
        )
    healthy = reference if isinstance(reference, Reference) else load_reference(reference)
    return loaded, healthy


def runs_needed(reference: Reference, replications: int) -> int:
    """Runs a diagnosis makes at most: every coalition, each group fixed now, the top two."""
    groups = len(reference.groups)
    return (2**groups + groups + 1) * replications


def diagnose(
    scenario: str | Scenario,
    *,
    replications: int = 8,
    seed: int = 1,
    weeks: int | None = None,
    reference: str | Path | Reference | None = None,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    draws: list[dict[str, Any]] | None = None,
) -> Diagnosis:
    """Attribute the gap between a scenario and its healthy reference to groups of causes.

    Args:
        scenario: name, path or loaded scenario to diagnose.
        replications: common-random-number replications of every counterfactual.
        seed: root seed (replication seeds are spawned from it).
        weeks: weeks per run (default: the scenario's); the final year is measured.
        reference: a TOML file overriding the shipped healthy reference, or a loaded one.
        overrides: levers set on the scenario before diagnosing it.
        workers: processes (default: all cores).
        progress: show a progress bar.
        engine: "local" (a process pool) or "dask".
        scheduler: a dask scheduler address (default: a LocalCluster).
        draws: posterior draws of levers (a calibration's): replication i of every
            counterfactual starts from today's organization with draw i's levers, so the
            intervals carry what the calibration left open as well as luck.

    Returns:
        the attributions, the systemic/individual split, the ranked levers and the seller
        examples, each with intervals over replications.

    """
    loaded, healthy = prepare(scenario, replications, weeks, overrides, reference)
    seeds = replication_seeds(seed, replications)
    engine_options = {
        "workers": workers,
        "progress": progress,
        "engine": engine,
        "scheduler": scheduler,
    }
    cache: dict = {}
    # today's organization, once per replication when each draws its levers
    todays = (
        [
            loaded.with_levers(draws[i % len(draws)], source="--posterior")
            for i in range(replications)
        ]
        if draws
        else None
    )

    def each(build):  # the variants of today's organization, per replication if drawn
        return [build(s) for s in todays] if todays else build(loaded)

    always = each(lambda s: {c: counterfactual(s, healthy, c) for c in coalitions(healthy.names)})
    now = each(
        lambda s: (
            {frozenset(): s} | {frozenset({g}): acting_now(s, healthy, {g}) for g in healthy.names}
        )
    )
    track = todays or loaded
    outcomes = run_variants(
        always, seeds, track=track, cache=cache, desc="counterfactual runs", **engine_options
    )
    acting = run_variants(now, seeds, cache=cache, desc="fixed-now runs", **engine_options)
    today = final_levers(loaded)
    ranking = rank(outcomes, acting, healthy, today, PRIMARY)
    pair = frozenset(ranking["group"].head(2))
    with_pair = each(lambda s: {pair: acting_now(s, healthy, pair)})
    if todays:
        both = [{**n, **p} for n, p in zip(now, with_pair, strict=True)]
    else:
        both = {**now, **with_pair}
    acting = run_variants(both, seeds, cache=cache, desc="top two fixed together", **engine_options)
    sellers = seller_table(track, replications, cache)
    examples, r2, coefficients = explain_sellers(sellers)
    return Diagnosis(
        scenario=loaded,
        reference=healthy,
        replications=replications,
        seed=seed,
        outcomes=outcomes,
        acting=acting,
        attribution=pd.concat(
            [attribute(outcomes, healthy, m) for m in ATTRIBUTED], ignore_index=True
        ),
        endpoints={m: endpoints(outcomes, healthy, m) for m in ATTRIBUTED},
        split=pd.concat([split(outcomes, healthy, m) for m in ATTRIBUTED], ignore_index=True),
        ranking=ranking,
        together={"groups": sorted(pair), **fix_effect(acting, pair, healthy, today, PRIMARY)},
        sellers=sellers,
        examples=examples,
        seller_fit_r2=r2,
        seller_coefficients=coefficients,
        draws=len(draws or ()),
    )
