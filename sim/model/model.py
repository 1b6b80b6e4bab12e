"""`SalesOrgModel`: a Mesa model of a B2B sales organization, one step per week.

The week, in order:

1. interventions scheduled for this week take effect; new hires take the seats whose
   vacancy has run its course;
2. managers' coaching hours are set (planned coaching time less follow-up of initiatives,
   interviewing and onboarding);
3. every seller's hours are allocated (admin, meetings, initiatives, context switching,
   handoffs, chasing, asks, coaching); selling is what is left;
4. the pipeline moves: new opportunities, specialist and approval queues, wins;
5. coaching moves skill; 6. initiatives are launched, worked, adopted or abandoned;
7. morale moves; sellers quit, are managed out or fired, and their seats empty;
8. numbers are collected (model reporters weekly, people every `people_every` weeks).

At the start of each fiscal year (every 52 weeks of the run) quotas are set from the
plan (`quota_policy`). The model owns one numpy array per state variable; agents hold row
indices into them. Steps 1 (its hires) to 7 and the week's numbers are one compiled call
(`sim.model.week.run_week`); the model then creates and removes the Mesa agents of the
people hired and leaving. Every random draw is keyed to (seed, mechanism, week, seat)
(`sim.model.draws`): two scenarios with the same seed share their luck seat by seat.
"""

from __future__ import annotations

import inspect
from typing import Any

import mesa
import numpy as np

from sim.model import draws
from sim.model.agents import AGENT_CLASSES, OrgAgent, Seller
from sim.model.collector import AGENT_REPORTERS, MODEL_REPORTERS, WeeklyCollector
from sim.model.mechanics.hiring import hire_talent
from sim.model.mechanics.initiatives import Initiatives
from sim.model.mechanics.people import People, fire_due
from sim.model.mechanics.pipeline import Pipeline
from sim.model.mechanics.week_levers import WeekLevers
from sim.model.metrics import METRIC_NAMES, as_values, week_metrics
from sim.model.organization import SUPPORT_FUNCTIONS, build_organization
from sim.model.state import HOUR, TRAILING_WEEKS, SellerState, effective_skill
from sim.model.week import FISCAL_WEEKS, Record, run_week, set_quotas
from sim.scenario import Scenario, ScenarioError, check_levers, load_scenario
from sim.scenario.levers import FIXED_AT_START, Levers

MANAGER_QUALITY_SD = 0.1
INITIAL_MEAN_TENURE = 2.5 * 52  # weeks: the seated sellers' tenures are exponential
STRUCTURAL = frozenset({"approval_steps", "span_of_control", "sellers_per_specialist"})


