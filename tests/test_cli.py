"""The first commands as a user runs them: exit codes, stdout kept for data, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(runner, *args, data=None, **kw):
    prefix = ["--data", str(data)] if data is not None else []
    return runner.invoke(cli, [*prefix, *args], **kw)


def test_validate_ok(runner, mini_dir):
    result = run(runner, "validate", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "校验通过：18 个实体，24 条关系，15 条引文" in result.stderr
    assert "数据集内容" in result.stdout and "行数" in result.stdout
    result = run(runner, "validate", "--lang", "en", data=mini_dir, catch_exceptions=False)
    assert "valid: 18 entities, 24 relations, 15 quotes" in result.stderr
    assert "what the dataset holds" in result.stdout and "rows" in result.stdout


@pytest.mark.usefixtures("english")
def test_validate_lists_every_problem_and_exits_1(runner, mini_copy):
    shutil_copy = (Path(__file__).parent / "fixtures" / "bad" / "several.relations.csv").read_bytes()
    (mini_copy / "relations.csv").write_bytes(shutil_copy)
    result = run(runner, "validate", data=mini_copy)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    rel = mini_copy / "relations.csv"
    assert lines[0].startswith(f"{rel}:26: unknown relation 'likes'")
    assert lines[1] == f"{rel}:27: unknown target 'province:shaanxi'"
    assert lines[-1] == "Error: 4 problems in relations.csv"
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["stats"], ["show", "甲山"], ["shared", "甲山", "乙水"]])
@pytest.mark.usefixtures("english")
def test_bad_data_fails_every_command_the_same_way(runner, mini_copy, command):
    (mini_copy / "entities.csv").write_text("id,type\n", encoding="utf-8")
    result = run(runner, *command, data=mini_copy)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{mini_copy / 'entities.csv'}:1: missing column(s): name, name_en",
        "Error: 1 problem in entities.csv",
    ]


def test_data_from_environment(runner, mini_dir):
    result = runner.invoke(
        cli, ["shared", "甲山", "乙水", "--format", "csv"], env={"PRACTICE_GRAPH_DATA": str(mini_dir)}
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["initiative_id"] == "initiative:cadres-to-communities"
    assert rows[0]["evidence"] == "甲山市: 到居住地社区报到; 乙水市: 党员干部下沉社区工作常态化"


def test_shared_json_is_clean(runner, mini_dir):
    result = run(runner, "shared", "甲山", "乙水", "--format", "json", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data[0]["evidence"] == ["甲山市: 到居住地社区报到", "乙水市: 党员干部下沉社区工作常态化"]


def test_shared_table_aligns_chinese(runner, mini_dir):
    result = run(runner, "shared", "甲山", "乙水", data=mini_dir, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from rich.cells import cell_len

    widths = {cell_len(line) for line in result.stdout.splitlines() if line.startswith(("│", "┃", "┏", "└"))}
    assert len(widths) == 1, result.stdout
    assert "initiative_id" not in result.stdout  # ids are for scripts


def test_shared_nothing_in_common(runner, mini_dir):
    result = run(runner, "shared", "甲山", "丁原", "--format", "json", data=mini_dir)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr == "甲山市、丁原市没有共有举措。\n"
    result = run(runner, "--lang", "en", "shared", "甲山", "丁原", "--format", "json", data=mini_dir)
    assert result.stderr == "甲山市、丁原市 have no initiative in common.\n"


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["shared", "甲山", "戊土"], 2, "Error: no city named '戊土'"),
        (["shared", "甲山", "甲山县"], 2, "Error: no city named '甲山县'; did you mean 甲山市?"),
        (["shared", "甲山"], 2, "Error: name at least two cities"),
        (["shared", "甲山", "Jia"], 2, "Error: the same city given twice: 甲山市"),
        (
            ["shared", "甲山", "下沉社区"],
            2,
            "Error: '下沉社区' is 党员干部下沉社区 (initiative:cadres-to-communities), an initiative, not a city",
        ),
        (["show", "nowhere"], 2, "Error: no entity named 'nowhere'"),
        (["stats", "--format", "xml"], 2, "Error: Invalid value for '--format'"),
        (["stats", "--top", "0"], 2, "Error: Invalid value for '--top'"),
    ],
)
@pytest.mark.usefixtures("english")
def test_user_mistakes(runner, mini_dir, args, code, message):
    result = run(runner, *args, data=mini_dir)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.usefixtures("english")
def test_data_folder_missing(runner, tmp_path):
    result = run(runner, "stats", data=tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'nope'}:0: folder not found: expected a dataset folder with entities.csv and relations.csv",
        "Error: 1 problem in nope",
    ]


def test_show_json(runner, mini_dir):
    result = run(runner, "show", "Jia", "--format", "json", data=mini_dir, catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["entity"]["name"] == "甲山市"
    assert {r["relation"] for r in data["relations"]} == {"located_in", "attended", "reports"}


def test_stats_csv_blocks(runner, mini_dir):
    result = run(runner, "stats", "--format", "csv", data=mini_dir, catch_exceptions=False)
    blocks = result.stdout.split("\n\n")
    assert blocks[0].splitlines()[0] == "what,count"
    assert len(blocks) >= 3


def test_long_tables_print_one_line_per_row(runner, mini_dir, monkeypatch):
    import cli as cli_module

    monkeypatch.setattr(cli_module, "LONG_TABLE", 2)
    result = run(runner, "--lang", "en", "stats", data=mini_dir, catch_exceptions=False)
    lines = result.stdout.splitlines()
    start = lines.index("cities by number of initiatives (uniqueness: share adopted by at most one other city)")
    assert lines[start + 1].split() == ["city", "initiatives", "only_here", "uniqueness", "community"]
    assert set(lines[start + 2]) == {"─", " "}
    rows = [line.split() for line in lines[start + 3 : start + 7]]
    assert sorted(r[0] for r in rows) == ["丁原市", "丙川市", "乙水市", "甲山市"]
    assert all(r[1] == "2" for r in rows)
    # numbers end under the end of their header: CJK names count two columns
    from rich.cells import cell_len

    header, first = lines[start + 1], lines[start + 3]
    assert cell_len(first[: first.index("2") + 1]) == header.index("initiatives") + len("initiatives")


def test_version_and_short_help(runner):
    assert runner.invoke(cli, ["--version"]).output.startswith("practice-graph, version ")
    result = runner.invoke(cli, ["-h"])
    assert result.exit_code == 0 and "用法：" in result.output
    result = runner.invoke(cli, ["--lang", "en", "-h"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_every_command_has_help_with_an_example(runner):
    for name in cli.commands:
        result = runner.invoke(cli, ["--lang", "en", name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "示例：" in result.output, f"{name} --help has no example in Chinese"


def test_python_cli_py_works_from_a_checkout(mini_dir):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--data", str(mini_dir), "shared", "甲山", "乙水", "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["initiative"] == "党员干部下沉社区"


def test_help_does_not_import_heavy_packages():
    code = (
        "import sys; from cli import cli; "
        "heavy = [m for m in ('networkx', 'scipy', 'numpy', 'pyvis', 'jieba', 'rich') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == ""


def test_real_data_validates(runner):
    result = runner.invoke(cli, ["validate"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_real_data_shared_design_card(runner):
    result = runner.invoke(cli, ["shared", "潜江", "随州", "--format", "json"], catch_exceptions=False)
    names = [row["initiative_id"] for row in json.loads(result.stdout)]
    assert "initiative:cadres-to-communities" in names
    result = runner.invoke(cli, ["shared", "商洛", "天门", "--format", "json"], catch_exceptions=False)
    names = [row["initiative_id"] for row in json.loads(result.stdout)]
    assert "initiative:cadre-political-assessment" in names


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
def test_json_text_equals_json_dumps(payload):
    from cli import _json_default, _json_text

    assert _json_text(payload) == json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)


def test_json_text_of_other_values_and_keys():
    from decimal import Decimal

    from cli import _json_default, _json_text

    for payload in ({1: "a", "b": [Decimal("1.5")]}, [Decimal("2"), {"x": Decimal("3")}], {}):
        assert _json_text(payload) == json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)


_JSON_CELLS = _JSON_VALUES | st.lists(st.text(max_size=4), max_size=3) | st.lists(st.floats(), max_size=3)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b%s", "c", "名"]), min_size=0, max_size=4),
    st.integers(0, 4).flatmap(lambda n: st.lists(st.lists(_JSON_CELLS, min_size=4, max_size=4), max_size=n)),
    st.none() | st.dictionaries(st.text(max_size=3), _JSON_VALUES, max_size=3),
    st.booleans(),
)
def test_json_of_tables_written_by_column_equals_json_dumps(columns, rows, record, section):
    """A table's JSON, written a column at a time, is the bytes json.dumps writes for its rows as dicts."""
    import graph
    from cli import _json_default, _json_payload, _json_result

    table = graph.Table(columns, [dict(zip(columns, row, strict=False)) for row in rows], name="rows")
    result = graph.Section([table, graph.Table(["x"], [], name="more")], record=record) if section else table
    expected = json.dumps(_json_payload(result), ensure_ascii=False, indent=2, default=_json_default)
    assert _json_result(result) == expected


