"""Plots of a diagnosis: the waterfall, the split, the ranked levers, the example sellers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from sim.diagnosis.diagnose import ATTRIBUTED, PRIMARY, Diagnosis
from sim.diagnosis.sellers import FACTORS, LUCK
from sim.reports.style import LABELS

KIND_COLORS = {"systemic": "#1565c0", "individual": "#ef6c00", "circumstance": "#9e9e9e"}
ENDPOINT_COLOR = "#424242"
MIXED_TOLERANCE = 0.1  # shares a little outside 0-100%: one group pulls slightly the other way
SHORT_LABELS = {
    "mean_attainment": "Attainment",
    "quota_attainment_share": "At quota",
    "bookings": "Bookings",
    "selling_time_share": "Selling time",
    "attrition_rate": "Attrition",
}


def waterfall(d: Diagnosis, metric: str = PRIMARY) -> Figure:
    """From the healthy reference down to today, one step per group of causes."""
    table = d.attribution[d.attribution.metric == metric].sort_values("value", ascending=False)
    healthy = d.endpoints[metric]["healthy"][0]
    today = d.endpoints[metric]["today"][0]
    fig, ax = plt.subplots(figsize=(10, 5.2))
    level = healthy
    ax.bar(0, healthy, color=ENDPOINT_COLOR)
    ax.text(0, healthy, f"{healthy:.0%}", ha="center", va="bottom", fontsize=12)
    for i, row in enumerate(table.itertuples(), start=1):
        color = KIND_COLORS[row.kind]
        ax.bar(i, -row.value, bottom=level, color=color, alpha=0.9)
        ax.errorbar(
            i,
            level - row.value,
            yerr=[[row.value_high - row.value], [row.value - row.value_low]],
            color="black",
            capsize=4,
            lw=1,
        )
        ax.text(
            i,
            max(level, level - row.value),
            signed(-row.value),
            ha="center",
            va="bottom",
        )
        level -= row.value
    end = len(table) + 1
    ax.bar(end, today, color=ENDPOINT_COLOR)
    ax.text(end, today, f"{today:.0%}", ha="center", va="bottom", fontsize=12)
    labels = ["Healthy\nreference", *[_wrap(short_label(label)) for label in table.label], "Today"]
    ax.set_xticks(range(end + 1), labels, fontsize=10)
    ax.set_ylim(0, max(healthy, today) * 1.15)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_ylabel(LABELS[metric][0] if metric in LABELS else metric)
    ax.set_title(
        f"{d.scenario.name}: what each cause costs, in points of quota "
        "(Shapley values, 95% intervals)"
    )
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=KIND_COLORS[k]) for k in ("systemic", "individual")
    ]
    ax.legend(
        handles, ["systemic (organization, managers)", "individual (talent)"], loc="upper right"
    )
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def signed(value: float, unit: str = " pts") -> str:
    """A change in attainment as signed percentage points of quota, with no "-0": "+81 pts"."""
    points = round(100 * value) + 0
    return f"{points:+d}{unit}" if points else f"0{unit}"


def split_words(systemic: float) -> str:
    """The systemic share in words; past 100% (individual causes pull the other way): "all"."""
    if systemic >= 0.995:
        return "systemic: all of it"
    if systemic <= 0.005:
        return "systemic: none of it"
    return f"systemic {systemic:.0%}"


def short_label(label: str) -> str:
    """A group's label up to its colon: "Friction", "Initiative load"."""
    return label.split(":")[0]


