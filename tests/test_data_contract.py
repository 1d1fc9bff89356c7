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
    import csv

    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cities.csv"
    cities = {e.name: e for e in real_model.dataset.of_type("city")}
    assert len(cities) == 13
    if reference.is_file():
        with reference.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                city = cities[row["name_zh"]]
                assert city.name_en == row["name_en"]
                assert city.level == row["level"]
                assert (city.lat, city.lon) == pytest.approx((float(row["lat"]), float(row["lon"])))


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
