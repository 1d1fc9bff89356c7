"""Write the graph and its tables for other tools: GraphML and GEXF (Gephi, igraph, R), node-link JSON (networkx),
and CSV tables (the adoption matrix, the dyad table, entities and relations) for pandas and R.

Every file is written with :func:`graph.files.write_atomic` (a temporary file renamed into place); a CSV export is
written into a temporary folder that replaces the target folder whole (:func:`graph.files.replace_folder`), and only
when that folder is empty or an earlier export nobody changed, so a reader never sees half an export and no
user's file is deleted.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, RequestError, unknown
from .files import (
    FORMULA_STARTS,
    manifest_problem,
    replace_folder,
    spreadsheet_safe,
    umask,
    write_atomic,
    write_manifest,
)
from .lang import os_reason, say
from .schema import ENTITY_COLUMNS, RELATION_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .model import Model
    from .table import Table

__all__ = [
    "EXPORT_FORMATS",
    "FORMULA_STARTS",
    "spreadsheet_safe",
    "HISTORY_FORMATS",
    "CSV_FILES",
    "default_path",
    "edge_id",
    "export",
    "export_graph",
    "adoption_matrix",
    "adoption_table",
    "node_link",
    "read_node_link",
    "write_csv_tables",
    "write_gexf",
    "write_graphml",
    "write_dyad_years",
    "write_dyad_years_parquet",
    "write_history_table",
    "write_node_link",
]

#: The file formats ``export`` writes, with the default file (or folder) name of each.
EXPORT_FORMATS: dict[str, str] = {
    "graphml": "practice-graph.graphml",
    "gexf": "practice-graph.gexf",
    "json": "practice-graph.json",
    "csv": "practice-graph-csv",
    "parquet": "practice-graph-dyads.parquet",
    "cascades": "practice-graph-cascades.csv",
    "adoptions": "practice-graph-adoptions.csv",
    "dyad-years": "practice-graph-dyad-years.csv",
    "dyad-years-parquet": "practice-graph-dyad-years.parquet",
}

#: The files of a CSV export, in the order they are written.
CSV_FILES = ("entities.csv", "relations.csv", "adoption_matrix.csv", "adoptions.csv", "dyads.csv")


# ---------------------------------------------------------------------------------------------------------------
# the graph as exported


def edge_id(source: str, relation: str, target: str) -> str:
    """The id of an edge in GraphML and GEXF: unique in the file, readable as the relations.csv row.

    >>> edge_id("city:jia", "reports", "practice:jia-down")
    'city:jia reports practice:jia-down'
    """
    return f"{source} {relation} {target}"


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold: str, int, float or bool; None when there is nothing to write."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "|".join(str(v) for v in items)
    return str(value)


def export_graph(model: Model) -> nx.MultiDiGraph:
    """The graph that GraphML and GEXF files hold: the model's graph with every attribute made a scalar.

    Nodes keep ``type``, ``name``, ``name_en``, ``aliases`` (``|``-joined), ``description``, ``level`` and, where
    known, ``lat`` and ``lon``, and gain ``label`` (the Chinese name, which Gephi shows). Edges are keyed by their
    relation and carry ``relation``, ``evidence`` and ``document``. Attributes whose value is None are left out.

    >>> from graph import open_model
    >>> g = export_graph(open_model(MINI))
    >>> g.nodes["city:jia"]["label"], g.nodes["city:jia"]["aliases"]
    ('甲山市', '甲城|Jiashi')
    """
    import networkx as nx

    source = model.graph
    graph = nx.MultiDiGraph()
    for node, data in source.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in data.items()}
        attrs["label"] = attrs.get("name") or node
        graph.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for u, v, key, data in source.edges(keys=True, data=True):
        attrs = {k: _scalar(val) for k, val in data.items()}
        graph.add_edge(u, v, key=key, **{k: val for k, val in attrs.items() if val is not None})
    return graph


def _graphml_bytes_networkx(graph: nx.MultiDiGraph) -> bytes:
    """The GraphML file of ``graph`` as networkx' GraphMLWriter builds it (an element tree, then its text)."""
    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(graph)
    # networkx uses the edge key (the relation name, shared by many edges) as the GraphML edge id; ids must be
    # unique in a file (Gephi skips an edge whose id it has already seen), so each edge gets its whole relation.
    for element in writer.xml.iter("edge"):
        element.set("id", edge_id(element.get("source"), element.get("id"), element.get("target")))
    writer.indent(writer.xml)  # what writer.dump does before it writes, with prettyprint
    return _xml_bytes(writer.xml)


