"""The shape of every answer: tables of rows that the command line renders as a table, CSV or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "Section"]


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
