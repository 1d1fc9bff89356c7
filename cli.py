"""The practice-graph command line: parse options, call graph.*, render rows. No logic lives here."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import inspect
import os
import sys

import click

import graph
from graph.errors import DatasetError, PracticeGraphError, RequestError, message
from graph.lang import DEFAULT_LANG, LANGS, header, listing, os_reason, say, text
from graph.similarity import DEFAULT_METRIC, METRICS
from graph.views import LAYOUTS, LEVELS

# OpenBLAS starts a pool of threads when numpy is first imported (which none of the imports above does): 0.15 s of
# a 0.4 s command on small data, and one thread was as fast at 1,000 x 5,000 (docs/benchmarks.md). A user's own
# setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

FORMATS = ("table", "csv", "json")
GC_THRESHOLDS = (100_000, 50, 1000)

# At exit the interpreter runs one last full collection over every object still alive: at 1,000 cities the loaded
# dataset and a view's rows are a few million, and that pass took a tenth of a large view's time (0.15 s) to find
# nothing to free (what they hold forms no cycle). Frozen objects are left out of it; they are freed as before.
atexit.register(gc.freeze)


# ---------------------------------------------------------------------------------------------------------------
# rendering: one function for every row-producing command


def _cell_text(value, joiner: str, lang: str | None = None) -> str:
    """A cell as text; with ``lang``, the words the table view translates (csv keeps them as they are)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e-3 and value else f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return joiner.join(_cell_text(v, joiner, lang) for v in value)
    return text(value, lang) if lang else str(value)


def _float_cells(values: list, number) -> list[str] | None:
    """The cells of a long column of floats (and None), each distinct value formatted once; None when -0.0 or NaN
    (which compare equal to others, or to nothing) would make that unsafe."""
    import numpy as np

    from graph.table import distinct_values

    if isinstance(values, np.ndarray):
        missing = np.isnan(values)
        column = np.where(missing, 0.0, values)
    else:
        missing = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
        column = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
        if np.isnan(column).any():
            return None
    if (np.signbit(column) & (column == 0)).any():
        return None
    distinct, index = distinct_values(column)
    texts = np.array([number(v) for v in distinct.tolist()] + [""], dtype=object)
    index[missing] = len(distinct)
    return texts[index].tolist()


def _column_cells(values, number) -> list[str]:
    """``_cell_text(v, "; ")`` of each value of a column (a list, or a numpy array whose NaN are missing cells),
    each distinct value formatted once where that is safe."""
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    if kind == "f":
        cells = _float_cells(values, number)
        if cells is not None:
            return cells
    if kind is not None:
        values = [None if v != v else v for v in values.tolist()] if kind == "f" else values.tolist()
    types = set(map(type, values))
    cells = None
    if types <= {str}:
        cells = list(values)
    elif float in types and types <= {float, type(None)} and len(values) >= 10_000:
        cells = _float_cells(values, number)
    elif types <= {str, int, type(None)} or types <= {str, bool, type(None)}:  # True == 1: never both in a memo
        memo = {v: _cell_text(v, "; ") for v in set(values)}
        cells = list(map(memo.__getitem__, values))
    if cells is None:
        cells = [
            v if v.__class__ is str else number(v) if v.__class__ is float else _cell_text(v, "; ") for v in values
        ]
    return cells


def _csv_body(table) -> str:
    """The rows of ``table`` as csv.writer writes ``_cell_text`` of each cell, built a column at a time (the dyad
    table has half a million rows)."""

    import csv
    import io

    def quoted(ch: str) -> bool:  # which characters csv.writer quotes (it differs between Python versions)
        probe = io.StringIO()
        csv.writer(probe, lineterminator="\n").writerow([ch, ""])
        return probe.getvalue().startswith('"')

    special = [ch for ch in ',"\r\n' if quoted(ch)]

    def number(v: float) -> str:
        return f"{v:.4g}" if abs(v) < 1e-3 and v else f"{v:.4f}".rstrip("0").rstrip(".")

    columns = []
    for column in table.columns:
        cells = _column_cells(table.column_data(column), number)
        joined = "".join(cells)
        if any(ch in joined for ch in special):
            cells = ['"' + c.replace('"', '""') + '"' if any(ch in c for ch in special) else c for c in cells]
        columns.append(cells)
    if not columns or not columns[0]:
        return ""
    return "\n".join(map(",".join, zip(*columns, strict=True))) + "\n"


def _json_default(value):
    return str(value)


def _json_writer():
    """``value(v, level, add)``: append to ``add`` the text ``json.dumps(v, ensure_ascii=False, indent=2,
    default=str)`` writes for ``v`` at nesting ``level``; raises TypeError where json would convert a key."""
    from json.encoder import encode_basestring

    floatrepr = float.__repr__
    inf = float("inf")

    def scalar(v) -> str | None:
        if isinstance(v, str):
            return encode_basestring(v)
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return int.__repr__(v)
        if isinstance(v, float):
            if v != v:
                return "NaN"
            if v == inf:
                return "Infinity"
            if v == -inf:
                return "-Infinity"
            return floatrepr(v)
        return None

    def value(v, level: int, add) -> None:
        if v.__class__ is str:
            add(encode_basestring(v))
            return
        text = scalar(v)
        if text is not None:
            add(text)
        elif isinstance(v, list | tuple):
            if not v:
                add("[]")
                return
            inner = "\n" + "  " * (level + 1)
            kinds = set(map(type, v))
            if kinds == {str}:  # a list of names or sentences: one join
                add("[" + inner + ("," + inner).join(map(encode_basestring, v)) + "\n" + "  " * level + "]")
                return
            if kinds == {float} and all(x == x and -inf < x < inf for x in v):
                add("[" + inner + ("," + inner).join(map(floatrepr, v)) + "\n" + "  " * level + "]")
                return
            add("[")
            for k, item in enumerate(v):
                add(inner if k == 0 else "," + inner)
                value(item, level + 1, add)
            add("\n" + "  " * level + "]")
        elif isinstance(v, dict):
            if not v:
                add("{}")
                return
            inner = "\n" + "  " * (level + 1)
            add("{")
            for k, (key, item) in enumerate(v.items()):
                if not isinstance(key, str):
                    raise TypeError("a key that is not a string")
                add((inner if k == 0 else "," + inner) + encode_basestring(key) + ": ")
                value(item, level + 1, add)
            add("\n" + "  " * level + "}")
        else:
            value(_json_default(v), level, add)

    return value


def _json_text(payload) -> str:
    """``json.dumps(payload, ensure_ascii=False, indent=2, default=str)``, byte for byte, several times faster.

    json's own encoder drops to pure Python as soon as it indents; this one writes rows of flat values with the C
    string encoder and ``repr``, the same way json does.
    """
    out: list[str] = []
    try:
        _json_writer()(payload, 0, out.append)
    except TypeError:  # keys json would convert: let json do it
        import json

        return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)
    return "".join(out)


