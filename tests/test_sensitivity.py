"""Designs and sensitivity indices: levers that matter rank above levers that do not."""

import subprocess
import sys

import pandas as pd
import pytest

from sim.experiments.sensitivity import design_points, parse_bounds
from sim.scenario import ScenarioError


def test_designs_have_the_expected_size_and_round_integer_levers():
    bounds = [("approval_steps", 0.0, 6.0), ("follow_up", 0.0, 1.0)]
    matrix, points = design_points("sobol", bounds, 8, seed=1)
    assert matrix.shape == (8 * (2 + 2), 2) and len(points) == 32
    assert all(isinstance(p["approval_steps"], int) for p in points)
    assert all(0.0 <= p["follow_up"] <= 1.0 for p in points)
    assert design_points("sobol", bounds, 8, seed=1)[0].tolist() == matrix.tolist()
    assert len(design_points("lhs", bounds, 10, seed=1)[1]) == 10
    assert len(design_points("morris", bounds, 5, seed=1)[1]) == 5 * 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("follow_up=1:0", "lo must be below hi"),
        ("follow_up=0:3", "out of range"),
        ("folow_up=0:1", "did you mean 'follow_up'"),
    ],
)
def test_bad_bounds_are_refused(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_bounds(text)


def test_morris_ranks_a_lever_that_matters_above_one_that_does_not(tmp_path):
    args = [
        sys.executable,
        "-m",
        "sim.cli",
        "sweep",
        "baseline",
        "--design",
        "morris",
        "--samples",
        "6",
        "--vary",
        "approval_steps=0:8",
        "--vary",
        "people_every=1:52",
        "--weeks",
        "40",
        "--set",
        "n_sellers=40",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    indices = pd.read_csv(tmp_path / "sensitivity.csv")
    wait = indices[indices.outcome == "specialist_wait_weeks"].set_index("lever")["mu_star"]
    assert wait["approval_steps"] > 3.0 and wait["people_every"] < 0.01
    assert (tmp_path / "sensitivity.png").read_bytes()[:4] == b"\x89PNG"
    (tmp_path / "sensitivity.csv").unlink()
    again = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sensitivity", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "sensitivity.csv"), indices)


def test_sensitivity_needs_a_design_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sensitivity", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "no design.json" in result.stderr


def test_sensitivity_refuses_runs_that_are_not_the_designs(tmp_path):
    base = [
        sys.executable,
        "-m",
        "sim.cli",
        "sweep",
        "baseline",
        "--weeks",
        "10",
        "--set",
        "n_sellers=20",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    morris = subprocess.run(
        [
            *base,
            "--design",
            "morris",
            "--samples",
            "2",
            "--vary",
            "follow_up=0:1",
            "--vary",
            "ask_hours=0:5",
        ],
        capture_output=True,
        text=True,
    )
    assert morris.returncode == 0, morris.stderr
    grid = subprocess.run([*base, "--vary", "follow_up=0:1:5"], capture_output=True, text=True)
    assert grid.returncode == 0, grid.stderr
    assert not (tmp_path / "design.json").exists()  # a grid sweep leaves no design behind
    result = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sensitivity", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "no design.json" in result.stderr
