"""The distributed path for real: a dask scheduler and two workers, started as a user would.

The runs go to that cluster's workers (they count them), and a worker killed mid-run is
replaced by its nanny while the scheduler gives its run to another: the tables are the
local pool's all the same."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import salesorg

pytest.importorskip("dask.distributed")
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two single-threaded `dask worker` processes on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    cwd = tmp_path_factory.mktemp("dask")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": cwd}
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        **quiet,
    )
    workers = [
        subprocess.Popen(
            [DASK, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"],
            **quiet,
        )
        for _ in range(2)
    ]
    try:
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while True:  # until both workers have joined
            try:
                with Client(address, timeout=5) as client:
                    if len(client.scheduler_info()["workers"]) >= 2:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the dask cluster did not come up within 60 s")
            time.sleep(0.5)
        yield address
    finally:  # the workers first: without their scheduler they wait 8 s to be killed
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=30)
        scheduler.terminate()
        scheduler.wait(timeout=30)


def executed(address: str) -> dict[str, int]:
    """Tasks each worker of the cluster has run."""
    from dask.distributed import Client

    with Client(address, timeout=10) as client:
        return client.run(lambda dask_worker: dask_worker.state.executed_count)


def sorted_weekly(folder: Path) -> pd.DataFrame:
    sort = ["scenario", "replication", "week"]
    return pd.read_csv(folder / "weekly.csv").sort_values(sort).reset_index(drop=True)


def test_a_comparison_on_a_real_cluster_equals_the_local_pool(cluster, tmp_path):
    common = [
        "compare",
        "baseline",
        "friction-heavy",
        "--replications",
        "3",
        "--weeks",
        "20",
        "--set",
        "n_sellers=40",
        "--quiet",
    ]
    before = sum(executed(cluster).values())
    local = salesorg(*common, "--out", str(tmp_path / "local"))
    remote = salesorg(
        *common, "--engine", "dask", "--scheduler", cluster, "--out", str(tmp_path / "remote")
    )
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    assert sum(executed(cluster).values()) - before == 6  # the cluster's workers ran all six
    a, b = sorted_weekly(tmp_path / "local"), sorted_weekly(tmp_path / "remote")
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 2 * 3 * 21


def test_a_worker_killed_mid_run_is_replaced_and_the_tables_are_the_same(cluster, tmp_path):
    from dask.distributed import Client

    from sim.experiments.compare import compare

    weeks, sellers = 500, 1500  # about half a second a run
    args = ["compare", "baseline", "friction-heavy", "--replications", "2", "--weeks", str(weeks)]
    args += ["--set", f"n_sellers={sellers}", "--quiet", "--scheduler", cluster]
    remote = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", *args, "--out", str(tmp_path / "remote")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with Client(cluster, timeout=10) as client:
        deadline = time.monotonic() + 120
        busy = {}
        while not busy and remote.poll() is None and time.monotonic() < deadline:
            running = client.run(lambda dask_worker: dask_worker.state.executing_count)
            busy = [worker for worker, n in running.items() if n]
        assert busy, "no worker ever ran a task"
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)  # mid-run, as the out-of-memory killer would
        _, err = remote.communicate(timeout=300)
        assert remote.returncode == 0, err
        while time.monotonic() < deadline:  # its nanny starts a new worker in its place
            pids = set(client.run(os.getpid).values())
            if len(pids) == 2 and pid not in pids:
                break
            time.sleep(0.2)
        assert len(pids) == 2 and pid not in pids
    local = compare(
        ["baseline", "friction-heavy"],
        replications=2,
        weeks=weeks,
        overrides={"n_sellers": sellers},
        workers=2,
        progress=False,
    )
    sort = ["scenario", "replication", "week"]
    here = local.weekly.sort_values(sort).reset_index(drop=True)
    pd.testing.assert_frame_equal(sorted_weekly(tmp_path / "remote"), here, check_dtype=False)
    assert len(here) == 2 * 2 * (weeks + 1)
