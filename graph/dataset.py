"""Read and validate the dataset's CSV files and source texts into a :class:`Dataset`.

Validation never stops at the first problem: every problem is collected, with its file and line, and raised
together as one :class:`~graph.errors.DatasetError`.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, groupby, repeat
from pathlib import Path
from typing import NamedTuple

from .errors import DatasetError, Problem, noun, unknown
from .files import decode_text, normalize_header, read_text, recover_if_needed
from .lang import Text, say
from .schema import (
    ALSO_JOINS,
    CITY_LEVELS,
    DATE_PATTERN,
    DATED_TYPES,
    ENTITY_COLUMNS,
    ENTITY_TYPES,
    EVIDENCE_REQUIRED,
    ID_PATTERN,
    NAME_EN_REQUIRED,
    RELATION_COLUMNS,
    RELATION_TYPES,
)

__all__ = [
    "Entity",
    "Relation",
    "Dataset",
    "load_dataset",
    "read_text",
    "decode_text",
    "default_data_dir",
    "source_text_path",
    "date_problem",
    "is_blank",
    "found_in",
]


@dataclass(frozen=True)
class Entity:
    """One row of ``entities.csv``."""

    id: str
    type: str
    name: str
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    level: str = ""
    lat: float | None = None
    lon: float | None = None
    date: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        """The display name: the Chinese name."""
        return self.name

    def as_row(self) -> dict[str, str]:
        """The entity as a CSV row (strings, aliases joined by ``|``)."""
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "name_en": self.name_en,
            "aliases": "|".join(self.aliases),
            "description": self.description,
            "level": self.level,
            "lat": _fmt_coord(self.lat),
            "lon": _fmt_coord(self.lon),
            "date": self.date,
        }


@dataclass(frozen=True)
class Relation:
    """One row of ``relations.csv``."""

    source: str
    relation: str
    target: str
    evidence: str = ""
    document: str = ""
    line: int = 0

    def as_row(self) -> dict[str, str]:
        """The relation as a CSV row."""
        return {
            "source": self.source,
            "relation": self.relation,
            "target": self.target,
            "evidence": self.evidence,
            "document": self.document,
        }


class RelationColumns:
    """The relations a column at a time: ``source[i]``, ``relation[i]``, ... ``line[i]`` are the ``i``-th relation's,
    in file order. The loader keeps relations this way; what reads many of them reads the columns, without a
    :class:`Relation` object per row.

    >>> cols = RelationColumns.of([Relation("city:a", "located_in", "province:p", line=2)])
    >>> cols.source, cols.line, len(cols), cols.where("located_in"), cols.where("reports")
    (['city:a'], [2], 1, [0], [])
    """

    __slots__ = ("source", "relation", "target", "evidence", "document", "line", "_where")

    def __init__(self, source, relation, target, evidence, document, line):
        self.source, self.relation, self.target = source, relation, target
        self.evidence, self.document, self.line = evidence, document, line
        self._where: dict[str, list[int]] = {}

    @classmethod
    def of(cls, relations) -> RelationColumns:
        """The columns of a sequence of :class:`Relation`."""
        relations = list(relations)
        get = operator.attrgetter
        return cls(
            *(list(map(get(name), relations)) for name in ("source", "relation", "target", "evidence", "document")),
            list(map(get("line"), relations)),
        )

    def __len__(self) -> int:
        return len(self.source)

    def where(self, relation: str) -> list[int]:
        """The rows (0-based, ascending) of one kind of relation."""
        rows = self._where.get(relation)
        if rows is None:
            rows = self._where[relation] = list(
                compress(range(len(self.relation)), map(operator.eq, self.relation, repeat(relation)))
            )
        return rows

    def pairs(self, relation: str) -> list[tuple[str, str]]:
        """``(source, target)`` of each relation of one kind, in file order."""
        source, target = self.source, self.target
        return [(source[i], target[i]) for i in self.where(relation)]

    def relations(self) -> list[Relation]:
        """One :class:`Relation` per row."""
        columns = (self.source, self.relation, self.target, self.evidence, self.document, self.line)
        fields = [
            {"source": s, "relation": r, "target": t, "evidence": e, "document": d, "line": n}
            for s, r, t, e, d, n in zip(*columns, strict=True)
        ]
        return _made(Relation, fields)


class _Row(NamedTuple):
    id: str
    type: str
    line: int


class EntityTable:
    """The entities of entities.csv: ``types`` (id -> type, in file order) at once, the :class:`Entity` objects
    (``entities()``, id -> Entity) made on first use. The loader checks and answers what it can from ``types``;
    a dataset that is only validated (``validate``) never makes the objects.

    >>> table = EntityTable(["city:a"], ["city"], [2], (["甲"], ["A"], [()], [""], [""], [None], [None], [""]))
    >>> table.types, table.sources(), table.entities()["city:a"].name
    ({'city:a': 'city'}, [], '甲')
    """

    __slots__ = ("types", "_ids", "_lines", "_values", "_entities")

    def __init__(self, ids, types, lines, values):
        self.types: dict[str, str] = dict(zip(ids, types, strict=True))
        self._ids, self._lines, self._values = ids, lines, values
        self._entities: dict[str, Entity] | None = None

    @classmethod
    def of(cls, entities: dict[str, Entity]) -> EntityTable:
        """The table of entities already made."""
        table = cls.__new__(cls)
        table.types = {eid: e.type for eid, e in entities.items()}
        table._ids = table._lines = table._values = None
        table._entities = entities
        return table

    def __len__(self) -> int:
        return len(self.types)

    def sources(self) -> list[Entity]:
        """The source documents, in file order: their :class:`Entity` when made, else ``(id, type, line)`` rows
        that have those three attributes."""
        if self._entities is not None:
            return [e for e in self._entities.values() if e.type == "source"]
        is_source = map(operator.eq, self.types.values(), repeat("source"))
        rows = compress(zip(self._ids, repeat("source"), self._lines), is_source)
        return list(map(_Row._make, rows))

    def entities(self) -> dict[str, Entity]:
        """Entity id -> :class:`Entity`, in file order."""
        if self._entities is None:
            ids, lines = self._ids, self._lines
            values = (ids, self.types.values(), *self._values, lines)
            fields = [
                {"id": i, "type": t, "name": n, "name_en": e, "aliases": a, "description": d, "level": v, "lat": y,
                 "lon": x, "date": w, "line": k}
                for i, t, n, e, a, d, v, y, x, w, k in zip(*values, strict=True)
            ]  # fmt: skip
            self._entities = dict(zip(ids, _made(Entity, fields), strict=True))
            self._ids = self._lines = self._values = None
        return self._entities


class Dataset:
    """A validated dataset: entities by id, relations in file order, and the text of each source document.

    The relations are held either as :class:`Relation` objects (``relations``) or as columns (``columns``, what
    the loader makes); the other form is made from it on first use. A Dataset is not changed after loading: code
    that changes its entities or relations builds a new one.
    """

    def __init__(
        self,
        root,
        entities: dict[str, Entity] | EntityTable,
        relations: list[Relation] | None = None,
        texts: dict[str, str] | None = None,
        *,
        columns: RelationColumns | None = None,
    ):
        self.root = root
        if isinstance(entities, EntityTable):
            self._table = entities  # the Entity objects are made on first use of ``entities``
        else:
            self.entities = entities
        self.texts = {} if texts is None else texts
        if relations is not None or columns is None:
            self.__dict__["relations"] = [] if relations is None else relations
        if columns is not None:
            self.__dict__["columns"] = columns

    def __repr__(self) -> str:
        return f"Dataset({str(self.root)!r}, {len(self.entities)} entities, {len(self.columns)} relations)"

    @cached_property
    def entities(self) -> dict[str, Entity]:
        """Entity id -> :class:`Entity`, in file order."""
        return self._table.entities()

    @cached_property
    def types(self) -> dict[str, str]:
        """Entity id -> its type, in file order (without making the :class:`Entity` objects when they are not yet).

        >>> Dataset(".", {"city:a": Entity("city:a", "city", "甲")}).types
        {'city:a': 'city'}
        """
        table = self.__dict__.get("_table")
        if table is not None and "entities" not in self.__dict__:
            return table.types
        return {eid: e.type for eid, e in self.entities.items()}

    @cached_property
    def relations(self) -> list[Relation]:
        """The relations in file order."""
        return self.columns.relations()

    @cached_property
    def columns(self) -> RelationColumns:
        """The relations as columns (:class:`RelationColumns`)."""
        return RelationColumns.of(self.__dict__["relations"])

    def of_type(self, type_: str) -> list[Entity]:
        """The entities of one type, in file order."""
        return [e for e in self.entities.values() if e.type == type_]

    def relations_of(self, relation: str) -> list[Relation]:
        """The relations of one kind, in file order."""
        return [r for r in self.relations if r.relation == relation]

    def name_of(self, entity_id: str) -> str:
        """The display name of an entity id (the id itself when unknown)."""
        entity = self.entities.get(entity_id)
        return entity.name if entity else entity_id

    # Lookups derived from the relations, built once on first use. A Dataset is not changed after loading; code
    # that changes ``relations`` must build a new Dataset.

    @cached_property
    def provinces(self) -> dict[str, str]:
        """City id -> the id of the province it is ``located_in`` (cities without one are left out).

        >>> ds = Dataset(".", {}, [Relation("city:a", "located_in", "province:p")])
        >>> ds.provinces
        {'city:a': 'province:p'}
        """
        out: dict[str, str] = {}
        entities = self.entities
        for source, target in self.columns.pairs("located_in"):
            entity = entities.get(target)
            if entity is None or entity.type == "province":
                out[source] = target
        return out

    @cached_property
    def part_of_parents(self) -> dict[str, list[str]]:
        """Practice id -> the practices it is ``part_of``, in file order."""
        out: dict[str, list[str]] = {}
        for source, target in self.columns.pairs("part_of"):
            out.setdefault(source, []).append(target)
        return out

    @cached_property
    def reported(self) -> dict[str, list[str]]:
        """City id -> the practices it ``reports``, in file order."""
        out: dict[str, list[str]] = {}
        for source, target in self.columns.pairs("reports"):
            out.setdefault(source, []).append(target)
        return out

    @cached_property
    def reporter(self) -> dict[str, str]:
        """Practice id -> the city that reports it (a valid dataset has exactly one)."""
        return {practice: city for city, practices in self.reported.items() for practice in practices}


def _fmt_coord(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def default_data_dir() -> Path:
    """The bundled dataset: ``data/`` beside a checkout, else the copy an installed wheel put under its prefix."""
    here = Path(__file__).resolve().parent.parent / "data"
    if (here / "entities.csv").is_file():
        return here
    for prefix in (sys.prefix, sys.base_prefix, os.path.expanduser("~/.local")):
        candidate = Path(prefix) / "share" / "practice-graph" / "data"
        if (candidate / "entities.csv").is_file():
            return candidate
    return here


#: Characters no cell may hold: C0 and C1 controls (NUL included) other than tab and line end, and the two
#: non-characters; XML (GraphML, GEXF) cannot hold them, and no name or quote needs them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
#: Characters that take no room on screen: a name made only of them is empty.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\\s]+")
#: A number as a Table Schema ``number`` with its default options (what frictionless accepts): ASCII digits, an
#: optional sign, fraction and exponent, or NaN, INF, -INF; no group separators, no full-width digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]?INF", re.ASCII)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: empty, spaces, or only zero-width and direction marks.

    >>> is_blank("\u200b\u200d "), is_blank("潜江")
    (True, False)
    """
    return not _INVISIBLE.sub("", text)


