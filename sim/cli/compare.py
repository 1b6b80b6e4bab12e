"""`salesorg compare`: scenarios side by side, replicated, with intervals and a verdict."""

from __future__ import annotations

import argparse
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
    positive_int,
    posterior_of,
    settings_of,
)

EXAMPLES = """\
examples:
  salesorg compare baseline fire-low-performers fix-the-organization --replications 10
  salesorg compare talent-bound talent-bound-firing --replications 20 --seed 3
  salesorg compare baseline my-org.toml --weeks 104 --out results/mine

Every finished run is journaled (runs.jsonl): after Ctrl-C, a kill or a crash, the same
command runs only what is missing. More --replications later reuse the runs already done.
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
    cmp.add_argument(
        "--replications", type=positive_int, default=10, help="runs per scenario (default 10)"
    )
    add_posterior_option(cmp)
    add_run_options(cmp, runs="scenario", out="results/A-vs-B...")
    cmp.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Compare the scenarios, write the folder, print the verdict."""
    from sim.experiments.compare import check_comparable, compare
    from sim.experiments.engines import check_engine
    from sim.experiments.sizes import VALUE_BYTES, Work, person_rows
    from sim.files import folder_lock, keep_note
    from sim.reports.compare_report import (
        COMPARE_FILES,
        JOURNAL_FILES,
        compare_spec,
        verdict,
        write_comparison_files,
    )
    from sim.scenario import ScenarioError, load_scenario

    scenarios = [load_scenario(name) for name in args.scenarios]
    settings = settings_of(args)
    if args.replications < 2:
        raise ScenarioError(f"--replications {args.replications}: at least 2 to give an interval")
    resolved = check_comparable(scenarios, settings)
    names = [s.name for s in resolved]
    engine = engine_of(args)
    spec = compare_spec(resolved, args.seed)
    draws = posterior_of(args, spec)
    default = Path("results") / "-vs-".join(names)
    folder = output_folder(args, default, "compare", spec, (*COMPARE_FILES, *JOURNAL_FILES))
    sellers = max(s.levers.n_sellers for s in resolved)
    weeks = max(s.levers.weeks for s in resolved)
    runs = len(resolved) * args.replications
    rows = runs * (weeks + 1)
    work = Work(
        what=f"compare: {len(resolved)} scenarios x {args.replications:,} replications",
        runs=runs,
        sellers=sellers,
        weeks=weeks + max(s.levers.warmup_weeks for s in resolved),
        person_rows=person_rows(sellers, weeks, min(s.levers.people_every for s in resolved)),
        kept_weekly_rows=rows,
        disk_bytes=2 * rows * 60 * VALUE_BYTES,
        workers=default_workers(args),
    )
    check_work(args, work, folder)
    check_engine(engine, args.scheduler)
    with folder:
        folder.open_now(files=JOURNAL_FILES)
        with folder_lock(folder.target, "another comparison"):
            comparison = compare(
                scenarios,
                replications=args.replications,
                seed=args.seed,
                overrides=settings,
                journal=folder.target,
                draws=draws,
                **engine_options(args, engine),
            )
            try:
                write_comparison_files(comparison, folder.scratch)
                out = folder.commit(keep=JOURNAL_FILES)
            except BaseException as exc:
                keep_note(
                    exc,
                    f"the {runs} finished runs are kept in {folder.target}/runs.jsonl; run "
                    "the same command again to write the report without running them",
                )
                raise
    print("\n".join(verdict(comparison)))
    print(f"wrote {out}/report.html (and summary.csv, runs.csv, weekly.csv, plots)")
    return 0
