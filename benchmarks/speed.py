"""Speed of the full model, beside Mesa's own Boltzmann wealth model in the same process.

    python benchmarks/speed.py            # 1,000 and 10,000 sellers, then 100,000 for 52 weeks

Prints seller-weeks per second of `SalesOrgModel.step()` (every mechanism, the weekly
DataCollector and the per-person table every 13 weeks) and Mesa's BoltzmannWealth
agent-steps per second with the same number of agents, on two grids (the example's own
density of one agent per cell, and a fixed 100 x 100 grid: Boltzmann's speed depends on
it); then the wall time and peak memory of a 100,000-seller organization built and run
for 52 weeks, in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time

import mesa
from mesa.examples import BoltzmannWealth

import sim


def best_of(repeats: int, fn) -> float:
    return min(fn() for _ in range(repeats))


def boltzmann_rate(n: int, steps: int, side: int) -> float:
    """Agent-steps per second of Mesa's BoltzmannWealth with `n` agents on a side x side grid."""

    def once() -> float:
        model = BoltzmannWealth(n=n, width=side, height=side, seed=1)
        start = time.perf_counter()
        for _ in range(steps):
            model.step()
        elapsed = time.perf_counter() - start
        mesa.Agent._ids.pop(model, None)
        return elapsed

    return n * steps / best_of(3, once)


def salesorg_rate(n: int, weeks: int) -> float:
    def once() -> float:
        model = sim.SalesOrgModel(seed=1, n_sellers=n, weeks=weeks)
        start = time.perf_counter()
        while model.running:
            model.step()
        elapsed = time.perf_counter() - start
        mesa.Agent._ids.pop(model, None)
        return elapsed

    return n * weeks / best_of(7 if n <= 2_000 else 3, once)


def big_run(n: int, weeks: int) -> dict:
    """Build and run one organization; report wall time and peak resident memory."""
    start = time.perf_counter()
    model = sim.SalesOrgModel(seed=1, n_sellers=n, weeks=weeks)
    built = time.perf_counter() - start
    model.run_model()
    total = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sellers": n, "weeks": weeks, "build_s": built, "total_s": total, "peak_mib": peak_mib}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--big", type=int, default=100_000, help="sellers of the big run (0: skip)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(big_run(args.big, 52)))
        return

    print(
        "Boltzmann A: the example's own density (one agent per cell, sqrt(n) x sqrt(n) grid)\n"
        "Boltzmann B: a fixed 100 x 100 grid\n"
    )
    head = ("sellers", "salesorg seller-weeks/s", "Boltzmann A", "ratio", "Boltzmann B", "ratio")
    print(f"{head[0]:>8} {head[1]:>24} {head[2]:>12} {head[3]:>6} {head[4]:>12} {head[5]:>6}")
    for n in args.sizes:
        ours = salesorg_rate(n, 104 if n <= 2_000 else 52)
        steps = 50 if n <= 2_000 else 10
        dense = boltzmann_rate(n, steps, math.ceil(math.sqrt(n)))
        sparse = boltzmann_rate(n, steps, 100)
        print(
            f"{n:>8,} {ours:>24,.0f} {dense:>12,.0f} {ours / dense:>5.1f}x"
            f" {sparse:>12,.0f} {ours / sparse:>5.1f}x"
        )
    if args.big:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--big", str(args.big)],
            capture_output=True,
            text=True,
            check=True,
        )
        big = json.loads(out.stdout)
        print(
            f"{big['sellers']:,} sellers x {big['weeks']} weeks: {big['total_s']:.1f} s in all "
            f"({big['build_s']:.1f} s to build and warm up), peak memory {big['peak_mib']:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
