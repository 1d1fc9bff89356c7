"""Article text -> candidate entities and relations, for a person to review and then merge into the dataset.

The pipeline, one public function a step:

- :func:`parse_article` finds the sections of an article of this genre (a heading naming a place, a colon and a
  title; or a place name and its title on lines of their own), their paragraphs and each paragraph's lead sentence.
- :func:`propose` matches each section's place to a city of the dataset (a sub-unit listed as an alias of its
  parent city goes to the parent) or proposes a new one, turns the title and the lead sentences into practices,
  links them to the dataset's initiatives (exact names and aliases, quoted names, jieba tokens, verb + object
  phrases), each link with a confidence and the clause that supports it, and proposes phrases that recur across
  places and match nothing as new initiatives.
- :func:`write_candidates` writes the candidates as ``entities.csv`` and ``relations.csv`` (the dataset's columns
  plus ``status``, ``confidence`` and ``note``) and the source texts, for review; :func:`read_candidates` reads a
  reviewed folder back.
- :func:`apply` merges the accepted candidates into a data folder: it builds the merged dataset in a temporary
  folder, validates it with :func:`~graph.dataset.load_dataset`, keeps a backup under ``.backup/<timestamp>/`` and
  replaces the files atomically. Ids are derived from the text, so a second run adds nothing.

:func:`ingest` runs the steps the command line asks for. Ids of new things carry no pinyin (no pinyin library
works offline): a new city is ``city:x-<8 hex digits of the SHA-1 of its name>``, and so on.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, decode_text, default_data_dir, load_dataset, source_text_path
from .errors import DatasetError, InputError, Problem, RequestError
from .names import normalize, strip_suffix
from .schema import ENTITY_COLUMNS, ID_PATTERN, RELATION_COLUMNS
from .table import Table
from .textutil import compact, fold, jieba_for, jieba_plain, lead_sentence, split_clauses

__all__ = [
    "Paragraph",
    "ArticleSection",
    "Article",
    "Candidates",
    "CANDIDATE_COLUMNS",
    "STATUSES",
    "parse_article",
    "read_article",
    "propose",
    "write_candidates",
    "read_candidates",
    "apply",
    "ingest",
    "text_slug",
]

#: The extra columns of a candidate file, after the dataset's own.
CANDIDATE_COLUMNS = ["status", "confidence", "note"]
#: ``new``: will be added; ``uncertain``: will be added, but check it first (confidence below 0.7);
#: ``matches-existing``: already in the dataset. A reviewer may set ``rejected`` (or delete the row).
STATUSES = ("new", "uncertain", "matches-existing", "rejected")
_UNCERTAIN_BELOW = 0.7
#: The key under which a row read from a review file keeps its (file, line), for problems found when merging.
_WHERE = "_where"

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
_TRAILER_RE = re.compile(r"^(来源|责任编辑|编辑|审核|校对|原标题|评论|图片推荐|相关阅读|相关新闻|分享到|扫一扫)")
_NOTE_RE = re.compile(r"^[(（].*[)）]$")
_INTRO_START_RE = re.compile(
    r"^(近年来|近年|近期|今年以来|今年|去年以来|去年|\d{4}年以来|\d{4}年|自\d{4}年|[一二]?\d{0,4}年以来)"
)
_CJK_RE = re.compile(r"^[\u3400-\u9fff]+$")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_YEAR_BEFORE_RE = re.compile(r"(?<!\d)(\d{4})\s*年?\s*$")
_QUOTED_RE = re.compile(r"[“\"「『]([^”\"」』]{2,20})[”\"」』]")
_VERBS = (
    "深入实施", "深入推进", "全面推行", "全面推进", "大力推进", "积极探索", "创新实施", "创新开展",
    "开展", "实施", "推行", "推进", "建立", "健全", "探索", "深化", "打造", "组建", "构建", "完善", "落实", "强化",
    "加强", "推动", "实行", "搭建", "设立", "出台", "制定", "培养", "选聘", "引进", "整顿", "创建", "组织", "发挥",
)  # fmt: skip
_VERB_RE = re.compile("(" + "|".join(_VERBS) + ")")
_EXACT_NAME, _EXACT_ALIAS, _QUOTED, _TOKENS, _TOKENS_PART, _VERB_OBJECT = 0.95, 0.9, 0.85, 0.75, 0.55, 0.5


# ---------------------------------------------------------------------------------------------------------------
# parsing


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a section: its text, its 1-based line, its lead sentence, and whether it is the intro."""

    line: int
    text: str
    lead: str
    intro: bool = False


@dataclass(frozen=True)
class ArticleSection:
    """One place's section: the place as written, its title, the heading line as written, and its paragraphs.

    ``parent`` is the city a compound heading names first (孝感市汉川市 -> 孝感市), else empty.
    """

    place: str
    title: str
    heading: str
    line: int
    paragraphs: tuple[Paragraph, ...]
    parent: str = ""


@dataclass(frozen=True)
class Article:
    """A parsed article: its file, its text (as decoded), the intro paragraphs, sections and trailer lines."""

    path: str
    text: str
    sections: tuple[ArticleSection, ...]
    intro: tuple[Paragraph, ...] = ()
    trailer: tuple[str, ...] = ()

    @property
    def publisher(self) -> str:
        """The publisher named on a ``来源:`` line of the trailer, or empty."""
        for line in self.trailer:
            match = re.match(r"^来源\s*[:：]\s*(\S+)", line)
            if match:
                return match.group(1)
        return ""


def _is_place(name: str, known: frozenset[str]) -> bool:
    name = fold(name).strip()
    if normalize(name) in known or normalize(strip_suffix(name)) in known:
        return True
    if not 2 <= len(name) <= 15 or not _CJK_RE.match(name) or name.startswith(_NOT_PLACE_STARTS):
        return False
    if name.endswith(_NOT_PLACE_ENDINGS):
        return False
    return any(name.endswith(s) and len(name) > len(s) for s in _PLACE_SUFFIXES)


