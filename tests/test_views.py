"""graph.views: which nodes and edges each view selects, on the hand-checked four-city dataset."""

from __future__ import annotations

import math

import pytest

from graph.dataset import load_dataset
from graph.errors import InputError, RequestError, UnknownNameError, WrongTypeError
from graph.model import Model
from graph.render.layout import force_positions, map_positions, project
from graph.similarity import Peer
from graph.views import ViewSpec, default_filename, select


def edge_set(view):
    return {(u, v, k) for u, v, k in view.edges(keys=True)}


def test_overview_practice_level_draws_every_entity_but_events_and_sources(mini_model):
    view = select(mini_model, ViewSpec())
    assert len(view) == 16  # 1 province, 4 cities, 5 practices, 4 initiatives, 2 themes
    assert "event:meeting" not in view and "source:mini-article" not in view
    kinds = [k for _, _, k in view.edges(keys=True)]
    assert sorted(set(kinds)) == ["belongs_to", "instance_of", "located_in", "part_of", "reports"]
    assert len(kinds) == 4 + 5 + 1 + 8 + 4  # located_in, reports, part_of, instance_of, belongs_to
    assert view.graph["title"] == "总览 · 1 个省，4 个城市，5 项做法，4 项共同举措，2 个主题"
    english = select(mini_model, ViewSpec(lang="en"))
    assert english.graph["title"] == "Overview · 1 province, 4 cities, 5 practices, 4 initiatives, 2 themes"
    assert view.graph["sources"] == ["source:mini-article"]


def test_overview_initiative_level_joins_cities_to_initiatives_with_their_quotes(mini_model):
    view = select(mini_model, ViewSpec(level="initiative"))
    assert {view.nodes[n]["type"] for n in view} == {"province", "city", "initiative", "theme"}
    adopts = sorted((u, v) for u, v, k in view.edges(keys=True) if k == "adopts")
    assert adopts == [
        ("city:bing", "initiative:political-assessment"),
        ("city:bing", "initiative:red-property"),
        ("city:ding", "initiative:political-assessment"),
        ("city:ding", "initiative:volunteering"),
        ("city:jia", "initiative:cadres-to-communities"),
        ("city:jia", "initiative:red-property"),
        ("city:yi", "initiative:cadres-to-communities"),
        ("city:yi", "initiative:volunteering"),
    ]
    edge = view.edges["city:jia", "initiative:cadres-to-communities", "adopts"]
    assert edge["evidence"] == "到居住地社区报到"
    assert edge["document"] == "source:mini-article"
    assert edge["practices"] == ["practice:jia-report"]
    assert view.graph["title"].endswith("（做法已合并）")


JIA_OWN = {"city:jia", "province:hubei", "practice:jia-down", "practice:jia-report"}
JIA_INITIATIVES = {"initiative:red-property", "initiative:cadres-to-communities"}
JIA_PEERS = {"city:yi", "city:bing"}  # each shares one initiative; 丁原 shares only the province
JIA_LEARN = {"initiative:political-assessment", "initiative:volunteering"}


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (1, JIA_OWN | JIA_INITIATIVES | JIA_PEERS | JIA_LEARN),
        (2, JIA_OWN | JIA_INITIATIVES | JIA_PEERS | JIA_LEARN | {"practice:yi-down", "practice:bing-assess"}),
    ],
)
def test_city_view_shows_the_city_its_initiatives_its_peers_and_what_it_could_learn(mini_model, depth, expected):
    view = select(mini_model, ViewSpec("city", "Jiashi", depth=depth))
    assert set(view) == expected
    assert view.graph["subject"] == "city:jia"
    assert view.graph["title"] == f"甲山市 · 共同举措、相似城市与可借鉴之处（深度 {depth}）"
    roles = {n: view.nodes[n].get("role") for n in view}
    assert roles["city:jia"] == "subject"
    assert {n for n, r in roles.items() if r == "learn"} == JIA_LEARN
    # no pair of the four cities is significant: the peers are drawn as weak ones
    assert {n for n, r in roles.items() if r == "weak-peer"} == JIA_PEERS
    assert ("city:jia", "city:yi", "similar") in edge_set(view)
    assert ("city:yi", "initiative:cadres-to-communities", "adopts") in edge_set(view)
    assert ("city:bing", "initiative:political-assessment", "adopts") in edge_set(view)


