"""The organization as a network, drawn so the back row can read it.

Layered from top to bottom: support functions (their asks drawn once per team), directors,
front-line managers, sellers in their teams, presales specialists and the approval chain
every deal passes. Sellers are coloured by morale (three classes) and sized by the hours
they sold this week; an empty seat is a hollow ring. Managers are sized by how well they
coach, specialists by how many sellers lean on them.
"""

from __future__ import annotations

import math
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.workshop.charts import ROOM_STYLE, room_figure
from sim.workshop.models import Frame

MORALE_CLASSES = (  # (lower bound, label, colour)
    (0.6, "high morale", "#2e7d32"),
    (0.4, "middling morale", "#f9a825"),
    (-1.0, "low morale", "#c62828"),
)
ASK_COLOR = "#ad1457"
DESK_COLOR = "#ef6c00"
PRESALES_COLOR = "#1565c0"
BOSS_COLOR = "#37474f"
LEVELS = {"function": 4.2, "director": 3.0, "manager": 2.0, "seller": 0.0}
TEAM_GAP = 1.0


def _nodes(graph: nx.MultiDiGraph, role: str) -> list[tuple[str, int]]:
    """(node, row) of one role, in row order."""
    found = [(n, d["row"]) for n, d in graph.nodes(data=True) if d["role"] == role]
    return sorted(found, key=lambda item: item[1])