def _json_cells(values, level: int, value) -> list[str]:
    """The JSON text of each cell of a column at nesting ``level`` (``value`` is :func:`_json_writer`'s): a list of
    values, or a numpy array whose NaN are missing cells (null), as the rows of a table hold them."""
    from json.encoder import encode_basestring

    floatrepr = float.__repr__
    inf = float("inf")
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    if kind == "f":
        return [
            "null" if v != v else "Infinity" if v == inf else "-Infinity" if v == -inf else floatrepr(v)
            for v in values.tolist()
        ]
    if kind in ("i", "u"):
        return list(map(int.__repr__, values.tolist()))
    if kind is not None:
        values = values.tolist()
    inner = "\n" + "  " * (level + 1)
    sep, close = "," + inner, "\n" + "  " * level + "]"
    cells = []
    add = cells.append
    for v in values:
        cls = v.__class__
        if cls is str:
            add(encode_basestring(v))
            continue
        if cls is list and v:
            try:  # names or sentences; the encoder refuses anything but a string
                add("[" + inner + sep.join(map(encode_basestring, v)) + close)
                continue
            except TypeError:
                pass
            try:  # numbers: float's repr refuses anything but a float, and writes nan and inf with an n
                text = sep.join(map(floatrepr, v))
                if "n" not in text:
                    add("[" + inner + text + close)
                    continue
            except TypeError:
                pass
        if cls is float and v == v and -inf < v < inf:
            add(floatrepr(v))
        elif cls is int:
            add(int.__repr__(v))
        elif v is None:
            add("null")
        else:
            parts: list[str] = []
            value(v, level, parts.append)
            add("".join(parts))
    return cells


def _json_table(table, level: int, value) -> str | None:
    """The JSON text of ``[{c: row.get(c) for c in table.columns} for row in table.rows]`` at nesting ``level``,
    written a column at a time; None when the columns repeat a name (a dict per row would merge them)."""
    from json.encoder import encode_basestring

    columns = table.columns
    if not columns or len(set(columns)) != len(columns):
        return None
    cells = [_json_cells(table.column_data(c), level + 2, value) for c in columns]
    if not cells[0]:
        return "[]"
    inner, row_inner = "\n" + "  " * (level + 2), "\n" + "  " * (level + 1)
    template = "{" + ",".join(inner + encode_basestring(c).replace("%", "%%") + ": %s" for c in columns)
    template += row_inner + "}"
    rows = [template % row for row in zip(*cells, strict=True)]
    return "[" + row_inner + ("," + row_inner).join(rows) + "\n" + "  " * level + "]"


def _json_payload(result):
    """What the JSON of a Table or Section holds, as Python values."""
    if isinstance(result, graph.Section):
        payload = {}
        if result.record is not None:
            payload["entity"] = result.record
        for t in result.tables:
            payload[t.name] = [{c: row.get(c) for c in t.columns} for row in t.rows]
        return payload
    return [{c: row.get(c) for c in result.columns} for row in result.rows]


def _json_result(result) -> str:
    """``_json_text(_json_payload(result))``, byte for byte: a Table is a list of rows, a Section
    ``{"entity": record, table name: rows, ...}``; the rows are written a column at a time."""
    from json.encoder import encode_basestring

    value = _json_writer()
    section = isinstance(result, graph.Section)
    tables = result.tables if section else [result]
    record = result.record if section else None
    names = (["entity"] if record is not None else []) + [t.name for t in tables]
    texts = [_json_table(t, 1 if section else 0, value) for t in tables]
    if None in texts or len(set(names)) != len(names):
        return _json_text(_json_payload(result))
    if not section:
        return texts[0]
    if not names:
        return "{}"
    if record is not None:
        entity: list[str] = []
        try:
            value(record, 1, entity.append)
        except TypeError:  # keys json would convert
            return _json_text(_json_payload(result))
        texts.insert(0, "".join(entity))
    return "{" + ",".join("\n  " + encode_basestring(n) + ": " + t for n, t in zip(names, texts, strict=True)) + "\n}"


#: The language of the table view, titles and notes (``--lang``): csv and json keep English ids in both.
_LANG = {"lang": DEFAULT_LANG}


def _header(column: str, table: str | None = None) -> str:
    """A column's header in the table format, in the chosen language."""
    return header(column, _LANG["lang"], table)


def _say(value) -> str:
    """A title, note or message in the chosen language."""
    return text(value, _LANG["lang"])


#: Below this many terminal columns, tables are laid out by :func:`_fit_columns` alone.
NARROW = 120

#: A table's main text column (quotes, evidence) gets at least this many columns before others are dropped.
MIN_TEXT_WIDTH = 28