def _heading(line: str, known: frozenset[str]) -> tuple[str, str] | None:
    """``(place, title)`` when the line is a heading ``place:title`` (or ``【place】title``, ``place title``)."""
    s = line.strip()
    if not s or len(s) > 60 or any(ch in s for ch in "。！？"):
        return None
    match = re.match(r"^[【\[〔]\s*([^】\]〕]{2,15})\s*[】\]〕]\s*[:：]?\s*(.+)$", s)
    if match and _is_place(match.group(1), known):
        return match.group(1).strip(), match.group(2).strip()
    match = re.match(r"^([^:：]{2,15})[:：]\s*(.+)$", s)
    if match and _is_place(match.group(1).strip(), known):
        return match.group(1).strip(), match.group(2).strip()
    match = re.match(r"^(\S{2,15})[ \t\u3000]+(\S.*)$", s)
    if match and _is_place(match.group(1), known) and not any(ch in match.group(1) for ch in ",，:："):
        return match.group(1), match.group(2).strip()
    return None


def _split_compound(place: str, known: frozenset[str]) -> str:
    """For a heading like 孝感市汉川市 (a known city followed by another place): the known city, else ''."""
    if normalize(place) in known:
        return ""
    for i in range(len(place) - 2, 1, -1):  # the longest known head: 孝感市, not 孝感, of 孝感市汉川市
        head, rest = place[:i], place[i:]
        if (normalize(head) in known) and len(rest) >= 2:
            return head
    return ""


def _is_intro(lead: str, place: str, parent: str = "") -> bool:
    names = {strip_suffix(place)}
    if parent and len(place) > len(parent):
        names.add(strip_suffix(place[len(parent) :]))  # 孝感市汉川市: the intro names 汉川
    return any(n in lead for n in names) or bool(_INTRO_START_RE.match(lead)) or len(lead) > 60


def parse_article(text: str, path: str = "<text>", known_places: Iterable[str] = ()) -> Article:
    """Find the sections of an article: headings naming a place, their paragraphs and lead sentences.

    A heading is a short line without 。 made of a place (a name ending in 市, 县, 区, 林区, 州, 盟 ..., or one of
    ``known_places``), a colon (half- or full-width) and a title; or ``【place】title`` or ``place title``; or a
    place alone on its line, followed by its title line. Lines before the first heading are the intro; a line
    starting with 来源, 责任编辑, 评论 ... ends the article; a line wholly in parentheses is skipped. The first
    paragraph of a section is its intro (not a measure) when its lead sentence names the place, starts with a
    time phrase (近年来, 今年以来, 2018年以来 ...) or is long.

    Raises
    ------
    DatasetError
        ``FILE:LINE: ...`` when the text holds binary data, is empty, has no section, or a section has no text.

    Examples
    --------
    >>> text = "会议召开。\\n甲山市：下沉社区\\n近年来,甲山市推进下沉。\\n推行红色物业。细节。\\n来源：测试报"
    >>> a = parse_article(text)
    >>> [(s.place, s.title, s.line) for s in a.sections]
    [('甲山市', '下沉社区', 2)]
    >>> [(p.lead, p.intro) for p in a.sections[0].paragraphs]
    [('近年来,甲山市推进下沉', True), ('推行红色物业', False)]
    >>> a.publisher
    '测试报'
    """
    known = frozenset(normalize(fold(k)) for k in known_places if k)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        bad = next((ch for ch in line if ord(ch) < 32 and ch not in "\t\f\v"), None)
        if bad is not None or "\ufffd" in line:
            shown = f"byte 0x{ord(bad):02x}" if bad is not None else "U+FFFD"
            raise DatasetError([Problem(path, number, f"binary data ({shown}): expected UTF-8 or GB18030 text")])
    if not text.strip():
        raise DatasetError([Problem(path, 1, "empty file: expected an article with sections")])

    intro: list[Paragraph] = []
    trailer: list[str] = []
    sections: list[dict] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        s = raw.strip()
        number = i + 1
        i += 1
        if not s:
            continue
        if _TRAILER_RE.match(s):
            trailer = [t.strip() for t in lines[number - 1 :] if t.strip()]
            break
        if _NOTE_RE.match(s):
            continue
        found = _heading(s, known)
        heading_text = s
        if found is None and _is_place(s, known) and len(s) <= 15:
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines):
                title = lines[j].strip()
                if (
                    title
                    and len(title) <= 50
                    and not any(ch in title for ch in "。！？")
                    and not _heading(title, known)
                ):
                    found, heading_text, i = (s, title), title, j + 1
        if found is not None:
            place, title = found
            sections.append(
                {
                    "place": place,
                    "title": title,
                    "heading": heading_text,
                    "line": number,
                    "paragraphs": [],
                    "parent": _split_compound(place, known),
                }
            )
            continue
        paragraph = Paragraph(number, s, lead_sentence(s))
        if sections:
            sections[-1]["paragraphs"].append(paragraph)
        else:
            intro.append(paragraph)

    if not sections:
        first = next((n for n, line in enumerate(lines, 1) if line.strip()), 1)
        raise DatasetError(
            [
                Problem(
                    path,
                    first,
                    "no section found: expected a heading line such as 潜江市:标题 or 潜江市：标题 (a place ending in "
                    "市, 县, 区, 林区, 州 or 盟, a colon, a title), or a place name on its own line above its title",
                )
            ]
        )
    problems = [
        Problem(path, sec["line"], f"section {sec['place']} has no text: expected paragraphs after its heading")
        for sec in sections
        if not sec["paragraphs"]
    ]
    if problems:
        raise DatasetError(problems)
    built = []
    for sec in sections:
        paragraphs = list(sec["paragraphs"])
        first = paragraphs[0]
        if _is_intro(first.lead, sec["place"], sec["parent"]):
            paragraphs[0] = Paragraph(first.line, first.text, first.lead, True)
        built.append(
            ArticleSection(sec["place"], sec["title"], sec["heading"], sec["line"], tuple(paragraphs), sec["parent"])
        )
    return Article(path=path, text=text, sections=tuple(built), intro=tuple(intro), trailer=tuple(trailer))


