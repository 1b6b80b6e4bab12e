"""Step 4 of the week: initiatives are launched, queued, worked, adopted or abandoned.

Support functions launch initiatives at `initiative_rate` a quarter, each to a share of
the teams (`initiative_reach`). A team (a manager and its sellers) works at most
`initiative_cap` at once; the rest queue, and a queued one that waits longer than
`initiative_weeks` is dropped without having cost anything. Active initiatives cost
every seller in the team `initiative_hours` a week (and the switching between them costs
focus time, once, in the time budget) and need the manager's follow-up. Each week an
active initiative is adopted with a chance that grows with the hours its sellers put in
(`adopt_rate` per hour) and with the manager's follow-up; without follow-up its pull fades
as it ages (`fade_weeks`: "start then forget"). An adopted initiative lifts learned skill
in one component (which then decays back toward innate talent like any learned skill) or
cuts admin hours (a tool that works); innate talent changes only through who is hired.
One still unadopted after `initiative_weeks` is abandoned: the hours were wasted.

State is held per slot and team (a small matrix, one row per initiative), since a team
adopts together. The week is one compiled function (`initiatives_week`): the launches are
drawn, then a loop over the rows of the initiatives alive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numba import njit

from sim.model.draws import (
    ADOPTION,
    LAUNCH_COMPONENT,
    LAUNCH_COUNT,
    LAUNCH_KIND,
    LAUNCH_REACH,
    poisson,
    uniform,
)
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import HoldsArrays
from sim.scenario.levers import SKILL_COMPONENTS, Levers

NONE, QUEUED, ACTIVE, ADOPTED, ABANDONED, DROPPED = range(6)
SLOTS = 16  # initiative slots at start; doubled whenever more are alive at once
FRICTION_SHARE = 0.4  # share of initiatives that are tools cutting admin hours
SKILL_GAIN = 0.1  # an adopted method closes this share of the gap to full (learned) skill
ADMIN_CUT = 0.5  # admin hours a week an adopted tool removes
MAX_ADMIN_RELIEF = 0.5  # tools remove at most this share of admin hours
FOLLOW_UP_HOURS = 1.0  # manager hours a week per active initiative, at full follow-up
COMPONENTS = len(SKILL_COMPONENTS)  # an adopted method improves one of these
COUNTS = ("launched", "adopted", "abandoned", "dropped")  # the running totals kept


class InitiativeArrays(NamedTuple):
    """The arrays of `Initiatives`, as the compiled week takes (and may grow) them."""

    status: np.ndarray
    age: np.ndarray
    launched: np.ndarray
    kind_friction: np.ndarray
    component: np.ndarray
    admin_relief: np.ndarray
    counts: np.ndarray


@dataclass
class Initiatives(HoldsArrays):
    """Initiative slots and every team's status in each.

    A free slot (`launched` -1) has its row all NONE: the kernel skips it.
    """

    ARRAYS = InitiativeArrays

    status: np.ndarray  # (slots, teams) int8
    age: np.ndarray  # (slots, teams) weeks in the current status
    launched: np.ndarray = field(default_factory=lambda: np.full(SLOTS, -1))
    kind_friction: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS, dtype=bool))
    component: np.ndarray = field(default_factory=lambda: np.zeros(SLOTS, dtype=np.int64))
    admin_relief: np.ndarray | None = None  # (teams,) admin hours a week removed by tools
    counts: np.ndarray = field(default_factory=lambda: np.zeros(len(COUNTS), dtype=np.int64))

    @classmethod
    def create(cls, teams: int) -> Initiatives:
        """No initiatives yet."""
        return cls(
            status=np.zeros((SLOTS, teams), dtype=np.int8),
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
    def totals(self) -> dict[str, int]:
        """Initiatives launched, adopted, abandoned and dropped so far."""
        return dict(zip(COUNTS, self.counts.tolist(), strict=True))

    @property
    def arrays(self) -> InitiativeArrays:
        """The state arrays (the same arrays: the compiled week changes them in place)."""
        return self._held_arrays()

    @arrays.setter
    def arrays(self, arrays: InitiativeArrays) -> None:
        """Take the arrays back from the compiled week (new ones where it grew the slots)."""
        held = self._held_arrays()
        for name, values, old in zip(InitiativeArrays._fields, arrays, held, strict=True):
            if values is not old:
                setattr(self, name, values)

    @property
    def slots(self) -> int:
        """Initiative slots allocated (grows when more are alive at once)."""
        return self.launched.size

    def remap_teams(self, source: np.ndarray) -> None:
        """Follow a reorganization: new team `t` carries on from old team `source[t]`."""
        self.status = self.status.take(source, axis=1)
        self.age = self.age.take(source, axis=1)
        self.admin_relief = self.admin_relief[source].copy()


def _grow(ini):
    """`ini` with twice the slots; the new ones free."""
    slots, teams = ini.status.shape
    status = np.zeros((2 * slots, teams), dtype=ini.status.dtype)
    age = np.zeros((2 * slots, teams), dtype=ini.age.dtype)
    status[:slots] = ini.status
    age[:slots] = ini.age
    launched = np.full(2 * slots, -1, dtype=ini.launched.dtype)
    kind_friction = np.zeros(2 * slots, dtype=np.bool_)
    component = np.zeros(2 * slots, dtype=ini.component.dtype)
    launched[:slots] = ini.launched
    kind_friction[:slots] = ini.kind_friction
    component[:slots] = ini.component
    return InitiativeArrays(
        status, age, launched, kind_friction, component, ini.admin_relief, ini.counts
    )


def team_follow_up(active, follow_up):
    """Manager hours a week spent following up each team's `active` initiatives."""
    return FOLLOW_UP_HOURS * follow_up * active


