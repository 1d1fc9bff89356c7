"""Recommendations by collaborative filtering, and their leave-one-out evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from graph import recommend as rec
from graph.errors import InputError, RequestError
from tests.simhelpers import model_from_rows


def test_mini_by_hand(mini_model):
    # 甲 {cadres, red}: peers 丙 {political, red} and 乙 {cadres, volunteering}, each at jaccard 1/3;
    # political: (1/3) / (1/3 + 1/3) = 1/2, volunteering likewise; ties by name (干部政治素质考察 < 志愿服务)
    recs = rec.recommendations(mini_model, "city:jia", metric="jaccard")
    assert [(r.initiative, r.rank, r.peers) for r in recs] == [
        ("initiative:political-assessment", 1, ("city:bing",)),
        ("initiative:volunteering", 2, ("city:yi",)),
    ]
    assert [r.score for r in recs] == pytest.approx([0.5, 0.5])


def test_weights_follow_similarity():
    # c0 {0,1,2}; c1 {0,1,2,3} is nearer than c2 {0,4}: initiative 3 outranks 4, with the weights by hand
    model = model_from_rows([[0, 1, 2], [0, 1, 2, 3], [0, 4]])
    recs = rec.recommendations(model, "city:c0", metric="jaccard", peers=2)
    s1, s2 = 3 / 4, 1 / 4
    assert [r.initiative for r in recs] == ["initiative:x3", "initiative:x4"]
    assert [r.score for r in recs] == pytest.approx([s1 / (s1 + s2), s2 / (s1 + s2)])
    assert recs[0].peers == ("city:c1",)


def test_peers_limit_the_neighbourhood():
    model = model_from_rows([[0, 1, 2], [0, 1, 2, 3], [0, 4]])
    recs = rec.recommendations(model, "city:c0", metric="jaccard", peers=1)
    assert [(r.initiative, r.score, r.peers) for r in recs] == [("initiative:x3", 1.0, ("city:c1",))]


def test_never_recommends_what_the_city_has(real_model):
    for city in real_model.incidence.cities:
        have = set(real_model.incidence.initiatives_of(city))
        recs = rec.recommendations(real_model, city, top=50)
        assert not have & {r.initiative for r in recs}
        assert all(r.peers for r in recs)
        assert [r.rank for r in recs] == list(range(1, len(recs) + 1))


@pytest.mark.parametrize(("top", "peers"), [(0, 5), (3, 0), (-1, 1)])
def test_bad_counts(mini_model, top, peers):
    with pytest.raises(RequestError, match="must be at least 1"):
        rec.recommendations(mini_model, "city:jia", top=top, peers=peers)


def test_recommend_table_names_peers_and_quotes(real_model):
    table = rec.recommend(real_model, "潜江", top=3)
    assert table.rows
    for row in table.rows:
        assert row["city"] == "潜江市"
        assert row["learn_from"]
        assert all(any(line.startswith(peer + ":") for line in row["evidence"]) for peer in row["learn_from"])
    assert any("not who learned from whom" in n for n in table.notes)


@pytest.mark.parametrize(
    ("scores", "target", "k", "expected"),
    [
        ([3.0, 2.0, 1.0], 0, 1, (1.0, 1.0, 1.0)),
        ([3.0, 2.0, 1.0], 2, 2, (0.0, 1 / 3, 0.0)),
        # a tie of two at the top: positions 1 and 2 equally likely
        ([2.0, 2.0, 1.0], 1, 1, (0.5, (1 + 1 / 2) / 2, 0.5)),
        ([2.0, 2.0, 1.0], 1, 2, (1.0, (1 + 1 / 2) / 2, (1 + 1 / np.log2(3)) / 2)),
    ],
)
def test_expected_ranking_scores_by_hand(scores, target, k, expected):
    got = rec._expected_ranking_scores(np.array(scores), np.arange(len(scores)), target, k)
    assert got == pytest.approx(expected)


def test_evaluate_hand_made():
    # x0 is in c0, c1, c2; hiding (c0, x0): c0 keeps {1}, shared with c1 only, who has x0 and x2.
    model = model_from_rows([[0, 1], [0, 1, 2], [0, 3], [3]])
    table = rec.evaluate(model, metrics=("jaccard",), k=1, peers=1, bootstrap=50)
    rows = {r["method"]: r for r in table.rows}
    assert rows["popularity"]["links"] == 3  # the three links of x0 (the only initiative with 3 cities)
    # hide (c0,x0): candidates x0 (df 2), x2 (1), x3 (2): tie x0/x3 at the top -> hit@1 = 1/2;
    # hide (c1,x0): candidates x0 (2), x3 (2): hit 1/2; hide (c2,x0): candidates x0 (2), x1 (2), x2 (1): 1/2
    assert rows["popularity"]["hit"] == pytest.approx(0.5)
    # jaccard, one peer: c0 -> c1 (x0 and x2 tie: 1/2); c1 -> c0 (has x0 only: 1); c2 -> c3 (has nothing new: x0
    # ties with x1 and x2 at 0: 1/3)
    assert rows["jaccard"]["hit"] == pytest.approx((1 / 2 + 1 + 1 / 3) / 3, abs=1e-4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_held_out_scores_equal_rebuilt_features_bit_for_bit(seed):
    # every link hidden in turn, every incidence metric: the scores from the whole matrix's parts are exactly those
    # of the features built again on the matrix without the link (dense and sparse columns both in use)
    import scipy.sparse as sp

    from graph.scoring import INCIDENCE_METRICS, heavy_columns, incidence_features, score_rows, select_top

    rng = np.random.default_rng(seed)
    dense = rng.random((60, 40)) < np.minimum(0.9, 0.8 / np.arange(1, 41) ** 0.8)  # popular and rare columns
    C = sp.csr_matrix(dense.astype(np.float64))
    labels, order = [f"x{j}" for j in range(40)], np.arange(40)
    heavy = len(heavy_columns(np.diff(C.tocsc().indptr).astype(np.float64), 60)[0])
    assert 0 < heavy < 40
    held = rec._HeldOut(C, list(INCIDENCE_METRICS), labels, order)
    changed_split = 0
    for j in range(40):
        held.column(j)
        for i in C.tocsc()[:, j].indices.tolist():
            C2 = rec._without(C, i, j)
            own = C2.indices[C2.indptr[i] : C2.indptr[i + 1]]
            for metric in INCIDENCE_METRICS:
                expected = score_rows(incidence_features(C2, metric, labels, order), np.array([i]))
                got = held.scores(metric, i, j, own)
                assert got.tobytes() == expected.tobytes(), (metric, i, j)
                _, peers, sims, _ = select_top(got.copy(), np.array([i]), 5, np.arange(60))
                slow, fast = rec._cf_scores(C2, own, peers, sims), rec._cf_scores_rows(C, own, peers, sims)
                assert fast.tobytes() == slow.tobytes(), (metric, i, j)
        df2 = np.diff(C.tocsc().indptr).astype(np.float64)
        df2[j] -= 1
        changed_split += not np.array_equal(heavy_columns(df2, 60)[0], held.base_heavy)
    assert changed_split  # the split moves for some columns: that path is checked too


def test_evaluate_real_data_shape_and_determinism(real_model):
    table = rec.evaluate(real_model, metrics=("idf-cosine", "jaccard"), bootstrap=200, seed=1)
    again = rec.evaluate(real_model, metrics=("idf-cosine", "jaccard"), bootstrap=200, seed=1)
    assert table.rows == again.rows
    assert [r["method"] for r in table.rows] == ["popularity", "idf-cosine", "jaccard"]
    for row in table.rows:
        for key in ("hit", "mrr", "ndcg"):
            assert 0 <= row[f"{key}_low"] <= row[key] <= row[f"{key}_high"] <= 1
    assert len(table.notes) == 3


def test_evaluate_bootstrap_in_blocks_equals_one_block(real_model, monkeypatch):
    whole = rec.evaluate(real_model, metrics=("jaccard",), bootstrap=300, seed=3)
    monkeypatch.setattr(rec, "_BOOTSTRAP_BLOCK", 1)  # one resample per block
    blocks = rec.evaluate(real_model, metrics=("jaccard",), bootstrap=300, seed=3)
    for a, b in zip(whole.rows, blocks.rows, strict=True):
        for key in ("hit", "mrr", "ndcg"):
            assert b[f"{key}_low"] == pytest.approx(a[f"{key}_low"], abs=0.02)
            assert b[f"{key}_high"] == pytest.approx(a[f"{key}_high"], abs=0.02)


def test_evaluate_nothing_to_hold_out(mini_model):
    with pytest.raises(InputError, match="nothing to evaluate"):
        rec.evaluate(mini_model)


@pytest.mark.parametrize(
    "kwargs",
    [{"metrics": ("nope",)}, {"k": 0}, {"bootstrap": 0}, {"peers": 0}, {"seed": -5}, {"bootstrap": 10**8}],
)
def test_evaluate_bad_requests(real_model, kwargs):
    with pytest.raises(RequestError):
        rec.evaluate(real_model, **kwargs)


@pytest.mark.parametrize("metric", ["idf-cosine", "jaccard", "resource-allocation"])
def test_all_recommendations_equal_one_city_at_a_time(real_model, metric):
    from graph.recommend import _cf_scores, _neighbours, all_recommendations
    from graph.scoring import city_order, features

    batch = all_recommendations(real_model, top=4, peers=3, metric=metric)
    inc = real_model.incidence
    C = inc.matrix
    F = features(real_model, metric)
    for city in inc.cities:
        i = inc.city_index[city]
        neighbours, sims = _neighbours(F, i, 3, city_order(real_model))
        scores = _cf_scores(C.astype(float), C.indices[C.indptr[i] : C.indptr[i + 1]], neighbours, sims)
        got = {r.initiative: r.score for r in batch[city]}
        for initiative, score in got.items():
            assert score == pytest.approx(scores[inc.initiative_index[initiative]])
        assert len(got) == min(4, int((scores > 0).sum()))
        for r in batch[city]:
            assert r.peers and all(p in {inc.cities[n] for n in neighbours.tolist()} for p in r.peers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=hst.lists(hst.lists(hst.integers(0, 9), max_size=7), min_size=2, max_size=14),
    peers=hst.integers(1, 13),
    seed=hst.integers(0, 2**16),
)
def test_peer_sums_without_scipy_equal_the_sparse_ones_to_the_last_bit(rows, peers, seed):
    """The summed similarities behind each recommendation, with numpy alone and with scipy's sparse products, for
    neighbourhoods of up to 13 peers (where numpy's pairwise summation starts) and arbitrary similarities."""
    inc = model_from_rows(rows, n_initiatives=10).incidence
    n = len(inc.cities)
    rng = np.random.default_rng(seed)
    cities, others, sims = [], [], []
    for i in range(n):
        chosen = rng.permutation([p for p in range(n) if p != i])[:peers]
        cities += [i] * len(chosen)
        others += chosen.tolist()
        sims += (rng.random(len(chosen)) * 10.0 ** rng.integers(-3, 3)).tolist()
    a, b, s = np.array(cities, dtype=np.int64), np.array(others, dtype=np.int64), np.array(sims)
    rows_ = np.arange(n)
    for dense, sparse in zip(
        rec._peer_sums_dense(inc, rows_, a, b, s), rec._peer_sums_sparse(inc, rows_, a, b, s), strict=True
    ):
        assert dense[0].tolist() == sparse[0].tolist()
        assert dense[1].tolist() == sparse[1].tolist()
        assert float(dense[2]) == float(sparse[2])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=hst.lists(hst.lists(hst.integers(0, 9), max_size=7), min_size=2, max_size=14), peers=hst.integers(1, 13))
def test_recommendations_without_scipy_equal_the_sparse_ones(rows, peers):
    from graph import scoring

    for metric in ("idf-cosine", "jaccard", "resource-allocation"):
        dense = rec.all_recommendations(model_from_rows(rows, n_initiatives=10), peers=peers, metric=metric)
        limit = scoring.DENSE_MAX_CELLS
        scoring.DENSE_MAX_CELLS = 0
        try:
            sparse = rec.all_recommendations(model_from_rows(rows, n_initiatives=10), peers=peers, metric=metric)
        finally:
            scoring.DENSE_MAX_CELLS = limit
        assert dense == sparse