def read_article(path: str | os.PathLike, known_places: Iterable[str] = ()) -> Article:
    """Read a file (UTF-8 with or without BOM, or GB18030) and :func:`parse_article` it."""
    label = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DatasetError([Problem(label, 0, f"cannot read: {exc.strerror or exc}")]) from None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DatasetError([Problem(label, line, "binary data (byte 0x00): expected UTF-8 or GB18030 text")])
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as utf8:  # report where it stops being UTF-8 when that is further in
            exc = utf8 if utf8.start > exc.start else exc
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 or GB18030 text: cannot decode byte(s) {raw[exc.start : exc.end].hex(' ')}"
        raise DatasetError([Problem(label, line, message)]) from None
    return parse_article(text, label, known_places)


# ---------------------------------------------------------------------------------------------------------------
# candidates


def text_slug(text: str, prefix: str = "x") -> str:
    """A stable ascii slug for Chinese text: ``x-`` and the first 8 hex digits of its UTF-8 SHA-1.

    >>> text_slug("汉川")
    'x-1cf61f95'
    """
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


@dataclass
class Candidates:
    """Candidate rows: ``entities`` and ``relations`` (dicts with the dataset's columns plus ``status``,
    ``confidence`` and ``note``), and ``texts``, the text of each source the rows quote."""

    entities: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)

    def entity(self, eid: str) -> dict | None:
        """The candidate row of an entity id, or None."""
        return next((row for row in self.entities if row["id"] == eid), None)

    def extend(self, other: Candidates) -> None:
        """Add the rows of ``other`` that are not here yet (by id, or by source-relation-target)."""
        ids = {row["id"] for row in self.entities}
        keys = {(r["source"], r["relation"], r["target"]) for r in self.relations}
        self.entities += [row for row in other.entities if row["id"] not in ids]
        self.relations += [r for r in other.relations if (r["source"], r["relation"], r["target"]) not in keys]
        self.texts.update(other.texts)

    def summary(self) -> Table:
        """Counts of candidate rows by kind, type and status."""
        counts: dict[tuple[str, str, str], int] = {}
        for kind, rows, type_key in (("entity", self.entities, "type"), ("relation", self.relations, "relation")):
            for row in rows:
                key = (kind, row[type_key], row["status"])
                counts[key] = counts.get(key, 0) + 1
        rows = [{"kind": k, "type": t, "status": s, "count": n} for (k, t, s), n in sorted(counts.items())]
        return Table(["kind", "type", "status", "count"], rows, title="candidates", name="candidates")


def _status(confidence: float) -> str:
    return "new" if confidence >= _UNCERTAIN_BELOW else "uncertain"


def _entity_row(eid: str, type_: str, name: str, status: str, confidence: float, note: str, **extra) -> dict:
    row = dict.fromkeys(ENTITY_COLUMNS, "")
    row.update(id=eid, type=type_, name=name, status=status, confidence=round(confidence, 2), note=note)
    row.update(extra)
    return row


def _relation_row(source, relation, target, evidence, document, status, confidence, note) -> dict:
    return {
        "source": source,
        "relation": relation,
        "target": target,
        "evidence": evidence,
        "document": document,
        "status": status,
        "confidence": round(confidence, 2),
        "note": note,
    }


def _known_places(dataset: Dataset) -> list[str]:
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


@dataclass(frozen=True)
class _Term:
    initiative: str
    text: str
    confidence: float
    tokens: tuple[str, ...]


def _initiative_terms(dataset: Dataset) -> list[_Term]:
    """Every Chinese name and alias of an initiative, with its words (jieba's own dictionary, 2+ characters)."""
    plain = jieba_plain()
    terms = []
    for e in dataset.entities.values():
        if e.type != "initiative":
            continue
        for text, confidence in [(e.name, _EXACT_NAME)] + [(a, _EXACT_ALIAS) for a in e.aliases]:
            text = fold(text).strip()
            if len(text) < 2 or text.isascii():
                continue
            terms.append(_term(e.id, text, confidence, plain))
    return terms


def _term(initiative: str, text: str, confidence: float, plain) -> _Term:
    tokens = tuple(t for t in plain.lcut(text, HMM=False) if len(t) >= 2 and _CJK_RE.match(t))
    return _Term(initiative, text, confidence, tokens)


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _objects(clause: str) -> list[str]:
    """The objects of the verbs in a clause: the text after each verb up to the clause's end."""
    found = []
    for match in _VERB_RE.finditer(clause):
        obj = clause[match.end() :].strip('“”"「」 ')
        if 2 <= len(obj) <= 20:
            found.append(obj)
    return found


