"""Every city's top-10 peers at scale, beside networkx doing the same work pair by pair.

For each size, a synthetic dataset (benchmarks/synth.py: Zipf-like popularity, 10-40 initiatives per city) is
written as CSV and read back through graph.load_dataset; then, timed: load + validate, building the incidence
(and the networkx graph), and for each metric every city's top-10 peers, both the core (scores and selection)
and the full answer (with explanations and p-values), with the peak memory traced by tracemalloc (in a separate
run, as tracing slows Python code). Our core time is the median of 3 runs from an empty cache; networkx runs
once. networkx's jaccard_coefficient and adamic_adar_index score every city pair (ebunch given as lists, one
per city) and keep each city's 10 best with heapq; their top-10 lists are checked against ours.

Usage::

    .venv/bin/python benchmarks/bench_similarity.py [--sizes 100x500 1000x5000 5000x20000] [--nx-max 5000]
"""

from __future__ import annotations

import argparse
import gc
import heapq
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import describe  # noqa: E402
from synth import write_dataset  # noqa: E402

from graph import scoring  # noqa: E402
from graph import similarity as sim  # noqa: E402
from graph.dataset import load_dataset  # noqa: E402
from graph.model import Model  # noqa: E402

TOP = 10
METRICS = ("idf-cosine", "jaccard", "cosine", "adamic-adar", "resource-allocation", "text", "simrank")
NX_FUNCS = {"jaccard": "jaccard_coefficient", "adamic-adar": "adamic_adar_index"}


def timed(fn, trace: bool = False):
    gc.collect()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


def core_top(model, metric):
    F = scoring.features(model, metric)
    return scoring.top_pairs(F, scoring.city_order(model), TOP)


def nx_top(G, cities, func_name):
    """Every city's top-10 by a networkx link-prediction index, pair by pair (both directions kept)."""
    import networkx as nx

    func = getattr(nx, func_name)
    best: dict[str, list] = {c: [] for c in cities}
    for k, a in enumerate(cities):
        ebunch = [(a, b) for b in cities[k + 1 :]]  # a list: a generator silently gives nothing
        if not ebunch:
            continue
        for u, v, p in func(G, ebunch):
            if p <= 0:
                continue
            for x, y in ((u, v), (v, u)):
                heap = best[x]
                item = (p, y)
                if len(heap) < TOP:
                    heapq.heappush(heap, item)
                elif item > heap[0]:
                    heapq.heapreplace(heap, item)
    return {c: sorted(h, reverse=True) for c, h in best.items()}


def agreement(model, ours, theirs) -> float:
    """Share of cities whose top-10 score lists agree (scores compared, so that tie orders do not matter)."""
    a, b, s, _ = ours
    cities = model.incidence.cities
    mine: dict[str, list[float]] = {c: [] for c in cities}
    for i, v in zip(a.tolist(), s.tolist(), strict=True):
        mine[cities[i]].append(round(v, 9))
    same = sum(1 for c in cities if mine[c] == [round(p, 9) for p, _ in theirs[c]])
    return same / len(cities)


def fmt_s(x) -> str:
    if x is None:
        return "-"
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def fmt_mb(x) -> str:
    return "-" if x is None else f"{x / 2**20:,.0f} MB"


