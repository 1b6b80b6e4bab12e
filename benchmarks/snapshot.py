"""Snapshot of the model's tables, to check that a change leaves every number as it was.

    python benchmarks/snapshot.py save DIR      # before the change
    python benchmarks/snapshot.py compare DIR   # after: worst relative difference, exit 1 if any

Runs every shipped scenario for a few seeds (78 weeks each) through the public API
(`sim.run`) and keeps the weekly table and the people table of each run.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd

import sim
from sim.scenario import scenario_names

SEEDS = (1, 2, 3)
WEEKS = 78


def tables() -> dict[tuple[str, int], dict[str, pd.DataFrame]]:
    out = {}
    for name in scenario_names():
        for seed in SEEDS:
            result = sim.run(name, seed=seed, overrides={"weeks": WEEKS})
            out[name, seed] = {"weekly": result.weekly, "people": result.people}
    return out


def worst_difference(a: pd.DataFrame, b: pd.DataFrame) -> float:
    if list(a.columns) != list(b.columns) or a.shape != b.shape:
        return float("inf")
    worst = 0.0
    for column in a.columns:
        x, y = a[column].to_numpy(), b[column].to_numpy()
        if x.dtype.kind in "fiub" and y.dtype.kind in "fiub":
            x, y = x.astype(float), y.astype(float)
            both_nan = np.isnan(x) & np.isnan(y)
            scale = np.maximum(np.abs(x), np.abs(y))
            diff = np.where(both_nan, 0.0, np.abs(x - y) / np.where(scale > 0, scale, 1.0))
            worst = max(worst, float(np.nanmax(diff)) if diff.size else 0.0)
        elif not (pd.Series(x).astype(str) == pd.Series(y).astype(str)).all():
            return float("inf")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    path = args.folder / "snapshot.pkl"
    now = tables()
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(now))
        print(f"saved {len(now)} runs to {path}")
        return 0
    before = pickle.loads(path.read_bytes())
    worst = 0.0
    for key in sorted(before.keys() | now.keys()):
        if key not in before or key not in now:
            print(f"{key}: only in one snapshot")
            worst = float("inf")
            continue
        for table in ("weekly", "people"):
            diff = worst_difference(before[key][table], now[key][table])
            if diff > 0:
                print(f"{key} {table}: worst relative difference {diff:.3g}")
            worst = max(worst, diff)
    print(f"{len(now)} runs; worst relative difference {worst:.3g}")
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
