"""The same data gives the same bytes whatever Python's hash seed: views, exports, rankings and the report are each
written by two processes started with different ``PYTHONHASHSEED`` values and compared byte for byte.

Two runs in one process share one hash seed, so output that depends on the iteration order of a set of strings
would pass such a test; two processes with different seeds catch it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Each command's output goes to stdout (``-``) or to the file or folder it names (``{out}`` is replaced).
COMMANDS = [
    (["view", "-o", "{out}/overview.html"], "overview.html"),
    (["view", "--city", "潜江", "-o", "{out}/city.html"], "city.html"),
    (["view", "--similarity", "-o", "{out}/similarity.html"], "similarity.html"),
    (["view", "--initiative", "红色物业", "-o", "{out}/initiative.html"], "initiative.html"),
    (["report", "-o", "{out}/report.html"], "report.html"),
    (["export", "graphml", "-o", "{out}/g.graphml"], "g.graphml"),
    (["export", "gexf", "-o", "{out}/g.gexf"], "g.gexf"),
    (["export", "json", "-o", "{out}/g.json"], "g.json"),
    (["export", "csv", "-o", "{out}/tables"], "tables"),
    (["export", "parquet", "-o", "{out}/dyads.parquet"], "dyads.parquet"),
    (["rank", "--top", "3", "--format", "json"], "-"),
    (["rank", "--pairs", "--format", "csv"], "-"),
    (["rank", "--metric", "text", "--format", "json"], "-"),
    (["similar", "潜江", "--format", "json"], "-"),
    (["recommend", "潜江", "--format", "json"], "-"),
    (["recommend", "潜江"], "-"),
    (["similar", "潜江"], "-"),
    (["shared", "潜江", "随州", "--format", "json"], "-"),
    (["show", "潜江", "--format", "json"], "-"),
    (["stats", "--format", "json"], "-"),
]

#: Run in a fresh interpreter: every command through the command line, in one process per seed.
DRIVER = """
import json, sys
from click.testing import CliRunner
from cli import cli

out, commands = sys.argv[1], json.loads(sys.argv[2])
runner = CliRunner()
for k, args in enumerate(commands):
    result = runner.invoke(cli, [a.replace("{out}", out) for a in args], catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"{args}: exit {result.exit_code}: {result.output}")
    with open(f"{out}/stdout-{k}.txt", "wb") as fh:
        fh.write(result.stdout_bytes)
"""


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` by its relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_with_seed(seed: str, out: Path, commands=COMMANDS, data: Path = ROOT / "data") -> dict[str, str]:
    import json

    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "PRACTICE_GRAPH_DATA": str(data)}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out), json.dumps([args for args, _ in commands])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return digests(out)


def test_outputs_are_the_same_bytes_under_two_hash_seeds(tmp_path):
    first = run_with_seed("1", tmp_path / "seed-1")
    second = run_with_seed("2", tmp_path / "seed-2")
    assert len(first) >= len(COMMANDS)
    different = sorted(name for name in first if first[name] != second.get(name))
    assert different == [] and first.keys() == second.keys()


#: Views of the synthetic data below that are laid out in Python (more than ``PHYSICS_MAX_NODES`` nodes) while
#: drawing less than half of the graph they are cut from.
LARGE_VIEWS = [
    (["view", "--initiative", "initiative:x00", "-o", "{out}/initiative.html"], "initiative.html"),
    (["view", "--theme", "theme:t0", "-o", "{out}/theme.html"], "theme.html"),
    (["view", "--city", "city:c000", "--depth", "2", "-o", "{out}/city.html"], "city.html"),
]


def write_large_dataset(folder: Path) -> Path:
    """Synthetic data (see ``benchmarks/synth.py``) of 250 cities adopting 3 to 6 of 30 initiatives, the first few
    adopted almost everywhere; one theme holds the first two initiatives."""
    import csv

    from benchmarks.synth import write_dataset

    root = write_dataset(folder, cities=250, initiatives=30, seed=3, low=3, high=6, exponent=2.0)
    with open(root / "entities.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(["theme:t0", "theme", "合成主题", "Theme 0", "", "", "", "", ""])
    with open(root / "relations.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([f"initiative:x{j:02d}", "belongs_to", "theme:t0", "", ""] for j in (0, 1))
    return root


def test_large_views_are_the_same_bytes_under_two_hash_seeds(tmp_path):
    from graph.dataset import load_dataset
    from graph.model import Model
    from graph.render.page import PHYSICS_MAX_NODES
    from graph.views import ViewSpec, drawn, spec_from_options

    data = write_large_dataset(tmp_path / "data")
    model = Model(load_dataset(data))
    base = drawn(model, ViewSpec()).number_of_nodes()
    for args, _ in LARGE_VIEWS:
        kind, name = args[1].removeprefix("--"), args[2]
        spec = spec_from_options(**{kind: name}, depth=int(args[4]) if "--depth" in args else None)
        n = drawn(model, spec).number_of_nodes()
        assert PHYSICS_MAX_NODES < n < base / 2, (args, n, base)
    first = run_with_seed("1", tmp_path / "seed-1", LARGE_VIEWS, data)
    second = run_with_seed("2", tmp_path / "seed-2", LARGE_VIEWS, data)
    assert {name for _, name in LARGE_VIEWS} <= first.keys()
    different = sorted(name for name in first if first[name] != second.get(name))
    assert different == [] and first.keys() == second.keys()