def test_the_province_does_not_make_cities_neighbours(mini_model):
    for depth in (1, 2, 3):
        view = select(mini_model, ViewSpec("city", "甲山", depth=depth))
        assert "city:ding" not in view  # 丁原 shares nothing with 甲山 but its province
        assert ("city:jia", "province:hubei", "located_in") in edge_set(view)
        assert not any(k == "located_in" and u != "city:jia" for u, _, k in view.edges(keys=True))


def test_the_models_graph_keeps_no_role_after_a_city_view(mini_model):
    select(mini_model, ViewSpec("city", "甲山"))
    assert "role" not in mini_model.graph.nodes["city:jia"]


def test_initiative_view_shows_adopters_with_the_practices_between(mini_model):
    view = select(mini_model, ViewSpec("initiative", "红色物业"))
    assert set(view) == {
        "initiative:red-property",
        "theme:governance",
        "city:jia",
        "city:bing",
        "practice:jia-down",
        "practice:bing-assess",
    }
    assert edge_set(view) == {
        ("city:jia", "practice:jia-down", "reports"),
        ("practice:jia-down", "initiative:red-property", "instance_of"),
        ("city:bing", "practice:bing-assess", "reports"),
        ("practice:bing-assess", "initiative:red-property", "instance_of"),
        ("initiative:red-property", "theme:governance", "belongs_to"),
    }
    assert view.graph["title"] == "红色物业 · 2 个城市采用"
    english = select(mini_model, ViewSpec("initiative", "红色物业", lang="en"))
    assert english.graph["title"] == "红色物业 (red property management) · adopted by 2 cities"


def test_initiative_view_takes_the_practice_the_city_reports_not_its_headline(mini_model):
    # jia reports jia-report itself, so its headline practice jia-down is not needed to reach the city
    view = select(mini_model, ViewSpec("initiative", "下沉社区"))
    assert "practice:jia-report" in view and "practice:jia-down" not in view
    assert ("city:jia", "practice:jia-report", "reports") in edge_set(view)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("practice", {"theme:cadres", "initiative:political-assessment", "city:bing", "city:ding",
                      "practice:bing-assess", "practice:ding-assess"}),
        ("initiative", {"theme:cadres", "initiative:political-assessment", "city:bing", "city:ding"}),
    ],
)  # fmt: skip
def test_theme_view_shows_its_initiatives_and_their_cities(mini_model, level, expected):
    view = select(mini_model, ViewSpec("theme", "干部工作", level=level))
    assert set(view) == expected


def test_similarity_view_falls_back_to_the_nearest_peers_when_nothing_is_significant(mini_model):
    # 4 initiatives, every city has 2 of them: any overlap of 1 has p = 5/6, so no pair is significant and each
    # city is joined to its (at most 2) peers sharing something
    view = select(mini_model, ViewSpec("similarity"))
    assert set(view) == {"city:jia", "city:yi", "city:bing", "city:ding"}
    pairs = {(u, v) for u, v in view.edges()}
    assert pairs == {
        ("city:bing", "city:jia"),
        ("city:jia", "city:yi"),
        ("city:ding", "city:yi"),
        ("city:bing", "city:ding"),
    }
    edge = view.edges["city:bing", "city:jia", "similar"]
    assert edge["shared"] == ["initiative:red-property"]
    assert edge["significant"] is False
    assert edge["p_value"] == pytest.approx(5 / 6)


def test_similarity_view_keeps_significant_pairs_only_where_there_are_some(mini_model, monkeypatch):
    def fake(model, metric, top):
        assert (metric, top) == ("jaccard", 5)
        return {
            "city:jia": [
                Peer("city:jia", "city:yi", 1, 0.9, 0.01, (("initiative:cadres-to-communities", 0.9),)),
                Peer("city:jia", "city:bing", 2, 0.5, 0.30, (("initiative:red-property", 0.5),)),
            ],
            "city:yi": [Peer("city:yi", "city:jia", 1, 0.9, 0.01, (("initiative:cadres-to-communities", 0.9),))],
            "city:bing": [
                Peer("city:bing", "city:jia", 1, 0.5, 0.30, ()),
                Peer("city:bing", "city:ding", 2, 0.4, 0.40, ()),
                Peer("city:bing", "city:yi", 3, 0.1, 0.90, ()),
            ],
            "city:ding": [],
        }

    monkeypatch.setattr("graph.similarity.all_top_peers", fake)
    view = select(mini_model, ViewSpec("similarity", metric="jaccard"))
    assert {(u, v) for u, v in view.edges()} == {
        ("city:jia", "city:yi"),
        ("city:bing", "city:jia"),
        ("city:bing", "city:ding"),
    }
    assert view.edges["city:jia", "city:yi", "similar"]["significant"] is True
    assert view.edges["city:jia", "city:yi", "similar"]["score"] == pytest.approx(0.9)
    assert "city:ding" in view  # every city is drawn, joined or not


