"""Initiatives: the cap, follow-up, adoption and abandonment."""

import numpy as np

import sim
from sim.model.mechanics.initiatives import (
    ABANDONED,
    ACTIVE,
    ADOPTED,
    NONE,
    QUEUED,
    Initiatives,
    step_initiatives,
)
from sim.scenario.levers import Levers
from tests.conftest import final_year_mean, run


def advance(ini, levers, weeks, rng=None, teams=4):
    rng = rng or np.random.default_rng(0)
    n = teams * 3
    skill = np.full((4, n), 0.5)
    talent = skill.copy()
    out = []
    for week in range(weeks):
        out.append(
            step_initiatives(
                ini,
                levers=levers,
                rng=rng,
                week=week,
                skill=skill,
                talent=talent,
                manager_of=np.arange(n) // 3,
                filled=np.ones(n, bool),
            )
        )
    return out, skill


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


def test_a_lone_followed_up_initiative_is_adopted_and_pays_off():
    levers = Levers(initiative_rate=0.0, follow_up=1.0)
    ini = Initiatives.create(4)
    ini.launched[0] = 0
    ini.component[0] = 3
    ini.status[0] = 1  # queued for every team
    _, skill = advance(ini, levers, 12)
    assert (ini.status[0] == 0).all()  # finished, slot freed
    assert ini.totals["adopted"] == 4
    assert np.allclose(skill[3], 0.5 + 0.1 * 0.5) and np.allclose(skill[:3], 0.5)


def test_the_oldest_queued_starts_first_and_one_queued_too_long_is_dropped():
    levers = Levers(initiative_rate=0.0, initiative_cap=1, initiative_weeks=3, follow_up=0.0)
    ini = Initiatives.create(1)
    ini.launched[:2] = (1, 0)  # slot 1 was launched first
    ini.status[:2] = QUEUED
    out, _ = advance(ini, levers, 3, teams=1)
    assert ini.status[1, 0] == ACTIVE and ini.status[0, 0] == QUEUED
    assert [(o["active"][0], o["queued"][0]) for o in out] == [(1, 1)] * 3
    advance(ini, levers, 1, teams=1)  # the queued one expires, the active one is abandoned
    assert ini.totals == {"launched": 0, "adopted": 0, "abandoned": 1, "dropped": 1}
    assert (ini.launched[:2] == -1).all() and (ini.status == NONE).all()


def test_without_follow_up_initiatives_are_started_then_forgotten():
    levers = Levers(initiative_rate=0.0, follow_up=0.0, initiative_weeks=26)
    ini = Initiatives.create(4)
    for slot in range(3):
        ini.launched[slot] = 0
        ini.status[slot] = 1
    statuses = []
    for week in range(30):
        advance(ini, levers, 1, np.random.default_rng(week))
        statuses.append(ini.status.copy())
    assert ini.totals["adopted"] == 0 and ini.totals["abandoned"] == 12
    assert (statuses[20][:3] == ACTIVE).all()
    assert ((statuses[27][:3] == ABANDONED) | (statuses[27][:3] == 0)).all()


def test_adoption_slows_sharply_with_the_number_active():
    weeks_to_adopt = {}
    for k in (1, 2, 3):
        levers = Levers(initiative_rate=0.0, follow_up=0.8, initiative_weeks=200)
        ini = Initiatives.create(1)
        for slot in range(k):
            ini.launched[slot] = 0
            ini.status[slot] = 1
        for week in range(200):
            advance(ini, levers, 1, teams=1)
            if (ini.status[:k, 0] == ADOPTED).all() or ini.totals["adopted"] == k:
                weeks_to_adopt[k] = week + 1
                break
    assert weeks_to_adopt[1] < weeks_to_adopt[2] < weeks_to_adopt[3]
    assert weeks_to_adopt[3] > 3 * weeks_to_adopt[1]


def test_a_cap_of_two_cuts_initiative_load_and_raises_selling_time():
    uncapped = run(weeks=104, initiative_rate=18)
    capped = run(weeks=104, initiative_rate=18, initiative_cap=2)
    assert final_year_mean(capped, "initiatives_per_seller") <= 2.0
    assert final_year_mean(uncapped, "initiatives_per_seller") > 3.0
    assert (
        final_year_mean(capped, "selling_time_share")
        > final_year_mean(uncapped, "selling_time_share") + 0.05
    )
