"""The game's pages: the facilitator's (`/game`), a team's (`/team`) and the debrief.

Every page of a game follows it live: a thread of the browser session waits for the game
to change (a team joins or submits, a quarter is played) and redraws. The game's code and
the team's private token sit in the page's address, so a reload rejoins.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from html import escape
from urllib.parse import parse_qs

import solara

from sim.scenario import ScenarioError, scenario_names
from sim.workshop.charts import bookings_chart, leaving_chart, quota_chart, selling_chart
from sim.workshop.frames import snapshot
from sim.workshop.game.bots import BOTS
from sim.workshop.game.debrief import (
    debrief_zip,
    decisions_table,
    path_charts,
    regime_text,
    why_text,
)
from sim.workshop.game.game import GAMES, Game, GameError, Settings, Team
from sim.workshop.game.rules import (
    DEFAULT_POINTS,
    DEFAULT_ROUNDS,
    MAX_ROUNDS,
    PRICES,
    QUARTER,
    regimes,
)
from sim.workshop.game.scorecard import PART_LABELS
from sim.workshop.panels import ChartGrid, Headline, LeverInput

URL_ENV = "SALESORG_WORKSHOP_URL"  # the page's address, set by `salesorg workshop`/`game`
WATCH_SECONDS = 0.5


def use_game(game: Game | None) -> int:
    """The game's version, redrawn whenever another browser changes the game."""
    version, set_version = solara.use_state(game.version if game else 0)

    def watch(cancel: threading.Event) -> None:
        if game is None:
            return
        seen = game.version
        set_version(seen)
        while not cancel.is_set():
            now = game.wait(seen, WATCH_SECONDS)
            if now != seen:
                seen = now
                set_version(now)

    solara.use_thread(watch, [game], intrusive_cancel=False)
    return version


def _query() -> dict[str, str]:
    search = solara.use_router().search or ""
    return {k: v[0] for k, v in parse_qs(search).items()}


def _find(code: str) -> Game | None:
    try:
        return GAMES.find(code) if code else None
    except GameError:
        return None


def base_url() -> str:
    """Where the room opens the pages (as `salesorg` printed it)."""
    return os.environ.get(URL_ENV, "/")


@solara.component
def Leaderboard(game: Game, version: int) -> None:
    """The teams ranked by their scorecard, as if the game ended now."""
    board = solara.use_memo(game.leaderboard, [game, game.round])
    head = "".join(f"<th>{escape(PART_LABELS[k])}</th>" for k in PART_LABELS)
    rows = "".join(
        f'<tr class="leader-row"><td>{rank}</td><td class="leader-team">{escape(team.name)}'
        f"{' (bot)' if team.is_bot else ''}</td>"
        f'<td class="leader-score"><b>{card.score:.0f}</b></td>'
        + "".join(f"<td>{card.parts[k]:.0f}</td>" for k in PART_LABELS)
        + "</tr>"
        for rank, (team, card) in enumerate(board, start=1)
    )
    when = "final" if game.over else f"as if the game ended at week {game.week}"
    solara.HTML(
        "div",
        f'<div class="chart-title">Leaderboard ({when})</div>'
        f'<table class="leaderboard"><tr><th>#</th><th>team</th><th>score</th>{head}</tr>'
        f"{rows}</table><div class='lever-help'>100: the untouched organization. Bookings "
        "over the last four quarters count 50%, the year after the game 30% (played on, "
        "unseen, with each team's levers), morale at the end 10%, good sellers kept 10%.</div>",
    )


@solara.component
def NewGame() -> None:
    """The facilitator's form for a new game."""
    router = solara.use_router()
    scenario, set_scenario = solara.use_state("baseline")
    regime, set_regime = solara.use_state("friction-bound")
    rounds, set_rounds = solara.use_state(DEFAULT_ROUNDS)
    teams, set_teams = solara.use_state(2)
    bots, set_bots = solara.use_state(["Approvals-first bot", "Firing bot"])
    points, set_points = solara.use_state(DEFAULT_POINTS)
    seed, set_seed = solara.use_state(1)
    error, set_error = solara.use_state("")

    def create() -> None:
        settings = Settings(scenario, regime, rounds, teams, tuple(bots), points, max(1, seed))
        try:
            game = GAMES.create(settings)
        except (GameError, ScenarioError) as exc:
            set_error(str(exc))
            return
        router.push(f"/game?game={game.code}")

    with solara.Column(classes=["new-game"], style="max-width: 760px; padding: 12px"):
        solara.Text("A new game", classes=["chart-title"])
        solara.Text(
            "Teams run copies of the same organization, decide each quarter within their "
            "points, and you play the quarters. The regime is what really holds the "
            "organization back; the teams are not told.",
            classes=["lever-help"],
        )
        solara.Select(
            "Organization", values=scenario_names(), value=scenario, on_value=set_scenario
        )
        solara.Select(
            "Hidden regime", values=regimes(), value=regime, on_value=set_regime, classes=["regime"]
        )
        solara.Text("Quarters", classes=["lever-label"])
        solara.ToggleButtonsSingle(
            value=str(rounds),
            values=[str(n) for n in range(1, MAX_ROUNDS + 1)],
            on_value=lambda v: set_rounds(int(v)),
            classes=["game-rounds"],
        )
        solara.InputInt("Teams of people", value=teams, on_value=set_teams, classes=["game-teams"])
        solara.Text("Bots: teams that play a fixed strategy", classes=["lever-label"])
        solara.ToggleButtonsMultiple(
            value=bots, values=list(BOTS), on_value=set_bots, classes=["game-bots"]
        )
        for bot in BOTS.values():
            solara.Text(f"{bot.name}: {bot.story}", classes=["lever-help"])
        solara.InputInt("Points a quarter", value=points, on_value=set_points)
        solara.InputInt("Luck (seed)", value=seed, on_value=set_seed)
        solara.Button("Create the game", on_click=create, color="primary", classes=["create-game"])
        if error:
            solara.Error(error, classes=["game-error"])


