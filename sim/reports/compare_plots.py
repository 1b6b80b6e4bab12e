"""Plots of a comparison: trajectories with confidence bands, and the week side by side."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim.experiments.compare import CONFIDENCE, Comparison
from sim.model.state import TRAILING_WEEKS
from sim.reports.style import CATEGORY_COLORS, CATEGORY_LABELS, STACK_ORDER

PALETTE = ("#455a64", "#c62828", "#2e7d32", "#1565c0", "#6a1b9a", "#ef6c00", "#00838f")
TRAJECTORIES = (
    ("selling_time_share", "Share of the week spent selling", True),
    ("quota_attainment_share", "Ramped sellers at quota", True),
    ("attrition", "Attrition, voluntary + involuntary (annualized)", True),
    ("headcount", "Sellers in seats", False),
    ("bookings", "Bookings per week (k$, 13-week average)", False),
)


def _band(weekly: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean over replications per week, with a t-interval."""
    grouped = weekly.groupby("week")[column]
    mean, sem, count = grouped.mean(), grouped.sem(), grouped.count()
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, np.maximum(count - 1, 1)) * sem.fillna(0.0)
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half})


def _intervention_weeks(comparison: Comparison) -> list[tuple[str, str, list[int]]]:
    """(label, colour, weeks) of each scenario's interventions, and its first firing review."""
    last = int(comparison.weekly["week"].max())
    marks = []
    for color, scenario in zip(PALETTE, comparison.scenarios, strict=False):
        weeks = sorted({iv.week for iv in scenario.interventions if 0 < iv.week <= last})
        if weeks:
            marks.append((f"{scenario.name}: interventions from week {weeks[0]}", color, weeks))
        levers = scenario.levers
        first = getattr(levers, "fire_start_week", 0)
        if getattr(levers, "fire_bottom_share", 0) > 0 and 0 < first <= last:
            marks.append((f"{scenario.name}: first firing review, week {first}", color, [first]))
    return marks


def plot_trajectories(comparison: Comparison) -> Figure:
    """One panel per figure: each scenario's mean path and its 95% band over replications.

    Dotted lines in a scenario's colour mark the weeks its interventions start; every panel
    keeps its own week labels.
    """
    fig, axes = plt.subplots(3, 2, figsize=(11, 10), layout="constrained", sharex=True)
    marks = _intervention_weeks(comparison)
    weekly = comparison.weekly[comparison.weekly["week"] > 0].copy()
    weekly["attrition"] = weekly["voluntary_attrition_rate"] + weekly["involuntary_attrition_rate"]
    smooth = weekly.groupby(["scenario", "replication"])["bookings"].transform(
        lambda s: s.rolling(13, min_periods=1).mean()
    )
    weekly["bookings"] = smooth
    for ax, (column, title, share) in zip(axes.flat, TRAJECTORIES, strict=False):
        for color, scenario in zip(PALETTE, comparison.scenarios, strict=False):
            band = _band(weekly[weekly.scenario == scenario.name], column)
            ax.plot(band.index, band["mean"], color=color, lw=2, label=scenario.name)
            ax.fill_between(band.index, band["low"], band["high"], color=color, alpha=0.2, lw=0)
        for label, color, weeks in marks:
            for i, week in enumerate(weeks):
                ax.axvline(week, color=color, lw=1.2, ls=":", label=label if i == 0 else None)
        ax.set_title(title)
        ax.set_ylim(0, None)
        ax.set_xlabel("week")
        ax.xaxis.set_tick_params(labelbottom=True)  # sharex hides the labels of inner panels
        if share:
            ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.flat[-1].axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    axes.flat[-1].legend(handles, labels, loc="center", frameon=False, title="mean and 95% band")
    return fig


def plot_weeks_side_by_side(comparison: Comparison) -> Figure:
    """The average seller's final-year week in each scenario, as stacked bars."""
    weekly = comparison.weekly
    last = weekly[weekly["week"] > weekly["week"].max() - TRAILING_WEEKS]
    names = [s.name for s in comparison.scenarios]
    columns = [f"hours_{c}" for c in STACK_ORDER]
    hours = last.groupby("scenario")[columns].mean().loc[names]
    fig, ax = plt.subplots(figsize=(2.2 * len(names) + 4, 5), layout="constrained")
    bottom = np.zeros(len(names))
    for category, column in zip(STACK_ORDER, columns, strict=True):
        values = hours[column].to_numpy()
        ax.bar(
            names,
            values,
            bottom=bottom,
            color=CATEGORY_COLORS[category],
            label=CATEGORY_LABELS[category],
            width=0.6,
        )
        if category == "selling":
            for x, v in enumerate(values):
                ax.text(
                    x,
                    v / 2,
                    f"{v:.1f} h",
                    ha="center",
                    va="center",
                    color="white",
                    fontweight="bold",
                )
        bottom += values
    ax.set_ylabel("hours per seller per week (final year)")
    ax.set_title("Where the week goes")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, reverse=True)
    return fig


def comparison_figures(comparison: Comparison) -> dict[str, Figure]:
    """The figures of a comparison, by file stem."""
    return {
        "trajectories": plot_trajectories(comparison),
        "where_the_week_goes": plot_weeks_side_by_side(comparison),
    }
