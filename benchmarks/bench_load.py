"""Loading and validating at scale, beside the previous implementation in the same run (by hand, not in tests).

    python benchmarks/bench_load.py [--repeat N] [--before COMMIT] [--keep DIR]

Rows (CPU seconds, user + system, of the whole process or of the call in process; median of N runs; the load
average printed with each, since wall time on a shared machine says more about the neighbours than the code):

- ``validate`` at 1,000 cities x 5,000 initiatives, every quote in one 1.9 MB source text (the worst case for
  verbatim checking: 45,000 quotes in one document), and with one document per city;
- ``load_dataset`` (read + validate) at 5,000 x 20,000, in process.

The previous implementation is the tree of ``--before`` (default: the last loader with an object per row),
extracted with ``git archive`` into a temporary folder and run the same way. The datasets come from
``benchmarks/synth.py`` with seed 0.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe
from synth import write_dataset

ROOT = Path(__file__).resolve().parent.parent
#: The last commit with the loader that made a Python object per relation and checked entities row by row
#: (``--before 9ae91ef``: the one before, which checked each quote with its own substring search).
BEFORE = "03842c0"

_LOAD = (
    "import sys, time\n"
    "t = time.process_time()\n"
    "from graph.dataset import load_dataset\n"
    "load_dataset(sys.argv[1])\n"
    "print(time.process_time() - t)\n"
)


def one_document(root: Path) -> Path:
    """Rewrite a synthetic dataset so that every quote is in one source text (``source:all``)."""
    texts = []
    for path in sorted((root / "sources").glob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
        path.unlink()
    (root / "sources" / "all.txt").write_text("".join(texts), encoding="utf-8")
    with open(root / "entities.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r[1] != "source"]
    rows.append(["source:all", "source", "合成日报合集", "", "", "合成日报 2020-10-22", "", "", ""])
    with open(root / "entities.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with open(root / "relations.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows[1:]:
        if row[4]:
            row[4] = "source:all"
    with open(root / "relations.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return root


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(tree: Path, args: list[str]) -> float:
    """CPU seconds (user + system) of one run: steadier than wall time on a machine others are using."""
    before = _cpu_of_children()
    proc = subprocess.run([sys.executable, *args], cwd=tree, capture_output=True, text=True, check=False)
    cpu = _cpu_of_children() - before
    if proc.returncode != 0:
        raise SystemExit(f"failed in {tree}: {' '.join(args)}\n{proc.stderr[-500:]}")
    return float(proc.stdout.strip().splitlines()[-1]) if args[0] == "-c" else cpu


def _median(tree: Path, args: list[str], repeat: int) -> float:
    return statistics.median(_run(tree, args) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", default=BEFORE, help="commit of the previous implementation")
    parser.add_argument("--keep", help="folder for the synthetic datasets (kept between runs)")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory(prefix="practice-graph-bench-") as scratch:
        data = Path(args.keep) if args.keep else Path(scratch)
        before = Path(scratch) / "before"
        before.mkdir()
        archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        sets = {
            "1000x5000-one-doc": (1000, 5000, True),
            "1000x5000": (1000, 5000, False),
            "5000x20000": (5000, 20000, False),
        }
        for name, (cities, initiatives, one) in sets.items():
            folder = data / name
            if not (folder / "entities.csv").is_file():
                write_dataset(folder, cities, initiatives, seed=0)
                if one:
                    one_document(folder)
        rows = [
            ("validate, 1,000 x 5,000, one 1.9 MB text", "1000x5000-one-doc", "cli", 1.5),
            ("validate, 1,000 x 5,000, a text per city", "1000x5000", "cli", 1.5),
            ("load + validate, 5,000 x 20,000 (in process)", "5000x20000", "load", 2.5),
        ]
        print(f"{'step (CPU seconds)':<48} {'before s':>9} {'now s':>7} {'speed-up':>9} {'target s':>9}  load avg")
        for label, name, how, target in rows:
            folder = str(data / name)
            command = ["cli.py", "--data", folder, "validate"] if how == "cli" else ["-c", _LOAD, folder]
            old = _median(before, command, args.repeat)
            new = _median(ROOT, command, args.repeat)
            load = os.getloadavg()[0]
            print(f"{label:<48} {old:9.2f} {new:7.2f} {old / new:8.1f}x {target:9.1f}  {load:.1f}")


if __name__ == "__main__":
    main()
