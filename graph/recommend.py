"""What a city could learn, and from whom: user-based collaborative filtering over its nearest peers, and a
leave-one-out evaluation of it against the popularity baseline.

The score of an initiative ``x`` the city ``a`` lacks is the similarity-weighted share of its ``k`` nearest peers
that adopt it: ``Σ_{p in kNN(a), x in p} sim(a, p) / Σ_{p in kNN(a)} sim(a, p)``. Each recommendation names the
peers that have it, nearest first, with their quotes. One self-reported snapshot supports "who could learn what",
not "who learned from whom".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError, RequestError
from .lang import listing, say
from .scoring import (
    DECIMALS,
    DEFAULT_METRIC,
    DENSE_MAX_CELLS,
    INCIDENCE_METRICS,
    Features,
    all_top_pairs,
    check_metric,
    city_index,
    city_order,
    features,
    heavy_columns,
    incidence_features,
    initiative_order,
    metric_weights,
    score_rows,
    select_top,
    simrank_matrix,
    split_parts,
    text_counts,
    tfidf_features,
    top_pairs,
)
from .table import Table

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = ["Recommendation", "recommendations", "all_recommendations", "recommend", "evaluate", "POPULARITY"]

#: The name of the baseline in :func:`evaluate`: rank the initiatives a city lacks by how many cities adopt them.
POPULARITY = "popularity"


@dataclass(frozen=True)
class Recommendation:
    """An initiative ``city`` lacks, with its score and the ids of the peers that have it, nearest first."""

    city: str
    initiative: str
    rank: int
    score: float
    peers: tuple[str, ...]


#: The most bootstrap resamples ``evaluate`` draws (more change no interval at the precision shown).
MAX_BOOTSTRAP = 100_000
#: Resampled values held in memory at once while bootstrapping (about 100 MB).
_BOOTSTRAP_BLOCK = 4_000_000


def _check_counts(**counts: int) -> None:
    for name, value in counts.items():
        if value < 1:
            raise RequestError(say("{name} must be at least 1, not {value}", name=name, value=value))


def _bootstrap_means(results: dict, base, metrics: list[str], bootstrap: int, seed: int):
    """Bootstrap means of each method's scores (resamples x 3) and of each metric's MRR gain over ``base``.

    The resamples are drawn in blocks of at most ``_BOOTSTRAP_BLOCK`` values, so memory stays bounded whatever
    ``bootstrap`` is; every method sees the same resamples.
    """
    import numpy as np

    n = len(base)
    rng = np.random.default_rng(seed)
    block = max(1, min(bootstrap, _BOOTSTRAP_BLOCK // n))
    boots: dict[str, list] = {m: [] for m in results}
    diffs: dict[str, list] = {m: [] for m in metrics}
    gains = {m: results[m][:, 1] - base for m in metrics}
    done = 0
    while done < bootstrap:
        size = min(block, bootstrap - done)
        resample = rng.integers(0, n, size=(size, n))
        for method, values in results.items():
            boots[method].append(values[resample].mean(axis=1))
        for metric in metrics:
            diffs[metric].append(gains[metric][resample].mean(axis=1))
        done += size
    return {m: np.concatenate(v) for m, v in boots.items()}, {m: np.concatenate(v) for m, v in diffs.items()}


def _neighbours(F: Features, row: int, peers: int, name_rank):
    """The ``peers`` nearest cities of ``row``: (indices, similarities), nearest first."""
    import numpy as np

    r, c, v, _ = select_top(score_rows(F, np.array([row])), np.array([row]), peers, name_rank)
    return c, v


def _cf_scores(C, own, neighbours, sims):
    """Similarity-weighted share of the neighbours adopting each initiative; 0 for what the city has."""
    import numpy as np

    total = float(np.sum(sims))
    scores = np.zeros(C.shape[1])
    if len(neighbours) and total > 0:
        scores = np.asarray(C[neighbours].T @ sims).ravel() / total
    scores[own] = 0.0
    return scores


def _cf_scores_rows(C, own, neighbours, sims):
    """:func:`_cf_scores` of a CSR matrix without scipy's product, the same sums in the same order: each
    neighbour's row in turn, added one term at a time (``np.bincount`` adds its weights in order)."""
    import numpy as np

    total = float(np.sum(sims))
    if not (len(neighbours) and total > 0):
        scores = np.zeros(C.shape[1])
    else:
        starts, stops = C.indptr[neighbours], C.indptr[neighbours + 1]
        take = np.concatenate([np.arange(a, b) for a, b in zip(starts.tolist(), stops.tolist(), strict=True)])
        weights = C.data[take] * np.repeat(sims, stops - starts)
        scores = np.bincount(C.indices[take], weights=weights, minlength=C.shape[1]).astype(np.float64) / total
    scores[own] = 0.0
    return scores


