"""How surprising an overlap is: hypergeometric p-values of the initiatives two cities share.

``P(X >= |A∩B|)`` with ``X ~ Hypergeom(M, |A|, |B|)``, ``M`` the number of initiatives: the chance that two
cities picking ``|A|`` and ``|B|`` initiatives at random share this many or more (the "fixed row" backbone model).
Computed with a table of log-factorials, so that scipy.stats (a second to import) is not needed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .scoring import features

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = ["hypergeom_sf", "log_factorials", "shared_counts", "p_values"]


def log_factorials(n: int):
    """``ln k!`` for ``k = 0 .. n`` as a numpy float64 array.

    >>> [round(float(v), 6) for v in log_factorials(4)]
    [0.0, 0.0, 0.693147, 1.791759, 3.178054]
    """
    import numpy as np

    return np.array([math.lgamma(k + 1.0) for k in range(n + 1)])


def hypergeom_sf(k, M: int, n, N, log_fact=None):
    """P(X > k) for X ~ Hypergeom(M, n, N), vectorised over ``k``, ``n`` and ``N``.

    The same quantity as ``scipy.stats.hypergeom.sf(k, M, n, N)`` (M objects, n of them marked, N drawn).
    ``log_fact`` is a table of :func:`log_factorials` of at least ``M``, to reuse over calls.

    Examples
    --------
    >>> [round(float(p), 6) for p in hypergeom_sf([0, 1, -1], 4, [2, 2, 2], [2, 2, 2])]
    [0.833333, 0.166667, 1.0]
    """
    import numpy as np

    k = np.atleast_1d(np.asarray(k, dtype=np.int64))
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), k.shape)
    N = np.broadcast_to(np.asarray(N, dtype=np.int64), k.shape)
    lf = log_fact if log_fact is not None and len(log_fact) > M else log_factorials(max(int(M), 1023))
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


def shared_counts(model: Model, a, b):
    """The number of initiatives each city pair ``(a[k], b[k])`` (incidence rows) shares, as int64."""
    import numpy as np

    C = features(model, "jaccard").X
    if isinstance(C, np.ndarray):
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        step = max(1, 2**20 // max(1, C.shape[1]))
        out = [np.einsum("ij,ij->i", C[a[k : k + step]], C[b[k : k + step]]) for k in range(0, len(a), step)]
        return np.rint(np.concatenate(out) if out else np.zeros(0)).astype(np.int64)
    return np.asarray(C[a].multiply(C[b]).sum(axis=1)).ravel().astype(np.int64)


def p_values(model: Model, a, b, shared=None):
    """Hypergeometric p-values of the initiative overlaps of the city pairs (index arrays ``a``, ``b``).

    ``P(X >= |A∩B|)``, ``X ~ Hypergeom(M = number of initiatives, |A|, |B|)``: how surprising an overlap this
    large would be if each city had picked its initiatives at random. ``shared`` (optional) gives the overlaps
    when they are already counted.
    """
    import numpy as np

    F = features(model, "jaccard")
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if shared is None:
        shared = shared_counts(model, a, b)
    deg = F.q.astype(np.int64)
    M = F.X.shape[1]
    table = model.derived("log_factorials", lambda: log_factorials(max(M, 1023)))
    # a p-value depends on (overlap, |A|, |B|) alone: compute each distinct triple once
    top = int(deg.max(initial=0)) + 1
    key = (np.asarray(shared, dtype=np.int64) * top + deg[a]) * top + deg[b]
    distinct, inverse = np.unique(key, return_inverse=True)
    k, rest = np.divmod(distinct, top * top)
    n, N = np.divmod(rest, top)
    return hypergeom_sf(k - 1, M, n, N, log_fact=table)[inverse.reshape(-1)]
