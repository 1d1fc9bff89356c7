"""Help is in Chinese by default and in English with --lang en (before or after the command, or
PRACTICE_GRAPH_LANG=en): every command and option has its Chinese, and the Chinese lines fit the terminal."""

from __future__ import annotations

import click
import pytest
from rich.cells import cell_len

from cli import cli
from graph import help_zh

COMMANDS = sorted(cli.commands)


def _options(command: click.Command) -> list[str]:
    return [p.name for p in command.params if isinstance(p, click.Option)]


def test_every_command_and_option_has_its_chinese():
    assert set(help_zh.COMMANDS) == {"", *cli.commands}
    missing = [
        f"{name or 'practice-graph'} {option}"
        for name, command in [("", cli), *cli.commands.items()]
        for option in _options(command)
        if (name, option) not in help_zh.OPTIONS_BY_COMMAND and option not in help_zh.OPTIONS
    ]
    assert not missing
    assert not set(help_zh.OPTIONS_BY_COMMAND) - {
        (n, o) for n, c in [("", cli), *cli.commands.items()] for o in _options(c)
    }


def test_a_default_written_in_the_english_help_is_written_in_the_chinese():
    for name, command in [("", cli), *cli.commands.items()]:
        for param in command.params:
            if "[default:" in (getattr(param, "help", None) or ""):
                chinese = help_zh.OPTIONS_BY_COMMAND.get((name, param.name)) or help_zh.OPTIONS[param.name]
                assert "[默认：" in chinese, (name, param.name)


def invoke(runner, args, env=None, columns="80"):
    result = runner.invoke(cli, args, env={"COLUMNS": columns, **(env or {})}, prog_name="practice-graph")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese_by_default_and_english_on_request(runner, command):
    args = [command] if command else []
    zh = invoke(runner, [*args, "--help"])
    assert zh.startswith("用法：practice-graph") and "\n选项：\n" in zh and "Options:" not in zh
    assert help_zh.COMMANDS[command][1].split("。")[0][:20] in zh.replace("\n  ", "")
    assert "显示此帮助并退出。" in zh
    en = invoke(runner, ["--lang", "en", *args, "--help"])
    assert en.startswith("Usage: practice-graph") and "Options:" in en and "选项" not in en
    assert invoke(runner, [*args, "--help"], env={"PRACTICE_GRAPH_LANG": "en"}) == en
    if command and "lang" in _options(cli.commands[command]):  # a command's own --lang, after its name
        assert invoke(runner, [*args, "--help", "--lang", "en"]) == en
    if command and "Example" in (cli.commands[command].help or ""):
        assert "示例：" in zh
        example = next(line for line in en.splitlines() if line.strip().startswith("practice-graph "))
        assert example in zh


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_chinese_help_fits_80_columns(runner, command):
    text = invoke(runner, [*([command] if command else []), "--help"])
    # a line of an option's name and choices, or an example, is as click or the English help has it
    wide = [line for line in text.splitlines() if cell_len(line) > 80 and any(ord(ch) > 0x2E80 for ch in line)]
    assert not wide, "\n".join(wide)


def test_the_commands_list_and_the_option_extras_are_in_chinese(runner):
    text = invoke(runner, ["--help"])
    assert "\n命令：\n" in text and "  similar    与一个城市最相似的城市，及相似的理由。" in text
    similar = invoke(runner, ["similar", "--help"])
    assert "[默认：10；x>=1]" in similar and "[default" not in similar
    assert "用法：practice-graph similar [OPTIONS] CITY" in similar


def test_an_error_s_hint_points_to_the_help_in_the_same_language(runner):
    result = runner.invoke(cli, ["similar", "--top", "x"], prog_name="practice-graph")
    assert "运行 'practice-graph similar --help' 查看帮助。" in result.stderr
