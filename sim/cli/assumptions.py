"""`salesorg assumptions`: which answers of the model rest on which of its assumptions."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import (
    LAYOUT,
    add_output_options,
    check_work,
    default_workers,
    output_folder,
)

DESCRIPTION = """\
Switch off each behavioural assumption of the model in turn (pay against outside offers,
offers that rise with skill, selling share, overtime, coaching received, its progress, each
seller's own risk of being let go, morale's pull on quitting, the switching cost, the
finite market, competition, quotas by plan) and ask the model's questions again: does
firing the bottom 10% or fixing the organization change bookings where the system binds,
does firing help where talent binds, and where does the diagnosis of friction-heavy start?
Writes assumptions.csv,
assumptions.md (the table), assumptions.png and report.html."""

EXAMPLES = """\
examples:
  salesorg assumptions                            every assumption, 8 replications
  salesorg assumptions --only market risk         two of them
  salesorg assumptions --replications 12 --out results/audit

runs: for each assumption and the full model, 5 scenarios x R replications and a diagnosis
of friction-heavy (64 counterfactuals x R/2): about 6-15 s an assumption on two cores.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `assumptions` to the subcommands."""
    from sim.cli.common import seed_value

    cmd = sub.add_parser(
        "assumptions",
        help="switch off each behavioural assumption: do the fire-vs-fix answers change?",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    cmd.add_argument("--only", nargs="+", metavar="NAME", help="audit these assumptions only")
    cmd.add_argument("--replications", type=int, default=8, help="runs per scenario (default 8)")
    cmd.add_argument("--seed", type=seed_value, default=1, help="root seed (default 1)")
    cmd.add_argument("--workers", type=int, help="processes (default: all cores)")
    add_output_options(cmd, "results/assumptions")
    cmd.add_argument("--quiet", action="store_true", help="no progress")
    cmd.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Run the audit and write its files."""
    from tqdm.auto import tqdm

    from sim.audit.assumptions import ASSUMPTIONS, audit
    from sim.audit.report import AUDIT_FILES, audit_spec, write_audit_files
    from sim.experiments.sizes import Work, person_rows
    from sim.scenario import ScenarioError, load_scenario

    names = [a.name for a in ASSUMPTIONS]
    chosen = ASSUMPTIONS
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            raise ScenarioError(
                f"--only {unknown[0]}: no such assumption; choose from {', '.join(names)}"
            )
        chosen = tuple(a for a in ASSUMPTIONS if a.name in args.only)
    if args.replications < 2:
        raise ScenarioError(f"--replications {args.replications}: at least 2 to give an interval")
    spec = audit_spec([a.name for a in chosen], args.replications, args.seed)
    folder = output_folder(args, Path("results") / "assumptions", "assumptions", spec, AUDIT_FILES)
    levers = load_scenario("baseline").levers
    per = 5 * args.replications + 71 * max(2, args.replications // 2)  # compares, a diagnosis
    work = Work(
        what=f"assumptions: {len(chosen) + 1} audits of {per:,} runs",
        runs=(len(chosen) + 1) * per,
        sellers=levers.n_sellers,
        weeks=levers.weeks + levers.warmup_weeks,
        person_rows=person_rows(levers.n_sellers, levers.weeks, levers.people_every),
        workers=default_workers(args),
    )
    check_work(args, work, folder)
    with folder, tqdm(total=len(chosen) + 1, unit="assumption", disable=args.quiet) as bar:
        started: list[str] = []

        def step(label: str) -> None:  # called as each assumption starts
            if started:
                bar.update(1)
            started.append(label)
            bar.set_description(f"switched off: {label[:30]}" if len(started) > 1 else label)

        table = audit(
            chosen,
            replications=args.replications,
            diagnosis_replications=max(2, args.replications // 2),
            seed=args.seed,
            progress=step,
            workers=args.workers,
        )
        bar.update(1)
        command_line = "salesorg assumptions" + (
            f" --replications {args.replications}" if args.replications != 8 else ""
        )
        write_audit_files(table, folder.scratch, command_line)
        out = folder.commit()
    for _, row in table.iterrows():
        print(f"{row['assumption']:<12} {row['changes'] or 'every answer holds'}")
    print(f"wrote {out}/report.html (and assumptions.csv, assumptions.md, assumptions.png)")
    return 0
