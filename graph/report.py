"""One self-contained HTML report to hand to a meeting: headline numbers, the most-shared initiatives, a card per
city, a similarity heatmap, the communities and the overview graph.

The page is static HTML and CSS written by this module, every data text escaped with :func:`html.escape`; the
only script is the overview graph's own page, embedded as an ``<iframe srcdoc>`` (attribute-escaped, sandboxed:
its scripts run in an opaque origin, with no access to the report). A Content-Security-Policy forbids every
fetch, so the file shows the same offline as online. The same data gives the same bytes: no dates, fixed orders.
"""

from __future__ import annotations

import html
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = ["GRAPH_MAX_NODES", "HEATMAP_MAX_CITIES", "build_report", "headline_practice", "heatmap_svg", "write_report"]

#: The heatmap shows at most this many cities (those with the most initiatives); larger sets would not be legible.
HEATMAP_MAX_CITIES = 60

#: The embedded overview shows practices up to this many nodes, then only cities and initiatives; above that again,
#: no graph is embedded (``practice-graph view`` draws it).
GRAPH_MAX_NODES = 2000

#: How many nearest peers a city's recommendations come from (as in ``practice-graph recommend``).
_LEARN_PEERS = 5

#: How many peers and how many initiatives to learn each city card lists.
CARD_PEERS = 3
CARD_LEARN = 3

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
    "font-src data:; frame-src 'self'; child-src 'self' blob:; base-uri 'none'; form-action 'none'"
)

_CSS = """
:root { --ink: #1d2733; --muted: #5b6776; --line: #d8dee6; --accent: #1f5fa8; --paper: #fff; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f4f6f9; line-height: 1.5;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: var(--paper); }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.15rem; margin: 0 0 2px; }
h4 { font-size: .95rem; margin: 12px 0 4px; color: var(--accent); }
.sub, .meta, .note, .src { color: var(--muted); }
.meta { font-size: .9rem; margin: 0 0 6px; }
.note { font-size: .9rem; }
.src { font-size: .8rem; }
nav.toc { margin: 12px 0; font-size: .9rem; }
nav.toc a { margin-right: 14px; color: var(--accent); }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0; list-style: none; }
.numbers li { flex: 1 1 130px; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.numbers b { display: block; font-size: 1.6rem; color: var(--accent); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; break-inside: avoid;
  page-break-inside: avoid; }
.card ol, .card ul { margin: 4px 0; padding-left: 20px; }
.card li { margin: 4px 0; }
.en { color: var(--muted); font-weight: normal; font-size: .9rem; }
blockquote { margin: 3px 0 3px 0; padding: 2px 8px; border-left: 3px solid var(--line); font-size: .9rem; }
blockquote mark { background: #fff1b8; color: inherit; padding: 0 1px; }
blockquote .ctx { color: var(--muted); }
blockquote .who { color: var(--muted); }
li.weak { color: var(--muted); }
nav.jump { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 8px 0 14px; font-size: .92rem; }
nav.jump a { color: var(--accent); }
.heatmap text.cell { font-size: 9px; font-variant-numeric: tabular-nums; }
.heatmap { overflow-x: auto; }
.heatmap svg { max-width: 100%; height: auto; font-size: 11px; }
#graph iframe { width: 100%; height: 680px; height: min(680px, 88vh); min-height: 420px; border: 1px solid var(--line);
  border-radius: 8px; }
.print-only { display: none; }
@page { margin: 14mm 12mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #5b6776; } }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc, #graph iframe, .no-print { display: none !important; }
  .print-only { display: block; }
  h2 { margin: 20px 0 8px; }
  .numbers { gap: 6px; margin: 8px 0; }
  .numbers li { flex: 1 1 0; padding: 6px 8px; }
  .numbers b { font-size: 1.3rem; }
  .cards { display: block; column-count: 2; column-gap: 10px; }
  .card { padding: 8px 10px; margin: 0 0 10px; break-inside: auto; page-break-inside: auto; }
  .card h3, .card h4 { break-after: avoid; page-break-after: avoid; }
  .card li { break-inside: avoid; page-break-inside: avoid; }
  #heatmap { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, blockquote, .numbers li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


#: The language of the report being built (set by :func:`build_report`): Chinese first, English on request.
_LANG = {"lang": "zh"}


def _t(zh: str, en: str) -> str:
    """The report's own words in its language."""
    return zh if _LANG["lang"] == "zh" else en


