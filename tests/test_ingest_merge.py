"""Merging into a data folder under concurrency, faults and hostile review files; articles that are not text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import cli
from graph.dataset import load_dataset
from graph.files import JOURNAL_NAME, DataLock, FolderBusyError
from graph.ingest import Candidates, apply, read_article
from graph.ingest import merge as merge_module
from graph.schema import ENTITY_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "articles" / "two-cities.txt"


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder (its lock file aside) by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".practice-graph.lock"
    }


def _review(runner, data: Path, out: Path) -> Path:
    result = runner.invoke(cli, ["--data", str(data), "ingest", str(ARTICLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _theme(eid: str) -> Candidates:
    row = dict.fromkeys(ENTITY_COLUMNS, "")
    row.update(id=eid, type="theme", name="测试主题" + eid[-1], name_en="Test " + eid, status="new", confidence=1.0)
    return Candidates(entities=[row])


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# ---------------------------------------------------------------------------------------------------------------
# two writers


@pytest.mark.usefixtures("english")
def test_a_second_writer_is_refused_with_one_line(runner, mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PRACTICE_GRAPH_LOCK_TIMEOUT", "0")
    before = _snapshot(mini_copy)
    with DataLock(mini_copy, timeout=0):  # another process is merging
        result = runner.invoke(
            cli, ["--data", str(mini_copy), "ingest", str(ARTICLE), "--apply", "--out", str(tmp_path / "r")]
        )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: {mini_copy} is being written by another practice-graph process; try again when it has finished"
    )
    assert "Traceback" not in result.output
    assert _snapshot(mini_copy) == before


def test_a_writer_never_overwrites_what_another_added_meanwhile(mini_copy, monkeypatch):
    """Writer B tries to merge while writer A is between reading and writing: B is refused, not silently lost."""
    outcomes = {}
    load = merge_module.load_dataset

    def b_runs_once_a_has_read(root, *args, **kwargs):
        dataset = load(root, *args, **kwargs)
        if "b" not in outcomes and Path(root) == mini_copy:
            outcomes["b"] = "running"
            try:
                apply(mini_copy, _theme("theme:b"), backup=False)
                outcomes["b"] = "merged"
            except FolderBusyError:
                outcomes["b"] = "refused"
        return dataset

    monkeypatch.setattr(merge_module, "load_dataset", b_runs_once_a_has_read)
    monkeypatch.setenv("PRACTICE_GRAPH_LOCK_TIMEOUT", "0")
    apply(mini_copy, _theme("theme:a"), backup=False)
    themes = {e.id for e in load_dataset(mini_copy).of_type("theme")}
    assert "theme:a" in themes
    assert outcomes["b"] == "refused" or "theme:b" in themes  # a writer told it merged keeps its rows
    assert outcomes["b"] == "refused"


def test_the_data_is_read_again_under_the_lock(mini_copy):
    # both candidate sets were made from the same data; the second merge keeps what the first added
    apply(mini_copy, _theme("theme:a"), backup=False)
    apply(mini_copy, _theme("theme:b"), backup=False)
    assert {"theme:a", "theme:b"} <= {e.id for e in load_dataset(mini_copy).of_type("theme")}


# ---------------------------------------------------------------------------------------------------------------
# all or nothing


@pytest.mark.usefixtures("english")
def test_a_failing_rename_leaves_the_folder_as_it_was(runner, mini_copy, monkeypatch):
    before = _snapshot(mini_copy)
    real_replace = os.replace

    def fail_on_relations(src, dst, *args, **kwargs):
        if str(dst).endswith("relations.csv") and Path(dst).parent == mini_copy:
            raise OSError(30, "Read-only file system", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", fail_on_relations)
    result = runner.invoke(
        cli, ["--data", str(mini_copy), "ingest", str(ARTICLE), "--apply", "--out", str(mini_copy.parent / "r")]
    )
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: cannot write {mini_copy / 'relations.csv'}: Read-only file system; "
        f"{mini_copy} is unchanged (previous files restored)"
    )
    after = {k: v for k, v in _snapshot(mini_copy).items() if not k.startswith(".backup/")}
    assert after == before
    load_dataset(mini_copy)


KILL_BETWEEN_RENAMES = """
import os, sys
real = os.replace
def replace(src, dst, *a, **k):
    if str(dst).endswith("relations.csv") and os.path.basename(os.path.dirname(str(dst))) == "data":
        os._exit(9)  # killed after entities.csv was renamed, before relations.csv
    return real(src, dst, *a, **k)
