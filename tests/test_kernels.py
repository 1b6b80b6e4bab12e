"""The week's kernels one at a time, on tiny hand-made arrays, with numbers worked by hand.

These are the tests that judge the mechanics' mutants (`tests/mutate.py`): each runs in
milliseconds even with numba's JIT off.
"""

import math

import numpy as np
import pytest

import sim
from sim.model.draws import HIRE_NOISE, HIRE_TALENT, normal, run_key
from sim.model.mechanics.coaching import _coach, share_coaching
from sim.model.mechanics.hiring import (
    INTERVIEW_HOURS,
    ONBOARD_HOURS,
    fill_vacancies,
    hire_talent,
    people_hours,
    seat,
)
from sim.model.mechanics.initiatives import (
    ABANDONED,
    ACTIVE,
    ADMIN_CUT,
    ADOPTED,
    DROPPED,
    FOLLOW_UP_HOURS,
    NONE,
    QUEUED,
    SKILL_GAIN,
    Initiatives,
    _draw_launches,
    _grow,
    _launch,
    _launch_order,
    _queue,
    _week,
    adoption_chance,
    initiatives_week,
    step_initiatives,
    team_follow_up,
)
from sim.model.mechanics.people import (
    LIFE_QUIT,
    MORALE_SPEED,
    NEUTRAL_MORALE,
    People,
    _choose_fired,
    _exit_risk,
    _judged,
    _morale_target,
    _normal_cdf,
    _quit_hazard,
    _skill_z,
    _vacate,
    pay_and_offer,
    people_week,
    step_people,
    weeks_to_review,
)
from sim.model.mechanics.pipeline import (
    DealArrays,
    Pipeline,
    deals_per_seat,
    pipeline_week,
    seat_deals,
    served_share,
)
from sim.model.mechanics.time_budget import allocate, draw_asks, switching_loss
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import HOUR, HOUR_CATEGORIES, SELLING, SellerState, effective_skill, ramp
from sim.model.week import Record, set_quotas
from sim.scenario.levers import Levers

KEY = run_key(11)
LEV = WeekLevers.of(Levers())
#: a quit rate that cancels life events, and no pull of morale: nobody quits
NOBODY_QUITS = {"quit_rate": -LIFE_QUIT, "morale_sensitivity": 0.0}


def lev(**changes):
    return LEV._replace(**changes)


# -- the time budget -----------------------------------------------------------------------


def test_asks_land_on_whole_teams_in_whole_hours_at_the_asked_mean():
    manager_of = np.array([0, 0, 1, 1, 1])
    weights = np.array([1.0, 2.0])
    weeks = [draw_asks(KEY, w, 3.0, weights, manager_of) for w in range(600)]
    asks = np.array(weeks)
    assert (asks[:, 0] == asks[:, 1]).all() and (asks[:, 2] == asks[:, 4]).all()
    assert (asks[:, 0] != asks[:, 2]).any()  # each team has its own draws
    assert (asks == np.round(asks)).all()  # in pieces of an hour
    assert asks[:, 0].mean() == pytest.approx(3.0, rel=0.08)
    assert asks[:, 2].mean() == pytest.approx(6.0, rel=0.08)
    assert not draw_asks(KEY, 5, 0.0, weights, manager_of).any()


def allocate_one(
    levers,
    *,
    filled=True,
    initiatives=0.0,
    coaching=0.0,
    handoffs=0.0,
    waiting=0.0,
    asks=0.0,
    relief=0.0,
):
    hours, overtime = np.full((len(HOUR_CATEGORIES), 1), -1.0), np.full(1, -1.0)
    one = lambda v: np.array([float(v)])  # noqa: E731
    allocate(
        np.array([filled]),
        one(initiatives),
        one(coaching),
        one(handoffs),
        one(waiting),
        one(asks),
        one(relief),
        levers,
        (hours, overtime),
    )
    return dict(zip(HOUR_CATEGORIES, hours[:, 0], strict=True)), overtime[0]


def test_every_demand_by_hand_and_selling_is_what_is_left():
    levers = lev(
        work_hours=50.0,
        admin_hours=10.0,
        meeting_hours=8.0,
        initiative_hours=2.0,
        switching_cost=0.34,
        handoff_hours=0.5,
        chase_hours=0.25,
        selling_floor=5.0,
    )
    hours, overtime = allocate_one(
        levers, initiatives=2, coaching=1.5, handoffs=4, waiting=8, asks=3, relief=4
    )
    focus = 50 - 10 - 8  # what admin and meetings leave
    assert hours["admin"] == 6.0  # relief takes 4 of the 10
    assert hours["meetings"] == 8.0
    assert hours["initiatives"] == 4.0
    assert hours["switching"] == pytest.approx(0.17 * focus)
    assert hours["handoffs"] == 2.0
    assert hours["chasing"] == 2.0
    assert hours["asks"] == 3.0
    assert hours["coaching"] == 1.5
    assert hours["selling"] == pytest.approx(50 - 6 - 8 - 4 - 0.17 * focus - 2 - 2 - 3 - 1.5)
    assert overtime == 0.0


def test_relief_beyond_admin_leaves_none_and_the_floor_is_defended_as_overtime():
    levers = lev(work_hours=40.0, admin_hours=10.0, meeting_hours=8.0, selling_floor=6.0)
    hours, overtime = allocate_one(levers, relief=25.0)
    assert hours["admin"] == 0.0 and hours["selling"] == 32.0 and overtime == 0.0
    hours, overtime = allocate_one(levers, asks=30.0)  # 10 + 8 + 30 = 48 asked of 40
    assert hours["selling"] == 6.0
    assert overtime == pytest.approx(14.0)  # 6 selling defended on top of 8 hours short
    assert sum(hours.values()) == pytest.approx(40.0 + overtime)


def test_a_vacant_seat_works_no_hours():
    hours, overtime = allocate_one(LEV, filled=False, asks=5.0, coaching=2.0)
    assert set(hours.values()) == {0.0} and overtime == 0.0


def test_switching_is_lost_focus_only_beyond_one_initiative():
    assert switching_loss(0.0, 0.34) == 0.0 and switching_loss(1.0, 0.34) == 0.0
    assert switching_loss(4.0, 0.34) == pytest.approx(0.34 * 0.75)
    assert switching_loss(np.array([0.5, 2.0]), 0.2) == pytest.approx([0.0, 0.1])


# -- the pipeline --------------------------------------------------------------------------


def test_open_deals_count_every_stage_and_desk():
    worked = np.array([[1.0, 2.0], [0.5, 0.0], [0.25, 3.0]])
    approval = np.array([[0.125, 1.0], [2.0, 0.0]])
    assert seat_deals(worked, approval, 0) == 3.875
    assert deals_per_seat(worked, approval) == pytest.approx([3.875, 6.0])
    assert deals_per_seat(worked, approval[:0]) == pytest.approx([1.75, 5.0])


def test_served_share_by_hand():
    share = served_share(2.0, np.array([0.0, 1.0, 4.0]))
    assert share == pytest.approx([1.0, 1 - math.exp(-2.0), 1 - math.exp(-0.5)])


def one_seat(hops=1, worked=(1.5, 1.5, 1.0), desk=0.4, skill=0.5, closing_skill=0.5):
    deals = DealArrays(
        worked=np.array(worked, dtype=float)[:, None],
        approval=np.full((hops, 1), desk),
        handoffs=np.zeros(1),
        waiting=np.zeros(1),
    )
    skills = np.full((4, 1), skill)
    skills[3] = closing_skill
    return deals, skills


def week_of(
    deals,
    levers,
    skills,
    *,
    selling=40.0,
    ramp=1.0,
    market=(10.0, 50.0),
    presales=None,
    lead_weight=1.0,
):
    m_in, m_out = np.array([market[0]]), np.array([market[1]])
    flows = pipeline_week(
        deals,
        (m_in, m_out),
        levers,
        (KEY, 3),
        np.array([selling]),
        skills,
        np.array([ramp]),
        np.array([True]),
        (np.array([lead_weight]), np.zeros(1, np.int64), 1),
    )
    return flows, m_in[0], m_out[0]


QUIET = dict(
    prospect_rate=0.0,
    lead_share=0.0,
    deal_hours=2.0,
    specialist_hours=1e9,
    presales_hours=1.0,
    wait_loss=0.05,
    desk_capacity=0.38,
    competition=0.35,
    buying_cycle_weeks=100.0,
    in_market_weeks=10.0,
    market_depletion=1.0,
)


