"""Who is alike: similarity of cities over the initiatives they adopt, with explanations and significance.

Every metric but ``simrank`` is a sparse matrix product over the city x initiative incidence ``C`` (or, for
``text``, over the city x term TF-IDF matrix ``T``): ``score(a, b) = Σ_x X[a,x] w_x X[b,x] / D(a, b)``, a sum over
the features the two cities share. So every score comes with its explanation: the shared features ordered by
their part of the sum. Every pair also gets the hypergeometric p-value of its initiative overlap,
``P(X >= |A∩B|)`` with ``X ~ Hypergeom(M, |A|, |B|)``, ``M`` the number of initiatives.

The scores are computed a block of rows at a time: the few most popular initiatives as a dense product (BLAS),
the long tail as a sparse one, and each row's top peers picked with ``argpartition``; so every city's top-10 at
5,000 cities x 20,000 initiatives takes well under a second and a few hundred megabytes.
"""

from __future__ import annotations

import math
import os
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import InputError, RequestError
from .table import Table

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

METRICS = ("idf-cosine", "jaccard", "cosine", "adamic-adar", "resource-allocation", "simrank", "text")
DEFAULT_METRIC = "idf-cosine"
#: The metrics computed from the incidence alone (cheap for every pair: the dyad table carries them all).
INCIDENCE_METRICS = ("jaccard", "cosine", "idf-cosine", "adamic-adar", "resource-allocation")

#: ``simrank`` is refused above this many nodes (cities + initiatives): networkx's simrank_similarity builds dense
#: n x n matrices and a dict of n² entries; measured on a 2-core machine, 2,000 nodes take about 30 s.
SIMRANK_MAX_NODES = int(os.environ.get("PRACTICE_GRAPH_SIMRANK_MAX_NODES", "2000"))

#: Scores are compared after rounding to this many decimals, so that sums taken in different orders tie.
_DECIMALS = 12


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
# features: the matrix X, weights w and normaliser D of each metric


@dataclass
class _Features:
    metric: str
    X: Any  # scipy CSR float64, cities x features
    w: Any  # numpy float64, one weight per feature
    norm: str  # "none": D = 1; "cosine": D = sqrt(q_a q_b); "jaccard": D = q_a + q_b - num
    q: Any  # numpy float64, one per city (see norm)
    labels: list[str]  # feature ids
    order: Any  # numpy int64: rank of each feature's display name, for ties
    dense: Any = None  # the full score matrix, for metrics that are not products (simrank)
    _split: Any = None
    _inv: Any = None

    def inv_sqrt_q(self):
        """1 / sqrt(q), 0 where q is 0."""
        import numpy as np

        if self._inv is None:
            root = np.sqrt(self.q)
            self._inv = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
        return self._inv

    def split(self):
        """Heavy (dense) and light (sparse) parts of X, chosen to minimise the product's cost."""
        if self._split is None:
            self._split = _split_columns(self.X, self.w)
        return self._split