def _output_width() -> int:
    """The width tables are laid out for: $COLUMNS when set, else the terminal's, else 160 (a file or a pipe)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 20:
        return int(columns)
    if not sys.stdout.isatty():
        return 160
    import shutil

    return shutil.get_terminal_size((160, 40)).columns


#: Columns that say why a row is there: kept and wrapped when a table is too wide.
_WHY_COLUMNS = frozenset({"evidence", "explained_by", "quote"})
#: Columns that detail another one (the stability mark stays): dropped first when a table is too wide.
_SECONDARY_COLUMNS = frozenset({"support", "critical"})


def _fit_columns(
    columns: list[str], cells: list[list[str]], width: int, headers: list[str] | None = None
) -> tuple[list[int], dict[int, int]]:
    """Which columns a table of ``width`` terminal columns shows, and how wide: ``(kept indices, widths)``.

    ``columns`` are the column ids, ``headers`` what the table shows above them (default: the ids). Every column
    is at least as wide as its header, so headers never break inside a word. The widest column (the text:
    quotes, evidence) takes what is left; when that is under :data:`MIN_TEXT_WIDTH`, the other columns first
    shrink to their longest word, then columns are dropped: English names, then details (support, critical),
    then ranks, then from the right (never the text, nor the first column that is not a rank: what the row is
    about).

    >>> _fit_columns(["rank", "initiative", "evidence"], [["1", "志愿服务", "随州市: 一律编入各类志愿服务队"]], 60)
    ([0, 1, 2], {0: 4, 1: 10, 2: 30})
    >>> _fit_columns(["rank", "initiative", "evidence"], [["1", "志愿服务", "随州市: 一律编入各类志愿服务队"]], 40)
    ([1, 2], {1: 10, 2: 23})
    >>> _fit_columns(["initiative", "name_en", "evidence"], [["志愿服务", "Volunteer service", "引用" * 30]], 50)
    ([0, 2], {0: 10, 2: 33})
    >>> _fit_columns(["peer", "support", "critical", "explained_by"], [["随州市", "0.5", "长" * 20, "原因 0.2"]], 40)
    ([0, 3], {0: 6, 3: 12})
    >>> _fit_columns(["rank", "evidence"], [["1", "引用"]], 40, ["排名", "原文依据"])
    ([0, 1], {0: 4, 1: 8})
    """
    import re

    from rich.cells import cell_len

    headers = headers or columns

    def lines(k):
        return [line for row in cells for line in row[k].split("\n")]

    natural = [max([cell_len(h)] + [cell_len(x) for x in lines(k)]) for k, h in enumerate(headers)]
    longest_word = [
        max([cell_len(h)] + [cell_len(w) for x in lines(k) for w in re.split(r"[\s,]+", x) if w])
        for k, h in enumerate(headers)
    ]
    text = _text_column(columns, headers, cells)
    drop_order = [k for k, c in enumerate(columns) if c.endswith("_en")]
    drop_order += [k for k, c in enumerate(columns) if c in _SECONDARY_COLUMNS and k not in drop_order]
    drop_order += [k for k, c in enumerate(columns) if c == "rank" and k not in drop_order]
    first = next((k for k in range(len(headers)) if k not in drop_order), 0)  # what the row is about
    drop_order += [k for k in reversed(range(len(headers))) if k not in (text, first) and k not in drop_order]
    kept = list(range(len(headers)))
    while True:
        border = 3 * len(kept) + 1
        others = [k for k in kept if k != text]
        for sizes in (natural, longest_word):
            room = width - border - sum(sizes[k] for k in others)
            if room >= min(natural[text], MIN_TEXT_WIDTH) or not drop_order:
                widths = {k: sizes[k] for k in others}
                widths[text] = max(min(natural[text], room), cell_len(headers[text]))
                if sizes is longest_word:  # give back what is left to the shrunk columns, left to right
                    spare = room - widths[text]
                    for k in others:
                        extra = min(spare, natural[k] - widths[k])
                        widths[k] += max(0, extra)
                        spare -= max(0, extra)
                return sorted(kept), widths
        kept.remove(drop_order.pop(0))


def _text_column(columns: list[str], headers: list[str], cells: list[list[str]]) -> int:
    """The column that wraps: the one that says why (quotes, explanations), else the widest that is not numbers.

    >>> _text_column(["peer", "explained_by"], ["peer", "explained_by"], [["神农架林区", "党建 0.1"]])
    1
    >>> _text_column(["city", "resource-allocation"], ["city", "resource-allocation"], [["潜江市", "1.3333"]])
    0
    """
    from rich.cells import cell_len

    why = [k for k, c in enumerate(columns) if c in _WHY_COLUMNS]
    if why or not headers:
        return why[0] if why else 0
    import re

    natural = [max([cell_len(h)] + [cell_len(x) for row in cells for x in row[k].split("\n")]) for k, h in
               enumerate(headers)]  # fmt: skip
    number = re.compile(r"-?[0-9.]+(e[-+]?[0-9]+)?")
    words = [k for k in range(len(headers)) if not all(number.fullmatch(row[k]) or not row[k] for row in cells)]
    return max(words or range(len(headers)), key=lambda k: (natural[k], k))


#: Characters a line may not begin with (closing punctuation), and may not end with (opening punctuation).
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’…,.;:?!)]}%")
_NO_LINE_END = frozenset("（《「『【〔“‘([{")


def _wrap_cells(text: str, width: int, cjk: bool = True, fold: bool = True) -> list[str]:
    """``text`` cut into lines of at most ``width`` terminal columns (a CJK character counts two), never inside a
    word: between Chinese characters (``cjk``; else only at spaces) or at spaces, never before closing or after
    opening punctuation, and inside a run of letters and digits only when it is wider than a line. Without
    ``cjk``, a word wider than a line is cut as with it; without ``fold``, a run of letters and digits wider than a
    line (a path) stays whole on a line of its own.

    >>> _wrap_cells("湖北省省直辖县级市", 8)
    ['湖北省省', '直辖县级', '市']
    >>> _wrap_cells("派遣388家单位16816名党员", 16)
    ['派遣388家单位', '16816名党员']
    >>> _wrap_cells("荆门市, 潜江市, 神农架林区", 16, cjk=False)
    ['荆门市, 潜江市,', '神农架林区']
    >>> _wrap_cells("党员“带头示范、带领一家”", 12)
    ['党员“带头示', '范、带领一', '家”']
    """
    import re

    from rich.cells import cell_len

    out: list[str] = []
    for paragraph in text.split("\n"):
        if cell_len(paragraph) <= width:
            out.append(paragraph)
            continue
        pattern = r"\s+|[A-Za-z0-9_.\-/%@+#=&]+|." if cjk else r"\s+|\S+"
        tokens: list[str] = []
        for token in re.findall(pattern, paragraph):
            glue = tokens and not tokens[-1].isspace() and not token.isspace()
            if glue and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
                tokens[-1] += token
            else:
                tokens.append(token)
        line = ""
        for token in tokens:
            if cell_len(line + token) <= width:
                line += token
                continue
            if line.strip():
                out.append(line.rstrip())
            line = "" if token.isspace() else token
            if not cjk and cell_len(line) > width:
                *full, line = _wrap_cells(line, width, fold=fold)
                out.extend(full)
            while fold and cell_len(line) > width:  # a word wider than a line: fold it
                cut = 1
                while cell_len(line[: cut + 1]) <= width:
                    cut += 1
                out.append(line[:cut])
                line = line[cut:]
        if line.strip() or not out:
            out.append(line.rstrip())
    return out


def _print_table_rich(table: graph.Table) -> None:
    """A table in boxes, its long cells wrapped; drawn by :func:`_box_table` when no terminal asks for styles."""
    width = _output_width()
    lang = _LANG["lang"]
    # Ids of the things named in a row are for scripts: csv and json keep them, the table for people does not.
    columns = table.display or [c for c in table.columns if not c.endswith("_id")]
    texts = [[_cell_text(row.get(c), _joiner(row.get(c)), lang) for c in columns] for row in table.rows]
    headers = [_header(c, table.name) for c in columns]
    kept, widths = _fit_columns(columns, texts, width, headers)
    texts = [
        [
            "\n".join(_wrap_cells(row[k], widths[k], cjk=columns[k] in _WHY_COLUMNS)) if k in widths else row[k]
            for k in range(len(columns))
        ]
        for row in texts
    ]
    title = _say(table.title) if table.title else None
    if title:
        inner = sum(widths[k] for k in kept) + 3 * len(kept) - 1
        title = "\n".join(_wrap_cells(title, max(inner, 20)))
    show_lines = any("\n" in texts[r][k] for r in range(len(texts)) for k in kept)
    drawn, looks = None, _rich_looks()
    if looks is not None:
        drawn = _box_table(
            title.split("\n") if title else [],
            [headers[k] for k in kept],
            [[row[k] for k in kept] for row in texts],
            [widths[k] for k in kept],
            width,
            show_lines,
            styled=looks == "styled",
        )
    if drawn is not None:  # written as rich writes it (click.echo would drop the styles of FORCE_COLOR into a pipe)
        sys.stdout.write(drawn)
        sys.stdout.flush()
    else:
        from rich.console import Console
        from rich.table import Table as RichTable

        rich_table = RichTable(title=_escape_markup(title) if title else None, show_lines=show_lines)
        for k in kept:
            rich_table.add_column(headers[k], width=widths[k], overflow="fold")
        for row in texts:
            rich_table.add_row(*(_escape_markup(row[k]) for k in kept))
        Console(soft_wrap=False, width=width).print(rich_table)
    dropped = [c for k, c in enumerate(headers) if k not in kept]
    if dropped:
        _note(
            say(
                "not shown at {width} columns: {columns} (a wider terminal or --format csv shows them)",
                width=width,
                columns=listing(dropped),
            )
        )


def _rich_looks() -> str | None:
    """How rich would print a table on stdout: ``"plain"`` (a pipe, a file: the bare characters), ``"styled"`` (a
    terminal, or FORCE_COLOR or TTY_COMPATIBLE saying there is one: bold headers and an italic title, which look
    the same in every colour system), or None where rich does more (Jupyter, Windows consoles, a dumb terminal, an
    encoding other than UTF-8): then rich draws it. :func:`_box_table` draws the other two without importing
    rich's console."""
    import builtins

    stream = sys.stdout
    stdin_module = getattr(sys.stdin, "__module__", None) or ""
    if (
        stream is None
        or sys.platform == "win32"
        or hasattr(builtins, "get_ipython")
        or stdin_module.startswith("idlelib")
        or hasattr(stream, "rich_proxied_file")
        or not (getattr(stream, "encoding", "utf-8") or "utf-8").lower().startswith("utf")
    ):
        return None
    # as rich's Console.is_terminal decides
    compatible, force = os.environ.get("TTY_COMPATIBLE", ""), os.environ.get("FORCE_COLOR")
    if compatible in ("0", "1"):
        terminal = compatible == "1"
    elif force is not None:
        terminal = force != ""
    else:
        try:
            terminal = bool(stream.isatty())
        except (AttributeError, ValueError):  # no isatty, or a closed file
            terminal = False
    if not terminal:
        return "plain"
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):  # rich draws 80 columns there, whatever it is told
        return None
    return "styled"


