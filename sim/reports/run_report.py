"""The files a run leaves behind: tables, summary, plots and a self-contained HTML report."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from sim.experiments.journal import scenario_spec
from sim.experiments.runner import RunResult
from sim.files import write_folder
from sim.reports.run_plots import run_figures
from sim.reports.style import LEAD, bands_for, fmt_band, fmt_value, label_of, png_bytes
from sim.scenario.levers import lever_table

#: every file a run writes
RUN_FILES = (
    "weekly.csv",
    "people.csv",
    "summary.json",
    "report.html",
    "where_the_week_goes.png",
    "selling_time.png",
    "attainment.png",
    "people.png",
)
#: the organization's structure, in plain words: key -> (label, decimals)
STRUCTURE = {
    "sellers": ("Seller seats", 0),
    "managers": ("Front-line managers", 0),
    "sellers_per_manager": ("Sellers per manager", 1),
    "presales_engineers": ("Presales engineers", 0),
    "sellers_per_presales": ("Sellers per presales engineer", 1),
    "approval_desks": ("Approval desks a deal passes", 0),
    "deal_hops": ("Hand-offs a deal needs (its specialist and each desk)", 0),
    "asks_per_seller": ("Support functions sending asks to each seller", 1),
}


def ordered_figures(final: dict[str, float]) -> list[str]:
    """The final-year figures in reading order: the lead figures first, then the rest."""
    return [m for m in LEAD if m in final] + [m for m in final if m not in LEAD]


def lead_sentence(final: dict[str, float]) -> str:
    """Bookings first, per seat, then the share at quota and attrition, in one sentence."""
    parts = [f"bookings {fmt_value(final['bookings'], 'num')} k$ a week"]
    if "bookings_per_seat" in final:
        parts[0] += f" ({fmt_value(final['bookings_per_seat'], 'num1')} k$ per seat)"
    if "quota_attainment_share" in final:
        parts.append(f"{final['quota_attainment_share']:.0%} of ramped sellers at quota")
    if "attrition_rate" in final:
        parts.append(f"attrition {final['attrition_rate']:.0%} a year")
    if "selling_time_share" in final:
        parts.append(f"{final['selling_time_share']:.0%} of the week spent selling")
    return ", ".join(parts)


def headline(result: RunResult) -> str:
    """The console's one line about a run."""
    s = result.summary
    return (
        f"{s['scenario']} (seed {s['seed']}, {s['weeks']} weeks), final year: "
        f"{lead_sentence(s['final_year'])}"
    )


def structure_items(structure: dict[str, float], levers: dict[str, Any]) -> list[str]:
    """The organization as plain lines: "Sellers per presales engineer: 7.9"."""
    values = {"sellers": levers.get("n_sellers"), **structure}
    if values.get("sellers") and values.get("managers"):
        values["sellers_per_manager"] = values["sellers"] / values["managers"]
    items = []
    for key in [*STRUCTURE, *(k for k in values if k not in STRUCTURE)]:
        if values.get(key) is None:
            continue
        label, decimals = STRUCTURE.get(key, (key.replace("_", " ").capitalize(), 1))
        value = float(values[key])
        digits = 0 if value.is_integer() else decimals
        items.append(f"{label}: {value:,.{digits}f}")
    return items


def render_html(result: RunResult, images: dict[str, bytes]) -> str:
    """A self-contained report page (plots embedded) for one run."""
    s = result.summary
    first, last = s["final_year_weeks"]
    bands = bands_for(result.scenario.chain or (s["scenario"],))
    rows = []
    for name in ordered_figures(s["final_year"]):
        label, kind = label_of(name)
        band, whose = bands.get(name, (None, ""))
        public = f"{fmt_band(band)} <small>({html.escape(whose)})</small>" if band else ""
        rows.append(
            f"<tr><td>{label}</td><td class=num>{fmt_value(s['final_year'][name], kind)}</td>"
            f"<td>{public}</td></tr>"
        )
    structure = "".join(
        f"<li>{html.escape(item)}</li>" for item in structure_items(s["structure"], s["levers"])
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
        if name in defaults
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
.verdict {{ background: #f1f8e9; border-left: 4px solid #2e7d32; padding: 0.5em 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.changed td {{ background: #fff8e1; }} small {{ color: #757575; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
details {{ margin: 1em 0; }}
</style></head><body>
<h1>Scenario: {html.escape(s["scenario"])}</h1>
<p class=lead>{html.escape(s["description"])}</p>
<p class=verdict>Over the final year: {html.escape(lead_sentence(s["final_year"]))}.</p>
<p>Seed {s["seed"]}, {s["weeks"]} weeks. Figures are means over the final year
(weeks {first}-{last}); the right column gives the public range where one exists, and whose.</p>
<table><tr><th>Final year</th><th>value</th><th>public range</th></tr>{"".join(rows)}</table>
<h2>The organization</h2><ul>{structure}</ul>
<h2>Interventions</h2><ul>{events}</ul>
<h2>Plots</h2>{figures}
<details><summary>All levers (changed from the baseline defaults highlighted)</summary>
<table><tr><th>lever</th><th>value</th><th>unit</th><th>meaning</th></tr>{lever_rows}</table>
</details>
</body></html>
"""


def write_run_files(result: RunResult, folder: Path) -> None:
    """Write weekly.csv, people.csv, summary.json, the PNG plots and report.html."""
    folder = Path(folder)
    result.weekly.to_csv(folder / "weekly.csv")
    result.people.to_csv(folder / "people.csv", index=False)
    (folder / "summary.json").write_text(json.dumps(result.summary, indent=2) + "\n")
    bands = bands_for(result.scenario.chain or (result.scenario.name,))
    figures = run_figures(result.weekly, result.events, bands)
    images = {stem: png_bytes(fig) for stem, fig in figures.items()}
    for stem, png in images.items():
        (folder / f"{stem}.png").write_bytes(png)
    (folder / "report.html").write_text(render_html(result, images), encoding="utf-8")


def write_run(result: RunResult, out_dir: Path, *, force: bool = False) -> Path:
    """Write a run's folder (see `sim.files` for what may be written where).

    Everything is written to a scratch folder first and moved into place at the end, so
    an interrupted or failed write leaves no partial output.
    """
    spec = {"scenario": scenario_spec(result.scenario), "seed": result.seed}
    return write_folder(
        out_dir,
        "run",
        spec,
        lambda folder: write_run_files(result, folder),
        force=force,
        writes=RUN_FILES,
    )
