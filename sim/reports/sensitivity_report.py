"""The sensitivity files of a design sweep: sensitivity.csv and sensitivity.png."""

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


def plot_indices(indices: pd.DataFrame, design: str) -> Figure:
    """Bars per lever for the key outcomes: total Sobol index, or Morris mu_star."""
    outcomes = [o for o in KEY_OUTCOMES if o in set(indices.outcome)] or list(
        indices.outcome.unique()
    )[:4]
    value, conf = ("ST", "ST_conf") if design == "sobol" else ("mu_star", "mu_star_conf")
    fig, axes = plt.subplots(
        1, len(outcomes), figsize=(4 * len(outcomes), 3.8), layout="constrained", squeeze=False
    )
    for ax, outcome in zip(axes[0], outcomes, strict=False):
        part = indices[indices.outcome == outcome].sort_values(value)
        ax.barh(part.lever, part[value], xerr=part[conf], color="#1565c0", alpha=0.85)
        ax.set_title(outcome.replace("_", " "))
        ax.set_xlabel("total Sobol index ST" if design == "sobol" else "Morris mu*")
    return fig


def write_sensitivity(
    out: Path, design: str, spec: dict[str, Any], matrix: np.ndarray, runs: pd.DataFrame
) -> pd.DataFrame:
    """Indices from a finished design sweep, written to sensitivity.csv and sensitivity.png.

    Raises:
        ScenarioError: see `sim.experiments.sensitivity.sweep_indices`.

    """
    indices = sweep_indices(out, design, spec, matrix, runs)
    indices.to_csv(out / "sensitivity.csv", index=False)
    fig = plot_indices(indices, design)
    fig.savefig(out / "sensitivity.png", dpi=110)
    plt.close(fig)
    return indices