def _xml_bytes(root) -> bytes:
    """The bytes ``ElementTree(root).write(file, encoding="utf-8", xml_declaration=True)`` writes, serialised
    into one string first: writing to a binary file, ElementTree encodes each of its millions of small pieces
    apart (about a third of an export's time)."""
    from xml.etree.ElementTree import ElementTree

    out = io.BytesIO()
    out.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
    pieces: list[str] = []

    class Pieces:  # the text in pieces, encoded 100,000 at a time: the whole text is never held besides its bytes
        @staticmethod
        def write(text: str) -> None:
            pieces.append(text)
            if len(pieces) >= 100_000:
                out.write("".join(pieces).encode("utf-8", "xmlcharrefreplace"))
                pieces.clear()

    ElementTree(root).write(Pieces, encoding="unicode", xml_declaration=False)
    out.write("".join(pieces).encode("utf-8", "xmlcharrefreplace"))
    return out.getvalue()


def _gexf_bytes_networkx(graph: nx.MultiDiGraph) -> bytes:
    """The GEXF file of ``graph`` as networkx' GEXFWriter builds it (an element tree, then its text)."""
    from networkx.readwrite.gexf import GEXFWriter

    g = graph.copy()
    for u, v, key, data in g.edges(keys=True, data=True):
        data["id"] = edge_id(u, key, v)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # the writer stamps today's date and its own version: drop both, so the same data gives the same bytes
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = "practice-graph"
    writer.add_graph(g)
    writer.indent(writer.xml)  # what writer.write does before it writes, with prettyprint
    return _xml_bytes(writer.xml)


#: Characters an XML attribute value (in double quotes) or element text cannot hold as they are, with what replaces
#: them: the references xml.etree.ElementTree writes, so the files stay the bytes they have always been. Control
#: characters other than tab, newline and carriage return are written as they are, as ElementTree writes them.
_ATTR_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
_TEXT_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _xml_escapers():
    """Functions escaping an attribute value and element text (one pass, so no reference is escaped twice)."""
    import re

    attr_special = re.compile('[&<>"\r\n\t]')
    text_special = re.compile("[&<>]")
    attr_search, attr_sub = attr_special.search, attr_special.sub
    text_search, text_sub = text_special.search, text_special.sub

    def attr(text: str) -> str:
        return attr_sub(lambda m: _ATTR_REFERENCES[m.group()], text) if attr_search(text) else text

    def cdata(text: str) -> str:
        return text_sub(lambda m: _TEXT_REFERENCES[m.group()], text) if text_search(text) else text

    return attr, cdata


