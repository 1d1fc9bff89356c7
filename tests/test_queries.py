"""show, shared and stats on the tiny dataset, checked by hand."""

from __future__ import annotations

import pytest

from graph.errors import RequestError, UnknownNameError
from graph.queries import shared, show, stats, uniqueness


def test_shared_two_cities(mini_model):
    table = shared(mini_model, ["甲山", "乙水"])
    assert table.column_values("initiative_id") == ["initiative:cadres-to-communities"]
    assert table.rows[0]["evidence"] == ["甲山市: 到居住地社区报到", "乙水市: 党员干部下沉社区工作常态化"]
    assert table.notes == []


def test_shared_nothing_in_common_says_so(mini_model):
    table = shared(mini_model, ["甲山", "丁原"])
    assert table.rows == []
    assert table.notes == ["甲山市、丁原市 have no initiative in common."]


def test_shared_three_cities(mini_model):
    assert shared(mini_model, ["甲山", "乙水", "丙川"]).rows == []


@pytest.mark.parametrize(
    "names, message",
    [(["甲山"], "name at least two cities"), (["甲山", "Jia"], "the same city given twice: 甲山市")],
)
def test_shared_bad_requests(mini_model, names, message):
    with pytest.raises(RequestError, match=message):
        shared(mini_model, names)


def test_shared_unknown_city(mini_model):
    with pytest.raises(UnknownNameError):
        shared(mini_model, ["甲山", "戊土"])


def test_show_city(mini_model):
    section = show(mini_model, "甲山")
    assert section.record["id"] == "city:jia"
    relations = section.table("relations")
    assert ("->", "reports", "practice:jia-report") in [
        (r["direction"], r["relation"], r["id"]) for r in relations.rows
    ]
    adopted = section.table("initiatives")
    assert adopted.column_values("initiative_id") == ["initiative:cadres-to-communities", "initiative:red-property"]


def test_show_initiative_lists_its_cities(mini_model):
    section = show(mini_model, "initiative:red-property")
    assert section.table("cities").column_values("city") == ["丙川市", "甲山市"]
    assert ("<-", "instance_of") in [(r["direction"], r["relation"]) for r in section.table("relations").rows]


def test_stats(mini_model):
    section = stats(mini_model, top=2)
    counts = {r["what"]: r["count"] for r in section.table("counts").rows}
    assert counts["city"] == 4 and counts["adoptions (city x initiative)"] == 8
    assert len(section.table("initiatives").rows) == 2


def test_uniqueness_by_hand(mini_model):
    # every initiative of the mini data is shared by exactly two cities: all count as rare
    assert uniqueness(mini_model) == {c: 1.0 for c in mini_model.incidence.cities}


def test_real_data_design_card(real_model):
    rows = shared(real_model, ["潜江", "随州"]).rows
    row = next(r for r in rows if r["initiative_id"] == "initiative:cadres-to-communities")
    assert {e.split(":")[0] for e in row["evidence"]} == {"潜江市", "随州市"}
    rows = shared(real_model, ["商洛", "天门"]).rows
    row = next(r for r in rows if r["initiative_id"] == "initiative:cadre-political-assessment")
    assert {e.split(":")[0] for e in row["evidence"]} == {"商洛市", "天门市"}
