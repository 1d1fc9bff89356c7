"""Make the README's pictures of the views from the bundled data, with the same headless Chromium the tests use.

    python scripts/screenshots.py [--out docs] [--data DIR]

Writes overview.png, city.png (潜江's view as ``practice-graph view --city 潜江`` makes it, its panel open),
similarity.png, map.png, matrix.png and compare.png (``view --matrix``, ``view --compare 潜江 随州``), at
1366 x 768 (a common office laptop). Every network request is blocked, as in the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1366, "height": 768}


def _click_node(page, node_id: str) -> None:
    x, y = page.evaluate(
        """(id) => {
            const net = window.pgView.network;
            const p = net.canvasToDOM(net.getPosition(id));
            const box = document.getElementById("pg-graph").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    page.mouse.click(x, y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder for the PNG files")
    parser.add_argument("--data", default=None, help="dataset folder (default: the bundled one)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from graph.model import open_model
    from graph.render import write_view
    from graph.views import ViewSpec

    model = open_model(args.data)
    city = model.names.resolve("潜江", "city")
    shots = {
        "overview": (ViewSpec(), None),
        "city": (ViewSpec("city", "潜江"), None),  # opens with its panel: practice-graph view --city 潜江
        "similarity": (ViewSpec("similarity"), city),
        "map": (ViewSpec(layout="map", level="initiative"), None),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport=VIEWPORT)
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
        )
        for name, (spec, click) in shots.items():
            html = write_view(model, spec, Path(tmp) / f"{name}.html")
            page = context.new_page()
            page.goto(html.as_uri())
            page.wait_for_selector("body[data-drawn][data-stable][data-labels]", state="attached", timeout=60_000)
            if click:
                _click_node(page, click)
                box = page.locator("#pg-graph").bounding_box()
                page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)  # off the node: no tooltip
                page.wait_for_function("document.body.getAttribute('data-labels')")
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            print(target, file=sys.stderr)
            page.close()
        _matrix_shots(context, model, out, Path(tmp))
        browser.close()


def _matrix_shots(context, model, out: Path, tmp: Path) -> None:
    """matrix.png (潜江's row selected) and compare.png (practice-graph view --compare 潜江 随州)."""
    from graph.render.matrix import write_matrix

    for name, compare in (("matrix", None), ("compare", ("潜江", "随州"))):
        page = context.new_page()
        page.goto(write_matrix(model, tmp / f"{name}.html", compare=compare).as_uri())
        page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
        if compare is None:
            page.evaluate("mxView.showCity(mxView.data.rows.findIndex(r => r[0] === 'city:qianjiang'))")
        target = out / f"{name}.png"
        page.screenshot(path=str(target))
        print(target, file=sys.stderr)
        page.close()


if __name__ == "__main__":
    main()