def test_a_week_of_one_sellers_deals_by_hand():
    """Ample selling time (effort 1), ramped, skill 0.5 (closing 0.6), ample presales, a desk."""
    deals, skills = one_seat(closing_skill=0.6)
    flows, m_in, m_out = week_of(deals, lev(**QUIET), skills)
    new, wins, won_exp, bookings, lost, approval_in, desk_lost, approved, util, wait, decided = (
        flows
    )
    share = 1 - math.exp(-1.0)  # the desk's capacity 0.38 over its queue 0.4 x 0.95
    assert new[0] == 0.0  # no prospecting, no leads
    # qualify: advances 0.45 x 1.5, loses (stall 0.03 + mishandled 0.25 x 0.5) x 1.5
    assert deals.worked[0, 0] == pytest.approx(1.5 - 0.675 - 0.2325)
    # solution: advances 0.35 x 1.5 and gains qualify's 0.675; loses (0.03 + 0.075) x 1.5
    assert deals.worked[1, 0] == pytest.approx(1.5 - 0.525 - 0.1575 + 0.675)
    # closing: 0.3 decided (the buyer's pace), (0.03 + 0.25 x 0.4) lost, the desk's passed in
    passed = 0.4 * 0.95 * share
    assert deals.worked[2, 0] == pytest.approx(1.0 - 0.3 - 0.13 + passed)
    assert deals.approval[0, 0] == pytest.approx(0.4 * 0.95 - passed + 0.525)
    assert decided == pytest.approx(0.3)
    assert won_exp[0] == pytest.approx(0.3 * 0.6 / 0.95)  # against rivals at 0.35
    assert desk_lost == pytest.approx([0.02]) and approved == pytest.approx([passed])
    assert approval_in == pytest.approx(0.525)
    assert lost[0] == pytest.approx(0.2325 + 0.1575 + 0.13 + 0.02 + 0.3 - won_exp[0])
    assert deals.handoffs[0] == pytest.approx(0.675 + 0.525)
    assert deals.waiting[0] == pytest.approx(deals.approval[0, 0])
    assert wait == pytest.approx(1 / share)  # presales never waits
    assert util == pytest.approx(1.5 / 1e9)
    assert wins[0] >= 0 and (bookings[0] > 0) == (wins[0] > 0)
    # the market: 0.5 back from a buying cycle, 1 buys elsewhere, ended deals leave it
    assert m_in == pytest.approx(9.5)
    assert m_out == pytest.approx(50 + 1 - 0.5 + lost[0] + won_exp[0])


def test_accounts_and_deals_are_conserved_seat_by_seat():
    rng = np.random.default_rng(4)
    levers = lev(prospect_rate=0.05, lead_share=0.1, specialist_hours=6.0, desk_capacity=2.0)
    for hops in (0, 1, 3):
        deals, skills = one_seat(hops=hops, worked=rng.uniform(0, 3, 3), desk=1.2)
        skills[:] = rng.uniform(0.1, 0.9, (4, 1))
        before = deals.worked.sum() + deals.approval.sum() + 12.0 + 80.0
        flows, m_in, m_out = week_of(
            deals, levers, skills, selling=12.0, ramp=0.6, market=(12.0, 80.0)
        )
        after = deals.worked.sum() + deals.approval.sum() + m_in + m_out
        assert after == pytest.approx(before)
        new, _, won_exp, _, lost, *_ = flows
        assert new[0] > 0 and lost[0] > 0 and won_exp[0] > 0


def test_little_selling_time_slows_the_deals_and_leaves_little_for_prospecting():
    levers = lev(**{**QUIET, "prospect_rate": 0.1})
    deals, skills = one_seat()
    # need 4 deals x 2 h = 8 h; 4 h selling gives 3 h to deals (effort 3/8), 1 h to prospects
    flows, _, _ = week_of(deals, levers, skills, selling=4.0, market=(1e6, 0.0))
    pace = 3 / 8
    assert flows[-1] == pytest.approx(0.30 * pace)  # closing decided at the pace
    assert deals.worked[0, 0] == pytest.approx(
        1.5 - 0.45 * pace * 1.5 - (0.03 + 0.25 * pace * 0.5) * 1.5 + flows[0][0]
    )
    reach = 1.0 * 0.1 * 1.0 * 0.5 / 0.5  # prospecting hours x rate x ramp x skill / 0.5
    assert flows[0][0] == pytest.approx((1 - math.exp(-reach)) * 1e6, rel=0.02)


def test_leads_reach_the_market_without_prospecting():
    levers = lev(**{**QUIET, "lead_share": 0.2})
    deals, skills = one_seat(worked=(0.0, 0.0, 0.0), desk=0.0)
    flows, *_ = week_of(deals, levers, skills, selling=0.0, market=(1e5, 0.0), lead_weight=2.0)
    expected = (1 - math.exp(-0.4)) * 1e5
    assert flows[0][0] == pytest.approx(expected, rel=0.02)


def test_scarce_presales_makes_solution_deals_wait_and_some_are_lost_waiting():
    levers = lev(**{**QUIET, "specialist_hours": 1.5, "presales_hours": 2.0})
    deals, skills = one_seat(hops=0)
    flows, *_ = week_of(deals, levers, skills)
    served = 1 - math.exp(-1.5 / 3.0)  # demand: 1.5 deals x 2 h
    advance = 0.35 * served
    lost_rate = 0.03 + served * 0.15 * 0.5 + (1 - served) * 0.05
    assert deals.worked[1, 0] == pytest.approx(1.5 - advance * 1.5 - lost_rate * 1.5 + 0.675)
    assert deals.waiting[0] == pytest.approx(1.5 * (1 - served))
    assert flows[8] == pytest.approx(1.0)  # presales fully used
    assert flows[9] == pytest.approx(1 / served - 1)  # extra weeks in presales
    # with no desks, what leaves solution closes next week
    assert deals.worked[2, 0] == pytest.approx(1.0 - 0.3 - 0.155 + advance * 1.5)


def test_a_deals_pace_is_its_sellers_ramp_and_the_stages_skill():
    levers = lev(**QUIET)
    deals, skills = one_seat(skill=0.8, closing_skill=0.5)
    week_of(deals, levers, skills, ramp=0.5)
    # qualify at pace 0.5 and skill 0.8: advances min(0.45 x 1 x 0.8, 0.9) = 0.36
    assert deals.worked[0, 0] == pytest.approx(1.5 - 0.36 * 1.5 - (0.03 + 0.25 * 0.5 * 0.2) * 1.5)
    fast, skills = one_seat(skill=0.95)
    week_of(fast, lev(**QUIET), skills)
    assert fast.worked[0, 0] == pytest.approx(1.5 - 0.855 * 1.5 - (0.03 + 0.25 * 0.05) * 1.5)


def test_a_market_that_never_runs_dry_keeps_its_depth():
    levers = lev(**{**QUIET, "market_depletion": 0.0, "prospect_rate": 0.1})
    deals, skills = one_seat()
    _, m_in, m_out = week_of(deals, levers, skills, market=(10.0, 50.0))
    assert (m_in, m_out) == (10.0, 50.0)


def test_resizing_the_approval_chain_keeps_every_deal():
    p = Pipeline.create(3, 2)
    p.approval[:] = [[1.0, 2.0, 0.5], [3.0, 4.0, 0.5]]
    p.resize_hops(3)
    assert p.approval.tolist() == [[1.0, 2.0, 0.5], [3.0, 4.0, 0.5], [0.0, 0.0, 0.0]]
    p.resize_hops(1)
    assert p.approval.tolist() == [[4.0, 6.0, 1.0]]  # the later desks' wait at the last kept
    closing, waiting = p.closing.copy(), p.waiting.copy()
    p.resize_hops(0)
    assert p.approval.shape == (0, 3)
    assert p.closing.tolist() == (closing + np.array([4.0, 6.0, 1.0])).tolist()
    assert p.waiting.tolist() == np.maximum(waiting - [4.0, 6.0, 1.0], 0).tolist()
    p.resize_hops(0)
    assert p.approval.shape == (0, 3)


# -- people --------------------------------------------------------------------------------


def sellers(n=4, tenure=100.0, **levers):
    s = SellerState.create(
        Levers(n_sellers=n, **levers), np.full((4, n), 0.5), np.full(n, tenure), np.ones(n)
    )
    return s


def test_pay_is_base_plus_capped_commission_and_the_offer_rises_with_skill():
    levers = lev(base_share=0.5, offer_premium=0.1, offer_skill_slope=0.2)
    assert pay_and_offer(1.0, 0.0, levers) == pytest.approx((1.0, 1.1))
    assert pay_and_offer(0.4, 1.0, levers) == pytest.approx((0.7, 1.3))
    assert pay_and_offer(5.0, -2.0, levers) == pytest.approx((2.0, 0.7))  # paid up to 3x
    assert pay_and_offer(-1.0, -9.0, levers) == pytest.approx((0.5, 0.5))  # offers from half


