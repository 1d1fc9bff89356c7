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

import functools
import re
import string

__all__ = [
    "LANGS",
    "DEFAULT_LANG",
    "Text",
    "say",
    "listing",
    "relation_label",
    "text",
    "header",
    "os_reason",
    "from_english",
    "HEADERS",
    "ZH",
    "OS_ERRORS_ZH",
    "PARSER_ZH",
]

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
    """Names side by side: ``sep``-joined in English, joined with 、 in Chinese (two joined by " and " with 与).

    >>> text(listing(["潜江市", "随州市"]), "zh"), listing(["潜江市", "随州市"])
    ('潜江市、随州市', '潜江市, 随州市')
    >>> text(listing(["--city", "--theme"], sep=" and "), "zh")
    '--city 与 --theme'
    """
    items = [str(x) for x in items]
    zh = " 与 ".join(items) if sep == " and " and len(items) == 2 else "、".join(items)
    return Text(sep.join(items), None, zh=zh)


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


def os_reason(exc: OSError) -> Text:
    """Why the system refused a file operation: its own (English) words, and Chinese for the usual reasons.

    >>> import errno
    >>> reason = os_reason(PermissionError(errno.EACCES, "Permission denied"))
    >>> reason, text(reason, "zh")
    ('Permission denied', '权限不够')
    """
    import errno

    english = exc.strerror or str(exc)
    return Text(english, None, zh=OS_ERRORS_ZH.get(errno.errorcode.get(exc.errno, ""), english))


def from_english(message: str, catalogue: dict[str, str] | None = None, words: dict[str, str] | None = None):
    """``message``, written in English by another library from one of the templates of ``catalogue``
    (:data:`PARSER_ZH` by default), in Chinese; None when no template fits. The values keep their quoting; a value
    that is a word of ``words`` is translated.

    >>> from_english("'xml' is not one of 'table', 'csv', 'json'.")
    "'xml' 不是可选值之一（'table', 'csv', 'json'）。"
    >>> from_english("'x' is not a valid integer."), from_english("something else") is None
    ("'x' 不是有效的整数。", True)
    """
    catalogue = PARSER_ZH if catalogue is None else catalogue
    words = PARSER_WORDS if words is None else words
    # the template with the most fixed words first: "{value!r} is not one of {choices}." before "{value!r} is not
    # {choice}."
    for template, chinese in sorted(catalogue.items(), key=lambda item: -len(_pattern(item[0]).pattern)):
        found = _pattern(template).fullmatch(message)
        if found:
            return chinese.format(**{k: words.get(v, v) for k, v in found.groupdict().items()})
    return None


