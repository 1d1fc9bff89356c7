"""How much each answer depends on single links: resampling support of every peer and recommendation, and the
critical link of each city's nearest peer.

With a dozen cities one link often decides a city's nearest peer, so every ranking carries two figures:

- **support**: the share of resamples of the city x initiative links in which the peer is still among the city's
  top ``k`` (``k`` = the rank it has on the full data: for the nearest peer, how often it stays the nearest). Each
  resample leaves out :data:`DROP_SHARE` (10 %) of all the links, chosen at random (a delete-d jackknife), and
  recomputes scores, document frequencies and weights, so every competitor moves too. Seeded and deterministic
  (:data:`SEED`, :data:`REPLICATES`). A pair is ``stable`` when its support is at least :data:`STABLE_AT`, else
  ``fragile``.
- **critical link**: of the links of the city and of its nearest peer, the one whose removal alone changes the
  city's nearest peer (the one that lowers that peer's score most when several do), with its quote. Found by
  leaving each of those links out in turn; none when no single link changes the answer.

Why leave 10 % out rather than the two classical choices: leaving one link out of ~80 barely moves most pairs, so
its support is near 1 for nearly every pair and separates nothing (it is kept where it answers exactly: which single
link the nearest peer rests on); the bootstrap over links (draw as many as there are, with replacement) keeps only
about 63 % of them in each resample, more than any re-reading of an article changes, and on planted data it marked
almost no pair stable. Ten per cent is the order of what a second reading changes (the re-audit of the bundled data
changed 17 of its 82 city-initiative adoptions), and on planted data with noise the pairs it marks stable
stay near far more often than the pairs it marks fragile (:func:`noise_check`; the figures are in
``docs/similarity.md``).

Recommendations get the same support: the share of resamples in which the initiative is still among the city's
top ``k`` recommendations (``k`` = its rank), peers and scores recomputed in the resample, what the city has on
the full data never recommended.

Everything is computed over the incidence with the scoring engine (:mod:`graph.scoring`): each resample is one
set of sparse products, no pair is scored in a Python loop. Only the incidence metrics (jaccard, cosine,
idf-cosine, adamic-adar, resource-allocation) have these figures; ``text`` and ``simrank`` rows carry none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .lang import say
from .scoring import DECIMALS, INCIDENCE_METRICS, city_order, incidence_features

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model
    from .recommend import Recommendation
    from .similarity import Peer
    from .table import Table

__all__ = [
    "REPLICATES",
    "SEED",
    "STABLE_AT",
    "MAX_LINKS",
    "CriticalLink",
    "DROP_SHARE",
    "subsample_keep",
    "DENSE_CELLS",
    "SCORES_DENSE_CELLS",
    "scores_of",
    "scores_batch",
    "peer_support",
    "critical_links",
    "recommendation_support",
    "mark",
    "peer_stability",
    "recommendation_stability",
    "planted_incidence",
    "noise_check",
    "peer_figures",
    "recommendation_figures",
    "critical_text",
    "annotate_peers",
    "annotate_recommendations",
    "annotate_dyads",
]

#: Resamples per answer.
REPLICATES = 200
#: Share of all links each resample leaves out.
DROP_SHARE = 0.1
#: Seed of the resamples: the same data gives the same figures.
SEED = 0
#: A pair (or recommendation) is ``stable`` when it holds in at least this share of resamples.
STABLE_AT = 0.8
#: Above this many links the answers carry no stability figures (each costs :data:`REPLICATES` rescorings of the
#: matrix); settable with the environment variable PRACTICE_GRAPH_STABILITY_MAX_LINKS.
MAX_LINKS = int(os.environ.get("PRACTICE_GRAPH_STABILITY_MAX_LINKS", "20000"))


def _link_count(model: Model) -> int:
    """The number of city x initiative links (adoptions) of ``model``."""
    return len(model.incidence.indices)


def _too_large(nnz: int) -> str:
    return say(
        "stability not computed: {nnz:,} links exceed {most:,} (PRACTICE_GRAPH_STABILITY_MAX_LINKS); "
        "each figure rescoring the matrix {replicates} times would take too long here",
        nnz=nnz,
        most=MAX_LINKS,
        replicates=REPLICATES,
    )


@dataclass(frozen=True)
class CriticalLink:
    """The link ``(city, initiative)`` whose removal alone changes ``of``'s nearest peer from ``nearest`` to
    ``then`` (None: no peer left). ``city`` is ``of`` itself or its nearest peer. Indices are incidence rows and
    columns."""

    of: int
    nearest: int
    city: int
    initiative: int
    then: int | None


# ---------------------------------------------------------------------------------------------------------------
# the matrix-level core: a 0/1 CSR incidence and a metric name


def subsample_keep(nnz: int, replicates: int = REPLICATES, seed: int = SEED, share: float = DROP_SHARE):
    """Yield, per resample, a boolean mask over ``nnz`` links that leaves out ``share`` of them (at least one when
    there are any), chosen uniformly at random.

    >>> masks = list(subsample_keep(50, replicates=3, seed=1))
    >>> len(masks), [int(m.sum()) for m in masks]
    (3, [45, 45, 45])
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    drop = min(nnz, max(1, int(round(share * nnz)))) if nnz else 0
    for _ in range(replicates):
        keep = np.ones(nnz, dtype=bool)
        keep[rng.choice(nnz, size=drop, replace=False)] = False
        yield keep


