"""Step 5 of the week, its end: morale, pay, quitting, managing out, firing and leaving.

Morale moves toward a target set only by what the seller lives through in the model, each
term a lever with a zero that switches it off:

- pay (base plus commission on attainment against the quota in force) against the best
  outside offer, which pays more to the more skilled (`morale_pay`);
- the share of the week spent selling (`morale_selling`) and overtime (`morale_overtime`);
- coaching actually received, hours times quality (`morale_coaching`), and the skill it
  added over about the last quarter (`morale_progress`);
- the seller's own chance of being let go within a year (`morale_risk`): from their rank by
  trailing attainment and the firing policy as they know it (the share let go and the next
  review), and from being in performance management.

Voluntary quitting is a weekly hazard that rises as morale falls (`morale_sensitivity`),
on top of life events. Involuntary exits come from ordinary performance management
(ramped sellers far below their peers' median attainment are managed out at a weekly
rate) and from the firing policy (the bottom share by trailing attainment, every N
weeks). A vacated seat stays empty for `hiring_weeks` (`sim.model.mechanics.hiring` fills
it); the leaver's open deals are partly lost, their accounts out of the market for a cycle.

The per-seller work is one compiled function (`people_week`), plain loops over the seats;
the public functions unpack the levers and call the compiled ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from sim.model.draws import MANAGE_OUT, QUIT, uniform
from sim.model.mechanics.pipeline import seat_deals
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import SELLING, SellerState, seat_skill
from sim.scenario.levers import Levers

NEUTRAL_MORALE = 0.55  # morale at which sellers quit at the base rate
LIFE_QUIT = 0.07  # a year: leaving for reasons no organization controls (moves, family)
MORALE_SPEED = 0.08  # share of the gap to the target closed each week
RECORD_WEEKS = 26  # weeks of trailing record before a seller is judged
SELLING_REFERENCE = 0.35  # share of the week selling at which the selling term is zero
PAY_CAP = 3.0  # commission is paid on attainment up to this multiple of quota
MIN_OFFER = 0.5  # no outside offer is below half of on-target pay


@dataclass
class People:
    """Per-seat state of the people dynamics: weeks until each vacant seat is filled."""

    vacancy_left: np.ndarray

    @classmethod
    def create(cls, n: int) -> People:
        """Everyone seated."""
        return cls(vacancy_left=np.zeros(n, dtype=np.int64))


def pay_and_offer(attainment, z, lev):
    """A seller's pay and best outside offer, both in units of on-target pay.

    Pay is base plus commission on attainment (capped at `PAY_CAP`); the offer is
    on-target pay plus `offer_premium`, rising by `offer_skill_slope` per sd of skill
    above peers (`z`).
    """
    pay = lev.base_share + (1.0 - lev.base_share) * min(max(attainment, 0.0), PAY_CAP)
    offer = max(1.0 + lev.offer_premium + lev.offer_skill_slope * z, MIN_OFFER)
    return pay, offer


def _morale_target(lev, selling_share, overtime, coached, progress, pay_ratio, risk):
    """One seller's morale target from what the seller lives through (see the docstring)."""
    target = (
        NEUTRAL_MORALE
        + lev.morale_pay * min(max(pay_ratio - 1.0, -1.0), 1.0)
        + lev.morale_selling * (selling_share - SELLING_REFERENCE)
        - lev.morale_overtime * overtime
        + lev.morale_coaching * coached
        + lev.morale_progress * progress
        - lev.morale_risk * risk
    )
    return min(max(target, 0.05), 0.95)


def morale_target(
    levers: Levers,
    *,
    selling_share: float,
    overtime: float = 0.0,
    coached: float = 0.0,
    progress: float = 0.0,
    pay_ratio: float = 1.0,
    risk: float = 0.0,
) -> float:
    """The morale a seller's situation pulls toward, 0-1 (one seller)."""
    return _morale_target(
        WeekLevers.of(levers), selling_share, overtime, coached, progress, pay_ratio, risk
    )


def _quit_hazard(morale, lev):
    """Weekly chance of quitting at `morale`: life events plus the morale-driven rate."""
    pushed = lev.quit_rate * np.exp(lev.morale_sensitivity * (NEUTRAL_MORALE - morale))
    return min((LIFE_QUIT + pushed) / 52.0, 0.5)


