"""Steps 5 and 6 of the week: morale, quitting, managing out, firing, vacancies and hiring.

Morale moves toward a target set by the seller's own week (selling-time share, overtime,
initiative overload), the manager (coaching quality), results (trailing attainment) and
fear (recent firings on the team). Voluntary quitting is a weekly hazard that rises as
morale falls, more steeply for skilled sellers, who have options elsewhere. Involuntary
exits come from ordinary performance management (ramped sellers far below quota are
managed out at a weekly rate) and from the firing policy (the bottom share by trailing
attainment, every N weeks). A vacated seat stays empty for `hiring_weeks`; the leaver's
open deals are partly lost; the new hire is drawn from the talent pool through a noisy
interview, starts at tenure zero and ramps. Hiring and onboarding take manager hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.levers import Levers
from sim.state import N_SKILLS, SellerState, effective_skill

NEUTRAL_MORALE = 0.55  # morale at which sellers quit at the base rate
MORALE_SPEED = 0.08  # share of the gap to the target closed each week
FEAR_DECAY = 0.96  # weekly decay of the memory of a firing on the team
CANDIDATES = 3  # candidates interviewed per vacancy
INTERVIEW_HOURS = 3.0  # manager hours a week per open vacancy
ONBOARD_HOURS = 2.0  # manager hours a week per new hire in the first `ONBOARD_WEEKS`
ONBOARD_WEEKS = 13
VOLUNTARY, INVOLUNTARY = 0, 1


@dataclass
class People:
    """Per-seat and per-team state of the people dynamics."""

    vacancy_left: np.ndarray  # weeks until a vacant seat is filled
    fear: np.ndarray  # per team: decaying memory of firings (fired per seat)
    regretted: int = 0  # voluntary leavers from the top skill quartile, all time
    voluntary: int = 0  # voluntary leavers, all time

    @classmethod
    def create(cls, n: int, teams: int) -> People:
        """Everyone seated, no fear."""
        return cls(vacancy_left=np.zeros(n, dtype=np.int64), fear=np.zeros(teams))


def morale_target(
    levers: Levers,
    *,
    selling_share: np.ndarray,
    overtime: np.ndarray,
    initiatives: np.ndarray,
    quality: np.ndarray,
    attainment: np.ndarray,
    fear: np.ndarray,
) -> np.ndarray:
    """The morale each seller's situation pulls toward, 0-1."""
    target = (
        NEUTRAL_MORALE
        + 0.8 * (selling_share - 0.35)
        + 0.3 * (quality - 0.4)
        + 0.2 * np.clip(attainment - 1.0, -0.5, 0.5)
        - 0.03 * overtime
        - 0.05 * np.maximum(initiatives - 2.0, 0.0)
        - 2.0 * fear
    )
    return np.clip(target, 0.05, 0.95)


def quit_hazard(levers: Levers, morale: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """Weekly chance of quitting: the base rate, rising as morale falls, steeper for the skilled."""
    z = np.maximum(skill - levers.talent_mean, 0.0) / max(levers.talent_sd, 0.05)
    slope = levers.morale_sensitivity * (1.0 + levers.skill_options * z)
    return np.minimum(levers.quit_rate / 52.0 * np.exp(slope * (NEUTRAL_MORALE - morale)), 0.5)


def fire_due(levers: Levers, week: int) -> bool:
    """Whether this week holds a firing review."""
    if levers.fire_bottom_share <= 0 or week < levers.fire_start_week:
        return False
    return (week - levers.fire_start_week) % levers.fire_every_weeks == 0


def choose_fired(levers: Levers, s: SellerState) -> np.ndarray:
    """Rows of the ramped sellers with the lowest trailing attainment (the bottom share)."""
    ramped = np.flatnonzero(s.ramped(levers.ramp_weeks))
    count = int(np.floor(levers.fire_bottom_share * ramped.size))
    if count == 0:
        return ramped[:0]
    order = np.argsort(s.attainment()[ramped], kind="stable")
    return ramped[order[:count]]


def hire(levers: Levers, rng: np.random.Generator, count: int) -> np.ndarray:
    """Talent of `count` new hires: the best of a few candidates by a noisy interview.

    With `hiring_quality` 1 the interview sees true skill; with 0 it is pure noise, and a
    hire is a random draw from the talent pool.
    """
    candidates = np.clip(
        rng.normal(levers.talent_mean, levers.talent_sd, (CANDIDATES, N_SKILLS, count)),
        0.05,
        0.95,
    )
    true = effective_skill(candidates.transpose(1, 0, 2).reshape(N_SKILLS, -1))
    true = true.reshape(CANDIDATES, count)
    noise = rng.normal(0.0, max(levers.talent_sd, 0.01), (CANDIDATES, count))
    q = levers.hiring_quality
    signal = q * true + (1.0 - q) * noise
    best = np.argmax(signal, axis=0)
    return candidates[best, :, np.arange(count)].T


def manager_people_hours(
    s: SellerState, people: People, manager_of: np.ndarray, n_managers: int
) -> np.ndarray:
    """Manager hours a week taken by interviewing for vacancies and onboarding new hires."""
    vacant = ~s.filled
    onboarding = s.filled & (s.tenure < ONBOARD_WEEKS)
    load = INTERVIEW_HOURS * vacant + ONBOARD_HOURS * onboarding
    return np.bincount(manager_of, weights=load, minlength=n_managers)
