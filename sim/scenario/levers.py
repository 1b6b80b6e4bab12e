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
    approver_hours: float = lever(
        32.0,
        unit="hours/week",
        ge=1.0,
        le=60.0,
        doc="Review hours an approval analyst gives a week.",
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
        10.0, unit="hours/week", ge=0.0, le=40.0, doc="Admin, CRM and internal tools."
    )
    meeting_hours: float = lever(
        8.0, unit="hours/week", ge=0.0, le=40.0, doc="Internal meetings (forecast calls, reviews)."
    )
    ask_hours: float = lever(
        3.5,
        unit="hours/week",
        ge=0.0,
        le=40.0,
        doc="Expected hours a week asked of each seller by support functions.",
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
        2.0,
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
        0.34,
        unit="share of focus time",
        ge=0.0,
        le=0.9,
        doc="Focus time lost to switching between n concurrent initiatives: this x (1 - 1/n).",
        source="Tregubov et al. 2017 (ICSSP), measured: 17% of effort lost on two or more "
        "projects, nearly flat beyond",
    )
    adopt_rate: float = lever(
        0.015,
        unit="per hour a week",
        ge=0.0,
        le=1.0,
        doc="Weekly chance an initiative is adopted, per hour a week its sellers put in, "
        "while followed up.",
        source="McKinsey 2015/2021: about 30% of change programs succeed",
    )
    fade_weeks: float = lever(
        8.0,
        unit="weeks",
        ge=0.0,
        le=260.0,
        doc="Weeks for an initiative nobody follows up to lose two thirds of its pull "
        "(0 = none without follow-up).",
        source="Broad & Newstrom 1992: the learner's manager is the biggest lever of transfer",
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
        source="managers coach about 16-21% of their time (CSO Insights 2015: 20.8%)",
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
        0.02,
        unit="per coaching hour",
        ge=0.0,
        le=1.0,
        doc="Skill gained per hour of perfect coaching, times s(1-s).",
        source="calibrated: quality 0.9 vs 0.2 adds about 15% to bookings; CEB Sales "
        "Executive Council: +19 points of attainment for the middle 60% of sellers",
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
        source="Bridge Group 2024: median ramp about 5 months (measured in the model: a "
        "new hire reaches 90% of a tenured seller's bookings in about 5 months)",
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
        3.5,
        unit="per unit of morale",
        ge=0.0,
        le=30.0,
        doc="How steeply quitting rises as morale falls below neutral (log-hazard slope).",
        source="calibrated: annual attrition 25-40% (Bridge Group), 30-55% where friction is heavy",
    )
    morale_pay: float = lever(
        0.6,
        unit="morale per unit of pay/offer",
        ge=0.0,
        le=5.0,
        doc="Morale gained per unit of pay (base plus commission) above the seller's best "
        "outside offer (0 = pay does not matter).",
        source="Gartner 2019: compensation is the first reason sellers leave",
    )
    morale_selling: float = lever(
        0.8,
        unit="morale per share of the week",
        ge=0.0,
        le=5.0,
        doc="Morale gained per share of the week spent selling above 35% (0 = off).",
        source="Gartner 2022: 89% of sellers burned out; CSO Insights 2011: selling time",
    )
    morale_overtime: float = lever(
        0.03,
        unit="morale per hour",
        ge=0.0,
        le=1.0,
        doc="Morale lost per hour of overtime a week (0 = off).",
    )
    morale_coaching: float = lever(
        0.2,
        unit="morale per quality-hour",
        ge=0.0,
        le=5.0,
        doc="Morale gained per hour of coaching received a week, times its quality (0 = off).",
        source="CEB: coached top performers far more likely to stay",
    )
    morale_progress: float = lever(
        3.0,
        unit="morale per unit of skill",
        ge=0.0,
        le=50.0,
        doc="Morale gained per unit of skill coaching added over the last quarter (0 = off).",
    )
    morale_risk: float = lever(
        0.5,
        unit="morale per probability",
        ge=0.0,
        le=5.0,
        doc="Morale lost per unit of the seller's own chance of being let go within a year "
        "(0 = off).",
    )
    rank_uncertainty: float = lever(
        0.2,
        unit="share of ranks",
        ge=0.0,
        le=1.0,
        doc="How far a seller's rank may move over a year, as they see it (sd of the rank "
        "at a review a year away).",
    )
    base_share: float = lever(
        0.5,
        unit="share of on-target pay",
        ge=0.0,
        le=1.0,
        doc="Base salary's share of on-target pay; the rest is commission on attainment.",
        source="Bridge Group: 50/50 pay mix for account executives",
    )
    offer_premium: float = lever(
        0.1,
        unit="share of on-target pay",
        ge=0.0,
        le=1.0,
        doc="How much more than on-target pay an outside offer pays a seller of average skill.",
        source="ADP Pay Insights 2022-25: job changers' pay grows 2-9 points faster",
    )
    offer_skill_slope: float = lever(
        0.15,
        unit="share per sd of skill",
        ge=0.0,
        le=2.0,
        doc="How much an outside offer rises per sd of skill above peers (the able have options).",
    )
    manage_out_below: float = lever(
        0.6,
        unit="share of median attainment",
        ge=0.0,
        le=2.0,
        doc="Ramped sellers below this share of the median attainment are performance-managed.",
    )
    manage_out_rate: float = lever(
        0.015,
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

    # --- quota, deals and the market ----------------------------------------------------
    quota_policy: Literal["plan", "fixed"] = lever(
        "plan",
        unit="choice",
        doc="'plan': each fiscal year quota is last year's bookings per ramped seat times "
        "(1 + quota_growth), spread by territory; 'fixed': `quota` every year, every seat.",
        source="Alexander Group: quotas from history and territory potential",
    )
    quota: float = lever(
        700.0,
        unit="k$/seller/year",
        ge=1.0,
        le=100_000.0,
        doc="Annual quota of a ramped seller in the first fiscal year (every year if fixed).",
    )
    quota_growth: float = lever(
        0.05,
        unit="share/year",
        ge=-0.5,
        le=2.0,
        doc="Growth the plan asks of each ramped seat over last year's bookings.",
        source="Alexander Group: plans are set so that 60-70% of sellers can reach quota",
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
        doc="Spread of territory potential (accounts) between seats.",
    )
    accounts: float = lever(
        150.0,
        unit="accounts/territory",
        ge=1.0,
        le=100_000.0,
        doc="Buying accounts in an average territory.",
    )
    buying_cycle_weeks: float = lever(
        104.0,
        unit="weeks",
        ge=1.0,
        le=1040.0,
        doc="Weeks an account that has bought (or decided) stays out of the market.",
        source="KBCM 2017: median contract 1.3-1.4 years; Dawes 2021: ~5% in market a quarter",
    )
    in_market_weeks: float = lever(
        13.0,
        unit="weeks",
        ge=1.0,
        le=520.0,
        doc="Weeks an account in market waits to be found before it buys elsewhere.",
    )
    market_depletion: float = lever(
        1.0,
        unit="share",
        ge=0.0,
        le=1.0,
        doc="How far the market's flows move the pool of buyers in market: 1, accounts "
        "found leave it until their deal ends and a buying cycle passes; 0, the pool stays "
        "at its starting depth (a market that never runs dry).",
    )
    competition: float = lever(
        0.35,
        unit="rival strength",
        ge=0.0,
        le=20.0,
        doc="Rivals' strength in a decided deal, in units of a seller's closing skill "
        "(0 = no competition: every decision is a win).",
        source="CSO Insights 2018: 60% of forecast deals decided are won, 40% lost to rivals",
    )
    prospect_rate: float = lever(
        0.03,
        unit="share of accounts/hour",
        ge=0.0,
        le=1.0,
        doc="Share of the territory's in-market accounts one prospecting hour reaches, at "
        "skill 0.5.",
    )
    lead_share: float = lever(
        0.05,
        unit="share/week",
        ge=0.0,
        le=1.0,
        doc="Share of a territory's in-market accounts marketing hands to its seller a week.",
    )
    deal_hours: float = lever(
        1.5,
        unit="hours/deal/week",
        ge=0.1,
        le=40.0,
        doc="Selling hours an open deal needs each week to move at full pace.",
    )

    # --- money: what the organization costs and what its bookings earn -----------------
    seller_base_cost: float = lever(
        110.0,
        unit="k$/seller/year",
        ge=0.0,
        le=10_000.0,
        doc="Loaded base pay of a seller in a seat (salary, benefits, payroll taxes).",
        source="Bridge Group: AE on-target pay about 175 k$, half base; BLS ECEC: benefits "
        "add about a quarter",
    )
    commission_rate: float = lever(
        0.1,
        unit="share of bookings",
        ge=0.0,
        le=1.0,
        doc="Commission paid on bookings.",
        source="half of on-target pay variable at a quota of about five times it (Skok)",
    )
    presales_cost: float = lever(
        210.0,
        unit="k$/engineer/year",
        ge=0.0,
        le=10_000.0,
        doc="Loaded annual cost of a presales engineer.",
        source="SE on-target pay about 170 k$, 70/30 mix, loaded x1.25 (practitioner surveys)",
    )
    approver_cost: float = lever(
        140.0,
        unit="k$/analyst/year",
        ge=0.0,
        le=10_000.0,
        doc="Loaded annual cost of an approval analyst (deal desk, legal, pricing, ...).",
        source="placeholder: about 110 k$ pay, loaded x1.25 (no public benchmark found)",
    )
    manager_cost: float = lever(
        240.0,
        unit="k$/manager/year",
        ge=0.0,
        le=10_000.0,
        doc="Loaded annual cost of a front-line sales manager.",
        source="FLM on-target pay 140-190 k$ (BLS median base 138 k$, 2024), loaded x1.25",
    )
    director_cost: float = lever(
        290.0,
        unit="k$/director/year",
        ge=0.0,
        le=10_000.0,
        doc="Loaded annual cost of a second-line manager.",
        source="second-line on-target pay 165-235 k$, loaded x1.25",
    )
    recruiting_cost: float = lever(
        30.0,
        unit="k$/hire",
        ge=0.0,
        le=10_000.0,
        doc="Recruiting cost of one seller hire (sourcing, interviews, agency, onboarding).",
        source="DePaul Sales Effectiveness Survey 2012: 29 k$ to acquire a sales rep",
    )
    severance_cost: float = lever(
        15.0,
        unit="k$/exit",
        ge=0.0,
        le=10_000.0,
        doc="Severance paid to a seller let go (managed out or fired).",
        source="Lee Hecht Harrison: 2 weeks plus 1 week per year of service",
    )
    gross_margin: float = lever(
        0.75,
        unit="share of bookings",
        ge=0.0,
        le=1.0,
        doc="Gross margin earned on bookings.",
        source="KeyBanc SaaS survey: total gross margin about 71-75%",
    )

    # --- run ---------------------------------------------------------------------------
    weeks: int = lever(156, unit="weeks", ge=1, le=2080, doc="Length of the run; the model stops.")
    warmup_weeks: int = lever(
        104,
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


def lever_markdown(*, sources: bool) -> str:
    """The lever table as Markdown: the README's (source in the meaning) or the ODD's."""
    head = "| lever | default | unit | range | meaning |" + (" source |" if sources else "")
    rows = [head, "|---|---|---|---|---|" + ("---|" if sources else "")]
    for row in lever_table():
        span = f"{row['low']}–{row['high']}" if row["low"] is not None else "—"
        if isinstance(Levers.model_fields[row["name"]].default, str):
            choices = Levers.model_fields[row["name"]].annotation.__args__
            span = " / ".join(choices)
        doc = row["doc"]
        if sources:
            rows.append(
                f"| `{row['name']}` | {row['default']} | {row['unit']} | {span} | {doc} "
                f"| {row['source'] or '—'} |"
            )
        else:
            shown = f"{doc} ({row['source']})" if row["source"] else doc
            rows.append(
                f"| `{row['name']}` | {row['default']} | {row['unit']} | {span} | {shown} |"
            )
    return "\n".join(rows) + "\n"


def replace_table(text: str, *, sources: bool) -> str:
    """`text` with its lever table (from its header to the first line not a row) regenerated."""
    table = lever_markdown(sources=sources)
    header = table.split("\n", 1)[0]
    start = text.index(header)
    end = start
    for line in text[start:].splitlines(keepends=True):
        if not line.startswith("|"):
            break
        end += len(line)
    return text[:start] + table + text[end:]


if __name__ == "__main__":  # python -m sim.scenario.levers: regenerate the docs' tables
    from pathlib import Path

    root = Path(__file__).parents[2]
    for path, with_sources in ((root / "README.md", False), (root / "docs" / "ODD.md", True)):
        path.write_text(replace_table(path.read_text(), sources=with_sources))
        print(f"rewrote the lever table in {path}")
