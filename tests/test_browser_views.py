"""The views in headless Chromium with every network request blocked: drawing, search, legend, panel, safety."""

from __future__ import annotations

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render import write_view
from graph.views import ViewSpec, select
from tests.test_render import MINI_VIEWS, write_hostile_dataset

pytestmark = pytest.mark.browser

REAL_VIEWS = {
    "overview": ViewSpec(),
    "city": ViewSpec("city", "潜江", depth=2),
    "initiative": ViewSpec("initiative", "党员干部下沉社区"),
    "theme": ViewSpec("theme", "基层治理", level="initiative"),
    "similarity": ViewSpec("similarity"),
    "map": ViewSpec(layout="map"),
    "initiative-level": ViewSpec(level="initiative"),
}


@pytest.fixture(scope="module")
def real_files(real_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("views")
    return {key: write_view(real_model, spec, folder / f"{key}.html") for key, spec in REAL_VIEWS.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    model = Model(load_dataset(write_hostile_dataset(folder / "data")))
    return model, [write_view(model, spec, folder / f"view{i}.html") for i, spec in enumerate(MINI_VIEWS)]


def load(page, path):
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn][data-stable]", state="attached", timeout=60_000)


def node_point(page, node_id):
    """A point of the page where the node, and no other node or label, answers a click or a hover."""
    return page.evaluate(
        """(id) => {
            const net = window.pgView.network;
            const c = net.getPosition(id);
            const r = net.body.nodes[id].shape.radius || 5;
            const box = document.getElementById("pg-graph").getBoundingClientRect();
            const tries = [[0, 0], [0, -0.6], [0.6, 0], [-0.6, 0], [0, 0.6], [0.45, -0.45], [-0.45, -0.45]];
            for (const [dx, dy] of tries) {
                const p = net.canvasToDOM({x: c.x + dx * r, y: c.y + dy * r});
                if (net.getNodeAt(p) === id) { return [box.left + p.x, box.top + p.y]; }
            }
            const p = net.canvasToDOM(c);
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )


def wait_view_still(page):
    """Wait until the view (position and zoom) has not moved for three animation frames: an animation is over."""
    page.evaluate(
        """() => new Promise((resolve) => {
            const net = window.pgView.network;
            let last = null, same = 0;
            const tick = () => {
                const p = net.getViewPosition();
                const key = [p.x.toFixed(2), p.y.toFixed(2), net.getScale().toFixed(5)].join(",");
                same = key === last ? same + 1 : 0;
                last = key;
                if (same >= 3) { resolve(true); } else { requestAnimationFrame(tick); }
            };
            requestAnimationFrame(tick);
        })"""
    )


def hover(page, point):
    """Move the mouse to ``point`` and, when a node or edge with a tooltip is there, wait until it shows it.

    Returns the tooltip's text, or None when nothing with a tooltip is under the pointer.
    """
    # first away from everything, so that no earlier tooltip stays up
    box = page.locator("#pg-graph").bounding_box()
    page.mouse.move(box["x"] + 1, box["y"] + 1)
    page.wait_for_function(
        """() => {
            const tip = document.querySelector("div.vis-tooltip");
            return !tip || tip.style.visibility === "hidden";
        }""",
        timeout=10_000,
    )
    page.mouse.move(*point)
    # the item vis-network's own popup picks: the last node under the pointer with a title, else (no node there)
    # the last connected edge under it with a title
    expected = page.evaluate(
        """([x, y]) => {
            const net = window.pgView.network, body = net.body;
            const box = document.getElementById("pg-graph").getBoundingClientRect();
            const area = net.selectionHandler._pointerToPositionObject({x: x - box.left, y: y - box.top});
            let pick = null, overNode = false;
            for (const id of body.nodeIndices) {
                const n = body.nodes[id];
                if (n.isOverlappingWith(area)) { overNode = true; if (n.getTitle() !== undefined) { pick = n; } }
            }
            if (!overNode) {
                for (const id of body.edgeIndices) {
                    const e = body.edges[id];
                    if (e.isOverlappingWith(area) && e.connected && e.getTitle() !== undefined) { pick = e; }
                }
            }
            const title = pick && pick.getTitle();
            return typeof title === "string" && title.trim() ? title : null;
        }""",
        list(point),
    )
    if expected is None:
        return None
    page.wait_for_function(
        r"""(want) => {
            const tip = document.querySelector("div.vis-tooltip");
            const flat = (t) => t.replace(/\s+/g, "");
            return tip && tip.style.visibility !== "hidden" && flat(tip.innerText) === flat(want);
        }""",
        arg=expected,
        timeout=10_000,
    )
    return page.locator("div.vis-tooltip").text_content()


def edge_middle(page, edge_id):
    """The middle of an edge as drawn (on its curve), in page coordinates."""
    return page.evaluate(
        """(id) => {
            const net = window.pgView.network;
            const edge = net.body.edges[id];
            const c = edge.edgeType.getPoint(0.5);
            const p = net.canvasToDOM(c);
            const box = document.getElementById("pg-graph").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        edge_id,
    )


def selected(page):
    return page.evaluate("window.pgView.network.getSelectedNodes()")


def test_each_view_draws_its_nodes_offline(page, real_model, real_files):
    for key, path in real_files.items():
        load(page, path)
        drawn = page.evaluate("window.pgView.nodes.length")
        assert drawn == select(real_model, REAL_VIEWS[key]).number_of_nodes(), key
        assert page.locator("#pg-title").text_content() == select(real_model, REAL_VIEWS[key]).graph["title"]
    assert page.requests_blocked == [] and page.errors == [] and page.dialogs == []


@pytest.mark.parametrize("query", ["潜江", "潜江市", "Qianjiang"])
def test_search_selects_and_focuses_qianjiang(page, real_files, query):
    load(page, real_files["overview"])
    page.fill("#pg-search", query)
    first = page.locator("#pg-results button").first
    assert first.text_content().startswith("潜江市 · Qianjiang")
    page.press("#pg-search", "Enter")
    assert selected(page) == ["city:qianjiang"]
    assert page.get_attribute("#pg-panel", "data-node") == "city:qianjiang"
    assert page.is_hidden("#pg-results")
    # the focus animation ends with the node in the middle of the canvas
    page.wait_for_function(
        """(id) => {
            const net = window.pgView.network;
            const p = net.canvasToDOM(net.getPosition(id));
            const box = document.getElementById("pg-graph").getBoundingClientRect();
            return Math.abs(p.x - box.width / 2) < 20 && Math.abs(p.y - box.height / 2) < 20;
        }""",
        arg="city:qianjiang",
        timeout=10_000,
    )


def test_legend_click_hides_and_shows_a_type(page, real_files):
    load(page, real_files["overview"])
    visible = "(t) => window.pgView.nodes.get({filter: (n) => n.type === t && !n.hidden}).length"
    practices = page.evaluate(visible, "practice")
    assert practices > 0
    button = page.locator('#pg-legend button[data-type="practice"]')
    button.click()
    assert page.evaluate(visible, "practice") == 0
    assert page.evaluate(visible, "city") == 13
    assert button.get_attribute("aria-pressed") == "false"
    # the cities stay joined to the initiatives they reach through the hidden practices
    joined = page.evaluate("window.pgView.network.getConnectedNodes('city:qianjiang')")
    assert "initiative:cadres-to-communities" in joined
    button.click()
    assert page.evaluate(visible, "practice") == practices
    assert "initiative:cadres-to-communities" not in page.evaluate(
        "window.pgView.network.getConnectedNodes('city:qianjiang')"
    )


def test_clicking_qianjiang_opens_its_panel_with_suizhou_among_its_peers(page, real_files):
    load(page, real_files["overview"])
    page.mouse.click(*node_point(page, "city:qianjiang"))
    assert page.get_attribute("#pg-panel", "data-node") == "city:qianjiang"
    assert page.locator("#pg-panel h2").text_content() == "潜江市"
    peers = page.locator("#pg-panel ul.pg-peers > li > button.pg-link")
    assert "随州市" in peers.all_text_contents()
    assert page.locator("#pg-panel ul.pg-recommendations > li").count() > 0
    assert page.locator("#pg-panel blockquote mark").count() > 0
    nearest = page.locator("#pg-panel ul.pg-peers > li").first
    assert "不稳定" in nearest.locator(".pg-stability.pg-fragile").text_content()
    assert nearest.locator(".pg-stability").count() == 1  # one mark, in the page's language
    assert "随州市: 党员干部下沉社区 → 荆门市" in nearest.locator(".pg-critical").text_content()
    peers.filter(has_text="随州市").click()
    assert selected(page) == ["city:suizhou"]
    assert page.get_attribute("#pg-panel", "data-node") == "city:suizhou"


@pytest.mark.parametrize(
    "view, subject", [("city", "city:qianjiang"), ("initiative", "initiative:cadres-to-communities")]
)
def test_a_view_about_one_thing_opens_with_its_details(page, real_files, view, subject):
    load(page, real_files[view])
    assert page.get_attribute("#pg-panel", "data-node") == subject
    assert selected(page) == [subject]


def test_png_button_saves_the_picture(page, real_files):
    load(page, real_files["similarity"])
    with page.expect_download() as info:
        page.click("#pg-png")
    download = info.value
    assert download.suggested_filename == "similarity-idf-cosine.png"
    with open(download.path(), "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    box = page.locator("#pg-graph").bounding_box()
    # twice the resolution of the canvas, with room above it for the title and legend and below for the source
    assert width == round(2 * box["width"])
    assert height > 2 * box["height"] + 100
    # the screen keeps its own resolution afterwards
    assert page.evaluate("window.pgView.network.canvas.pixelRatio") == page.evaluate("window.devicePixelRatio")
    assert page.requests_blocked == []


def test_chinese_is_drawn_with_cjk_glyphs(page, real_files):
    load(page, real_files["overview"])
    face = page.evaluate("window.pgView.network.body.nodes['city:qianjiang'].options.font.face")
    assert "Noto Sans CJK SC" in face
    # the same font stack draws two different glyphs for 汉 and 字, and neither is the missing-glyph box
    pixels = page.evaluate(
        """(face) => {
            const draw = (ch) => {
                const c = document.createElement("canvas");
                c.width = c.height = 64;
                const ctx = c.getContext("2d");
                ctx.font = "48px " + face;
                ctx.fillText(ch, 4, 52);
                return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
            };
            return [draw("汉"), draw("字"), draw("\\u{10FFFD}")];
        }""",
        face,
    )
    han, zi, tofu = pixels
    assert han != zi and han != tofu and zi != tofu


@pytest.mark.slow
def test_hostile_data_runs_no_script_in_any_view(page, hostile):
    model, files = hostile
    tooltips = []
    for path in files:
        load(page, path)
        ids = page.evaluate("window.pgView.nodes.getIds()")
        assert ids
        for node_id in ids:
            tooltips.append(hover(page, node_point(page, node_id)))
            page.mouse.click(*node_point(page, node_id))
            assert page.get_attribute("#pg-panel", "data-node") == node_id, (path.name, node_id)
        for node_id in ids:  # after the clicks: a search moves the view
            page.fill("#pg-search", model.dataset.entities[node_id].name)
            page.locator("#pg-results button").first.click()
            assert selected(page) == [node_id]
        wait_view_still(page)
        page.click("#pg-fit")
        wait_view_still(page)
        for edge_id in page.evaluate("window.pgView.edges.getIds()"):
            tooltips.append(hover(page, edge_middle(page, edge_id)))
            page.mouse.click(*edge_middle(page, edge_id))
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.evaluate("document.scripts.length") == 5  # data, vis-network, page, presenting, present
        assert page.evaluate("document.querySelectorAll('img, svg, iframe, a[href]').length") == 0
    # the tooltips did show, with the hostile text as text
    assert any("<img src=x onerror=" in t for t in tooltips if t)
    assert page.dialogs == [] and page.errors == [] and page.requests_blocked == []


@pytest.mark.parametrize("width, height", [(1366, 768), (1093, 520)])
def test_search_results_of_two_lines_do_not_overlap(page, real_files, width, height):
    """A long English name wraps: each result grows to hold its lines and starts below the one before."""
    page.set_viewport_size({"width": width, "height": height})
    load(page, real_files["overview"])
    page.fill("#pg-search", "下沉")
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll("#pg-results button")).map((b) => {
            const r = b.getBoundingClientRect();
            return [r.top, r.bottom, b.scrollHeight, b.clientHeight];
        })"""
    )
    assert len(boxes) >= 2
    assert any(scroll > 40 for _, _, scroll, _ in boxes)  # a result of two lines, as the test means
    for _, _, scroll, client in boxes:
        assert scroll <= client, boxes  # its text fits inside it
    for (_, bottom, _, _), (top, _, _, _) in zip(boxes, boxes[1:], strict=False):
        assert top >= bottom - 0.5, boxes


def _drag(page, node_id, dx, dy):
    x, y = node_point(page, node_id)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=8)
    page.mouse.up()


def test_relayout_of_a_large_view_puts_nodes_back_where_the_layout_placed_them(page, real_model, tmp_path, monkeypatch):
    from graph.render import page as page_module

    monkeypatch.setattr(page_module, "PHYSICS_MAX_NODES", 20)  # the bundled overview laid out as a large one
    path = write_view(real_model, ViewSpec(level="initiative"), tmp_path / "large.html")
    load(page, path)
    placed = page.evaluate("(id) => window.pgView.network.getPosition(id)", "city:qianjiang")
    _drag(page, "city:qianjiang", 160, -120)
    moved = page.evaluate("(id) => window.pgView.network.getPosition(id)", "city:qianjiang")
    assert abs(moved["x"] - placed["x"]) + abs(moved["y"] - placed["y"]) > 50
    page.click("#pg-relayout")
    page.wait_for_selector("body[data-stable]", state="attached", timeout=10_000)
    back = page.evaluate("(id) => window.pgView.network.getPosition(id)", "city:qianjiang")
    assert back == pytest.approx(placed, abs=0.5)
    assert page.evaluate("window.pgView.network.physics.physicsEnabled") is False
    assert page.errors == []


def test_header_leaves_room_for_the_graph_on_a_short_screen(page, real_files):
    """1366 x 768 at 125 % leaves a window of about 1093 x 520: the header takes less than a sixth of it."""
    page.set_viewport_size({"width": 1093, "height": 520})
    load(page, real_files["city"])
    head = page.locator("#pg-head").bounding_box()
    assert head["height"] <= 80, head
    sub = page.locator("#pg-sub")
    assert sub.get_attribute("title") == sub.text_content()  # the whole subtitle on hover


@pytest.mark.parametrize("query, city", [("qian", "city:qianjiang"), ("sui", "city:suizhou")])
def test_a_pinyin_prefix_and_enter_select_the_city_before_its_practices(page, real_files, query, city):
    load(page, real_files["overview"])
    page.fill("#pg-search", query)
    page.press("#pg-search", "Enter")
    assert selected(page) == [city]
    assert page.get_attribute("#pg-panel", "data-node") == city


def test_the_city_panel_puts_peers_and_lessons_first_and_weak_peers_apart(page, real_files):
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, real_files["city"])
    order = page.evaluate(
        "() => Array.from(document.querySelectorAll('#pg-panel h3, #pg-panel details.pg-facts > summary'))"
        ".map((e) => e.textContent)"
    )
    assert order[0].startswith("最相似的城市") and order[1] == "可以借鉴" and order[-1] == "基本信息"
    # the lessons start on the first screen of a laptop
    top = page.locator("#pg-panel h3", has_text="可以借鉴").bounding_box()["y"]
    assert top < 768
    strong = page.locator("#pg-panel ul.pg-peers:not(.pg-weak) > li > .pg-link").all_text_contents()
    weak = page.locator("#pg-panel details.pg-weak-box ul.pg-weak > li > *:first-child").all_text_contents()
    assert "随州市" in strong and "十堰市" in weak and "十堰市" not in strong
    # every number is explained on hover
    assert "p" in page.locator("#pg-panel .pg-peers .pg-num").first.get_attribute("title")
    assert page.locator("#pg-panel .pg-help").count() >= 2
    # a lesson resting on weak peers only says so
    only_weak = page.locator("#pg-panel ul.pg-recommendations > li.pg-weak")
    assert only_weak.count() >= 1 and "不显著" in only_weak.first.text_content()


def test_quotes_show_both_sides_in_their_sentence_with_the_source_named_once(page, real_files):
    load(page, real_files["city"])
    why = page.locator("#pg-panel ul.pg-peers > li").first.locator("details.pg-why")
    why.locator("summary").click()
    who = why.locator(".pg-who").all_text_contents()
    assert "潜江市：" in who and "随州市：" in who
    marked = why.locator("blockquote").first
    assert marked.locator("mark").count() == 1 and marked.locator(".pg-ctx").count() >= 1
    assert why.locator(".pg-doc").count() == 1  # the source, once
    lesson = page.locator("#pg-panel ul.pg-recommendations > li").first.locator("details.pg-why")
    lesson.locator("summary").click()
    assert lesson.locator("blockquote mark").count() >= 1


def test_back_and_forward_walk_the_nodes_shown(page, real_files):
    load(page, real_files["overview"])
    page.evaluate("window.pgView.focus('city:qianjiang')")
    page.locator("#pg-panel ul.pg-peers .pg-link", has_text="随州市").first.click()
    assert page.get_attribute("#pg-panel", "data-node") == "city:suizhou"
    page.click("#pg-back")
    assert page.get_attribute("#pg-panel", "data-node") == "city:qianjiang"
    assert selected(page) == ["city:qianjiang"]
    page.click("#pg-forward")
    assert page.get_attribute("#pg-panel", "data-node") == "city:suizhou"
    assert page.url.endswith("#city%3Asuizhou")
    page.reload()
    page.wait_for_selector("body[data-drawn][data-stable]", state="attached", timeout=60_000)
    assert page.get_attribute("#pg-panel", "data-node") == "city:suizhou"  # the address names the node


def test_the_province_filter_keeps_one_provinces_cities_and_their_initiatives(page, real_files):
    load(page, real_files["overview"])
    page.select_option("#pg-province", "province:shaanxi")
    cities = page.evaluate(
        "window.pgView.nodes.get({filter: (n) => n.type === 'city' && !n.hidden}).map((n) => n.id).sort()"
    )
    assert cities == ["city:ankang", "city:hanzhong", "city:shangluo"]
    assert page.evaluate("window.pgView.nodes.get('initiative:cadres-to-communities').hidden") is True
    page.select_option("#pg-province", "")
    assert page.evaluate("window.pgView.nodes.get({filter: (n) => n.type === 'city' && !n.hidden}).length") == 13


def test_the_similarity_threshold_hides_weaker_links(page, real_files):
    load(page, real_files["similarity"])
    total = page.evaluate("window.pgView.edges.get({filter: (e) => !e.hidden}).length")
    page.fill("#pg-threshold", "0.3")
    page.dispatch_event("#pg-threshold", "input")
    kept = page.evaluate("window.pgView.edges.get({filter: (e) => !e.hidden}).map((e) => e.value)")
    assert 0 < len(kept) < total and min(kept) >= 0.3


def test_the_map_draws_province_borders_under_the_cities_offline(page, real_files):
    load(page, real_files["map"])
    counts = page.evaluate(
        "[DATA => DATA.land.length + DATA.provinces.length + DATA.maritime.length, DATA => DATA.prefectures.length]"
        ".map(f => f(JSON.parse(document.getElementById('pg-data').textContent).map))"
    )
    drawn = int(page.get_attribute("body", "data-map-lines"))
    # the bundled cities span a few hundred km: zoomed in enough for the prefecture borders too
    assert page.get_attribute("body", "data-map-prefectures") == "1" and drawn == counts[0] + counts[1]
    # pixels: points of the province borders inside the canvas are drawn in the border colour (nodes aside)
    share = page.evaluate(
        """() => {
            const DATA = JSON.parse(document.getElementById("pg-data").textContent);
            const net = window.pgView.network, f = DATA.map.frame;
            const canvas = document.querySelector("#pg-graph canvas");
            const ctx = canvas.getContext("2d"), ratio = canvas.width / canvas.clientWidth;
            let seen = 0, hit = 0;
            DATA.map.provinces.forEach((line) => {
                for (let i = 0; i + 3 < line.length; i += 2) {
                    const x = (line[i] + line[i + 2]) / 2, y = (line[i + 1] + line[i + 3]) / 2;
                    const p = net.canvasToDOM({x: (x - f[0]) * f[2], y: (y - f[1]) * f[2]});
                    if (p.x < 5 || p.y < 5 || p.x > canvas.clientWidth - 5 || p.y > canvas.clientHeight - 5) continue;
                    if (net.getNodeAt(p) !== undefined) continue;
                    seen += 1;
                    const d = ctx.getImageData(Math.round(p.x * ratio) - 2, Math.round(p.y * ratio) - 2, 5, 5).data;
                    const near = (k) => [0xa3, 0x9c, 0x8f].every((c, j) => Math.abs(d[k + j] - c) < 40);
                    for (let k = 0; k < d.length; k += 4) {
                        if (near(k)) {
                            hit += 1;
                            break;
                        }
                    }
                }
            });
            return [seen, hit];
        }"""
    )
    assert share[0] > 50 and share[1] >= 0.8 * share[0], share
    # the PNG is the canvas as an image: decoded again, it has the borders
    border_pixels = page.evaluate(
        """() => new Promise((resolve) => {
            const image = new Image();
            image.onload = () => {
                const c = document.createElement("canvas");
                c.width = image.width; c.height = image.height;
                const ctx = c.getContext("2d");
                ctx.drawImage(image, 0, 0);
                const d = ctx.getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let k = 0; k < d.length; k += 4) {
                    if ([0xa3, 0x9c, 0x8f].every((v, j) => Math.abs(d[k + j] - v) < 12)) n += 1;
                }
                resolve(n);
            };
            image.src = document.querySelector("#pg-graph canvas").toDataURL("image/png");
        })"""
    )
    assert border_pixels > 1000
    # zoomed out to the whole country: provinces only
    page.evaluate("window.pgView.network.moveTo({scale: window.pgView.network.getScale() / 8})")
    page.wait_for_function("() => document.body.getAttribute('data-map-prefectures') === '0'")
    assert int(page.get_attribute("body", "data-map-lines")) == counts[0]
    assert page.requests_blocked == [] and page.errors == []


def test_a_dragged_layout_is_kept_until_laid_out_again(page, real_files):
    load(page, real_files["similarity"])
    _drag(page, "city:qianjiang", 120, 80)
    moved = page.evaluate("(id) => window.pgView.network.getPosition(id)", "city:qianjiang")
    page.reload()
    page.wait_for_selector("body[data-drawn][data-stable][data-restored]", state="attached", timeout=60_000)
    back = page.evaluate("(id) => window.pgView.network.getPosition(id)", "city:qianjiang")
    assert back == pytest.approx(moved, abs=0.5)
    page.click("#pg-relayout")
    page.wait_for_selector("body[data-stable]", state="attached", timeout=60_000)
    assert page.evaluate("window.localStorage.length") == 0
    assert page.errors == []


def test_tooltips_and_panel_quotes_are_written_from_the_shared_tables_as_text(page, hostile):
    """The page stores each quote once and writes tooltips itself: a hostile quote still arrives whole, as text."""
    model, files = hostile
    entities = model.dataset.entities
    relation = next(
        r
        for r in model.dataset.relations
        if (r.source, r.relation, r.target) == ("practice:jia-down", "instance_of", "initiative:red-property")
    )
    source = entities[relation.document]
    load(page, files[MINI_VIEWS.index(ViewSpec("initiative", "initiative:red-property"))])
    edge = page.evaluate(
        """() => window.pgView.edges.get({filter: (e) => e.from === "practice:jia-down" &&
            e.to === "initiative:red-property"})[0].title"""
    )
    assert edge.split("\n") == [
        f"{entities['practice:jia-down'].name} 体现举措 {entities['initiative:red-property'].name}",
        f"“{relation.evidence}”",
        f"— {source.name}（{source.description}）",
    ]
    jia = entities["city:jia"]
    title = page.evaluate("() => window.pgView.nodes.get('city:jia').title")
    tip = jia.description if len(jia.description) <= 160 else jia.description[:159] + "…"
    assert title.split("\n") == [jia.name, f"{jia.name_en} · 城市", "2 项共同举措", tip]
    page.evaluate("window.pgView.focus('initiative:red-property')")
    marks = page.locator("#pg-panel blockquote mark").all_text_contents()
    assert relation.evidence in [m.strip("“”") for m in marks]
    assert any("<" in m for m in marks)  # markup in a quote shows as its characters
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('#pg-panel img, #pg-panel svg, #pg-panel script').length") == 0
    assert page.errors == []
