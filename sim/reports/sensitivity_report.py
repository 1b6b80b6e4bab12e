"""The sensitivity files of a design sweep: sensitivity.csv and sensitivity.png, and words.

Levers are named in plain words with their unit and swept range; Morris's mu* (the mean
absolute change of an outcome when a lever moves across its whole swept range) is in the
outcome's unit, shown with sigma (how much that change depends on the other levers);
Sobol's indices are shares of the outcome's variance (first order S1 and total ST).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.sensitivity import KEY_OUTCOMES, sweep_indices
from sim.files import record_files
from sim.reports.style import label_of, png_bytes
from sim.scenario.levers import lever_table

UNITS = {row["name"]: row["unit"] for row in lever_table()}
#: the outcomes the console speaks of
CONSOLE_OUTCOMES = ("bookings", "quota_attainment_share")


def lever_name(lever: str, bounds: dict[str, tuple[float, float]] | None = None) -> str:
    """A lever in plain words, with its unit and swept range: "approval steps (0-6 hops)"."""
    unit = UNITS.get(lever, "")
    unit = "" if unit in ("0-1", "choice") else unit  # a 0-1 scale says so by its range
    span = bounds.get(lever) if bounds else None
    inside = " ".join(x for x in (f"{span[0]:g}-{span[1]:g}" if span else "", unit) if x)
    return lever.replace("_", " ") + (f" ({inside})" if inside else "")


OUTCOME_UNITS = {"bookings": "k$ a week", "bookings_per_seat": "k$ per seat a week"}


def outcome_unit(outcome: str) -> str:
    """The unit a Morris effect on `outcome` is given in."""
    label, kind = label_of(outcome)
    if outcome in OUTCOME_UNITS:
        return OUTCOME_UNITS[outcome]
    if kind == "pct":
        return "percentage points"
    if "(" in label:
        return label[label.rfind("(") + 1 : label.rfind(")")]
    return "its own unit"


def effect_text(value: float, outcome: str) -> str:
    """A Morris effect in the outcome's unit: "12 points", "2,814"."""
    _, kind = label_of(outcome)
    if kind == "pct":
        return f"{100 * value:.0f} points"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def ranked_lines(indices: pd.DataFrame, design: str, bounds: dict | None = None) -> list[str]:
    """The console's lines: levers ranked by their index, for bookings and the share at quota."""
    lines = []
    for outcome in CONSOLE_OUTCOMES:
        part = indices[indices.outcome == outcome]
        if part.empty:
            continue
        label = label_of(outcome)[0]
        if design == "sobol":
            part = part.sort_values("ST", ascending=False)
            ranked = ", ".join(
                f"{lever_name(r.lever)} {r.ST:.2f} (±{r.ST_conf:.2f})" for r in part.itertuples()
            )
            lines.append(
                f"{label}: total Sobol index ST, the share of its variance due to each lever "
                f"with its interactions: {ranked}"
            )
        else:
            part = part.sort_values("mu_star", ascending=False)
            ranked = ", ".join(
                f"{lever_name(r.lever)} {effect_text(r.mu_star, outcome)} "
                f"(sigma {effect_text(r.sigma, outcome)})"
                for r in part.itertuples()
            )
            lines.append(
                f"{label}: Morris mu*, the mean absolute change across each lever's swept range, "
                f"in {outcome_unit(outcome)}: {ranked}"
            )
    return lines


def plot_indices(
    indices: pd.DataFrame, design: str, bounds: dict[str, tuple[float, float]] | None = None
) -> Figure:
    """Bars per lever for the key outcomes: Sobol S1 and ST, or Morris mu* with sigma."""
    outcomes = [o for o in KEY_OUTCOMES if o in set(indices.outcome)] or list(
        indices.outcome.unique()
    )[:4]
    columns = min(len(outcomes), 2)
    rows = -(-len(outcomes) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(6.5 * columns, 3.6 * rows), layout="constrained", squeeze=False
    )
    for ax in axes.flat[len(outcomes) :]:
        ax.axis("off")
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        value = "ST" if design == "sobol" else "mu_star"
        part = indices[indices.outcome == outcome].sort_values(value)
        names = [lever_name(lever, bounds) for lever in part.lever]
        y = np.arange(len(part))
        if design == "sobol":
            ax.barh(y, part.ST, xerr=part.ST_conf, color="#1565c0", alpha=0.85, label="total ST")
            ax.barh(y, part.S1, height=0.4, color="#90caf9", label="first order S1")
            ax.set_xlabel("share of the variance (0-1)")
        else:
            scale = 100.0 if label_of(outcome)[1] == "pct" else 1.0
            ax.barh(
                y,
                part.mu_star * scale,
                xerr=part.mu_star_conf * scale,
                color="#1565c0",
                alpha=0.85,
                label="mu*: mean absolute effect",
            )
            ax.plot(part.sigma * scale, y, "D", color="#ef6c00", label="sigma: its spread")
            ax.set_xlabel(f"change across the lever's range ({outcome_unit(outcome)})")
        ax.set_yticks(y, names, fontsize=9)
        ax.set_title(label_of(outcome)[0], fontsize=10)
        ax.set_xlim(0, None)
    axes[0][0].legend(loc="lower right", fontsize=8, framealpha=0.8)
    fig.suptitle(
        "Which levers move the outcomes: total Sobol indices"
        if design == "sobol"
        else "Which levers move the outcomes: Morris elementary effects"
    )
    return fig


def write_sensitivity(
    out: Path, design: str, spec: dict[str, Any], matrix: np.ndarray, runs: pd.DataFrame
) -> pd.DataFrame:
    """Indices from a finished design sweep, written to sensitivity.csv and sensitivity.png.

    Raises:
        ScenarioError: see `sim.experiments.sensitivity.sweep_indices`.

    """
    indices = sweep_indices(out, design, spec, matrix, runs)
    bounds = dict(zip(spec["names"], map(tuple, spec["bounds"]), strict=True))
    record_files(out, ("sensitivity.csv", "sensitivity.png"))
    scratch = out / ".sensitivity.csv.tmp"
    indices.to_csv(scratch, index=False)
    scratch.replace(out / "sensitivity.csv")
    scratch = out / ".sensitivity.png.tmp"
    scratch.write_bytes(png_bytes(plot_indices(indices, design, bounds)))
    scratch.replace(out / "sensitivity.png")
    return indices
