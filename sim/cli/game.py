"""`salesorg game`: the workshop's game for teams (served by `sim.workshop.launch`)."""

from __future__ import annotations

import argparse

from sim.cli.common import LAYOUT
from sim.cli.workshop import add_server_options

DESCRIPTION = """\
Start the workshop's game: teams run copies of the same sales organization, decide each
quarter, and compete on a scorecard.

The facilitator opens the game page, picks the organization, a hidden regime (what really
holds it back: friction, initiatives or talent; the teams are not told), the number of
quarters and teams, bots that play fixed strategies, and the points each team may spend a
quarter. The page shows a four-letter code. Each team opens the join page on its own
laptop, types the code and a name, and submits its decisions for the quarter. The
facilitator sees who has submitted, plays the quarter, and shows the leaderboard; after
the last quarter, the debrief reveals the regime, each team's path and why the winners won.

The score resists end-game tricks: bookings over the last four quarters count for half,
but the year after the game (played on, unseen, with each team's levers), morale at the
end and the good sellers kept count too, so firing everyone in the last quarter does not
pay. 100 is the organization nobody touched."""

EPILOG = """\
examples:
  salesorg game                                   the game on http://127.0.0.1:8765/game
  salesorg game --host 0.0.0.0                    teams join from their laptops (same network)
  salesorg game --port 9000 --open                another port, and open this computer's browser

Teams need the page's address: with the default --host 127.0.0.1 only this computer can
open it (use an SSH tunnel per laptop, or --host 0.0.0.0 on a network only the room can
join; the command says more). The same server also serves the workshop pages.
Stop it with Ctrl-C: the games live in this process.
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `game` to the subcommands."""
    parser = sub.add_parser(
        "game",
        help="the workshop's game: teams decide each quarter, a scorecard ranks them",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=LAYOUT,
    )
    add_server_options(parser, "the game page")
    parser.set_defaults(func=command)


def command(args: argparse.Namespace) -> int:
    """Serve the game until Ctrl-C."""
    from sim.workshop.launch import run_game

    return run_game(args)
