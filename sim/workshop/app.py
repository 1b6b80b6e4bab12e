"""The workshop pages, served by solara: `solara run sim.workshop.app` (or `salesorg workshop`).

Two pages, each a Mesa `SolaraViz` (play, step, reset, the seed) around the organization:

- `/`: one organization, with the levers (they apply from the next week) and the scenario;
- `/side-by-side`: two organizations from the same seed, run in step.

SolaraViz gets no components: the pages lay their charts out themselves, full width and
readable from the back, rather than in SolaraViz's draggable half-width grid cells.

Each browser session gets its own organizations (made in `Layout`, which stays mounted
while the trainer switches pages, so neither page loses its run). The opening scenario
comes from the environment variable `SALESORG_WORKSHOP_SCENARIO` (default: baseline).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import solara
from mesa.visualization import SolaraViz

from sim.workshop.charts import SIDE_COLORS
from sim.workshop.controls import LeverBoard
from sim.workshop.models import PairChoice, SideBySide, WorkshopModel, retire
from sim.workshop.panels import LeverCards, PairCard, PairDashboard, ScenarioCard, SingleDashboard

SCENARIO_ENV = "SALESORG_WORKSHOP_SCENARIO"
TITLE = "Where sellers' time goes"
#: Mesa's own input for the seed: it applies when the trainer presses Reset.
SEED = {"type": "SliderInt", "value": 1, "min": 1, "max": 50, "step": 1, "label": "Seed"}
PLAY_INTERVAL_MS = 50  # pause between weeks while playing; drawing takes longer


@dataclass
class Session:
    """One browser session's organizations and settings."""

    board: LeverBoard
    single: solara.Reactive[WorkshopModel]
    pair_choice: PairChoice
    pair: solara.Reactive[SideBySide]

    @classmethod
    def open(cls, scenario: str) -> Session:
        """Start the session on a scenario, and the side-by-side pair on fire vs fix."""
        board = LeverBoard(scenario)
        choice = PairChoice()
        return cls(
            board,
            solara.reactive(WorkshopModel(seed=1, board=board)),
            choice,
            solara.reactive(SideBySide(seed=1, pair=choice)),
        )

    def watch(self) -> Callable[[], None]:
        """Free every model the pages replace (reset, another scenario); returns the undo."""
        stops = [
            model.subscribe_change(lambda _new, old: retire(old))
            for model in (self.single, self.pair)
        ]

        def stop() -> None:
            for undo in stops:
                undo()
            retire(self.single.value)
            retire(self.pair.value)

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
    solara.Style(".v-slider { margin-top: 0; } .lever { margin-bottom: 10px; }")
    layout = solara.AppLayout(children=children or [], title=TITLE, navigation=False)
    with layout, solara.AppBar():
        for route in routes:
            with solara.Link(solara.resolve_path(route, level=0)):
                solara.Button(
                    route.label,
                    text=route is not current,
                    outlined=route is current,
                    color="white",
                    classes=[f"page-{route.path.strip('/') or 'one'}"],
                )


@solara.component
def _Nested(children: list) -> None:
    """Renders its children one component deeper (so their sidebar cards come after Mesa's)."""
    solara.Column(children=children)


@solara.component
def OneOrganization() -> None:
    """One organization: Mesa's controls, the scenario and levers, the live charts."""
    session: Session = solara.use_context(SESSION)
    model = session.single
    SolaraViz(
        model,
        components=[],
        model_params={"seed": SEED, "board": session.board},
        name=TITLE,
        play_interval=PLAY_INTERVAL_MS,
    )
    with _Nested(), _Nested(), solara.Sidebar():
        ScenarioCard(model, session.board)
        LeverCards(model.value, session.board)
    SingleDashboard(model.value)


@solara.component
def SideBySidePage() -> None:
    """Two organizations from the same seed, stepped together."""
    session: Session = solara.use_context(SESSION)
    model = session.pair
    SolaraViz(
        model,
        components=[],
        model_params={"seed": SEED, "pair": session.pair_choice},
        name=f"{TITLE}: side by side",
        play_interval=PLAY_INTERVAL_MS,
    )
    with _Nested(), _Nested(), solara.Sidebar():
        PairCard(model, session.pair_choice)
    PairDashboard(model.value, SIDE_COLORS)


routes = [
    solara.Route(path="/", component=OneOrganization, label="One organization", layout=Layout),
    solara.Route(path="side-by-side", component=SideBySidePage, label="Side by side"),
]
