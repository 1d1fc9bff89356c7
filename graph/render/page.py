"""Assemble one view's page: vis-network's nodes, edges and options, the details of every node, the search index,
and the project's template with every script and style inline (vis-network 9.1.2 as pyvis bundles it).

Each text travels once: ids and names, quotes and their sentences, node and edge looks, documents sit in tables
that nodes, edges, relations and evidence refer to by index, and the page's script writes the tooltips from them.
A view of 5,000 nodes and 25,773 edges so weighs 11.5 MB, not the 20 MB of a tooltip and a quote per edge and row.

Safety: the template is rendered by an autoescaping Jinja environment; node and edge data, details and the search
index travel as one JSON document in a ``<script type="application/json">`` block, with ``<``, ``>``, ``&``, ``/``,
U+2028 and U+2029 escaped, and the page's script writes every data text with ``textContent``. The page carries a
Content-Security-Policy that admits only its own three scripts (by hash) and no request at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from functools import cache, cached_property
from importlib import resources
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from ..names import normalize, strip_suffix
from ..schema import TYPE_LABELS
from ..textutil import sentences_around
from ..views import SIGNIFICANCE, Drawn, ViewSpec, drawn, sorted_adoptions
from .layout import SEED, force_positions, map_layer, map_positions

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
    "render_page_bytes",
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

#: relation -> {language: (read from its source, read from its target)}: "潜江市 位于 湖北省", "湖北省 包含 潜江市".
_RELATION_LABELS = {
    "located_in": {"zh": ("位于", "包含城市"), "en": ("located in", "contains")},
    "attended": {"zh": ("出席", "出席城市"), "en": ("attended", "attended by")},
    "covers": {"zh": ("报道", "报道来源"), "en": ("covers", "covered by")},
    "reports": {"zh": ("报告做法", "报告城市"), "en": ("reports", "reported by")},
    "part_of": {"zh": ("属于做法", "包含措施"), "en": ("part of", "has the measure")},
    "instance_of": {"zh": ("体现举措", "实例做法"), "en": ("instance of", "has the case")},
    "belongs_to": {"zh": ("属于主题", "包含举措"), "en": ("belongs to", "includes")},
    "adopts": {"zh": ("采用举措", "采用城市"), "en": ("adopts", "adopted by")},
    "similar": {"zh": ("相似", "相似"), "en": ("similar to", "similar to")},
}
#: What the marks of a city view mean (shown beside the legend), by language.
_ROLE_KEYS = {
    "zh": (
        ("subject", "黑圈：本市"),
        ("peer", "红点：显著相似的城市（p ≤ 0.05）"),
        ("weak-peer", "浅色虚线圈：相似但不显著（p > 0.05）"),
        ("learn", "橙圈：可以借鉴的举措"),
    ),
    "en": (
        ("subject", "black ring: this city"),
        ("peer", "red: significant peer (p ≤ 0.05)"),
        ("weak-peer", "pale, dashed: weak peer (p > 0.05)"),
        ("learn", "orange ring: could learn"),
    ),
}
_SIMILAR_KEY = {
    "zh": "红线：相似，越粗越相似；虚线：最近但不显著",
    "en": "red line: similar, wider = more alike; dashed: nearest but not significant",
}
#: The page's own words, by language (the data's names and quotes are shown as they are).
_UI = {
    "zh": {
        "search_placeholder": "搜索：名称 / 拼音 / 英文 / 别名",
        "search_label": "搜索",
        "fit": "全图",
        "fit_title": "显示全部",
        "relayout": "重新布局",
        "relayout_title": "重新计算布局",
        "png": "保存图片",
        "png_title": "保存为 PNG 图片（两倍分辨率，含标题、图例和来源），可直接用于幻灯片",
        "svg": "SVG",
        "svg_title": "保存为 SVG 矢量图（含标题、图例和来源，文字可在幻灯片中编辑）",
        "hint": "点击节点查看详情：相似城市及其原因、可以借鉴什么、向谁借鉴，以及原文证据。",
        "noscript": "这个页面需要 JavaScript 来绘制图形。",
        "legend_title": "图例（点击隐藏一类）：",
        "laying_out": "布局中… ",
        "nothing_found": "没有找到",
        "not_in_view": "不在此视图中",
        "source": "来源：",
        "back": "后退",
        "forward": "前进",
        "peers_title": "最相似的城市",
        "peers_help": "相似度 0–1：共同举措越多、越少见越高。* 表示显著（p ≤ 0.05）。",
        "peers_help_long": "idf-cosine：按共同举措计算的余弦相似度，少有城市采用的举措权重更高（逆文档频率）。"
        "p：两市随机各选这么多举措时，至少共有这么多项的概率（超几何检验）；p ≤ 0.05 记 *，视为显著。",
        "score_hover": "相似度（0–1）· p：共有这么多举措纯属偶然的概率 · * 显著（p ≤ 0.05）",
        "no_significant": "没有显著相似的城市（p ≤ 0.05），以下仅供参考。",
        "weak_title": "弱相似（不显著，p > 0.05）",
        "weak_help": "共同举措少或常见，重合可能只是巧合。",
        "shared": "共同：",
        "why": "证据：双方原文",
        "why_learn": "证据：对方原文",
        "learn_title": "可以借鉴",
        "learn_help": "本市尚未报告、而最相似城市采用的举措。得分 0–1：采用它的相似城市所占相似度之和的比例。",
        "learn_help_long": "在最相似的 5 个城市中，把采用该举措的城市的相似度相加，再除以这 5 个城市的相似度之和。"
        "1 表示所有相似城市都采用。这是一次性自述材料：说明可以借鉴什么，不说明谁向谁学习过。",
        "learn_hover": "得分：采用该举措的相似城市的相似度之和 ÷ 全部最相似城市的相似度之和",
        "learn_from": "可向其学习：",
        "rests_on_weak": "仅依据不显著的相似城市，参考价值有限",
        "not_precomputed": "此视图城市较多，未预先计算。可运行：practice-graph recommend ",
        "none": "没有",
        "adopted_city": "采用的共同举措",
        "adopted_initiative": "采用的城市",
        "practice": "做法：",
        "relations_title": "关系与证据",
        "facts_title": "基本信息",
        "png_legend": "图例",
        "png_source": "来源：",
        "stable": "稳定",
        "fragile": "不稳定",
        "stability_hover": "在 200 次各去掉十分之一联系的重抽样中仍为相似城市的比例；至少 80% 为稳定",
        "rests_on": "取决于：",
        "all_provinces": "全部省份",
        "province_filter": "只显示一个省的城市和做法",
        "threshold": "相似度 ≥",
        "threshold_title": "只显示相似度不低于此值的相似联系",
    },
    "en": {
        "search_placeholder": "Search: name / pinyin / English / alias",
        "search_label": "Search",
        "fit": "Fit",
        "fit_title": "Show everything",
        "relayout": "Re-layout",
        "relayout_title": "Lay the graph out again",
        "png": "Save PNG",
        "png_title": "Save the picture as PNG (2x, with title, legend and source), ready for slides",
        "svg": "SVG",
        "svg_title": "Save the picture as SVG (vector, with title, legend and source; text stays editable in slides)",
        "hint": "Click a node for who is alike and why, what it could learn and from whom, and the quotes.",
        "noscript": "This page needs JavaScript to draw the graph.",
        "legend_title": "Legend (click to hide a type):",
        "laying_out": "laying out… ",
        "nothing_found": "nothing found",
        "not_in_view": "not in this view",
        "source": "Source: ",
        "back": "Back",
        "forward": "Forward",
        "peers_title": "Most similar cities",
        "peers_help": "Score 0–1: more and rarer shared initiatives score higher. * = significant (p ≤ 0.05).",
        "peers_help_long": "idf-cosine: cosine similarity over shared initiatives, rare ones weighted up (inverse "
        "document frequency). p: the chance that two cities picking this many initiatives at random share at "
        "least this many (hypergeometric test); p ≤ 0.05 gets a * and counts as significant.",
        "score_hover": "score (0–1) · p: chance the overlap is coincidence · * significant (p ≤ 0.05)",
        "no_significant": "No significant peer (p ≤ 0.05); the ones below are indicative only.",
        "weak_title": "Weak peers (not significant, p > 0.05)",
        "weak_help": "Few or common shared initiatives: the overlap may be chance.",
        "shared": "Shared: ",
        "why": "Evidence: both sides",
        "why_learn": "Evidence: their quotes",
        "learn_title": "Could learn",
        "learn_help": "Initiatives the city does not report that its nearest peers have. Score 0–1: the share "
        "of the peers' similarity held by those adopting it.",
        "learn_help_long": "Among the 5 nearest peers, the similarities of those adopting the initiative, summed and "
        "divided by the sum over all 5. 1 means every peer has it. One self-reported snapshot: it shows what "
        "could be learned, not who learned from whom.",
        "learn_hover": "score: similarity of the peers having it ÷ similarity of all nearest peers",
        "learn_from": "Learn from: ",
        "rests_on_weak": "Rests on weak (not significant) peers only",
        "not_precomputed": "Not precomputed in a view this large: practice-graph recommend ",
        "none": "none",
        "adopted_city": "Initiatives adopted",
        "adopted_initiative": "Adopted by",
        "practice": "practice: ",
        "relations_title": "Relations and evidence",
        "facts_title": "Facts",
        "png_legend": "Legend",
        "png_source": "Source: ",
        "stable": "stable",
        "fragile": "fragile",
        "stability_hover": "share of 200 resamples, each leaving a tenth of the links out, that keep this peer; "
        "stable at 80% or more",
        "rests_on": "rests on: ",
        "all_provinces": "All provinces",
        "province_filter": "Show one province's cities and practices only",
        "threshold": "similarity ≥",
        "threshold_title": "Show similarity links at least this strong only",
    },
}
_TYPE_ORDER = ("city", "initiative", "theme", "practice", "province", "event", "source")
_LABEL_MAX = {"practice": 10, "initiative": 12, "city": 14, "theme": 14, "province": 14}
_TOOLTIP_MAX = 160


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> _short("党员干部下沉社区", 4), _short("红色物业", 4)
    ('党员干…', '红色物业')
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_label(t: str, lang: str = "zh") -> str:
    zh, en = TYPE_LABELS.get(t, (t, t))
    return zh if lang == "zh" else en


#: What :func:`embed_json` escapes, and how.
_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("/", "\\/"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_BYTE_ESCAPES = tuple((char.encode("utf-8"), escape.encode("ascii")) for char, escape in _ESCAPES)


def _json(value) -> str:
    # check_circular=False: page data is trees of lists and dicts made afresh (a cycle would still fail, as a
    # RecursionError), and not checking each container for cycles saves a fifth of the time
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False, check_circular=False
    )


def embed_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``< > & /`` and the JavaScript line separators escaped.

    >>> embed_json({"a": "</script><b>&\\u2028"})
    '{"a":"\\\\u003c\\\\/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = _json(value)
    for char, escape in _ESCAPES:
        text = text.replace(char, escape)
    return text


def embed_json_bytes(value) -> bytes:
    """:func:`embed_json` encoded as UTF-8, escaped as bytes: each escaped character is its own byte sequence in
    UTF-8, and the bytes of Chinese text are two thirds of its characters' in memory (two bytes each), so each
    search and copy is shorter.

    >>> embed_json_bytes({"a": "</script> 潜江\\u2029"}) == embed_json({"a": "</script> 潜江\\u2029"}).encode()
    True
    """
    raw = _json(value).encode("utf-8")
    for char, escape in _BYTE_ESCAPES:
        raw = raw.replace(char, escape)
    return raw


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
        from ..lang import say

        raise InputError(say("pyvis is not installed: pip install pyvis==0.3.2"))
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
    per_city = dict(zip(inc.cities, (inc.indptr[1:] - inc.indptr[:-1]).tolist(), strict=True))
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


def _count_text(t: str, count: int | None, lang: str = "zh") -> str:
    if t == "city":
        return f"{count} 项共同举措" if lang == "zh" else f"{count} initiatives"
    if t == "initiative":
        return f"{count} 个城市采用" if lang == "zh" else f"adopted by {count} cities"
    return ""


class _Table(dict):
    """Values numbered in order of first use: ``table[value]`` is its index (``table.setdefault(value, len(table))``
    the same, without a call of Python code for a new value), ``table.values`` the list (the keys, in order).

    >>> t = _Table(["a", "b"])
    >>> t["c"], t["a"], t.setdefault("d", len(t)), t.setdefault("b", len(t)), t.values
    (2, 0, 3, 1, ['a', 'b', 'c', 'd'])
    """

    def __init__(self, values=()):
        super().__init__()
        for v in values:
            self.setdefault(v, len(self))

    def __missing__(self, value) -> int:
        i = self[value] = len(self)
        return i

    @property
    def values(self) -> list:
        return list(self)


class _Quotes(dict):
    """``quotes[quote, document]``: the index of a quote's row, -1 for no quote (``quotes.setdefault((quote,
    document), len(quotes))`` the same for a quote, without a call of Python code when it is new); :meth:`rows`
    gives the rows ``[quote, document, before, after]`` (indices into the strings and documents), the sentences
    found at once. Only quotes are kept.

    >>> q = _Quotes()
    >>> q["a", "d"], q["", "d"], q.setdefault(("b", "d"), len(q)), q["a", "d"], q.keys_
    (0, -1, 1, 0, [('a', 'd'), ('b', 'd')])
    """

    def __missing__(self, key: tuple[str, str]) -> int:
        if not key[0]:
            return -1
        i = self[key] = len(self)
        return i

    @property
    def keys_(self) -> list[tuple[str, str]]:
        return list(self)

    def rows(self, texts: dict[str, str], strings: _Table, documents: _Table) -> list[list[int]]:
        by_document: dict[str, list[str]] = {}
        for quote, doc in self.keys_:
            by_document.setdefault(doc, []).append(quote)
        around = {doc: sentences_around(texts.get(doc, ""), quotes) for doc, quotes in by_document.items() if doc}
        nothing: dict = {}
        out = []
        add = strings.setdefault  # most quotes are new strings: numbered without a call of Python code each
        for quote, doc in self.keys_:
            before, after = around.get(doc, nothing).get(quote, ("", ""))
            row = [add(quote, len(strings)), documents[doc] if doc else -1]
            row += (add(before, len(strings)), add(after, len(strings)))
            out.append(row)
        return out


class _Provenance:
    """What the page names and quotes, each stored once and referred to by its index.

    ``ids``: every entity id the page mentions, the view's nodes first (in order); ``names``: their display names.
    ``strings``: every distinct quote and sentence part. ``quotes`` rows: ``[quote, document index or -1, before,
    after]`` (string indices), one per distinct quote and document, where ``before`` and ``after`` are the rest of
    the quote's sentence in its document ("" when not found); a measure's quote serves its reports, part_of and
    adoption alike. ``relations`` rows: ``[source, relation, target, quote index or -1]`` and ``evidence`` rows (a
    city's adoption of an initiative through a practice): ``[city, initiative, practice, quote index]``, entities
    as id indices. ``documents``: labels.
    """

    def __init__(self, model: Model, nodes: list[str]):
        self.model = model
        self.index = index = _Table(nodes)
        self.string = _Table()
        self._documents = _Table()
        self.cite = quotes = _Quotes()
        cite = quotes.setdefault  # most quotes are new: numbered without a call of Python code each
        members = set(nodes)
        # one pass over the relations' columns and one over the adoptions (each string read once: at this size,
        # reading them costs more than the lookups)
        columns = model.dataset.columns
        self.relations = [
            [index[source], relation, index[target], cite((evidence, document), len(quotes)) if evidence else -1]
            for source, relation, target, evidence, document in zip(
                columns.source, columns.relation, columns.target, columns.evidence, columns.document, strict=True
            )
            if source in members or target in members
        ]
        self.evidence = [
            [
                index[city],
                index[initiative],
                index[ev.practice],
                cite((ev.quote, ev.document), len(quotes)) if ev.quote else -1,
            ]
            for (city, initiative), items in sorted_adoptions(model)
            if city in members or initiative in members
            for ev in items
        ]

    def named(self, entity: str) -> str:
        """``entity``, noted as named by the page (its name travels in :attr:`names`)."""
        self.index[entity]  # noqa: B018
        return entity

    def document(self, doc: str) -> int:
        return self._documents[doc] if doc else -1

    @property
    def ids(self) -> list[str]:
        return self.index.values

    @property
    def strings(self) -> list[str]:
        return self.string.values

    @cached_property
    def quotes(self) -> list[list[int]]:
        """The rows of the quote table (once every row that cites one is made)."""
        return self.cite.rows(self.model.dataset.texts, self.string, self._documents)

    @property
    def names(self) -> list[str]:
        entities = self.model.dataset.entities
        return [entities[x].name if x in entities else _feature_name(self.model, x) for x in self.ids]

    @property
    def documents(self) -> list[str]:
        return [_document_label(self.model, d) for d in self._documents.values]


#: The columns of the page's node rows (row i is node ``ids[i]``); ``style`` indexes ``styles``, ``tip`` is the
#: description the tooltip shows. The page turns each row into a vis-network node and writes its tooltip.
_NODE_COLUMNS = ("label", "type", "style", "size", "mass", "weight", "province", "role", "x", "y", "tip")
#: The columns of the page's edge rows: ``from`` and ``to`` index ``ids``, ``quotes`` index ``strings`` (the lines
#: of the tooltip), ``document`` indexes ``documents``; ``title`` is set only where the page cannot write the
#: tooltip from the rest (the similarity edges). A row stops after its last cell that is not null.
_EDGE_COLUMNS = ("from", "to", "relation", "document", "quotes", "style", "width", "value", "title")


class _Styles:
    """Each distinct look (colours, font, border, pinning) once; nodes and edges refer to it by index."""

    def __init__(self):
        self.items: list[dict] = []
        self._index: dict[tuple, int] = {}

    def get(self, key: tuple, make) -> int:
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.items)
            self.items.append(make())
        return i


def _node_style(t: str, role: str | None, font_size: int | None, fixed: bool, still: bool) -> dict:
    color = TYPE_COLORS.get(t, "#999999")
    style = {
        "color": {
            "background": color,
            "border": "#ffffff",
            "highlight": {"background": color, "border": "#222222"},
            "hover": {"background": color, "border": "#222222"},
        },
        "font": {"size": font_size or {"city": 24, "theme": 20, "initiative": 16, "province": 16}.get(t, 12)},
    }
    if t == "city":
        style["font"]["bold"] = True
    if role == "subject":
        style["borderWidth"] = 3
        style["color"]["border"] = "#222222"
    elif role == "weak-peer":  # not a significant peer: paler, a dashed ring
        pale = "#f4b6b7"
        style["color"].update(background=pale, border="#e15759")
        style["color"]["highlight"]["background"] = pale
        style["color"]["hover"]["background"] = pale
        style["borderWidth"] = 2
        style["shapeProperties"] = {"borderDashes": [4, 3]}
    elif role == "learn":  # what the city could learn: an orange ring
        style["color"]["border"] = "#f28e2b"
        style["borderWidth"] = 4
    if fixed:
        style["fixed"] = {"x": True, "y": True}
    elif still:
        style["physics"] = False
    return style


def _vis_nodes(
    model: Model,
    graph: Drawn,
    positions,
    pinned,
    physics: bool,
    styles: _Styles,
    font_size: int | None = None,
) -> list[list]:
    """One row of :data:`_NODE_COLUMNS` per node, in the order of ``sorted(graph.nodes)``."""
    per_city, per_initiative = _counts(model)
    provinces = model.dataset.provinces
    owner = {}  # practice -> the city reporting it (for the province filter)
    for source, target in model.dataset.columns.pairs("reports"):
        if target in graph:
            owner.setdefault(target, source)
    out = []
    data = graph.nodes
    for node in sorted(graph.nodes):
        attrs = data[node]
        t = attrs.get("type", "")
        count = per_city.get(node) if t == "city" else per_initiative.get(node) if t == "initiative" else None
        name = attrs.get("name", node)
        role = attrs.get("role") or None
        province = None
        if t == "city" and provinces.get(node):
            province = provinces[node]
        elif t == "practice" and owner.get(node) in provinces:
            province = provinces[owner[node]]
        elif t == "province":
            province = node
        size = _size(t, count)
        if role == "subject":
            size = round(size * 1.4, 2)
        x = y = None
        fixed = still = False
        if positions is not None:
            x, y = positions[node]
            fixed = node in pinned
            still = not fixed and not physics
        key = (t, role, font_size, fixed, still)
        description = attrs.get("description")
        out.append(
            [
                _short(name, _LABEL_MAX.get(t, 40)),
                t,
                styles.get(key, lambda k=key: _node_style(*k)),
                size,
                1 + (count or 0) / 4 if t in ("city", "initiative") else 1,
                count or 0,
                province,
                role,
                x,
                y,
                _short(description, _TOOLTIP_MAX) if description else None,
            ]
        )
    return out


def _similar_tooltip(model: Model, graph: Drawn, u: str, v: str, data: dict, lang: str = "zh") -> str:
    name_u, name_v = graph.nodes[u].get("name", u), graph.nodes[v].get("name", v)
    zh = lang == "zh"
    lines = [f"{name_u} — {name_v}", ("相似度 " if zh else "score ") + f"{data['score']:.3f}"]
    if data.get("p_value") is not None:
        lines[-1] += f" · p = {data['p_value']:.3g}"
        if data.get("significant"):
            lines[-1] += " *"
    lines.append(
        ("显著：偶然共有这么多举措的概率 p ≤ 0.05" if zh else "significant: p ≤ 0.05 that the overlap is chance")
        if data.get("significant")
        else ("不显著（p > 0.05）：可能只是巧合" if zh else "not significant (p > 0.05): may be chance")
    )
    if data.get("shared"):
        lines.append("共同举措：" if zh else "shared initiatives:")
        lines.extend("· " + model.name(x) if x in model.dataset.entities else "· " + x for x in data["shared"])
    return "\n".join(lines)


_PALE_ADOPTS = {"color": {"color": "#e7a1a2", "inherit": False}}


def _vis_edges(model: Model, graph: Drawn, lang: str, prov: _Provenance, styles: _Styles) -> list[list]:
    """One row of :data:`_EDGE_COLUMNS` per edge, in the order of (source, target, relation)."""
    edges = sorted(graph.edges(keys=True, data=True), key=itemgetter(0, 1, 2))
    top = max((d.get("score", 0.0) for *_, d in edges), default=0.0) or 1.0
    city_view = graph.graph.get("kind") == "city"
    subject = graph.graph.get("subject")
    index, document = prov.index, prov.document
    string = prov.string.__getitem__
    out = []
    for u, v, key, data in edges:
        style = width = value = title = None
        if key == "adopts" and city_view and u != subject:
            style = styles.get(("adopts-other",), lambda: _PALE_ADOPTS)
        if key == "similar":
            significant = bool(data.get("significant"))
            style = styles.get(("similar", significant), lambda s=significant: _similar_style(s))
            width = round(1 + 9 * data["score"] / top, 2)
            value = round(float(data["score"]), 6)
            title = _similar_tooltip(model, graph, u, v, data, lang)
        evidence = data.get("evidence")
        row = [
            index[u],
            index[v],
            key,
            document(data.get("document") or ""),
            list(map(string, evidence.split("\n"))) if evidence else None,
        ]
        if style is not None or title is not None:
            row += [style, width, value, title]
        out.append(row)
    return out


def _similar_style(significant: bool) -> dict:
    style = {
        "color": {"color": "#c44e52", "highlight": "#8f2d30", "inherit": False},
        "arrows": {"to": {"enabled": False}},
    }
    if not significant:
        style["dashes"] = True
    return style


def _feature_name(model: Model, feature: str) -> str:
    if feature in model.dataset.entities:
        return model.name(feature)
    return feature.split(":", 1)[1] if feature.startswith("term:") else feature


def _details(model: Model, graph: Drawn, spec: ViewSpec, prov: _Provenance) -> dict[str, dict]:
    per_city, per_initiative = _counts(model)
    cities = sorted(n for n, attrs in graph.nodes.items() if attrs.get("type") == "city")
    peers = {}
    if cities and len(model.incidence.cities) > 1:
        from ..similarity import all_top_peers

        peers = all_top_peers(model, spec.metric, 5)
    from ..stability import critical_text, peer_figures

    figures = peer_figures(model, {c: peers[c] for c in cities if c in peers}, spec.metric)
    learn = {}
    if cities and len(model.incidence.cities) > 1:
        from ..recommend import all_recommendations

        learn = all_recommendations(model, top=5, peers=5, metric=spec.metric, cities=cities)
    details = {}
    zh = spec.lang == "zh"
    fields = (
        ("name_en", "英文名" if zh else "English"),
        ("aliases", "别名" if zh else "aliases"),
        ("description", "说明" if zh else "description"),
        ("level", "级别" if zh else "level"),
        ("date", "日期" if zh else "date"),
    )
    named = prov.named
    for node in sorted(graph.nodes):
        attrs = graph.nodes[node]
        named(node)
        t = attrs.get("type", "")
        rows = [["类型" if zh else "type", _type_label(t, spec.lang)]]
        for key, label in fields:
            value = attrs.get(key)
            if value:
                rows.append([label, value.replace("|", "、") if key == "aliases" else str(value)])
        if t == "city":
            rows.append(["共同举措" if zh else "initiatives", str(per_city.get(node, 0))])
        elif t == "initiative":
            rows.append(["采用城市" if zh else "adopted by", str(per_initiative.get(node, 0))])
        if attrs.get("lat") is not None:
            rows.append(["坐标" if zh else "lat, lon", f"{attrs['lat']:.4f}, {attrs['lon']:.4f}"])
        rows.append(["编号" if zh else "id", node])
        count = per_city.get(node) if t == "city" else per_initiative.get(node) if t == "initiative" else None
        item = {"rows": rows, "en": attrs.get("name_en") or "", "count": _count_text(t, count, spec.lang)}
        if t == "city":
            item["peers"] = [
                [
                    named(p.peer),
                    p.rank,
                    round(float(p.score), 4),
                    None if p.p_value is None else float(f"{p.p_value:.3g}"),
                    [named(x) for x, _ in p.shared],
                    *_stability_cells(figures.get((p.city, p.peer)), critical_text),
                ]
                for p in peers.get(node, [])
            ]
            item["recommendations"] = [
                [named(r.initiative), r.rank, round(float(r.score), 4), [named(c) for c in r.peers]]
                for r in learn.get(node, [])
            ]
        details[node] = item
    return details


def _bridges(model: Model, graph: Drawn) -> list[list[str]]:
    """City -> initiative pairs of the view joined only through practices: the edges drawn when practices are
    hidden, so that hiding them keeps each city's paths to its initiatives."""
    if not any(attrs.get("type") == "practice" for attrs in graph.nodes.values()):
        return []
    linked = set(graph.edges())
    return [
        [city, initiative]
        for (city, initiative), _ in sorted_adoptions(model)
        if city in graph and initiative in graph and (city, initiative) not in linked
    ]


def _stability_cells(fig, critical_text) -> list:
    """[mark, support, critical link text, its quote] of a peer (Nones without figures)."""
    if not fig:
        return [None, None, None, None]
    return [fig["stability"], fig["support"], critical_text(fig), fig["critical_quote"]]


def _search_index(graph: Drawn) -> list[list]:
    nodes = sorted(graph.nodes)
    keys_of = []
    for node in nodes:
        attrs = graph.nodes[node]
        keys = [node, node.split(":", 1)[-1], attrs.get("name", ""), attrs.get("name_en", "")]
        if attrs.get("type") in ("city", "province"):
            keys.append(strip_suffix(attrs.get("name", "")))
        keys.extend(a for a in (attrs.get("aliases") or "").split("|") if a)
        keys_of.append(keys)
    folded = iter(_normalize_all(list(chain.from_iterable(keys_of))))
    return [
        [node, list(dict.fromkeys(k for k in islice(folded, len(keys)) if k))]
        for node, keys in zip(nodes, keys_of, strict=True)
    ]


def _normalize_all(texts: list[str]) -> list[str]:
    """``[normalize(t) for t in texts]``, as one text: NFKC, case folding and the removal of spaces and dashes
    work character by character, and NUL (which no name holds) stops them all, so the texts go in joined by it.

    >>> _normalize_all(["  Qian Jiang ", "潜江市", "", "Ａ-b"])
    ['qianjiang', '潜江市', '', 'ab']
    >>> odd = ["\u0301e", "e\u0301", "ﬁ", "ΣΑΣ", "ß", "\u1100", "\u1161", "a\u00a0b", "·", chr(0)]
    >>> _normalize_all(odd) == [normalize(t) for t in odd]
    True
    """
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):  # a text with a NUL in it: one at a time
        return [normalize(t) for t in texts]
    return normalize(joined).split("\0") if texts else []


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


