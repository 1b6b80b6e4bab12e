"""Step 1 of the week: where a seller's hours go, and what is left for selling.

The week of every seat is worked out in one compiled pass (`allocate`): the demands on the
seller's time in the order of `HOUR_CATEGORIES`, then selling as what is left.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model.draws import ASKS, poisson
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import HOUR_CATEGORIES, SELLING
from sim.scenario.levers import Levers

ASK_CHUNK = 1.0  # hours: asks land on a team in pieces of an hour


def switching_loss(concurrent, switching_cost: float):
    """Share of focus time lost to switching between `concurrent` initiatives.

    `switching_cost x (1 - 1/n)`: none with one, half the cost with two, approaching the
    cost with many. Tregubov et al. (ICSSP 2017) measured 17% of effort lost once people
    work on two or more projects, and found the loss only weakly related to how many more:
    the default cost 0.34 gives 17% at two, 23% at three, 26% at four. Works on a number or
    an array (compiled, so that the kernels of the week can call it too).
    """
    n = np.maximum(concurrent, 1.0)
    return switching_cost * (1.0 - 1.0 / n)


def draw_asks(key, week, ask_hours, team_ask_weight, manager_of):
    """Hours asked of each seat this week: a survey, a campaign, a review land on a whole team.

    Each team gets a Poisson number of one-hour asks (`ASK_CHUNK`), keyed to the team.
    """
    team_asks = np.empty(team_ask_weight.size)
    for t in range(team_ask_weight.size):
        mean = ask_hours * team_ask_weight[t] / ASK_CHUNK
        team_asks[t] = poisson(key, ASKS, week, t, 0, mean) * ASK_CHUNK
    asks = np.empty(manager_of.size)
    for i in range(manager_of.size):
        asks[i] = team_asks[manager_of[i]]
    return asks


def allocate(filled, initiatives, coaching, handoffs, waiting, asks, admin_relief, lev, out):
    """Hours per category and overtime of every seat, written into `out` (hours, overtime).

    `lev` is the `WeekLevers`; see `weekly_hours` for the rest.
    """
    hours, overtime = out
    focus = max(lev.work_hours - lev.admin_hours - lev.meeting_hours, 0.0)
    for i in range(filled.size):
        if not filled[i]:  # a vacant seat works no hours
            hours[:, i] = 0.0
            overtime[i] = 0.0
            continue
        demands = (  # in the order of HOUR_CATEGORIES; selling, last, is what is left
            max(lev.admin_hours - admin_relief[i], 0.0),
            lev.meeting_hours,
            initiatives[i] * lev.initiative_hours,
            switching_loss(initiatives[i], lev.switching_cost) * focus,
            handoffs[i] * lev.handoff_hours,
            waiting[i] * lev.chase_hours,
            asks[i],
            coaching[i],
        )
        taken = 0.0
        for c in range(SELLING):
            hours[c, i] = demands[c]
            taken += demands[c]
        left = lev.work_hours - taken
        hours[SELLING, i] = max(left, lev.selling_floor)
        overtime[i] = hours[SELLING, i] - left  # zero unless the floor was defended


def weekly_hours(
    levers: Levers,
    *,
    filled: np.ndarray,
    initiatives: np.ndarray,
    coaching: np.ndarray,
    handoffs: np.ndarray,
    waiting: np.ndarray,
    asks: np.ndarray,
    admin_relief: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Hours per category for every seat this week, and overtime.

    Args:
        levers: the organization's levers.
        filled: which seats hold a seller (vacant seats get zero hours).
        initiatives: active initiatives per seller.
        coaching: coaching hours each seller receives.
        handoffs: deals each seller hands to a specialist or desk this week.
        waiting: deals each seller has waiting in someone else's queue.
        asks: hours asked of each seller by support functions this week.
        admin_relief: admin hours a week that adopted tools have removed.

    Returns:
        (hours, overtime): `hours` has one row per category of `HOUR_CATEGORIES` (index
        with `HOUR[name]`) and one column per seat; selling is what is left, never below
        `selling_floor`; demands beyond that are overtime, so the categories add up to
        `work_hours + overtime`.

    """
    per_seat = (initiatives, coaching, handoffs, waiting, asks, admin_relief)
    n = len(filled)
    hours, overtime = np.empty((len(HOUR_CATEGORIES), n)), np.empty(n)
    allocate(
        np.asarray(filled, dtype=np.bool_),
        *(np.asarray(values, dtype=np.float64) for values in per_seat),
        WeekLevers.of(levers),
        (hours, overtime),
    )
    return hours, overtime


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
switching_loss = njit(cache=True)(switching_loss)
draw_asks = njit(cache=True)(draw_asks)
allocate = njit(cache=True)(allocate)