def quit_hazard(levers: Levers, morale: np.ndarray) -> np.ndarray:
    """Weekly chance of quitting of each seller: the base rate, rising as morale falls."""
    lev = WeekLevers.of(levers)
    return np.array([_quit_hazard(float(m), lev) for m in np.atleast_1d(morale)])


def _skill_z(skill, filled):
    """Each seat's effective skill in sds above the filled seats' mean."""
    weight = 1.0 / max(filled.sum(), 1)
    mean = 0.0
    for i in range(skill.size):
        if filled[i]:
            mean += skill[i] * weight
    spread = 0.0
    for i in range(skill.size):
        if filled[i]:
            spread += (skill[i] - mean) ** 2 * weight
    spread = max(np.sqrt(spread), 1e-3)
    z = np.empty(skill.size)
    for i in range(skill.size):
        z[i] = (skill[i] - mean) / spread
    return z


def _quantile(values, q):
    """The `q` quantile (lower value): the k-th smallest, k = int(q * (size - 1)).

    A quickselect written out (numba's `np.partition` takes seconds to compile). Its
    partition is branch-free (Lomuto's, with a conditional step instead of a branch): on
    fresh data each week a branch on the comparison is mispredicted half the time, which
    made the select several times slower than its arithmetic.
    """
    a = values.copy()
    k = int(q * (a.size - 1))
    lo, hi = 0, a.size - 1
    while lo < hi:  # the k-th smallest lies in a[lo:hi + 1]
        mid = (lo + hi) // 2
        a[mid], a[hi] = a[hi], a[mid]  # the middle element is the pivot, parked at hi
        pivot = a[hi]
        store = lo  # a[lo:store] < pivot <= a[store:i]
        equal = 0
        for i in range(lo, hi):
            v = a[i]
            a[i] = a[store]
            a[store] = v
            store += v < pivot
            equal += v == pivot
        a[store], a[hi] = a[hi], a[store]
        if store <= k <= store + equal:
            return pivot  # the pivot and its equals fill ranks store to store + equal
        if k < store:
            hi = store - 1
        else:
            lo = store + 1
    return a[k]


def _at_or_above_quantile(values, mask, rows, q):
    """How many of `rows` hold a value at or above the `q` quantile of `values[mask]`.

    The same count as comparing with `_quantile(values[mask], q)`, without selecting it:
    a value is at or above the k-th smallest exactly when more than k values are at or
    below it. One branch-free pass per row, so cheap for a few rows (the week's quitters).
    """
    k = int(q * (mask.sum() - 1))
    count = 0
    for row in rows:
        at_or_below = 0
        for j in range(values.size):
            at_or_below += mask[j] & (values[j] <= values[row])
        count += at_or_below > k
    return count


def fire_due(levers: Levers, week: int) -> bool:
    """Whether this week holds a firing review."""
    if levers.fire_bottom_share <= 0 or week < levers.fire_start_week:
        return False
    return (week - levers.fire_start_week) % levers.fire_every_weeks == 0


def _choose_fired(attainment, filled, tenure, lev):
    """Rows of the ramped sellers with the lowest trailing attainment (see `choose_fired`)."""
    ramped = np.flatnonzero(filled & (tenure >= lev.ramp_weeks))
    count = int(np.floor(lev.fire_bottom_share * ramped.size))
    order = np.argsort(attainment[ramped], kind="mergesort")  # stable: ties by seat
    return ramped[order[:count]]


def choose_fired(levers: Levers, s: SellerState) -> np.ndarray:
    """Rows of the ramped sellers with the lowest trailing attainment (the bottom share)."""
    return _choose_fired(s.attainment(), s.filled, s.tenure, WeekLevers.of(levers))


def weeks_to_review(lev, run_week):
    """Weeks until the next firing review (a large number when there is none)."""
    if lev.fire_bottom_share <= 0:
        return 10**6
    if run_week <= lev.fire_start_week:
        return lev.fire_start_week - run_week
    return (lev.fire_start_week - run_week) % lev.fire_every_weeks


def _normal_cdf(x):
    return 0.5 * math.erfc(-x / np.sqrt(2.0))


