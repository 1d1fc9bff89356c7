"""Similarity: hand-checked scores, equality with networkx, invariants, explanations, p-values, tables."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import hypergeom

from graph import scoring
from graph import similarity as sim
from graph.errors import InputError, RequestError, UnknownNameError
from graph.geo import haversine_km
from tests.simhelpers import model_from_rows

NX_EQUIVALENTS = {
    "jaccard": nx.jaccard_coefficient,
    "adamic-adar": nx.adamic_adar_index,
    "resource-allocation": nx.resource_allocation_index,
}
SELF_ONE = ("jaccard", "cosine", "idf-cosine")
PRODUCT_METRICS = ("jaccard", "cosine", "idf-cosine", "adamic-adar", "resource-allocation")


def bipartite(model) -> nx.Graph:
    inc = model.incidence
    G = nx.Graph()
    G.add_nodes_from(inc.cities)
    G.add_nodes_from(inc.initiatives)
    G.add_edges_from((c, x) for c in inc.cities for x in inc.initiatives_of(c))
    return G


def assert_equals_networkx(model, metric):
    inc = model.incidence
    pairs = [(a, b) for k, a in enumerate(inc.cities) for b in inc.cities[k + 1 :]]
    reference = list(NX_EQUIVALENTS[metric](bipartite(model), pairs))  # a list: a generator gives nothing
    assert len(reference) == len(pairs)
    S = sim.similarity_matrix(model, metric)
    for a, b, expected in reference:
        assert S[inc.city_index[a], inc.city_index[b]] == pytest.approx(expected, rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# hand-checked on the mini fixture: 甲 {cadres, red}, 乙 {cadres, volunteering}, 丙 {political, red},
# 丁 {political, volunteering}; every initiative is adopted by two of the four cities.


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("jaccard", 1 / 3),
        ("cosine", 1 / 2),
        ("idf-cosine", 1 / 2),  # equal idf everywhere: the same as cosine
        ("adamic-adar", 1 / math.log(2)),
        ("resource-allocation", 1 / 2),
    ],
)
def test_mini_scores_by_hand(mini_model, metric, expected):
    peers = sim.top_peers(mini_model, "city:jia", metric=metric)
    assert [(p.peer, p.rank) for p in peers] == [("city:bing", 1), ("city:yi", 2)]  # tie: 丙川市 before 乙水市
    assert [p.score for p in peers] == pytest.approx([expected, expected])
    assert peers[0].shared == (("initiative:red-property", pytest.approx(expected)),)
    assert peers[1].shared == (("initiative:cadres-to-communities", pytest.approx(expected)),)


def test_mini_p_value_by_hand(mini_model):
    # M = 4 initiatives, |A| = |B| = 2, one shared: P(X >= 1) = 1 - C(2,0)C(2,2)/C(4,2) = 5/6
    peer = sim.top_peers(mini_model, "city:jia")[0]
    assert peer.p_value == pytest.approx(5 / 6)


def test_city_with_nothing_in_common_is_not_a_peer(mini_model):
    peers = sim.top_peers(mini_model, "city:jia", top=10)
    assert "city:ding" not in [p.peer for p in peers]
    assert "city:jia" not in [p.peer for p in peers]


@pytest.mark.parametrize("metric", sorted(NX_EQUIVALENTS))
def test_equals_networkx_on_mini(mini_model, metric):
    assert_equals_networkx(mini_model, metric)


@pytest.mark.parametrize("metric", sorted(NX_EQUIVALENTS))
def test_equals_networkx_on_real_data(real_model, metric):
    assert_equals_networkx(real_model, metric)


incidences = st.lists(st.lists(st.integers(0, 11), max_size=8), min_size=2, max_size=9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=incidences)
def test_equals_networkx_on_generated_incidences(rows):
    model = model_from_rows(rows, n_initiatives=12)
    for metric in NX_EQUIVALENTS:
        assert_equals_networkx(model, metric)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=incidences)
def test_invariants_on_generated_incidences(rows):
    model = model_from_rows(rows, n_initiatives=12)
    degree = np.asarray(model.incidence.matrix.sum(axis=1)).ravel()
    for metric in PRODUCT_METRICS:
        S = sim.similarity_matrix(model, metric)
        np.testing.assert_allclose(S, S.T, rtol=1e-12, atol=1e-12)
        assert (S >= -1e-12).all()
        if metric in SELF_ONE:
            assert (S <= 1 + 1e-12).all()
            np.testing.assert_allclose(np.diag(S)[degree > 0], 1.0, rtol=1e-12)
        # a city is at least as similar to itself as to any other city
        assert (np.diag(S)[:, None] >= S - 1e-12).all()
        # explanations sum to the score, and top_peers agrees with the matrix
        for city, peers in sim.all_top_peers(model, metric, top=3).items():
            i = model.incidence.city_index[city]
            for p in peers:
                assert p.score == pytest.approx(S[i, model.incidence.city_index[p.peer]], rel=1e-9)
                assert sum(v for _, v in p.shared) == pytest.approx(p.score, rel=1e-9)
                assert p.peer != city and p.score > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=incidences)
def test_sparse_and_dense_products_give_the_same_answers(rows):
    """Small data takes dense numpy products (no scipy import), larger data sparse ones: the answers agree."""
    dense = model_from_rows(rows, n_initiatives=12)
    sparse = model_from_rows(rows, n_initiatives=12)
    limit = scoring.DENSE_MAX_CELLS
    try:
        scoring.DENSE_MAX_CELLS = 0
        for metric in PRODUCT_METRICS:
            scoring.features(sparse, metric)
    finally:
        scoring.DENSE_MAX_CELLS = limit
    for metric in PRODUCT_METRICS:
        assert not isinstance(scoring.features(sparse, metric).X, np.ndarray)
        assert isinstance(scoring.features(dense, metric).X, np.ndarray)
        np.testing.assert_allclose(
            sim.similarity_matrix(dense, metric), sim.similarity_matrix(sparse, metric), rtol=1e-12, atol=1e-15
        )
        assert sim.all_top_peers(dense, metric, top=3) == sim.all_top_peers(sparse, metric, top=3)
        assert sim.dyads(dense).rows == sim.dyads(sparse).rows


@pytest.mark.parametrize("metric", sorted(NX_EQUIVALENTS))
def test_sparse_products_equal_networkx_on_real_data(metric, monkeypatch):
    from graph.dataset import load_dataset
    from graph.model import Model
    from tests.conftest import REAL

    monkeypatch.setattr(scoring, "DENSE_MAX_CELLS", 0)
    model = Model(load_dataset(REAL))
    assert not isinstance(scoring.features(model, metric).X, np.ndarray)
    assert_equals_networkx(model, metric)


def test_blocked_split_product_equals_direct_product(monkeypatch):
    monkeypatch.setattr(scoring, "DENSE_MAX_CELLS", 0)  # the sparse products, split into a dense and a sparse part
    rng = np.random.default_rng(3)
    rows = [sorted(rng.choice(40, size=rng.integers(1, 12), replace=False, p=None).tolist()) for _ in range(60)]
    model = model_from_rows(rows, n_initiatives=40)
    C = model.incidence.matrix.toarray().astype(float)
    direct = C @ C.T
    degree = C.sum(axis=1)
    expected = direct / (degree[:, None] + degree[None, :] - direct)
    F = scoring.features(model, "jaccard")
    F.parts = scoring.split_columns(F.X, F.w, dense_flop_ratio=1e9)  # force a dense part
    assert F.parts[1] is not None
    monkeypatch.setattr(scoring, "blocks", lambda n, entries=0: ((s, min(n, s + 7)) for s in range(0, n, 7)))
    np.testing.assert_allclose(sim.similarity_matrix(model, "jaccard"), expected, rtol=1e-12)
    by_city = sim.all_top_peers(model, "jaccard", top=4)
    for city, peers in by_city.items():
        i = model.incidence.city_index[city]
        row = expected[i].copy()
        row[i] = -1
        best = sorted(
            ((-round(row[j], 12), model.name(c), c) for j, c in enumerate(model.incidence.cities) if row[j] > 0)
        )[:4]
        assert [p.peer for p in peers] == [c for _, _, c in best]


def test_all_top_peers_equals_top_peers(real_model):
    every = sim.all_top_peers(real_model, top=4)
    for city in real_model.incidence.cities:
        assert every[city] == sim.top_peers(real_model, city, top=4)


def test_p_values_equal_scipy():
    rng = np.random.default_rng(0)
    M = 50
    n, N = rng.integers(0, 30, 300), rng.integers(0, 30, 300)
    k = rng.integers(-1, 30, 300)
    np.testing.assert_allclose(sim.hypergeom_sf(k, M, n, N), hypergeom.sf(k, M, n, N), rtol=1e-9, atol=1e-15)


def test_peer_p_values_equal_scipy(real_model):
    inc = real_model.incidence
    degree = np.asarray(inc.matrix.sum(axis=1)).ravel()
    for peer in sim.all_top_peers(real_model, "jaccard", top=3)["city:xiaogan"]:
        a, b = inc.city_index[peer.city], inc.city_index[peer.peer]
        shared = len(set(inc.initiatives_of(peer.city)) & set(inc.initiatives_of(peer.peer)))
        expected = hypergeom.sf(shared - 1, len(inc.initiatives), degree[a], degree[b])
        assert peer.p_value == pytest.approx(expected, rel=1e-9)


def test_explain_orders_by_contribution_then_name(real_model):
    shared = sim.explain(real_model, "city:qianjiang", "city:suizhou")
    values = [v for _, v in shared]
    assert values == sorted(values, reverse=True)
    names = [real_model.name(x) for x, _ in shared]
    for k in range(len(shared) - 1):
        if values[k] == pytest.approx(values[k + 1]):
            assert names[k] <= names[k + 1]
    assert sum(values) == pytest.approx(sim.top_peers(real_model, "city:qianjiang", top=1)[0].score)


@pytest.mark.parametrize(
    ("city", "peer", "initiative"),
    [
        ("city:qianjiang", "city:suizhou", "initiative:cadres-to-communities"),
        ("city:shangluo", "city:tianmen", "initiative:cadre-political-assessment"),
    ],
)
def test_real_nearest_peers(real_model, city, peer, initiative):
    nearest = sim.top_peers(real_model, city, top=1)[0]
    assert nearest.peer == peer
    assert initiative in [x for x, _ in nearest.shared]


def test_simrank_equals_networkx_on_mini(mini_model):
    reference = nx.simrank_similarity(bipartite(mini_model))
    S = sim.similarity_matrix(mini_model, "simrank")
    cities = mini_model.incidence.cities
    for i, a in enumerate(cities):
        for j, b in enumerate(cities):
            assert S[i, j] == pytest.approx(reference[a][b])


def test_simrank_refuses_large_graphs(mini_model, monkeypatch):
    monkeypatch.setattr(scoring, "SIMRANK_MAX_NODES", 5)
    with pytest.raises(InputError, match=r"simrank refused: 8 nodes \(4 cities \+ 4 initiatives\) exceed the limit"):
        sim.top_peers(mini_model, "city:jia", metric="simrank")


def test_text_metric_explains_with_terms(real_model):
    peers = sim.top_peers(real_model, "city:qianjiang", metric="text", top=3)
    assert peers
    for p in peers:
        assert all(term.startswith("term:") for term, _ in p.shared)
        assert sum(v for _, v in p.shared) == pytest.approx(p.score)
    S = sim.similarity_matrix(real_model, "text")
    np.testing.assert_allclose(np.diag(S), 1.0)
    np.testing.assert_allclose(S, S.T, atol=1e-12)


def test_tokenize_keeps_dataset_names_whole(real_model):
    from graph.textutil import jieba_cache_dir, jieba_for

    tokenizer = jieba_for(real_model.dataset)  # the tokenizer the text metric uses
    assert "党员干部下沉社区" in sim.tokenize("推动党员干部下沉社区。", tokenizer)
    assert tokenizer.tmp_dir == str(jieba_cache_dir())


@pytest.mark.parametrize("metric", ["idf_cosine", "", "Jaccard"])
def test_unknown_metric_is_a_request_error(mini_model, metric):
    with pytest.raises(RequestError, match="unknown metric"):
        sim.top_peers(mini_model, "city:jia", metric=metric)


def test_similar_resolves_names_and_lists_initiative_names(real_model):
    table = sim.similar(real_model, "潜江", top=2)
    first = table.rows[0]
    assert (first["city"], first["peer"], first["rank"]) == ("潜江市", "随州市", 1)
    assert "党员干部下沉社区" in first["shared"]
    assert len(first["shared"]) == len(first["contribution"]) == len(first["evidence"])


def test_similar_unknown_city(real_model):
    with pytest.raises(UnknownNameError):
        sim.similar(real_model, "不存在市")


def test_dyads_on_mini(mini_model):
    table = sim.dyads(mini_model)
    assert len(table.rows) == 6
    S = {m: sim.similarity_matrix(mini_model, m) for m in sim.INCIDENCE_METRICS}
    idx = mini_model.incidence.city_index
    ents = mini_model.dataset.entities
    for row in table.rows:
        i, j = idx[row["city_a_id"]], idx[row["city_b_id"]]
        for m in sim.INCIDENCE_METRICS:
            assert row[m] == pytest.approx(S[m][i, j], abs=1e-6)
        assert row["same_province"] is True
        a, b = ents[row["city_a_id"]], ents[row["city_b_id"]]
        assert row["distance_km"] == pytest.approx(haversine_km(a.lat, a.lon, b.lat, b.lon), abs=0.1)
        assert row["shared"] == (1 if row["jaccard"] > 0 else 0)


def test_rank_pairs_sorted_by_metric(real_model):
    table = sim.rank(real_model, metric="adamic-adar", pairs=True)
    values = table.column_values("adamic-adar")
    assert values == sorted(values, reverse=True)
    assert len(table.rows) == 13 * 12 // 2


def test_rank_lists_every_city(real_model):
    table = sim.rank(real_model, top=1)
    assert sorted(table.column_values("city_id")) == sorted(
        c for c in real_model.incidence.cities if sim.top_peers(real_model, c, top=1)
    )
    assert set(table.column_values("rank")) == {1}


@pytest.mark.parametrize("metric", ["idf-cosine", "text"])
def test_peer_rows_carry_each_citys_quotes(real_model, metric):
    """Each evidence line names the initiative, then each city with all its quotes on it (the quotes looked up once
    per model give the lines built pair by pair)."""
    peers = [p for ps in sim.all_top_peers(real_model, metric=metric, top=3).values() for p in ps]
    rows = sim._peer_rows(real_model, peers, metric)
    evidence = real_model.incidence.evidence
    for p, row in zip(peers, rows, strict=True):
        expected = [
            f"{real_model.name(x)} | {real_model.name(p.city)}: {' / '.join(ev.quote for ev in evidence[(p.city, x)])}"
            f" | {real_model.name(p.peer)}: {' / '.join(ev.quote for ev in evidence[(p.peer, x)])}"
            for x, _ in p.shared
            if not x.startswith("term:")
        ]
        assert row["evidence"] == expected
    assert any(row["evidence"] for row in rows) == (metric != "text")  # text explains by terms, not initiatives
