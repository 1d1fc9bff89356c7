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
    inc = real_model.incidence
    for city in inc.cities:
        assert len(inc.initiatives_of(city)) >= 2, city
    every_initiative = set(inc.initiatives)
    adopted = {x for (_, x) in inc.evidence}
    assert adopted == every_initiative
    shared = [x for x in inc.initiatives if len(inc.cities_of(x)) >= 2]
    assert len(shared) * 2 > len(inc.initiatives), "most initiatives should be shared by two or more cities"
