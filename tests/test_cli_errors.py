"""Errors a user can cause, ours and the parser's, are said in Chinese by default and in English with --lang en
(or PRACTICE_GRAPH_LANG=en): one line, the same exit code in both languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cli as cli_module
from cli import cli

#: (arguments after --data, exit code, the Chinese last line, the English last line)
MISTAKES = [
    (["similar", "戊土"], 2, "错误：没有名为“戊土”的城市", "Error: no city named '戊土'"),
    (
        ["shared", "甲山", "甲山县"],
        2,
        "错误：没有名为“甲山县”的城市；是否要找：甲山市？",
        "Error: no city named '甲山县'; did you mean 甲山市?",
    ),
    (["shared", "甲山"], 2, "错误：请至少给出两个城市", "Error: name at least two cities"),
    (["shared", "甲山", "Jia"], 2, "错误：同一城市给了两次：甲山市", "Error: the same city given twice: 甲山市"),
    (
        ["similar", "下沉社区"],
        2,
        "错误：“下沉社区”是党员干部下沉社区（initiative:cadres-to-communities），属于举措，不是城市",
        "Error: '下沉社区' is 党员干部下沉社区 (initiative:cadres-to-communities), an initiative, not a city",
    ),
    (["show", "nowhere"], 2, "错误：没有名为“nowhere”的实体", "Error: no entity named 'nowhere'"),
    (
        ["view", "--city", "甲山", "--theme", "干部工作"],
        2,
        "错误：--city 与 --theme 不能同时使用：请选择一种视图",
        "Error: --city and --theme cannot be combined: choose one view",
    ),
    (["view", "--depth", "2"], 2, "错误：--depth 需与 --city 一起使用", "Error: --depth goes with --city"),
    (["view", "--city", ""], 2, "错误：城市视图需要一个名称", "Error: the city view needs a name"),
    (
        ["evaluate", "--seed", "-5"],
        2,
        "错误：seed 须为 0 或更大，而不是 -5",
        "Error: seed must be 0 or more, not -5",
    ),
    # the parser's own
    (
        ["similar", "甲山", "--out", "x"],
        2,
        "错误：没有选项 '--out'。",
        "Error: No such option '--out'.",
    ),
    (
        ["similar", "甲山", "--metric", "euclid"],
        2,
        "错误：'--metric' 的值无效：'euclid' 不是可选值之一（'idf-cosine', 'jaccard', 'cosine', 'adamic-adar', "
        "'resource-allocation', 'simrank', 'text'）。",
        "Error: Invalid value for '--metric': 'euclid' is not one of 'idf-cosine', 'jaccard', 'cosine', "
        "'adamic-adar', 'resource-allocation', 'simrank', 'text'.",
    ),
    (
        ["stats", "--top", "0"],
        2,
        "错误：'--top' 的值无效：0 不在范围 x>=1 内。",
        "Error: Invalid value for '--top': 0 is not in the range x>=1.",
    ),
    (
        ["stats", "--top", "many"],
        2,
        "错误：'--top' 的值无效：'many' 不是有效的整数。",
        "Error: Invalid value for '--top': 'many' is not a valid integer range.",
    ),
    (
        ["view", "--compare", "甲山"],
        2,
        "错误：选项 '--compare' 需要 2 个值。",
        "Error: Option '--compare' requires 2 arguments.",
    ),
    (["similar"], 2, "错误：缺少参数 'CITY'。", "Error: Missing argument 'CITY'."),
    (["similar", "甲山", "乙水"], 2, "错误：多出了参数（乙水）", "Error: Got unexpected extra argument (乙水)"),
    (["simlar", "甲山"], 2, "错误：没有命令 'simlar'。是否要用 'similar'？", "Error: No such command 'simlar'."),
    (
        ["ingest", "missing.txt"],
        2,
        "错误：'FILES...' 的值无效：路径 'missing.txt' 不存在。",
        "Error: Invalid value for 'FILES...': Path 'missing.txt' does not exist.",
    ),
]


def invoke(runner, mini_dir, args, env=None):
    return runner.invoke(cli, ["--data", str(mini_dir), *args], env=env, prog_name="practice-graph")


@pytest.mark.parametrize("args, code, chinese, english", MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_a_mistake_is_said_in_chinese_by_default_and_in_english_on_request(
    runner, mini_dir, args, code, chinese, english
):
    zh = invoke(runner, mini_dir, args)
    assert zh.exit_code == code, zh.output
    assert zh.stdout == ""
    assert zh.stderr.splitlines()[-1].startswith(chinese), zh.stderr
    en = invoke(runner, mini_dir, ["--lang", "en", *args])
    assert en.exit_code == code, en.output
    assert en.stderr.splitlines()[-1].startswith(english), en.stderr
    by_env = invoke(runner, mini_dir, args, env={"PRACTICE_GRAPH_LANG": "en"})
    assert by_env.stderr == en.stderr


def test_the_parser_names_its_usage_and_help_in_chinese(runner, mini_dir):
    result = invoke(runner, mini_dir, ["similar", "甲山", "--out", "x"])
    assert result.stderr.splitlines()[:2] == [
        "用法：practice-graph similar [OPTIONS] CITY",
        "运行 'practice-graph similar --help' 查看帮助。",
    ]
    english = invoke(runner, mini_dir, ["similar", "甲山", "--out", "x", "--lang", "en"])
    assert english.stderr.splitlines()[0] == "Usage: practice-graph similar [OPTIONS] CITY"
    assert "Try 'practice-graph similar --help' for help." in english.stderr


def test_a_close_option_is_suggested_in_chinese(runner, mini_dir):
    result = invoke(runner, mini_dir, ["view", "--depht", "2"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "错误：没有选项 '--depht'。是否要用 '--depth'？"


def test_a_command_s_own_lang_after_its_name_says_its_errors_in_english(runner, mini_dir):
    result = invoke(runner, mini_dir, ["similar", "戊土", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr == "Error: no city named '戊土'\n"


def test_a_missing_choice_lists_the_choices_on_one_line(runner, mini_dir):
    result = invoke(runner, mini_dir, ["export"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("错误：缺少参数 'FORMAT'。可选：graphml, gexf, json, csv")


def test_a_file_error_is_said_in_chinese_with_its_path(runner, mini_dir, tmp_path):
    target = tmp_path / "no" / "view.html"
    result = invoke(runner, mini_dir, ["view", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"错误：无法写入 {target}：文件夹 {target.parent} 不存在\n"


def test_a_data_problem_keeps_its_file_and_line_in_both_languages(runner, tmp_path):
    result = runner.invoke(cli, ["--data", str(tmp_path / "nope"), "stats"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "错误：nope 中有 1 处问题"
    assert lines[0].startswith(f"{tmp_path / 'nope'}:0: ")
    english = runner.invoke(cli, ["--data", str(tmp_path / "nope"), "--lang", "en", "stats"])
    assert english.stderr.splitlines()[-1] == "Error: 1 problem in nope"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_system_reason_is_said_in_chinese(runner, mini_dir):
    result = invoke(runner, mini_dir, ["view", "-o", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr == "错误：无法写入 /dev/full：设备上没有空间\n"
    english = invoke(runner, mini_dir, ["--lang", "en", "view", "-o", "/dev/full"])
    assert english.stderr == "Error: cannot write /dev/full: No space left on device\n"


@pytest.mark.parametrize(
    "args, env, lang",
    [
        ([], None, "zh"),
        (["--lang", "en", "similar", "x"], None, "en"),
        (["similar", "x", "--lang=en"], None, "en"),
        (["--lang", "en", "similar", "--lang", "zh"], None, "zh"),
        ([], {"PRACTICE_GRAPH_LANG": "en"}, "en"),
        (["--lang", "zh"], {"PRACTICE_GRAPH_LANG": "en"}, "zh"),
        (["--lang", "fr"], None, "zh"),
        (["show", "--", "--lang", "en"], None, "zh"),
    ],
)
def test_the_language_is_known_before_parsing(monkeypatch, args, env, lang):
    monkeypatch.delenv("PRACTICE_GRAPH_LANG", raising=False)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    assert cli_module.asked_lang(args) == lang


def test_validate_lists_each_problem_at_its_file_and_line_in_the_language_asked(runner, mini_copy):
    bad = Path(__file__).parent / "fixtures" / "bad" / "several.relations.csv"
    (mini_copy / "relations.csv").write_bytes(bad.read_bytes())
    rel = mini_copy / "relations.csv"
    zh = runner.invoke(cli, ["--data", str(mini_copy), "validate"])
    assert zh.exit_code == 1 and zh.stdout == ""
    assert zh.stderr.splitlines() == [
        f"{rel}:26: 未知的关系“likes”（可选：located_in, attended, covers, reports, part_of, instance_of, belongs_to）",
        f"{rel}:27: target 中的“province:shaanxi”不存在",
        f"{rel}:28: reports 需要原文依据（来源文献中的引文）",
        f"{rel}:28: practice:ding-assess 由 city:jia 报告，又由 city:ding 报告（第 19 行）：一项做法只属于一个城市",
        "错误：relations.csv 中有 4 处问题",
    ]
    en = runner.invoke(cli, ["--data", str(mini_copy), "validate", "--lang", "en"])
    assert en.exit_code == 1
    assert en.stderr.splitlines()[1] == f"{rel}:27: unknown target 'province:shaanxi'"
    assert en.stderr.splitlines()[-1] == "Error: 4 problems in relations.csv"


@pytest.mark.parametrize(
    ("lang", "line"), [("zh", "已中断；没有留下写了一半的文件"), ("en", "interrupted; no file was left half-written")]
)
def test_ctrl_c_while_writing_says_one_line_exits_130_and_leaves_no_file(tmp_path, lang, line):
    """A real SIGINT, sent by the process to itself as it flushes the page it is writing."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import os, signal, sys
        # a shell starts a background job with SIGINT ignored, and Python then leaves it so: take it back
        signal.signal(signal.SIGINT, signal.default_int_handler)
        flush = os.fsync
        def interrupted(fd):
            os.kill(os.getpid(), signal.SIGINT)
            flush(fd)
        os.fsync = interrupted
        import cli
        cli.cli(["--lang", {lang!r}, "view", "--city", "潜江", "-o", {str(tmp_path / "city.html")!r}],
                prog_name="practice-graph")
        """
    )
    root = Path(cli_module.__file__).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRACTICE_GRAPH")}
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, encoding="utf-8"
    )
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.splitlines()[-1] == line
    assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
