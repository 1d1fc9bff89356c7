"""Dated adoptions, timelines, the diffusion tables and network inference (graph.diffusion)."""

from __future__ import annotations

import csv
import io
import random
import shutil

import pytest

from graph import diffusion as d
from graph.dataset import load_dataset
from graph.errors import InputError, RequestError
from graph.model import Model
from tests.conftest import FIXTURES

HISTORY = FIXTURES / "history"


@pytest.fixture(scope="module")
def hist():
    return Model(load_dataset(HISTORY))


def test_first_report_is_the_earliest_dated_source_with_its_quote(hist):
    a = d.history(hist).adoptions[("city:jia", "initiative:red-property")]
    assert (a.date, a.source, a.quote) == ("2019-05-10", "source:hx-2019-05-10", "甲山市坚持党建引领，推行红色物业")
    assert (a.last_date, a.last_source, a.reports) == ("2021-03-15", "source:hx-2021-03-15", 2)


def test_a_practice_date_comes_before_its_source_date(hist):
    a = d.history(hist).adoptions[("city:ding", "initiative:volunteering")]
    assert a.date == "2022-12"  # the practice's own date, though its quote is from the 2023 article
    assert a.source == "source:hx-2023-09-20"


def test_undated_adoption_is_kept_apart_and_partial_dates_keep_their_precision(hist):
    h = d.history(hist)
    assert h.undated == [("city:wu", "initiative:cadres-to-communities")]
    assert h.window == d.Window("2019-05-10", "2023-09-20", 5, 1)
    assert h.adoptions[("city:yi", "initiative:volunteering")].date == "2022-06"
    rows = d.spid_table(hist).rows
    row = next(r for r in rows if r["unit"] == "city:yi" and r["policy"] == "initiative:volunteering")
    assert (row["year"], row["precision"]) == (2022, "month")
    undated = next(r for r in rows if r["unit"] == "city:wu" and r["policy"] == "initiative:cadres-to-communities")
    assert undated["date"] is None and undated["quote"] == "戊城市组织党员干部下沉社区"


