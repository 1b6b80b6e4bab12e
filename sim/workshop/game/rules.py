"""The game's rules: quarters, what each decision costs, and the hidden regimes.

A round is a quarter (13 weeks). Each quarter a team may move the page's levers; moving a
lever the way that takes money or management time costs points (one approval desk fewer,
more presales specialists, better coaching...), the other way is free (nobody is paid to
add an approval desk). Points not spent carry over to the next quarter. Until the model
has cost levers, points stand for the budget.

The hidden regime is what binds the organization, taken from the shipped scenarios that
show it: the levers where `friction-heavy`, `initiative-overload` or `talent-bound` differ
from the baseline are laid over the game's scenario. The teams are not told which.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

from sim.scenario import Scenario, load_scenario
from sim.workshop.controls import CONTROL_BY_LEVER, LeverControl

QUARTER = 13
HANDOVER_WEEKS = 52  # the year after the game, played on unseen for the scorecard
MAX_ROUNDS = 8
DEFAULT_ROUNDS = 4
DEFAULT_POINTS = 6
SURPRISE = "surprise me"
AS_IS = "as the scenario is"

#: regime -> the shipped scenario whose levers define it
REGIME_SOURCES = {
    "friction-bound": "friction-heavy",
    "initiative-bound": "initiative-overload",
    "talent-bound": "talent-bound",
}
REGIME_STORIES = {
    "friction-bound": "approvals, thin presales cover, admin and asks eat the sellers' week",
    "initiative-bound": "too many initiatives launched and too little follow-up",
    "talent-bound": "little friction; the spread of individual skill is the constraint",
    AS_IS: "the scenario as it is written, nothing laid over it",
}


class GameError(ValueError):
    """A decision or a setting the game refuses, with a message for the room."""


@dataclass(frozen=True)
class Price:
    """What moving a lever costs: `points` per `step` in the `costly` direction.

    Args:
        lever: the lever (one of the page's controls).
        step: one unit of change.
        points: points per unit.
        costly: +1 when raising the lever costs, -1 when lowering it does.
        what: the price in the room's words.
        flat: for a choice (cap, focus): points for any change in the costly direction.

    """

    lever: str
    step: float
    points: int
    costly: int
    what: str
    flat: bool = False

    @property
    def control(self) -> LeverControl:
        """The page's control of this lever."""
        return CONTROL_BY_LEVER[self.lever]

    def cost(self, before: Any, after: Any) -> int:
        """Points to move the lever from `before` to `after`."""
        if before == after:
            return 0
        if self.flat:
            better = _rank(self.lever, after) > _rank(self.lever, before)
            return self.points if better else 0
        units = (after - before) * self.costly / self.step
        return self.points * math.ceil(units - 1e-9) if units > 0 else 0


def _rank(lever: str, value: Any) -> int:
    """Order of a choice lever's values, the costly direction last."""
    if lever == "initiative_cap":
        return -int(value)  # a tighter cap costs
    return 1 if value == "one_thing" else 0


PRICES: dict[str, Price] = {
    p.lever: p
    for p in (
        Price("initiative_rate", 5.0, 1, -1, "1 point per 5 initiatives fewer a quarter"),
        Price("initiative_cap", 1, 2, -1, "2 points to tighten the limit", flat=True),
        Price("coaching_quality", 0.05, 1, +1, "1 point per 0.05 better coaching"),
        Price("coaching_share", 0.04, 1, +1, "1 point per 4% more of managers' time"),
        Price("coaching_focus", 1, 2, +1, "2 points to coach each one's weakest skill", flat=True),
        Price("approval_steps", 1, 3, -1, "3 points per approval removed"),
        Price("sellers_per_specialist", 0.5, 1, -1, "1 point per 0.5 fewer sellers a specialist"),
        Price("ask_hours", 1.0, 1, -1, "1 point per hour fewer asked"),
        Price("fire_bottom_share", 0.05, 1, +1, "1 point per 5% more fired (severance)"),
    )
}


def decision_cost(before: dict[str, Any], decisions: dict[str, Any]) -> int:
    """Points a set of decisions costs, from the levers as they are."""
    unknown = sorted(set(decisions) - set(PRICES))
    if unknown:
        raise GameError(f"{unknown[0]} is not a decision in the game")
    return sum(PRICES[k].cost(before[k], v) for k, v in decisions.items())


def regime_levers(regime: str) -> dict[str, Any]:
    """The levers a regime lays over the game's scenario."""
    if regime == AS_IS:
        return {}
    if regime not in REGIME_SOURCES:
        raise GameError(f"unknown regime {regime!r}: pick one of {', '.join(regimes())}")
    source = load_scenario(REGIME_SOURCES[regime]).levers
    base = load_scenario("baseline").levers
    return {
        name: getattr(source, name)
        for name in type(source).model_fields
        if getattr(source, name) != getattr(base, name)
    }


def regimes() -> list[str]:
    """The regimes a facilitator can hide, and the random pick."""
    return [*REGIME_SOURCES, AS_IS, SURPRISE]


def pick_regime(choice: str, seed: int) -> str:
    """The regime played: the facilitator's choice, or a random one for a surprise."""
    if choice == SURPRISE:
        return random.Random(seed).choice(sorted(REGIME_SOURCES))
    regime_levers(choice)  # refuses an unknown one
    return choice


def game_scenario(scenario: str, regime: str, rounds: int) -> Scenario:
    """The organization the teams run: the scenario, the regime over it, long enough."""
    if not 1 <= rounds <= MAX_ROUNDS:
        raise GameError(f"rounds = {rounds}: allowed 1 to {MAX_ROUNDS} quarters")
    weeks = rounds * QUARTER + HANDOVER_WEEKS
    levers = {**regime_levers(regime), "weeks": weeks}
    return load_scenario(scenario).with_levers(levers, source=f"game ({regime})")
