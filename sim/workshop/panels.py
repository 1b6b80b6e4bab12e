"""The solara pieces of the pages: headline numbers, charts, the network, events, levers.

Charts arrive as SVG strings (`sim.workshop.charts`); titles and legends are HTML here, so
the page's type sizes (and projector mode's larger ones) apply to them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import solara

from sim.workshop.charts import Chart
from sim.workshop.controls import CONTROLS, GROUPS, LeverControl, next_review
from sim.workshop.frames import HEADLINE_HELP, HEADLINE_LABELS, Frame, headline
from sim.workshop.network import LEGEND, network_svg, network_title
from sim.workshop.run import Run

SMALL = "font-size: 0.95rem; color: #555"
HELP = "font-size: 0.78rem; color: #616161; line-height: 1.15"
SWATCH = {
    "area": "display:inline-block;width:14px;height:14px;background:{c}",
    "line": "display:inline-block;width:22px;height:4px;background:{c};vertical-align:middle",
    "dashed": "display:inline-block;width:22px;border-top:4px dashed {c};vertical-align:middle",
    "dot": "display:inline-block;width:13px;height:13px;border-radius:50%;background:{c}",
    "ring": "display:inline-block;width:11px;height:11px;border-radius:50%;border:2px solid {c}",
    "square": "display:inline-block;width:13px;height:13px;background:{c}",
    "triangle": "display:inline-block;width:0;height:0;border-left:8px solid transparent;"
    "border-right:8px solid transparent;border-bottom:14px solid {c}",
    "diamond": "display:inline-block;width:11px;height:11px;background:{c};transform:rotate(45deg)",
    "bar": "display:inline-block;width:22px;height:6px;background:{c};vertical-align:middle",
    "note": "display:none",
}


def legend_html(
    entries: tuple[tuple[str, str, str], ...], css: str = "legend", column: bool = False
) -> str:
    """Legend entries as a line (or a column) of swatches and labels."""
    place = "display:block" if column else "margin-right:14px"
    items = "".join(
        f'<span class="legend-item" style="{place};white-space:nowrap">'
        f'<span style="{SWATCH[kind].format(c=color)}"></span> {escape(label)}</span>'
        for label, color, kind in entries
    )
    return f'<div class="{css}" style="line-height:1.6">{items}</div>'


@solara.component
def Headline(frame: Frame, side: str = "single", color: str = "#1565c0") -> None:
    """The numbers the room reads from the back: week, selling time, at quota, leaving."""
    values = headline(frame)
    style = f"border-left: 8px solid {color}; padding: 4px 12px; flex-wrap: wrap"
    with solara.Row(classes=["headline", f"headline-{side}"], style=style, gap="26px"):
        for key, value in values.items():
            with solara.Column(gap="0px", classes=[f"tile-{key}"]):
                solara.HTML(
                    "span",
                    escape(HEADLINE_LABELS[key]),
                    classes=["tile-label"],
                    attributes={"title": HEADLINE_HELP[key]},
                )
                solara.Text(value, classes=["value", f"value-{key}"])


@solara.component
def ChartBox(chart: Chart, legend_beside: bool = False) -> None:
    """One chart: its title, legend (above, or beside it) and drawing, as wide as its column."""
    title = f'<div class="chart-title">{escape(chart.title)}</div>'
    if legend_beside:
        legend = legend_html(chart.legend[::-1], column=True)
        html = (
            f'{title}<div style="display:flex;align-items:center;gap:10px">'
            f'<div style="flex:2;min-width:0">{chart.svg}</div>'
            f'<div style="flex:1">{legend}</div></div>'
        )
    else:
        html = f"{title}{legend_html(chart.legend) if chart.legend else ''}{chart.svg}"
    solara.HTML("div", html, classes=["chart", f"chart-{chart.name}"], style="width: 100%")


@solara.component
def ChartGrid(
    charts: dict[str, Chart], rows: list[tuple[str, ...]], beside: tuple[str, ...] = ()
) -> None:
    """Charts in rows of equal columns (`beside`: charts with their legend beside them)."""
    for row in rows:
        with solara.Columns([1] * len(row)):
            for name in row:
                ChartBox(charts[name], legend_beside=name in beside)


@solara.component
def NetworkBox(frame: Frame) -> None:
    """The organization drawn as a network, with its legend."""
    html = (
        f'<div class="chart-title">{escape(network_title(frame))}</div>'
        f"{legend_html(LEGEND, 'legend network-legend')}{network_svg(frame)}"
    )
    solara.HTML("div", html, classes=["chart", "chart-network"], style="width: 100%")


@solara.component
def Events(frame: Frame) -> None:
    """What changed, when: the scenario's interventions and the levers the trainer moved."""
    if not frame.events:
        return
    lines = "".join(
        f"<div>{'at start' if week == 0 else f'week {week}'}: {escape(note)}</div>"
        for week, note in frame.events
    )
    solara.HTML(
        "div",
        f'<div class="chart-title">What changed, when</div>{lines}',
        classes=["events"],
        style="padding: 0 12px; font-size: 1rem",
    )


