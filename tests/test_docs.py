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


@pytest.mark.slow
def test_the_duckdb_worked_example_runs_and_says_what_it_finds(tmp_path, monkeypatch, capsys):
    """docs/exports.md's many-years example, run as written: its shell loop, then its Python with DuckDB."""
    import shutil
    import subprocess

    import duckdb  # a test dependency

    from tests.docexamples import environment

    page = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    section = page[page.index("### Many years of data") :]
    loop = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    queries = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    years = re.search(r"for year in ([\d ]+);", loop).group(1).split()
    for year in years:
        shutil.copytree(ROOT / "data", tmp_path / f"data-{year}", ignore=shutil.ignore_patterns(".backup", ".lock"))
    env = environment(tmp_path)
    proc = subprocess.run(["bash", "-e", "-c", loop], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(queries, "docs/exports.md", "exec"), namespace)
    shown = capsys.readouterr().out
    con = namespace["con"]
    assert isinstance(con, duckdb.DuckDBPyConnection)

    # the folder names became a column, one value per year
    assert sorted(y for (y,) in con.sql("SELECT DISTINCT year FROM dyads").fetchall()) == [int(y) for y in years]
    # the pairs the prose names for `p_value < 0.05` are the ones the query gives, most alike first
    last = years[-1]
    pairs = con.sql(
        f'SELECT city_a, city_b FROM dyads WHERE year = {last} AND p_value < 0.05 ORDER BY "idf-cosine" DESC'
    ).fetchall()
    named = re.search(r"the second query \(`p_value < 0\.05`\) gives (.+?)\. ", " ".join(section.split())).group(1)
    assert ["-".join(p) for p in pairs] == re.split(r", | and ", named)
    assert all(a in shown and b in shown for a, b in pairs)
    # the last query shows what 潜江 and 随州 share, with each city's own quote
    assert "党员干部下沉社区" in shown and "机关在职党员干部到居住地社区报到" in shown
