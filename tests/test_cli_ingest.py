"""The ingest command as a user runs it: candidates for review, --apply, progress, and bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cli import cli
from graph.dataset import load_dataset

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the English notes (``--lang en`` through its environment variable); Chinese, the default,
    is checked in test_cli_lang.py."""
    monkeypatch.setenv("PRACTICE_GRAPH_LANG", "en")


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_ingest_writes_candidates_for_review(runner, mini_copy, tmp_path):
    out = tmp_path / "review"
    args = ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), "--out", str(out)]
    result = runner.invoke(cli, [*args, "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    counts = {(r["kind"], r["type"], r["status"]): int(r["count"]) for r in rows}
    assert counts[("entity", "city", "matches-existing")] == 1
    assert counts[("entity", "city", "new")] == 1
    assert counts[("relation", "reports", "new")] == 5
    assert f"candidates written to {out}/entities.csv" in result.stderr
    assert f"then: ingest --apply {out}" in result.stderr
    assert (out / "sources" / "two-cities.txt").is_file()
    assert len(load_dataset(mini_copy).entities) == 18  # nothing merged without --apply


def test_review_then_apply_the_folder(runner, mini_copy, tmp_path):
    out = tmp_path / "review"
    result = runner.invoke(
        cli, ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"added": 5' in result.stdout  # five practices
    assert "backup of the previous entities.csv and relations.csv" in result.stderr
    assert len(load_dataset(mini_copy).of_type("city")) == 5
    again = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert again.exit_code == 0, again.output
    assert "nothing new" in again.stderr


def test_a_second_run_never_overwrites_a_review_under_way(runner, mini_copy, tmp_path):
    out = tmp_path / "review"
    args = ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), "--out", str(out)]
    assert runner.invoke(cli, args).exit_code == 0
    assert runner.invoke(cli, args).exit_code == 0  # the same candidates again: nothing lost
    path = out / "relations.csv"
    edited = path.read_text(encoding="utf-8").replace(",new,", ",rejected,", 1)
    path.write_text(edited, encoding="utf-8")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path} holds other candidates (a review under way?): merge them with ingest --apply {out}, "
        "or name another --out folder\n"
    )
    assert path.read_text(encoding="utf-8") == edited


def test_apply_many_files_shows_progress(runner, mini_copy, tmp_path):
    gb = _write(
        tmp_path,
        "gb-2021-03-04.txt",
        "会议召开。\n\n乙水市：下沉常态化\n\n推进党员干部下沉社区工作常态化。\n",
        "gb18030",
    )
    args = ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), gb, "--apply"]
    result = runner.invoke(cli, [*args, "--out", str(tmp_path / "review"), "--min-confidence", "0.7"])
    assert result.exit_code == 0, result.output
    assert "ingesting" in result.stderr
    merged = load_dataset(mini_copy)
    assert "source:gb-2021-03-04" in merged.entities
    assert (mini_copy / "sources" / "gb-2021-03-04.txt").read_text(encoding="utf-8").startswith("会议召开")


def test_default_out_is_named_after_the_input(runner, mini_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "two-cities" / "entities.csv").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02", "bad.txt:1: binary data (byte 0x00): expected UTF-8 or GB18030 text"),
        (
            "只是一段文字。\n".encode(),
            "bad.txt:1: no place found: expected a city, county or district named in the headline or the lead",
        ),
    ],
    ids=["binary", "no section"],
)
def test_unparseable_file_writes_nothing(runner, mini_copy, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "review"
    args = ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), str(bad), "--out", str(out)]
    before = (mini_copy / "entities.csv").read_bytes()
    result = runner.invoke(cli, [*args, "--apply"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{tmp_path}/{message}" in result.stderr
    assert result.stderr.rstrip().endswith("Error: 1 problem in bad.txt")
    assert not out.exists()
    assert (mini_copy / "entities.csv").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min-confidence", "2"], "Invalid value for '--min-confidence'"),
        (["missing.txt"], "Invalid value for 'FILES...': Path 'missing.txt' does not exist."),
        ([], "Missing argument 'FILES...'."),
    ],
    ids=["confidence out of range", "missing file", "no file"],
)
def test_usage_errors(runner, mini_copy, args, message):
    extra = [str(ARTICLES / "two-cities.txt")] if args and args[0].startswith("--") else []
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", *args, *extra])
    assert result.exit_code == 2
    assert message in result.stderr