class _Links:
    """The links of a 0/1 city x initiative incidence: ``indptr``, ``indices`` (ascending within each row) and
    ``shape``, as in a CSR matrix, read from an :class:`~graph.model.Incidence` (its own arrays: no scipy), a dense
    numpy array (no scipy either) or a scipy sparse matrix."""

    def __init__(self, C):
        import numpy as np

        self.source = C
        if hasattr(C, "initiatives"):  # an Incidence
            self.indptr, self.indices = np.asarray(C.indptr), np.asarray(C.indices)
            self.shape = (len(C.cities), len(C.initiatives))
        elif isinstance(C, np.ndarray):
            rows, self.indices = np.nonzero(C)
            self.indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=C.shape[0]))])
            self.shape = C.shape
        else:
            C = C.tocsr().astype(np.int8)
            C.sort_indices()
            self.source, self.indptr, self.indices, self.shape = C, C.indptr, C.indices, C.shape
        self.nnz = len(self.indices)
        self.rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def dense(self, keep=None):
        """The 0/1 matrix as a dense float64 array, only the links where ``keep`` is True (default all)."""
        import numpy as np

        out = np.zeros(self.shape)
        if keep is None:
            out[self.rows, self.indices] = 1.0
        else:
            out[self.rows[keep], self.indices[keep]] = 1.0
        return out

    def sparse(self, keep=None):
        """The 0/1 matrix as a scipy CSR matrix (int8), only the links where ``keep`` is True (default all)."""
        import numpy as np
        import scipy.sparse as sp

        if keep is None:
            keep = np.ones(self.nnz, dtype=bool)
        data = np.ones(int(keep.sum()), dtype=np.int8)
        return sp.csr_matrix((data, (self.rows[keep], self.indices[keep])), shape=self.shape)


def _links(C) -> _Links:
    """``C`` as :class:`_Links` (unchanged if it is one)."""
    return C if isinstance(C, _Links) else _Links(C)


def scores_of(C, metric: str, rows):
    """Scores of the cities ``rows`` against every city under ``metric`` over the 0/1 incidence ``C``, rounded to
    :data:`~graph.scoring.DECIMALS`; a city's score with itself is set to -1 (never its own peer).

    The weights and normalisers are those of :func:`graph.scoring.incidence_features`; the product is one sparse
    (or, for a small matrix, dense) product of the rows with the whole matrix.

    >>> import numpy as np, scipy.sparse as sp
    >>> C = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=np.int8))
    >>> scores_of(C, "jaccard", np.array([0])).round(3).tolist()
    [[-1.0, 0.5, 0.333]]
    """
    import numpy as np

    n, m = C.shape if not hasattr(C, "initiatives") else (len(C.cities), len(C.initiatives))
    rows = np.asarray(rows, dtype=np.int64)
    without_scipy = isinstance(C, _Links | np.ndarray) or hasattr(C, "initiatives")
    if n * m <= (max(DENSE_CELLS, SCORES_DENSE_CELLS) if without_scipy else SCORES_DENSE_CELLS):
        if isinstance(C, np.ndarray):
            dense = C
        elif hasattr(C, "toarray"):
            dense = C.toarray()
        else:
            dense = _links(C).dense()
        F = incidence_features(dense, metric, _LABELS, _ORDER)
        num = (F.X[rows] * F.w) @ F.X.T
    else:
        if without_scipy:
            C = _links(C).sparse()
        F = incidence_features(C, metric, _LABELS, _ORDER)
        num = (F.X[rows].multiply(F.w[None, :]).tocsr() @ F.X.T).toarray()
    if F.norm == "cosine":
        root = np.sqrt(F.q)
        inv = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
        num *= inv[rows][:, None] * inv[None, :]
    elif F.norm == "jaccard":
        den = F.q[rows][:, None] + F.q[None, :] - num
        num = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    S = np.round(num, DECIMALS)
    S[np.arange(len(rows)), rows] = -1.0
    return S