@solara.component
def Facilitator(game: Game) -> None:
    """Who has joined and submitted, the button that plays the quarter, the leaderboard."""
    version = use_game(game)
    charts = solara.use_memo(lambda: path_charts(game), [game, game.round])
    with solara.Column(style="padding: 12px", gap="10px"):
        solara.Text(f"Game {game.code}", classes=["value", "game-code"])
        solara.Text(
            f"Teams: open {base_url()}team and type the code {game.code}",
            classes=["join-hint"],
            style="font-size: 1.4rem",
        )
        stage = "game over" if game.over else f"quarter {game.round} of {game.rounds}"
        solara.Text(stage.capitalize(), classes=["game-stage"], style="font-size: 1.6rem")
        rows = "".join(
            f'<tr class="team-row"><td>{escape(t.name)}</td>'
            f"<td>{'bot: ' + escape(t.bot.story) if t.bot else 'team'}</td>"
            f'<td class="status-{_status(game, t)}">{_status(game, t)}</td>'
            f"<td>{game.points_left(t) if not game.over else ''}</td></tr>"
            for t in game.teams
        )
        missing = game.settings.teams - len(game.humans())
        waiting = f"<div>Waiting for {missing} more team(s) to join.</div>" if missing else ""
        solara.HTML(
            "div",
            '<table class="teams"><tr><th>team</th><th>plays</th><th>this quarter</th>'
            f"<th>points</th></tr>{rows}</table>{waiting}",
        )
        if not game.over:
            undecided = sum(1 for t in game.humans() if t.submitted is None)
            note = f" ({undecided} still deciding: they keep their levers)" if undecided else ""
            solara.Button(
                f"Play quarter {game.round}{note}",
                on_click=game.play_quarter,
                color="primary",
                classes=["play-quarter"],
            )
        if game.round > 1:
            Leaderboard(game, version)
            ChartGrid(charts, [("bookings", "quota")])
        if game.over:
            with solara.Link(f"/debrief?game={game.code}"):
                solara.Button("Open the debrief", color="primary", classes=["debrief-link"])


def _status(game: Game, team: Team) -> str:
    if game.over:
        return "done"
    if team.is_bot:
        return "bot"
    return "submitted" if team.submitted is not None else "deciding"


@solara.component
def GamePage() -> None:
    """The facilitator's page: a new game, or the game in the address."""
    game = _find(_query().get("game", ""))
    if game is None:
        NewGame()
    else:
        Facilitator(game)


@solara.component
def JoinForm(code: str) -> None:
    """A team joins with the game's code and a name."""
    router = solara.use_router()
    typed, set_typed = solara.use_state(code)
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def join() -> None:
        try:
            game = GAMES.find(typed)
            team = game.join(name)
        except GameError as exc:
            set_error(str(exc))
            return
        router.push(f"/team?game={game.code}&team={team.token}")

    with solara.Column(style="max-width: 480px; padding: 12px", gap="8px"):
        solara.Text("Join a game", classes=["chart-title"])
        solara.InputText("Game code", value=typed, on_value=set_typed, classes=["join-code"])
        solara.InputText("Team name", value=name, on_value=set_name, classes=["join-name"])
        solara.Button("Join", on_click=join, color="primary", classes=["join-button"])
        if error:
            solara.Error(error, classes=["game-error"])


