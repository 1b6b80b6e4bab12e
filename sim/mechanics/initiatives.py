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
adopts together. The week's launches are drawn with numpy; the rest of the week is one
compiled kernel over the rows of the initiatives alive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numba import njit

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
COMPONENTS = len(SKILL_COMPONENTS)  # an adopted method improves one of these


@dataclass
class Initiatives:
    """Initiative slots and every team's status in each.

    A free slot (`launched` -1) has its row all NONE: the kernel skips it.
    """

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
    friction, components, reached = _draw_launches(rng, levers, ini.status.shape[1])
    launched = friction.size
    while launched and np.count_nonzero(ini.launched < 0) < launched:
        ini.grow()  # more initiatives alive at once than ever before
    active, queued, adopted, abandoned, dropped = _week(
        *ini.matrices,
        ini.launched,
        ini.kind_friction,
        ini.component,
        ini.admin_relief,
        friction,
        components,
        reached,
        week,
        levers.initiative_cap,
        levers.initiative_weeks,
        levers.follow_up,
        _switching_losses(levers.switching_cost, ini.slots),
        levers.admin_hours,
        skill,
        talent,
        manager_of,
        filled,
    )
    ini.totals["launched"] += launched
    ini.totals["adopted"] += adopted
    ini.totals["abandoned"] += abandoned
    ini.totals["dropped"] += dropped
    return {
        "launched": launched,
        "adopted": adopted,
        "abandoned": abandoned,
        "active": active,
        "queued": queued,
    }


