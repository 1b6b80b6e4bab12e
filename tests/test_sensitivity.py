"""Designs and sensitivity indices: levers that matter rank above levers that do not."""

import shutil
import subprocess
import sys

import numpy as np
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


def sensitivity(folder):
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", "sensitivity", str(folder)],
        capture_output=True,
        text=True,
    )


BASE = ["sweep", "baseline", "--weeks", "10", "--set", "n_sellers=20", "--quiet"]
MORRIS = [
    "--design",
    "morris",
    "--samples",
    "2",
    "--vary",
    "follow_up=0:1",
    "--vary",
    "ask_hours=0:5",
]


@pytest.fixture(scope="module")
def morris_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("morris")
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", *BASE, *MORRIS, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_another_sweep_into_a_design_folder_is_refused_and_changes_nothing(morris_folder):
    before = {p.name: p.read_bytes() for p in morris_folder.iterdir() if p.is_file()}
    grid = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.cli",
            *BASE,
            "--vary",
            "follow_up=0:1:5",
            "--out",
            str(morris_folder),
        ],
        capture_output=True,
        text=True,
    )
    assert grid.returncode == 2 and "holds a sweep of other" in grid.stderr
    assert "Traceback" not in grid.stderr
    after = {p.name: p.read_bytes() for p in morris_folder.iterdir() if p.is_file()}
    assert after == before
    assert sensitivity(morris_folder).returncode == 0


def test_sensitivity_refuses_runs_that_are_not_the_designs(morris_folder, tmp_path, cli):
    """The runs must be the design's points, each with a successful run: another design's
    points (another seed, other values) or a failed point give no indices."""
    import json

    def copy(name):
        folder = tmp_path / name
        shutil.copytree(morris_folder, folder)
        (folder / "sensitivity.csv").unlink()
        return folder

    def refused(folder, message):
        result = cli("sensitivity", folder)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not (folder / "sensitivity.csv").exists()

    reseeded = copy("reseeded")  # design.json of a design drawn with another seed
    design = json.loads((reseeded / "design.json").read_text())
    (reseeded / "design.json").write_text(json.dumps({**design, "seed": design["seed"] + 1}))
    refused(reseeded, "runs.csv does not hold this design's points")
    moved = copy("moved")  # one point's lever value is not the design's
    runs = pd.read_csv(moved / "runs.csv")
    runs.loc[runs.point == 3, "follow_up"] += 0.25
    runs.to_csv(moved / "runs.csv", index=False)
    refused(moved, "runs.csv does not hold this design's points")
    failed = copy("failed")  # point 4 failed: no indices from the others alone
    runs = pd.read_csv(failed / "runs.csv")
    runs["error"] = runs["error"].astype(object)
    runs.loc[runs.point == 4, "error"] = "MemoryError"
    runs.to_csv(failed / "runs.csv", index=False)
    refused(failed, "no successful run yet for design point(s) 4 of 6")
    intact = copy("intact")
    assert cli("sensitivity", intact).returncode == 0
    assert (intact / "sensitivity.csv").exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("runs.csv", "", "cannot be read as a table"),
        ("runs.csv", "point,error\n0,\n", "no column 'follow_up'"),
        ("runs.csv", "point,follow_up,ask_hours,error,bookings\nx,y,z,,1\n", "is not numbers"),
        ("design.json", "{not json", "cannot be read"),
        ("design.json", '{"design": "morris"}', "damaged, not a design this tool wrote"),
        (
            "design.json",
            '{"design": "morris", "bounds": [["follow_up", 0, 1]], "samples": 2, "seed": "x"}',
            "damaged",
        ),
        (
            "design.json",
            '{"design": "sobol", "bounds": [["follow_up", 0, 1]], "samples": 1, "seed": 1}',
            "at least 8",
        ),
    ],
)
def test_sensitivity_refuses_a_damaged_folder_in_one_line(
    morris_folder, tmp_path, cli, name, text, message
):
    folder = tmp_path / "copy"
    shutil.copytree(morris_folder, folder)
    (folder / name).write_text(text)
    result = cli("sensitivity", folder)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("design", "samples"), [("sobol", "1"), ("sobol", "7"), ("morris", "1")])