def _match_clause(clause: str, terms: list[_Term], tokenizer, weight=None) -> dict[str, tuple[float, str]]:
    """initiative id -> (confidence, how) for one clause.

    ``weight(word)`` rates how telling a word is (its inverse section frequency); a term whose words are only
    partly present matches when the present words carry 3/4 of the term's weight.
    """
    weight = weight or (lambda word: 1.0)
    best: dict[str, tuple[float, str]] = {}

    def keep(initiative: str, confidence: float, how: str) -> None:
        if confidence > best.get(initiative, (0.0, ""))[0]:
            best[initiative] = (confidence, how)

    folded = fold(clause)
    packed = compact(folded)
    quoted = [q for q in _QUOTED_RE.findall(folded)]
    words = None
    objects = None
    for term in terms:
        if term.text in folded or compact(term.text) in packed:
            keep(term.initiative, term.confidence, f"names {term.text}")
            continue
        for q in quoted:
            if len(q) >= 4 and q in term.text:
                keep(term.initiative, _QUOTED, f"quotes “{q}”, part of {term.text}")
        if len(term.tokens) >= 2:
            if words is None:
                words = set(tokenizer.lcut(folded, HMM=False))
            present = [t for t in term.tokens if t in words or t in packed]
            if len(present) == len(term.tokens):
                keep(term.initiative, _TOKENS, f"has the words of {term.text}: {' '.join(present)}")
            else:
                share = sum(weight(t) for t in present) / sum(weight(t) for t in term.tokens)
                if share >= 0.75 and len(present) >= 2:
                    keep(term.initiative, _TOKENS_PART, f"has most words of {term.text}: {' '.join(present)}")
        if objects is None:
            objects = _objects(folded)
        for obj in objects:
            if len(obj) < 4:
                continue
            dice = _dice(obj, term.text)
            if dice >= 0.5:
                keep(term.initiative, _VERB_OBJECT + 0.3 * (dice - 0.5) / 0.5, f"verb + object {obj} ~ {term.text}")
    return best


def _word_weights(articles: list[Article], terms: list[_Term]):
    """word -> ln((N + 1) / (n + 1)) + 1 over the N sections of the articles, n of which contain the word."""
    import math

    sections = [compact(fold(s.title + "".join(p.text for p in s.paragraphs))) for a in articles for s in a.sections]
    words = {t for term in terms for t in term.tokens}
    n = len(sections)
    table = {w: math.log((n + 1) / (sum(w in text for text in sections) + 1)) + 1 for w in words}
    return lambda word: table.get(word, 1.0)


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


def _existing_practice(dataset: Dataset, city: str, quote: str, evidence: str) -> str:
    for r in dataset.relations:
        if r.relation == "reports" and r.source == city:
            practice = dataset.entities[r.target]
            if (
                practice.name in (quote, evidence)
                or r.evidence in (quote, evidence)
                or (r.evidence and r.evidence in quote)
            ):
                return r.target
    return ""


def propose(model, articles: Iterable[Article], progress: Callable[[str], None] | None = None) -> Candidates:
    """Candidate rows for the articles: places, practices, their links to initiatives, and new initiatives.

    Parameters
    ----------
    model : graph.model.Model
        The dataset the candidates are matched against.
    articles : iterable of Article
    progress : callable, optional
        Called with each article's path once it is done.

    Returns
    -------
    Candidates
        Rows with ``status`` (new, uncertain, matches-existing) and ``confidence`` (0-1) for review.
    """
    dataset: Dataset = model.dataset
    tokenizer = jieba_for(dataset)
    terms = _initiative_terms(dataset)
    keys = _city_keys(dataset)
    events = [e for e in dataset.entities.values() if e.type == "event"]
    out = Candidates()
    taken: dict[str, str] = {}
    existing_relations = {(r.source, r.relation, r.target) for r in dataset.relations}
    entity_rows: dict[str, dict] = {}
    relation_rows: dict[tuple[str, str, str], dict] = {}
    # phrase -> {city id: (practice id, quote, document)} for the initiatives nobody has named yet
    phrases: dict[str, dict[str, tuple[str, str, str]]] = {}
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
    weight = _word_weights(articles, terms)
    for article in articles:
        sid, sstatus, snote = _source_for(dataset, article, taken)
        taken[sid] = article.text.strip()
        if sstatus == "new":
            out.texts[sid] = article.text
            first = article.intro[0].lead if article.intro else ""
            name = first if first and len(first) <= 60 else Path(article.path).stem
            date = re.search(r"\d{4}-\d{2}-\d{2}", Path(article.path).name)
            description = " ".join(x for x in (article.publisher, date.group(0) if date else "") if x)
            add_entity(_entity_row(sid, "source", name, "new", 1.0, snote, description=description))
        else:
            add_entity(_entity_row(sid, "source", dataset.name_of(sid), sstatus, 1.0, snote))
        intro_text = "\n".join(p.text for p in article.intro)
        covered = [e for e in events if _names_event(intro_text, e)]
        for event in covered:
            add_relation(_relation_row(sid, "covers", event.id, "", "", "new", 0.9, f"the intro names {event.name}"))

        for section in article.sections:
            cid, cstatus, cconf, cnote = _match_place(dataset, keys, section.place, section.parent)
            if not cid:
                if cstatus == "uncertain":
                    continue  # ambiguous: nothing sensible to attach the practices to
                short = strip_suffix(fold(section.place))
                cid = "city:" + text_slug(short)
                add_entity(
                    _entity_row(
                        cid,
                        "city",
                        section.place,
                        cstatus,
                        cconf,
                        cnote,
                        name_en=cid.split(":", 1)[1],
                        aliases=short if short != section.place else "",
                        description="新增地方(待审核)",
                        level=_level_of(section.place),
                    )
                )
            else:
                add_entity(_entity_row(cid, "city", dataset.name_of(cid), cstatus, cconf, cnote))
            city_slug = cid.split(":", 1)[1]
            for event in covered:
                add_relation(_relation_row(cid, "attended", event.id, "", "", "new", 0.9, "a section of the article"))

            def practice_id(quote: str, evidence: str) -> tuple[str, bool]:
                found = _existing_practice(dataset, cid, quote, evidence)  # noqa: B023
                return (found, True) if found else (f"practice:{city_slug}-{text_slug(cid + quote, 'p')[2:]}", False)  # noqa: B023

            head_id, head_known = practice_id(section.title, section.heading)
            add_entity(
                _entity_row(
                    head_id,
                    "practice",
                    section.title if not head_known else dataset.name_of(head_id),
                    "new",
                    0.9,
                    f"headline of {section.place}",
                )
            )
            add_relation(
                _relation_row(cid, "reports", head_id, section.heading, sid, "new", 0.9, "the section's heading")
            )
            units: list[tuple[str, str]] = [(head_id, section.title)]
            for paragraph in section.paragraphs:
                if paragraph.intro:
                    units.append((head_id, paragraph.text))
                    continue
                pid, known = practice_id(paragraph.lead, paragraph.lead)
                add_entity(
                    _entity_row(
                        pid,
                        "practice",
                        paragraph.lead if not known else dataset.name_of(pid),
                        "new",
                        0.85,
                        f"lead sentence of line {paragraph.line}",
                    )
                )
                add_relation(_relation_row(cid, "reports", pid, paragraph.lead, sid, "new", 0.85, "a measure"))
                add_relation(
                    _relation_row(pid, "part_of", head_id, paragraph.lead, sid, "new", 0.85, f"a measure of {head_id}")
                )
                units.append((pid, paragraph.text))

            for pid, unit in units:
                for _, clause in split_clauses(unit):
                    clauses.append((pid, clause, sid))
                    matched = _match_clause(clause, terms, tokenizer, weight)
                    for initiative, (confidence, how) in matched.items():
                        add_relation(
                            _relation_row(
                                pid, "instance_of", initiative, clause, sid, _status(confidence), confidence, how
                            )
                        )
                    if not matched:
                        for phrase in _phrases(clause):
                            phrases.setdefault(phrase, {}).setdefault(cid, (pid, clause, sid))
        if progress is not None:
            progress(article.path)

    # New initiatives are linked wherever the matcher would find them once they are in the dataset, so that a
    # second run after merging adds nothing.
    for entity, phrase, confidence in _new_initiatives(phrases, terms):
        add_entity(entity)
        term = [_term(entity["id"], phrase, confidence, jieba_plain())]
        for pid, clause, sid in clauses:
            if _match_clause(clause, term, tokenizer, weight):
                note = f"names {phrase}, proposed as a new initiative"
                add_relation(
                    _relation_row(pid, "instance_of", entity["id"], clause, sid, "uncertain", confidence, note)
                )
    out.entities = list(entity_rows.values())
    out.relations = list(relation_rows.values())
    return out


