"""How big a piece of work is, before it starts: memory, time and disk, and the limits.

Every command that runs the model estimates what it will need from the numbers it was
given (runs, sellers, weeks, the per-person table's interval, what the report keeps) and
refuses, naming the limit, when the estimate does not fit: by default half the memory
available when it starts, 24 hours on this machine's workers, and the free space where
it writes. The figures per seller, per seller-week and per table row are measured with
`benchmarks/sizes.py` (they err on the large side); `--max-memory`, `--max-hours` and
`--no-limits` override the limits for bigger machines and patient users.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sim.scenario import ScenarioError

GB = 1024**3
#: one process with the model loaded (Python, numpy, pandas, numba's kernels, Mesa)
PROCESS_BYTES = 320 * 1024**2
#: model state per seat: arrays, the dependency graph, the Mesa agents
SELLER_BYTES = 8.5 * 1024
#: one row of the per-person table, kept in the model and in the run's tables
PERSON_ROW_BYTES = 0.75 * 1024
#: one weekly row kept by a comparison (every reporter, in the long table and its copies)
WEEKLY_ROW_BYTES = 60 * 8 * 3
#: one finished sweep run kept in the parent (its journal line, row and table cells)
SWEEP_RUN_BYTES = 6 * 1024
#: one point of a sweep's design, as lever values
POINT_BYTES = 1024
#: seconds: starting a command (imports, the report), a run's fixed cost, per seat built,
#: per seller-week simulated, per table row
START_SECONDS = 3.0
RUN_SECONDS = 0.02
SELLER_SECONDS = 30e-6
SELLER_WEEK_SECONDS = 0.9e-6
ROW_SECONDS = 5e-6
#: bytes on disk: a CSV or journal value, and the plots and report of a folder
VALUE_BYTES = 20
REPORT_BYTES = 5 * 1024**2
DEFAULT_HOURS = 24.0


@dataclass(frozen=True)
class Work:
    """What a command will do, in the numbers its size depends on."""

    what: str  # how the message names it: "compare: 2 scenarios x 10 replications"
    runs: int  # model runs
    sellers: int  # seats per run (the largest, if they differ)
    weeks: int  # simulated weeks per run, warm-up included
    person_rows: int = 0  # rows of the per-person table per run
    kept_weekly_rows: int = 0  # weekly rows the parent keeps (a comparison's long table)
    kept_runs: int = 0  # finished runs the parent keeps as rows (a sweep)
    points: int = 0  # design points held as lever values
    disk_bytes: float = 0.0  # what the output folder will hold
    workers: int = 1  # processes running at once


@dataclass(frozen=True)
class Estimate:
    """Peak memory (bytes), wall time (seconds) and disk (bytes) of a piece of work."""

    memory: float
    seconds: float
    disk: float


def person_rows(sellers: int, weeks: int, every: int) -> int:
    """Rows of one run's per-person table: every seat at week 0 and every `every` weeks."""
    return sellers * (weeks // max(every, 1) + 2)


def run_memory(sellers: int, rows: int) -> float:
    """Peak memory of one process running one run."""
    return PROCESS_BYTES + sellers * SELLER_BYTES + rows * PERSON_ROW_BYTES


def estimate(work: Work) -> Estimate:
    """The estimate of a piece of work (see the constants for what each part costs)."""
    per_run = run_memory(work.sellers, work.person_rows)
    kept = (
        work.kept_weekly_rows * WEEKLY_ROW_BYTES
        + work.kept_runs * SWEEP_RUN_BYTES
        + work.points * POINT_BYTES
    )
    workers = max(1, min(work.workers, work.runs))
    # one process runs alone; a pool adds a parent beside its workers
    processes = workers * per_run + (PROCESS_BYTES if workers > 1 else 0)
    memory = processes + kept
    one = (
        RUN_SECONDS
        + work.sellers * SELLER_SECONDS
        + work.sellers * work.weeks * SELLER_WEEK_SECONDS
        + work.person_rows * ROW_SECONDS
    )
    seconds = START_SECONDS + work.runs * one / workers
    return Estimate(memory, seconds, work.disk_bytes + REPORT_BYTES)


def available_memory() -> float:
    """Memory available to new work now (Linux's MemAvailable; else the machine's total)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return 8.0 * GB


def size(value: float) -> str:
    """Bytes in words: "820 MB", "3.4 GB", "2,048 TB"."""
    for unit, scale in (("TB", 1024**4), ("GB", GB), ("MB", 1024**2)):
        if value >= scale or unit == "MB":
            amount = value / scale
            return f"{amount:,.1f} {unit}" if amount < 100 else f"{amount:,.0f} {unit}"
    return ""  # not reached


def duration(seconds: float) -> str:
    """Seconds in words: "40 s", "12 minutes", "3.5 hours", "41 days"."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:,.0f} days"


OVERRIDE = "--no-limits skips these checks"


def check(
    work: Work,
    *,
    max_memory_gb: float | None = None,
    max_hours: float | None = None,
    no_limits: bool = False,
    out: Path | None = None,
    time_known: bool = True,
) -> Estimate:
    """Refuse work whose estimate passes a limit; return the estimate.

    Args:
        work: what is to be done.
        max_memory_gb: the memory limit (default: half the memory available now).
        max_hours: the time limit (default 24 hours).
        no_limits: skip the memory and time limits (disk space is still checked).
        out: where the output goes: its file system must have room for it.
        time_known: False when the runs go to a cluster of unknown size (no time limit).

    Raises:
        ScenarioError: the estimate passes a limit; the message names both.

    """
    found = estimate(work)
    if not no_limits:
        if max_memory_gb is None:
            limit, why = available_memory() / 2, "half the memory available now"
        else:
            limit, why = max_memory_gb * GB, "--max-memory"
        if found.memory > limit:
            raise ScenarioError(
                f"{work.what}: needs about {size(found.memory)} of memory, more than the "
                f"limit of {size(limit)} ({why}); make it smaller, or raise the limit with "
                f"--max-memory GB ({OVERRIDE})"
            )
        hours = DEFAULT_HOURS if max_hours is None else max_hours
        if time_known and found.seconds > hours * 3600:
            raise ScenarioError(
                f"{work.what}: would take about {duration(found.seconds)} on "
                f"{max(1, min(work.workers, work.runs))} worker(s), more than the limit of "
                f"{hours:g} hours; make it smaller, or raise the limit with --max-hours H "
                f"({OVERRIDE})"
            )
    if out is not None:
        check_disk(out, found.disk, work.what)
    return found


def check_disk(out: Path, needed: float, what: str) -> None:
    """Refuse when the file system of `out` has less free space than `needed`."""
    place = Path(os.path.abspath(out))
    while not place.exists() and place != place.parent:
        place = place.parent
    free = shutil.disk_usage(place).free
    if needed > free:
        raise ScenarioError(
            f"{what}: its output needs about {size(needed)} on disk, and {place} has "
            f"{size(free)} free; free some space or give another --out"
        )
