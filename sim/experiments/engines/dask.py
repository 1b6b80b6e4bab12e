"""The dask engine: the same runs on a dask.distributed cluster.

Without a scheduler address it starts a LocalCluster (one single-threaded worker process
per core); with one (`tcp://host:8786`) it uses that cluster, e.g. one started on SLURM
with dask-jobqueue. Needs the optional extra: `pip install -e ".[dask]"`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sim.experiments.engines.local import call_indexed, default_workers
from sim.scenario import ScenarioError


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
        raise ScenarioError(
            '--engine dask needs dask.distributed: pip install -e ".[dask]"'
        ) from None
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
