"""`salesorg scenarios`, `salesorg validate` and `salesorg levers`: what there is to run."""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.common import LAYOUT

SCENARIOS_EXAMPLES = """\
examples:
  salesorg scenarios                          one line per shipped scenario
  salesorg run friction-heavy                 then run one of them
"""
VALIDATE_EXAMPLES = """\
examples:
  salesorg validate my-org.toml               check your file before running it
  salesorg validate fix-the-organization      what a shipped scenario changes
"""
LEVERS_EXAMPLES = """\
examples:
  salesorg levers                             every lever: default, unit, range, meaning
  salesorg levers | grep coaching             the coaching levers
  salesorg run baseline --set coaching_quality=0.8
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `scenarios`, `validate` and `levers` to the subcommands."""
    scen = sub.add_parser(
        "scenarios",
        help="list the shipped scenarios",
        description="List the shipped scenarios (scenarios/*.toml) with what each is like.",
        epilog=SCENARIOS_EXAMPLES,
        formatter_class=LAYOUT,
    )
    scen.set_defaults(func=list_scenarios)

    val = sub.add_parser(
        "validate",
        help="check a scenario file and show what it sets",
        description="Check a scenario file (its levers, ranges and interventions) and show "
        "what it changes from the baseline defaults. A refusal names the file, key and value.",
        epilog=VALIDATE_EXAMPLES,
        formatter_class=LAYOUT,
    )
    val.add_argument("file", help="a scenario .toml file (or a shipped scenario's name)")
    val.set_defaults(func=validate)

    lev = sub.add_parser(
        "levers",
        help="list every lever with default, unit, range, meaning",
        description="Every lever of the model with its baseline default, unit, allowed range "
        "and meaning. Each is a key of a scenario's [levers] table, a --set LEVER=VALUE and a "
        "keyword of sim.SalesOrgModel.",
        epilog=LEVERS_EXAMPLES,
        formatter_class=LAYOUT,
    )
    lev.set_defaults(func=list_levers)


def list_scenarios(_: argparse.Namespace) -> int:
    """Print each shipped scenario with its description."""
    from sim.scenario import load_scenario, scenario_names

    names = scenario_names()
    width = max(map(len, names))
    for name in names:
        scenario = load_scenario(name)
        print(f"{name:<{width}}  {scenario.description}")
    return 0


def validate(args: argparse.Namespace) -> int:
    """Check a scenario file; print what it changes."""
    from sim.scenario import load_scenario

    scenario = load_scenario(args.file)
    defaults = _defaults()
    changed = {k: v for k, v in scenario.levers.model_dump().items() if v != defaults.get(k, v)}
    print(f"{args.file}: valid scenario '{scenario.name}' ({' -> '.join(scenario.chain)})")
    print(f"  {scenario.description}")
    for key, value in changed.items():
        print(f"  {key} = {value}")
    for iv in scenario.interventions:
        print(f"  week {iv.week}: {iv.note or iv.set}")
    return 0


def _defaults() -> dict[str, Any]:
    from sim.scenario import lever_table

    return {row["name"]: row["default"] for row in lever_table()}


def list_levers(_: argparse.Namespace) -> int:
    """Print the lever table."""
    from sim.scenario import lever_table

    for row in lever_table():
        span = f"[{row['low']}, {row['high']}]" if row["low"] is not None else ""
        print(f"{row['name']:<24} {row['default']!s:<10} {row['unit']:<24} {span:<18} {row['doc']}")
    return 0
