"""Review files: the candidates written as CSV for a person to review, and a reviewed folder read back."""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

from ..dataset import read_text, source_text_path
from ..errors import DatasetError, InputError, Problem
from ..files import normalize_header
from ..lang import os_reason, say
from ..schema import ENTITY_COLUMNS, ID_PATTERN, RELATION_COLUMNS
from .candidates import CANDIDATE_COLUMNS, STATUSES, WHERE_COLUMN, Candidates
from .files import csv_text, decoded_text, write_text

__all__ = ["write_candidates", "read_candidates"]


def _is_candidates_file(path: Path) -> bool:
    """Whether ``path`` is a candidates file (its header has a status column), not a dataset's own file."""
    try:
        header = next(csv.reader(io.StringIO(read_text(path))), [])
    except (DatasetError, csv.Error):
        return False
    return "status" in normalize_header(header)


def _check_out_dir(out: Path) -> None:
    """Refuse a folder the candidates cannot go to, before anything is written."""
    if out.exists() and not out.is_dir():
        raise InputError(say("cannot write the candidates to {folder}: it is a file, not a folder", folder=out))
    if not out.exists() and not out.parent.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=out, folder=out.parent))
    for name in ("entities.csv", "relations.csv"):
        if (out / name).is_file() and not _is_candidates_file(out / name):
            raise InputError(
                say(
                    "{folder} holds a dataset ({name} has no status column), not candidates: name another --out folder",
                    folder=out,
                    name=name,
                )
            )


def write_candidates(candidates: Candidates, out_dir: str | os.PathLike, overwrite: bool = False) -> list[Path]:
    """Write ``entities.csv``, ``relations.csv`` and ``sources/<slug>.txt`` into ``out_dir``, each atomically.

    Candidates already there are replaced only when they are the same, or with ``overwrite`` (the caller knows
    they were merged): other candidates may be a review under way.

    Returns the paths written.

    Raises
    ------
    InputError
        ``out_dir`` is a file, its parent folder does not exist, it holds a dataset (whose files the
        candidates would replace), or it cannot be written.
    """
    out = Path(out_dir)
    _check_out_dir(out)
    written = [out / "entities.csv", out / "relations.csv"]
    order = {t: k for k, t in enumerate(("source", "city", "practice", "initiative"))}
    entities = sorted(candidates.entities, key=lambda r: order.get(r["type"], 9))
    texts = [
        csv_text(ENTITY_COLUMNS + CANDIDATE_COLUMNS, entities)[0],
        csv_text(RELATION_COLUMNS + CANDIDATE_COLUMNS, candidates.relations)[0],
    ]
    for path, text in zip(written, texts, strict=True):
        if not overwrite and path.is_file() and decoded_text(path) != text:
            raise InputError(
                say(
                    "{path} holds other candidates (a review under way?): merge them with ingest --apply {folder}, "
                    "or name another --out folder",
                    path=path,
                    folder=out,
                )
            )
    try:
        for path, text in zip(written, texts, strict=True):
            write_text(path, text)
        for sid, text in sorted(candidates.texts.items()):
            path = source_text_path(out, sid)
            write_text(path, text)
            written.append(path)
    except OSError as exc:
        raise InputError(
            say("cannot write the candidates to {folder}: {why}", folder=out, why=os_reason(exc))
        ) from None
    return written


#: The longest cell a review file may hold (Python's csv default); a longer one is refused at its line.
MAX_CELL = 131_072


def _cell_problem(row: list[str], header: list[str], start: int, end: int) -> str | None:
    """Why a parsed row of a review file cannot be trusted, or None.

    A stray ``"`` opens a quoted cell that swallows the commas (and lines) after it, so the row comes out with
    too few or too many cells, or a cell holding a line break: each is refused rather than merged shifted.
    """
    if len(row) != len(header):
        if end > start:
            return say(
                "{n} cells where the header has {width} (it runs on to line {end}): "
                'a stray quote (") or comma? Put a cell holding them in double quotes, with "" for a quote',
                n=len(row),
                width=len(header),
                end=end,
            )
        return say(
            "{n} cells where the header has {width}: "
            'a stray quote (") or comma? Put a cell holding them in double quotes, with "" for a quote',
            n=len(row),
            width=len(header),
        )
    for name, cell in zip(header, row, strict=True):
        if "\n" in cell or "\r" in cell:
            if name in ("evidence", "description", "note"):
                continue
            return say(
                'the {name} cell runs on to line {end}: a stray quote (") opens it; '
                'put the cell in double quotes, with "" for a quote',
                name=name,
                end=end,
            )
    return None


