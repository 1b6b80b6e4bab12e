"""The levers as the compiled mechanics read them: plain numbers in one named tuple.

numba cannot read a pydantic `Levers`; `WeekLevers.of(levers)` copies the numbers the
weekly kernels need, each cast to its declared type (an int where a float is declared
would compile a second copy of every kernel), plus a few values derived from them once.
"""

from __future__ import annotations

import math
import typing
from typing import NamedTuple

from sim.model.organization import support_cost
from sim.scenario.levers import SKILL_COMPONENTS, Levers

ONE_THING = -1  # coaching focus: each seller on their weakest component


class WeekLevers(NamedTuple):
    """Every lever the week's kernels read, and the values derived from them."""

    # the week's hours
    work_hours: float
    selling_floor: float  # never above `work_hours`
    admin_hours: float
    meeting_hours: float
    ask_hours: float
    initiative_hours: float
    switching_cost: float
    handoff_hours: float
    chase_hours: float
    # coaching
    planned_coaching: float  # manager hours a week planned for coaching
    coaching_focus: int  # a skill component, or ONE_THING
    learn_rate: float
    skill_decay: float
    follow_up: float
    # the pipeline and the market
    deal_hours: float
    prospect_rate: float
    lead_share: float
    accounts: float
    buying_cycle_weeks: float
    in_market_weeks: float
    market_depletion: float
    competition: float
    presales_hours: float
    specialist_hours: float
    wait_loss: float
    desk_capacity: float  # review hours a week at each approval desk, in deals
    size_mu: float  # lognormal mu of a won deal's size (its mean is `deal_size`)
    deal_size_sigma: float
    # quota
    plan_quota: bool  # quota_policy "plan"
    quota: float
    quota_growth: float
    # initiatives
    initiative_rate: float
    initiative_reach: float
    initiative_cap: int
    initiative_weeks: int
    adopt_rate: float
    fade_weeks: float
    # morale and pay
    morale_pay: float
    morale_selling: float
    morale_overtime: float
    morale_coaching: float
    morale_progress: float
    morale_risk: float
    rank_uncertainty: float
    base_share: float
    offer_premium: float
    offer_skill_slope: float
    # people
    quit_rate: float
    morale_sensitivity: float
    ramp_weeks: int
    manage_out_rate: float
    manage_out_below: float
    leaver_deal_loss: float
    hiring_weeks: int
    talent_mean: float
    talent_sd: float
    hiring_quality: float
    fire_bottom_share: float
    fire_every_weeks: int
    fire_start_week: int
    # money (k$)
    seller_week_cost: float  # a filled seat's base pay, a week
    commission_rate: float
    support_week_cost: float  # managers, directors, presales and analysts, a week
    recruiting_cost: float
    severance_cost: float
    gross_margin: float

    @classmethod
    def of(cls, levers: Levers) -> WeekLevers:
        """The kernels' copy of `levers`."""
        derived = {
            "selling_floor": min(levers.selling_floor, levers.work_hours),
            "planned_coaching": levers.manager_hours * levers.coaching_share,
            "coaching_focus": (
                ONE_THING
                if levers.coaching_focus == "one_thing"
                else SKILL_COMPONENTS.index(levers.focus_component)
            ),
            "desk_capacity": (  # analysts at a desk x their review hours, in deals a week
                levers.n_sellers
                / levers.sellers_per_approver
                * levers.approver_hours
                / levers.review_hours
            ),
            "plan_quota": levers.quota_policy == "plan",
            "size_mu": math.log(levers.deal_size) - levers.deal_size_sigma**2 / 2,
            "seller_week_cost": levers.seller_base_cost / 52,
            "support_week_cost": support_cost(levers) / 52,
        }
        return cls(
            **{
                name: _TYPES[name](derived[name] if name in derived else getattr(levers, name))
                for name in cls._fields
            }
        )


_TYPES = typing.get_type_hints(WeekLevers)