def _box_table(
    title: list[str],
    headers: list[str],
    rows: list[list[str]],
    widths: list[int],
    width: int,
    show_lines: bool,
    styled: bool = False,
) -> str | None:
    """What a rich Table (heavy head box, padding of one space, columns ``widths`` wide, ``title`` lines centred
    above) prints on a console ``width`` columns wide, character for character: with ``styled`` as on a terminal
    (bold headers, an italic title), else as into a file; None when rich would lay it out some other way (a line
    wider than its column, a table wider than ``width``, text it reads as markup, emoji codes, control characters
    or joiners, a header of several lines on a terminal): then rich draws it.

    >>> drawn = _box_table(["结果"], ["城市", "n"], [["潜江市", "1"], ["随州市", "12"]], [6, 2], 40, False)
    >>> drawn.split("\\n")[0]  # the title, centred over the table
    '     结果      '
    >>> print(drawn[drawn.index("\\n") + 1 :], end="")
    ┏━━━━━━━━┳━━━━┓
    ┃ 城市   ┃ n  ┃
    ┡━━━━━━━━╇━━━━┩
    │ 潜江市 │ 1  │
    │ 随州市 │ 12 │
    └────────┴────┘
    >>> _box_table([], ["a"], [["[b]bold[/b]"]], [11], 40, False) is None
    True
    """
    import re

    from rich.cells import cell_len

    # markup, control characters, joiners (rich measures them with their neighbours), :emoji: codes, a final \\
    rewritten = re.compile(r"[\[\x00-\x09\x0b-\x1f\x7f-\x9f\u200d\ufe0f]|:\S*?:|\\\Z")
    word = re.compile(r"\s*\S+\s*")
    trailing = re.compile(r"\s+$")
    outer = [w + 2 for w in widths]
    table_width = sum(outer) + len(outer) + 1
    if table_width > width or any(rewritten.search(t) for t in [*title, *headers, *(c for r in rows for c in r)]):
        return None
    if styled and any("\n" in h for h in headers):
        return None
    bold, italic, reset = ("\x1b[1m", "\x1b[3m", "\x1b[0m") if styled else ("", "", "")

    def fitted(line: str, room: int) -> tuple[str, int] | None:
        """``line`` as rich keeps it on one line of ``room`` cells, and its width; None if rich would break it."""
        offset = 0
        for w in word.findall(line):
            if room - offset < cell_len(w.rstrip()):
                return None
            offset += cell_len(w)
        if len(line) > room:  # rich drops trailing spaces past ``room`` characters
            space = trailing.search(line)
            if space:
                line = line[: len(line) - min(len(space.group()), len(line) - room)]
        size = cell_len(line)
        return None if size > room else (line, size)

    def row(cells: list[str], edge: str, head: bool = False) -> list[str] | None:
        columns = []
        for cell, room in zip(cells, widths, strict=True):
            lines = []
            for line in cell.split("\n"):
                kept = fitted(line, room)
                if kept is None:
                    return None
                text = kept[0] + " " * (room - kept[1])
                if head and styled:  # the padding and the text, each bold
                    lines.append(f"{bold} {reset}{bold}{text}{reset}{bold} {reset}")
                else:
                    lines.append(f" {text} ")
            columns.append(lines)
        height = max(map(len, columns))
        for lines, w in zip(columns, outer, strict=True):
            blank = [" " * w] * (height - len(lines))
            lines[:] = blank + lines if head else lines + blank
        return [edge + edge.join(parts) + edge for parts in zip(*columns, strict=True)]

    out = []
    for line in title:
        kept = fitted(line, table_width)
        if kept is None:
            return None
        line = kept[0].rstrip()
        left = (table_width - cell_len(line)) // 2
        out.append(italic + " " * left + line + " " * (table_width - left - cell_len(line)) + reset)
    out.append("┏" + "┳".join("━" * w for w in outer) + "┓")
    head = row(headers, "┃", head=True)
    if head is None:
        return None
    out += head
    out.append("┡" + "╇".join("━" * w for w in outer) + "┩")
    for k, cells in enumerate(rows):
        if k and show_lines:
            out.append("├" + "┼".join("─" * w for w in outer) + "┤")
        body = row(cells, "│")
        if body is None:
            return None
        out += body
    out.append("└" + "┴".join("─" * w for w in outer) + "┘")
    return "\n".join(out) + "\n"


def _note(value) -> None:
    """A sentence for people on stderr, in the chosen language, wrapped to the terminal's width."""
    click.echo("\n".join(_wrap_cells(_say(value), _output_width(), fold=False)), err=True)


#: Tables longer than this are printed one line per row without borders: rich takes about 0.7 ms a row.
LONG_TABLE = 200


def _print_table_plain(table: graph.Table) -> None:
    """A long table, one line per row: columns padded to their display width (CJK characters count two, numbers
    to the right), at most 40 wide; a longer cell pushes the rest of its row to the right rather than being cut."""
    from rich.cells import cell_len

    columns = table.display or [c for c in table.columns if not c.endswith("_id")]
    cells = [[_cell_text(row.get(c), ", ", _LANG["lang"]) for c in columns] for row in table.rows]
    headers = [_header(c, table.name) for c in columns]
    widths = [min(40, max(cell_len(c), *(cell_len(r[k]) for r in cells))) for k, c in enumerate(headers)]
    numeric = [all(isinstance(row.get(c), int | float) for row in table.rows) for c in columns]

    def pad(value: str, width: int, right: bool) -> str:
        space = " " * max(0, width - cell_len(value))
        return space + value if right else value + space

    lines = [_say(table.title)] if table.title else []
    for values in [headers, *cells]:
        line = "  ".join(pad(v, w, r) for v, w, r in zip(values, widths, numeric, strict=True))
        lines.append(line.rstrip())
        if values is headers:
            lines.append("  ".join("─" * w for w in widths))
    click.echo("\n".join(lines))


def _joiner(value) -> str:
    """Short names side by side, sentences one per line."""
    if isinstance(value, list | tuple) and all(len(str(v)) <= 12 for v in value):
        return ", "
    return "\n"