def test_the_morale_target_adds_each_term_and_stays_inside_its_bounds():
    levers = lev(
        morale_pay=0.3,
        morale_selling=0.5,
        morale_overtime=0.01,
        morale_coaching=0.02,
        morale_progress=4.0,
        morale_risk=0.2,
    )
    base = _morale_target(levers, 0.35, 0.0, 0.0, 0.0, 1.0, 0.0)
    assert base == pytest.approx(NEUTRAL_MORALE)
    assert _morale_target(levers, 0.35, 0.0, 0.0, 0.0, 1.2, 0.0) == pytest.approx(0.61)
    assert _morale_target(levers, 0.35, 0.0, 0.0, 0.0, 3.0, 0.0) == pytest.approx(0.85)  # +-1
    assert _morale_target(levers, 0.55, 0.0, 0.0, 0.0, 1.0, 0.0) == pytest.approx(0.65)
    assert _morale_target(levers, 0.35, 5.0, 0.0, 0.0, 1.0, 0.0) == pytest.approx(0.50)
    assert _morale_target(levers, 0.35, 0.0, 2.5, 0.0, 1.0, 0.0) == pytest.approx(0.60)
    assert _morale_target(levers, 0.35, 0.0, 0.0, 0.01, 1.0, 0.0) == pytest.approx(0.59)
    assert _morale_target(levers, 0.35, 0.0, 0.0, 0.0, 1.0, 0.5) == pytest.approx(0.45)
    assert _morale_target(levers, 1.0, 0.0, 50.0, 1.0, 3.0, 0.0) == 0.95
    assert _morale_target(levers, 0.0, 90.0, 0.0, 0.0, 0.0, 1.0) == 0.05


def test_the_quit_hazard_by_hand():
    levers = lev(quit_rate=0.1, morale_sensitivity=2.0)
    assert _quit_hazard(NEUTRAL_MORALE, levers) == pytest.approx((LIFE_QUIT + 0.1) / 52)
    assert _quit_hazard(0.05, levers) == pytest.approx((LIFE_QUIT + 0.1 * math.e) / 52)
    assert _quit_hazard(0.0, lev(quit_rate=100.0, morale_sensitivity=5.0)) == 0.5


def test_skill_z_counts_the_filled_seats_only():
    z = _skill_z(np.array([0.4, 0.6, 0.9, 0.5]), np.array([True, True, False, True]))
    mean = 0.5
    sd = math.sqrt(((0.1) ** 2 + (0.1) ** 2 + 0.0) / 3)
    assert z == pytest.approx([-0.1 / sd, 0.1 / sd, 0.4 / sd, 0.0])
    flat = _skill_z(np.full(3, 0.5), np.ones(3, bool))
    assert flat == pytest.approx([0.0, 0.0, 0.0])  # no spread: the floor avoids 0 / 0
    assert mean == 0.5


def test_firing_ranks_the_ramped_from_the_first_ramped_week_ties_by_seat():
    levers = lev(fire_bottom_share=0.5, ramp_weeks=20)
    attainment = np.array([0.5, 0.5, 0.1, 0.9, 0.5, 0.0])
    filled = np.array([True, True, True, True, True, False])
    tenure = np.array([20.0, 30.0, 19.0, 40.0, 50.0, 60.0])
    # ramped: seats 0, 1, 3, 4 (seat 2 is a week short; seat 5 is empty); half is two
    assert _choose_fired(attainment, filled, tenure, levers).tolist() == [0, 1]
    fewer = levers._replace(fire_bottom_share=0.3)  # 1.2 of the four: one
    assert _choose_fired(attainment, filled, tenure, fewer).tolist() == [0]


def test_weeks_to_the_next_review():
    levers = lev(fire_bottom_share=0.1, fire_start_week=52, fire_every_weeks=26)
    assert weeks_to_review(levers, 10) == 42
    assert weeks_to_review(levers, 52) == 0
    assert weeks_to_review(levers, 60) == 18
    assert weeks_to_review(levers, 78) == 0
    assert weeks_to_review(lev(fire_bottom_share=0.0), 10) == 10**6


def test_the_normal_cdf():
    assert _normal_cdf(0.0) == 0.5
    assert _normal_cdf(1.0) == pytest.approx(0.8413447, abs=1e-6)
    assert _normal_cdf(-2.0) == pytest.approx(0.0227501, abs=1e-6)


def test_exit_risk_by_rank_and_from_performance_management():
    s = sellers(n=4)
    attainment = np.array([0.3, 0.9, 0.6, 1.2])
    ramped = np.array([True, True, True, True])
    certain = lev(
        fire_bottom_share=0.25,
        rank_uncertainty=0.0,
        fire_start_week=10,
        fire_every_weeks=52,
        manage_out_rate=0.0,
    )
    risk = _exit_risk(s.arrays(), certain, attainment, ramped, np.zeros(0, np.int64), 5)
    assert risk.tolist() == [1.0, 0.0, 0.0, 0.0] and s.risk.tolist() == risk.tolist()
    # ranks 1/8, 3/8, 5/8, 7/8 against a bottom share of 0.25, sd 0.2 x sqrt(5 / 52)
    unsure = certain._replace(rank_uncertainty=0.2)
    risk = _exit_risk(s.arrays(), unsure, attainment, ramped, np.zeros(0, np.int64), 5)
    sd = 0.2 * math.sqrt(5 / 52)
    assert risk == pytest.approx(
        [
            _normal_cdf(0.125 / sd),
            _normal_cdf(-0.375 / sd),
            _normal_cdf(-0.125 / sd),
            _normal_cdf(-0.625 / sd),
        ]
    )
    later = _exit_risk(s.arrays(), unsure, attainment, ramped, np.zeros(0, np.int64), 11)
    assert later[0] == pytest.approx(_normal_cdf(0.125 / (0.2 * math.sqrt(51 / 52))))
    far = certain._replace(fire_start_week=200)
    assert not _exit_risk(s.arrays(), far, attainment, ramped, np.zeros(0, np.int64), 5).any()
    managed = certain._replace(fire_bottom_share=0.0, manage_out_rate=0.01)
    risk = _exit_risk(s.arrays(), managed, attainment, ramped, np.array([2]), 5)
    assert risk == pytest.approx([0.0, 0.0, 1 - 0.99**52, 0.0])
    both = certain._replace(manage_out_rate=0.01)
    assert _exit_risk(s.arrays(), both, attainment, ramped, np.array([0]), 5)[0] == 1.0


def test_a_leaver_empties_the_seat_and_takes_a_share_of_the_open_deals():
    s = sellers(n=3)
    deals = DealArrays(
        worked=np.ones((3, 3)),
        approval=np.full((2, 3), 0.5),
        handoffs=np.zeros(3),
        waiting=np.full(3, 2.0),
    )
    vacancies = np.zeros(3, np.int64)
    out_before = s.market_out.copy()
    levers = lev(leaver_deal_loss=0.25, hiring_weeks=6)
    lost = _vacate(np.array([0, 2]), levers, s.arrays(), vacancies, deals)
    assert lost == pytest.approx(2 * 4.0 * 0.25)  # 4 open deals each
    assert deals.worked[:, 0].tolist() == [0.75] * 3 and deals.worked[:, 1].tolist() == [1.0] * 3
    assert deals.approval[:, 2].tolist() == [0.375] * 2
    assert deals.waiting.tolist() == [1.5, 2.0, 1.5]
    assert s.filled.tolist() == [False, True, False] and vacancies.tolist() == [6, 0, 6]
    assert (s.market_out - out_before).tolist() == [1.0, 0.0, 1.0]


def test_judged_on_half_a_year_of_record_against_the_peers_median():
    s = sellers(n=5, tenure=40.0)
    s.tenure[3] = 26.0  # ramped this very week
    s.tenure[4] = 10.0  # not ramped yet
    s.trailing_quota[:] = [100.0, 100.0, 100.0, 100.0, 0.5]
    s.trailing_bookings[:] = [20.0, 100.0, 50.0, 120.0, 0.25]
    levers = lev(ramp_weeks=26, manage_out_rate=0.01, manage_out_below=0.5)
    attainment, ramped, in_review = _judged(s.arrays(), levers, 26)
    assert attainment.tolist() == [0.2, 1.0, 0.5, 1.2, 0.5]  # owed less than 1 k$ counts too
    assert ramped.tolist() == [True, True, True, True, False]
    assert in_review.tolist() == [0]  # below half the median (0.5, the lower median)
    s.trailing_bookings[0] = 25.0  # at the bar exactly: not below it
    assert _judged(s.arrays(), levers, 26)[2].size == 0
    s.trailing_bookings[0] = 20.0
    assert _judged(s.arrays(), levers, 25)[2].size == 0  # too short a record for anyone
    s.tenure[0] = 26.0
    assert _judged(s.arrays(), levers, 26)[2].tolist() == [0]  # half a year in the seat
    assert _judged(s.arrays(), levers._replace(manage_out_rate=0.0), 26)[2].size == 0
    s.tenure[0] = 25.0
    assert _judged(s.arrays(), levers._replace(ramp_weeks=20), 30)[2].size == 0  # too new


def people_setting(n=6):
    s = sellers(n=n, tenure=60.0)
    s.hours[:] = 0.0
    s.hours[SELLING] = 14.0
    s.hours[HOUR["admin"]] = 26.0  # 35% of the week selling: the selling term is zero
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = 100.0 + np.arange(n)
    deals = DealArrays(
        worked=np.ones((3, n)), approval=np.ones((1, n)), handoffs=np.zeros(n), waiting=np.ones(n)
    )
    return s, deals


def a_week_of_people(s, deals, levers, *, week=30, review=False, vacancies=None, skill=None):
    """`people_week` in week 30 of a run 200 weeks old (vacancies 0, skill 0.5 unless given)."""
    n = s.filled.size
    vacancies = np.zeros(n, np.int64) if vacancies is None else vacancies
    skill = np.full(n, 0.5) if skill is None else skill
    return people_week(s.arrays(), deals, levers, (KEY, week), review, 30, 200, vacancies, skill)