def _split_columns(X, w, dense_flop_ratio: float = 150.0, max_dense_bytes: int = 256 * 2**20):
    """Split the columns of X into the most popular ones (a dense product) and the rest (a sparse one).

    A sparse product costs about Σ nnz_j² operations over its columns; a dense one n_rows² per column but each
    operation ``dense_flop_ratio`` times cheaper. Take the number of dense columns that minimises the sum.
    """
    import numpy as np

    n = X.shape[0]
    nnz = np.diff(X.tocsc().indptr).astype(np.float64)
    order = np.argsort(-nnz, kind="stable")
    sq = nnz[order] ** 2
    tail = np.concatenate([np.cumsum(sq[::-1])[::-1], [0.0]])  # tail[h] = Σ_{j >= h} nnz²
    h = np.arange(len(tail), dtype=np.float64)
    cost = tail + h * n * n / dense_flop_ratio
    limit = max(0, min(len(order), max_dense_bytes // max(1, 8 * n)))
    best = int(np.argmin(cost[: limit + 1]))
    heavy, light = np.sort(order[:best]), np.sort(order[best:])
    Xc = X.tocsc()
    Xh = Xc[:, heavy].toarray() if best else None  # dense, cities x heavy columns
    XhT = (Xc[:, heavy].toarray().T * w[heavy][:, None]).copy() if best else None
    Xl = Xc[:, light].tocsr()
    XlT = (Xc[:, light] @ _diag(w[light])).T.tocsr()
    return Xh, XhT, Xl, XlT


def _diag(values):
    import scipy.sparse as sp

    return sp.diags(values, format="csr")


def _incidence_features(C, metric: str, labels: list[str], order) -> _Features:
    """The features of an incidence metric over a 0/1 city x initiative matrix ``C``."""
    import numpy as np

    X = C.astype(np.float64).tocsr()
    X.sum_duplicates()
    X.data[:] = 1.0
    X.eliminate_zeros()
    n = X.shape[0]
    df = np.asarray(X.sum(axis=0)).ravel()
    deg = np.asarray(X.sum(axis=1)).ravel()
    norm = "none"
    with np.errstate(divide="ignore"):
        if metric == "jaccard":
            w, norm, q = np.ones(X.shape[1]), "jaccard", deg
        elif metric == "cosine":
            w, norm, q = np.ones(X.shape[1]), "cosine", deg
        elif metric == "idf-cosine":
            idf = np.where(df > 0, np.log((n + 1) / np.maximum(df, 1)), 0.0)
            w = idf**2
            norm, q = "cosine", X @ w
        elif metric == "adamic-adar":
            w = np.where(df >= 2, 1.0 / np.log(np.maximum(df, 2)), 0.0)
            q = deg
        elif metric == "resource-allocation":
            w = np.where(df >= 1, 1.0 / np.maximum(df, 1), 0.0)
            q = deg
        else:  # pragma: no cover - guarded by check_metric
            raise ValueError(metric)
    return _Features(metric, X, np.asarray(w, dtype=np.float64), norm, np.asarray(q, dtype=np.float64), labels, order)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(model) -> dict:
    try:
        return _CACHE.setdefault(model, {})
    except TypeError:  # pragma: no cover - an object that cannot be weakly referenced
        return {}


def check_metric(metric: str) -> str:
    """Return ``metric`` if it is one of :data:`METRICS`, else raise a :class:`RequestError`.

    >>> check_metric("jaccard")
    'jaccard'
    """
    if metric not in METRICS:
        raise RequestError(f"unknown metric {metric!r} (expected one of {', '.join(METRICS)})")
    return metric


def _name_order(names: list[str], ids: list[str]):
    import numpy as np

    ranked = sorted(range(len(ids)), key=lambda i: (names[i], ids[i]))
    order = np.empty(len(ids), dtype=np.int64)
    order[ranked] = np.arange(len(ids))
    return order


def _city_order(model):
    cache = _cache(model)
    if "city_order" not in cache:
        inc = model.incidence
        cache["city_order"] = _name_order([model.name(c) for c in inc.cities], inc.cities)
    return cache["city_order"]


def _initiative_order(model):
    cache = _cache(model)
    if "initiative_order" not in cache:
        inc = model.incidence
        cache["initiative_order"] = _name_order([model.name(x) for x in inc.initiatives], inc.initiatives)
    return cache["initiative_order"]


def _features(model, metric: str) -> _Features:
    check_metric(metric)
    cache = _cache(model)
    key = ("features", metric)
    if key not in cache:
        inc = model.incidence
        if metric in INCIDENCE_METRICS:
            cache[key] = _incidence_features(inc.matrix, metric, list(inc.initiatives), _initiative_order(model))
        elif metric == "text":
            cache[key] = _text_features(model)
        else:
            cache[key] = _simrank_features(model)
    return cache[key]


# ---------------------------------------------------------------------------------------------------------------
# text: TF-IDF over jieba tokens of each city's evidence quotes


def tokenize(text: str, jieba_module) -> list[str]:
    """The words of ``text`` for TF-IDF: jieba tokens of two characters or more that contain a letter or digit.

    Examples
    --------
    >>> import jieba, logging; jieba.setLogLevel(logging.WARNING)
    >>> jieba.add_word("红色物业")  # as the dataset's names are added
    >>> tokenize("推行红色物业, 天气很好。", jieba)
    ['推行', '红色物业', '天气']
    """
    words = []
    for token in jieba_module.cut(text):
        token = token.strip()
        if len(token) >= 2 and any(ch.isalnum() for ch in token):
            words.append(token)
    return words


def _city_quotes(model) -> dict[str, list[tuple[str | None, str]]]:
    """Each city's evidence quotes: its reports quotes (tag None) and the instance_of quotes of its initiatives
    (tagged with the initiative), each distinct quote once per tag."""
    inc = model.incidence
    quotes: dict[str, list[tuple[str | None, str]]] = {c: [] for c in inc.cities}
    for r in model.dataset.relations:
        if r.relation == "reports" and r.source in quotes and r.evidence:
            quotes[r.source].append((None, r.evidence))
    for (city, initiative), items in sorted(inc.evidence.items()):
        for ev in items:
            if ev.quote:
                quotes[city].append((initiative, ev.quote))
    return {c: list(dict.fromkeys(q)) for c, q in quotes.items()}


def _text_counts(model):
    """Term counts: (vocabulary, city x term CSR of counts, {(city, initiative): term-count row of its quotes})."""
    import numpy as np
    import scipy.sparse as sp

    cache = _cache(model)
    if "text_counts" in cache:
        return cache["text_counts"]
    from .textutil import jieba_for

    jb = jieba_for(model.dataset)
    inc = model.incidence
    quotes = _city_quotes(model)
    tokens: dict[str, list[str]] = {}
    per_quote: dict[tuple[str, str | None], list[list[str]]] = {}
    for city in inc.cities:
        for tag, quote in quotes[city]:
            if quote not in tokens:
                tokens[quote] = tokenize(quote, jb)
            per_quote.setdefault((city, tag), []).append(tokens[quote])
    vocab = sorted({w for words in tokens.values() for w in words})
    col = {w: j for j, w in enumerate(vocab)}

    def row_counts(word_lists):
        counts: dict[int, int] = {}
        for words in word_lists:
            for w in words:
                counts[col[w]] = counts.get(col[w], 0) + 1
        return counts

    rows, cols, vals = [], [], []
    for i, city in enumerate(inc.cities):
        lists = [words for (c, _tag), wl in per_quote.items() if c == city for words in wl]
        for j, v in row_counts(lists).items():
            rows.append(i)
            cols.append(j)
            vals.append(v)
    counts = sp.csr_matrix(
        (np.asarray(vals, dtype=np.float64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(inc.cities), len(vocab)),
    )
    by_link = {}
    for (city, tag), wl in per_quote.items():
        if tag is not None:
            by_link[(city, tag)] = row_counts(wl)
    cache["text_counts"] = (vocab, counts, by_link)
    return cache["text_counts"]


def _tfidf_features(vocab: list[str], counts) -> _Features:
    """TF-IDF rows: (1 + ln tf) x smoothed idf ln((1 + N) / (1 + df)) + 1; cosine of the rows."""
    import numpy as np

    X = counts.tocsr().astype(np.float64)
    X.eliminate_zeros()
    n = X.shape[0]
    df = np.diff(X.tocsc().indptr).astype(np.float64)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    X.data = 1.0 + np.log(X.data)
    X = (X @ _diag(idf)).tocsr()
    w = np.ones(X.shape[1])
    q = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    labels = [f"term:{v}" for v in vocab]
    return _Features("text", X, w, "cosine", q, labels, np.arange(len(vocab), dtype=np.int64))


def _text_features(model) -> _Features:
    vocab, counts, _ = _text_counts(model)
    return _tfidf_features(vocab, counts)


# ---------------------------------------------------------------------------------------------------------------
# simrank: networkx on the bipartite city-initiative graph


def _check_simrank_size(n_cities: int, n_initiatives: int) -> None:
    nodes = n_cities + n_initiatives
    if nodes > SIMRANK_MAX_NODES:
        raise InputError(
            f"simrank refused: {nodes:,} nodes ({n_cities:,} cities + {n_initiatives:,} initiatives) exceed the "
            f"limit of {SIMRANK_MAX_NODES:,}; networkx's simrank builds dense node x node matrices and would take "
            "more than about 30 s here; use idf-cosine or adamic-adar instead"
        )


def _simrank_matrix(C, cities: list[str], initiatives: list[str]):
    """City x city SimRank (networkx simrank_similarity, importance 0.9) on the bipartite graph of ``C``."""
    import networkx as nx
    import numpy as np

    _check_simrank_size(len(cities), len(initiatives))
    G = nx.Graph()
    G.add_nodes_from(cities)
    G.add_nodes_from(initiatives)
    coo = C.tocoo()
    G.add_edges_from((cities[i], initiatives[j]) for i, j in zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    sim = nx.simrank_similarity(G)
    return np.array([[sim[a][b] for b in cities] for a in cities], dtype=np.float64)


def _simrank_features(model) -> _Features:
    inc = model.incidence
    base = _features(model, "resource-allocation")
    dense = _simrank_matrix(inc.matrix, inc.cities, inc.initiatives)
    return _Features("simrank", base.X, base.w, "none", base.q, base.labels, base.order, dense=dense)


# ---------------------------------------------------------------------------------------------------------------
# scores, a block of rows at a time


def _denominators(F: _Features, rows, cols, num):
    """D(a, b) broadcast over ``rows`` (column vector) and ``cols`` (row vector) for numerators ``num``."""
    import numpy as np

    if F.norm == "cosine":
        return np.sqrt(F.q[rows] * F.q[cols])
    if F.norm == "jaccard":
        return F.q[rows] + F.q[cols] - num
    return None


def _score_rows(F: _Features, rows):
    """Dense scores of the cities ``rows`` (an int array, or a slice for a contiguous block) against every city."""
    import numpy as np

    if F.dense is not None:
        return F.dense[rows].copy()
    Xh, XhT, Xl, XlT = F.split()
    pick = rows if isinstance(rows, slice) else np.asarray(rows)
    num = (Xl[pick] @ XlT).toarray()
    if Xh is not None:
        num += Xh[pick] @ XhT
    if isinstance(rows, slice):
        rows = np.arange(rows.start, rows.stop)
    if F.norm == "cosine":
        inv = F.inv_sqrt_q()
        num *= inv[rows][:, None]
        num *= inv[None, :]
    elif F.norm == "jaccard":
        den = F.q[rows][:, None] + F.q[None, :]
        den -= num
        den[den <= 0] = np.inf
        num /= den
    return num


def _blocks(n: int, entries: int = 2**22):
    step = max(1, min(n, entries // max(1, n)))
    for start in range(0, n, step):
        yield start, min(n, start + step)


def _select(scores, rows, top: int, name_rank):
    """Each row's ``top`` peers by score desc then name: arrays (row position, peer, score, rank), in rank order.

    ``scores`` (non-negative, overwritten) holds the rows ``rows``; the row's own city and scores of 0 are never
    peers. Only the entries at or above each row's ``top``-th largest score are sorted, so ties at the cut are kept
    whole and broken by name.
    """
    import numpy as np

    b, n = scores.shape
    rows = np.asarray(rows)
    scores[np.arange(b), rows] = 0.0
    tiny = np.finfo(np.float64).tiny
    if n > top:
        kth = np.partition(scores, n - top, axis=1)[:, n - top]
        threshold = np.maximum(kth - 1e-9 * np.maximum(1.0, kth), tiny)
        r, c = np.nonzero(scores >= threshold[:, None])
    else:
        r, c = np.nonzero(scores >= tiny)
    vals = scores[r, c]
    order = np.lexsort((name_rank[c], -np.round(vals, _DECIMALS), r))
    r, c, vals = r[order], c[order], vals[order]
    first = np.searchsorted(r, np.arange(b))
    pos = np.arange(len(r)) - first[r]
    keep = pos < top
    return r[keep], c[keep], vals[keep], pos[keep] + 1


def _top_pairs(F: _Features, name_rank, top: int, rows=None):
    """Arrays (city, peer, score, rank) of the top peers of ``rows`` (default every city)."""
    import numpy as np

    n = F.X.shape[0]
    if rows is None:
        rows = np.arange(n)
    rows = np.asarray(rows, dtype=np.int64)
    parts = []
    for start, stop in _blocks(n):
        if start >= len(rows):
            break
        block = rows[start:stop]
        contiguous = len(block) and block[-1] - block[0] == len(block) - 1 and (np.diff(block) == 1).all()
        scores = _score_rows(F, slice(int(block[0]), int(block[-1]) + 1) if contiguous else block)
        r, c, v, k = _select(scores, block, top, name_rank)
        parts.append((block[r], c, v, k))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), empty
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


# ---------------------------------------------------------------------------------------------------------------
# explanations and p-values, for arrays of pairs


def _pair_terms(F: _Features, a, b):
    """CSR (pairs x features) of each pair's contributions, summing to its score."""
    import numpy as np

    P = F.X[a].multiply(F.X[b]).tocsr()
    P.sort_indices()
    P.data = P.data * F.w[P.indices]
    P.eliminate_zeros()
    num = np.asarray(P.sum(axis=1)).ravel()
    if F.dense is not None:  # simrank: apportion the score over the shared initiatives
        scale = np.where(num > 0, F.dense[a, b] / np.where(num > 0, num, 1.0), 0.0)
    else:
        den = _denominators(F, np.asarray(a), np.asarray(b), num)
        scale = np.ones_like(num) if den is None else np.where(den > 0, 1.0 / np.where(den > 0, den, 1.0), 0.0)
    P.data = P.data * np.repeat(scale, np.diff(P.indptr))
    return P


def _explanations(F: _Features, a, b, sums=None) -> list[tuple[tuple[str, float], ...]]:
    """Each pair's (feature, contribution) tuples; ``sums`` (an array, optional) receives each pair's score as
    the sum of its contributions, the same whichever block the pair was computed in."""
    import numpy as np

    P = _pair_terms(F, a, b)
    counts = np.diff(P.indptr)
    row = np.repeat(np.arange(len(counts)), counts)
    order = np.lexsort((F.order[P.indices], -np.round(P.data, _DECIMALS), row))
    idx, vals = P.indices[order].tolist(), P.data[order].tolist()
    labels = F.labels
    if sums is not None:
        sums[:] = np.asarray(P.sum(axis=1)).ravel() if F.dense is None else F.dense[a, b]
    out, start = [], 0
    for k in counts.tolist():
        out.append(tuple((labels[j], v) for j, v in zip(idx[start : start + k], vals[start : start + k], strict=True)))
        start += k
    return out


_LOG_FACT: list = []


def _log_factorials(n: int):
    import numpy as np

    if len(_LOG_FACT) == 0 or len(_LOG_FACT[0]) <= n:
        size = max(n + 1, 1024)
        _LOG_FACT[:] = [np.array([math.lgamma(k + 1.0) for k in range(size)])]
    return _LOG_FACT[0]


def hypergeom_sf(k, M: int, n, N):
    """P(X > k) for X ~ Hypergeom(M, n, N), vectorised over ``k``, ``n`` and ``N``.

    The same quantity as ``scipy.stats.hypergeom.sf(k, M, n, N)`` (M objects, n of them marked, N drawn),
    computed with a table of log-factorials so that scipy.stats (a second to import) is not needed.

    Examples
    --------
    >>> [round(float(p), 6) for p in hypergeom_sf([0, 1, -1], 4, [2, 2, 2], [2, 2, 2])]
    [0.833333, 0.166667, 1.0]
    """
    import numpy as np

    k = np.atleast_1d(np.asarray(k, dtype=np.int64))
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), k.shape)
    N = np.broadcast_to(np.asarray(N, dtype=np.int64), k.shape)
    lf = _log_factorials(int(M))
    lo = np.maximum(k + 1, np.maximum(0, N + n - M))
    hi = np.minimum(n, N)
    out = np.where(lo <= np.maximum(0, N + n - M), 1.0, 0.0)  # P(X > k) = 1 when k is below the support
    todo = np.nonzero((lo <= hi) & (out < 1.0))[0]
    if len(todo):
        lengths = (hi[todo] - lo[todo] + 1).astype(np.int64)
        pair = np.repeat(np.arange(len(todo)), lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        x = lo[todo][pair] + (np.arange(lengths.sum()) - starts[pair])
        nn, NN = n[todo][pair], N[todo][pair]
        log_terms = (
            lf[nn] - lf[x] - lf[nn - x] + lf[M - nn] - lf[NN - x] - lf[M - nn - NN + x] - (lf[M] - lf[NN] - lf[M - NN])
        )
        peak = np.maximum.reduceat(log_terms, starts)
        sums = np.add.reduceat(np.exp(log_terms - peak[pair]), starts)
        out[todo] = np.minimum(1.0, np.exp(peak) * sums)
    return out


def _shared_counts(model, a, b):
    import numpy as np

    C = _features(model, "jaccard").X
    return np.asarray(C[a].multiply(C[b]).sum(axis=1)).ravel().astype(np.int64)


def p_values(model, a, b):
    """Hypergeometric p-values of the initiative overlaps of the city pairs (index arrays ``a``, ``b``).

    ``P(X >= |A∩B|)``, ``X ~ Hypergeom(M = number of initiatives, |A|, |B|)``: how surprising an overlap this
    large would be if each city had picked its initiatives at random.
    """
    import numpy as np

    F = _features(model, "jaccard")
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    shared = _shared_counts(model, a, b)
    deg = F.q.astype(np.int64)
    return hypergeom_sf(shared - 1, F.X.shape[1], deg[a], deg[b])


# ---------------------------------------------------------------------------------------------------------------
# the public API


def _city_index(model, city: str) -> int:
    inc = model.incidence
    if city in inc.city_index:
        return inc.city_index[city]
    return inc.city_index[model.names.resolve(city, "city")]


def similarity_matrix(model: Model, metric: str = DEFAULT_METRIC):
    """The city x city scores of ``metric`` as a dense numpy array; rows and columns are ``incidence.cities``.

    The diagonal holds each city's self-similarity (1 for jaccard, cosine and idf-cosine when the city has an
    initiative; its own weighted degree for adamic-adar and resource-allocation).

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> from tests.conftest import MINI
    >>> S = similarity_matrix(Model(load_dataset(MINI)), "jaccard")
    >>> [[round(float(v), 3) for v in row] for row in S]
    [[1.0, 0.333, 0.333, 0.0], [0.333, 1.0, 0.0, 0.333], [0.333, 0.0, 1.0, 0.333], [0.0, 0.333, 0.333, 1.0]]
    """
    import numpy as np

    F = _features(model, metric)
    n = F.X.shape[0]
    out = np.zeros((n, n))
    for start, stop in _blocks(n):
        out[start:stop] = _score_rows(F, np.arange(start, stop))
    return out


def _peers_from_arrays(model, F, a, b, scores, ranks) -> list[Peer]:
    import numpy as np

    inc = model.incidence
    scores = np.array(scores, dtype=np.float64)
    expl = _explanations(F, a, b, sums=scores)
    pv = p_values(model, a, b).tolist()
    cities = inc.cities
    return [
        Peer(cities[i], cities[j], int(k), float(s), float(p), e)
        for i, j, s, k, p, e in zip(a.tolist(), b.tolist(), scores.tolist(), ranks.tolist(), pv, expl, strict=True)
    ]


def top_peers(model: Model, city: str, metric: str = DEFAULT_METRIC, top: int = 10) -> list[Peer]:
    """The ``top`` cities most similar to ``city`` (an id), nearest first; ties by display name.

    A city is never its own peer, and cities scoring 0 are not peers.

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> from tests.conftest import MINI
    >>> for p in top_peers(Model(load_dataset(MINI)), "city:jia", "cosine"):
    ...     print(p.rank, p.peer, round(p.score, 3), p.shared)
    1 city:bing 0.5 (('initiative:red-property', 0.5),)
    2 city:yi 0.5 (('initiative:cadres-to-communities', 0.5),)
    """
    F = _features(model, metric)
    i = _city_index(model, city)
    a, b, s, k = _top_pairs(F, _city_order(model), top, rows=[i])
    return _peers_from_arrays(model, F, a, b, s, k)


def all_top_peers(model: Model, metric: str = DEFAULT_METRIC, top: int = 10) -> dict[str, list[Peer]]:
    """Every city's ``top`` peers (city id -> list of :class:`Peer`), from one blocked matrix computation."""
    F = _features(model, metric)
    a, b, s, k = _top_pairs(F, _city_order(model), top)
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
    >>> from tests.conftest import MINI
    >>> explain(Model(load_dataset(MINI)), "city:jia", "city:yi", "resource-allocation")
    (('initiative:cadres-to-communities', 0.5),)
    """
    import numpy as np

    F = _features(model, metric)
    i, j = _city_index(model, a), _city_index(model, b)
    return _explanations(F, np.array([i]), np.array([j]))[0]


# ---------------------------------------------------------------------------------------------------------------
# tables for the command line


def _display(model, feature: str) -> str:
    return feature.split(":", 1)[1] if feature.startswith("term:") else model.name(feature)


def _evidence_lines(model, city: str, peer: str, shared) -> list[str]:
    """One line per shared initiative: its name, then each city's quotes."""
    inc = model.incidence
    lines = []
    for feature, _ in shared:
        if feature.startswith("term:"):
            continue
        parts = [model.name(feature)]
        for c in (city, peer):
            quotes = " / ".join(ev.quote for ev in inc.evidence.get((c, feature), ()))
            parts.append(f"{model.name(c)}: {quotes}")
        lines.append(" | ".join(parts))
    return lines


def _peer_rows(model, peers: list[Peer], metric: str) -> list[dict]:
    rows = []
    for p in peers:
        rows.append(
            {
                "city": model.name(p.city),
                "city_id": p.city,
                "rank": p.rank,
                "peer": model.name(p.peer),
                "peer_id": p.peer,
                "score": round(p.score, 6),
                "p_value": float(f"{p.p_value:.4g}"),
                "shared": [_display(model, f) for f, _ in p.shared],
                "shared_id": [f for f, _ in p.shared],
                "contribution": [round(v, 6) for _, v in p.shared],
                "evidence": _evidence_lines(model, p.city, p.peer, p.shared),
                "explained_by": [f"{_display(model, f)} {v:.3f}" for f, v in p.shared],
            }
        )
    return rows


_PEER_COLUMNS = ["city", "city_id", "rank", "peer", "peer_id", "score", "p_value", "shared", "shared_id",
                 "contribution", "evidence"]  # fmt: skip

_SNAPSHOT_NOTE = "One self-reported snapshot: similarity shows who is alike, not who learned from whom."


def _metric_note(metric: str) -> list[str]:
    if metric == "text":
        return ["text metric: `shared` lists the shared terms of the evidence quotes, not initiatives."]
    if metric == "simrank":
        return ["simrank is not a sum over shared initiatives: `contribution` apportions its score by rarity."]
    return []


def similar(model: Model, name: str, metric: str = DEFAULT_METRIC, top: int = 10) -> Table:
    """The ``similar`` command: the cities most like ``name``, each with the shared initiatives that explain it.

    Columns: city, rank, peer, score, p_value, shared (initiative names, largest contribution first),
    contribution (each one's part of the score) and evidence (each city's quote), plus the ids.
    """
    check_metric(metric)
    city = model.names.resolve(name, "city")
    peers = top_peers(model, city, metric=metric, top=top)
    notes = _metric_note(metric) + [_SNAPSHOT_NOTE]
    if not peers:
        notes.insert(0, f"{model.name(city)} shares nothing with any other city by {metric}: no peers.")
    return Table(
        list(_PEER_COLUMNS),
        _peer_rows(model, peers, metric),
        title=f"cities most like {model.name(city)} by {metric}",
        name="peers",
        notes=notes + ["Each city's quotes: --format json, or practice-graph shared CITY PEER."],
        display=["rank", "peer", "score", "p_value", "explained_by"],
    )


def rank(model: Model, metric: str = DEFAULT_METRIC, top: int = 3, pairs: bool = False) -> Table:
    """The ``rank`` command: every city's ``top`` peers; with ``pairs``, the dyad table sorted by ``metric``."""
    check_metric(metric)
    if pairs:
        table = dyads(model)
        if metric not in table.columns:
            S = similarity_matrix(model, metric)
            index = model.incidence.city_index
            for row in table.rows:
                row[metric] = round(float(S[index[row["city_a_id"]], index[row["city_b_id"]]]), 6)
            table.columns.insert(table.columns.index("p_value"), metric)
        table.rows.sort(key=lambda r: (-r[metric], r["city_a"], r["city_b"]))
        table.title = f"every pair of cities, by {metric}"
        return table
    by_city = all_top_peers(model, metric=metric, top=top)
    order = sorted(by_city, key=lambda c: (model.name(c), c))
    rows = [row for c in order for row in _peer_rows(model, by_city[c], metric)]
    return Table(
        list(_PEER_COLUMNS),
        rows,
        title=f"every city's {top} nearest peers by {metric}",
        name="ranking",
        notes=_metric_note(metric) + [_SNAPSHOT_NOTE],
        display=["city", "rank", "peer", "score", "p_value", "explained_by"],
    )


def dyads(model: Model) -> Table:
    """Every unordered pair of cities: shared count, each incidence metric, p-value, same province, distance.

    Columns: city_a, city_b (display names), city_a_id, city_b_id, shared, jaccard, cosine, idf-cosine,
    adamic-adar, resource-allocation, p_value, same_province (True/False, None when a province is unknown),
    distance_km (None without coordinates). Pairs in city id order.

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> from tests.conftest import MINI
    >>> t = dyads(Model(load_dataset(MINI)))
    >>> len(t.rows), t.rows[0]["city_a"], t.rows[0]["city_b"], t.rows[0]["shared"]
    (6, '丙川市', '丁原市', 1)
    """
    import numpy as np

    from .geo import pairwise_km

    inc, ds = model.incidence, model.dataset
    n = len(inc.cities)
    a, b = np.triu_indices(n, k=1)
    shared = _shared_counts(model, a, b)
    columns: dict[str, Any] = {}
    for metric in INCIDENCE_METRICS:
        F = _features(model, metric)
        values = np.empty(len(a))
        for start in range(0, len(a), 2**16):  # pairs a block at a time: bounded memory, few sparse calls
            stop = min(len(a), start + 2**16)
            P = _pair_terms(F, a[start:stop], b[start:stop])
            values[start:stop] = np.asarray(P.sum(axis=1)).ravel()
        columns[metric] = values
    pv = p_values(model, a, b)
    lat = np.array([ds.entities[c].lat if ds.entities[c].lat is not None else np.nan for c in inc.cities])
    lon = np.array([ds.entities[c].lon if ds.entities[c].lon is not None else np.nan for c in inc.cities])
    dist = pairwise_km(lat[a], lon[a], lat[b], lon[b])
    province = model.dataset.provinces
    names = [model.name(c) for c in inc.cities]
    rounded = {metric: np.round(columns[metric], 6).tolist() for metric in INCIDENCE_METRICS}
    shared_list, dist_list = shared.tolist(), np.round(dist, 1).tolist()
    rows = []
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        ci, cj = inc.cities[i], inc.cities[j]
        pi, pj = province.get(ci), province.get(cj)
        row = {"city_a": names[i], "city_b": names[j], "city_a_id": ci, "city_b_id": cj, "shared": shared_list[k]}
        for metric in INCIDENCE_METRICS:
            row[metric] = rounded[metric][k]
        row["p_value"] = float(f"{pv[k]:.4g}")
        row["same_province"] = None if pi is None or pj is None else pi == pj
        row["distance_km"] = None if math.isnan(dist_list[k]) else dist_list[k]
        rows.append(row)
    return Table(
        [
            "city_a",
            "city_b",
            "city_a_id",
            "city_b_id",
            "shared",
            *INCIDENCE_METRICS,
            "p_value",
            "same_province",
            "distance_km",
        ],  # fmt: skip
        rows,
        title="every pair of cities",
        name="dyads",
        notes=[_SNAPSHOT_NOTE],
    )