@pytest.mark.parametrize(
    ("spec", "error", "message"),
    [
        (ViewSpec("globe"), RequestError, "unknown view 'globe'"),
        (ViewSpec(layout="globe"), RequestError, "unknown layout 'globe'"),
        (ViewSpec(level="city"), RequestError, "unknown level 'city'"),
        (ViewSpec("city"), RequestError, "the city view needs a name"),
        (ViewSpec("theme", "  "), RequestError, "the theme view needs a name"),
        (ViewSpec("overview", "甲山"), RequestError, "the overview view takes no name"),
        (ViewSpec("city", "甲山", depth=0), RequestError, "depth must be at least 1, not 0"),
        (
            ViewSpec("city", "红色物业"),
            WrongTypeError,
            "'红色物业' is 红色物业 (initiative:red-property), an initiative",
        ),
        (ViewSpec("initiative", "戊"), UnknownNameError, "no initiative named '戊'"),
        (ViewSpec("similarity", metric="nearness"), RequestError, "unknown metric 'nearness'"),
    ],
)
def test_bad_requests_are_refused(mini_model, spec, error, message):
    with pytest.raises(error, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        select(mini_model, spec)


def test_similarity_view_of_one_city_is_an_input_error(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text("文", encoding="utf-8")
    (tmp_path / "entities.csv").write_text(
        "id,type,name,name_en\ncity:a,city,甲市,A\nsource:a,source,文,\n", encoding="utf-8"
    )
    (tmp_path / "relations.csv").write_text("source,relation,target,evidence,document\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs at least two cities"):
        select(Model(load_dataset(tmp_path)), ViewSpec("similarity"))


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        (ViewSpec(), "overview.html"),
        (ViewSpec(layout="map", level="initiative"), "overview-initiatives-map.html"),
        (ViewSpec("city", "../../etc/passwd"), "city-etc-passwd.html"),
        (ViewSpec("city", "city:qianjiang"), "city-city-qianjiang.html"),
        (ViewSpec("initiative", "党员干部下沉社区"), "initiative-党员干部下沉社区.html"),
        (ViewSpec("similarity", level="initiative"), "similarity-idf-cosine.html"),
    ],
)
def test_default_filename_is_derived_from_the_view_and_stays_in_the_folder(spec, name):
    assert default_filename(spec) == name


# ---------------------------------------------------------------------------------------------------------------
# positions (graph.render.layout, used by the views)


def test_map_layout_pins_cities_where_they_are_and_the_rest_near_their_neighbours(mini_model):
    view = select(mini_model, ViewSpec(layout="map"))
    pos, pinned = map_positions(view)
    assert pinned == {"city:jia", "city:yi", "city:bing", "city:ding"}
    assert set(pos) == set(view)
    # north is up and east is right: 丙川 (33.9 N, 109.9 E) is above and left of 甲山 (30.4 N, 112.9 E)
    assert pos["city:bing"][0] < pos["city:jia"][0] and pos["city:bing"][1] < pos["city:jia"][1]
    # distances keep the proportions of the projection
    lat0 = (30.4 + 31.7 + 33.9 + 30.7) / 4
    proj = {
        c: project(lat, lon, lat0) for c, lat, lon in [("jia", 30.4, 112.9), ("yi", 31.7, 113.4), ("bing", 33.9, 109.9)]
    }
    want = math.dist(proj["jia"], proj["yi"]) / math.dist(proj["jia"], proj["bing"])
    got = math.dist(pos["city:jia"], pos["city:yi"]) / math.dist(pos["city:jia"], pos["city:bing"])
    assert got == pytest.approx(want, rel=1e-3)
    # a city's own practice sits nearer to it than to any other city
    p = pos["practice:jia-report"]
    assert min(("city:jia", "city:yi", "city:bing", "city:ding"), key=lambda c: math.dist(p, pos[c])) == "city:jia"


