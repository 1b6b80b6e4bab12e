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

State is held per slot and team (a small matrix, one row per initiative), since a team
adopts together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.levers import SKILL_COMPONENTS, Levers
from sim.mechanics.time_budget import switching_loss

NONE, QUEUED, ACTIVE, ADOPTED, ABANDONED, DROPPED = range(6)
SLOTS = 16  # initiative slots at start; doubled whenever more are alive at once
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

    status: np.ndarray  # (slots, teams) int8
    progress: np.ndarray  # (slots, teams)
    age: np.ndarray  # (slots, teams) weeks in the current status
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
            status=np.zeros((SLOTS, teams), dtype=np.int8),
            progress=np.zeros((SLOTS, teams)),
            age=np.zeros((SLOTS, teams), dtype=np.int64),
            admin_relief=np.zeros(teams),
        )

    def active(self) -> np.ndarray:
        """Active initiatives per team."""
        return (self.status == ACTIVE).sum(axis=0)

    def queued(self) -> np.ndarray:
        """Queued initiatives per team."""
        return (self.status == QUEUED).sum(axis=0)

    @property
    def matrices(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Status, progress and age: (slots, teams) matrices, C-contiguous."""
        return self.status, self.progress, self.age

    @property
    def slots(self) -> int:
        """Initiative slots allocated (grows when more are alive at once)."""
        return self.launched.size

    def remap_teams(self, source: np.ndarray) -> None:
        """Follow a reorganization: new team `t` carries on from old team `source[t]`."""
        self.status = self.status.take(source, axis=1)
        self.progress = self.progress.take(source, axis=1)
        self.age = self.age.take(source, axis=1)
        self.admin_relief = self.admin_relief[source].copy()

    def grow(self) -> None:
        """Double the number of slots (more initiatives alive at once than ever before)."""
        extra = self.slots
        self.status = np.vstack([self.status, np.zeros_like(self.status)])
        self.progress = np.vstack([self.progress, np.zeros_like(self.progress)])
        self.age = np.vstack([self.age, np.zeros_like(self.age)])
        self.launched = np.concatenate([self.launched, np.full(extra, -1)])
        self.kind_friction = np.concatenate([self.kind_friction, np.zeros(extra, dtype=bool)])
        self.component = np.concatenate([self.component, np.zeros(extra, dtype=np.int64)])


def follow_up_hours(active: np.ndarray, levers: Levers) -> np.ndarray:
    """Manager hours a week spent following up each team's `active` initiatives."""
    return FOLLOW_UP_HOURS * levers.follow_up * active


def _launch(ini: Initiatives, levers: Levers, rng: np.random.Generator, week: int) -> int:
    count = int(rng.poisson(levers.initiative_rate / 13.0))
    teams = ini.status.shape[1]
    launched = 0
    for _ in range(count):
        free = np.flatnonzero(ini.launched < 0)
        if free.size == 0:
            ini.grow()
            free = np.flatnonzero(ini.launched < 0)
        slot = free[0]
        ini.launched[slot] = week
        ini.kind_friction[slot] = rng.random() < FRICTION_SHARE
        ini.component[slot] = rng.integers(len(SKILL_COMPONENTS))
        reached = rng.random(teams) < levers.initiative_reach
        ini.status[slot] = np.where(reached, QUEUED, NONE)
        ini.progress[slot] = 0.0
        ini.age[slot] = 0
        launched += 1
    return launched


def _launch_order(ini: Initiatives) -> np.ndarray:
    return np.argsort(np.where(ini.launched < 0, _NEVER, ini.launched), kind="stable")


def _promote(ini: Initiatives, cap: int, queued: np.ndarray) -> np.ndarray:
    """Start queued initiatives, oldest first, while a team is under its cap; return started."""
    if cap >= ini.slots:  # no cap binds: everything queued starts
        started = queued
    else:
        order = _launch_order(ini)
        in_order = queued[order]
        room = np.maximum(cap - (ini.status == ACTIVE).sum(axis=0), 0)
        start = in_order & (np.cumsum(in_order, axis=0) <= room)
        started = np.zeros_like(queued)
        started[order] = start
    ini.status[started] = ACTIVE
    ini.age[started] = 0
    return started


def _enforce_cap(ini: Initiatives, cap: int) -> None:
    """After a cap is lowered, put a team's newest active initiatives back in the queue."""
    if cap >= ini.slots:
        return
    active = ini.status == ACTIVE
    if active.sum(axis=0).max(initial=0) <= cap:
        return
    order = _launch_order(ini)
    in_order = active[order]
    over = in_order & (np.cumsum(in_order, axis=0) > cap)
    paused = np.zeros_like(active)
    paused[order] = over
    ini.status[paused] = QUEUED
    ini.age[paused] = 0


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
        this week's counts of launched, adopted and abandoned initiatives, and per team
        the initiatives active and queued for next week.

    """
    launched = _launch(ini, levers, rng, week)
    _enforce_cap(ini, levers.initiative_cap)
    status = ini.status
    slots, teams = status.shape
    queued = status == QUEUED
    if queued.any():
        expired = queued & (ini.age >= levers.initiative_weeks)
        status[expired] = DROPPED
        queued &= ~expired
        queued &= ~_promote(ini, levers.initiative_cap, queued)
    any_queued = queued.any()

    # few (initiative, team) pairs are active: work on them, by their position in the
    # flattened (slot, team) matrices, rather than on the whole matrices
    status_at, progress_at, age_at = (np.reshape(m, -1, copy=False) for m in ini.matrices)
    active = np.flatnonzero(status == ACTIVE)
    team = active % teams
    n_active = np.bincount(team, minlength=teams)
    focus = np.divide(
        1.0 - switching_loss(n_active, levers.switching_cost),
        n_active,
        out=np.zeros(teams),
        where=n_active > 0,
    )
    push = ADOPT_RATE * (0.3 + 0.7 * levers.follow_up) * focus
    progress = progress_at[active]
    progress += push[team] - FORGET * (1.0 - levers.follow_up) * progress
    progress_at[active] = progress

    adopted = progress >= 1.0
    abandoned = (age_at[active] >= levers.initiative_weeks) & ~adopted
    n_adopted = int(np.count_nonzero(adopted))
    n_abandoned = int(np.count_nonzero(abandoned))
    if n_adopted:
        status_at[active[adopted]] = ADOPTED
        adopting = np.zeros(status.shape, dtype=bool)
        adopting.flat[active[adopted]] = True
        for slot in np.flatnonzero(adopting.any(axis=1)):
            _apply_benefit(ini, slot, adopting[slot], levers, skill, talent, manager_of, filled)
    if n_abandoned:
        status_at[active[abandoned]] = ABANDONED
    active = active[~(adopted | abandoned)]
    age_at[active] += 1
    live = np.zeros(slots, dtype=bool)  # slots with a team still working on or queuing them
    live[active // teams] = True
    if any_queued:
        ini.age[queued] += 1
        live |= queued.any(axis=1)

    done = (ini.launched >= 0) & ~live
    if done.any():
        ini.totals["dropped"] += int(np.count_nonzero(status[done] == DROPPED))
        ini.launched[done] = -1
        status[done] = NONE
    ini.totals["launched"] += launched
    ini.totals["adopted"] += n_adopted
    ini.totals["abandoned"] += n_abandoned
    return {
        "launched": launched,
        "adopted": n_adopted,
        "abandoned": n_abandoned,
        "active": np.bincount(active % teams, minlength=teams),
        "queued": queued.sum(axis=0) if any_queued else np.zeros(teams, dtype=np.int64),
    }


def _apply_benefit(ini, slot, teams, levers, skill, talent, manager_of, filled) -> None:
    """An adopted initiative pays off for the sellers of the adopting teams."""
    if ini.kind_friction[slot]:
        cap = MAX_ADMIN_RELIEF * levers.admin_hours
        ini.admin_relief[teams] = np.minimum(ini.admin_relief[teams] + ADMIN_CUT, cap)
        return
    sellers = np.flatnonzero(teams[manager_of] & filled)
    c = ini.component[slot]
    for arr in (talent, skill):
        arr[c, sellers] += SKILL_GAIN * (1.0 - arr[c, sellers])
