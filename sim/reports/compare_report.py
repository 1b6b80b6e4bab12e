"""The files a comparison leaves behind: summary.csv, weekly.csv, plots, report.html."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from sim.experiments.compare import Comparison
from sim.files import atomic_directory
from sim.reports.compare_plots import comparison_figures
from sim.reports.style import LABELS, fmt_value, png_bytes


def _effect(c: Comparison, name: str, metric: str) -> tuple[str, float, float, float]:
    """Verb and relative change (with interval) of `metric` against the reference."""
    reference = c.scenarios[0].name
    base = c.value(reference, metric)
    diff, low, high = (c.value(name, metric, k) for k in ("diff", "diff_low", "diff_high"))
    scale = abs(base) if base else 1.0
    verb = "raises" if low > 0 else "lowers" if high < 0 else "makes no clear difference to"
    return verb, diff / scale, low / scale, high / scale


def verdict(c: Comparison) -> list[str]:
    """A few plain sentences: what each scenario does to bookings, quota and attrition."""
    reference = c.scenarios[0].name
    replications = int(c.runs.replication.nunique())
    lines = []
    for scenario in c.scenarios[1:]:
        name = scenario.name
        verb, rel, low, high = _effect(c, name, "bookings")
        size = "" if verb.startswith("makes") else f" by {abs(rel):.0%}"
        at_quota = (
            c.value(reference, "quota_attainment_share"),
            c.value(name, "quota_attainment_share"),
        )
        leave = [
            c.value(s, "voluntary_attrition_rate") + c.value(s, "involuntary_attrition_rate")
            for s in (reference, name)
        ]
        lines.append(
            f"Compared with {reference}, {name} {verb} bookings{size} "
            f"(95% interval {low:+.0%} to {high:+.0%}), moves the share of ramped sellers at "
            f"quota from {at_quota[0]:.0%} to {at_quota[1]:.0%}, and annual attrition from "
            f"{leave[0]:.0%} to {leave[1]:.0%}."
        )
    best = max(c.scenarios, key=lambda s: c.value(s.name, "bookings")).name
    lines.append(f"Of these, {best} books the most over the final year.")
    lines.append(
        f"Each scenario ran {replications} times; run i of every scenario shared its random "
        "numbers, so the differences are paired. Intervals are 95% confidence intervals "
        "over runs: they say how sure the model is, not how sure the world is."
    )
    return lines


def render_html(c: Comparison, images: dict[str, bytes]) -> str:
    """A self-contained report page for a comparison."""
    names = [s.name for s in c.scenarios]
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    rows = []
    for metric in LABELS:
        if metric not in set(c.summary.metric):
            continue
        label, kind, _ = LABELS[metric]
        cells = []
        for name in names:
            mean, low, high = (c.value(name, metric, k) for k in ("mean", "ci_low", "ci_high"))
            cells.append(
                f"<td class=num>{fmt_value(mean, kind)}<br><small>{fmt_value(low, kind)} to "
                f"{fmt_value(high, kind)}</small></td>"
            )
        rows.append(f"<tr><td>{label}</td>{''.join(cells)}</tr>")
    descriptions = "".join(
        f"<li><b>{html.escape(s.name)}</b>: {html.escape(s.description)}</li>" for s in c.scenarios
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


def write_comparison(c: Comparison, out_dir: Path) -> Path:
    """Write summary.csv, runs.csv, weekly.csv, the PNG plots and report.html, atomically."""
    out_dir = Path(out_dir)
    with atomic_directory(out_dir) as scratch:
        c.summary.to_csv(scratch / "summary.csv", index=False)
        c.runs.to_csv(scratch / "runs.csv", index=False)
        c.weekly.to_csv(scratch / "weekly.csv", index=False)
        images = {stem: png_bytes(fig) for stem, fig in comparison_figures(c).items()}
        for stem, png in images.items():
            (scratch / f"{stem}.png").write_bytes(png)
        (scratch / "report.html").write_text(render_html(c, images), encoding="utf-8")
    return out_dir