def test_map_layout_needs_coordinates(mini_copy):
    ent = mini_copy / "entities.csv"
    rows = ent.read_text(encoding="utf-8").splitlines()
    rows = [",".join(r.split(",")[:7] + ["", ""]) if r.startswith("city:") else r for r in rows]
    ent.write_text("\n".join(rows) + "\n", encoding="utf-8")
    model = Model(load_dataset(mini_copy))
    with pytest.raises(InputError, match="no city in this view has coordinates"):
        map_positions(select(model, ViewSpec(layout="map")))


def test_force_positions_are_seeded_and_fill_the_canvas(mini_model):
    view = select(mini_model, ViewSpec())
    first, second = force_positions(view), force_positions(view)
    assert first == second
    assert set(first) == set(view)
    assert max(max(abs(x), abs(y)) for x, y in first.values()) == pytest.approx(500, rel=0.01)
    assert len(set(first.values())) == len(first)  # no two nodes on one spot


def test_force_positions_in_igraph_above_the_node_limit(monkeypatch):
    """Large graphs are laid out by igraph: seeded, every node placed, the graph's edges shorter than chance."""
    pytest.importorskip("igraph")
    import math

    import networkx as nx

    from graph.render import layout

    monkeypatch.setattr(layout, "IGRAPH_MIN_NODES", 10)
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.1, seed=1)
    graph.add_node("alone")
    first = force_positions(graph)
    assert first == force_positions(graph) and set(first) == set(graph)
    assert first["alone"][1] > max(y for v, (_, y) in first.items() if v != "alone")  # below the rest
    monkeypatch.setattr(layout, "_igraph", lambda: None)
    assert force_positions(graph) != first  # the numpy layout is another picture
    joined = [math.dist(first[u], first[v]) for u, v in graph.edges()]
    spread = [math.dist(first[u], first[v]) for u in range(0, 60, 7) for v in range(3, 60, 11) if u != v]
    assert sum(joined) / len(joined) < 0.6 * sum(spread) / len(spread)


def test_map_borders_and_cities_share_one_projection(real_model):
    """Cities sit at frame-transformed Albers coordinates; the borders are compact and in the same space."""
    import json
    from pathlib import Path

    from graph.render.layout import albers, map_frame, map_layer

    view = select(real_model, ViewSpec(layout="map"))
    positions, pinned = map_positions(view)
    cx, cy, scale = map_frame(view)
    for city in pinned:
        x, y = albers(view.nodes[city]["lat"], view.nodes[city]["lon"])
        assert positions[city] == pytest.approx(((x - cx) * scale, (y - cy) * scale), abs=0.06)
    layer = map_layer(view)
    assert layer["frame"] == pytest.approx([cx, cy, scale])
    asset = Path("graph/render/assets/borders.json")
    assert asset.stat().st_size < 300_000
    meta = json.loads(asset.read_text(encoding="utf-8"))
    assert meta["tolerance_km"] == {"provinces": 2.5, "prefectures": 4.0} and meta["units"] == "km"
    # every one of the bundled cities lies inside the drawn land, well away from its edge
    xs = [v for ring in layer["land"] for v in ring[0::2]]
    ys = [v for ring in layer["land"] for v in ring[1::2]]
    for city in pinned:
        x, y = albers(view.nodes[city]["lat"], view.nodes[city]["lon"])
        assert min(xs) < x < max(xs) and min(ys) < y < max(ys)
    assert len(layer["provinces"]) > 30 and len(layer["prefectures"]) > 100 and layer["maritime"]


def test_albers_keeps_areas_between_its_parallels():
    """One degree of longitude by one of latitude, drawn at 30° N, has the area of that cell on the sphere."""
    import math

    from graph.render.layout import albers

    corners = [albers(lat, lon) for lat, lon in ((30, 110), (30, 111), (31, 111), (31, 110))]
    drawn = 0.5 * abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True))
    )
    r = 6371.0
    true = r * r * math.radians(1) * (math.sin(math.radians(31)) - math.sin(math.radians(30)))
    assert drawn == pytest.approx(true, rel=0.002)
