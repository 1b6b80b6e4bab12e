"""The trainer's controls: play and pause at so many weeks a second, step, go back, undo.

Playing runs in a thread of the browser session: it steps the organization, tells the
page to redraw, and waits for the next beat of the chosen speed. The run never passes its
last week (stepping stops there), and Pause answers at once, whatever the speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import solara

#: weeks a second a trainer can pick; 0 means as fast as the page can draw
SPEEDS = (1, 2, 5, 10, 20, 0)
DEFAULT_SPEED = 5
BREATHE = 0.5  # after each week, pause at least half the time the week took to draw
DRAW_TIMEOUT = 2.0  # seconds Play waits for the page to draw a week before it goes on
QUARTER = 13


def speed_label(speed: float) -> str:
    """How a speed reads on its button."""
    return "max" if speed == 0 else f"{speed:g}"


class Stage(Protocol):
    """What the controls drive: a `Run` or a `Pair`."""

    week: int
    weeks: int
    running: bool
    version: int

    def step(self, weeks: int = 1) -> int:
        """Run up to `weeks` weeks; returns the weeks run."""

    def rewind(self, week: int) -> None:
        """Go back to `week`."""


class Beat:
    """Tells the player when the page has drawn the week it was asked to draw.

    Solara renders in whichever thread holds its render lock, so asking for a redraw
    returns at once; without waiting for the drawing, Play would run ahead of the page and
    show only the last week.
    """

    def __init__(self) -> None:
        """Nothing asked yet."""
        self._drawn = threading.Event()
        self._drawn.set()

    def asked(self) -> None:
        """A redraw was asked for."""
        self._drawn.clear()

    def drawn(self) -> None:
        """The page has drawn (called by the dashboard after it rendered)."""
        self._drawn.set()

    def wait(self, timeout: float = DRAW_TIMEOUT) -> bool:
        """Wait for the page to draw; False if it took longer than `timeout` seconds."""
        return self._drawn.wait(timeout)


def play(
    stage: Stage,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[float],
    redraw: Callable[[], None],
    cancel: threading.Event,
    beat: Beat | None = None,
) -> None:
    """Step the stage at `speed` weeks a second until paused, cancelled or at the end."""
    due = time.perf_counter()
    while playing.value and not cancel.is_set():
        began = time.perf_counter()
        if beat is not None:
            beat.asked()
        if not stage.step():
            break
        redraw()
        if beat is not None:
            beat.wait()
        if not stage.running:
            break
        rate = speed.value
        now = time.perf_counter()
        due = max(due + (1.0 / rate if rate else 0.0), now)  # behind the beat: no rushing
        # leave the server time to send the week to the browser (at most ~2/3 busy)
        cancel.wait(max(due - now, (now - began) * BREATHE))
    if not stage.running:
        playing.set(False)


def use_player(
    stage: Stage,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[float],
    redraw: Callable[[], None],
    beat: Beat | None = None,
) -> None:
    """Play `stage` in a thread while `playing` is on (restarted when the stage changes)."""

    def run(cancel: threading.Event) -> None:
        if playing.value:
            play(stage, playing, speed, redraw, cancel, beat)

    # not intrusive: solara's intrusive cancel traces every line of the thread (slow)
    solara.use_thread(run, dependencies=[playing.value, stage], intrusive_cancel=False)


@solara.component
def PlayControls(
    stage: Stage,
    playing: solara.Reactive[bool],
    speed: solara.Reactive[float],
    redraw: Callable[[], None],
    week: int,
    beat: Beat | None = None,
    compact: bool = False,
) -> None:
    """Play/Pause, Step, a quarter, and the weeks-a-second buttons (`week`: the stage's)."""
    use_player(stage, playing, speed, redraw, beat)

    def toggle() -> None:
        playing.set(not playing.value and stage.running)

    def step(weeks: int) -> None:
        if stage.step(weeks):
            redraw()

    at_end = not stage.running
    with solara.Row(gap="6px", style="align-items: center; flex-wrap: wrap", classes=["player"]):
        solara.Button(
            "Pause" if playing.value else ("At the end" if at_end else "Play"),
            icon_name="mdi-pause" if playing.value else "mdi-play",
            on_click=toggle,
            disabled=at_end and not playing.value,
            color="primary",
            classes=["play-button"],
        )
        solara.Button(
            "Step",
            on_click=lambda: step(1),
            disabled=playing.value or at_end,
            classes=["step-button"],
            outlined=True,
        )
        if not compact:
            solara.Button(
                "+ quarter",
                on_click=lambda: step(QUARTER),
                disabled=playing.value or at_end,
                classes=["quarter-button"],
                outlined=True,
            )
        solara.Text("Weeks a second", classes=["speed-label"])
        labels = [speed_label(s) for s in SPEEDS]
        solara.ToggleButtonsSingle(
            value=speed_label(speed.value),
            values=labels,
            on_value=lambda label: speed.set(SPEEDS[labels.index(label)]),
            dense=True,
            classes=["speed"],
        )


@solara.component
def HistoryControls(
    stage: Stage,
    playing: solara.Reactive[bool],
    redraw: Callable[[], None],
    week: int,
    undo: Callable[[], None] | None = None,
    undo_label: str = "",
) -> None:
    """Go back to an earlier week; undo the latest lever move (`week`: the stage's)."""
    target, set_target = solara.use_state(0)

    def back() -> None:
        playing.set(False)
        stage.rewind(target)
        redraw()

    with solara.Row(gap="6px", style="align-items: center; flex-wrap: wrap", classes=["history"]):
        solara.InputInt(
            "Back to week",
            value=min(target, week),
            on_value=lambda w: set_target(max(0, min(int(w or 0), week))),
            continuous_update=True,
            classes=["back-week"],
            style="max-width: 110px",
        )
        solara.Button(
            "Go back",
            icon_name="mdi-rewind",
            on_click=back,
            disabled=week == 0,
            outlined=True,
            classes=["back-button"],
        )
        if undo is not None:
            solara.Button(
                undo_label or "Undo",
                icon_name="mdi-undo",
                on_click=undo,
                disabled=not undo_label,
                outlined=True,
                classes=["undo-button"],
            )
