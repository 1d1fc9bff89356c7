"""The timeline view in headless Chromium with every network request blocked: dots, panel, search, legend, safety."""

from __future__ import annotations

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render.timeline import write_timeline
from tests.test_render_timeline import HISTORY, write_hostile_history

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("timeline")
    model = Model(load_dataset(HISTORY))
    hostile = Model(load_dataset(write_hostile_history(folder / "hostile")))
    return {
        "all": write_timeline(model, folder / "all.html", ties=True),
        "initiative": write_timeline(model, folder / "red.html", "红色物业"),
        "english": write_timeline(model, folder / "red-en.html", "红色物业", lang="en"),
        "hostile": write_timeline(hostile, folder / "hostile.html", ties=True),
    }


def load(page, path):
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=30_000)


def test_dots_rows_and_arrows_are_drawn_offline(page, files):
    load(page, files["initiative"])
    assert page.locator("circle.tl-dot").count() == 4
    assert page.locator("text[data-row]").all_text_contents() == ["甲山市", "乙水市", "丙川市", "丁原市"]
    load(page, files["all"])
    assert page.locator("circle.tl-dot").count() == 10
    assert page.locator("path.tl-arrow").count() > 0
    page.uncheck("#tl-ties")
    assert page.locator("path.tl-arrow").count() == 0
    assert "戊城市" in page.locator("#tl-undated").text_content()
    assert page.requests_blocked == [] and page.errors == [] and page.dialogs == []


def test_a_click_shows_the_source_and_quote(page, files):
    load(page, files["initiative"])
    page.click("circle[data-point='0']")
    panel = page.locator("#tl-panel").text_content()
    assert "2019-05-10" in panel and "甲山市坚持党建引领，推行红色物业" in panel and "测试日报" in panel
    assert "不是采用日期" in panel and "首次报道" in panel and "first report" not in panel


def test_the_english_page_speaks_english_alone(page, files):
    load(page, files["english"])
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("circle[data-point='0']")
    panel = page.locator("#tl-panel").text_content()
    assert "first report" in panel and "not adoption dates" in panel and "首次报道" not in panel
    axis = page.locator("#tl-svg .tl-axis").text_content()
    assert "first 2019-05-10" in axis and "来源" not in axis
    assert page.get_attribute("#tl-search", "placeholder").startswith("Search")


@pytest.mark.parametrize(
    "query, rows", [("丙川", ["丙川市"]), ("Bing", ["丙川市"]), ("志愿", ["甲山市", "乙水市", "丁原市"])]
)
def test_search_keeps_matching_cities_and_initiatives(page, files, query, rows):
    load(page, files["all"])
    page.fill("#tl-search", query)
    assert page.locator("text[data-row]").all_text_contents() == rows


def test_legend_hides_an_initiative(page, files):
    load(page, files["all"])
    before = page.locator("circle.tl-dot").count()
    page.click("#tl-legend button[data-initiative='0']")
    assert page.locator("circle.tl-dot").count() < before


def test_hostile_text_stays_text(page, files):
    load(page, files["hostile"])
    page.click("circle[data-point='0']")
    page.fill("#tl-search", "<")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#tl-panel img, #tl-panel script, #tl-panel a, #tl-svg script, #tl-svg a").count() == 0
    assert page.errors == [] and page.dialogs == [] and page.requests_blocked == []


def test_reports_of_one_day_sit_side_by_side_in_their_row(page, real_model, tmp_path):
    load(page, write_timeline(real_model, tmp_path / "bundled.html"))
    dots = page.evaluate(
        "Array.from(document.querySelectorAll('circle.tl-dot'))"
        ".map(c => [+c.getAttribute('cx'), +c.getAttribute('cy')])"
    )
    assert len(dots) == len(set(map(tuple, dots))) == len(real_model.adoption.evidence)
    rows = page.evaluate("Array.from(document.querySelectorAll('text[data-row]')).map(t => +t.getAttribute('y') - 4)")
    assert {y for _, y in dots} <= set(rows)  # on their row's line, never pushed into the next row
    assert "唯一来源 2020-10-22" in page.locator("#tl-svg").text_content()
