"""A calibration's files: posterior draws, the calibrated scenario, the fit and its report."""

from __future__ import annotations

import base64
import html
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sim.experiments.inference import Posterior
from sim.reports.style import png_bytes
from sim.scenario import Scenario
from sim.scenario.targets import Targets, describe

DRAWS = 1000  # rows of posterior.csv


def _write(path: Path, text: str | bytes) -> None:
    """Replace `path` whole or not at all."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "wb") as file:
        file.write(text.encode("utf-8") if isinstance(text, str) else text)
    os.replace(temp, path)


def calibrated_toml(scenario: Scenario, source: Path, table: pd.DataFrame, out: Path) -> str:
    """The scenario at the posterior median, extending the calibrated one."""
    try:
        extends = os.path.relpath(source.resolve(), out.resolve())
    except ValueError:
        extends = str(source.resolve())
    if not source.is_file():
        extends = scenario.name  # a shipped scenario by name
    lines = [
        f'description = "{scenario.name}, calibrated to its targets (posterior medians)"',
        f'extends = "{extends}"',
        "",
        "[levers]",
    ]
    for row in table.itertuples():
        state = "pinned down" if row.pinned else "left open by the data"
        lines.append(
            f"{row.lever} = {row.median:.4g}  # 90%: {row.low:.4g} to {row.high:.4g}; {state}"
        )
    return "\n".join(lines) + "\n"


def fit_figure(fit: pd.DataFrame) -> plt.Figure:
    """Each target: observed (black) against the posterior predictive 90% band (blue)."""
    n = len(fit)
    fig, axes = plt.subplots(n, 1, figsize=(8, 0.7 * n + 1), layout="constrained", squeeze=False)
    for ax, row in zip(axes[:, 0], fit.itertuples(), strict=True):
        label, unit = describe(row.figure)
        span = max(row.high - row.low, abs(row.observed) * 0.05, 1e-9)
        ax.plot([row.low, row.high], [0, 0], lw=8, color="#90caf9", solid_capstyle="butt")
        ax.plot([row.median], [0], "|", ms=14, color="#1565c0")
        ax.plot([row.observed], [0], "o", color="#212121")
        lo, hi = min(row.low, row.observed) - span * 0.3, max(row.high, row.observed) + span * 0.3
        ax.set_xlim(lo, hi)
        ax.set_yticks([])
        ax.set_title(f"{label} ({unit})", fontsize=9, loc="left")
    return fig


def posterior_figure(posterior: Posterior) -> plt.Figure:
    """Each lever's posterior (histogram) within its prior's range."""
    levers = list(posterior.priors)
    fig, axes = plt.subplots(
        1, len(levers), figsize=(2.3 * len(levers), 2.4), layout="constrained", squeeze=False
    )
    draws = posterior.draws(DRAWS)
    for ax, lever in zip(axes[0], levers, strict=True):
        prior = posterior.priors[lever]
        ax.hist(draws[lever], bins=20, range=(prior.low, prior.high), color="#1565c0")
        ax.set_xlim(prior.low, prior.high)
        ax.set_title(lever.replace("_", " "), fontsize=9)
        ax.set_yticks([])
    return fig


def words(table: pd.DataFrame) -> list[str]:
    """What the data pin down and what they leave open, in plain words."""
    out = []
    for row in table.itertuples():
        name = row.lever.replace("_", " ")
        if row.pinned:
            out.append(
                f"The data pin down {name}: {row.median:.3g} (90% between {row.low:.3g} and "
                f"{row.high:.3g}), {row.width_share:.0%} of the range we allowed."
            )
        else:
            out.append(
                f"The data leave {name} open: anywhere from {row.low:.3g} to {row.high:.3g} "
                f"fits ({row.width_share:.0%} of the range we allowed); measuring "
                f"{row.informed_by} would narrow it. Answers that depend on it carry that "
                "uncertainty when run with --posterior."
            )
    return out


def write_fit(
    out: Path,
    scenario: Scenario,
    source: Path,
    targets: Targets,
    posterior: Posterior,
    fit: pd.DataFrame,
    table: pd.DataFrame,
    seconds: float,
) -> None:
    """posterior.csv, calibrated.toml, fit.csv, identifiability.csv, plots and report.html."""
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "posterior.csv", posterior.draws(DRAWS).to_csv(index=False))
    _write(out / "calibrated.toml", calibrated_toml(scenario, source, table, out))
    labelled = fit.assign(label=[describe(f)[0] for f in fit.figure])
    _write(out / "fit.csv", labelled.to_csv(index=False))
    _write(out / "identifiability.csv", table.to_csv(index=False))
    images = {
        "fit": png_bytes(fit_figure(fit)),
        "posterior": png_bytes(posterior_figure(posterior)),
    }
    for stem, png in images.items():
        _write(out / f"{stem}.png", png)
    rows = "".join(
        f"<tr><td>{html.escape(r.label)}</td><td>{r.observed:.3g}</td><td>{r.median:.3g}</td>"
        f"<td>{r.low:.3g} to {r.high:.3g}</td><td>{'yes' if r.inside else 'NO'}</td></tr>"
        for r in labelled.itertuples()
    )
    said = "".join(f"<li>{html.escape(s)}</li>" for s in words(table))
    figures = "".join(
        f'<figure><img alt="{k}" src="data:image/png;base64,{base64.b64encode(v).decode()}">'
        "</figure>"
        for k, v in images.items()
    )
    ramp = (
        f"<p>Ramp ({targets.ramp_months:g} months) is not fitted: it sets `ramp_weeks` "
        "directly (salesorg init).</p>"
        if targets.ramp_months is not None
        else ""
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>salesorg-sim: calibration of
{html.escape(scenario.name)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #212121; }}
table {{ border-collapse: collapse; }} td, th {{ padding: 4px 10px;
border-bottom: 1px solid #e0e0e0; text-align: left; }} img {{ max-width: 100%; }}
</style></head><body>
<h1>Calibration of {html.escape(scenario.name)}</h1>
<p>{posterior.simulations:,} simulated years in {posterior.generations} generations of
ABC-SMC (pyabc), {seconds:.0f} s. {int(fit.inside.sum())} of {len(fit)} targets lie inside
the 90% band of years simulated with levers drawn from the posterior.</p>
<h2>What the data pin down, and what they leave open</h2><ul>{said}</ul>{ramp}
<h2>Each target, observed and simulated</h2>
<table><tr><th>target</th><th>observed</th><th>simulated (median)</th>
<th>90% band</th><th>inside</th></tr>{rows}</table>
{figures}
<p>Use the posterior: <code>salesorg compare SCENARIO OTHER --posterior
{html.escape(str(out / "posterior.csv"))}</code>; every replication draws its levers from
it, so intervals carry what the data leave open as well as luck.</p>
</body></html>
"""
    _write(out / "report.html", page)
