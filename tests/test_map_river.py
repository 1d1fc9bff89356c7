"""The Han River under the map view: in the borders' projection, along the cities it flows through."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from graph.render.layout import ALBERS, albers, map_layer
from graph.views import ViewSpec, select

ASSET = Path(__file__).resolve().parent.parent / "graph" / "render" / "assets" / "rivers.json"


def _distance_to_line(point, flat):
    """The distance from a point to a polyline (flat x, y list), in the line's units."""
    px, py = point
    best = math.inf
    for i in range(0, len(flat) - 2, 2):
        ax, ay, bx, by = flat[i : i + 4]
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def test_the_han_is_stored_small_in_the_borders_projection():
    meta = json.loads(ASSET.read_text(encoding="utf-8"))
    assert meta["projection"] == ALBERS and meta["units"] == "km" and meta["tolerance_km"] == 1.5
    assert ASSET.stat().st_size < 10_000
    (han,) = meta["rivers"]
    assert han["name"] == {"zh": "汉江", "en": "Han River"}
    assert 1000 < han["length_km"] < 1600  # 汉中 to 汉口 along the river


@pytest.mark.parametrize(
    "place, lat, lon, km",
    [
        ("汉中", 33.07, 107.03, 8),
        ("安康", 32.69, 109.03, 8),
        ("丹江口", 32.54, 111.51, 8),
        ("襄阳 (樊城)", 32.04, 112.14, 8),
        ("仙桃, north of the town", 30.40, 113.45, 10),
        ("汉口, its mouth", 30.57, 114.28, 8),
    ],
)
def test_the_han_runs_by_the_places_on_its_banks(place, lat, lon, km):
    (han,) = json.loads(ASSET.read_text(encoding="utf-8"))["rivers"]
    assert _distance_to_line(albers(lat, lon), han["lines"][0]) < km, place


def test_the_han_stays_away_from_cities_off_its_course():
    """商洛 and 随州 are Han-belt cities that do not lie on the Han: the line passes them by 60 km or more."""
    (han,) = json.loads(ASSET.read_text(encoding="utf-8"))["rivers"]
    for lat, lon in ((33.87, 109.94), (31.69, 113.38)):
        assert _distance_to_line(albers(lat, lon), han["lines"][0]) > 60


def test_the_map_layer_carries_the_river(real_model):
    layer = map_layer(select(real_model, ViewSpec(layout="map")))
    (han,) = layer["rivers"]
    assert han["name"]["zh"] == "汉江" and len(han["lines"][0]) > 100 and len(han["label"]) == 2
