"""Merging accepted candidates into a data folder: under its lock, validated first, backed up, all or nothing."""

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
from ..files import DataLock, file_mode, inside, normalize_header, replace_files
from ..lang import os_reason, say
from ..table import Table
from .candidates import WHERE_COLUMN, Candidates
from .files import csv_text, write_text

__all__ = ["apply", "nothing_new"]


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
        # a new city stays when it reports something or a place kept is in it (the prefecture of a new county)
        places = {r["source"] for r in relations if r["relation"] == "reports"}
        places |= {r["target"] for r in relations if r["relation"] == "located_in" and r["source"] != r["target"]}
        keep = {}
        for eid, row in entities.items():
            if row["type"] == "practice" and eid not in reported:
                continue
            if row["type"] == "city" and eid not in places:
                continue
            if row["type"] in ("province", "initiative", "source") and eid not in used:
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
    if WHERE_COLUMN in row:
        file, line = row[WHERE_COLUMN]
        expected = source_text_path(Path(file).parent, row["id"])
        return Problem(file, line, say("no text for {id}: {path} not found", id=row["id"], path=expected))
    return Problem(row["id"], 0, say("no text for this new source among the candidates"))


def _where_from(problem: Problem, tmp: Path, root: Path, rows_at: dict[str, dict[int, dict]]) -> Problem:
    """A problem of the merged files, at the review file's row it comes from (else at the merged file's line)."""
    name = Path(problem.file).name
    row = rows_at.get(name, {}).get(problem.line) if Path(problem.file).parent == tmp else None
    if row is not None and WHERE_COLUMN in row:
        file, line = row[WHERE_COLUMN]
        return Problem(file, line, problem.message)
    return Problem(problem.file.replace(str(tmp), str(root)) + " (merged)", problem.line, problem.message)


def _unknown_ends(candidates: Candidates, dataset: Dataset, root: Path) -> list[Problem]:
    """Relations naming an entity that is neither a candidate nor in the dataset: an id renamed in one review file
    only would otherwise drop the relation, and the entity with it, without a word."""
    ids = set(dataset.entities) | {r["id"] for r in candidates.entities}
    problems = []
    for row in candidates.relations:
        if row.get("status") == "rejected":
            continue
        for column in ("source", "target", "document"):
            eid = row.get(column, "")
            if eid and eid not in ids:
                file, line = row.get(WHERE_COLUMN, ("relations.csv", 0))
                message = say(
                    "unknown {column} {id!r}: not a candidate of entities.csv and not in {root} "
                    "(an id changed in one file only? change it in both, or reject the row)",
                    column=column,
                    id=eid,
                    root=root,
                )
                problems.append(Problem(file, line, message))
    return problems


def nothing_new(candidates: Candidates, dataset: Dataset, min_confidence: float = 0.0) -> bool:
    """Whether merging ``candidates`` into ``dataset`` would add nothing (every accepted row is already there)."""
    entities, relations = _accepted(candidates, dataset, min_confidence)
    return not entities and not relations


def apply(
    model_root: str | os.PathLike,
    candidates: Candidates,
    min_confidence: float = 0.0,
    backup: bool = True,
    lock_timeout: float | None = None,
) -> Table:
    """Merge the accepted candidates into the dataset in ``model_root``, all or nothing, under the folder's lock.

    A candidate is accepted unless its status is ``rejected`` or its confidence is below ``min_confidence``;
    rows already in the dataset are skipped, and a row whose ends are not accepted is left out (a practice no
    city reports, a new city that reports no practice and holds no new place, a new province no city is in).
    Rows are appended, so the existing lines keep their numbers.

    The guarantees:

    - **One writer at a time.** The data folder's lock (:class:`graph.files.DataLock`) is held from reading the
      dataset to the last rename; the dataset is read again under it, so rows another writer added meanwhile are
      kept. A second writer waits up to ``lock_timeout`` seconds (default :data:`graph.files.LOCK_TIMEOUT`, or
      ``PRACTICE_GRAPH_LOCK_TIMEOUT``) and is then refused (:class:`graph.files.FolderBusyError`).
    - **Everything checked before anything is written.** Ids are ``type:slug`` (so ``source:../x`` never becomes a
      path), relations name known entities, and the merged dataset is built in a scratch folder and validated
      with :func:`~graph.dataset.load_dataset`.
    - **All or nothing.** ``entities.csv``, ``relations.csv`` and the new ``sources/*.txt`` are replaced together
      by :func:`graph.files.replace_files`: if a rename fails the previous files are put back and the error says
      the folder is unchanged; if the process dies between renames, the next command that opens the folder puts
      them back. A copy of the previous tables goes to ``.backup/<timestamp>/`` (``backup=False`` skips it).

    Returns
    -------
    Table
        One row per entity type and relation: how many were added, already present, left out. Its notes name
        the backup folder, or say that there was nothing to add.

    Raises
    ------
    DatasetError
        The dataset is invalid now, the candidates are (each problem at its review file's line), or the merged
        dataset would be; nothing is written then.
    InputError
        The data folder cannot be written (the message says whether it is unchanged), or another process is
        writing it (:class:`graph.files.FolderBusyError`).
    """
    root = Path(model_root)
    with DataLock(root, timeout=lock_timeout) as lock:
        dataset = load_dataset(root)  # read again under the lock: what an earlier writer added is kept
        problems = _unknown_ends(candidates, dataset, root)
        if problems:
            raise DatasetError(problems)
        table = _merge(root, dataset, candidates, min_confidence, backup)
    if lock.recovered:
        table.notes.insert(0, lock.recovered)
    return table


