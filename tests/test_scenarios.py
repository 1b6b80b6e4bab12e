"""Loading and validating scenario files."""

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.scenario import ScenarioError, load_scenario, scenario_names
from sim.scenario.levers import Levers, lever_table

REQUIRED = {"baseline", "friction-heavy", "initiative-overload", "fix-the-organization"}
NUMERIC = [r for r in lever_table() if r["low"] is not None and r["name"] not in {"weeks"}]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    return path


def test_shipped_scenarios_load_with_a_description():
    assert set(scenario_names()) >= REQUIRED
    for name in scenario_names():
        scenario = load_scenario(name)
        assert scenario.description.strip(), name
        assert "\n" not in scenario.description.strip()


def test_baseline_is_the_lever_defaults():
    assert load_scenario("baseline").levers == Levers()


def test_extends_overrides_and_keeps_parent_values(tmp_path):
    write(
        tmp_path, "parent", 'description = "p"\n[levers]\napproval_steps = 5\nadmin_hours = 9.0\n'
    )
    parent = tmp_path / "parent.toml"
    child = write(tmp_path, "child", f'extends = "{parent}"\n[levers]\nadmin_hours = 4.0\n')
    scenario = load_scenario(child)
    assert scenario.levers.approval_steps == 5
    assert scenario.levers.admin_hours == 4.0
    assert scenario.chain == ("child", "parent")


def test_extends_is_read_beside_the_file_first(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "parent", "[levers]\napproval_steps = 5\n")
    child = write(tmp_path / "sub", "child", 'extends = "parent.toml"\n')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").mkdir()  # a folder named like a scenario does not hide it
    assert load_scenario(child).levers.approval_steps == 5
    assert load_scenario("baseline").name == "baseline"


def test_booleans_are_not_numbers(tmp_path):
    path = write(tmp_path, "bool", "[levers]\napproval_steps = true\n")
    with pytest.raises(ScenarioError, match="approval_steps = True: not a number; allowed 0 to 8"):
        load_scenario(path)


def test_wrong_type_names_the_allowed_range(tmp_path):
    path = write(tmp_path, "type", "[levers]\napproval_steps = 'three'\n")
    with pytest.raises(ScenarioError, match="approval_steps = 'three'.*allowed 0 to 8"):
        load_scenario(path)


def test_an_intervention_after_the_end_is_refused(tmp_path):
    path = write(tmp_path, "late", "[levers]\nweeks = 52\n[[interventions]]\nweek = 60\nset = {}\n")
    with pytest.raises(ScenarioError, match="week 60 comes after the run ends"):
        load_scenario(path)


def test_fix_the_organization_schedules_interventions_by_week():
    scenario = load_scenario("fix-the-organization")
    weeks = [iv.week for iv in scenario.interventions]
    assert weeks == sorted(weeks) and weeks[0] > 0
    changed = {k for iv in scenario.interventions for k in iv.set}
    assert {"approval_steps", "initiative_cap", "coaching_share", "ask_hours"} <= changed


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "broken", 'description = "x"\n[levers]\napproval_steps = = 3\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert str(path) in message and "line 3" in message


def test_unknown_lever_names_key_and_closest(tmp_path):
    path = write(tmp_path, "typo", "[levers]\naproval_steps = 2\n")
    with pytest.raises(
        ScenarioError, match=r"levers\.aproval_steps.*did you mean 'approval_steps'"
    ):
        load_scenario(path)


def test_unknown_top_level_key_names_closest(tmp_path):
    path = write(tmp_path, "typo2", 'descripton = "x"\n')
    with pytest.raises(ScenarioError, match="descripton.*did you mean 'description'"):
        load_scenario(path)


def test_out_of_range_names_key_value_and_range(tmp_path):
    path = write(tmp_path, "range", "[levers]\ncoaching_share = 1.5\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert re.search(
        r"levers\.coaching_share = 1\.5 is out of range: allowed 0\.0 to 1\.0", str(err.value)
    )


def test_bad_choice_lists_the_allowed_values(tmp_path):
    path = write(tmp_path, "choice", '[levers]\ncoaching_focus = "everything"\n')
    with pytest.raises(ScenarioError, match="one_thing.*one_size"):
        load_scenario(path)


def test_intervention_is_validated_like_levers(tmp_path):
    path = write(tmp_path, "iv", "[[interventions]]\nweek = 4\nset = { initiative_cap = 0 }\n")
    with pytest.raises(ScenarioError, match=r"interventions\[0\]\.set\.initiative_cap = 0"):
        load_scenario(path)


