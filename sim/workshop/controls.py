"""The levers a trainer moves, in the room's language.

Each `LeverControl` names a real lever of `sim.scenario.levers.Levers` and takes its
allowed range from there; a control may show a narrower range where the lever's own would
make a slider useless in a room (nobody shares one specialist between 100 sellers). Its
hint says what the lever means in the words of a sales team, not the model's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.scenario import scenario_names
from sim.scenario.levers import Levers, lever_table

_INFO = {row["name"]: row for row in lever_table()}


@dataclass(frozen=True)
class LeverControl:
    """One control on the page: a lever, its label for the room, and how to show it.

    Args:
        lever: name of the lever in `sim.scenario.levers.Levers`.
        label: what the room calls it.
        group: the card the control sits on.
        hint: what it means, in a sales team's words (one short line).
        fmt: how to show a value (a format string).
        step: slider increment.
        low: lowest value shown (default: the lever's own lower bound).
        high: highest value shown (default: the lever's own upper bound).
        choices: (value, label) pairs for a control that picks among a few values.

    """

    lever: str
    label: str
    group: str
    hint: str
    fmt: str = "{:g}"
    step: float = 1.0
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[Any, str], ...] = ()

    def shown(self, value: Any, start: Any | None = None) -> str:
        """The value as the room reads it, with where it started when it moved."""
        if start is None or start == value:
            return self.show(value)
        return f"{self.show(value)} (was {self.show(start)})"

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
        "initiative_rate",
        "New initiatives each quarter",
        "Initiatives",
        "Programmes and tools pushed onto the teams.",
        fmt="{:.0f}",
    ),
    LeverControl(
        "initiative_cap",
        "Initiatives a team runs at once",
        "Initiatives",
        "The rest wait their turn instead of piling up.",
        choices=((1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"), (99, "no limit")),
    ),
    LeverControl(
        "coaching_quality",
        "How well managers coach",
        "Coaching",
        "0: coaching does not help; 1: the best coach.",
        fmt="{:.2f}",
        step=0.05,
    ),
    LeverControl(
        "coaching_share",
        "Managers' time spent coaching",
        "Coaching",
        "Share of each manager's week set aside to coach.",
        fmt="{:.0%}",
        step=0.02,
        high=0.6,
    ),
    LeverControl(
        "coaching_focus",
        "What managers coach",
        "Coaching",
        "One skill for all, or each seller's weakest one.",
        choices=(
            ("one_size", "the same skill for everyone"),
            ("one_thing", "each seller's weakest skill"),
        ),
    ),
    LeverControl(
        "approval_steps",
        "Approvals a deal needs",
        "Friction",
        "Desks that sign off a deal, one after another.",
        fmt="{:d}",
    ),
    LeverControl(
        "sellers_per_specialist",
        "Sellers per presales specialist",
        "Friction",
        "Fewer: more help with demos, deals wait less.",
        fmt="{:.1f}",
        step=0.5,
        low=1.0,
        high=12.0,
    ),
    LeverControl(
        "ask_hours",
        "Hours asked of each seller a week",
        "Friction",
        "From marketing, enablement, product, service.",
        fmt="{:.1f} h",
        step=0.5,
        high=12.0,
    ),
    LeverControl(
        "fire_bottom_share",
        "Fire the bottom sellers each year",
        "Firing",
        "Lowest results first, at each yearly review.",
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


def scenario_choices(current: str) -> list[str]:
    """The shipped scenarios, plus the one on the page if it came from a file."""
    names = scenario_names()
    return names if current in names else [current, *names]
