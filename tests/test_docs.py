"""The docs stay true: the README's two commands at the top, every command documented, every example's output."""

from __future__ import annotations

import re

import pytest

from cli import cli
from tests.docexamples import PAGES, ROOT, run_page

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_PAGE = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def test_readme_opens_with_exactly_two_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index(first_block.group(0)) < README.index("\n## ")
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("practice-graph report -o practice-graph-report.html")
    assert commands[1].endswith("python -m pytest")


def test_readme_is_short():
    assert len(README.splitlines()) <= 200


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test]'" in ci
    assert "python -m pytest" in ci and "REQUIRE_BROWSER=1" in ci


def test_every_command_is_documented():
    for name in cli.commands:
        assert f"practice-graph {name}" in COMMANDS_PAGE, f"document `practice-graph {name}` in docs/commands.md"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_image_and_link_exists(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in PAGES if "```console" in p.read_text(encoding="utf-8")], ids=lambda p: p.name
)
def test_examples_show_what_the_commands_print(page):
    for example, output in run_page(page):
        assert output == example.expected, (
            f"{page.name}: `$ {example.command}` prints something else now; "
            "run `python tests/docexamples.py --update` and read the diff"
        )
