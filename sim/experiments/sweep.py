"""Parameter sweeps that survive interruption: every finished run is journaled at once.

A sweep is a list of points (lever values) times replications. Each finished run is
appended as one JSON line to `runs.jsonl` and flushed to disk, so a sweep stopped by
Ctrl-C, a kill or a crash resumes on re-run: finished runs are read back (a half-written
last line is ignored) and only the missing ones run. A run that raises is recorded with
its error and does not sink the sweep. `runs.csv` (one row per run: parameters, seed,
outcomes, error) is rewritten atomically from the journal at the end.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from sim.experiments.engines import run_tasks
from sim.experiments.replications import evaluate, replication_seeds
from sim.scenario import Scenario, ScenarioError, check_levers, load_scenario
from sim.scenario.levers import Levers

Evaluate = Callable[[dict[str, Any], int, Any], dict[str, float]]


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """`lever=lo:hi:n` -> (lever, n evenly spaced values); whole numbers for integer levers."""
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
    values = np.linspace(low, high, count).tolist()
    if Levers.model_fields[name].annotation is int:
        values = sorted({round(v) for v in values})
    for value in (values[0], values[-1]):
        check_levers({name: value}, source="--vary")
    return name, values


def grid(varies: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Every combination of the varied levers' values."""
    names = [name for name, _ in varies]
    return [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*(v for _, v in varies))
    ]


def fingerprint(scenario: Scenario, seed: int) -> str:
    """What a sweep's runs depend on besides their point: the scenario as resolved, the seed."""
    spec = {
        "levers": scenario.levers.model_dump(),
        "interventions": [iv.model_dump() for iv in scenario.interventions],
        "seed": seed,
    }
    return hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def run_key(point: dict[str, Any], replication: int, sweep_id: str = "") -> str:
    """A stable identity of one run: its point, replication and the sweep's fingerprint."""
    text = json.dumps(
        {"point": point, "replication": replication, "sweep": sweep_id}, sort_keys=True
    )
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Finished runs from a journal; a half-written last line (a crash mid-write) is ignored."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


def drop_torn_tail(path: Path) -> None:
    """Cut a half-written last line off the journal, so new lines start on a fresh line."""
    if not path.exists():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)


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
) -> pd.DataFrame:
    """Run every point `replications` times, resuming whatever `out` already holds.

    Returns:
        one row per run: the point's levers, replication, seed, outcomes and error.

    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    for point in points:
        loaded.with_levers(point, source="sweep")  # refuse bad points before any run
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    journal = out / "runs.jsonl"
    drop_torn_tail(journal)
    done = {row["key"] for row in read_journal(journal) if not row.get("error")}  # retry failures
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
    with (
        journal.open("a", encoding="utf-8") as log,
        tqdm(total=total, initial=total - len(tasks), unit="run", disable=not progress) as bar,
    ):
        for _, row in run_tasks(_one, tasks, engine=engine, workers=workers, scheduler=scheduler):
            log.write(json.dumps(row) + "\n")
            log.flush()
            os.fsync(log.fileno())
            bar.update(1)
    return consolidate(out, points, replications, sweep_id)


def consolidate(
    out: Path, points: list[dict[str, Any]], replications: int, sweep_id: str = ""
) -> pd.DataFrame:
    """The journal as a table in point and replication order, written atomically to runs.csv.

    `point` numbers the points in the order given (a design's row).
    """
    rows = {row["key"]: row for row in read_journal(out / "runs.jsonl")}  # the last one counts
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