def _wrap(label: str, width: int = 14) -> str:
    """Break a long label over lines of about `width` characters."""
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def split_chart(d: Diagnosis) -> Figure:
    """The systemic and individual shares of each gap, with intervals on the individual part."""
    fig, ax = plt.subplots(figsize=(10, 3.8))
    metrics = [m for m in ATTRIBUTED if m in set(d.split.metric)]
    for y, metric in enumerate(metrics):
        rows = d.split[d.split.metric == metric].set_index("kind")
        systemic = float(rows.at["systemic", "share"])
        _, gap_low, gap_high = d.endpoints[metric]["gap"]
        if gap_low <= 0 <= gap_high or not -MIXED_TOLERANCE <= systemic <= 1 + MIXED_TOLERANCE:
            why = (
                "no clear gap: today and the healthy organization are alike"
                if gap_low <= 0 <= gap_high
                else "causes pull both ways: no meaningful split"
            )
            ax.text(0.01, y, why, va="center", color="#616161", fontsize=11)
            continue
        shown = min(max(systemic, 0.0), 1.0)  # a sliver pulling the other way is not drawn
        ax.barh(y, shown, color=KIND_COLORS["systemic"])
        ax.barh(y, 1 - shown, left=shown, color=KIND_COLORS["individual"])
        low, high = np.clip([rows.at["systemic", "low"], rows.at["systemic", "high"]], 0, 1)
        below, above = max(shown - low, 0.0), max(high - shown, 0.0)
        ax.errorbar(shown, y, xerr=[[below], [above]], color="black", capsize=4)
        ax.text(0.01, y, split_words(systemic), va="center", color="white", fontsize=11)
    ax.set_yticks(range(len(metrics)), [SHORT_LABELS.get(m, m) for m in metrics])
    ax.set_xlim(0, 1)
    ax.set_ylim(len(metrics) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title("Share of each gap that is systemic (blue) or individual (orange)")
    fig.tight_layout()
    return fig


def _signed_bars(fig: Figure, ax: plt.Axes, xlabel: str, title: str) -> Figure:
    """Finish a horizontal bar chart of signed changes: first row on top, a zero line."""
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: signed(v, "")))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def hours_note(row) -> str:
    """Selling hours a fix frees (or costs) and support hours it takes (or frees), a week."""
    freed = row.selling_hours_freed
    note = f"{'frees' if freed >= 0 else 'costs'} {abs(freed):,.0f} selling h/wk"
    if abs(row.support_hours_taken) >= 1:
        verb = "takes" if row.support_hours_taken > 0 else "frees"
        note += f"\n{verb} {abs(row.support_hours_taken):,.0f} support h/wk"
    return note


def ranking_chart(d: Diagnosis) -> Figure:
    """What fixing each group alone would unlock, best first, with the hours involved."""
    table = d.ranking
    fig, ax = plt.subplots(figsize=(12, 4.2))
    y = np.arange(len(table))
    colors = [KIND_COLORS[k] for k in table.kind]
    errors = [table.gain - table.gain_low, table.gain_high - table.gain]
    ax.barh(y, table.gain, xerr=errors, color=colors, capsize=4)
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    for i, row in enumerate(table.itertuples()):
        ax.text(1.02, i, hours_note(row), va="center", fontsize=9, transform=beside)
    ax.set_yticks(y, [f"{r}. {label}" for r, label in zip(table["rank"], table.label, strict=True)])
    return _signed_bars(
        fig,
        ax,
        "Attainment gained by fixing this group alone, points of quota (95% interval)",
        "Where to start",
    )


def sellers_chart(d: Diagnosis) -> Figure:
    """Each example seller's shortfall against a typical seller, split by factor."""
    fig, ax = plt.subplots(figsize=(10, 2.0 + 0.9 * max(len(d.examples), 1)))
    parts = [*FACTORS, "luck"]
    labels = [*(FACTORS[f][0] for f in FACTORS), LUCK]
    colors = [*(KIND_COLORS[FACTORS[f][1]] for f in FACTORS), "#e0e0e0"]
    shades = [1.0, 0.75, 0.55, 0.35, 1.0, 1.0]
    for y, row in enumerate(d.examples.itertuples()):
        neg = pos = 0.0
        for part, color, shade in zip(parts, colors, shades, strict=True):
            value = getattr(row, part)
            start = neg if value < 0 else pos
            ax.barh(y, value, left=start, color=color, alpha=shade, edgecolor="white")
            neg, pos = (neg + value, pos) if value < 0 else (neg, pos + value)
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, alpha=a) for c, a in zip(colors, shades, strict=True)
    ]
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=9, ncols=3)
    ticks = [
        f"seat {row.seat}: {max(row.attainment, 0):.0%}\n(typical {row.typical_attainment:.0%})"
        for row in d.examples.itertuples()
    ]
    ax.set_yticks(range(len(ticks)), ticks)
    return _signed_bars(
        fig,
        ax,
        "Points of quota below a typical seller, by what explains them",
        "The lowest sellers: whose fault is the miss?",
    )


def diagnosis_figures(d: Diagnosis) -> dict[str, Figure]:
    """Every figure of the report, by file stem."""
    figures = {
        "waterfall": waterfall(d),
        "split": split_chart(d),
        "ranking": ranking_chart(d),
    }
    if not d.examples.empty:
        figures["sellers"] = sellers_chart(d)
    return figures
