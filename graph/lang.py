"""The words of the answers' table view: Chinese by default, English on request.

A graph module writes a title, a note or a word meant for people once, in English, with its values named::

    title=say("cities most like {city} by {metric}", city="潜江市", metric="idf-cosine")

The result *is* that English string (csv, json and every caller see one stable text) and also keeps its template
and values, so that :func:`text` can say it in Chinese from :data:`ZH`, the one place the translations live.
Column ids stay English ids in csv and json in both languages; :func:`header` names them for the table view.

>>> t = say("cities most like {city} by {metric}", city="潜江市", metric="idf-cosine")
>>> t
'cities most like 潜江市 by idf-cosine'
>>> text(t, "zh"), text(t, "en")
('与潜江市最相似的城市（按 idf-cosine）', 'cities most like 潜江市 by idf-cosine')
>>> header("p_value", "zh"), header("p_value", "en")
('显著性 p 值', 'p_value')
"""

from __future__ import annotations

__all__ = ["LANGS", "DEFAULT_LANG", "Text", "say", "listing", "text", "header", "HEADERS", "ZH"]

#: The languages of the table view; the first is the default.
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class Text(str):
    """An English text that can be said in Chinese: its ``template`` (a key of :data:`ZH`) and ``values``.

    ``zh`` gives the Chinese directly where no template fits (a list joined with 、).
    """

    def __new__(cls, template: str, values: dict | None = None, zh: str | None = None):
        values = values or {}
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        self.zh = zh
        return self

    def __reduce__(self):
        return (Text, (self.template, self.values, self.zh))


def say(template: str, /, **values) -> Text:
    """``template`` filled with ``values``: English as a string, Chinese through :func:`text`.

    >>> say("{n} cities", n=3), text(say("{n} cities", n=3), "zh")
    ('3 cities', '3 个城市')
    """
    return Text(template, values)


def listing(items, sep: str = ", ") -> Text:
    """Names side by side: ``sep``-joined in English, joined with 、 in Chinese.

    >>> text(listing(["潜江市", "随州市"]), "zh"), listing(["潜江市", "随州市"])
    ('潜江市、随州市', '潜江市, 随州市')
    """
    items = [str(x) for x in items]
    return Text(sep.join(items), None, zh="、".join(items))


def text(value, lang: str) -> str:
    """``value`` as the table view shows it in ``lang``: a :class:`Text` in that language, anything else as it is.

    A template without a Chinese text stays English (a test checks that every template in ``graph/`` has one).
    """
    if not isinstance(value, Text):
        return value if isinstance(value, str) else str(value)
    if lang != "zh":
        return str.__str__(value)
    if value.zh is not None:
        return value.zh
    template = ZH.get(value.template)
    if template is None:
        return str.__str__(value)
    if not value.values:
        return template
    return template.format(**{k: text(v, lang) if isinstance(v, Text) else v for k, v in value.values.items()})


def header(column: str, lang: str, table: str | None = None) -> str:
    """The header of ``column`` (an English id, as csv and json have it) in the table view of ``lang``.

    ``table`` (a table's name) picks a header that differs by table, such as ``score`` in recommendations.

    >>> header("score", "zh"), header("score", "zh", "recommendations"), header("score", "en")
    ('相似度', '推荐得分', 'score')
    """
    if lang != "zh":
        return column
    return HEADERS_BY_TABLE.get((table, column)) or HEADERS.get(column, column)


#: Column headers in Chinese (the ids stay in csv and json).
HEADERS = {
    "adopted_by": "采用城市",
    "aliases": "别名",
    "betweenness": "中介中心性",
    "cities": "城市",
    "city": "城市",
    "city_a": "城市甲",
    "city_b": "城市乙",
    "community": "群组",
    "confidence": "置信度",
    "contribution": "贡献",
    "count": "数量",
    "critical": "关键联系",
    "critical_link": "关键联系",
    "critical_quote": "关键原文",
    "critical_then": "去掉后最相似",
    "date": "日期",
    "degree": "采用比例",
    "description": "简介",
    "direction": "方向",
    "distance_km": "距离（公里）",
    "document": "来源文献",
    "evidence": "原文依据",
    "explained_by": "共有举措及贡献",
    "field": "字段",
    "file": "文件",
    "id": "标识",
    "initiative": "举措",
    "initiatives": "举措数",
    "kind": "类别",
    "lat": "纬度",
    "lon": "经度",
    "learn_first": "最早报道",
    "learn_from": "借鉴对象",
    "level": "行政级别",
    "links": "联系数",
    "mean_initiatives": "平均举措数",
    "mean_shared": "平均共有举措",
    "name": "名称",
    "name_en": "英文名",
    "note": "说明",
    "only_here": "独有举措",
    "order": "次序",
    "p_value": "显著性 p 值",
    "pairs": "城市对",
    "pairs_of_cities": "城市对",
    "peer": "相似城市",
    "peers": "相似城市",
    "practice": "做法",
    "province": "省份",
    "rank": "排名",
    "relation": "关系",
    "reported_first": "率先报道",
    "rows": "行数",
    "same_province": "同省",
    "score": "相似度",
    "shared": "共有举措",
    "shared_across": "跨省共有",
    "shared_initiatives": "共有举措",
    "shared_within": "省内共有",
    "sharing_any": "有共有举措",
    "size": "规模",
    "source": "来源",
    "stability": "稳定性",
    "status": "状态",
    "support": "保持率",
    "type": "类型",
    "uniqueness": "独特性",
    "value": "内容",
    "what": "项目",
}

