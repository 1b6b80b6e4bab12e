"""Step 2 of the week: opportunities, stages, specialist and approval queues, wins.

Deals are held as expected counts per seller and stage (a stochastic mean-field
pipeline): arrivals of new opportunities and the number of wins are Poisson draws, won
deal sizes are lognormal draws, and the flows between stages are expected values. That
keeps one array per stage instead of one object per deal, so the whole organization
moves in a handful of numpy operations.

Stages: qualify -> solution (needs presales hours) -> approval hops (deal desk, legal,
...: one week at least per hop, a queue at each desk) -> closing -> won.
A stage moves deals at a pace set by the selling hours they get (``effort``), the
seller's ramp and the matching skill component; deals also stall, are mishandled
(less so by skilled sellers), and are lost while they wait in someone else's queue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.levers import Levers

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
    np.array([[rates[i]] for rates in STAGE_RATES.values()]) for i in range(3)
)
#: skill component driving prospecting; the worked stages use components 1-3 in order
#: (qualification -> qualify, discovery -> solution, closing -> closing)
PROSPECTING = 0
#: expected deals per seller per stage when a going concern is first seated
START_STOCK = {"qualify": 1.5, "solution": 1.5, "approval": 0.4, "closing": 1.0}


@dataclass
class Pipeline:
    """Expected open deals per seat and stage."""

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

    def open_deals(self, rows: np.ndarray | None = None) -> np.ndarray:
        """All open deals per seat (or per seat of `rows`), wherever they are."""
        if rows is None:
            return self.worked.sum(axis=0) + self.approval.sum(axis=0)
        return self.worked[:, rows].sum(axis=0) + self.approval[:, rows].sum(axis=0)

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


def served_share(capacity: float, queue: np.ndarray) -> np.ndarray:
    """Share of a queue served this week: 1 - exp(-capacity / queue).

    If a week's capacity is spread over the queue in no particular order (some deals
    come back for missing information, some wait behind others), a deal is reached with
    this chance. Unlike min(1, capacity/queue) it lets waits grow smoothly as the load
    nears capacity, as they do in a queue with random arrivals.
    """
    ratio = np.divide(capacity, queue, out=np.full(queue.shape, np.inf), where=queue > 0)
    return -np.expm1(-ratio)


def step_pipeline(
    p: Pipeline,
    *,
    levers: Levers,
    rng: np.random.Generator,
    selling: np.ndarray,
    skill: np.ndarray,
    ramp: np.ndarray,
    territory: np.ndarray,
    filled: np.ndarray,
    lead_weight: np.ndarray,
    presales_of: np.ndarray,
    n_presales: int,
) -> dict[str, np.ndarray | float]:
    """Move every seller's deals one week; return this week's flows.

    All outflows are computed from the stocks at the start of the week, then the
    inflows are added, so every seller updates at once from last week's values.
    """
    n = selling.size
    hops = p.approval.shape[0]
    worked = p.worked

    # -- how the seller splits selling hours between open deals and prospecting
    need = worked.sum(axis=0) * levers.deal_hours
    deal_time = np.minimum(selling * MAX_DEAL_SHARE, need)
    effort = np.divide(deal_time, need, out=np.ones(n), where=need > 0)
    pace = effort * ramp
    prospecting = selling - deal_time

    # -- new opportunities: own prospecting plus marketing leads, on this territory;
    # a territory holds only so many buyers: each extra prospecting hour finds fewer
    effort_found = prospecting * levers.prospect_rate * ramp * skill[PROSPECTING] / REFERENCE_SKILL
    found = -levers.territory_depth * np.expm1(-effort_found / levers.territory_depth)
    rate = (found + levers.lead_rate * lead_weight) * territory * filled
    new = rng.poisson(rate).astype(float)

    # -- solution deals need their presales engineer: each serves its sellers' demand
    demand = np.bincount(
        presales_of, worked[SOLUTION] * levers.presales_hours, minlength=n_presales
    )
    served = np.ones_like(worked)
    served[SOLUTION] = served_share(levers.specialist_hours, demand)[presales_of]

    # -- the worked stages move at the seller's pace and skill; unserved deals wait
    stage_skill = skill[1:]
    advance = np.minimum(_ADVANCE * (pace / REFERENCE_SKILL) * stage_skill, MAX_RATE) * served
    lost = _STALL + served * _MISHANDLE * pace * (1.0 - stage_skill)
    lost += (1.0 - served) * levers.wait_loss
    np.minimum(lost, 1.0 - advance, out=lost)
    advance *= worked
    lost *= worked
    presales_waiting = worked[SOLUTION] * (1.0 - served[SOLUTION])

    # -- approval chain: a queue at every desk, one hop a week at most
    approval_lost = p.approval * levers.wait_loss
    remaining = p.approval - approval_lost
    desk_capacity = (
        levers.n_sellers
        / levers.sellers_per_approver
        * levers.specialist_hours
        / levers.review_hours
    )
    queue = remaining.sum(axis=1)
    desk_share = served_share(desk_capacity, queue)
    approved = remaining * desk_share[:, None]

    # -- wins: a Poisson count on the expected wins, each with a lognormal deal size
    won_expected = advance[CLOSING]
    wins = rng.poisson(won_expected)
    n_wins = int(wins.sum())
    mu = np.log(levers.deal_size) - levers.deal_size_sigma**2 / 2
    sizes = rng.lognormal(mu, levers.deal_size_sigma, n_wins)
    bookings = np.bincount(np.repeat(np.arange(n), wins), weights=sizes, minlength=n)

    # -- inflows
    inflow = np.empty_like(worked)
    inflow[QUALIFY] = new
    inflow[SOLUTION] = advance[QUALIFY]
    into_approval = advance[SOLUTION]
    if hops:
        inflow[CLOSING] = approved[-1]
        desk_inflow = np.empty_like(p.approval)
        desk_inflow[0] = into_approval
        desk_inflow[1:] = approved[:-1]
        p.approval = remaining - approved + desk_inflow
        handed = advance[QUALIFY] + desk_inflow.sum(axis=0)
    else:
        inflow[CLOSING] = into_approval
        handed = advance[QUALIFY]
    p.worked = worked - advance - lost + inflow
    p.handoffs = handed
    p.waiting = p.approval.sum(axis=0) + presales_waiting

    solution = p.worked[SOLUTION]
    weight = solution.sum()
    extra_weeks = 1.0 / served[SOLUTION] - 1.0
    presales_wait = float((solution * extra_weeks).sum() / weight) if weight > 0 else 0.0
    return {
        "new": new,
        "wins": wins,
        "won_expected": won_expected,
        "bookings": bookings,
        "lost": lost.sum(axis=0) + approval_lost.sum(axis=0),
        "approval_in": into_approval.sum() if hops else 0.0,
        "approval_lost": approval_lost.sum(axis=1),
        "approved": approved.sum(axis=1),
        "presales_utilization": float(
            np.minimum(demand, levers.specialist_hours).sum()
            / (levers.specialist_hours * n_presales)
        ),
        "wait_weeks": presales_wait + float((1.0 / desk_share).sum()),
    }
