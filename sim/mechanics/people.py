"""Steps 5 and 6 of the week: morale, quitting, managing out, firing, vacancies and hiring.

Morale moves toward a target set by the seller's own week (selling-time share, overtime,
initiative overload), the manager (coaching quality), results (trailing attainment) and
fear (recent firings on the team). Voluntary quitting is a weekly hazard that rises as
morale falls, more steeply for skilled sellers, who have options elsewhere. Involuntary
exits come from ordinary performance management (ramped sellers far below their peers'
median attainment are managed out at a weekly rate) and from the firing policy (the
bottom share by trailing attainment, every N weeks). A vacated seat stays empty for
`hiring_weeks`; the leaver's open deals are partly lost; the new hire is drawn from the
talent pool through a noisy interview, starts at tenure zero and ramps. Hiring and
onboarding take manager hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.levers import Levers
from sim.state import HOUR, N_SKILLS, SellerState, effective_skill

NEUTRAL_MORALE = 0.55  # morale at which sellers quit at the base rate
LIFE_QUIT = 0.04  # a year: leaving for reasons no organization controls (moves, family)
MORALE_SPEED = 0.08  # share of the gap to the target closed each week
FEAR_DECAY = 0.96  # weekly decay of the memory of a firing on the team
CANDIDATES = 3  # candidates interviewed per vacancy
INTERVIEW_HOURS = 3.0  # manager hours a week per open vacancy
ONBOARD_HOURS = 2.0  # manager hours a week per new hire in the first `ONBOARD_WEEKS`
ONBOARD_WEEKS = 13
RECORD_WEEKS = 26  # weeks of trailing record before a seller is judged
VOLUNTARY, INVOLUNTARY = 0, 1


@dataclass
class People:
    """Per-seat and per-team state of the people dynamics."""

    vacancy_left: np.ndarray  # weeks until a vacant seat is filled
    fear: np.ndarray  # per team: decaying memory of firings (fired per seat)

    @classmethod
    def create(cls, n: int, teams: int) -> People:
        """Everyone seated, no fear."""
        return cls(vacancy_left=np.zeros(n, dtype=np.int64), fear=np.zeros(teams))


def morale_target(
    levers: Levers,
    *,
    selling_share: np.ndarray,
    overtime: np.ndarray,
    initiatives: np.ndarray,
    quality: np.ndarray,
    attainment: np.ndarray,
    fear: np.ndarray,
) -> np.ndarray:
    """The morale each seller's situation pulls toward, 0-1."""
    target = (
        NEUTRAL_MORALE
        + 0.8 * (selling_share - 0.35)
        + 0.3 * (quality - 0.4)
        + 0.2 * (attainment - 1.0).clip(-0.5, 0.5)
        - 0.03 * overtime
        - 0.05 * np.maximum(initiatives - 2.0, 0.0)
        - 2.0 * fear
    )
    return target.clip(0.05, 0.95)


def quit_hazard(
    levers: Levers, morale: np.ndarray, skill: np.ndarray, filled: np.ndarray
) -> np.ndarray:
    """Weekly chance of quitting: the base rate, rising as morale falls, steeper for the skilled.

    Skill counts in standard deviations above the organization's mean: the better a seller
    is than colleagues, the more options elsewhere.
    """
    weight = filled / max(np.count_nonzero(filled), 1)
    above = skill - float(skill @ weight)  # above (or below) the mean
    spread = float(np.sqrt((above**2) @ weight))
    z = np.maximum(above, 0.0) / max(spread, 1e-3)
    slope = levers.morale_sensitivity * (1.0 + levers.skill_options * z)
    pushed = levers.quit_rate * np.exp(slope * (NEUTRAL_MORALE - morale))
    return np.minimum((LIFE_QUIT + pushed) / 52.0, 0.5)


def _quantile(values: np.ndarray, q: float) -> float:
    """The `q` quantile (lower value), in linear time."""
    k = int(q * (values.size - 1))
    return float(np.partition(values, k)[k])


