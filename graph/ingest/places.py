"""Places in article text: what looks like a place name, and which city of the dataset a place is."""

from __future__ import annotations

import re

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
