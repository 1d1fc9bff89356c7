"""Review files: the candidates written as CSV for a person to review, and a reviewed folder read back."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..dataset import read_text, source_text_path
from ..errors import DatasetError, InputError, Problem
from ..schema import ENTITY_COLUMNS, RELATION_COLUMNS
from .candidates import _WHERE, CANDIDATE_COLUMNS, STATUSES, Candidates
from .files import _csv_text, _decoded, _write_text_atomic

__all__ = ["write_candidates", "read_candidates"]


def _is_candidates_file(path: Path) -> bool:
    """Whether ``path`` is a candidates file (its header has a status column), not a dataset's own file."""
    try:
        header = next(csv.reader(io.StringIO(read_text(path))), [])
    except (DatasetError, csv.Error):
        return False
    return "status" in [h.strip().lstrip("\ufeff").lower() for h in header]


def _check_out_dir(out: Path) -> None:
    """Refuse a folder the candidates cannot go to, before anything is written."""
    if out.exists() and not out.is_dir():
        raise InputError(f"cannot write the candidates to {out}: it is a file, not a folder")
    if not out.exists() and not out.parent.is_dir():
        raise InputError(f"cannot write {out}: folder {out.parent} does not exist")
    for name in ("entities.csv", "relations.csv"):
        if (out / name).is_file() and not _is_candidates_file(out / name):
            raise InputError(
                f"{out} holds a dataset ({name} has no status column), not candidates: name another --out folder"
            )


def write_candidates(candidates: Candidates, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``entities.csv``, ``relations.csv`` and ``sources/<slug>.txt`` into ``out_dir``, each atomically.

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
        _csv_text(ENTITY_COLUMNS + CANDIDATE_COLUMNS, entities)[0],
        _csv_text(RELATION_COLUMNS + CANDIDATE_COLUMNS, candidates.relations)[0],
    ]
    for path, text in zip(written, texts, strict=True):
        if path.is_file() and _decoded(path) != text:
            raise InputError(
                f"{path} holds other candidates (a review under way?): merge them with ingest --apply {out}, "
                "or name another --out folder"
            )
    try:
        for path, text in zip(written, texts, strict=True):
            _write_text_atomic(path, text)
        for sid, text in sorted(candidates.texts.items()):
            path = source_text_path(out, sid)
            _write_text_atomic(path, text)
            written.append(path)
    except OSError as exc:
        raise InputError(f"cannot write the candidates to {out}: {exc.strerror or exc}") from None
    return written


def _read_csv(path: Path, required: list[str], problems: list[Problem]) -> list[dict]:

    try:
        text = read_text(path)
    except DatasetError as exc:
        problems.extend(exc.problems)
        return []
    reader = csv.DictReader(io.StringIO(text))
    # as the dataset's loader does: a header cell edited to " Status" is still the status column
    reader.fieldnames = [h.strip().lstrip("\ufeff").lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in reader.fieldnames]
    if missing:
        problems.append(Problem(str(path), 1, "missing column(s): " + ", ".join(missing)))
        return []
    rows = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(clean.values()):
            continue
        clean["status"] = clean["status"].lower() or "new"
        line = reader.line_num
        clean[_WHERE] = (str(path), line)
        if clean["status"] not in STATUSES:
            problems.append(Problem(str(path), line, f"unknown status {clean['status']!r} ({', '.join(STATUSES)})"))
        try:
            clean["confidence"] = float(clean.get("confidence") or 1.0)
        except ValueError:
            problems.append(Problem(str(path), line, f"confidence {clean['confidence']!r} is not a number"))
        rows.append(clean)
    return rows


def read_candidates(folder: str | os.PathLike) -> Candidates:
    """Read a (reviewed) candidates folder written by :func:`write_candidates`.

    Raises
    ------
    DatasetError
        Missing files or columns (``status`` and ``confidence`` among them), unknown statuses, confidences that
        are not numbers.
    """
    root = Path(folder)
    problems: list[Problem] = []
    for name in ("entities.csv", "relations.csv"):
        if not (root / name).is_file():
            problems.append(Problem(str(root / name), 0, "file not found: expected a folder written by ingest"))
    if problems:
        raise DatasetError(problems)
    # without its status and confidence columns a reviewed file would merge its rejected and uncertain rows
    entities = _read_csv(root / "entities.csv", ["id", "type", "name", "status", "confidence"], problems)
    relations = _read_csv(root / "relations.csv", ["source", "relation", "target", "status", "confidence"], problems)
    texts = {}
    for row in entities:
        if row.get("type") == "source":
            path = source_text_path(root, row["id"])
            if path.is_file():
                texts[row["id"]] = read_text(path)
    if problems:
        raise DatasetError(problems)
    return Candidates(entities, relations, texts)
