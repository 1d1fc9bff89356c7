"""The matrix view and the side-by-side comparison in headless Chromium, every network request blocked: cells and
their quotes, filters, search, comparison, presentation mode, hostile text and 1,000 synthetic cities."""

from __future__ import annotations

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render.matrix import write_matrix
from tests.test_render import HOSTILE, write_hostile_dataset

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def files(tmp_path_factory, real_model):
    folder = tmp_path_factory.mktemp("matrix")
    hostile = Model(load_dataset(write_hostile_dataset(folder / "hostile")))
    cities = hostile.incidence.cities
    return {
        "matrix": write_matrix(real_model, folder / "matrix.html"),
        "compare": write_matrix(real_model, folder / "compare.html", compare=("潜江", "随州")),
        "en": write_matrix(real_model, folder / "en.html", lang="en", compare=("商洛", "天门")),
        "hostile": write_matrix(hostile, folder / "hostile.html", compare=(cities[0], cities[1])),
    }


def load(page, path):
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)


def row_of(page, city_id):
    return page.evaluate("id => mxView.data.rows.findIndex(r => r[0] === id)", city_id)


def col_of(page, initiative_id):
    return page.evaluate("id => mxView.data.cols.findIndex(c => c[0] === id)", initiative_id)


def point(page, row, col):
    """Where on the page the cell (row, col) is (col -1: the row's name; row -1: the column's name).

    Revealing the cell may scroll, and the page hides its tooltip on the scroll event, which the browser sends with
    the next frame: the point is returned after two frames, so that a mouse moved there next is not undone by it."""
    return page.evaluate(
        """([row, col]) => new Promise((done) => {
          const v = mxView, s = document.getElementById("mx-scroll");
          v.reveal(row, col);
          requestAnimationFrame(() => requestAnimationFrame(() => {
            const L = v.layout(), box = s.getBoundingClientRect();
            const x = col < 0 ? L.left / 2 : L.left + v.state.colPos[col] * L.cell - s.scrollLeft + L.cell / 2;
            const y = row < 0 ? L.top / 2 : L.top + v.state.rowPos[row] * L.cell - s.scrollTop + L.cell / 2;
            done([box.left + x, box.top + y]);
          }));
        })""",
        [row, col],
    )


def test_every_report_is_drawn_and_a_cell_shows_its_quote_in_its_sentence(page, files):
    load(page, files["matrix"])
    assert page.evaluate("mxView.state.rows.length") == 13
    assert int(page.get_attribute("body", "data-drawn")) == 72  # all of it fits at 1280 x 900
    r, c = row_of(page, "city:qianjiang"), col_of(page, "initiative:cadres-to-communities")
    x, y = point(page, r, c)
    page.mouse.move(x, y)
    page.wait_for_selector("#mx-tip:not([hidden])")
    tip = page.locator("#mx-tip").text_content()
    assert "潜江市 × 党员干部下沉社区" in tip and "机关企事业单位党组织到联系社区报到" in tip
    page.mouse.click(x, y)
    page.wait_for_function("() => document.querySelector('#mx-panel h2').textContent.includes('潜江市')")
    panel = page.locator("#mx-panel")
    assert "2019年以来" in panel.text_content()  # the sentence around the quote
    assert "机关企事业单位党组织到联系社区报到" in panel.locator("mark").first.text_content()
    assert "襄阳日报" in panel.locator(".mx-doc").first.text_content()
    assert page.requests_blocked == [] and page.errors == [] and page.dialogs == []


def test_city_and_initiative_names_open_their_panels(page, files):
    load(page, files["matrix"])
    page.mouse.click(*point(page, row_of(page, "city:qianjiang"), -1))
    page.wait_for_function("() => document.querySelector('#mx-panel h2').textContent === '潜江市'")
    peers = page.locator("#mx-panel .mx-peer").all_text_contents()
    assert peers[0].startswith("随州市 0.466 · p = 0.0166 *") and "不稳定" in peers[0]
    assert "mx-weak" in page.locator("#mx-panel .mx-peer").nth(2).get_attribute("class")
    # five initiatives, six quotes, one source: named once, under the list
    sources = [t for t in page.locator("#mx-panel .mx-doc").all_text_contents() if t.startswith("来源")]
    assert len(sources) == 1 and page.locator("#mx-panel blockquote").count() >= 5
    page.mouse.click(*point(page, -1, col_of(page, "initiative:cadres-to-communities")))
    page.wait_for_function("() => document.querySelector('#mx-panel h2').textContent === '党员干部下沉社区'")
    assert page.locator("#mx-panel .mx-link").all_text_contents() == ["潜江市", "随州市"] or set(
        page.locator("#mx-panel .mx-link").all_text_contents()
    ) >= {"潜江市", "随州市"}


