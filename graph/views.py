"""Which subgraph a view shows: the overview, a city's neighbourhood, an initiative, a theme, the similarity network.

A :class:`ViewSpec` says what to show; :func:`select` returns that part of the graph as a networkx
``MultiDiGraph`` whose ``graph`` attributes carry the view's title and its sources. :func:`drawn` returns the same
nodes, edges and attributes as a :class:`Drawn`, which is what the page is made from: the overview, the largest
view, is built as one straight from the dataset's columns, without networkx. Drawing it is
:mod:`graph.render`'s job.

Two levels of detail: ``practice`` (cities -reports-> practices -instance_of-> initiatives, as curated) and
``initiative`` (practices collapsed: each city joined directly to the initiatives it adopts, the edge carrying the
evidence quotes of the practices in between).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError, RequestError, unknown
from .lang import listing, say

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from .model import Evidence, Model

__all__ = [
    "KINDS",
    "Drawn",
    "LAYOUTS",
    "LANGS",
    "LEVELS",
    "SIGNIFICANCE",
    "SIMILARITY_FALLBACK",
    "SIMILARITY_TOP",
    "VIEW_TYPES",
    "ViewSpec",
    "default_filename",
    "drawn",
    "select",
    "sorted_adoptions",
    "spec_from_options",
]

KINDS = ("overview", "city", "initiative", "theme", "similarity")
LANGS = ("zh", "en")
LAYOUTS = ("force", "map")
LEVELS = ("practice", "initiative")

#: The entity types a view draws; events and sources are context (named in the title and the panel).
VIEW_TYPES = ("province", "city", "practice", "initiative", "theme")

#: The similarity view keeps a pair when its overlap is this significant (hypergeometric p-value) ...
SIGNIFICANCE = 0.05
#: ... among each city's this many nearest peers ...
SIMILARITY_TOP = 5
#: ... and joins a city with no significant peer to its this many nearest ones (with a positive score).
SIMILARITY_FALLBACK = 2


@dataclass(frozen=True)
class ViewSpec:
    """What a view shows.

    Parameters
    ----------
    kind : {"overview", "city", "initiative", "theme", "similarity"}
    name : str, optional
        The city, initiative or theme the view is about (any of its names, or its id).
    depth : int
        For a city view: how many steps away from the city (in the undirected graph) nodes are shown.
    metric : str
        The similarity metric of the similarity view and of the peers listed in the details panel.
    layout : {"force", "map"}
        ``map`` pins cities at their coordinates.
    level : {"practice", "initiative"}
        ``initiative`` collapses practices: cities are joined directly to the initiatives they adopt.
    lang : {"zh", "en"}
        The language of the page's title, legend, panel and explanations (names stay as the data has them).
    """

    kind: str = "overview"
    name: str | None = None
    depth: int = 1
    metric: str = "idf-cosine"
    layout: str = "force"
    level: str = "practice"
    lang: str = "zh"


def _check(spec: ViewSpec) -> None:
    if spec.kind not in KINDS:
        raise RequestError(unknown("view", spec.kind, KINDS))
    if spec.layout not in LAYOUTS:
        raise RequestError(unknown("layout", spec.layout, LAYOUTS))
    if spec.lang not in LANGS:
        raise RequestError(unknown("language", spec.lang, LANGS))
    if spec.level not in LEVELS:
        raise RequestError(unknown("level", spec.level, LEVELS))
    if spec.kind in ("city", "initiative", "theme") and not (spec.name or "").strip():
        raise RequestError(say("the {kind} view needs a name", kind=say(spec.kind)))
    if spec.kind in ("overview", "similarity") and spec.name:
        raise RequestError(say("the {kind} view takes no name", kind=say(spec.kind)))
    if spec.depth < 1:
        raise RequestError(say("depth must be at least 1, not {value}", value=spec.depth))


def spec_from_options(
    city: str | None = None,
    depth: int | None = None,
    initiative: str | None = None,
    theme: str | None = None,
    similarity: bool = False,
    metric: str = "idf-cosine",
    layout: str = "force",
    level: str = "practice",
    lang: str = "zh",
) -> ViewSpec:
    """The view the command line's options ask for; at most one of city, initiative, theme and similarity.

    Raises
    ------
    RequestError
        Two views asked at once, or a depth without a city.

    Examples
    --------
    >>> spec_from_options(city="潜江", depth=2)
    ViewSpec(kind='city', name='潜江', depth=2, metric='idf-cosine', layout='force', level='practice', lang='zh')
    >>> spec_from_options(similarity=True, layout="map").kind
    'similarity'
    >>> spec_from_options(city="潜江", theme="基层治理")
    Traceback (most recent call last):
    ...
    graph.errors.RequestError: --city and --theme cannot be combined: choose one view
    """
    named = (("city", city), ("initiative", initiative), ("theme", theme))
    chosen = [(kind, value) for kind, value in named if value is not None]
    if similarity:
        chosen.append(("similarity", None))
    if len(chosen) > 1:
        options = [f"--{kind}" for kind, _ in chosen]
        raise RequestError(say("{options} cannot be combined: choose one view", options=listing(options, sep=" and ")))
    if depth is not None and city is None:
        raise RequestError(say("--depth goes with --city"))
    kind, name = chosen[0] if chosen else ("overview", None)
    spec = ViewSpec(kind=kind, name=name, depth=depth or 1, metric=metric, layout=layout, level=level, lang=lang)
    _check(spec)
    return spec


def _slug(text: str) -> str:
    """A file-name-safe form of what the user typed (letters of any script, digits, dashes).

    >>> _slug("潜江 市"), _slug("city:qianjiang"), _slug("../x")
    ('潜江-市', 'city-qianjiang', 'x')
    """
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_") or "view"


def default_filename(spec: ViewSpec) -> str:
    """The file name a view gets when none is given: derived from what it shows.

    >>> default_filename(ViewSpec("overview"))
    'overview.html'
    >>> default_filename(ViewSpec("city", "潜江", depth=2, layout="map"))
    'city-潜江-depth2-map.html'
    >>> default_filename(ViewSpec("similarity", metric="jaccard"))
    'similarity-jaccard.html'
    >>> default_filename(ViewSpec("theme", "基层治理", level="initiative"))
    'theme-基层治理-initiatives.html'
    """
    parts = [spec.kind]
    if spec.name:
        parts.append(_slug(spec.name))
    if spec.kind == "city" and spec.depth != 1:
        parts.append(f"depth{spec.depth}")
    if spec.kind == "similarity":
        parts.append(_slug(spec.metric))
    elif spec.level == "initiative":
        parts.append("initiatives")
    if spec.layout == "map":
        parts.append("map")
    return "-".join(parts) + ".html"


# ---------------------------------------------------------------------------------------------------------------
# the graphs views are cut from


def _node_attrs(model: Model, node: str) -> dict:
    """An entity's node attributes, as :func:`graph.model.build_graph` gives them: its CSV row but the id and the
    coordinates, which come as numbers (only where present).

    >>> from graph.model import Model
    >>> from graph.dataset import Dataset, Entity, Relation
    >>> e = Entity("city:a", "city", "甲市", aliases=("甲", "A"), lat=30.5, lon=112.25)
    >>> _node_attrs(Model(Dataset(".", {e.id: e})), "city:a")  # doctest: +NORMALIZE_WHITESPACE
    {'type': 'city', 'name': '甲市', 'name_en': '', 'aliases': '甲|A', 'description': '', 'level': '', 'date': '',
     'lat': 30.5, 'lon': 112.25}
    """
    e = model.dataset.entities[node]
    attrs = {
        "type": e.type,
        "name": e.name,
        "name_en": e.name_en,
        "aliases": "|".join(e.aliases),
        "description": e.description,
        "level": e.level,
        "date": e.date,
    }
    if e.lat is not None:
        attrs["lat"], attrs["lon"] = e.lat, e.lon
    return attrs


def sorted_adoptions(model: Model) -> list[tuple[tuple[str, str], list[Evidence]]]:
    """Every adoption's evidence, ``((city, initiative), [Evidence, ...])`` by city then initiative (made once per
    model)."""
    return model.derived("sorted_adoptions", lambda: sorted(model.adoption.evidence.items()))


def _quotes_of(items: list) -> str:
    """The distinct quotes of an adoption's evidence, one a line."""
    if len(items) == 1:
        return items[0].quote
    return "\n".join(dict.fromkeys(ev.quote for ev in items))


