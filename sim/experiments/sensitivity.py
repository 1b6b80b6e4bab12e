"""Sampling designs and sensitivity indices (SALib): which levers matter, and how much.

`design_points` draws a Latin hypercube, a Sobol (Saltelli) or a Morris design over lever
bounds; the sweep runs it (resumable, replicated); `analyze` turns the per-point means
into Sobol indices (first-order S1 and total ST, with confidence intervals) or Morris
elementary effects (mu_star, sigma). Integer levers are rounded when a point is run; the
analysis uses the design as drawn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin, morris, sobol

from sim.scenario import Levers, ScenarioError, check_levers

DESIGNS = ("lhs", "sobol", "morris")
MORRIS_LEVELS = 4
KEY_OUTCOMES = (
    "bookings",
    "quota_attainment_share",
    "selling_time_share",
    "voluntary_attrition_rate",
)


def parse_bounds(text: str) -> tuple[str, float, float]:
    """`lever=lo:hi` (a third `:n` is allowed and ignored) -> (lever, lo, hi), validated."""
    if "=" not in text or text.count(":") not in (1, 2):
        raise ScenarioError(f"--vary {text!r}: expected lever=lo:hi, e.g. follow_up=0:1")
    name, spec = (part.strip() for part in text.split("=", 1))
    if name not in Levers.model_fields:
        check_levers({name: None}, source="--vary")  # refuses it, naming the closest lever
    try:
        low, high = (float(v) for v in spec.split(":")[:2])
    except ValueError:
        raise ScenarioError(f"--vary {text!r}: lo and hi must be numbers") from None
    if not low < high:
        raise ScenarioError(f"--vary {text!r}: lo must be below hi")
    check_levers({name: low}, source="--vary")
    check_levers({name: high}, source="--vary")
    return name, low, high


def problem(bounds: list[tuple[str, float, float]]) -> dict[str, Any]:
    """The SALib problem for these lever bounds."""
    return {
        "num_vars": len(bounds),
        "names": [name for name, _, _ in bounds],
        "bounds": [[low, high] for _, low, high in bounds],
    }


def design_points(
    design: str, bounds: list[tuple[str, float, float]], samples: int, seed: int
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """The design matrix as drawn, and the lever values to run (integers rounded)."""
    spec = problem(bounds)
    if design == "sobol":
        matrix = sobol.sample(spec, samples, calc_second_order=False, seed=seed)
    elif design == "morris":
        matrix = morris.sample(spec, samples, num_levels=MORRIS_LEVELS, seed=seed)
    elif design == "lhs":
        matrix = latin.sample(spec, samples, seed=seed)
    else:
        raise ScenarioError(f"--design {design!r}: expected one of {', '.join(DESIGNS)}")
    return matrix, rounded_points(spec, matrix)


def rounded_points(spec: dict[str, Any], matrix: np.ndarray) -> list[dict[str, Any]]:
    """The lever values run for each design row: integer levers rounded."""
    integer = [Levers.model_fields[name].annotation is int for name in spec["names"]]
    return [
        {
            n: (round(v) if i else float(v))
            for n, v, i in zip(spec["names"], row, integer, strict=True)
        }
        for row in matrix
    ]


def analyze(
    design: str, spec: dict[str, Any], matrix: np.ndarray, outcomes: pd.DataFrame
) -> pd.DataFrame:
    """Sensitivity indices of every outcome column to every lever, one row per pair."""
    rows = []
    for outcome in outcomes.columns:
        y = outcomes[outcome].to_numpy(dtype=float)
        if not np.isfinite(y).all() or np.allclose(y, y[0]):
            continue
        if design == "sobol":
            res = sobol_analyze.analyze(spec, y, calc_second_order=False, seed=1)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            res = morris_analyze.analyze(spec, matrix, y, num_levels=MORRIS_LEVELS, seed=1)
            keys = ("mu_star", "mu_star_conf", "sigma")
        for i, lever in enumerate(spec["names"]):
            rows.append({"outcome": outcome, "lever": lever, **{k: float(res[k][i]) for k in keys}})
    return pd.DataFrame(rows)


def sweep_indices(
    out: Path, design: str, spec: dict[str, Any], matrix: np.ndarray, runs: pd.DataFrame
) -> pd.DataFrame:
    """Indices from the runs of a finished design sweep in folder `out`.

    Raises:
        ScenarioError: the runs are not this design's (another sweep wrote the folder), or
            some design point has no successful run yet.

    """
    expected = pd.DataFrame(rounded_points(spec, matrix))
    got = runs.groupby("point")[spec["names"]].first() if len(runs) else expected.iloc[:0]
    if len(got) > len(expected) or not np.allclose(
        got.to_numpy(dtype=float), expected.loc[got.index].to_numpy(dtype=float)
    ):
        raise ScenarioError(
            f"{out}: runs.csv does not hold this design's points: another sweep "
            "wrote this folder; use a fresh --out"
        )
    ok = runs[runs["error"].fillna("") == ""]
    missing = sorted(set(range(len(matrix))) - set(ok["point"]))
    if missing:
        shown = ", ".join(map(str, missing[:10]))
        raise ScenarioError(
            f"{out}: no successful run yet for design point(s) {shown} of {len(matrix)}: "
            "re-run the sweep command to finish them"
        )
    outcomes = [
        c for c in ok.columns if c not in {*spec["names"], "replication", "seed", "error", "point"}
    ]
    means = ok.groupby("point")[outcomes].mean().reindex(range(len(matrix)))
    return analyze(design, spec, matrix, means)


def save_design(
    out: Path, design: str, bounds: list[tuple[str, float, float]], samples: int, seed: int
) -> None:
    """Record the design so that a resumed sweep and `salesorg sensitivity` can rebuild it."""
    (out / "design.json").write_text(
        json.dumps({"design": design, "bounds": bounds, "samples": samples, "seed": seed}, indent=2)
    )


def load_design(out: Path) -> tuple[str, list[tuple[str, float, float]], int, int]:
    """The design recorded in a sweep folder."""
    path = out / "design.json"
    if not path.is_file():
        raise ScenarioError(
            f"{out}: no design.json: run `salesorg sweep ... --design sobol|morris` first"
        )
    spec = json.loads(path.read_text())
    return spec["design"], [tuple(b) for b in spec["bounds"]], spec["samples"], spec["seed"]
