"""Money: what the organization costs, what its bookings earn, checked by hand."""

import pytest

import sim
from sim.model.organization import staff, support_cost
from sim.scenario.levers import Levers

SMALL = dict(
    n_sellers=16,
    span_of_control=8,
    sellers_per_specialist=4.0,
    approval_steps=2,
    sellers_per_approver=8.0,
    seller_base_cost=104.0,
    commission_rate=0.1,
    presales_cost=200.0,
    approver_cost=150.0,
    manager_cost=250.0,
    director_cost=300.0,
    recruiting_cost=30.0,
    severance_cost=20.0,
    gross_margin=0.7,
)


def test_the_staff_and_their_cost_by_hand():
    levers = Levers(**SMALL)
    assert staff(levers) == (2, 1, 4, 4.0)  # 16/8 managers, one director, 16/4, 2 desks x 2
    assert support_cost(levers) == 2 * 250 + 300 + 4 * 200 + 4 * 150  # = 2,200 k$ a year


def test_every_week_costs_pay_commission_staff_hires_and_exits():
    model = sim.SalesOrgModel(seed=3, weeks=40, manage_out_rate=0.05, **SMALL)
    checked = hires_seen = exits_seen = 0
    while model.running:
        model.step()
        m, s = model.metrics, model.sellers
        hires = int((s.filled & (s.tenure == 1)).sum())
        let_go = int(model.leavers[(model.clock - 1) % 52, 1])  # the week's row
        expected = (
            m["headcount"] * 104.0 / 52
            + 0.1 * m["bookings"]
            + 2200.0 / 52
            + 30.0 * hires
            + 20.0 * let_go
        )
        assert m["cost"] == pytest.approx(expected, rel=1e-9)
        assert m["margin"] == pytest.approx(0.7 * m["bookings"], rel=1e-12)
        assert m["contribution"] == pytest.approx(m["margin"] - m["cost"], rel=1e-9)
        checked += 1
        hires_seen += hires
        exits_seen += let_go
    assert checked == 40 and hires_seen > 0 and exits_seen > 0


def test_adding_specialists_costs_what_they_are_paid():
    lean = Levers(n_sellers=150, sellers_per_specialist=4.0)
    rich = Levers(n_sellers=150, sellers_per_specialist=3.0)
    added = staff(rich).presales - staff(lean).presales
    assert added == 12  # 50 engineers instead of 38 (rounded)
    assert support_cost(rich) - support_cost(lean) == pytest.approx(added * lean.presales_cost)
