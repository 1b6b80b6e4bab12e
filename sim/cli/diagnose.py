"""`salesorg diagnose`: why an organization misses its number, and what to fix first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.common import (
    LAYOUT,
    add_posterior_option,
    add_run_options,
    check_work,
    default_workers,
    engine_of,
    engine_options,
    output_folder,
    posterior_of,
    settings_of,
)

DESCRIPTION = """\
Why is this organization missing its number, and what is the one thing to fix first?

Every group of causes (friction, asks, initiative load, manager coaching, talent, attrition
policy) is switched to a healthy reference, one at a time and in every combination, each
run R times with common random numbers. The gap between today's attainment and the healthy
organization's is split among the groups with exact Shapley values (they add up to the
whole gap), into systemic and individual shares with 95% intervals, and the groups are
ranked by what fixing each alone would unlock, with the hours it frees or takes. The lowest
sellers' shortfalls are split into their own skill, manager, dependencies, load, territory
and luck.

The healthy reference is scenarios/diagnosis/healthy.toml; override it with --reference."""

EPILOG = """\
examples:
  salesorg diagnose friction-heavy
  salesorg diagnose talent-bound --replications 12
  salesorg diagnose baseline --reference my-healthy.toml --out results/why-baseline

runs: 2**groups counterfactuals x R replications (6 groups, R=8: 512 runs, about a minute
or two on two cores); counterfactuals identical to today's organization run once."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `diagnose` to the subcommands."""
    diag = sub.add_parser(
        "diagnose",
        help="why is it missing its number? attribute the gap to causes, rank the fixes",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=LAYOUT,
    )
    diag.add_argument("scenario", help="scenario name (see `salesorg scenarios`) or a .toml path")
    diag.add_argument(
        "--replications", type=int, default=8, help="runs per counterfactual (default 8)"
    )
    diag.add_argument(
        "--reference",
        metavar="FILE",
        help="TOML overriding the healthy reference (default scenarios/diagnosis/healthy.toml)",
    )
    add_posterior_option(diag)
    add_run_options(diag, runs="counterfactual", out="results/diagnose-SCENARIO")
    diag.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run the diagnosis and write its report."""
    from sim.diagnosis.diagnose import diagnose, prepare, runs_needed
    from sim.diagnosis.report import DIAGNOSIS_FILES, diagnosis_spec, write_diagnosis_files
    from sim.diagnosis.story import story
    from sim.experiments.engines import check_engine
    from sim.experiments.sizes import Work, person_rows
    from sim.scenario import load_scenario

    named = load_scenario(args.scenario)
    scenario, healthy = prepare(named, args.replications, None, settings_of(args), args.reference)
    engine = engine_of(args)
    spec = diagnosis_spec(scenario, args.replications, args.seed, healthy)
    draws = posterior_of(args, spec)
    default = Path("results") / f"diagnose-{scenario.name}"
    folder = output_folder(args, default, "diagnose", spec, DIAGNOSIS_FILES)
    levers = scenario.levers
    runs = runs_needed(healthy, args.replications)
    work = Work(
        what=f"diagnose: up to {runs:,} runs of {levers.n_sellers:,} sellers",
        runs=runs,
        sellers=levers.n_sellers,
        weeks=levers.weeks + levers.warmup_weeks,
        person_rows=person_rows(levers.n_sellers, levers.weeks, levers.people_every),
        kept_runs=runs + args.replications * levers.n_sellers // 8,
        workers=default_workers(args),
    )
    check_work(args, work, folder)
    check_engine(engine, args.scheduler)
    with folder:
        diagnosis = diagnose(
            scenario,
            replications=args.replications,
            seed=args.seed,
            reference=healthy,
            draws=draws,
            **engine_options(args, engine),
        )
        write_diagnosis_files(diagnosis, folder.scratch)
        out = folder.commit()
    if folder.replacing:
        print(f"note: replaced the earlier diagnosis in {out}", file=sys.stderr)
    print("\n".join(story(diagnosis)))
    print(f"wrote {out}/report.html (and attribution.csv, ranking.csv, split.csv, plots)")
    return 0