def _read_csv(path: Path, required: list[str], problems: list[Problem]) -> list[dict]:
    """The rows of a review file, each with its (file, line); every row that cannot be trusted is a problem."""
    try:
        text = read_text(path)
    except DatasetError as exc:
        problems.extend(exc.problems)
        return []
    reader = csv.reader(io.StringIO(text))
    try:
        first = next(reader, [])
    except csv.Error as exc:
        problems.append(Problem(str(path), 1, say("unreadable header: {why}", why=str(exc))))
        return []
    # as the dataset's loader does: a header cell edited to " Status" is still the status column
    header = normalize_header(first)
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(str(path), 1, say("missing column(s): {columns}", columns=", ".join(missing))))
        return []
    rows = []
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            end = reader.line_num
            why = str(exc)
            if "field larger than field limit" in why:
                why = say("a cell longer than {most:,} characters (a stray quote that never closes?)", most=MAX_CELL)
            problems.append(Problem(str(path), start, why))
            break  # the reader cannot find the next row after this
        end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        why = _cell_problem(cells, header, start, end)
        if why is not None:
            problems.append(Problem(str(path), start, why))
            continue
        long = next((n for n, c in zip(header, cells, strict=True) if len(c) > MAX_CELL), None)
        if long is not None:
            problems.append(
                Problem(
                    str(path),
                    start,
                    say("the {name} cell is longer than {most:,} characters", name=long, most=MAX_CELL),
                )
            )
            continue
        clean = {k: v.strip() for k, v in zip(header, cells, strict=True) if k}
        clean["status"] = clean["status"].lower() or "new"
        clean[WHERE_COLUMN] = (str(path), start)
        if clean["status"] not in STATUSES:
            problems.append(
                Problem(
                    str(path),
                    start,
                    say("unknown status {value!r} ({choices})", value=clean["status"], choices=", ".join(STATUSES)),
                )
            )
        value = clean.get("confidence") or "1.0"
        try:
            confidence = float(value)
        except ValueError:
            confidence = math.nan
        if not 0.0 <= confidence <= 1.0:  # NaN too: it would silently fail every threshold
            problems.append(
                Problem(str(path), start, say("confidence {value!r} is not a number between 0 and 1", value=value))
            )
        clean["confidence"] = confidence
        rows.append(clean)
    return rows


def _check_ids(entities: list[dict], relations: list[dict], problems: list[Problem]) -> None:
    """Every id of a review folder well-formed, and every relation's ends among its entities' ids or known ids.

    Ids are also paths (``source:<slug>`` is ``sources/<slug>.txt``): one that is not ``type:slug`` of lower-case
    letters, digits and hyphens is refused here, before anything is read or written under its name.
    """
    for row in entities:
        eid, type_ = row.get("id", ""), row.get("type", "")
        if not ID_PATTERN.match(eid):
            problems.append(
                Problem(
                    *row[WHERE_COLUMN], say("{column} {id!r} is not a type:slug of a-z, 0-9 and -", column="id", id=eid)
                )
            )
        elif type_ and eid.split(":", 1)[0] != type_:
            problems.append(
                Problem(*row[WHERE_COLUMN], say("id {id!r} does not start with its type {type}:", id=eid, type=type_))
            )
    for row in relations:
        for column in ("source", "target", "document"):
            eid = row.get(column, "")
            if eid and not ID_PATTERN.match(eid):
                problems.append(
                    Problem(
                        *row[WHERE_COLUMN],
                        say("{column} {id!r} is not a type:slug of a-z, 0-9 and -", column=column, id=eid),
                    )
                )


def read_candidates(folder: str | os.PathLike) -> Candidates:
    """Read a (reviewed) candidates folder written by :func:`write_candidates`.

    Raises
    ------
    DatasetError
        Missing files or columns (``status`` and ``confidence`` among them), unknown statuses, confidences that
        are not numbers from 0 to 1 (``nan`` included), rows with too few or too many cells or a line break in a
        short cell (a stray quote), cells over :data:`MAX_CELL` characters, ids that are not ``type:slug``;
        each at its file and line.
    """
    root = Path(folder)
    problems: list[Problem] = []
    for name in ("entities.csv", "relations.csv"):
        if not (root / name).is_file():
            problems.append(Problem(str(root / name), 0, say("file not found: expected a folder written by ingest")))
    if problems:
        raise DatasetError(problems)
    # without its status and confidence columns a reviewed file would merge its rejected and uncertain rows
    entities = _read_csv(root / "entities.csv", ["id", "type", "name", "status", "confidence"], problems)
    relations = _read_csv(root / "relations.csv", ["source", "relation", "target", "status", "confidence"], problems)
    _check_ids(entities, relations, problems)
    if problems:
        raise DatasetError(problems)
    texts = {}
    for row in entities:
        if row.get("type") == "source":
            path = source_text_path(root, row["id"])
            if path.is_symlink() or (path.exists() and not path.is_file()):
                # a link could bring any file of the machine into the data folder as a source text
                what = say("a symbolic link") if path.is_symlink() else say("not a regular file")
                problems.append(
                    Problem(
                        *row[WHERE_COLUMN],
                        say("the text of {id}, {path}, is {what}: copy the file", id=row["id"], path=path, what=what),
                    )
                )
            elif path.is_file():
                texts[row["id"]] = read_text(path)
    if problems:
        raise DatasetError(problems)
    return Candidates(entities, relations, texts)