class _XmlOut:
    """UTF-8 bytes of text written in pieces, encoded 100,000 pieces at a time (a character UTF-8 cannot hold, a
    lone surrogate, becomes a character reference): the whole text is never held beside its bytes."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.out.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
        self.pieces: list[str] = []
        self.write = self.pieces.append

    def flush(self) -> None:
        self.out.write("".join(self.pieces).encode("utf-8", "xmlcharrefreplace"))
        self.pieces.clear()

    def full(self) -> bool:
        return len(self.pieces) >= 100_000

    def getvalue(self) -> bytes:
        self.flush()
        return self.out.getvalue()


def _graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The GraphML file of ``graph``: the bytes :func:`_graphml_bytes_networkx` writes (networkx' GraphMLWriter,
    named key ids, pretty-printed), written as text directly rather than built as an element tree first."""
    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(encoding="utf-8", prettyprint=True, named_key_ids=True)
    xml_type = writer.xml_type
    keys: dict[tuple[str, str, str], None] = {}  # (name, type, node or edge), in the order first met
    try:
        for _, data in graph.nodes(data=True):
            for k, v in data.items():
                keys[str(k), xml_type[type(v)], "node"] = None
        for *_, data in graph.edges(keys=True, data=True):
            for k, v in data.items():
                keys[str(k), xml_type[type(v)], "edge"] = None
    except KeyError:
        return _graphml_bytes_networkx(graph)  # a value networkx refuses: its own error
    if graph.graph:
        return _graphml_bytes_networkx(graph)
    attr, cdata = _xml_escapers()
    out = _XmlOut()
    write = out.write
    write(
        f'<graphml xmlns="{attr(writer.NS_GRAPHML)}" xmlns:xsi="{attr(writer.NS_XSI)}"'
        f' xsi:schemaLocation="{attr(writer.SCHEMALOCATION)}">\n'
    )
    for name, kind, scope in reversed(keys):  # networkx puts each new key first
        a = attr(name)
        write(f'  <key id="{a}" for="{scope}" attr.name="{a}" attr.type="{kind}" />\n')
    if not len(graph):
        write('  <graph edgedefault="directed" />\n</graphml>\n')
        return out.getvalue()
    write('  <graph edgedefault="directed">\n')
    nodes = ((f'    <node id="{attr(str(n))}"', "node", d) for n, d in graph.nodes(data=True))
    edges = (
        (
            f'    <edge source="{attr(str(u))}" target="{attr(str(v))}" id="{attr(edge_id(str(u), str(k), str(v)))}"',
            "edge",
            d,
        )
        for u, v, k, d in graph.edges(keys=True, data=True)
    )
    for items in (nodes, edges):
        for start, scope, data in items:
            write(start)
            if not data:
                write(" />\n")
                continue
            write(">\n")
            for k, v in data.items():
                a = attr(str(k))
                text = str(v)
                write(f'      <data key="{a}">{cdata(text)}</data>\n' if text else f'      <data key="{a}" />\n')
            write(f"    </{scope}>\n")
            if out.full():
                out.flush()
    write("  </graph>\n</graphml>\n")
    return out.getvalue()


#: Node attributes networkx' GEXF writer gives a meaning of their own (id, parents, spells, viz...) and edge
#: attributes it writes as XML attributes: a graph with any of them is written by networkx itself.
_GEXF_NODE_SPECIAL = frozenset({"id", "pid", "start", "end", "parents", "spells", "viz"})
_GEXF_EDGE_SPECIAL = frozenset({"id", "key", "label", "weight", "type", "start", "end", "spells", "viz"})


