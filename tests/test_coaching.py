"""Coaching: time actually spent, and skill gained where there is room to grow."""

import numpy as np
import pytest

from sim.model.mechanics.coaching import coach, coaching_hours
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run


def test_coaching_hours_are_manager_time_shared_by_the_team():
    levers = Levers(manager_hours=45, coaching_share=0.16)
    manager_of = np.array([0] * 8 + [1] * 4)
    filled = np.ones(12, bool)
    filled[0] = False  # a vacant seat gets nothing and does not dilute the others
    per_seller, per_manager = coaching_hours(
        levers, manager_of=manager_of, filled=filled, n_managers=2, other_pulls=np.array([2.0, 0.0])
    )
    assert per_seller[0] == 0.0
    assert np.allclose(per_seller[1:8], (45 * 0.16 - 2.0) / 7)
    assert np.allclose(per_seller[8:], 45 * 0.16 / 4)
    assert np.allclose(per_manager, [45 * 0.16 - 2.0, 45 * 0.16])


def test_other_pulls_can_crowd_out_coaching_entirely():
    levers = Levers(manager_hours=45, coaching_share=0.1)
    per_seller, _ = coaching_hours(
        levers,
        manager_of=np.zeros(3, int),
        filled=np.ones(3, bool),
        n_managers=1,
        other_pulls=np.array([20.0]),
    )
    assert np.all(per_seller == 0.0)


def one_week(skill, focus, quality=1.0, hours=2.0, component="closing"):
    levers = Levers(
        coaching_focus=focus, focus_component=component, learn_rate=0.05, skill_decay=0.0
    )
    skill = skill.copy()
    gain = coach(
        skill,
        skill.copy(),
        hours=np.full(skill.shape[1], hours),
        quality=np.full(skill.shape[1], quality),
        levers=levers,
    )
    return skill, gain


def test_one_thing_coaching_targets_each_sellers_weakest_component():
    skill = np.array([[0.3, 0.7], [0.6, 0.2], [0.6, 0.7], [0.6, 0.7]])  # (components, sellers)
    after, gain = one_week(skill, "one_thing")
    assert after[0, 0] > skill[0, 0] and after[1, 1] > skill[1, 1]
    unchanged = np.ones_like(skill, bool)
    unchanged[0, 0] = unchanged[1, 1] = False
    assert np.allclose(after[unchanged], skill[unchanged])
    assert np.allclose(gain, 0.05 * 2.0 * np.array([0.3 * 0.7, 0.2 * 0.8]))


def test_one_size_coaching_is_worthless_to_those_already_strong_in_it():
    skill = np.array([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.97]])
    _, gain = one_week(skill, "one_size", component="closing")
    assert gain[1] < 0.15 * gain[0]


def test_gain_scales_with_quality_and_hours():
    skill = np.full((4, 1), 0.5)
    base = one_week(skill, "one_thing", quality=0.5, hours=1.0)[1][0]
    assert np.isclose(one_week(skill, "one_thing", quality=1.0, hours=1.0)[1][0], 2 * base)
    assert np.isclose(one_week(skill, "one_thing", quality=0.5, hours=3.0)[1][0], 3 * base)
    assert one_week(skill, "one_thing", quality=0.0)[1][0] == 0.0


def test_learned_skill_fades_back_toward_talent_without_coaching():
    levers = Levers(skill_decay=0.1)
    talent = np.full((4, 1), 0.4)
    skill = np.full((4, 1), 0.6)
    coach(skill, talent, hours=np.zeros(1), quality=np.zeros(1), levers=levers)
    assert np.allclose(skill, 0.6 - 0.1 * 0.2)


# one size fits all coaches one component for everyone: effective skill, dragged by each
# seller's weakest component, moves far less than under one-thing coaching
@pytest.mark.heavy
@pytest.mark.parametrize(("focus", "least"), [("one_thing", 0.05), ("one_size", 0.01)])
def test_better_coaching_raises_mean_skill_in_the_model(focus, least):
    stay = dict(weeks=104, quit_rate=0.0, manage_out_rate=0.0, coaching_focus=focus)  # no turnover
    weak = final_year_mean(run(coaching_quality=0.1, **stay), "mean_skill")
    good = final_year_mean(run(coaching_quality=0.9, coaching_share=0.3, **stay), "mean_skill")
    assert good > weak + least


@pytest.mark.heavy
def test_one_thing_beats_one_size_for_effective_skill():
    kwargs = dict(
        weeks=104, coaching_quality=0.8, coaching_share=0.3, quit_rate=0.0, manage_out_rate=0.0
    )
    one_thing = final_year_mean(run(coaching_focus="one_thing", **kwargs), "mean_skill")
    one_size = final_year_mean(run(coaching_focus="one_size", **kwargs), "mean_skill")
    assert one_thing > one_size + 0.01
