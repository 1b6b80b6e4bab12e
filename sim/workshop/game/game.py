"""A game: teams run copies of the same organization, decide each quarter, and are scored.

The facilitator creates a `Game` (scenario, hidden regime, quarters, teams, bots, points a
quarter, seed) and gets a join code. Each team joins with the code and a name and runs its
own `Run` of the same organization from the same seed; each quarter it submits decisions
within its points. When the facilitator plays the quarter, every bot decides, every
team's decisions take effect at the start of the quarter and all organizations run 13
weeks. The leaderboard ranks the teams by their scorecard (`scorecard`), as if the game
ended now. The games live in the server's memory (`GAMES`), shared by every browser.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from sim.scenario import Scenario, check_levers
from sim.workshop.game.bots import BOTS, Bot
from sim.workshop.game.rules import (
    DEFAULT_POINTS,
    DEFAULT_ROUNDS,
    PRICES,
    QUARTER,
    GameError,
    decision_cost,
    game_scenario,
    pick_regime,
)
from sim.workshop.game.scorecard import Outcome, Scorecard, outcome, scorecard
from sim.workshop.run import Run

CODE_LETTERS = "ACDEFHJKMNPQRTUVWXY"  # no look-alikes (B/8, I/1, O/0, S/5, G/6, L, Z/2)
MAX_TEAMS = 12


@dataclass(frozen=True)
class Settings:
    """What the facilitator chose."""

    scenario: str = "baseline"
    regime: str = "friction-bound"
    rounds: int = DEFAULT_ROUNDS
    teams: int = 2
    bots: tuple[str, ...] = ()
    points: int = DEFAULT_POINTS
    seed: int = 1


@dataclass
class Team:
    """A team (or a bot) and its organization."""

    name: str
    token: str
    run: Run
    bot: Bot | None = None
    spent: int = 0
    submitted: dict[str, Any] | None = None
    history: list[tuple[int, dict[str, Any], int]] = field(default_factory=list)

    @property
    def is_bot(self) -> bool:
        """Whether a strategy plays this team."""
        return self.bot is not None


class Game:
    """One game, shared by the facilitator's and the teams' browsers."""

    def __init__(self, settings: Settings, code: str | None = None) -> None:
        """Set up the organization, the untouched twin and the bots."""
        unknown = [b for b in settings.bots if b not in BOTS]
        if unknown:
            raise GameError(f"unknown bot {unknown[0]!r}: pick from {', '.join(BOTS)}")
        if not 0 <= settings.teams <= MAX_TEAMS or settings.teams + len(settings.bots) < 1:
            raise GameError(f"teams = {settings.teams}: allowed 1 to {MAX_TEAMS}, bots aside")
        if settings.points < 0:
            raise GameError(f"points = {settings.points}: allowed 0 or more a quarter")
        self.settings = settings
        self.code = code or new_code()
        self.regime = pick_regime(settings.regime, settings.seed)
        self.scenario: Scenario = game_scenario(settings.scenario, self.regime, settings.rounds)
        self.round = 1  # the quarter being decided; rounds + 1 when the game is over
        self.teams: list[Team] = []
        self.par = self._run()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.version = 0
        self._par_outcome: tuple[int, Outcome] | None = None
        for name in settings.bots:
            self.teams.append(Team(name, secrets.token_hex(8), self._run(), BOTS[name]))

    def _run(self) -> Run:
        return Run(self.scenario, self.settings.seed)

    # ------------------------------------------------------------------ state
    @property
    def rounds(self) -> int:
        """Quarters in the game."""
        return self.settings.rounds

    @property
    def over(self) -> bool:
        """Whether every quarter has been played."""
        return self.round > self.rounds

    @property
    def week(self) -> int:
        """Weeks played so far."""
        return (self.round - 1) * QUARTER

    def humans(self) -> list[Team]:
        """The teams of people."""
        return [t for t in self.teams if not t.is_bot]

    def team(self, token: str) -> Team:
        """A team by its private token."""
        for team in self.teams:
            if team.token == token:
                return team
        raise GameError("this team is not in the game (an old link?): join again")

    def points_left(self, team: Team) -> int:
        """Points the team can spend this quarter (unspent points carry over)."""
        return self.settings.points * min(self.round, self.rounds) - team.spent

    def _touch(self) -> None:
        self.version += 1
        self.changed.notify_all()

    def wait(self, version: int, timeout: float) -> int:
        """Wait until the game changes from `version` (or `timeout` seconds); the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    # ------------------------------------------------------------------ moves
    def join(self, name: str) -> Team:
        """A new team; refused when the game is full, over, or the name is taken."""
        name = " ".join(name.split())[:30]
        with self.lock:
            if not name:
                raise GameError("give your team a name")
            if self.over:
                raise GameError("this game is over")
            if len(self.humans()) >= self.settings.teams:
                raise GameError(f"the game is full: {self.settings.teams} teams have joined")
            if any(t.name.lower() == name.lower() for t in self.teams):
                raise GameError(f"{name!r} is taken: pick another name")
            team = Team(name, secrets.token_hex(8), self._run())
            team.run.step(self.week)  # a late team joins the untouched organization as it is
            self.teams.append(team)
            self._touch()
            return team

    def cost(self, team: Team, decisions: dict[str, Any]) -> int:
        """Points these decisions would cost the team this quarter."""
        return decision_cost(team.run.levers_now(), decisions)

    def submit(self, team: Team, decisions: dict[str, Any]) -> int:
        """The team's decisions for this quarter (replacing earlier ones); their cost."""
        with self.lock:
            if self.over:
                raise GameError("the game is over")
            checked = check_levers(decisions, source=team.name) if decisions else {}
            now = team.run.levers_now()
            changed = {k: v for k, v in checked.items() if now[k] != v}
            cost = self.cost(team, changed)
            if cost > self.points_left(team):
                raise GameError(
                    f"these decisions cost {cost} points; {team.name} has "
                    f"{self.points_left(team)} this quarter"
                )
            team.submitted = changed
            self._touch()
            return cost

    def play_quarter(self) -> None:
        """Bots decide, every team's decisions take effect, every organization runs 13 weeks."""
        with self.lock:
            if self.over:
                raise GameError("the game is over")
            for team in self.teams:
                if team.is_bot and team.submitted is None:
                    levers = team.run.levers_now()
                    team.submitted = team.bot.decide(levers, self.points_left(team))
            for team in self.teams:
                decisions = team.submitted or {}
                cost = self.cost(team, decisions)
                for lever, value in decisions.items():
                    team.run.move(lever, value)
                team.spent += cost
                team.history.append((self.round, dict(decisions), cost))
                team.submitted = None
                team.run.step(QUARTER)
            self.par.step(QUARTER)
            self.round += 1
            self._touch()

    # ------------------------------------------------------------------ scores
    def par_outcome(self) -> Outcome:
        """The untouched organization's figures at this week."""
        with self.lock:
            if self._par_outcome is None or self._par_outcome[0] != self.week:
                self._par_outcome = (self.week, outcome(self.par))
            return self._par_outcome[1]

    def leaderboard(self) -> list[tuple[Team, Scorecard]]:
        """Every team with its scorecard as if the game ended now, best first."""
        with self.lock:
            par = self.par_outcome()
            cards = [(team, scorecard(outcome(team.run), par)) for team in self.teams]
        return sorted(cards, key=lambda pair: -pair[1].score)


def new_code() -> str:
    """A join code nobody can misread: four letters."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(4))


class Games:
    """The games of this server, by code."""

    def __init__(self) -> None:
        """No games yet."""
        self._games: dict[str, Game] = {}
        self._lock = threading.Lock()

    def create(self, settings: Settings) -> Game:
        """A new game with a code not in use."""
        with self._lock:
            code = new_code()
            while code in self._games:
                code = new_code()
            game = Game(settings, code)
            self._games[code] = game
            return game

    def find(self, code: str) -> Game:
        """The game with this code (any case, spaces ignored)."""
        key = "".join(code.split()).upper()
        with self._lock:
            if key not in self._games:
                raise GameError(f"no game with code {key or '(empty)'}: check the code")
            return self._games[key]


GAMES = Games()
DECISIONS = tuple(PRICES)
