"""`salesorg sensitivity`: Sobol or Morris indices of a finished design sweep."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import LAYOUT

EXAMPLES = """\
examples:
  salesorg sensitivity results/sweep-baseline
      indices of the sweep written there by `salesorg sweep baseline --design sobol ...`
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `sensitivity` to the subcommands."""
    sens = sub.add_parser(
        "sensitivity",
        help="Sobol or Morris indices of a finished design sweep",
        description="Recompute sensitivity indices (SALib) from a sweep folder made with "
        "`salesorg sweep ... --design sobol|morris`.",
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    sens.add_argument("folder", help="the sweep's output folder")
    sens.set_defaults(func=command)


def print_indices(indices, design: str) -> None:
    """The levers ranked by their index (with its unit), for bookings and the share at quota."""
    from sim.reports.sensitivity_report import ranked_lines

    for line in ranked_lines(indices, design):
        print(line)


def command(args: argparse.Namespace) -> int:
    """Recompute and write the indices of the sweep in `args.folder`."""
    from sim.experiments.sensitivity import design_points, load_design, problem, read_runs
    from sim.reports.sensitivity_report import write_sensitivity
    from sim.scenario import ScenarioError

    out = Path(args.folder)
    if not out.is_dir():
        raise ScenarioError(f"{out}: no such folder; give the folder a sweep wrote")
    design, bounds, samples, seed = load_design(out)
    if design not in ("sobol", "morris"):
        raise ScenarioError(f"{out}: a {design} design gives no indices; use sobol or morris")
    matrix, _ = design_points(design, bounds, samples, seed)
    runs = read_runs(out, [name for name, _, _ in bounds])
    indices = write_sensitivity(out, design, problem(bounds), matrix, runs)
    print_indices(indices, design)
    print(f"wrote {out}/sensitivity.csv and sensitivity.png")
    return 0