def _escape_markup(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _writes_stdout(function):
    """A closed or full stdout (``rank >&-``, ``rank > /dev/full``) is an error, exit 1, not lost output."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if sys.stdout is None:
            raise click.ClickException(say("cannot write the output: standard output is closed"))
        try:
            function(*args, **kwargs)
            sys.stdout.flush()
        except BrokenPipeError:
            _drop_stdout()  # the reader went away (| head): stop quietly
            raise SystemExit(141) from None
        except OSError as exc:
            _drop_stdout()
            raise click.ClickException(say("cannot write the output: {why}", why=os_reason(exc))) from None

    return wrapper


def _drop_stdout() -> None:
    """Point stdout at the null device, so that Python's own flush at exit does not fail a second time."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except Exception:  # noqa: BLE001  a stdout without a file descriptor (under a test runner): nothing to do
        pass


@_writes_stdout
def render(result, fmt: str) -> None:
    """Write a Table or Section to stdout in the chosen format; notes go to stderr."""
    tables = result.tables if isinstance(result, graph.Section) else [result]
    record = getattr(result, "record", None)
    notes = (list(result.notes) if isinstance(result, graph.Section) else []) + [n for t in tables for n in t.notes]
    if fmt == "json":
        click.echo(_json_result(result))
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if record is not None:
            writer.writerow(["field", "value"])
            writer.writerows(record.items())
            buffer.write("\n")
        for k, t in enumerate(tables):
            if k:
                buffer.write("\n")
            writer.writerow(t.columns)
            if len(t.columns) > 1:
                buffer.write(_csv_body(t))
            else:  # csv writes a row of one empty cell as ""
                writer.writerows([_cell_text(v, "; ")] for v in t.column_values(t.columns[0]))
        click.echo(buffer.getvalue(), nl=False)
    else:
        from rich.cells import cell_len

        if result.title and isinstance(result, graph.Section):
            click.echo(_say(result.title))
        if record is not None:
            keys = {key: _header(key, "entity") for key in record}
            width = max(map(cell_len, keys.values())) if record else 0
            room = max(20, _output_width() - width - 2)
            for key, value in record.items():
                parts = _wrap_cells(_cell_text(value, " | ", _LANG["lang"]), room)
                click.echo(keys[key] + " " * (width - cell_len(keys[key])) + "  " + parts[0])
                for part in parts[1:]:
                    click.echo(" " * (width + 2) + part)
        for t in tables:
            if len(t.rows) > LONG_TABLE:
                _print_table_plain(t)
            elif t.rows:
                _print_table_rich(t)
            else:
                click.echo(_say(say("{what}: none", what=t.title or t.name)))
    for note in notes:
        _note(note)


def output_options(command):
    """The ``--format`` option every row-producing command shares."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people; csv and json for scripts (nothing else on stdout).",
    )
    @_lang_option("tables, titles and notes")
    @functools.wraps(command)
    def wrapper(*args, lang=None, **kwargs):
        if lang:
            _LANG["lang"] = lang
        return command(*args, **kwargs)

    return wrapper


def _lang_option(what: str):
    """The ``--lang`` a command takes after its name, as after ``practice-graph``."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=None,
        help=f"The language of the {what}: zh or en (names and quotes stay as in the data). "
        "Default: practice-graph --lang, else zh.",
    )


# ---------------------------------------------------------------------------------------------------------------
# errors: the library's exceptions become one-line messages and exit codes


def asked_lang(args) -> str:
    """The language asked for on the command line (its last valid ``--lang``) or in PRACTICE_GRAPH_LANG, known
    before click parses anything, so that its own errors are said in it too."""
    lang = None
    args = list(args)
    for k, arg in enumerate(args):
        if arg == "--":
            break
        value = args[k + 1] if arg == "--lang" and k + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGS:
            lang = value
    if lang is None and os.environ.get("PRACTICE_GRAPH_LANG") in LANGS:
        lang = os.environ["PRACTICE_GRAPH_LANG"]
    return lang or DEFAULT_LANG


def _error_line(message) -> str:
    return _say(say("Error: {message}", message=message))


class Failure(click.ClickException):
    """A failure on valid input or bad data (exit 1), said in the chosen language."""

    def show(self, file=None) -> None:
        click.echo(_error_line(self.message), file=file, err=file is None)


class Interrupted(click.ClickException):
    """Ctrl-C: one line in the chosen language, exit 130 as a shell expects of SIGINT (click says "Aborted!")."""

    exit_code = 130

    def __init__(self):
        super().__init__(say("interrupted; no file was left half-written"))

    def show(self, file=None) -> None:
        click.echo(err=file is None, file=file)
        click.echo(_say(self.message), file=file, err=file is None)


class Usage(click.UsageError):
    """A usage error (exit 2), ours or click's, said in the chosen language: click writes its own in English with
    its values in place, so the Chinese is found from its templates (graph.lang.PARSER_ZH) and the structured
    fields of its exceptions."""

    def __init__(self, error: click.UsageError):
        super().__init__(error.message, error.ctx)
        self.error = error

    def show(self, file=None) -> None:
        if _LANG["lang"] != "zh":
            self.error.show(file)
            return
        ctx = self.ctx
        if ctx is not None:
            formatter = ctx.make_formatter()
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            formatter.write_usage(ctx.command_path, pieces, prefix=_parser_zh("Usage:"))
            click.echo(formatter.getvalue().rstrip("\n"), file=file, err=file is None)
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                hint = f"Try '{ctx.command_path} {option}' for help."
                click.echo(_parser_zh(hint) + "\n", file=file, err=file is None)
        click.echo(_error_line(_usage_message(self.error)), file=file, err=file is None)


def _parser_zh(message: str) -> str:
    from graph.lang import from_english

    return from_english(message) or message


def _usage_message(error: click.UsageError) -> str:
    """The Chinese of a usage error: ours from its template, click's from its fields and its templates."""
    from click.exceptions import MissingParameter, NoSuchCommand, NoSuchOption

    if not isinstance(error.message, str) or hasattr(error.message, "template"):
        return _say(error.message)
    if isinstance(error, NoSuchOption | NoSuchCommand):
        said = _parser_zh(error.message)
        if error.possibilities:
            names = ", ".join(repr(p) for p in sorted(error.possibilities))
            one = len(error.possibilities) == 1
            said += _parser_zh(f"Did you mean {names}?" if one else f"(Did you mean one of: {names}?)")
        return said
    if isinstance(error, MissingParameter) and error.param is not None:
        kind = {"argument": "Missing argument", "option": "Missing option"}.get(error.param.param_type_name)
        said = _parser_zh(kind or "Missing parameter") + " " + error.param.get_error_hint(error.ctx) + "。"
        extra = error.param.type.get_missing_message(param=error.param, ctx=error.ctx)
        if extra:
            said += _parser_zh(extra).replace(",\n\t", ", ")
        return said
    if isinstance(error, click.BadParameter):
        hint = error.param_hint or (error.param.get_error_hint(error.ctx) if error.param is not None else None)
        if hint is not None and not isinstance(hint, str):
            hint = " / ".join(repr(x) for x in hint)
        inner = _parser_zh(error.message)
        return _parser_zh(f"Invalid value for {hint}: x").replace("x", inner) if hint else inner
    return _parser_zh(error.message)


# ---------------------------------------------------------------------------------------------------------------
# help: Chinese unless --lang en (graph/help_zh.py holds the words; read only when help is printed)


