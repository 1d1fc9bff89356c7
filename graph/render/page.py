"""Assemble one view's page: vis-network data (through a pyvis ``Network``), the details of every node, the search
index, and the project's template with every script and style inline.

Safety: the template is rendered by an autoescaping Jinja environment; node and edge data, details and the search
index travel as one JSON document in a ``<script type="application/json">`` block, with ``<``, ``>``, ``&``, ``/``,
U+2028 and U+2029 escaped, and the page's script writes every data text with ``textContent``. The page carries a
Content-Security-Policy that admits only its own two scripts (by hash) and no request at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..names import normalize, strip_suffix
from ..schema import TYPE_LABELS
from ..views import SIGNIFICANCE, ViewSpec, select
from .layout import SEED, force_positions, map_positions

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..model import Model

__all__ = [
    "FONT_STACK",
    "PHYSICS_MAX_NODES",
    "TYPE_COLORS",
    "embed_json",
    "page_data",
    "render_page",
]

#: Fonts that draw Chinese on macOS, Windows and Linux, in that order.
FONT_STACK = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'

#: Above this many nodes, positions are computed in Python and the browser's physics is off.
PHYSICS_MAX_NODES = 400

#: Node colour of each entity type (the legend shows them).
TYPE_COLORS = {
    "province": "#9c755f",
    "city": "#e15759",
    "practice": "#76b7b2",
    "initiative": "#4e79a7",
    "theme": "#f28e2b",
    "event": "#b07aa1",
    "source": "#bab0ac",
}

_RELATION_LABELS = {
    "located_in": "位于 located in",
    "attended": "出席 attended",
    "covers": "报道 covers",
    "reports": "报告做法 reports",
    "part_of": "属于 part of",
    "instance_of": "体现举措 instance of",
    "belongs_to": "属于主题 belongs to",
    "adopts": "采用举措 adopts",
    "similar": "相似 similar",
}
#: What the marks of a city view mean (shown beside the legend).
_ROLE_KEYS = (
    ("subject", "黑圈：本市 this city"),
    ("peer", "显著相似城市 significant peer (p ≤ 0.05)"),
    ("weak-peer", "浅色虚线圈：不显著的相似城市 weak peer (p > 0.05)"),
    ("learn", "橙圈：可以借鉴的举措 could learn"),
)
_SIMILAR_KEY = "红线：相似，越粗越相似；虚线：不显著 red line: similar, wider = more alike; dashed: not significant"
_TYPE_ORDER = ("city", "initiative", "theme", "practice", "province", "event", "source")
_LABEL_MAX = {"practice": 10, "initiative": 12, "city": 14, "theme": 14, "province": 14}
_TOOLTIP_MAX = 160


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> _short("党员干部下沉社区", 4), _short("红色物业", 4)
    ('党员干…', '红色物业')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_label(t: str) -> str:
    zh, en = TYPE_LABELS.get(t, (t, t))
    return f"{zh} {en}"


def embed_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``< > & /`` and the JavaScript line separators escaped.

    >>> embed_json({"a": "</script><b>&\\u2028"})
    '{"a":"\\\\u003c\\\\/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("/", "\\/"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


# ---------------------------------------------------------------------------------------------------------------
# assets


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network 9.1.2's script and style as pyvis bundles them, with every URL made inert text.

    The bundle names web addresses in its licence comment, in two error/metadata strings and as the SVG
    namespace. None is ever fetched; their schemes are dropped (the namespace is split in two) so that the page
    holds no URL at all, which is what the offline check asserts.
    """
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        from ..errors import InputError

        raise InputError("pyvis is not installed: pip install pyvis==0.3.2")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    js = js.replace('"http://www.w3.org/2000/svg"', '"http:"+"//www.w3.org/2000/svg"')
    js = re.sub(r"https?://", "", js)
    css = re.sub(r"https?://", "", css)
    for text in (js, css):
        if "</script" in text.lower() or "</style" in text.lower():  # pragma: no cover
            raise RuntimeError("vis-network asset would close its element early")
    return js, css


@cache
def _own_asset(name: str) -> str:
    return resources.files("graph.render").joinpath("assets", name).read_text(encoding="utf-8")


