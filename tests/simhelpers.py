"""Build small in-memory models from an adoption list, for the similarity and recommendation tests."""

from __future__ import annotations

from graph.dataset import Dataset, Entity, Relation
from graph.model import Model


def model_from_rows(rows: list[list[int]], n_initiatives: int | None = None) -> Model:
    """A model whose city ``c{i}`` adopts the initiatives ``x{j}`` for each ``j`` in ``rows[i]``.

    Each adoption goes through a practice (city -reports-> practice -instance_of-> initiative), like real data.
    """
    n_init = n_initiatives if n_initiatives is not None else 1 + max((j for r in rows for j in r), default=0)
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    for j in range(n_init):
        entities[f"initiative:x{j}"] = Entity(f"initiative:x{j}", "initiative", f"举措{j:03d}", f"x{j}")
    for i, adopted in enumerate(rows):
        city = f"city:c{i}"
        entities[city] = Entity(city, "city", f"城市{i:03d}", f"c{i}", lat=30.0 + i / 10, lon=110.0)
        for j in sorted(set(adopted)):
            practice = f"practice:c{i}-x{j}"
            entities[practice] = Entity(practice, "practice", f"城市{i:03d}做法{j}")
            relations.append(Relation(city, "reports", practice, f"城市{i:03d}推行做法{j}", "source:s"))
            quote = f"做法{j}属于举措{j:03d}"
            relations.append(Relation(practice, "instance_of", f"initiative:x{j}", quote, "source:s"))
    entities["source:s"] = Entity("source:s", "source", "测试")
    return Model(Dataset(root=".", entities=entities, relations=relations, texts={}))
