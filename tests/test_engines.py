"""The local engine: workers replaced every few runs, and a worker that dies is replaced and
its runs redone, with the same results; one that keeps dying gives up in one line."""

import os
import signal
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import sim.experiments.engines.local as local
import sim.experiments.replications as replications
from sim.cli import main
from sim.experiments.compare import compare
from sim.experiments.engines import run_tasks

#: a file that exists once a worker has died (set before the pool forks its workers)
MARKER = Path("/nonexistent")
real_run_job = replications.run_job


@pytest.fixture
def marker(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "MARKER", tmp_path / "died")
    return tmp_path / "died"


def die_once() -> None:
    """Kill this worker, mid-run, as the out-of-memory killer would: the first time only."""
    if not MARKER.exists():
        MARKER.touch()
        os.kill(os.getpid(), signal.SIGKILL)


def square(task: int) -> tuple[int, int]:
    return task * task, os.getpid()


def square_dying_once(task: int) -> tuple[int, int]:
    if task == 2:
        die_once()
    return square(task)


def square_always_dying(task: int) -> tuple[int, int]:
    if task == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return square(task)


def job_dying_once(job: replications.Job) -> pd.DataFrame:
    if job.scenario.name == "friction-heavy" and job.replication == 1:
        die_once()
    return real_run_job(job)


def job_always_dying(job: replications.Job) -> pd.DataFrame:
    if job.scenario.name == "friction-heavy" and job.replication == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_run_job(job)


def in_time(work):
    """`work()`, or a failure (not a hang) if it has not ended in two minutes."""
    out: dict = {}

    def call():
        try:
            out["result"] = work()
        except BaseException as exc:  # raised in the test, below
            out["error"] = exc

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the engine hung: a dead worker's runs never came back"
    if "error" in out:
        raise out["error"]
    return out["result"]


def finished(fn, tasks, **engine) -> dict[int, tuple[int, int]]:
    """Every (index, result) of `run_tasks`, in time."""
    return in_time(lambda: dict(run_tasks(fn, tasks, **engine)))


def test_workers_are_replaced_every_few_runs_with_the_same_results(monkeypatch):
    monkeypatch.setattr(local, "RUNS_PER_WORKER", 2)
    tasks = list(range(12))
    results = finished(square, tasks, engine="local", workers=2)
    assert {i: r[0] for i, r in results.items()} == {i: i * i for i in tasks}
    pids = {r[1] for r in results.values()}
    assert len(pids) >= 6 and os.getpid() not in pids  # 12 runs, 2 a worker: 6 workers at least


def test_a_worker_that_dies_mid_run_is_replaced_and_its_runs_redone(marker):
    tasks = list(range(8))
    results = finished(square_dying_once, tasks, engine="local", workers=2)
    assert marker.exists()  # a worker did die, with task 2 in hand
    assert {i: r[0] for i, r in results.items()} == {i: i * i for i in tasks}


def test_workers_that_keep_dying_give_up_with_an_error():
    with pytest.raises(
        ChildProcessError,
        match=r"died 4 times running the same runs \(killed, or out of memory\?\); 1 of 6 runs",
    ):
        finished(square_always_dying, list(range(6)), engine="local", workers=2)


def test_a_comparison_whose_worker_is_killed_gives_the_same_tables(monkeypatch, marker):
    def weekly():
        c = in_time(
            lambda: compare(
                ["baseline", "friction-heavy"],
                replications=3,
                weeks=20,
                overrides={"n_sellers": 40},
                workers=2,
                progress=False,
            )
        )
        return c.weekly.sort_values(["scenario", "replication", "week"]).reset_index(drop=True)

    calm = weekly()
    monkeypatch.setattr(replications, "run_job", job_dying_once)
    killed = weekly()
    assert marker.exists()  # friction-heavy's replication 1 took its worker down, once
    pd.testing.assert_frame_equal(calm, killed)
    assert len(killed) == 2 * 3 * 21


def test_a_comparison_whose_worker_keeps_dying_stops_in_one_line_keeping_the_rest(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(replications, "run_job", job_always_dying)
    out = tmp_path / "c"
    args = ["compare", "baseline", "friction-heavy", "--replications", "3", "--weeks", "20"]
    args += ["--set", "n_sellers=40", "--quiet", "--workers", "2", "--out", str(out)]
    assert in_time(lambda: main(args)) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("salesorg: error: a worker process died 4 times running the"), err
    assert "1 of 6 runs did not finish" in err and "5 of 6 runs are kept" in err
    assert len((out / "runs.jsonl").read_text().splitlines()) == 5  # run again for the rest