def test_the_page_says_which_ways_of_working_it_leaves_out_and_each_city_s_own(page, files):
    load(page, files["matrix"])
    note = page.locator("#mx-methods")
    assert note.is_visible() and "不含 4 项工作方式" in note.text_content()
    assert "（不含 4 项工作方式）" in page.locator("#mx-sub").text_content()
    page.mouse.click(*point(page, row_of(page, "city:qianjiang"), -1))
    page.wait_for_function("() => document.querySelector('#mx-panel h2').textContent === '潜江市'")
    line = page.locator("#mx-panel .mx-methods")
    assert line.count() == 1 and line.text_content().startswith("另报告 1 项工作方式（“")
    assert page.locator("#mx-panel h3").nth(1).text_content() == "5 项举措"
    assert page.errors == []


def test_province_filter_and_threshold_keep_rows_and_columns(page, files):
    load(page, files["matrix"])
    page.select_option("#mx-province", label="陕西省")
    page.wait_for_function("() => mxView.state.rows.length < 13")
    names = page.evaluate("mxView.state.rows.map(i => mxView.data.rows[i][1])")
    assert set(names) == {"商洛市", "安康市", "汉中市"}
    cols = page.evaluate("mxView.state.cols.length")
    assert 0 < cols < 41
    page.select_option("#mx-province", value="-1")
    page.locator("#mx-min").fill("3")
    page.wait_for_function("() => mxView.state.min === 3")
    counts = page.evaluate("mxView.state.cols.map(j => mxView.data.cols[j][3])")
    assert counts and min(counts) >= 3


@pytest.mark.parametrize(
    ("query", "title"), [("sui", "随州市"), ("Qianjiang", "潜江市"), ("下沉社区", "党员干部下沉社区")]
)
def test_search_goes_to_a_city_first(page, files, query, title):
    load(page, files["matrix"])
    page.fill("#mx-search", query)
    page.press("#mx-search", "Enter")
    page.wait_for_function("t => document.querySelector('#mx-panel h2').textContent === t", arg=title)


def test_compare_shows_both_quotes_what_only_one_reports_and_the_figures(page, files, real_model):
    a = set(real_model.incidence.initiatives_of("city:qianjiang"))
    b = set(real_model.incidence.initiatives_of("city:suizhou"))
    load(page, files["compare"])
    view = page.locator("#mx-compare-view")
    assert view.is_visible() and not page.locator("#mx-panel").is_visible()
    text = view.text_content()
    assert "潜江市 ↔ 随州市" in text and "0.466 · p = 0.0166 *" in text and "显著" in text
    assert "54% 的重抽样" in text and "（不稳定）" in text
    counts = [int(h.get_attribute("data-count")) for h in view.locator("h3").all()]
    assert counts == [len(a & b), len(a - b), len(b - a)] == [3, 2, 3]
    pair = view.locator(".mx-pair").first
    assert pair.locator("h4").text_content() == "党员干部下沉社区"
    assert pair.locator("blockquote").count() >= 2 and pair.locator("mark").count() >= 2
    # back to the matrix, then the pickers
    page.click("#mx-back")
    page.wait_for_selector("#mx-compare-view", state="hidden")
    page.select_option("#mx-a", label="商洛市")
    page.select_option("#mx-b", label="天门市")
    page.click("#mx-compare")
    page.wait_for_function("() => document.querySelector('#mx-compare-view h2').textContent === '商洛市 ↔ 天门市'")
    assert int(view.locator("h3").first.get_attribute("data-count")) == 7
    assert page.errors == [] and page.requests_blocked == []


def test_compare_in_english(page, files):
    load(page, files["en"])
    text = page.locator("#mx-compare-view").text_content()
    assert "Both report" in text and "Only 商洛市 reports" in text and "similarity" in text


