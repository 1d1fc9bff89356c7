"""Network analysis of the adoption graph: centrality of initiatives, communities, uniqueness, provinces compared.

Definitions used throughout:

- The *bipartite graph* joins each city to each initiative it adopts (undirected, unweighted).
- An initiative's *degree* is the number of cities adopting it; its *betweenness* is its bipartite betweenness
  centrality (normalised by the largest value possible in a bipartite graph of that shape, as networkx's
  ``bipartite.betweenness_centrality`` does): how much it bridges cities that share nothing else.
- *Communities of cities*: Louvain (fixed seed) on the graph joining each city to its 15 most similar cities by
  idf-cosine similarity (a positive weight wherever two share an initiative that not every city has; with 16
  cities or fewer, every such pair).
- *Communities of initiatives*: Louvain on the co-adoption graph, two initiatives joined with weight = the number
  of cities adopting both.

Which implementation runs, by size (the same data always gives the same answer):

- Betweenness is exact up to :data:`EXACT_BETWEENNESS_NODES` nodes of the city-initiative graph; above, it is
  estimated from :data:`BETWEENNESS_SAMPLES` source nodes drawn with the seed (Brandes and Pich's pivot sampling,
  as ``networkx.betweenness_centrality(k=...)``). The sums are computed by igraph (C) when it is installed, by
  networkx otherwise; both take the same sources and give the same values (to rounding).
- Louvain runs in networkx (``louvain_communities``) up to :data:`IGRAPH_MIN_EDGES` edges, and in igraph
  (``community_multilevel``, its random numbers drawn from a generator seeded with :data:`SEED`) above when it
  is installed. The two are different implementations of the same method: on a large graph they may group a few
  nodes differently, each deterministically.

igraph is GPL-2.0-or-later; it is an optional dependency (``pip install practice-graph[fast]``), imported only
here and only above those sizes. Results are cached per model: ``stats`` and ``report`` ask for them several times.
- A city's *uniqueness*: the share of its initiatives that at most one other city adopts (``df <= 2``); 0 for a
  city with no initiative.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from .lang import say
from .table import Table

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .model import Model

__all__ = [
    "BETWEENNESS_SAMPLES",
    "COMMUNITY_NEIGHBOURS",
    "EXACT_BETWEENNESS_NODES",
    "IGRAPH_MIN_EDGES",
    "RARE_OTHERS",
    "SEED",
    "bipartite_graph",
    "city_communities",
    "city_table",
    "community_table",
    "initiative_betweenness",
    "initiative_communities",
    "initiative_community_table",
    "initiative_table",
    "only_here",
    "province_pairs",
    "province_table",
    "uniqueness",
]

#: An initiative is rare for a city when at most this many other cities adopt it.
RARE_OTHERS = 1

#: Up to this many nodes, betweenness is exact; above, it is estimated from a seeded sample of source nodes.
EXACT_BETWEENNESS_NODES = 3000
BETWEENNESS_SAMPLES = 200

#: The Louvain seed: the same data gives the same communities.
SEED = 0

#: Graphs with more edges than this are handed to igraph (C), when it is installed.
IGRAPH_MIN_EDGES = 5_000

_RESULTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(model, key, compute):
    """``compute()``, remembered for ``model`` under ``key`` (which names every setting the result depends on)."""
    try:
        store = _RESULTS.setdefault(model, {})
    except TypeError:  # pragma: no cover - an object that cannot be weakly referenced
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def _igraph():
    """The igraph module, or None when it is not installed."""
    try:
        import igraph
    except ImportError:
        return None
    return igraph


#: Communities of cities are found on the graph joining each city to this many most similar cities.
COMMUNITY_NEIGHBOURS = 15


# ---------------------------------------------------------------------------------------------------------------
# uniqueness


def uniqueness(model: Model, others: int = RARE_OTHERS) -> dict[str, float]:
    """Each city's uniqueness: the share of its initiatives that at most ``others`` other cities adopt.

    Precisely, for city ``c`` with initiatives ``A_c`` and ``df_x`` the number of cities adopting ``x``:
    ``|{x in A_c : df_x <= others + 1}| / |A_c|``, and 0 when ``A_c`` is empty.

    >>> from graph import open_model
    >>> uniqueness(open_model(MINI))["city:jia"]  # both of its initiatives have df = 2
    1.0
    >>> uniqueness(open_model(MINI), others=0)["city:jia"]
    0.0
    """
    import numpy as np

    inc = model.incidence
    rare = (inc.df <= others + 1).astype(np.int64)
    counts = np.asarray(inc.matrix.getnnz(axis=1)).ravel()
    hits = np.asarray(inc.matrix @ rare).ravel()
    return {c: (float(hits[i]) / float(counts[i]) if counts[i] else 0.0) for i, c in enumerate(inc.cities)}


def only_here(model: Model) -> dict[str, int]:
    """How many initiatives each city is alone in adopting (``df = 1``).

    >>> from graph import open_model
    >>> only_here(open_model(MINI))["city:jia"]
    0
    """
    import numpy as np

    inc = model.incidence
    hits = np.asarray(inc.matrix @ (inc.df == 1).astype(np.int64)).ravel()
    return {c: int(hits[i]) for i, c in enumerate(inc.cities)}


# ---------------------------------------------------------------------------------------------------------------
# centrality


def bipartite_graph(model: Model) -> nx.Graph:
    """The undirected city-initiative graph (node attribute ``bipartite``: 0 for cities, 1 for initiatives).

    >>> from graph import open_model
    >>> g = bipartite_graph(open_model(MINI))
    >>> g.number_of_nodes(), g.number_of_edges()
    (8, 8)
    """
    import networkx as nx

    inc = model.incidence
    g = nx.Graph()
    g.add_nodes_from(inc.cities, bipartite=0)
    g.add_nodes_from(inc.initiatives, bipartite=1)
    coo = inc.matrix.tocoo()
    g.add_edges_from(
        (inc.cities[i], inc.initiatives[j]) for i, j in zip(coo.row.tolist(), coo.col.tolist(), strict=True)
    )
    return g


def _bipartite_max(n: int, m: int) -> float:
    """The largest possible betweenness of a node on the side of size ``m`` facing a side of size ``n``."""
    if n == 0:
        return 0.0
    p, r = divmod(m - 1, n)
    return 0.5 * (n**2 * (p + 1) ** 2 + n * (p + 1) * (2 * r - p - 1) - r * (2 * p - r + 3))


def initiative_betweenness(model: Model, seed: int = SEED) -> dict[str, float]:
    """Bipartite betweenness centrality of each initiative, normalised as networkx's bipartite version does.

    Exact up to :data:`EXACT_BETWEENNESS_NODES` nodes; above, estimated from :data:`BETWEENNESS_SAMPLES` source
    nodes drawn with ``seed`` (the sources ``networkx.betweenness_centrality(k=..., seed=seed)`` would draw).

    >>> from graph import open_model
    >>> b = initiative_betweenness(open_model(MINI))
    >>> sorted({round(v, 4) for v in b.values()})  # the mini graph is one 8-cycle: every initiative alike
    [0.25]
    """
    key = ("betweenness", seed, EXACT_BETWEENNESS_NODES, BETWEENNESS_SAMPLES, _igraph() is not None)
    return _cached(model, key, lambda: _betweenness(model, seed))


def _betweenness(model: Model, seed: int) -> dict[str, float]:
    import random

    inc = model.incidence
    n_nodes = len(inc.cities) + len(inc.initiatives)
    sampled = n_nodes > EXACT_BETWEENNESS_NODES
    k = min(BETWEENNESS_SAMPLES, n_nodes)
    ig = _igraph()
    if ig is None:
        import networkx as nx

        g = bipartite_graph(model)
        raw = nx.betweenness_centrality(g, k=k if sampled else None, normalized=False, seed=seed if sampled else None)
        values = [raw[x] for x in inc.initiatives]
    else:
        import numpy as np

        coo = inc.matrix.tocoo()
        n = len(inc.cities)
        g = ig.Graph(n=n_nodes, edges=np.column_stack([coo.row, coo.col + n]).tolist())
        if sampled:
            # the nodes networkx samples: random.Random(seed).sample over the node list (cities, then initiatives)
            sources = random.Random(seed).sample(range(n_nodes), k)
            chosen = np.zeros(n_nodes, dtype=bool)
            chosen[sources] = True
            # igraph halves the sums on an undirected graph; networkx keeps the dependencies of each source on
            # every node, then scales by (n - 1) / 2k, or (n - 1) / 2(k - 1) on a source
            raw = 2 * np.array(g.betweenness(vertices=range(n, n_nodes), directed=False, sources=sources))
            on_source = chosen[n:]
            scale = np.where(on_source, (n_nodes - 1) / (2 * max(k - 1, 1)), (n_nodes - 1) / (2 * k))
            values = (raw * scale).tolist()
        else:
            values = g.betweenness(vertices=range(n, n_nodes), directed=False)
    scale = _bipartite_max(len(inc.cities), len(inc.initiatives))
    return {x: (v / scale if scale else 0.0) for x, v in zip(inc.initiatives, values, strict=True)}


# ---------------------------------------------------------------------------------------------------------------
# communities


def _louvain(labels: list[str], upper, seed: int, resolution: float) -> list[list[str]]:
    """Louvain communities of the graph whose weighted edges are the positive entries of ``upper`` (a sparse
    matrix over ``labels``, upper triangle only); largest first, members in id order."""
    import numpy as np

    upper = upper.tocoo()
    keep = upper.data > 0
    rows, cols, weights = upper.row[keep], upper.col[keep], upper.data[keep].astype(np.float64)
    ig = _igraph() if len(weights) > IGRAPH_MIN_EDGES else None
    if ig is None:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(labels)
        g.add_weighted_edges_from(
            (labels[i], labels[j], w) for i, j, w in zip(rows.tolist(), cols.tolist(), weights.tolist(), strict=True)
        )
        parts = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
        groups = [sorted(p) for p in parts]
    else:
        import random

        g = ig.Graph(n=len(labels), edges=list(zip(rows.tolist(), cols.tolist(), strict=True)))
        ig.set_random_number_generator(random.Random(seed))
        try:
            membership = g.community_multilevel(weights=weights.tolist(), resolution=resolution).membership
        finally:
            ig.set_random_number_generator(random)
        by_label: dict[int, list[str]] = {}
        for label, k in zip(labels, membership, strict=True):
            by_label.setdefault(k, []).append(label)
        groups = [sorted(p) for p in by_label.values()]
    groups.sort(key=lambda p: (-len(p), p[0]))
    return groups


def _upper(matrix):
    """The strict upper triangle of a square matrix, sparse."""
    import scipy.sparse as sp

    return sp.triu(sp.csr_matrix(matrix), k=1)


def _nearest(scores, k: int):
    """Keep each row's ``k`` largest positive off-diagonal scores (and their mirror): a symmetric sparse matrix."""
    import numpy as np
    import scipy.sparse as sp

    dense = scores.toarray() if hasattr(scores, "toarray") else np.array(scores, dtype=np.float64)
    n = dense.shape[0]
    np.fill_diagonal(dense, 0.0)
    if n - 1 <= k:
        return sp.csr_matrix(np.maximum(dense, dense.T))
    cols = np.argpartition(-dense, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    values = dense[rows, cols.ravel()]
    kept = sp.csr_matrix((values, (rows, cols.ravel())), shape=(n, n))
    return kept.maximum(kept.T).tocsr()


def city_communities(model: Model, seed: int = SEED, resolution: float = 1.0) -> list[list[str]]:
    """Communities of cities: Louvain on the idf-cosine similarity graph; largest first, members in id order.

    Each city is joined to its :data:`COMMUNITY_NEIGHBOURS` most similar cities (all of them in a dataset that
    small), weight = score. A city that shares no initiative with another (or only initiatives every city has)
    is a community alone.
    """
    key = ("city communities", seed, resolution, COMMUNITY_NEIGHBOURS, IGRAPH_MIN_EDGES, _igraph() is not None)
    return _cached(model, key, lambda: _city_communities(model, seed, resolution))


def _city_communities(model: Model, seed: int, resolution: float) -> list[list[str]]:
    from .similarity import similarity_matrix

    inc = model.incidence
    scores = _nearest(similarity_matrix(model, "idf-cosine"), COMMUNITY_NEIGHBOURS)
    return _louvain(list(inc.cities), _upper(scores), seed, resolution)


def initiative_communities(model: Model, seed: int = SEED, resolution: float = 1.0) -> list[list[str]]:
    """Communities of initiatives: Louvain on the co-adoption graph (weight = cities adopting both).

    >>> from graph import open_model
    >>> groups = initiative_communities(open_model(MINI))
    >>> sorted(len(g) for g in groups)
    [2, 2]
    """
    key = ("initiative communities", seed, resolution, IGRAPH_MIN_EDGES, _igraph() is not None)
    return _cached(model, key, lambda: _initiative_communities(model, seed, resolution))


def _initiative_communities(model: Model, seed: int, resolution: float) -> list[list[str]]:
    inc = model.incidence
    c = inc.matrix.astype("int64")
    return _louvain(list(inc.initiatives), _upper((c.T @ c).tocsr()), seed, resolution)


def _membership(groups: list[list[str]]) -> dict[str, int]:
    return {member: k for k, group in enumerate(groups, start=1) for member in group}


# ---------------------------------------------------------------------------------------------------------------
# tables for stats and the report


def initiative_table(model: Model, top: int | None = None, by: str = "degree") -> Table:
    """Initiatives with their degree (cities adopting), bipartite betweenness and community.

    Ordered by ``by`` ("degree" or "betweenness"), then the other (both descending), then name; the first ``top``.
    """
    inc, ds = model.incidence, model.dataset
    df = inc.df.tolist()
    between = initiative_betweenness(model)
    community = _membership(initiative_communities(model))
    n = len(inc.cities)
    rows = [
        {
            "initiative": ds.name_of(x),
            "initiative_id": x,
            "cities": df[j],
            "degree": round(df[j] / n, 4) if n else 0.0,
            "betweenness": round(between[x], 4),
            "community": community[x],
        }
        for j, x in enumerate(inc.initiatives)
    ]
    if by == "betweenness":
        rows.sort(key=lambda r: (-r["betweenness"], -r["cities"], r["initiative"], r["initiative_id"]))
    else:
        rows.sort(key=lambda r: (-r["cities"], -r["betweenness"], r["initiative"], r["initiative_id"]))
    return Table(
        ["initiative", "initiative_id", "cities", "degree", "betweenness", "community"],
        rows[:top] if top is not None else rows,
        title=say(
            "initiatives by {by} (degree: share of cities adopting; betweenness on the city-initiative graph)",
            by=say(by),
        ),
        name="centrality",
    )


def community_table(model: Model) -> Table:
    """The communities of cities, each with its members and the initiatives most of its members share."""
    inc, ds = model.incidence, model.dataset
    rows = []
    for k, group in enumerate(city_communities(model), start=1):
        counts: dict[str, int] = {}
        for c in group:
            for x in inc.initiatives_of(c):
                counts[x] = counts.get(x, 0) + 1
        common = sorted((x for x, n in counts.items() if n >= 2), key=lambda x: (-counts[x], ds.name_of(x)))
        rows.append(
            {
                "community": k,
                "size": len(group),
                "cities": sorted(ds.name_of(c) for c in group),
                "shared_initiatives": [f"{ds.name_of(x)} ({counts[x]})" for x in common[:5]],
            }
        )
    alone = sum(1 for r in rows if r["size"] == 1)
    notes = [say("{alone} cities share no distinctive initiative with any other and stand alone.", alone=alone)]
    notes = notes if alone else []
    return Table(
        ["community", "size", "cities", "shared_initiatives"],
        rows,
        title=say(
            "communities of cities (Louvain on idf-cosine similarity; shared initiatives: how many members have it)"
        ),
        name="city_communities",
        notes=notes,
    )


def initiative_community_table(model: Model) -> Table:
    """The communities of initiatives (co-adopted together), each with its members."""
    ds = model.dataset
    rows = [
        {"community": k, "size": len(group), "initiatives": sorted(ds.name_of(x) for x in group)}
        for k, group in enumerate(initiative_communities(model), start=1)
    ]
    return Table(
        ["community", "size", "initiatives"],
        rows,
        title=say("communities of initiatives (Louvain on co-adoption: initiatives the same cities adopt)"),
        name="initiative_communities",
    )


def city_table(model: Model) -> Table:
    """Every city: initiatives adopted, how many only it has, its uniqueness and its community."""
    inc, ds = model.incidence, model.dataset
    uniq, alone = uniqueness(model), only_here(model)
    community = _membership(city_communities(model))
    counts = inc.matrix.getnnz(axis=1).tolist()
    rows = [
        {
            "city": ds.name_of(c),
            "city_id": c,
            "initiatives": counts[i],
            "only_here": alone[c],
            "uniqueness": round(uniq[c], 3),
            "community": community[c],
        }
        for i, c in enumerate(inc.cities)
    ]
    rows.sort(key=lambda r: (-r["initiatives"], -r["uniqueness"], r["city"]))
    return Table(
        ["city", "city_id", "initiatives", "only_here", "uniqueness", "community"],
        rows,
        title=say("cities by number of initiatives (uniqueness: share adopted by at most one other city)"),
        name="cities",
    )


def province_table(model: Model) -> Table:
    """The provinces compared: cities, mean initiatives per city, initiatives shared within and across.

    ``shared_within``: initiatives adopted by at least two of the province's cities. ``shared_across``:
    initiatives adopted by one of its cities and by a city of another province (or of none).
    Cities with no ``located_in`` relation form the row ``(no province)``.

    >>> from graph import open_model
    >>> row = province_table(open_model(MINI)).rows[0]
    >>> row["province"], row["cities"], row["mean_initiatives"], row["shared_within"], row["shared_across"]
    ('湖北省', 4, 2.0, 4, 0)
    """
    import numpy as np

    inc, ds = model.incidence, model.dataset
    where = model.dataset.provinces
    matrix = inc.matrix.astype(np.int64)
    total = np.asarray(matrix.sum(axis=0)).ravel()
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(inc.cities):
        groups.setdefault(where.get(c, ""), []).append(i)
    rows = []
    for province, members in groups.items():
        part = matrix[members]
        inside = np.asarray(part.sum(axis=0)).ravel()
        outside = total - inside
        sizes = np.asarray(part.sum(axis=1)).ravel()
        rows.append(
            {
                "province": ds.name_of(province) if province else say("(no province)"),
                "province_id": province,
                "cities": len(members),
                "mean_initiatives": round(float(sizes.mean()), 2) if len(members) else 0.0,
                "initiatives": int((inside > 0).sum()),
                "shared_within": int((inside >= 2).sum()),
                "shared_across": int(((inside > 0) & (outside > 0)).sum()),
            }
        )
    rows.sort(key=lambda r: (-r["cities"], r["province"]))
    return Table(
        ["province", "province_id", "cities", "mean_initiatives", "initiatives", "shared_within", "shared_across"],
        rows,
        title=say(
            "provinces compared (shared_within: by two or more of its cities; shared_across: with another province)"
        ),
        name="provinces",
    )


def province_pairs(model: Model) -> Table:
    """City pairs in the same province against pairs across provinces: how many, and how much they share.

    A pair with a city of no known province is neither: such pairs get a row ``province unknown`` of their own.

    >>> from graph import open_model
    >>> [(r["pairs"], r["mean_shared"]) for r in province_pairs(open_model(MINI)).rows]
    [(6, 0.6667), (0, None)]
    """
    import numpy as np

    inc = model.incidence
    where = model.dataset.provinces
    c = inc.matrix.astype(np.int64)
    shared = (c @ c.T).toarray()
    labels = [where.get(city, "") for city in inc.cities]
    known = [i for i, label in enumerate(labels) if label]
    groups: dict[str, list[int]] = {}
    for i in known:
        groups.setdefault(labels[i], []).append(i)

    def upper(members: list[int]) -> tuple[int, int, int]:
        """(pairs, sum of shared, pairs sharing any) over the pairs of ``members``, each pair once."""
        block = shared[np.ix_(members, members)] if len(members) < len(labels) else shared
        diagonal = np.diagonal(block)
        k = len(members)
        total = int(block.sum() - diagonal.sum()) // 2
        return k * (k - 1) // 2, total, int((block > 0).sum() - (diagonal > 0).sum()) // 2

    everyone = upper(list(range(len(labels))))
    all_known = upper(known)
    same = tuple(map(sum, zip(*(upper(m) for m in groups.values()), strict=True))) if groups else (0, 0, 0)
    kinds = [
        (say("same province"), same),
        (say("different provinces"), tuple(a - b for a, b in zip(all_known, same, strict=True))),
    ]
    if len(known) < len(labels):  # a city with no located_in (one just ingested) is in neither group
        kinds.append((say("province unknown"), tuple(a - b for a, b in zip(everyone, all_known, strict=True))))
    rows = [
        {
            "pairs_of_cities": kind,
            "pairs": pairs,
            "mean_shared": round(total / pairs, 4) if pairs else None,
            "sharing_any": sharing,
        }
        for kind, (pairs, total, sharing) in kinds
    ]
    return Table(
        ["pairs_of_cities", "pairs", "mean_shared", "sharing_any"],
        rows,
        title=say(
            "city pairs within and across provinces (mean_shared: initiatives in common; "
            "sharing_any: pairs sharing any)"
        ),
        name="province_pairs",
    )
