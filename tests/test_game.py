"""The game's logic, without a browser: rules, bots, rounds, the scorecard and its tricks."""

import io
import zipfile
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.scenario import load_scenario
from sim.workshop.game.bots import BOTS
from sim.workshop.game.debrief import (
    NAMED_COLORS,
    debrief_zip,
    decisions_table,
    regime_text,
    team_colors,
    worth,
)
from sim.workshop.game.game import Game, GameError, Games, Settings
from sim.workshop.game.rules import (
    AS_IS,
    PRICES,
    QUARTER,
    SURPRISE,
    decision_cost,
    game_scenario,
    pick_regime,
    regime_levers,
)
from sim.workshop.game.scorecard import PART_LABELS, WEIGHTS, outcome, scorecard
from sim.workshop.launch import exposure_warning
from sim.workshop.run import Move, Run


def table(run):
    return run.model.datacollector.get_model_vars_dataframe()


def test_a_regime_is_where_its_scenario_differs_from_the_baseline():
    base, heavy = load_scenario("baseline").levers, load_scenario("friction-heavy").levers
    friction = regime_levers("friction-bound")
    assert friction and all(getattr(heavy, k) == v != getattr(base, k) for k, v in friction.items())
    assert regime_levers(AS_IS) == {}
    scenario = game_scenario("baseline", "friction-bound", 4)
    assert scenario.levers.approval_steps == heavy.approval_steps
    assert scenario.levers.weeks == 4 * QUARTER + 52  # the game, then the year after
    with pytest.raises(GameError, match="unknown regime"):
        regime_levers("luck-bound")
    with pytest.raises(GameError, match="rounds"):
        game_scenario("baseline", AS_IS, 9)


def test_a_surprise_regime_is_one_of_them_and_the_same_for_the_same_seed():
    picks = {pick_regime(SURPRISE, seed) for seed in range(30)}
    assert picks == {"friction-bound", "initiative-bound", "talent-bound"}
    assert pick_regime(SURPRISE, 7) == pick_regime(SURPRISE, 7)


def test_decisions_cost_points_in_the_costly_direction_only():
    levers = load_scenario("baseline").levers.model_dump()
    assert decision_cost(levers, {"approval_steps": 1}) == 6  # two approvals removed
    assert decision_cost(levers, {"approval_steps": 5}) == 0  # adding approvals is free
    assert decision_cost(levers, {"coaching_quality": 0.5}) == 2
    assert decision_cost(levers, {"coaching_quality": 0.52}) == 3  # a part step costs a step
    assert decision_cost(levers, {"initiative_cap": 2, "coaching_focus": "one_thing"}) == 4
    assert decision_cost({**levers, "initiative_cap": 2}, {"initiative_cap": 5}) == 0
    assert decision_cost(levers, {"fire_bottom_share": 0.1}) == 2
    with pytest.raises(GameError, match="not a decision"):
        decision_cost(levers, {"n_sellers": 10})
    assert all(p.what and p.points > 0 for p in PRICES.values())


def test_teams_join_with_the_code_and_a_free_name():
    games = Games()
    game = games.create(Settings(teams=2, bots=("Firing bot",)))
    assert games.find(f" {game.code.lower()} ") is game
    with pytest.raises(GameError, match="no game with code"):
        games.find("QQQQ" if game.code != "QQQQ" else "XXXX")
    red = game.join("  Red   team ")
    assert red.name == "Red team" and not red.is_bot
    with pytest.raises(GameError, match="taken"):
        game.join("red TEAM")
    with pytest.raises(GameError, match="taken"):
        game.join("Firing bot")
    game.join("Blue")
    with pytest.raises(GameError, match="full"):
        game.join("Green")
    assert game.team(red.token) is red
    with pytest.raises(GameError, match="not in the game"):
        game.team("nope")


def test_points_limit_each_quarter_and_carry_over():
    game = Game(Settings(teams=1, points=6, rounds=3, regime=AS_IS))
    team = game.join("Red")
    with pytest.raises(GameError, match="cost 9 points; Red has 6"):
        game.submit(team, {"approval_steps": 0})
    assert game.submit(team, {"approval_steps": 2}) == 3
    asks = team.run.model.levers.ask_hours - 2.0  # two hours fewer asked: 2 points
    assert game.submit(team, {"approval_steps": 3, "ask_hours": asks}) == 2  # replaces it
    game.play_quarter()
    assert game.points_left(team) == 6 + 6 - 2  # unspent points carry over
    assert game.submit(team, {"approval_steps": 0}) == 9
    with pytest.raises(sim.ScenarioError, match="out of range"):
        game.submit(team, {"coaching_quality": 3.0})


def test_a_teams_path_is_a_fresh_run_with_its_decisions_at_the_quarters():
    game = Game(Settings(teams=1, rounds=3, points=10, seed=4, regime=AS_IS))
    team = game.join("Red")
    game.submit(team, {"approval_steps": 1})
    game.play_quarter()
    game.submit(team, {"coaching_quality": 0.6, "initiative_cap": 2})
    game.play_quarter()
    assert game.round == 3 and team.run.week == 26 and game.par.week == 26
    assert team.history == [
        (1, {"approval_steps": 1}, 6),
        (2, {"coaching_quality": 0.6, "initiative_cap": 2}, 6),
    ]
    assert team.run.moves == [
        Move(1, "approval_steps", 1),
        Move(14, "coaching_quality", 0.6),
        Move(14, "initiative_cap", 2),
    ]
    model = sim.SalesOrgModel(game.scenario, seed=4)
    for week in range(1, 27):
        if week == 1:
            model.set_levers({"approval_steps": 1})
        if week == 14:
            model.set_levers({"coaching_quality": 0.6, "initiative_cap": 2})
        model.step()
    assert table(team.run).equals(model.datacollector.get_model_vars_dataframe())


