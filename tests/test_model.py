"""The model as a whole: Mesa contract, reproducibility, interventions, collection."""

import inspect

import mesa
import numpy as np
import pandas as pd
import pytest

import sim
from sim.model.agents import Seller
from sim.scenario.levers import Levers

CONTRACT_LEVERS = {
    "n_sellers",
    "span_of_control",
    "sellers_per_specialist",
    "approval_steps",
    "handoff_hours",
    "admin_hours",
    "meeting_hours",
    "ask_hours",
    "initiative_rate",
    "initiative_cap",
    "coaching_quality",
    "coaching_share",
    "coaching_focus",
    "follow_up",
    "work_hours",
    "ramp_weeks",
    "hiring_weeks",
    "talent_mean",
    "talent_sd",
    "fire_bottom_share",
    "fire_every_weeks",
    "fire_start_week",
    "weeks",
}
CONTRACT_REPORTERS = {
    "selling_time_share",
    "quota_attainment_share",
    "mean_attainment",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "headcount",
    "vacancies",
    "bookings",
    "mean_skill",
    "mean_morale",
    "initiatives_per_seller",
    "specialist_wait_weeks",
    "coaching_hours_per_seller",
}


def tables(seed, **levers):
    model = sim.SalesOrgModel(seed=seed, weeks=30, **levers)
    model.run_model()
    dc = model.datacollector
    return dc.get_model_vars_dataframe(), dc.get_agent_vars_dataframe()


def test_every_contract_lever_is_a_keyword_with_a_default():
    params = inspect.signature(sim.SalesOrgModel.__init__).parameters
    assert set(params) >= CONTRACT_LEVERS
    assert set(Levers.model_fields) >= CONTRACT_LEVERS
    for name in Levers.model_fields:
        assert params[name].default is not inspect.Parameter.empty
    sim.SalesOrgModel(weeks=1)  # everything defaults


def test_contract_reporters_are_collected_at_init_and_every_week():
    model = sim.SalesOrgModel(seed=1, weeks=12)
    model.run_model()
    df = model.datacollector.get_model_vars_dataframe()
    assert set(df.columns) >= CONTRACT_REPORTERS
    assert {c for c in df.columns if c.startswith("hours_")} >= {"hours_selling", "hours_admin"}
    assert len(df) == 13 and model.steps == 12 and not model.running
    assert df.notna().all().all()


def test_the_same_seed_gives_identical_tables_and_another_differs():
    weekly_a, people_a = tables(7)
    weekly_b, people_b = tables(7)
    pd.testing.assert_frame_equal(weekly_a, weekly_b)
    pd.testing.assert_frame_equal(people_a, people_b)
    weekly_c, _ = tables(8)
    assert not weekly_a["bookings"].equals(weekly_c["bookings"])


def test_people_are_recorded_every_13_weeks_and_at_the_end():
    weekly, people = tables(1)
    assert sorted(people.index.get_level_values("Step").unique()) == [0, 13, 26, 30]
    sellers = people[people["role"] == "seller"]
    assert len(sellers) == weekly["headcount"].loc[[0, 13, 26, 30]].sum()
    assert set(people.columns) == {
        "role",
        "skill",
        "tenure",
        "morale",
        "selling_hours",
        "attainment",
        "initiatives",
        "manager",
    }


def test_fast_people_records_match_the_agents_properties():
    model = sim.SalesOrgModel(seed=2, weeks=5)
    model.run_model()
    people = model.datacollector.get_agent_vars_dataframe().xs(5, level="Step")
    for agent in model.agents_by_type[Seller]:
        row = people.loc[agent.unique_id]
        assert row["skill"] == pytest.approx(agent.skill)
        assert row["selling_hours"] == pytest.approx(agent.selling_hours)
        assert row["attainment"] == pytest.approx(agent.attainment)
        assert row["manager"] == agent.manager and row["initiatives"] == agent.initiatives


def test_batch_run_works_on_the_model_class():
    results = mesa.batch_run(
        sim.SalesOrgModel,
        parameters={"initiative_cap": [1, 4], "weeks": 20, "seed": 5},
        max_steps=20,
        number_processes=1,
        display_progress=False,
    )
    df = pd.DataFrame(results)
    assert sorted(df["initiative_cap"].unique()) == [1, 4]
    assert set(df.columns) >= CONTRACT_REPORTERS
    # batch_run reports the row collected at index steps - 1 (Mesa's convention)
    row = df[df["initiative_cap"] == 1].iloc[-1]
    own = sim.SalesOrgModel(seed=5, weeks=20, initiative_cap=1)
    own.run_model()
    own_weekly = own.datacollector.get_model_vars_dataframe()
    assert row["bookings"] == own_weekly["bookings"].iloc[int(row["Step"])]