def _gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The GEXF 1.2 file of ``graph``: the bytes :func:`_gexf_bytes_networkx` writes (networkx' GEXFWriter, edge
    ids from :func:`edge_id`, no date, pretty-printed), written as text directly rather than built as an element
    tree first."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    xml_type = writer.xml_type
    ids: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}  # title -> (id, type), numbered in turn
    count = 0
    for scope, special, rows in (
        (
            "node",
            _GEXF_NODE_SPECIAL,
            ((d, [(k, v) for k, v in d.items() if k != "label"]) for _, d in graph.nodes(data=True)),
        ),
        (
            "edge",
            _GEXF_EDGE_SPECIAL,
            ((d, [*d.items(), ("key", k)]) for _, _, k, d in graph.edges(keys=True, data=True)),
        ),
    ):
        titles = ids[scope]
        for data, values in rows:  # the attributes in the order networkx numbers them (an edge's key last)
            if not special.isdisjoint(data):
                return _gexf_bytes_networkx(graph)
            for k, v in values:
                if type(v) not in xml_type or isinstance(v, list):
                    return _gexf_bytes_networkx(graph)  # a value networkx refuses (its own error) or reads as dynamic
                title = "networkx_key" if k == "key" else str(k)
                if title not in titles:
                    titles[title] = (str(count), xml_type[type(v)])
                    count += 1
    if graph.graph:
        return _gexf_bytes_networkx(graph)
    attr, _ = _xml_escapers()
    out = _XmlOut()
    write = out.write
    write(
        f'<gexf xmlns="{attr(writer.NS_GEXF)}" xmlns:xsi="{attr(writer.NS_XSI)}"'
        f' xsi:schemaLocation="{attr(writer.SCHEMALOCATION)}" version="{attr(writer.VERSION)}">\n'
        "  <meta>\n    <creator>practice-graph</creator>\n  </meta>\n"
        '  <graph defaultedgetype="directed" mode="static" name="">\n'
    )
    for scope in ("edge", "node"):  # networkx puts the edges' declarations before the nodes'
        if ids[scope]:
            write(f'    <attributes mode="static" class="{scope}">\n')
            for title, (number, kind) in ids[scope].items():
                write(f'      <attribute id="{number}" title="{attr(title)}" type="{kind}" />\n')
            write("    </attributes>\n")

    def value(v) -> str:
        if v.__class__ is str:
            return attr(v)
        if isinstance(v, bool):
            return "true" if v else "false"
        text = str(v)
        if type(v) is float:
            text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
        return attr(text)

    titles = ids["node"]
    if not len(graph):
        write("    <nodes />\n")
    else:
        write("    <nodes>\n")
        for node, data in graph.nodes(data=True):
            label = data.get("label", node)
            write(f'      <node id="{attr(str(node))}" label="{attr(str(label))}"')
            values = [(k, v) for k, v in data.items() if k != "label"]
            if not values:
                write(" />\n")
                continue
            write(">\n        <attvalues>\n")
            for k, v in values:
                number = titles["networkx_key" if k == "key" else str(k)][0]
                write(f'          <attvalue for="{number}" value="{value(v)}" />\n')
            write("        </attvalues>\n      </node>\n")
            if out.full():
                out.flush()
        write("    </nodes>\n")
    titles = ids["edge"]
    if not len(graph.edges):
        write("    <edges />\n")
    else:
        write("    <edges>\n")
        key_id = titles["networkx_key"][0]
        for u, v, key, data in graph.edges(keys=True, data=True):
            write(
                f'      <edge source="{attr(str(u))}" target="{attr(str(v))}" id="{attr(edge_id(u, key, v))}">\n'
                "        <attvalues>\n"
            )
            for k, val in data.items():
                write(f'          <attvalue for="{titles[str(k)][0]}" value="{value(val)}" />\n')
            write(f'          <attvalue for="{key_id}" value="{value(key)}" />\n        </attvalues>\n      </edge>\n')
            if out.full():
                out.flush()
        write("    </edges>\n")
    write("  </graph>\n</gexf>\n")
    return out.getvalue()


def node_link(model: Model) -> dict:
    """The model's graph as node-link data (``edges`` key, edge ``key`` = relation), ready for ``json.dumps``.

    >>> from graph import open_model
    >>> data = node_link(open_model(MINI))
    >>> data["multigraph"], data["directed"], data["edges"][0]["key"]
    (True, True, 'located_in')
    """
    import networkx as nx

    return nx.node_link_data(model.graph, edges="edges")