def _help_width(text: str) -> int:
    """Terminal columns of ``text``: a CJK character counts two (without rich, which help does not import)."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _help_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, cut between Chinese characters or at spaces, never inside a
    run of letters and digits, before closing punctuation or after opening punctuation."""
    import re

    tokens: list[str] = []
    for token in re.findall(r"\s+|[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+|.", text):
        glue = tokens and not tokens[-1].isspace() and not token.isspace()
        if glue and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    lines, line = [], ""
    for token in tokens:
        if _help_width(line + token) > width and line.strip():
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Help:
    """Help in Chinese (the default) or English (``--lang en``): the Chinese of each command and option comes from
    graph/help_zh.py, keyed by their names; the examples are the English help's own."""

    def _help_key(self, ctx) -> str:
        return "" if ctx.parent is None else ctx.info_name

    def format_help(self, ctx, formatter) -> None:
        from graph import help_zh

        key = self._help_key(ctx)
        if _LANG["lang"] != "zh" or key not in help_zh.COMMANDS:
            super().format_help(ctx, formatter)
            return
        words = help_zh.WORDS
        width = formatter.width
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, prefix=words["Usage:"])
        english = inspect.cleandoc(self.help or "").split("\n\n")
        examples = [p for p in english if p.startswith("\b\nExample")]
        for paragraph in [*help_zh.COMMANDS[key][1].split("\n\n"), *examples]:
            formatter.write("\n")
            if paragraph.startswith("\b\n"):
                for line in paragraph[2:].splitlines():
                    for label, said in words.items():
                        line = line.replace(label, said) if line.strip() == label else line
                    formatter.write("  " + line + "\n")
            else:
                formatter.write("".join(f"  {line}\n" for line in _help_lines(paragraph, width - 2)))
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):
                rows.append((record[0], self._option_help(key, param, record[1])))
        self._write_rows(formatter, words["Options"], rows)
        if isinstance(self, click.Group):
            commands = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
            rows = [(n, help_zh.COMMANDS.get(n, (c.get_short_help_str(),))[0]) for n, c in commands if not c.hidden]
            self._write_rows(formatter, words["Commands"], rows)

    @staticmethod
    def _option_help(key: str, param, english: str) -> str:
        """The Chinese help of an option, with click's bracketed extras (default, range, env var) in Chinese."""
        import re

        from graph import help_zh

        name = "help" if param.name == "_click_default_help" else param.name
        said = help_zh.OPTIONS_BY_COMMAND.get((key, name)) or help_zh.OPTIONS.get(name)
        if said is None:
            return english
        own = param.help or ""
        # what click adds after the help: "[default: idf-cosine]", "[default: 10; x>=1]", "[env var: ...]"
        for found in re.finditer(r"\[([^\[\]]*)\]", english[len(own) :] if english.startswith(own) else ""):
            extras = []
            for item in found.group(1).split("; "):
                name, sep, value = item.partition(": ")
                extras.append(f"{help_zh.EXTRAS.get(name, name)}：{value}" if sep else help_zh.EXTRAS.get(name, name))
            said += "  [" + "；".join(extras) + "]"
        return said

    @staticmethod
    def _write_rows(formatter, heading: str, rows: list[tuple[str, str]]) -> None:
        if not rows:
            return
        first = min(30, max(_help_width(left) for left, _ in rows))
        room = max(20, formatter.width - first - 6)
        formatter.write(f"\n{heading}：\n")
        for left, right in rows:
            lines = _help_lines(right, room) or [""]
            if _help_width(left) <= first:
                formatter.write(f"  {left}{' ' * (first - _help_width(left))}  {lines[0]}\n".rstrip() + "\n")
                lines = lines[1:]
            else:
                formatter.write(f"  {left}\n")
            formatter.write("".join(f"{' ' * (first + 4)}{line}\n" for line in lines))


class Command(Help, click.Command):
    """A command whose help is said in the language asked."""


class Group(Help, click.Group):
    """The command group: help and errors said in the language asked (Chinese by default), errors one line each."""

    command_class = Command

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None:
            _LANG["lang"] = asked_lang(args)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise Usage(exc) from None

    def invoke(self, ctx):
        lang = _LANG["lang"]
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            for problem in exc.problems:
                click.echo(problem.said(lang), err=True)
            n = len(exc.problems)
            files = ", ".join(dict.fromkeys(os.path.basename(p.file) or p.file for p in exc.problems))
            summary = (
                say("1 problem in {files}", files=files) if n == 1 else say("{n} problems in {files}", n=n, files=files)
            )
            raise Failure(_say(summary)) from None
        except RequestError as exc:
            raise Usage(click.UsageError(message(exc), ctx=None)) from None
        except PracticeGraphError as exc:
            raise Failure(_say(message(exc))) from None
        except (Usage, Failure, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as exc:
            raise Usage(exc) from None
        except click.ClickException as exc:
            raise Failure(_say(exc.message)) from None
        except KeyboardInterrupt:
            raise Interrupted() from None


class Obj:
    """What the group passes to its commands: the data folder, loaded on first use."""

    def __init__(self, data, include_methods=False):
        self.data = data
        self.include_methods = include_methods

    @functools.cached_property
    def model(self) -> graph.Model:
        return graph.open_model(self.data, include_methods=self.include_methods)


pass_obj = click.make_pass_decorator(Obj)


@contextlib.contextmanager
def _progress(label: str):
    """A callback ``(done, total)`` that draws a progress bar on stderr when stderr is a terminal (None when it is
    not: a log or a pipe gets nothing), closing the bar at the end."""
    if not sys.stderr.isatty():
        yield None
        return
    bars = []

    def update(done: int, total: int) -> None:
        if not bars:
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=str),
    envvar="PRACTICE_GRAPH_DATA",
    default=None,
    help="Dataset folder (entities.csv, relations.csv, sources/). Default: the bundled dataset; "
    "env PRACTICE_GRAPH_DATA.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    envvar="PRACTICE_GRAPH_LANG",
    default=None,
    help="The language of tables, titles, notes, views and the report: zh (default) or en. Names and quotes "
    "stay as in the data; csv and json keep their English column ids. Env PRACTICE_GRAPH_LANG.",
)
@click.option(
    "--include-methods",
    is_flag=True,
    help="Compare cities on ways of working too (theme 工作推进机制: 试点先行, 督导督查, 常态化制度化, 责任落实), "
    "which similarity, recommendation, statistics and exports leave out by default.",
)
@click.version_option(graph.__version__, prog_name="practice-graph")
@click.pass_context
def cli(ctx, data, lang, include_methods):
    """Cities, the practices they report, and the initiatives those practices share.

    \b
    Examples:
      practice-graph stats
      practice-graph shared 潜江 随州
      practice-graph similar 潜江
      practice-graph view -o overview.html
    """
    # A dataset is hundreds of thousands of long-lived objects, which Python's default collector thresholds
    # (700, 10, 10) scan again and again: a fifth of loading and of a large view. Cycles are still collected.
    gc.set_threshold(*GC_THRESHOLDS)
    # the language was read from the arguments before parsing (Group.make_context): a command's own --lang wins
    ctx.obj = Obj(data, include_methods)


@cli.command()
@output_options
@pass_obj
def validate(obj, fmt):
    """Check the dataset: every problem on its own line as FILE:LINE: message; exit 1 if any.

    \b
    Example:
      practice-graph --data my-data validate
    """
    render(graph.queries.summary(obj.model), fmt)


@cli.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many initiatives to list.")
@output_options
@pass_obj
def stats(obj, top, fmt):
    """Counts by type, the most-shared initiatives, cities by number of initiatives and uniqueness.

    \b
    Example:
      practice-graph stats --top 5
    """
    render(graph.queries.stats(obj.model, top=top), fmt)


@cli.command()
@click.argument("name")
@output_options
@pass_obj
def show(obj, name, fmt):
    """One entity: its attributes and its relations, each with its evidence quote.

    NAME is a Chinese or English name, an alias or an id (潜江, 潜江市, Qianjiang, city:qianjiang).

    \b
    Examples:
      practice-graph show 潜江
      practice-graph show initiative:cadres-to-communities --format json
    """
    render(graph.queries.show(obj.model, name), fmt)


@cli.command()
@click.argument("cities", nargs=-1, required=True)
@output_options
@pass_obj
def shared(obj, cities, fmt):
    """The initiatives the CITIES have in common, each with every city's evidence.

    \b
    Examples:
      practice-graph shared 潜江 随州
      practice-graph shared 商洛 天门 --format csv
    """
    render(graph.queries.shared(obj.model, list(cities)), fmt)


# ---------------------------------------------------------------------------------------------------------------
# similarity and recommendation


def _metric_option(command):
    return click.option(
        "--metric",
        type=click.Choice(METRICS),
        default=DEFAULT_METRIC,
        show_default=True,
        help="Similarity measure (see docs: idf-cosine weighs rare shared initiatives more).",
    )(command)


