"""Who is alike: the cities most like a city, every city's nearest peers and the dyad table, each score with the
shared initiatives that explain it, each overlap with its significance.

The answers of the ``similar`` and ``rank`` commands, on top of the scoring engine (:mod:`graph.scoring`:
features, scores a block of rows at a time, top-k selection) and of :mod:`graph.significance` (hypergeometric
p-values). Every metric but ``simrank`` scores a pair as a sum over the features the two cities share, so every
score comes with its explanation: the shared features ordered by their part of the sum.

Measured on a 2-core machine (``benchmarks/bench_similarity.py``, figures in docs/benchmarks.md): the scores and
selection of every city's top-10 peers take about 0.1 s at 1,000 cities x 5,000 initiatives and 0.7-1 s at
5,000 x 20,000; with each peer's explanation and p-value, 1-4 s at 5,000 x 20,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lang import say
from .scoring import (
    DEFAULT_METRIC,
    INCIDENCE_METRICS,
    METRICS,
    SIMRANK_MAX_NODES,
    all_top_pairs,
    check_metric,
    city_index,
    city_order,
    explanations,
    features,
    score_matrix,
    tokenize,
    top_pairs,
)
from .significance import hypergeom_sf, p_values
from .table import ColumnTable, Table

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = [
    "METRICS",
    "DEFAULT_METRIC",
    "INCIDENCE_METRICS",
    "SIMRANK_MAX_NODES",
    "Peer",
    "similarity_matrix",
    "top_peers",
    "all_top_peers",
    "explain",
    "p_values",
    "hypergeom_sf",
    "similar",
    "rank",
    "dyads",
    "check_metric",
    "tokenize",
]


@dataclass(frozen=True)
class Peer:
    """One city's peer: its rank, score, the significance of their overlap and what explains the score.

    ``shared`` holds ``(feature id, contribution)`` pairs, largest contribution first (ties by display name),
    summing to ``score``. The features are initiative ids, except for the ``text`` metric, where they are terms
    (``"term:<word>"``), and ``simrank``, whose score is not a sum over shared initiatives: there ``shared`` lists
    the shared initiatives with the score apportioned by rarity (1 / number of adopting cities).
    """

    city: str
    peer: str
    rank: int
    score: float
    p_value: float
    shared: tuple[tuple[str, float], ...]


# ---------------------------------------------------------------------------------------------------------------
# the public API


def similarity_matrix(model: Model, metric: str = DEFAULT_METRIC):
    """The city x city scores of ``metric`` as a dense numpy array; rows and columns are ``incidence.cities``.

    The diagonal holds each city's self-similarity (1 for jaccard, cosine and idf-cosine when the city has an
    initiative; its own weighted degree for adamic-adar and resource-allocation).

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> S = similarity_matrix(Model(load_dataset(MINI)), "jaccard")
    >>> [[round(float(v), 3) for v in row] for row in S]
    [[1.0, 0.333, 0.333, 0.0], [0.333, 1.0, 0.0, 0.333], [0.333, 0.0, 1.0, 0.333], [0.0, 0.333, 0.333, 1.0]]
    """
    return score_matrix(features(model, metric))


def _peers_from_arrays(model, F, a, b, scores, ranks) -> list[Peer]:
    import numpy as np

    inc = model.incidence
    scores = np.array(scores, dtype=np.float64)
    expl = explanations(F, a, b, sums=scores)
    pv = p_values(model, a, b).tolist()
    cities = inc.cities
    return [
        Peer(cities[i], cities[j], int(k), float(s), float(p), e)
        for i, j, s, k, p, e in zip(a.tolist(), b.tolist(), scores.tolist(), ranks.tolist(), pv, expl, strict=True)
    ]


def top_peers(model: Model, city: str, metric: str = DEFAULT_METRIC, top: int = 10) -> list[Peer]:
    """The ``top`` cities most similar to ``city`` (an id, or a name the name index resolves), nearest first; ties
    by display name.

    A city is never its own peer, and cities scoring 0 are not peers.

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> for p in top_peers(Model(load_dataset(MINI)), "city:jia", "cosine"):
    ...     print(p.rank, p.peer, round(p.score, 3), p.shared)
    1 city:bing 0.5 (('initiative:red-property', 0.5),)
    2 city:yi 0.5 (('initiative:cadres-to-communities', 0.5),)
    """
    F = features(model, metric)
    i = city_index(model, city)
    a, b, s, k = top_pairs(F, city_order(model), top, rows=[i])
    return _peers_from_arrays(model, F, a, b, s, k)


def all_top_peers(model: Model, metric: str = DEFAULT_METRIC, top: int = 10) -> dict[str, list[Peer]]:
    """Every city's ``top`` peers (city id -> list of :class:`Peer`), from one blocked matrix computation."""
    F = features(model, metric)
    a, b, s, k = all_top_pairs(model, metric, top)
    out: dict[str, list[Peer]] = {c: [] for c in model.incidence.cities}
    for peer in _peers_from_arrays(model, F, a, b, s, k):
        out[peer.city].append(peer)
    return out