class Drawn:
    """What a view draws: ``nodes`` (id -> attributes, in the order they were added), the edges (source, target,
    relation, attributes) and ``graph`` (the view's title, subject, kind and sources).

    It reads like the networkx graph :func:`select` returns, as far as the page and the layouts read it
    (``nodes``, ``edges()``, ``graph``, ``number_of_nodes()``, ``in``), and is cheap to make: a large overview is
    built as one without networkx.

    Examples
    --------
    >>> d = Drawn({"a": {"type": "city"}, "b": {"type": "initiative"}}, [("a", "b", "adopts", {"document": "s"})])
    >>> d.number_of_nodes(), d.number_of_edges(), "a" in d, list(d.edges()), list(d.edges(data="document"))
    (2, 1, True, [('a', 'b')], [('a', 'b', 's')])
    >>> Drawn.of(d.to_networkx()).edges(keys=True, data=True) == d.edges(keys=True, data=True)
    True
    """

    __slots__ = ("nodes", "_edges", "graph")

    def __init__(self, nodes: dict[str, dict], edges: list[tuple[str, str, str, dict]], graph: dict | None = None):
        self.nodes = nodes
        self._edges = edges
        self.graph = {} if graph is None else graph

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> Drawn:
        """The nodes, edges and attributes of a networkx multigraph, in its order (the attributes are shared)."""
        return cls(dict(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)), graph.graph)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The same as a networkx ``MultiDiGraph``, nodes and edges added in this order."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from(self.nodes.items())
        graph.add_edges_from(self._edges)
        graph.graph.update(self.graph)
        return graph

    def __contains__(self, node) -> bool:
        return node in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self._edges)

    def edges(self, keys: bool = False, data: bool | str = False) -> list[tuple]:
        """The edges as networkx's ``edges(keys=..., data=...)`` gives them (``data`` True or one attribute)."""
        if keys and data is True:
            return self._edges
        if data is True:
            return [(u, v, d) for u, v, _, d in self._edges]
        if data:
            if keys:
                return [(u, v, k, d.get(data)) for u, v, k, d in self._edges]
            return [(u, v, d.get(data)) for u, v, _, d in self._edges]
        if keys:
            return [(u, v, k) for u, v, k, _ in self._edges]
        return [(u, v) for u, v, _, _ in self._edges]


