"""Exact Shapley values on games whose answer is known."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.diagnosis.shapley import coalitions, shapley_values

GROUPS = ["a", "b", "c", "d"]


def test_every_subset_once():
    subsets = coalitions(GROUPS)
    assert len(subsets) == 16
    assert len(set(subsets)) == 16
    assert subsets[0] == frozenset() and subsets[-1] == frozenset(GROUPS)


def test_additive_game_gives_each_its_own_effect():
    own = {"a": 3.0, "b": -1.0, "c": 0.5, "d": 0.0}
    value = {s: sum(own[g] for g in s) for s in coalitions(GROUPS)}
    phi = shapley_values(GROUPS, value)
    assert {g: float(v) for g, v in phi.items()} == own


def test_pure_interaction_is_split_equally_and_a_dummy_gets_nothing():
    # only a and b together do anything: each gets half; c and d get nothing
    value = {s: 10.0 if {"a", "b"} <= s else 0.0 for s in coalitions(GROUPS)}
    phi = shapley_values(GROUPS, value)
    assert phi["a"] == phi["b"] == 5.0
    assert phi["c"] == phi["d"] == 0.0


def test_replications_are_attributed_elementwise():
    value = {s: np.array([len(s), 2.0 * ("a" in s)]) for s in coalitions(["a", "b"])}
    phi = shapley_values(["a", "b"], value)
    np.testing.assert_allclose(phi["a"], [1.0, 2.0])
    np.testing.assert_allclose(phi["b"], [1.0, 0.0])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=16, max_size=16))
def test_values_add_up_to_the_whole_gap(outcomes):
    value = dict(zip(coalitions(GROUPS), outcomes, strict=True))
    phi = shapley_values(GROUPS, value)
    gap = value[frozenset(GROUPS)] - value[frozenset()]
    assert abs(sum(phi.values()) - gap) <= 1e-9 * max(1.0, abs(gap), *map(abs, outcomes))