def explain(model: Model, a: str, b: str, metric: str = DEFAULT_METRIC) -> tuple[tuple[str, float], ...]:
    """What makes ``a`` and ``b`` alike: ``(feature id, contribution)``, largest first, summing to the score.

    Features are initiative ids (terms ``"term:<word>"`` for ``text``).

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> explain(Model(load_dataset(MINI)), "city:jia", "city:yi", "resource-allocation")
    (('initiative:cadres-to-communities', 0.5),)
    """
    import numpy as np

    F = features(model, metric)
    i, j = city_index(model, a), city_index(model, b)
    return explanations(F, np.array([i]), np.array([j]))[0]


# ---------------------------------------------------------------------------------------------------------------
# tables for the command line


def _display(model, feature: str) -> str:
    return feature.split(":", 1)[1] if feature.startswith("term:") else model.name(feature)


def _quote_text(model):
    """``(city, initiative) -> "quote / quote"``: each adoption's quotes as one string, made once per model."""

    def build():
        return {key: " / ".join(ev.quote for ev in items) for key, items in model.incidence.evidence.items()}

    return model.derived("quote_text", build)


def _display_names(model) -> dict[str, str]:
    """Entity id -> display name, made once per model (``model.name`` for ten thousand rows at once)."""
    return model.derived("display_names", lambda: {e.id: e.name for e in model.dataset.entities.values()})


def _said(model) -> dict[tuple[str, str], str]:
    """``(city, initiative) -> "city name: quote / quote"``: what each city says of each initiative it adopts, as an
    evidence line shows it, made once per model."""

    def build():
        names = _display_names(model)
        said = {}
        for key, items in model.incidence.evidence.items():
            city = key[0]
            quotes = items[0].quote if len(items) == 1 else " / ".join(ev.quote for ev in items)
            said[key] = f"{names.get(city, city)}: {quotes}"
        return said

    return model.derived("said", build)


def _evidence_lines(model, city: str, peer: str, shared, names=None, quotes=None) -> list[str]:
    """One line per shared initiative: its name, then each city's quotes."""
    quotes = _quote_text(model) if quotes is None else quotes
    names = _display_names(model) if names is None else names
    city_name, peer_name = names.get(city, city), names.get(peer, peer)
    return [
        f"{names.get(feature, feature)} | {city_name}: {quotes.get((city, feature), '')} | {peer_name}: "
        f"{quotes.get((peer, feature), '')}"
        for feature, _ in shared
        if not feature.startswith("term:")
    ]


def _peer_rows(model, peers: list[Peer], metric: str) -> list[dict]:
    """One row per peer: names, score, p-value, the shared features with their contributions, and each shared
    initiative's evidence line (:func:`_evidence_lines`), from quotes and names looked up once per model."""
    names, said = _display_names(model), _said(model)
    features = {f for p in peers for f, _ in p.shared}
    shown_of = {f: f[5:] if f.startswith("term:") else names.get(f, f) for f in features}
    terms = {f for f in features if f.startswith("term:")}
    rows = []
    for p in peers:
        shared = p.shared
        if terms:
            evidence = _evidence_lines(model, p.city, p.peer, shared, names)
        else:
            a, b = p.city, p.peer
            said_a, said_b = f"{names.get(a, a)}: ", f"{names.get(b, b)}: "
            evidence = [f"{shown_of[f]} | {said.get((a, f), said_a)} | {said.get((b, f), said_b)}" for f, _ in shared]
        ids = [f for f, _ in shared]
        shown = [shown_of[f] for f in ids]
        values = [v for _, v in shared]
        rows.append(
            {
                "city": names.get(p.city, p.city),
                "city_id": p.city,
                "rank": p.rank,
                "peer": names.get(p.peer, p.peer),
                "peer_id": p.peer,
                "score": round(p.score, 6),
                "p_value": float(f"{p.p_value:.4g}"),
                "shared": shown,
                "shared_id": ids,
                "contribution": [round(v, 6) for v in values],
                "evidence": evidence,
                "explained_by": [f"{d} {v:.3f}" for d, v in zip(shown, values, strict=True)],
            }
        )
    return rows


