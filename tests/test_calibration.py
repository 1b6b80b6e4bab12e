"""The shipped scenarios land in the public ranges over their third year (DESIGN.md)."""

import numpy as np
import pytest

from tests.conftest import final_year_mean, run

SEEDS = (1, 2, 3, 4)


@pytest.fixture(scope="module")
def baseline_runs():
    return [run("baseline", seed=s) for s in SEEDS]


def test_baseline_selling_time_is_in_the_public_range(baseline_runs):
    shares = [final_year_mean(m, "selling_time_share") for m in baseline_runs]
    assert 0.28 <= np.mean(shares) <= 0.41, shares
    # seeds differ in how many initiatives land in the final year, hence a wider band
    assert all(0.25 <= s <= 0.45 for s in shares), shares


def test_baseline_share_at_quota_is_in_the_public_range(baseline_runs):
    shares = [final_year_mean(m, "quota_attainment_share") for m in baseline_runs]
    assert 0.40 <= np.mean(shares) <= 0.62, shares
    assert all(0.25 <= s <= 0.75 for s in shares), shares


def test_friction_heavy_selling_time_is_in_the_field_range():
    shares = [final_year_mean(run("friction-heavy", seed=s), "selling_time_share") for s in SEEDS]
    assert all(0.09 <= s <= 0.22 for s in shares), shares


def test_baseline_span_and_coaching_time_match_the_figures(baseline_runs):
    model = baseline_runs[0]
    assert model.levers.span_of_control == 8 and model.levers.coaching_share == 0.16
    # a manager's 16% of 45 hours shared by 8 sellers, less initiative follow-up
    assert 0.5 < final_year_mean(model, "coaching_hours_per_seller") <= 45 * 0.16 / 8
