"""Great-circle distances between places given in WGS-84 decimal degrees."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "pairwise_km"]

#: Mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in kilometres between two points, by the haversine formula.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        Decimal degrees (WGS-84).

    Returns
    -------
    float
        Kilometres along the surface of a sphere of radius :data:`EARTH_RADIUS_KM`.

    Examples
    --------
    >>> round(haversine_km(30.4, 112.9, 30.4, 112.9), 6)
    0.0
    >>> round(haversine_km(0.0, 0.0, 0.0, 1.0), 1)  # one degree along the equator
    111.2
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def pairwise_km(lat1, lon1, lat2, lon2):
    """:func:`haversine_km` over numpy arrays (broadcast); NaN where a coordinate is missing (NaN).

    Examples
    --------
    >>> import numpy as np
    >>> [round(float(d), 1) for d in pairwise_km(np.array([0.0, 0.0]), np.array([0.0, 0.0]),
    ...                                            np.array([0.0, np.nan]), np.array([1.0, 1.0]))]
    [111.2, nan]
    """
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