def test_morale_moves_a_step_toward_its_target_and_nobody_leaves_without_risk():
    s, deals = people_setting()
    s.morale[:] = 0.25
    s.filled[0] = False
    calm = lev(
        quit_rate=0.0,
        morale_sensitivity=0.0,
        manage_out_rate=0.0,
        morale_pay=0.0,
        fire_bottom_share=0.0,
        morale_coaching=0.0,
        morale_progress=0.0,
    )
    calm = calm._replace(quit_rate=-LIFE_QUIT)  # not even life events
    left, vol, invol, regretted, fired, lost, attainment = a_week_of_people(s, deals, calm)
    step = 0.25 + MORALE_SPEED * (NEUTRAL_MORALE - 0.25)
    assert s.morale[1:] == pytest.approx([step] * 5)
    assert s.morale[0] == 0.25  # an empty seat has no morale to move
    assert (left.size, vol, invol, regretted, fired, lost) == (0, 0, 0, 0, 0, 0.0)
    assert attainment == pytest.approx(1.0 + np.arange(6) / 100)


def test_everyone_quits_at_the_capped_hazard_and_the_best_quarter_are_regretted():
    s, deals = people_setting(n=8)
    wild = lev(
        quit_rate=1e6,
        morale_sensitivity=1.0,
        manage_out_rate=0.0,
        fire_bottom_share=0.0,
        hiring_weeks=4,
        leaver_deal_loss=0.5,
    )
    skill = np.linspace(0.2, 0.9, 8)
    vacancies = np.zeros(8, np.int64)
    left, vol, invol, regretted, fired, lost, _ = a_week_of_people(
        s, deals, wild, vacancies=vacancies, skill=skill
    )
    # a hazard of 0.5 a week: about half leave; the top quarter by skill among them regretted
    assert 1 <= vol <= 7 and left.size == vol and invol == fired == 0
    assert regretted == sum(1 for row in left if skill[row] >= skill[np.argsort(skill)[5]])
    assert lost == pytest.approx(vol * 4.0 * 0.5)
    assert vacancies[left].tolist() == [4] * vol and not s.filled[left].any()


def test_a_review_fires_the_bottom_share_unless_they_are_already_leaving():
    s, deals = people_setting(n=10)
    review = lev(
        **NOBODY_QUITS,
        manage_out_rate=0.0,
        fire_bottom_share=0.2,
        ramp_weeks=26,
    )
    left, vol, invol, _, fired, _, _ = a_week_of_people(s, deals, review, review=True)
    assert left.tolist() == [0, 1] and fired == invol == 2 and vol == 0
    s, deals = people_setting(n=10)
    no_review = a_week_of_people(s, deals, review)
    assert no_review[0].size == 0


def test_performance_management_lets_go_at_its_weekly_rate():
    left_total = 0
    for week in range(200):
        s, deals = people_setting(n=4)
        s.trailing_bookings[:] = [10.0, 100.0, 100.0, 100.0]
        managing = lev(
            **NOBODY_QUITS,
            manage_out_rate=0.1,
            manage_out_below=0.6,
            fire_bottom_share=0.0,
            ramp_weeks=26,
        )
        left, _, invol, *_ = a_week_of_people(s, deals, managing, week=week)
        assert set(left.tolist()) <= {0} and invol == left.size
        left_total += left.size
    assert left_total == pytest.approx(20, abs=10)  # 10% of 200 weeks


# -- hiring --------------------------------------------------------------------------------


def test_managers_interview_for_vacancies_and_onboard_new_hires():
    filled = np.array([True, False, True, True, False, True])
    tenure = np.array([5.0, 0.0, 13.0, 1.0, 0.0, 12.0])
    hours = people_hours(filled, tenure, np.array([0, 0, 1, 1, 2, 0]), 4)
    assert hours.tolist() == [
        2 * ONBOARD_HOURS + INTERVIEW_HOURS,
        ONBOARD_HOURS,
        INTERVIEW_HOURS,
        0,
    ]


def test_a_perfect_interview_hires_the_best_candidate_and_none_hires_blind():
    seats = np.arange(200)
    sharp = hire_talent(KEY, (6, 7), 3, seats, lev(hiring_quality=1.0, talent_sd=0.15))
    blind = hire_talent(KEY, (6, 7), 3, seats, lev(hiring_quality=0.0, talent_sd=0.15))
    assert sharp.shape == (4, 200) and ((sharp >= 0.05) & (sharp <= 0.95)).all()
    assert effective_skill(sharp).mean() > effective_skill(blind).mean() + 0.03
    same = hire_talent(KEY, (6, 7), 3, seats[:5], lev(hiring_quality=0.0, talent_sd=0.15))
    assert same == pytest.approx(blind[:, :5])  # each seat's own stream
    flat = hire_talent(KEY, (6, 7), 3, seats[:3], lev(talent_sd=0.0, talent_mean=0.97))
    assert flat.tolist() == [[0.95] * 3] * 4  # clipped to the talent range


def test_a_new_hire_starts_afresh_in_the_seat():
    s = sellers(n=3)
    s.filled[1] = False
    s.booked[:, 1] = 5.0
    s.owed[:, 1] = 7.0
    s.trailing_bookings[1] = s.trailing_quota[1] = s.progress[1] = s.risk[1] = 3.0
    s.tenure[1] = 80.0
    talent = np.array([[0.1], [0.2], [0.3], [0.4]])
    seat(s.arrays(), np.array([1]), talent)
    assert s.talent[:, 1].tolist() == s.skill[:, 1].tolist() == [0.1, 0.2, 0.3, 0.4]
    assert s.filled[1] and s.tenure[1] == 0.0 and s.morale[1] == pytest.approx(0.65)
    assert not s.booked[:, 1].any() and not s.owed[:, 1].any()
    assert (s.trailing_bookings[1], s.trailing_quota[1], s.progress[1], s.risk[1]) == (0,) * 4
    assert s.talent[:, 0].tolist() == [0.5] * 4  # the others untouched


def test_seats_are_filled_when_their_wait_is_over():
    s = sellers(n=4)
    s.filled[:] = [True, False, False, False]
    vacancies = np.array([0, 0, 2, 1])
    hired = fill_vacancies(s.arrays(), vacancies, LEV, (KEY, 9))
    assert hired.tolist() == [1] and vacancies.tolist() == [0, 0, 1, 0]
    assert s.filled.tolist() == [True, True, False, False]
    assert fill_vacancies(s.arrays(), vacancies, LEV, (KEY, 10)).tolist() == [3]


# -- coaching ------------------------------------------------------------------------------


def test_coaching_hours_are_what_the_pulls_leave_shared_by_the_seated():
    per_seller, per_manager = share_coaching(
        6.0,
        np.array([2.0, 1.0, 0.0]),
        np.array([0, 0, 0, 1, 2]),
        np.array([True, True, False, True, False]),
    )
    assert per_seller.tolist() == [2.0, 2.0, 0.0, 5.0, 0.0]  # manager 1 coaches one seller
    assert per_manager.tolist() == [4.0, 5.0, 0.0]  # manager 2 has nobody seated
    crowded, _ = share_coaching(6.0, np.array([9.0]), np.array([0]), np.array([True]))
    assert crowded.tolist() == [0.0]  # pulls beyond the plan leave no coaching, not less


def test_a_week_of_coaching_and_forgetting_by_hand():
    skill = np.array([[0.5, 0.9], [0.3, 0.8], [0.6, 0.7], [0.4, 0.6]])
    talent = np.full((4, 2), 0.5)
    gain = _coach(skill, talent, np.array([2.0, 0.0]), np.array([0.8, 0.8]), -1, 0.1, 0.05)
    # seat 0 is coached on its weakest component (1, at 0.3): 0.1 x 0.8 x 2 x 0.3 x 0.7
    assert gain == pytest.approx([0.0336, 0.0])
    assert skill[:, 0] == pytest.approx([0.5, 0.3 + 0.01 + 0.0336, 0.595, 0.405])
    assert skill[:, 1] == pytest.approx([0.88, 0.785, 0.69, 0.595])  # decay toward talent
    focused = np.full((4, 1), 0.5)
    _coach(focused, np.full((4, 1), 0.5), np.array([1.0]), np.array([1.0]), 2, 0.2, 0.0)
    assert focused[:, 0] == pytest.approx([0.5, 0.5, 0.55, 0.5])
    high = np.full((4, 1), 0.97)
    _coach(high, np.full((4, 1), 0.97), np.array([50.0]), np.array([1.0]), 0, 1.0, 0.0)
    assert high[0, 0] == 0.98  # skill stays inside its range


# -- initiatives ---------------------------------------------------------------------------


