"""What a parsed article is: its paragraphs, its sections (one place each) and the text around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Paragraph", "ArticleSection", "Article"]


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
    """A parsed article: its file, its text (as decoded), the intro paragraphs, sections and trailer lines.

    ``layout`` is how it was read (see :data:`graph.ingest.layouts.LAYOUTS`); ``title`` its headline
    (empty for a roundup); ``header`` its dateline and byline
    lines; ``date`` its ISO date and ``date_from`` where that came from (``--date``, ``dateline``, ``text``,
    ``file name``).
    """

    path: str
    text: str
    sections: tuple[ArticleSection, ...]
    intro: tuple[Paragraph, ...] = ()
    trailer: tuple[str, ...] = ()
    layout: str = "roundup"
    title: str = ""
    header: tuple[str, ...] = ()
    date: str = ""
    date_from: str = ""

    @property
    def publisher(self) -> str:
        """The publisher named on a ``来源:`` line of the header (dateline) or the trailer, or empty."""
        for line in (*self.header, *self.trailer):
            match = re.search(r"(?:^|\s)来源\s*[:：]\s*([^\s:：]+)", line)
            if match:
                return match.group(1)
        return ""
