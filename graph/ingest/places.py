"""Places in article text: what looks like a place name, and which city of the dataset a place is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from ..dataset import Dataset
from ..names import normalize, strip_suffix
from ..schema import CITY_LEVELS
from ..textutil import PLACE_SUFFIXES, fold
from .candidates import entity_row, relation_row

__all__ = ["known_places", "gazetteer_place", "place_id", "place_rows", "PlaceIndex"]


CJK_RE = re.compile(r"^[\u3400-\u9fff]+$")

#: A section is about a city, county or district: every place suffix but a province's.
_PLACE_SUFFIXES = tuple(s for s in PLACE_SUFFIXES if s != "省")


_NOT_PLACE_ENDINGS = (
    "社区", "小区", "园区", "景区", "辖区", "城区", "片区", "街区", "山区", "库区", "灾区", "矿区", "校区", "专区",
    "战区", "示范区", "功能区", "居住区", "安置区", "服务区", "保护区", "责任区", "管理区", "试验区", "全州",
)  # fmt: skip


_NOT_PLACE_STARTS = ("本", "我", "全", "该", "各", "此", "每", "城", "市", "县", "区", "乡")


def is_place_name(name: str, known: frozenset[str]) -> bool:
    name = fold(name).strip()
    if normalize(name) in known or normalize(strip_suffix(name)) in known:
        return True
    if not 2 <= len(name) <= 15 or not CJK_RE.match(name) or name.startswith(_NOT_PLACE_STARTS):
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


def city_keys(dataset: Dataset) -> dict[str, list[tuple[str, str]]]:
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


def match_place(dataset: Dataset, keys, place: str, parent: str) -> tuple[str, str, float, str]:
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


def level_of(place: str) -> str:
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
# a new place, from the gazetteer


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _coord(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _aliases(p, written: str) -> str:
    """The other names of a gazetteer place (short, former, and the name as the text wrote it), ``|``-separated."""
    names = [written, *p.names[1:]] if written != p.name else list(p.names[1:])
    return "|".join(dict.fromkeys(n for n in names if n and n != p.name))


def existing_entity(dataset: Dataset, keys, p, type_: str) -> str:
    """The id of the dataset's entity of this type that is the gazetteer place ``p`` (by name), or ''."""
    if type_ == "city":
        for name in p.names:
            hits = sorted({cid for cid, how in keys.get(normalize(name), []) if how == "name"})
            if len(hits) == 1:
                return hits[0]
        return ""
    for e in dataset.entities.values():
        if e.type == type_ and (e.name == p.name or (p.short and strip_suffix(e.name) == p.short)):
            return e.id
    return ""


def gazetteer_place(place: str, context: str = ""):
    """The gazetteer's unit for a place an article names, and the candidates when the name is ambiguous.

    Returns ``(place, [])`` when :func:`graph.gazetteer.resolve` finds one unit, ``(None, candidates)`` when the
    name is shared and the context does not decide (an empty list for a name the gazetteer does not know).

    >>> gazetteer_place("利津县")[0].adcode
    '370522'
    >>> [p.adcode for p in gazetteer_place("新华区", "河北省")[1]]
    ['130105', '130902']
    """
    from .. import gazetteer

    found = gazetteer.resolve(fold(place).strip(), context=context)
    return (found, []) if isinstance(found, gazetteer.Place) else (None, found)


def _free(base: str, name: str, taken) -> str:
    eid, n = base, 1
    while taken(eid, name):
        n += 1
        eid = f"{base}-{n}"
    return eid


def place_id(found, default: str, taken) -> str:
    """The id of a new city from the gazetteer: ``default``, unless its prefecture has the same short name (荆州区 in
    荆州市): then its English name (``city:jingzhou-district``), so that ``city:jingzhou`` stays the prefecture's."""
    from .. import gazetteer

    prefecture = gazetteer.prefecture(found)
    if prefecture is not None and prefecture.short and prefecture.short == found.short:
        return _free(f"city:{_slug(found.name_en)}", found.name, taken)
    return default


