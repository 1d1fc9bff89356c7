"""timeline, diffusion and the history exports as a user runs them; the bundled data alone behaves as before."""

from __future__ import annotations

import csv
import json

import pytest

from cli import cli
from tests.conftest import FIXTURES, REAL

HISTORY = FIXTURES / "history"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the English notes (``--lang en`` through its environment variable); Chinese, the default,
    is checked in test_cli_lang.py."""
    monkeypatch.setenv("PRACTICE_GRAPH_LANG", "en")


def run(runner, *args, data=HISTORY, **kw):
    return runner.invoke(cli, ["--data", str(data), *args], **kw)


def test_timeline_answers_who_reported_it_first(runner):
    result = run(runner, "timeline", "红色物业", "--format", "json", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["order"], r["city"], r["date"]) for r in rows] == [
        (1, "甲山市", "2019-05-10"),
        (2, "乙水市", "2020-07-01"),
        (3, "丙川市", "2021-03-15"),
        (4, "丁原市", "2023-09-20"),
    ]
    assert rows[0]["quote"] == "甲山市坚持党建引领，推行红色物业"
    assert "Observation window: first dated source 2019-05-10, last 2023-09-20" in result.stderr
    assert "not adoption dates" in result.stderr


def test_timeline_table_shows_the_window_in_its_title(runner):
    result = run(runner, "timeline", "--city", "甲山", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "window 2019-05-10 – 2023-09-20" in result.stdout
    assert "红色物业" in result.stdout


def test_timeline_bad_usage(runner):
    assert run(runner, "timeline", "红色物业", "--city", "甲山").exit_code == 2
    unknown = run(runner, "timeline", "没有这个")
    assert unknown.exit_code == 2 and "no initiative named" in unknown.stderr


def test_diffusion_prints_ties_with_their_cascades(runner):
    result = run(runner, "diffusion", "--edges", "1", "--format", "csv", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["origin"], r["destination"]) for r in rows] == [("甲山市", "乙水市")]
    assert "红色物业 (2019-05-10 → 2020-07-01)" in rows[0]["cascades"]
    assert "not proof" in result.stderr


def test_diffusion_on_the_bundled_article_says_why_there_is_nothing(runner):
    result = run(runner, "diffusion", data=REAL, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "No tie can be inferred" in result.stderr


@pytest.mark.parametrize("fmt", ["cascades", "adoptions", "dyad-years"])
def test_history_exports_are_read_by_pandas(runner, tmp_path, fmt):
    target = tmp_path / f"{fmt}.csv"
    result = run(runner, "export", fmt, "-o", str(target), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{target}\n"
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        with open(target, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        columns = list(rows[0])
    else:
        frame = pd.read_csv(target, encoding="utf-8-sig")
        rows, columns = frame.to_dict("records"), list(frame.columns)
    expected = {
        "cascades": ["node_name", "event_time", "cascade_id"],
        "adoptions": ["unit", "unit_name", "policy", "policy_name", "date", "year"],
        "dyad-years": ["initiative", "year", "i", "j", "reported"],
    }[fmt]
    assert columns[: len(expected)] == expected
    assert rows


def test_dyad_years_too_large_for_the_disk_is_one_line(runner, tmp_path, monkeypatch):
    import shutil

    from graph import export

    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(export.shutil, "disk_usage", lambda p: usage._replace(free=100))
    target = tmp_path / "dy.csv"
    for lang, start in (
        ("en", "Error: dyad-years refused: the table would have "),
        ("zh", "错误：拒绝导出 dyad-years"),
    ):
        monkeypatch.setenv("PRACTICE_GRAPH_LANG", lang)
        result = run(runner, "export", "dyad-years", "-o", str(target))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(start) and result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.output and not target.exists()


def test_cascades_in_days(runner, tmp_path):
    target = tmp_path / "c.csv"
    run(runner, "export", "cascades", "--time-unit", "days", "-o", str(target), catch_exceptions=False)
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["event_time"] for r in rows if r["node_name"] == "city:jia"} >= {"18026"}


def test_similar_and_recommend_say_who_reported_first(runner):
    similar = json.loads(run(runner, "similar", "丙川", "--format", "json", catch_exceptions=False).stdout)
    assert (similar[0]["peer"], similar[0]["city_first"], similar[0]["peer_first"]) == ("甲山市", 0, 2)
    result = run(runner, "recommend", "丙川", "--format", "json", catch_exceptions=False)
    first = json.loads(result.stdout)[0]
    assert (first["initiative"], first["first_reporter"], first["first_date"]) == ("志愿服务", "甲山市", "2019-05-10")
    assert "Observation window" in result.stderr and "One self-reported snapshot" not in result.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", [["similar", "潜江"], ["recommend", "潜江"], ["rank", "--top", "1"]])
def test_the_bundled_article_alone_answers_exactly_as_without_history(runner, monkeypatch, command, fmt):
    import graph.diffusion

    with_history = run(runner, *command, "--format", fmt, data=REAL, catch_exceptions=False)
    monkeypatch.setattr(graph.diffusion, "annotate_peers", lambda model, table: table)
    monkeypatch.setattr(graph.diffusion, "annotate_recommendations", lambda model, table: table)
    without = run(runner, *command, "--format", fmt, data=REAL, catch_exceptions=False)
    assert with_history.exit_code == without.exit_code == 0
    assert (with_history.stdout, with_history.stderr) == (without.stdout, without.stderr)
    assert "One self-reported snapshot" in with_history.stderr


def test_timeline_html_is_written_and_named_on_stderr(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "timeline", "红色物业", "--html", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == "timeline-红色物业.html\n"
    assert "甲山市" in (tmp_path / "timeline-红色物业.html").read_text(encoding="utf-8")
    target = tmp_path / "all.html"
    result = run(runner, "timeline", "-o", str(target), "--ties", catch_exceptions=False)
    assert result.exit_code == 0 and target.is_file()
    assert run(runner, "timeline", "--ties").exit_code == 2


def test_a_dataset_built_from_dated_articles_answers_who_reported_it_first(runner, real_copy, tmp_path):
    """Three dated test articles go through ingest into the bundled data; with the 2020 article, 红色物业 is then
    reported in 2019, 2020, 2021 and 2023, and the timeline, the view and the exports say who came first."""
    articles = sorted((FIXTURES / "articles" / "dated").glob("*.txt"))
    review = tmp_path / "review"
    result = run(runner, "ingest", *map(str, articles), "--out", str(review), data=real_copy, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # the reviewer's step: each new source gets its publication date (the file name's), where ingest left none
    path = review / "entities.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        columns, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["type"] == "source" and not row["date"]:
            row["date"] = row["id"].split(":", 1)[1][:10]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    applied = run(runner, "ingest", "--apply", str(review), data=real_copy, catch_exceptions=False)
    assert applied.exit_code == 0, applied.output

    result = run(runner, "timeline", "红色物业", "--format", "json", data=real_copy, catch_exceptions=False)
    rows = json.loads(result.stdout)
    assert [(r["order"], r["city"], r["date"]) for r in rows] == [
        (1, "十堰市", "2019-05-10"),
        (2, "仙桃市", "2020-10-22"),
        (3, "荆门市", "2021-03-15"),
        (4, "安康市", "2023-09-20"),
        (4, "汉中市", "2023-09-20"),
    ]
    assert rows[0]["quote"] == "红色物业进小区" and rows[0]["last_date"] == "2021-03-15"
    assert "Observation window: first dated source 2019-05-10, last 2023-09-20" in result.stderr

    view = tmp_path / "t.html"
    assert run(runner, "timeline", "红色物业", "-o", str(view), data=real_copy).exit_code == 0
    assert "十堰市" in view.read_text(encoding="utf-8")
    export = tmp_path / "adoptions.csv"
    assert run(runner, "export", "adoptions", "-o", str(export), data=real_copy).exit_code == 0
    with open(export, encoding="utf-8-sig", newline="") as fh:
        first = [r for r in csv.DictReader(fh) if r["policy"] == "initiative:red-property-management"][0]
    assert (first["unit_name"], first["date"], first["order"]) == ("十堰市", "2019-05-10", "1")
    recommend = json.loads(run(runner, "recommend", "荆门", "--format", "json", data=real_copy).stdout)
    assert all("first_reporter" in r for r in recommend)
