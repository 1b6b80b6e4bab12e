"""How long calibrating the 150-seller worked example takes, and with how many simulations.

    python benchmarks/calibrate_speed.py [--minutes 8] [--population 200] [--workers 2]

Runs `salesorg calibrate scenarios/examples/acme.toml --targets
scenarios/examples/acme.targets.toml` into a fresh temporary folder, as a user would, and
prints the wall time, the simulations, and which levers the data pinned down (against the
levers that made the example's targets).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

TRUTH = {
    "prospect_rate": 0.045,
    "competition": 0.4,
    "handoff_hours": 1.3,
    "chase_hours": 0.7,
    "quit_rate": 0.07,
    "manage_out_rate": 0.012,
    "talent_sd": 0.15,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=8.0)
    parser.add_argument("--population", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "acme"
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sim.cli",
                "calibrate",
                "scenarios/examples/acme.toml",
                "--targets",
                "scenarios/examples/acme.targets.toml",
                "--out",
                str(out),
                "--quiet",
                "--generations",
                str(args.generations),
                "--population",
                str(args.population),
                "--workers",
                str(args.workers),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        if done.returncode:
            sys.exit(done.stderr)
        print(done.stdout.strip())
        print(f"wall time {seconds:.0f} s on {args.workers} workers")
        table = pd.read_csv(out / "identifiability.csv")
        for row in table.itertuples():
            inside = row.low <= TRUTH[row.lever] <= row.high
            print(
                f"  {row.lever:<16} truth {TRUTH[row.lever]:<6g} posterior {row.median:.3g} "
                f"[{row.low:.3g}, {row.high:.3g}] {'pinned' if row.pinned else 'open':<6} "
                f"{'covers the truth' if inside else 'MISSES the truth'}"
            )


if __name__ == "__main__":
    main()
