"""The organization builder: a typed NetworkX dependency graph and the index arrays it implies.

Nodes are people and desks (``"seller:12"``, ``"manager:1"``, ``"presales:3"``,
``"desk:legal"``, ``"function:marketing"``), each with a ``role`` and a ``row`` into its
role's state arrays. Edges are typed with ``kind``:

- ``reports_to``: seller -> manager, manager -> director;
- ``depends_on``: seller -> presales engineer, seller -> first approval desk, and the
  approval chain desk -> next desk that every deal must pass;
- ``serves``: marketing -> seller (leads);
- ``asks``: support function -> seller (well-meant requests for the seller's time).

The mechanics never walk the graph: `Organization.from_graph` turns it once into index
arrays (who reports to whom, who depends on whom, how many asks land on a seller), and
the model rebuilds it only when an intervention changes the structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import NamedTuple

import networkx as nx
import numpy as np

from sim.scenario.levers import Levers

APPROVAL_DESKS = (
    "deal_desk",
    "legal",
    "pricing",
    "finance",
    "security",
    "procurement",
    "executive",
    "revenue_ops",
)

#: Support functions: (name, share of asks, share of initiatives launched, sends leads).
SUPPORT_FUNCTIONS = (
    ("marketing", 0.35, 0.40, True),
    ("enablement", 0.25, 0.35, False),
    ("product", 0.25, 0.25, False),
    ("service", 0.15, 0.0, False),
)
DIRECTOR_SPAN = 8


class OrgArrays(NamedTuple):
    """The organization's index arrays the compiled week reads (`Organization.arrays`)."""

    manager_of: np.ndarray
    presales_of: np.ndarray
    lead_weight: np.ndarray
    team_ask_weight: np.ndarray
    n_presales: int


@dataclass
class Organization:
    """The dependency graph plus the index arrays the weekly mechanics read."""

    graph: nx.MultiDiGraph
    n_sellers: int
    manager_of: np.ndarray  # seller row -> manager row
    presales_of: np.ndarray  # seller row -> presales row (-1: none)
    n_managers: int
    n_presales: int
    n_directors: int
    desks: tuple[str, ...]  # the approval chain, in the order a deal passes it
    ask_weight: np.ndarray  # seller row -> share of the organization's asks landing on them
    lead_weight: np.ndarray  # seller row -> share of marketing leads sent to them

    @cached_property
    def team_ask_weight(self) -> np.ndarray:
        """Mean share of the organization's asks landing on each manager's sellers."""
        team = self.team_of_manager
        total = np.bincount(self.manager_of, weights=self.ask_weight, minlength=self.n_managers)
        return np.divide(total, team, out=np.zeros(self.n_managers), where=team > 0)

    @cached_property
    def arrays(self) -> OrgArrays:
        """The index arrays the compiled week reads."""
        return OrgArrays(
            self.manager_of,
            self.presales_of,
            self.lead_weight,
            self.team_ask_weight,
            self.n_presales,
        )

    @property
    def team_of_manager(self) -> np.ndarray:
        """Number of seats reporting to each manager."""
        return np.bincount(self.manager_of, minlength=self.n_managers)

    def deal_hops(self) -> int:
        """Hops a deal needs through the graph: specialists plus the approval chain."""
        return sum(
            1 + _chain_length(self.graph, target) for target in _depends(self.graph, "seller:0")
        )

    def asks_per_seller(self) -> float:
        """Mean number of support functions with an `asks` edge into a seller."""
        asks = sum(1 for _, _, kind in self.graph.edges(keys=True) if kind == "asks")
        return asks / self.n_sellers

    def sellers_per_presales(self) -> float:
        """Mean number of sellers depending on one presales engineer."""
        return self.n_sellers / max(self.n_presales, 1)


