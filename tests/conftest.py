"""Shared fixtures: the tiny hand-checked dataset, the real one, a CLI runner, and a headless browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
REAL = ROOT / "data"

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def mini_dir() -> Path:
    """The tiny dataset of tests/fixtures/mini (4 cities, 4 initiatives), read-only."""
    return MINI


@pytest.fixture
def mini_copy(tmp_path) -> Path:
    """A writable copy of the tiny dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def real_copy(tmp_path) -> Path:
    """A writable copy of the bundled dataset."""
    target = tmp_path / "data"
    shutil.copytree(REAL, target)
    return target


@pytest.fixture
def mini_model():
    from graph.dataset import load_dataset
    from graph.model import Model

    return Model(load_dataset(MINI))


@pytest.fixture(scope="session")
def real_model():
    from graph.dataset import load_dataset
    from graph.model import Model

    return Model(load_dataset(REAL))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by playwright; skips without it unless REQUIRE_BROWSER=1."""
    executable = chromium_path()
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but the playwright package is not installed")
        pytest.skip("the playwright package is not installed")
    if executable is None:
        if required:
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium at " + ", ".join(CHROMIUM_CANDIDATES))
        pytest.skip("no Chromium installed (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh page whose every network request is blocked; ``page.requests_blocked`` lists what was tried,
    ``page.dialogs`` the dialogs opened and ``page.errors`` the uncaught script errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests_blocked = []
    pg.dialogs = []
    pg.errors = []

    def block(route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        elif url.startswith("file:"):
            route.continue_()
        else:
            pg.requests_blocked.append(url)
            route.abort()

    context.route("**/*", block)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def english(monkeypatch):
    """The command line in English (``--lang en`` through its environment variable), for tests that read its
    English messages; Chinese, the default, is checked in test_cli_lang.py and test_cli_errors.py."""
    monkeypatch.setenv("PRACTICE_GRAPH_LANG", "en")
