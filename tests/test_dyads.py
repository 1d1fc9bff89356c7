"""The dyad table in blocks: the same pairs and cells as the table of rows, streamed to CSV and Parquet."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest

from graph import dyads as dy
from graph.errors import InputError, RequestError
from graph.similarity import dyads
from tests.simhelpers import model_from_rows


def export_cell(value) -> str:
    """How the CSV export writes a cell (floats as repr, true/false, empty for unknown)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def rows_as_csv(table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([export_cell(row[c]) for c in table.columns] for row in table.rows)
    return buffer.getvalue()


@pytest.fixture
def random_model():
    rng = np.random.default_rng(5)
    rows = [sorted(rng.choice(30, size=rng.integers(0, 9), replace=False).tolist()) for _ in range(45)]
    return model_from_rows(rows, n_initiatives=30)


@pytest.mark.parametrize("entries", [7, 100, 2**22])
def test_blocks_cover_every_pair_once_in_order(random_model, entries):
    n = len(random_model.incidence.cities)
    parts = list(dy.dyad_blocks(random_model, "all", entries=entries))
    a = np.concatenate([p["a"] for p in parts])
    b = np.concatenate([p["b"] for p in parts])
    ea, eb = np.triu_indices(n, k=1)
    assert a.tolist() == ea.tolist() and b.tolist() == eb.tolist()


def test_shared_pairs_are_the_pairs_sharing_an_initiative(random_model):
    every = dyads(random_model)
    expected = [(r["city_a_id"], r["city_b_id"]) for r in every.rows if r["shared"] > 0]
    cities = random_model.incidence.cities
    got = [
        (cities[i], cities[j])
        for p in dy.dyad_blocks(random_model, "shared")
        for i, j in zip(p["a"].tolist(), p["b"].tolist(), strict=True)
    ]
    assert got == expected and 0 < len(got) < len(every.rows)


def test_scores_equal_the_pairwise_explanations(random_model):
    """The block products give each pair the score its shared initiatives sum to."""
    from graph.similarity import explain

    table = dyads(random_model)
    for row in table.rows[::17]:
        for metric in ("jaccard", "idf-cosine", "adamic-adar"):
            total = sum(v for _, v in explain(random_model, row["city_a_id"], row["city_b_id"], metric))
            assert row[metric] == pytest.approx(round(total, 6), abs=1e-12)


def test_csv_equals_the_table_written_row_by_row(real_model, random_model):
    for model in (real_model, random_model):
        buffer = io.StringIO()
        count = dy.write_dyads_csv(model, buffer, "all")
        table = dyads(model)
        assert count == len(table.rows)
        assert buffer.getvalue() == rows_as_csv(table)
        binary = io.BytesIO()  # the export writes the UTF-8 bytes of the same text
        assert dy.write_dyads_csv(model, binary, "all") == count
        assert binary.getvalue() == rows_as_csv(table).encode()


def test_parquet_holds_the_same_table(real_model, tmp_path):
    import pyarrow.parquet as pq

    path = dy.write_dyads_file(real_model, tmp_path / "d.parquet", pairs="all")
    back = pq.read_table(path).to_pylist()
    rows = dyads(real_model).rows
    assert len(back) == len(rows)
    for got, want in zip(back, rows, strict=True):
        assert got == pytest.approx(want)
    assert [p.name for p in tmp_path.iterdir()] == ["d.parquet"]


def test_auto_is_all_pairs_up_to_the_limit(random_model, monkeypatch):
    assert dy.pairs_choice(random_model) == "all"
    monkeypatch.setattr(dy, "ALL_PAIRS_MAX", 10)
    assert dy.pairs_choice(random_model) == "shared"
    assert dy.pairs_choice(random_model, "all") == "all"
    with pytest.raises(RequestError, match="unknown choice of pairs 'some'"):
        dy.pairs_choice(random_model, "some")


def test_failed_parquet_write_leaves_nothing(real_model, tmp_path, monkeypatch):
    target = tmp_path / "d.parquet"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(InputError, match="No space left on device"):
        dy.write_dyads_file(real_model, target)
    assert [p.name for p in tmp_path.iterdir()] == ["d.parquet"] and target.read_bytes() == b"old"


def test_parquet_refuses_a_folder_and_a_missing_folder(real_model, tmp_path):
    with pytest.raises(InputError, match="it is a folder"):
        dy.write_dyads_file(real_model, tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        dy.write_dyads_file(real_model, tmp_path / "nowhere" / "d.parquet")


@pytest.mark.usefixtures("english")
def test_export_commands_choose_the_pairs(runner, mini_dir, tmp_path):
    import pyarrow.parquet as pq

    from cli import cli

    result = runner.invoke(
        cli, ["--data", str(mini_dir), "export", "parquet", "--pairs", "shared", "-o", str(tmp_path / "d.parquet")]
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(tmp_path / "d.parquet").column("shared").to_pylist() == [1, 1, 1, 1]
    result = runner.invoke(
        cli, ["--data", str(mini_dir), "export", "csv", "--pairs", "all", "-o", str(tmp_path / "tables")]
    )
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "tables" / "dyads.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 6
    result = runner.invoke(cli, ["--data", str(mini_dir), "export", "csv", "--pairs", "some"])
    assert result.exit_code == 2 and "Invalid value for '--pairs'" in result.stderr


def test_parquet_without_pyarrow_is_one_line(real_model, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    with pytest.raises(InputError, match=r"export parquet needs pyarrow: pip install 'practice-graph\[parquet\]'"):
        dy.write_dyads_file(real_model, tmp_path / "d.parquet")
    assert list(tmp_path.iterdir()) == []
