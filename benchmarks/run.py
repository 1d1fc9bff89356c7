"""Every speed target of the tool in one run, each beside its baseline, with the machine described (by hand).

    python benchmarks/run.py [--repeat 3] [--previous fca2234] [--timeout 120] [--only WORD ...] [--no-baseline]

Each row runs the public command line (``cli``, called as the installed ``practice-graph`` calls it) as its own
process on synthetic data (``benchmarks/synth.py``, seed 0: 1,000 cities x 5,000 initiatives, 5,000 x 20,000, and
1,000 x 3,966 for the 5,000-node view) or on the bundled data, and is measured with ``os.wait4``: wall time
(median of ``--repeat`` runs), CPU time (user + system: what the command costs on a shared machine) and peak
memory. Beside it, in the same run, once:

- *previous*: the same command with the code of the ``--previous`` commit (``git archive`` into a temporary
  folder; default: the implementation of 30 November 2026 before these speed-ups), stopped after ``--timeout``
  seconds and then shown as "> N s";
- *outside*: where there is an outside tool doing the same work, that tool in its own process: networkx's
  pair-by-pair ``jaccard_coefficient`` for every city's top 10; networkx's betweenness (200 sampled sources) and
  Louvain for ``stats``; pyvis' own ``from_nx`` + ``write_html`` for the view.

Every process runs with the project's modules byte-compiled beforehand (into their ``__pycache__`` folders), as
an installed wheel has them, whatever ``PYTHONDONTWRITEBYTECODE`` says. The load average is printed before and after:
on a machine shared with other work, wall times grow, CPU times much less. The table is Markdown, with each row's
target and whether the median wall time and CPU time meet it (on a quiet machine the two are close: the commands
run on one core).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import describe  # noqa: E402

#: The implementation before the speed-ups of the benchmark's rows.
PREVIOUS = "fca2234"

#: Synthetic datasets: name -> (cities, initiatives).
SIZES = {"1000": (1000, 5000), "5000": (5000, 20000), "view": (1000, 3966)}

# Outside baselines: small programs run as their own process with the current code to read the data.
_NX_TOP10 = """
import heapq, sys
sys.path.insert(0, sys.argv[2])
import networkx as nx
from graph import open_model
model = open_model(sys.argv[1]); inc = model.incidence
g = nx.Graph(); coo = inc.matrix.tocoo()
g.add_edges_from((inc.cities[i], inc.initiatives[j]) for i, j in zip(coo.row.tolist(), coo.col.tolist()))
best = {c: [] for c in inc.cities}
for k, a in enumerate(inc.cities):
    pairs = [(a, b) for b in inc.cities[k + 1:]]
    for u, v, p in (nx.jaccard_coefficient(g, pairs) if pairs else []):
        for x, y in ((u, v), (v, u)):
            h = best[x]
            (heapq.heappush if len(h) < 10 else heapq.heappushpop)(h, (p, y))
