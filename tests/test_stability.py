"""Stability of rankings: resampling support, critical links, and the planted-data check of what they mean."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from graph import scoring
from graph import stability as st
from graph.recommend import recommendations
from graph.similarity import all_top_peers
from tests.simhelpers import model_from_rows


@pytest.mark.parametrize("metric", scoring.INCIDENCE_METRICS)
def test_resample_scores_equal_the_engine(real_model, metric, monkeypatch):
    engine = scoring.score_matrix(scoring.features(real_model, metric))
    np.fill_diagonal(engine, -1.0)
    C = real_model.incidence.matrix
    rows = np.arange(C.shape[0])
    assert np.allclose(st.scores_of(C, metric, rows), engine)
    everything = np.ones((1, C.nnz), dtype=bool)
    assert np.allclose(st.scores_batch(C, everything, metric, rows)[0], engine)
    # the dense batch and the sparse one-at-a-time path agree on resamples
    keeps = np.random.default_rng(3).random((4, C.nnz)) > 0.2
    dense = st.scores_batch(C, keeps, metric, rows)
    monkeypatch.setattr(st, "DENSE_CELLS", 0)
    assert np.allclose(st.scores_batch(C, keeps, metric, rows), dense)


def test_subsample_leaves_out_a_tenth_deterministically():
    first = list(st.subsample_keep(80, replicates=5, seed=7))
    again = list(st.subsample_keep(80, replicates=5, seed=7))
    assert all((x == y).all() for x, y in zip(first, again, strict=True))
    assert [int((~m).sum()) for m in first] == [8] * 5
    assert len({m.tobytes() for m in first}) == 5


def test_support_of_a_pair_resting_on_one_link():
    # 0 and 1 share three initiatives; 2 and 3 share one, which a resample drops one time in ten
    C = sp.csr_matrix(np.array([[1, 1, 1, 0], [1, 1, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]], dtype=np.int8))
    support = st.peer_support(C, "jaccard", [0, 2], [1, 3], [1, 1], replicates=400)
    assert support[0] == 1.0
    assert 0.7 < support[1] < 0.95  # 1 - P(one of the two links of initiative 3 is dropped) ≈ 0.73 to 0.86


def test_critical_link_changes_the_nearest_peer():
    C = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], dtype=np.int8))
    names = np.arange(4)
    link = st.critical_links(C, "jaccard", [0, 3], names)
    assert link[0] == st.CriticalLink(of=0, nearest=1, city=0, initiative=0, then=2)
    dense = C.toarray()
    dense[link[0].city, link[0].initiative] = 0
    after = st.scores_of(sp.csr_matrix(dense), "jaccard", [0])[0]
    assert int(np.argmax(after)) == link[0].then
    assert link[3] is not None and link[3].nearest == 2


def test_real_data_marks_and_critical_links(real_model):
    peers = [p for ps in all_top_peers(real_model, top=3).values() for p in ps]
    rows = st.peer_stability(real_model, peers, "idf-cosine")
    again = st.peer_stability(real_model, peers, "idf-cosine")
    assert rows == again
    by_pair = {(p.city, p.peer): r for p, r in zip(peers, rows, strict=True)}
    for r in rows:
        assert 0.0 <= r["support"] <= 1.0
        assert r["stability"] == ("stable" if r["support"] >= st.STABLE_AT else "fragile")
    assert by_pair[("city:shangluo", "city:tianmen")]["stability"] == "stable"
    assert by_pair[("city:shangluo", "city:tianmen")]["critical_link"] is None  # seven shared initiatives
    qs = by_pair[("city:qianjiang", "city:suizhou")]
    assert qs["stability"] == "fragile"  # 荆门 is a close second
    city, initiative = qs["critical_link_id"]
    assert city in ("city:qianjiang", "city:suizhou")
    assert qs["critical_then"] == "荆门市"
    assert qs["critical_quote"] and qs["critical_quote"] in "".join(
        ev.quote for ev in real_model.incidence.evidence[(city, initiative)]
    )
    # only the nearest peer carries the critical link
    assert all(r["critical_link"] is None for p, r in zip(peers, rows, strict=True) if p.rank > 1)


def test_no_figures_for_metrics_outside_the_incidence(real_model):
    peers = all_top_peers(real_model, metric="text", top=1)["city:qianjiang"]
    assert st.peer_stability(real_model, peers, "text") == [
        dict.fromkeys(("support", "stability", "critical_link", "critical_link_id", "critical_quote", "critical_then"))
    ]


def test_recommendation_support(real_model):
    recs = recommendations(real_model, "city:qianjiang", top=5)
    rows = st.recommendation_stability(real_model, recs, "idf-cosine", peers=5)
    assert len(rows) == len(recs)
    assert all(0.0 <= r["support"] <= 1.0 and r["stability"] in ("stable", "fragile") for r in rows)
    assert rows == st.recommendation_stability(real_model, recs, "idf-cosine", peers=5)


@pytest.mark.parametrize(("top", "noise"), [(1, 0.1), (3, 0.1), (3, 0.2)])
def test_pairs_marked_stable_stay_near_under_noise_far_more_often(top, noise):
    result = st.noise_check(top=top, noise=noise, trials=20, replicates=200, seed=0)
    (n_stable, stable), (n_fragile, fragile) = result["stable"], result["fragile"]
    assert n_stable >= 5 and n_fragile >= 5, result
    assert stable >= fragile + 0.25, result
    assert stable / fragile >= 1.5, result


def test_no_figures_above_the_link_limit(real_model, monkeypatch):
    from graph.similarity import rank, similar

    monkeypatch.setattr(st, "MAX_LINKS", 10)
    table = similar(real_model, "潜江", top=2)
    assert "support" not in table.columns
    assert any("stability not computed" in note for note in table.notes)
    pairs = rank(real_model, pairs=True)
    assert "support_ab" not in pairs.columns


def test_dyad_stability_on_the_column_table(real_model):
    from graph.similarity import rank

    pairs = rank(real_model, pairs=True)
    names = zip(pairs.column_values("city_a"), pairs.column_values("city_b"), strict=True)
    values = dict(zip(names, pairs.column_values("stability"), strict=True))
    assert values[("商洛市", "天门市")] == "stable"
    assert values[("潜江市", "随州市")] == "fragile"
    zero = [s for s, n in zip(pairs.column_values("stability"), pairs.column_values("shared"), strict=True) if n == 0]
    assert zero and all(s is None for s in zero)


def _everything_sparse():
    """Set every size limit to 0 (the sparse products everywhere); returns a function that puts them back."""
    saved = scoring.DENSE_MAX_CELLS, st.DENSE_CELLS, st.SCORES_DENSE_CELLS
    scoring.DENSE_MAX_CELLS = st.DENSE_CELLS = st.SCORES_DENSE_CELLS = 0

    def restore():
        scoring.DENSE_MAX_CELLS, st.DENSE_CELLS, st.SCORES_DENSE_CELLS = saved

    return restore


def _figures(model, metric):
    peers = [p for ps in all_top_peers(model, metric, top=3).values() for p in ps]
    recs = [recommendations(model, c, top=4, metric=metric) for c in model.incidence.cities]
    return (
        st.peer_stability(model, peers, metric, replicates=16),
        [st.recommendation_stability(model, r, metric, 5, replicates=16) for r in recs],
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=hst.lists(hst.lists(hst.integers(0, 9), max_size=7), min_size=2, max_size=12))
def test_scipy_free_and_sparse_paths_give_the_same_figures(rows):
    """The incidence's own arrays (no scipy) and the scipy matrix give equal scores; the figures of every
    answer are the same to the last bit with dense products and with sparse ones everywhere."""
    model = model_from_rows(rows, n_initiatives=10)
    inc = model.incidence
    every = np.arange(len(inc.cities))
    for metric in scoring.INCIDENCE_METRICS:
        assert np.array_equal(st.scores_of(inc, metric, every), st.scores_of(inc.matrix, metric, every))
        assert np.array_equal(st.scores_of(inc, metric, every), st.scores_of(inc.matrix.toarray(), metric, every))
    for metric in ("idf-cosine", "jaccard"):
        dense = _figures(model, metric)
        restore = _everything_sparse()
        try:
            sparse = _figures(model_from_rows(rows, n_initiatives=10), metric)
        finally:
            restore()
        assert dense == sparse


def test_figures_of_the_bundled_data_without_scipy_equal_those_with_it(real_model):
    inc = real_model.incidence
    peers = [p for ps in all_top_peers(real_model, top=3).values() for p in ps]
    a = np.array([inc.city_index[p.city] for p in peers])
    b = np.array([inc.city_index[p.peer] for p in peers])
    k = np.array([p.rank for p in peers])
    for metric in scoring.INCIDENCE_METRICS:
        assert np.array_equal(st.peer_support(inc, metric, a, b, k), st.peer_support(inc.matrix, metric, a, b, k))
        firsts = sorted(set(a.tolist()))
        names = scoring.city_order(real_model)
        assert st.critical_links(inc, metric, firsts, names) == st.critical_links(inc.matrix, metric, firsts, names)