def _dense_weights(df, n: int, metric: str):
    """Per-feature weights of ``metric`` from document frequencies ``df`` (any shape): the formulas of
    :func:`graph.scoring.incidence_features` (a test checks the two agree)."""
    import numpy as np

    with np.errstate(divide="ignore"):
        if metric == "idf-cosine":
            return np.where(df > 0, np.log((n + 1) / np.maximum(df, 1)), 0.0) ** 2
        if metric == "adamic-adar":
            return np.where(df >= 2, 1.0 / np.log(np.maximum(df, 2)), 0.0)
        if metric == "resource-allocation":
            return np.where(df >= 1, 1.0 / np.maximum(df, 1), 0.0)
    return np.ones_like(df, dtype=np.float64)


#: Resamples are scored together as one dense (resamples x cities x initiatives) array up to this many cells.
DENSE_CELLS = 2_000_000
#: :func:`scores_of` multiplies a scipy matrix as a dense numpy array up to this many cities x initiatives, sparse
#: above. Measured on a 2-core machine: at 10,000 cells the dense product is 3-4 times faster, at 50,000 cells
#: (every row against every city) 20 times slower, and at 3,966,000 cells one row takes 34 ms dense, 0.8 ms sparse.
#: An incidence given without scipy (an :class:`~graph.model.Incidence` or a numpy array) stays dense up to
#: :data:`DENSE_CELLS`, as its resamples do: importing scipy for one product would cost more (0.2-0.5 s).
SCORES_DENSE_CELLS = 2**15


