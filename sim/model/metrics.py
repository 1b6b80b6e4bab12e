"""Weekly numbers: every model reporter is a reduction over the model's arrays.

`week_metrics` computes all of them at the end of the compiled week (`sim.model.week.run_week`)
as one float array. The model keeps them as a list of Python numbers (`metric_values`, in
the order of `METRIC_NAMES`) and, when asked, a dict (`metrics`), which the DataCollector's
reporters read (`sim.model.collector`). Means over people are over filled seats only.
"""

from __future__ import annotations

from typing import NamedTuple, get_type_hints

import numpy as np
from numba import njit

from sim.model.state import HOUR, HOUR_CATEGORIES, SELLING, TRAILING_WEEKS

HOUR_METRICS = (*(f"hours_{c}" for c in HOUR_CATEGORIES), "hours_overtime")
_COACHING = HOUR["coaching"]


class WeekMetrics(NamedTuple):
    """The week's model reporters other than the hours (`HOUR_METRICS`), in order."""

    selling_time_share: float
    quota_attainment_share: float
    mean_attainment: float
    voluntary_attrition_rate: float
    involuntary_attrition_rate: float
    regretted_attrition_share: float
    fired: int
    headcount: int
    vacancies: int
    bookings: float
    bookings_per_seat: float
    quota: float
    win_rate: float
    accounts_in_market: float
    mean_exit_risk: float
    cost: float
    margin: float
    contribution: float
    mean_skill: float
    mean_morale: float
    initiatives_per_seller: float
    initiatives_queued_per_seller: float
    specialist_wait_weeks: float
    presales_utilization: float
    coaching_hours_per_seller: float
    open_deals_per_seller: float
    new_opportunities: float
    deals_won: float
    deals_lost: float
    initiatives_adopted: int
    initiatives_abandoned: int


METRIC_NAMES = (*WeekMetrics._fields, *HOUR_METRICS)
#: each reporter's position in the week's numbers (`week_metrics` returns them in this order)
METRIC_INDEX = {name: i for i, name in enumerate(METRIC_NAMES)}
#: positions of the counts (ints; the compiled week gives every number as a float)
_COUNTS = tuple(i for i, kind in enumerate(get_type_hints(WeekMetrics).values()) if kind is int)
#: The outcomes experiments compare and sweeps record (final-year means of these reporters).
OUTCOMES = (
    "bookings",
    "bookings_per_seat",
    "cost",
    "margin",
    "contribution",
    "quota_attainment_share",
    "mean_attainment",
    "quota",
    "selling_time_share",
    "mean_skill",
    "mean_morale",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "headcount",
    "specialist_wait_weeks",
    "initiatives_per_seller",
    "coaching_hours_per_seller",
)


def _seat_means(filled, hours, overtime, skill, morale, open_deals, risk):
    """Headcount; means over filled seats of hours, overtime, skill, morale, deals, risk."""
    headcount = 0
    for i in range(filled.size):
        headcount += filled[i]
    weight = 1.0 / max(headcount, 1)
    per_category = np.zeros(hours.shape[0] + 1)  # the categories, then overtime
    means = np.zeros(4)  # skill, morale, open deals, exit risk
    for i in range(filled.size):
        if filled[i]:
            for c in range(hours.shape[0]):
                per_category[c] += hours[c, i] * weight
            per_category[-1] += overtime[i] * weight
            means[0] += skill[i] * weight
            means[1] += morale[i] * weight
            means[2] += open_deals[i] * weight
            means[3] += risk[i] * weight
    return headcount, per_category, means


def _trailing(leavers, headcount_history, window):
    """Leavers of each kind over the trailing weeks, and the mean headcount over `window`."""
    exits = np.zeros(leavers.shape[1])
    for week in range(leavers.shape[0]):
        for kind in range(leavers.shape[1]):
            exits[kind] += leavers[week, kind]
    heads = 0.0
    for week in range(window):
        heads += headcount_history[week]
    return exits, heads / window


def _ramped_attainment(filled, tenure, ramp_weeks, attainment, quota):
    """Ramped sellers: how many, how many at quota, their summed attainment and quota."""
    ramped, at_quota, total, quotas = 0, 0, 0.0, 0.0
    for i in range(filled.size):
        if filled[i] and tenure[i] >= ramp_weeks:
            ramped += 1
            at_quota += attainment[i] >= 1.0
            total += attainment[i]
            quotas += quota[i]
    return ramped, at_quota, total, quotas