def _base_rows(model: Model, level: str) -> Drawn:
    """The drawable graph at a level of detail: every entity of :data:`VIEW_TYPES` and the relations among them,
    read from the dataset's columns (nodes in id order; the relations' edges sorted, then the adoptions' sorted).
    """
    types = set(VIEW_TYPES) - ({"practice"} if level == "initiative" else set())
    keep = sorted(n for n, e in model.dataset.entities.items() if e.type in types)
    nodes = {n: _node_attrs(model, n) for n in keep}
    edges = {}  # (source, target, relation) -> attributes; a repeated row replaces the earlier, as in the model
    columns = model.dataset.columns
    rows = zip(columns.source, columns.relation, columns.target, columns.evidence, columns.document, strict=True)
    for source, relation, target, evidence, document in rows:
        if source in nodes and target in nodes:
            edges[source, target, relation] = {"relation": relation, "evidence": evidence, "document": document}
    out = [(u, v, k, edges[u, v, k]) for u, v, k in sorted(edges)]
    if level == "initiative":
        for (city, initiative), items in sorted_adoptions(model):
            first = items[0]
            quotes, practices = (first.quote, [first.practice]) if len(items) == 1 else (_quotes_of(items), None)
            attrs = {
                "relation": "adopts",
                "evidence": quotes,
                "document": first.document,
                "practices": practices or [ev.practice for ev in items],
            }
            out.append((city, initiative, "adopts", attrs))
    return Drawn(nodes, out)


