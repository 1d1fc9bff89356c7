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

__all__ = ["LANGS", "DEFAULT_LANG", "Text", "say", "listing", "relation_label", "text", "header", "HEADERS", "ZH"]

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


#: relation -> ((English, Chinese) read from its source, (English, Chinese) read from its target):
#: "潜江市 位于 湖北省", "湖北省 包含城市 潜江市".
RELATION_LABELS = {
    "located_in": (("located in", "位于"), ("contains", "包含城市")),
    "attended": (("attended", "出席"), ("attended by", "出席城市")),
    "covers": (("covers", "报道"), ("covered by", "报道来源")),
    "reports": (("reports", "报告做法"), ("reported by", "报告城市")),
    "part_of": (("part of", "属于做法"), ("has the measure", "包含措施")),
    "instance_of": (("instance of", "体现举措"), ("has the case", "实例做法")),
    "belongs_to": (("belongs to", "属于主题"), ("includes", "包含举措")),
}


def relation_label(relation: str, outgoing: bool = True) -> Text:
    """How a relation reads from one of its ends: from its source (``outgoing``) or from its target.

    >>> label = relation_label("part_of", outgoing=False)
    >>> label, text(label, "zh")
    ('has the measure', '包含措施')
    """
    forward, backward = RELATION_LABELS.get(relation, ((relation, relation), (relation, relation)))
    en, zh = forward if outgoing else backward
    return Text(en, None, zh=zh)


def text(value, lang: str) -> str:
    """``value`` as the table view shows it in ``lang``: a :class:`Text` or a yes/no in that language, anything
    else as it is.

    A template without a Chinese text stays English (a test checks that every template in ``graph/`` has one).
    """
    if isinstance(value, bool):  # same_province
        return ("是" if value else "否") if lang == "zh" else str(value)
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
        return HEADERS_EN.get(column, column)
    return HEADERS_BY_TABLE.get((table, column)) or HEADERS.get(column, column)


#: Column headers in Chinese (the ids stay in csv and json).
HEADERS = {
    "added": "新增",
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
    "last_date": "最近报道",
    "lat": "纬度",
    "lon": "经度",
    "learn_first": "最早报道",
    "learn_from": "借鉴对象",
    "level": "行政级别",
    "link": "关系",
    "links": "留出联系数",
    "method": "方法",
    "hit": "命中率",
    "hit_low": "命中率下限",
    "hit_high": "命中率上限",
    "mrr": "MRR",
    "mrr_low": "MRR 下限",
    "mrr_high": "MRR 上限",
    "ndcg": "NDCG",
    "ndcg_low": "NDCG 下限",
    "ndcg_high": "NDCG 上限",
    "rank_ab": "甲中排名",
    "rank_ba": "乙中排名",
    "support_ab": "甲中保持率",
    "support_ba": "乙中保持率",
    "mean_initiatives": "平均举措数",
    "mean_shared": "平均共有举措",
    "name": "名称",
    "name_en": "英文名",
    "note": "说明",
    "only_here": "独有举措",
    "order": "次序",
    "origin": "源头城市",
    "destination": "目标城市",
    "gain": "增益",
    "cascades": "依据举措",
    "quote": "原文",
    "p_value": "显著性 p 值",
    "pairs": "城市对",
    "pairs_of_cities": "城市对",
    "left_out": "未并入",
    "peer": "相似城市",
    "present": "已有",
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

#: Columns shown only in the table view, whose English header is not their id.
HEADERS_EN = {"link": "relation"}

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
    ("evaluation", "peers"): "参照城市数",
}