def _environment():
    from jinja2 import DictLoader, Environment, StrictUndefined

    return Environment(
        loader=DictLoader({"page.html": _own_asset("page.html")}),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


# ---------------------------------------------------------------------------------------------------------------
# nodes, edges, details


def _counts(model: Model) -> tuple[dict[str, int], dict[str, int]]:
    inc = model.adoption
    per_city = dict(zip(inc.cities, inc.matrix.getnnz(axis=1).tolist(), strict=True))
    per_initiative = dict(zip(inc.initiatives, inc.df.tolist(), strict=True))
    return per_city, per_initiative


def _size(t: str, count: int | None) -> float:
    if t == "city":
        return round(12 + 5 * math.sqrt(count or 0), 2)
    if t == "initiative":
        return round(8 + 6 * math.sqrt(count or 0), 2)
    return {"theme": 22, "province": 18, "practice": 8}.get(t, 10)


def _document_label(model: Model, doc: str) -> str:
    e = model.dataset.entities.get(doc)
    if e is None:
        return doc
    return f"{e.name}（{e.description}）" if e.description else e.name


def _node_tooltip(attrs: dict, count_text: str) -> str:
    lines = [attrs.get("name", "")]
    second = " · ".join(x for x in (attrs.get("name_en", ""), _type_label(attrs.get("type", ""))) if x)
    lines.append(second)
    if count_text:
        lines.append(count_text)
    if attrs.get("description"):
        lines.append(_short(attrs["description"], _TOOLTIP_MAX))
    return "\n".join(lines)


def _count_text(t: str, count: int | None) -> str:
    if t == "city":
        return f"{count} 项共同举措 initiatives"
    if t == "initiative":
        return f"{count} 个城市 cities"
    return ""


def _vis_nodes(model: Model, graph: nx.MultiDiGraph, positions, pinned, physics: bool) -> list[dict]:
    per_city, per_initiative = _counts(model)
    out = []
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        t = attrs.get("type", "")
        count = per_city.get(node) if t == "city" else per_initiative.get(node) if t == "initiative" else None
        name = attrs.get("name", node)
        item = {
            "id": node,
            "label": _short(name, _LABEL_MAX.get(t, 40)),
            "title": _node_tooltip(attrs, _count_text(t, count)),
            "type": t,
            "color": {
                "background": TYPE_COLORS.get(t, "#999999"),
                "border": "#ffffff",
                "highlight": {"background": TYPE_COLORS.get(t, "#999999"), "border": "#222222"},
                "hover": {"background": TYPE_COLORS.get(t, "#999999"), "border": "#222222"},
            },
            "size": _size(t, count),
            "font": {"size": {"city": 24, "theme": 20, "initiative": 16, "province": 16}.get(t, 12)},
            "mass": 1 + (count or 0) / 4 if t in ("city", "initiative") else 1,
            "weight": count or 0,
        }
        if t == "city":
            item["font"]["bold"] = True
        role = attrs.get("role")
        if role:
            item["role"] = role
        if role == "subject":
            item["size"] = round(item["size"] * 1.4, 2)
            item["borderWidth"] = 3
            item["color"]["border"] = "#222222"
        elif role == "weak-peer":  # not a significant peer: paler, a dashed ring
            pale = "#f4b6b7"
            item["color"].update(background=pale, border="#e15759")
            item["color"]["highlight"]["background"] = pale
            item["color"]["hover"]["background"] = pale
            item["borderWidth"] = 2
            item["shapeProperties"] = {"borderDashes": [4, 3]}
        elif role == "learn":  # what the city could learn: an orange ring
            item["color"]["border"] = "#f28e2b"
            item["borderWidth"] = 4
        if positions is not None:
            x, y = positions[node]
            item["x"], item["y"] = x, y
            if node in pinned:
                item["fixed"] = {"x": True, "y": True}
            elif not physics:
                item["physics"] = False
        out.append(item)
    return out


def _edge_tooltip(model: Model, graph: nx.MultiDiGraph, u: str, v: str, data: dict) -> str:
    name_u, name_v = graph.nodes[u].get("name", u), graph.nodes[v].get("name", v)
    relation = data.get("relation", "")
    if relation == "similar":
        lines = [f"{name_u} — {name_v}", f"相似度 score {data['score']:.3f}"]
        if data.get("p_value") is not None:
            lines[-1] += f" · p = {data['p_value']:.3g}"
        if data.get("shared"):
            lines.append("共同举措 shared initiatives:")
            lines.extend("· " + model.name(x) if x in model.dataset.entities else "· " + x for x in data["shared"])
        return "\n".join(lines)
    lines = [f"{name_u} → {name_v}", _RELATION_LABELS.get(relation, relation)]
    if data.get("evidence"):
        lines.extend(f"“{q}”" for q in data["evidence"].split("\n"))
    if data.get("document"):
        lines.append("— " + _document_label(model, data["document"]))
    return "\n".join(lines)


def _vis_edges(model: Model, graph: nx.MultiDiGraph) -> list[dict]:
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    top = max((d.get("score", 0.0) for *_, d in edges), default=0.0) or 1.0
    out = []
    for i, (u, v, key, data) in enumerate(edges):
        item = {"id": f"e{i}", "from": u, "to": v, "title": _edge_tooltip(model, graph, u, v, data), "relation": key}
        if key == "adopts" and graph.graph.get("kind") == "city" and u != graph.graph.get("subject"):
            item["color"] = {"color": "#e7a1a2", "inherit": False}
        if key == "similar":
            item["width"] = round(1 + 9 * data["score"] / top, 2)
            item["color"] = {"color": "#c44e52", "highlight": "#8f2d30", "inherit": False}
            item["arrows"] = {"to": {"enabled": False}}
            item["value"] = round(float(data["score"]), 6)
            if not data.get("significant"):
                item["dashes"] = True
        out.append(item)
    return out


class _Provenance:
    """The relations and adoption evidence a view's panel can show, each quote stored once.

    ``relations`` rows: ``[source, relation, target, quote, document index or -1]``; ``evidence`` rows:
    ``[city, initiative, practice, quote, document index]``; ``documents``: labels; ``names``: display names of
    every id mentioned.
    """

    def __init__(self, model: Model, nodes: set[str]):
        self.model = model
        self.names: dict[str, str] = {}
        self._documents: dict[str, int] = {}
        self.relations = []
        for r in model.dataset.relations:
            if r.source in nodes or r.target in nodes:
                self.relations.append(
                    [self.named(r.source), r.relation, self.named(r.target), r.evidence, self.document(r.document)]
                )
        self.evidence = []
        for (city, initiative), items in sorted(model.adoption.evidence.items()):
            if city in nodes or initiative in nodes:
                for ev in items:
                    self.evidence.append(
                        [
                            self.named(city),
                            self.named(initiative),
                            self.named(ev.practice),
                            ev.quote,
                            self.document(ev.document),
                        ]
                    )

    def named(self, entity: str) -> str:
        if entity not in self.names:
            self.names[entity] = _feature_name(self.model, entity)
        return entity

    def document(self, doc: str) -> int:
        if not doc:
            return -1
        if doc not in self._documents:
            self._documents[doc] = len(self._documents)
        return self._documents[doc]

    @property
    def documents(self) -> list[str]:
        return [_document_label(self.model, d) for d in self._documents]


def _feature_name(model: Model, feature: str) -> str:
    if feature in model.dataset.entities:
        return model.name(feature)
    return feature.split(":", 1)[1] if feature.startswith("term:") else feature


def _details(model: Model, graph: nx.MultiDiGraph, spec: ViewSpec, prov: _Provenance) -> dict[str, dict]:
    per_city, per_initiative = _counts(model)
    cities = sorted(n for n, t in graph.nodes(data="type") if t == "city")
    peers = {}
    if cities and len(model.incidence.cities) > 1:
        from ..similarity import all_top_peers

        peers = all_top_peers(model, spec.metric, 5)
    learn = {}
    if cities and len(model.incidence.cities) > 1:
        from ..recommend import all_recommendations

        learn = all_recommendations(model, top=5, peers=5, metric=spec.metric, cities=cities)
    details = {}
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        prov.named(node)
        t = attrs.get("type", "")
        rows = [["类型 type", _type_label(t)]]
        for key, label in (
            ("name_en", "英文名 English"),
            ("aliases", "别名 aliases"),
            ("description", "说明 description"),
            ("level", "级别 level"),
        ):
            value = attrs.get(key)
            if value:
                rows.append([label, value.replace("|", "、") if key == "aliases" else value])
        if attrs.get("lat") is not None:
            rows.append(["坐标 lat, lon", f"{attrs['lat']:.4f}, {attrs['lon']:.4f}"])
        if t == "city":
            rows.append(["共同举措 initiatives", str(per_city.get(node, 0))])
        elif t == "initiative":
            rows.append(["采用城市 cities", str(per_initiative.get(node, 0))])
        rows.append(["编号 id", node])
        item = {"rows": rows}
        if t == "city":
            item["peers"] = [
                [
                    prov.named(p.peer),
                    p.rank,
                    round(float(p.score), 4),
                    None if p.p_value is None else float(f"{p.p_value:.3g}"),
                    [prov.named(x) for x, _ in p.shared],
                ]
                for p in peers.get(node, [])
            ]
            item["recommendations"] = [
                [prov.named(r.initiative), r.rank, round(float(r.score), 4), [prov.named(c) for c in r.peers]]
                for r in learn.get(node, [])
            ]
        details[node] = item
    return details


def _search_index(graph: nx.MultiDiGraph) -> list[list]:
    index = []
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        keys = [node, node.split(":", 1)[-1], attrs.get("name", ""), attrs.get("name_en", "")]
        if attrs.get("type") in ("city", "province"):
            keys.append(strip_suffix(attrs.get("name", "")))
        keys.extend(a for a in (attrs.get("aliases") or "").split("|") if a)
        norm = list(dict.fromkeys(k for k in (normalize(x) for x in keys) if k))
        index.append([node, norm])
    return index


def _options(n: int, physics: bool, directed: bool, compact: bool = False) -> dict:
    """vis-network options; ``compact`` (few edges, as in the similarity view) pulls nodes closer together."""
    return {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"face": FONT_STACK, "size": 12, "color": "#1f2933", "strokeWidth": 4, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False,
            "width": 1,
            "color": {"color": "#b6bec8", "highlight": "#33475b", "hover": "#33475b", "inherit": False},
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.45}},
            "selectionWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 1000,
            "hideEdgesOnZoom": n > 1000,
            "multiselect": False,
        },
        "layout": {"randomSeed": SEED, "improvedLayout": n <= 100},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -4000 if compact else -9000,
                "centralGravity": 0.6 if compact else 0.35,
                "springLength": 160 if compact else 120,
                "springConstant": 0.03,
                "damping": 0.35,
                "avoidOverlap": 0.5,
            },
            "stabilization": {"enabled": True, "iterations": 200, "updateInterval": 20, "fit": True},
            "minVelocity": 1.0,
        },
    }