def _base_graph(model: Model, level: str) -> nx.MultiDiGraph:
    """The drawable graph at a level of detail (see :func:`_base_rows`) as a networkx graph.

    Built from the dataset directly (the model's graph of every entity and relation is not needed for it).
    """
    return _base_rows(model, level).to_networkx()


def _adoption_nodes(model: Model, initiative: str, level: str) -> set[str]:
    """The adopting cities of an initiative, with (at practice level) the practices linking them to it."""
    inc = model.adoption
    nodes = set(inc.cities_of(initiative))
    if level == "initiative":
        return nodes
    parents = model.dataset.part_of_parents
    reported = model.dataset.reported
    for city in inc.cities_of(initiative):
        for ev in inc.evidence[(city, initiative)]:
            # climb part_of from the practice to one the city reports, keeping the path
            stack, seen = [ev.practice], set()
            while stack:
                practice = stack.pop()
                if practice in seen:
                    continue
                seen.add(practice)
                nodes.add(practice)
                if practice in reported.get(city, ()):
                    continue
                stack.extend(parents.get(practice, ()))
    return nodes


def _part(base: nx.MultiDiGraph, nodes) -> nx.MultiDiGraph:
    """The part of ``base`` on ``nodes``, as a graph of its own: the nodes in the base's order, each node's edges
    in the base's order, the attributes copied (one level deep).

    It is what ``base.subgraph(nodes).copy()`` gives when ``nodes`` is at least half the base; on a smaller part,
    networkx lists the nodes (and a node's neighbours, when they outnumber the part twice) in the order of a set
    of strings, which changes from run to run with Python's hash seed, and so would a layout made from them.

    >>> import networkx as nx
    >>> base = nx.MultiDiGraph([("a", "b"), ("c", "a"), ("c", "b"), ("d", "a")])
    >>> part = _part(base, {"d", "c", "a"})
    >>> list(part), list(part.edges(keys=True))
    (['a', 'c', 'd'], [('c', 'a', 0), ('d', 'a', 0)])
    """
    keep = [n for n in base if n in nodes]
    kept = set(keep)
    graph = base.__class__()
    graph.graph.update(base.graph)
    graph.add_nodes_from((n, base.nodes[n].copy()) for n in keep)
    adj = base.adj
    graph.add_edges_from(
        (u, v, k, d.copy()) for u in keep for v, keyed in adj[u].items() if v in kept for k, d in keyed.items()
    )
    return graph


def _themes_of(base: nx.MultiDiGraph, initiative: str) -> list[str]:
    return sorted(v for _, v, k in base.out_edges(initiative, keys=True) if k == "belongs_to")


def _initiatives_of_theme(base: nx.MultiDiGraph, theme: str) -> list[str]:
    return sorted(u for u, _, k in base.in_edges(theme, keys=True) if k == "belongs_to")


def _count(n: int, noun: str) -> str:
    """``n`` and the noun, in the plural when needed.

    >>> _count(1, "city"), _count(13, "city"), _count(6, "theme")
    ('1 city', '13 cities', '6 themes')
    """
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _describe(model: Model, entity: str, zh: bool = True) -> str:
    e = model.dataset.entities[entity]
    return f"{e.name} ({e.name_en})" if e.name_en and not zh else e.name


#: How a Chinese title counts each type.
_ZH_COUNTERS = {
    "province": "个省",
    "city": "个城市",
    "practice": "项做法",
    "initiative": "项共同举措",
    "theme": "个主题",
}


def _sources(model: Model, graph: nx.MultiDiGraph) -> list[str]:
    """The source documents the evidence drawn in a view comes from (every source when it draws none)."""
    docs = {d for _, _, d in graph.edges(data="document") if d}
    if not docs:
        docs = {e.id for e in model.dataset.of_type("source")}
    return sorted(docs)