def place_rows(dataset: Dataset, keys, found, cid: str, written: str, taken) -> tuple[dict, list[dict], list[dict]]:
    """The facts of a new city from the gazetteer, and the rows it brings along.

    Parameters
    ----------
    dataset, keys
        The dataset and its city keys (:func:`city_keys`), to reuse a province or prefecture it already has.
    found : graph.gazetteer.Place
        The new place.
    cid : str
        The new city's id.
    written : str
        The place as the article wrote it (kept as an alias when it is not the official name).
    taken : callable
        ``taken(id, name)`` says an id is in use by something else.

    Returns
    -------
    tuple
        The new city's fields (name, name_en, aliases, level, lat, lon, description), the entity rows of the
        province and the parent prefecture when the dataset lacks them, and the ``located_in`` relation rows:
        the city in its province and in its prefecture (the prefecture in its province too).
    """
    from .. import gazetteer

    entities: list[dict] = []
    relations: list[dict] = []
    how = f"gazetteer, adcode {found.adcode}"
    taken_by_city = taken

    def taken(eid: str, name: str) -> bool:  # the new city's own id is not in the rows yet
        return eid == cid or taken_by_city(eid, name)

    province = gazetteer.province(found)
    pid = existing_entity(dataset, keys, province, "province")
    if not pid:
        pid = _free(f"province:{_slug(province.name_en)}", province.name, taken)
        entities.append(
            entity_row(
                pid, "province", province.name, "new", 0.95, f"the province of {found.name} ({how})",
                name_en=province.name_en, aliases="|".join(n for n in (province.short, province.name_en) if n),
            )
        )  # fmt: skip

    def located(source: str, target: str, note: str) -> None:
        relations.append(relation_row(source, "located_in", target, "", "", "new", 0.95, note))

    prefecture = gazetteer.prefecture(found)
    if prefecture is not None:
        fid = existing_entity(dataset, keys, prefecture, "city")
        if not fid:
            fid = _free(f"city:{_slug(prefecture.name_en)}", prefecture.name, taken)
            entities.append(
                entity_row(
                    fid, "city", prefecture.name, "new", 0.9,
                    f"the prefecture of {found.name} ({gazetteer.province(prefecture).name}; gazetteer, adcode "
                    f"{prefecture.adcode})",
                    name_en=prefecture.name_en, aliases=_aliases(prefecture, prefecture.name), level=prefecture.level,
                    lat=_coord(prefecture.lat), lon=_coord(prefecture.lon), description="新增地方(待审核)",
                )
            )  # fmt: skip
            located(fid, pid, f"{prefecture.name} is in {province.name} ({gazetteer.province(prefecture).adcode})")
        located(cid, fid, f"{found.name} is in {prefecture.name} ({how})")
    located(cid, pid, f"{found.name} is in {province.name} ({how})")
    level = found.level if not found.is_province else "直辖市"
    where = "、".join([a.name for a in reversed(gazetteer.ancestors(found))] + [found.name])
    fields = {
        "name": found.name,
        "name_en": found.name_en,
        "aliases": _aliases(found, written),
        "level": level if level in CITY_LEVELS else "",
        "lat": _coord(found.lat),
        "lon": _coord(found.lon),
        "description": f"新增地方(待审核):{where}",
    }
    return fields, entities, relations


# ---------------------------------------------------------------------------------------------------------------
# places named in running text


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

        self.name_automaton = ahocorasick.Automaton()
        every = set(names) | (_gazetteer_names() if gazetteer else set())
        for name in every:
            name = fold(name).strip()
            if len(name) >= 2 and CJK_RE.match(name) and not name.endswith(_NOT_PLACE_ENDINGS):
                self.name_automaton.add_word(name, name)
        self._empty = not len(self.name_automaton)
        if not self._empty:
            self.name_automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, str]]:
        """The places named in ``text``, leftmost-longest, as (offset, name).

        >>> PlaceIndex().find("7月1日,利津县在植物园社区召开荆州区推进会")
        [(5, '利津县'), (16, '荆州区')]
        """
        if self._empty:
            return []
        text = fold(text)
        spans = sorted(
            ((end - len(name) + 1, end + 1, name) for end, name in self.name_automaton.iter(text)),
            key=lambda s: (s[0], -(s[1] - s[0])),
        )
        found, reach = [], 0
        for start, end, name in spans:
            if start >= reach:
                found.append((start, name))
                reach = end
        return found
