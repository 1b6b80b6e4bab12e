"""The costs behind the size limits: peak memory and time of runs, against the estimate.

Each size runs in a fresh process (`salesorg run`, as a user would), timed, with its peak
resident memory read from the operating system. The per-seat, per-row and per-seller-week
costs are fitted from the measurements and printed beside the constants of
`sim/experiments/sizes.py`, with the estimate for each size: the estimate should be at or
a little above what was measured.

    python benchmarks/sizes.py                  # 5,000, 20,000 and 60,000 sellers
    python benchmarks/sizes.py --sellers 10000 100000 --weeks 156
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

from sim.experiments import sizes
from sim.scenario import Levers


def measure(sellers: int, weeks: int, every: int) -> tuple[float, float]:
    """Peak memory (bytes) and wall time (seconds) of one `salesorg run` of this size."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        args = ["run", "baseline", "--quiet", "--no-limits", "--out", f"{folder}/out"]
        args += ["--weeks", str(weeks), "--set", f"n_sellers={sellers}"]
        args += ["--set", f"people_every={every}"]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim.cli", *args], check=True, capture_output=True)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        print("  (peak not above an earlier, larger run: run the sizes from small to large)")
    return peak * 1024.0, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sellers", type=int, nargs="+", default=[5000, 20000, 60000])
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--every", type=int, default=13, help="people_every of the runs")
    args = parser.parse_args()
    warmup = Levers().warmup_weeks
    rows, memory, seconds = [], [], []
    print(f"{'sellers':>9} {'peak MiB':>9} {'estimate':>9} {'seconds':>8} {'estimate':>9}")
    for n in sorted(args.sellers):
        people = sizes.person_rows(n, args.weeks, args.every)
        peak, wall = measure(n, args.weeks, args.every)
        work = sizes.Work("run", 1, n, args.weeks + warmup, person_rows=people)
        guess = sizes.estimate(work)
        rows.append((n, people))
        memory.append(peak)
        seconds.append(wall)
        print(
            f"{n:>9,} {peak / 2**20:>9,.0f} {guess.memory / 2**20:>9,.0f} "
            f"{wall:>8.1f} {guess.seconds:>9.1f}"
        )
    if len(rows) >= 2:
        n = np.array([r[0] for r in rows], dtype=float)
        per_seat = np.polyfit(n, np.array(memory), 1)[0]
        per_seat_second = np.polyfit(n, np.array(seconds), 1)[0]
        fixed = sizes.SELLER_BYTES + sizes.PERSON_ROW_BYTES * rows[0][1] / rows[0][0]
        measured = f"measured {per_seat:,.0f} B"
        print(f"memory per seat (model and its rows): {measured}, constants {fixed:,.0f} B")
        rows_per_seat = rows[0][1] / rows[0][0]
        constant = (
            sizes.SELLER_SECONDS
            + (args.weeks + warmup) * sizes.SELLER_WEEK_SECONDS
            + rows_per_seat * sizes.ROW_SECONDS
        )
        print(
            f"seconds per seat (all costs of a run): measured {per_seat_second * 1e6:,.0f} us, "
            f"constants {constant * 1e6:,.0f} us"
        )
    print(f"(this machine: {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
