"""`salesorg init`: plain answers become a scenario that validates, and the measured targets."""

import pytest

from sim.scenario import load_scenario
from sim.scenario.questions import QUESTIONS, answers_from, levers_from
from sim.scenario.targets import load_targets
from tests.conftest import salesorg


def test_the_defaults_describe_the_baseline():
    levers = dict((k, v) for k, (v, _) in levers_from(answers_from({})).items())
    base = load_scenario("baseline").levers
    for lever in (
        "n_sellers",
        "span_of_control",
        "approval_steps",
        "admin_hours",
        "meeting_hours",
        "ask_hours",
        "hiring_weeks",
        "deal_size",
        "quota",
    ):
        assert levers[lever] == getattr(base, lever), lever
    assert levers["sellers_per_specialist"] == pytest.approx(base.sellers_per_specialist, 0.02)
    assert abs(levers["initiative_rate"] - base.initiative_rate) < 0.5
    assert abs(levers["ramp_weeks"] - base.ramp_weeks) <= 1


def test_answers_map_to_the_levers_they_set():
    answers = answers_from(
        {
            "sellers": 120,
            "managers": 15,
            "presales": 30,
            "approval_steps": 2,
            "approval_analysts": 8,
            "seller_ote": 200,
            "quota": 800,
        }
    )
    levers = levers_from(answers)
    assert levers["span_of_control"][0] == 8 and levers["sellers_per_specialist"][0] == 4.0
    assert levers["sellers_per_approver"][0] == 30.0  # 120 sellers x 2 desks / 8 analysts
    assert levers["commission_rate"][0] == pytest.approx(100 / 800)  # half of 200 at 800 quota
    assert "120 sellers / 15 managers" in levers["span_of_control"][1]


def test_init_writes_a_scenario_and_targets_that_load(tmp_path):
    out = tmp_path / "acme.toml"
    done = salesorg(
        "init",
        "--out",
        str(out),
        "--no-input",
        "--sellers",
        "90",
        "--at-quota",
        "41",
        "--selling-hours",
        "12.5",
    )
    assert done.returncode == 0, done.stderr
    scenario = load_scenario(out)
    assert scenario.levers.n_sellers == 90
    assert "# 90 sellers" in out.read_text()  # each lever says which answer set it
    targets = load_targets(tmp_path / "acme.targets.toml")
    assert targets.share_at_quota == 0.41 and targets.time_study.selling == 12.5
    again = salesorg("init", "--out", str(out), "--no-input")
    assert again.returncode == 2 and "exists; nothing was written" in again.stderr


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--sellers", "0", "--sellers '0' is out of range: allowed 1 to 100000 (sellers)"),
        ("--sellers", "twelve", "--sellers 'twelve': not a number"),
        ("--managers", "500", "more managers than sellers"),
        ("--gross-margin", "120", "--gross-margin '120' is out of range: allowed 0 to 100 (%)"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(tmp_path, flag, value, message):
    out = tmp_path / "x.toml"
    done = salesorg("init", "--out", str(out), "--no-input", flag, value)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not out.exists() and not (tmp_path / "x.targets.toml").exists()


def test_every_question_has_a_flag_and_a_default_in_range():
    for q in QUESTIONS:
        assert q.low <= q.default <= q.high and q.flag.startswith("--")
