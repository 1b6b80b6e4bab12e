"""Step 2 of the week: the market, opportunities, stages, specialist and approval queues, wins.

**The market.** Each territory holds a finite number of buying accounts (`accounts`, times
the territory's potential). An account is out of the market after it has bought or
decided, and comes back into it after a buying cycle (`buying_cycle_weeks`, on average);
an account in market that nobody finds buys elsewhere after `in_market_weeks` on average.
A seller's prospecting hours (and marketing's leads) reach a share of the territory's
accounts in market each week, so more selling time finds fewer new accounts per hour once
the territory is worked (diminishing returns), and fixes that free time do not multiply
without limit. A deal that ends, won or lost, returns its account to the out-of-market
pool.

**Deals** are held as expected counts per seller and stage (a stochastic mean-field
pipeline): arrivals of new opportunities and the number of wins are Poisson draws, won
deal sizes are lognormal draws, and the flows between stages are expected values. That
keeps one array per stage instead of one object per deal, so a week is one compiled
(numba) loop over the seats.

Stages: qualify -> solution (needs presales hours) -> approval hops (deal desk, legal,
...: one week at least per hop, a queue at each desk) -> closing -> decided.
A stage moves deals at a pace set by the selling hours they get (``effort``), the
seller's ramp and the matching skill component; deals also stall (no decision), are
mishandled (less so by skilled sellers), and are lost while they wait in someone else's
queue. **Competition** bounds the win rate: a deal decided at closing goes to the seller
with chance s / (s + `competition`), s the seller's closing skill.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from sim.model.draws import DEAL_SIZE, OPPORTUNITIES, WINS, lognormal, poisson
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import HoldsArrays
from sim.scenario.levers import Levers

REFERENCE_SKILL = 0.5  # skill at which a stage moves at its base rate
MAX_DEAL_SHARE = 0.75  # at most this share of selling hours goes to open deals
MAX_RATE = 0.9  # no stage moves more than this share of its deals in a week
#: Weekly (advance, mishandle, stall) rates of the stages the seller works, in the order of
#: `Pipeline.worked`'s rows: qualify, solution, closing.
STAGE_RATES = {
    "qualify": (0.45, 0.25, 0.03),
    "solution": (0.35, 0.15, 0.03),
    "closing": (0.30, 0.25, 0.03),
}
QUALIFY, SOLUTION, CLOSING = range(3)
_ADVANCE, _MISHANDLE, _STALL = (
    np.array([rates[i] for rates in STAGE_RATES.values()]) for i in range(3)
)
#: skill component driving prospecting; the worked stages use components 1-3 in order
#: (qualification -> qualify, discovery -> solution, closing -> closing)
PROSPECTING = 0
#: expected deals per seller per stage when a going concern is first seated
START_STOCK = {"qualify": 1.5, "solution": 1.5, "approval": 0.4, "closing": 1.0}


class DealArrays(NamedTuple):
    """The arrays of a `Pipeline`, for the compiled mechanics."""

    worked: np.ndarray
    approval: np.ndarray
    handoffs: np.ndarray
    waiting: np.ndarray


@dataclass
class Pipeline(HoldsArrays):
    """Expected open deals per seat and stage."""

    ARRAYS = DealArrays

    worked: np.ndarray  # (3, n): deals in qualify, solution and closing (the seller works them)
    approval: np.ndarray  # (hops, n): deals waiting at each approval desk
    handoffs: np.ndarray  # deals handed to a specialist or desk last week
    waiting: np.ndarray  # deals waiting in someone else's queue at the start of the week

    @classmethod
    def create(cls, n: int, hops: int, scale: np.ndarray | None = None) -> Pipeline:
        """A pipeline seeded near its steady state (scaled per seat by `scale`)."""
        scale = np.ones(n) if scale is None else scale
        approval = np.repeat((START_STOCK["approval"] * scale)[None, :], hops, axis=0)
        worked = np.array([START_STOCK[stage] for stage in STAGE_RATES])[:, None] * scale
        return cls(
            worked=worked, approval=approval, handoffs=np.zeros(n), waiting=approval.sum(axis=0)
        )

    @property
    def qualify(self) -> np.ndarray:
        """Deals being qualified."""
        return self.worked[QUALIFY]

    @property
    def solution(self) -> np.ndarray:
        """Deals in the solution stage (needing presales hours)."""
        return self.worked[SOLUTION]

    @property
    def closing(self) -> np.ndarray:
        """Deals being closed."""
        return self.worked[CLOSING]

    def arrays(self) -> DealArrays:
        """The state arrays (the same arrays: the compiled week changes them in place)."""
        return self._held_arrays()

    def open_deals(self, rows: np.ndarray | None = None) -> np.ndarray:
        """All open deals per seat (or per seat of `rows`), wherever they are."""
        if rows is None:
            return deals_per_seat(self.worked, self.approval)
        return deals_per_seat(self.worked[:, rows], self.approval[:, rows])

    def resize_hops(self, hops: int) -> None:
        """Change the length of the approval chain; deals beyond it move to its last desk."""
        current = self.approval.shape[0]
        if hops == current:
            return
        if hops > current:
            extra = np.zeros((hops - current, self.approval.shape[1]))
            self.approval = np.vstack([self.approval, extra])
        elif hops == 0:
            moved = self.approval.sum(axis=0)
            self.worked[CLOSING] += moved
            self.waiting = np.maximum(self.waiting - moved, 0.0)
            self.approval = self.approval[:0].copy()
        else:
            kept = self.approval[:hops].copy()
            kept[-1] += self.approval[hops:].sum(axis=0)
            self.approval = kept


def seat_deals(worked, approval, seat):
    """Open deals of one seat, wherever they are: worked by the seller or at a desk."""
    in_stages = 0.0
    for stage in range(worked.shape[0]):
        in_stages += worked[stage, seat]
    at_desks = 0.0
    for hop in range(approval.shape[0]):
        at_desks += approval[hop, seat]
    return in_stages + at_desks


def deals_per_seat(worked, approval):
    """Open deals of every seat (see `seat_deals`)."""
    deals = np.empty(worked.shape[1])
    for i in range(deals.size):
        deals[i] = seat_deals(worked, approval, i)
    return deals


def served_share(capacity: float, queue: np.ndarray) -> np.ndarray:
    """Share of a queue served this week: 1 - exp(-capacity / queue).

    If a week's capacity is spread over the queue in no particular order (some deals
    come back for missing information, some wait behind others), a deal is reached with
    this chance. Unlike min(1, capacity/queue) it lets waits grow smoothly as the load
    nears capacity, as they do in a queue with random arrivals. An empty queue is all
    served (share 1).
    """
    share = np.ones(queue.size)
    for q in range(queue.size):
        if queue[q] > 0:
            share[q] = -np.expm1(-(capacity / queue[q]))
    return share


def pipeline_week(deals, market, lev, draw, selling, skill, ramp, filled, org):
    """Move the market and every seller's deals one week, in place.

    All outflows are computed from the stocks at the start of the week, then the inflows
    are added.

    Args:
        deals: the `DealArrays`.
        market: (in market, out of market): accounts per territory (changed in place).
        lev: the `WeekLevers`.
        draw: (run key, week): what the week's draws are keyed to.
        selling: selling hours of each seat this week.
        skill: skill components of each seat.
        ramp: productivity of each seat's seller (0.2 on day one, 1 once ramped).
        filled: whether each seat holds a seller.
        org: (lead_weight, presales_of, n_presales) of the organization.

    Returns:
        this week's flows: per seat new opportunities, wins, expected wins, bookings and
        deals lost; deals entering, lost at and passing each approval desk; presales
        utilization and the weeks a deal waits on others; deals decided (won or lost to
        rivals).

    """
    worked, approval, handoffs, waiting = deals
    market_in, market_out = market
    key, week = draw
    lead_weight, presales_of, n_presales = org
    n = selling.size
    hops = approval.shape[0]

    # -- how the seller splits selling hours between open deals and prospecting; new
    # opportunities: the share of the territory's accounts in market that prospecting and
    # marketing's leads reach
    pace = np.empty(n)
    new = np.empty(n)
    demand = np.zeros(n_presales)
    for i in range(n):
        need = (worked[QUALIFY, i] + worked[SOLUTION, i] + worked[CLOSING, i]) * lev.deal_hours
        deal_time = min(selling[i] * MAX_DEAL_SHARE, need)
        effort = deal_time / need if need > 0 else 1.0
        pace[i] = effort * ramp[i]
        prospecting = selling[i] - deal_time
        reach = (
            prospecting * lev.prospect_rate * ramp[i] * skill[PROSPECTING, i] / REFERENCE_SKILL
            + lev.lead_share * lead_weight[i]
        )
        new[i] = -np.expm1(-reach) * market_in[i] * filled[i]
        # solution deals need their presales engineer: each serves its sellers' demand
        demand[presales_of[i]] += worked[SOLUTION, i] * lev.presales_hours
    for i in range(n):  # the draws apart: a loop without them compiles to faster code
        new[i] = min(float(poisson(key, OPPORTUNITIES, week, i, 0, new[i])), market_in[i])
    presales_share = served_share(lev.specialist_hours, demand)

    # -- approval chain: a queue at every desk (deals still there after this week's losses)
    queue = np.zeros(hops)
    for h in range(hops):
        for i in range(n):
            queue[h] += approval[h, i] - approval[h, i] * lev.wait_loss
    desk_share = served_share(lev.desk_capacity, queue)

    worked_next = np.empty_like(worked)
    approval_next = np.empty_like(approval)
    won_expected = np.empty(n)
    wins = np.empty(n, np.int64)
    lost = np.empty(n)
    approval_lost = np.zeros(hops)
    approved = np.zeros(hops)
    advance = np.empty(3)
    approval_in = 0.0
    decided_total = 0.0
    solution_deals = 0.0
    solution_extra_weeks = 0.0
    for i in range(n):
        # -- the worked stages move at the seller's pace and skill (stage k uses skill
        # component k + 1; a closing's decision is the buyer's, so its pace is not
        # skill's); deals their presales engineer does not reach wait
        presales_served = presales_share[presales_of[i]]
        stages_lost = 0.0
        for stage in range(3):
            served = presales_served if stage == SOLUTION else 1.0
            stage_skill = skill[stage + 1, i]
            speed = REFERENCE_SKILL if stage == CLOSING else stage_skill
            advance_rate = (
                min(_ADVANCE[stage] * (pace[i] / REFERENCE_SKILL) * speed, MAX_RATE) * served
            )
            lost_rate = _STALL[stage] + served * _MISHANDLE[stage] * pace[i] * (1.0 - stage_skill)
            lost_rate += (1.0 - served) * lev.wait_loss
            advance[stage] = advance_rate * worked[stage, i]
            stage_lost = min(lost_rate, 1.0 - advance_rate) * worked[stage, i]
            worked_next[stage, i] = worked[stage, i] - advance[stage] - stage_lost
            stages_lost += stage_lost
        presales_waiting = worked[SOLUTION, i] * (1.0 - presales_served)

        # -- decided deals: won against the rivals with the seller's closing skill
        closing_skill = skill[CLOSING + 1, i]
        win_share = closing_skill / (closing_skill + lev.competition)
        won_expected[i] = advance[CLOSING] * win_share  # wins: a Poisson count (below)
        decided_total += advance[CLOSING]

        # -- approval desks, one hop a week at most: each passes its served share on
        desk_in = advance[SOLUTION]
        approval_in += desk_in
        handed = 0.0
        desks_lost = 0.0
        in_approval = 0.0
        for h in range(hops):
            lost_here = approval[h, i] * lev.wait_loss
            remaining = approval[h, i] - lost_here
            passed = remaining * desk_share[h]
            approval_next[h, i] = remaining - passed + desk_in
            handed += desk_in
            desks_lost += lost_here
            in_approval += approval_next[h, i]
            approval_lost[h] += lost_here
            approved[h] += passed
            desk_in = passed

        # -- inflows: what passed the last desk (or, with none, left solution) closes
        worked_next[QUALIFY, i] += new[i]
        worked_next[SOLUTION, i] += advance[QUALIFY]
        worked_next[CLOSING, i] += desk_in
        lost[i] = stages_lost + desks_lost + advance[CLOSING] - won_expected[i]
        handoffs[i] = advance[QUALIFY] + handed
        waiting[i] = in_approval + presales_waiting
        solution = worked_next[SOLUTION, i]
        solution_deals += solution
        solution_extra_weeks += solution * (1.0 / presales_served - 1.0)

        # -- the market: accounts come back after their buying cycle, those nobody finds
        # buy elsewhere, the found become deals, ended deals leave for a buying cycle
        # (`market_depletion` scales these flows: at 0 the pool stays at its depth, a
        # market that never runs dry, for measuring what the finite market does)
        back = market_out[i] / lev.buying_cycle_weeks
        elsewhere = min(market_in[i] / lev.in_market_weeks, market_in[i] - new[i])
        market_in[i] += (back - elsewhere - new[i]) * lev.market_depletion
        market_out[i] += (elsewhere - back + lost[i] + won_expected[i]) * lev.market_depletion

    # -- wins, then each win's size (a lognormal draw)
    for i in range(n):
        wins[i] = poisson(key, WINS, week, i, 0, won_expected[i])
    bookings = np.zeros(n)
    for i in range(n):
        for k in range(wins[i]):
            bookings[i] += lognormal(key, DEAL_SIZE, week, i, k, lev.size_mu, lev.deal_size_sigma)

    # -- presales hours used; weeks a deal waits on others: the extra weeks in presales
    # (weighted by the deals in solution) plus 1 / share at every desk
    used = 0.0
    for k in range(n_presales):
        used += min(demand[k], lev.specialist_hours)
    presales_wait = solution_extra_weeks / solution_deals if solution_deals > 0 else 0.0
    desk_wait = 0.0
    for h in range(hops):
        desk_wait += 1.0 / desk_share[h]
    worked[:] = worked_next
    approval[:] = approval_next
    return (
        new,
        wins,
        won_expected,
        bookings,
        lost,
        approval_in if hops else 0.0,
        approval_lost,
        approved,
        used / (lev.specialist_hours * n_presales),
        presales_wait + desk_wait,
        decided_total,
    )


#: The names of `pipeline_week`'s flows, in order.
FLOWS = (
    "new",
    "wins",
    "won_expected",
    "bookings",
    "lost",
    "approval_in",
    "approval_lost",
    "approved",
    "presales_utilization",
    "wait_weeks",
    "decided",
)


def step_pipeline(
    p: Pipeline,
    *,
    levers: Levers,
    key: np.ndarray,
    week: int,
    market: tuple[np.ndarray, np.ndarray],
    selling: np.ndarray,
    skill: np.ndarray,
    ramp: np.ndarray,
    filled: np.ndarray,
    lead_weight: np.ndarray,
    presales_of: np.ndarray,
    n_presales: int,
) -> dict[str, np.ndarray | float]:
    """Move the market and every seller's deals one week; return this week's flows.

    All outflows are computed from the stocks at the start of the week, then the
    inflows are added, so every seller updates at once from last week's values.

    Args:
        p: the deals (changed in place).
        levers: the organization's levers.
        key: the run's key (`sim.model.draws.run_key`).
        week: the week the draws are keyed to.
        market: accounts in market and out of market per territory (changed in place).
        selling: selling hours of each seat.
        skill: skill components of each seat.
        ramp: productivity of each seat's seller.
        filled: whether each seat holds a seller.
        lead_weight: share of marketing's leads each seat gets (mean 1).
        presales_of: each seat's presales engineer.
        n_presales: number of presales engineers.

    """
    flows = pipeline_week(
        p.arrays(),
        market,
        WeekLevers.of(levers),
        (key, week),
        np.ascontiguousarray(selling, dtype=np.float64),
        skill,
        np.asarray(ramp, dtype=np.float64),
        filled,
        (lead_weight, presales_of, n_presales),
    )
    return dict(zip(FLOWS, flows, strict=True))


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
seat_deals = njit(cache=True, inline="always")(seat_deals)
deals_per_seat = njit(cache=True)(deals_per_seat)
served_share = njit(cache=True, error_model="numpy")(served_share)
pipeline_week = njit(cache=True, error_model="numpy")(pipeline_week)
