"""What the page draws of one organization, copied at the end of a week, and its headline.

`snapshot` copies under the run's lock, so the browser never reads a week half done while
the model plays in another thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from sim.model.agents import Manager, Seller
from sim.scenario.levers import Levers
from sim.workshop.run import Run

BOOKINGS_WEEKS = 13  # the bookings tile: the average week of the last quarter


@dataclass(frozen=True, eq=False)
class Frame:
    """One organization as of its last finished week."""

    scenario: str
    description: str
    seed: int
    weeks: int  # length of the run
    weekly: pd.DataFrame  # every model reporter, one row per week (week 0: the start)
    events: tuple[tuple[int, str], ...]
    levers: Levers
    graph: nx.MultiDiGraph
    morale: dict[int, float] = field(default_factory=dict)  # seller row -> morale
    selling: dict[int, float] = field(default_factory=dict)  # seller row -> selling hours
    quality: dict[int, float] = field(default_factory=dict)  # manager row -> coaching quality

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return len(self.weekly) - 1

    def latest(self, metric: str) -> float:
        """The latest week's value of a model reporter."""
        return float(self.weekly[metric].iloc[-1])


def snapshot(run: Run) -> Frame:
    """Copy what the page draws from a run."""
    with run.lock:
        model = run.model
        weekly = model.datacollector.get_model_vars_dataframe()
        weekly.index.name = "week"
        by_type = model.agents_by_type
        sellers, managers = by_type.get(Seller, []), by_type.get(Manager, [])
        return Frame(
            scenario=model.scenario.name,
            description=model.scenario.description,
            seed=run.seed,
            weeks=model.levers.weeks,
            weekly=weekly,
            events=tuple(model.events),
            levers=model.levers,
            graph=model.org.graph,
            morale={a.row: a.morale for a in sellers},
            selling={a.row: a.selling_hours for a in sellers},
            quality={a.row: a.coaching_quality for a in managers},
        )


def headline(frame: Frame) -> dict[str, str]:
    """The numbers in big type at the top of the page, keyed by a short name.

    Week 0 is the organization as a going concern (after its warm-up), so every tile,
    bookings included, shows a real figure from the start.
    """
    leaving = frame.latest("voluntary_attrition_rate") + frame.latest("involuntary_attrition_rate")
    bookings = float(frame.weekly["bookings"].tail(BOOKINGS_WEEKS).mean())
    return {
        "week": f"{frame.week} of {frame.weeks}",
        "selling": f"{frame.latest('selling_time_share'):.0%}",
        "quota": f"{frame.latest('quota_attainment_share'):.0%}",
        "leaving": f"{leaving:.0%}",
        "seats": f"{frame.latest('headcount'):.0f} of {frame.levers.n_sellers}",
        "bookings": f"{bookings / 1000:.1f} M$",
    }


HEADLINE_LABELS = {
    "week": "Week",
    "selling": "Selling time",
    "quota": "At quota",
    "leaving": "Leaving a year",
    "seats": "Sellers in seats",
    "bookings": "Bookings a week",
}
HEADLINE_HELP = {
    "week": "weeks played of the run",
    "selling": "share of the working week spent selling",
    "quota": "ramped sellers at or above quota over the last year",
    "leaving": "sellers who left over the last year: quit, let go or fired",
    "seats": "seats filled; an empty seat takes weeks to fill",
    "bookings": "new business signed, average week of the last quarter",
}
