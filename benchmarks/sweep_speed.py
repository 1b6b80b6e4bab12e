"""A sweep of the baseline on one process and on all cores: speed-up and memory over many runs.

    python benchmarks/sweep_speed.py [--runs 1000] [--weeks 52]

Runs the same sweep (one point, `--runs` replications) with 1 worker and with every core,
each into a fresh folder, and prints runs per second, the speed-up, the results' equality,
and the peak memory of the parent and of the largest worker process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from sim.experiments.engines.local import default_workers
from sim.experiments.sweep import sweep


def timed_sweep(runs: int, weeks: int, workers: int) -> tuple[float, pd.DataFrame]:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        table = sweep(
            "baseline",
            [{"weeks": weeks}],
            out=Path(folder),
            replications=runs,
            workers=workers,
            progress=True,
        )
        return time.perf_counter() - start, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()
    cores = default_workers()
    serial, one = timed_sweep(args.runs, args.weeks, 1)
    parent_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parallel, many = timed_sweep(args.runs, args.weeks, cores)
    child_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    same = one.drop(columns="point").equals(many.drop(columns="point"))
    print(f"{args.runs} runs of the baseline, {args.weeks} weeks each")
    print(f"  1 process:  {serial:6.1f} s  ({args.runs / serial:5.1f} runs/s)")
    print(f"  {cores} processes: {parallel:6.1f} s  ({args.runs / parallel:5.1f} runs/s)")
    print(f"  speed-up {serial / parallel:.2f}x; identical results: {same}")
    print(f"  peak memory: parent {parent_mib:,.0f} MiB, largest worker {child_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
