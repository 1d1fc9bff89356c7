"""Candidate rows for parsed articles: the source, places, practices, their links and new initiatives."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..dataset import Dataset
from ..names import strip_suffix
from ..schema import ID_PATTERN
from ..textutil import compact, fold, split_clauses
from .article import Article
from .candidates import Candidates, entity_row, pinyin_words, readable_id, relation_row, status_for, text_slug
from .matching import Matcher, dice_coefficient, found_in, name_automaton, phrases
from .places import city_keys, existing_entity, gazetteer_place, level_of, match_place, place_id, place_rows

__all__ = ["propose"]


_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")


_YEAR_BEFORE_RE = re.compile(r"(?<!\d)(\d{4})\s*年?\s*$")


def _source_for(dataset: Dataset, article: Article, taken: dict[str, str]) -> tuple[str, str, str]:
    """(source id, status, note) for an article: an existing source with the same text, else a new id."""
    text = article.text.strip()
    for sid, existing in sorted(dataset.texts.items()):
        if existing.strip() == text:
            return sid, "matches-existing", f"same text as {sid}"
    stem = Path(article.path).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    sid = f"source:{slug}" if slug and ID_PATTERN.match(f"source:{slug}") else ""
    if not sid or (sid in dataset.entities) or (sid in taken and taken[sid] != text):
        sid = "source:" + text_slug(text)
    return sid, "new", f"text of {article.path}"


def _names_event(text: str, event) -> bool:
    """Whether ``text`` names the event: its name or an alias, not right after another year than the event's.

    The 2020 meeting answers to its year-less alias in a 2020 article, but not in the report of the 2021 one.

    >>> from graph.dataset import Entity
    >>> event = Entity("event:m-2020", "event", "2020汉江会议", aliases=("汉江会议",))
    >>> [_names_event(t, event) for t in ("2020汉江会议召开", "汉江会议召开", "2021年汉江会议召开")]
    [True, True, False]
    """
    years = set(_YEAR_RE.findall(event.name))
    for name in (event.name, *event.aliases):
        start = text.find(name) if name else -1
        while start >= 0:
            before = _YEAR_BEFORE_RE.search(text[:start])
            if before is None or not years or before.group(1) in years:
                return True
            start = text.find(name, start + 1)
    return False


def _existing_practice(dataset: Dataset, reports: list, quote: str, evidence: str) -> str:
    """An existing practice the city reports with this name or evidence, else ''."""
    for r in reports:
        practice = dataset.entities[r.target]
        if (
            practice.name in (quote, evidence)
            or r.evidence in (quote, evidence)
            or (r.evidence and r.evidence in quote)
        ):
            return r.target
    return ""


def propose(
    model,
    articles: Iterable[Article],
    progress: Callable[[str], None] | None = None,
    examples: bool = True,
) -> Candidates:
    """Candidate rows for the articles: places, practices, their links to initiatives, and new initiatives.

    An article whose text is already a source of the dataset adds nothing (its source row says so).

    Parameters
    ----------
    model : graph.model.Model
        The dataset the candidates are matched against.
    articles : iterable of Article
    progress : callable, optional
        Called with each article's path once it is done.
    examples : bool
        Match by the dataset's curated quotes as well as by names (see :class:`~graph.ingest.matching.Matcher`).

    Returns
    -------
    Candidates
        Rows with ``status`` (new, uncertain, matches-existing) and ``confidence`` (0-1) for review.
    """
    dataset: Dataset = model.dataset
    keys = city_keys(dataset)
    events = [e for e in dataset.entities.values() if e.type == "event"]
    out = Candidates()
    taken: dict[str, str] = {}
    existing_relations = {(r.source, r.relation, r.target) for r in dataset.relations}
    reported: dict[str, list] = {}
    for r in dataset.relations:
        if r.relation == "reports":
            reported.setdefault(r.source, []).append(r)
    entity_rows: dict[str, dict] = {}
    relation_rows: dict[tuple[str, str, str], dict] = {}
    # phrase -> {city id: (practice id, quote, document)} for the initiatives nobody has named yet
    found_phrases: dict[str, dict[str, tuple[str, str, str]]] = {}
    quoted: set[str] = set()
    clauses: list[tuple[str, str, str]] = []  # (practice id, clause, source id) of every clause read

    def add_entity(row: dict) -> None:
        if row["id"] in dataset.entities:
            row["status"] = "matches-existing"
        old = entity_rows.get(row["id"])
        if old is None or float(row["confidence"]) > float(old["confidence"]):
            entity_rows[row["id"]] = row

    def add_relation(row: dict) -> None:
        key = (row["source"], row["relation"], row["target"])
        if key in existing_relations:
            row["status"] = "matches-existing"
        old = relation_rows.get(key)
        if old is None or float(row["confidence"]) > float(old["confidence"]):
            relation_rows[key] = row

    articles = list(articles)
    matcher = Matcher(
        dataset,
        [s.title + "".join(p.text for p in s.paragraphs) for a in articles for s in a.sections],
        examples=examples,
    )
    for article in articles:
        sid, sstatus, snote = _source_for(dataset, article, taken)
        taken[sid] = article.text.strip()
        if sstatus != "new":
            add_entity(entity_row(sid, "source", dataset.name_of(sid), sstatus, 1.0, snote))
            if progress is not None:
                progress(article.path)
            continue
        out.texts[sid] = article.text
        first = article.intro[0].lead if article.intro else ""
        name = article.title or (first if first and len(first) <= 60 else Path(article.path).stem)
        date = article.date
        if not date:
            found = re.search(r"\d{4}-\d{2}-\d{2}", Path(article.path).name)
            date = found.group(0) if found else ""
        description = " ".join(x for x in (article.publisher, date) if x)
        note = f"{snote}; date from the {article.date_from}" if article.date_from else snote
        add_entity(entity_row(sid, "source", name, "new", 1.0, note, description=description, date=date))
        intro_text = "\n".join(p.text for p in article.intro)
        covered = [e for e in events if _names_event(intro_text, e)]
        for event in covered:
            add_relation(relation_row(sid, "covers", event.id, "", "", "new", 0.9, f"the intro names {event.name}"))

        units: list[tuple[str, str, str]] = []  # (city id, practice id, text)
        for section in article.sections:
            cid = _place(dataset, keys, article, section, add_entity, add_relation, entity_rows)
            if not cid:
                continue  # ambiguous among the dataset's own cities: nothing sensible to attach the practices to
            city_slug = cid.split(":", 1)[1]
            for event in covered:
                add_relation(relation_row(cid, "attended", event.id, "", "", "new", 0.9, "a section of the article"))

            def practice_id(quote: str, evidence: str) -> tuple[str, bool]:
                found = _existing_practice(dataset, reported.get(cid, []), quote, evidence)  # noqa: B023
                return (found, True) if found else (f"practice:{city_slug}-{text_slug(cid + quote, 'p')[2:]}", False)  # noqa: B023

            head_id, head_known = practice_id(section.title, section.heading)
            add_entity(
                entity_row(
                    head_id,
                    "practice",
                    section.title if not head_known else dataset.name_of(head_id),
                    "new",
                    0.9,
                    f"headline of {section.place}",
                    date=date,
                )
            )
            add_relation(
                relation_row(cid, "reports", head_id, section.heading, sid, "new", 0.9, "the section's heading")
            )
            units.append((cid, head_id, section.title))
            for paragraph in section.paragraphs:
                if paragraph.intro:
                    units.append((cid, head_id, paragraph.text))
                    continue
                pid, known = practice_id(paragraph.lead, paragraph.lead)
                add_entity(
                    entity_row(
                        pid,
                        "practice",
                        paragraph.lead if not known else dataset.name_of(pid),
                        "new",
                        0.85,
                        f"lead sentence of line {paragraph.line}",
                        date=date,
                    )
                )
                add_relation(relation_row(cid, "reports", pid, paragraph.lead, sid, "new", 0.85, "a measure"))
                add_relation(
                    relation_row(pid, "part_of", head_id, paragraph.lead, sid, "new", 0.85, f"a measure of {head_id}")
                )
                units.append((cid, pid, paragraph.text))

        read = [(cid, pid, clause) for cid, pid, unit in units for _, clause in split_clauses(unit)]
        for (cid, pid, clause), matched in zip(read, matcher.match([c for _, _, c in read]), strict=True):
            clauses.append((pid, clause, sid))
            for m in matched.values():
                add_relation(
                    relation_row(
                        pid, "instance_of", m.initiative, clause, sid, status_for(m.confidence), m.confidence, m.reason
                    )
                )
            if not matched:
                for phrase in phrases(clause):
                    found_phrases.setdefault(phrase, {}).setdefault(cid, (pid, clause, sid))
                    if f"“{phrase}”" in fold(clause).replace('"', "“"):
                        quoted.add(phrase)
        if progress is not None:
            progress(article.path)

    # New initiatives are linked wherever their name occurs, so that a second run after merging adds nothing.
    # a quoted name at one place is an initiative to propose in a report about one place; in a roundup it is that
    # place's own practice unless another place names it too
    if any(len(a.sections) > 1 for a in articles):
        quoted = set()
    new = list(_new_initiatives(found_phrases, quoted, matcher, lambda eid: _taken(dataset, entity_rows, eid, "")))
    if new:
        automaton = name_automaton(phrase for _, phrase, _ in new)
        rows = {phrase: (entity, confidence) for entity, phrase, confidence in new}
        for pid, clause, sid in clauses:
            for phrase in sorted(found_in(automaton, compact(fold(clause)))):
                entity, confidence = rows[phrase]
                add_entity(entity)
                note = f"names {phrase}, proposed as a new initiative"
                add_relation(relation_row(pid, "instance_of", entity["id"], clause, sid, "uncertain", confidence, note))
    out.entities = list(entity_rows.values())
    out.relations = list(relation_rows.values())
    return out


def _place(dataset: Dataset, keys, article: Article, section, add_entity, add_relation, rows: dict[str, dict]) -> str:
    """The city id of a section's place, adding the rows of a new one (and of its parents); '' to skip it.

    A name or alias of a dataset's city is that city (an alias that is a sub-unit's name goes to its city). Else
    the gazetteer (:func:`~graph.ingest.places.gazetteer_place`): a unit the dataset has under another name (襄樊:
    襄阳市) is that city; another unit is a new city with its level, coordinates, English name and ``located_in``
    its province and prefecture (:func:`~graph.ingest.places.place_rows`); several units (two 新华区) give an
    uncertain row that lists them, for the reviewer to choose; no unit, a new city to fill in. A compound name
    (孝感市汉川市) is the second place, in the first.
    """
    cid, cstatus, cconf, cnote = match_place(dataset, keys, section.place, "")
    if cid:
        add_entity(entity_row(cid, "city", dataset.name_of(cid), cstatus, cconf, cnote))
        return cid
    if cstatus == "uncertain":
        return ""
    written = section.place
    if section.parent and written.startswith(section.parent) and len(written) > len(section.parent) + 1:
        written = written[len(section.parent) :]  # 孝感市汉川市: 汉川市, in 孝感市
    found, options = gazetteer_place(written, _place_context(article, section))
    if found is not None:
        existing = existing_entity(dataset, keys, found, "city")
        if existing:
            note = f"{section.place} is {dataset.name_of(existing)} ({_where(found)}, adcode {found.adcode})"
            add_entity(entity_row(existing, "city", dataset.name_of(existing), "matches-existing", 0.95, note))
            return existing

    def taken(eid: str, name: str) -> bool:
        return _taken(dataset, rows, eid, name)

    short = strip_suffix(fold(written))
    name = found.name if found is not None else written
    if found is not None and _english_slug(found.name_en):  # the gazetteer's English name, without pinyin's cost
        cid = _free_id(f"city:{_english_slug(found.name_en)}", lambda eid: taken(eid, name))
    else:
        cid = readable_id("city", short, lambda eid: taken(eid, name), True)
    fields = {
        "name": written,
        "name_en": "".join(pinyin_words(short)).capitalize(),
        "aliases": short if short != written else "",
        "description": "新增地方(待审核)",
        "level": level_of(written),
    }
    status, confidence = "new", 0.8
    note = f"{written} is not in the dataset nor the gazetteer: a new place (fill in level, lat, lon)"
    if found is not None:
        cid = place_id(found, cid, taken)
        fields, more_entities, more_relations = place_rows(dataset, keys, found, cid, written, taken)
        note = f"{written} is not in the dataset: a new place, {_where(found)} (adcode {found.adcode})"
        if found.coord == "parent":
            note += "; its point is its parent's seat (a unit newer than the coordinates): check lat, lon"
        for row in more_entities:
            add_entity(row)
        for row in more_relations:
            add_relation(row)
    elif options:
        status, confidence = "uncertain", 0.5
        for key in ("name_en", "level"):  # what the candidates agree on (朝阳区: Chaoyang District, 区)
            if len({getattr(p, key) for p in options}) == 1:
                fields[key] = getattr(options[0], key)
        note = (
            f"{written} is the name of {len(options)} places: "
            + "; ".join(f"{_where(p)} ({p.adcode})" for p in options)
            + ": the text names none of their prefectures or provinces; fill in level, lat, lon and its located_in"
        )
    name = fields.pop("name")
    add_entity(entity_row(cid, "city", name, status, confidence, note, **fields))
    return cid


def _place_context(article: Article, section) -> str:
    """The text that says where a section's place is: its heading, the place its heading names first, its first
    paragraphs, and the article's intro (a dateline, a province named before the place)."""
    parts = [
        section.parent,
        section.heading,
        *(p.text for p in section.paragraphs[:2]),
        *(p.text for p in article.intro),
    ]
    return "\n".join(x for x in parts if x)