def step_initiatives(
    ini: Initiatives,
    *,
    levers: Levers,
    key: np.ndarray,
    week: int,
    skill: np.ndarray,
    manager_of: np.ndarray,
    filled: np.ndarray,
) -> dict[str, np.ndarray | int]:
    """Advance every team's initiatives one week; apply what is adopted.

    Returns:
        this week's counts of launched, adopted and abandoned initiatives, and per team
        the initiatives active and queued for next week.

    """
    before = ini.counts.copy()
    ini.arrays, active, queued = initiatives_week(
        ini.arrays, WeekLevers.of(levers), key, week, skill, manager_of, filled
    )
    launched, adopted, abandoned, _ = (ini.counts - before).tolist()
    return {
        "launched": launched,
        "adopted": adopted,
        "abandoned": abandoned,
        "active": active,
        "queued": queued,
    }


def initiatives_week(ini, lev, key, week, skill, manager_of, filled):
    """One week of every team's initiatives: launches drawn, queues worked, adoptions drawn.

    Args:
        ini: the `InitiativeArrays` (changed in place; returned anew if the slots grew).
        lev: the `WeekLevers`.
        key: the run's key; draws are keyed to the week, the team and the slot.
        week: the week (launches are ordered by it).
        skill: the sellers' skill components (an adopted method raises them).
        manager_of: each seat's team.
        filled: whether each seat holds a seller.

    Returns:
        (ini, active, queued): the arrays, and per team the initiatives active and queued
        for next week; this week's counts are added to `ini.counts`.

    """
    friction, components, reached = _draw_launches(
        key, week, lev.initiative_rate, lev.initiative_reach, ini.status.shape[1]
    )
    while friction.size > 0 and (ini.launched < 0).sum() < friction.size:
        ini = _grow(ini)  # more initiatives alive at once than ever before
    active, queued, adopted, abandoned, dropped = _week(
        ini, lev, (key, week), (friction, components, reached), skill, manager_of, filled
    )
    ini.counts[0] += friction.size
    ini.counts[1] += adopted
    ini.counts[2] += abandoned
    ini.counts[3] += dropped
    return ini, active, queued


