"""The terminal speaks Chinese by default and English with --lang en (or PRACTICE_GRAPH_LANG=en), for every
command family; csv and json are the same in both; at 80 columns no line is wider and no word is broken."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from cli import cli
from graph.lang import HEADERS, ZH
from graph.similarity import METRICS
from tests.conftest import FIXTURES

HISTORY = FIXTURES / "history"

#: (command, data folder or None for the bundled data, a Chinese phrase of its table view, the English one)
FAMILIES = [
    (["validate"], None, "数据集内容", "what the dataset holds"),
    (["stats", "--top", "3"], None, "共有最多的举措", "most-shared initiatives"),
    (["show", "潜江"], None, "关系与原文依据", "relations"),
    (["shared", "潜江", "随州"], None, "潜江市、随州市的共有举措", "initiatives shared by 潜江市、随州市"),
    (["similar", "潜江", "--top", "3"], None, "与潜江市最相似的城市", "cities most like 潜江市"),
    (["rank", "--top", "1"], None, "各城市最相似的 1 个城市", "every city's 1 nearest peers"),
    (["rank", "--pairs"], None, "全部城市对", "every pair of cities"),
    (["recommend", "潜江", "--top", "3"], None, "潜江市可借鉴的举措", "what 潜江市 could learn"),
    (["evaluate", "--bootstrap", "20"], None, "留一法检验", "leave-one-out evaluation"),
    (["timeline", "红色物业"], HISTORY, "红色物业：各城市报道时间", "who reported 红色物业 when"),
    (["diffusion"], HISTORY, "推断的扩散联系", "inferred diffusion ties"),
]


def run(runner, args, data=None, env=None):
    prefix = ["--data", str(data)] if data else []
    result = runner.invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("args, data, chinese, english", FAMILIES, ids=[" ".join(f[0][:2]) for f in FAMILIES])
def test_chinese_by_default_english_with_lang_en(runner, monkeypatch, args, data, chinese, english):
    monkeypatch.setenv("COLUMNS", "200")
    zh = run(runner, args, data)
    assert chinese in zh.stdout + zh.stderr and english not in zh.stdout
    en = run(runner, [*args, "--lang", "en"], data)
    assert english in en.stdout + en.stderr and chinese not in en.stdout + en.stderr
    # before the command's name, and through the environment, the same
    assert run(runner, ["--lang", "en", *args], data).stdout == en.stdout
    assert run(runner, args, data, env={"PRACTICE_GRAPH_LANG": "en"}).stdout == en.stdout
    assert run(runner, ["--lang", "en", *args, "--lang", "zh"], data).stdout == zh.stdout


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("args, data, chinese, english", FAMILIES, ids=[" ".join(f[0][:2]) for f in FAMILIES])
def test_csv_and_json_do_not_change_with_the_language(runner, args, data, chinese, english, fmt):
    zh = run(runner, [*args, "--format", fmt], data)
    en = run(runner, [*args, "--format", fmt, "--lang", "en"], data)
    assert zh.stdout == en.stdout
    assert chinese not in zh.stdout


def test_ingest_speaks_chinese_by_default(runner, mini_copy, tmp_path):
    article = FIXTURES / "articles"
    path = next(p for p in sorted(article.iterdir()) if p.suffix == ".txt")
    out = tmp_path / "review"
    zh = run(runner, ["ingest", str(path), "--out", str(out)], mini_copy)
    assert "候选数据已写入" in zh.stderr and "候选数据" in zh.stdout
    en = run(runner, ["ingest", str(path), "--out", str(tmp_path / "again"), "--lang", "en"], mini_copy)
    assert "candidates written to" in en.stderr and "候选数据" not in en.stdout


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{3,}", text))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args, data, chinese, english", FAMILIES, ids=[" ".join(f[0][:2]) for f in FAMILIES])
def test_80_columns_no_line_wider_and_no_word_broken(runner, monkeypatch, args, data, chinese, english, lang):
    monkeypatch.setenv("COLUMNS", "80")
    result = run(runner, [*args, "--lang", lang], data)
    for line in (result.stdout + result.stderr).splitlines():
        assert cell_len(line) <= 80, line
    known = _words(run(runner, [*args, "--format", "json"], data).stdout)
    words = "NetInf exponential popularity csv json True False"
    known |= _words(" ".join([*ZH, *ZH.values(), *HEADERS, *METRICS, words]))
    broken = _words(result.stdout + result.stderr) - known
    assert not broken, broken


def test_a_number_in_a_quote_is_never_cut(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("zh", "en"):
        assert "16816" in run(runner, ["shared", "潜江", "随州", "--lang", lang]).stdout


def test_show_reads_each_relation_from_the_entity_shown(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    zh = run(runner, ["show", "党员干部下沉社区"]).stdout
    assert "实例做法" in zh and "属于主题" in zh and "->" not in zh and "<-" not in zh
    en = run(runner, ["show", "党员干部下沉社区", "--lang", "en"]).stdout
    assert "has the" in en and "belongs" in en
    import json

    payload = json.loads(run(runner, ["show", "党员干部下沉社区", "--format", "json"]).stdout)
    assert {r["relation"] for r in payload["relations"]} == {"instance_of", "belongs_to"}
    assert all("link" not in r for r in payload["relations"])


def test_the_dyad_table_at_80_columns_keeps_its_measure_and_significance(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    header = next(line for line in run(runner, ["rank", "--pairs"]).stdout.splitlines() if line.startswith("┃"))
    assert "idf-cosine" in header and "显著性 p 值" in header and "稳定性" in header
    english = run(runner, ["rank", "--pairs", "--metric", "jaccard", "--lang", "en"]).stdout.splitlines()
    header = next(line for line in english if line.startswith("┃"))
    assert "jaccard" in header and "p_value" in header


@pytest.mark.parametrize(
    "options, html_lang, word",
    [
        ([], "zh-CN", "推断的扩散关系"),
        (["--lang", "en"], "en", "inferred diffusion ties"),
        (["--lang", "zh"], "zh-CN", "推断"),
    ],
)
def test_the_timeline_page_follows_lang(runner, tmp_path, monkeypatch, options, html_lang, word):
    monkeypatch.delenv("PRACTICE_GRAPH_LANG", raising=False)
    target = tmp_path / "t.html"
    result = runner.invoke(cli, ["--data", str(HISTORY), "timeline", "-o", str(target), "--ties", *options])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert f'<html lang="{html_lang}">' in html and word in html
    before = runner.invoke(
        cli, ["--data", str(HISTORY), *options, "timeline", "-o", str(tmp_path / "b.html"), "--ties"]
    )
    assert before.exit_code == 0 and (tmp_path / "b.html").read_text(encoding="utf-8") == html
