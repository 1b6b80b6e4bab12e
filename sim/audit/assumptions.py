"""The assumption audit: switch off each behavioural assumption, and see if the answers move.

Every behavioural coefficient of the model is a lever with a zero that switches it off
(`ASSUMPTIONS`: the morale terms and morale's pull on quitting, outside offers that rise
with skill, the switching cost, the finite market and competition, and quotas by plan).
The audit runs the model as it is, then with each assumption off in turn, and asks the
questions the model is for:

- fire vs fix where the system binds: bookings of fire-low-performers and of
  fix-the-organization against the baseline (paired differences, 95% intervals);
- fire where talent binds: bookings and skill of talent-bound-firing against talent-bound;
- the diagnosis of friction-heavy: the systemic share of its gap and its ranking of causes.

An answer that holds with an assumption off does not rest on it; one that flips does, and
the table says so. `salesorg assumptions` writes the table and a page
(`sim.reports.assumptions_report`); `docs/assumptions.md` holds the current one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.diagnosis import diagnose
from sim.experiments.compare import compare


@dataclass(frozen=True)
class Assumption:
    """One behavioural assumption and the lever settings that switch it off."""

    name: str
    label: str
    off: dict[str, Any]


FULL = Assumption("full", "the full model", {})
ASSUMPTIONS = (
    Assumption("pay", "pay against the outside offer moves morale", {"morale_pay": 0.0}),
    Assumption("offers", "outside offers rise with skill", {"offer_skill_slope": 0.0}),
    Assumption(
        "selling", "the share of the week spent selling moves morale", {"morale_selling": 0.0}
    ),
    Assumption("overtime", "overtime lowers morale", {"morale_overtime": 0.0}),
    Assumption("coaching", "coaching received raises morale", {"morale_coaching": 0.0}),
    Assumption("progress", "the progress coaching brings raises morale", {"morale_progress": 0.0}),
    Assumption(
        "risk", "each seller's own risk of being let go lowers morale", {"morale_risk": 0.0}
    ),
    Assumption("quitting", "low morale makes sellers quit", {"morale_sensitivity": 0.0}),
    Assumption(
        "switching", "switching between initiatives costs focus time", {"switching_cost": 0.0}
    ),
    Assumption(
        "market", "the market is finite (found accounts leave the pool)", {"market_depletion": 0.0}
    ),
    Assumption("competition", "rivals win part of the decided deals", {"competition": 0.0}),
    Assumption("plan", "quotas are reset each year by plan", {"quota_policy": "fixed"}),
)
SYSTEM = ("baseline", "fire-low-performers", "fix-the-organization")
TALENT = ("talent-bound", "talent-bound-firing")
DIAGNOSED = "friction-heavy"


def verdict(low: float, high: float) -> str:
    """'raises', 'lowers' or 'no clear difference', from a 95% interval."""
    if low > 0:
        return "raises"
    if high < 0:
        return "lowers"
    return "no clear difference"


def _relative(comparison, scenario: str, base: str, metric: str = "bookings") -> dict:
    reference = comparison.value(base, metric)
    return {
        column: comparison.value(scenario, metric, column) / reference
        for column in ("diff", "diff_low", "diff_high")
    }


def audit_one(
    assumption: Assumption,
    *,
    replications: int,
    diagnosis_replications: int,
    seed: int,
    run_options: dict[str, Any],
) -> dict[str, Any]:
    """The answers with `assumption` switched off (the full model for `FULL`)."""
    options = {"seed": seed, "overrides": assumption.off, "progress": False, **run_options}
    system = compare(list(SYSTEM), replications=replications, **options)
    talent = compare(list(TALENT), replications=replications, **options)
    diagnosis = diagnose(DIAGNOSED, replications=diagnosis_replications, **options)
    row: dict[str, Any] = {"assumption": assumption.name, "label": assumption.label}
    for key, scenario, base, comparison in (
        ("fire", "fire-low-performers", "baseline", system),
        ("fix", "fix-the-organization", "baseline", system),
        ("talent_fire", "talent-bound-firing", "talent-bound", talent),
    ):
        rel = _relative(comparison, scenario, base)
        row[f"{key}_bookings"] = rel["diff"]
        row[f"{key}_low"], row[f"{key}_high"] = rel["diff_low"], rel["diff_high"]
        row[f"{key}_verdict"] = verdict(rel["diff_low"], rel["diff_high"])
    row["talent_fire_skill"] = talent.value("talent-bound-firing", "mean_skill", "diff")
    row["talent_fire_skill_low"] = talent.value("talent-bound-firing", "mean_skill", "diff_low")
    row["fix_beats_fire"] = row["fix_low"] > row["fire_high"]
    row["systemic_share"], row["systemic_low"], row["systemic_high"] = diagnosis.systemic_share()
    row["ranking"] = " > ".join(diagnosis.ranking["group"].tolist())
    return row


def audit(
    assumptions: tuple[Assumption, ...] = ASSUMPTIONS,
    *,
    replications: int = 8,
    diagnosis_replications: int = 4,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
    **run_options: Any,
) -> pd.DataFrame:
    """The answers of the full model and with each assumption off; whether each changed.

    Returns:
        one row per assumption (the full model first): the paired bookings differences
        with intervals and verdicts, the diagnosis's systemic share and ranking, and
        `changes`: which of the full model's answers did not hold.

    """
    rows = []
    for assumption in (FULL, *assumptions):
        if progress is not None:
            progress(assumption.label)
        rows.append(
            audit_one(
                assumption,
                replications=replications,
                diagnosis_replications=diagnosis_replications,
                seed=seed,
                run_options=run_options,
            )
        )
    table = pd.DataFrame(rows)
    full = table.iloc[0]
    table["changes"] = [_changes(full, row) for _, row in table.iterrows()]
    return table


def _changes(full: pd.Series, row: pd.Series) -> str:
    """Which of the full model's answers this row does not repeat ('' if none)."""
    changed = []
    for key, what in (
        ("fire_verdict", "firing's verdict in the baseline"),
        ("fix_verdict", "fixing's verdict in the baseline"),
        ("talent_fire_verdict", "firing's verdict where talent binds"),
    ):
        if row[key] != full[key]:
            changed.append(f"{what}: {row[key]}")
    if row["fix_beats_fire"] != full["fix_beats_fire"]:
        changed.append("fixing no longer clearly beats firing")
    top, full_top = row["ranking"].split(" > ")[0], full["ranking"].split(" > ")[0]
    if top != full_top:
        changed.append(f"diagnosis starts with {top}, not {full_top}")
    return "; ".join(changed)
