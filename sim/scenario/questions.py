"""`salesorg init`: the questions a sales leader can answer, and the levers each answer sets.

Each `Question` has a default (the baseline organization's), a unit and a range; the
answers become a scenario (the levers they set, each line commented with the answer it
came from) and a targets file (what the organization measured, for `salesorg calibrate`).
Levers nobody can observe (how fast sellers find buyers, how strong rivals are, how readily
people quit) are left to the calibration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: the model's measured ramp: a new hire reaches 90% of a tenured seller's bookings in
#: about 4.8 months with `ramp_weeks` 22 (benchmarks/calibration.py)
RAMP_WEEKS_PER_MONTH = 22 / 4.8
#: the baseline's initiatives in flight per seller at its launch rate of 10 a quarter
INITIATIVES_PER_RATE = 1.28 / 10
BASE_SHARE = 0.5  # of on-target pay, when the leader does not say
LOAD = 1.25  # benefits and payroll taxes on pay (BLS ECEC)


@dataclass(frozen=True)
class Question:
    """One question: its flag, the prompt, the default and the allowed range."""

    name: str
    prompt: str
    default: float
    unit: str
    low: float
    high: float
    whole: bool = False

    @property
    def flag(self) -> str:
        """The command-line flag that answers it (`--no-input` scripts)."""
        return "--" + self.name.replace("_", "-")

    def check(self, value: Any) -> float:
        """The answer as a number in range, or a refusal naming the question."""
        from sim.scenario.loading import ScenarioError

        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ScenarioError(f"{self.flag} {value!r}: not a number ({self.unit})") from None
        if self.whole and number != int(number):
            raise ScenarioError(f"{self.flag} {value!r}: a whole number, please")
        if not self.low <= number <= self.high:
            raise ScenarioError(
                f"{self.flag} {value!r} is out of range: allowed {self.low:g} to "
                f"{self.high:g} ({self.unit})"
            )
        return int(number) if self.whole else number


QUESTIONS = (
    Question("sellers", "Account executives (sellers in seats)", 150, "sellers", 1, 100_000, True),
    Question("managers", "Front-line sales managers", 19, "managers", 1, 20_000, True),
    Question("presales", "Presales / solution engineers", 38, "engineers", 0, 50_000, True),
    Question(
        "approval_steps",
        "Approval desks a deal passes (deal desk, legal, ...)",
        3,
        "desks",
        0,
        8,
        True,
    ),
    Question(
        "approval_analysts", "Analysts staffing those desks, in all", 22, "analysts", 0, 50_000
    ),
    Question("quota", "Annual quota of a ramped seller", 700, "k$", 1, 100_000),
    Question("quota_growth", "Growth the plan asks for next year", 5, "%", -50, 200),
    Question("deal_size", "Average won deal", 60, "k$", 0.1, 100_000),
    Question(
        "sales_cycle", "Average sales cycle (recorded; the model's emerges)", 90, "days", 1, 1000
    ),
    Question("selling_hours", "Hours a week a seller spends selling (time study)", 15, "h", 0, 80),
    Question(
        "admin_hours",
        "Hours a week a seller spends on admin and tools (time study)",
        10,
        "h",
        0,
        40,
    ),
    Question("meeting_hours", "Hours a week in internal meetings", 8, "h", 0, 40),
    Question("ask_hours", "Hours a week other functions ask of a seller", 3.5, "h", 0, 40),
    Question("initiatives", "Initiatives in flight per seller", 1.3, "initiatives", 0, 10),
    Question("voluntary", "Voluntary attrition last year", 15, "% of seats", 0, 200),
    Question("involuntary", "Involuntary attrition last year", 12, "% of seats", 0, 200),
    Question("at_quota", "Ramped sellers who reached quota last year", 48, "%", 0, 100),
    Question(
        "ramp_months", "Months until a new hire sells like a tenured seller", 5, "months", 0.5, 24
    ),
    Question("hiring_weeks", "Weeks a vacant seat stays open", 10, "weeks", 0, 104, True),
    Question("seller_ote", "A seller's on-target pay", 175, "k$ a year", 0, 10_000),
    Question("presales_cost", "Loaded cost of a presales engineer", 210, "k$ a year", 0, 10_000),
    Question("approver_cost", "Loaded cost of an approval analyst", 140, "k$ a year", 0, 10_000),
    Question("manager_cost", "Loaded cost of a front-line manager", 240, "k$ a year", 0, 10_000),
    Question("director_cost", "Loaded cost of a second-line manager", 290, "k$ a year", 0, 10_000),
    Question("recruiting_cost", "Recruiting cost of a seller hire", 30, "k$", 0, 10_000),
    Question("gross_margin", "Gross margin on bookings", 75, "%", 0, 100),
)
BY_NAME = {q.name: q for q in QUESTIONS}


def levers_from(a: dict[str, float]) -> dict[str, tuple[Any, str]]:
    """The levers the answers set: lever -> (value, the answer it came from)."""
    sellers = a["sellers"]
    out: dict[str, tuple[Any, str]] = {
        "n_sellers": (int(sellers), f"{sellers:g} sellers"),
        "span_of_control": (
            max(1, round(sellers / a["managers"])),
            f"{sellers:g} sellers / {a['managers']:g} managers",
        ),
        "approval_steps": (int(a["approval_steps"]), f"{a['approval_steps']:g} desks"),
        "quota": (a["quota"], f"quota {a['quota']:g} k$"),
        "quota_growth": (a["quota_growth"] / 100, f"the plan asks {a['quota_growth']:g}% more"),
        "deal_size": (a["deal_size"], f"average deal {a['deal_size']:g} k$"),
        "admin_hours": (a["admin_hours"], "time study"),
        "meeting_hours": (a["meeting_hours"], "time study"),
        "ask_hours": (a["ask_hours"], "time study"),
        "initiative_rate": (
            round(min(52.0, a["initiatives"] / INITIATIVES_PER_RATE), 2),
            f"{a['initiatives']:g} in flight per seller (the baseline: 1.28 at 10 a quarter)",
        ),
        "ramp_weeks": (
            max(1, round(a["ramp_months"] * RAMP_WEEKS_PER_MONTH)),
            f"{a['ramp_months']:g} months to sell like a tenured seller",
        ),
        "hiring_weeks": (int(a["hiring_weeks"]), f"{a['hiring_weeks']:g} weeks to fill a seat"),
        "seller_base_cost": (
            round(a["seller_ote"] * BASE_SHARE * LOAD, 1),
            f"half of {a['seller_ote']:g} k$ on-target pay, loaded x{LOAD}",
        ),
        "commission_rate": (
            round(min(1.0, a["seller_ote"] * (1 - BASE_SHARE) / a["quota"]), 4),
            "half of on-target pay, earned at quota",
        ),
        "presales_cost": (a["presales_cost"], "loaded cost"),
        "approver_cost": (a["approver_cost"], "loaded cost"),
        "manager_cost": (a["manager_cost"], "loaded cost"),
        "director_cost": (a["director_cost"], "loaded cost"),
        "recruiting_cost": (a["recruiting_cost"], "per hire"),
        "gross_margin": (a["gross_margin"] / 100, f"{a['gross_margin']:g}%"),
        "quota_policy": ("plan", "quotas from last year's bookings plus the plan's growth"),
    }
    if a["presales"] > 0:
        out["sellers_per_specialist"] = (
            round(sellers / a["presales"], 3),
            f"{sellers:g} sellers / {a['presales']:g} engineers",
        )
    else:
        out["sellers_per_specialist"] = (100.0, "no presales engineers: one per 100 sellers")
    if a["approval_steps"] > 0:
        analysts = max(a["approval_analysts"], 0.01)
        per = min(1000.0, max(1.0, sellers * a["approval_steps"] / analysts))
        out["sellers_per_approver"] = (
            round(per, 3),
            f"{analysts:g} analysts over {a['approval_steps']:g} desks",
        )
    return out


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}" if isinstance(value, float) else str(value)


def scenario_text(a: dict[str, float], name: str) -> str:
    """The scenario TOML: every lever the answers set, with the answer as a comment."""
    lines = [
        f'description = "{name}: described with salesorg init; calibrate it with salesorg '
        f'calibrate {name}.toml --targets {name}.targets.toml"',
        'extends = "baseline"',
        f"# sales cycle: {a['sales_cycle']:g} days (recorded; the model's cycle emerges from "
        "its stages and queues)",
        "",
        "[levers]",
    ]
    for lever, (value, why) in levers_from(a).items():
        lines.append(f"{lever} = {_toml(value)}  # {why}")
    return "\n".join(lines) + "\n"


def targets_text(a: dict[str, float], name: str) -> str:
    """The targets TOML: what the organization measured."""
    return "\n".join(
        [
            f'description = "What {name} measured last year (salesorg init)"',
            f"share_at_quota = {a['at_quota'] / 100:g}",
            f"voluntary_attrition = {a['voluntary'] / 100:g}",
            f"involuntary_attrition = {a['involuntary'] / 100:g}",
            f"ramp_months = {a['ramp_months']:g}",
            "",
            "[time_study]  # hours a week of an average seller",
            f"selling = {a['selling_hours']:g}",
            f"admin = {a['admin_hours']:g}",
            f"meetings = {a['meeting_hours']:g}",
            f"asks = {a['ask_hours']:g}",
            "",
        ]
    )


def answers_from(given: dict[str, Any], ask=None) -> dict[str, float]:
    """Every answer: given ones checked, the rest asked (with `ask`) or their defaults."""
    out = {}
    for q in QUESTIONS:
        if given.get(q.name) is not None:
            out[q.name] = q.check(given[q.name])
        elif ask is not None:
            out[q.name] = q.check(ask(q))
        else:
            out[q.name] = q.default
    if out["managers"] > out["sellers"]:
        from sim.scenario.loading import ScenarioError

        raise ScenarioError(f"--managers {out['managers']:g}: more managers than sellers")
    return out