def _quoted(text: str) -> str:
    """The quote in Chinese quotation marks, unless it already stands in one pair of them.

    >>> _quoted("党员干部下沉社区"), _quoted("“一村多名大学生计划”")
    ('“党员干部下沉社区”', '“一村多名大学生计划”')
    """
    if text.startswith("“") and text.endswith("”") and "“" not in text[1:-1] and "”" not in text[1:-1]:
        return text
    return f"“{text}”"


def _e(value) -> str:
    """Data text as HTML text or attribute value: every ``& < > " '`` escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}f}"


def _p(value: float) -> str:
    return f"{value:.2g}" if value < 0.01 else f"{value:.2f}"


# ---------------------------------------------------------------------------------------------------------------
# facts the report shows


def headline_practice(model: Model, city: str) -> tuple[str, str, str] | None:
    """A city's headline practice as ``(practice id, quote, document)``: the practice it reports that its other
    practices are ``part_of``; failing that, the first practice it reports that is part of no other.

    >>> from graph import open_model
    >>> headline_practice(open_model(MINI), "city:jia")
    ('practice:jia-down', '甲山市:党员下沉社区 推动治理', 'source:mini-article')
    """
    parents, children, reports = _practice_links(model)
    reported = reports.get(city, [])
    for choose in (lambda r: r.target in parents, lambda r: r.target not in children):
        for r in reported:
            if choose(r):
                return r.target, r.evidence, r.document
    return None


_LINKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _practice_links(model: Model):
    """(practices with parts, practices that are parts, each city's ``reports`` relations), read once per model."""
    if model not in _LINKS:
        relations = model.dataset.relations
        reports: dict[str, list] = {}
        for r in relations:
            if r.relation == "reports":
                reports.setdefault(r.source, []).append(r)
        _LINKS[model] = (
            {r.target for r in relations if r.relation == "part_of"},
            {r.source for r in relations if r.relation == "part_of"},
            reports,
        )
    return _LINKS[model]


def _quote_html(model: Model, quote: str, document: str, who: str | None = None) -> str:
    """A quote within the rest of its sentence from the source text, the quote itself marked."""
    from .textutil import sentence_around

    ds = model.dataset
    head = f'<span class="who">{_e(ds.name_of(who))}：</span>' if who else ""
    several = len(ds.texts) > 1
    source = f' <span class="src">— {_e(ds.name_of(document))}</span>' if document and several else ""
    around = sentence_around(ds.texts.get(document, ""), quote, limit=36) if document else None
    if around:
        before, after = around
        body = f'<span class="ctx">{_e(before)}</span><mark>{_e(quote)}</mark><span class="ctx">{_e(after)}</span>'
    else:
        body = f"<mark>{_e(_quoted(quote))}</mark>"
    return f"<blockquote>{head}{body}{source}</blockquote>"


def _first_evidence(model: Model, city: str, initiative: str):
    items = model.incidence.evidence.get((city, initiative), [])
    return items[0] if items else None


# ---------------------------------------------------------------------------------------------------------------
# sections


def _header(model: Model) -> str:
    ds = model.dataset
    sources = ds.of_type("source")
    titles = "、".join(s.name for s in sources) or "—"
    return (
        f"<header><h1>{_t('城市做法与共同举措', 'Practices and shared initiatives')}</h1>"
        f'<p class="sub">{_t("来源：", "Source: ")}{_e(titles)}</p>'
        + _t(
            '<p class="note">相似度说明哪些城市的做法相近、一个城市可以向另一个借鉴什么。数据是一次性的自述材料，'
            "没有时间先后，不能说明谁向谁学习过。</p>",
            '<p class="note">Similarity here says which cities report alike, and what one could learn from '
            "another. The data is one self-reported snapshot without dates: it cannot say who learned from whom.</p>",
        )
        + '<nav class="toc no-print">'
        + "".join(
            f'<a href="#{anchor}">{_e(_t(zh, en))}</a>'
            for anchor, zh, en in (
                ("numbers", "概况", "Numbers"),
                ("shared", "最多城市共有", "Most shared"),
                ("cities", "城市", "Cities"),
                ("heatmap", "相似度矩阵", "Heatmap"),
                ("communities", "群组", "Communities"),
                ("graph", "关系图", "Graph"),
                ("sources", "来源", "Sources"),
            )
        )
        + "</nav></header>"
    )


def _numbers(model: Model) -> str:
    ds, inc = model.dataset, model.incidence
    df = inc.df.tolist()
    items = [
        ("cities", "城市", len(inc.cities)),
        ("initiatives", "共同举措", len(inc.initiatives)),
        ("shared by 2+ cities", "多城共有", sum(1 for d in df if d >= 2)),
        ("practices", "做法", len(ds.of_type("practice"))),
        ("adoptions", "采用", int(inc.matrix.nnz)),
        ("provinces", "省", len(ds.of_type("province"))),
        ("source documents", "来源", len(ds.of_type("source"))),
    ]
    lis = "".join(f"<li><b>{n}</b>{_e(_t(zh, en))}</li>" for en, zh, n in items)
    return f'<section id="numbers"><h2>{_t("概况", "Headline numbers")}</h2><ul class="numbers">{lis}</ul></section>'


def _most_shared(model: Model, top: int = 10) -> str:
    ds, inc = model.dataset, model.incidence
    df = inc.df.tolist()
    order = sorted(range(len(inc.initiatives)), key=lambda j: (-df[j], ds.name_of(inc.initiatives[j])))
    rows = []
    for j in order[:top]:
        x = inc.initiatives[j]
        cities = "、".join(ds.name_of(c) for c in inc.cities_of(x))
        rows.append(
            f"<tr><td>{_e(ds.name_of(x))}</td><td>{_e(ds.entities[x].name_en)}</td>"
            f'<td class="num">{df[j]}</td><td>{_e(cities)}</td></tr>'
        )
    body = "".join(rows) or f'<tr><td colspan="4">{_t("没有", "none")}</td></tr>'
    return (
        f'<section id="shared"><h2>{_t("最多城市共有的举措", "Most-shared initiatives")}</h2>'
        f"<table><thead><tr><th>{_t('举措', 'initiative')}</th><th>{_t('英文名', 'English')}</th>"
        f'<th class="num">{_t("城市数", "cities")}</th>'
        f"<th>{_t('采用城市', 'adopted by')}</th></tr></thead><tbody>{body}</tbody></table></section>"
    )


def _card(model: Model, city: str, peers, learn, facts: dict, figures=None, strong_pairs=None) -> str:
    from .stability import critical_text

    ds, inc = model.dataset, model.incidence
    entity = ds.entities[city]
    meta = [ds.name_of(facts["province"]) if facts["province"] else "", entity.level]
    meta += [
        _t(f"{facts['initiatives']} 项共同举措", f"{facts['initiatives']} initiatives"),
        _t(f"独特性 {_num(facts['uniqueness'], 2)}", f"uniqueness {_num(facts['uniqueness'], 2)}"),
        _t(f"群组 {facts['community']}", f"community {facts['community']}"),
    ]
    parts = [
        f'<article class="card" id="{_e(city.replace(":", "-"))}">',
        f'<h3>{_e(entity.name)} <span class="en">{_e(entity.name_en)}</span></h3>',
        f'<p class="meta">{_e(" · ".join(m for m in meta if m))}</p>',
    ]
    headline = headline_practice(model, city)
    parts.append(f"<h4>{_t('主要做法', 'Headline practice')}</h4>")
    if headline:
        practice, quote, document = headline
        parts.append(f"<p><b>{_e(ds.name_of(practice))}</b></p>")
        if quote:
            parts.append(_quote_html(model, quote, document))
    else:
        parts.append(f'<p class="note">{_t("未报告", "none reported")}</p>')

    parts.append(f"<h4>{_t('最相近的城市及原因', 'Most alike, and why')}</h4>")
    if peers:
        parts.append("<ol>")
        for peer in peers:
            shared = [x for x, _ in peer.shared if x in inc.initiative_index]
            names = "、".join(ds.name_of(x) for x in shared) or "—"
            significant = peer.p_value is not None and peer.p_value <= 0.05
            weak = "" if significant else _t("（不显著）", " (not significant)")
            item = "<li>" if significant else '<li class="weak">'
            fig = (figures or {}).get((city, peer.peer), {})
            held = ""
            if fig.get("stability"):
                mark = _t(
                    {"stable": "稳定", "fragile": "不稳定"}.get(fig["stability"], fig["stability"]), fig["stability"]
                )
                held = f" · {_e(mark)} {_num(fig['support'], 2)}"
            parts.append(
                f"{item}<b>{_e(ds.name_of(peer.peer))}</b> "
                f"{_t('相似度', 'score')} {_num(peer.score)}, p = {_p(peer.p_value)}{'*' if significant else ''}"
                f"{weak}{held}<br>{_t('共同', 'shares')}（{len(shared)}）：{_e(names)}"
            )
            if fig.get("critical_link"):
                parts.append(f'<br><span class="note">{_t("取决于", "rests on")} {_e(critical_text(fig))}</span>')
            if shared:  # both sides of the strongest shared initiative
                for who in (city, peer.peer):
                    ev = _first_evidence(model, who, shared[0])
                    if ev:
                        parts.append(_quote_html(model, ev.quote, ev.document, who))
            parts.append("</li>")
        parts.append("</ol>")
    else:
        parts.append(f'<p class="note">{_t("与其他城市没有共同举措", "shares no initiative with another city")}</p>')

    parts.append(f"<h4>{_t('可以借鉴什么、向谁借鉴', 'Could learn, and from whom')}</h4>")
    if learn:
        parts.append("<ol>")
        for rec in learn:
            sources = "、".join(ds.name_of(p) for p in rec.peers)
            parts.append(
                f"<li><b>{_e(ds.name_of(rec.initiative))}</b> "
                f"{_t('得分', 'score')} {_num(rec.score)} · {_t('可向', 'from')} {_e(sources)}"
            )
            if strong_pairs is not None and rec.peers and not any((city, p) in strong_pairs for p in rec.peers):
                parts.append(
                    '<br><span class="note">'
                    + _t("仅依据不显著的相似城市，参考价值有限", "rests on weak (not significant) peers only")
                    + "</span>"
                )
            ev = next((e for p in rec.peers if (e := _first_evidence(model, p, rec.initiative))), None)
            if ev:
                parts.append(_quote_html(model, ev.quote, ev.document, ev.city))
            parts.append("</li>")
        parts.append("</ol>")
    else:
        parts.append(
            '<p class="note">'
            + _t("最相近的城市所做的，本市都已报告", "nothing its nearest peers do that it does not")
            + "</p>"
        )

    mine = inc.initiatives_of(city)
    if mine:
        parts.append(f"<h4>{_t('本市的共同举措', 'Its initiatives')}</h4>")
        parts.append(f"<p>{_e('、'.join(ds.name_of(x) for x in mine))}</p>")
    parts.append("</article>")
    return "".join(parts)


def _cards(model: Model) -> str:
    from . import analysis
    from .recommend import all_recommendations
    from .similarity import DEFAULT_METRIC, all_top_peers
    from .stability import peer_figures

    inc = model.incidence
    nearest = all_top_peers(model, DEFAULT_METRIC, max(CARD_PEERS, _LEARN_PEERS))
    significant = {(c, p.peer) for c, ps in nearest.items() for p in ps if p.p_value is not None and p.p_value <= 0.05}
    peers = {c: ps[:CARD_PEERS] for c, ps in nearest.items()}
    figures = peer_figures(model, {c: [p for p in ps if p.score > 0] for c, ps in peers.items()}, DEFAULT_METRIC)
    learn = (
        all_recommendations(model, top=CARD_LEARN, peers=_LEARN_PEERS, metric=DEFAULT_METRIC)
        if len(inc.cities) > 1
        else {}
    )
    uniq = analysis.uniqueness(model)
    community = {c: k for k, group in enumerate(analysis.city_communities(model), start=1) for c in group}
    province = model.dataset.provinces
    counts = inc.matrix.getnnz(axis=1).tolist()
    cards = []
    by_name = {c: (model.dataset.entities[c].name_en or model.name(c)).casefold() for c in inc.cities}
    for city in sorted(inc.cities, key=lambda c: (by_name[c], c)):
        facts = {
            "province": province.get(city, ""),
            "initiatives": counts[inc.city_index[city]],
            "uniqueness": uniq[city],
            "community": community[city],
        }
        mine = [p for p in peers.get(city, []) if p.score > 0]
        cards.append(_card(model, city, mine, learn.get(city, []), facts, figures, significant))
    ordered = sorted(inc.cities, key=lambda c: (by_name[c], c))
    jump = "".join(f'<a href="#{_e(c.replace(":", "-"))}">{_e(model.name(c))}</a>' for c in ordered)
    return (
        f'<section id="cities"><h2>{_t("城市", "Cities")}</h2>'
        + _t(
            f'<p class="note">相似城市按 {_e(DEFAULT_METRIC)} 相似度排列（0–1，越少见的共同举措权重越高）；'
            "p：两市随机选取这么多举措时共有这么多项的概率（超几何检验），* 表示 p ≤ 0.05（显著），"
            "不显著者以灰色列出；稳定/不稳定：在 200 次各去掉十分之一联系的重抽样中，该相似城市是否至少 80% 仍在原位，"
            "以及最相近城市所取决的那一条联系。"
            "可以借鉴：最相近城市报告而本市未报告的举措，得分为采用它的相近城市所占的相似度比例。</p>",
            f'<p class="note">Peers by {_e(DEFAULT_METRIC)} similarity (0–1; rare shared initiatives count more); '
            "p: the chance of sharing this many initiatives at random (hypergeometric), * for p ≤ 0.05 "
            "(significant); weak peers in grey; stable/fragile: whether the peer keeps its place in at least 80% "
            "of 200 resamples that each leave a tenth of the links out, and the one link the nearest peer rests on. "
            "Could learn: initiatives the nearest peers report and the city does not; the score is the share of "
            "the peers' similarity held by those adopting it.</p>",
        )
        + f'<nav class="jump no-print" aria-label="{_t("城市", "Cities")}">{jump}</nav>'
        + f'<div class="cards">{"".join(cards)}</div></section>'
    )


def _colour(t: float) -> str:
    """A colour from light (0) to dark blue (1)."""
    t = min(1.0, max(0.0, t))
    low, high = (247, 251, 255), (8, 48, 107)
    r, g, b = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_svg(model: Model, groups: list[list[str]] | None = None) -> str:
    """The city x city idf-cosine similarity as an inline SVG: colour = score, a ``<title>`` tooltip per cell.

    ``groups`` lists the cities to show, in order, in groups separated by a line (default: every city, by
    community, then name). Scores are scaled to the largest score between two different cities; the diagonal is
    drawn grey.
    """
    import numpy as np

    from . import analysis
    from .similarity import DEFAULT_METRIC, similarity_matrix

    ds, inc = model.dataset, model.incidence
    if groups is None:
        groups = [sorted(group, key=model.name) for group in analysis.city_communities(model)]
    groups = [g for g in groups if g]
    cities = [c for group in groups for c in group]
    scores = similarity_matrix(model, DEFAULT_METRIC)
    scores = scores.toarray() if hasattr(scores, "toarray") else np.asarray(scores)
    index = [inc.city_index[c] for c in cities]
    sub = scores[np.ix_(index, index)]
    off = sub[~np.eye(len(cities), dtype=bool)] if len(cities) > 1 else np.zeros(0)
    top = float(off.max()) if off.size and off.max() > 0 else 1.0
    cell, label = 30, 12 * max((len(model.name(c)) for c in cities), default=1) + 12
    n = len(cities)
    width, height = label + n * cell + 8, label + n * cell + 46
    out = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e("similarity heatmap, " + DEFAULT_METRIC)}">'
    ]
    for k, c in enumerate(cities):
        y = label + k * cell + cell / 2 + 4
        x = label + k * cell + cell / 2
        out.append(f'<text x="{label - 6}" y="{y:.0f}" text-anchor="end">{_e(model.name(c))}</text>')
        out.append(
            f'<text transform="translate({x + 4:.0f},{label - 6}) rotate(-90)" text-anchor="start">'
            f"{_e(model.name(c))}</text>"
        )
    adopted = {c: set(inc.initiatives_of(c)) for c in cities}
    for a, ca in enumerate(cities):
        for b, cb in enumerate(cities):
            x, y = label + b * cell, label + a * cell
            value = float(sub[a, b])
            fill = "#c9ced6" if a == b else _colour(value / top)
            if a == b:
                tip = ds.name_of(ca)
            else:
                shared = [x for x in inc.initiatives_of(ca) if x in adopted[cb]]
                names = "、".join(ds.name_of(x) for x in shared) or "nothing"
                tip = f"{ds.name_of(ca)} × {ds.name_of(cb)}: {value:.3f}; shared: {names}"
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}" fill="{fill}">'
                f"<title>{_e(tip)}</title></rect>"
            )
            if a != b and value > 0:  # the number itself, readable on paper (two decimals, no leading zero)
                ink = "#ffffff" if value / top > 0.55 else "#1d2733"
                out.append(
                    f'<text class="cell" x="{x + (cell - 1) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" '
                    f'text-anchor="middle" fill="{ink}">{value:.2f}'.replace(">0.", ">.")
                    + "</text>"
                )
    if len(groups) > 1:
        edge = 0
        for group in groups[:-1]:
            edge += len(group)
            at = label + edge * cell - 0.5
            out.append(f'<line x1="{label}" y1="{at}" x2="{label + n * cell}" y2="{at}" stroke="#1d2733"/>')
            out.append(f'<line x1="{at}" y1="{label}" x2="{at}" y2="{label + n * cell}" stroke="#1d2733"/>')
    y0 = label + n * cell + 14
    steps = 10
    for s in range(steps + 1):
        out.append(f'<rect x="{label + s * 18}" y="{y0}" width="18" height="12" fill="{_colour(s / steps)}"/>')
    out.append(f'<text x="{label}" y="{y0 + 28}">0</text>')
    out.append(f'<text x="{label + (steps + 1) * 18}" y="{y0 + 28}" text-anchor="end">{top:.3f}</text>')
    out.append("</svg>")
    return "".join(out)


