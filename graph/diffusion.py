"""From a snapshot to a history: dated adoptions, timelines, diffusion tables and network inference.

A city *reports* an initiative when one of its practices is a case of it (the adoption rule of
:func:`graph.model.build_incidence`). Each such report has a date: the practice's own ``date`` when it has one, else
the date of the source its quote comes from, else the date of the source of the city's ``reports`` relation. The
*first report* of a (city, initiative) pair is its earliest dated report, kept with its source and quote; the
latest report is kept beside it. **A report date is not an adoption date**: a city may have adopted a practice
long before any article said so. Every answer here says so, and shows the observation window (the first and the
last dated source), because a window cuts late adopters off.

Partial dates (``2020``, ``2020-07``) stand for the start of their period when they are ordered or turned into
numbers; their precision is kept beside them.

The tables for diffusion research:

- :func:`cascades_table`: one row per (city, initiative) first report, as R's NetworkInference reads cascades
  (``node_name, event_time, cascade_id``), times as decimal years or days since 1970-01-01;
- :func:`spid_table`: adoptions in long form like SPID (unit, policy, date, source, quote, province);
- :func:`dyad_years`: a directed event-history table, one row per initiative, year and pair (i, j) where j had
  reported the initiative before that year and i had not.

:func:`infer_network` is NetInf (Gomez-Rodriguez, Leskovec and Krause, KDD 2010): the greedy choice of diffusion
ties that best explain the order of the cascades, with lazy evaluation. :func:`simulate_cascades` draws cascades
over a known network, to check it.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import InputError, RequestError, unknown
from .lang import listing, say
from .schema import DATE_PATTERN
from .table import Table

if TYPE_CHECKING:  # pragma: no cover
    from .model import Model

__all__ = [
    "REPORT_DATE_NOTE",
    "TIME_UNITS",
    "TRANSMISSION_MODELS",
    "Adoption",
    "History",
    "Report",
    "Tie",
    "Window",
    "adoption_rows",
    "annotate_peers",
    "annotate_recommendations",
    "cascades_table",
    "date_precision",
    "date_start",
    "decimal_year",
    "diffusion",
    "DyadYears",
    "dyad_years",
    "dyad_year_count",
    "dyad_year_table",
    "candidate_pairs",
    "earliest_reporter",
    "epoch_days",
    "first_reports",
    "history",
    "infer_network",
    "simulate_cascades",
    "spid_table",
    "tie_scores",
    "timeline",
]

#: The sentence every dated answer carries.
REPORT_DATE_NOTE = say(
    "Dates are report dates (the earliest dated source that reports it), not adoption dates: "
    "a city may have adopted a practice before any article said so."
)

#: How ``event_time`` is measured in a cascades table.
TIME_UNITS = ("years", "days")

#: :func:`infer_network` refuses cascades holding more candidate pairs (a node after an earlier node of the same
#: cascade) than this: each takes about 250 bytes and a few microseconds (2 million pairs: 0.5 GB and 9 s).
DIFFUSION_MAX_PAIRS = int(os.environ.get("PRACTICE_GRAPH_DIFFUSION_MAX_PAIRS", "10000000"))

#: The transmission models of :func:`infer_network`.
TRANSMISSION_MODELS = ("exponential", "power-law")


# ---------------------------------------------------------------------------------------------------------------
# dates


def date_start(value: str) -> _dt.date:
    """The first day of an ISO 8601 date, partial allowed.

    >>> date_start("2020"), date_start("2020-07"), date_start("2020-07-09")
    (datetime.date(2020, 1, 1), datetime.date(2020, 7, 1), datetime.date(2020, 7, 9))
    """
    m = DATE_PATTERN.match(value or "")
    if not m:
        raise ValueError(f"not an ISO 8601 date: {value!r}")
    year, month, day = (int(g) if g else 1 for g in m.groups())
    return _dt.date(year, month, day)


def date_precision(value: str) -> str:
    """``year``, ``month`` or ``day``: how much of the date is known.

    >>> date_precision("2020"), date_precision("2020-07"), date_precision("2020-07-09")
    ('year', 'month', 'day')
    """
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def decimal_year(value: str) -> float:
    """A date as a decimal year (the start of a partial date's period).

    >>> decimal_year("2020"), round(decimal_year("2020-07-02"), 4), decimal_year("2021-01-01")
    (2020.0, 2020.5, 2021.0)
    """
    d = date_start(value)
    start = _dt.date(d.year, 1, 1)
    length = (_dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / length


def epoch_days(value: str) -> int:
    """Days since 1970-01-01, as R's ``as.numeric(as.Date(x))`` counts them.

    >>> epoch_days("1970-01-02"), epoch_days("2020-10-22")
    (1, 18557)
    """
    return (date_start(value) - _dt.date(1970, 1, 1)).days


def _sort_key(value: str) -> tuple[int, int, int]:
    d = date_start(value)
    return d.year, d.month, d.day


# ---------------------------------------------------------------------------------------------------------------
# reports, adoptions, the window


@dataclass(frozen=True)
class Report:
    """One dated report of an initiative by a city: its date, the source, the quote and the practice.

    ``dated_by`` is ``practice`` when the practice carries its own date, else ``source``.
    """

    city: str
    initiative: str
    date: str
    source: str
    quote: str
    practice: str
    dated_by: str = "source"


@dataclass(frozen=True)
class Adoption:
    """A (city, initiative) pair with its first report (date, source, quote) and its latest report.

    ``order`` is the city's place among the initiative's reporters (1 = first; cities reporting on the same date
    share a place); ``reports`` counts its dated reports. The date is a report date, not an adoption date.
    """

    city: str
    initiative: str
    date: str
    source: str
    quote: str
    practice: str
    last_date: str
    last_source: str
    reports: int
    order: int = 0


@dataclass(frozen=True)
class Window:
    """The observation window: the first and the last dated source, how many sources are dated and how many not."""

    first: str
    last: str
    sources: int
    undated_sources: int = 0

    def describe(self) -> str:
        """One line for people.

        >>> Window("2019-05-10", "2023-09-20", 5, 1).describe()
        'Observation window: first dated source 2019-05-10, last 2023-09-20 (5 dated sources; 1 undated)'
        """
        values = {"first": self.first, "last": self.last, "sources": self.sources, "undated": self.undated_sources}
        if self.undated_sources:
            return say(
                "Observation window: first dated source {first}, last {last} ({sources} dated sources; {undated} "
                "undated)",
                **values,
            )
        if self.sources != 1:
            return say(
                "Observation window: first dated source {first}, last {last} ({sources} dated sources)", **values
            )
        return say("Observation window: first dated source {first}, last {last} (1 dated source)", **values)


@dataclass
class History:
    """Every dated report of a dataset, its adoptions (first reports), the undated ones, and the window."""

    reports: list[Report]
    adoptions: dict[tuple[str, str], Adoption]
    undated: list[tuple[str, str]]
    window: Window | None

    @property
    def dated(self) -> bool:
        """Whether the reports tell an order: they fall on more than one date."""
        return len({_sort_key(r.date) for r in self.reports}) > 1

    def of_initiative(self, initiative: str) -> list[Adoption]:
        """The initiative's adoptions, first reporters first."""
        items = [a for (c, x), a in self.adoptions.items() if x == initiative]
        return sorted(items, key=lambda a: (_sort_key(a.date), a.city))

    def of_city(self, city: str) -> list[Adoption]:
        """The city's adoptions, earliest first."""
        items = [a for (c, x), a in self.adoptions.items() if c == city]
        return sorted(items, key=lambda a: (_sort_key(a.date), a.initiative))


def history(model: Model) -> History:
    """The dated reports and adoptions of a model (every initiative, ways of working included), computed once per
    model.

    >>> from graph import open_model
    >>> h = history(open_model(HISTORY))
    >>> a = h.adoptions[("city:jia", "initiative:red-property")]
    >>> a.date, a.source, a.last_date, a.reports, a.order
    ('2019-05-10', 'source:hx-2019-05-10', '2021-03-15', 2, 1)
    """
    return model.derived("diffusion.history", lambda: _build_history(model))


def _build_history(model: Model) -> History:
    ds = model.dataset
    entities = ds.entities
    reports_doc: dict[tuple[str, str], str] = {}
    for r in ds.relations:
        if r.relation == "reports" and r.document:
            reports_doc[(r.source, r.target)] = r.document

    def source_date(doc: str) -> str:
        e = entities.get(doc)
        return e.date if e is not None else ""

    reports: list[Report] = []
    undated: list[tuple[str, str]] = []
    for (city, initiative), items in sorted(model.adoption.evidence.items()):
        found = []
        for ev in items:
            practice = entities.get(ev.practice)
            if practice is not None and practice.date:
                found.append(Report(city, initiative, practice.date, ev.document, ev.quote, ev.practice, "practice"))
            elif source_date(ev.document):
                found.append(Report(city, initiative, source_date(ev.document), ev.document, ev.quote, ev.practice))
            else:
                doc = reports_doc.get((city, ev.practice), "")
                if source_date(doc):
                    found.append(Report(city, initiative, source_date(doc), ev.document, ev.quote, ev.practice))
        if found:
            reports.extend(found)
        else:
            undated.append((city, initiative))
    reports.sort(key=lambda r: (_sort_key(r.date), r.city, r.initiative, r.source, r.practice))

    grouped: dict[tuple[str, str], list[Report]] = {}
    for r in reports:
        grouped.setdefault((r.city, r.initiative), []).append(r)
    firsts: dict[tuple[str, str], Adoption] = {}
    for key, items in grouped.items():
        first, last = items[0], items[-1]
        firsts[key] = Adoption(
            key[0], key[1], first.date, first.source, first.quote, first.practice, last.date, last.source, len(items)
        )
    by_initiative: dict[str, list[Adoption]] = {}
    for a in firsts.values():
        by_initiative.setdefault(a.initiative, []).append(a)
    adoptions: dict[tuple[str, str], Adoption] = {}
    for items in by_initiative.values():
        items.sort(key=lambda a: _sort_key(a.date))
        place, previous = 0, None
        for k, a in enumerate(items, start=1):
            if _sort_key(a.date) != previous:
                place, previous = k, _sort_key(a.date)
            adoptions[(a.city, a.initiative)] = Adoption(**{**a.__dict__, "order": place})

    sources = [e for e in entities.values() if e.type == "source"]
    dated_sources = sorted((e.date for e in sources if e.date), key=_sort_key)
    window = None
    if dated_sources:
        window = Window(dated_sources[0], dated_sources[-1], len(dated_sources), len(sources) - len(dated_sources))
    return History(reports, dict(sorted(adoptions.items())), undated, window)


def _window_notes(h: History) -> list[str]:
    notes = [h.window.describe() if h.window else say("Observation window: no dated source"), REPORT_DATE_NOTE]
    if h.undated:
        notes.append(say("{n} adoption(s) have no dated source and are left out of the order.", n=len(h.undated)))
    return notes


def _window_title(h: History) -> str:
    if h.window:
        return say("window {first} – {last}", first=h.window.first, last=h.window.last)
    return say("no dated source")


def adoption_rows(model: Model) -> list[dict[str, Any]]:
    """The adoption events as rows: city, initiative, date (first report), source, quote, and the latest report.

    >>> from graph import open_model
    >>> rows = adoption_rows(open_model(HISTORY))
    >>> [(r["city"], r["date"]) for r in rows if r["initiative"] == "initiative:red-property"]
    [('city:jia', '2019-05-10'), ('city:yi', '2020-07-01'), ('city:bing', '2021-03-15'), ('city:ding', '2023-09-20')]
    """
    h = history(model)
    rows = []
    for a in sorted(h.adoptions.values(), key=lambda a: (a.initiative, _sort_key(a.date), a.city)):
        rows.append(
            {
                "city": a.city,
                "initiative": a.initiative,
                "date": a.date,
                "source": a.source,
                "quote": a.quote,
                "practice": a.practice,
                "order": a.order,
                "last_date": a.last_date,
                "last_source": a.last_source,
                "reports": a.reports,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------------------------
# answers: timeline, first reports, earliest reporter


def _source_label(model: Model, source: str) -> str:
    e = model.dataset.entities.get(source)
    if e is None:
        return source
    return f"{e.name}（{e.description}）" if e.description else e.name


_TIMELINE_COLUMNS = [
    "order",
    "date",
    "city",
    "city_id",
    "initiative",
    "initiative_id",
    "source",
    "source_id",
    "quote",
    "last_date",
    "reports",
    "precision",
]


def timeline(model: Model, initiative: str | None = None, city: str | None = None) -> Table:
    """The ``timeline`` command: who reported what when, first reporters first.

    Without a name, every initiative (in the order of its first report); with ``initiative``, its reporters; with
    ``city``, the city's first reports. ``order`` is the city's place among the initiative's reporters.

    Raises
    ------
    RequestError
        Both an initiative and a city given, or a name that does not resolve.

    Examples
    --------
    >>> from graph import open_model
    >>> t = timeline(open_model(HISTORY), "红色物业")
    >>> [(r["order"], r["date"], r["city"]) for r in t.rows]
    [(1, '2019-05-10', '甲山市'), (2, '2020-07-01', '乙水市'), (3, '2021-03-15', '丙川市'), (4, '2023-09-20', '丁原市')]
    """
    if initiative is not None and city is not None:
        raise RequestError(say("give an initiative or --city, not both"))
    h = history(model)
    if initiative is not None:
        subject = model.names.resolve(initiative, "initiative")
        items = h.of_initiative(subject)
        title = say("who reported {name} when", name=model.name(subject))
        undated = [c for c, x in h.undated if x == subject]
    elif city is not None:
        subject = model.names.resolve(city, "city")
        items = h.of_city(subject)
        title = say("what {name} reported when", name=model.name(subject))
        undated = [x for c, x in h.undated if c == subject]
    else:
        subject = None
        first: dict[str, tuple] = {}
        for a in h.adoptions.values():
            key = (_sort_key(a.date), model.name(a.initiative), a.initiative)
            first[a.initiative] = min(first.get(a.initiative, key), key)
        items = sorted(h.adoptions.values(), key=lambda a: (first[a.initiative], _sort_key(a.date), a.city))
        title = say("who reported each initiative when")
        undated = list(h.undated)
    rows = [
        {
            "order": a.order,
            "date": a.date,
            "city": model.name(a.city),
            "city_id": a.city,
            "initiative": model.name(a.initiative),
            "initiative_id": a.initiative,
            "source": _source_label(model, a.source),
            "source_id": a.source,
            "quote": a.quote,
            "last_date": a.last_date,
            "reports": a.reports,
            "precision": date_precision(a.date),
        }
        for a in items
    ]
    notes = _window_notes(h)
    if subject is not None and undated:
        names = listing([model.name(u) for u in undated], "、")
        notes.append(say("Reported without a dated source (left out): {names}.", names=names))
    if not rows:
        notes.insert(
            0, say("No dated report of {name}.", name=model.name(subject)) if subject else say("No dated report.")
        )
    display = ["order", "date", "city", "initiative", "quote", "source", "last_date"]
    if initiative is not None:
        display.remove("initiative")
    elif city is not None:
        display.remove("city")
    return Table(
        list(_TIMELINE_COLUMNS),
        rows,
        title=say("{title} (report dates; {window})", title=title, window=_window_title(h)),
        name="timeline",
        notes=notes,
        display=display,
    )


def first_reports(model: Model, a: str, b: str, initiatives: Iterable[str]) -> tuple[int, int, int] | None:
    """On how many of ``initiatives`` city ``a`` reported first, ``b`` reported first, and both on one date.

    None when the dataset's reports do not tell an order (they all fall on one date). Initiatives that either city
    reports without a dated source are not counted.

    >>> from graph import open_model
    >>> m = open_model(HISTORY)
    >>> first_reports(m, "city:jia", "city:yi", ["initiative:red-property", "initiative:volunteering"])
    (2, 0, 0)
    """
    h = history(model)
    if not h.dated:
        return None
    counts = [0, 0, 0]
    for x in initiatives:
        fa, fb = h.adoptions.get((a, x)), h.adoptions.get((b, x))
        if fa is None or fb is None:
            continue
        ka, kb = _sort_key(fa.date), _sort_key(fb.date)
        counts[0 if ka < kb else 1 if kb < ka else 2] += 1
    return counts[0], counts[1], counts[2]


def earliest_reporter(model: Model, initiative: str, cities: Iterable[str]) -> Adoption | None:
    """Among ``cities``, the first to report ``initiative`` (its :class:`Adoption`), or None without an order.

    >>> from graph import open_model
    >>> m = open_model(HISTORY)
    >>> earliest_reporter(m, "initiative:red-property", ["city:bing", "city:yi"]).city
    'city:yi'
    """
    h = history(model)
    if not h.dated:
        return None
    found = [h.adoptions[(c, initiative)] for c in cities if (c, initiative) in h.adoptions]
    if not found:
        return None
    return min(found, key=lambda a: (_sort_key(a.date), a.city))


def _dated_notes(h: History, notes: list[str]) -> list[str]:
    """``notes`` without the one-snapshot sentence, which dated reports across several dates make untrue."""
    return [n for n in notes if not n.startswith("One self-reported snapshot")] + _window_notes(h)


def annotate_peers(model: Model, table: Table) -> Table:
    """Add to a table of peers (``similar``) on how many shared initiatives each city reported first.

    Rows need ``city``, ``city_id``, ``peer``, ``peer_id`` and ``shared_id``. Columns added: ``city_first``,
    ``peer_first``, ``same_date`` (and ``reported_first`` for people). Without an order in the data (every
    report on one date, as with the bundled article alone) the table is returned unchanged.

    >>> from graph import open_model
    >>> from graph.similarity import similar
    >>> t = similar(open_model(HISTORY), "丙川")
    >>> [(r["peer"], r["city_first"], r["peer_first"]) for r in t.rows][:2]
    [('甲山市', 0, 2), ('戊城市', 1, 0)]
    """
    h = history(model)
    if not h.dated:
        return table
    for row in table.rows:
        shared = [x for x in row.get("shared_id") or () if x in model.incidence.initiative_index]
        a, b, same = first_reports(model, row["city_id"], row["peer_id"], shared)
        row.update(city_first=a, peer_first=b, same_date=same)
        row["reported_first"] = (
            say("{city} {a} · {peer} {b} · same date {same}", city=row["city"], a=a, peer=row["peer"], b=b, same=same)
            if same
            else f"{row['city']} {a} · {row['peer']} {b}"
        )
    at = table.columns.index("p_value") + 1 if "p_value" in table.columns else len(table.columns)
    table.columns[at:at] = ["city_first", "peer_first", "same_date"]
    if table.display is not None:
        table.display.append("reported_first")
    table.notes = _dated_notes(h, table.notes)
    table.notes.append(say("reported_first: on how many shared initiatives each city reported first (report dates)."))
    return table


def annotate_recommendations(model: Model, table: Table) -> Table:
    """Add to a table of recommendations (``recommend``) the first city to report each initiative, with its date.

    Rows need ``initiative_id``. Columns added: ``first_reporter``, ``first_reporter_id``, ``first_date``,
    ``first_source`` (and ``learn_first`` for people). Without an order in the data the table is returned
    unchanged.

    >>> from graph import open_model
    >>> from graph.recommend import recommend
    >>> t = recommend(open_model(HISTORY), "丙川")
    >>> [(r["initiative"], r["first_reporter"], r["first_date"]) for r in t.rows]
    [('志愿服务', '甲山市', '2019-05-10'), ('党员干部下沉社区', None, None)]
    """
    h = history(model)
    if not h.dated:
        return table
    cities = model.adoption.cities
    for row in table.rows:
        first = earliest_reporter(model, row["initiative_id"], cities)
        row.update(first_reporter=None, first_reporter_id=None, first_date=None, first_source=None, learn_first="")
        if first is not None:
            row.update(
                first_reporter=model.name(first.city),
                first_reporter_id=first.city,
                first_date=first.date,
                first_source=first.source,
                learn_first=f"{model.name(first.city)} ({first.date})",
            )
    at = table.columns.index("learn_from_id") + 1 if "learn_from_id" in table.columns else len(table.columns)
    table.columns[at:at] = ["first_reporter", "first_reporter_id", "first_date", "first_source"]
    if table.display is not None:
        table.display.insert(
            table.display.index("learn_from") + 1 if "learn_from" in table.display else 0, "learn_first"
        )
    table.notes = _dated_notes(h, table.notes)
    table.notes.append(
        say("learn_first: the first city to report the initiative, whom to learn it from, with its date.")
    )
    return table


# ---------------------------------------------------------------------------------------------------------------
# tables for diffusion research


def cascades_table(model: Model, unit: str = "years") -> Table:
    """Cascades as R's NetworkInference reads them: ``node_name`` (city id), ``event_time``, ``cascade_id``
    (initiative id), one row per city's first report of an initiative.

    ``unit`` is ``years`` (decimal years) or ``days`` (days since 1970-01-01, R's ``Date`` numbers). Undated
    adoptions are left out.

    >>> from graph import open_model
    >>> t = cascades_table(open_model(HISTORY), "days")
    >>> t.columns
    ['node_name', 'event_time', 'cascade_id']
    >>> t.rows[0]
    {'node_name': 'city:jia', 'event_time': 18444, 'cascade_id': 'initiative:political-assessment'}
    """
    if unit not in TIME_UNITS:
        raise RequestError(unknown("time unit", unit, TIME_UNITS))
    h = history(model)
    rows = []
    for a in sorted(h.adoptions.values(), key=lambda a: (a.initiative, _sort_key(a.date), a.city)):
        time = round(decimal_year(a.date), 6) if unit == "years" else epoch_days(a.date)
        rows.append({"node_name": a.city, "event_time": time, "cascade_id": a.initiative})
    return Table(["node_name", "event_time", "cascade_id"], rows, name="cascades", notes=_window_notes(h))


def _province_of(model: Model) -> dict[str, str]:
    entities = model.dataset.entities
    parent: dict[str, list[str]] = {}
    for r in model.dataset.relations:
        if r.relation == "located_in":
            parent.setdefault(r.source, []).append(r.target)
    out = {}
    for city in model.adoption.cities:
        seen, stack = set(), [city]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            for p in parent.get(node, ()):
                if entities[p].type == "province":
                    out.setdefault(city, p)
                else:
                    stack.append(p)
    return out


_SPID_COLUMNS = [
    "unit",
    "unit_name",
    "policy",
    "policy_name",
    "date",
    "year",
    "precision",
    "source",
    "source_name",
    "quote",
    "province",
    "order",
    "last_date",
    "last_source",
    "reports",
]


def spid_table(model: Model) -> Table:
    """Adoptions in long form, as the SPID database lays them out, each with its own source and quote.

    One row per (city, initiative): ``unit`` (city id), ``policy`` (initiative id), ``date`` and ``year`` of the
    first report, its ``source`` and ``quote``, the city's ``province``, and the latest report. Adoptions without
    a dated source are kept with empty date and year.

    >>> from graph import open_model
    >>> t = spid_table(open_model(HISTORY))
    >>> [(r["unit"], r["year"]) for r in t.rows if r["policy"] == "initiative:volunteering"]
    [('city:jia', 2019), ('city:yi', 2022), ('city:ding', 2022)]
    """
    h = history(model)
    ds = model.dataset
    province = _province_of(model)
    rows = []
    for a in sorted(h.adoptions.values(), key=lambda a: (a.initiative, _sort_key(a.date), a.city)):
        rows.append(
            {
                "unit": a.city,
                "unit_name": ds.name_of(a.city),
                "policy": a.initiative,
                "policy_name": ds.name_of(a.initiative),
                "date": a.date,
                "year": date_start(a.date).year,
                "precision": date_precision(a.date),
                "source": a.source,
                "source_name": ds.name_of(a.source),
                "quote": a.quote,
                "province": province.get(a.city, ""),
                "order": a.order,
                "last_date": a.last_date,
                "last_source": a.last_source,
                "reports": a.reports,
            }
        )
    inc = model.adoption
    for city, initiative in sorted(h.undated):
        ev = inc.evidence[(city, initiative)][0]
        row = dict.fromkeys(_SPID_COLUMNS, None)
        row.update(
            unit=city,
            unit_name=ds.name_of(city),
            policy=initiative,
            policy_name=ds.name_of(initiative),
            source=ev.document,
            source_name=ds.name_of(ev.document),
            quote=ev.quote,
            province=province.get(city, ""),
            reports=0,
        )
        rows.append(row)
    return Table(list(_SPID_COLUMNS), rows, name="adoptions", notes=_window_notes(h))


_DYAD_YEAR_COLUMNS = [
    "initiative",
    "year",
    "i",
    "j",
    "reported",
    "j_year",
    "distance_km",
    "same_province",
    "prior_similarity",
    "sources_in_year",
    "i_name",
    "j_name",
]


def dyad_year_count(year_of: dict[tuple[str, str], int], undated: set[tuple[str, str]], cities: int, last_year: int):
    """The number of rows of :func:`dyad_years`, from each adoption's first-report year, without making them.

    >>> dyad_year_count({("a", "x"): 2020, ("b", "x"): 2021}, set(), 3, 2022)  # 2021: b, c after a; 2022: c after a, b
    4
    """
    years: dict[str, list[int]] = {}
    for (_, x), year in year_of.items():
        years.setdefault(x, []).append(year)
    left_out: dict[str, int] = {}
    for _, x in undated:
        left_out[x] = left_out.get(x, 0) + 1
    total = 0
    for x, found in years.items():
        at_risk = cities - left_out.get(x, 0)
        found.sort()
        earlier = 0
        for year in range(found[0] + 1, last_year + 1):
            while earlier < len(found) and found[earlier] < year:
                earlier += 1
            total += (at_risk - earlier) * earlier
    return total


@dataclass(frozen=True)
class DyadYears:
    """The dyad-year table of :func:`dyad_year_table`, its rows made on demand.

    ``count`` is the number of rows; ``csv_bytes`` an estimate of the size of its CSV (the mean length of each
    column's text times the rows); ``rows()`` yields each row as a tuple in the order of ``columns``, one
    initiative, year and city i at a time, so that a writer holds no more than it chooses to."""

    columns: list[str]
    count: int
    csv_bytes: int
    notes: list[str]
    rows: Any


def dyad_year_table(model: Model) -> DyadYears:
    """The directed dyad-year event-history table of :func:`dyad_years`, counted but not made: see
    :class:`DyadYears`. Memory stays that of the model plus the city x city distances and, for the year being
    made, the city x city counts of earlier reports shared."""
    import numpy as np
    import scipy.sparse as sp

    from .geo import pairwise_km

    h = history(model)
    ds = model.dataset
    cities = list(model.adoption.cities)
    notes = _window_notes(h)
    if h.window is None or not h.adoptions:
        return DyadYears(list(_DYAD_YEAR_COLUMNS), 0, 0, notes, lambda: iter(()))
    index = {c: k for k, c in enumerate(cities)}
    province = _province_of(model)
    last_year = date_start(h.window.last).year
    per_year: dict[int, int] = {}
    for e in ds.entities.values():
        if e.type == "source" and e.date:
            per_year[date_start(e.date).year] = per_year.get(date_start(e.date).year, 0) + 1
    year_of = {key: date_start(a.date).year for key, a in h.adoptions.items()}
    undated = set(h.undated)
    initiatives = sorted({x for _, x in h.adoptions})
    column = {x: k for k, x in enumerate(initiatives)}
    count = dyad_year_count(year_of, undated, len(cities), last_year)
    names = [ds.name_of(x) for x in cities]
    # the CSV estimate: 12 cells, 11 commas and a newline; numbers at their usual widths
    mean = lambda texts: sum(len(t.encode("utf-8")) for t in texts) / max(len(texts), 1)  # noqa: E731
    width = 2 * mean(cities) + 2 * mean(names) + mean(initiatives) + 4 + 1 + 4 + 7 + 1 + 8 + 3 + 12
    csv_bytes = int(count * width)

    def rows():
        # first-report years as a city x initiative matrix, for the prior similarity of every pair in one product
        entries = [(index[c], column[x], y) for (c, x), y in year_of.items()]
        r, c, y = (np.asarray(v, dtype=np.int64) for v in zip(*entries, strict=True))
        lat = np.array([np.nan if ds.entities[x].lat is None else ds.entities[x].lat for x in cities])
        lon = np.array([np.nan if ds.entities[x].lon is None else ds.entities[x].lon for x in cities])
        km = pairwise_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        places = [province.get(x) for x in cities]
        priors: dict[int, tuple] = {}

        def prior(year: int):
            # shared earlier reports of every pair (as int32: 4 bytes a pair), and each city's count, per year
            if year not in priors:
                keep = y < year
                before = sp.csr_matrix(
                    (np.ones(int(keep.sum()), dtype=np.int32), (r[keep], c[keep])),
                    shape=(len(cities), len(initiatives)),
                )
                priors[year] = ((before @ before.T).toarray(), np.asarray(before.sum(axis=1)).ravel().tolist())
            return priors[year]

        # the rounded distances of city i, a bounded number of cities' at a time
        rounded: dict[int, list] = {}
        most = max(1, 4_000_000 // max(len(cities), 1))

        def distances(i: int) -> list:
            if i not in rounded:
                if len(rounded) >= most:
                    rounded.clear()
                rounded[i] = [None if v != v else round(v, 1) for v in km[i].tolist()]
            return rounded[i]

        by_initiative: dict[str, dict[int, int]] = {}
        for (city, x), year in year_of.items():
            by_initiative.setdefault(x, {})[index[city]] = year
        for x in initiatives:
            years = by_initiative[x]
            at_risk = [k for k in range(len(cities)) if (cities[k], x) not in undated]
            for year in range(min(years.values()) + 1, last_year + 1):
                earlier = [j for j in at_risk if years.get(j, year) < year]
                if not earlier:
                    continue
                inter, size = prior(year)
                sources = per_year.get(year, 0)
                j_years = [years[j] for j in earlier]
                sizes = [size[j] for j in earlier]
                for i in at_risk:
                    if i in years and years[i] < year:
                        continue
                    reported = int(years.get(i) == year)
                    shared = inter[i, earlier].tolist()
                    size_i = size[i]
                    km_i = distances(i)
                    city_i, name_i, place_i = cities[i], names[i], places[i]
                    for j, both, size_j, j_year in zip(earlier, shared, sizes, j_years, strict=True):
                        # x is among j's earlier reports and not among i's: leave it out of the union
                        union = size_i + size_j - both - 1
                        yield (
                            x,
                            year,
                            city_i,
                            cities[j],
                            reported,
                            j_year,
                            km_i[j],
                            int(bool(place_i) and place_i == places[j]),
                            round(both / union, 6) if union > 0 else 0.0,
                            sources,
                            name_i,
                            names[j],
                        )

    return DyadYears(list(_DYAD_YEAR_COLUMNS), count, csv_bytes, notes, rows)


def dyad_years(model: Model) -> Table:
    """A directed dyad-year event-history table: for each initiative and year, each pair (i, j) where j had
    reported the initiative in an earlier year and i had not yet, with ``reported`` = 1 when i reports it that
    year.

    Years run from the year after the initiative's first report to the last year of the window; i leaves the
    risk set after its first report. Cities reporting the initiative without a dated source are left out of its
    rows. Covariates: ``distance_km`` (great-circle, empty without coordinates), ``same_province`` (0/1),
    ``prior_similarity`` (Jaccard of the other initiatives each had reported before the year; 0 when neither had
    any), ``sources_in_year`` (dated sources published that year: a year without any cannot show a report).

    The whole table in memory (about 1.3 KB a row): a large one is written a block at a time from
    :func:`dyad_year_table` instead.

    >>> from graph import open_model
    >>> t = dyad_years(open_model(HISTORY))
    >>> [(r["year"], r["i"], r["reported"]) for r in t.rows if r["initiative"] == "initiative:red-property"][:3]
    [(2020, 'city:bing', 0), (2020, 'city:ding', 0), (2020, 'city:wu', 0)]
    """
    t = dyad_year_table(model)
    rows = [dict(zip(t.columns, row, strict=True)) for row in t.rows()]
    return Table(list(t.columns), rows, name="dyad_years", notes=t.notes)


# ---------------------------------------------------------------------------------------------------------------
# network inference


@dataclass(frozen=True)
class Tie:
    """An inferred diffusion tie ``origin -> destination``.

    ``gain`` is the rise in the cascades' log-likelihood when the tie was added (ties come in the order they were
    chosen, so gains fall); ``p_value`` is the one-sided Vuong-type test of that rise (None with fewer than two
    cascades); ``cascades`` are the cascades whose most likely tree, once every tie is chosen, passes through it.
    """

    origin: str
    destination: str
    gain: float
    p_value: float | None
    cascades: tuple[str, ...]


def _read_cascades(cascades) -> dict[str, list[tuple[float, str]]]:
    """Cascade id -> [(time, node)] sorted by time, each node at its earliest time."""
    if isinstance(cascades, Table):
        cascades = cascades.rows
    elif hasattr(cascades, "to_dict") and hasattr(cascades, "columns"):  # a pandas DataFrame
        cascades = cascades.to_dict("records")
    out: dict[str, dict[str, float]] = {}
    for k, row in enumerate(cascades, start=1):
        if isinstance(row, Mapping):
            try:
                node, time, cascade = row["node_name"], row["event_time"], row["cascade_id"]
            except KeyError as exc:
                raise InputError(say("cascade row {k} has no {column!r}", k=k, column=exc.args[0])) from None
        else:
            try:
                node, time, cascade = row
            except (TypeError, ValueError):
                raise InputError(say("cascade row {k} is not (node_name, event_time, cascade_id)", k=k)) from None
        try:
            time = float(time)
        except (TypeError, ValueError):
            raise InputError(say("cascade row {k}: event_time {time!r} is not a number", k=k, time=time)) from None
        if not math.isfinite(time):
            raise InputError(say("cascade row {k}: event_time {time!r} is not finite", k=k, time=time))
        nodes = out.setdefault(str(cascade), {})
        node = str(node)
        nodes[node] = min(time, nodes.get(node, time))
    return {c: sorted((t, n) for n, t in nodes.items()) for c, nodes in sorted(out.items())}


def candidate_pairs(cascades: dict[str, list[tuple[float, str]]]) -> int:
    """How many (earlier node, later node) pairs the cascades hold: the candidates :func:`infer_network` weighs.

    >>> candidate_pairs({"x": [(0.0, "a"), (1.0, "b"), (1.0, "c"), (2.0, "d")]})  # b, c after a; d after a, b, c
    5
    """
    import bisect

    total = 0
    for events in cascades.values():
        times = [t for t, _ in events]
        total += sum(bisect.bisect_left(times, t) for t in times)
    return total


def _log_density(model: str, rate: float, alpha: float, delta: float):
    if model == "exponential":
        log_rate = math.log(rate)
        return lambda dt: log_rate - rate * dt
    if model == "power-law":
        const = math.log((alpha - 1) / delta)
        return lambda dt: const - alpha * math.log(max(dt, delta) / delta)
    raise RequestError(unknown("transmission model", model, TRANSMISSION_MODELS))


def _default_scale(cascades: dict[str, list[tuple[float, str]]]) -> tuple[float, float]:
    """The mean and the smallest positive gap between consecutive events of a cascade (1.0 when there is none)."""
    gaps = [b[0] - a[0] for events in cascades.values() for a, b in zip(events, events[1:], strict=False)]
    gaps = [g for g in gaps if g > 0]
    if not gaps:
        return 1.0, 1.0
    return sum(gaps) / len(gaps), min(gaps)


def _vuong_p(gains: dict[int, float], n: int) -> float | None:
    """One-sided p-value of a likelihood rise spread over ``n`` cascades (``gains``: cascade -> rise).

    The statistic is the one NetworkInference reports: with ``d_c`` the rise in cascade ``c`` less ``1/n``,
    ``z = Σ d_c / (sd(d) √n)`` and ``p = 1 - Φ(z)``.

    >>> round(_vuong_p({0: 5.0, 1: 5.0, 2: 5.0, 3: 5.0}, 8), 4)
    0.006
    """
    if n < 2:
        return None
    # the cascades without a rise all hold -1/n: sums in closed form, in the number of cascades with one
    base = -1.0 / n
    values = [g + base for g in gains.values()]
    rest = n - len(values)
    total = sum(values) + rest * base
    mean = total / n
    squares = sum((v - mean) ** 2 for v in values) + rest * (base - mean) ** 2
    sd = math.sqrt(max(squares, 0.0) / (n - 1))
    if sd == 0:
        return 0.0 if total > 0 else 1.0
    z = total / (sd * math.sqrt(n))
    return 0.5 * math.erfc(z / math.sqrt(2))


def infer_network(
    cascades,
    *,
    model: str = "exponential",
    edges: int | None = None,
    p_value: float | None = None,
    rate: float | None = None,
    alpha: float = 2.0,
    delta: float | None = None,
    beta: float = 0.5,
    epsilon: float = 1e-9,
) -> list[Tie]:
    """Infer diffusion ties from cascades with NetInf (Gomez-Rodriguez, Leskovec and Krause, KDD 2010).

    Each cascade is a set of (node, time). Given a network, a cascade's likelihood is that of its most likely
    time-respecting tree: each node but the first takes the earlier node ``u`` that maximises
    ``w(t_v - t_u)`` times ``beta`` (the edge is in the network) or ``epsilon`` (it is not). Ties are added one
    at a time, each the one with the largest gain in total log-likelihood; as the objective is submodular, stale
    gains are upper bounds and a priority queue re-evaluates only the best candidates (lazy evaluation).

    Parameters
    ----------
    cascades
        Rows ``(node_name, event_time, cascade_id)``: tuples, mappings with those keys, a :class:`Table` (as
        :func:`cascades_table` returns) or a pandas DataFrame.
    model : {"exponential", "power-law"}
        The transmission density ``w``: ``rate · e^(-rate·dt)``, or ``(alpha-1)/delta · (dt/delta)^(-alpha)``
        (``dt`` below ``delta`` counts as ``delta``).
    edges : int, optional
        Stop after this many ties.
    p_value : float, optional
        Stop before the first tie whose p-value is above this; the default when ``edges`` is not given is 0.05.
    rate : float, optional
        Of the exponential model; default: one over the mean gap between consecutive events of a cascade.
    alpha, delta : float
        Of the power law; ``delta`` defaults to the smallest positive gap between consecutive events.
    beta, epsilon : float
        The weights of a tie in the network and of any other earlier node.

    Returns
    -------
    list of Tie
        In the order chosen (largest gain first).

    Raises
    ------
    RequestError
        An unknown model, or parameters out of range.
    InputError
        A cascade row that cannot be read, or more than :data:`DIFFUSION_MAX_PAIRS` candidate pairs
        (:func:`candidate_pairs`).

    Examples
    --------
    >>> rows = [("a", 0, "x"), ("b", 1, "x"), ("a", 0, "y"), ("b", 1.5, "y"), ("c", 9, "y")]
    >>> [(t.origin, t.destination) for t in infer_network(rows, edges=1)]
    [('a', 'b')]
    """
    if edges is not None and edges < 1:
        raise RequestError(say("edges must be at least 1, not {value}", value=edges))
    if p_value is not None and not 0 < p_value <= 1:
        raise RequestError(say("the p-value cut-off must be in (0, 1], not {value}", value=p_value))
    if edges is None and p_value is None:
        p_value = 0.05
    for name, value in (("rate", rate), ("delta", delta), ("beta", beta), ("epsilon", epsilon)):
        if value is not None and not value > 0:
            raise RequestError(say("{name} must be positive, not {value}", name=name, value=value))
    if not alpha > 1:
        raise RequestError(say("alpha must be above 1, not {value}", value=alpha))
    data = _read_cascades(cascades)
    pairs = candidate_pairs(data)
    if pairs > DIFFUSION_MAX_PAIRS:
        raise InputError(
            say(
                "diffusion refused: the cascades hold {pairs:,} candidate pairs (a city after an earlier city of "
                "the same initiative), above the limit of {most:,} (PRACTICE_GRAPH_DIFFUSION_MAX_PAIRS): about "
                "{gb:,.0f} GB of memory and {minutes:,.0f} minutes; export cascades and infer ties from a part of them "
                "(a province, a few initiatives)",
                pairs=pairs,
                most=DIFFUSION_MAX_PAIRS,
                gb=pairs * 250e-9,
                minutes=pairs * 5e-6 / 60,
            )
        )
    mean_gap, min_gap = _default_scale(data)
    log_w = _log_density(model, rate if rate is not None else 1.0 / mean_gap, alpha, delta or min_gap)
    log_beta, log_eps = math.log(beta), math.log(epsilon)
    ids = list(data)
    n = len(ids)

    # best[c][v]: the log-score of node v's parent in cascade c; candidates[(u, v)]: [(c, log w(t_v - t_u))]
    best: list[dict[str, float]] = []
    candidates: dict[tuple[str, str], list[tuple[int, float]]] = {}
    densities: dict[float, float] = {}  # log w of each gap met (dates repeat: so do gaps)
    for c, cid in enumerate(ids):
        events = data[cid]
        scores: dict[str, float] = {}
        for k, (tv, v) in enumerate(events):
            top = -math.inf
            for tu, u in events[:k]:
                if tu >= tv:
                    break
                gap = tv - tu
                lw = densities.get(gap)
                if lw is None:
                    lw = densities[gap] = log_w(gap)
                found = candidates.get((u, v))
                if found is None:
                    candidates[(u, v)] = [(c, lw)]
                else:
                    found.append((c, lw))
                score = log_eps + lw
                if score > top:
                    top = score
            if top > -math.inf:
                scores[v] = top
        best.append(scores)

    def gain_of(edge) -> tuple[float, dict[int, float]]:
        v = edge[1]
        per: dict[int, float] = {}
        for c, lw in candidates[edge]:
            rise = log_beta + lw - best[c][v]
            if rise > 0:
                per[c] = rise
        return sum(per.values()), per

    def first_gain(edge) -> float:  # gain_of(edge)[0], without the dict: the same sum, in the same order
        v = edge[1]
        total = 0
        for c, lw in candidates[edge]:
            rise = log_beta + lw - best[c][v]
            if rise > 0:
                total += rise
        return total

    heap = [(-first_gain(e), e) for e in sorted(candidates)]
    heapq.heapify(heap)
    chosen: list[tuple[tuple[str, str], float, float | None]] = []
    in_network: set[tuple[str, str]] = set()
    while heap and (edges is None or len(chosen) < edges):
        _, edge = heapq.heappop(heap)
        gain, per = gain_of(edge)
        if heap and gain < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-gain, edge))
            continue
        if gain <= 0:
            break
        p = _vuong_p(per, n)
        if p_value is not None and (p is None or p > p_value):
            break
        for c, rise in per.items():
            best[c][edge[1]] += rise
        in_network.add(edge)
        chosen.append((edge, gain, p))

    support: dict[tuple[str, str], list[str]] = {e: [] for e in in_network}
    for cid in ids:
        events = data[cid]
        for k, (tv, v) in enumerate(events):
            top, parent = -math.inf, None
            for tu, u in events[:k]:
                if tu >= tv:
                    break
                score = (log_beta if (u, v) in in_network else log_eps) + log_w(tv - tu)
                if score > top:
                    top, parent = score, u
            if parent is not None and (parent, v) in in_network:
                support[(parent, v)].append(cid)
    return [Tie(e[0], e[1], g, p, tuple(support[e])) for e, g, p in chosen]


def tie_scores(inferred: Iterable[Tie], true_edges: Iterable[tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of inferred ties against a known network.

    >>> tie_scores([Tie("a", "b", 1.0, None, ())], [("a", "b"), ("b", "c")])
    (1.0, 0.5)
    """
    found = {(t.origin, t.destination) for t in inferred}
    truth = set(true_edges)
    hits = len(found & truth)
    return (hits / len(found) if found else 0.0), (hits / len(truth) if truth else 0.0)


def simulate_cascades(
    network: Iterable[tuple[str, str]],
    nodes: Iterable[str] | None = None,
    cascades: int = 200,
    *,
    rate: float = 1.0,
    probability: float = 1.0,
    window: float = 5.0,
    seed: int = 0,
) -> list[tuple[str, float, str]]:
    """Cascades over a known directed network, as rows ``(node_name, event_time, cascade_id)``.

    Each cascade starts at a node drawn at random at time 0; an infected node ``u`` passes it along each tie
    ``u -> v`` with ``probability``, after an exponential delay of ``rate``; ``v`` takes the earliest arrival;
    nothing happens after ``window``. Cascades of one node are kept (they tell nothing, as in NetworkInference).

    >>> rows = simulate_cascades([("a", "b"), ("b", "c")], cascades=2, seed=1)
    >>> sorted({r[2] for r in rows}), all(r[1] >= 0 for r in rows)
    (['c0', 'c1'], True)
    """
    import random

    rng = random.Random(seed)
    out_edges: dict[str, list[str]] = {}
    names: set[str] = set(nodes or ())
    for u, v in network:
        out_edges.setdefault(u, []).append(v)
        names.update((u, v))
    order = sorted(names)
    if not order:
        raise RequestError(say("a network to simulate on needs at least one node"))
    rows: list[tuple[str, float, str]] = []
    for k in range(cascades):
        root = rng.choice(order)
        times = {root: 0.0}
        queue = [(0.0, root)]
        done: set[str] = set()
        while queue:
            t, u = heapq.heappop(queue)
            if u in done:
                continue
            done.add(u)
            for v in out_edges.get(u, ()):
                if rng.random() >= probability:
                    continue
                tv = t + rng.expovariate(rate)
                if tv <= window and tv < times.get(v, math.inf):
                    times[v] = tv
                    heapq.heappush(queue, (tv, v))
        rows.extend((node, round(time, 9), f"c{k}") for node, time in sorted(times.items(), key=lambda x: x[1]))
    return rows


def diffusion(
    model: Model,
    *,
    transmission: str = "exponential",
    edges: int | None = None,
    p_value: float | None = None,
    unit: str = "years",
) -> Table:
    """The ``diffusion`` command: inferred ties between cities, each with the initiatives (cascades) whose most
    likely tree passes through it and both cities' first report dates.

    Examples
    --------
    >>> from graph import open_model
    >>> t = diffusion(open_model(HISTORY), edges=2)
    >>> [(r["origin"], r["destination"]) for r in t.rows]
    [('甲山市', '乙水市'), ('乙水市', '丁原市')]
    """
    h = history(model)
    table = cascades_table(model, unit)
    ties = infer_network(table, model=transmission, edges=edges, p_value=p_value) if h.dated else []
    rows = []
    for t in ties:
        support = []
        for x in t.cascades:
            a, b = h.adoptions[(t.origin, x)], h.adoptions[(t.destination, x)]
            support.append(f"{model.name(x)} ({a.date} → {b.date})")
        rows.append(
            {
                "origin": model.name(t.origin),
                "origin_id": t.origin,
                "destination": model.name(t.destination),
                "destination_id": t.destination,
                "gain": round(t.gain, 4),
                "p_value": None if t.p_value is None else float(f"{t.p_value:.4g}"),
                "cascades": support,
                "cascade_ids": list(t.cascades),
            }
        )
    notes = _window_notes(h)
    if not h.dated:
        notes.insert(0, say("No tie can be inferred: every dated report falls on one date, so nothing tells an order."))
    elif not rows:
        notes.insert(0, say("No tie passes the cut-off."))
    notes.append(
        say(
            "A tie says the order of reports fits 'origin before destination' across initiatives; it is not proof "
            "that one city learned from the other."
        )
    )
    return Table(
        ["origin", "origin_id", "destination", "destination_id", "gain", "p_value", "cascades", "cascade_ids"],
        rows,
        title=say(
            "inferred diffusion ties (NetInf, {model}; report dates; {window})",
            model=say("exponential") if transmission == "exponential" else say("power-law"),
            window=_window_title(h),
        ),
        name="ties",
        notes=notes,
        display=["origin", "destination", "gain", "p_value", "cascades"],
    )
