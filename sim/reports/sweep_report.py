"""The report of a sweep: how the outcomes respond to the levers, as plots and a page.

A grid over one lever gives a response curve per outcome (mean over replications with a
95% band); over two levers, a heat map per outcome; over more, each lever's main effect
(the outcome averaged over the other levers). A sampling design gives a scatter of each
outcome against each lever, and its sensitivity plot when there is one.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.experiments.compare import interval
from sim.files import record_files
from sim.reports.sensitivity_report import lever_name
from sim.reports.style import fmt_value, label_of, png_bytes

#: the outcomes a sweep report shows, when the runs have them
SHOWN = ("bookings", "quota_attainment_share", "selling_time_share", "attrition_rate")
MAX_LEVERS_SHOWN = 4


def finished(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that did not fail, with total attrition added where it can be."""
    ok = runs[runs["error"].fillna("") == ""].copy()
    if "attrition_rate" not in ok and {
        "voluntary_attrition_rate",
        "involuntary_attrition_rate",
    } <= set(ok):
        ok["attrition_rate"] = ok["voluntary_attrition_rate"] + ok["involuntary_attrition_rate"]
    return ok


def _percent(ax: plt.Axes, outcome: str, axis: str = "y") -> None:
    if label_of(outcome)[1] == "pct":
        (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0))


def response_curves(ok: pd.DataFrame, lever: str, outcomes: list[str]) -> Figure:
    """One lever: each outcome's mean over replications, with its 95% band."""
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.2 * len(outcomes), 3.6), squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        rows = [(x, *interval(g[outcome].to_numpy())) for x, g in ok.groupby(lever)]
        x, mean, low, high = (np.array(v, dtype=float) for v in zip(*rows, strict=True))
        ax.plot(x, mean, "o-", color="#1565c0", lw=2)
        ax.fill_between(x, low, high, color="#1565c0", alpha=0.2, lw=0)
        ax.set_xlabel(lever_name(lever))
        ax.set_title(label_of(outcome)[0], fontsize=10)
        _percent(ax, outcome)
    fig.suptitle("How the outcomes respond (mean over replications, 95% band)")
    fig.tight_layout()
    return fig


def heat_maps(ok: pd.DataFrame, levers: list[str], outcomes: list[str]) -> Figure:
    """Two levers: each outcome's mean over replications on the grid, as a heat map."""
    first, second = levers
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.6 * len(outcomes), 4.2), squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        table = ok.pivot_table(index=second, columns=first, values=outcome, aggfunc="mean")
        pct = label_of(outcome)[1] == "pct"
        image = ax.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(table.columns)), [f"{v:g}" for v in table.columns], fontsize=8)
        ax.set_yticks(range(len(table.index)), [f"{v:g}" for v in table.index], fontsize=8)
        if table.size <= 100:
            for (i, j), value in np.ndenumerate(table.to_numpy()):
                text = f"{value:.0%}" if pct else f"{value:,.0f}"
                ax.text(j, i, text, ha="center", va="center", color="white", fontsize=7)
        ax.set_xlabel(lever_name(first))
        ax.set_ylabel(lever_name(second))
        ax.set_title(label_of(outcome)[0], fontsize=10)
        bar = fig.colorbar(image, ax=ax, shrink=0.85)
        if pct:
            bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    fig.suptitle("How the outcomes respond to both levers (mean over replications)")
    fig.tight_layout()
    return fig


def _panels(levers: list[str], outcomes: list[str], draw, title: str) -> Figure:
    """A grid of panels, one row per outcome and one column per lever, each drawn by `draw`."""
    shown = levers[:MAX_LEVERS_SHOWN]
    fig, axes = plt.subplots(
        len(outcomes), len(shown), figsize=(3.6 * len(shown), 2.8 * len(outcomes)), squeeze=False
    )
    for row, outcome in zip(axes, outcomes, strict=True):
        for ax, lever in zip(row, shown, strict=True):
            draw(ax, lever, outcome)
            ax.set_xlabel(lever_name(lever), fontsize=8)
            ax.set_title(label_of(outcome)[0], fontsize=9)
            _percent(ax, outcome)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def main_effects(ok: pd.DataFrame, levers: list[str], outcomes: list[str]) -> Figure:
    """More levers: each outcome against each lever, averaged over the other levers."""

    def draw(ax: plt.Axes, lever: str, outcome: str) -> None:
        means = ok.groupby(lever)[outcome].mean()
        ax.plot(means.index, means.to_numpy(), "o-", color="#1565c0")

    return _panels(levers, outcomes, draw, "Each lever's main effect (averaged over the others)")


