"""The `salesorg` command: one module per subcommand, each registering its own parser.

Every command module imports only argparse at its top; the model, pandas and matplotlib
are imported inside the command that needs them, so `salesorg --help` (and every
subcommand's `--help`) answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys

from sim.cli import (
    assumptions,
    calibrate,
    compare,
    diagnose,
    game,
    init,
    run,
    scenarios,
    sensitivity,
    sweep,
    workshop,
)
from sim.cli.common import LAYOUT, Terminated, signals_unwind

EPILOG = """examples:
  salesorg init --out acme.toml               describe your organization (writes acme.toml)
  salesorg calibrate acme.toml --targets acme.targets.toml
                                              fit it to what you measured
  salesorg scenarios                          list the shipped scenarios
  salesorg run baseline                       run the baseline, report under results/baseline
  salesorg run friction-heavy --seed 7 --weeks 104
  salesorg run baseline --set approval_steps=1 --set initiative_cap=2 --out results/fixed
  salesorg compare baseline fire-low-performers fix-the-organization
                                              replicated comparison with intervals
  salesorg diagnose friction-heavy           why it misses its number, and what to fix first
  salesorg assumptions                        which answers rest on which assumptions
  salesorg validate my-org.toml               check a scenario file before running it
  salesorg levers                             every lever with its default, unit and range
  salesorg workshop                           a live web page for a room (http://127.0.0.1:8765)
  salesorg game                               the same pages, opening on a game teams play in rounds

Each command has its own examples: salesorg COMMAND --help
"""

#: the subcommands, in the order `salesorg --help` lists them
COMMANDS = (
    init,
    calibrate,
    run,
    compare,
    sweep,
    sensitivity,
    diagnose,
    assumptions,
    scenarios,
    workshop,
    game,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `salesorg`."""
    parser = argparse.ArgumentParser(
        prog="salesorg",
        description=(
            "Simulate a B2B sales organization week by week: where sellers' time goes, "
            "and how friction, initiatives and coaching move selling time and quota attainment."
        ),
        epilog=EPILOG,
        formatter_class=LAYOUT,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of `salesorg`; refusals print one clear message and exit 2.

    Ctrl-C exits 130 and SIGTERM 143, each saying what was kept; a failure to write
    after the work (a full disk) exits 1 with one line.
    """
    args = build_parser().parse_args(argv)  # `--help` and bad options end here
    from sim.files import OutputError
    from sim.scenario import ScenarioError

    with signals_unwind():
        try:
            return args.func(args)
        except (ScenarioError, OutputError) as exc:
            print(f"salesorg: error: {exc}", file=sys.stderr)
            return 2
        except (KeyboardInterrupt, Terminated) as exc:
            kept = getattr(exc, "salesorg_kept", "nothing was written")
            how = "interrupted" if isinstance(exc, KeyboardInterrupt) else "terminated"
            print(f"salesorg: {how}; {kept}", file=sys.stderr)
            return 130 if isinstance(exc, KeyboardInterrupt) else 143
        except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
        except OSError as exc:
            kept = getattr(exc, "salesorg_kept", "nothing was written")
            print(f"salesorg: error: {exc}; {kept}", file=sys.stderr)
            return 1
