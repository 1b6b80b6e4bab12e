"""Journals of finished runs: one checksummed JSON line per run, validated when read back.

A sweep or a comparison appends each run to `runs.jsonl` as it finishes (flushed and
synced), so whatever stops the process, finished runs survive and a re-run only runs what
is missing. Each line carries a checksum of its contents; a line that is not valid JSON,
not an object of the expected shape, or whose checksum does not match (a torn write, a
hand edit, a disk error) is set aside in `runs.jsonl.bad`, never used, and its run is run
again.

A run's key hashes what its result depends on: its point or scenario, replication and
seed, and the model's source code, so runs of an older model are never mixed with new ones.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import sim
from sim.scenario import Scenario

JOURNAL = "runs.jsonl"
BAD = "runs.jsonl.bad"
CHECKSUM = "sum"
_CODE: dict[str, str] = {}


def digest(value: Any) -> str:
    """A short stable hash of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def code_digest() -> str:
    """A hash of the model's and the scenario layer's source code (what a run computes)."""
    if not _CODE:
        root = Path(sim.__file__).parent
        h = hashlib.sha1()
        for path in sorted([*root.glob("model/**/*.py"), *root.glob("scenario/*.py")]):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
        _CODE["digest"] = h.hexdigest()[:16]
    return _CODE["digest"]


def scenario_spec(scenario: Scenario) -> dict[str, Any]:
    """What a scenario's runs depend on: its levers and interventions as resolved."""
    return {
        "name": scenario.name,
        "levers": scenario.levers.model_dump(),
        "interventions": [iv.model_dump() for iv in scenario.interventions],
    }


def fingerprint(scenario: Scenario, seed: int) -> str:
    """What runs depend on besides their point: the scenario, the seed and the model's code."""
    spec = scenario_spec(scenario)
    spec.pop("name")
    return digest({**spec, "seed": seed, "code": code_digest()})


def _number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def plain_value(value: Any) -> bool:
    """A lever value or an outcome: a number (or NaN), text, a truth value or nothing."""
    return _number(value) or isinstance(value, str | bool)


class Journal:
    """The journal of a folder: finished runs by key, read back validated."""

    def __init__(self, folder: Path, valid: Callable[[dict[str, Any]], bool]) -> None:
        """A journal in `folder`, whose rows `valid` accepts (besides key and checksum)."""
        self.path = Path(folder) / JOURNAL
        self.bad_path = Path(folder) / BAD
        self.valid = valid
        self.set_aside = 0

    def _check(self, line: str) -> dict[str, Any] | None:
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            return None
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            return None
        body = {k: v for k, v in row.items() if k != CHECKSUM}
        if row.get(CHECKSUM) != digest(body):
            return None
        try:
            return body if self.valid(body) else None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def load(self) -> dict[str, dict[str, Any]]:
        """Finished runs by key (the last line of a key counts); bad lines set aside.

        Bad lines are appended to `runs.jsonl.bad` and the journal is rewritten without
        them, so their runs run again; `set_aside` counts them.
        """
        if not self.path.exists():
            return {}
        rows: dict[str, dict[str, Any]] = {}
        good, bad = [], []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                continue
            row = self._check(line)
            if row is None:
                bad.append(line)
            else:
                good.append(line)
                rows[row["key"]] = row
        self.set_aside = len(bad)
        if bad:
            with self.bad_path.open("a", encoding="utf-8") as aside:
                aside.write("\n".join(bad) + "\n")
            scratch = self.path.with_name(f".{JOURNAL}.tmp")
            scratch.write_text("".join(f"{line}\n" for line in good), encoding="utf-8")
            scratch.replace(self.path)
        return rows

    @contextmanager
    def writer(self) -> Iterator[Callable[[dict[str, Any]], None]]:
        """A function appending one finished run (flushed and synced at once)."""
        with self.path.open("a", encoding="utf-8") as log:

            def append(row: dict[str, Any]) -> None:
                _write(log, row)

            yield append


def _write(log: IO[str], row: dict[str, Any]) -> None:
    body = {k: _plain(v) for k, v in row.items()}
    log.write(json.dumps({**body, CHECKSUM: digest(body)}) + "\n")
    log.flush()
    os.fsync(log.fileno())


def _plain(value: Any) -> Any:
    """Numpy scalars as Python numbers, so that the checksum reads back the same."""
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        return value.item()
    return value
