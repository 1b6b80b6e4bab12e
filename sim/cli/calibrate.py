"""`salesorg calibrate`: fit a scenario to what the organization measured (ABC-SMC, pyabc)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import LAYOUT, seed_value

DESCRIPTION = """\
Infer the levers nobody can observe (how fast sellers find buyers, rivals' strength,
handoff and chasing hours, how readily sellers quit, how fast the weakest are managed
out, the spread of talent) from what the organization measured (a targets file: time
study, share at quota, attainment quantiles, attrition, bookings per seller, quarters),
by approximate Bayesian computation with sequential Monte Carlo (pyabc). Every particle is
a simulated year of the organization. Writes posterior.csv (draws, for compare and
diagnose --posterior), calibrated.toml (the scenario at the posterior median), fit.csv
and identifiability.csv, plots and report.html. Interrupted? Run the same command again:
it resumes from the last finished generation (abc.db). It stops after --minutes (the
generation under way finishes), --generations, or when few particles are accepted."""

EXAMPLES = """\
examples:
  salesorg calibrate scenarios/examples/acme.toml --targets scenarios/examples/acme-targets.toml
  salesorg calibrate acme.toml --targets acme.targets.toml --population 300 --generations 10
  salesorg calibrate acme.toml --targets acme.targets.toml --engine dask --scheduler tcp://h:8786
then:
  salesorg compare acme.toml acme-fire.toml \
      --posterior results/calibrate-acme/posterior.csv
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `calibrate` to the subcommands."""
    cmd = sub.add_parser(
        "calibrate",
        help="fit a scenario to what your organization measured (simulation-based inference)",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    cmd.add_argument("scenario", help="the scenario to calibrate (a .toml path or a name)")
    cmd.add_argument("--targets", required=True, metavar="FILE", help="TOML or CSV of targets")
    cmd.add_argument("--population", type=int, default=200, help="particles (default 200)")
    cmd.add_argument(
        "--minutes",
        type=float,
        default=8.0,
        help="time budget: no generation starts after it (default 8)",
    )
    cmd.add_argument("--generations", type=int, default=20, help="at most (default 20)")
    cmd.add_argument("--seed", type=seed_value, default=1, help="root seed (default 1)")
    cmd.add_argument("--workers", type=int, help="processes (default: all cores)")
    cmd.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="this machine's cores (default), or dask.distributed",
    )
    cmd.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler (tcp://host:port)")
    cmd.add_argument("--out", help="output folder (default results/calibrate-SCENARIO)")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    cmd.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Calibrate, then write the posterior, the calibrated scenario and the fit report."""
    import time

    from tqdm.auto import tqdm

    from sim.experiments.inference import calibrate, identifiability, predictive
    from sim.reports.fit_report import write_fit
    from sim.scenario import ScenarioError, load_scenario
    from sim.scenario.targets import load_targets

    scenario = load_scenario(args.scenario)
    targets = load_targets(args.targets)
    if args.population < 10 or args.generations < 1 or args.minutes <= 0:
        raise ScenarioError(
            "calibrate: --population at least 10, --generations at least 1, --minutes above 0"
        )
    out = Path(args.out) if args.out else Path("results") / f"calibrate-{scenario.name}"
    start = time.perf_counter()
    with tqdm(
        total=args.generations, unit="generation", disable=args.quiet, desc="ABC-SMC generations"
    ) as bar:

        def on_generation(t: int, message: str) -> None:
            bar.n = t
            bar.set_postfix_str(message.split(",", 1)[-1].strip()[:40])
            bar.refresh()

        posterior = calibrate(
            scenario,
            targets,
            out,
            population=args.population,
            generations=args.generations,
            minutes=args.minutes,
            seed=args.seed,
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            on_generation=on_generation,
        )
        bar.n = posterior.generations
        bar.refresh()
    fit = predictive(scenario, posterior, targets)
    table = identifiability(posterior)
    seconds = time.perf_counter() - start
    write_fit(out, scenario, Path(args.scenario), targets, posterior, fit, table, seconds)
    pinned = table[table.pinned].lever.tolist()
    open_ = table[~table.pinned].lever.tolist()
    print(
        f"{posterior.simulations:,} simulations, {posterior.generations} generations, "
        f"{seconds:.0f} s; {int(fit.inside.sum())} of {len(fit)} targets inside the "
        "posterior's 90% band"
    )
    print(f"pinned down: {', '.join(pinned) or 'none'}; left open: {', '.join(open_) or 'none'}")
    print(f"wrote {out}/report.html (and posterior.csv, calibrated.toml, fit.csv, plots)")
    return 0
