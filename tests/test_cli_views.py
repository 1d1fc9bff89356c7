"""The view command as a user runs it: where the file goes, what is printed, and how bad requests end."""

from __future__ import annotations

import click
import pytest

from cli import cli


def run(runner, *args, data=None, **kw):
    prefix = ["--data", str(data)] if data is not None else []
    return runner.invoke(cli, [*prefix, *args], **kw)


def test_view_without_output_writes_a_derived_name_in_the_current_folder(runner, mini_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", "--city", "甲山", "--depth", "2", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "city-甲山-depth2.html\n"
    html = (tmp_path / "city-甲山-depth2.html").read_text(encoding="utf-8")
    assert "甲山市 · 共同举措、相似城市与可借鉴之处（深度 2）" in html


@pytest.mark.parametrize(
    ("args", "title"),
    [
        ([], "总览 · "),
        (["--lang", "en"], "Overview · "),
        (
            ["--initiative", "红色物业", "--level", "initiative"],
            "红色物业 · 2 个城市采用（做法已合并）",
        ),
        (
            ["--theme", "干部工作", "--layout", "map"],
            "干部工作 · 1 项共同举措及采用它们的城市",
        ),
        (["--similarity", "--metric", "jaccard"], "相似城市 · jaccard：实线 0 条显著"),
    ],
)
def test_view_with_output(runner, mini_dir, tmp_path, args, title):
    out = tmp_path / "view.html"
    result = run(runner, "view", *args, "-o", str(out), data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{out}\n" and result.stdout == ""
    assert title in out.read_text(encoding="utf-8")


def test_open_launches_the_default_browser_on_the_file(runner, mini_dir, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(click, "launch", lambda url, **kw: opened.append(url) or 0)
    out = tmp_path / "v.html"
    result = run(runner, "view", "-o", str(out), "--open", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert opened == [str(out)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "甲山", "--theme", "干部工作"], "Error: --city and --theme cannot be combined: choose one view"),
        (
            ["--initiative", "红色物业", "--similarity"],
            "Error: --initiative and --similarity cannot be combined: choose one view",
        ),
        (["--depth", "2"], "Error: --depth goes with --city"),
        (["--city", "甲山", "--depth", "0"], "Error: Invalid value for '--depth': 0 is not in the range x>=1."),
        (["--city", "戊"], "Error: no city named '戊'"),
        (["--city", "红色物业"], "Error: '红色物业' is 红色物业 (initiative:red-property), an initiative, not a city"),
        (["--city", ""], "Error: the city view needs a name"),
        (["--layout", "globe"], "Error: Invalid value for '--layout': 'globe' is not one of 'force', 'map'."),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_usage_exits_2_with_one_line(runner, mini_dir, tmp_path, args, message):
    result = run(runner, "view", *args, "-o", str(tmp_path / "v.html"), data=mini_dir)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "v.html").exists()


@pytest.mark.usefixtures("english")
def test_unwritable_target_exits_1(runner, mini_dir, tmp_path):
    target = tmp_path / "missing" / "v.html"
    result = run(runner, "view", "-o", str(target), data=mini_dir)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: cannot write {target}: folder {target.parent} does not exist\n"


@pytest.mark.usefixtures("english")
def test_map_without_coordinates_exits_1(runner, mini_copy, tmp_path):
    ent = mini_copy / "entities.csv"
    rows = ent.read_text(encoding="utf-8").splitlines()
    ent.write_text(
        "\n".join(",".join(r.split(",")[:7] + ["", ""]) if r.startswith("city:") else r for r in rows) + "\n",
        encoding="utf-8",
    )
    result = run(runner, "view", "--layout", "map", "-o", str(tmp_path / "v.html"), data=mini_copy)
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: no city in this view has coordinates (lat, lon): the map layout needs them\n"


def test_the_global_lang_sets_the_pages_language_too(runner, mini_dir, tmp_path):
    out = tmp_path / "view.html"
    result = run(runner, "--lang", "en", "view", "-o", str(out), data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Overview · " in out.read_text(encoding="utf-8")
    result = run(runner, "--lang", "en", "view", "--lang", "zh", "-o", str(out), data=mini_dir, catch_exceptions=False)
    assert "总览 · " in out.read_text(encoding="utf-8")
