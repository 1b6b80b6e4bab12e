"""Calibration: synthetic recovery, resume, refusals, and what the files say."""

import json

import numpy as np
import pandas as pd
import pytest

from sim.experiments.inference import Prior, calibrate, identifiability, predictive, summaries
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.targets import Targets
from tests.conftest import salesorg

pyabc = pytest.importorskip("pyabc")

SMALL = load_scenario("baseline").with_levers({"n_sellers": 60, "warmup_weeks": 78})
TRUTH = {"competition": 0.6, "quit_rate": 0.15, "manage_out_rate": 0.025}
PRIORS = {
    "competition": Prior(0.1, 1.5, "bookings"),
    "quit_rate": Prior(0.02, 0.30, "voluntary attrition"),
    "manage_out_rate": Prior(0.0, 0.05, "involuntary attrition"),
}
FIGURES = [
    "bookings_per_seller",
    "share_at_quota",
    "voluntary_attrition",
    "involuntary_attrition",
    "time_study.selling",
]


@pytest.fixture(scope="module")
def recovered(tmp_path_factory):
    runs = pd.DataFrame([summaries(TRUTH, s, SMALL, FIGURES) for s in range(50, 56)])
    observed = runs.mean()
    targets = Targets(
        bookings_per_seller=observed["bookings_per_seller"],
        share_at_quota=observed["share_at_quota"],
        voluntary_attrition=observed["voluntary_attrition"],
        involuntary_attrition=observed["involuntary_attrition"],
        time_study={"selling": observed["time_study.selling"]},
    )
    out = tmp_path_factory.mktemp("cal")
    posterior = calibrate(
        SMALL, targets, out, population=60, generations=4, priors=PRIORS, workers=2
    )
    return targets, out, posterior


def test_synthetic_recovery_covers_the_truth(recovered):
    _, _, posterior = recovered
    table = identifiability(posterior).set_index("lever")
    for lever, value in TRUTH.items():
        row = table.loc[lever]
        if row.pinned:  # an identifiable lever: the truth lies in its 90% interval
            assert row.low <= value <= row.high, (lever, value, row.low, row.high)
    assert table.loc["competition"].pinned  # bookings pin down rivals' strength
    assert posterior.simulations >= 4 * 60 and posterior.generations == 4


def test_the_posterior_predicts_the_targets(recovered):
    targets, _, posterior = recovered
    fit = predictive(SMALL, posterior, targets, draws=20)
    assert fit.inside.mean() >= 0.8, fit


def test_a_calibration_resumes_where_it_stopped_and_refuses_another(recovered, tmp_path):
    targets, out, posterior = recovered
    more = calibrate(SMALL, targets, out, population=60, generations=5, priors=PRIORS, workers=2)
    assert more.generations == 5 and more.simulations > posterior.simulations
    assert json.loads((out / "calibration.json").read_text())["digest"]
    with pytest.raises(ScenarioError, match="holds another calibration"):
        calibrate(SMALL, targets, out, population=50, generations=5, priors=PRIORS)


def test_a_lever_the_data_do_not_touch_is_reported_open(recovered):
    _, _, posterior = recovered
    draws = posterior.draws(500)
    assert set(draws.columns) == set(PRIORS) and len(draws) == 500
    spread = np.ptp(draws["competition"]) / (1.5 - 0.1)
    assert spread < 0.8


def test_calibrate_refuses_bad_targets_without_a_traceback(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text("share_at_quota = 2\n")
    done = salesorg("calibrate", "baseline", "--targets", str(bad), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "share_at_quota = 2" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "o").exists()


def test_calibrate_never_writes_into_a_folder_of_other_files(tmp_path):
    (tmp_path / "thesis.txt").write_text("mine")
    with pytest.raises(ScenarioError, match="not a calibration's; nothing was written"):
        calibrate(
            SMALL,
            Targets(share_at_quota=0.5),
            tmp_path,
            population=10,
            generations=1,
            priors=PRIORS,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.txt"]


def test_calibration_runs_on_a_dask_cluster(tmp_path):
    pytest.importorskip("dask.distributed")
    targets = Targets(share_at_quota=0.5, voluntary_attrition=0.15)
    posterior = calibrate(
        SMALL,
        targets,
        tmp_path / "dask",
        population=12,
        generations=2,
        priors=PRIORS,
        engine="dask",
        workers=2,
    )
    assert posterior.generations == 2 and len(posterior.particles) == 12
