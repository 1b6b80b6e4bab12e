"""Pricing a change: staff added, money a year, and when it pays back, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from sim.experiments.compare import Comparison, compare, summarize
from sim.experiments.pricing import money, price, sentence, staff_change, staff_words
from sim.scenario import load_scenario


def test_the_fix_adds_specialists_and_pools_the_desks():
    change = staff_change(load_scenario("fix-the-organization"), load_scenario("baseline"))
    # 150 sellers: 50 engineers at 3 each instead of 38 at 4; one desk of 15 analysts
    # instead of three of 7.5
    assert change == {"managers": 0, "directors": 0, "presales": 12, "analysts": -7.5}
    assert staff_words(change) == "adds 12 presales engineers; removes 8 approval analysts"
    assert staff_words({"presales": 0, "analysts": 0}) == "keeps the same staff"


def test_money_reads_as_a_reader_says_it():
    assert money(1234.5) == "+1.2 M$" and money(-350.2) == "-350 k$" and money(0.4) == "+0 k$"


def synthetic(gains: list[float], weeks: int = 30, start: int = 10) -> Comparison:
    """Two scenarios; the second's contribution is 'gain' per week better after `start`,
    minus an up-front 100 k$ in week `start`."""
    base, other = load_scenario("baseline"), load_scenario("coach-the-coaches")  # week 13
    rows = []
    for r, gain in enumerate(gains):
        for week in range(weeks):
            rows.append(
                {
                    "scenario": base.name,
                    "replication": r,
                    "week": week,
                    "contribution": 50.0,
                    "cost": 10.0,
                    "margin": 60.0,
                }
            )
            extra = (-100.0 if week == 13 else gain) if week >= 13 else 0.0
            rows.append(
                {
                    "scenario": other.name,
                    "replication": r,
                    "week": week,
                    "contribution": 50.0 + extra,
                    "cost": 10.0 - extra,
                    "margin": 60.0,
                }
            )
    weekly = pd.DataFrame(rows)
    runs = (
        weekly[weekly.week >= weeks - 10]
        .groupby(["scenario", "replication"])[["contribution", "cost", "margin"]]
        .mean()
        .reset_index()
    )
    return Comparison([base, other], weekly, runs, summarize(runs, [base.name, other.name]))


def test_payback_is_when_the_cumulative_contribution_turns_and_stays_positive():
    p = price(synthetic([10.0, 20.0, 25.0]), "coach-the-coaches")
    # 100 k$ down in week 13, then +g a week: even 100/g weeks later (10, 5, 4 weeks)
    mean, low, high = p.payback_months
    assert mean == pytest.approx(np.mean([10, 5, 4]) * 12 / 52)
    assert low < mean < high
    assert p.paid_back == 3 and p.contribution[0] == pytest.approx(52 * np.mean([10, 20, 25]))
    slow = price(synthetic([10.0, 1.0]), "coach-the-coaches")
    assert slow.payback_months is None and slow.paid_back == 1  # 1 k$ a week: not in 17 weeks


def test_a_real_comparison_is_priced_from_its_weekly_money():
    c = compare(
        ["baseline", "fix-the-organization"], replications=3, weeks=60, progress=False, workers=1
    )
    p = price(c, "fix-the-organization")
    assert p.cost[0] == pytest.approx(52 * c.value("fix-the-organization", "cost", "diff"))
    assert p.margin[1] <= p.margin[0] <= p.margin[2]
    said = sentence(c, "fix-the-organization")
    assert said.startswith("In money, fix-the-organization adds 12 presales engineers")
    assert "a year, gross margin" in said and "contribution" in said