"""
_NX_STATS = """
import sys
sys.path.insert(0, sys.argv[2])
import networkx as nx
from graph import analysis, open_model
model = open_model(sys.argv[1]); inc = model.incidence
g = analysis.bipartite_graph(model)
nx.betweenness_centrality(g, k=min(200, len(g)), normalized=False, seed=0)
c = inc.matrix.astype("int64"); co = analysis._upper((c.T @ c).tocsr()).tocoo()
h = nx.Graph(); h.add_nodes_from(range(len(inc.initiatives)))
h.add_weighted_edges_from(zip(co.row.tolist(), co.col.tolist(), co.data.tolist()))
nx.community.louvain_communities(h, weight="weight", seed=0)
"""
_PYVIS_VIEW = """
import sys
sys.path.insert(0, sys.argv[2])
import networkx as nx
from pyvis.network import Network
from graph import open_model
from graph.views import ViewSpec, select
view = select(open_model(sys.argv[1]), ViewSpec(level="initiative"))
simple = nx.Graph()
simple.add_nodes_from((n, {"label": d.get("name", n), "title": d.get("name", n)}) for n, d in view.nodes(data=True))
simple.add_edges_from(view.edges())
net = Network(cdn_resources="in_line")
net.from_nx(simple)
net.toggle_physics(False)
net.write_html(sys.argv[3])
"""
_LOAD = """
import sys
sys.path.insert(0, sys.argv[2])
from graph.dataset import load_dataset
load_dataset(sys.argv[1])
"""


#: The command line as the installed ``practice-graph`` runs it: ``cli`` imported (from its compiled bytecode, like
#: every other module) and called. ``python cli.py`` would compile the script's 1,700 lines again at each run
#: (about 25 ms on this machine), which no installed copy does.
_ENTRY = """
import sys
sys.path.insert(0, sys.argv.pop(1))
sys.argv[0] = "practice-graph"
from cli import cli
sys.exit(cli())
"""

_DATED = ["--date", "2020-10-22"]


@dataclass
class Row:
    label: str
    data: str  # "bundled", a key of SIZES, or "article-known" / "article-new"
    args: list[str]
    target: float
    outside: tuple[str, str] | None = None  # (name, program)
    note: str = ""
    memory: float | None = None  # peak memory target, MB
    terminal: bool = False  # stdout is a terminal (a pseudo-terminal, 100 x 40), as for a person typing it
    times: list = field(default_factory=list)


ROWS = [
    Row("`--help`", "bundled", ["--help"], 0.2),
    Row("`similar 潜江` (bundled data)", "bundled", ["similar", "潜江"], 0.3),
    Row("`similar 潜江` (bundled data), in a terminal", "bundled", ["similar", "潜江"], 0.3, terminal=True),
    Row("`validate` 1,000 x 5,000", "1000", ["validate"], 1.5),
    Row("load + validate 5,000 x 20,000 (in process)", "5000", ["<load>"], 2.5),
    Row(
        "`rank --top 10 --format json` 1,000 x 5,000",
        "1000",
        ["rank", "--top", "10", "--format", "json"],
        2.5,
        ("networkx jaccard, pair by pair", _NX_TOP10),
    ),
    Row("`rank --pairs --format csv` 1,000 cities", "1000", ["rank", "--pairs", "--format", "csv"], 5.0),
    Row("`export csv` 1,000 cities", "1000", ["export", "csv", "-o", "{tmp}/tables"], 10.0),
    Row("`report` 1,000 x 5,000", "1000", ["report", "-o", "{tmp}/report.html"], 5.0),
    Row("`stats` 1,000 x 5,000", "1000", ["stats"], 3.0, ("networkx betweenness (k=200) + Louvain", _NX_STATS)),
    Row("`stats` 5,000 x 20,000", "5000", ["stats"], 15.0, ("networkx betweenness (k=200) + Louvain", _NX_STATS)),
    Row(
        "`view --level initiative` 5,000 nodes (1,000 x 3,966)",
        "view",
        ["view", "--level", "initiative", "-o", "{tmp}/view.html"],
        1.5,
        ("pyvis from_nx + write_html", _PYVIS_VIEW),
        note="the whole process, loading included; generation alone is printed below",
    ),
    Row(
        "`export parquet` 5,000 cities (12 M pairs sharing something)",
        "5000",
        ["export", "parquet", "-o", "{tmp}/dyads.parquet"],
        60.0,
        memory=2048.0,
    ),
    Row("`ingest` 1 MB, known places", "article-known", ["ingest", "{article}", "--out", "{tmp}/review", *_DATED], 5.0),
    Row("`ingest` 1 MB, new places", "article-new", ["ingest", "{article}", "--out", "{tmp}/review", *_DATED], 5.0),
]


def run(
    argv: list[str], env: dict, timeout: float, baseline: bool = False, terminal: bool = False
) -> tuple[float, float, float, bool]:
    """(wall s, CPU s, peak MB, finished) of one process; stopped after ``timeout`` seconds. A baseline that fails
    (an option it did not have yet) gives None. ``terminal``: its standard output is a pseudo-terminal, read by a
    thread of this process as a terminal would."""
    errors = tempfile.TemporaryFile()  # not a pipe: a command that writes much to stderr would block on it
    out, reader = subprocess.DEVNULL, None
    if terminal:
        import fcntl
        import pty
        import struct
        import termios
        import threading

        master, out = pty.openpty()
        fcntl.ioctl(out, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        reader = threading.Thread(target=_drain, args=(master,), daemon=True)
        reader.start()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=out, stderr=errors)
    if terminal:
        os.close(out)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > timeout:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return timeout, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, False
        time.sleep(0.01)
    wall = time.perf_counter() - start
    if reader is not None:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and baseline and "--date" in argv:  # before --date: the same command without it
        return run(argv[: argv.index("--date")] + argv[argv.index("--date") + 2 :], env, timeout, baseline, terminal)
    if proc.returncode != 0 and baseline:
        return None
    if proc.returncode != 0:
        errors.seek(0)
        raise SystemExit(f"{' '.join(argv)} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, True


def _drain(master: int) -> None:
    """Read a pseudo-terminal until its last writer is gone, then close it."""
    try:
        while os.read(master, 65536):
            pass
    except OSError:  # EIO: the child and every copy of its end are gone
        pass
    os.close(master)


def bytecode_env(tmp: Path) -> dict:
    """The environment of every measured process: bytecode cached in each package's ``__pycache__`` (the
    project's modules compiled by :func:`compile_tree`), as an installed wheel has it, even where
    ``PYTHONDONTWRITEBYTECODE`` is set: compiling the project's own modules afresh at each start would add about
    0.1 s of CPU to every command. (A ``PYTHONPYCACHEPREFIX`` would not do: numpy's and the standard library's
    modules would then be compiled again into it.)"""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("PRACTICE_GRAPH_DATA", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }


def compile_tree(tree: Path, tmp: Path) -> None:
    """Byte-compile ``cli.py`` and ``graph/`` of ``tree`` into their ``__pycache__`` folders."""
    targets = [str(tree / "cli.py"), str(tree / "graph")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *targets], env=bytecode_env(tmp), check=True)


def command(tree: Path, row: Row, folders: dict, tmp: Path) -> tuple[list[str], dict]:
    env = bytecode_env(tmp)
    data = folders.get(row.data)
    article = folders.get(row.data) if row.data.startswith("article") else None
    if row.args == ["<load>"]:
        return [sys.executable, "-c", _LOAD, str(data), str(tree)], env
    if data is not None and article is None:
        env["PRACTICE_GRAPH_DATA"] = str(data)
    out = tmp / f"out-{time.monotonic_ns()}"
    out.mkdir()
    args = [a.replace("{tmp}", str(out)).replace("{article}", str(article)) for a in row.args]
    return [sys.executable, "-c", _ENTRY, str(tree), *args], env


def fmt(seconds: float | None, finished: bool = True) -> str:
    if seconds is None:
        return "-"
    text = f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    return text if finished else f"> {text}"


def prepare(tmp: Path, rows: list[Row]) -> dict:
    """The datasets and articles the rows need, written under ``tmp`` by a child process: building them takes
    a few hundred MB, which this process would otherwise hold, and Linux counts a forked child's memory from its
    parent's at the fork, so every command's peak would include it."""
    keys = sorted({r.data for r in rows} - {"bundled"})
    subprocess.run([sys.executable, __file__, "--prepare", str(tmp), *keys], check=True)
    folders = {"bundled": None}
    for key in keys:
        folders[key] = tmp / (f"{key}.txt" if key.startswith("article") else f"synth-{key}")
    return folders


def write_inputs(tmp: Path, keys: list[str]) -> None:
    """Write the inputs named by ``keys`` (keys of :data:`SIZES`, ``article-known``, ``article-new``)."""
    from synth import write_dataset

    for key in keys:
        if key in SIZES:
            cities, initiatives = SIZES[key]
            write_dataset(tmp / f"synth-{key}", cities, initiatives, seed=0)
        else:
            from bench_ingest import article

            (tmp / f"{key}.txt").write_text(article(1.0, key == "article-new"), encoding="utf-8")


def previous_tree(ref: str, tmp: Path) -> Path:
    tree = tmp / f"previous-{ref}"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def generation_seconds(folder: Path) -> float:
    """View generation alone, in this process (the data already loaded): the figure the 1.5 s target is about."""
    sys.path.insert(0, str(ROOT))
    import gc

    from graph import open_model
    from graph.render import write_view
    from graph.views import ViewSpec

    gc.set_threshold(100_000, 50, 1000)  # as the command line sets it
    model = open_model(folder)
    model.incidence  # noqa: B018
    import pyvis.network  # noqa: F401

    times = []
    for _ in range(3):
        start = time.perf_counter()
        write_view(model, ViewSpec(level="initiative"), folder / "gen.html")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--prepare"]:
        return write_inputs(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each of our commands (median)")
    parser.add_argument("--previous", default=PREVIOUS, help="commit of the previous implementation")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a baseline is stopped")
    parser.add_argument("--only", nargs="*", default=None, help="rows whose label contains one of these words")
    parser.add_argument("--no-baseline", action="store_true", help="our commands only")
    args = parser.parse_args(argv)
    rows = [r for r in ROWS if not args.only or any(w in r.label for w in args.only)]
    print(f"machine: {describe()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="pg-bench-") as name:
        tmp = Path(name)
        folders = prepare(tmp, rows)
        old = None if args.no_baseline else previous_tree(args.previous, tmp)
        for tree in (ROOT, old):
            if tree is not None:
                compile_tree(tree, tmp)
        for row in rows:
            ours = []
            for _ in range(args.repeat):
                argv_, env = command(ROOT, row, folders, tmp)
                ours.append(run(argv_, env, 3600, terminal=row.terminal))
            wall = statistics.median(t[0] for t in ours)
            cpu = statistics.median(t[1] for t in ours)
            peak = max(t[2] for t in ours)
            before = outside = None
            if old is not None:
                argv_, env = command(old, row, folders, tmp)
                before = run(argv_, env, args.timeout, baseline=True, terminal=row.terminal)
                if row.outside is not None:
                    program = row.outside[1]
                    extra = [str(tmp / "pyvis.html")] if program is _PYVIS_VIEW else []
                    outside = run([sys.executable, "-c", program, str(folders[row.data]), str(ROOT), *extra], env,
                                  args.timeout, baseline=True)  # fmt: skip
            results.append((row, wall, cpu, peak, before, outside))
            met = wall <= row.target and (row.memory is None or peak <= row.memory)
            verdict = "meets" if met else "misses"
            print(f"  {row.label}: {fmt(wall)} (CPU {fmt(cpu)}), target {fmt(row.target)}: {verdict}", flush=True)
        generation = generation_seconds(folders["view"]) if "view" in folders else None
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(
        "| row | target | ours: wall (median) | ours: CPU | peak | previous "
        f"({args.previous}) | outside baseline | meets target: wall / CPU |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row, wall, cpu, peak, before, outside in results:
        prev = f"{fmt(before[0], before[3])} (CPU {fmt(before[1])})" if before else "fails" if old else "-"
        out = f"{row.outside[0]}: {fmt(outside[0], outside[3])}" if outside else "-"
        fits = row.memory is None or peak <= row.memory
        verdict = f"{'yes' if wall <= row.target and fits else 'no'} / {'yes' if cpu <= row.target and fits else 'no'}"
        target = f"< {fmt(row.target)}" + (f", < {row.memory:,.0f} MB" if row.memory else "")
        print(f"| {row.label} | {target} | {fmt(wall)} | {fmt(cpu)} | {peak:,.0f} MB | {prev} | {out} | {verdict} |")
    if generation is not None:
        print(f"\nview generation alone (5,000 nodes, data loaded, in process, median of 3): {fmt(generation)}")
    print(f"machine: {describe()}")


if __name__ == "__main__":
    main()
