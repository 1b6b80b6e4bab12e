"""The pipeline: queues conserve deals, stocks stay non-negative, friction lengthens waits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.mechanics.pipeline import Pipeline, served_share, step_pipeline
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run


def make_pipeline(rng, n, hops, scale=1.0):
    p = Pipeline.create(n, hops, rng.uniform(0, 3 * scale, n))
    p.worked[2] = rng.uniform(0, 2 * scale, n)
    return p


def step(p, levers, rng, n, selling=None, skill=None, n_presales=None):
    n_presales = n_presales or max(1, n // 4)
    return step_pipeline(
        p,
        levers=levers,
        rng=rng,
        selling=rng.uniform(0, 30, n) if selling is None else selling,
        skill=rng.uniform(0.05, 0.95, (4, n)) if skill is None else skill,
        ramp=rng.uniform(0.2, 1.0, n),
        territory=np.ones(n),
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
    flows = step(p, levers, rng, n)
    after = p.open_deals()
    for stock in (p.qualify, p.solution, p.approval, p.closing):
        assert (stock >= -1e-12).all()
    # every deal is still open, won (in expectation) or lost; new ones came in
    assert np.allclose(before + flows["new"] - flows["won_expected"] - flows["lost"], after)
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


def weekly_wins(n, weeks, selling=15.0, skill=0.5, presales=None):
    """Expected wins in the last of `weeks` weeks, everyone selling and skilled alike."""
    levers = Levers(n_sellers=n)
    p = Pipeline.create(n, levers.approval_steps)
    for _ in range(weeks):
        flows = step(
            p,
            levers,
            np.random.default_rng(3),
            n,
            selling=np.full(n, selling),
            skill=np.full((4, n), skill),
            n_presales=presales,
        )
    return flows["won_expected"].sum()


def test_starved_specialists_cap_what_selling_time_can_win():
    starved = weekly_wins(400, 52, selling=25.0, presales=2)
    staffed = weekly_wins(400, 52, selling=25.0, presales=100)
    assert starved < 0.2 * staffed


def test_more_selling_time_wins_more():
    assert weekly_wins(2000, 30, selling=25.0) > 1.5 * weekly_wins(2000, 30, selling=5.0)


def test_skill_raises_wins():
    assert weekly_wins(2000, 30, skill=0.7) > 2 * weekly_wins(2000, 30, skill=0.3)


@pytest.fixture(scope="module")
def by_steps():
    quiet = dict(weeks=104, initiative_rate=0.0)  # no initiative waves to blur the comparison
    return {steps: [run(seed=s, approval_steps=steps, **quiet) for s in (1, 2)] for steps in (1, 5)}


def test_more_approval_steps_lengthen_waits(by_steps):
    wait = {
        k: np.mean([final_year_mean(m, "specialist_wait_weeks") for m in v])
        for k, v in by_steps.items()
    }
    assert wait[5] > wait[1] + 3.0  # at least a week per extra desk


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
