"""The week, compiled: every mechanism of a week in one numba call.

`SalesOrgModel._week` hands the model's arrays to `run_week`, which calls each mechanism's
compiled function in the order of the week (see `sim.model.model`) and then computes the
week's numbers. Every draw is keyed to (run, mechanism, week, seat, index)
(`sim.model.draws`), so no random state passes between Python and compiled code. Python
keeps what is not arithmetic over seats: interventions, Mesa's agents for the people hired
and leaving, and the DataCollector.

A week at 1,000 sellers is a few hundred microseconds of arithmetic; each of a dozen
Python-to-kernel calls with its glue would cost several more, which is why the mechanisms
are chained here and not from Python.
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
from sim.model.state import SELLING, TRAILING_WEEKS, book, ramp, seat_skill

PROGRESS_WEEKS = 13.0  # coaching's progress is felt over about a quarter
FISCAL_WEEKS = 52


class Record(NamedTuple):
    """What the week keeps over weeks: the trailing leavers and headcounts, the fiscal year."""

    leavers: np.ndarray  # (52, 3) ring buffer: weekly voluntary, involuntary, regretted
    headcount: np.ndarray  # (52,) ring buffer
    fiscal: np.ndarray  # (2,) this fiscal year's bookings, and its territory-weighted seat-years


def set_quotas(sellers, record, lev):
    """A new fiscal year: every seat's quota from the plan (or the fixed quota).

    The plan: last year's bookings per territory-weighted ramped seat-year, times
    (1 + `quota_growth`), spread over the seats by territory potential. With no record yet
    (or `quota_policy` fixed) every seat's quota is the `quota` lever.
    """
    bookings, seat_years = record.fiscal
    plan = lev.plan_quota and seat_years > 0 and bookings > 0
    per_unit = bookings / seat_years * (1.0 + lev.quota_growth) if plan else lev.quota
    for i in range(sellers.quota.size):
        sellers.quota[i] = per_unit * sellers.territory[i] if plan else lev.quota
    record.fiscal[:] = 0.0


def run_week(sellers, deals, ini, vacancies, org, team_active, quality, record, lev, key, when):
    """One week of the organization, in place on the model's arrays.

    Args:
        sellers: the `SellerArrays`.
        deals: the pipeline's `DealArrays`.
        ini: the `InitiativeArrays` (returned anew if its slots grew).
        vacancies: per seat, weeks until a vacancy is filled.
        org: the `sim.model.organization.OrgArrays`.
        team_active: initiatives each team works this week.
        quality: coaching quality of each seat's manager.
        record: the `Record` of the trailing weeks and the fiscal year.
        lev: the `WeekLevers`.
        key: the run's key (`sim.model.draws.run_key`).
        when: (week, run_week, review): weeks simulated so far, warm-up included (the
            draws are keyed to it); the week of the run (0 during the warm-up); whether
            this week holds a firing review.

    Returns:
        (hired, left, ini, active, queued, numbers): the rows filled at the start of the
        week and emptied at its end; the initiative arrays; per team the initiatives
        active and queued for next week; the week's numbers (`sim.model.metrics.week_metrics`).

    """
    s = sellers
    week, run_week, review = when
    draw = (key, week)
    manager_of = org.manager_of
    hired = fill_vacancies(s, vacancies, lev, draw)

    # managers' hours: coaching is what following up and hiring leave of the plan
    pulls = team_follow_up(team_active, lev.follow_up) + people_hours(
        s.filled, s.tenure, manager_of, team_active.size
    )
    coaching, _ = share_coaching(lev.planned_coaching, pulls, manager_of, s.filled)

    # the seller's week: every demand, then selling is what is left
    asks = draw_asks(key, week, lev.ask_hours, org.team_ask_weight, manager_of)
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

    # the market and the deals move; bookings and quota enter the trailing year
    productivity = ramp(s.tenure, lev.ramp_weeks)
    flows = pipeline_week(
        deals,
        (s.market_in, s.market_out),
        lev,
        draw,
        s.hours[SELLING],
        s.skill,
        productivity,
        s.filled,
        (org.lead_weight, org.presales_of, org.n_presales),
    )
    new, wins, _, bookings, lost, _, _, _, utilization, wait_weeks, decided = flows
    owed = np.empty(manager_of.size)
    seat_years = 0.0
    for i in range(manager_of.size):
        weight = productivity[i] * s.filled[i]
        owed[i] = s.quota[i] / TRAILING_WEEKS * weight
        seat_years += weight * s.territory[i] / FISCAL_WEEKS
    book(s, week, bookings, owed)
    record.fiscal[0] += bookings.sum()
    record.fiscal[1] += seat_years

    # coaching moves skill; what it adds is felt as progress over about a quarter
    gain = _coach(
        s.skill, s.talent, coaching, quality, lev.coaching_focus, lev.learn_rate, lev.skill_decay
    )
    for i in range(manager_of.size):
        s.coached[i] = coaching[i] * quality[i] * s.filled[i]
        s.progress[i] += gain[i] * s.filled[i] - s.progress[i] / PROGRESS_WEEKS

    # initiatives; a week of tenure; morale, quitting, firing, leaving
    ini, active, queued = initiatives_week(ini, lev, key, week, s.skill, manager_of, s.filled)
    tenure, filled = s.tenure, s.filled
    for i in range(manager_of.size):
        tenure[i] += filled[i]
    skill = np.empty(manager_of.size)
    for i in range(skill.size):
        skill[i] = seat_skill(s.skill, i)
    left, voluntary, involuntary, regretted, fired, deals_lost, attainment = people_week(
        s, deals, lev, draw, review, run_week, week, vacancies, skill
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
        (
            fired,
            wait_weeks,
            utilization,
            new,
            wins,
            lost,
            deals_lost,
            decided,
            hired.size,
            involuntary,
        ),
        min(week + 1, TRAILING_WEEKS),
        lev,
    )
    return hired, left, ini, active, queued, numbers


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
set_quotas = njit(cache=True)(set_quotas)
run_week = njit(cache=True)(run_week)
