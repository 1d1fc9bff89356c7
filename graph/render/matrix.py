"""The matrix view: cities x initiatives as one offline, safe, searchable page, with a side-by-side comparison of
two cities and a presentation mode.

Rows are cities, columns the initiatives they are compared on (:attr:`Model.incidence`: ways of working only with
``--include-methods``); a cell is marked where the city reports the initiative, and its quote stands in its
sentence with its source on hover and click. Rows are grouped by community (Louvain, as ``stats`` and the report
find them) and, within one, ordered so that alike cities are neighbours (average-linkage clustering on the
idf-cosine similarity, leaves in optimal order); columns follow the rows (each initiative at the mean position of
the cities reporting it), so shared initiatives sit together. The page draws on a canvas only the cells in sight,
so 1,000 cities x 4,000 initiatives scroll as freely as 13.

The comparison of two cities lists what both report (both quotes, each in its sentence), what only one reports,
the similarity score with its hypergeometric p-value and its stability (the share of 200 resamples in which the
peer keeps its rank), as ``similar`` explains them. Those figures are computed here for every pair of a small
dataset and, in a large one, for each city's nearest peers and for the pair asked for.

Safety is the views' own: the data travels as one JSON document with ``< > & /`` and the JavaScript line
separators escaped (:func:`graph.render.page.embed_json`), the script writes data text with ``textContent`` or
draws it on the canvas, and a Content-Security-Policy admits only the page's own script (by hash) and no request.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RequestError, unknown
from ..lang import listing, say
from .standalone import search_keys

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model

__all__ = [
    "ALL_PAIRS_MAX",
    "PEERS",
    "check_view_options",
    "left_out_methods",
    "compare_cities",
    "default_matrix_filename",
    "matrix_data",
    "matrix_order",
    "render_matrix",
    "write_matrix",
]

#: Up to this many cities the page carries the score, p-value and stability of every pair ...
ALL_PAIRS_MAX = 40
#: ... above it, those of each city's this many nearest peers (and of the pair asked for).
PEERS = 5
#: Clusters up to this many cities are put in optimal leaf order; larger ones keep the plain linkage order.
OPTIMAL_ORDER_MAX = 300
#: Communities above this many cities are not clustered: their cities go by number of initiatives, then name.
LINKAGE_MAX = 2500
SIGNIFICANCE = 0.05

#: Colours of the communities (repeated beyond ten).
COMMUNITY_COLORS = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#c9a227",
    "#ff9da7",
    "#9c755f",
    "#7f8c99",
)

_UI = {
    "zh": {
        "title": "城市 × 举措矩阵",
        "title_compare": "两市对比：{a} 与 {b}",
        "subtitle": "{cities} 个城市 × {initiatives} 项举措{methods}，{cells} 处报告；"
        "行按社区分组、相似城市相邻，列随之排列",
        "methods_count": "（不含 {n} 项工作方式）",
        "methods_note": "矩阵与相似度一样只比较具体举措，不含 {n} 项工作方式（{names}）；城市视图会画出它们，"
        "所以一个城市在这里的举措可能比城市视图少。加 --include-methods 可将其纳入比较。",
        "methods_city": "另报告 {n} 项工作方式（{names}），不计入矩阵与相似度（加 --include-methods 可纳入）",
        "list_sep": "、",
        "source": "来源：",
        "search_placeholder": "搜索城市或举措（名称 / 拼音 / 英文）",
        "search_label": "搜索",
        "all_provinces": "全部省份",
        "province_title": "只显示一个省的城市",
        "min_cities": "至少几个城市采用",
        "min_cities_title": "只显示至少这么多城市报告的举措（在当前省份之内也须有城市报告）",
        "compare": "对比",
        "compare_title": "选择两个城市并排对比",
        "pick_a": "城市甲",
        "pick_b": "城市乙",
        "matrix": "矩阵",
        "present": "演示",
        "present_title": "演示模式（P）：全屏、大字、隐藏侧栏，←/→ 逐个城市或城市对，Esc 退出",
        "present_hint": "←/→ 上一个 / 下一个 · Esc 退出",
        "hint": "悬停格子看原文，点击看详情；点击城市名看它的相似城市，点击举措名看采用它的城市。",
        "noscript": "这个页面需要 JavaScript 来绘制矩阵。",
        "community": "社区",
        "initiatives_n": "{n} 项举措",
        "cities_n": "{n} 个城市采用",
        "practice": "做法：",
        "reports": "报告",
        "peers_title": "最相似的城市",
        "peers_help": "相似度 0–1：共同举措越多、越少见越高。* 表示显著（p ≤ 0.05）。",
        "peers_help_long": "idf-cosine：按共同举措计算的余弦相似度，少有城市采用的举措权重更高（逆文档频率）。"
        "p：两市随机各选这么多举措时，至少共有这么多项的概率（超几何检验）；p ≤ 0.05 记 *，视为显著。",
        "score": "相似度",
        "score_hover": "相似度（0–1）· p：共有这么多举措纯属偶然的概率 · * 显著（p ≤ 0.05）",
        "significant": "显著",
        "not_significant": "不显著，重合可能只是巧合",
        "stable": "稳定",
        "fragile": "不稳定",
        "stability": "稳定性",
        "stability_hover": "在 200 次各去掉十分之一联系的重抽样中，对方仍在本市最相似的前 {k} 名之内的比例；"
        "至少 80% 为稳定",
        "stability_line": "{b} 在 {a} 的相似城市中排第 {rank}，{support}% 的重抽样中仍在前 {rank} 名（{mark}）",
        "rank_line": "{b} 在 {a} 的相似城市中排第 {rank}（{note}）",
        "no_figures": "这两个城市的相似度未预先计算（城市较多）。可运行：practice-graph view --compare {a} {b}",
        "no_stability": "此度量或此数据规模不计算稳定性",
        "both": "两市都报告",
        "only": "仅 {city} 报告",
        "none": "没有",
        "pick_two": "请选择两个不同的城市。",
        "compare_with": "与之对比",
        "adopted_by": "采用的城市",
        "not_reported": "未报告",
        "metric": "度量：",
    },
    "en": {
        "title": "City x initiative matrix",
        "title_compare": "Comparing {a} and {b}",
        "subtitle": "{cities} cities x {initiatives} initiatives{methods}, {cells} reports; rows grouped by community, "
        "alike cities side by side, columns following them",
        "methods_count": " (without {n} ways of working)",
        "methods_note": "Like similarity, the matrix compares concrete initiatives and leaves out {n} ways of working "
        "({names}); the city view draws them, so a city may show fewer initiatives here than there. "
        "--include-methods counts them.",
        "methods_city": "Also reports {n} ways of working ({names}), left out of the matrix and of similarity "
        "(--include-methods counts them)",
        "list_sep": ", ",
        "source": "Source: ",
        "search_placeholder": "Search a city or initiative (name / pinyin / English)",
        "search_label": "Search",
        "all_provinces": "All provinces",
        "province_title": "Show one province's cities only",
        "min_cities": "adopted by at least",
        "min_cities_title": "Show initiatives reported by at least this many cities (and by one in the province shown)",
        "compare": "Compare",
        "compare_title": "Choose two cities to compare side by side",
        "pick_a": "City A",
        "pick_b": "City B",
        "matrix": "Matrix",
        "present": "Present",
        "present_title": "Presentation mode (P): full screen, large type, no side panel, ←/→ through cities or "
        "pairs, Esc to leave",
        "present_hint": "←/→ previous / next · Esc to leave",
        "hint": "Hover a cell for its quote, click it for details; click a city for its peers, an initiative for "
        "the cities reporting it.",
        "noscript": "This page needs JavaScript to draw the matrix.",
        "community": "community",
        "initiatives_n": "{n} initiatives",
        "cities_n": "adopted by {n} cities",
        "practice": "practice: ",
        "reports": "reports",
        "peers_title": "Most similar cities",
        "peers_help": "Score 0–1: more and rarer shared initiatives score higher. * = significant (p ≤ 0.05).",
        "peers_help_long": "idf-cosine: cosine similarity over shared initiatives, rare ones weighted up (inverse "
        "document frequency). p: the chance that two cities picking this many initiatives at random share at "
        "least this many (hypergeometric test); p ≤ 0.05 gets a * and counts as significant.",
        "score": "similarity",
        "score_hover": "score (0–1) · p: chance the overlap is coincidence · * significant (p ≤ 0.05)",
        "significant": "significant",
        "not_significant": "not significant: the overlap may be chance",
        "stable": "stable",
        "fragile": "fragile",
        "stability": "stability",
        "stability_hover": "share of 200 resamples, each leaving a tenth of the links out, in which the other "
        "city stays among this city's nearest {k}; stable at 80% or more",
        "stability_line": "{b} is {a}'s peer number {rank}; it stays in the top {rank} in {support}% of "
        "resamples ({mark})",
        "rank_line": "{b} is {a}'s peer number {rank} ({note})",
        "no_figures": "The similarity of these two cities is not precomputed (many cities). Run: "
        "practice-graph view --compare {a} {b}",
        "no_stability": "No stability figures for this metric or at this size",
        "both": "Both report",
        "only": "Only {city} reports",
        "none": "none",
        "pick_two": "Choose two different cities.",
        "compare_with": "compare",
        "adopted_by": "Adopted by",
        "not_reported": "not reported",
        "metric": "metric: ",
    },
}


def _leaf_order(similarity) -> list[int]:
    """Positions 0..n-1 of a block of the similarity matrix, alike ones next to each other (deterministic)."""
    import numpy as np

    n = similarity.shape[0]
    if n <= 2:
        return list(range(n))
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    distance = 1.0 - np.clip(similarity, 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform((distance + distance.T) / 2, checks=False)
    tree = linkage(condensed, method="average")
    if n <= OPTIMAL_ORDER_MAX:
        tree = optimal_leaf_ordering(tree, condensed)
    return leaves_list(tree).tolist()


def matrix_order(model: Model) -> tuple[list[str], list[str], list[int]]:
    """The cities and initiatives in the matrix's order, and each city's community (0 = the largest).

    Cities go by community (largest first, as :func:`graph.analysis.city_communities` finds them), and within one
    in the leaf order of an average-linkage clustering of their idf-cosine similarity; initiatives by the mean
    position of the cities reporting them, then by how many report them, then by name (an initiative no city
    reports is left out).

    >>> from graph import open_model
    >>> cities, initiatives, communities = matrix_order(open_model(MINI))
    >>> len(cities), len(initiatives), communities == sorted(communities)
    (4, 4, True)
    """
    import numpy as np

    from ..analysis import city_communities
    from ..scoring import city_order, features, initiative_order, score_rows

    inc = model.incidence
    if not inc.cities:
        return [], [], []
    index = inc.city_index
    name_rank = city_order(model)
    F = features(model, "idf-cosine")
    rows: list[int] = []
    community: list[int] = []
    for k, group in enumerate(city_communities(model)):
        members = sorted((index[c] for c in group), key=lambda i: int(name_rank[i]))
        if 2 < len(members) <= LINKAGE_MAX:
            block = score_rows(F, np.array(members))[:, members]
            members = [members[p] for p in _leaf_order(block)]
        elif len(members) > LINKAGE_MAX:
            sizes = np.diff(inc.indptr)
            members.sort(key=lambda i: (-int(sizes[i]), int(name_rank[i])))
        rows.extend(members)
        community.extend([k] * len(members))
    position = np.empty(len(inc.cities), dtype=np.float64)
    position[np.array(rows)] = np.arange(len(rows), dtype=np.float64)
    adopters = np.repeat(np.arange(len(inc.cities)), np.diff(inc.indptr))
    sums = np.bincount(inc.indices, weights=position[adopters], minlength=len(inc.initiatives))
    counts = np.bincount(inc.indices, minlength=len(inc.initiatives))
    centre = np.where(counts > 0, sums / np.maximum(counts, 1), np.inf)
    x_rank = initiative_order(model)
    cols = sorted(
        (j for j in range(len(inc.initiatives)) if counts[j]),
        key=lambda j: (round(float(centre[j]), 6), -int(counts[j]), int(x_rank[j])),
    )
    return [inc.cities[i] for i in rows], [inc.initiatives[j] for j in cols], community


def compare_cities(model: Model, a: str, b: str) -> tuple[str, str]:
    """The ids of two different cities to compare, from any of their names.

    Raises
    ------
    RequestError
        A name that is not a city (with the closest names), or the same city twice.

    >>> from graph import open_model
    >>> compare_cities(open_model(MINI), "甲山", "乙水市")
    ('city:jia', 'city:yi')
    """
    ids = (model.names.resolve(a, "city"), model.names.resolve(b, "city"))
    if ids[0] == ids[1]:
        raise RequestError(say("--compare needs two different cities, not {city} twice", city=model.name(ids[0])))
    for c in ids:
        if c not in model.incidence.city_index:
            raise RequestError(say("{city} reports no initiative to compare", city=model.name(c)))
    return ids


def check_view_options(matrix: bool, compare: tuple[str, str] | None, **others) -> None:
    """Refuse another view's options beside ``--matrix`` or ``--compare``: ``others`` maps each option's name to
    its value, None (or False) when not given.

    >>> check_view_options(True, None, city=None, layout=None)
    >>> check_view_options(True, None, city="潜江")
    Traceback (most recent call last):
    ...
    graph.errors.RequestError: --matrix and --city cannot be combined: choose one view
    """
    asked = (["--matrix"] if matrix else []) + (["--compare"] if compare else [])
    given = [f"--{name.replace('_', '-')}" for name, value in others.items() if value not in (None, False)]
    if asked and given:
        raise RequestError(
            say("{options} cannot be combined: choose one view", options=listing(asked + given, sep=" and "))
        )


def left_out_methods(model: Model) -> list[str]:
    """The ways of working some city reports that the matrix leaves out, as similarity does (none with
    ``--include-methods``), ordered by name: a city's row counts its initiatives without them, where its city view
    draws them.

    >>> from graph import open_model
    >>> left_out_methods(open_model(MINI))
    []
    """
    if model.include_methods:
        return []
    from ..model import method_initiatives

    methods = method_initiatives(model.dataset)
    if not methods:
        return []
    adoption = model.adoption
    reported = {adoption.initiatives[j] for j in set(adoption.indices.tolist())}
    return sorted(methods & reported, key=lambda x: (model.name(x), x))


def _document_label(model: Model, doc: str) -> str:
    e = model.dataset.entities.get(doc)
    if e is None:
        return doc
    return e.name + (f"（{e.description}）" if e.description else "")


def _pairs(model: Model, metric: str, wanted: set[tuple[int, int]]) -> list[list]:
    """``[a, b, score, p, rank of b among a's peers, support, mark, rank of a among b's, support, mark]`` for
    every pair of incidence rows in ``wanted`` (a < b), in order."""
    import numpy as np

    from ..scoring import city_order, features, score_rows
    from ..significance import p_values
    from ..similarity import Peer
    from ..stability import MAX_LINKS, peer_stability

    if not wanted:
        return []
    pairs = sorted(wanted)
    F = features(model, metric)
    involved = sorted({i for pair in pairs for i in pair})
    where = {i: k for k, i in enumerate(involved)}
    S = score_rows(F, np.array(involved))
    name_rank = np.asarray(city_order(model))
    n = S.shape[1]

    def rank(i: int, j: int) -> int:
        row = S[where[i]]
        s = row[j]
        better = (row > s) | ((row == s) & (name_rank < name_rank[j]))
        better[i] = False
        better[j] = False
        return int(better[:n].sum()) + 1

    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    pv = p_values(model, a, b).tolist()
    scores = [float(S[where[i], j]) for i, j in pairs]
    cities = model.incidence.cities
    peers, slots = [], []
    for k, (i, j) in enumerate(pairs):
        if scores[k] > 0:
            for x, y in ((i, j), (j, i)):
                slots.append((k, x, y))
                peers.append(Peer(cities[x], cities[y], rank(x, y), scores[k], pv[k], ()))
    if model.incidence.matrix.nnz > MAX_LINKS:  # as the views and the report: no resampling at this size
        figures = [{"support": None, "stability": None} for _ in peers]
    else:
        figures = peer_stability(model, peers, metric)
    out = [[i, j, round(scores[k], 4), float(f"{pv[k]:.3g}"), None, None, None, None, None, None] for k, (i, j) in
           enumerate(pairs)]  # fmt: skip
    for (k, x, _), peer, fig in zip(slots, peers, figures, strict=True):
        base = 4 if x == pairs[k][0] else 7
        out[k][base : base + 3] = [peer.rank, fig["support"], fig["stability"]]
    return out


def matrix_data(model: Model, metric: str = "idf-cosine", lang: str = "zh", compare: tuple[str, str] | None = None):
    """Everything the matrix page's script needs, as JSON-ready data.

    ``compare`` (two city names) opens the page on their side-by-side comparison.

    Raises
    ------
    RequestError
        An unknown metric or language, a name that is not a city, the same city twice.
    InputError
        No city reports an initiative.

    >>> from graph import open_model
    >>> data = matrix_data(open_model(MINI), compare=("甲山", "乙水"))
    >>> [r[1] for r in data["rows"]], len(data["cells"]), data["meta"]["compare"]
    (['丙川市', '甲山市', '丁原市', '乙水市'], 8, [1, 3])
    """
    from ..errors import InputError
    from ..scoring import check_metric
    from ..similarity import all_top_peers
    from ..textutil import sentence_around

    check_metric(metric)
    if lang not in _UI:
        raise RequestError(unknown("language", lang, _UI))
    inc = model.incidence
    pair_ids = compare_cities(model, *compare) if compare is not None else None
    if not inc.cities or not len(inc.indices):
        raise InputError(say("no city reports an initiative: the matrix would be empty"))
    cities, initiatives, communities = matrix_order(model)
    row_of = {c: k for k, c in enumerate(cities)}
    col_of = {x: k for k, x in enumerate(initiatives)}
    entities = model.dataset.entities
    province_of: dict[str, str] = {}
    for r in model.dataset.relations:
        if r.relation == "located_in" and r.source in row_of and entities[r.target].type == "province":
            province_of.setdefault(r.source, r.target)
    provinces = sorted(set(province_of.values()), key=lambda p: (model.name(p), p))
    province_index = {p: k for k, p in enumerate(provinces)}
    documents: dict[str, int] = {}
    evidence: list[list] = []
    context: dict[tuple[str, str], tuple[str, str]] = {}
    cells = []
    counts = [0] * len(initiatives)
    for city in cities:
        for x in sorted(inc.initiatives_of(city), key=col_of.__getitem__):
            refs = []
            seen = set()
            for ev in inc.evidence.get((city, x), ()):
                if (ev.quote, ev.document, ev.practice) in seen:
                    continue
                seen.add((ev.quote, ev.document, ev.practice))
                key = (ev.quote, ev.document)
                if key not in context:
                    text = model.dataset.texts.get(ev.document, "") if ev.quote and ev.document else ""
                    context[key] = sentence_around(text, ev.quote) or ("", "")
                doc = documents.setdefault(ev.document, len(documents)) if ev.document else -1
                refs.append(len(evidence))
                evidence.append([model.name(ev.practice), ev.quote, doc, *context[key]])
            cells.append([row_of[city], col_of[x], refs])
            counts[col_of[x]] += 1
    n = len(cities)
    index = inc.city_index
    wanted: set[tuple[int, int]] = set()
    if n <= ALL_PAIRS_MAX:
        wanted = {(i, j) for i in range(n) for j in range(i + 1, n)}
    else:
        for city, peers in all_top_peers(model, metric, PEERS).items():
            for p in peers:
                i, j = index[city], index[p.peer]
                wanted.add((min(i, j), max(i, j)))
    if pair_ids is not None:
        i, j = index[pair_ids[0]], index[pair_ids[1]]
        wanted.add((min(i, j), max(i, j)))
    pairs = []
    for pair in _pairs(model, metric, wanted):
        a, b = row_of[inc.cities[pair[0]]], row_of[inc.cities[pair[1]]]
        if a > b:  # stored by matrix row, the first city first
            pair = [b, a, pair[2], pair[3], *pair[7:10], *pair[4:7]]
        else:
            pair = [a, b, *pair[2:]]
        pairs.append(pair)
    pairs.sort(key=lambda p: (p[0], p[1]))
    ui = _UI[lang]
    methods = left_out_methods(model)
    count = ui["methods_count"].format(n=len(methods)) if methods else ""
    subtitle = ui["subtitle"].format(cities=n, initiatives=len(initiatives), methods=count, cells=len(cells))
    methods_note, methods_of = "", {}
    if methods:
        # "试点先行、以点带面" holds the Chinese list separator itself: each name in quotes
        quoted = (lambda x: f"“{model.name(x)}”") if lang == "zh" else model.name
        methods_note = ui["methods_note"].format(n=len(methods), names=ui["list_sep"].join(map(quoted, methods)))
        wanted, adoption = set(methods), model.adoption
        for k, c in enumerate(cities):
            own = [quoted(x) for x in adoption.initiatives_of(c) if x in wanted] if c in adoption.city_index else []
            if own:
                methods_of[str(k)] = own
    source_docs = [_document_label(model, d) for d in documents]
    if source_docs:
        shown = source_docs if len(source_docs) <= 2 else [*source_docs[:2], f"… {len(source_docs)}"]
        subtitle += " · " + ui["source"] + "；".join(shown)
    compare_rows = None
    title = ui["title"]
    if pair_ids is not None:
        compare_rows = [row_of[pair_ids[0]], row_of[pair_ids[1]]]
        title = ui["title_compare"].format(a=model.name(pair_ids[0]), b=model.name(pair_ids[1]))
    return {
        "meta": {
            "title": title,
            "subtitle": subtitle,
            "methods_note": methods_note,
            "lang": lang,
            "metric": metric,
            "significance": SIGNIFICANCE,
            "compare": compare_rows,
            "allPairs": n <= ALL_PAIRS_MAX,
            "file": default_matrix_filename(
                None if pair_ids is None else (model.name(pair_ids[0]), model.name(pair_ids[1]))
            )[: -len(".html")],
        },
        "ui": ui,
        "rows": [
            [
                c,
                model.name(c),
                entities[c].name_en,
                province_index.get(province_of.get(c), -1),
                communities[k],
                search_keys(model, c),
            ]
            for k, c in enumerate(cities)
        ],
        "cols": [
            [x, model.name(x), entities[x].name_en, counts[k], search_keys(model, x)] for k, x in enumerate(initiatives)
        ],
        "provinces": [model.name(p) for p in provinces],
        "colors": list(COMMUNITY_COLORS),
        "cells": cells,
        "evidence": evidence,
        "documents": source_docs,
        "pairs": pairs,
        "methods": methods_of,
    }


def render_matrix(
    model: Model, metric: str = "idf-cosine", lang: str = "zh", compare: tuple[str, str] | None = None
) -> str:
    """The whole matrix page: its script and style inline, no URL, the same bytes for the same data.

    >>> from graph import open_model
    >>> html = render_matrix(open_model(MINI))
    >>> html.startswith("<!DOCTYPE html>"), "://" in html
    (True, False)
    """
    from .standalone import render_standalone

    data = matrix_data(model, metric, lang, compare)
    meta = data["meta"]
    page_lang = "zh-CN" if lang == "zh" else "en"
    return render_standalone(
        "matrix",
        data,
        shared=("presenting.js",),
        lang=page_lang,
        title=meta["title"],
        subtitle=meta["subtitle"],
        methods_note=meta["methods_note"],
        ui=data["ui"],
    )


def default_matrix_filename(compare: tuple[str, str] | None = None) -> str:
    """The file name of a matrix view when none is given.

    >>> default_matrix_filename(), default_matrix_filename(("潜江", "../随州"))
    ('matrix.html', 'compare-潜江-随州.html')
    """
    if compare is None:
        return "matrix.html"
    slugs = [re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-_") or "city" for name in compare]
    return "compare-" + "-".join(slugs) + ".html"


def write_matrix(
    model: Model,
    path: str | os.PathLike | None = None,
    metric: str = "idf-cosine",
    lang: str = "zh",
    compare: tuple[str, str] | None = None,
) -> Path:
    """Render the matrix view (or, with ``compare``, two cities side by side) and write it (UTF-8) through a
    temporary file renamed into place; without ``path``, named after the view in the current folder.

    Raises
    ------
    InputError
        The folder does not exist or cannot be written; plus the errors of :func:`matrix_data`.
    """
    from ..files import write_atomic

    html = render_matrix(model, metric, lang, compare)
    if path is None:
        names = None if compare is None else tuple(model.name(c) for c in compare_cities(model, *compare))
        path = default_matrix_filename(names)
    return write_atomic(Path(path), html)
