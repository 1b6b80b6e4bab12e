"""Fire the bottom 10% or fix the organization? Third-year figures over seeds, both regimes.

python benchmarks/fire_vs_fix.py [--seeds 6]
"""

from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from sim.experiments.runner import final_year, run_scenario

REGIMES = {
    "system binds": ("baseline", "fire-low-performers", "fix-the-organization"),
    "talent binds": ("talent-bound", "talent-bound-firing"),
}
FIGURES = (
    ("mean_attainment", "attainment", "{:.0%}"),
    ("quota_attainment_share", "at quota", "{:.0%}"),
    ("bookings", "bookings k$/wk", "{:,.0f}"),
    ("mean_skill", "skill", "{:.3f}"),
    ("voluntary_attrition_rate", "vol. attrition", "{:.0%}"),
    ("mean_morale", "morale", "{:.2f}"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    names = [n for group in REGIMES.values() for n in group]
    values = {n: {f: [] for f, _, _ in FIGURES} for n in names}
    for name, seed in tqdm([(n, s) for n in names for s in seeds], unit="run"):
        last = final_year(run_scenario(name, seed=seed).weekly)
        for key, _, _ in FIGURES:
            values[name][key].append(float(last[key].mean()))
    print(f"Final-year means over seeds 1-{args.seeds}: mean [min, max]")
    for regime, group in REGIMES.items():
        print(f"\n{regime}")
        print(f"  {'scenario':<22}" + "".join(f"{label:>24}" for _, label, _ in FIGURES))
        for name in group:
            cells = []
            for key, _, fmt in FIGURES:
                v = np.array(values[name][key])
                cells.append(
                    f"{fmt.format(v.mean())} [{fmt.format(v.min())}, {fmt.format(v.max())}]"
                )
            print(f"  {name:<22}" + "".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