def test_json_of_column_tables_equals_json_dumps():
    import numpy as np

    import graph
    from cli import _json_default, _json_payload, _json_result

    data = {
        "name": np.array(["潜江市", "随州市", None], dtype=object),
        "score": np.array([0.5, np.nan, 1e-7]),
        "shared": np.array([3, 0, -2]),
        "same": np.array([True, None, False], dtype=object),
        "flag": np.array([True, False, True]),
        "list": [["a", "b"], [], [1.5, float("inf")]],
    }
    table = graph.ColumnTable(list(data) + ["missing"], data, name="dyads")
    expected = json.dumps(_json_payload(table), ensure_ascii=False, indent=2, default=_json_default)
    table._rows = None  # the rows made for the payload: written from the columns again
    assert _json_result(table) == expected
    assert '"score": null' in expected and '"missing": null' in expected


_CELLS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda n: st.lists(st.lists(_CELLS | st.lists(_CELLS, max_size=3), min_size=n, max_size=n))
    )
)
def test_csv_body_equals_csv_writer(rows):
    import graph
    from cli import _cell_text, _csv_body

    columns = [f"c{k}" for k in range(len(rows[0]))] if rows else ["a", "b"]
    table = graph.Table(columns, [dict(zip(columns, row, strict=True)) for row in rows])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_cell_text(v, "; ") for v in row] for row in rows)
    assert _csv_body(table) == buffer.getvalue()


