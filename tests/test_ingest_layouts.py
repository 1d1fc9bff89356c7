"""Articles in every layout, any place in China, with dates: the test articles under tests/fixtures/articles/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.dataset import load_dataset
from graph.errors import DatasetError
from graph.ingest import ingest, parse_article, read_article
from graph.ingest.dates import article_date
from graph.ingest.places import known_places

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "fixtures" / "articles"


@pytest.fixture(scope="module")
def known():
    return known_places(load_dataset(ROOT / "data"))


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.mark.parametrize(
    ("name", "layout", "places"),
    [
        ("news-lijin.txt", "news", [("利津县", "")]),
        ("report-jingzhou.txt", "report", [("荆州区", "")]),
        ("multi-places.txt", "multi", [("钟祥市", ""), ("宜都市", ""), ("安陆市", "")]),
        ("news-xiangzhou-gb18030.txt", "news", [("襄州区", "")]),
        ("news-xinhua-cangzhou.txt", "news", [("新华区", "沧州市")]),
        ("two-cities.txt", "roundup", [("甲山市", ""), ("戊城市", "")]),
    ],
)
def test_layout_and_places_are_found(known, name, layout, places):
    article = read_article(ARTICLES / name, known)
    assert article.layout == layout
    assert [(s.place, s.parent) for s in article.sections] == places


def test_a_news_report_keeps_its_headline_dateline_and_publisher(known):
    article = read_article(ARTICLES / "news-lijin.txt", known)
    assert article.title == "利津县启动机关党员干部下沉社区行动"
    assert article.header == ("2024-07-31 09:26:00 来源: 测试网 作者: 王五",)
    assert article.publisher == "测试网"
    (section,) = article.sections
    lead = section.paragraphs[0]
    assert lead.intro and lead.text.startswith("7月30日,利津县举办")  # the byline 本报讯(通讯员 张三) is not text
    assert "植物园社区" in section.paragraphs[2].text  # a community named in passing stays in 利津县's section


def test_a_work_report_has_one_measure_per_item(known):
    (section,) = read_article(ARTICLES / "report-jingzhou.txt", known).sections
    measures = [p.lead for p in section.paragraphs if not p.intro]
    assert measures[:3] == ["强化组织体系建设", "整顿软弱涣散村党组织", "推行红色物业"]
    assert [m for m in measures if m.endswith("是")] == []
    assert [m[:2] for m in measures[-3:]] == ["一是", "二是", "三是"]
    closing = section.paragraphs[-1]
    assert closing.intro and closing.text.startswith("下一步")  # context, not a detail of 三是


@pytest.mark.parametrize(
    ("text", "path", "given", "expected"),
    [
        ("标题\n2024-07-31 09:26:00 来源: 某网\n正文。", "a.txt", None, ("2024-07-31", "dateline")),
        ("标题\n2020年10月22日\n正文。", "a.txt", None, ("2020-10-22", "text")),
        ("标题\n7月1日,某市启动。", "news-2023.txt", None, ("2023-07-01", "text")),
        ("标题\n7月1日,某市启动。今年是2022年。", "a.txt", None, ("2022-07-01", "text")),
        ("标题\n正文。", "report-2021-03-04.txt", None, ("2021-03-04", "file name")),
        ("标题\n2024-07-31 来源", "a.txt", "2020-05", ("2020-05", "--date")),
    ],
)
def test_article_dates(text, path, given, expected):
    assert article_date(text, path, given) == expected


def test_an_article_without_a_date_needs_date(known):
    with pytest.raises(DatasetError) as info:
        read_article(ARTICLES / "no-date.txt", known)
    assert str(info.value.problems[0]).startswith(f"{ARTICLES / 'no-date.txt'}:1: no date found")
    assert "--date" in str(info.value.problems[0])
    assert read_article(ARTICLES / "no-date.txt", known, date="2023-06-01").date == "2023-06-01"


def _merged(data_copy, name, **options):
    ingest([ARTICLES / name], data_copy, data_copy.parent / f"review-{name}", apply_changes=True, **options)
    return load_dataset(data_copy)


def _city(dataset, name):
    return next(e for e in dataset.entities.values() if e.type == "city" and e.name == name)


def _links(dataset, source):
    return {r.target for r in dataset.relations if r.source == source and r.relation == "located_in"}


@pytest.mark.parametrize(
    ("name", "place", "province", "parent", "date", "initiatives"),
    [
        (
            "news-lijin.txt",
            "利津县",
            "province:shandong",
            "东营市",
            "2024-07-31",
            {"cadres-to-communities", "residence-community-reporting", "volunteer-service"},
        ),
        (
            "report-jingzhou.txt",
            "荆州区",
            "province:hubei",
            "荆州市",
            "2023-12-20",
            {"weak-organisation-rectification", "red-property-management", "one-village-multiple-graduates"},
        ),
        (
            "multi-places.txt",
            "宜都市",
            "province:hubei",
            "宜昌市",
            "2022-05-10",
            {"red-property-management"},
        ),
    ],
)
def test_an_article_in_each_layout_goes_in(data_copy, name, place, province, parent, date, initiatives):
    merged = _merged(data_copy, name)  # --apply on the article: validated, confident rows only
    city = _city(merged, place)
    assert city.lat is not None and city.lon is not None and city.level and city.name_en
    assert province in _links(merged, city.id)
    assert {merged.name_of(t) for t in _links(merged, city.id)} >= {parent}
    source = next(e for e in merged.entities.values() if e.type == "source" and e.id.endswith(name[:-4]))
    assert source.date == date
    practices = {r.target for r in merged.relations if r.relation == "reports" and r.source == city.id}
    assert practices and all(merged.entities[p].date == date for p in practices)
    linked = {
        r.target.split(":", 1)[1] for r in merged.relations if r.relation == "instance_of" and r.source in practices
    }
    assert initiatives <= linked


def test_two_places_sharing_a_name_are_listed_not_guessed(data_copy):
    from graph.ingest import propose
    from graph.model import Model

    model = Model(load_dataset(data_copy))
    ambiguous = propose(model, [read_article(ARTICLES / "news-xinhua.txt", known_places(model.dataset))])
    (city,) = [e for e in ambiguous.entities if e["type"] == "city"]
    assert (city["status"], city["lat"]) == ("uncertain", "")
    assert "130105" in city["note"] and "130902" in city["note"] and "410402" in city["note"]
    merged = _merged(data_copy, "news-xinhua.txt")  # --apply leaves the uncertain place (and its practices) out
    assert not [e for e in merged.entities.values() if e.name == "新华区"]
    resolved = _merged(data_copy, "news-xinhua-cangzhou.txt")
    assert "沧州市" in {resolved.name_of(t) for t in _links(resolved, _city(resolved, "新华区").id)}


def test_the_bundled_article_onto_the_bundled_data_adds_nothing(data_copy):
    before = (data_copy / "entities.csv").read_bytes(), (data_copy / "relations.csv").read_bytes()
    table = ingest([data_copy / "sources" / "xiangyang-daily-2020-10-22.txt"], data_copy, data_copy.parent / "r", True)
    assert any(note.startswith("nothing new") for note in table.notes), table.notes
    assert ((data_copy / "entities.csv").read_bytes(), (data_copy / "relations.csv").read_bytes()) == before


def test_a_forced_layout_is_used(known):
    text = "利津县开展活动\n2024年1月2日\n利津县开展志愿服务。\n钟祥市开展志愿服务。\n"
    assert parse_article(text, "a.txt", known).layout == "news"
    assert [s.place for s in parse_article(text, "a.txt", known, layout="multi").sections] == ["利津县", "钟祥市"]


@pytest.mark.parametrize(
    "dateline",
    [
        "云上荆州报道",
        "大众网记者 李四 东营报道",
        "2024-07-31 09:26:00 来源: 大众网 作者: 王五",
        "发布时间：2024年07月31日",
        "新华社武汉7月31日电",
    ],
)
def test_datelines_and_bylines_are_not_text(known, dateline):
    text = f"利津县开展党员志愿服务\n{dateline}\n利津县组织党员开展志愿服务。\n党员入户走访。\n"
    article = parse_article(text, "a-2024-07-31.txt", known)
    assert article.layout == "news" and article.header == (dateline,)
    (section,) = article.sections
    assert section.place == "利津县"
    assert [p.text for p in section.paragraphs] == ["利津县组织党员开展志愿服务。", "党员入户走访。"]


def test_a_headline_ending_like_a_dateline_is_still_the_headline(known):
    article = parse_article("利津县推进农村安全用电\n2024年1月2日\n利津县开展安全用电宣传。\n", "a.txt", known)
    assert article.title == "利津县推进农村安全用电"
