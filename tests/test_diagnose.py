"""Diagnosis: the healthy reference, counterfactuals, attributions that add up, the stories."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import sim
from sim.diagnosis import diagnose, load_reference
from sim.diagnosis.counterfactuals import _identity, acting_now, counterfactual, final_levers
from sim.diagnosis.diagnose import ATTRIBUTED
from sim.diagnosis.plots import split_chart
from sim.diagnosis.sellers import FACTORS, explain_sellers
from sim.diagnosis.shapley import coalitions
from sim.diagnosis.story import story
from tests.conftest import salesorg

WEEKS = 80  # a warm-up, a first half-year, and the final year that is measured
REFERENCE = load_reference()


def healthy_except(group: str, scenario: str) -> sim.Scenario:
    """The healthy organization, but with one group's levers as `scenario` has them."""
    healthy = sim.load_scenario("baseline").with_levers(REFERENCE.levers_of(set(REFERENCE.names)))
    sick = sim.load_scenario(scenario).levers.model_dump()
    return healthy.with_levers({k: sick[k] for k in REFERENCE.group(group).levers})


# ------------------------------------------------------------------ the reference
def test_shipped_reference_has_the_six_groups_each_lever_once():
    assert REFERENCE.names == ["friction", "asks", "initiatives", "coaching", "talent", "attrition"]
    levers = [k for g in REFERENCE.groups for k in g.levers]
    assert len(levers) == len(set(levers))
    assert {g.kind for g in REFERENCE.groups} == {"systemic", "individual"}
    assert REFERENCE.group("talent").kind == "individual"
    assert REFERENCE.levers_of({"friction"})["approval_steps"] == 1


def test_a_reference_file_overrides_group_by_group(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        "[groups.friction.levers]\napproval_steps = 2\n"
        '[groups.quota]\nlabel = "Quota"\nkind = "systemic"\nlevers = { quota = 800.0 }\n'
    )
    mine = load_reference(path)
    assert mine.levers_of({"friction"})["approval_steps"] == 2
    assert mine.levers_of({"friction"})["sellers_per_specialist"] == 3.0  # kept from shipped
    assert mine.names[-1] == "quota" and mine.group("quota").levers == {"quota": 800.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = 1", "x: unknown key; valid keys: description, groups"),
        ("[groups.friction.levers]\napproval_stepz = 1", "did you mean 'approval_steps'"),
        ("[groups.asks.levers]\nask_hours = -2", "ask_hours = -2 is out of range: allowed 0.0"),
        ("[groups.asks.levers]\napproval_steps = 2", "already in group 'friction'"),
        ('[groups.new]\nkind = "systemic"\nlevers = { lead_share = 1.0 }', "needs a label"),
        ('[groups.asks]\nkind = "both"', "allowed: systemic, individual"),
        ("[groups.asks.levers]\nn_sellers = 10", "n_sellers: not a cause"),
        ("[groups.asks\n", "line 1"),
    ],
)
def test_a_bad_reference_is_refused_naming_key_and_value(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(sim.ScenarioError, match=str(path)) as refused:
        load_reference(path)
    assert message in str(refused.value)


def test_too_many_groups_are_refused(tmp_path):
    extra = "".join(
        f'[groups.g{i}]\nlabel = "G{i}"\nkind = "systemic"\nlevers = {{ {lever} = 1.0 }}\n'
        for i, lever in enumerate(["lead_share", "deal_size", "quota"])
    )
    path = tmp_path / "many.toml"
    path.write_text(extra)
    with pytest.raises(sim.ScenarioError, match="9 groups; allowed at most 8"):
        load_reference(path)


# ------------------------------------------------------------------ counterfactuals
def test_a_counterfactual_holds_its_groups_healthy_for_the_whole_run():
    fix = sim.load_scenario("fix-the-organization")
    variant = counterfactual(fix, REFERENCE, {"coaching"})
    assert variant.levers.coaching_share == 0.3
    assert variant.levers.approval_steps == fix.levers.approval_steps  # other groups as they are
    scheduled = {k for iv in variant.interventions for k in iv.set}
    assert not scheduled & set(REFERENCE.group("coaching").levers)  # no week-26 coaching change
    assert "approval_steps" in scheduled  # the week-13 fix of friction still happens
    assert final_levers(fix).coaching_share == 0.3
    assert counterfactual(fix, REFERENCE, set()) is fix


# ------------------------------------------------------------------ attributions
@pytest.fixture(scope="module")
def friction_heavy():
    return diagnose("friction-heavy", replications=3, weeks=WEEKS, progress=False, workers=2)


@pytest.fixture(scope="module")
def talent_bound():
    return diagnose("talent-bound", replications=3, weeks=WEEKS, progress=False, workers=2)


@pytest.mark.parametrize("metric", ATTRIBUTED)
def test_attributions_add_up_to_the_whole_gap(friction_heavy, metric):
    d = friction_heavy
    table = d.attribution[d.attribution.metric == metric]
    assert table["value"].sum() == pytest.approx(d.endpoints[metric]["gap"][0], abs=1e-9)
    assert table["share"].sum() == pytest.approx(1.0, abs=1e-9)
    shares = d.split[d.split.metric == metric]["share"]
    assert shares.sum() == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("group", "scenario", "nudge"),
    [
        ("friction", "friction-heavy", {"ask_hours": 1.5}),
        ("talent", "talent-bound", {"coaching_share": 0.27}),
    ],
)
def test_a_gap_in_one_group_is_attributed_nearly_all_to_it(group, scenario, nudge):
    # the group as `scenario` has it, plus a small nudge to another group, so that the
    # coalitions are distinct runs and the other groups' values are measured, not zero
    d = diagnose(
        healthy_except(group, scenario).with_levers(nudge),
        replications=3,
        weeks=WEEKS,
        progress=False,
        workers=2,
    )
    assert d.endpoints["mean_attainment"]["gap"][1] > 0.05  # the one group really costs
    assert d.share(group) > 0.85
    for other in REFERENCE.names:
        if other != group:
            assert abs(d.share(other)) < 0.12, other
    assert d.ranking.iloc[0].group == group


