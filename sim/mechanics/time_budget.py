"""Step 1 of the week: where a seller's hours go, and what is left for selling.

The week of every seat is worked out in one compiled pass (`_allocate`): the demands on the
seller's time in the order of `HOUR_CATEGORIES`, then selling as what is left.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.levers import Levers
from sim.state import HOUR_CATEGORIES

MAX_SWITCHING_LOSS = 0.75  # Weinberg's table tops out near 75% lost with five projects


@njit(cache=True)
def switching_loss(concurrent, switching_cost: float):
    """Share of focus time lost to context switching with `concurrent` initiatives.

    Weinberg's rule of thumb: each project beyond the first costs about 20% more. Works
    on a number or an array (compiled, so that the kernels of the week can call it too).
    """
    extra = np.maximum(concurrent - 1.0, 0.0)
    return np.minimum(switching_cost * extra, MAX_SWITCHING_LOSS)


#: The demands on a seller's week, in the order `_allocate` writes them; selling comes last.
#: Kept here (not read from `sim.state` inside the kernel) because numba's cache follows
#: this file only; the check below keeps the two in step.
DEMANDS = (
    "admin",
    "meetings",
    "initiatives",
    "switching",
    "handoffs",
    "chasing",
    "asks",
    "coaching",
)
_SELLING = len(DEMANDS)
if (*DEMANDS, "selling") != HOUR_CATEGORIES:
    raise ImportError(
        f"time_budget.DEMANDS must follow sim.state.HOUR_CATEGORIES: {HOUR_CATEGORIES}"
    )


@njit(cache=True)
def _allocate(
    filled, initiatives, coaching, handoffs, waiting, asks, admin_relief, rates, work, floor
):
    """Hours per category and overtime of every seat.

    `rates` holds the levers in order: admin, meeting, initiative, switching cost, handoff
    and chase hours.
    """
    admin, meetings, per_initiative, switching_cost, per_handoff, per_chase = rates
    focus = max(work - admin - meetings, 0.0)
    n = filled.size
    hours = np.zeros((_SELLING + 1, n))
    overtime = np.zeros(n)
    for i in range(n):
        if not filled[i]:
            continue  # a vacant seat works no hours
        demands = (
            max(admin - admin_relief[i], 0.0),
            meetings,
            initiatives[i] * per_initiative,
            switching_loss(initiatives[i], switching_cost) * focus,
            handoffs[i] * per_handoff,
            waiting[i] * per_chase,
            asks[i],
            coaching[i],
        )
        taken = 0.0
        for c in range(_SELLING):
            hours[c, i] = demands[c]
            taken += demands[c]
        left = work - taken
        hours[_SELLING, i] = max(left, floor)
        overtime[i] = hours[_SELLING, i] - left  # zero unless the floor was defended
    return hours, overtime


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
    rates = (
        float(levers.admin_hours),
        float(levers.meeting_hours),
        float(levers.initiative_hours),
        float(levers.switching_cost),
        float(levers.handoff_hours),
        float(levers.chase_hours),
    )
    per_seat = (initiatives, coaching, handoffs, waiting, asks, admin_relief)
    return _allocate(
        np.asarray(filled, dtype=np.bool_),
        *(np.asarray(values, dtype=np.float64) for values in per_seat),
        rates,
        float(levers.work_hours),
        float(min(levers.selling_floor, levers.work_hours)),
    )
