"""The leader's question, answered by mechanisms: it depends on what binds.

Where the system binds (the baseline), fixing the organization beats firing the bottom
10%, and firing does not raise bookings; where individual skill binds (talent-bound),
firing raises skill and bookings. Every comparison is paired: replication i of every
scenario shares its seed, and every draw is keyed to the seat and the week, so the
differences are policy, not luck.
"""

import numpy as np
import pytest
from scipy import stats

from sim.experiments.replications import replicate

REPLICATIONS = 8
NAMES = (
    "baseline",
    "fire-low-performers",
    "fix-the-organization",
    "talent-bound",
    "talent-bound-firing",
)


@pytest.fixture(scope="module")
def runs():
    weekly = replicate(NAMES, replications=REPLICATIONS, seed=1, progress=False)
    return {name: weekly[weekly.scenario == name] for name in NAMES}


def per_run(weekly, column, lo=105, hi=157):
    part = weekly[(weekly.week >= lo) & (weekly.week < hi)]
    return part.groupby("replication")[column].mean().to_numpy()


def paired(runs, a, b, column, relative=False, **weeks):
    """Mean and 95% interval of b - a (or b / a - 1), replication by replication."""
    x, y = per_run(runs[a], column, **weeks), per_run(runs[b], column, **weeks)
    d = y / x - 1 if relative else y - x
    half = stats.t.ppf(0.975, d.size - 1) * stats.sem(d)
    return d.mean(), d.mean() - half, d.mean() + half


def test_in_the_baseline_fixing_beats_firing(runs):
    fix = per_run(runs["fix-the-organization"], "bookings")
    fire = per_run(runs["fire-low-performers"], "bookings")
    assert (fix > 1.2 * fire).all()
    _, low, _ = paired(runs, "baseline", "fix-the-organization", "bookings", relative=True)
    assert low > 0.10  # the fix pays, clearly, in every reading of the interval


def test_in_the_baseline_firing_does_not_raise_bookings_or_skill(runs):
    _, _, high = paired(runs, "baseline", "fire-low-performers", "bookings", relative=True)
    assert high < 0.02
    # not because firing did nothing: the review of week 130 let a tenth of the ~120 ramped
    # sellers go, their seats stood empty while hiring, and new hires took them
    fired = per_run(runs["fire-low-performers"], "fired") * 52
    assert ((fired >= 10) & (fired <= 15)).all(), fired
    assert (per_run(runs["baseline"], "fired") == 0).all()
    more, _, _ = paired(runs, "baseline", "fire-low-performers", "involuntary_attrition_rate")
    assert more > 0.06
    _, empty, _ = paired(runs, "baseline", "fire-low-performers", "vacancies")
    assert empty > 1.0  # 12 seats empty for 10 weeks: over two more vacancies a week
    # and yet skill stays where it was: the bottom by attainment are not the least skilled
    # here, and their replacements come from the same pool; where talent binds, the same
    # policy moves skill clearly
    _, low, high = paired(runs, "baseline", "fire-low-performers", "mean_skill")
    assert low > -0.005 and high < 0.005
    _, talent_low, _ = paired(runs, "talent-bound", "talent-bound-firing", "mean_skill")
    assert talent_low > 2 * high


def test_the_first_review_costs_bookings_while_seats_are_empty_and_new_hires_ramp(runs):
    _, _, high = paired(
        runs, "baseline", "fire-low-performers", "bookings", relative=True, lo=27, hi=53
    )
    assert high < 0.0


def test_each_seller_weighs_their_own_risk_of_being_next(runs):
    _, low, _ = paired(runs, "baseline", "fire-low-performers", "mean_exit_risk", lo=27)
    assert low > 0.02
    _, _, high = paired(runs, "baseline", "fire-low-performers", "mean_morale", lo=27)
    assert high < 0.0


def test_where_talent_binds_firing_raises_skill_and_bookings(runs):
    gain, low, _ = paired(runs, "talent-bound", "talent-bound-firing", "mean_skill")
    assert low > 0.0 and gain > 0.005
    _, low, _ = paired(runs, "talent-bound", "talent-bound-firing", "bookings", relative=True)
    assert low > 0.02


def test_the_fix_does_not_double_bookings():
    """DESIGN.md: a bundle of fixes raises bookings by tens of percent, not a doubling."""
    weekly = replicate(["baseline", "fix-the-organization"], replications=4, seed=3, progress=False)
    base = per_run(weekly[weekly.scenario == "baseline"], "bookings")
    fix = per_run(weekly[weekly.scenario == "fix-the-organization"], "bookings")
    assert np.all(fix / base - 1 < 0.8) and np.all(fix / base - 1 > 0.1)