def source_text_path(root: Path, source_id: str) -> Path:
    """Where the text of ``source:<slug>`` lives: ``<root>/sources/<slug>.txt``."""
    return Path(root) / "sources" / (source_id.split(":", 1)[1] + ".txt")


#: Whether a plain file is read whole and its rows checked a column at a time (the tests compare both ways).
_WHOLE_FILES = True


def _read_table(
    path: Path, columns: list[str], required: list[str], problems: list[Problem], status: dict
) -> tuple[list[int] | range, list[list[str]], bool]:
    """The data rows of a CSV file as ``(lines, cells, stripped)``: ``lines[i]`` is the line row ``i`` starts on,
    ``cells[k]`` the column ``columns[k]`` (``""`` for a column the file does not have); record the file's
    problems. The cells are stripped of spaces when ``stripped`` is True; else (a plain file read whole) they are
    as in the file, and :func:`_strip` strips them.

    ``status["readable"]`` is set False when the file as a whole cannot be read (encoding, header).
    """
    label = str(path)
    status["readable"] = False
    empty: tuple[list[int], list[list[str]], bool] = ([], [[] for _ in columns], True)
    try:
        text, controls = _read_csv_text(path)
    except DatasetError as exc:
        problems.extend(exc.problems)
        return empty
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if controls is False and first and '"' not in first:
        # a header without quotes (nor NUL) is the first line split at commas; the rows are parsed on their own
        header, reader, start = first.split(","), None, 2
    else:
        reader = csv.reader(io.StringIO(text))
        try:
            header = next(reader)
        except StopIteration:
            problems.append(
                Problem(label, 1, say("empty file: expected a header row {header}", header=",".join(columns)))
            )
            return empty
        except csv.Error as exc:
            problems.append(Problem(label, 1, say("malformed CSV: {why}", why=str(exc))))
            return empty
        start = reader.line_num + 1
    header = normalize_header(header)
    missing = [c for c in required if c not in header]
    if missing:
        unknown = [h for h in header if h and h not in columns]
        if unknown:
            why = say(
                "missing column(s): {columns} (unknown column(s): {unknown})",
                columns=", ".join(missing),
                unknown=", ".join(unknown),
            )
        else:
            why = say("missing column(s): {columns}", columns=", ".join(missing))
        problems.append(Problem(label, 1, why))
        return empty
    seen: set[str] = set()
    for name in header:
        if name in seen and name in columns:
            problems.append(Problem(label, 1, say("column {name!r} appears twice", name=name)))
            return empty
        seen.add(name)
    status["readable"] = True
    n_header = len(header)
    where = [header.index(c) if c in header else None for c in columns]
    # an odd number of " means a quote may be left open at the end: then each row waits for the next one, so the
    # last can be held back
    unbalanced = '"' in text and text.count('"') % 2 == 1
    if _WHOLE_FILES and not unbalanced:
        # the common case, a clean file with one row a line: read it whole at C speed, row i on line start + i,
        # as columns; the cells are not stripped yet (see :func:`_strip`)
        by_position = _split_plain(text, n_header) if '"' not in text else None
        if controls is None and by_position is not None and all(map(str.isprintable, map("".join, by_position))):
            controls = False  # every character of every cell printable: no control character
        if controls is None:
            controls = _CONTROL.search(text) is not None
        if controls or by_position is None:
            if controls:
                by_position = None
            else:
                try:
                    rows = list(reader or _rows_after_header(text))
                except csv.Error:
                    rows = None
                lines = text.count("\n") + (not text.endswith("\n"))
                if rows is not None and len(rows) == lines - start + 1 and set(map(len, rows)) <= {n_header}:
                    by_position = list(zip(*rows, strict=True)) if rows else [()] * n_header
        if by_position is not None:
            n = len(by_position[0])
            blank = [""] * n
            return range(start, start + n), [blank if k is None else by_position[k] for k in where], False
        reader = None  # anything unusual: row by row, with every check
    if controls is None:
        controls = _CONTROL.search(text) is not None
    width = n_header if None not in where else n_header + 1
    pick = operator.itemgetter(*[n_header if k is None else k for k in where])
    lines_of: list[int] = []
    rows_of: list[tuple[str, ...]] = []
    reader = reader or _rows_after_header(text)
    for line, cells in _rows_one_by_one(
        reader, text, label, header, width, pick, controls, unbalanced, start, problems, status
    ):
        lines_of.append(line)
        rows_of.append(cells)
    return lines_of, [list(column) for column in zip(*rows_of, strict=True)] if rows_of else empty[1], True


