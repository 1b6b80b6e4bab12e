"""The mutation run (`tests/mutate.py`): what it names exists, what it accepts is documented."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from tests import mutate

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_file_and_source_the_targets_name_exists():
    for target in mutate.TARGETS.values():
        for test in target.tests:
            assert (ROOT / test).is_file(), test
        for pattern in target.mutate:
            assert list(ROOT.glob(pattern)), pattern


def test_mutant_names_read_back_as_the_function_they_mutate():
    assert (
        mutate.function_of("sim.model.mechanics.pipeline.x_pipeline_week__mutmut_37")
        == "sim.model.mechanics.pipeline.pipeline_week"
    )
    assert (
        mutate.function_of("sim.model.mechanics.pipeline.xǁPipelineǁresize_hops__mutmut_2")
        == "sim.model.mechanics.pipeline.Pipeline.resize_hops"
    )
    assert mutate.function_of("sim.model.week.x__roll__mutmut_1") == "sim.model.week._roll"


def test_a_sample_is_the_mutants_whose_number_ends_in_the_digits():
    patterns = mutate.sample("7")
    picked = [
        n
        for n in ("a.x_f__mutmut_7", "a.x_f__mutmut_17", "a.x_f__mutmut_70")
        if any(fnmatch(n, p) for p in patterns)
    ]
    assert picked == ["a.x_f__mutmut_7", "a.x_f__mutmut_17"]
    assert mutate.sample(None) == []
    with pytest.raises(SystemExit, match="digits"):
        mutate.sample("7*")


def test_every_accepted_survivor_is_explained_in_the_docs():
    entries = tomllib.loads(mutate.EQUIVALENTS.read_text()).get("equivalent", [])
    docs = (ROOT / "docs" / "testing.md").read_text()
    for entry in entries:
        assert set(entry) == {"function", "before", "after", "reason"}, entry
        assert entry["reason"].strip() and entry["before"] != entry["after"]
        short = entry["function"].removeprefix("sim.")
        assert short in docs, f"{short} is accepted as equivalent but not in docs/testing.md"