class SalesOrgModel(mesa.Model):
    """A B2B sales organization: sellers, specialists, support functions and managers.

    Args:
        scenario: a scenario name from `scenarios/`, a path to a TOML file, or a `Scenario`.
        seed: seed of the run's random numbers (same seed, same tables).
        **levers: any lever of `sim.scenario.levers.Levers`, overriding the scenario's value.

    """

    def __init__(
        self, scenario: str | Scenario = "baseline", seed: int | None = None, **levers: Any
    ) -> None:
        """Build the organization described by the scenario and the levers."""
        super().__init__(seed=seed)
        #: the seed every draw is keyed to (one is drawn when none is given)
        self.run_seed = int(seed) if seed is not None else int(self.rng.integers(2**63))
        self.key = draws.run_key(self.run_seed)
        base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.scenario = base.with_levers(levers, source="SalesOrgModel()")
        self.levers: Levers = self.scenario.levers
        self.events: list[tuple[int, str]] = []
        self._pending = list(self.scenario.interventions)
        self._apply_due_interventions(0)

        lev = self.levers
        self.sellers = self._seat_going_concern(lev)
        self.org = build_organization(lev)
        self.pipeline = Pipeline.create(lev.n_sellers, lev.approval_steps, self.sellers.territory)
        engaged = self.pipeline.open_deals()  # their accounts are neither in nor out of market
        self.sellers.market_out[:] = np.maximum(self.sellers.market_out - engaged, 0.0)
        self.initiatives = Initiatives.create(self.org.n_managers)
        self._quality_offset = self._manager_offsets(0, self.org.n_managers)
        self._seat_quality: np.ndarray | None = None
        self.people = People.create(lev.n_sellers)
        self.leavers = np.zeros((TRAILING_WEEKS, 3))  # weekly voluntary, involuntary, regretted
        self.headcount_history = np.full(TRAILING_WEEKS, float(lev.n_sellers))
        self.fiscal = np.zeros(2)  # this fiscal year's bookings and seat-years
        self._record = Record(self.leavers, self.headcount_history, self.fiscal)
        self.team_active_initiatives = self.initiatives.active()
        self.team_queued_initiatives = self.initiatives.queued()
        self._numbers: np.ndarray | None = None  # the last week's numbers, from `run_week`
        self._week_levers: tuple[Levers | None, WeekLevers | None] = (None, None)
        self.role_agents: dict[str, list[OrgAgent]] = {role: [] for role in AGENT_CLASSES}
        self._sync_agents()
        self.clock = 0  # weeks simulated, warm-up included: indexes the trailing windows
        for _ in range(lev.warmup_weeks):
            self._week()
        self.fiscal[:] = 0.0  # the first fiscal year starts with the run

        self._set_metrics(
            self._numbers if self._numbers is not None else self._metrics_before_any_week()
        )
        self.datacollector = WeeklyCollector(
            lev.people_every, model_reporters=MODEL_REPORTERS, agent_reporters=AGENT_REPORTERS
        )
        self.running = lev.weeks > 0
        self.datacollector.collect(self)

    # ---------------------------------------------------------------- numbers
    def _set_metrics(self, numbers: np.ndarray) -> None:
        self.metric_values: list[float | int] = as_values(numbers)  # in `METRIC_NAMES` order
        self._metrics: dict[str, float | int] | None = None

    def _metrics_before_any_week(self) -> np.ndarray:
        """Every model reporter as the model stands, before any week has run (no flows)."""
        s = self.sellers
        none = np.zeros(0)
        return week_metrics(
            s.arrays(),
            effective_skill(s.skill),
            s.attainment(),
            self.pipeline.open_deals(),
            (
                self.org.manager_of,
                self.team_active_initiatives,
                self.team_queued_initiatives,
                self.initiatives.counts,
            ),
            (self.leavers, self.headcount_history),
            (0, 0.0, 0.0, none, np.zeros(0, dtype=np.int64), none, 0.0, 0.0, 0, 0),
            max(min(self.clock, TRAILING_WEEKS), 1),
            self._week_levers_now(),
        )

    @property
    def metrics(self) -> dict[str, float | int]:
        """The week's model reporters by name (built when first read in the week)."""
        if self._metrics is None:
            self._metrics = dict(zip(METRIC_NAMES, self.metric_values, strict=True))
        return self._metrics

    def _seat_going_concern(self, lev: Levers) -> SellerState:
        """The sellers in their seats at the start: hired as every hire is, tenures spread."""
        seats = np.arange(lev.n_sellers, dtype=np.int64)
        streams = (draws.INIT_TALENT, draws.INIT_NOISE)
        talent = hire_talent(self.key, streams, 0, seats, WeekLevers.of(lev))
        tenure_draw = draws.uniforms(self.key, draws.INIT_TENURE, 0, seats, 0)
        tenure = -np.log(tenure_draw) * INITIAL_MEAN_TENURE
        territory = np.exp(
            draws.normals(
                self.key,
                draws.INIT_TERRITORY,
                0,
                seats,
                0,
                -(lev.territory_sigma**2) / 2,
                lev.territory_sigma,
            )
        )
        return SellerState.create(lev, talent, tenure, territory)

    def _manager_offsets(self, first: int, last: int) -> np.ndarray:
        """Each manager's own coaching quality offset (managers `first` to `last - 1`)."""
        managers = np.arange(first, last, dtype=np.int64)
        return draws.normals(
            self.key, draws.MANAGER_QUALITY, 0, managers, 0, 0.0, MANAGER_QUALITY_SD
        )

    # ---------------------------------------------------------------- structure
    @property
    def manager_quality(self) -> np.ndarray:
        """Coaching quality of each manager (the lever plus each manager's own offset)."""
        return (self.levers.coaching_quality + self._quality_offset).clip(0.0, 1.0)

    def seller_columns(self) -> dict[str, np.ndarray]:
        """The agent reporters of every seated seller, as arrays in seat order."""
        s, org = self.sellers, self.org
        rows = np.flatnonzero(s.filled)
        return {
            "unique_id": self._seat_ids[rows],
            "skill": effective_skill(s.skill[:, rows]),
            "tenure": s.tenure[rows],
            "morale": s.morale[rows],
            "selling_hours": s.hours[HOUR["selling"], rows],
            "attainment": s.attainment()[rows],
            "initiatives": self.team_active_initiatives[org.manager_of[rows]],
            "manager": org.manager_of[rows],
        }

    def _role_counts(self) -> dict[str, int]:
        org = self.org
        return {
            "seller": org.n_sellers,
            "manager": org.n_managers,
            "director": org.n_directors,
            "presales": org.n_presales,
            "desk": len(org.desks),
            "function": len(SUPPORT_FUNCTIONS),
        }

    def _sync_agents(self) -> None:
        """Create or remove agents so that each role has one agent per row."""
        for role, count in self._role_counts().items():
            agents = self.role_agents[role]
            cls = AGENT_CLASSES[role]
            while len(agents) < count:
                agents.append(cls(self, len(agents)))
            while len(agents) > count:
                agents.pop().remove()
        seats = self.role_agents["seller"]
        self._seat_ids = np.array([-1 if a is None else a.unique_id for a in seats], dtype=np.int64)
        self.other_agents = [
            a for role, agents in self.role_agents.items() if role != "seller" for a in agents
        ]

    def set_levers(self, changes: dict[str, Any], note: str = "") -> None:
        """Change levers mid-run (an intervention); structural changes rebuild the graph."""
        source = note or "intervention"
        checked = check_levers(changes, source=source)
        fixed = sorted(FIXED_AT_START & checked.keys())
        if fixed and hasattr(self, "org"):
            raise ScenarioError(f"{source}: {fixed[0]}: cannot change during a run")
        old = self.levers
        self.levers = old.model_copy(update=checked)
        self._seat_quality = None  # the coaching quality of each seat's manager, when known
        self.events.append((self.steps, note or ", ".join(f"{k}={v}" for k, v in checked.items())))
        if not hasattr(self, "org"):
            return  # before the organization exists: it is built from the new levers
        if {"quota", "quota_policy"} & checked.keys():  # a new quota is in force from now
            set_quotas(
                self.sellers.arrays(),
                Record(self.leavers, self.headcount_history, np.zeros(2)),
                WeekLevers.of(self.levers),
            )
        if any(getattr(old, k) != getattr(self.levers, k) for k in STRUCTURAL):
            self._rebuild()

    def _rebuild(self) -> None:
        old_manager_of = self.org.manager_of
        old_managers = self.org.n_managers
        self.org = build_organization(self.levers)
        self.pipeline.resize_hops(self.levers.approval_steps)
        n_managers = self.org.n_managers
        if n_managers != old_managers or not np.array_equal(old_manager_of, self.org.manager_of):
            # each new team carries on from the old team of its first seller
            _, first_seat = np.unique(self.org.manager_of, return_index=True)
            source = old_manager_of[first_seat]
            self.initiatives.remap_teams(source)
            extra = self._manager_offsets(old_managers, max(n_managers, old_managers))
            offsets = np.concatenate([self._quality_offset, extra])
            self._quality_offset = offsets[:n_managers]
        self.team_active_initiatives = self.initiatives.active()
        self.team_queued_initiatives = self.initiatives.queued()
        self._sync_agents()

    def _hire_agents(self, rows: np.ndarray) -> None:
        """Each new hire is a new Seller agent in the seat."""
        seats = self.role_agents["seller"]
        for row in rows.tolist():
            seats[row] = Seller(self, row)
            self._seat_ids[row] = seats[row].unique_id

    def _remove_agents(self, rows: np.ndarray) -> None:
        """Leavers' agents leave the model."""
        seats = self.role_agents["seller"]
        for row in rows.tolist():
            seats[row].remove()
            seats[row] = None

    def _apply_due_interventions(self, week: int) -> None:
        while self._pending and self._pending[0].week <= week:
            iv = self._pending.pop(0)
            self.set_levers(iv.set, note=iv.note or f"week {iv.week}: {iv.set}")

    # ---------------------------------------------------------------- the week
    def _week_levers_now(self) -> WeekLevers:
        """The levers as the compiled week reads them (made anew when the levers change)."""
        if self._week_levers[0] is not self.levers:
            self._week_levers = (self.levers, WeekLevers.of(self.levers))
        return self._week_levers[1]

    def step(self) -> None:
        """One week of the organization: interventions due, the week itself, the numbers."""
        self._apply_due_interventions(self.steps)
        if self.steps > 0 and self.steps % FISCAL_WEEKS == 0:  # a new fiscal year
            set_quotas(self.sellers.arrays(), self._record, self._week_levers_now())
        self._week()
        self._set_metrics(self._numbers)
        if self.steps >= self.levers.weeks:
            self.running = False
        self.datacollector.collect(self)

    def _week(self) -> None:
        """The mechanics of one week (also run, uncollected, for the warm-up)."""
        lev, s, org = self.levers, self.sellers, self.org
        if lev.coach_the_coaches > 0:  # second-line managers develop the front line
            self._quality_offset += lev.coach_the_coaches * (0.9 - self.manager_quality)
            self._seat_quality = None
        if self._seat_quality is None:  # changes with the levers, the teams and the above
            self._seat_quality = self.manager_quality[org.manager_of]
        review = self.steps > 0 and fire_due(lev, self.steps)  # none during the warm-up
        hired, left, self.initiatives.arrays, active, queued, self._numbers = run_week(
            s.arrays(),
            self.pipeline.arrays(),
            self.initiatives.arrays,
            self.people.vacancy_left,
            org.arrays,
            self.team_active_initiatives,
            self._seat_quality,
            self._record,
            self._week_levers_now(),
            self.key,
            (self.clock, self.steps, review),
        )
        self.team_active_initiatives, self.team_queued_initiatives = active, queued
        self._hire_agents(hired)
        self._remove_agents(left)
        self.clock += 1


def _signature() -> inspect.Signature:
    """`SalesOrgModel(scenario, seed, <every lever>=<baseline default>)`, for introspection."""
    params = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("scenario", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="baseline"),
        inspect.Parameter("seed", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None),
    ]
    params += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=field.default)
        for name, field in Levers.model_fields.items()
    ]
    return inspect.Signature(params)


SalesOrgModel.__init__.__signature__ = _signature()
