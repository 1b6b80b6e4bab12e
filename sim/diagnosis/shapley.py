"""Exact Shapley values over a few groups of causes.

A "game" here is a value for every coalition of groups: the outcome of a run in which the
groups of the coalition are set to their healthy reference and the others are left as they
are. The Shapley value of a group is its marginal effect averaged over every order in which
the groups could be fixed, so interactions are split fairly and the values add up to the
whole gap, value(all groups) - value(no group) (efficiency).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import factorial

import numpy as np

Coalition = frozenset[str]


def coalitions(groups: Sequence[str]) -> list[Coalition]:
    """Every subset of `groups`, from the empty one to all of them (2**n coalitions)."""
    return [
        frozenset(chosen)
        for size in range(len(groups) + 1)
        for chosen in combinations(groups, size)
    ]


def shapley_values(
    groups: Sequence[str], value: dict[Coalition, np.ndarray]
) -> dict[str, np.ndarray]:
    """Exact Shapley value of every group.

    Args:
        groups: the players.
        value: the outcome of every coalition; arrays (e.g. one entry per replication) are
            handled elementwise.

    Returns:
        each group's share of value(all) - value(none), in the outcome's units.

    """
    n = len(groups)
    weight = {size: factorial(size) * factorial(n - size - 1) / factorial(n) for size in range(n)}
    result = {}
    for group in groups:
        others = [g for g in groups if g != group]
        total = 0.0
        for coalition in coalitions(others):
            marginal = np.asarray(value[coalition | {group}]) - np.asarray(value[coalition])
            total = total + weight[len(coalition)] * marginal
        result[group] = total
    return result
