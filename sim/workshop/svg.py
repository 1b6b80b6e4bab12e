"""Plain SVG plots: a week axis, lines, stacked areas, shaded bands and marks.

The live page redraws its charts every week while it plays, several times a second, so
a chart is a short SVG string built here (about a millisecond) and sent to the browser,
instead of a PNG drawn by matplotlib (about 100 ms each). Titles and legends are HTML
around the SVG (see `sim.workshop.panels`), so the page's type sizes apply to them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "font-family: Roboto, Helvetica, Arial, sans-serif"


def percent(value: float) -> str:
    """0.25 -> '25%'."""
    return f"{value:.0%}"


def plain(value: float) -> str:
    """A tick label without needless decimals (0.25, 1.5, 20)."""
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.3g}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about `count` of them."""
    if high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9 * step:
        ticks.append(round(value, 10))
        value += step
    return ticks


def week_ticks(weeks: int, most: int = 7) -> list[int]:
    """Ticks of a run's weeks on quarters, half years or years (at most `most` + 1)."""
    step = next((s for s in (1, 2, 4, 13, 26, 52, 104, 260) if weeks / s <= most), 520)
    return list(range(0, weeks + 1, step))


def _points(xs: Sequence[float], ys: Sequence[float], fx, fy) -> str:
    return " ".join(f"{fx(x):.1f},{fy(y):.1f}" for x, y in zip(xs, ys, strict=True))