@cli.command()
@click.argument("city")
@_metric_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many peers to list.")
@output_options
@pass_obj
def similar(obj, city, metric, top, fmt):
    """The cities most like CITY, each with its score, the p-value of the overlap, and the shared initiatives
    that explain the score (largest share first) with every city's quote.

    The bundled data is one self-reported snapshot: it shows who is alike and who could learn what, not who
    learned from whom. With reports on several dates, each peer also shows on how many shared initiatives each
    city reported first (report dates, not adoption dates).

    \b
    Examples:
      practice-graph similar 潜江
      practice-graph similar 商洛 --metric adamic-adar --top 3
      practice-graph similar Qianjiang --format json
    """
    from graph import similarity

    render(similarity.similar(obj.model, city, metric=metric, top=top), fmt)


@cli.command()
@_metric_option
@click.option("--top", default=3, show_default=True, type=click.IntRange(1), help="Peers per city.")
@click.option("--pairs", is_flag=True, help="The dyad table instead: every pair of cities with every measure.")
@output_options
@pass_obj
def rank(obj, metric, top, pairs, fmt):
    """Every city's nearest peers; with --pairs, every pair of cities (shared count, each measure, p-value, same
    province, distance in km), sorted by --metric: the dyad table for researchers.

    \b
    Examples:
      practice-graph rank --top 1
      practice-graph rank --pairs --format csv > dyads.csv
    """
    from graph import similarity

    render(similarity.rank(obj.model, metric=metric, top=top, pairs=pairs), fmt)


@cli.command()
@click.argument("city")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many initiatives.")
@click.option("--peers", default=5, show_default=True, type=click.IntRange(1), help="Nearest peers to draw on.")
@_metric_option
@output_options
@pass_obj
def recommend(obj, city, top, peers, metric, fmt):
    """Initiatives CITY lacks that its nearest peers have, each with the peers to learn it from and their quotes.

    The bundled data is one self-reported snapshot: it shows who is alike and who could learn what, not who
    learned from whom. With reports on several dates, each initiative also names the first city to report it,
    with the date (a report date, not an adoption date).

    \b
    Examples:
      practice-graph recommend 潜江
      practice-graph recommend 南阳 --peers 3 --metric jaccard
    """
    from graph import recommend as rec

    render(rec.recommend(obj.model, city, top=top, peers=peers, metric=metric), fmt)


@cli.command()
@click.option(
    "--metric",
    "metrics",
    type=click.Choice(METRICS),
    multiple=True,
    default=(DEFAULT_METRIC,),
    show_default=True,
    help="Measure to evaluate; repeat for several. The popularity baseline is always included.",
)
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1), help="Cut-off of hit@k and NDCG@k.")
@click.option("--peers", default=5, show_default=True, type=click.IntRange(1), help="Nearest peers to draw on.")
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(1), help="Bootstrap resamples.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the bootstrap.")
@output_options
@pass_obj
def evaluate(obj, metrics, k, peers, bootstrap, seed, fmt):
    """Leave-one-out hit@k, MRR and NDCG@k of recommendations by each measure, beside the popularity baseline,
    with bootstrap 95% intervals.

    Each city-initiative link whose initiative has two other cities is hidden in turn, the similarities are
    recomputed without it, and the city's missing initiatives are ranked: about 10 s for the 22,000 links of
    1,000 cities x 5,000 initiatives, 90 s for the 113,000 of 5,000 x 20,000; a progress bar on stderr when it is
    a terminal.

    \b
    Examples:
      practice-graph evaluate
      practice-graph evaluate --metric idf-cosine --metric jaccard --metric text -k 5
    """
    from graph import recommend as rec

    with _progress(_say(say("evaluating"))) as progress:
        table = rec.evaluate(obj.model, metrics=metrics, k=k, peers=peers, seed=seed, bootstrap=bootstrap,
                             progress=progress)  # fmt: skip
    render(table, fmt)


# ---------------------------------------------------------------------------------------------------------------
# history: dated reports


@cli.command()
@click.argument("initiative", required=False)
@click.option("--city", metavar="NAME", help="One city's reports instead of one initiative's.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    default=None,
    help="Write the timeline as an offline HTML view to this file instead of printing rows.",
)
@click.option(
    "--html", "as_html", is_flag=True, help="Write the HTML view to timeline[-NAME].html in the current folder."
)
@click.option("--ties", is_flag=True, help="HTML view: draw the inferred diffusion ties as arrows.")
@click.option("--open", "open_", is_flag=True, help="Open the HTML view in the default browser.")
@output_options
@pass_obj
def timeline(obj, initiative, city, output, as_html, ties, open_, fmt):
    """Who reported what when, first reporters first: every initiative, one INITIATIVE, or one --city.

    A date is the earliest dated source that reports the adoption (a report date, not an adoption date); the
    latest report is shown beside it, and the observation window (first and last dated source) under the table.
    With -o FILE (or --html) the same as an offline HTML view: cities as rows on a time axis, searchable, each
    dot with its source and quote; --ties adds the inferred diffusion ties as arrows. The page follows --lang
    (Chinese by default, English with --lang en).

    \b
    Examples:
      practice-graph timeline 红色物业
      practice-graph timeline --city 潜江 --format csv
      practice-graph timeline -o timeline.html --ties --open
    """
    if output is None and not as_html:
        if ties or open_:
            raise click.UsageError(say("--ties and --open go with -o FILE or --html"))
        from graph import diffusion

        render(diffusion.timeline(obj.model, initiative, city), fmt)
        return
    from graph.render.timeline import write_timeline

    path = write_timeline(obj.model, output, initiative, city, ties, _LANG["lang"])
    click.echo(str(path), err=True)
    if open_:
        click.launch(str(path))


@cli.command("diffusion")
@click.option(
    "--model",
    "transmission",
    type=click.Choice(["exponential", "power-law"]),
    default="exponential",
    show_default=True,
    help="How the time from one city's report to the next is distributed.",
)
@click.option("--edges", type=click.IntRange(1), default=None, help="Infer this many ties (else: --p-value).")
@click.option(
    "--p-value",
    "p_value",
    type=click.FloatRange(0, 1, min_open=True),
    default=None,
    help="Stop at the first tie whose p-value is above this.  [default: 0.05 without --edges]",
)
@output_options
@pass_obj
def diffusion_command(obj, transmission, edges, p_value, fmt):
    """Diffusion ties between cities inferred from the order of their first reports (NetInf), each with the
    initiatives that support it.

    Each initiative is a cascade of first report dates; a tie says the order fits "origin before destination"
    across initiatives. It is not proof that one city learned from the other, and report dates are not adoption
    dates.

    \b
    Examples:
      practice-graph diffusion
      practice-graph diffusion --edges 10 --model power-law --format csv
    """
    from graph import diffusion

    render(diffusion.diffusion(obj.model, transmission=transmission, edges=edges, p_value=p_value), fmt)


# ---------------------------------------------------------------------------------------------------------------
# interactive views


