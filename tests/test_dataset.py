"""Loading and validation: every problem with its file and line, and the encodings Excel users produce."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph.dataset
from graph.dataset import decode_text, load_dataset
from graph.errors import DatasetError
from graph.lang import text

BAD = Path(__file__).parent / "fixtures" / "bad"

# fixture file -> the exact problems it must produce, as (file, line, message)
EXPECTED = {
    "missing-column.entities.csv": [("entities.csv", 1, "missing column(s): name (unknown column(s): title)")],
    "duplicate-id.entities.csv": [("entities.csv", 5, "duplicate id 'city:yi' (first on line 4)")],
    "bad-id.entities.csv": [
        ("entities.csv", 20, "id 'theme:Extra Theme' does not match type:slug (lower-case a-z, 0-9, -)")
    ],
    "prefix-mismatch.entities.csv": [
        ("entities.csv", 20, "id 'theme:extra' does not start with its type 'initiative'")
    ],
    "unknown-type.entities.csv": [
        (
            "entities.csv",
            20,
            "unknown type 'region' (expected one of province, city, practice, initiative, theme, event, source)",
        )
    ],
    "empty-name.entities.csv": [("entities.csv", 6, "empty name for city:ding")],
    "missing-name-en.entities.csv": [("entities.csv", 6, "empty name_en for city:ding (required for a city)")],
    "lat-out-of-range.entities.csv": [("entities.csv", 6, "lat 95.0 is out of range [-90, 90]")],
    "lat-not-number.entities.csv": [("entities.csv", 6, "lat '北纬30.7' is not a number")],
    "only-lat.entities.csv": [("entities.csv", 6, "city:ding has only one of lat and lon")],
    "date-not-iso.entities.csv": [
        ("entities.csv", 8, "date '22/10/2020' is not ISO 8601 (2020, 2020-07 or 2020-07-01)")
    ],
    "date-not-a-day.entities.csv": [("entities.csv", 8, "date '2020-02-30' is not a day of the calendar")],
    "date-on-a-city.entities.csv": [
        ("entities.csv", 6, "city:ding has a date, but a city has none (only event, practice, source)")
    ],
    "unknown-level.entities.csv": [
        (
            "entities.csv",
            6,
            "unknown level '大城市' (expected one of 地级市, 省直辖县级市, 林区, 县级市, 县, 区, 自治州, 地区, 盟, "
            "自治县, 旗, 自治旗, 特区, 新区, 直辖市)",
        )
    ],
    "not-text.entities.csv": [("entities.csv", 2, "not UTF-8 or GB18030 text: cannot decode byte(s) ff")],
    "mixed-encoding.entities.csv": [
        ("entities.csv", 6, "the file is GB18030, but this line is UTF-8: save the file in one encoding")
    ],
    "control-character.entities.csv": [("entities.csv", 6, "name holds a control character (U+0001): remove it")],
    "nul-in-name.entities.csv": [("entities.csv", 6, "name holds a control character (U+0000): remove it")],
    "zero-width-name.entities.csv": [("entities.csv", 6, "empty name for city:ding")],
    "number-with-underscore.entities.csv": [("entities.csv", 6, "lat '3_0.7' is not a number")],
    "full-width-digits.entities.csv": [("entities.csv", 6, "lat '３０.７' is not a number")],
    "unclosed-quote.entities.csv": [
        (
            "entities.csv",
            6,
            'unclosed quote: a " opened on this line is never closed (the rest of the file was read as one cell)',
        )
    ],
    "dangling-reference.relations.csv": [("relations.csv", 26, "unknown target 'province:shaanxi'")],
    "wrong-types.relations.csv": [
        (
            "relations.csv",
            26,
            "reports joins city -> practice, not city -> initiative (city:jia -> initiative:volunteering)",
        )
    ],
    "unknown-relation.relations.csv": [
        (
            "relations.csv",
            26,
            "unknown relation 'likes' (expected one of located_in, attended, covers, reports, part_of, instance_of, "
            "belongs_to)",
        )
    ],
    "evidence-not-verbatim.relations.csv": [
        ("relations.csv", 15, "evidence not found verbatim in source:mini-article: '开展志愿者服务'")
    ],
    "evidence-missing.relations.csv": [("relations.csv", 13, "reports needs evidence (a quote from the document)")],
    "document-not-source.relations.csv": [("relations.csv", 21, "document 'event:meeting' is an event, not a source")],
    "duplicate-relation.relations.csv": [
        ("relations.csv", 26, "duplicate relation city:jia located_in province:hubei (first on line 2)")
    ],
    "part-of-cycle.relations.csv": [("relations.csv", 10, "part_of cycle through practice:jia-report")],
    "several.relations.csv": [
        (
            "relations.csv",
            26,
            "unknown relation 'likes' (expected one of located_in, attended, covers, reports, part_of, instance_of, "
            "belongs_to)",
        ),
        ("relations.csv", 27, "unknown target 'province:shaanxi'"),
        ("relations.csv", 28, "reports needs evidence (a quote from the document)"),
        (
            "relations.csv",
            28,
            "practice:ding-assess is reported by city:jia and by city:ding (line 19): a practice belongs to one city",
        ),
    ],
}


#: fixture file -> the same problems' messages in Chinese, as validate lists them by default
EXPECTED_ZH = {
    "bad-id.entities.csv": ["标识“theme:Extra Theme”不符合 类型:名称 的格式（小写 a-z、0-9、-）"],
    "control-character.entities.csv": ["name 中有控制字符（U+0001）：请删除"],
    "dangling-reference.relations.csv": ["target 中的“province:shaanxi”不存在"],
    "date-not-a-day.entities.csv": ["日期“2020-02-30”在日历上不存在"],
    "date-not-iso.entities.csv": ["日期“22/10/2020”不是 ISO 8601 格式（2020、2020-07 或 2020-07-01）"],
    "date-on-a-city.entities.csv": ["city:ding 有日期，但城市没有日期（只有 event, practice, source 有）"],
    "document-not-source.relations.csv": ["来源文献“event:meeting”是会议，不是来源"],
    "duplicate-id.entities.csv": ["标识“city:yi”重复（首次出现在第 4 行）"],
    "duplicate-relation.relations.csv": ["关系 city:jia located_in province:hubei 重复（首次出现在第 2 行）"],
    "empty-name.entities.csv": ["city:ding 的名称为空"],
    "evidence-missing.relations.csv": ["reports 需要原文依据（来源文献中的引文）"],
    "evidence-not-verbatim.relations.csv": ["在 source:mini-article 中找不到逐字相同的原文依据：“开展志愿者服务”"],
    "full-width-digits.entities.csv": ["lat 的值“３０.７”不是数字"],
    "lat-not-number.entities.csv": ["lat 的值“北纬30.7”不是数字"],
    "lat-out-of-range.entities.csv": ["lat 95.0 超出范围 [-90, 90]"],
    "missing-column.entities.csv": ["缺少列：name（未知的列：title）"],
    "missing-name-en.entities.csv": ["city:ding 的英文名 name_en 为空（城市必须有英文名）"],
    "mixed-encoding.entities.csv": ["文件是 GB18030 编码，但这一行是 UTF-8：请用同一种编码保存文件"],
    "not-text.entities.csv": ["不是 UTF-8 或 GB18030 文本：无法解码字节 ff"],
    "nul-in-name.entities.csv": ["name 中有控制字符（U+0000）：请删除"],
    "number-with-underscore.entities.csv": ["lat 的值“3_0.7”不是数字"],
    "only-lat.entities.csv": ["city:ding 只有 lat 和 lon 中的一个"],
    "part-of-cycle.relations.csv": ["part_of 关系经过 practice:jia-report 形成环"],
    "prefix-mismatch.entities.csv": ["标识“theme:extra”不以其类型“initiative”开头"],
    "several.relations.csv": [
        "未知的关系“likes”（可选：located_in, attended, covers, reports, part_of, instance_of, belongs_to）",
        "target 中的“province:shaanxi”不存在",
        "reports 需要原文依据（来源文献中的引文）",
        "practice:ding-assess 由 city:jia 报告，又由 city:ding 报告（第 19 行）：一项做法只属于一个城市",
    ],
    "unclosed-quote.entities.csv": ['引号未闭合：这一行开始的 " 始终没有闭合（文件其余部分被读成了一个单元格）'],
    "unknown-level.entities.csv": [
        "未知的行政级别“大城市”（可选：地级市, 省直辖县级市, 林区, 县级市, 县, 区, 自治州, 地区, 盟, 自治县, 旗, "
        "自治旗, 特区, 新区, 直辖市）"
    ],
    "unknown-relation.relations.csv": [
        "未知的关系“likes”（可选：located_in, attended, covers, reports, part_of, instance_of, belongs_to）"
    ],
    "unknown-type.entities.csv": [
        "未知的类型“region”（可选：province, city, practice, initiative, theme, event, source）"
    ],
    "wrong-types.relations.csv": [
        "reports 连接 city -> practice，而不是 city -> initiative（city:jia -> initiative:volunteering）"
    ],
    "zero-width-name.entities.csv": ["city:ding 的名称为空"],
}


def test_every_bad_fixture_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED) == sorted(EXPECTED_ZH)


def _with(mini_copy: Path, fixture: str) -> Path:
    kind = fixture.rsplit(".", 2)[1]
    shutil.copy(BAD / fixture, mini_copy / f"{kind}.csv")
    return mini_copy


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_bad_fixture_reports_exactly_its_problems(mini_copy, fixture):
    root = _with(mini_copy, fixture)
    with pytest.raises(DatasetError) as info:
        load_dataset(root)
    got = [(Path(p.file).name, p.line, p.message) for p in info.value.problems]
    assert got == EXPECTED[fixture]
    # the same problems said in Chinese (the default of the command line), each at its file and line
    assert [text(p.message, "zh") for p in info.value.problems] == EXPECTED_ZH[fixture]
    assert [p.said("zh") for p in info.value.problems] == [
        f"{p.file}:{p.line}: {zh}" for p, zh in zip(info.value.problems, EXPECTED_ZH[fixture], strict=True)
    ]
    assert [p.said("en") for p in info.value.problems] == [str(p) for p in info.value.problems]
    for problem in info.value.problems:
        assert str(problem).startswith(f"{root / problem.file.rsplit('/', 1)[-1]}:{problem.line}: ")


def test_mini_loads(mini_dir):
    ds = load_dataset(mini_dir)
    assert len(ds.of_type("city")) == 4
    assert ds.entities["city:jia"].aliases == ("甲城", "Jiashi")
    assert ds.entities["city:jia"].lat == pytest.approx(30.4)
    assert ds.entities["event:meeting"].lat is None
    assert len(ds.relations) == 24
    assert "甲山市:党员下沉社区 推动治理" in ds.texts["source:mini-article"]


def _rows(ds):
    return (
        sorted(e.as_row().items().__repr__() for e in ds.entities.values()),
        sorted(repr(r.as_row()) for r in ds.relations),
    )


@pytest.mark.parametrize(
    "encoding, newline, bom",
    [("utf-8", "\n", False), ("utf-8", "\r\n", True), ("gb18030", "\r\n", False), ("gb18030", "\n", False)],
)
def test_encodings_and_line_ends_load_the_same(mini_dir, mini_copy, encoding, newline, bom):
    for name in ("entities.csv", "relations.csv"):
        text = (mini_dir / name).read_text(encoding="utf-8").replace("\n", newline)
        data = text.encode(encoding)
        (mini_copy / name).write_bytes(("\ufeff".encode() if bom else b"") + data)
    text = (mini_dir / "sources" / "mini-article.txt").read_text(encoding="utf-8")
    (mini_copy / "sources" / "mini-article.txt").write_bytes(text.replace("\n", newline).encode(encoding))
    assert _rows(load_dataset(mini_copy)) == _rows(load_dataset(mini_dir))


def test_stray_spaces_are_ignored(mini_dir, mini_copy):
    path = mini_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    spaced = [", ".join(f" {cell} " for cell in line.split(",")) for line in lines]
    path.write_text("\n".join(spaced) + "\n", encoding="utf-8")
    assert _rows(load_dataset(mini_copy)) == _rows(load_dataset(mini_dir))


def test_a_source_id_without_prefix_is_one_problem(mini_copy):
    path = mini_copy / "entities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("source:mini-article,", "mini-article,"), "utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    messages = [p.message for p in info.value.problems]
    assert "id 'mini-article' does not match type:slug (lower-case a-z, 0-9, -)" in messages
    assert not any(m.startswith("no text for") for m in messages)


def test_unreadable_relations_do_not_cascade(mini_copy):
    (mini_copy / "relations.csv").write_text("source,relation,to,evidence,document\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert [str(p) for p in info.value.problems] == [
        f"{mini_copy / 'relations.csv'}:1: missing column(s): target (unknown column(s): to)"
    ]


def test_missing_folder_is_one_problem(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / "nowhere")
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'nowhere'}:0: folder not found: expected a dataset folder with entities.csv and relations.csv"
    ]


def test_missing_files_are_named(tmp_path):
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'entities.csv'}:0: file not found",
        f"{tmp_path / 'relations.csv'}:0: file not found",
    ]


def test_missing_source_text(mini_copy):
    (mini_copy / "sources" / "mini-article.txt").unlink()
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    first = info.value.problems[0]
    assert (Path(first.file).name, first.line) == ("entities.csv", 8)
    assert first.message.startswith("no text for source:mini-article: ")


def test_decode_text_rejects_what_is_neither():
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\xff\xff")


def test_real_dataset_is_valid(real_model):
    ds = real_model.dataset
    assert len(ds.of_type("city")) == 13
    for relation in ds.relations:
        if relation.evidence:
            assert relation.evidence in ds.texts[relation.document]


@pytest.mark.parametrize("value", ["30", "-30.5", "+30.", ".5", "3e1", "3E+1"])
def test_numbers_frictionless_accepts_load(mini_copy, value):
    path = mini_copy / "entities.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace("30.7", value)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert load_dataset(mini_copy).entities["city:ding"].lat == float(value)


def _chain(mini_copy: Path, depth: int, cycle: bool) -> None:
    """A part_of chain ``depth`` practices deep under jia's headline practice (closed into a cycle if asked)."""
    ids = [f"practice:deep-{i}" for i in range(depth)]
    with open(mini_copy / "entities.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"{p},practice,深层做法{i},,,,,,\n" for i, p in enumerate(ids))
    with open(mini_copy / "relations.csv", "a", encoding="utf-8") as fh:
        for i, p in enumerate(ids):
            fh.write(f"city:jia,reports,{p},党员下沉社区,source:mini-article\n")
            parent = ids[i - 1] if i else "practice:jia-down"
            fh.write(f"{p},part_of,{parent},党员下沉社区,source:mini-article\n")
        if cycle:
            fh.write(f"{ids[0]},part_of,{ids[-1]},党员下沉社区,source:mini-article\n")


def test_a_deep_part_of_chain_loads_without_recursion(mini_copy):
    _chain(mini_copy, 5000, cycle=False)
    assert len(load_dataset(mini_copy).part_of_parents) == 5000 + 1


def test_a_deep_part_of_cycle_is_reported_once(mini_copy):
    _chain(mini_copy, 3000, cycle=True)
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert [p.message for p in info.value.problems] == ["part_of cycle through practice:deep-1"]


def test_a_source_text_linked_from_outside_the_folder_is_refused(mini_copy, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("甲山市:党员下沉社区 推动治理", encoding="utf-8")
    text = mini_copy / "sources" / "mini-article.txt"
    text.unlink()
    text.symlink_to(outside)
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert str(info.value.problems[0]) == (
        f"{mini_copy / 'entities.csv'}:8: no text for source:mini-article: {text} leads outside the data folder "
        "(a symlink): copy the text into sources/"
    )


def test_a_source_text_that_is_not_a_file_is_refused(mini_copy):
    text = mini_copy / "sources" / "mini-article.txt"
    text.unlink()
    os.mkfifo(text)  # reading it would wait for ever
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert info.value.problems[0].message.endswith("mini-article.txt is not a regular file")


def test_a_control_character_in_evidence_is_refused_at_its_line(mini_copy):
    with open(mini_copy / "relations.csv", "a", encoding="utf-8") as fh:
        fh.write("city:jia,attended,event:meeting,\x1b[31m,source:mini-article\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert [(p.line, p.message) for p in info.value.problems][0] == (
        26,
        "evidence holds a control character (U+001B): remove it",
    )


def test_found_in_one_pass_equals_substring_search(monkeypatch):
    from graph import dataset

    text = "推动党员干部下沉社区。党员干部下沉社区报到。红色物业。" * 50
    quotes = {"党员干部下沉社区", "下沉社区报到", "干部", "红色物业。红", "不在文中", "。"}
    expected = {q for q in quotes if q in text}
    monkeypatch.setattr(dataset, "_SCAN_BELOW", 0)  # force the automaton
    assert dataset.found_in(text, quotes) == expected


def test_every_problem_of_a_row_by_row_load_is_kept_by_the_fast_path(mini_copy):
    # a file the column-wise check would pass except for one row: the detailed checks name that row
    with open(mini_copy / "relations.csv", "a", encoding="utf-8") as fh:
        fh.write("city:jia,attended,event:meeting,,\n")  # the relation of line 6 again
        fh.write("city:jia,attended,event:meeting,,\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(mini_copy)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (26, "duplicate relation city:jia attended event:meeting (first on line 6)"),
        (27, "duplicate relation city:jia attended event:meeting (first on line 6)"),
    ]


# --- plain files are read whole and checked a column at a time; the row-by-row path must give the same result ---


@contextlib.contextmanager
def _row_by_row():
    """Load with every file read row by row and every row checked on its own (the path that names problems)."""
    with mock.patch.object(graph.dataset, "_WHOLE_FILES", False):
        yield


def _outcome(root: Path):
    """What loading ``root`` gives: the problems as text, or the entities, relations and texts."""
    try:
        ds = load_dataset(root)
    except DatasetError as exc:
        return [str(p) for p in exc.problems]
    entities = [
        (e.id, e.type, e.name, e.name_en, e.aliases, e.description, e.level, e.lat, e.lon, e.date, e.line)
        for e in ds.entities.values()
    ]
    relations = [(r.source, r.relation, r.target, r.evidence, r.document, r.line) for r in ds.relations]
    columns = ds.columns
    assert [list(c) for c in (columns.source, columns.relation, columns.target, columns.line)] == [
        [r[k] for r in relations] for k in (0, 1, 2, 5)
    ]
    return entities, relations, ds.texts


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_bad_fixtures_give_the_same_problems_both_ways(mini_copy, fixture):
    root = _with(mini_copy, fixture)
    fast = _outcome(root)
    with _row_by_row():
        assert _outcome(root) == fast


def test_plain_and_quoted_files_load_the_same_both_ways(mini_dir, mini_copy):
    fast = _outcome(mini_dir)
    assert isinstance(fast, tuple)
    with _row_by_row():
        assert _outcome(mini_dir) == fast
    # the same rows with every cell quoted: read by the csv module, not split at commas
    for name in ("entities.csv", "relations.csv"):
        with open(mini_dir / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        with open(mini_copy / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    assert _outcome(mini_copy) == fast


#: Cells a row may get instead of its own: blanks, spaces around a valid value, ids of other rows, bad values.
_CELL = st.sampled_from(
    ["", " ", "  city:jia", "city:jia ", "city:yi", "province:hubei", "practice:jia-report", "initiative:x",
     "source:mini-article", "source:nowhere", "event:meeting", "reports", "part_of", "located_in", "likes", "city",
     "practice", "theme", "Jia", "甲", " 甲 ", "\u200b", "30.5", "95", "abc", "2020-02-30", "2020-10", "县级市",
     "大城市", 'a"b', "a,b", "x|y| ", "党员下沉社区", "\x01"]
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],  # mini_dir is read-only
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["entities.csv", "relations.csv"]), st.integers(1, 30), st.integers(0, 9), _CELL),
        max_size=4,
    ),
    drop=st.lists(st.tuples(st.sampled_from(["entities.csv", "relations.csv"]), st.integers(1, 30)), max_size=2),
    widths=st.lists(
        st.tuples(st.sampled_from(["entities.csv", "relations.csv"]), st.integers(1, 30), st.booleans()), max_size=2
    ),
)
def test_edited_datasets_give_the_same_outcome_both_ways(mini_dir, edits, drop, widths):
    """Whatever a row holds, the fast path and the row-by-row path load the same, or name the same problems."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "data"
        shutil.copytree(mini_dir, root)
        for name in ("entities.csv", "relations.csv"):
            with open(root / name, encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            for file, row, col, cell in edits:
                if file == name and row < len(rows) and col < len(rows[row]):
                    rows[row][col] = cell
            for file, row in drop:
                if file == name and row < len(rows):
                    del rows[row]
            with open(root / name, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(rows)
            lines = (root / name).read_text(encoding="utf-8").split("\n")
            for file, line, wider in widths:  # a line with a cell more, or one less
                if file == name and line < len(lines) - 1:
                    lines[line] = lines[line] + ",x" if wider else lines[line].rpartition(",")[0]
            (root / name).write_text("\n".join(lines), encoding="utf-8")
        fast = _outcome(root)
        with _row_by_row():
            assert _outcome(root) == fast


#: Pieces of a file's bytes: line ends of every kind, control characters (C0, DEL, C1 in UTF-8), the two
#: non-characters, a BOM, Chinese in UTF-8 and in GB18030, a byte that starts a UTF-8 character and ends nothing.
_BYTES = st.sampled_from(
    [b"a", b",", b"\n", b"\r\n", b"\r", b"\t", b"\x01", b"\x1b", b"\x7f", "\x85".encode(), "\x9f".encode(),
     "\xb7".encode(), "\ufffe".encode(), "\uffff".encode(), "\ufeff".encode(), "甲".encode(), "甲".encode("gb18030"),
     b"\xe4"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_BYTES, max_size=12))
def test_a_file_read_whole_gives_the_text_and_control_characters_read_text_gives(pieces, tmp_path_factory):
    """The one pass over a CSV file's bytes gives the text read_text gives (or its error), and says whether it holds a
    control character only when it knows."""
    path = tmp_path_factory.mktemp("bytes") / "entities.csv"
    path.write_bytes(b"".join(pieces))
    try:
        expected = graph.dataset.read_text(path)
    except DatasetError as exc:
        with pytest.raises(DatasetError) as info:
            graph.dataset._read_csv_text(path)
        assert info.value.problems == exc.problems
        return
    text, controls = graph.dataset._read_csv_text(path)
    assert text == expected
    assert controls in (None, graph.dataset._CONTROL.search(expected) is not None)
    # known at once for UTF-8 with CRLF or LF line ends, no C0 control and no byte C2 (which starts U+0080-U+00BF)
    unsure = (b"\r", b"\x01", b"\x1b", b"\x7f", "\x85", "\x9f", "\xb7", "\ufffe", "\uffff", b"\xe4")
    unsure += ("甲".encode("gb18030"),)
    if not any(p in pieces or (isinstance(p, str) and p.encode() in pieces) for p in unsure):
        assert controls is not None


def test_validating_makes_no_entity_object(mini_dir):
    """Loading and ``validate`` read the entities' types only: the Entity objects are made on first use."""
    from graph.model import Model
    from graph.queries import summary

    ds = load_dataset(mini_dir)
    table = summary(Model(ds))
    assert "entities" not in ds.__dict__
    assert table.rows[0]["rows"] > 0
    assert ds.types == {eid: e.type for eid, e in ds.entities.items()}
    assert list(ds.types) == list(ds.entities)
    with _row_by_row():
        assert load_dataset(mini_dir).types == ds.types
