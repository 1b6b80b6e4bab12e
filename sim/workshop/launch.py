"""`salesorg workshop`: start the live page for a room, and print where to open it.

The page is `sim.workshop.app`, served by solara's own server in this process. Nothing
here imports solara until the server starts, so the rest of `salesorg` stays fast and
works without the [workshop] extra.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import socket
import sys
import warnings

from sim.scenario import load_scenario

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = "sim.workshop.app"

DESCRIPTION = """\
Start a live web page for a workshop: one sales organization, week by week, in a browser.
Show the room where sellers' time goes (selling, admin, meetings, initiatives, handoffs,
asks), who reaches quota, who leaves, and the organization as a network. Then move the
levers (initiatives, coaching, approvals, specialists, asks, firing): the change reaches
the running organization from the next week, so the room sees the curves bend.

Play, Step and Reset are at the top left; the seed is under Model Parameters (Reset
restarts the same scenario, with the levers as they are now, from that seed). The "Side
by side" page runs two organizations from the same seed in step, e.g. firing the bottom
10% next to fixing the organization."""

EPILOG = """\
examples:
  salesorg workshop                               the baseline on http://127.0.0.1:8765
  salesorg workshop --scenario friction-heavy     open on another shipped scenario
  salesorg workshop --port 9000 --open            another port, and open this computer's browser
  salesorg workshop --host 0.0.0.0                let the room's laptops connect (same network)

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


def add_workshop_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `workshop` command to `salesorg`'s subcommands."""
    parser = sub.add_parser(
        "workshop",
        help="a live web page for trainers: play a scenario, move levers, watch it change",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--scenario",
        default="baseline",
        help="the organization the page opens on (see `salesorg scenarios`; default baseline)",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this computer only)",
    )
    parser.add_argument("--open", action="store_true", help="open the page in a browser here")
    parser.set_defaults(func=run_workshop)
    return parser


def _refuse(message: str) -> int:
    print(f"salesorg: error: {message}", file=sys.stderr)
    return 2


def _bind_error(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (None: it can)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot listen on {host}: {exc.strerror or exc}"
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            hint = f"; try --port {port + 1}" if port else ""
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}"
    return None


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nobody listens on right now."""
    family, kind, _, _, address = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind) as probe:
        probe.bind(address)
        return probe.getsockname()[1]


def page_url(host: str, port: int) -> str:
    """Where to open the page (this machine's name when listening on every address)."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def run_workshop(args: argparse.Namespace) -> int:
    """Check the scenario, host and port, print the address, and serve until Ctrl-C."""
    scenario = load_scenario(args.scenario)  # a ScenarioError is reported by the CLI
    if importlib.util.find_spec("solara") is None:
        return _refuse("the workshop needs its extra: pip install -e '.[workshop]'")
    problem = _bind_error(args.host, args.port)
    if problem:
        return _refuse(problem)
    port = args.port or free_port(args.host)
    os.environ["SALESORG_WORKSHOP_SCENARIO"] = args.scenario
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    print(f"salesorg workshop: {scenario.name} at {page_url(args.host, port)}", flush=True)
    print("  open it in a browser; Ctrl-C stops the page", flush=True)
    # noise for a trainer: a local http page has no https cookies, and Mesa 3.3's own
    # ComponentsView trips solara's hook checker when Mesa's visualization is imported
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    warnings.filterwarnings("ignore", message=".*ComponentsView", category=UserWarning)
    import click
    from solara.__main__ import cli as solara_cli

    options = ["--host", args.host, "--port", str(port), "--production", "--no-check-version"]
    options.append("--open" if args.open else "--no-open")
    with contextlib.suppress(KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C: shut down
        solara_cli.main(
            ["run", APP, *options], prog_name="salesorg workshop", standalone_mode=False
        )
    print("salesorg workshop: stopped", flush=True)
    return 0
