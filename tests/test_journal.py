"""Journals of sweeps and comparisons: validated, checksummed, locked, resumed, interrupted."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import pandas as pd

from sim.cli import main
from sim.experiments.engines.local import run_local
from sim.experiments.sweep import sweep
from sim.files import folder_lock

SMALL = {"weeks": 15, "n_sellers": 20}
POINTS = [{"approval_steps": s, **SMALL} for s in (1, 3, 5)]


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def test_damaged_journal_lines_are_set_aside_and_their_runs_run_again(tmp_path, capsys):
    fresh = sweep("baseline", POINTS, out=tmp_path / "a", workers=1, progress=False)
    folder = tmp_path / "b"
    sweep("baseline", POINTS, out=folder, workers=1, progress=False)
    journal = folder / "runs.jsonl"
    good = lines(journal)
    changed = json.loads(good[1])
    changed["bookings"] += 1.0  # a valid line whose number was edited: the checksum fails
    journal.write_text(
        "\n".join([good[0], "{}", "42", '{"key": [1]}', json.dumps(changed), good[2]]) + "\n"
    )
    resumed = sweep("baseline", POINTS, out=folder, workers=1, progress=False)
    pd.testing.assert_frame_equal(resumed, fresh)
    assert lines(folder / "runs.jsonl.bad") == ["{}", "42", '{"key": [1]}', json.dumps(changed)]
    assert len(lines(journal)) == 3  # the two good lines and the run done again
    assert "4 damaged line(s)" in capsys.readouterr().err


def test_a_second_sweep_into_a_folder_in_use_is_refused(tmp_path, cli):
    args = ["sweep", "baseline", "--vary", "follow_up=0:1:2", "--weeks", "5", "--quiet"]
    out = tmp_path / "s"
    assert main([*args, "--out", str(out)]) == 0
    before = lines(out / "runs.jsonl")
    with folder_lock(out):  # as another sweep writing there would
        result = cli(*args, "--replications", "2", "--out", out)
    assert result.returncode == 2 and "another sweep is writing here" in result.stderr
    assert f"process {os.getpid()}" in result.stderr and "Traceback" not in result.stderr
    assert lines(out / "runs.jsonl") == before


def hear_ctrl_c():
    """In the child: take Ctrl-C as a terminal would (a background job inherits it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_says_how_many_runs_are_kept(tmp_path):
    args = ["sweep", "baseline", "--vary", "approval_steps=0:8:9", "--replications", "3"]
    args += ["--weeks", "30", "--set", "n_sellers=60", "--workers", "1", "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", *args, "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=hear_ctrl_c,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(lines(tmp_path / "runs.jsonl")) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    kept = re.search(r"interrupted; (\d+) of 27 runs are kept in .*runs\.jsonl", err)
    assert kept, err
    assert int(kept.group(1)) == len(lines(tmp_path / "runs.jsonl")) >= 3
    assert "nothing was written" not in err and "Traceback" not in err


def worker_pid(_):
    return os.getpid()


def test_workers_are_replaced_every_50_runs_not_every_50_batches():
    pids = {pid for _, pid in run_local(worker_pid, list(range(400)), workers=2)}
    assert len(pids) >= 400 // 50  # batches of 8 runs: 6 batches (48 runs) per worker


COMPARE = ["compare", "baseline", "friction-heavy", "--weeks", "15", "--set", "n_sellers=20"]
COMPARE += ["--workers", "1", "--quiet"]


def test_compare_resumes_and_reuses_its_runs(tmp_path):
    grown = tmp_path / "grown"
    assert main([*COMPARE, "--replications", "2", "--out", str(grown)]) == 0
    assert len(lines(grown / "runs.jsonl")) == 4
    assert main([*COMPARE, "--replications", "3", "--out", str(grown)]) == 0
    assert len(lines(grown / "runs.jsonl")) == 6  # two runs more, the first four reused
    fresh = tmp_path / "fresh"
    assert main([*COMPARE, "--replications", "3", "--out", str(fresh)]) == 0
    for table in ("runs.csv", "summary.csv", "weekly.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(grown / table), pd.read_csv(fresh / table))


def test_a_damaged_compare_journal_line_is_run_again(tmp_path):
    out = tmp_path / "c"
    assert main([*COMPARE, "--replications", "2", "--out", str(out)]) == 0
    summary = (out / "summary.csv").read_text()
    journal = lines(out / "runs.jsonl")
    row = json.loads(journal[0])
    row["weekly"]["bookings"][-1] *= 2
    (out / "runs.jsonl").write_text("\n".join([json.dumps(row), *journal[1:]]) + "\n")
    assert main([*COMPARE, "--replications", "2", "--out", str(out)]) == 0
    assert (out / "summary.csv").read_text() == summary
    assert len(lines(out / "runs.jsonl.bad")) == 1


def test_a_comparison_of_other_scenarios_into_the_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "c"
    assert main([*COMPARE, "--replications", "2", "--out", str(out)]) == 0
    other = ["compare", "baseline", "talent-bound", *COMPARE[3:], "--replications", "2"]
    assert main([*other, "--out", str(out)]) == 2
    assert "holds a comparison of other scenarios" in capsys.readouterr().err
    assert main([*other, "--out", str(out), "--force"]) == 0
    assert set(pd.read_csv(out / "runs.csv").scenario) == {"baseline", "talent-bound"}
    assert len(lines(out / "runs.jsonl")) == 4
