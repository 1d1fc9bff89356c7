"""The graph and the incidence derived from it by the path rule."""

from __future__ import annotations

import pytest

from graph.model import build_graph, build_incidence, open_model


def test_graph_has_every_entity_and_relation(mini_model):
    g = mini_model.graph
    ds = mini_model.dataset
    assert g.number_of_nodes() == len(ds.entities)
    assert g.number_of_edges() == len(ds.relations)
    assert g.nodes["city:jia"]["name"] == "甲山市"
    assert g.nodes["city:jia"]["lat"] == pytest.approx(30.4)
    assert "lat" not in g.nodes["initiative:red-property"]
    edge = g.edges["practice:jia-report", "initiative:cadres-to-communities", "instance_of"]
    assert edge == {"relation": "instance_of", "evidence": "到居住地社区报到", "document": "source:mini-article"}


def test_incidence_follows_the_path_rule(mini_model):
    inc = mini_model.incidence
    assert inc.cities == ["city:bing", "city:ding", "city:jia", "city:yi"]
    assert inc.initiatives_of("city:jia") == ["initiative:cadres-to-communities", "initiative:red-property"]
    assert inc.cities_of("initiative:political-assessment") == ["city:bing", "city:ding"]
    assert inc.df.tolist() == [2, 2, 2, 2]
    assert inc.matrix.dtype.name == "int8"
    (ev,) = inc.evidence[("city:jia", "initiative:cadres-to-communities")]
    assert (ev.practice, ev.quote) == ("practice:jia-report", "到居住地社区报到")


def test_adoption_through_part_of_only(mini_model):
    """A city that reports only a measure adopts what the measure's headline practice is an instance of."""
    ds = mini_model.dataset
    ds_copy = type(ds)(
        ds.root,
        ds.entities,
        [r for r in ds.relations if r.target != "practice:jia-down" or r.relation != "reports"],
        ds.texts,
    )
    inc = build_incidence(ds_copy)
    (ev,) = inc.evidence[("city:jia", "initiative:red-property")]
    assert ev.practice == "practice:jia-down"


def test_a_city_with_nothing_has_an_empty_row(mini_copy):
    from graph.dataset import load_dataset

    with open(mini_copy / "entities.csv", "a", encoding="utf-8") as f:
        f.write("city:wu,city,戊土市,Wu,,,地级市,,\n")
    inc = build_incidence(load_dataset(mini_copy))
    assert inc.initiatives_of("city:wu") == []
    assert inc.matrix.shape == (5, 4)


def test_open_model_is_cached_until_the_files_change(mini_copy):
    first = open_model(mini_copy)
    assert open_model(mini_copy) is first
    with open(mini_copy / "entities.csv", "a", encoding="utf-8") as f:
        f.write("theme:extra,theme,额外主题,extra theme,,,,,\n")
    assert open_model(mini_copy) is not first


def test_build_graph_does_not_need_the_model(mini_model):
    assert build_graph(mini_model.dataset).number_of_nodes() == 18


def test_real_data_design_card_links(real_model):
    inc = real_model.incidence
    assert "initiative:cadres-to-communities" in inc.initiatives_of("city:qianjiang")
    assert "initiative:cadres-to-communities" in inc.initiatives_of("city:suizhou")
    assert "initiative:cadre-political-assessment" in inc.initiatives_of("city:shangluo")
    assert "initiative:cadre-political-assessment" in inc.initiatives_of("city:tianmen")


def test_ways_of_working_are_left_out_unless_asked_for(real_copy):
    plain = open_model(real_copy)
    wide = open_model(real_copy, include_methods=True)
    assert wide is not plain
    assert "initiative:pilot-then-scale" not in plain.incidence.initiatives
    assert "initiative:pilot-then-scale" in plain.adoption.initiatives
    assert wide.incidence is wide.adoption
    assert plain.incidence.initiatives_of("city:nanyang") == ["initiative:whole-area-party-building"]
    assert "initiative:pilot-then-scale" in wide.incidence.initiatives_of("city:nanyang")
    # evidence of a way of working stays on the full adoption, for show and the views
    assert ("city:nanyang", "initiative:pilot-then-scale") in plain.adoption.evidence
    assert ("city:nanyang", "initiative:pilot-then-scale") not in plain.incidence.evidence
