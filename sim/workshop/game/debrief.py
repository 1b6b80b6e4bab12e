"""The debrief: the regime revealed, each team's path, and why the winners won.

"Why" is answered with the model, not a formula: each decision of a team is taken out in
turn, the team's organization replayed from the seed without it, and scored again. What a
decision was worth is the score it added (decisions also work together, so the parts need
not add up to the whole). `debrief_zip` packs it all for after the workshop.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from html import escape
from typing import Any

import pandas as pd

from sim.scenario import load_scenario
from sim.workshop.charts import Chart, bookings_chart, leaving_chart, quota_chart, selling_chart
from sim.workshop.controls import CONTROL_BY_LEVER
from sim.workshop.export import standalone_svg
from sim.workshop.frames import Frame, snapshot
from sim.workshop.game.game import Game, Team
from sim.workshop.game.rules import QUARTER, REGIME_STORIES, regime_levers
from sim.workshop.game.scorecard import PART_LABELS, outcome, scorecard
from sim.workshop.run import Move, Run

TEAM_COLORS = (
    "#1565c0",
    "#d84315",
    "#2e7d32",
    "#6a1b9a",
    "#00838f",
    "#f9a825",
    "#5d4037",
    "#ad1457",
    "#283593",
    "#558b2f",
    "#ef6c00",
    "#37474f",
)
PAR_COLOR = "#9e9e9e"
#: a team named after a colour is drawn in it
NAMED_COLORS = {
    "red": "#c62828",
    "blue": "#1565c0",
    "green": "#2e7d32",
    "orange": "#ef6c00",
    "purple": "#6a1b9a",
    "violet": "#6a1b9a",
    "teal": "#00838f",
    "yellow": "#f9a825",
    "gold": "#f9a825",
    "pink": "#ad1457",
    "brown": "#5d4037",
    "black": "#212121",
}
#: the regimes' other levers, as the room would name them
ROOM_NAMES = {
    "sellers_per_approver": "sellers per approval analyst",
    "handoff_hours": "hours to hand a deal to a desk or a specialist",
    "chase_hours": "hours a week chasing each waiting deal",
    "admin_hours": "hours of admin a week",
    "meeting_hours": "hours of internal meetings a week",
    "follow_up": "how consistently managers follow up on initiatives (0-1)",
    "talent_sd": "spread of talent among sellers",
    "manage_out_rate": "weekly chance a low performer is managed out",
    "hiring_quality": "how well interviews see skill (0-1)",
    "hiring_weeks": "weeks an empty seat stays empty",
    "talent_mean": "average talent of new hires (0-1)",
    "quota_growth": "growth the plan asks for each year",
    "accounts": "accounts in the territories",
}


def shown(lever: str, value: Any) -> str:
    """A lever's value in the room's words."""
    control = CONTROL_BY_LEVER.get(lever)
    return control.show(value) if control else str(value)


def label(lever: str) -> str:
    """A lever's name in the room's words."""
    control = CONTROL_BY_LEVER.get(lever)
    return control.label if control else ROOM_NAMES.get(lever, lever.replace("_", " "))


def decision_text(decisions: dict[str, Any]) -> str:
    """Decisions as the room reads them."""
    if not decisions:
        return "no change"
    return "; ".join(f"{label(k)}: {shown(k, v)}" for k, v in decisions.items())


def regime_text(game: Game) -> list[str]:
    """What the regime was, and the levers it set (against the baseline)."""
    base = load_scenario("baseline").levers
    lines = [f"The organization was {game.regime}: {REGIME_STORIES.get(game.regime, '')}."]
    for lever, value in regime_levers(game.regime).items():
        before = getattr(base, lever)
        now, then = (
            (shown(lever, value), shown(lever, before))
            if lever in CONTROL_BY_LEVER
            else (f"{value:g}", f"{before:g}")
        )
        lines.append(f"{label(lever)}: {now} (a typical organization: {then})")
    return lines


def decisions_table(game: Game) -> pd.DataFrame:
    """Every team's decisions, quarter by quarter, with the points they cost."""
    rows = [
        {
            "team": team.name,
            "bot": team.bot.name if team.bot else "",
            "quarter": quarter,
            "weeks": f"{(quarter - 1) * QUARTER + 1}-{quarter * QUARTER}",
            "decisions": decision_text(decisions),
            "points": cost,
        }
        for team in game.teams
        for quarter, decisions, cost in team.history
    ]
    return pd.DataFrame(rows, columns=["team", "bot", "quarter", "weeks", "decisions", "points"])


