"""Weekly numbers: every model reporter is a reduction over the model's arrays.

`weekly_metrics` computes all of them once per week into a dict; the DataCollector's
reporters read from it. Means over people are over filled seats only. `WeeklyCollector`
records them every week and the people (agent reporters) every `people_every` weeks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
from mesa import DataCollector
from numba import njit

from sim.state import HOUR_CATEGORIES, TRAILING_WEEKS, effective_skill

if TYPE_CHECKING:
    from sim.model import SalesOrgModel

HOUR_METRICS = (*(f"hours_{c}" for c in HOUR_CATEGORIES), "hours_overtime")
METRIC_NAMES = (
    "selling_time_share",
    "quota_attainment_share",
    "mean_attainment",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "fired",
    "headcount",
    "vacancies",
    "bookings",
    "mean_skill",
    "mean_morale",
    "initiatives_per_seller",
    "initiatives_queued_per_seller",
    "specialist_wait_weeks",
    "presales_utilization",
    "coaching_hours_per_seller",
    "open_deals_per_seller",
    "new_opportunities",
    "deals_won",
    "deals_lost",
    "initiatives_adopted",
    "initiatives_abandoned",
    *HOUR_METRICS,
)
#: The outcomes experiments compare and sweeps record (final-year means of these reporters).
OUTCOMES = (
    "quota_attainment_share",
    "mean_attainment",
    "bookings",
    "selling_time_share",
    "mean_skill",
    "mean_morale",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "headcount",
    "specialist_wait_weeks",
    "initiatives_per_seller",
    "coaching_hours_per_seller",
)
AGENT_REPORTERS = {
    "role": "role",
    "skill": "skill",
    "tenure": "tenure",
    "morale": "morale",
    "selling_hours": "selling_hours",
    "attainment": "attainment",
    "initiatives": "initiatives",
    "manager": "manager",
}


def read_metric(model: SalesOrgModel, name: str) -> float:
    """DataCollector reporter: one value of this week's metrics."""
    return model.metrics[name]


MODEL_REPORTERS = {name: partial(read_metric, name=name) for name in METRIC_NAMES}


def _this_week(flows: dict, name: str, compute) -> np.ndarray:
    """A per-seat array the week's mechanics left in `flows` (computed now before any week)."""
    values = flows.get(name)
    return compute() if values is None else values


def _total(flows: dict, name: str) -> float:
    """The sum of one of the week's flows (0 before any week)."""
    return float(flows[name].sum()) if name in flows else 0.0


@njit(cache=True)
def _seat_means(filled, hours, overtime, skill, morale, open_deals):
    """Headcount; means over filled seats of hours per category, overtime, skill, morale, deals."""
    headcount = 0
    for i in range(filled.size):
        headcount += filled[i]
    weight = 1.0 / max(headcount, 1)
    per_category = np.zeros(hours.shape[0])
    means = np.zeros(4)  # overtime, skill, morale, open deals
    for i in range(filled.size):
        if filled[i]:
            for c in range(hours.shape[0]):
                per_category[c] += hours[c, i] * weight
            means[0] += overtime[i] * weight
            means[1] += skill[i] * weight
            means[2] += morale[i] * weight
            means[3] += open_deals[i] * weight
    return headcount, per_category, means


@njit(cache=True)
def _trailing(leavers, headcount_history, window):
    """Leavers of each kind over the trailing weeks, and the mean headcount over `window`."""
    exits = np.zeros(leavers.shape[1])
    for week in range(leavers.shape[0]):
        for kind in range(leavers.shape[1]):
            exits[kind] += leavers[week, kind]
    heads = 0.0
    for week in range(window):
        heads += headcount_history[week]
    return exits, heads / window


@njit(cache=True)
def _ramped_attainment(filled, tenure, ramp_weeks, attainment):
    """Ramped sellers: how many, how many at quota, and their summed attainment."""
    ramped, at_quota, total = 0, 0, 0.0
    for i in range(filled.size):
        if filled[i] and tenure[i] >= ramp_weeks:
            ramped += 1
            at_quota += attainment[i] >= 1.0
            total += attainment[i]
    return ramped, at_quota, total


@njit(cache=True)
def _per_seller(team_values, manager_of, filled, headcount):
    """A per-team count averaged over the filled seats (each seller sees their team's)."""
    total = 0.0
    for i in range(filled.size):
        if filled[i]:
            total += team_values[manager_of[i]]
    return total / max(headcount, 1)