def test_launches_are_drawn_at_the_quarterly_rate_to_a_share_of_the_teams():
    counts, friction, reached, components = 0, 0, 0, []
    for week in range(3000):
        f, c, r = _draw_launches(KEY, week, 13.0, 0.25, 8)  # one a week on average
        counts += f.size
        friction += f.sum()
        reached += r.sum()
        components += c.tolist()
    assert counts == pytest.approx(3000, rel=0.04)
    assert friction / counts == pytest.approx(0.4, abs=0.06)
    assert reached / (counts * 8) == pytest.approx(0.25, abs=0.03)
    assert sorted(set(components)) == [0, 1, 2, 3]


def test_grown_slots_keep_every_initiative_and_free_the_new():
    ini = Initiatives.create(3)
    ini.launched[:] = np.arange(16)
    ini.status[:] = QUEUED
    ini.age[:] = 2
    ini.kind_friction[5] = True
    ini.component[7] = 2
    grown = _grow(ini.arrays)
    assert grown.status.shape == (32, 3) and grown.launched.size == 32
    assert (grown.status[:16] == QUEUED).all() and (grown.status[16:] == NONE).all()
    assert (grown.age[:16] == 2).all() and not grown.age[16:].any()
    assert grown.launched[:16].tolist() == list(range(16)) and (grown.launched[16:] == -1).all()
    assert grown.kind_friction[5] and grown.kind_friction.sum() == 1
    assert grown.component[7] == 2 and grown.component.sum() == 2
    assert grown.admin_relief is ini.admin_relief and grown.counts is ini.counts


def test_follow_up_costs_an_hour_an_active_initiative_at_full_follow_up():
    assert team_follow_up(np.array([0, 2, 3]), 0.5).tolist() == [0.0, FOLLOW_UP_HOURS, 1.5]


def test_launches_take_the_lowest_free_slots_queued_where_they_reach():
    ini = Initiatives.create(2)
    ini.launched[[0, 2]] = [0, 4]  # launched in weeks 0 and 4: both taken
    ini.age[1] = 7
    _launch(
        ini.arrays,
        9,
        np.array([True, False]),
        np.array([1, 3]),
        np.array([[True, False], [False, True]]),
    )
    assert ini.launched[:4].tolist() == [0, 9, 4, 9]
    assert ini.age[1].tolist() == [0, 0]  # a fresh start in the slot
    assert ini.status[1].tolist() == [QUEUED, NONE] and ini.status[3].tolist() == [NONE, QUEUED]
    assert ini.kind_friction[1] and not ini.kind_friction[3]
    assert ini.component[1] == 1 and ini.component[3] == 3


def test_the_launch_order_is_oldest_first_ties_by_slot():
    assert _launch_order(np.array([5, -1, 2, 5, 0, -1, 2])).tolist() == [4, 2, 6, 0, 3]


def test_the_queue_keeps_the_cap_starts_the_oldest_and_drops_the_stale():
    status = np.array([[ACTIVE], [ACTIVE], [QUEUED], [QUEUED], [QUEUED]], dtype=np.int8)
    age = np.array([[5], [1], [4], [1], [0]])
    launched = np.array([0, 3, 1, 2, 4])
    active = _queue(status, age, launched, 1, 4)
    # slot 0 (oldest) stays active; slot 1, over the cap, waits again; slot 2 waited 4 weeks
    assert active.tolist() == [1]
    assert status[:, 0].tolist() == [ACTIVE, QUEUED, DROPPED, QUEUED, QUEUED]
    assert age[:, 0].tolist() == [5, 0, 4, 1, 0]
    status[0, 0] = ABANDONED  # the active one is done: the oldest queued starts
    assert _queue(status, age, launched, 1, 4).tolist() == [1]
    assert status[:, 0].tolist() == [ABANDONED, QUEUED, DROPPED, ACTIVE, QUEUED]
    assert age[3, 0] == 0


def test_an_adopted_tool_cuts_admin_hours_up_to_half_for_the_adopting_teams_only():
    ini = Initiatives.create(2)
    ini.launched[0] = 0
    ini.kind_friction[0] = True
    ini.status[0] = [ACTIVE, NONE]
    ini.admin_relief[:] = [1.8, 0.0]
    sure = lev(
        adopt_rate=50.0,
        follow_up=1.0,
        initiative_hours=1.0,
        admin_hours=4.0,
        initiative_cap=3,
        initiative_weeks=10,
    )
    skill = np.full((4, 2), 0.5)
    empty = (np.zeros(0, bool), np.zeros(0, np.int64), np.zeros((0, 2), bool))
    active, queued, adopted, abandoned, dropped = _week(
        ini.arrays, sure, (KEY, 1), empty, skill, np.array([0, 1]), np.ones(2, bool)
    )
    assert (adopted, abandoned, dropped) == (1, 0, 0)
    assert ini.admin_relief.tolist() == [2.0, 0.0]  # 1.8 + 0.5 capped at half of 4 h
    assert ini.launched[0] == -1 and (ini.status[0] == NONE).all()  # the slot is freed
    assert active.tolist() == queued.tolist() == [0, 0] and (skill == 0.5).all()
    assert ADMIN_CUT == 0.5


def test_an_adopted_method_lifts_the_adopting_teams_seated_sellers():
    ini = Initiatives.create(2)
    ini.launched[0] = 0
    ini.component[0] = 2
    ini.status[0] = [ACTIVE, ACTIVE]
    ini.age[0] = 3
    sure = lev(adopt_rate=50.0, follow_up=1.0, initiative_hours=1.0, initiative_cap=3)
    never = sure._replace(adopt_rate=0.0, initiative_weeks=5)
    skill = np.full((4, 3), 0.5)
    filled = np.array([True, False, True])
    empty = (np.zeros(0, bool), np.zeros(0, np.int64), np.zeros((0, 2), bool))
    ini_never = Initiatives.create(2)
    ini_never.launched[0] = 0
    ini_never.status[0] = [ACTIVE, ACTIVE]
    ini_never.age[0] = [3, 5]
    active, _, adopted, abandoned, _ = _week(
        ini_never.arrays, never, (KEY, 1), empty, skill, np.array([0, 0, 1]), filled
    )
    assert (adopted, abandoned) == (0, 1) and active.tolist() == [1, 0]
    assert ini_never.status[0].tolist() == [ACTIVE, ABANDONED] and ini_never.age[0, 0] == 4
    _week(ini.arrays, sure, (KEY, 1), empty, skill, np.array([0, 0, 1]), filled)
    lifted = 0.5 + SKILL_GAIN * 0.5
    assert skill[2].tolist() == [lifted, 0.5, lifted]  # the empty seat learns nothing
    assert (skill[[0, 1, 3]] == 0.5).all()
    assert ADOPTED == 3


def test_a_week_of_initiatives_counts_what_happened():
    ini = Initiatives.create(4)
    levers = lev(
        initiative_rate=13.0 * 3,
        initiative_reach=1.0,
        initiative_cap=2,
        adopt_rate=0.0,
        initiative_weeks=30,
    )
    totals = []
    for week in range(6):
        ini.arrays, active, _ = initiatives_week(
            ini.arrays, levers, KEY, week, np.full((4, 8), 0.5), np.arange(8) // 2, np.ones(8, bool)
        )
        totals.append(ini.counts.tolist())
        assert (active == 2).all() or week == 0
    launched = totals[-1][0]
    assert launched == pytest.approx(18, abs=9)
    assert (ini.status == QUEUED).sum() == 4 * (launched - 2) - (ini.status == DROPPED).sum()
    quiet = Levers(initiative_rate=0.0, adopt_rate=0.0, initiative_cap=2, initiative_weeks=30)
    out = step_initiatives(
        ini,
        levers=quiet,
        key=KEY,
        week=7,
        skill=np.full((4, 8), 0.5),
        manager_of=np.arange(8) // 2,
        filled=np.ones(8, bool),
    )
    assert (out["launched"], out["adopted"], out["abandoned"]) == (0, 0, 0)  # this week's
    assert out["active"].tolist() == [2] * 4
    assert out["queued"].tolist() == ini.queued().tolist()


def test_a_remapped_team_carries_on_from_its_source():
    ini = Initiatives.create(3)
    ini.status[0] = [QUEUED, ACTIVE, NONE]
    ini.age[0] = [1, 2, 3]
    ini.admin_relief[:] = [0.5, 1.0, 1.5]
    ini.remap_teams(np.array([1, 1, 0, 2]))
    assert ini.status[0].tolist() == [ACTIVE, ACTIVE, QUEUED, NONE]
    assert ini.age[0].tolist() == [2, 2, 1, 3]
    assert ini.admin_relief.tolist() == [1.0, 1.0, 0.5, 1.5]


# -- the week ------------------------------------------------------------------------------