os.replace = replace
from cli import cli
cli(sys.argv[1:])
"""


def test_a_kill_between_renames_is_rolled_back_by_the_next_command(runner, mini_copy, tmp_path):
    before = _snapshot(mini_copy)
    args = ["--data", str(mini_copy), "ingest", str(ARTICLE), "--apply", "--out", str(tmp_path / "r")]
    done = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, *args], cwd=ROOT, capture_output=True)
    assert done.returncode == 9, done.stderr.decode()
    assert (mini_copy / JOURNAL_NAME).exists()  # half-written, and it knows
    result = runner.invoke(cli, ["--data", str(mini_copy), "validate"])
    assert result.exit_code == 0, result.output
    after = {k: v for k, v in _snapshot(mini_copy).items() if not k.startswith(".backup/")}
    assert after == before


# ---------------------------------------------------------------------------------------------------------------
# hostile and mistaken review folders


@pytest.mark.usefixtures("english")
def test_a_source_id_leading_outside_writes_nothing_anywhere(runner, tmp_path):
    import shutil

    data = tmp_path / "x" / "y" / "data"
    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "mini", data)
    (tmp_path / "a" / "b").mkdir(parents=True)
    out = _review(runner, data, tmp_path / "a" / "b" / "review")
    for name in ("entities.csv", "relations.csv"):
        path = out / name
        path.write_text(path.read_text(encoding="utf-8").replace("source:two-cities", "source:../../../pwned"), "utf-8")
    planted = tmp_path / "a" / "pwned.txt"  # where the review folder's text of that id would be read
    planted.write_text((out / "sources" / "two-cities.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = _snapshot(data)
    result = runner.invoke(cli, ["--data", str(data), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        f"{out}/entities.csv:2: id 'source:../../../pwned' is not a type:slug of a-z, 0-9 and -"
    )
    assert sorted(p for p in tmp_path.rglob("pwned*")) == [planted]
    assert _snapshot(data) == before


@pytest.mark.usefixtures("english")
def test_a_stray_quote_in_a_name_cell_is_an_error_at_its_line(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path / "review")
    path = out / "entities.csv"
    number = _line_of(path, ",戊城市,")
    text = path.read_text(encoding="utf-8").replace(",戊城市,", ',"戊城市,', 1)
    path.write_text(text, encoding="utf-8")
    before = _snapshot(mini_copy)
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{number}: ") and "stray quote" in first, first
    assert _snapshot(mini_copy) == before


@pytest.mark.usefixtures("english")
def test_a_candidate_city_renamed_in_one_file_is_an_error(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path / "review")
    path = out / "entities.csv"
    old_id = next(r.split(",")[0] for r in path.read_text(encoding="utf-8").splitlines() if ",戊城市," in r)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old_id + ",city,", "city:renamed-by-hand,city,", 1), encoding="utf-8")
    relations = out / "relations.csv"
    number = _line_of(relations, old_id + ",")
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0].startswith(f"{relations}:{number}: unknown source '{old_id}'")


@pytest.mark.parametrize("value", ["nan", "inf", "-0.5", "1.5"])
@pytest.mark.usefixtures("english")
def test_a_confidence_that_is_not_a_probability_is_an_error(runner, mini_copy, tmp_path, value):
    out = _review(runner, mini_copy, tmp_path / "review")
    path = out / "relations.csv"
    number = _line_of(path, "组织党员干部下沉社区,source:two-cities,new,0.85")
    text = path.read_text(encoding="utf-8").replace(
        "组织党员干部下沉社区,source:two-cities,new,0.85", f"组织党员干部下沉社区,source:two-cities,new,{value}", 1
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (f"{path}:{number}: confidence '{value}' is not a number between 0 and 1")


def test_a_cell_over_the_csv_limit_is_an_error_at_its_line(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path / "review")
    path = out / "relations.csv"
    number = _line_of(path, "组织党员干部下沉社区,source:two-cities")
    huge = "长" * 140_000
    text = path.read_text(encoding="utf-8").replace(
        "组织党员干部下沉社区,source:two-cities", f"{huge},source:two-cities"
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{number}: ") and "131,072" in first, first


# ---------------------------------------------------------------------------------------------------------------
# the same article twice; articles that are not text files


def test_the_same_file_applied_twice_says_nothing_new(runner, mini_copy, tmp_path):
    out = tmp_path / "review"
    args = ["--data", str(mini_copy), "ingest", str(ARTICLE), "--apply", "--out", str(out)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    review = _snapshot(out)
    data = _snapshot(mini_copy)
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert f"没有新内容：{mini_copy} 已包含全部采纳的候选数据" in again.stderr
    assert "holds other candidates" not in again.stderr
    assert _snapshot(out) == review and _snapshot(mini_copy) == data


def test_a_merged_review_folder_is_replaced_by_the_next_run(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path / "review")
    path = out / "entities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",new,0.85,", ",rejected,0.85,", 1), encoding="utf-8")
    assert runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)]).exit_code == 0
    # the review was merged: the same article, ingested again, may write its (different) candidates there
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", str(ARTICLE), "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_a_device_is_refused_unread():
    with pytest.raises(Exception) as info:
        read_article("/dev/zero")
    assert (
        str(info.value.problems[0])
        == "/dev/zero:0: not a regular file (a device, pipe or socket): expected a text file"
    )


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    from graph.ingest.reading import MAX_ARTICLE_BYTES

    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(MAX_ARTICLE_BYTES + 1)  # sparse: no time spent writing it
    with pytest.raises(Exception) as info:
        read_article(big)
    assert str(info.value.problems[0]) == (
        f"{big}:0: {MAX_ARTICLE_BYTES + 1:,} bytes: articles over 20 MiB are refused: split it into several files"
    )


@pytest.mark.usefixtures("english")
def test_the_cli_refuses_dev_zero_with_a_message(runner, mini_copy):
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "/dev/zero"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "/dev/zero:0: not a regular file (a device, pipe or socket): expected a text file"
    )


@pytest.mark.slow
def test_two_processes_applying_at_once_lose_nothing(mini_copy, tmp_path):
    """Two real ``ingest --apply`` processes started together: each either merges everything it reports or is
    refused with one line; whatever merged is in the folder at the end, and the folder validates."""
    places = ARTICLE.parent / "places-in-china.txt"
    runs = [
        subprocess.Popen(
            [sys.executable, "cli.py", "--data", str(mini_copy), "ingest", str(article), "--apply"]
            + ["--out", str(tmp_path / f"r{n}"), "--format", "csv"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, article in enumerate((ARTICLE, places))
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    dataset = load_dataset(mini_copy)
    merged = 0
    for run, (_out, err) in zip(runs, outputs, strict=True):
        if run.returncode == 0:
            merged += 1
            assert "添加" in err
        else:
            assert run.returncode == 1 and "being written by another practice-graph process" in err, err
    names = {e.name for e in dataset.of_type("city")}
    assert merged >= 1
    if runs[0].returncode == 0:
        assert "戊城市" in names
    if runs[1].returncode == 0:
        assert {"利津县", "东营市", "新华区", "荆州区"} <= names


@pytest.mark.usefixtures("english")
def test_a_source_text_that_is_a_link_is_refused(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path / "review")
    text = out / "sources" / "two-cities.txt"
    secret = tmp_path / "secret.txt"
    secret.write_text(text.read_text(encoding="utf-8"), encoding="utf-8")  # any file of the machine
    text.unlink()
    text.symlink_to(secret)
    before = _snapshot(mini_copy)
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        f"{out}/entities.csv:2: the text of source:two-cities, {text}, is a symbolic link: copy the file"
    )
    assert _snapshot(mini_copy) == before