def all_recommendations(
    model: Model, top: int = 10, peers: int = 5, metric: str = DEFAULT_METRIC, cities=None
) -> dict[str, list[Recommendation]]:
    """:func:`recommendations` for many cities at once (``cities``: ids or names; default every city), from one
    top-k selection and one sparse product: what a view or a report of thousands of cities needs.

    Raises
    ------
    RequestError
        An unknown metric, or ``top`` or ``peers`` below 1.

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> recs = all_recommendations(Model(load_dataset(MINI)), top=1, metric="jaccard")
    >>> [(c, [r.initiative for r in rs]) for c, rs in sorted(recs.items())][:2]
    [('city:bing', ['initiative:cadres-to-communities']), ('city:ding', ['initiative:cadres-to-communities'])]
    """
    import numpy as np

    _check_counts(top=top, peers=peers)
    F = features(model, metric)
    inc = model.incidence
    rows = np.arange(len(inc.cities)) if cities is None else np.array([city_index(model, c) for c in cities])
    if len(rows) == 0:
        return {}
    if len(rows) == len(inc.cities) and (rows == np.arange(len(rows))).all():  # every city, in order
        a, b, sims, _ = all_top_pairs(model, metric, peers)  # city-major, nearest first
    else:
        a, b, sims, _ = top_pairs(F, city_order(model), peers, rows)
    if len(inc.cities) * len(inc.initiatives) <= DENSE_MAX_CELLS:
        peer_sums = _peer_sums_dense(inc, rows, a, b, sims)
    else:
        peer_sums = _peer_sums_sparse(inc, rows, a, b, sims)
    name_order = initiative_order(model)
    starts = np.searchsorted(a, rows)
    stops = np.searchsorted(a, rows, side="right")
    out: dict[str, list[Recommendation]] = {}
    for k, (i, (cols, sums, total)) in enumerate(zip(rows.tolist(), peer_sums, strict=True)):
        scores = sums / (total if total > 0 else 1.0)
        keep = scores > 0
        cols, scores = cols[keep], scores[keep]
        order = np.lexsort((name_order[cols], -np.round(scores, DECIMALS)))[:top]
        neighbours = b[starts[k] : stops[k]].tolist()
        having = {p: set(inc.indices[inc.indptr[p] : inc.indptr[p + 1]].tolist()) for p in neighbours}
        out[inc.cities[i]] = [
            Recommendation(
                inc.cities[i],
                inc.initiatives[j],
                rank_,
                float(score),
                tuple(inc.cities[p] for p in neighbours if j in having[p]),
            )
            for rank_, (j, score) in enumerate(zip(cols[order].tolist(), scores[order].tolist(), strict=True), 1)
        ]
    return out


def _peer_sums_sparse(inc, rows, a, b, sims):
    """For each city of ``rows``: (initiatives it lacks that its peers have, ascending; the summed similarity of
    the peers having each; the summed similarity of all its peers), from the pairs ``(a, b, sims)`` of
    :func:`~graph.scoring.top_pairs`, as scipy sparse products."""
    import numpy as np
    import scipy.sparse as sp

    C = inc.matrix
    position = np.full(len(inc.cities), -1)
    position[rows] = np.arange(len(rows))
    W = sp.csr_matrix((sims, (position[a], b)), shape=(len(rows), len(inc.cities)))
    totals = np.asarray(W.sum(axis=1)).ravel()
    S = (W @ C.astype(np.float64)).tocsr()  # rows x initiatives: similarity of the neighbours having each
    S = S - S.multiply(C[rows] > 0)  # what the city has is not a recommendation
    S.eliminate_zeros()
    S.sort_indices()
    for k in range(len(rows)):
        span = slice(S.indptr[k], S.indptr[k + 1])
        yield S.indices[span], S.data[span], totals[k]