#: Headers that differ by table: (table name, column) -> header.
HEADERS_BY_TABLE = {
    ("recommendations", "score"): "推荐得分",
    ("initiatives", "cities"): "城市数",
    ("centrality", "cities"): "城市数",
    ("provinces", "cities"): "城市数",
    ("shared", "adopted_by"): "采用城市数",
    ("dyads", "shared"): "共有举措数",
    ("city_communities", "size"): "城市数",
    ("initiative_communities", "size"): "举措数",
    ("initiative_communities", "initiatives"): "举措",
    ("city_communities", "cities"): "成员城市",
    ("province_pairs", "pairs"): "对数",
}

#: English template -> Chinese, for every title, note and word of the table view.
ZH = {
    # shared
    "{n} cities": "{n} 个城市",
    "{what}: none": "{what}：无",
    "not shown at {width} columns: {columns} (a wider terminal or --format csv shows them)": (
        "{width} 列宽度下未显示：{columns}（加宽终端或用 --format csv 可见）"
    ),
    "cities most like {city} by {metric}": "与{city}最相似的城市（按 {metric}）",
    # validate
    "what the dataset holds": "数据集内容",
    "valid: {entities} entities, {relations} relations, {quotes} quotes found verbatim in {documents} source "
    "document(s)": (
        "校验通过：{entities} 个实体，{relations} 条关系，{quotes} 条引文均在 {documents} 篇来源文献中逐字找到"
    ),
    # entity types and relations, as cells
    "province": "省份",
    "city": "城市",
    "practice": "做法",
    "initiative": "举措",
    "theme": "主题",
    "event": "会议",
    "source": "来源",
    "located_in": "位于",
    "attended": "出席",
    "covers": "报道",
    "reports": "报告做法",
    "part_of": "属于做法",
    "instance_of": "体现举措",
    "belongs_to": "属于主题",
    "relation {relation}": "关系：{relation}",
    "adoptions (city x initiative)": "采用（城市 × 举措）",
    # stats
    "dataset statistics": "数据集统计",
    "counts": "数量",
    "most-shared initiatives": "共有最多的举措",
    "{initiatives} initiatives, {shared} shared by two or more cities, {singles} reported by one city only.": (
        "共 {initiatives} 项举措：{shared} 项由两个及以上城市共有，{singles} 项仅一个城市报告。"
    ),
    "initiatives by {by} (degree: share of cities adopting; betweenness on the city-initiative graph)": (
        "举措按{by}排序（采用比例：采用该举措的城市所占比例；中介中心性：在城市—举措网络中计算）"
    ),
    "degree": "采用比例",
    "betweenness": "中介中心性",
    "communities of cities (Louvain on idf-cosine similarity; shared initiatives: how many members have it)": (
        "城市群组（按 idf-cosine 相似度做 Louvain 社区划分；共有举措后为采用的成员数）"
    ),
    "{alone} cities share no distinctive initiative with any other and stand alone.": (
        "{alone} 个城市与其他城市没有共有的特色举措，自成一组。"
    ),
    "communities of initiatives (Louvain on co-adoption: initiatives the same cities adopt)": (
        "举措群组（按共同采用做 Louvain 社区划分：常由同一批城市采用的举措）"
    ),
    "cities by number of initiatives (uniqueness: share adopted by at most one other city)": (
        "各城市举措数（独特性：至多另有一个城市采用的举措所占比例）"
    ),
    "provinces compared (shared_within: by two or more of its cities; shared_across: with another province)": (
        "分省比较（省内共有：本省两个及以上城市采用；跨省共有：与外省城市共有）"
    ),
    "(no province)": "（无省份）",
    "city pairs within and across provinces (mean_shared: initiatives in common; sharing_any: pairs sharing any)": (
        "省内与跨省城市对（平均共有举措：两市共有的举措数；有共有举措：至少共有一项的城市对数）"
    ),
    "same province": "同省",
    "different provinces": "跨省",
    "province unknown": "省份不明",
    # show
    "relations": "关系与原文依据",
    "initiatives adopted": "采用的举措",
    "adopted by": "采用城市",
    "{name} ({id})": "{name}（{id}）",
    # shared
    "initiatives shared by {cities}": "{cities}的共有举措",
    "{cities} have no initiative in common.": "{cities}没有共有举措。",
}