def _similarity_graph(model: Model, spec: ViewSpec) -> nx.MultiDiGraph:
    import networkx as nx

    from .similarity import all_top_peers

    inc = model.incidence
    if len(inc.cities) < 2:
        raise InputError(say("the similarity view needs at least two cities"))
    ranked = all_top_peers(model, spec.metric, SIMILARITY_TOP)
    pairs: dict[tuple[str, str], object] = {}
    for city in sorted(ranked):
        peers = ranked[city]
        chosen = [p for p in peers if p.p_value is not None and p.p_value <= SIGNIFICANCE]
        if not chosen:
            chosen = [p for p in peers if p.score > 0][:SIMILARITY_FALLBACK]
        for p in chosen:
            key = (min(p.city, p.peer), max(p.city, p.peer))
            if key not in pairs or p.score > pairs[key].score:
                pairs[key] = p
    graph = nx.MultiDiGraph()
    for city in inc.cities:
        graph.add_node(city, **_node_attrs(model, city))
    for (a, b), p in sorted(pairs.items()):
        graph.add_edge(
            a,
            b,
            key="similar",
            relation="similar",
            score=float(p.score),
            p_value=None if p.p_value is None else float(p.p_value),
            significant=p.p_value is not None and p.p_value <= SIGNIFICANCE,
            shared=[x for x, _ in p.shared],
            contributions=[float(c) for _, c in p.shared],
            evidence="",
            document="",
        )
    documents = {ev.document for items in inc.evidence.values() for ev in items}
    graph.graph["sources"] = sorted(documents or {e.id for e in model.dataset.of_type("source")})
    return graph


def _city_peers(model: Model, subject: str, metric: str) -> list:
    """The subject's peers a city view draws: its significant ones among its nearest, else its nearest two."""
    from .similarity import all_top_peers

    if len(model.incidence.cities) < 2 or subject not in model.incidence.city_index:
        return []
    peers = all_top_peers(model, metric, SIMILARITY_TOP).get(subject, [])
    chosen = [p for p in peers if p.p_value is not None and p.p_value <= SIGNIFICANCE]
    return chosen or [p for p in peers if p.score > 0][:SIMILARITY_FALLBACK]


def _adopts_edge(model: Model, graph: nx.MultiDiGraph, city: str, initiative: str) -> None:
    """A city joined directly to an initiative it adopts, the edge carrying the quotes of the practices between."""
    items = model.adoption.evidence.get((city, initiative), [])
    if not items or graph.has_edge(city, initiative, "adopts"):
        return
    graph.add_edge(
        city,
        initiative,
        key="adopts",
        relation="adopts",
        evidence=_quotes_of(items),
        document=items[0].document,
        practices=[ev.practice for ev in items],
    )


