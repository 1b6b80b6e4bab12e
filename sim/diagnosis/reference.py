"""The healthy reference: groups of causes and the lever values a well-run organization has.

The shipped reference is `scenarios/diagnosis/healthy.toml`; a user's file of the same shape
overrides it group by group. Every refusal is a `ScenarioError` naming the file, the key, the
value and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.scenario import SCENARIO_DIR, ScenarioError, check_levers, read_toml
from sim.scenario.levers import FIXED_AT_START

HEALTHY_FILE = SCENARIO_DIR / "diagnosis" / "healthy.toml"
KINDS = ("systemic", "individual")
MAX_GROUPS = 8  # 2**8 coalitions per replication is already 256 runs


class _GroupFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str | None = None
    kind: Literal["systemic", "individual"] | None = None
    why: str = ""
    replace: bool = False  # True: this file's levers replace the group's, not extend them
    levers: dict[str, Any] = Field(default_factory=dict)


class _ReferenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    groups: dict[str, _GroupFile] = Field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """One cause: the levers it sets to their healthy values."""

    name: str
    label: str
    kind: str  # "systemic" (organization, managers) or "individual" (talent)
    why: str
    levers: dict[str, Any]


@dataclass(frozen=True)
class Reference:
    """The healthy reference: its groups in a fixed order."""

    description: str
    groups: tuple[Group, ...]
    path: Path | None = None

    @property
    def names(self) -> list[str]:
        """Group names, in order."""
        return [g.name for g in self.groups]

    def group(self, name: str) -> Group:
        """The group called `name`."""
        return next(g for g in self.groups if g.name == name)

    def levers_of(self, names: frozenset[str] | set[str]) -> dict[str, Any]:
        """Healthy values of every lever in the named groups."""
        return {k: v for g in self.groups if g.name in names for k, v in g.levers.items()}


def _read(path: Path) -> _ReferenceFile:
    data = read_toml(path)
    try:
        return _ReferenceFile(**data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            if err["type"] == "extra_forbidden":
                valid = _GroupFile if loc.startswith("groups.") else _ReferenceFile
                lines.append(
                    f"{path}: {loc}: unknown key; valid keys: {', '.join(valid.model_fields)}"
                )
                continue
            allowed = f"; allowed: {', '.join(KINDS)}" if loc.endswith("kind") else ""
            lines.append(f"{path}: {loc} = {err.get('input')!r}: {err['msg']}{allowed}")
        raise ScenarioError("\n".join(lines)) from None


def _merge(groups: dict[str, dict], raw: _ReferenceFile, path: Path) -> None:
    """Fold one file's groups into `groups` (checked as they come)."""
    for name, group in raw.groups.items():
        checked = check_levers(group.levers, str(path), f"groups.{name}.levers.")
        fixed = sorted(FIXED_AT_START & group.levers.keys())
        if fixed:
            raise ScenarioError(
                f"{path}: groups.{name}.levers.{fixed[0]}: not a cause a diagnosis can switch "
                f"(fixed at start: {', '.join(sorted(FIXED_AT_START))})"
            )
        entry = groups.setdefault(name, {"label": None, "kind": None, "why": "", "levers": {}})
        for key in ("label", "kind"):
            entry[key] = getattr(group, key) or entry[key]
            if entry[key] is None:
                raise ScenarioError(
                    f"{path}: groups.{name}.{key}: a new group needs a {key}"
                    + (f" ({' or '.join(KINDS)})" if key == "kind" else "")
                )
        entry["why"] = group.why or entry["why"]
        if group.replace:
            entry["levers"] = {}
        entry["levers"].update(checked)


def load_reference(path: str | Path | None = None) -> Reference:
    """The shipped healthy reference, overridden by the file at `path` if one is given.

    Raises:
        ScenarioError: the file is missing or malformed, a lever is unknown or out of range,
            a lever sits in two groups, or there are too many groups.

    """
    groups: dict[str, dict] = {}
    shipped = _read(HEALTHY_FILE)
    _merge(groups, shipped, HEALTHY_FILE)
    description = shipped.description
    source = HEALTHY_FILE
    if path is not None:
        source = Path(path)
        if not source.is_file():
            raise ScenarioError(f"{source}: no such reference file")
        own = _read(source)
        _merge(groups, own, source)
        description = own.description or description
    owner: dict[str, str] = {}
    for name, group in groups.items():
        if not group["levers"]:
            raise ScenarioError(f"{source}: groups.{name}.levers: empty; a group sets levers")
        for lever in group["levers"]:
            if lever in owner:
                raise ScenarioError(
                    f"{source}: groups.{name}.levers.{lever}: already in group "
                    f"'{owner[lever]}'; a lever belongs to one group"
                )
            owner[lever] = name
    if len(groups) > MAX_GROUPS:
        raise ScenarioError(
            f"{source}: groups: {len(groups)} groups; allowed at most {MAX_GROUPS} "
            f"(every combination is run: 2**{len(groups)} runs per replication)"
        )
    return Reference(
        description=description,
        groups=tuple(Group(name=name, **group) for name, group in groups.items()),
        path=source,
    )
