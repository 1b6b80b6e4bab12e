"""Step 5 of the week, its start: vacancies are filled, and hiring takes manager hours.

A seat emptied at the end of a week stays empty for `hiring_weeks`; then a new hire takes
it, drawn from the talent pool through a noisy interview (the best of a few candidates
by an interview signal), at tenure zero, hopeful, with no track record, and ramps.
Interviewing for a vacancy and onboarding a new hire take the manager's hours.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.model.draws import HIRE_NOISE, HIRE_TALENT, normal
from sim.model.mechanics.people import NEUTRAL_MORALE, People
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.state import N_SKILLS, SellerState, seat_skill
from sim.scenario.levers import Levers

CANDIDATES = 3  # candidates interviewed per vacancy
INTERVIEW_HOURS = 3.0  # manager hours a week per open vacancy
ONBOARD_HOURS = 2.0  # manager hours a week per new hire in the first `ONBOARD_WEEKS`
ONBOARD_WEEKS = 13
TALENT_RANGE = (0.05, 0.95)  # no one is hired with no skill at all, or with nothing to learn


def people_hours(filled, tenure, manager_of, n_managers):
    """Interviewing and onboarding hours of each manager (see `manager_people_hours`)."""
    hours = np.zeros(n_managers)
    for i in range(filled.size):
        if not filled[i]:
            hours[manager_of[i]] += INTERVIEW_HOURS
        elif tenure[i] < ONBOARD_WEEKS:
            hours[manager_of[i]] += ONBOARD_HOURS
    return hours


def manager_people_hours(
    s: SellerState, people: People, manager_of: np.ndarray, n_managers: int
) -> np.ndarray:
    """Manager hours a week taken by interviewing for vacancies and onboarding new hires."""
    return people_hours(s.filled, s.tenure, manager_of, n_managers)


def hire_talent(key, streams, week, seats, lev):
    """Talent of new hires into `seats`: the best of a few candidates by a noisy interview.

    Every draw is keyed to the seat: candidate c's component k is draw c * 4 + k of the
    seat's talent stream that week, and its interview noise draw c of the noise stream
    (`streams`: the talent and noise streams). With `hiring_quality` 1 the interview sees
    true skill; with 0 it is pure noise, and a hire is a random draw from the talent pool.
    """
    talent_stream, noise_stream = streams
    low, high = TALENT_RANGE
    noise_sd = max(lev.talent_sd, 0.01)
    talent = np.empty((N_SKILLS, seats.size))
    pool = np.empty((CANDIDATES, N_SKILLS, 1))
    for j in range(seats.size):
        seat_ = seats[j]
        best, best_signal = 0, -np.inf
        for c in range(CANDIDATES):
            for k in range(N_SKILLS):
                drawn = normal(
                    key,
                    talent_stream,
                    week,
                    seat_,
                    c * N_SKILLS + k,
                    lev.talent_mean,
                    lev.talent_sd,
                )
                pool[c, k, 0] = min(max(drawn, low), high)
            true = seat_skill(pool[c], 0)
            noise = normal(key, noise_stream, week, seat_, c, 0.0, noise_sd)
            signal = lev.hiring_quality * true + (1.0 - lev.hiring_quality) * noise
            if signal > best_signal:  # the first of equals
                best, best_signal = c, signal
        for k in range(N_SKILLS):
            talent[k, j] = pool[best, k, 0]
    return talent


def hire(levers: Levers, key: np.ndarray, week: int, seats: np.ndarray) -> np.ndarray:
    """Talent of new hires into `seats` in `week` (see `hire_talent`)."""
    seats = np.asarray(seats, dtype=np.int64)
    return hire_talent(key, (HIRE_TALENT, HIRE_NOISE), week, seats, WeekLevers.of(levers))


def seat(sellers, rows, talent):
    """New hires with `talent` (one column each) take the vacant seats `rows`.

    Fresh skill, tenure zero, no track record (`sellers`: the `SellerArrays`).
    """
    for j in range(rows.size):
        row = rows[j]
        for k in range(N_SKILLS):
            sellers.talent[k, row] = talent[k, j]
            sellers.skill[k, row] = talent[k, j]
        sellers.tenure[row] = 0.0
        sellers.morale[row] = NEUTRAL_MORALE + 0.1  # new hires start hopeful
        for week in range(sellers.booked.shape[0]):
            sellers.booked[week, row] = 0.0
            sellers.owed[week, row] = 0.0
        sellers.trailing_bookings[row] = 0.0
        sellers.trailing_quota[row] = 0.0
        sellers.progress[row] = 0.0
        sellers.risk[row] = 0.0
        sellers.filled[row] = True


def fill_vacancies(sellers, vacancy_left, lev, draw):
    """New hires take the vacant seats whose wait is over; the others wait a week less.

    `draw` is (run key, week): a hire's talent is drawn from the seat's stream that week.

    Returns:
        the rows filled.

    """
    key, week = draw
    filled = sellers.filled
    hired = np.empty(filled.size, dtype=np.int64)
    count = 0
    for i in range(filled.size):
        if filled[i]:
            continue
        if vacancy_left[i] <= 0:
            hired[count] = i
            count += 1
        else:
            vacancy_left[i] -= 1
    hired = hired[:count]
    if count:
        seat(sellers, hired, hire_talent(key, (HIRE_TALENT, HIRE_NOISE), week, hired, lev))
    return hired


def start_hires(
    people: People, s: SellerState, levers: Levers, key: np.ndarray, week: int
) -> np.ndarray:
    """At the start of a week, new hires take the seats whose vacancy has run its course.

    A seat emptied at the end of a week stays empty for exactly `hiring_weeks` weeks.

    Returns:
        the rows filled.

    """
    return fill_vacancies(s.arrays(), people.vacancy_left, WeekLevers.of(levers), (key, week))


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
people_hours = njit(cache=True)(people_hours)
hire_talent = njit(cache=True)(hire_talent)
seat = njit(cache=True)(seat)
fill_vacancies = njit(cache=True)(fill_vacancies)