def _edges(graph: nx.MultiDiGraph, kind: str) -> list[tuple[str, str]]:
    return [(u, v) for u, v, k in graph.edges(keys=True) if k == kind]


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions: teams side by side, each manager above its sellers, the rest layered."""
    boss = {u: v for u, v in _edges(graph, "reports_to")}
    teams: dict[str, list[str]] = defaultdict(list)
    for seller, _ in _nodes(graph, "seller"):
        teams[boss[seller]].append(seller)
    pos: dict[str, tuple[float, float]] = {}
    x = 0.0
    for manager, _ in _nodes(graph, "manager"):
        members = teams.get(manager, [])
        cols = max(1, round(math.sqrt(len(members) / 2)))
        for k, seller in enumerate(members):
            pos[seller] = (x + k % cols, LEVELS["seller"] - 0.55 * (k // cols))
        pos[manager] = (x + (cols - 1) / 2, LEVELS["manager"])
        x += cols + TEAM_GAP
    width = max(x - TEAM_GAP, 1.0)
    for director, _ in _nodes(graph, "director"):
        below = [pos[m][0] for m, d in boss.items() if d == director and m in pos]
        pos[director] = (float(np.mean(below)) if below else width / 2, LEVELS["director"])
    functions = _nodes(graph, "function")
    for k, (function, _) in enumerate(functions):
        pos[function] = ((k + 0.5) * width / max(len(functions), 1), LEVELS["function"])
    lowest = min((y for _, y in pos.values()), default=0.0)
    supported: dict[str, list[float]] = defaultdict(list)
    for seller, target in _edges(graph, "depends_on"):
        if graph.nodes[seller]["role"] == "seller" and graph.nodes[target]["role"] == "presales":
            supported[target].append(pos[seller][0])
    for specialist, _ in _nodes(graph, "presales"):
        xs = supported.get(specialist, [width / 2])
        pos[specialist] = (float(np.mean(xs)), lowest - 1.2)
    desks = _nodes(graph, "desk")
    for k, (desk, _) in enumerate(desks):
        pos[desk] = (width / 2 + (k - (len(desks) - 1) / 2) * width / 7, lowest - 2.7)
    return pos


def _morale_color(morale: float) -> str:
    return next(color for bound, _, color in MORALE_CLASSES if morale >= bound)


def _lines(pos, pairs, **style) -> LineCollection:
    return LineCollection([(pos[u], pos[v]) for u, v in pairs], **style)


def network_figure(frame: Frame, *, width: float = 16.0, height: float = 6.4) -> Figure:
    """The organization this week: who reports to whom, who waits on whom, who asks."""
    graph = frame.graph
    pos = layout(graph)
    with matplotlib.rc_context(ROOM_STYLE):
        fig, ax = room_figure(width, height, legend_width=4.3, left=0.1)
        ax.set_axis_off()
        reports = _edges(graph, "reports_to")
        depends = _edges(graph, "depends_on")
        to_presales = [(u, v) for u, v in depends if graph.nodes[v]["role"] == "presales"]
        chain = [(u, v) for u, v in depends if graph.nodes[u]["role"] == "desk"]
        ax.add_collection(_lines(pos, reports, colors="#b0bec5", linewidths=0.8, zorder=1))
        ax.add_collection(_lines(pos, to_presales, colors="#90caf9", linewidths=0.7, zorder=1))
        funnel = _team_desk_segments(graph, pos, depends)
        ax.add_collection(LineCollection(funnel, colors=DESK_COLOR, linewidths=1.5, alpha=0.5))
        ax.add_collection(_lines(pos, chain, colors=DESK_COLOR, linewidths=5, zorder=2))
        _draw_asks(ax, graph, pos, frame.levers.ask_hours)

        sellers = _nodes(graph, "seller")
        xy = np.array([pos[s] for s, _ in sellers])
        filled = np.array([row in frame.morale for _, row in sellers], dtype=bool)
        hours = np.array([frame.selling.get(row, 0.0) for _, row in sellers])
        colors = [_morale_color(frame.morale[row]) for _, row in sellers if row in frame.morale]
        ax.scatter(*xy[filled].T, s=12 + 5 * hours[filled], c=colors, zorder=3, linewidths=0)
        ax.scatter(*xy[~filled].T, s=40, facecolors="none", edgecolors="#757575", zorder=3)

        managers = _nodes(graph, "manager")
        quality = np.array([frame.quality.get(row, 0.0) for _, row in managers])
        mxy = np.array([pos[m] for m, _ in managers])
        ax.scatter(*mxy.T, s=60 + 400 * quality, marker="s", c=BOSS_COLOR, zorder=3)
        directors = np.array([pos[d] for d, _ in _nodes(graph, "director")])
        ax.scatter(*directors.T, s=260, marker="^", c=BOSS_COLOR, zorder=3)
        specialists = _nodes(graph, "presales")
        load = np.array([sum(1 for _ in graph.in_edges(s)) for s, _ in specialists])
        sxy = np.array([pos[s] for s, _ in specialists])
        ax.scatter(*sxy.T, s=30 + 25 * load, marker="D", c=PRESALES_COLOR, zorder=3)
        for desk, _ in _nodes(graph, "desk"):
            _box(ax, pos[desk], desk.split(":", 1)[1].replace("_", " "), DESK_COLOR)
        for function, _ in _nodes(graph, "function"):
            _box(ax, pos[function], function.split(":", 1)[1], ASK_COLOR)
        ax.autoscale_view()
        ax.margins(0.02, 0.08)
        ax.set_title(_title(graph, frame), loc="left")
        ax.legend(handles=_legend(), loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig


def _team_desk_segments(graph: nx.MultiDiGraph, pos, depends: list[tuple[str, str]]) -> list:
    """One line from the foot of each team to the first approval desk, which its deals pass."""
    boss = {u: v for u, v in _edges(graph, "reports_to")}
    teams: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for seller, desk in depends:
        if graph.nodes[desk]["role"] == "desk" and seller in boss:
            teams[(boss[seller], desk)].append(pos[seller])
    segments = []
    for (_, desk), places in sorted(teams.items()):
        xs, ys = zip(*places, strict=True)
        segments.append(((float(np.mean(xs)), min(ys)), pos[desk]))
    return segments


def _draw_asks(ax, graph: nx.MultiDiGraph, pos, ask_hours: float) -> None:
    """One line per support function and team: the asks landing on that team."""
    boss = {u: v for u, v in _edges(graph, "reports_to")}
    teams = {boss[v] for u, v in _edges(graph, "asks") if v in boss}
    functions = {u for u, _ in _edges(graph, "asks")}
    pairs = [(f, t) for f in sorted(functions) for t in sorted(teams)]
    width = 0.3 + 0.25 * ask_hours
    ax.add_collection(_lines(pos, pairs, colors=ASK_COLOR, linewidths=width, alpha=0.3, zorder=0))


def _box(ax, xy, text: str, color: str) -> None:
    ax.annotate(
        text,
        xy,
        ha="center",
        va="center",
        fontsize=14,
        color="white",
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.35", "fc": color, "ec": "none"},
        zorder=4,
    )


def _title(graph: nx.MultiDiGraph, frame: Frame) -> str:
    roles = defaultdict(int)
    for _, role in graph.nodes(data="role"):
        roles[role] += 1
    empty = roles["seller"] - len(frame.morale)
    return (
        f"The organization, week {frame.week}: {roles['seller']} seats ({empty} empty), "
        f"{roles['manager']} managers, {roles['presales']} specialists, "
        f"{roles['desk']} approval desks"
    )


def _legend() -> list[Line2D]:
    def dot(label: str, color: str, marker: str = "o", size: float = 12, **kw) -> Line2D:
        return Line2D([], [], ls="", marker=marker, ms=size, color=color, label=label, **kw)

    handles = [dot(f"seller, {label}", color) for _, label, color in MORALE_CLASSES]
    handles += [
        dot("empty seat", "#757575", mfc="none"),
        Line2D([], [], ls="", label="(bigger = more hours selling)"),
        dot("manager (bigger = coaches better)", BOSS_COLOR, "s"),
        dot("presales specialist", PRESALES_COLOR, "D"),
        Line2D([], [], color=DESK_COLOR, lw=5, label="approval desk chain"),
        Line2D([], [], color=ASK_COLOR, lw=3, alpha=0.5, label="asks from functions"),
    ]
    return handles
