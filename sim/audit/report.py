"""The audit's files: assumptions.csv, assumptions.md (the table) and report.html (with a plot)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from sim.files import atomic_directory
from sim.reports.style import png_bytes

ANSWERS = (
    ("fire", "Fire the bottom 10% (baseline)"),
    ("fix", "Fix the organization (baseline)"),
    ("talent_fire", "Fire the bottom 10% (talent-bound)"),
)


def _interval(row: pd.Series, key: str) -> str:
    return f"{row[f'{key}_bookings']:+.1%} ({row[f'{key}_low']:+.1%} to {row[f'{key}_high']:+.1%})"


def markdown(table: pd.DataFrame, command: str) -> str:
    """The audit as a Markdown table, with how it was made."""
    lines = [
        "| assumption switched off | fire vs baseline: bookings | fix vs baseline | "
        "fire where talent binds | friction-heavy: systemic share, first fix | "
        "what changes |",
        "|---|---|---|---|---|---|",
    ]
    for _, row in table.iterrows():
        first = row["ranking"].split(" > ")[0]
        name = (
            row["label"] if row["assumption"] == "full" else f"{row['assumption']}: {row['label']}"
        )
        answers = " | ".join(_interval(row, key) for key, _ in ANSWERS)
        lines.append(
            f"| {name} | {answers} | {row['systemic_share']:.0%}, {first} "
            f"| {row['changes'] or 'nothing'} |"
        )
    note = (
        f"\nBookings: paired differences of the final year's weekly bookings, as a share of the "
        f"reference scenario's, with 95% intervals. Made with `{command}`.\n"
    )
    return "\n".join(lines) + "\n" + note


def figure(table: pd.DataFrame) -> plt.Figure:
    """The three bookings answers with their intervals, for each assumption switched off."""
    fig, axes = plt.subplots(
        1, 3, figsize=(13, 0.45 * len(table) + 1.6), sharey=True, layout="constrained"
    )
    labels = ["full model" if a == "full" else f"no {a}" for a in table["assumption"]]
    y = range(len(table))[::-1]
    for ax, (key, title) in zip(axes, ANSWERS, strict=True):
        for row_y, (_, row) in zip(y, table.iterrows(), strict=True):
            mid = row[f"{key}_bookings"] * 100
            err = [[mid - row[f"{key}_low"] * 100], [row[f"{key}_high"] * 100 - mid]]
            color = "#212121" if row["assumption"] == "full" else "#1565c0"
            ax.errorbar([mid], [row_y], xerr=err, fmt="o", color=color, capsize=3)
        ax.axvline(0, color="#9e9e9e", lw=1)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("bookings difference, % (95% interval)")
        ax.set_yticks(list(y), labels)
    return fig


def write_audit(table: pd.DataFrame, out_dir: Path, command: str) -> Path:
    """Write assumptions.csv, assumptions.md, assumptions.png and report.html, atomically."""
    out_dir = Path(out_dir)
    md = markdown(table, command)
    png = png_bytes(figure(table))
    with atomic_directory(out_dir) as scratch:
        table.to_csv(scratch / "assumptions.csv", index=False)
        (scratch / "assumptions.md").write_text(md, encoding="utf-8")
        (scratch / "assumptions.png").write_bytes(png)
        (scratch / "report.html").write_text(_page(table, md, png), encoding="utf-8")
    return out_dir


def _page(table: pd.DataFrame, md: str, png: bytes) -> str:
    rows = []
    for _, row in table.iterrows():
        cells = [
            html.escape(row["label"]),
            *(_interval(row, key) for key, _ in ANSWERS),
            f"{row['systemic_share']:.0%} "
            f"({row['systemic_low']:.0%} to {row['systemic_high']:.0%})",
            html.escape(row["ranking"]),
            html.escape(row["changes"] or "nothing"),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    held = table.iloc[1:][table.iloc[1:]["changes"] == ""]
    lead = (
        f"{len(held)} of {len(table) - 1} assumptions can be switched off without changing "
        "any answer below; the rows that say what changes are the answers that rest on an "
        "assumption."
    )
    image = base64.b64encode(png).decode()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>salesorg-sim: the assumption audit</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #212121; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }}
td, th {{ padding: 4px 8px; border-bottom: 1px solid #e0e0e0; text-align: left; }}
img {{ max-width: 100%; }}
</style></head><body>
<h1>Which answers rest on which assumptions?</h1>
<p>Each behavioural assumption of the model is switched off in turn (its lever set to the
zero that turns it off), and the questions the model is for are asked again: does firing
the bottom 10% or fixing the organization change bookings where the system binds, does
firing help where talent binds, and where does the diagnosis of friction-heavy start?</p>
<p><strong>{html.escape(lead)}</strong></p>
<img alt="bookings answers by assumption" src="data:image/png;base64,{image}">
<table><tr><th>switched off</th><th>fire vs baseline</th><th>fix vs baseline</th>
<th>fire where talent binds</th><th>friction-heavy systemic share</th>
<th>diagnosis ranking</th><th>what changes</th></tr>{"".join(rows)}</table>
<details><summary>The table as Markdown</summary><pre>{html.escape(md)}</pre></details>
</body></html>
"""
