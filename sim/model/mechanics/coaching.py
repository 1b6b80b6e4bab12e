"""Step 3 of the week: managers coach, and skill moves.

A manager's coaching hours are what is left of the planned coaching time after the
week's other pulls on it (following up initiatives, and later hiring and onboarding),
shared across the sellers in the team. The gain in the coached skill component follows
a learning curve s(1 - s): little where there is nothing to build on, little where there
is no room to grow, most in the middle, which is where field studies find coaching pays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model.mechanics.week_levers import ONE_THING
from sim.scenario.levers import SKILL_COMPONENTS, Levers

SKILL_RANGE = (0.02, 0.98)


def share_coaching(planned, other_pulls, manager_of, filled):
    """Each manager's planned coaching hours less `other_pulls`, shared by the team's seats."""
    available = np.maximum(planned - other_pulls, 0.0)  # one value per manager
    team = np.zeros(available.size)
    for i in range(manager_of.size):
        if filled[i]:
            team[manager_of[i]] += 1.0
    per_seller = np.zeros(manager_of.size)
    for i in range(manager_of.size):
        if filled[i]:
            per_seller[i] = available[manager_of[i]] / team[manager_of[i]]
    return per_seller, np.where(team > 0, available, 0.0)


def coaching_hours(
    levers: Levers,
    *,
    manager_of: np.ndarray,
    filled: np.ndarray,
    n_managers: int,
    other_pulls: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Coaching hours each seller receives this week, and each manager's coaching hours.

    Args:
        levers: the organization's levers.
        manager_of: manager row of each seat.
        filled: seats holding a seller.
        n_managers: number of managers.
        other_pulls: hours per manager taken out of planned coaching time this week.

    """
    planned = levers.manager_hours * levers.coaching_share
    return share_coaching(planned, np.asarray(other_pulls, dtype=np.float64), manager_of, filled)


def _coach(skill, talent, hours, quality, focus, learn_rate, decay):
    """A week of coaching (on component `focus`, or each seller's weakest) and forgetting."""
    n_components, n = skill.shape
    low, high = SKILL_RANGE
    gain = np.empty(n)
    for i in range(n):
        target = focus
        if target == ONE_THING:
            target = 0
            for c in range(1, n_components):
                if skill[c, i] < skill[target, i]:
                    target = c
        s = skill[target, i]
        gain[i] = learn_rate * quality[i] * hours[i] * s * (1.0 - s)
        for c in range(n_components):
            value = skill[c, i] - decay * (skill[c, i] - talent[c, i])
            if c == target:
                value += gain[i]
            skill[c, i] = min(max(value, low), high)
    return gain


def coach(
    skill: np.ndarray,
    talent: np.ndarray,
    *,
    hours: np.ndarray,
    quality: np.ndarray,
    levers: Levers,
) -> np.ndarray:
    """Apply a week of coaching and forgetting to `skill` in place; return the gains.

    Each seller is coached on their weakest component (one thing each), or on the
    organization's focus component (one size fits all).
    """
    focus = (
        ONE_THING
        if levers.coaching_focus == "one_thing"
        else SKILL_COMPONENTS.index(levers.focus_component)
    )
    return _coach(
        skill,
        talent,
        hours,
        quality,
        focus,
        float(levers.learn_rate),
        float(levers.skill_decay),
    )


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
share_coaching = njit(cache=True)(share_coaching)
_coach = njit(cache=True)(_coach)
