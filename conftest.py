"""Names every doctest under graph/ can use, whatever folder pytest runs from."""

from __future__ import annotations

from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctest_paths(doctest_namespace):
    """``MINI``: the tiny hand-checked dataset (4 cities, 4 initiatives); ``HISTORY``: the dated one;
    ``REAL``: the bundled data."""
    doctest_namespace["MINI"] = _ROOT / "tests" / "fixtures" / "mini"
    doctest_namespace["HISTORY"] = _ROOT / "tests" / "fixtures" / "history"
    doctest_namespace["REAL"] = _ROOT / "data"
