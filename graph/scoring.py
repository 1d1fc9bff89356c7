"""The scoring engine: each metric's features, city x city scores a block of rows at a time, top-k selection,
and each pair's contributions.

Every metric but ``simrank`` is a matrix product over the city x initiative incidence ``C`` (or, for ``text``,
over the city x term TF-IDF matrix ``T``): ``score(a, b) = Σ_x X[a,x] w_x X[b,x] / D(a, b)``, a sum over the
features the two cities share. A metric is described by its :class:`Features` (``X``, ``w`` and the normaliser
``D``); :func:`score_rows` computes the scores of a block of cities against every city (the few most popular
initiatives as a dense product, the long tail as a sparse one), :func:`select_top` picks each row's top peers with
``argpartition``, and :func:`pair_terms` gives each pair's contributions, which sum to its score.

The features of a model are built once and kept on the :class:`~graph.model.Model` (:func:`features`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import InputError, RequestError, unknown
from .lang import say

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = [
    "METRICS",
    "DEFAULT_METRIC",
    "INCIDENCE_METRICS",
    "SIMRANK_MAX_NODES",
    "DECIMALS",
    "DENSE_MAX_CELLS",
    "Features",
    "check_metric",
    "features",
    "build_features",
    "incidence_features",
    "tfidf_features",
    "text_counts",
    "tokenize",
    "simrank_matrix",
    "split_columns",
    "name_order",
    "city_order",
    "initiative_order",
    "city_index",
    "products",
    "score_rows",
    "score_matrix",
    "blocks",
    "select_top",
    "top_pairs",
    "all_top_pairs",
    "pair_terms",
    "explanations",
]

METRICS = ("idf-cosine", "jaccard", "cosine", "adamic-adar", "resource-allocation", "simrank", "text")
DEFAULT_METRIC = "idf-cosine"
#: The metrics computed from the incidence alone (cheap for every pair: the dyad table carries them all).
INCIDENCE_METRICS = ("jaccard", "cosine", "idf-cosine", "adamic-adar", "resource-allocation")

#: ``simrank`` is refused above this many nodes (cities + initiatives): networkx's simrank_similarity builds dense
#: n x n matrices and a dict of n² entries; measured on a 2-core machine, 2,000 nodes take about 30 s.
SIMRANK_MAX_NODES = int(os.environ.get("PRACTICE_GRAPH_SIMRANK_MAX_NODES", "2000"))

#: Scores are compared after rounding to this many decimals, so that sums taken in different orders tie.
DECIMALS = 12

#: Up to this many cells (cities x initiatives) the incidence metrics use dense numpy products: as fast as
#: sparse ones at that size, and without importing scipy (half a second).
DENSE_MAX_CELLS = 2**20


# ---------------------------------------------------------------------------------------------------------------
# features: the matrix X, weights w and normaliser D of each metric


@dataclass
class Features:
    """What a metric multiplies: ``score(a, b) = Σ_x X[a,x] w[x] X[b,x] / D(a, b)``.

    ``norm`` names ``D``: ``"none"`` (1), ``"cosine"`` (``sqrt(q_a q_b)``) or ``"jaccard"``
    (``q_a + q_b - numerator``). ``labels`` are the feature ids (initiative ids, or ``"term:<word>"``) and
    ``order`` the rank of each feature's display name, for ties. ``dense`` holds the whole score matrix of a
    metric that is not a product (simrank).
    """

    metric: str
    X: Any  # scipy CSR float64, cities x features
    w: Any  # numpy float64, one weight per feature
    norm: str
    q: Any  # numpy float64, one per city (see norm)
    labels: list[str]
    order: Any  # numpy int64
    dense: Any = None
    parts: Any = None  # (Xh, XhT, Xl, XlT) of split_columns, built on first use
    inv_sqrt: Any = None  # 1 / sqrt(q), built on first use

    def inv_sqrt_q(self):
        """1 / sqrt(q), 0 where q is 0."""
        import numpy as np

        if self.inv_sqrt is None:
            root = np.sqrt(self.q)
            self.inv_sqrt = np.divide(1.0, root, out=np.zeros_like(root), where=root > 0)
        return self.inv_sqrt

    def split(self):
        """Heavy (dense) and light (sparse) parts of X, chosen to minimise the product's cost."""
        if self.parts is None:
            self.parts = split_columns(self.X, self.w)
        return self.parts


