"""Fire the bottom 10% or fix the organization? Third-year figures over seeds, both regimes.

python benchmarks/fire_vs_fix.py [--seeds 8]

Prints, per regime, each scenario's third-year means (bookings first, since attainment
moves with the quota plan) and, for each policy, the paired difference to its regime's
reference with a 95% interval (replication i of every scenario shares its seed).
"""

from __future__ import annotations

import argparse

from sim.experiments.compare import compare

REGIMES = {
    "system binds": ("baseline", "fire-low-performers", "fix-the-organization"),
    "talent binds": ("talent-bound", "talent-bound-firing"),
}
FIGURES = (
    ("bookings", "bookings k$/wk", "{:,.0f}"),
    ("quota_attainment_share", "at quota", "{:.0%}"),
    ("quota", "quota k$", "{:,.0f}"),
    ("mean_skill", "skill", "{:.3f}"),
    ("voluntary_attrition_rate", "voluntary", "{:.0%}"),
    ("involuntary_attrition_rate", "involuntary", "{:.0%}"),
    ("mean_morale", "morale", "{:.2f}"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    print(f"Third-year means over {args.seeds} paired replications (seed 1)\n")
    print(
        "| regime | scenario | "
        + " | ".join(label for _, label, _ in FIGURES)
        + " | bookings vs reference (95%) |"
    )
    print("|---|---|" + "---|" * (len(FIGURES) + 1))
    for regime, names in REGIMES.items():
        c = compare(list(names), replications=args.seeds, progress=False)
        base = c.value(names[0], "bookings")
        for i, name in enumerate(names):
            cells = [fmt.format(c.value(name, key)) for key, _, fmt in FIGURES]
            if i == 0:
                diff = "(reference)"
            else:
                d, lo, hi = (
                    c.value(name, "bookings", col) / base
                    for col in ("diff", "diff_low", "diff_high")
                )
                diff = f"{d:+.1%} ({lo:+.1%} to {hi:+.1%})"
            print(
                f"| {regime if i == 0 else ''} | `{name}` | " + " | ".join(cells) + f" | {diff} |"
            )


if __name__ == "__main__":
    main()
