"""Whose "fault" is a low attainment? Seller by seller, among peers in the same organization.

Over the final year, each seat's week is summed. Sellers who sat in their seat, ramped,
the whole year are compared: a log-linear fit across them (pooled over replications)
explains log attainment by the seller's own skill (innate talent: what coaching added is
their manager's part), their manager's coaching quality, their dependencies (how loaded
their presales specialist is with other sellers' deals), their load (hours of initiatives,
switching between them, and asks) and their territory. A low seller's shortfall
against a typical seller (the fit at the median of every factor) then splits into those
parts plus what the fit cannot explain for them (luck: which deals came, how big they
were). This is a statistical decomposition among peers, complementing the causal one for
the organization as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.model.mechanics.pipeline import SOLUTION
from sim.model.state import HOUR, TRAILING_WEEKS, effective_skill

if TYPE_CHECKING:
    from sim.model import SalesOrgModel

#: Factor -> (label, whose it is, the sign its effect should have). The fit's features, in order.
FACTORS = {
    "skill": ("their own skill", "individual", 1),
    "manager": ("their manager's coaching", "systemic", 1),
    "dependencies": ("dependencies (their specialist's load)", "systemic", -1),
    "load": ("load (initiatives, asks)", "systemic", -1),
    "territory": ("their territory", "circumstance", 1),
}
LUCK = "luck (deals that came or not)"
LOWEST_ATTAINMENT = 0.02  # log of zero is undefined; a year without a deal counts as 2%


class SellerYear:
    """Sums each seat's hours and skill over the final year of a run."""

    def __init__(self, model: SalesOrgModel) -> None:
        """Start empty, shaped like the model's seats."""
        n = model.sellers.n
        self.hours = np.zeros((len(HOUR), n))
        self.specialist_load = np.zeros(n)  # summed weekly load of others' deals on their SE
        self.weeks = 0

    def add(self, model: SalesOrgModel) -> None:
        """Add the week just simulated."""
        s, org, lev = model.sellers, model.org, model.levers
        self.hours += s.hours * s.filled
        own = model.pipeline.worked[SOLUTION] * lev.presales_hours
        demand = np.bincount(org.presales_of, own, minlength=org.n_presales)
        others = (demand[org.presales_of] - own) / lev.specialist_hours
        self.specialist_load += others * s.filled
        self.weeks += 1

    def table(self, model: SalesOrgModel) -> pd.DataFrame:
        """One row per seller who sat, ramped, in their seat for the whole final year."""
        s, lev = model.sellers, model.levers
        stayed = s.filled & (s.tenure >= TRAILING_WEEKS + lev.ramp_weeks)
        weeks = max(self.weeks, 1)
        per_week = self.hours[:, stayed] / weeks
        return pd.DataFrame(
            {
                "seat": np.flatnonzero(stayed),
                "attainment": s.attainment()[stayed],
                "skill": effective_skill(s.talent[:, stayed]),
                "manager": model.manager_quality[model.org.manager_of[stayed]],
                "dependencies": self.specialist_load[stayed] / weeks,
                "load": per_week[HOUR["initiatives"]]
                + per_week[HOUR["switching"]]
                + per_week[HOUR["asks"]],
                "territory": s.territory[stayed],
                "selling_hours": per_week[HOUR["selling"]],
            }
        )


def _features(table: pd.DataFrame) -> np.ndarray:
    """Design matrix: log skill, manager quality, hours, log territory (then a constant)."""
    return np.column_stack(
        [
            np.log(table["skill"]),
            table["manager"],
            table["dependencies"],
            table["load"],
            np.log(table["territory"]),
            np.ones(len(table)),
        ]
    )


def fit(table: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Least-squares fit of log attainment on the factors; returns coefficients and R²."""
    x = _features(table)
    y = np.log(np.maximum(table["attainment"].to_numpy(), LOWEST_ATTAINMENT))
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    residual = y - x @ coef
    total = float(((y - y.mean()) ** 2).sum())
    return coef, 1.0 - float((residual**2).sum()) / total if total > 0 else 0.0


def explain_sellers(
    table: pd.DataFrame, examples: int = 4
) -> tuple[pd.DataFrame, float, dict[str, float]]:
    """Split the shortfall of the lowest sellers (first replication) against a typical seller.

    Returns:
        one row per example seller: their attainment, the typical seller's (the fit at the
        median of every factor), and each factor's part
        of the difference in attainment points (the parts add up to the difference; "luck"
        is what the fit leaves unexplained); the fit's R²; and its coefficient per factor.

    """
    if len(table) < 2 * len(FACTORS):
        return pd.DataFrame(), 0.0, {}
    coef, r2 = fit(table)
    x = _features(table)
    median_x = np.median(x, axis=0)
    y = np.log(np.maximum(table["attainment"].to_numpy(), LOWEST_ATTAINMENT))
    typical_y = float(median_x @ coef)
    first = table["replication"] == table["replication"].min()
    chosen = table[first].nsmallest(examples, "attainment").index
    rows = []
    for index in chosen:
        position = table.index.get_loc(index)
        parts = coef[:-1] * (x[position, :-1] - median_x[:-1])
        log_gap = y[position] - typical_y
        parts = np.append(parts, log_gap - parts.sum())  # luck closes the sum
        gap = float(np.exp(y[position]) - np.exp(typical_y))
        scale = gap / log_gap if log_gap else 0.0  # log points -> attainment points
        row = {
            "seat": int(table.at[index, "seat"]),
            "attainment": float(table.at[index, "attainment"]),
            "typical_attainment": float(np.exp(typical_y)),
        }
        row.update(zip([*FACTORS, "luck"], (parts * scale).tolist(), strict=True))
        rows.append(row)
    return pd.DataFrame(rows), r2, dict(zip(FACTORS, coef[:-1].tolist(), strict=True))
