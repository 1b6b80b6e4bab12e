"""Scenarios: TOML files that set levers and schedule interventions, validated with pydantic.

A scenario file looks like::

    description = "One line saying what this organization is like."
    extends = "baseline"            # optional: start from another scenario

    [levers]
    approval_steps = 5

    [[interventions]]               # optional, any number
    week = 26
    note = "Cap initiatives at two"
    set = { initiative_cap = 2 }

Every refusal is a `ScenarioError` whose message names the file, the key, the value and
what is allowed; the CLI prints it without a traceback.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.scenario.levers import FIXED_AT_START, Levers, lever_table

SCENARIO_DIR = Path(os.environ.get("SALESORG_SCENARIOS", Path(__file__).parents[2] / "scenarios"))
_LEVER_INFO = {row["name"]: row for row in lever_table()}


class ScenarioError(ValueError):
    """A scenario or lever setting was refused; the message is meant for the user."""


class Intervention(BaseModel):
    """Levers that change at the start of a given week."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    week: int = Field(ge=0, le=2080)
    set: dict[str, Any]
    note: str = ""


class _ScenarioFile(BaseModel):
    """The raw shape of one TOML file, before `extends` is resolved."""

    model_config = ConfigDict(extra="forbid")
    description: str = ""
    extends: str | None = None
    levers: dict[str, Any] = Field(default_factory=dict)
    interventions: list[Intervention] = Field(default_factory=list)


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its levers and its scheduled interventions."""

    name: str
    description: str
    levers: Levers
    interventions: tuple[Intervention, ...] = ()
    path: Path | None = None
    chain: tuple[str, ...] = field(default=())

    def with_levers(self, overrides: dict[str, Any], source: str = "levers") -> Scenario:
        """Return a copy with some levers overridden (validated, errors name `source`)."""
        if not overrides:
            return self
        merged = {**self.levers.model_dump(), **check_levers(overrides, source)}
        return Scenario(
            self.name,
            self.description,
            Levers(**merged),
            self.interventions,
            self.path,
            self.chain,
        )

    def final_levers(self) -> Levers:
        """The levers in force at the end of the run, after every intervention."""
        values = self.levers.model_dump()
        for iv in self.interventions:
            values.update(iv.set)
        return Levers(**values)


def _closest(key: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(key, choices, n=1, cutoff=0.5)
    return f"; did you mean '{match[0]}'?" if match else f"; valid keys: {', '.join(choices)}"


def _allowed(name: str) -> str:
    info = _LEVER_INFO[name]
    unit = f" ({info['unit']})" if info["unit"] else ""
    if info["low"] is not None and info["high"] is not None:
        return f"allowed {info['low']} to {info['high']}{unit}"
    return f"allowed: see `salesorg levers`{unit}"


def _explain(error: dict[str, Any], source: str, prefix: str) -> str:
    """Turn one pydantic error into a sentence naming source, key, value and what is allowed."""
    loc = ".".join(str(part) for part in error["loc"])
    key = f"{prefix}{loc}" if prefix else loc
    name = str(error["loc"][-1]) if error["loc"] else ""
    value = error.get("input")
    kind = error["type"]
    if kind in ("greater_than_equal", "less_than_equal") and name in _LEVER_INFO:
        return f"{source}: {key} = {value!r} is out of range: {_allowed(name)}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{source}: {key} = {value!r} is not allowed: expected {expected}"
    allowed = f"; {_allowed(name)}" if name in _LEVER_INFO else ""
    return f"{source}: {key} = {value!r}: {error['msg']}{allowed}"


def check_levers(values: dict[str, Any], source: str, prefix: str = "") -> dict[str, Any]:
    """Validate a partial set of levers; return them coerced, or raise `ScenarioError`."""
    problems = []
    for key in values:
        if key not in Levers.model_fields:
            problems.append(
                f"{source}: {prefix}{key}: unknown lever{_closest(key, list(Levers.model_fields))}"
            )
    known = {k: v for k, v in values.items() if k in Levers.model_fields}
    for key, value in known.items():
        if isinstance(value, bool):
            problems.append(f"{source}: {prefix}{key} = {value!r}: not a number; {_allowed(key)}")
    if problems:
        raise ScenarioError("\n".join(problems))
    try:
        checked = Levers(**known)
    except ValidationError as exc:
        problems += [_explain(e, source, prefix) for e in exc.errors()]
    if problems:
        raise ScenarioError("\n".join(problems))
    return {k: getattr(checked, k) for k in known}


def scenario_names() -> list[str]:
    """Names of the scenarios shipped in `scenarios/`."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def _resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A scenario file from a path (relative to `relative_to`'s folder first) or a name."""
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        beside = relative_to.parent / path
        if beside.is_file():
            return beside
    if path.is_file():
        return path
    if path.suffix == ".toml" or len(path.parts) > 1:
        raise ScenarioError(f"{path}: no such scenario file")
    candidate = SCENARIO_DIR / f"{name_or_path}.toml"
    if candidate.is_file():
        return candidate
    names = scenario_names()
    hint = _closest(str(name_or_path), names).replace("valid keys", "known scenarios")
    raise ScenarioError(f"unknown scenario '{name_or_path}'{hint}")


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's contents; a syntax error (with its line) or unreadable file is refused."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: TOML syntax error: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read: {exc}") from None