def _peer_sums_dense(inc, rows, a, b, sims):
    """What :func:`_peer_sums_sparse` gives, equal to the last bit, with numpy alone (small data: scipy is not
    imported). The sums are taken in the order scipy takes them: the peers by ascending row, each similarity
    added to an accumulator that starts at 0, and the totals by ``np.add.reduceat`` over the same order (as scipy's
    row sums; ``np.add.reduce`` can differ in the last bit)."""
    import numpy as np

    m = len(inc.initiatives)
    starts = np.searchsorted(a, rows)
    stops = np.searchsorted(a, rows, side="right")
    for k, i in enumerate(rows.tolist()):
        peers, weights = b[starts[k] : stops[k]], sims[starts[k] : stops[k]]
        order = np.argsort(peers, kind="stable")
        peers, weights = peers[order], weights[order]
        acc = np.zeros(m)
        for p, w in zip(peers.tolist(), weights.tolist(), strict=True):
            acc[inc.indices[inc.indptr[p] : inc.indptr[p + 1]]] += w
        acc[inc.indices[inc.indptr[i] : inc.indptr[i + 1]]] = 0.0
        cols = np.flatnonzero(acc)
        yield cols, acc[cols], np.add.reduceat(weights, [0])[0] if len(weights) else 0.0


def recommendations(
    model: Model, city: str, top: int = 10, peers: int = 5, metric: str = DEFAULT_METRIC
) -> list[Recommendation]:
    """The ``top`` initiatives ``city`` (an id, or a name) lacks that its ``peers`` nearest cities have, best first.

    Ties are broken by the initiative's display name. Initiatives no peer has are not recommended.

    Examples
    --------
    >>> from graph.dataset import load_dataset
    >>> from graph.model import Model
    >>> for r in recommendations(Model(load_dataset(MINI)), "city:jia", metric="jaccard"):
    ...     print(r.rank, r.initiative, round(r.score, 3), r.peers)
    1 initiative:political-assessment 0.5 ('city:bing',)
    2 initiative:volunteering 0.5 ('city:yi',)
    """
    city = model.incidence.cities[city_index(model, city)]
    return all_recommendations(model, top=top, peers=peers, metric=metric, cities=[city])[city]


def recommend(model: Model, name: str, top: int = 10, peers: int = 5, metric: str = DEFAULT_METRIC) -> Table:
    """The ``recommend`` command: what the city ``name`` could learn, each with the peers to learn it from and
    their quotes.

    Raises
    ------
    RequestError
        An unknown metric, ``top`` or ``peers`` below 1, or ``name`` is no city (the name lookup errors are
        RequestErrors).
    InputError
        ``simrank`` on a graph too large for it.
    """
    check_metric(metric)
    city = model.names.resolve(name, "city")
    recs = recommendations(model, city, top=top, peers=peers, metric=metric)
    inc = model.incidence
    rows = []
    for r in recs:
        evidence = [f"{model.name(p)}: {ev.quote}" for p in r.peers for ev in inc.evidence.get((p, r.initiative), ())]
        rows.append(
            {
                "city": model.name(city),
                "city_id": city,
                "rank": r.rank,
                "initiative": model.name(r.initiative),
                "initiative_id": r.initiative,
                "score": round(r.score, 6),
                "learn_from": [model.name(p) for p in r.peers],
                "learn_from_id": list(r.peers),
                "evidence": evidence,
            }
        )
    F = features(model, metric)
    neighbours, _ = _neighbours(F, inc.city_index[city], peers, city_order(model))
    notes = [
        say(
            "peers by {metric}: {peers}",
            metric=metric,
            peers=listing([model.name(inc.cities[p]) for p in neighbours.tolist()], "、") or say("none"),
        ),
        say("One self-reported snapshot: this shows who could learn what, not who learned from whom."),
    ]
    if not rows:
        notes.insert(0, say("{city}: no initiative its nearest peers have that it lacks.", city=model.name(city)))
    from .stability import annotate_recommendations as annotate_stability

    table = annotate_stability(
        model,
        Table(
            [
                "city",
                "city_id",
                "rank",
                "initiative",
                "initiative_id",
                "score",
                "learn_from",
                "learn_from_id",
                "evidence",
            ],  # fmt: skip
            rows,
            title=say(
                "what {city} could learn from its {peers} nearest peers by {metric}",
                city=model.name(city),
                peers=peers,
                metric=metric,
            ),
            name="recommendations",
            notes=notes,
            display=["rank", "initiative", "score", "learn_from", "evidence"],
        ),
        recs,
        metric,
        peers,
    )
    if not model.may_be_dated():  # one date: no first reporters to tell
        return table
    from .diffusion import annotate_recommendations

    return annotate_recommendations(model, table)