def _rows_after_header(text: str):
    """A csv reader of ``text`` past its first row."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    return reader


#: The bytes of the C0 controls that :data:`_CONTROL` matches (all but tab, line feed and carriage return), and DEL.
_CONTROL_BYTES = bytes((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))


def _read_csv_text(path: Path) -> tuple[str, bool | None]:
    r"""The text of a CSV file as :func:`~graph.files.read_text` gives it, and whether it holds a control character
    (what :data:`_CONTROL` matches; None when not known yet).

    A UTF-8 file is checked and its CRLF line ends turned into LF in one pass over its bytes (``bytes.translate``
    deleting every ``\r`` and C0 control): when the file holds no control character and each ``\r`` ends a line,
    that gives the same text. Any other file (GB18030, a lone ``\r``, a control character, a file that cannot be
    read) is read by :func:`~graph.files.read_text`, with its messages.
    """
    if not _WHOLE_FILES:
        return read_text(path), None
    try:
        raw = path.read_bytes()
    except OSError:
        return read_text(path), None
    plain = raw.translate(None, _CONTROL_BYTES + b"\r")
    if len(raw) - len(plain) != raw.count(b"\r\n"):
        # a C0 control character or DEL, or a \r that ends no line (read_text turns it into a line end)
        return read_text(path), None
    try:
        # deleting a \r before a \n cannot make undecodable bytes decodable: they stay apart
        text = plain.decode("utf-8-sig" if plain.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        return read_text(path), None
    # left to check: C1 controls (U+0080-U+009F, after a byte C2 in UTF-8) and the two non-characters
    if b"\xc2" in raw or "\ufffe" in text or "\uffff" in text:
        return text, None
    return text, False


def _split_plain(text: str, width: int) -> list[list[str]] | None:
    r"""The cells of a CSV text without a quote character, column by column (the header line left out), or None
    unless every line holds ``width`` cells. Without quotes, the csv module's rows are the lines split at commas.

    The text is split at every comma at once: the cell ending a line and the one starting the next come out as one
    piece with a line end inside, at every ``width - 1``-th place when each line holds ``width`` cells, which is
    what is checked.

    >>> _split_plain("a,b,c\n1,2,3\n4,5,6\n", 3)
    [['1', '4'], ['2', '5'], ['3', '6']]
    >>> _split_plain("a,b,c\n1,2\n3,4,5,6\n", 3) is None
    True
    """
    if width < 2:
        return None
    ends_with_newline = text.endswith("\n")
    n_lines = text.count("\n") + (not ends_with_newline)
    cells = text.split(",")
    step = width - 1
    if len(cells) != step * n_lines + 1:
        return None
    joints = cells[step::step]  # each "last cell\nfirst cell of the next line", and the file's last cell
    if not all(map(operator.contains, joints[:-1], repeat("\n"))):
        return None  # a line with too many cells, and another with too few
    pieces = "\n".join(joints).split("\n")
    if ends_with_newline:
        pieces.pop()
    firsts, lasts = pieces[1::2], pieces[2::2]
    return [firsts, *(cells[step + k :: step] for k in range(1, step)), lasts]


def _strip(columns: list[list[str]], which=None) -> list[list[str]]:
    """The columns with each cell stripped of spaces (only the columns numbered in ``which``, when given)."""
    strip = str.strip
    return [list(map(strip, c)) if which is None or k in which else c for k, c in enumerate(columns)]


def _rows_one_by_one(reader, text, label, header, width, pick, controls, unbalanced, start, problems, status):
    """Yield ``(line, cells)`` for each data row of ``reader``, checking each row (its width, control characters,
    a quote left open at the end of the file)."""
    n_header = len(header)
    pending = None
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            if len(cells) > n_header:
                problems.append(
                    Problem(label, line, say("{n} cells, but the header has {width}", n=len(cells), width=n_header))
                )
                continue
            if controls:
                bad = [(n, m.group()) for n, c in zip(header, cells, strict=False) for m in [_CONTROL.search(c)] if m]
                if bad:
                    name, char = bad[0]
                    problems.append(
                        Problem(
                            label,
                            line,
                            say(
                                "{name} holds a control character ({code}): remove it",
                                name=name,
                                code=f"U+{ord(char):04X}",
                            ),
                        )
                    )
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            row = line, tuple(map(str.strip, pick(cells)))
            if unbalanced:
                if pending is not None:
                    yield pending
                pending = row
            else:
                yield row
    except csv.Error as exc:
        problems.append(Problem(label, start, say("malformed CSV: {why}", why=str(exc))))
    if pending is not None:
        line, row = pending
        if any("\n" in v for v in row) and _unclosed_quote(text, line):
            # the rest of the file went into one cell: say so once, and check nothing that refers to this file
            problems.append(
                Problem(
                    label,
                    line,
                    say(
                        'unclosed quote: a " opened on this line is never closed (the rest of the file '
                        "was read as one cell)"
                    ),
                )
            )
            status["readable"] = False
            return
        yield pending


def _unclosed_quote(text: str, line: int) -> bool:
    """Whether the CSV text from ``line`` to its end ends inside a quoted cell."""
    tail = "\n".join(text.split("\n")[line - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail), strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _days_in_month(year: int, month: int) -> int:
    """The days of ``month`` in ``year`` of the proleptic Gregorian calendar (as :func:`calendar.monthrange`).

    >>> _days_in_month(2020, 2), _days_in_month(1900, 2), _days_in_month(2000, 2), _days_in_month(2021, 4)
    (29, 28, 29, 30)
    """
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO 8601 date (partial allowed), or None when it is one.

    >>> date_problem("2020-10-22") is None, date_problem("2020-10") is None, date_problem("2020") is None
    (True, True, True)
    >>> date_problem("2020-02-30")
    "date '2020-02-30' is not a day of the calendar"
    >>> date_problem("22/10/2020")
    "date '22/10/2020' is not ISO 8601 (2020, 2020-07 or 2020-07-01)"
    """
    m = DATE_PATTERN.match(value)
    if not m:
        return say("date {value!r} is not ISO 8601 (2020, 2020-07 or 2020-07-01)", value=value)
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        return say("date {value!r} has no month {month}", value=value, month=month)
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return say("date {value!r} is not a day of the calendar", value=value)
    return None