def test_a_new_fiscal_year_sets_quotas_from_the_plan_or_the_fixed_quota():
    s = sellers(n=3)
    s.territory[:] = [1.0, 0.5, 2.0]
    record = Record(np.zeros((52, 3)), np.zeros(52), np.array([1400.0, 2.0]))
    set_quotas(s.arrays(), record, lev(plan_quota=True, quota_growth=0.1, quota=999.0))
    assert s.quota == pytest.approx([770.0, 385.0, 1540.0])  # 700 a seat-year, +10%
    assert record.fiscal.tolist() == [0.0, 0.0]  # the new year starts its record
    set_quotas(s.arrays(), record, lev(plan_quota=True, quota=650.0))  # no record yet
    assert s.quota.tolist() == [650.0] * 3
    record.fiscal[:] = [0.0, 2.0]  # a year of seats and no bookings: no plan to grow from
    set_quotas(s.arrays(), record, lev(plan_quota=True, quota=640.0))
    assert s.quota.tolist() == [640.0] * 3
    record.fiscal[:] = [500.0, 0.0]  # bookings and no seat-years: never a division by zero
    set_quotas(s.arrays(), record, lev(plan_quota=True, quota=630.0))
    assert s.quota.tolist() == [630.0] * 3
    record.fiscal[:] = [0.5, 0.5]  # small numbers are a plan all the same
    set_quotas(s.arrays(), record, lev(plan_quota=True, quota_growth=0.0))
    assert s.quota == pytest.approx([1.0, 0.5, 2.0])
    record.fiscal[:] = [1400.0, 2.0]
    set_quotas(s.arrays(), record, lev(plan_quota=False, quota=600.0))
    assert s.quota.tolist() == [600.0] * 3


def test_the_week_wires_each_mechanism_to_the_next():
    model = sim.SalesOrgModel(
        n_sellers=24,
        span_of_control=6,
        warmup_weeks=0,
        weeks=30,
        seed=5,
        hiring_weeks=2,
        quit_rate=0.4,
        admin_hours=9.0,
    )
    lev_ = model.levers
    for _ in range(12):
        s = model.sellers
        before = dict(
            tenure=s.tenure.copy(),
            filled=s.filled.copy(),
            active=model.team_active_initiatives.copy(),
            relief=model.initiatives.admin_relief.copy(),
            fiscal=model.fiscal.copy(),
            vacancies=model.people.vacancy_left.copy(),
            progress=s.progress.copy(),
            skill=s.skill.copy(),
        )
        model.step()
        slot = (model.clock - 1) % 52
        team = model.org.manager_of
        hired = ~before["filled"] & (before["vacancies"] <= 0)
        stayed = before["filled"] & s.filled
        assert (s.tenure[hired & s.filled] == 1).all()
        assert (s.tenure[stayed] == before["tenure"][stayed] + 1).all()
        worked = s.hours.sum(axis=0)
        on = s.hours.any(axis=0)
        assert worked[on] == pytest.approx(lev_.work_hours + s.overtime[on])
        assert s.hours[HOUR["initiatives"], on] == pytest.approx(
            before["active"][team][on] * lev_.initiative_hours
        )
        assert s.hours[HOUR["admin"], on] == pytest.approx(
            np.maximum(lev_.admin_hours - before["relief"][team][on], 0)
        )
        assert s.coached == pytest.approx(
            s.hours[HOUR["coaching"]] * model.manager_quality[team] * on
        )
        assert s.trailing_bookings == pytest.approx(s.booked.sum(axis=0))
        assert s.booked[slot] == pytest.approx(s.bookings_week)
        rate = ramp(before["tenure"], lev_.ramp_weeks)
        assert s.owed[slot][stayed] == pytest.approx(s.quota[stayed] / 52 * rate[stayed])
        assert model.fiscal[0] == pytest.approx(before["fiscal"][0] + s.bookings_week.sum())
        assert model.headcount_history[slot] == model.metrics["headcount"]
        voluntary, involuntary, regretted = model.leavers[slot]
        seated = before["filled"] | hired  # after the week's hires
        assert voluntary + involuntary == (seated & ~s.filled).sum()
        assert 0 <= regretted <= voluntary
        # coaching is what following up and hiring leave of the plan, shared in the team
        start_tenure = np.where(hired, 0.0, before["tenure"])
        pulls = team_follow_up(before["active"], lev_.follow_up) + people_hours(
            seated, start_tenure, team, model.org.n_managers
        )
        coaching, _ = share_coaching(lev_.manager_hours * lev_.coaching_share, pulls, team, seated)
        assert s.hours[HOUR["coaching"]] == pytest.approx(coaching)
        # the fiscal year's ramped seat-years, weighted by territory
        weight = ramp(start_tenure, lev_.ramp_weeks) * seated
        assert model.fiscal[1] == pytest.approx(
            before["fiscal"][1] + (weight * s.territory).sum() / 52
        )
        # progress: this week's gain (on closing, the baseline's one size) less a thirteenth
        closing = before["skill"][3, stayed]
        gain = (
            lev_.learn_rate
            * model.manager_quality[team][stayed]
            * coaching[stayed]
            * closing
            * (1 - closing)
        )
        assert s.progress[stayed] == pytest.approx(before["progress"][stayed] * (1 - 1 / 13) + gain)
        assert np.isfinite(s.progress).all()  # empty seats too
        # the trailing rates over the weeks seen so far
        window = min(model.clock, 52)
        heads = model.headcount_history[:window].mean()
        assert model.metrics["voluntary_attrition_rate"] == pytest.approx(
            model.leavers[:, 0].sum() * 52 / window / heads
        )
    assert model.leavers[:, 0].sum() > 0  # people did quit


def test_progress_is_the_coaching_gain_of_about_the_last_quarter():
    model = sim.SalesOrgModel(n_sellers=12, warmup_weeks=0, weeks=40, seed=2)
    for _ in range(26):
        model.step()
    progress = model.sellers.progress
    assert (progress >= 0).all() and progress.max() > 0
    before = progress.copy()
    model.levers = model.levers.model_copy(update={"coaching_share": 0.0})
    model.step()  # no coaching this week: progress fades by a thirteenth
    kept = model.sellers.filled
    assert model.sellers.progress[kept] == pytest.approx(before[kept] * (1 - 1 / 13))


def test_the_kernels_levers_are_the_scenarios_with_what_follows_from_them():
    one_size = Levers(coaching_focus="one_size", focus_component="closing")
    assert WeekLevers.of(Levers(coaching_focus="one_thing")).coaching_focus == -1
    assert WeekLevers.of(one_size).coaching_focus == 3
    assert WeekLevers.of(Levers(quota_policy="plan")).plan_quota
    assert not WeekLevers.of(Levers(quota_policy="fixed")).plan_quota
    levers = Levers(deal_size=80.0, deal_size_sigma=0.6, selling_floor=35.0, work_hours=30.0)
    week = WeekLevers.of(levers)
    assert math.exp(week.size_mu + 0.6**2 / 2) == pytest.approx(80.0)  # the mean deal
    assert week.selling_floor == 30.0  # never above the week
    assert week.planned_coaching == pytest.approx(levers.manager_hours * levers.coaching_share)
    assert week.desk_capacity == pytest.approx(
        levers.n_sellers / levers.sellers_per_approver * levers.approver_hours / levers.review_hours
    )
    assert week.seller_week_cost == pytest.approx(levers.seller_base_cost / 52)
    assert isinstance(week.initiative_cap, int) and isinstance(week.quota, float)


def test_open_deals_of_some_seats_only():
    p = Pipeline.create(3, 2, np.array([1.0, 2.0, 4.0]))
    everyone = p.open_deals()
    assert p.open_deals(np.array([2, 0])).tolist() == [everyone[2], everyone[0]]
    assert everyone == pytest.approx(np.array([1.0, 2.0, 4.0]) * (1.5 + 1.5 + 1.0 + 0.8))


def test_one_step_of_people_reports_each_kind_of_leaver_and_the_attainment():
    s, _ = people_setting(n=10)
    pipeline = Pipeline.create(10, 1)
    people = People.create(10)
    levers = Levers(
        n_sellers=10,
        fire_bottom_share=0.2,
        fire_start_week=4,
        fire_every_weeks=52,
        ramp_weeks=26,
        manage_out_rate=0.0,
        quit_rate=0.0,
    )
    out = step_people(people, s, pipeline, levers=levers, key=KEY, run_week=4, weeks_recorded=300)
    assert out["fired"] == 2 and out["involuntary"] == 2
    assert {0, 1} <= set(out["left"].tolist())  # the bottom two
    assert out["voluntary"] == out["left"].size - 2 and out["regretted"] <= out["voluntary"]
    assert out["attainment"] == pytest.approx(1.0 + np.arange(10) / 100)
    assert out["deals_lost"] == pytest.approx(out["left"].size * 4.4 * levers.leaver_deal_loss)
    assert (people.vacancy_left[out["left"]] == levers.hiring_weeks).all()
    due_now = levers.model_copy(update={"fire_start_week": 0})  # a review due at week 0
    quiet = step_people(
        People.create(10),
        *people_setting(n=10)[:1],
        Pipeline.create(10, 1),
        levers=due_now,
        key=KEY,
        run_week=0,
        weeks_recorded=300,
    )
    assert quiet["fired"] == 0  # but none during the warm-up


def test_ties_in_the_weakest_component_go_to_the_first():
    skill = np.array([[0.3], [0.3], [0.5], [0.5]])
    _coach(skill, skill.copy(), np.array([1.0]), np.array([1.0]), -1, 0.1, 0.0)
    assert skill[:, 0] == pytest.approx([0.3 + 0.1 * 0.21, 0.3, 0.5, 0.5])


