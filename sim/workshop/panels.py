"""The solara pieces of the pages: lever cards, scenario pickers, headline numbers, charts.

Every piece that shows the model reads Mesa's `update_counter`, so it redraws when
SolaraViz steps or resets the model; the expensive part (snapshot and charts) is memoized
on the model's finished weeks, so moving a lever does not redraw the charts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara
from mesa.visualization.utils import force_update, update_counter

from sim.workshop.controls import CONTROLS, GROUPS, LeverBoard, LeverControl, next_review
from sim.workshop.controls import scenario_choices as choices_for
from sim.workshop.models import Frame, PairChoice, SideBySide, WorkshopModel
from sim.workshop.pictures import HEADLINE_LABELS, headline
from sim.workshop.pictures import pair_pictures as draw_pair
from sim.workshop.pictures import single_pictures as draw_single

BIG = "font-size: 2.3rem; font-weight: 700; line-height: 1.1"
SMALL = "font-size: 0.95rem; color: #555"
HELP = "font-size: 0.8rem; color: #666; line-height: 1.2"


@solara.component
def Headline(frame: Frame, side: str = "single", color: str = "#1565c0") -> None:
    """The numbers the room reads from the back: week, selling time, at quota, leaving."""
    values = headline(frame)
    style = f"border-left: 8px solid {color}; padding: 4px 12px; flex-wrap: wrap"
    with solara.Row(classes=["headline", f"headline-{side}"], style=style, gap="28px"):
        for key, value in values.items():
            with solara.Column(gap="0px", classes=[f"tile-{key}"]):
                solara.Text(HEADLINE_LABELS[key], style=SMALL)
                solara.Text(value, classes=["value", f"value-{key}"], style=BIG)


@solara.component
def Chart(png: bytes, name: str) -> None:
    """One chart image, as wide as its column."""
    with solara.Div(classes=["chart", f"chart-{name}"], style="width: 100%"):
        solara.Image(png, width="100%")


@solara.component
def Events(frame: Frame) -> None:
    """What changed, when: the scenario's interventions and the levers the trainer moved."""
    if not frame.events:
        return
    with solara.Column(gap="2px", classes=["events"], style="padding: 0 12px"):
        solara.Text("What changed, when", style="font-weight: 700; font-size: 1.1rem")
        for week, note in frame.events:
            label = "at start" if week == 0 else f"week {week}"
            solara.Text(f"{label}: {note}", style="font-size: 1rem")


@solara.component
def LeverInput(
    control: LeverControl, value: Any, pending: bool, on_value: Callable[[Any], None]
) -> None:
    """One lever: its name for the room, its value in big type, the control, its meaning."""
    with solara.Column(gap="0px", classes=["lever", f"lever-{control.lever}"]):
        with solara.Row(justify="space-between", style="align-items: baseline"):
            solara.Text(control.label, style="font-weight: 600")
            solara.Text(control.show(value), classes=["lever-value"], style="font-size: 1.2rem")
        if pending:
            solara.Text("takes effect next week", style="font-size: 0.8rem; color: #d84315")
        if control.choices:
            _choice(control, value, on_value)
        else:
            low, high = control.bounds(value)
            slider = solara.SliderInt if control.is_integer else solara.SliderFloat
            slider(
                label="",
                value=value,
                min=low,
                max=high,
                step=int(control.step) if control.is_integer else control.step,
                on_value=on_value,
                thumb_label=False,
            )
        solara.Text(control.help, style=HELP)


def _choice(control: LeverControl, value: Any, on_value: Callable[[Any], None]) -> None:
    options = dict(control.choices)
    if value not in options:
        options[value] = control.show(value)
    by_label = {label: choice for choice, label in options.items()}
    solara.Select(
        label="",
        values=list(by_label),
        value=options[value],
        on_value=lambda label: on_value(by_label[label]),
        dense=True,
    )


@solara.component
def LeverCards(model: WorkshopModel, board: LeverBoard) -> None:
    """The levers, grouped; a move reaches the running organization from the next week."""
    update_counter.get()
    requested = model.requested

    def move(lever: str, value: Any) -> None:
        model.request(board.move(lever, value))
        force_update()

    for group in GROUPS:
        with solara.Card(group, margin=0, style="margin-bottom: 12px"):
            for control in (c for c in CONTROLS if c.group == group):
                value = requested.get(control.lever, getattr(model.levers, control.lever))
                LeverInput(
                    control,
                    value,
                    control.lever in requested,
                    lambda v, lever=control.lever: move(lever, v),
                )
                if control.lever == "fire_bottom_share":
                    upcoming = model.levers.model_copy(update=requested)
                    review = next_review(upcoming, model.steps + 1)
                    if review is not None:
                        solara.Text(f"Next firing review: week {review}", style=HELP)


