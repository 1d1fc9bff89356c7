"""The layout of an article: its sections (one place each), their titles, paragraphs and lead sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import DatasetError, Problem, unknown
from ..lang import say
from ..names import normalize, strip_suffix
from ..textutil import fold, lead_sentence
from .article import Article, ArticleSection, Paragraph
from .places import PlaceIndex, is_place_name

__all__ = ["LAYOUTS", "parse_article"]

#: The layouts an article can have: ``roundup`` (sections under headings ``潜江市:标题``), ``news`` (one place's
#: report: headline, dateline, lead, paragraphs), ``report`` (a work report with numbered measures: 一、 （一） 1.
#: 一是…二是…), ``multi`` (running text about several places, each paragraph's place from its own words).
LAYOUTS = ("roundup", "news", "report", "multi")


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
    if match and is_place_name(match.group(1), known):
        return match.group(1).strip(), match.group(2).strip()
    match = re.match(r"^([^:：]{2,15})[:：]\s*(.+)$", s)
    if match and is_place_name(match.group(1).strip(), known):
        return match.group(1).strip(), match.group(2).strip()
    match = re.match(r"^(\S{2,15})[ \t\u3000]+(\S.*)$", s)
    if match and is_place_name(match.group(1), known) and not any(ch in match.group(1) for ch in ",，:："):
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


def _roundup(lines: list[str], known: frozenset[str]) -> tuple[list[Paragraph], list[dict], list[str]]:
    """(intro paragraphs, sections as dicts, trailer lines) of a roundup; no sections when it has no heading."""
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
        if found is None and is_place_name(s, known) and len(s) <= 15:
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

    return intro, sections, trailer


_DATELINE_RE = re.compile(
    r"^(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s|$)|.*(?:来源|作者|编辑|记者|通讯员|发布时间)\s*[:：]"
    r"|.{0,24}(?:报道|讯)$|(?:新华社|中新社).{0,20}电$|.*(?:记者|通讯员)\s*\S{2,4}(?:\s|$))"
)
_BYLINE_RE = re.compile(r"^(?:本报讯|本网讯|本台讯|[^\s,，。]{1,10}(?:讯|电))\s*(?:[(（][^)）]{0,40}[)）])?\s*")
_NUMBER_RE = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d))\s*"
)
_IS_RE = re.compile(r"[一二三四五六七八九十]是")
#: A paragraph that closes a report (下一步, 今后 ...): context, not a detail of the last measure.
_CLOSING_RE = re.compile(r"^(下一步|今后|下步|总之|总的来看|当前|同时)")


def _is_dateline(line: str) -> bool:
    """A dateline or byline: ``2024-07-31 09:26:00 来源: 某网``, ``本报讯(通讯员 张三)``, ``某某网记者 李四 东营报道``.

    >>> [_is_dateline(s) for s in ("2024-07-31 09:26 来源: 某网", "云上荆州报道", "本报讯", "利津县举办启动仪式")]
    [True, True, True, False]
    """
    return len(line) <= 80 and "。" not in line and bool(_DATELINE_RE.match(line))


def _head_and_body(lines: list[str]) -> tuple[list[tuple[int, str]], list[str], list[tuple[int, str]], list[str]]:
    """(headline lines, dateline lines, body paragraphs, trailer lines) of a text without section headings.

    Short lines at the top without a sentence end are the headline (and subtitle); datelines and bylines there
    are kept apart; the body starts at the first other line, and a trailer line (来源, 责任编辑 ...) after it ends it.
    """
    headlines: list[tuple[int, str]] = []
    datelines: list[str] = []
    body: list[tuple[int, str]] = []
    trailer: list[str] = []
    for number, raw in enumerate(lines, 1):
        s = raw.strip()
        if not s or _NOTE_RE.match(s):
            continue
        if body and _TRAILER_RE.match(s):
            trailer = [t.strip() for t in lines[number - 1 :] if t.strip()]
            break
        if not body and (_is_dateline(s) or (_TRAILER_RE.match(s) and len(s) <= 60)):
            datelines.append(s)
            continue
        if not body and len(s) <= 50 and not s.endswith(("。", "！", "？")) and not _NUMBER_RE.match(s):
            headlines.append((number, s))
            continue
        body.append((number, s))
    if not body and headlines:
        body, headlines = headlines[1:], headlines[:1]
    return headlines, datelines, body, trailer


def _without_byline(text: str) -> str:
    """A first paragraph without the byline it starts with (本报讯(通讯员 张三) ...): a suffix of it, verbatim.

    >>> _without_byline("本报讯(通讯员 张三) 7月1日,荆州市启动了活动。")
    '7月1日,荆州市启动了活动。'
    """
    match = _BYLINE_RE.match(text)
    rest = text[match.end() :] if match else text
    return rest if len(rest) >= 4 else text


def _paragraph(number: int, text: str, intro: bool = False) -> Paragraph:
    first = text.split("\n", 1)[0]
    return Paragraph(number, text, lead_sentence(first), intro)


def _measures(body: list[tuple[int, str]]) -> tuple[list[Paragraph], int]:
    """The paragraphs of a work report: one per numbered item (一、 （一） 1.) or 一是/二是 part, with its details.

    Returns the paragraphs (those before the first item are intro) and how many items were found.
    """
    out: list[Paragraph] = []
    items = 0
    detail = False
    for number, text in body:
        numbered = _NUMBER_RE.match(text)
        if numbered:
            items += 1
            out.append(_paragraph(number, text[numbered.end() :]))
            detail = True
            continue
        marks = [m.start() for m in _IS_RE.finditer(text)]
        if len(marks) >= 2:
            before = text[: marks[0]].strip()
            if before:
                out.append(_paragraph(number, before, intro=True))
            for a, b in zip(marks, [*marks[1:], len(text)], strict=True):
                part = text[a:b].strip().rstrip("；;，,")
                items += 1
                out.append(_paragraph(number, part))
            detail = False  # the paragraph after 一是…二是… is not a detail of its last part
            continue
        if out and not out[-1].intro and items and detail and not _CLOSING_RE.match(text):
            last = out[-1]
            out[-1] = Paragraph(last.line, last.text + "\n" + text, last.lead, False)  # a detail of the item
        else:
            out.append(_paragraph(number, text, intro=True))
    return out, items


def _place_of(found: list[tuple[int, str]]) -> tuple[str, str]:
    """(place, parent) from the places found in a text: the first, or the second of an adjacent pair (东营市利津县)."""
    if not found:
        return "", ""
    (a_at, a), rest = found[0], found[1:]
    if rest and rest[0][0] == a_at + len(a):
        return rest[0][1], a
    return a, ""


def _single(
    path: str, headlines, datelines, body, places: PlaceIndex, layout: str
) -> tuple[list[Paragraph], list[dict]]:
    """(intro, [the one section]) of a news report or a work report about one place."""
    title_line, title = headlines[0] if headlines else (body[0][0], lead_sentence(body[0][1]))
    heading = _heading(title, frozenset())
    if heading is not None:
        title = heading[1]
    first = _without_byline(body[0][1])
    body = [(body[0][0], first), *body[1:]]
    place, parent = _place_of(places.find(" ".join(h for _, h in headlines)))
    if not place:
        place, parent = _place_of(places.find(lead_sentence(first)))
    if not place:
        for _, text in body[1:4]:
            place, parent = _place_of(places.find(text))
            if place:
                break
    if not place:
        raise DatasetError(
            [
                Problem(
                    path,
                    title_line,
                    say(
                        "no place found: expected a city, county or district named in the headline or the lead "
                        "(利津县, 荆州市, 东营市利津县 ...), or a heading such as 潜江市:标题"
                    ),
                )
            ]
        )
    if layout == "report":
        paragraphs, _ = _measures(body)
    else:
        paragraphs = [_paragraph(n, text) for n, text in body]
    if paragraphs and (_is_intro(paragraphs[0].lead, place, parent) or layout == "news"):
        p0 = paragraphs[0]
        paragraphs[0] = Paragraph(p0.line, p0.text, p0.lead, True)
    section = {
        "place": place,
        "title": title,
        "heading": headlines[0][1] if headlines else title,
        "line": title_line,
        "paragraphs": paragraphs,
        "parent": parent,
    }
    return [], [section]


def _multi(body, places: PlaceIndex) -> tuple[list[Paragraph], list[dict]]:
    """(intro, sections) of running text about several places: a paragraph whose lead names a place starts its
    section (the lead is its title), the paragraphs after it that name none belong to it."""
    intro: list[Paragraph] = []
    sections: list[dict] = []
    for number, text in body:
        lead = lead_sentence(text)
        place, parent = _place_of(places.find(lead))
        if place:
            sections.append(
                {
                    "place": place,
                    "title": lead,
                    "heading": lead,
                    "line": number,
                    "paragraphs": [Paragraph(number, text, lead, True)],
                    "parent": parent,
                }
            )
        elif sections:
            sections[-1]["paragraphs"].append(_paragraph(number, text))
        else:
            intro.append(_paragraph(number, text))
    return intro, sections


def _lead_places(body, places: PlaceIndex) -> list[str]:
    return [p for p in (_place_of(places.find(lead_sentence(t)))[0] for _, t in body) if p]


def parse_article(
    text: str,
    path: str = "<text>",
    known_places: Iterable[str] = (),
    layout: str | None = None,
    places: PlaceIndex | None = None,
) -> Article:
    """Find the sections of an article (one place each), their paragraphs and lead sentences, in any layout.

    The layout (:data:`LAYOUTS`) is detected unless given:

    - ``roundup``: a heading is a short line without 。 made of a place (a name ending in 市, 县, 区, 林区, 州,
      盟 ..., or one of ``known_places``), a colon (half- or full-width) and a title; or ``【place】title`` or
      ``place title``; or a place alone on its line, followed by its title line. Lines before the first heading
      are the intro. Chosen when there are two headings or more, or one that is not the first line.
    - ``report``: two numbered items or more (``一、`` ``（一）`` ``1.``) or three ``一是…二是…`` parts: one place
      (as for ``news``), each item a measure, with the unnumbered paragraphs after it as its details.
    - ``multi``: paragraph leads naming two places or more, none in the headline: each paragraph whose lead names
      a place starts that place's section.
    - ``news``: otherwise: the headline (short lines at the top), datelines and bylines (``2024-07-31 09:26 来源:
      某网``, ``本报讯(通讯员 张三)``, ``某网记者 李四 东营报道``), then paragraphs; the place is the first one the
      headline names, else the lead's (``7月1日,荆州市启动了…``); 东营市利津县 is 利津县 with its parent 东营市.

    Places in running text are the dataset's ``known_places`` and the gazetteer's full names (``places``, built
    when not given); streets, communities and villages are not among them, so they belong to the report's place.
    A line starting with 来源, 责任编辑, 评论 ... after the body ends the article; a line wholly in parentheses is
    skipped. The first paragraph of a section is its intro (not a measure) when its lead sentence names the place,
    starts with a time phrase (近年来, 今年以来, 2018年以来 ...) or is long, and always in a news report.

    Raises
    ------
    DatasetError
        ``FILE:LINE: ...`` when the text holds binary data, is empty, has no section or no place, or a section has
        no text.

    Examples
    --------
    >>> text = "会议召开。\\n甲山市：下沉社区\\n近年来,甲山市推进下沉。\\n推行红色物业。细节。\\n来源：测试报"
    >>> a = parse_article(text)
    >>> a.layout, [(s.place, s.title, s.line) for s in a.sections]
    ('roundup', [('甲山市', '下沉社区', 2)])
    >>> [(p.lead, p.intro) for p in a.sections[0].paragraphs]
    [('近年来,甲山市推进下沉', True), ('推行红色物业', False)]
    >>> a.publisher
    '测试报'
    >>> news = parse_article("利津县开展干部下沉\\n本报讯 7月1日,利津县启动干部下沉。\\n干部到社区报到。")
    >>> news.layout, [(s.place, s.title) for s in news.sections]
    ('news', [('利津县', '利津县开展干部下沉')])
    """
    if layout is not None and layout not in LAYOUTS:
        raise DatasetError([Problem(path, 0, unknown("layout", layout, LAYOUTS))])
    known = frozenset(normalize(fold(k)) for k in known_places if k)
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        bad = next((ch for ch in line if ord(ch) < 32 and ch not in "\t\f\v"), None)
        if bad is not None or "\ufffd" in line:
            shown = f"byte 0x{ord(bad):02x}" if bad is not None else "U+FFFD"
            raise DatasetError(
                [Problem(path, number, say("binary data ({what}): expected UTF-8 or GB18030 text", what=shown))]
            )
    if not text.strip():
        raise DatasetError([Problem(path, 1, say("empty file: expected an article with sections"))])

    header: list[str] = []
    headline = ""
    first_line = next(n for n, line in enumerate(lines, 1) if line.strip())
    if layout in (None, "roundup"):
        intro, sections, trailer = _roundup(lines, known)
        if layout is None and not (len(sections) >= 2 or (sections and sections[0]["line"] != first_line)):
            sections = []
        chosen = "roundup"
    else:
        sections = []
    if not sections and layout != "roundup":
        headlines, header, body, trailer = _head_and_body(lines)
        if not body:
            raise DatasetError([Problem(path, first_line, say("no text: expected a headline and paragraphs"))])
        places = places if places is not None else PlaceIndex(known_places)
        headline = headlines[0][1] if headlines else ""
        chosen = layout
        if chosen is None:
            _, items = _measures(body)
            named = set(_lead_places(body, places))
            in_headline = places.find(" ".join(h for _, h in headlines))
            if items >= 2:
                chosen = "report"
            elif len(named) >= 2 and not in_headline:
                chosen = "multi"
            else:
                chosen = "news"
        if chosen == "multi":
            intro, sections = _multi(body, places)
        else:
            intro, sections = _single(path, headlines, header, body, places, chosen)

    if not sections:
        raise DatasetError(
            [
                Problem(
                    path,
                    first_line,
                    say(
                        "no section found: expected a heading line such as 潜江市:标题 or 潜江市：标题 "
                        "(a place ending in 市, 县, 区, 林区, 州 or 盟, a colon, a title), "
                        "or a place name on its own line above its title"
                    ),
                )
            ]
        )
    problems = [
        Problem(
            path,
            sec["line"],
            say("section {place} has no text: expected paragraphs after its heading", place=sec["place"]),
        )
        for sec in sections
        if not sec["paragraphs"]
    ]
    if problems:
        raise DatasetError(problems)
    built = []
    for sec in sections:
        if (
            chosen == "roundup"
            and not sec["parent"]
            and len(sec["place"]) >= 5
            and normalize(sec["place"]) not in known
        ):
            places = places if places is not None else PlaceIndex(known_places)
            found = places.find(sec["place"])
            place, parent = _place_of(found)
            if parent and found[0][0] == 0 and parent + place == sec["place"]:
                sec["parent"] = parent  # 孝感市汉川市, with 孝感市 from the gazetteer
        paragraphs = list(sec["paragraphs"])
        first = paragraphs[0]
        if not first.intro and _is_intro(first.lead, sec["place"], sec["parent"]):
            paragraphs[0] = Paragraph(first.line, first.text, first.lead, True)
        built.append(
            ArticleSection(sec["place"], sec["title"], sec["heading"], sec["line"], tuple(paragraphs), sec["parent"])
        )
    return Article(
        path=path,
        text=text,
        sections=tuple(built),
        intro=tuple(intro),
        trailer=tuple(trailer),
        layout=chosen,
        title=headline,
        header=tuple(header),
    )
