"""What an organization measured: the targets a calibration fits the model to.

A targets file is TOML (or CSV with `key,value` rows, the keys dotted as below); every
figure is optional, but at least one must be given::

    description = "What Acme measured in 2025"

    [time_study]            # hours a week of an average seller, by category
    selling = 14.0
    admin = 10.5
    meetings = 8.0
    asks = 4.0

    share_at_quota = 0.48          # ramped sellers at or above quota over the year
    attainment_quantiles = { p25 = 0.62, p50 = 0.95, p75 = 1.21 }
    voluntary_attrition = 0.16     # a year, share of seats
    involuntary_attrition = 0.12
    ramp_months = 5.5              # until a new hire books 90% of a tenured seller
    bookings_per_seller = 560      # k$ a year

    [[history]]                    # optional: the last quarters, oldest first
    quarter = "2025Q1"
    bookings_per_seller = 130

Refusals are `ScenarioError`s naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import csv
import difflib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.scenario.loading import ScenarioError

QUANTILES = ("p10", "p25", "p50", "p75", "p90")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TimeStudy(_Strict):
    """Hours a week of an average seller, by the model's categories (any of them)."""

    selling: float | None = Field(None, ge=0, le=80)
    admin: float | None = Field(None, ge=0, le=80)
    meetings: float | None = Field(None, ge=0, le=80)
    initiatives: float | None = Field(None, ge=0, le=80)
    switching: float | None = Field(None, ge=0, le=80)
    handoffs: float | None = Field(None, ge=0, le=80)
    chasing: float | None = Field(None, ge=0, le=80)
    asks: float | None = Field(None, ge=0, le=80)
    coaching: float | None = Field(None, ge=0, le=80)


class Quarter(_Strict):
    """One quarter of history."""

    quarter: str
    bookings_per_seller: float | None = Field(None, ge=0, le=1e6)
    share_at_quota: float | None = Field(None, ge=0, le=1)


class Targets(_Strict):
    """Everything a targets file may hold."""

    description: str = ""
    time_study: TimeStudy = Field(default_factory=TimeStudy)
    share_at_quota: float | None = Field(None, ge=0, le=1)
    attainment_quantiles: dict[str, float] = Field(default_factory=dict)
    voluntary_attrition: float | None = Field(None, ge=0, le=2)
    involuntary_attrition: float | None = Field(None, ge=0, le=2)
    ramp_months: float | None = Field(None, ge=0.25, le=36)
    bookings_per_seller: float | None = Field(None, gt=0, le=1e6)
    history: list[Quarter] = Field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Every figure given, by a flat name: what a run is compared with."""
        out: dict[str, float] = {}
        for category, hours in self.time_study.model_dump().items():
            if hours is not None:
                out[f"time_study.{category}"] = float(hours)
        for name in (
            "share_at_quota",
            "voluntary_attrition",
            "involuntary_attrition",
            "bookings_per_seller",
        ):
            value = getattr(self, name)
            if value is not None:
                out[name] = float(value)
        for q, value in self.attainment_quantiles.items():
            out[f"attainment_quantiles.{q}"] = float(value)
        for i, quarter in enumerate(self.history):
            for name in ("bookings_per_seller", "share_at_quota"):
                value = getattr(quarter, name)
                if value is not None:
                    out[f"history.{i}.{name}"] = float(value)
        return out


def describe(figure: str) -> tuple[str, str]:
    """(plain label, unit) of a flat figure name."""
    if figure.startswith("time_study."):
        return f"hours a week: {figure.split('.', 1)[1]}", "h"
    if figure.startswith("attainment_quantiles."):
        return f"attainment, {figure.split('.', 1)[1]} of ramped sellers", "share"
    if figure.startswith("history."):
        _, i, name = figure.split(".")
        return (
            f"quarter {int(i) + 1}: {name.replace('_', ' ')}",
            "share" if "share" in name else "k$",
        )
    labels = {
        "share_at_quota": ("ramped sellers at quota", "share"),
        "voluntary_attrition": ("voluntary attrition a year", "share"),
        "involuntary_attrition": ("involuntary attrition a year", "share"),
        "bookings_per_seller": ("bookings per seller a year", "k$"),
    }
    return labels[figure]


def _read(path: Path) -> dict[str, Any]:
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None


def _read_csv(path: Path) -> dict[str, Any]:
    """`key,value` rows with dotted keys (`time_study.selling,14`) into nested tables."""
    data: dict[str, Any] = {}
    with path.open(newline="", encoding="utf-8") as file:
        for number, row in enumerate(csv.reader(file), start=1):
            if not row or row[0].strip().startswith("#") or row[0].strip() == "key":
                continue
            if len(row) != 2:
                raise ScenarioError(
                    f"{path}: line {number}: expected key,value; got {','.join(row)!r}"
                )
            key, raw = row[0].strip(), row[1].strip()
            try:
                value: Any = float(raw)
            except ValueError:
                value = raw
            *tables, leaf = key.split(".")
            node = data
            for table in tables:
                node = node.setdefault(table, {})
            node[leaf] = value
    return data


def _explain(error: dict[str, Any], path: Path) -> str:
    key = ".".join(str(part) for part in error["loc"])
    value = error.get("input")
    kind = error["type"]
    if kind == "extra_forbidden":
        known = list(Targets.model_fields) + [f"time_study.{c}" for c in TimeStudy.model_fields]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(known)}"
        return f"{path}: {key}: unknown target{hint}"
    return f"{path}: {key} = {value!r} is not allowed: {_allowed(error['loc'], error['msg'])}"


def _allowed(loc: tuple, fallback: str) -> str:
    """The range a field allows, from its declaration ("0 to 1", "above 0, at most 1e6")."""
    model: type[BaseModel] = Targets
    field = None
    for part in loc:
        if not isinstance(part, str) or part not in model.model_fields:
            return fallback
        field = model.model_fields[part]
        inner = getattr(field.annotation, "model_fields", None)
        if inner is not None:
            model = field.annotation
    bounds = {}
    for meta in field.metadata if field else ():
        for name in ("ge", "gt", "le"):
            if getattr(meta, name, None) is not None:
                bounds[name] = getattr(meta, name)
    if "ge" in bounds and "le" in bounds:
        return f"{bounds['ge']:g} to {bounds['le']:g} (a number)"
    if "gt" in bounds and "le" in bounds:
        return f"above {bounds['gt']:g}, at most {bounds['le']:g} (a number)"
    return fallback


def load_targets(path: str | Path) -> Targets:
    """Read and check a targets file (TOML or CSV)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such targets file")
    data = _read(path)
    try:
        targets = Targets(**data)
    except ValidationError as exc:
        raise ScenarioError(_explain(exc.errors()[0], path)) from None
    except TypeError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    for q, value in targets.attainment_quantiles.items():
        if q not in QUANTILES:
            raise ScenarioError(
                f"{path}: attainment_quantiles.{q}: unknown quantile; allowed: "
                f"{', '.join(QUANTILES)}"
            )
        if not 0 <= value <= 10:
            raise ScenarioError(
                f"{path}: attainment_quantiles.{q} = {value!r} is not allowed: 0 to 10"
            )
    if not targets.figures() and targets.ramp_months is None:
        raise ScenarioError(f"{path}: no targets given: nothing to calibrate against")
    return targets
