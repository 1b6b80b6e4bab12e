"""Step 5 of the week, its end: morale, quitting, managing out, firing and leaving.

Morale moves toward a target set by the seller's own week (selling-time share, overtime,
initiative overload), the manager (coaching quality), results (trailing attainment) and
fear (recent firings on the team). Voluntary quitting is a weekly hazard that rises as
morale falls, more steeply for skilled sellers, who have options elsewhere. Involuntary
exits come from ordinary performance management (ramped sellers far below their peers'
median attainment are managed out at a weekly rate) and from the firing policy (the
bottom share by trailing attainment, every N weeks). A vacated seat stays empty for
`hiring_weeks` (`sim.model.mechanics.hiring` fills it); the leaver's open deals are partly lost.

The per-seller work is one compiled function (`people_week`), plain loops over the seats;
the public functions unpack the levers and call the compiled ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, vectorize

from sim.model.mechanics.pipeline import seat_deals
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import SELLING, SellerState, seat_skill
from sim.scenario.levers import Levers

NEUTRAL_MORALE = 0.55  # morale at which sellers quit at the base rate
LIFE_QUIT = 0.04  # a year: leaving for reasons no organization controls (moves, family)
MORALE_SPEED = 0.08  # share of the gap to the target closed each week
FEAR_DECAY = 0.96  # weekly decay of the memory of a firing on the team
RECORD_WEEKS = 26  # weeks of trailing record before a seller is judged


@dataclass
class People:
    """Per-seat and per-team state of the people dynamics."""

    vacancy_left: np.ndarray  # weeks until a vacant seat is filled
    fear: np.ndarray  # per team: decaying memory of firings (fired per seat)

    @classmethod
    def create(cls, n: int, teams: int) -> People:
        """Everyone seated, no fear."""
        return cls(vacancy_left=np.zeros(n, dtype=np.int64), fear=np.zeros(teams))


@vectorize(["float64(float64, float64, float64, float64, float64, float64)"], cache=True)
def _morale_target(selling_share, overtime, initiatives, quality, attainment, fear):
    """One seller's morale target (a ufunc: for arrays, or one seat inside a kernel)."""
    target = (
        NEUTRAL_MORALE
        + 0.8 * (selling_share - 0.35)
        + 0.3 * (quality - 0.4)
        + 0.2 * min(max(attainment - 1.0, -0.5), 0.5)
        - 0.03 * overtime
        - 0.05 * max(initiatives - 2.0, 0.0)
        - 2.0 * fear
    )
    return min(max(target, 0.05), 0.95)


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
    return _morale_target(selling_share, overtime, initiatives, quality, attainment, fear)


@njit(cache=True)
def _quit_hazard(morale, skill, filled, lev):
    """Weekly chance of quitting of every seat (see `quit_hazard`)."""
    weight = 1.0 / max(filled.sum(), 1)  # of each filled seat in the mean
    mean = 0.0
    for i in range(skill.size):
        if filled[i]:
            mean += skill[i] * weight
    spread = 0.0
    for i in range(skill.size):
        if filled[i]:
            spread += (skill[i] - mean) ** 2 * weight
    spread = max(np.sqrt(spread), 1e-3)
    hazard = np.empty(skill.size)
    for i in range(skill.size):
        z = max(skill[i] - mean, 0.0) / spread  # sds above the mean
        slope = lev.morale_sensitivity * (1.0 + lev.skill_options * z)
        pushed = lev.quit_rate * np.exp(slope * (NEUTRAL_MORALE - morale[i]))
        hazard[i] = min((LIFE_QUIT + pushed) / 52.0, 0.5)
    return hazard


def quit_hazard(
    levers: Levers, morale: np.ndarray, skill: np.ndarray, filled: np.ndarray
) -> np.ndarray:
    """Weekly chance of quitting: the base rate, rising as morale falls, steeper for the skilled.

    Skill counts in standard deviations above the organization's mean: the better a seller
    is than colleagues, the more options elsewhere.
    """
    return _quit_hazard(morale, skill, filled, WeekLevers.of(levers))


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
def _choose_fired(attainment, filled, tenure, lev):
    """Rows of the ramped sellers with the lowest trailing attainment (see `choose_fired`)."""
    ramped = np.flatnonzero(filled & (tenure >= lev.ramp_weeks))
    count = int(np.floor(lev.fire_bottom_share * ramped.size))
    order = np.argsort(attainment[ramped], kind="mergesort")  # stable: ties by seat
    return ramped[order[:count]]


