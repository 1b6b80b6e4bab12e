"""Struct-of-arrays state owned by the model: one numpy array per variable, one row per seat.

Mesa agents hold a row index into these arrays; the weekly mechanics update whole arrays
at once. A seat (row) can be vacated and refilled, so every per-seller quantity is read
together with `SellerState.filled`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from sim.scenario.levers import SKILL_COMPONENTS, Levers

N_SKILLS = len(SKILL_COMPONENTS)
HOUR_CATEGORIES = (
    "admin",
    "meetings",
    "initiatives",
    "switching",
    "handoffs",
    "chasing",
    "asks",
    "coaching",
    "selling",  # last: what is left
)
HOUR = {name: i for i, name in enumerate(HOUR_CATEGORIES)}
SELLING = HOUR["selling"]  # the row of selling hours (compiled code cannot read `HOUR`)
TRAILING_WEEKS = 52
SKILL_POWER = -4.0  # generalized-mean power: the weakest component drags effective skill


def effective_skill(skill: np.ndarray) -> np.ndarray:
    """Bottleneck-like aggregate of skill components (axis 0), a generalized mean of power -4."""
    squared = skill * skill
    inverse = 1.0 / (squared * squared)  # skill ** SKILL_POWER, written out: it is hot
    return (inverse.sum(axis=0) / skill.shape[0]) ** (1.0 / SKILL_POWER)


def seat_skill(skill: np.ndarray, seat: int) -> float:
    """`effective_skill` of one seat (column `seat` of `skill`), for compiled mechanics."""
    total = 0.0
    for c in range(skill.shape[0]):
        squared = skill[c, seat] * skill[c, seat]
        total += 1.0 / (squared * squared)
    return 1.0 / np.sqrt(np.sqrt(total / skill.shape[0]))  # ** (1 / SKILL_POWER), written out


class SellerArrays(NamedTuple):
    """The arrays of a `SellerState`, for the compiled mechanics (numba cannot take a dataclass)."""

    filled: np.ndarray
    talent: np.ndarray
    skill: np.ndarray
    tenure: np.ndarray
    morale: np.ndarray
    territory: np.ndarray
    hours: np.ndarray
    overtime: np.ndarray
    bookings_week: np.ndarray
    booked: np.ndarray
    owed: np.ndarray
    trailing_bookings: np.ndarray
    trailing_quota: np.ndarray
    quota: np.ndarray
    market_in: np.ndarray
    market_out: np.ndarray
    progress: np.ndarray
    coached: np.ndarray
    risk: np.ndarray


class HoldsArrays:
    """Mixin for state dataclasses: their arrays as one named tuple, for the compiled week.

    The tuple is built once and kept until any attribute of the state is set again (an
    array replaced, or any other change), so the weekly call does not rebuild it.
    """

    ARRAYS: type  # the named tuple: its fields name the attributes it holds

    def __setattr__(self, name: str, value: object) -> None:
        """Set the attribute and forget the tuple."""
        super().__setattr__(name, value)
        self.__dict__.pop("_arrays", None)

    def _held_arrays(self):
        """The named tuple of the state's arrays (the same arrays, not copies)."""
        held = self.__dict__.get("_arrays")
        if held is None:
            held = self.ARRAYS(*(getattr(self, name) for name in self.ARRAYS._fields))
            self.__dict__["_arrays"] = held
        return held


def ramp(tenure, ramp_weeks):
    """Productivity multiplier of each seat's seller: 0.2 on day one, 1 once ramped."""
    return np.minimum(1.0, 0.2 + 0.8 * tenure / ramp_weeks)