def _city_graph(model: Model, spec: ViewSpec, base: nx.MultiDiGraph, subject: str) -> nx.MultiDiGraph:
    """What a city view draws: the city, its province, its practices and initiatives; its significant peers joined
    to it (a ``similar`` edge) and to the initiatives they share with it; what it could learn, joined to the peers
    it could learn it from.

    The province is shown but is no path: cities of one province are not neighbours for sharing it. ``depth``
    counts steps through practices and initiatives (depth 1: the city's own practices and initiatives; depth 2:
    also the other cities' practices of those initiatives, and so on). Nodes carry a ``role``: ``subject``,
    ``peer`` (significant), ``weak-peer`` (not significant, drawn only as a fallback or as the source of a
    recommendation) and ``learn`` (an initiative the city could learn).
    """
    import networkx as nx

    from .recommend import all_recommendations

    walk = nx.Graph()
    walk.add_nodes_from(base.nodes)
    walk.add_edges_from((u, v) for u, v, k in base.edges(keys=True) if k not in ("located_in", "belongs_to"))
    radius = spec.depth + (1 if spec.level == "practice" else 0)
    nodes = set(nx.ego_graph(walk, subject, radius=radius))
    nodes |= {v for _, v, k in base.out_edges(subject, keys=True) if k == "located_in"}
    graph = _part(base, nodes)
    graph.remove_edges_from([(u, v, k) for u, v, k in graph.edges(keys=True) if k == "located_in" and u != subject])
    own = set(model.adoption.initiatives_of(subject)) if subject in model.adoption.city_index else set()
    for initiative in sorted(own):  # an initiative reached only through a headline practice beyond the radius
        if initiative not in graph:
            graph.add_node(initiative, **_node_attrs(model, initiative))
            _adopts_edge(model, graph, subject, initiative)
    graph.nodes[subject]["role"] = "subject"
    peers = _city_peers(model, subject, spec.metric)
    significant = {}

    def add_city(city: str, strong: bool) -> None:
        if city not in graph:
            graph.add_node(city, **_node_attrs(model, city))
        if graph.nodes[city].get("role") not in ("subject", "peer"):
            graph.nodes[city]["role"] = "peer" if strong else "weak-peer"

    for p in peers:
        strong = p.p_value is not None and p.p_value <= SIGNIFICANCE
        significant[p.peer] = strong
        add_city(p.peer, strong)
        graph.add_edge(
            subject,
            p.peer,
            key="similar",
            relation="similar",
            score=float(p.score),
            p_value=None if p.p_value is None else float(p.p_value),
            significant=strong,
            shared=[x for x, _ in p.shared],
            contributions=[float(c) for _, c in p.shared],
            evidence="",
            document="",
        )
        for x, _ in p.shared:
            if x in graph:
                _adopts_edge(model, graph, p.peer, x)
    if len(model.incidence.cities) > 1 and subject in model.incidence.city_index:
        from .similarity import all_top_peers

        ranked = {p.peer: p for p in all_top_peers(model, spec.metric, SIMILARITY_TOP).get(subject, [])}
        learn = all_recommendations(model, top=5, peers=5, metric=spec.metric, cities=[subject]).get(subject, [])
        for r in learn:
            if r.initiative not in graph:
                graph.add_node(r.initiative, **_node_attrs(model, r.initiative))
            graph.nodes[r.initiative]["role"] = "learn"
            graph.nodes[r.initiative]["learn_score"] = float(r.score)
            for city in r.peers:
                p = ranked.get(city)
                add_city(city, p is not None and p.p_value is not None and p.p_value <= SIGNIFICANCE)
                _adopts_edge(model, graph, city, r.initiative)
    return graph