def choose_fired(levers: Levers, s: SellerState) -> np.ndarray:
    """Rows of the ramped sellers with the lowest trailing attainment (the bottom share)."""
    return _choose_fired(s.attainment(), s.filled, s.tenure, WeekLevers.of(levers))


@njit(cache=True)
def _vacate(rows, lev, filled, vacancy_left, deals):
    """Sellers in `rows` leave: the seats empty and part of their open `deals` is lost.

    Returns:
        the expected number of deals lost with the leavers.

    """
    worked, approval, waiting = deals.worked, deals.approval, deals.waiting
    open_deals = 0.0
    keep = 1.0 - lev.leaver_deal_loss
    for row in rows:
        open_deals += seat_deals(worked, approval, row)
        for stage in range(worked.shape[0]):
            worked[stage, row] *= keep
        for hop in range(approval.shape[0]):
            approval[hop, row] *= keep
        waiting[row] *= keep
        filled[row] = False
        vacancy_left[row] = lev.hiring_weeks
    return open_deals * lev.leaver_deal_loss


@njit(cache=True)
def _morale_and_quits(s, lev, skill, draws, weeks_recorded, quality, initiatives, fear, manager_of):
    """Morale moves; who quits (a uniform draw per seat) and who is in performance review."""
    filled, hours, overtime, morale, tenure = s.filled, s.hours, s.overtime, s.morale, s.tenure
    trailing_bookings, trailing_quota = s.trailing_bookings, s.trailing_quota
    n = filled.size
    attainment = np.zeros(n)  # 0 where no quota is owed yet
    for i in range(n):
        owed = trailing_quota[i] > 0
        if owed:
            attainment[i] = trailing_bookings[i] / trailing_quota[i]
        if filled[i]:
            week = 0.0  # hours worked
            for category in range(hours.shape[0]):
                week += hours[category, i]
            selling_share = hours[SELLING, i] / week if week > 0 else 0.0
            target = _morale_target(
                selling_share,
                overtime[i],
                initiatives[i],
                quality[i],
                attainment[i] if owed else 1.0,
                fear[manager_of[i]],
            )
            morale[i] += MORALE_SPEED * (target - morale[i])
    hazard = _quit_hazard(morale, skill, filled, lev)
    quits = np.zeros(n, dtype=np.bool_)
    ramped = np.zeros(n, dtype=np.bool_)
    voluntary = 0
    for i in range(n):
        if filled[i]:
            quits[i] = draws[i] < hazard[i]
            voluntary += quits[i]
            ramped[i] = tenure[i] >= lev.ramp_weeks
    # regretted: quitters in the top quarter by skill
    regretted = _at_or_above_quantile(skill, filled, np.flatnonzero(quits), 0.75)
    in_review = np.zeros(0, dtype=np.int64)
    if lev.manage_out_rate > 0 and weeks_recorded >= RECORD_WEEKS and ramped.any():
        # managers judge against peers, on at least half a year of record
        bar = lev.manage_out_below * _quantile(attainment[ramped], 0.5)
        below = ramped & (tenure >= RECORD_WEEKS) & (attainment < bar)
        in_review = np.flatnonzero(below & ~quits)
    return quits, voluntary, regretted, in_review, attainment


@njit(cache=True)
def _leave(quits, in_review, draws, fired_rows, lev, manager_of, filled, fear, vacancy_left, deals):
    """The quitters, the managed out and the fired leave; the survivors' fear moves."""
    leaving = quits.copy()
    managed_out = in_review[draws < lev.manage_out_rate]
    leaving[managed_out] = True
    fired = 0
    fired_on_team = np.zeros(fear.size)
    for row in fired_rows:
        if not leaving[row]:  # one already leaving is not fired as well
            leaving[row] = True
            fired += 1
            fired_on_team[manager_of[row]] += 1.0
    # the survivors fear for their jobs: the share of the team fired this week
    team = np.bincount(manager_of, minlength=fear.size)
    for t in range(fear.size):
        fear[t] = fear[t] * FEAR_DECAY + fired_on_team[t] / max(team[t], 1)
    left = np.flatnonzero(leaving)
    deals_lost = 0.0
    if left.size:
        deals_lost = _vacate(left, lev, filled, vacancy_left, deals)
    return left, managed_out.size + fired, fired, deals_lost


