"""The table view's two languages: every text meant for people has its Chinese, and machine formats keep ids."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from graph.lang import HEADERS, ZH, Text, header, listing, say, text

GRAPH = Path(__file__).resolve().parent.parent / "graph"


def _templates(function: str = "say") -> list[tuple[str, int, str]]:
    """Every literal first argument of ``function`` in graph/ and cli.py, with its file and line."""
    found = []
    for path in [*sorted(GRAPH.rglob("*.py")), GRAPH.parent / "cli.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append((path.name, node.lineno, first.value))
    return found


def test_every_template_in_graph_has_its_chinese():
    templates = _templates()
    assert len(templates) > 20
    missing = [f"{name}:{line}: {t}" for name, line, t in templates if t not in ZH]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("template, chinese", sorted(ZH.items()))
def test_every_chinese_text_takes_the_values_its_english_takes(template, chinese):
    import string

    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    assert fields(chinese) == fields(template)


def test_text_is_english_as_a_string_and_chinese_on_request():
    t = say("{cities} have no initiative in common.", cities=listing(["潜江市", "随州市"]))
    assert t == "潜江市, 随州市 have no initiative in common."
    assert text(t, "en") == t and type(text(t, "en")) is str
    assert text(t, "zh") == "潜江市、随州市没有共有举措。"
    assert text("plain", "zh") == "plain" and text(3, "zh") == "3"


def test_a_text_survives_pickling_with_its_template():
    t = pickle.loads(pickle.dumps(say("{n} cities", n=3)))
    assert isinstance(t, Text) and text(t, "zh") == "3 个城市"


def test_headers_are_ids_in_english_and_chinese_by_default():
    assert header("evidence", "en") == "evidence"
    assert header("evidence", "zh") == HEADERS["evidence"] == "原文依据"
    assert header("unknown_column", "zh") == "unknown_column"


def test_every_kind_of_unknown_value_has_its_chinese():
    kinds = _templates("unknown")
    assert len(kinds) > 5
    missing = [f"{name}:{line}: {t}" for name, line, t in kinds if t not in ZH]
    assert not missing, "\n".join(missing)


def test_the_view_kinds_named_in_messages_have_their_chinese():
    from graph.views import KINDS

    assert all(kind in ZH for kind in KINDS)


def test_a_parser_message_is_found_from_its_template_the_longest_first():
    from graph.lang import from_english

    assert from_english("'x' is not 'a'.") == "'x' 不是 'a'。"
    assert from_english("'x' is not one of 'a', 'b'.") == "'x' 不是可选值之一（'a', 'b'）。"
    assert from_english("Directory 'd' does not exist.") == "文件夹 'd' 不存在。"
    assert from_english("not a parser message") is None


def test_an_os_reason_is_english_as_a_string_and_chinese_when_known():
    import errno

    from graph.lang import os_reason

    full = os_reason(OSError(errno.ENOSPC, "No space left on device"))
    assert full == "No space left on device" and text(full, "zh") == "设备上没有空间"
    odd = os_reason(OSError(errno.ENOTSUP, "Operation not supported"))
    assert text(odd, "zh") == "Operation not supported"