def test_a_lone_seller_is_their_own_mean():
    z = _skill_z(np.array([0.7, 0.2]), np.array([True, False]))
    assert z[0] == 0.0 and z[1] == pytest.approx(-0.5 / 1e-3)


def test_firing_and_its_risk_break_ties_by_seat_however_many_are_tied():
    n = 60  # three levels of attainment, many tied at each
    attainment = np.random.default_rng(0).choice([0.5, 0.8, 1.0], n)
    by_rank = sorted(range(n), key=lambda seat: (attainment[seat], seat))
    filled, tenure = np.ones(n, bool), np.full(n, 60.0)
    levers = lev(
        fire_bottom_share=0.25,
        ramp_weeks=26,
        rank_uncertainty=0.0,
        fire_start_week=10,
        fire_every_weeks=52,
        manage_out_rate=0.0,
    )
    fired = _choose_fired(attainment, filled, tenure, levers)
    assert fired.tolist() == by_rank[:15]  # in rank order, ties by seat
    s = sellers(n=n)
    risk = _exit_risk(s.arrays(), levers, attainment, filled, np.zeros(0, np.int64), 5)
    assert np.flatnonzero(risk).tolist() == sorted(by_rank[:15])


def test_exit_risk_counts_a_review_up_to_a_year_away_and_a_lone_ramped_seller():
    s = sellers(n=4)
    attainment = np.array([0.3, 0.9, 0.6, 1.2])
    ramped = np.ones(4, bool)
    none = np.zeros(0, np.int64)
    policy = lev(
        fire_bottom_share=0.25,
        rank_uncertainty=0.0,
        fire_start_week=57,
        fire_every_weeks=52,
        manage_out_rate=0.0,
    )
    assert _exit_risk(s.arrays(), policy, attainment, ramped, none, 5)[0] == 1.0  # 52 weeks
    assert _exit_risk(s.arrays(), policy, attainment, ramped, none, 4)[0] == 0.0  # 53 weeks
    alone = np.array([False, False, True, False])
    most = policy._replace(fire_bottom_share=0.6)  # a rank of 1/2 against a bottom 60%
    assert _exit_risk(s.arrays(), most, attainment, alone, none, 5).tolist() == [0, 0, 1, 0]
    # the bottom share exactly at a seller's rank (1/8): not in it when the rank is certain
    edge = policy._replace(fire_bottom_share=0.125)
    assert _exit_risk(s.arrays(), edge, attainment, ramped, none, 5).tolist() == [0.0] * 4


def test_pay_against_the_offer_moves_morale_for_those_owed_a_quota_only():
    s, deals = people_setting(n=3)
    s.trailing_quota[:] = [0.5, 0.0, 100.0]  # a new hire (seat 1) owes nothing yet
    s.trailing_bookings[:] = [0.1, 0.0, 100.0]
    s.morale[:] = NEUTRAL_MORALE
    skill = np.array([0.5, 0.5, 0.5])  # z = 0: the offer is on-target pay plus the premium
    levers = lev(
        **NOBODY_QUITS,
        manage_out_rate=0.0,
        fire_bottom_share=0.0,
        morale_pay=0.4,
        base_share=0.5,
        offer_premium=0.25,
        morale_coaching=0.0,
        morale_progress=0.0,
        morale_risk=0.0,
    )
    a_week_of_people(s, deals, levers, skill=skill)
    low_pay = 0.5 + 0.5 * 0.2  # 20% of a quota of 0.5
    expected = [
        NEUTRAL_MORALE + MORALE_SPEED * 0.4 * (low_pay / 1.25 - 1.0),
        NEUTRAL_MORALE + MORALE_SPEED * 0.4 * (1.0 / 1.25 - 1.0),  # paid as at quota
        NEUTRAL_MORALE + MORALE_SPEED * 0.4 * (1.0 / 1.25 - 1.0),
    ]
    assert s.morale == pytest.approx(expected)


def test_people_week_sees_each_sellers_risk_and_counts_everyone_managed_out():
    s, deals = people_setting(n=6)
    s.trailing_bookings[:] = [10.0, 15.0, 100.0, 100.0, 110.0, 120.0]
    levers = lev(
        **NOBODY_QUITS,
        manage_out_rate=1.0,
        manage_out_below=0.6,
        fire_bottom_share=0.0,
        ramp_weeks=26,
    )
    left, vol, invol, *_ = a_week_of_people(s, deals, levers)
    assert left.tolist() == [0, 1] and invol == 2 and vol == 0
    s, deals = people_setting(n=6)
    firing = lev(
        **NOBODY_QUITS,
        manage_out_rate=0.0,
        fire_bottom_share=0.2,
        rank_uncertainty=0.0,
        fire_start_week=40,
        fire_every_weeks=52,
        ramp_weeks=26,
    )
    a_week_of_people(s, deals, firing)
    assert s.risk.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]  # the lowest of six, 10 weeks out


def test_a_review_in_the_run_fires_the_bottom_share_and_is_seen_coming():
    model = sim.SalesOrgModel(
        n_sellers=30,
        warmup_weeks=40,
        weeks=12,
        seed=3,
        fire_bottom_share=0.2,
        fire_start_week=6,
        fire_every_weeks=52,
    )
    risk, fired = [], []
    while model.running:
        model.step()
        risk.append(model.metrics["mean_exit_risk"])
        fired.append(model.metrics["fired"])
    assert fired[5] >= 4 and sum(fired) == fired[5]  # at week 6 only
    assert min(risk[:5]) > 0.1  # everyone weighs their chance of being in the bottom fifth


def seats(n, hops, worked=(1.5, 1.5, 1.0), desk=0.4):
    deals = DealArrays(
        worked=np.repeat(np.array(worked, dtype=float)[:, None], n, axis=1),
        approval=np.full((hops, n), desk),
        handoffs=np.zeros(n),
        waiting=np.zeros(n),
    )
    return deals, np.full((4, n), 0.5)


def week_of_many(deals, levers, skills, *, selling, ramp=1.0, presales_of=None, n_presales=1):
    n = selling.size
    presales_of = np.zeros(n, np.int64) if presales_of is None else presales_of
    m_in, m_out = np.full(n, 10.0), np.full(n, 50.0)
    return pipeline_week(
        deals,
        (m_in, m_out),
        levers,
        (KEY, 3),
        selling,
        skills,
        np.full(n, ramp),
        np.ones(n, bool),
        (np.ones(n), presales_of, n_presales),
    )


def test_two_desks_in_a_row_by_hand():
    levers = lev(**QUIET)
    deals, skills = seats(1, 2)
    flows = week_of_many(deals, levers, skills, selling=np.array([40.0]))
    shares = [1 - math.exp(-0.38 / 0.38)] * 2  # each desk: capacity 0.38, queue 0.38
    passed0 = 0.4 * 0.95 * shares[0]
    passed1 = 0.4 * 0.95 * shares[1]
    assert deals.approval[:, 0] == pytest.approx([0.38 - passed0 + 0.525, 0.38 - passed1 + passed0])
    assert deals.handoffs[0] == pytest.approx(0.675 + 0.525 + passed0)  # each hop is a hand-off
    assert deals.waiting[0] == pytest.approx(deals.approval[:, 0].sum())
    assert flows[9] == pytest.approx(2 / shares[0])  # a week and more at each desk
    assert flows[6] == pytest.approx([0.02, 0.02])  # each desk loses 5% of its waiting


def test_presales_wait_and_use_are_summed_over_sellers_and_engineers():
    levers = lev(**{**QUIET, "specialist_hours": 2.0, "presales_hours": 1.0})
    deals, skills = seats(3, 0)
    deals.worked[1] = [1.0, 3.0, 0.5]
    flows = week_of_many(
        deals,
        levers,
        skills,
        selling=np.full(3, 40.0),
        presales_of=np.array([0, 0, 1]),
        n_presales=2,
    )
    served = np.array([1 - math.exp(-2 / 4), 1 - math.exp(-2 / 4), 1 - math.exp(-2 / 0.5)])
    solution = deals.worked[1]
    assert flows[9] == pytest.approx((solution * (1 / served - 1)).sum() / solution.sum())
    assert flows[8] == pytest.approx((2.0 + 0.5) / (2.0 * 2))  # engineer 0 is fully used


def test_an_empty_pipeline_waits_for_nothing_and_reports_no_desk_flow():
    levers = lev(**QUIET)
    deals, skills = seats(2, 0, worked=(0.0, 0.0, 0.0))
    flows = week_of_many(deals, levers, skills, selling=np.full(2, 40.0))
    assert flows[9] == 0.0 and flows[5] == 0.0 and flows[-1] == 0.0
    busy, skills = seats(1, 0)
    flows = week_of_many(busy, levers, skills, selling=np.array([40.0]))
    assert flows[5] == 0.0  # with no desks nothing enters approval, though solution advances


