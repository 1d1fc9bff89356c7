"""The README stays true: its two commands at the top, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

from cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index(first_block.group(0)) < README.index("\n## ")
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("practice-graph report -o practice-graph-report.html")
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci
    assert "python -m pytest" in ci and "REQUIRE_BROWSER=1" in ci


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"practice-graph {name}" in README, name


def test_every_readme_image_exists():
    root = Path(__file__).resolve().parent.parent
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (root / path).is_file(), path
