"""The files a diagnosis leaves behind: plain words first, then numbers with intervals."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import numpy as np

from sim.diagnosis.counterfactuals import ACT_WEEK, final_levers
from sim.diagnosis.diagnose import ATTRIBUTED, Diagnosis
from sim.diagnosis.plots import diagnosis_figures, signed
from sim.diagnosis.reference import Reference
from sim.diagnosis.sellers import FACTORS
from sim.diagnosis.story import PART_LABELS, share, story
from sim.experiments.journal import scenario_spec
from sim.experiments.pricing import money
from sim.files import write_folder
from sim.reports.style import fmt_change, fmt_span, fmt_value, png_bytes
from sim.scenario import Scenario

#: every file a diagnosis writes
DIAGNOSIS_FILES = (
    "outcomes.csv",
    "attribution.csv",
    "split.csv",
    "ranking.csv",
    "sellers.csv",
    "examples.csv",
    "summary.json",
    "report.html",
    "waterfall.png",
    "split.png",
    "ranking.png",
    "sellers.png",
)
METRICS = {
    "mean_attainment": ("Mean attainment of ramped sellers", "pct"),
    "quota_attainment_share": ("Ramped sellers at quota", "pct"),
    "bookings": ("Bookings per week (k$)", "num"),
    "selling_time_share": ("Share of the week spent selling", "pct"),
    "attrition_rate": ("Attrition, voluntary and involuntary (a year)", "pct"),
}


def _range(low: float, high: float, kind: str = "pct") -> str:
    return f"{fmt_value(low, kind)} to {fmt_value(high, kind)}"


def _attribution_table(d: Diagnosis) -> str:
    head = "".join(f"<th>{html.escape(METRICS[m][0])}</th>" for m in ATTRIBUTED)
    rows = []
    for group in d.reference.groups:
        cells = []
        for metric in ATTRIBUTED:
            t = d.attribution
            row = t[(t.metric == metric) & (t.group == group.name)].iloc[0]
            kind = METRICS[metric][1]
            cells.append(
                f"<td class=num>{fmt_change(row.value, kind)} ({share(row.share)})<br>"
                f"<small>{fmt_span(row.value_low, row.value_high, kind)}</small></td>"
            )
        rows.append(f"<tr><td>{html.escape(group.label)}</td>{''.join(cells)}</tr>")
    for key, label in (("healthy", "Healthy reference"), ("today", "Today"), ("gap", "Gap")):
        show = _gap_cell if key == "gap" else _level_cell
        cells = "".join(show(*d.endpoints[m][key], METRICS[m][1]) for m in ATTRIBUTED)
        rows.append(f"<tr><td><b>{label}</b></td>{cells}</tr>")
    return f"<table><tr><th>Cause (share of the gap)</th>{head}</tr>{''.join(rows)}</table>"


def _level_cell(mean: float, low: float, high: float, kind: str) -> str:
    return (
        f"<td class=num><b>{fmt_value(mean, kind)}</b><br>"
        f"<small>{_range(low, high, kind)}</small></td>"
    )


def _gap_cell(mean: float, low: float, high: float, kind: str) -> str:
    return (
        f"<td class=num><b>{fmt_change(mean, kind)}</b><br>"
        f"<small>{fmt_span(low, high, kind)}</small></td>"
    )


def _ranking_table(d: Diagnosis) -> str:
    rows = "".join(
        f"<tr><td>{r.rank}</td><td>{html.escape(r.label)}</td><td>{r.kind}</td>"
        f"<td class=num>{signed(r.gain)}<br><small>{signed(r.gain_low)} to "
        f"{signed(r.gain_high)}</small></td><td class=num>{signed(r.shapley)}</td>"
        f"<td class=num>{r.selling_hours_freed:,.0f}</td>"
        f"<td class=num>{r.support_hours_taken:+,.0f}</td>"
        f"<td class=num>{money(getattr(r, 'cost_year', float('nan')))}</td>"
        f"<td class=num>{money(getattr(r, 'contribution_year', float('nan')))}</td></tr>"
        for r in d.ranking.itertuples()
    )
    return (
        "<table><tr><th>#</th><th>Group</th><th>Kind</th>"
        "<th>Attainment, fixed alone now (points of quota)</th>"
        "<th>Fair share of the gap (points)</th><th>Selling hours freed a week</th>"
        "<th>Support hours a week it takes</th><th>Cost a year</th>"
        f"<th>Contribution a year</th></tr>{rows}</table>"
    )


def _reference_table(d: Diagnosis) -> str:
    today = final_levers(d.scenario).model_dump()
    rows = []
    for group in d.reference.groups:
        settings = ", ".join(
            f"{k} {today[k]} &rarr; <b>{v}</b>" if today[k] != v else f"{k} {v}"
            for k, v in group.levers.items()
        )
        rows.append(f"<tr><td>{html.escape(group.label)}</td><td>{settings}</td></tr>")
    head = "<tr><th>Group</th><th>Levers: today &rarr; healthy</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _examples_table(d: Diagnosis) -> str:
    if d.examples.empty:
        return "<p>Too few sellers stayed the whole final year to compare them.</p>"
    parts = [*FACTORS, "luck"]
    head = "".join(f"<th>{html.escape(PART_LABELS[p])}</th>" for p in parts)
    rows = "".join(
        f"<tr><td>seat {int(r['seat'])}</td>"
        f"<td class=num>{fmt_value(max(r['attainment'], 0.0), 'pct')}</td>"
        f"<td class=num>{r['typical_attainment']:.0%}</td>"
        + "".join(f"<td class=num>{signed(r[p])}</td>" for p in parts)
        + "</tr>"
        for _, r in d.examples.iterrows()
    )
    return (
        f"<table><tr><th>Seller</th><th>Attainment</th><th>Typical seller</th>{head}</tr>"
        f"{rows}</table><p><small>Parts in points of quota; they add up to the seller's "
        "difference from the typical seller.</small></p>"
    )


def _together(d: Diagnosis) -> str:
    both = d.together
    return (
        f"{' and '.join(both['groups'])}, {signed(both['gain'], ' points')} of attainment "
        f"({signed(both['gain_low'], '')} to {signed(both['gain_high'], ' points')}), "
        f"{both['selling_hours_freed']:,.0f} selling hours a week freed, "
        f"{both['support_hours_taken']:+,.0f} support hours a week"
    )


#: what one step of each factor is, for the plain-words reading of the fit
STEPS = {
    "skill": ("10% more skill", "log", 1.1),
    "manager": ("a manager who coaches a tenth better (0.1 on the 0-1 quality scale)", "lin", 0.1),
    "dependencies": ("a presales specialist a tenth busier with other sellers' deals", "lin", 0.1),
    "load": ("each extra hour a week of initiatives, switching between them and asks", "lin", 1.0),
    "territory": ("a 10% richer territory", "log", 1.1),
}


def effect_of_step(factor: str, coefficient: float) -> float:
    """The change in attainment (a ratio minus one) that one step of a factor goes with."""
    _, form, step = STEPS[factor]
    return step**coefficient - 1 if form == "log" else float(np.exp(coefficient * step)) - 1


def sellers_in_words(d: Diagnosis) -> str:
    """What the comparison of sellers says, for a leader: each factor's pull, and luck."""
    said = []
    for factor, coefficient in d.seller_coefficients.items():
        if factor not in STEPS:
            continue
        effect = effect_of_step(factor, coefficient)
        odd = coefficient * FACTORS[factor][2] < 0
        text = f"{STEPS[factor][0]} goes with {effect:+.0%} attainment"
        said.append(
            text + (" (the other way round from the mechanism: read with care)" if odd else "")
        )
    explained = max(min(d.seller_fit_r2, 1.0), 0.0)
    return (
        "Among these sellers, " + "; ".join(said) + ". "
        f"Together these explain about {explained:.0%} of why one seller reaches more of "
        "quota than another; the rest is luck: which deals came, and how big they were."
    )


