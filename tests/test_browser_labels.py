"""Labels in the browser: at the first view and zoomed in or out, no two labels drawn on screen overlap, and no
label covers another node's circle."""

from __future__ import annotations

import sys

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render import write_view
from graph.views import ViewSpec
from tests.conftest import ROOT
from tests.test_browser_views import load

pytestmark = pytest.mark.browser

VIEWS = {
    "overview": ViewSpec(),
    "city": ViewSpec("city", "潜江", depth=2),
    "map": ViewSpec(layout="map"),
    "similarity": ViewSpec("similarity"),
}

#: The boxes of the labels vis-network drew with a visible colour, in page pixels, inside the canvas.
VISIBLE_LABELS = """() => {
    const net = window.pgView.network;
    const box = document.getElementById("pg-graph").getBoundingClientRect();
    const out = [];
    for (const [id, node] of Object.entries(net.body.nodes)) {
        if (id.startsWith("edgeId:") || node.options.hidden || !node.options.label) continue;
        const color = node.options.font.color;
        if (color === "rgba(0,0,0,0)" || color === "transparent") continue;
        const s = node.labelModule.size;
        if (!s || !s.width) continue;
        const dy = node.options.font.vadjust || 0;  // a label moved above its node (not in labelModule.size)
        const a = net.canvasToDOM({x: s.left, y: s.top + dy});
        const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height + dy});
        if (b.x < 0 || b.y < 0 || a.x > box.width || a.y > box.height) continue;
        out.push([id, a.x, a.y, b.x, b.y]);
    }
    return out;
}"""


#: The circles of the nodes drawn inside the canvas: id, centre and radius (border included), in page pixels.
NODE_CIRCLES = """() => {
    const net = window.pgView.network, scale = net.getScale();
    const box = document.getElementById("pg-graph").getBoundingClientRect();
    const out = [];
    for (const id of net.body.nodeIndices) {
        const node = net.body.nodes[id];
        if (node.options.hidden) continue;
        const p = net.canvasToDOM({x: node.x, y: node.y});
        const r = (node.options.size + node.options.borderWidth / 2) * scale;
        if (p.x + r < 0 || p.y + r < 0 || p.x - r > box.width || p.y - r > box.height) continue;
        out.push([id, p.x, p.y, r]);
    }
    return out;
}"""


def covered_nodes(boxes, circles):
    """(label, node) pairs where a label's box covers part of another node's circle."""
    found = []
    for id1, left, top, right, bottom in boxes:
        for id2, x, y, r in circles:
            if id1 == id2:
                continue
            dx, dy = max(left, min(x, right)) - x, max(top, min(y, bottom)) - y
            if dx * dx + dy * dy < (r - 0.5) ** 2:
                found.append((id1, id2))
    return found


def overlaps(boxes):
    found = []
    for i, (id1, l1, t1, r1, b1) in enumerate(boxes):
        for id2, l2, t2, r2, b2 in boxes[i + 1 :]:
            if l1 < r2 - 0.5 and l2 < r1 - 0.5 and t1 < b2 - 0.5 and t2 < b1 - 0.5:
                found.append((id1, id2))
    return found


def zoom_to(page, factor):
    """Zoom by ``factor`` around the canvas centre and wait until the labels are placed again."""
    before = page.get_attribute("body", "data-labels")
    page.evaluate(
        "(f) => { const n = window.pgView.network; n.moveTo({scale: n.getScale() * f}); n.emit('zoom', {}); }",
        factor,
    )
    page.wait_for_function("(b) => document.body.getAttribute('data-labels') !== b", arg=before, timeout=15_000)


def check_every_zoom(page, name, circles=False):
    """No two labels overlap at the first view, zoomed in and zoomed out; with ``circles``, no label covers
    another node's circle either."""
    page.wait_for_selector("body[data-labels]", state="attached", timeout=30_000)
    shown = []
    for factor in (1.0, 2.5, 0.5):
        if factor != 1.0:
            zoom_to(page, factor)
        boxes = page.evaluate(VISIBLE_LABELS)
        assert boxes, (name, factor)
        assert overlaps(boxes) == [], (name, factor)
        if circles:
            assert covered_nodes(boxes, page.evaluate(NODE_CIRCLES)) == [], (name, factor)
        shown.append(len(boxes))
    return shown


@pytest.fixture(scope="module")
def label_files(real_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    return {key: write_view(real_model, spec, folder / f"{key}.html") for key, spec in VIEWS.items()}


@pytest.mark.parametrize("name", list(VIEWS))
def test_no_two_visible_labels_overlap_at_any_zoom(page, label_files, name):
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, label_files[name])
    shown = check_every_zoom(page, name, circles=True)
    if name == "city":  # the city of a city view keeps its label
        assert page.evaluate("window.pgView.labelShown['city:qianjiang']") is True
    assert min(shown) > 0
    assert page.errors == []


def test_the_overview_labels_every_city_at_the_first_view(page, label_files):
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, label_files["overview"])
    page.wait_for_selector("body[data-labels]", state="attached", timeout=30_000)
    cities = page.evaluate(
        "() => window.pgView.nodes.get({filter: (n) => n.type === 'city'}).map((n) => window.pgView.labelShown[n.id])"
    )
    assert cities and all(cities)
    # the labels are big enough to read: at least 13 px on screen for a city
    size = page.evaluate(
        "() => window.pgView.network.body.nodes['city:qianjiang'].options.font.size * window.pgView.network.getScale()"
    )
    assert size >= 13.5


def test_selecting_a_node_dims_what_is_not_its_neighbour(page, label_files):
    load(page, label_files["overview"])
    page.evaluate("window.pgView.focus('city:qianjiang')")
    opacity = page.evaluate("(id) => window.pgView.nodes.get(id).opacity", "city:suizhou")
    assert opacity < 1
    near = page.evaluate("window.pgView.network.getConnectedNodes('city:qianjiang')")
    assert all(page.evaluate("(id) => window.pgView.nodes.get(id).opacity", x) == 1 for x in near)


@pytest.fixture(scope="module")
def synthetic_files(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import write_dataset

    folder = tmp_path_factory.mktemp("synthetic")
    data = write_dataset(folder / "data", cities=1000, initiatives=200, low=3, high=6)
    model = Model(load_dataset(data))
    return {
        "overview": write_view(model, ViewSpec(level="initiative"), folder / "overview.html"),
        "map": write_view(model, ViewSpec(layout="map", level="initiative"), folder / "map.html"),
    }


@pytest.mark.parametrize("name", ["overview", "map"])
def test_a_thousand_cities_keep_their_labels_apart(page, synthetic_files, name):
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, synthetic_files[name])
    check_every_zoom(page, name, circles=True)
    assert page.errors == []


def test_the_map_labels_every_city_even_where_they_lie_close(page, label_files):
    """潜江, 天门 and 仙桃 lie a few dozen km apart: each keeps its label at the first view (above its node where
    below would cover a neighbour), and no label covers another node's circle."""
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, label_files["map"])
    page.wait_for_selector("body[data-labels]", state="attached", timeout=30_000)
    shown = page.evaluate(
        "() => window.pgView.nodes.get({filter: (n) => n.type === 'city'}).map((n) => window.pgView.labelShown[n.id])"
    )
    assert len(shown) == 13 and all(shown)
    assert covered_nodes(page.evaluate(VISIBLE_LABELS), page.evaluate(NODE_CIRCLES)) == []