def bench_size(n_cities: int, n_init: int, nx_max: int, text_max: int, rows: list, tmp: Path) -> None:
    import networkx as nx

    folder = tmp / f"synth-{n_cities}x{n_init}"
    _, t_write, _ = timed(lambda: write_dataset(folder, n_cities, n_init, seed=0))
    ds, t_load, peak_load = timed(lambda: load_dataset(folder), trace=False)
    model = Model(ds)
    inc, t_build, _ = timed(lambda: model.incidence)
    _, t_graph, _ = timed(lambda: model.graph)
    _ = model.names
    scoring.city_order(model)
    scoring.initiative_order(model)
    size = f"{n_cities:,} / {n_init:,}"
    print(
        f"\n{size}: {inc.matrix.nnz:,} adoptions, {len(ds.relations):,} relations; wrote CSV in {t_write:.1f} s; "
        f"load+validate {t_load:.2f} s; incidence {t_build:.2f} s; networkx graph {t_graph:.2f} s",
        flush=True,
    )
    rows.append([size, "load + validate", fmt_s(t_load), "", "", "", "", ""])
    rows.append([size, "build incidence", fmt_s(t_build), "", "", "", "", ""])
    G = None
    for metric in METRICS:
        if metric == "simrank" and n_cities + n_init > sim.SIMRANK_MAX_NODES:
            rows.append([size, metric, "refused (size limit)", "", "", "", "", ""])
            continue
        if metric == "text" and n_cities > text_max:
            rows.append([size, metric, f"not run (> {text_max:,} cities)", "", "", "", "", ""])
            continue
        if metric == "text":
            from graph.textutil import jieba_for

            _, t_jieba, _ = timed(lambda: jieba_for(model.dataset))  # jieba's dictionary, once per process
            print(f"jieba dictionary and dataset names loaded in {t_jieba:.2f} s", flush=True)
        ours, t_core = None, []
        for _ in range(3):
            model.invalidate(("features", metric), "text_counts")
            ours, t, _ = timed(lambda m=metric: core_top(model, m))
            t_core.append(t)
        t_core = sorted(t_core)[1]
        model.invalidate(("features", metric), "text_counts")
        _, t_full, _ = timed(lambda m=metric: sim.all_top_peers(model, m, top=TOP))
        model.invalidate(("features", metric), "text_counts")
        _, _, peak_full = timed(lambda m=metric: sim.all_top_peers(model, m, top=TOP), trace=True)
        peak_core = None
        nx_time = nx_note = speed = None
        if metric in NX_FUNCS:
            if n_cities <= nx_max:
                if G is None:
                    G = nx.Graph()
                    G.add_nodes_from(inc.cities)
                    G.add_nodes_from(inc.initiatives)
                    coo = inc.matrix.tocoo()
                    pairs = zip(coo.row.tolist(), coo.col.tolist(), strict=True)
                    G.add_edges_from((inc.cities[i], inc.initiatives[j]) for i, j in pairs)
                theirs, nx_time, _ = timed(lambda f=NX_FUNCS[metric], g=G: nx_top(g, inc.cities, f))
                speed = f"{nx_time / t_core:,.0f}x"
                nx_note = f"{agreement(model, ours, theirs):.0%}"
            else:
                nx_note = f"skipped (> {nx_max:,} cities)"
        rows.append(
            [
                size,
                f"top-10 {metric}",
                fmt_s(t_core),
                fmt_s(t_full),
                fmt_mb(max(peak_core or 0, peak_full or 0)),
                fmt_s(nx_time),
                speed or "",
                nx_note or "",
            ]
        )
        print(" | ".join(rows[-1]), flush=True)


def whole_process(runs: int = 5) -> float:
    """Best wall time of `python cli.py similar 潜江` on the bundled data, a fresh process each time."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "cli.py"), "similar", "潜江"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PRACTICE_GRAPH_DATA": str(ROOT / "data")},
        )
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["100x500", "1000x5000", "5000x20000"], help="CITIESxINITIATIVES")
    parser.add_argument("--nx-max", type=int, default=5000, help="run networkx only up to this many cities")
    parser.add_argument("--text-max", type=int, default=1000, help="run the text metric only up to this many cities")
    args = parser.parse_args(argv)
    print(describe())
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="pg-bench-") as tmp:
        for spec in args.sizes:
            n_cities, n_init = (int(x) for x in spec.lower().split("x"))
            bench_size(n_cities, n_init, args.nx_max, args.text_max, rows, Path(tmp))
    t_cli = whole_process()
    header = ["cities / initiatives", "step", "ours: top-10", "ours: with explanations", "peak (traced)",
              "networkx", "speed-up (core)", "top-10 agree"]  # fmt: skip
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run (networkx included): {peak_rss:,.0f} MB")
    print(f"`cli.py similar 潜江` on the bundled data, whole process, best of 5: {t_cli:.2f} s")
    print(describe())


if __name__ == "__main__":
    main()
