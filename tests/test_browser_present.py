"""The presentation mode of the graph views in headless Chromium, every network request blocked: the panel hides,
labels grow, the arrows step through the cities or the similar pairs, Esc leaves; hostile text stays text."""

from __future__ import annotations

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render import write_view
from graph.views import ViewSpec
from tests.test_render import MINI_VIEWS, write_hostile_dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def files(real_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("present")
    return {
        "city": write_view(real_model, ViewSpec("city", "潜江"), folder / "city.html"),
        "similarity": write_view(real_model, ViewSpec("similarity"), folder / "similarity.html"),
        "en": write_view(real_model, ViewSpec(lang="en", level="initiative"), folder / "en.html"),
    }


def load(page, path):
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn][data-stable]", state="attached", timeout=60_000)


def caption(page):
    return page.locator("#pg-caption").text_content()


def test_p_presents_the_city_view_and_the_arrows_step_through_its_cities(page, files):
    load(page, files["city"])
    page.keyboard.press("p")
    page.wait_for_selector("body.pg-presenting[data-present-at='0']", state="attached")
    assert not page.locator("#pg-panel").is_visible() and not page.locator("#pg-search").is_visible()
    assert caption(page).startswith("←/→") and "潜江市" in caption(page)  # the view's city first
    font = "window.pgView.nodes.get('city:qianjiang').font.size"
    page.wait_for_function(f"() => {font} >= 1.7 * 24")  # the city's label, 24 px at scale 1, grows by 1.7
    presenting = page.evaluate(font)
    cities = page.evaluate("window.pgView.nodes.get({filter: n => n.type === 'city' && !n.hidden}).length")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("body[data-present-at='1']", state="attached")
    assert "潜江市 (" not in caption(page)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector(f"body[data-present-at='{cities - 1}']", state="attached")
    assert page.evaluate("window.pgView.network.getSelectedNodes().length") == 1
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.body.classList.contains('pg-presenting')")
    assert page.locator("#pg-panel").is_visible() and page.locator("#pg-caption").is_hidden()
    page.wait_for_function(f"f => {font} < f / 1.5", arg=presenting)
    assert page.errors == [] and page.requests_blocked == [] and page.dialogs == []


def test_keys_are_not_typing_and_leaving_full_screen_leaves(page, files):
    """The keys the graph views share with the matrix (presenting.js): none counts while typing in a field; down,
    Page Down and the space bar step forward, up and Page Up back; leaving full screen leaves the mode."""
    load(page, files["city"])
    page.click("#pg-search")
    page.keyboard.press("p")
    assert page.input_value("#pg-search") == "p" and page.get_attribute("body", "data-present-at") is None
    page.fill("#pg-search", "")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Shift+P")
    page.wait_for_function("() => document.body.dataset.presentAt === '0' && document.fullscreenElement !== null")
    cities = page.evaluate("window.pgView.nodes.get({filter: n => n.type === 'city' && !n.hidden}).length")
    for key, expected in (("ArrowDown", 1), ("PageDown", 2), ("Space", 3), ("ArrowUp", 2), ("PageUp", 1)):
        page.keyboard.press(key)
        page.wait_for_selector(f"body[data-present-at='{expected % cities}']", state="attached")
    page.evaluate("document.exitFullscreen()")
    page.wait_for_function("() => !document.body.classList.contains('pg-presenting') && !document.fullscreenElement")
    assert page.locator("#pg-caption").is_hidden() and page.get_attribute("body", "data-present-at") is None
    assert page.errors == [] and page.requests_blocked == [] and page.dialogs == []


def test_the_similarity_view_steps_through_pairs_most_similar_first(page, files):
    load(page, files["similarity"])
    page.click("#pg-present")
    page.wait_for_selector("body.pg-presenting[data-present-at='0']", state="attached")
    first = caption(page)
    top = page.evaluate(
        "() => { const e = window.pgView.edges.get({filter: e => e.relation === 'similar'});"
        " e.sort((a, b) => b.value - a.value); return e[0].title.split('\\n')[0]; }"
    )
    assert top in first and "相似度" in first
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("body[data-present-at='1']", state="attached")
    assert caption(page) != first and page.evaluate("window.pgView.network.getSelectedEdges().length") >= 1
    page.click("#pg-present")
    page.wait_for_function("() => !document.body.classList.contains('pg-presenting')")


def test_the_button_speaks_the_page_language(page, files):
    load(page, files["en"])
    assert page.locator("#pg-present").text_content() == "Present"
    page.keyboard.press("P")
    page.wait_for_selector("body.pg-presenting", state="attached")
    assert "Esc to leave" in caption(page)


def test_hostile_text_stays_text_in_the_captions(page, tmp_path):
    model = Model(load_dataset(write_hostile_dataset(tmp_path / "data")))
    for i, spec in enumerate(MINI_VIEWS):
        load(page, write_view(model, spec, tmp_path / f"v{i}.html"))
        page.keyboard.press("p")
        page.wait_for_selector("body.pg-presenting", state="attached")
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("typeof window.__pwned") == "undefined", spec
        assert page.locator("#pg-caption img, #pg-caption script, #pg-caption svg, #pg-caption a").count() == 0
        page.keyboard.press("Escape")
    assert page.errors == [] and page.dialogs == [] and page.requests_blocked == []
