"""`salesorg init`: describe your organization in answers you know; get a scenario."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.common import LAYOUT

EXAMPLES = """\
examples:
  salesorg init --out acme.toml                 answer the questions (Enter keeps a default)
  salesorg init --out acme.toml --no-input --sellers 120 --managers 15 --quota 800
                                                for scripts: flags answer, defaults fill in
then:
  salesorg calibrate acme.toml --targets acme.targets.toml
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `init` to the subcommands."""
    from sim.scenario.questions import QUESTIONS

    cmd = sub.add_parser(
        "init",
        help="describe your organization in plain answers; writes a scenario and targets",
        description="Ask the questions a sales leader can answer (headcount, staffing, quota, "
        "deal size, a time study, attrition, ramp, costs), with defaults shown, and write a "
        "commented scenario (each lever with the answer it came from) and a targets file of "
        "what was measured, for `salesorg calibrate`. Existing files are never overwritten.",
        epilog=EXAMPLES,
        formatter_class=LAYOUT,
    )
    cmd.add_argument(
        "--out",
        default="my-org.toml",
        help="the scenario to write (default "
        "my-org.toml; the targets go beside it as NAME.targets.toml)",
    )
    cmd.add_argument("--no-input", action="store_true", help="ask nothing: flags and defaults")
    for q in QUESTIONS:
        cmd.add_argument(
            q.flag,
            dest=q.name,
            metavar=q.unit.split()[0].upper(),
            help=f"{q.prompt} ({q.unit}; default {q.default:g})".replace("%", "%%"),
        )
    cmd.set_defaults(func=command)


def _ask(question) -> str:
    reply = input(f"{question.prompt} [{question.default:g} {question.unit}]: ").strip()
    return reply or str(question.default)


def command(args: argparse.Namespace) -> int:
    """Gather the answers, write the scenario and the targets, check both."""
    from sim.scenario import ScenarioError, load_scenario
    from sim.scenario.questions import QUESTIONS, answers_from, scenario_text, targets_text
    from sim.scenario.targets import load_targets

    out = Path(args.out)
    if out.suffix != ".toml":
        raise ScenarioError(f"--out {out}: a scenario is a .toml file")
    targets = out.with_name(f"{out.stem}.targets.toml")
    for path in (out, targets):
        if path.exists():
            raise ScenarioError(f"{path}: exists; nothing was written (choose another --out)")
    if not out.parent.is_dir():
        raise ScenarioError(f"--out {out}: the folder {out.parent} does not exist")
    given = {q.name: getattr(args, q.name) for q in QUESTIONS}
    interactive = not args.no_input and sys.stdin.isatty()
    answers = answers_from(given, _ask if interactive else None)
    out.write_text(scenario_text(answers, out.stem), encoding="utf-8")
    targets.write_text(targets_text(answers, out.stem), encoding="utf-8")
    try:
        load_scenario(out)
        load_targets(targets)
    except ScenarioError:
        out.unlink()
        targets.unlink()
        raise
    print(f"wrote {out} (the scenario) and {targets} (what you measured)")
    print(f"next: salesorg calibrate {out} --targets {targets}")
    return 0