def test_friction_heavy_is_a_systemic_story(friction_heavy):
    d = friction_heavy
    today, healthy = (
        d.endpoints["mean_attainment"]["today"][0],
        d.endpoints["mean_attainment"]["healthy"][0],
    )
    assert healthy > today + 0.5  # far below what the same organization could do
    assert d.share("friction") > 0.4
    assert d.share("friction") == max(d.share(g) for g in REFERENCE.names)
    systemic, low, _ = d.systemic_share()
    assert systemic > 0.85 and low > 0.7
    assert d.start_with[0] == "friction"
    assert d.seller_coefficients["dependencies"] < 0  # a loaded specialist holds sellers back
    first = d.ranking.iloc[0]
    assert first.gain_low > 0 and first.selling_hours_freed > 0
    assert first.support_hours_taken > 0  # more specialists and desk staff cost hours


def test_talent_bound_is_an_individual_story(talent_bound):
    d = talent_bound
    assert d.share("talent") == max(d.share(g) for g in REFERENCE.names)
    assert abs(d.share("friction")) < 0.02 and abs(d.share("asks")) < 0.02  # healthy already
    systemic, _, _ = d.systemic_share()
    assert 1 - systemic > 0.4
    assert d.start_with[0] == "talent"


def test_the_two_stories_differ(friction_heavy, talent_bound):
    assert friction_heavy.systemic_share()[0] - talent_bound.systemic_share()[0] > 0.3
    assert friction_heavy.start_with[0] != talent_bound.start_with[0]


