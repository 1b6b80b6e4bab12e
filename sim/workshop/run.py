"""The organization on the page and its history: the seed, the scenario and the lever moves.

A `Run` is fully described by its scenario, its seed and the list of lever moves, each
tagged with the week it takes effect (at the start of that week, like a scheduled
intervention). Rewinding to an earlier week rebuilds the model from the seed and replays
the moves made up to that week, so a rewound run is, by construction, the same run a
fresh model makes with those moves at those weeks; undoing a move replays the run
without it. The model is fast (a week of 150 sellers takes well under a millisecond), so
a replay of three years takes a few tens of milliseconds and no snapshots are kept.

`Pair` runs two organizations from the same seed in step (the side-by-side page). Both
take a lock while they step, so a page drawing in one thread never reads a week half done
while the other thread plays.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sim.experiments.runner import release
from sim.model import SalesOrgModel
from sim.scenario import Scenario, check_levers, load_scenario
from sim.workshop.controls import CONTROL_BY_LEVER


@dataclass(frozen=True)
class Move:
    """A lever the trainer moved: it takes effect at the start of `week` (1 = the first)."""

    week: int
    lever: str
    value: Any


def describe_change(changes: dict[str, Any]) -> str:
    """A lever change as the room reads it, e.g. 'workshop: Approval desks ...: 1'."""
    parts = []
    for lever, value in changes.items():
        control = CONTROL_BY_LEVER.get(lever)
        parts.append(f"{control.label}: {control.show(value)}" if control else f"{lever}={value}")
    return "workshop: " + "; ".join(parts)


def changes_at(moves: Iterable[Move], week: int) -> dict[str, Any]:
    """The levers set at the start of `week` (a later move of the same lever wins)."""
    return {m.lever: m.value for m in moves if m.week == week}


class PlannedModel(SalesOrgModel):
    """A `SalesOrgModel` that applies planned lever changes at the start of their week.

    Args:
        scenario: the scenario (name, path or loaded).
        seed: the run's seed.
        plan: week -> the levers to set at the start of that week ({} for none).
        **levers: levers overriding the scenario's from the start.

    """

    def __init__(
        self,
        scenario: str | Scenario,
        seed: int,
        plan: Callable[[int], dict[str, Any]],
        **levers: Any,
    ) -> None:
        """Build the organization; the plan is read at the start of every week."""
        super().__init__(scenario, seed=seed, **levers)
        self.plan = plan

    def step(self) -> None:
        """Apply the week's planned changes (Mesa has counted the week), then run it."""
        changes = self.plan(self.steps)
        if changes:
            self.set_levers(changes, note=describe_change(changes))
        super().step()


