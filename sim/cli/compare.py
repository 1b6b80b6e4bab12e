"""`salesorg compare`: scenarios side by side, replicated, with intervals and a verdict."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import LAYOUT, add_run_options, settings_of

EXAMPLES = """\
examples:
  salesorg compare baseline fire-low-performers fix-the-organization --replications 10
  salesorg compare talent-bound talent-bound-firing --replications 20 --seed 3
  salesorg compare baseline my-org.toml --weeks 104 --out results/mine
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `compare` to the subcommands."""
    cmp = sub.add_parser(
        "compare",
        help="run scenarios side by side, replicated, and write a report with intervals",
        description="Run every scenario R times with common random numbers (replication i "
        "of every scenario uses the same seed) and compare their final years: means with 95% "
        "intervals, paired differences to the first scenario, plots and a plain verdict.",
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    cmp.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="the first is the reference")
    cmp.add_argument("--replications", type=int, default=10, help="runs per scenario (default 10)")
    add_run_options(cmp, runs="scenario", out="results/A-vs-B...")
    cmp.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Compare the scenarios, write the folder, print the verdict."""
    from sim.experiments.compare import compare
    from sim.reports.compare_report import verdict, write_comparison
    from sim.scenario import ScenarioError, load_scenario

    scenarios = [load_scenario(name) for name in args.scenarios]
    settings = settings_of(args)
    if args.replications < 2:
        raise ScenarioError(f"--replications {args.replications}: at least 2 to give an interval")
    out = Path(args.out) if args.out else Path("results") / "-vs-".join(s.name for s in scenarios)
    comparison = compare(
        scenarios,
        replications=args.replications,
        seed=args.seed,
        overrides=settings,
        workers=args.workers,
        progress=not args.quiet,
        engine=args.engine,
        scheduler=args.scheduler,
    )
    write_comparison(comparison, out)
    print("\n".join(verdict(comparison)))
    print(f"wrote {out}/report.html (and summary.csv, runs.csv, weekly.csv, plots)")
    return 0
