"""The live charts, drawn for the back of a room: big type, few colours, a fixed time axis.

Every function takes `Frame` snapshots (see `sim.workshop.models`) and returns a matplotlib
`Figure`; `to_png` turns one into the bytes the page shows. The time axis always spans
the whole run, so the room watches the curves grow from left to right.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from sim.reports.style import (
    AT_QUOTA_BAND,
    CATEGORY_COLORS,
    CATEGORY_LABELS,
    SELLING_BAND,
    STACK_ORDER,
)
from sim.workshop.models import Frame

#: Type sizes and lines for a projector.
ROOM_STYLE = {
    "font.size": 15,
    "axes.titlesize": 19,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 3.0,
}
#: The two organizations of the side-by-side page.
SIDE_COLORS = ("#d84315", "#1565c0")
FIRED_COLOR = "#c62828"
LABEL_INCHES = 0.65  # width of a "wk 26" label
SMOOTH_WEEKS = 8


def to_png(fig: Figure, dpi: int = 80) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(ROOM_STYLE):
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def room_figure(
    width: float, height: float, *, legend_width: float = 0.0, left: float = 0.95
) -> tuple[Figure, Axes]:
    """A figure with one axes and fixed margins (in inches), in the room style.

    Fixed margins instead of a layout engine: the page redraws every chart every week, and
    a layout engine draws each figure twice.

    Args:
        width: figure width in inches.
        height: figure height in inches.
        legend_width: room kept right of the axes for a legend.
        left: room kept left of the axes for the y labels.

    """
    with matplotlib.rc_context(ROOM_STYLE):
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(
            left=left / width,
            right=1 - (0.3 + legend_width) / width,
            top=1 - 0.5 / height,
            bottom=0.75 / height,
        )
        ax = fig.add_subplot()
    return fig, ax


def _mark_events(ax: Axes, *frames: Frame) -> None:
    """Mark when something changed, for every organization drawn.

    Interventions and the trainer's moves are dotted lines; firing reviews are red.
    """
    changes = sorted({w for f in frames for w, _ in f.events if w > 0})
    fired = {}
    for frame in frames:
        counts = frame.weekly["fired"].iloc[1:]
        for week, count in counts[counts > 0].items():
            fired[week] = fired.get(week, 0) + int(count)
    fig = ax.get_figure()
    inches = ax.get_position().width * fig.get_figwidth()
    room = max(f.weeks for f in frames) * LABEL_INCHES / inches  # closer labels would overlap
    last = -room
    for week in changes:
        _mark(ax, week, f"wk {week}", "#424242", ":", 3, label=week - last >= room)
        last = week if week - last >= room else last
    for week, count in sorted(fired.items()):
        _mark(ax, week, f"{count} fired", FIRED_COLOR, "--", 22)


def _mark(
    ax: Axes, week: int, text: str, color: str, style: str, lift: float, label: bool = True
) -> None:
    ax.axvline(week, color=color, lw=1.2, ls=style)
    if not label:
        return
    ax.annotate(
        text,
        (week, 0.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, lift),
        textcoords="offset points",
        fontsize=12,
        color=color,
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def _time_axis(ax: Axes, frame: Frame) -> None:
    ax.set_xlim(0, max(frame.weeks, 1))
    ax.set_xlabel("week")


def stack_top(frame: Frame) -> float:
    """Height of the tallest week in the stacked hours (the working week plus overtime)."""
    stacked = frame.weekly[[f"hours_{c}" for c in STACK_ORDER]].iloc[1:].sum(axis=1)
    return float(stacked.max()) if len(stacked) else 0.0


def week_figure(
    frame: Frame,
    *,
    width: float = 14.0,
    height: float = 4.0,
    top: float = 0.0,
    legend: bool = True,
) -> Figure:
    """Where the week goes: the average seller's hours per category, stacked, week by week."""
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height, legend_width=3.9 if legend else 0.0)
        data = frame.weekly.iloc[1:]
        if len(data):
            ax.stackplot(
                data.index,
                [data[f"hours_{c}"] for c in STACK_ORDER],
                labels=[CATEGORY_LABELS[c] for c in STACK_ORDER],
                colors=[CATEGORY_COLORS[c] for c in STACK_ORDER],
                alpha=0.95,
            )
        if legend:
            ax.legend(
                handles=_category_handles(),
                loc="center left",
                bbox_to_anchor=(1.0, 0.5),
                frameon=False,
            )
        _mark_events(ax, frame)
        _time_axis(ax, frame)
        ax.set_ylim(0, max(top, frame.levers.work_hours + 5, stack_top(frame) + 2))
        ax.set_ylabel("hours a week")
        selling = frame.latest("selling_time_share")
        ax.set_title(f"Where the week goes: {selling:.0%} selling", loc="left")
    return fig


def _category_handles() -> list[Patch]:
    """Legend entries for the hour categories, selling (the bottom layer) last."""
    return [Patch(color=CATEGORY_COLORS[c], label=CATEGORY_LABELS[c]) for c in STACK_ORDER][::-1]