def _phrases(clause: str) -> list[str]:
    """Candidate names of an initiative in a clause: quoted names and the objects of verbs (4-12 characters)."""
    folded = fold(clause)
    found = [q for q in _QUOTED_RE.findall(folded) if 4 <= len(q) <= 12]
    found += [o for o in _objects(folded) if 4 <= len(o) <= 12]
    return [p for p in found if _CJK_RE.match(p)]


def _new_initiatives(phrases: dict[str, dict[str, tuple[str, str, str]]], terms: list[_Term]):
    """Phrases (or their longest common parts of 4+ characters) found at two places or more that match nothing.

    Yields ``(entity row, phrase, confidence)``, the phrases found at most places first, at most 15.
    """
    pool = sorted(phrases)
    common: set[str] = set()
    for a_index, a in enumerate(pool):
        for b in pool[a_index + 1 :]:
            if set(phrases[a]) == set(phrases[b]) and len(phrases[a]) == 1:
                continue
            match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
            if match.size >= 4:
                common.add(a[match.a : match.a + match.size])
    scored = []
    for phrase in common | set(pool):
        where = {city for other, places in phrases.items() if phrase in other for city in places}
        if len(where) >= 2 and not any(_dice(phrase, t.text) >= 0.5 or t.text in phrase for t in terms):
            scored.append((phrase, len(where)))
    chosen: list[tuple[str, int]] = []
    for phrase, n in sorted(scored, key=lambda item: (-item[1], -len(item[0]), item[0])):
        if not any(phrase in other or other in phrase for other, _ in chosen):
            chosen.append((phrase, n))
    for phrase, n in chosen[:15]:
        iid = "initiative:" + text_slug(phrase)
        confidence = min(0.3 + 0.1 * n, 0.55)
        note = f"recurs at {n} places and matches no initiative: name it (name_en too), or reject it"
        yield (
            _entity_row(iid, "initiative", phrase, "uncertain", confidence, note, name_en=iid.split(":", 1)[1]),
            phrase,
            confidence,
        )


# ---------------------------------------------------------------------------------------------------------------
# files


def _csv_text(columns: list[str], rows: list[dict], prefix_text: str = "") -> tuple[str, dict[int, dict]]:
    """``rows`` as CSV text (after ``prefix_text``, else after a header), and line number -> row for each row."""
    buffer = io.StringIO()
    if prefix_text:
        buffer.write(prefix_text if prefix_text.endswith("\n") else prefix_text + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    if not prefix_text:
        writer.writerow(columns)
    line = buffer.getvalue().count("\n") + 1
    lines = {}
    for row in rows:
        start = buffer.tell()
        writer.writerow([row.get(c, "") for c in columns])
        lines[line] = row
        buffer.seek(start)
        line += buffer.read().count("\n")
    return buffer.getvalue(), lines


def _write_csv_atomic(
    path: Path, columns: list[str], rows: list[dict], prefix_text: str = "", mode: int | None = None
) -> dict[int, dict]:
    """Write ``rows`` (after ``prefix_text``, else after a header); return line number -> row for each row."""
    text, lines = _csv_text(columns, rows, prefix_text)
    _write_text_atomic(path, text, mode)
    return lines


def _write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place.

    The file gets ``mode``, else the umask's default (a temporary file is private to its owner: the files of a
    shared data folder must stay readable by the others).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _is_candidates_file(path: Path) -> bool:
    """Whether ``path`` is a candidates file (its header has a status column), not a dataset's own file."""
    from .dataset import read_text

    try:
        header = next(csv.reader(io.StringIO(read_text(path))), [])
    except (DatasetError, csv.Error):
        return False
    return "status" in [h.strip().lstrip("\ufeff").lower() for h in header]


