"""The workshop pages, served by solara: `solara run sim.workshop.app` (or `salesorg workshop`).

- `/`: one organization, its levers (they apply from the next week) and the scenario;
- `/side-by-side`: two organizations from the same seed, run in step;
- `/game`, `/team`, `/debrief`: the game (`sim.workshop.game.pages`): the facilitator's
  page, a team's page, and the debrief.

Each browser session gets its own organizations (made in `Layout`, which stays mounted
while the trainer switches pages, so neither page loses its run). The opening scenario
comes from the environment variable `SALESORG_WORKSHOP_SCENARIO` (default: baseline).
The page does not use Mesa's SolaraViz: its controller shows developer settings (render
interval, threads), plays past the end of a run with a render interval, and redraws
matplotlib images, which held Play near one week a second.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import solara

from sim.workshop.game.pages import DebriefPage, GamePage, TeamPage
from sim.workshop.page import CSS, PairDashboard, Sidebar, SingleDashboard, Toolbar
from sim.workshop.player import DEFAULT_SPEED, Beat
from sim.workshop.run import Pair, Run

SCENARIO_ENV = "SALESORG_WORKSHOP_SCENARIO"
TITLE = "Where sellers' time goes"


@dataclass
class Session:
    """One browser session's organizations and settings."""

    single: solara.Reactive[Run]
    pair: solara.Reactive[Pair]
    version: solara.Reactive[int]  # bumped to redraw after a step, a rewind, a move
    playing: solara.Reactive[bool]
    speed: solara.Reactive[float]
    projector: solara.Reactive[bool]
    luck: solara.Reactive[bool]
    beat: Beat

    @classmethod
    def open(cls, scenario: str) -> Session:
        """Start the session on a scenario, and the side-by-side pair on fire vs fix."""
        return cls(
            solara.reactive(Run(scenario, seed=1)),
            solara.reactive(Pair(seed=1)),
            solara.reactive(0),
            solara.reactive(False),
            solara.reactive(float(DEFAULT_SPEED)),
            solara.reactive(False),
            solara.reactive(False),
            Beat(),
        )

    def redraw(self) -> None:
        """Tell the pages that a run changed."""
        self.version.set(self.version.value + 1)

    def watch(self) -> Callable[[], None]:
        """Free every run the pages replace (another scenario, other luck); returns the undo."""
        stops = [
            held.subscribe_change(lambda _new, old: old.release())
            for held in (self.single, self.pair)
        ]

        def stop() -> None:
            for undo in stops:
                undo()
            self.playing.set(False)
            self.single.value.release()
            self.pair.value.release()

        return stop


SESSION = solara.create_context(None)


def opening_scenario() -> str:
    """The scenario the page opens on."""
    return os.environ.get(SCENARIO_ENV, "baseline")


@solara.component
def Layout(children: list | None = None) -> None:
    """The app's frame; it holds the session, so switching pages keeps both runs."""
    session = solara.use_memo(lambda: Session.open(opening_scenario()), [])
    solara.use_effect(session.watch, [])
    SESSION.provide(session)
    current, routes = solara.use_route()
    solara.Style(CSS)
    solara.Title(TITLE)
    layout = solara.AppLayout(children=children or [], title=TITLE, navigation=False)
    with layout, solara.AppBar():
        for route in (r for r in routes if r.path in NAVIGATION):
            with solara.Link(solara.resolve_path(route, level=0)):
                solara.Button(
                    route.label,
                    text=route is not current,
                    outlined=route is current,
                    color="white",
                    classes=[f"page-{route.path.strip('/') or 'one'}"],
                    on_click=lambda: session.playing.set(False),
                )


@solara.component
def OneOrganization() -> None:
    """One organization: the trainer's controls, the levers, the live charts."""
    session: Session = solara.use_context(SESSION)
    session.version.get()  # redraw on every change
    run = session.single.value
    projector = session.projector.value
    with solara.Row(classes=["page", "projector" if projector else "normal"], gap="0px"):
        if not projector:
            Sidebar(session.single, run.version, session.redraw, session.playing)
        with solara.Column(classes=["main"], gap="6px"):
            Toolbar(session, run, run.version)
            SingleDashboard(run, run.version, session.luck.value, projector, session.beat)


@solara.component
def SideBySidePage() -> None:
    """Two organizations from the same seed, stepped together."""
    session: Session = solara.use_context(SESSION)
    session.version.get()
    pair = session.pair.value
    row = solara.Row(classes=["page", "normal"], gap="0px")
    with row, solara.Column(classes=["main"], gap="6px"):
        Toolbar(session, pair, pair.version)
        PairDashboard(session.pair, pair.version, session.beat)


routes = [
    solara.Route(path="/", component=OneOrganization, label="One organization", layout=Layout),
    solara.Route(path="side-by-side", component=SideBySidePage, label="Side by side"),
    solara.Route(path="game", component=GamePage, label="Game"),
    solara.Route(path="team", component=TeamPage, label="Join a game"),
    solara.Route(path="debrief", component=DebriefPage, label="Debrief"),
]
NAVIGATION = ("/", "side-by-side", "game", "team")
