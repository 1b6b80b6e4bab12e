"""Step 4 of the week: initiatives are launched, queued, worked, adopted or abandoned.

Support functions launch initiatives at `initiative_rate` a quarter, each to a share of
the teams (`initiative_reach`). A team (a manager and its sellers) works at most
`initiative_cap` at once; the rest queue, and a queued one that waits longer than
`initiative_weeks` is dropped without having cost anything. Active initiatives cost
every seller in the team `initiative_hours` a week and need the manager's follow-up.
Adoption progress per week is divided by the number active and cut again by context
switching, and without follow-up it decays ("start then forget"). An adopted initiative
improves a skill component for good, or cuts admin hours (a tool that works); one still
unadopted after `initiative_weeks` is abandoned: the hours were wasted.

State is held per team and slot (a small matrix), since a team adopts together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.levers import SKILL_COMPONENTS, Levers
from sim.mechanics.time_budget import switching_loss

NONE, QUEUED, ACTIVE, ADOPTED, ABANDONED, DROPPED = range(6)
SLOTS = 48  # initiatives alive at once, organization-wide
ADOPT_RATE = 0.2  # weekly adoption progress of a lone, fully followed-up initiative
FORGET = 0.05  # weekly decay of progress without follow-up
FRICTION_SHARE = 0.4  # share of initiatives that are tools cutting admin hours
SKILL_GAIN = 0.1  # an adopted method closes this share of the gap to full skill
ADMIN_CUT = 0.5  # admin hours a week an adopted tool removes
MAX_ADMIN_RELIEF = 0.5  # tools remove at most this share of admin hours
FOLLOW_UP_HOURS = 1.0  # manager hours a week per active initiative, at full follow-up
_NEVER = np.iinfo(np.int64).max


@dataclass
class Initiatives:
    """Initiative slots and every team's status in each."""

    status: np.ndarray  # (teams, SLOTS) int8
    progress: np.ndarray  # (teams, SLOTS)
    age: np.ndarray  # (teams, SLOTS) weeks in the current status
    launched: np.ndarray = field(default_factory=lambda: np.full(SLOTS, -1))
    kind_friction: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS, dtype=bool))
    component: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS, dtype=np.int64))
    admin_relief: np.ndarray | None = None  # (teams,) admin hours a week removed by tools
    totals: dict[str, int] = field(
        default_factory=lambda: {"launched": 0, "adopted": 0, "abandoned": 0, "dropped": 0}
    )

    @classmethod
    def create(cls, teams: int) -> Initiatives:
        """No initiatives yet."""
        return cls(
            status=np.zeros((teams, SLOTS), dtype=np.int8),
            progress=np.zeros((teams, SLOTS)),
            age=np.zeros((teams, SLOTS), dtype=np.int64),
            admin_relief=np.zeros(teams),
        )

    def active(self) -> np.ndarray:
        """Active initiatives per team."""
        return (self.status == ACTIVE).sum(axis=1)

    def queued(self) -> np.ndarray:
        """Queued initiatives per team."""
        return (self.status == QUEUED).sum(axis=1)

    def resize_teams(self, teams: int) -> None:
        """Follow a change in the number of teams (new teams start with no initiatives)."""
        current = self.status.shape[0]
        if teams == current:
            return
        keep = min(teams, current)

        def fit(a: np.ndarray) -> np.ndarray:
            out = np.zeros((teams, *a.shape[1:]), dtype=a.dtype)
            out[:keep] = a[:keep]
            return out

        self.status, self.progress, self.age = fit(self.status), fit(self.progress), fit(self.age)
        self.admin_relief = fit(self.admin_relief)


def follow_up_hours(active: np.ndarray, levers: Levers) -> np.ndarray:
    """Manager hours a week spent following up each team's `active` initiatives."""
    return FOLLOW_UP_HOURS * levers.follow_up * active


