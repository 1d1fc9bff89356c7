"""The shape of every answer: tables of rows that the command line renders as a table, CSV or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "ColumnTable", "Section", "distinct_values"]


@dataclass
class Table:
    """Rows (dicts) with their column order.

    A cell is a string, a number, None, or a list of those (rendered one per line in a table, ``; ``-joined in
    CSV, kept as a list in JSON). ``notes`` are sentences for people, shown under the table, never on stdout in
    machine formats.

    >>> t = Table(["city", "n"], [{"city": "潜江市", "n": 3}], name="cities")
    >>> t.column_values("n")
    [3]
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    title: str = ""
    name: str = "rows"
    notes: list[str] = field(default_factory=list)
    #: the columns the table format shows, when fewer or other than ``columns`` (csv and json keep ``columns``)
    display: list[str] | None = None

    def column_values(self, column: str) -> list[Any]:
        return [row.get(column) for row in self.rows]

    def column_data(self, column: str):
        """The cells of ``column``, as a list (a :class:`ColumnTable` may give a numpy array)."""
        return self.column_values(column)


class ColumnTable(Table):
    """A :class:`Table` kept column by column, for hundreds of thousands of rows that are mostly written out whole.

    ``data`` maps a column to a list of cells or to a numpy array (where NaN in a float array is a missing cell,
    ``None`` in its rows). The rows (dicts) are made on first use; from then on they are the table.

    >>> import numpy as np
    >>> t = ColumnTable(["city", "km"], {"city": ["潜江市", "商洛市"], "km": np.array([1.5, np.nan])}, name="cities")
    >>> t.column_values("km"), t.rows[0]
    ([1.5, None], {'city': '潜江市', 'km': 1.5})
    """

    def __init__(self, columns, data, title="", name="rows", notes=None, display=None):
        self.columns = columns
        self.data = data
        self.title = title
        self.name = name
        self.notes = list(notes or [])
        self.display = display
        self._rows = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            columns = [c for c in self.columns if c in self.data]
            cells = [self.column_values(c) for c in columns]
            self._rows = [dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True)]
        return self._rows

    @rows.setter
    def rows(self, rows) -> None:
        self._rows = rows

    def column_values(self, column: str) -> list[Any]:
        if self._rows is not None:
            return super().column_values(column)
        if column not in self.data:
            return [None] * len(next(iter(self.data.values()), []))
        values = self.data[column]
        if isinstance(values, list):
            return list(values)
        cells = values.tolist()
        if values.dtype.kind == "f" and (values != values).any():
            cells = [None if v != v else v for v in cells]
        return cells

    def column_data(self, column: str):
        """The column as kept: a list or a numpy array (NaN for a missing float), until the rows are made."""
        if self._rows is None and column in self.data:
            return self.data[column]
        return self.column_values(column)


@dataclass
class Section:
    """An answer made of several tables, optionally headed by one record (an entity's attributes)."""

    tables: list[Table]
    record: dict[str, Any] | None = None
    title: str = ""
    notes: list[str] = field(default_factory=list)

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)


def distinct_values(values):
    """``np.unique(values, return_inverse=True)`` of a float array, without sorting it when it can: values that are
    whole multiples of 10⁻⁶ or of 0.1 (rounded measures, distances), within a range of 2²⁴ steps, are grouped by
    their step number. The distinct values are the array's own (equal, bit for bit); -0.0 and NaN are the
    caller's to rule out, as for ``np.unique``.

    >>> import numpy as np
    >>> d, inverse = distinct_values(np.array([0.25, 0.1, 0.25, 1e-06]))
    >>> d.tolist(), inverse.tolist()
    ([1e-06, 0.1, 0.25], [2, 1, 2, 0])
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    if len(values) >= 1024 and np.isfinite(values).all():
        for scale in (1e6, 10.0):
            steps = np.rint(values * scale)
            low, high = float(steps.min()), float(steps.max())
            if high - low < 2**24 and abs(low) < 2**52 and abs(high) < 2**52 and (steps / scale == values).all():
                k = (steps - low).astype(np.int64)
                present = np.zeros(int(high - low) + 1, dtype=bool)
                present[k] = True
                position = np.cumsum(present) - 1
                distinct = (np.flatnonzero(present) + low) / scale
                return distinct, position[k]
    distinct, inverse = np.unique(values, return_inverse=True)
    return distinct, inverse.reshape(-1)
