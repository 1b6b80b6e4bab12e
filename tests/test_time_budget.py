"""Where the week goes: hours add up, selling is what is left."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.model.mechanics.time_budget import switching_loss, weekly_hours
from sim.model.state import HOUR, HOUR_CATEGORIES
from sim.scenario.levers import Levers

N = 12
arrays = hnp.arrays(np.float64, N, elements=st.floats(0, 30, allow_nan=False))
counts = hnp.arrays(np.float64, N, elements=st.integers(0, 8).map(float))


@settings(max_examples=150, deadline=None)
@given(
    work=st.floats(10, 80),
    admin=st.floats(0, 40),
    meetings=st.floats(0, 40),
    floor=st.floats(0, 40),
    initiatives=counts,
    coaching=arrays,
    handoffs=arrays,
    waiting=arrays,
    asks=arrays,
    filled=hnp.arrays(bool, N),
)
def test_hours_add_up_to_work_plus_overtime(
    work, admin, meetings, floor, initiatives, coaching, handoffs, waiting, asks, filled
):
    levers = Levers(work_hours=work, admin_hours=admin, meeting_hours=meetings, selling_floor=floor)
    hours, overtime = weekly_hours(
        levers,
        filled=filled,
        initiatives=initiatives,
        coaching=coaching,
        handoffs=handoffs,
        waiting=waiting,
        asks=asks,
        admin_relief=np.zeros(N),
    )
    assert hours.shape == (len(HOUR_CATEGORIES), N)
    assert (hours >= 0).all() and (overtime >= 0).all()
    total = hours.sum(axis=0)
    assert np.allclose(total[filled], work + overtime[filled])
    assert np.allclose(total[~filled], 0.0) and np.allclose(overtime[~filled], 0.0)
    selling = hours[HOUR["selling"]][filled]
    assert (selling >= min(floor, work) - 1e-9).all()
    # overtime only where demands left less than the floor
    assert np.all((overtime[filled] > 1e-9) <= np.isclose(selling, min(floor, work)))


def test_context_switching_is_the_measured_loss_once_and_nearly_flat_beyond():
    # Tregubov et al. 2017: 17% of effort lost on two or more projects, weakly more beyond
    loss = switching_loss(np.array([0, 1, 2, 3, 4, 9]), 0.34)
    assert np.allclose(loss, [0, 0, 0.17, 0.34 * 2 / 3, 0.34 * 3 / 4, 0.34 * 8 / 9])
    assert np.all(np.diff(loss[1:]) > 0) and loss[-1] < 0.34
    assert np.allclose(switching_loss(np.array([0, 2, 5]), 0.0), 0.0)  # the zero switches off


def test_each_demand_lands_in_its_category():
    levers = Levers(
        work_hours=45,
        admin_hours=8,
        meeting_hours=6,
        initiative_hours=1.5,
        handoff_hours=1.0,
        chase_hours=0.5,
        switching_cost=0.34,
    )
    one = np.ones(1)
    hours, overtime = weekly_hours(
        levers,
        filled=np.ones(1, bool),
        initiatives=2 * one,
        coaching=0.8 * one,
        handoffs=3 * one,
        waiting=4 * one,
        asks=2.5 * one,
        admin_relief=0.5 * one,
    )
    got = {c: float(hours[HOUR[c], 0]) for c in HOUR_CATEGORIES}
    assert got == {
        "admin": 7.5,
        "meetings": 6.0,
        "initiatives": 3.0,
        "switching": 0.17 * 31,
        "handoffs": 3.0,
        "chasing": 2.0,
        "asks": 2.5,
        "coaching": 0.8,
        "selling": 45 - 7.5 - 6 - 3 - 0.17 * 31 - 3 - 2 - 2.5 - 0.8,
    }
    assert overtime[0] == 0.0
