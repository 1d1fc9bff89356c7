"""The timeline view: who reported what when, as one offline, safe, searchable HTML page.

Cities are rows, time runs left to right; each dot is a city's first report of an initiative (coloured by
initiative), with its source and quote in the details panel. The observation window (first and last dated
source) is drawn on the axis and named in the header, with the reminder that report dates are not adoption dates.
With ``ties``, the diffusion ties that :func:`graph.diffusion.infer_network` infers are drawn as arrows from the
origin's report to the destination's, for each initiative that supports the tie.

The page speaks one language, Chinese by default or English (``lang="en"``): its own words come from
:data:`_UI`, its title, window and caveat from :func:`graph.lang.text`; names and quotes stay as in the data.

Safety is the views' own: the data travels as one JSON document with ``< > & /`` and the JavaScript line
separators escaped (:func:`graph.render.page.embed_json`), the script writes every data text with
``textContent``, and a Content-Security-Policy admits only the page's own script (by hash) and no request.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .standalone import search_keys

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Model

__all__ = [
    "INITIATIVE_COLORS",
    "TIMELINE_UI",
    "default_timeline_filename",
    "render_timeline",
    "timeline_data",
    "write_timeline",
]

#: Colours of the initiatives, in the order of their first report (repeated beyond ten).
INITIATIVE_COLORS = (
    "#4e79a7",
    "#e15759",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)

#: The page's own words, by language (the data's names and quotes are shown as they are).
TIMELINE_UI = {
    "zh": {
        "search_placeholder": "搜索城市或举措（名称 / 拼音 / 英文）",
        "search_label": "搜索",
        "ties": "推断的扩散关系",
        "legend": "图例",
        "chart": "时间线",
        "hint": "点击圆点查看来源与原文。",
        "noscript": "这个页面需要 JavaScript 来绘制时间线。",
        "only": "唯一来源 ",
        "first": "最早来源 ",
        "last": "最晚来源 ",
        "first_report": "首次报道",
        "order": "名次",
        "source": "来源",
        "latest_report": "最近报道",
        "reports": "报道次数",
        "gain": "增益",
        "undated": "无日期的报道（未列入时间线）：",
        "joiner": "；",
    },
    "en": {
        "search_placeholder": "Search a city or initiative (name / pinyin / English)",
        "search_label": "Search",
        "ties": "inferred diffusion ties",
        "legend": "Legend",
        "chart": "timeline",
        "hint": "Click a dot for its source and quote.",
        "noscript": "This page needs JavaScript to draw the timeline.",
        "only": "only dated source ",
        "first": "first ",
        "last": "last ",
        "first_report": "first report",
        "order": "order",
        "source": "source",
        "latest_report": "latest report",
        "reports": "reports",
        "gain": "gain",
        "undated": "Reported without a dated source, left out: ",
        "joiner": "; ",
    },
}


def timeline_data(
    model: Model, initiative: str | None = None, city: str | None = None, ties: bool = False, lang: str = "zh"
) -> dict:
    """Everything the timeline page's script needs, as JSON-ready data, its words in ``lang`` (zh or en).

    Raises :class:`~graph.errors.RequestError` for an unknown language, and the errors of
    :func:`graph.diffusion.timeline` (a name that does not resolve, both names given).

    >>> from graph import open_model
    >>> data = timeline_data(open_model(HISTORY), "红色物业")
    >>> [r["name"] for r in data["rows"]], data["window"]
    (['甲山市', '乙水市', '丙川市', '丁原市'], ['2019-05-10', '2023-09-20'])
    """
    from ..diffusion import REPORT_DATE_NOTE, decimal_year, history, infer_network, timeline
    from ..errors import RequestError, unknown
    from ..lang import say, text

    if lang not in TIMELINE_UI:
        raise RequestError(unknown("language", lang, TIMELINE_UI))
    table = timeline(model, initiative, city)
    h = history(model)
    rows: dict[str, int] = {}
    initiatives: dict[str, int] = {}
    sources: dict[str, int] = {}
    source_labels: list[str] = []
    points = []
    for r in sorted(table.rows, key=lambda r: (decimal_year(r["date"]), r["city_id"], r["initiative_id"])):
        rows.setdefault(r["city_id"], len(rows))
        initiatives.setdefault(r["initiative_id"], len(initiatives))
        if r["source_id"] not in sources:
            sources[r["source_id"]] = len(sources)
            source_labels.append(r["source"])
        points.append(
            {
                "row": rows[r["city_id"]],
                "initiative": initiatives[r["initiative_id"]],
                "date": r["date"],
                "t": round(decimal_year(r["date"]), 6),
                "order": r["order"],
                "source": sources[r["source_id"]],
                "quote": r["quote"],
                "last": r["last_date"],
                "reports": r["reports"],
            }
        )
    arrows = []
    if ties and h.dated:
        from ..diffusion import cascades_table

        where = {(p_city, p_x): k for k, (p_city, p_x) in enumerate(_point_keys(points, rows, initiatives))}
        for tie in infer_network(cascades_table(model), edges=None, p_value=0.05):
            for x in tie.cascades:
                a, b = where.get((tie.origin, x)), where.get((tie.destination, x))
                if a is not None and b is not None:
                    arrows.append(
                        {
                            "from": a,
                            "to": b,
                            "gain": round(tie.gain, 4),
                            "p": None if tie.p_value is None else float(f"{tie.p_value:.3g}"),
                        }
                    )
    subject_initiative = model.names.resolve(initiative, "initiative") if initiative is not None else None
    subject_city = model.names.resolve(city, "city") if city is not None else None
    undated = [
        [model.name(c), model.name(x)]
        for c, x in h.undated
        if subject_initiative in (None, x) and subject_city in (None, c)
    ]
    window = [h.window.first, h.window.last] if h.window else None
    return {
        "meta": {
            "title": text(table.title, lang),
            "window": text(h.window.describe() if h.window else say("Observation window: no dated source"), lang),
            "note": text(REPORT_DATE_NOTE, lang),
            "ties": bool(ties),
            "lang": lang,
        },
        "ui": TIMELINE_UI[lang],
        "window": window,
        "rows": [{"id": c, "name": model.name(c), "keys": search_keys(model, c)} for c in rows],
        "initiatives": [
            {
                "id": x,
                "name": model.name(x),
                "keys": search_keys(model, x),
                "color": INITIATIVE_COLORS[k % len(INITIATIVE_COLORS)],
            }
            for x, k in initiatives.items()
        ],
        "points": points,
        "sources": source_labels,
        "arrows": arrows,
        "undated": undated,
    }


def _point_keys(points: list[dict], rows: dict[str, int], initiatives: dict[str, int]) -> list[tuple[str, str]]:
    row_ids, initiative_ids = list(rows), list(initiatives)
    return [(row_ids[p["row"]], initiative_ids[p["initiative"]]) for p in points]


def render_timeline(
    model: Model, initiative: str | None = None, city: str | None = None, ties: bool = False, lang: str = "zh"
) -> str:
    """The whole timeline page in ``lang``: its script and style inline, no URL, the same bytes for the same data.

    >>> from graph import open_model
    >>> html = render_timeline(open_model(HISTORY), city="甲山")
    >>> html.startswith("<!DOCTYPE html>"), "://" in html, "报道日期" in html, "report dates" in html
    (True, False, True, False)
    >>> '<html lang="en">' in render_timeline(open_model(HISTORY), city="甲山", lang="en")
    True
    """
    from .standalone import render_standalone

    data = timeline_data(model, initiative, city, ties, lang)
    meta = data["meta"]
    return render_standalone(
        "timeline",
        data,
        lang="zh-CN" if lang == "zh" else "en",
        title=meta["title"],
        window=meta["window"],
        note=meta["note"],
        ui=data["ui"],
    )


def default_timeline_filename(initiative: str | None = None, city: str | None = None) -> str:
    """The file name of a timeline view when none is given.

    >>> default_timeline_filename(), default_timeline_filename("红色物业"), default_timeline_filename(city="../甲山")
    ('timeline.html', 'timeline-红色物业.html', 'timeline-甲山.html')
    """
    import re

    name = initiative if initiative is not None else city
    if name is None:
        return "timeline.html"
    slug = re.sub(r"[^\w]+", "-", name, flags=re.UNICODE).strip("-_") or "view"
    return f"timeline-{slug}.html"


def write_timeline(
    model: Model,
    path: str | os.PathLike | None = None,
    initiative: str | None = None,
    city: str | None = None,
    ties: bool = False,
    lang: str = "zh",
) -> Path:
    """Render the timeline view in ``lang`` and write it (UTF-8) through a temporary file renamed into place.

    Raises
    ------
    InputError
        The folder does not exist or cannot be written; plus the errors of :func:`render_timeline`.
    """
    from ..errors import InputError
    from ..export import write_atomic
    from ..lang import say

    target = Path(path) if path is not None else Path(default_timeline_filename(initiative, city))
    html = render_timeline(model, initiative, city, ties, lang)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(say("cannot write {path}: folder {folder} does not exist", path=target, folder=folder))
    return write_atomic(target, html)
