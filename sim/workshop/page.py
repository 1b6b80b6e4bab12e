"""The pages' parts: the sidebar (organization, luck, levers), the toolbar, the dashboards.

The layout is sized for a projector at 1400 x 900: the trainer's controls sit in one bar
above the charts and every lever fits the sidebar without scrolling. Projector mode hides
the sidebar and shows the headline and four charts in large type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import solara

from sim.workshop.charts import pair_charts, single_charts
from sim.workshop.controls import scenario_choices
from sim.workshop.export import file_name, session_zip
from sim.workshop.frames import snapshot
from sim.workshop.luck import RUNS, LuckRange
from sim.workshop.panels import ChartBox, ChartGrid, Events, Headline, LeverPanel, NetworkBox
from sim.workshop.player import Beat, HistoryControls, PlayControls, Stage
from sim.workshop.run import Pair, Run

if TYPE_CHECKING:
    from sim.workshop.app import Session

#: the four charts that matter, for the back of the room
PROJECTOR_CHARTS = ("week", "quota", "bookings", "leaving")
CSS = """
.page { width: 100%; align-items: flex-start; flex-wrap: nowrap !important; }
.side { width: 370px; min-width: 370px; padding: 0 14px 8px 12px;
        border-right: 1px solid #e0e0e0; }
.main { flex: 1; min-width: 0; padding: 4px 12px; }
.toolbar { padding: 2px 0 6px 0; border-bottom: 1px solid #eeeeee; align-items: center; }
.tile-label { font-size: 0.95rem; color: #555; }
.value { font-size: 2.2rem; font-weight: 700; line-height: 1.1; }
.projector .value { font-size: 3.3rem; line-height: 1.0; }
.projector .tile-label { font-size: 1.35rem; }
.projector .chart-title { margin-top: 0; }
.chart-title { font-size: 1.2rem; font-weight: 700; margin-top: 6px; }
.projector .chart-title { font-size: 1.9rem; }
.legend { font-size: 0.95rem; color: #424242; }
.projector .legend { font-size: 1.15rem; line-height: 1.45 !important; }
.lever { margin-bottom: 5px; }
.lever-label { font-weight: 600; font-size: 0.88rem; }
.lever-value { font-size: 1rem; font-weight: 700; color: #0d47a1; white-space: nowrap; }
.lever-help { font-size: 0.74rem; color: #616161; line-height: 1.15; }
.lever-help.pending { color: #d84315; font-weight: 600; }
.lever-group { font-weight: 700; font-size: 0.78rem; letter-spacing: 0.06em;
               text-transform: uppercase; color: #1565c0; margin: 6px 0 2px 0; }
.lever .v-input { margin-top: 0 !important; padding-top: 0 !important; }
.lever .v-input__slot { margin-bottom: 0 !important; min-height: 22px !important; }
.lever .v-slider--horizontal { min-height: 22px !important; margin: 0 6px !important; }
.lever .v-messages, .lever .v-text-field__details { display: none !important; }
.lever .v-select__selections input { display: none; }
.lever .v-select .v-input__control { min-height: 26px; }
.speed .v-btn { min-width: 38px !important; padding: 0 6px !important; }
.back-week { max-width: 110px; }
.back-week .v-messages, .back-week .v-text-field__details { display: none !important; }
.org-card .v-messages, .org-card .v-text-field__details { display: none !important; }
.teams, .leaderboard, .decisions { border-collapse: collapse; font-size: 1.05rem; }
.teams th, .teams td, .leaderboard th, .leaderboard td, .decisions th, .decisions td {
  padding: 4px 14px; text-align: left; border-bottom: 1px solid #e0e0e0; }
.leaderboard { font-size: 1.25rem; }
.status-submitted { color: #2e7d32; font-weight: 700; }
.status-deciding { color: #d84315; }
.decision-cost.over { color: #c62828; font-weight: 700; }
"""


@solara.component
def Sidebar(
    single: solara.Reactive[Run],
    version: int,
    redraw: Callable[[], None],
    playing: solara.Reactive[bool],
) -> None:
    """The organization and its luck, then the levers."""
    run = single.value

    def choose(name: str) -> None:
        if name != run.scenario.name:  # a picker that re-sends its value keeps the run
            playing.set(False)
            single.set(Run(name, seed=run.seed))

    def reseed(seed: int | None) -> None:
        seed = max(1, int(seed or 1))
        if seed != run.seed:
            playing.set(False)
            single.set(run.with_seed(seed))

    with solara.Column(classes=["side"], gap="2px"):
        with solara.Column(classes=["org-card"], gap="0px"):
            solara.Select(
                label="Organization",
                values=scenario_choices(run.scenario.name),
                value=run.scenario.name,
                on_value=choose,
                dense=True,
                classes=["scenario-picker"],
            )
            solara.Text(run.scenario.description, classes=["lever-help"])
            with solara.Row(gap="6px", style="align-items: center"):
                solara.InputInt(
                    "Luck (seed)",
                    value=run.seed,
                    on_value=reseed,
                    classes=["seed"],
                    style="max-width: 110px",
                )
                solara.Text("the same organization and moves, other luck", classes=["lever-help"])
        LeverPanel(run, version, redraw)


@solara.component
def Toolbar(session: Session, stage: Stage, version: int) -> None:
    """The trainer's bar: play, step, speed, go back, undo, and the page's options.

    `version` is the stage's: a new one updates what is enabled.
    """
    single = isinstance(stage, Run)
    undo_label = ""
    if single and stage.last_move() is not None:
        move = stage.last_move()
        undo_label = f"Undo week {move.week}"

    def undo() -> None:
        session.playing.set(False)
        stage.undo()
        session.redraw()

    with solara.Row(classes=["toolbar"], gap="14px", style="flex-wrap: wrap"):
        projector = single and session.projector.value
        PlayControls(
            stage,
            session.playing,
            session.speed,
            session.redraw,
            stage.week,
            session.beat,
            compact=projector,
        )
        HistoryControls(
            stage, session.playing, session.redraw, stage.week, undo if single else None, undo_label
        )
        if single:
            luck = session.luck.value
            solara.Button(
                "Hide luck" if luck else "Show luck",
                icon_name="mdi-dice-multiple",
                on_click=lambda: session.luck.set(not luck),
                outlined=True,
                classes=["luck-button"],
            )
            if not session.projector.value:

                def pack() -> bytes:
                    return session_zip(stage, LuckRange.of(stage) if luck else None)

                download = solara.FileDownload(pack, file_name(stage), mime_type="application/zip")
                with download:
                    solara.Button(
                        "Download the session",
                        icon_name="mdi-download",
                        outlined=True,
                        classes=["download-button"],
                    )
            on = session.projector.value
            solara.Button(
                "Exit projector" if on else "Projector",
                icon_name="mdi-projector-screen",
                on_click=lambda: session.projector.set(not on),
                outlined=True,
                classes=["projector-button"],
            )


@solara.component
def SingleDashboard(run: Run, version: int, luck: bool, projector: bool, beat: Beat) -> None:
    """The one-organization page: headline, where the week goes, outcomes, the network.

    `version` is the run's (`Run.version`): a new one redraws; `beat` hears when it has.
    """
    solara.use_effect(beat.drawn, [version])
    moves = tuple(run.moves)

    def work_out_luck() -> LuckRange | None:
        return LuckRange.of(run) if luck else None

    band = solara.use_thread(work_out_luck, [run, moves, luck], intrusive_cancel=False)
    ready = band.value if band.value is not None and band.value.fits(run) and luck else None

    def draw():
        frame = snapshot(run)
        shown = ready.up_to(frame.week) if ready is not None else None
        return frame, single_charts(frame, shown, projector=projector)

    frame, charts = solara.use_memo(draw, [run, version, projector, ready])
    with solara.Column(gap="4px", classes=["dashboard"]):
        Headline(frame)
        if luck and ready is None:
            solara.Text(
                f"Running this organization under {RUNS} other lucks...", classes=["luck-note"]
            )
        if projector:
            ChartGrid(charts, [PROJECTOR_CHARTS[:2], PROJECTOR_CHARTS[2:]], beside=("week",))
            return
        ChartBox(charts["week"])
        ChartGrid(charts, [("selling", "quota"), ("bookings", "leaving")])
        with solara.Columns([1, 1]):
            ChartBox(charts["seats"])
            Events(frame)
        NetworkBox(frame)


@solara.component
def PairDashboard(pair: solara.Reactive[Pair], version: int, beat: Beat) -> None:
    """The side-by-side page: both organizations' numbers and weeks, outcomes overlaid."""
    solara.use_effect(beat.drawn, [version])
    current = pair.value

    def draw():
        frames = tuple(snapshot(run) for run in current.sides)
        return frames, pair_charts(*frames)

    (left, right), charts = solara.use_memo(draw, [current, version])

    def reseed(seed: int | None) -> None:
        seed = max(1, int(seed or 1))
        if seed != current.seed:  # an input that re-sends its value keeps the runs
            pair.set(current.with_seed(seed))

    def choose(side: str, name: str) -> None:
        if name != getattr(current, side).scenario.name:
            pair.set(current.choose(side, name))

    with solara.Column(gap="4px", classes=["dashboard"]):
        with solara.Row(gap="8px", style="align-items: center", classes=["org-card"]):
            solara.InputInt(
                "Luck (seed)",
                value=current.seed,
                on_value=reseed,
                classes=["seed"],
                style="max-width: 110px",
            )
            solara.Text(
                "both sides: the same people and the same luck until their policies differ",
                classes=["lever-help"],
            )
        with solara.Columns([1, 1]):
            for side, frame in (("left", left), ("right", right)):
                with solara.Column(gap="2px"):
                    solara.Select(
                        label=f"{side.capitalize()} organization",
                        values=scenario_choices(frame.scenario),
                        value=frame.scenario,
                        on_value=lambda name, side=side: choose(side, name),
                        dense=True,
                        classes=[f"pick-{side}"],
                    )
                    solara.Text(frame.scenario, classes=[f"title-{side}", "value"])
                    solara.Text(frame.description, classes=["lever-help"])
                    Headline(frame, side=side, color="#d84315" if side == "left" else "#1565c0")
        pairs = [("week-left", "week-right"), ("selling", "quota"), ("bookings", "leaving")]
        ChartGrid(charts, pairs)
        with solara.Columns([1, 1]):
            Events(left)
            Events(right)
