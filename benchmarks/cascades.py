"""Synthetic diffusion cascades over a known network, and how well and how fast NetInf recovers the network.

A random directed network (each tie drawn uniformly among ordered pairs) carries cascades simulated by
graph.diffusion.simulate_cascades: a random first node, each tie passing the cascade on with a probability after an
exponential delay, nothing after the window. graph.diffusion.infer_network then infers as many ties as the network
has (``k = m``) and, separately, ties until the p-value passes 0.05; precision and recall against the true network
and the time of each run are printed as a markdown table.

``--csv DIR`` also writes, for each size, the cascades as R's NetworkInference reads them
(``node_name,event_time,cascade_id``) and the true network (``origin_node,destination_node``), so the same cases can
be run through ``netinf`` in R. ``--dataset DIR`` writes one size as a practice-graph dataset instead (cities,
initiatives as cascades, one dated source per month of reports, every quote verbatim in its source), which
``practice-graph --data DIR timeline``, ``diffusion`` and the exports read like any other.

Usage::

    .venv/bin/python benchmarks/cascades.py [--sizes 50x100x200 200x400x1000 500x1000x3000] [--seed 0]
    .venv/bin/python benchmarks/cascades.py --sizes 30x60x100 --dataset /tmp/synthetic-history
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import describe  # noqa: E402

from graph.diffusion import infer_network, simulate_cascades, tie_scores  # noqa: E402

__all__ = ["random_network", "write_cascades", "write_history_dataset"]


def random_network(nodes: int, ties: int, seed: int = 0) -> tuple[list[str], list[tuple[str, str]]]:
    """``nodes`` node names and ``ties`` distinct directed ties between them, drawn uniformly.

    >>> names, ties = random_network(5, 4, seed=1)
    >>> len(names), len(ties), all(u != v for u, v in ties)
    (5, 4, True)
    """
    if ties > nodes * (nodes - 1):
        raise ValueError(f"{nodes} nodes hold at most {nodes * (nodes - 1)} directed ties, not {ties}")
    rng = random.Random(seed)
    names = [f"n{i:04d}" for i in range(nodes)]
    found: set[tuple[str, str]] = set()
    while len(found) < ties:
        u, v = rng.sample(names, 2)
        found.add((u, v))
    return names, sorted(found)


def _write(path: Path, header: list[str], rows) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)


def write_cascades(folder: str | os.PathLike, name: str, ties, rows) -> list[Path]:
    """Write ``NAME-cascades.csv`` (node_name, event_time, cascade_id) and ``NAME-network.csv`` (the true ties)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cascades, network = folder / f"{name}-cascades.csv", folder / f"{name}-network.csv"
    _write(cascades, ["node_name", "event_time", "cascade_id"], rows)
    _write(network, ["origin_node", "destination_node"], ties)
    return [cascades, network]


def write_history_dataset(folder: str | os.PathLike, rows, start: dt.date = dt.date(2015, 1, 1)) -> Path:
    """Write cascades as a practice-graph dataset: node -> city, cascade -> initiative, time (in years after
    ``start``) -> the month of a dated source that reports it."""
    folder = Path(folder)
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    cities = sorted({r[0] for r in rows})
    initiatives = sorted({r[2] for r in rows})
    entities = [[f"city:{c}", "city", f"城市{c[1:]}市", f"City {c}", "", "", "地级市", "", "", ""] for c in cities] + [
        [f"initiative:{x}", "initiative", f"举措{x[1:]}号", f"Initiative {x}", "", "", "", "", "", ""]
        for x in initiatives
    ]
    relations = []
    months: dict[str, list[str]] = {}
    for node, t, cascade in rows:
        day = start + dt.timedelta(days=round(float(t) * 365.25))
        month = f"{day.year:04d}-{day.month:02d}"
        source = f"source:synth-{month}"
        practice = f"practice:{node}-{cascade}"
        heading = f"城市{node[1:]}市：举措{cascade[1:]}号的做法"
        quote = f"城市{node[1:]}市推行举措{cascade[1:]}号"
        months.setdefault(month, []).extend([heading, quote + "，成效明显。"])
        entities.append([practice, "practice", f"推行举措{cascade[1:]}号", "", "", "", "", "", "", ""])
        relations.append([f"city:{node}", "reports", practice, heading, source])
        relations.append([practice, "instance_of", f"initiative:{cascade}", quote, source])
    for month, lines in sorted(months.items()):
        entities.append(
            [f"source:synth-{month}", "source", f"合成报道 {month}", "", "", f"合成, {month}", "", "", "", month]
        )
        (folder / "sources" / f"synth-{month}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    header = ["id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon", "date"]
    _write(folder / "entities.csv", header, entities)
    _write(folder / "relations.csv", ["source", "relation", "target", "evidence", "document"], relations)
    return folder


def main() -> None:  # pragma: no cover
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["50x100x200", "200x400x1000", "500x1000x3000"],
                        help="NODESxTIESxCASCADES")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--probability", type=float, default=0.7, help="Chance that a tie passes a cascade on.")
    parser.add_argument("--window", type=float, default=3.0, help="Nothing happens after this time (rate 1).")
    parser.add_argument("--csv", type=Path, default=None, help="Also write each case's cascades and network here.")
    parser.add_argument("--dataset", type=Path, default=None, help="Write the first size as a dataset here.")
    args = parser.parse_args()
    print(describe())
    print()
    print("| nodes / ties / cascades | mean cascade size | k = ties: precision / recall | time | "
          "p ≤ 0.05: ties | precision / recall | time |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for k, size in enumerate(args.sizes):
        n, m, c = (int(x) for x in size.split("x"))
        names, ties = random_network(n, m, seed=args.seed)
        rows = simulate_cascades(ties, names, c, probability=args.probability, window=args.window, seed=args.seed + 1)
        if args.dataset is not None and k == 0:
            print(f"dataset: {write_history_dataset(args.dataset, rows)}", file=sys.stderr)
        if args.csv is not None:
            for path in write_cascades(args.csv, size, ties, rows):
                print(f"wrote {path}", file=sys.stderr)
        start = time.perf_counter()
        fixed = infer_network(rows, edges=m)
        t_fixed = time.perf_counter() - start
        start = time.perf_counter()
        cut = infer_network(rows, p_value=0.05)
        t_cut = time.perf_counter() - start
        p1, r1 = tie_scores(fixed, ties)
        p2, r2 = tie_scores(cut, ties)
        print(
            f"| {n:,} / {m:,} / {c:,} | {len(rows) / c:.1f} | {p1:.2f} / {r1:.2f} | {t_fixed:.2f} s | {len(cut):,} | "
            f"{p2:.2f} / {r2:.2f} | {t_cut:.2f} s |"
        )


if __name__ == "__main__":  # pragma: no cover
    main()