def _draw_launches(key, week, rate, reach, teams):
    """The week's launches: which are tools, the skill component of each, teams reached."""
    count = poisson(key, LAUNCH_COUNT, week, 0, 0, rate / 13.0)
    friction = np.empty(count, dtype=np.bool_)
    components = np.empty(count, dtype=np.int64)
    reached = np.empty((count, teams), dtype=np.bool_)
    for i in range(count):
        friction[i] = uniform(key, LAUNCH_KIND, week, 0, i) < FRICTION_SHARE
        components[i] = min(int(uniform(key, LAUNCH_COMPONENT, week, 0, i) * COMPONENTS), 3)
        for t in range(teams):
            reached[i, t] = uniform(key, LAUNCH_REACH, week, t, i) < reach
    return friction, components, reached


def adoption_chance(lev, age):
    """The chance, this week, that an active initiative `age` weeks old is adopted.

    The hazard is `adopt_rate` per hour its sellers put in a week, at full pull; the
    pull is the manager's follow-up, plus, for the rest, a start that fades with age
    (`exp(-age / fade_weeks)`): an initiative nobody follows up is adopted, if at all,
    in its first weeks.
    """
    fading = np.exp(-age / lev.fade_weeks) if lev.fade_weeks > 0 else 0.0
    pull = lev.follow_up + (1.0 - lev.follow_up) * fading
    return -np.expm1(-lev.adopt_rate * lev.initiative_hours * pull)


def _week(ini, lev, draw, launches, skill, manager_of, filled):
    """One week of every team's initiatives, in place on the `InitiativeArrays` `ini`.

    Launch (`launches`: the week's friction, components and teams reached, one entry per
    launch, free slots enough), work the queues, then adopt (applying the benefit) or
    abandon every active initiative. A slot no team works on or queues any longer is freed.

    Returns:
        (active, queued) per team for next week, and this week's adopted, abandoned and
        dropped (counted when their slot is freed).

    """
    status, age, launched, kind_friction, component, admin_relief, _ = ini
    key, week = draw
    slots, teams = status.shape
    _launch(ini, week, *launches)
    _queue(status, age, launched, lev.initiative_cap, lev.initiative_weeks)
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
                chance = adoption_chance(lev, float(age[s, t]))
                if uniform(key, ADOPTION, week, t, s) < chance:
                    status[s, t] = ADOPTED
                    adopting[t] = True
                    adopted += 1
                elif age[s, t] >= lev.initiative_weeks:
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
                relief_cap = MAX_ADMIN_RELIEF * lev.admin_hours
                for t in range(teams):
                    if adopting[t]:
                        admin_relief[t] = min(admin_relief[t] + ADMIN_CUT, relief_cap)
            else:  # a method: the team's sellers learn, closing part of the gap to full skill
                c = component[s]
                for seat in range(filled.size):
                    if filled[seat] and adopting[manager_of[seat]]:
                        skill[c, seat] += SKILL_GAIN * (1.0 - skill[c, seat])
            adopting[:] = False
        if not live:  # every team is done with it: free the slot
            for t in range(teams):
                dropped += status[s, t] == DROPPED
                status[s, t] = NONE
            launched[s] = -1
    return active, queued, adopted, abandoned, dropped


def _launch(ini, week, friction, components, reached):
    """Put this week's launches in the lowest free slots, queued for the teams reached."""
    status, age, launched, kind_friction, component, _, _ = ini
    slot = 0
    for i in range(friction.size):
        while launched[slot] >= 0:
            slot += 1
        launched[slot] = week
        kind_friction[slot] = friction[i]
        component[slot] = components[i]
        for t in range(status.shape[1]):
            status[slot, t] = QUEUED if reached[i, t] else NONE
            age[slot, t] = 0


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


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
_grow = njit(cache=True)(_grow)
team_follow_up = njit(cache=True)(team_follow_up)
initiatives_week = njit(cache=True)(initiatives_week)
_draw_launches = njit(cache=True)(_draw_launches)
adoption_chance = njit(cache=True)(adoption_chance)
_week = njit(cache=True)(_week)
_launch = njit(cache=True)(_launch)
_queue = njit(cache=True)(_queue)
_launch_order = njit(cache=True)(_launch_order)
