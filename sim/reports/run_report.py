"""The files a run leaves behind: tables, summary, plots and a self-contained HTML report."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from sim.experiments.runner import RunResult
from sim.files import atomic_directory
from sim.reports.run_plots import run_figures
from sim.reports.style import LABELS, fmt_value, png_bytes
from sim.scenario.levers import lever_table


def render_html(result: RunResult, images: dict[str, bytes]) -> str:
    """A self-contained report page (plots embedded) for one run."""
    s = result.summary
    first, last = s["final_year_weeks"]
    rows = []
    for name, value in s["final_year"].items():
        label, kind, band = LABELS[name]
        public = f"{band[0]:.0%}-{band[1]:.0%}" if band else ""
        rows.append(
            f"<tr><td>{label}</td><td class=num>{fmt_value(value, kind)}</td><td>{public}</td></tr>"
        )
    structure = "".join(
        f"<li>{html.escape(k.replace('_', ' '))}: {v:g}</li>" for k, v in s["structure"].items()
    )
    events = (
        "".join(f"<li>week {e['week']}: {html.escape(e['note'])}</li>" for e in s["interventions"])
        or "<li>none</li>"
    )
    defaults = {row["name"]: row for row in lever_table()}
    lever_rows = "".join(
        f"<tr{' class=changed' if value != defaults[name]['default'] else ''}>"
        f"<td>{name}</td><td class=num>{value}</td><td>{html.escape(defaults[name]['unit'])}</td>"
        f"<td>{html.escape(defaults[name]['doc'])}</td></tr>"
        for name, value in s["levers"].items()
    )
    figures = "".join(
        f'<figure><img alt="{stem}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for stem, png in images.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>salesorg-sim: {html.escape(s["scenario"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #212121; }}
h1 {{ margin-bottom: 0.2em; }} .lead {{ color: #555; margin-top: 0; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.changed td {{ background: #fff8e1; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
details {{ margin: 1em 0; }}
</style></head><body>
<h1>Scenario: {html.escape(s["scenario"])}</h1>
<p class=lead>{html.escape(s["description"])}</p>
<p>Seed {s["seed"]}, {s["weeks"]} weeks. Figures are means over the final year
(weeks {first}-{last}); the right column gives the public range where one exists.</p>
<table><tr><th>Final year</th><th>value</th><th>public range</th></tr>{"".join(rows)}</table>
<h2>The organization</h2><ul>{structure}</ul>
<h2>Interventions</h2><ul>{events}</ul>
<h2>Plots</h2>{figures}
<details><summary>All levers (changed from the baseline defaults highlighted)</summary>
<table><tr><th>lever</th><th>value</th><th>unit</th><th>meaning</th></tr>{lever_rows}</table>
</details>
</body></html>
"""


def write_run(result: RunResult, out_dir: Path) -> Path:
    """Write weekly.csv, people.csv, summary.json, the PNG plots and report.html.

    Everything is written to a scratch folder first and moved into place at the end, so
    an interrupted or failed write leaves no partial output.
    """
    out_dir = Path(out_dir)
    with atomic_directory(out_dir) as scratch:
        result.weekly.to_csv(scratch / "weekly.csv")
        result.people.to_csv(scratch / "people.csv", index=False)
        (scratch / "summary.json").write_text(json.dumps(result.summary, indent=2) + "\n")
        images = {
            stem: png_bytes(fig) for stem, fig in run_figures(result.weekly, result.events).items()
        }
        for stem, png in images.items():
            (scratch / f"{stem}.png").write_bytes(png)
        (scratch / "report.html").write_text(render_html(result, images), encoding="utf-8")
    return out_dir
