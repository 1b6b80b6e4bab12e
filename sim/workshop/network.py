"""The organization as a network, drawn in SVG so the back row can read it.

Layered from top to bottom: support functions (their asks drawn once per team), second-line
managers, front-line managers, sellers in their teams, presales specialists and the approval
chain every deal passes. Sellers are coloured by morale (three classes) and sized by the
hours they sold this week; an empty seat is a hollow ring. Managers are sized by how well
they coach, specialists by how many sellers lean on them. The lines and boxes depend only
on the organization's structure, so they are drawn once per structure and reused.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from html import escape

import networkx as nx
import numpy as np

from sim.workshop.frames import Frame
from sim.workshop.svg import wrap

MORALE_CLASSES = (  # (lower bound, label, colour)
    (0.6, "high morale", "#2e7d32"),
    (0.4, "middling morale", "#f9a825"),
    (-1.0, "low morale", "#c62828"),
)
ASK_COLOR = "#ad1457"
DESK_COLOR = "#ef6c00"
PRESALES_COLOR = "#1565c0"
BOSS_COLOR = "#37474f"
EMPTY_COLOR = "#757575"
LEVELS = {"function": 4.2, "director": 3.0, "manager": 2.0, "seller": 0.0}
TEAM_GAP = 1.0
WIDTH, HEIGHT, PAD = 1200.0, 460.0, 40.0

#: the legend, as (label, colour, shape): the page shows it as text next to the drawing
LEGEND = (
    *((f"seller, {label}", color, "dot") for _, label, color in MORALE_CLASSES),
    ("empty seat", EMPTY_COLOR, "ring"),
    ("bigger dot: more hours selling", "#9e9e9e", "note"),
    ("second-line manager (director)", BOSS_COLOR, "triangle"),
    ("front-line manager (bigger: coaches better)", BOSS_COLOR, "square"),
    ("presales specialist", PRESALES_COLOR, "diamond"),
    ("approval desk chain", DESK_COLOR, "bar"),
    ("asks from support functions", ASK_COLOR, "bar"),
)


def _nodes(graph: nx.MultiDiGraph, role: str) -> list[tuple[str, int]]:
    """(node, row) of one role, in row order."""
    found = [(n, d["row"]) for n, d in graph.nodes(data=True) if d["role"] == role]
    return sorted(found, key=lambda item: item[1])


def _edges(graph: nx.MultiDiGraph, kind: str) -> list[tuple[str, str]]:
    return [(u, v) for u, v, k in graph.edges(keys=True) if k == kind]


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions: teams side by side, each manager above its sellers, the rest layered."""
    boss = dict(_edges(graph, "reports_to"))
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


@functools.lru_cache(maxsize=8)
def _drawing(graph: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], str, str]:
    """Screen positions, the lines under the people, and the boxes over them (per structure)."""
    pos = layout(graph)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    sx = (WIDTH - 2 * PAD) / max(x1 - x0, 1e-9)
    sy = (HEIGHT - 2 * PAD) / max(y1 - y0, 1e-9)
    screen = {n: (PAD + (x - x0) * sx, PAD + (y1 - y) * sy) for n, (x, y) in pos.items()}

    def lines(pairs, color: str, width: float, opacity: float = 1.0) -> str:
        path = " ".join(
            f"M{screen[u][0]:.1f} {screen[u][1]:.1f}L{screen[v][0]:.1f} {screen[v][1]:.1f}"
            for u, v in pairs
        )
        return (
            f'<path d="{path}" stroke="{color}" stroke-width="{width}" '
            f'stroke-opacity="{opacity}" fill="none"/>'
        )

    depends = _edges(graph, "depends_on")
    role = nx.get_node_attributes(graph, "role")
    under = [
        lines(_edges(graph, "reports_to"), "#b0bec5", 1.0),
        lines([(u, v) for u, v in depends if role[v] == "presales"], "#90caf9", 0.8),
        _funnel(graph, screen, depends),
        lines([(u, v) for u, v in depends if role[u] == "desk"], DESK_COLOR, 6.0),
    ]
    over = [
        _box(screen[node], node.split(":", 1)[1].replace("_", " "), color)
        for kind, color in (("desk", DESK_COLOR), ("function", ASK_COLOR))
        for node, _ in _nodes(graph, kind)
    ]
    return screen, "".join(under), "".join(over)