# ---------------------------------------------------------------------------------------------------------------
# leave-one-out evaluation


def _expected_ranking_scores(scores, candidates, target: int, k: int):
    """hit@k, reciprocal rank and NDCG@k of ``target`` among ``candidates``, averaged over every order of ties."""
    import numpy as np

    s = np.round(scores[candidates], DECIMALS)
    mine = round(float(scores[target]), DECIMALS)
    greater = int(np.sum(s > mine))
    ties = int(np.sum(s == mine))
    positions = np.arange(greater + 1, greater + ties + 1, dtype=np.float64)
    hit = float(np.mean(positions <= k))
    rr = float(np.mean(1.0 / positions))
    ndcg = float(np.mean(np.where(positions <= k, 1.0 / np.log2(positions + 1.0), 0.0)))
    return hit, rr, ndcg


def _without(C, i: int, j: int):
    C2 = C.tolil(copy=True)
    C2[i, j] = 0
    C2 = C2.tocsr()
    C2.eliminate_zeros()
    return C2


def _loo_features(model, metric: str, C2, i: int, j: int, labels, order, text):
    if metric in INCIDENCE_METRICS:
        return incidence_features(C2, metric, labels, order)
    if metric == "text":
        import numpy as np
        import scipy.sparse as sp

        vocab, counts, by_link = text
        hidden = by_link.get((model.incidence.cities[i], model.incidence.initiatives[j]), {})
        if hidden:
            cols = np.fromiter(hidden.keys(), dtype=np.int64)
            vals = np.fromiter(hidden.values(), dtype=np.float64)
            delta = sp.csr_matrix((vals, (np.full(len(cols), i), cols)), shape=counts.shape)
            counts = (counts - delta).tocsr()
            counts.data = np.maximum(counts.data, 0.0)
        return tfidf_features(vocab, counts)
    base = incidence_features(C2, "resource-allocation", labels, order)
    inc = model.incidence
    dense = simrank_matrix(C2, inc.cities, inc.initiatives)
    return Features("simrank", base.X, base.w, "none", base.q, labels, order, dense=dense)


