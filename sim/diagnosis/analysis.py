"""From counterfactual outcomes to a diagnosis: attributions, the split, the ranked levers.

Everything is computed replication by replication (common random numbers), then summarized
with t-intervals (values, differences) or delta-method t-intervals (shares, which are ratios).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.diagnosis.reference import Reference
from sim.diagnosis.shapley import Coalition, shapley_values
from sim.experiments.compare import CONFIDENCE, interval
from sim.model.organization import build_organization
from sim.scenario.levers import Levers


def values_by_coalition(outcomes: pd.DataFrame, metric: str) -> dict[Coalition, np.ndarray]:
    """Per coalition, the metric over replications (in replication order)."""
    ordered = outcomes.sort_values("replication")
    return {c: group[metric].to_numpy() for c, group in ordered.groupby("coalition", sort=False)}


def ratio_interval(part: np.ndarray, whole: np.ndarray) -> tuple[float, float, float]:
    """Share mean(part) / mean(whole) with a 95% interval over replications.

    A delta-method t-interval on the ratio: the residuals part - share * whole carry its
    uncertainty. (A bootstrap over a handful of replications is far too narrow.)
    """
    part, whole = np.asarray(part, dtype=float), np.asarray(whole, dtype=float)
    whole_mean = float(whole.mean())
    if whole_mean == 0:
        return 0.0, 0.0, 0.0
    share = float(part.mean()) / whole_mean
    if part.size < 2:
        return share, share, share
    residual = part - share * whole
    half = (
        stats.t.ppf(0.5 + CONFIDENCE / 2, part.size - 1)
        * residual.std(ddof=1)
        / (np.sqrt(part.size) * abs(whole_mean))
    )
    return share, share - float(half), share + float(half)


def attribute(outcomes: pd.DataFrame, reference: Reference, metric: str) -> pd.DataFrame:
    """Shapley attribution of the gap healthy - today for one metric, one row per group.

    Columns: group, label, kind, value (mean and ci), share of the gap (mean and ci), and
    the gap itself (healthy - today) for the same replications.
    """
    groups = reference.names
    value = values_by_coalition(outcomes, metric)
    phi = shapley_values(groups, value)
    gap = value[frozenset(groups)] - value[frozenset()]
    rows = []
    for group in groups:
        mean, low, high = interval(phi[group])
        share, share_low, share_high = ratio_interval(phi[group], gap)
        info = reference.group(group)
        rows.append(
            {
                "metric": metric,
                "group": group,
                "label": info.label,
                "kind": info.kind,
                "value": mean,
                "value_low": low,
                "value_high": high,
                "share": share,
                "share_low": share_low,
                "share_high": share_high,
            }
        )
    return pd.DataFrame(rows)


def endpoints(outcomes: pd.DataFrame, reference: Reference, metric: str) -> dict[str, tuple]:
    """Today's value, the healthy reference's and the gap, each with its interval."""
    value = values_by_coalition(outcomes, metric)
    today, healthy = value[frozenset()], value[frozenset(reference.names)]
    return {
        "today": interval(today),
        "healthy": interval(healthy),
        "gap": interval(healthy - today),
    }


def split(outcomes: pd.DataFrame, reference: Reference, metric: str) -> pd.DataFrame:
    """Share of the gap that is systemic (organization, managers) vs individual (talent)."""
    groups = reference.names
    value = values_by_coalition(outcomes, metric)
    phi = shapley_values(groups, value)
    gap = value[frozenset(groups)] - value[frozenset()]
    rows = []
    for kind in ("systemic", "individual"):
        part = sum((phi[g.name] for g in reference.groups if g.kind == kind), np.zeros_like(gap))
        share, low, high = ratio_interval(part, gap)
        rows.append({"metric": metric, "kind": kind, "share": share, "low": low, "high": high})
    return pd.DataFrame(rows)


def support_hours(levers: Levers) -> float:
    """Hours a week the organization spends supporting its sellers' deals and development.

    Specialists' hours, approval desks' hours and managers' planned coaching hours: the
    resources a fix may have to add (or frees).
    """
    org = build_organization(levers)
    specialists = org.n_presales * levers.specialist_hours
    # each desk is staffed at one analyst per `sellers_per_approver` sellers (see pipeline)
    desks = levers.approval_steps * levers.n_sellers / levers.sellers_per_approver
    coaching = org.n_managers * levers.manager_hours * levers.coaching_share
    return specialists + desks * levers.specialist_hours + coaching


def fix_effect(
    acting: pd.DataFrame, groups: frozenset[str], reference: Reference, today: Levers, metric: str
) -> dict[str, object]:
    """What fixing `groups` now does: the metric's change (mean and interval) and the hours."""
    value = values_by_coalition(acting, metric)
    hours = values_by_coalition(acting, "hours_selling")
    heads = values_by_coalition(acting, "headcount")
    now = frozenset()
    gain, low, high = interval(value[groups] - value[now])
    freed = hours[groups] * heads[groups] - hours[now] * heads[now]
    fixed = Levers(**{**today.model_dump(), **reference.levers_of(groups)})
    money = {}
    for name in ("cost", "contribution"):  # k$ a year, over the final year
        if name in acting:
            weekly = values_by_coalition(acting, name)
            mean, lo, hi = interval(52 * (weekly[groups] - weekly[now]))
            money |= {f"{name}_year": mean, f"{name}_year_low": lo, f"{name}_year_high": hi}
    return {
        "gain": gain,
        "gain_low": low,
        "gain_high": high,
        "selling_hours_freed": float(freed.mean()),
        "support_hours_taken": support_hours(fixed) - support_hours(today),
        **money,
    }


def rank(
    outcomes: pd.DataFrame,
    acting: pd.DataFrame,
    reference: Reference,
    today: Levers,
    metric: str,
) -> pd.DataFrame:
    """Groups ranked by what fixing each alone, now, would unlock, with the hours involved.

    Columns: group, label, kind, why, gain (mean and ci: the group fixed from week 1, minus
    today, over the final year), shapley (its fair share of the whole gap), selling hours
    freed a week across the organization, support hours a week it takes (negative: frees),
    rank (1 = start here).
    """
    phi = shapley_values(reference.names, values_by_coalition(outcomes, metric))
    rows = [
        {
            "metric": metric,
            "group": group.name,
            "label": group.label,
            "kind": group.kind,
            "why": group.why,
            **fix_effect(acting, frozenset({group.name}), reference, today, metric),
            "shapley": float(phi[group.name].mean()),
        }
        for group in reference.groups
    ]
    table = pd.DataFrame(rows).sort_values("gain", ascending=False, ignore_index=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return table