def split_columns(X, w, dense_flop_ratio: float = 150.0, max_dense_bytes: int = 256 * 2**20):
    """Split the columns of X into the most popular ones (a dense product) and the rest (a sparse one).

    A sparse product costs about Σ nnz_j² operations over its columns; a dense one n_rows² per column but each
    operation ``dense_flop_ratio`` times cheaper. Take the number of dense columns that minimises the sum.

    Returns
    -------
    tuple
        ``(Xh, XhT, Xl, XlT)``: the heavy columns dense (cities x heavy) and transposed with their weights (or
        ``None`` twice when there are none), the light columns as CSR and transposed with their weights.
    """
    import numpy as np

    Xc = X.tocsc()
    nnz = np.diff(Xc.indptr).astype(np.float64)
    heavy, light = heavy_columns(nnz, X.shape[0], dense_flop_ratio, max_dense_bytes)
    return split_parts(Xc, w, heavy, light)


def heavy_columns(nnz, n: int, dense_flop_ratio: float = 150.0, max_dense_bytes: int = 256 * 2**20):
    """The heavy and the light columns (sorted index arrays) that :func:`split_columns` chooses for columns holding
    ``nnz`` (float64) entries each, over ``n`` rows."""
    import numpy as np

    order = np.argsort(-nnz, kind="stable")
    sq = nnz[order] ** 2
    tail = np.concatenate([np.cumsum(sq[::-1])[::-1], [0.0]])  # tail[h] = Σ_{j >= h} nnz²
    h = np.arange(len(tail), dtype=np.float64)
    cost = tail + h * n * n / dense_flop_ratio
    limit = max(0, min(len(order), max_dense_bytes // max(1, 8 * n)))
    best = int(np.argmin(cost[: limit + 1]))
    return np.sort(order[:best]), np.sort(order[best:])


def split_parts(Xc, w, heavy, light):
    """The ``(Xh, XhT, Xl, XlT)`` of :func:`split_columns` for the CSC matrix ``Xc`` split at ``heavy``/``light``."""
    Xh = Xc[:, heavy].toarray() if len(heavy) else None  # dense, cities x heavy columns
    XhT = (Xc[:, heavy].toarray().T * w[heavy][:, None]).copy() if len(heavy) else None
    Xl = Xc[:, light].tocsr()
    XlT = (Xc[:, light] @ _diag(w[light])).T.tocsr()
    return Xh, XhT, Xl, XlT


def _diag(values):
    import scipy.sparse as sp

    return sp.diags(values, format="csr")


def incidence_features(C, metric: str, labels: list[str], order) -> Features:
    """The features of an incidence metric over a 0/1 city x initiative matrix ``C``: a scipy sparse matrix, or a
    dense numpy array (small data: the products are then dense numpy ones, and scipy is not imported)."""
    import numpy as np

    if isinstance(C, np.ndarray):
        X = (C != 0).astype(np.float64)
        rows, cols = np.nonzero(X)
    else:
        X = C.astype(np.float64).tocsr()
        X.sum_duplicates()
        X.data[:] = 1.0
        X.eliminate_zeros()
        X.sort_indices()
        rows, cols = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr)), X.indices
    df = np.bincount(cols, minlength=X.shape[1]).astype(np.float64)
    w, norm, q = metric_weights(metric, df, rows, cols, X.shape[0])
    return Features(metric, X, w, norm, q, labels, order)


def metric_weights(metric: str, df, rows, cols, n: int):
    """``(w, norm, q)`` of an incidence metric (see :class:`Features`) for a 0/1 matrix of ``n`` rows whose
    entries are at ``rows``, ``cols`` (row-major, each row's columns ascending) and whose columns hold ``df``."""
    import numpy as np

    deg = np.bincount(rows, minlength=n).astype(np.float64)
    norm = "none"
    with np.errstate(divide="ignore"):
        if metric == "jaccard":
            w, norm, q = np.ones(len(df)), "jaccard", deg
        elif metric == "cosine":
            w, norm, q = np.ones(len(df)), "cosine", deg
        elif metric == "idf-cosine":
            idf = np.where(df > 0, np.log((n + 1) / np.maximum(df, 1)), 0.0)
            w = idf**2
            norm, q = "cosine", np.bincount(rows, weights=w[cols], minlength=n)  # summed in column order
        elif metric == "adamic-adar":
            w = np.where(df >= 2, 1.0 / np.log(np.maximum(df, 2)), 0.0)
            q = deg
        elif metric == "resource-allocation":
            w = np.where(df >= 1, 1.0 / np.maximum(df, 1), 0.0)
            q = deg
        else:  # pragma: no cover - guarded by check_metric
            raise ValueError(metric)
    return np.asarray(w, dtype=np.float64), norm, np.asarray(q, dtype=np.float64)