def test_folder_without_apply_is_a_usage_error(runner, mini_copy, tmp_path):
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", str(tmp_path)])
    assert result.exit_code == 2
    assert f"Error: {tmp_path} is a folder of candidates: merge it with --apply" in result.stderr


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            "data",
            "Error: {tmp}/data holds a dataset (entities.csv has no status column), not candidates: "
            "name another --out folder",
        ),
        ("missing/review", "Error: cannot write {tmp}/missing/review: folder {tmp}/missing does not exist"),
    ],
    ids=["the data folder", "missing parent"],
)
def test_out_folder_that_cannot_take_candidates(runner, mini_copy, tmp_path, out, message):
    before = {p.name: p.read_bytes() for p in mini_copy.glob("*.csv")}
    args = ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), "--out", str(tmp_path / out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == message.format(tmp=tmp_path)
    assert {p.name: p.read_bytes() for p in mini_copy.glob("*.csv")} == before
    assert not (tmp_path / "missing").exists()


def _review(runner, data, tmp_path) -> Path:
    out = tmp_path / "review"
    result = runner.invoke(cli, ["--data", str(data), "ingest", str(ARTICLES / "two-cities.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_a_bad_merge_points_at_the_review_files_rows(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path)
    path = out / "relations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if ",reports," in line and "组织党员干部下沉社区" in line)
    lines[number - 1] = lines[number - 1].replace("组织党员干部下沉社区", "组织党员干部下沉到社区", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in mini_copy.glob("*.csv")}
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        f"{path}:{number}: evidence not found verbatim in source:two-cities: '组织党员干部下沉到社区'"
    )
    assert {p.name: p.read_bytes() for p in mini_copy.glob("*.csv")} == before


def test_a_missing_source_text_is_named_at_its_row(runner, mini_copy, tmp_path):
    out = _review(runner, mini_copy, tmp_path)
    (out / "sources" / "two-cities.txt").unlink()
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", "--apply", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"{out}/entities.csv:2: no text for source:two-cities: {out}/sources/two-cities.txt not found",
        "Error: 1 problem in entities.csv",
    ]


@pytest.mark.parametrize("apply_changes", [False, True], ids=["candidates", "merge"])
def test_a_folder_that_cannot_be_written_is_one_line(runner, mini_copy, tmp_path, monkeypatch, apply_changes):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    out = _review(runner, mini_copy, tmp_path) if apply_changes else tmp_path / "review"
    monkeypatch.setattr("graph.ingest.merge.tempfile.mkdtemp", refuse)
    monkeypatch.setattr("tempfile.mkstemp", refuse)  # the module graph.files writes its temporary files with
    args = ["--apply", str(out)] if apply_changes else [str(ARTICLES / "two-cities.txt"), "--out", str(out)]
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", *args])
    assert result.exit_code == 1, result.output
    where = f"to {mini_copy}" if apply_changes else str(out / "entities.csv")
    assert result.stderr == f"Error: cannot write {where}: Permission denied\n"


def test_apply_refuses_the_installed_copy_without_data(runner, tmp_path, monkeypatch):
    import sys

    import graph.ingest.command

    installed = Path(sys.prefix) / "share" / "practice-graph" / "data"
    monkeypatch.setattr(graph.ingest.command, "default_data_dir", lambda: installed)
    result = runner.invoke(cli, ["ingest", str(ARTICLES / "two-cities.txt"), "--apply"])
    assert result.exit_code == 2
    assert "--apply without --data would change the copy of the data installed with the package" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("date", ["2024-13", "2021-02-30", "July 2024"])
def test_a_date_that_is_no_calendar_date_is_a_usage_error(runner, mini_copy, date):
    result = runner.invoke(cli, ["--data", str(mini_copy), "ingest", str(ARTICLES / "two-cities.txt"), "--date", date])
    assert result.exit_code == 2
    assert result.stderr == f"Error: --date {date!r}: expected an ISO date such as 2024, 2024-07 or 2024-07-31\n"