def fire_due(levers: Levers, week: int) -> bool:
    """Whether this week holds a firing review."""
    if levers.fire_bottom_share <= 0 or week < levers.fire_start_week:
        return False
    return (week - levers.fire_start_week) % levers.fire_every_weeks == 0


def choose_fired(levers: Levers, s: SellerState) -> np.ndarray:
    """Rows of the ramped sellers with the lowest trailing attainment (the bottom share)."""
    ramped = np.flatnonzero(s.ramped(levers.ramp_weeks))
    count = int(np.floor(levers.fire_bottom_share * ramped.size))
    if count == 0:
        return ramped[:0]
    order = np.argsort(s.attainment()[ramped], kind="stable")
    return ramped[order[:count]]


def hire(levers: Levers, rng: np.random.Generator, count: int) -> np.ndarray:
    """Talent of `count` new hires: the best of a few candidates by a noisy interview.

    With `hiring_quality` 1 the interview sees true skill; with 0 it is pure noise, and a
    hire is a random draw from the talent pool.
    """
    pool = rng.normal(levers.talent_mean, levers.talent_sd, (CANDIDATES, N_SKILLS, count))
    candidates = pool.clip(0.05, 0.95)
    true = effective_skill(candidates.transpose(1, 0, 2).reshape(N_SKILLS, -1))
    true = true.reshape(CANDIDATES, count)
    noise = rng.normal(0.0, max(levers.talent_sd, 0.01), (CANDIDATES, count))
    q = levers.hiring_quality
    signal = q * true + (1.0 - q) * noise
    best = np.argmax(signal, axis=0)
    return candidates[best, :, np.arange(count)].T


def manager_people_hours(
    s: SellerState, people: People, manager_of: np.ndarray, n_managers: int
) -> np.ndarray:
    """Manager hours a week taken by interviewing for vacancies and onboarding new hires."""
    vacant = ~s.filled
    onboarding = s.filled & (s.tenure < ONBOARD_WEEKS)
    load = INTERVIEW_HOURS * vacant + ONBOARD_HOURS * onboarding
    return np.bincount(manager_of, weights=load, minlength=n_managers)


def start_hires(
    people: People, s: SellerState, levers: Levers, rng: np.random.Generator
) -> np.ndarray:
    """At the start of a week, new hires take the seats whose vacancy has run its course.

    A seat emptied at the end of a week stays empty for exactly `hiring_weeks` weeks.

    Returns:
        the rows filled.

    """
    vacant = np.flatnonzero(~s.filled)
    if vacant.size == 0:
        return vacant
    ready = people.vacancy_left[vacant] <= 0
    people.vacancy_left[vacant[~ready]] -= 1
    hired = vacant[ready]
    if hired.size:
        seat(s, hired, hire(levers, rng, hired.size))
    return hired


def seat(s: SellerState, rows: np.ndarray, talent: np.ndarray) -> None:
    """New hires take the vacant seats `rows`: fresh skill, tenure zero, no track record."""
    s.talent[:, rows] = talent
    s.skill[:, rows] = talent
    s.tenure[rows] = 0.0
    s.morale[rows] = NEUTRAL_MORALE + 0.1  # new hires start hopeful
    s.booked[:, rows] = 0.0
    s.owed[:, rows] = 0.0
    s.trailing_bookings[rows] = 0.0
    s.trailing_quota[rows] = 0.0
    s.filled[rows] = True


def vacate(s: SellerState, pipeline, rows: np.ndarray, levers: Levers, people: People) -> float:
    """Sellers in `rows` leave: the seats empty and part of their open deals is lost.

    Returns:
        the expected number of deals lost with the leavers.

    """
    keep = 1.0 - levers.leaver_deal_loss
    before = pipeline.open_deals(rows).sum()
    pipeline.worked[:, rows] *= keep
    pipeline.approval[:, rows] *= keep
    pipeline.waiting[rows] *= keep
    s.filled[rows] = False
    people.vacancy_left[rows] = levers.hiring_weeks
    return float(before * levers.leaver_deal_loss)