_PEER_COLUMNS = ["city", "city_id", "rank", "peer", "peer_id", "score", "p_value", "shared", "shared_id",
                 "contribution", "evidence"]  # fmt: skip

_SNAPSHOT_NOTE = say("One self-reported snapshot: similarity shows who is alike, not who learned from whom.")


def _metric_note(metric: str) -> list[str]:
    if metric == "text":
        return [say("text metric: `shared` lists the shared terms of the evidence quotes, not initiatives.")]
    if metric == "simrank":
        return [say("simrank is not a sum over shared initiatives: `contribution` apportions its score by rarity.")]
    return []


def similar(model: Model, name: str, metric: str = DEFAULT_METRIC, top: int = 10) -> Table:
    """The ``similar`` command: the cities most like ``name``, each with the shared initiatives that explain it.

    Columns: city, rank, peer, score, p_value, shared (initiative names, largest contribution first),
    contribution (each one's part of the score) and evidence (each city's quote), plus the ids.

    Raises
    ------
    RequestError
        An unknown metric; ``name`` is no city (:class:`~graph.errors.UnknownNameError` and the other name
        lookup errors are RequestErrors).
    InputError
        ``simrank`` on a graph too large for it.
    """
    check_metric(metric)
    city = model.names.resolve(name, "city")
    peers = top_peers(model, city, metric=metric, top=top)
    notes = _metric_note(metric) + [_SNAPSHOT_NOTE]
    if not peers:
        notes.insert(
            0,
            say(
                "{city} shares nothing with any other city by {metric}: no peers.", city=model.name(city), metric=metric
            ),
        )
    from .stability import annotate_peers as annotate_stability

    table = Table(
        list(_PEER_COLUMNS),
        _peer_rows(model, peers, metric),
        title=say("cities most like {city} by {metric}", city=model.name(city), metric=metric),
        name="peers",
        notes=notes + [say("Each city's quotes: --format json, or practice-graph shared CITY PEER.")],
        display=["rank", "peer", "score", "p_value", "explained_by"],
    )
    table = annotate_stability(model, table, peers, metric)
    if not model.may_be_dated():  # one date: no order of reports to tell
        return table
    from .diffusion import annotate_peers

    return annotate_peers(model, table)


def rank(model: Model, metric: str = DEFAULT_METRIC, top: int = 3, pairs: bool = False) -> Table:
    """The ``rank`` command: every city's ``top`` peers; with ``pairs``, the dyad table sorted by ``metric``
    (largest first, ties by the two cities' names).

    Raises
    ------
    RequestError
        An unknown metric.
    InputError
        ``simrank`` on a graph too large for it.
    """
    check_metric(metric)
    if pairs:
        from .stability import annotate_dyads

        table = annotate_dyads(model, _ranked_dyads(model, metric), metric)
        # for people: the ranking measure, its significance and stability first; the other measures last
        first = ["city_a", "city_b", "shared", metric, "p_value", "stability", "same_province", "distance_km"]
        table.display = [c for c in first if c in table.columns]
        table.display += [c for c in table.columns if c not in table.display and not c.endswith("_id")]
        return table
    from .stability import annotate_peers as annotate_stability

    by_city = all_top_peers(model, metric=metric, top=top)
    order = sorted(by_city, key=lambda c: (model.name(c), c))
    peers = [p for c in order for p in by_city[c]]
    table = Table(
        list(_PEER_COLUMNS),
        _peer_rows(model, peers, metric),
        title=say("every city's {top} nearest peers by {metric}", top=top, metric=metric),
        name="ranking",
        notes=_metric_note(metric) + [_SNAPSHOT_NOTE],
        display=["city", "rank", "peer", "score", "p_value", "explained_by"],
    )
    return annotate_stability(model, table, peers, metric)