def _funnel(graph: nx.MultiDiGraph, screen, depends: list[tuple[str, str]]) -> str:
    """One line from the foot of each team to the first approval desk, which its deals pass."""
    boss = dict(_edges(graph, "reports_to"))
    teams: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for seller, desk in depends:
        if graph.nodes[desk]["role"] == "desk" and seller in boss:
            teams[(boss[seller], desk)].append(screen[seller])
    path = []
    for (_, desk), places in sorted(teams.items()):
        x = float(np.mean([p[0] for p in places]))
        y = max(p[1] for p in places)
        path.append(f"M{x:.1f} {y:.1f}L{screen[desk][0]:.1f} {screen[desk][1]:.1f}")
    return (
        f'<path d="{" ".join(path)}" stroke="{DESK_COLOR}" stroke-width="1.5" '
        'stroke-opacity="0.5" fill="none"/>'
    )


def _asks(graph: nx.MultiDiGraph, screen, ask_hours: float) -> str:
    """One line per support function and team: the asks landing on that team."""
    boss = dict(_edges(graph, "reports_to"))
    teams = sorted({boss[v] for _, v in _edges(graph, "asks") if v in boss})
    functions = sorted({u for u, _ in _edges(graph, "asks")})
    path = " ".join(
        f"M{screen[f][0]:.1f} {screen[f][1]:.1f}L{screen[t][0]:.1f} {screen[t][1]:.1f}"
        for f in functions
        for t in teams
    )
    width = 0.4 + 0.35 * ask_hours
    return (
        f'<path d="{path}" stroke="{ASK_COLOR}" stroke-width="{width:.2f}" '
        'stroke-opacity="0.25" fill="none"/>'
    )


def _box(xy: tuple[float, float], text: str, color: str) -> str:
    width = 11 * len(text) + 18
    x, y = xy
    return (
        f'<rect x="{x - width / 2:.1f}" y="{y - 14:.1f}" width="{width}" height="28" rx="8" '
        f'fill="{color}"/><text x="{x:.1f}" y="{y + 6:.1f}" font-size="17" font-weight="700" '
        f'fill="white" text-anchor="middle">{escape(text)}</text>'
    )


def _morale_color(morale: float) -> str:
    return next(color for bound, _, color in MORALE_CLASSES if morale >= bound)


def network_title(frame: Frame) -> str:
    """What the drawing shows, in numbers."""
    roles: dict[str, int] = defaultdict(int)
    for _, role in frame.graph.nodes(data="role"):
        roles[role] += 1
    empty = roles["seller"] - len(frame.morale)
    return (
        f"The organization, week {frame.week}: {roles['seller']} seats ({empty} empty), "
        f"{roles['director']} second-line and {roles['manager']} front-line managers, "
        f"{roles['presales']} specialists, {roles['desk']} approval desks"
    )


def network_svg(frame: Frame) -> str:
    """The organization this week as an <svg> that fills its box's width."""
    return wrap(network_body(frame), WIDTH, HEIGHT, "network-svg")


def network_body(frame: Frame) -> str:
    """The organization this week: who reports to whom, who waits on whom, who asks."""
    graph = frame.graph
    screen, under, over = _drawing(graph)
    people = [_asks(graph, screen, frame.levers.ask_hours), under]
    for seller, row in _nodes(graph, "seller"):
        x, y = screen[seller]
        if row in frame.morale:
            r = 2.5 + frame.selling.get(row, 0.0) / 5
            people.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                f'fill="{_morale_color(frame.morale[row])}"/>'
            )
        else:
            people.append(
                f'<circle class="empty" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="none" '
                f'stroke="{EMPTY_COLOR}" stroke-width="1.5"/>'
            )
    for manager, row in _nodes(graph, "manager"):
        x, y = screen[manager]
        side = 8 + 14 * frame.quality.get(row, 0.0)
        people.append(
            f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
            f'height="{side:.1f}" fill="{BOSS_COLOR}"/>'
        )
    for director, _ in _nodes(graph, "director"):
        x, y = screen[director]
        people.append(
            f'<polygon points="{x:.1f},{y - 11:.1f} {x - 11:.1f},{y + 8:.1f} '
            f'{x + 11:.1f},{y + 8:.1f}" fill="{BOSS_COLOR}"/>'
        )
    for specialist, _ in _nodes(graph, "presales"):
        x, y = screen[specialist]
        r = 3 + 0.8 * sum(1 for _ in graph.in_edges(specialist))
        people.append(
            f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} '
            f'{x - r:.1f},{y:.1f}" fill="{PRESALES_COLOR}"/>'
        )
    return f"{''.join(people)}{over}"
