"""The layout of an article: its sections (one place each), their titles, paragraphs and lead sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import DatasetError, Problem
from ..names import normalize, strip_suffix
from ..textutil import fold, lead_sentence
from .article import Article, ArticleSection, Paragraph
from .places import _is_place

__all__ = ["parse_article"]


_TRAILER_RE = re.compile(r"^(来源|责任编辑|编辑|审核|校对|原标题|评论|图片推荐|相关阅读|相关新闻|分享到|扫一扫)")


_NOTE_RE = re.compile(r"^[(（].*[)）]$")


_INTRO_START_RE = re.compile(
    r"^(近年来|近年|近期|今年以来|今年|去年以来|去年|\d{4}年以来|\d{4}年|自\d{4}年|[一二]?\d{0,4}年以来)"
)


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