def test_csv_body_of_long_columns_equals_csv_writer():
    """Long columns take the paths that format each distinct value once; the bytes stay csv.writer's."""
    import numpy as np

    import graph
    from cli import _cell_text, _csv_body

    rng = np.random.default_rng(0)
    n = 12_000
    floats = rng.choice([0.0, 1e-4, 0.5, 1 / 3, 2.0, 123.456789], size=n).tolist()
    data = {
        "name": [f"城市{k % 7}" + ("," if k % 5 == 0 else "") for k in range(n)],
        "float": floats,
        "float_none": [None if k % 3 == 0 else v for k, v in enumerate(floats)],
        "signed_zero": [-0.0 if k % 4 == 0 else v for k, v in enumerate(floats)],
        "nan": [float("nan") if k % 4 == 0 else v for k, v in enumerate(floats)],
        "int": rng.integers(0, 50, size=n).tolist(),
        "bool_none": [None if k % 3 == 0 else bool(k % 2) for k in range(n)],
        "array": np.where(np.arange(n) % 3 == 0, np.nan, np.array(floats)),
    }
    columns = list(data)
    rows = [{c: data[c][k] for c in columns} for k in range(n)]
    rows_as_written = [[None if v != v and c == "array" else v for c, v in row.items()] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([_cell_text(v, "; ") for v in row] for row in rows_as_written)
    assert _csv_body(graph.ColumnTable(columns, data)) == buffer.getvalue()
    assert _csv_body(graph.Table(columns, [dict(zip(columns, r, strict=True)) for r in rows_as_written])) == (
        buffer.getvalue()
    )


@pytest.mark.parametrize(
    "args", [("recommend", "潜江"), ("shared", "潜江", "随州"), ("stats",), ("similar", "潜江"), ("show", "潜江")]
)
def test_tables_fit_80_columns_with_whole_headers(runner, args, monkeypatch):
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    result = run(runner, *args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert too_wide == []

    def headers(lines):
        return [
            cell.strip()
            for k, line in enumerate(lines[:-1])
            if line.startswith("┃") and lines[k + 1].startswith("┡")
            for cell in line.strip("┃").split("┃")
        ]

    monkeypatch.setenv("COLUMNS", "400")
    wide = run(runner, *args, catch_exceptions=False).stdout.splitlines()
    assert headers(lines) and set(headers(lines)) <= set(headers(wide))  # no header broken inside a word


def test_commands_collect_garbage_less_often(runner, mini_dir, monkeypatch):
    import gc

    import cli as cli_module

    before = gc.get_threshold()
    try:
        assert run(runner, "stats", "--format", "json", data=mini_dir).exit_code == 0
        assert gc.get_threshold() == cli_module.GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_table_headers_are_chinese_by_default_and_csv_keeps_field_names(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run(runner, "recommend", "潜江", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "举措" in result.stdout and "原文依据" in result.stdout and "evidence" not in result.stdout
    assert "排名" in result.stderr  # dropped first at 80 columns, and named
    english = run(runner, "recommend", "潜江", "--lang", "en", catch_exceptions=False)
    assert "evidence" in english.stdout and "原文依据" not in english.stdout and "rank" in english.stderr
    for lang in ("zh", "en"):
        csv_out = run(runner, "--lang", lang, "recommend", "潜江", "--format", "csv", catch_exceptions=False).stdout
        assert "rank,initiative" in csv_out.splitlines()[0]


def test_every_column_of_similar_is_named_in_chinese(runner, monkeypatch):
    from graph.lang import HEADERS, HEADERS_BY_TABLE

    monkeypatch.setenv("COLUMNS", "200")
    result = run(runner, "similar", "潜江", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    names = [cell.strip() for cell in header.strip("┃").split("┃")]
    known = {*HEADERS.values(), *HEADERS_BY_TABLE.values()}
    assert names and all(name in known for name in names), names


# ---------------------------------------------------------------------------------------------------------------
# tables without rich's console: the same characters as rich prints, into a file and on a terminal


def _rich_prints(title, headers, rows, widths, width, show_lines, styled=False, colours="standard") -> str:
    """What rich's own Table and Console print for these cells, as cli.py lays them out: into a file, or with
    ``styled`` on a terminal of ``colours``."""
    import io

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    buffer = io.StringIO()
    table = RichTable(title=escape("\n".join(title)) if title else None, show_lines=show_lines)
    for header, w in zip(headers, widths, strict=True):
        table.add_column(header, width=w, overflow="fold")
    for row in rows:
        table.add_row(*map(escape, row))
    terminal = {"force_terminal": True, "color_system": colours} if styled else {}
    Console(file=buffer, soft_wrap=False, width=width, **terminal).print(table)
    return buffer.getvalue()


#: Characters the cells of a table hold: CJK (two columns), punctuation that may not start or end a line, Latin
#: with spaces; now and then a combining accent (no column of its own), emoji with a joiner or a variation
#: selector (measured with their neighbours), and what rich rewrites (markup, emoji codes, control characters).
_ALPHABET = list("潜江市随州党员干部下沉社区，。、（）“”：") + list("abc XYZ 12.5 ")
_RARE = ["e\u0301", "👩\u200d🔬", "☺\ufe0f", "🔬"]
_REWRITTEN = ["[b]", ":smile:", "\t", "\r", "\\", "\x1b[1m"]


def _random_cell(rng, rewritten: bool) -> str:
    text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 40)))
    for extra, chance in ((_RARE, 0.2), (_REWRITTEN, 0.3 if rewritten else 0)):
        if rng.random() < chance:
            k = rng.randrange(len(text) + 1)
            text = text[:k] + rng.choice(extra) + text[k:]
    return text


@pytest.mark.parametrize("seed", range(6))
def test_tables_drawn_without_rich_are_what_rich_prints(seed, monkeypatch):
    import random

    from rich.cells import cell_len

    import cli as cli_module

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    rng = random.Random(seed)
    drawn = 0
    for case in range(80):
        n = rng.randrange(1, 5)
        width = rng.choice([40, 60, 80, 120, 200])
        headers = [rng.choice(["排名", "相似城市", "score", "原文依据", "p 值", ""]) for _ in range(n)]
        if case % 7 == 0:
            headers[0] = "两行\n表头"
        rows = [[_random_cell(rng, rewritten=case % 3 == 0) for _ in range(n)] for _ in range(rng.randrange(1, 5))]
        wrapped = case % 2 == 0  # as cli.py wraps cells (most tables), or cells left too long (rich must cut them)
        widths = [max(cell_len(h), min(rng.randrange(4, 30), max(width // n - 4, 4))) for h in headers]
        if wrapped:
            rows = [["\n".join(cli_module._wrap_cells(c, w)) for c, w in zip(r, widths, strict=True)] for r in rows]
        title = rng.choice(["与潜江市最相似的城市（按 idf-cosine）", "cities like 潜江", ""])
        title = cli_module._wrap_cells(title, 20)
        title = [t for t in title if t]
        show_lines = any("\n" in c for r in rows for c in r)
        styled = case % 4 == 1
        ours = cli_module._box_table(title, headers, rows, widths, width, show_lines, styled=styled)
        if ours is not None:
            drawn += 1
            colours = rng.choice(["standard", "256", "truecolor"])
            expected = _rich_prints(title, headers, rows, widths, width, show_lines, styled, colours)
            assert ours == expected, (title, headers, rows, widths, styled)
    assert drawn >= 10  # the comparison happened on many tables, not only on the ones rich draws itself


#: Commands whose table output goes through the box table, at several terminal widths.
TABLES = [
    ["similar", "潜江"],
    ["--lang", "en", "similar", "潜江"],
    ["shared", "潜江", "随州"],
    ["recommend", "潜江"],
    ["show", "潜江"],
    ["stats"],
    ["rank", "--top", "2"],
]


@pytest.mark.parametrize("columns", ["60", "100", "200"])
@pytest.mark.parametrize("terminal", [False, True], ids=["file", "terminal"])
def test_the_table_format_prints_the_same_bytes_with_and_without_rich(columns, terminal, monkeypatch):
    from click.testing import CliRunner

    import cli as cli_module
    from tests.conftest import REAL

    monkeypatch.setenv("COLUMNS", columns)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    if terminal:  # rich and the box table both take FORCE_COLOR for a terminal
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
    runner = CliRunner()
    for args in TABLES:
        ours = runner.invoke(cli, ["--data", str(REAL), *args], catch_exceptions=False)
        with monkeypatch.context() as forced:
            forced.setattr(cli_module, "_rich_looks", lambda: None)
            rich = runner.invoke(cli, ["--data", str(REAL), *args], catch_exceptions=False)
        assert ours.exit_code == rich.exit_code == 0, (args, ours.output, rich.output)
        assert ours.stdout_bytes == rich.stdout_bytes, args
        assert ours.stderr_bytes == rich.stderr_bytes, args
        assert "┏" in ours.stdout and ("\x1b[1m" in ours.stdout) == terminal


def test_how_rich_would_print_on_stdout(monkeypatch):
    import cli as cli_module

    class Terminal:
        encoding = "utf-8"

        def isatty(self):
            return True

    class Pipe(Terminal):
        def isatty(self):
            return False

    class Latin1(Pipe):
        encoding = "latin-1"

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(sys, "stdout", Pipe())
    assert cli_module._rich_looks() == "plain"
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert cli_module._rich_looks() == "styled"
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert cli_module._rich_looks() == "plain"
    monkeypatch.delenv("TTY_COMPATIBLE")
    monkeypatch.setenv("FORCE_COLOR", "")
    assert cli_module._rich_looks() == "plain"
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert cli_module._rich_looks() == "styled"
    monkeypatch.setenv("TERM", "dumb")  # rich lays tables out at 80 columns on a dumb terminal: it draws them
    assert cli_module._rich_looks() is None
    monkeypatch.setattr(sys, "stdout", Pipe())
    assert cli_module._rich_looks() == "plain"
    monkeypatch.setattr(sys, "stdout", Latin1())
    assert cli_module._rich_looks() is None
