"""`salesorg sweep`: levers over a grid or a sampling design, replicated and resumable."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.common import (
    LAYOUT,
    add_run_options,
    check_work,
    default_workers,
    engine_of,
    engine_options,
    positive_int,
    settings_of,
)

EXAMPLES = """\
examples:
  salesorg sweep baseline --vary approval_steps=1:6:6 --vary coaching_quality=0.2:0.8:4 \\
      --replications 5
  salesorg sweep baseline --design sobol --samples 64 --vary approval_steps=0:6 \\
      --vary coaching_quality=0.1:0.9 --vary initiative_rate=0:30 --vary ask_hours=0:8
  salesorg sweep baseline --design morris --vary ask_hours=0:8 --vary follow_up=0:1 \\
      --engine dask --scheduler tcp://10.1.2.3:8786

Re-run the same command after Ctrl-C, a kill or a crash: only the missing runs run. A
folder holds one sweep: another scenario, seed, levers or design there is refused.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `sweep` to the subcommands."""
    swp = sub.add_parser(
        "sweep",
        help="sweep levers over a grid, replicated; resumes if interrupted",
        description="Run a grid of lever values, each R times (replication i of every point "
        "shares its seed). Each finished run is journaled at once (runs.jsonl): re-running "
        "the same command after Ctrl-C, a kill or a crash runs only what is missing. A run "
        "that fails is recorded with its error. The table is runs.csv; report.html shows how "
        "the outcomes respond to the levers.",
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
        type=positive_int,
        default=32,
        help="base samples of the design (sobol: N(D+2) runs, at least 8; morris: N(D+1) "
        "runs, at least 2; default 32)",
    )
    swp.add_argument(
        "--replications", type=positive_int, default=1, help="runs per point (default 1)"
    )
    add_run_options(swp, runs="run", out="results/sweep-SCENARIO")
    swp.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run (or finish) the sweep; with a sobol or morris design, its indices too."""
    from sim.experiments.engines import check_engine
    from sim.experiments.sensitivity import (
        check_samples,
        design_points,
        design_record,
        design_size,
        parse_bounds,
        problem,
        sample_note,
    )
    from sim.experiments.sweep import SWEEP_FILES, grid, grid_size, parse_grid, sweep, sweep_spec
    from sim.files import OutputFolder
    from sim.scenario import ScenarioError, load_scenario

    scenario = load_scenario(args.scenario)
    if not args.vary:
        raise ScenarioError("sweep: give at least one --vary lever=lo:hi:n")
    settings = settings_of(args)
    scenario = scenario.with_levers(settings, source="--set")
    engine = engine_of(args)
    if args.design:
        bounds = [parse_bounds(v) for v in args.vary]
        names = [name for name, _, _ in bounds]
        check_samples(args.design, args.samples)
        count = design_size(args.design, len(bounds), args.samples)
        design = design_record(args.design, bounds, args.samples, args.seed)
        highs = {name: high for name, _, high in bounds}
        lows = {name: low for name, low, _ in bounds}
    else:
        varies = [parse_grid(v) for v in args.vary]
        names = [v.name for v in varies]
        count = grid_size(varies)
        design = None
        highs = {v.name: max(v.low, v.high) for v in varies}
        lows = {v.name: min(v.low, v.high) for v in varies}
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScenarioError(f"--vary {twice[0]}: given twice; vary each lever once")
    spec = sweep_spec(scenario, args.seed, names, design)
    out = sweep_folder(args, scenario.name, spec)
    folder = OutputFolder(out, "sweep", spec, force=args.force, writes=SWEEP_FILES).check()
    work = sweep_work(scenario, count, args.replications, (lows, highs), args)
    check_work(args, work, folder)
    check_engine(engine, args.scheduler)
    note = sample_note(args.design, args.samples) if args.design else None
    if note:
        print(note, file=sys.stderr)
    if args.design:
        matrix, points = design_points(args.design, bounds, args.samples, args.seed)
    else:
        points = grid([(v.name, v.values()) for v in varies])
    table = sweep(
        scenario,
        points,
        out=out,
        replications=args.replications,
        seed=args.seed,
        design=design,
        force=args.force,
        **engine_options(args, engine),
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
    from sim.reports.sweep_report import write_sweep_report

    report = write_sweep_report(out, table, names, scenario.name, args.design)
    print(f"wrote {report} (how the outcomes respond to the levers)")
    return 0


def sweep_folder(args: argparse.Namespace, name: str, spec: dict) -> Path:
    """--out as given, else results/sweep-NAME (or -2, -3, ... if that holds another sweep)."""
    from sim.files import free_folder

    if args.out:
        return Path(args.out)
    return free_folder(Path("results") / f"sweep-{name}", "sweep", spec)


def sweep_work(scenario, count: int, replications: int, ranges: tuple, args: argparse.Namespace):
    """The size of the sweep: points x replications runs of the largest organization."""
    from sim.experiments.sizes import VALUE_BYTES, Work, person_rows

    levers = scenario.levers
    lows, highs = ranges
    every = int(min(levers.people_every, lows.get("people_every", levers.people_every)))
    sellers = int(max(levers.n_sellers, highs.get("n_sellers", 0)))
    weeks = int(max(levers.weeks, highs.get("weeks", 0)))
    runs = count * replications
    return Work(
        what=f"sweep: {count:,} points x {replications:,} replications",
        runs=runs,
        sellers=sellers,
        weeks=weeks + int(max(levers.warmup_weeks, highs.get("warmup_weeks", 0))),
        person_rows=person_rows(sellers, weeks, max(every, 1)),
        kept_runs=runs,
        points=count,
        disk_bytes=runs * 120 * VALUE_BYTES,
        workers=default_workers(args),
    )