# ------------------------------------------------------------------ sellers
def test_a_sellers_shortfall_splits_into_parts_that_add_up():
    rng = np.random.default_rng(3)
    n = 400
    table = pd.DataFrame(
        {
            "seat": np.arange(n),
            "replication": np.repeat([0, 1], n // 2),
            "skill": rng.uniform(0.3, 0.7, n),
            "manager": rng.uniform(0.2, 0.6, n),
            "dependencies": rng.uniform(1, 4, n),
            "load": rng.uniform(2, 8, n),
            "territory": rng.lognormal(0, 0.25, n),
        }
    )
    # attainment made of skill and territory only, exactly log-linear: no luck
    table["attainment"] = 2.0 * table.skill**2 * table.territory
    examples, r2, coefficients = explain_sellers(table)
    assert r2 == pytest.approx(1.0)
    assert coefficients["skill"] == pytest.approx(2.0)
    assert coefficients["territory"] == pytest.approx(1.0)
    parts = examples[[*FACTORS, "luck"]].sum(axis=1)
    np.testing.assert_allclose(parts, examples.attainment - examples.typical_attainment)
    assert (examples.luck.abs() < 1e-9).all()
    assert examples[["manager", "dependencies", "load"]].abs().max().max() < 1e-9
    assert (examples.skill + examples.territory < 0).all()


def test_friction_heavy_sellers_are_examined(friction_heavy):
    d = friction_heavy
    assert len(d.sellers) > 100 and len(d.examples) == 4
    assert (d.examples.attainment < d.examples.typical_attainment).all()
    parts = d.examples[[*FACTORS, "luck"]].sum(axis=1)
    np.testing.assert_allclose(
        parts, d.examples.attainment.clip(lower=0.02) - d.examples.typical_attainment, atol=1e-9
    )


# ------------------------------------------------------------------ command line
def test_diagnose_command_writes_a_report(tmp_path):
    scenario = tmp_path / "only-asks.toml"
    asks = {**REFERENCE.levers_of(set(REFERENCE.names)), "ask_hours": 8.0}
    body = "\n".join(
        f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in asks.items()
    )
    scenario.write_text(
        f'description = "healthy but for asks"\n[levers]\n{body}\n'.replace("'", '"')
    )
    out = tmp_path / "out"
    done = salesorg(
        "diagnose",
        str(scenario),
        "--replications",
        "4",
        "--weeks",
        "60",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    for bar in ("counterfactual runs", "fixed-now runs", "top two fixed together"):
        assert bar in done.stderr  # each progress bar named for what it counts
    assert "diagnose:" not in done.stderr
    assert "The biggest cause is asks from support functions (100% of the gap)" in done.stdout
    for name in ("report.html", "waterfall.png", "split.png", "ranking.png", "attribution.csv"):
        assert (out / name).stat().st_size > 1000 or name.endswith(".csv")
    html = (out / "report.html").read_text()
    assert (
        "only-asks: where the gap to a healthy organization comes from" in html
        and "data:image/png;base64" in html
    )
    ranking = pd.read_csv(out / "ranking.csv")
    assert ranking.group.iloc[0] == "asks"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["baseline", "--weeks", "30"], "allowed 53 or more"),
        (["baseline", "--replications", "1"], "allowed 2 or more"),
        (["baseline", "--set", "ask_hours=99"], "ask_hours = 99 is out of range"),
        (["baseline", "--reference", "nowhere.toml"], "nowhere.toml: no such reference file"),
    ],
)
def test_diagnose_refusals_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    done = salesorg("diagnose", *args, "--out", str(out))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


# ------------------------------------------------------------------ edges the report must survive
def test_acting_now_keeps_the_people_and_fixes_from_week_one():
    fix = sim.load_scenario("fix-the-organization")
    now = acting_now(fix, REFERENCE, {"coaching"})
    assert now.levers == fix.levers  # the organization starts as it is
    first = now.interventions[0]
    assert first.week == 1 and first.set["coaching_share"] == 0.3
    later = [iv for iv in now.interventions if iv.week > 1]
    assert all("coaching_share" not in iv.set for iv in later)
    talent_bound = sim.load_scenario("talent-bound")
    assert acting_now(talent_bound, REFERENCE, {"friction"}) is talent_bound  # healthy already


def test_identical_counterfactuals_are_one_run():
    talent_bound = sim.load_scenario("talent-bound")  # healthy in friction, asks, attrition
    distinct = {
        _identity(counterfactual(talent_bound, REFERENCE, c)) for c in coalitions(REFERENCE.names)
    }
    assert len(distinct) == 2**3


def test_a_share_slightly_past_100_percent_still_draws(friction_heavy):
    split = friction_heavy.split.copy()
    systemic = split.kind == "systemic"
    split.loc[systemic, ["share", "low", "high"]] = [1.03, 0.99, 1.07]
    split.loc[~systemic, ["share", "low", "high"]] = [-0.03, -0.07, 0.01]
    figure = split_chart(dataclasses.replace(friction_heavy, split=split))
    assert len(figure.axes[0].patches) >= 2 * len(ATTRIBUTED) - 2