@solara.component
def LeverInput(
    control: LeverControl,
    value: Any,
    start: Any,
    pending: bool,
    on_value: Callable[[Any], None],
    disabled: bool = False,
    note: str | None = None,
) -> None:
    """One lever: its name for the room, its value, the control and a one-line hint."""
    with solara.Column(gap="0px", classes=["lever", f"lever-{control.lever}"]):
        with solara.Row(justify="space-between", style="align-items: baseline", gap="6px"):
            solara.Text(control.label, classes=["lever-label"])
            solara.Text(control.shown(value, start), classes=["lever-value"])
        if control.choices:
            _choice(control, value, on_value, disabled)
        else:
            low, high = control.bounds(value)
            slider = solara.SliderInt if control.is_integer else solara.SliderFloat
            slider(
                label="",
                value=value,
                min=low,
                max=high,
                step=int(control.step) if control.is_integer else control.step,
                on_value=on_value,
                thumb_label=False,
                disabled=disabled,
            )
        if pending:
            solara.Text("takes effect next week", classes=["lever-help", "pending"])
        else:
            solara.Text(control.hint if note is None else note, classes=["lever-help", "hint"])


def _choice(
    control: LeverControl, value: Any, on_value: Callable[[Any], None], disabled: bool
) -> None:
    options = dict(control.choices)
    if value not in options:
        options[value] = control.show(value)
    by_label = {label: choice for choice, label in options.items()}
    solara.Select(
        label="",
        values=list(by_label),
        value=options[value],
        on_value=lambda label: on_value(by_label[label]),
        dense=True,
        disabled=disabled,
        classes=["lever-select"],
    )


@solara.component
def LeverPanel(run: Run, version: int, on_change: Callable[[], None]) -> None:
    """The levers, grouped; a move reaches the running organization from the next week.

    `version` is the run's: a new one shows its levers anew.
    """
    now = run.levers_now()
    pending = run.pending
    start = run.scenario.levers

    def move(lever: str, value: Any) -> None:
        run.move(lever, value)
        on_change()

    with solara.Column(gap="0px", classes=["levers"]):
        for group in GROUPS:
            solara.Text(group, classes=["lever-group"])
            for control in (c for c in CONTROLS if c.group == group):
                LeverInput(
                    control,
                    now[control.lever],
                    getattr(start, control.lever),
                    control.lever in pending,
                    lambda v, lever=control.lever: move(lever, v),
                    disabled=not run.running,
                )
                if control.lever == "fire_bottom_share":
                    upcoming = run.model.levers.model_copy(update=pending)
                    review = next_review(upcoming, run.week + 1)
                    if review is not None and review <= run.weeks:
                        solara.Text(f"Next firing review: week {review}", classes=["lever-help"])
