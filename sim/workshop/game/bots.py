"""Bots: teams that play a fixed strategy, so a small room still has opponents.

A bot has a plan: levers and the values it wants them at, in order. Each quarter it moves
the first lever it has not reached as far as its points allow, then the next, and keeps
what it cannot afford for later quarters (points carry over).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.workshop.game.rules import PRICES, decision_cost


@dataclass(frozen=True)
class Bot:
    """A fixed strategy: `plan` is (lever, target) in the order the bot pursues them."""

    name: str
    story: str
    plan: tuple[tuple[str, Any], ...]

    def decide(self, levers: dict[str, Any], points: int) -> dict[str, Any]:
        """The quarter's decisions, from the levers as they are, within `points`."""
        decisions: dict[str, Any] = {}
        for lever, target in self.plan:
            price = PRICES[lever]
            current = levers[lever]
            if current == target:
                continue
            if price.flat:
                trial = {**decisions, lever: target}
                if decision_cost(levers, trial) <= points:
                    decisions = trial
                continue
            way = 1 if target > current else -1
            value = current
            while (target - value) * way > 1e-9:
                step = min(price.step, abs(target - value)) * way
                trial = {**decisions, lever: _tidy(lever, value + step)}
                if decision_cost(levers, trial) > points:
                    break
                decisions, value = trial, value + step
        return decisions


def _tidy(lever: str, value: float) -> Any:
    """A value as the lever takes it (whole numbers where the lever is whole)."""
    return round(value) if PRICES[lever].control.is_integer else round(value, 6)


BOTS: dict[str, Bot] = {
    b.name: b
    for b in (
        Bot(
            "Firing bot",
            "fires the bottom 10% of sellers at every yearly review, changes nothing else",
            (("fire_bottom_share", 0.1),),
        ),
        Bot(
            "Approvals-first bot",
            "cuts approvals to one, then adds presales specialists, then cuts the asks",
            (("approval_steps", 1), ("sellers_per_specialist", 3.0), ("ask_hours", 1.0)),
        ),
        Bot(
            "Coaching bot",
            "trains the managers: each seller's weakest skill, better coaching, more time",
            (("coaching_focus", "one_thing"), ("coaching_quality", 0.7), ("coaching_share", 0.3)),
        ),
        Bot(
            "Focus bot",
            "limits each team to two initiatives at once, then launches fewer",
            (("initiative_cap", 2), ("initiative_rate", 5.0)),
        ),
        Bot("Steady bot", "changes nothing: the untouched organization, score 100", ()),
    )
}
