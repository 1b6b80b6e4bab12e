"""Weekly numbers: every model reporter is a reduction over the model's arrays.

`weekly_metrics` computes all of them once per week into a dict; the DataCollector's
reporters read from it. Means over people are over filled seats only.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from sim.state import HOUR_CATEGORIES, TRAILING_WEEKS, effective_skill

if TYPE_CHECKING:
    from sim.model import SalesOrgModel

HOUR_METRICS = (*(f"hours_{c}" for c in HOUR_CATEGORIES), "hours_overtime")
METRIC_NAMES = (
    "selling_time_share",
    "quota_attainment_share",
    "mean_attainment",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "fired",
    "headcount",
    "vacancies",
    "bookings",
    "mean_skill",
    "mean_morale",
    "initiatives_per_seller",
    "initiatives_queued_per_seller",
    "specialist_wait_weeks",
    "presales_utilization",
    "coaching_hours_per_seller",
    "open_deals_per_seller",
    "new_opportunities",
    "deals_won",
    "deals_lost",
    "initiatives_adopted",
    "initiatives_abandoned",
    *HOUR_METRICS,
)
#: The outcomes experiments compare and sweeps record (final-year means of these reporters).
OUTCOMES = (
    "quota_attainment_share",
    "mean_attainment",
    "bookings",
    "selling_time_share",
    "mean_skill",
    "mean_morale",
    "voluntary_attrition_rate",
    "involuntary_attrition_rate",
    "regretted_attrition_share",
    "headcount",
    "specialist_wait_weeks",
    "initiatives_per_seller",
    "coaching_hours_per_seller",
)
AGENT_REPORTERS = {
    "role": "role",
    "skill": "skill",
    "tenure": "tenure",
    "morale": "morale",
    "selling_hours": "selling_hours",
    "attainment": "attainment",
    "initiatives": "initiatives",
    "manager": "manager",
}


def read_metric(model: SalesOrgModel, name: str) -> float:
    """DataCollector reporter: one value of this week's metrics."""
    return model.metrics[name]


MODEL_REPORTERS = {name: partial(read_metric, name=name) for name in METRIC_NAMES}


def _effective_skill(s, flows: dict) -> np.ndarray:
    """Every seat's effective skill, as the week's people step left it (or computed now)."""
    skill = flows.get("effective_skill")
    return effective_skill(s.skill) if skill is None else skill


def weekly_metrics(model: SalesOrgModel, flows: dict) -> dict[str, float]:
    """All model reporters for the week just finished.

    Means over sellers are dot products with the filled seats' weights: one pass each, no
    copies of the arrays.
    """
    s = model.sellers
    lev = model.levers
    filled = s.filled
    headcount = int(filled.sum())
    weight = filled / max(headcount, 1)
    team_heads = np.bincount(model.org.manager_of, weights=weight, minlength=model.org.n_managers)

    per_category = s.hours @ weight
    hour_means = dict(zip(HOUR_METRICS, per_category.tolist(), strict=False))
    hour_means["hours_overtime"] = float(s.overtime @ weight)
    worked = float(per_category.sum())
    ramped = s.ramped(lev.ramp_weeks)
    n_ramped = int(ramped.sum())
    attainment = s.attainment()[ramped]
    window = min(model.clock, TRAILING_WEEKS) or 1
    mean_heads = max(float(model.headcount_history[:window].sum()) / window, 1.0)
    exits = model.leavers.sum(axis=0)
    rates = exits * (TRAILING_WEEKS / window) / mean_heads
    pipeline = model.pipeline
    open_deals = float(pipeline.open_deals() @ weight)
    return {
        "selling_time_share": hour_means["hours_selling"] / worked if worked else 0.0,
        "quota_attainment_share": float((attainment >= 1.0).sum() / n_ramped) if n_ramped else 0.0,
        "mean_attainment": float(attainment.sum() / n_ramped) if n_ramped else 0.0,
        "voluntary_attrition_rate": float(rates[0]),
        "involuntary_attrition_rate": float(rates[1]),
        "regretted_attrition_share": float(exits[2] / exits[0]) if exits[0] else 0.0,
        "fired": int(flows.get("fired", 0)),
        "headcount": headcount,
        "vacancies": s.n - headcount,
        "bookings": float(s.bookings_week.sum()),
        "mean_skill": float(_effective_skill(s, flows) @ weight),
        "mean_morale": float(s.morale @ weight),
        "initiatives_per_seller": float(model.team_active_initiatives @ team_heads),
        "initiatives_queued_per_seller": float(model.initiatives.queued() @ team_heads),
        "specialist_wait_weeks": float(flows.get("wait_weeks", 0.0)),
        "presales_utilization": float(flows.get("presales_utilization", 0.0)),
        "coaching_hours_per_seller": hour_means["hours_coaching"],
        "open_deals_per_seller": open_deals,
        "new_opportunities": float(np.sum(flows.get("new", 0.0))),
        "deals_won": float(np.sum(flows.get("wins", 0.0))),
        "deals_lost": float(np.sum(flows.get("lost", 0.0)) + flows.get("leaver_deals_lost", 0.0)),
        "initiatives_adopted": model.initiatives.totals["adopted"],
        "initiatives_abandoned": model.initiatives.totals["abandoned"],
        **hour_means,
    }
