"""salesorg-sim: an agent-based simulator of a B2B sales organization."""

# ruff: noqa: E402 (numba's stale caches must go before any kernel module is imported)
from sim import kernel_cache

kernel_cache.ensure_fresh()  # why: sim/kernel_cache.py

from sim.compare import Comparison, compare
from sim.diagnosis import Diagnosis, diagnose
from sim.experiment import evaluate
from sim.levers import Levers
from sim.model import SalesOrgModel
from sim.runner import RunResult
from sim.runner import run_scenario as run
from sim.scenario import Scenario, ScenarioError, load_scenario
from sim.sweep import sweep

__all__ = [
    "Comparison",
    "Diagnosis",
    "Levers",
    "RunResult",
    "SalesOrgModel",
    "Scenario",
    "ScenarioError",
    "compare",
    "diagnose",
    "evaluate",
    "load_scenario",
    "run",
    "sweep",
]
__version__ = "0.1.0"
