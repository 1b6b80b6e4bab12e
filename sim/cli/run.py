"""`salesorg run`: one scenario, one seed, its tables, plots and report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.common import (
    LAYOUT,
    add_output_options,
    check_work,
    output_folder,
    seed_value,
    settings_of,
)

EXAMPLES = """\
examples:
  salesorg run baseline                       the baseline, report under results/baseline
  salesorg run friction-heavy --seed 7 --weeks 104
  salesorg run baseline --set approval_steps=1 --set initiative_cap=2 --out results/fixed
  salesorg run my-org.toml                    your own scenario file (see `salesorg validate`)

Without --out, a folder that holds other results is never reused: the run goes to the next
free one (results/baseline-2, ...). --out at a folder of your own files is refused.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `run` to the subcommands."""
    run = sub.add_parser(
        "run",
        help="run one scenario and write its report",
        description="Run a scenario and write weekly.csv, people.csv, summary.json, "
        "PNG plots and report.html. Nothing is written if the run is refused or interrupted.",
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    run.add_argument("scenario", help="scenario name (see `salesorg scenarios`) or a .toml path")
    run.add_argument("--seed", type=seed_value, default=1, help="random seed (default 1)")
    run.add_argument("--weeks", type=int, help="weeks to simulate (default: the scenario's)")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="LEVER=VALUE",
        help="override a lever, repeatable (see `salesorg levers`)",
    )
    add_output_options(run, "results/SCENARIO")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run the scenario, write its folder, print the headline."""
    from sim.experiments.journal import scenario_spec
    from sim.experiments.runner import run_scenario
    from sim.experiments.sizes import VALUE_BYTES, Work, person_rows
    from sim.reports.run_report import RUN_FILES, headline, write_run_files
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    scenario = scenario.with_levers(settings_of(args), source="--set")
    levers = scenario.levers
    spec = {"scenario": scenario_spec(scenario), "seed": args.seed}
    folder = output_folder(args, Path("results") / scenario.name, "run", spec, RUN_FILES)
    rows = person_rows(levers.n_sellers, levers.weeks, levers.people_every)
    work = Work(
        what=f"run: {levers.n_sellers:,} sellers x {levers.weeks:,} weeks",
        runs=1,
        sellers=levers.n_sellers,
        weeks=levers.weeks + levers.warmup_weeks,
        person_rows=rows,
        disk_bytes=(rows * 10 + (levers.weeks + 1) * 60) * VALUE_BYTES,
    )
    check_work(args, work, folder)
    with folder:
        result = run_scenario(scenario, seed=args.seed, progress=not args.quiet)
        write_run_files(result, folder.scratch)
        out = folder.commit()
    if folder.replacing:
        print(
            f"note: replaced the earlier run in {out} (files you added there are kept)",
            file=sys.stderr,
        )
    print(headline(result))
    for iv in result.summary["interventions_not_reached"]:
        print(f"note: the intervention at week {iv['week']} ({iv['note']}) is after the run's end")
    print(f"wrote {out}/report.html (and weekly.csv, people.csv, summary.json, plots)")
    return 0