def _parse_coord(value: str, low: float, high: float, what: str, label: str, line: int, problems):
    if value == "":
        return None
    if not _NUMBER.fullmatch(value):
        problems.append(Problem(label, line, say("{what} {value!r} is not a number", what=what, value=value)))
        return None
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        problems.append(
            Problem(
                label,
                line,
                say("{what} {value} is out of range [{low:g}, {high:g}]", what=what, value=value, low=low, high=high),
            )
        )
        return None
    return number


#: Columns a file must have; the others of the contract (aliases, description, level, lat, lon) may be left out.
REQUIRED_ENTITY_COLUMNS = ["id", "type", "name", "name_en"]


def _filled(cls, fields: dict):
    """An instance of the frozen dataclass ``cls`` holding ``fields``, made without its ``__init__``'s per-field
    calls: the loader makes one per row, hundreds of thousands at scale."""
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    return obj


def _made(cls, fields: list[dict]) -> list:
    """One instance of the frozen dataclass ``cls`` holding each dict of ``fields``, as :func:`_filled` makes them,
    in C loops. The dicts are best written as literals in a comprehension: made with their size known, they take
    half the time of ``dict(zip(names, row))``, which grows each dict as it fills it."""
    n = len(fields)
    objects = list(map(object.__new__, repeat(cls, n)))
    for _ in map(object.__setattr__, objects, repeat("__dict__", n), fields):
        pass
    return objects


