"""What each page shows, as PNG images and headline numbers, from snapshots of the models."""

from __future__ import annotations

import functools

from sim.workshop import charts
from sim.workshop.models import Frame
from sim.workshop.network import network_figure

SINGLE_COLOR = "#1565c0"


def headline(frame: Frame) -> dict[str, str]:
    """The numbers in big type at the top of the page, keyed by a short name."""
    weekly = frame.weekly
    leaving = frame.latest("voluntary_attrition_rate") + frame.latest("involuntary_attrition_rate")
    bookings = float(weekly["bookings"].iloc[1:].tail(13).mean()) if frame.week else 0.0
    return {
        "week": f"{frame.week} of {frame.weeks}",
        "selling": f"{frame.latest('selling_time_share'):.0%}",
        "quota": f"{frame.latest('quota_attainment_share'):.0%}",
        "leaving": f"{leaving:.0%}",
        "seats": f"{frame.latest('headcount'):.0f} of {frame.levers.n_sellers}",
        "bookings": f"{bookings / 1000:.1f} M$",
    }


HEADLINE_LABELS = {
    "week": "Week",
    "selling": "Selling time",
    "quota": "At quota",
    "leaving": "Leaving a year",
    "seats": "Sellers in seats",
    "bookings": "Bookings a week",
}


def single_pictures(frame: Frame) -> dict[str, bytes]:
    """The charts of the one-organization page."""
    side = [(frame.scenario, SINGLE_COLOR, frame)]
    return {
        "week": charts.to_png(charts.week_figure(frame), dpi=100),
        "selling": charts.to_png(charts.selling_figure(side)),
        "quota": charts.to_png(charts.quota_figure(side)),
        "seats": charts.to_png(charts.headcount_figure(side)),
        "leaving": charts.to_png(charts.leaving_figure(side)),
        "network": charts.to_png(network_figure(frame), dpi=90),
    }


@functools.cache
def _legend_strip() -> bytes:
    return charts.to_png(charts.week_legend_figure())


def pair_pictures(left: Frame, right: Frame) -> dict[str, bytes]:
    """The charts of the side-by-side page: each week on its own, the rest overlaid."""
    sides = [
        (f.scenario, color, f) for f, color in zip((left, right), charts.SIDE_COLORS, strict=True)
    ]
    top = max(charts.stack_top(left), charts.stack_top(right)) + 2
    week = {"width": 7.5, "top": top, "legend": False}
    return {
        "week-left": charts.to_png(charts.week_figure(left, **week)),
        "week-right": charts.to_png(charts.week_figure(right, **week)),
        "week-legend": _legend_strip(),
        "selling": charts.to_png(charts.selling_figure(sides)),
        "quota": charts.to_png(charts.quota_figure(sides)),
        "bookings": charts.to_png(charts.bookings_figure(sides)),
        "leaving": charts.to_png(charts.leaving_figure(sides)),
    }
