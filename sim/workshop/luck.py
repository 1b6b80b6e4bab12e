"""Luck in view: the page's organization run again under other seeds, with the same moves.

`LuckRange` replays the run's scenario and lever moves (at the same weeks) under `runs`
other seeds, spawned from the page's seed, and keeps, week by week, the 10th and 90th
percentile of each outcome the charts show. Behind the page's line, the band says how
far luck alone moves this organization with this policy: a gap between two policies
wider than the band is policy, not luck. Each replay takes a few tens of milliseconds,
so the page computes the band in a background thread whenever the moves change.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sim.experiments.replications import replication_seeds
from sim.scenario import Scenario
from sim.workshop.charts import SHOWN
from sim.workshop.run import Move, Run

RUNS = 20
LOW, HIGH = 10, 90  # percentiles: eight runs in ten fall inside the band


class LuckRange:
    """The band luck gives each shown outcome, over `runs` other seeds.

    Args:
        scenario: the page's scenario.
        seed: the page's seed (the other seeds are spawned from it).
        moves: the page's lever moves, replayed at the same weeks.
        runs: how many other seeds.
        until: the last week drawn (the band is computed to the end of the run).

    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        moves: Iterable[Move],
        runs: int = RUNS,
        until: int | None = None,
    ) -> None:
        """Run the organization under the other seeds and keep the percentiles."""
        self.moves = tuple(moves)
        self.seeds = replication_seeds(seed, runs)
        self.runs = runs
        self.until = until
        tables = []
        for other in self.seeds:
            run = Run(scenario, other, self.moves)
            run.step(run.weeks)
            tables.append(run.model.datacollector.get_model_vars_dataframe())
            run.release()
        self.weeks = np.asarray(tables[0].index, dtype=float)
        self._bands = {
            name: np.percentile(
                np.vstack([shown(t).to_numpy(dtype=float) for t in tables]), [LOW, HIGH], axis=0
            )
            for name, shown in SHOWN.items()
        }

    @classmethod
    def of(cls, run: Run, runs: int = RUNS) -> LuckRange:
        """The band for a run as it stands (its scenario, seed and moves)."""
        with run.lock:
            return cls(run.scenario, run.seed, run.moves, runs)

    def fits(self, run: Run) -> bool:
        """Whether the band was made for this run's moves."""
        return tuple(run.moves) == self.moves

    def up_to(self, week: int) -> LuckRange:
        """The same band, drawn only up to `week` (no spoilers of the weeks to come)."""
        shown = object.__new__(LuckRange)
        shown.__dict__ = {**self.__dict__, "until": week}
        return shown

    def band(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(weeks, low, high) of a `SHOWN` outcome, up to the week drawn."""
        if name not in self._bands:
            return None
        end = len(self.weeks) if self.until is None else self.until + 1
        low, high = self._bands[name]
        return self.weeks[:end], low[:end], high[:end]

    def table(self) -> pd.DataFrame:
        """Every band as columns `<outcome>_low` and `<outcome>_high`, one row per week."""
        columns = {}
        for name, (low, high) in self._bands.items():
            columns[f"{name}_low"] = low
            columns[f"{name}_high"] = high
        return pd.DataFrame(columns, index=pd.Index(self.weeks.astype(int), name="week"))