@dataclass
class Plot:
    """One chart against the weeks of a run, in SVG user units (scaled to its box).

    Args:
        weeks: the run's length: the x axis spans 0 to `weeks`, so curves grow to the right.
        low: bottom of the y axis.
        high: top of the y axis.
        y_label: how a y tick reads (default: a plain number).
        width: SVG width in user units.
        height: SVG height in user units.

    """

    weeks: int
    low: float
    high: float
    y_label: Callable[[float], str] = plain
    width: float = 640.0
    height: float = 300.0
    left: float = 58.0
    right: float = 14.0
    top: float = 10.0
    bottom: float = 34.0
    parts: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)

    def x(self, week: float) -> float:
        """Horizontal position of a week."""
        span = self.width - self.left - self.right
        return self.left + span * week / max(self.weeks, 1)

    def y(self, value: float) -> float:
        """Vertical position of a value (clipped to the axis)."""
        span = self.height - self.top - self.bottom
        share = (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0
        return self.top + span * (1.0 - min(max(share, -0.02), 1.02))

    def band(self, low: float, high: float, color: str = "#e0e0e0") -> None:
        """A horizontal band across the whole run (a typical range)."""
        top, bottom = self.y(high), self.y(low)
        self.parts.append(
            f'<rect class="band" x="{self.left:.1f}" y="{top:.1f}" '
            f'width="{self.x(self.weeks) - self.left:.1f}" height="{bottom - top:.1f}" '
            f'fill="{color}"/>'
        )

    def area(
        self,
        xs: Sequence[float],
        lows: Sequence[float],
        highs: Sequence[float],
        color: str,
        opacity: float = 0.25,
        css: str = "area",
    ) -> None:
        """A shaded area between two curves (e.g. the range luck gives)."""
        if not len(xs):
            return
        upper = _points(xs, highs, self.x, self.y)
        lower = _points(list(xs)[::-1], list(lows)[::-1], self.x, self.y)
        self.parts.append(
            f'<polygon class="{css}" points="{upper} {lower}" fill="{color}" '
            f'fill-opacity="{opacity}" stroke="none"/>'
        )

    def stack(self, xs: Sequence[float], layers: Sequence[tuple[Sequence[float], str]]) -> None:
        """Areas stacked from the bottom up, one per (values, colour).

        A single week (the start) is drawn one week wide, so the room sees it at once.
        """
        if not len(xs):
            return
        if len(xs) == 1:
            xs = [xs[0], xs[0] + 1]
            layers = [([v[0], v[0]], color) for v, color in layers]
        base = [0.0] * len(xs)
        for values, color in layers:
            top = [b + v for b, v in zip(base, values, strict=True)]
            self.area(xs, base, top, color, opacity=0.95, css="layer")
            base = top

    def line(
        self,
        xs: Sequence[float],
        ys: Sequence[float],
        color: str,
        width: float = 3.0,
        dash: str = "",
        opacity: float = 1.0,
        css: str = "line",
    ) -> None:
        """A curve over the weeks (a dot while it has a single week)."""
        if not len(xs):
            return
        if len(xs) == 1:
            self.parts.append(
                f'<circle class="{css}" cx="{self.x(xs[0]):.1f}" cy="{self.y(ys[0]):.1f}" '
                f'r="{width + 1.5}" fill="{color}" fill-opacity="{opacity}"/>'
            )
            return
        style = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<polyline class="{css}" points="{_points(xs, ys, self.x, self.y)}" fill="none" '
            f'stroke="{color}" stroke-width="{width}" stroke-opacity="{opacity}"'
            f' stroke-linejoin="round"{style}/>'
        )

    def level(self, value: float, color: str = "#9e9e9e", dash: str = "6 4") -> None:
        """A horizontal reference line (e.g. the number of seats)."""
        y = self.y(value)
        self.parts.append(
            f'<line x1="{self.left:.1f}" x2="{self.x(self.weeks):.1f}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{color}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
        )

    def mark(self, week: float, text: str, color: str, dash: str, lift: float = 0.0) -> None:
        """A vertical line at a week, labelled near the bottom (a change, a firing review)."""
        x = self.x(week)
        bottom = self.height - self.bottom
        label = ""
        if text:
            y = bottom - 6 - lift
            label = (
                f'<text x="{x + 4:.1f}" y="{y:.1f}" font-size="13" fill="{color}" '
                f'paint-order="stroke" stroke="white" stroke-width="4">{escape(text)}</text>'
            )
        self.marks.append(
            f'<g class="mark"><line x1="{x:.1f}" x2="{x:.1f}" y1="{self.top:.1f}" '
            f'y2="{bottom:.1f}" stroke="{color}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f"{label}</g>"
        )

    def now(self, week: float) -> None:
        """A faint line at the week the run has reached."""
        x = self.x(week)
        self.marks.append(
            f'<line class="now" x1="{x:.1f}" x2="{x:.1f}" y1="{self.top:.1f}" '
            f'y2="{self.height - self.bottom:.1f}" stroke="#212121" stroke-opacity="0.25" '
            'stroke-width="1"/>'
        )

    def _axes(self) -> str:
        bottom, right = self.height - self.bottom, self.x(self.weeks)
        out = [
            f'<line x1="{self.left}" x2="{right:.1f}" y1="{bottom}" y2="{bottom}" '
            'stroke="#616161" stroke-width="1.2"/>',
            f'<line x1="{self.left}" x2="{self.left}" y1="{self.top}" y2="{bottom}" '
            'stroke="#616161" stroke-width="1.2"/>',
        ]
        for tick in nice_ticks(self.low, self.high):
            y = self.y(tick)
            out.append(
                f'<line x1="{self.left}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                'stroke="#000" stroke-opacity="0.07"/>'
                f'<text x="{self.left - 6}" y="{y + 5:.1f}" font-size="15" text-anchor="end" '
                f'fill="#424242">{escape(self.y_label(tick))}</text>'
            )
        for tick in week_ticks(self.weeks):
            x = self.x(tick)
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}" '
                'stroke="#616161"/>'
                f'<text x="{x:.1f}" y="{bottom + 21}" font-size="15" text-anchor="middle" '
                f'fill="#424242">{tick:.0f}</text>'
            )
        return "".join(out)

    def body(self) -> str:
        """The chart's SVG elements, without the enclosing <svg>."""
        return f"{''.join(self.parts)}{self._axes()}{''.join(self.marks)}"

    def svg(self, css: str = "") -> str:
        """The chart as an SVG element that fills its box's width."""
        return wrap(self.body(), self.width, self.height, css)


def wrap(body: str, width: float, height: float, css: str = "") -> str:
    """SVG elements as an <svg> of `width` x `height` units that fills its box's width."""
    return (
        f'<svg class="{css}" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'style="{FONT}; display: block" xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