def check_metric(metric: str) -> str:
    """Return ``metric`` if it is one of :data:`METRICS`, else raise a :class:`~graph.errors.RequestError`.

    >>> check_metric("jaccard")
    'jaccard'
    """
    if metric not in METRICS:
        raise RequestError(unknown("metric", metric, METRICS))
    return metric


def name_order(names: list[str], ids: list[str]):
    """The rank of each item when sorted by (display name, id): a numpy int64 array, for breaking ties.

    >>> name_order(["b", "a", "b"], ["y", "x", "x"]).tolist()
    [2, 0, 1]
    """
    import numpy as np

    ranked = sorted(range(len(ids)), key=lambda i: (names[i], ids[i]))
    order = np.empty(len(ids), dtype=np.int64)
    order[ranked] = np.arange(len(ids))
    return order


def city_order(model: Model):
    """The rank of each city (incidence row) by display name, kept on the model."""

    def build():
        inc = model.incidence
        return name_order([model.name(c) for c in inc.cities], inc.cities)

    return model.derived("city_order", build)


def initiative_order(model: Model):
    """The rank of each initiative (incidence column) by display name, kept on the model."""

    def build():
        inc = model.incidence
        return name_order([model.name(x) for x in inc.initiatives], inc.initiatives)

    return model.derived("initiative_order", build)


def features(model: Model, metric: str) -> Features:
    """The :class:`Features` of ``metric`` for ``model``, built once and kept on the model.

    Raises
    ------
    RequestError
        An unknown metric.
    InputError
        ``simrank`` on a graph above :data:`SIMRANK_MAX_NODES` nodes.
    """
    check_metric(metric)
    return model.derived(("features", metric), lambda: build_features(model, metric))


def build_features(model: Model, metric: str) -> Features:
    """The :class:`Features` of ``metric`` computed afresh (:func:`features` keeps them on the model)."""
    inc = model.incidence
    if metric in INCIDENCE_METRICS:
        small = len(inc.cities) * len(inc.initiatives) <= DENSE_MAX_CELLS
        C = inc.dense() if small else inc.matrix
        return incidence_features(C, metric, list(inc.initiatives), initiative_order(model))
    if metric == "text":
        vocab, counts, _ = text_counts(model)
        return tfidf_features(vocab, counts)
    if metric == "simrank":
        base = features(model, "resource-allocation")
        dense = simrank_matrix(inc.matrix, inc.cities, inc.initiatives)
        return Features("simrank", base.X, base.w, "none", base.q, base.labels, base.order, dense=dense)
    raise RequestError(unknown("metric", metric, METRICS))


def city_index(model: Model, city: str) -> int:
    """The incidence row of ``city``: an id, or a name or alias resolved by the model's name index.

    Raises
    ------
    UnknownNameError
        No city goes by that name.
    """
    inc = model.incidence
    if city in inc.city_index:
        return inc.city_index[city]
    return inc.city_index[model.names.resolve(city, "city")]


# ---------------------------------------------------------------------------------------------------------------
# text: TF-IDF over jieba tokens of each city's evidence quotes


