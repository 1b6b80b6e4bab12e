"""The model: the organization, its agents and state, and the week's mechanics.

`SalesOrgModel` (in `model.py`) is the Mesa model. The week's arithmetic is compiled with
numba (`week.py` chains the `mechanics/`); `kernel_cache` drops numba's cached kernels
whenever a kernel source changed, so it runs here, before any kernel module is imported.
"""

# ruff: noqa: E402 (numba's stale caches must go before any kernel module is imported)
from sim.model import kernel_cache

kernel_cache.ensure_fresh()  # why: sim/model/kernel_cache.py

from sim.model.model import SalesOrgModel

__all__ = ["SalesOrgModel"]
