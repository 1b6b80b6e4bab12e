"""The scorecard: what a team's organization is worth at the end, end-game tricks included.

Every part is an index against the *untouched organization*: the same organization, the
same seed, nobody deciding anything (100 = as good as doing nothing):

- bookings over the last four quarters played (50%);
- bookings over the year after the game (30%): the model plays on 52 weeks, unseen, with
  the team's levers as it left them: the organization it hands over;
- morale at the end (10%): mean morale of the sellers in their seats;
- good sellers kept (10%): one minus the regretted attrition of the last year (good
  sellers who quit, per seat).

Firing half the sellers, cutting coaching or stopping every investment in the last quarter
may not dent the last year's bookings, but it empties seats, frightens those who stay and
leaves a weaker organization: the year after, morale and the good sellers lost pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.workshop.game.rules import HANDOVER_WEEKS
from sim.workshop.run import Run

YEAR = 52
WEIGHTS = {"bookings": 0.5, "next_year": 0.3, "morale": 0.1, "kept": 0.1}
PART_LABELS = {
    "bookings": "Bookings, last four quarters",
    "next_year": "Bookings, the year after",
    "morale": "Morale at the end",
    "kept": "Good sellers kept",
}


@dataclass(frozen=True)
class Outcome:
    """The raw figures of one organization at a week of the game."""

    week: int
    bookings: float  # k$ over the last four quarters played (or the weeks played)
    next_year: float  # k$ over the year after, with the levers left as they are
    morale: float  # mean morale at the week
    regretted: float  # good sellers who quit over the last year, per seat

    @property
    def kept(self) -> float:
        """Share of seats not lost to a regretted quit over the last year."""
        return 1.0 - self.regretted


def outcome(run: Run) -> Outcome:
    """The figures of a run at its current week (it plays a copy on for the year after)."""
    with run.lock:
        week, moves = run.week, list(run.moves)
        weekly = run.model.datacollector.get_model_vars_dataframe()
    after = Run(run.scenario, run.seed, moves, week)
    after.step(HANDOVER_WEEKS)
    later = after.model.datacollector.get_model_vars_dataframe()
    after.release()
    return figures(weekly, later, week)


def figures(weekly: pd.DataFrame, later: pd.DataFrame, week: int) -> Outcome:
    """The figures from the weekly table played to `week` and the one played a year on."""
    played = weekly["bookings"].loc[max(1, week - YEAR + 1) : week]
    handed = later["bookings"].loc[week + 1 : week + HANDOVER_WEEKS]
    row = weekly.loc[week]
    return Outcome(
        week=week,
        bookings=float(played.sum()),
        next_year=float(handed.sum()),
        morale=float(row["mean_morale"]),
        regretted=float(row["voluntary_attrition_rate"] * row["regretted_attrition_share"]),
    )


@dataclass(frozen=True)
class Scorecard:
    """A team's score: each part as an index (100 = the untouched organization)."""

    parts: dict[str, float]
    mine: Outcome
    par: Outcome

    @property
    def score(self) -> float:
        """The weighted sum of the parts."""
        return sum(WEIGHTS[k] * v for k, v in self.parts.items())


def _index(mine: float, par: float) -> float:
    return 100.0 * (mine / par) if par > 0 else 100.0


def scorecard(mine: Outcome, par: Outcome) -> Scorecard:
    """The scorecard of an organization against the untouched one, at the same week."""
    parts = {
        "bookings": _index(mine.bookings, par.bookings),
        "next_year": _index(mine.next_year, par.next_year),
        "morale": _index(mine.morale, par.morale),
        "kept": _index(mine.kept, par.kept),
    }
    return Scorecard(parts, mine, par)
