"""Sampling designs and sensitivity indices (SALib): which levers matter, and how much.

`design_points` draws a Latin hypercube, a Sobol (Saltelli) or a Morris design over lever
bounds; the sweep runs it (resumable, replicated); `analyze` turns the per-point means
into Sobol indices (first-order S1 and total ST, with confidence intervals) or Morris
elementary effects (mu_star, sigma). Integer levers are rounded when a point is run; the
analysis uses the design as drawn.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin, morris, sobol

from sim.scenario import Levers, ScenarioError, check_levers

DESIGNS = ("lhs", "sobol", "morris")
MORRIS_LEVELS = 4
#: fewer base samples than this give indices that are noise (Morris: sigma needs two paths)
MIN_SAMPLES = {"sobol": 8, "morris": 2, "lhs": 1}
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


def check_samples(design: str, samples: int) -> None:
    """Refuse a design too small to say anything."""
    least = MIN_SAMPLES.get(design, 1)
    if samples < least:
        what = {"sobol": "Sobol indices", "morris": "Morris effects and their spread (sigma)"}
        raise ScenarioError(
            f"--samples {samples}: {what.get(design, 'the design')} need at least {least} "
            f"base samples to mean anything; allowed {least} or more (32 or 64 is typical)"
        )


def sample_note(design: str, samples: int) -> str | None:
    """A note when Sobol samples are not a power of two (the sequence converges worst)."""
    if design == "sobol" and samples & (samples - 1):
        better = 1 << samples.bit_length()
        return (
            f"note: --samples {samples}: Sobol' sequences balance best at a power of two "
            f"(e.g. {better // 2} or {better})"
        )
    return None


def design_size(design: str, levers: int, samples: int) -> int:
    """Points of a design, before drawing it: Sobol N(D+2), Morris N(D+1), LHS N."""
    return samples * {"sobol": levers + 2, "morris": levers + 1}.get(design, 1)


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
        with warnings.catch_warnings():  # SALib's warning on powers of two: see `sample_note`
            warnings.simplefilter("ignore", UserWarning)
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
    try:
        same = len(got) <= len(expected) and np.allclose(
            got.to_numpy(dtype=float), expected.loc[got.index].to_numpy(dtype=float)
        )
    except (KeyError, ValueError, TypeError):
        same = False
    if not same:
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
    damaged = [c for c in outcomes if not is_numeric_dtype(ok[c])]
    if damaged:
        raise ScenarioError(
            f"{out}: runs.csv column {damaged[0]!r} is not numbers; re-run the sweep "
            "command: runs.csv is rebuilt from the journal"
        )
    means = ok.groupby("point")[outcomes].mean().reindex(range(len(matrix)))
    return analyze(design, spec, matrix, means)


def design_record(
    design: str, bounds: list[tuple[str, float, float]], samples: int, seed: int
) -> dict[str, Any]:
    """The design as design.json records it, so `salesorg sensitivity` can rebuild it."""
    return {"design": design, "bounds": [list(b) for b in bounds], "samples": samples, "seed": seed}


def load_design(out: Path) -> tuple[str, list[tuple[str, float, float]], int, int]:
    """The design recorded in a sweep folder, checked.

    Raises:
        ScenarioError: there is none, or it is damaged.

    """
    path = out / "design.json"
    if not path.is_file():
        raise ScenarioError(
            f"{out}: no design.json: run `salesorg sweep ... --design sobol|morris` first"
        )
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
        design, samples, seed = spec["design"], spec["samples"], spec["seed"]
        bounds = [(name, float(low), float(high)) for name, low, high in spec["bounds"]]
        if design not in DESIGNS or not isinstance(samples, int) or not isinstance(seed, int):
            raise ValueError("unknown design, or samples and seed not whole numbers")
        for name, low, high in bounds:
            parse_bounds(f"{name}={low}:{high}")
        check_samples(design, samples)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc}); re-run the sweep") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ScenarioError(
            f"{path}: damaged, not a design this tool wrote ({type(exc).__name__}: {exc}); "
            "re-run the sweep into a new --out"
        ) from None
    return design, bounds, samples, seed


def read_runs(out: Path, levers: list[str]) -> pd.DataFrame:
    """The runs.csv of a sweep folder, checked for the columns the indices need.

    Raises:
        ScenarioError: it is missing, unreadable or lacks columns.

    """
    path = out / "runs.csv"
    if not path.is_file():
        raise ScenarioError(f"{out}: no runs.csv yet: re-run the sweep command to finish it")
    try:
        runs = pd.read_csv(path, dtype={"error": str})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ScenarioError(
            f"{path}: cannot be read as a table ({type(exc).__name__}); re-run the sweep "
            "command: runs.csv is rebuilt from the journal"
        ) from None
    missing = [c for c in ("point", "error", *levers) if c not in runs.columns]
    numeric = [c for c in ("point", *levers) if c in runs and not is_numeric_dtype(runs[c])]
    if missing or numeric:
        what = f"no column {missing[0]!r}" if missing else f"column {numeric[0]!r} is not numbers"
        raise ScenarioError(
            f"{path}: {what}; re-run the sweep command: runs.csv is rebuilt from the journal"
        )
    return runs
