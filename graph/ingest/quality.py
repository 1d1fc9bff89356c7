"""How well ingestion recovers a curated dataset's links from its own articles."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from ..dataset import Dataset, load_dataset
from ..schema import ENTITY_COLUMNS, RELATION_COLUMNS
from ..table import Table
from .article import Article
from .files import write_csv_atomic
from .layouts import parse_article
from .merge import apply
from .places import known_places
from .proposing import propose
from .reading import read_article

__all__ = ["reduced_copy", "measure", "leave_one_city_out"]


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
    write_csv_atomic(target / "entities.csv", ENTITY_COLUMNS, entities)
    write_csv_atomic(target / "relations.csv", RELATION_COLUMNS, relations)
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
        known = known_places(model.dataset)
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


def _without_city(dataset: Dataset, city: str, section: str = "", others: str = "") -> Dataset:
    """The dataset without one city, the practices it reports, and every relation that touches them.

    With ``section`` (the city's text) and ``others`` (the rest of the article), an initiative's aliases found in
    the city's text and nowhere else go too: they were written from that text.
    """
    practices = {r.target for r in dataset.relations if r.relation == "reports" and r.source == city}
    gone = practices | {city}
    entities = {eid: e for eid, e in dataset.entities.items() if eid not in gone}
    if section:
        for eid, e in entities.items():
            if e.type == "initiative" and e.aliases:
                kept = tuple(a for a in e.aliases if a in others or a not in section)
                entities[eid] = replace(e, aliases=kept)
    relations = [r for r in dataset.relations if r.source not in gone and r.target not in gone]
    return Dataset(dataset.root, entities, relations, dataset.texts)


def _section_text(article: Article, place: str) -> str:
    """The text of one place's section of a roundup, as an article of its own (heading line and paragraphs)."""
    section = next(s for s in article.sections if s.place == place)
    return (
        "\n\n".join(
            [
                section.heading
                if ":" in section.heading or "：" in section.heading
                else f"{section.place}:{section.title}"
            ]
            + [p.text for p in section.paragraphs]
        )
        + "\n"
    )


def leave_one_city_out(
    data_root: str | os.PathLike | None,
    article: str | os.PathLike,
    min_confidence: float = 0.7,
    hide_aliases: bool = False,
) -> Table:
    """Leave-one-city-out quality of the matcher, with names only and with the curated quotes as examples.

    For each city of the dataset with a section in ``article``: the city, its practices and their links are
    hidden; its section is read as a new article and proposed against the rest; the initiatives its proposed
    links (at ``min_confidence`` or more) point to are compared with the ones the curated data links it to. Counts
    are summed over the cities (micro-averaged precision and recall). ``hide_aliases`` also hides the aliases
    of initiatives that only the city's section contains (the curated aliases were written from the article, so
    they make names alone look better on it than on a new text).

    Returns
    -------
    Table
        One row per matcher: cities, curated, found, true_positives, precision, recall, f1; the misses and the
        extras of the matcher by examples as notes.
    """
    from ..model import Model, build_incidence

    dataset = load_dataset(data_root)
    incidence = build_incidence(dataset)
    parsed = read_article(article, known_places(dataset))
    cities = {dataset.name_of(c): c for c in incidence.cities}
    rows, notes = [], []
    for label, examples in (("names and aliases", False), ("names, aliases and curated quotes", True)):
        curated = found = hits = n = 0
        for section in parsed.sections:
            city = cities.get(section.place)
            if city is None:
                continue
            n += 1
            truth = {x for (c, x) in incidence.evidence if c == city}
            text = _section_text(parsed, section.place)
            others = "\n".join(_section_text(parsed, s.place) for s in parsed.sections if s is not section)
            rest = Model(_without_city(dataset, city, text if hide_aliases else "", others))
            candidates = propose(
                rest, [parse_article(text, f"{section.place}.txt", known_places(rest.dataset))], examples=examples
            )
            got = {
                r["target"]
                for r in candidates.relations
                if r["relation"] == "instance_of" and float(r["confidence"]) >= min_confidence
            }
            curated, found, hits = curated + len(truth), found + len(got), hits + len(truth & got)
            if examples:
                notes += [f"missed: {section.place} -> {x}" for x in sorted(truth - got)]
                notes += [f"extra: {section.place} -> {x}" for x in sorted(got - truth)]
        precision = hits / found if found else 0.0
        recall = hits / curated if curated else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            {
                "matcher": label,
                "min_confidence": min_confidence,
                "cities": n,
                "curated": curated,
                "found": found,
                "true_positives": hits,
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
            }
        )
    table = Table(list(rows[0]), rows, title="leave-one-city-out: city -> initiative links", name="loco")
    table.notes += notes
    return table
