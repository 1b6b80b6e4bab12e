"""Targets files: what an organization measured, read from TOML or CSV, refused clearly."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario import ScenarioError
from sim.scenario.targets import load_targets

EXAMPLE = "scenarios/examples/acme.targets.toml"


def test_the_worked_example_loads_in_both_forms():
    toml = load_targets(EXAMPLE).figures()
    csv = load_targets("scenarios/examples/acme-targets.csv").figures()
    assert len(toml) == 17 and toml["time_study.selling"] == 13.0
    assert toml["history.3.bookings_per_seller"] == 115
    assert {k: toml[k] for k in csv} == csv  # the CSV holds the same figures, without history


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("share_at_quota = 1.4", "share_at_quota = 1.4 is not allowed: 0 to 1"),
        ("[time_study]\nsellin = 3", "time_study.sellin: unknown target; did you mean"),
        (
            "bookings_per_seller = -3",
            "bookings_per_seller = -3 is not allowed: above 0, at most 1e+06",
        ),
        ("attainment_quantiles = { p33 = 0.5 }", "attainment_quantiles.p33: unknown quantile"),
        ('description = "nothing measured"', "no targets given"),
        ("share_at_quota = ", "not valid TOML"),
        ("voluntary_attrition = 'a lot'", "voluntary_attrition = 'a lot' is not allowed"),
    ],
)
def test_bad_targets_are_refused_naming_file_key_value_and_allowed(tmp_path, text, message):
    path = tmp_path / "t.toml"
    path.write_text(text + "\n")
    with pytest.raises(ScenarioError, match="t.toml") as refusal:
        load_targets(path)
    assert message in str(refusal.value)


def test_a_bad_csv_line_names_its_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("key,value\nshare_at_quota,0.5,extra\n")
    with pytest.raises(ScenarioError, match="line 2: expected key,value"):
        load_targets(path)
    with pytest.raises(ScenarioError, match="no such targets file"):
        load_targets(tmp_path / "missing.toml")


figures = st.fixed_dictionaries(
    {},
    optional={
        "share_at_quota": st.floats(-1, 2),
        "voluntary_attrition": st.floats(-1, 3),
        "bookings_per_seller": st.floats(-10, 2e6),
        "ramp_months": st.floats(0, 40),
    },
)


@settings(max_examples=120, deadline=None)
@given(
    values=figures,
    hours=st.dictionaries(
        st.sampled_from(["selling", "admin", "x"]), st.floats(-5, 100), max_size=2
    ),
)
def test_a_targets_file_loads_exactly_when_every_figure_is_in_range(
    tmp_path_factory, values, hours
):
    path = tmp_path_factory.mktemp("t") / "t.toml"
    lines = [f"{k} = {v!r}" for k, v in values.items()]
    if hours:
        lines += ["[time_study]"] + [f"{k} = {v!r}" for k, v in hours.items()]
    path.write_text("\n".join(lines) + "\n")
    limits = {
        "share_at_quota": (0, 1),
        "voluntary_attrition": (0, 2),
        "bookings_per_seller": (1e-300, 1e6),
        "ramp_months": (0.25, 36),
    }
    valid = (
        all(limits[k][0] <= v <= limits[k][1] for k, v in values.items())
        and all(k != "x" and 0 <= v <= 80 for k, v in hours.items())
        and bool(values or hours)
    )
    if valid:
        loaded = load_targets(path)
        for key, value in values.items():
            assert getattr(loaded, key) == value
    else:
        with pytest.raises(ScenarioError, match="t.toml"):
            load_targets(path)
