"""Answers that carry what we do not know: replications that draw their levers from a posterior."""

import pandas as pd
import pytest

from sim.diagnosis import diagnose
from sim.experiments.compare import compare
from sim.experiments.inference import read_draws
from sim.experiments.replications import replicate
from sim.scenario import ScenarioError
from tests.conftest import salesorg

DRAWS = [{"admin_hours": 6.0}, {"admin_hours": 14.0}]


def test_replication_i_of_every_scenario_takes_draw_i():
    weekly = replicate(
        ["baseline", "fire-low-performers"],
        replications=4,
        seed=2,
        overrides={"weeks": 20},
        draws=DRAWS,
        progress=False,
        workers=1,
    )
    admin = weekly.groupby(["scenario", "replication"])["hours_admin"].mean().unstack()
    # draws cycle: replications 0 and 2 had 6 admin hours (less tool relief), 1 and 3 had 14
    assert (admin[[1, 3]].min(axis=1) > admin[[0, 2]].max(axis=1) + 6).all()
    # and both scenarios of a replication share it (the differences stay paired)
    assert (admin.loc["baseline"] - admin.loc["fire-low-performers"]).abs().max() < 0.5


def test_the_posterior_widens_the_interval_and_the_verdict_says_so():
    plain = compare(
        ["baseline", "fix-the-organization"], replications=4, weeks=60, progress=False, workers=1
    )
    drawn = compare(
        ["baseline", "fix-the-organization"],
        replications=4,
        weeks=60,
        progress=False,
        workers=1,
        draws=[{"competition": 0.15}, {"competition": 1.2}],
    )
    width = {
        name: c.value("fix-the-organization", "bookings", "ci_high")
        - c.value("fix-the-organization", "bookings", "ci_low")
        for name, c in (("plain", plain), ("drawn", drawn))
    }
    assert width["drawn"] > 3 * width["plain"]
    from sim.reports.compare_report import verdict

    said = " ".join(verdict(drawn))
    assert "drew its levers from a calibration's posterior (2 of its 2 draws)" in said


def test_a_diagnosis_can_start_each_replication_from_a_draw():
    d = diagnose(
        "talent-bound",
        replications=2,
        weeks=60,
        progress=False,
        workers=1,
        draws=[{"quit_rate": 0.05}, {"quit_rate": 0.25}],
    )
    assert d.draws == 2 and not d.ranking.empty
    vol = d.outcomes.groupby("replication")["voluntary_attrition_rate"].mean()
    assert vol[1] > vol[0] + 0.05  # each replication's organization took its own draw


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("competition\n0.4\nlots\n", "column competition: every draw must be a number"),
        ("competiton\n0.4\n", "competiton: unknown lever"),
        ("competition\n-3\n", "competition = -3 is out of range: allowed 0.0 to 20.0"),
        ("", "not a table of draws"),
        ("competition\n", "holds no draws"),
    ],
)
def test_bad_draws_are_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "posterior.csv"
    path.write_text(text)
    with pytest.raises(ScenarioError, match="posterior.csv") as refusal:
        read_draws(path)
    assert message in str(refusal.value)


def test_compare_refuses_a_missing_posterior_before_any_run(tmp_path):
    done = salesorg(
        "compare",
        "baseline",
        "fix-the-organization",
        "--posterior",
        str(tmp_path / "nope.csv"),
        "--out",
        str(tmp_path / "out"),
    )
    assert done.returncode == 2 and "no such posterior file" in done.stderr
    assert not (tmp_path / "out").exists()


def test_draws_read_back_as_levers(tmp_path):
    path = tmp_path / "posterior.csv"
    pd.DataFrame({"competition": [0.3, 0.5], "quit_rate": [0.1, 0.2]}).to_csv(path, index=False)
    assert read_draws(path) == [
        {"competition": 0.3, "quit_rate": 0.1},
        {"competition": 0.5, "quit_rate": 0.2},
    ]
