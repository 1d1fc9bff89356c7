"""Commands on small data do not pay for importing scipy, and their scipy-free paths give the same bytes as the
sparse ones.

The bundled data (13 cities) is scored with dense numpy products; above the size limits of
:data:`graph.scoring.DENSE_MAX_CELLS`, :data:`graph.stability.DENSE_CELLS` and
:data:`graph.stability.SCORES_DENSE_CELLS` the same answers come from scipy's sparse products.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli import cli
from graph import scoring, stability
from tests.conftest import REAL, ROOT

#: Commands that import neither scipy nor rich's console on the bundled data (the table goes to a pipe).
LIGHT = [
    ["similar", "潜江"],
    ["similar", "潜江", "--format", "json"],
    ["shared", "潜江", "随州"],
    ["recommend", "潜江"],
    ["show", "潜江"],
]

#: Run in a fresh interpreter: each command through the command line, then which of them had scipy loaded.
DRIVER = """
import json, sys
from click.testing import CliRunner
from cli import cli

loaded = []
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    heavy = ("scipy", "rich.console", "rich.table")
    loaded.append([args, sorted(m for m in sys.modules if m in heavy or m.startswith("scipy."))[:3]])
print(json.dumps(loaded))
"""


def test_commands_on_the_bundled_data_never_import_scipy_nor_rich_console():
    env_data = {"PRACTICE_GRAPH_DATA": str(REAL)}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(LIGHT)],
        cwd=ROOT,
        env={**__import__("os").environ, **env_data},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout)
    assert [args for args, _ in loaded] == LIGHT
    assert [(args, modules) for args, modules in loaded if modules] == []


#: What ``similar CITY`` into a pipe does not need: rich's console (the box table draws it), scipy, the order of
#: reports on data with one date, the installed package's metadata, and modules of the standard library only
#: writing, suggesting names or JSON use.
NOT_IMPORTED_BY_SIMILAR = [
    "calendar",
    "difflib",
    "graph.diffusion",
    "importlib.metadata",
    "json",
    "rich.console",
    "rich.table",
    "scipy",
    "shutil",
    "tempfile",
]

#: ``cli.py ARGS`` run as a user runs it (stdout a pipe), then the modules of argv[1] loaded, on stderr.
AS_RUN = """
import runpy, sys
watched = sys.argv.pop(1).split(",")
sys.argv[0] = "cli.py"
try:
    runpy.run_path("cli.py", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
finally:
    print(sorted(m for m in watched if m in sys.modules), file=sys.stderr)
"""


def test_similar_into_a_pipe_imports_nothing_it_does_not_use():
    done = subprocess.run(
        [sys.executable, "-c", AS_RUN, ",".join(NOT_IMPORTED_BY_SIMILAR), "--data", str(REAL), "similar", "潜江"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "潜江市" in done.stdout and "┏" in done.stdout
    assert done.stderr.splitlines()[-1] == "[]"


def test_the_version_is_printed_without_reading_the_installed_package_metadata():
    done = subprocess.run(
        [sys.executable, "-c", AS_RUN, "importlib.metadata,numpy,rich.console", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "practice-graph" in done.stdout
    assert done.stderr.splitlines()[-1] == "[]"


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal needs a POSIX system")
def test_similar_in_a_terminal_draws_its_styled_table_without_rich_console():
    import os
    import pty

    master, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "COLUMNS"):
        env.pop(name, None)
    argv = [sys.executable, "-c", AS_RUN, "rich.console,rich.table", "--data", str(REAL), "similar", "潜江"]
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=terminal, stderr=subprocess.PIPE)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    errors = child.stderr.read().decode()
    assert child.wait(timeout=120) == 0, errors[-3000:]
    assert b"\x1b[1m" in shown and "潜江市".encode() in shown  # bold headers, as rich draws them
    assert errors.splitlines()[-1] == "[]"


#: Commands whose output carries scores, supports and critical links of every metric of the incidence.
COMPARED = [
    ["similar", "潜江", "--format", "json"],
    ["similar", "潜江"],
    ["similar", "随州", "--metric", "jaccard", "--format", "json", "--top", "12"],
    ["similar", "天门", "--metric", "adamic-adar", "--format", "json"],
    ["recommend", "潜江", "--format", "json"],
    ["recommend", "潜江"],
    ["recommend", "随州", "--metric", "resource-allocation", "--peers", "12", "--format", "json"],
    ["recommend", "神农架", "--metric", "cosine", "--format", "csv"],
    ["rank", "--top", "3", "--format", "json"],
    ["rank", "--pairs", "--format", "csv"],
    ["stats", "--format", "json"],
]


def _outputs(data) -> list[bytes]:
    runner = CliRunner()
    out = []
    for args in COMPARED:
        result = runner.invoke(cli, ["--data", str(data), *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        out.append(result.stdout_bytes)
    return out


def test_dense_and_sparse_paths_print_the_same_bytes_on_the_bundled_data(tmp_path, monkeypatch):
    dense = _outputs(REAL)
    # a copy of the data in another folder: a model of its own, built with the sparse products everywhere
    copy = tmp_path / "data"
    shutil.copytree(REAL, copy)
    monkeypatch.setattr(scoring, "DENSE_MAX_CELLS", 0)
    monkeypatch.setattr(stability, "DENSE_CELLS", 0)
    monkeypatch.setattr(stability, "SCORES_DENSE_CELLS", 0)
    sparse = _outputs(copy)
    different = [args for args, a, b in zip(COMPARED, dense, sparse, strict=True) if a != b]
    assert different == []
    assert b"critical_link" in dense[0] and b"support" in dense[4]


@pytest.mark.parametrize("command", [["--help"], ["similar", "--help"]])
def test_help_imports_no_numeric_library(command):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom cli import cli\n"
        f"r = CliRunner().invoke(cli, {command!r})\nassert r.exit_code == 0, r.output\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy', 'networkx', 'rich', 'pyvis'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]"


def test_the_command_line_starts_numpy_with_one_blas_thread_unless_told_otherwise():
    code = (
        "import os, sys\nos.environ.pop('OPENBLAS_NUM_THREADS', None)\nimport cli\n"
        "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["False", "1"]
    told = "import os\nos.environ['OPENBLAS_NUM_THREADS'] = '2'\nimport cli\nprint(os.environ['OPENBLAS_NUM_THREADS'])"
    done = subprocess.run([sys.executable, "-c", told], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "2"