def _depends(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """Nodes that `node` depends on."""
    return [v for _, v, kind in graph.out_edges(node, keys=True) if kind == "depends_on"]


def _chain_length(graph: nx.MultiDiGraph, node: str) -> int:
    """Number of further desks after `node` along the approval chain."""
    length = 0
    while nxt := _depends(graph, node):
        node = nxt[0]
        length += 1
    return length


def _typed(edges, kind: str, **attrs):
    """Edges keyed by their kind, so that two kinds can join the same pair of nodes."""
    return ((u, v, kind, {"kind": kind, **attrs}) for u, v in edges)


class Staff(NamedTuple):
    """Who the levers put around the sellers (analysts: across all approval desks)."""

    managers: int
    directors: int
    presales: int
    analysts: float


def staff(levers: Levers) -> Staff:
    """The managers, directors, presales engineers and approval analysts of an organization."""
    n = levers.n_sellers
    managers = -(-n // levers.span_of_control)
    return Staff(
        managers=managers,
        directors=-(-managers // DIRECTOR_SPAN),
        presales=max(1, round(n / levers.sellers_per_specialist)),
        analysts=levers.approval_steps * n / levers.sellers_per_approver,
    )


def support_cost(levers: Levers) -> float:
    """What the staff around the sellers costs a year (k$)."""
    s = staff(levers)
    return (
        s.managers * levers.manager_cost
        + s.directors * levers.director_cost
        + s.presales * levers.presales_cost
        + s.analysts * levers.approver_cost
    )


def build_graph(levers: Levers) -> nx.MultiDiGraph:
    """Build the typed dependency graph of an organization from its levers."""
    n = levers.n_sellers
    n_managers, n_directors, n_presales, _ = staff(levers)
    desks = APPROVAL_DESKS[: levers.approval_steps]
    rows = np.arange(n)
    manager_of = rows // levers.span_of_control
    presales_of = (rows * n_presales) // n

    g = nx.MultiDiGraph()
    sellers = [f"seller:{i}" for i in range(n)]
    managers = [f"manager:{j}" for j in range(n_managers)]
    g.add_nodes_from((s, {"role": "seller", "row": i}) for i, s in enumerate(sellers))
    g.add_nodes_from((m, {"role": "manager", "row": j}) for j, m in enumerate(managers))
    g.add_nodes_from((f"director:{k}", {"role": "director", "row": k}) for k in range(n_directors))
    g.add_nodes_from((f"presales:{k}", {"role": "presales", "row": k}) for k in range(n_presales))
    g.add_nodes_from((f"desk:{d}", {"role": "desk", "row": h}) for h, d in enumerate(desks))
    for k, (name, _, _, _) in enumerate(SUPPORT_FUNCTIONS):
        g.add_node(f"function:{name}", role="function", row=k)

    bosses = (managers[j] for j in manager_of)
    g.add_edges_from(_typed(zip(sellers, bosses, strict=True), "reports_to"))
    directors = (f"director:{j // DIRECTOR_SPAN}" for j in range(n_managers))
    g.add_edges_from(_typed(zip(managers, directors, strict=True), "reports_to"))
    presales = (f"presales:{k}" for k in presales_of)
    g.add_edges_from(_typed(zip(sellers, presales, strict=True), "depends_on"))
    if desks:
        g.add_edges_from(_typed(((s, f"desk:{desks[0]}") for s in sellers), "depends_on"))
        chain = pairwise(desks)
        g.add_edges_from(_typed(((f"desk:{a}", f"desk:{b}") for a, b in chain), "depends_on"))
    for name, ask_share, _, sends_leads in SUPPORT_FUNCTIONS:
        function = f"function:{name}"
        if ask_share > 0:
            g.add_edges_from(_typed(((function, s) for s in sellers), "asks", share=ask_share))
        if sends_leads:
            g.add_edges_from(_typed(((function, s) for s in sellers), "serves"))
    return g


def organization_from_graph(graph: nx.MultiDiGraph) -> Organization:
    """Read the index arrays the mechanics need out of a typed dependency graph."""
    role = dict(graph.nodes(data="role"))
    row = dict(graph.nodes(data="row"))
    counts = {r: 0 for r in ("seller", "manager", "director", "presales", "desk", "function")}
    for r in role.values():
        counts[r] += 1
    n = counts["seller"]
    manager_of = np.zeros(n, dtype=np.int64)
    presales_of = np.full(n, -1, dtype=np.int64)
    ask_weight = np.zeros(n)
    lead_count = np.zeros(n)
    desk_next: dict[str, str] = {}
    first_desks: set[str] = set()
    for u, v, data in graph.edges(data=True):
        kind, ru, rv = data["kind"], role[u], role[v]
        if kind == "reports_to" and ru == "seller":
            manager_of[row[u]] = row[v]
        elif kind == "depends_on" and ru == "seller" and rv == "presales":
            presales_of[row[u]] = row[v]
        elif kind == "depends_on" and ru == "seller" and rv == "desk":
            first_desks.add(v)
        elif kind == "depends_on" and ru == "desk":
            desk_next[u] = v
        elif kind == "asks":
            ask_weight[row[v]] += data.get("share", 1.0)
        elif kind == "serves":
            lead_count[row[v]] += 1
    desks: list[str] = []
    node = next(iter(first_desks), None)
    while node is not None:
        desks.append(node.split(":", 1)[1])
        node = desk_next.get(node)
    return Organization(
        graph=graph,
        n_sellers=n,
        manager_of=manager_of,
        presales_of=presales_of,
        n_managers=counts["manager"],
        n_presales=counts["presales"],
        n_directors=counts["director"],
        desks=tuple(desks),
        ask_weight=ask_weight,
        lead_weight=lead_count / max(lead_count.mean(), 1e-12) if lead_count.any() else lead_count,
    )


def build_organization(levers: Levers) -> Organization:
    """Build the graph from the levers and read its index arrays."""
    return organization_from_graph(build_graph(levers))
