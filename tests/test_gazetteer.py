"""The gazetteer: its table, the GCJ-02 -> WGS-84 conversion, and name resolution."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph import gazetteer as gz
from graph.gazetteer import _gcj_offset

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "reference-cities.csv"


def _reference() -> list[dict]:
    with REFERENCE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _reference(), ids=lambda r: r["name_zh"])
def test_the_13_reference_cities_match_their_checked_facts(row):
    place = gz.resolve(row["name_zh"])
    assert isinstance(place, gz.Place)
    assert (place.name, place.name_en, place.level) == (row["name_zh"], row["name_en"], row["level"])
    assert gz.province(place).name == row["province_zh"]
    assert gz.province(place).name_en == row["province_en"]
    # the reference points were converted from the same GCJ-02 points: equal to the 4th decimal (~10 m)
    assert abs(place.lat - float(row["lat"])) < 1.5e-4
    assert abs(place.lon - float(row["lon"])) < 1.5e-4
    assert place.coord == "seat"


@pytest.mark.parametrize("lat, lon", [(30.4049, 112.8942), (39.9, 116.4), (22.3, 114.1), (45.75, 126.65)])
def test_conversion_inverts_the_gcj02_offset(lat, lon):
    dlat, dlon = _gcj_offset(lat, lon)
    glat, glon = lat + dlat, lon + dlon  # WGS-84 -> GCJ-02, the published forward offset
    back = gz.gcj02_to_wgs84(glat, glon)
    assert back == pytest.approx((lat, lon), abs=1e-7)
    assert 0.1 < 111 * max(abs(dlat), abs(dlon)) < 1.0  # the shift is a few hundred metres


def test_conversion_leaves_points_outside_china_alone():
    assert gz.gcj02_to_wgs84(51.5, -0.12) == (51.5, -0.12)


def test_table_is_complete_and_consistent():
    table = gz.places()
    levels = {}
    for p in table.values():
        levels[p.level] = levels.get(p.level, 0) + 1
        if p.parent:
            assert p.parent in table, p
        assert table[p.province].is_province
        assert p.lat is not None and 3 < p.lat < 54 and 73 < p.lon < 136, p
    assert sum(1 for p in table.values() if p.is_province) == 34
    assert 330 <= sum(1 for p in table.values() if p.is_prefecture) <= 345
    county = sum(n for lv, n in levels.items() if lv in gz.COUNTY_LEVELS)
    assert 2800 <= county <= 2900
    assert set(levels) <= set(gz.PROVINCE_LEVELS + gz.PREFECTURE_LEVELS + gz.COUNTY_LEVELS)
    data = Path(gz.__file__).parent / "data" / "gazetteer.csv.gz"
    assert data.stat().st_size < 300_000


def test_full_short_and_former_names():
    assert gz.resolve("荆州市").adcode == "421000"
    assert gz.resolve("荆州").adcode == "421000"  # the city, not its 荆州区
    assert gz.resolve("荆州区").adcode == "421003"
    assert gz.resolve("利津").name == "利津县"
    assert gz.resolve(" 利津县 ").adcode == "370522"
    assert gz.resolve("襄樊").name == "襄阳市"
    assert gz.resolve("襄樊市").name == "襄阳市"
    assert gz.resolve("沔阳").name == "仙桃市"
    assert gz.resolve("肥乡县").name == "肥乡区"  # renamed after the 2016 table
    assert gz.resolve("Atlantis") == []


def test_parents_of_a_county_a_direct_county_and_a_district_of_a_municipality():
    lijin = gz.resolve("利津县")
    assert gz.prefecture(lijin).name == "东营市"
    assert [a.name for a in gz.ancestors(lijin)] == ["东营市", "山东省"]
    xiantao = gz.resolve("仙桃市")
    assert xiantao.level == "省直辖县级市"
    assert gz.prefecture(xiantao) is None and gz.parent(xiantao).name == "湖北省"
    chaoyang_bj = gz.get("110105")
    assert gz.parent(chaoyang_bj).name == "北京市" and gz.prefecture(chaoyang_bj) is None
    assert gz.province(gz.get("420000")).name == "湖北省"


def test_ambiguous_names_are_listed_never_guessed():
    xinhua = gz.resolve("新华区")
    assert isinstance(xinhua, list)
    assert sorted(gz.parent(p).name for p in xinhua) == ["平顶山市", "沧州市", "石家庄市"]
    chaoyang = gz.resolve("朝阳")  # 朝阳市 and its 朝阳县, 北京's and 长春's 朝阳区
    assert isinstance(chaoyang, list) and len(chaoyang) == 4


def test_context_decides_by_the_nearest_named_parent():
    assert gz.resolve("新华区", context="沧州市新华区召开推进会").adcode == "130902"
    assert gz.resolve("新华区", context=["河南", "平顶山"]).adcode == "410402"
    # 河北 holds two of them: still a list, of those two
    left = gz.resolve("新华区", context="河北省新华区")
    assert sorted(p.adcode for p in left) == ["130105", "130902"]
    assert gz.resolve("朝阳区", context="北京市朝阳区").adcode == "110105"
    # a context naming none of the parents changes nothing
    assert isinstance(gz.resolve("新华区", context="本报讯"), list)


def test_english_names():
    assert gz.resolve("陕西省").name_en == "Shaanxi"
    assert gz.resolve("山西省").name_en == "Shanxi"
    assert gz.resolve("利津县").name_en == "Lijin County"
    assert gz.resolve("朝阳市").name_en == "Chaoyang"
    assert gz.resolve("荆州区").name_en == "Jingzhou District"
    assert gz.resolve("长阳土家族自治县").name_en == "Changyang Autonomous County"


def test_every_level_below_a_province_is_a_city_level_of_the_data_contract():
    import json

    from graph.schema import CITY_LEVELS

    below = {p.level for p in gz.places().values() if not p.is_province}
    assert below <= set(CITY_LEVELS)
    package = json.loads((Path(__file__).resolve().parent.parent / "data" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["level"]["constraints"]["enum"] == list(CITY_LEVELS)
