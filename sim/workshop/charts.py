"""The live charts, drawn for the back of a room: big type, few colours, a fixed time axis.

Every function takes `Frame` snapshots and returns a `Chart`: an SVG string (built with
`sim.workshop.svg`) with its title and legend as text, which the page lays out in HTML.
The time axis always spans the whole run, so the room watches the curves grow from left
to right. A chart can carry the range luck gives (`Luck`, from `sim.workshop.luck`): the
same organization and moves under other seeds, shaded behind the line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from sim.model.metrics import METRIC_NAMES
from sim.reports.style import AT_QUOTA_BAND, CATEGORY_COLORS, CATEGORY_LABELS, SELLING_BAND
from sim.reports.style import STACK_ORDER as STYLE_ORDER
from sim.workshop.frames import Frame
from sim.workshop.svg import Plot, percent, plain, wrap

#: The two organizations of the side-by-side page, and the one of the single page.
SIDE_COLORS = ("#d84315", "#1565c0")
SINGLE_COLOR = "#1565c0"
FIRED_COLOR = "#c62828"
CHANGE_COLOR = "#424242"
LET_GO_COLOR = "#6d4c41"
LUCK_COLOR = "#64b5f6"
SMOOTH_WEEKS = 8
QUARTER = 13
LABEL_WEEKS = 12  # labels of changes closer than this would overlap

#: the hour categories, selling (the floor) first, as the model reports them
CATEGORIES = tuple(
    dict.fromkeys(
        [c for c in STYLE_ORDER if f"hours_{c}" in METRIC_NAMES]
        + [n[6:] for n in METRIC_NAMES if n.startswith("hours_") and n != "hours_overtime"]
    )
)


def category_label(category: str) -> str:
    """What the room calls an hour category."""
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


def category_color(category: str) -> str:
    """The category's colour in every chart and report."""
    return CATEGORY_COLORS.get(category, "#8d6e63")


#: what each outcome chart shows of the weekly table (the luck band uses the same)
SHOWN: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "selling": lambda w: w["selling_time_share"].rolling(SMOOTH_WEEKS, min_periods=1).mean(),
    "quota": lambda w: w["quota_attainment_share"],
    "bookings": lambda w: w["bookings"].rolling(QUARTER, min_periods=1).mean() / 1000,
    "leaving": lambda w: w["voluntary_attrition_rate"] + w["involuntary_attrition_rate"],
    "seats": lambda w: w["headcount"],
}