def scores_table(game: Game) -> pd.DataFrame:
    """The leaderboard with every part of the scorecard."""
    rows = []
    for rank, (team, card) in enumerate(game.leaderboard(), start=1):
        row = {"rank": rank, "team": team.name, "score": round(card.score, 1)}
        row.update({PART_LABELS[k]: round(v, 1) for k, v in card.parts.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def worth(game: Game, team: Team) -> list[tuple[Move, float]]:
    """What each of the team's decisions added to its score (taken out, replayed, rescored)."""
    with game.lock:
        par = game.par_outcome()
        moves, week = list(team.run.moves), team.run.week
        mine = scorecard(outcome(team.run), par).score
    found = []
    for move in moves:
        without = Run(team.run.scenario, team.run.seed, [m for m in moves if m != move], week)
        found.append((move, mine - scorecard(outcome(without), par).score))
        without.release()
    return sorted(found, key=lambda pair: -pair[1])


def why_text(game: Game, top: int = 2) -> list[str]:
    """Why the winners won, in sentences."""
    lines = []
    for team, card in game.leaderboard()[:top]:
        parts = [f"{team.name} scored {card.score:.0f}"]
        found = worth(game, team)
        if not found:
            lines.append(f"{parts[0]}: it changed nothing.")
            continue
        best = [
            f"{label(m.lever)} to {shown(m.lever, m.value)} in quarter "
            f"{1 + (m.week - 1) // QUARTER} ({value:+.0f})"
            for m, value in found[:3]
        ]
        lines.append(f"{parts[0]}; what its decisions were worth: " + ", ".join(best) + ".")
    return lines


def _frame(game: Game, run: Run) -> Frame:
    return dataclasses.replace(snapshot(run), weeks=game.rounds * QUARTER)


def team_colors(names: list[str]) -> list[str]:
    """A colour for each team: its own if it is named after one, else the next free one."""
    named = [NAMED_COLORS.get(n.split()[0].lower(), "") if n.split() else "" for n in names]
    free = [c for c in TEAM_COLORS if c not in named]
    colors = []
    for k, color in enumerate(named):
        if not color:
            color = free.pop(0) if free else TEAM_COLORS[k % len(TEAM_COLORS)]
        colors.append(color)
    return colors


def path_charts(game: Game) -> dict[str, Chart]:
    """Each team's path side by side (the untouched organization in grey)."""
    colors = team_colors([team.name for team in game.teams])
    sides = [
        (team.name, color, _frame(game, team.run))
        for team, color in zip(game.teams, colors, strict=True)
    ]
    sides.append(("untouched", PAR_COLOR, _frame(game, game.par)))
    if not game.teams:
        sides = sides[-1:]
    return {
        "bookings": bookings_chart(sides),
        "selling": selling_chart(sides),
        "quota": quota_chart(sides),
        "leaving": leaving_chart(sides),
    }


def summary_html(game: Game) -> str:
    """A short page for after the workshop."""
    scores = scores_table(game).to_html(index=False, border=0)
    decisions = decisions_table(game).to_html(index=False, border=0)
    pictures = "".join(standalone_svg(c) for c in path_charts(game).values())
    regime = "".join(f"<li>{escape(line)}</li>" for line in regime_text(game)[1:])
    why = "".join(f"<li>{escape(line)}</li>" for line in why_text(game))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Game {game.code}: debrief</title>
<style>body {{ font-family: Roboto, Helvetica, Arial, sans-serif; max-width: 1060px;
margin: 24px auto; color: #212121; }} td, th {{ padding: 4px 12px; text-align: left; }}
svg {{ max-width: 100%; height: auto; margin: 10px 0; }}</style></head><body>
<h1>Game {game.code}: debrief</h1>
<p>{escape(game.scenario.name)}, {game.rounds} quarters, seed {game.settings.seed},
{game.settings.points} points a quarter.</p>
<h2>The hidden regime</h2><p>{escape(regime_text(game)[0])}</p><ul>{regime}</ul>
<h2>The scores</h2>{scores}
<p>100 is the untouched organization. Bookings over the last four quarters count 50%, the
year after the game (played on unseen with each team's levers) 30%, morale at the end 10%,
good sellers kept 10%.</p>
<h2>Why the winners won</h2><ul>{why}</ul>
<h2>Decisions</h2>{decisions}
<h2>Each team's path</h2>{pictures}
</body></html>
"""


def debrief_zip(game: Game) -> bytes:
    """The debrief as a zip: summary.html, scores, decisions, each team's weeks, charts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("summary.html", summary_html(game))
        pack.writestr("scores.csv", scores_table(game).to_csv(index=False))
        pack.writestr("decisions.csv", decisions_table(game).to_csv(index=False))
        for k, team in enumerate([*game.teams, None]):
            run = team.run if team else game.par
            name = f"{k + 1:02d}-{_safe(team.name)}" if team else "untouched"
            weekly = run.model.datacollector.get_model_vars_dataframe()
            pack.writestr(f"teams/{name}.csv", weekly.to_csv(index_label="week"))
        for name, chart in path_charts(game).items():
            pack.writestr(f"charts/{name}.svg", standalone_svg(chart))
    return buffer.getvalue()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-").lower() or "team"
