"""Every shipped scenario lands in the public figures over its third year (six seeds)."""

import numpy as np
import pytest

import sim
from sim.experiments.calibration import (
    AT_QUOTA_BOUNDS,
    RAMP_MONTHS,
    TARGETS,
    calibrate_table,
    ramp_months,
    target_rows,
)
from sim.scenario import scenario_names

SEEDS = 6


@pytest.fixture(scope="module")
def runs():
    return calibrate_table(scenario_names(), SEEDS)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t.scenario}-{t.figure}")
def test_each_target_lands_in_its_public_range(runs, target):
    values = runs.loc[runs.scenario == target.scenario, target.figure]
    assert len(values) == SEEDS
    assert target.low <= values.mean() <= target.high, (target, values.round(3).tolist())


def test_no_shipped_scenario_is_extreme(runs):
    low, high = AT_QUOTA_BOUNDS
    at_quota = runs.groupby("scenario")["quota_attainment_share"].mean()
    assert at_quota.between(low, high).all(), at_quota.round(3).to_dict()
    selling = runs.groupby("scenario")["selling_time_share"].mean()
    assert selling.between(0.09, 0.70).all(), selling.round(3).to_dict()


def test_the_target_table_reports_what_lands(runs):
    rows = target_rows(runs)
    assert len(rows) == len(TARGETS) and all(r["lands"] for r in rows)


def test_a_new_hire_reaches_ninety_percent_of_a_tenured_seller_in_about_five_months():
    low, high = RAMP_MONTHS
    assert low <= ramp_months(SEEDS) <= high


def test_without_interventions_skill_stays_where_it_is_over_ten_years():
    """Adopted initiatives lift learned skill, which decays; talent changes only by hiring."""
    first, last = [], []
    for seed in range(1, SEEDS + 1):
        model = sim.SalesOrgModel("baseline", seed=seed, weeks=520)
        model.run_model()
        skill = model.datacollector.get_model_vars_dataframe()["mean_skill"]
        first.append(skill.iloc[1:53].mean())
        last.append(skill.iloc[-52:].mean())
    assert abs(np.mean(last) - np.mean(first)) <= 0.02, (np.mean(first), np.mean(last))


def test_baseline_span_and_coaching_time_match_the_figures(runs):
    base = runs[runs.scenario == "baseline"]
    # a manager's 16% of 45 hours shared by 8 sellers, less follow-up and hiring
    assert 0.4 < base["coaching_hours_per_seller"].mean() <= 45 * 0.16 / 8