def _heatmap(model: Model) -> str:
    from . import analysis

    inc = model.incidence
    note = ""
    groups = [sorted(group, key=model.name) for group in analysis.city_communities(model)]
    if len(inc.cities) > HEATMAP_MAX_CITIES:
        counts = inc.matrix.getnnz(axis=1).tolist()
        keep = set(sorted(inc.cities, key=lambda c: (-counts[inc.city_index[c]], c))[:HEATMAP_MAX_CITIES])
        groups = [[c for c in group if c in keep] for group in groups]
        note = f" Shown: the {HEATMAP_MAX_CITIES} cities with the most initiatives, of {len(inc.cities)}."
    if note:
        note = _t(
            f"只显示共同举措最多的 {HEATMAP_MAX_CITIES} 个城市（共 {len(inc.cities)} 个）。",
            f" Shown: the {HEATMAP_MAX_CITIES} cities with the most initiatives, of {len(inc.cities)}.",
        )
    return (
        f'<section id="heatmap"><h2>{_t("相似度矩阵", "Similarity heatmap")}</h2>'
        + _t(
            '<p class="note">每格是两市的 idf-cosine 相似度（数字；颜色越深越相似，色阶止于两市间的最大值）。'
            "城市按群组排列。"
            '<span class="no-print">鼠标停在格子上可看到两市共有的举措。</span>',
            '<p class="note">Each cell: the idf-cosine similarity of two cities (the number; darker = more alike, '
            "the scale ends at the largest score between two cities). Cities are grouped by community."
            '<span class="no-print"> Hover a cell for the initiatives the two share.</span>',
        )
        + f"{_e(note)}</p>"
        f'<div class="heatmap">{heatmap_svg(model, groups)}</div></section>'
    )