def _ranked_dyads(model, metric: str) -> ColumnTable:
    import numpy as np

    arrays = _dyad_arrays(model)
    a, b = arrays["a"], arrays["b"]
    extra = None
    if metric not in INCIDENCE_METRICS:
        S = similarity_matrix(model, metric)
        extra = np.array([round(v, 6) for v in S[a, b].tolist()], dtype=np.float64)
    names = [model.name(c) for c in model.incidence.cities]
    distinct = {name: k for k, name in enumerate(sorted(set(names)))}
    name_rank = np.array([distinct[name] for name in names], dtype=np.int64)
    values = extra if extra is not None else np.asarray(arrays[metric], dtype=np.float64)
    order = np.lexsort((name_rank[b], name_rank[a], -values))
    # the pairs put in order first, the names (objects, slower to move) looked up afterwards
    table = _dyad_column_table(model, {k: v[order] for k, v in arrays.items()})
    if extra is not None:
        table.data[metric] = extra[order]
        table.columns.insert(table.columns.index("p_value"), metric)
    table.title = say("every pair of cities, by {metric}", metric=metric)
    return table


def dyads(model: Model) -> Table:
    """Every unordered pair of cities: shared count, each incidence metric, p-value, same province, distance.

    Columns: city_a, city_b (display names), city_a_id, city_b_id, shared, jaccard, cosine, idf-cosine,
    adamic-adar, resource-allocation, p_value, same_province (True/False, None when a province is unknown),
    distance_km (None without coordinates). Pairs in city id order. The export streams the same table to disk
    (:mod:`graph.dyads`).

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> t = dyads(Model(load_dataset(MINI)))
    >>> len(t.rows), t.rows[0]["city_a"], t.rows[0]["city_b"], t.rows[0]["shared"]
    (6, '丙川市', '丁原市', 1)
    """
    return _dyad_column_table(model, _dyad_arrays(model))


def _dyad_arrays(model) -> dict:
    """The dyad table of every pair as numpy arrays (:func:`graph.dyads.dyad_blocks`' keys, every block joined),
    ``a`` and ``b`` as int64."""
    import numpy as np

    from .dyads import dyad_blocks

    parts = list(dyad_blocks(model, "all"))
    keys = ["a", "b", "shared", *INCIDENCE_METRICS, "p_value", "same_province", "distance_km"]
    if parts:
        arrays = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    else:
        arrays = {
            k: np.zeros(0, dtype=np.int64 if k in ("a", "b", "shared", "same_province") else np.float64) for k in keys
        }
    arrays["a"], arrays["b"] = arrays["a"].astype(np.int64), arrays["b"].astype(np.int64)
    return arrays


def _dyad_column_table(model, arrays: dict) -> ColumnTable:
    """The :class:`ColumnTable` of the dyads in ``arrays`` (:func:`_dyad_arrays`, in any order)."""
    import numpy as np

    from .dyads import DYAD_COLUMNS

    a, b = arrays["a"], arrays["b"]
    cities = model.incidence.cities
    names = np.empty(len(cities), dtype=object)
    names[:] = [model.name(c) for c in cities]
    ids = np.empty(len(cities), dtype=object)
    ids[:] = list(cities)
    same = np.array([None, False, True], dtype=object)  # same_province -1, 0, 1
    data = {
        "city_a": names[a],
        "city_b": names[b],
        "city_a_id": ids[a],
        "city_b_id": ids[b],
        "shared": arrays["shared"].astype(np.int64),
        **{metric: arrays[metric].astype(np.float64) for metric in INCIDENCE_METRICS},
        "p_value": arrays["p_value"].astype(np.float64),
        "same_province": same[arrays["same_province"].astype(np.int64) + 1],
        "distance_km": arrays["distance_km"].astype(np.float64),
    }
    return ColumnTable(
        list(DYAD_COLUMNS), data, title=say("every pair of cities"), name="dyads", notes=[_SNAPSHOT_NOTE]
    )
