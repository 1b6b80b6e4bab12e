"""What the user describes: the levers (`levers.py`) and scenario files (`loading.py`)."""

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