def read_node_link(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a node-link JSON export back into the networkx MultiDiGraph it was written from."""
    import networkx as nx

    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


# ---------------------------------------------------------------------------------------------------------------
# tables


def adoption_matrix(model: Model) -> Table:
    """The city x initiative adoption matrix: one row per city (id, names, province), one 0/1 column per initiative.

    Initiative columns are named by id (their names are in entities.csv); rows and columns are in id order.

    >>> from graph import open_model
    >>> t = adoption_matrix(open_model(MINI))
    >>> t.columns[:4], t.rows[0]["city"], t.rows[0]["initiative:volunteering"]
    (['city', 'city_name', 'city_name_en', 'province'], 'city:bing', 0)
    """
    from .table import Table

    inc, ds = model.incidence, model.dataset
    province = model.dataset.provinces
    dense = inc.matrix.toarray()
    rows = []
    for i, c in enumerate(inc.cities):
        row = {
            "city": c,
            "city_name": ds.entities[c].name,
            "city_name_en": ds.entities[c].name_en,
            "province": province.get(c, ""),
        }
        row.update({x: int(dense[i, j]) for j, x in enumerate(inc.initiatives)})
        rows.append(row)
    return Table(["city", "city_name", "city_name_en", "province", *inc.initiatives], rows, name="adoption_matrix")


def adoption_table(model: Model) -> Table:
    """Every adoption in long form: one row per city, initiative and practice, with the quote and its document.

    >>> from graph import open_model
    >>> t = adoption_table(open_model(MINI))
    >>> [t.rows[0][c] for c in ("city", "initiative", "practice", "evidence")]
    ['city:bing', 'initiative:political-assessment', 'practice:bing-assess', '干部政治素质考察']
    """
    from .table import Table

    inc, ds = model.incidence, model.dataset
    rows = []
    for c in inc.cities:
        for x in inc.initiatives_of(c):
            for ev in inc.evidence[(c, x)]:
                rows.append(
                    {
                        "city": c,
                        "city_name": ds.name_of(c),
                        "initiative": x,
                        "initiative_name": ds.name_of(x),
                        "practice": ev.practice,
                        "practice_name": ds.name_of(ev.practice),
                        "evidence": ev.quote,
                        "document": ev.document,
                    }
                )
    columns = ["city", "city_name", "initiative", "initiative_name", "practice", "practice_name", "evidence"]
    return Table([*columns, "document"], rows, name="adoptions")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if value == value else ""
    if isinstance(value, list | tuple):
        return "; ".join(_csv_cell(v) for v in value)
    return str(value)


def _safe_cell(value: Any) -> str:
    """A cell of a table meant for spreadsheets: text that would start a formula is neutralised."""
    return spreadsheet_safe(_csv_cell(value)) if isinstance(value, str | list | tuple) else _csv_cell(value)


def _csv_cells(values: list, spreadsheet: bool = False) -> list[str]:
    """``_csv_cell`` (with ``spreadsheet``, :func:`_safe_cell`) of each value of a column, plain strings taken as
    they are."""
    if spreadsheet:
        return [
            ("'" + v if v.startswith(FORMULA_STARTS) else v) if v.__class__ is str else _safe_cell(v) for v in values
        ]
    return [v if v.__class__ is str else _csv_cell(v) for v in values]


def _csv_text(columns: list[str], rows: list[dict], spreadsheet: bool = False) -> str:
    """CSV text of ``rows``; with ``spreadsheet``, text cells that would start a formula are neutralised (numbers,
    negative ones included, are written as they are).

    >>> print(_csv_text(["a", "b"], [{"a": "=1", "b": 2.5}, {"a": "x,y"}], spreadsheet=True), end="")
    a,b
    '=1,2.5
    "x,y",
    """
    return _csv_columns_text(columns, [[row.get(c) for row in rows] for c in columns], spreadsheet)


def _csv_columns_text(columns: list[str], data: list[list], spreadsheet: bool = False) -> str:
    """CSV text of a table given column by column (``data[k]`` holds the cells of ``columns[k]``), as
    :func:`_csv_text` writes the same rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns] if spreadsheet else columns)
    writer.writerows(zip(*(_csv_cells(values, spreadsheet) for values in data), strict=True))
    return buffer.getvalue()