@cli.command()
@click.option("--city", metavar="NAME", help="The neighbourhood of a city (潜江, 潜江市, Qianjiang, city:qianjiang).")
@click.option(
    "--depth", type=click.IntRange(1), default=None, help="With --city: how many steps from the city.  [default: 1]"
)
@click.option("--initiative", metavar="NAME", help="One initiative: the cities adopting it, with their practices.")
@click.option("--theme", metavar="NAME", help="One theme: its initiatives and the cities adopting them.")
@click.option("--similarity", is_flag=True, help="Cities joined by their strongest significant similarities.")
@click.option(
    "--matrix",
    is_flag=True,
    help="The city x initiative matrix: alike cities and shared initiatives side by side, each cell's quote.",
)
@click.option(
    "--compare",
    nargs=2,
    metavar="CITY CITY",
    default=None,
    help="Two cities side by side (on the matrix page): what both report, what only one does, score, p, stability.",
)
@_metric_option
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default=None,
    help="map pins cities at their coordinates and places the rest around them.  [default: force]",
)
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default=None,
    help="initiative collapses practices: cities joined directly to the initiatives they adopt.  [default: practice]",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="The HTML file to write.  [default: a name derived from the view, in the current folder]",
)
@_lang_option("page's title, legend, panel and explanations")
@click.option("--open", "open_", is_flag=True, help="Open the file in the default browser.")
@pass_obj
def view(obj, city, depth, initiative, theme, similarity, matrix, compare, metric, layout, level, output, lang, open_):
    """Write an interactive HTML view: one file that works offline, with search, legend and details.

    Without a view option, the overview of every city, practice, initiative and theme. The file is
    self-contained (no network needed); its path is printed on stderr. --metric chooses the similarity
    of the --similarity view and of the peers listed in each city's details. --matrix draws the city x
    initiative matrix instead, and --compare two cities side by side on it (a presentation mode, key P, steps
    through cities or pairs with the arrow keys).

    \b
    Examples:
      practice-graph view -o overview.html
      practice-graph view --city 潜江 --depth 2 --open
      practice-graph view --initiative 党员干部下沉社区 --level initiative
      practice-graph view --similarity --layout map
      practice-graph view --city 潜江 --lang en
      practice-graph view --matrix
      practice-graph view --compare 潜江 随州
    """
    lang = lang or _LANG["lang"]
    if matrix or compare:
        from graph.render.matrix import check_view_options, write_matrix

        check_view_options(
            matrix, compare, city=city, depth=depth, initiative=initiative, theme=theme, similarity=similarity,
            layout=layout, level=level,
        )  # fmt: skip
        path = write_matrix(obj.model, output, metric, lang, compare)
    else:
        from graph.render import write_view
        from graph.views import default_filename, spec_from_options

        layout, level = layout or "force", level or "practice"
        spec = spec_from_options(city, depth, initiative, theme, similarity, metric, layout, level, lang)
        path = write_view(obj.model, spec, output or default_filename(spec))
    click.echo(str(path), err=True)
    if open_:
        click.launch(str(path))


# ---------------------------------------------------------------------------------------------------------------
# new articles


@cli.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=str))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    help="Folder for the candidate files. Default: a folder named after the (first) FILE, in the current folder.",
)
@click.option(
    "--apply",
    "apply_changes",
    is_flag=True,
    help="Merge the candidates into the data folder: validated first, old files kept in DATA/.backup/<time>/.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="With --apply: merge only the candidates at least this confident.  "
    "[default: 0.7 for articles (the uncertain rows are left out), 0 for a reviewed folder]",
)
@click.option(
    "--date",
    metavar="YYYY[-MM[-DD]]",
    default=None,
    help="The articles' date, before what their text says (needed when the text has none).",
)
@click.option(
    "--layout",
    type=click.Choice(["roundup", "news", "report", "multi"]),
    default=None,
    help="How to read the articles.  [default: detected from each text]",
)
@output_options
@pass_obj
def ingest_command(obj, files, out, apply_changes, min_confidence, date, layout, fmt):
    """Candidate rows from new articles (UTF-8 or GB18030 text), for review; --apply merges them.

    An article may be a roundup (sections under headings such as 潜江市:标题), one place's news report, a
    work report with numbered measures, or running text about several places; its date comes from its text
    (or --date). The candidates (entities.csv, relations.csv with status and confidence columns) go to --out
    for review; a reviewed folder given as FILE is merged with --apply. A second run adds nothing.

    \b
    Examples:
      practice-graph ingest article.txt --out review/
      practice-graph ingest --apply review/
      practice-graph ingest new/*.txt --apply --min-confidence 0.7
    """
    from graph.ingest import ingest

    if len(files) > 1:
        with click.progressbar(length=len(files), label=_say(say("ingesting")), file=sys.stderr) as bar:
            result = ingest(
                list(files), obj.data, out, apply_changes, min_confidence, lambda _: bar.update(1), date, layout
            )
    else:
        result = ingest(list(files), obj.data, out, apply_changes, min_confidence, date=date, layout=layout)
    render(result, fmt)


# ---------------------------------------------------------------------------------------------------------------
# exports and the report


@cli.command("export")
@click.argument(
    "fmt",
    metavar="FORMAT",
    type=click.Choice(
        ["graphml", "gexf", "json", "csv", "parquet", "cascades", "adoptions", "dyad-years", "dyad-years-parquet"]
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, path_type=str),
    default=None,
    help="File to write (csv: a folder). Default: practice-graph.graphml, .gexf, .json, practice-graph-csv/, "
    "practice-graph-dyads.parquet, practice-graph-dyad-years.parquet or practice-graph-FORMAT.csv in the current "
    "folder.",
)
@click.option(
    "--time-unit",
    type=click.Choice(["years", "days"]),
    default="years",
    show_default=True,
    help="cascades: event times in decimal years or in days since 1970-01-01.",
)
@click.option(
    "--pairs",
    type=click.Choice(["auto", "all", "shared"]),
    default="auto",
    show_default=True,
    help="csv and parquet: the dyad table's pairs: all, those sharing an initiative, or auto (all up to 2,000 "
    "cities, shared above).",
)
@pass_obj
def export_command(obj, fmt, output, time_unit, pairs):
    """Write the graph or its tables for other tools; prints the paths written on stderr.

    \b
    FORMAT is a file format, not an output style (hence an argument, not --format):
      graphml  Gephi, igraph (Python and R read_graph(..., format="graphml")), Cytoscape
      gexf     Gephi's own format
      json     networkx node-link JSON (graph.export.read_node_link reads it back)
      csv      a folder: adoption_matrix.csv, adoptions.csv (quotes), dyads.csv,
               entities.csv and relations.csv (with sources/: itself a dataset)
      parquet  the dyad table as one Parquet file (DuckDB, pandas, Spark, R arrow)
    From dated reports (report dates, not adoption dates; see docs/history.md):
      cascades    node_name, event_time, cascade_id (R NetworkInference)
      adoptions   one row per city and initiative: first report, source, quote (SPID-like)
      dyad-years  directed event history: initiative, year, i, j, reported, covariates
      dyad-years-parquet  the same table as one Parquet file

    \b
    Examples:
      practice-graph export graphml -o cities.graphml
      practice-graph export csv -o tables
      practice-graph export parquet --pairs all -o dyads.parquet
      practice-graph export cascades --time-unit days -o cascades.csv
    """
    from graph.export import export

    for path in export(obj.model, fmt, output, time_unit=time_unit, pairs=pairs):
        click.echo(str(path), err=True)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=str),
    default="practice-graph-report.html",
    show_default=True,
    help="HTML file to write.",
)
@_lang_option("report's own words")
@pass_obj
def report(obj, output, lang):
    """One self-contained HTML report for a meeting: headline numbers, the most-shared initiatives, a card per
    city (peers, what it could learn, quotes), a similarity heatmap, communities and the overview graph.

    The file works offline, prints cleanly and holds no external link. Similarity says who is alike, not who
    learned from whom: the data is one self-reported snapshot without dates.

    \b
    Example:
      practice-graph report -o meeting.html
    """
    from graph.report import write_report

    path = write_report(obj.model, output, lang or _LANG["lang"])
    click.echo(str(path), err=True)


def main() -> None:  # pragma: no cover
    cli(prog_name="practice-graph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(cli(prog_name="practice-graph"))
