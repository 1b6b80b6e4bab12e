"""Run one scenario to the end and gather its tables: the step between model and report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import mesa
import pandas as pd
from tqdm.auto import tqdm

from sim.files import deferred_signals
from sim.model import SalesOrgModel
from sim.model.state import TRAILING_WEEKS
from sim.scenario import Scenario, load_scenario

#: The figures a run's summary and its report lead with (bookings first), when the model
#: reports them; `derived` adds bookings per seat and total attrition.
HEADLINE = (
    "bookings",
    "bookings_per_seat",
    "cost",
    "margin",
    "contribution",
    "quota",
    "quota_attainment_share",
    "mean_attainment",
    "selling_time_share",
    "mean_skill",
    "initiatives_per_seller",
    "specialist_wait_weeks",
    "coaching_hours_per_seller",
    "headcount",
    "vacancies",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "mean_morale",
)


@dataclass
class RunResult:
    """What one run produced."""

    scenario: Scenario
    seed: int | None
    weekly: pd.DataFrame
    people: pd.DataFrame
    events: list[tuple[int, str]]
    structure: dict[str, float]
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)


def final_year(weekly: pd.DataFrame) -> pd.DataFrame:
    """The last 52 weeks of a weekly table (all of it if the run was shorter)."""
    return weekly[weekly.index > weekly.index.max() - TRAILING_WEEKS]


def derived(means: Any, seats: Any) -> dict[str, Any]:
    """Figures computed from the model's, where the model does not report them itself.

    `means` maps figure names to final-year means (a dict, or a table's columns) and
    `seats` is the number of seats (a number, or one per row): bookings per seat (k$ a
    week) and attrition, voluntary plus involuntary.
    """
    extra = {}
    if "bookings_per_seat" not in means:
        extra["bookings_per_seat"] = means["bookings"] / seats
    if "attrition_rate" not in means:
        extra["attrition_rate"] = (
            means["voluntary_attrition_rate"] + means["involuntary_attrition_rate"]
        )
    return extra


def summarize(result: RunResult) -> dict[str, Any]:
    """Means over the final year of the headline figures, plus the run's identity."""
    last = final_year(result.weekly)
    weeks = int(result.weekly.index.max())
    means = {name: float(last[name].mean()) for name in HEADLINE if name in last}
    means.update(derived(means, result.scenario.levers.n_sellers))
    return {
        "scenario": result.scenario.name,
        "description": result.scenario.description,
        "seed": result.seed,
        "weeks": weeks,
        "final_year_weeks": [int(last.index.min()), weeks],
        "final_year": means,
        "bookings_final_year_total": float(last["bookings"].sum()),
        "structure": result.structure,
        "interventions": [{"week": w, "note": note} for w, note in result.events],
        "interventions_not_reached": [
            {"week": iv.week, "note": iv.note}
            for iv in result.scenario.interventions
            if iv.week > weeks
        ],
        "levers": result.scenario.levers.model_dump(),
        "seconds": round(result.seconds, 3),
    }


def run_scenario(
    scenario: str | Scenario = "baseline",
    *,
    seed: int | None = 1,
    overrides: dict[str, Any] | None = None,
    progress: bool = False,
) -> RunResult:
    """Run a scenario for its `weeks` and return its tables.

    Args:
        scenario: name, path or loaded `Scenario`.
        seed: seed of the run.
        overrides: levers to set on top of the scenario (validated).
        progress: show a progress bar.

    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    loaded = loaded.with_levers(overrides or {}, source="--set")
    start = time.perf_counter()
    with (
        deferred_signals() as deliver,  # Ctrl-C and SIGTERM between weeks, never mid-week
        tqdm(
            total=loaded.levers.weeks,
            desc=f"weeks of {loaded.name}",
            unit="week",
            disable=not progress,
            leave=False,
        ) as bar,
    ):
        model = SalesOrgModel(loaded, seed=seed)
        while model.running:
            model.step()
            bar.update(1)
            deliver()
    weekly = model.datacollector.get_model_vars_dataframe()
    weekly.index.name = "week"
    people = model.datacollector.get_agent_vars_dataframe().reset_index()
    people = people[people["role"] == "seller"].rename(columns={"Step": "week"})
    structure = {
        "deal_hops": model.org.deal_hops(),
        "asks_per_seller": model.org.asks_per_seller(),
        "sellers_per_presales": model.org.sellers_per_presales(),
        "managers": model.org.n_managers,
        "presales_engineers": model.org.n_presales,
        "approval_desks": len(model.org.desks),
    }
    result = RunResult(
        scenario=loaded,
        seed=seed,
        weekly=weekly,
        people=people.reset_index(drop=True),
        events=list(model.events),
        structure=structure,
        seconds=time.perf_counter() - start,
    )
    result.summary = summarize(result)
    release(model)
    return result


def release(model: mesa.Model) -> None:
    """Drop Mesa's class-level reference to a finished model, so its memory can be freed."""
    mesa.Agent._ids.pop(model, None)
