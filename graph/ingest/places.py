"""Places in article text: what looks like a place name, and which city of the dataset a place is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ..dataset import Dataset
from ..names import normalize, strip_suffix
from ..textutil import fold

__all__ = ["known_places"]


_CJK_RE = re.compile(r"^[\u3400-\u9fff]+$")

_PLACE_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "地区",
    "新区",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
)


_NOT_PLACE_ENDINGS = (
    "社区", "小区", "园区", "景区", "辖区", "城区", "片区", "街区", "山区", "库区", "灾区", "矿区", "校区", "专区",
    "战区", "示范区", "功能区", "居住区", "安置区", "服务区", "保护区", "责任区", "管理区", "试验区", "全州",
)  # fmt: skip


_NOT_PLACE_STARTS = ("本", "我", "全", "该", "各", "此", "每", "城", "市", "县", "区", "乡")


def _is_place(name: str, known: frozenset[str]) -> bool:
    name = fold(name).strip()
    if normalize(name) in known or normalize(strip_suffix(name)) in known:
        return True
    if not 2 <= len(name) <= 15 or not _CJK_RE.match(name) or name.startswith(_NOT_PLACE_STARTS):
        return False
    if name.endswith(_NOT_PLACE_ENDINGS):
        return False
    return any(name.endswith(s) and len(name) > len(s) for s in _PLACE_SUFFIXES)


def known_places(dataset: Dataset) -> list[str]:
    names = []
    for e in dataset.entities.values():
        if e.type == "city":
            names += [e.name, strip_suffix(e.name), *e.aliases]
    return [n for n in names if not n.isascii()]


def _city_keys(dataset: Dataset) -> dict[str, list[tuple[str, str]]]:
    """normalised name -> [(city id, how)] where how is 'name' or 'alias'."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for e in dataset.entities.values():
        if e.type != "city":
            continue
        for name, how in [(e.name, "name"), (strip_suffix(e.name), "name")] + [(a, "alias") for a in e.aliases]:
            for key in {normalize(fold(name)), normalize(strip_suffix(fold(name)))}:
                if key and (e.id, how) not in keys.get(key, []):
                    keys.setdefault(key, []).append((e.id, how))
    return keys


def _match_place(dataset: Dataset, keys, place: str, parent: str) -> tuple[str, str, float, str]:
    """(city id, status, confidence, note) for a section's place."""
    folded = fold(place)
    hits = keys.get(normalize(folded)) or keys.get(normalize(strip_suffix(folded))) or []
    cities = sorted({cid for cid, _ in hits})
    if len(cities) == 1:
        cid = cities[0]
        city = dataset.entities[cid]
        if all(how == "alias" for c, how in hits if c == cid) and strip_suffix(folded) != strip_suffix(city.name):
            return cid, "matches-existing", 0.9, f"{place} is listed under {city.name} (alias): a sub-unit of it"
        return cid, "matches-existing", 1.0, f"{place} is {city.name}"
    if len(cities) > 1:
        listed = ", ".join(dataset.entities[c].name for c in cities)
        return "", "uncertain", 0.3, f"{place} is ambiguous ({listed}): choose the city"
    if parent:
        pcities = sorted({cid for cid, _ in keys.get(normalize(fold(parent)), [])})
        if len(pcities) == 1:
            cid = pcities[0]
            return cid, "matches-existing", 0.85, f"{place}: heading names {parent} first; a sub-unit of it"
    return "", "new", 0.8, f"{place} is not in the dataset: a new place (fill in name_en, level, lat, lon)"


def _level_of(place: str) -> str:
    for suffix, level in (
        ("林区", "林区"),
        ("自治州", "自治州"),
        ("地区", "地区"),
        ("盟", "盟"),
        ("县", "县"),
        ("区", "区"),
    ):
        if place.endswith(suffix):
            return level
    return ""


# ---------------------------------------------------------------------------------------------------------------
# places beyond the dataset: the gazetteer


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def _gazetteer_names() -> frozenset[str]:
    """The full and former names (3+ characters) of the gazetteer's prefecture- and county-level units."""
    from .. import gazetteer as gz

    names = set()
    for p in gz.places().values():
        if not p.is_province:
            names |= {n for n in (p.name, *p.former) if len(n) >= 3}
    return frozenset(names)