#: English template -> Chinese, for every title, note and word of the table view.
ZH = {
    # shared
    "{n} cities": "{n} 个城市",
    "{what}: none": "{what}：无",
    "not shown at {width} columns: {columns} (a wider terminal or --format csv shows them)": (
        "{width} 列宽度下未显示：{columns}（加宽终端或用 --format csv 可见）"
    ),
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
    # similar and rank
    "cities most like {city} by {metric}": "与{city}最相似的城市（按 {metric}）",
    "{city} shares nothing with any other city by {metric}: no peers.": (
        "按 {metric}，{city}与其他城市没有任何共有举措，没有相似城市。"
    ),
    "One self-reported snapshot: similarity shows who is alike, not who learned from whom.": (
        "数据为一次性自述材料：相似度说明谁与谁相近，不说明谁向谁学习过。"
    ),
    "Each city's quotes: --format json, or practice-graph shared CITY PEER.": (
        "查看双方原文：--format json，或 practice-graph shared 本市 相似城市。"
    ),
    "text metric: `shared` lists the shared terms of the evidence quotes, not initiatives.": (
        "text 度量：共有举措一栏列出的是两市原文中的共同词语，而非举措。"
    ),
    "simrank is not a sum over shared initiatives: `contribution` apportions its score by rarity.": (
        "simrank 不是各共有举措得分之和：贡献一栏按举措的稀有程度分摊其得分。"
    ),
    "every city's {top} nearest peers by {metric}": "各城市最相似的 {top} 个城市（按 {metric}）",
    "every pair of cities": "全部城市对",
    "every pair of cities, by {metric}": "全部城市对（按 {metric} 排序）",
    # stability
    "stable": "稳定",
    "fragile": "不稳定",
    "no single link": "无单一关键联系",
    "stability: share of 200 resamples, each leaving out a tenth of the links at random, in which the answer "
    "holds (stable from {stable:.0%}); critical: the one link whose removal changes the nearest peer.": (
        "稳定性：200 次重抽样（每次随机去掉十分之一的联系）中结论不变的比例，达到 {stable:.0%} 为稳定；"
        "关键联系：去掉后最相似城市随之改变的那一条联系。"
    ),
    "stability: share of 200 resamples, each leaving out a tenth of the links at random, in which the "
    "initiative stays at its rank or better (stable from {stable:.0%}).": (
        "稳定性：200 次重抽样（每次随机去掉十分之一的联系）中该举措排名不降的比例，达到 {stable:.0%} 为稳定。"
    ),
    "rank_ab, support_ab: b's rank among a's peers by {metric}, and the share of 200 resamples (a tenth of "
    "the links left out) in which b stays that near; stability: stable when both reach {stable:.0%}.": (
        "rank_ab、support_ab：按 {metric}，乙在甲的相似城市中的排名，以及 200 次重抽样（每次去掉十分之一的联系）"
        "中乙仍排在该位次以内的比例；稳定性：双方均达到 {stable:.0%} 为稳定。"
    ),
    "stability not computed: {nnz:,} links exceed {most:,} (PRACTICE_GRAPH_STABILITY_MAX_LINKS); "
    "each figure rescoring the matrix {replicates} times would take too long here": (
        "未计算稳定性：{nnz:,} 条联系超过上限 {most:,}（PRACTICE_GRAPH_STABILITY_MAX_LINKS），"
        "每个数字都要把矩阵重算 {replicates} 次，耗时过长"
    ),
    # recommend and evaluate
    "what {city} could learn from its {peers} nearest peers by {metric}": (
        "{city}可借鉴的举措（参照最相似的 {peers} 个城市，按 {metric}）"
    ),
    "peers by {metric}: {peers}": "参照的相似城市（按 {metric}）：{peers}",
    "none": "无",
    "One self-reported snapshot: this shows who could learn what, not who learned from whom.": (
        "数据为一次性自述材料：说明谁可以借鉴什么，不说明谁向谁学习过。"
    ),
    "{city}: no initiative its nearest peers have that it lacks.": "{city}：最相似的城市采用的举措，本市都已报告。",
    "leave-one-out evaluation: hit@{k}, MRR, NDCG@{k} with bootstrap 95% intervals": (
        "留一法检验：hit@{k}、MRR、NDCG@{k}，附自助法 95% 置信区间"
    ),
    "{metric} beats popularity on MRR: difference {diff:+.3f} (95% interval {low:+.3f} to {high:+.3f}).": (
        "{metric} 的 MRR 优于按热门程度推荐：差值 {diff:+.3f}（95% 区间 {low:+.3f} 至 {high:+.3f}）。"
    ),
    "{metric} loses to popularity on MRR: difference {diff:+.3f} (95% interval {low:+.3f} to {high:+.3f}).": (
        "{metric} 的 MRR 不如按热门程度推荐：差值 {diff:+.3f}（95% 区间 {low:+.3f} 至 {high:+.3f}）。"
    ),
    "{metric} is not distinguishable from popularity on MRR: difference {diff:+.3f} "
    "(95% interval {low:+.3f} to {high:+.3f}).": (
        "{metric} 的 MRR 与按热门程度推荐无显著差别：差值 {diff:+.3f}（95% 区间 {low:+.3f} 至 {high:+.3f}）。"
    ),
    "{links} links held out one at a time (initiatives with at least two other cities); "
    "hit@{k} and NDCG@{k} for k = {k}.": (
        "逐一留出 {links} 条联系（仅限另有至少两个城市采用的举措）；hit@{k} 与 NDCG@{k} 取 k = {k}。"
    ),
    # timeline and diffusion
    "Dates are report dates (the earliest dated source that reports it), not adoption dates: "
    "a city may have adopted a practice before any article said so.": (
        "日期为报道日期（最早报道该做法的有日期来源），不是采用日期：一个城市可能在见报之前就已采用。"
    ),
    "Observation window: first dated source {first}, last {last} ({sources} dated sources; {undated} undated)": (
        "观察期：最早有日期的来源 {first}，最晚 {last}（{sources} 篇有日期来源；{undated} 篇无日期）"
    ),
    "Observation window: first dated source {first}, last {last} ({sources} dated sources)": (
        "观察期：最早有日期的来源 {first}，最晚 {last}（{sources} 篇有日期来源）"
    ),
    "Observation window: first dated source {first}, last {last} (1 dated source)": (
        "观察期：最早有日期的来源 {first}，最晚 {last}（1 篇有日期来源）"
    ),
    "Observation window: no dated source": "观察期：没有有日期的来源",
    "{n} adoption(s) have no dated source and are left out of the order.": "{n} 项采用没有有日期的来源，不参与排序。",
    "window {first} – {last}": "观察期 {first} – {last}",
    "no dated source": "无有日期的来源",
    "who reported {name} when": "{name}：各城市报道时间",
    "what {name} reported when": "{name}：各项举措报道时间",
    "who reported each initiative when": "各项举措的报道时间",
    "Reported without a dated source (left out): {names}.": "来源无日期（未列入）：{names}。",
    "No dated report of {name}.": "{name}没有有日期的报道。",
    "No dated report.": "没有有日期的报道。",
    "{title} (report dates; {window})": "{title}（报道日期；{window}）",
    "{city} {a} · {peer} {b} · same date {same}": "{city} {a} · {peer} {b} · 同日 {same}",
    "reported_first: on how many shared initiatives each city reported first (report dates).": (
        "率先报道：在共有举措中，各方率先报道的项数（按报道日期）。"
    ),
    "learn_first: the first city to report the initiative, whom to learn it from, with its date.": (
        "最早报道：最先报道该举措的城市及日期，可向其借鉴。"
    ),
    "No tie can be inferred: every dated report falls on one date, so nothing tells an order.": (
        "无法推断扩散联系：所有有日期的报道都在同一天，看不出先后。"
    ),
    "No tie passes the cut-off.": "没有扩散联系达到显著性门槛。",
    "A tie says the order of reports fits 'origin before destination' across initiatives; it is not proof "
    "that one city learned from the other.": (
        "扩散联系只说明多项举措的报道顺序符合“先源头、后目标”，不能证明一个城市向另一个城市学习过。"
    ),
    "inferred diffusion ties (NetInf, {model}; report dates; {window})": (
        "推断的扩散联系（NetInf，{model}；报道日期；{window}）"
    ),
    # ingest
    "candidates written to {target}/entities.csv and {target}/relations.csv": (
        "候选数据已写入 {target}/entities.csv 和 {target}/relations.csv"
    ),
    "review them (set status to rejected, or delete rows), then: ingest --apply {target}": (
        "请审核（把 status 改为 rejected，或删除该行），然后运行：ingest --apply {target}"
    ),
    "merged into {root}": "已并入 {root}",
    "nothing new: {root} already holds every accepted candidate": "没有新内容：{root} 已包含全部采纳的候选数据",
    "backup of the previous entities.csv and relations.csv: {folder}": (
        "原 entities.csv 和 relations.csv 的备份：{folder}"
    ),
    "added {entities} entities and {relations} relations to {root}": (
        "已向 {root} 添加 {entities} 个实体、{relations} 条关系"
    ),
    "candidates": "候选数据",
    "entity": "实体",
    "relation": "关系",
    "new": "新增",
    "uncertain": "待核实",
    "matches-existing": "已有",
    "rejected": "不采纳",
    "ingesting": "导入中",
    "popularity": "热门程度基线",
    "exponential": "指数分布",
    "power-law": "幂律分布",
}
