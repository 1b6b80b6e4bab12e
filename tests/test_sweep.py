"""Sweeps: grids, resuming after interruption without duplicates, failing runs recorded."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from sim.experiments.sweep import grid, parse_vary, sweep
from sim.files import OutputError
from sim.scenario import ScenarioError

SMALL = {"weeks": 20, "n_sellers": 30}


def read_journal(path):
    """The journal's lines that parse (read only: a running sweep may be appending)."""
    rows = []
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def test_vary_parses_grids_and_rounds_integer_levers():
    assert parse_vary("coaching_quality=0.2:0.8:4")[1] == pytest.approx([0.2, 0.4, 0.6, 0.8])
    assert parse_vary("approval_steps=1:6:4") == ("approval_steps", [1, 3, 4, 6])
    assert len(grid([parse_vary("approval_steps=1:2:2"), parse_vary("follow_up=0:1:3")])) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("aproval_steps=1:6:6", "did you mean 'approval_steps'"),
        ("approval_steps=1:12:3", "approval_steps = 12 is out of range"),
        ("approval_steps=1-6", "expected lever=lo:hi:n"),
        ("approval_steps=a:b:3", "must be numbers"),
    ],
)
def test_bad_vary_is_refused_clearly(text, message):
    with pytest.raises(ScenarioError, match=message):
        parse_vary(text)


def points():
    return [{"approval_steps": s, **SMALL} for s in (1, 3, 5)]


def test_a_sweep_gives_one_row_per_run_in_order(tmp_path):
    table = sweep("baseline", points(), out=tmp_path, replications=2, workers=1, progress=False)
    assert len(table) == 6 and (table["error"] == "").all()
    assert table["approval_steps"].tolist() == [1, 1, 3, 3, 5, 5]
    assert table.groupby("replication")["seed"].nunique().tolist() == [1, 1]  # shared seeds
    assert table.groupby("approval_steps")["specialist_wait_weeks"].mean().is_monotonic_increasing
    written = pd.read_csv(tmp_path / "runs.csv", dtype={"error": str}).fillna({"error": ""})
    pd.testing.assert_frame_equal(written, table, check_dtype=False)


def test_resume_runs_only_what_is_missing_and_ignores_a_torn_line(tmp_path):
    full = sweep(
        "baseline", points(), out=tmp_path / "a", replications=2, workers=1, progress=False
    )
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    journal = tmp_path / "b" / "runs.jsonl"
    lines = (tmp_path / "a" / "runs.jsonl").read_text().splitlines()
    journal.write_text("\n".join(lines[:3]) + "\n" + lines[3][:40])  # killed mid-write
    resumed = sweep(
        "baseline", points(), out=tmp_path / "b", replications=2, workers=2, progress=False
    )
    pd.testing.assert_frame_equal(resumed, full)
    keys = [row["key"] for row in read_journal(journal)]
    assert len(keys) == len(set(keys)) == 6


def explode(point, seed, scenario):
    if point["approval_steps"] == 3:
        raise RuntimeError("desk on fire")
    return {"bookings": 1.0}


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    table = sweep(
        "baseline",
        points(),
        out=tmp_path,
        replications=1,
        workers=1,
        progress=False,
        evaluate_fn=explode,
    )
    assert table["error"].tolist() == ["", "RuntimeError: desk on fire", ""]
    assert table["bookings"].isna().tolist() == [False, True, False]


def test_an_interrupted_sweep_command_resumes_without_losing_runs(tmp_path):
    args = [
        sys.executable,
        "-m",
        "sim.cli",
        "sweep",
        "baseline",
        "--vary",
        "approval_steps=0:8:9",
        "--replications",
        "3",
        "--weeks",
        "30",
        "--set",
        "n_sellers=60",
        "--workers",
        "1",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = tmp_path / "runs.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline and len(read_journal(journal)) < 5:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(read_journal(journal))
    assert 5 <= partial < 27
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "runs.csv")
    assert len(table) == 27 and not table.duplicated(["approval_steps", "replication"]).any()
    assert len(read_journal(journal)) == 27


def test_a_different_scenario_or_seed_in_the_same_folder_is_refused_unless_forced(tmp_path):
    first = sweep("baseline", points(), out=tmp_path, replications=1, workers=1, progress=False)
    kept = (tmp_path / "runs.csv").read_text()
    for other in ({"scenario": "friction-heavy"}, {"scenario": "baseline", "seed": 9}):
        with pytest.raises(OutputError, match="holds a sweep of other scenarios"):
            sweep(points=points(), out=tmp_path, workers=1, progress=False, **other)
    assert (tmp_path / "runs.csv").read_text() == kept
    forced = sweep("friction-heavy", points(), out=tmp_path, workers=1, progress=False, force=True)
    assert not forced["bookings"].equals(first["bookings"])
    assert len(read_journal(tmp_path / "runs.jsonl")) == 3  # the other sweep's runs are gone


calls = []


def flaky(point, seed, scenario):
    calls.append(point["approval_steps"])
    if point["approval_steps"] == 3 and calls.count(3) == 1:
        raise RuntimeError("network blip")
    return {"bookings": float(point["approval_steps"])}


def test_a_failed_run_is_retried_on_resume(tmp_path):
    calls.clear()
    first = sweep("baseline", points(), out=tmp_path, workers=1, progress=False, evaluate_fn=flaky)
    assert first["error"].tolist() == ["", "RuntimeError: network blip", ""]
    again = sweep("baseline", points(), out=tmp_path, workers=1, progress=False, evaluate_fn=flaky)
    assert calls == [1, 3, 5, 3]
    assert again["error"].tolist() == ["", "", ""] and again["bookings"].tolist() == [1, 3, 5]
