"""Server-side layout of a (small) network view: seeded Fruchterman-Reingold in pure Python, remembered.

networkx's layouts need numpy; views are capped at a few hundred nodes, so a grid-bucketed pure
Python version is fast enough, and the last layouts are kept (the same view asked again is free).
"""

from __future__ import annotations

import math
import random
from collections import OrderedDict
from threading import Lock

from kg.network.graph import Graph

_LAYOUTS: OrderedDict[tuple, dict[str, tuple[float, float]]] = OrderedDict()
_LAYOUTS_LOCK = Lock()


def layout(graph: Graph, seed: int = 7, scale: float = 600.0,
           iterations: int = 60) -> dict[str, tuple[float, float]]:
    """Lay out a (small) graph on the server: seeded Fruchterman-Reingold, positions in pixels.

    Pure Python (networkx's layouts need numpy): repulsion only between nodes in neighbouring
    grid cells, so an iteration costs about O(nodes + edges); 300 nodes take 0.5-1 s, so the
    last layouts are remembered (the same view asked again gets the same graph).
    """
    key = (seed, scale, iterations, frozenset(graph), frozenset(frozenset(e) for e in graph.edges()))
    with _LAYOUTS_LOCK:
        if key in _LAYOUTS:
            _LAYOUTS.move_to_end(key)
            return _LAYOUTS[key]
    positions = _layout(graph, seed, scale, iterations)
    with _LAYOUTS_LOCK:
        _LAYOUTS[key] = positions
        while len(_LAYOUTS) > 32:
            _LAYOUTS.popitem(last=False)
    return positions


def _layout(graph: Graph, seed: int, scale: float, iterations: int) -> dict[str, tuple[float, float]]:
    nodes = sorted(graph)
    if not nodes:
        return {}
    rng = random.Random(seed)
    k = 1.0 / math.sqrt(len(nodes))
    pos = {v: [rng.random(), rng.random()] for v in nodes}
    edges = list(graph.edges())
    step = 0.1
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        grid: dict[tuple[int, int], list[str]] = {}
        for v in nodes:
            grid.setdefault((int(pos[v][0] // (2 * k)), int(pos[v][1] // (2 * k))), []).append(v)
        for (gx, gy), members in grid.items():
            near = [u for dx in (-1, 0, 1) for dy in (-1, 0, 1) for u in grid.get((gx + dx, gy + dy), ())]
            for v in members:
                (px, py), d = pos[v], disp[v]
                for u in near:
                    if u != v:
                        dx, dy = px - pos[u][0], py - pos[u][1]
                        force = k * k / (dx * dx + dy * dy or 1e-9)
                        d[0] += dx * force
                        d[1] += dy * force
        for u, v in edges:
            dx, dy = pos[u][0] - pos[v][0], pos[u][1] - pos[v][1]
            force = math.hypot(dx, dy) / k
            disp[u][0] -= dx * force
            disp[u][1] -= dy * force
            disp[v][0] += dx * force
            disp[v][1] += dy * force
        for v in nodes:
            length = math.hypot(*disp[v])
            if length:
                move = min(length, step) / length
                pos[v][0] += disp[v][0] * move
                pos[v][1] += disp[v][1] * move
        step = max(step * 0.95, 0.002)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    factor = scale * min(2.0, math.sqrt(len(nodes)) / 4) / span
    return {v: (round((p[0] - cx) * factor, 1), round((p[1] - cy) * factor, 1)) for v, p in pos.items()}