class _HeldOut:
    """The scores of a city against every other with one of its links hidden, for the incidence metrics, without
    building every feature again for each link.

    Hiding the link (i, j) changes row i, the weight of column j (its df falls by one) and so the norms of the rows
    holding j; row i's products with the other rows never touch column j (row i no longer has it) nor row i. So the
    products are those of the whole matrix's parts, split into dense and sparse columns where ``split_columns``
    splits the matrix without the link (it depends on the columns' counts alone), and the norms are summed again
    for the rows concerned. Every number is the one :func:`incidence_features` and :func:`score_rows` give on the
    matrix without the link, bit for bit: the same sums, of the same terms, in the same order.
    """

    def __init__(self, C, metrics: list[str], labels, order):
        import numpy as np

        self.C, self.metrics, self.labels, self.order = C, metrics, labels, order
        self.n, self.m = C.shape
        self.rows = np.repeat(np.arange(self.n), np.diff(C.indptr))
        self.Cc = C.tocsc()
        self.df = np.diff(self.Cc.indptr).astype(np.float64)
        self.base_heavy = heavy_columns(self.df, self.n)[0]
        self.weights = {m: metric_weights(m, self.df, self.rows, C.indices, self.n)[0] for m in metrics}
        self.base_parts: dict = {}
        self.state: dict = {}

    def column(self, j: int) -> None:
        """Prepare the links of column ``j``: its weights, norms and split."""
        import numpy as np

        df = self.df.copy()
        df[j] -= 1
        heavy, light = heavy_columns(df, self.n)
        same = np.array_equal(heavy, self.base_heavy)
        where = np.full(self.m, -1, dtype=np.int64)
        where[heavy] = np.arange(len(heavy))
        where_light = np.full(self.m, -1, dtype=np.int64)
        where_light[light] = np.arange(len(light))
        self.state = {}
        for metric in self.metrics:
            w, norm, q = metric_weights(metric, df, self.rows, self.C.indices, self.n)
            if same:
                if metric not in self.base_parts:
                    self.base_parts[metric] = split_parts(self.Cc, self.weights[metric], heavy, light)
                parts = self.base_parts[metric]
            else:
                parts = split_parts(self.Cc, self.weights[metric], heavy, light)
            self.state[metric] = (w, norm, q, parts)
        self.where, self.where_light = where, where_light

    def scores(self, metric: str, i: int, j: int, own):
        """Row ``i``'s scores (1 x cities) with the link (i, ``j``) hidden; ``own``: row i's columns but j."""
        import numpy as np

        w, norm, q, (Xh, XhT, Xl, XlT) = self.state[metric]
        light = self.where_light[own]
        light = light[light >= 0]
        # the sparse product of the row with XlT, as scipy's takes it: each light column's row of XlT in turn,
        # added to the sums one term at a time (np.bincount adds its weights in order)
        starts, stops = XlT.indptr[light], XlT.indptr[light + 1]
        take = np.concatenate([np.arange(a, b) for a, b in zip(starts.tolist(), stops.tolist(), strict=True)] or [[]])
        take = take.astype(np.int64)
        num = np.bincount(XlT.indices[take], weights=XlT.data[take], minlength=self.n).astype(np.float64)[None, :]
        if Xh is not None:
            x = Xh[i].copy()
            if self.where[j] >= 0:
                x[self.where[j]] = 0.0
            num += x[None, :] @ XhT
        q = q.copy()
        if metric == "idf-cosine":  # summed in column order, as np.bincount sums it
            q[i] = np.bincount(np.zeros(len(own), dtype=np.int64), weights=w[own], minlength=1)[0]
        else:
            q[i] = float(len(own))
        F = Features(metric, None, w, norm, q, self.labels, self.order)
        return score_rows(F, np.array([i]), num=num)