def _exit_risk(s, lev, attainment, ramped, in_review, run_week):
    """Each seller's own chance of being let go within a year, as they can see it.

    From the firing policy: the chance that their rank by trailing attainment among ramped
    sellers falls in the bottom `fire_bottom_share` at the next review, their rank moving
    by `rank_uncertainty` (sd, over a year) in the meantime; from performance management:
    being in it, the chance of being let go within a year at `manage_out_rate` a week.
    """
    n = attainment.size
    risk = np.zeros(n)
    wait = weeks_to_review(lev, run_week)
    rows = np.flatnonzero(ramped)
    if wait <= 52 and rows.size > 0:
        order = np.argsort(attainment[rows], kind="mergesort")
        sd = lev.rank_uncertainty * np.sqrt(wait / 52.0)
        for position in range(rows.size):
            rank = (position + 0.5) / rows.size  # share of ramped peers below, about
            gap = lev.fire_bottom_share - rank
            if sd > 0:
                risk[rows[order[position]]] = _normal_cdf(gap / sd)
            else:
                risk[rows[order[position]]] = 1.0 if gap > 0 else 0.0
    managed = 1.0 - (1.0 - lev.manage_out_rate) ** 52
    for row in in_review:
        risk[row] = 1.0 - (1.0 - risk[row]) * (1.0 - managed)
    s.risk[:] = risk
    return risk


def _vacate(rows, lev, s, vacancy_left, deals):
    """Sellers in `rows` leave: the seats empty and part of their open `deals` is lost.

    The lost deals' accounts leave the market for a buying cycle.

    Returns:
        the expected number of deals lost with the leavers.

    """
    worked, approval, waiting = deals.worked, deals.approval, deals.waiting
    lost_total = 0.0
    keep = 1.0 - lev.leaver_deal_loss
    for row in rows:
        lost = seat_deals(worked, approval, row) * lev.leaver_deal_loss
        lost_total += lost
        s.market_out[row] += lost
        for stage in range(worked.shape[0]):
            worked[stage, row] *= keep
        for hop in range(approval.shape[0]):
            approval[hop, row] *= keep
        waiting[row] *= keep
        s.filled[row] = False
        vacancy_left[row] = lev.hiring_weeks
    return lost_total


def _judged(s, lev, weeks_recorded):
    """Trailing attainment of every seat; who is ramped; who is in performance management."""
    filled, tenure = s.filled, s.tenure
    n = filled.size
    attainment = np.zeros(n)  # 0 where no quota is owed yet
    ramped = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if s.trailing_quota[i] > 0:
            attainment[i] = s.trailing_bookings[i] / s.trailing_quota[i]
        ramped[i] = filled[i] and tenure[i] >= lev.ramp_weeks
    in_review = np.zeros(0, dtype=np.int64)
    if lev.manage_out_rate > 0 and weeks_recorded >= RECORD_WEEKS and ramped.any():
        # managers judge against peers, on at least half a year of record
        bar = lev.manage_out_below * _quantile(attainment[ramped], 0.5)
        in_review = np.flatnonzero(ramped & (tenure >= RECORD_WEEKS) & (attainment < bar))
    return attainment, ramped, in_review


