"""The pictures a view saves, in headless Chromium: the SVG is well-formed XML with the title, legend, source,
map borders, nodes and labels as vector shapes and text, and nothing in it points outside the file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from graph.dataset import load_dataset
from graph.model import Model
from graph.render import write_view
from graph.views import ViewSpec
from tests.test_browser_views import load
from tests.test_render import write_hostile_dataset

pytestmark = pytest.mark.browser

SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def files(real_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    views = {"map": ViewSpec(layout="map"), "city": ViewSpec("city", "潜江")}
    return {key: write_view(real_model, spec, folder / f"{key}.html") for key, spec in views.items()}


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-export")
    model = Model(load_dataset(write_hostile_dataset(folder / "data")))
    return write_view(model, ViewSpec(layout="map"), folder / "map.html")


def save_svg(page):
    page.wait_for_selector("body[data-labels]", state="attached", timeout=30_000)
    with page.expect_download() as info:
        page.click("#pg-svg")
    download = info.value
    with open(download.path(), encoding="utf-8") as fh:
        return download.suggested_filename, fh.read()


def texts(root):
    return ["".join(e.itertext()) for e in root.iter(f"{{{SVG_NS}}}text")]


def assert_self_contained(text):
    """Only the SVG namespace names a web address; no link, image, script or style sheet is referenced."""
    rest = text.replace(f'xmlns="{SVG_NS}"', "", 1)
    assert "http" not in rest and "href" not in rest and "@import" not in rest
    assert "<script" not in rest and "<image" not in rest and "<foreignObject" not in rest


def test_the_map_saves_as_svg_with_text_borders_and_nodes(page, files):
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, files["map"])
    name, text = save_svg(page)
    assert name == "overview-map.svg"
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert_self_contained(text)
    title = page.evaluate("JSON.parse(document.getElementById('pg-data').textContent).meta.title")
    words = texts(root)
    assert title in words  # the title, as text
    assert "潜江市" in words and "随州市" in words  # city labels, as text
    assert any(w.startswith("城市 (13)") for w in words)  # the legend
    assert any("来源" in w for w in words)  # the source line
    assert "Microsoft YaHei" in root.get("font-family") and "Noto Sans CJK SC" in root.get("font-family")
    circles = root.findall(f".//{{{SVG_NS}}}circle")
    assert len(circles) >= 13 + 5  # the nodes, and the legend's swatches
    paths = root.findall(f".//{{{SVG_NS}}}path")
    assert any(p.get("stroke") == "#a39c8f" and p.get("d", "").count("L") > 100 for p in paths)  # the borders
    # the Han River, drawn on the page and in the picture, with its name
    assert page.get_attribute("body", "data-map-rivers") == "1"
    assert any(p.get("stroke") == "#6a9fcf" and p.get("d", "").count("L") > 50 for p in paths)
    assert "汉江" in words
    assert int(root.get("width")) == round(page.locator("#pg-graph").bounding_box()["width"])
    assert page.requests_blocked == [] and page.errors == []


def test_the_svg_of_hostile_data_keeps_every_text_as_text(page, hostile_map):
    load(page, hostile_map)
    _, text = save_svg(page)
    root = ET.fromstring(text.encode("utf-8"))
    tags = {e.tag.split("}")[-1] for e in root.iter()}
    assert tags <= {"svg", "title", "rect", "text", "circle", "line", "polygon", "path", "g", "defs", "clipPath"}
    assert any("<script>" in w for w in texts(root))  # the markup in names arrived as text
    for e in root.iter():  # and nothing became an attribute that loads or runs anything
        for key, value in e.attrib.items():
            assert "href" not in key and not key.startswith("on"), (e.tag, key)
            assert "http" not in value and "javascript" not in value or key == "font-family", (e.tag, key)
    assert page.dialogs == [] and page.errors == []


def test_an_english_map_names_the_river_in_english_and_saves_the_same_svg_twice(page, real_model, tmp_path):
    path = write_view(real_model, ViewSpec(layout="map", lang="en"), tmp_path / "map-en.html")
    page.set_viewport_size({"width": 1366, "height": 768})
    load(page, path)
    page.wait_for_selector("body[data-labels]", state="attached", timeout=30_000)
    first, second = page.evaluate("[window.pgView.svgPicture(), window.pgView.svgPicture()]")
    assert first == second  # the same picture gives the same bytes
    words = texts(ET.fromstring(first.encode("utf-8")))
    assert "Han River" in words and "汉江" not in words
