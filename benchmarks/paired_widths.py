"""Width of the 95% interval of the paired bookings difference to the baseline.

    python benchmarks/paired_widths.py [--replications 10] [--seed 1]

Common random numbers make replication i of every scenario share its luck; the narrower
the paired interval, the more of the difference is policy rather than luck. Prints, for
fire-low-performers and fix-the-organization against the baseline, the mean difference
of final-year weekly bookings and its 95% interval, as a share of the baseline's bookings.
"""

from __future__ import annotations

import argparse

import sim

SCENARIOS = ("baseline", "fire-low-performers", "fix-the-organization")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    comparison = sim.compare(
        list(SCENARIOS), replications=args.replications, seed=args.seed, progress=False
    )
    base = comparison.value("baseline", "bookings")
    print("| scenario vs baseline | bookings difference | 95% interval | width |")
    print("|---|---|---|---|")
    for name in SCENARIOS[1:]:
        diff = comparison.value(name, "bookings", "diff") / base
        low = comparison.value(name, "bookings", "diff_low") / base
        high = comparison.value(name, "bookings", "diff_high") / base
        print(f"| {name} | {diff:+.1%} | {low:+.1%} to {high:+.1%} | {high - low:.1%} |")


if __name__ == "__main__":
    main()