def _draw_launches(
    rng: np.random.Generator, levers: Levers, teams: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw the week's launches: which are tools, the skill component of each, teams reached.

    Drawn with numpy rather than in the kernel: handing the Generator to a compiled
    function (numba unboxes it through ctypes: ~7 us warm, 20-30 us within a model week)
    costs more than these few draws (~0.4 us, and ~2.5 us a launch).
    """
    count = rng.poisson(levers.initiative_rate / 13.0)
    friction = np.empty(count, dtype=bool)
    components = np.empty(count, dtype=np.int64)
    reached = np.empty((count, teams), dtype=bool)
    for i in range(count):
        friction[i] = rng.random() < FRICTION_SHARE
        components[i] = rng.integers(COMPONENTS)
        reached[i] = rng.random(teams) < levers.initiative_reach
    return friction, components, reached


@lru_cache(maxsize=64)
def _switching_losses(switching_cost: float, slots: int) -> np.ndarray:
    """`switching_loss` of a team with 0, 1, ... `slots` initiatives active (read-only)."""
    losses = switching_loss(np.arange(slots + 1), switching_cost)
    losses.setflags(write=False)
    return losses


@njit(cache=True)
def _week(
    status,
    progress,
    age,
    launched,
    kind_friction,
    component,
    admin_relief,
    friction,
    components,
    reached,
    week,
    cap,
    weeks,
    follow_up,
    losses,
    admin_hours,
    skill,
    talent,
    manager_of,
    filled,
):
    """One week of every team's initiatives, in place (the state arrays of `Initiatives`).

    Launch (`friction`, `components`, `reached`: one entry per launch, free slots enough),
    work the queues, then progress, adopt (applying the benefit) or abandon every active
    initiative; `losses[n]` is the share of focus a team with `n` active loses to switching.
    A slot no team works on or queues any longer is freed.

    Returns:
        (active, queued) per team for next week, and this week's adopted, abandoned and
        dropped (counted when their slot is freed).

    """
    slots, teams = status.shape
    _launch(
        status,
        progress,
        age,
        launched,
        kind_friction,
        component,
        week,
        friction,
        components,
        reached,
    )
    n_active = _queue(status, age, launched, cap, weeks)
    gain = ADOPT_RATE * (0.3 + 0.7 * follow_up)
    push = np.zeros(teams)  # weekly progress of each of a team's active initiatives
    for t in range(teams):
        n = n_active[t]
        if n > 0:
            push[t] = gain * ((1.0 - losses[n]) / n)

    forget = FORGET * (1.0 - follow_up)
    active = np.zeros(teams, dtype=np.int64)
    queued = np.zeros(teams, dtype=np.int64)
    adopting = np.zeros(teams, dtype=np.bool_)
    adopted = abandoned = dropped = 0
    for s in range(slots):
        if launched[s] < 0:  # a free slot: its row is all NONE
            continue
        live = False  # a team still works on or queues the initiative
        adopted_before = adopted
        for t in range(teams):
            if status[s, t] == ACTIVE:
                progress[s, t] += push[t] - forget * progress[s, t]
                if progress[s, t] >= 1.0:
                    status[s, t] = ADOPTED
                    adopting[t] = True
                    adopted += 1
                elif age[s, t] >= weeks:
                    status[s, t] = ABANDONED
                    abandoned += 1
                else:
                    age[s, t] += 1
                    active[t] += 1
                    live = True
            elif status[s, t] == QUEUED:
                age[s, t] += 1
                queued[t] += 1
                live = True
        if adopted > adopted_before:
            if kind_friction[s]:  # a tool: fewer admin hours, up to a share of them
                relief_cap = MAX_ADMIN_RELIEF * admin_hours
                for t in range(teams):
                    if adopting[t]:
                        admin_relief[t] = min(admin_relief[t] + ADMIN_CUT, relief_cap)
            else:  # a method: the team's sellers close part of the gap to full skill
                c = component[s]
                for seat in range(filled.size):
                    if filled[seat] and adopting[manager_of[seat]]:
                        talent[c, seat] += SKILL_GAIN * (1.0 - talent[c, seat])
                        skill[c, seat] += SKILL_GAIN * (1.0 - skill[c, seat])
            adopting[:] = False
        if not live:  # every team is done with it: free the slot
            for t in range(teams):
                dropped += status[s, t] == DROPPED
                status[s, t] = NONE
            launched[s] = -1
    return active, queued, adopted, abandoned, dropped


@njit(cache=True)
def _launch(
    status, progress, age, launched, kind_friction, component, week, friction, components, reached
):
    """Put this week's launches in the lowest free slots, queued for the teams reached."""
    slot = 0
    for i in range(friction.size):
        while launched[slot] >= 0:
            slot += 1
        launched[slot] = week
        kind_friction[slot] = friction[i]
        component[slot] = components[i]
        for t in range(status.shape[1]):
            status[slot, t] = QUEUED if reached[i, t] else NONE
            progress[slot, t] = 0.0
            age[slot, t] = 0


@njit(cache=True)
def _queue(status, age, launched, cap, weeks):
    """Work every team's queue, oldest launched first; return each team's active count.

    A team over its (lowered) cap puts its newest active initiatives back in the queue; a
    queued one that waited `weeks` is dropped; the oldest queued start while under the cap.
    """
    order = _launch_order(launched)
    teams = status.shape[1]
    active = np.zeros(teams, dtype=np.int64)
    any_queued = False
    for s in order:
        for t in range(teams):
            if status[s, t] == ACTIVE:
                if active[t] < cap:
                    active[t] += 1
                else:
                    status[s, t] = QUEUED
                    age[s, t] = 0
            any_queued |= status[s, t] == QUEUED
    if any_queued:
        for s in order:
            for t in range(teams):
                if status[s, t] == QUEUED:
                    if age[s, t] >= weeks:
                        status[s, t] = DROPPED
                    elif active[t] < cap:
                        status[s, t] = ACTIVE
                        age[s, t] = 0
                        active[t] += 1
    return active


@njit(cache=True)
def _launch_order(launched):
    """Slots in use, oldest launched first (ties: lowest slot first)."""
    order = np.empty(launched.size, dtype=np.int64)
    n = 0
    for slot in range(launched.size):
        if launched[slot] >= 0:  # insertion sort: stable, and there are few slots
            j = n
            while j > 0 and launched[order[j - 1]] > launched[slot]:
                order[j] = order[j - 1]
                j -= 1
            order[j] = slot
            n += 1
    return order[:n]
