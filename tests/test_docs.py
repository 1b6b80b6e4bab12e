"""The README documents every lever and every shipped scenario."""

from pathlib import Path

from sim.scenario import scenario_names
from sim.scenario.levers import Levers, lever_markdown

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_readme_lists_every_lever_with_its_default():
    missing = [
        name
        for name, field in Levers.model_fields.items()
        if f"| `{name}` | {field.default} |" not in README
    ]
    assert not missing


def test_the_docs_lever_tables_are_the_levers_as_they_are():
    """Regenerate both with `python -m sim.scenario.levers`."""
    odd = (Path(__file__).parent.parent / "docs" / "ODD.md").read_text()
    assert lever_markdown(sources=False) in README
    assert lever_markdown(sources=True) in odd


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


def test_diagnosis_doc_lists_the_healthy_reference_as_shipped():
    from sim.diagnosis import load_reference

    doc = (Path(__file__).parent.parent / "docs" / "diagnosis.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line for line in doc.splitlines() if line.startswith("| `")
    }
    for group in load_reference().groups:
        assert group.name in rows, group.name
        assert f"| {group.kind} |" in rows[group.name]
        for lever, value in group.levers.items():
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            assert f"`{lever}` {shown}" in rows[group.name], (group.name, lever)