def test_the_untouched_organization_scores_100_and_bots_play_their_plans():
    game = Game(Settings(teams=0, bots=tuple(BOTS), rounds=2, points=6, seed=2, regime=AS_IS))
    game.play_quarter()
    game.play_quarter()
    assert game.over
    board = dict((t.name, card) for t, card in game.leaderboard())
    steady = board["Steady bot"]
    assert steady.score == pytest.approx(100) and set(steady.parts.values()) == {100.0}
    teams = {t.name: t for t in game.teams}
    assert teams["Firing bot"].run.model.levers.fire_bottom_share == 0.1
    approvals = teams["Approvals-first bot"]
    assert approvals.history[0][1] == {"approval_steps": 1}  # 6 points: two approvals
    # then specialists (4 -> 3 sellers each: 2 points) and the asks (3 -> 1 hour: 2 points)
    assert approvals.history[1][1] == {"sellers_per_specialist": 3.0, "ask_hours": 1.0}
    assert all(cost <= 12 for _, _, cost in approvals.history)
    assert teams["Coaching bot"].run.model.levers.coaching_focus == "one_thing"
    with pytest.raises(GameError, match="over"):
        game.play_quarter()


def test_the_leaderboard_is_sorted_by_score_and_weights_add_up():
    game = Game(Settings(teams=0, bots=("Steady bot", "Approvals-first bot", "Firing bot")))
    game.play_quarter()
    scores = [card.score for _, card in game.leaderboard()]
    assert scores == sorted(scores, reverse=True)
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


def test_firing_half_the_sellers_in_the_last_quarter_does_not_pay():
    """The end-game trick: the yearly review falls in the last quarter (week 52)."""
    game = Game(Settings(teams=2, rounds=4, points=10, seed=3, regime=AS_IS))
    plain, trick = game.join("Plain"), game.join("Trick")
    for _ in range(3):
        game.play_quarter()
    game.submit(trick, {"fire_bottom_share": 0.5})
    game.play_quarter()
    board = {t.name: card for t, card in game.leaderboard()}
    assert int(table(trick.run).loc[52, "fired"]) > 20  # the review did fire them
    assert board["Trick"].score < board["Plain"].score == pytest.approx(100)
    # the year played does not see it (they go in its last week); the year after does
    assert board["Trick"].parts["next_year"] < 100
    assert plain.run.week == trick.run.week == 52


def test_the_debrief_names_the_regime_ranks_the_decisions_and_packs_a_zip():
    game = Game(Settings(teams=1, bots=("Steady bot",), rounds=2, points=6, seed=1))
    red = game.join("Red")
    game.submit(red, {"approval_steps": 4})
    game.play_quarter()
    game.submit(red, {"ask_hours": 5.0})
    game.play_quarter()
    assert regime_text(game)[0].startswith("The organization was friction-bound")
    assert any(
        "Approvals a deal needs: 6 (a typical organization: 3)" in line
        for line in regime_text(game)
    )
    found = worth(game, red)
    assert {m.lever for m, _ in found} == {"approval_steps", "ask_hours"}
    values = [v for _, v in found]
    assert values == sorted(values, reverse=True)
    card = dict((t.name, c.score) for t, c in game.leaderboard())["Red"]
    without = Run(game.scenario, 1, [m for m in red.run.moves if m.lever != "ask_hours"], 26)
    assert dict((m.lever, v) for m, v in found)["ask_hours"] == pytest.approx(
        card - scorecard(outcome(without), game.par_outcome()).score
    )
    decisions = decisions_table(game)
    assert decisions[decisions.team == "Red"].decisions.tolist() == [
        "Approvals a deal needs: 4",
        "Hours asked of each seller a week: 5.0 h",
    ]
    pack = zipfile.ZipFile(io.BytesIO(debrief_zip(game)))
    names = set(pack.namelist())
    assert {"summary.html", "scores.csv", "decisions.csv", "charts/bookings.svg"} <= names
    assert {"teams/01-steady-bot.csv", "teams/02-red.csv", "teams/untouched.csv"} <= names
    assert "friction-bound" in pack.read("summary.html").decode()
    assert team_colors(["Red", "Blue", "Crew"])[:2] == [NAMED_COLORS["red"], NAMED_COLORS["blue"]]


def test_game_help_teaches_the_room(capsys):
    with pytest.raises(SystemExit) as done:
        main(["game", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for text in ("--host", "--port", "code", "hidden regime", "year after", "bots", "Ctrl-C"):
        assert text in out, text


def test_the_game_on_every_address_warns_that_the_code_is_no_password():
    warning = exposure_warning("0.0.0.0", 8765, "game")
    assert warning.startswith("salesorg game: warning: listening on 0.0.0.0")
    assert "join code keeps teams apart, it is not a password" in warning.replace("\n  ", " ")


def test_the_docs_give_the_scorecard_and_the_prices_as_played():
    doc = (Path(__file__).parent.parent / "docs" / "workshop.md").read_text()
    for part, weight in WEIGHTS.items():
        assert f"| {PART_LABELS[part]} | {weight:.0%} |" in doc, part
    for price in PRICES.values():
        assert f"| {price.control.label} | {price.what} |" in doc, price.lever
    for bot in BOTS:
        assert f"*{bot}*" in doc, bot
