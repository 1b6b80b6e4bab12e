"""`salesorg run`: one scenario, one seed, its tables, plots and report."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import LAYOUT, seed_value, settings_of

EXAMPLES = """\
examples:
  salesorg run baseline                       the baseline, report under results/baseline
  salesorg run friction-heavy --seed 7 --weeks 104
  salesorg run baseline --set approval_steps=1 --set initiative_cap=2 --out results/fixed
  salesorg run my-org.toml                    your own scenario file (see `salesorg validate`)
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
    run.add_argument("--out", help="output folder (default results/SCENARIO)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run the scenario, write its folder, print the headline."""
    from sim.experiments.runner import run_scenario
    from sim.reports.run_report import write_run
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    settings = settings_of(args)
    out = Path(args.out) if args.out else Path("results") / scenario.name
    result = run_scenario(scenario, seed=args.seed, overrides=settings, progress=not args.quiet)
    write_run(result, out)
    final = result.summary["final_year"]
    print(
        f"{scenario.name} (seed {args.seed}, {result.summary['weeks']} weeks): "
        f"selling time {final['selling_time_share']:.0%}, "
        f"at quota {final['quota_attainment_share']:.0%}, "
        f"mean attainment {final['mean_attainment']:.0%} over the final year"
    )
    for iv in result.summary["interventions_not_reached"]:
        print(f"note: the intervention at week {iv['week']} ({iv['note']}) is after the run's end")
    print(f"wrote {out}/report.html (and weekly.csv, people.csv, summary.json, plots)")
    return 0