def _load_entities(path: Path, problems: list[Problem], status: dict) -> EntityTable:
    label = str(path)
    entities: dict[str, Entity] = {}
    first_line: dict[str, int] = {}
    lines, columns, stripped = _read_table(path, ENTITY_COLUMNS, REQUIRED_ENTITY_COLUMNS, problems, status)
    # the free text is stripped; the other columns pass the checks only when they hold no space to strip
    fast = _WHOLE_FILES and _entities_fast(lines, columns if stripped else _strip(columns, _ENTITY_TEXT))
    if fast:
        return fast
    if not stripped:
        columns = _strip(columns)
    # some row has a problem: check row by row, naming each problem at its line
    for line, eid, etype, name, name_en, aliases, description, level, lat, lon, date in zip(
        lines, *columns, strict=True
    ):
        bad = False
        if not eid:
            problems.append(Problem(label, line, say("empty id")))
            continue
        if not ID_PATTERN.match(eid):
            problems.append(
                Problem(label, line, say("id {id!r} does not match type:slug (lower-case a-z, 0-9, -)", id=eid))
            )
            bad = True
        if etype not in ENTITY_TYPES:
            problems.append(Problem(label, line, unknown("type", etype, ENTITY_TYPES)))
            bad = True
        elif not bad and eid.split(":", 1)[0] != etype:
            problems.append(
                Problem(label, line, say("id {id!r} does not start with its type {type!r}", id=eid, type=etype))
            )
        if eid in first_line:
            problems.append(
                Problem(label, line, say("duplicate id {id!r} (first on line {first})", id=eid, first=first_line[eid]))
            )
            continue
        first_line[eid] = line
        if not name or (not name.isprintable() and is_blank(name)):
            problems.append(Problem(label, line, say("empty name for {id}", id=eid)))
        if etype in NAME_EN_REQUIRED and (not name_en or (not name_en.isprintable() and is_blank(name_en))):
            problems.append(
                Problem(label, line, say("empty name_en for {id} (required for a {type})", id=eid, type=noun(etype)))
            )
        if level and level not in CITY_LEVELS:
            problems.append(Problem(label, line, unknown(Text("level", zh="行政级别"), level, CITY_LEVELS)))
        if lat or lon:
            if (lat == "") != (lon == ""):
                problems.append(Problem(label, line, say("{id} has only one of lat and lon", id=eid)))
            lat = _parse_coord(lat, -90, 90, "lat", label, line, problems)
            lon = _parse_coord(lon, -180, 180, "lon", label, line, problems)
        else:
            lat = lon = None
        if date:
            problem = date_problem(date)
            if problem:
                problems.append(Problem(label, line, problem))
            elif etype in ENTITY_TYPES and etype not in DATED_TYPES:
                dated = ", ".join(sorted(DATED_TYPES))
                problems.append(
                    Problem(
                        label,
                        line,
                        say(
                            "{id} has a date, but a {type} has none (only {dated})",
                            id=eid,
                            type=noun(etype),
                            dated=dated,
                        ),
                    )
                )
        aliases = tuple(a.strip() for a in aliases.split("|") if not is_blank(a)) if aliases else ()
        entity = _filled(
            Entity,
            {
                "id": eid,
                "type": etype,
                "name": name,
                "name_en": name_en,
                "aliases": aliases,
                "description": description,
                "level": level,
                "lat": lat,
                "lon": lon,
                "date": date,
                "line": line,
            },
        )
        entities[eid] = entity
    return EntityTable.of(entities)


#: Many valid ids, one a line (what :data:`~graph.schema.ID_PATTERN` accepts, line by line).
_IDS = re.compile(r"(?:[a-z]+:[a-z0-9][a-z0-9-]*\n)*[a-z]+:[a-z0-9][a-z0-9-]*")
_LEVELS = frozenset(("", *CITY_LEVELS))
_TYPE_PREFIX = {t: t + ":" for t in ENTITY_TYPES}
#: The columns of entities.csv (by number) that hold free text: name, name_en, aliases, description.
_ENTITY_TEXT = frozenset(range(2, 6))