@solara.component
def TeamView(game: Game, team: Team) -> None:
    """A team's organization, its points and its decisions for the quarter."""
    version = use_game(game)
    draft, set_draft = solara.use_state(dict(team.submitted or {}))
    error, set_error = solara.use_state("")
    solara.use_effect(lambda: set_draft(dict(team.submitted or {})), [game.round])
    levers = team.run.levers_now()
    chosen = {k: v for k, v in draft.items() if levers[k] != v}
    cost = game.cost(team, chosen)
    points = game.points_left(team)

    def submit() -> None:
        try:
            game.submit(team, chosen)
            set_error("")
        except (GameError, ScenarioError) as exc:
            set_error(str(exc))

    frame = solara.use_memo(
        lambda: dataclasses.replace(snapshot(team.run), weeks=game.rounds * QUARTER),
        [team, game.round],
    )
    side = [(team.name, "#1565c0", frame)]
    with solara.Row(classes=["page", "normal"], gap="0px"):
        with solara.Column(classes=["side"], gap="2px"):
            solara.Text(team.name, classes=["value", "team-name"])
            stage = "Game over" if game.over else f"Quarter {game.round} of {game.rounds}"
            solara.Text(f"Game {game.code} · {stage}", classes=["lever-label"])
            if not game.over:
                status = "submitted" if team.submitted is not None else "deciding"
                solara.Text(
                    f"{points} points to spend; these decisions cost {cost}",
                    classes=["decision-cost", "over" if cost > points else "within"],
                )
                for lever, price in PRICES.items():
                    LeverInput(
                        price.control,
                        draft.get(lever, levers[lever]),
                        levers[lever],
                        False,
                        lambda v, lever=lever: set_draft({**draft, lever: v}),
                        note=price.what,
                    )
                solara.Button(
                    f"Submit quarter {game.round}",
                    on_click=submit,
                    color="primary",
                    disabled=cost > points,
                    classes=["submit-decisions"],
                )
                solara.Text(
                    "Submitted: you can change your mind until the quarter is played"
                    if status == "submitted"
                    else "Not submitted yet: undecided teams keep their levers",
                    classes=["team-status", f"status-{status}"],
                )
                if error:
                    solara.Error(error, classes=["game-error"])
        with solara.Column(classes=["main"], gap="4px"):
            Headline(frame)
            if game.over:
                Standing(game, team, version)
            drawn = {
                "selling": selling_chart(side),
                "quota": quota_chart(side),
                "bookings": bookings_chart(side),
                "leaving": leaving_chart(side),
            }
            ChartGrid(drawn, [("selling", "quota"), ("bookings", "leaving")])


@solara.component
def Standing(game: Game, team: Team, version: int) -> None:
    """A team's final score and rank."""
    board = solara.use_memo(game.leaderboard, [game, game.round])
    rank = next(k for k, (t, _) in enumerate(board, start=1) if t is team)
    score = board[rank - 1][1].score
    solara.Text(
        f"Game over: {team.name} scored {score:.0f}, rank {rank} of {len(board)}. "
        "The facilitator shows the debrief.",
        classes=["team-final"],
        style="font-size: 1.4rem",
    )


@solara.component
def TeamPage() -> None:
    """A team's page: the join form, or the team in the address."""
    query = _query()
    game = _find(query.get("game", ""))
    team = None
    if game is not None:
        try:
            team = game.team(query.get("team", ""))
        except GameError:
            team = None
    if game is None or team is None:
        JoinForm(query.get("game", ""))
    else:
        TeamView(game, team)


@solara.component
def DebriefPage() -> None:
    """The debrief of the game in the address: the regime revealed, scores, why, paths."""
    game = _find(_query().get("game", ""))
    if game is None:
        solara.Text("No game with this code on this server.", style="padding: 12px")
    else:
        Debrief(game)


@solara.component
def Debrief(game: Game) -> None:
    """The debrief of one game."""
    version = use_game(game)
    charts = solara.use_memo(lambda: path_charts(game), [game, game.round])
    why = solara.use_thread(lambda: why_text(game), [game, game.round], intrusive_cancel=False)
    with solara.Column(style="padding: 12px", gap="8px", classes=["debrief"]):
        solara.Text(f"Game {game.code}: debrief", classes=["value"])
        lines = regime_text(game)
        solara.Text(lines[0], classes=["regime-reveal"], style="font-size: 1.4rem")
        solara.HTML("ul", "".join(f"<li>{escape(line)}</li>" for line in lines[1:]))
        Leaderboard(game, version)
        solara.Text("Why the winners won", classes=["chart-title"])
        if why.value is None:
            solara.Text("Replaying the winners without each of their decisions...")
        else:
            solara.HTML(
                "ul",
                "".join(f"<li>{escape(line)}</li>" for line in why.value),
                classes=["why"],
            )
        ChartGrid(charts, [("bookings", "selling"), ("quota", "leaving")])
        solara.HTML(
            "div",
            '<div class="chart-title">Decisions</div>'
            + decisions_table(game).to_html(index=False, border=0, classes="decisions"),
        )
        with solara.FileDownload(
            lambda: debrief_zip(game), f"game-{game.code}-debrief.zip", mime_type="application/zip"
        ):
            solara.Button(
                "Download the debrief", icon_name="mdi-download", classes=["download-debrief"]
            )