def test_designs_too_small_to_mean_anything_are_refused(tmp_path, cli, design, samples):
    args = [
        *BASE,
        "--design",
        design,
        "--samples",
        samples,
        "--vary",
        "follow_up=0:1",
        "--out",
        str(tmp_path / "o"),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True
    )
    assert result.returncode == 2 and "base samples to mean anything" in result.stderr
    assert not (tmp_path / "o").exists()


def test_sensitivity_plots_and_console_use_plain_names_units_and_sigma(morris_folder):
    from sim.reports.sensitivity_report import plot_indices, ranked_lines

    indices = pd.read_csv(morris_folder / "sensitivity.csv")
    bounds = {"follow_up": (0.0, 1.0), "ask_hours": (0.0, 5.0)}
    fig = plot_indices(indices, "morris", bounds)
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    assert "ask hours (0-5 hours/week)" in labels and not any("_" in t for t in labels)
    assert all(any(ln.get_marker() == "D" for ln in ax.lines) for ax in fig.axes if ax.axison)
    assert all("change across the lever's range" in ax.get_xlabel() for ax in fig.axes if ax.axison)
    lines = ranked_lines(indices, "morris")
    assert lines[0].startswith("Bookings per week (k$): Morris mu*") and "k$ a week" in lines[0]
    assert "sigma" in lines[0] and "percentage points" in lines[1]


SOBOL = [
    "--design",
    "sobol",
    "--samples",
    "8",
    "--vary",
    "approval_steps=0:8",
    "--vary",
    "ask_hours=0:8",
    "--vary",
    "people_every=1:52",  # how often people are recorded: changes nothing the model does
    "--workers",
    "1",
]


def saltelli(y: np.ndarray, levers: int) -> tuple[np.ndarray, np.ndarray]:
    """S1 and ST by hand (Saltelli 2010, as SALib computes them): each base sample's rows are
    A, A with lever j from B (one per lever), B."""
    y = (y - y.mean()) / y.std()
    step = levers + 2
    a, b = y[0::step], y[step - 1 :: step]
    var = np.var(np.r_[a, b])
    ab = [y[j + 1 :: step] for j in range(levers)]
    s1 = np.array([np.mean(b * (abj - a)) / var for abj in ab])
    st = np.array([0.5 * np.mean((a - abj) ** 2) / var for abj in ab])
    return s1, st


def test_sobol_indices_from_the_sensitivity_command_are_saltellis_and_rank_the_levers(
    tmp_path, cli
):
    out = tmp_path / "sobol"
    assert cli(*BASE, *SOBOL, "--out", out).returncode == 0
    (out / "sensitivity.csv").unlink()
    done = cli("sensitivity", out)
    assert done.returncode == 0, done.stderr
    assert "total Sobol index ST" in done.stdout
    indices = pd.read_csv(out / "sensitivity.csv")
    assert list(indices.columns) == ["outcome", "lever", "S1", "S1_conf", "ST", "ST_conf"]
    levers = ["approval_steps", "ask_hours", "people_every"]
    means = pd.read_csv(out / "runs.csv").groupby("point").mean(numeric_only=True)
    assert len(means) == 8 * (3 + 2)
    for outcome, rows in indices.groupby("outcome"):
        rows = rows.set_index("lever").loc[levers]
        s1, st = saltelli(means[outcome].to_numpy(), 3)
        assert rows["S1"].to_numpy() == pytest.approx(s1, abs=1e-9), outcome
        assert rows["ST"].to_numpy() == pytest.approx(st, abs=1e-9), outcome
        assert (rows["ST"] >= 0).all() and (rows[["S1_conf", "ST_conf"]] >= 0).all().all()
        assert rows.loc["people_every", ["S1", "ST"]].tolist() == [0.0, 0.0]
    by = {o: rows.set_index("lever") for o, rows in indices.groupby("outcome")}
    wait = by["specialist_wait_weeks"]  # desks make the waits: nearly all of their variance
    assert wait.loc["approval_steps", "ST"] > 0.8 and wait.loc["approval_steps", "S1"] > 0.6
    assert wait.loc["ask_hours", "ST"] < 0.05
    selling = by["selling_time_share"]  # asks take the hours first
    assert selling["ST"].idxmax() == "ask_hours"
    assert selling.loc["ask_hours", "ST"] > 2 * selling.loc["approval_steps", "ST"]
