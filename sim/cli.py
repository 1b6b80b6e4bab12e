"""The `salesorg` command: run scenarios, list and validate them, show the levers."""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

from sim.diagnosis.cli import add_diagnose_parser
from sim.levers import lever_table
from sim.scenario import ScenarioError, check_levers, load_scenario, scenario_names
from sim.workshop.launch import add_workshop_parser

EPILOG = """examples:
  salesorg scenarios                          list the shipped scenarios
  salesorg run baseline                       run the baseline, report under results/baseline
  salesorg run friction-heavy --seed 7 --weeks 104
  salesorg run baseline --set approval_steps=1 --set initiative_cap=2 --out results/fixed
  salesorg compare baseline fire-low-performers fix-the-organization
                                              replicated comparison with intervals
  salesorg diagnose friction-heavy           why it misses its number, and what to fix first
  salesorg validate my-org.toml               check a scenario file before running it
  salesorg levers                             every lever with its default, unit and range
  salesorg workshop                           a live web page for a room (http://127.0.0.1:8765)
"""


def parse_setting(text: str) -> tuple[str, Any]:
    """Parse `lever=value` (value in TOML syntax; bare words are taken as text)."""
    if "=" not in text:
        raise ScenarioError(f"--set {text!r}: expected lever=value, e.g. --set approval_steps=2")
    key, raw = (part.strip() for part in text.split("=", 1))
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key, value