def _where(place) -> str:
    from .. import gazetteer

    return "".join([a.name for a in reversed(gazetteer.ancestors(place))] + [place.name])


_LEVEL_WORDS = frozenset("county district city banner autonomous prefecture league area forestry new".split())


def _english_slug(name_en: str) -> str:
    """An id slug from a place's English name without its level words: Lijin County -> lijin.

    >>> _english_slug("Lijin County"), _english_slug("Dongying"), _english_slug("Changyang Tujia Autonomous County")
    ('lijin', 'dongying', 'changyang-tujia')
    """
    words = re.sub(r"[^a-z0-9]+", " ", name_en.lower()).split()
    while len(words) > 1 and words[-1] in _LEVEL_WORDS:
        words.pop()
    return "-".join(words)


def _free_id(base: str, taken) -> str:
    eid, n = base, 1
    while taken(eid):
        n += 1
        eid = f"{base}-{n}"
    return eid


def _taken(dataset: Dataset, rows: dict[str, dict], eid: str, name: str) -> bool:
    """Whether a new id is used by something else (not the same-named candidate)."""
    if eid in dataset.entities:
        return True
    row = rows.get(eid)
    return row is not None and row["name"] != name


#: Endings of a phrase that names a programme (工程, 行动, 计划 ...), as opposed to a goal (提升能力) or a topic.
_NAMED_ENDINGS = (
    "工程", "行动", "计划", "项目", "模式", "机制", "制度", "品牌", "活动", "工作法", "联盟", "平台", "驿站",
    "课堂", "学院", "讲堂", "服务队", "中心", "网格", "清单", "积分制", "责任制", "示范点", "评议", "议事会",
)  # fmt: skip
#: Words that make a phrase generic rather than a name when they are all it has before its ending.
_GENERIC = frozenset(
    "提升 强化 加强 推进 推动 深化 专项 系列 各项 相关 有关 重点 三大 工作 建设 管理 服务 思想 认识 能力 水平 "
    "质量 作用 组织 基层 党建 党员 干部 群众 全面 整体 长效 创新 考核 培训 教育 治理 发展 实施 开展".split()
)


