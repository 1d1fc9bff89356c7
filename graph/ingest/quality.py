"""How well ingestion recovers a curated dataset's links from its own articles."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..dataset import load_dataset
from ..schema import ENTITY_COLUMNS, RELATION_COLUMNS
from ..table import Table
from .files import _write_csv_atomic
from .merge import apply
from .places import _known_places
from .proposing import propose
from .reading import read_article

__all__ = ["reduced_copy", "measure"]


def reduced_copy(
    data_root: str | os.PathLike,
    target: str | os.PathLike,
    keep: tuple[str, ...] = ("initiative", "theme", "province", "event"),
    aliases: bool = True,
) -> Path:
    """Copy a dataset keeping only the entities of the ``keep`` types and the relations among them.

    ``aliases=False`` also drops the aliases of the initiatives (their names alone remain).
    """
    dataset = load_dataset(data_root)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    entities = [e.as_row() for e in dataset.entities.values() if e.type in keep]
    if not aliases:
        for row in entities:
            if row["type"] == "initiative":
                row["aliases"] = ""
    ids = {row["id"] for row in entities}
    relations = [r.as_row() for r in dataset.relations if r.source in ids and r.target in ids]
    _write_csv_atomic(target / "entities.csv", ENTITY_COLUMNS, entities)
    _write_csv_atomic(target / "relations.csv", RELATION_COLUMNS, relations)
    return target


def measure(
    data_root: str | os.PathLike | None,
    articles: list[str | os.PathLike],
    min_confidence: float = 0.0,
    aliases: bool = True,
) -> Table:
    """How well ingestion recovers a curated dataset's city -> initiative links from its own articles.

    The articles are ingested (and merged at ``min_confidence``) into a copy of the dataset that keeps only its
    initiatives, themes, provinces and events; the adoptions of the result (:attr:`graph.model.Model.incidence`)
    are compared, by city name, with the curated ones. Links to initiatives the copy does not have (new ones
    proposed by ingestion) count as false positives. ``aliases=False`` matches on the initiatives' names only.

    Returns
    -------
    Table
        One row: curated, found, true_positives, precision, recall, f1; the misses and the extras as notes.
    """
    from ..model import Model, build_incidence

    curated_ds = load_dataset(data_root)
    curated = build_incidence(curated_ds)
    truth = {(curated_ds.name_of(c), x) for (c, x) in curated.evidence}
    with tempfile.TemporaryDirectory(prefix="practice-graph-measure-") as tmp:
        root = reduced_copy(curated_ds.root, Path(tmp) / "data", aliases=aliases)
        model = Model(load_dataset(root))
        known = _known_places(model.dataset)
        candidates = propose(model, [read_article(p, known) for p in articles])
        apply(root, candidates, min_confidence, backup=False)
        merged = load_dataset(root)
        found_inc = build_incidence(merged)
        found = {(merged.name_of(c), x) for (c, x) in found_inc.evidence}
    hits = truth & found
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    table = Table(
        ["aliases", "min_confidence", "curated", "found", "true_positives", "precision", "recall", "f1"],
        [
            {
                "aliases": "yes" if aliases else "no",
                "min_confidence": min_confidence,
                "curated": len(truth),
                "found": len(found),
                "true_positives": len(hits),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
            }
        ],
        title="city -> initiative links recovered",
        name="quality",
    )
    table.notes += [f"missed: {c} -> {x}" for c, x in sorted(truth - found)]
    table.notes += [f"extra: {c} -> {x}" for c, x in sorted(found - truth)]
    return table