class Luck(Protocol):
    """The range of an outcome over other seeds (see `sim.workshop.luck`)."""

    def band(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """(weeks, low, high) of a `SHOWN` outcome, or None."""


@dataclass(frozen=True)
class Chart:
    """A chart: its name, title, SVG elements, legend entries (label, colour, kind), size."""

    name: str
    title: str
    body: str
    legend: tuple[tuple[str, str, str], ...]
    width: float
    height: float

    @classmethod
    def of(cls, name: str, title: str, plot: Plot, legend: Sequence = ()) -> Chart:
        """The chart a plot draws."""
        return cls(name, title, plot.body(), tuple(legend), plot.width, plot.height)

    @property
    def svg(self) -> str:
        """The drawing as an <svg> that fills its box's width."""
        return wrap(self.body, self.width, self.height, "chart-svg")


Side = tuple[str, str, Frame]  # (label, colour, frame)
Size = tuple[float, float]  # (width, height) in SVG units: about the pixels it will fill
#: chart sizes close to the pixels they fill at 1400 x 900, so their type reads ~15 px
FULL, HALF, BIG, BESIDE = (1000.0, 270.0), (520.0, 250.0), (680.0, 232.0), (440.0, 232.0)


def _weeks(data: pd.Series | pd.DataFrame) -> list[float]:
    return [float(w) for w in data.index]


def mark_events(plot: Plot, *frames: Frame) -> None:
    """Mark when something changed (dotted) and each firing review (red, dashed)."""
    changes = sorted({w for f in frames for w, _ in f.events if w > 0})
    last = -LABEL_WEEKS
    for week in changes:
        labelled = week - last >= LABEL_WEEKS
        plot.mark(week, f"wk {week}" if labelled else "", CHANGE_COLOR, "2 4")
        last = week if labelled else last
    fired: dict[int, int] = {}
    for frame in frames:
        counts = frame.weekly["fired"].iloc[1:]
        for week, count in counts[counts > 0].items():
            fired[int(week)] = fired.get(int(week), 0) + int(count)
    for week, count in sorted(fired.items()):
        plot.mark(week, f"{count} fired", FIRED_COLOR, "7 4", lift=22)


def _luck(plot: Plot, luck: Luck | None, name: str) -> tuple[tuple[str, str, str], ...]:
    band = luck.band(name) if luck is not None else None
    if band is None:
        return ()
    weeks, low, high = band
    plot.area(weeks, low, high, LUCK_COLOR, opacity=0.35, css="luck")
    return (("8 in 10 other lucks fall here", LUCK_COLOR, "area"),)


def week_chart(frame: Frame, *, top: float = 0.0, size: Size = FULL) -> Chart:
    """Where the week goes: the average seller's hours per category, stacked, week by week."""
    data = frame.weekly
    stacked = data[[f"hours_{c}" for c in CATEGORIES]].sum(axis=1)
    high = max(top, frame.levers.work_hours + 5, float(stacked.max()) + 2)
    plot = Plot(frame.weeks, 0.0, high, width=size[0], height=size[1])
    plot.stack(_weeks(data), [(data[f"hours_{c}"].tolist(), category_color(c)) for c in CATEGORIES])
    mark_events(plot, frame)
    plot.now(frame.week)
    legend = tuple((category_label(c), category_color(c), "area") for c in CATEGORIES)
    title = f"Where the week goes: {frame.latest('selling_time_share'):.0%} selling"
    return Chart.of("week", title, plot, legend[::-1])


def stack_top(frame: Frame) -> float:
    """Height of the tallest week in the stacked hours (the working week plus overtime)."""
    return float(frame.weekly[[f"hours_{c}" for c in CATEGORIES]].sum(axis=1).max())


def share_chart(
    name: str,
    sides: Sequence[Side],
    title: str,
    band: tuple[float, float] | None,
    top: float,
    luck: Luck | None = None,
    raw: str | None = None,
    size: Size = HALF,
) -> Chart:
    """One share over time for one or more organizations, against the range in the field."""
    frame = sides[0][2]
    plot = Plot(frame.weeks, 0.0, top, y_label=percent, width=size[0], height=size[1])
    legend: list[tuple[str, str, str]] = []
    if band:
        plot.band(*band)
        legend.append(("typical in the field", "#e0e0e0", "area"))
    legend += _luck(plot, luck, name)
    for label, color, side in sides:
        if raw:  # the week-to-week wiggle, faint, behind the smoothed line
            weekly = side.weekly[raw]
            plot.line(_weeks(weekly), weekly.tolist(), color, width=1.2, opacity=0.35)
        shown = SHOWN[name](side.weekly)
        plot.line(_weeks(shown), shown.tolist(), color, css=f"line line-{name}")
        legend.append((label, color, "line"))
    mark_events(plot, *(f for _, _, f in sides))
    plot.now(frame.week)
    return Chart.of(name, title, plot, legend)


def selling_chart(sides: Sequence[Side], luck: Luck | None = None, size: Size = HALF) -> Chart:
    """Share of the working week spent selling (8-week average; the faint line: each week)."""
    return share_chart(
        "selling", sides, "Selling time", SELLING_BAND, 0.7, luck, "selling_time_share", size
    )


def quota_chart(sides: Sequence[Side], luck: Luck | None = None, size: Size = HALF) -> Chart:
    """Share of ramped sellers at or above quota over the trailing year."""
    return share_chart("quota", sides, "Sellers at quota", AT_QUOTA_BAND, 1.0, luck, size=size)


def seats_chart(sides: Sequence[Side], luck: Luck | None = None, size: Size = HALF) -> Chart:
    """Sellers in their seats, against the number of seats."""
    frame = sides[0][2]
    seats = frame.levers.n_sellers
    plot = Plot(frame.weeks, round(seats * 0.75), seats * 1.03, width=size[0], height=size[1])
    plot.level(seats)
    legend = list(_luck(plot, luck, "seats"))
    for label, color, side in sides:
        shown = SHOWN["seats"](side.weekly)
        plot.line(_weeks(shown), shown.tolist(), color, css="line line-seats")
        legend.append((label, color, "line"))
    mark_events(plot, *(f for _, _, f in sides))
    plot.now(frame.week)
    return Chart.of("seats", f"Sellers in their seats (of {seats})", plot, legend)


def leaving_chart(sides: Sequence[Side], luck: Luck | None = None, size: Size = HALF) -> Chart:
    """Sellers leaving a year (trailing 52 weeks): all of them, and those let go or fired."""
    frame = sides[0][2]
    plot = Plot(frame.weeks, 0.0, 0.7, y_label=percent, width=size[0], height=size[1])
    legend = list(_luck(plot, luck, "leaving"))
    for label, color, side in sides:
        data = side.weekly
        shown = SHOWN["leaving"](data)
        plot.line(_weeks(shown), shown.tolist(), color, css="line line-leaving")
        if len(sides) == 1:
            let_go = data["involuntary_attrition_rate"]
            plot.line(_weeks(data), let_go.tolist(), LET_GO_COLOR, dash="8 5", css="line")
            legend += [("all who left", color, "line"), ("let go or fired", LET_GO_COLOR, "dashed")]
        else:
            legend.append((label, color, "line"))
    mark_events(plot, *(f for _, _, f in sides))
    plot.now(frame.week)
    return Chart.of("leaving", "Leaving, per year", plot, legend)


def bookings_chart(sides: Sequence[Side], luck: Luck | None = None, size: Size = HALF) -> Chart:
    """Bookings a week in M$, averaged over the last quarter."""
    frame = sides[0][2]
    shown = [SHOWN["bookings"](side.weekly) for _, _, side in sides]
    high = max(float(s.max()) for s in shown) * 1.25 if len(shown[0]) else 1.0
    band = luck.band("bookings") if luck is not None else None
    if band is not None:
        high = max(high, float(np.max(band[2])) * 1.05)
    plot = Plot(frame.weeks, 0.0, max(high, 0.5), y_label=plain, width=size[0], height=size[1])
    legend = list(_luck(plot, luck, "bookings"))
    for (label, color, _), series in zip(sides, shown, strict=True):
        plot.line(_weeks(series), series.tolist(), color, css="line line-bookings")
        legend.append((label, color, "line"))
    mark_events(plot, *(f for _, _, f in sides))
    plot.now(frame.week)
    return Chart.of("bookings", "Bookings, M$ a week (13-week average)", plot, legend)


def single_charts(
    frame: Frame, luck: Luck | None = None, projector: bool = False
) -> dict[str, Chart]:
    """The charts of the one-organization page (the network is drawn by `network`)."""
    side = [(frame.scenario, SINGLE_COLOR, frame)]
    half = BIG if projector else HALF
    return {
        "week": week_chart(frame, size=BESIDE if projector else FULL),
        "selling": selling_chart(side, luck, half),
        "quota": quota_chart(side, luck, half),
        "bookings": bookings_chart(side, luck, half),
        "seats": seats_chart(side, luck, half),
        "leaving": leaving_chart(side, luck, half),
    }


def pair_charts(left: Frame, right: Frame) -> dict[str, Chart]:
    """The charts of the side-by-side page: each week on its own, the rest overlaid."""
    sides = [(f.scenario, c, f) for f, c in zip((left, right), SIDE_COLORS, strict=True)]
    top = max(stack_top(left), stack_top(right)) + 2
    return {
        "week-left": week_chart(left, top=top, size=HALF),
        "week-right": week_chart(right, top=top, size=HALF),
        "selling": selling_chart(sides),
        "quota": quota_chart(sides),
        "bookings": bookings_chart(sides),
        "leaving": leaving_chart(sides),
    }
