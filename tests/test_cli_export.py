"""export, report and the analysis in stats as a user runs them: files written, paths on stderr, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from cli import cli


def run(runner, *args, data=None, **kw):
    prefix = ["--data", str(data)] if data is not None else []
    return runner.invoke(cli, [*prefix, *args], **kw)


@pytest.mark.parametrize("fmt, name", [("graphml", "g.graphml"), ("gexf", "g.gexf"), ("json", "g.json")])
def test_export_writes_the_file_and_names_it_on_stderr(runner, mini_dir, tmp_path, fmt, name):
    target = tmp_path / name
    result = run(runner, "export", fmt, "-o", str(target), data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"{target}\n"
    reader = {"graphml": nx.read_graphml, "gexf": nx.read_gexf, "json": None}[fmt]
    if reader:
        assert reader(target).nodes["city:jia"]["name"] == "甲山市"
    else:
        assert json.loads(target.read_text(encoding="utf-8"))["multigraph"] is True


def test_export_default_path_in_current_folder(runner, mini_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "export", "graphml", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr == "practice-graph.graphml\n"
    assert (tmp_path / "practice-graph.graphml").is_file()


def test_export_csv_lists_every_file(runner, mini_dir, tmp_path):
    target = tmp_path / "tables"
    result = run(runner, "export", "csv", "-o", str(target), data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[:2] == [f"{target / 'entities.csv'}", f"{target / 'relations.csv'}"]
    assert f"{target / 'dyads.csv'}" in lines
    again = run(runner, "validate", data=target, catch_exceptions=False)
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("where", [".", "", "{here}", "{here}/.."], ids=["dot", "empty", "absolute", "parent"])
@pytest.mark.usefixtures("english")
def test_export_csv_refuses_the_current_folder(runner, mini_dir, tmp_path, monkeypatch, where):
    here = tmp_path / "tables"
    run(runner, "export", "csv", "-o", str(here), data=mini_dir, catch_exceptions=False)  # a previous export
    monkeypatch.chdir(here)
    target = where.format(here=here)
    result = run(runner, "export", "csv", "-o", target, data=mini_dir)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: cannot write the CSV tables to {Path(target)}: it is the current folder or holds it, and the CSV "
        "export replaces its folder whole: name a new folder (-o tables)\n"
    )
    assert here.is_dir() and Path.cwd() == here and (here / "dyads.csv").is_file()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["export", "xml"],
            2,
            "Error: Invalid value for 'FORMAT': 'xml' is not one of 'graphml', 'gexf', 'json', 'csv', 'parquet', "
            "'cascades', 'adoptions', 'dyad-years', 'dyad-years-parquet'.",
        ),
        (
            ["export", "json", "-o", "{tmp}/no/g.json"],
            1,
            "Error: cannot write {tmp}/no/g.json: folder {tmp}/no does not exist",
        ),
        (
            ["export", "csv", "-o", "{tmp}/busy"],
            1,
            "Error: cannot replace {tmp}/busy: it holds files practice-graph did not write (no "
            ".practice-graph-manifest.json); the CSV export replaces its folder whole: name a new or empty folder",
        ),
        (["report", "-o", "{tmp}/no/r.html"], 1, "Error: cannot write {tmp}/no/r.html: folder {tmp}/no does not exist"),
    ],
)
@pytest.mark.usefixtures("english")
def test_export_and_report_errors(runner, mini_dir, tmp_path, args, code, message):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "mine.txt").write_text("keep", encoding="utf-8")
    result = run(runner, *[a.format(tmp=tmp_path) for a in args], data=mini_dir)
    assert result.exit_code == code, result.output
    assert result.stderr.splitlines()[-1] == message.format(tmp=tmp_path)
    assert result.stdout == ""
    assert (tmp_path / "busy" / "mine.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.usefixtures("english")
def test_export_needs_a_format(runner, mini_dir):
    result = run(runner, "export", data=mini_dir)
    assert result.exit_code == 2
    assert "Error: Missing argument 'FORMAT'. Choose from:" in result.stderr


@pytest.mark.usefixtures("english")
def test_export_bad_data_exits_1_and_writes_nothing(runner, mini_copy, tmp_path):
    (mini_copy / "entities.csv").write_text("id,type,name\ncity:x,city,\n", encoding="utf-8")
    target = tmp_path / "g.graphml"
    result = run(runner, "export", "graphml", "-o", str(target), data=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert not target.exists()


def test_stats_json_has_the_analysis(runner, mini_dir):
    result = run(runner, "stats", "--format", "json", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("cities", "centrality", "city_communities", "initiative_communities", "provinces", "province_pairs"):
        assert data[key], key
    assert {r["city_id"] for r in data["cities"]} == {"city:jia", "city:yi", "city:bing", "city:ding"}
    assert all(r["uniqueness"] == 1.0 for r in data["cities"])  # every mini initiative has exactly two cities
    assert sum(r["size"] for r in data["city_communities"]) == 4
    assert data["provinces"][0]["province"] == "湖北省" and data["provinces"][0]["cities"] == 4


def test_report_writes_one_file(runner, mini_dir, tmp_path):
    target = tmp_path / "r.html"
    result = run(runner, "report", "-o", str(target), data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"{target}\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "甲山市" in html
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
