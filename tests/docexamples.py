"""Run the command examples of README.md and docs/*.md and compare their output with what the page shows.

An example is a fenced block marked ``console``: each line starting with ``$ `` is a shell command, and the
lines up to the next command or the end of the block are its expected output (stdout and stderr together, as a
terminal shows them). The commands of one page run in order, in one fresh folder that holds a copy of the
bundled dataset as ``data/`` (``PRACTICE_GRAPH_DATA`` points at it, so ``ingest --apply`` never touches the real
one); ``practice-graph`` runs this checkout's ``cli.py``.

An HTML comment right before a block prepares it without showing on the page:
``<!-- setup: SHELL LINES -->`` runs the lines first (in the same folder; ``$REPO`` is this checkout).
Blocks marked ``sh`` or left unmarked are not run.

Refresh every page's outputs after a change that alters them, then read the diff::

    python tests/docexamples.py --update
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: The width the examples are printed at: tables written to a file or a pipe are laid out for 160 columns.
WIDTH = 100

_BLOCK = re.compile(r"(?:<!-- setup: (?P<setup>.*?) -->\n)?```console\n(?P<body>.*?)```", re.S)


@dataclass
class Example:
    command: str
    expected: list[str]


@dataclass
class Block:
    start: int  # offset of the body in the page
    end: int
    setup: str
    examples: list[Example] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """The console blocks of a page, each with its commands and their expected output."""
    found = []
    for m in _BLOCK.finditer(text):
        block = Block(m.start("body"), m.end("body"), (m.group("setup") or "").strip())
        for line in m.group("body").splitlines():
            if line.startswith("$ "):
                block.examples.append(Example(line[2:], []))
            elif block.examples:
                block.examples[-1].expected.append(line.rstrip())
            elif line.strip():
                raise ValueError(f"a console block must start with a '$ ' command line, not {line!r}")
        for example in block.examples:
            while example.expected and not example.expected[-1]:
                example.expected.pop()
        found.append(block)
    return found


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRACTICE_GRAPH", "PYTHONHASH"))}
    bindir = folder / ".bin"
    bindir.mkdir()
    launcher = bindir / "practice-graph"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "cli.py"}" "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    env.update(
        PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}",
        PRACTICE_GRAPH_DATA=str(folder / "data"),
        COLUMNS=str(WIDTH),
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        HOME=str(folder / "home"),
        REPO=str(ROOT),
    )
    (folder / "home").mkdir()
    return env


def _run(command: str, folder: Path, env: dict[str, str]) -> list[str]:
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command + " 2>&1"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    lines = [line.rstrip() for line in proc.stdout.replace(str(folder), ".").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_page(page: Path) -> list[tuple[Example, list[str]]]:
    """Run every example of ``page``; return each with the output it actually gave."""
    text = page.read_text(encoding="utf-8")
    results = []
    with tempfile.TemporaryDirectory(prefix="docs-") as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns(".backup", ".lock"))
        env = environment(folder)
        for block in blocks(text):
            if block.setup:
                proc = subprocess.run(
                    ["bash", "-e", "-c", block.setup], cwd=folder, env=env, capture_output=True, text=True
                )
                if proc.returncode:
                    raise RuntimeError(f"{page.name}: setup failed: {block.setup}\n{proc.stderr}")
            for example in block.examples:
                results.append((example, _run(example.command, folder, env)))
    return results


def update_page(page: Path) -> bool:
    """Rewrite the expected outputs of ``page`` from a real run; True when anything changed."""
    text = page.read_text(encoding="utf-8")
    actual = iter(run_page(page))
    pieces, last = [], 0
    for block in blocks(text):
        pieces.append(text[last : block.start])
        body = []
        for k, _ in enumerate(block.examples):
            example, output = next(actual)
            if k:
                body.append("")
            body.append("$ " + example.command)
            body.extend(output)
        pieces.append("\n".join(body) + "\n")
        last = block.end
    pieces.append(text[last:])
    new = "".join(pieces)
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str]) -> int:
    if argv[1:] != ["--update"]:
        print(__doc__)
        return 2
    for page in PAGES:
        if update_page(page):
            print(f"updated {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