@solara.component
def ScenarioCard(model: solara.Reactive[WorkshopModel], board: LeverBoard) -> None:
    """Pick the organization on the page; it starts at once, with the scenario's levers."""
    update_counter.get()  # a lever move enables "restart the scenario as written"
    current = model.value

    def choose(name: str) -> None:
        board.choose(name)
        model.set(WorkshopModel(seed=current.run_seed, board=board))

    card = solara.Card("Organization", margin=0, style="margin-bottom: 12px")
    with card, solara.Column(gap="6px"):
        solara.Select(
            label="Scenario",
            values=choices_for(board.scenario),
            value=board.scenario,
            on_value=choose,
            classes=["scenario-picker"],
        )
        solara.Text(current.scenario.description, style=HELP)
        solara.Text(
            f"This run: seed {current.run_seed}. Pick another seed under Model Parameters "
            "and press Reset for the same organization with different luck.",
            style=HELP,
        )
        solara.Button(
            "Restart the scenario as written",
            on_click=lambda: choose(board.scenario),
            text=True,
            disabled=not board.moved,
        )


@solara.component
def PairCard(model: solara.Reactive[SideBySide], pair: PairChoice) -> None:
    """Pick the two organizations; both restart at once from the same seed."""
    current = model.value

    def choose(side: str, name: str) -> None:
        pair.choose(side, name)
        model.set(SideBySide(seed=current.run_seed, pair=pair))

    card = solara.Card("Side by side", margin=0, style="margin-bottom: 12px")
    with card, solara.Column(gap="6px"):
        for side in ("left", "right"):
            solara.Select(
                label=f"{side.capitalize()} organization",
                values=choices_for(getattr(pair, side)),
                value=getattr(pair, side),
                on_value=lambda name, side=side: choose(side, name),
                classes=[f"pick-{side}"],
            )
        solara.Text(
            f"Both start from seed {current.run_seed} and run in step: the same people, "
            "the same luck, until their policies differ.",
            style=HELP,
        )


@solara.component
def SingleDashboard(model: WorkshopModel) -> None:
    """The one-organization page: headline, where the week goes, outcomes, the network."""
    update_counter.get()

    def draw() -> tuple[Frame, dict[str, bytes]]:
        frame = model.snapshot()
        return frame, draw_single(frame)

    frame, pictures = solara.use_memo(draw, [model, model.version])
    with solara.Column(style="padding: 0 8px", gap="8px"):
        Headline(frame)
        Chart(pictures["week"], "week")
        with solara.Columns([1, 1]):
            Chart(pictures["selling"], "selling")
            Chart(pictures["quota"], "quota")
        with solara.Columns([1, 1]):
            Chart(pictures["seats"], "seats")
            Chart(pictures["leaving"], "leaving")
        Chart(pictures["network"], "network")
        Events(frame)


@solara.component
def PairDashboard(model: SideBySide, colors: tuple[str, str]) -> None:
    """The side-by-side page: both organizations' numbers and weeks, outcomes overlaid."""
    update_counter.get()

    def draw() -> tuple[tuple[Frame, Frame], dict[str, bytes]]:
        frames = model.snapshot()
        return frames, draw_pair(*frames)

    (left, right), pictures = solara.use_memo(draw, [model, model.version])
    with solara.Column(style="padding: 0 8px", gap="8px"):
        with solara.Columns([1, 1]):
            for side, frame, color in (("left", left, colors[0]), ("right", right, colors[1])):
                with solara.Column(gap="4px"):
                    solara.Text(
                        frame.scenario, classes=[f"title-{side}"], style=f"{BIG}; color: {color}"
                    )
                    solara.Text(frame.description, style=SMALL)
                    Headline(frame, side=side, color=color)
        with solara.Columns([1, 1]):
            Chart(pictures["week-left"], "week-left")
            Chart(pictures["week-right"], "week-right")
        Chart(pictures["week-legend"], "week-legend")
        with solara.Columns([1, 1]):
            Chart(pictures["selling"], "selling")
            Chart(pictures["quota"], "quota")
        with solara.Columns([1, 1]):
            Chart(pictures["bookings"], "bookings")
            Chart(pictures["leaving"], "leaving")
        with solara.Columns([1, 1]):
            Events(left)
            Events(right)