def _read_file(path: Path) -> _ScenarioFile:
    data = read_toml(path)
    for key in data:
        if key not in _ScenarioFile.model_fields:
            valid = list(_ScenarioFile.model_fields)
            raise ScenarioError(f"{path}: {key}: unknown key{_closest(key, valid)}")
    try:
        raw = _ScenarioFile(**data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
            loc = loc.lstrip(".")
            lines.append(f"{path}: {loc} = {err.get('input')!r}: {err['msg']}")
        raise ScenarioError("\n".join(lines)) from None
    check_levers(raw.levers, str(path), "levers.")
    for i, intervention in enumerate(raw.interventions):
        prefix = f"interventions[{i}].set."
        check_levers(intervention.set, str(path), prefix)
        fixed = sorted(FIXED_AT_START & intervention.set.keys())
        if fixed:
            raise ScenarioError(
                f"{path}: {prefix}{fixed[0]}: cannot change during a run "
                f"(fixed at start: {', '.join(sorted(FIXED_AT_START))})"
            )
    return raw


def load_scenario(name_or_path: str | Path = "baseline") -> Scenario:
    """Load a scenario by name (from `scenarios/`) or by path, resolving `extends`.

    Raises:
        ScenarioError: the file is missing, malformed, or sets a value that is not allowed.

    """
    chain: list[Path] = []
    path = _resolve_path(name_or_path)
    files: list[_ScenarioFile] = []
    while True:
        if path.resolve() in [p.resolve() for p in chain]:
            loop = " -> ".join(str(p) for p in [*chain, path])
            raise ScenarioError(f"{chain[-1]}: extends: circular chain {loop}")
        chain.append(path)
        raw = _read_file(path)
        files.append(raw)
        if raw.extends is None:
            break
        try:
            parent = _resolve_path(raw.extends, relative_to=path)
        except ScenarioError as exc:
            raise ScenarioError(f"{path}: extends = {raw.extends!r}: {exc}") from None
        path = parent
    merged: dict[str, Any] = {}
    interventions: list[Intervention] = []
    for raw in reversed(files):  # from the root ancestor to the file itself
        merged.update(raw.levers)
        interventions.extend(raw.interventions)
    top = chain[0]
    weeks = merged.get("weeks", Levers.model_fields["weeks"].default)
    late = [iv for iv in interventions if iv.week > weeks]
    if late:
        raise ScenarioError(
            f"{top}: an intervention at week {late[0].week} comes after the run ends "
            f"(weeks = {weeks}); allowed weeks 0 to {weeks}"
        )
    return Scenario(
        name=top.stem,
        description=files[0].description,
        levers=Levers(**merged),
        interventions=tuple(sorted(interventions, key=lambda iv: iv.week)),
        path=top,
        chain=tuple(p.stem for p in chain),
    )
