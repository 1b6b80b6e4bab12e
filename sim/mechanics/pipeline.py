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
#: (advance, mishandle, stall) weekly rates of the stages worked by the seller
QUALIFY = (0.45, 0.25, 0.03)
SOLUTION = (0.35, 0.15, 0.03)
CLOSING = (0.30, 0.25, 0.03)
#: skill component driving each stage
PROSPECTING, QUALIFICATION, DISCOVERY, CLOSING_SKILL = range(4)
#: expected deals per seller per stage when a going concern is first seated
START_STOCK = {"qualify": 1.5, "solution": 1.5, "approval": 0.4, "closing": 1.0}


@dataclass
class Pipeline:
    """Expected open deals per seat and stage."""

    qualify: np.ndarray
    solution: np.ndarray
    approval: np.ndarray  # (hops, n)
    closing: np.ndarray
    handoffs: np.ndarray  # deals handed to a specialist or desk last week
    waiting: np.ndarray  # deals waiting in someone else's queue at the start of the week

    @classmethod
    def create(cls, n: int, hops: int, scale: np.ndarray | None = None) -> Pipeline:
        """A pipeline seeded near its steady state (scaled per seat by `scale`)."""
        scale = np.ones(n) if scale is None else scale
        approval = np.repeat((START_STOCK["approval"] * scale)[None, :], hops, axis=0)
        return cls(
            qualify=START_STOCK["qualify"] * scale,
            solution=START_STOCK["solution"] * scale,
            approval=approval,
            closing=START_STOCK["closing"] * scale,
            handoffs=np.zeros(n),
            waiting=approval.sum(axis=0),
        )

    def open_deals(self) -> np.ndarray:
        """All open deals per seat, wherever they are."""
        return self.qualify + self.solution + self.approval.sum(axis=0) + self.closing

    def resize_hops(self, hops: int) -> None:
        """Change the length of the approval chain; deals beyond it move to its last desk."""
        current = self.approval.shape[0]
        if hops == current:
            return
        if hops > current:
            extra = np.zeros((hops - current, self.approval.shape[1]))
            self.approval = np.vstack([self.approval, extra])
        elif hops == 0:
            self.closing = self.closing + self.approval.sum(axis=0)
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


def _stage(stock, pace, skill, rates, served=1.0, wait_loss=0.0):
    """Expected (advancing, lost) deals of a stage worked by the seller."""
    advance_rate, mishandle, stall = rates
    advance = np.minimum(advance_rate * pace * skill / REFERENCE_SKILL, MAX_RATE) * served
    lost = stall + served * mishandle * pace * (1.0 - skill) + (1.0 - served) * wait_loss
    lost = np.minimum(lost, 1.0 - advance)
    return stock * advance, stock * lost


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

    # -- how the seller splits selling hours between open deals and prospecting
    worked = p.qualify + p.solution + p.closing
    need = worked * levers.deal_hours
    deal_time = np.minimum(selling * MAX_DEAL_SHARE, need)
    effort = np.divide(deal_time, need, out=np.ones(n), where=need > 0)
    pace = effort * ramp
    prospecting = selling - deal_time

    # -- new opportunities: own prospecting plus marketing leads, on this territory
    # a territory holds only so many buyers: each extra prospecting hour finds fewer
    effort_found = prospecting * levers.prospect_rate * ramp * skill[PROSPECTING] / REFERENCE_SKILL
    found = -levers.territory_depth * np.expm1(-effort_found / levers.territory_depth)
    rate = (found + levers.lead_rate * lead_weight) * territory * filled
    new = rng.poisson(rate).astype(float)

    # -- qualify
    q_adv, q_lost = _stage(p.qualify, pace, skill[QUALIFICATION], QUALIFY)

    # -- solution: each presales engineer serves its sellers' demand up to capacity
    demand = np.bincount(presales_of, p.solution * levers.presales_hours, minlength=n_presales)
    served = served_share(levers.specialist_hours, demand)[presales_of]
    s_adv, s_lost = _stage(
        p.solution, pace, skill[DISCOVERY], SOLUTION, served=served, wait_loss=levers.wait_loss
    )
    presales_waiting = p.solution * (1.0 - served)

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

    # -- closing and wins
    c_win, c_lost = _stage(p.closing, pace, skill[CLOSING_SKILL], CLOSING)
    wins = rng.poisson(c_win)
    n_wins = int(wins.sum())
    mu = np.log(levers.deal_size) - levers.deal_size_sigma**2 / 2
    sizes = rng.lognormal(mu, levers.deal_size_sigma, n_wins)
    bookings = np.bincount(np.repeat(np.arange(n), wins), weights=sizes, minlength=n)

    # -- inflows
    into_closing = approved[-1] if hops else s_adv
    p.qualify = p.qualify - q_adv - q_lost + new
    p.solution = p.solution - s_adv - s_lost + q_adv
    if hops:
        inflow = np.empty_like(p.approval)
        inflow[0] = s_adv
        inflow[1:] = approved[:-1]
        p.approval = remaining - approved + inflow
    p.closing = p.closing - c_win - c_lost + into_closing
    p.handoffs = q_adv + (inflow.sum(axis=0) if hops else 0.0)
    p.waiting = p.approval.sum(axis=0) + presales_waiting

    weight = p.solution.sum()
    presales_wait = float((p.solution * (1.0 / served - 1.0)).sum() / weight) if weight > 0 else 0.0
    return {
        "new": new,
        "wins": wins,
        "won_expected": c_win,
        "bookings": bookings,
        "lost": q_lost + s_lost + approval_lost.sum(axis=0) + c_lost,
        "effort": effort,
        "prospecting": prospecting,
        "approval_in": s_adv.sum() if hops else 0.0,
        "approval_queue": queue,
        "approval_lost": approval_lost.sum(axis=1),
        "approved": approved.sum(axis=1),
        "presales_utilization": float(
            np.minimum(demand, levers.specialist_hours).sum()
            / (levers.specialist_hours * n_presales)
        ),
        "wait_weeks": presales_wait + float((1.0 / desk_share).sum()),
    }
