"""The week, compiled: every mechanism of a week in one numba call.

`SalesOrgModel._week` hands the model's arrays to `run_week`, which calls each mechanism's
compiled function in the order of the week (see `sim.model`) and then computes the week's
numbers. The Generator is handed over once; the draws follow the order of the mechanisms:
new hires' talent, asks, opportunities and wins, launches, quits. Python keeps what is
not arithmetic over seats: interventions, Mesa's agents for the people hired and leaving,
and the DataCollector.

A week at 1,000 sellers is a few hundred microseconds of arithmetic; handing a Generator
to numba alone costs ~10 us, and each of a dozen Python-to-kernel calls with its glue
several more, which is why the mechanisms are chained here and not from Python.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sim.model.mechanics.coaching import _coach, share_coaching
from sim.model.mechanics.hiring import fill_vacancies, people_hours
from sim.model.mechanics.initiatives import initiatives_week, team_follow_up
from sim.model.mechanics.people import people_week
from sim.model.mechanics.pipeline import deals_per_seat, pipeline_week
from sim.model.mechanics.time_budget import allocate, draw_asks
from sim.model.metrics import week_metrics
from sim.model.state import SELLING, TRAILING_WEEKS, book, ramp


class Record(NamedTuple):
    """The trailing weeks the attrition rates are computed over (ring buffers)."""

    leavers: np.ndarray  # (52, 3): weekly voluntary, involuntary, regretted
    headcount: np.ndarray  # (52,)


@njit(cache=True)
def run_week(sellers, deals, ini, people, org, team_active, quality, record, lev, rng, when):
    """One week of the organization, in place on the model's arrays.

    Args:
        sellers: the `SellerArrays`.
        deals: the pipeline's `DealArrays`.
        ini: the `InitiativeArrays` (returned anew if its slots grew).
        people: (fear, vacancy_left): per team, the memory of firings; per seat, weeks
            until a vacancy is filled.
        org: the `sim.model.organization.OrgArrays`.
        team_active: initiatives each team works this week.
        quality: coaching quality of each seat's manager.
        record: the `Record` of the trailing weeks.
        lev: the `WeekLevers`.
        rng: the model's random numbers (a `sim.model.kernel_rng.KernelRng`, or the Generator).
        when: (week, review): weeks simulated so far, warm-up included, and whether this
            week holds a firing review.

    Returns:
        (hired, left, ini, active, queued, numbers): the rows filled at the start of the
        week and emptied at its end; the initiative arrays; per team the initiatives
        active and queued for next week; the week's numbers (`sim.model.metrics.week_metrics`).

    """
    s = sellers
    fear, vacancies = people
    week, review = when
    manager_of = org.manager_of
    hired = fill_vacancies(s, vacancies, lev, rng)

    # managers' hours: coaching is what following up and hiring leave of the plan
    pulls = team_follow_up(team_active, lev.follow_up) + people_hours(
        s.filled, s.tenure, manager_of, team_active.size
    )
    coaching, _ = share_coaching(lev.planned_coaching, pulls, manager_of, s.filled)

    # the seller's week: every demand, then selling is what is left
    asks = draw_asks(rng, lev.ask_hours, org.team_ask_weight, manager_of)
    initiatives = np.empty(manager_of.size)
    relief = np.empty(manager_of.size)
    admin_relief = ini.admin_relief
    for i in range(manager_of.size):
        initiatives[i] = team_active[manager_of[i]]
        relief[i] = admin_relief[manager_of[i]]
    allocate(
        s.filled,
        initiatives,
        coaching,
        deals.handoffs,
        deals.waiting,
        asks,
        relief,
        lev,
        (s.hours, s.overtime),
    )

    # deals move; bookings and quota enter the trailing year; coaching moves skill
    productivity = ramp(s.tenure, lev.ramp_weeks)
    flows = pipeline_week(
        deals,
        lev,
        rng,
        s.hours[SELLING],
        s.skill,
        productivity,
        s.territory,
        s.filled,
        org.lead_weight,
        org.presales_of,
        org.n_presales,
    )
    new, wins, _, bookings, lost, _, _, _, utilization, wait_weeks = flows
    book(s, week, bookings, lev.quota / TRAILING_WEEKS * productivity * s.filled)
    _coach(
        s.skill, s.talent, coaching, quality, lev.coaching_focus, lev.learn_rate, lev.skill_decay
    )

    # initiatives; a week of tenure; morale, quitting, firing, leaving
    ini, active, queued = initiatives_week(
        ini, lev, rng, week, s.skill, s.talent, manager_of, s.filled
    )
    tenure, filled = s.tenure, s.filled
    for i in range(manager_of.size):
        tenure[i] += filled[i]
        initiatives[i] = active[manager_of[i]]
    left, voluntary, involuntary, regretted, fired, deals_lost, skill, attainment = people_week(
        s, deals, lev, rng, review, week, quality, initiatives, manager_of, fear, vacancies
    )
    slot = week % TRAILING_WEEKS
    record.leavers[slot, 0] = voluntary
    record.leavers[slot, 1] = involuntary
    record.leavers[slot, 2] = regretted
    record.headcount[slot] = s.filled.sum()

    numbers = week_metrics(
        s,
        skill,
        attainment,
        deals_per_seat(deals.worked, deals.approval),
        (manager_of, active, queued, ini.counts),
        (record.leavers, record.headcount),
        (fired, wait_weeks, utilization, new, wins, lost, deals_lost),
        min(week + 1, TRAILING_WEEKS),
        lev.ramp_weeks,
    )
    return hired, left, ini, active, queued, numbers