def _check_out_dir(out: Path) -> None:
    """Refuse a folder the candidates cannot go to, before anything is written."""
    if out.exists() and not out.is_dir():
        raise InputError(f"cannot write the candidates to {out}: it is a file, not a folder")
    if not out.exists() and not out.parent.is_dir():
        raise InputError(f"cannot write {out}: folder {out.parent} does not exist")
    for name in ("entities.csv", "relations.csv"):
        if (out / name).is_file() and not _is_candidates_file(out / name):
            raise InputError(
                f"{out} holds a dataset ({name} has no status column), not candidates: name another --out folder"
            )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_of(path: Path) -> int | None:
    """The permission bits of an existing file, to keep them when it is replaced."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def write_candidates(candidates: Candidates, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``entities.csv``, ``relations.csv`` and ``sources/<slug>.txt`` into ``out_dir``, each atomically.

    Returns the paths written.

    Raises
    ------
    InputError
        ``out_dir`` is a file, its parent folder does not exist, it holds a dataset (whose files the
        candidates would replace), or it cannot be written.
    """
    out = Path(out_dir)
    _check_out_dir(out)
    written = [out / "entities.csv", out / "relations.csv"]
    order = {t: k for k, t in enumerate(("source", "city", "practice", "initiative"))}
    entities = sorted(candidates.entities, key=lambda r: order.get(r["type"], 9))
    texts = [
        _csv_text(ENTITY_COLUMNS + CANDIDATE_COLUMNS, entities)[0],
        _csv_text(RELATION_COLUMNS + CANDIDATE_COLUMNS, candidates.relations)[0],
    ]
    for path, text in zip(written, texts, strict=True):
        if path.is_file() and _decoded(path) != text:
            raise InputError(
                f"{path} holds other candidates (a review under way?): merge them with ingest --apply {out}, "
                "or name another --out folder"
            )
    try:
        for path, text in zip(written, texts, strict=True):
            _write_text_atomic(path, text)
        for sid, text in sorted(candidates.texts.items()):
            path = source_text_path(out, sid)
            _write_text_atomic(path, text)
            written.append(path)
    except OSError as exc:
        raise InputError(f"cannot write the candidates to {out}: {exc.strerror or exc}") from None
    return written