def _name_like(phrase: str, is_quoted: bool) -> bool:
    """Whether a phrase can name an initiative: quoted (“头雁工程”), or a specific word before a named ending.

    >>> [_name_like(p, False) for p in ("提升行动", "思想认识", "红色驿站工程", "能人回归工程")]
    [False, False, True, True]
    """
    from ..textutil import jieba_plain

    ending = next((e for e in _NAMED_ENDINGS if phrase.endswith(e)), None)
    if not is_quoted and ending is None:
        return False
    head = phrase[: -len(ending)] if ending else phrase
    words = [w for w in jieba_plain().lcut(head, HMM=False) if w.strip()]
    return len(head) >= 2 and not all(w in _GENERIC or len(w) == 1 for w in words)


def _new_initiatives(
    found: dict[str, dict[str, tuple[str, str, str]]], quoted: set[str], matcher: Matcher, taken
) -> Iterable[tuple[dict, str, float]]:
    """Phrases that match no initiative and can name one: quoted at one place or more, else at two or more.

    Yields ``(entity row, phrase, confidence)``, the phrases found at most places first, at most 15. Only the 300
    most widespread phrases are compared pairwise (for parts they share, such as 红色物业 of 推行红色物业服务), so
    the time stays bounded however long the articles are.
    """
    import difflib

    pool = sorted(found, key=lambda p: (-len(found[p]), p))[:300]
    common: set[str] = set()
    for a_index, a in enumerate(pool):
        for b in pool[a_index + 1 :]:
            if set(found[a]) == set(found[b]) and len(found[a]) == 1:
                continue
            match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
            if match.size >= 4:
                common.add(a[match.a : match.a + match.size])
    places: dict[str, set[str]] = {p: set(found[p]) for p in found}
    for phrase in common:
        places.setdefault(phrase, set()).update(*(found[p] for p in pool if phrase in p))
    scored = []
    for phrase, where in places.items():
        is_quoted = phrase in quoted
        if len(where) < (1 if is_quoted else 2) or not _name_like(phrase, is_quoted):
            continue
        if any(dice_coefficient(phrase, t.text) >= 0.5 or t.text in phrase for t in matcher.terms):
            continue
        scored.append((phrase, len(where)))
    chosen: list[tuple[str, int]] = []
    for phrase, n in sorted(scored, key=lambda item: (-item[1], -len(item[0]), item[0])):
        if not any(phrase in other or other in phrase for other, _ in chosen):
            chosen.append((phrase, n))
    for phrase, n in chosen[:15]:
        iid = readable_id("initiative", phrase, taken)
        confidence = min(0.3 + 0.1 * n, 0.55)
        where = f"recurs at {n} places" if n > 1 else "named at one place"
        note = f"{where} and matches no initiative: check its name (name_en too), or reject it"
        yield (
            entity_row(
                iid,
                "initiative",
                phrase,
                "uncertain",
                confidence,
                note,
                name_en=" ".join(w.capitalize() for w in pinyin_words(phrase)),
            ),
            phrase,
            confidence,
        )