@dataclass
class SellerState(HoldsArrays):
    """Per-seat state of the sellers."""

    ARRAYS = SellerArrays

    filled: np.ndarray  # bool: a seller sits in this seat
    talent: np.ndarray  # (4, n) innate skill, the level learned skill decays back to
    skill: np.ndarray  # (4, n) current skill components in (0, 1)
    tenure: np.ndarray  # weeks in the seat
    morale: np.ndarray  # 0-1
    territory: np.ndarray  # multiplier on the opportunity flow of this seat
    hours: np.ndarray | None = None  # (categories, n) this week; rows indexed by HOUR
    overtime: np.ndarray | None = None
    bookings_week: np.ndarray | None = None
    booked: np.ndarray | None = None  # (52, n) ring buffer of weekly bookings
    owed: np.ndarray | None = None  # (52, n) ring buffer of weekly (ramped) quota
    trailing_bookings: np.ndarray | None = None
    trailing_quota: np.ndarray | None = None
    quota: np.ndarray | None = None  # annual quota in force of each seat (k$, at full ramp)
    market_in: np.ndarray | None = None  # accounts in market, not yet engaged, per territory
    market_out: np.ndarray | None = None  # accounts out of market (bought or decided)
    progress: np.ndarray | None = None  # skill coaching added over about the last quarter
    coached: np.ndarray | None = None  # coaching received this week, hours x quality
    risk: np.ndarray | None = None  # the seller's own chance of being let go within a year

    @classmethod
    def create(
        cls, levers: Levers, talent: np.ndarray, tenure: np.ndarray, territory: np.ndarray
    ) -> SellerState:
        """Seat a full organization with the talent, tenures and territories given."""
        n = levers.n_sellers
        zeros = np.zeros(n)
        accounts = levers.accounts * territory
        # near the depth a typical organization works its territories down to
        in_market = accounts * levers.in_market_weeks / (4.0 * levers.buying_cycle_weeks)
        return cls(
            filled=np.ones(n, dtype=bool),
            talent=talent,
            skill=talent.copy(),
            tenure=tenure,
            morale=np.full(n, 0.55),
            territory=territory,
            hours=np.zeros((len(HOUR_CATEGORIES), n)),
            overtime=zeros.copy(),
            bookings_week=zeros.copy(),
            booked=np.zeros((TRAILING_WEEKS, n)),
            owed=np.zeros((TRAILING_WEEKS, n)),
            trailing_bookings=zeros.copy(),
            trailing_quota=zeros.copy(),
            quota=np.full(n, levers.quota),
            market_in=in_market,
            market_out=accounts - in_market,
            progress=zeros.copy(),
            coached=zeros.copy(),
            risk=zeros.copy(),
        )

    def arrays(self) -> SellerArrays:
        """The state arrays (the same arrays: the compiled mechanics change them in place)."""
        return self._held_arrays()

    @property
    def n(self) -> int:
        """Number of seats."""
        return self.filled.size

    def ramp(self, ramp_weeks: int) -> np.ndarray:
        """Productivity multiplier of each seat's seller: 0.2 on day one, 1 once ramped."""
        return ramp(self.tenure, ramp_weeks)

    def attainment(self) -> np.ndarray:
        """Trailing bookings over trailing quota (0 where no quota is owed yet)."""
        return np.divide(
            self.trailing_bookings,
            self.trailing_quota,
            out=np.zeros(self.n),
            where=self.trailing_quota > 0,
        )


def book(sellers, week, bookings, owed):
    """Record this week's bookings and quota of every seat (`sellers`: `SellerArrays`)."""
    slot = week % TRAILING_WEEKS
    _roll(sellers.trailing_bookings, sellers.booked[slot], bookings)
    _roll(sellers.trailing_quota, sellers.owed[slot], owed)
    sellers.bookings_week[:] = bookings


def _roll(trailing, ring_row, this_week):
    """Move a trailing 52-week sum on by a week: this week in, the week it replaces out."""
    for i in range(trailing.size):
        trailing[i] += this_week[i] - ring_row[i]
        ring_row[i] = this_week[i]


# Compiled here, not by decorator: the plain functions above stay visible to mutation
# testing (docs/testing.md). numba compiles each on its first call and caches it under sim/.
seat_skill = njit(cache=True, inline="always")(seat_skill)
ramp = njit(cache=True)(ramp)
book = njit(cache=True)(book)
_roll = njit(cache=True)(_roll)
