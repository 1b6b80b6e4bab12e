"""The dask engine: the same runs on a dask.distributed cluster.

Without a scheduler address it starts a LocalCluster (one single-threaded worker process
per core); with one (`tcp://host:8786`) it uses that cluster, e.g. one started on SLURM
with dask-jobqueue. Needs the optional extra: `pip install -e ".[dask]"`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from sim.experiments.engines.local import call_indexed, default_workers
from sim.scenario import ScenarioError

ADDRESS = re.compile(r"^(tcp|tls|ucx|ws|wss)://[^\s:/]+:\d+$")
NEEDS = '--engine dask needs dask.distributed: pip install -e ".[dask]"'


def check_dask(scheduler: str | None, timeout: float = 5.0) -> None:
    """Refuse, up front, a missing dask or a scheduler that does not answer within `timeout`."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise ScenarioError(NEEDS) from None
    if scheduler is None:
        return
    if not ADDRESS.match(scheduler):
        raise ScenarioError(
            f"--scheduler {scheduler!r}: not a scheduler address; expected e.g. tcp://10.1.2.3:8786"
        )
    try:
        client = Client(scheduler, timeout=f"{timeout}s")
    except Exception as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ScenarioError(
            f"--scheduler {scheduler}: no dask scheduler answered within {timeout:g} s "
            f"({reason}); is it running, and is the address right?"
        ) from None
    client.close()


def run_dask(
    fn: Callable[[Any], Any],
    tasks: list[Any],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield (index, result) as tasks finish on the cluster."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ScenarioError(NEEDS) from None
    if not tasks:
        return
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        futures = client.map(call_indexed, [(fn, i, t) for i, t in enumerate(tasks)], pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