def _entities_fast(lines, columns) -> EntityTable | None:
    """The entities of rows that all pass the checks of :func:`_load_entities`, checked a column at a time, or
    None when a row may have a problem (then the row-by-row checks run and name it)."""
    ids, types, names, names_en, aliases, descriptions, levels, lats, lons, dates = columns
    n = len(ids)
    if not n:
        return None
    joined = "\n".join(ids)
    if joined.count("\n") != n - 1 or not _IDS.fullmatch(joined) or len(set(ids)) != n:
        return None  # an empty, malformed or repeated id
    if not set(types) <= set(ENTITY_TYPES):
        return None
    # each id is letters, a colon and a slug (above): it starts with its type when it starts with "type:"
    if not all(map(str.startswith, ids, map(_TYPE_PREFIX.__getitem__, types))):
        return None
    if not all(names) or not "".join(names).isprintable():
        return None  # an empty name, or one that may show nothing
    required = [en for en, t in zip(names_en, types, strict=True) if t in NAME_EN_REQUIRED]
    if not all(required) or not "".join(required).isprintable():
        return None
    if not set(levels) <= _LEVELS:
        return None
    problems: list[Problem] = []
    coords: dict[int, tuple[float | None, float | None]] = {}
    for i in sorted({*compress(range(n), lats), *compress(range(n), lons)}):
        lat, lon = lats[i], lons[i]
        if (lat == "") != (lon == ""):
            return None
        coords[i] = (
            _parse_coord(lat, -90, 90, "lat", "", 0, problems),
            _parse_coord(lon, -180, 180, "lon", "", 0, problems),
        )
    for i in compress(range(n), dates):
        if types[i] not in DATED_TYPES or date_problem(dates[i]) is not None:
            return None
    if problems:
        return None
    split = {i: tuple(a.strip() for a in aliases[i].split("|") if not is_blank(a)) for i in compress(range(n), aliases)}
    lat_of, lon_of, aliases_of = [None] * n, [None] * n, [()] * n
    for i, (lat, lon) in coords.items():
        lat_of[i], lon_of[i] = lat, lon
    for i, kept in split.items():
        aliases_of[i] = kept
    return EntityTable(ids, types, lines, (names, names_en, aliases_of, descriptions, levels, lat_of, lon_of, dates))


def _load_relations(
    path: Path, table: EntityTable, problems: list[Problem], status: dict, check_references: bool = True
) -> RelationColumns:
    """Read relations.csv; ``check_references=False`` when entities.csv itself could not be read."""
    label = str(path)
    relations: list[Relation] = []
    first_line: dict[tuple[str, str, str], int] = {}
    lines, columns, stripped = _read_table(path, RELATION_COLUMNS, RELATION_COLUMNS, problems, status)
    if not stripped:
        # the evidence is stripped; ids pass the checks only when they hold no space to strip
        columns = _strip(columns, {3})
    if _WHOLE_FILES and check_references and lines and _relations_valid(columns, table.types):
        # every row passed the column-wise checks: keep the columns, without a check (or an object) per row
        return RelationColumns(*columns, lines)
    if not stripped:
        columns = _strip(columns)
    entities = table.entities()
    rows = zip(lines, zip(*columns, strict=True), strict=True)
    for line, (source, relation, target, evidence, document) in rows:
        # the common case, a valid row, checked in one expression; any doubt takes the detailed checks below
        s_entity, t_entity, joins = entities.get(source), entities.get(target), RELATION_TYPES.get(relation)
        if (
            s_entity is not None
            and t_entity is not None
            and joins is not None
            and (s_entity.type, t_entity.type) == joins
            and source != target
            and (evidence or relation not in EVIDENCE_REQUIRED)
            and (document or not evidence)
            and (not document or (doc := entities.get(document)) is not None and doc.type == "source")
            and (key := (source, relation, target)) not in first_line
        ):
            first_line[key] = line
            r = _filled(
                Relation,
                {
                    "source": source,
                    "relation": relation,
                    "target": target,
                    "evidence": evidence,
                    "document": document,
                    "line": line,
                },
            )
            relations.append(r)
            continue
        ok = s_entity is not None and t_entity is not None
        if not ok:
            for role, eid in (("source", source), ("target", target)):
                if not eid:
                    problems.append(Problem(label, line, say("empty {role}", role=role)))
                elif eid not in entities and check_references:
                    problems.append(Problem(label, line, say("unknown {role} {id!r}", role=role, id=eid)))
        if joins is None:
            problems.append(Problem(label, line, unknown("relation", relation, RELATION_TYPES)))
            ok = False
        elif ok:
            want_source, want_target = joins
            got_source, got_target = entities[source].type, entities[target].type
            got = (got_source, got_target)
            if got != (want_source, want_target) and got not in ALSO_JOINS.get(relation, ()):
                problems.append(
                    Problem(
                        label,
                        line,
                        say(
                            "{relation} joins {want_source} -> {want_target}, "
                            "not {got_source} -> {got_target} ({source} -> {target})",
                            relation=relation,
                            want_source=want_source,
                            want_target=want_target,
                            got_source=got_source,
                            got_target=got_target,
                            source=source,
                            target=target,
                        ),
                    )
                )
                ok = False
        if relation in EVIDENCE_REQUIRED and not evidence:
            problems.append(
                Problem(label, line, say("{relation} needs evidence (a quote from the document)", relation=relation))
            )
        if evidence and not document:
            problems.append(Problem(label, line, say("evidence without a document")))
        if document and check_references:
            doc = entities.get(document)
            if doc is not None and doc.type == "source":
                pass
            elif doc is None:
                problems.append(Problem(label, line, say("unknown {role} {id!r}", role="document", id=document)))
            elif doc.type != "source":
                problems.append(
                    Problem(
                        label,
                        line,
                        say("document {id!r} is {kind}, not a source", id=document, kind=noun(doc.type, article=True)),
                    )
                )
        if source == target and source:
            problems.append(
                Problem(label, line, say("{relation} joins {source} to itself", relation=relation, source=source))
            )
        key = (source, relation, target)
        if key in first_line:
            problems.append(
                Problem(
                    label,
                    line,
                    say(
                        "duplicate relation {source} {relation} {target} (first on line {first})",
                        source=source,
                        relation=relation,
                        target=target,
                        first=first_line[key],
                    ),
                )
            )
            continue
        first_line[key] = line
        if ok:
            r = _filled(
                Relation,
                {
                    "source": source,
                    "relation": relation,
                    "target": target,
                    "evidence": evidence,
                    "document": document,
                    "line": line,
                },
            )
            relations.append(r)
    return RelationColumns.of(relations)