def evaluate(
    model: Model,
    metrics=(DEFAULT_METRIC,),
    k: int = 3,
    peers: int = 5,
    seed: int = 0,
    bootstrap: int = 1000,
    progress=None,
) -> Table:
    """Leave-one-out hit@k, MRR and NDCG@k of peer recommendations by each metric, beside popularity.

    Every city-initiative link whose initiative has at least two other cities is hidden in turn; df, idf and the
    similarities are recomputed without it, and the city's missing initiatives are ranked by the collaborative
    filtering score over its ``peers`` nearest cities (and, for the baseline, by the number of cities adopting
    them). Ties count at their expected position over every order. Intervals are percentile bootstrap 95%
    intervals over the links (``bootstrap`` resamples, ``seed``), the same resamples for every method.
    ``progress``, if given, is called with the number of links done and the number of links, now and then.

    Raises
    ------
    RequestError
        An unknown metric, ``k``, ``peers`` or ``bootstrap`` below 1, ``bootstrap`` above
        :data:`MAX_BOOTSTRAP`, or a negative ``seed``.
    InputError
        No link can be held out.
    """
    import numpy as np

    metrics = list(dict.fromkeys(metrics))
    for metric in metrics:
        check_metric(metric)
    _check_counts(k=k, peers=peers, bootstrap=bootstrap)
    if bootstrap > MAX_BOOTSTRAP:
        raise RequestError(
            say("bootstrap must be at most {most:,}, not {value:,}", most=MAX_BOOTSTRAP, value=bootstrap)
        )
    if seed < 0:
        raise RequestError(say("seed must be 0 or more, not {value}", value=seed))
    inc = model.incidence
    C = inc.matrix.tocsr().astype(np.float64)
    C.data[:] = 1.0
    df = np.asarray(C.sum(axis=0)).ravel()
    links = [(i, int(j)) for i in range(C.shape[0]) for j in C.indices[C.indptr[i] : C.indptr[i + 1]] if df[j] >= 3]
    if not links:
        raise InputError(say("nothing to evaluate: no city-initiative link whose initiative has two other cities"))
    labels = list(inc.initiatives)
    order = initiative_order(model)
    name_rank = city_order(model)
    text = text_counts(model) if "text" in metrics else None
    methods = [POPULARITY, *metrics]
    results = {m: np.zeros((len(links), 3)) for m in methods}
    fast = [m for m in metrics if m in INCIDENCE_METRICS]
    held = _HeldOut(C, fast, labels, order) if fast else None
    # column by column: the links of one initiative share its weights, norms and split
    by_column = sorted(range(len(links)), key=lambda n: (links[n][1], n))
    column, df2 = None, None
    if progress is not None:
        progress(0, len(links))
    for done, n in enumerate(by_column):
        i, j = links[n]
        if j != column:
            column = j
            df2 = df.copy()
            df2[j] -= 1
            if held is not None:
                held.column(j)
        row = C.indices[C.indptr[i] : C.indptr[i + 1]]
        own = row[row != j]
        mask = np.ones(C.shape[1], dtype=bool)
        mask[own] = False
        candidates = np.flatnonzero(mask)
        results[POPULARITY][n] = _expected_ranking_scores(df2, candidates, j, k)
        C2 = None
        for metric in metrics:
            if metric in INCIDENCE_METRICS:
                r, neighbours, sims, _ = select_top(held.scores(metric, i, j, own), np.array([i]), peers, name_rank)
            else:
                C2 = _without(C, i, j) if C2 is None else C2
                F = _loo_features(model, metric, C2, i, j, labels, order, text)
                neighbours, sims = _neighbours(F, i, peers, name_rank)
            # the neighbours' rows are the same with or without the link: row i is never among them
            scores = _cf_scores_rows(C, own, neighbours, sims)
            results[metric][n] = _expected_ranking_scores(scores, candidates, j, k)
        if progress is not None and (done % 1000 == 999 or done == len(links) - 1):
            progress(done + 1, len(links))
    base = results[POPULARITY][:, 1]
    boots, diffs = _bootstrap_means(results, base, metrics, bootstrap, seed)
    rows = []
    for method in methods:
        values = results[method]
        low, high = np.percentile(boots[method], [2.5, 97.5], axis=0)
        mean = values.mean(axis=0)
        shown = say("popularity") if method == POPULARITY else method  # the baseline's name, said for people
        row = {"method": shown, "k": k, "peers": None if method == POPULARITY else peers, "links": len(links)}
        for c, key in enumerate(("hit", "mrr", "ndcg")):
            row[key] = round(float(mean[c]), 4)
            row[f"{key}_low"] = round(float(low[c]), 4)
            row[f"{key}_high"] = round(float(high[c]), 4)
        rows.append(row)
    notes = []
    for metric in metrics:
        diff = results[metric][:, 1] - base
        d_low, d_high = np.percentile(diffs[metric], [2.5, 97.5])
        verdict = (
            "{metric} beats popularity on MRR: difference {diff:+.3f} (95% interval {low:+.3f} to {high:+.3f})."
            if d_low > 0
            else "{metric} loses to popularity on MRR: difference {diff:+.3f} (95% interval {low:+.3f} to {high:+.3f})."
            if d_high < 0
            else "{metric} is not distinguishable from popularity on MRR: difference {diff:+.3f} "
            "(95% interval {low:+.3f} to {high:+.3f})."
        )
        notes.append(say(verdict, metric=metric, diff=float(diff.mean()), low=float(d_low), high=float(d_high)))
    notes.append(
        say(
            "{links} links held out one at a time (initiatives with at least two other cities); "
            "hit@{k} and NDCG@{k} for k = {k}.",
            links=len(links),
            k=k,
        )
    )
    return Table(
        ["method", "k", "peers", "links"] + [f"{m}{s}" for m in ("hit", "mrr", "ndcg") for s in ("", "_low", "_high")],
        rows,
        title=say("leave-one-out evaluation: hit@{k}, MRR, NDCG@{k} with bootstrap 95% intervals", k=k),
        name="evaluation",
        notes=notes,
    )