def test_presentation_mode_steps_through_cities_and_pairs(page, files):
    load(page, files["matrix"])
    page.keyboard.press("p")
    page.wait_for_function("() => document.body.classList.contains('mx-presenting')")
    assert not page.locator("#mx-panel").is_visible() and not page.locator("#mx-search").is_visible()
    assert page.evaluate("mxView.layout().cell") > 18
    first = page.evaluate("mxView.data.rows[mxView.state.rows[0]][1]")
    page.wait_for_function("t => document.getElementById('mx-caption').textContent.includes(t)", arg=first)
    page.keyboard.press("ArrowRight")
    second = page.evaluate("mxView.data.rows[mxView.state.rows[1]][1]")
    page.wait_for_function("t => document.getElementById('mx-caption').textContent.includes(t)", arg=second)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("t => document.getElementById('mx-caption').textContent.includes(t)", arg=first)
    for _ in range(12):  # to the last city: its row stays above the caption
        page.keyboard.press("ArrowRight")
    last = page.evaluate("mxView.data.rows[mxView.state.rows[12]][1]")
    page.wait_for_function("t => document.getElementById('mx-caption').textContent.includes(t)", arg=last)
    row_bottom = page.evaluate(
        "() => { const v = mxView, L = v.layout(), s = document.getElementById('mx-scroll');"
        " return s.getBoundingClientRect().top + L.top + (v.state.rowPos[v.state.row] + 1) * L.cell - s.scrollTop; }"
    )
    assert row_bottom <= page.locator("#mx-caption").bounding_box()["y"]
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.body.classList.contains('mx-presenting')")
    assert page.locator("#mx-caption").is_hidden() and page.locator("#mx-panel").is_visible()
    # on the comparison, the arrows go through the pairs, most similar significant pair first
    load(page, files["compare"])
    page.click("#mx-present")
    page.wait_for_function("() => document.body.classList.contains('mx-presenting')")
    before = page.locator("#mx-compare-view h2").text_content()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("t => document.querySelector('#mx-compare-view h2').textContent !== t", arg=before)
    assert "↔" in page.locator("#mx-caption").text_content()
    assert page.errors == [] and page.dialogs == []


def test_presentation_keys_are_not_typing_and_leaving_full_screen_leaves(page, files):
    """The keys the matrix shares with the graph views (presenting.js): none counts while typing in a field; down,
    Page Down and the space bar step forward, up and Page Up back; leaving full screen leaves the mode."""
    load(page, files["matrix"])
    page.click("#mx-search")
    page.keyboard.press("p")
    assert page.input_value("#mx-search") == "p" and not page.evaluate("mxView.state.presenting")
    page.fill("#mx-search", "")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Shift+P")
    page.wait_for_function("() => mxView.state.presenting && document.fullscreenElement !== null")
    at = "mxView.state.rowPos[mxView.state.row]"
    assert page.evaluate(at) == 0
    for key, expected in (("ArrowDown", 1), ("PageDown", 2), ("Space", 3), ("ArrowUp", 2), ("PageUp", 1)):
        page.keyboard.press(key)
        page.wait_for_function(f"k => {at} === k", arg=expected)
    name = page.evaluate("mxView.data.rows[mxView.state.row][1]")
    assert name in page.locator("#mx-caption").text_content()
    page.evaluate("document.exitFullscreen()")
    page.wait_for_function("() => !mxView.state.presenting && document.fullscreenElement === null")
    assert page.locator("#mx-caption").is_hidden() and page.locator("#mx-panel").is_visible()
    page.keyboard.press("ArrowDown")  # no longer presenting: the arrows do not step
    assert page.evaluate(at) == 1 and page.locator("#mx-caption").is_hidden()
    assert page.errors == [] and page.dialogs == []


def test_hostile_text_stays_text(page, files):
    load(page, files["hostile"])
    assert page.locator("#mx-compare-view").is_visible()
    page.click("#mx-back")
    n_rows, n_cols = page.evaluate("[mxView.data.rows.length, mxView.data.cols.length]")
    for r in range(n_rows):
        page.mouse.click(*point(page, r, -1))
        for c in range(n_cols):
            page.mouse.move(*point(page, r, c))
            page.mouse.click(*point(page, r, c))
    for c in range(n_cols):
        page.mouse.click(*point(page, -1, c))
    page.fill("#mx-search", "<script")
    page.press("#mx-search", "Enter")
    page.keyboard.press("p")
    page.click("body")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.__pwned === undefined")
    found = "#mx-panel img, #mx-panel script, #mx-panel svg, #mx-tip img, #mx-compare-view img, #mx-caption img"
    assert page.locator(found).count() == 0
    assert any(h in page.locator("#mx-panel").text_content() for h in HOSTILE)
    assert page.errors == [] and page.dialogs == [] and page.requests_blocked == []