def _merge(root: Path, dataset: Dataset, candidates: Candidates, min_confidence: float, backup: bool) -> Table:
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
        [{"kind": say(k), "type": say(t), **c} for (k, t), c in sorted(counts.items())],
        title=say("merged into {root}", root=str(root)),
        name="applied",
    )
    if not new_entities and not new_relations:
        table.notes.append(say("nothing new: {root} already holds every accepted candidate", root=str(root)))
        return table

    new_sources = {r["id"]: candidates.texts.get(r["id"]) for r in new_entities if r["type"] == "source"}
    missing = [r for r in new_entities if r["type"] == "source" and new_sources[r["id"]] is None]
    if missing:
        raise DatasetError([_no_text(row) for row in missing])
    # every path built from an id checked to stay in the folder (ids are checked when read; this is the last word)
    source_files = {f"sources/{sid.split(':', 1)[1]}.txt": text for sid, text in new_sources.items()}
    for rel in source_files:
        inside(root, rel)
    entities_path, relations_path = root / "entities.csv", root / "relations.csv"
    old_entities, old_relations = read_text(entities_path), read_text(relations_path)
    ent_columns = normalize_header(next(csv.reader(io.StringIO(old_entities))))
    rel_columns = normalize_header(next(csv.reader(io.StringIO(old_relations))))
    ent_text, ent_rows = csv_text(ent_columns, new_entities, old_entities)
    rel_text, rel_rows = csv_text(rel_columns, new_relations, old_relations)
    rows_at = {"entities.csv": ent_rows, "relations.csv": rel_rows}
    files = {"entities.csv": ent_text, "relations.csv": rel_text, **source_files}
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".ingest-", dir=root))
    except OSError as exc:
        raise InputError(say("cannot write to {root}: {why}", root=root, why=os_reason(exc))) from None
    try:
        for rel, text in files.items():
            write_text(inside(tmp, rel), text)
        for e in dataset.entities.values():
            if e.type == "source" and not source_text_path(tmp, e.id).exists():
                target = source_text_path(tmp, e.id)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source_text_path(root, e.id), target)
        try:
            load_dataset(tmp)
        except DatasetError as exc:
            raise DatasetError([_where_from(p, tmp, root, rows_at) for p in exc.problems]) from None
        if backup:
            folder = _backup_dir(root)
            folder.mkdir(parents=True)
            shutil.copy2(entities_path, folder / "entities.csv")
            shutil.copy2(relations_path, folder / "relations.csv")
            table.notes.append(
                say("backup of the previous entities.csv and relations.csv: {folder}", folder=str(folder))
            )
    except OSError as exc:
        raise InputError(
            say("cannot merge into {root}: {why}; nothing was changed", root=root, why=os_reason(exc))
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    modes = {"entities.csv": file_mode(entities_path), "relations.csv": file_mode(relations_path)}
    replace_files(root, files, modes=modes)
    table.notes.append(
        say(
            "added {entities} entities and {relations} relations to {root}",
            entities=len(new_entities),
            relations=len(new_relations),
            root=str(root),
        )
    )
    return table
