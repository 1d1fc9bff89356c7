"""view --matrix and view --compare as a user runs them: the file written, and how bad requests end."""

from __future__ import annotations

import pytest

from cli import cli


def run(runner, *args, data=None, **kw):
    prefix = ["--data", str(data)] if data is not None else []
    return runner.invoke(cli, [*prefix, *args], **kw)


def test_matrix_writes_matrix_html_in_the_current_folder(runner, mini_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", "--matrix", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == "matrix.html\n"
    html = (tmp_path / "matrix.html").read_text(encoding="utf-8")
    assert "<title>城市 × 举措矩阵</title>" in html and 'id="mx-data"' in html


def test_compare_writes_the_pair_page_in_english(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", "--compare", "潜江", "随州", "--lang", "en", "-o", "pair.html", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == "pair.html\n"
    html = (tmp_path / "pair.html").read_text(encoding="utf-8")
    assert "<title>Comparing 潜江市 and 随州市</title>" in html


def test_compare_without_output_is_named_after_the_pair(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", "--compare", "Qianjiang", "随州市", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == "compare-潜江市-随州市.html\n"
    assert (tmp_path / "compare-潜江市-随州市.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--compare", "潜", "随州"], "Error: no city named '潜'; did you mean 潜江市?"),
        (["--compare", "潜江", "潜江市"], "Error: --compare needs two different cities, not 潜江市 twice"),
        (["--compare", "潜江", "党员干部下沉社区"], "Error: '党员干部下沉社区' is 党员干部下沉社区"),
        (["--matrix", "--city", "潜江"], "Error: --matrix and --city cannot be combined: choose one view"),
        (["--compare", "潜江", "随州", "--similarity"], "Error: --compare and --similarity cannot be combined"),
        (["--matrix", "--layout", "map"], "Error: --matrix and --layout cannot be combined: choose one view"),
        (["--matrix", "--metric", "nope"], "Error: Invalid value for '--metric'"),
        (["--compare", "潜江"], "Error: Option '--compare' requires 2 arguments."),
    ],
)
@pytest.mark.usefixtures("english")
def test_bad_requests_end_with_one_line_and_exit_2(runner, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", *args)
    assert result.exit_code == 2, result.output
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(message)
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("english")
def test_a_missing_folder_ends_with_exit_1_and_writes_nothing(runner, tmp_path):
    result = run(runner, "view", "--matrix", "-o", str(tmp_path / "no" / "m.html"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot write")


@pytest.mark.usefixtures("english")
def test_an_unknown_city_is_one_line(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "view", "--compare", "潜江", "不存在的城市")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: no city named")


@pytest.mark.parametrize(
    "args, said",
    [
        ([], "矩阵与相似度一样只比较具体举措，不含 4 项工作方式"),
        (["--lang", "en"], "the matrix compares concrete initiatives and leaves out 4 ways of working"),
        (["--include-methods"], None),
    ],
)
def test_the_matrix_says_it_leaves_out_the_ways_of_working_unless_they_are_counted(runner, tmp_path, args, said):
    out = tmp_path / "m.html"
    result = runner.invoke(cli, [*args, "view", "--matrix", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    if said is None:
        assert 'id="mx-methods"' not in html and "工作方式" not in html.split("<script")[0]
    else:
        assert said in html
