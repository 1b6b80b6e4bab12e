"""The pipeline: queues conserve deals, stocks stay non-negative, friction lengthens waits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.draws import run_key
from sim.model.mechanics.pipeline import Pipeline, served_share, step_pipeline
from sim.model.mechanics.week_levers import WeekLevers
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run

KEY = run_key(7)


def make_pipeline(rng, n, hops, scale=1.0):
    p = Pipeline.create(n, hops, rng.uniform(0, 3 * scale, n))
    p.worked[2] = rng.uniform(0, 2 * scale, n)
    return p


def market(n, accounts=150.0, in_market=10.0):
    return np.full(n, in_market), np.full(n, accounts - in_market)


def step(p, levers, rng, n, selling=None, skill=None, n_presales=None, accounts=None, week=0):
    n_presales = n_presales or max(1, n // 4)
    accounts = market(n) if accounts is None else accounts
    return step_pipeline(
        p,
        levers=levers,
        key=KEY,
        week=week,
        market=accounts,
        selling=rng.uniform(0, 30, n) if selling is None else selling,
        skill=rng.uniform(0.05, 0.95, (4, n)) if skill is None else skill,
        ramp=rng.uniform(0.2, 1.0, n),
        filled=np.ones(n, bool),
        lead_weight=np.ones(n),
        presales_of=np.arange(n) % n_presales,
        n_presales=n_presales,
    )


@settings(max_examples=80, deadline=None)
@given(
    hops=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
    wait_loss=st.floats(0, 1),
    spa=st.floats(1, 1000),
    scale=st.floats(0.01, 50),
)
def test_deals_are_conserved_and_never_negative(hops, seed, wait_loss, spa, scale):
    rng = np.random.default_rng(seed)
    n = 30
    levers = Levers(n_sellers=n, approval_steps=hops, wait_loss=wait_loss, sellers_per_approver=spa)
    p = make_pipeline(rng, n, hops, scale)
    before = p.open_deals().copy()
    approval_before = p.approval.sum(axis=1)
    accounts = (rng.uniform(0, 20 * scale, n), rng.uniform(0, 200 * scale, n))
    total_before = accounts[0] + accounts[1] + before
    flows = step(p, levers, rng, n, accounts=accounts, week=seed % 1000)
    after = p.open_deals()
    for stock in (p.qualify, p.solution, p.approval, p.closing, *accounts):
        assert (stock >= -1e-9).all()
    # every deal is still open, won (in expectation) or lost; new ones came in
    assert np.allclose(before + flows["new"] - flows["won_expected"] - flows["lost"], after)
    # and every account is in market, out of it, or a deal: the market is finite
    assert np.allclose(accounts[0] + accounts[1] + after, total_before)
    assert (flows["new"] <= total_before).all()
    if hops:
        # each desk: what was there plus what came in = served + lost + still waiting
        inflow = np.concatenate([[flows["approval_in"]], flows["approved"][:-1]])
        waiting = approval_before + inflow - flows["approved"] - flows["approval_lost"]
        assert np.allclose(waiting, p.approval.sum(axis=1))


def test_served_share_falls_as_the_queue_grows():
    queue = np.array([0.0, 1, 10, 50, 100, 400])
    share = served_share(100.0, queue)
    assert share[0] == 1.0 and share[1] > 0.999
    assert np.all(np.diff(share[1:]) < 0)
    assert share[-1] < 0.25 < share[3]


def test_deals_pass_at_most_one_desk_a_week(rng):
    n = 10
    levers = Levers(n_sellers=n, approval_steps=4, wait_loss=0.0, sellers_per_approver=1.0)
    p = Pipeline.create(n, 4, np.zeros(n))
    p.approval[0] = 1.0
    step(p, levers, rng, n)
    assert p.approval[2:].sum() == 0.0 and p.closing.sum() == 0.0
    assert p.approval[1].sum() > 0


def test_desks_serve_their_capacity_and_deals_waiting_there_are_lost(rng):
    """At each desk a week's capacity serves 1 - exp(-capacity / queue) of the deals still
    there, and `wait_loss` of those waiting are lost: by hand, for one week."""
    n = 10  # 10 / 20 sellers per analyst x 32 hours / 2 hours a deal: 8 deals a week a desk
    levers = Levers(n_sellers=n, approval_steps=2, wait_loss=0.1, sellers_per_approver=20.0)
    assert WeekLevers.of(levers).desk_capacity == pytest.approx(8.0)
    p = Pipeline.create(n, 2, np.zeros(n))  # nothing open but what waits at the desks
    p.approval[0], p.approval[1] = 2.0, 1.0
    flows = step(p, levers, rng, n)
    queue = np.array([20.0, 10.0]) * 0.9  # the deals still there after the week's losses
    share = 1 - np.exp(-8.0 / queue)  # 0.359 and 0.589: the desks bind
    assert flows["approval_lost"] == pytest.approx([2.0, 1.0])  # a tenth of 20 and of 10
    assert np.allclose(flows["lost"], 0.3)  # each seat's 0.2 + 0.1, and nothing else
    assert flows["approved"] == pytest.approx(queue * share)
    assert flows["approved"].sum() < 0.5 * queue.sum()
    assert np.allclose(p.approval[0], 1.8 * (1 - share[0]))
    assert np.allclose(p.approval[1], 0.9 * (1 - share[1]) + 1.8 * share[0])
    assert np.allclose(p.closing, 0.9 * share[1])
    # with no loss while waiting, every deal at a desk is still there or served
    p = Pipeline.create(n, 2, np.zeros(n))
    p.approval[0] = 2.0
    patient = Levers(n_sellers=n, approval_steps=2, wait_loss=0.0, sellers_per_approver=20.0)
    kept = step(p, patient, rng, n)
    assert kept["approval_lost"].sum() == 0.0 and np.allclose(kept["lost"], 0.0)
    assert p.approval.sum() == pytest.approx(20.0)


def weekly_flows(n, weeks, selling=15.0, skill=0.5, presales=None, **levers):
    """The flows of the last of `weeks` weeks, everyone selling and skilled alike."""
    levers = Levers(n_sellers=n, **levers)
    p = Pipeline.create(n, levers.approval_steps)
    accounts = market(n, levers.accounts, in_market=levers.accounts * 0.05)
    for week in range(weeks):
        flows = step(
            p,
            levers,
            np.random.default_rng(3),
            n,
            selling=np.full(n, selling),
            skill=np.full((4, n), skill),
            n_presales=presales,
            accounts=accounts,
            week=week,
        )
    return flows


def weekly_wins(n, weeks, selling=15.0, skill=0.5, presales=None, **levers):
    """Expected wins in the last of `weeks` weeks, everyone selling and skilled alike."""
    return weekly_flows(n, weeks, selling, skill, presales, **levers)["won_expected"].sum()


def test_starved_specialists_cap_what_selling_time_can_win():
    starved = weekly_wins(400, 52, selling=25.0, presales=2)
    staffed = weekly_wins(400, 52, selling=25.0, presales=100)
    assert starved < 0.2 * staffed


@pytest.mark.heavy
def test_more_selling_time_wins_more():
    assert weekly_wins(2000, 30, selling=25.0) > 1.5 * weekly_wins(2000, 30, selling=5.0)


@pytest.mark.heavy
def test_skill_raises_wins():
    assert weekly_wins(2000, 30, skill=0.7) > 2 * weekly_wins(2000, 30, skill=0.3)


@pytest.mark.heavy
def test_a_finite_market_gives_selling_time_diminishing_returns():
    """Double the hours on a worked territory: far less than double the new accounts."""
    new = {h: weekly_flows(500, 80, selling=h)["new"].sum() for h in (10.0, 20.0, 40.0)}
    assert new[20.0] > new[10.0] and new[40.0] > new[20.0]
    assert new[40.0] - new[20.0] < 0.75 * (new[20.0] - new[10.0])
    assert new[40.0] < 1.6 * new[10.0]  # four times the hours, well under twice the finds
    # with the market five times as deep, the same hours find far more
    deep = weekly_flows(500, 80, selling=20.0, accounts=750.0)["new"].sum()
    assert deep > 2.5 * new[20.0]


def test_competition_bounds_the_win_rate():
    """A decided deal is won with chance s / (s + competition): never all of them."""
    decided = {c: weekly_flows(500, 40, skill=0.5, competition=c) for c in (0.0, 0.5, 2.0)}
    share = {c: f["won_expected"].sum() / f["decided"] for c, f in decided.items()}
    assert share[0.0] == pytest.approx(1.0)
    assert share[0.5] == pytest.approx(0.5) and share[2.0] == pytest.approx(0.2)
    strong = weekly_flows(500, 40, skill=0.9, competition=0.5)
    assert strong["won_expected"].sum() / strong["decided"] == pytest.approx(0.9 / 1.4)


def test_desk_capacity_is_the_approvers_hours_not_the_specialists():
    """The bug: desk capacity once read `specialist_hours`, the presales lever."""

    def approved(**levers):  # presales need no hours here, so only the desks differ
        flows = weekly_flows(400, 20, selling=25.0, presales=400, presales_hours=0.0, **levers)
        return flows["approved"].sum()

    base = approved()
    assert approved(specialist_hours=8.0) == pytest.approx(base, rel=1e-9)
    assert approved(approver_hours=8.0) < 0.8 * base
    assert approved(sellers_per_approver=80.0) < 0.8 * base  # fewer analysts, less served


@pytest.fixture(scope="module")
def by_steps():
    quiet = dict(weeks=104, initiative_rate=0.0)  # no initiative waves to blur the comparison
    return {steps: [run(seed=s, approval_steps=steps, **quiet) for s in (1, 2)] for steps in (1, 5)}


@pytest.mark.heavy
def test_more_approval_steps_lengthen_waits(by_steps):
    wait = {
        k: np.mean([final_year_mean(m, "specialist_wait_weeks") for m in v])
        for k, v in by_steps.items()
    }
    assert wait[5] > wait[1] + 3.0  # at least a week per extra desk


@pytest.mark.heavy
def test_more_approval_steps_cut_selling_time_and_bookings(by_steps):
    selling = {
        k: np.mean([final_year_mean(m, "selling_time_share") for m in v])
        for k, v in by_steps.items()
    }
    bookings = {
        k: np.mean([final_year_mean(m, "bookings") for m in v]) for k, v in by_steps.items()
    }
    assert selling[5] < selling[1] - 0.01
    assert bookings[5] < 0.9 * bookings[1]