def people_week(sellers, deals, lev, draw, review, run_week, weeks_recorded, vacancies, skill):
    """Morale moves; people quit, are managed out and (in a review week) fired; seats empty.

    Args:
        sellers: the `SellerArrays` (changed in place).
        deals: the pipeline's `DealArrays` (a leaver's are partly lost).
        lev: the `WeekLevers`.
        draw: (run key, week): quit and managing-out draws are keyed to the seat and week.
        review: whether this week holds a firing review.
        run_week: the week of the run (0 during the warm-up).
        weeks_recorded: weeks the organization has been simulated (warm-up included).
        vacancies: weeks until each vacant seat is filled (changed in place).
        skill: every seat's effective skill.

    Returns:
        (left, voluntary, involuntary, regretted, fired, deals_lost, attainment): the rows
        that left, the counts of each kind of leaver, the deals lost with them, and every
        seat's trailing attainment at the end of the week.

    """
    key, week = draw
    s = sellers
    filled, hours, morale = s.filled, s.hours, s.morale
    n = filled.size
    attainment, ramped, in_review = _judged(s, lev, weeks_recorded)
    risk = _exit_risk(s, lev, attainment, ramped, in_review, run_week)
    z = _skill_z(skill, filled)
    quits = np.zeros(n, dtype=np.bool_)
    voluntary = 0
    for i in range(n):
        if not filled[i]:
            continue
        worked = 0.0
        for category in range(hours.shape[0]):
            worked += hours[category, i]
        selling_share = hours[SELLING, i] / worked if worked > 0 else 0.0
        owed = s.trailing_quota[i] > 0
        pay, offer = pay_and_offer(attainment[i] if owed else 1.0, z[i], lev)
        target = _morale_target(
            lev, selling_share, s.overtime[i], s.coached[i], s.progress[i], pay / offer, risk[i]
        )
        morale[i] += MORALE_SPEED * (target - morale[i])
        quits[i] = uniform(key, QUIT, week, i, 0) < _quit_hazard(morale[i], lev)
        voluntary += quits[i]
    # regretted: quitters in the top quarter by skill
    regretted = _at_or_above_quantile(skill, filled, np.flatnonzero(quits), 0.75)
    # a firing review ranks everyone seated this week, quitters included
    fired_rows = np.zeros(0, dtype=np.int64)
    if review:
        fired_rows = _choose_fired(attainment, filled, s.tenure, lev)
    leaving = quits.copy()
    managed_out = 0
    for row in in_review:
        if not quits[row] and uniform(key, MANAGE_OUT, week, row, 0) < lev.manage_out_rate:
            leaving[row] = True
            managed_out += 1
    fired = 0
    for row in fired_rows:
        if not leaving[row]:  # one already leaving is not fired as well
            leaving[row] = True
            fired += 1
    left = np.flatnonzero(leaving)
    deals_lost = 0.0
    if left.size:
        deals_lost = _vacate(left, lev, s, vacancies, deals)
    return left, voluntary, managed_out + fired, regretted, fired, deals_lost, attainment


def step_people(
    people: People,
    s: SellerState,
    pipeline,
    *,
    levers: Levers,
    key: np.ndarray,
    run_week: int,
    weeks_recorded: int,
) -> dict[str, np.ndarray | int | float]:
    """The end of a week of people dynamics: morale moves, people leave.

    Args:
        people: vacancy timers.
        s: the seller arrays (changed in place).
        pipeline: the deals (a leaver's are partly lost).
        levers: the organization's levers.
        key: the run's key (`sim.model.draws.run_key`).
        run_week: week of the run (0 during warm-up: no firing reviews then).
        weeks_recorded: weeks the organization has been simulated (warm-up included); the
            draws are keyed to it.

    Returns:
        rows that left this week, counts of voluntary, involuntary, regretted and fired
        leavers, the deals lost with them, and every seat's trailing attainment.

    """
    skill = np.array([seat_skill(s.skill, i) for i in range(s.n)])
    left, voluntary, involuntary, regretted, fired, deals_lost, attainment = people_week(
        s.arrays(),
        pipeline.arrays(),
        WeekLevers.of(levers),
        (key, weeks_recorded),
        run_week > 0 and fire_due(levers, run_week),
        run_week,
        weeks_recorded,
        people.vacancy_left,
        skill,
    )
    return {
        "left": left,
        "voluntary": voluntary,
        "involuntary": involuntary,
        "fired": fired,
        "regretted": regretted,
        "deals_lost": deals_lost,
        "attainment": attainment,
    }


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
pay_and_offer = njit(cache=True)(pay_and_offer)
_morale_target = njit(cache=True)(_morale_target)
_quit_hazard = njit(cache=True)(_quit_hazard)
_skill_z = njit(cache=True)(_skill_z)
_quantile = njit(cache=True)(_quantile)
_at_or_above_quantile = njit(cache=True)(_at_or_above_quantile)
_choose_fired = njit(cache=True)(_choose_fired)
weeks_to_review = njit(cache=True)(weeks_to_review)
_normal_cdf = njit(cache=True)(_normal_cdf)
_exit_risk = njit(cache=True)(_exit_risk)
_vacate = njit(cache=True)(_vacate)
_judged = njit(cache=True)(_judged)
people_week = njit(cache=True)(people_week)
