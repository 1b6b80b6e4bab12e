"""`salesorg sweep`: levers over a grid or a sampling design, replicated and resumable."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import LAYOUT, add_run_options, settings_of

EXAMPLES = """\
examples:
  salesorg sweep baseline --vary approval_steps=1:6:6 --vary coaching_quality=0.2:0.8:4 \\
      --replications 5
  salesorg sweep baseline --design sobol --samples 64 --vary approval_steps=0:6 \\
      --vary coaching_quality=0.1:0.9 --vary initiative_rate=0:30 --vary ask_hours=0:8
  salesorg sweep baseline --design morris --vary ask_hours=0:8 --vary follow_up=0:1 \\
      --engine dask --scheduler tcp://10.1.2.3:8786

Re-run the same command after Ctrl-C, a kill or a crash: only the missing runs run.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `sweep` to the subcommands."""
    swp = sub.add_parser(
        "sweep",
        help="sweep levers over a grid, replicated; resumes if interrupted",
        description="Run a grid of lever values, each R times (replication i of every point "
        "shares its seed). Each finished run is journaled at once (runs.jsonl): re-running "
        "the same command after Ctrl-C, a kill or a crash runs only what is missing. A run "
        "that fails is recorded with its error. The table is runs.csv.",
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    swp.add_argument("scenario", help="the scenario the levers modify")
    swp.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="LEVER=LO:HI:N",
        help="a lever and its grid, repeatable",
    )
    swp.add_argument(
        "--design",
        choices=("lhs", "sobol", "morris"),
        help="sample the --vary bounds (lever=lo:hi) instead of a grid",
    )
    swp.add_argument(
        "--samples",
        type=int,
        default=32,
        help="base samples of the design (sobol: N(D+2) runs; default 32)",
    )
    swp.add_argument("--replications", type=int, default=1, help="runs per point (default 1)")
    add_run_options(swp, runs="run", out="results/sweep-SCENARIO")
    swp.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run (or finish) the sweep; with a sobol or morris design, its indices too."""
    from sim.experiments.sensitivity import design_points, parse_bounds, problem, save_design
    from sim.experiments.sweep import grid, parse_vary, sweep
    from sim.scenario import ScenarioError, load_scenario

    scenario = load_scenario(args.scenario)
    if not args.vary:
        raise ScenarioError("sweep: give at least one --vary lever=lo:hi:n")
    settings = settings_of(args)
    scenario = scenario.with_levers(settings, source="--set")
    out = Path(args.out) if args.out else Path("results") / f"sweep-{scenario.name}"
    if args.replications < 1 or args.samples < 1:
        raise ScenarioError("sweep: --replications and --samples must be at least 1")
    if args.design:
        bounds = [parse_bounds(v) for v in args.vary]
        matrix, points = design_points(args.design, bounds, args.samples, args.seed)
        out.mkdir(parents=True, exist_ok=True)
        save_design(out, args.design, bounds, args.samples, args.seed)
    else:
        points = grid([parse_vary(v) for v in args.vary])
        (out / "design.json").unlink(missing_ok=True)  # a grid has no design to analyze
    table = sweep(
        scenario,
        points,
        out=out,
        replications=args.replications,
        seed=args.seed,
        workers=args.workers,
        progress=not args.quiet,
        engine=args.engine,
        scheduler=args.scheduler,
    )
    failed = int((table["error"].fillna("") != "").sum())
    print(
        f"{len(table)} runs ({len(points)} points x {args.replications} replications) "
        f"in {out}/runs.csv; {failed} failed"
    )
    if args.design in ("sobol", "morris"):
        from sim.cli.sensitivity import print_indices
        from sim.reports.sensitivity_report import write_sensitivity

        indices = write_sensitivity(out, args.design, problem(bounds), matrix, table)
        print_indices(indices, args.design)
        print(f"wrote {out}/sensitivity.csv and sensitivity.png")
    return 0
