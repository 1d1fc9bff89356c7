"""Merging accepted candidates into a data folder: validated first, backed up, replaced atomically."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..dataset import Dataset, load_dataset, read_text, source_text_path
from ..errors import DatasetError, InputError, Problem
from ..table import Table
from .candidates import _WHERE, Candidates
from .files import _mode_of, _write_csv_atomic, _write_text_atomic

__all__ = ["apply"]


def _accepted(candidates: Candidates, dataset: Dataset, min_confidence: float):
    """The new entity rows and relation rows to merge, after the threshold and the cascade of dropped ends."""

    def ok(row: dict) -> bool:
        return row.get("status") != "rejected" and float(row.get("confidence", 1.0)) >= min_confidence

    entities = {r["id"]: r for r in candidates.entities if r["id"] not in dataset.entities and ok(r)}
    existing = {(r.source, r.relation, r.target) for r in dataset.relations}
    relations = [r for r in candidates.relations if (r["source"], r["relation"], r["target"]) not in existing and ok(r)]
    while True:
        known = set(dataset.entities) | set(entities)
        relations = [
            r
            for r in relations
            if r["source"] in known and r["target"] in known and (not r.get("document") or r["document"] in known)
        ]
        used = {r["source"] for r in relations} | {r["target"] for r in relations}
        used |= {r["document"] for r in relations if r.get("document")}
        reported = {r["target"] for r in relations if r["relation"] == "reports"}
        keep = {}
        for eid, row in entities.items():
            if row["type"] == "practice" and eid not in reported:
                continue
            if row["type"] in ("city", "initiative", "source") and eid not in used:
                continue
            keep[eid] = row
        if len(keep) == len(entities):
            return list(entities.values()), relations
        entities = keep


def _backup_dir(root: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = root / ".backup" / stamp
    n = 1
    while path.exists():
        n += 1
        path = root / ".backup" / f"{stamp}-{n}"
    return path


def _no_text(row: dict) -> Problem:
    """The problem of a new source whose text is not among the candidates, at its row of the review file."""
    if _WHERE in row:
        file, line = row[_WHERE]
        expected = source_text_path(Path(file).parent, row["id"])
        return Problem(file, line, f"no text for {row['id']}: {expected} not found")
    return Problem(row["id"], 0, "no text for this new source among the candidates")


def _where_from(problem: Problem, tmp: Path, root: Path, rows_at: dict[str, dict[int, dict]]) -> Problem:
    """A problem of the merged files, at the review file's row it comes from (else at the merged file's line)."""
    name = Path(problem.file).name
    row = rows_at.get(name, {}).get(problem.line) if Path(problem.file).parent == tmp else None
    if row is not None and _WHERE in row:
        file, line = row[_WHERE]
        return Problem(file, line, problem.message)
    return Problem(problem.file.replace(str(tmp), str(root)) + " (merged)", problem.line, problem.message)


def apply(
    model_root: str | os.PathLike, candidates: Candidates, min_confidence: float = 0.0, backup: bool = True
) -> Table:
    """Merge the accepted candidates into the dataset in ``model_root``.

    A candidate is accepted unless its status is ``rejected`` or its confidence is below ``min_confidence``;
    rows already in the dataset are skipped, and a row whose ends are not accepted is left out (a practice no
    city reports, a new city with no practice). The merged dataset is built in a temporary folder and validated
    with :func:`~graph.dataset.load_dataset` before anything is replaced; the old ``entities.csv`` and
    ``relations.csv`` are copied to ``.backup/<timestamp>/`` (``backup=False`` skips that); new source texts go
    to ``sources/<slug>.txt``. Rows are appended, so the existing lines keep their numbers.

    Returns
    -------
    Table
        One row per entity type and relation: how many were added, already present, left out. Its notes name
        the backup folder.

    Raises
    ------
    DatasetError
        The dataset is invalid now, or the merged one would be (nothing is written then).
    InputError
        The data folder cannot be written.
    """
    root = Path(model_root)
    dataset = load_dataset(root)
    new_entities, new_relations = _accepted(candidates, dataset, min_confidence)
    added_e = {r["id"] for r in new_entities}
    added_r = {(r["source"], r["relation"], r["target"]) for r in new_relations}
    existing_keys = {(r.source, r.relation, r.target) for r in dataset.relations}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in candidates.entities:
        c = counts.setdefault(("entity", row["type"]), {"added": 0, "present": 0, "left_out": 0})
        c["added" if row["id"] in added_e else "present" if row["id"] in dataset.entities else "left_out"] += 1
    for row in candidates.relations:
        key = (row["source"], row["relation"], row["target"])
        c = counts.setdefault(("relation", row["relation"]), {"added": 0, "present": 0, "left_out": 0})
        c["added" if key in added_r else "present" if key in existing_keys else "left_out"] += 1
    table = Table(
        ["kind", "type", "added", "present", "left_out"],
        [{"kind": k, "type": t, **c} for (k, t), c in sorted(counts.items())],
        title="merged into " + str(root),
        name="applied",
    )
    if not new_entities and not new_relations:
        table.notes.append(f"nothing to add: {root} already holds every accepted candidate")
        return table

    new_sources = {r["id"]: candidates.texts.get(r["id"]) for r in new_entities if r["type"] == "source"}
    missing = [r for r in new_entities if r["type"] == "source" and new_sources[r["id"]] is None]
    if missing:
        raise DatasetError([_no_text(row) for row in missing])
    entities_path, relations_path = root / "entities.csv", root / "relations.csv"
    old_entities, old_relations = read_text(entities_path), read_text(relations_path)
    ent_header = next(csv.reader(io.StringIO(old_entities)))
    rel_header = next(csv.reader(io.StringIO(old_relations)))
    ent_columns = [h.strip().lstrip("\ufeff").lower() for h in ent_header]
    rel_columns = [h.strip().lstrip("\ufeff").lower() for h in rel_header]
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".ingest-", dir=root))
    except OSError as exc:
        raise InputError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        rows_at = {
            "entities.csv": _write_csv_atomic(
                tmp / "entities.csv", ent_columns, new_entities, old_entities, _mode_of(entities_path)
            ),
            "relations.csv": _write_csv_atomic(
                tmp / "relations.csv", rel_columns, new_relations, old_relations, _mode_of(relations_path)
            ),
        }
        for e in dataset.entities.values():
            if e.type == "source":
                target = source_text_path(tmp, e.id)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source_text_path(root, e.id), target)
        for sid, text in new_sources.items():
            _write_text_atomic(source_text_path(tmp, sid), text)
        try:
            load_dataset(tmp)
        except DatasetError as exc:
            raise DatasetError([_where_from(p, tmp, root, rows_at) for p in exc.problems]) from None
        if backup:
            folder = _backup_dir(root)
            folder.mkdir(parents=True)
            shutil.copy2(entities_path, folder / "entities.csv")
            shutil.copy2(relations_path, folder / "relations.csv")
            table.notes.append(f"backup of the previous entities.csv and relations.csv: {folder}")
        for sid in new_sources:
            target = source_text_path(root, sid)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source_text_path(tmp, sid), target)
        os.replace(tmp / "entities.csv", entities_path)
        os.replace(tmp / "relations.csv", relations_path)
    except OSError as exc:
        raise InputError(f"cannot merge into {root}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table.notes.append(f"added {len(new_entities)} entities and {len(new_relations)} relations to {root}")
    return table