def weekly_metrics(model: SalesOrgModel, flows: dict) -> dict[str, float]:
    """All model reporters for the week just finished.

    Means over sellers are over the filled seats, computed in compiled passes over the
    seats without copies of the arrays.
    """
    s = model.sellers
    lev = model.levers
    org = model.org
    filled = s.filled
    attainment = _this_week(flows, "attainment", s.attainment)
    skill = _this_week(flows, "effective_skill", lambda: effective_skill(s.skill))
    headcount, per_category, means = _seat_means(
        filled, s.hours, s.overtime, skill, s.morale, model.pipeline.open_deals()
    )
    n_ramped, at_quota, attained = _ramped_attainment(filled, s.tenure, lev.ramp_weeks, attainment)
    hour_means = dict(zip(HOUR_METRICS, per_category.tolist(), strict=False))
    overtime, mean_skill, mean_morale, open_deals = means.tolist()
    hour_means["hours_overtime"] = overtime
    worked = float(per_category.sum())
    window = min(model.clock, TRAILING_WEEKS) or 1
    exits, mean_heads = _trailing(model.leavers, model.headcount_history, window)
    rates = exits * (TRAILING_WEEKS / window) / max(mean_heads, 1.0)
    return {
        "selling_time_share": hour_means["hours_selling"] / worked if worked else 0.0,
        "quota_attainment_share": at_quota / n_ramped if n_ramped else 0.0,
        "mean_attainment": attained / n_ramped if n_ramped else 0.0,
        "voluntary_attrition_rate": float(rates[0]),
        "involuntary_attrition_rate": float(rates[1]),
        "regretted_attrition_share": float(exits[2] / exits[0]) if exits[0] else 0.0,
        "fired": int(flows.get("fired", 0)),
        "headcount": headcount,
        "vacancies": s.n - headcount,
        "bookings": float(s.bookings_week.sum()),
        "mean_skill": mean_skill,
        "mean_morale": mean_morale,
        "initiatives_per_seller": _per_seller(
            model.team_active_initiatives, org.manager_of, filled, headcount
        ),
        "initiatives_queued_per_seller": _per_seller(
            model.team_queued_initiatives, org.manager_of, filled, headcount
        ),
        "specialist_wait_weeks": float(flows.get("wait_weeks", 0.0)),
        "presales_utilization": float(flows.get("presales_utilization", 0.0)),
        "coaching_hours_per_seller": hour_means["hours_coaching"],
        "open_deals_per_seller": open_deals,
        "new_opportunities": _total(flows, "new"),
        "deals_won": _total(flows, "wins"),
        "deals_lost": _total(flows, "lost") + flows.get("leaver_deals_lost", 0.0),
        "initiatives_adopted": model.initiatives.totals["adopted"],
        "initiatives_abandoned": model.initiatives.totals["abandoned"],
        **hour_means,
    }


class PeopleRecords(Sequence):
    """One collection of the people, held as columns; Mesa's record tuples are built when read.

    Mesa's DataCollector keeps `(step, unique_id, *values)` tuples per collection. Building
    a tuple per person at every collection cost more than the rest of the week and kept the
    garbage collector busy; this holds the same values as arrays and yields the same tuples
    to whoever reads them (`get_agent_vars_dataframe`, `mesa.batch_run`).
    """

    def __init__(self, step: int, reporters: list[str], sellers: dict, others: list) -> None:
        """Sellers' columns (arrays, from `seller_columns`) and the other agents, in order."""
        self.step = step
        self.reporters = reporters
        self.sellers = sellers
        self.others = others

    def __len__(self) -> int:
        """Number of people recorded."""
        return len(self.sellers["unique_id"]) + len(self.others)

    def __iter__(self) -> Iterator[tuple]:
        """The records, sellers first (in seat order), then the other agents."""
        n, others = len(self.sellers["unique_id"]), self.others
        blank = [None] * len(others)
        ids = self.sellers["unique_id"].tolist() + [a.unique_id for a in others]
        columns = [
            ["seller"] * n + [a.role for a in others]
            if name == "role"
            else self.sellers[name].tolist() + blank
            for name in self.reporters
        ]
        return zip([self.step] * len(ids), ids, *columns, strict=True)

    def __getitem__(self, index):
        """A record (or a list of them) by position."""
        return list(self)[index]


class WeeklyCollector(DataCollector):
    """A DataCollector that records agents only every `people_every` weeks and at the end."""

    def __init__(self, people_every: int, **kwargs: Any) -> None:
        """Collect model reporters at every call, agent reporters at the interval."""
        super().__init__(**kwargs)
        self.people_every = people_every
        # reporters that only read this week's metrics dict can be appended directly
        self._direct = all(
            getattr(r, "func", None) is read_metric for r in self.model_reporters.values()
        )

    def collect(self, model: mesa.Model) -> None:
        """Record this week (and the people, when due)."""
        if self._direct and self._validated:
            metrics = model.metrics
            for name, values in self.model_vars.items():
                values.append(metrics[name])
        else:
            reporters, self.agent_reporters = self.agent_reporters, {}
            try:
                super().collect(model)
            finally:
                self.agent_reporters = reporters
        if self.agent_reporters and (model.steps % self.people_every == 0 or not model.running):
            self._agent_records[model.steps] = self._people(model)

    def _people(self, model: mesa.Model) -> Sequence[tuple]:
        """The agent records of the week: from whole arrays when the reporters are ours."""
        if set(self.agent_reporters) <= set(AGENT_REPORTERS) and hasattr(model, "seller_columns"):
            reporters = list(self.agent_reporters)
            return PeopleRecords(model.steps, reporters, model.seller_columns(), model.other_agents)
        return list(self._record_agents(model))