def step_people(
    people: People,
    s: SellerState,
    pipeline,
    *,
    levers: Levers,
    rng: np.random.Generator,
    run_week: int,
    weeks_recorded: int,
    quality: np.ndarray,
    initiatives: np.ndarray,
    manager_of: np.ndarray,
    n_managers: int,
) -> dict[str, np.ndarray | int | float]:
    """The end of a week of people dynamics: morale moves, people leave.

    Args:
        people: vacancy timers and team fear.
        s: the seller arrays (changed in place).
        pipeline: the deals (a leaver's are partly lost).
        levers: the organization's levers.
        rng: the model's random numbers.
        run_week: week of the run (0 during warm-up: no firing reviews then).
        weeks_recorded: weeks the organization has been simulated (warm-up included).
        quality: coaching quality of each seller's manager.
        initiatives: active initiatives per seller.
        manager_of: manager row of each seat.
        n_managers: number of managers.

    Returns:
        rows that left this week, counts of voluntary, involuntary, regretted and fired
        leavers, the deals lost with them, and every seat's effective skill and trailing
        attainment at the end of the week.

    """
    filled = s.filled
    worked = s.hours.sum(axis=0)
    selling_share = np.divide(s.hours[HOUR["selling"]], worked, out=np.zeros(s.n), where=worked > 0)
    attainment = s.attainment()
    target = morale_target(
        levers,
        selling_share=selling_share,
        overtime=s.overtime,
        initiatives=initiatives,
        quality=quality,
        attainment=np.where(s.trailing_quota > 0, attainment, 1.0),
        fear=people.fear[manager_of],
    )
    s.morale += MORALE_SPEED * (target - s.morale) * filled

    skill = effective_skill(s.skill)
    quits = filled & (rng.random(s.n) < quit_hazard(levers, s.morale, skill, filled))
    leaving = quits.copy()
    ramped = s.ramped(levers.ramp_weeks)
    managed_out = 0
    if levers.manage_out_rate > 0 and ramped.any():
        # managers judge against peers, on at least half a year of record
        judged = ramped & (np.minimum(s.tenure, weeks_recorded) >= RECORD_WEEKS)
        bar = levers.manage_out_below * _quantile(attainment[ramped], 0.5)
        in_review = np.flatnonzero(judged & (attainment < bar) & ~quits)
        out = in_review[rng.random(in_review.size) < levers.manage_out_rate]
        leaving[out] = True
        managed_out = out.size
    fired, fired_share = 0, 0.0
    if run_week > 0 and fire_due(levers, run_week):
        chosen = np.zeros(s.n, dtype=bool)
        chosen[choose_fired(levers, s)] = True
        chosen &= ~leaving
        leaving |= chosen
        fired = np.count_nonzero(chosen)
        # the survivors fear for their jobs: the share of the team fired this week
        team = np.bincount(manager_of, minlength=n_managers)
        fired_on_team = np.bincount(manager_of, weights=chosen, minlength=n_managers)
        fired_share = fired_on_team / np.maximum(team, 1)
    people.fear = people.fear * FEAR_DECAY + fired_share
    voluntary = np.count_nonzero(quits)
    regretted = 0
    if voluntary:
        regretted = np.count_nonzero(skill[quits] >= _quantile(skill[filled], 0.75))

    left = np.flatnonzero(leaving)
    deals_lost = vacate(s, pipeline, left, levers, people) if left.size else 0.0
    return {
        "left": left,
        "voluntary": voluntary,
        "involuntary": managed_out + fired,
        "fired": fired,
        "regretted": regretted,
        "deals_lost": deals_lost,
        "effective_skill": skill,
        "attainment": attainment,
    }
