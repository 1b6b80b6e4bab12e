"""The README documents every lever and every shipped scenario."""

from pathlib import Path

from sim.levers import Levers
from sim.scenario import scenario_names

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_readme_lists_every_lever():
    missing = [name for name in Levers.model_fields if f"| `{name}` |" not in README]
    assert not missing


def test_readme_lists_every_scenario():
    missing = [name for name in scenario_names() if f"| `{name}` |" not in README]
    assert not missing


def test_odd_lists_every_lever_with_unit_and_range():
    odd = (Path(__file__).parent.parent / "docs" / "ODD.md").read_text()
    for section in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialization",
        "Input data",
        "Submodels",
    ):
        assert section in odd
    missing = [name for name in Levers.model_fields if f"| `{name}` |" not in odd]
    assert not missing