def _share(part, whole):
    """The share part / whole, or 0 when the whole is 0."""
    return part / whole if whole > 0 else 0.0


def _per_seller(team_values, manager_of, filled, headcount):
    """A per-team count averaged over the filled seats (each seller sees their team's)."""
    total = 0.0
    for i in range(filled.size):
        if filled[i]:
            total += team_values[manager_of[i]]
    return total / max(headcount, 1)


def week_metrics(sellers, skill, attainment, open_deals, teams, record, flows, window, lev):
    """Every model reporter of the week just finished.

    Args:
        sellers: the `SellerArrays`.
        skill: every seat's effective skill.
        attainment: every seat's trailing attainment.
        open_deals: every seat's open deals.
        teams: (manager_of, active, queued, initiative counts): each seat's team, the
            initiatives each team works and queues, and the running totals launched,
            adopted, abandoned, dropped.
        record: (leavers, headcount_history): the trailing weeks' leavers of each kind
            (voluntary, involuntary, regretted) and headcounts.
        flows: (fired, wait_weeks, presales_utilization, new, wins, lost, leaver_deals_lost,
            decided, hired, let_go): this week's (zeros and empty arrays before any week).
        window: weeks of record in the trailing window (at least 1).
        lev: the `WeekLevers` (ramp weeks; the money levers).

    Returns:
        every reporter of `METRIC_NAMES`, in order, as floats: the `WeekMetrics`, then the
        mean hours of each category of `HOUR_CATEGORIES` and overtime (`HOUR_METRICS`).

    """
    filled = sellers.filled
    manager_of, active, queued, counts = teams
    leavers, headcount_history = record
    fired, wait_weeks, utilization, new, wins, lost, leaver_deals_lost, decided, hired, let_go = (
        flows
    )
    headcount, hours, means = _seat_means(
        filled, sellers.hours, sellers.overtime, skill, sellers.morale, open_deals, sellers.risk
    )
    ramped, at_quota, attained, quota = _ramped_attainment(
        filled, sellers.tenure, lev.ramp_weeks, attainment, sellers.quota
    )
    bookings = sellers.bookings_week.sum()
    # the week's money (k$): pay, commission, the staff around the sellers, hiring, exits
    cost = (
        headcount * lev.seller_week_cost
        + bookings * lev.commission_rate
        + lev.support_week_cost
        + hired * lev.recruiting_cost
        + let_go * lev.severance_cost
    )
    margin = bookings * lev.gross_margin
    worked = hours[:-1].sum()
    exits, mean_heads = _trailing(leavers, headcount_history, window)
    rates = exits * (TRAILING_WEEKS / window) / max(mean_heads, 1.0)
    metrics = WeekMetrics(  # (no inline conditionals here: numba's call limit)
        _share(hours[SELLING], worked),
        _share(at_quota, ramped),
        _share(attained, ramped),
        rates[0],
        rates[1],
        _share(exits[2], exits[0]),
        float(fired),
        float(headcount),
        float(filled.size - headcount),
        bookings,
        bookings / max(filled.size, 1),
        _share(quota, ramped),
        _share(wins.sum(), decided),
        sellers.market_in.sum() / max(filled.size, 1),
        means[3],
        cost,
        margin,
        margin - cost,
        means[0],
        means[1],
        _per_seller(active, manager_of, filled, headcount),
        _per_seller(queued, manager_of, filled, headcount),
        wait_weeks,
        utilization,
        hours[_COACHING],
        means[2],
        new.sum(),
        float(wins.sum()),
        lost.sum() + leaver_deals_lost,
        float(counts[1]),
        float(counts[2]),
    )
    numbers = np.empty(len(metrics) + hours.size)  # (one float array: cheap to hand back)
    for i in range(len(metrics)):
        numbers[i] = metrics[i]
    numbers[len(metrics) :] = hours
    return numbers


def as_values(numbers: np.ndarray) -> list[float | int]:
    """`week_metrics`'s numbers as Python numbers, the counts as ints."""
    values = numbers.tolist()
    for i in _COUNTS:
        values[i] = int(values[i])
    return values


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
_seat_means = njit(cache=True)(_seat_means)
_trailing = njit(cache=True)(_trailing)
_ramped_attainment = njit(cache=True)(_ramped_attainment)
_share = njit(cache=True, inline="always")(_share)
_per_seller = njit(cache=True)(_per_seller)
week_metrics = njit(cache=True)(week_metrics)