def scatter(ok: pd.DataFrame, levers: list[str], outcomes: list[str]) -> Figure:
    """A sampled design: each outcome (mean per design point) against each lever."""
    means = ok.groupby("point")[[*levers, *outcomes]].mean()

    def draw(ax: plt.Axes, lever: str, outcome: str) -> None:
        ax.plot(means[lever], means[outcome], ".", color="#1565c0", alpha=0.7)

    return _panels(levers, outcomes, draw, "Each design point: the outcomes against each lever")


def response_figure(ok: pd.DataFrame, levers: list[str], design: str | None) -> Figure | None:
    """The response plot that suits the sweep, or None when nothing finished."""
    outcomes = [o for o in SHOWN if o in ok]
    varied = [lever for lever in levers if ok[lever].nunique() > 1] if len(ok) else []
    if not outcomes or not varied:
        return None
    if design not in (None, "grid"):
        return scatter(ok, varied, outcomes)
    if len(varied) == 1:
        return response_curves(ok, varied[0], outcomes)
    if len(varied) == 2:
        return heat_maps(ok, varied, outcomes)
    return main_effects(ok, varied, outcomes)


def best_points(ok: pd.DataFrame, levers: list[str], count: int = 5) -> str:
    """The points with the highest mean bookings, as an HTML table."""
    if "bookings" not in ok or ok.empty:
        return ""
    shown = [o for o in SHOWN if o in ok]
    means = ok.groupby(levers)[shown].mean().sort_values("bookings", ascending=False).head(count)
    head = "".join(f"<th>{html.escape(lever_name(v))}</th>" for v in levers)
    head += "".join(f"<th>{html.escape(label_of(o)[0])}</th>" for o in shown)
    rows = []
    for key, values in means.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        cells = "".join(f"<td class=num>{v:g}</td>" for v in key)
        cells += "".join(
            f"<td class=num>{fmt_value(values[o], label_of(o)[1])}</td>" for o in shown
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f"<h2>The points with the most bookings</h2><table><tr>{head}</tr>{''.join(rows)}</table>"
    )


def write_sweep_report(
    out: Path, runs: pd.DataFrame, levers: list[str], scenario: str, design: str | None = None
) -> Path:
    """Write response.png and report.html into a sweep's folder; return the report's path."""
    out = Path(out)
    ok = finished(runs)
    figure = response_figure(ok, levers, design)
    images: dict[str, bytes] = {}
    if figure is not None:
        images["response"] = png_bytes(figure)
    if (out / "sensitivity.png").is_file() and design in ("sobol", "morris"):
        images["sensitivity"] = (out / "sensitivity.png").read_bytes()
    record_files(out, ("response.png", "report.html"))
    if "response" in images:
        scratch = out / ".response.png.tmp"
        scratch.write_bytes(images["response"])
        scratch.replace(out / "response.png")
    failed = len(runs) - len(ok)
    figures = "".join(
        f'<figure><img alt="{stem}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for stem, png in images.items()
    )
    kind = "a grid" if design in (None, "grid") else f"a {design} design"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>salesorg-sim: sweep of {html.escape(scenario)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #212121; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>Sweep of {html.escape(scenario)}: {html.escape(", ".join(levers))}</h1>
<p>{kind} over {len(levers)} lever(s): {len(runs)} runs, {failed} failed (see runs.csv).
Figures are final-year means of each run.</p>
{figures or "<p>No run has finished yet.</p>"}
{best_points(ok, levers)}
</body></html>
"""
    scratch = out / ".report.html.tmp"
    scratch.write_text(page, encoding="utf-8")
    scratch.replace(out / "report.html")
    return out / "report.html"
