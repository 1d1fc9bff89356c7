"""Whole-process times of the similarity commands at scale, beside the previous implementation and networkx, in one
run (run by hand, not in the tests).

    python benchmarks/bench_commands.py [--baseline fca2234] [--large] [--repeat 3]

Each command runs as its own process on synthetic data (benchmarks/synth.py: 1,000 cities x 5,000 initiatives;
with --large also 5,000 x 20,000) or on the bundled data, and is measured with ``os.wait4``: wall time, CPU time
(user + system: what the command costs when the machine is shared) and peak memory. The same commands run with
the code of the ``--baseline`` commit (``git archive``; default: the implementation before the scoring engine
and the dyads in blocks), and networkx's pair-by-pair jaccard gives every city's top 10 as an outside reference.
The table is printed in Markdown with each row's target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import describe  # noqa: E402
from synth import write_dataset  # noqa: E402

#: (label, data: "bundled", "1000" or "5000", arguments, target in seconds, whether the baseline can run it)
COMMANDS = [
    ("--help", "bundled", ["--help"], 0.2, True),
    ("similar 潜江", "bundled", ["similar", "潜江"], 0.3, True),
    ("validate (loading, for reference)", "1000", ["validate"], None, True),
    ("rank --top 10 --format json", "1000", ["rank", "--top", "10", "--format", "json"], 2.5, True),
    ("rank --pairs --format csv", "1000", ["rank", "--pairs", "--format", "csv"], 5.0, True),
    ("export csv", "1000", ["export", "csv", "-o", "{tmp}/tables"], 10.0, True),
    ("export parquet (5,000 cities)", "5000", ["export", "parquet", "-o", "{tmp}/dyads.parquet"], 60.0, False),
]


def run_once(cli: Path, data: Path | None, args: list[str], tmp: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one process running the command."""
    env = dict(os.environ)
    if data is not None:
        env["PRACTICE_GRAPH_DATA"] = str(data)
    else:
        env.pop("PRACTICE_GRAPH_DATA", None)
    for p in tmp.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    argv = [sys.executable, str(cli), *[a.replace("{tmp}", str(tmp)) for a in args]]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cli.parent)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed with exit {proc.returncode} ({cli})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(cli: Path, data: Path | None, args: list[str], tmp: Path, repeat: int) -> tuple[float, float, float]:
    runs = [run_once(cli, data, args, tmp) for _ in range(repeat)]
    return tuple(statistics.median(r[k] for r in runs) for k in range(3))


def networkx_top10(folder: Path) -> float:
    """Seconds networkx's jaccard_coefficient takes to give every city its top 10, pair by pair."""
    import heapq

    import networkx as nx

    sys.path.insert(0, str(ROOT))
    from graph.dataset import load_dataset
    from graph.model import Model

    inc = Model(load_dataset(folder)).incidence
    G = nx.Graph()
    G.add_nodes_from(inc.cities)
    G.add_nodes_from(inc.initiatives)
    G.add_edges_from((c, x) for c in inc.cities for x in inc.initiatives_of(c))
    start = time.perf_counter()
    best: dict[str, list] = {c: [] for c in inc.cities}
    for k, a in enumerate(inc.cities):
        ebunch = [(a, b) for b in inc.cities[k + 1 :]]  # a list: a generator is consumed by validation
        for u, v, p in nx.jaccard_coefficient(G, ebunch) if ebunch else ():
            for x, y in ((u, v), (v, u)):
                heapq.heappush(best[x], (p, y))
                if len(best[x]) > 10:
                    heapq.heappop(best[x])
    return time.perf_counter() - start


def fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "-"
    if unit == "MB":
        return f"{x:,.0f} MB"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="fca2234", help="git commit of the previous implementation")
    parser.add_argument("--large", action="store_true", help="also 5,000 x 20,000 (the Parquet export)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median); the baseline runs once")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the synthetic data here between runs")
    args = parser.parse_args(argv)
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f} at start\n", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    try:
        data_dir = args.data_dir or work / "data"
        folders = {"bundled": None}
        for size, (n, m) in {"1000": (1000, 5000), "5000": (5000, 20000)}.items():
            if size == "5000" and not args.large:
                continue
            folder = data_dir / f"synth-{n}x{m}"
            if not (folder / "relations.csv").exists():
                write_dataset(folder, n, m, seed=0)
            folders[size] = folder
        baseline = work / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
        tmp = work / "out"
        tmp.mkdir()
        header = "| command | data | now: wall | now: CPU | now: peak | previous: wall | previous: CPU | target |"
        print(header)
        print("| --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
        for label, size, cmd, target, baseline_runs in COMMANDS:
            if size not in folders:
                continue
            data = folders[size]
            wall, cpu, peak = measure(ROOT / "cli.py", data, cmd, tmp, args.repeat)
            old_wall = old_cpu = None
            if baseline_runs:
                old_wall, old_cpu, _ = measure(baseline / "cli.py", data, cmd, tmp, 1)
            where = "bundled" if data is None else f"{size} cities"
            met = "" if target is None else (f"< {target:g} s " + ("(met)" if wall < target else "(wall over)"))
            print(
                f"| `{label}` | {where} | {fmt(wall)} | {fmt(cpu)} | {fmt(peak, 'MB')} | {fmt(old_wall)} | "
                f"{fmt(old_cpu)} | {met} |",
                flush=True,
            )
        t_nx = networkx_top10(folders["1000"])
        print(
            f"| networkx jaccard_coefficient, every city's top 10 (in process) | 1000 cities | {fmt(t_nx)} |",
            flush=True,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
