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

from .errors import DatasetError, Problem, indefinite
from .files import decode_text, normalize_header, read_text, recover_if_needed
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
                compress(range(len(self.relation)), map(relation.__eq__, self.relation))
            )
        return rows

    def pairs(self, relation: str) -> list[tuple[str, str]]:
        """``(source, target)`` of each relation of one kind, in file order."""
        source, target = self.source, self.target
        return [(source[i], target[i]) for i in self.where(relation)]

    def relations(self) -> list[Relation]:
        """One :class:`Relation` per row."""
        values = (self.source, self.relation, self.target, self.evidence, self.document, self.line)
        return _made(Relation, ("source", "relation", "target", "evidence", "document", "line"), values)


class Dataset:
    """A validated dataset: entities by id, relations in file order, and the text of each source document.

    The relations are held either as :class:`Relation` objects (``relations``) or as columns (``columns``, what
    the loader makes); the other form is made from it on first use. A Dataset is not changed after loading: code
    that changes its entities or relations builds a new one.
    """

    def __init__(
        self,
        root,
        entities: dict[str, Entity],
        relations: list[Relation] | None = None,
        texts: dict[str, str] | None = None,
        *,
        columns: RelationColumns | None = None,
    ):
        self.root = root
        self.entities = entities
        self.texts = {} if texts is None else texts
        if relations is not None or columns is None:
            self.__dict__["relations"] = [] if relations is None else relations
        if columns is not None:
            self.__dict__["columns"] = columns

    def __repr__(self) -> str:
        return f"Dataset({str(self.root)!r}, {len(self.entities)} entities, {len(self.columns)} relations)"

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
        text = read_text(path)
    except DatasetError as exc:
        problems.extend(exc.problems)
        return empty
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(label, 1, "empty file: expected a header row " + ",".join(columns)))
        return empty
    except csv.Error as exc:
        problems.append(Problem(label, 1, f"malformed CSV: {exc}"))
        return empty
    header = normalize_header(header)
    missing = [c for c in required if c not in header]
    if missing:
        unknown = [h for h in header if h and h not in columns]
        hint = f" (unknown column(s): {', '.join(unknown)})" if unknown else ""
        problems.append(Problem(label, 1, "missing column(s): " + ", ".join(missing) + hint))
        return empty
    seen: set[str] = set()
    for name in header:
        if name in seen and name in columns:
            problems.append(Problem(label, 1, f"column {name!r} appears twice"))
            return empty
        seen.add(name)
    status["readable"] = True
    n_header = len(header)
    where = [header.index(c) if c in header else None for c in columns]
    # an odd number of " means a quote may be left open at the end: then each row waits for the next one, so the
    # last can be held back
    unbalanced = text.count('"') % 2 == 1
    start = reader.line_num + 1
    controls = None  # whether the file holds a control character: searched for once, when needed
    if _WHOLE_FILES and not unbalanced:
        # the common case, a clean file with one row a line: read it whole at C speed, row i on line start + i,
        # as columns; the cells are not stripped yet (see :func:`_strip`)
        by_position = _split_plain(text, n_header) if '"' not in text else None
        if by_position is not None and all(map(str.isprintable, map("".join, by_position))):
            controls = False  # every character of every cell printable: no control character
        else:
            controls = _CONTROL.search(text) is not None
            if controls:
                by_position = None
            elif by_position is None:
                try:
                    rows = list(reader)
                except csv.Error:
                    rows = None
                lines = text.count("\n") + (not text.endswith("\n"))
                if rows is not None and len(rows) == lines - start + 1 and set(map(len, rows)) <= {n_header}:
                    by_position = list(zip(*rows, strict=True)) if rows else [()] * n_header
        if by_position is not None:
            n = len(by_position[0])
            blank = [""] * n
            return range(start, start + n), [blank if k is None else by_position[k] for k in where], False
        reader = csv.reader(io.StringIO(text))  # anything unusual: row by row, with every check
        next(reader)
    if controls is None:
        controls = _CONTROL.search(text) is not None
    width = n_header if None not in where else n_header + 1
    pick = operator.itemgetter(*[n_header if k is None else k for k in where])
    lines_of: list[int] = []
    rows_of: list[tuple[str, ...]] = []
    for line, cells in _rows_one_by_one(
        reader, text, label, header, width, pick, controls, unbalanced, start, problems, status
    ):
        lines_of.append(line)
        rows_of.append(cells)
    return lines_of, [list(column) for column in zip(*rows_of, strict=True)] if rows_of else empty[1], True


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
                problems.append(Problem(label, line, f"{len(cells)} cells, but the header has {n_header}"))
                continue
            if controls:
                bad = [(n, m.group()) for n, c in zip(header, cells, strict=False) for m in [_CONTROL.search(c)] if m]
                if bad:
                    name, char = bad[0]
                    problems.append(
                        Problem(label, line, f"{name} holds a control character (U+{ord(char):04X}): remove it")
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
        problems.append(Problem(label, start, f"malformed CSV: {exc}"))
    if pending is not None:
        line, row = pending
        if any("\n" in v for v in row) and _unclosed_quote(text, line):
            # the rest of the file went into one cell: say so once, and check nothing that refers to this file
            problems.append(
                Problem(
                    label,
                    line,
                    'unclosed quote: a " opened on this line is never closed (the rest of the file '
                    "was read as one cell)",
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
        return f"date {value!r} is not ISO 8601 (2020, 2020-07 or 2020-07-01)"
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        return f"date {value!r} has no month {month}"
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return f"date {value!r} is not a day of the calendar"
    return None


def _parse_coord(value: str, low: float, high: float, what: str, label: str, line: int, problems):
    if value == "":
        return None
    if not _NUMBER.fullmatch(value):
        problems.append(Problem(label, line, f"{what} {value!r} is not a number"))
        return None
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        problems.append(Problem(label, line, f"{what} {value} is out of range [{low:g}, {high:g}]"))
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


def _made(cls, names: tuple[str, ...], columns) -> list:
    """One instance of the frozen dataclass ``cls`` per row of ``columns`` (one sequence per field of ``names``),
    as :func:`_filled` makes them, each step a C loop (a third faster than a Python loop over the rows)."""
    n = len(columns[0])
    objects = list(map(object.__new__, repeat(cls, n)))
    fields = map(dict, map(zip, repeat(names, n), zip(*columns, strict=True)))
    for _ in map(object.__setattr__, objects, repeat("__dict__", n), fields):
        pass
    return objects


def _load_entities(path: Path, problems: list[Problem], status: dict) -> dict[str, Entity]:
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
            problems.append(Problem(label, line, "empty id"))
            continue
        if not ID_PATTERN.match(eid):
            problems.append(Problem(label, line, f"id {eid!r} does not match type:slug (lower-case a-z, 0-9, -)"))
            bad = True
        if etype not in ENTITY_TYPES:
            problems.append(Problem(label, line, f"unknown type {etype!r} (expected one of {', '.join(ENTITY_TYPES)})"))
            bad = True
        elif not bad and eid.split(":", 1)[0] != etype:
            problems.append(Problem(label, line, f"id {eid!r} does not start with its type {etype!r}"))
        if eid in first_line:
            problems.append(Problem(label, line, f"duplicate id {eid!r} (first on line {first_line[eid]})"))
            continue
        first_line[eid] = line
        if not name or (not name.isprintable() and is_blank(name)):
            problems.append(Problem(label, line, f"empty name for {eid}"))
        if etype in NAME_EN_REQUIRED and (not name_en or (not name_en.isprintable() and is_blank(name_en))):
            problems.append(Problem(label, line, f"empty name_en for {eid} (required for a {etype})"))
        if level and level not in CITY_LEVELS:
            problems.append(Problem(label, line, f"unknown level {level!r} (expected one of {', '.join(CITY_LEVELS)})"))
        if lat or lon:
            if (lat == "") != (lon == ""):
                problems.append(Problem(label, line, f"{eid} has only one of lat and lon"))
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
                problems.append(Problem(label, line, f"{eid} has a date, but a {etype} has none (only {dated})"))
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
    return entities


#: Many valid ids, one a line (what :data:`~graph.schema.ID_PATTERN` accepts, line by line).
_IDS = re.compile(r"(?:[a-z]+:[a-z0-9][a-z0-9-]*\n)*[a-z]+:[a-z0-9][a-z0-9-]*")
_LEVELS = frozenset(("", *CITY_LEVELS))
_ENTITY_FIELDS = ("id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon", "date", "line")
#: The columns of entities.csv (by number) that hold free text: name, name_en, aliases, description.
_ENTITY_TEXT = frozenset(range(2, 6))


def _entities_fast(lines, columns) -> dict[str, Entity] | None:
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
    if not all(map(operator.eq, [eid.partition(":")[0] for eid in ids], types)):
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
    values = (ids, types, names, names_en, aliases_of, descriptions, levels, lat_of, lon_of, dates, lines)
    return dict(zip(ids, _made(Entity, _ENTITY_FIELDS, values), strict=True))


def _load_relations(
    path: Path, entities: dict[str, Entity], problems: list[Problem], status: dict, check_references: bool = True
) -> RelationColumns:
    """Read relations.csv; ``check_references=False`` when entities.csv itself could not be read."""
    label = str(path)
    relations: list[Relation] = []
    first_line: dict[tuple[str, str, str], int] = {}
    lines, columns, stripped = _read_table(path, RELATION_COLUMNS, RELATION_COLUMNS, problems, status)
    if not stripped:
        # the evidence is stripped; ids pass the checks only when they hold no space to strip
        columns = _strip(columns, {3})
    if _WHOLE_FILES and check_references and lines and _relations_valid(columns, entities):
        # every row passed the column-wise checks: keep the columns, without a check (or an object) per row
        return RelationColumns(*columns, lines)
    if not stripped:
        columns = _strip(columns)
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
                    problems.append(Problem(label, line, f"empty {role}"))
                elif eid not in entities and check_references:
                    problems.append(Problem(label, line, f"unknown {role} {eid!r}"))
        if joins is None:
            problems.append(
                Problem(label, line, f"unknown relation {relation!r} (expected one of {', '.join(RELATION_TYPES)})")
            )
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
                        f"{relation} joins {want_source} -> {want_target}, "
                        f"not {got_source} -> {got_target} ({source} -> {target})",
                    )
                )
                ok = False
        if relation in EVIDENCE_REQUIRED and not evidence:
            problems.append(Problem(label, line, f"{relation} needs evidence (a quote from the document)"))
        if evidence and not document:
            problems.append(Problem(label, line, "evidence without a document"))
        if document and check_references:
            doc = entities.get(document)
            if doc is not None and doc.type == "source":
                pass
            elif doc is None:
                problems.append(Problem(label, line, f"unknown document {document!r}"))
            elif doc.type != "source":
                problems.append(Problem(label, line, f"document {document!r} is {indefinite(doc.type)}, not a source"))
        if source == target and source:
            problems.append(Problem(label, line, f"{relation} joins {source} to itself"))
        key = (source, relation, target)
        if key in first_line:
            problems.append(
                Problem(
                    label, line, f"duplicate relation {source} {relation} {target} (first on line {first_line[key]})"
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


def _relations_valid(columns: list[list[str]], entities: dict[str, Entity]) -> bool:
    """Whether every relation row is valid, checked a column at a time (True means no row has a problem).

    The checks are those of :func:`_load_relations`' row-by-row loop, which runs instead whenever this says
    False and then names each problem with its line.
    """
    sources, relations, targets, evidence, documents = columns
    type_of = dict(zip(entities, map(operator.attrgetter("type"), entities.values()), strict=True))
    source_types = list(map(type_of.get, sources))
    target_types = list(map(type_of.get, targets))
    if None in source_types or None in target_types:
        return False  # an unknown or empty id
    allowed = {(r, *joins) for r, joins in RELATION_TYPES.items()}
    allowed |= {(r, *joins) for r, also in ALSO_JOINS.items() for joins in also}
    if not set(zip(relations, source_types, target_types, strict=True)) <= allowed:
        return False  # an unknown relation, or one joining the wrong types
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
    if len(set(zip(sources, targets, strict=True))) == len(sources):
        return True  # no two relations join the same pair: no duplicate
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
                    problems.append(Problem(str(path), at, f"part_of cycle through {child}"))
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


def _check_practice_owners(entities_path, relations_path, entities, columns: RelationColumns, problems) -> None:
    """A practice is one city's own: reported by exactly one city."""
    reports = columns.where("reports")
    reported = [columns.target[i] for i in reports]
    owned = set(reported)
    if (
        _WHOLE_FILES
        and len(owned) == len(reported)
        # every kept reports relation ends at a practice: all are reported when there are as many as practices
        and len(owned) == operator.countOf(map(operator.attrgetter("type"), entities.values()), "practice")
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
                    f"{target[i]} is reported by {source[i]} and by {source[first]} (line {line[first]}): "
                    "a practice belongs to one city",
                )
            )
    for e in entities.values():
        if e.type == "practice" and e.id not in owner:
            problems.append(Problem(str(entities_path), e.line, f"practice {e.id} is reported by no city"))


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


def _source_file_problem(root: Path, path: Path) -> str | None:
    """Why ``path`` cannot be read as a source text of the dataset in ``root``, or None when it can.

    The file name comes from an id (``type:slug``, no ``/`` nor ``..``), so only a symlink (the file's, or the
    ``sources`` folder's) can lead outside the folder; only then are paths resolved.
    """
    from .errors import InputError
    from .files import inside

    if not os.path.lexists(path):
        return "not found"
    if os.path.islink(path) or os.path.islink(path.parent):
        try:
            inside(root, path.relative_to(root))
        except InputError:
            return "leads outside the data folder (a symlink): copy the text into sources/"
    if not path.is_file():
        return "is not a regular file" if path.exists() else "not found (a broken symlink)"
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
        what = "is a file, not a folder" if root.exists() else "folder not found"
        raise DatasetError(
            [Problem(str(root), 0, f"{what}: expected a dataset folder with entities.csv and relations.csv")]
        )
    recover_if_needed(root)  # a write that was interrupted between two renames is rolled back first
    problems: list[Problem] = []
    entities_path, relations_path = root / "entities.csv", root / "relations.csv"
    for path in (entities_path, relations_path):
        if not path.is_file():
            problems.append(Problem(str(path), 0, "file not found"))
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
    for entity in entities.values():
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
            problems.append(Problem(str(entities_path), entity.line, f"no text for {entity.id}: {path} {why}"))
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
    missing = {doc: lost for doc, quotes in quoted.items() if (lost := quotes - found_in(texts[doc], quotes))}
    if missing:
        for evidence, document, line in zip(columns.evidence, columns.document, columns.line, strict=True):
            if evidence and evidence in missing.get(document, ()):
                problems.append(
                    Problem(str(relations_path), line, f"evidence not found verbatim in {document}: {evidence!r}")
                )
    if problems:
        unique = list(dict.fromkeys(problems))
        raise DatasetError(sorted(unique, key=lambda p: (p.file != str(entities_path), p.file, p.line)))
    return Dataset(root, entities, texts=texts, columns=columns)
