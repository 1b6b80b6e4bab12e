"""salesorg-sim: an agent-based simulator of a B2B sales organization.

The package reads as its data flow: `scenario` (levers and scenario files) -> `model`
(the Mesa model and its compiled week) -> `experiments` (runs, replications, comparisons,
sweeps, sensitivity, calibration) -> `reports` (HTML, plots, tables); `diagnosis` builds on
the experiments, and `audit` on both; `workshop` (the live page) and `cli` (the `salesorg`
command) call in.

The public names below are imported when first used, so `import sim` (and `salesorg
--help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.diagnosis import Diagnosis, diagnose
    from sim.experiments.compare import Comparison, compare
    from sim.experiments.replications import evaluate
    from sim.experiments.runner import RunResult
    from sim.experiments.runner import run_scenario as run
    from sim.experiments.sweep import sweep
    from sim.model import SalesOrgModel
    from sim.scenario import Levers, Scenario, ScenarioError, load_scenario

#: public name -> (module, name in that module)
_PUBLIC = {
    "Comparison": ("sim.experiments.compare", "Comparison"),
    "Diagnosis": ("sim.diagnosis", "Diagnosis"),
    "Levers": ("sim.scenario", "Levers"),
    "RunResult": ("sim.experiments.runner", "RunResult"),
    "SalesOrgModel": ("sim.model", "SalesOrgModel"),
    "Scenario": ("sim.scenario", "Scenario"),
    "ScenarioError": ("sim.scenario", "ScenarioError"),
    "compare": ("sim.experiments.compare", "compare"),
    "diagnose": ("sim.diagnosis", "diagnose"),
    "evaluate": ("sim.experiments.replications", "evaluate"),
    "load_scenario": ("sim.scenario", "load_scenario"),
    "run": ("sim.experiments.runner", "run_scenario"),
    "sweep": ("sim.experiments.sweep", "sweep"),
}
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


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names with the module's own."""
    return sorted({*globals(), *_PUBLIC})
