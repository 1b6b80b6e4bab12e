"""salesorg-sim: an agent-based simulator of a B2B sales organization."""

from sim.levers import Levers
from sim.model import SalesOrgModel
from sim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Levers", "SalesOrgModel", "Scenario", "ScenarioError", "load_scenario"]
__version__ = "0.1.0"
