"""Plots of a run, made to be shown to a room: where the week goes, selling time, attainment."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sim.reports.style import (
    CATEGORY_COLORS,
    CATEGORY_LABELS,
    STACK_ORDER,
    TYPICAL,
    bands_for,
    fmt_band,
)

Bands = dict[str, tuple[tuple[float, float], str]]


def _mark_events(ax: plt.Axes, events: list[tuple[int, str]]) -> None:
    for week, _ in events:
        if week > 0:
            ax.axvline(week, color="#424242", lw=0.8, ls=":")


def _finish_share_plot(ax, events, top: float, ylabel: str, title: str, legend: str) -> None:
    """Interventions marked, a percent axis from 0 to `top`, labels and legend."""
    _mark_events(ax, list(events))
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("week")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, loc=legend)


def plot_week(weekly: pd.DataFrame, events: list[tuple[int, str]] = (), title: str = "") -> Figure:
    """Stacked area: the average seller's hours per category, week by week."""
    fig, ax = plt.subplots(figsize=(9, 4.8), layout="constrained")
    data = weekly.iloc[1:]  # week 0 is the state at start, before any week was worked
    ax.stackplot(
        data.index,
        [data[f"hours_{c}"] for c in STACK_ORDER],
        labels=[CATEGORY_LABELS[c] for c in STACK_ORDER],
        colors=[CATEGORY_COLORS[c] for c in STACK_ORDER],
        alpha=0.9,
    )
    _mark_events(ax, list(events))
    ax.set_xlabel("week")
    ax.set_ylabel("hours per seller per week")
    ax.set_title(title or "Where the week goes")
    ax.set_xlim(data.index.min(), data.index.max())
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, reverse=True)
    return fig


def _band_label(band: tuple[float, float], whose: str) -> str:
    return f"public range {fmt_band(band)}" + ("" if whose == TYPICAL else f" ({whose})")


def plot_selling_time(
    weekly: pd.DataFrame, events: list[tuple[int, str]] = (), bands: Bands | None = None
) -> Figure:
    """Share of the working week spent selling, against the public range that applies."""
    band, whose = (bands or bands_for(()))["selling_time_share"]
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    data = weekly.iloc[1:]
    ax.axhspan(*band, color="#c8e6c9", alpha=0.6, label=_band_label(band, whose))
    ax.plot(data.index, data["selling_time_share"], color=CATEGORY_COLORS["selling"], lw=1.2)
    rolling = data["selling_time_share"].rolling(13, min_periods=1).mean()
    ax.plot(data.index, rolling, color="#1b5e20", lw=2.2, label="13-week average")
    top = max(0.6, float(data["selling_time_share"].max()) + 0.05)
    _finish_share_plot(
        ax, events, top, "share of hours spent selling", "Selling time", "upper left"
    )
    return fig


def plot_attainment(
    weekly: pd.DataFrame, events: list[tuple[int, str]] = (), bands: Bands | None = None
) -> Figure:
    """Share of ramped sellers at quota, against its public range; mean attainment beside it."""
    band, whose = (bands or bands_for(()))["quota_attainment_share"]
    fig, (share, mean) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained", sharex=True)
    data = weekly.iloc[1:]
    share.axhspan(*band, color="#bbdefb", alpha=0.6, label=_band_label(band, whose))
    share.plot(data.index, data["quota_attainment_share"], color="#1565c0", lw=2, label="at quota")
    title = "Ramped sellers at quota"
    _finish_share_plot(share, events, 1.0, "share, trailing 52 weeks", title, "lower right")
    mean.axhline(1.0, color="#9e9e9e", ls="--", lw=1, label="quota")
    mean.plot(data.index, data["mean_attainment"], color="#6a1b9a", lw=2, label="mean attainment")
    top = max(1.2, float(data["mean_attainment"].max()) + 0.1)
    title = "Mean attainment of ramped sellers"
    _finish_share_plot(mean, events, top, "of quota, trailing 52 weeks", title, "lower right")
    return fig


def plot_people(weekly: pd.DataFrame, events: list[tuple[int, str]] = ()) -> Figure:
    """Headcount and vacancies, attrition (voluntary, involuntary, regretted), morale."""
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), layout="constrained", sharex=True)
    data = weekly.iloc[1:]
    (heads, attrition), (regret, morale) = axes
    heads.plot(data.index, data["headcount"], color="#1565c0", lw=2, label="sellers in seats")
    heads.plot(data.index, data["vacancies"], color="#c62828", lw=1.5, label="vacant seats")
    heads.set_title("Headcount")
    heads.set_ylim(0, None)
    attrition.plot(
        data.index, data["voluntary_attrition_rate"], color="#ef6c00", lw=2, label="voluntary"
    )
    attrition.plot(
        data.index, data["involuntary_attrition_rate"], color="#6d4c41", lw=2, label="involuntary"
    )
    attrition.set_title("Attrition (annualized, trailing 52 weeks)")
    attrition.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    attrition.set_ylim(0, None)
    regret.axhline(0.25, color="#9e9e9e", ls="--", lw=1, label="if skill did not matter")
    regret.plot(
        data.index,
        data["regretted_attrition_share"],
        color="#ad1457",
        lw=2,
        label="voluntary leavers from the top skill quartile",
    )
    regret.set_title("Regretted attrition")
    regret.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    regret.set_ylim(0, 1)
    morale.plot(data.index, data["mean_morale"], color="#2e7d32", lw=2, label="mean morale")
    morale.set_title("Morale (0-1)")
    morale.set_ylim(0, 1)
    for ax in axes.flat:
        _mark_events(ax, list(events))
        ax.legend(frameon=False, loc="best", fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("week")
    return fig


def run_figures(
    weekly: pd.DataFrame, events: list[tuple[int, str]], bands: Bands | None = None
) -> dict[str, Figure]:
    """The figures of one run, by file stem; `bands` are the public ranges that apply."""
    return {
        "where_the_week_goes": plot_week(weekly, events),
        "selling_time": plot_selling_time(weekly, events, bands),
        "attainment": plot_attainment(weekly, events, bands),
        "people": plot_people(weekly, events),
    }
