"""Calibration: the shipped scenarios' third years over seeds, against the public figures.

`TARGETS` holds, per scenario, the public range each figure must land in (DESIGN.md and
the issue that set them), with its source. `calibrate_table` runs the scenarios over seeds
(common random numbers, on the local pool) and returns the third-year mean of each figure
per run; `ramp_months` measures how long a new hire takes to reach 90% of a tenured
seller's bookings. `benchmarks/calibration.py` prints the table; `tests/test_calibration.py`
asserts it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.experiments.replications import replicate

YEAR = 52
THIRD_YEAR = (2 * YEAR + 1, 3 * YEAR)  # weeks 105-156


@dataclass(frozen=True)
class Target:
    """A public range one figure of one scenario must land in (the mean over seeds)."""

    scenario: str
    figure: str
    low: float
    high: float
    source: str


TARGETS = (
    Target("baseline", "selling_time_share", 0.28, 0.41, "Salesforce 28-34%, CSO Insights 41%"),
    Target("baseline", "quota_attainment_share", 0.45, 0.60, "CSO Insights 52-59%, Xactly 54%"),
    Target("baseline", "attrition_rate", 0.25, 0.40, "Bridge Group: about one in three a year"),
    Target("baseline", "voluntary_share", 0.35, 0.65, "Bridge Group: roughly half voluntary"),
    Target("friction-heavy", "selling_time_share", 0.09, 0.22, "field time studies"),
    Target("friction-heavy", "quota_attainment_share", 0.15, 0.40, "CSO Insights laggards"),
    Target("friction-heavy", "attrition_rate", 0.30, 0.55, "Bridge Group; Gartner 2022"),
    Target("fix-the-organization", "bookings_vs_baseline", 0.10, 0.60, "tens of percent"),
    Target("fix-the-organization", "quota_attainment_share", 0.45, 0.75, "plans reset"),
)
#: every shipped scenario stays inside these (DESIGN.md: "magnitudes elsewhere")
AT_QUOTA_BOUNDS = (0.10, 0.80)
#: Bridge Group 2024: median ramp 5.0 months (to 90% of a tenured seller's productivity)
RAMP_MONTHS = (4.0, 6.5)


def third_year(weekly: pd.DataFrame) -> pd.DataFrame:
    """Third-year means per scenario and replication, with the derived figures."""
    low, high = THIRD_YEAR
    part = weekly[(weekly["week"] >= low) & (weekly["week"] <= high)]
    runs = part.groupby(["scenario", "replication"], sort=False).mean(numeric_only=True)
    runs["attrition_rate"] = runs["voluntary_attrition_rate"] + runs["involuntary_attrition_rate"]
    runs["voluntary_share"] = runs["voluntary_attrition_rate"] / runs["attrition_rate"]
    return runs.reset_index()


def calibrate_table(
    scenarios: list[str], seeds: int = 6, *, progress: bool = False, workers: int | None = None
) -> pd.DataFrame:
    """Third-year means of every scenario over `seeds` replications (weeks forced to 156).

    `bookings_vs_baseline` is each run's bookings over the baseline's in the same
    replication, less one (when the baseline is among the scenarios).
    """
    weekly = replicate(
        scenarios,
        replications=seeds,
        seed=1,
        overrides={"weeks": 3 * YEAR},
        progress=progress,
        workers=workers,
    )
    runs = third_year(weekly)
    if "baseline" in scenarios:
        base = runs[runs.scenario == "baseline"].set_index("replication")["bookings"]
        runs["bookings_vs_baseline"] = runs["bookings"] / runs["replication"].map(base) - 1.0
    return runs


def ramp_months(seeds: int = 6, weeks: int = 260, scenario: str = "baseline") -> float:
    """Months until a new hire's bookings reach 90% of a tenured seller's, in the same weeks.

    Every hire's weekly bookings by week of tenure are set against the mean bookings of the
    sellers with a year or more of tenure in the same week; the ratio, averaged over hires
    and smoothed over 13 weeks, first reaching 0.9 is the ramp.
    """
    from sim.model import SalesOrgModel

    total = np.zeros(weeks)
    count = np.zeros(weeks)
    for seed in range(1, seeds + 1):
        model = SalesOrgModel(scenario, seed=seed, weeks=weeks)
        s = model.sellers
        start = np.full(s.n, -1)  # the week each seat's seller was hired (-1: before the run)
        while model.running:
            model.step()
            tenured = s.filled & (s.tenure >= YEAR)
            if not tenured.any():
                continue
            reference = s.bookings_week[tenured].mean()
            new = np.flatnonzero(s.filled & (s.tenure == 1))
            start[new] = model.steps
            start[~s.filled] = -1
            hires = np.flatnonzero((start > 0) & s.filled)
            age = model.steps - start[hires]
            np.add.at(total, age, s.bookings_week[hires] / max(reference, 1e-9))
            np.add.at(count, age, 1)
    seen = count > 0
    ratio = np.zeros(weeks)
    ratio[seen] = total[seen] / count[seen]
    smooth = pd.Series(ratio[seen]).rolling(13, min_periods=13, center=True).mean().to_numpy()
    reached = np.flatnonzero(smooth >= 0.9)
    week = int(np.flatnonzero(seen)[reached[0]]) if reached.size else weeks
    return week * 12 / 52


def target_rows(runs: pd.DataFrame) -> list[dict]:
    """Each target with the model's mean and range over seeds, and whether it lands."""
    rows = []
    for target in TARGETS:
        values = runs.loc[runs.scenario == target.scenario, target.figure].to_numpy(float)
        if values.size == 0:
            continue
        rows.append(
            {
                "scenario": target.scenario,
                "figure": target.figure,
                "mean": float(values.mean()),
                "min": float(values.min()),
                "max": float(values.max()),
                "low": target.low,
                "high": target.high,
                "lands": bool(target.low <= values.mean() <= target.high),
                "source": target.source,
            }
        )
    return rows
