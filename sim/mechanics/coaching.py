"""Step 3 of the week: managers coach, and skill moves.

A manager's coaching hours are what is left of the planned coaching time after the
week's other pulls on it (following up initiatives, and later hiring and onboarding),
shared across the sellers in the team. The gain in the coached skill component follows
a learning curve s(1 - s): little where there is nothing to build on, little where there
is no room to grow, most in the middle, which is where field studies find coaching pays.
"""

from __future__ import annotations

import numpy as np

from sim.levers import SKILL_COMPONENTS, Levers

SKILL_RANGE = (0.02, 0.98)


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
    available = np.maximum(planned - other_pulls, 0.0)
    team = np.bincount(manager_of, weights=filled, minlength=n_managers)
    per_seller = np.divide(available, team, out=np.zeros(n_managers), where=team > 0)
    return per_seller[manager_of] * filled, available * (team > 0)


def coaching_target(skill: np.ndarray, levers: Levers) -> tuple:
    """Index into `skill` of the component each seller is coached on.

    Their weakest (one thing each), or the organization's focus for everyone (one size).
    """
    if levers.coaching_focus == "one_thing":
        return np.argmin(skill, axis=0), np.arange(skill.shape[1])
    return SKILL_COMPONENTS.index(levers.focus_component), slice(None)


def coach(
    skill: np.ndarray,
    talent: np.ndarray,
    *,
    hours: np.ndarray,
    quality: np.ndarray,
    levers: Levers,
) -> np.ndarray:
    """Apply a week of coaching and forgetting to `skill` in place; return the gains."""
    target = coaching_target(skill, levers)
    s = skill[target]
    gain = levers.learn_rate * quality * hours * s * (1.0 - s)
    skill -= levers.skill_decay * (skill - talent)
    skill[target] += gain
    skill.clip(*SKILL_RANGE, out=skill)
    return gain
