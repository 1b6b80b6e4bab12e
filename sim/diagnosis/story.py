"""The diagnosis in plain words: what the gap is, whose it is, where to start.

Every sentence is read off the numbers; when the numbers cannot tell (a gap whose interval
spans zero, a fix with no clear effect), the sentence says so instead of naming a winner.
"""

from __future__ import annotations

from sim.diagnosis.diagnose import PRIMARY, Diagnosis
from sim.diagnosis.plots import short_label
from sim.diagnosis.sellers import FACTORS, LUCK
from sim.experiments.pricing import money

PART_LABELS = {**{f: label for f, (label, *_) in FACTORS.items()}, "luck": LUCK}
NO_GAP = 0.02  # a net gap under two points of quota is no gap


def share(value: float) -> str:
    """A whole percentage, with no "-0%"."""
    return f"{value + 0.0:.0%}".replace("-0%", "0%")


def points(share: float, sign: bool = False) -> str:
    """Attainment (a share of quota) as percentage points: 0.42 -> "42", or "+42"."""
    value = round(100 * share) + 0  # + 0 turns -0 into 0
    return f"{value:+d}" if sign else f"{value:d}"


def _interval(mean: float, low: float, high: float) -> str:
    return f"{points(mean, True)} points ({points(low, True)} to {points(high, True)})"


def _hours(row: dict, heads: float) -> str:
    freed = row["selling_hours_freed"]
    text = (
        f"{'frees' if freed >= 0 else 'costs'} {abs(freed):,.0f} selling hours a week "
        f"({abs(freed) / heads:.1f} per seller)"
    )
    support = row["support_hours_taken"]
    if abs(support) >= 1:
        verb = "takes" if support > 0 else "frees"
        text += f" and {verb} {abs(support):,.0f} support hours a week"
    if "cost_year" in row and row["cost_year"] == row["cost_year"]:  # (not NaN)
        text += (
            f"; in money it costs {money(row['cost_year'])} a year and changes the "
            f"contribution by {money(row['contribution_year'])} ("
            f"{money(row['contribution_year_low'])} to {money(row['contribution_year_high'])})"
        )
    return text


def split_sentence(systemic: float, low: float, high: float) -> str:
    """Whose the gap is; a share past 100% (the other kind pulls the other way) is "all"."""
    between = f"({share(low)} to {share(high)})"
    if systemic >= 0.995:
        return (
            f"All of the gap is systemic, the organization and its managers {between}; "
            "individual causes (who is hired and kept) do not add to it."
        )
    if systemic <= 0.005:
        return (
            f"All of the gap is individual, who is hired and kept; the systemic share is "
            f"{share(max(systemic, 0.0))} {between}."
        )
    return (
        f"{share(systemic)} of the gap is systemic, the organization and its managers "
        f"{between}; {share(1 - systemic)} is individual: who is hired and kept."
    )


def gap_sentences(d: Diagnosis) -> list[str]:
    """Today against the healthy reference; then whose the gap is, if there is one."""
    today, healthy, gap = (d.endpoints[PRIMARY][k] for k in ("today", "healthy", "gap"))
    lines = [
        f"{d.scenario.name} reaches a mean attainment of {today[0]:.0%} of quota; the same "
        f"organization run well would reach {healthy[0]:.0%}: a gap of "
        f"{_interval(*gap).replace('+', '')}."
    ]
    if gap[1] > 0:
        lines.append(split_sentence(*d.systemic_share()))
        table = d.attribution[(d.attribution.metric == PRIMARY) & (d.attribution.share > 0)]
        top = table.sort_values("share", ascending=False).head(2)
        causes = " and ".join(
            f"{short_label(r.label).lower()} ({r.share:.0%} of the gap)" for r in top.itertuples()
        )
        lines.append(f"The biggest {'causes are' if len(top) > 1 else 'cause is'} {causes}.")
    elif gap[2] < 0:
        lines.append("It does better than the healthy reference: there is no shortfall to explain.")
    elif abs(gap[0]) < NO_GAP:
        lines.append("There is no shortfall: measured against this reference it is healthy.")
    else:
        lines.append(
            f"With {d.replications} replications the model cannot tell whether there is a "
            "shortfall (the interval spans zero): run again with more --replications."
        )
    return lines


def start_sentences(d: Diagnosis) -> list[str]:
    """The one thing to fix first, the second, and both together, each with its hours."""
    heads = float(d.acting.loc[d.acting.coalition == frozenset(), "headcount"].mean()) or 1.0
    clear = [r for r in d.ranking.to_dict("records") if r["gain_low"] > 0]
    if not clear:
        return [
            "No group, fixed on its own from now, clearly raises attainment by the final "
            "year; see the ranking for what each would do."
        ]
    lines = []
    for word, row in zip(("Start with", "Then"), clear[:2], strict=False):
        lines.append(
            f"{word} {short_label(row['label']).lower()}: fixed now, it would raise attainment "
            f"by {_interval(row['gain'], row['gain_low'], row['gain_high'])} by the final year, "
            f"and {_hours(row, heads)}. {row['why']}"
        )
    both = d.together
    if len(both["groups"]) > 1:
        labels = {r["group"]: short_label(r["label"]).lower() for r in d.ranking.to_dict("records")}
        gain = _interval(both["gain"], both["gain_low"], both["gain_high"])
        lines.append(
            f"Fixing {' and '.join(labels[g] for g in both['groups'])} together, now: {gain}; "
            f"it {_hours(both, heads)}."
        )
    return lines


def lowest_seller(example) -> str:
    """One sentence on the lowest seller: what their shortfall to a typical seller is made of."""
    reached = max(float(example["attainment"]), 0.0)
    shortfall = example["typical_attainment"] - reached
    against = sorted((p for p in [*FACTORS, "luck"] if example[p] < 0), key=lambda p: example[p])
    named = [f"{PART_LABELS[p]} {points(-example[p])}" for p in against[:3]]
    text = (
        f"The lowest seller (seat {int(example['seat'])}) reached {reached:.0%} against a "
        f"typical seller's {example['typical_attainment']:.0%}. Of the {points(shortfall)} "
        f"points it fell short: " + "; ".join(named) + "."
    )
    if example["skill"] >= 0:
        text += f" Their own skill is not the reason (it adds {points(example['skill'])} points)."
    elif "skill" not in against[:3]:
        text += f" Their own skill explains {points(-example['skill'])} points."
    return text


def story(d: Diagnosis) -> list[str]:
    """The diagnosis in a few plain sentences, numbers in brackets."""
    lines = gap_sentences(d)
    if d.endpoints[PRIMARY]["gap"][1] > 0:  # a clear shortfall: say where to start
        lines += start_sentences(d)
    if not d.examples.empty:
        lines.append(lowest_seller(d.examples.iloc[0]))
    if d.draws:
        lines.append(
            f"Each replication started from a draw of a calibration's posterior "
            f"({min(d.draws, d.replications):,} of its {d.draws:,} draws): the intervals "
            "cover what the organization's data leave open as well as luck."
        )
    return lines
