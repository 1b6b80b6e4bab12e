"""Initiatives: the cap, follow-up, adoption and abandonment."""

import numpy as np
import pytest

import sim
from sim.model.draws import run_key
from sim.model.mechanics.initiatives import (
    ACTIVE,
    NONE,
    QUEUED,
    Initiatives,
    adoption_chance,
    step_initiatives,
)
from sim.model.mechanics.week_levers import WeekLevers
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run


def advance(ini, levers, weeks, teams=4, start=0, seed=0):
    n = teams * 3
    skill = np.full((4, n), 0.5)
    out = []
    for week in range(start, start + weeks):
        out.append(
            step_initiatives(
                ini,
                levers=levers,
                key=run_key(seed),
                week=week,
                skill=skill,
                manager_of=np.arange(n) // 3,
                filled=np.ones(n, bool),
            )
        )
    return out, skill


def queued_for_all(teams, slots=1):
    ini = Initiatives.create(teams)
    for slot in range(slots):
        ini.launched[slot] = 0
        ini.status[slot] = QUEUED
    return ini


def test_the_cap_is_never_exceeded_in_a_run():
    model = sim.SalesOrgModel(seed=3, initiative_rate=30, initiative_cap=2, weeks=60)
    most = 0
    while model.running:
        model.step()
        most = max(most, int(model.initiatives.active().max()))
        assert model.metrics["initiatives_per_seller"] <= 2.0 + 1e-9  # a weighted mean
    assert most == 2
    assert model.metrics["initiatives_queued_per_seller"] > 0


def test_a_lowered_cap_pauses_the_newest_active_initiatives():
    model = sim.SalesOrgModel("fix-the-organization", seed=1, weeks=30)
    while model.running:
        model.step()
        if model.steps >= 13:
            assert model.initiatives.active().max() <= 2, model.steps


def test_no_launch_is_lost_when_many_are_alive():
    model = sim.SalesOrgModel(seed=1, weeks=52, initiative_rate=52, initiative_reach=0.5)
    model.run_model()
    assert model.initiatives.slots > 48
    alive = (model.initiatives.launched >= 0).sum()
    assert alive > 48


def test_the_weekly_chance_grows_with_hours_and_follow_up_and_fades_without():
    def chance(age, **levers):
        return adoption_chance(WeekLevers.of(Levers(**levers)), float(age))

    followed = dict(follow_up=1.0, adopt_rate=0.03, initiative_hours=2.0)
    assert chance(0, **followed) == pytest.approx(1 - np.exp(-0.06))
    assert chance(20, **followed) == pytest.approx(chance(0, **followed))  # no race
    assert chance(0, **{**followed, "initiative_hours": 4.0}) > chance(0, **followed)
    forgotten = dict(follow_up=0.0, adopt_rate=0.03, initiative_hours=2.0, fade_weeks=8.0)
    assert chance(0, **forgotten) == pytest.approx(chance(0, **followed))  # a good start
    assert chance(8, **forgotten) == pytest.approx(1 - np.exp(-0.06 / np.e))
    assert chance(40, **forgotten) < 0.01 * chance(0, **forgotten)
    assert chance(3, **{**forgotten, "fade_weeks": 0.0}) == 0.0  # the zero: none unfollowed
    assert chance(3, **{**followed, "adopt_rate": 0.0}) == 0.0


def test_an_adopted_method_lifts_learned_skill_not_talent():
    levers = Levers(initiative_rate=0.0, follow_up=1.0, adopt_rate=1.0)  # 86% a week
    ini = queued_for_all(4)
    ini.component[0] = 3
    _, skill = advance(ini, levers, 12)
    assert (ini.status[0] == NONE).all()  # finished, slot freed
    assert ini.totals["adopted"] == 4
    assert np.allclose(skill[3], 0.5 + 0.1 * 0.5) and np.allclose(skill[:3], 0.5)


def test_innate_talent_changes_only_through_hiring():
    model = sim.SalesOrgModel(seed=2, weeks=104, initiative_rate=30, adopt_rate=0.2)
    talent = model.sellers.talent.copy()
    rehired = np.zeros(model.sellers.n, bool)
    while model.running:
        model.step()
        rehired |= model.sellers.tenure == 1
    assert model.initiatives.totals["adopted"] > 50
    assert rehired.any() and not rehired.all()
    assert np.array_equal(model.sellers.talent[:, ~rehired], talent[:, ~rehired])


def test_the_oldest_queued_starts_first_and_one_queued_too_long_is_dropped():
    levers = Levers(initiative_rate=0.0, initiative_cap=1, initiative_weeks=3, adopt_rate=0.0)
    ini = Initiatives.create(1)
    ini.launched[:2] = (1, 0)  # slot 1 was launched first
    ini.status[:2] = QUEUED
    out, _ = advance(ini, levers, 3, teams=1)
    assert ini.status[1, 0] == ACTIVE and ini.status[0, 0] == QUEUED
    assert [(o["active"][0], o["queued"][0]) for o in out] == [(1, 1)] * 3
    advance(ini, levers, 1, teams=1, start=3)  # the queued expires, the active is abandoned
    assert ini.totals == {"launched": 0, "adopted": 0, "abandoned": 1, "dropped": 1}
    assert (ini.launched[:2] == -1).all() and (ini.status == NONE).all()


def share_adopted(teams=400, slots=1, weeks=26, **levers):
    levers = Levers(initiative_rate=0.0, initiative_weeks=weeks, **levers)
    ini = queued_for_all(teams, slots)
    advance(ini, levers, weeks + 2, teams=teams)
    done = ini.totals["adopted"] + ini.totals["abandoned"]
    assert done == teams * slots  # every initiative ends, adopted or abandoned
    return ini.totals["adopted"] / done


def test_without_follow_up_initiatives_are_started_then_forgotten():
    never = share_adopted(follow_up=0.0)
    always = share_adopted(follow_up=1.0)
    # about 30% of change programs succeed (McKinsey): the typical follow-up sits between
    assert never < 0.4 < always and always > 1.8 * never
    assert share_adopted(follow_up=0.0, fade_weeks=0.0) == 0.0


def test_the_switching_cost_is_not_charged_again_on_adoption():
    """Each active initiative's weekly chance is the same however many are active."""
    alone = share_adopted(slots=1, follow_up=0.5)
    three = share_adopted(slots=3, follow_up=0.5, initiative_cap=3)
    assert three == pytest.approx(alone, abs=0.05)


@pytest.mark.heavy
def test_a_cap_of_two_cuts_initiative_load_and_raises_selling_time():
    uncapped = run(weeks=104, initiative_rate=30, follow_up=0.15)
    capped = run(weeks=104, initiative_rate=30, follow_up=0.15, initiative_cap=2)
    assert final_year_mean(capped, "initiatives_per_seller") <= 2.0
    assert final_year_mean(uncapped, "initiatives_per_seller") > 3.0
    assert (
        final_year_mean(capped, "selling_time_share")
        > final_year_mean(uncapped, "selling_time_share") + 0.03
    )
