"""Make the history page's picture of the timeline view, with the same headless Chromium the tests use.

    python scripts/timeline_screenshot.py [--out docs/timeline.png] [--data tests/fixtures/history]

The view shows every first report of the dated test dataset with the inferred diffusion ties, the first dot's
details open. Every network request is blocked, as in the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 520}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "timeline.png"), help="the PNG file to write")
    parser.add_argument("--data", default=str(ROOT / "tests" / "fixtures" / "history"), help="dataset folder")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from graph.model import open_model
    from graph.render.timeline import write_timeline

    model = open_model(args.data)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport=VIEWPORT)
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
        )
        page = context.new_page()
        page.goto(write_timeline(model, Path(tmp) / "timeline.html", ties=True).as_uri())
        page.wait_for_selector("body[data-drawn]", state="attached", timeout=60_000)
        page.click("circle[data-point='0']")
        page.mouse.move(2, VIEWPORT["height"] - 2)  # off the dots: no tooltip
        page.screenshot(path=args.out)
        print(args.out, file=sys.stderr)
        browser.close()


if __name__ == "__main__":
    main()