@pytest.mark.parametrize("size", [(1366, 768), (1093, 614)])
def test_small_screens_keep_the_matrix_and_comparison_usable(browser, files, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    try:
        page.goto(files["compare"].as_uri())
        page.wait_for_selector("body[data-ready]", state="attached")
        box = page.locator("#mx-compare-view").bounding_box()
        assert box["height"] > size[1] / 2 and box["width"] > size[0] * 0.9
        columns = page.locator(".mx-pair").first.evaluate(
            "e => getComputedStyle(e).gridTemplateColumns.split(' ').length"
        )
        assert columns == 2
        page.click("#mx-back")
        stage = page.locator("#mx-stage").bounding_box()
        assert stage["height"] > size[1] / 2 and stage["width"] > size[0] / 2
    finally:
        context.close()


def test_a_thousand_cities_open_and_scroll(page, tmp_path):
    from benchmarks.synth import write_dataset

    model = Model(load_dataset(write_dataset(tmp_path / "synth", cities=1000, initiatives=4000)))
    page.set_default_timeout(120_000)  # a 3 MB page on a busy machine: waits are for conditions, never times
    page.set_default_navigation_timeout(120_000)
    load(page, write_matrix(model, tmp_path / "big.html"))
    shown = page.evaluate("[mxView.state.rows.length, mxView.state.cols.length]")
    assert shown == [1000, len(set(model.incidence.indices.tolist()))] and shown[1] > 3000
    drawn = int(page.get_attribute("body", "data-drawn"))
    assert drawn > 0
    page.evaluate("const s = document.getElementById('mx-scroll'); s.scrollTop = s.scrollHeight; s.scrollLeft = 200")
    page.wait_for_function("() => Number(document.body.getAttribute('data-first-row')) > 900")
    last = page.evaluate("mxView.state.rows[999]")
    x, y = point(page, last, page.evaluate("mxView.data.cells.find(c => c[0] === mxView.state.rows[999])[1]"))
    page.mouse.move(x, y)
    page.wait_for_selector("#mx-tip:not([hidden])")
    assert " × " in page.locator("#mx-tip strong").text_content()
    page.mouse.click(*point(page, last, -1))
    page.wait_for_function("() => document.querySelectorAll('#mx-panel .mx-peer').length > 0")
    assert page.errors == [] and page.requests_blocked == []


def test_the_address_names_the_city_or_pair_and_opens_on_it(page, files):
    load(page, files["matrix"])
    page.mouse.click(*point(page, row_of(page, "city:qianjiang"), -1))
    page.wait_for_function("() => location.hash === '#city=city%3Aqianjiang'")
    page.goto(files["matrix"].as_uri() + "#compare=city%3Ashangluo,city%3Atianmen")
    page.wait_for_selector("body[data-ready]", state="attached")
    page.wait_for_function("() => document.querySelector('#mx-compare-view h2').textContent === '商洛市 ↔ 天门市'")
    page.evaluate("location.hash = '#initiative=initiative%3Acadres-to-communities'")
    page.wait_for_function("() => document.querySelector('#mx-panel h2').textContent === '党员干部下沉社区'")
    assert page.locator("#mx-compare-view").is_hidden()
    page.goto(files["compare"].as_uri() + "#city=nonsense")  # an address naming nothing: the page's own pair
    page.wait_for_selector("body[data-ready]", state="attached")
    assert page.locator("#mx-compare-view h2").text_content() == "潜江市 ↔ 随州市"
    assert page.errors == []


def test_a_metric_without_stability_says_so(page, real_model, tmp_path):
    load(page, write_matrix(real_model, tmp_path / "text.html", metric="text", compare=("潜江", "随州")))
    text = page.locator("#mx-compare-view .mx-figures").text_content()
    assert "度量：text" in text and "排第 1（此度量或此数据规模不计算稳定性）" in text and "%" not in text
