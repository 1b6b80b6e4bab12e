"""How every report and chart names, colours and formats the model's figures."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from sim.model.state import HOUR_CATEGORIES

CATEGORY_LABELS = {
    "selling": "Selling",
    "admin": "Admin & tools",
    "meetings": "Internal meetings",
    "initiatives": "Initiative work",
    "switching": "Context switching",
    "handoffs": "Handoffs to specialists & desks",
    "chasing": "Chasing waiting deals",
    "asks": "Asks from support functions",
    "coaching": "Coaching received",
}
CATEGORY_COLORS = {
    "selling": "#2e7d32",
    "admin": "#9e9e9e",
    "meetings": "#bdbdbd",
    "initiatives": "#ef6c00",
    "switching": "#ffb74d",
    "handoffs": "#5c6bc0",
    "chasing": "#9fa8da",
    "asks": "#ad1457",
    "coaching": "#26a69a",
}
#: Public ranges (DESIGN.md): the shaded bands on the plots.
SELLING_BAND = (0.28, 0.41)
AT_QUOTA_BAND = (0.45, 0.60)
STACK_ORDER = ("selling", *[c for c in HOUR_CATEGORIES if c != "selling"])

LABELS = {
    "selling_time_share": ("Share of the week spent selling", "pct", SELLING_BAND),
    "quota_attainment_share": ("Ramped sellers at quota (trailing year)", "pct", AT_QUOTA_BAND),
    "mean_attainment": ("Mean attainment of ramped sellers", "pct", None),
    "bookings": ("Bookings per week (k$)", "num", None),
    "bookings_per_seat": ("Bookings per seat per week (k$)", "num2", None),
    "quota": ("Annual quota in force per ramped seller (k$)", "num", None),
    "mean_skill": ("Mean effective skill (0-1)", "num2", None),
    "initiatives_per_seller": ("Initiatives active per seller", "num2", None),
    "specialist_wait_weeks": ("Weeks a deal waits on others", "num2", None),
    "coaching_hours_per_seller": ("Coaching hours per seller per week", "num2", None),
    "headcount": ("Sellers in seats", "num", None),
    "vacancies": ("Vacant seats", "num", None),
    "voluntary_attrition_rate": ("Voluntary attrition (annualized)", "pct", None),
    "involuntary_attrition_rate": ("Involuntary attrition (annualized)", "pct", None),
    "regretted_attrition_share": ("Voluntary leavers from the top skill quartile", "pct", None),
    "mean_morale": ("Mean morale (0-1)", "num2", None),
}


def fmt_value(value: float, kind: str) -> str:
    """Format a figure as a percentage ("pct"), with two decimals ("num2") or as a count."""
    if kind == "pct":
        return f"{value:.0%}"
    if kind == "num2":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def png_bytes(fig: plt.Figure) -> bytes:
    """Render a figure to PNG bytes and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
