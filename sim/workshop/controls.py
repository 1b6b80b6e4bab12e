"""The levers a trainer moves, in the room's language, and the room's current settings.

Each `LeverControl` names a real lever of `sim.scenario.levers.Levers` and takes its unit,
description and allowed range from there; a control may show a narrower range where the
lever's own would make a slider useless in a room (nobody shares one specialist between
100 sellers). `LeverBoard` remembers the scenario and the levers the trainer moved, so a
reset restarts the same organization with the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.scenario import check_levers, load_scenario, scenario_names
from sim.scenario.levers import Levers, lever_table

_INFO = {row["name"]: row for row in lever_table()}


@dataclass(frozen=True)
class LeverControl:
    """One control on the page: a lever, its label for the room, and how to show it.

    Args:
        lever: name of the lever in `sim.scenario.levers.Levers`.
        label: what the room calls it.
        group: the card the control sits on.
        fmt: how to show a value (a format string).
        step: slider increment.
        low: lowest value shown (default: the lever's own lower bound).
        high: highest value shown (default: the lever's own upper bound).
        choices: (value, label) pairs for a control that picks among a few values.

    """

    lever: str
    label: str
    group: str
    fmt: str = "{:g}"
    step: float = 1.0
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[Any, str], ...] = ()

    @property
    def help(self) -> str:
        """The lever's own description and unit."""
        info = _INFO[self.lever]
        return f"{info['doc']} ({info['unit']}; default {info['default']})"

    @property
    def is_integer(self) -> bool:
        """Whether the lever takes whole numbers."""
        return Levers.model_fields[self.lever].annotation is int

    def bounds(self, current: float | None = None) -> tuple[float, float]:
        """Slider range: the shown range, widened to hold the current value if needed."""
        info = _INFO[self.lever]
        low = info["low"] if self.low is None else self.low
        high = info["high"] if self.high is None else self.high
        if current is not None:
            low, high = min(low, current), max(high, current)
        return low, high

    def show(self, value: Any) -> str:
        """A value as the room reads it."""
        for choice, label in self.choices:
            if choice == value:
                return label
        return self.fmt.format(value)


CONTROLS: tuple[LeverControl, ...] = (
    LeverControl(
        "initiative_rate", "New initiatives launched each quarter", "Initiatives", fmt="{:.0f}"
    ),
    LeverControl(
        "initiative_cap",
        "Initiatives a team may run at once",
        "Initiatives",
        choices=((1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"), (99, "no cap")),
    ),
    LeverControl(
        "coaching_quality", "How well managers coach", "Managers", fmt="{:.2f}", step=0.05
    ),
    LeverControl(
        "coaching_share",
        "Share of a manager's week spent coaching",
        "Managers",
        fmt="{:.0%}",
        step=0.02,
        high=0.6,
    ),
    LeverControl(
        "coaching_focus",
        "What managers coach",
        "Managers",
        choices=(
            ("one_size", "the same thing for everyone"),
            ("one_thing", "each seller's one thing"),
        ),
    ),
    LeverControl("approval_steps", "Approval desks a deal must pass", "Friction", fmt="{:d}"),
    LeverControl(
        "sellers_per_specialist",
        "Sellers sharing one presales specialist",
        "Friction",
        fmt="{:.1f}",
        step=0.5,
        low=1.0,
        high=12.0,
    ),
    LeverControl(
        "ask_hours",
        "Hours a week other functions ask of each seller",
        "Friction",
        fmt="{:.1f} h",
        step=0.5,
        high=12.0,
    ),
    LeverControl(
        "fire_bottom_share",
        "Fire this share of sellers at each yearly review",
        "People",
        fmt="{:.0%}",
        step=0.05,
    ),
)
CONTROL_BY_LEVER = {c.lever: c for c in CONTROLS}
GROUPS = tuple(dict.fromkeys(c.group for c in CONTROLS))


def next_review(levers: Levers, week: int) -> int | None:
    """The first firing review at or after `week` (None when nobody is fired)."""
    if levers.fire_bottom_share <= 0:
        return None
    start, every = levers.fire_start_week, levers.fire_every_weeks
    if week <= start:
        return max(start, 1)
    return start + -(-(week - start) // every) * every


@dataclass
class LeverBoard:
    """The room's settings: the scenario on the page and the levers the trainer moved."""

    scenario: str = "baseline"
    moved: dict[str, Any] = field(default_factory=dict)

    def choose(self, scenario: str) -> None:
        """Switch scenario; the levers go back to that scenario's own values."""
        load_scenario(scenario)  # refuses an unknown name with a ScenarioError
        self.scenario = scenario
        self.moved = {}

    def move(self, lever: str, value: Any) -> dict[str, Any]:
        """Record a lever the trainer moved; returns the checked change for the model."""
        if lever not in CONTROL_BY_LEVER:
            raise KeyError(f"{lever} is not a lever on the workshop page")
        change = check_levers({lever: value}, source="workshop")
        self.moved.update(change)
        return change


def scenario_choices(current: str) -> list[str]:
    """The shipped scenarios, plus the one on the page if it came from a file."""
    names = scenario_names()
    return names if current in names else [current, *names]