def test_agents_are_mesa_agents_holding_a_row():
    model = sim.SalesOrgModel(seed=1, n_sellers=40, weeks=1)
    sellers = model.agents_by_type[Seller]
    assert len(sellers) == model.metrics["headcount"] > 30
    assert sorted(a.row for a in sellers) == np.flatnonzero(model.sellers.filled).tolist()
    roles = {type(a).__name__ for a in model.agents}
    assert roles == {
        "Seller",
        "Manager",
        "Director",
        "Specialist",
        "ApprovalDesk",
        "SupportFunction",
    }


def test_seats_are_conserved_and_every_filled_seat_has_one_seller_agent():
    model = sim.SalesOrgModel(
        seed=3,
        weeks=60,
        hiring_weeks=8,
        fire_bottom_share=0.2,
        fire_every_weeks=13,
        fire_start_week=13,
    )
    while model.running:
        model.step()
        seated = [a.row for a in model.agents_by_type[Seller]]
        assert sorted(seated) == np.flatnonzero(model.sellers.filled).tolist()
        assert model.metrics["headcount"] + model.metrics["vacancies"] == 150
    weekly = model.datacollector.get_model_vars_dataframe()
    assert weekly["vacancies"].max() > 0 and weekly["headcount"].min() < 150


def test_interventions_take_effect_at_their_week():
    model = sim.SalesOrgModel("fix-the-organization", seed=1, weeks=30)
    desks = []
    while model.running:
        model.step()
        desks.append((model.steps, len(model.org.desks), model.levers.initiative_cap))
    assert desks[11] == (12, 3, 99)
    assert desks[12] == (13, 1, 2)
    assert model.levers.coaching_focus == "one_thing"
    assert [w for w, _ in model.events] == [13, 26]
    presales = len(model.role_agents["presales"])
    assert presales == model.org.n_presales == 50


def test_fixed_levers_cannot_change_mid_run():
    model = sim.SalesOrgModel(seed=1, weeks=5)
    with pytest.raises(sim.ScenarioError, match="n_sellers: cannot change during a run"):
        model.set_levers({"n_sellers": 200})


def test_team_state_follows_the_sellers_through_a_reorganization():
    model = sim.SalesOrgModel(seed=1, weeks=5, span_of_control=8)
    model.initiatives.admin_relief[:] = 0.0
    model.initiatives.admin_relief[1] = 2.0  # the tool adopted by old team 1: sellers 8-15
    model.set_levers({"span_of_control": 4})
    relief = model.initiatives.admin_relief[model.org.manager_of]
    assert np.flatnonzero(relief).tolist() == list(range(8, 16))


def test_removing_the_approval_chain_stops_the_chasing():
    model = sim.SalesOrgModel(seed=1, weeks=5)
    model.step()
    waiting = model.pipeline.waiting.sum()
    in_approval = model.pipeline.approval.sum()
    model.set_levers({"approval_steps": 0})
    assert np.isclose(model.pipeline.waiting.sum(), waiting - in_approval)


def test_structural_change_keeps_deals():
    model = sim.SalesOrgModel(seed=1, weeks=5)
    model.step()
    before = model.pipeline.open_deals().sum()
    model.set_levers({"approval_steps": 1}, note="cut desks")
    assert model.pipeline.approval.shape[0] == 1
    assert np.isclose(model.pipeline.open_deals().sum(), before)


