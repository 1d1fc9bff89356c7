"""The bundled dataset against its published contract (data/datapackage.json) and the curation rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.schema import ENTITY_COLUMNS, ENTITY_TYPES, RELATION_COLUMNS, RELATION_TYPES

DATA = Path(__file__).resolve().parent.parent / "data"


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _fields(resource):
    return {f["name"]: f for f in resource["schema"]["fields"]}


def test_package_agrees_with_the_code():
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    entities, relations = _fields(resources["entities"]), _fields(resources["relations"])
    assert list(entities) == ENTITY_COLUMNS
    assert list(relations) == RELATION_COLUMNS
    assert sorted(entities["type"]["constraints"]["enum"]) == sorted(ENTITY_TYPES)
    assert sorted(relations["relation"]["constraints"]["enum"]) == sorted(RELATION_TYPES)
    assert resources["relations"]["schema"]["primaryKey"] == ["source", "relation", "target"]


def test_the_thirteen_cities(real_model):
    """Names, levels and seats of the 13 cities agree with the checked facts in tests/fixtures/reference-cities.csv
    (seats: Vonng's adcode dataset, CC BY 4.0, converted from GCJ-02 to WGS-84)."""
    import csv

    reference = Path(__file__).resolve().parent / "fixtures" / "reference-cities.csv"
    cities = {e.name: e for e in real_model.dataset.of_type("city")}
    with reference.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 13
    provinces = {r.source: r.target for r in real_model.dataset.relations if r.relation == "located_in"}
    for row in rows:
        city = cities[row["name_zh"]]
        assert city.name_en == row["name_en"]
        assert city.level == row["level"]
        assert (city.lat, city.lon) == pytest.approx((float(row["lat"]), float(row["lon"])))
        assert real_model.dataset.entities[provinces[city.id]].name == row["province_zh"]


def test_every_city_section_is_curated(real_model):
    ds = real_model.dataset
    reported = {r.source for r in ds.relations if r.relation == "reports"}
    assert reported == {e.id for e in ds.of_type("city")}
    inc = real_model.adoption
    for city in inc.cities:
        assert len(inc.initiatives_of(city)) >= 2, city
        # 南阳's only other link is a way of working (试点先行), left out of comparisons by default
        assert real_model.incidence.initiatives_of(city), city
    every_initiative = set(inc.initiatives)
    adopted = {x for (_, x) in inc.evidence}
    assert adopted == every_initiative
    shared = [x for x in inc.initiatives if len(inc.cities_of(x)) >= 2]
    assert len(shared) * 2 > len(inc.initiatives), "most initiatives should be shared by two or more cities"


def _sections(real_model):
    """Each city's section of the source article: (start, end) character offsets."""
    import re

    ds = real_model.dataset
    text = (DATA / "sources" / "xiangyang-daily-2020-10-22.txt").read_text(encoding="utf-8")
    by_name = {e.name: e.id for e in ds.of_type("city")}
    starts = sorted(
        (m.start(), by_name[m.group(1)]) for m in re.finditer(r"^(\S+?):", text, re.M) if m.group(1) in by_name
    )
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return text, {city: (start, end) for (start, city), end in zip(starts, ends, strict=True)}


def test_every_quote_occurs_once_and_in_its_own_city_section(real_model):
    # a quote must identify its place: “一村多名大学生计划” alone, or 强化结果运用, occurs in two cities' sections
    text, sections = _sections(real_model)
    assert len(sections) == 13
    ds = real_model.dataset
    owner = {r.target: r.source for r in ds.relations if r.relation == "reports"}
    checked = 0
    for r in ds.relations:
        if r.relation not in ("reports", "part_of", "instance_of"):
            continue
        city = r.source if r.source.startswith("city:") else owner[r.source]
        start, end = sections[city]
        assert text.count(r.evidence) == 1, (r.source, r.target, r.evidence)
        assert start <= text.find(r.evidence) < end, (r.source, r.target, r.evidence)
        checked += 1
    assert checked > 150


def test_reaudit_rules_on_the_cases_that_swung_rankings(real_model):
    adopters = real_model.adoption.cities_of
    # a list of the teams that make up one mechanism is one practice: 荆门 adopts 社区联防联控, not the teams
    assert "city:jingmen" not in adopters("initiative:cadres-to-communities")
    assert "city:jingmen" not in adopters("initiative:volunteer-service")
    assert adopters("initiative:joint-prevention-control") == ["city:jingmen", "city:qianjiang"]
    # scope: 孝感 evaluates village party secretaries, not the leading cadres of the cadre-assessment initiatives
    for x in ("cadre-political-assessment", "routine-cadre-assessment", "assessment-result-use", "cadre-up-and-down"):
        assert adopters(f"initiative:{x}") == ["city:shangluo", "city:tianmen"], x
    assert adopters("initiative:village-cadre-assessment") == ["city:xiaogan"]
    # epidemic work said in so many words
    assert adopters("initiative:epidemic-prevention") == ["city:qianjiang", "city:suizhou", "city:xiantao"]
    # one standard for poverty alleviation: the city's own measure serves it (not where cadres are assessed)
    assert adopters("initiative:party-led-poverty-alleviation") == [
        "city:ankang", "city:hanzhong", "city:xiantao", "city:xiaogan"
    ]  # fmt: skip
    # ways of working are kept, but out of what cities are compared on
    for x in ("pilot-then-scale", "supervision", "cadre-deployment-normalisation", "responsibility-system"):
        assert f"initiative:{x}" in real_model.adoption.initiatives
        assert f"initiative:{x}" not in real_model.incidence.initiatives
    # the design card's pairs come out of the rules
    assert {"city:qianjiang", "city:suizhou"} <= set(adopters("initiative:cadres-to-communities"))
    assert {"city:shangluo", "city:tianmen"} <= set(adopters("initiative:cadre-political-assessment"))
