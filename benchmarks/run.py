"""Every speed target of the tool in one run, each beside its baseline, with the machine described (by hand).

    python benchmarks/run.py [--repeat 3] [--previous fca2234] [--timeout 120] [--only WORD ...] [--no-baseline]
                             [--table 1|2]

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

A second table, "every other command", times the rest of what a person runs at 1,000 and 5,000 cities: ``show``,
``shared``, ``similar`` by each measure, ``recommend``, ``evaluate``, every view, every export, ``timeline`` and
``diffusion`` on dated data, ``ingest --apply`` of a review folder, ``validate`` at 5,000. Its datasets are the same
synthetic ones with 20 themes (``1000t``, ``5000t``) and, for the dated commands, a month for each city's report
(``1000d``, ``5000d``). Its heavy rows run once whatever ``--repeat`` says, and rows whose command the previous
implementation did not have (or would take minutes or tens of GB there) have no baseline.
"""

from __future__ import annotations

import argparse
import functools
import json
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

#: The second table's synthetic datasets: name -> (cities, initiatives, themes, dated).
THEMED = {
    "1000t": (1000, 5000, 20, False),
    "1000d": (1000, 5000, 20, True),
    "5000t": (5000, 20000, 20, False),
    "5000d": (5000, 20000, 20, True),
}

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
# Page generation alone, in a process of its own: the data is loaded and the model built first (untimed), then one
# view is generated and written; [wall s, CPU s] of that step go to a file. argv: data, tree, page, pyvis or -, file.
_GENERATION = """
import gc, json, sys, time
sys.path.insert(0, sys.argv[2])
from graph import open_model
from graph.views import ViewSpec
gc.set_threshold(100_000, 50, 1000)  # as the command line sets it
model = open_model(sys.argv[1]); model.incidence
spec = ViewSpec(level="initiative")
if sys.argv[4] == "pyvis":
    import networkx as nx
    from pyvis.network import Network
    from graph.views import select
    view = select(model, spec)
    simple = nx.Graph()
    simple.add_nodes_from((n, {"label": d.get("name", n), "title": d.get("name", n)}) for n, d in view.nodes(data=True))
    simple.add_edges_from(view.edges())
    def generate():
        net = Network(cdn_resources="in_line")
        net.from_nx(simple)
        net.toggle_physics(False)
        net.write_html(sys.argv[3])
else:
    import pyvis.network
    from graph.render import write_view
    def generate():
        write_view(model, spec, sys.argv[3])
wall, cpu = time.perf_counter(), time.process_time()
generate()
open(sys.argv[5], "w").write(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
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
    repeat: int | None = None  # at most this many runs (heavy rows)
    baseline: bool = True  # run the previous implementation too
    exit_code: int = 0  # the exit code the command should end with (1: a refusal, measured as such)
    fresh: bool = False  # a fresh copy of the dataset for each run (the command changes it)


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
        "`view` 5,000 nodes (1,000 x 3,966): layout and page generation, the data loaded (in process)",
        "view",
        ["<generation>"],
        1.5,
        ("pyvis from_nx + write_html", ""),
    ),
    Row(
        "`view --level initiative` 5,000 nodes (1,000 x 3,966), the whole process (loading included)",
        "view",
        ["view", "--level", "initiative", "-o", "{tmp}/view.html"],
        1.5,
        ("pyvis from_nx + write_html", _PYVIS_VIEW),
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


C1, C2, C3 = "合成0001市", "合成0002市", "合成0003市"
I1, I5 = "举措0000", "举措00000"  # the most adopted initiative at 1,000 x 5,000 and at 5,000 x 20,000


def _other_rows() -> list[Row]:
    """The second table: every other command and common option, at 1,000 x 5,000 (target 3 s) and 5,000 x 20,000
    (target 15 s), with the heavy exceptions stated."""
    rows: list[Row] = []
    sizes = (("1,000", "1000t", "1000d", I1, 3.0), ("5,000", "5000t", "5000d", I5, 15.0))
    for size, data, dated, initiative, target in sizes:
        big = size == "5,000"
        row = functools.partial(_add_row, rows, size, data, target)

        row(f"show {C1}", ["show", C1])
        row(f"show {initiative}", ["show", initiative])
        row(f"shared {C1} {C2}", ["shared", C1, C2])
        row(f"shared {C1} {C2} {C3}", ["shared", C1, C2, C3])
        for metric in ("jaccard", "cosine", "adamic-adar", "resource-allocation", "text"):
            if not big or metric in ("jaccard", "text"):
                row(f"similar {C1} --metric {metric}", ["similar", C1, "--metric", metric], baseline=not big)
        row(f"recommend {C1}", ["recommend", C1])
        row("evaluate", ["evaluate"], target=120.0 if big else 15.0, repeat=1, baseline=False)
        row(f"view --city {C1}", ["view", "--city", C1, "-o", "{tmp}/v.html"])
        row(f"view --city {C1} --depth 2", ["view", "--city", C1, "--depth", "2", "-o", "{tmp}/v.html"])
        row(f"view --initiative {initiative}", ["view", "--initiative", initiative, "-o", "{tmp}/v.html"])
        row("view --theme 主题00", ["view", "--theme", "主题00", "-o", "{tmp}/v.html"])
        row("view --similarity", ["view", "--similarity", "-o", "{tmp}/v.html"])
        row("view --similarity --layout map", ["view", "--similarity", "--layout", "map", "-o", "{tmp}/v.html"])
        row("view --layout map", ["view", "--layout", "map", "-o", "{tmp}/v.html"])
        row("view --matrix", ["view", "--matrix", "-o", "{tmp}/v.html"], baseline=False)
        row(f"view --compare {C1} {C2}", ["view", "--compare", C1, C2, "-o", "{tmp}/v.html"], baseline=False)
        for fmt in ("graphml", "gexf", "json"):
            row(f"export {fmt}", ["export", fmt, "-o", f"{{tmp}}/g.{fmt}"])
        if not big:
            row("export parquet", ["export", "parquet", "-o", "{tmp}/d.parquet"])
            row("ingest --apply (a review folder of 1 MB)", ["ingest", "--apply", "{review}"], data="review",
                fresh=True, baseline=False)  # fmt: skip
        else:
            row("validate", ["validate"])
        # dated reports
        row("timeline", ["timeline"], data=dated, baseline=False)
        row("timeline -o FILE", ["timeline", "-o", "{tmp}/t.html"], data=dated, baseline=False)
        row(f"timeline {initiative}", ["timeline", initiative], data=dated, baseline=False)
        if not big:
            row(f"timeline {initiative} -o FILE", ["timeline", initiative, "-o", "{tmp}/t.html"], data=dated,
                baseline=False)  # fmt: skip
            row(f"timeline --city {C1}", ["timeline", "--city", C1], data=dated, baseline=False)
            row("timeline -o FILE --ties", ["timeline", "-o", "{tmp}/t.html", "--ties"], data=dated, baseline=False)
            for extra in ([], ["--format", "csv"], ["--format", "json"], ["--model", "power-law"], ["--edges", "10"]):
                row(" ".join(["diffusion", *extra]), ["diffusion", *extra], data=dated, baseline=False)
            row(f"similar {C1}, dated", ["similar", C1], data=dated, baseline=False)
            row(f"recommend {C1}, dated", ["recommend", C1], data=dated, baseline=False)
        else:  # 38 million candidate pairs: refused at once
            row("diffusion (38 M pairs: refused)", ["diffusion"], data=dated, baseline=False, exit_code=1)
            row("timeline -o FILE --ties (refused)", ["timeline", "-o", "{tmp}/t.html", "--ties"], data=dated,
                baseline=False, exit_code=1)  # fmt: skip
        for fmt in ("cascades", "adoptions"):
            row(f"export {fmt}", ["export", fmt, "-o", "{tmp}/h.csv"], data=dated, baseline=False)
        # export dyad-years at 1,000 dated cities writes 100 M rows (15 GB, minutes): measured once in docs/history.md
    return rows


def _add_row(rows: list[Row], size: str, dataset: str, limit: float, label: str, args: list[str], **kw) -> None:
    kw.setdefault("data", dataset)
    kw.setdefault("target", limit)
    rows.append(Row(f"`{label}` {size}", args=args, **kw))


#: The second table: every other command.
OTHER_ROWS = _other_rows()


def run(
    argv: list[str], env: dict, timeout: float, baseline: bool = False, terminal: bool = False, exit_code: int = 0
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
    if proc.returncode != exit_code and baseline and "--date" in argv:  # before --date: the same command without it
        argv = argv[: argv.index("--date")] + argv[argv.index("--date") + 2 :]
        return run(argv, env, timeout, baseline, terminal, exit_code)
    if proc.returncode != exit_code and baseline:
        return None
    if proc.returncode != exit_code:
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
    out = tmp / f"out-{time.monotonic_ns()}"
    out.mkdir()
    if row.fresh:  # the command changes its dataset: each run gets its own copy, made before it starts
        import shutil

        data = Path(shutil.copytree(data, out / "data"))
    if data is not None and article is None:
        env["PRACTICE_GRAPH_DATA"] = str(data)
    review = str(folders.get("review-folder"))
    args = [
        a.replace("{tmp}", str(out)).replace("{article}", str(article)).replace("{review}", review) for a in row.args
    ]
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
    if "review" in keys:
        folders["review-folder"] = tmp / "review"
    return folders


def write_inputs(tmp: Path, keys: list[str]) -> None:
    """Write the inputs named by ``keys`` (keys of :data:`SIZES`, ``article-known``, ``article-new``)."""
    from synth import write_dataset

    for key in keys:
        if key in SIZES:
            cities, initiatives = SIZES[key]
            write_dataset(tmp / f"synth-{key}", cities, initiatives, seed=0)
        elif key in THEMED:
            cities, initiatives, themes, dated = THEMED[key]
            write_dataset(tmp / f"synth-{key}", cities, initiatives, seed=0, themes=themes, dated=dated)
        elif key == "review":  # 1,000 x 5,000 and the candidates of a 1 MB article about new places, to merge
            sys.path.insert(0, str(ROOT))
            from bench_ingest import article

            from graph.ingest import ingest

            write_dataset(tmp / "synth-review", 1000, 5000, seed=0, themes=20)
            text = tmp / "review-article.txt"
            text.write_text(article(1.0, True), encoding="utf-8")
            ingest([str(text)], str(tmp / "synth-review"), str(tmp / "review"), False, None, date="2020-10-22")
        else:
            from bench_ingest import article

            (tmp / f"{key}.txt").write_text(article(1.0, key == "article-new"), encoding="utf-8")


def previous_tree(ref: str, tmp: Path) -> Path:
    tree = tmp / f"previous-{ref}"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def generation(tree: Path, folder: Path, tmp: Path, timeout: float, baseline: bool = False, pyvis: bool = False):
    """(wall s, CPU s, peak MB, finished) of one view's generation in a process of its own, the data loaded first
    (not timed; the peak is the whole process's); None if a baseline cannot do it."""
    result = tmp / f"generation-{time.monotonic_ns()}.json"
    argv = [sys.executable, "-c", _GENERATION, str(folder), str(tree), str(tmp / "gen.html"), "pyvis" if pyvis else "-"]
    measured = run([*argv, str(result)], bytecode_env(tmp), timeout, baseline=baseline)
    if measured is None or not measured[3]:
        return measured
    wall, cpu = json.loads(result.read_text(encoding="utf-8"))
    return wall, cpu, measured[2], True


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
    parser.add_argument("--table", type=int, choices=(1, 2), default=None, help="the first or the second table only")
    args = parser.parse_args(argv)
    tables = {1: ROWS, 2: OTHER_ROWS}.get(args.table, ROWS + OTHER_ROWS)
    rows = [r for r in tables if not args.only or any(w in r.label for w in args.only)]
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
            for _ in range(min(args.repeat, row.repeat or args.repeat)):
                if row.args == ["<generation>"]:
                    ours.append(generation(ROOT, folders[row.data], tmp, 3600))
                    continue
                argv_, env = command(ROOT, row, folders, tmp)
                ours.append(run(argv_, env, 3600, terminal=row.terminal, exit_code=row.exit_code))
            wall = statistics.median(t[0] for t in ours)
            cpu = statistics.median(t[1] for t in ours)
            peak = max(t[2] for t in ours)
            before = outside = None
            if old is not None and row.baseline and row.args == ["<generation>"]:
                before = generation(old, folders[row.data], tmp, args.timeout, baseline=True)
                outside = generation(ROOT, folders[row.data], tmp, args.timeout, baseline=True, pyvis=True)
            elif old is not None and row.baseline:
                argv_, env = command(old, row, folders, tmp)
                before = run(argv_, env, args.timeout, baseline=True, terminal=row.terminal, exit_code=row.exit_code)
                if row.outside is not None:
                    program = row.outside[1]
                    extra = [str(tmp / "pyvis.html")] if program is _PYVIS_VIEW else []
                    outside = run([sys.executable, "-c", program, str(folders[row.data]), str(ROOT), *extra], env,
                                  args.timeout, baseline=True)  # fmt: skip
            results.append((row, wall, cpu, peak, before, outside))
            met = wall <= row.target and (row.memory is None or peak <= row.memory)
            verdict = "meets" if met else "misses"
            print(f"  {row.label}: {fmt(wall)} (CPU {fmt(cpu)}), target {fmt(row.target)}: {verdict}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    first = [r for r in results if r[0] not in OTHER_ROWS]
    others = [r for r in results if r[0] in OTHER_ROWS]
    if first or not others:
        print()
        print(
            "| row | target | ours: wall (median) | ours: CPU | peak | previous "
            f"({args.previous}) | outside baseline | meets target: wall / CPU |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for row, wall, cpu, peak, before, outside in first:
            prev = f"{fmt(before[0], before[3])} (CPU {fmt(before[1])})" if before else "fails" if old else "-"
            out = f"{row.outside[0]}: {fmt(outside[0], outside[3])}" if outside else "-"
            fits = row.memory is None or peak <= row.memory
            verdict = (
                f"{'yes' if wall <= row.target and fits else 'no'} / {'yes' if cpu <= row.target and fits else 'no'}"
            )
            target = f"< {fmt(row.target)}" + (f", < {row.memory:,.0f} MB" if row.memory else "")
            print(
                f"| {row.label} | {target} | {fmt(wall)} | {fmt(cpu)} | {peak:,.0f} MB | {prev} | {out} | {verdict} |"
            )
    if others:
        print("\nevery other command (synthetic data with 20 themes; dated rows: a month for each city's report)\n")
        print(f"| row | target | runs | ours: wall (median) | ours: CPU | peak | previous ({args.previous}) | "
              "meets target: wall / CPU |")  # fmt: skip
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for row, wall, cpu, peak, before, _ in others:
            prev = (
                f"{fmt(before[0], before[3])} (CPU {fmt(before[1])})"
                if before
                else "fails"
                if old and row.baseline
                else "-"
            )
            runs = min(args.repeat, row.repeat or args.repeat)
            verdict = f"{'yes' if wall <= row.target else 'no'} / {'yes' if cpu <= row.target else 'no'}"
            cells = [row.label, f"< {fmt(row.target)}", runs, fmt(wall), fmt(cpu), f"{peak:,.0f} MB", prev, verdict]
            print("| " + " | ".join(str(c) for c in cells) + " |")
    print(f"machine: {describe()}")


if __name__ == "__main__":
    main()
