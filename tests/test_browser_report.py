"""The report in headless Chromium: offline, nothing fetched, no script error, and hostile data runs no script."""

from __future__ import annotations

import pytest

from graph import report
from graph.dataset import load_dataset
from graph.model import Model
from tests.test_report import HOSTILE, hostile_copy

pytestmark = pytest.mark.browser

_PWNED = "() => [window.__pwned, window.alert && String(window.alert).includes('native')]"


def _open(page, path):
    """Open the report and wait until it is loaded and its fonts are ready (its layout is final)."""
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.fonts.status === 'loaded'")


def _wait_graph_settled(page):
    """Wait until the embedded overview has drawn and its layout has settled (the flags its page sets).

    Chromium draws nothing in a frame out of sight, so the frame is scrolled into view first.
    """
    page.locator("#graph iframe").scroll_into_view_if_needed()
    page.frame_locator("#graph iframe").locator("body[data-drawn][data-stable]").wait_for(
        state="attached", timeout=60_000
    )


def test_report_offline_and_whole(page, mini_dir, tmp_path):
    path = report.write_report(Model(load_dataset(mini_dir)), tmp_path / "r.html")
    _open(page, path)
    assert page.requests_blocked == []
    assert page.errors == []
    assert page.locator("article.card").count() == 4
    assert page.locator("#heatmap svg rect title").count() == 16
    assert page.evaluate("document.scripts.length") == 0  # the report itself runs no script
    _wait_graph_settled(page)  # the embedded overview draws, offline
    assert page.requests_blocked == [] and page.errors == []


def test_report_prints_without_chrome(page, mini_dir, tmp_path):
    path = report.write_report(Model(load_dataset(mini_dir)), tmp_path / "r.html")
    _open(page, path)
    page.emulate_media(media="print")
    assert page.locator("#graph iframe").is_hidden()
    assert page.locator("nav.toc").is_hidden()
    assert page.locator(".print-only").first.is_visible()
    # a card may run on to the next column or page (no half-empty pages), an item of it may not
    assert page.evaluate("getComputedStyle(document.querySelector('article.card li')).breakInside") == "avoid"
    assert page.locator("nav.jump").is_hidden()  # the jump list is for the screen


def test_hostile_data_runs_no_script(page, mini_dir, tmp_path):
    model = Model(load_dataset(hostile_copy(mini_dir, tmp_path / "hostile")))
    path = report.write_report(model, tmp_path / "r.html")
    _open(page, path)
    assert page.dialogs == []
    assert page.evaluate(_PWNED) == [None, True]
    _wait_graph_settled(page)
    assert page.dialogs == []
    assert page.errors == []
    assert page.requests_blocked == []
    for frame in page.frames:
        assert frame.evaluate(_PWNED) == [None, True], frame.url
    assert page.evaluate("document.images.length") == 0
    # the text is shown as written
    first = page.locator("article.card h3").first.inner_text()
    assert first.startswith(HOSTILE.strip()[:20])
    tip = page.locator("#heatmap svg rect title").nth(1).text_content()
    assert "<script>" in tip and "onerror" in tip


def test_report_prints_cards_in_two_columns_and_keeps_the_heatmap_whole(page, mini_dir, tmp_path):
    path = report.write_report(Model(load_dataset(mini_dir)), tmp_path / "r.html")
    _open(page, path)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.cards')).columnCount") == "2"
    assert page.evaluate("getComputedStyle(document.querySelector('#heatmap')).breakInside") == "avoid"
    lefts = page.evaluate(
        "Array.from(document.querySelectorAll('article.card')).map((c) => c.getBoundingClientRect().left)"
    )
    assert len(set(round(x) for x in lefts)) == 2  # cards in two columns
