"""What the `salesorg` commands share: settings, seeds, outputs, limits and signals.

Nothing heavy is imported here at module level, so that `salesorg --help` answers at once;
the scenario layer (pydantic) is imported when a setting is checked.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.experiments.sizes import Work
    from sim.files import OutputFolder

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


def _whole(text: str, least: int, why: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{value} {why}")
    return value


def seed_value(text: str) -> int:
    """A seed: a whole number, 0 or more."""
    return _whole(text, 0, "is negative; seeds are 0 or more")


def positive_int(text: str) -> int:
    """A whole number, 1 or more."""
    return _whole(text, 1, "is below 1; allowed 1 or more")


def positive_float(text: str) -> float:
    """A number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value:g}: must be above 0")
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
    parser.add_argument("--workers", type=positive_int, help="processes (default: all cores)")
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        help="local process pool (default), or dask.distributed (needs the [dask] extra; "
        "implied by --scheduler)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster on this machine)",
    )
    add_output_options(parser, out)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_output_options(parser: argparse.ArgumentParser, out: str) -> None:
    """--out, --force and the size limits, shared by every command that writes a folder."""
    parser.add_argument(
        "--out",
        help=f"output folder (default {out}, or {out}-2, -3, ... if that holds other results)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="use a folder that holds other files (they are kept) or other results of this "
        "tool (they are replaced)",
    )
    parser.add_argument(
        "--max-memory",
        type=positive_float,
        metavar="GB",
        help="refuse work estimated to need more memory (default: half the memory available)",
    )
    parser.add_argument(
        "--max-hours",
        type=positive_float,
        metavar="H",
        help="refuse work estimated to take longer (default 24)",
    )
    parser.add_argument("--no-limits", action="store_true", help="skip the memory and time limits")


def engine_of(args: argparse.Namespace) -> str:
    """The engine asked for: dask if a scheduler is given, else local."""
    from sim.scenario import ScenarioError

    if args.scheduler and args.engine == "local":
        raise ScenarioError("--scheduler needs --engine dask (or leave --engine out)")
    return args.engine or ("dask" if args.scheduler else "local")


def engine_options(args: argparse.Namespace, engine: str) -> dict[str, Any]:
    """Where the runs go and whether to show their progress, as the run functions take it."""
    return {
        "workers": args.workers,
        "progress": not args.quiet,
        "engine": engine,
        "scheduler": args.scheduler,
    }


def check_work(args: argparse.Namespace, work: Work, out: Path | OutputFolder) -> None:
    """Refuse work that does not fit the limits or the disk (see `sim.experiments.sizes`)."""
    from sim.experiments.sizes import check

    remote = getattr(args, "scheduler", None) is not None
    check(
        work,
        max_memory_gb=args.max_memory,
        max_hours=args.max_hours,
        no_limits=args.no_limits,
        out=getattr(out, "existing", out),
        time_known=not remote,
    )


def output_folder(
    args: argparse.Namespace,
    default: Path,
    kind: str,
    spec: dict[str, Any],
    writes: tuple[str, ...] = (),
) -> OutputFolder:
    """The command's output folder: --out as given, else the default or the next free one."""
    from sim.files import OutputFolder, free_folder

    target = Path(args.out) if args.out else free_folder(default, kind, spec)
    return OutputFolder(target, kind, spec, force=args.force, writes=writes).check()


def default_workers(args: argparse.Namespace) -> int:
    """Processes a replicated command will use at once."""
    if args.workers:
        return args.workers
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so that scratch folders are removed."""


@contextlib.contextmanager
def signals_unwind() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` in this process (forked workers keep the default)."""
    parent = os.getpid()

    def terminate(number: int, frame: Any) -> None:
        if os.getpid() != parent:  # a forked worker: die as SIGTERM asks
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        raise Terminated

    try:
        old = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def add_posterior_option(parser: argparse.ArgumentParser) -> None:
    """`--posterior DRAWS`: replications draw their levers from a calibration's posterior."""
    parser.add_argument(
        "--posterior",
        metavar="DRAWS",
        help="a calibration's posterior.csv: replication i takes its levers from draw i, so "
        "intervals cover what the data leave open as well as luck",
    )


def posterior_of(args: argparse.Namespace, spec: dict) -> list[dict] | None:
    """The draws `--posterior` names (checked), recorded in the output folder's `spec`."""
    if not args.posterior:
        return None
    from sim.experiments.inference import read_draws
    from sim.experiments.journal import digest

    draws = read_draws(args.posterior)
    spec["posterior"] = digest(draws)  # another posterior is another output
    return draws