def test_a_sliver_of_selling_time_slows_even_a_small_pipeline():
    levers = lev(**{**QUIET, "deal_hours": 2.0})
    deals, skills = seats(1, 0, worked=(0.0, 0.0, 0.4))  # 0.8 hours of work
    flows = week_of_many(deals, levers, skills, selling=np.array([0.4]))
    assert flows[-1] == pytest.approx(0.30 * (0.3 / 0.8) * 0.4)  # 0.3 of the 0.8 hours


def test_losses_never_take_more_than_the_advance_leaves():
    levers = lev(**{**QUIET, "specialist_hours": 1e-9, "wait_loss": 1.0})
    deals, skills = seats(1, 0)
    week_of_many(deals, levers, skills, selling=np.array([40.0]))
    assert deals.worked[1, 0] == pytest.approx(0.675)  # all of solution lost, qualify's come in
    assert (deals.worked >= 0).all()


def test_wins_add_up_every_deal_size_and_prospecting_scales_with_ramp():
    levers = lev(**{**QUIET, "deal_size_sigma": 0.3, "size_mu": math.log(50.0) - 0.045})
    deals, skills = seats(400, 0, worked=(0.0, 0.0, 10.0))
    flows = week_of_many(deals, levers, skills, selling=np.full(400, 40.0))
    wins, bookings = flows[1], flows[3]
    assert wins.max() >= 2
    assert bookings.sum() / wins.sum() == pytest.approx(50.0, rel=0.05)
    ramped = lev(**{**QUIET, "prospect_rate": 0.1})
    new = []
    for r in (1.0, 0.5):
        deals, skills = seats(1, 0)
        m_in, m_out = np.array([1e6]), np.array([0.0])
        out = pipeline_week(
            deals,
            (m_in, m_out),
            ramped,
            (KEY, 3),
            np.array([40.0]),
            skills,
            np.array([r]),
            np.array([True]),
            (np.ones(1), np.zeros(1, np.int64), 1),
        )
        new.append(out[0][0])
    # prospecting hours: 40 less the 8 of deal work at ramp 1; at ramp 0.5 the same hours
    assert new[1] / new[0] == pytest.approx(
        (1 - math.exp(-32 * 0.1 * 0.5)) / (1 - math.exp(-32 * 0.1)), rel=0.02
    )


def test_the_queue_starts_an_older_queued_one_whatever_comes_last():
    status = np.array([[QUEUED], [ACTIVE]], dtype=np.int8)
    age = np.array([[1], [2]])
    launched = np.array([0, 5])  # the queued is older; the last looked at is active
    _queue(status, age, launched, 2, 10)
    assert status[:, 0].tolist() == [ACTIVE, ACTIVE]


def test_each_adoption_lifts_only_its_own_teams_even_after_a_free_slot():
    ini = Initiatives.create(2)
    ini.launched[[1, 2]] = [0, 1]  # slot 0 is free
    ini.component[[1, 2]] = [1, 2]
    ini.status[1] = [ACTIVE, NONE]
    ini.status[2] = [NONE, ACTIVE]
    sure = lev(adopt_rate=50.0, follow_up=1.0, initiative_hours=1.0, initiative_cap=3)
    skill = np.full((4, 2), 0.5)
    empty = (np.zeros(0, bool), np.zeros(0, np.int64), np.zeros((0, 2), bool))
    _, _, adopted, _, _ = _week(
        ini.arrays, sure, (KEY, 1), empty, skill, np.array([0, 1]), np.ones(2, bool)
    )
    lifted = 0.5 + SKILL_GAIN * 0.5
    assert adopted == 2
    assert skill[:, 0].tolist() == [0.5, lifted, 0.5, 0.5]  # team 0 adopted slot 1 only
    assert skill[:, 1].tolist() == [0.5, 0.5, lifted, 0.5]  # team 1 adopted slot 2 only


def test_a_start_fades_even_within_a_week():
    quick = lev(follow_up=0.0, adopt_rate=0.03, initiative_hours=2.0, fade_weeks=0.5)
    assert adoption_chance(quick, 0.0) == pytest.approx(1 - math.exp(-0.06))
    assert adoption_chance(quick, 1.0) == pytest.approx(1 - math.exp(-0.06 * math.exp(-2)))


def first_week_with(launches, rate=13.0):
    for week in range(1000):
        if _draw_launches(KEY, week, rate, 1.0, 2)[0].size == launches:
            return week
    raise AssertionError("no such week")


def test_slots_grow_only_when_the_launches_outnumber_the_free_slots():
    week = first_week_with(1)
    levers = lev(
        initiative_rate=13.0,
        initiative_reach=1.0,
        initiative_cap=1,
        adopt_rate=0.0,
        initiative_weeks=30,
    )
    args = (levers, KEY, week, np.full((4, 2), 0.5), np.arange(2), np.ones(2, bool))
    full = Initiatives.create(2)
    full.launched[:] = 0
    full.status[:] = QUEUED
    full.arrays, *_ = initiatives_week(full.arrays, *args)
    assert full.slots == 32 and (full.launched >= 0).sum() == 17
    one_free = Initiatives.create(2)
    one_free.launched[:15] = 0
    one_free.status[:15] = QUEUED
    one_free.arrays, *_ = initiatives_week(one_free.arrays, *args)
    assert one_free.slots == 16 and (one_free.launched >= 0).all()


def test_dropped_initiatives_add_to_the_running_count():
    ini = Initiatives.create(1)
    ini.counts[:] = [9, 1, 2, 5]
    ini.launched[0] = 0
    ini.status[0] = QUEUED
    ini.age[0] = 3
    ini.launched[1] = 1
    ini.status[1] = ACTIVE  # holds the only place: the queued one waits out its weeks
    levers = lev(initiative_rate=0.0, initiative_cap=1, initiative_weeks=3, adopt_rate=0.0)
    ini.arrays, *_ = initiatives_week(
        ini.arrays, levers, KEY, 4, np.full((4, 1), 0.5), np.zeros(1, np.int64), np.ones(1, bool)
    )
    assert ini.counts.tolist() == [9, 1, 2, 6]


def test_no_focus_time_left_means_no_switching_loss():
    levers = lev(
        work_hours=20.0, admin_hours=12.0, meeting_hours=8.0, switching_cost=0.34, selling_floor=2.0
    )
    hours, _ = allocate_one(levers, initiatives=3)
    assert hours["switching"] == 0.0


def test_a_perfect_interview_takes_the_best_of_three_and_a_fair_one_does_better_than_chance():
    seats = np.arange(400)
    sharp = hire_talent(KEY, (HIRE_TALENT, HIRE_NOISE), 2, seats, lev(hiring_quality=1.0))

    def candidate(row, c):  # the seat's own draws: candidate c's component k is c * 4 + k
        drawn = [
            normal(KEY, HIRE_TALENT, 2, row, c * 4 + k, LEV.talent_mean, LEV.talent_sd)
            for k in range(4)
        ]
        return np.clip(drawn, 0.05, 0.95)

    for row in seats[:25]:
        candidates = [candidate(row, c) for c in range(3)]
        best = max(candidates, key=lambda t: effective_skill(t[:, None])[0])
        assert sharp[:, row] == pytest.approx(best)
    blind = hire_talent(KEY, (HIRE_TALENT, HIRE_NOISE), 2, seats, lev(hiring_quality=0.0))
    fair = hire_talent(KEY, (HIRE_TALENT, HIRE_NOISE), 2, seats, lev(hiring_quality=0.5))
    skill = {
        name: effective_skill(t).mean()
        for name, t in (("sharp", sharp), ("fair", fair), ("blind", blind))
    }
    assert skill["blind"] + 0.01 < skill["fair"] < skill["sharp"] - 0.005


def test_losses_never_take_more_than_the_advance_leaves_when_a_few_are_served():
    served = 0.03  # presales reach 3% of the solution deals; those not reached are all lost
    hours = -1.5 * math.log(1 - served)
    levers = lev(**{**QUIET, "specialist_hours": hours, "wait_loss": 1.0})
    deals, skills = seats(1, 0)
    flows = week_of_many(deals, levers, skills, selling=np.array([40.0]))
    assert deals.worked[1, 0] == pytest.approx(0.675)  # only qualify's come in; none left
    few, skills = seats(1, 0, worked=(0.0, 0.5, 0.0))
    flows = week_of_many(
        few, lev(**{**QUIET, "specialist_hours": 0.2}), skills, selling=np.array([40.0])
    )
    share = 1 - math.exp(-0.2 / 0.5)
    assert flows[9] == pytest.approx(1 / share - 1)  # less than one deal waits all the same


def test_one_step_of_people_manages_out_on_half_a_year_of_record():
    s, _ = people_setting(n=6)
    s.trailing_bookings[:] = [10.0, 100.0, 100.0, 100.0, 110.0, 120.0]
    levers = Levers(
        n_sellers=6,
        fire_bottom_share=0.0,
        manage_out_rate=1.0,
        manage_out_below=0.6,
        quit_rate=0.0,
        ramp_weeks=26,
    )
    out = step_people(
        People.create(6),
        s,
        Pipeline.create(6, 1),
        levers=levers,
        key=KEY,
        run_week=30,
        weeks_recorded=300,
    )
    assert 0 in out["left"].tolist() and out["involuntary"] == 1 and out["fired"] == 0
