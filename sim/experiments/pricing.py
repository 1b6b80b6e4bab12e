"""What a change costs and what it returns: staff added, money a year, and when it pays back.

Every run reports each week's cost, margin and contribution (`sim.model.metrics`); a
comparison's paired differences of them, times 52, are what a scenario adds a year against
the reference. The payback is read off each replication's cumulative difference in
contribution from the week the scenario first departs from the reference (its first
intervention, or its first firing review): the week after which it stays at or above zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiments.compare import Comparison, interval
from sim.model.organization import staff
from sim.scenario import Scenario

WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class Price:
    """What a scenario adds against the reference, a year (k$), with 95% intervals."""

    staff: dict[str, float]  # role -> how many more at the end of the run (negative: fewer)
    cost: tuple[float, float, float]
    margin: tuple[float, float, float]
    contribution: tuple[float, float, float]
    payback_months: tuple[float, float, float] | None  # None: not paid back in some run
    paid_back: int  # replications in which it paid back within the run
    replications: int


def departure_week(scenario: Scenario, reference: Scenario) -> int:
    """The first week `scenario` differs from `reference`: its first own intervention or review."""
    weeks = [iv.week for iv in scenario.interventions if iv not in reference.interventions]
    if scenario.levers.fire_bottom_share > 0 and reference.levers.fire_bottom_share == 0:
        weeks.append(scenario.levers.fire_start_week)
    return min(weeks, default=0)


def staff_change(scenario: Scenario, reference: Scenario) -> dict[str, float]:
    """More (or fewer) managers, directors, presales engineers and analysts at the end."""
    new, old = staff(scenario.final_levers()), staff(reference.final_levers())
    return {role: getattr(new, role) - getattr(old, role) for role in new._fields}


def price(c: Comparison, name: str) -> Price:
    """What scenario `name` adds against the comparison's first scenario."""
    reference = c.scenarios[0]
    scenario = next(s for s in c.scenarios if s.name == name)
    yearly = {
        m: tuple(52 * c.value(name, m, k) for k in ("diff", "diff_low", "diff_high"))
        for m in ("cost", "margin", "contribution")
    }
    start = departure_week(scenario, reference)
    weekly = c.weekly[c.weekly.week >= max(start, 1)]
    ours = weekly[weekly.scenario == name].pivot(
        index="week", columns="replication", values="contribution"
    )
    theirs = weekly[weekly.scenario == reference.name].pivot(
        index="week", columns="replication", values="contribution"
    )
    cumulative = (ours - theirs).cumsum()
    months = []
    for replication in cumulative.columns:
        below = np.flatnonzero(cumulative[replication].to_numpy() < 0)
        if below.size and below[-1] == len(cumulative) - 1:
            continue  # still behind at the end: not paid back within the run
        weeks = below[-1] + 1 if below.size else 0
        months.append(weeks / WEEKS_PER_MONTH)
    everyone = len(months) == cumulative.shape[1]
    return Price(
        staff=staff_change(scenario, reference),
        cost=yearly["cost"],
        margin=yearly["margin"],
        contribution=yearly["contribution"],
        payback_months=interval(np.array(months)) if everyone and months else None,
        paid_back=len(months),
        replications=int(cumulative.shape[1]),
    )


def _months(n: float) -> str:
    return "1 month" if round(n) == 1 else f"{n:.0f} months"


def money(k: float) -> str:
    """k$ as a reader says it: "+1.2 M$", "-350 k$"."""
    if math.isnan(k):
        return "n/a"
    if abs(k) >= 1000:
        return f"{k / 1000:+,.1f} M$"
    return f"{k:+,.0f} k$"


def staff_words(change: dict[str, float]) -> str:
    """Staff changes in words: "adds 13 presales engineers", or "keeps the same staff"."""
    names = {
        "presales": ("presales engineer", "presales engineers"),
        "analysts": ("approval analyst", "approval analysts"),
        "managers": ("front-line manager", "front-line managers"),
        "directors": ("second-line manager", "second-line managers"),
    }
    added, removed = [], []
    for role, delta in change.items():
        n = round(delta)
        if n:
            word = names[role][0] if abs(n) == 1 else names[role][1]
            (added if n > 0 else removed).append(f"{abs(n)} {word}")
    parts = []
    if added:
        parts.append("adds " + " and ".join(added))
    if removed:
        parts.append("removes " + " and ".join(removed))
    return "; ".join(parts) if parts else "keeps the same staff"


def sentence(c: Comparison, name: str) -> str:
    """The money of `name` against the reference, in one plain sentence."""
    p = price(c, name)

    def span(values: tuple[float, float, float]) -> str:
        return f"{money(values[0])} ({money(values[1])} to {money(values[2])})"

    if p.payback_months is not None:
        mean, low, high = p.payback_months
        back = (
            "it pays for itself at once"
            if high <= 0.5
            else f"it pays back in {_months(mean)} ({max(low, 0):.0f} to {high:.0f})"
        )
    elif p.paid_back:
        back = f"it pays back within the run in {p.paid_back} of {p.replications} runs only"
    else:
        back = "it does not pay back within the run"
    return (
        f"In money, {name} {staff_words(p.staff)}: cost {span(p.cost)} a year, gross margin "
        f"{span(p.margin)}, contribution {span(p.contribution)}; {back}."
    )


def pricing_table(c: Comparison) -> pd.DataFrame:
    """Every scenario's price against the reference, as a table (k$ a year)."""
    rows = []
    for scenario in c.scenarios[1:]:
        p = price(c, scenario.name)
        row = {"scenario": scenario.name, **{f"more_{k}": v for k, v in p.staff.items()}}
        for key in ("cost", "margin", "contribution"):
            row[key], row[f"{key}_low"], row[f"{key}_high"] = getattr(p, key)
        row["payback_months"] = p.payback_months[0] if p.payback_months else float("nan")
        row["paid_back_runs"] = p.paid_back
        rows.append(row)
    return pd.DataFrame(rows)