def _simple_table(columns: list[tuple[str, str]], rows: list[dict]) -> str:
    numeric = {key for key, _ in columns if rows and all(isinstance(row.get(key), int | float) for row in rows)}
    head = "".join(
        (f'<th class="num">{_e(title)}</th>' if key in numeric else f"<th>{_e(title)}</th>") for key, title in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if isinstance(value, list | tuple):
                value = "、".join(str(v) for v in value)
            css = ' class="num"' if isinstance(value, int | float) else ""
            if isinstance(value, float):
                value = f"{value:.2f}"
            cells.append(f"<td{css}>{_e(value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _communities(model: Model) -> str:
    from . import analysis

    cities = analysis.community_table(model)
    initiatives = analysis.initiative_community_table(model)
    provinces = analysis.province_table(model)
    return (
        f'<section id="communities"><h2>{_t("群组", "Communities")}</h2>'
        + _t(
            '<p class="note">按 idf-cosine 相似度用 Louvain 方法（固定种子）分出的城市群组；'
            "括号内为群组中报告该举措的城市数。</p>",
            '<p class="note">Cities grouped by Louvain community detection on their idf-cosine similarity (fixed '
            "seed); in brackets, how many members report each shared initiative.</p>",
        )
        + _simple_table(
            [("community", "#"), ("size", "cities"), ("cities", "城市"), ("shared_initiatives", "shared initiatives")],
            cities.rows,
        )
        + f"<h4>{_t('常被一起报告的举措', 'Initiatives reported together')}</h4>"
        + _simple_table([("community", "#"), ("size", "initiatives"), ("initiatives", "举措")], initiatives.rows)
        + f"<h4>{_t('各省比较', 'Provinces compared')}</h4>"
        + _simple_table(
            [
                ("province", "省"),
                ("cities", "cities"),
                ("mean_initiatives", "mean initiatives"),
                ("shared_within", "shared within"),
                ("shared_across", "shared across"),
            ],
            provinces.rows,
        )
        + "</section>"
    )


def _graph_spec(model: Model):
    """The overview to embed: practice level; initiative level when that is too big; None when both are."""
    from .views import ViewSpec

    types = {}
    for entity in model.dataset.entities.values():
        types[entity.type] = types.get(entity.type, 0) + 1
    practice_level = sum(types.get(t, 0) for t in ("province", "city", "practice", "initiative", "theme"))
    if practice_level <= GRAPH_MAX_NODES:
        return ViewSpec(kind="overview")
    if practice_level - types.get("practice", 0) <= GRAPH_MAX_NODES:
        return ViewSpec(kind="overview", level="initiative")
    return None


def _graph(model: Model) -> str:
    from .render import render_html

    spec = _graph_spec(model)
    head = f'<section id="graph"><h2>{_t("关系图", "The overview graph")}</h2>'
    if spec is None:
        return (
            f'{head}<p class="note">The graph has more than {GRAPH_MAX_NODES:,} nodes even without practices, too '
            "many to embed here: draw it with <code>practice-graph view</code>.</p></section>"
        )
    from dataclasses import replace

    spec = replace(spec, lang=_LANG["lang"])
    if spec.level == "practice":
        what = _t("城市、做法及其共有的举措。", "Cities, their practices and the initiatives they share.")
    else:
        what = _t("城市及其共有的举措（做法已合并）。", "Cities (practices collapsed) and the initiatives they share.")
    page = render_html(model, spec)
    return (
        f'{head}<p class="note no-print">{what}'
        + _t(
            "可拖动、缩放、搜索，点击节点查看详情和原文。",
            " Drag, zoom, search and click a node for its details and quotes.",
        )
        + '</p><p class="note print-only">'
        + _t("可交互的关系图在本报告的 HTML 文件中。", "The interactive graph is in the HTML file of this report.")
        + "</p>"
        '<iframe title="overview graph" sandbox="allow-scripts allow-downloads" referrerpolicy="no-referrer" '
        f'srcdoc="{_e(page)}"></iframe></section>'
    )


def _sources(model: Model) -> str:
    from . import __version__

    items = "".join(
        f"<li>{_e(s.name)} <span class='src'>{_e(s.description)}</span></li>" for s in model.dataset.of_type("source")
    )
    return (
        f'<section id="sources"><h2>{_t("来源", "Sources")}</h2><ul>{items}</ul>'
        + '<p class="src">'
        + _t("以上每条联系都有这些文献中的原文为据。由 practice-graph ", "Every link above rests on a quote from ")
        + _t("", "these documents. Made with practice-graph ")
        + f"{_e(__version__)}{_t(' 生成。', '.')}</p></section>"
    )


# ---------------------------------------------------------------------------------------------------------------
# the page


def build_report(model: Model, lang: str = "zh") -> str:
    """The whole report as one HTML string (deterministic: the same data gives the same text).

    ``lang`` is the language of the report's own words: ``zh`` (default) or ``en``.
    """
    if lang not in ("zh", "en"):
        from .errors import RequestError, unknown

        raise RequestError(unknown("language", lang, ("zh", "en")))
    _LANG["lang"] = lang
    try:
        return _build(model)
    finally:
        _LANG["lang"] = "zh"


def _build(model: Model) -> str:
    body = "".join(
        [
            _header(model),
            _numbers(model),
            _most_shared(model),
            _cards(model),
            _heatmap(model),
            _communities(model),
            _graph(model),
            _sources(model),
        ]
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_t("zh-CN", "en")}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_t('城市做法与共同举措', 'Practices and shared initiatives')} · practice-graph</title>"
        f"<style>{_CSS}</style></head><body><main>{body}</main></body></html>\n"
    )


def write_report(model: Model, path: str | os.PathLike, lang: str = "zh") -> Path:
    """Write :func:`build_report` to ``path`` atomically; return the path.

    Raises
    ------
    InputError
        The folder does not exist or cannot be written.
    """
    from .errors import InputError
    from .files import write_atomic
    from .lang import say

    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=path, folder=path.parent))
    return write_atomic(path, build_report(model, lang))