def tokenize(text: str, jieba_module) -> list[str]:
    """The words of ``text`` for TF-IDF: jieba tokens of two characters or more that contain a letter or digit.

    ``jieba_module`` is anything with jieba's ``cut``: the module, or a ``jieba.Tokenizer`` (as
    :func:`graph.textutil.jieba_for` gives, with the dataset's names added as words).

    Examples
    --------
    >>> import jieba, logging; jieba.setLogLevel(logging.WARNING)
    >>> tokenizer = jieba.Tokenizer()  # a dictionary of its own: jieba's global one stays as it is
    >>> tokenizer.add_word("红色物业")  # as the dataset's names are added
    >>> tokenize("推行红色物业, 天气很好。", tokenizer)
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


def text_counts(model: Model):
    """Term counts of each city's evidence quotes, kept on the model.

    Returns
    -------
    tuple
        ``(vocabulary, counts, by_link)``: the sorted terms, a city x term CSR matrix of counts, and
        ``{(city, initiative): {term column: count}}`` of the quotes linking each city to each initiative.
    """
    return model.derived("text_counts", lambda: _build_text_counts(model))


def _build_text_counts(model):
    import numpy as np
    import scipy.sparse as sp

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

    by_city: dict[str, list[list[str]]] = {}  # each city's word lists, in the order of per_quote
    for (c, _tag), wl in per_quote.items():
        by_city.setdefault(c, []).extend(wl)
    rows, cols, vals = [], [], []
    for i, city in enumerate(inc.cities):
        for j, v in row_counts(by_city.get(city, [])).items():
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
    return vocab, counts, by_link


def tfidf_features(vocab: list[str], counts) -> Features:
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
    return Features("text", X, w, "cosine", q, labels, np.arange(len(vocab), dtype=np.int64))


# ---------------------------------------------------------------------------------------------------------------
# simrank: networkx on the bipartite city-initiative graph


def _check_simrank_size(n_cities: int, n_initiatives: int) -> None:
    nodes = n_cities + n_initiatives
    if nodes > SIMRANK_MAX_NODES:
        raise InputError(
            say(
                "simrank refused: {nodes:,} nodes ({cities:,} cities + {initiatives:,} initiatives) exceed the "
                "limit of {most:,}; networkx's simrank builds dense node x node matrices and would take "
                "more than about 30 s here; use idf-cosine or adamic-adar instead",
                nodes=nodes,
                cities=n_cities,
                initiatives=n_initiatives,
                most=SIMRANK_MAX_NODES,
            )
        )


def simrank_matrix(C, cities: list[str], initiatives: list[str]):
    """City x city SimRank (networkx simrank_similarity, importance 0.9) on the bipartite graph of ``C``.

    Raises
    ------
    InputError
        More than :data:`SIMRANK_MAX_NODES` cities and initiatives together.
    """
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


# ---------------------------------------------------------------------------------------------------------------
# scores, a block of rows at a time


def _denominators(F: Features, rows, cols, num):
    """D(a, b) broadcast over ``rows`` (column vector) and ``cols`` (row vector) for numerators ``num``."""
    import numpy as np

    if F.norm == "cosine":
        return np.sqrt(F.q[rows] * F.q[cols])
    if F.norm == "jaccard":
        return F.q[rows] + F.q[cols] - num
    return None


def products(F: Features, rows):
    """The numerators ``Σ_x X[a,x] w[x] X[b,x]`` of the cities ``rows`` (an int array, or a slice) against every
    city: a new dense float64 array. For an incidence metric with weights 1 they are the shared counts."""
    import numpy as np

    pick = rows if isinstance(rows, slice) else np.asarray(rows)
    if isinstance(F.X, np.ndarray):
        return (F.X[pick] * F.w) @ F.X.T
    Xh, XhT, Xl, XlT = F.split()
    num = (Xl[pick] @ XlT).toarray()
    if Xh is not None:
        num += Xh[pick] @ XhT
    return num


def score_rows(F: Features, rows, num=None):
    """Dense scores of the cities ``rows`` (an int array, or a slice for a contiguous block) against every city.

    Returns a new float64 array of ``len(rows)`` x number of cities, the diagonal included. ``num`` (optional,
    overwritten) holds the :func:`products` of these rows when they are already computed.
    """
    import numpy as np

    if F.dense is not None:
        return F.dense[rows].copy()
    if num is None:
        num = products(F, rows)
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


def blocks(n: int, entries: int = 2**22):
    """``(start, stop)`` of consecutive row blocks of an ``n`` x ``n`` matrix, about ``entries`` cells each.

    >>> list(blocks(5, entries=10))
    [(0, 2), (2, 4), (4, 5)]
    """
    step = max(1, min(n, entries // max(1, n)))
    for start in range(0, n, step):
        yield start, min(n, start + step)


def score_matrix(F: Features):
    """The whole city x city score matrix of ``F`` (dense numpy), computed a block of rows at a time."""
    import numpy as np

    n = F.X.shape[0]
    out = np.zeros((n, n))
    for start, stop in blocks(n):
        out[start:stop] = score_rows(F, np.arange(start, stop))
    return out


def select_top(scores, rows, top: int, name_rank):
    """Each row's ``top`` peers by score desc then name: arrays (row position, peer, score, rank), in rank order.

    ``scores`` (non-negative, overwritten) holds the rows ``rows``; the row's own city and scores of 0 are never
    peers. Only the entries at or above each row's ``top``-th largest score are sorted, so ties at the cut are kept
    whole and broken by name.

    >>> import numpy as np
    >>> r, c, v, k = select_top(np.array([[1.0, 0.5, 0.5, 0.2]]), [0], 1, np.array([0, 2, 1, 3]))
    >>> r.tolist(), c.tolist(), v.tolist(), k.tolist()
    ([0], [2], [0.5], [1])
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
    order = np.lexsort((name_rank[c], -np.round(vals, DECIMALS), r))
    r, c, vals = r[order], c[order], vals[order]
    first = np.searchsorted(r, np.arange(b))
    pos = np.arange(len(r)) - first[r]
    keep = pos < top
    return r[keep], c[keep], vals[keep], pos[keep] + 1


