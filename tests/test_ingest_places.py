"""New places from an article get their facts from the gazetteer: level, coordinates, province and prefecture."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import cli
from graph.dataset import load_dataset
from graph.ingest import read_candidates

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "articles" / "places-in-china.txt"


@pytest.fixture
def review(runner, mini_copy, tmp_path):
    out = tmp_path / "review"
    args = ["--data", str(mini_copy), "ingest", str(ARTICLE), "--out", str(out), "--date", "2024-05-01"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    candidates = read_candidates(out)
    return out, {r["name"]: r for r in candidates.entities}, candidates.relations


def _located(relations, source):
    return sorted(r["target"] for r in relations if r["source"] == source and r["relation"] == "located_in")


def test_a_county_gets_its_level_point_province_and_prefecture(review):
    _, rows, relations = review
    lijin = rows["利津县"]
    assert (lijin["level"], lijin["name_en"], lijin["lat"], lijin["lon"]) == (
        "县",
        "Lijin County",
        "37.4896",
        "118.2494",
    )
    assert lijin["status"] == "new" and "山东省东营市利津县" in lijin["note"]
    dongying, shandong = rows["东营市"], rows["山东省"]
    assert (dongying["type"], dongying["level"], dongying["name_en"]) == ("city", "地级市", "Dongying")
    assert (shandong["type"], shandong["id"], shandong["name_en"]) == ("province", "province:shandong", "Shandong")
    assert _located(relations, lijin["id"]) == sorted([dongying["id"], "province:shandong"])
    assert _located(relations, dongying["id"]) == ["province:shandong"]


def test_a_province_the_dataset_has_is_reused(review):
    _, rows, relations = review
    jingzhou_district = rows["荆州区"]
    assert jingzhou_district["level"] == "区"
    assert "province:hubei" in _located(relations, jingzhou_district["id"])
    assert "湖北省" not in rows  # no second Hubei
    assert rows["荆州市"]["level"] == "地级市"


def test_a_shared_name_is_resolved_by_the_prefecture_its_text_names(review):
    _, rows, relations = review
    xinhua = rows["新华区"]
    assert "河北省沧州市新华区 (adcode 130902)" in xinhua["note"]
    assert rows["沧州市"]["id"] in _located(relations, xinhua["id"])


def test_a_shared_name_the_text_does_not_settle_is_listed_for_review(review):
    _, rows, relations = review
    chaoyang = rows["朝阳区"]
    assert chaoyang["status"] == "uncertain"
    assert "北京市朝阳区 (110105)" in chaoyang["note"] and "吉林省长春市朝阳区 (220104)" in chaoyang["note"]
    assert (chaoyang["lat"], chaoyang["lon"]) == ("", "")  # never a guessed point
    assert _located(relations, chaoyang["id"]) == []


def test_the_merged_dataset_is_valid_and_places_are_in_their_provinces(runner, mini_copy, review):
    out, rows, _ = review
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 0, result.output
    dataset = load_dataset(mini_copy)
    assert dataset.provinces[rows["利津县"]["id"]] == "province:shandong"
    assert dataset.provinces[rows["东营市"]["id"]] == "province:shandong"
    assert dataset.provinces[rows["荆州区"]["id"]] == "province:hubei"
    assert dataset.entities[rows["利津县"]["id"]].lat == pytest.approx(37.4896)


def test_rejecting_a_new_place_drops_the_province_and_prefecture_it_brought(runner, mini_copy, review):
    out, rows, _ = review
    path = out / "entities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [
        line.replace(",new,0.8,", ",rejected,0.8,") if line.startswith(rows["利津县"]["id"] + ",") else line
        for line in lines
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 0, result.output
    dataset = load_dataset(mini_copy)
    assert rows["利津县"]["id"] not in dataset.entities
    assert "city:dongying" not in dataset.entities and "province:shandong" not in dataset.entities
    assert "province:hebei" in dataset.entities  # 新华区's stays


def test_a_unit_newer_than_the_coordinates_says_its_point_is_its_parents(runner, mini_copy, tmp_path):
    article = tmp_path / "qiantang-2024-06-01.txt"
    article.write_text(
        "钱塘区：推行“党建+网格”服务\n钱塘区把网格作为服务群众的最小单元。\n组织党员干部下沉社区。\n", encoding="utf-8"
    )
    out = tmp_path / "review"
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", str(article), "--out", str(out)])
    assert result.exit_code == 0, result.output
    row = next(r for r in read_candidates(out).entities if r["name"] == "钱塘区")
    assert "its point is its parent's seat" in row["note"]
    assert row["lat"] and row["lon"]