def _decoded(path: Path) -> str | None:
    """The text of a file as the loader reads it (UTF-8 or GB18030, ``\\n`` line ends); None if unreadable."""
    try:
        return decode_text(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        return None


def _read_csv(path: Path, required: list[str], problems: list[Problem]) -> list[dict]:
    from .dataset import read_text

    try:
        text = read_text(path)
    except DatasetError as exc:
        problems.extend(exc.problems)
        return []
    reader = csv.DictReader(io.StringIO(text))
    # as the dataset's loader does: a header cell edited to " Status" is still the status column
    reader.fieldnames = [h.strip().lstrip("\ufeff").lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in reader.fieldnames]
    if missing:
        problems.append(Problem(str(path), 1, "missing column(s): " + ", ".join(missing)))
        return []
    rows = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(clean.values()):
            continue
        clean["status"] = clean["status"].lower() or "new"
        line = reader.line_num
        clean[_WHERE] = (str(path), line)
        if clean["status"] not in STATUSES:
            problems.append(Problem(str(path), line, f"unknown status {clean['status']!r} ({', '.join(STATUSES)})"))
        try:
            clean["confidence"] = float(clean.get("confidence") or 1.0)
        except ValueError:
            problems.append(Problem(str(path), line, f"confidence {clean['confidence']!r} is not a number"))
        rows.append(clean)
    return rows


def read_candidates(folder: str | os.PathLike) -> Candidates:
    """Read a (reviewed) candidates folder written by :func:`write_candidates`.

    Raises
    ------
    DatasetError
        Missing files or columns (``status`` and ``confidence`` among them), unknown statuses, confidences that
        are not numbers.
    """
    root = Path(folder)
    problems: list[Problem] = []
    for name in ("entities.csv", "relations.csv"):
        if not (root / name).is_file():
            problems.append(Problem(str(root / name), 0, "file not found: expected a folder written by ingest"))
    if problems:
        raise DatasetError(problems)
    # without its status and confidence columns a reviewed file would merge its rejected and uncertain rows
    entities = _read_csv(root / "entities.csv", ["id", "type", "name", "status", "confidence"], problems)
    relations = _read_csv(root / "relations.csv", ["source", "relation", "target", "status", "confidence"], problems)
    texts = {}
    for row in entities:
        if row.get("type") == "source":
            path = source_text_path(root, row["id"])
            if path.is_file():
                from .dataset import read_text

                texts[row["id"]] = read_text(path)
    if problems:
        raise DatasetError(problems)
    return Candidates(entities, relations, texts)


# ---------------------------------------------------------------------------------------------------------------
# merging


def _accepted(candidates: Candidates, dataset: Dataset, min_confidence: float):
    """The new entity rows and relation rows to merge, after the threshold and the cascade of dropped ends."""

    def ok(row: dict) -> bool:
        return row.get("status") != "rejected" and float(row.get("confidence", 1.0)) >= min_confidence

    entities = {r["id"]: r for r in candidates.entities if r["id"] not in dataset.entities and ok(r)}
    existing = {(r.source, r.relation, r.target) for r in dataset.relations}
    relations = [r for r in candidates.relations if (r["source"], r["relation"], r["target"]) not in existing and ok(r)]
    while True:
        known = set(dataset.entities) | set(entities)
        relations = [
            r
            for r in relations
            if r["source"] in known and r["target"] in known and (not r.get("document") or r["document"] in known)
        ]
        used = {r["source"] for r in relations} | {r["target"] for r in relations}
        used |= {r["document"] for r in relations if r.get("document")}
        reported = {r["target"] for r in relations if r["relation"] == "reports"}
        keep = {}
        for eid, row in entities.items():
            if row["type"] == "practice" and eid not in reported:
                continue
            if row["type"] in ("city", "initiative", "source") and eid not in used:
                continue
            keep[eid] = row
        if len(keep) == len(entities):
            return list(entities.values()), relations
        entities = keep


def _backup_dir(root: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = root / ".backup" / stamp
    n = 1
    while path.exists():
        n += 1
        path = root / ".backup" / f"{stamp}-{n}"
    return path


def _no_text(row: dict) -> Problem:
    """The problem of a new source whose text is not among the candidates, at its row of the review file."""
    if _WHERE in row:
        file, line = row[_WHERE]
        expected = source_text_path(Path(file).parent, row["id"])
        return Problem(file, line, f"no text for {row['id']}: {expected} not found")
    return Problem(row["id"], 0, "no text for this new source among the candidates")


def _where_from(problem: Problem, tmp: Path, root: Path, rows_at: dict[str, dict[int, dict]]) -> Problem:
    """A problem of the merged files, at the review file's row it comes from (else at the merged file's line)."""
    name = Path(problem.file).name
    row = rows_at.get(name, {}).get(problem.line) if Path(problem.file).parent == tmp else None
    if row is not None and _WHERE in row:
        file, line = row[_WHERE]
        return Problem(file, line, problem.message)
    return Problem(problem.file.replace(str(tmp), str(root)) + " (merged)", problem.line, problem.message)


def apply(
    model_root: str | os.PathLike, candidates: Candidates, min_confidence: float = 0.0, backup: bool = True
) -> Table:
    """Merge the accepted candidates into the dataset in ``model_root``.

    A candidate is accepted unless its status is ``rejected`` or its confidence is below ``min_confidence``;
    rows already in the dataset are skipped, and a row whose ends are not accepted is left out (a practice no
    city reports, a new city with no practice). The merged dataset is built in a temporary folder and validated
    with :func:`~graph.dataset.load_dataset` before anything is replaced; the old ``entities.csv`` and
    ``relations.csv`` are copied to ``.backup/<timestamp>/`` (``backup=False`` skips that); new source texts go
    to ``sources/<slug>.txt``. Rows are appended, so the existing lines keep their numbers.

    Returns
    -------
    Table
        One row per entity type and relation: how many were added, already present, left out. Its notes name
        the backup folder.

    Raises
    ------
    DatasetError
        The dataset is invalid now, or the merged one would be (nothing is written then).
    InputError
        The data folder cannot be written.
    """
    root = Path(model_root)
    dataset = load_dataset(root)
    new_entities, new_relations = _accepted(candidates, dataset, min_confidence)
    added_e = {r["id"] for r in new_entities}
    added_r = {(r["source"], r["relation"], r["target"]) for r in new_relations}
    existing_keys = {(r.source, r.relation, r.target) for r in dataset.relations}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in candidates.entities:
        c = counts.setdefault(("entity", row["type"]), {"added": 0, "present": 0, "left_out": 0})
        c["added" if row["id"] in added_e else "present" if row["id"] in dataset.entities else "left_out"] += 1
    for row in candidates.relations:
        key = (row["source"], row["relation"], row["target"])
        c = counts.setdefault(("relation", row["relation"]), {"added": 0, "present": 0, "left_out": 0})
        c["added" if key in added_r else "present" if key in existing_keys else "left_out"] += 1
    table = Table(
        ["kind", "type", "added", "present", "left_out"],
        [{"kind": k, "type": t, **c} for (k, t), c in sorted(counts.items())],
        title="merged into " + str(root),
        name="applied",
    )
    if not new_entities and not new_relations:
        table.notes.append(f"nothing to add: {root} already holds every accepted candidate")
        return table

    new_sources = {r["id"]: candidates.texts.get(r["id"]) for r in new_entities if r["type"] == "source"}
    missing = [r for r in new_entities if r["type"] == "source" and new_sources[r["id"]] is None]
    if missing:
        raise DatasetError([_no_text(row) for row in missing])
    entities_path, relations_path = root / "entities.csv", root / "relations.csv"
    from .dataset import read_text

    old_entities, old_relations = read_text(entities_path), read_text(relations_path)
    ent_header = next(csv.reader(io.StringIO(old_entities)))
    rel_header = next(csv.reader(io.StringIO(old_relations)))
    ent_columns = [h.strip().lstrip("\ufeff").lower() for h in ent_header]
    rel_columns = [h.strip().lstrip("\ufeff").lower() for h in rel_header]
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".ingest-", dir=root))
    except OSError as exc:
        raise InputError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        rows_at = {
            "entities.csv": _write_csv_atomic(
                tmp / "entities.csv", ent_columns, new_entities, old_entities, _mode_of(entities_path)
            ),
            "relations.csv": _write_csv_atomic(
                tmp / "relations.csv", rel_columns, new_relations, old_relations, _mode_of(relations_path)
            ),
        }
        for e in dataset.entities.values():
            if e.type == "source":
                target = source_text_path(tmp, e.id)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source_text_path(root, e.id), target)
        for sid, text in new_sources.items():
            _write_text_atomic(source_text_path(tmp, sid), text)
        try:
            load_dataset(tmp)
        except DatasetError as exc:
            raise DatasetError([_where_from(p, tmp, root, rows_at) for p in exc.problems]) from None
        if backup:
            folder = _backup_dir(root)
            folder.mkdir(parents=True)
            shutil.copy2(entities_path, folder / "entities.csv")
            shutil.copy2(relations_path, folder / "relations.csv")
            table.notes.append(f"backup of the previous entities.csv and relations.csv: {folder}")
        for sid in new_sources:
            target = source_text_path(root, sid)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source_text_path(tmp, sid), target)
        os.replace(tmp / "entities.csv", entities_path)
        os.replace(tmp / "relations.csv", relations_path)
    except OSError as exc:
        raise InputError(f"cannot merge into {root}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table.notes.append(f"added {len(new_entities)} entities and {len(new_relations)} relations to {root}")
    return table


# ---------------------------------------------------------------------------------------------------------------
# the command


def default_out_dir(paths: list[Path]) -> Path:
    """The folder named after the input: ``./<stem>`` for one file, ``./<stem>-and-<n>-more`` for several.

    >>> str(default_out_dir([Path("a/article.txt")]))
    'article'
    """
    stem = paths[0].stem
    return Path(stem if len(paths) == 1 else f"{stem}-and-{len(paths) - 1}-more")


def _installed_copy(folder: Path) -> bool:
    """Whether ``folder`` is the data installed inside the Python environment rather than a checkout's."""
    import sys

    folder = folder.resolve()
    return any(Path(p).resolve() in folder.parents for p in {sys.prefix, sys.base_prefix})


def ingest(
    paths: list[str | os.PathLike],
    data: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
    apply_changes: bool = False,
    min_confidence: float = 0.0,
    progress: Callable[[str], None] | None = None,
) -> Table:
    """Read articles (or reviewed candidate folders), write the candidates, and with ``apply_changes`` merge them.

    Every article is parsed before anything is written: one unparseable file stops the run with its
    ``FILE:LINE`` problem. A folder among ``paths`` is a candidates folder written earlier (and reviewed); it
    can only be merged (``apply_changes``).

    Returns
    -------
    Table
        The candidate counts by status, or (with ``apply_changes``) what was added.
    """
    from .model import open_model

    if not 0.0 <= min_confidence <= 1.0:
        raise RequestError(f"--min-confidence must be between 0 and 1, not {min_confidence:g}")
    files = [Path(p) for p in paths if not Path(p).is_dir()]
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    if folders and not apply_changes:
        raise RequestError(f"{folders[0]} is a folder of candidates: merge it with --apply")
    if apply_changes and data is None and _installed_copy(default_data_dir()):
        raise RequestError(
            f"--apply without --data would change the copy of the data installed with the package "
            f"({default_data_dir()}), which the next install replaces: copy it first "
            "(practice-graph export csv -o my-data) and merge into that (--data my-data)"
        )
    model = open_model(data)
    known = _known_places(model.dataset)
    articles, problems = [], []
    for path in files:
        try:
            articles.append(read_article(path, known))
        except DatasetError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DatasetError(problems)
    candidates = propose(model, articles, progress=progress)
    for folder in folders:
        candidates.extend(read_candidates(folder))
        if progress is not None:
            progress(str(folder))
    notes = []
    if files:
        target = Path(out) if out is not None else default_out_dir(files)
        write_candidates(candidates, target)
        notes.append(f"candidates written to {target}/entities.csv and {target}/relations.csv")
        if not apply_changes:
            notes.append(f"review them (set status to rejected, or delete rows), then: ingest --apply {target}")
    if apply_changes:
        table = apply(model.dataset.root, candidates, min_confidence)
    else:
        table = candidates.summary()
    table.notes[:0] = notes
    return table


# ---------------------------------------------------------------------------------------------------------------
# quality


def reduced_copy(
    data_root: str | os.PathLike,
    target: str | os.PathLike,
    keep: tuple[str, ...] = ("initiative", "theme", "province", "event"),
    aliases: bool = True,
) -> Path:
    """Copy a dataset keeping only the entities of the ``keep`` types and the relations among them.

    ``aliases=False`` also drops the aliases of the initiatives (their names alone remain).
    """
    dataset = load_dataset(data_root)
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    entities = [e.as_row() for e in dataset.entities.values() if e.type in keep]
    if not aliases:
        for row in entities:
            if row["type"] == "initiative":
                row["aliases"] = ""
    ids = {row["id"] for row in entities}
    relations = [r.as_row() for r in dataset.relations if r.source in ids and r.target in ids]
    _write_csv_atomic(target / "entities.csv", ENTITY_COLUMNS, entities)
    _write_csv_atomic(target / "relations.csv", RELATION_COLUMNS, relations)
    return target


def measure(
    data_root: str | os.PathLike | None,
    articles: list[str | os.PathLike],
    min_confidence: float = 0.0,
    aliases: bool = True,
) -> Table:
    """How well ingestion recovers a curated dataset's city -> initiative links from its own articles.

    The articles are ingested (and merged at ``min_confidence``) into a copy of the dataset that keeps only its
    initiatives, themes, provinces and events; the adoptions of the result (:attr:`graph.model.Model.incidence`)
    are compared, by city name, with the curated ones. Links to initiatives the copy does not have (new ones
    proposed by ingestion) count as false positives. ``aliases=False`` matches on the initiatives' names only.

    Returns
    -------
    Table
        One row: curated, found, true_positives, precision, recall, f1; the misses and the extras as notes.
    """
    from .model import Model, build_incidence

    curated_ds = load_dataset(data_root)
    curated = build_incidence(curated_ds)
    truth = {(curated_ds.name_of(c), x) for (c, x) in curated.evidence}
    with tempfile.TemporaryDirectory(prefix="practice-graph-measure-") as tmp:
        root = reduced_copy(curated_ds.root, Path(tmp) / "data", aliases=aliases)
        model = Model(load_dataset(root))
        known = _known_places(model.dataset)
        candidates = propose(model, [read_article(p, known) for p in articles])
        apply(root, candidates, min_confidence, backup=False)
        merged = load_dataset(root)
        found_inc = build_incidence(merged)
        found = {(merged.name_of(c), x) for (c, x) in found_inc.evidence}
    hits = truth & found
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    table = Table(
        ["aliases", "min_confidence", "curated", "found", "true_positives", "precision", "recall", "f1"],
        [
            {
                "aliases": "yes" if aliases else "no",
                "min_confidence": min_confidence,
                "curated": len(truth),
                "found": len(found),
                "true_positives": len(hits),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
            }
        ],
        title="city -> initiative links recovered",
        name="quality",
    )
    table.notes += [f"missed: {c} -> {x}" for c, x in sorted(truth - found)]
    table.notes += [f"extra: {c} -> {x}" for c, x in sorted(found - truth)]
    return table
