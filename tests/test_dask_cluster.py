"""The distributed path for real: a dask scheduler and two workers, started as a user would."""

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


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two single-threaded `dask worker` processes on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
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
    finally:
        for process in (*workers, scheduler):
            process.terminate()
        for process in (*workers, scheduler):
            process.wait(timeout=30)


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
    local = salesorg(*common, "--out", str(tmp_path / "local"))
    remote = salesorg(
        *common, "--engine", "dask", "--scheduler", cluster, "--out", str(tmp_path / "remote")
    )
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    a = pd.read_csv(tmp_path / "local" / "weekly.csv")
    b = pd.read_csv(tmp_path / "remote" / "weekly.csv")
    sort = ["scenario", "replication", "week"]
    pd.testing.assert_frame_equal(
        a.sort_values(sort).reset_index(drop=True), b.sort_values(sort).reset_index(drop=True)
    )
    assert len(a) == 2 * 3 * 21