def test_order_is_shared_by_reports_on_one_day(hist, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(HISTORY, data)
    entities = (data / "entities.csv").read_text(encoding="utf-8")
    (data / "entities.csv").write_text(entities.replace(",2020-07-01\n", ",2019-05-10\n"), encoding="utf-8")
    h = d.history(Model(load_dataset(data)))
    assert [(a.city, a.order) for a in h.of_initiative("initiative:red-property")] == [
        ("city:jia", 1),
        ("city:yi", 1),
        ("city:bing", 3),
        ("city:ding", 4),
    ]


def test_timeline_by_city_and_its_notes(hist):
    t = d.timeline(hist, city="甲山")
    assert [(r["date"], r["initiative"]) for r in t.rows] == [
        ("2019-05-10", "红色物业"),
        ("2019-05-10", "志愿服务"),
        ("2020-07-01", "干部政治素质考察"),
    ]
    assert "window 2019-05-10 – 2023-09-20" in t.title
    assert any(n.startswith("Observation window: first dated source 2019-05-10") for n in t.notes)
    assert d.REPORT_DATE_NOTE in t.notes


def test_timeline_refuses_both_names(hist):
    with pytest.raises(RequestError):
        d.timeline(hist, "红色物业", city="甲山")


def test_first_reports_and_earliest_reporter(hist):
    assert d.first_reports(
        hist, "city:bing", "city:jia", ["initiative:red-property", "initiative:political-assessment"]
    ) == (0, 2, 0)
    a = d.earliest_reporter(hist, "initiative:political-assessment", ["city:wu", "city:bing"])
    assert (a.city, a.date) == ("city:bing", "2021-03-15")


def test_the_bundled_article_alone_tells_no_order(real_model):
    h = d.history(real_model)
    assert h.reports and not h.dated
    # every adoption, ways of working included (they are left out of similarity, not of the history)
    assert set(h.adoptions) == set(real_model.adoption.evidence) != set(real_model.incidence.evidence)
    assert h.window == d.Window("2020-10-22", "2020-10-22", 1, 0)
    assert d.first_reports(real_model, "city:qianjiang", "city:suizhou", real_model.incidence.initiatives) is None
    assert d.earliest_reporter(real_model, real_model.incidence.initiatives[0], real_model.incidence.cities) is None
    t = d.diffusion(real_model)
    assert t.rows == [] and t.notes[0].startswith("No tie can be inferred")


def test_cascades_in_years_and_days(hist):
    years = d.cascades_table(hist).rows
    days = d.cascades_table(hist, "days").rows
    assert len(years) == len(days) == len(d.history(hist).adoptions)
    first = next(r for r in years if r["node_name"] == "city:yi" and r["cascade_id"] == "initiative:red-property")
    assert first["event_time"] == pytest.approx(2020 + 182 / 366)
    with pytest.raises(RequestError):
        d.cascades_table(hist, "weeks")


def test_dyad_years_risk_set(hist):
    rows = [r for r in d.dyad_years(hist).rows if r["initiative"] == "initiative:red-property"]
    # jia first (2019): in 2020 every other city is at risk from jia; yi reports that year
    y2020 = [(r["i"], r["j"], r["reported"]) for r in rows if r["year"] == 2020]
    assert y2020 == [("city:bing", "city:jia", 0), ("city:ding", "city:jia", 0), ("city:wu", "city:jia", 0),
                     ("city:yi", "city:jia", 1)]  # fmt: skip
    # after reporting, yi leaves the risk set and becomes an earlier reporter
    y2021 = {(r["i"], r["j"]) for r in rows if r["year"] == 2021}
    assert ("city:yi", "city:jia") not in y2021 and ("city:bing", "city:yi") in y2021
    assert all(r["year"] <= 2023 for r in rows)
    row = next(r for r in rows if (r["year"], r["i"], r["j"]) == (2021, "city:bing", "city:jia"))
    assert row["same_province"] == 1 and row["distance_km"] > 0 and row["sources_in_year"] == 1
    # before 2021 bing had reported nothing else, jia had reported volunteering and the assessment
    assert row["prior_similarity"] == 0.0
    later = next(r for r in rows if (r["year"], r["i"], r["j"]) == (2022, "city:ding", "city:bing"))
    assert later["prior_similarity"] == 0.0 and later["same_province"] == 0
    wu = [r for r in d.dyad_years(hist).rows if r["initiative"] == "initiative:cadres-to-communities"]
    assert wu == []  # its only report is undated


def test_dyad_year_count_is_the_number_of_rows(hist, tmp_path):
    from benchmarks.cascades import write_history_dataset

    h = d.history(hist)
    year_of = {key: d.date_start(a.date).year for key, a in h.adoptions.items()}
    last = d.date_start(h.window.last).year
    cities = len(hist.adoption.cities)
    assert d.dyad_year_count(year_of, set(h.undated), cities, last) == len(d.dyad_years(hist).rows) > 0
    nodes, edges = random_network(12, 20, seed=4)
    rows = d.simulate_cascades(edges, nodes, 15, probability=0.7, window=3.0, seed=5)
    model = Model(load_dataset(write_history_dataset(tmp_path / "h", rows)))
    h = d.history(model)
    year_of = {key: d.date_start(a.date).year for key, a in h.adoptions.items()}
    count = d.dyad_year_count(year_of, set(h.undated), len(model.adoption.cities), d.date_start(h.window.last).year)
    assert count == len(d.dyad_years(model).rows) > 20


def test_dyad_years_written_in_blocks_is_the_table_in_memory(hist, tmp_path):
    """The export writes a few rows at a time (here 7, so many blocks share the cell memos): the same bytes as
    the whole table made in memory and written at once."""
    from benchmarks.cascades import write_history_dataset
    from graph.export import write_dyad_years

    def text(v):
        return "" if v is None else str(v)

    nodes, edges = random_network(12, 20, seed=4)
    rows = d.simulate_cascades(edges, nodes, 15, probability=0.7, window=3.0, seed=5)
    simulated = Model(load_dataset(write_history_dataset(tmp_path / "h", rows)))
    for model in (hist, simulated):
        table = d.dyad_years(model)
        assert len(table.rows) == d.dyad_year_table(model).count > 7
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([text(r[c]) for c in table.columns] for r in table.rows)
        whole = "\ufeff" + buffer.getvalue()
        assert not any(r[c] is None for r in table.rows for c in table.columns if c != "distance_km")
        target = write_dyad_years(model, tmp_path / "dy.csv", rows=7)
        assert target.read_bytes() == whole.encode("utf-8")
        # the size estimate the disk check uses is near the file's
        assert 0.7 < d.dyad_year_table(model).csv_bytes / len(whole.encode("utf-8")) < 1.3


def test_dyad_years_parquet_holds_the_rows_of_the_csv(hist, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from graph.export import export, write_dyad_years_parquet

    table = d.dyad_years(hist)
    path = export(hist, "dyad-years-parquet", tmp_path / "dy.parquet")[0]
    read = pq.read_table(path)
    assert read.column_names == table.columns and read.to_pylist() == table.rows
    # several row groups, same rows
    write_dyad_years_parquet(hist, tmp_path / "small.parquet", rows=7)
    assert pq.ParquetFile(tmp_path / "small.parquet").num_row_groups == -(-len(table.rows) // 7) > 1
    assert pq.read_table(tmp_path / "small.parquet").to_pylist() == table.rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dy.parquet", "small.parquet"]


def test_dyad_years_refused_when_the_csv_would_not_fit(hist, tmp_path, monkeypatch):
    from graph import export as ex

    table = d.dyad_year_table(hist)
    target = tmp_path / "dy.csv"
    target.write_text("old", encoding="utf-8")
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(ex.shutil, "disk_usage", lambda p: usage._replace(free=table.csv_bytes - 1))
    with pytest.raises(InputError, match=f"dyad-years refused: the table would have {table.count:,} rows") as err:
        ex.export(hist, "dyad-years", target)
    assert "\n" not in str(err.value) and "GB of CSV" in str(err.value)
    assert target.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["dy.csv"]
    monkeypatch.setattr(ex.shutil, "disk_usage", lambda p: usage._replace(free=table.csv_bytes))
    ex.export(hist, "dyad-years", target)
    assert target.read_text(encoding="utf-8-sig").startswith("initiative,year,i,j,reported")


def test_diffusion_refused_above_the_pair_limit(simulated, monkeypatch):
    _, rows = simulated
    pairs = d.candidate_pairs(d._read_cascades(rows))
    by_hand = sum(sum(1 for t2, _ in events if t2 < t) for events in d._read_cascades(rows).values() for t, _ in events)
    assert pairs == by_hand > 0
    monkeypatch.setattr(d, "DIFFUSION_MAX_PAIRS", pairs - 1)
    with pytest.raises(InputError, match=f"diffusion refused: the cascades hold {pairs:,} candidate pairs"):
        d.infer_network(rows, edges=3)
    monkeypatch.setattr(d, "DIFFUSION_MAX_PAIRS", pairs)
    assert len(d.infer_network(rows, edges=3)) == 3


def random_network(n: int, m: int, seed: int):
    rng = random.Random(seed)
    nodes = [f"n{i:02d}" for i in range(n)]
    edges: set[tuple[str, str]] = set()
    while len(edges) < m:
        edges.add(tuple(rng.sample(nodes, 2)))
    return nodes, sorted(edges)


@pytest.fixture(scope="module")
def simulated():
    nodes, edges = random_network(50, 100, seed=1)
    rows = d.simulate_cascades(edges, nodes, 200, probability=0.7, window=3.0, seed=2)
    return edges, rows


def test_netinf_recovers_a_simulated_network_with_k_known(simulated):
    edges, rows = simulated
    ties = d.infer_network(rows, edges=len(edges))
    precision, recall = d.tie_scores(ties, edges)
    assert precision >= 0.8 and recall >= 0.8
    assert [t.gain for t in ties] == sorted((t.gain for t in ties), reverse=True)


def test_netinf_recovers_a_simulated_network_by_p_value(simulated):
    edges, rows = simulated
    ties = d.infer_network(rows, p_value=0.05)
    precision, recall = d.tie_scores(ties, edges)
    assert precision >= 0.8 and recall >= 0.8
    assert all(t.p_value <= 0.05 for t in ties)
    assert all(t.cascades for t in ties[:10])


def test_netinf_power_law_also_recovers_it(simulated):
    edges, rows = simulated
    precision, recall = d.tie_scores(d.infer_network(rows, model="power-law", edges=len(edges)), edges)
    assert precision >= 0.8 and recall >= 0.8


def test_netinf_lazy_greedy_equals_plain_greedy(simulated):
    _, rows = simulated
    small = [r for r in rows if int(r[2][1:]) < 20]
    lazy = d.infer_network(small, edges=8)
    plain = _plain_greedy(small, 8)
    # many candidates tie (a tie to a node's immediate predecessor gains log(beta/epsilon)): compare the gains
    assert [t.gain for t in lazy] == pytest.approx(plain, rel=1e-9)


def _plain_greedy(rows, k):
    """Re-evaluate every candidate at every step: the reference lazy evaluation must match."""
    import math

    cascades: dict[str, list[tuple[float, str]]] = {}
    for node, time, c in rows:
        cascades.setdefault(c, []).append((time, node))
    for events in cascades.values():
        events.sort()
    gaps = [b[0] - a[0] for ev in cascades.values() for a, b in zip(ev, ev[1:], strict=False) if b[0] > a[0]]
    rate = len(gaps) / sum(gaps)
    chosen: list[tuple[str, str]] = []
    gains: list[float] = []

    def loglik(network):
        total = 0.0
        for events in cascades.values():
            for k_, (tv, v) in enumerate(events):
                scores = [
                    math.log(0.5 if (u, v) in network else 1e-9) + math.log(rate) - rate * (tv - tu)
                    for tu, u in events[:k_]
                    if tu < tv
                ]
                if scores:
                    total += max(scores)
        return total

    candidates = sorted(
        {(u, v) for ev in cascades.values() for i, (tu, u) in enumerate(ev) for tv, v in ev[i + 1 :] if tu < tv}
    )
    for _ in range(k):
        base = loglik(set(chosen))
        gain, best = max((loglik({*chosen, c}) - base, c) for c in candidates if c not in chosen)
        chosen.append(best)
        gains.append(gain)
    return gains


def test_netinf_reads_tables_mappings_and_refuses_bad_rows(hist):
    table = d.cascades_table(hist)
    as_rows = [(r["node_name"], r["event_time"], r["cascade_id"]) for r in table.rows]
    assert d.infer_network(table, edges=2) == d.infer_network(as_rows, edges=2)
    with pytest.raises(InputError, match="row 1"):
        d.infer_network([("a", "soon", "x")])
    with pytest.raises(InputError, match="event_time"):
        d.infer_network([{"node_name": "a", "cascade_id": "x"}])
    with pytest.raises(RequestError):
        d.infer_network(as_rows, model="rayleigh")
    with pytest.raises(RequestError):
        d.infer_network(as_rows, edges=0)


def test_netinf_with_ties_in_time_infers_nothing_across_them():
    rows = [("a", 1.0, "x"), ("b", 1.0, "x"), ("a", 2.0, "y"), ("b", 2.0, "y")]
    assert d.infer_network(rows, edges=3) == []


def test_exports_read_back_with_the_csv_module(hist, tmp_path):
    from graph.export import export

    for fmt, column in (("cascades", "event_time"), ("adoptions", "quote"), ("dyad-years", "reported")):
        target = tmp_path / f"{fmt}.csv"
        export(hist, fmt, target)
        with open(target, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and column in rows[0]


def test_a_dataset_of_dated_reports_recovers_the_network_through_the_whole_pipeline(tmp_path):
    """Simulated cascades written as a dataset (one dated source per month of reports), read back by the loader,
    turned into cascades and inferred: the monthly report dates still recover the network."""
    from benchmarks.cascades import random_network, write_history_dataset

    names, edges = random_network(50, 100, seed=1)
    rows = d.simulate_cascades(edges, names, 200, probability=0.7, window=3.0, seed=2)
    model = Model(load_dataset(write_history_dataset(tmp_path / "data", rows)))
    table = d.diffusion(model, edges=len(edges))
    found = [d.Tie(r["origin_id"][5:], r["destination_id"][5:], r["gain"], r["p_value"], ()) for r in table.rows]
    precision, recall = d.tie_scores(found, edges)
    assert precision >= 0.8 and recall >= 0.8


def test_dyad_years_prior_similarity_equals_the_sets_it_describes(hist):
    h = d.history(hist)
    year_of = {key: int(a.date[:4]) for key, a in h.adoptions.items()}
    rows = d.dyad_years(hist).rows
    assert any(r["prior_similarity"] > 0 for r in rows)
    for r in rows:
        before = [{x for (c, x), y in year_of.items() if c == city and y < r["year"] and x != r["initiative"]}
                  for city in (r["i"], r["j"])]  # fmt: skip
        union = before[0] | before[1]
        assert r["prior_similarity"] == pytest.approx(len(before[0] & before[1]) / len(union) if union else 0.0)


def test_every_tie_follows_the_order_of_its_cascades(simulated):
    _, rows = simulated
    time = {(node, c): t for node, t, c in rows}
    for tie in d.infer_network(rows, p_value=0.05):
        assert tie.cascades
        assert all(time[(tie.origin, c)] < time[(tie.destination, c)] for c in tie.cascades)


def test_netinf_reads_a_pandas_frame_as_the_docs_show(hist, tmp_path):
    pd = pytest.importorskip("pandas")
    from graph.export import export

    target = tmp_path / "cascades.csv"
    export(hist, "cascades", target)
    frame = pd.read_csv(target, encoding="utf-8-sig")
    assert d.infer_network(frame, edges=3) == d.infer_network(d.cascades_table(hist), edges=3)
