"""Parameter sweeps that survive interruption: every finished run is journaled at once.

A sweep is a list of points (lever values) times replications. Each finished run is
appended as one checksummed JSON line to `runs.jsonl` (see `journal`), so a sweep stopped
by Ctrl-C, a kill or a crash resumes on re-run: finished runs are read back (bad lines are
set aside in `runs.jsonl.bad`) and only the missing ones run. A run that raises is
recorded with its error and does not sink the sweep; it runs again on resume. The folder
is locked while a sweep writes to it, and holds one sweep only: another scenario, seed,
set of levers or design there is refused (see `sim.files`). `runs.csv` (one row per run:
point, levers, replication, seed, outcomes, error) is rewritten atomically at the end.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.experiments.engines import run_tasks
from sim.experiments.journal import (
    BAD,
    JOURNAL,
    Journal,
    digest,
    fingerprint,
    plain_value,
    scenario_spec,
)
from sim.experiments.replications import evaluate, replication_seeds
from sim.files import LOCK, OutputFolder, deferred_signals, folder_lock, keep_note
from sim.scenario import Scenario, ScenarioError, check_levers, load_scenario
from sim.scenario.levers import Levers

Evaluate = Callable[[dict[str, Any], int, Any], dict[str, float]]
#: the files a sweep writes besides its journal
SWEEP_FILES = (
    "runs.csv",
    "design.json",
    "sensitivity.csv",
    "sensitivity.png",
    "response.png",
    "report.html",
)


@dataclass(frozen=True)
class Vary:
    """One lever of a grid: `count` evenly spaced values from `low` to `high`."""

    name: str
    low: float
    high: float
    count: int

    @property
    def integer(self) -> bool:
        """Whether the lever takes whole numbers (its values are rounded)."""
        return Levers.model_fields[self.name].annotation is int

    def _dense(self) -> bool:
        """So many values that rounding hits every whole number between the ends."""
        return self.integer and self.count > 2 * abs(self.high - self.low) + 3

    def size(self) -> int:
        """How many distinct values, without making them."""
        if self._dense():
            return abs(round(self.high) - round(self.low)) + 1
        if self.integer:
            return len(self.values())
        return self.count

    def values(self) -> list[Any]:
        """The values (whole numbers for integer levers, each once)."""
        if self._dense():
            low, high = sorted((round(self.low), round(self.high)))
            return list(range(low, high + 1))
        values = np.linspace(self.low, self.high, self.count).tolist()
        return sorted({round(v) for v in values}) if self.integer else values


def parse_grid(text: str) -> Vary:
    """`lever=lo:hi:n` -> a `Vary`, validated (both ends in the lever's range)."""
    if "=" not in text or text.count(":") != 2:
        raise ScenarioError(f"--vary {text!r}: expected lever=lo:hi:n, e.g. approval_steps=1:6:6")
    name, spec = text.split("=", 1)
    name = name.strip()
    if name not in Levers.model_fields:
        check_levers({name: None}, source="--vary")  # refuses it, naming the closest lever
    try:
        low, high, count = spec.split(":")
        low, high, count = float(low), float(high), int(count)
    except ValueError:
        raise ScenarioError(
            f"--vary {text!r}: lo and hi must be numbers, n a whole number"
        ) from None
    if count < 1:
        raise ScenarioError(f"--vary {text!r}: n must be at least 1")
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ScenarioError(f"--vary {text!r}: lo and hi must be finite numbers")
    vary = Vary(name, low, high, count)
    for value in (low, high):
        check_levers({name: round(value) if vary.integer else value}, source="--vary")
    return vary


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """`lever=lo:hi:n` -> (lever, n evenly spaced values); whole numbers for integer levers."""
    vary = parse_grid(text)
    return vary.name, vary.values()


def grid_size(varies: list[Vary]) -> int:
    """How many points the grid of these levers has, without making them."""
    return math.prod(v.size() for v in varies)


def grid(varies: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Every combination of the varied levers' values."""
    names = [name for name, _ in varies]
    return [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*(v for _, v in varies))
    ]


def run_key(point: dict[str, Any], replication: int, sweep_id: str = "") -> str:
    """A stable identity of one run: its point, replication and the sweep's fingerprint."""
    return digest({"point": point, "replication": replication, "sweep": sweep_id})


def sweep_spec(
    scenario: Scenario, seed: int, levers: list[str], design: dict[str, Any] | None
) -> dict[str, Any]:
    """What makes a sweep the same sweep: scenario, seed, the levers varied and the design.

    Replications may grow and a grid's values change: runs already done are reused.
    """
    return {
        "scenario": scenario_spec(scenario),
        "seed": seed,
        "levers": sorted(set(levers)),
        "design": design or {"design": "grid"},
    }


def valid_row(row: dict[str, Any]) -> bool:
    """A journal line of a sweep: replication, seed, error, and plain values."""
    return (
        isinstance(row["replication"], int)
        and row["replication"] >= 0
        and isinstance(row["seed"], int)
        and isinstance(row["error"], str)
        and all(plain_value(v) for v in row.values())
    )


def _one(task: tuple[Evaluate, Scenario, dict[str, Any], int, int, str]) -> dict[str, Any]:
    fn, scenario, point, replication, seed, key = task
    row: dict[str, Any] = {"key": key, **point, "replication": replication, "seed": seed}
    try:
        row.update(fn(point, seed, scenario))
        row["error"] = ""
    except Exception as exc:  # a failing run is recorded, the sweep goes on
        row["error"] = f"{type(exc).__name__}: {exc}"
    return row


def sweep(
    scenario: str | Scenario,
    points: list[dict[str, Any]],
    *,
    out: Path,
    replications: int = 1,
    seed: int = 1,
    workers: int | None = None,
    progress: bool = True,
    evaluate_fn: Evaluate = evaluate,
    engine: str = "local",
    scheduler: str | None = None,
    design: dict[str, Any] | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Run every point `replications` times, resuming whatever `out` already holds.

    Args:
        scenario: the scenario the points modify.
        points: lever values, one dict per point.
        out: the sweep's folder (its journal, runs.csv, design.json).
        replications: runs per point; replication i of every point shares its seed.
        seed: root seed.
        workers: processes (default: all cores).
        progress: show a progress bar.
        evaluate_fn: (levers, seed, scenario) -> outcomes; `evaluate` by default.
        engine: "local" or "dask" (see `sim.experiments.engines`).
        scheduler: a dask scheduler address.
        design: the sampling design the points were drawn from (written to design.json).
        force: replace another sweep's results in `out` (files the tool did not write stay).

    Returns:
        one row per run: the point's levers, replication, seed, outcomes and error.

    Raises:
        ScenarioError: a point sets a lever out of range.
        OutputError: `out` holds something else, or another sweep is writing there.

    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    for point in points:
        loaded.with_levers(point, source="sweep")  # refuse bad points before any run
    spec = sweep_spec(loaded, seed, [name for point in points for name in point], design)
    with OutputFolder(Path(out), "sweep", spec, force=force, writes=SWEEP_FILES) as folder:
        folder.open_now(files=(JOURNAL, BAD, LOCK, "runs.csv", "design.json"))
        with folder_lock(folder.target, "another sweep"):
            if design is not None:
                (folder.target / "design.json").write_text(json.dumps(design, indent=2) + "\n")
            return _sweep_in(
                folder.target,
                loaded,
                points,
                replications,
                seed,
                evaluate_fn,
                {"workers": workers, "engine": engine, "scheduler": scheduler},
                progress,
            )


def _sweep_in(
    out: Path,
    loaded: Scenario,
    points: list[dict[str, Any]],
    replications: int,
    seed: int,
    evaluate_fn: Evaluate,
    engine: dict[str, Any],
    progress: bool,
) -> pd.DataFrame:
    """The runs of a sweep in its (claimed, locked) folder."""
    journal = Journal(out, valid_row)
    done = {key for key, row in journal.load().items() if not row["error"]}  # retry failures
    if journal.set_aside:
        print(
            f"note: {journal.set_aside} damaged line(s) of {journal.path} set aside in "
            f"{journal.bad_path}; their runs run again",
            file=sys.stderr,
        )
    seeds = replication_seeds(seed, replications)
    sweep_id = fingerprint(loaded, seed)
    pending = {}  # by key: a point drawn twice (rounded integer levers) runs once
    finished = set()
    for point in points:
        for r in range(replications):
            key = run_key(point, r, sweep_id)
            if key in done:
                finished.add(key)
            elif key not in pending:
                pending[key] = (evaluate_fn, loaded, point, r, seeds[r], key)
    tasks = list(pending.values())
    total = len(tasks) + len(finished)
    kept = len(finished)
    try:
        with (
            journal.writer() as append,
            tqdm(
                total=total,
                initial=kept,
                desc="sweep runs",
                unit="run",
                disable=not progress,
            ) as bar,
        ):
            for _, row in run_tasks(_one, tasks, **engine):
                with deferred_signals():  # the line and the count stay in step
                    append(row)
                    kept += not row["error"]
                bar.update(1)
        return consolidate(out, points, replications, sweep_id)
    except BaseException as exc:
        if kept:
            keep_note(
                exc,
                f"{kept} of {total} runs are kept in {journal.path}; run the same command "
                "again to run only the rest",
            )
        raise


def consolidate(
    out: Path, points: list[dict[str, Any]], replications: int, sweep_id: str = ""
) -> pd.DataFrame:
    """The journal as a table in point and replication order, written atomically to runs.csv.

    `point` numbers the points in the order given (a design's row).
    """
    rows = Journal(out, valid_row).load()  # the last line of a key counts
    ordered = [
        {"point": i, **rows[key]}
        for i, p in enumerate(points)
        for r in range(replications)
        if (key := run_key(p, r, sweep_id)) in rows
    ]
    table = pd.DataFrame(ordered).drop(columns="key")
    scratch = out / ".runs.csv.tmp"
    table.to_csv(scratch, index=False)
    scratch.replace(out / "runs.csv")
    return table