def _coefficients(d: Diagnosis) -> str:
    """The fit itself, for analysts: R² and the coefficients on log attainment."""
    text = ", ".join(
        f"{html.escape(FACTORS[f][0])} {v:+.2f}" for f, v in d.seller_coefficients.items()
    )
    return (
        f"A least-squares fit of log attainment on log skill, manager quality, specialist "
        f"load, hours of load and log territory: R² {d.seller_fit_r2:.2f}; coefficients {text}."
    )


def render_html(d: Diagnosis, images: dict[str, bytes]) -> str:
    """A self-contained report page for a diagnosis."""
    figure = {
        stem: f'<figure><img alt="{stem}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}"></figure>'
        for stem, png in images.items()
    }
    said = "".join(f"<p>{html.escape(line)}</p>" for line in story(d))
    name = html.escape(d.scenario.name)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>salesorg-sim: why {name} misses what it could reach</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1050px; margin: 2em auto; color: #212121; }}
.verdict {{ background: #e3f2fd; border-left: 4px solid #1565c0; padding: 0.5em 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }}
td, th {{ padding: 4px 8px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
small {{ color: #757575; }} figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>{name}: where the gap to a healthy organization comes from</h1>
<div class=verdict>{said}</div>
{figure.get("waterfall", "")}
<h2>Where to start</h2>
<p>Each group fixed on its own from week {ACT_WEEK} (the people in the seats stay), measured
over the final year; the fair share is the group's Shapley value. Both top groups fixed
together: {_together(d)}.</p>
{figure.get("ranking", "")}{_ranking_table(d)}
<h2>Systemic or individual?</h2>{figure.get("split", "")}
<h2>Whose fault is a low number?</h2>
<p>Sellers who sat in their seat, ramped, the whole final year are compared with a typical
seller of the same organization (one at the median of everything below).
{html.escape(sellers_in_words(d)) if d.seller_coefficients else ""}</p>
<p>Each low seller's shortfall is split the same way: their own skill (innate talent), their
manager's coaching, their dependencies (how loaded their presales specialist is with other
sellers' deals), their load, their territory, and luck. The lowest sellers are also the
unluckiest, so luck is large for them by construction: this compares peers, it does not
find causes (the causes are above).</p>
<details><summary>The fit, for analysts</summary><p>{_coefficients(d)}</p></details>
{figure.get("sellers", "")}{_examples_table(d)}
<h2>The numbers: each cause's Shapley value, final year</h2>
{_attribution_table(d)}
<h2>How this was measured</h2>
<p>Each of the {len(d.reference.groups)} groups of causes was set to its healthy value in
every combination ({2 ** len(d.reference.groups)} counterfactual organizations), each run
{d.replications} times with common random numbers (root seed {d.seed}). A group's Shapley
value is its effect averaged over every order of fixing the groups, so interactions are
split fairly and the values add up to the whole gap. Values have 95% t-intervals over
replications; shares have delta-method t-intervals. Support hours are those of specialists,
approval desks and managers' coaching. The healthy reference ({html.escape(str(d.reference.path))}):
{html.escape(d.reference.description)}</p>
{_reference_table(d)}
</body></html>
"""


def write_diagnosis_files(d: Diagnosis, folder: Path) -> None:
    """Write the tables, the PNG plots, summary.json and report.html into `folder`."""
    folder = Path(folder)
    outcomes = d.outcomes.assign(
        coalition=d.outcomes.coalition.map(lambda c: "+".join(sorted(c)) or "today")
    )
    outcomes.to_csv(folder / "outcomes.csv", index=False)
    d.attribution.to_csv(folder / "attribution.csv", index=False)
    d.split.to_csv(folder / "split.csv", index=False)
    d.ranking.to_csv(folder / "ranking.csv", index=False)
    d.sellers.to_csv(folder / "sellers.csv", index=False)
    d.examples.to_csv(folder / "examples.csv", index=False)
    summary = {
        "scenario": d.scenario.name,
        "replications": d.replications,
        "seed": d.seed,
        "story": story(d),
        "start_with": d.start_with,
        "systemic_share": d.systemic_share(),
        "endpoints": d.endpoints,
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    images = {stem: png_bytes(fig) for stem, fig in diagnosis_figures(d).items()}
    for stem, png in images.items():
        (folder / f"{stem}.png").write_bytes(png)
    (folder / "report.html").write_text(render_html(d, images), encoding="utf-8")


def diagnosis_spec(
    scenario: Scenario, replications: int, seed: int, reference: Reference
) -> dict[str, Any]:
    """What a diagnosis computed: the scenario, replications, seed and healthy reference."""
    return {
        "scenario": scenario_spec(scenario),
        "replications": replications,
        "seed": seed,
        "reference": [[g.name, g.kind, g.levers] for g in reference.groups],
    }


def write_diagnosis(d: Diagnosis, out_dir: Path, *, force: bool = False) -> Path:
    """Write the diagnosis's folder (see `sim.files` for what may be written where)."""
    spec = diagnosis_spec(d.scenario, d.replications, d.seed, d.reference)
    return write_folder(
        out_dir,
        "diagnose",
        spec,
        lambda folder: write_diagnosis_files(d, folder),
        force=force,
        writes=DIAGNOSIS_FILES,
    )
