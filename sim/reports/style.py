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
#: Public ranges of typical B2B organizations (README, calibration): the shaded bands.
SELLING_BAND = (0.28, 0.41)
AT_QUOTA_BAND = (0.45, 0.60)
ATTRITION_BAND = (0.25, 0.40)
TYPICAL = "typical B2B organizations"
#: A scenario whose organization is not typical is held against its own public range;
#: a scenario that extends one of these inherits its range. name -> metric -> (band, whose)
SCENARIO_BANDS = {
    "friction-heavy": {
        "selling_time_share": ((0.09, 0.22), "friction-heavy organizations, field measurements")
    },
}
STACK_ORDER = ("selling", *[c for c in HOUR_CATEGORIES if c != "selling"])
#: The figures a verdict and a run report lead with: bookings first, then people.
LEAD = ("bookings", "bookings_per_seat", "quota_attainment_share", "attrition_rate")

LABELS = {
    "bookings": ("Bookings per week (k$)", "num", None),
    "bookings_per_seat": ("Bookings per seat per week (k$)", "num2", None),
    "quota": ("Annual quota in force per ramped seller (k$)", "num", None),
    "cost": ("Cost of the sales organization per week (k$)", "num", None),
    "margin": ("Gross margin on bookings per week (k$)", "num", None),
    "contribution": ("Contribution per week, margin less cost (k$)", "num", None),
    "quota_attainment_share": ("Ramped sellers at quota (trailing year)", "pct", AT_QUOTA_BAND),
    "attrition_rate": ("Attrition, voluntary and involuntary (annualized)", "pct", ATTRITION_BAND),
    "selling_time_share": ("Share of the week spent selling", "pct", SELLING_BAND),
    "mean_attainment": ("Mean attainment of ramped sellers", "pct", None),
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


def label_of(metric: str) -> tuple[str, str]:
    """A figure's plain name and number format; a figure not listed here gets its own name."""
    if metric in LABELS:
        label, kind, _ = LABELS[metric]
        return label, kind
    return metric.replace("_", " ").capitalize(), "num2"


def bands_for(chain: tuple[str, ...] | list[str]) -> dict[str, tuple[tuple[float, float], str]]:
    """The public range each figure is held against, for a scenario and what it extends."""
    bands = {m: (band, TYPICAL) for m, (_, _, band) in LABELS.items() if band}
    for name in reversed(tuple(chain)):  # the scenario's own declaration wins
        bands.update(SCENARIO_BANDS.get(name, {}))
    return bands


def _unsigned_zero(text: str) -> str:
    """No "-0" in front of a number that rounded to zero."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,%") else text


def fmt_value(value: float, kind: str) -> str:
    """Format a figure: a percentage ("pct"), one or two decimals ("num1", "num2"), a count."""
    if kind == "pct":
        return _unsigned_zero(f"{value:.0%}")
    if kind in ("num1", "num2"):
        return _unsigned_zero(f"{value:,.{kind[-1]}f}")
    return _unsigned_zero(f"{value:,.0f}")


def fmt_change(value: float, kind: str) -> str:
    """A signed change: percentage points for shares ("+5 points"), else the figure's unit."""
    if kind == "pct":
        points = round(100 * value) + 0
        return f"{points:+d} point{'' if abs(points) == 1 else 's'}"
    text = fmt_value(value, kind)
    return text if text.startswith("-") else f"+{text}"


def fmt_span(low: float, high: float, kind: str) -> str:
    """An interval of a change: "-23 to +34 points", "+4.3 to +5.0"."""
    if kind == "pct":
        return f"{fmt_change(low, kind).split()[0]} to {fmt_change(high, kind)}"
    return f"{fmt_change(low, kind)} to {fmt_change(high, kind)}"


def fmt_band(band: tuple[float, float]) -> str:
    """A public range: "28-41%"."""
    return f"{band[0]:.0%}-{band[1]:.0%}"


def png_bytes(fig: plt.Figure) -> bytes:
    """Render a figure to PNG bytes and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()
