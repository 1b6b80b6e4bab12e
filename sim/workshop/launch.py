"""Serve the workshop pages (`salesorg workshop` and `salesorg game`, parsed in `sim.cli`).

The page is `sim.workshop.app`, served by solara's own server in this process. Nothing
here imports solara until the server starts, so the rest of `salesorg` stays fast and
works without the [workshop] extra.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import ipaddress
import os
import socket
import sys
import threading
import warnings
import webbrowser
from collections.abc import Callable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = "sim.workshop.app"
OPEN_AFTER_SECONDS = 3.0  # --open: the browser opens once the server has started


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


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is this computer's own (127.x, ::1)."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    addresses = {info[4][0].split("%", 1)[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def exposure_warning(host: str, port: int, command: str = "workshop") -> str | None:
    """What to tell the trainer when other computers can reach the page (None: they cannot)."""
    if is_loopback(host):
        return None
    return (
        f"salesorg {command}: warning: listening on {host}, so anyone who can reach this\n"
        "  computer over the network can open the page and move its levers: it has no login\n"
        "  and no password (a game's join code keeps teams apart, it is not a password).\n"
        "  To keep it to your room:\n"
        f"  - keep the default --host {DEFAULT_HOST} and give each laptop an SSH tunnel:\n"
        f"      ssh -N -L {port}:127.0.0.1:{port} you@this-computer   (then open\n"
        f"      http://127.0.0.1:{port}/ on that laptop), or\n"
        f"  - let only the room's network in with a firewall, e.g. on Linux\n"
        f"      sudo ufw allow from 192.168.1.0/24 to any port {port} proto tcp\n"
        "    (use your room's own address range), or\n"
        "  - run it on a network only the room can join (a laptop hotspot), and stop it\n"
        "    with Ctrl-C when the session ends."
    )


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
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario)  # a ScenarioError is reported by the CLI
    os.environ["SALESORG_WORKSHOP_SCENARIO"] = args.scenario

    def welcome(url: str) -> list[str]:
        return [
            f"salesorg workshop: {scenario.name} at {url}",
            "  open it in a browser; Ctrl-C stops the page",
        ]

    return serve(args, "workshop", welcome)


def run_game(args: argparse.Namespace) -> int:
    """Serve the pages with the game's facilitator page in front, until Ctrl-C."""

    def welcome(url: str) -> list[str]:
        return [
            f"salesorg game: the facilitator's page is {url}game",
            f"  teams join at {url}team with the code that page shows",
            "  the games live in this process: Ctrl-C ends them",
        ]

    return serve(args, "game", welcome, page="game")


def serve(
    args: argparse.Namespace, command: str, welcome: Callable[[str], list[str]], page: str = ""
) -> int:
    """Check the host and port, warn if the page is exposed, print the address, serve."""
    if importlib.util.find_spec("solara") is None:
        return _refuse(f"the {command} needs its extra: pip install -e '.[workshop]'")
    problem = _bind_error(args.host, args.port)
    if problem:
        return _refuse(problem)
    port = args.port or free_port(args.host)
    url = page_url(args.host, port)
    os.environ["SALESORG_WORKSHOP_URL"] = url
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    # solara's "This website runs on Solara" badge sits over the charts' bottom right corner
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    warning = exposure_warning(args.host, port, command)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    for line in welcome(url):
        print(line, flush=True)
    # noise for a trainer: a local http page has no https cookies
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import click
    from solara.__main__ import cli as solara_cli

    if args.open:
        threading.Timer(OPEN_AFTER_SECONDS, webbrowser.open, [url + page]).start()
    options = ["--host", args.host, "--port", str(port), "--production", "--no-check-version"]
    with contextlib.suppress(KeyboardInterrupt, click.exceptions.Abort):  # Ctrl-C: shut down
        solara_cli.main(
            ["run", APP, *options, "--no-open"],
            prog_name=f"salesorg {command}",
            standalone_mode=False,
        )
    print(f"salesorg {command}: stopped", flush=True)
    return 0