class Run:
    """One organization on the page: its scenario, seed, lever moves and the running model.

    Args:
        scenario: the scenario (name, path or loaded).
        seed: seed of the run (the same seed tells the same story).
        moves: lever moves already made (replayed up to `week`).
        week: the week to replay to (default 0: the start).

    """

    def __init__(
        self,
        scenario: str | Scenario = "baseline",
        seed: int = 1,
        moves: Iterable[Move] = (),
        week: int = 0,
    ) -> None:
        """Build the organization and replay the moves up to `week`."""
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.seed = seed
        self.moves: list[Move] = list(moves)
        self.lock = threading.RLock()
        self.version = 0  # counts changes of the model (weeks, rewinds), for redrawing
        self.model = self._replay(week)

    # ------------------------------------------------------------------ the model
    def _plan(self, week: int) -> dict[str, Any]:
        return changes_at(self.moves, week)

    def _replay(self, week: int) -> PlannedModel:
        model = PlannedModel(self.scenario, self.seed, self._plan)
        for _ in range(min(week, model.levers.weeks)):
            model.step()
        return model

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return self.model.steps

    @property
    def weeks(self) -> int:
        """Length of the run."""
        return self.model.levers.weeks

    @property
    def running(self) -> bool:
        """Whether weeks remain."""
        return self.week < self.weeks

    def step(self, weeks: int = 1) -> int:
        """Run up to `weeks` weeks (never past the end); returns the weeks run."""
        done = 0
        with self.lock:
            while done < weeks and self.running:
                self.model.step()
                done += 1
            if done:
                self.version += 1
        return done

    # ------------------------------------------------------------------ the levers
    @property
    def pending(self) -> dict[str, Any]:
        """Lever changes waiting for the start of next week."""
        with self.lock:
            return changes_at(self.moves, self.week + 1)

    def levers_now(self) -> dict[str, Any]:
        """Every lever as it will be next week: the model's, with the pending changes."""
        with self.lock:
            return {**self.model.levers.model_dump(), **self.pending}

    def move(self, lever: str, value: Any) -> dict[str, Any]:
        """Move a lever from next week; returns the checked change (raises on a bad value)."""
        if lever not in CONTROL_BY_LEVER:
            raise KeyError(f"{lever} is not a lever on the workshop page")
        change = check_levers({lever: value}, source="workshop")
        with self.lock:
            if not self.running:
                return {}
            week = self.week + 1
            self.moves = [m for m in self.moves if not (m.week == week and m.lever == lever)]
            if getattr(self.model.levers, lever) != change[lever]:
                self.moves.append(Move(week, lever, change[lever]))
            self.version += 1
        return change

    # ------------------------------------------------------------------ history
    def rewind(self, week: int) -> None:
        """Go back to `week` (0 = the start); the moves after it are forgotten."""
        with self.lock:
            week = max(0, min(week, self.week))
            self.moves = [m for m in self.moves if m.week <= week]
            self._replace(self._replay(week))

    def last_move(self) -> Move | None:
        """The move `undo` takes back (the latest made)."""
        with self.lock:
            return self.moves[-1] if self.moves else None

    def undo(self) -> Move | None:
        """Take back the latest move: the run goes back to the week before it took effect.

        A move still waiting for next week is simply dropped; a move already in effect is
        removed and the run replays to the end of the week before it, so what follows is
        as if it had never been made (other moves of that week wait for next week again).
        """
        with self.lock:
            if not self.moves:
                return None
            move = self.moves.pop()
            if move.week <= self.week:
                self._replace(self._replay(move.week - 1))
            self.version += 1
            return move

    def with_seed(self, seed: int) -> Run:
        """The same moves with other luck, replayed to the same week."""
        with self.lock:
            return Run(self.scenario, seed, self.moves, self.week)

    def _replace(self, model: PlannedModel) -> None:
        old, self.model = self.model, model
        release(old)
        self.version += 1

    def release(self) -> None:
        """Let the model's memory go (Mesa keeps a class-level reference to agents)."""
        release(self.model)


class Pair:
    """Two organizations from the same seed, stepped together week by week.

    Args:
        left: the scenario on the left.
        right: the scenario on the right.
        seed: the seed both start from.

    """

    def __init__(
        self,
        left: str | Scenario = "fire-low-performers",
        right: str | Scenario = "fix-the-organization",
        seed: int = 1,
    ) -> None:
        """Build both organizations."""
        self.left, self.right = Run(left, seed), Run(right, seed)
        self.seed = seed
        self.lock = threading.RLock()

    @property
    def sides(self) -> tuple[Run, Run]:
        """The left and the right run."""
        return self.left, self.right

    @property
    def week(self) -> int:
        """Weeks simulated so far (both sides)."""
        return self.left.week

    @property
    def weeks(self) -> int:
        """Length of the shorter run."""
        return min(self.left.weeks, self.right.weeks)

    @property
    def running(self) -> bool:
        """Whether weeks remain on both sides."""
        return self.week < self.weeks

    @property
    def version(self) -> int:
        """Changes of either side."""
        return self.left.version + self.right.version

    def step(self, weeks: int = 1) -> int:
        """Run both sides up to `weeks` weeks (never past the end of either)."""
        with self.lock:
            weeks = min(weeks, self.weeks - self.week)
            for run in self.sides:
                run.step(weeks)
            return max(weeks, 0)

    def rewind(self, week: int) -> None:
        """Both sides back to `week`."""
        with self.lock:
            for run in self.sides:
                run.rewind(week)

    def choose(self, side: str, scenario: str) -> Pair:
        """A new pair with `scenario` on one side (both restart from the seed)."""
        if side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', not {side!r}")
        chosen = {"left": self.left.scenario, "right": self.right.scenario}
        chosen[side] = load_scenario(scenario)  # refuses an unknown name with a ScenarioError
        return Pair(chosen["left"], chosen["right"], self.seed)

    def with_seed(self, seed: int) -> Pair:
        """Both sides with other luck, replayed to the same week."""
        pair = Pair(self.left.scenario, self.right.scenario, seed)
        pair.step(self.week)
        return pair

    def release(self) -> None:
        """Let both models' memory go."""
        for run in self.sides:
            run.release()