def top_pairs(F: Features, name_rank, top: int, rows=None):
    """Arrays (city, peer, score, rank) of the top peers of ``rows`` (default every city), city-major."""
    import numpy as np

    n = F.X.shape[0]
    if rows is None:
        rows = np.arange(n)
    rows = np.asarray(rows, dtype=np.int64)
    parts = []
    for start, stop in blocks(n):
        if start >= len(rows):
            break
        block = rows[start:stop]
        contiguous = len(block) and block[-1] - block[0] == len(block) - 1 and (np.diff(block) == 1).all()
        scores = score_rows(F, slice(int(block[0]), int(block[-1]) + 1) if contiguous else block)
        r, c, v, k = select_top(scores, block, top, name_rank)
        parts.append((block[r], c, v, k))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), empty
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


# ---------------------------------------------------------------------------------------------------------------
# each pair's contributions


def all_top_pairs(model: Model, metric: str, top: int):
    """:func:`top_pairs` of every city (arrays city, peer, score, rank, read-only), computed once per model, metric
    and ``top``: a view's peers and recommendations, and a city view's peers, read the same."""

    def build():
        arrays = top_pairs(features(model, metric), city_order(model), top)
        for array in arrays:
            array.flags.writeable = False
        return arrays

    return model.derived(("top_pairs", metric, top), build)


def pair_terms(F: Features, a, b):
    """Each pair's contributions, summing to its score, as CSR arrays ``(indptr, indices, data)`` over pairs x
    features: row ``k`` is the pair ``(a[k], b[k])``, its features ascending."""
    import numpy as np

    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if isinstance(F.X, np.ndarray):
        parts = []
        step = max(1, 2**20 // max(1, F.X.shape[1]))
        for start in range(0, len(a), step):
            P = F.X[a[start : start + step]] * F.X[b[start : start + step]]
            r, c = np.nonzero(P)
            parts.append((r + start, c))
        r = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        indices = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        data = F.w[indices].astype(np.float64)
    else:
        P = F.X[a].multiply(F.X[b]).tocsr()
        P.sort_indices()
        r, indices = np.repeat(np.arange(len(a)), np.diff(P.indptr)), P.indices
        data = P.data * F.w[indices]
    keep = data != 0
    r, indices, data = r[keep], indices[keep], data[keep]
    counts = np.bincount(r, minlength=len(a))
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    num = np.bincount(r, weights=data, minlength=len(a))
    if F.dense is not None:  # simrank: apportion the score over the shared initiatives
        scale = np.where(num > 0, F.dense[a, b] / np.where(num > 0, num, 1.0), 0.0)
    else:
        den = _denominators(F, a, b, num)
        scale = np.ones_like(num) if den is None else np.where(den > 0, 1.0 / np.where(den > 0, den, 1.0), 0.0)
    return indptr, indices, data * np.repeat(scale, counts)


def explanations(F: Features, a, b, sums=None) -> list[tuple[tuple[str, float], ...]]:
    """Each pair's ``(feature id, contribution)`` tuples, largest first (ties by display name).

    ``sums`` (an array, optional) receives each pair's score as the sum of its contributions, the same whichever
    block the pair was computed in.
    """
    import numpy as np

    indptr, indices, data = pair_terms(F, a, b)
    counts = np.diff(indptr)
    row = np.repeat(np.arange(len(counts)), counts)
    order = np.lexsort((F.order[indices], -np.round(data, DECIMALS), row))
    idx, vals = indices[order].tolist(), data[order].tolist()
    labels = F.labels
    if sums is not None:
        sums[:] = np.bincount(row, weights=data, minlength=len(counts)) if F.dense is None else F.dense[a, b]
    out, start = [], 0
    for k in counts.tolist():
        out.append(tuple((labels[j], v) for j, v in zip(idx[start : start + k], vals[start : start + k], strict=True)))
        start += k
    return out