def _relations_valid(columns: list[list[str]], type_of: dict[str, str]) -> bool:
    """Whether every relation row is valid, checked a column at a time (True means no row has a problem).

    The checks are those of :func:`_load_relations`' row-by-row loop, which runs instead whenever this says
    False and then names each problem with its line.
    """
    sources, relations, targets, evidence, documents = columns
    allowed = {(r, *joins) for r, joins in RELATION_TYPES.items()}
    allowed |= {(r, *joins) for r, also in ALSO_JOINS.items() for joins in also}
    joins = zip(relations, map(type_of.get, sources), map(type_of.get, targets), strict=True)
    if not set(joins) <= allowed:
        return False  # an unknown relation or id (type None), or a relation joining the wrong types
    if any(map(operator.eq, sources, targets)):
        return False
    if "" in evidence and set(compress(relations, map(operator.not_, evidence))) & EVIDENCE_REQUIRED:
        return False  # a relation without the evidence it needs
    documents_used = set(documents)
    if "" in documents_used and any(compress(evidence, map(operator.not_, documents))):
        return False  # evidence without a document
    documents_used.discard("")
    if any(type_of.get(d) != "source" for d in documents_used):
        return False
    if len(set(map(hash, zip(sources, targets, strict=True)))) == len(sources):
        return True  # no two relations join the same pair (their hashes all differ): no duplicate
    return len(set(zip(sources, relations, targets, strict=True))) == len(sources)