def week_legend_figure(*, width: float = 16.0, height: float = 1.1) -> Figure:
    """The hour categories as a legend strip, for charts drawn without their own."""
    with matplotlib.rc_context(ROOM_STYLE):
        fig = Figure(figsize=(width, height))
        fig.legend(handles=_category_handles()[::-1], loc="center", ncols=5, frameon=False)
    return fig


def _share_lines(ax: Axes, sides: Sequence[tuple[str, str, Frame]], metric: str) -> None:
    for label, color, frame in sides:
        data = frame.weekly[metric].iloc[1:]
        if not len(data):
            continue
        smooth = data.rolling(SMOOTH_WEEKS, min_periods=1).mean()
        ax.plot(data.index, data, color=color, lw=1.0, alpha=0.35)
        ax.plot(smooth.index, smooth, color=color, label=label)


def share_figure(
    sides: Sequence[tuple[str, str, Frame]],
    metric: str,
    title: str,
    band: tuple[float, float] | None = None,
    *,
    top: float = 1.0,
    width: float = 7.0,
    height: float = 3.8,
) -> Figure:
    """One share over time for one or more organizations, against the public range.

    Args:
        sides: (label, colour, frame) for each organization drawn.
        metric: a model reporter that is a share (0-1).
        title: the chart's title.
        band: the public range, shaded.
        top: upper end of the axis.
        width: figure width in inches.
        height: figure height in inches.

    """
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height)
        if band:
            ax.axhspan(*band, color="#e0e0e0", label="typical in the field")
        _share_lines(ax, sides, metric)
        _mark_events(ax, *(f for _, _, f in sides))
        _time_axis(ax, sides[0][2])
        ax.set_ylim(0, top)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left", frameon=False, ncols=2)
    return fig


def selling_figure(sides: Sequence[tuple[str, str, Frame]], **kwargs) -> Figure:
    """Share of the working week spent selling."""
    return share_figure(
        sides, "selling_time_share", "Selling time", SELLING_BAND, top=0.7, **kwargs
    )


def quota_figure(sides: Sequence[tuple[str, str, Frame]], **kwargs) -> Figure:
    """Share of ramped sellers at or above quota over the trailing year."""
    return share_figure(
        sides, "quota_attainment_share", "Sellers at quota", AT_QUOTA_BAND, top=1.05, **kwargs
    )


def headcount_figure(
    sides: Sequence[tuple[str, str, Frame]], *, width: float = 7.0, height: float = 3.8
) -> Figure:
    """Sellers in their seats, against the number of seats."""
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height)
        for label, color, frame in sides:
            data = frame.weekly["headcount"].iloc[1:]
            if len(data):
                ax.plot(data.index, data, color=color, label=label)
        frame = sides[0][2]
        seats = frame.levers.n_sellers
        ax.axhline(seats, color="#9e9e9e", lw=1.2, ls="--")
        ax.set_ylim(seats * 0.75, seats * 1.03)
        ax.set_title(f"Sellers in their seats (of {seats})", loc="left")
        _mark_events(ax, frame)
        _time_axis(ax, frame)
        if len(sides) > 1:
            ax.legend(loc="lower left", frameon=False)
    return fig


def leaving_figure(
    sides: Sequence[tuple[str, str, Frame]], *, width: float = 7.0, height: float = 3.8
) -> Figure:
    """Sellers leaving a year (trailing 52 weeks): quitting and let go, or their sum."""
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height)
        for label, color, frame in sides:
            data = frame.weekly.iloc[1:]
            if not len(data):
                continue
            quit_rate = data["voluntary_attrition_rate"]
            let_go = data["involuntary_attrition_rate"]
            if len(sides) == 1:
                ax.plot(data.index, quit_rate, color=color, label="quit")
                ax.plot(data.index, let_go, color="#6d4c41", ls="--", label="let go or fired")
            else:
                ax.plot(data.index, quit_rate + let_go, color=color, label=label)
        ax.set_ylim(0, 0.7)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_title("Leaving, per year", loc="left")
        _mark_events(ax, *(f for _, _, f in sides))
        _time_axis(ax, sides[0][2])
        if ax.lines:
            ax.legend(loc="upper left", frameon=False, ncols=2)
    return fig


def bookings_figure(
    sides: Sequence[tuple[str, str, Frame]], *, width: float = 7.0, height: float = 3.8
) -> Figure:
    """Bookings a week, smoothed over a quarter."""
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height)
        for label, color, frame in sides:
            data = frame.weekly["bookings"].iloc[1:]
            if len(data):
                quarter = data.rolling(13, min_periods=1).mean() / 1000
                ax.plot(quarter.index, quarter, color=color, label=label)
        _mark_events(ax, *(f for _, _, f in sides))
        _time_axis(ax, sides[0][2])
        ax.set_ylim(bottom=0)
        ax.set_ylabel("M$ a week")
        ax.set_title("Bookings (13-week average)", loc="left")
        if ax.lines:
            ax.legend(loc="upper left", frameon=False)
    return fig
