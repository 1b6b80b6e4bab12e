"""The session for the debrief, as one zip: levers and events, the weekly table, the charts.

`session_zip` packs, as of the week the page shows:

- `summary.html`: a short page to open after the workshop (the organization, what was
  moved when, the numbers at the start and now, the charts);
- `weekly.csv`: every weekly number of the run so far (week 0 is the start);
- `events.csv`: what changed, when (the scenario's interventions and the trainer's moves);
- `levers.csv`: every lever on the page, at the start and now, in the room's words;
- `session.json`: scenario, seed and moves, enough to replay the run exactly;
- `charts/*.svg`: the page's charts and the network, each with its title and legend;
- `luck.csv`: the range other seeds give, when the page showed it.
"""

from __future__ import annotations

import io
import json
import zipfile
from html import escape

import pandas as pd

from sim.workshop.charts import Chart, single_charts
from sim.workshop.controls import CONTROLS
from sim.workshop.frames import HEADLINE_LABELS, Frame, headline, snapshot
from sim.workshop.luck import LuckRange
from sim.workshop.network import HEIGHT, LEGEND, WIDTH, network_body, network_title
from sim.workshop.run import Run
from sim.workshop.svg import FONT

TITLE_UNITS = 34.0
LEGEND_ROW = 24.0


def _legend_rows(entries, width: float) -> list[list[tuple[str, str, str, float]]]:
    """Legend entries placed in rows that fit `width` (label, colour, kind, x)."""
    rows: list[list[tuple[str, str, str, float]]] = [[]]
    x = 0.0
    for label, color, kind in entries:
        size = 30 + 7.6 * len(label)
        if x and x + size > width:
            rows.append([])
            x = 0.0
        rows[-1].append((label, color, kind, x))
        x += size
    return [row for row in rows if row]


def _swatch(kind: str, color: str, x: float, y: float) -> str:
    if kind in ("line", "dashed", "bar"):
        dash = ' stroke-dasharray="6 4"' if kind == "dashed" else ""
        return (
            f'<line x1="{x}" x2="{x + 20}" y1="{y}" y2="{y}" stroke="{color}" '
            f'stroke-width="4"{dash}/>'
        )
    if kind == "note":
        return ""
    if kind in ("dot", "ring"):
        fill = "none" if kind == "ring" else color
        return f'<circle cx="{x + 7}" cy="{y}" r="6" fill="{fill}" stroke="{color}"/>'
    if kind == "triangle":
        return f'<polygon points="{x + 7},{y - 7} {x},{y + 6} {x + 14},{y + 6}" fill="{color}"/>'
    return f'<rect x="{x}" y="{y - 7}" width="14" height="14" fill="{color}"/>'


def standalone_svg(chart: Chart) -> str:
    """A chart as an SVG file of its own: title, legend and drawing."""
    rows = _legend_rows(chart.legend, chart.width)
    top = TITLE_UNITS + LEGEND_ROW * len(rows)
    parts = [
        f'<rect width="{chart.width:.0f}" height="{top + chart.height:.0f}" fill="white"/>',
        f'<text x="4" y="24" font-size="20" font-weight="700">{escape(chart.title)}</text>',
    ]
    for k, row in enumerate(rows):
        y = TITLE_UNITS + LEGEND_ROW * k + 10
        for label, color, kind, x in row:
            parts.append(_swatch(kind, color, x + 4, y))
            parts.append(
                f'<text x="{x + 30:.0f}" y="{y + 5:.0f}" font-size="14" fill="#424242">'
                f"{escape(label)}</text>"
            )
    parts.append(
        f'<svg x="0" y="{top:.0f}" width="{chart.width:.0f}" height="{chart.height:.0f}" '
        f'viewBox="0 0 {chart.width:.0f} {chart.height:.0f}">{chart.body}</svg>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width:.0f}" '
        f'height="{top + chart.height:.0f}" viewBox="0 0 {chart.width:.0f} '
        f'{top + chart.height:.0f}" style="{FONT}">{"".join(parts)}</svg>'
    )


