"""Third-year figures of the shipped scenarios over several seeds, against the public ranges.

python benchmarks/calibration.py [--seeds 5] [--scenarios baseline friction-heavy ...]
"""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from sim.experiments.runner import final_year, run_scenario
from sim.scenario import scenario_names

FIGURES = {
    "selling_time_share": ("selling time", "28-41% (friction-heavy 9-22%)"),
    "quota_attainment_share": ("at quota", "40-62% (45-60% in the studies)"),
    "mean_attainment": ("mean attainment", ""),
    "initiatives_per_seller": ("initiatives/seller", ""),
    "specialist_wait_weeks": ("wait weeks", ""),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scenarios", nargs="*", default=scenario_names())
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    jobs = [(name, seed) for name in args.scenarios for seed in seeds]
    values: dict[str, dict[str, list[float]]] = {
        name: {k: [] for k in FIGURES} for name in args.scenarios
    }
    for name, seed in tqdm(jobs, desc="runs", unit="run"):
        last = final_year(run_scenario(name, seed=seed).weekly)
        for key in FIGURES:
            values[name][key].append(float(last[key].mean()))
    print(f"Final-year means over seeds {seeds.start}-{seeds.stop - 1}: mean [min, max]")
    for name in args.scenarios:
        print(f"\n{name}")
        for key, (label, public) in FIGURES.items():
            v = np.array(values[name][key])
            pct = key.endswith("share")
            fmt = (lambda x: f"{x:.1%}") if pct else (lambda x: f"{x:.2f}")
            print(f"  {label:<20} {fmt(v.mean()):>7} [{fmt(v.min())}, {fmt(v.max())}]  {public}")


if __name__ == "__main__":
    main()
