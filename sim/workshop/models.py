"""The organizations on the workshop page, and snapshots of them for drawing.

`WorkshopModel` is the `SalesOrgModel` of the single-organization page: a lever the
trainer moves is queued and applied at the start of the next week through the model's
own `set_levers`, exactly like a scheduled intervention, so the curves bend from there.
`SideBySide` steps two organizations together from the same seed. Both take a lock while
they step, and `snapshot()` copies what the page draws under that lock, so the browser
never reads a week half done while the model plays in another thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import mesa
import networkx as nx
import pandas as pd

from sim.experiments.runner import release
from sim.model import SalesOrgModel
from sim.model.agents import Manager, Seller
from sim.scenario import load_scenario
from sim.scenario.levers import Levers
from sim.workshop.controls import CONTROL_BY_LEVER, LeverBoard


@dataclass(frozen=True, eq=False)
class Frame:
    """What the page draws of one organization, copied at the end of a week."""

    scenario: str
    description: str
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


def snapshot(model: SalesOrgModel) -> Frame:
    """Copy what the page draws from a model (the caller holds the model still)."""
    weekly = model.datacollector.get_model_vars_dataframe()
    weekly.index.name = "week"
    by_type = model.agents_by_type
    sellers, managers = by_type.get(Seller, []), by_type.get(Manager, [])
    return Frame(
        scenario=model.scenario.name,
        description=model.scenario.description,
        weeks=model.levers.weeks,
        weekly=weekly,
        events=tuple(model.events),
        levers=model.levers,
        graph=model.org.graph,
        morale={a.row: a.morale for a in sellers},
        selling={a.row: a.selling_hours for a in sellers},
        quality={a.row: a.coaching_quality for a in managers},
    )


def describe_change(changes: dict[str, Any]) -> str:
    """A lever change as the room reads it, e.g. 'workshop: approval desks a deal ... 1'."""
    parts = []
    for lever, value in changes.items():
        control = CONTROL_BY_LEVER.get(lever)
        parts.append(f"{control.label}: {control.show(value)}" if control else f"{lever}={value}")
    return "workshop: " + "; ".join(parts)


class WorkshopModel(SalesOrgModel):
    """The organization on the page; lever changes take effect from the next week.

    Args:
        seed: seed of the run (the same seed tells the same story).
        board: the scenario and the levers the trainer moved (default: the baseline).

    """

    def __init__(self, seed: int = 1, board: LeverBoard | None = None) -> None:
        """Start the board's scenario with the levers it records."""
        board = board if board is not None else LeverBoard()
        super().__init__(board.scenario, seed=seed, **board.moved)
        self.run_seed = seed
        self.lock = threading.RLock()
        self.version = 0  # counts finished weeks, so the page redraws only when it must
        self._requested: dict[str, Any] = {}
        self._request_lock = threading.Lock()

    def request(self, changes: dict[str, Any]) -> None:
        """Queue lever changes (already checked) for the start of the next week."""
        with self._request_lock:
            self._requested.update(changes)

    @property
    def requested(self) -> dict[str, Any]:
        """Lever changes waiting for the next week."""
        with self._request_lock:
            return dict(self._requested)

    def step(self) -> None:
        """Apply the queued lever changes, then run the week."""
        with self.lock:
            with self._request_lock:
                changes, self._requested = self._requested, {}
            if changes:
                self.set_levers(changes, note=describe_change(changes))
            super().step()
            self.version += 1

    def snapshot(self) -> Frame:
        """What the page draws, as of the last finished week."""
        with self.lock:
            return snapshot(self)


@dataclass
class PairChoice:
    """The two scenarios of the side-by-side page."""

    left: str = "fire-low-performers"
    right: str = "fix-the-organization"

    def choose(self, side: str, scenario: str) -> None:
        """Put a scenario on the left or the right."""
        if side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {side!r}")
        load_scenario(scenario)  # refuses an unknown name with a ScenarioError
        setattr(self, side, scenario)


class SideBySide(mesa.Model):
    """Two organizations from the same seed, stepped together week by week.

    Args:
        seed: the seed both organizations start from.
        pair: which scenarios stand on the left and on the right.

    """

    def __init__(self, seed: int = 1, pair: PairChoice | None = None) -> None:
        """Build both organizations."""
        super().__init__(seed=seed)
        pair = pair if pair is not None else PairChoice()
        self.run_seed = seed
        self.left = SalesOrgModel(pair.left, seed=seed)
        self.right = SalesOrgModel(pair.right, seed=seed)
        self.lock = threading.RLock()
        self.version = 0
        self.running = self.left.running and self.right.running

    def step(self) -> None:
        """One week of both organizations."""
        with self.lock:
            self.left.step()
            self.right.step()
            self.running = self.left.running and self.right.running
            self.version += 1

    def snapshot(self) -> tuple[Frame, Frame]:
        """What the page draws of both, as of the last finished week."""
        with self.lock:
            return snapshot(self.left), snapshot(self.right)

    def release(self) -> None:
        """Let both organizations' memory go (Mesa keeps a class-level reference)."""
        release(self.left)
        release(self.right)
        release(self)


def retire(model: mesa.Model) -> None:
    """Let a model that the page replaced be freed."""
    if isinstance(model, SideBySide):
        model.release()
    else:
        release(model)
