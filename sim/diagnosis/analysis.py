"""From counterfactual outcomes to a diagnosis: attributions, the split, the ranked levers.

Everything is computed replication by replication (common random numbers), then summarized
with t-intervals (values) or a bootstrap over replications (shares, which are ratios).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.compare import interval
from sim.diagnosis.reference import Reference
from sim.diagnosis.shapley import Coalition, shapley_values
from sim.levers import Levers
from sim.org import build_organization

BOOTSTRAP_DRAWS = 2000


def values_by_coalition(outcomes: pd.DataFrame, metric: str) -> dict[Coalition, np.ndarray]:
    """Per coalition, the metric over replications (in replication order)."""
    ordered = outcomes.sort_values("replication")
    return {c: group[metric].to_numpy() for c, group in ordered.groupby("coalition", sort=False)}


def ratio_interval(
    part: np.ndarray, whole: np.ndarray, seed: int = 0
) -> tuple[float, float, float]:
    """Share mean(part) / mean(whole) and a bootstrap 95% interval over replications."""
    whole_mean = float(whole.mean())
    share = float(part.mean()) / whole_mean if whole_mean else 0.0
    if part.size < 2:
        return share, share, share
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, part.size, size=(BOOTSTRAP_DRAWS, part.size))
    wholes = whole[picks].mean(axis=1)
    shares = np.divide(
        part[picks].mean(axis=1), wholes, out=np.zeros(BOOTSTRAP_DRAWS), where=wholes != 0
    )
    low, high = np.percentile(shares, [2.5, 97.5])
    return share, float(low), float(high)


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


def rank(outcomes: pd.DataFrame, reference: Reference, today: Levers, metric: str) -> pd.DataFrame:
    """Groups ranked by what fixing each alone would unlock, with the hours it frees or takes.

    Columns: group, label, kind, gain (mean and ci: healthy in this group only, minus
    today), shapley (its fair share of the whole gap), selling hours freed a week across the
    organization, support hours a week it takes (negative: frees), rank (1 = start here).
    """
    value = values_by_coalition(outcomes, metric)
    hours = values_by_coalition(outcomes, "hours_selling")
    heads = values_by_coalition(outcomes, "headcount")
    phi = shapley_values(reference.names, value)
    base_support = support_hours(today)
    rows = []
    for group in reference.groups:
        alone = frozenset({group.name})
        gain, low, high = interval(value[alone] - value[frozenset()])
        freed = hours[alone] * heads[alone] - hours[frozenset()] * heads[frozenset()]
        fixed = Levers(**{**today.model_dump(), **group.levers})
        rows.append(
            {
                "metric": metric,
                "group": group.name,
                "label": group.label,
                "kind": group.kind,
                "why": group.why,
                "gain": gain,
                "gain_low": low,
                "gain_high": high,
                "shapley": float(phi[group.name].mean()),
                "selling_hours_freed": float(freed.mean()),
                "support_hours_taken": support_hours(fixed) - base_support,
            }
        )
    table = pd.DataFrame(rows).sort_values("gain", ascending=False, ignore_index=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return table