def _write_adoption_matrix(model: Model, fh, entries: int = 2**22) -> None:
    """Write adoption_matrix.csv (:func:`adoption_matrix`, cells as the CSV export writes them) as UTF-8 to the
    binary file ``fh``: the 0/1 cells of a block of rows made at once as bytes, the city columns by ``csv.writer``."""
    import numpy as np

    inc, ds = model.incidence, model.dataset
    province = ds.provinces
    columns = ["city", "city_name", "city_name_en", "province", *inc.initiatives]
    entities = ds.entities
    cities = inc.cities
    lead = [
        list(cities),
        [entities[c].name for c in cities],
        [entities[c].name_en for c in cities],
        [province.get(c, "") for c in cities],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns])
    fh.write(buffer.getvalue().encode())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="")
    heads = []
    for cells in zip(*(_csv_cells(values, spreadsheet=True) for values in lead), strict=True):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        heads.append(buffer.getvalue().encode())
    n, m = len(cities), len(inc.initiatives)
    step = max(1, entries // (2 * m + 1))
    indptr, indices = np.asarray(inc.indptr), np.asarray(inc.indices)
    for start in range(0, n, step):
        stop = min(n, start + step)
        text = np.full((stop - start, 2 * m + 1), ord(","), dtype=np.uint8)
        text[:, 1 : 2 * m : 2] = ord("0")
        text[:, 2 * m] = ord("\n")
        lo, hi = indptr[start], indptr[stop]
        rows = np.repeat(np.arange(stop - start), np.diff(indptr[start : stop + 1]))
        text[rows, 2 * indices[lo:hi] + 1] = ord("1")
        lines = text.tobytes()
        width = 2 * m + 1
        fh.write(b"".join(heads[i] + lines[(i - start) * width : (i - start + 1) * width] for i in range(start, stop)))


def _adoption_columns(model: Model) -> tuple[list[str], list[list]]:
    """The columns of :func:`adoption_table` and their cells, column by column."""
    inc, ds = model.incidence, model.dataset
    entities = ds.entities

    def name(entity_id):
        entity = entities.get(entity_id)
        return entity.name if entity else entity_id

    items = [ev for c in inc.cities for x in inc.initiatives_of(c) for ev in inc.evidence[(c, x)]]
    city = [ev.city for ev in items]
    initiative = [ev.initiative for ev in items]
    practice = [ev.practice for ev in items]
    names = {key: name(key) for key in {*city, *initiative, *practice}}
    columns = ["city", "city_name", "initiative", "initiative_name", "practice", "practice_name", "evidence"]
    data = [
        city,
        [names[c] for c in city],
        initiative,
        [names[x] for x in initiative],
        practice,
        [names[p] for p in practice],
        [ev.quote for ev in items],
        [ev.document for ev in items],
    ]
    return [*columns, "document"], data


def _csv_tables(model: Model, pairs: str = "auto") -> dict:
    """Each file's text, or (adoption_matrix.csv, dyads.csv) a function writing its UTF-8 bytes to an open binary
    file a block at a time."""
    from .dyads import pairs_choice, write_dyads_csv

    ds = model.dataset
    entities = [e.as_row() for e in ds.entities.values()]
    relations = ds.relations
    relation_cells = [[getattr(r, c) for r in relations] for c in RELATION_COLUMNS]  # what Relation.as_row holds
    which = pairs_choice(model, pairs)
    return {
        "entities.csv": _csv_text(ENTITY_COLUMNS, entities),
        "relations.csv": _csv_columns_text(RELATION_COLUMNS, relation_cells),
        # the tables meant for spreadsheets are neutralised; entities.csv and relations.csv stay exact (a dataset)
        "adoption_matrix.csv": lambda fh: _write_adoption_matrix(model, fh),
        "adoptions.csv": _csv_columns_text(*_adoption_columns(model), spreadsheet=True),
        "dyads.csv": lambda fh: write_dyads_csv(model, fh, which),
    }


# ---------------------------------------------------------------------------------------------------------------
# the writers


def write_graphml(model: Model, path: str | os.PathLike) -> list[Path]:
    """Write the graph as GraphML (for Gephi, igraph, R's igraph ``read_graph(..., format="graphml")``)."""
    return [write_atomic(path, _graphml_bytes(export_graph(model)))]


def write_gexf(model: Model, path: str | os.PathLike) -> list[Path]:
    """Write the graph as GEXF 1.2 (Gephi's own format)."""
    return [write_atomic(path, _gexf_bytes(export_graph(model)))]


def write_node_link(model: Model, path: str | os.PathLike) -> list[Path]:
    """Write the graph as node-link JSON; :func:`read_node_link` reads it back into an identical graph."""
    text = json.dumps(node_link(model), ensure_ascii=False, indent=1) + "\n"
    return [write_atomic(path, text)]


def write_csv_tables(model: Model, folder: str | os.PathLike, pairs: str = "auto") -> list[Path]:
    """Write the CSV tables into ``folder`` (created, or replaced when it holds an unchanged earlier export).

    Files: entities.csv and relations.csv (the data contract, with the source texts under ``sources/``, so the
    folder is itself a dataset ``--data`` can read), adoption_matrix.csv, adoptions.csv (long form with quotes)
    and dyads.csv (the city pairs ``pairs`` chooses: see :func:`graph.dyads.pairs_choice`). A manifest
    (``.practice-graph-manifest.json``) records each file's hash: a later export replaces the folder only when it
    holds exactly those files, unchanged (see :func:`graph.files.manifest_problem`); a row added by hand or a note
    dropped in makes it the user's.

    Raises
    ------
    InputError
        ``folder`` is a file, a symlink, a folder that is not an unchanged earlier export, or the current folder
        (or one holding it).
    """
    from .dataset import source_text_path

    folder = Path(folder)
    here = Path.cwd().resolve()
    if folder.resolve() == here or folder.resolve() in here.parents:
        # the folder is swapped for a new one: the shell's current folder would be left behind, deleted
        raise InputError(
            say(
                "cannot write the CSV tables to {folder}: it is the current folder or holds it, and the CSV export "
                "replaces its folder whole: name a new folder (-o tables)",
                folder=folder,
            )
        )
    if folder.is_symlink():
        raise InputError(
            say("cannot write the CSV tables to {folder}: it is a symlink; name the folder itself", folder=folder)
        )
    if folder.exists():
        if not folder.is_dir():
            raise InputError(say("cannot write the CSV tables to {folder}: it is a file, not a folder", folder=folder))
        why = manifest_problem(folder)
        if why:
            raise InputError(
                say(
                    "cannot replace {folder}: {why}; the CSV export replaces its folder whole: "
                    "name a new or empty folder",
                    folder=folder,
                    why=why,
                )
            )
    parent = folder.parent
    if not parent.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=folder, folder=parent))
    tables = _csv_tables(model, pairs)
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}.", suffix=".tmp"))
    except OSError as exc:
        raise InputError(say("cannot write {path}: {why}", path=folder, why=os_reason(exc))) from None
    try:
        for name, text in tables.items():
            # With a BOM, Excel on Chinese Windows opens the tables as UTF-8 instead of garbling them.
            if isinstance(text, str):
                with open(tmp / name, "w", encoding="utf-8-sig", newline="") as fh:
                    fh.write(text)
            else:
                with open(tmp / name, "wb") as fh:
                    fh.write(codecs.BOM_UTF8)
                    text(fh)
        texts = model.dataset.texts
        if texts:
            for source_id in sorted(texts):
                target = source_text_path(tmp, source_id)
                target.parent.mkdir(exist_ok=True)
                target.write_text(texts[source_id], encoding="utf-8", newline="")
        write_manifest(tmp)
        os.chmod(tmp, 0o777 & ~umask())
        replace_folder(tmp, folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(say("cannot write {path}: {why}", path=folder, why=os_reason(exc))) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    written = [folder / name for name in tables]
    written += [source_text_path(folder, s) for s in sorted(model.dataset.texts)]
    return written


def write_history_table(model: Model, fmt: str, path: str | os.PathLike, time_unit: str = "years") -> list[Path]:
    """Write one table of :mod:`graph.diffusion` as CSV (UTF-8 with BOM): ``cascades`` (NetworkInference's long
    form, ``time_unit`` years or days), ``adoptions`` (SPID-like) or ``dyad-years`` (directed event history)."""
    from . import diffusion

    if fmt == "cascades":
        table = diffusion.cascades_table(model, time_unit)
    elif fmt == "adoptions":
        table = diffusion.spid_table(model)
    else:
        return [write_dyad_years(model, Path(path))]
    return [write_atomic(path, "\ufeff" + _csv_text(table.columns, table.rows, spreadsheet=True))]


def write_dyad_years(model: Model, path: Path, rows: int = 20_000) -> Path:
    """Write :func:`graph.diffusion.dyad_year_table` as :func:`write_history_table` writes a table, ``rows`` rows
    at a time to a temporary file renamed into place: memory stays bounded whatever the table's size. A table
    whose CSV would not fit in the free space of the target's folder is refused before anything is written."""
    import itertools

    from .diffusion import dyad_year_table
    from .files import atomic_path

    table = dyad_year_table(model)
    folder = path.resolve().parent
    if not path.exists() or path.is_file():
        free = shutil.disk_usage(folder).free
        if table.csv_bytes > free:
            raise InputError(
                say(
                    "dyad-years refused: the table would have {rows:,} rows (initiatives x years x pairs of cities), "
                    "about {gb:,.1f} GB of CSV, and {folder} has {free:,.1f} GB free; export adoptions and build the "
                    "risk set of the initiatives and years you study from it",
                    rows=table.count,
                    gb=table.csv_bytes / 1e9,
                    folder=folder,
                    free=free / 1e9,
                )
            )
    made = table.rows()
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        head = io.StringIO()
        csv.writer(head, lineterminator="\n").writerow([spreadsheet_safe(c) for c in table.columns])
        fh.write(("\ufeff" + head.getvalue()).encode("utf-8"))
        # each column's cells through a memo of value -> text: a column holds one type of value (and None), so
        # equal values of different types (1, 1.0, True) never meet in one memo (and no cell is -0.0)
        memos: list[dict] = [{} for _ in table.columns]
        while block := list(itertools.islice(made, rows)):
            cells = []
            for memo, values in zip(memos, zip(*block, strict=True), strict=True):
                if len(memo) > 1_000_000:
                    memo.clear()
                for v in set(values).difference(memo):
                    memo[v] = _csv_cells([v], True)[0]
                cells.append([memo[v] for v in values])
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(zip(*cells, strict=True))
            fh.write(buffer.getvalue().encode("utf-8"))
    return path


def write_dyad_years_parquet(model: Model, path: str | os.PathLike, rows: int = 200_000) -> Path:
    """Write :func:`graph.diffusion.dyad_year_table` as Parquet (pyarrow, zstd), one row group of ``rows`` rows at
    a time, to a temporary file renamed into place. The columns of the CSV: ids and names as strings, ``year``,
    ``reported``, ``j_year``, ``same_province`` and ``sources_in_year`` int32, ``distance_km`` (null without
    coordinates) and ``prior_similarity`` float64."""
    import itertools

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(say("export parquet needs pyarrow: pip install 'practice-graph[parquet]'")) from None
    from .diffusion import dyad_year_table
    from .files import atomic_path

    table = dyad_year_table(model)
    kinds = {"year": pa.int32(), "reported": pa.int32(), "j_year": pa.int32(), "same_province": pa.int32()}
    kinds |= {"sources_in_year": pa.int32(), "distance_km": pa.float64(), "prior_similarity": pa.float64()}
    schema = pa.schema([(c, kinds.get(c, pa.string())) for c in table.columns])
    made = table.rows()
    with atomic_path(path) as tmp, pq.ParquetWriter(str(tmp), schema, compression="zstd") as writer:
        while block := list(itertools.islice(made, rows)):
            columns = [
                pa.array(values, type=kind) for values, kind in zip(zip(*block, strict=True), schema.types, strict=True)
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
    return Path(path)


_WRITERS = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_node_link,
    "csv": write_csv_tables,
}

#: The formats of dated adoptions, written by :func:`write_history_table`.
HISTORY_FORMATS = ("cascades", "adoptions", "dyad-years")


def default_path(fmt: str) -> Path:
    """Where ``export`` writes when no path is given: a file (or, for csv, a folder) in the current folder.

    >>> str(default_path("gexf"))
    'practice-graph.gexf'
    """
    if fmt not in EXPORT_FORMATS:
        raise RequestError(unknown("export format", fmt, EXPORT_FORMATS))
    return Path(EXPORT_FORMATS[fmt])


def export(
    model: Model, fmt: str, path: str | os.PathLike | None = None, *, time_unit: str = "years", pairs: str = "auto"
) -> list[Path]:
    """Write the model in format ``fmt`` (graphml, gexf, json, csv, parquet, cascades, adoptions, dyad-years or
    dyad-years-parquet) to ``path``; return the paths written. ``time_unit`` (years or days) is the unit of the
    cascades' event times; ``pairs`` (auto, all or shared) chooses the pairs of the dyad table (csv and parquet,
    see :func:`graph.dyads.pairs_choice`).

    Raises
    ------
    RequestError
        An unknown format.
    InputError
        The target cannot be written.
    """
    target = Path(path) if path is not None else default_path(fmt)
    if fmt in HISTORY_FORMATS:
        if not target.parent.is_dir():
            raise InputError(
                say("cannot write {path}: folder {folder} does not exist", path=target, folder=target.parent)
            )
        return write_history_table(model, fmt, target, time_unit)
    if fmt == "dyad-years-parquet":
        return [write_dyad_years_parquet(model, target)]
    if fmt == "parquet":
        from .dyads import write_dyads_file

        return [write_dyads_file(model, target, pairs=pairs)]
    if fmt == "csv":
        return write_csv_tables(model, target, pairs=pairs)
    if fmt not in _WRITERS:
        raise RequestError(unknown("export format", fmt, EXPORT_FORMATS))
    if fmt != "csv" and not target.parent.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=target, folder=target.parent))
    return _WRITERS[fmt](model, target)
