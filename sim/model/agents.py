"""Mesa agents: people and desks of the organization, each holding a row into the model's arrays.

The agents carry no state of their own beyond their row: the weekly mechanics update the
model's arrays for everyone at once, and these properties read them. That keeps Mesa's
agent API (AgentSet, DataCollector agent reporters, visualization) without a Python loop
over agents in the weekly step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.model.state import HOUR, effective_skill
from sim.scenario.levers import SKILL_COMPONENTS

if TYPE_CHECKING:
    from sim.model import SalesOrgModel


class OrgAgent(mesa.Agent):
    """Any member of the organization. Seller-only reporters read None for the others."""

    role = "member"

    def __init__(self, model: SalesOrgModel, row: int) -> None:
        """Create the agent for `row` of its role's arrays."""
        super().__init__(model)
        self.row = row

    skill = tenure = morale = selling_hours = attainment = initiatives = manager = None


class Seller(OrgAgent):
    """An account executive in a seat (row) of the seller arrays."""

    role = "seller"

    @property
    def skill(self) -> float:
        """Effective (bottleneck-like) skill."""
        return float(effective_skill(self.model.sellers.skill[:, self.row]))

    @property
    def skill_components(self) -> dict[str, float]:
        """Skill per component."""
        return dict(
            zip(SKILL_COMPONENTS, self.model.sellers.skill[:, self.row].tolist(), strict=True)
        )

    @property
    def tenure(self) -> float:
        """Weeks in the seat."""
        return float(self.model.sellers.tenure[self.row])

    @property
    def morale(self) -> float:
        """Morale, 0-1."""
        return float(self.model.sellers.morale[self.row])

    @property
    def selling_hours(self) -> float:
        """Selling hours this week."""
        return float(self.model.sellers.hours[HOUR["selling"], self.row])

    @property
    def attainment(self) -> float:
        """Trailing 52-week bookings over quota."""
        s = self.model.sellers
        owed = s.trailing_quota[self.row]
        return float(s.trailing_bookings[self.row] / owed) if owed > 0 else 0.0

    @property
    def initiatives(self) -> int:
        """Initiatives the seller's team has active."""
        return int(self.model.team_active_initiatives[self.model.org.manager_of[self.row]])

    @property
    def manager(self) -> int:
        """Row of the seller's front-line manager."""
        return int(self.model.org.manager_of[self.row])


class Manager(OrgAgent):
    """A front-line sales manager."""

    role = "manager"

    @property
    def coaching_quality(self) -> float:
        """Coaching quality of this manager, 0-1."""
        return float(self.model.manager_quality[self.row])


class Director(OrgAgent):
    """A second-line manager."""

    role = "director"


class Specialist(OrgAgent):
    """A presales / solution engineer with a weekly capacity and a queue."""

    role = "presales"


class ApprovalDesk(OrgAgent):
    """One desk of the approval chain (deal desk, legal, pricing, ...)."""

    role = "desk"


class SupportFunction(OrgAgent):
    """Marketing, enablement, product or service: sends leads, asks, launches initiatives."""

    role = "function"


AGENT_CLASSES = {
    "seller": Seller,
    "manager": Manager,
    "director": Director,
    "presales": Specialist,
    "desk": ApprovalDesk,
    "function": SupportFunction,
}
