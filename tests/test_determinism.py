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


def run_with_seed(seed: str, out: Path) -> dict[str, str]:
    import json

    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed, "PRACTICE_GRAPH_DATA": str(ROOT / "data")}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out), json.dumps([args for args, _ in COMMANDS])],
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
