"""Collection: the DataCollector of the weekly numbers, and the people every few weeks.

`WeeklyCollector` appends each model reporter from its position in the week's numbers
(`sim.model.metrics`) and records the people (agent reporters) only every `people_every`
weeks and at the end, held as arrays (`PeopleRecords`) until read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import mesa
from mesa import DataCollector

from sim.model.metrics import METRIC_INDEX, METRIC_NAMES


def read_metric(model: mesa.Model, name: str) -> float:
    """DataCollector reporter: one value of this week's metrics."""
    return model.metrics[name]


MODEL_REPORTERS = {name: partial(read_metric, name=name) for name in METRIC_NAMES}
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
        # reporters that only read this week's numbers are appended directly: each column
        # with the position of its number in `model.metric_values`
        reporters = self.model_reporters
        self._direct = all(getattr(r, "func", None) is read_metric for r in reporters.values())
        self._columns = [
            (self.model_vars[name], METRIC_INDEX[reporter.keywords["name"]])
            for name, reporter in reporters.items()
            if self._direct
        ]

    def collect(self, model: mesa.Model) -> None:
        """Record this week (and the people, when due)."""
        if self._direct and self._validated:
            values = model.metric_values
            for column, i in self._columns:
                column.append(values[i])
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