def scores_batch(C, keeps, metric: str, rows):
    """Scores (``len(keeps)`` x ``len(rows)`` x cities) of the cities ``rows`` in each resample of ``C`` that keeps
    the stored links where ``keeps[r]`` is True; self-scores -1, rounded as :func:`scores_of`.

    Small matrices are scored all resamples at once as dense batched products; large ones one resample at a time
    with sparse products.

    >>> import numpy as np, scipy.sparse as sp
    >>> C = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=np.int8))
    >>> keeps = np.array([[True] * 5, [True, False, True, True, True]])  # the second drops city 0's second link
    >>> scores_batch(C, keeps, "jaccard", [0]).round(3).tolist()
    [[[-1.0, 0.5, 0.333]], [[-1.0, 1.0, 0.0]]]
    """
    import numpy as np

    C = _links(C)
    keeps = np.asarray(keeps, dtype=bool)
    rows = np.asarray(rows, dtype=np.int64)
    n, m = C.shape
    R = len(keeps)
    if R and keeps.shape[1] != C.nnz:
        raise ValueError(f"a keep mask has {keeps.shape[1]} entries for {C.nnz} links")
    if R == 0:
        return np.zeros((0, len(rows), n))
    if n * m > DENSE_CELLS:
        return np.stack([scores_of(C.sparse(keep), metric, rows) for keep in keeps])
    link_rows = C.rows
    out = np.empty((R, len(rows), n))
    step = max(1, DENSE_CELLS // max(1, n * m))
    for start in range(0, R, step):
        part = keeps[start : start + step]
        X = np.zeros((len(part), n, m))
        r, li = np.nonzero(part)
        X[r, link_rows[li], C.indices[li]] = 1.0
        df = X.sum(axis=1)  # resamples x initiatives
        w = _dense_weights(df, n, metric)
        num = (X[:, rows, :] * w[:, None, :]) @ X.transpose(0, 2, 1)  # resamples x rows x cities
        if metric in ("cosine", "idf-cosine", "jaccard"):
            q = X.sum(axis=2) if metric != "idf-cosine" else (X * w[:, None, :]).sum(axis=2)
            if metric == "jaccard":
                den = q[:, rows, None] + q[:, None, :] - num
                num = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
            else:
                root = np.sqrt(q)
                inv = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
                num *= inv[:, rows, None] * inv[:, None, :]
        S = np.round(num, DECIMALS)
        S[:, np.arange(len(rows)), rows] = -1.0
        out[start : start + step] = S
    return out


#: incidence_features wants labels and a name order; the scores do not use them.
_LABELS: list[str] = []
_ORDER = None


def _in_top(S, pos, peers, k):
    """For each pair: is ``peers[p]`` among the top ``k[p]`` of row ``pos[p]`` of ``S`` (ties count in its favour)?"""

    s = S[pos, peers]
    better = (S[pos] > s[:, None]).sum(axis=1)
    return (s > 0) & (better < k)


def _hits(batch, pos, peers, k):
    """In how many of the score matrices of ``batch`` (resamples x rows x cities) each pair is in its top
    (:func:`_in_top`): all resamples at once when that takes at most :data:`DENSE_CELLS` cells, else one by one."""
    import numpy as np

    if len(batch) * len(pos) * batch.shape[2] <= DENSE_CELLS:
        s = batch[:, pos, peers]
        better = (batch[:, pos, :] > s[:, :, None]).sum(axis=2)
        return ((s > 0) & (better < k)).sum(axis=0)
    hits = np.zeros(len(pos), dtype=np.int64)
    for S in batch:
        hits += _in_top(S, pos, peers, k)
    return hits


def peer_support(C, metric: str, a, b, k, replicates: int = REPLICATES, seed: int = SEED):
    """Share of resamples of ``C``'s links (:func:`subsample_keep`) in which city ``b[p]`` is among the top
    ``k[p]`` peers of city ``a[p]`` (numpy float array, one per pair).

    >>> import numpy as np, scipy.sparse as sp
    >>> C = sp.csr_matrix(np.array([[1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=np.int8))
    >>> peer_support(C, "jaccard", [0, 2], [1, 3], [1, 1], replicates=50).round(2).tolist()
    [1.0, 0.82]
    """
    import numpy as np

    C = _links(C)
    a, b, k = (np.asarray(v, dtype=np.int64) for v in (a, b, k))
    if len(a) == 0:
        return np.zeros(0)
    rows, pos = np.unique(a, return_inverse=True)
    hits = np.zeros(len(a))
    keeps = list(subsample_keep(C.nnz, replicates, seed))
    for start in range(0, len(keeps), 64):
        hits += _hits(scores_batch(C, keeps[start : start + 64], metric, rows), pos, b, k)
    return hits / max(1, replicates)


def _nearest(S, name_rank):
    """Index of the best of one score row (ties by name), or None when nothing scores above 0."""
    import numpy as np

    best = S.max()
    if best <= 0:
        return None
    tied = np.flatnonzero(S == best)
    return int(tied[np.argmin(name_rank[tied])])


def critical_links(C, metric: str, cities, name_rank, order=None) -> dict[int, CriticalLink | None]:
    """For each city index in ``cities``: the :class:`CriticalLink` of its nearest peer, or None when no single
    link (of the city or of that peer) changes it; cities without any peer are left out.

    ``order`` (optional, one rank per initiative column) breaks ties between equally decisive links; default the
    column order.

    >>> import numpy as np, scipy.sparse as sp
    >>> C = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=np.int8))
    >>> critical_links(C, "jaccard", [0], np.arange(3))[0]
    CriticalLink(of=0, nearest=1, city=0, initiative=0, then=2)
    """
    import numpy as np

    C = _links(C)
    m = C.shape[1]
    order = np.arange(m) if order is None else np.asarray(order)
    cities = np.asarray(list(cities), dtype=np.int64)
    if len(cities) == 0:
        return {}
    S0 = scores_of(C.source, metric, cities)
    link_rows = C.rows
    out: dict[int, CriticalLink | None] = {}
    for p, city in enumerate(cities.tolist()):
        nearest = _nearest(S0[p], name_rank)
        if nearest is None:
            continue
        best = None  # (score drop, not own link, name order, link)
        ptrs = [ptr for owner in (city, nearest) for ptr in range(C.indptr[owner], C.indptr[owner + 1])]
        keeps = np.ones((len(ptrs), C.nnz), dtype=bool)
        keeps[np.arange(len(ptrs)), ptrs] = False
        for ptr, S in zip(ptrs, scores_batch(C, keeps, metric, [city])[:, 0, :], strict=True):
            then = _nearest(S, name_rank)
            if then == nearest:
                continue
            owner, j = int(link_rows[ptr]), int(C.indices[ptr])
            key = (-(S0[p, nearest] - S[nearest]), owner != city, int(order[j]))
            if best is None or key < best[0]:
                best = (key, CriticalLink(city, nearest, owner, j, then))
        out[city] = best[1] if best else None
    return out


def _recommended(C_rep, own, S, peers: int, name_rank, initiative_rank):
    """Rank (1-based) of every initiative among one city's recommendations in a resample; a large number for
    initiatives not recommended. ``own`` marks what the city has on the full data."""
    import numpy as np

    m = C_rep.shape[1]
    ranks = np.full(m, np.iinfo(np.int64).max // 2)
    cand = np.flatnonzero(S > 0)
    if len(cand) == 0:
        return ranks
    order = np.lexsort((name_rank[cand], -S[cand]))[:peers]
    neighbours, sims = cand[order], S[cand[order]]
    scores = np.round(np.asarray(sims @ C_rep[neighbours]).ravel() / sims.sum(), DECIMALS)
    scores[own] = 0.0
    cols = np.flatnonzero(scores > 0)
    ranked = cols[np.lexsort((initiative_rank[cols], -scores[cols]))]
    ranks[ranked] = np.arange(1, len(ranked) + 1)
    return ranks


def recommendation_support(
    C, metric: str, city: int, initiatives, k, peers: int, name_rank, initiative_rank,
    replicates: int = REPLICATES, seed: int = SEED,
):  # fmt: skip
    """Share of resamples (:func:`subsample_keep`) in which each of ``initiatives`` is among the top ``k[p]``
    recommendations of ``city`` (its ``peers`` nearest peers recomputed in each resample).

    >>> import numpy as np, scipy.sparse as sp
    >>> C = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=np.int8))
    >>> recommendation_support(C, "jaccard", 0, [2], [1], 2, np.arange(3), np.arange(4), replicates=40).tolist()
    [1.0]
    """
    import numpy as np

    C = _links(C)
    initiatives, k = np.asarray(initiatives, dtype=np.int64), np.asarray(k, dtype=np.int64)
    if len(initiatives) == 0:
        return np.zeros(0)
    own = C.indices[C.indptr[city] : C.indptr[city + 1]]
    dense = C.shape[0] * C.shape[1] <= DENSE_CELLS
    hits = np.zeros(len(initiatives))
    keeps = list(subsample_keep(C.nnz, replicates, seed))
    for start in range(0, len(keeps), 64):
        part = keeps[start : start + 64]
        for keep, S in zip(part, scores_batch(C, part, metric, [city])[:, 0, :], strict=True):
            C_rep = C.dense(keep) if dense else C.sparse(keep).astype(np.float64)
            ranks = _recommended(C_rep, own, S, peers, name_rank, initiative_rank)
            hits += ranks[initiatives] <= k
    return hits / max(1, replicates)


#: The marks of :func:`mark` (the table view says them in its language; csv and json keep these words).
STABLE, FRAGILE = say("stable"), say("fragile")


def mark(support) -> str | None:
    """``"stable"`` when ``support`` reaches :data:`STABLE_AT`, else ``"fragile"``; None without a figure.

    >>> mark(0.9), mark(0.5), mark(None)
    ('stable', 'fragile', None)
    """
    if support is None:
        return None
    return STABLE if support >= STABLE_AT else FRAGILE


# ---------------------------------------------------------------------------------------------------------------
# the model-level answers


def _quote(model: Model, city: str, initiative: str) -> str:
    items = model.incidence.evidence.get((city, initiative), ())
    return " / ".join(dict.fromkeys(ev.quote for ev in items))


def peer_stability(
    model: Model, peers: list[Peer], metric: str, replicates: int = REPLICATES, seed: int = SEED
) -> list[dict[str, Any]]:
    """One dict per :class:`~graph.similarity.Peer`: ``support`` (share of resamples it stays in the city's top
    ``rank``), ``stability`` (``stable``/``fragile``) and, on each city's rank-1 row, the critical link:
    ``critical_link`` (``"city: initiative"``), ``critical_link_id`` (``[city id, initiative id]``),
    ``critical_quote`` and ``critical_then`` (the nearest peer without that link, None if none). All None for a
    metric without these figures, and the critical fields None where no single link changes the nearest peer."""
    import numpy as np

    empty = {"support": None, "stability": None, "critical_link": None, "critical_link_id": None,
             "critical_quote": None, "critical_then": None}  # fmt: skip
    if metric not in INCIDENCE_METRICS or not peers:
        return [dict(empty) for _ in peers]
    inc = model.incidence
    index = inc.city_index
    a = np.array([index[p.city] for p in peers])
    b = np.array([index[p.peer] for p in peers])
    k = np.array([p.rank for p in peers])
    support = peer_support(inc, metric, a, b, k, replicates, seed)
    firsts = sorted({index[p.city] for p in peers if p.rank == 1})
    from .scoring import initiative_order

    crit = critical_links(inc, metric, firsts, city_order(model), initiative_order(model))
    out = []
    for p, s in zip(peers, support.tolist(), strict=True):
        row = dict(empty, support=round(s, 3), stability=mark(s))
        link = crit.get(index[p.city]) if p.rank == 1 else None
        if link is not None and inc.cities[link.nearest] == p.peer:
            c, x = inc.cities[link.city], inc.initiatives[link.initiative]
            row["critical_link"] = f"{model.name(c)}: {model.name(x)}"
            row["critical_link_id"] = [c, x]
            row["critical_quote"] = _quote(model, c, x)
            row["critical_then"] = None if link.then is None else model.name(inc.cities[link.then])
        out.append(row)
    return out


def recommendation_stability(
    model: Model,
    recs: list[Recommendation],
    metric: str,
    peers: int,
    replicates: int = REPLICATES,
    seed: int = SEED,
) -> list[dict[str, Any]]:
    """One dict per :class:`~graph.recommend.Recommendation` of one city: ``support`` (share of resamples in
    which it stays among the city's top ``rank`` recommendations) and ``stability`` (``stable``/``fragile``)."""
    import numpy as np

    if metric not in INCIDENCE_METRICS or not recs:
        return [{"support": None, "stability": None} for _ in recs]
    from .scoring import initiative_order

    inc = model.incidence
    city = inc.city_index[recs[0].city]
    cols = [inc.initiative_index[r.initiative] for r in recs]
    support = recommendation_support(
        inc, metric, city, cols, [r.rank for r in recs], peers, city_order(model),
        np.asarray(initiative_order(model)), replicates, seed,
    )  # fmt: skip
    return [{"support": round(s, 3), "stability": mark(s)} for s in support.tolist()]


# ---------------------------------------------------------------------------------------------------------------
# does the figure mean what it says? synthetic data with known structure plus noise


def planted_incidence(
    groups: int = 8, size: int = 4, core: int = 6, initiatives: int = 120, p_core: float = 0.6, extra: int = 4,
    seed: int = 0,
):  # fmt: skip
    """A 0/1 CSR city x initiative matrix with planted groups: ``groups`` groups of ``size`` cities; each group has
    ``core`` initiatives of its own, each adopted by each member with probability ``p_core``; every city also
    adopts ``extra`` initiatives drawn at random (noise). Returns ``(C, group of each city)``.

    >>> C, group = planted_incidence(groups=2, size=3, seed=1)
    >>> C.shape, group.tolist()
    ((6, 120), [0, 0, 0, 1, 1, 1])
    """
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    n = groups * size
    group = np.repeat(np.arange(groups), size)
    dense = np.zeros((n, initiatives), dtype=np.int8)
    for i in range(n):
        cols = group[i] * core + np.arange(core)
        dense[i, cols[rng.random(core) < p_core]] = 1
        dense[i, rng.choice(initiatives, size=extra, replace=False)] = 1
    return sp.csr_matrix(dense), group


def _perturb(C, share: float, rng):
    """``C`` with ``share`` of its links moved: that many removed at random and as many added at random."""
    import numpy as np
    import scipy.sparse as sp

    dense = C.toarray()
    ones = np.argwhere(dense == 1)
    zeros = np.argwhere(dense == 0)
    moves = int(round(share * len(ones)))
    drop = ones[rng.choice(len(ones), size=moves, replace=False)]
    add = zeros[rng.choice(len(zeros), size=moves, replace=False)]
    dense[drop[:, 0], drop[:, 1]] = 0
    dense[add[:, 0], add[:, 1]] = 1
    return sp.csr_matrix(dense)


def noise_check(
    metric: str = "idf-cosine", top: int = 1, noise: float = 0.2, trials: int = 20, replicates: int = REPLICATES,
    seed: int = 0, **planted,
) -> dict[str, Any]:  # fmt: skip
    """Mark every city's ``top`` peers on a planted matrix (:func:`planted_incidence`), then move ``noise`` of
    the links ``trials`` times and count how often each marked pair is still in the city's top ``top``.

    Returns ``{"stable": (pairs, share still near), "fragile": (pairs, share still near)}``: if the figure means
    what it says, stable pairs stay near far more often than fragile ones.
    """
    import numpy as np

    C, _ = planted_incidence(seed=seed, **planted)
    n = C.shape[0]
    rows = np.arange(n)
    name_rank = np.arange(n)
    S = scores_of(C, metric, rows)
    a, b = [], []
    for i in rows:
        cand = np.flatnonzero(S[i] > 0)
        order = np.lexsort((name_rank[cand], -S[i, cand]))[:top]
        a += [i] * len(order)
        b += cand[order].tolist()
    a, b = np.array(a), np.array(b)
    k = np.full(len(a), top)
    support = peer_support(C, metric, a, b, k, replicates, seed)
    stable = support >= STABLE_AT
    rng = np.random.default_rng(seed + 1)
    kept = np.zeros(len(a))
    for _ in range(trials):
        kept += _in_top(scores_of(_perturb(C, noise, rng), metric, rows), a, b, k)
    kept /= trials
    out = {}
    for label, sel in (("stable", stable), ("fragile", ~stable)):
        out[label] = (int(sel.sum()), round(float(kept[sel].mean()), 3) if sel.any() else None)
    return out


# ---------------------------------------------------------------------------------------------------------------
# figures for the report and the views


def peer_figures(model: Model, peers_by_city: dict[str, list[Peer]], metric: str) -> dict[tuple[str, str], dict]:
    """:func:`peer_stability` of every listed peer, keyed by ``(city, peer)``; empty for a metric without these
    figures or above :data:`MAX_LINKS` links."""
    flat = [p for city in sorted(peers_by_city) for p in peers_by_city[city]]
    if metric not in INCIDENCE_METRICS or not flat or _link_count(model) > MAX_LINKS:
        return {}
    return {(p.city, p.peer): fig for p, fig in zip(flat, peer_stability(model, flat, metric), strict=True)}


def recommendation_figures(
    model: Model, recs_by_city: dict[str, list[Recommendation]], metric: str, peers: int
) -> dict[tuple[str, str], dict]:
    """:func:`recommendation_stability` of every listed recommendation, keyed by ``(city, initiative)``; empty
    for a metric without these figures or above :data:`MAX_LINKS` links."""
    if metric not in INCIDENCE_METRICS or _link_count(model) > MAX_LINKS:
        return {}
    out = {}
    for city in sorted(recs_by_city):
        recs = recs_by_city[city]
        for r, fig in zip(recs, recommendation_stability(model, recs, metric, peers), strict=True):
            out[(city, r.initiative)] = fig
    return out


def critical_text(fig: dict) -> str | None:
    """``city: initiative → the nearest peer without it`` of a :func:`peer_stability` dict, or None.

    >>> critical_text({"critical_link": "潜江市: 社区联防联控", "critical_then": "十堰市"})
    '潜江市: 社区联防联控 → 十堰市'
    """
    if not fig.get("critical_link"):
        return None
    return f"{fig['critical_link']} → {fig.get('critical_then') or 'no peer'}"


# ---------------------------------------------------------------------------------------------------------------
# the answers' tables


_NOTE = say(
    "stability: share of 200 resamples, each leaving out a tenth of the links at random, in which the answer "
    "holds (stable from {stable:.0%}); critical: the one link whose removal changes the nearest peer.",
    stable=STABLE_AT,
)
_PEER_FIELDS = ["support", "stability", "critical_link", "critical_link_id", "critical_quote", "critical_then"]


def _after(columns: list[str], anchor: str, new: list[str]) -> None:
    at = columns.index(anchor) + 1 if anchor in columns else len(columns)
    columns[at:at] = [c for c in new if c not in columns]


def annotate_peers(model: Model, table: Table, peers: list[Peer], metric: str) -> Table:
    """Add to a table of peers (``similar``, ``rank``; one row per peer, in the order of ``peers``) the columns of
    :func:`peer_stability`, and for people a ``critical`` cell on each rank-1 row (``city: initiative → the
    nearest peer without it``). Unchanged for a metric without these figures."""
    if metric not in INCIDENCE_METRICS:
        return table
    if _link_count(model) > MAX_LINKS:
        table.notes = [*table.notes, _too_large(_link_count(model))]
        return table
    figures = peer_stability(model, peers, metric)
    for row, fig in zip(table.rows, figures, strict=True):
        row.update(fig)
        if fig["critical_link"]:
            row["critical"] = critical_text(fig)
        elif row.get("rank") == 1:
            row["critical"] = say("no single link")
    _after(table.columns, "p_value", _PEER_FIELDS)
    if table.display is not None:
        _after(table.display, "p_value", ["stability", "support", "critical"])
    table.notes = [*table.notes, _NOTE]
    return table


def annotate_recommendations(model: Model, table: Table, recs: list[Recommendation], metric: str, peers: int):
    """Add ``support`` and ``stability`` (:func:`recommendation_stability`) to a ``recommend`` table whose rows
    follow ``recs``. Unchanged for a metric without these figures."""
    if metric not in INCIDENCE_METRICS:
        return table
    if _link_count(model) > MAX_LINKS:
        table.notes = [*table.notes, _too_large(_link_count(model))]
        return table
    for row, fig in zip(table.rows, recommendation_stability(model, recs, metric, peers), strict=True):
        row.update(fig)
    _after(table.columns, "score", ["support", "stability"])
    if table.display is not None:
        _after(table.display, "score", ["stability", "support"])
    table.notes = [
        *table.notes,
        say(
            "stability: share of 200 resamples, each leaving out a tenth of the links at random, in which the "
            "initiative stays at its rank or better (stable from {stable:.0%}).",
            stable=STABLE_AT,
        ),
    ]
    return table


def annotate_dyads(model: Model, table: Table, metric: str) -> Table:
    """Add to the dyad table (``rank --pairs``), for ``metric``: ``rank_ab`` (b's rank among a's peers),
    ``support_ab`` (share of resamples in which b stays at that rank or nearer), the same from b's side, and
    ``stability``, the mark of the smaller support. Pairs sharing nothing get None. Works on a plain table and on
    a column table alike; unchanged above :data:`MAX_LINKS` links (with a note)."""
    import numpy as np

    ids_a, ids_b = table.column_values("city_a_id"), table.column_values("city_b_id")
    if metric not in INCIDENCE_METRICS or not ids_a:
        return table
    inc = model.incidence
    if _link_count(model) > MAX_LINKS:
        table.notes = [*table.notes, _too_large(_link_count(model))]
        return table
    index = inc.city_index
    n, m = len(inc.cities), len(ids_a)
    S = scores_of(inc, metric, np.arange(n))
    a = np.array([index[c] for c in ids_a] + [index[c] for c in ids_b], dtype=np.int64)
    b = np.concatenate([a[m:], a[:m]])
    k = (S[a] > S[a, b][:, None]).sum(axis=1) + 1
    positive = S[a, b] > 0
    support = np.full(len(a), np.nan)
    if positive.any():
        support[positive] = peer_support(inc, metric, a[positive], b[positive], k[positive])
    both = positive[:m] & positive[m:]
    new = {
        "rank_ab": [int(v) if ok else None for v, ok in zip(k[:m].tolist(), both.tolist(), strict=True)],
        "support_ab": [round(v, 3) if ok else None for v, ok in zip(support[:m].tolist(), both.tolist(), strict=True)],
        "rank_ba": [int(v) if ok else None for v, ok in zip(k[m:].tolist(), both.tolist(), strict=True)],
        "support_ba": [round(v, 3) if ok else None for v, ok in zip(support[m:].tolist(), both.tolist(), strict=True)],
    }
    lows = np.fmin(support[:m], support[m:]).tolist()
    new["stability"] = [mark(v) if ok else None for v, ok in zip(lows, both.tolist(), strict=True)]
    data = getattr(table, "data", None)
    if isinstance(data, dict) and getattr(table, "_rows", None) is None:
        data.update(new)
    else:
        for p, row in enumerate(table.rows):
            row.update({c: values[p] for c, values in new.items()})
    _after(table.columns, "p_value", list(new))
    table.notes = [
        *table.notes,
        say(
            "rank_ab, support_ab: b's rank among a's peers by {metric}, and the share of 200 resamples (a tenth of "
            "the links left out) in which b stays that near; stability: stable when both reach {stable:.0%}.",
            metric=metric,
            stable=STABLE_AT,
        ),
    ]
    return table