@njit(cache=True)
def people_week(
    sellers,
    deals,
    lev,
    rng,
    review,
    weeks_recorded,
    quality,
    initiatives,
    manager_of,
    fear,
    vacancies,
):
    """Morale moves; people quit, are managed out and (in a review week) fired; seats empty.

    Args:
        sellers: the `SellerArrays` (changed in place).
        deals: the pipeline's `DealArrays` (a leaver's are partly lost).
        lev: the `WeekLevers`.
        rng: the model's random numbers: a quit draw for every seat, filled or not, then
            one for each seller in performance review.
        review: whether this week holds a firing review.
        weeks_recorded: weeks the organization has been simulated (warm-up included).
        quality: coaching quality of each seller's manager.
        initiatives: active initiatives per seller.
        manager_of: each seat's team.
        fear: per team, the memory of firings (changed in place).
        vacancies: weeks until each vacant seat is filled (changed in place).

    Returns:
        (left, voluntary, involuntary, regretted, fired, deals_lost, skill, attainment):
        the rows that left, the counts of each kind of leaver, the deals lost with them,
        and every seat's effective skill and trailing attainment at the end of the week.

    """
    components = sellers.skill
    skill = np.empty(sellers.filled.size)
    for i in range(skill.size):
        skill[i] = seat_skill(components, i)
    draws = np.empty(skill.size)
    for i in range(skill.size):
        draws[i] = rng.random()
    quits, voluntary, regretted, in_review, attainment = _morale_and_quits(
        sellers, lev, skill, draws, weeks_recorded, quality, initiatives, fear, manager_of
    )
    # a firing review ranks everyone seated this week, quitters included
    fired_rows = np.zeros(0, dtype=np.int64)
    if review:
        fired_rows = _choose_fired(attainment, sellers.filled, sellers.tenure, lev)
    review_draws = np.empty(in_review.size)
    for i in range(in_review.size):
        review_draws[i] = rng.random()
    left, involuntary, fired, deals_lost = _leave(
        quits,
        in_review,
        review_draws,
        fired_rows,
        lev,
        manager_of,
        sellers.filled,
        fear,
        vacancies,
        deals,
    )
    return left, voluntary, involuntary, regretted, fired, deals_lost, skill, attainment


def step_people(
    people: People,
    s: SellerState,
    pipeline,
    *,
    levers: Levers,
    rng: np.random.Generator,
    run_week: int,
    weeks_recorded: int,
    quality: np.ndarray,
    initiatives: np.ndarray,
    manager_of: np.ndarray,
    n_managers: int,
) -> dict[str, np.ndarray | int | float]:
    """The end of a week of people dynamics: morale moves, people leave.

    Args:
        people: vacancy timers and team fear.
        s: the seller arrays (changed in place).
        pipeline: the deals (a leaver's are partly lost).
        levers: the organization's levers.
        rng: the model's random numbers.
        run_week: week of the run (0 during warm-up: no firing reviews then).
        weeks_recorded: weeks the organization has been simulated (warm-up included).
        quality: coaching quality of each seller's manager.
        initiatives: active initiatives per seller.
        manager_of: manager row of each seat.
        n_managers: number of managers.

    Returns:
        rows that left this week, counts of voluntary, involuntary, regretted and fired
        leavers, the deals lost with them, and every seat's effective skill and trailing
        attainment at the end of the week.

    """
    left, voluntary, involuntary, regretted, fired, deals_lost, skill, attainment = people_week(
        s.arrays(),
        pipeline.arrays(),
        WeekLevers.of(levers),
        rng,
        run_week > 0 and fire_due(levers, run_week),
        weeks_recorded,
        np.asarray(quality, dtype=np.float64),
        np.asarray(initiatives, dtype=np.float64),
        manager_of,
        people.fear,
        people.vacancy_left,
    )
    return {
        "left": left,
        "voluntary": voluntary,
        "involuntary": involuntary,
        "fired": fired,
        "regretted": regretted,
        "deals_lost": deals_lost,
        "effective_skill": skill,
        "attainment": attainment,
    }
