"""`salesorg workshop`: the live page for a room (served by `sim.workshop.launch`)."""

from __future__ import annotations

import argparse

from sim.cli.common import LAYOUT
from sim.workshop.launch import DEFAULT_HOST, DEFAULT_PORT

DESCRIPTION = """\
Start a live web page for a workshop: one sales organization, week by week, in a browser.
Show the room where sellers' time goes (selling, admin, meetings, initiatives, handoffs,
asks), who reaches quota, who leaves, and the organization as a network. Then move the
levers (initiatives, coaching, approvals, specialists, asks, firing): the change reaches
the running organization from the next week, so the room sees the curves bend.

The bar on top: Play and Pause at so many weeks a second, Step, a quarter at a time, Back
to week (go back to any earlier week and try other levers from there), Undo (take back the
latest lever move), Show luck (the range 20 other seeds give with the same moves), Download
the session (levers, events, the weekly table, charts and a summary for the debrief) and
Projector (large type, four charts). The "Side by side" page runs two organizations from
the same seed in step, e.g. firing the bottom 10% next to fixing the organization; the
"Game" page runs the workshop's game (see `salesorg game --help`)."""

EPILOG = """\
examples:
  salesorg workshop                               the baseline on http://127.0.0.1:8765
  salesorg workshop --scenario friction-heavy     open on another shipped scenario
  salesorg workshop --port 9000 --open            another port, and open this computer's browser
  salesorg workshop --host 0.0.0.0                let the room's laptops connect (same network)

--host other than 127.0.0.1 puts the page on the network: it has no login, so anyone who can
reach this computer can open it. The command says how to keep it to your room (an SSH
tunnel, a firewall rule, or a network only the room can join).

Stop it with Ctrl-C. The page needs no internet: its scripts come with the [workshop] extra.
"""


def port_number(text: str) -> int:
    """A TCP port: 1-65535, or 0 for any free port."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1-65535 (0: any free port)")
    return port


def add_server_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--port, --host and --open, for the commands that serve the workshop's pages."""
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=(
            f"address to listen on (default {DEFAULT_HOST}: this computer only; 0.0.0.0: "
            "every network this computer is on, with no login)"
        ),
    )
    parser.add_argument("--open", action="store_true", help=f"open {what} in a browser here")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `workshop` to the subcommands."""
    parser = sub.add_parser(
        "workshop",
        help="a live web page for trainers: play a scenario, move levers, watch it change",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=LAYOUT,
    )
    parser.add_argument(
        "--scenario",
        default="baseline",
        help="the organization the page opens on (see `salesorg scenarios`; default baseline)",
    )
    add_server_options(parser, "the page")
    parser.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Serve the page until Ctrl-C."""
    from sim.workshop.launch import run_workshop

    return run_workshop(args)
