"""How long a large view takes to generate in Python and to draw in Chromium (run by hand, not in the tests).

    python benchmarks/bench_views.py [--sizes 100x366,1000x3966] [--skip-networkx] [--no-browser]

For each size CITIESxINITIATIVES, a synthetic dataset (benchmarks/synth.py, through the real loader) gives an
overview at initiative level of cities + initiatives + provinces nodes (1000x3966: 5,000 nodes). Printed side by
side: the positions computed by graph.render.layout.force_positions and by networkx.spring_layout (seeded, default
50 iterations) for the same graph; the whole page generation (selection, layout, details, HTML); its size; and
Chromium's time from navigation to the page's first drawing (the ``data-drawn`` flag set on the first
``afterDrawing``), with every network request blocked. Targets: generation < 5 s, drawing < 10 s at 5,000 nodes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def _draw_seconds(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            blocked = []

            def block(route):
                if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", block)
            page = context.new_page()
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_selector("body[data-drawn]", state="attached", timeout=300_000)
            seconds = time.perf_counter() - start
            if blocked:
                raise SystemExit(f"the page tried the network: {blocked[:3]}")
            return seconds
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100x366,1000x3966", help="comma-separated CITIESxINITIATIVES")
    parser.add_argument("--skip-networkx", action="store_true", help="skip networkx.spring_layout (about 50 s at 5k)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium drawing time")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from benchmarks.synth import write_dataset
    from graph.dataset import load_dataset
    from graph.model import Model
    from graph.render import write_view
    from graph.render.layout import SEED, force_positions
    from graph.views import ViewSpec, select

    print(f"machine: {describe()}")
    header = (
        f"{'cities x initiatives':>20} {'nodes':>6} {'edges':>7} {'load s':>7} {'layout s':>9} "
        f"{'nx spring s':>12} {'generate s':>11} {'HTML MB':>8} {'draw s':>7}"
    )
    print(header)
    print("-" * len(header))
    spec = ViewSpec(level="initiative")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            cities, initiatives = (int(x) for x in size.lower().split("x"))
            root = write_dataset(Path(tmp) / size, cities, initiatives, seed=args.seed)
            model, load_s = _timed(lambda r=root: _built(Model(load_dataset(r))))
            view = select(model, spec)
            _, layout_s = _timed(force_positions, view)
            if args.skip_networkx:
                nx_s = float("nan")
            else:
                import networkx as nx

                _, nx_s = _timed(nx.spring_layout, nx.Graph(view), seed=SEED)
            out = Path(tmp) / f"{size}.html"
            _, generate_s = _timed(write_view, model, spec, out)
            mb = out.stat().st_size / 1e6
            draw_s = float("nan") if args.no_browser else _draw_seconds(out)
            print(
                f"{cities:>9,} x {initiatives:>8,} {view.number_of_nodes():>6,} {view.number_of_edges():>7,} "
                f"{load_s:>7.2f} {layout_s:>9.2f} {nx_s:>12.2f} {generate_s:>11.2f} {mb:>8.1f} {draw_s:>7.2f}"
            )
    print("layout: graph.render.layout.force_positions (sampled repulsion); nx spring: networkx.spring_layout, same")
    print("graph; generate: write_view, whole page (selection, layout, peers, details, HTML); draw: Chromium,")
    print("navigation to first drawing. Targets at 5,000 nodes: generate < 5 s, draw < 10 s.")


def _built(model):
    model.graph, model.incidence  # noqa: B018  (build both, so that load is timed apart from the view)
    return model


if __name__ == "__main__":
    main()
