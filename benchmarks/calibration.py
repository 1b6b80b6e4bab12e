"""Third-year figures of the shipped scenarios over seeds, against the public ranges.

python benchmarks/calibration.py [--seeds 6] [--scenarios baseline friction-heavy ...]

Prints every target of `sim.experiments.calibration.TARGETS` (mean over seeds [min, max]
and the public range), the share at quota of every scenario against the bounds no shipped
scenario may leave, and the new-hire ramp.
"""

from __future__ import annotations

import argparse

from sim.experiments.calibration import (
    AT_QUOTA_BOUNDS,
    RAMP_MONTHS,
    calibrate_table,
    ramp_months,
    target_rows,
)
from sim.scenario import scenario_names

FIGURES = (
    "bookings",
    "quota",
    "quota_attainment_share",
    "mean_attainment",
    "selling_time_share",
    "attrition_rate",
    "voluntary_share",
    "mean_skill",
    "mean_morale",
    "win_rate",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--scenarios", nargs="*", default=scenario_names())
    parser.add_argument("--no-ramp", action="store_true", help="skip the ramp measurement")
    args = parser.parse_args()
    runs = calibrate_table(args.scenarios, args.seeds, progress=True)
    print(f"\nThird-year means (weeks 105-156) over seeds 1-{args.seeds}: mean [min, max]\n")
    print("| scenario | figure | model | public range | lands | source |")
    print("|---|---|---|---|---|---|")
    for row in target_rows(runs):
        print(
            f"| {row['scenario']} | {row['figure']} | {row['mean']:.1%} "
            f"[{row['min']:.1%}, {row['max']:.1%}] | {row['low']:.0%}-{row['high']:.0%} "
            f"| {'yes' if row['lands'] else 'NO'} | {row['source']} |"
        )
    low, high = AT_QUOTA_BOUNDS
    print(f"\nEvery scenario (at quota must stay within {low:.0%}-{high:.0%}):\n")
    print("| scenario | " + " | ".join(FIGURES) + " |")
    print("|---|" + "---|" * len(FIGURES))
    means = runs.groupby("scenario", sort=False)[list(FIGURES)].mean()
    for name, row in means.iterrows():
        cells = [
            f"{row[f]:,.0f}"
            if f in ("bookings", "quota")
            else f"{row[f]:.3f}"
            if f in ("mean_skill", "mean_morale")
            else f"{row[f]:.1%}"
            for f in FIGURES
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if not args.no_ramp:
        months = ramp_months(args.seeds)
        print(
            f"\nnew hire to 90% of a tenured seller's bookings: {months:.1f} months "
            f"(Bridge Group 2024 median 5.0; accepted {RAMP_MONTHS[0]}-{RAMP_MONTHS[1]})"
        )


if __name__ == "__main__":
    main()