def _subtitle(model: Model, graph: nx.MultiDiGraph) -> str:
    subject = graph.graph.get("subject")
    parts = []
    if subject and model.dataset.entities[subject].description:
        parts.append(model.dataset.entities[subject].description)
    docs = [_document_label(model, d) for d in graph.graph.get("sources", [])]
    if len(docs) > 3:
        docs = [*docs[:2], f"… {len(docs)} 篇文献 documents in all"]
    if docs:
        parts.append(("来源 Source: " if len(docs) == 1 else "来源 Sources: ") + "；".join(docs))
    return " · ".join(parts)


def page_data(model: Model, spec: ViewSpec, graph: nx.MultiDiGraph | None = None) -> dict:
    """Everything the page's script needs, as plain JSON-ready data (the vis nodes and edges go through pyvis).

    Raises the errors of :func:`graph.views.select`.
    """
    from pyvis.network import Network

    graph = select(model, spec) if graph is None else graph
    n = graph.number_of_nodes()
    positions, pinned = None, set()
    physics = n <= PHYSICS_MAX_NODES
    if spec.layout == "map":
        positions, pinned = map_positions(graph)
    elif not physics:
        positions = force_positions(graph)
    net = Network(height="100%", width="100%", directed=spec.kind != "similarity", cdn_resources="in_line")
    net.nodes = _vis_nodes(model, graph, positions, pinned, physics)
    net.edges = _vis_edges(model, graph)
    if spec.kind == "similarity":  # cities only, spread by few edges: larger labels
        for node in net.nodes:
            node["font"]["size"] = 26
    net.options = _options(n, physics, directed=net.directed, compact=spec.kind == "similarity")
    present = {}
    for _, t in graph.nodes(data="type"):
        present[t] = present.get(t, 0) + 1
    types = [
        {"type": t, "label": _type_label(t), "color": TYPE_COLORS.get(t, "#999999"), "count": present[t]}
        for t in _TYPE_ORDER
        if t in present
    ]
    from ..views import default_filename

    roles = {r for _, r in graph.nodes(data="role") if r}
    keys = [[k, text] for k, text in _ROLE_KEYS if k in roles]
    if any(k == "similar" for *_, k in graph.edges(keys=True)):
        keys.append(["similar", _SIMILAR_KEY])

    prov = _Provenance(model, set(graph.nodes))
    details = _details(model, graph, spec, prov)
    return {
        "meta": {
            "title": graph.graph.get("title", ""),
            "subtitle": _subtitle(model, graph),
            "kind": spec.kind,
            "subject": graph.graph.get("subject") or None,
            "file": default_filename(spec)[: -len(".html")],
            "physics": physics,
            "significance": SIGNIFICANCE,
            "metric": spec.metric,
            "layout": spec.layout,
        },
        "types": types,
        "keys": keys,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": net.options,
        "details": details,
        "search": _search_index(graph),
        "names": prov.names,
        "documents": prov.documents,
        "relations": prov.relations,
        "evidence": prov.evidence,
        "relationLabels": _RELATION_LABELS,
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(data: dict) -> str:
    """The whole HTML page for :func:`page_data`'s result."""
    from markupsafe import Markup

    vis_js, vis_css = _vis_assets()
    page_js, page_css = _own_asset("page.js"), _own_asset("page.css")
    scripts = [vis_js, page_js]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_csp_hash(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    template = _environment().get_template("page.html")
    return template.render(
        title=data["meta"]["title"],
        subtitle=data["meta"]["subtitle"],
        csp=csp,
        data_json=Markup(embed_json(data)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        page_js=Markup(page_js),
        page_css=Markup(page_css),
    )
