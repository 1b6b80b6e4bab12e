"""The organization builder: typed graph and the arrays read from it."""

import networkx as nx
import numpy as np
import pytest

from sim.model.organization import (
    SUPPORT_FUNCTIONS,
    build_graph,
    build_organization,
    organization_from_graph,
)
from sim.scenario.levers import Levers


def kinds(graph):
    out = {}
    for _, _, kind in graph.edges(keys=True):
        out[kind] = out.get(kind, 0) + 1
    return out


def test_graph_has_every_role_and_typed_edge():
    levers = Levers(n_sellers=40, span_of_control=8, sellers_per_specialist=4, approval_steps=3)
    graph = build_graph(levers)
    roles = nx.get_node_attributes(graph, "role")
    counts = {r: list(roles.values()).count(r) for r in set(roles.values())}
    assert counts == {
        "seller": 40,
        "manager": 5,
        "director": 1,
        "presales": 10,
        "desk": 3,
        "function": len(SUPPORT_FUNCTIONS),
    }
    edges = kinds(graph)
    assert edges["reports_to"] == 40 + 5
    assert edges["depends_on"] == 40 + 40 + 2  # presales, first desk, the chain
    assert edges["serves"] == 40  # marketing leads
    assert edges["asks"] == 40 * len(SUPPORT_FUNCTIONS)


@pytest.mark.parametrize("steps", [0, 1, 3, 8])
def test_deal_hops_follow_the_approval_chain(steps):
    org = build_organization(Levers(n_sellers=20, approval_steps=steps))
    assert org.deal_hops() == 1 + steps
    assert len(org.desks) == steps


def test_arrays_are_read_from_the_graph():
    levers = Levers(n_sellers=30, span_of_control=7, sellers_per_specialist=5)
    graph = build_graph(levers)
    # move seller 0 to manager 3 in the graph: the arrays must follow the graph
    graph.remove_edge("seller:0", "manager:0", key="reports_to")
    graph.add_edge("seller:0", "manager:3", key="reports_to", kind="reports_to")
    org = organization_from_graph(graph)
    assert org.manager_of[0] == 3
    assert np.bincount(org.manager_of).tolist() == [6, 7, 7, 8, 2]
    assert org.n_presales == 6 and set(org.presales_of) == set(range(6))


def test_asks_and_leads_land_on_every_seller():
    org = build_organization(Levers(n_sellers=25))
    assert org.asks_per_seller() == len(SUPPORT_FUNCTIONS)
    assert np.allclose(org.ask_weight, 1.0)  # shares of the organization's asks sum to one
    assert np.allclose(org.lead_weight, 1.0)


def test_specialist_load_reflects_the_ratio():
    assert build_organization(Levers(n_sellers=120, sellers_per_specialist=3)).n_presales == 40
    assert build_organization(Levers(n_sellers=120, sellers_per_specialist=8)).n_presales == 15