def test_a_scenario_object_or_path_is_accepted(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('description = "mine"\nextends = "baseline"\n[levers]\nn_sellers = 30\n')
    assert sim.SalesOrgModel(str(path), weeks=1).levers.n_sellers == 30
    assert sim.SalesOrgModel(sim.load_scenario(path), weeks=1, n_sellers=20).levers.n_sellers == 20


def test_people_records_are_the_agents_mesa_would_record():
    model = sim.SalesOrgModel(seed=4, weeks=40, hiring_weeks=1, quit_rate=1.0, people_every=10)
    while model.running:
        model.step()
        if model.steps % 10 == 0:  # the collection just made, against Mesa's own, agent by agent
            fast = pd.DataFrame(model.datacollector._agent_records[model.steps])
            slow = pd.DataFrame(list(mesa.DataCollector._record_agents(model.datacollector, model)))
            fast, slow = (df.sort_values(1, ignore_index=True) for df in (fast, slow))
            pd.testing.assert_frame_equal(fast, slow)  # skill may differ in the last digit
    assert max(model.datacollector.model_vars["vacancies"]) > 0  # seats emptied and refilled


def test_batch_run_reads_the_people_records():
    results = mesa.batch_run(
        sim.SalesOrgModel,
        parameters={"weeks": 20, "seed": 2, "people_every": 5},
        max_steps=20,
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    rows = pd.DataFrame(results).dropna(subset=["AgentID"])
    assert set(rows["Step"]) == {0, 5, 10, 15}  # batch_run stops short of the last week
    sellers = rows[rows["role"] == "seller"].groupby("Step")
    assert (sellers.size() == sellers["headcount"].first()).all()  # one row per seated seller


def test_seat_quality_follows_levers_coaching_the_coaches_and_reorganizations():
    changes = {10: {"coaching_quality": 0.8}, 20: {"span_of_control": 5}, 30: {"follow_up": 0.5}}
    for scenario in ("baseline", "coach-the-coaches"):
        model = sim.SalesOrgModel(scenario, seed=1, weeks=40)
        quality = []
        while model.running:
            if model.steps in changes:
                model.set_levers(changes[model.steps])
            model.step()
            fresh = model.manager_quality[model.org.manager_of]
            assert np.array_equal(model._seat_quality, fresh), (scenario, model.steps)
            quality.append(model._seat_quality.mean())
        assert quality[10] > quality[9] + 0.3  # the new lever is felt in the next week


def test_initiatives_carry_on_through_a_reorganization():
    model = sim.SalesOrgModel(seed=2, weeks=30, initiative_rate=30)
    for _ in range(10):
        model.step()
    old_active, old_manager_of = model.initiatives.active(), model.org.manager_of
    model.set_levers({"span_of_control": 3})
    first_seat = [np.flatnonzero(model.org.manager_of == t)[0] for t in range(model.org.n_managers)]
    assert np.array_equal(model.initiatives.active(), old_active[old_manager_of[first_seat]])
    model.run_model()  # and the weeks go on with the new teams
    assert model.steps == 30 and model.initiatives.status.shape[1] == model.org.n_managers


def test_the_compiled_week_sees_replaced_state_arrays():
    """The state's arrays tuple is kept between weeks, and rebuilt once an array is replaced."""
    model = sim.SalesOrgModel(seed=5, n_sellers=60, weeks=3)
    assert model.sellers.arrays() is model.sellers.arrays()  # kept
    model.sellers.morale = np.full(60, 0.9)  # replaced, as a user might
    assert model.sellers.arrays().morale is model.sellers.morale
    model.step()
    moved = model.sellers.morale[model.sellers.filled]
    assert np.abs(moved - 0.9).min() > 1e-6  # the week moved every seller's morale
    assert 0.8 < moved.mean() < 0.95
    hops = model.pipeline.approval.shape[0]
    model.set_levers({"approval_steps": hops + 2})  # the approval array is replaced
    assert model.pipeline.arrays().approval.shape[0] == hops + 2
    model.step()
    assert model.pipeline.approval[hops:].sum() > 0  # deals reached the new desks


def test_luck_stays_in_step_between_scenarios_seat_by_seat():
    """Draws are keyed to (seed, mechanism, week, seat): a hire into the same seat in the
    same week draws the same talent in two organizations that differ in everything else."""
    calm = sim.SalesOrgModel("baseline", seed=4, weeks=60)
    busy = sim.SalesOrgModel("baseline", seed=4, weeks=60, ask_hours=12.0, initiative_rate=30)
    same = 0
    while calm.running:
        calm.step()
        busy.step()
        both = np.flatnonzero((calm.sellers.tenure == 1) & (busy.sellers.tenure == 1))
        assert np.array_equal(calm.sellers.talent[:, both], busy.sellers.talent[:, both])
        same += both.size
    assert same > 0  # some hires fell in the same seat and week
    assert not np.array_equal(calm.sellers.morale, busy.sellers.morale)  # and they differ


def test_a_model_without_a_seed_draws_one():
    a, b = sim.SalesOrgModel(weeks=2), sim.SalesOrgModel(weeks=2)
    assert a.run_seed != b.run_seed
    again = sim.SalesOrgModel(seed=a.run_seed, weeks=2)
    assert np.array_equal(again.sellers.talent, a.sellers.talent)