def select(model: Model, spec: ViewSpec) -> nx.MultiDiGraph:
    """The subgraph a view shows, with ``graph.graph`` holding ``title``, ``subject`` and ``sources``.

    Parameters
    ----------
    model : Model
    spec : ViewSpec

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry the entity attributes (``type``, ``name``, ...); edges ``relation``, ``evidence`` and
        ``document`` (and, in the similarity view, ``score``, ``p_value``, ``shared``).

    Raises
    ------
    RequestError
        An unknown view, layout or level, a missing name, a name of the wrong type, a depth below 1.
    InputError
        A similarity view of fewer than two cities.

    Examples
    --------
    >>> from graph.model import Model
    >>> from graph.dataset import load_dataset
    >>> model = Model(load_dataset(MINI))
    >>> view = select(model, ViewSpec("city", "甲山", level="initiative"))
    >>> sorted(n for n in view.nodes if view.nodes[n]["type"] != "initiative")
    ['city:bing', 'city:jia', 'city:yi', 'province:hubei']
    >>> view.graph["title"]
    '甲山市 · 共同举措、相似城市与可借鉴之处（深度 1）（做法已合并）'
    """
    _check(spec)
    subject = None
    zh = spec.lang == "zh"
    collapsed = ("（做法已合并）" if zh else " (practices collapsed)") if spec.level == "initiative" else ""
    if spec.kind == "similarity":
        graph = _similarity_graph(model, spec)
        solid = sum(1 for *_, d in graph.edges(data=True) if d.get("significant"))
        dashed = graph.number_of_edges() - solid
        if zh:
            title = (
                f"相似城市 · {spec.metric}：实线 {solid} 条显著（p ≤ {SIGNIFICANCE:g}），虚线 {dashed} 条为最近但不显著"
            )
        else:
            title = (
                f"Similar cities · {spec.metric}: {solid} solid links significant (p ≤ {SIGNIFICANCE:g}), "
                f"{dashed} dashed nearest but not significant"
            )
        graph.graph.update(title=title, subject=None, kind=spec.kind)
        return graph

    if spec.kind == "overview":
        return _overview(model, spec).to_networkx()
    base = _base_graph(model, spec.level)
    if spec.kind == "city":
        subject = model.names.resolve(spec.name, "city")
        graph = _city_graph(model, spec, base, subject)
        if zh:
            title = f"{_describe(model, subject, zh)} · 共同举措、相似城市与可借鉴之处（深度 {spec.depth}）"
        else:
            title = (
                f"{_describe(model, subject, zh)} · its initiatives, peers and what it could learn (depth {spec.depth})"
            )
        graph.graph.update(title=title + collapsed, subject=subject, kind=spec.kind, sources=_sources(model, graph))
        return graph
    elif spec.kind == "initiative":
        subject = model.names.resolve(spec.name, "initiative")
        nodes = {subject, *_themes_of(base, subject), *_adoption_nodes(model, subject, spec.level)}
        n = len(model.adoption.cities_of(subject))
        title = f"{_describe(model, subject, zh)} · " + (f"{n} 个城市采用" if zh else f"adopted by {_count(n, 'city')}")
    else:  # theme
        subject = model.names.resolve(spec.name, "theme")
        nodes = {subject}
        initiatives = _initiatives_of_theme(base, subject)
        for x in initiatives:
            nodes |= {x, *_adoption_nodes(model, x, spec.level)}
        k = len(initiatives)
        title = f"{_describe(model, subject, zh)} · " + (
            f"{k} 项共同举措及采用它们的城市" if zh else f"{_count(k, 'initiative')} and the cities adopting them"
        )
    title += collapsed
    graph = _part(base, nodes)
    graph.graph.update(title=title, subject=subject, kind=spec.kind, sources=_sources(model, graph))
    return graph


def _overview(model: Model, spec: ViewSpec) -> Drawn:
    """The overview: every drawable entity and the relations among them (see :func:`_base_rows`)."""
    view = _base_rows(model, spec.level)
    zh = spec.lang == "zh"
    counts = {}
    for attrs in view.nodes.values():
        t = attrs.get("type")
        counts[t] = counts.get(t, 0) + 1
    if zh:
        title = "总览 · " + "，".join(f"{counts[t]} {_ZH_COUNTERS[t]}" for t in VIEW_TYPES if t in counts)
    else:
        title = "Overview · " + ", ".join(_count(counts[t], t) for t in VIEW_TYPES if t in counts)
    if spec.level == "initiative":
        title += "（做法已合并）" if zh else " (practices collapsed)"
    view.graph.update(title=title, subject=None, kind=spec.kind, sources=_sources(model, view))
    return view


def drawn(model: Model, spec: ViewSpec) -> Drawn:
    """What :func:`select` gives, as a :class:`Drawn`: the same nodes, edges and attributes.

    The overview is built without networkx.

    Examples
    --------
    >>> from graph.model import Model
    >>> from graph.dataset import load_dataset
    >>> model = Model(load_dataset(MINI))
    >>> view = drawn(model, ViewSpec(level="initiative"))
    >>> view.number_of_nodes(), view.number_of_edges(), view.graph["title"]
    (11, 16, '总览 · 1 个省，4 个城市，4 项共同举措，2 个主题（做法已合并）')
    """
    _check(spec)
    if spec.kind == "overview":
        return _overview(model, spec)
    return Drawn.of(select(model, spec))
