"""Questions about single entities and groups of cities: ``show``, ``shared`` and the dataset's counts."""

from __future__ import annotations

from collections import Counter

from .analysis import uniqueness
from .errors import RequestError
from .lang import listing, relation_label, say
from .model import Model
from .schema import ENTITY_TYPES
from .table import Section, Table

__all__ = ["show", "shared", "stats", "summary", "resolve_cities", "uniqueness"]


def resolve_cities(model: Model, names: list[str]) -> list[str]:
    """Resolve city names (names, aliases, English names or ids) to city ids, in order, refusing repeats.

    Raises
    ------
    RequestError
        A city named twice (under any of its names).
    UnknownNameError, AmbiguousNameError, WrongTypeError
        A name that is no city, that several cities share, or that names something else.
    """
    ids = [model.names.resolve(n, "city") for n in names]
    repeated = [model.name(c) for c, k in Counter(ids).items() if k > 1]
    if repeated:
        raise RequestError(say("the same city given twice: {cities}", cities=listing(repeated)))
    return ids


def show(model: Model, name: str) -> Section:
    """One entity: its attributes, its relations with evidence, and (for cities and initiatives) the adoptions.

    Raises
    ------
    UnknownNameError, AmbiguousNameError
        No entity goes by ``name``, or several do.
    """
    ds = model.dataset
    eid = model.names.resolve(name, ENTITY_TYPES)
    entity = ds.entities[eid]
    record = {k: v for k, v in entity.as_row().items() if v}
    record["type"] = say(entity.type)
    rows = []
    for r in ds.relations:
        if r.source == eid:
            direction, other = "->", r.target
        elif r.target == eid:
            direction, other = "<-", r.source
        else:
            continue
        rows.append(
            {
                "direction": direction,
                "relation": r.relation,
                "link": relation_label(r.relation, outgoing=direction == "->"),
                "id": other,
                "name": ds.name_of(other),
                "evidence": r.evidence,
                "document": r.document,
            }
        )
    tables = [
        Table(
            ["direction", "relation", "id", "name", "evidence", "document"],
            rows,
            title=say("relations"),
            name="relations",
            display=["link", "name", "evidence"],
        )
    ]
    inc = model.adoption
    if entity.type == "city":
        adopted = []
        for x in inc.initiatives_of(eid):
            for ev in inc.evidence[(eid, x)]:
                adopted.append(
                    {
                        "initiative": ds.name_of(x),
                        "initiative_id": x,
                        "cities": len(inc.cities_of(x)),
                        "practice": ds.name_of(ev.practice),
                        "evidence": ev.quote,
                    }
                )
        tables.append(
            Table(
                ["initiative", "initiative_id", "cities", "practice", "evidence"],
                adopted,
                title=say("initiatives adopted"),
                name="initiatives",
            )
        )
    elif entity.type == "initiative":
        adopters = []
        for c in inc.cities_of(eid):
            for ev in inc.evidence[(c, eid)]:
                adopters.append(
                    {"city": ds.name_of(c), "city_id": c, "practice": ds.name_of(ev.practice), "evidence": ev.quote}
                )
        columns = ["city", "city_id", "practice", "evidence"]
        tables.append(Table(columns, adopters, title=say("adopted by"), name="cities"))
    return Section(tables, record=record, title=say("{name} ({id})", name=entity.name, id=eid))