@functools.cache
def _pattern(template: str) -> re.Pattern:
    """A regular expression that matches what ``template`` gives, each field a named group."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


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
    "evaluating": "检验中",
    "popularity": "热门程度基线",
    "exponential": "指数分布",
    "power-law": "幂律分布",
}

#: The Chinese of the errors a user can cause: English template -> Chinese (kept apart from the answers' words).
ERRORS_ZH = {
    # the command line's own
    "Error: {message}": "错误：{message}",
    "interrupted; no file was left half-written": "已中断；没有留下写了一半的文件",
    "1 problem in {files}": "{files} 中有 1 处问题",
    "{n} problems in {files}": "{files} 中有 {n} 处问题",
    "cannot write the output: standard output is closed": "无法输出：标准输出已关闭",
    "cannot write the output: {why}": "无法输出：{why}",
    "--ties and --open go with -o FILE or --html": "--ties 和 --open 需与 -o FILE 或 --html 一起使用",
    # names
    "no {kind} named {name!r}": "没有名为“{name}”的{kind}",
    "no {kind} named {name!r}; did you mean {names}?": "没有名为“{name}”的{kind}；是否要找：{names}？",
    "{name!r} is ambiguous: {names}; use one of the ids": "“{name}”对应多个实体：{names}；请改用其中一个标识",
    "{name!r} is {found} ({id}), {kind}, not {wanted}": "“{name}”是{found}（{id}），属于{kind}，不是{wanted}",
    # files
    "{path} leads outside {root}": "{path} 指向文件夹 {root} 之外",
    "cannot write {path}: {why}": "无法写入 {path}：{why}",
    "cannot write {path}: it is a folder": "无法写入 {path}：它是一个文件夹",
    "cannot write {path}: folder {folder} does not exist": "无法写入 {path}：文件夹 {folder} 不存在",
    "{root} is being written by another practice-graph process; try again when it has finished": (
        "另一个 practice-graph 进程正在写入 {root}；请等它结束后再试"
    ),
    "cannot lock {root}: folder not found": "无法锁定 {root}：找不到该文件夹",
    "cannot lock {root}: {why}": "无法锁定 {root}：{why}",
    "cannot write to {root}: {why}; nothing was changed": "无法写入 {root}：{why}；未做任何改动",
    "cannot write to {root}: {why}; the folder is half-written and the previous files will be "
    "put back by the next practice-graph command that opens it (journal {journal})": (
        "无法写入 {root}：{why}；文件夹只写了一半，下一个打开它的 practice-graph 命令会恢复原来的文件（日志 {journal}）"
    ),
    "cannot write {path}: {why}; {root} is unchanged (previous files restored)": (
        "无法写入 {path}：{why}；{root} 未改变（已恢复原来的文件）"
    ),
    "cannot read the journal {journal} of an interrupted write: {why}": "无法读取中断写入的日志 {journal}：{why}",
    "an interrupted write left this folder half-written and it cannot be restored now ({why}); "
    "run practice-graph again with write access to the folder": (
        "一次中断的写入使该文件夹只写了一半，现在无法恢复（{why}）；请在对该文件夹有写权限时再次运行 practice-graph"
    ),
    "{root}: an earlier write was interrupted; its files ({names}) were put back as they were before it": (
        "{root}：上一次写入曾被中断，其文件（{names}）已恢复原状"
    ),
    "cannot read: {why}": "无法读取：{why}",
    "not UTF-8 or GB18030 text: cannot decode byte(s) {bytes}": "不是 UTF-8 或 GB18030 文本：无法解码字节 {bytes}",
    "the file is UTF-8, but this line is not (GB18030?): save the file in one encoding": (
        "文件是 UTF-8 编码，但这一行不是（GB18030？）：请用同一种编码保存文件"
    ),
    "the file is GB18030, but this line is UTF-8: save the file in one encoding": (
        "文件是 GB18030 编码，但这一行是 UTF-8：请用同一种编码保存文件"
    ),
    # requests
    "unknown {what} {value!r} (expected one of {choices})": "未知的{what}“{value}”（可选：{choices}）",
    "language": "语言",
    "metric": "度量",
    "view": "视图",
    "layout": "布局",
    "level": "层级",
    "time unit": "时间单位",
    "transmission model": "传播模型",
    "choice of pairs": "城市对范围",
    "overview": "总览",
    "similarity": "相似度",
    "the {kind} view needs a name": "{kind}视图需要一个名称",
    "the {kind} view takes no name": "{kind}视图不接受名称",
    "depth must be at least 1, not {value}": "depth 至少为 1，而不是 {value}",
    "{options} cannot be combined: choose one view": "{options} 不能同时使用：请选择一种视图",
    "--depth goes with --city": "--depth 需与 --city 一起使用",
    "the similarity view needs at least two cities": "相似度视图至少需要两个城市",
    "no city in this view has coordinates (lat, lon): the map layout needs them": (
        "此视图中没有带坐标（lat、lon）的城市：地图布局需要坐标"
    ),
    "--compare needs two different cities, not {city} twice": "--compare 需要两个不同的城市，而不是两次{city}",
    "{city} reports no initiative to compare": "{city}没有报告任何可比较的举措",
    "no city reports an initiative: the matrix would be empty": "没有城市报告举措：矩阵将是空的",
    "pyvis is not installed: pip install pyvis==0.3.2": "未安装 pyvis：pip install pyvis==0.3.2",
    "the same city given twice: {cities}": "同一城市给了两次：{cities}",
    "name at least two cities": "请至少给出两个城市",
    "export parquet needs pyarrow: pip install 'practice-graph[parquet]'": (
        "导出 parquet 需要 pyarrow：pip install 'practice-graph[parquet]'"
    ),
    "simrank refused: {nodes:,} nodes ({cities:,} cities + {initiatives:,} initiatives) exceed the "
    "limit of {most:,}; networkx's simrank builds dense node x node matrices and would take "
    "more than about 30 s here; use idf-cosine or adamic-adar instead": (
        "拒绝计算 simrank：{nodes:,} 个节点（{cities:,} 个城市 + {initiatives:,} 项举措）超过上限 {most:,}；"
        "networkx 的 simrank 要建立稠密的节点 × 节点矩阵，这里需要约 30 秒以上；请改用 idf-cosine 或 adamic-adar"
    ),
    "dyad-years refused: the table would have {rows:,} rows (initiatives x years x pairs of cities), "
    "about {gb:,.1f} GB of CSV, and {folder} has {free:,.1f} GB free; export adoptions and build the "
    "risk set of the initiatives and years you study from it": (
        "拒绝导出 dyad-years：该表将有 {rows:,} 行（举措 × 年份 × 城市对），约 {gb:,.1f} GB 的 CSV，"
        "而 {folder} 只有 {free:,.1f} GB 可用空间；请导出 adoptions，再从中为所研究的举措和年份构造风险集"
    ),
    "diffusion refused: the cascades hold {pairs:,} candidate pairs (a city after an earlier city of "
    "the same initiative), above the limit of {most:,} (PRACTICE_GRAPH_DIFFUSION_MAX_PAIRS): about "
    "{gb:,.0f} GB of memory and {minutes:,.0f} minutes; export cascades and infer ties from a part of them "
    "(a province, a few initiatives)": (
        "拒绝推断扩散：这些级联含 {pairs:,} 个候选城市对（同一举措中晚于另一城市报道的城市），超过上限 {most:,}"
        "（PRACTICE_GRAPH_DIFFUSION_MAX_PAIRS），约需 {gb:,.0f} GB 内存和 {minutes:,.0f} 分钟；"
        "请导出 cascades，从其中一部分（一个省、少数几项举措）推断"
    ),
    "{name} must be at least 1, not {value}": "{name} 至少为 1，而不是 {value}",
    "bootstrap must be at most {most:,}, not {value:,}": "bootstrap 至多为 {most:,}，而不是 {value:,}",
    "seed must be 0 or more, not {value}": "seed 须为 0 或更大，而不是 {value}",
    "nothing to evaluate: no city-initiative link whose initiative has two other cities": (
        "无可检验：没有一条城市—举措联系的举措另有两个城市采用"
    ),
    "give an initiative or --city, not both": "请给出一项举措或 --city，不能两者都给",
    "cascade row {k} has no {column!r}": "级联第 {k} 行缺少“{column}”",
    "cascade row {k} is not (node_name, event_time, cascade_id)": (
        "级联第 {k} 行不是 (node_name, event_time, cascade_id)"
    ),
    "cascade row {k}: event_time {time!r} is not a number": "级联第 {k} 行：event_time “{time}”不是数字",
    "cascade row {k}: event_time {time!r} is not finite": "级联第 {k} 行：event_time “{time}”不是有限数",
    "edges must be at least 1, not {value}": "edges 至少为 1，而不是 {value}",
    "the p-value cut-off must be in (0, 1], not {value}": "p 值门槛须在 (0, 1] 之内，而不是 {value}",
    "{name} must be positive, not {value}": "{name} 须为正数，而不是 {value}",
    "alpha must be above 1, not {value}": "alpha 须大于 1，而不是 {value}",
    "a network to simulate on needs at least one node": "用于模拟的网络至少需要一个节点",
    # exports
    "export format": "导出格式",
    "cannot write the CSV tables to {folder}: it is the current folder or holds it, and the CSV export "
    "replaces its folder whole: name a new folder (-o tables)": (
        "无法把 CSV 表写入 {folder}：它是当前文件夹或包含当前文件夹，而 CSV 导出会整个替换目标文件夹："
        "请指定一个新文件夹（-o tables）"
    ),
    "cannot write the CSV tables to {folder}: it is a symlink; name the folder itself": (
        "无法把 CSV 表写入 {folder}：它是符号链接；请指定文件夹本身"
    ),
    "cannot write the CSV tables to {folder}: it is a file, not a folder": (
        "无法把 CSV 表写入 {folder}：它是文件，不是文件夹"
    ),
    "cannot replace {folder}: {why}; the CSV export replaces its folder whole: name a new or empty folder": (
        "无法替换 {folder}：{why}；CSV 导出会整个替换目标文件夹：请指定一个新的或空的文件夹"
    ),
    "it holds {name}, which is not a regular file practice-graph wrote": (
        "其中有 {name}，它不是 practice-graph 写入的普通文件"
    ),
    "it holds files practice-graph did not write (no {manifest})": (
        "其中有不是 practice-graph 写入的文件（没有 {manifest}）"
    ),
    "its {manifest} cannot be read": "其中的 {manifest} 无法读取",
    "{name} was added after practice-graph wrote the folder": "{name} 是 practice-graph 写入该文件夹之后添加的",
    "{name} was changed since practice-graph wrote it": "{name} 在 practice-graph 写入之后被修改过",
    "{name} was removed since practice-graph wrote the folder": "{name} 在 practice-graph 写入该文件夹之后被删除了",
    # ingest
    "cannot write the candidates to {folder}: it is a file, not a folder": (
        "无法把候选数据写入 {folder}：它是文件，不是文件夹"
    ),
    "{folder} holds a dataset ({name} has no status column), not candidates: name another --out folder": (
        "{folder} 中是数据集（{name} 没有 status 列），不是候选数据：请用 --out 指定另一个文件夹"
    ),
    "{path} holds other candidates (a review under way?): merge them with ingest --apply {folder}, "
    "or name another --out folder": (
        "{path} 中已有其他候选数据（正在审核？）：请用 ingest --apply {folder} 并入，或用 --out 指定另一个文件夹"
    ),
    "cannot write the candidates to {folder}: {why}": "无法把候选数据写入 {folder}：{why}",
    "{n} cells where the header has {width} (it runs on to line {end}): "
    'a stray quote (") or comma? Put a cell holding them in double quotes, with "" for a quote': (
        '有 {n} 个单元格，而表头有 {width} 列（一直延续到第 {end} 行）：多了引号（"）或逗号？'
        '请把含有它们的单元格放在双引号中，引号写作 ""'
    ),
    "{n} cells where the header has {width}: "
    'a stray quote (") or comma? Put a cell holding them in double quotes, with "" for a quote': (
        '有 {n} 个单元格，而表头有 {width} 列：多了引号（"）或逗号？请把含有它们的单元格放在双引号中，引号写作 ""'
    ),
    'the {name} cell runs on to line {end}: a stray quote (") opens it; '
    'put the cell in double quotes, with "" for a quote': (
        '{name} 单元格一直延续到第 {end} 行：有一个多余的引号（"）；请把该单元格放在双引号中，引号写作 ""'
    ),
    "a cell longer than {most:,} characters (a stray quote that never closes?)": (
        "有单元格超过 {most:,} 个字符（有未闭合的引号？）"
    ),
    "the {name} cell is longer than {most:,} characters": "{name} 单元格超过 {most:,} 个字符",
    "unknown status {value!r} ({choices})": "未知的状态“{value}”（可选：{choices}）",
    "confidence {value!r} is not a number between 0 and 1": "置信度“{value}”不是 0 到 1 之间的数",
    "{column} {id!r} is not a type:slug of a-z, 0-9 and -": "{column}“{id}”不是由 a-z、0-9 和 - 组成的 类型:名称",
    "id {id!r} does not start with its type {type}:": "标识“{id}”不以其类型 {type}: 开头",
    "file not found: expected a folder written by ingest": "找不到文件：应为 ingest 写出的文件夹",
    "a symbolic link": "符号链接",
    "not a regular file": "不是普通文件",
    "the text of {id}, {path}, is {what}: copy the file": "{id} 的文本 {path} 是{what}：请复制该文件",
    "unreadable header: {why}": "表头无法读取：{why}",
    "missing column(s): {columns}": "缺少列：{columns}",
    "no text for {id}: {path} not found": "{id} 没有文本：找不到 {path}",
    "no text for this new source among the candidates": "候选数据中没有这一新来源的文本",
    "unknown {column} {id!r}: not a candidate of entities.csv and not in {root} "
    "(an id changed in one file only? change it in both, or reject the row)": (
        "未知的 {column}“{id}”：既不是 entities.csv 中的候选，也不在 {root} 中"
        "（只在一个文件里改了标识？请两处都改，或不采纳该行）"
    ),
    "cannot write to {root}: {why}": "无法写入 {root}：{why}",
    "cannot merge into {root}: {why}; nothing was changed": "无法并入 {root}：{why}；未做任何改动",
    "--date {date!r}: expected an ISO date (2024, 2024-07, 2024-07-31)": (
        "--date “{date}”：应为 ISO 日期（2024、2024-07、2024-07-31）"
    ),
    "no date found (such as 2024-07-31, 2024年7月31日, or 7月31日 with a year in the file name): "
    "give the article's date with --date YYYY-MM-DD": (
        "找不到日期（如 2024-07-31、2024年7月31日，或文件名含年份时的 7月31日）：请用 --date YYYY-MM-DD 给出文章日期"
    ),
    "a folder": "文件夹",
    "a device, pipe or socket": "设备、管道或套接字",
    "not a regular file ({kind}): expected a text file": "不是普通文件（而是{kind}）：应为文本文件",
    "{size:,} bytes: articles over {most} MiB are refused: split it into several files": (
        "{size:,} 字节：超过 {most} MiB 的文章不予接受：请拆成几个文件"
    ),
    "more than {size:,} bytes: articles over {most} MiB are refused: split it into several files": (
        "超过 {size:,} 字节：超过 {most} MiB 的文章不予接受：请拆成几个文件"
    ),
    "binary data ({what}): expected UTF-8 or GB18030 text": "二进制数据（{what}）：应为 UTF-8 或 GB18030 文本",
    "no place found: expected a city, county or district named in the headline or the lead "
    "(利津县, 荆州市, 东营市利津县 ...), or a heading such as 潜江市:标题": (
        "找不到地名：标题或导语中应有市、县或区名（利津县、荆州市、东营市利津县……），或有 潜江市:标题 这样的小标题"
    ),
    "empty file: expected an article with sections": "空文件：应为分节的文章",
    "no text: expected a headline and paragraphs": "没有正文：应有标题和段落",
    "no section found: expected a heading line such as 潜江市:标题 or 潜江市：标题 "
    "(a place ending in 市, 县, 区, 林区, 州 or 盟, a colon, a title), "
    "or a place name on its own line above its title": (
        "找不到分节：应有 潜江市:标题 或 潜江市：标题 这样的小标题行"
        "（以市、县、区、林区、州或盟结尾的地名、冒号、标题），"
        "或在标题上方单独成行的地名"
    ),
    "section {place} has no text: expected paragraphs after its heading": "{place} 一节没有正文：小标题后应有段落",
    "--date {date!r}: expected an ISO date such as 2024, 2024-07 or 2024-07-31": (
        "--date “{date}”：应为 ISO 日期，如 2024、2024-07 或 2024-07-31"
    ),
    "--layout {layout!r}: expected one of {choices}": "--layout “{layout}”：可选 {choices}",
    "--min-confidence must be between 0 and 1, not {value:g}": "--min-confidence 须在 0 到 1 之间，而不是 {value:g}",
    "{folder} is a folder of candidates: merge it with --apply": "{folder} 是候选数据文件夹：请用 --apply 并入",
    "--apply without --data would change the copy of the data installed with the package "
    "({folder}), which the next install replaces: copy it first "
    "(practice-graph export csv -o my-data) and merge into that (--data my-data)": (
        "不带 --data 的 --apply 会修改随软件包安装的数据副本（{folder}），下次安装时它会被替换："
        "请先复制一份（practice-graph export csv -o my-data），再并入该副本（--data my-data）"
    ),
    # the data contract, as validate lists its problems
    "type": "类型",
    "date {value!r} is not ISO 8601 (2020, 2020-07 or 2020-07-01)": (
        "日期“{value}”不是 ISO 8601 格式（2020、2020-07 或 2020-07-01）"
    ),
    "date {value!r} has no month {month}": "日期“{value}”中没有 {month} 月",
    "date {value!r} is not a day of the calendar": "日期“{value}”在日历上不存在",
    "not found": "找不到",
    "is not a regular file": "不是普通文件",
    "not found (a broken symlink)": "找不到（符号链接已断开）",
    "leads outside the data folder (a symlink): copy the text into sources/": (
        "指向数据文件夹之外（符号链接）：请把文本复制到 sources/ 中"
    ),
    "is a file, not a folder": "是文件，不是文件夹",
    "folder not found": "找不到文件夹",
    "{what}: expected a dataset folder with entities.csv and relations.csv": (
        "{what}：应为含有 entities.csv 和 relations.csv 的数据集文件夹"
    ),
    "file not found": "找不到文件",
    "empty file: expected a header row {header}": "空文件：应有表头行 {header}",
    "malformed CSV: {why}": "CSV 格式错误：{why}",
    "missing column(s): {columns} (unknown column(s): {unknown})": "缺少列：{columns}（未知的列：{unknown}）",
    "column {name!r} appears twice": "列“{name}”出现了两次",
    "{n} cells, but the header has {width}": "有 {n} 个单元格，而表头有 {width} 列",
    "{name} holds a control character ({code}): remove it": "{name} 中有控制字符（{code}）：请删除",
    'unclosed quote: a " opened on this line is never closed (the rest of the file was read as one cell)': (
        '引号未闭合：这一行开始的 " 始终没有闭合（文件其余部分被读成了一个单元格）'
    ),
    "{what} {value!r} is not a number": "{what} 的值“{value}”不是数字",
    "{what} {value} is out of range [{low:g}, {high:g}]": "{what} {value} 超出范围 [{low:g}, {high:g}]",
    "empty id": "标识为空",
    "id {id!r} does not match type:slug (lower-case a-z, 0-9, -)": (
        "标识“{id}”不符合 类型:名称 的格式（小写 a-z、0-9、-）"
    ),
    "id {id!r} does not start with its type {type!r}": "标识“{id}”不以其类型“{type}”开头",
    "duplicate id {id!r} (first on line {first})": "标识“{id}”重复（首次出现在第 {first} 行）",
    "empty name for {id}": "{id} 的名称为空",
    "empty name_en for {id} (required for a {type})": "{id} 的英文名 name_en 为空（{type}必须有英文名）",
    "{id} has only one of lat and lon": "{id} 只有 lat 和 lon 中的一个",
    "{id} has a date, but a {type} has none (only {dated})": "{id} 有日期，但{type}没有日期（只有 {dated} 有）",
    "empty {role}": "{role} 为空",
    "unknown {role} {id!r}": "{role} 中的“{id}”不存在",
    "{relation} joins {want_source} -> {want_target}, not {got_source} -> {got_target} ({source} -> {target})": (
        "{relation} 连接 {want_source} -> {want_target}，而不是 {got_source} -> {got_target}（{source} -> {target}）"
    ),
    "{relation} needs evidence (a quote from the document)": "{relation} 需要原文依据（来源文献中的引文）",
    "evidence without a document": "有原文依据但没有来源文献",
    "document {id!r} is {kind}, not a source": "来源文献“{id}”是{kind}，不是来源",
    "{relation} joins {source} to itself": "{relation} 把 {source} 连到了自身",
    "duplicate relation {source} {relation} {target} (first on line {first})": (
        "关系 {source} {relation} {target} 重复（首次出现在第 {first} 行）"
    ),
    "part_of cycle through {id}": "part_of 关系经过 {id} 形成环",
    "{practice} is reported by {city} and by {other} (line {first}): a practice belongs to one city": (
        "{practice} 由 {city} 报告，又由 {other} 报告（第 {first} 行）：一项做法只属于一个城市"
    ),
    "practice {id} is reported by no city": "做法 {id} 没有城市报告",
    "no text for {id}: {path} {why}": "{id} 没有文本：{path} {why}",
    "evidence not found verbatim in {document}: {quote!r}": "在 {document} 中找不到逐字相同的原文依据：“{quote}”",
}
ZH.update(ERRORS_ZH)

#: The usual reasons a file operation fails (errno names), in the words of zh_CN system messages.
OS_ERRORS_ZH = {
    "ENOENT": "没有那个文件或目录",
    "EACCES": "权限不够",
    "EPERM": "不允许的操作",
    "ENOSPC": "设备上没有空间",
    "EROFS": "只读文件系统",
    "EISDIR": "是一个目录",
    "ENOTDIR": "不是目录",
    "EEXIST": "文件已存在",
    "ENOTEMPTY": "目录非空",
    "EBUSY": "设备或资源忙",
    "EXDEV": "无效的跨设备链接",
    "EMFILE": "打开的文件过多",
    "ENFILE": "系统中打开的文件过多",
    "EIO": "输入/输出错误",
    "ENAMETOOLONG": "文件名过长",
    "ELOOP": "符号连接的层数过多",
    "EDQUOT": "超出磁盘配额",
    "EFBIG": "文件过大",
    "EINVAL": "无效的参数",
    "EPIPE": "断开的管道",
    "EBADF": "错误的文件描述符",
}

#: The messages of the command-line parser (click) a user can meet: its English template -> Chinese. Values keep
#: their quoting ('--top', 'xml'); see :func:`from_english`.
PARSER_ZH = {
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not {choice}.": "{value} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value} 不是可选值之一（{choices}）。",
    "{value!r} is not a valid {number_type}.": "{value} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value} 不是有效的是非值，可用：{states}",
    "{name} {filename!r} does not exist.": "{name} {filename} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename} 不可执行。",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name} 不接受值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Usage:": "用法：",
}

#: Words the parser puts into its messages.
PARSER_WORDS = {
    "integer": "整数",
    "integer range": "整数",
    "float": "数",
    "float range": "数",
    "Path": "路径",
    "File": "文件",
    "Directory": "文件夹",
}
