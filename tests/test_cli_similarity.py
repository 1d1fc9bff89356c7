"""The similar, rank, recommend and evaluate commands as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli import cli


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the English notes (``--lang en`` through its environment variable); Chinese, the default,
    is checked in test_cli_lang.py."""
    monkeypatch.setenv("PRACTICE_GRAPH_LANG", "en")


def run(runner, *args, data=None):
    prefix = ["--data", str(data)] if data else []
    return runner.invoke(cli, [*prefix, *args])


def test_similar_json(runner):
    result = run(runner, "similar", "潜江", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"city", "peer", "rank", "score", "p_value", "shared"} <= set(rows[0])
    assert (rows[0]["city"], rows[0]["peer"], rows[0]["rank"]) == ("潜江市", "随州市", 1)
    assert "党员干部下沉社区" in rows[0]["shared"]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert "not who learned from whom" in result.stderr


def test_similar_table_for_people(runner):
    result = run(runner, "similar", "商洛", "--top", "1")
    assert result.exit_code == 0, result.output
    assert "天门市" in result.stdout and "干部政治素质考察" in result.stdout
    assert "initiative:" not in result.stdout  # ids are for scripts


@pytest.mark.parametrize("metric", ["jaccard", "cosine", "adamic-adar", "resource-allocation", "simrank", "text"])
def test_similar_every_metric(runner, metric):
    result = run(runner, "similar", "city:qianjiang", "--metric", metric, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["similar", "潜江", "--metric", "euclid"], "Invalid value for '--metric'"),
        (["similar", "潜江", "--top", "0"], "Invalid value for '--top'"),
        (["recommend", "潜江", "--peers", "0"], "Invalid value for '--peers'"),
        (["evaluate", "-k", "0"], "Invalid value for '-k'"),
        (["evaluate", "--seed", "-5"], "Error: seed must be 0 or more, not -5"),
        (["evaluate", "--bootstrap", "100000000"], "Error: bootstrap must be at most 100,000, not 100,000,000"),
        (["rank", "--metric", "nope"], "Invalid value for '--metric'"),
    ],
)
def test_usage_errors(runner, args, message):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_unknown_city(runner):
    result = run(runner, "similar", "潜江县城")
    assert result.exit_code == 2, result.output
    assert "Error: no city named '潜江县城'; did you mean 潜江市?" in result.stderr


def test_simrank_refused_is_one_line(runner, mini_dir, monkeypatch):
    from graph import scoring

    monkeypatch.setattr(scoring, "SIMRANK_MAX_NODES", 3)
    result = run(runner, "similar", "甲山", "--metric", "simrank", data=mini_dir)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: simrank refused: 8 nodes (4 cities + 4 initiatives) exceed the limit of 3")
    assert "Traceback" not in result.output


def test_rank_json(runner):
    result = run(runner, "rank", "--top", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    by_city = {r["city"]: r for r in rows}
    assert by_city["潜江市"]["peer"] == "随州市"
    assert by_city["商洛市"]["peer"] == "天门市"
    assert all({"city", "peer", "rank", "score", "p_value", "shared"} <= set(r) for r in rows)


def test_rank_pairs_csv(runner, mini_dir):
    result = run(runner, "rank", "--pairs", "--format", "csv", data=mini_dir)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    assert {"city_a", "city_b", "shared", "jaccard", "idf-cosine", "p_value", "same_province", "distance_km"} <= set(
        rows[0]
    )


def test_recommend(runner):
    result = run(runner, "recommend", "潜江", "--top", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 2 and rows[0]["learn_from"]
    assert "not who learned from whom" in result.stderr


@pytest.mark.parametrize("command", ["similar", "recommend"])
def test_help_states_what_a_snapshot_shows(runner, command):
    result = run(runner, command, "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "one self-reported snapshot" in text and "not who learned from whom" in text
    assert "Examples:" in text


def test_evaluate(runner):
    result = run(runner, "evaluate", "--metric", "idf-cosine", "--metric", "jaccard", "--bootstrap", "100", "--format",
                 "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["method"] for r in rows] == ["popularity", "idf-cosine", "jaccard"]
    assert "popularity on MRR" in result.stderr


def test_evaluate_nothing_to_hold_out(runner, mini_dir):
    result = run(runner, "evaluate", data=mini_dir)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: nothing to evaluate: no city-initiative link whose initiative has two other cities\n"
    )


def test_include_methods_compares_on_ways_of_working(runner):
    plain = run(runner, "similar", "南阳", "--format", "json")
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout) == []
    wide = run(runner, "--include-methods", "similar", "南阳", "--format", "json")
    assert wide.exit_code == 0, wide.output
    rows = json.loads(wide.stdout)
    assert rows[0]["peer"] == "神农架林区"
    assert rows[0]["shared_id"] == ["initiative:pilot-then-scale"]


def test_every_ranking_carries_its_stability(runner):
    result = run(runner, "similar", "潜江", "--format", "json", "--top", "3")
    rows = json.loads(result.stdout)
    first = rows[0]
    assert first["stability"] in ("stable", "fragile") and 0 <= first["support"] <= 1
    assert first["critical_link_id"][1].startswith("initiative:")
    assert first["critical_quote"] and first["critical_then"]
    assert all(r["critical_link"] is None for r in rows[1:])
    table = run(runner, "similar", "潜江", "--top", "2")
    assert "fragile" in table.stdout or "stable" in table.stdout
    assert "→" in table.stdout  # the critical link on the nearest peer's row
    ranking = list(csv.DictReader(io.StringIO(run(runner, "rank", "--top", "1", "--format", "csv").stdout)))
    assert {"support", "stability", "critical_link", "critical_quote", "critical_then"} <= set(ranking[0])
    assert {r["stability"] for r in ranking} <= {"stable", "fragile"}
    pairs = list(csv.DictReader(io.StringIO(run(runner, "rank", "--pairs", "--format", "csv").stdout)))
    top = pairs[0]
    assert (top["city_a"], top["city_b"], top["stability"], top["support_ab"]) == ("商洛市", "天门市", "stable", "1")
    recs = json.loads(run(runner, "recommend", "潜江", "--top", "3", "--format", "json").stdout)
    assert all(r["stability"] in ("stable", "fragile") and 0 <= r["support"] <= 1 for r in recs)


def test_text_metric_has_no_stability_columns(runner):
    rows = json.loads(run(runner, "similar", "潜江", "--metric", "text", "--format", "json", "--top", "1").stdout)
    assert "support" not in rows[0]