def _subtitle(model: Model, graph: Drawn, lang: str = "zh") -> str:
    subject = graph.graph.get("subject")
    parts = []
    if subject and model.dataset.entities[subject].description:
        parts.append(model.dataset.entities[subject].description)
    docs = [_document_label(model, d) for d in graph.graph.get("sources", [])]
    if len(docs) > 3:
        docs = [*docs[:2], f"… 共 {len(docs)} 篇文献" if lang == "zh" else f"… {len(docs)} documents in all"]
    if docs:
        parts.append(("来源：" if lang == "zh" else "Source: " if len(docs) == 1 else "Sources: ") + "；".join(docs))
    return " · ".join(parts)


def page_data(model: Model, spec: ViewSpec, graph: Drawn | nx.MultiDiGraph | None = None) -> dict:
    """Everything the page's script needs, as plain JSON-ready data, each text once.

    Node and edge rows (``nodes``, ``edges``: ``columns`` and ``rows``) refer to ``ids``, ``styles``, ``strings``
    and ``documents`` by index, the panel's ``relations`` and ``evidence`` to ``quotes`` (see :class:`_Provenance`);
    the page's script turns them back into vis-network items and writes the tooltips. ``graph`` is what the
    view draws (:func:`graph.views.drawn`'s result, or a networkx graph as :func:`graph.views.select` gives it);
    by default, the view of ``spec``.

    Raises the errors of :func:`graph.views.select`.
    """
    if graph is None:
        graph = drawn(model, spec)
    elif not isinstance(graph, Drawn):
        graph = Drawn.of(graph)
    n = graph.number_of_nodes()
    positions, pinned = None, set()
    physics = n <= PHYSICS_MAX_NODES
    if spec.layout == "map":
        positions, pinned = map_positions(graph)
    elif not physics:
        positions = force_positions(graph)
    lang = spec.lang
    prov = _Provenance(model, sorted(graph.nodes))
    styles = _Styles()
    font_size = 26 if spec.kind == "similarity" else None  # cities only, spread by few edges: larger labels
    node_rows = _vis_nodes(model, graph, positions, pinned, physics, styles, font_size)
    edge_rows = _vis_edges(model, graph, lang, prov, styles)
    options = _options(n, physics, directed=spec.kind != "similarity", compact=spec.kind == "similarity")
    present = {}
    for attrs in graph.nodes.values():
        t = attrs.get("type")
        present[t] = present.get(t, 0) + 1
    types = [
        {"type": t, "label": _type_label(t, lang), "color": TYPE_COLORS.get(t, "#999999"), "count": present[t]}
        for t in _TYPE_ORDER
        if t in present
    ]
    from ..views import default_filename

    roles = {r for attrs in graph.nodes.values() if (r := attrs.get("role"))}
    keys = [[k, text] for k, text in _ROLE_KEYS[lang] if k in roles]
    if any(k == "similar" for *_, k in graph.edges(keys=True)):
        keys.append(["similar", _SIMILAR_KEY[lang]])

    details = _details(model, graph, spec, prov)
    quotes = prov.quotes  # the quote table, with every string and document it adds
    provinces = {row[6] for row in node_rows if row[6]}
    return {
        "meta": {
            "title": graph.graph.get("title", ""),
            "subtitle": _subtitle(model, graph, lang),
            "lang": lang,
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
        "ids": prov.ids,
        "names": prov.names,
        "styles": styles.items,
        "nodes": {"columns": list(_NODE_COLUMNS), "rows": node_rows},
        "edges": {"columns": list(_EDGE_COLUMNS), "rows": edge_rows},
        "options": options,
        "details": details,
        "search": _search_index(graph),
        "provinces": sorted(provinces, key=lambda p: (model.name(p), p)),
        "strings": prov.strings,
        "quotes": quotes,
        "documents": prov.documents,
        "relations": prov.relations,
        "evidence": prov.evidence,
        "ui": _UI[lang],
        "bridges": _bridges(model, graph),
        "relationLabels": {r: labels[lang] for r, labels in _RELATION_LABELS.items()},
        "map": map_layer(graph) if spec.layout == "map" else None,
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _page_text(data: dict, data_json: str) -> str:
    """The whole HTML page for :func:`page_data`'s result, its data given as ``data_json``."""
    from markupsafe import Markup

    vis_js, vis_css = _vis_assets()
    page_js, page_css = _own_asset("page.js"), _own_asset("page.css")
    presenting_js, present_js = _own_asset("presenting.js"), _own_asset("present.js")
    scripts = [vis_js, page_js, presenting_js, present_js]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_csp_hash(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    template = _environment().get_template("page.html")
    return template.render(
        ui=data["ui"],
        lang="zh-CN" if data["meta"]["lang"] == "zh" else "en",
        title=data["meta"]["title"],
        subtitle=data["meta"]["subtitle"],
        csp=csp,
        data_json=Markup(data_json),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        page_js=Markup(page_js),
        presenting_js=Markup(presenting_js),
        present_js=Markup(present_js),
        page_css=Markup(page_css),
    )


#: Where the data goes while the rest of a page is rendered as text (a NUL: no text of a page holds one).
_DATA_MARK = "\0pg-data\0"


def render_page(data: dict) -> str:
    """The whole HTML page for :func:`page_data`'s result."""
    return _page_text(data, embed_json(data))


def render_page_bytes(data: dict) -> bytes:
    """:func:`render_page` encoded as UTF-8, the data's JSON (most of a large page) made and escaped as bytes and
    the rest of the page rendered around it: no text of the whole page is made, searched or encoded."""
    head, mark, tail = _page_text(data, _DATA_MARK).partition(_DATA_MARK)
    if not mark or _DATA_MARK in tail:  # pragma: no cover - a NUL in a title: rendered whole
        return render_page(data).encode("utf-8")
    return b"".join((head.encode("utf-8"), embed_json_bytes(data), tail.encode("utf-8")))