def network_chart(frame: Frame) -> Chart:
    """The network as a chart (for files)."""
    return Chart("network", network_title(frame), network_body(frame), LEGEND, WIDTH, HEIGHT)


def levers_table(run: Run) -> pd.DataFrame:
    """Every lever on the page: its name in the room, at the start and now."""
    start, now = run.scenario.levers, run.levers_now()
    return pd.DataFrame(
        [
            {
                "lever": c.label,
                "at the start": c.show(getattr(start, c.lever)),
                "now": c.show(now[c.lever]),
                "name in the model": c.lever,
                "value at the start": getattr(start, c.lever),
                "value now": now[c.lever],
            }
            for c in CONTROLS
        ]
    )


def session_record(run: Run) -> dict:
    """What replays the run: scenario, seed, week and the moves."""
    return {
        "scenario": run.scenario.name,
        "seed": run.seed,
        "week": run.week,
        "weeks": run.weeks,
        "moves": [{"week": m.week, "lever": m.lever, "value": m.value} for m in run.moves],
        "replay": "sim.workshop.run.Run(scenario, seed, [Move(**m) for m in moves], week)",
    }


def summary_html(run: Run, frame: Frame, charts: dict[str, Chart], luck: bool) -> str:
    """A short page for the debrief."""
    start = headline(snapshot(Run(run.scenario, run.seed)))
    now = headline(frame)
    rows = "".join(
        f"<tr><td>{escape(HEADLINE_LABELS[k])}</td><td>{escape(start[k])}</td>"
        f"<td><b>{escape(now[k])}</b></td></tr>"
        for k in now
        if k != "week"
    )
    events = "".join(
        f"<li>{'at the start' if w == 0 else f'week {w}'}: {escape(note)}</li>"
        for w, note in frame.events
    )
    pictures = "".join(f"<div class='chart'>{standalone_svg(c)}</div>" for c in charts.values())
    note = (
        "<p>The blue bands: where 8 in 10 runs of the same organization with the same moves "
        "fall under other luck (other seeds).</p>"
        if luck
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Workshop: {escape(frame.scenario)}, week {frame.week}</title>
<style>body {{ font-family: Roboto, Helvetica, Arial, sans-serif; max-width: 1060px;
margin: 24px auto; color: #212121; }} td, th {{ padding: 4px 14px; text-align: left; }}
.chart svg {{ max-width: 100%; height: auto; margin: 12px 0; }}</style></head><body>
<h1>Where sellers' time goes: {escape(frame.scenario)}</h1>
<p>{escape(frame.description)}</p>
<p>Played to week {frame.week} of {frame.weeks}, seed {run.seed} (the same seed and the same
moves replay this run exactly: see session.json).</p>
<h2>The numbers</h2>
<table><tr><th></th><th>at the start</th><th>week {frame.week}</th></tr>{rows}</table>
<h2>What changed, when</h2><ul>{events or "<li>nothing: the scenario as written</li>"}</ul>
{note}<h2>The charts</h2>{pictures}
</body></html>
"""


def session_zip(run: Run, luck: LuckRange | None = None) -> bytes:
    """The session as a zip (see the module's docstring)."""
    frame = snapshot(run)
    shown = luck.up_to(frame.week) if luck is not None and luck.fits(run) else None
    charts = {**single_charts(frame, shown), "network": network_chart(frame)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("summary.html", summary_html(run, frame, charts, shown is not None))
        pack.writestr("weekly.csv", frame.weekly.to_csv())
        events = pd.DataFrame(frame.events, columns=["week", "what changed"])
        pack.writestr("events.csv", events.to_csv(index=False))
        pack.writestr("levers.csv", levers_table(run).to_csv(index=False))
        pack.writestr("session.json", json.dumps(session_record(run), indent=2))
        for name, chart in charts.items():
            pack.writestr(f"charts/{name}.svg", standalone_svg(chart))
        if shown is not None:
            pack.writestr("luck.csv", luck.table().loc[: frame.week].to_csv())
    return buffer.getvalue()


def file_name(run: Run) -> str:
    """The zip's name: the scenario, the seed and the week."""
    return f"workshop-{run.scenario.name}-seed{run.seed}-week{run.week}.zip"
