"""Great-circle distances."""

import math

import numpy as np
import pytest

from graph.geo import EARTH_RADIUS_KM, haversine_km, pairwise_km


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((0.0, 0.0), (0.0, 180.0), math.pi * EARTH_RADIUS_KM),
        ((90.0, 0.0), (-90.0, 0.0), math.pi * EARTH_RADIUS_KM),
        ((30.0, 112.0), (30.0, 112.0), 0.0),
        ((0.0, 0.0), (1.0, 0.0), math.pi * EARTH_RADIUS_KM / 180),
    ],
)
def test_haversine_by_hand(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=1e-6)
    assert haversine_km(*b, *a) == pytest.approx(km, abs=1e-6)


def test_pairwise_equals_scalar():
    lat1, lon1 = np.array([30.4, 31.7]), np.array([112.9, 113.4])
    lat2, lon2 = np.array([33.9, 30.7]), np.array([109.9, 113.2])
    expected = [haversine_km(*x) for x in zip(lat1, lon1, lat2, lon2, strict=True)]
    assert pairwise_km(lat1, lon1, lat2, lon2) == pytest.approx(expected)
