"""People: morale, quitting, managing out, firing, vacancies, hiring and ramp."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.model.draws import run_key
from sim.model.mechanics.hiring import hire, manager_people_hours, start_hires
from sim.model.mechanics.people import (
    LIFE_QUIT,
    NEUTRAL_MORALE,
    People,
    _at_or_above_quantile,
    _exit_risk,
    _judged,
    _quantile,
    choose_fired,
    fire_due,
    morale_target,
    pay_and_offer,
    quit_hazard,
    step_people,
)
from sim.model.mechanics.pipeline import Pipeline
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import SellerState, effective_skill
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run

KEY = run_key(11)


def state(levers, tenure=100.0):
    n = levers.n_sellers
    talent = np.full((4, n), 0.5)
    return SellerState.create(levers, talent, np.full(n, tenure), np.ones(n))


def target(levers=None, **situation):
    situation.setdefault("selling_share", 0.35)
    return morale_target(levers or Levers(), **situation)


def test_morale_target_moves_with_what_the_seller_lives_through():
    neutral = target()
    assert neutral == pytest.approx(NEUTRAL_MORALE)
    assert target(selling_share=0.5) > neutral > target(selling_share=0.15)
    assert target(pay_ratio=1.2) > neutral > target(pay_ratio=0.8)
    assert target(coached=0.5) > neutral and target(progress=0.02) > neutral
    assert target(overtime=5.0) < neutral and target(risk=0.5) < neutral


@pytest.mark.parametrize(
    ("lever", "situation"),
    [
        ("morale_pay", {"pay_ratio": 0.7}),
        ("morale_selling", {"selling_share": 0.1}),
        ("morale_overtime", {"overtime": 6.0}),
        ("morale_coaching", {"coached": 1.0}),
        ("morale_progress", {"progress": 0.05}),
        ("morale_risk", {"risk": 0.9}),
    ],
)
def test_every_morale_term_has_a_zero_that_switches_it_off(lever, situation):
    assert target(**situation) != pytest.approx(NEUTRAL_MORALE)
    assert target(Levers(**{lever: 0.0}), **situation) == pytest.approx(NEUTRAL_MORALE)


def test_pay_is_base_plus_commission_and_the_able_get_better_offers():
    lev = WeekLevers.of(Levers(base_share=0.5, offer_premium=0.1, offer_skill_slope=0.15))
    assert pay_and_offer(1.0, 0.0, lev) == pytest.approx((1.0, 1.1))
    assert pay_and_offer(0.4, 0.0, lev)[0] == pytest.approx(0.7)
    assert pay_and_offer(1.6, 2.0, lev) == pytest.approx((1.3, 1.4))
    assert pay_and_offer(9.0, 0.0, lev)[0] == pytest.approx(2.0)  # commission capped at 3x


def test_quitting_rises_as_morale_falls():
    levers = Levers(quit_rate=0.1, morale_sensitivity=3.5)
    neutral = quit_hazard(levers, np.full(3, NEUTRAL_MORALE))
    assert np.allclose(neutral, (LIFE_QUIT + 0.1) / 52)
    assert (quit_hazard(levers, np.full(3, 0.25)) > neutral).all()
    assert (quit_hazard(levers, np.full(3, 0.85)) < neutral).all()
    assert np.allclose(
        quit_hazard(Levers(morale_sensitivity=0.0), np.array([0.1, 0.9])), (LIFE_QUIT + 0.08) / 52
    )


def exit_risk(run_week, **levers):
    lev = Levers(n_sellers=20, ramp_weeks=20, **levers)
    s = state(lev)
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = np.arange(20) * 10.0  # seat 0 lowest, seat 19 highest
    week_levers = WeekLevers.of(lev)
    attainment, ramped, in_review = _judged(s.arrays(), week_levers, 100)
    return _exit_risk(s.arrays(), week_levers, attainment, ramped, in_review, run_week)


def test_each_seller_sees_their_own_risk_from_their_rank_and_the_policy():
    policy = dict(
        fire_bottom_share=0.1, fire_start_week=26, fire_every_weeks=52, manage_out_rate=0.0
    )
    far = exit_risk(0, **policy)  # the review is half a year away
    near = exit_risk(25, **policy)  # next week
    assert far[0] > 0.5 and far[19] < 1e-3 and np.all(np.diff(far) <= 1e-12)
    assert near[0] > far[0] and near[5] < far[5]  # the nearer, the surer
    assert near[0] == pytest.approx(1.0, abs=0.01) and near[19] < 1e-12
    assert (exit_risk(0, **{**policy, "fire_bottom_share": 0.0}) == 0.0).all()
    # being managed out is a risk too: the lowest, far below the median, are in review
    managed = exit_risk(0, fire_bottom_share=0.0, manage_out_rate=0.015, manage_out_below=0.6)
    assert managed[0] == pytest.approx(1 - 0.985**52) and managed[19] == 0.0


def test_firing_takes_the_bottom_share_of_ramped_sellers_only():
    levers = Levers(n_sellers=11, fire_bottom_share=0.2, ramp_weeks=20)
    s = state(levers)
    s.tenure[0] = 5.0  # not ramped: protected, however low
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = [0, 90, 10, 50, 70, 30, 120, 80, 60, 100, 95]
    assert sorted(choose_fired(levers, s).tolist()) == [2, 5]  # 20% of the ten ramped


def test_firing_reviews_follow_the_schedule():
    levers = Levers(fire_bottom_share=0.1, fire_every_weeks=26, fire_start_week=52)
    assert [w for w in range(200) if fire_due(levers, w)] == [52, 78, 104, 130, 156, 182]
    assert not any(fire_due(Levers(fire_bottom_share=0.0), w) for w in range(200))


def test_better_interviews_hire_better_sellers():
    seats = np.arange(4000)
    blind = effective_skill(hire(Levers(hiring_quality=0.0), KEY, 5, seats)).mean()
    sharp = effective_skill(hire(Levers(hiring_quality=1.0), KEY, 5, seats)).mean()
    assert sharp > blind + 0.03


def test_hires_are_drawn_from_the_talent_pool_with_its_mean_and_spread():
    seats = np.arange(4000)
    pool = Levers(talent_mean=0.4, talent_sd=0.1, hiring_quality=0.0)  # interviews see nothing
    blind = hire(pool, KEY, 5, seats)
    assert blind.shape == (4, 4000)
    assert blind.mean(axis=1) == pytest.approx([0.4] * 4, abs=0.006)
    assert blind.std(axis=1) == pytest.approx([0.1] * 4, rel=0.05)
    even = hire(Levers(talent_mean=0.3, talent_sd=0.0), KEY, 5, seats[:10])
    assert (even == 0.3).all()  # no spread: every hire is the pool's mean, whatever it is
    wide = hire(Levers(talent_mean=0.5, talent_sd=0.5), KEY, 5, seats)
    assert wide.min() == 0.05 and wide.max() == 0.95  # nobody hired with no skill, or all of it
    assert 0.04 < (wide == 0.05).mean() < 0.5


def test_a_hire_draws_from_the_seats_own_stream():
    levers = Levers()
    both = hire(levers, KEY, 9, np.array([3, 7]))
    alone = hire(levers, KEY, 9, np.array([7]))
    assert np.array_equal(both[:, 1], alone[:, 0])  # seat 7's hire, whoever else is hired
    assert not np.array_equal(hire(levers, KEY, 10, np.array([7])), alone)


def make_org(n=16, **levers):
    lev = Levers(n_sellers=n, **levers)
    return lev, state(lev, 200.0), Pipeline.create(n, lev.approval_steps), People.create(n)


def rank_by_seat(s):
    """Trailing attainment 0%, 10%, ..., 150% by seat: the lowest seats are the bottom."""
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = np.arange(s.n) * 10.0


def one_week(lev, s, pipeline, people, seed=0, run_week=1):
    return step_people(
        people,
        s,
        pipeline,
        levers=lev,
        key=run_key(seed),
        run_week=run_week,
        weeks_recorded=100 + run_week,
    )


def test_a_leaver_empties_the_seat_for_hiring_weeks_then_a_new_hire_ramps():
    lev, s, pipeline, people = make_org(
        hiring_weeks=4,
        quit_rate=0.0,
        manage_out_rate=0.0,
        fire_bottom_share=0.25,
        fire_start_week=1,
        fire_every_weeks=100,
        leaver_deal_loss=0.5,
    )
    rank_by_seat(s)
    open_before = pipeline.open_deals().copy()
    moves = one_week(lev, s, pipeline, people, run_week=1)
    fired = moves["left"]
    assert sorted(fired.tolist()) == [0, 1, 2, 3] and moves["fired"] == 4
    assert not s.filled[fired].any()
    assert np.allclose(pipeline.open_deals()[fired], 0.5 * open_before[fired])
    assert moves["deals_lost"] == pytest.approx(0.5 * open_before[fired].sum())
    empty_weeks = 0
    for week in range(2, 12):
        hired = start_hires(people, s, lev, KEY, week)  # the start of the week
        if hired.size:
            assert sorted(hired.tolist()) == [0, 1, 2, 3]
            break
        empty_weeks += 1
        one_week(lev, s, pipeline, people, run_week=week)
    assert empty_weeks == 4  # hiring_weeks whole weeks with nobody in the seat
    assert (s.tenure[fired] == 0).all() and (s.trailing_bookings[fired] == 0).all()
    assert s.ramp(lev.ramp_weeks)[fired].max() == pytest.approx(0.2)


def test_vacancies_and_new_hires_take_manager_hours_from_coaching():
    _, s, _, people = make_org()
    assert manager_people_hours(s, people, np.arange(16) // 8, 2).tolist() == [0.0, 0.0]
    s.filled[0] = False  # one vacancy on team 0
    s.tenure[9] = 2.0  # one new hire on team 1
    assert manager_people_hours(s, people, np.arange(16) // 8, 2).tolist() == [3.0, 2.0]


@pytest.mark.heavy
def test_baseline_attrition_is_in_the_public_range_and_about_half_voluntary():
    models = [run("baseline", seed=s) for s in (1, 2, 3)]
    vol = np.mean([final_year_mean(m, "voluntary_attrition_rate") for m in models])
    invol = np.mean([final_year_mean(m, "involuntary_attrition_rate") for m in models])
    assert 0.20 <= vol + invol <= 0.45
    assert 0.3 <= vol / (vol + invol) <= 0.7


@pytest.mark.heavy
def test_frustrating_organizations_lose_more_of_their_best():
    def regretted(scenario):
        models = [run(scenario, seed=s) for s in (1, 2, 3, 4)]
        share = np.mean([final_year_mean(m, "regretted_attrition_share") for m in models])
        rate = np.mean([final_year_mean(m, "voluntary_attrition_rate") for m in models])
        return share, share * rate  # top-quartile quitters a year, per seller

    friction_share, friction_rate = regretted("friction-heavy")
    _, fixed_rate = regretted("fix-the-organization")
    # a quarter of quitters would be from the top skill quartile if skill did not matter
    assert friction_share > 0.25
    assert friction_rate > 2 * fixed_rate


@pytest.mark.heavy
def test_coaching_the_coaches_raises_quality_over_months_not_overnight():
    model = sim.SalesOrgModel("coach-the-coaches", seed=1, weeks=80)
    quality = []
    while model.running:
        model.step()
        quality.append(model.manager_quality.mean())
    gain = quality[-1] - quality[11]
    assert gain > 0.2
    assert quality[15] - quality[11] < 0.25 * gain  # a month in, most of the gain is to come
    baseline = final_year_mean(run("baseline", seed=1, weeks=80), "mean_morale", 26)
    assert final_year_mean(model, "mean_morale", 26) > baseline + 0.03


def test_with_no_hiring_delay_the_seat_is_filled_the_next_week():
    lev, s, pipeline, people = make_org(
        hiring_weeks=0,
        quit_rate=0.0,
        manage_out_rate=0.0,
        fire_bottom_share=0.25,
        fire_start_week=1,
    )
    rank_by_seat(s)
    left = one_week(lev, s, pipeline, people, run_week=1)["left"]
    assert sorted(start_hires(people, s, lev, KEY, 2).tolist()) == sorted(left.tolist())
    assert s.filled.all()


def test_a_seller_who_quits_in_a_firing_review_week_is_not_fired_as_well():
    lev, s, pipeline, people = make_org(
        quit_rate=2.0,
        manage_out_rate=0.0,
        fire_bottom_share=0.5,
        fire_start_week=1,
        fire_every_weeks=100,
    )
    s.morale[:] = 0.05  # about half quit this week
    rank_by_seat(s)  # the bottom half is team 0
    moves = one_week(lev, s, pipeline, people)
    left = set(moves["left"].tolist())
    assert left >= set(range(8))
    quit_from_bottom = moves["voluntary"] - len(left - set(range(8)))
    assert quit_from_bottom > 0
    assert moves["fired"] == moves["involuntary"] == 8 - quit_from_bottom


# values drawn from a few levels, so that ties (many equal values) are common
tied_values = st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.5, 1.0, 2.0]), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(values=st.one_of(tied_values, st.lists(st.floats(0, 10), min_size=1, max_size=60)))
def test_quantile_is_numpys_lower_quantile(values):
    values = np.array(values)
    for q in (0.0, 0.25, 0.5, 0.75, 1.0):
        assert _quantile(values, q) == np.quantile(values, q, method="lower")


@settings(max_examples=200, deadline=None)
@given(values=tied_values, data=st.data())
def test_at_or_above_quantile_counts_as_comparing_with_it(values, data):
    values = np.array(values)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size)))
    mask[0] = True  # at least one value to take the quantile of
    rows = np.flatnonzero(
        mask
        & np.array(data.draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size)))
    )
    top = np.quantile(values[mask], 0.75, method="lower")
    assert _at_or_above_quantile(values, mask, rows, 0.75) == (values[rows] >= top).sum()