def shared(model: Model, names: list[str]) -> Table:
    """The initiatives every one of the named cities adopts, each with every city's evidence; the rarest first
    (fewest adopting cities), then by name.

    Raises
    ------
    RequestError
        Fewer than two cities, or one named twice.
    UnknownNameError, AmbiguousNameError, WrongTypeError
        A name that is no city (see :func:`resolve_cities`).
    """
    if len(names) < 2:
        raise RequestError(say("name at least two cities"))
    cities = resolve_cities(model, names)
    inc, ds = model.incidence, model.dataset
    common = set(inc.initiatives_of(cities[0]))
    for c in cities[1:]:
        common &= set(inc.initiatives_of(c))
    df = dict(zip(inc.initiatives, inc.df.tolist(), strict=True))
    rows = []
    for x in sorted(common, key=lambda x: (df[x], ds.name_of(x))):
        evidence = []
        for c in cities:
            for ev in inc.evidence[(c, x)]:
                evidence.append(f"{ds.name_of(c)}: {ev.quote}")
        rows.append(
            {
                "initiative": ds.name_of(x),
                "initiative_id": x,
                "name_en": ds.entities[x].name_en,
                "adopted_by": df[x],
                "evidence": evidence,
            }
        )
    city_names = listing([ds.name_of(c) for c in cities], "、")
    notes = [] if rows else [say("{cities} have no initiative in common.", cities=city_names)]
    return Table(
        ["initiative", "initiative_id", "name_en", "adopted_by", "evidence"],
        rows,
        title=say("initiatives shared by {cities}", cities=city_names),
        name="shared",
        notes=notes,
    )


def stats(model: Model, top: int = 10) -> Section:
    """Counts by type, the most-shared initiatives, cities by number of initiatives and uniqueness, and the
    network analysis of :mod:`graph.analysis`: initiative centrality, communities, provinces compared."""
    from . import analysis

    ds, inc = model.dataset, model.incidence
    by_type = Counter(e.type for e in ds.entities.values())
    counts = [{"what": say(t), "count": by_type.get(t, 0)} for t in ENTITY_TYPES]
    counts += [
        {"what": say("relation {relation}", relation=say(k)), "count": v}
        for k, v in sorted(Counter(ds.columns.relation).items())
    ]
    counts.append({"what": say("adoptions (city x initiative)"), "count": len(inc.indices)})
    df = inc.df.tolist()
    order = sorted(range(len(inc.initiatives)), key=lambda j: (-df[j], ds.name_of(inc.initiatives[j])))
    most = [
        {
            "initiative": ds.name_of(inc.initiatives[j]),
            "initiative_id": inc.initiatives[j],
            "cities": df[j],
            "adopted_by": [ds.name_of(c) for c in inc.cities_of(inc.initiatives[j])],
        }
        for j in order[:top]
    ]
    singles = sum(1 for d in df if d == 1)
    notes = [
        say(
            "{initiatives} initiatives, {shared} shared by two or more cities, {singles} reported by one city only.",
            initiatives=len(inc.initiatives),
            shared=sum(1 for d in df if d >= 2),
            singles=singles,
        )
    ]
    return Section(
        [
            Table(["what", "count"], counts, title=say("counts"), name="counts"),
            Table(
                ["initiative", "initiative_id", "cities", "adopted_by"],
                most,
                title=say("most-shared initiatives"),
                name="initiatives",
            ),
            analysis.city_table(model),
            analysis.initiative_table(model, top=top, by="betweenness"),
            analysis.community_table(model),
            analysis.initiative_community_table(model),
            analysis.province_table(model),
            analysis.province_pairs(model),
        ],
        title=say("dataset statistics"),
        notes=notes,
    )


def summary(model: Model) -> Table:
    """What a valid dataset holds, for ``validate``: one row per entity type and relation."""
    ds = model.dataset
    rows = [{"file": "entities.csv", "kind": say(t), "rows": n} for t, n in sorted(Counter(ds.types.values()).items())]
    rows += [
        {"file": "relations.csv", "kind": say(r), "rows": n} for r, n in sorted(Counter(ds.columns.relation).items())
    ]
    n_quotes = sum(map(bool, ds.columns.evidence))
    return Table(
        ["file", "kind", "rows"],
        rows,
        title=say("what the dataset holds"),
        name="summary",
        notes=[
            say(
                "valid: {entities} entities, {relations} relations, {quotes} quotes found verbatim in {documents} "
                "source document(s)",
                entities=len(ds.types),
                relations=len(ds.columns),
                quotes=n_quotes,
                documents=len(ds.texts),
            )
        ],
    )
