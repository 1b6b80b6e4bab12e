"""Step 1 of the week: where a seller's hours go, and what is left for selling."""

from __future__ import annotations

import numpy as np

from sim.levers import Levers
from sim.state import HOUR, HOUR_CATEGORIES

MAX_SWITCHING_LOSS = 0.75  # Weinberg's table tops out near 75% lost with five projects


def switching_loss(concurrent: np.ndarray, switching_cost: float) -> np.ndarray:
    """Share of focus time lost to context switching with `concurrent` initiatives.

    Weinberg's rule of thumb: each project beyond the first costs about 20% more.
    """
    extra = np.maximum(concurrent - 1.0, 0.0)
    return np.minimum(switching_cost * extra, MAX_SWITCHING_LOSS)


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
    work = levers.work_hours
    focus = max(work - levers.admin_hours - levers.meeting_hours, 0.0)
    hours = np.empty((len(HOUR_CATEGORIES), filled.size))
    hours[HOUR["admin"]] = np.maximum(levers.admin_hours - admin_relief, 0.0)
    hours[HOUR["meetings"]] = levers.meeting_hours
    hours[HOUR["initiatives"]] = initiatives * levers.initiative_hours
    hours[HOUR["switching"]] = switching_loss(initiatives, levers.switching_cost) * focus
    hours[HOUR["handoffs"]] = handoffs * levers.handoff_hours
    hours[HOUR["chasing"]] = waiting * levers.chase_hours
    hours[HOUR["asks"]] = asks
    hours[HOUR["coaching"]] = coaching
    selling = HOUR["selling"]
    left = work - hours[:selling].sum(axis=0)
    hours[selling] = np.maximum(left, min(levers.selling_floor, work))
    overtime = hours[selling] - left  # zero unless the floor was defended
    vacant = ~filled
    if vacant.any():
        hours[:, vacant] = 0.0
        overtime[vacant] = 0.0
    return hours, overtime
