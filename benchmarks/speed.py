"""Speed of the full model, beside Mesa's own Boltzmann wealth model in the same process.

    python benchmarks/speed.py            # 1,000 and 10,000 sellers, then 100,000 for 52 weeks

Prints seller-weeks per second of `SalesOrgModel.step()` (every mechanism, the weekly
DataCollector and the per-person table every 13 weeks) and Mesa's BoltzmannWealth
agent-steps per second with the same number of agents; then the wall time and peak memory
of a 100,000-seller organization built and run for 52 weeks, in a fresh process.

Both models are timed the same way: each repeat builds a fresh model (not timed), runs
`WARMUP_STEPS` steps (not timed; our model's constructor already simulates its warm-up
weeks, Boltzmann's first steps fill its grid cells' lazily cached neighbourhoods), collects
garbage, then times the same number of `model.step()` calls with the garbage collector on,
as in real use. Repeats alternate between the models, so a slow spell on a shared machine
hits both runs of a repeat; the table shows the median of the repeats and their range,
and the ratio as the median over repeats of our rate over Boltzmann's in the same repeat
(a paired comparison: a slow spell that hits both runs of a repeat cancels out of it).

Boltzmann's speed depends on its grid (how often agents share a cell), so two grids are
shown: A, the example's own density of one agent per cell (a sqrt(n) x sqrt(n) grid, as
its default of 100 agents on 10 x 10), and B, a fixed 100 x 100 grid (one agent per ten
cells at 1,000; at 10,000 it is the same grid as A, so it is not run twice).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial

import mesa
from mesa.examples import BoltzmannWealth

import sim

WARMUP_STEPS = 26  # Boltzmann's untimed steps, as many as our model's warm-up weeks


def timed_steps(model: mesa.Model, steps: int) -> float:
    """Seconds for `steps` calls of `model.step()`, starting with no garbage pending."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - start
    mesa.Agent._ids.pop(model, None)
    return elapsed


def salesorg_once(n: int, steps: int) -> float:
    """Seller-weeks per second of one fresh organization (built and warmed up untimed)."""
    model = sim.SalesOrgModel(seed=1, n_sellers=n, weeks=steps)
    return n * steps / timed_steps(model, steps)


def boltzmann_once(n: int, steps: int, side: int) -> float:
    """Agent-steps per second of one fresh BoltzmannWealth on a side x side grid."""
    model = BoltzmannWealth(n=n, width=side, height=side, seed=1)
    for _ in range(WARMUP_STEPS):
        model.step()
    return n * steps / timed_steps(model, steps)


def interleaved(repeats: int, runs: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Every run `repeats` times, taking turns, so that machine noise is shared."""
    rates: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            rates[name].append(run())
    return rates


def big_run(n: int, weeks: int) -> dict:
    """Build and run one organization; report wall time and peak resident memory."""
    start = time.perf_counter()
    model = sim.SalesOrgModel(seed=1, n_sellers=n, weeks=weeks)
    built = time.perf_counter() - start
    model.run_model()
    total = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"sellers": n, "weeks": weeks, "build_s": built, "total_s": total, "peak_mib": peak_mib}


def fmt(rates: list[float]) -> str:
    """Median, and the range of the repeats."""
    return f"{statistics.median(rates):>11,.0f} [{min(rates) / 1e3:,.0f}k-{max(rates) / 1e3:,.0f}k]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each model")
    parser.add_argument("--big", type=int, default=100_000, help="sellers of the big run (0: skip)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(big_run(args.big, 52)))
        return

    print(
        f"median of {args.repeats} runs [range]; same steps for both models, each after "
        f"{WARMUP_STEPS} untimed steps\n"
        "ratio: the median over the repeats of salesorg's rate over Boltzmann's in that repeat\n"
        "Boltzmann A: the example's own density (one agent per cell, sqrt(n) x sqrt(n) grid)\n"
        "Boltzmann B: a fixed 100 x 100 grid\n"
    )
    head = ("sellers", "steps", "salesorg seller-weeks/s", "Boltzmann A", "Boltzmann B")
    print(f"{head[0]:>7} {head[1]:>5} {head[2]:>29} {head[3]:>27} ratio {head[4]:>27} ratio")
    for n in args.sizes:
        steps = 312 if n <= 2_000 else 52  # long enough that a short slow spell averages out
        side = math.ceil(math.sqrt(n))
        runs = {
            "salesorg": partial(salesorg_once, n, steps),
            "A": partial(boltzmann_once, n, steps, side),
        }
        if side != 100:
            runs["B"] = partial(boltzmann_once, n, steps, 100)
        rates = interleaved(args.repeats, runs)
        ours = rates["salesorg"]
        line = f"{n:>7,} {steps:>5} {fmt(ours):>29}"
        for name in ("A", "B"):
            theirs = rates.get(name, rates["A"])
            same = " (= A)" if name not in rates else ""
            ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
            line += f" {fmt(theirs):>27} {ratio:>5.1f}x{same}"
        print(line, flush=True)
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
