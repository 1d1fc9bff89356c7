"""Synthetic datasets at scale, written as CSV in the real data format (entities.csv, relations.csv, sources/).

Each city adopts 10-40 initiatives drawn without replacement from a Zipf-like popularity (weight of the j-th
initiative ∝ 1 / j**s), through the same path the real data uses: the city reports a headline practice and one
measure per initiative; each measure is part_of the headline and instance_of its initiative, with a quote found
verbatim in the city's own source document.

Usage::

    .venv/bin/python benchmarks/synth.py OUT_DIR --cities 1000 --initiatives 5000 [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

__all__ = ["write_dataset"]

ENTITY_COLUMNS = ["id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon"]
RELATION_COLUMNS = ["source", "relation", "target", "evidence", "document"]


def _zipf_choices(rng, n_items: int, n_rows: int, low: int, high: int, exponent: float):
    """For each row, a set of low..high distinct item indices drawn by Zipf-like weights (Gumbel top-k)."""
    import numpy as np

    log_w = -exponent * np.log(np.arange(1, n_items + 1, dtype=np.float64))
    sizes = rng.integers(low, high + 1, size=n_rows)
    out = []
    for size in sizes:
        keys = log_w + rng.gumbel(size=n_items)
        out.append(np.sort(np.argpartition(-keys, size)[:size]))
    return out


def _write_csv(path: Path, columns: list[str], rows) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    os.replace(tmp, path)


def write_dataset(
    out: str | os.PathLike,
    cities: int,
    initiatives: int,
    seed: int = 0,
    low: int = 10,
    high: int = 40,
    exponent: float = 1.0,
    themes: int = 0,
    dated: bool = False,
) -> Path:
    """Write a synthetic dataset to folder ``out`` and return its path.

    Parameters
    ----------
    out : path
        Folder to create (or overwrite files in).
    cities, initiatives : int
        Sizes. ``high`` is capped at ``initiatives``.
    seed : int
        Random seed; the same arguments give the same files.
    low, high : int
        Each city adopts between ``low`` and ``high`` initiatives.
    exponent : float
        The Zipf exponent of initiative popularity.
    themes : int
        With more than 0, that many themes, each initiative ``belongs_to`` one (in turn).
    dated : bool
        Give each city's source a month between 2015-01 and 2024-12 (a ``date`` column), drawn from its own random
        stream: the rest of the dataset is the same as without it.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    root = Path(out)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    high = min(high, initiatives)
    low = min(low, high)
    n_prov = max(1, min(34, cities // 20))
    width_c, width_x = len(str(cities)), len(str(initiatives))

    ents: list[list] = []
    rels: list[list] = []
    for p in range(n_prov):
        ents.append([f"province:p{p:02d}", "province", f"合成省{p:02d}", f"Province {p}", "", "", "", "", ""])
    for j in range(initiatives):
        ents.append(
            [
                f"initiative:x{j:0{width_x}d}",
                "initiative",
                f"举措{j:0{width_x}d}",
                f"initiative {j}",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    lats = rng.uniform(20.0, 45.0, size=cities)
    lons = rng.uniform(98.0, 122.0, size=cities)
    provinces = rng.integers(0, n_prov, size=cities)
    choices = _zipf_choices(rng, initiatives, cities, low, high, exponent)
    for i in range(cities):
        cid = f"c{i:0{width_c}d}"
        name = f"合成{i:0{width_c}d}市"
        ents.append([f"city:{cid}", "city", name, f"City {i}", "", "", "地级市", f"{lats[i]:.4f}", f"{lons[i]:.4f}"])
        ents.append([f"source:{cid}", "source", f"{name}工作报道", "", "", "合成日报 2020-10-22", "", "", ""])
        head = f"practice:{cid}-head"
        head_name = f"{name}党建引领基层治理"
        ents.append([head, "practice", head_name, "", "", "", "", "", ""])
        doc = f"source:{cid}"
        quotes = [f"{name}：{head_name}"]
        rels.append([f"city:{cid}", "located_in", f"province:p{provinces[i]:02d}", "", ""])
        rels.append([f"city:{cid}", "reports", head, quotes[0], doc])
        for m, j in enumerate(choices[i].tolist()):
            measure = f"practice:{cid}-m{m:02d}"
            measure_name = f"{name}第{m + 1}项措施"
            ents.append([measure, "practice", measure_name, "", "", "", "", "", ""])
            q_report = f"{measure_name}成效明显"
            q_instance = f"第{m + 1}项措施推行举措{j:0{width_x}d}"
            quotes += [q_report, q_instance]
            rels.append([f"city:{cid}", "reports", measure, q_report, doc])
            rels.append([measure, "part_of", head, q_report, doc])
            rels.append([measure, "instance_of", f"initiative:x{j:0{width_x}d}", q_instance, doc])
        text = "。\n".join(quotes) + "。\n"
        (root / "sources" / f"{cid}.txt").write_text(text, encoding="utf-8")
    for t in range(themes):
        ents.append([f"theme:t{t:02d}", "theme", f"主题{t:02d}", f"Theme {t}", "", "", "", "", ""])
    for j in range(initiatives if themes else 0):
        rels.append([f"initiative:x{j:0{width_x}d}", "belongs_to", f"theme:t{j % themes:02d}", "", ""])
    columns = ENTITY_COLUMNS
    if dated:
        months = np.random.default_rng([seed, 1]).integers(0, 120, size=cities)
        dates = {
            f"source:c{i:0{width_c}d}": f"{2015 + m // 12}-{m % 12 + 1:02d}" for i, m in enumerate(months.tolist())
        }
        columns = [*ENTITY_COLUMNS, "date"]
        ents = [[*e, dates.get(e[0], "")] for e in ents]
    _write_csv(root / "entities.csv", columns, ents)
    _write_csv(root / "relations.csv", RELATION_COLUMNS, rels)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write")
    parser.add_argument("--cities", type=int, default=100)
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--exponent", type=float, default=1.0)
    parser.add_argument("--themes", type=int, default=0, help="themes, each initiative belonging to one")
    parser.add_argument("--dated", action="store_true", help="a month for each city's source")
    args = parser.parse_args(argv)
    path = write_dataset(
        args.out, args.cities, args.initiatives, seed=args.seed, exponent=args.exponent, themes=args.themes,
        dated=args.dated,
    )  # fmt: skip
    print(path)


if __name__ == "__main__":
    main()