def _launch(ini: Initiatives, levers: Levers, rng: np.random.Generator, week: int) -> int:
    count = int(rng.poisson(levers.initiative_rate / 13.0))
    teams = ini.status.shape[0]
    launched = 0
    for _ in range(count):
        free = np.flatnonzero(ini.launched < 0)
        if free.size == 0:
            break  # the organization is saturated: nobody can even queue another one
        slot = free[0]
        ini.launched[slot] = week
        ini.kind_friction[slot] = rng.random() < FRICTION_SHARE
        ini.component[slot] = rng.integers(len(SKILL_COMPONENTS))
        reached = rng.random(teams) < levers.initiative_reach
        ini.status[:, slot] = np.where(reached, QUEUED, NONE)
        ini.progress[:, slot] = 0.0
        ini.age[:, slot] = 0
        launched += 1
    return launched


def _promote(ini: Initiatives, cap: int, queued: np.ndarray) -> np.ndarray:
    """Start queued initiatives, oldest first, while a team is under its cap; return started."""
    if cap >= SLOTS:  # no cap binds: everything queued starts
        started = queued
    else:
        order = np.argsort(np.where(ini.launched < 0, _NEVER, ini.launched), kind="stable")
        in_order = queued[:, order]
        room = np.maximum(cap - (ini.status == ACTIVE).sum(axis=1), 0)
        start = in_order & (np.cumsum(in_order, axis=1) <= room[:, None])
        started = np.zeros_like(queued)
        started[:, order] = start
    ini.status[started] = ACTIVE
    ini.age[started] = 0
    return started


def step_initiatives(
    ini: Initiatives,
    *,
    levers: Levers,
    rng: np.random.Generator,
    week: int,
    skill: np.ndarray,
    talent: np.ndarray,
    manager_of: np.ndarray,
    filled: np.ndarray,
) -> dict[str, np.ndarray | int]:
    """Advance every team's initiatives one week; apply what is adopted.

    Returns:
        this week's launched count and, per team, the adopted and abandoned counts and
        the initiatives active for next week.

    """
    launched = _launch(ini, levers, rng, week)
    status = ini.status
    queued = status == QUEUED
    if queued.any():
        expired = queued & (ini.age >= levers.initiative_weeks)
        status[expired] = DROPPED
        queued &= ~expired
        queued &= ~_promote(ini, levers.initiative_cap, queued)

    active = status == ACTIVE
    n_active = active.sum(axis=1)
    focus = np.divide(
        1.0 - switching_loss(n_active, levers.switching_cost),
        n_active,
        out=np.zeros(n_active.shape),
        where=n_active > 0,
    )
    push = ADOPT_RATE * (0.3 + 0.7 * levers.follow_up) * focus
    ini.progress += active * (push[:, None] - FORGET * (1.0 - levers.follow_up) * ini.progress)

    adopted = active & (ini.progress >= 1.0)
    abandoned = active & (ini.age >= levers.initiative_weeks) & ~adopted
    n_adopted = adopted.sum(axis=1)
    n_abandoned = abandoned.sum(axis=1)
    if n_adopted.any():
        status[adopted] = ADOPTED
        active &= ~adopted
        for slot in np.flatnonzero(adopted.any(axis=0)):
            _apply_benefit(ini, slot, adopted[:, slot], levers, skill, talent, manager_of, filled)
    if n_abandoned.any():
        status[abandoned] = ABANDONED
        active &= ~abandoned
    live = queued | active
    ini.age += live

    done = (ini.launched >= 0) & ~live.any(axis=0)
    if done.any():
        ini.totals["dropped"] += int((status[:, done] == DROPPED).sum())
        ini.launched[done] = -1
        status[:, done] = NONE
    ini.totals["launched"] += launched
    ini.totals["adopted"] += int(n_adopted.sum())
    ini.totals["abandoned"] += int(n_abandoned.sum())
    return {
        "launched": launched,
        "adopted": n_adopted,
        "abandoned": n_abandoned,
        "active": active.sum(axis=1),
    }


def _apply_benefit(ini, slot, teams, levers, skill, talent, manager_of, filled) -> None:
    """An adopted initiative pays off for the sellers of the adopting teams."""
    if ini.kind_friction[slot]:
        cap = MAX_ADMIN_RELIEF * levers.admin_hours
        ini.admin_relief[teams] = np.minimum(ini.admin_relief[teams] + ADMIN_CUT, cap)
        return
    sellers = teams[manager_of] & filled
    c = ini.component[slot]
    for arr in (talent, skill):
        arr[c, sellers] += SKILL_GAIN * (1.0 - arr[c, sellers])
