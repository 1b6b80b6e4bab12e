"""What the user describes: levers, scenario files, targets and the questions of init.

`levers.py` holds every parameter, `loading.py` scenario files, `targets.py` what an
organization measured, `questions.py` the questions of `salesorg init`.

The names below are imported when first used (PEP 562), so that importing a light module
of this package (the questions, for `salesorg init --help`) does not load pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario.levers import FIXED_AT_START, SKILL_COMPONENTS, Levers, lever_table
    from sim.scenario.loading import (
        SCENARIO_DIR,
        Intervention,
        Scenario,
        ScenarioError,
        check_levers,
        load_scenario,
        read_toml,
        scenario_names,
    )

_LEVERS = ("FIXED_AT_START", "SKILL_COMPONENTS", "Levers", "lever_table")
_LOADING = ("SCENARIO_DIR", "Intervention", "Scenario", "ScenarioError", "check_levers")
_LOADING += ("load_scenario", "read_toml", "scenario_names")
__all__ = [
    "FIXED_AT_START",
    "SCENARIO_DIR",
    "SKILL_COMPONENTS",
    "Intervention",
    "Levers",
    "Scenario",
    "ScenarioError",
    "check_levers",
    "lever_table",
    "load_scenario",
    "read_toml",
    "scenario_names",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name in _LEVERS:
        module = "sim.scenario.levers"
    elif name in _LOADING:
        module = "sim.scenario.loading"
    else:
        raise AttributeError(f"module 'sim.scenario' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