class PlaceIndex:
    """The places a text can name, found in one pass: given names and every unit of :mod:`graph.gazetteer`.

    Parameters
    ----------
    names : iterable of str
        Names to find besides the gazetteer's (the dataset's cities, with their short names and aliases).
    gazetteer : bool
        Also find the gazetteer's units by their full and former names (利津县, 荆州区, 襄樊市; short names such as
        利津 are too often parts of other words).
    """

    def __init__(self, names: Iterable[str] = (), gazetteer: bool = True):
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        every = set(names) | (_gazetteer_names() if gazetteer else set())
        for name in every:
            name = fold(name).strip()
            if len(name) >= 2 and _CJK_RE.match(name) and not name.endswith(_NOT_PLACE_ENDINGS):
                self._automaton.add_word(name, name)
        self._empty = not len(self._automaton)
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, str]]:
        """The places named in ``text``, leftmost-longest, as (offset, name).

        >>> PlaceIndex().find("7月1日,利津县在植物园社区召开荆州区推进会")
        [(5, '利津县'), (16, '荆州区')]
        """
        if self._empty:
            return []
        text = fold(text)
        spans = sorted(
            ((end - len(name) + 1, end + 1, name) for end, name in self._automaton.iter(text)),
            key=lambda s: (s[0], -(s[1] - s[0])),
        )
        found, reach = [], 0
        for start, end, name in spans:
            if start >= reach:
                found.append((start, name))
                reach = end
        return found


def resolve(dataset: Dataset, keys, place: str, context: str = ""):
    """What a place name is: an existing city id, a :class:`graph.gazetteer.Place`, or the candidates.

    Returns ``(city id, None, [])`` for a city of the dataset, ``("", place, [])`` for one unit of the gazetteer,
    ``("", None, candidates)`` for an ambiguous name (two 新华区), ``("", None, [])`` for an unknown one.
    """
    folded = fold(place)
    hits = keys.get(normalize(folded)) or keys.get(normalize(strip_suffix(folded))) or []
    cities = sorted({cid for cid, _ in hits})
    if len(cities) == 1:
        return cities[0], None, []
    from .. import gazetteer as gz

    found = gz.resolve(folded, context)
    if isinstance(found, list):
        return "", None, found
    for name in found.names:
        cities = sorted({cid for cid, _ in keys.get(normalize(name), [])})
        if len(cities) == 1:
            return cities[0], None, []
    return "", found, []


def _existing(dataset: Dataset, keys, unit) -> str:
    """The id of the dataset's entity for a gazetteer unit (a city by any of its names, a province by name)."""
    if unit.is_province:
        return next(
            (e.id for e in dataset.entities.values() if e.type == "province" and unit.name in (e.name, *e.aliases)), ""
        )
    for name in unit.names:
        cities = sorted({cid for cid, _ in keys.get(normalize(name), [])})
        if len(cities) == 1:
            return cities[0]
    return ""


def place_rows(dataset: Dataset, keys, unit, taken) -> tuple[str, list[dict], list[tuple[str, str, str]]]:
    """The rows a new place of the gazetteer brings: itself, its prefecture and province when they are new too.

    Returns ``(city id, entity rows, located_in pairs as (source, target, note))``. Each new city has its name,
    pinyin-derived id, English name, short and former names as aliases, level and WGS-84 coordinates from the
    gazetteer; it is ``located_in`` its province and, for a county or district, its prefecture.
    """
    from .. import gazetteer as gz
    from .candidates import _entity_row

    rows: list[dict] = []
    links: list[tuple[str, str, str]] = []

    def entity_for(u) -> str:
        eid = _existing(dataset, keys, u)
        if eid:
            return eid
        type_ = "province" if u.is_province else "city"
        eid = f"{type_}:{_slug(u.name_en) or u.adcode}"
        n = 1
        while taken(eid, u.name):
            n += 1
            eid = f"{type_}:{_slug(u.name_en) or u.adcode}-{n}"
        where = "".join(a.name for a in reversed(gz.ancestors(u)))
        aliases = "|".join(dict.fromkeys(n for n in (u.short, *u.former) if n and n != u.name))
        extra = {"name_en": u.name_en, "aliases": aliases, "description": f"{where}{u.name} (行政区划代码 {u.adcode})"}
        if type_ == "city":
            extra.update(level=u.level, lat=f"{u.lat:.4f}" if u.lat is not None else "")
            extra.update(lon=f"{u.lon:.4f}" if u.lon is not None else "")
        note = f"{u.name}: from the gazetteer ({u.adcode}, {u.level})"
        rows.append(_entity_row(eid, type_, u.name, "new", 0.9, note, **extra))
        if type_ == "city":
            province = gz.province(u)
            links.append((eid, entity_for(province), f"{u.name} is in {province.name}"))
            above = gz.parent(u)
            if above is not None and not above.is_province:
                links.append((eid, entity_for(above), f"{u.name} is in {above.name}"))
        return eid

    return entity_for(unit), rows, links