def seed_value(text: str) -> int:
    """A seed: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative; seeds are 0 or more")
    return value


def settings_of(args: argparse.Namespace) -> dict[str, Any]:
    """The levers set on the command line (--set and --weeks), validated."""
    settings = dict(parse_setting(s) for s in args.set)
    if args.weeks is not None:
        settings["weeks"] = args.weeks
    return check_levers(settings, source="--set")


def add_run_options(parser: argparse.ArgumentParser, *, runs: str, out: str) -> None:
    """Options shared by the commands that run many replicated runs."""
    parser.add_argument("--seed", type=seed_value, default=1, help="root seed (default 1)")
    parser.add_argument("--weeks", type=int, help="weeks per run (default: the scenario's)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="LEVER=VALUE",
        help=f"set a lever in every {runs}, repeatable",
    )
    parser.add_argument("--workers", type=int, help="processes (default: all cores)")
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local process pool (default), or dask.distributed (needs the [dask] extra)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster on this machine)",
    )
    parser.add_argument("--out", help=f"output folder (default {out})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _cmd_run(args: argparse.Namespace) -> int:
    from sim.report import write_run
    from sim.runner import run_scenario

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


def _cmd_compare(args: argparse.Namespace) -> int:
    from sim.compare import compare
    from sim.compare_report import verdict, write_comparison

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


def _cmd_sweep(args: argparse.Namespace) -> int:
    from sim.sensitivity import design_points, parse_bounds, problem, save_design
    from sim.sweep import grid, parse_vary, sweep

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
        from sim.sensitivity import write_sensitivity

        indices = write_sensitivity(out, args.design, problem(bounds), matrix, table)
        _print_indices(indices, args.design)
        print(f"wrote {out}/sensitivity.csv and sensitivity.png")
    return 0


def _print_indices(indices, design: str) -> None:
    value = "ST" if design == "sobol" else "mu_star"
    for outcome in ("bookings", "quota_attainment_share"):
        part = indices[indices.outcome == outcome].sort_values(value, ascending=False)
        ranked = ", ".join(f"{r.lever} {getattr(r, value):.2f}" for r in part.itertuples())
        print(f"{outcome}: {ranked}")


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    import pandas as pd

    from sim.sensitivity import design_points, load_design, problem, write_sensitivity

    out = Path(args.folder)
    design, bounds, samples, seed = load_design(out)
    if design not in ("sobol", "morris"):
        raise ScenarioError(f"{out}: a {design} design gives no indices; use sobol or morris")
    matrix, _ = design_points(design, bounds, samples, seed)
    if not (out / "runs.csv").is_file():
        raise ScenarioError(f"{out}: no runs.csv yet: re-run the sweep command to finish it")
    runs = pd.read_csv(out / "runs.csv", dtype={"error": str})
    indices = write_sensitivity(out, design, problem(bounds), matrix, runs)
    _print_indices(indices, design)
    print(f"wrote {out}/sensitivity.csv and sensitivity.png")
    return 0


def _cmd_scenarios(_: argparse.Namespace) -> int:
    names = scenario_names()
    width = max(map(len, names))
    for name in names:
        scenario = load_scenario(name)
        print(f"{name:<{width}}  {scenario.description}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    changed = {k: v for k, v in scenario.levers.model_dump().items() if v != _defaults().get(k, v)}
    print(f"{args.file}: valid scenario '{scenario.name}' ({' -> '.join(scenario.chain)})")
    print(f"  {scenario.description}")
    for key, value in changed.items():
        print(f"  {key} = {value}")
    for iv in scenario.interventions:
        print(f"  week {iv.week}: {iv.note or iv.set}")
    return 0


def _defaults() -> dict[str, Any]:
    return {row["name"]: row["default"] for row in lever_table()}


def _cmd_levers(_: argparse.Namespace) -> int:
    for row in lever_table():
        span = f"[{row['low']}, {row['high']}]" if row["low"] is not None else ""
        print(f"{row['name']:<24} {row['default']!s:<10} {row['unit']:<24} {span:<18} {row['doc']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `salesorg`."""
    parser = argparse.ArgumentParser(
        prog="salesorg",
        description=(
            "Simulate a B2B sales organization week by week: where sellers' time goes, "
            "and how friction, initiatives and coaching move selling time and quota attainment."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run one scenario and write its report",
        description="Run a scenario and write weekly.csv, people.csv, summary.json, "
        "PNG plots and report.html. Nothing is written if the run is refused or interrupted.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    run.set_defaults(func=_cmd_run)

    cmp = sub.add_parser(
        "compare",
        help="run scenarios side by side, replicated, and write a report with intervals",
        description="Run every scenario R times with common random numbers (replication i "
        "of every scenario uses the same seed) and compare their final years: means with 95% "
        "intervals, paired differences to the first scenario, plots and a plain verdict.",
        epilog="example:\n  salesorg compare baseline fire-low-performers fix-the-organization "
        "--replications 10",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmp.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="the first is the reference")
    cmp.add_argument("--replications", type=int, default=10, help="runs per scenario (default 10)")
    add_run_options(cmp, runs="scenario", out="results/A-vs-B...")
    cmp.set_defaults(func=_cmd_compare)

    swp = sub.add_parser(
        "sweep",
        help="sweep levers over a grid, replicated; resumes if interrupted",
        description="Run a grid of lever values, each R times (replication i of every point "
        "shares its seed). Each finished run is journaled at once (runs.jsonl): re-running "
        "the same command after Ctrl-C, a kill or a crash runs only what is missing. A run "
        "that fails is recorded with its error. The table is runs.csv.",
        epilog="example:\n  salesorg sweep baseline --vary approval_steps=1:6:6 "
        "--vary coaching_quality=0.2:0.8:4 --replications 5",
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    swp.set_defaults(func=_cmd_sweep)

    sens = sub.add_parser(
        "sensitivity",
        help="Sobol or Morris indices of a finished design sweep",
        description="Recompute sensitivity indices (SALib) from a sweep folder made with "
        "`salesorg sweep ... --design sobol|morris`.",
    )
    sens.add_argument("folder", help="the sweep's output folder")
    sens.set_defaults(func=_cmd_sensitivity)

    add_diagnose_parser(sub, add_run_options)

    scen = sub.add_parser("scenarios", help="list the shipped scenarios")
    scen.set_defaults(func=_cmd_scenarios)

    val = sub.add_parser("validate", help="check a scenario file and show what it sets")
    val.add_argument("file", help="a scenario .toml file (or a shipped scenario's name)")
    val.set_defaults(func=_cmd_validate)

    lev = sub.add_parser("levers", help="list every lever with default, unit, range, meaning")
    lev.set_defaults(func=_cmd_levers)

    add_workshop_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `salesorg`; refusals print one clear message and exit 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"salesorg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("salesorg: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
