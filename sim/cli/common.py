"""What the `salesorg` commands share: lever settings, seeds and the options of replicated runs.

Nothing heavy is imported here at module level, so that `salesorg --help` answers at once;
the scenario layer (pydantic) is imported when a setting is checked.
"""

from __future__ import annotations

import argparse
import tomllib
from typing import Any

#: argparse's own layout, keeping the line breaks of descriptions and examples
LAYOUT = argparse.RawDescriptionHelpFormatter


def parse_setting(text: str) -> tuple[str, Any]:
    """Parse `lever=value` (value in TOML syntax; bare words are taken as text)."""
    from sim.scenario import ScenarioError

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
    from sim.scenario import check_levers

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
