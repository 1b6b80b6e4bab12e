"""The files a comparison leaves behind: summary.csv, weekly.csv, plots, report.html."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from sim.experiments.compare import Comparison
from sim.experiments.journal import BAD, JOURNAL, scenario_spec
from sim.experiments.pricing import pricing_table, sentence
from sim.files import LOCK, write_folder
from sim.reports.compare_plots import comparison_figures
from sim.reports.style import LEAD, fmt_change, fmt_span, fmt_value, label_of, png_bytes
from sim.scenario import Scenario

#: every file a comparison writes (its journal, runs.jsonl, is written as runs finish)
COMPARE_FILES = (
    "summary.csv",
    "pricing.csv",
    "runs.csv",
    "weekly.csv",
    "trajectories.png",
    "where_the_week_goes.png",
    "report.html",
)
JOURNAL_FILES = (JOURNAL, BAD, LOCK)
#: how the verdict names the figures it speaks of
NOUNS = {
    "bookings": "bookings",
    "bookings_per_seat": "bookings per seat",
    "quota_attainment_share": "the share of ramped sellers at quota",
    "attrition_rate": "annual attrition",
}


def compare_spec(scenarios: list[Scenario], seed: int) -> dict:
    """What a comparison computes, replications aside (more of them reuse the first ones)."""
    return {"scenarios": [scenario_spec(s) for s in scenarios], "seed": seed}


def _verb(low: float, high: float) -> str:
    return "raises" if low > 0 else "lowers" if high < 0 else "makes no clear difference to"


def _signed_percent(share: float) -> str:
    """A share as a signed whole percentage, never "-0%" ("+0%" for -0.4%)."""
    return f"{round(100 * share):+d}%"


def clause(c: Comparison, name: str, metric: str) -> str:
    """What `name` does to one figure against the reference, with its 95% interval."""
    reference = c.scenarios[0].name
    base, value = c.value(reference, metric), c.value(name, metric)
    diff, low, high = (c.value(name, metric, k) for k in ("diff", "diff_low", "diff_high"))
    verb, noun = _verb(low, high), NOUNS.get(metric, label_of(metric)[0].lower())
    _, kind = label_of(metric)
    if metric == "bookings":
        scale = abs(base) if base else 1.0
        size = "" if verb.startswith("makes") else f" by {abs(diff / scale):.0%}"
        span = f"{_signed_percent(low / scale)} to {_signed_percent(high / scale)}"
        return f"{verb} {noun}{size} (95% interval {span})"
    unit = " k$ a week" if metric == "bookings_per_seat" else ""
    change = fmt_change(diff, kind)
    span = fmt_span(low, high, kind)
    return (
        f"{verb} {noun}: {fmt_value(base, kind)} to {fmt_value(value, kind)}{unit} "
        f"({change}, 95% interval {span})"
    )


def verdict(c: Comparison) -> list[str]:
    """Plain sentences: bookings and bookings per seat first, then quota and attrition."""
    reference = c.scenarios[0].name
    replications = int(c.runs.replication.nunique())
    present = set(c.summary.metric)
    lines = []
    for scenario in c.scenarios[1:]:
        parts = [clause(c, scenario.name, m) for m in LEAD if m in present]
        body = "; ".join(parts[:-1]) + ("; and " if len(parts) > 1 else "") + parts[-1]
        lines.append(f"Compared with {reference}, {scenario.name} {body}.")
        if {"cost", "margin", "contribution"} <= present:
            lines.append(sentence(c, scenario.name))
    best = max(c.scenarios, key=lambda s: c.value(s.name, "bookings")).name
    lines.append(f"Of these, {best} books the most over the final year.")
    lines.append(
        f"Each scenario ran {replications} times; run i of every scenario shared its random "
        "numbers, so the differences are paired. Intervals are 95% confidence intervals "
        "over runs: they say how sure the model is, not how sure the world is."
    )
    if c.draws:
        lines.append(
            f"Each replication drew its levers from a calibration's posterior "
            f"({min(c.draws, replications):,} of its {c.draws:,} draws): the intervals cover "
            "what the organization's data leave open as well as luck."
        )
    return lines


def render_html(c: Comparison, images: dict[str, bytes]) -> str:
    """A self-contained report page for a comparison."""
    names = [s.name for s in c.scenarios]
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    present = list(dict.fromkeys(c.summary.metric))
    rows = []
    for metric in [m for m in LEAD if m in present] + [m for m in present if m not in LEAD]:
        label, kind = label_of(metric)
        cells = []
        for name in names:
            mean, low, high = (c.value(name, metric, k) for k in ("mean", "ci_low", "ci_high"))
            cells.append(
                f"<td class=num>{fmt_value(mean, kind)}<br><small>{fmt_value(low, kind)} to "
                f"{fmt_value(high, kind)}</small></td>"
            )
        rows.append(f"<tr><td>{label}</td>{''.join(cells)}</tr>")
    descriptions = "".join(
        f"<li><b>{html.escape(s.name)}</b>: {html.escape(s.description)}"
        + "".join(
            f"<br><small>week {iv.week}: {html.escape(iv.note or str(dict(iv.set)))}</small>"
            for iv in s.interventions
        )
        + "</li>"
        for s in c.scenarios
    )
    figures = "".join(
        f'<figure><img alt="{stem}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for stem, png in images.items()
    )
    said = "".join(f"<p>{html.escape(line)}</p>" for line in verdict(c))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>salesorg-sim: {html.escape(" vs ".join(names))}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; color: #212121; }}
.verdict {{ background: #f1f8e9; border-left: 4px solid #2e7d32; padding: 0.5em 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
small {{ color: #757575; }} figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>{html.escape(" vs ".join(names))}</h1>
<div class=verdict>{said}</div>
<h2>The scenarios</h2><ul>{descriptions}</ul>
<h2>Final year, mean over runs (95% interval beneath)</h2>
<table><tr><th></th>{head}</tr>{"".join(rows)}</table>
<h2>Plots</h2>{figures}
</body></html>
"""


def write_comparison_files(c: Comparison, folder: Path) -> None:
    """Write summary.csv, runs.csv, weekly.csv, the PNG plots and report.html into `folder`."""
    folder = Path(folder)
    c.summary.to_csv(folder / "summary.csv", index=False)
    if "contribution" in set(c.summary.metric):
        pricing_table(c).to_csv(folder / "pricing.csv", index=False)
    c.runs.to_csv(folder / "runs.csv", index=False)
    c.weekly.to_csv(folder / "weekly.csv", index=False)
    images = {stem: png_bytes(fig) for stem, fig in comparison_figures(c).items()}
    for stem, png in images.items():
        (folder / f"{stem}.png").write_bytes(png)
    (folder / "report.html").write_text(render_html(c, images), encoding="utf-8")


def write_comparison(c: Comparison, out_dir: Path, *, force: bool = False) -> Path:
    """Write a comparison's folder (see `sim.files` for what may be written where)."""
    return write_folder(
        out_dir,
        "compare",
        compare_spec(c.scenarios, c.seed),
        lambda folder: write_comparison_files(c, folder),
        force=force,
        writes=COMPARE_FILES,
    )
