"""graph.table: grouping a column's equal values (the renderers format each distinct value once)."""

from __future__ import annotations

import numpy as np
import pytest

from graph.table import distinct_values


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: np.round(rng.random(5000), 6),  # measures rounded to 6 decimals: grouped by step
        lambda rng: np.round(rng.random(5000) * 3, 6) + 1e6,  # beyond the range of steps: sorted
        lambda rng: np.round(rng.random(5000) * 20000, 1),  # distances in km, to 0.1
        lambda rng: np.array([float(f"{p:.4g}") for p in rng.random(5000) ** 20]),  # p-values: sorted
        lambda rng: rng.random(5000),  # any float
        lambda rng: np.round(rng.normal(size=5000), 6),  # negative values
        lambda rng: np.array([0.1, 0.2, 0.3] * 500),  # 0.1 + 0.2 is not 0.3
    ],
)
def test_distinct_values_equal_numpy_unique(make):
    values = make(np.random.default_rng(0))
    distinct, inverse = distinct_values(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert distinct.tobytes() == expected.tobytes()  # the same values, bit for bit
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert [repr(v) for v in distinct[inverse].tolist()] == [repr(v) for v in values.tolist()]