def test_the_story_says_when_replications_cannot_tell(friction_heavy):
    unsure = {**friction_heavy.endpoints}
    unsure["mean_attainment"] = {**unsure["mean_attainment"], "gap": (0.7, -0.4, 1.8)}
    lines = story(dataclasses.replace(friction_heavy, endpoints=unsure))
    assert "cannot tell whether there is a shortfall" in lines[1]
    assert not any(line.startswith("Start with") for line in lines)
    better = {**unsure, "mean_attainment": {**unsure["mean_attainment"], "gap": (-0.3, -0.4, -0.2)}}
    lines = story(dataclasses.replace(friction_heavy, endpoints=better))
    assert "better than the healthy reference" in lines[1]


# ------------------------------------------------------------------ the report, as a reader sees it
def test_the_report_speaks_in_points_never_minus_zero_nor_past_100_percent(friction_heavy):
    import re

    from sim.diagnosis.plots import ranking_chart, waterfall
    from sim.diagnosis.report import render_html

    page = render_html(friction_heavy, {})
    assert "-0%" not in page and not re.search(r"systemic (10[1-9]|1[1-9]\d)%", page)
    words = page.split("Whose fault is a low number?")[1].split("<details>")[0]
    assert "R²" not in words and "coefficient" not in words and "goes with" in words
    chart = ranking_chart(friction_heavy)
    chart.canvas.draw()
    ticks = [t.get_text() for t in chart.axes[0].get_xticklabels()]
    assert ticks and not any("%" in t for t in ticks) and "points" in chart.axes[0].get_xlabel()
    steps = [t.get_text() for t in waterfall(friction_heavy).axes[0].texts]
    assert sum(t.endswith(" pts") for t in steps) == len(REFERENCE.groups)


def test_a_systemic_share_past_100_percent_reads_all_of_it():
    from sim.diagnosis.plots import signed, split_words
    from sim.diagnosis.story import split_sentence

    text = split_sentence(1.01, 0.99, 1.03)
    assert text.startswith("All of the gap is systemic") and "101%" not in text
    assert split_words(1.01) == "systemic: all of it" and split_words(0.42) == "systemic 42%"
    assert signed(-0.001) == "0 pts" and signed(0.81) == "+81 pts"


def test_diagnose_measures_against_the_reference_file_it_is_given(tmp_path, cli):
    """--reference FILE: here the healthy friction is the scenario's own admin hours, so the
    whole gap is the asks' (with the shipped reference, friction takes half of it)."""
    sick = {**REFERENCE.levers_of(set(REFERENCE.names)), "ask_hours": 8.0, "admin_hours": 14.0}
    body = "\n".join(
        f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}" for k, v in sick.items()
    )
    scenario = tmp_path / "asks-and-admin.toml"
    scenario.write_text(f'description = "healthy but for asks and admin"\n[levers]\n{body}\n')
    reference = tmp_path / "admin-is-fine.toml"
    reference.write_text(
        '[groups.friction]\nlabel = "Friction: admin only"\nreplace = true\n'
        "levers = { admin_hours = 14.0 }\n"
    )
    out = tmp_path / "out"
    args = ["--replications", "4", "--weeks", "60", "--quiet", "--out", out]
    done = cli("diagnose", scenario, "--reference", reference, *args)
    assert done.returncode == 0, done.stderr
    assert "The biggest cause is asks from support functions (100% of the gap)" in done.stdout
    attribution = pd.read_csv(out / "attribution.csv")
    friction = attribution[attribution.group == "friction"]
    assert (friction.label == "Friction: admin only").all() and (friction.value == 0).all()
    asks = attribution[(attribution.group == "asks") & (attribution.metric == "mean_attainment")]
    assert asks.share.iloc[0] == pytest.approx(1.0) and asks.value.iloc[0] > 0.1
    spec = json.loads((out / ".salesorg.json").read_text())["spec"]
    assert ["friction", "systemic", {"admin_hours": 14.0}] in spec["reference"]
