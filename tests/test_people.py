"""People: morale, quitting, managing out, firing, vacancies, hiring and ramp."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.model.mechanics.hiring import hire, manager_people_hours, start_hires
from sim.model.mechanics.people import (
    LIFE_QUIT,
    NEUTRAL_MORALE,
    People,
    _at_or_above_quantile,
    _quantile,
    choose_fired,
    fire_due,
    morale_target,
    quit_hazard,
    step_people,
)
from sim.model.mechanics.pipeline import Pipeline
from sim.model.state import SellerState, effective_skill
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run


def target(**changes):
    base = dict(
        selling_share=np.array([0.35]),
        overtime=np.zeros(1),
        initiatives=np.ones(1),
        quality=np.array([0.4]),
        attainment=np.ones(1),
        fear=np.zeros(1),
    )
    base.update({k: np.array([v], dtype=float) for k, v in changes.items()})
    return float(morale_target(Levers(), **base)[0])


def test_morale_target_moves_with_the_sellers_situation():
    neutral = target()
    assert neutral == pytest.approx(NEUTRAL_MORALE)
    assert target(selling_share=0.5) > neutral > target(selling_share=0.15)
    assert target(quality=0.9) > neutral > target(quality=0.1)
    assert target(attainment=1.4) > neutral > target(attainment=0.6)
    assert target(overtime=5.0) < neutral and target(initiatives=4.0) < neutral
    assert target(fear=0.125) < neutral - 0.2  # one of eight fired last week


def test_quitting_rises_as_morale_falls_and_faster_for_the_skilled():
    levers = Levers(quit_rate=0.1, morale_sensitivity=5.0, skill_options=0.6)
    skill = np.array([0.4, 0.5, 0.6, 0.4, 0.5, 0.6])
    filled = np.ones(6, bool)
    neutral = quit_hazard(levers, np.full(6, NEUTRAL_MORALE), skill, filled)
    assert np.allclose(neutral, (LIFE_QUIT + 0.1) / 52)
    low = quit_hazard(levers, np.full(6, 0.25), skill, filled)
    assert (low > neutral).all()
    assert low[2] > 1.5 * low[1] and low[1] == pytest.approx(low[0])
    high = quit_hazard(levers, np.full(6, 0.85), skill, filled)
    assert (high < neutral).all()


def test_firing_takes_the_bottom_share_of_ramped_sellers_only():
    levers = Levers(n_sellers=11, fire_bottom_share=0.2, ramp_weeks=20)
    s = SellerState.create(levers, np.random.default_rng(1))
    s.tenure[:] = 100.0
    s.tenure[0] = 5.0  # not ramped: protected, however low
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = [0, 90, 10, 50, 70, 30, 120, 80, 60, 100, 95]
    assert sorted(choose_fired(levers, s).tolist()) == [2, 5]  # 20% of the ten ramped


def test_firing_reviews_follow_the_schedule():
    levers = Levers(fire_bottom_share=0.1, fire_every_weeks=26, fire_start_week=52)
    assert [w for w in range(200) if fire_due(levers, w)] == [52, 78, 104, 130, 156, 182]
    assert not any(fire_due(Levers(fire_bottom_share=0.0), w) for w in range(200))


def test_better_interviews_hire_better_sellers():
    rng = np.random.default_rng(3)
    blind = effective_skill(hire(Levers(hiring_quality=0.0), rng, 4000)).mean()
    sharp = effective_skill(hire(Levers(hiring_quality=1.0), rng, 4000)).mean()
    pool = effective_skill(hire(Levers(hiring_quality=0.0, talent_sd=0.0), rng, 10)).mean()
    assert sharp > blind + 0.03
    assert pool == pytest.approx(0.5)


def make_org(n=16, **levers):
    lev = Levers(n_sellers=n, **levers)
    s = SellerState.create(lev, np.random.default_rng(0))
    s.tenure[:] = 200.0
    return lev, s, Pipeline.create(n, lev.approval_steps), People.create(n, 2)


def rank_by_seat(s):
    """Trailing attainment 0%, 10%, ..., 150% by seat: the lowest seats are the bottom."""
    s.trailing_quota[:] = 100.0
    s.trailing_bookings[:] = np.arange(s.n) * 10.0


def one_week(lev, s, pipeline, people, rng, run_week=1):
    return step_people(
        people,
        s,
        pipeline,
        levers=lev,
        rng=rng,
        run_week=run_week,
        weeks_recorded=100,
        quality=np.full(s.n, 0.4),
        initiatives=np.ones(s.n),
        manager_of=np.arange(s.n) // 8,
        n_managers=2,
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
    rng = np.random.default_rng(1)
    moves = one_week(lev, s, pipeline, people, rng, run_week=1)
    fired = moves["left"]
    assert sorted(fired.tolist()) == [0, 1, 2, 3] and moves["fired"] == 4
    assert not s.filled[fired].any()
    assert np.allclose(pipeline.open_deals()[fired], 0.5 * open_before[fired])
    assert moves["deals_lost"] == pytest.approx(0.5 * open_before[fired].sum())
    empty_weeks = 0
    for week in range(2, 12):
        hired = start_hires(people, s, lev, rng)  # the start of the week
        if hired.size:
            assert sorted(hired.tolist()) == [0, 1, 2, 3]
            break
        empty_weeks += 1
        one_week(lev, s, pipeline, people, rng, run_week=week)
    assert empty_weeks == 4  # hiring_weeks whole weeks with nobody in the seat
    assert (s.tenure[fired] == 0).all() and (s.trailing_bookings[fired] == 0).all()
    assert s.ramp(lev.ramp_weeks)[fired].max() == pytest.approx(0.2)


def test_vacancies_and_new_hires_take_manager_hours_from_coaching():
    _, s, _, people = make_org()
    assert manager_people_hours(s, people, np.arange(16) // 8, 2).tolist() == [0.0, 0.0]
    s.filled[0] = False  # one vacancy on team 0
    s.tenure[9] = 2.0  # one new hire on team 1
    assert manager_people_hours(s, people, np.arange(16) // 8, 2).tolist() == [3.0, 2.0]


def test_baseline_attrition_is_in_the_public_range_and_about_half_voluntary():
    models = [run("baseline", seed=s) for s in (1, 2, 3)]
    vol = np.mean([final_year_mean(m, "voluntary_attrition_rate") for m in models])
    invol = np.mean([final_year_mean(m, "involuntary_attrition_rate") for m in models])
    assert 0.20 <= vol + invol <= 0.45
    assert 0.3 <= vol / (vol + invol) <= 0.7


def test_frustrating_organizations_lose_their_best_first():
    friction = np.mean(
        [
            final_year_mean(run("friction-heavy", seed=s), "regretted_attrition_share")
            for s in (1, 2, 3)
        ]
    )
    fixed = np.mean(
        [
            final_year_mean(run("fix-the-organization", seed=s), "regretted_attrition_share")
            for s in (1, 2, 3)
        ]
    )
    assert friction > 0.3 > fixed - 0.05
    assert friction > fixed


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
    rng = np.random.default_rng(2)
    left = one_week(lev, s, pipeline, people, rng, run_week=1)["left"]
    assert sorted(start_hires(people, s, lev, rng).tolist()) == sorted(left.tolist())
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
    moves = one_week(lev, s, pipeline, people, np.random.default_rng(0))
    left = set(moves["left"].tolist())
    assert left >= set(range(8))
    quit_from_bottom = moves["voluntary"] - len(left - set(range(8)))
    assert quit_from_bottom > 0
    assert moves["fired"] == moves["involuntary"] == 8 - quit_from_bottom
    assert people.fear.tolist() == [moves["fired"] / 8, 0.0]


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