def test_intervention_cannot_change_fixed_levers(tmp_path):
    path = write(tmp_path, "fixed", "[[interventions]]\nweek = 4\nset = { n_sellers = 10 }\n")
    with pytest.raises(ScenarioError, match="n_sellers: cannot change during a run"):
        load_scenario(path)


def test_circular_extends_is_refused(tmp_path):
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text(f'extends = "{b}"\n')
    b.write_text(f'extends = "{a}"\n')
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(a)


def test_unknown_scenario_suggests_a_known_one():
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        load_scenario("baseline2")


def test_model_keyword_levers_are_validated():
    with pytest.raises(ScenarioError, match="span_of_contrl.*span_of_control"):
        sim.SalesOrgModel(span_of_contrl=3)


@st.composite
def lever_values(draw):
    chosen = draw(
        st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=6, unique_by=lambda r: r["name"])
    )
    values = {}
    for row in chosen:
        if isinstance(row["default"], int):
            values[row["name"]] = draw(st.integers(row["low"], min(row["high"], 10**6)))
        else:
            values[row["name"]] = draw(
                st.floats(row["low"], row["high"], allow_nan=False, allow_infinity=False)
            )
    return values


def _toml(values: dict) -> str:
    return "[levers]\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=lever_values())
def test_any_valid_levers_round_trip_through_a_file(tmp_path, values):
    path = write(tmp_path, "prop", _toml(values))
    assert tomllib.loads(path.read_text())["levers"] == values
    loaded = load_scenario(path).levers
    for key, value in values.items():
        assert getattr(loaded, key) == value


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.sampled_from(NUMERIC), excess=st.floats(0.01, 1e6))
def test_any_out_of_range_value_is_refused_with_its_range(tmp_path, row, excess):
    value = row["high"] + excess
    value = int(value) + 1 if isinstance(row["default"], int) else value
    path = write(tmp_path, "bad", _toml({row["name"]: value}))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    message = str(err.value)
    assert row["name"] in message and f"allowed {row['low']} to {row['high']}" in message


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.text(alphabet="[]=\"'{}#\n abc123.", min_size=1, max_size=40))
def test_arbitrary_text_gives_a_scenario_error_or_loads(tmp_path, junk):
    """Never a traceback: a clear refusal naming the file, or a scenario that is valid TOML."""
    path = write(tmp_path, "junk", junk)
    try:
        parsed = tomllib.loads(junk)
    except tomllib.TOMLDecodeError:
        parsed = None
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert str(path) in str(exc)
        if parsed is None:  # bad TOML is refused as such, with its line
            assert "line" in str(exc) or "TOML" in str(exc)
    else:
        assert parsed is not None  # only valid TOML loads
        assert set(parsed) <= {"description", "extends", "levers", "interventions"}
        assert scenario.levers == load_scenario("baseline").levers.model_copy(
            update=parsed.get("levers", {})
        )


def test_interventions_are_inherited_through_extends_and_run(tmp_path):
    """A scenario extending fix-the-organization runs its parent's two interventions as well
    as its own: week for week its parent until its own, the baseline before the first."""
    import pandas as pd

    from sim.experiments.runner import run_scenario

    child = write(
        tmp_path,
        "fixed-and-asked-less",
        'description = "The fix, and from week 20 half an hour of asks"\n'
        'extends = "fix-the-organization"\n[levers]\nn_sellers = 40\nweeks = 40\n\n'
        '[[interventions]]\nweek = 20\nnote = "Asks cut to half an hour"\n'
        "set = { ask_hours = 0.5 }\n",
    )
    scenario = load_scenario(child)
    assert [iv.week for iv in scenario.interventions] == [13, 20, 26]
    assert scenario.chain == ("fixed-and-asked-less", "fix-the-organization", "baseline")
    small = {"n_sellers": 40, "weeks": 40}
    ours = run_scenario(scenario, seed=2)
    parent = run_scenario(load_scenario("fix-the-organization").with_levers(small), seed=2)
    base = run_scenario(load_scenario("baseline").with_levers(small), seed=2)
    assert [week for week, _ in ours.events] == [13, 20, 26]
    assert ours.events[1][1] == "Asks cut to half an hour"
    pd.testing.assert_frame_equal(ours.weekly.loc[:12], base.weekly.loc[:12])
    pd.testing.assert_frame_equal(ours.weekly.loc[:19], parent.weekly.loc[:19])
    # the parent's fix did its work: one desk instead of three, waits far shorter
    wait = "specialist_wait_weeks"
    assert ours.weekly.loc[14:19, wait].mean() < base.weekly.loc[14:19, wait].mean() - 1.0
    # and the child's own: an hour less of asks a seller a week
    asks = "hours_asks"
    assert ours.weekly.loc[21:, asks].mean() < parent.weekly.loc[21:, asks].mean() - 0.8