def _check_part_of_cycles(path: Path, columns: RelationColumns, problems: list[Problem]) -> None:
    """Report each ``part_of`` cycle once, at the relation that closes it (depth-first, without recursion)."""
    source, target, line = columns.source, columns.target, columns.line
    rows = columns.where("part_of")
    children = set(map(source.__getitem__, rows))
    # an edge into a practice that is part of nothing cannot be on a cycle: only the others need a search
    parents: dict[str, list[tuple[str, str, int]]] = {}  # practice -> (itself, parent, line) of each such part_of
    for i in compress(rows, map(children.__contains__, map(target.__getitem__, rows))):
        parents.setdefault(source[i], []).append((source[i], target[i], line[i]))
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(parents):
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(parents.get(root, ())))]
        while stack:
            node, edges = stack[-1]
            for child, parent, at in edges:
                seen = state.get(parent)
                if seen == 1:
                    problems.append(Problem(str(path), at, say("part_of cycle through {id}", id=child)))
                    for n, _ in stack:
                        state[n] = 2
                    stack = []
                    break
                if seen is None:
                    state[parent] = 1
                    stack.append((parent, iter(parents.get(parent, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()


def _check_practice_owners(entities_path, relations_path, table: EntityTable, columns: RelationColumns, problems):
    """A practice is one city's own: reported by exactly one city."""
    reports = columns.where("reports")
    reported = [columns.target[i] for i in reports]
    owned = set(reported)
    if (
        _WHOLE_FILES
        and len(owned) == len(reported)
        # every kept reports relation ends at a practice: all are reported when there are as many as practices
        and len(owned) == operator.countOf(table.types.values(), "practice")
    ):
        return  # each practice reported once, checked a column at a time; else row by row, naming each problem
    owner: dict[str, int] = {}
    source, target, line = columns.source, columns.target, columns.line
    for i in reports:
        first = owner.setdefault(target[i], i)
        if first != i and source[first] != source[i]:
            problems.append(
                Problem(
                    str(relations_path),
                    line[i],
                    say(
                        "{practice} is reported by {city} and by {other} (line {first}): "
                        "a practice belongs to one city",
                        practice=target[i],
                        city=source[i],
                        other=source[first],
                        first=line[first],
                    ),
                )
            )
    for e in table.entities().values():
        if e.type == "practice" and e.id not in owner:
            problems.append(Problem(str(entities_path), e.line, say("practice {id} is reported by no city", id=e.id)))


#: Below this many characters searched in all (quotes x text), ``in`` is faster than building an automaton.
_SCAN_BELOW = 2_000_000


def found_in(text: str, quotes: set[str]) -> set[str]:
    """The ``quotes`` that occur verbatim in ``text``, found in one pass over the text.

    Many quotes in a long document are matched together by an Aho-Corasick automaton (``pyahocorasick``,
    BSD-3-Clause), so the time grows with the text and the quotes' total length, not with their product; a few
    quotes in a short text are looked up one by one.

    >>> sorted(found_in("推动党员干部下沉社区。", {"下沉社区", "红色物业", "党员"}))
    ['下沉社区', '党员']
    """
    if len(text) * len(quotes) < _SCAN_BELOW:
        return {q for q in quotes if q in text}
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for quote in quotes:
        automaton.add_word(quote, quote)
    automaton.make_automaton()
    found: set[str] = set()
    for _, quote in automaton.iter(text):
        found.add(quote)
    return found


def _not_found_in(text: str, quotes: set[str]) -> set[str]:
    """The ``quotes`` that do not occur verbatim in ``text`` (usually none: then a few quotes in a short text are
    looked up in one C loop)."""
    if len(text) * len(quotes) < _SCAN_BELOW and all(map(text.__contains__, quotes)):
        return set()
    return quotes - found_in(text, quotes)


def _source_file_problem(root: Path, path: Path) -> str | None:
    """Why ``path`` cannot be read as a source text of the dataset in ``root``, or None when it can.

    The file name comes from an id (``type:slug``, no ``/`` nor ``..``), so only a symlink (the file's, or the
    ``sources`` folder's) can lead outside the folder; only then are paths resolved.
    """
    from .errors import InputError
    from .files import inside

    if not os.path.lexists(path):
        return say("not found")
    if os.path.islink(path) or os.path.islink(path.parent):
        try:
            inside(root, path.relative_to(root))
        except InputError:
            return say("leads outside the data folder (a symlink): copy the text into sources/")
    if not path.is_file():
        return say("is not a regular file") if path.exists() else say("not found (a broken symlink)")
    return None


def _regular_files(folder: Path) -> set[str]:
    """The names of the regular files (not symlinks) in ``folder``, listed at once; none when the folder is missing
    or is itself a symlink."""
    try:
        if os.path.islink(folder):
            return set()
        with os.scandir(folder) as entries:
            return {e.name for e in entries if e.is_file(follow_symlinks=False)}
    except OSError:
        return set()


def load_dataset(root: str | os.PathLike | None = None) -> Dataset:
    """Load and validate the dataset in folder ``root`` (default: the bundled one).

    Raises
    ------
    DatasetError
        With every problem found, each with its file and line.
    """
    import gc

    # hundreds of thousands of small objects and no cycle among them: the cyclic garbage collector would scan
    # them again and again while they are made (a third of the time at 5,000 cities); it runs again afterwards
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_dataset(root)
    finally:
        if enabled:
            gc.enable()


def _load_dataset(root: str | os.PathLike | None) -> Dataset:
    root = Path(root) if root is not None else default_data_dir()
    if not root.is_dir():
        what = say("is a file, not a folder") if root.exists() else say("folder not found")
        raise DatasetError(
            [
                Problem(
                    str(root),
                    0,
                    say("{what}: expected a dataset folder with entities.csv and relations.csv", what=what),
                )
            ]
        )
    recover_if_needed(root)  # a write that was interrupted between two renames is rolled back first
    problems: list[Problem] = []
    entities_path, relations_path = root / "entities.csv", root / "relations.csv"
    for path in (entities_path, relations_path):
        if not path.is_file():
            problems.append(Problem(str(path), 0, say("file not found")))
    if problems:
        raise DatasetError(problems)
    entity_status: dict = {}
    relation_status: dict = {}
    entities = _load_entities(entities_path, problems, entity_status)
    columns = _load_relations(
        relations_path, entities, problems, relation_status, check_references=entity_status["readable"]
    )
    if entity_status["readable"] and relation_status["readable"]:
        _check_part_of_cycles(relations_path, columns, problems)
        _check_practice_owners(entities_path, relations_path, entities, columns, problems)

    texts: dict[str, str] = {}
    folder = root / "sources"
    plain = _regular_files(folder)
    for entity in entities.sources():
        if entity.type != "source" or ":" not in entity.id:
            continue  # (an id without a type prefix is reported already)
        name = entity.id.split(":", 1)[1] + ".txt"
        if name in plain:
            # a regular file in a folder that is no symlink: read it at once (any trouble: the checks below say it)
            try:
                with open(os.path.join(folder, name), "rb") as fh:
                    texts[entity.id] = decode_text(fh.read())
                continue
            except (OSError, UnicodeDecodeError):
                pass
        path = source_text_path(root, entity.id)
        why = _source_file_problem(root, path)
        if why:
            problems.append(
                Problem(
                    str(entities_path),
                    entity.line,
                    say("no text for {id}: {path} {why}", id=entity.id, path=path, why=why),
                )
            )
            continue
        try:
            texts[entity.id] = read_text(path)
        except DatasetError as exc:
            problems.extend(exc.problems)
    quoted: dict[str, set[str]] = {}
    # the quotes of each document: relations come in runs of one document, each run added at once
    quotes_of = operator.itemgetter(1)
    pairs = compress(zip(columns.document, columns.evidence, strict=True), columns.evidence)
    for document, run in groupby(pairs, key=operator.itemgetter(0)):
        if document in texts:
            quoted.setdefault(document, set()).update(map(quotes_of, run))
    missing = {doc: lost for doc, quotes in quoted.items() if (lost := _not_found_in(texts[doc], quotes))}
    if missing:
        for evidence, document, line in zip(columns.evidence, columns.document, columns.line, strict=True):
            if evidence and evidence in missing.get(document, ()):
                problems.append(
                    Problem(
                        str(relations_path),
                        line,
                        say("evidence not found verbatim in {document}: {quote!r}", document=document, quote=evidence),
                    )
                )
    if problems:
        unique = list(dict.fromkeys(problems))
        raise DatasetError(sorted(unique, key=lambda p: (p.file != str(entities_path), p.file, p.line)))
    return Dataset(root, entities, texts=texts, columns=columns)
