"""The levers: every parameter of the model, with its default, unit, range and source.

`Levers` is the single source of truth. Defaults describe the baseline organization
(a typical B2B sales organization); scenarios override some of them, and
`SalesOrgModel(**levers)` overrides again. Ranges are enforced by pydantic, so a value
out of range is refused with the key, the value and the allowed range.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SKILL_COMPONENTS = ("prospecting", "qualification", "discovery", "closing")


def lever(default: Any, *, unit: str, doc: str, ge=None, le=None, source: str = "") -> Any:
    """Declare a lever field with its unit, description and calibration source."""
    return Field(
        default,
        ge=ge,
        le=le,
        description=doc,
        json_schema_extra={"unit": unit, "source": source},
    )


class Levers(BaseModel):
    """All model parameters. Field order is the order shown in docs and the CLI."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # --- size and structure -------------------------------------------------------
    n_sellers: int = lever(
        150, unit="sellers", ge=1, le=1_000_000, doc="Account executives (seats)."
    )
    span_of_control: int = lever(
        8,
        unit="sellers per manager",
        ge=1,
        le=50,
        doc="Sellers per front-line manager.",
        source="Alexander Group: span about 8.5",
    )
    sellers_per_specialist: float = lever(
        4.0,
        unit="sellers per specialist",
        ge=0.5,
        le=100.0,
        doc="Sellers sharing one presales/solution engineer.",
    )
    specialist_hours: float = lever(
        32.0,
        unit="hours/week",
        ge=1.0,
        le=60.0,
        doc="Deal-support hours a specialist gives a week.",
    )
    presales_hours: float = lever(
        3.0,
        unit="hours/deal/week",
        ge=0.0,
        le=40.0,
        doc="Specialist hours a deal in the solution stage needs each week.",
    )
    approval_steps: int = lever(
        3,
        unit="hops",
        ge=0,
        le=8,
        doc="Desks a deal must pass in sequence before it can close (deal desk, legal, ...).",
    )
    sellers_per_approver: float = lever(
        20.0, unit="sellers per analyst", ge=1.0, le=1000.0, doc="Staffing of each approval desk."
    )
    review_hours: float = lever(
        2.0, unit="hours/deal", ge=0.1, le=40.0, doc="Desk hours to review one deal at one hop."
    )
    handoff_hours: float = lever(
        1.0,
        unit="hours/hop",
        ge=0.0,
        le=10.0,
        doc="Seller hours to hand a deal to a specialist or desk (per hop).",
    )
    chase_hours: float = lever(
        0.5,
        unit="hours/deal/week",
        ge=0.0,
        le=10.0,
        doc="Seller hours a week spent chasing each deal that waits in a queue.",
    )
    wait_loss: float = lever(
        0.04,
        unit="share/week",
        ge=0.0,
        le=1.0,
        doc="Weekly chance that a deal waiting in a queue is lost (the buyer moves on).",
    )

    # --- the seller's week ---------------------------------------------------------
    work_hours: float = lever(
        45.0, unit="hours/week", ge=10.0, le=80.0, doc="Contracted working week of a seller."
    )
    selling_floor: float = lever(
        4.0,
        unit="hours/week",
        ge=0.0,
        le=40.0,
        doc="Selling hours a seller protects; demands beyond this become overtime.",
    )
    admin_hours: float = lever(
        8.0, unit="hours/week", ge=0.0, le=40.0, doc="Admin, CRM and internal tools."
    )
    meeting_hours: float = lever(
        6.0, unit="hours/week", ge=0.0, le=40.0, doc="Internal meetings (forecast calls, reviews)."
    )
    ask_hours: float = lever(
        3.0,
        unit="hours/week",
        ge=0.0,
        le=40.0,
        doc="Expected hours a week asked of each seller by support functions.",
    )
    lead_rate: float = lever(
        0.3,
        unit="leads/seller/week",
        ge=0.0,
        le=20.0,
        doc="Marketing leads sent to each seller.",
    )

    # --- initiatives ---------------------------------------------------------------
    initiative_rate: float = lever(
        10.0,
        unit="initiatives/quarter",
        ge=0.0,
        le=52.0,
        doc="Initiatives launched by support functions each quarter.",
    )
    initiative_reach: float = lever(
        0.09, unit="share of teams", ge=0.0, le=1.0, doc="Share of teams an initiative targets."
    )
    initiative_hours: float = lever(
        1.5,
        unit="hours/week",
        ge=0.0,
        le=20.0,
        doc="Hours each active initiative asks of a seller every week.",
    )
    initiative_weeks: int = lever(
        26,
        unit="weeks",
        ge=1,
        le=260,
        doc="Weeks an initiative stays active for a seller before it is abandoned unadopted.",
    )
    initiative_cap: int = lever(
        99,
        unit="initiatives",
        ge=1,
        le=99,
        doc="Most initiatives active at once per seller; the rest queue (99 = no cap).",
    )
    switching_cost: float = lever(
        0.2,
        unit="share per extra project",
        ge=0.0,
        le=0.5,
        doc="Focus time lost per concurrent initiative beyond the first.",
        source="Weinberg: 2 projects lose ~20%, 3 ~40%",
    )
    follow_up: float = lever(
        0.3,
        unit="share",
        ge=0.0,
        le=1.0,
        doc="How consistently managers follow up on initiatives (0 = start then forget).",
    )

    # --- managers and coaching -----------------------------------------------------
    manager_hours: float = lever(45.0, unit="hours/week", ge=10.0, le=80.0, doc="Manager's week.")
    coaching_share: float = lever(
        0.16,
        unit="share of manager time",
        ge=0.0,
        le=1.0,
        doc="Share of a manager's week planned for coaching.",
        source="managers coach about 16% of their time",
    )
    coaching_quality: float = lever(
        0.4,
        unit="0-1",
        ge=0.0,
        le=1.0,
        doc="Mean coaching quality of front-line managers.",
    )
    coaching_focus: Literal["one_thing", "one_size"] = lever(
        "one_size",
        unit="choice",
        doc="'one_thing': each seller's weakest skill; 'one_size': the organization's focus.",
    )
    focus_component: Literal["prospecting", "qualification", "discovery", "closing"] = lever(
        "closing", unit="choice", doc="Skill that 'one_size' coaching targets."
    )
    learn_rate: float = lever(
        0.01,
        unit="per coaching hour",
        ge=0.0,
        le=1.0,
        doc="Skill gained per hour of perfect coaching, times s(1-s).",
    )
    skill_decay: float = lever(
        0.01,
        unit="share/week",
        ge=0.0,
        le=1.0,
        doc="Weekly decay of learned skill back toward the seller's innate talent.",
    )

    # --- talent, ramp and hiring -----------------------------------------------------
    talent_mean: float = lever(
        0.5, unit="0-1", ge=0.05, le=0.95, doc="Mean skill component of new hires."
    )
    talent_sd: float = lever(
        0.12, unit="0-1", ge=0.0, le=0.5, doc="Spread of skill components in the talent pool."
    )
    ramp_weeks: int = lever(
        22,
        unit="weeks",
        ge=1,
        le=104,
        doc="Weeks for a new hire to reach full productivity.",
        source="Bridge Group 2024: median ramp about 5 months",
    )
    hiring_weeks: int = lever(
        10, unit="weeks", ge=0, le=104, doc="Weeks a vacant seat stays open before a hire starts."
    )
    hiring_quality: float = lever(
        0.3,
        unit="0-1",
        ge=0.0,
        le=1.0,
        doc="How well interviews see skill when picking the best of three candidates.",
    )
    quit_rate: float = lever(
        0.08,
        unit="share/year",
        ge=0.0,
        le=2.0,
        doc="Voluntary quitting rate at neutral morale (on top of 4% a year for life events).",
        source="Bridge Group: about one in three leave a year, roughly half voluntarily",
    )
    morale_sensitivity: float = lever(
        5.0,
        unit="per unit of morale",
        ge=0.0,
        le=30.0,
        doc="How steeply quitting rises as morale falls below neutral (log-hazard slope).",
    )
    skill_options: float = lever(
        0.6,
        unit="per sd of skill",
        ge=0.0,
        le=5.0,
        doc="How much steeper the slope is per sd of skill above peers (the skilled have options).",
    )
    manage_out_below: float = lever(
        0.6,
        unit="share of median attainment",
        ge=0.0,
        le=2.0,
        doc="Ramped sellers below this share of the median attainment are performance-managed.",
    )
    manage_out_rate: float = lever(
        0.02,
        unit="share/week",
        ge=0.0,
        le=1.0,
        doc="Weekly chance a seller in performance management is let go.",
    )
    leaver_deal_loss: float = lever(
        0.5,
        unit="share",
        ge=0.0,
        le=1.0,
        doc="Share of a leaver's open deals lost when the seat empties.",
    )
    fire_bottom_share: float = lever(
        0.0,
        unit="share",
        ge=0.0,
        le=0.5,
        doc="Share of ramped sellers fired at each review, lowest trailing attainment first.",
    )
    fire_every_weeks: int = lever(
        52, unit="weeks", ge=1, le=520, doc="Weeks between firing reviews."
    )
    fire_start_week: int = lever(
        52, unit="week", ge=0, le=2000, doc="Week of the first firing review."
    )

    coach_the_coaches: float = lever(
        0.0,
        unit="share/week",
        ge=0.0,
        le=0.2,
        doc="Second-line managers coach managers: weekly share of the gap to quality 0.9 closed.",
    )

    # --- money -----------------------------------------------------------------------
    quota: float = lever(
        920.0, unit="k$/seller/year", ge=1.0, le=100_000.0, doc="Annual quota of a ramped seller."
    )
    deal_size: float = lever(60.0, unit="k$", ge=0.1, le=100_000.0, doc="Mean won deal size.")
    deal_size_sigma: float = lever(
        0.7, unit="log-sd", ge=0.0, le=3.0, doc="Spread (lognormal sigma) of deal sizes."
    )
    territory_sigma: float = lever(
        0.25,
        unit="log-sd",
        ge=0.0,
        le=2.0,
        doc="Spread of territory potential between seats (good and bad territories).",
    )
    prospect_rate: float = lever(
        0.12,
        unit="opportunities/hour",
        ge=0.0,
        le=10.0,
        doc="Opportunities found per prospecting hour at full skill.",
    )
    territory_depth: float = lever(
        2.0,
        unit="opportunities/week",
        ge=0.01,
        le=100.0,
        doc="Most new opportunities a week prospecting can find in a territory (saturation).",
    )
    deal_hours: float = lever(
        1.5,
        unit="hours/deal/week",
        ge=0.1,
        le=40.0,
        doc="Selling hours an open deal needs each week to move at full pace.",
    )

    # --- run ---------------------------------------------------------------------------
    weeks: int = lever(156, unit="weeks", ge=1, le=2080, doc="Length of the run; the model stops.")
    warmup_weeks: int = lever(
        26,
        unit="weeks",
        ge=0,
        le=520,
        doc="Weeks simulated before week 0, so the run starts from a going concern.",
    )
    people_every: int = lever(
        13, unit="weeks", ge=1, le=2080, doc="Interval of the per-person table (people.csv)."
    )


#: Levers that define the organization's shape at the start and cannot change mid-run.
FIXED_AT_START = frozenset({"n_sellers", "weeks", "people_every", "warmup_weeks"})


def lever_table() -> list[dict[str, Any]]:
    """Rows describing every lever (name, default, unit, range, description, source)."""
    rows = []
    for name, field in Levers.model_fields.items():
        extra = field.json_schema_extra or {}
        low = high = None
        for meta in field.metadata:
            low = getattr(meta, "ge", low)
            high = getattr(meta, "le", high)
        rows.append(
            {
                "name": name,
                "default": field.default,
                "unit": extra.get("unit", ""),
                "low": low,
                "high": high,
                "doc": field.description or "",
                "source": extra.get("source", ""),
            }
        )
    return rows
