"""graph.analysis: uniqueness, centrality, communities and provinces, checked by hand on tiny datasets."""

from __future__ import annotations

import csv

import networkx as nx
import pytest

from graph import analysis
from graph.dataset import load_dataset
from graph.model import Model
from graph.queries import stats
from graph.queries import uniqueness as queries_uniqueness


def write_dataset(root, adoptions: dict[str, list[str]], provinces: dict[str, str]):
    """A valid dataset in ``root``: each city reports one practice, an instance of each of its initiatives."""
    sources = root / "sources"
    sources.mkdir(parents=True)
    lines, entities, relations = [], [], []
    entities.append(["source:doc", "source", "文章", "", "", "", "", "", ""])
    for p in sorted(set(provinces.values())):
        entities.append([f"province:{p}", "province", f"{p}省", p, "", "", "", "", ""])
    initiatives = sorted({x for xs in adoptions.values() for x in xs})
    for x in initiatives:
        entities.append([f"initiative:{x}", "initiative", f"举措{x}", x, "", "", "", "", ""])
    for c, xs in adoptions.items():
        entities.append([f"city:{c}", "city", f"{c}市", c, "", "", "地级市", "30.0", "112.0"])
        entities.append([f"practice:{c}", "practice", f"{c}做法", "", "", "", "", "", ""])
        if c in provinces:
            relations.append([f"city:{c}", "located_in", f"province:{provinces[c]}", "", ""])
        quote = f"{c}市推行做法"
        lines.append(quote)
        relations.append([f"city:{c}", "reports", f"practice:{c}", quote, "source:doc"])
        for x in xs:
            quote = f"{c}市开展{x}"
            lines.append(quote)
            relations.append([f"practice:{c}", "instance_of", f"initiative:{x}", quote, "source:doc"])
    (sources / "doc.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(root / "entities.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon"])
        w.writerows(entities)
    with open(root / "relations.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "relation", "target", "evidence", "document"])
        w.writerows(relations)
    return Model(load_dataset(root))


@pytest.fixture
def small(tmp_path):
    """a, b in province p; c, d in q. x: a b c; y: a b; z: c only; w: d only."""
    return write_dataset(
        tmp_path / "small",
        {"a": ["x", "y"], "b": ["x", "y"], "c": ["x", "z"], "d": ["w"]},
        {"a": "p", "b": "p", "c": "q", "d": "q"},
    )


def test_uniqueness_by_hand(small):
    u = analysis.uniqueness(small)
    assert u == {"city:a": 0.5, "city:b": 0.5, "city:c": 0.5, "city:d": 1.0}
    assert analysis.uniqueness(small, others=0) == {"city:a": 0.0, "city:b": 0.0, "city:c": 0.5, "city:d": 1.0}
    assert queries_uniqueness(small) == u
    assert analysis.only_here(small) == {"city:a": 0, "city:b": 0, "city:c": 1, "city:d": 1}


def test_uniqueness_of_a_city_without_initiatives(tmp_path):
    model = write_dataset(tmp_path / "d", {"a": ["x"], "b": ["x"], "e": []}, {})
    assert analysis.uniqueness(model)["city:e"] == 0.0


def test_betweenness_equals_networkx_bipartite(small):
    g = analysis.bipartite_graph(small)
    expected = nx.bipartite.betweenness_centrality(g, small.incidence.cities)
    got = analysis.initiative_betweenness(small)
    assert got == pytest.approx({x: expected[x] for x in small.incidence.initiatives})
    # a leaf initiative lies on no path between two others
    assert got["initiative:z"] == 0.0 and got["initiative:x"] > got["initiative:y"]


def test_sampled_betweenness_uses_the_same_scale(small, monkeypatch):
    exact = analysis.initiative_betweenness(small)
    nodes = analysis.bipartite_graph(small).number_of_nodes()
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_NODES", 1)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", nodes)  # every node sampled: exact again
    assert analysis.initiative_betweenness(small) == pytest.approx(exact)


def test_initiative_table_by_hand(small):
    table = analysis.initiative_table(small)
    rows = {r["initiative_id"]: r for r in table.rows}
    assert rows["initiative:x"]["cities"] == 3 and rows["initiative:x"]["degree"] == pytest.approx(0.75)
    assert table.rows[0]["initiative_id"] == "initiative:x"
    assert analysis.initiative_table(small, top=2, by="betweenness").column_values("initiative_id") == [
        "initiative:x",
        "initiative:y",
    ]


def test_communities(small):
    cities = analysis.city_communities(small)
    assert sorted(m for g in cities for m in g) == small.incidence.cities
    assert ["city:d"] in cities  # shares nothing
    assert any({"city:a", "city:b"} <= set(g) for g in cities)
    initiatives = analysis.initiative_communities(small)
    assert ["initiative:w"] in initiatives
    assert any({"initiative:x", "initiative:y"} <= set(g) for g in initiatives)
    assert analysis.city_communities(small) == cities  # seeded: the same every time


def test_community_tables(small):
    table = analysis.community_table(small)
    assert sum(r["size"] for r in table.rows) == 4
    assert table.notes and "stand alone" in table.notes[0]
    assert [r["size"] for r in analysis.initiative_community_table(small).rows][-1] == 1


def test_provinces_by_hand(small):
    rows = {r["province_id"]: r for r in analysis.province_table(small).rows}
    p, q = rows["province:p"], rows["province:q"]
    assert (p["cities"], p["mean_initiatives"], p["initiatives"], p["shared_within"], p["shared_across"]) == (
        2,
        2.0,
        2,
        2,
        1,
    )
    assert (q["cities"], q["mean_initiatives"], q["initiatives"], q["shared_within"], q["shared_across"]) == (
        2,
        1.5,
        3,
        0,
        1,
    )
    pairs = {r["pairs_of_cities"]: r for r in analysis.province_pairs(small).rows}
    assert (pairs["same province"]["pairs"], pairs["same province"]["mean_shared"]) == (2, 1.0)
    assert pairs["same province"]["sharing_any"] == 1
    assert (pairs["different provinces"]["pairs"], pairs["different provinces"]["mean_shared"]) == (4, 0.5)
    assert pairs["different provinces"]["sharing_any"] == 2


def test_cities_without_a_province(tmp_path):
    model = write_dataset(tmp_path / "d", {"a": ["x"], "b": ["x"]}, {})
    rows = analysis.province_table(model).rows
    assert [(r["province"], r["cities"]) for r in rows] == [("(no province)", 2)]
    pairs = {r["pairs_of_cities"]: r["pairs"] for r in analysis.province_pairs(model).rows}
    assert pairs == {"same province": 0, "different provinces": 0, "province unknown": 1}


def test_a_city_of_unknown_province_is_not_across_provinces(tmp_path):
    """a, b in p; c in q; e (just ingested) in none. x: a b e; y: c e."""
    adoptions = {"a": ["x"], "b": ["x"], "c": ["y"], "e": ["x", "y"]}
    model = write_dataset(tmp_path / "d", adoptions, {"a": "p", "b": "p", "c": "q"})
    pairs = {r["pairs_of_cities"]: r for r in analysis.province_pairs(model).rows}
    assert [(k, r["pairs"], r["mean_shared"], r["sharing_any"]) for k, r in pairs.items()] == [
        ("same province", 1, 1.0, 1),
        ("different provinces", 2, 0.0, 0),
        ("province unknown", 3, 1.0, 3),
    ]


def test_stats_has_the_analysis_sections(small):
    section = stats(small, top=2)
    names = [t.name for t in section.tables]
    for name in ("counts", "initiatives", "cities", "centrality", "city_communities", "provinces"):
        assert name in names
    cities = {r["city_id"]: r for r in section.table("cities").rows}
    assert cities["city:d"]["uniqueness"] == 1.0 and cities["city:c"]["only_here"] == 1
    assert len(section.table("centrality").rows) == 2


def test_city_table_community_matches_communities(small):
    groups = analysis.city_communities(small)
    for row in analysis.city_table(small).rows:
        assert row["city_id"] in groups[row["community"] - 1]


def test_nearest_keeps_each_rows_best_and_mirrors():
    import numpy as np

    scores = np.array(
        [
            [1.0, 0.9, 0.2, 0.0],
            [0.9, 1.0, 0.3, 0.1],
            [0.2, 0.3, 1.0, 0.0],
            [0.0, 0.1, 0.0, 1.0],
        ]
    )
    kept = analysis._nearest(scores, 1).toarray()
    # rows' best: 0->1, 1->0, 2->1, 3->1; mirrored, the diagonal dropped
    expected = np.zeros((4, 4))
    for i, j, v in ((0, 1, 0.9), (2, 1, 0.3), (3, 1, 0.1)):
        expected[i, j] = expected[j, i] = v
    assert kept == pytest.approx(expected)
    assert analysis._nearest(scores, 3).toarray() == pytest.approx(scores - np.eye(4))


def test_city_communities_on_nearest_neighbours(small, monkeypatch):
    monkeypatch.setattr(analysis, "COMMUNITY_NEIGHBOURS", 1)
    groups = analysis.city_communities(small)
    assert ["city:d"] in groups and any({"city:a", "city:b"} <= set(g) for g in groups)


def _without_igraph(monkeypatch):
    monkeypatch.setattr(analysis, "_igraph", lambda: None)


def test_sampled_betweenness_igraph_equals_networkx(tmp_path, monkeypatch):
    """igraph sums the dependencies of the very sources networkx samples: the same estimate."""
    pytest.importorskip("igraph")
    adoptions = {f"c{i}": [f"x{(i * 7 + k) % 13}" for k in range(2 + i % 4)] for i in range(12)}
    monkeypatch.setattr(analysis, "EXACT_BETWEENNESS_NODES", 5)
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLES", 6)
    fast = analysis.initiative_betweenness(write_dataset(tmp_path / "a", adoptions, {}))
    _without_igraph(monkeypatch)
    slow = analysis.initiative_betweenness(write_dataset(tmp_path / "b", adoptions, {}))
    assert fast == pytest.approx(slow) and max(slow.values()) > 0


def test_exact_betweenness_igraph_equals_networkx(small, tmp_path, monkeypatch):
    pytest.importorskip("igraph")
    fast = analysis.initiative_betweenness(small)
    _without_igraph(monkeypatch)
    assert analysis.initiative_betweenness(small) == pytest.approx(fast)


def test_louvain_in_igraph_above_the_edge_limit(tmp_path, monkeypatch):
    pytest.importorskip("igraph")
    adoptions = {"a": ["x", "y"], "b": ["x", "y"], "c": ["z", "v"], "d": ["z", "v"], "e": ["w"]}
    monkeypatch.setattr(analysis, "IGRAPH_MIN_EDGES", 0)
    model = write_dataset(tmp_path / "d", adoptions, {})
    groups = analysis.initiative_communities(model)
    assert sorted(map(sorted, groups)) == [
        ["initiative:v", "initiative:z"],
        ["initiative:w"],
        ["initiative:x", "initiative:y"],
    ]
    assert analysis.city_communities(model)[:2] == [["city:a", "city:b"], ["city:c", "city:d"]]
    again = write_dataset(tmp_path / "again", adoptions, {})
    assert analysis.initiative_communities(again) == groups  # seeded


def test_results_computed_once_per_model(small, monkeypatch):
    first = analysis.city_communities(small)
    monkeypatch.setattr(analysis, "_city_communities", lambda *a: pytest.fail("computed twice"))
    assert analysis.city_communities(small) is first
    monkeypatch.setattr(analysis, "COMMUNITY_NEIGHBOURS", 1)  # another setting: another result
    with pytest.raises(pytest.fail.Exception):
        analysis.city_communities(small)
